//! One project file, several writers: windows (app states driven without a display), the
//! command line, another program holding the lock, a file replaced or moved while open, a
//! full disk. Counted every time: what was reported as saved is in the file, nothing was
//! overwritten that another writer wrote, every clash was shown.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

use common::{TestFile, full_measure, temp_dir};
use sozialraum_atlas::app::{AppState, Command};
use sozialraum_atlas::document::edit::Edit;
use sozialraum_atlas::io::ImportOptions;
use sozialraum_atlas::io::store::Resolution;
use sozialraum_atlas::io::store::{
    Foreign, Item, ItemValue, LateConflict, Outcome, ProjectContent, ReadOnlyReason, Store,
    StoreError, Why,
};
use sozialraum_atlas::model::Region;
use sozialraum_atlas::model::{Measure, Status};

const EXE: &str = env!("CARGO_BIN_EXE_sozialraum-atlas");

fn wait(state: &mut AppState) {
    let started = Instant::now();
    while state.loading.is_some() {
        assert!(started.elapsed() < Duration::from_secs(60), "load hangs");
        std::thread::sleep(Duration::from_millis(5));
        state.poll_loading();
    }
}

fn open(path: &Path) -> AppState {
    let mut state = AppState::new(|| {});
    state.apply(Command::Open {
        path: path.to_path_buf(),
        options: ImportOptions::default(),
    });
    wait(&mut state);
    assert!(state.error.is_none(), "{:?}", state.error);
    assert!(state.store.is_some());
    state
}

/// The demo saved as a project in a folder of its own (removed with the returned value).
fn demo_project(name: &str) -> TestFile {
    let path = temp_dir(name).file("Projekt.gpkg");
    let mut state = AppState::new(|| {});
    state.apply(Command::OpenDemo);
    state.apply(Command::SaveProjectAs(path.to_path_buf()));
    assert!(state.error.is_none(), "{:?}", state.error);
    path
}

fn measure(title: &str, code: &str) -> Measure {
    Measure {
        title: title.into(),
        areas: vec![code.into()],
        ..Measure::default()
    }
}

fn add(state: &mut AppState, title: &str) {
    state.apply(Command::Edit(Edit::AddMeasure(Box::new(measure(
        title, "AC 3",
    )))));
}

/// The titles in the file, read by a fresh reader.
fn titles_in_file(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let mut stmt = conn
        .prepare("SELECT titel FROM massnahmen ORDER BY id")
        .expect("sql");
    stmt.query_map([], |r| r.get(0))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect()
}

