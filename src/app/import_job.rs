//! Importing a measure list from the window runs on its own thread: a list of 100,000 rows
//! is read, checked and written in one transaction (through a second connection to the
//! project) while the window stays usable and the status bar shows how far it got.
//!
//! The import is all or nothing: when the transaction commits, the measures go on screen as
//! one undo step; when it fails (full disk, lock), none of them is in the file and none is
//! shown, and the message says so.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::analysis::rules::Classification;
use crate::i18n::{Lang, T, format};
use crate::io::export_geojson::MapExport;
use crate::io::measures_table::{MeasureImportReport, read_measures};
use crate::io::store::{Item, Outcome, ProjectContent, Store, StoredView};
use crate::model::{
    IndicatorTable, Measure, MeasureRegister, Override, Region, RuleSet, Timestamp, Uid,
};
use crate::spatial::crs::Transformer;
use crate::ui::command::Window;

/// The name of the import thread.
pub const THREAD_NAME: &str = "measure-import";

/// How far an import got: rows written of all rows (0 of 0 while the list is read).
#[derive(Debug, Default)]
pub struct ImportProgress {
    /// Measures written so far.
    pub written: AtomicUsize,
    /// Measures to write (0 until the list is read).
    pub total: AtomicUsize,
}

/// What a finished import hands back.
#[derive(Debug)]
pub enum ImportOutcome {
    /// In the file (when the map is a project) with these numbers and revisions.
    Done {
        /// The measures, numbered.
        added: Vec<Measure>,
        /// The revision of each, for the window's store.
        written: Vec<(Item, u64)>,
        /// What was taken and what not.
        report: MeasureImportReport,
    },
    /// Nothing was taken: the message.
    Failed(String),
}

/// A running import.
#[derive(Debug)]
pub struct ImportJob {
    receiver: Receiver<ImportOutcome>,
    /// The list.
    pub file: PathBuf,
    /// How far it got.
    pub progress: Arc<ImportProgress>,
    /// The project it writes to (its id), or None without a project.
    pub project: Option<String>,
}

/// What the import thread needs of the map.
pub struct ImportInput {
    /// The areas (codes are checked).
    pub region: Arc<Region>,
    /// The measures already there (rows equal to one are not taken twice).
    pub existing: MeasureRegister,
    /// For the layer's counts and the project content.
    pub indicators: Arc<IndicatorTable>,
    /// Rules, for the project content.
    pub rules: RuleSet,
    /// Overrides, for the project content.
    pub overrides: Vec<Override>,
    /// Classification, for the project content.
    pub classification: Arc<Classification>,
    /// For the project content.
    pub to_lonlat: Option<Arc<Transformer>>,
    /// A second connection to the project, or None without a project.
    pub store: Option<Box<dyn Store>>,
    /// Gives each measure its stable id.
    pub new_uid: fn() -> Uid,
    /// When the measures were created.
    pub now: Timestamp,
    /// The first number, for a map without a project (which numbers its measures itself).
    pub next_number: i64,
}

impl ImportJob {
    /// Starts the import; `wake` is called when it is done and while it writes.
    pub fn start(
        file: PathBuf,
        input: ImportInput,
        lang: Lang,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> ImportJob {
        let (sender, receiver) = channel();
        let progress = Arc::new(ImportProgress::default());
        let project = input.store.as_ref().map(|s| s.project_id().to_string());
        let job = ImportJob {
            receiver,
            file: file.clone(),
            progress: Arc::clone(&progress),
            project,
        };
        let work = move || {
            let outcome = run(&file, input, &progress, lang, &wake);
            let _ = sender.send(outcome);
            wake();
        };
        if let Err(e) = std::thread::Builder::new()
            .name(THREAD_NAME.into())
            .spawn(work)
        {
            let (failed, receiver) = channel();
            let _ = failed.send(ImportOutcome::Failed(e.to_string()));
            return ImportJob { receiver, ..job };
        }
        job
    }

    /// The outcome, once there is one. A thread that ended without one (a bug) is a
    /// failure with the panic's text.
    pub fn poll(&self) -> Option<ImportOutcome> {
        match self.receiver.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(ImportOutcome::Failed(
                super::crash::take_last_of(THREAD_NAME).unwrap_or_else(|| "?".into()),
            )),
        }
    }
}

