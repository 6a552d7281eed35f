//! The map on the page: area fills and outlines, municipality borders, emphasised areas, the
//! notice on synthetic data, scale bar, north arrow, code labels and measure counts.
//!
//! Geometry comes from the level of detail whose tolerance is under half a page pixel, culled
//! by the R-tree to the visible box. Labels are placed by the same rules as on screen
//! ([`crate::scene::labels::place_labels`]), measured with the embedded font, and keep clear of
//! the legend, scale bar, north arrow and notice.

use super::furniture::{north_arrow, scale_bar_block};
use super::{Item, Layer, MapSource, Page, PagePath, Paint, overlaps};
use crate::i18n::Lang;
use crate::scene::font::Font;
use crate::scene::labels::{ScreenRect, place_labels};
use crate::scene::style::{self, FillStyle, Rgba};
use crate::spatial::prepared::Lod;
use crate::spatial::viewport::{RelativeTransform, Viewport};

/// Size of the code labels in points, as on screen.
const LABEL_PT: f32 = 12.5;

/// Draws the map into `page.map_frame`; `obstacles` (the legend) stay free of labels.
pub(super) fn draw_map(
    page: &mut Page,
    font: &Font,
    source: MapSource<'_>,
    lang: Lang,
    mut obstacles: Vec<ScreenRect>,
) {
    let s = page.px_per_pt;
    let scene = source.scene;
    let prepared = source.prepared;
    let f = page.map_frame;
    let size = [(f[2] - f[0]).max(1.0), (f[3] - f[1]).max(1.0)];
    let viewport = Viewport::fit(source.extent, size, [f[0], f[1]], super::MAP_MARGIN_PT * s);
    let Some(lod) = prepared.lod_for(viewport.m_per_px) else {
        return;
    };
    let t = viewport.relative_transform(prepared.origin);
    let vis = viewport.visible_bounds();
    let visible: Vec<usize> = prepared.index.in_rect([vis[0], vis[1]], [vis[2], vis[3]]);

    page.items.push(Item::Begin(Layer::Map));
    page.items.push(Item::Begin(Layer::Areas));
    let mut area_paths: Vec<(usize, usize)> = Vec::with_capacity(visible.len());
    for &i in &visible {
        let Some(mut path) = area_path(lod, i, &t) else {
            continue;
        };
        path.name = scene
            .labels
            .as_ref()
            .and_then(|l| l.get(i))
            .filter(|c| !c.is_empty())
            .cloned();
        let paint = match scene.fills.get(i) {
            Some(FillStyle::Solid(c)) => Paint::Solid(*c),
            Some(FillStyle::Pattern(k)) => Paint::Pattern(*k),
            None => Paint::Solid(style::NO_NEED),
        };
        let index = page.add_path(path);
        page.items.push(Item::Fill { path: index, paint });
        area_paths.push((i, index));
    }
    page.items.push(Item::End);
    page.items.push(Item::Begin(Layer::Outlines));
    for &(_, path) in &area_paths {
        page.items.push(Item::Stroke {
            path,
            color: scene.outline.color,
            width: scene.outline.width_pt * s,
            round: true,
        });
    }
    page.items.push(Item::End);
    if let Some(border) = scene.border {
        // Only the lines that can reach the frame (a page of one municipality among 396 would
        // otherwise stroke every border of the region, clipped away).
        let pad = f64::from(border.width_pt * s) * viewport.m_per_px;
        let o = prepared.origin;
        let within = [
            (vis[0] - o[0] - pad) as f32,
            (vis[1] - o[1] - pad) as f32,
            (vis[2] - o[0] + pad) as f32,
            (vis[3] - o[1] + pad) as f32,
        ];
        let path = border_path(lod, &t, Some(within));
        if !path.points.is_empty() {
            let path = page.add_path(path);
            page.items.push(Item::Begin(Layer::Borders));
            page.items.push(Item::Stroke {
                path,
                color: border.color,
                width: border.width_pt * s,
                round: true,
            });
            page.items.push(Item::End);
        }
    }
    let emphasised: Vec<usize> = area_paths
        .iter()
        .filter(|(i, _)| scene.emphasis.contains(i))
        .map(|(_, p)| *p)
        .collect();
    if !emphasised.is_empty() {
        page.items.push(Item::Begin(Layer::Emphasis));
        for path in emphasised {
            for (width, color) in [
                (scene.emphasis_style.width_pt + 2.0, style::SELECTION_INNER),
                (scene.emphasis_style.width_pt, scene.emphasis_style.color),
            ] {
                page.items.push(Item::Stroke {
                    path,
                    color,
                    width: width * s,
                    round: true,
                });
            }
        }
        page.items.push(Item::End);
    }
    page.items.push(Item::End);
    // A thin frame sets the map off the page.
    page.items.push(Item::Begin(Layer::Frame));
    page.stroke_rect(f, Rgba::rgb(0xa0, 0xa0, 0xa0), 0.6 * s);
    page.items.push(Item::End);

    if let Some(r) = scale_bar_block(
        page,
        font,
        viewport.m_per_px * source.ground_per_planar,
        lang,
    ) {
        obstacles.push(r);
    }
    obstacles.push(north_arrow(page, font));
    labels(page, font, source, &viewport, &visible, &obstacles);
    badges(page, font, source, &viewport, &obstacles);
}

