//! Text as glyph outlines from the embedded font, for the CPU renderers.
//!
//! Exports must look the same on every machine, so text is never left to a system font: each
//! character's outline comes from the DejaVu font compiled into the program (`ttf-parser`), at
//! a size in pixels. Layout is deliberately simple (one line, advances, no kerning or shaping),
//! which is all map labels and legends need for German and English.

use tiny_skia::{Path, PathBuilder};
use ttf_parser::{Face, OutlineBuilder};

/// The embedded font, shared with the window.
pub const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansCondensed.ttf");

/// A parsed font.
pub struct Font<'a> {
    face: Face<'a>,
}

struct Builder<'a> {
    path: &'a mut PathBuilder,
    x: f32,
    y: f32,
    scale: f32,
}

impl OutlineBuilder for Builder<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.path
            .move_to(self.x + x * self.scale, self.y - y * self.scale);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.path
            .line_to(self.x + x * self.scale, self.y - y * self.scale);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.path.quad_to(
            self.x + x1 * self.scale,
            self.y - y1 * self.scale,
            self.x + x * self.scale,
            self.y - y * self.scale,
        );
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.path.cubic_to(
            self.x + x1 * self.scale,
            self.y - y1 * self.scale,
            self.x + x2 * self.scale,
            self.y - y2 * self.scale,
            self.x + x * self.scale,
            self.y - y * self.scale,
        );
    }
    fn close(&mut self) {
        self.path.close();
    }
}

impl Font<'static> {
    /// The embedded font (None only if the embedded file were damaged).
    pub fn embedded() -> Option<Font<'static>> {
        Face::parse(FONT, 0).ok().map(|face| Font { face })
    }
}

impl Font<'_> {
    fn scale(&self, size_px: f32) -> f32 {
        size_px / f32::from(self.face.units_per_em().max(1))
    }

    /// Width and height (ascent to descent) of `text` at `size_px`.
    pub fn measure(&self, text: &str, size_px: f32) -> [f32; 2] {
        let scale = self.scale(size_px);
        let width: f32 = text
            .chars()
            .map(|c| {
                let g = self.face.glyph_index(c).unwrap_or_default();
                f32::from(self.face.glyph_hor_advance(g).unwrap_or(0)) * scale
            })
            .sum();
        let height = f32::from(self.face.ascender() - self.face.descender()) * scale;
        [width, height]
    }

    /// The outline of `text` with its top left at (`x`, `y`), or None for blank text.
    pub fn path(&self, text: &str, size_px: f32, x: f32, y: f32) -> Option<Path> {
        let scale = self.scale(size_px);
        let baseline = y + f32::from(self.face.ascender()) * scale;
        let mut pb = PathBuilder::new();
        let mut pen = x;
        for c in text.chars() {
            let g = self.face.glyph_index(c).unwrap_or_default();
            let mut b = Builder {
                path: &mut pb,
                x: pen,
                y: baseline,
                scale,
            };
            let _ = self.face.outline_glyph(g, &mut b);
            pen += f32::from(self.face.glyph_hor_advance(g).unwrap_or(0)) * scale;
        }
        pb.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_font_has_the_german_and_map_characters() {
        let font = Font::embedded().expect("font");
        for c in "äöüßÄÖÜ≥≤✓✗„“‰²€–".chars() {
            assert!(font.face.glyph_index(c).is_some(), "{c}");
        }
        let [w, h] = font.measure("AC 12", 20.0);
        assert!(w > 30.0 && w < 70.0 && h > 18.0 && h < 30.0, "{w} {h}");
        assert!(font.path("Köln", 20.0, 0.0, 0.0).is_some());
        assert!(font.path("  ", 20.0, 0.0, 0.0).is_none());
    }
}
