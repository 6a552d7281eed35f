//! The CPU backend: a scene drawn into pixels with tiny-skia, for PNG export, headless.
//!
//! It draws the same [`Scene`] on the same prepared geometry as the window (fills, stripe and
//! hatch patterns, outlines, municipality borders, emphasis, labels placed by the same
//! collision rules, measure badges, legend, scale bar), so an export shows what the screen
//! shows. Sizes are given in points and multiplied by `px_per_pt`, so a 300 dpi A4 page and a
//! 1920 × 1080 slide share one layout. Text comes from the embedded font: identical pixels on
//! every run and machine.

use tiny_skia::{
    FillRule, FilterQuality, Paint, PathBuilder, Pixmap, Rect, SpreadMode, Stroke, Transform,
};

use super::glyphs::Font;
use crate::i18n::Lang;
use crate::scene::labels::{ScreenRect, place_labels};
use crate::scene::scale_bar::scale_bar;
use crate::scene::style::{self, FillStyle, Pattern, Rgba};
use crate::scene::{LegendEntry, Scene};
use crate::spatial::prepared::PreparedMap;
use crate::spatial::viewport::Viewport;

/// Size of the code labels in points, as on screen.
const LABEL_PT: f32 = 12.5;

/// What the page shows around the map.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLayout {
    /// Width in pixels.
    pub width_px: u32,
    /// Height in pixels.
    pub height_px: u32,
    /// Pixels per point (1 for screen sizes, dpi / 72 for paper).
    pub px_per_pt: f32,
    /// Title above the map.
    pub title: Option<String>,
    /// Subtitle below the title.
    pub subtitle: Option<String>,
    /// Draw the legend (bottom right).
    pub legend: bool,
    /// Draw the scale bar (bottom left).
    pub scale_bar: bool,
    /// Draw the north arrow (top right).
    pub north_arrow: bool,
    /// Source line along the bottom ("Stand: …", attribution).
    pub source_line: Option<String>,
}

/// Why nothing could be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RasterError {
    /// Width or height is zero or too large.
    #[error("image size {0} × {1} pixels is not possible (1 to 20,000 per side)")]
    Size(u32, u32),
    /// The embedded font could not be read (a broken build).
    #[error("the embedded font cannot be read")]
    Font,
}

fn color(c: Rgba) -> tiny_skia::Color {
    tiny_skia::Color::from_rgba8(c.0[0], c.0[1], c.0[2], c.0[3])
}

fn solid(c: Rgba) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color(color(c));
    paint.anti_alias = true;
    paint
}

/// The paint of a fill: a colour, or a stripe pattern repeating its tile in page space.
fn fill_paint<'a>(fill: FillStyle, tiles: &'a [Option<Pixmap>]) -> Paint<'a> {
    let mut paint = Paint {
        anti_alias: true,
        ..Paint::default()
    };
    match fill {
        FillStyle::Solid(c) => paint.set_color(color(c)),
        FillStyle::Pattern(k) => match tiles.get(k).and_then(|t| t.as_ref()) {
            Some(tile) => {
                paint.shader = tiny_skia::Pattern::new(
                    tile.as_ref(),
                    SpreadMode::Repeat,
                    FilterQuality::Nearest,
                    1.0,
                    Transform::identity(),
                );
            }
            None => paint.set_color(color(style::NO_NEED)),
        },
    }
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

fn text(
    pixmap: &mut Pixmap,
    font: &Font<'_>,
    s: &str,
    size: f32,
    at: [f32; 2],
    ink: Rgba,
    halo: Option<f32>,
) {
    let Some(path) = font.path(s, size, at[0], at[1]) else {
        return;
    };
    if let Some(width) = halo {
        let stroke = Stroke {
            width,
            line_join: tiny_skia::LineJoin::Round,
            ..Stroke::default()
        };
        pixmap.stroke_path(
            &path,
            &solid(style::LABEL_HALO),
            &stroke,
            Transform::identity(),
            None,
        );
    }
    pixmap.fill_path(
        &path,
        &solid(ink),
        FillRule::Winding,
        Transform::identity(),
        None,
    );
}

fn rect(x: f32, y: f32, w: f32, h: f32) -> Option<Rect> {
    Rect::from_xywh(x, y, w.max(0.1), h.max(0.1))
}

