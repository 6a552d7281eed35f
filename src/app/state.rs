//! The application state and the one place where it changes: [`AppState::apply`].
//!
//! Panels read the state and return [`Command`]s; nothing else writes it (the viewport, pure
//! view state, is the exception: dragging changes it directly). That gives undo, persistence
//! and tests a single seam: a test applies commands and checks the state, without a window.

use std::path::PathBuf;

use super::editing::FileOut;
use super::export_job::{ExportJob, ExportPoll};
use super::loader::{LoadJob, LoadMessage, Opened, Poll};
use crate::analysis::join::JoinReport;
use crate::document::Document;
use crate::document::history::History;
use crate::export::map::MapSnapshot;
use crate::export::request::ExportRequest;
use crate::i18n::{Lang, T};
use crate::io::demo::{DEMO_LABEL, load_demo};
use crate::io::store::ReadOnlyReason;
use crate::io::store::Store;
use crate::io::{ImportError, ImportOptions, Progress};
use crate::model::{Measure, Timestamp};
use crate::scene::{Scene, ViewSettings};
use crate::spatial::prepared::Detail;
use crate::ui::command::{Command, OpenWindows, Window};
use crate::ui::map_view::Camera;

/// What waits for the answer to "measures not saved".
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    /// Closing the window.
    Quit,
    /// Opening another map.
    Open(Box<Command>),
}

/// How long the last load took, measured on the window's side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadTiming {
    /// When the load started.
    pub started: Option<std::time::Instant>,
    /// Until the overview arrived.
    pub overview: Option<std::time::Duration>,
    /// Until the first frame showing it was drawn.
    pub first_frame: Option<std::time::Duration>,
    /// Until the full detail arrived.
    pub full: Option<std::time::Duration>,
}

/// The measure form while it is open. The form edits its own copy and hands the measure
/// back as an edit on saving.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureSession {
    /// The measure the form was opened with (new: filled from the selection).
    pub opened: Measure,
    /// The measure as stored when the form opened it (None: new). A change by another
    /// writer since then becomes a conflict on saving, not an overwrite.
    pub base: Option<Measure>,
    /// Another writer changed the measure since the form opened it.
    pub changed_elsewhere: bool,
    /// Which opening of the form this is (a new one loads `opened` into the form).
    pub generation: u64,
}

/// Everything the app knows.
pub struct AppState {
    /// The document shown, if any.
    pub map: Option<Document>,
    /// Where it is kept, when it is a project.
    pub store: Option<Box<dyn Store>>,
    /// Its unsaved items and conflicts with other writers.
    pub saving: super::saving::Saving,
    /// How it is shown.
    pub view: ViewSettings,
    /// Which part of the map is shown, what it fits next, and the area under the cursor.
    pub camera: Camera,
    /// The area shown in the inspector (the last one clicked).
    pub selection: Option<usize>,
    /// Every selected area (Ctrl+click, rectangle), `selection` included, in selection order.
    pub selected: Vec<usize>,
    /// The scene of the current map and view settings.
    pub scene: Option<Scene>,
    /// Changes whenever `scene` does.
    pub scene_generation: u64,
    /// A load running in the background.
    pub loading: Option<LoadJob>,
    next_job: u64,
    /// An error to show (file that could not be opened).
    pub error: Option<String>,
    /// What failed, as the title of the error message (None: a general title).
    pub error_title: Option<T>,
    /// Open windows.
    pub windows: OpenWindows,
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// The shared register shown (where it is; a password stays out of what is remembered).
    pub register: Option<crate::io::register::Target>,
    /// The shared register being opened.
    register_loading: Option<crate::io::register::Target>,
    /// Timing of the last load, for `SOZIALRAUM_ATLAS_TIMING=1`.
    pub timing: LoadTiming,
    /// A message that something worked (saved, imported).
    pub notice: Option<String>,
    /// The report of the last table import.
    pub join_report: Option<JoinReport>,
    /// The index whose definition sheet is open (its key).
    pub index_sheet: Option<String>,
    /// The report of the last measure import.
    pub measure_import: Option<crate::io::measures_table::MeasureImportReport>,
    /// Undo and redo.
    pub history: History,
    /// An action that would drop measures not saved in a project, waiting for an answer.
    pub pending_discard: Option<Pending>,
    /// The user agreed to close although measures are not saved.
    pub quit_confirmed: bool,
    /// The measure form, while it is open.
    pub measure_form: Option<MeasureSession>,
    /// The user agreed to drop unsaved changes for the command waiting in `pending_discard`.
    discard_confirmed: bool,
    /// Counts the times the measure form was opened.
    forms_opened: u64,
    /// A map export running in the background.
    pub export_job: Option<ExportJob>,
    /// A publication into a register running in the background.
    pub publish_job: Option<super::register::PublishJob>,
    /// A measure list being imported in the background.
    pub import_job: Option<super::import_job::ImportJob>,
    /// The saved view shown last (its name is the title in presentation mode).
    pub current_view: Option<usize>,
    /// Presentation mode: full screen, panels hidden, large text.
    pub presenting: bool,
    /// Whether the status bar shows the technical figures (frame time, vertices drawn).
    pub frame_figures: bool,
    /// The offer to make a project at the first change only a project keeps.
    pub project_offer: ProjectOffer,
    /// "Now", for measure timestamps; tests set a fixed clock.
    pub clock: fn() -> Timestamp,
    /// Gives new measures and views their stable ids (random; tests may count instead).
    pub new_uid: fn() -> crate::model::Uid,
    /// Called by background work to ask for a repaint.
    pub(super) waker: std::sync::Arc<dyn Fn() + Send + Sync>,
}

