//! The export dialog ("Karte exportieren …", Ctrl+E): size, extent, title, legend, scale bar,
//! north arrow, source line, format, a preview, one file or one per municipality.
//!
//! The preview is the export itself, laid out by the same code and drawn by the PNG backend at
//! preview size, so what the dialog shows is what the file holds. The dialog only edits its
//! form and returns a [`Command::Export`]; the app runs the export in the background.

use std::path::{Path, PathBuf};

use eframe::egui::{self, ColorImage, ComboBox, Context, RichText, TextEdit, TextureHandle, Ui};

use super::command::{Command, Window};
use super::shown::Shown;
use crate::export::map::{
    ExportOptions, Extent, MapSnapshot, PageSize, Paper, compose_page, today,
};
use crate::export::request::{ExportRequest, ExportTarget};
use crate::i18n::{Lang, T, format};
use crate::render::{Format, raster};
use crate::scene::page::Corner;
use crate::ui::file_picker::{FilePicker, PickMode};
use crate::ui::name;

/// The size choices of the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SizePreset {
    /// 1920 × 1080.
    #[default]
    Slide,
    /// 3840 × 2160.
    FourK,
    /// A4 landscape.
    A4Landscape,
    /// A4 portrait.
    A4Portrait,
    /// A3 landscape.
    A3Landscape,
    /// A3 portrait.
    A3Portrait,
    /// Width and height typed in.
    Custom,
}

impl SizePreset {
    const ALL: [SizePreset; 7] = [
        SizePreset::Slide,
        SizePreset::FourK,
        SizePreset::A4Landscape,
        SizePreset::A4Portrait,
        SizePreset::A3Landscape,
        SizePreset::A3Portrait,
        SizePreset::Custom,
    ];

    fn label(self, lang: Lang) -> &'static str {
        lang.t(match self {
            SizePreset::Slide => T::ExportSizeSlide,
            SizePreset::FourK => T::ExportSize4k,
            SizePreset::A4Landscape => T::ExportSizeA4Landscape,
            SizePreset::A4Portrait => T::ExportSizeA4Portrait,
            SizePreset::A3Landscape => T::ExportSizeA3Landscape,
            SizePreset::A3Portrait => T::ExportSizeA3Portrait,
            SizePreset::Custom => T::ExportSizeCustom,
        })
    }

    fn is_paper(self) -> bool {
        !matches!(
            self,
            SizePreset::Slide | SizePreset::FourK | SizePreset::Custom
        )
    }
}

/// Which extent the dialog offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExtentChoice {
    /// What the window shows.
    View,
    /// All areas.
    #[default]
    Whole,
    /// One municipality.
    Municipality,
}

/// The dialog's state between frames.
pub struct ExportForm {
    /// The map the form was filled for (its regions's address): a new map refills it.
    map_key: usize,
    /// The options being edited (size and extent are derived from the fields below).
    pub options: ExportOptions,
    /// Size choice.
    pub preset: SizePreset,
    /// Resolution for paper sizes.
    pub dpi: u32,
    /// Custom size.
    pub custom: [u32; 2],
    /// Extent choice.
    pub extent: ExtentChoice,
    /// The municipality for [`ExtentChoice::Municipality`].
    pub municipality: String,
    /// Legend shown.
    pub legend_on: bool,
    /// Legend corner.
    pub corner: Corner,
    /// Source line shown.
    pub source_on: bool,
    /// The file to write.
    pub path: String,
    /// The folder for an atlas.
    pub folder: String,
    picker: FilePicker,
    folder_picker: FilePicker,
    preview: Option<(ExportOptions, u64, TextureHandle)>,
    /// A hint for the user (a path is missing).
    pub hint: Option<String>,
}

impl Default for ExportForm {
    fn default() -> Self {
        ExportForm {
            map_key: 0,
            options: ExportOptions {
                format: Format::Png,
                size: PageSize::default(),
                extent: Extent::Whole,
                title: String::new(),
                subtitle: String::new(),
                legend: Some(Corner::BottomRight),
                scale_bar: true,
                north_arrow: true,
                source_line: String::new(),
            },
            preset: SizePreset::Slide,
            dpi: 300,
            custom: [1600, 1200],
            extent: ExtentChoice::Whole,
            municipality: String::new(),
            legend_on: true,
            corner: Corner::BottomRight,
            source_on: true,
            path: String::new(),
            folder: String::new(),
            picker: FilePicker::default(),
            folder_picker: FilePicker::default(),
            preview: None,
            hint: None,
        }
    }
}

