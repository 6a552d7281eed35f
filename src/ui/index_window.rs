//! Building a composite index: choose indicators, their direction and weight, the
//! standardisation, a name and how to read it; the robustness of the classes is shown while
//! choosing. And the index's definition sheet, saved as text or PDF.

use std::path::PathBuf;

use eframe::egui::{self, Context, DragValue, RichText, ScrollArea, TextEdit, Ui};

use super::command::{Command, Window};
use crate::analysis::index::{WeightEffect, index_indicator, robustness};
use crate::document::Document;
use crate::i18n::{Lang, T, format};
use crate::model::{IndexDefinition, IndexInput, Polarity, Standardisation};
use crate::scene::index_sheet::{LineKind, standardisation_name};
use crate::ui::file_picker::{FilePicker, PickMode};

/// One indicator offered for the index.
#[derive(Debug, Clone, PartialEq)]
pub struct InputRow {
    /// The indicator's key.
    pub key: String,
    /// Taken into the index.
    pub on: bool,
    /// Its weight.
    pub weight: f64,
    /// Turned round.
    pub inverted: bool,
}

/// What the user chose; kept between frames.
#[derive(Debug, Default)]
pub struct IndexForm {
    /// The name of the index.
    pub name: String,
    /// How to read it.
    pub reading: String,
    /// The standardisation.
    pub standardisation: Standardisation,
    /// One row per indicator of the map (indices left out).
    pub rows: Vec<InputRow>,
    /// The key of the index being changed (None: a new one).
    pub editing: Option<String>,
    /// The last robustness check, for the definition it was made for.
    preview: Option<(IndexDefinition, Vec<WeightEffect>)>,
    /// Where the sheet is saved.
    pub sheet_path: String,
    /// The sheet shown, for the index (definition included) and language it was made for.
    sheet_cache: Option<(
        crate::model::Indicator,
        Lang,
        Vec<crate::scene::index_sheet::SheetLine>,
    )>,
    picker: FilePicker,
}

impl IndexForm {
    /// Fills the rows from the map's indicators (keeping choices made), or from the index
    /// `key` to change it.
    pub fn prepare(&mut self, map: &Document, key: Option<&str>) {
        let table = &map.indicators;
        let existing = key
            .and_then(|k| table.position(k))
            .map(|p| table.indicators()[p].clone())
            .filter(|i| i.index.is_some());
        let mut rows: Vec<InputRow> = table
            .indicators()
            .iter()
            .filter(|i| i.index.is_none())
            .map(|i| {
                self.rows
                    .iter()
                    .find(|r| r.key == i.key)
                    .cloned()
                    .unwrap_or(InputRow {
                        key: i.key.clone(),
                        on: false,
                        weight: 1.0,
                        inverted: i.polarity == Polarity::HighIsStrength,
                    })
            })
            .collect();
        if let Some(indicator) = &existing
            && let Some(def) = &indicator.index
        {
            for row in &mut rows {
                row.on = false;
            }
            for input in &def.inputs {
                if let Some(row) = rows.iter_mut().find(|r| r.key == input.indicator) {
                    row.on = true;
                    row.weight = input.weight;
                    row.inverted = input.inverted;
                }
            }
            self.name = indicator.label_de.clone();
            self.reading = def.reading.clone();
            self.standardisation = def.standardisation;
        }
        self.editing = existing.map(|i| i.key);
        self.rows = rows;
    }

    /// The definition the form describes.
    pub fn definition(&self) -> IndexDefinition {
        IndexDefinition {
            inputs: self
                .rows
                .iter()
                .filter(|r| r.on && r.weight > 0.0)
                .map(|r| IndexInput {
                    indicator: r.key.clone(),
                    weight: r.weight,
                    inverted: r.inverted,
                })
                .collect(),
            standardisation: self.standardisation,
            reading: self.reading.trim().to_string(),
        }
    }

    /// The key of the index: the one changed, or one made from the name.
    pub fn key(&self, map: &Document) -> String {
        if let Some(k) = &self.editing {
            return k.clone();
        }
        let base = crate::analysis::join::indicator_key(&self.name);
        let base = if base.is_empty() {
            "index".to_string()
        } else {
            format!("index_{base}")
        };
        let mut key = base.clone();
        let mut n = 2;
        while map.indicators.position(&key).is_some() {
            key = format!("{base}_{n}");
            n += 1;
        }
        key
    }
}

