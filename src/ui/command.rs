//! What panels ask for: the [`Command`]s they return, and the windows they open and close.
//!
//! Panels never change the application's state themselves; the app applies these commands
//! in one place, which gives undo, persistence and tests a single seam.

use std::path::PathBuf;

use eframe::egui::{Key, Modifiers};

use crate::analysis::join::JoinOptions;
use crate::document::edit::Edit;
use crate::export::request::ExportRequest;
use crate::i18n::{Lang, T};
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
    /// Open a shared register (its local copy, kept in step with the server).
    OpenRegister(crate::io::register::Target),
    /// Make the register's copy anew from the server (after the region published new data).
    ReloadRegister,
    /// Publish the map and its measures into a register.
    PublishRegister {
        /// The register.
        target: crate::io::register::Target,
        /// Make one role per municipality.
        create_roles: bool,
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
        /// A crosswalk file that converts the table's older areas to today's, and how rates
        /// are weighted ("flaeche" or an indicator key).
        crosswalk: Option<(PathBuf, String)>,
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
    /// Show or hide the technical figures (frame time, vertices) in the status bar.
    SetFrameFigures(bool),
    /// The answer to "make a project?": its path, or None for "not now".
    AnswerProjectOffer(Option<PathBuf>),
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
    /// Add a composite index (or replace the one with its key) and show it.
    PutIndex(Box<crate::model::Indicator>),
    /// Open the definition sheet of the index with this key.
    ShowIndexSheet(String),
    /// Write the Sozialraumprofile.
    SaveReport(crate::export::report::ReportRequest),
    /// Write the offline atlas for partners.
    SaveAtlas(crate::export::atlas::AtlasRequest),
    /// Write the definition sheet of an index as PDF or text (by extension).
    SaveIndexSheet {
        /// The index's key.
        key: String,
        /// The file.
        path: PathBuf,
    },
}

/// The app's secondary windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The import report.
    Report,
    /// The open-file form.
    Open,
    /// Opening a shared register (server, schema, password).
    Register,
    /// Publishing the map into a register.
    Publish,
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
    /// Building a composite index.
    IndexBuilder,
    /// The definition sheet of an index.
    IndexSheet,
    /// Saving the Sozialraumprofile.
    Profiles,
    /// Saving the offline atlas for partners.
    Atlas,
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

/// A key that opens a window from anywhere in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortcut {
    /// Held with Ctrl (Cmd on a Mac).
    pub ctrl: bool,
    /// The key.
    pub key: Key,
}

impl Shortcut {
    const fn ctrl(key: Key) -> Option<Shortcut> {
        Some(Shortcut { ctrl: true, key })
    }

    const fn plain(key: Key) -> Option<Shortcut> {
        Some(Shortcut { ctrl: false, key })
    }

    /// The modifiers to hold.
    pub fn modifiers(self) -> Modifiers {
        if self.ctrl {
            Modifiers::COMMAND
        } else {
            Modifiers::NONE
        }
    }

    /// "Strg+O" in German, "Ctrl+O" in English, "F1".
    pub fn text(self, lang: Lang) -> String {
        if self.ctrl {
            format!("{}+{}", lang.t(T::KeyCtrl), self.key.name())
        } else {
            self.key.name().to_string()
        }
    }
}

/// What the app knows about one window: its title, its menu entry and shortcut, whether it
/// needs a map, and whether it opens again on the next start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowInfo {
    /// The window's title.
    pub title: T,
    /// Its entry in the menu (None: opened from another window or by the app).
    pub menu: Option<T>,
    /// The key that opens it.
    pub shortcut: Option<Shortcut>,
    /// It shows something of the map (disabled without one).
    pub needs_map: bool,
    /// The name it is remembered by when it was open at the end of a session (None: it
    /// does not open again by itself).
    pub remembered_as: Option<&'static str>,
}

impl Window {
    /// Every window, the path prompt once for each purpose: the one list the menu, the
    /// shortcuts, the help and the session memory read.
    pub const ALL: [Window; 27] = [
        Window::Open,
        Window::Register,
        Window::Publish,
        Window::Report,
        Window::ImportTable,
        Window::JoinReport,
        Window::Path(PathPurpose::SaveMap),
        Window::Path(PathPurpose::SaveRules),
        Window::Path(PathPurpose::LoadRules),
        Window::Path(PathPurpose::SaveProject),
        Window::Path(PathPurpose::ExportMeasures),
        Window::Path(PathPurpose::ImportMeasures),
        Window::Export,
        Window::Measures,
        Window::MeasureImport,
        Window::Switcher,
        Window::Views,
        Window::Rules,
        Window::Compare,
        Window::Overrides,
        Window::Catalogue,
        Window::IndexBuilder,
        Window::IndexSheet,
        Window::Profiles,
        Window::Atlas,
        Window::Shortcuts,
        Window::About,
    ];

