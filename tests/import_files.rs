//! Importing boundary files: geometry cases, CRS handling, and a set of malformed files whose
//! problems must be reported while the rest loads.

mod common;

use common::test_file;
use sozialraum_atlas::i18n::Lang;
use sozialraum_atlas::io::report::{Effect, ProblemKind};
use sozialraum_atlas::io::{ImportError, ImportOptions, Imported, Progress, Stage, import_file};
use sozialraum_atlas::model::ActionField;
use sozialraum_atlas::spatial::crs::{Crs, Transformer, WGS84};
use sozialraum_atlas::spatial::prepared::{Detail, PreparedMap};

fn import(relative: &str) -> Result<Imported, ImportError> {
    import_file(
        &test_file(relative),
        &ImportOptions::default(),
        &Progress::default(),
    )
}

fn lonlat_of(imported: &Imported, p: [f64; 2]) -> [f64; 2] {
    let planar = Crs::from_epsg(imported.region.crs.epsg).expect("planar crs");
    Transformer::new(planar, Crs::from_epsg(WGS84).expect("wgs84"))
        .point(p)
        .expect("inverse")
}

#[test]
fn holes_parts_and_exclaves_load_and_hit_test_correctly() {
    let imported = import("good/holes_and_parts.geojson").expect("loads");
    let region = &imported.region;
    assert!(imported.report.is_clean(), "{:?}", imported.report.problems);
    assert_eq!(region.spaces.len(), 3);
    let ring = &region.spaces[region.space_by_code("X 1").expect("X 1")];
    assert_eq!(ring.geometry.0[0].interiors().len(), 1);
    assert!(ring.action_fields.contains(ActionField::Disadvantaged));
    assert!(ring.action_fields.contains(ActionField::Integration));
    let exclave = &region.spaces[region.space_by_code("Y 1").expect("Y 1")];
    assert_eq!(exclave.geometry.0.len(), 2);
    assert_eq!(region.municipalities.len(), 2);
    assert_eq!(region.municipalities[0].name, "Anderstadt");

    // Hit testing through the prepared map, with lon/lat turned into planar metres.
    let prepared = PreparedMap::prepare(region, Detail::Full, &|_| {});
    let to_planar = Transformer::new(
        Crs::from_epsg(WGS84).expect("wgs84"),
        Crs::from_epsg(region.crs.epsg).expect("planar"),
    );
    let at = |lon: f64, lat: f64| {
        let p = to_planar.point([lon, lat]).expect("projects");
        prepared
            .hit(region, p)
            .map(|i| region.spaces[i].code.clone())
    };
    assert_eq!(at(6.01, 50.71).as_deref(), Some("X 1"), "in the ring");
    assert_eq!(
        at(6.05, 50.75).as_deref(),
        Some("X 2"),
        "in the hole: the core, not the ring"
    );
    assert_eq!(at(6.15, 50.75).as_deref(), Some("Y 1"), "main part");
    assert_eq!(at(6.31, 50.71).as_deref(), Some("Y 1"), "exclave");
    assert_eq!(at(6.25, 50.75), None, "between the parts");
    assert_eq!(at(5.0, 50.0), None, "far outside");
}

#[test]
fn a_legacy_utm32_crs_member_is_honoured() {
    let imported = import("good/utm32_with_crs.geojson").expect("loads");
    assert_eq!(
        imported.region.crs.epsg, 25832,
        "kept in its own planar CRS"
    );
    assert!(imported.report.source_crs_declared);
    // The feature id is the code when no property is one.
    assert_eq!(imported.region.spaces[0].code, "DOM");
    let b = imported.report.bbox_lonlat.expect("bbox");
    let (lon, lat) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
    assert!(
        (lon - 6.0838).abs() < 0.0005 && (lat - 50.7747).abs() < 0.0005,
        "{b:?}"
    );
}

#[test]
fn gauss_krueger_and_web_mercator_files_land_in_aachen() {
    for file in [
        "good/gk2_with_crs.geojson",
        "good/web_mercator_with_crs.geojson",
    ] {
        let imported = import(file).expect(file);
        let b = imported.report.bbox_lonlat.expect("bbox");
        assert!(
            b[0] > 6.05 && b[2] < 6.12 && b[1] > 50.75 && b[3] < 50.80,
            "{file}: {b:?}"
        );
        let centre = imported.region.spaces[0].geometry.0[0].exterior().0[0];
        let ll = lonlat_of(&imported, [centre.x, centre.y]);
        assert!((ll[0] - 6.08).abs() < 0.05 && (ll[1] - 50.77).abs() < 0.05);
    }
    // Web Mercator is reprojected into UTM for honest distances.
    let merc = import("good/web_mercator_with_crs.geojson").expect("loads");
    assert_eq!(merc.region.crs.epsg, 25832);
}

