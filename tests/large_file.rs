//! Large inputs (issue 7): a 500 MB GeoJSON — all 11,299 German municipalities of
//! ../shared/data ten times over, shifted apart, as `scripts/large_geojson.py` writes it — opens
//! in the real window (under a virtual X display) within four times its size in memory; its
//! load can be cancelled at once; a file larger than memory allows is refused before a byte is
//! read, and the open map stays.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command as Process, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use common::{TestFile, shared_data, temp_dir, tracing_tool};
use serde_json::Value;
use sozialraum_atlas::app::{AppState, Command};
use sozialraum_atlas::io::{ImportError, ImportOptions, Progress, import_file};

/// Shifts (degrees of longitude, latitude) of the copies: a grid of Germanys.
const SHIFTS: [(f64, f64); 10] = [
    (0.0, 0.0),
    (11.0, 0.0),
    (-11.0, 0.0),
    (22.0, 0.0),
    (-22.0, 0.0),
    (0.0, 9.0),
    (11.0, 9.0),
    (-11.0, 9.0),
    (22.0, 9.0),
    (-22.0, 9.0),
];

fn shift(coords: &mut Value, dx: f64, dy: f64) {
    if let Some(items) = coords.as_array_mut() {
        if let [Value::Number(x), Value::Number(y), ..] = items.as_slice() {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            *items = vec![Value::from(x + dx), Value::from(y + dy)];
        } else {
            for item in items {
                shift(item, dx, dy);
            }
        }
    }
}

/// The 500 MB file (None without ../shared/data). Tests running at the same time share
/// one; it is removed when the last of them lets go of it, pass or fail.
fn large_file() -> Option<Arc<TestFile>> {
    static FILE: Mutex<Weak<TestFile>> = Mutex::new(Weak::new());
    let mut shared = FILE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(file) = shared.upgrade() {
        return Some(file);
    }
    let file = Arc::new(write_large_file()?);
    *shared = Arc::downgrade(&file);
    Some(file)
}

/// Writes the German municipalities ten times over, shifted, into about 500 MB of GeoJSON.
fn write_large_file() -> Option<TestFile> {
    {
        let source = shared_data("germany/vg250_gemeinden_2016.geojson")?;
        let text = std::fs::read_to_string(source).expect("German municipalities");
        let doc: Value = serde_json::from_str(&text).expect("GeoJSON");
        drop(text);
        let features = doc["features"].as_array().expect("features");
        let path = temp_dir("large-file").file("Deutschland zehnfach.geojson");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        out.write_all(br#"{"type":"FeatureCollection","name":"gross","features":["#)
            .expect("write");
        let mut written = 0u64;
        let mut first = true;
        for (copy, (dx, dy)) in SHIFTS.iter().enumerate() {
            if written >= 500_000_000 {
                break;
            }
            for feature in features {
                let mut feature = feature.clone();
                if let Some(ags) = feature["properties"]["AGS"].as_str() {
                    feature["properties"]["AGS"] = Value::from(format!("{copy:02}-{ags}"));
                }
                shift(&mut feature["geometry"]["coordinates"], *dx, *dy);
                let line = serde_json::to_string(&feature).expect("json");
                if !first {
                    out.write_all(b",\n").expect("write");
                }
                first = false;
                out.write_all(line.as_bytes()).expect("write");
                written += line.len() as u64 + 2;
            }
        }
        out.write_all(b"]}\n").expect("write");
        out.flush().expect("flush");
        drop(out);
        Some(path)
    }
}

fn peak_rss_bytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
}

