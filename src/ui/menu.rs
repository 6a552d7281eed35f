//! The menu bar: Datei, Bearbeiten, Ansicht, Sprache, Hilfe. Entries that open a window take
//! their label, shortcut and whether they need a map from the window registry
//! ([`Window::info`]).

use eframe::egui::{self, Ui};

use super::command::{Command, PathPurpose, Window};
use super::shown::Shown;
use crate::i18n::{Lang, T};
use crate::io::ImportOptions;

/// What the menu asks for beyond commands.
#[derive(Debug, Default, PartialEq)]
pub struct MenuOutcome {
    /// Commands to apply.
    pub commands: Vec<Command>,
    /// The user chose "Beenden".
    pub quit: bool,
    /// Zoom by this factor about the view's centre.
    pub zoom: Option<f64>,
}

/// Shows the menu bar.
pub fn menu_bar_ui(ui: &mut Ui, state: &Shown<'_>) -> MenuOutcome {
    let lang = state.lang();
    let mut out = MenuOutcome::default();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(lang.t(T::MenuFile), |ui| file_menu_ui(ui, state, &mut out));
        ui.menu_button(lang.t(T::MenuEdit), |ui| edit_menu_ui(ui, state, &mut out));
        ui.menu_button(lang.t(T::MenuView), |ui| view_menu_ui(ui, state, &mut out));
        ui.menu_button(lang.t(T::MenuLanguage), |ui| {
            for (choice, name) in [(Lang::De, "Deutsch"), (Lang::En, "English")] {
                if ui.radio(lang == choice, name).clicked() {
                    out.commands.push(Command::SetLanguage(choice));
                }
            }
        });
        ui.menu_button(lang.t(T::MenuHelp), |ui| {
            window_entry(ui, state, Window::Shortcuts, &mut out.commands);
            window_entry(ui, state, Window::About, &mut out.commands);
            ui.separator();
            let mut figures = state.frame_figures;
            if ui
                .checkbox(&mut figures, lang.t(T::MenuFrameFigures))
                .changed()
            {
                out.commands.push(Command::SetFrameFigures(figures));
            }
        });
    });
    out
}

/// A menu entry that opens `window`, as the registry describes it.
fn window_entry(ui: &mut Ui, state: &Shown<'_>, window: Window, commands: &mut Vec<Command>) {
    let enabled = !window.info().needs_map || state.map.is_some();
    window_entry_if(ui, state, window, enabled, None, commands);
}

/// A menu entry that opens `window` when `enabled`, labelled `label` or as the registry says.
fn window_entry_if(
    ui: &mut Ui,
    state: &Shown<'_>,
    window: Window,
    enabled: bool,
    label: Option<T>,
    commands: &mut Vec<Command>,
) {
    let lang = state.lang();
    let info = window.info();
    let Some(text) = label.or(info.menu) else {
        return;
    };
    let mut button = egui::Button::new(lang.t(text));
    if let Some(shortcut) = info.shortcut {
        button = button.shortcut_text(shortcut.text(lang));
    }
    if ui.add_enabled(enabled, button).clicked() {
        commands.push(Command::ShowWindow(window, true));
    }
}

/// A plain menu entry with a shortcut text; returns whether it was clicked.
fn entry(ui: &mut Ui, enabled: bool, label: &str, shortcut: &str) -> bool {
    ui.add_enabled(enabled, egui::Button::new(label).shortcut_text(shortcut))
        .clicked()
}

fn file_menu_ui(ui: &mut Ui, state: &Shown<'_>, out: &mut MenuOutcome) {
    let lang = state.lang();
    let has_map = state.map.is_some();
    window_entry(ui, state, Window::Open, &mut out.commands);
    window_entry(ui, state, Window::Register, &mut out.commands);
    if ui.button(lang.t(T::MenuOpenDemo)).clicked() {
        out.commands.push(Command::OpenDemo);
    }
    ui.menu_button(lang.t(T::MenuRecent), |ui| {
        if state.recent.is_empty() {
            ui.label(lang.t(T::MenuRecentEmpty));
        }
        for path in state.recent {
            if ui.button(path.display().to_string()).clicked() {
                out.commands.push(Command::Open {
                    path: path.clone(),
                    options: ImportOptions::default(),
                });
            }
        }
    });
    window_entry(ui, state, Window::ImportTable, &mut out.commands);
    window_entry(
        ui,
        state,
        Window::Path(PathPurpose::SaveMap),
        &mut out.commands,
    );
    window_entry(ui, state, Window::Export, &mut out.commands);
    window_entry(ui, state, Window::Profiles, &mut out.commands);
    window_entry(ui, state, Window::Atlas, &mut out.commands);
    ui.separator();
    let project = state.project.is_some();
    window_entry_if(
        ui,
        state,
        Window::Path(PathPurpose::SaveProject),
        has_map,
        project.then_some(T::MenuSaveProjectAs),
        &mut out.commands,
    );
    if project
        && ui
            .button(lang.t(T::MenuReopenProject))
            .on_hover_text(lang.t(T::TipReopenProject))
            .clicked()
    {
        out.commands.push(Command::ReopenProject);
    }
    window_entry(ui, state, Window::Publish, &mut out.commands);
    window_entry(
        ui,
        state,
        Window::Path(PathPurpose::ImportMeasures),
        &mut out.commands,
    );
    window_entry_if(
        ui,
        state,
        Window::Path(PathPurpose::ExportMeasures),
        state.map.is_some_and(|m| !m.measures.is_empty()),
        None,
        &mut out.commands,
    );
    ui.separator();
    window_entry(ui, state, Window::Report, &mut out.commands);
    ui.separator();
    if entry(ui, true, lang.t(T::MenuQuit), &ctrl(lang, "Q")) {
        out.quit = true;
    }
}

