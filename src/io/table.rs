//! Indicator tables from CSV and XLSX, the way planners' Excel exports really look.
//!
//! CSV: UTF-8 with or without BOM, else Windows-1252; `;`, `,`, tab or `|` separated (the one
//! that splits the lines most consistently); quoted fields with `""` escapes and line breaks;
//! note lines above the header are skipped (the header is the first line with the table's usual
//! number of fields). Numbers are read as German (`1.234,5`) or English (`1,234.5`) depending on
//! what the cells show. XLSX (and XLS, ODS) through calamine: typed numbers, cached formula
//! results, merged cells as empty except their first cell. Cells stay as they are here;
//! [`parse_number`] (in `analysis::table`) turns them into values when a table is joined.

use std::path::Path;

use thiserror::Error;

use crate::analysis::table::strip_number_decoration;
pub use crate::analysis::table::{
    Cell, DecimalStyle, Dialect, ParsedNumber, SUPPRESSION_MARKERS, Table, parse_number,
};

/// Why a table cannot be read.
#[derive(Debug, Error)]
pub enum TableError {
    /// Reading failed.
    #[error("{file}: cannot be read: {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The spreadsheet cannot be opened.
    #[error("{file}: not a readable spreadsheet: {message}")]
    Spreadsheet {
        /// The file.
        file: String,
        /// calamine's message.
        message: String,
    },
    /// Binary data, not text.
    #[error("{file}: contains binary data, not a text table")]
    Binary {
        /// The file.
        file: String,
    },
    /// A quoted field opens and never closes: everything after it would be one cell.
    #[error("{file}: the quote opened in line {line} is never closed")]
    UnclosedQuote {
        /// The file.
        file: String,
        /// 1-based line where the quote opens.
        line: usize,
    },
    /// No header with at least two columns.
    #[error("{file}: no table found (no line with at least two columns)")]
    NoTable {
        /// The file.
        file: String,
    },
}

impl TableError {
    /// The message for the user, in German or English.
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        if lang == crate::i18n::Lang::En {
            return self.to_string();
        }
        match self {
            TableError::Io { file, source } => {
                let why = match source.kind() {
                    std::io::ErrorKind::NotFound => "Datei nicht gefunden".to_string(),
                    std::io::ErrorKind::PermissionDenied => "keine Leseberechtigung".to_string(),
                    std::io::ErrorKind::IsADirectory => "ist ein Ordner".to_string(),
                    _ => source.to_string(),
                };
                format!("{file}: kann nicht gelesen werden: {why}")
            }
            TableError::Binary { file } => format!(
                "{file}: enthält Binärdaten, keine Text-Tabelle (CSV) – ist es eine andere Dateiart?"
            ),
            TableError::UnclosedQuote { file, line } => format!(
                "{file}: das Anführungszeichen in Zeile {line} wird nie geschlossen – alles danach wäre eine Zelle. Bitte die Zeile in der Datei prüfen."
            ),
            TableError::Spreadsheet { file, message } => {
                format!("{file}: keine lesbare Tabellendatei: {message}")
            }
            TableError::NoTable { file } => {
                format!("{file}: keine Tabelle gefunden (keine Zeile mit mindestens zwei Spalten)")
            }
        }
    }
}

/// Reads a CSV or spreadsheet file, by its extension.
pub fn read_table(path: &Path) -> Result<Table, TableError> {
    let file = path.display().to_string();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|source| TableError::Io {
        file: file.clone(),
        source,
    })?;
    // The content decides: an XLSX saved as .csv is a spreadsheet, a CSV named .xlsx is text.
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let spreadsheet_name = matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods");
    if zip || ole || (spreadsheet_name && bytes.is_empty()) {
        return parse_spreadsheet(&bytes, &file);
    }
    parse_csv(&bytes, &file)
}