/// The system clock.
pub fn system_clock() -> Timestamp {
    crate::io::clock::now()
}

/// Whether the window has offered to make a project for the open map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProjectOffer {
    /// Not yet: nothing only a project keeps has been changed.
    #[default]
    NotYet,
    /// Shown now, waiting for an answer.
    Open,
    /// Answered (made, or declined): not asked again for this map.
    Answered,
}
impl AppState {
    /// A state with nothing loaded. `waker` requests a repaint from any thread.
    pub fn new(waker: impl Fn() + Send + Sync + 'static) -> AppState {
        AppState {
            map: None,
            store: None,
            saving: Default::default(),
            view: ViewSettings::default(),
            camera: Camera::default(),
            selection: None,
            selected: Vec::new(),
            scene: None,
            scene_generation: 0,
            loading: None,
            next_job: 1,
            error: None,
            error_title: None,
            windows: OpenWindows::default(),
            recent: Vec::new(),
            register: None,
            register_loading: None,
            timing: LoadTiming::default(),
            notice: None,
            join_report: None,
            index_sheet: None,
            measure_import: None,
            history: History::default(),
            measure_form: None,
            discard_confirmed: false,
            forms_opened: 0,
            pending_discard: None,
            quit_confirmed: false,
            export_job: None,
            publish_job: None,
            import_job: None,
            current_view: None,
            presenting: false,
            frame_figures: false,
            project_offer: ProjectOffer::NotYet,
            clock: system_clock,
            new_uid: crate::io::project::new_uid,
            waker: std::sync::Arc::new(waker),
        }
    }

    /// The language of the UI.
    pub fn lang(&self) -> Lang {
        self.view.lang
    }

    /// Opens the measure form on `draft`; `base` is the measure as stored (None: new).
    fn open_measure_form(&mut self, draft: Measure, base: Option<Measure>) {
        self.forms_opened += 1;
        self.measure_form = Some(MeasureSession {
            opened: draft,
            base,
            changed_elsewhere: false,
            generation: self.forms_opened,
        });
    }

    /// Shows a newly opened map, replacing the old one (with its store and unsaved state).
    fn show_map(&mut self, opened: Opened) {
        let Opened {
            doc: map,
            store,
            view,
        } = opened;
        if let Some(path) = &map.path {
            self.remember_recent(path.clone());
        }
        self.register = if store.as_ref().is_some_and(|s| s.link().is_some()) {
            self.register_loading.take()
        } else {
            None
        };
        if let Some(stored) = view {
            crate::document::view::apply_stored(&mut self.view, &stored, &map.indicators);
        }
        self.current_view = None;
        if let Some(store) = &store
            && store.locked_at_open()
        {
            self.notice = Some(
                self.view
                    .lang
                    .tf(T::ProjectLockedNow, &[("file", &store.location())]),
            );
        }
        if let Some(store) = &store
            && let Some(reason) = store.read_only()
        {
            self.notice = Some(self.view.lang.tf(
                match reason {
                    ReadOnlyReason::Permissions => T::ProjectReadOnly,
                    ReadOnlyReason::Folder => T::ProjectFolderReadOnly,
                    ReadOnlyReason::Locked => T::ProjectLocked,
                    ReadOnlyReason::Damaged => T::ProjectDamaged,
                    ReadOnlyReason::Requested => T::ProjectReadOnly,
                },
                &[("file", &store.location())],
            ));
        }
        self.history.clear();
        self.map = Some(map);
        self.store = store;
        self.project_offer = ProjectOffer::NotYet;
        self.saving = Default::default();
        self.selection = None;
        self.selected.clear();
        self.camera.hover = None;
        self.camera.viewport = None;
        self.rebuild_scene();
    }

