//! "Atlas für Partner speichern …": the HTML file, whether the planned measures go in (off by
//! default: the partners see them only when the planner decides so), and what the file holds.

use std::path::PathBuf;

use eframe::egui::{Context, RichText, TextEdit};

use super::command::{Command, Window};
use crate::document::Document;
use crate::export::atlas::AtlasRequest;
use crate::i18n::{Lang, T, format};
use crate::ui::file_picker::{FilePicker, PickMode};
use crate::ui::name;
use crate::ui::save_dialog::{save_dialog, save_row};

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
    form.picker
        .fill(&mut form.path, map.path.as_deref(), "atlas", "html");
    save_dialog(ctx, Window::Atlas, 420.0, lang, |ui, commands| {
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
        let ready = !form.path.trim().is_empty();
        save_row(ui, ready, Window::Atlas, lang, commands, || {
            Command::SaveAtlas(form.request())
        });
    })
}