/// Decodes CSV bytes: UTF-8 (BOM stripped) or, if not valid UTF-8, Windows-1252.
fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8 mit BOM");
    }
    // Excel's "Unicode text" is UTF-16 with a byte-order mark.
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, _) = encoding.decode(bytes);
        return (text.into_owned(), encoding.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), "Windows-1252")
        }
    }
}

/// Splits CSV text into records of fields (RFC 4180 quoting), with each record's line.
fn records(text: &str, delimiter: char) -> Vec<(usize, Vec<String>)> {
    split_records(text, delimiter).0
}

/// [`records`], and the line of a quote still open at the end of the text.
fn split_records(text: &str, delimiter: char) -> (Vec<(usize, Vec<String>)>, Option<usize>) {
    let mut quote_line = 0usize;
    let mut out = Vec::new();
    let mut field = String::new();
    let mut record: Vec<String> = Vec::new();
    let mut quoted = false;
    let mut line = 1usize;
    let mut record_line = 1usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
                quote_line = line;
            }
            '\r' => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                out.push((record_line, std::mem::take(&mut record)));
                line += 1;
                record_line = line;
            }
            c if c == delimiter => record.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        out.push((record_line, record));
    }
    out.retain(|(_, r)| r.iter().any(|f| !f.trim().is_empty()) || r.len() > 1);
    (out, quoted.then_some(quote_line))
}

