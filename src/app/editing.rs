//! Changes to what planners own: measures, indicators, rules, overrides; undo, redo, saving.
//!
//! Each edit becomes a [`Change`] holding the whole value before and after, is applied, kept
//! for undo, and its items are handed to the outbox ([`super::saving`]), which writes them to
//! the project file at once when the map is a project. What depends on it (statistics,
//! classification, scene) is recomputed at once: the map recolours with every change. A
//! failed write is reported, the state on screen stays, and the items stay unsaved until a
//! write succeeds.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::history::{Change, Stepped};
use super::saving::{Conflict, current_value, renumber};
use super::state::AppState;
use crate::analysis::join::{JoinOptions, JoinReport, join_table, merge_joined};
use crate::i18n::{Lang, T};
use crate::io::export_geojson::write_geojson;
use crate::io::measures_table;
use crate::io::project::{self};
use crate::io::rules_file::{read_rules, write_rules};
use crate::io::store::{Item, ItemValue, ProjectContent};
use crate::io::table::read_table;
use crate::model::{ActionField, Indicator, IndicatorTable, Measure, Override, RuleSet, Uid};

/// An edit of the planners' data, or a file operation on it.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Replace the rule set.
    SetRules(RuleSet),
    /// Add an override, or replace the one for the same area and field.
    SetOverride(Override),
    /// Remove the override of an area and field.
    RemoveOverride {
        /// The area's code.
        code: String,
        /// The field.
        field: ActionField,
    },
    /// Replace a catalogue entry (values stay).
    SetIndicator {
        /// Its position in the table.
        position: usize,
        /// The new entry (its key must stay the same).
        indicator: Indicator,
    },
    /// Join an indicator table.
    ImportTable {
        /// The table file.
        path: PathBuf,
        /// How to join it.
        options: JoinOptions,
    },
    /// Read rules (and overrides) from a TOML file.
    LoadRules(PathBuf),
    /// Write rules and overrides to a TOML file.
    SaveRules(PathBuf),
    /// Write the map with everything added as GeoJSON.
    SaveMap(PathBuf),
    /// Add a new measure (its id is assigned).
    AddMeasure(Box<Measure>),
    /// Replace the measure with the same id.
    UpdateMeasure(Box<Measure>),
    /// Delete a measure.
    DeleteMeasure(Uid),
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Write the project to a new file and continue there.
    SaveProjectAs(PathBuf),
    /// Export the measures as CSV or XLSX (by extension).
    ExportMeasures(PathBuf),
    /// Import measures from a CSV or XLSX list.
    ImportMeasures(PathBuf),
}

