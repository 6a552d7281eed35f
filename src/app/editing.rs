//! Changes to what planners own: measures, indicators, rules, overrides; undo, redo, saving.
//!
//! Each edit becomes a [`Change`] holding the whole value before and after, is applied, kept
//! for undo, and written to the project file at once when the map is a project. What depends
//! on it (statistics, classification, scene) is recomputed at once: the map recolours with
//! every change. A failed write is reported and the state on screen stays.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::history::Change;
use super::state::AppState;
use crate::i18n::{Lang, T};
use crate::io::export_geojson::write_geojson;
use crate::io::join::{JoinOptions, JoinReport, join_table, merge_joined};
use crate::io::measures_table;
use crate::io::project::{self, ProjectContent};
use crate::io::rules_file::{read_rules, write_rules};
use crate::io::table::read_table;
use crate::model::{ActionField, Indicator, IndicatorTable, Measure, MeasureId, Override, RuleSet};

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
    DeleteMeasure(MeasureId),
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

/// What a change touched, so the store writes just that.
enum Touched {
    Measure { id: MeasureId, present: bool },
    Settings,
    Everything,
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
                measure.id = map.measures.next_id();
                measure.created = now;
                measure.changed = now;
                Some(Change::Measure {
                    id: measure.id,
                    before: None,
                    after: Some(measure),
                })
            }
            Edit::UpdateMeasure(mut measure) => match map.measures.get(measure.id) {
                Some(old) if differs(old, &measure) => {
                    measure.created = old.created;
                    measure.changed = now;
                    Some(Change::Measure {
                        id: measure.id,
                        before: Some(Box::new(old.clone())),
                        after: Some(measure),
                    })
                }
                _ => None,
            },
            Edit::DeleteMeasure(id) => map.measures.get(id).map(|old| Change::Measure {
                id,
                before: Some(Box::new(old.clone())),
                after: None,
            }),
            step @ (Edit::Undo | Edit::Redo) => {
                let forward = step == Edit::Redo;
                let change = if forward {
                    self.history.redo()
                } else {
                    self.history.undo()
                };
                if let (Some(change), Some(map)) = (change, self.map.as_mut()) {
                    let touched = set_state(map, &change, forward);
                    let _ = self.persist(touched);
                    self.rebuild_scene();
                }
                return;
            }
            Edit::SaveProjectAs(path) => {
                self.save_project_as(&path);
                return;
            }
            Edit::ExportMeasures(path) => {
                match measures_table::write_measures(&path, map.measures.all(), lang) {
                    Ok(()) => self.notice = Some(saved(lang, &path)),
                    Err(e) => self.error = Some(e.describe(lang)),
                }
                return;
            }
            Edit::ImportMeasures(path) => {
                self.import_measures(&path, now);
                return;
            }
        };
        if let Some(change) = change
            && let Some(map) = self.map.as_mut()
        {
            let touched = set_state(map, &change, true);
            self.history.record(change);
            let _ = self.persist(touched);
        }
        self.rebuild_scene();
    }

    /// Writes what a change touched to the project file, if the map is a project. A failure
    /// becomes the error message; the state on screen stays.
    fn persist(&mut self, touched: Touched) -> bool {
        let lang = self.lang();
        let view = self.stored_view();
        let Some(map) = self.map.as_mut() else {
            return true;
        };
        let Some(mut store) = map.store.take() else {
            return true;
        };
        let content = ProjectContent {
            map: map.export(),
            measures: &map.measures,
            view: &view,
        };
        let result = match touched {
            Touched::Measure { id, present: true } => match map.measures.get(id) {
                Some(m) => store.put_measure(&content, m),
                None => Ok(()),
            },
            Touched::Measure { id, present: false } => store.remove_measure(&content, id),
            Touched::Settings => store.put_settings(&content),
            Touched::Everything => store.put_everything(&content),
        };
        map.store = Some(store);
        match result {
            Ok(()) => true,
            Err(e) => {
                self.error = Some(e.describe(lang));
                false
            }
        }
    }

    /// Saves the view settings into the project (no undo: they are not planners' data).
    pub(super) fn persist_view(&mut self) {
        if self
            .map
            .as_ref()
            .is_some_and(|m| m.store.as_ref().is_some_and(|s| s.read_only().is_none()))
        {
            let _ = self.persist(Touched::Settings);
        }
    }

    fn save_project_as(&mut self, path: &Path) {
        let lang = self.lang();
        let view = self.stored_view();
        let Some(map) = self.map.as_mut() else {
            return;
        };
        let content = ProjectContent {
            map: map.export(),
            measures: &map.measures,
            view: &view,
        };
        match project::create(path, &content) {
            Ok(store) => {
                map.store = Some(store);
                map.path = Some(path.to_path_buf());
                self.notice = Some(saved(lang, path));
                self.remember_recent(path.to_path_buf());
            }
            Err(e) => self.error = Some(e.describe(lang)),
        }
    }

    fn import_measures(&mut self, path: &Path, now: crate::model::Timestamp) {
        let lang = self.lang();
        let Some(map) = self.map.as_mut() else {
            return;
        };
        match measures_table::read_measures(path, &map.region, &map.measures, lang) {
            Ok((measures, report)) => {
                for mut m in measures {
                    let Some(map) = self.map.as_mut() else {
                        break;
                    };
                    m.id = map.measures.next_id();
                    if m.created.0 == 0 {
                        m.created = now;
                    }
                    if m.changed.0 == 0 {
                        m.changed = now;
                    }
                    let change = Change::Measure {
                        id: m.id,
                        before: None,
                        after: Some(Box::new(m)),
                    };
                    if let Some(map) = self.map.as_mut() {
                        let touched = set_state(map, &change, true);
                        self.history.record(change);
                        if !self.persist(touched) {
                            break;
                        }
                    }
                }
                self.notice = Some(report.summary(lang));
                self.measure_import = Some(report);
                self.windows.measure_import = true;
            }
            Err(e) => self.error = Some(e.describe(lang)),
        }
        self.rebuild_scene();
    }

    /// The view settings as stored in a project.
    pub fn stored_view(&self) -> project::StoredView {
        let mut stored = super::view_store::to_stored(&self.view);
        if let Some(map) = &self.map {
            stored.views.clone_from(&map.saved_views);
        }
        stored
    }
}

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

/// Sets the map to the state after (`forward`) or before a change.
fn set_state(map: &mut super::LoadedMap, change: &Change, forward: bool) -> Touched {
    match change {
        Change::Measure { id, before, after } => {
            let target = if forward { after } else { before };
            match target {
                Some(m) => {
                    map.measures.put((**m).clone());
                }
                None => {
                    map.measures.remove(*id);
                }
            }
            map.recount();
            Touched::Measure {
                id: *id,
                present: target.is_some(),
            }
        }
        Change::Rules { before, after } => {
            let (rules, overrides) = if forward { &**after } else { &**before };
            map.rules = rules.clone();
            map.overrides = overrides.clone();
            map.reclassify();
            Touched::Settings
        }
        Change::Indicators {
            before,
            after,
            values,
        } => {
            map.indicators = Arc::clone(if forward { after } else { before });
            map.refresh();
            // A catalogue edit changes labels and units (settings), never the layer's columns.
            if *values {
                Touched::Everything
            } else {
                Touched::Settings
            }
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
