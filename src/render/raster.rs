//! The PNG backend: a laid-out [`Page`] drawn into pixels with tiny-skia, on the CPU.
//!
//! No window, no GPU, no system font: the glyphs are outlines of the embedded font, so the
//! same page gives the same pixels on every run and machine (golden-image tests rely on it).
//! Stripe patterns are pre-rendered tiles (supersampled 4 × 4) repeated in page space. The
//! page is drawn in four horizontal bands on all cores and the bands are joined; the clip mask
//! of the map frame is used only for paths that cross the frame.

use tiny_skia::{
    FillRule, FilterQuality, LineCap, LineJoin, Mask, Paint as SkPaint, PathBuilder, Pixmap,
    SpreadMode, Stroke, Transform,
};

use rayon::prelude::*;

use super::glyphs::outline;
use crate::scene::font::Font;
use crate::scene::page::{Item, Layer, Page, PagePath, Paint, Segment};
use crate::scene::style::{self, Pattern, Rgba};

/// Why nothing could be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RasterError {
    /// Width or height is zero or too large.
    #[error("image size {0} × {1} pixels is not possible (1 to 20,000 per side)")]
    Size(u32, u32),
    /// The embedded font could not be read (a broken build).
    #[error("the embedded font cannot be read")]
    Font,
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Encode(String),
}

/// The largest side in pixels.
pub const MAX_SIDE: u32 = 20_000;

fn color(c: Rgba) -> tiny_skia::Color {
    tiny_skia::Color::from_rgba8(c.0[0], c.0[1], c.0[2], c.0[3])
}

fn solid(c: Rgba) -> SkPaint<'static> {
    let mut paint = SkPaint::default();
    paint.set_color(color(c));
    paint.anti_alias = true;
    paint
}

/// One repeat of a stripe pattern, `px_per_pt` pixels per point, supersampled 4 × 4.
fn pattern_tile(pattern: &Pattern, px_per_pt: f32) -> Option<Pixmap> {
    let side = (pattern.period_pt() * px_per_pt).round().max(1.0) as u32;
    let mut tile = Pixmap::new(side, side)?;
    // Exactly one period per tile, so tiles join without seams.
    let pt_per_texel = pattern.period_pt() / side as f32;
    let width = tile.width() as usize;
    let pixels = tile.pixels_mut();
    for y in 0..side as usize {
        for x in 0..side as usize {
            let mut acc = [0u32; 4];
            for sy in 0..4 {
                for sx in 0..4 {
                    let px = (x as f32 + (sx as f32 + 0.5) / 4.0) * pt_per_texel;
                    let py = (y as f32 + (sy as f32 + 0.5) / 4.0) * pt_per_texel;
                    for (sum, ch) in acc.iter_mut().zip(pattern.color_at(px, py).0) {
                        *sum += u32::from(ch);
                    }
                }
            }
            let c = tiny_skia::ColorU8::from_rgba(
                (acc[0] / 16) as u8,
                (acc[1] / 16) as u8,
                (acc[2] / 16) as u8,
                (acc[3] / 16) as u8,
            );
            pixels[y * width + x] = c.premultiply();
        }
    }
    Some(tile)
}

fn paint_of(paint: Paint, tiles: &[Option<Pixmap>]) -> SkPaint<'_> {
    let mut out = SkPaint {
        anti_alias: true,
        ..SkPaint::default()
    };
    match paint {
        Paint::Solid(c) => out.set_color(color(c)),
        Paint::Pattern(k) => match tiles.get(k).and_then(|t| t.as_ref()) {
            Some(tile) => {
                out.shader = tiny_skia::Pattern::new(
                    tile.as_ref(),
                    SpreadMode::Repeat,
                    FilterQuality::Nearest,
                    1.0,
                    Transform::identity(),
                );
            }
            None => out.set_color(color(style::NO_NEED)),
        },
    }
    out
}

fn sk_path(path: &PagePath) -> Option<tiny_skia::Path> {
    let mut pb = PathBuilder::new();
    for segment in path.segments() {
        match segment {
            Segment::MoveTo(p) => pb.move_to(p[0], p[1]),
            Segment::LineTo(p) => pb.line_to(p[0], p[1]),
            Segment::Close => pb.close(),
        }
    }
    pb.finish()
}

/// Horizontal bands drawn in parallel. A fixed number, not one per core: the pixels must not
/// depend on the machine.
const BANDS: u32 = 4;
/// Rows drawn beyond each band's edges and then dropped.
const OVERLAP: u32 = 16;

