//! Windows about data: the indicator catalogue, importing a table, the join report, and the
//! path prompt for saving and loading.

use std::path::PathBuf;

use eframe::egui::{self, ComboBox, Context, RichText, ScrollArea, TextEdit};

use crate::app::{Command, Edit, LoadedMap, PathPurpose, Window};
use crate::i18n::{Lang, T, format};
use crate::io::join::{JoinOptions, JoinReport, Layout};
use crate::model::{Polarity, Unit};

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
pub fn catalogue_window_ui(ctx: &Context, map: &LoadedMap, lang: Lang) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new(lang.t(T::CatalogueTitle))
        .open(&mut open)
        .default_width(980.0)
        .default_height(460.0)
        .show(ctx, |ui| {
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
                        for (position, original) in map.indicators.indicators().iter().enumerate() {
                            let mut i = original.clone();
                            ui.label(RichText::new(&i.key).monospace());
                            ui.add(TextEdit::singleline(&mut i.label_de).desired_width(200.0));
                            ui.add(TextEdit::singleline(&mut i.label_en).desired_width(160.0));
                            ComboBox::from_id_salt(("unit", position))
                                .selected_text(unit_name(&i.unit, lang))
                                .show_ui(ui, |ui| {
                                    for u in UNITS {
                                        let name = unit_name(&u, lang);
                                        ui.selectable_value(&mut i.unit, u, name);
                                    }
                                });
                            ComboBox::from_id_salt(("polarity", position))
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
                            ui.add(TextEdit::singleline(&mut i.theme).desired_width(120.0));
                            ui.add(TextEdit::singleline(&mut i.source).desired_width(140.0));
                            ui.add(TextEdit::singleline(&mut i.reference_date).desired_width(80.0));
                            ui.add(egui::DragValue::new(&mut i.decimals).range(0..=4));
                            for (slot, salt) in
                                [(&mut i.cases, "cases"), (&mut i.denominator, "denominator")]
                            {
                                ComboBox::from_id_salt((salt, position))
                                    .selected_text(slot.clone().unwrap_or_else(|| "–".to_string()))
                                    .show_ui(ui, |ui| {
                                        ui.selectable_value(slot, None, "–");
                                        for k in &keys {
                                            if *k != original.key {
                                                ui.selectable_value(slot, Some(k.clone()), k);
                                            }
                                        }
                                    });
                            }
                            ui.end_row();
                            if i != *original {
                                commands.push(Command::Edit(Edit::SetIndicator {
                                    position,
                                    indicator: i,
                                }));
                            }
                        }
                    });
            });
        });
    if !open {
        commands.push(Command::ShowWindow(Window::Catalogue, false));
    }
    commands
}

/// What the user typed into the table import window.
#[derive(Debug, Default)]
pub struct TableForm {
    /// The file.
    pub path: String,
    /// The key column.
    pub key_column: String,
    /// The property to match.
    pub target: String,
    /// Long layout?
    pub long: bool,
    /// Indicator column(s), comma separated.
    pub indicator_columns: String,
    /// Value column.
    pub value_column: String,
    /// Year column.
    pub year_column: String,
    /// Year.
    pub year: String,
}

fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl TableForm {
    /// The join options the form describes.
    pub fn options(&self) -> JoinOptions {
        JoinOptions {
            key_column: optional(&self.key_column),
            target: optional(&self.target),
            layout: if self.long {
                Layout::Long {
                    indicator: self
                        .indicator_columns
                        .split(',')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_string)
                        .collect(),
                    value: self.value_column.trim().to_string(),
                    year: optional(&self.year_column).map(|c| (c, optional(&self.year))),
                }
            } else {
                Layout::Wide
            },
        }
    }
}

/// The table import window.
pub fn import_table_window_ui(ctx: &Context, form: &mut TableForm, lang: Lang) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new(lang.t(T::ImportTableTitle))
        .open(&mut open)
        .default_width(520.0)
        .show(ctx, |ui| {
            egui::Grid::new("table-form").num_columns(2).show(ui, |ui| {
                ui.label(lang.t(T::ImportTableFile));
                ui.add(TextEdit::singleline(&mut form.path).desired_width(320.0));
                ui.end_row();
                ui.label(lang.t(T::ImportKeyColumn));
                ui.text_edit_singleline(&mut form.key_column);
                ui.end_row();
                ui.label(lang.t(T::ImportTarget));
                ui.text_edit_singleline(&mut form.target);
                ui.end_row();
                ui.label(lang.t(T::ImportLayout));
                ui.vertical(|ui| {
                    ui.radio_value(&mut form.long, false, lang.t(T::ImportWide));
                    ui.radio_value(&mut form.long, true, lang.t(T::ImportLong));
                });
                ui.end_row();
                if form.long {
                    ui.label(lang.t(T::ImportIndicatorColumns));
                    ui.text_edit_singleline(&mut form.indicator_columns);
                    ui.end_row();
                    ui.label(lang.t(T::ImportValueColumn));
                    ui.text_edit_singleline(&mut form.value_column);
                    ui.end_row();
                    ui.label(lang.t(T::ImportYearColumn));
                    ui.text_edit_singleline(&mut form.year_column);
                    ui.end_row();
                    ui.label(lang.t(T::ImportYear));
                    ui.text_edit_singleline(&mut form.year);
                    ui.end_row();
                }
            });
            ui.separator();
            ui.horizontal(|ui| {
                let ready = !form.path.trim().is_empty();
                if ui
                    .add_enabled(ready, egui::Button::new(lang.t(T::ImportButton)))
                    .clicked()
                {
                    commands.push(Command::Edit(Edit::ImportTable {
                        path: PathBuf::from(form.path.trim()),
                        options: form.options(),
                    }));
                }
                if ui.button(lang.t(T::Cancel)).clicked() {
                    commands.push(Command::ShowWindow(Window::ImportTable, false));
                }
            });
        });
    if !open {
        commands.push(Command::ShowWindow(Window::ImportTable, false));
    }
    commands
}

