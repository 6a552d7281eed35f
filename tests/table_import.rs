//! Indicator tables as planners receive them (fixtures in `tests/data/tables`, written by
//! `make_fixtures.py`), joined to the demo map's Sozialräume; and real tables joined to real
//! boundaries: Cologne's population by Stadtteil and year (a long table), the 2011 Census for
//! all German municipalities.

mod common;

use common::{shared_data, test_file};
use sozialraum_atlas::analysis::join::{JoinOptions, JoinReport, Layout, join_table, merge_joined};
use sozialraum_atlas::analysis::rules::classify;
use sozialraum_atlas::io::demo::load_demo;
use sozialraum_atlas::io::table::{DecimalStyle, read_table};
use sozialraum_atlas::io::{ImportOptions, Progress, import_file};
use sozialraum_atlas::model::{IndicatorTable, IndicatorValue, Region, RuleSet, Unit};
use sozialraum_atlas::scene::style::FillStyle;
use sozialraum_atlas::scene::{Colouring, IndicatorStyle, Scene, SceneInput, ViewSettings};

use IndicatorValue::{Missing, Number, Suppressed};

/// Joins a table to a region's indicators; returns the merged table and the report.
fn join(
    region: &Region,
    mut indicators: IndicatorTable,
    path: &std::path::Path,
    options: &JoinOptions,
) -> (IndicatorTable, JoinReport) {
    let table = read_table(path).expect("table reads");
    let (joined, report) = join_table(region, &indicators, &table, options).expect("joins");
    merge_joined(&mut indicators, joined);
    (indicators, report)
}

/// Joins a fixture to the demo map.
fn join_fixture(name: &str) -> (Region, IndicatorTable, JoinReport) {
    let demo = load_demo(&Progress::default()).expect("demo");
    let path = test_file(&format!("tables/{name}"));
    let (indicators, report) = join(
        &demo.region,
        demo.indicators,
        &path,
        &JoinOptions::default(),
    );
    (demo.region, indicators, report)
}

fn value(region: &Region, t: &IndicatorTable, key: &str, code: &str) -> IndicatorValue {
    let p = t
        .position(key)
        .unwrap_or_else(|| panic!("no indicator {key}"));
    t.value(p, region.space_by_code(code).expect(code))
}

/// The scene of an indicator map with the default style (5 quantile classes).
fn indicator_scene(region: &Region, indicators: &IndicatorTable, key: &str) -> Scene {
    let classification = classify(region, indicators, &RuleSet::default(), &[]);
    let indicator = &indicators.indicators()[indicators.position(key).expect(key)];
    let settings = ViewSettings {
        colouring: Colouring::Indicator(IndicatorStyle::for_indicator(indicator)),
        ..ViewSettings::default()
    };
    let input = SceneInput {
        region,
        indicators,
        classification: &classification,
        measure_counts: &[],
    };
    Scene::build(input, &settings)
}

/// Areas in the legend's class rows (labelled with a range "a bis b", "über b bis c").
fn count_in_classes(scene: &Scene) -> usize {
    scene
        .legend
        .entries
        .iter()
        .filter(|e| e.label.contains(" bis "))
        .map(|e| e.count)
        .sum()
}

/// Count of the legend row labelled `label`.
fn legend_count(scene: &Scene, label: &str) -> Option<usize> {
    scene
        .legend
        .entries
        .iter()
        .find(|e| e.label == label)
        .map(|e| e.count)
}

