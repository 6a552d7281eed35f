//! Criterion benches of the project file: how long one committed change takes (a measure, a
//! rule edit), and how long opening a project takes, for the demo's 93 Sozialräume and for
//! all 11,299 German municipalities. Every change is a durable SQLite transaction
//! (`synchronous = FULL`), so these numbers include the flush to disk.
//!
//! Also: importing a list of 100,000 measures (read, checked, written in one transaction).
//!
//! The German file lives in ../shared/data; without it that part is skipped with a note.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use sozialraum_atlas::document::Document;
use sozialraum_atlas::io::demo::load_demo;
use sozialraum_atlas::io::project::{self};
use sozialraum_atlas::io::store::Store;
use sozialraum_atlas::io::store::{Item, ProjectContent, StoredView};
use sozialraum_atlas::io::{ImportOptions, Imported, Progress, import_file};
use sozialraum_atlas::model::Measure;
use sozialraum_atlas::spatial::prepared::Detail;

fn bench_map(c: &mut Criterion, label: &str, imported: Imported) {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let path = dir.join(format!("{label}.gpkg"));
    let mut map = Document::from_import(imported, None, Detail::Overview);
    let view = StoredView::default();
    let mut store = {
        let content = ProjectContent {
            map: map.export(),
            measures: &map.measures,
            view: &view,
        };
        project::create(&path, &content).expect("project").0
    };
    let code = map.region.spaces[0].code.clone();
    let mut group = c.benchmark_group(format!("project {label}"));
    group.sample_size(30);
    group.bench_function("commit one new measure", |b| {
        b.iter(|| {
            let uid = project::new_uid();
            map.measures.put(Measure {
                uid,
                title: "Quartiersbüro".into(),
                areas: vec![code.clone()],
                ..Measure::default()
            });
            let content = ProjectContent {
                map: map.export(),
                measures: &map.measures,
                view: &view,
            };
            store
                .write(&[(Item::Measure(uid), 0)], &content)
                .expect("committed");
        });
    });
    group.bench_function("commit a rule edit (classification columns)", |b| {
        b.iter(|| {
            let content = ProjectContent {
                map: map.export(),
                measures: &map.measures,
                view: &view,
            };
            let base = store.known(&Item::Rules);
            store
                .write(&[(Item::Rules, base)], &content)
                .expect("committed");
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
}

/// Importing a list of 100,000 measures into the demo project: reading the CSV, checking
/// every row, and writing all of them (with their links and the measure counts) in one
/// transaction, as `measures import` does.
fn bench_import(c: &mut Criterion) {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let list = dir.join("massnahmen.csv");
    let region = load_demo(&Progress::default()).expect("demo").region;
    let mut csv = String::from("Titel;Sozialräume;Status;Budget (€)\n");
    for k in 0..100_000 {
        let code = &region.spaces[k % region.spaces.len()].code;
        csv.push_str(&format!("Maßnahme {k};{code};geplant;{}\n", 1000 + k));
    }
    std::fs::write(&list, csv).expect("list");
    let mut group = c.benchmark_group("measures import");
    group.sample_size(10);
    group.bench_function("100,000 rows into the demo project", |b| {
        b.iter_batched(
            || {
                let path = dir.join(format!("import-{}.gpkg", project::new_uid()));
                let map = Document::from_import(
                    load_demo(&Progress::default()).expect("demo"),
                    None,
                    Detail::Overview,
                );
                let view = StoredView::default();
                let store = {
                    let content = ProjectContent {
                        map: map.export(),
                        measures: &map.measures,
                        view: &view,
                    };
                    project::create(&path, &content).expect("project").0
                };
                (map, store, path)
            },
            |(mut map, mut store, path)| {
                let (measures, _report) = sozialraum_atlas::io::measures_table::read_measures(
                    &list,
                    &map.region,
                    &map.measures,
                    sozialraum_atlas::i18n::Lang::De,
                )
                .expect("read");
                let items: Vec<(Item, u64)> = measures
                    .iter()
                    .map(|_| (Item::Measure(project::new_uid()), 0))
                    .collect();
                let measures: Vec<Measure> = measures
                    .into_iter()
                    .zip(&items)
                    .map(|(mut m, (item, _))| {
                        if let Item::Measure(uid) = item {
                            m.uid = *uid;
                        }
                        m
                    })
                    .collect();
                map.measures.put_many(measures);
                let view = StoredView::default();
                let content = ProjectContent {
                    map: map.export(),
                    measures: &map.measures,
                    view: &view,
                };
                let outcomes = store.write(&items, &content).expect("written");
                assert_eq!(outcomes.len(), 100_000);
                drop(store);
                let _ = std::fs::remove_file(path);
            },
            criterion::BatchSize::PerIteration,
        );
    });
    group.finish();
}

fn project_benches(c: &mut Criterion) {
    bench_import(c);
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