/// Draws `page` into a new pixmap.
pub fn rasterize(page: &Page) -> Result<Pixmap, RasterError> {
    let (w, h) = (page.width, page.height);
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE {
        return Err(RasterError::Size(w, h));
    }
    let font = Font::embedded().ok_or(RasterError::Font)?;
    let tiles: Vec<Option<Pixmap>> = page
        .patterns
        .iter()
        .map(|p| pattern_tile(p, page.px_per_pt))
        .collect();
    // Each path is built once, and shared by fill, stroke and every band.
    let paths: Vec<Option<tiny_skia::Path>> = page.paths.par_iter().map(sk_path).collect();
    let bands = if h >= 256 { BANDS } else { 1 };
    let band_h = h.div_ceil(bands);
    // Each band is drawn with OVERLAP rows to spare above and below: tiny-skia's clipping of
    // thin lines at a pixmap's edge differs from drawing through, and those rows are dropped.
    let parts: Vec<Result<(Pixmap, u32), RasterError>> = (0..bands)
        .into_par_iter()
        .map(|k| {
            let y0 = (k * band_h).min(h);
            let y1 = ((k + 1) * band_h).min(h);
            let top = y0.saturating_sub(OVERLAP);
            let bottom = (y1 + OVERLAP).min(h);
            let band = draw_band(page, &paths, &tiles, &font, top, (bottom - top).max(1))?;
            Ok((band, y0 - top))
        })
        .collect();
    let mut pixmap = Pixmap::new(w, h).ok_or(RasterError::Size(w, h))?;
    let row_bytes = w as usize * 4;
    let data = pixmap.data_mut();
    for (k, part) in parts.into_iter().enumerate() {
        let (part, skip) = part?;
        let start = k * band_h as usize * row_bytes;
        let len = (band_h as usize * row_bytes).min(data.len().saturating_sub(start));
        let from = skip as usize * row_bytes;
        if let Some(rows) = part.data().get(from..from + len) {
            data[start..start + len].copy_from_slice(rows);
        }
    }
    Ok(pixmap)
}

/// Draws the rows `y0 .. y0 + rows` of `page`.
fn draw_band(
    page: &Page,
    paths: &[Option<tiny_skia::Path>],
    tiles: &[Option<Pixmap>],
    font: &Font,
    y0: u32,
    rows: u32,
) -> Result<Pixmap, RasterError> {
    let w = page.width;
    let mut pixmap = Pixmap::new(w, rows).ok_or(RasterError::Size(w, rows))?;
    pixmap.fill(color(page.background));
    let ts = Transform::from_translate(0.0, -(y0 as f32));
    let f = page.map_frame;
    let mut clip = Mask::new(w, rows).ok_or(RasterError::Size(w, rows))?;
    if let Some(r) =
        tiny_skia::Rect::from_ltrb(f[0], f[1], f[2].max(f[0] + 0.1), f[3].max(f[1] + 0.1))
    {
        clip.fill_path(&PathBuilder::from_rect(r), FillRule::Winding, false, ts);
    }
    let band = [0.0, y0 as f32, w as f32, (y0 + rows) as f32];
    let mut clipped = 0usize;
    let mut depth_of_map: Vec<bool> = Vec::new();
    for item in &page.items {
        let mask = (clipped > 0).then_some(&clip);
        match item {
            Item::Begin(layer) => {
                let clips = *layer == Layer::Map;
                depth_of_map.push(clips);
                clipped += usize::from(clips);
            }
            Item::End => {
                if depth_of_map.pop() == Some(true) {
                    clipped = clipped.saturating_sub(1);
                }
            }
            Item::Fill { path, paint } => {
                let Some(p) = paths.get(*path).and_then(|p| p.as_ref()) else {
                    continue;
                };
                if !touches(p.bounds(), band, 1.0) {
                    continue;
                }
                pixmap.fill_path(
                    p,
                    &paint_of(*paint, tiles),
                    FillRule::EvenOdd,
                    ts,
                    mask.filter(|_| !inside(p.bounds(), f, 1.0)),
                );
            }
            Item::Stroke {
                path,
                color: c,
                width,
                round,
            } => {
                let Some(p) = paths.get(*path).and_then(|p| p.as_ref()) else {
                    continue;
                };
                let grow = width / 2.0 + 1.0;
                if !touches(p.bounds(), band, grow) {
                    continue;
                }
                let stroke = line_style(*width, *round);
                let clip_it = mask.filter(|_| !inside(p.bounds(), f, grow));
                pixmap.stroke_path(p, &solid(*c), &stroke, ts, clip_it);
            }
            Item::Text {
                text,
                size,
                origin,
                color: c,
                halo,
            } => {
                let reach = size * 1.5 + halo.map_or(0.0, |(_, w)| w);
                if origin[1] + reach < band[1] || origin[1] - reach > band[3] {
                    continue;
                }
                if let Some(path) = outline(font, text, *size, *origin) {
                    draw_text(&mut pixmap, &path, *c, *halo, ts, mask);
                }
            }
            Item::Disc {
                center,
                radius,
                fill,
                ring,
            } => {
                if let Some(circle) = PathBuilder::from_circle(center[0], center[1], *radius) {
                    pixmap.fill_path(&circle, &solid(*fill), FillRule::Winding, ts, mask);
                    if let Some((ring_color, width)) = ring {
                        let stroke = Stroke {
                            width: *width,
                            ..Stroke::default()
                        };
                        pixmap.stroke_path(&circle, &solid(*ring_color), &stroke, ts, mask);
                    }
                }
            }
        }
    }
    Ok(pixmap)
}