#[test]
fn a_500_mb_geojson_opens_in_the_window_within_four_times_its_size() {
    let (Some(file), Some(xvfb)) = (large_file(), tracing_tool("Xvfb", "xvfb")) else {
        return;
    };
    let size = std::fs::metadata(&file.path).expect("size").len();
    assert!(size >= 500_000_000, "{size} bytes");
    // A virtual display; -displayfd tells which number it took.
    let mut display = Process::new(xvfb)
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1600x1000x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb starts");
    let mut number = String::new();
    BufReader::new(display.stdout.take().expect("stdout"))
        .read_line(&mut number)
        .expect("display number");
    let home = temp_dir("large-file-home");
    let mut window = Process::new(env!("CARGO_BIN_EXE_sozialraum-atlas"))
        .arg(&file.path)
        .env("DISPLAY", format!(":{}", number.trim()))
        .env("WAYLAND_DISPLAY", "")
        .env("HOME", home.as_os_str())
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("SOZIALRAUM_ATLAS_TIMING", "1")
        .stderr(Stdio::piped())
        .spawn()
        .expect("the window starts");
    let pid = window.id();
    // The window says when full detail is ready; meanwhile its peak memory is watched.
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = window.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let started = Instant::now();
    let mut peak = 0u64;
    let mut log = Vec::new();
    let mut ready = false;
    while started.elapsed() < Duration::from_secs(240) {
        peak = peak.max(peak_rss_bytes(pid).unwrap_or(0));
        while let Ok(line) = rx.try_recv() {
            ready |= line.contains("full detail ready");
            log.push(line);
        }
        if ready {
            break;
        }
        if let Ok(Some(status)) = window.try_wait() {
            panic!("the window ended ({status}): {}", log.join("\n"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    // A few more frames with full detail drawn.
    std::thread::sleep(Duration::from_secs(2));
    peak = peak.max(peak_rss_bytes(pid).unwrap_or(0));
    let _ = window.kill();
    let _ = window.wait();
    let _ = display.kill();
    let _ = display.wait();
    assert!(ready, "full detail not ready in 240 s: {}", log.join("\n"));
    let ratio = peak as f64 / size as f64;
    eprintln!(
        "{} MB file: window peak {} MB = {ratio:.2} × the file, full detail after {:.1} s",
        size / 1_000_000,
        peak / 1_000_000,
        started.elapsed().as_secs_f64() - 2.0
    );
    assert!(ratio < 4.0, "peak {peak} bytes is {ratio:.2} × the file");
}

#[test]
fn loading_a_large_file_is_cancelled_at_once_in_every_stage() {
    let Some(file) = large_file() else {
        return;
    };
    // Cancel after different delays, so that reading, parsing and building are each hit.
    for delay_ms in [100u64, 600, 1500, 3000] {
        let progress = std::sync::Arc::new(Progress::default());
        let (p, path) = (std::sync::Arc::clone(&progress), file.path.clone());
        let job = std::thread::spawn(move || import_file(&path, &ImportOptions::default(), &p));
        std::thread::sleep(Duration::from_millis(delay_ms));
        let stage = progress.stage();
        progress.cancel();
        let cancelled = Instant::now();
        let result = job.join().expect("no panic");
        let waited = cancelled.elapsed();
        assert!(
            matches!(result, Err(ImportError::Cancelled)) || result.is_ok(),
            "{delay_ms} ms: {:?}",
            result.err()
        );
        assert!(
            waited < Duration::from_millis(1500),
            "cancelled in stage {stage:?} after {delay_ms} ms, the import took {waited:?} to stop"
        );
    }
}

#[test]
fn a_file_larger_than_memory_is_refused_before_reading_and_the_map_stays() {
    let dir = temp_dir("large-file-sparse");
    let path = dir.join("riesig.geojson");
    // Sparse: a terabyte on paper, nothing on disk.
    let f = std::fs::File::create(&path).expect("create");
    f.set_len(1 << 40).expect("sparse file");
    let mut state = AppState::new(|| {});
    state.apply(Command::OpenDemo);
    let started = Instant::now();
    state.apply(Command::Open {
        path: path.clone(),
        options: ImportOptions::default(),
    });
    while state.loading.is_some() {
        assert!(started.elapsed() < Duration::from_secs(10), "hangs");
        std::thread::sleep(Duration::from_millis(5));
        state.poll_loading();
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let message = state.error.take().expect("a message");
    assert!(
        message.contains("riesig.geojson") && message.contains("Arbeitsspeicher nötig"),
        "{message}"
    );
    assert_eq!(state.map.as_ref().expect("map").region.spaces.len(), 93);
    // The command line says the same and writes nothing.
    let out = Process::new(env!("CARGO_BIN_EXE_sozialraum-atlas"))
        .arg("check")
        .arg(&path)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Arbeitsspeicher nötig"));
}
