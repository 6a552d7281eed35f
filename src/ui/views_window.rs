//! The saved views ("Ansichten"): save what the map shows now under a name, show a view
//! again, delete one. In presentation mode (F5) Bild↓/Bild↑ or the arrow keys step through
//! them; the export dialog writes all of them as images at once.

use eframe::egui::{self, Context, RichText, TextEdit};

use super::command::{Command, Window};
use super::shown::Shown;
use crate::i18n::{T, format};
use crate::ui::name;

/// The name being typed for a new view.
#[derive(Debug, Default)]
pub struct ViewsForm {
    /// The new view's name.
    pub name: String,
}

/// The window listing the saved views.
pub fn views_window_ui(ctx: &Context, state: &Shown<'_>, form: &mut ViewsForm) -> Vec<Command> {
    let lang = state.lang();
    let mut commands = Vec::new();
    let Some(map) = state.map else {
        return commands;
    };
    let mut open = true;
    egui::Window::new(Window::Views.title(lang))
        .open(&mut open)
        .default_width(420.0)
        .show(ctx, |ui| {
            ui.label(lang.t(T::ViewsHint));
            ui.add_space(4.0);
            if map.saved_views.is_empty() {
                ui.weak(lang.t(T::ViewsEmpty));
            }
            egui::Grid::new("saved-views")
                .num_columns(3)
                .striped(true)
                .show(ui, |ui| {
                    for (k, view) in map.saved_views.iter().enumerate() {
                        let current = state.current_view == Some(k);
                        let text = format!("{}. {}", format::count(k + 1, lang), view.name);
                        let label = if current {
                            RichText::new(text).strong()
                        } else {
                            RichText::new(text)
                        };
                        ui.label(label);
                        if ui
                            .button(lang.t(T::ViewsShow))
                            .on_hover_text(lang.t(T::ViewsShowHint))
                            .clicked()
                        {
                            commands.push(Command::ApplyView(k));
                        }
                        if ui
                            .button(lang.t(T::ViewsDelete))
                            .on_hover_text(lang.t(T::TipViewsDelete))
                            .clicked()
                        {
                            commands.push(Command::DeleteView(k));
                        }
                        ui.end_row();
                    }
                });
            ui.separator();
            ui.horizontal(|ui| {
                let edit = ui.add(
                    TextEdit::singleline(&mut form.name)
                        .hint_text(lang.t(T::ViewsNameHint))
                        .desired_width(240.0),
                );
                name(&edit, lang.t(T::ViewsName));
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let save = ui
                    .add_enabled(
                        !form.name.trim().is_empty(),
                        egui::Button::new(lang.t(T::ViewsSave)),
                    )
                    .on_hover_text(lang.t(T::ViewsSaveHint));
                if (save.clicked() || enter) && !form.name.trim().is_empty() {
                    commands.push(Command::SaveView(std::mem::take(&mut form.name)));
                }
            });
            ui.add_space(4.0);
            if ui
                .add_enabled(
                    !map.saved_views.is_empty(),
                    egui::Button::new(lang.t(T::ViewsPresent)),
                )
                .clicked()
            {
                commands.push(Command::ApplyView(0));
                commands.push(Command::Present(true));
            }
        });
    if !open {
        commands.push(Command::ShowWindow(Window::Views, false));
    }
    commands
}