#[test]
fn german_excel_csv_in_windows_1252_joins_with_a_full_report() {
    let (region, t, report) = join_fixture("wohngeld_excel_windows1252.csv");
    let table = read_table(&test_file("tables/wohngeld_excel_windows1252.csv")).expect("reads");
    assert_eq!(table.dialect.delimiter, Some(';'));
    assert_eq!(table.dialect.decimal, DecimalStyle::Comma);
    assert_eq!(table.dialect.encoding, "Windows-1252");
    assert_eq!(
        table.dialect.skipped_lines, 1,
        "the note line above the header"
    );
    assert_eq!(table.headers[4], "Fläche in m²");
    // Decimal commas, thousands dots, quoted numbers.
    let key = "wohngeldhaushalte_je_1_000_haushalte";
    assert_eq!(value(&region, &t, key, "AC 1"), Number(12.5));
    assert_eq!(
        value(&region, &t, "haushalte_gesamt", "AC 1"),
        Number(6734.0)
    );
    assert_eq!(
        value(&region, &t, "flaeche_in_m", "AC 1"),
        Number(1_210_000.0)
    );
    // "ac3" and " W 1 " still find their areas; all four markers stay suppressed, never 0.
    for code in ["AC 3", "E 1", "S 2", "W 1"] {
        assert_eq!(value(&region, &t, key, code), Suppressed, "{code}");
    }
    assert_eq!(report.suppressed, 4);
    // The duplicate keeps its first row and is reported with both lines.
    assert_eq!(value(&region, &t, key, "AC 2"), Number(8.25));
    assert_eq!(
        report.duplicate_keys,
        vec![("AC 2".to_string(), vec![4, 10])]
    );
    // A word in a number column: reported with line and column, the value is missing.
    assert_eq!(report.bad_cells.len(), 1);
    let bad = &report.bad_cells[0];
    assert_eq!(
        (bad.line, bad.column.as_str(), bad.text.as_str()),
        (11, "Wohngeldhaushalte je 1.000 Haushalte", "k. A.")
    );
    assert_eq!(value(&region, &t, key, "B 1"), Missing);
    assert_eq!(report.unmatched_rows, vec![(9, "XY 9".to_string())]);
    assert_eq!(report.matched_areas, 7);
    assert_eq!(report.areas_without_data.len(), 93 - 7);
    assert!(report.areas_without_data.contains(&"AC 4".to_string()));
    // The catalogue entry is guessed from the column name.
    let entry = &t.indicators()[t.position(key).expect(key)];
    assert_eq!(entry.unit, Unit::PerThousand);
    assert_eq!(entry.label_de, "Wohngeldhaushalte je 1.000 Haushalte");
    assert_eq!(entry.source, "wohngeld_excel_windows1252.csv");
    // Suppressed and missing values land in "keine Daten", outside every class.
    let scene = indicator_scene(&region, &t, key);
    assert_eq!(legend_count(&scene, "keine Daten"), Some(91));
    assert_eq!(count_in_classes(&scene), 2);
    let w1 = region.space_by_code("W 1").expect("W 1");
    assert!(matches!(scene.fills[w1], FillStyle::Pattern(0)));
}

#[test]
fn comma_separated_csv_with_a_bom_and_decimal_points_joins() {
    let (region, t, report) = join_fixture("benefits_english_bom.csv");
    let table = read_table(&test_file("tables/benefits_english_bom.csv")).expect("reads");
    assert_eq!(table.dialect.delimiter, Some(','));
    assert_eq!(table.dialect.decimal, DecimalStyle::Point);
    assert_eq!(
        table.headers,
        ["code", "name", "benefit_rate", "households"],
        "BOM stripped"
    );
    assert_eq!(table.rows.len(), 3, "a quoted comma does not split a row");
    assert_eq!(value(&region, &t, "benefit_rate", "AC 2"), Number(8.25));
    assert_eq!(value(&region, &t, "households", "AC 1"), Number(6734.0));
    assert_eq!(report.matched_areas, 3);
    assert!(report.bad_cells.is_empty() && report.unmatched_rows.is_empty());
}

#[test]
fn xlsx_with_a_merged_title_and_formulas_joins_and_flags_small_numbers() {
    let (region, t, report) = join_fixture("kinderarmut_merged_formulas.xlsx");
    let table = read_table(&test_file("tables/kinderarmut_merged_formulas.xlsx")).expect("reads");
    assert_eq!(
        table.dialect.skipped_lines, 2,
        "merged title row and empty row"
    );
    assert_eq!(
        table.headers,
        [
            "Code",
            "Kinderarmut Nenner",
            "Kinderarmut Fälle",
            "Kinderarmut %"
        ]
    );
    // Formula cells give their results as Excel stored them.
    assert_eq!(value(&region, &t, "kinderarmut", "AC 1"), Number(25.0));
    assert_eq!(value(&region, &t, "kinderarmut", "AC 2"), Number(12.0));
    assert_eq!(value(&region, &t, "kinderarmut", "S 2"), Suppressed);
    assert_eq!(report.suppressed, 3);
    assert_eq!(report.matched_areas, 5);
    // The share is linked to its cases and denominator by name ...
    let p = t.position("kinderarmut").expect("kinderarmut");
    assert_eq!(
        t.indicators()[p].cases.as_deref(),
        Some("kinderarmut_faelle")
    );
    assert_eq!(
        t.indicators()[p].denominator.as_deref(),
        Some("kinderarmut_nenner")
    );
    // ... so E 1 (2 of 40 children) is withheld for data protection, AC 2 (96 of 800) is not.
    let e1 = region.space_by_code("E 1").expect("E 1");
    let ac2 = region.space_by_code("AC 2").expect("AC 2");
    assert!(t.is_small_number(p, e1));
    assert!(!t.is_small_number(p, ac2));
    let scene = indicator_scene(&region, &t, "kinderarmut");
    assert_eq!(legend_count(&scene, "Datenschutz: kleine Zahl"), Some(1));
    assert!(matches!(scene.fills[e1], FillStyle::Pattern(1)));
    assert!(matches!(scene.fills[ac2], FillStyle::Solid(_)));
}