/// The separator that splits the first lines into the most consistent number of fields.
fn detect_delimiter(text: &str) -> char {
    let candidates = [';', ',', '\t', '|'];
    let sample: String = text.lines().take(60).collect::<Vec<_>>().join("\n");
    let mut best = (';', 0usize);
    for d in candidates {
        let recs = records(&sample, d);
        let counts: Vec<usize> = recs.iter().map(|(_, r)| r.len()).collect();
        let mode = mode_of(&counts);
        if mode < 2 {
            continue;
        }
        // Lines that agree with the most common field count, weighted by that count, less
        // the quotes that would stand inside a field: with the right separator, quotes
        // open and close whole fields.
        let score = (counts.iter().filter(|c| **c == mode).count() * mode)
            .saturating_sub(stray_quotes(&recs) * mode);
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// Fields with a quote inside (not a quoted field).
fn stray_quotes(records: &[(usize, Vec<String>)]) -> usize {
    records
        .iter()
        .flat_map(|(_, r)| r)
        .filter(|f| f.contains('"'))
        .count()
}

fn mode_of(counts: &[usize]) -> usize {
    let mut freq = std::collections::BTreeMap::new();
    for c in counts {
        *freq.entry(*c).or_insert(0usize) += 1;
    }
    freq.into_iter()
        .max_by_key(|(count, n)| (*n, *count))
        .map_or(0, |(count, _)| count)
}

/// Parses CSV bytes; `file` names the file in messages.
pub fn parse_csv(bytes: &[u8], file: &str) -> Result<Table, TableError> {
    let (text, encoding) = decode(bytes);
    // Text tables hold no control characters but tab and line breaks (a few stray ones are
    // tolerated); NUL bytes mean binary data or UTF-16 without a mark.
    let controls = text
        .chars()
        .take(65_536)
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
        .count();
    if text.contains('\0') || controls > 8 {
        return Err(TableError::Binary {
            file: file.to_string(),
        });
    }
    let delimiter = detect_delimiter(&text);
    let (recs, open_quote) = split_records(&text, delimiter);
    if let Some(line) = open_quote {
        return Err(TableError::UnclosedQuote {
            file: file.to_string(),
            line,
        });
    }
    let counts: Vec<usize> = recs.iter().take(60).map(|(_, r)| r.len()).collect();
    let width = mode_of(&counts);
    if width < 2 {
        return Err(TableError::NoTable {
            file: file.to_string(),
        });
    }
    // The header: the first line of the usual width whose fields are mostly filled (a note
    // line padded with separators, as Excel writes them, is not).
    let header_at = recs
        .iter()
        .position(|(_, r)| {
            let filled = r.iter().filter(|f| !f.trim().is_empty()).count();
            r.len() == width && filled >= 2 && filled * 2 >= width
        })
        .ok_or_else(|| TableError::NoTable {
            file: file.to_string(),
        })?;
    let headers: Vec<String> = recs[header_at]
        .1
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for (line, record) in recs.into_iter().skip(header_at + 1) {
        let mut row: Vec<Cell> = record
            .into_iter()
            .map(|f| {
                if f.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(f)
                }
            })
            .collect();
        row.resize(width, Cell::Empty);
        rows.push(row);
        lines.push(line);
    }
    let decimal = detect_decimal(&rows, Some(delimiter));
    Ok(Table {
        file: file.to_string(),
        headers,
        rows,
        lines,
        dialect: Dialect {
            delimiter: Some(delimiter),
            decimal,
            encoding,
            skipped_lines: header_at,
        },
    })
}

/// Parses a spreadsheet (XLSX, XLSM, XLS, XLSB or ODS, told by its content) from bytes; the
/// first sheet is the table.
pub fn parse_spreadsheet(bytes: &[u8], file: &str) -> Result<Table, TableError> {
    use calamine::{Data, Reader, open_workbook_auto_from_rs};
    let mut workbook = open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
        TableError::Spreadsheet {
            file: file.to_string(),
            message: e.to_string(),
        }
    })?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| TableError::NoTable {
            file: file.to_string(),
        })?
        .map_err(|e| TableError::Spreadsheet {
            file: file.to_string(),
            message: e.to_string(),
        })?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let cells: Vec<Vec<Cell>> = range
        .rows()
        .map(|row| {
            row.iter()
                .map(|d| match d {
                    Data::Empty => Cell::Empty,
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::Float(f) => Cell::Number(*f),
                    Data::String(s) if s.trim().is_empty() => Cell::Empty,
                    Data::String(s) => Cell::Text(s.clone()),
                    other => Cell::Text(other.to_string()),
                })
                .collect()
        })
        .collect();
    let filled = |row: &Vec<Cell>| row.iter().filter(|c| **c != Cell::Empty).count();
    let counts: Vec<usize> = cells.iter().take(60).map(filled).collect();
    let width = mode_of(
        &counts
            .iter()
            .copied()
            .filter(|c| *c > 0)
            .collect::<Vec<_>>(),
    );
    let header_at = cells
        .iter()
        .position(|r| filled(r) >= width.max(2))
        .ok_or_else(|| TableError::NoTable {
            file: file.to_string(),
        })?;
    let columns = cells[header_at]
        .iter()
        .rposition(|c| *c != Cell::Empty)
        .map_or(0, |i| i + 1);
    let headers: Vec<String> = cells[header_at][..columns].iter().map(Cell::text).collect();
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for (i, mut row) in cells.into_iter().enumerate().skip(header_at + 1) {
        if row.iter().all(|c| *c == Cell::Empty) {
            continue;
        }
        row.resize(columns, Cell::Empty);
        rows.push(row);
        lines.push(first_row + i + 1);
    }
    let decimal = detect_decimal(&rows, None);
    Ok(Table {
        file: file.to_string(),
        headers,
        rows,
        lines,
        dialect: Dialect {
            delimiter: None,
            decimal,
            encoding: "XLSX",
            skipped_lines: header_at,
        },
    })
}

