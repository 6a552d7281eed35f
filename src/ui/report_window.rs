//! "Sozialraumprofile speichern …": the file, whose areas (all, one municipality, one file per
//! municipality), PDF or PNG pages, and a preview of the profile page of the area selected (or
//! the first one) — the page itself, drawn by the PNG backend at preview size.

use std::path::PathBuf;

use eframe::egui::{self, ColorImage, ComboBox, Context, RichText, TextEdit, TextureHandle};

use super::command::{Command, Window};
use crate::document::Document;
use crate::export::report::{ReportRequest, profile_of, report_areas};
use crate::i18n::{Lang, T};
use crate::ui::file_picker::{FilePicker, PickMode};
use crate::ui::name;
use crate::ui::save_dialog::{save_dialog, save_row};

/// Width of the preview in pixels.
const PREVIEW_WIDTH: f32 = 330.0;

/// What the user chose; kept between frames.
#[derive(Default)]
pub struct ReportForm {
    /// The file (or folder).
    pub path: String,
    /// The municipality (None: all areas).
    pub municipality: Option<String>,
    /// One file per municipality.
    pub per_municipality: bool,
    /// PNG pages instead of a PDF.
    pub png: bool,
    /// The preview: for which area and language, and the picture.
    preview: Option<(usize, Lang, TextureHandle)>,
    picker: FilePicker,
}

impl ReportForm {
    /// The request the form describes.
    pub fn request(&self) -> ReportRequest {
        ReportRequest {
            out: PathBuf::from(self.path.trim()),
            municipality: if self.per_municipality {
                None
            } else {
                self.municipality.clone()
            },
            per_municipality: self.per_municipality,
            png: self.png,
            dpi: 150,
            source: None,
        }
    }
}

/// The dialog.
pub fn report_window_ui(
    ctx: &Context,
    map: &Document,
    selection: Option<usize>,
    form: &mut ReportForm,
    lang: Lang,
) -> Vec<Command> {
    form.picker
        .fill(&mut form.path, map.path.as_deref(), "profile", "pdf");
    save_dialog(ctx, Window::Profiles, 720.0, lang, |ui, commands| {
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(340.0);
                ui.label(RichText::new(lang.t(T::ProfilesIntro)).weak());
                ui.label(lang.t(T::ProfilesAreas));
                let all = lang.t(T::FocusAll).to_string();
                let shown = if form.per_municipality {
                    lang.t(T::ProfilesEach).to_string()
                } else {
                    form.municipality.clone().unwrap_or_else(|| all.clone())
                };
                let combo = ComboBox::from_id_salt("profiles-municipality")
                    .selected_text(shown)
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        if ui
                            .selectable_label(
                                form.municipality.is_none() && !form.per_municipality,
                                &all,
                            )
                            .clicked()
                        {
                            form.municipality = None;
                            form.per_municipality = false;
                        }
                        if ui
                            .selectable_label(form.per_municipality, lang.t(T::ProfilesEach))
                            .clicked()
                        {
                            form.per_municipality = true;
                        }
                        for m in &map.region.municipalities {
                            let on = !form.per_municipality
                                && form.municipality.as_deref() == Some(m.name.as_str());
                            if ui.selectable_label(on, &m.name).clicked() {
                                form.municipality = Some(m.name.clone());
                                form.per_municipality = false;
                            }
                        }
                    });
                name(&combo.response, lang.t(T::ProfilesAreas));
                ui.horizontal(|ui| {
                    ui.radio_value(&mut form.png, false, "PDF");
                    ui.radio_value(&mut form.png, true, lang.t(T::ProfilesPng));
                });
                let what = if form.per_municipality || form.png {
                    T::ProfilesFolder
                } else {
                    T::ProfilesFile
                };
                ui.label(lang.t(what));
                let r = ui.add(TextEdit::singleline(&mut form.path).desired_width(320.0));
                name(&r, lang.t(what));
                let mode = if form.per_municipality || form.png {
                    PickMode::Folder
                } else {
                    PickMode::Save
                };
                form.picker
                    .browse_button(ui, lang.t(T::OpenBrowse), mode, ("PDF", &["pdf"]), None);
                let n = report_areas(
                    map,
                    form.municipality
                        .as_deref()
                        .filter(|_| !form.per_municipality),
                )
                .map_or(0, |a| a.len());
                ui.label(lang.tf(
                    T::ProfilesCount,
                    &[("n", &crate::i18n::format::count(n, lang))],
                ));
                ui.add_space(6.0);
                let ready = !form.path.trim().is_empty();
                save_row(ui, ready, Window::Profiles, lang, commands, || {
                    Command::SaveReport(form.request())
                });
            });
            preview_ui(ui, map, selection, form, lang);
        });
    })
}

/// The profile page of the selected area (or the first in the report), drawn small.
fn preview_ui(
    ui: &mut egui::Ui,
    map: &Document,
    selection: Option<usize>,
    form: &mut ReportForm,
    lang: Lang,
) {
    let area = selection.or_else(|| {
        report_areas(
            map,
            form.municipality
                .as_deref()
                .filter(|_| !form.per_municipality),
        )
        .ok()
        .and_then(|a| a.first().copied())
    });
    let Some(area) = area else {
        return;
    };
    let fresh = !matches!(&form.preview, Some((a, l, _)) if *a == area && *l == lang);
    if fresh {
        let px_per_pt = PREVIEW_WIDTH / (210.0 / 25.4 * 72.0);
        let image = profile_of(map, area, px_per_pt, crate::export::map::today(), lang)
            .and_then(|page| crate::render::raster::rasterize(&page).ok())
            .map(|p| {
                ColorImage::from_rgba_premultiplied(
                    [p.width() as usize, p.height() as usize],
                    p.data(),
                )
            });
        form.preview = image.map(|image| {
            let texture =
                ui.ctx()
                    .load_texture("profile-preview", image, egui::TextureOptions::LINEAR);
            (area, lang, texture)
        });
    }
    if let Some((_, _, texture)) = &form.preview {
        let response = ui.add(egui::Image::new(texture).fit_to_exact_size(texture.size_vec2()));
        name(&response, lang.t(T::ExportPreview));
    }
}
