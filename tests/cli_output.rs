//! The command line never panics on its own output: a closed pipe (`| head -1`) ends it
//! quietly with the command's own exit code, a full disk on stdout or stderr (`> /dev/full`)
//! gives exit code 2 — for every subcommand, never 101.

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};

use common::temp_dir;

const EXE: &str = env!("CARGO_BIN_EXE_sozialraum-atlas");

fn demo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("maps/staedteregion_aachen_demo.geojson")
}

/// Every subcommand, as arguments, with what it needs written into `dir`.
fn commands(dir: &std::path::Path) -> Vec<Vec<std::ffi::OsString>> {
    let project = dir.join("projekt.gpkg");
    let status = Command::new(EXE)
        .args(["project", "new"])
        .arg(demo())
        .arg("--out")
        .arg(&project)
        .stderr(Stdio::null())
        .status()
        .expect("runs");
    assert!(status.success());
    let list = dir.join("liste.csv");
    std::fs::write(&list, "Titel;Sozialräume\nSprachcafé;AC 3\n").expect("list");
    let os = |parts: &[&std::ffi::OsStr]| parts.iter().map(|p| p.to_os_string()).collect();
    vec![
        os(&["check".as_ref(), demo().as_os_str()]),
        os(&[
            "classify".as_ref(),
            demo().as_os_str(),
            "--out".as_ref(),
            dir.join("klassen.csv").as_os_str(),
        ]),
        os(&[
            "export".as_ref(),
            demo().as_os_str(),
            "--size".as_ref(),
            "300x200".as_ref(),
            "--out".as_ref(),
            dir.join("karte.png").as_os_str(),
        ]),
        os(&[
            "project".as_ref(),
            "new".as_ref(),
            demo().as_os_str(),
            "--out".as_ref(),
            dir.join("zwei.gpkg").as_os_str(),
        ]),
        os(&[
            "measures".as_ref(),
            "import".as_ref(),
            project.as_os_str(),
            list.as_os_str(),
        ]),
        os(&[
            "measures".as_ref(),
            "export".as_ref(),
            project.as_os_str(),
            dir.join("raus.csv").as_os_str(),
        ]),
        os(&[
            "report".as_ref(),
            demo().as_os_str(),
            "--municipality".as_ref(),
            "Roetgen".as_ref(),
            "--out".as_ref(),
            dir.join("profile.pdf").as_os_str(),
        ]),
        os(&[
            "atlas".as_ref(),
            demo().as_os_str(),
            "--out".as_ref(),
            dir.join("atlas.html").as_os_str(),
        ]),
        os(&["--help".as_ref()]),
        os(&["--version".as_ref()]),
        os(&["check".as_ref(), "/gibt/es/nicht.geojson".as_ref()]),
    ]
}

fn full() -> Option<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .ok()
}

#[test]
fn a_full_disk_on_stdout_or_stderr_gives_exit_code_2_and_never_a_panic() {
    let Some(_) = full() else {
        eprintln!("note: /dev/full is missing; skipping");
        return;
    };
    let dir = temp_dir("cli-full");
    for args in commands(&dir) {
        let missing = args.iter().any(|a| a == "/gibt/es/nicht.geojson");
        for stream in ["stdout", "stderr"] {
            let mut cmd = Command::new(EXE);
            cmd.args(&args);
            let (out, err) = match stream {
                "stdout" => (Stdio::from(full().expect("full")), Stdio::piped()),
                _ => (Stdio::piped(), Stdio::from(full().expect("full"))),
            };
            let output = cmd.stdout(out).stderr(err).output().expect("runs");
            let code = output.status.code();
            let said = String::from_utf8_lossy(&output.stderr).into_owned()
                + &String::from_utf8_lossy(&output.stdout);
            assert!(!said.contains("panicked"), "{args:?} {stream}: {said}");
            assert_ne!(code, Some(101), "{args:?} {stream}: {said}");
            // A write that was lost makes the exit code 2 (the missing file is 2 anyway).
            let only_stdout = ["check", "--help", "--version"]
                .contains(&args[0].to_str().unwrap_or(""))
                && !missing;
            let writes_there = match stream {
                "stdout" => only_stdout,
                _ => !only_stdout,
            };
            if writes_there {
                assert_eq!(code, Some(2), "{args:?} with {stream} full: {said}");
            }
            if stream == "stdout" && writes_there {
                assert!(said.contains("Datenträger voll"), "one message: {said}");
            }
        }
    }
}

#[test]
fn a_closed_pipe_ends_the_output_quietly_with_the_commands_own_exit_code() {
    let dir = temp_dir("cli-pipe");
    for args in commands(&dir) {
        for stream in ["stdout", "stderr"] {
            let mut child = Command::new(EXE)
                .args(&args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawns");
            // The reader goes away at once, like `| head -0`.
            match stream {
                "stdout" => drop(child.stdout.take()),
                _ => drop(child.stderr.take()),
            }
            let output = child.wait_with_output().expect("ends");
            let said = String::from_utf8_lossy(&output.stderr).into_owned()
                + &String::from_utf8_lossy(&output.stdout);
            assert!(!said.contains("panicked"), "{args:?} {stream}: {said}");
            let expected = if args[1..].iter().any(|a| a == "/gibt/es/nicht.geojson") {
                2
            } else {
                0
            };
            assert_eq!(
                output.status.code(),
                Some(expected),
                "{args:?} with {stream} closed: {said}"
            );
        }
    }
}

#[test]
fn check_piped_into_head_prints_its_first_line_and_exits_with_its_own_code() {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{EXE}' check '{}' | head -1; echo \"exit=${{PIPESTATUS:-}}\"",
            demo().display()
        ))
        .output()
        .expect("sh");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Datei: "), "{text}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    // The real exit code of the first command of the pipe.
    let status = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{EXE}' check '{}' | head -1 >/dev/null; exit ${{PIPESTATUS[0]}}",
            demo().display()
        ))
        .status()
        .expect("bash");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_full_disk_as_the_output_file_gives_exit_code_2_and_the_device_stays() {
    if !std::path::Path::new("/dev/full").exists() {
        eprintln!("note: /dev/full is missing; skipping");
        return;
    }
    let demo = demo();
    let demo = demo.to_str().expect("utf-8");
    for args in [
        vec!["classify", demo, "--out", "/dev/full"],
        vec![
            "export",
            demo,
            "--size",
            "300x200",
            "--format",
            "png",
            "--out",
            "/dev/full",
        ],
        vec![
            "report",
            demo,
            "--municipality",
            "Roetgen",
            "--out",
            "/dev/full",
        ],
        vec!["atlas", demo, "--out", "/dev/full"],
    ] {
        let o = Command::new(EXE).args(&args).output().expect("runs");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("/dev/full"), "{args:?} names the file: {err}");
        let meta = std::fs::metadata("/dev/full").expect("/dev/full");
        assert!(!meta.is_file(), "{args:?} replaced /dev/full by a file");
    }
}