    /// Puts a file at the top of the recent files.
    pub fn remember_recent(&mut self, path: PathBuf) {
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(10);
    }

    /// Rebuilds the scene after a change of map or view settings.
    pub fn rebuild_scene(&mut self) {
        self.scene = self
            .map
            .as_ref()
            .map(|m| Scene::build(m.scene_input(), &self.view));
        self.scene_generation += 1;
    }

    /// Whether something on screen is in no file (closing would lose it): unsaved items of
    /// a project, or measures, views and edits of a map that is not a project.
    pub fn has_unsaved(&self) -> bool {
        self.map.as_ref().is_some_and(|m| match &self.store {
            Some(_) => self.saving.has_unsaved(),
            None => {
                !m.measures.is_empty()
                    || !m.saved_views.is_empty()
                    || self.history.has_data_changes()
            }
        })
    }

    /// Applies a command.
    pub fn apply(&mut self, command: Command) {
        let keeps_data = matches!(
            command,
            Command::Edit(_) | Command::SaveView(_) | Command::ImportMeasures(_)
        );
        self.apply_command(command);
        // The first change that only a project can keep: offer to make one, once per map.
        if keeps_data
            && self.store.is_none()
            && self.project_offer == ProjectOffer::NotYet
            && self.has_unsaved()
        {
            self.project_offer = ProjectOffer::Open;
        }
    }

