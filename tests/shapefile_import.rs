//! The real Shapefiles in ../shared/data import with the right names (Windows-1252 DBF
//! without .cpg), the right CRS (lon/lat; Cologne's shifted UTM from its .prj) and the same
//! areas as the GeoJSON converted from them by other tools.

mod common;

use std::collections::BTreeMap;

use common::{shared_data, temp_dir};
use sozialraum_atlas::io::{ImportOptions, Progress, import_file};
use sozialraum_atlas::model::Region;

fn areas_by_name(region: &Region, name_property: &str) -> BTreeMap<String, f64> {
    region
        .spaces
        .iter()
        .map(|s| {
            let name = s
                .properties
                .get(name_property)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            (name, s.area_m2)
        })
        .collect()
}

fn compare(shp: &str, geojson: &str, name_property: &str, expected: usize, tolerance: f64) {
    let (Some(shp), Some(geojson)) = (shared_data(shp), shared_data(geojson)) else {
        return;
    };
    let from_shp = import_file(&shp, &ImportOptions::default(), &Progress::default())
        .expect("shapefile imports");
    let from_json = import_file(&geojson, &ImportOptions::default(), &Progress::default())
        .expect("geojson imports");
    assert_eq!(from_shp.region.spaces.len(), expected);
    let a = areas_by_name(&from_shp.region, name_property);
    let b = areas_by_name(&from_json.region, name_property);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, area) in &a {
        let other = b[name];
        assert!(
            (area - other).abs() / other < tolerance,
            "{name}: {area} m² from the Shapefile, {other} m² from the GeoJSON"
        );
    }
}

#[test]
fn aachens_statistical_districts_import_from_the_shapefile_with_umlauts() {
    compare(
        "aachen/source_shp/StatistischeBezirkeAachen.shp",
        "aachen/aachen_statistische_bezirke.geojson",
        "ST_NAME",
        34,
        1e-6,
    );
    let Some(shp) = shared_data("aachen/source_shp/StatistischeBezirkeAachen.shp") else {
        return;
    };
    let imported = import_file(&shp, &ImportOptions::default(), &Progress::default()).expect("ok");
    let names: Vec<String> = imported
        .region
        .spaces
        .iter()
        .filter_map(|s| {
            s.properties
                .get("ST_NAME")
                .and_then(|v| v.as_str())
                .map(str::to_string)
        })
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.contains('ü') || n.contains('ö') || n.contains('ä')),
        "{names:?}"
    );
    assert!(names.iter().all(|n| !n.contains('\u{fffd}')), "{names:?}");
}

#[test]
fn colognes_stadtteile_import_from_the_shapefile_with_its_shifted_utm() {
    // The .prj is a UTM 32N with false easting 2 500 000, which no EPSG code names.
    compare(
        "koeln/source_shp/Stadtteil.shp",
        "koeln/koeln_stadtteile.geojson",
        "STT_NAME",
        86,
        1e-3,
    );
}

#[test]
fn a_shapefile_without_its_dbf_still_draws_and_a_missing_shp_is_named() {
    let Some(shp) = shared_data("aachen/source_shp/StatistischeBezirkeAachen.shp") else {
        return;
    };
    let dir = temp_dir("shp-parts");
    let copy = dir.join("Bezirke ohne Tabelle.shp");
    std::fs::copy(&shp, &copy).expect("copy");
    std::fs::copy(shp.with_extension("prj"), copy.with_extension("prj")).expect("copy");
    let imported = import_file(&copy, &ImportOptions::default(), &Progress::default())
        .expect("geometry alone imports");
    assert_eq!(imported.region.spaces.len(), 34);
    let missing = dir.join("fehlt.shp");
    let e = import_file(&missing, &ImportOptions::default(), &Progress::default())
        .expect_err("no file");
    let text = e.describe(sozialraum_atlas::i18n::Lang::De);
    assert!(
        text.contains("fehlt.shp") && text.contains("nicht gefunden"),
        "{text}"
    );
}

#[test]
fn a_truncated_shapefile_is_refused_with_its_name() {
    let Some(shp) = shared_data("aachen/source_shp/StatistischeBezirkeAachen.shp") else {
        return;
    };
    let dir = temp_dir("shp-truncated");
    let copy = dir.join("abgeschnitten.shp");
    let bytes = std::fs::read(&shp).expect("read");
    std::fs::write(&copy, &bytes[..bytes.len() / 2]).expect("write");
    let e =
        import_file(&copy, &ImportOptions::default(), &Progress::default()).expect_err("truncated");
    let text = e.describe(sozialraum_atlas::i18n::Lang::De);
    assert!(
        text.contains("abgeschnitten.shp") && text.contains("beschädigt"),
        "{text}"
    );
}