fn run(
    file: &std::path::Path,
    input: ImportInput,
    progress: &ImportProgress,
    lang: Lang,
    wake: &(dyn Fn() + Send + Sync),
) -> ImportOutcome {
    let ImportInput {
        region,
        existing,
        indicators,
        rules,
        overrides,
        classification,
        to_lonlat,
        store,
        new_uid,
        now,
        next_number,
    } = input;
    let (measures, report) = match read_measures(file, &region, &existing, lang) {
        Ok(read) => read,
        Err(e) => return ImportOutcome::Failed(e.describe(lang)),
    };
    drop(existing);
    // Without a project the window numbers them; a project numbers them as it writes.
    let first_number = store.is_none().then_some(next_number);
    let added = stamped(measures, new_uid, first_number, now);
    progress.total.store(added.len(), Ordering::Relaxed);
    wake();
    let Some(mut store) = store else {
        return ImportOutcome::Done {
            added,
            written: Vec::new(),
            report,
        };
    };
    if added.is_empty() {
        return ImportOutcome::Done {
            added,
            written: Vec::new(),
            report,
        };
    }
    let items: Vec<(Item, u64)> = added.iter().map(|m| (Item::Measure(m.uid), 0)).collect();
    let register = MeasureRegister::from_measures(added, 1);
    let view = StoredView::default();
    let result = {
        let content = ProjectContent {
            map: MapExport {
                region: &region,
                indicators: &indicators,
                rules: &rules,
                overrides: &overrides,
                classification: &classification,
                to_lonlat: to_lonlat.as_deref(),
                measures: Some(&register),
            },
            measures: &register,
            view: &view,
        };
        let mut report_progress = |done: usize| {
            progress.written.store(done, Ordering::Relaxed);
            wake();
        };
        store.write_with_progress(&items, &content, Some(&mut report_progress))
    };
    let outcomes = match result {
        Ok(o) => o,
        Err(e) => {
            return ImportOutcome::Failed(format!(
                "{} {}",
                e.describe(lang),
                lang.tf(
                    T::WindowNothingTaken,
                    &[
                        ("n", &format::count(items.len(), lang)),
                        ("file", &file.display().to_string())
                    ]
                )
            ));
        }
    };
    let (added, written) = as_written(&register, items, outcomes);
    ImportOutcome::Done {
        added,
        written,
        report,
    }
}

/// New ids for the measures read, numbers from `first_number` on (None: the project gives
/// them), and `now` as their times where the list had none.
fn stamped(
    measures: Vec<Measure>,
    new_uid: fn() -> crate::model::Uid,
    first_number: Option<i64>,
    now: Timestamp,
) -> Vec<Measure> {
    measures
        .into_iter()
        .enumerate()
        .map(|(k, mut m)| {
            m.uid = new_uid();
            m.id = first_number.map_or(0, |n| n + k as i64);
            if m.created.0 == 0 {
                m.created = now;
            }
            if m.changed.0 == 0 {
                m.changed = now;
            }
            m
        })
        .collect()
}

/// The measures with the numbers the project gave them, and the items it wrote with their
/// revisions.
fn as_written(
    register: &MeasureRegister,
    items: Vec<(Item, u64)>,
    outcomes: Vec<Outcome>,
) -> (Vec<Measure>, Vec<(Item, u64)>) {
    let mut numbers = std::collections::HashMap::new();
    let mut written = Vec::with_capacity(items.len());
    for ((item, _), outcome) in items.into_iter().zip(outcomes) {
        if let (Item::Measure(uid), Outcome::Written { revision, number }) = (&item, &outcome) {
            if let Some(n) = number {
                numbers.insert(*uid, *n);
            }
            written.push((item, *revision));
        }
    }
    let added = register
        .all()
        .iter()
        .cloned()
        .map(|mut m| {
            if let Some(n) = numbers.get(&m.uid) {
                m.id = *n;
            }
            m
        })
        .collect();
    (added, written)
}

/// How long the import thread waits for another writer's lock.
const IMPORT_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(15);

impl super::AppState {
    /// Starts importing a measure list in the background (one transaction, one undo step).
    pub(super) fn import_measures(&mut self, path: &std::path::Path, now: Timestamp) {
        let lang = self.lang();
        if self.import_job.is_some() {
            self.error = Some(lang.t(T::ImportRunning).to_string());
            return;
        }
        let Some(doc) = self.map.as_ref() else {
            return;
        };
        let store = match self.store.as_ref().map(|s| s.second(IMPORT_LOCK_WAIT)) {
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
        let input = ImportInput {
            region: Arc::clone(&doc.region),
            existing: doc.measures.clone(),
            indicators: Arc::clone(&doc.indicators),
            rules: doc.rules.clone(),
            overrides: doc.overrides.clone(),
            classification: Arc::clone(&doc.classification),
            to_lonlat: doc.to_lonlat.clone(),
            store,
            new_uid: self.new_uid,
            now,
            next_number: doc.measures.next_id(),
        };
        let waker = Arc::clone(&self.waker);
        self.import_job = Some(ImportJob::start(
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
            ImportOutcome::Failed(message) => {
                self.error = Some(message);
                self.error_title = Some(T::ImportFailedTitle);
            }
            ImportOutcome::Done {
                added,
                written,
                report,
            } => {
                // The map shown may be another one by now: the list is in its file anyway.
                let same = self.store.as_ref().map(|s| s.project_id().to_string()) == project;
                if !same {
                    self.notice = Some(report.summary(lang));
                    return;
                }
                if !added.is_empty() {
                    match self.store.as_mut() {
                        Some(store) => {
                            // Already in the file: on screen and for undo, not written again.
                            store.learn(&written);
                            if let Some(doc) = self.map.as_mut()
                                && let Some(change) = crate::document::edit::apply(
                                    doc,
                                    crate::document::edit::Edit::AddMeasures(added),
                                )
                            {
                                self.history.record(change);
                            }
                        }
                        None => self.edit(crate::document::edit::Edit::AddMeasures(added)),
                    }
                }
                self.notice = Some(report.summary(lang));
                self.measure_import = Some(report);
                self.windows.set(Window::MeasureImport, true);
                self.rebuild_scene();
            }
        }
    }
}
