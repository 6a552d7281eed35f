//! What a file really is, told by its first bytes, and the text encodings a GeoJSON file
//! arrives in. Planners get files renamed, zipped, re-saved by Notepad or replaced by a
//! download's error page; each gets a message that says what the file is instead.

use std::borrow::Cow;

/// What the first bytes say a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// Nothing but white space.
    Empty,
    /// An HTML or XML page (often a server's error page saved as the download).
    Markup,
    /// A ZIP archive (a zipped Shapefile, an XLSX).
    Zip,
    /// An SQLite database (a GeoPackage).
    Sqlite,
    /// A Shapefile's `.shp`.
    Shp,
    /// A PDF document.
    Pdf,
    /// Anything else: to be parsed as text.
    Text,
}

/// Tells what `bytes` (the start of a file is enough) hold.
pub fn sniff(bytes: &[u8]) -> Content {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = text.iter().find(|b| !b.is_ascii_whitespace());
    if bytes.starts_with(b"PK\x03\x04") {
        Content::Zip
    } else if bytes.starts_with(b"SQLite format 3\0") {
        Content::Sqlite
    } else if bytes.starts_with(&[0, 0, 0x27, 0x0a]) {
        Content::Shp
    } else if bytes.starts_with(b"%PDF") {
        Content::Pdf
    } else if first.is_none() {
        Content::Empty
    } else if first == Some(&b'<') {
        Content::Markup
    } else {
        Content::Text
    }
}

/// What a file that should be GeoJSON holds instead, in German and English; None for text.
pub fn not_geojson(content: Content) -> Option<(&'static str, &'static str)> {
    Some(match content {
        Content::Text => return None,
        Content::Empty => ("die Datei ist leer.", "the file is empty."),
        Content::Markup => (
            "ist eine HTML-/XML-Seite, kein GeoJSON – vermutlich eine Fehlerseite, die statt der Datei heruntergeladen wurde.",
            "is an HTML/XML page, not GeoJSON – probably an error page saved instead of the download.",
        ),
        Content::Zip => (
            "ist ein ZIP-Archiv – bitte entpacken und die .geojson-, .shp- oder .gpkg-Datei darin öffnen.",
            "is a ZIP archive – unpack it and open the .geojson, .shp or .gpkg file inside.",
        ),
        Content::Sqlite => (
            "ist eine GeoPackage-/SQLite-Datei – bitte mit der Endung .gpkg öffnen.",
            "is a GeoPackage/SQLite file – open it with the extension .gpkg.",
        ),
        Content::Shp => (
            "ist ein Shapefile (.shp) – bitte mit der Endung .shp öffnen.",
            "is a Shapefile (.shp) – open it with the extension .shp.",
        ),
        Content::Pdf => (
            "ist ein PDF-Dokument, keine Kartendatei.",
            "is a PDF document, not a map file.",
        ),
    })
}

/// The text of a GeoJSON file as UTF-8: a UTF-8 byte-order mark dropped, UTF-16 (told by
/// its mark) converted. Other bytes are passed on as they are.
pub fn utf8_text(bytes: &[u8]) -> Cow<'_, [u8]> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Cow::Borrowed(rest);
    }
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes)
        && encoding != encoding_rs::UTF_8
    {
        let (text, _, _) = encoding.decode(bytes);
        return Cow::Owned(text.into_owned().into_bytes());
    }
    Cow::Borrowed(bytes)
}

/// Bytes that are not valid UTF-8, read as Windows-1252 (what German Windows programs write),
/// or None when they are valid UTF-8.
pub fn windows_1252_text(bytes: &[u8]) -> Option<Vec<u8>> {
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    Some(text.into_owned().into_bytes())
}

/// The literal at a 1-based line and column, if it is one JSON does not allow for a number:
/// `NaN`, `Infinity`, `-Infinity`.
pub fn non_finite_literal_at(bytes: &[u8], line: usize, column: usize) -> Option<&'static str> {
    let line_start = if line <= 1 {
        0
    } else {
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(line - 2)
            .map(|(i, _)| i + 1)?
    };
    // serde_json reports the column of the character it stopped at, which may be the one
    // before the literal: look a little around it.
    let at = line_start + column.saturating_sub(1);
    let window = bytes.get(at.saturating_sub(2)..(at + 12).min(bytes.len()))?;
    ["-Infinity", "Infinity", "NaN"]
        .into_iter()
        .find(|lit| window.windows(lit.len()).any(|w| w == lit.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_bytes_tell_the_kind_of_file() {
        assert_eq!(sniff(b""), Content::Empty);
        assert_eq!(sniff(b" \n\t"), Content::Empty);
        assert_eq!(sniff(b"\xEF\xBB\xBF  "), Content::Empty);
        assert_eq!(sniff(b"  <!DOCTYPE html>"), Content::Markup);
        assert_eq!(sniff(b"PK\x03\x04rest"), Content::Zip);
        assert_eq!(sniff(b"SQLite format 3\0...."), Content::Sqlite);
        assert_eq!(sniff(&[0, 0, 0x27, 0x0a, 1]), Content::Shp);
        assert_eq!(sniff(b"%PDF-1.7"), Content::Pdf);
        assert_eq!(sniff(b"\xEF\xBB\xBF{\"type\""), Content::Text);
    }

    #[test]
    fn byte_order_marks_and_utf16_become_plain_utf8() {
        assert_eq!(&*utf8_text(b"\xEF\xBB\xBF{}"), b"{}");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("{\"ä\":1}".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(&*utf8_text(&utf16), "{\"ä\":1}".as_bytes());
        assert_eq!(&*utf8_text(b"{}"), b"{}");
    }

    #[test]
    fn windows_1252_is_decoded_only_when_the_text_is_not_utf8() {
        assert_eq!(windows_1252_text("Mühle".as_bytes()), None);
        assert_eq!(
            windows_1252_text(b"M\xfchle").as_deref(),
            Some("Mühle".as_bytes())
        );
    }

    #[test]
    fn nan_and_infinity_are_found_at_the_error() {
        let text = b"{\"a\": [1,\n 2, NaN]}";
        assert_eq!(non_finite_literal_at(text, 2, 5), Some("NaN"));
        assert_eq!(
            non_finite_literal_at(b"[-Infinity]", 1, 2),
            Some("-Infinity")
        );
        assert_eq!(non_finite_literal_at(b"[1, 2,]", 1, 7), None);
    }
}