impl AppState {
    /// Applies an edit; problems become the error message, successes a notice.
    pub(super) fn apply_edit(&mut self, edit: Edit) {
        let lang = self.lang();
        let now = (self.clock)();
        let Some(map) = self.map.as_mut() else {
            return;
        };
        let change = match edit {
            Edit::SetRules(rules) => Some(rules_change(map, rules, map.overrides.clone())),
            Edit::SetOverride(o) => {
                let mut overrides = map.overrides.clone();
                overrides.retain(|x| !(x.code == o.code && x.field == o.field));
                overrides.push(o);
                Some(rules_change(map, map.rules.clone(), overrides))
            }
            Edit::RemoveOverride { code, field } => {
                let mut overrides = map.overrides.clone();
                overrides.retain(|x| !(x.code == code && x.field == field));
                Some(rules_change(map, map.rules.clone(), overrides))
            }
            Edit::SetIndicator {
                position,
                indicator,
            } => {
                let mut after = (*map.indicators).clone();
                after.set_indicator(position, indicator);
                Some(indicators_change(map, after, false))
            }
            Edit::ImportTable { path, options } => match joined_table(map, &path, &options, lang) {
                Ok((after, report)) => {
                    self.notice = Some(lang.tf(
                        T::TableImported,
                        &[
                            ("n", &report.indicators.len().to_string()),
                            ("areas", &report.matched_areas.to_string()),
                        ],
                    ));
                    self.join_report = Some(report);
                    self.windows.join_report = true;
                    self.windows.import_table = false;
                    Some(indicators_change(map, after, true))
                }
                Err(message) => {
                    self.error = Some(message);
                    None
                }
            },
            Edit::LoadRules(path) => match read_rules(&path) {
                Ok((rules, overrides)) => {
                    self.notice =
                        Some(lang.tf(T::RulesLoaded, &[("file", &path.display().to_string())]));
                    Some(rules_change(map, rules, overrides))
                }
                Err(e) => {
                    self.error = Some(e.to_string());
                    None
                }
            },
            Edit::SaveRules(path) => {
                match write_rules(&path, &map.rules, &map.overrides) {
                    Ok(()) => self.notice = Some(saved(lang, &path)),
                    Err(e) => self.error = Some(e.to_string()),
                }
                None
            }
            Edit::SaveMap(path) => {
                match write_geojson(&path, &map.export()) {
                    Ok(()) => self.notice = Some(saved(lang, &path)),
                    Err(e) => self.error = Some(e.describe(lang)),
                }
                None
            }
            Edit::AddMeasure(mut measure) => {
                measure.uid = (self.new_uid)();
                // A project numbers its measures in the writing transaction.
                measure.id = if map.store.is_some() {
                    0
                } else {
                    map.measures.next_id()
                };
                measure.created = now;
                measure.changed = now;
                Some(Change::Measure {
                    uid: measure.uid,
                    before: None,
                    after: Some(measure),
                })
            }
            Edit::UpdateMeasure(mut measure) => {
                let base = self.draft_base.take().filter(|b| b.uid == measure.uid);
                let current = map.measures.get(measure.uid).cloned();
                if let (Some(base), Some(store)) = (base, &map.store)
                    && current.as_ref() != Some(&base)
                {
                    // Another writer changed (or deleted) it while the form was open.
                    measure.created = base.created;
                    measure.changed = now;
                    let item = Item::Measure(measure.uid);
                    map.saving.conflicts.push(Conflict {
                        theirs_revision: store.known(&item),
                        item,
                        base: Some(ItemValue::Measure(Box::new(base))),
                        theirs: current.map(|m| ItemValue::Measure(Box::new(m))),
                        mine: Some(ItemValue::Measure(measure)),
                    });
                    self.rebuild_scene();
                    return;
                }
                match current {
                    Some(old) if differs(&old, &measure) => {
                        measure.created = old.created;
                        measure.id = old.id;
                        measure.changed = now;
                        Some(Change::Measure {
                            uid: measure.uid,
                            before: Some(Box::new(old)),
                            after: Some(measure),
                        })
                    }
                    _ => None,
                }
            }
            Edit::DeleteMeasure(uid) => map.measures.get(uid).map(|old| Change::Measure {
                uid,
                before: Some(Box::new(old.clone())),
                after: None,
            }),
            step @ (Edit::Undo | Edit::Redo) => {
                self.step_history(step == Edit::Redo);
                return;
            }
            Edit::SaveProjectAs(path) => {
                self.save_project_as(&path);
                return;
            }
            Edit::ExportMeasures(path) => {
                match measures_table::write_measures(&path, map.measures.all(), lang) {
                    Ok(notes) if notes.is_empty() => self.notice = Some(saved(lang, &path)),
                    Ok(notes) => {
                        self.notice = Some(saved(lang, &path));
                        self.error =
                            Some(format!("{}\n\n{}", saved(lang, &path), notes.join("\n")));
                    }
                    Err(e) => self.error = Some(e.describe(lang)),
                }
                return;
            }
            Edit::ImportMeasures(path) => {
                self.import_measures(&path, now);
                return;
            }
        };
        if let Some(change) = change {
            self.record(change);
        }
        self.rebuild_scene();
    }

    /// Applies a new change, keeps it for undo and saves its items.
    fn record(&mut self, change: Change) {
        let Some(map) = self.map.as_mut() else {
            return;
        };
        let items = items_of(map, &change);
        set_state(map, &change, true);
        self.history.record(change);
        self.save_items(items);
    }

