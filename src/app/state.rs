//! The application state and the one place where it changes: [`AppState::apply`].
//!
//! Panels read the state and return [`Command`]s; nothing else writes it (the viewport, pure
//! view state, is the exception: dragging changes it directly). That gives undo, persistence
//! and tests a single seam: a test applies commands and checks the state, without a window.

use std::path::PathBuf;

use super::editing::Edit;
use super::loader::{LoadJob, LoadMessage, LoadedMap, Poll};
use crate::i18n::{Lang, T};
use crate::io::demo::{DEMO_LABEL, load_demo};
use crate::io::join::JoinReport;
use crate::io::{ImportError, ImportOptions, Progress};
use crate::model::ActionField;
use crate::scene::{Colouring, Scene, ViewSettings};
use crate::spatial::prepared::Detail;
use crate::spatial::viewport::Viewport;

/// A change the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open a boundary file in the background.
    Open {
        /// The file.
        path: PathBuf,
        /// Field and CRS choices.
        options: ImportOptions,
    },
    /// Show the embedded demo map.
    OpenDemo,
    /// Stop the running load.
    CancelLoad,
    /// Select an area (None clears the selection).
    Select(Option<usize>),
    /// Hide or show a Handlungsfeld.
    ToggleField(ActionField),
    /// Switch the language.
    SetLanguage(Lang),
    /// Show or hide the code labels.
    SetLabels(bool),
    /// Emphasise municipality borders or not.
    SetBorders(bool),
    /// Fit the whole map into the view.
    FitAll,
    /// Open or close a window.
    ShowWindow(Window, bool),
    /// Close the error message.
    DismissError,
    /// Close the notice.
    DismissNotice,
    /// Colour by the Handlungsfelder or an indicator.
    SetColouring(Colouring),
    /// Change the planners' data.
    Edit(Edit),
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

/// The app's secondary windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The import report.
    Report,
    /// The open-file form.
    Open,
    /// Keyboard shortcuts.
    Shortcuts,
    /// About.
    About,
    /// The rules editor.
    Rules,
    /// Rules against the data's classification.
    Compare,
    /// The list of overrides.
    Overrides,
    /// The indicator catalogue.
    Catalogue,
    /// Importing an indicator table.
    ImportTable,
    /// The last join report.
    JoinReport,
    /// Asking for a file path to save or load.
    Path(PathPurpose),
}

/// What a typed path is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PathPurpose {
    /// Save the map as GeoJSON.
    #[default]
    SaveMap,
    /// Save the rules as TOML.
    SaveRules,
    /// Load rules from TOML.
    LoadRules,
}

/// Which windows are open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenWindows {
    /// The import report.
    pub report: bool,
    /// The open-file form.
    pub open: bool,
    /// Keyboard shortcuts.
    pub shortcuts: bool,
    /// About.
    pub about: bool,
    /// The rules editor.
    pub rules: bool,
    /// The comparison.
    pub compare: bool,
    /// The overrides.
    pub overrides: bool,
    /// The catalogue.
    pub catalogue: bool,
    /// The table import.
    pub import_table: bool,
    /// The join report.
    pub join_report: bool,
    /// The path prompt, if open.
    pub path: Option<PathPurpose>,
}

/// Everything the app knows.
pub struct AppState {
    /// The map shown, if any.
    pub map: Option<LoadedMap>,
    /// How it is shown.
    pub view: ViewSettings,
    /// Which part is shown; None until the map view knows its size and fits the map.
    pub viewport: Option<Viewport>,
    /// The selected area.
    pub selection: Option<usize>,
    /// The area under the cursor.
    pub hover: Option<usize>,
    /// The scene of the current map and view settings.
    pub scene: Option<Scene>,
    /// Changes whenever `scene` does.
    pub scene_generation: u64,
    /// A load running in the background.
    pub loading: Option<LoadJob>,
    next_job: u64,
    /// An error to show (file that could not be opened).
    pub error: Option<String>,
    /// Open windows.
    pub windows: OpenWindows,
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// Timing of the last load, for `SOZIALRAUM_ATLAS_TIMING=1`.
    pub timing: LoadTiming,
    /// A message that something worked (saved, imported).
    pub notice: Option<String>,
    /// The report of the last table import.
    pub join_report: Option<JoinReport>,
    /// Called by background work to ask for a repaint.
    waker: std::sync::Arc<dyn Fn() + Send + Sync>,
}

impl AppState {
    /// A state with nothing loaded. `waker` requests a repaint from any thread.
    pub fn new(waker: impl Fn() + Send + Sync + 'static) -> AppState {
        AppState {
            map: None,
            view: ViewSettings::default(),
            viewport: None,
            selection: None,
            hover: None,
            scene: None,
            scene_generation: 0,
            loading: None,
            next_job: 1,
            error: None,
            windows: OpenWindows::default(),
            recent: Vec::new(),
            timing: LoadTiming::default(),
            notice: None,
            join_report: None,
            waker: std::sync::Arc::new(waker),
        }
    }

