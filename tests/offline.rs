//! Offline and private by design: the program opens a network connection only to a shared
//! register the user names (`--db`). Proved three ways: no HTTP, DNS-over-HTTP or similar
//! crate is compiled in (Cargo.lock); the database client and its TLS are used by one module
//! only, `io::register`; and the real program — the command line's import, export and
//! project commands, and the window itself under a virtual display — runs under `strace`,
//! which logs every socket it creates: none may be an internet socket (AF_INET, AF_INET6).
//! The window's own sockets are local (AF_UNIX: the X server, D-Bus).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{temp_dir, test_file, tracing_tool};

const EXE: &str = env!("CARGO_BIN_EXE_sozialraum-atlas");

/// Crates that speak HTTP, websockets or DNS, or another TLS stack: none may be in the build.
/// (rustls is there for the register only, see [`only_the_register_speaks_to_a_server`].)
const NETWORK_CRATES: &[&str] = &[
    "reqwest",
    "hyper",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "surf",
    "attohttpc",
    "native-tls",
    "openssl",
    "h2",
    "h3",
    "quinn",
    "trust-dns-resolver",
    "hickory-resolver",
    "tungstenite",
];

/// The database client and TLS are named in `io/register` and nowhere else in the program.
#[test]
fn only_the_register_speaks_to_a_server() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.clone()];
    let mut users = Vec::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("dir") {
                files.push(entry.expect("entry").path());
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source");
        let speaks = [
            "postgres::",
            "rustls",
            "tokio_postgres",
            "std::net::TcpStream",
        ]
        .iter()
        .any(|name| text.contains(name));
        if speaks {
            users.push(
                path.strip_prefix(&root)
                    .expect("inside")
                    .display()
                    .to_string(),
            );
        }
    }
    users.sort();
    assert!(
        users.contains(&"io/register/mod.rs".to_string()),
        "the register connects: {users:?}"
    );
    let outside: Vec<&String> = users
        .iter()
        .filter(|u| !u.starts_with("io/register/"))
        .collect();
    assert!(
        outside.is_empty(),
        "speak to a server outside io/register: {outside:?}"
    );
}

#[test]
fn no_networking_crate_is_in_the_build() {
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .expect("Cargo.lock");
    let names: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert!(
        names.len() > 100,
        "Cargo.lock read: {} packages",
        names.len()
    );
    let found: Vec<&&str> = names
        .iter()
        .filter(|n| NETWORK_CRATES.contains(n))
        .collect();
    assert!(
        found.is_empty(),
        "networking crates in the build: {found:?}"
    );
}

/// Internet sockets in an strace log of `socket` and `connect` calls.
fn internet_sockets(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains("AF_INET") || l.contains("PF_INET"))
        .collect()
}

/// Runs `args` under strace and returns the log.
fn traced(strace: &Path, log: &Path, program: &[&std::ffi::OsStr]) -> (bool, String) {
    let status = Command::new(strace)
        .args([
            "-f",
            "-q",
            "-e",
            "trace=socket,connect,sendto,sendmsg",
            "-o",
        ])
        .arg(log)
        .args(program)
        .status()
        .expect("strace runs");
    let text = std::fs::read_to_string(log).expect("strace log");
    (status.success(), text)
}

#[test]
fn the_trace_sees_an_internet_connection_when_there_is_one() {
    let Some(strace) = tracing_tool("strace", "strace") else {
        return;
    };
    let dir = temp_dir("offline-control");
    let log = dir.join("strace-control.log");
    // bash opens a TCP connection to a closed local port: refused, but attempted.
    let program = [
        std::ffi::OsStr::new("bash"),
        std::ffi::OsStr::new("-c"),
        std::ffi::OsStr::new("exec 3<>/dev/tcp/127.0.0.1/9 || true"),
    ];
    let (_, text) = traced(&strace, &log, &program);
    assert!(!internet_sockets(&text).is_empty(), "not seen: {text}");
}