    /// Undo (`forward` false) or redo: refused with a message when another writer changed
    /// what the step touches.
    fn step_history(&mut self, forward: bool) {
        let lang = self.lang();
        let stepped = if forward {
            self.history.redo()
        } else {
            self.history.undo()
        };
        let Some(map) = self.map.as_mut() else {
            return;
        };
        match stepped {
            Some(Stepped::Apply(change)) => {
                let items = items_of(map, &change);
                set_state(map, &change, forward);
                self.save_items(items);
                self.rebuild_scene();
            }
            Some(Stepped::Refused(_)) => {
                self.error = Some(
                    lang.t(if forward {
                        T::RedoRefused
                    } else {
                        T::UndoRefused
                    })
                    .to_string(),
                );
            }
            None => {}
        }
    }

    /// Saves the view settings into the project (no undo: they are not planners' data; the
    /// last writer wins). A read-only project keeps them on screen only.
    pub(super) fn persist_view(&mut self) {
        if self
            .map
            .as_ref()
            .is_some_and(|m| m.store.as_ref().is_some_and(|s| s.read_only().is_none()))
        {
            self.save_items(vec![(Item::ViewSettings, None)]);
        }
    }

    /// Saves a saved view that was added, changed or deleted (before: its value until now).
    pub(super) fn persist_saved_view(&mut self, uid: Uid, before: Option<ItemValue>) {
        self.save_items(vec![(Item::View(uid), before)]);
    }

    /// Writes everything on screen (unsaved items included) into a new project file and
    /// continues there: nothing is unsaved any more.
    fn save_project_as(&mut self, path: &Path) {
        let lang = self.lang();
        let view = self.stored_view();
        let Some(map) = self.map.as_mut() else {
            return;
        };
        let result = {
            let content = ProjectContent {
                map: map.export(),
                measures: &map.measures,
                view: &view,
            };
            project::create(path, &content)
        };
        match result {
            Ok((store, numbers)) => {
                map.store = Some(Box::new(store));
                map.saving = Default::default();
                map.path = Some(path.to_path_buf());
                let numbers: HashMap<Uid, i64> = numbers.into_iter().collect();
                renumber(map, &numbers);
                self.history.set_numbers(&numbers);
                self.notice = Some(saved(lang, path));
                self.remember_recent(path.to_path_buf());
            }
            Err(e) => self.error = Some(e.describe(lang)),
        }
    }

    /// Starts importing a measure list in the background (one transaction, one undo step).
    fn import_measures(&mut self, path: &Path, now: crate::model::Timestamp) {
        let lang = self.lang();
        if self.import_job.is_some() {
            self.error = Some(lang.t(T::ImportRunning).to_string());
            return;
        }
        let Some(map) = self.map.as_ref() else {
            return;
        };
        let store = match map.store.as_ref().map(|s| s.second(IMPORT_LOCK_WAIT)) {
            None => None,
            Some(Ok(second)) => Some(second),
            Some(Err(e)) => {
                self.error = Some(format!(
                    "{} {}",
                    e.describe(lang),
                    lang.tf(
                        T::WindowNothingTaken,
                        &[("n", "0"), ("file", &path.display().to_string())]
                    )
                ));
                return;
            }
        };
        let input = super::import_job::ImportInput {
            region: Arc::clone(&map.region),
            existing: map.measures.clone(),
            indicators: Arc::clone(&map.indicators),
            rules: map.rules.clone(),
            overrides: map.overrides.clone(),
            classification: Arc::clone(&map.classification),
            to_lonlat: map.to_lonlat.clone(),
            store,
            new_uid: self.new_uid,
            now,
            next_number: map.measures.next_id(),
        };
        let waker = Arc::clone(&self.waker);
        self.import_job = Some(super::import_job::ImportJob::start(
            path.to_path_buf(),
            input,
            lang,
            move || waker(),
        ));
    }

