//! The shared register in the window (the app state, driven without a display): each
//! window works on its own local copy, its changes reach the server and the other windows,
//! clashes on the server are shown and settled, nothing is lost when the network fails or
//! the window is closed offline, a retry never makes a duplicate, and the database's rights
//! hold. Against a real server (see `tests/register.rs` for `SOZIALRAUM_TEST_PG`).

mod common;

use std::time::{Duration, Instant};

use common::pg::{Relay, TestDb, demo_project, publish, server};
use sozialraum_atlas::app::{AppState, Command};
use sozialraum_atlas::document::edit::Edit;
use sozialraum_atlas::io::register::{self, Sent, Target};
use sozialraum_atlas::io::store::{LinkState, Resolution, Rights};
use sozialraum_atlas::model::{Measure, Uid};

/// A published demo register in a database of its own.
fn published(tag: &str) -> Option<(TestDb, common::TestDir)> {
    let admin = server()?;
    let db = TestDb::new(&admin, tag);
    let dir = common::temp_dir(tag);
    let project = demo_project(&dir);
    let o = publish(&project, &db.conninfo(None), &["--create-roles"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Some((db, dir))
}

/// A window with the register open as `conninfo`, its copy in `copies`.
fn window(conninfo: &str, copies: &std::path::Path) -> AppState {
    let mut state = AppState::new(|| {});
    let mut target = Target::new(conninfo, "atlas");
    target.copies = Some(copies.to_path_buf());
    open_in(&mut state, target);
    assert!(state.error.is_none(), "open: {:?}", state.error);
    assert!(state.map.is_some(), "no map");
    state
}

/// Opens a register in the window and waits until it is open (or failed).
fn open_in(state: &mut AppState, target: Target) {
    state.apply(Command::OpenRegister(target));
    let started = Instant::now();
    while state.loading.is_some() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
        state.poll_loading();
    }
}

/// Lets the windows look for changes until `done` holds (or 20 s pass).
fn until(windows: &mut [&mut AppState], what: &str, done: impl Fn(&[&mut AppState]) -> bool) {
    let started = Instant::now();
    loop {
        for w in windows.iter_mut() {
            w.poll_store_now();
            w.poll_store();
        }
        if done(windows) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "waited 20 s for: {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn measure(state: &AppState, uid: Uid) -> Option<Measure> {
    state.map.as_ref()?.measures.get(uid).cloned()
}

fn first_measure(state: &AppState, municipality: &str) -> Measure {
    state
        .map
        .as_ref()
        .expect("map")
        .measures
        .all()
        .iter()
        .find(|m| m.municipalities.iter().any(|k| k == municipality))
        .cloned()
        .expect("a measure of the municipality")
}

fn unsent(state: &AppState) -> usize {
    state
        .store
        .as_ref()
        .and_then(|s| s.link())
        .map_or(usize::MAX, |l| l.unsent)
}

fn connected(state: &AppState) -> bool {
    state
        .store
        .as_ref()
        .and_then(|s| s.link())
        .is_some_and(|l| l.state == LinkState::Connected)
}

fn server_notes(db: &TestDb, uid: Uid) -> Option<String> {
    db.client(None)
        .query_opt(
            "SELECT notizen FROM atlas.massnahmen WHERE uid = $1::text::uuid",
            &[&uid.to_string()],
        )
        .expect("query")
        .map(|r| r.get(0))
}

fn new_measure(title: &str, code: &str, municipality: &str) -> Measure {
    Measure {
        title: title.into(),
        areas: vec![code.into()],
        municipalities: vec![municipality.into()],
        ..Measure::default()
    }
}

/// A published register with two region planners' windows open, each on its own copy.
struct Two {
    db: TestDb,
    _dir: common::TestDir,
    anna: String,
    w1: AppState,
    w2: AppState,
}

fn two_windows(tag: &str) -> Option<Two> {
    let (mut db, dir) = published(tag)?;
    let anna = db.login("anna", "atlas_region");
    let bert = db.login("bert", "atlas_region");
    let w1 = window(&db.conninfo(Some(&anna)), &dir.join("copies-anna"));
    let w2 = window(&db.conninfo(Some(&bert)), &dir.join("copies-bert"));
    Some(Two {
        db,
        _dir: dir,
        anna,
        w1,
        w2,
    })
}

#[test]
fn changes_reach_the_server_and_the_other_window() {
    let Some(Two {
        db,
        anna,
        mut w1,
        mut w2,
        _dir: _keep,
    }) = two_windows("sync")
    else {
        return;
    };
    let before = w1.map.as_ref().expect("map").measures.len();
    assert_eq!(before, w2.map.as_ref().expect("map").measures.len());
    assert!(before > 0);
    assert_eq!(
        w1.store.as_ref().expect("store").rights(),
        Rights::AllMeasures
    );

    // A new measure and a change of an old one in the first window …
    let mut edited = first_measure(&w1, "Aachen");
    edited.notes = "geändert in Fenster 1".into();
    w1.apply(Command::Edit(Edit::UpdateMeasure(Box::new(edited.clone()))));
    w1.apply(Command::Edit(Edit::AddMeasure(Box::new(new_measure(
        "Quartiersbüro",
        "AC 1",
        "Aachen",
    )))));
    let added = w1
        .map
        .as_ref()
        .expect("map")
        .measures
        .all()
        .iter()
        .find(|m| m.title == "Quartiersbüro")
        .map(|m| m.uid)
        .expect("added");
    // … are committed to its copy at once (nothing waits in the window) …
    assert!(!w1.saving.has_unsaved());
    // … reach the server and the second window by themselves.
    until(
        &mut [&mut w1, &mut w2],
        "the other window shows both",
        |w| {
            measure(w[1], added).is_some()
                && measure(w[1], edited.uid).is_some_and(|m| m.notes == "geändert in Fenster 1")
                && unsent(w[0]) == 0
        },
    );
    assert_eq!(
        server_notes(&db, edited.uid).as_deref(),
        Some("geändert in Fenster 1")
    );
    // The server's number is everyone's number.
    let number: i64 = db
        .client(None)
        .query_one(
            "SELECT nummer FROM atlas.massnahmen WHERE uid = $1::text::uuid",
            &[&added.to_string()],
        )
        .expect("row")
        .get(0);
    until(
        &mut [&mut w1, &mut w2],
        "the server's number in both",
        |w| {
            measure(w[0], added).is_some_and(|m| m.id == number)
                && measure(w[1], added).is_some_and(|m| m.id == number)
        },
    );
    assert!(connected(&w1) && connected(&w2));
    // Who changed it, as the measures table shows it.
    let by = w2.store.as_ref().expect("store").changed_by(edited.uid);
    assert_eq!(by.map(|(who, _)| who), Some(anna.clone()));

    // A deletion in the second window goes the same way.
    w2.apply(Command::Edit(Edit::DeleteMeasure(added)));
    until(
        &mut [&mut w1, &mut w2],
        "the deletion in the first window",
        |w| measure(w[0], added).is_none() && unsent(w[1]) == 0,
    );
    let left: i64 = db
        .client(None)
        .query_one(
            "SELECT count(*) FROM atlas.massnahmen WHERE uid = $1::text::uuid",
            &[&added.to_string()],
        )
        .expect("count")
        .get(0);
    assert_eq!(left, 0);
    let total: i64 = db
        .client(None)
        .query_one("SELECT count(*) FROM atlas.massnahmen", &[])
        .expect("count")
        .get(0);
    assert_eq!(total as usize, before);
}

#[test]
fn a_clash_on_the_server_is_shown_and_settled_by_the_user() {
    let Some(Two {
        db,
        mut w1,
        mut w2,
        _dir: _keep,
        ..
    }) = two_windows("clash")
    else {
        return;
    };
    let base = first_measure(&w1, "Aachen");
    let mut one = base.clone();
    one.notes = "Fassung Anna".into();
    let mut two = base.clone();
    two.notes = "Fassung Bert".into();
    // Both change the same measure before either has seen the other's change.
    w1.apply(Command::Edit(Edit::UpdateMeasure(Box::new(one))));
    w2.apply(Command::Edit(Edit::UpdateMeasure(Box::new(two))));
    until(&mut [&mut w1, &mut w2], "one window shows the clash", |w| {
        w.iter().any(|s| !s.saving.conflicts.is_empty())
    });
    let (loser, winner, mine) = if w1.saving.conflicts.is_empty() {
        (&mut w2, &mut w1, "Fassung Bert")
    } else {
        (&mut w1, &mut w2, "Fassung Anna")
    };
    let theirs = if mine == "Fassung Anna" {
        "Fassung Bert"
    } else {
        "Fassung Anna"
    };
    // Nothing was overwritten silently: the server holds the winner's value …
    assert_eq!(server_notes(&db, base.uid).as_deref(), Some(theirs));
    // … and the loser is shown both.
    let conflict = loser.saving.conflicts[0].clone();
    assert!(
        matches!(&conflict.mine, Some(sozialraum_atlas::io::store::ItemValue::Measure(m)) if m.notes == mine)
    );
    assert!(
        matches!(&conflict.theirs, Some(sozialraum_atlas::io::store::ItemValue::Measure(m)) if m.notes == theirs)
    );
    assert!(
        unsent(loser) >= 1,
        "the held-back change counts as not sent"
    );
    // The loser keeps theirs over it, knowingly: it goes to the server and the other window.
    loser.apply(Command::ResolveConflict(Resolution::Mine));
    until(&mut [loser, winner], "the settled value everywhere", |w| {
        w.iter()
            .all(|s| measure(s, base.uid).is_some_and(|m| m.notes == mine))
            && w.iter()
                .all(|s| unsent(s) == 0 && s.saving.conflicts.is_empty())
    });
    assert_eq!(server_notes(&db, base.uid).as_deref(), Some(mine));
}

/// A window whose change of an Aachen measure clashes with one made in psql (or QGIS)
/// meanwhile ("aus QGIS" against "aus dem Fenster"): the clash is shown.
fn clash_with_qgis(tag: &str) -> Option<(TestDb, common::TestDir, AppState, Measure)> {
    let (mut db, dir) = published(tag)?;
    let anna = db.login("anna", "atlas_region");
    let mut w1 = window(&db.conninfo(Some(&anna)), &dir.join("copies"));
    let base = first_measure(&w1, "Aachen");
    db.client(None)
        .execute(
            "UPDATE atlas.massnahmen SET notizen = 'aus QGIS' WHERE uid = $1::text::uuid",
            &[&base.uid.to_string()],
        )
        .expect("update");
    let mut mine = base.clone();
    mine.notes = "aus dem Fenster".into();
    w1.apply(Command::Edit(Edit::UpdateMeasure(Box::new(mine))));
    until(&mut [&mut w1], "the clash", |w| {
        !w[0].saving.conflicts.is_empty()
    });
    Some((db, dir, w1, base))
}

#[test]
fn taking_their_value_ends_the_clash_without_sending_anything() {
    let Some((db, _dir, mut w1, base)) = clash_with_qgis("theirs") else {
        return;
    };
    w1.apply(Command::ResolveConflict(Resolution::Theirs));
    until(&mut [&mut w1], "their value, nothing left to send", |w| {
        measure(w[0], base.uid).is_some_and(|m| m.notes == "aus QGIS") && unsent(w[0]) == 0
    });
    assert_eq!(server_notes(&db, base.uid).as_deref(), Some("aus QGIS"));
}

#[test]
fn a_change_made_right_after_taking_their_value_is_kept_and_sent() {
    let Some((db, _dir, mut w1, base)) = clash_with_qgis("theirs_then_edit") else {
        return;
    };
    // Their value taken, and at once (before the copy has taken it in) changed again: the
    // answer does not undo the new change, which is based on their value and goes out.
    w1.apply(Command::ResolveConflict(Resolution::Theirs));
    let mut again = measure(&w1, base.uid).expect("measure");
    assert_eq!(again.notes, "aus QGIS");
    again.notes = "gleich danach".into();
    w1.apply(Command::Edit(Edit::UpdateMeasure(Box::new(again))));
    until(&mut [&mut w1], "the new change on the server", |w| {
        unsent(w[0]) == 0 && w[0].saving.conflicts.is_empty() && !w[0].saving.has_unsaved()
    });
    assert_eq!(
        measure(&w1, base.uid).map(|m| m.notes).as_deref(),
        Some("gleich danach")
    );
    assert_eq!(
        server_notes(&db, base.uid).as_deref(),
        Some("gleich danach")
    );
}

#[test]
fn changes_made_offline_are_kept_through_a_restart_and_sent_once_when_the_server_is_back() {
    let Some((mut db, dir)) = published("offline") else {
        return;
    };
    let anna = db.login("anna", "atlas_region");
    let relay = Relay::start(&db.admin);
    let conninfo = relay.conninfo(&db, &anna);
    let copies = dir.join("copies");
    let mut w1 = window(&conninfo, &copies);
    until(&mut [&mut w1], "connected", |w| connected(w[0]));
    let on_server = |db: &TestDb| -> i64 {
        db.client(None)
            .query_one(
                "SELECT count(*) FROM atlas.massnahmen WHERE titel LIKE 'Offline %'",
                &[],
            )
            .expect("count")
            .get(0)
    };
    relay.cut();
    for i in 0..3 {
        w1.apply(Command::Edit(Edit::AddMeasure(Box::new(new_measure(
            &format!("Offline {i}"),
            "AC 1",
            "Aachen",
        )))));
    }
    // Saved here (nothing waits in the window), not on the server, and the status says so.
    assert!(!w1.saving.has_unsaved());
    until(&mut [&mut w1], "offline, three not sent", |w| {
        let link = w[0].store.as_ref().and_then(|s| s.link());
        link.is_some_and(|l| matches!(l.state, LinkState::Offline { .. }) && l.unsent == 3)
    });
    assert_eq!(on_server(&db), 0);
    // The window is closed while offline and opened again: the copy opens without the server.
    drop(w1);
    let mut w1 = window(&conninfo, &copies);
    let offline_titles = |s: &AppState| {
        s.map.as_ref().map_or(0, |m| {
            m.measures
                .all()
                .iter()
                .filter(|m| m.title.starts_with("Offline "))
                .count()
        })
    };
    assert_eq!(offline_titles(&w1), 3);
    until(&mut [&mut w1], "still three not sent", |w| {
        unsent(w[0]) == 3
    });
    relay.mend();
    until(&mut [&mut w1], "sent", |w| {
        unsent(w[0]) == 0 && connected(w[0])
    });
    assert_eq!(on_server(&db), 3);
    // Cut again in the middle of more work, and mend: still no duplicate.
    w1.apply(Command::Edit(Edit::AddMeasure(Box::new(new_measure(
        "Offline 3",
        "AC 1",
        "Aachen",
    )))));
    relay.cut();
    std::thread::sleep(Duration::from_millis(300));
    relay.mend();
    until(&mut [&mut w1], "sent again", |w| {
        unsent(w[0]) == 0 && connected(w[0])
    });
    assert_eq!(on_server(&db), 4);
    assert_eq!(offline_titles(&w1), 4);
}

#[test]
fn a_change_sent_twice_is_written_once() {
    let Some((db, _dir)) = published("twice") else {
        return;
    };
    let mut client = register::connect(&db.conninfo(None)).expect("connect");
    let mut m = new_measure("Zweimal gesendet", "AC 1", "Aachen");
    m.uid = Uid(0x1234_5678_9abc_4def_8123_4567_89ab_cdef);
    let change = register::change_id(Uid(7), m.uid, 1);
    let first = register::send(&mut client, "atlas", m.uid, Some(&m), 0, &change).expect("send");
    let Sent::Done(Some(row)) = first else {
        panic!("first send: {first:?}");
    };
    // The answer was lost; the same change is sent again.
    let again = register::send(&mut client, "atlas", m.uid, Some(&m), 0, &change).expect("again");
    assert!(
        matches!(&again, Sent::Done(Some(r)) if r.revision == row.revision),
        "{again:?}"
    );
    let count: i64 = client
        .query_one(
            "SELECT count(*) FROM atlas.massnahmen WHERE titel = 'Zweimal gesendet'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(count, 1);
    // An update sent twice raises the revision once.
    m.notes = "geändert".into();
    let change = register::change_id(Uid(7), m.uid, 2);
    let up = register::send(&mut client, "atlas", m.uid, Some(&m), row.revision, &change)
        .expect("update");
    let up_again = register::send(&mut client, "atlas", m.uid, Some(&m), row.revision, &change)
        .expect("update again");
    assert_eq!(up, up_again);
    assert!(matches!(&up, Sent::Done(Some(r)) if r.revision == row.revision + 1));
    // A different change on the old revision is a conflict, not a write.
    let other = register::change_id(Uid(8), m.uid, 1);
    let clash =
        register::send(&mut client, "atlas", m.uid, Some(&m), row.revision, &other).expect("clash");
    assert!(matches!(clash, Sent::Conflict(Some(_))), "{clash:?}");
    // After QGIS changed the row, our old change id no longer counts as the last change.
    client
        .execute(
            "UPDATE atlas.massnahmen SET notizen = 'QGIS' WHERE uid = $1::text::uuid",
            &[&m.uid.to_string()],
        )
        .expect("qgis");
    let stale = register::send(&mut client, "atlas", m.uid, Some(&m), row.revision, &change)
        .expect("stale");
    assert!(matches!(stale, Sent::Conflict(Some(_))), "{stale:?}");
}

#[test]
fn a_municipality_sees_its_rights_and_a_refused_change_stays_in_the_copy() {
    let Some((mut db, dir)) = published("rights") else {
        return;
    };
    let carla = db.login("carla", "atlas_k_aachen");
    let mut w = window(&db.conninfo(Some(&carla)), &dir.join("copies"));
    assert_eq!(
        w.store.as_ref().expect("store").rights(),
        Rights::Municipalities(vec!["Aachen".to_string()])
    );
    let own = first_measure(&w, "Aachen");
    let foreign = w
        .map
        .as_ref()
        .expect("map")
        .measures
        .all()
        .iter()
        .find(|m| !m.municipalities.iter().any(|k| k == "Aachen"))
        .cloned()
        .expect("a measure of another municipality");
    let mut a = own.clone();
    a.notes = "von Carla".into();
    w.apply(Command::Edit(Edit::UpdateMeasure(Box::new(a))));
    // Another municipality's measure: refused before anything changes, with the reason.
    let mut b = foreign.clone();
    b.notes = "von Carla, darf nicht".into();
    w.apply(Command::Edit(Edit::UpdateMeasure(Box::new(b))));
    let said = w.error.take().expect("refused with a message");
    assert!(said.contains("Aachen"), "{said}");
    assert_eq!(
        measure(&w, foreign.uid).map(|m| m.notes),
        Some(foreign.notes.clone())
    );
    until(&mut [&mut w], "the own change sent", |w| unsent(w[0]) == 0);
    assert_eq!(server_notes(&db, own.uid).as_deref(), Some("von Carla"));
    assert_eq!(server_notes(&db, foreign.uid), Some(foreign.notes.clone()));
    // The administrator takes Carla out of Aachen's role while her window is open: the
    // database refuses her next change, which stays in the window and the copy.
    db.client(None)
        .batch_execute(&format!("REVOKE atlas_k_aachen FROM {carla}"))
        .expect("revoke");
    let mut c = own.clone();
    c.notes = "nach dem Entzug".into();
    w.apply(Command::Edit(Edit::UpdateMeasure(Box::new(c))));
    until(&mut [&mut w], "refused by the server", |w| {
        let link = w[0].store.as_ref().and_then(|s| s.link());
        link.is_some_and(|l| l.refused == 1 && l.unsent == 1)
    });
    assert_eq!(server_notes(&db, own.uid).as_deref(), Some("von Carla"));
    assert_eq!(
        measure(&w, own.uid).map(|m| m.notes),
        Some("nach dem Entzug".to_string())
    );
}

#[test]
fn a_typed_password_opens_the_register_and_is_written_nowhere() {
    let Some((mut db, dir)) = published("password") else {
        return;
    };
    let role = db.password_login("window", "Sehr-Geheim-77", "atlas_region");
    let copies = dir.join("copies");
    let conninfo = db.conninfo(Some(&role));
    // Without the password (and no .pgpass): the form comes back with the reason.
    let mut state = AppState::new(|| {});
    let mut target = Target::new(&conninfo, "atlas");
    target.copies = Some(copies.clone());
    open_in(&mut state, target.clone());
    let asked = state.store.is_none()
        && state
            .error
            .as_deref()
            .is_some_and(|e| e.contains("password"));
    if !asked {
        assert!(
            std::env::var("REQUIRE_POSTGRES").map_or(true, |v| v != "1"),
            "the CI cluster must ask atlas_pw members for a password: {:?}",
            state.error
        );
        eprintln!("note: this server does not ask {role} for a password; prompt not tested");
        return;
    }
    assert!(
        state
            .windows
            .is_open(sozialraum_atlas::ui::command::Window::Register)
    );
    // With the password typed in the form.
    target.password = Some("Sehr-Geheim-77".into());
    state.error = None;
    open_in(&mut state, target);
    assert!(state.error.is_none(), "{:?}", state.error);
    let m = first_measure(&state, "Aachen");
    let mut changed = m.clone();
    changed.notes = "mit Passwort".into();
    state.apply(Command::Edit(Edit::UpdateMeasure(Box::new(changed))));
    until(&mut [&mut state], "sent", |w| unsent(w[0]) == 0);
    assert_eq!(server_notes(&db, m.uid).as_deref(), Some("mit Passwort"));
    drop(state);
    // Nothing this program wrote holds the password.
    let mut files = vec![copies.clone()];
    let mut checked = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("folder").flatten() {
                files.push(entry.path());
            }
        } else {
            let bytes = std::fs::read(&path).expect("file");
            assert!(
                !bytes.windows(14).any(|w| w == b"Sehr-Geheim-77"),
                "{} holds the password",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "the copy was written");
}

#[test]
fn the_window_publishes_the_map_it_shows() {
    let Some(admin) = server() else {
        return;
    };
    let db = TestDb::new(&admin, "wpublish");
    let mut state = AppState::new(|| {});
    state.apply(Command::OpenDemo);
    state.apply(Command::Edit(Edit::AddMeasure(Box::new(new_measure(
        "Aus dem Fenster veröffentlicht",
        "AC 1",
        "Aachen",
    )))));
    state.apply(Command::PublishRegister {
        target: Target::new(&db.conninfo(None), "atlas"),
        create_roles: true,
    });
    let started = Instant::now();
    while state.publish_job.is_some() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
        state.poll_publish();
    }
    assert!(state.error.is_none(), "{:?}", state.error);
    let notice = state.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("Veröffentlicht") && notice.contains("93"),
        "{notice}"
    );
    let mut c = db.client(None);
    let areas: i64 = c
        .query_one("SELECT count(*) FROM atlas.sozialraeume", &[])
        .expect("areas")
        .get(0);
    let measures: i64 = c
        .query_one(
            "SELECT count(*) FROM atlas.massnahmen WHERE titel = 'Aus dem Fenster veröffentlicht'",
            &[],
        )
        .expect("measures")
        .get(0);
    assert_eq!((areas, measures), (93, 1));
    // A server that is not there: the message names it, the form comes back.
    state.apply(Command::PublishRegister {
        target: Target::new("host=/nonexistent port=1 user=x dbname=x", "atlas"),
        create_roles: false,
    });
    let started = Instant::now();
    while state.publish_job.is_some() && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(10));
        state.poll_publish();
    }
    let said = state.error.clone().unwrap_or_default();
    assert!(said.contains("nichts geändert"), "{said}");
    assert!(
        state
            .windows
            .is_open(sozialraum_atlas::ui::command::Window::Publish)
    );
}