    fn apply_command(&mut self, command: Command) {
        if matches!(
            command,
            Command::Open { .. }
                | Command::OpenRegister(_)
                | Command::OpenDemo
                | Command::ReopenProject
        ) && self.has_unsaved()
            && !std::mem::take(&mut self.discard_confirmed)
        {
            self.pending_discard = Some(Pending::Open(Box::new(command)));
            return;
        }
        match command {
            Command::Open { path, options } => self.open(path, options),
            Command::OpenRegister(target) => self.open_register(target),
            Command::ReloadRegister => self.reload_register(),
            Command::PublishRegister {
                target,
                create_roles,
            } => self.publish_register(target, create_roles),
            Command::OpenDemo => self.open_demo(),
            Command::CancelLoad => {
                if let Some(job) = self.loading.take() {
                    job.progress.cancel();
                }
            }
            Command::ReopenProject => self.reopen_project(),
            Command::ConfirmDiscard(go_on) => self.confirm_discard(go_on),
            Command::Select(selection) => self.select(selection),
            Command::ToggleSelect(i) => self.toggle_select(i),
            Command::SelectMany(areas) => self.select_many(areas),
            Command::ZoomToArea(i) => self.zoom_to_area(i),
            Command::NewMeasure => {
                if let Some(map) = &self.map {
                    let draft = map.draft_for(&self.selected);
                    self.open_measure_form(draft, None);
                }
            }
            Command::EditMeasure(uid) => {
                if let Some(m) = self.map.as_ref().and_then(|m| m.measures.get(uid)) {
                    let m = m.clone();
                    self.open_measure_form(m.clone(), Some(m));
                }
            }
            Command::CloseMeasureForm => self.measure_form = None,
            Command::ResolveConflict(resolution) => self.resolve_conflict(resolution),
            Command::SetBadges(on) => self.change_view(|v| v.show_badges = on),
            Command::SetFrameFigures(on) => self.frame_figures = on,
            Command::AnswerProjectOffer(path) => {
                self.project_offer = ProjectOffer::Answered;
                if let Some(path) = path {
                    self.save_project_as(&path);
                }
            }
            Command::ToggleField(field) => self.change_view(|v| {
                if v.visible_fields.contains(field) {
                    v.visible_fields.remove(field);
                } else {
                    v.visible_fields.insert(field);
                }
            }),
            Command::SetLabels(on) => self.change_view(|v| v.show_labels = on),
            Command::SetBorders(on) => self.change_view(|v| v.show_borders = on),
            Command::SetColouring(colouring) => self.change_view(|v| v.colouring = colouring),
            Command::SetFieldPatterns(on) => self.change_view(|v| v.field_patterns = on),
            Command::SetLanguage(lang) => {
                // The language belongs to the window, not to the project.
                self.view.lang = lang;
                self.rebuild_scene();
            }
            Command::Focus(name) => self.focus(name),
            Command::FitAll => self.camera.viewport = None,
            Command::Present(on) => self.present(on),
            Command::SaveView(name) => self.save_view(name),
            Command::ApplyView(index) => self.apply_view(index),
            Command::DeleteView(index) => self.delete_view(index),
            Command::StepView(step) => self.step_view(step),
            Command::ShowWindow(window, open) => self.windows.set(window, open),
            Command::DismissError => {
                self.error = None;
                self.error_title = None;
            }
            Command::DismissNotice => self.notice = None,
            Command::Edit(edit) => self.edit(edit),
            Command::Undo => self.step_history(false),
            Command::Redo => self.step_history(true),
            Command::SaveProjectAs(path) => self.save_project_as(&path),
            Command::SaveMap(path) => self.write_file(FileOut::Map, &path),
            Command::SaveRules(path) => self.write_file(FileOut::Rules, &path),
            Command::ExportMeasures(path) => self.write_file(FileOut::Measures, &path),
            Command::LoadRules(path) => self.load_rules(&path),
            Command::ImportTable {
                path,
                options,
                crosswalk,
            } => self.import_table(&path, options, crosswalk),
            Command::ImportMeasures(path) => {
                let now = (self.clock)();
                self.import_measures(&path, now);
            }
            Command::Export(request) => self.export(request),
            Command::PutIndex(indicator) => self.put_index(*indicator),
            Command::ShowIndexSheet(key) => {
                self.index_sheet = Some(key);
                self.windows.set(Window::IndexSheet, true);
            }
            Command::SaveIndexSheet { key, path } => self.save_index_sheet(&key, &path),
            Command::SaveReport(request) => {
                let out = request.out.clone();
                if self.background_export(out, move |map, today, lang| {
                    crate::export::report::write(map, &request, today, lang)
                        .map(|m| m.lines().last().unwrap_or_default().to_string())
                }) {
                    self.windows.set(Window::Profiles, false);
                }
            }
            Command::SaveAtlas(request) => {
                let out = request.out.clone();
                if self.background_export(out, move |map, today, lang| {
                    crate::export::atlas::write(map, &request, today, lang)
                }) {
                    self.windows.set(Window::Atlas, false);
                }
            }
        }
    }

    /// Starts loading `path` in the background (a load still running is cancelled).
    fn open(&mut self, path: PathBuf, options: ImportOptions) {
        if let Some(job) = self.loading.take() {
            job.progress.cancel();
        }
        let waker = std::sync::Arc::clone(&self.waker);
        let id = self.next_job;
        self.next_job += 1;
        self.loading = Some(LoadJob::start(id, path, options, move || waker()));
        self.windows.set(Window::Open, false);
    }

    /// Starts opening a shared register in the background (a load still running is
    /// cancelled).
    fn open_register(&mut self, target: crate::io::register::Target) {
        if let Some(job) = self.loading.take() {
            job.progress.cancel();
        }
        self.register_loading = Some(target.clone());
        let waker = std::sync::Arc::clone(&self.waker);
        let id = self.next_job;
        self.next_job += 1;
        self.loading = Some(LoadJob::start_register(id, target, move || waker()));
        self.windows.set(Window::Register, false);
    }

