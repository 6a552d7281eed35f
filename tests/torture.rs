//! The torture test: eight writers on one project file for a fixed time — four windows (the
//! app state driven without a display, each its own process) adding, editing, deleting,
//! undoing and settling conflicts on a shared pool of measures, and four command-line
//! imports of small lists — with random `kill -9`, one replacement of the file in the middle
//! and a full disk after it (a small tmpfs where this machine lets the test mount one,
//! otherwise a write limit injected into the windows).
//!
//! Every writer logs what it is about to write (before the write, so a kill after the commit
//! still leaves a trace) and what the file confirmed. Afterwards, against the file:
//! - every change reported as saved is there, or a later change of the same measure is;
//! - no two writers were both told they wrote the same revision of a measure (that would
//!   be a silent overwrite), and every measure in the file is a value some writer tried to
//!   write (nothing changed that no writer changed);
//! - no window wrote over a value it never had: the revision each confirmed write replaced
//!   was on that window's screen (or in a conflict it was shown) before the write;
//! - a command-line import is all or nothing, and one that reported failure left nothing;
//! - clashes happened and were shown as conflicts; the file passes `PRAGMA integrity_check`.
//!
//! `TORTURE_SECONDS` sets the length (CI runs the short default; the numbers in the issue
//! notes come from longer runs by hand). The same binary is the window worker: started with
//! `TORTURE_ROLE=window`, its test `torture_window_worker` runs one window.

mod common;

use common::Rng;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sozialraum_atlas::app::{AppState, Command};
use sozialraum_atlas::document::edit::Edit;
use sozialraum_atlas::io::project::{self};
use sozialraum_atlas::io::store::Resolution;
use sozialraum_atlas::io::store::{Item, ItemValue};
use sozialraum_atlas::io::{ImportOptions, Progress};
use sozialraum_atlas::model::{Measure, Status, Uid};

const EXE: &str = env!("CARGO_BIN_EXE_sozialraum-atlas");
const ROLE: &str = "TORTURE_ROLE";

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// What a writer changes of a measure, as one number (the file's own fields — number,
/// timestamps — left out).
fn digest(m: &Measure) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [
        m.title.as_str(),
        m.notes.as_str(),
        m.lead.as_str(),
        m.status.key(),
        &m.areas.join(";"),
    ] {
        for b in part.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
    }
    h
}

// ---- The window worker (a child process) ----------------------------------------------

static UID_PREFIX: AtomicU64 = AtomicU64::new(0);
static UID_NEXT: AtomicU64 = AtomicU64::new(1);

/// Ids a worker can tell in advance (so it logs them before the write).
fn worker_uid() -> Uid {
    let prefix = UID_PREFIX.load(Ordering::Relaxed);
    Uid((u128::from(prefix) << 64) | u128::from(UID_NEXT.fetch_add(1, Ordering::Relaxed)))
}

fn peek_uid() -> Uid {
    let prefix = UID_PREFIX.load(Ordering::Relaxed);
    Uid((u128::from(prefix) << 64) | u128::from(UID_NEXT.load(Ordering::Relaxed)))
}

struct Log(std::fs::File);

impl Log {
    fn line(&mut self, text: &str) {
        let _ = writeln!(self.0, "{text}");
        let _ = self.0.flush();
    }
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_default()
}

fn open_window(path: &Path) -> AppState {
    let mut state = AppState::new(|| {});
    state.new_uid = worker_uid;
    state.apply(Command::Open {
        path: path.to_path_buf(),
        options: ImportOptions::default(),
    });
    let started = Instant::now();
    while state.loading.is_some() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
        state.poll_loading();
    }
    state
}

