//! The window's map view as a page: what the picture of a big map is drawn from.
//!
//! The same areas, outlines, borders and emphasis as the window's own triangles
//! ([`crate::render::egui_map`]) draw: outlines of areas only a few points wide fade out, areas
//! under a point and a half are their box. No labels, legend, scale bar or frame: the window
//! draws those on top itself. Coordinates are device pixels with the view's top left corner at
//! 0, 0; the background is transparent.

use super::{Item, Page, PagePath, Paint, area_path, border_path};
use crate::scene::style::{self, FillStyle, Rgba};
use crate::scene::{LineStyle, Scene};
use crate::spatial::prepared::PreparedMap;
use crate::spatial::viewport::Viewport;

/// Areas smaller than this on screen (points) are drawn as their box, as in the window.
pub const BOX_BELOW_PT: f32 = 1.5;

/// How much of an area's outline is drawn at `size_pt` (its larger side on screen): none
/// under 3 points, all from 33; a country-wide map of thousands of areas would otherwise
/// turn grey with lines.
pub fn outline_fade(size_pt: f32) -> f32 {
    ((size_pt - 3.0) / 30.0).clamp(0.0, 1.0)
}

/// The opacity of an outline at `fade` (0 to 1): a quarter at the first, full at the last.
pub fn outline_opacity(fade: f32) -> f32 {
    0.25 + 0.75 * fade
}

/// The areas of `scene` that `viewport` shows, drawn at `px_per_pt` device pixels per point.
/// The page's size is the view's in device pixels, rounded up.
pub fn view_page(
    scene: &Scene,
    prepared: &PreparedMap,
    viewport: &Viewport,
    px_per_pt: f32,
) -> Page {
    let s = px_per_pt.max(0.1);
    let size = [viewport.size[0] * s, viewport.size[1] * s];
    let (width, height) = (
        size[0].ceil().max(0.0) as u32,
        size[1].ceil().max(0.0) as u32,
    );
    let mut page = Page {
        width,
        height,
        px_per_pt: s,
        paper_mm: None,
        background: Rgba([0, 0, 0, 0]),
        map_frame: [0.0, 0.0, width as f32, height as f32],
        patterns: scene.patterns.clone(),
        paths: Vec::new(),
        items: Vec::new(),
        legend_box: None,
        label_boxes: Vec::new(),
        title: String::new(),
        links: Vec::new(),
    };
    let device = Viewport {
        center: viewport.center,
        m_per_px: viewport.m_per_px / f64::from(s),
        size,
        offset: [0.0, 0.0],
    };
    let Some(lod) = prepared.lod_for(device.m_per_px) else {
        return page;
    };
    let t = device.relative_transform(prepared.origin);
    let vis = device.visible_bounds();
    let visible = prepared.in_view(vis);
    let mut outlines: Vec<(usize, Rgba)> = Vec::with_capacity(visible.len());
    let mut emphasised = Vec::new();
    for &i in &visible {
        let Some(&b) = prepared.feature_bounds.get(i) else {
            continue;
        };
        // No geometry, or none left at this level: nothing to draw, as in the window.
        if lod.features.get(i).is_none_or(|f| f.vertices.is_empty()) {
            continue;
        }
        let size_pt = (b[2] - b[0]).max(b[3] - b[1]) * t.scale / s;
        let path = if size_pt < BOX_BELOW_PT {
            let (p, q) = (t.apply([b[0], b[1]]), t.apply([b[2], b[3]]));
            Some(PagePath::rect([p[0], q[1], q[0], p[1]]))
        } else {
            area_path(lod, i, &t)
        };
        let Some(path) = path else {
            continue;
        };
        let paint = match scene.fills.get(i) {
            Some(FillStyle::Solid(c)) => Paint::Solid(*c),
            Some(FillStyle::Pattern(k)) if *k < scene.patterns.len() => Paint::Pattern(*k),
            _ => Paint::Solid(style::NO_NEED),
        };
        let index = page.add_path(path);
        page.items.push(Item::Fill { path: index, paint });
        let fade = outline_fade(size_pt);
        if size_pt >= BOX_BELOW_PT && fade > 0.0 {
            let c = scene.outline.color;
            let alpha = (f32::from(c.0[3]) * outline_opacity(fade)).round() as u8;
            outlines.push((index, c.with_alpha(alpha)));
        }
        if scene.emphasis.contains(&i) && size_pt >= BOX_BELOW_PT {
            emphasised.push(index);
        }
    }
    for (path, color) in outlines {
        page.items.push(Item::Stroke {
            path,
            color,
            width: scene.outline.width_pt * s,
            round: true,
        });
    }
    if let Some(border) = scene.border {
        let pad = border.width_pt * s;
        let o = prepared.origin;
        let within = [
            (vis[0] - o[0]) as f32 - pad / t.scale,
            (vis[1] - o[1]) as f32 - pad / t.scale,
            (vis[2] - o[0]) as f32 + pad / t.scale,
            (vis[3] - o[1]) as f32 + pad / t.scale,
        ];
        let path = border_path(lod, &t, Some(within));
        if !path.points.is_empty() {
            let path = page.add_path(path);
            page.items.push(stroke(path, border, s));
        }
    }
    // A white casing under the coloured line, so it reads on any fill.
    let casing = LineStyle {
        color: style::LABEL_HALO,
        width_pt: scene.emphasis_style.width_pt + 2.0,
    };
    for line in [casing, scene.emphasis_style] {
        for &path in &emphasised {
            page.items.push(stroke(path, line, s));
        }
    }
    page
}