impl ExportForm {
    /// Fills title, subtitle and source line for `map` when the map changed.
    fn refresh_for(&mut self, state: &Shown<'_>, map: &MapSnapshot) {
        let key = std::sync::Arc::as_ptr(&map.region) as usize;
        if key == self.map_key {
            return;
        }
        let defaults = ExportOptions::defaults(map, state.view, today());
        self.options.title = defaults.title;
        self.options.subtitle = defaults.subtitle;
        self.options.source_line = defaults.source_line;
        self.municipality = map
            .region
            .municipalities
            .first()
            .map(|m| m.name.clone())
            .unwrap_or_default();
        // Next to the map file (not in whatever folder the program was started from).
        let lang = state.lang();
        let map_path = state.map.and_then(|m| m.path.as_deref());
        if self.path.is_empty() {
            self.path =
                super::file_picker::beside_map(map_path, lang.t(T::ExportDefaultName), "png");
        }
        if self.folder.is_empty() {
            self.folder =
                super::file_picker::beside_map(map_path, lang.t(T::ExportDefaultFolder), "");
        }
        // A title that is only the file's name is no title: ask for one instead.
        if map.region.title == map.region.source.label {
            self.options.title.clear();
        }
        self.map_key = key;
        self.preview = None;
    }

    /// The options as the fields say.
    fn current_options(&self, state: &Shown<'_>) -> ExportOptions {
        let mut options = self.options.clone();
        options.size = match self.preset {
            SizePreset::Slide => PageSize::Pixels {
                width: 1920,
                height: 1080,
            },
            SizePreset::FourK => PageSize::Pixels {
                width: 3840,
                height: 2160,
            },
            SizePreset::Custom => PageSize::Pixels {
                width: self.custom[0],
                height: self.custom[1],
            },
            SizePreset::A4Landscape | SizePreset::A4Portrait => PageSize::Paper {
                paper: Paper::A4,
                landscape: self.preset == SizePreset::A4Landscape,
                dpi: self.dpi,
            },
            SizePreset::A3Landscape | SizePreset::A3Portrait => PageSize::Paper {
                paper: Paper::A3,
                landscape: self.preset == SizePreset::A3Landscape,
                dpi: self.dpi,
            },
        };
        options.extent = match self.extent {
            ExtentChoice::Whole => Extent::Whole,
            ExtentChoice::View => state
                .viewport
                .map_or(Extent::Whole, |v| Extent::View(v.visible_bounds())),
            ExtentChoice::Municipality => Extent::Municipality(self.municipality.clone()),
        };
        // One municipality's map says which one, as the atlas pages do.
        if self.extent == ExtentChoice::Municipality
            && !options.subtitle.contains(&self.municipality)
        {
            options.subtitle = if options.subtitle.trim().is_empty() {
                self.municipality.clone()
            } else {
                format!("{} – {}", self.municipality, options.subtitle)
            };
        }
        options.legend = self.legend_on.then_some(self.corner);
        if !self.source_on {
            options.source_line.clear();
        }
        options.format = Format::of(Path::new(&self.path)).unwrap_or(options.format);
        options
    }
}

fn corner_name(corner: Corner, lang: Lang) -> &'static str {
    lang.t(match corner {
        Corner::TopLeft => T::ExportCornerTopLeft,
        Corner::TopRight => T::ExportCornerTopRight,
        Corner::BottomLeft => T::ExportCornerBottomLeft,
        Corner::BottomRight => T::ExportCornerBottomRight,
    })
}

/// Replaces the extension of `path` by `format`'s.
fn with_extension(path: &str, format: Format) -> String {
    let p = PathBuf::from(if path.trim().is_empty() { "map" } else { path });
    p.with_extension(format.extension()).display().to_string()
}

/// The path as typed, made absolute so the notice says where the file went.
fn absolute(path: &str) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| PathBuf::from(path))
}