fn edit_menu_ui(ui: &mut Ui, state: &Shown<'_>, out: &mut MenuOutcome) {
    let lang = state.lang();
    // Described here, where it is shown, not every time the state is read.
    let step = |step: Option<&crate::document::edit::Change>, named: T, plain: T| match step {
        Some(c) => lang.tf(named, &[("step", &c.describe(lang))]),
        None => lang.t(plain).to_string(),
    };
    let undo = step(state.undo, T::MenuUndoStep, T::MenuUndo);
    if entry(ui, state.undo.is_some(), &undo, &ctrl(lang, "Z")) {
        out.commands.push(Command::Undo);
    }
    let redo = step(state.redo, T::MenuRedoStep, T::MenuRedo);
    if entry(ui, state.redo.is_some(), &redo, &ctrl(lang, "Y")) {
        out.commands.push(Command::Redo);
    }
    ui.separator();
    if entry(
        ui,
        state.map.is_some(),
        lang.t(T::AddMeasure),
        &ctrl(lang, "M"),
    ) {
        out.commands.push(Command::NewMeasure);
    }
    window_entry(ui, state, Window::Measures, &mut out.commands);
}

fn view_menu_ui(ui: &mut Ui, state: &Shown<'_>, out: &mut MenuOutcome) {
    let lang = state.lang();
    let home = if lang == Lang::De { "Pos1" } else { "Home" };
    if entry(ui, true, lang.t(T::MenuFitAll), home) {
        out.commands.push(Command::FitAll);
    }
    window_entry(ui, state, Window::Switcher, &mut out.commands);
    window_entry(ui, state, Window::Views, &mut out.commands);
    if entry(ui, state.map.is_some(), lang.t(T::MenuPresent), "F5") {
        out.commands.push(Command::Present(true));
    }
    let mut patterns = state.view.field_patterns;
    if ui
        .checkbox(&mut patterns, lang.t(T::MenuFieldPatterns))
        .on_hover_text(lang.t(T::MenuFieldPatternsHint))
        .changed()
    {
        out.commands.push(Command::SetFieldPatterns(patterns));
    }
    ui.menu_button(lang.t(T::MenuTheme), |ui| {
        let dark = ui.ctx().theme() == egui::Theme::Dark;
        if ui.radio(!dark, lang.t(T::ThemeLight)).clicked() {
            ui.ctx().set_theme(egui::ThemePreference::Light);
        }
        if ui.radio(dark, lang.t(T::ThemeDark)).clicked() {
            ui.ctx().set_theme(egui::ThemePreference::Dark);
        }
    });
    if entry(ui, true, lang.t(T::MenuZoomIn), "+") {
        out.zoom = Some(1.5);
    }
    if entry(ui, true, lang.t(T::MenuZoomOut), "−") {
        out.zoom = Some(1.0 / 1.5);
    }
    ui.separator();
    window_entry(ui, state, Window::Rules, &mut out.commands);
    window_entry(ui, state, Window::Catalogue, &mut out.commands);
    window_entry(ui, state, Window::IndexBuilder, &mut out.commands);
    ui.separator();
    let mut labels = state.view.show_labels;
    if ui.checkbox(&mut labels, lang.t(T::MenuLabels)).changed() {
        out.commands.push(Command::SetLabels(labels));
    }
    let mut borders = state.view.show_borders;
    if ui.checkbox(&mut borders, lang.t(T::MenuBorders)).changed() {
        out.commands.push(Command::SetBorders(borders));
    }
    let mut badges = state.view.show_badges;
    if ui.checkbox(&mut badges, lang.t(T::MenuBadges)).changed() {
        out.commands.push(Command::SetBadges(badges));
    }
}

/// "Strg+Q" / "Ctrl+Q".
fn ctrl(lang: Lang, key: &str) -> String {
    format!("{}+{key}", lang.t(T::KeyCtrl))
}
