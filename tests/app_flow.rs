//! The app state driven by commands, as the window does it, including background loading:
//! a good file replaces the map, a bad one leaves it and says why.

mod common;

use std::time::{Duration, Instant};

use common::test_file;
use sozialraum_atlas::app::{AppState, Command};
use sozialraum_atlas::io::ImportOptions;
use sozialraum_atlas::spatial::prepared::Detail;

/// Applies `command` and polls until the background load has finished.
fn open_and_wait(state: &mut AppState, relative: &str) {
    open_path_and_wait(state, test_file(relative));
}

fn open_path_and_wait(state: &mut AppState, path: std::path::PathBuf) {
    state.apply(Command::Open {
        path,
        options: ImportOptions::default(),
    });
    let started = Instant::now();
    while state.loading.is_some() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "load did not finish"
        );
        std::thread::sleep(Duration::from_millis(5));
        state.poll_loading();
    }
}

fn demo_state() -> AppState {
    let mut state = AppState::new(|| {});
    state.apply(Command::OpenDemo);
    state
}

#[test]
fn a_good_file_replaces_the_map_and_arrives_in_full_detail() {
    let mut state = demo_state();
    state.apply(Command::Select(Some(3)));
    open_and_wait(&mut state, "good/holes_and_parts.geojson");
    let map = state.map.as_ref().expect("map");
    assert_eq!(map.region.spaces.len(), 3);
    assert_eq!(map.detail, Detail::Full);
    assert!(map.prepared.labels.iter().all(Option::is_some));
    assert_eq!(state.selection, None, "the old selection is gone");
    assert_eq!(
        state.recent.first(),
        Some(&test_file("good/holes_and_parts.geojson"))
    );
    assert!(state.error.is_none());
}

#[test]
fn a_bad_file_keeps_the_map_and_explains_the_problem() {
    let mut state = demo_state();
    for file in [
        "bad/truncated.geojson",
        "bad/not_geojson.json",
        "bad/empty_collection.geojson",
    ] {
        open_and_wait(&mut state, file);
        let message = state.error.take().expect("an error message");
        assert!(
            message.contains(file.rsplit('/').next().unwrap_or(file)),
            "{message}"
        );
        assert!(message.contains("bleibt geöffnet"), "{message}");
        assert_eq!(
            state.map.as_ref().expect("still a map").region.spaces.len(),
            93
        );
    }
}

#[test]
fn a_file_with_skipped_features_opens_the_report() {
    let mut state = demo_state();
    open_and_wait(&mut state, "bad/mixed_problems.geojson");
    assert!(state.windows.is_open(sozialraum_atlas::app::Window::Report));
    let map = state.map.as_ref().expect("map");
    assert_eq!(map.report.skipped(), 5);
}

#[test]
fn cancelling_a_load_keeps_the_map() {
    let mut state = demo_state();
    state.apply(Command::Open {
        path: test_file("good/holes_and_parts.geojson"),
        options: ImportOptions::default(),
    });
    state.apply(Command::CancelLoad);
    assert!(state.loading.is_none());
    std::thread::sleep(Duration::from_millis(50));
    state.poll_loading();
    assert_eq!(state.map.as_ref().expect("map").region.spaces.len(), 93);
}

#[test]
fn catalogue_rules_and_overrides_travel_with_the_saved_map() {
    use sozialraum_atlas::document::edit::Edit;
    use sozialraum_atlas::model::{ActionField, Override, Polarity};
    let mut state = demo_state();
    let dir = common::temp_dir("roundtrip");
    let path = dir.join("Städteregion mit Regeln.geojson");
    // Edit a catalogue entry, a rule and add an override, then save.
    let map = state.map.as_ref().expect("demo");
    let position = map.indicators.position("sgb2_quote").expect("sgb2_quote");
    let mut entry = map.indicators.indicators()[position].clone();
    entry.label_de = "Mindestsicherung SGB II (Quote)".to_string();
    entry.polarity = Polarity::HighIsNeed;
    entry.reference_date = "31.12.2025".to_string();
    let mut rules = map.rules.clone();
    rules.rule_mut(ActionField::Elderly).conditions[0].threshold = 1.25;
    state.apply(Command::Edit(Edit::SetIndicator {
        position,
        indicator: Box::new(entry.clone()),
    }));
    state.apply(Command::Edit(Edit::SetRules(rules.clone())));
    let o = Override {
        code: "M 2".to_string(),
        field: ActionField::Integration,
        member: true,
        reason: "Erstaufnahme seit 2025, „neu“".to_string(),
    };
    state.apply(Command::Edit(Edit::SetOverride(o.clone())));
    state.apply(Command::SaveMap(path.clone()));
    assert!(state.error.is_none(), "{:?}", state.error);
    let saved = state.map.take().expect("map");
    // Open it again, as a colleague would.
    state = demo_state();
    open_path_and_wait(&mut state, path.clone());
    assert!(state.error.is_none(), "{:?}", state.error);
    let reopened = state.map.as_ref().expect("reopened");
    assert_eq!(reopened.region.spaces.len(), 93);
    let p = reopened
        .indicators
        .position("sgb2_quote")
        .expect("sgb2_quote");
    assert_eq!(reopened.indicators.indicators()[p], entry);
    assert_eq!(reopened.rules, rules);
    assert_eq!(reopened.overrides, vec![o]);
    assert_eq!(reopened.classification.fields, saved.classification.fields);
    for (i, indicator) in saved.indicators.indicators().iter().enumerate() {
        let q = reopened
            .indicators
            .position(&indicator.key)
            .expect("same catalogue");
        assert_eq!(
            reopened.indicators.column(q),
            saved.indicators.column(i),
            "{}",
            indicator.key
        );
    }
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn measures_no_project_holds_are_not_dropped_without_asking() {
    use sozialraum_atlas::app::Pending;
    use sozialraum_atlas::document::edit::Edit;
    use sozialraum_atlas::model::Measure;
    let mut state = demo_state();
    state.apply(Command::Edit(Edit::AddMeasure(Box::new(Measure {
        title: "Stadtteilmütter".into(),
        ..Measure::default()
    }))));
    assert!(state.has_unsaved());
    state.apply(Command::OpenDemo);
    assert!(matches!(state.pending_discard, Some(Pending::Open(_))));
    assert_eq!(state.map.as_ref().expect("map").measures.len(), 1, "kept");
    state.apply(Command::ConfirmDiscard(false));
    assert!(state.pending_discard.is_none());
    assert_eq!(
        state.map.as_ref().expect("map").measures.len(),
        1,
        "still kept"
    );
    state.apply(Command::OpenDemo);
    state.apply(Command::ConfirmDiscard(true));
    assert!(
        state.map.as_ref().expect("map").measures.is_empty(),
        "dropped on request"
    );
    assert!(!state.has_unsaved());
}
