//! Criterion benches of what users wait for: the demo map to its first frame, opening all
//! 11,299 German municipalities to a drawn map, frame preparation while panning over them,
//! the picture the window draws of a map that big, and a click's hit test.
//!
//! The German file lives in ../shared/data; without it those benches are skipped with a note.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use sozialraum_atlas::analysis::rules::classify;
use sozialraum_atlas::document::Document;
use sozialraum_atlas::io::demo::load_demo;
use sozialraum_atlas::io::{ImportOptions, Progress, import_file};
use sozialraum_atlas::render::egui_map::{FrameMeshes, build_frame, build_frame_into};
use sozialraum_atlas::render::map_image::render_picture;
use sozialraum_atlas::scene::font::Font;
use sozialraum_atlas::scene::labels::place_labels;
use sozialraum_atlas::scene::{Scene, SceneInput, ViewSettings};
use sozialraum_atlas::spatial::prepared::{Detail, PreparedMap};
use sozialraum_atlas::spatial::viewport::Viewport;

const SCREEN: [f32; 2] = [1200.0, 800.0];

fn germany() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/germany/vg250_gemeinden_2016.geojson");
    if path.exists() {
        Some(path)
    } else {
        eprintln!("note: {} not found, German benches skipped", path.display());
        None
    }
}

fn demo_start(c: &mut Criterion) {
    c.bench_function("demo map: import, prepare, scene, first frame", |b| {
        b.iter(|| {
            let imported = load_demo(&Progress::default()).expect("demo");
            let map = Document::from_import(imported, None, Detail::Full);
            let scene = Scene::build(map.scene_input(), &ViewSettings::default());
            let viewport = Viewport::fit(map.prepared.bounds, SCREEN, [0.0, 0.0], 24.0);
            black_box(build_frame(&scene, &map.prepared, &viewport, 1.0).vertex_count())
        });
    });
}

fn germany_open(c: &mut Criterion) {
    let Some(path) = germany() else {
        return;
    };
    let mut group = c.benchmark_group("german municipalities");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    group.bench_function("open 78 MB GeoJSON to a drawn map", |b| {
        b.iter(|| {
            let imported =
                import_file(&path, &ImportOptions::default(), &Progress::default()).expect("loads");
            let prepared = PreparedMap::prepare(&imported.region, Detail::Overview, &|_| {});
            let classification =
                classify(&imported.region, &imported.indicators, &imported.rules, &[]);
            let input = SceneInput {
                region: &imported.region,
                indicators: &imported.indicators,
                classification: &classification,
                measure_counts: &[],
            };
            let scene = Scene::build(input, &ViewSettings::default());
            let viewport = Viewport::fit(prepared.bounds, SCREEN, [0.0, 0.0], 24.0);
            black_box(build_frame(&scene, &prepared, &viewport, 1.0).vertex_count())
        });
    });
    group.finish();
}

fn germany_frames(c: &mut Criterion) {
    let Some(path) = germany() else {
        return;
    };
    let imported =
        import_file(&path, &ImportOptions::default(), &Progress::default()).expect("loads");
    let prepared = PreparedMap::prepare(&imported.region, Detail::Full, &|_| {});
    let classification = classify(&imported.region, &imported.indicators, &imported.rules, &[]);
    let input = SceneInput {
        region: &imported.region,
        indicators: &imported.indicators,
        classification: &classification,
        measure_counts: &[],
    };
    let scene = Scene::build(input, &ViewSettings::default());
    let fitted = Viewport::fit(prepared.bounds, SCREEN, [0.0, 0.0], 24.0);
    // Frames alone, and with the labels placed as the window places them every frame (text
    // measured with the embedded font instead of egui's, which needs a running window).
    let font = Font::embedded().expect("embedded font");
    let texts = scene.labels.clone().unwrap_or_default();
    for with_labels in [false, true] {
        let name = if with_labels {
            "frame preparation with labels, German municipalities"
        } else {
            "frame preparation, German municipalities"
        };
        let mut group = c.benchmark_group(name);
        for zoom in [1.0, 4.0, 16.0, 64.0, 512.0] {
            // Pan a little every frame, as while dragging, around Aachen–Cologne.
            let mut viewport = fitted;
            viewport.center = [330_000.0, 5_640_000.0];
            viewport.m_per_px = fitted.m_per_px / zoom;
            group.bench_function(format!("zoom x{zoom}"), |b| {
                // The window re-uses its buffers from frame to frame; so does the bench.
                let mut frame = FrameMeshes::default();
                let mut step = 0u32;
                b.iter(|| {
                    step = step.wrapping_add(1);
                    let mut v = viewport;
                    v.pan_by_screen([(step % 40) as f32, (step % 25) as f32]);
                    build_frame_into(&mut frame, &scene, &prepared, &v, 1.0);
                    let labels = if with_labels {
                        let vis = v.visible_bounds();
                        let visible = prepared.index.in_rect([vis[0], vis[1]], [vis[2], vis[3]]);
                        place_labels(
                            visible.into_iter(),
                            &prepared.labels,
                            &v,
                            &|i| texts.get(i).map_or("", String::as_str),
                            &mut |t| font.measure(t, 13.0),
                            &[],
                        )
                        .len()
                    } else {
                        0
                    };
                    black_box((frame.vertex_count(), labels))
                });
            });
        }
        group.finish();
    }

    // What the window draws for a map this big: the picture, on its own thread, while the
    // window only places the labels (measured above).
    let mut group = c.benchmark_group("map picture, German municipalities");
    group.sample_size(20);
    for zoom in [1.0, 4.0, 16.0, 64.0] {
        let mut viewport = fitted;
        viewport.center = [330_000.0, 5_640_000.0];
        viewport.m_per_px = fitted.m_per_px / zoom;
        group.bench_function(format!("zoom x{zoom}"), |b| {
            b.iter(|| {
                let image = render_picture(&scene, &prepared, &viewport, 1.0);
                black_box(image.map(|i| i.pixels.len()))
            });
        });
    }
    group.finish();

    let region = &imported.region;
    let b = prepared.bounds;
    let points: Vec<[f64; 2]> = (0..1000)
        .map(|i| {
            let f = f64::from(i);
            [
                b[0] + (b[2] - b[0]) * ((f * 0.618_034) % 1.0),
                b[1] + (b[3] - b[1]) * ((f * 0.414_214) % 1.0),
            ]
        })
        .collect();
    c.bench_function("hit test of a click, German municipalities", |bench| {
        let mut i = 0usize;
        bench.iter(|| {
            i = (i + 1) % points.len();
            black_box(prepared.hit(region, points[i]))
        });
    });
}

criterion_group!(benches, demo_start, germany_open, germany_frames);
criterion_main!(benches);
