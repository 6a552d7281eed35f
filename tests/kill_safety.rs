//! Killing a process that writes measures (SIGKILL, at random moments, many times) never
//! costs a measure whose write had returned, and never leaves a file that does not open.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::temp_dir;
use sozialraum_atlas::io::project;
use sozialraum_atlas::io::{ImportOptions, Progress};

/// A small deterministic generator, so a failing run can be repeated.
fn next(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    *seed >> 33
}

#[test]
fn a_killed_writer_never_loses_a_confirmed_measure() {
    let dir = temp_dir("kill");
    let path = dir.join("projekt.gpkg");
    let exe = env!("CARGO_BIN_EXE_sozialraum-atlas");
    let demo = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("maps/staedteregion_aachen_demo.geojson");
    let status = Command::new(exe)
        .args(["project", "new"])
        .arg(&demo)
        .arg("--out")
        .arg(&path)
        .stderr(Stdio::null())
        .status()
        .expect("runs");
    assert!(status.success());

    let mut seed = 0x5eed_u64;
    let mut confirmed: Vec<i64> = Vec::new();
    let rounds = 25;
    for round in 0..rounds {
        let mut child = Command::new(exe)
            .args(["measures", "write-test"])
            .arg(&path)
            .arg("1000000")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawns");
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.trim().parse::<i64>().ok())
                .collect::<Vec<i64>>()
        });
        std::thread::sleep(Duration::from_millis(20 + next(&mut seed) % 400));
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        let written = reader.join().expect("reader");
        confirmed.extend(written);

        // The file opens, is intact, and holds every confirmed measure.
        let conn = rusqlite::Connection::open(&path).expect("opens after kill");
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("check");
        assert_eq!(check, "ok", "round {round}");
        let opened = project::open(&path, &ImportOptions::default(), &Progress::default())
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        let ids: std::collections::HashSet<i64> =
            opened.measures.all().iter().map(|m| m.id).collect();
        for id in &confirmed {
            assert!(
                ids.contains(id),
                "round {round}: confirmed measure {id} lost"
            );
        }
        // Counts and links were written in the same transaction as the measure.
        let links: i64 = conn
            .query_row("SELECT count(*) FROM massnahmen_sozialraeume", [], |r| {
                r.get(0)
            })
            .expect("links");
        let counted: i64 = conn
            .query_row("SELECT sum(massnahmen) FROM sozialraeume", [], |r| r.get(0))
            .expect("counts");
        assert_eq!(links, counted, "round {round}");
        assert_eq!(links as usize, opened.measures.len(), "round {round}");
    }
    assert!(
        confirmed.len() > rounds,
        "the writer should have confirmed measures in most rounds, got {}",
        confirmed.len()
    );
    eprintln!(
        "{} measures confirmed over {rounds} kills, none lost",
        confirmed.len()
    );
}