#[test]
fn bad_features_are_reported_while_the_rest_loads() {
    let imported = import("bad/mixed_problems.geojson").expect("the good ones load");
    let report = &imported.report;
    let codes: Vec<&str> = imported
        .region
        .spaces
        .iter()
        .map(|s| s.code.as_str())
        .collect();
    assert_eq!(codes, vec!["OK 1", "OPEN 1", "HF 1"]);
    let find = |feature: usize| {
        report
            .problems
            .iter()
            .filter(|p| p.feature == feature)
            .map(|p| (p.kind.clone(), p.effect))
            .collect::<Vec<_>>()
    };
    assert_eq!(find(1), vec![(ProblemKind::NoGeometry, Effect::Skipped)]);
    assert_eq!(
        find(2),
        vec![(
            ProblemKind::RingNotClosed {
                polygon: 1,
                ring: 1
            },
            Effect::Repaired
        )]
    );
    assert!(matches!(
        find(3)[0].0,
        ProblemKind::RingTooShort { points: 3, .. }
    ));
    assert!(matches!(find(4)[0].0, ProblemKind::BadCoordinates(_)));
    assert_eq!(
        find(5),
        vec![(
            ProblemKind::DuplicateCode { first_feature: 0 },
            Effect::Merged
        )]
    );
    assert_eq!(
        find(6),
        vec![(
            ProblemKind::UnsupportedGeometry("Point".into()),
            Effect::Skipped
        )]
    );
    assert!(matches!(find(7)[0].0, ProblemKind::MissingCode { .. }));
    assert_eq!(
        find(8),
        vec![(ProblemKind::UnknownActionField("9".into()), Effect::Ignored)]
    );
    assert_eq!(report.skipped(), 5);
    // The merged duplicate adds its polygon to the first feature with that code.
    let ok = &imported.region.spaces[0];
    assert_eq!(ok.geometry.0.len(), 2);
    // Every problem names its feature in the text the user reads.
    let text = report.to_text(Lang::De);
    assert!(
        text.contains("Feature 2 (NULL 1): keine Geometrie – übersprungen"),
        "{text}"
    );
    assert!(
        text.contains("Feature 6 (OK 1): Code schon bei Feature 1 vergeben"),
        "{text}"
    );
}

#[test]
fn files_that_are_no_geojson_get_one_clear_message() {
    let cases: [(&str, &str); 5] = [
        (
            "bad/not_json.csv",
            "kein gültiges JSON – Fehler in Zeile 1, Spalte 1",
        ),
        (
            "bad/truncated.geojson",
            "kein gültiges JSON – Fehler in Zeile 2",
        ),
        ("bad/not_geojson.json", "gültiges JSON, aber kein GeoJSON"),
        ("bad/empty_collection.geojson", "enthält keine Features"),
        ("bad/all_unusable.geojson", "kein Feature ist verwendbar"),
    ];
    for (file, expected) in cases {
        let err = import(file).expect_err(file);
        let text = err.describe(Lang::De);
        assert!(text.contains(expected), "{file}: {text}");
        assert!(
            text.contains(file.rsplit('/').next().unwrap_or(file)),
            "names the file: {text}"
        );
    }
}

#[test]
fn projected_coordinates_without_crs_suggest_the_likely_epsg_code() {
    let err = import("bad/projected_without_crs.geojson").expect_err("no crs");
    let text = err.describe(Lang::De);
    assert!(text.contains("EPSG:25832"), "{text}");
    assert!(text.contains("--crs"), "says how to fix it: {text}");
    // Stating the CRS makes the same file load.
    let options = ImportOptions {
        source_epsg: Some(25832),
        ..ImportOptions::default()
    };
    let imported = import_file(
        &test_file("bad/projected_without_crs.geojson"),
        &options,
        &Progress::default(),
    )
    .expect("loads with --crs");
    assert_eq!(imported.region.spaces.len(), 1);
}

#[test]
fn a_missing_file_or_a_folder_is_named_in_the_message() {
    let err = import("good/does_not_exist.geojson").expect_err("missing");
    assert!(err.describe(Lang::De).contains("Datei nicht gefunden"));
    let err = import("good").expect_err("a folder");
    assert!(err.describe(Lang::De).contains("ist ein Ordner"));
}

