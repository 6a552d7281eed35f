//! The PDF backend: a laid-out [`Page`] as a one-page vector PDF, via krilla.
//!
//! The page size is the paper size (A4 at any dpi is 595 × 842 pt); page pixels are scaled by
//! `1 / px_per_pt`. Text is real text (selectable, searchable) in the embedded font, which
//! krilla subsets and embeds; glyphs and advances are the layout's own, so text sits where it
//! sits in the PNG. Stripes are PDF tiling patterns, not images: they stay sharp at any zoom.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{Path, PathBuilder, Point, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Pattern as PdfPattern, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font as PdfFont, GlyphId, KrillaGlyph};

use crate::scene::font::{FONT_BYTES, Font};
use crate::scene::page::{Item, Layer, Page, PagePath, Paint, Segment};
use crate::scene::style::{Pattern, Rgba, StripeGeometry};

/// Why no PDF could be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// The page has no area.
    #[error("page size {0} × {1} is not possible")]
    Size(u32, u32),
    /// The embedded font could not be read (a broken build).
    #[error("the embedded font cannot be read")]
    Font,
    /// krilla refused the document.
    #[error("PDF could not be written: {0}")]
    Krilla(String),
}

fn paint_color(c: Rgba) -> rgb::Color {
    rgb::Color::new(c.0[0], c.0[1], c.0[2])
}

fn opacity(c: Rgba) -> NormalizedF32 {
    NormalizedF32::new(f32::from(c.0[3]) / 255.0).unwrap_or(NormalizedF32::ONE)
}

