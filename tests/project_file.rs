//! The project file (GeoPackage): measures, rules and views survive reopening; undo and redo
//! reach the file; newer, read-only, locked and full files are handled without losing
//! anything; GDAL lists the layers; GeoPackages made by GDAL import.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{TestFile, full_measure, gdal_tool, shared_data, temp_dir};
use sozialraum_atlas::app::{AppState, Command};
use sozialraum_atlas::document::edit::Edit;
use sozialraum_atlas::io::project::{self};
use sozialraum_atlas::io::store::ReadOnlyReason;
use sozialraum_atlas::io::store::Store;
use sozialraum_atlas::io::{ImportOptions, Progress};
use sozialraum_atlas::model::{ActionField, Override, Status, Timestamp};

fn fixed_clock() -> Timestamp {
    Timestamp(1_795_594_500)
}

fn wait(state: &mut AppState) {
    let started = Instant::now();
    while state.loading.is_some() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "load did not finish"
        );
        std::thread::sleep(Duration::from_millis(5));
        state.poll_loading();
    }
}

fn open(path: &Path) -> AppState {
    let mut state = AppState::new(|| {});
    state.clock = fixed_clock;
    state.apply(Command::Open {
        path: path.to_path_buf(),
        options: ImportOptions::default(),
    });
    wait(&mut state);
    assert!(state.error.is_none(), "{:?}", state.error);
    state
}

/// The demo saved as a project in a fresh folder.
fn demo_project(name: &str) -> TestFile {
    let path = temp_dir(name).file("Projekt Städteregion.gpkg");
    let mut state = AppState::new(|| {});
    state.apply(Command::OpenDemo);
    state.apply(Command::SaveProjectAs(path.to_path_buf()));
    assert!(state.error.is_none(), "{:?}", state.error);
    path
}

#[test]
fn a_measure_and_every_field_of_it_survive_reopening() {
    let path = demo_project("roundtrip");
    let mut state = open(&path);
    state.apply(Command::Edit(Edit::AddMeasure(Box::new(full_measure()))));
    state.apply(Command::Edit(Edit::SetOverride(Override {
        code: "SI 2".into(),
        field: ActionField::Disadvantaged,
        member: true,
        reason: "Ortskenntnis: neue Unterkunft".into(),
    })));
    assert!(state.error.is_none(), "{:?}", state.error);
    let before = state.map.as_ref().expect("map");
    let saved = before.measures.all().to_vec();
    let classification = before.classification.fields.clone();
    let catalogue = before.indicators.indicators().to_vec();
    drop(state);

    let reopened = open(&path);
    let map = reopened.map.as_ref().expect("map");
    assert_eq!(map.measures.all(), saved.as_slice());
    let m = &map.measures.all()[0];
    let mut expected = full_measure();
    expected.uid = m.uid;
    expected.id = 1;
    expected.created = fixed_clock();
    expected.changed = fixed_clock();
    assert_eq!(*m, expected);
    assert_eq!(map.overrides.len(), 1);
    assert_eq!(map.overrides[0].reason, "Ortskenntnis: neue Unterkunft");
    assert_eq!(map.classification.fields, classification);
    assert_eq!(map.indicators.indicators(), catalogue.as_slice());
    assert_eq!(map.region.spaces.len(), 93);
    assert_eq!(
        map.measure_counts[map.region.space_by_code("AC 3").expect("AC 3")],
        1
    );
}