/// The rings of area `i` in page pixels.
pub(crate) fn area_path(lod: &Lod, i: usize, t: &RelativeTransform) -> Option<PagePath> {
    let slices = lod.features.get(i)?;
    let verts = lod
        .vertices
        .get(slices.vertices.start as usize..slices.vertices.end as usize)?;
    let mut path = PagePath {
        points: Vec::with_capacity(verts.len()),
        ends: Vec::new(),
        closed: true,
        name: None,
    };
    let mut start = 0usize;
    for r in slices.rings.start..slices.rings.end {
        let end = lod.ring_ends.get(r as usize).copied().unwrap_or(0) as usize;
        let ring = verts.get(start..end).unwrap_or(&[]);
        if ring.len() >= 3 {
            path.points.extend(ring.iter().map(|p| t.apply(*p)));
            path.ends.push(path.points.len() as u32);
        }
        start = end;
    }
    (!path.ends.is_empty()).then_some(path)
}

/// The municipality borders of `lod` as open lines in page pixels: all of them, or (with
/// `within`, a box relative to the origin) those whose bounds meet that box.
pub(crate) fn border_path(lod: &Lod, t: &RelativeTransform, within: Option<[f32; 4]>) -> PagePath {
    let mut path = PagePath {
        points: Vec::new(),
        ends: Vec::new(),
        closed: false,
        name: None,
    };
    let meets = |k: usize| {
        within.is_none_or(|w| {
            lod.border_bounds
                .get(k)
                .is_none_or(|b| b[0] <= w[2] && b[2] >= w[0] && b[1] <= w[3] && b[3] >= w[1])
        })
    };
    let mut start = 0usize;
    for (k, &end) in lod.border_ends.iter().enumerate() {
        let line = lod.borders.get(start..end as usize).unwrap_or(&[]);
        if line.len() >= 2 && meets(k) {
            path.points.extend(line.iter().map(|p| t.apply(*p)));
            path.ends.push(path.points.len() as u32);
        }
        start = end as usize;
    }
    path
}

fn labels(
    page: &mut Page,
    font: &Font,
    source: MapSource<'_>,
    viewport: &Viewport,
    visible: &[usize],
    obstacles: &[ScreenRect],
) {
    let Some(texts) = &source.scene.labels else {
        return;
    };
    let s = page.px_per_pt;
    let size = LABEL_PT * s;
    let mut measure = |t: &str| font.measure(t, size);
    let placed = place_labels(
        visible.iter().copied(),
        &source.prepared.labels,
        viewport,
        &|i| texts.get(i).map_or("", String::as_str),
        &mut measure,
        obstacles,
    );
    if placed.is_empty() {
        return;
    }
    page.items.push(Item::Begin(Layer::Labels));
    for label in placed {
        let Some(text) = texts.get(label.space) else {
            continue;
        };
        let r = [
            label.center[0] - label.size[0] / 2.0,
            label.center[1] - label.size[1] / 2.0,
            label.center[0] + label.size[0] / 2.0,
            label.center[1] + label.size[1] / 2.0,
        ];
        page.text(
            font,
            text,
            size,
            [r[0], r[1]],
            style::LABEL,
            Some((style::LABEL_HALO, 2.4 * s)),
        );
        page.label_boxes.push(r);
    }
    page.items.push(Item::End);
}

/// The number of measures as a dark disc at the upper right of each area's label point,
/// where it stays inside the map and off the legend and the other furniture.
fn badges(
    page: &mut Page,
    font: &Font,
    source: MapSource<'_>,
    viewport: &Viewport,
    furniture: &[ScreenRect],
) {
    let s = page.px_per_pt;
    let f = page.map_frame;
    let size = 11.0 * s;
    let mut items = Vec::new();
    for (i, count) in source.scene.badges.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        let Some(anchor) = source.prepared.labels.get(i).and_then(|l| l.as_ref()) else {
            continue;
        };
        let p = viewport.screen_from_map(anchor.pos);
        let c = [p[0] + 14.0 * s, p[1] - 12.0 * s];
        let label = count.to_string();
        let [tw, th] = font.measure(&label, size);
        let radius = (tw / 2.0 + 4.0 * s).max(8.0 * s);
        let r = [c[0] - radius, c[1] - radius, c[0] + radius, c[1] + radius];
        if r[0] < f[0] || r[2] > f[2] || r[1] < f[1] || r[3] > f[3] {
            continue;
        }
        // Labels are not obstacles here: a badge sits on its own label's corner.
        if furniture.iter().any(|o| overlaps(*o, r)) {
            continue;
        }
        items.push(Item::Disc {
            center: c,
            radius,
            fill: style::BADGE,
            ring: Some((Rgba::rgb(255, 255, 255), 1.5 * s)),
        });
        items.push(Item::Text {
            text: label,
            size,
            origin: [c[0] - tw / 2.0, c[1] - th / 2.0 + font.ascent(size)],
            color: style::BADGE_TEXT,
            halo: None,
        });
    }
    if !items.is_empty() {
        page.items.push(Item::Begin(Layer::Badges));
        page.items.extend(items);
        page.items.push(Item::End);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn border_lines_outside_the_box_are_left_out() {
        let lod = Lod {
            borders: vec![[0.0, 0.0], [10.0, 0.0], [1000.0, 1000.0], [1010.0, 1000.0]],
            border_ends: vec![2, 4],
            border_bounds: vec![[0.0, 0.0, 10.0, 0.0], [1000.0, 1000.0, 1010.0, 1000.0]],
            ..Lod::default()
        };
        let t = RelativeTransform {
            scale: 1.0,
            bx: 0.0,
            by: 0.0,
        };
        assert_eq!(
            border_path(&lod, &t, None).ends.len(),
            2,
            "all without a box"
        );
        let near = border_path(&lod, &t, Some([-5.0, -5.0, 50.0, 50.0]));
        assert_eq!(near.ends, vec![2], "only the line that meets the box");
        assert!(
            border_path(&lod, &t, Some([200.0, 200.0, 300.0, 300.0]))
                .ends
                .is_empty()
        );
    }
}