/// The builder window.
pub fn index_window_ui(
    ctx: &Context,
    map: &Document,
    form: &mut IndexForm,
    locked: Option<&str>,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    if form.rows.is_empty() {
        form.prepare(map, None);
    }
    let mut open = true;
    egui::Window::new(Window::IndexBuilder.title(lang))
        .open(&mut open)
        .default_width(600.0)
        .show(ctx, |ui| {
            if let Some(why) = locked {
                ui.label(RichText::new(why).weak());
            }
            ui.label(RichText::new(lang.t(T::IndexIntro)).weak());
            egui::Grid::new("index-head").num_columns(2).show(ui, |ui| {
                ui.label(lang.t(T::IndexName));
                let r = ui.add(TextEdit::singleline(&mut form.name).desired_width(300.0));
                super::name(&r, lang.t(T::IndexName));
                ui.end_row();
                ui.label(lang.t(T::IndexStandardisation));
                ui.horizontal(|ui| {
                    for s in Standardisation::ALL {
                        ui.radio_value(&mut form.standardisation, s, standardisation_name(s, lang));
                    }
                });
                ui.end_row();
            });
            inputs_ui(ui, map, form, lang);
            ui.label(lang.t(T::IndexReading));
            let r = ui.add(
                TextEdit::multiline(&mut form.reading)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
                    .hint_text(lang.t(T::IndexReadingHint)),
            );
            super::name(&r, lang.t(T::IndexReading));
            let def = form.definition();
            robustness_ui(ui, map, form, &def, lang);
            ui.separator();
            ui.horizontal(|ui| {
                let ready =
                    locked.is_none() && !def.inputs.is_empty() && !form.name.trim().is_empty();
                let label = lang.t(if form.editing.is_some() {
                    T::IndexUpdate
                } else {
                    T::IndexCreate
                });
                if ui.add_enabled(ready, egui::Button::new(label)).clicked() {
                    let indicator =
                        index_indicator(&form.key(map), form.name.trim(), "", def.clone());
                    commands.push(Command::PutIndex(Box::new(indicator)));
                }
                if ui.button(lang.t(T::Cancel)).clicked() {
                    commands.push(Command::ShowWindow(Window::IndexBuilder, false));
                }
            });
        });
    if !open {
        commands.push(Command::ShowWindow(Window::IndexBuilder, false));
    }
    commands
}

/// One row per indicator: taken or not, weight, turned round.
fn inputs_ui(ui: &mut Ui, map: &Document, form: &mut IndexForm, lang: Lang) {
    let table = &map.indicators;
    ui.label(RichText::new(lang.t(T::IndexInputs)).strong());
    ScrollArea::vertical()
        .id_salt("index-inputs")
        .auto_shrink([false, true])
        .max_height(260.0)
        .show(ui, |ui| {
            egui::Grid::new("index-inputs-grid")
                .num_columns(3)
                .striped(true)
                .show(ui, |ui| {
                    ui.label(RichText::new(lang.t(T::ColIndicator)).strong());
                    ui.label(RichText::new(lang.t(T::IndexWeight)).strong());
                    ui.label(RichText::new(lang.t(T::IndexDirection)).strong());
                    ui.end_row();
                    for row in &mut form.rows {
                        let label = table.label_of(&row.key, lang.is_english());
                        let r = ui.checkbox(&mut row.on, &label);
                        super::name(&r, &label);
                        let weight = ui.add_enabled(
                            row.on,
                            DragValue::new(&mut row.weight)
                                .range(0.0..=100.0)
                                .speed(0.05),
                        );
                        super::name(&weight, &format!("{}: {label}", lang.t(T::IndexWeight)));
                        ui.add_enabled_ui(row.on, |ui| {
                            ui.checkbox(&mut row.inverted, lang.t(T::IndexInverted))
                                .on_hover_text(lang.t(T::TipIndexInverted));
                        });
                        ui.end_row();
                    }
                });
        });
}

