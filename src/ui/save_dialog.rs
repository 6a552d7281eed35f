//! What the save dialogs (Sozialraumprofile, partner atlas) share: their window, which asks
//! to be closed with its ×, and the row "Speichern | Abbrechen".

use eframe::egui::{self, Context, Ui};

use super::command::{Command, Window};
use crate::i18n::{Lang, T};

/// Shows `window` `width` points wide with `contents`, which push their commands; closing it
/// with its × asks for it to be hidden.
pub fn save_dialog(
    ctx: &Context,
    window: Window,
    width: f32,
    lang: Lang,
    contents: impl FnOnce(&mut Ui, &mut Vec<Command>),
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new(window.title(lang))
        .open(&mut open)
        .default_width(width)
        .show(ctx, |ui| contents(ui, &mut commands));
    if !open {
        commands.push(Command::ShowWindow(window, false));
    }
    commands
}

/// "Speichern" (enabled when `ready`; pushes `save()`) and "Abbrechen" (hides `window`).
pub fn save_row(
    ui: &mut Ui,
    ready: bool,
    window: Window,
    lang: Lang,
    commands: &mut Vec<Command>,
    save: impl FnOnce() -> Command,
) {
    ui.horizontal(|ui| {
        if ui
            .add_enabled(ready, egui::Button::new(lang.t(T::ProfilesSave)))
            .clicked()
        {
            commands.push(save());
        }
        if ui.button(lang.t(T::Cancel)).clicked() {
            commands.push(Command::ShowWindow(window, false));
        }
    });
}
