//! The menu bar: Datei, Ansicht, Sprache, Hilfe.

use eframe::egui::{self, Ui};

use crate::app::{AppState, Command, PathPurpose, Window};
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
pub fn menu_bar_ui(ui: &mut Ui, state: &AppState) -> MenuOutcome {
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
                for path in &state.recent {
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
        ui.menu_button(lang.t(T::MenuView), |ui| {
            if ui
                .add(egui::Button::new(lang.t(T::MenuFitAll)).shortcut_text("Pos1"))
                .clicked()
            {
                out.commands.push(Command::FitAll);
            }
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