/// The robustness of the classes, computed again only when the definition changed.
fn robustness_ui(
    ui: &mut Ui,
    map: &Document,
    form: &mut IndexForm,
    def: &IndexDefinition,
    lang: Lang,
) {
    if def.inputs.is_empty() {
        return;
    }
    let stale = form.preview.as_ref().is_none_or(|(d, _)| d != def);
    if stale {
        let effects = robustness(&map.indicators, def, 5, None).unwrap_or_default();
        form.preview = Some((def.clone(), effects));
    }
    let Some((_, effects)) = &form.preview else {
        return;
    };
    ui.label(RichText::new(lang.t(T::SheetRobustness)).strong());
    ui.label(
        RichText::new(lang.tf(
            T::SheetRobustnessIntro,
            &[("n", &format::count(map.region.spaces.len(), lang))],
        ))
        .small(),
    );
    for e in effects {
        let label = map.indicators.label_of(&e.indicator, lang.is_english());
        ui.label(
            RichText::new(lang.tf(
                T::SheetRobustnessRow,
                &[
                    ("label", &label),
                    ("up", &format::count(e.up, lang)),
                    ("down", &format::count(e.down, lang)),
                ],
            ))
            .small(),
        );
    }
}

/// The definition sheet window, with saving as PDF or text.
pub fn sheet_window_ui(
    ctx: &Context,
    map: &Document,
    key: Option<&str>,
    form: &mut IndexForm,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(indicator) = key
        .and_then(|k| map.indicators.position(k))
        .map(|p| map.indicators.indicators()[p].clone())
    else {
        return vec![Command::ShowWindow(Window::IndexSheet, false)];
    };
    form.picker.fill(
        &mut form.sheet_path,
        map.path.as_deref(),
        &format!("indikatorenblatt_{}", indicator.key),
        "pdf",
    );
    // The robustness check behind the sheet runs again only when the index changed.
    let fresh = form
        .sheet_cache
        .as_ref()
        .is_some_and(|(i, l, _)| *i == indicator && *l == lang);
    if !fresh {
        let lines = crate::export::index_sheet::sheet_lines(map, &indicator, lang);
        form.sheet_cache = Some((indicator.clone(), lang, lines));
    }
    let lines = form
        .sheet_cache
        .as_ref()
        .map(|(_, _, l)| l.clone())
        .unwrap_or_default();
    let mut open = true;
    egui::Window::new(Window::IndexSheet.title(lang))
        .open(&mut open)
        .default_width(560.0)
        .show(ctx, |ui| {
            ScrollArea::vertical().max_height(460.0).show(ui, |ui| {
                for l in &lines {
                    let text = match l.kind {
                        LineKind::Title => RichText::new(&l.text).heading(),
                        LineKind::Heading => RichText::new(&l.text).strong(),
                        LineKind::Item => RichText::new(format!("– {}", l.text)),
                        LineKind::Body => RichText::new(&l.text),
                        LineKind::Small => RichText::new(&l.text).small().weak(),
                    };
                    if l.kind == LineKind::Heading {
                        ui.add_space(4.0);
                    }
                    ui.add(egui::Label::new(text).wrap());
                }
            });
            ui.separator();
            ui.horizontal(|ui| {
                let r = ui.add(TextEdit::singleline(&mut form.sheet_path).desired_width(340.0));
                super::name(&r, lang.t(T::IndexSheetFile));
                form.picker.browse_button(
                    ui,
                    lang.t(T::OpenBrowse),
                    PickMode::Save,
                    (lang.t(T::IndexSheetFilter), &["pdf", "txt"]),
                    None,
                );
            });
            ui.horizontal(|ui| {
                for (label, ext) in [(T::IndexSavePdf, "pdf"), (T::IndexSaveText, "txt")] {
                    if ui.button(lang.t(label)).clicked() {
                        let path = PathBuf::from(form.sheet_path.trim()).with_extension(ext);
                        form.sheet_path = path.display().to_string();
                        commands.push(Command::SaveIndexSheet {
                            key: indicator.key.clone(),
                            path,
                        });
                    }
                }
                if ui.button(lang.t(T::IndexEdit)).clicked() {
                    form.prepare(map, Some(&indicator.key));
                    commands.push(Command::ShowWindow(Window::IndexBuilder, true));
                }
            });
        });
    if !open {
        commands.push(Command::ShowWindow(Window::IndexSheet, false));
    }
    commands
}