#[test]
fn two_windows_of_one_planner_share_one_copy_and_send_each_change_once() {
    let Some((mut db, dir)) = published("samecopy") else {
        return;
    };
    let anna = db.login("anna", "atlas_region");
    let copies = dir.join("copies");
    let mut w1 = window(&db.conninfo(Some(&anna)), &copies);
    let mut w2 = window(&db.conninfo(Some(&anna)), &copies);
    let files = std::fs::read_dir(copies.join("register"))
        .expect("copies")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "gpkg"))
        })
        .count();
    assert_eq!(files, 1, "one copy for one planner on one register");
    for i in 0..5 {
        let w = if i % 2 == 0 { &mut w1 } else { &mut w2 };
        w.apply(Command::Edit(Edit::AddMeasure(Box::new(new_measure(
            &format!("Gleiche Kopie {i}"),
            "AC 1",
            "Aachen",
        )))));
    }
    until(
        &mut [&mut w1, &mut w2],
        "both show all five, nothing waits",
        |w| {
            w.iter().all(|s| {
                unsent(s) == 0
                    && s.map.as_ref().is_some_and(|m| {
                        m.measures
                            .all()
                            .iter()
                            .filter(|m| m.title.starts_with("Gleiche Kopie"))
                            .count()
                            == 5
                    })
            })
        },
    );
    let rows: i64 = db
        .client(None)
        .query_one(
            "SELECT count(*) FROM atlas.massnahmen WHERE titel LIKE 'Gleiche Kopie %'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(rows, 5);
    assert!(w1.saving.conflicts.is_empty() && w2.saving.conflicts.is_empty());
}

