//! Several data years: a project file and a GeoJSON export keep every year of every
//! indicator, GDAL sees the series table, a project without years stays format 2, and the
//! command line draws a change map.

mod common;

use common::{gdal_tool, shared_data, temp_dir};
use sozialraum_atlas::analysis::rules::classify;
use sozialraum_atlas::io::demo::load_demo;
use sozialraum_atlas::io::export_geojson::{MapExport, geojson_text};
use sozialraum_atlas::io::{ImportOptions, Progress, import_bytes, import_file};
use sozialraum_atlas::model::IndicatorTable;

use common::demo_path;
use common::run_atlas as atlas;

/// Every indicator's years and values are the same in both tables.
fn assert_same_series(a: &IndicatorTable, b: &IndicatorTable) {
    let mut dated = 0;
    for (p, indicator) in a.indicators().iter().enumerate() {
        let q = b.position(&indicator.key).expect(&indicator.key);
        assert_eq!(a.years(p), b.years(q), "{}", indicator.key);
        assert_eq!(a.series(p), b.series(q), "{}", indicator.key);
        dated += usize::from(!a.years(p).is_empty());
    }
    assert!(dated >= 10, "the demo has series: {dated}");
}

/// The demo with `indicators`, written as GeoJSON and read back.
fn through_geojson(
    demo: &sozialraum_atlas::io::Imported,
    indicators: &IndicatorTable,
) -> sozialraum_atlas::io::Imported {
    use sozialraum_atlas::spatial::crs::{Crs, Transformer};
    let classification = classify(&demo.region, indicators, &demo.rules, &demo.overrides);
    let to_lonlat = Transformer::new(
        Crs::from_epsg(demo.region.crs.epsg).expect("planar"),
        Crs::from_epsg(4326).expect("wgs84"),
    );
    let text = geojson_text(
        &MapExport {
            region: &demo.region,
            indicators,
            rules: &demo.rules,
            overrides: &demo.overrides,
            classification: &classification,
            to_lonlat: Some(&to_lonlat),
            measures: None,
        },
        "export.geojson",
    )
    .expect("written");
    import_bytes(
        text.as_bytes(),
        "export.geojson",
        &ImportOptions::default(),
        &Progress::default(),
    )
    .expect("reads")
}

