//! Criterion benches of the import's stages on the big real files: decoding the GeoJSON while
//! reading it in rounds, the whole import (decode, check and project every polygon, assemble),
//! and preparing the geometry — once for one page's scale (what `export` does) and for every
//! zoom of the window. Files: all 11,299 German municipalities of ../shared/data, and the
//! 51,680 US counties of `scripts/us_counties_x16.sh` at /tmp/us_counties_x16.geojson; a
//! missing file is skipped with a note.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use sozialraum_atlas::io::geojson::parallel::read_stream;
use sozialraum_atlas::io::{ImportOptions, Progress, import_file};
use sozialraum_atlas::spatial::prepared::{Detail, PreparedMap, region_extent};

fn files() -> Vec<(&'static str, PathBuf)> {
    let candidates = [
        (
            "German municipalities (78 MB)",
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/data/germany/vg250_gemeinden_2016.geojson"),
        ),
        (
            "US counties x16 (34 MB)",
            PathBuf::from("/tmp/us_counties_x16.geojson"),
        ),
    ];
    candidates
        .into_iter()
        .filter(|(label, path)| {
            let there = path.exists();
            if !there {
                eprintln!("note: {} not found, {label} skipped", path.display());
            }
            there
        })
        .collect()
}

fn stages(c: &mut Criterion) {
    for (label, path) in files() {
        let mut group = c.benchmark_group(format!("import {label}"));
        group.sample_size(10);
        group.bench_function("read and decode (in rounds, every core)", |b| {
            b.iter(|| {
                let mut file = std::fs::File::open(&path).expect("open");
                let doc = read_stream(&mut file, &mut |_| true)
                    .expect("read in rounds")
                    .expect("decoded");
                black_box(doc.features.len())
            })
        });
        group.bench_function("whole import (decode, project, check, assemble)", |b| {
            b.iter(|| {
                let imported = import_file(&path, &ImportOptions::default(), &Progress::default())
                    .expect("imports");
                black_box(imported.region.spaces.len())
            })
        });
        let imported =
            import_file(&path, &ImportOptions::default(), &Progress::default()).expect("imports");
        let extent = region_extent(&imported.region);
        let scale = ((extent[2] - extent[0]) / 1920.0).max((extent[3] - extent[1]) / 1080.0);
        group.bench_function("prepare for one 1920x1080 page", |b| {
            b.iter(|| black_box(PreparedMap::prepare_for_scale(&imported.region, scale)))
        });
        group.bench_function("prepare every zoom (window)", |b| {
            b.iter(|| {
                black_box(PreparedMap::prepare(
                    &imported.region,
                    Detail::Full,
                    &|_| {},
                ))
            })
        });
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