#[test]
fn a_reimport_keeps_the_edited_catalogue_entry_and_replaces_the_values() {
    let (region, mut t, _) = join_fixture("benefits_english_bom.csv");
    let p = t.position("benefit_rate").expect("benefit_rate");
    let mut entry = t.indicators()[p].clone();
    entry.label_de = "Leistungsquote".to_string();
    t.set_indicator(p, entry);
    let table = read_table(&test_file("tables/benefits_english_bom.csv")).expect("reads");
    let (joined, report) = join_table(&region, &t, &table, &JoinOptions::default()).expect("joins");
    assert!(report.replaced.contains(&"benefit_rate".to_string()));
    merge_joined(&mut t, joined);
    assert_eq!(t.indicators()[p].label_de, "Leistungsquote");
    assert_eq!(value(&region, &t, "benefit_rate", "AC 1"), Number(12.5));
}

#[test]
fn cologne_population_long_table_pivots_onto_the_86_stadtteile() {
    let (Some(map), Some(table_path)) = (
        shared_data("koeln/koeln_stadtteile.geojson"),
        shared_data("koeln/koeln_bevoelkerung_2005_2012.csv"),
    ) else {
        return;
    };
    let imported =
        import_file(&map, &ImportOptions::default(), &Progress::default()).expect("loads");
    let options = JoinOptions {
        key_column: Some("raum_id".to_string()),
        target: None,
        layout: Layout::Long {
            indicator: vec!["tabelle".to_string(), "zeile".to_string()],
            value: "zahl".to_string(),
            year: Some(("jahr".to_string(), None)),
        },
        table_year: None,
        crosswalk: None,
    };
    let region = &imported.region;
    let (t, report) = join(region, imported.indicators, &table_path, &options);
    let years: Vec<i32> = report.years.iter().map(|y| y.year).collect();
    assert_eq!(
        years,
        (2005..=2012).collect::<Vec<_>>(),
        "all eight years in one go"
    );
    assert!(
        report.years.iter().all(|y| y.areas == 86),
        "{:?}",
        report.years
    );
    assert_eq!(report.matched_areas, 86, "every Stadtteil");
    assert!(report.areas_without_data.is_empty());
    // The city (000) and its 9 Stadtbezirke (001–009) are rows for no Stadtteil.
    assert!(report.unmatched_rows.iter().any(|(_, k)| k == "000"));
    assert!(
        report
            .unmatched_rows
            .iter()
            .all(|(_, k)| k.len() == 3 && k.as_str() < "010")
    );
    assert!(report.duplicate_keys.is_empty());
    assert!(report.indicators.len() >= 30, "{:?}", report.indicators);
    // Population of all Stadtteile adds up to the city's in the same table (2012: ≈1.04 million).
    let key = report
        .indicators
        .iter()
        .find(|k| k.starts_with("einwohner_in_koeln"))
        .expect("Einwohner");
    let total: f64 = t
        .column(t.position(key).expect(key))
        .iter()
        .filter_map(|v| v.number())
        .sum();
    assert!((1_000_000.0..1_100_000.0).contains(&total), "{total}");
    let scene = indicator_scene(region, &t, key);
    assert_eq!(legend_count(&scene, "keine Daten"), Some(0));
    // The series of a few Stadtteile, against the table's own rows read here by hand.
    let text = std::fs::read_to_string(&table_path).expect("csv");
    let p = t.position(key).expect(key);
    assert_eq!(t.years(p), &(2005..=2012).collect::<Vec<_>>()[..]);
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[2] != "Einwohner in Köln" || !["101", "507", "905"].contains(&f[4]) {
            continue;
        }
        let year: i32 = f[3].parse().expect("year");
        let expected: f64 = f[8].parse().expect("number");
        let area = region.space_by_code(f[4]).expect("Stadtteil");
        assert_eq!(
            t.value_at(p, area, Some(year)),
            sozialraum_atlas::model::IndicatorValue::Number(expected),
            "{} {year}",
            f[4]
        );
        checked += 1;
    }
    assert_eq!(checked, 3 * 8, "three Stadtteile × eight years");
    // The change map 2005→2012: every Stadtteil has both years, the classes are centred on 0
    // and each area sits in the class of its own change.
    let classification = classify(region, &t, &RuleSet::default(), &[]);
    let mut style = IndicatorStyle::for_indicator(&t.indicators()[p]);
    style.change = Some(sozialraum_atlas::model::Change {
        from: 2005,
        to: 2012,
        measure: sozialraum_atlas::model::ChangeMeasure::Relative,
    });
    let scene = Scene::build(
        SceneInput {
            region,
            indicators: &t,
            classification: &classification,
            measure_counts: &[],
        },
        &ViewSettings {
            colouring: Colouring::Indicator(style),
            ..ViewSettings::default()
        },
    );
    assert!(
        scene
            .legend
            .title
            .ends_with("Veränderung 2005–2012 in Prozent"),
        "{}",
        scene.legend.title
    );
    assert_eq!(
        legend_count(&scene, "keine Daten (nicht in beiden Jahren)"),
        Some(0)
    );
    assert_eq!(count_in_classes(&scene), 86);
    let h = scene.histogram.as_ref().expect("classes");
    assert!((h.limits[0] + h.limits[h.limits.len() - 1]).abs() < 1e-9);
    let dellbrueck = region.space_by_code("905").expect("905");
    let (a, b) = (
        t.value_at(p, dellbrueck, Some(2005))
            .number()
            .expect("2005"),
        t.value_at(p, dellbrueck, Some(2012))
            .number()
            .expect("2012"),
    );
    let class = sozialraum_atlas::analysis::breaks::class_of((b - a) / a * 100.0, &h.limits)
        .expect("in a class");
    assert_eq!(
        scene.fills[dellbrueck],
        sozialraum_atlas::scene::style::FillStyle::Solid(h.colors[class])
    );
}

