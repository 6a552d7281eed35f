//! Text as glyph outlines of the embedded font, for the raster backend.
//!
//! The glyphs and their advances come from [`crate::scene::font::Font`], exactly as the page
//! layout measured them, so text in a PNG sits where the layout (and the SVG and PDF) put it.

use tiny_skia::{Path, PathBuilder};
use ttf_parser::{GlyphId, OutlineBuilder};

use crate::scene::font::Font;

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

/// The outline of `text` at `size` pixels starting at `origin` (x, baseline y); None for blank
/// text.
pub fn outline(font: &Font, text: &str, size: f32, origin: [f32; 2]) -> Option<Path> {
    let face = font.face();
    let scale = size / f32::from(face.units_per_em().max(1));
    let mut pb = PathBuilder::new();
    let mut pen = origin[0];
    for g in font.glyphs(text) {
        let mut b = Builder {
            path: &mut pb,
            x: pen,
            y: origin[1],
            scale,
        };
        let _ = face.outline_glyph(GlyphId(g.id), &mut b);
        pen += g.advance_em * size;
    }
    pb.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_becomes_an_outline_and_blank_text_none() {
        let font = Font::embedded().expect("font");
        let path = outline(&font, "Köln", 20.0, [10.0, 30.0]).expect("outline");
        let b = path.bounds();
        let [w, _] = font.measure("Köln", 20.0);
        assert!(b.left() >= 10.0 && b.right() <= 10.0 + w + 1.0, "{b:?}");
        assert!(b.bottom() <= 31.0 && b.top() >= 10.0, "{b:?}");
        assert!(outline(&font, "  ", 20.0, [0.0, 0.0]).is_none());
    }
}
