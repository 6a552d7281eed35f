//! "Atlas für Partner speichern …": the HTML file, whether the planned measures go in (off by
//! default: the partners see them only when the planner decides so), and what the file holds.

use std::path::PathBuf;

use eframe::egui::{self, Context, RichText, TextEdit};

use super::command::{Command, Window};
use crate::document::Document;
use crate::export::atlas::AtlasRequest;
use crate::i18n::{Lang, T, format};
use crate::ui::file_picker::{FilePicker, PickMode};
use crate::ui::name;

/// What the user chose; kept between frames.
#[derive(Default)]
pub struct AtlasForm {
    /// The HTML file.
    pub path: String,
    /// Include the measures.
    pub measures: bool,
    picker: FilePicker,
}

impl AtlasForm {
    /// The request the form describes.
    pub fn request(&self) -> AtlasRequest {
        AtlasRequest {
            out: PathBuf::from(self.path.trim()),
            measures: self.measures,
            source: None,
        }
    }
}

/// The dialog.
pub fn atlas_window_ui(
    ctx: &Context,
    map: &Document,
    form: &mut AtlasForm,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    form.picker
        .fill(&mut form.path, map.path.as_deref(), "atlas", "html");
    let mut open = true;
    egui::Window::new(Window::Atlas.title(lang))
        .open(&mut open)
        .default_width(420.0)
        .show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.label(RichText::new(lang.t(T::AtlasIntro)).weak());
            ui.add_space(4.0);
            ui.label(lang.tf(
                T::ProfilesCount,
                &[("n", &format::count(map.region.spaces.len(), lang))],
            ));
            ui.add_space(4.0);
            let r = ui.checkbox(&mut form.measures, lang.t(T::AtlasMeasures));
            name(&r, lang.t(T::AtlasMeasures));
            ui.label(RichText::new(lang.t(T::AtlasMeasuresHint)).weak());
            ui.add_space(4.0);
            ui.label(lang.t(T::ProfilesFile));
            let r = ui.add(TextEdit::singleline(&mut form.path).desired_width(380.0));
            name(&r, lang.t(T::ProfilesFile));
            form.picker.browse_button(
                ui,
                lang.t(T::OpenBrowse),
                PickMode::Save,
                ("HTML", &["html", "htm"]),
                None,
            );
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let ready = !form.path.trim().is_empty();
                if ui
                    .add_enabled(ready, egui::Button::new(lang.t(T::ProfilesSave)))
                    .clicked()
                {
                    commands.push(Command::SaveAtlas(form.request()));
                }
                if ui.button(lang.t(T::Cancel)).clicked() {
                    commands.push(Command::ShowWindow(Window::Atlas, false));
                }
            });
        });
    if !open {
        commands.push(Command::ShowWindow(Window::Atlas, false));
    }
    commands
}
