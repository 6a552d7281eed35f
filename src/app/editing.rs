//! The app's side of an edit: a document [`Edit`] is stamped (a new measure gets its uid,
//! number and times), applied through [`crate::document::edit::apply`], kept for undo, and
//! its items handed to the outbox ([`super::saving`]), which writes them to the project at
//! once when the map is a project. Undo and redo go the same way. File operations the user
//! asks for (rules in and out, the map as GeoJSON, the project under a new name, a table
//! to join, measure lists) are here too; their results are edits like any other.
//!
//! A failed write is reported, the state on screen stays, and the items stay unsaved until
//! a write succeeds.

use std::collections::HashMap;
use std::path::Path;

use super::state::AppState;
use crate::analysis::join::{JoinOptions, JoinReport, join_table, merge_joined_with};
use crate::document::Document;
use crate::document::edit::{self, Change, Edit};
use crate::document::history::Stepped;
use crate::i18n::{Lang, T};
use crate::io::export_geojson::write_geojson;
use crate::io::measures_table;
use crate::io::project;
use crate::io::rules_file::{check_indicators, read_rules, write_rules};
use crate::io::store::Conflict;
use crate::io::store::{Item, ItemValue, ProjectContent, Rights};
use crate::io::table::read_table;
use crate::model::{IndicatorTable, Uid};
use crate::ui::command::Window;

impl AppState {
    /// Applies a planner's edit; problems become the error message.
    pub(super) fn edit(&mut self, edit: Edit) {
        if let Some(why) = self.refused_by_rights(&edit) {
            self.error = Some(why);
            self.error_title = Some(T::NotAllowedTitle);
            return;
        }
        let now = (self.clock)();
        let Some(doc) = self.map.as_ref() else {
            return;
        };
        let edit = match edit {
            Edit::AddMeasure(mut measure) => {
                measure.uid = (self.new_uid)();
                // A project numbers its measures in the writing transaction.
                measure.id = if self.store.is_some() {
                    0
                } else {
                    doc.measures.next_id()
                };
                measure.created = now;
                measure.changed = now;
                Edit::AddMeasure(measure)
            }
            Edit::UpdateMeasure(mut measure) => {
                measure.changed = now;
                if self.clashes_with_open_form(&measure) {
                    self.rebuild_scene();
                    return;
                }
                Edit::UpdateMeasure(measure)
            }
            other => other,
        };
        if let Some(doc) = self.map.as_mut()
            && let Some(change) = edit::apply(doc, edit)
        {
            self.record(change);
        }
        self.rebuild_scene();
    }

    /// Why the store's rights forbid an edit (a shared register: a municipality changes its
    /// own measures; rules, overrides and the catalogue are the region's and are published
    /// from its project), if they do. The database would refuse it too; this says so before
    /// anything changes on screen.
    fn refused_by_rights(&self, edit: &Edit) -> Option<String> {
        let rights = self.store.as_ref()?.rights();
        if rights == Rights::All {
            return None;
        }
        let doc = self.map.as_ref()?;
        let lang = self.lang();
        let measure_ok = |m: &crate::model::Measure| rights.may_change_measure(m);
        let stored_ok = |uid: Uid| doc.measures.get(uid).is_none_or(measure_ok);
        let allowed = match edit {
            Edit::AddMeasure(m) => measure_ok(m),
            Edit::UpdateMeasure(m) => measure_ok(m) && stored_ok(m.uid),
            Edit::AddMeasures(list) => list.iter().all(measure_ok),
            Edit::DeleteMeasure(uid) => stored_ok(*uid),
            _ => {
                return (!rights.may_change_settings())
                    .then(|| lang.t(T::EditRefusedSettings).to_string());
            }
        };
        if allowed {
            return None;
        }
        Some(match &rights {
            Rights::Municipalities(own) => {
                lang.tf(T::EditRefusedMeasure, &[("own", &own.join(", "))])
            }
            _ => lang.t(T::MeasureOnlyRead).to_string(),
        })
    }

    /// A measure saved from a form that was opened before another writer changed (or
    /// deleted) it: a conflict to settle, not a silent overwrite. Returns whether it was one.
    fn clashes_with_open_form(&mut self, measure: &crate::model::Measure) -> bool {
        let base = self
            .measure_form
            .as_mut()
            .and_then(|f| f.base.take())
            .filter(|b| b.uid == measure.uid);
        let (Some(base), Some(store), Some(doc)) = (base, &self.store, &self.map) else {
            return false;
        };
        let current = doc.measures.get(measure.uid).cloned();
        if current.as_ref() == Some(&base) {
            return false;
        }
        let mut mine = measure.clone();
        mine.created = base.created;
        let item = Item::Measure(measure.uid);
        self.saving.conflicts.push(Conflict {
            theirs_revision: store.known(&item),
            item,
            base: Some(ItemValue::Measure(Box::new(base))),
            theirs: current.map(|m| ItemValue::Measure(Box::new(m))),
            mine: Some(ItemValue::Measure(Box::new(mine))),
            kept_here: false,
        });
        true
    }

