//! `sozialraum-atlas classify`: one CSV row per area with its fields and the reasons, so
//! results can be checked outside the app; with the map's own rules, a rules file, overrides
//! and a joined indicator table.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::test_file;

fn demo_map() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("maps/staedteregion_aachen_demo.geojson")
}

/// A fresh scratch folder for one test, removed when it ends.
fn scratch(name: &str) -> common::TestDir {
    common::temp_dir(&format!("classify-{name}"))
}

/// Runs `classify` with `args`; returns the exit code and stderr.
fn classify(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sozialraum-atlas"))
        .arg("classify")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The rows of a result file as field lists (quotes removed), header first.
fn rows(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).expect("result written");
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "UTF-8 with BOM for Excel"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert!(text.ends_with("\r\n"));
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(split_row)
        .collect()
}

fn split_row(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().expect("field").push('"');
            }
            '"' => quoted = !quoted,
            ';' if !quoted => fields.push(String::new()),
            c => fields.last_mut().expect("field").push(c),
        }
    }
    fields
}

fn row<'a>(rows: &'a [Vec<String>], code: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r[0] == code)
        .unwrap_or_else(|| panic!("no row {code}"))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn the_demo_rules_reproduce_the_data_and_every_row_says_why() {
    let dir = scratch("demo");
    let out = dir.join("ergebnis.csv");
    let (code, err) = classify(&[s(&demo_map()), "--out", s(&out)]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("59 von 93 Sozialräumen mit Gestaltungsbedarf"),
        "{err}"
    );
    let rows = rows(&out);
    assert_eq!(
        rows[0],
        [
            "code",
            "name",
            "kommune",
            "handlungsfelder_daten",
            "handlungsfelder_regeln",
            "handlungsfelder_final",
            "begruendung"
        ]
    );
    assert_eq!(rows.len(), 94);
    let flagged = rows[1..].iter().filter(|r| !r[5].is_empty()).count();
    assert_eq!(flagged, 59);
    assert!(
        rows[1..].iter().all(|r| r[3] == r[4] && r[4] == r[5]),
        "rules = data = final"
    );
    // Every area gets a reason per field, with values, z-scores and the verdict.
    let ac3 = row(&rows, "AC 3");
    assert_eq!(ac3[2], "Aachen");
    assert!(ac3[4].contains('1'), "AC 3 is disadvantaged: {ac3:?}");
    assert!(
        ac3[6].starts_with("1: ✓ (alle): SGB-II-Quote "),
        "{}",
        ac3[6]
    );
    assert!(
        ac3[6].contains(" · z = +") && ac3[6].contains(" ≥ 0,47 ✓"),
        "{}",
        ac3[6]
    );
    assert_eq!(ac3[6].matches(" | ").count(), 3, "four fields");
}

#[test]
fn a_rules_file_with_an_override_changes_rules_and_final_columns() {
    let dir = scratch("rules");
    let rules = dir.join("regeln.toml");
    std::fs::write(
        &rules,
        r#"
# Only field 1: SGB II at least one standard deviation above the region.
[[feld]]
nummer = 1
verknuepfung = "alle"
bedingungen = [
  { indikator = "sgb2_quote", mass = "z", bezug = "region", vergleich = ">=", schwelle = 1.0 },
]

[[uebersteuerung]]
code = "SI 2"
feld = 1
drin = true
begruendung = "Neue Sozialwohnungen; Daten von 2016"
"#,
    )
    .expect("write rules");
    let out = dir.join("ergebnis.csv");
    let (code, err) = classify(&[s(&demo_map()), "--rules", s(&rules), "--out", s(&out)]);
    assert_eq!(code, 0, "{err}");
    let rows = rows(&out);
    // Only field 1 now, for the areas well above the region's mean.
    assert!(rows[1..].iter().all(|r| r[4].is_empty() || r[4] == "1"));
    let n = rows[1..].iter().filter(|r| r[4] == "1").count();
    assert!((5..40).contains(&n), "{n}");
    let si2 = row(&rows, "SI 2");
    assert_eq!(
        (si2[4].as_str(), si2[5].as_str()),
        ("", "1"),
        "rules say no, the override yes"
    );
    assert!(si2[6].contains("übersteuert"), "{}", si2[6]);
    assert!(
        si2[6].contains("Neue Sozialwohnungen; Daten von 2016"),
        "{}",
        si2[6]
    );
}