/// Preview size: at most 540 × 440 points, the page's shape.
fn preview_width(options: &ExportOptions) -> u32 {
    let (w, h, _, _) = options.size.pixels();
    let by_height = 440.0 * w as f32 / h.max(1) as f32;
    (540.0f32.min(by_height).max(60.0)) as u32
}

/// The export dialog.
pub fn export_window_ui(ctx: &Context, state: &Shown<'_>, form: &mut ExportForm) -> Vec<Command> {
    let lang = state.lang();
    let mut commands = Vec::new();
    let Some(map) = state.map.map(MapSnapshot::of) else {
        return commands;
    };
    form.refresh_for(state, &map);
    if let Some(path) = form.picker.poll() {
        form.path = path.display().to_string();
    }
    if let Some(dir) = form.folder_picker.poll() {
        form.folder = dir.display().to_string();
    }
    let mut open = true;
    egui::Window::new(Window::Export.title(lang))
        .open(&mut open)
        .default_width(1000.0)
        .show(ctx, |ui| {
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(420.0);
                    settings_ui(ui, state, form, &map, lang);
                    ui.separator();
                    commands.extend(target_ui(ui, state, form, &map, lang));
                });
                ui.separator();
                ui.vertical(|ui| {
                    ui.label(RichText::new(lang.t(T::ExportPreview)).strong());
                    preview_ui(ui, state, form, &map);
                });
            });
        });
    if !open {
        commands.push(Command::ShowWindow(Window::Export, false));
    }
    commands
}

fn settings_ui(
    ui: &mut Ui,
    state: &Shown<'_>,
    form: &mut ExportForm,
    map: &MapSnapshot,
    lang: Lang,
) {
    egui::Grid::new("export-settings")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            ui.label(lang.t(T::ExportFormat));
            let current = Format::of(Path::new(&form.path)).unwrap_or(Format::Png);
            ui.horizontal(|ui| {
                for format in Format::ALL {
                    let text = format.extension().to_uppercase();
                    if ui.selectable_label(current == format, text).clicked() {
                        form.path = with_extension(&form.path, format);
                    }
                }
            });
            ui.end_row();
            size_row_ui(ui, state, form, lang);
            extent_row_ui(ui, form, map, lang);
            for (label, text) in [
                (T::ExportMapTitle, &mut form.options.title),
                (T::ExportSubtitle, &mut form.options.subtitle),
            ] {
                ui.label(lang.t(label));
                let mut field = TextEdit::singleline(text).desired_width(280.0);
                if label == T::ExportMapTitle {
                    field = field.hint_text(lang.t(T::ExportTitleHint));
                }
                let edit = ui.add(field);
                name(&edit, lang.t(label));
                ui.end_row();
            }
            furniture_rows_ui(ui, form, lang);
        });
}

/// Page size: a paper size with its resolution, a screen size, or pixels typed in.
fn size_row_ui(ui: &mut Ui, state: &Shown<'_>, form: &mut ExportForm, lang: Lang) {
    ui.label(lang.t(T::ExportSize));
    ui.vertical(|ui| {
        let combo = ComboBox::from_id_salt("export-size")
            .selected_text(form.preset.label(lang))
            .width(250.0)
            .show_ui(ui, |ui| {
                for preset in SizePreset::ALL {
                    ui.selectable_value(&mut form.preset, preset, preset.label(lang));
                }
            });
        name(&combo.response, lang.t(T::ExportSize));
        if form.preset.is_paper() {
            ui.horizontal(|ui| {
                ui.label(lang.t(T::ExportDpi));
                for dpi in [150, 300] {
                    ui.selectable_value(&mut form.dpi, dpi, format!("{dpi} dpi"));
                }
            });
        }
        if form.preset == SizePreset::Custom {
            ui.horizontal(|ui| {
                for (k, label) in [(0, T::ExportWidth), (1, T::ExportHeight)] {
                    ui.label(lang.t(label));
                    let drag = ui.add(
                        egui::DragValue::new(&mut form.custom[k])
                            .range(crate::export::map::SIDE_RANGE),
                    );
                    name(&drag, lang.t(label));
                }
            });
        }
        let (w, h, _, _) = form.current_options(state).size.pixels();
        ui.weak(lang.tf(
            T::ExportPixels,
            &[
                ("w", &format::count(w as usize, lang)),
                ("h", &format::count(h as usize, lang)),
            ],
        ));
    });
    ui.end_row();
}

