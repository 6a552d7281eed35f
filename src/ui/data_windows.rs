//! Windows about data: the indicator catalogue and the path prompt for saving and loading.

use std::path::{Path, PathBuf};

use eframe::egui::{self, ComboBox, Context, RichText, ScrollArea, TextEdit};

use super::command::{Command, PathPurpose, Window};
use crate::document::Document;
use crate::document::edit::Edit;
use crate::i18n::{Lang, T};
use crate::model::{Polarity, Unit};
use crate::ui::file_picker::{FilePicker, PickMode};
use crate::ui::name;

const UNITS: [Unit; 9] = [
    Unit::Percent,
    Unit::PerThousand,
    Unit::Persons,
    Unit::PersonsPerKm2,
    Unit::SquareKilometres,
    Unit::Euro,
    Unit::Years,
    Unit::Index,
    Unit::None,
];

fn unit_name(unit: &Unit, lang: Lang) -> String {
    match unit.symbol(lang.is_english()) {
        "" => "–".to_string(),
        s => s.to_string(),
    }
}

fn polarity_name(p: Polarity, lang: Lang) -> &'static str {
    lang.t(match p {
        Polarity::HighIsNeed => T::PolarityNeed,
        Polarity::HighIsStrength => T::PolarityStrength,
        Polarity::Neutral => T::PolarityNeutral,
    })
}

/// The catalogue editor: every change replaces one entry.
/// `locked`: why the catalogue may only be read here (a shared register), if so.
pub fn catalogue_window_ui(
    ctx: &Context,
    map: &Document,
    locked: Option<&str>,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new(Window::Catalogue.title(lang))
        .open(&mut open)
        .default_width(1180.0)
        .default_height(460.0)
        .show(ctx, |ui| {
            super::locked_hint(ui, locked);
            ui.add_enabled_ui(locked.is_none(), |ui| {
                ScrollArea::both().show(ui, |ui| {
                    egui::Grid::new("catalogue")
                        .striped(true)
                        .num_columns(11)
                        .show(ui, |ui| {
                            for h in [
                                T::CatalogueKey,
                                T::CatalogueLabelDe,
                                T::CatalogueLabelEn,
                                T::CatalogueUnit,
                                T::CataloguePolarity,
                                T::CatalogueTheme,
                                T::CatalogueSource,
                                T::CatalogueDate,
                                T::CatalogueDecimals,
                                T::CatalogueCases,
                                T::CatalogueDenominator,
                            ] {
                                ui.label(RichText::new(lang.t(h)).strong());
                            }
                            ui.end_row();
                            let keys: Vec<String> = map
                                .indicators
                                .indicators()
                                .iter()
                                .map(|i| i.key.clone())
                                .collect();
                            for (position, original) in
                                map.indicators.indicators().iter().enumerate()
                            {
                                let mut i = original.clone();
                                ui.label(RichText::new(&i.key).monospace());
                                let key = original.key.clone();
                                let text =
                                    |ui: &mut egui::Ui, value: &mut String, width: f32, what: T| {
                                        let r = ui
                                            .add_sized([width, 20.0], TextEdit::singleline(value));
                                        name(&r, &format!("{key}: {}", lang.t(what)));
                                    };
                                text(ui, &mut i.label_de, 220.0, T::CatalogueLabelDe);
                                text(ui, &mut i.label_en, 180.0, T::CatalogueLabelEn);
                                let r = ComboBox::from_id_salt(("unit", position))
                                    .selected_text(unit_name(&i.unit, lang))
                                    .show_ui(ui, |ui| {
                                        for u in UNITS {
                                            let name = unit_name(&u, lang);
                                            ui.selectable_value(&mut i.unit, u, name);
                                        }
                                    });
                                name(&r.response, &format!("{key}: {}", lang.t(T::CatalogueUnit)));
                                let r = ComboBox::from_id_salt(("polarity", position))
                                    .selected_text(polarity_name(i.polarity, lang))
                                    .show_ui(ui, |ui| {
                                        for p in [
                                            Polarity::HighIsNeed,
                                            Polarity::HighIsStrength,
                                            Polarity::Neutral,
                                        ] {
                                            ui.selectable_value(
                                                &mut i.polarity,
                                                p,
                                                polarity_name(p, lang),
                                            );
                                        }
                                    });
                                name(
                                    &r.response,
                                    &format!("{key}: {}", lang.t(T::CataloguePolarity)),
                                );
                                text(ui, &mut i.theme, 140.0, T::CatalogueTheme);
                                text(ui, &mut i.source, 180.0, T::CatalogueSource);
                                text(ui, &mut i.reference_date, 80.0, T::CatalogueDate);
                                let r = ui.add(egui::DragValue::new(&mut i.decimals).range(0..=4));
                                name(&r, &format!("{key}: {}", lang.t(T::CatalogueDecimals)));
                                for (slot, salt, what) in [
                                    (&mut i.cases, "cases", T::CatalogueCases),
                                    (&mut i.denominator, "denominator", T::CatalogueDenominator),
                                ] {
                                    let r = ComboBox::from_id_salt((salt, position))
                                        .selected_text(
                                            slot.clone().unwrap_or_else(|| "–".to_string()),
                                        )
                                        .show_ui(ui, |ui| {
                                            ui.selectable_value(slot, None, "–");
                                            for k in &keys {
                                                if *k != original.key {
                                                    ui.selectable_value(slot, Some(k.clone()), k);
                                                }
                                            }
                                        });
                                    name(&r.response, &format!("{key}: {}", lang.t(what)));
                                }
                                ui.end_row();
                                if i != *original {
                                    commands.push(Command::Edit(Edit::SetIndicator {
                                        position,
                                        indicator: Box::new(i),
                                    }));
                                }
                            }
                        });
                });
            });
        });
    if !open {
        commands.push(Command::ShowWindow(Window::Catalogue, false));
    }
    commands
}