#[test]
fn a_project_keeps_every_year_and_gdal_sees_the_series_table() {
    let dir = temp_dir("years-project");
    let out = dir.join("jahre.gpkg");
    let o = atlas(&[
        "project",
        "new",
        &demo_path(),
        "--out",
        out.to_str().expect("path"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let demo = load_demo(&Progress::default()).expect("demo");
    let reopened =
        import_file(&out, &ImportOptions::default(), &Progress::default()).expect("project opens");
    assert_same_series(&demo.indicators, &reopened.indicators);
    let conn = rusqlite::Connection::open(&out).expect("sqlite");
    let format: String = conn
        .query_row(
            "SELECT value FROM atlas_projekt WHERE key = 'format_version'",
            [],
            |r| r.get(0),
        )
        .expect("format");
    assert_eq!(format, "3", "a project with years is format 3");
    let (rows, areas): (i64, i64) = conn
        .query_row(
            "SELECT count(*), count(DISTINCT code) FROM atlas_zeitreihen",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("series table");
    let dated = (0..demo.indicators.len())
        .filter(|&p| !demo.indicators.years(p).is_empty())
        .count() as i64;
    assert_eq!((rows, areas), (93 * dated * 3, 93));
    if let Some(ogrinfo) = gdal_tool("ogrinfo") {
        let o = std::process::Command::new(ogrinfo)
            .args(["-ro", "-al", "-so"])
            .arg(&out)
            .output()
            .expect("ogrinfo");
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("Layer name: atlas_zeitreihen"), "{text}");
        assert!(
            String::from_utf8_lossy(&o.stderr).trim().is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn a_geojson_export_carries_every_year_back() {
    let demo = load_demo(&Progress::default()).expect("demo");
    let back = through_geojson(&demo, &demo.indicators);
    assert_same_series(&demo.indicators, &back.indicators);
}

#[test]
fn a_project_without_years_stays_format_2() {
    let Some(districts) = shared_data("aachen/aachen_statistische_bezirke.geojson") else {
        return;
    };
    let dir = temp_dir("years-none");
    let out = dir.join("ohne.gpkg");
    let o = atlas(&[
        "project",
        "new",
        districts.to_str().expect("path"),
        "--out",
        out.to_str().expect("path"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let conn = rusqlite::Connection::open(&out).expect("sqlite");
    let format: String = conn
        .query_row(
            "SELECT value FROM atlas_projekt WHERE key = 'format_version'",
            [],
            |r| r.get(0),
        )
        .expect("format");
    assert_eq!(format, "2", "readable by the version before years");
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'atlas_zeitreihen'",
            [],
            |r| r.get(0),
        )
        .expect("schema");
    assert_eq!(tables, 0);
}

#[test]
fn wide_tables_one_per_year_build_a_series_on_the_command_line() {
    let dir = temp_dir("years-wide");
    let (a, b) = (dir.join("werte_2016.csv"), dir.join("werte_2022.csv"));
    std::fs::write(&a, "Code;Wohngeldquote\nAC 1;4,0\nAC 2;5,0\n").expect("a");
    std::fs::write(&b, "Code;Wohngeldquote\nAC 1;6,5\nAC 2;5,0\n").expect("b");
    let png = dir.join("wohngeld.png");
    let o = atlas(&[
        "export",
        &demo_path(),
        "--indicators",
        a.to_str().expect("a"),
        "--table-year",
        "2016",
        "--indicators",
        b.to_str().expect("b"),
        "--table-year",
        "2022",
        "--color-by",
        "wohngeldquote",
        "--change",
        "2016:2022",
        "--out",
        png.to_str().expect("png"),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("Jahr 2016: Werte für 2 Sozialräume"), "{err}");
    assert!(err.contains("Jahr 2022: Werte für 2 Sozialräume"), "{err}");
    assert!(png.exists());
    // The same year twice is no change.
    let o = atlas(&[
        "export",
        &demo_path(),
        "--color-by",
        "sgb2_quote",
        "--change",
        "2017:2017",
        "--out",
        png.to_str().expect("png"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("keine zwei verschiedenen Jahre"));
}

#[test]
fn an_index_travels_as_its_definition_and_follows_its_inputs() {
    use sozialraum_atlas::analysis::index::{index_indicator, put_index};
    use sozialraum_atlas::model::{IndexDefinition, IndexInput, IndicatorValue, Standardisation};
    let demo = load_demo(&Progress::default()).expect("demo");
    let mut t = demo.indicators.clone();
    let def = IndexDefinition {
        inputs: vec![
            IndexInput {
                indicator: "sgb2_quote".into(),
                weight: 2.0,
                inverted: false,
            },
            IndexInput {
                indicator: "alleinerziehende".into(),
                weight: 1.0,
                inverted: false,
            },
        ],
        standardisation: Standardisation::Rank,
        reading: "Je höher, desto mehr Armut.".into(),
    };
    put_index(
        &mut t,
        index_indicator("index_armut", "Armutsindex", "", def.clone()),
    )
    .expect("index");
    // An input changes before the file is written: the file's index values are stale on
    // purpose, and reading recomputes them from the definition.
    let q = t.position("sgb2_quote").expect("quota");
    let mut column = t.column_in(q, 2023).expect("2023").to_vec();
    column[0] = IndicatorValue::Number(99.0);
    t.merge_series(t.indicators()[q].clone(), vec![(2023, column)]);
    let back = through_geojson(&demo, &t);
    let p = back
        .indicators
        .position("index_armut")
        .expect("the index came back");
    assert_eq!(back.indicators.indicators()[p].index.as_ref(), Some(&def));
    assert_eq!(back.indicators.years(p), &[2017, 2020, 2023]);
    // Area 0 has the highest SGB II quota now, so the highest rank in it.
    let expected =
        sozialraum_atlas::analysis::index::index_column(&back.indicators, &def, Some(2023))
            .expect("index");
    assert_eq!(
        back.indicators.column_in(p, 2023).expect("2023"),
        &expected[..]
    );
    assert!(expected[0].number().expect("n") > 60.0, "{:?}", expected[0]);
}

#[test]
fn the_command_line_draws_status_and_dynamics() {
    let dir = temp_dir("years-typology");
    let pdf = dir.join("typologie.pdf");
    let o = atlas(&[
        "export",
        &demo_path(),
        "--color-by",
        "sgb2_quote",
        "--typology",
        "--change",
        "2017:2023",
        "--out",
        pdf.to_str().expect("pdf"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    if let Some(text) = common::pdf_text(&pdf) {
        for part in [
            "SGB-II-Quote: Status und Dynamik 2017–2023",
            "sehr niedrig",
            "negativ",
            "stabil",
        ] {
            assert!(text.contains(part), "{part} in {text}");
        }
    }
    // An indicator without years has no dynamics.
    let o = atlas(&[
        "export",
        &demo_path(),
        "--color-by",
        "flaeche_km2",
        "--typology",
        "--out",
        pdf.to_str().expect("pdf"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("keine (die Werte haben kein Jahr)"));
}

#[test]
fn older_areas_are_converted_by_a_crosswalk_and_marked_as_estimates() {
    use sozialraum_atlas::model::IndicatorValue::Number;
    let dir = temp_dir("years-crosswalk");
    let (table, crosswalk, out) = (
        dir.join("alt_2010.csv"),
        dir.join("gebiete.csv"),
        dir.join("p.gpkg"),
    );
    // In 2010, AC 1 and AC 2 were one area; S 2 was two.
    std::fs::write(
        &table,
        "Gebiet;Einwohner;Quote\nAC 12 alt;10000;10,0\nS 1;3000;5,0\nS 2a;1000;20,0\nS 2b;3000;4,0\n",
    )
    .expect("table");
    std::fs::write(
        &crosswalk,
        "alt;neu;anteil\nAC 12 alt;AC 1;40\nAC 12 alt;AC 2;60\nS 1;S 1;100\nS 2a;S 2;100\nS 2b;S 2;100\nX 9;ZZ 1;100\n",
    )
    .expect("crosswalk");
    let o = atlas(&[
        "project",
        "new",
        &demo_path(),
        "--out",
        out.to_str().expect("out"),
        "--indicators",
        table.to_str().expect("table"),
        "--table-year",
        "2010",
        "--crosswalk",
        crosswalk.to_str().expect("crosswalk"),
        "--crosswalk-weight",
        "einwohner",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("umgerechnet mit gebiete.csv: 1 alte Gebiete geteilt, 1 Sozialräume zusammengelegt, Werte für 3 Sozialräume geschätzt")
            && err.contains("ZZ 1"),
        "{err}"
    );
    let p = import_file(&out, &ImportOptions::default(), &Progress::default()).expect("project");
    let t = &p.indicators;
    let area = |code: &str| p.region.space_by_code(code).expect(code);
    let people = t.position("einwohner").expect("population");
    assert_eq!(
        t.years(people),
        &[2010, 2017, 2020, 2023],
        "2010 joins the series"
    );
    let v = |c: usize, code: &str| t.value_at(c, area(code), Some(2010));
    assert_eq!(v(people, "AC 1"), Number(4000.0));
    assert_eq!(v(people, "AC 2"), Number(6000.0));
    assert_eq!(v(people, "S 2"), Number(4000.0), "a merge adds up");
    let total: f64 = ["AC 1", "AC 2", "S 1", "S 2"]
        .iter()
        .filter_map(|c| v(people, c).number())
        .sum();
    assert_eq!(total, 17_000.0, "the count's total is kept");
    let quote = t.position("quote").expect("quote");
    assert_eq!(v(quote, "AC 1"), Number(10.0), "a split keeps the rate");
    assert_eq!(
        v(quote, "S 2"),
        Number(8.0),
        "(20 × 1000 + 4 × 3000) / 4000"
    );
    // Estimates are marked, and stay marked in the project file.
    for (code, estimated) in [
        ("AC 1", true),
        ("AC 2", true),
        ("S 2", true),
        ("S 1", false),
    ] {
        assert_eq!(
            t.is_estimated(quote, area(code), Some(2010)),
            estimated,
            "{code}"
        );
        assert_eq!(
            t.is_estimated(people, area(code), Some(2010)),
            estimated,
            "{code}"
        );
    }
    assert!(
        !t.is_estimated(people, area("AC 1"), Some(2023)),
        "only 2010 is converted"
    );
    // Without the weight column the conversion is refused, naming it.
    let o = atlas(&[
        "project",
        "new",
        &demo_path(),
        "--out",
        dir.join("q.gpkg").to_str().expect("q"),
        "--indicators",
        table.to_str().expect("table"),
        "--crosswalk",
        crosswalk.to_str().expect("crosswalk"),
        "--crosswalk-weight",
        "haushalte",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("„haushalte“"));
}

#[test]
fn rules_carried_by_a_file_that_name_what_the_map_lacks_are_reported() {
    let text = std::fs::read_to_string(demo_path()).expect("demo");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    let conditions = &mut doc["atlas"]["rules"]["feld"][0]["bedingungen"];
    conditions[0]["indikator"] = "sgb2quote".into();
    conditions[1]["jahr"] = 2019.into();
    let dir = temp_dir("years-embedded-rules");
    let path = dir.join("karte.geojson");
    std::fs::write(&path, doc.to_string()).expect("written");
    let o = atlas(&["check", path.to_str().expect("path")]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "loads, with a problem: {out}");
    assert!(
        out.contains("Die Regeln der Datei nennen, was die Karte nicht hat")
            && out.contains("sgb2quote")
            && out.contains("arbeitslosenquote 2019"),
        "{out}"
    );
}