fn pdf_path(path: &PagePath) -> Option<Path> {
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

/// A circle from four cubic Bézier arcs.
fn circle(c: [f32; 2], r: f32) -> Option<Path> {
    const K: f32 = 0.552_284_8;
    let (x, y) = (c[0], c[1]);
    let mut pb = PathBuilder::new();
    pb.move_to(x + r, y);
    pb.cubic_to(x + r, y + K * r, x + K * r, y + r, x, y + r);
    pb.cubic_to(x - K * r, y + r, x - r, y + K * r, x - r, y);
    pb.cubic_to(x - r, y - K * r, x - K * r, y - r, x, y - r);
    pb.cubic_to(x + K * r, y - r, x + r, y - K * r, x + r, y);
    pb.close();
    pb.finish()
}

fn solid_fill(c: Rgba, rule: FillRule) -> Fill {
    Fill {
        paint: paint_color(c).into(),
        opacity: opacity(c),
        rule,
    }
}

fn stroke_of(c: Rgba, width: f32, round: bool) -> Stroke {
    Stroke {
        paint: paint_color(c).into(),
        width,
        line_join: if round {
            LineJoin::Round
        } else {
            LineJoin::Miter
        },
        line_cap: if round { LineCap::Round } else { LineCap::Butt },
        opacity: opacity(c),
        ..Stroke::default()
    }
}

fn polygon_path(points: &[[f32; 2]]) -> Option<Path> {
    pdf_path(&PagePath::polygon(points))
}

/// One tile of a pattern as a tiling pattern, in page pixels: each stripe's bands, and its
/// hatch (if any) clipped to them.
fn tiling_pattern(surface: &mut Surface<'_>, pattern: &Pattern, px_per_pt: f32) -> PdfPattern {
    let period = pattern.period_pt() * px_per_pt;
    // Several periods per cell: viewers that anti-alias every cell edge (Poppler) then show
    // a faint seam only every few millimetres instead of every stripe.
    let cell = period * CELL_PERIODS as f32;
    let mut builder = surface.stream_builder();
    let mut tile = builder.surface();
    let stripes = pattern.tile_geometry(px_per_pt);
    let single = stripes.len() == 1;
    // The first colour under everything: anti-aliased band edges then leave no light seams.
    if let (Some(first), Some(all)) = (
        stripes.first(),
        polygon_path(&[[0.0, 0.0], [cell, 0.0], [cell, cell], [0.0, cell]]),
    ) {
        tile.set_fill(Some(solid_fill(first.color, FillRule::NonZero)));
        tile.draw_path(&all);
    }
    for i in 0..CELL_PERIODS {
        for j in 0..CELL_PERIODS {
            tile.push_transform(&Transform::from_translate(
                i as f32 * period,
                j as f32 * period,
            ));
            draw_period(&mut tile, &stripes, single, period);
            tile.pop();
        }
    }
    tile.finish();
    PdfPattern {
        stream: builder.finish(),
        transform: Transform::identity(),
        width: cell,
        height: cell,
    }
}

/// Periods per pattern cell along each side.
const CELL_PERIODS: u32 = 8;

/// One period of the stripes at the origin, clipped to the period's square.
fn draw_period(tile: &mut Surface<'_>, stripes: &[StripeGeometry], single: bool, period: f32) {
    let Some(square) = polygon_path(&[[0.0, 0.0], [period, 0.0], [period, period], [0.0, period]])
    else {
        return;
    };
    tile.push_clip_path(&square, &FillRule::NonZero);
    for stripe in stripes {
        let Some(bands) = pdf_path(&PagePath::polygons(&stripe.bands)) else {
            continue;
        };
        if !single {
            tile.set_fill(Some(solid_fill(stripe.color, FillRule::NonZero)));
            tile.draw_path(&bands);
        }
        if stripe.hatch.is_empty() {
            continue;
        }
        // One colour covers the whole tile: its hatch needs no clipping.
        if !single {
            tile.push_clip_path(&bands, &FillRule::NonZero);
        }
        tile.set_fill(Some(solid_fill(stripe.ink, FillRule::NonZero)));
        for shape in &stripe.hatch {
            if let Some(path) = polygon_path(shape) {
                tile.draw_path(&path);
            }
        }
        if !single {
            tile.pop();
        }
    }
    tile.pop();
}

fn glyphs_of(font: &Font, text: &str) -> Vec<KrillaGlyph> {
    font.glyphs(text)
        .map(|g| {
            KrillaGlyph::new(
                GlyphId::new(u32::from(g.id)),
                g.advance_em,
                0.0,
                0.0,
                0.0,
                g.byte..g.byte + g.len,
                None,
            )
        })
        .collect()
}

/// The page as a PDF file.
pub fn pdf(page: &Page) -> Result<Vec<u8>, PdfError> {
    pdf_pages(std::slice::from_ref(page), &[])
}

/// The pages as one PDF file (its title from the first page), with `bookmarks` (title, page
/// index) as the document's outline and every page's links to other pages clickable.
pub fn pdf_pages(pages: &[Page], bookmarks: &[(String, usize)]) -> Result<Vec<u8>, PdfError> {
    let font = Font::embedded().ok_or(PdfError::Font)?;
    let pdf_font = PdfFont::new(FONT_BYTES.into(), 0).ok_or(PdfError::Font)?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(pages.first().map(|p| p.title.clone()).unwrap_or_default())
            .creator("Sozialraum-Atlas".to_string()),
    );
    for page in pages {
        let [w_pt, h_pt] = page.size_pt();
        let settings =
            PageSettings::from_wh(w_pt, h_pt).ok_or(PdfError::Size(page.width, page.height))?;
        let mut pdf_page = document.start_page_with(settings);
        let mut surface = pdf_page.surface();
        // Pixels to points; for paper exactly the paper size (pixels were rounded).
        surface.push_transform(&Transform::from_scale(
            w_pt / page.width as f32,
            h_pt / page.height as f32,
        ));
        let patterns: Vec<PdfPattern> = page
            .patterns
            .iter()
            .map(|p| tiling_pattern(&mut surface, p, page.px_per_pt))
            .collect();
        if let Some(back) = pdf_path(&PagePath::rect([
            0.0,
            0.0,
            page.width as f32,
            page.height as f32,
        ])) {
            surface.set_fill(Some(solid_fill(page.background, FillRule::NonZero)));
            surface.draw_path(&back);
        }
        let mut layers: Vec<bool> = Vec::new();
        for item in &page.items {
            draw_item(
                &mut surface,
                page,
                &font,
                &pdf_font,
                &patterns,
                &mut layers,
                item,
            );
        }
        for clipped in layers.into_iter().rev() {
            if clipped {
                surface.pop();
            }
        }
        surface.pop();
        surface.finish();
        // Links to pages that exist (krilla refuses others).
        let (sx, sy) = (w_pt / page.width as f32, h_pt / page.height as f32);
        for (r, target) in &page.links {
            if *target >= pages.len() {
                continue;
            }
            let Some(rect) =
                krilla::geom::Rect::from_ltrb(r[0] * sx, r[1] * sy, r[2] * sx, r[3] * sy)
            else {
                continue;
            };
            let destination = krilla::destination::XyzDestination::new(
                *target,
                krilla::geom::Point::from_xy(0.0, 0.0),
            );
            let link = krilla::annotation::LinkAnnotation::new(
                rect,
                krilla::annotation::Target::Destination(destination.into()),
            );
            pdf_page.add_annotation(krilla::annotation::Annotation::new_link(link, None));
        }
        pdf_page.finish();
    }
    if !bookmarks.is_empty() {
        let mut outline = krilla::outline::Outline::new();
        for (title, target) in bookmarks.iter().filter(|(_, t)| *t < pages.len()) {
            let destination = krilla::destination::XyzDestination::new(
                *target,
                krilla::geom::Point::from_xy(0.0, 0.0),
            );
            outline.push_child(krilla::outline::OutlineNode::new(
                title.clone(),
                destination,
            ));
        }
        document.set_outline(outline);
    }
    document
        .finish()
        .map_err(|e| PdfError::Krilla(format!("{e:?}")))
}

