//! Importing an indicator table: the form (file, key, layout, with the file's columns to choose
//! from) and the join report afterwards.

use std::path::PathBuf;

use eframe::egui::{self, ComboBox, Context, RichText, ScrollArea, TextEdit, Ui};

use super::command::{Command, Window};
use crate::analysis::join::{JoinOptions, JoinReport, Layout};
use crate::document::Document;
use crate::i18n::{Lang, T, format};
use crate::io::table::read_table;
use crate::ui::file_picker::{FilePicker, PickMode};
use crate::ui::name;

/// What the user chose in the table import window; kept between frames.
#[derive(Debug, Default)]
pub struct TableForm {
    /// The file.
    pub path: String,
    /// The key column (empty: automatic).
    pub key_column: String,
    /// The areas' property to match (empty: the code or the best-matching property).
    pub target: String,
    /// Long layout?
    pub long: bool,
    /// Indicator column(s).
    pub indicator_columns: Vec<String>,
    /// Value column.
    pub value_column: String,
    /// Year column (empty: none).
    pub year_column: String,
    /// The only year to take from a long table (empty: every year).
    pub year: String,
    /// The year a wide table's values belong to (empty: none); guessed from the file name.
    pub table_year: String,
    /// A crosswalk file for a table of older areas (empty: none).
    pub crosswalk: String,
    /// How rates are weighted in the conversion: "flaeche" or an indicator key.
    pub crosswalk_weight: String,
    /// The file's columns, read when the path names a readable table.
    columns: Vec<String>,
    /// What was read about the file: rows, separator, encoding; or why it cannot be read.
    summary: String,
    /// The path the columns belong to.
    read_for: String,
    /// The native file dialog.
    picker: FilePicker,
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
                    indicator: self.indicator_columns.clone(),
                    value: self.value_column.trim().to_string(),
                    year: optional(&self.year_column).map(|c| (c, optional(&self.year))),
                }
            } else {
                Layout::Wide
            },
            table_year: if self.long {
                None
            } else {
                crate::analysis::join::parse_year(&self.table_year)
            },
            crosswalk: None,
        }
    }

    /// Reads the columns of the file when the path has changed and names a file.
    fn refresh_columns(&mut self, lang: Lang) {
        let path = self.path.trim().to_string();
        if path == self.read_for {
            return;
        }
        self.read_for = path.clone();
        self.table_year = year_in_name(&path)
            .map(|y| y.to_string())
            .unwrap_or_default();
        self.columns.clear();
        self.summary.clear();
        if !std::path::Path::new(&path).is_file() {
            return;
        }
        match read_table(std::path::Path::new(&path)) {
            Ok(table) => {
                self.summary = lang.tf(
                    T::ImportTableRead,
                    &[
                        ("rows", &format::count(table.rows.len(), lang)),
                        ("columns", &format::count(table.headers.len(), lang)),
                        ("encoding", table.dialect.encoding),
                        (
                            "separator",
                            &table
                                .dialect
                                .delimiter
                                .map_or_else(|| "–".to_string(), |d| format!("„{d}“")),
                        ),
                    ],
                );
                self.columns = table.headers;
                // Guess the long layout's columns by their usual names.
                let find = |names: &[&str]| {
                    self.columns
                        .iter()
                        .find(|c| names.contains(&c.to_lowercase().as_str()))
                        .cloned()
                };
                if let Some(v) = find(&["wert", "value", "zahl", "anzahl", "n"]) {
                    self.value_column = v;
                }
                if let Some(y) = find(&["jahr", "year", "stichtag"]) {
                    self.year_column = y;
                }
                self.indicator_columns.retain(|c| self.columns.contains(c));
            }
            Err(e) => self.summary = e.describe(lang),
        }
    }
}

/// A year such as 2016 in a file's name ("sozialdaten_2016.csv"), the guess for the year of a
/// wide table's values.
fn year_in_name(path: &str) -> Option<i32> {
    let name = std::path::Path::new(path)
        .file_stem()?
        .to_string_lossy()
        .into_owned();
    let digits: Vec<char> = name.chars().collect();
    (0..digits.len().saturating_sub(3)).find_map(|i| {
        let window: String = digits[i..i + 4].iter().collect();
        let alone = |j: Option<&char>| j.is_none_or(|c| !c.is_ascii_digit());
        let before = i.checked_sub(1).and_then(|j| digits.get(j));
        (alone(before) && alone(digits.get(i + 4)))
            .then(|| window.parse::<i32>().ok())
            .flatten()
            .filter(|y| (1950..=2100).contains(y))
    })
}