/// What the page shows: the view, the whole map or one municipality.
fn extent_row_ui(ui: &mut Ui, form: &mut ExportForm, map: &MapSnapshot, lang: Lang) {
    ui.label(lang.t(T::ExportExtent));
    ui.vertical(|ui| {
        ui.radio_value(
            &mut form.extent,
            ExtentChoice::View,
            lang.t(T::ExportExtentView),
        );
        ui.radio_value(
            &mut form.extent,
            ExtentChoice::Whole,
            lang.t(T::ExportExtentWhole),
        );
        if map.region.municipalities.is_empty() {
            return;
        }
        ui.horizontal(|ui| {
            ui.radio_value(
                &mut form.extent,
                ExtentChoice::Municipality,
                lang.t(T::ExportExtentMunicipality),
            );
            let combo = ComboBox::from_id_salt("export-municipality")
                .selected_text(form.municipality.clone())
                .width(180.0)
                .show_ui(ui, |ui| {
                    for m in &map.region.municipalities {
                        if ui
                            .selectable_label(form.municipality == m.name, &m.name)
                            .clicked()
                        {
                            form.municipality = m.name.clone();
                            form.extent = ExtentChoice::Municipality;
                        }
                    }
                });
            name(&combo.response, lang.t(T::ExportExtentMunicipality));
        });
    });
    ui.end_row();
}

/// Legend and its corner, scale bar, north arrow and source line.
fn furniture_rows_ui(ui: &mut Ui, form: &mut ExportForm, lang: Lang) {
    ui.label(lang.t(T::ExportLegend));
    ui.horizontal(|ui| {
        let shown = ui.checkbox(&mut form.legend_on, "");
        name(&shown, lang.t(T::ExportLegend));
        ui.add_enabled_ui(form.legend_on, |ui| {
            let combo = ComboBox::from_id_salt("export-corner")
                .selected_text(corner_name(form.corner, lang))
                .show_ui(ui, |ui| {
                    for corner in Corner::ALL {
                        ui.selectable_value(&mut form.corner, corner, corner_name(corner, lang));
                    }
                });
            name(&combo.response, lang.t(T::ExportLegendCorner));
        });
    });
    ui.end_row();

    ui.label("");
    ui.horizontal(|ui| {
        ui.checkbox(&mut form.options.scale_bar, lang.t(T::ExportScaleBar));
        ui.checkbox(&mut form.options.north_arrow, lang.t(T::ExportNorthArrow));
    });
    ui.end_row();

    ui.label(lang.t(T::ExportSourceLine));
    ui.vertical(|ui| {
        ui.checkbox(&mut form.source_on, lang.t(T::ExportSourceLine));
        let edit = ui.add_enabled(
            form.source_on,
            TextEdit::multiline(&mut form.options.source_line)
                .desired_rows(2)
                .desired_width(280.0),
        );
        name(&edit, lang.t(T::ExportSourceLine));
    });
    ui.end_row();
}

