//! The bad-and-awkward-input corpus (tests/data/corpus, written by its `make_corpus.py`):
//! every file gets either a clear message that names it, or a correct load — never a panic,
//! a hang or exhausted memory. Inputs too large to keep in the repository (a 10 MB property,
//! JSON nested a million deep), file-system cases (a folder, a file without read permission)
//! and paths with spaces and umlauts are made here. A final test opens every bad map in the
//! app state over the demo map and checks the demo stays.

mod common;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{temp_dir, test_file};
use sozialraum_atlas::app::{AppState, Command};
use sozialraum_atlas::i18n::Lang;
use sozialraum_atlas::io::table::{Table, read_table};
use sozialraum_atlas::io::{ImportError, ImportOptions, Imported, Progress, import_file};

/// What a map file must give.
enum Map {
    /// An error whose German message contains all of these (and always the file name).
    Refused(&'static [&'static str]),
    /// A load of this many areas whose report mentions all of these.
    Loads(usize, &'static [&'static str]),
}

use Map::{Loads, Refused};

const MAPS: &[(&str, Map)] = &[
    // Broken JSON.
    (
        "truncated_in_coordinates.geojson",
        Refused(&["kein gültiges JSON", "Zeile 1"]),
    ),
    (
        "truncated_after_first_feature.geojson",
        Refused(&["kein gültiges JSON", "EOF"]),
    ),
    ("empty_file.geojson", Refused(&["die Datei ist leer"])),
    ("only_whitespace.geojson", Refused(&["die Datei ist leer"])),
    (
        "trailing_comma.geojson",
        Refused(&["kein gültiges JSON", "trailing comma"]),
    ),
    (
        "comments_in_json.geojson",
        Refused(&["kein gültiges JSON", "Zeile 1, Spalte 1"]),
    ),
    ("html_error_page.geojson", Refused(&["HTML", "Fehlerseite"])),
    (
        "zip_named_geojson.geojson",
        Refused(&["ZIP-Archiv", "entpacken"]),
    ),
    (
        "two_documents_concatenated.geojson",
        Refused(&["kein gültiges JSON", "Zeile 2"]),
    ),
    (
        "deeply_nested_property.geojson",
        Refused(&["zu tief verschachtelt"]),
    ),
    // Valid JSON, wrong GeoJSON.
    (
        "empty_feature_collection.geojson",
        Refused(&["enthält keine Features"]),
    ),
    (
        "features_is_an_object.geojson",
        Refused(&["enthält keine Features"]),
    ),
    ("top_level_array.geojson", Refused(&["kein GeoJSON"])),
    (
        "bare_polygon_geometry.geojson",
        Refused(&["keine GeoJSON-FeatureCollection", "Polygon"]),
    ),
    (
        "coordinates_as_strings.geojson",
        Refused(&["kein Feature ist verwendbar", "keine Zahl"]),
    ),
    (
        "all_geometries_null.geojson",
        Refused(&["kein Feature ist verwendbar", "keine Geometrie"]),
    ),
    (
        "points_and_lines_only.geojson",
        Refused(&["kein Feature ist verwendbar"]),
    ),
    (
        "geometry_collection.geojson",
        Refused(&["kein Feature ist verwendbar"]),
    ),
    (
        "unknown_crs.geojson",
        Refused(&["unbekanntes Koordinatensystem EPSG:99999"]),
    ),
    ("properties_is_an_array.geojson", Loads(1, &["properties"])),
    ("unknown_geometry_type.geojson", Loads(1, &["Polygonn"])),
    ("single_feature.geojson", Loads(1, &[])),
    // Numbers.
    (
        "nan_coordinates.geojson",
        Refused(&["den Wert NaN", "null"]),
    ),
    (
        "infinity_coordinates.geojson",
        Refused(&["den Wert Infinity"]),
    ),
    ("number_beyond_double.geojson", Refused(&["Zahl jenseits"])),
    (
        "gigantic_coordinates.geojson",
        Refused(&["unmögliche Koordinaten"]),
    ),
    ("one_gigantic_among_good.geojson", Loads(2, &["R 2"])),
    ("nan_and_infinity_indicators.geojson", Loads(3, &[])),
    ("null_island.geojson", Refused(&["keine Fläche"])),
    // Awkward polygons.
    (
        "self_intersecting_bowtie.geojson",
        Loads(2, &["B 1", "überschneidet sich selbst"]),
    ),
    (
        "zero_area_polygon.geojson",
        Loads(1, &["Z 1", "keine Fläche"]),
    ),
    ("two_point_ring.geojson", Loads(1, &["T 1"])),
    ("unclosed_ring.geojson", Loads(1, &["repariert"])),
    (
        "hole_outside_its_polygon.geojson",
        Loads(1, &["außerhalb von Polygon 1"]),
    ),
    (
        "duplicate_codes.geojson",
        Loads(2, &["Code schon bei Feature 1 vergeben"]),
    ),
    ("missing_codes.geojson", Loads(2, &[])),
    // Encodings.
    ("utf8_bom.geojson", Loads(2, &[])),
    ("utf16_le_with_bom.geojson", Loads(2, &[])),
    ("windows1252_properties.geojson", Loads(2, &[])),
    // Files of other programs.
    ("qgis_shapefile_etrs89.shp", Loads(3, &[])),
    ("qgis_geopackage_etrs89.gpkg", Loads(3, &[])),
    (
        "gdal_geopackage_points_only.gpkg",
        Refused(&["keine Flächen-Ebene"]),
    ),
    (
        "shapefile_truncated.shp",
        Refused(&["beschädigte .shp-Datei", "endet vorzeitig"]),
    ),
    (
        "sqlite_not_geopackage.gpkg",
        Refused(&["keine lesbare GeoPackage"]),
    ),
    (
        "text_named_gpkg.gpkg",
        Refused(&["keine lesbare GeoPackage"]),
    ),
];

