//! Integration tests on real boundary files that nobody here wrote (../shared/data):
//! the 10 municipalities of the StädteRegion with their Vennbahn exclaves, Aachen's 34
//! statistical districts, Cologne's 86 Stadtteile and all 11,299 German municipalities.

mod common;

use common::shared_data;
use geo::{Centroid, Contains, Point};
use sozialraum_atlas::io::demo::load_demo;
use sozialraum_atlas::io::{ImportOptions, Imported, Progress, import_file};
use sozialraum_atlas::spatial::prepared::{Detail, PreparedMap};

fn import(path: &std::path::Path) -> Imported {
    import_file(path, &ImportOptions::default(), &Progress::default()).expect("real file loads")
}

#[test]
fn the_ten_municipalities_load_with_their_exclaves() {
    let Some(path) = shared_data("aachen/staedteregion_aachen_gemeinden.geojson") else {
        return;
    };
    let imported = import(&path);
    let region = &imported.region;
    assert!(imported.report.is_clean(), "{:?}", imported.report.problems);
    assert_eq!(region.spaces.len(), 10);
    assert_eq!(imported.report.code_field, "AGS");
    assert_eq!(imported.report.geometry_types.get("MultiPolygon"), Some(&4));
    for (ags, name) in [
        ("05334024", "Roetgen"),
        ("05334028", "Simmerath"),
        ("05334020", "Monschau"),
    ] {
        let space = &region.spaces[region.space_by_code(ags).expect(ags)];
        assert_eq!(space.name.as_deref(), Some(name));
        assert!(space.geometry.0.len() > 1, "{name} has exclaves");
    }
    // The Aachen municipality covers about 161 km².
    let aachen = &region.spaces[region.space_by_code("05334002").expect("Aachen")];
    assert!(
        (aachen.area_m2 / 1e6 - 161.0).abs() < 3.0,
        "{}",
        aachen.area_m2 / 1e6
    );
}

#[test]
fn the_demo_municipalities_lie_where_the_real_ones_are() {
    let Some(path) = shared_data("aachen/staedteregion_aachen_gemeinden.geojson") else {
        return;
    };
    let real = import(&path).region;
    let demo = load_demo(&Progress::default()).expect("demo").region;
    assert_eq!(real.crs, demo.crs, "both in UTM 32N");
    for m in &demo.municipalities {
        // The centroid of all the demo Sozialräume of a municipality lies inside the real one.
        let mut parts = Vec::new();
        for &i in &m.spaces {
            parts.extend(demo.spaces[i].geometry.0.iter().cloned());
        }
        let centroid = geo::MultiPolygon(parts).centroid().expect("centroid");
        let key = m.key.as_deref().expect("AGS in the demo");
        let real_space = &real.spaces[real.space_by_code(key).expect(key)];
        assert!(
            real_space.geometry.contains(&Point(centroid.0)),
            "{}: demo centroid outside the real municipality",
            m.name
        );
        // And its area is within 30 % of the real one.
        let area: f64 = m.spaces.iter().map(|&i| demo.spaces[i].area_m2).sum();
        let ratio = area / real_space.area_m2;
        assert!(
            (0.7..1.3).contains(&ratio),
            "{}: area ratio {ratio:.2}",
            m.name
        );
    }
}

#[test]
fn aachens_statistical_districts_load_with_names() {
    let Some(path) = shared_data("aachen/aachen_statistische_bezirke.geojson") else {
        return;
    };
    let imported = import(&path);
    let region = &imported.region;
    assert!(imported.report.is_clean(), "{:?}", imported.report.problems);
    assert_eq!(region.spaces.len(), 34);
    assert_eq!(imported.report.code_field, "STATBEZ");
    let markt = &region.spaces[region.space_by_code("10").expect("district 10")];
    assert_eq!(markt.name.as_deref(), Some("Markt"));
    assert!(region.space_by_code("66").is_some(), "Richterich is 66");
    // The cathedral stands in district 10, Markt.
    let prepared = PreparedMap::prepare(region, Detail::Full, &|_| {});
    let hit = prepared
        .hit(region, [294_399.7, 5_628_826.0])
        .expect("inside a district");
    assert_eq!(region.spaces[hit].code, "10");
}

#[test]
fn cologne_has_86_stadtteile() {
    let Some(path) = shared_data("koeln/koeln_stadtteile.geojson") else {
        return;
    };
    let imported = import(&path);
    assert!(imported.report.is_clean(), "{:?}", imported.report.problems);
    assert_eq!(imported.region.spaces.len(), 86);
    assert_eq!(imported.report.code_field, "STT_NR");
    let flittard = imported.region.space_by_code("909").expect("909");
    assert_eq!(
        imported.region.spaces[flittard].name.as_deref(),
        Some("Flittard")
    );
    let labels = PreparedMap::prepare(&imported.region, Detail::Full, &|_| {}).labels;
    assert!(
        labels.iter().all(Option::is_some),
        "every Stadtteil gets a label point"
    );
}

#[test]
fn all_german_municipalities_load_with_water_areas_merged() {
    let Some(path) = shared_data("germany/vg250_gemeinden_2016.geojson") else {
        return;
    };
    let imported = import(&path);
    let region = &imported.region;
    assert_eq!(imported.report.feature_count, 11_431);
    assert_eq!(region.spaces.len(), 11_299, "one per AGS");
    assert_eq!(imported.report.skipped(), 0);
    // The 132 water features share the AGS of a land feature and are merged into it.
    assert_eq!(imported.report.problems.len(), 132);
    assert_eq!(region.crs.epsg, 25832);
    let aachen = &region.spaces[region.space_by_code("05334002").expect("Aachen")];
    assert_eq!(aachen.name.as_deref(), Some("Aachen"));
    let b = imported.report.bbox_lonlat.expect("bbox");
    assert!(
        (b[0] - 5.8663).abs() < 1e-3 && (b[3] - 55.0584).abs() < 1e-3,
        "{b:?}"
    );
    let prepared = PreparedMap::prepare(region, Detail::Overview, &|_| {});
    assert!(prepared.lods.len() >= 2);
    assert!(prepared.lods.last().expect("lod").vertex_count() < 200_000);
}