#[test]
fn undo_and_redo_reach_the_file() {
    let path = demo_project("undo");
    let mut state = open(&path);
    state.apply(Command::Edit(Edit::AddMeasure(Box::new(full_measure()))));
    let mut changed = state.map.as_ref().expect("map").measures.all()[0].clone();
    assert_eq!(changed.id, 1, "the file numbered it");
    changed.status = Status::Done;
    state.apply(Command::Edit(Edit::UpdateMeasure(Box::new(changed))));
    state.apply(Command::Undo);
    assert_eq!(
        open(&path).map.expect("map").measures.all()[0].status,
        Status::InProgress
    );
    state.apply(Command::Undo);
    assert!(open(&path).map.expect("map").measures.is_empty());
    state.apply(Command::Redo);
    state.apply(Command::Redo);
    let reopened = open(&path).map.expect("map");
    assert_eq!(reopened.measures.len(), 1);
    assert_eq!(reopened.measures.all()[0].status, Status::Done);
    // Rule edits are undoable too, and their undo is saved.
    let rules_before = state.map.as_ref().expect("map").rules.clone();
    state.apply(Command::Edit(Edit::SetRules(Default::default())));
    assert!(open(&path).map.expect("map").rules.rules.is_empty());
    state.apply(Command::Undo);
    assert_eq!(open(&path).map.expect("map").rules, rules_before);
}

#[test]
fn the_view_is_stored_with_the_project() {
    let path = demo_project("view");
    let mut state = open(&path);
    state.apply(Command::SetColouring(
        sozialraum_atlas::scene::Colouring::Coverage,
    ));
    state.apply(Command::SetLabels(false));
    let reopened = open(&path);
    assert_eq!(
        reopened.view.colouring,
        sozialraum_atlas::scene::Colouring::Coverage
    );
    assert!(!reopened.view.show_labels);
}

#[test]
fn saved_views_and_the_focus_are_stored_with_the_project() {
    let path = demo_project("saved-views");
    let mut state = open(&path);
    state.apply(Command::Focus(Some("Stolberg (Rhld.)".into())));
    state.apply(Command::SaveView("Stolberg – Übersicht".into()));
    state.apply(Command::Focus(None));
    state.apply(Command::SaveView("Region".into()));
    let reopened = open(&path);
    let map = reopened.map.as_ref().expect("map");
    let names: Vec<&str> = map.saved_views.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Stolberg – Übersicht", "Region"]);
    assert_eq!(
        map.saved_views[0].settings.focus.as_deref(),
        Some("Stolberg (Rhld.)")
    );
    assert_eq!(reopened.view.focus, None, "the last state: no focus");
}

#[test]
fn a_file_from_a_newer_version_is_refused_and_left_alone() {
    let path = demo_project("newer");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute(
            "UPDATE atlas_projekt SET value = '7' WHERE key = 'format_version'",
            [],
        )
        .expect("update");
    }
    let bytes = std::fs::read(&path).expect("read");
    let mut state = AppState::new(|| {});
    state.apply(Command::OpenDemo);
    state.apply(Command::Open {
        path: path.to_path_buf(),
        options: ImportOptions::default(),
    });
    wait(&mut state);
    let error = state.error.clone().expect("refused");
    assert!(
        error.contains("neueren Version") && error.contains("Projektformat 7"),
        "{error}"
    );
    assert_eq!(
        state.map.as_ref().expect("demo kept").region.spaces.len(),
        93
    );
    assert_eq!(std::fs::read(&path).expect("read"), bytes, "file untouched");
}

#[test]
fn a_write_protected_project_opens_read_only_and_refuses_changes() {
    let path = demo_project("readonly");
    let mut perms = std::fs::metadata(&path).expect("meta").permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).expect("chmod");
    let mut state = open(&path);
    let store = state.store.as_ref().expect("store");
    assert_eq!(store.read_only(), Some(ReadOnlyReason::Permissions));
    assert!(
        state
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("schreibgeschützt"))
    );
    state.apply(Command::Edit(Edit::AddMeasure(Box::new(full_measure()))));
    let error = state.error.clone().expect("refused");
    assert!(error.contains("nur zum Lesen"), "{error}");
    // The measure stays on screen, and "Speichern unter" keeps it in a copy.
    assert_eq!(state.map.as_ref().expect("map").measures.len(), 1);
    let copy = path.with_file_name("Kopie.gpkg");
    state.error = None;
    state.apply(Command::SaveProjectAs(copy.clone()));
    assert!(state.error.is_none(), "{:?}", state.error);
    assert_eq!(open(&copy).map.expect("map").measures.len(), 1);
}