/// What a table file must give.
enum TableOutcome {
    /// An error whose German message contains all of these (and the file name).
    Refused(&'static [&'static str]),
    /// Headers (these first ones) and this many rows.
    Reads(&'static [&'static str], usize),
}

const TABLES: &[(&str, TableOutcome)] = &[
    ("table_empty.csv", TableOutcome::Refused(&["keine Tabelle"])),
    (
        "table_one_column.csv",
        TableOutcome::Refused(&["keine Tabelle"]),
    ),
    (
        "table_windows1252.csv",
        TableOutcome::Reads(&["Sozialraum", "Bevölkerung", "Anteil über 65"], 2),
    ),
    (
        "table_utf8_bom.csv",
        TableOutcome::Reads(&["code", "wert"], 2),
    ),
    (
        "table_unbalanced_quote.csv",
        TableOutcome::Refused(&["Zeile 2 wird nie geschlossen"]),
    ),
    (
        "table_ragged_rows.csv",
        TableOutcome::Reads(&["code", "a", "b"], 3),
    ),
    ("table_utf16.csv", TableOutcome::Reads(&["code", "wert"], 1)),
    (
        "table_binary_named_csv.csv",
        TableOutcome::Refused(&["Binärdaten"]),
    ),
    (
        "table_csv_named_xlsx.xlsx",
        TableOutcome::Reads(&["code", "wert"], 1),
    ),
    (
        "table_truncated.xlsx",
        TableOutcome::Refused(&["keine lesbare Tabellendatei"]),
    ),
    (
        "table_zip_without_workbook.xlsx",
        TableOutcome::Refused(&["keine lesbare Tabellendatei"]),
    ),
    // The Excel exports the table tests use: merged title cells, formulas, Windows-1252.
    (
        "../tables/kinderarmut_merged_formulas.xlsx",
        TableOutcome::Reads(
            &[
                "Code",
                "Kinderarmut Nenner",
                "Kinderarmut Fälle",
                "Kinderarmut %",
            ],
            5,
        ),
    ),
    (
        "../tables/wohngeld_excel_windows1252.csv",
        TableOutcome::Reads(&["Sozialraum", "Name des Gebiets"], 9),
    ),
];

/// Runs `work` on its own thread: a panic or a run over 60 s fails the test, naming `what`.
fn guarded<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: no answer within 60 s (hangs)"),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let _ = handle.join();
            panic!("{what}: the reader panicked")
        }
    }
}

fn import(path: &Path) -> Result<Imported, ImportError> {
    let owned = path.to_path_buf();
    guarded(&path.display().to_string(), move || {
        import_file(&owned, &ImportOptions::default(), &Progress::default())
    })
}

fn corpus(name: &str) -> PathBuf {
    test_file(&format!("corpus/{name}"))
}

fn report_text(imported: &Imported) -> String {
    imported
        .report
        .problems
        .iter()
        .map(|p| p.describe(Lang::De))
        .collect::<Vec<_>>()
        .join("\n")
}

fn check_map(path: &Path, expected: &Map) {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
    match (import(path), expected) {
        (Err(e), Refused(parts)) => {
            let message = e.describe(Lang::De);
            assert!(
                message.contains(name),
                "{name}: message does not name the file: {message}"
            );
            for part in *parts {
                assert!(
                    message.contains(part),
                    "{name}: «{part}» missing in: {message}"
                );
            }
            assert!(!e.describe(Lang::En).is_empty());
        }
        (Ok(imported), Loads(areas, parts)) => {
            assert_eq!(imported.region.spaces.len(), *areas, "{name}: areas");
            let report = report_text(&imported);
            for part in *parts {
                assert!(
                    report.contains(part),
                    "{name}: «{part}» missing in report:\n{report}"
                );
            }
        }
        (Err(e), Loads(..)) => panic!("{name} should load but: {}", e.describe(Lang::De)),
        (Ok(imported), Refused(_)) => panic!(
            "{name} should be refused but loaded {} areas:\n{}",
            imported.region.spaces.len(),
            report_text(&imported)
        ),
    }
}

