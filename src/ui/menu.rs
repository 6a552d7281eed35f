//! The menu bar: Datei, Ansicht, Sprache, Hilfe.

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
        ui.menu_button(lang.t(T::MenuFile), |ui| {
            if ui
                .add(egui::Button::new(lang.t(T::MenuOpen)).shortcut_text("Strg+O"))
                .clicked()
            {
                out.commands.push(Command::ShowWindow(Window::Open, true));
            }
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
            if ui
                .add_enabled(
                    state.map.is_some(),
                    egui::Button::new(lang.t(T::MenuImportTable)),
                )
                .clicked()
            {
                out.commands
                    .push(Command::ShowWindow(Window::ImportTable, true));
            }
            if ui
                .add_enabled(
                    state.map.is_some(),
                    egui::Button::new(lang.t(T::MenuSaveMap)),
                )
                .clicked()
            {
                out.commands.push(Command::ShowWindow(
                    Window::Path(PathPurpose::SaveMap),
                    true,
                ));
            }
            if ui
                .add_enabled(
                    state.map.is_some(),
                    egui::Button::new(lang.t(T::MenuExportMap)).shortcut_text("Strg+E"),
                )
                .clicked()
            {
                out.commands.push(Command::ShowWindow(Window::Export, true));
            }
            ui.separator();
            let project = state.project.is_some();
            if ui
                .add_enabled(
                    state.map.is_some(),
                    egui::Button::new(lang.t(if project {
                        T::MenuSaveProjectAs
                    } else {
                        T::MenuSaveAsProject
                    })),
                )
                .clicked()
            {
                out.commands.push(Command::ShowWindow(
                    Window::Path(PathPurpose::SaveProject),
                    true,
                ));
            }
            if project
                && ui
                    .button(lang.t(T::MenuReopenProject))
                    .on_hover_text(lang.t(T::TipReopenProject))
                    .clicked()
            {
                out.commands.push(Command::ReopenProject);
            }
            if ui
                .add_enabled(
                    state.map.is_some(),
                    egui::Button::new(lang.t(T::MenuImportMeasures)),
                )
                .clicked()
            {
                out.commands.push(Command::ShowWindow(
                    Window::Path(PathPurpose::ImportMeasures),
                    true,
                ));
            }
            if ui
                .add_enabled(
                    state.map.is_some_and(|m| !m.measures.is_empty()),
                    egui::Button::new(lang.t(T::MenuExportMeasures)),
                )
                .clicked()
            {
                out.commands.push(Command::ShowWindow(
                    Window::Path(PathPurpose::ExportMeasures),
                    true,
                ));
            }
            ui.separator();
            let has_report = state.map.is_some();
            if ui
                .add_enabled(has_report, egui::Button::new(lang.t(T::MenuReport)))
                .clicked()
            {
                out.commands.push(Command::ShowWindow(Window::Report, true));
            }
            ui.separator();
            if ui
                .add(egui::Button::new(lang.t(T::MenuQuit)).shortcut_text("Strg+Q"))
                .clicked()
            {
                out.quit = true;
            }
        });
        ui.menu_button(lang.t(T::MenuEdit), |ui| {
            if ui
                .add_enabled(
                    state.can_undo,
                    egui::Button::new(lang.t(T::MenuUndo)).shortcut_text("Strg+Z"),
                )
                .clicked()
            {
                out.commands.push(Command::Undo);
            }
            if ui
                .add_enabled(
                    state.can_redo,
                    egui::Button::new(lang.t(T::MenuRedo)).shortcut_text("Strg+Y"),
                )
                .clicked()
            {
                out.commands.push(Command::Redo);
            }
            ui.separator();
            if ui
                .add_enabled(
                    state.map.is_some(),
                    egui::Button::new(lang.t(T::AddMeasure)).shortcut_text("Strg+M"),
                )
                .clicked()
            {
                out.commands.push(Command::NewMeasure);
            }
            if ui
                .add_enabled(
                    state.map.is_some(),
                    egui::Button::new(lang.t(T::OpenMeasures)).shortcut_text("Strg+L"),
                )
                .clicked()
            {
                out.commands
                    .push(Command::ShowWindow(Window::Measures, true));
            }
        });
        ui.menu_button(lang.t(T::MenuView), |ui| {
            if ui
                .add(egui::Button::new(lang.t(T::MenuFitAll)).shortcut_text("Pos1"))
                .clicked()
            {
                out.commands.push(Command::FitAll);
            }
            if ui
                .add_enabled(
                    state.map.is_some(),
                    egui::Button::new(lang.t(T::MenuFind)).shortcut_text("Strg+F"),
                )
                .clicked()
            {
                out.commands
                    .push(Command::ShowWindow(Window::Switcher, true));
            }
            if ui
                .add_enabled(state.map.is_some(), egui::Button::new(lang.t(T::MenuViews)))
                .clicked()
            {
                out.commands.push(Command::ShowWindow(Window::Views, true));
            }
            if ui
                .add_enabled(
                    state.map.is_some(),
                    egui::Button::new(lang.t(T::MenuPresent)).shortcut_text("F5"),
                )
                .clicked()
            {
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
            if ui
                .add(egui::Button::new(lang.t(T::MenuZoomIn)).shortcut_text("+"))
                .clicked()
            {
                out.zoom = Some(1.5);
            }
            if ui
                .add(egui::Button::new(lang.t(T::MenuZoomOut)).shortcut_text("−"))
                .clicked()
            {
                out.zoom = Some(1.0 / 1.5);
            }
            ui.separator();
            if ui.button(lang.t(T::MenuRules)).clicked() {
                out.commands.push(Command::ShowWindow(Window::Rules, true));
            }
            if ui.button(lang.t(T::MenuCatalogue)).clicked() {
                out.commands
                    .push(Command::ShowWindow(Window::Catalogue, true));
            }
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
        });
        ui.menu_button(lang.t(T::MenuLanguage), |ui| {
            for (choice, name) in [(Lang::De, "Deutsch"), (Lang::En, "English")] {
                if ui.radio(lang == choice, name).clicked() {
                    out.commands.push(Command::SetLanguage(choice));
                }
            }
        });
        ui.menu_button(lang.t(T::MenuHelp), |ui| {
            if ui
                .add(egui::Button::new(lang.t(T::MenuShortcuts)).shortcut_text("F1"))
                .clicked()
            {
                out.commands
                    .push(Command::ShowWindow(Window::Shortcuts, true));
            }
            if ui.button(lang.t(T::MenuAbout)).clicked() {
                out.commands.push(Command::ShowWindow(Window::About, true));
            }
        });
    });
    out
}
