//! Criterion benches of a rule change: recomputing every rule and recolouring the map, for the
//! demo's 93 Sozialräume and for all 11,299 German municipalities with the 2011 Census table
//! joined (z-scores against the region and against the Land, percentile ranks, values, "at
//! least 2 of 3"). The goal is one frame: under 16 ms.
//!
//! The German files live in ../shared/data; without them that bench is skipped with a note.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use sozialraum_atlas::analysis::join::{JoinOptions, join_table, merge_joined};
use sozialraum_atlas::analysis::rules::classify;
use sozialraum_atlas::io::demo::load_demo;
use sozialraum_atlas::io::fields::FieldOverrides;
use sozialraum_atlas::io::table::read_table;
use sozialraum_atlas::io::{ImportOptions, Progress, import_file};
use sozialraum_atlas::model::{
    ActionField, Combinator, Comparison, Condition, FieldRule, IndicatorTable, Reference, Region,
    RuleSet, Score,
};
use sozialraum_atlas::scene::{Colouring, IndicatorStyle, Scene, SceneInput, ViewSettings};

fn shared(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("note: {} not found, German bench skipped", path.display());
        None
    }
}

/// Classifies with `rules` and builds the scene: what a rule edit costs before the next frame.
fn reclassify_and_recolour(
    region: &Region,
    indicators: &IndicatorTable,
    rules: &RuleSet,
    settings: &ViewSettings,
) -> usize {
    let classification = classify(region, indicators, rules, &[]);
    let input = SceneInput {
        region,
        indicators,
        classification: &classification,
        measure_counts: &[],
    };
    Scene::build(input, settings).fills.len()
}

fn demo(c: &mut Criterion) {
    let demo = load_demo(&Progress::default()).expect("demo");
    let settings = ViewSettings::default();
    c.bench_function("rule edit, demo (93 areas): classify and recolour", |b| {
        b.iter(|| {
            black_box(reclassify_and_recolour(
                &demo.region,
                &demo.indicators,
                &demo.rules,
                &settings,
            ))
        });
    });
}

fn condition(key: &str, measure: Score, comparison: Comparison, threshold: f64) -> Condition {
    Condition {
        indicator: key.to_string(),
        measure,
        comparison,
        threshold,
        year: None,
        since: None,
    }
}

/// Four fields over the Census indicators, using every measure and combinator.
fn census_rules() -> RuleSet {
    use Comparison::{AtLeast, AtMost};
    let rel = "relative_differenz_in_prozent";
    let census = "einwohner_am_9_mai_2011_laut_zensus_2011";
    let abs = "absolute_differenz";
    let rule = |field, combinator, conditions| FieldRule {
        field,
        combinator,
        conditions,
    };
    RuleSet {
        rules: vec![
            rule(
                ActionField::Disadvantaged,
                Combinator::All,
                vec![
                    condition(rel, Score::ZScore(Reference::Region), AtLeast, 1.0),
                    condition(census, Score::Percentile, AtLeast, 50.0),
                ],
            ),
            rule(
                ActionField::Elderly,
                Combinator::Any,
                vec![
                    condition(rel, Score::ZScore(Reference::Municipality), AtMost, -1.0),
                    condition(census, Score::Value, AtMost, 500.0),
                ],
            ),
            rule(
                ActionField::ChildrenFamilies,
                Combinator::AtLeast(2),
                vec![
                    condition(abs, Score::Percentile, AtLeast, 90.0),
                    condition(rel, Score::ZScore(Reference::Municipality), AtLeast, 0.5),
                    condition(census, Score::ZScore(Reference::Region), AtLeast, 0.0),
                ],
            ),
            rule(
                ActionField::Integration,
                Combinator::All,
                vec![condition(rel, Score::Value, AtLeast, 5.0)],
            ),
        ],
    }
}

fn germany(c: &mut Criterion) {
    let (Some(map), Some(table)) = (
        shared("germany/vg250_gemeinden_2016.geojson"),
        shared("germany/zensus2011_gemeinden_einwohner.csv"),
    ) else {
        return;
    };
    // The Land (SN_L) stands in for the municipality, so "against the municipality" has groups.
    let options = ImportOptions {
        fields: FieldOverrides {
            municipality: Some("SN_L".to_string()),
            ..FieldOverrides::default()
        },
        ..ImportOptions::default()
    };
    let imported = import_file(&map, &options, &Progress::default()).expect("loads");
    let region = imported.region;
    let mut indicators = imported.indicators;
    let table = read_table(&table).expect("census table");
    let (joined, _) =
        join_table(&region, &indicators, &table, &JoinOptions::default()).expect("joins");
    merge_joined(&mut indicators, joined);
    let rules = census_rules();
    // Every field must flag some, not all, municipalities, or the bench measures nothing real.
    let check = classify(&region, &indicators, &rules, &[]);
    for field in ActionField::ALL {
        let n = check.fields.iter().filter(|f| f.contains(field)).count();
        eprintln!("field {}: {n} of {}", field.number(), region.spaces.len());
        assert!(
            n > 0 && n < region.spaces.len(),
            "field {}: {n}",
            field.number()
        );
    }
    let by_fields = ViewSettings::default();
    let position = indicators
        .position("relative_differenz_in_prozent")
        .expect("census indicator");
    let by_indicator = ViewSettings {
        colouring: Colouring::Indicator(IndicatorStyle::for_indicator(
            &indicators.indicators()[position],
        )),
        ..ViewSettings::default()
    };
    let mut group = c.benchmark_group("rule edit, German municipalities (11,299)");
    group.bench_function("classify and recolour by Handlungsfeld", |b| {
        b.iter(|| {
            black_box(reclassify_and_recolour(
                &region,
                &indicators,
                &rules,
                &by_fields,
            ))
        });
    });
    group.bench_function("classify and recolour by indicator (quantile)", |b| {
        b.iter(|| {
            black_box(reclassify_and_recolour(
                &region,
                &indicators,
                &rules,
                &by_indicator,
            ))
        });
    });
    group.finish();
}

criterion_group!(benches, demo, germany);
criterion_main!(benches);
