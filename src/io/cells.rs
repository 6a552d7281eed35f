//! Cells of exported spreadsheets (CSV for German Excel, XLSX) that are safe to open, and the
//! way back on import.
//!
//! A text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is taken by Excel
//! and LibreOffice for a formula (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`): OWASP's rule against
//! such "CSV injection" is to put a `'` in front, which spreadsheets show as plain text. Import
//! takes exactly that `'` away again, so a title like `=1+1` makes the round trip unchanged;
//! a text that itself starts with quotes before such a character gets one more on export and
//! loses one on import, so every text comes back as it was.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `text` would be read as a formula, or is one behind our own quotes.
fn needs_quote(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// The text as a spreadsheet cell that is never a formula.
pub fn neutralised(text: &str) -> Cow<'_, str> {
    if needs_quote(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The text of an imported cell, with the quote of [`neutralised`] taken away.
pub fn restored(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => text,
    }
}

/// A CSV field (`;`-separated, German Excel): neutralised, and quoted where it holds a
/// separator, a quote or a line break.
pub fn csv_field(text: &str) -> String {
    let text = neutralised(text);
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_quoted_and_come_back_unchanged() {
        for text in [
            "=HYPERLINK(\"http://x\";\"klick\")",
            "=cmd|' /C calc'!A0",
            "@SUM(A1:A9)",
            "+49 241 5198",
            "-5",
            "\t=1+1",
            "\r=1",
            "'=schon zitiert",
            "''@zweimal",
            "Sprachcafé",
            "'s-Hertogenbosch",
            "",
        ] {
            let out = neutralised(text);
            assert!(!out.starts_with(FORMULA_START), "{text:?} -> {out:?}");
            assert_eq!(restored(&out), text, "{text:?}");
        }
        assert_eq!(neutralised("Quartiersbüro"), "Quartiersbüro");
        assert_eq!(neutralised("=1+1"), "'=1+1");
        assert_eq!(csv_field("Haaren"), "Haaren");
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("„x“ \"y\""), "\"„x“ \"\"y\"\"\"");
        assert_eq!(csv_field("=1;2"), "\"'=1;2\"");
    }
}