#[allow(clippy::too_many_arguments)]
fn draw_item(
    surface: &mut Surface<'_>,
    page: &Page,
    font: &Font,
    pdf_font: &PdfFont,
    patterns: &[PdfPattern],
    layers: &mut Vec<bool>,
    item: &Item,
) {
    match item {
        Item::Begin(layer) => {
            let clips = *layer == Layer::Map;
            if clips {
                let f = page.map_frame;
                if let Some(rect) = pdf_path(&PagePath::rect(f)) {
                    surface.push_clip_path(&rect, &FillRule::NonZero);
                } else {
                    layers.push(false);
                    return;
                }
            }
            layers.push(clips);
        }
        Item::End => {
            if layers.pop() == Some(true) {
                surface.pop();
            }
        }
        Item::Fill { path, paint } => {
            let Some(p) = page.paths.get(*path).and_then(pdf_path) else {
                return;
            };
            let fill = match paint {
                Paint::Solid(c) => solid_fill(*c, FillRule::EvenOdd),
                Paint::Pattern(k) => match patterns.get(*k) {
                    Some(pattern) => Fill {
                        paint: pattern.clone().into(),
                        opacity: NormalizedF32::ONE,
                        rule: FillRule::EvenOdd,
                    },
                    None => solid_fill(crate::scene::style::NO_NEED, FillRule::EvenOdd),
                },
            };
            surface.set_stroke(None);
            surface.set_fill(Some(fill));
            surface.draw_path(&p);
        }
        Item::Stroke {
            path,
            color,
            width,
            round,
        } => {
            let Some(p) = page.paths.get(*path).and_then(pdf_path) else {
                return;
            };
            surface.set_fill(None);
            surface.set_stroke(Some(stroke_of(*color, *width, *round)));
            surface.draw_path(&p);
        }
        Item::Text {
            text,
            size,
            origin,
            color,
            halo,
        } => {
            let glyphs = glyphs_of(font, text);
            let start = Point::from_xy(origin[0], origin[1]);
            if let Some((c, w)) = halo {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke_of(*c, *w, true)));
                surface.draw_glyphs(start, &glyphs, pdf_font.clone(), text, *size, false);
            }
            surface.set_stroke(None);
            surface.set_fill(Some(solid_fill(*color, FillRule::NonZero)));
            surface.draw_glyphs(start, &glyphs, pdf_font.clone(), text, *size, false);
        }
        Item::Disc {
            center,
            radius,
            fill,
            ring,
        } => {
            let Some(p) = circle(*center, *radius) else {
                return;
            };
            surface.set_stroke(None);
            surface.set_fill(Some(solid_fill(*fill, FillRule::NonZero)));
            surface.draw_path(&p);
            if let Some((c, w)) = ring {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke_of(*c, *w, false)));
                surface.draw_path(&p);
            }
        }
    }
}
