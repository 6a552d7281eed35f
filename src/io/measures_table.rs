//! Measure lists in and out: CSV for German Excel (`;`, UTF-8 with BOM), XLSX, and import of an
//! existing list (CSV or XLSX) with a report of what was taken and what was not.
//!
//! Export and import share one column list, so an exported file imports again unchanged. On
//! import a row is only refused when it cannot be a measure (no title, end before start, a
//! text longer than its field takes); everything else that is unreadable (an unknown area
//! code, a date like "Frühjahr") is left out of that measure with a note naming the line, so
//! nothing in a planner's list is lost silently. Text cells that a spreadsheet would take for
//! a formula are written with a leading `'` and read back without it ([`super::cells`]).

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};
use thiserror::Error;

use super::atomic::write_atomically;
use super::cells::{csv_field, neutralised, restored};
use super::table::{DecimalStyle, ParsedNumber, Table, TableError, parse_number, read_table};
use crate::analysis::join::normalize_key;
use crate::i18n::{Lang, T, format, labels};
use crate::model::{
    ActionFieldSet, Date, Measure, MeasureRegister, Priority, Region, Responsibility, Status,
    Timestamp,
};

/// The columns, in order.
const COLUMNS: [T; 17] = [
    T::ColNr,
    T::ColTitle,
    T::ColDescription,
    T::ColFields,
    T::ColAreas,
    T::ColMunicipalities,
    T::ColResponsibility,
    T::ColLead,
    T::ColPartners,
    T::ColStatus,
    T::ColStart,
    T::ColEnd,
    T::ColBudget,
    T::ColPriority,
    T::ColNotes,
    T::ColCreated,
    T::ColChanged,
];

/// Why a measure list could not be written or read.
#[derive(Debug, Error)]
pub enum MeasuresFileError {
    /// Writing failed.
    #[error("{file}: cannot be written: {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The XLSX writer failed.
    #[error("{file}: cannot be written: {message}")]
    Xlsx {
        /// The file.
        file: String,
        /// The cause.
        message: String,
    },
    /// The table could not be read.
    #[error("{0}")]
    Table(TableError),
    /// No title column.
    #[error("{file}: {message}")]
    NoTitleColumn {
        /// The file.
        file: String,
        /// The message (German).
        message: String,
        /// The message (English).
        message_en: String,
    },
}

impl MeasuresFileError {
    /// The message in the user's language.
    pub fn describe(&self, lang: Lang) -> String {
        let de = lang == Lang::De;
        match self {
            MeasuresFileError::Io { file, source } if de => {
                format!("{file}: kann nicht geschrieben werden: {source}")
            }
            MeasuresFileError::Xlsx { file, message } if de => {
                format!("{file}: kann nicht geschrieben werden: {message}")
            }
            MeasuresFileError::Table(e) => e.describe(lang),
            MeasuresFileError::NoTitleColumn {
                file,
                message,
                message_en,
            } => format!("{file}: {}", if de { message } else { message_en }),
            other => other.to_string(),
        }
    }
}

fn date_text(d: Option<Date>, lang: Lang) -> String {
    d.map(|d| format::date(d, lang)).unwrap_or_default()
}

fn timestamp_text(t: Timestamp, lang: Lang) -> String {
    if t.0 == 0 {
        return String::new();
    }
    let (d, h, m, _) = t.date_time();
    format!("{} {h:02}:{m:02}", format::date(d, lang))
}

/// One measure as the cells of a row.
fn row(m: &Measure, lang: Lang) -> Vec<String> {
    let budget = m
        .budget_eur
        .map(|b| {
            let text = format!("{b}");
            if lang == Lang::De {
                text.replace('.', ",")
            } else {
                text
            }
        })
        .unwrap_or_default();
    vec![
        m.id.to_string(),
        m.title.clone(),
        m.description.clone(),
        m.fields.to_numbers(),
        m.areas.join("; "),
        m.municipalities.join("; "),
        labels::responsibility(m.responsibility, lang).to_string(),
        m.lead.clone(),
        m.partners.clone(),
        labels::status(m.status, lang).to_string(),
        date_text(m.start, lang),
        date_text(m.end, lang),
        budget,
        m.priority
            .map(|p| labels::priority(Some(p), lang).to_string())
            .unwrap_or_default(),
        m.notes.clone(),
        timestamp_text(m.created, lang),
        timestamp_text(m.changed, lang),
    ]
}