/// Draws `scene` showing `extent` (planar metres: min x, min y, max x, max y) on a page.
/// `ground_per_planar` converts planar metres to ground metres at the map's centre (for the
/// scale bar); `lang` is the language of the scene's texts.
pub fn render(
    scene: &Scene,
    prepared: &PreparedMap,
    extent: [f64; 4],
    ground_per_planar: f64,
    layout: &PageLayout,
    lang: Lang,
) -> Result<Pixmap, RasterError> {
    let (w, h) = (layout.width_px, layout.height_px);
    if w == 0 || h == 0 || w > 20_000 || h > 20_000 {
        return Err(RasterError::Size(w, h));
    }
    let mut pixmap = Pixmap::new(w, h).ok_or(RasterError::Size(w, h))?;
    let font = Font::embedded().ok_or(RasterError::Font)?;
    let s = layout.px_per_pt;
    pixmap.fill(tiny_skia::Color::WHITE);
    let margin = 14.0 * s;

    // Bands: title on top, source line at the bottom; the map takes the rest.
    let mut top = margin;
    if let Some(title) = &layout.title {
        text(
            &mut pixmap,
            &font,
            title,
            22.0 * s,
            [margin, top],
            style::LABEL,
            None,
        );
        top += 30.0 * s;
    }
    if let Some(subtitle) = &layout.subtitle {
        text(
            &mut pixmap,
            &font,
            subtitle,
            13.0 * s,
            [margin, top],
            Rgba::rgb(0x50, 0x50, 0x50),
            None,
        );
        top += 20.0 * s;
    }
    let mut bottom = h as f32 - margin;
    if let Some(source) = &layout.source_line {
        // One line: smaller type rather than a cut-off source (never under 6 pt).
        let room = w as f32 - 2.0 * margin;
        let natural = font.measure(source, 9.0 * s)[0];
        let size = if natural > room {
            (9.0 * s * room / natural).max(6.0 * s)
        } else {
            9.0 * s
        };
        let [_, th] = font.measure(source, size);
        bottom -= th;
        text(
            &mut pixmap,
            &font,
            source,
            size,
            [margin, bottom],
            Rgba::rgb(0x40, 0x40, 0x40),
            None,
        );
        bottom -= 6.0 * s;
    }
    let frame = [margin, top, w as f32 - margin, bottom];
    // The map gets the frame minus the legend: beside it or above it, whichever shows the
    // map larger. Labels also keep clear of the legend.
    let map_frame = match layout.legend.then(|| legend_size(&font, scene, s, lang)) {
        Some([lw, lh]) => {
            let (ew, eh) = (
                (extent[2] - extent[0]).max(1.0),
                (extent[3] - extent[1]).max(1.0),
            );
            let (fw, fh) = (
                f64::from(frame[2] - frame[0]),
                f64::from(frame[3] - frame[1]),
            );
            let gap = f64::from(10.0 * s);
            let beside = ((fw - f64::from(lw) - gap) / ew).min(fh / eh);
            let above = (fw / ew).min((fh - f64::from(lh) - gap) / eh);
            if beside >= above {
                [frame[0], frame[1], frame[2] - lw - 10.0 * s, frame[3]]
            } else {
                [frame[0], frame[1], frame[2], frame[3] - lh - 10.0 * s]
            }
        }
        None => frame,
    };
    let size = [
        (map_frame[2] - map_frame[0]).max(1.0),
        (map_frame[3] - map_frame[1]).max(1.0),
    ];
    let viewport = Viewport::fit(extent, size, [map_frame[0], map_frame[1]], 4.0 * s);
    let clip = {
        let mut m = tiny_skia::Mask::new(w, h).ok_or(RasterError::Size(w, h))?;
        if let Some(r) = rect(frame[0], frame[1], size[0], size[1]) {
            m.fill_path(
                &PathBuilder::from_rect(r),
                FillRule::Winding,
                false,
                Transform::identity(),
            );
        }
        m
    };

    // Areas at the level of detail whose tolerance is under half a pixel.
    let Some(lod) = prepared.lod_for(viewport.m_per_px) else {
        return Ok(pixmap);
    };
    let t = viewport.relative_transform(prepared.origin);
    let vis = viewport.visible_bounds();
    let visible: Vec<usize> = prepared.index.in_rect([vis[0], vis[1]], [vis[2], vis[3]]);
    let mut paths: Vec<(usize, tiny_skia::Path)> = Vec::with_capacity(visible.len());
    for &i in &visible {
        let Some(slices) = lod.features.get(i) else {
            continue;
        };
        let verts = &lod.vertices[slices.vertices.start as usize..slices.vertices.end as usize];
        let mut pb = PathBuilder::new();
        let mut start = 0usize;
        for r in slices.rings.start..slices.rings.end {
            let end = lod.ring_ends.get(r as usize).copied().unwrap_or(0) as usize;
            let ring = verts.get(start..end).unwrap_or(&[]);
            for (k, p) in ring.iter().enumerate() {
                let q = t.apply(*p);
                if k == 0 {
                    pb.move_to(q[0], q[1]);
                } else {
                    pb.line_to(q[0], q[1]);
                }
            }
            pb.close();
            start = end;
        }
        if let Some(path) = pb.finish() {
            paths.push((i, path));
        }
    }
    let tiles: Vec<Option<Pixmap>> = scene.patterns.iter().map(|p| pattern_tile(p, s)).collect();
    for (i, path) in &paths {
        let fill = scene
            .fills
            .get(*i)
            .copied()
            .unwrap_or(FillStyle::Solid(style::NO_NEED));
        let paint = fill_paint(fill, &tiles);
        pixmap.fill_path(
            path,
            &paint,
            FillRule::EvenOdd,
            Transform::identity(),
            Some(&clip),
        );
    }
    let outline = Stroke {
        width: scene.outline.width_pt * s,
        line_join: tiny_skia::LineJoin::Round,
        ..Stroke::default()
    };
    let outline_paint = solid(scene.outline.color);
    for (_, path) in &paths {
        pixmap.stroke_path(
            path,
            &outline_paint,
            &outline,
            Transform::identity(),
            Some(&clip),
        );
    }
    if let Some(border) = scene.border {
        let mut pb = PathBuilder::new();
        let mut start = 0usize;
        for &end in &lod.border_ends {
            let line = lod.borders.get(start..end as usize).unwrap_or(&[]);
            for (k, p) in line.iter().enumerate() {
                let q = t.apply(*p);
                if k == 0 {
                    pb.move_to(q[0], q[1]);
                } else {
                    pb.line_to(q[0], q[1]);
                }
            }
            start = end as usize;
        }
        if let Some(path) = pb.finish() {
            let stroke = Stroke {
                width: border.width_pt * s,
                line_join: tiny_skia::LineJoin::Round,
                line_cap: tiny_skia::LineCap::Round,
                ..Stroke::default()
            };
            pixmap.stroke_path(
                &path,
                &solid(border.color),
                &stroke,
                Transform::identity(),
                Some(&clip),
            );
        }
    }
    for (_, path) in paths.iter().filter(|(i, _)| scene.emphasis.contains(i)) {
        for (width, c) in [
            (scene.emphasis_style.width_pt + 2.0, style::SELECTION_INNER),
            (scene.emphasis_style.width_pt, scene.emphasis_style.color),
        ] {
            let stroke = Stroke {
                width: width * s,
                line_join: tiny_skia::LineJoin::Round,
                ..Stroke::default()
            };
            pixmap.stroke_path(path, &solid(c), &stroke, Transform::identity(), Some(&clip));
        }
    }

    // Legend first, so labels keep out of its way.
    let legend_rect = if layout.legend {
        legend(&mut pixmap, &font, scene, &tiles, frame, s, lang)
    } else {
        None
    };
    let mut obstacles: Vec<ScreenRect> = legend_rect.into_iter().collect();
    if let Some(badge) = &scene.badge {
        // "Beispieldaten – synthetisch, nicht amtlich", as on screen; labels keep clear of it.
        let size = 13.0 * s;
        let [tw, th] = font.measure(badge, size);
        let at = [frame[0] + 6.0 * s, frame[1] + 6.0 * s];
        let (bw, bh) = (tw + 12.0 * s, th + 6.0 * s);
        if let Some(r) = rect(at[0], at[1], bw, bh) {
            pixmap.fill_rect(
                r,
                &solid(Rgba::rgb(0x8a, 0x1c, 0x1c)),
                Transform::identity(),
                None,
            );
        }
        text(
            &mut pixmap,
            &font,
            badge,
            size,
            [at[0] + 6.0 * s, at[1] + 3.0 * s],
            Rgba::rgb(255, 255, 255),
            None,
        );
        obstacles.push([at[0], at[1], at[0] + bw, at[1] + bh]);
    }
    if let Some(texts) = &scene.labels {
        let size = LABEL_PT * s;
        let mut measure = |t: &str| font.measure(t, size);
        let placed = place_labels(
            visible.iter().copied(),
            &prepared.labels,
            &viewport,
            &|i| texts.get(i).map_or("", String::as_str),
            &mut measure,
            &obstacles,
        );
        for label in placed {
            let Some(t) = texts.get(label.space) else {
                continue;
            };
            let at = [
                label.center[0] - label.size[0] / 2.0,
                label.center[1] - label.size[1] / 2.0,
            ];
            text(&mut pixmap, &font, t, size, at, style::LABEL, Some(2.4 * s));
            obstacles.push([at[0], at[1], at[0] + label.size[0], at[1] + label.size[1]]);
        }
    }
    for (i, count) in scene.badges.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        let Some(anchor) = prepared.labels.get(i).and_then(|l| l.as_ref()) else {
            continue;
        };
        let p = viewport.screen_from_map(anchor.pos);
        let c = [p[0] + 14.0 * s, p[1] - 12.0 * s];
        if c[0] < frame[0] || c[0] > frame[2] || c[1] < frame[1] || c[1] > frame[3] {
            continue;
        }
        let label = count.to_string();
        let size = 11.0 * s;
        let [tw, th] = font.measure(&label, size);
        let radius = (tw / 2.0 + 4.0 * s).max(8.0 * s);
        if let Some(circle) = PathBuilder::from_circle(c[0], c[1], radius) {
            pixmap.fill_path(
                &circle,
                &solid(style::BADGE),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
            let ring = Stroke {
                width: 1.5 * s,
                ..Stroke::default()
            };
            pixmap.stroke_path(
                &circle,
                &solid(Rgba::rgb(255, 255, 255)),
                &ring,
                Transform::identity(),
                None,
            );
        }
        text(
            &mut pixmap,
            &font,
            &label,
            size,
            [c[0] - tw / 2.0, c[1] - th / 2.0],
            style::BADGE_TEXT,
            None,
        );
    }
    if layout.scale_bar {
        let ground = viewport.m_per_px * ground_per_planar;
        if let Some(bar) = scale_bar(ground, (size[0] / 4.0).min(220.0 * s), lang) {
            let x = frame[0] + 8.0 * s;
            let y = frame[3] - 12.0 * s;
            if let Some(r) = rect(
                x - 6.0 * s,
                y - 26.0 * s,
                bar.length_px + 12.0 * s,
                32.0 * s,
            ) {
                pixmap.fill_rect(
                    r,
                    &solid(Rgba([255, 255, 255, 215])),
                    Transform::identity(),
                    None,
                );
            }
            let mut pb = PathBuilder::new();
            pb.move_to(x, y - 6.0 * s);
            pb.line_to(x, y);
            pb.line_to(x + bar.length_px, y);
            pb.line_to(x + bar.length_px, y - 6.0 * s);
            if let Some(path) = pb.finish() {
                let stroke = Stroke {
                    width: 2.0 * s,
                    ..Stroke::default()
                };
                pixmap.stroke_path(
                    &path,
                    &solid(style::LABEL),
                    &stroke,
                    Transform::identity(),
                    None,
                );
            }
            let size = 12.0 * s;
            let [tw, th] = font.measure(&bar.label, size);
            text(
                &mut pixmap,
                &font,
                &bar.label,
                size,
                [x + bar.length_px / 2.0 - tw / 2.0, y - 8.0 * s - th],
                style::LABEL,
                None,
            );
        }
    }
    if layout.north_arrow {
        north_arrow(
            &mut pixmap,
            &font,
            [frame[2] - 24.0 * s, frame[1] + 10.0 * s],
            s,
        );
    }
    Ok(pixmap)
}