    /// Makes the register's copy anew from the server, when nothing waits in it: the old copy
    /// is kept beside (`….vorher.gpkg`) until the next reload.
    fn reload_register(&mut self) {
        let lang = self.lang();
        let (Some(target), Some(store)) = (self.register.clone(), self.store.as_ref()) else {
            return;
        };
        let waiting = store.link().map_or(0, |l| l.unsent);
        if waiting > 0 || !self.saving.conflicts.is_empty() || self.saving.has_unsaved() {
            self.error = Some(lang.tf(
                T::ReloadWaits,
                &[("n", &crate::i18n::format::count(waiting, lang))],
            ));
            return;
        }
        // The sync thread ends with the store; then the copy steps aside. Nothing is shown
        // until the new copy is open, so no change can be made to a map that goes.
        self.store = None;
        self.map = None;
        self.selection = None;
        self.selected.clear();
        self.rebuild_scene();
        let copy = crate::io::register::copy_path(&target);
        let kept = copy.with_extension("vorher.gpkg");
        if let Err(e) = std::fs::rename(&copy, &kept) {
            self.error = Some(format!("{}: {e}", copy.display()));
            return;
        }
        self.discard_confirmed = true;
        self.apply(Command::OpenRegister(target));
        self.discard_confirmed = false;
    }

    /// Shows the embedded demo map.
    fn open_demo(&mut self) {
        match load_demo(&Progress::default()) {
            Ok(imported) => self.show_map(Opened::plain(Document::from_import(
                imported,
                None,
                Detail::Full,
            ))),
            Err(e) => self.error = Some(format!("{DEMO_LABEL}: {}", e.describe(self.lang()))),
        }
    }

    /// Opens the project file again (after it was moved or replaced).
    fn reopen_project(&mut self) {
        if let Some(path) = self
            .store
            .as_ref()
            .and_then(|s| s.file().map(std::path::Path::to_path_buf))
        {
            // Asked about (or nothing unsaved) already, as this command passed.
            self.discard_confirmed = true;
            self.apply(Command::Open {
                path,
                options: ImportOptions::default(),
            });
            self.discard_confirmed = false;
        }
    }

    /// The answer to "not saved": go on with what waited, or stay.
    fn confirm_discard(&mut self, go_on: bool) {
        match self.pending_discard.take() {
            Some(Pending::Open(command)) if go_on => {
                self.discard_confirmed = true;
                self.apply(*command);
                self.discard_confirmed = false;
            }
            Some(Pending::Quit) if go_on => self.quit_confirmed = true,
            _ => {}
        }
    }

    /// Starts an export of the current map in the background (one at a time).
    fn export(&mut self, request: ExportRequest) {
        if let Some(map) = &self.map
            && self.export_job.is_none()
        {
            let waker = std::sync::Arc::clone(&self.waker);
            self.export_job = Some(ExportJob::start(
                MapSnapshot::of(map),
                self.view.clone(),
                request,
                move || waker(),
            ));
        }
    }

    /// Runs `work` on a copy of the map on the export thread (one export at a time), writing
    /// `out`; its message or error arrives through [`AppState::poll_export`]. False when
    /// there is no map or another export is still running (the dialog then stays open).
    fn background_export(
        &mut self,
        out: std::path::PathBuf,
        work: impl FnOnce(
            &crate::document::Document,
            crate::model::Date,
            crate::i18n::Lang,
        ) -> Result<String, String>
        + Send
        + 'static,
    ) -> bool {
        let Some(map) = &self.map else {
            return false;
        };
        if self.export_job.is_some() {
            return false;
        }
        let map = map.clone();
        let lang = self.lang();
        let waker = std::sync::Arc::clone(&self.waker);
        self.export_job = Some(ExportJob::spawn(
            crate::export::request::ExportTarget::File(out),
            lang,
            move || work(&map, crate::export::map::today(), lang),
            move || waker(),
        ));
        true
    }

    /// Starts publishing the map and its measures into a register (one at a time); the map
    /// is taken now, the network part runs in the background.
    fn publish_register(&mut self, target: crate::io::register::Target, create_roles: bool) {
        let lang = self.lang();
        let Some(map) = &self.map else {
            return;
        };
        if self.publish_job.is_some() {
            return;
        }
        match crate::io::register::Publication::of(&map.export()) {
            Ok(publication) => {
                let waker = std::sync::Arc::clone(&self.waker);
                self.publish_job = Some(super::register::PublishJob::start(
                    publication,
                    target,
                    create_roles,
                    lang,
                    move || waker(),
                ));
                self.windows.set(Window::Publish, false);
            }
            Err(e) => self.error = Some(e.describe(lang)),
        }
    }