fn stroke(path: usize, line: LineStyle, px_per_pt: f32) -> Item {
    Item::Stroke {
        path,
        color: line.color,
        width: line.width_pt * px_per_pt,
        round: true,
    }
}

/// The demo map's scene and prepared geometry, for tests of what draws it.
#[cfg(test)]
pub(crate) fn demo_scene_and_map() -> (Scene, PreparedMap) {
    use crate::analysis::rules::classify;
    use crate::io::Progress;
    use crate::io::demo::load_demo;
    use crate::scene::{SceneInput, ViewSettings};
    use crate::spatial::prepared::Detail;
    let demo = load_demo(&Progress::default()).expect("demo");
    let classification = classify(&demo.region, &demo.indicators, &demo.rules, &demo.overrides);
    let prepared = PreparedMap::prepare(&demo.region, Detail::Full, &|_| {});
    let scene = Scene::build(
        SceneInput {
            region: &demo.region,
            indicators: &demo.indicators,
            classification: &classification,
            measure_counts: &[],
        },
        &ViewSettings::default(),
    );
    (scene, prepared)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_of_the_view_fills_every_visible_area_and_draws_no_labels() {
        let (scene, prepared) = demo_scene_and_map();
        let viewport = Viewport::fit(prepared.bounds, [600.0, 400.0], [40.0, 30.0], 0.0);
        let page = view_page(&scene, &prepared, &viewport, 2.0);
        assert_eq!((page.width, page.height), (1200, 800));
        let fills = page
            .items
            .iter()
            .filter(|i| matches!(i, Item::Fill { .. }))
            .count();
        assert_eq!(fills, prepared.feature_bounds.len());
        assert!(!page.items.iter().any(|i| matches!(i, Item::Text { .. })));
        // The view's top left corner is the page's: every point lies on the page.
        for p in page.paths.iter().flat_map(|p| &p.points) {
            assert!(p[0] >= -1.0 && p[0] <= 1201.0 && p[1] >= -1.0 && p[1] <= 801.0);
        }
    }

    #[test]
    fn outlines_fade_out_on_small_areas_and_vanish_under_three_points() {
        assert_eq!(outline_fade(2.0), 0.0);
        assert_eq!(outline_fade(3.0), 0.0);
        assert!((outline_fade(18.0) - 0.5).abs() < 1e-6);
        assert_eq!(outline_fade(40.0), 1.0);
        assert_eq!(outline_opacity(0.0), 0.25);
        assert_eq!(outline_opacity(1.0), 1.0);
    }
}