#[test]
fn the_corpus_has_at_least_forty_inputs_and_each_is_listed() {
    let dir = test_file("corpus");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("corpus folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".py"))
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = MAPS
        .iter()
        .map(|(n, _)| *n)
        .chain(TABLES.iter().map(|(n, _)| *n))
        .collect();
    assert!(listed.len() >= 40, "{} inputs", listed.len());
    // Every main file is listed; side files of Shapefiles (.dbf, .shx, .prj, .cpg) go with it.
    for name in &on_disk {
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        assert!(
            listed
                .iter()
                .any(|l| l == name || l.starts_with(&format!("{stem}."))),
            "{name} is in the corpus but not in this test"
        );
    }
}

#[test]
fn every_bad_or_awkward_map_gets_a_clear_message_or_loads_correctly() {
    for (name, expected) in MAPS {
        check_map(&corpus(name), expected);
    }
}

#[test]
fn every_bad_or_awkward_table_gets_a_clear_message_or_reads_correctly() {
    for (name, expected) in TABLES {
        let path = corpus(name);
        let owned = path.clone();
        let result: Result<Table, String> = guarded(name, move || {
            read_table(&owned).map_err(|e| e.describe(Lang::De))
        });
        match (result, expected) {
            (Err(message), TableOutcome::Refused(parts)) => {
                assert!(message.contains(name), "{name}: {message}");
                for part in *parts {
                    assert!(
                        message.contains(part),
                        "{name}: «{part}» missing in: {message}"
                    );
                }
            }
            (Ok(table), TableOutcome::Reads(headers, rows)) => {
                let first: Vec<&str> = table
                    .headers
                    .iter()
                    .map(String::as_str)
                    .take(headers.len())
                    .collect();
                assert_eq!(first, *headers, "{name}: {:?}", table.headers);
                assert_eq!(table.rows.len(), *rows, "{name}: rows {:?}", table.rows);
            }
            (Err(message), TableOutcome::Reads(..)) => panic!("{name} should read: {message}"),
            (Ok(table), TableOutcome::Refused(_)) => {
                panic!(
                    "{name} should be refused: {:?} {:?}",
                    table.headers, table.rows
                )
            }
        }
    }
}

#[test]
fn values_that_are_nan_or_infinity_in_text_are_missing_not_numbers() {
    let imported = import(&corpus("nan_and_infinity_indicators.geojson")).expect("loads");
    let table = &imported.indicators;
    let quote = table.position("quote").expect("quote is an indicator");
    let values: Vec<Option<f64>> = table.column(quote).iter().map(|v| v.number()).collect();
    assert_eq!(values, vec![None, None, Some(1.5)]);
    for position in 0..table.indicators().len() {
        for value in table.column(position) {
            if let Some(v) = value.number() {
                assert!(v.is_finite(), "{v}");
            }
        }
    }
}

#[test]
fn umlauts_read_from_windows_1252_and_utf16_are_right() {
    let names = |file: &str| -> Vec<String> {
        let imported = import(&corpus(file)).expect("loads");
        imported
            .region
            .spaces
            .iter()
            .filter_map(|s| s.name.clone())
            .collect()
    };
    assert!(names("windows1252_properties.geojson").contains(&"Gebiet Mühle".to_string()));
    assert!(names("qgis_shapefile_etrs89.shp").contains(&"Gebiet Würselen".to_string()));
    assert!(names("qgis_geopackage_etrs89.gpkg").contains(&"Gebiet Würselen".to_string()));
    assert_eq!(names("utf16_le_with_bom.geojson").len(), 2);
}

/// A small valid map with one property of `size` bytes.
fn map_with_big_property(size: usize) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"code":"A 1","notiz":"{}"}},"geometry":{{"type":"Polygon","coordinates":[[[6.05,50.75],[6.06,50.75],[6.06,50.76],[6.05,50.75]]]}}}}]}}"#,
        "x".repeat(size)
    )
}

#[test]
fn a_ten_megabyte_property_loads() {
    let dir = temp_dir("corpus-big-property");
    let path = dir.join("grosse_eigenschaft.geojson");
    std::fs::write(&path, map_with_big_property(10 << 20)).expect("write");
    check_map(&path, &Loads(1, &[]));
}