fn titles(state: &AppState) -> Vec<String> {
    let mut t: Vec<String> = state
        .map
        .as_ref()
        .expect("map")
        .measures
        .all()
        .iter()
        .map(|m| m.title.clone())
        .collect();
    t.sort();
    t
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn unsaved(state: &AppState) -> usize {
    state.saving.outbox().len()
}

fn integrity(path: &Path) -> String {
    rusqlite::Connection::open(path)
        .expect("open")
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check")
}

/// `measures import PROJECT LIST` on the command line: exit code and what it said.
fn import_list(project: &Path, entries: &Path) -> (Option<i32>, String) {
    let out = Process::new(EXE)
        .args(["measures", "import"])
        .arg(project)
        .arg(entries)
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A list of measures as German Excel writes it.
fn list(dir: &Path, name: &str, rows: usize) -> PathBuf {
    let path = dir.join(format!("{name}.csv"));
    let mut csv = String::from("Titel;Sozialräume;Status\n");
    for k in 0..rows {
        csv.push_str(&format!("{name} {k};AC {};geplant\n", 1 + k % 14));
    }
    std::fs::write(&path, csv).expect("list");
    path
}

#[test]
fn two_windows_on_one_file_see_each_others_measures_and_never_take_the_same_number() {
    let path = demo_project("two-windows");
    let mut a = open(&path);
    let mut b = open(&path);
    for k in 0..3 {
        add(&mut a, &format!("A {k}"));
        b.poll_store_now();
        add(&mut b, &format!("B {k}"));
        a.poll_store_now();
    }
    for s in [&a, &b] {
        assert!(s.error.is_none(), "{:?}", s.error);
        assert_eq!(unsaved(s), 0);
    }
    let expected = sorted(vec![
        "A 0".into(),
        "A 1".into(),
        "A 2".into(),
        "B 0".into(),
        "B 1".into(),
        "B 2".into(),
    ]);
    assert_eq!(sorted(titles_in_file(&path)), expected);
    a.poll_store_now();
    assert_eq!(titles(&a), expected, "A sees B's measures");
    assert_eq!(titles(&b), expected, "B sees A's measures");
    let mut numbers: Vec<i64> = a
        .map
        .as_ref()
        .expect("map")
        .measures
        .all()
        .iter()
        .map(|m| m.id)
        .collect();
    numbers.sort();
    assert_eq!(
        numbers,
        [1, 2, 3, 4, 5, 6],
        "the file numbered them, no number twice"
    );
    // Undo in B removes only B's last measure; A's stay.
    b.apply(Command::Undo);
    assert!(b.error.is_none(), "{:?}", b.error);
    let left = titles_in_file(&path);
    assert_eq!(left.len(), 5);
    assert!(!left.contains(&"B 2".to_string()));
    assert!(left.contains(&"A 2".to_string()));
}

#[test]
fn others_commits_arrive_by_themselves_within_two_seconds() {
    let path = demo_project("arrive");
    let mut a = open(&path);
    let mut b = open(&path);
    // B runs frames (every 20 ms, as an idle window repaints at least once a second); A
    // saves at moments that fall anywhere in B's one-second rhythm.
    let mut waits = Vec::new();
    for k in 0..8u64 {
        b.poll_store();
        std::thread::sleep(Duration::from_millis(137 * k % 1000));
        add(&mut a, &format!("Sprachcafé {k}"));
        let started = Instant::now();
        while titles(&b).len() < k as usize + 1 {
            assert!(started.elapsed() < Duration::from_secs(2), "not seen");
            std::thread::sleep(Duration::from_millis(20));
            b.poll_store();
        }
        waits.push(started.elapsed().as_millis());
    }
    waits.sort();
    eprintln!(
        "seen by the other window after {} ms (median), {} ms (slowest of 8)",
        waits[waits.len() / 2],
        waits[waits.len() - 1]
    );
    assert!(
        b.notice
            .as_deref()
            .is_some_and(|n| n.contains("anderer Stelle"))
    );
}

#[test]
fn the_window_keeps_what_the_command_line_added_and_a_locked_moment_costs_nothing() {
    let path = demo_project("window-and-cli");
    let dir = path.parent().expect("dir").to_path_buf();
    let mut window = open(&path);
    add(&mut window, "Fenster 1");
    let out = Process::new(EXE)
        .args(["measures", "import"])
        .arg(&path)
        .arg(list(&dir, "Liste", 10))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Another program holds the write lock for longer than the window waits.
    let other = rusqlite::Connection::open(&path).expect("open");
    other.execute_batch("BEGIN IMMEDIATE").expect("lock");
    add(&mut window, "Fenster 2");
    let error = window.error.take().expect("the failed write is told");
    assert!(error.contains("gesperrt"), "{error}");
    assert_eq!(unsaved(&window), 1, "kept as unsaved");
    assert!(window.has_unsaved(), "quitting would ask");
    other.execute_batch("ROLLBACK").expect("unlock");
    drop(other);
    // The retry writes that one change, nothing else.
    std::thread::sleep(Duration::from_millis(2100));
    window.poll_store();
    assert_eq!(unsaved(&window), 0, "{:?}", window.error);
    let in_file = titles_in_file(&path);
    assert_eq!(in_file.len(), 12, "{in_file:?}");
    assert!(in_file.contains(&"Fenster 2".to_string()));
    assert!(in_file.contains(&"Liste 9".to_string()));
    window.poll_store_now();
    assert_eq!(titles(&window).len(), 12, "the window shows the list too");
    assert_eq!(integrity(&path), "ok");
}

#[test]
fn four_command_line_imports_at_once_report_exactly_what_they_committed() {
    let path = demo_project("four-imports");
    let dir = path.parent().expect("dir").to_path_buf();
    let children: Vec<_> = (0..4)
        .map(|k| {
            Process::new(EXE)
                .args(["measures", "import"])
                .arg(&path)
                .arg(list(&dir, &format!("Liste{k}"), 20))
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawns")
        })
        .collect();
    let mut reported = 0;
    for child in children {
        let out = child.wait_with_output().expect("ends");
        let text = String::from_utf8_lossy(&out.stderr).into_owned();
        match out.status.code() {
            Some(0) => {
                assert!(text.contains("20 Maßnahmen übernommen"), "{text}");
                reported += 20;
            }
            Some(2) => assert!(text.contains("Keine der 20"), "{text}"),
            other => panic!("exit {other:?}: {text}"),
        }
    }
    let present = titles_in_file(&path).len();
    assert_eq!(present, reported, "reported saved = present");
    assert_eq!(present, 80, "with a lock wait of 15 s all four get through");
    assert_eq!(integrity(&path), "ok");
}

#[test]
fn a_clash_on_one_measure_is_shown_per_field_and_both_sides_are_kept() {
    let path = demo_project("clash");
    let mut a = open(&path);
    let mut b = open(&path);
    a.apply(Command::Edit(Edit::AddMeasure(Box::new(full_measure()))));
    b.poll_store_now();
    let original = a.map.as_ref().expect("map").measures.all()[0].clone();
    // A changes the title; B, who has not looked yet, the status.
    let mut mine_a = original.clone();
    mine_a.title = "Quartiersbüro – neu".into();
    a.apply(Command::Edit(Edit::UpdateMeasure(Box::new(mine_a))));
    let mut mine_b = original.clone();
    mine_b.status = Status::Done;
    b.apply(Command::Edit(Edit::UpdateMeasure(Box::new(mine_b))));
    assert!(b.error.is_none(), "{:?}", b.error);
    let conflict = b.saving.conflicts[0].clone();
    assert_eq!(conflict.item, Item::Measure(original.uid));
    let value = |v: &Option<ItemValue>| match v {
        Some(ItemValue::Measure(m)) => (m.title.clone(), m.status),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        value(&conflict.base),
        (original.title.clone(), original.status)
    );
    assert_eq!(
        value(&conflict.theirs),
        ("Quartiersbüro – neu".into(), original.status)
    );
    assert_eq!(
        value(&conflict.mine),
        (original.title.clone(), Status::Done)
    );
    assert!(b.has_unsaved(), "an open conflict is unsaved");
    // Nothing of A's was overwritten meanwhile.
    assert_eq!(titles_in_file(&path), ["Quartiersbüro – neu"]);
    // B takes each side's change.
    let picks = sozialraum_atlas::ui::conflict_dialog::initial_picks(
        &conflict,
        sozialraum_atlas::i18n::Lang::De,
    );
    let (Some(ItemValue::Measure(m)), Some(ItemValue::Measure(t))) =
        (&conflict.mine, &conflict.theirs)
    else {
        panic!()
    };
    let merged = sozialraum_atlas::ui::conflict_dialog::merged(m, t, &picks);
    b.apply(Command::ResolveConflict(Resolution::Merged(Box::new(
        merged,
    ))));
    assert!(b.error.is_none(), "{:?}", b.error);
    assert!(!b.has_unsaved());
    let conn = rusqlite::Connection::open(&path).expect("open");
    let (title, status): (String, String) = conn
        .query_row("SELECT titel, status FROM massnahmen", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("row");
    assert_eq!(
        (title.as_str(), status.as_str()),
        ("Quartiersbüro – neu", "abgeschlossen")
    );
}

#[test]
fn a_form_left_open_while_another_window_saves_becomes_a_conflict_not_an_overwrite() {
    let path = demo_project("open-form");
    let mut a = open(&path);
    let mut b = open(&path);
    add(&mut a, "Familienzentrum");
    b.poll_store_now();
    let uid = b.map.as_ref().expect("map").measures.all()[0].uid;
    b.apply(Command::EditMeasure(uid));
    let mut draft = b.measure_form.as_ref().expect("form open").opened.clone();
    // Meanwhile A renames it, and B's window takes that in.
    let mut renamed = a.map.as_ref().expect("map").measures.all()[0].clone();
    renamed.title = "Familienzentrum Nord".into();
    a.apply(Command::Edit(Edit::UpdateMeasure(Box::new(renamed))));
    b.poll_store_now();
    assert!(
        b.measure_form.as_ref().is_some_and(|f| f.changed_elsewhere),
        "the form is told"
    );
    draft.notes = "Raum im Pfarrheim".into();
    b.apply(Command::Edit(Edit::UpdateMeasure(Box::new(draft))));
    assert_eq!(b.saving.conflicts.len(), 1);
    assert_eq!(
        titles_in_file(&path),
        ["Familienzentrum Nord"],
        "A's title stays"
    );
    b.apply(Command::ResolveConflict(Resolution::Theirs));
    assert_eq!(titles(&b), ["Familienzentrum Nord"]);
    assert!(!b.has_unsaved());
}

/// Windows A and B on `path`: A adds a measure, both change its notes (A to "A1", B, not
/// having looked again, to "B1"): B is shown the clash. Returns A, B and the measure as it was.
fn clash_over_notes(path: &Path) -> (AppState, AppState, Measure) {
    let mut a = open(path);
    let mut b = open(path);
    add(&mut a, "Familienzentrum");
    b.poll_store_now();
    let original = b.map.as_ref().expect("map").measures.all()[0].clone();
    let mut a1 = original.clone();
    a1.notes = "A1".into();
    a.apply(Command::Edit(Edit::UpdateMeasure(Box::new(a1))));
    let mut b1 = original.clone();
    b1.notes = "B1".into();
    b.apply(Command::Edit(Edit::UpdateMeasure(Box::new(b1))));
    assert_eq!(b.saving.conflicts.len(), 1, "B's change clashes with A1");
    (a, b, original)
}

#[test]
fn taking_theirs_in_a_conflict_the_file_has_moved_past_since_hides_nothing() {
    // B clashes with A's first change; before B answers, A changes the measure again and
    // B's window looks at the file (the measure stays as it was on B's screen: it is in the
    // conflict). B takes A's first value. B's next change must not silently replace A's
    // second one, which B has never seen: B sees it, or is shown it in a conflict.
    let path = demo_project("theirs-moved-on");
    let (mut a, mut b, _) = clash_over_notes(&path);
    let mut a2 = a.map.as_ref().expect("map").measures.all()[0].clone();
    a2.notes = "A2".into();
    a.apply(Command::Edit(Edit::UpdateMeasure(Box::new(a2))));
    b.poll_store_now();
    b.apply(Command::ResolveConflict(Resolution::Theirs));
    b.poll_store_now();
    let notes = |s: &AppState| s.map.as_ref().expect("map").measures.all()[0].notes.clone();
    let shown_a2 = notes(&b) == "A2";
    let mut b2 = b.map.as_ref().expect("map").measures.all()[0].clone();
    b2.notes = "B2".into();
    b.apply(Command::Edit(Edit::UpdateMeasure(Box::new(b2))));
    let clashed_on_a2 = b
        .saving
        .conflicts
        .iter()
        .any(|c| matches!(&c.theirs, Some(ItemValue::Measure(m)) if m.notes == "A2"));
    assert!(
        shown_a2 || clashed_on_a2,
        "B replaced A2 without ever seeing it (B shows {:?}, conflicts {})",
        notes(&b),
        b.saving.conflicts.len()
    );
}

/// A store that, on its next look, also reports the conflicts it was given, as a shared
/// register does when the server had a newer value; it notes the answers it gets.
#[derive(Debug)]
struct Reporting {
    inner: Box<dyn Store>,
    late: Vec<LateConflict>,
    answers: Answers,
}

type Answers = std::sync::Arc<std::sync::Mutex<Vec<(Item, bool)>>>;

impl Store for Reporting {
    fn file(&self) -> Option<&Path> {
        self.inner.file()
    }
    fn location(&self) -> String {
        self.inner.location()
    }
    fn read_only(&self) -> Option<ReadOnlyReason> {
        self.inner.read_only()
    }
    fn detached(&self) -> Option<&Why> {
        self.inner.detached()
    }
    fn locked_at_open(&self) -> bool {
        self.inner.locked_at_open()
    }
    fn project_id(&self) -> &str {
        self.inner.project_id()
    }
    fn known(&self, item: &Item) -> u64 {
        self.inner.known(item)
    }
    fn learn(&mut self, written: &[(Item, u64)]) {
        self.inner.learn(written);
    }
    fn shown_at(&mut self, item: &Item, revision: u64) {
        self.inner.shown_at(item, revision);
    }
    fn derived_stale(&self) -> bool {
        self.inner.derived_stale()
    }
    fn write_with_progress(
        &mut self,
        items: &[(Item, u64)],
        content: &ProjectContent<'_>,
        progress: Option<&mut dyn FnMut(usize)>,
    ) -> Result<Vec<Outcome>, StoreError> {
        self.inner.write_with_progress(items, content, progress)
    }
    fn poll(&mut self, region: &Region) -> Result<Option<Foreign>, StoreError> {
        let mut found = self.inner.poll(region)?.unwrap_or_default();
        found.conflicts.append(&mut self.late);
        Ok((!found.changed.is_empty() || !found.conflicts.is_empty()).then_some(found))
    }
    fn second(&self, lock_wait: Duration) -> Result<Box<dyn Store>, StoreError> {
        self.inner.second(lock_wait)
    }
    fn set_lock_wait(&self, wait: Duration) {
        self.inner.set_lock_wait(wait);
    }
    fn settle(&mut self, item: &Item, took_theirs: bool, _revision: u64) {
        self.answers
            .lock()
            .expect("answers")
            .push((item.clone(), took_theirs));
    }
    fn limit_pages_for_test(&self, pages: u32) {
        self.inner.limit_pages_for_test(pages);
    }
}

#[test]
fn a_clash_reported_late_on_a_measure_already_in_a_conflict_waits_and_is_shown_after() {
    let path = demo_project("late-behind");
    let (_a, mut b, original) = clash_over_notes(&path);
    // Meanwhile the shared store reports that the server holds yet another value.
    let item = Item::Measure(original.uid);
    let mut server = original.clone();
    server.notes = "vom Server".into();
    let answers = Answers::default();
    let inner = b.store.take().expect("store");
    b.store = Some(Box::new(Reporting {
        inner,
        late: vec![LateConflict {
            item: item.clone(),
            base: None,
            theirs: Some(ItemValue::Measure(Box::new(server))),
            revision: 0,
        }],
        answers: std::sync::Arc::clone(&answers),
    }));
    b.poll_store_now();
    assert_eq!(
        b.saving.conflicts.len(),
        1,
        "one conflict at a time per measure"
    );
    // Settling the clash with the file answers nothing the store held back …
    b.apply(Command::ResolveConflict(Resolution::Mine));
    assert!(answers.lock().expect("answers").is_empty());
    // … and the store's conflict comes now, with B's value as "mine" and the revision now.
    let shown = b
        .saving
        .conflicts
        .first()
        .cloned()
        .expect("the late conflict is shown");
    let notes = |v: &Option<ItemValue>| match v {
        Some(ItemValue::Measure(m)) => m.notes.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(notes(&shown.theirs), "vom Server");
    assert_eq!(notes(&shown.mine), "B1");
    assert_eq!(
        shown.theirs_revision,
        b.store.as_ref().expect("store").known(&item)
    );
    assert!(shown.theirs_revision > 0);
    b.apply(Command::ResolveConflict(Resolution::Theirs));
    assert_eq!(*answers.lock().expect("answers"), [(item, true)]);
}

#[test]
fn undo_refuses_a_step_another_window_changed_since() {
    let path = demo_project("undo-refused");
    let mut a = open(&path);
    let mut b = open(&path);
    add(&mut a, "Seniorentreff");
    b.poll_store_now();
    let mut changed = b.map.as_ref().expect("map").measures.all()[0].clone();
    changed.status = Status::Planned;
    b.apply(Command::Edit(Edit::UpdateMeasure(Box::new(changed))));
    a.poll_store_now();
    a.apply(Command::Undo);
    let error = a.error.take().expect("refused");
    assert!(error.contains("Rückgängig nicht möglich"), "{error}");
    assert_eq!(
        titles_in_file(&path),
        ["Seniorentreff"],
        "B's measure stays"
    );
    let conn = rusqlite::Connection::open(&path).expect("open");
    let status: String = conn
        .query_row("SELECT status FROM massnahmen", [], |r| r.get(0))
        .expect("row");
    assert_eq!(status, "geplant", "B's change stays");
}

#[test]
fn a_file_copied_over_the_open_one_stops_writing_and_reopening_shows_it() {
    let path = demo_project("replaced-cp");
    let other = demo_project("replaced-other");
    {
        let mut o = open(&other);
        add(&mut o, "aus der anderen Datei");
    }
    let mut window = open(&path);
    add(&mut window, "vorher");
    // `cp` writes into the same file (same inode).
    std::fs::copy(&other, &path).expect("cp");
    let before = std::fs::read(&path).expect("read");
    add(&mut window, "nachher");
    let error = window.error.take().expect("told");
    assert!(error.contains("andere Datei"), "{error}");
    assert!(error.contains("Speichern unter"), "{error}");
    assert_eq!(std::fs::read(&path).expect("read"), before, "not written");
    assert!(window.has_unsaved());
    // Reopening asks first, then shows the file as it is now.
    window.apply(Command::ReopenProject);
    assert!(
        window.pending_discard.is_some(),
        "asks about the unsaved change"
    );
    window.apply(Command::ConfirmDiscard(true));
    wait(&mut window);
    assert_eq!(titles(&window), ["aus der anderen Datei"]);
}

#[test]
fn a_file_renamed_over_the_open_one_or_moved_away_is_noticed_before_the_next_write() {
    let path = demo_project("replaced-mv");
    let mut window = open(&path);
    add(&mut window, "eins");
    // Saved elsewhere and renamed over it (a new inode, the same project id).
    let copy = path.with_file_name("neu.gpkg");
    std::fs::copy(&path, &copy).expect("copy");
    std::fs::rename(&copy, &path).expect("mv");
    add(&mut window, "zwei");
    let error = window.error.take().expect("told");
    assert!(error.contains("andere Datei"), "{error}");
    assert_eq!(titles_in_file(&path), ["eins"]);
    // Moved away: named as moved.
    let mut second = open(&path);
    std::fs::rename(&path, path.with_file_name("verschoben.gpkg")).expect("mv");
    add(&mut second, "drei");
    let error = second.error.take().expect("told");
    assert!(error.contains("nicht mehr da"), "{error}");
    assert!(!error.contains("schreibgeschützt"), "{error}");
}

#[test]
fn a_full_disk_keeps_the_change_unsaved_and_recovery_needs_only_its_own_space() {
    let path = demo_project("full-disk");
    let mut window = open(&path);
    let conn = rusqlite::Connection::open(&path).expect("open");
    let pages: u32 = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .expect("pages");
    let page_size: u32 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .expect("size");
    drop(conn);
    let limit = |s: &AppState, n: u32| s.store.as_ref().expect("store").limit_pages_for_test(n);
    limit(&window, pages);
    let mut big = full_measure();
    big.description = "Langer Text ".repeat(1_500);
    window.apply(Command::Edit(Edit::AddMeasure(Box::new(big))));
    let error = window.error.take().expect("told");
    assert!(error.contains("Datenträger voll"), "{error}");
    assert!(error.contains("nicht gespeichert"), "{error}");
    assert_eq!(unsaved(&window), 1);
    assert_eq!(
        window.unsaved_items(),
        ["Maßnahme „Quartiersbüro „Mühle“ – Öffnung“"],
        "the quit question lists it"
    );
    assert!(titles_in_file(&path).is_empty());
    // Room for a few pages more than the file had: enough for this one change, far less
    // than the file (a rewrite of everything would need its whole size again).
    let spare = 8;
    assert!(
        spare * page_size < pages * page_size / 4,
        "the test needs a file larger than the change"
    );
    limit(&window, pages + spare);
    std::thread::sleep(Duration::from_millis(2100));
    window.poll_store();
    assert_eq!(unsaved(&window), 0, "{:?}", window.error);
    assert_eq!(titles_in_file(&path).len(), 1);
    assert!(
        window
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("wieder gespeichert")),
        "{:?}",
        window.notice
    );
}

/// Runs the command line as user nobody when the tests run as root (root writes anywhere).
fn as_nobody(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let is_root = Process::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if is_root {
        Process::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(EXE)
            .args(args)
            .output()
            .expect("setpriv runs")
    } else {
        Process::new(EXE).args(args).output().expect("runs")
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_a_read_only_file_and_a_damaged_file_are_told_apart() {
    use std::os::unix::fs::PermissionsExt;
    let source = demo_project("told-apart");
    let root = temp_dir("told-apart-cases");
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let entries = root.join("Liste.csv");
    std::fs::write(&entries, "Titel;Sozialräume\nStadtteilmütter;AC 3\n").expect("list");
    std::fs::set_permissions(&entries, std::fs::Permissions::from_mode(0o644)).expect("chmod");

    // A writable file in a folder nobody may write to.
    let folder = root.join("Ordner ohne Schreibrecht");
    std::fs::create_dir(&folder).expect("dir");
    let in_folder = folder.join("Projekt.gpkg");
    std::fs::copy(&source, &in_folder).expect("copy");
    std::fs::set_permissions(&in_folder, std::fs::Permissions::from_mode(0o666)).expect("chmod");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    // A write-protected file in a folder anyone may write to.
    let open_folder = root.join("offen");
    std::fs::create_dir(&open_folder).expect("dir");
    std::fs::set_permissions(&open_folder, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let protected = open_folder.join("Projekt.gpkg");
    std::fs::copy(&source, &protected).expect("copy");
    std::fs::set_permissions(&protected, std::fs::Permissions::from_mode(0o444)).expect("chmod");

    let import = |project: &Path| {
        let out = as_nobody(&[
            "measures".as_ref(),
            "import".as_ref(),
            project.as_os_str(),
            entries.as_os_str(),
        ]);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, text) = import(&in_folder);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("Ordner ist schreibgeschützt"), "{text}");
    let (code, text) = import(&protected);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("Datei ist schreibgeschützt"), "{text}");
    assert!(!text.contains("Ordner"), "{text}");

    // Truncated: named as damaged, not as "no project"; the file stays as it was.
    let truncated = open_folder.join("abgeschnitten.gpkg");
    let bytes = std::fs::read(&source).expect("read");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
    let before = std::fs::read(&truncated).expect("read");
    let (code, text) = import_list(&truncated, &entries);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("beschädigt"), "{text}");
    assert!(!text.contains("keine Projektdatei"), "{text}");
    assert_eq!(std::fs::read(&truncated).expect("read"), before);
}

#[test]
fn a_project_that_fails_the_quick_check_opens_read_only_and_is_never_written() {
    let path = demo_project("quick-check");
    {
        // Garble the middle of a table page but keep the header: SQLite still opens it.
        let conn = rusqlite::Connection::open(&path).expect("open");
        let page_size: i64 = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .expect("size");
        let root: i64 = conn
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'sozialraeume'",
                [],
                |r| r.get(0),
            )
            .expect("root");
        drop(conn);
        let mut bytes = std::fs::read(&path).expect("read");
        let at = ((root - 1) * page_size + 20) as usize;
        for b in &mut bytes[at..at + 40] {
            *b = 0xee;
        }
        std::fs::write(&path, bytes).expect("write");
    }
    let before = std::fs::read(&path).expect("read");
    let mut state = AppState::new(|| {});
    state.apply(Command::OpenDemo);
    state.apply(Command::Open {
        path: path.to_path_buf(),
        options: ImportOptions::default(),
    });
    wait(&mut state);
    let told = state
        .error
        .clone()
        .or_else(|| state.notice.clone())
        .expect("told");
    assert!(told.contains("beschädigt"), "{told}");
    if state.store.is_some() {
        state.error = None;
        add(&mut state, "darf nicht hinein");
        let error = state.error.clone().expect("refused");
        assert!(error.contains("nur zum Lesen"), "{error}");
    }
    assert_eq!(std::fs::read(&path).expect("read"), before, "never written");
}

#[test]
fn a_format_1_project_becomes_format_2_and_keeps_its_measures_and_numbers() {
    let dir = temp_dir("format-1");
    let path = dir.join("alt.gpkg");
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/project/three_areas.gpkg"),
        &path,
    )
    .expect("copy");
    let mut state = open(&path);
    let numbers: Vec<i64> = state
        .map
        .as_ref()
        .expect("map")
        .measures
        .all()
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(numbers, [1, 2, 3]);
    let code = state.map.as_ref().expect("map").region.spaces[0]
        .code
        .clone();
    state.apply(Command::Edit(Edit::AddMeasure(Box::new(measure(
        "neu", &code,
    )))));
    assert!(state.error.is_none(), "{:?}", state.error);
    let reopened = open(&path);
    let map = reopened.map.as_ref().expect("map");
    let numbers: Vec<i64> = map.measures.all().iter().map(|m| m.id).collect();
    assert_eq!(
        numbers,
        [1, 2, 3, 4],
        "numbers kept, the next one continues"
    );
    let conn = rusqlite::Connection::open(&path).expect("open");
    let format: String = conn
        .query_row(
            "SELECT value FROM atlas_projekt WHERE key = 'format_version'",
            [],
            |r| r.get(0),
        )
        .expect("format");
    assert_eq!(format, "2");
    assert_eq!(integrity(&path), "ok");
}

#[test]
fn exporting_a_project_never_writes_to_it() {
    let dir = temp_dir("export-reads");
    let path = dir.join("alt.gpkg");
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/project/three_areas.gpkg"),
        &path,
    )
    .expect("copy");
    let before = std::fs::read(&path).expect("read");
    let out = Process::new(EXE)
        .args(["measures", "export"])
        .arg(&path)
        .arg(dir.join("liste.csv"))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

fn wait_for_import(state: &mut AppState) -> (usize, usize) {
    let started = Instant::now();
    let mut seen = (0, 0);
    while state.import_job.is_some() {
        assert!(started.elapsed() < Duration::from_secs(120), "import hangs");
        if let Some(job) = &state.import_job {
            use std::sync::atomic::Ordering;
            seen.0 = seen.0.max(job.progress.written.load(Ordering::Relaxed));
            seen.1 = seen.1.max(job.progress.total.load(Ordering::Relaxed));
        }
        std::thread::sleep(Duration::from_millis(5));
        state.poll_import();
    }
    seen
}

#[test]
fn a_long_list_imports_in_the_background_with_progress_as_one_undo_step() {
    let path = demo_project("window-import");
    let dir = path.parent().expect("dir").to_path_buf();
    let entries = list(&dir, "Lang", 20_000);
    let mut window = open(&path);
    let mut other = open(&path);
    window.apply(Command::ImportMeasures(entries));
    assert!(window.import_job.is_some(), "runs in the background");
    // The window goes on meanwhile.
    add(&mut window, "während des Imports");
    let (written, total) = wait_for_import(&mut window);
    assert!(window.error.is_none(), "{:?}", window.error);
    assert_eq!(total, 20_000);
    assert!(written > 0, "progress was shown");
    assert_eq!(titles(&window).len(), 20_001);
    assert_eq!(titles_in_file(&path).len(), 20_001);
    let numbers: std::collections::HashSet<i64> = window
        .map
        .as_ref()
        .expect("map")
        .measures
        .all()
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(numbers.len(), 20_001, "every measure has its own number");
    assert!(!numbers.contains(&0));
    // Another window sees them; this one does not take them for someone else's.
    other.poll_store_now();
    assert_eq!(titles(&other).len(), 20_001);
    window.poll_store_now();
    assert!(
        window
            .notice
            .as_deref()
            .is_none_or(|n| !n.contains("anderer Stelle"))
    );
    // One undo step takes the whole list back out of the file.
    window.apply(Command::Undo);
    assert!(window.error.is_none(), "{:?}", window.error);
    assert_eq!(titles_in_file(&path), ["während des Imports"]);
}

#[test]
fn a_killed_import_leaves_nothing_and_the_next_reader_finishes_the_recovery() {
    let path = demo_project("killed-import");
    let dir = path.parent().expect("dir").to_path_buf();
    let entries = list(&dir, "Abbruch", 60_000);
    let mut child = Process::new(EXE)
        .args(["measures", "import"])
        .arg(&path)
        .arg(&entries)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawns");
    // Killed while it writes (it says so on stderr).
    let mut stderr = child.stderr.take().expect("stderr");
    let mut seen = String::new();
    let started = Instant::now();
    while !seen.contains("geschrieben") && started.elapsed() < Duration::from_secs(60) {
        let mut buf = [0u8; 256];
        match std::io::Read::read(&mut stderr, &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
        }
    }
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    let mut journal = path.as_os_str().to_os_string();
    journal.push("-journal");
    let hot = std::path::Path::new(&journal).exists();
    // A reader that only reads (an export) still opens it: the cut-off write is rolled back.
    let out = Process::new(EXE)
        .args(["measures", "export"])
        .arg(&path)
        .arg(dir.join("danach.csv"))
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "hot journal {hot}: {text}");
    assert!(text.contains("0 Maßnahmen"), "all or nothing: {text}");
    assert_eq!(integrity(&path), "ok");
}