/// The report of the last join.
pub fn join_report_window_ui(
    ctx: &Context,
    report: &JoinReport,
    total_areas: usize,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    let n = |v: usize| format::count(v, lang);
    egui::Window::new(lang.t(T::JoinReportTitle))
        .open(&mut open)
        .default_width(560.0)
        .show(ctx, |ui| {
            ui.label(RichText::new(&report.file).monospace());
            ui.label(lang.tf(
                T::JoinKey,
                &[("column", &report.key_column), ("target", &report.target)],
            ));
            if let Some(y) = &report.year {
                ui.label(lang.tf(T::JoinYear, &[("year", y)]));
            }
            ui.label(
                RichText::new(lang.tf(
                    T::JoinMatched,
                    &[("n", &n(report.matched_areas)), ("total", &n(total_areas))],
                ))
                .strong(),
            );
            ui.add(
                egui::Label::new(lang.tf(
                    T::JoinIndicators,
                    &[("list", &report.indicators.join(", "))],
                ))
                .wrap(),
            );
            if !report.replaced.is_empty() {
                ui.label(lang.tf(T::JoinReplaced, &[("list", &report.replaced.join(", "))]));
            }
            ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
                let line = |l: usize| lang.tf(T::JoinLine, &[("line", &l.to_string())]);
                egui::CollapsingHeader::new(
                    lang.tf(T::JoinUnmatched, &[("n", &n(report.unmatched_rows.len()))]),
                )
                .show(ui, |ui| {
                    for (l, key) in report.unmatched_rows.iter().take(200) {
                        ui.label(format!("{}: {key}", line(*l)));
                    }
                });
                egui::CollapsingHeader::new(lang.tf(
                    T::JoinWithout,
                    &[("n", &n(report.areas_without_data.len()))],
                ))
                .show(ui, |ui| {
                    ui.add(egui::Label::new(report.areas_without_data.join(", ")).wrap());
                });
                egui::CollapsingHeader::new(
                    lang.tf(T::JoinDuplicates, &[("n", &n(report.duplicate_keys.len()))]),
                )
                .show(ui, |ui| {
                    for (key, lines) in report.duplicate_keys.iter().take(200) {
                        let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                        ui.label(format!("{key}: {}", lines.join(", ")));
                    }
                });
                egui::CollapsingHeader::new(
                    lang.tf(T::JoinBadCells, &[("n", &n(report.bad_cells.len()))]),
                )
                .show(ui, |ui| {
                    for b in report.bad_cells.iter().take(200) {
                        ui.label(format!("{}, {}: „{}“", line(b.line), b.column, b.text));
                    }
                });
                ui.label(lang.tf(T::JoinSuppressed, &[("n", &n(report.suppressed))]));
            });
        });
    if !open {
        commands.push(Command::ShowWindow(Window::JoinReport, false));
    }
    commands
}

/// The path typed for saving or loading.
#[derive(Debug, Default)]
pub struct PathForm {
    /// The path.
    pub path: String,
}

/// Asks for a file path, then issues the save or load.
pub fn path_window_ui(
    ctx: &Context,
    purpose: PathPurpose,
    form: &mut PathForm,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    let title = match purpose {
        PathPurpose::SaveMap | PathPurpose::SaveRules => lang.t(T::SaveTitle),
        PathPurpose::LoadRules => lang.t(T::LoadTitle),
    };
    egui::Window::new(title)
        .open(&mut open)
        .collapsible(false)
        .default_width(480.0)
        .show(ctx, |ui| {
            ui.label(lang.t(T::PathLabel));
            let edit = ui.add(TextEdit::singleline(&mut form.path).desired_width(440.0));
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                let ok = ui.button(lang.t(T::Ok)).clicked() || enter;
                if ok && !form.path.trim().is_empty() {
                    let path = PathBuf::from(form.path.trim());
                    commands.push(Command::Edit(match purpose {
                        PathPurpose::SaveMap => Edit::SaveMap(path),
                        PathPurpose::SaveRules => Edit::SaveRules(path),
                        PathPurpose::LoadRules => Edit::LoadRules(path),
                    }));
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