/// The CSV text: `;`-separated, with a BOM so German Excel reads UTF-8 and umlauts.
pub fn measures_csv(measures: &[Measure], lang: Lang) -> String {
    let mut out = String::from("\u{feff}");
    let header: Vec<&str> = COLUMNS.iter().map(|c| lang.t(*c)).collect();
    out.push_str(&header.join(";"));
    out.push_str("\r\n");
    for m in measures {
        let cells: Vec<String> = row(m, lang).iter().map(|c| csv_field(c)).collect();
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    }
    out
}

/// The most characters an Excel cell holds.
pub const XLSX_CELL_MAX: usize = 32_767;

/// Writes the measures as CSV or, for `.xlsx`, as a workbook (budget as a number cell).
/// Returns notes on cells that had to be shortened (one per cell, naming line and column):
/// one over-long text never stops the whole list.
pub fn write_measures(
    path: &Path,
    measures: &[Measure],
    lang: Lang,
) -> Result<Vec<String>, MeasuresFileError> {
    let file = path.display().to_string();
    let is_xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let mut notes = Vec::new();
    let bytes = if is_xlsx {
        xlsx_bytes(measures, lang, &mut notes).map_err(|e| MeasuresFileError::Xlsx {
            file: file.clone(),
            message: e.to_string(),
        })?
    } else {
        measures_csv(measures, lang).into_bytes()
    };
    write_atomically(path, &bytes).map_err(|source| MeasuresFileError::Io { file, source })?;
    Ok(notes)
}

fn xlsx_bytes(
    measures: &[Measure],
    lang: Lang,
    notes: &mut Vec<String>,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(if lang == Lang::De {
        "Maßnahmen"
    } else {
        "Measures"
    })?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00 €");
    for (c, col) in COLUMNS.iter().enumerate() {
        sheet.write_with_format(0, c as u16, lang.t(*col), &bold)?;
    }
    for (r, m) in measures.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, text) in row(m, lang).into_iter().enumerate() {
            let c = c as u16;
            match (COLUMNS[c as usize], m.budget_eur) {
                (T::ColNr, _) => {
                    sheet.write_number(r, c, m.id as f64)?;
                }
                (T::ColBudget, Some(b)) => {
                    sheet.write_number_with_format(r, c, b, &money)?;
                }
                (column, _) if !text.is_empty() => {
                    let safe = neutralised(&text);
                    let cell: String = if safe.chars().count() > XLSX_CELL_MAX {
                        notes.push(lang.tf(
                            T::MeasureCellShortened,
                            &[
                                ("line", &(r + 1).to_string()),
                                ("column", lang.t(column)),
                                ("max", &format::count(XLSX_CELL_MAX, lang)),
                            ],
                        ));
                        safe.chars().take(XLSX_CELL_MAX).collect()
                    } else {
                        safe.into_owned()
                    };
                    sheet.write_string(r, c, cell)?;
                }
                _ => {}
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    book.save_to_buffer()
}

/// What an import took and what it did not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeasureImportReport {
    /// The file.
    pub file: String,
    /// Rows taken as measures.
    pub taken: usize,
    /// Rows not taken: (line, reason).
    pub skipped: Vec<(usize, String)>,
    /// Values left out of a taken measure: (line, what).
    pub notes: Vec<(usize, String)>,
}

impl MeasureImportReport {
    /// One line for the status notice.
    pub fn summary(&self, lang: Lang) -> String {
        lang.tf(
            T::MeasureImported,
            &[
                ("n", &format::count(self.taken, lang)),
                ("skipped", &format::count(self.skipped.len(), lang)),
                ("notes", &format::count(self.notes.len(), lang)),
                ("file", &self.file),
            ],
        )
    }
}