#[test]
fn new_data_published_by_the_region_reach_the_window_on_reload_and_the_measures_stay() {
    let Some((mut db, dir)) = published("republish") else {
        return;
    };
    let anna = db.login("anna", "atlas_region");
    let mut w = window(&db.conninfo(Some(&anna)), &dir.join("copies"));
    w.apply(Command::Edit(Edit::AddMeasure(Box::new(new_measure(
        "Vor dem Neuladen",
        "AC 1",
        "Aachen",
    )))));
    until(&mut [&mut w], "sent", |w| unsent(w[0]) == 0);
    // The region publishes again: a renamed area (as a new data year or boundary fix would).
    let mut c = db.client(None);
    c.batch_execute(
        "UPDATE atlas.sozialraeume SET merkmale = jsonb_set(merkmale, '{name}', '\"Neu benannt\"')
             WHERE code = 'AC 1';
         UPDATE atlas.einstellungen SET revision = revision + 1
             WHERE art = 'atlas' AND schluessel = 'meta';",
    )
    .expect("republish");
    until(&mut [&mut w], "the window learns of it", |w| {
        w[0].store
            .as_ref()
            .and_then(|s| s.link())
            .is_some_and(|l| l.republished)
    });
    w.apply(Command::ReloadRegister);
    let started = Instant::now();
    while w.loading.is_some() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
        w.poll_loading();
    }
    assert!(w.error.is_none(), "{:?}", w.error);
    let map = w.map.as_ref().expect("map");
    let i = map.region.space_by_code("AC 1").expect("AC 1");
    assert_eq!(map.region.spaces[i].name.as_deref(), Some("Neu benannt"));
    assert!(
        map.measures
            .all()
            .iter()
            .any(|m| m.title == "Vor dem Neuladen"),
        "the measure stays"
    );
    assert!(
        !w.store
            .as_ref()
            .and_then(|s| s.link())
            .is_some_and(|l| l.republished)
    );
}

