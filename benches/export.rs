//! Criterion bench of the CPU renderer: a 1920 × 1080 map with legend, labels and scale bar,
//! for the demo and for all 11,299 German municipalities (5 quantile classes of a numeric
//! property), and the PNG encoding of it. Loading and preparing are not part of it (see
//! `benches/map.rs`); the whole `export` command is timed with `/usr/bin/time -v`.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use sozialraum_atlas::app::LoadedMap;
use sozialraum_atlas::i18n::Lang;
use sozialraum_atlas::io::demo::load_demo;
use sozialraum_atlas::io::{ImportOptions, Imported, Progress, import_file};
use sozialraum_atlas::render::raster::{PageLayout, render};
use sozialraum_atlas::scene::{Colouring, IndicatorStyle, Scene, ViewSettings};
use sozialraum_atlas::spatial::prepared::Detail;

fn bench_map(c: &mut Criterion, label: &str, imported: Imported, key: Option<&str>) {
    let map = LoadedMap::from_import(imported, None, Detail::Full);
    let mut view = ViewSettings::default();
    if let Some(p) = key.and_then(|k| map.indicators.position(k)) {
        view.colouring = Colouring::Indicator(IndicatorStyle::for_indicator(
            &map.indicators.indicators()[p],
        ));
    }
    let scene = Scene::build(map.scene_input(), &view);
    let layout = PageLayout {
        width_px: 1920,
        height_px: 1080,
        px_per_pt: 1.0,
        title: Some(map.region.title.clone()),
        subtitle: None,
        legend: true,
        scale_bar: true,
        north_arrow: true,
        source_line: Some("Stand: 25.11.2026".into()),
    };
    let mut group = c.benchmark_group(format!("export {label}"));
    group.sample_size(10);
    group.bench_function("render 1920x1080", |b| {
        b.iter(|| {
            render(
                &scene,
                &map.prepared,
                map.prepared.bounds,
                1.0,
                &layout,
                Lang::De,
            )
            .expect("drawn")
        });
    });
    let pixmap = render(
        &scene,
        &map.prepared,
        map.prepared.bounds,
        1.0,
        &layout,
        Lang::De,
    )
    .expect("drawn");
    group.bench_function("encode PNG", |b| {
        b.iter(|| pixmap.encode_png().expect("png"))
    });
    group.finish();
}

fn export_benches(c: &mut Criterion) {
    bench_map(
        c,
        "demo",
        load_demo(&Progress::default()).expect("demo"),
        Some("sgb2_quote"),
    );
    let germany = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/germany/vg250_gemeinden_2016.geojson");
    if germany.exists() {
        let imported = import_file(&germany, &ImportOptions::default(), &Progress::default())
            .expect("germany");
        bench_map(c, "germany", imported, Some("IBZ"));
    } else {
        eprintln!(
            "note: {} not found, German bench skipped",
            germany.display()
        );
    }
}

criterion_group!(benches, export_benches);
criterion_main!(benches);