/// Header spellings per column (German and English labels, keys, common variants).
fn column_of(table: &Table, column: T) -> Option<usize> {
    let names: &[&str] = match column {
        T::ColNr => &["nr", "no", "id", "nummer"],
        T::ColTitle => &[
            "titel",
            "title",
            "maßnahme",
            "massnahme",
            "bezeichnung",
            "name",
        ],
        T::ColDescription => &["beschreibung", "description", "inhalt"],
        T::ColFields => &[
            "handlungsfelder",
            "handlungsfeld",
            "fields of action",
            "felder",
            "hf",
        ],
        T::ColAreas => &[
            "sozialräume",
            "sozialraeume",
            "sozialraum",
            "areas",
            "codes",
            "code",
        ],
        T::ColMunicipalities => &[
            "kommunen",
            "kommune",
            "municipalities",
            "municipality",
            "gemeinde",
        ],
        T::ColResponsibility => &[
            "verantwortung",
            "responsibility",
            "zuständigkeit",
            "bereich",
        ],
        T::ColLead => &["federführung", "federfuehrung", "lead", "verantwortlich"],
        T::ColPartners => &["partner", "partners", "kooperationspartner"],
        T::ColStatus => &["status", "stand"],
        T::ColStart => &["beginn", "start", "von", "anfang"],
        T::ColEnd => &["ende", "end", "bis"],
        T::ColBudget => &[
            "budget (€)",
            "budget",
            "budget_eur",
            "kosten",
            "budget in €",
            "mittel (€)",
        ],
        T::ColPriority => &["priorität", "prioritaet", "priority"],
        T::ColNotes => &["notizen", "notes", "bemerkungen", "anmerkungen"],
        T::ColCreated => &["erstellt", "created"],
        T::ColChanged => &["geändert", "changed", "geaendert"],
        _ => &[],
    };
    table
        .headers
        .iter()
        .position(|h| names.contains(&h.trim().to_lowercase().as_str()))
}

/// Reads a measure list. Measures get id 0 (the register assigns ids); rows equal to an
/// existing measure (same title and areas) are not taken twice.
pub fn read_measures(
    path: &Path,
    region: &Region,
    existing: &MeasureRegister,
    lang: Lang,
) -> Result<(Vec<Measure>, MeasureImportReport), MeasuresFileError> {
    let table = read_table(path).map_err(MeasuresFileError::Table)?;
    let Some(title_col) = column_of(&table, T::ColTitle) else {
        let columns = table.headers.join(", ");
        return Err(MeasuresFileError::NoTitleColumn {
            file: table.file.clone(),
            message: Lang::De.tf(T::MeasureNoTitleColumn, &[("columns", &columns)]),
            message_en: Lang::En.tf(T::MeasureNoTitleColumn, &[("columns", &columns)]),
        });
    };
    let columns = Columns {
        title: title_col,
        found: COLUMNS.iter().map(|c| column_of(&table, *c)).collect(),
    };
    let codes: std::collections::HashMap<String, &str> = region
        .spaces
        .iter()
        .map(|s| (normalize_key(&s.code), s.code.as_str()))
        .collect();
    let mut report = MeasureImportReport {
        file: table.file.clone(),
        ..MeasureImportReport::default()
    };
    let mut seen: std::collections::HashSet<(String, Vec<String>)> = existing
        .all()
        .iter()
        .map(|m| (m.title.clone(), m.areas.clone()))
        .collect();
    let mut out = Vec::new();
    for (r, cells) in table.rows.iter().enumerate() {
        let line = table.lines.get(r).copied().unwrap_or(r + 2);
        if cells.iter().all(|c| c.text().is_empty()) {
            continue;
        }
        let row = Row {
            cells,
            columns: &columns,
            decimal: table.dialect.decimal,
        };
        let (measure, notes) = measure_of(&row, region, &codes, lang);
        if let Some(problem) = measure.problem() {
            report
                .skipped
                .push((line, labels::measure_problem(problem, &measure, lang)));
            continue;
        }
        let key = (measure.title.clone(), measure.areas.clone());
        if seen.contains(&key) {
            report
                .skipped
                .push((line, lang.t(T::MeasureDuplicate).to_string()));
            continue;
        }
        seen.insert(key);
        report.notes.extend(notes.into_iter().map(|n| (line, n)));
        report.taken += 1;
        out.push(measure);
    }
    Ok((out, report))
}