    /// What the app knows about this window.
    pub fn info(self) -> WindowInfo {
        let info = |title, menu, shortcut, needs_map, remembered_as| WindowInfo {
            title,
            menu,
            shortcut,
            needs_map,
            remembered_as,
        };
        match self {
            Window::Open => info(
                T::OpenTitle,
                Some(T::MenuOpen),
                Shortcut::ctrl(Key::O),
                false,
                None,
            ),
            Window::Register => info(
                T::RegisterTitle,
                Some(T::MenuOpenRegister),
                None,
                false,
                None,
            ),
            Window::Publish => info(T::PublishTitle, Some(T::MenuPublish), None, true, None),
            Window::Report => info(T::ReportTitle, Some(T::MenuReport), None, true, None),
            Window::ImportTable => info(
                T::ImportTableTitle,
                Some(T::MenuImportTable),
                None,
                true,
                None,
            ),
            Window::JoinReport => info(T::JoinReportTitle, None, None, true, None),
            Window::Path(purpose) => {
                let (title, menu) = match purpose {
                    PathPurpose::SaveMap => (T::SaveTitle, Some(T::MenuSaveMap)),
                    PathPurpose::SaveRules => (T::SaveTitle, None),
                    PathPurpose::LoadRules => (T::LoadTitle, None),
                    PathPurpose::SaveProject => (T::SaveProjectTitle, Some(T::MenuSaveAsProject)),
                    PathPurpose::ExportMeasures => {
                        (T::ExportMeasuresTitle, Some(T::MenuExportMeasures))
                    }
                    PathPurpose::ImportMeasures => {
                        (T::ImportMeasuresTitle, Some(T::MenuImportMeasures))
                    }
                };
                info(title, menu, None, true, None)
            }
            Window::Export => info(
                T::ExportTitle,
                Some(T::MenuExportMap),
                Shortcut::ctrl(Key::E),
                true,
                None,
            ),
            Window::Measures => info(
                T::MeasuresTitle,
                Some(T::OpenMeasures),
                Shortcut::ctrl(Key::L),
                true,
                Some("measures"),
            ),
            Window::MeasureImport => info(T::MeasureImportTitle, None, None, true, None),
            Window::Switcher => info(
                T::SwitcherTitle,
                Some(T::MenuFind),
                Shortcut::ctrl(Key::F),
                true,
                None,
            ),
            Window::Views => info(T::ViewsTitle, Some(T::MenuViews), None, true, Some("views")),
            Window::Rules => info(T::RulesTitle, Some(T::MenuRules), None, true, Some("rules")),
            Window::Compare => info(T::CompareTitle, None, None, true, Some("compare")),
            Window::Overrides => info(T::OverridesTitle, None, None, true, Some("overrides")),
            Window::Catalogue => info(
                T::CatalogueTitle,
                Some(T::MenuCatalogue),
                None,
                true,
                Some("catalogue"),
            ),
            Window::IndexBuilder => info(
                T::IndexBuilderTitle,
                Some(T::MenuIndexBuilder),
                None,
                true,
                Some("index"),
            ),
            Window::IndexSheet => info(T::IndexSheetTitle, None, None, true, None),
            Window::Profiles => info(
                T::ProfilesWindowTitle,
                Some(T::MenuProfiles),
                None,
                true,
                None,
            ),
            Window::Atlas => info(T::AtlasWindowTitle, Some(T::MenuAtlas), None, true, None),
            Window::Shortcuts => info(
                T::ShortcutsTitle,
                Some(T::MenuShortcuts),
                Shortcut::plain(Key::F1),
                false,
                None,
            ),
            Window::About => info(T::MenuAbout, Some(T::MenuAbout), None, false, None),
        }
    }

    /// The window remembered by `name`.
    pub fn remembered(name: &str) -> Option<Window> {
        Window::ALL
            .into_iter()
            .find(|w| w.info().remembered_as == Some(name))
    }

    /// The window's title in `lang`.
    pub fn title(self, lang: Lang) -> &'static str {
        lang.t(self.info().title)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_window_is_listed_once_and_remembered_names_are_unique() {
        for (i, w) in Window::ALL.iter().enumerate() {
            assert!(!Window::ALL[i + 1..].contains(w), "{w:?} twice");
            if let Some(name) = w.info().remembered_as {
                assert_eq!(Window::remembered(name), Some(*w));
            }
        }
        let shortcuts: Vec<_> = Window::ALL
            .iter()
            .filter_map(|w| w.info().shortcut)
            .collect();
        for (i, s) in shortcuts.iter().enumerate() {
            assert!(!shortcuts[i + 1..].contains(s), "{s:?} opens two windows");
        }
    }

    #[test]
    fn shortcuts_read_in_the_users_language() {
        let open = Window::Open.info().shortcut.expect("Ctrl+O");
        assert_eq!(open.text(Lang::De), "Strg+O");
        assert_eq!(open.text(Lang::En), "Ctrl+O");
        assert_eq!(
            Window::Shortcuts
                .info()
                .shortcut
                .expect("F1")
                .text(Lang::De),
            "F1"
        );
    }

    #[test]
    fn only_one_path_prompt_is_open_at_a_time() {
        let mut open = OpenWindows::default();
        open.set(Window::Path(PathPurpose::SaveMap), true);
        open.set(Window::Measures, true);
        open.set(Window::Path(PathPurpose::LoadRules), true);
        assert_eq!(open.path(), Some(PathPurpose::LoadRules));
        assert!(!open.is_open(Window::Path(PathPurpose::SaveMap)));
        assert!(open.is_open(Window::Measures));
        open.set(Window::Measures, false);
        assert!(!open.is_open(Window::Measures));
    }
}