#[test]
fn the_command_line_opens_no_network_connection() {
    let Some(strace) = tracing_tool("strace", "strace") else {
        return;
    };
    let dir = temp_dir("offline-cli");
    let map = test_file("corpus/qgis_geopackage_etrs89.gpkg");
    let project: PathBuf = dir.join("Projekt offline.gpkg");
    let png = dir.join("Karte.png");
    let pdf = dir.join("Karte.pdf");
    let csv = dir.join("Maßnahmen.csv");
    let runs: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["check".into(), map.clone().into()],
        vec![
            "project".into(),
            "new".into(),
            "--out".into(),
            project.clone().into(),
            map.clone().into(),
        ],
        vec![
            "measures".into(),
            "import".into(),
            project.clone().into(),
            test_file("measures/bestandsliste.csv").into(),
        ],
        vec![
            "measures".into(),
            "export".into(),
            project.clone().into(),
            csv.into(),
        ],
        vec![
            "export".into(),
            project.clone().into(),
            "--out".into(),
            png.into(),
        ],
        vec!["export".into(), project.into(), "--out".into(), pdf.into()],
    ];
    for (i, args) in runs.iter().enumerate() {
        let log = dir.join(format!("strace-{i}.log"));
        let mut program: Vec<&std::ffi::OsStr> = vec![std::ffi::OsStr::new(EXE)];
        program.extend(args.iter().map(|a| a.as_os_str()));
        let (ok, text) = traced(&strace, &log, &program);
        assert!(ok, "{args:?} failed");
        assert!(
            text.contains("+++ exited with 0 +++"),
            "strace logged: {text}"
        );
        let inet = internet_sockets(&text);
        assert!(
            inet.is_empty(),
            "{args:?} opened internet sockets: {inet:?}"
        );
    }
}

#[test]
fn the_window_opens_no_network_connection() {
    let (Some(strace), Some(xvfb_run)) = (
        tracing_tool("strace", "strace"),
        tracing_tool("xvfb-run", "xvfb"),
    ) else {
        return;
    };
    let dir = temp_dir("offline-window");
    let log = dir.join("strace-window.log");
    // The window with the demo map for ten seconds (it starts, draws, and stays up), then
    // `timeout` ends it. HOME points into the test folder: no stored settings are read.
    let output = Command::new(xvfb_run)
        .args(["-a", "-s", "-screen 0 1280x800x24"])
        .arg("timeout")
        .arg("10")
        .arg(strace)
        .args([
            "-f",
            "-qq",
            "-e",
            "trace=socket,connect,sendto,sendmsg",
            "-o",
        ])
        .arg(&log)
        .arg(EXE)
        .env("HOME", dir.as_os_str())
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("WAYLAND_DISPLAY", "")
        .output()
        .expect("xvfb-run runs");
    let text = std::fs::read_to_string(&log).expect("strace log");
    let stderr = String::from_utf8_lossy(&output.stderr);
    // It ran until `timeout` stopped it (exit code 124), rather than failing to start.
    assert_eq!(
        output.status.code(),
        Some(124),
        "the window did not stay up: {stderr}\n{text}"
    );
    assert!(
        text.contains("X11-unix"),
        "the window connected to the X server:\n{text}"
    );
    let inet = internet_sockets(&text);
    assert!(
        inet.is_empty(),
        "the window opened internet sockets: {inet:?}"
    );
}

#[test]
fn with_a_register_the_program_speaks_only_to_its_server() {
    let Some(strace) = tracing_tool("strace", "strace") else {
        return;
    };
    let Some(admin) = common::pg::server() else {
        return;
    };
    let db = common::pg::TestDb::new(&admin, "strace");
    let dir = temp_dir("offline-register");
    let project = common::pg::demo_project(&dir);
    let o = common::pg::publish(&project, &db.conninfo(None), &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Over TCP on loopback (a relay to the test server), so the trace shows the address.
    let relay = common::pg::Relay::start(&admin);
    let conninfo = relay.conninfo(&db, "atlas_admin");
    let log = dir.join("strace-register.log");
    let out = dir.join("verlauf.csv");
    let program = [
        std::ffi::OsStr::new(env!("CARGO_BIN_EXE_sozialraum-atlas")),
        std::ffi::OsStr::new("measures"),
        std::ffi::OsStr::new("history"),
        std::ffi::OsStr::new("--db"),
        std::ffi::OsStr::new(&conninfo),
        out.as_os_str(),
    ];
    let (ok, text) = traced(&strace, &log, &program);
    assert!(ok, "history failed: {text}");
    let connects: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("connect(") && l.contains("AF_INET"))
        .collect();
    assert!(!connects.is_empty(), "no connection seen: {text}");
    let own = format!("sin_port=htons({})", relay.port);
    for c in &connects {
        assert!(
            c.contains(&own) && c.contains("127.0.0.1"),
            "a connection to somewhere else: {c}"
        );
    }
}
