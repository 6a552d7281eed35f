//! `sozialraum-atlas check`: the import report on the command line, with exit codes
//! 0 (clean), 1 (loaded with problems) and 2 (unusable).

mod common;

use std::process::Command;

use common::test_file;

fn check(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sozialraum-atlas"))
        .arg("check")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_clean_file_exits_0_with_the_full_report() {
    let path = test_file("good/holes_and_parts.geojson");
    let (code, out, _) = check(&[path.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{out}");
    for expected in [
        "Features: 3 (geladen: 3, übersprungen: 0)",
        "Geometrietypen: MultiPolygon 1, Polygon 2",
        "Koordinatensystem: EPSG:4326 (WGS 84) (angenommen",
        "Ausdehnung (Länge/Breite): 6,0000 … 6,3200 / 50,7000 … 50,8000",
        "Code-Feld: code",
        "Keine Probleme.",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
}

#[test]
fn a_file_with_bad_features_exits_1_and_lists_them() {
    let path = test_file("bad/mixed_problems.geojson");
    let (code, out, _) = check(&[path.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Probleme (9):"), "{out}");
    assert!(
        out.contains("Feature 5 (TEXT 1): Koordinate ist keine Zahl – übersprungen"),
        "{out}"
    );
}

#[test]
fn an_unreadable_file_exits_2_with_one_message() {
    let path = test_file("bad/truncated.geojson");
    let (code, out, err) = check(&[path.to_str().expect("utf-8"), "--lang", "en"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("truncated.geojson: not valid JSON at line 2"),
        "{err}"
    );
}

#[test]
fn a_stated_crs_makes_a_projected_file_readable() {
    let path = test_file("bad/projected_without_crs.geojson");
    let p = path.to_str().expect("utf-8");
    let (code, _, err) = check(&[p]);
    assert_eq!(code, 2);
    assert!(err.contains("EPSG:25832"), "{err}");
    let (code, out, _) = check(&[p, "--crs", "EPSG:25832"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("EPSG:25832 (ETRS89 / UTM zone 32N)"), "{out}");
}

#[test]
fn the_real_german_municipalities_are_checked_in_seconds() {
    let Some(path) = common::shared_data("germany/vg250_gemeinden_2016.geojson") else {
        return;
    };
    let started = std::time::Instant::now();
    let (code, out, _) = check(&[path.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "132 water areas are merged: not clean");
    assert!(
        out.contains("Features: 11.431 (geladen: 11.299, übersprungen: 0)"),
        "{out}"
    );
    assert!(started.elapsed().as_secs() < 20);
}
