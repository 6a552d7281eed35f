//! Changes to what planners own: indicators, rules, overrides, and saving them.
//!
//! Each edit replaces a whole value (the rule set, the indicator table) rather than poking
//! into it, so that undo can later keep the previous value, and recomputes what depends on it
//! (statistics, classification, scene) at once: the map recolours with every change.

use std::path::PathBuf;
use std::sync::Arc;

use super::state::AppState;
use crate::i18n::{Lang, T};
use crate::io::export_geojson::{MapExport, write_geojson};
use crate::io::join::{JoinOptions, JoinReport, join_table, merge_joined};
use crate::io::rules_file::{read_rules, write_rules};
use crate::io::table::read_table;
use crate::model::{ActionField, Indicator, Override, RuleSet};

/// An edit of the planners' data.
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
}

impl AppState {
    /// Applies an edit; problems become the error message, successes a notice.
    pub(super) fn apply_edit(&mut self, edit: Edit) {
        let lang = self.lang();
        let Some(map) = self.map.as_mut() else {
            return;
        };
        match edit {
            Edit::SetRules(rules) => {
                map.rules = rules;
                map.reclassify();
            }
            Edit::SetOverride(o) => {
                map.overrides
                    .retain(|x| !(x.code == o.code && x.field == o.field));
                map.overrides.push(o);
                map.reclassify();
            }
            Edit::RemoveOverride { code, field } => {
                map.overrides
                    .retain(|x| !(x.code == code && x.field == field));
                map.reclassify();
            }
            Edit::SetIndicator {
                position,
                indicator,
            } => {
                Arc::make_mut(&mut map.indicators).set_indicator(position, indicator);
                map.refresh();
            }
            Edit::ImportTable { path, options } => match import_table(map, &path, &options, lang) {
                Ok(report) => {
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
                }
                Err(message) => self.error = Some(message),
            },
            Edit::LoadRules(path) => match read_rules(&path) {
                Ok((rules, overrides)) => {
                    map.rules = rules;
                    map.overrides = overrides;
                    map.reclassify();
                    self.notice =
                        Some(lang.tf(T::RulesLoaded, &[("file", &path.display().to_string())]));
                }
                Err(e) => self.error = Some(e.to_string()),
            },
            Edit::SaveRules(path) => match write_rules(&path, &map.rules, &map.overrides) {
                Ok(()) => {
                    self.notice = Some(lang.tf(T::Saved, &[("file", &path.display().to_string())]));
                }
                Err(e) => self.error = Some(e.to_string()),
            },
            Edit::SaveMap(path) => {
                let Some(to_lonlat) = map.to_lonlat.clone() else {
                    return;
                };
                let export = MapExport {
                    region: &map.region,
                    indicators: &map.indicators,
                    rules: &map.rules,
                    overrides: &map.overrides,
                    classification: &map.classification,
                    to_lonlat: &to_lonlat,
                };
                match write_geojson(&path, &export) {
                    Ok(()) => {
                        self.notice =
                            Some(lang.tf(T::Saved, &[("file", &path.display().to_string())]));
                    }
                    Err(e) => self.error = Some(e.describe(lang)),
                }
            }
        }
        self.rebuild_scene();
    }
}

/// Reads and joins a table into the map's indicators.
fn import_table(
    map: &mut super::LoadedMap,
    path: &std::path::Path,
    options: &JoinOptions,
    lang: Lang,
) -> Result<JoinReport, String> {
    let table = read_table(path).map_err(|e| e.describe(lang))?;
    let (joined, report) = join_table(&map.region, &map.indicators, &table, options)
        .map_err(|e| e.describe(&table.file, lang))?;
    merge_joined(Arc::make_mut(&mut map.indicators), joined);
    map.refresh();
    Ok(report)
}