/// A line of `width`: round joins and caps, or mitred and butt.
fn line_style(width: f32, round: bool) -> Stroke {
    Stroke {
        width,
        line_join: if round {
            LineJoin::Round
        } else {
            LineJoin::Miter
        },
        line_cap: if round { LineCap::Round } else { LineCap::Butt },
        ..Stroke::default()
    }
}

/// Text as outlines: the halo (colour, width) first, then the letters.
fn draw_text(
    pixmap: &mut Pixmap,
    path: &tiny_skia::Path,
    color: crate::scene::style::Rgba,
    halo: Option<(crate::scene::style::Rgba, f32)>,
    ts: Transform,
    mask: Option<&Mask>,
) {
    if let Some((halo_color, width)) = halo {
        let stroke = Stroke {
            width,
            line_join: LineJoin::Round,
            ..Stroke::default()
        };
        pixmap.stroke_path(path, &solid(halo_color), &stroke, ts, mask);
    }
    pixmap.fill_path(path, &solid(color), FillRule::Winding, ts, mask);
}

/// Whether `b` grown by `grow` reaches into the band.
fn touches(b: tiny_skia::Rect, band: [f32; 4], grow: f32) -> bool {
    b.bottom() + grow >= band[1] && b.top() - grow <= band[3]
}

/// Whether `b` grown by `grow` lies within `frame`: then the clip mask is not needed (it
/// costs a third of the drawing time of a whole-country map).
fn inside(b: tiny_skia::Rect, frame: [f32; 4], grow: f32) -> bool {
    b.left() - grow >= frame[0]
        && b.top() - grow >= frame[1]
        && b.right() + grow <= frame[2]
        && b.bottom() + grow <= frame[3]
}

/// Draws `page` and encodes it as PNG.
pub fn png(page: &Page) -> Result<Vec<u8>, RasterError> {
    rasterize(page)?
        .encode_png()
        .map_err(|e| RasterError::Encode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::export::map::{ExportOptions, MapSnapshot, PageSize, compose_page, today};
    use crate::io::Progress;
    use crate::io::demo::load_demo;
    use crate::scene::ViewSettings;
    use crate::spatial::prepared::Detail;

    #[test]
    fn drawing_in_bands_looks_like_drawing_at_once_and_is_repeatable() {
        let map = MapSnapshot::of(&Document::from_import(
            load_demo(&Progress::default()).expect("demo"),
            None,
            Detail::Full,
        ));
        let view = ViewSettings::default();
        let options = ExportOptions {
            size: PageSize::Pixels {
                width: 900,
                height: 700,
            },
            ..ExportOptions::defaults(&map, &view, today())
        };
        let page = compose_page(&map, &view, &options, None).expect("page");
        let banded = rasterize(&page).expect("drawn");
        let font = Font::embedded().expect("font");
        let tiles: Vec<Option<Pixmap>> = page
            .patterns
            .iter()
            .map(|p| pattern_tile(p, page.px_per_pt))
            .collect();
        let paths: Vec<Option<tiny_skia::Path>> = page.paths.iter().map(sk_path).collect();
        let whole = draw_band(&page, &paths, &tiles, &font, 0, page.height).expect("drawn");
        let worst = banded
            .data()
            .iter()
            .zip(whole.data())
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap_or(0);
        let differing = banded
            .pixels()
            .iter()
            .zip(whole.pixels())
            .filter(|(a, b)| a != b)
            .count();
        // Thin lines are anti-aliased from where they enter a pixmap, so a band can differ
        // from the whole by a few levels of grey here and there; never by a seam.
        assert!(worst <= 16, "largest difference {worst}");
        assert!(
            differing * 500 < banded.pixels().len(),
            "{differing} pixels differ"
        );
        assert_eq!(rasterize(&page).expect("again").data(), banded.data());
    }
}