    /// Takes the result of a finished publication. Call once per frame.
    pub fn poll_publish(&mut self) {
        let Some(result) = self.publish_job.as_ref().and_then(|j| j.poll()) else {
            return;
        };
        self.publish_job = None;
        match result {
            Ok(message) => self.notice = Some(message),
            Err(message) => {
                self.error = Some(message);
                self.windows.set(Window::Publish, true);
            }
        }
    }

    /// Takes the result of a finished export: a notice, or the error. Call once per frame.
    pub fn poll_export(&mut self) {
        let Some(job) = &self.export_job else {
            return;
        };
        match job.poll() {
            ExportPoll::Running => {}
            ExportPoll::Done(message) => {
                self.notice = Some(message);
                self.export_job = None;
            }
            ExportPoll::Failed(message) => {
                self.error = Some(message);
                self.export_job = None;
            }
        }
    }

    pub(super) fn is_area(&self, i: usize) -> bool {
        self.map.as_ref().is_some_and(|m| i < m.region.spaces.len())
    }

    /// Takes what the background load has produced. Call once per frame.
    pub fn poll_loading(&mut self) {
        let lang = self.lang();
        loop {
            let Some(job) = &mut self.loading else {
                return;
            };
            let message = match job.poll() {
                Poll::Message(m) => m,
                Poll::Empty => return,
                Poll::Finished => {
                    // The thread ended without an answer: it panicked on this file.
                    if !job.overview_done && !job.progress.is_cancelled() {
                        let why = super::crash::take_last_of(super::loader::THREAD_NAME)
                            .unwrap_or_else(|| "?".into());
                        self.error = Some(format!(
                            "{}

{}",
                            lang.tf(
                                T::LoadCrashed,
                                &[("file", &job.path.display().to_string()), ("message", &why)]
                            ),
                            lang.t(T::KeptMap)
                        ));
                    }
                    self.loading = None;
                    return;
                }
            };
            match message {
                LoadMessage::Overview(opened) => {
                    job.overview_done = true;
                    self.timing = LoadTiming {
                        started: Some(job.started),
                        overview: Some(job.started.elapsed()),
                        ..LoadTiming::default()
                    };
                    // Open the report by itself only when features were lost.
                    let skipped = opened.doc.report.skipped();
                    self.show_map(*opened);
                    if skipped > 0 {
                        self.windows.set(Window::Report, true);
                    }
                }
                LoadMessage::Full(prepared) => {
                    self.timing.full = Some(job.started.elapsed());
                    if let Some(map) = &mut self.map {
                        map.prepared = prepared;
                        map.detail = Detail::Full;
                    }
                    self.loading = None;
                }
                LoadMessage::Failed(ImportError::Cancelled) => self.loading = None,
                LoadMessage::Failed(e) => {
                    let lang = self.view.lang;
                    let mut text = e.describe(lang);
                    if self.map.is_some() {
                        text = format!("{text}\n\n{}", lang.t(T::KeptMap));
                    }
                    self.error = Some(text);
                    self.error_title = Some(T::OpenFailedTitle);
                    self.loading = None;
                    // A register that could not be opened: the form comes back (a password
                    // to type, a name to correct).
                    if self.register_loading.take().is_some() {
                        self.windows.set(Window::Register, true);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActionField, ActionFieldSet};
    use crate::scene::Colouring;

    #[test]
    fn a_rules_file_naming_an_unknown_indicator_is_refused_and_the_rules_stay() {
        let mut state = AppState::new(|| {});
        state.apply(Command::OpenDemo);
        let before = state.map.as_ref().map(|m| m.rules.clone());
        let dir = std::env::temp_dir().join(format!("atlas-rules-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("regeln.toml");
        std::fs::write(
            &file,
            "[[feld]]\nnummer = 2\nverknuepfung = \"eine\"\nbedingungen = [\n  { indikator = \"anteil_ue65\", mass = \"wert\", vergleich = \">=\", schwelle = 25 },\n]\n",
        )
        .expect("rules");
        state.apply(Command::LoadRules(file));
        let _ = std::fs::remove_dir_all(&dir);
        let said = state.error.clone().unwrap_or_default();
        assert!(
            said.contains("„anteil_ue65“") && said.contains("Handlungsfeld 2"),
            "{said}"
        );
        assert_eq!(state.map.as_ref().map(|m| m.rules.clone()), before);
    }

    #[test]
    fn a_panic_in_the_loading_thread_is_reported_and_the_map_stays() {
        crate::app::crash::install_hook();
        let mut state = AppState::new(|| {});
        state.apply(Command::OpenDemo);
        state.loading = Some(LoadJob::panicking(
            1,
            PathBuf::from("/daten/kaputt.geojson"),
        ));
        state.poll_loading();
        assert!(state.loading.is_none());
        let message = state.error.take().expect("a message");
        assert!(message.contains("/daten/kaputt.geojson"), "{message}");
        assert!(message.contains("Programmfehler"), "{message}");
        assert!(message.contains("a bug in the importer"), "{message}");
        assert!(message.contains("bleibt geöffnet"), "{message}");
        assert_eq!(state.map.as_ref().expect("map").region.spaces.len(), 93);
    }

    #[test]
    fn the_demo_opens_with_every_field_visible() {
        let mut state = AppState::new(|| {});
        state.apply(Command::OpenDemo);
        let map = state.map.as_ref().expect("demo loaded");
        assert_eq!(map.region.spaces.len(), 93);
        assert_eq!(state.view.visible_fields, ActionFieldSet::all());
        assert!(state.scene.is_some());
    }

    #[test]
    fn toggling_a_field_rebuilds_the_scene_and_legend() {
        let mut state = AppState::new(|| {});
        state.apply(Command::OpenDemo);
        let before = state.scene_generation;
        state.apply(Command::ToggleField(ActionField::Elderly));
        assert!(state.scene_generation > before);
        let legend = &state.scene.as_ref().expect("scene").legend;
        let elderly = legend
            .entries
            .iter()
            .find(|e| e.field == Some(ActionField::Elderly))
            .expect("entry");
        assert!(!elderly.visible);
    }

    #[test]
    fn saved_views_keep_colouring_focus_and_extent_and_step_round() {
        let mut state = AppState::new(|| {});
        state.apply(Command::OpenDemo);
        state.apply(Command::SaveView("Alles".into()));
        state.apply(Command::Focus(Some("Alsdorf".into())));
        assert!(state.camera.fit_to.is_some(), "the view zooms to Alsdorf");
        state.apply(Command::SetColouring(Colouring::Coverage));
        state.apply(Command::SaveView("Alsdorf – Abdeckung".into()));
        state.apply(Command::SaveView("   ".into()));
        let map = state.map.as_ref().expect("map");
        assert_eq!(map.saved_views.len(), 2, "a blank name saves nothing");
        assert_eq!(
            map.saved_views[1].settings.focus.as_deref(),
            Some("Alsdorf")
        );

        state.apply(Command::ApplyView(0));
        assert_eq!(state.view.focus, None);
        assert_eq!(state.view.colouring, Colouring::ActionFields);
        assert_eq!(
            state.camera.fit_to,
            Some(state.map.as_ref().expect("map").saved_views[0].extent)
        );
        state.apply(Command::StepView(1));
        assert_eq!(state.current_view, Some(1));
        assert_eq!(state.view.focus.as_deref(), Some("Alsdorf"));
        assert_eq!(state.view.colouring, Colouring::Coverage);
        state.apply(Command::StepView(1));
        assert_eq!(
            state.current_view,
            Some(0),
            "after the last comes the first"
        );
        state.apply(Command::StepView(-1));
        assert_eq!(state.current_view, Some(1));
        // Saving under an existing name replaces that view.
        state.apply(Command::SaveView("Alles".into()));
        assert_eq!(state.map.as_ref().expect("map").saved_views.len(), 2);
        state.apply(Command::DeleteView(0));
        let names: Vec<&str> = state
            .map
            .as_ref()
            .expect("map")
            .saved_views
            .iter()
            .map(|v| v.name.as_str())
            .collect();
        assert_eq!(names, ["Alsdorf – Abdeckung"]);
        state.apply(Command::Focus(None));
        assert_eq!(state.view.focus, None);
        assert!(
            state.camera.viewport.is_none(),
            "the whole map is shown again"
        );
    }

    #[test]
    fn a_selection_outside_the_map_is_ignored() {
        let mut state = AppState::new(|| {});
        state.apply(Command::OpenDemo);
        state.apply(Command::Select(Some(5)));
        assert_eq!(state.selection, Some(5));
        state.apply(Command::Select(Some(5000)));
        assert_eq!(state.selection, None);
    }
}
