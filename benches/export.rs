//! Criterion bench of the export: laying out a 1920 × 1080 page with legend, labels and scale
//! bar, drawing it into PNG pixels, encoding, and writing SVG and PDF,
//! for the demo and for all 11,299 German municipalities (5 quantile classes of a numeric
//! property), and the PNG encoding of it. Loading and preparing are not part of it (see
//! `benches/map.rs`, `benches/import.rs`); the whole `export` command is timed with
//! `scripts/peers.sh`. And the demo's atlas pages: one 1920 × 1080 PNG per municipality and
//! one per saved view (the region and each municipality saved as a view), written together.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use sozialraum_atlas::document::Document;
use sozialraum_atlas::export::map::{ExportOptions, MapSnapshot, compose_page, today};
use sozialraum_atlas::io::demo::load_demo;
use sozialraum_atlas::io::{ImportOptions, Imported, Progress, import_file};
use sozialraum_atlas::render::{Format, encode, raster};
use sozialraum_atlas::scene::{Colouring, IndicatorStyle, ViewSettings};
use sozialraum_atlas::spatial::prepared::{Detail, PreparedMap, region_extent};

fn bench_map(c: &mut Criterion, label: &str, imported: Imported, key: Option<&str>) {
    let map = Document::from_import(imported, None, Detail::Full);
    let mut view = ViewSettings::default();
    if let Some(p) = key.and_then(|k| map.indicators.position(k)) {
        view.colouring = Colouring::Indicator(IndicatorStyle::for_indicator(
            &map.indicators.indicators()[p],
        ));
    }
    // Geometry as `export` prepares it: one level for the page's scale.
    let extent = region_extent(&map.region);
    let scale = ((extent[2] - extent[0]) / 1920.0).max((extent[3] - extent[1]) / 1080.0);
    let prepared = std::sync::Arc::new(PreparedMap::prepare_for_scale(&map.region, scale));
    let map = MapSnapshot {
        prepared,
        ..MapSnapshot::of(&map)
    };
    let options = ExportOptions::defaults(&map, &view, today());
    let mut group = c.benchmark_group(format!("export {label}"));
    group.sample_size(10);
    group.bench_function("lay out 1920x1080", |b| {
        b.iter(|| compose_page(&map, &view, &options, None).expect("page"));
    });
    let page = compose_page(&map, &view, &options, None).expect("page");
    group.bench_function("draw PNG pixels", |b| {
        b.iter(|| raster::rasterize(&page).expect("drawn"));
    });
    let pixmap = raster::rasterize(&page).expect("drawn");
    group.bench_function("encode PNG", |b| {
        b.iter(|| pixmap.encode_png().expect("png"))
    });
    group.bench_function("write SVG", |b| {
        b.iter(|| encode(&page, Format::Svg).expect("svg"))
    });
    group.bench_function("write PDF", |b| {
        b.iter(|| encode(&page, Format::Pdf).expect("pdf"))
    });
    group.finish();
}

/// The ten municipality pages and eleven saved views of the demo, as `export --per-municipality`
/// and `export --views` write them.
fn demo_atlas(c: &mut Criterion) {
    use sozialraum_atlas::app::{AppState, Command};
    use sozialraum_atlas::export::request::{ExportRequest, ExportTarget, run};
    let mut state = AppState::new(|| {});
    state.apply(Command::OpenDemo);
    state.apply(Command::SaveView("Region".into()));
    let names: Vec<String> = {
        let map = state.map.as_ref().expect("demo");
        map.region
            .municipalities
            .iter()
            .map(|m| m.name.clone())
            .collect()
    };
    for name in &names {
        state.apply(Command::Focus(Some(name.clone())));
        state.apply(Command::SaveView(format!("{name} im Blick")));
    }
    state.apply(Command::Focus(None));
    let doc = state.map.as_ref().expect("demo");
    assert_eq!(doc.saved_views.len(), names.len() + 1);
    let map = MapSnapshot::of(doc);
    let view = state.view.clone();
    let mut options = ExportOptions::defaults(&map, &view, today());
    options.size = sozialraum_atlas::export::map::PageSize::Pixels {
        width: 1920,
        height: 1080,
    };
    let dir = std::env::temp_dir().join(format!("atlas-bench-{}", std::process::id()));
    let pages = ExportRequest {
        options: options.clone(),
        target: ExportTarget::Folder(dir.join("kommunen")),
    };
    let views = ExportRequest {
        options,
        target: ExportTarget::Views(dir.join("ansichten"), doc.saved_views.clone()),
    };
    let lang = sozialraum_atlas::i18n::Lang::De;
    let mut group = c.benchmark_group("export demo atlas");
    group.sample_size(10);
    group.bench_function("10 municipality pages and 11 views, 1920x1080 PNG", |b| {
        b.iter(|| {
            run(&map, &view, &pages, lang).expect("pages");
            run(&map, &view, &views, lang).expect("views")
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

fn export_benches(c: &mut Criterion) {
    demo_atlas(c);
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
