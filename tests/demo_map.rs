//! The embedded demo map: 93 Sozialräume under their real codes, plausible synthetic data,
//! 59 with a Gestaltungsbedarf, and a generator that reproduces the file byte for byte.

mod common;

#[allow(dead_code)]
#[path = "../maps/generate.rs"]
mod generate;

use std::collections::BTreeMap;

use sozialraum_atlas::io::demo::{DEMO_GEOJSON, load_demo};
use sozialraum_atlas::io::{Imported, Progress};
use sozialraum_atlas::model::{ActionField, natural_cmp};

fn demo() -> Imported {
    load_demo(&Progress::default()).expect("the demo map loads")
}

fn value(imported: &Imported, code: &str, key: &str) -> f64 {
    let region = &imported.region;
    let column = imported.indicators.position(key).expect(key);
    let space = region.space_by_code(code).expect(code);
    imported
        .indicators
        .value(column, space)
        .number()
        .expect("a number")
}

#[test]
fn the_demo_has_93_areas_with_the_official_counts_per_municipality() {
    let imported = demo();
    assert!(imported.report.is_clean(), "{:?}", imported.report.problems);
    let region = &imported.region;
    assert_eq!(region.spaces.len(), 93);
    let counts: BTreeMap<&str, usize> = region
        .municipalities
        .iter()
        .map(|m| (m.name.as_str(), m.spaces.len()))
        .collect();
    let expected = [
        ("Aachen", 14),
        ("Alsdorf", 14),
        ("Baesweiler", 7),
        ("Eschweiler", 15),
        ("Herzogenrath", 11),
        ("Monschau", 2),
        ("Roetgen", 2),
        ("Simmerath", 3),
        ("Stolberg (Rhld.)", 17),
        ("Würselen", 8),
    ];
    assert_eq!(counts, expected.into_iter().collect());
    for code in [
        "AC 1", "AC 14", "A 1a", "A 11b", "B 3b", "E 15", "H 11", "M 2", "R 2", "SI 3", "S 3a",
        "W 8",
    ] {
        assert!(region.space_by_code(code).is_some(), "{code}");
    }
}

#[test]
fn the_demo_codes_are_the_official_93() {
    let Some(path) = common::shared_data("aachen/sozialraeume_staedteregion_aachen_codes.csv")
    else {
        return;
    };
    let text = std::fs::read_to_string(path).expect("readable");
    let mut official: Vec<String> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .map(str::to_string)
        .collect();
    official.sort_by(|a, b| natural_cmp(a, b));
    let imported = demo();
    let mut ours: Vec<String> = imported
        .region
        .spaces
        .iter()
        .map(|s| s.code.clone())
        .collect();
    ours.sort_by(|a, b| natural_cmp(a, b));
    assert_eq!(ours, official);
}

#[test]
fn fifty_nine_areas_have_a_need_and_several_are_in_more_than_one_field() {
    let imported = demo();
    let spaces = &imported.region.spaces;
    let flagged = spaces
        .iter()
        .filter(|s| !s.action_fields.is_empty())
        .count();
    assert_eq!(flagged, 59);
    let several = spaces.iter().filter(|s| s.action_fields.len() > 1).count();
    assert!(several >= 10, "{several}");
    for field in ActionField::ALL {
        let n = spaces
            .iter()
            .filter(|s| s.action_fields.contains(field))
            .count();
        assert!(n >= 10, "field {} has only {n}", field.number());
    }
}

#[test]
fn the_synthetic_data_follows_the_known_pattern() {
    let imported = demo();
    let region = &imported.region;
    assert!(region.source.synthetic, "says it is synthetic");
    assert!(region.title.contains("Beispieldaten"));
    // Poverty is highest in central Stolberg, lower in the rural Eifel.
    let stolberg_centre = value(&imported, "S 1", "mindestsicherungsquote");
    let eifel = value(&imported, "SI 2", "mindestsicherungsquote");
    assert!(
        stolberg_centre > 20.0 && eifel < 10.0,
        "{stolberg_centre} {eifel}"
    );
    // Ageing is highest in the Eifel.
    let old_eifel = value(&imported, "M 2", "anteil_65plus");
    let old_aachen = value(&imported, "AC 1", "anteil_65plus");
    assert!(old_eifel > old_aachen + 5.0, "{old_eifel} {old_aachen}");
    // Setterich-Nord and Alsdorf Mitte are disadvantaged.
    for code in ["B 5", "A 1a", "S 1"] {
        let space = &region.spaces[region.space_by_code(code).expect(code)];
        assert!(
            space.action_fields.contains(ActionField::Disadvantaged),
            "{code}"
        );
    }
    let setterich = &region.spaces[region.space_by_code("B 5").expect("B 5")];
    assert_eq!(setterich.name.as_deref(), Some("Setterich-Nord"));
    // Population adds up to the census 2011 per municipality.
    let population: f64 = (0..region.spaces.len())
        .filter_map(|i| imported.indicators.value(0, i).number())
        .sum();
    assert!((population - 539_516.0).abs() < 20.0, "{population}");
}

#[test]
fn the_demo_has_a_hole_and_an_exclave() {
    let imported = demo();
    let region = &imported.region;
    let ring = &region.spaces[region.space_by_code("AC 2").expect("AC 2")];
    assert!(
        ring.geometry.0.iter().any(|p| !p.interiors().is_empty()),
        "AC 2 holds AC 1"
    );
    let m2 = &region.spaces[region.space_by_code("M 2").expect("M 2")];
    assert_eq!(m2.geometry.0.len(), 2, "M 2 has the Mützenich exclave");
}

#[test]
fn the_generator_reproduces_the_committed_demo_map() {
    let output = generate::generate(&generate::maps_dir().join("inputs"));
    assert!(
        output.geojson.as_bytes() == DEMO_GEOJSON,
        "maps/staedteregion_aachen_demo.geojson is not what maps/generate.rs makes: \
         run `cargo run --example generate-demo-map`"
    );
}

#[test]
fn the_demo_rules_reproduce_its_59_of_93() {
    let imported = demo();
    assert!(!imported.rules.is_empty(), "the demo carries its rules");
    let c = sozialraum_atlas::analysis::rules::classify(
        &imported.region,
        &imported.indicators,
        &imported.rules,
        &imported.overrides,
    );
    assert!(c.from_rules);
    assert_eq!(
        c.by_rules, c.official,
        "rules and the official classification agree area by area"
    );
    assert_eq!(c.fields.iter().filter(|f| !f.is_empty()).count(), 59);
}

#[test]
fn the_sgb2_quota_links_its_case_numbers() {
    let imported = demo();
    let t = &imported.indicators;
    let q = t.position("sgb2_quote").expect("quota");
    assert_eq!(t.indicators()[q].cases.as_deref(), Some("sgb2_personen"));
    let s1 = imported.region.space_by_code("S 1").expect("S 1");
    let cases = t
        .value(t.position("sgb2_personen").expect("cases"), s1)
        .number()
        .expect("n");
    assert!(cases > 100.0 && !t.is_small_number(q, s1));
}
