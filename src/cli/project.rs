//! `project new`, `measures import`, `measures export`: project files without the window.
//!
//! The same code paths as the window: a project is made by [`crate::io::project::create`]
//! from a [`LoadedMap`], measures are added one committed write at a time.

use std::path::Path;

use super::{MeasuresAction, ProjectAction};
use crate::app::LoadedMap;
use crate::app::state_clock;
use crate::i18n::{Lang, T, format};
use crate::io::join::{join_table, merge_joined};
use crate::io::measures_table::{read_measures, write_measures};
use crate::io::project::{self, ProjectContent, StoredView};
use crate::io::rules_file::read_rules;
use crate::io::table::read_table;
use crate::io::{Progress, import_file};
use crate::model::Measure;
use crate::spatial::prepared::Detail;

/// Runs a `project` subcommand; returns the exit code.
pub fn run_project(action: ProjectAction, lang: Lang) -> i32 {
    let result = match action {
        ProjectAction::New {
            map,
            out,
            indicators,
            join,
            rules,
            import,
        } => (|| -> Result<String, String> {
            let imported = import_file(&map, &import.options(), &Progress::default())
                .map_err(|e| e.describe(lang))?;
            let mut loaded = LoadedMap::from_import(imported, None, Detail::Overview);
            let mut notes = Vec::new();
            if let Some(table_path) = indicators {
                let table = read_table(&table_path).map_err(|e| e.describe(lang))?;
                let options = join.options(lang)?;
                let (joined, report) =
                    join_table(&loaded.region, &loaded.indicators, &table, &options)
                        .map_err(|e| e.describe(&table.file, lang))?;
                let mut merged = (*loaded.indicators).clone();
                merge_joined(&mut merged, joined);
                loaded.indicators = std::sync::Arc::new(merged);
                notes.push(lang.tf(
                    T::TableJoinedSummary,
                    &[
                        ("file", &table.file),
                        ("n", &format::count(report.indicators.len(), lang)),
                        ("areas", &format::count(report.matched_areas, lang)),
                        ("total", &format::count(loaded.region.spaces.len(), lang)),
                    ],
                ));
            }
            if let Some(rules_path) = rules {
                let (r, o) = read_rules(&rules_path).map_err(|e| e.to_string())?;
                loaded.rules = r;
                loaded.overrides = o;
            }
            loaded.refresh();
            let view = StoredView::default();
            let content = ProjectContent {
                map: loaded.export(),
                measures: &loaded.measures,
                view: &view,
            };
            project::create(&out, &content).map_err(|e| e.describe(lang))?;
            notes.push(lang.tf(
                T::CliProjectWritten,
                &[
                    ("file", &out.display().to_string()),
                    ("n", &format::count(loaded.region.spaces.len(), lang)),
                ],
            ));
            Ok(notes.join("\n"))
        })(),
    };
    finish(result)
}

fn finish(result: Result<String, String>) -> i32 {
    match result {
        Ok(text) => {
            eprintln!("{text}");
            0
        }
        Err(message) => {
            eprintln!("{message}");
            2
        }
    }
}

/// Opens a project for the command line: it must be writable for changes.
fn open(path: &Path, lang: Lang) -> Result<LoadedMap, String> {
    if !project::is_project(path) {
        return Err(lang.tf(T::CliNotAProject, &[("file", &path.display().to_string())]));
    }
    let opened = project::open(path, &Default::default(), &Progress::default())
        .map_err(|e| e.describe(lang))?;
    Ok(LoadedMap::from_project(
        opened,
        path.to_path_buf(),
        Detail::Overview,
    ))
}

/// Adds one measure and commits it; the register and the file stay in step.
fn add(map: &mut LoadedMap, mut measure: Measure, lang: Lang) -> Result<i64, String> {
    let now = state_clock();
    measure.id = map.measures.next_id();
    if measure.created.0 == 0 {
        measure.created = now;
    }
    if measure.changed.0 == 0 {
        measure.changed = now;
    }
    let id = measure.id;
    map.measures.put(measure);
    map.recount();
    let view = StoredView::default();
    let Some(mut store) = map.store.take() else {
        return Err(String::new());
    };
    let result = {
        let content = ProjectContent {
            map: map.export(),
            measures: &map.measures,
            view: &view,
        };
        match map.measures.get(id) {
            Some(m) => store.put_measure(&content, m),
            None => Ok(()),
        }
    };
    map.store = Some(store);
    result.map_err(|e| e.describe(lang))?;
    Ok(id)
}

/// Runs a `measures` subcommand; returns the exit code.
pub fn run_measures(action: MeasuresAction, lang: Lang) -> i32 {
    let result = match action {
        MeasuresAction::Export { project, file } => (|| {
            let map = open(&project, lang)?;
            write_measures(&file, map.measures.all(), lang).map_err(|e| e.describe(lang))?;
            Ok(lang.tf(
                T::CliMeasuresExported,
                &[
                    ("n", &format::count(map.measures.len(), lang)),
                    ("file", &file.display().to_string()),
                ],
            ))
        })(),
        MeasuresAction::Import { project, file } => (|| {
            let mut map = open(&project, lang)?;
            let (measures, report) = read_measures(&file, &map.region, &map.measures, lang)
                .map_err(|e| e.describe(lang))?;
            for m in measures {
                add(&mut map, m, lang)?;
            }
            let mut lines = vec![report.summary(lang)];
            for (line, why) in &report.skipped {
                lines.push(format!("  {} {line}: {why}", lang.t(T::Line)));
            }
            for (line, what) in &report.notes {
                lines.push(format!("  {} {line}: {what}", lang.t(T::Line)));
            }
            Ok(lines.join("\n"))
        })(),
        MeasuresAction::WriteTest { project, count } => (|| {
            use std::io::Write;
            let mut map = open(&project, lang)?;
            let codes: Vec<String> = map.region.spaces.iter().map(|s| s.code.clone()).collect();
            let mut stdout = std::io::stdout();
            for k in 0..count {
                let measure = Measure {
                    title: format!("Testmaßnahme {k} – Überprüfung äöüß"),
                    description: "x".repeat(200 + k % 500),
                    areas: codes
                        .get(k % codes.len().max(1))
                        .cloned()
                        .into_iter()
                        .collect(),
                    ..Measure::default()
                };
                let id = add(&mut map, measure, lang)?;
                let _ = writeln!(stdout, "{id}");
                let _ = stdout.flush();
            }
            Ok(String::new())
        })(),
    };
    finish(result)
}