#[test]
fn json_nested_a_million_deep_is_refused_without_overflowing_the_stack() {
    let dir = temp_dir("corpus-deep");
    let (open, close) = ("[".repeat(1_000_000), "]".repeat(1_000_000));
    // In a property: the parser's depth limit.
    let path = dir.join("tief in einer Eigenschaft.geojson");
    std::fs::write(
        &path,
        map_with_big_property(1).replace(r#""x""#, &format!("{open}{close}")),
    )
    .expect("write");
    check_map(&path, &Refused(&["zu tief verschachtelt"]));
    // As the features: each element is no feature.
    let path = dir.join("tief als Features.geojson");
    let deep = format!(r#"{{"type":"FeatureCollection","features":{open}{close}}}"#);
    std::fs::write(&path, deep).expect("write");
    check_map(&path, &Refused(&["kein Feature ist verwendbar"]));
}

#[test]
fn a_folder_named_like_a_map_is_refused() {
    let dir = temp_dir("corpus-folder");
    for name in ["ordner.geojson", "ordner.shp", "ordner.gpkg"] {
        let folder = dir.join(name);
        std::fs::create_dir_all(&folder).expect("folder");
        check_map(&folder, &Refused(&["Ordner"]));
    }
    let table = dir.join("ordner.csv");
    std::fs::create_dir_all(&table).expect("folder");
    let message = read_table(&table).expect_err("a folder").describe(Lang::De);
    assert!(message.contains("ordner.csv"), "{message}");
}

#[test]
fn paths_with_spaces_and_umlauts_work_for_maps_tables_and_projects() {
    let root = temp_dir("corpus-umlaut");
    let dir = root.join("Sozialplanung Städteregion – Übersicht");
    std::fs::create_dir_all(&dir).expect("folder");
    let map = dir.join("Sozialräume Würselen (Entwurf).geojson");
    std::fs::copy(corpus("duplicate_codes.geojson"), &map).expect("copy");
    check_map(&map, &Loads(2, &[]));
    let shp = dir.join("Bezirke Düren ä.shp");
    for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
        std::fs::copy(
            corpus(&format!("qgis_shapefile_etrs89.{ext}")),
            shp.with_extension(ext),
        )
        .expect("copy");
    }
    check_map(&shp, &Loads(3, &[]));
    let table = dir.join("Indikatoren Übersicht.csv");
    std::fs::copy(corpus("table_windows1252.csv"), &table).expect("copy");
    assert_eq!(read_table(&table).expect("reads").rows.len(), 2);
    // A project and an export there, through the command line as a user would.
    let exe = env!("CARGO_BIN_EXE_sozialraum-atlas");
    let project = dir.join("Projekt Städteregion.gpkg");
    let status = std::process::Command::new(exe)
        .args(["project", "new", "--out"])
        .arg(&project)
        .arg(&map)
        .status()
        .expect("run");
    assert!(status.success());
    let png = dir.join("Karte Würselen.png");
    let status = std::process::Command::new(exe)
        .arg("export")
        .arg(&project)
        .arg("--out")
        .arg(&png)
        .status()
        .expect("run");
    assert!(status.success());
    assert!(std::fs::metadata(&png).expect("written").len() > 1000);
}

#[cfg(unix)]
#[test]
fn a_file_without_read_permission_is_named_with_the_reason() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("corpus-permission");
    let path = dir.join("gesperrt.geojson");
    std::fs::copy(corpus("utf8_bom.geojson"), &path).expect("copy");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    // Root reads everything: then the command line runs as user nobody (setpriv), so the
    // permission is real either way.
    let exe = env!("CARGO_BIN_EXE_sozialraum-atlas");
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let output = if is_root {
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(exe)
            .arg("check")
            .arg(&path)
            .output()
            .expect("setpriv runs")
    } else {
        std::process::Command::new(exe)
            .arg("check")
            .arg(&path)
            .output()
            .expect("runs")
    };
    let text = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{text}");
    assert!(
        text.contains("gesperrt.geojson") && text.contains("keine Leseberechtigung"),
        "{text}"
    );
}

#[test]
fn every_bad_map_leaves_the_open_map_in_the_window() {
    let mut state = AppState::new(|| {});
    state.apply(Command::OpenDemo);
    for (name, expected) in MAPS {
        if !matches!(expected, Refused(_)) {
            continue;
        }
        state.apply(Command::Open {
            path: corpus(name),
            options: ImportOptions::default(),
        });
        let started = Instant::now();
        while state.loading.is_some() {
            assert!(started.elapsed() < Duration::from_secs(60), "{name}: hangs");
            std::thread::sleep(Duration::from_millis(5));
            state.poll_loading();
        }
        let message = state.error.take().expect("a message");
        assert!(message.contains(name), "{message}");
        assert_eq!(
            state.map.as_ref().expect("still a map").region.spaces.len(),
            93,
            "{name}"
        );
    }
}