#[test]
fn a_command_line_import_on_a_full_disk_says_nothing_was_taken_and_takes_nothing() {
    let dir = temp_dir("cli-full-disk");
    let disk = dir.join("disk");
    std::fs::create_dir_all(&disk).expect("dir");
    let mounted = Process::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
        .arg(&disk)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("note: no tmpfs could be mounted (needs root); skipping the real full disk");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Process::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(disk.clone());
    let path = disk.join("Projekt.gpkg");
    let demo =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("maps/staedteregion_aachen_demo.geojson");
    let made = Process::new(EXE)
        .args(["project", "new"])
        .arg(&demo)
        .arg("--out")
        .arg(&path)
        .output()
        .expect("runs");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    // Fill what is left of the disk.
    let filler = disk.join("voll.bin");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).expect("filler");
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        while f.write_all(&[0u8; 512]).is_ok() {}
        let _ = f.sync_all();
    }
    let entries = list(&dir, "Voll", 300);
    let (code, text) = import_list(&path, &entries);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("Datenträger voll"), "{text}");
    assert!(
        text.contains("Keine der 300 Maßnahmen") && text.contains("unverändert"),
        "{text}"
    );
    assert!(
        !text.contains("Speichern unter"),
        "window advice on the command line: {text}"
    );
    let _ = std::fs::remove_file(&filler);
    assert!(titles_in_file(&path).is_empty(), "nothing taken");
    assert_eq!(integrity(&path), "ok");
    // With space again, the same command takes all 300.
    let out = Process::new(EXE)
        .args(["measures", "import"])
        .arg(&path)
        .arg(&entries)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(titles_in_file(&path).len(), 300);
}