#[test]
fn a_project_locked_by_another_program_opens_and_saves_once_the_lock_is_free() {
    let path = demo_project("locked");
    let other = rusqlite::Connection::open(&path).expect("open");
    other.execute_batch("BEGIN IMMEDIATE;").expect("lock");
    let opened = project::open(&path, &ImportOptions::default(), &Progress::default())
        .expect("opens while locked");
    assert_eq!(opened.store.read_only(), None, "a lock is not for good");
    assert!(opened.store.locked_at_open());
    drop(opened);
    let mut state = open(&path);
    assert!(
        state
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("gerade von einem anderen Programm gesperrt")),
        "{:?}",
        state.notice
    );
    state.apply(Command::Edit(Edit::AddMeasure(Box::new(full_measure()))));
    assert!(state.error.take().is_some_and(|e| e.contains("gesperrt")));
    other.execute_batch("ROLLBACK;").expect("unlock");
    std::thread::sleep(Duration::from_millis(2100));
    state.poll_store();
    assert_eq!(
        open(&path).map.expect("map").measures.len(),
        1,
        "saved later"
    );
}

#[test]
fn a_full_disk_is_reported_the_state_stays_and_the_file_catches_up_later() {
    let path = demo_project("full");
    let mut state = open(&path);
    let pages: u32 = {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.query_row("PRAGMA page_count", [], |r| r.get(0))
            .expect("pages")
    };
    state
        .store
        .as_ref()
        .expect("store")
        .limit_pages_for_test(pages);
    let mut big = full_measure();
    big.description = "Langer Text ".repeat(20_000);
    state.apply(Command::Edit(Edit::AddMeasure(Box::new(big))));
    let error = state.error.clone().expect("write failed");
    assert!(error.contains("Datenträger voll"), "{error}");
    assert!(error.contains("Speichern unter"), "{error}");
    assert_eq!(
        state.map.as_ref().expect("map").measures.len(),
        1,
        "kept in memory"
    );
    assert!(
        open(&path).map.expect("map").measures.is_empty(),
        "file unchanged"
    );
    // Space again: the next change writes everything, the earlier measure included.
    state
        .store
        .as_ref()
        .expect("store")
        .limit_pages_for_test(1_000_000);
    state.error = None;
    state.apply(Command::Edit(Edit::AddMeasure(Box::new(full_measure()))));
    assert!(state.error.is_none(), "{:?}", state.error);
    assert_eq!(open(&path).map.expect("map").measures.len(), 2);
}

fn ogrinfo_layers(ogrinfo: &Path, path: &Path) -> String {
    let out = std::process::Command::new(ogrinfo)
        .arg("-ro")
        .arg(path)
        .output()
        .expect("ogrinfo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn gdal_lists_the_layers_of_a_project_file() {
    let Some(ogrinfo) = gdal_tool("ogrinfo") else {
        return;
    };
    let path = demo_project("ogrinfo");
    let text = ogrinfo_layers(&ogrinfo, &path);
    for layer in [
        "sozialraeume (Multi Polygon)",
        "massnahmen (None)",
        "massnahmen_sozialraeume (None)",
        "atlas_projekt (None)",
    ] {
        assert!(text.contains(layer), "{layer} missing in:\n{text}");
    }
    let out = std::process::Command::new(&ogrinfo)
        .args(["-ro", "-so"])
        .arg(&path)
        .arg("sozialraeume")
        .output()
        .expect("ogrinfo");
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("Feature Count: 93"), "{summary}");
    assert!(summary.contains("UTM zone 32N"), "{summary}");
    // Reading every layer in full gives GDAL no reason to warn about the file.
    let out = std::process::Command::new(&ogrinfo)
        .args(["-ro", "-al"])
        .arg(&path)
        .output()
        .expect("ogrinfo");
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && warnings.trim().is_empty(),
        "{warnings}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Layer name: massnahmen"));
}