#[test]
fn german_municipalities_coloured_by_the_census_keep_1476_without_data() {
    let (Some(map), Some(table_path)) = (
        shared_data("germany/vg250_gemeinden_2016.geojson"),
        shared_data("germany/zensus2011_gemeinden_einwohner.csv"),
    ) else {
        return;
    };
    let imported =
        import_file(&map, &ImportOptions::default(), &Progress::default()).expect("loads");
    let region = &imported.region;
    let (t, report) = join(
        region,
        imported.indicators,
        &table_path,
        &JoinOptions::default(),
    );
    assert_eq!(report.key_column, "AGS");
    assert_eq!(
        report.target, "RS",
        "k + 12-digit key matches the regional key"
    );
    assert_eq!(report.matched_areas, 9_823);
    assert_eq!(report.areas_without_data.len(), 1_476);
    let key = "relative_differenz_in_prozent";
    let p = t.position(key).expect(key);
    assert_eq!(t.indicators()[p].unit, Unit::Percent);
    // Aachen: 258.246 → 236.420, relative difference 8,5 %.
    let aachen = region.space_by_code("05334002").expect("Aachen");
    assert_eq!(t.value(p, aachen), Number(8.5));
    let scene = indicator_scene(region, &t, key);
    assert_eq!(legend_count(&scene, "keine Daten"), Some(1_476));
    assert_eq!(count_in_classes(&scene), 9_823);
    let without: Vec<usize> = (0..region.spaces.len())
        .filter(|&i| t.value(p, i).number().is_none())
        .collect();
    assert_eq!(without.len(), 1_476);
    assert!(
        without
            .iter()
            .all(|&i| matches!(scene.fills[i], FillStyle::Pattern(0)))
    );
    assert_eq!(
        scene.legend.summary,
        "Quantile, 5 Klassen · 9.823 Sozialräume mit Wert"
    );
}
