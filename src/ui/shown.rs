//! What the panels are shown: a read-only view of the application's state, put together by
//! the app for each frame. Panels borrow it and return [`Command`](super::command::Command)s;
//! they never see the store, the outbox or the background jobs themselves, only what a user
//! is told about them.

use std::path::{Path, PathBuf};

use super::command::OpenWindows;
use crate::document::Document;
use crate::export::request::ExportTarget;
use crate::i18n::Lang;
use crate::io::Progress;
use crate::io::store::{LinkStatus, Why};
use crate::scene::{Scene, ViewSettings};
use crate::spatial::viewport::Viewport;

/// The state of one frame, as the panels see it.
#[derive(Clone)]
pub struct Shown<'a> {
    /// The document shown, if any.
    pub map: Option<&'a Document>,
    /// Its scene for the current view settings.
    pub scene: Option<&'a Scene>,
    /// Changes whenever `scene` does (caches key on it).
    pub scene_generation: u64,
    /// How it is shown (language included).
    pub view: &'a ViewSettings,
    /// The part of the map in the map view, once it is known.
    pub viewport: Option<Viewport>,
    /// The area shown in the inspector.
    pub selection: Option<usize>,
    /// Every selected area.
    pub selected: &'a [usize],
    /// The saved view shown last.
    pub current_view: Option<usize>,
    /// Which windows are open.
    pub windows: &'a OpenWindows,
    /// Recently opened files, newest first.
    pub recent: &'a [PathBuf],
    /// Whether there is something to undo.
    pub undo: Option<&'a crate::document::edit::Change>,
    /// Whether there is something to redo.
    pub redo: Option<&'a crate::document::edit::Change>,
    /// Where a running export goes.
    pub exporting: Option<&'a ExportTarget>,
    /// A message that something worked.
    pub notice: Option<&'a str>,
    /// The project file, when the document is kept in one.
    pub project: Option<ProjectStatus<'a>>,
    /// A map being opened in the background.
    pub loading: Option<LoadStatus<'a>>,
    /// A measure list being imported in the background.
    pub importing: Option<ImportStatus<'a>>,
    /// Presentation mode.
    pub presenting: bool,
    /// Whether the status bar shows the technical figures (frame time, vertices drawn).
    pub frame_figures: bool,
}

impl Shown<'_> {
    /// The language of the UI.
    pub fn lang(&self) -> Lang {
        self.view.lang
    }
}

/// Where the planners' data is kept and whether all of it is there.
#[derive(Debug, Clone)]
pub struct ProjectStatus<'a> {
    /// The file's name.
    pub file: String,
    /// Why writing stopped for good (the file was moved or replaced), if it did.
    pub detached: Option<&'a Why>,
    /// The file only reads.
    pub read_only: bool,
    /// Changes not in the file yet (open conflicts included).
    pub unsaved: usize,
    /// Conflicts with another writer waiting for the user.
    pub conflicts: usize,
    /// Why the last write failed, until one succeeds.
    pub failure: Option<&'a Why>,
    /// The link to the server, for a shared register.
    pub link: Option<LinkStatus>,
}

/// A map being opened.
#[derive(Debug, Clone, Copy)]
pub struct LoadStatus<'a> {
    /// The file.
    pub path: &'a Path,
    /// How far it got (shared with the loader).
    pub progress: &'a Progress,
    /// The overview is shown; only the details are still being prepared.
    pub overview_done: bool,
}

/// A measure list being imported.
#[derive(Debug, Clone, Copy)]
pub struct ImportStatus<'a> {
    /// The list.
    pub file: &'a Path,
    /// Measures written so far.
    pub written: usize,
    /// Measures to write (0 until the list is read).
    pub total: usize,
}