#[test]
fn torture_window_worker() {
    if env(ROLE) != "window" {
        return;
    }
    let path = PathBuf::from(env("TORTURE_FILE"));
    let stop = PathBuf::from(env("TORTURE_STOP"));
    let full_flag = PathBuf::from(env("TORTURE_FULL_FLAG"));
    let deadline: u64 = env("TORTURE_DEADLINE").parse().unwrap_or(0);
    let seed: u64 = env("TORTURE_SEED").parse().unwrap_or(1);
    UID_PREFIX.store(seed | 1 << 40, Ordering::Relaxed);
    let mut rng = Rng(seed);
    let mut log = Log(std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(env("TORTURE_LOG"))
        .expect("log"));
    let mut state = open_window(&path);
    log.line(&format!("OPEN\t{}", state.error.as_deref().unwrap_or("ok")));
    let mut shown: HashSet<(Uid, u64)> = HashSet::new();
    note_shown(&state, &mut shown, &mut log);
    let mut limited = false;
    let mut stopping_since: Option<Instant> = None;
    loop {
        if stopping_since.is_none() && (stop.exists() || now_ms() > deadline) {
            stopping_since = Some(Instant::now());
        }
        // The injected full disk (where no tmpfs could be mounted).
        let full = full_flag.exists();
        if full != limited
            && let Some(store) = state.store.as_ref()
        {
            let pages = if full {
                rusqlite::Connection::open(&path)
                    .and_then(|c| c.query_row("PRAGMA page_count", [], |r| r.get(0)))
                    .unwrap_or(1)
            } else {
                u32::MAX
            };
            store.limit_pages_for_test(pages);
            limited = full;
        }
        if rng.below(3) == 0 {
            state.poll_store_now();
        } else {
            state.poll_store();
        }
        record_writes(&mut state, &mut log);
        note_shown(&state, &mut shown, &mut log);
        if let Some(error) = state.error.take() {
            log.line(&format!(
                "ERROR\t{}",
                error.lines().next().unwrap_or("").replace('\t', " ")
            ));
        }
        if state.store.as_ref().is_some_and(|s| s.detached().is_some()) {
            // What a user does when told: open the file again (unsaved changes go).
            log.line("DETACHED");
            state.apply(Command::ReopenProject);
            if state.pending_discard.is_some() {
                state.apply(Command::ConfirmDiscard(true));
            }
            while state.loading.is_some() {
                std::thread::sleep(Duration::from_millis(5));
                state.poll_loading();
            }
            note_shown(&state, &mut shown, &mut log);
            if limited && let Some(store) = state.store.as_ref() {
                store.limit_pages_for_test(1);
            }
            continue;
        }
        let settled = !state.saving.has_unsaved();
        if let Some(since) = stopping_since {
            // Finish: let the outbox drain and settle what is open, then end.
            if settled || since.elapsed() > Duration::from_secs(20) {
                log.line(&format!(
                    "END\t{}",
                    if settled { "settled" } else { "unsettled" }
                ));
                return;
            }
            resolve_one(&mut state, &mut rng, &mut log, true);
            std::thread::sleep(Duration::from_millis(100));
            continue;
        }
        if !resolve_one(&mut state, &mut rng, &mut log, false) {
            act(&mut state, &mut rng, &mut log);
        }
        record_writes(&mut state, &mut log);
        std::thread::sleep(Duration::from_millis(10 + rng.below(50)));
    }
}

/// Logs every value of a measure the window shows that it has not shown before.
fn note_shown(state: &AppState, shown: &mut HashSet<(Uid, u64)>, log: &mut Log) {
    let Some(map) = state.map.as_ref() else {
        return;
    };
    for m in map.measures.all() {
        let d = digest(m);
        if shown.insert((m.uid, d)) {
            log.line(&format!("SHOWN\t{}\t{d}", m.uid));
        }
    }
}

/// Logs what the file confirmed since the last look.
fn record_writes(state: &mut AppState, log: &mut Log) {
    let written = std::mem::take(&mut state.saving.written);
    let Some(map) = state.map.as_ref() else {
        return;
    };
    for (item, revision) in written {
        if let Item::Measure(uid) = item {
            let hash = map
                .measures
                .get(uid)
                .map_or("-".to_string(), |m| digest(m).to_string());
            log.line(&format!("SAVED\t{uid}\t{revision}\t{hash}"));
        }
    }
}