#[test]
fn a_project_from_the_real_aachen_districts_is_a_valid_geopackage() {
    let Some(districts) = shared_data("aachen/aachen_statistische_bezirke.geojson") else {
        return;
    };
    let dir = temp_dir("aachen-project");
    let out = dir.join("aachen.gpkg");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_sozialraum-atlas"))
        .args(["project", "new"])
        .arg(&districts)
        .arg("--out")
        .arg(&out)
        .status()
        .expect("runs");
    assert!(status.success());
    let reopened = open(&out);
    let map = reopened.map.as_ref().expect("map");
    assert_eq!(map.region.spaces.len(), 34);
    if let Some(ogrinfo) = gdal_tool("ogrinfo") {
        let text = ogrinfo_layers(&ogrinfo, &out);
        assert!(text.contains("sozialraeume (Multi Polygon)"), "{text}");
        let out = std::process::Command::new(&ogrinfo)
            .args(["-ro", "-so"])
            .arg(dir.join("aachen.gpkg"))
            .arg("sozialraeume")
            .output()
            .expect("ogrinfo");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Feature Count: 34"));
    }
}

#[test]
fn a_geopackage_written_by_gdal_imports_with_its_names() {
    let (Some(ogr2ogr), Some(districts)) = (
        gdal_tool("ogr2ogr"),
        shared_data("aachen/aachen_statistische_bezirke.geojson"),
    ) else {
        return;
    };
    let dir = temp_dir("gdal-gpkg");
    let gpkg = dir.join("bezirke.gpkg");
    let status = std::process::Command::new(ogr2ogr)
        .args(["-f", "GPKG", "-t_srs", "EPSG:25832", "-nln", "bezirke"])
        .arg(&gpkg)
        .arg(&districts)
        .status()
        .expect("ogr2ogr runs");
    assert!(status.success());
    let from_gpkg =
        sozialraum_atlas::io::import_file(&gpkg, &ImportOptions::default(), &Progress::default())
            .expect("imports");
    let from_json = sozialraum_atlas::io::import_file(
        &districts,
        &ImportOptions::default(),
        &Progress::default(),
    )
    .expect("imports");
    assert_eq!(from_gpkg.region.spaces.len(), 34);
    assert_eq!(from_gpkg.region.crs.epsg, 25832);
    let names = |r: &sozialraum_atlas::model::Region| {
        let mut n: Vec<String> = r.spaces.iter().map(|s| s.display_name()).collect();
        n.sort();
        n
    };
    assert_eq!(names(&from_gpkg.region), names(&from_json.region));
    let area =
        |r: &sozialraum_atlas::model::Region| r.spaces.iter().map(|s| s.area_m2).sum::<f64>();
    let (a, b) = (area(&from_gpkg.region), area(&from_json.region));
    assert!((a - b).abs() / b < 1e-4, "{a} vs {b}");
}

#[test]
fn a_plain_file_is_not_taken_for_a_project() {
    let dir = temp_dir("not-project");
    let fake = dir.join("kaputt.gpkg");
    std::fs::write(&fake, b"das ist keine Datenbank").expect("write");
    assert!(!project::is_project(&fake));
    let e =
        sozialraum_atlas::io::import_file(&fake, &ImportOptions::default(), &Progress::default())
            .expect_err("refused");
    let text = e.describe(sozialraum_atlas::i18n::Lang::De);
    assert!(
        text.contains("kaputt.gpkg") && text.contains("GeoPackage"),
        "{text}"
    );
}