#[test]
fn a_change_the_table_does_not_take_is_refused_alone_and_the_others_go() {
    let Some((mut db, dir)) = published("check") else {
        return;
    };
    let anna = db.login("anna", "atlas_region");
    // The administrator adds a rule of the table the program knows nothing of.
    db.client(None)
        .batch_execute(
            "ALTER TABLE atlas.massnahmen ADD CONSTRAINT titel_kurz CHECK (length(titel) <= 40)",
        )
        .expect("constraint");
    let mut w = window(&db.conninfo(Some(&anna)), &dir.join("copies"));
    w.apply(Command::Edit(Edit::AddMeasure(Box::new(new_measure(
        "Ein sehr langer Titel, den die Tabelle nicht annimmt, weil er zu lang ist",
        "AC 1",
        "Aachen",
    )))));
    w.apply(Command::Edit(Edit::AddMeasure(Box::new(new_measure(
        "Kurz und gut",
        "AC 1",
        "Aachen",
    )))));
    until(&mut [&mut w], "one refused, one sent", |w| {
        let link = w[0].store.as_ref().and_then(|s| s.link());
        link.is_some_and(|l| {
            l.refused == 1
                && l.unsent == 1
                && l.state == LinkState::Connected
                && l.refusal
                    .as_deref()
                    .is_some_and(|r| r.contains("titel_kurz"))
        })
    });
    let sent: i64 = db
        .client(None)
        .query_one(
            "SELECT count(*) FROM atlas.massnahmen WHERE titel = 'Kurz und gut'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(sent, 1);
    // The refused one stays in the window (and the copy).
    assert!(w.map.as_ref().is_some_and(|m| {
        m.measures
            .all()
            .iter()
            .any(|m| m.title.starts_with("Ein sehr langer"))
    }));
}

/// By hand, for the figures: `REGISTER_SCALE_DB="host=… dbname=…" cargo test --release --test
/// register_sync opening_a_big_register -- --nocapture` times the first open of a register
/// (the copy is made) and the second (from the copy).
#[test]
fn opening_a_big_register_by_hand() {
    let Ok(conninfo) = std::env::var("REGISTER_SCALE_DB") else {
        return;
    };
    let copies = common::temp_dir("register-scale");
    let mut last = None;
    for round in ["first open (copy made)", "second open (from the copy)"] {
        let started = Instant::now();
        let w = window(&conninfo, &copies);
        let map = w.map.as_ref().expect("map");
        eprintln!(
            "{round}: {} areas, {} measures in {:.2} s",
            map.region.spaces.len(),
            map.measures.len(),
            started.elapsed().as_secs_f64()
        );
        last = Some(w);
    }
    let mut w = last.expect("window");
    // One edit, timed until the server has it.
    if let Some(mut m) = w
        .map
        .as_ref()
        .and_then(|m| m.measures.all().first().cloned())
    {
        m.notes = format!("gemessen {}", std::process::id());
        let started = Instant::now();
        w.apply(Command::Edit(Edit::UpdateMeasure(Box::new(m))));
        let saved = started.elapsed();
        until(&mut [&mut w], "committed", |w| unsent(w[0]) == 0);
        eprintln!(
            "one edit: in the copy after {:.1} ms, on the server after {:.0} ms",
            saved.as_secs_f64() * 1000.0,
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    // What the link costs while nothing happens: the process's CPU time over 10 s.
    let cpu = || -> f64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let tail = stat.rsplit(')').next().unwrap_or("").to_string();
        let fields: Vec<&str> = tail.split_whitespace().collect();
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        (ticks(11) + ticks(12)) / 100.0
    };
    let before = cpu();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        w.poll_store();
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!("idle: {:.2} s CPU in 10 s", cpu() - before);
}

/// By hand, for the figures: `REGISTER_VISIBILITY=1 cargo test --release --test register_sync
/// visibility -- --nocapture` — how long until a change made in one window shows in another
/// that makes none itself (20 changes).
#[test]
fn visibility_by_hand() {
    if std::env::var("REGISTER_VISIBILITY").is_err() {
        return;
    }
    let Some(Two {
        db: _db,
        mut w1,
        mut w2,
        _dir: _keep,
        ..
    }) = two_windows("visible")
    else {
        return;
    };
    let m = first_measure(&w1, "Aachen");
    let mut times = Vec::new();
    for i in 0..20 {
        let mut changed = m.clone();
        changed.notes = format!("Lauf {i}");
        let started = Instant::now();
        w1.apply(Command::Edit(Edit::UpdateMeasure(Box::new(changed))));
        loop {
            w1.poll_store();
            w2.poll_store();
            if measure(&w2, m.uid).is_some_and(|x| x.notes == format!("Lauf {i}")) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "w1 unsent {}, w1 link {:?}, w2 link {:?}, w2 notes {:?}",
                unsent(&w1),
                w1.store.as_ref().and_then(|s| s.link()),
                w2.store.as_ref().and_then(|s| s.link()),
                measure(&w2, m.uid).map(|x| x.notes)
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        times.push(started.elapsed().as_millis());
        std::thread::sleep(Duration::from_millis(300));
    }
    times.sort_unstable();
    eprintln!(
        "shown in the other window: median {} ms, max {} ms",
        times[10], times[19]
    );
}

#[test]
fn every_year_of_the_indicators_reaches_the_register_copy() {
    let Some((db, dir)) = published("years") else {
        return;
    };
    let admin = window(&db.conninfo(None), &dir.join("copies"));
    let map = admin.map.as_ref().expect("map");
    let demo = sozialraum_atlas::io::demo::load_demo(&sozialraum_atlas::io::Progress::default())
        .expect("demo");
    let mut dated = 0;
    // The register orders the areas by code: compare area by area.
    for (p, indicator) in demo.indicators.indicators().iter().enumerate() {
        let q = map
            .indicators
            .position(&indicator.key)
            .expect(&indicator.key);
        assert_eq!(
            demo.indicators.years(p),
            map.indicators.years(q),
            "{}",
            indicator.key
        );
        for (i, space) in demo.region.spaces.iter().enumerate() {
            let j = map.region.space_by_code(&space.code).expect(&space.code);
            for &y in demo.indicators.years(p) {
                assert_eq!(
                    demo.indicators.value_at(p, i, Some(y)),
                    map.indicators.value_at(q, j, Some(y)),
                    "{} {} {y}",
                    indicator.key,
                    space.code
                );
            }
        }
        dated += usize::from(!demo.indicators.years(p).is_empty());
    }
    assert!(dated >= 10, "{dated}");
}