/// Settles the oldest conflict, if there is one; returns whether there was.
fn resolve_one(state: &mut AppState, rng: &mut Rng, log: &mut Log, mine_only: bool) -> bool {
    let Some(conflict) = state.saving.conflicts.first().cloned() else {
        return false;
    };
    let Item::Measure(uid) = conflict.item else {
        state.apply(Command::ResolveConflict(Resolution::Theirs));
        return true;
    };
    log.line(&format!("CONFLICT\t{uid}"));
    if let Some(ItemValue::Measure(t)) = &conflict.theirs {
        log.line(&format!("SHOWN\t{uid}\t{}", digest(t)));
    }
    let choice = if mine_only { 0 } else { rng.below(3) };
    let hash = |v: &Option<ItemValue>| match v {
        Some(ItemValue::Measure(m)) => digest(m).to_string(),
        _ => "-".to_string(),
    };
    match (choice, &conflict.mine, &conflict.theirs) {
        (0, mine, _) => {
            log.line(&format!("TRY\t{uid}\t{}", hash(mine)));
            state.apply(Command::ResolveConflict(Resolution::Mine));
        }
        (1, Some(ItemValue::Measure(m)), Some(ItemValue::Measure(t))) => {
            let picks = sozialraum_atlas::ui::conflict_dialog::initial_picks(
                &conflict,
                sozialraum_atlas::i18n::Lang::De,
            );
            let merged = sozialraum_atlas::ui::conflict_dialog::merged(m, t, &picks);
            log.line(&format!("TRY\t{uid}\t{}", digest(&merged)));
            state.apply(Command::ResolveConflict(Resolution::Merged(Box::new(
                merged,
            ))));
        }
        _ => state.apply(Command::ResolveConflict(Resolution::Theirs)),
    }
    true
}

/// One random change: add, edit, delete or undo, each logged before it is made.
fn act(state: &mut AppState, rng: &mut Rng, log: &mut Log) {
    let Some(map) = state.map.as_ref() else {
        return;
    };
    let pool: Vec<Measure> = map.measures.all().to_vec();
    let codes: Vec<String> = map.region.spaces.iter().map(|s| s.code.clone()).collect();
    let roll = rng.below(100);
    if roll < 35 || pool.is_empty() {
        let m = Measure {
            title: format!("F{}-{}", UID_PREFIX.load(Ordering::Relaxed), rng.next()),
            notes: format!("angelegt {}", rng.next()),
            areas: vec![codes[rng.below(codes.len() as u64) as usize].clone()],
            ..Measure::default()
        };
        log.line(&format!("TRY\t{}\t{}", peek_uid(), digest(&m)));
        state.apply(Command::Edit(Edit::AddMeasure(Box::new(m))));
    } else if roll < 78 {
        // Edits on a few measures most of the time: the writers clash on purpose.
        let k = if rng.below(2) == 0 {
            rng.below(pool.len().min(6) as u64)
        } else {
            rng.below(pool.len() as u64)
        } as usize;
        let mut m = pool[k].clone();
        m.notes = format!("geändert {}", rng.next());
        m.status = Status::ALL[rng.below(Status::ALL.len() as u64) as usize];
        if rng.below(3) == 0 {
            m.lead = format!("Stelle {}", rng.below(20));
        }
        log.line(&format!("TRY\t{}\t{}", m.uid, digest(&m)));
        state.apply(Command::Edit(Edit::UpdateMeasure(Box::new(m))));
    } else if roll < 88 {
        let m = &pool[rng.below(pool.len() as u64) as usize];
        log.line(&format!("TRY\t{}\t-", m.uid));
        log.line(&format!("DELTITLE\t{}\t{}", m.uid, m.title));
        state.apply(Command::Edit(Edit::DeleteMeasure(m.uid)));
    } else {
        // Undo: what it would write, logged first.
        let next = state.history.next_undo().cloned();
        if let Some(sozialraum_atlas::document::edit::Change::Measure { uid, before, .. }) = next {
            match &before {
                Some(m) => log.line(&format!("TRY\t{uid}\t{}", digest(m))),
                None => {
                    log.line(&format!("TRY\t{uid}\t-"));
                    if let Some(m) = state.map.as_ref().and_then(|m| m.measures.get(uid)) {
                        log.line(&format!("DELTITLE\t{uid}\t{}", m.title));
                    }
                }
            }
            state.apply(Command::Undo);
        }
    }
}

// ---- The run ------------------------------------------------------------------------

/// A small tmpfs for the project (so the disk can really fill), or None where mounting is
/// not allowed.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).ok()?;
        let ok = Process::new("mount")
            .args(["-t", "tmpfs", "-o", "size=48m", "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Process::new("umount").arg(&self.0).status();
    }
}