/// A big file is read a round at a time while it is decoded (never the whole text in
/// memory): what it gives must be exactly what reading the whole text gives, metadata member,
/// every area, geometry, property and problem included.
#[test]
fn a_big_file_read_in_rounds_imports_exactly_like_its_whole_text() {
    let demo: serde_json::Value =
        serde_json::from_slice(sozialraum_atlas::io::demo::DEMO_GEOJSON).expect("demo");
    let mut features = Vec::new();
    for copy in 0..45 {
        for feature in demo["features"].as_array().expect("features") {
            let mut feature = feature.clone();
            let code = feature["properties"]["code"]
                .as_str()
                .unwrap_or("?")
                .to_string();
            feature["properties"]["code"] = serde_json::Value::from(format!("{code}-{copy}"));
            features.push(feature);
        }
    }
    // One broken geometry in the middle: reported the same way by both readers.
    features[2_000]["geometry"] =
        serde_json::json!({"type": "Polygon", "coordinates": [[[6.1, 50.7]]]});
    let mut doc = demo.clone();
    doc["features"] = serde_json::Value::Array(features);
    let text = serde_json::to_string(&doc).expect("json");
    assert!(
        text.len() > 9 << 20,
        "{} bytes: too small to be read in rounds",
        text.len()
    );
    let dir = common::temp_dir("rounds");
    let path = dir.file("gross.geojson");
    std::fs::write(&path, &text).expect("write");
    let options = ImportOptions::default();
    // Every stage entered is noted: reading in rounds decodes while it reads, so there is no
    // separate parsing stage (the whole-text reader has one).
    let stages = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let watched: std::sync::Arc<std::sync::OnceLock<std::sync::Weak<Progress>>> =
        Default::default();
    let progress = {
        let (stages, watched) = (stages.clone(), watched.clone());
        Progress::with_waker(move || {
            if let Some(p) = watched.get().and_then(std::sync::Weak::upgrade) {
                stages.lock().expect("stages").push(p.stage());
            }
        })
    };
    watched
        .set(std::sync::Arc::downgrade(&progress))
        .expect("set once");
    let rounds = import_file(&path, &options, &progress).expect("read in rounds");
    let stages = stages.lock().expect("stages").clone();
    assert!(stages.contains(&Stage::Reading) && stages.contains(&Stage::Building));
    assert!(
        !stages.contains(&Stage::Parsing),
        "read as a whole: {stages:?}"
    );
    let whole = sozialraum_atlas::io::import_bytes(
        text.as_bytes(),
        &path.display().to_string(),
        &options,
        &Progress::default(),
    )
    .expect("read whole");
    assert_eq!(rounds.region, whole.region);
    assert_eq!(rounds.report, whole.report);
    assert_eq!(rounds.rules, whole.rules);
    assert_eq!(rounds.indicators.len(), whole.indicators.len());
    assert_eq!(rounds.region.spaces.len(), 45 * 93 - 1);
    assert!(
        !rounds.report.problems.is_empty()
            && rounds.report.problems.iter().all(|p| p.feature == 2_000),
        "{:?}",
        rounds.report.problems
    );
    assert_eq!(
        Some(rounds.region.title.as_str()),
        demo["atlas"]["title"].as_str(),
        "the atlas member was read"
    );
}

#[test]
fn an_import_that_drops_properties_keeps_everything_else() {
    // The embedded demo map carries indicators and Handlungsfelder as properties.
    let read = |drop_properties: bool| {
        sozialraum_atlas::io::import_bytes(
            sozialraum_atlas::io::demo::DEMO_GEOJSON,
            "demo.geojson",
            &ImportOptions {
                drop_properties,
                ..ImportOptions::default()
            },
            &Progress::default(),
        )
        .expect("demo loads")
    };
    let (kept, dropped) = (read(false), read(true));
    assert!(kept.region.spaces.iter().all(|s| !s.properties.is_empty()));
    assert!(
        dropped
            .region
            .spaces
            .iter()
            .all(|s| s.properties.is_empty())
    );
    assert!(!dropped.indicators.is_empty());
    assert_eq!(dropped.indicators, kept.indicators);
    assert_eq!(dropped.report, kept.report);
    assert_eq!(dropped.region.municipalities, kept.region.municipalities);
    for (d, k) in dropped.region.spaces.iter().zip(&kept.region.spaces) {
        assert_eq!(
            (
                &d.code,
                &d.name,
                d.municipality,
                &d.geometry,
                &d.action_fields
            ),
            (
                &k.code,
                &k.name,
                k.municipality,
                &k.geometry,
                &k.action_fields
            )
        );
    }
}
