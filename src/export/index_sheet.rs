//! Writing an index's definition sheet: PDF (A4, the embedded font) or plain text (UTF-8),
//! by the file's extension, replacing the target only when complete.

use std::path::Path;

use crate::document::Document;
use crate::i18n::Lang;
use crate::i18n::format;
use crate::model::Indicator;
use crate::scene::font::Font;
use crate::scene::index_sheet::{SheetLine, sheet, sheet_text};
use crate::scene::page::text::text_pages;

/// Writes `lines` to `path`: `.pdf` as PDF, anything else as text.
pub fn write_sheet(path: &Path, lines: &[SheetLine], lang: Lang) -> Result<(), String> {
    let file = path.display().to_string();
    let pdf = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    let bytes = if pdf {
        let font = Font::embedded().ok_or_else(|| format!("{file}: font"))?;
        let pages = text_pages(lines, &font, 1.0);
        crate::render::pdf::pdf_pages(&pages, &[]).map_err(|e| format!("{file}: {e}"))?
    } else {
        sheet_text(lines).into_bytes()
    };
    crate::io::atomic::write_atomically(path, &bytes).map_err(|e| {
        lang.tf(
            crate::i18n::T::ExportWriteFailed,
            &[("file", &file), ("reason", &e.to_string())],
        )
    })
}

/// The lines of the sheet of `indicator` (an index) in the map, robustness and date included.
pub fn sheet_lines(map: &Document, indicator: &Indicator, lang: Lang) -> Vec<SheetLine> {
    let effects = indicator
        .index
        .as_ref()
        .and_then(|def| crate::analysis::index::robustness(&map.indicators, def, 5, None).ok())
        .unwrap_or_default();
    let today = format::date(crate::export::map::today(), lang);
    sheet(
        indicator,
        &map.indicators,
        &effects,
        map.region.spaces.len(),
        &today,
        lang,
    )
}