    /// Keeps a change just made for undo and saves its items.
    fn record(&mut self, change: Change) {
        let items = change.leaving(true);
        self.history.record(change);
        self.save_items(items);
    }

    /// Undo (`forward` false) or redo: refused with a message when another writer changed
    /// what the step touches.
    pub(super) fn step_history(&mut self, forward: bool) {
        let lang = self.lang();
        let stepped = if forward {
            self.history.redo()
        } else {
            self.history.undo()
        };
        let Some(doc) = self.map.as_mut() else {
            return;
        };
        match stepped {
            Some(Stepped::Apply(change)) => {
                let step = change.describe(lang);
                self.notice = Some(lang.tf(
                    if forward {
                        T::RedoneNotice
                    } else {
                        T::UndoneNotice
                    },
                    &[("step", &step)],
                ));
                let items = change.leaving(forward);
                edit::step(doc, &change, forward);
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
        if self.store.as_ref().is_some_and(|s| s.read_only().is_none()) {
            self.save_items(vec![(Item::ViewSettings, None)]);
        }
    }

    /// Saves a saved view that was added, changed or deleted (before: its value until now).
    pub(super) fn persist_saved_view(&mut self, uid: Uid, before: Option<ItemValue>) {
        self.save_items(vec![(Item::View(uid), before)]);
    }

    /// Joins a table to the areas: its values become a document edit.
    pub(super) fn import_table(
        &mut self,
        path: &Path,
        mut options: JoinOptions,
        crosswalk: Option<(std::path::PathBuf, String)>,
    ) {
        let lang = self.lang();
        let Some(doc) = self.map.as_ref() else {
            return;
        };
        if let Some((file, weight)) = crosswalk {
            match read_crosswalk(&file, &weight, lang) {
                Ok(c) => options.crosswalk = Some(c),
                Err(message) => {
                    self.error = Some(message);
                    return;
                }
            }
        }
        let options = &options;
        match joined_table(doc, path, options, lang) {
            Ok((after, report)) => {
                self.notice = Some(lang.tf(
                    T::TableImported,
                    &[
                        ("n", &report.indicators.len().to_string()),
                        ("areas", &report.matched_areas.to_string()),
                    ],
                ));
                self.join_report = Some(report);
                self.windows.set(Window::JoinReport, true);
                self.windows.set(Window::ImportTable, false);
                self.edit(Edit::ReplaceIndicators(Box::new(after)));
            }
            Err(message) => self.error = Some(message),
        }
    }

    /// Adds a composite index (or replaces the one with its key) as one undoable change of the
    /// indicators, and shows its map.
    pub(super) fn put_index(&mut self, indicator: crate::model::Indicator) {
        let lang = self.lang();
        let Some(doc) = self.map.as_ref() else {
            return;
        };
        let mut after = (*doc.indicators).clone();
        let key = indicator.key.clone();
        let label = indicator.label(lang.is_english()).to_string();
        if let Err(e) = crate::analysis::index::put_index(&mut after, indicator) {
            self.error = Some(e.describe(lang));
            return;
        }
        let with_value = after.position(&key).map_or(0, |p| {
            after
                .column(p)
                .iter()
                .filter(|v| v.number().is_some())
                .count()
        });
        let style = after
            .position(&key)
            .map(|p| crate::scene::IndicatorStyle::for_indicator(&after.indicators()[p]));
        self.edit(Edit::ReplaceIndicators(Box::new(after)));
        self.notice = Some(lang.tf(
            T::IndexCreated,
            &[
                ("label", &label),
                ("n", &crate::i18n::format::count(with_value, lang)),
            ],
        ));
        self.windows.set(Window::IndexBuilder, false);
        if let Some(style) = style {
            self.change_view(|v| v.colouring = crate::scene::Colouring::Indicator(style));
        }
    }

    /// Writes the definition sheet of the index `key` (PDF or text, by extension).
    pub(super) fn save_index_sheet(&mut self, key: &str, path: &Path) {
        let lang = self.lang();
        let Some(doc) = self.map.as_ref() else {
            return;
        };
        let Some(indicator) = doc
            .indicators
            .position(key)
            .map(|p| doc.indicators.indicators()[p].clone())
        else {
            return;
        };
        let lines = crate::export::index_sheet::sheet_lines(doc, &indicator, lang);
        match crate::export::index_sheet::write_sheet(path, &lines, lang) {
            Ok(()) => {
                self.notice =
                    Some(lang.tf(T::IndexSheetSaved, &[("file", &path.display().to_string())]));
            }
            Err(message) => self.error = Some(message),
        }
    }

    /// Reads rules (and overrides) from a TOML file: an edit of both.
    pub(super) fn load_rules(&mut self, path: &Path) {
        let lang = self.lang();
        let file = path.display().to_string();
        let read = read_rules(path).and_then(|(rules, overrides)| {
            let indicators = self
                .map
                .as_ref()
                .map(|m| std::sync::Arc::clone(&m.indicators));
            match indicators {
                Some(table) => check_indicators(&rules, &table, &file).map(|()| (rules, overrides)),
                None => Ok((rules, overrides)),
            }
        });
        match read {
            Ok((rules, overrides)) => {
                self.notice =
                    Some(lang.tf(T::RulesLoaded, &[("file", &path.display().to_string())]));
                self.edit(Edit::SetRulesAndOverrides(Box::new((rules, overrides))));
            }
            Err(e) => self.error = Some(e.describe(lang)),
        }
    }

    /// Writes rules and overrides, the map as GeoJSON, or the measure list to a file.
    pub(super) fn write_file(&mut self, what: FileOut, path: &Path) {
        let lang = self.lang();
        let Some(doc) = self.map.as_ref() else {
            return;
        };
        let result = match what {
            FileOut::Rules => {
                write_rules(path, &doc.rules, &doc.overrides).map_err(|e| e.to_string())
            }
            FileOut::Map => write_geojson(path, &doc.export()).map_err(|e| e.describe(lang)),
            FileOut::Measures => {
                match measures_table::write_measures(path, doc.measures.all(), lang) {
                    Ok(notes) if notes.is_empty() => Ok(()),
                    Ok(notes) => Err(format!("{}\n\n{}", saved(lang, path), notes.join("\n"))),
                    Err(e) => Err(e.describe(lang)),
                }
            }
        };
        match result {
            Ok(()) => self.notice = Some(saved(lang, path)),
            Err(message) => self.error = Some(message),
        }
    }

    /// Writes everything on screen (unsaved items included) into a new project file and
    /// continues there: nothing is unsaved any more.
    pub(super) fn save_project_as(&mut self, path: &Path) {
        let lang = self.lang();
        let view = self.stored_view();
        let Some(doc) = self.map.as_mut() else {
            return;
        };
        let result = {
            let content = ProjectContent {
                map: doc.export(),
                measures: &doc.measures,
                view: &view,
            };
            project::create(path, &content)
        };
        match result {
            Ok((store, numbers)) => {
                self.store = Some(Box::new(store));
                self.saving = Default::default();
                doc.path = Some(path.to_path_buf());
                let numbers: HashMap<Uid, i64> = numbers.into_iter().collect();
                edit::renumber(doc, &numbers);
                self.history.set_numbers(&numbers);
                self.notice = Some(saved(lang, path));
                self.remember_recent(path.to_path_buf());
            }
            Err(e) => self.error = Some(e.describe(lang)),
        }
    }

    /// The view settings as stored in a project.
    pub fn stored_view(&self) -> crate::io::store::StoredView {
        let mut stored = crate::document::view::to_stored(&self.view);
        if let Some(doc) = &self.map {
            stored.views.clone_from(&doc.saved_views);
        }
        stored
    }
}

/// What a file written from the document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOut {
    /// Rules and overrides (TOML).
    Rules,
    /// The map with everything added (GeoJSON).
    Map,
    /// The measure list (CSV or XLSX).
    Measures,
}

fn saved(lang: Lang, path: &Path) -> String {
    lang.tf(T::Saved, &[("file", &path.display().to_string())])
}

/// Reads and joins a table; returns the indicator table with it merged.
fn joined_table(
    doc: &Document,
    path: &Path,
    options: &JoinOptions,
    lang: Lang,
) -> Result<(IndicatorTable, JoinReport), String> {
    let table = read_table(path).map_err(|e| e.describe(lang))?;
    let (joined, report) = join_table(&doc.region, &doc.indicators, &table, options)
        .map_err(|e| e.describe(&table.file, lang))?;
    let mut after = (*doc.indicators).clone();
    let estimated = report.crosswalk.as_ref().map(|c| c.estimated.as_slice());
    merge_joined_with(&mut after, joined, estimated);
    Ok((after, report))
}

/// Reads a crosswalk file; `weight` is "flaeche" (or empty) or an indicator key.
fn read_crosswalk(
    path: &Path,
    weight: &str,
    lang: Lang,
) -> Result<
    (
        crate::analysis::crosswalk::Crosswalk,
        crate::analysis::crosswalk::Weight,
    ),
    String,
> {
    use crate::analysis::crosswalk::{Weight, crosswalk_from_table};
    let table = read_table(path).map_err(|e| e.describe(lang))?;
    let crosswalk = crosswalk_from_table(&table).map_err(|e| e.describe(&table.file, lang))?;
    let weight = match weight.trim() {
        "" | "flaeche" | "fläche" | "area" => Weight::Area,
        key => Weight::Indicator(key.to_string()),
    };
    Ok((crosswalk, weight))
}
