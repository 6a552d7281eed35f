//! The embedded font and its metrics: one typeface for the window and every export.
//!
//! Exports must look the same on every machine, so text is never left to a system font: page
//! layout measures text here, and every backend draws the same glyphs (PNG as outlines, SVG
//! with the font embedded, PDF with the font subset embedded). Layout is deliberately simple
//! (one line, advances, no kerning or shaping), which is all map labels and legends need for
//! German and English, and which every backend can reproduce exactly.

use ttf_parser::{Face, GlyphId};

/// The TTF bytes of DejaVu Sans Condensed (licence in `assets/fonts`).
pub const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansCondensed.ttf");

/// The font's family name, as SVG viewers know it.
pub const FONT_FAMILY: &str = "DejaVu Sans Condensed";

/// One glyph of a line of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedGlyph {
    /// The glyph in the font.
    pub id: u16,
    /// Where its character starts in the text (bytes).
    pub byte: usize,
    /// Length of its character in bytes.
    pub len: usize,
    /// Horizontal advance in ems (multiply by the size).
    pub advance_em: f32,
}

/// The parsed embedded font.
pub struct Font {
    face: Face<'static>,
}

impl Font {
    /// The embedded font (None only if the embedded file were damaged).
    pub fn embedded() -> Option<Font> {
        Face::parse(FONT_BYTES, 0).ok().map(|face| Font { face })
    }

    /// The parsed face, for backends that draw outlines.
    pub fn face(&self) -> &Face<'static> {
        &self.face
    }

    fn per_em(&self) -> f32 {
        f32::from(self.face.units_per_em().max(1))
    }

    /// The glyphs of `text`, in order.
    pub fn glyphs<'t>(&'t self, text: &'t str) -> impl Iterator<Item = PlacedGlyph> + 't {
        let per_em = self.per_em();
        text.char_indices().map(move |(byte, c)| {
            let g = self.face.glyph_index(c).unwrap_or(GlyphId(0));
            PlacedGlyph {
                id: g.0,
                byte,
                len: c.len_utf8(),
                advance_em: f32::from(self.face.glyph_hor_advance(g).unwrap_or(0)) / per_em,
            }
        })
    }

    /// Distance from the top of the text box to the baseline at `size`.
    pub fn ascent(&self, size: f32) -> f32 {
        f32::from(self.face.ascender()) / self.per_em() * size
    }

    /// Width and height (ascent to descent) of `text` at `size`.
    pub fn measure(&self, text: &str, size: f32) -> [f32; 2] {
        let width: f32 = self.glyphs(text).map(|g| g.advance_em * size).sum();
        let height = f32::from(self.face.ascender() - self.face.descender()) / self.per_em() * size;
        [width, height]
    }

    /// Whether the font has a glyph for `c`.
    pub fn has(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_font_has_the_german_and_map_characters() {
        let font = Font::embedded().expect("font");
        for c in "äöüßÄÖÜ≥≤✓✗„“‰²€–·×".chars() {
            assert!(font.has(c), "{c}");
        }
        let [w, h] = font.measure("AC 12", 20.0);
        assert!(w > 30.0 && w < 70.0 && h > 18.0 && h < 30.0, "{w} {h}");
        assert!(font.ascent(20.0) > 14.0 && font.ascent(20.0) < h);
        let glyphs: Vec<PlacedGlyph> = font.glyphs("Kö").collect();
        assert_eq!(glyphs.len(), 2);
        assert_eq!((glyphs[1].byte, glyphs[1].len), (1, 2));
    }
}
