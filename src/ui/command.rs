//! What panels ask for: the [`Command`]s they return, and the windows they open and close.
//!
//! Panels never change the application's state themselves; the app applies these commands
//! in one place, which gives undo, persistence and tests a single seam.

use std::path::PathBuf;

use crate::analysis::join::JoinOptions;
use crate::document::edit::Edit;
use crate::export::request::ExportRequest;
use crate::i18n::Lang;
use crate::io::ImportOptions;
use crate::io::store::Resolution;
use crate::model::ActionField;
use crate::scene::Colouring;

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
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Write the project to a new file and continue there.
    SaveProjectAs(PathBuf),
    /// Write the map with everything added as GeoJSON.
    SaveMap(PathBuf),
    /// Write rules and overrides to a TOML file.
    SaveRules(PathBuf),
    /// Read rules (and overrides) from a TOML file.
    LoadRules(PathBuf),
    /// Join an indicator table.
    ImportTable {
        /// The table file.
        path: PathBuf,
        /// How to join it.
        options: JoinOptions,
    },
    /// Export the measures as CSV or XLSX (by extension).
    ExportMeasures(PathBuf),
    /// Import measures from a CSV or XLSX list.
    ImportMeasures(PathBuf),
    /// Add an area to the selection or take it out (Ctrl+click).
    ToggleSelect(usize),
    /// Select these areas (rectangle); the first is shown in the inspector.
    SelectMany(Vec<usize>),
    /// Show or hide the measure counts on the map.
    SetBadges(bool),
    /// Open the measure form for a new measure, filled from the selected areas.
    NewMeasure,
    /// Open the measure form for an existing measure.
    EditMeasure(crate::model::Uid),
    /// Close the measure form without saving.
    CloseMeasureForm,
    /// Answer to "measures not saved": go on and drop them (true) or stay (false).
    ConfirmDiscard(bool),
    /// Export the map (PNG, SVG, PDF) in the background.
    Export(ExportRequest),
    /// Focus a municipality (by name): the others greyed, the view zoomed to it; None ends
    /// the focus and shows everything.
    Focus(Option<String>),
    /// Select an area and zoom the view to it.
    ZoomToArea(usize),
    /// Save what is shown now (extent, colouring, focus) as a named view.
    SaveView(String),
    /// Show a saved view.
    ApplyView(usize),
    /// Delete a saved view.
    DeleteView(usize),
    /// Show the next (+1) or previous (-1) saved view.
    StepView(i32),
    /// Enter (true) or leave presentation mode.
    Present(bool),
    /// Give every Handlungsfeld a hatch of its own (readable without colour) or not.
    SetFieldPatterns(bool),
    /// Settle the oldest conflict with another writer.
    ResolveConflict(Resolution),
    /// Open the project file again (after it was moved or replaced): what is unsaved here
    /// is asked about first.
    ReopenProject,
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
    /// The measures table.
    Measures,
    /// The report of the last measure import.
    MeasureImport,
    /// The map export dialog.
    Export,
    /// The quick switcher (find a municipality or Sozialraum by name or code).
    Switcher,
    /// The saved views ("Ansichten").
    Views,
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
    /// Save the project (GeoPackage) under a new name.
    SaveProject,
    /// Export measures as CSV or XLSX.
    ExportMeasures,
    /// Import measures from CSV or XLSX.
    ImportMeasures,
}

/// Which windows are open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenWindows {
    /// The open windows, in the order they were opened.
    open: Vec<Window>,
}

impl OpenWindows {
    /// Whether `window` is open.
    pub fn is_open(&self, window: Window) -> bool {
        self.open.contains(&window)
    }

    /// Opens or closes `window`. There is one path prompt at a time: opening one for a new
    /// purpose replaces the one before.
    pub fn set(&mut self, window: Window, open: bool) {
        if let Window::Path(_) = window {
            self.open.retain(|w| !matches!(w, Window::Path(_)));
        } else {
            self.open.retain(|w| *w != window);
        }
        if open {
            self.open.push(window);
        }
    }

    /// What the path prompt is for, if it is open.
    pub fn path(&self) -> Option<PathPurpose> {
        self.open.iter().find_map(|w| match w {
            Window::Path(purpose) => Some(*purpose),
            _ => None,
        })
    }
}
