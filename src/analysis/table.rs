//! A table as read from a file: a header and rows of cells, and the way a cell's text is read
//! as a number (German `1.234,5` or English `1,234.5`, suppression markers never zero).
//!
//! Pure data and text rules, no files: the readers in `io::table` make tables, the join
//! ([`super::join`]) and the measure lists read them.

/// A cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text as written (numbers in CSV are text until parsed).
    Text(String),
    /// A typed number (XLSX).
    Number(f64),
}

impl Cell {
    /// The cell as text, for keys and messages.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{n:.0}"),
            Cell::Number(n) => n.to_string(),
        }
    }
}

/// How numbers are written in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalStyle {
    /// `1.234,5`
    Comma,
    /// `1,234.5`
    Point,
}

/// What the reader found out about the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialect {
    /// The separator (None for spreadsheets).
    pub delimiter: Option<char>,
    /// Number format.
    pub decimal: DecimalStyle,
    /// "UTF-8", "UTF-8 mit BOM", "Windows-1252" or "XLSX".
    pub encoding: &'static str,
    /// Lines skipped above the header.
    pub skipped_lines: usize,
}

/// A table: a header and rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The file, for messages.
    pub file: String,
    /// Column names.
    pub headers: Vec<String>,
    /// Data rows, each as long as `headers`.
    pub rows: Vec<Vec<Cell>>,
    /// 1-based line (CSV) or row (sheet) of each data row, for messages.
    pub lines: Vec<usize>,
    /// How the file was read.
    pub dialect: Dialect,
}

impl Table {
    /// The index of a column by name (exact, then case-insensitive).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name).or_else(|| {
            self.headers
                .iter()
                .position(|h| h.eq_ignore_ascii_case(name))
        })
    }
}

/// Removes units and spacing around a number: "12,5 %" → "12,5", "1 234" → "1234".
pub fn strip_number_decoration(text: &str) -> String {
    text.trim()
        .trim_end_matches(['%', '‰'])
        .replace('−', "-")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}' && *c != '\'')
        .collect()
}

/// Markers that mean "withheld for data protection" in German statistics tables.
pub const SUPPRESSION_MARKERS: &[&str] = &["*", "–", "-", "—", "x", "X", ".", "()", "/", "…"];

/// What a cell holds as a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParsedNumber {
    /// A number.
    Number(f64),
    /// A suppression marker.
    Suppressed,
    /// Nothing.
    Empty,
    /// Text that is no number.
    NotANumber,
}

/// Parses a cell as a number in `style`.
pub fn parse_number(cell: &Cell, style: DecimalStyle) -> ParsedNumber {
    let text = match cell {
        Cell::Empty => return ParsedNumber::Empty,
        Cell::Number(n) if n.is_finite() => return ParsedNumber::Number(*n),
        Cell::Number(_) => return ParsedNumber::NotANumber,
        Cell::Text(t) => t,
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return ParsedNumber::Empty;
    }
    if SUPPRESSION_MARKERS.contains(&trimmed) {
        return ParsedNumber::Suppressed;
    }
    let t = strip_number_decoration(trimmed);
    let normalised = match style {
        DecimalStyle::Comma => t.replace('.', "").replace(',', "."),
        DecimalStyle::Point => t.replace(',', ""),
    };
    let plain = normalised.strip_prefix('+').unwrap_or(&normalised);
    let looks_numeric = !plain.is_empty()
        && plain
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == 'e' || c == 'E');
    match plain.parse::<f64>() {
        Ok(v) if looks_numeric && v.is_finite() => ParsedNumber::Number(v),
        _ => ParsedNumber::NotANumber,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(t: &str) -> Cell {
        Cell::Text(t.to_string())
    }

    #[test]
    fn numbers_in_german_and_english_writing() {
        use DecimalStyle::{Comma, Point};
        let cases = [
            ("1.234,5", Comma, ParsedNumber::Number(1234.5)),
            ("24,1 %", Comma, ParsedNumber::Number(24.1)),
            ("−3,5", Comma, ParsedNumber::Number(-3.5)),
            ("258.246", Comma, ParsedNumber::Number(258_246.0)),
            ("1 234", Comma, ParsedNumber::Number(1234.0)),
            ("1,234.5", Point, ParsedNumber::Number(1234.5)),
            ("12.5", Point, ParsedNumber::Number(12.5)),
            ("+7", Point, ParsedNumber::Number(7.0)),
            ("*", Comma, ParsedNumber::Suppressed),
            ("–", Comma, ParsedNumber::Suppressed),
            (".", Point, ParsedNumber::Suppressed),
            ("", Comma, ParsedNumber::Empty),
            ("k.A.", Comma, ParsedNumber::NotANumber),
            ("12a", Point, ParsedNumber::NotANumber),
        ];
        for (text, style, expected) in cases {
            assert_eq!(
                parse_number(&cell(text), style),
                expected,
                "{text:?} {style:?}"
            );
        }
        assert_eq!(
            parse_number(&Cell::Number(3.0), DecimalStyle::Comma),
            ParsedNumber::Number(3.0)
        );
    }
}