/// German or English numbers, by counting cells only one of them can explain.
fn detect_decimal(rows: &[Vec<Cell>], delimiter: Option<char>) -> DecimalStyle {
    let (mut german, mut english) = (0usize, 0usize);
    for cell in rows.iter().flatten() {
        let Cell::Text(t) = cell else { continue };
        let t = strip_number_decoration(t);
        let Some(body) = t.strip_prefix(['-', '+']).or(Some(t.as_str())) else {
            continue;
        };
        if !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
            || body.is_empty()
        {
            continue;
        }
        let dots = body.matches('.').count();
        let commas = body.matches(',').count();
        match (dots, commas) {
            (0, 1) => german += 1,
            (1, 0) => {
                let frac = body.split('.').nth(1).map_or(0, str::len);
                // "1.234" could be a German thousand; other lengths are English decimals.
                if frac != 3 {
                    english += 1;
                }
            }
            (d, 1) if d >= 1 && body.rfind(',') > body.rfind('.') => german += 1,
            (1, c) if c >= 1 && body.rfind('.') > body.rfind(',') => english += 1,
            (d, 0) if d > 1 => german += 1,
            (0, c) if c > 1 => english += 1,
            _ => {}
        }
    }
    if german > english {
        DecimalStyle::Comma
    } else if english > german {
        DecimalStyle::Point
    } else if delimiter == Some(';') {
        DecimalStyle::Comma
    } else {
        DecimalStyle::Point
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(t: &str) -> Cell {
        Cell::Text(t.to_string())
    }

    fn table(text: &[u8]) -> Table {
        parse_csv(text, "t.csv").expect("a table")
    }

    #[test]
    fn german_excel_csv_with_bom_semicolons_and_decimal_commas() {
        let t = table("\u{feff}Code;Name;SGB-II-Quote;Einwohner\nAC 1;Markt;24,1;1.234\n\"AC 2\";\"Dom; Altstadt\";3,5;12.345\n".as_bytes());
        assert_eq!(t.dialect.delimiter, Some(';'));
        assert_eq!(t.dialect.decimal, DecimalStyle::Comma);
        assert_eq!(t.dialect.encoding, "UTF-8 mit BOM");
        assert_eq!(t.headers, vec!["Code", "Name", "SGB-II-Quote", "Einwohner"]);
        assert_eq!(t.rows[1][1], cell("Dom; Altstadt"));
        assert_eq!(
            parse_number(&t.rows[1][3], t.dialect.decimal),
            ParsedNumber::Number(12_345.0)
        );
        assert_eq!(t.lines, vec![2, 3]);
    }

    #[test]
    fn windows_1252_is_decoded() {
        // "Würselen" with ü = 0xFC in Windows-1252.
        let mut bytes = b"code;name;wert\nW 1;W".to_vec();
        bytes.push(0xFC);
        bytes.extend_from_slice(b"rselen;1,5\n");
        let t = table(&bytes);
        assert_eq!(t.dialect.encoding, "Windows-1252");
        assert_eq!(t.rows[0][1], cell("Würselen"));
    }

    #[test]
    fn comma_separated_english_tables_use_decimal_points() {
        let t = table(b"code,value,share\nA,1234.5,0.25\nB,\"1,234.5\",12.0\n");
        assert_eq!(t.dialect.delimiter, Some(','));
        assert_eq!(t.dialect.decimal, DecimalStyle::Point);
        assert_eq!(
            parse_number(&t.rows[1][1], t.dialect.decimal),
            ParsedNumber::Number(1234.5)
        );
    }

    #[test]
    fn note_lines_above_the_header_are_skipped_and_quotes_may_span_lines() {
        let t = table(
            "Quelle: Statistisches Amt;;\n;;\nAGS;Name;Wert\nk1;\"zwei\nZeilen\";1,5\nk2;x;2,5\n"
                .as_bytes(),
        );
        assert_eq!(t.dialect.skipped_lines, 2);
        assert_eq!(t.headers[0], "AGS");
        assert_eq!(t.rows[0][1], cell("zwei\nZeilen"));
        assert_eq!(t.lines, vec![4, 6]);
    }

    #[test]
    fn tabs_and_quoted_quotes() {
        let t = table(b"a\tb\n\"say \"\"hi\"\"\"\t1.5\n");
        assert_eq!(t.dialect.delimiter, Some('\t'));
        assert_eq!(t.rows[0][0], cell("say \"hi\""));
    }

    #[test]
    fn a_file_without_columns_is_no_table() {
        assert!(matches!(
            parse_csv(b"nur Text\nohne Spalten\n", "x.csv"),
            Err(TableError::NoTable { .. })
        ));
    }
}
