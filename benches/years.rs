//! Criterion benches of the years: switching the year of an indicator map (recolouring all
//! 11,299 German municipalities with 10 years of one indicator), a change map and status ×
//! dynamics over them, and building a composite index over 11,299 areas × 10 indicators (one
//! year, and all 10 years). The goal for each is one frame: under 16 ms.
//!
//! The German file lives in ../shared/data; without it the benches are skipped with a note.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use sozialraum_atlas::analysis::index::{index_column, index_indicator, put_index};
use sozialraum_atlas::analysis::rules::classify;
use sozialraum_atlas::analysis::typology::TypologySpec;
use sozialraum_atlas::io::{ImportOptions, Progress, import_file};
use sozialraum_atlas::model::{
    Change, ChangeMeasure, IndexDefinition, IndexInput, Indicator, IndicatorTable, IndicatorValue,
    Series, Standardisation,
};
use sozialraum_atlas::scene::{Colouring, IndicatorStyle, Scene, SceneInput, ViewSettings};

const YEARS: std::ops::RangeInclusive<i32> = 2014..=2023;

/// A deterministic value per area, indicator and year: a base, a trend and some noise.
fn value(area: usize, indicator: usize, year: i32) -> IndicatorValue {
    let x = (area as u64 ^ ((indicator as u64) << 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let base = (x % 1000) as f64 / 40.0;
    let trend = ((x >> 20) % 100) as f64 / 200.0 - 0.25;
    let noise = ((x >> 40).wrapping_add(year as u64 * 7919) % 100) as f64 / 100.0;
    IndicatorValue::Number(base + trend * f64::from(year - 2014) + noise)
}

fn series(n: usize, indicator: usize) -> Series {
    YEARS
        .map(|y| (y, (0..n).map(|i| value(i, indicator, y)).collect()))
        .collect()
}

fn bench(c: &mut Criterion) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/germany/vg250_gemeinden_2016.geojson");
    if !path.exists() {
        eprintln!("note: {} not found, year benches skipped", path.display());
        return;
    }
    let imported =
        import_file(&path, &ImportOptions::default(), &Progress::default()).expect("Germany");
    let region = imported.region;
    let n = region.spaces.len();
    let mut table = IndicatorTable::default();
    for k in 0..10 {
        table.push_series(Indicator::from_key(&format!("i{k}")), series(n, k));
    }
    let classification = classify(&region, &table, &imported.rules, &[]);
    let input = SceneInput {
        region: &region,
        indicators: &table,
        classification: &classification,
        measure_counts: &[],
    };
    let mut style = IndicatorStyle::for_indicator(&table.indicators()[0]);
    let years: Vec<i32> = YEARS.collect();
    let mut k = 0;
    c.bench_function(
        "year switch: recolour 11,299 municipalities (10 years)",
        |b| {
            b.iter(|| {
                k = (k + 1) % years.len();
                style.year = Some(years[k]);
                let settings = ViewSettings {
                    colouring: Colouring::Indicator(style.clone()),
                    ..ViewSettings::default()
                };
                black_box(Scene::build(input, &settings).fills.len())
            });
        },
    );
    let mut change = IndicatorStyle::for_indicator(&table.indicators()[0]);
    change.change = Some(Change {
        from: 2014,
        to: 2023,
        measure: ChangeMeasure::Difference,
    });
    let settings = ViewSettings {
        colouring: Colouring::Indicator(change),
        ..ViewSettings::default()
    };
    c.bench_function("change map 2014–2023: 11,299 municipalities", |b| {
        b.iter(|| black_box(Scene::build(input, &settings).fills.len()));
    });
    let settings = ViewSettings {
        colouring: Colouring::Typology(TypologySpec::new("i0", 2014, 2023)),
        ..ViewSettings::default()
    };
    c.bench_function(
        "status × dynamics 2014–2023: 11,299 municipalities",
        |b| {
            b.iter(|| black_box(Scene::build(input, &settings).fills.len()));
        },
    );
    let def = IndexDefinition {
        inputs: (0..10)
            .map(|k| IndexInput {
                indicator: format!("i{k}"),
                weight: 1.0 + k as f64 / 10.0,
                inverted: k % 3 == 0,
            })
            .collect(),
        standardisation: Standardisation::ZScore,
        reading: String::new(),
    };
    c.bench_function("index of 10 indicators, one year: 11,299 areas", |b| {
        b.iter(|| black_box(index_column(&table, &def, Some(2023)).map(|v| v.len())));
    });
    c.bench_function("index of 10 indicators, all 10 years: 11,299 areas", |b| {
        b.iter(|| {
            let mut t = table.clone();
            put_index(&mut t, index_indicator("idx", "Index", "", def.clone())).expect("index");
            black_box(t.len())
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