/// A choice among the file's columns, with a first entry for "none"/"automatic".
fn column_combo(
    ui: &mut Ui,
    id: &str,
    value: &mut String,
    columns: &[String],
    empty: &str,
    label: &str,
) {
    let shown = if value.is_empty() {
        empty.to_string()
    } else {
        value.clone()
    };
    let r = ComboBox::from_id_salt(id)
        .selected_text(shown)
        .width(260.0)
        .wrap_mode(egui::TextWrapMode::Truncate)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, String::new(), empty);
            for c in columns {
                ui.selectable_value(value, c.clone(), c);
            }
        });
    name(&r.response, label);
}

/// The table import window.
pub fn import_table_window_ui(
    ctx: &Context,
    form: &mut TableForm,
    map: &Document,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    if let Some(path) = form.picker.poll() {
        form.path = path.display().to_string();
    }
    form.refresh_columns(lang);
    let mut open = true;
    egui::Window::new(Window::ImportTable.title(lang))
        .open(&mut open)
        .default_width(560.0)
        .show(ctx, |ui| {
            file_row_ui(ui, form, lang);
            ui.add_space(4.0);
            let columns = form.columns.clone();
            egui::Grid::new("table-form").num_columns(2).show(ui, |ui| {
                key_rows_ui(ui, form, map, &columns, lang);
                if form.long {
                    long_rows_ui(ui, form, &columns, lang);
                } else {
                    ui.label(lang.t(T::ImportTableYear));
                    let r = ui.add(TextEdit::singleline(&mut form.table_year).desired_width(80.0));
                    name(&r, lang.t(T::ImportTableYear));
                    ui.end_row();
                }
                ui.label(lang.t(T::ImportCrosswalk))
                    .on_hover_text(lang.t(T::TipImportCrosswalk));
                let r = ui.add(
                    TextEdit::singleline(&mut form.crosswalk)
                        .desired_width(300.0)
                        .hint_text(lang.t(T::ImportCrosswalkHint)),
                );
                name(&r, lang.t(T::ImportCrosswalk));
                ui.end_row();
                if !form.crosswalk.trim().is_empty() {
                    ui.label(lang.t(T::ImportCrosswalkWeight));
                    let r = ui.add(
                        TextEdit::singleline(&mut form.crosswalk_weight)
                            .desired_width(160.0)
                            .hint_text("flaeche"),
                    );
                    name(&r, lang.t(T::ImportCrosswalkWeight));
                    ui.end_row();
                }
            });
            ui.separator();
            ui.horizontal(|ui| {
                let long_ready = !form.long
                    || (!form.indicator_columns.is_empty() && !form.value_column.trim().is_empty());
                let ready = !form.path.trim().is_empty() && long_ready;
                if ui
                    .add_enabled(ready, egui::Button::new(lang.t(T::ImportButton)))
                    .clicked()
                {
                    commands.push(Command::ImportTable {
                        path: PathBuf::from(form.path.trim()),
                        options: form.options(),
                        crosswalk: optional(&form.crosswalk)
                            .map(|c| (PathBuf::from(c), form.crosswalk_weight.trim().to_string())),
                    });
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

/// The table file: typed or chosen, and what it holds once read.
fn file_row_ui(ui: &mut Ui, form: &mut TableForm, lang: Lang) {
    ui.label(lang.t(T::ImportTableFile));
    ui.horizontal(|ui| {
        let r = ui.add(TextEdit::singleline(&mut form.path).desired_width(400.0));
        name(&r, lang.t(T::ImportTableFile));
        // Typing goes to the path at once, not to the map behind the window.
        if form.path.is_empty() && ui.memory(|m| m.focused().is_none()) {
            r.request_focus();
        }
        form.picker.browse_button(
            ui,
            lang.t(T::OpenBrowse),
            PickMode::Open,
            (
                lang.t(T::ImportTableFilter),
                &["csv", "txt", "xlsx", "xlsm", "xls", "ods"],
            ),
            None,
        );
    });
    if form.picker.unavailable {
        ui.label(RichText::new(lang.t(T::NoDialog)).weak());
    }
    if !form.summary.is_empty() {
        ui.label(RichText::new(&form.summary).weak());
    }
}

/// Which column names the area, which property of the map it is matched with, and the
/// table's layout.
fn key_rows_ui(ui: &mut Ui, form: &mut TableForm, map: &Document, columns: &[String], lang: Lang) {
    ui.label(lang.t(T::ImportKeyColumn));
    column_combo(
        ui,
        "key-column",
        &mut form.key_column,
        columns,
        lang.t(T::ImportAutomatic),
        lang.t(T::ImportKeyColumn),
    );
    ui.end_row();
    ui.label(lang.t(T::ImportTarget));
    let mut properties: Vec<String> = map
        .region
        .spaces
        .first()
        .map(|s| s.properties.keys().map(str::to_string).collect())
        .unwrap_or_default();
    properties.sort();
    column_combo(
        ui,
        "target",
        &mut form.target,
        &properties,
        lang.t(T::ImportTargetCode),
        lang.t(T::ImportTarget),
    );
    ui.end_row();
    ui.label(lang.t(T::ImportLayout));
    ui.vertical(|ui| {
        ui.radio_value(&mut form.long, false, lang.t(T::ImportWide));
        ui.radio_value(&mut form.long, true, lang.t(T::ImportLong));
    });
    ui.end_row();
}

/// A long table: the columns that name the indicator, the value column, the year column
/// and the year to take.
fn long_rows_ui(ui: &mut Ui, form: &mut TableForm, columns: &[String], lang: Lang) {
    ui.label(lang.t(T::ImportIndicatorColumns));
    ui.vertical(|ui| {
        if columns.is_empty() {
            ui.label(RichText::new(lang.t(T::ImportChooseFileFirst)).weak());
        }
        ScrollArea::vertical()
            .id_salt("indicator-columns")
            .max_height(140.0)
            .show(ui, |ui| {
                for c in columns {
                    let mut on = form.indicator_columns.contains(c);
                    if ui.checkbox(&mut on, c).changed() {
                        if on {
                            form.indicator_columns.push(c.clone());
                        } else {
                            form.indicator_columns.retain(|x| x != c);
                        }
                    }
                }
            });
    });
    ui.end_row();
    ui.label(lang.t(T::ImportValueColumn));
    column_combo(
        ui,
        "value-column",
        &mut form.value_column,
        columns,
        "–",
        lang.t(T::ImportValueColumn),
    );
    ui.end_row();
    ui.label(lang.t(T::ImportYearColumn));
    column_combo(
        ui,
        "year-column",
        &mut form.year_column,
        columns,
        lang.t(T::ImportNone),
        lang.t(T::ImportYearColumn),
    );
    ui.end_row();
    ui.label(lang.t(T::ImportYear));
    let r = ui.add(TextEdit::singleline(&mut form.year).desired_width(80.0));
    name(&r, lang.t(T::ImportYear));
    ui.end_row();
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
    egui::Window::new(Window::JoinReport.title(lang))
        .open(&mut open)
        .default_width(560.0)
        .show(ctx, |ui| {
            ui.label(RichText::new(&report.file).monospace());
            ui.label(lang.tf(
                T::JoinKey,
                &[("column", &report.key_column), ("target", &report.target)],
            ));
            if let Some(c) = &report.crosswalk {
                ui.label(c.summary(lang));
            }
            for y in &report.years {
                ui.label(lang.tf(
                    T::JoinYear,
                    &[("year", &y.year.to_string()), ("n", &n(y.areas))],
                ));
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

#[cfg(test)]
mod tests {
    use super::year_in_name;

    #[test]
    fn a_year_in_the_file_name_is_the_guess() {
        assert_eq!(year_in_name("/d/sozialdaten_2016.csv"), Some(2016));
        assert_eq!(year_in_name("werte-2022-final.xlsx"), Some(2022));
        assert_eq!(
            year_in_name("tabelle 12345.csv"),
            None,
            "part of a longer number"
        );
        assert_eq!(year_in_name("werte.csv"), None);
        assert_eq!(
            year_in_name("/2019/werte.csv"),
            None,
            "only the name counts"
        );
    }
}