fn spawn_window(
    k: usize,
    generation: usize,
    path: &Path,
    logs: &Path,
    stop: &Path,
    full_flag: &Path,
    deadline: u64,
) -> Child {
    Process::new(std::env::current_exe().expect("exe"))
        .args([
            "--exact",
            "torture_window_worker",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ROLE, "window")
        .env("TORTURE_FILE", path)
        .env("TORTURE_LOG", logs.join(format!("w{k}-{generation}.log")))
        .env("TORTURE_STOP", stop)
        .env("TORTURE_FULL_FLAG", full_flag)
        .env("TORTURE_DEADLINE", deadline.to_string())
        .env("TORTURE_SEED", (1000 * k + generation + 7).to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("worker starts")
}

/// The imports a command-line loop ran: their titles and how each ended.
type CliRuns = Arc<Mutex<Vec<(Vec<String>, &'static str)>>>;

/// Command-line imports of a few rows each, one after the other until the deadline, each
/// recorded for the checks.
fn cli_loop(
    k: usize,
    path: PathBuf,
    lists: PathBuf,
    deadline: u64,
    running: Arc<Mutex<HashMap<usize, u32>>>,
    killed: Arc<Mutex<HashSet<u32>>>,
    out: CliRuns,
) {
    let mut n = 0;
    while now_ms() < deadline {
        n += 1;
        let rows = 3 + n % 6;
        let titles: Vec<String> = (0..rows).map(|i| format!("K{k}-{n}-{i}")).collect();
        let list = lists.join(format!("k{k}-{n}.csv"));
        let mut csv = String::from("Titel;Sozialräume\n");
        for t in &titles {
            csv.push_str(&format!("{t};AC {}\n", 1 + n % 14));
        }
        if std::fs::write(&list, csv).is_err() {
            continue;
        }
        let Ok(child) = Process::new(EXE)
            .args(["measures", "import"])
            .arg(&path)
            .arg(&list)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
        else {
            continue;
        };
        let pid = child.id();
        running.lock().expect("lock").insert(k, pid);
        let result = child.wait_with_output();
        running.lock().expect("lock").remove(&k);
        let status = match result {
            Ok(o) if o.status.success() => "saved",
            _ if killed.lock().expect("lock").contains(&pid) => "killed",
            Ok(o) if o.status.code() == Some(2) => "failed",
            _ => "killed",
        };
        out.lock().expect("lock").push((titles, status));
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Replaces the file while holding SQLite's exclusive lock, as a careful program would
/// (so no commit can go to the old file unnoticed): a copy renamed over it.
fn replace_file(path: &Path) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.busy_timeout(Duration::from_secs(30)).expect("busy");
    conn.execute_batch("BEGIN EXCLUSIVE").expect("lock");
    let copy = path.with_file_name("ersatz.gpkg");
    std::fs::copy(path, &copy).expect("copy");
    std::fs::rename(&copy, path).expect("rename");
    conn.execute_batch("ROLLBACK").expect("unlock");
}

/// Fills the disk the project lives on; returns the filler file.
fn fill_disk(dir: &Path) -> PathBuf {
    let filler = dir.join("fuellung.bin");
    if let Ok(mut f) = std::fs::File::create(&filler) {
        let block = vec![0u8; 1 << 20];
        while f.write_all(&block).is_ok() {}
        let mut small = vec![0u8; 4096];
        while f.write_all(&small).is_ok() {}
        small.truncate(1);
        while f.write_all(&small).is_ok() {}
        let _ = f.sync_all();
    }
    filler
}

/// A write a window process was told is in the file: the measure, its revision, and the
/// values the window had shown before it.
type ProcessWrite = (Uid, u64, Arc<HashSet<(Uid, String)>>);

/// Everything the writers logged.
#[derive(Default)]
struct Logs {
    tried: HashMap<Uid, HashSet<String>>,
    saved: Vec<(Uid, u64, String)>,
    deleted_titles: HashSet<String>,
    /// Per window process: its confirmed writes, in order.
    processes: Vec<Vec<ProcessWrite>>,
    conflicts: usize,
    detached: usize,
    errors: Vec<String>,
    ends: Vec<String>,
}

fn read_logs(dir: &Path) -> Logs {
    let mut logs = Logs::default();
    for entry in std::fs::read_dir(dir).expect("logs").flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let mut writes = Vec::new();
        let mut shown: Arc<HashSet<(Uid, String)>> = Arc::default();
        for line in text.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            let uid = f.get(1).and_then(|u| Uid::parse(u));
            if let (Some(uid), Some(field)) = (uid, f.get(2)) {
                match f[0] {
                    "SHOWN" => {
                        // Shared by the writes before it, copied only when it grows.
                        Arc::make_mut(&mut shown).insert((uid, field.to_string()));
                    }
                    "SAVED" => {
                        writes.push((uid, field.parse().unwrap_or(0), Arc::clone(&shown)));
                    }
                    _ => {}
                }
            }
            match (f[0], uid) {
                ("TRY", Some(uid)) => {
                    logs.tried
                        .entry(uid)
                        .or_default()
                        .insert(f.get(2).unwrap_or(&"").to_string());
                }
                ("SAVED", Some(uid)) => logs.saved.push((
                    uid,
                    f.get(2).and_then(|r| r.parse().ok()).unwrap_or(0),
                    f.get(3).unwrap_or(&"").to_string(),
                )),
                ("DELTITLE", _) => {
                    logs.deleted_titles
                        .insert(f.get(2).unwrap_or(&"").to_string());
                }
                ("CONFLICT", _) => logs.conflicts += 1,
                ("DETACHED", _) => logs.detached += 1,
                ("ERROR", _) => logs.errors.push(f.get(1).unwrap_or(&"").to_string()),
                ("END", _) => logs.ends.push(f.get(1).unwrap_or(&"").to_string()),
                _ => {}
            }
        }
        logs.processes.push(writes);
    }
    logs
}

#[test]
fn eight_writers_kills_a_replaced_file_and_a_full_disk_lose_nothing() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let seconds: u64 = std::env::var("TORTURE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let base = common::temp_dir("torture");
    let logs = base.join("logs");
    let lists = base.join("lists");
    std::fs::create_dir_all(&logs).expect("logs");
    std::fs::create_dir_all(&lists).expect("lists");
    let disk = base.join("disk");
    let tmpfs = Tmpfs::mount(&disk);
    if tmpfs.is_none() {
        std::fs::create_dir_all(&disk).expect("dir");
        eprintln!("note: no tmpfs could be mounted; the full disk is an injected write limit");
    }
    let path = disk.join("Projekt.gpkg");
    let demo =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("maps/staedteregion_aachen_demo.geojson");
    let status = Process::new(EXE)
        .args(["project", "new"])
        .arg(&demo)
        .arg("--out")
        .arg(&path)
        .stderr(Stdio::null())
        .status()
        .expect("runs");
    assert!(status.success());
    let stop = base.join("STOP");
    let full_flag = base.join("FULL");
    let started = Instant::now();
    let deadline = now_ms() + seconds * 1000;

    let mut windows: Vec<Child> = (0..4)
        .map(|k| spawn_window(k, 0, &path, &logs, &stop, &full_flag, deadline))
        .collect();
    let mut generations = [0usize; 4];
    let running = Arc::new(Mutex::new(HashMap::new()));
    let killed = Arc::new(Mutex::new(HashSet::new()));
    let cli_runs = Arc::new(Mutex::new(Vec::new()));
    let cli: Vec<_> = (0..4)
        .map(|k| {
            let (path, lists) = (path.clone(), lists.clone());
            let (running, killed, out) = (
                Arc::clone(&running),
                Arc::clone(&killed),
                Arc::clone(&cli_runs),
            );
            std::thread::spawn(move || cli_loop(k, path, lists, deadline, running, killed, out))
        })
        .collect();

    // Chaos until the deadline: kills, one replacement, one full disk.
    let mut rng = Rng(0x7077_0e57);
    let (mut kills, mut replaced, mut full_done) = (0, false, false);
    let replaced_flag = AtomicBool::new(false);
    while now_ms() < deadline {
        std::thread::sleep(Duration::from_millis(300 + rng.below(900)));
        let elapsed = started.elapsed().as_secs_f64() / seconds as f64;
        if !replaced && elapsed > 0.35 {
            replace_file(&path);
            replaced = true;
            replaced_flag.store(true, Ordering::Relaxed);
            eprintln!(
                "replaced the file at {:.1} s",
                started.elapsed().as_secs_f64()
            );
            continue;
        }
        if !full_done && elapsed > 0.6 {
            full_done = true;
            let filler = tmpfs.as_ref().map(|t| fill_disk(&t.0));
            if tmpfs.is_none() {
                // The windows limit their writes; the command line has no such hook.
                let _ = std::fs::write(&full_flag, b"1");
            }
            eprintln!("disk full at {:.1} s", started.elapsed().as_secs_f64());
            std::thread::sleep(Duration::from_millis(3000));
            if let Some(f) = filler {
                let _ = std::fs::remove_file(f);
            }
            let _ = std::fs::remove_file(&full_flag);
            continue;
        }
        if rng.below(2) == 0 {
            let k = rng.below(4) as usize;
            let _ = windows[k].kill();
            let _ = windows[k].wait();
            generations[k] += 1;
            windows[k] = spawn_window(k, generations[k], &path, &logs, &stop, &full_flag, deadline);
        } else if let Some(pid) = {
            let r = running.lock().expect("lock");
            let pids: Vec<u32> = r.values().copied().collect();
            (!pids.is_empty()).then(|| pids[rng.below(pids.len() as u64) as usize])
        } {
            killed.lock().expect("lock").insert(pid);
            let _ = Process::new("kill").args(["-9", &pid.to_string()]).status();
        }
        kills += 1;
    }
    std::fs::write(&stop, b"1").expect("stop");
    for t in cli {
        t.join().expect("cli loop");
    }
    for w in &mut windows {
        let end = Instant::now();
        loop {
            match w.try_wait() {
                Ok(Some(_)) => break,
                _ if end.elapsed() > Duration::from_secs(40) => {
                    let _ = w.kill();
                    let _ = w.wait();
                    break;
                }
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    // ---- The checks ----
    let conn = rusqlite::Connection::open(&path).expect("open");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(check, "ok");
    let revisions: HashMap<Uid, u64> = conn
        .prepare("SELECT uid, revision FROM massnahmen")
        .expect("sql")
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .expect("rows")
        .flatten()
        .filter_map(|(u, r)| Uid::parse(&u).map(|u| (u, r as u64)))
        .collect();
    drop(conn);
    let opened = project::open_to_read(&path, &ImportOptions::default(), &Progress::default())
        .expect("opens");
    let in_file: HashMap<Uid, &Measure> =
        opened.measures.all().iter().map(|m| (m.uid, m)).collect();
    let titles_in_file: HashSet<&str> = in_file.values().map(|m| m.title.as_str()).collect();
    let logs = read_logs(&logs);
    let cli_runs = cli_runs.lock().expect("lock").clone();

    // Nothing changed that no writer changed: every measure in the file is a value some
    // window tried to write, or a row of a command-line list.
    let cli_titles: HashSet<&str> = cli_runs
        .iter()
        .flat_map(|(t, _)| t.iter().map(String::as_str))
        .collect();
    for (uid, m) in &in_file {
        let tried = logs
            .tried
            .get(uid)
            .is_some_and(|h| h.contains(&digest(m).to_string()));
        let from_list = cli_titles.contains(m.title.as_str()) && m.notes.is_empty();
        assert!(
            tried || from_list,
            "{uid} ({}, revision {:?}) holds a value no writer wrote",
            m.title,
            revisions.get(uid)
        );
    }
    // The revision of each measure in the file; a deleted one has its tombstone's.
    let tombstones: HashMap<Uid, u64> = rusqlite::Connection::open(&path)
        .expect("open")
        .prepare("SELECT uid, revision FROM massnahmen_geloescht")
        .expect("sql")
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .expect("rows")
        .flatten()
        .filter_map(|(u, r)| Uid::parse(&u).map(|u| (u, r as u64)))
        .collect();
    let file_revision = |uid: &Uid| {
        revisions
            .get(uid)
            .or_else(|| tombstones.get(uid))
            .copied()
            .unwrap_or(0)
    };
    // No silent overwrite: a revision of a measure is written by one writer only (revisions
    // never repeat, deletions included).
    let mut claims: HashMap<(Uid, u64), &str> = HashMap::new();
    for (uid, revision, hash) in &logs.saved {
        if *revision == 0 {
            continue;
        }
        if let Some(other) = claims.insert((*uid, *revision), hash) {
            assert_eq!(
                other, hash,
                "two writers were told they wrote revision {revision} of {uid}"
            );
        }
    }
    // Every change reported as saved is there, or a later change of the same measure is.
    let mut lost = 0;
    for (uid, revision, hash) in &logs.saved {
        let now = file_revision(uid);
        if now < *revision {
            lost += 1;
            eprintln!("lost: {uid} saved at revision {revision}, the file has {now}");
        } else if now == *revision {
            match in_file.get(uid) {
                Some(m) => assert_eq!(&digest(m).to_string(), hash, "{uid} rev {revision}"),
                None => assert_eq!(hash, "-", "{uid} rev {revision} deleted unseen"),
            }
        }
    }
    assert_eq!(lost, 0, "changes reported as saved are missing");
    // No window wrote over a value it never had: the value at the revision before each
    // confirmed write (where a window's confirmation says what it was) was shown in that
    // window before. A revision claimed by two windows (the same value written twice, the
    // second told it is there) is left out: which of them wrote it is not known.
    let mut claimed: HashMap<(Uid, u64), usize> = HashMap::new();
    for (uid, revision, _) in &logs.saved {
        *claimed.entry((*uid, *revision)).or_default() += 1;
    }
    let (mut checked, mut unseen) = (0, Vec::new());
    for writes in &logs.processes {
        for (uid, revision, shown) in writes {
            if *revision < 2 || claimed.get(&(*uid, *revision)) != Some(&1) {
                continue;
            }
            let Some(before) = claims.get(&(*uid, revision - 1)) else {
                continue;
            };
            if *before == "-" {
                continue;
            }
            checked += 1;
            if !shown.contains(&(*uid, before.to_string())) {
                unseen.push(format!("{uid} revision {revision}"));
            }
        }
    }
    assert!(
        unseen.is_empty(),
        "writes over a value the window never had ({} of {checked}): {unseen:?}",
        unseen.len()
    );
    // Command-line imports: all or nothing; a reported failure left nothing.
    let mut cli_saved = 0;
    for (titles, status) in &cli_runs {
        let present = titles
            .iter()
            .filter(|t| titles_in_file.contains(t.as_str()) || logs.deleted_titles.contains(*t))
            .count();
        let in_file_now = titles
            .iter()
            .filter(|t| titles_in_file.contains(t.as_str()))
            .count();
        match *status {
            "saved" => {
                assert_eq!(
                    present,
                    titles.len(),
                    "a confirmed import lost rows: {titles:?}"
                );
                cli_saved += titles.len();
            }
            "failed" => assert_eq!(in_file_now, 0, "a failed import left rows: {titles:?}"),
            _ => assert!(
                in_file_now == 0 || present == titles.len(),
                "a killed import left a part: {titles:?}"
            ),
        }
    }
    let saved_adds = logs.saved.iter().filter(|(_, r, _)| *r == 1).count();
    eprintln!(
        "torture, {seconds} s: {} measures in the file; windows: {} writes confirmed \
         ({saved_adds} new), {} conflicts shown, {} times the replaced file noticed, {} write \
         errors told; command line: {} imports ({} confirmed, {cli_saved} rows; {} failed, {} \
         killed); {kills} kills; lost 0; {checked} writes checked against what their window \
         had shown, none over an unseen value; integrity ok; {}",
        in_file.len(),
        logs.saved.len(),
        logs.conflicts,
        logs.detached,
        logs.errors.len(),
        cli_runs.len(),
        cli_runs.iter().filter(|(_, s)| *s == "saved").count(),
        cli_runs.iter().filter(|(_, s)| *s == "failed").count(),
        cli_runs.iter().filter(|(_, s)| *s == "killed").count(),
        if tmpfs.is_some() {
            "full disk: tmpfs"
        } else {
            "full disk: injected"
        },
    );
    assert!(logs.conflicts > 0, "the writers clashed and were shown it");
    assert!(replaced_flag.load(Ordering::Relaxed));
    assert!(logs.detached > 0, "the replaced file was noticed");
    assert!(!logs.saved.is_empty() && cli_saved > 0);
}