/// The north arrow: a split triangle with "N" above, its top at `at`.
fn north_arrow(pixmap: &mut Pixmap, font: &Font<'_>, at: [f32; 2], s: f32) {
    let size = 12.0 * s;
    let [tw, th] = font.measure("N", size);
    text(
        pixmap,
        font,
        "N",
        size,
        [at[0] - tw / 2.0, at[1]],
        style::LABEL,
        Some(2.0 * s),
    );
    let top = at[1] + th + 2.0 * s;
    let (half, height) = (8.0 * s, 26.0 * s);
    for (dx, fill) in [(-half, style::LABEL), (half, Rgba::rgb(255, 255, 255))] {
        let mut pb = PathBuilder::new();
        pb.move_to(at[0], top);
        pb.line_to(at[0] + dx, top + height);
        pb.line_to(at[0], top + height * 0.72);
        pb.close();
        if let Some(path) = pb.finish() {
            pixmap.fill_path(
                &path,
                &solid(fill),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
            let stroke = Stroke {
                width: 1.0 * s,
                ..Stroke::default()
            };
            pixmap.stroke_path(
                &path,
                &solid(style::LABEL),
                &stroke,
                Transform::identity(),
                None,
            );
        }
    }
}

/// The legend's rows: visible entries with their counts.
fn legend_lines(scene: &Scene, lang: Lang) -> Vec<(&LegendEntry, String)> {
    scene
        .legend
        .entries
        .iter()
        .filter(|e| e.visible)
        .map(|e| {
            (
                e,
                format!(
                    "{} ({})",
                    e.label,
                    crate::i18n::format::count(e.count, lang)
                ),
            )
        })
        .collect()
}

/// Width and height of the legend box.
fn legend_size(font: &Font<'_>, scene: &Scene, s: f32, lang: Lang) -> [f32; 2] {
    let lines = legend_lines(scene, lang);
    let width = lines
        .iter()
        .map(|(_, l)| font.measure(l, 11.0 * s)[0] + 26.0 * s)
        .chain([font.measure(&scene.legend.title, 14.0 * s)[0]])
        .chain([font.measure(&scene.legend.summary, 11.0 * s)[0]])
        .fold(0.0f32, f32::max)
        + 16.0 * s;
    let height = 16.0 * s + 36.0 * s + 17.0 * s * lines.len() as f32;
    [width, height]
}

/// The legend in the bottom right corner of `frame`; returns the box it covers.
fn legend(
    pixmap: &mut Pixmap,
    font: &Font<'_>,
    scene: &Scene,
    tiles: &[Option<Pixmap>],
    frame: [f32; 4],
    s: f32,
    lang: Lang,
) -> Option<ScreenRect> {
    let rows = legend_lines(scene, lang);
    let (entries, lines): (Vec<&LegendEntry>, Vec<String>) = rows.into_iter().unzip();
    let (title_pt, row_pt, pad) = (14.0 * s, 11.0 * s, 8.0 * s);
    let row_h = 17.0 * s;
    let swatch = [18.0 * s, 11.0 * s];
    let [width, height] = legend_size(font, scene, s, lang);
    let x = frame[2] - width;
    let y = frame[3] - height;
    let r = rect(x, y, width, height)?;
    pixmap.fill_rect(
        r,
        &solid(Rgba([255, 255, 255, 235])),
        Transform::identity(),
        None,
    );
    let frame_stroke = Stroke {
        width: 0.8 * s,
        ..Stroke::default()
    };
    pixmap.stroke_path(
        &PathBuilder::from_rect(r),
        &solid(Rgba::rgb(0x90, 0x90, 0x90)),
        &frame_stroke,
        Transform::identity(),
        None,
    );
    text(
        pixmap,
        font,
        &scene.legend.title,
        title_pt,
        [x + pad, y + pad],
        style::LABEL,
        None,
    );
    text(
        pixmap,
        font,
        &scene.legend.summary,
        row_pt,
        [x + pad, y + pad + 20.0 * s],
        Rgba::rgb(0x40, 0x40, 0x40),
        None,
    );
    for (k, (entry, line)) in entries.iter().zip(&lines).enumerate() {
        let row_y = y + pad + 36.0 * s + row_h * k as f32;
        if let Some(sw) = rect(x + pad, row_y + 2.0 * s, swatch[0], swatch[1]) {
            let paint = fill_paint(entry.fill, tiles);
            pixmap.fill_rect(sw, &paint, Transform::identity(), None);
            let outline = entry
                .outline
                .map_or((Rgba::rgb(0x60, 0x60, 0x60), 0.8), |o| {
                    (o.color, o.width_pt)
                });
            let stroke = Stroke {
                width: outline.1 * s,
                ..Stroke::default()
            };
            pixmap.stroke_path(
                &PathBuilder::from_rect(sw),
                &solid(outline.0),
                &stroke,
                Transform::identity(),
                None,
            );
        }
        text(
            pixmap,
            font,
            line,
            row_pt,
            [x + pad + swatch[0] + 8.0 * s, row_y],
            style::LABEL,
            None,
        );
    }
    Some([x, y, x + width, y + height])
}
