//! Page layout: the legend in its corner and clear of the map, labels clear of each other and
//! of every piece of furniture, text inside the page.

use super::*;
use crate::analysis::rules::classify;
use crate::io::Progress;
use crate::io::demo::load_demo;
use crate::scene::{SceneInput, ViewSettings};
use crate::spatial::prepared::{Detail, PreparedMap};

fn demo_page(spec: &PageSpec) -> Page {
    let demo = load_demo(&Progress::default()).expect("demo");
    let classification = classify(&demo.region, &demo.indicators, &demo.rules, &demo.overrides);
    let prepared = PreparedMap::prepare(&demo.region, Detail::Full, &|_| {});
    let counts = vec![1usize; demo.region.spaces.len()];
    let scene = Scene::build(
        SceneInput {
            region: &demo.region,
            indicators: &demo.indicators,
            classification: &classification,
            measure_counts: &counts,
        },
        &ViewSettings::default(),
    );
    let font = Font::embedded().expect("font");
    compose(
        MapSource {
            scene: &scene,
            prepared: &prepared,
            extent: prepared.bounds,
            ground_per_planar: 1.0,
        },
        spec,
        &font,
        Lang::De,
    )
}

fn spec(width: u32, height: u32, legend: Corner) -> PageSpec {
    PageSpec {
        width_px: width,
        height_px: height,
        px_per_pt: 1.0,
        paper_mm: None,
        title: Some("StädteRegion Aachen".into()),
        subtitle: Some("Handlungsfelder".into()),
        legend: Some(legend),
        scale_bar: true,
        north_arrow: true,
        source_line: Some("Stand: 25.11.2026 · Quelle: Beispieldaten".into()),
    }
}

fn texts(page: &Page) -> Vec<&str> {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn labels_never_overlap_each_other_the_legend_or_the_furniture() {
    for (w, h) in [(1920, 1080), (800, 1100), (1200, 500)] {
        for corner in Corner::ALL {
            let page = demo_page(&spec(w, h, corner));
            assert!(
                page.label_boxes.len() > 10,
                "{w}x{h} {corner:?}: {} labels",
                page.label_boxes.len()
            );
            let legend = page.legend_box.expect("legend");
            for (a, r) in page.label_boxes.iter().enumerate() {
                assert!(
                    !overlaps(*r, legend),
                    "{w}x{h} {corner:?}: label on the legend"
                );
                for other in &page.label_boxes[a + 1..] {
                    assert!(!overlaps(*r, *other), "{w}x{h} {corner:?}: labels collide");
                }
                let f = page.map_frame;
                assert!(r[0] >= f[0] && r[2] <= f[2] && r[1] >= f[1] && r[3] <= f[3]);
            }
        }
    }
}

#[test]
fn the_legend_sits_in_its_corner_outside_the_map_frame() {
    for corner in Corner::ALL {
        let page = demo_page(&spec(1920, 1080, corner));
        let legend = page.legend_box.expect("legend");
        assert!(!overlaps(legend, page.map_frame), "{corner:?}");
        let (w, h) = (page.width as f32, page.height as f32);
        assert_eq!(legend[0] < w / 2.0, corner.left(), "{corner:?}");
        assert_eq!(legend[1] < h / 2.0, corner.top(), "{corner:?}");
    }
    let page = demo_page(&PageSpec {
        legend: None,
        ..spec(1920, 1080, Corner::BottomRight)
    });
    assert!(page.legend_box.is_none());
    assert!(!texts(&page).iter().any(|t| t.starts_with("59 von 93")));
}

#[test]
fn the_page_carries_title_legend_scale_bar_source_and_badges() {
    let page = demo_page(&spec(1920, 1080, Corner::BottomRight));
    let all = texts(&page);
    for expected in [
        "StädteRegion Aachen",
        "Handlungsfelder",
        "59 von 93 Sozialräumen mit Gestaltungsbedarf",
        "N",
        "Stand: 25.11.2026 · Quelle: Beispieldaten",
    ] {
        assert!(all.contains(&expected), "{expected} missing from {all:?}");
    }
    assert!(all.iter().any(|t| t.ends_with(" km")), "scale bar label");
    assert!(
        page.items.iter().any(|i| matches!(i, Item::Disc { .. })),
        "measure badges"
    );
    for item in &page.items {
        if let Item::Text { origin, .. } = item {
            assert!(origin[0] >= 0.0 && origin[0] < page.width as f32);
            assert!(origin[1] > 0.0 && origin[1] <= page.height as f32);
        }
    }
    let begins = page
        .items
        .iter()
        .filter(|i| matches!(i, Item::Begin(_)))
        .count();
    let ends = page.items.iter().filter(|i| **i == Item::End).count();
    assert_eq!(begins, ends, "every layer is closed");
}

#[test]
fn a_long_summary_wraps_instead_of_widening_the_legend() {
    let font = Font::embedded().expect("font");
    let text = "Die Datei enthält keine Einstufung nach Handlungsfeldern (Eigenschaft „handlungsfelder“, siehe README).";
    let lines = legend::wrap(&font, text, 11.0, 200.0);
    assert!(lines.len() >= 3, "{lines:?}");
    assert!(lines.iter().all(|l| font.measure(l, 11.0)[0] <= 200.0));
    assert_eq!(lines.join(" "), text);
}