/// Where the list's columns are: the title's, and each of [`COLUMNS`] if the list has it.
struct Columns {
    title: usize,
    found: Vec<Option<usize>>,
}

/// One row of a measure list.
struct Row<'a> {
    cells: &'a [super::table::Cell],
    columns: &'a Columns,
    decimal: DecimalStyle,
}

impl Row<'_> {
    /// The cell of `column`, if the list has the column.
    fn cell(&self, column: T) -> Option<&super::table::Cell> {
        COLUMNS
            .iter()
            .position(|x| *x == column)
            .and_then(|i| self.columns.found[i])
            .and_then(|i| self.cells.get(i))
    }

    /// The text of `column` ("" when the list has no such column).
    fn text(&self, column: T) -> String {
        self.cell(column).map(cell_text).unwrap_or_default()
    }
}

/// What was wrong in a row and what was taken instead, in the user's language.
struct Notes {
    lang: Lang,
    notes: Vec<String>,
}

impl Notes {
    fn bad(&mut self, column: T, value: &str, fallback: T) {
        let lang = self.lang;
        self.notes.push(lang.tf(
            T::MeasureBadValue,
            &[
                ("column", lang.t(column)),
                ("value", value),
                ("fallback", lang.t(fallback)),
            ],
        ));
    }
}