    /// Takes the result of a finished measure import. Call once per frame.
    pub fn poll_import(&mut self) {
        let lang = self.lang();
        let Some(job) = &self.import_job else {
            return;
        };
        let Some(outcome) = job.poll() else {
            return;
        };
        let project = job.project.clone();
        self.import_job = None;
        match outcome {
            super::import_job::ImportOutcome::Failed(message) => {
                self.error = Some(message);
                self.error_title = Some(T::ImportFailedTitle);
            }
            super::import_job::ImportOutcome::Done {
                added,
                written,
                report,
            } => {
                let Some(map) = self.map.as_mut() else {
                    return;
                };
                // The map shown may be another one by now: the list is in its file anyway.
                let same = map.store.as_ref().map(|s| s.project_id().to_string()) == project;
                if !same {
                    self.notice = Some(report.summary(lang));
                    return;
                }
                if !added.is_empty() {
                    let change = Change::Measures { added };
                    match map.store.as_mut() {
                        Some(store) => {
                            // Already in the file: on screen and for undo, not written again.
                            store.learn(&written);
                            set_state(map, &change, true);
                            self.history.record(change);
                        }
                        None => self.record(change),
                    }
                }
                self.notice = Some(report.summary(lang));
                self.measure_import = Some(report);
                self.windows.measure_import = true;
                self.rebuild_scene();
            }
        }
    }

    /// The view settings as stored in a project.
    pub fn stored_view(&self) -> crate::io::store::StoredView {
        let mut stored = super::view_store::to_stored(&self.view);
        if let Some(map) = &self.map {
            stored.views.clone_from(&map.saved_views);
        }
        stored
    }
}

/// How long the import thread waits for another writer's lock.
const IMPORT_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(15);

/// Whether an edit changes anything but the timestamps.
fn differs(old: &Measure, new: &Measure) -> bool {
    let mut a = old.clone();
    a.changed = new.changed;
    a.created = new.created;
    a != *new
}

fn saved(lang: Lang, path: &Path) -> String {
    lang.tf(T::Saved, &[("file", &path.display().to_string())])
}

fn rules_change(map: &super::LoadedMap, rules: RuleSet, overrides: Vec<Override>) -> Change {
    Change::Rules {
        before: Box::new((map.rules.clone(), map.overrides.clone())),
        after: Box::new((rules, overrides)),
    }
}

fn indicators_change(map: &super::LoadedMap, after: IndicatorTable, values: bool) -> Change {
    Change::Indicators {
        before: Arc::clone(&map.indicators),
        after: Arc::new(after),
        values,
    }
}

/// The items a change touches, each with its value before the change.
fn items_of(map: &super::LoadedMap, change: &Change) -> Vec<(Item, Option<ItemValue>)> {
    change
        .items()
        .into_iter()
        .map(|item| {
            let before = current_value(map, &item);
            (item, before)
        })
        .collect()
}

/// Sets the map to the state after (`forward`) or before a change.
fn set_state(map: &mut super::LoadedMap, change: &Change, forward: bool) {
    match change {
        Change::Measure { uid, before, after } => {
            match if forward { after } else { before } {
                Some(m) => {
                    map.measures.put((**m).clone());
                }
                None => {
                    map.measures.remove(*uid);
                }
            }
            map.recount();
        }
        Change::Measures { added } => {
            if forward {
                map.measures.put_many(added.clone());
            } else {
                let uids: HashSet<Uid> = added.iter().map(|m| m.uid).collect();
                let kept: Vec<Measure> = map
                    .measures
                    .all()
                    .iter()
                    .filter(|m| !uids.contains(&m.uid))
                    .cloned()
                    .collect();
                let next = map.measures.next_id();
                map.measures = crate::model::MeasureRegister::from_measures(kept, next);
            }
            map.recount();
        }
        Change::Rules { before, after } => {
            let (rules, overrides) = if forward { &**after } else { &**before };
            map.rules = rules.clone();
            map.overrides = overrides.clone();
            map.reclassify();
        }
        Change::Indicators { before, after, .. } => {
            map.indicators = Arc::clone(if forward { after } else { before });
            map.refresh();
        }
    }
}

/// Reads and joins a table; returns the indicator table with it merged.
fn joined_table(
    map: &super::LoadedMap,
    path: &Path,
    options: &JoinOptions,
    lang: Lang,
) -> Result<(IndicatorTable, JoinReport), String> {
    let table = read_table(path).map_err(|e| e.describe(lang))?;
    let (joined, report) = join_table(&map.region, &map.indicators, &table, options)
        .map_err(|e| e.describe(&table.file, lang))?;
    let mut after = (*map.indicators).clone();
    merge_joined(&mut after, joined);
    Ok((after, report))
}