fn target_ui(
    ui: &mut Ui,
    state: &Shown<'_>,
    form: &mut ExportForm,
    map: &MapSnapshot,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let running = state.exporting.is_some();
    ui.horizontal(|ui| {
        ui.label(lang.t(T::ExportFile));
        let edit = ui.add(TextEdit::singleline(&mut form.path).desired_width(240.0));
        name(&edit, lang.t(T::ExportFile));
        let format = Format::of(Path::new(&form.path)).unwrap_or(Format::Png);
        let ext = format.extension();
        form.picker.browse_button(
            ui,
            lang.t(T::OpenBrowse),
            PickMode::Save,
            (&ext.to_uppercase(), &[ext]),
            Some(&with_extension(lang.t(T::ExportDefaultName), format)),
        );
    });
    let export = ui
        .add_enabled(
            !running,
            egui::Button::new(RichText::new(lang.t(T::ExportButton)).strong()),
        )
        .on_hover_text(lang.t(T::TipExportButton));
    if export.clicked() {
        if Format::of(Path::new(form.path.trim())).is_none() {
            form.hint = Some(lang.t(T::ExportNeedsPath).to_string());
        } else {
            form.hint = None;
            commands.push(Command::Export(ExportRequest {
                options: form.current_options(state),
                target: ExportTarget::File(absolute(form.path.trim())),
            }));
        }
    }
    if !map.region.municipalities.is_empty() {
        ui.add_space(8.0);
        ui.label(RichText::new(lang.t(T::ExportAtlasHeading)).strong());
        ui.horizontal(|ui| {
            ui.label(lang.t(T::ExportFolder));
            let edit = ui.add(TextEdit::singleline(&mut form.folder).desired_width(240.0));
            name(&edit, lang.t(T::ExportFolder));
            form.folder_picker.browse_button(
                ui,
                lang.t(T::OpenBrowse),
                PickMode::Folder,
                ("", &[]),
                None,
            );
        });
        let label = lang.tf(
            T::ExportAtlasButton,
            &[("n", &format::count(map.region.municipalities.len(), lang))],
        );
        if ui
            .add_enabled(!running, egui::Button::new(label))
            .on_hover_text(lang.t(T::TipExportAtlas))
            .clicked()
        {
            if form.folder.trim().is_empty() {
                form.hint = Some(lang.t(T::ExportNeedsFolder).to_string());
            } else {
                form.hint = None;
                let mut options = form.current_options(state);
                options.format = Format::of(Path::new(&form.path)).unwrap_or(Format::Png);
                commands.push(Command::Export(ExportRequest {
                    options,
                    target: ExportTarget::Folder(absolute(form.folder.trim())),
                }));
            }
        }
    }
    let views = state.map.map_or(0, |m| m.saved_views.len());
    if views > 0 {
        let label = lang.tf(T::ExportViewsButton, &[("n", &format::count(views, lang))]);
        if ui
            .add_enabled(!running, egui::Button::new(label))
            .on_hover_text(lang.t(T::TipExportViews))
            .clicked()
        {
            if form.folder.trim().is_empty() {
                form.hint = Some(lang.t(T::ExportNeedsFolder).to_string());
            } else if let Some(map) = state.map {
                form.hint = None;
                let mut options = form.current_options(state);
                options.format = Format::of(Path::new(&form.path)).unwrap_or(Format::Png);
                commands.push(Command::Export(ExportRequest {
                    options,
                    target: ExportTarget::Views(
                        absolute(form.folder.trim()),
                        map.saved_views.clone(),
                    ),
                }));
            }
        }
    }
    if let Some(target) = state.exporting {
        let target = match target {
            ExportTarget::File(p) | ExportTarget::Folder(p) | ExportTarget::Views(p, _) => {
                p.display().to_string()
            }
        };
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(lang.tf(T::ExportRunning, &[("target", &target)]));
        });
    }
    if let Some(hint) = &form.hint {
        ui.colored_label(ui.visuals().warn_fg_color, hint);
    }
    commands
}

fn preview_ui(ui: &mut Ui, state: &Shown<'_>, form: &mut ExportForm, map: &MapSnapshot) {
    let options = form.current_options(state);
    let fresh =
        !matches!(&form.preview, Some((o, g, _)) if *o == options && *g == state.scene_generation);
    if fresh {
        let image = compose_page(map, state.view, &options, Some(preview_width(&options)))
            .ok()
            .and_then(|page| raster::rasterize(&page).ok())
            .map(|pixmap| {
                ColorImage::from_rgba_premultiplied(
                    [pixmap.width() as usize, pixmap.height() as usize],
                    pixmap.data(),
                )
            });
        form.preview = image.map(|image| {
            let texture =
                ui.ctx()
                    .load_texture("export-preview", image, egui::TextureOptions::LINEAR);
            (options, state.scene_generation, texture)
        });
    }
    if let Some((_, _, texture)) = &form.preview {
        let response = ui.add(
            egui::Image::new(texture)
                .fit_to_exact_size(texture.size_vec2())
                .sense(egui::Sense::hover()),
        );
        name(&response, state.lang().t(T::ExportPreview));
    }
}