/// The measure a row describes, with notes on what could not be read as written.
fn measure_of(
    row: &Row<'_>,
    region: &Region,
    codes: &std::collections::HashMap<String, &str>,
    lang: Lang,
) -> (Measure, Vec<String>) {
    let mut notes = Notes {
        lang,
        notes: Vec::new(),
    };
    let (areas, unknown_areas) = areas_of(&row.text(T::ColAreas), codes);
    let fields_text = row.text(T::ColFields);
    let fields: ActionFieldSet = fields_text
        .split([',', ';', ' ', '/'])
        .filter_map(crate::model::ActionField::parse)
        .collect();
    if fields.is_empty() && !fields_text.trim().is_empty() {
        notes.bad(T::ColFields, &fields_text, T::MeasureFallbackEmpty);
    }
    let start = date_of(row, T::ColStart, &mut notes);
    let end = date_of(row, T::ColEnd, &mut notes);
    let budget_eur = budget_of(row, &mut notes);
    let (responsibility, status, priority) = choices_of(row, &mut notes);
    let municipalities_text = row.text(T::ColMunicipalities);
    let municipalities = if municipalities_text.is_empty() {
        municipalities_of(region, &areas)
    } else {
        municipalities_text
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    for code in unknown_areas {
        notes
            .notes
            .push(lang.tf(T::MeasureUnknownArea, &[("code", &code)]));
    }
    let measure = Measure {
        uid: crate::model::Uid::default(),
        id: 0,
        title: row
            .cells
            .get(row.columns.title)
            .map(cell_text)
            .unwrap_or_default(),
        description: row.text(T::ColDescription),
        fields,
        areas,
        municipalities,
        responsibility,
        lead: row.text(T::ColLead),
        partners: row.text(T::ColPartners),
        status,
        start,
        end,
        budget_eur,
        priority,
        notes: row.text(T::ColNotes),
        created: parse_timestamp(&row.text(T::ColCreated)),
        changed: parse_timestamp(&row.text(T::ColChanged)),
    };
    (measure, notes.notes)
}

/// The area codes in `text` as the map writes them, each once, and the ones it does not
/// know.
fn areas_of(
    text: &str,
    codes: &std::collections::HashMap<String, &str>,
) -> (Vec<String>, Vec<String>) {
    let mut areas: Vec<String> = Vec::new();
    let mut unknown = Vec::new();
    for code in text
        .split([';', ',', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        match codes.get(&normalize_key(code)) {
            Some(c) if !areas.iter().any(|a| a == c) => areas.push(c.to_string()),
            Some(_) => {}
            None => unknown.push(code.to_string()),
        }
    }
    (areas, unknown)
}

/// A date as typed (German or ISO) or as Excel keeps it (a day number).
fn date_of(row: &Row<'_>, column: T, notes: &mut Notes) -> Option<Date> {
    let t = row.text(column);
    if t.is_empty() {
        return None;
    }
    let d = Date::parse(&t).or_else(|| excel_serial_date(row.cell(column)));
    if d.is_none() {
        notes.bad(column, &t, T::MeasureFallbackEmpty);
    }
    d
}

/// The budget in euros (German or English decimals, with or without "€").
fn budget_of(row: &Row<'_>, notes: &mut Notes) -> Option<f64> {
    let cell = row.cell(T::ColBudget)?;
    match parse_number(cell, budget_style(cell, row.decimal)) {
        ParsedNumber::Number(v) => Some(v),
        ParsedNumber::Empty => None,
        _ => {
            notes.bad(T::ColBudget, &cell.text(), T::MeasureFallbackEmpty);
            None
        }
    }
}

/// Responsibility, status and priority, read in either language; an unknown word falls back
/// to the default (priority: none) with a note.
fn choices_of(row: &Row<'_>, notes: &mut Notes) -> (Responsibility, Status, Option<Priority>) {
    let responsibility_text = row.text(T::ColResponsibility);
    let responsibility = Responsibility::parse(&responsibility_text).unwrap_or_else(|| {
        if !responsibility_text.is_empty() {
            notes.bad(
                T::ColResponsibility,
                &responsibility_text,
                T::MeasureFallbackDefault,
            );
        }
        Responsibility::default()
    });
    let status_text = row.text(T::ColStatus);
    let status = Status::parse(&status_text).unwrap_or_else(|| {
        if !status_text.is_empty() {
            notes.bad(T::ColStatus, &status_text, T::MeasureFallbackDefault);
        }
        Status::default()
    });
    let priority_text = row.text(T::ColPriority);
    let priority = Priority::parse(&priority_text);
    if priority.is_none() && !priority_text.is_empty() && priority_text != "–" {
        notes.bad(T::ColPriority, &priority_text, T::MeasureFallbackEmpty);
    }
    (responsibility, status, priority)
}

/// The text of a cell as a measure keeps it: spaces around it go, a leading tab stays (it is
/// part of what was written), and the quote that protected a formula-like text on export
/// is taken away.
fn cell_text(cell: &super::table::Cell) -> String {
    match cell {
        super::table::Cell::Text(t) => {
            let t = t.trim_start_matches(' ').trim_end();
            restored(t).to_string()
        }
        other => other.text(),
    }
}

/// A budget cell: "12.500" in a German file is twelve thousand five hundred.
fn budget_style(cell: &super::table::Cell, file_style: DecimalStyle) -> DecimalStyle {
    match cell {
        super::table::Cell::Text(t) if t.contains(',') && !t.contains('.') => {
            // "12500,50" is German whatever the rest of the file says.
            DecimalStyle::Comma
        }
        _ => file_style,
    }
}

/// Excel stores dates as day numbers since 1899-12-30.
fn excel_serial_date(cell: Option<&super::table::Cell>) -> Option<Date> {
    match cell {
        Some(super::table::Cell::Number(n)) if (1.0..200_000.0).contains(n) => {
            Some(Date::from_days_since_epoch(n.trunc() as i64 - 25_569))
        }
        _ => None,
    }
}

/// "25.11.2026 08:15" or ISO; 0 when empty or unreadable (the app then stamps "now").
fn parse_timestamp(text: &str) -> Timestamp {
    let t = text.trim();
    if t.is_empty() {
        return Timestamp(0);
    }
    if let Some(ts) = Timestamp::parse(t) {
        return ts;
    }
    let (date, time) = t.split_once(' ').unwrap_or((t, "00:00"));
    Date::parse(date)
        .and_then(|d| Timestamp::parse(&format!("{d}T{time}")))
        .unwrap_or(Timestamp(0))
}

/// The municipalities of some areas, in order of first appearance.
pub fn municipalities_of(region: &Region, codes: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for code in codes {
        if let Some(m) = region
            .space_by_code(code)
            .and_then(|i| region.municipality_of(i))
            && !out.contains(&m.name)
        {
            out.push(m.name.clone());
        }
    }
    out
}