#[test]
fn the_layers_classification_columns_follow_rule_edits_and_their_undo() {
    let path = demo_project("columns");
    let mut state = open(&path);
    let column = |path: &Path| -> Vec<Option<String>> {
        let conn = rusqlite::Connection::open(path).expect("open");
        let mut stmt = conn
            .prepare("SELECT handlungsfelder_final FROM sozialraeume ORDER BY fid")
            .expect("sql");
        stmt.query_map([], |r| r.get(0))
            .expect("rows")
            .map(|r| r.expect("row"))
            .collect()
    };
    let expected = |state: &AppState| -> Vec<Option<String>> {
        state
            .map
            .as_ref()
            .expect("map")
            .classification
            .fields
            .iter()
            .map(|f| Some(f.to_numbers()))
            .collect()
    };
    assert_eq!(column(&path), expected(&state));
    state.apply(Command::Edit(Edit::SetRules(Default::default())));
    assert_eq!(column(&path), expected(&state));
    state.apply(Command::Undo);
    assert_eq!(column(&path), expected(&state));
    state.apply(Command::Edit(Edit::SetOverride(Override {
        code: "AC 1".into(),
        field: ActionField::Elderly,
        member: true,
        reason: "Test".into(),
    })));
    assert_eq!(column(&path), expected(&state));
}

#[test]
fn a_layer_edited_in_another_program_is_matched_by_code_and_left_as_it_is() {
    let path = demo_project("edited-layer");
    {
        // As if deleted in QGIS: the first row goes, fids no longer match positions.
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute("DELETE FROM sozialraeume WHERE fid = 1", [])
            .expect("delete");
    }
    let mut state = open(&path);
    let n = state.map.as_ref().expect("map").region.spaces.len();
    assert_eq!(n, 92);
    state.apply(Command::Edit(Edit::AddMeasure(Box::new(full_measure()))));
    assert!(state.error.is_none(), "{:?}", state.error);
    let conn = rusqlite::Connection::open(&path).expect("open");
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM sozialraeume", [], |r| r.get(0))
        .expect("count");
    assert_eq!(rows, 92);
    let counted: Vec<(String, i64)> = conn
        .prepare("SELECT code, massnahmen FROM sozialraeume WHERE massnahmen > 0 ORDER BY code")
        .expect("sql")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(counted, [("AC 3".to_string(), 1), ("AC 4".to_string(), 1)]);
    // No table is rewritten from memory: the rows keep the fids the other program left.
    let fids: (i64, i64) = conn
        .query_row("SELECT min(fid), max(fid) FROM sozialraeume", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("fid");
    assert_eq!(fids, (2, 93), "left in place");
}

#[test]
fn a_project_indexed_and_edited_by_gdal_or_qgis_still_takes_changes() {
    let Some(ogrinfo) = gdal_tool("ogrinfo") else {
        return;
    };
    let path = demo_project("qgis-index");
    // QGIS and GDAL add an R-tree index whose triggers call ST_* functions on every update.
    for sql in [
        "SELECT CreateSpatialIndex('sozialraeume','geom')",
        "DELETE FROM sozialraeume WHERE fid = 2",
    ] {
        let out = std::process::Command::new(&ogrinfo)
            .arg(&path)
            .args(["-sql", sql])
            .output()
            .expect("ogrinfo");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut state = open(&path);
    state.apply(Command::Edit(Edit::AddMeasure(Box::new(full_measure()))));
    assert!(state.error.is_none(), "{:?}", state.error);
    state.apply(Command::Edit(Edit::SetRules(Default::default())));
    assert!(state.error.is_none(), "{:?}", state.error);
    assert_eq!(open(&path).map.expect("map").measures.len(), 1);
    let out = std::process::Command::new(&ogrinfo)
        .args(["-ro", "-al", "-so"])
        .arg(&path)
        .output()
        .expect("ogrinfo");
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(warnings.trim().is_empty(), "{warnings}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Feature Count: 92"));
}
