//! Criterion benches of the project file: how long one committed change takes (a measure, a
//! rule edit), and how long opening a project takes, for the demo's 93 Sozialräume and for
//! all 11,299 German municipalities. Every change is a durable SQLite transaction
//! (`synchronous = FULL`), so these numbers include the flush to disk.
//!
//! The German file lives in ../shared/data; without it that part is skipped with a note.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use sozialraum_atlas::app::LoadedMap;
use sozialraum_atlas::io::demo::load_demo;
use sozialraum_atlas::io::project::{self, ProjectContent, StoredView};
use sozialraum_atlas::io::{ImportOptions, Imported, Progress, import_file};
use sozialraum_atlas::model::Measure;
use sozialraum_atlas::spatial::prepared::Detail;

fn bench_map(c: &mut Criterion, label: &str, imported: Imported) {
    let dir = std::env::temp_dir().join(format!("sozialraum-atlas-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{label}.gpkg"));
    let mut map = LoadedMap::from_import(imported, None, Detail::Overview);
    let view = StoredView::default();
    let mut store = {
        let content = ProjectContent {
            map: map.export(),
            measures: &map.measures,
            view: &view,
        };
        project::create(&path, &content).expect("project")
    };
    let code = map.region.spaces[0].code.clone();
    let mut group = c.benchmark_group(format!("project {label}"));
    group.sample_size(30);
    group.bench_function("commit one new measure", |b| {
        b.iter(|| {
            let id = map.measures.add(Measure {
                title: "Quartiersbüro".into(),
                areas: vec![code.clone()],
                ..Measure::default()
            });
            let content = ProjectContent {
                map: map.export(),
                measures: &map.measures,
                view: &view,
            };
            let m = content.measures.get(id).expect("added");
            store.put_measure(&content, m).expect("committed");
        });
    });
    group.bench_function("commit a rule edit (classification columns)", |b| {
        b.iter(|| {
            let content = ProjectContent {
                map: map.export(),
                measures: &map.measures,
                view: &view,
            };
            store.put_settings(&content).expect("committed");
        });
    });
    group.bench_function("open the project", |b| {
        b.iter(|| {
            project::open(&path, &ImportOptions::default(), &Progress::default()).expect("opens")
        });
    });
    group.finish();
    drop(store);
    map.measures = Default::default();
    let _ = std::fs::remove_dir_all(&dir);
}

fn project_benches(c: &mut Criterion) {
    bench_map(c, "demo", load_demo(&Progress::default()).expect("demo"));
    let germany = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/germany/vg250_gemeinden_2016.geojson");
    if Path::new(&germany).exists() {
        let imported = import_file(&germany, &ImportOptions::default(), &Progress::default())
            .expect("germany");
        bench_map(c, "germany", imported);
    } else {
        eprintln!(
            "note: {} not found, German bench skipped",
            germany.display()
        );
    }
}

criterion_group!(benches, project_benches);
criterion_main!(benches);
