//! `project new`, `measures import`, `measures export`: project files without the window.
//!
//! The same code paths as the window, without it: a project is made by
//! [`crate::io::project::create`] from a [`Document`]; a measure list goes in as one
//! committed write.

use std::path::Path;

use super::{MeasuresAction, ProjectAction};
use crate::document::Document;
use crate::i18n::{Lang, T, format};
use crate::io::console;
use crate::io::measures_table::{read_measures, write_measures};
use crate::io::project::{self, ProjectStore};
use crate::io::register;
use crate::io::rules_file::read_rules;
use crate::io::store::{Item, Outcome, ProjectContent, Store, StoredView};
use crate::io::{Progress, import_file};
use crate::model::Measure;
use crate::spatial::prepared::{Detail, PreparedMap};

/// Runs a `project` subcommand; returns the exit code.
pub fn run_project(action: ProjectAction, lang: Lang) -> i32 {
    let result = match action {
        ProjectAction::New {
            map,
            out,
            join,
            rules,
            import,
        } => (|| -> Result<String, String> {
            let imported = import_file(&map, &import.options(), &Progress::default())
                .map_err(|e| e.describe(lang))?;
            let mut loaded = Document::from_import(imported, None, Detail::Overview);
            let mut notes = Vec::new();
            if !join.indicators.is_empty() {
                let mut merged = (*loaded.indicators).clone();
                notes = super::join_into(&loaded.region, &mut merged, &join, lang)?;
                loaded.indicators = std::sync::Arc::new(merged);
            }
            if let Some(rules_path) = rules {
                let file = rules_path.display().to_string();
                let (r, o) = read_rules(&rules_path)
                    .and_then(|(r, o)| {
                        crate::io::rules_file::check_indicators(&r, &loaded.indicators, &file)
                            .map(|()| (r, o))
                    })
                    .map_err(|e| e.describe(lang))?;
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
        ProjectAction::Publish {
            project: path,
            db,
            schema,
            create_roles,
        } => (|| -> Result<String, String> {
            let (doc, _store) = open(&path, lang, false)?;
            let file = path.display().to_string();
            let failed = |e: register::RegisterError| {
                lang.tf(
                    T::CliPublishFailed,
                    &[("file", &file), ("why", &e.describe(lang))],
                )
            };
            let mut client = connect_asking(&db, lang).map_err(failed)?;
            let done = register::publish(&mut client, &schema, &doc.export(), create_roles)
                .map_err(failed)?;
            Ok(lang.tf(
                T::CliPublished,
                &[
                    ("file", &file),
                    ("schema", &schema),
                    ("areas", &format::count(done.areas, lang)),
                    ("measures", &format::count(done.measures, lang)),
                    ("roles", &format::count(done.roles.len(), lang)),
                ],
            ))
        })(),
    };
    finish(result)
}

fn finish(result: Result<String, String>) -> i32 {
    match result {
        Ok(text) => {
            console::err_line(&text);
            0
        }
        Err(message) => {
            console::err_line(&message);
            2
        }
    }
}

/// Opens a project for the command line (to change it, or only to read it): its document
/// and its store. A damaged file is named as damaged; changes need a writable file.
fn open(path: &Path, lang: Lang, to_change: bool) -> Result<(Document, ProjectStore), String> {
    if project::kind(path) == project::Kind::Other {
        return Err(lang.tf(T::CliNotAProject, &[("file", &path.display().to_string())]));
    }
    let opened = if to_change {
        project::open(path, &Default::default(), &Progress::default())
    } else {
        project::open_to_read(path, &Default::default(), &Progress::default())
    }
    .map_err(|e| e.describe(lang))?;
    // Other writers (the window, a colleague) may hold the lock for a moment: wait longer
    // than the window does, the command line has no screen to keep fluid.
    opened.store.set_lock_wait(CLI_LOCK_WAIT);
    let project::OpenedProject {
        imported,
        measures,
        view,
        store,
    } = opened;
    let doc = Document::from_project_with(
        imported,
        measures,
        view.views,
        path.to_path_buf(),
        Detail::Overview,
        |region| PreparedMap::prepare(region, Detail::Overview, &|_| {}),
    );
    Ok((doc, store))
}

/// Connects to a register; when the server wants a password that neither `.pgpass` nor the
/// environment gave and a person sits at the terminal, asks for it (without echo, as psql
/// does). The password is used for this connection only.
fn connect_asking(db: &str, lang: Lang) -> Result<register::Client, register::RegisterError> {
    use std::io::IsTerminal;
    register::connect_or_ask(db, |who| {
        if !std::io::stdin().is_terminal() {
            return None;
        }
        rpassword::prompt_password(lang.tf(T::CliPasswordPrompt, &[("who", who)])).ok()
    })
}

/// How long the command line waits for another writer's lock.
const CLI_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(15);

/// Adds measures to the project in one transaction: all of them are in the file when this
/// returns Ok (with the numbers the file gave them), none of them when it returns Err.
/// Progress goes to stderr for long lists.
fn add_all(
    map: &mut Document,
    store: &mut ProjectStore,
    measures: Vec<Measure>,
    file: &Path,
    lang: Lang,
) -> Result<Vec<i64>, String> {
    let now = crate::io::clock::now();
    let added: Vec<Measure> = measures
        .into_iter()
        .map(|mut m| {
            m.uid = project::new_uid();
            m.id = 0;
            if m.created.0 == 0 {
                m.created = now;
            }
            if m.changed.0 == 0 {
                m.changed = now;
            }
            m
        })
        .collect();
    let n = added.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    let items: Vec<(Item, u64)> = added.iter().map(|m| (Item::Measure(m.uid), 0)).collect();
    map.measures.put_many(added);
    map.recount();
    let view = StoredView::default();
    if let Some(reason) = store.read_only() {
        return Err(lang.tf(
            T::CliReadOnly,
            &[
                ("file", &store.location()),
                ("why", &reason.why().text(lang)),
            ],
        ));
    }
    let total = format::count(n, lang);
    let mut report = |done: usize| {
        console::err_line(&lang.tf(
            T::CliWriting,
            &[("done", &format::count(done, lang)), ("total", &total)],
        ));
    };
    let result = {
        let content = ProjectContent {
            map: map.export(),
            measures: &map.measures,
            view: &view,
        };
        let progress: &mut dyn FnMut(usize) = &mut report;
        store.write_with_progress(
            &items,
            &content,
            if n >= 5_000 { Some(progress) } else { None },
        )
    };
    let project_file = store.location();
    let outcomes = result.map_err(|e| {
        format!(
            "{} {}",
            e.describe(lang),
            lang.tf(
                T::CliNothingTaken,
                &[
                    ("n", &format::count(n, lang)),
                    ("file", &file.display().to_string())
                ]
            )
        )
    })?;
    let mut numbers = Vec::with_capacity(n);
    for ((item, _), outcome) in items.iter().zip(outcomes) {
        match outcome {
            Outcome::Written { number, .. } => numbers.push(number.unwrap_or(0)),
            // A new id another writer already holds: nothing of theirs is touched.
            Outcome::Conflict { .. } => {
                let title = match item {
                    Item::Measure(uid) => map.measures.get(*uid).map(|m| m.title.clone()),
                    _ => None,
                }
                .unwrap_or_default();
                return Err(lang.tf(
                    T::CliConflict,
                    &[
                        ("project", &project_file),
                        (
                            "item",
                            &lang.tf(T::ItemMeasure, &[("title", &format::short(&title, 60))]),
                        ),
                    ],
                ));
            }
        }
    }
    Ok(numbers)
}

/// Runs a `measures` subcommand; returns the exit code.
pub fn run_measures(action: MeasuresAction, lang: Lang) -> i32 {
    let result = match action {
        MeasuresAction::Export { project, file } => (|| {
            let (map, _store) = open(&project, lang, false)?;
            let notes =
                write_measures(&file, map.measures.all(), lang).map_err(|e| e.describe(lang))?;
            let mut lines = vec![lang.tf(
                T::CliMeasuresExported,
                &[
                    ("n", &format::count(map.measures.len(), lang)),
                    ("file", &file.display().to_string()),
                ],
            )];
            lines.extend(notes.into_iter().map(|n| format!("  {n}")));
            Ok(lines.join("\n"))
        })(),
        MeasuresAction::History { db, schema, file } => (|| {
            let target = file.display().to_string();
            let failed =
                |why: String| lang.tf(T::CliHistoryFailed, &[("file", &target), ("why", &why)]);
            let mut client = connect_asking(&db, lang).map_err(|e| failed(e.describe(lang)))?;
            let (csv, n) = register::history_csv(&mut client, &schema, lang)
                .map_err(|e| failed(e.describe(lang)))?;
            crate::io::atomic::write_atomically(&file, csv.as_bytes())
                .map_err(|e| failed(e.to_string()))?;
            Ok(lang.tf(
                T::CliHistoryWritten,
                &[("n", &format::count(n, lang)), ("file", &target)],
            ))
        })(),
        MeasuresAction::Import { project, file } => (|| {
            let (mut map, mut store) = open(&project, lang, true)?;
            let (measures, report) = read_measures(&file, &map.region, &map.measures, lang)
                .map_err(|e| e.describe(lang))?;
            add_all(&mut map, &mut store, measures, &file, lang)?;
            let mut lines = vec![report.summary(lang)];
            for (line, why) in &report.skipped {
                lines.push(format!("  {} {line}: {why}", lang.t(T::Line)));
            }
            for (line, what) in &report.notes {
                lines.push(format!("  {} {line}: {what}", lang.t(T::Line)));
            }
            Ok(lines.join("\n"))
        })(),
        #[cfg(feature = "test-hooks")]
        MeasuresAction::WriteTest { project, count } => (|| {
            let (mut map, mut store) = open(&project, lang, true)?;
            let codes: Vec<String> = map.region.spaces.iter().map(|s| s.code.clone()).collect();
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
                for number in add_all(&mut map, &mut store, vec![measure], &project, lang)? {
                    console::out(&format!("{number}\n"));
                }
            }
            Ok(String::new())
        })(),
    };
    finish(result)
}