    /// The language of the UI.
    pub fn lang(&self) -> Lang {
        self.view.lang
    }

    /// Shows a newly loaded map, replacing the old one.
    fn show_map(&mut self, map: LoadedMap) {
        if let Some(path) = &map.path {
            self.recent.retain(|p| p != path);
            self.recent.insert(0, path.clone());
            self.recent.truncate(10);
        }
        self.map = Some(map);
        self.selection = None;
        self.hover = None;
        self.viewport = None;
        self.rebuild_scene();
    }

    /// Rebuilds the scene after a change of map or view settings.
    pub fn rebuild_scene(&mut self) {
        self.scene = self
            .map
            .as_ref()
            .map(|m| Scene::build(m.scene_input(), &self.view));
        self.scene_generation += 1;
    }

    /// Applies a command.
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::Open { path, options } => {
                if let Some(job) = self.loading.take() {
                    job.progress.cancel();
                }
                let waker = std::sync::Arc::clone(&self.waker);
                let id = self.next_job;
                self.next_job += 1;
                self.loading = Some(LoadJob::start(id, path, options, move || waker()));
                self.windows.open = false;
            }
            Command::OpenDemo => match load_demo(&Progress::default()) {
                Ok(imported) => self.show_map(LoadedMap::from_import(imported, None, Detail::Full)),
                Err(e) => self.error = Some(format!("{DEMO_LABEL}: {}", e.describe(self.lang()))),
            },
            Command::CancelLoad => {
                if let Some(job) = self.loading.take() {
                    job.progress.cancel();
                }
            }
            Command::Select(selection) => {
                self.selection = selection.filter(|i| {
                    self.map
                        .as_ref()
                        .is_some_and(|m| *i < m.region.spaces.len())
                });
            }
            Command::ToggleField(field) => {
                if self.view.visible_fields.contains(field) {
                    self.view.visible_fields.remove(field);
                } else {
                    self.view.visible_fields.insert(field);
                }
                self.rebuild_scene();
            }
            Command::SetLanguage(lang) => {
                self.view.lang = lang;
                self.rebuild_scene();
            }
            Command::SetLabels(on) => {
                self.view.show_labels = on;
                self.rebuild_scene();
            }
            Command::SetBorders(on) => {
                self.view.show_borders = on;
                self.rebuild_scene();
            }
            Command::FitAll => self.viewport = None,
            Command::ShowWindow(window, open) => match window {
                Window::Report => self.windows.report = open,
                Window::Open => self.windows.open = open,
                Window::Shortcuts => self.windows.shortcuts = open,
                Window::About => self.windows.about = open,
                Window::Rules => self.windows.rules = open,
                Window::Compare => self.windows.compare = open,
                Window::Overrides => self.windows.overrides = open,
                Window::Catalogue => self.windows.catalogue = open,
                Window::ImportTable => self.windows.import_table = open,
                Window::JoinReport => self.windows.join_report = open,
                Window::Path(purpose) => self.windows.path = open.then_some(purpose),
            },
            Command::DismissError => self.error = None,
            Command::DismissNotice => self.notice = None,
            Command::SetColouring(colouring) => {
                self.view.colouring = colouring;
                self.rebuild_scene();
            }
            Command::Edit(edit) => self.apply_edit(edit),
        }
    }

    /// Takes what the background load has produced. Call once per frame.
    pub fn poll_loading(&mut self) {
        loop {
            let Some(job) = &mut self.loading else {
                return;
            };
            let message = match job.poll() {
                Poll::Message(m) => m,
                Poll::Empty => return,
                Poll::Finished => {
                    self.loading = None;
                    return;
                }
            };
            match message {
                LoadMessage::Overview(map) => {
                    job.overview_done = true;
                    self.timing = LoadTiming {
                        started: Some(job.started),
                        overview: Some(job.started.elapsed()),
                        ..LoadTiming::default()
                    };
                    // Open the report by itself only when features were lost.
                    let skipped = map.report.skipped();
                    self.show_map(*map);
                    if skipped > 0 {
                        self.windows.report = true;
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
                    self.loading = None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ActionFieldSet;

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
    fn a_selection_outside_the_map_is_ignored() {
        let mut state = AppState::new(|| {});
        state.apply(Command::OpenDemo);
        state.apply(Command::Select(Some(5)));
        assert_eq!(state.selection, Some(5));
        state.apply(Command::Select(Some(5000)));
        assert_eq!(state.selection, None);
    }
}