#[test]
fn a_joined_table_feeds_the_rules() {
    let dir = scratch("table");
    let rules = dir.join("regeln.toml");
    std::fs::write(
        &rules,
        r#"
[[feld]]
nummer = 1
bedingungen = [
  { indikator = "wohngeldhaushalte_je_1_000_haushalte", mass = "wert", vergleich = ">=", schwelle = 10 },
]
"#,
    )
    .expect("write rules");
    let out = dir.join("ergebnis.csv");
    let table = test_file("tables/wohngeld_excel_windows1252.csv");
    let (code, err) = classify(&[
        s(&demo_map()),
        "--indicators",
        s(&table),
        "--rules",
        s(&rules),
        "--out",
        s(&out),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("für 7 von 93 Sozialräumen"), "{err}");
    let rows = rows(&out);
    // Only AC 1 (12,5 ‰) passes; AC 2 (8,25) does not; suppressed values never pass.
    let flagged: Vec<&str> = rows[1..]
        .iter()
        .filter(|r| r[4] == "1")
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(flagged, ["AC 1"]);
    let ac3 = row(&rows, "AC 3");
    assert!(ac3[6].ends_with("Haushalte geheim ✗"), "{}", ac3[6]);
    let ac4 = row(&rows, "AC 4");
    assert!(ac4[6].ends_with("Haushalte keine Daten ✗"), "{}", ac4[6]);
    let ac2 = row(&rows, "AC 2");
    assert!(ac2[6].contains(" 8,3 ‰ ≥ 10,0 ‰ ✗"), "{}", ac2[6]);
}

#[test]
fn a_broken_rules_file_exits_2_names_the_file_and_writes_nothing() {
    let dir = scratch("broken");
    let rules = dir.join("kaputt.toml");
    std::fs::write(&rules, "[[feld]]\nnummer = 7\n").expect("write");
    let out = dir.join("ergebnis.csv");
    let (code, err) = classify(&[s(&demo_map()), "--rules", s(&rules), "--out", s(&out)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("kaputt.toml") && err.contains("Handlungsfeld 7"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn a_long_table_pivots_on_the_command_line_for_cologne() {
    let (Some(map), Some(table)) = (
        common::shared_data("koeln/koeln_stadtteile.geojson"),
        common::shared_data("koeln/koeln_bevoelkerung_2005_2012.csv"),
    ) else {
        return;
    };
    let dir = scratch("koeln");
    let rules = dir.join("regeln.toml");
    std::fs::write(
        &rules,
        "[[feld]]\nnummer = 2\nbedingungen = [ { indikator = \"einwohner_nach_alter_75_und_aelter\", mass = \"perzentil\", vergleich = \">=\", schwelle = 75 } ]\n",
    )
    .expect("write rules");
    let out = dir.join("koeln.csv");
    let (code, err) = classify(&[
        s(&map),
        "--indicators",
        s(&table),
        "--key-column",
        "raum_id",
        "--indicator-column",
        "tabelle",
        "--indicator-column",
        "zeile",
        "--value-column",
        "zahl",
        "--year-column",
        "jahr",
        "--rules",
        s(&rules),
        "--out",
        s(&out),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("38 Indikatoren für 86 von 86 Sozialräumen"),
        "{err}"
    );
    let rows = rows(&out);
    assert_eq!(rows.len(), 87);
    // The top quarter by the number of people aged 75 and over: 22 of 86 (ties included).
    let flagged = rows[1..].iter().filter(|r| r[4] == "2").count();
    assert!((20..=24).contains(&flagged), "{flagged}");
    let dellbrueck = row(&rows, "905");
    assert_eq!(dellbrueck[1], "Dellbrück");
    assert!(
        dellbrueck[6].contains("Einwohner nach Alter – 75 und älter 2.184 · Perzentil 95 ≥ 75 ✓"),
        "{}",
        dellbrueck[6]
    );
}

#[test]
fn a_long_table_without_a_value_column_is_refused() {
    let dir = scratch("novalue");
    let out = dir.join("x.csv");
    let table = test_file("tables/benefits_english_bom.csv");
    let (code, err) = classify(&[
        s(&demo_map()),
        "--indicators",
        s(&table),
        "--indicator-column",
        "name",
        "--out",
        s(&out),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--value-column"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_rule_naming_an_indicator_the_map_lacks_is_refused_with_the_known_ones() {
    let dir = scratch("unknown-indicator");
    let rules = dir.join("regeln.toml");
    // A typo: "sgb2quote" instead of "sgb2_quote". It used to flag nothing, silently.
    std::fs::write(
        &rules,
        r#"
[[feld]]
nummer = 1
verknuepfung = "alle"
bedingungen = [
  { indikator = "sgb2quote", mass = "z", bezug = "region", vergleich = ">=", schwelle = 1.0 },
]
"#,
    )
    .expect("write rules");
    let out = dir.join("ergebnis.csv");
    let (code, err) = classify(&[s(&demo_map()), "--rules", s(&rules), "--out", s(&out)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("regeln.toml"), "{err}");
    assert!(
        err.contains("Handlungsfeld 1") && err.contains("„sgb2quote“"),
        "{err}"
    );
    assert!(
        err.contains("sgb2_quote"),
        "the known keys are listed: {err}"
    );
    assert!(!out.exists(), "nothing written");
}

/// The demo's values of `key` in `year`, by code, read from its `zeitreihen` attribute.
fn demo_series(key: &str, year: &str) -> std::collections::HashMap<String, f64> {
    let text = std::fs::read_to_string(demo_map()).expect("demo");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    doc["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (
                p["code"].as_str().expect("code").to_string(),
                p["zeitreihen"][key][year].as_f64().expect("value"),
            )
        })
        .collect()
}

#[test]
fn a_rule_on_the_change_since_a_year_flags_what_rose_that_much() {
    let dir = scratch("since");
    let rules = dir.join("regeln.toml");
    std::fs::write(
        &rules,
        "[[feld]]\nnummer = 1\nbedingungen = [ { indikator = \"sgb2_quote\", seit = 2017, mass = \"wert\", vergleich = \">=\", schwelle = 1.0 } ]\n",
    )
    .expect("rules");
    let out = dir.join("x.csv");
    let (code, err) = classify(&[s(&demo_map()), "--rules", s(&rules), "--out", s(&out)]);
    assert_eq!(code, 0, "{err}");
    let (then, now) = (
        demo_series("sgb2_quote", "2017"),
        demo_series("sgb2_quote", "2023"),
    );
    let rows = rows(&out);
    let mut rose = 0;
    for r in &rows[1..] {
        let change = now[&r[0]] - then[&r[0]];
        // Rounding of the stored values: compare as the app does, on the difference.
        let expected = change >= 1.0 - 1e-9;
        assert_eq!(r[4] == "1", expected, "{} rose by {change}: {}", r[0], r[6]);
        rose += usize::from(expected);
        assert!(
            r[6].contains("SGB-II-Quote, Veränderung seit 2017 ") && r[6].contains(" Pp."),
            "{}",
            r[6]
        );
    }
    assert!((3..90).contains(&rose), "a real selection: {rose}");
}

#[test]
fn a_rule_naming_a_year_without_values_is_refused_with_the_years_there_are() {
    let dir = scratch("year");
    let rules = dir.join("regeln.toml");
    std::fs::write(
        &rules,
        "[[feld]]\nnummer = 2\nbedingungen = [ { indikator = \"anteil_65plus\", jahr = 2019, mass = \"z\", vergleich = \">=\", schwelle = 1 } ]\n",
    )
    .expect("rules");
    let out = dir.join("x.csv");
    let (code, err) = classify(&[s(&demo_map()), "--rules", s(&rules), "--out", s(&out)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("regeln.toml")
            && err.contains("Jahr 2019")
            && err.contains("anteil_65plus")
            && err.contains("Vorhandene Jahre: 2017, 2020, 2023"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn classify_takes_the_values_of_the_year_asked_for() {
    let dir = scratch("classify-year");
    let (now, then) = (dir.join("2023.csv"), dir.join("2017.csv"));
    let (code, err) = classify(&[s(&demo_map()), "--out", s(&now)]);
    assert_eq!(code, 0, "{err}");
    let (code, err) = classify(&[s(&demo_map()), "--year", "2017", "--out", s(&then)]);
    assert_eq!(code, 0, "{err}");
    let count = |p: &Path| rows(p)[1..].iter().filter(|r| !r[4].is_empty()).count();
    assert_eq!(count(&now), 59);
    assert_ne!(count(&then), 59, "2017 is another picture");
    // The reasons quote 2017's value.
    let then_rows = rows(&then);
    let ac3 = row(&then_rows, "AC 3");
    let q2017 = demo_series("sgb2_quote", "2017")["AC 3"];
    let text = format!("SGB-II-Quote {} %", format!("{q2017:.1}").replace('.', ","));
    assert!(ac3[6].contains(&text), "{text} in {}", ac3[6]);
    let (code, err) = classify(&[s(&demo_map()), "--year", "2019", "--out", s(&then)]);
    assert_eq!(code, 2);
    assert!(err.contains("2017, 2020, 2023"), "{err}");
}

#[test]
fn classify_with_a_change_lists_the_fields_new_and_dropped_per_area() {
    let dir = scratch("classify-change");
    let (out, then, now) = (
        dir.join("v.csv"),
        dir.join("2017.csv"),
        dir.join("2023.csv"),
    );
    let (code, err) = classify(&[s(&demo_map()), "--change", "2017:2023", "--out", s(&out)]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("seit 2017: in "), "{err}");
    for (year, path) in [("2017", &then), ("2023", &now)] {
        let (code, err) = classify(&[s(&demo_map()), "--year", year, "--out", s(path)]);
        assert_eq!(code, 0, "{err}");
    }
    let (then, now) = (rows(&then), rows(&now));
    let rows = rows(&out);
    assert_eq!(rows[0][7], "handlungsfelder_2017");
    assert_eq!(rows[0][8], "veraenderung");
    let mut changed = 0;
    for r in &rows[1..] {
        let before = &row(&then, &r[0])[5];
        let after = &row(&now, &r[0])[5];
        assert_eq!(&r[7], before, "{}", r[0]);
        assert_eq!(&r[5], after, "{}", r[0]);
        let fields = |t: &str| -> Vec<String> {
            t.split([',', ';'])
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        };
        let (b, a) = (fields(before), fields(after));
        let added: Vec<&String> = a.iter().filter(|f| !b.contains(f)).collect();
        let dropped: Vec<&String> = b.iter().filter(|f| !a.contains(f)).collect();
        assert_eq!(
            r[8].is_empty(),
            added.is_empty() && dropped.is_empty(),
            "{r:?}"
        );
        for f in added {
            assert!(r[8].contains("neu:") && r[8].contains(f.as_str()), "{r:?}");
        }
        changed += usize::from(!r[8].is_empty());
    }
    assert!(changed > 0, "the synthetic years change something");
}