/// The path typed (or chosen in the native dialog) for saving or loading.
#[derive(Debug, Default)]
pub struct PathForm {
    /// The path.
    pub path: String,
    /// The native file dialog.
    picker: FilePicker,
    /// What the form was last opened for.
    purpose: Option<PathPurpose>,
}

impl PathForm {
    /// The form opens for `purpose`: a save suggests a name beside the map file (opened for
    /// something else before, it forgets that path).
    pub fn opening(&mut self, purpose: PathPurpose, map_path: Option<&Path>, lang: Lang) {
        if self.purpose == Some(purpose) && !self.path.is_empty() {
            return;
        }
        self.purpose = Some(purpose);
        let (what, extension) = match purpose {
            PathPurpose::SaveMap => (lang.t(T::SaveMapDefaultName), "geojson"),
            PathPurpose::SaveRules => (lang.t(T::SaveRulesDefaultName), "toml"),
            PathPurpose::SaveProject => (lang.t(T::ProjectDefaultName), "gpkg"),
            PathPurpose::ExportMeasures => (lang.t(T::MeasuresDefaultName), "csv"),
            PathPurpose::LoadRules | PathPurpose::ImportMeasures => {
                self.path.clear();
                return;
            }
        };
        self.path = crate::ui::file_picker::beside_map(map_path, what, extension);
    }
}

/// Asks for a file path, then issues the save or load.
pub fn path_window_ui(
    ctx: &Context,
    purpose: PathPurpose,
    form: &mut PathForm,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    if let Some(path) = form.picker.poll() {
        form.path = path.display().to_string();
    }
    let mut open = true;
    egui::Window::new(Window::Path(purpose).title(lang))
        .open(&mut open)
        .collapsible(false)
        .default_width(480.0)
        .show(ctx, |ui| {
            ui.label(lang.t(T::PathLabel));
            let (mode, filter, suggested): (PickMode, (&str, &[&str]), Option<&str>) = match purpose
            {
                PathPurpose::SaveMap => (
                    PickMode::Save,
                    ("GeoJSON", &["geojson", "json"]),
                    Some("sozialraeume.geojson"),
                ),
                PathPurpose::SaveRules => (
                    PickMode::Save,
                    (lang.t(T::RulesFilter), &["toml"]),
                    Some("regeln.toml"),
                ),
                PathPurpose::LoadRules => {
                    (PickMode::Open, (lang.t(T::RulesFilter), &["toml"]), None)
                }
                PathPurpose::SaveProject => (
                    PickMode::Save,
                    ("GeoPackage", &["gpkg"]),
                    Some("projekt.gpkg"),
                ),
                PathPurpose::ExportMeasures => (
                    PickMode::Save,
                    ("CSV, XLSX", &["csv", "xlsx"]),
                    Some("massnahmen.csv"),
                ),
                PathPurpose::ImportMeasures => (
                    PickMode::Open,
                    ("CSV, XLSX", &["csv", "txt", "xlsx", "xls", "ods"]),
                    None,
                ),
            };
            let edit = ui
                .horizontal(|ui| {
                    let edit = ui.add(TextEdit::singleline(&mut form.path).desired_width(380.0));
                    name(&edit, lang.t(T::PathLabel));
                    if form.path.is_empty() && ui.memory(|m| m.focused().is_none()) {
                        edit.request_focus();
                    }
                    form.picker
                        .browse_button(ui, lang.t(T::OpenBrowse), mode, filter, suggested);
                    edit
                })
                .inner;
            if form.picker.unavailable {
                ui.label(RichText::new(lang.t(T::NoDialog)).weak());
            }
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                let ok = ui.button(lang.t(T::Ok)).clicked() || enter;
                if ok && !form.path.trim().is_empty() {
                    let path = PathBuf::from(form.path.trim());
                    commands.push(match purpose {
                        PathPurpose::SaveMap => Command::SaveMap(path),
                        PathPurpose::SaveRules => Command::SaveRules(path),
                        PathPurpose::LoadRules => Command::LoadRules(path),
                        PathPurpose::SaveProject => Command::SaveProjectAs(path),
                        PathPurpose::ExportMeasures => Command::ExportMeasures(path),
                        PathPurpose::ImportMeasures => Command::ImportMeasures(path),
                    });
                    commands.push(Command::ShowWindow(Window::Path(purpose), false));
                }
                if ui.button(lang.t(T::Cancel)).clicked() {
                    commands.push(Command::ShowWindow(Window::Path(purpose), false));
                }
            });
        });
    if !open {
        commands.push(Command::ShowWindow(Window::Path(purpose), false));
    }
    commands
}
