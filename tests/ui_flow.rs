//! The window, driven like a user would (egui_kittest, no display needed): click an area and
//! read its code and indicators in the inspector; switch a Handlungsfeld off in the legend.

mod common;

use eframe::egui::{self, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sozialraum_atlas::app::{Command, SozialraumApp, StartOptions};
use sozialraum_atlas::app::{ProjectOffer, Window};
use sozialraum_atlas::i18n::{Lang, format};
use sozialraum_atlas::model::ActionField;
use sozialraum_atlas::scene::text::value_with_cases;
use sozialraum_atlas::scene::{Colouring, IndicatorStyle};

fn harness() -> Harness<'static, SozialraumApp> {
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1500.0, 950.0))
        .build_eframe(|cc| SozialraumApp::new(&cc.egui_ctx, StartOptions::default(), None));
    harness.run();
    harness
}

/// Screen position of an area's label point.
fn screen_pos_of(harness: &Harness<'_, SozialraumApp>, code: &str) -> egui::Pos2 {
    let state = &harness.state().state;
    let map = state.map.as_ref().expect("demo map");
    let viewport = state
        .camera
        .viewport
        .expect("the map view has fitted the map");
    let i = map.region.space_by_code(code).expect(code);
    let anchor = map.prepared.labels[i].expect("label point");
    let s = viewport.screen_from_map(anchor.pos);
    egui::pos2(s[0], s[1])
}

/// Whether some widget shows exactly `label` (it may appear more than once, e.g. in a table
/// and a chart).
fn shown(harness: &Harness<'_, SozialraumApp>, label: &str) -> bool {
    harness.query_all_by_label(label).next().is_some()
}

fn click(harness: &mut Harness<'_, SozialraumApp>, pos: egui::Pos2) {
    click_with(harness, pos, egui::Modifiers::NONE);
}

/// A click with modifier keys held (Ctrl+click).
fn click_with(
    harness: &mut Harness<'_, SozialraumApp>,
    pos: egui::Pos2,
    modifiers: egui::Modifiers,
) {
    // A fixed number of frames, not `run`: a project window asks for a frame every second to
    // look for others' changes, and on a busy machine that second passes during `run`.
    harness.event(egui::Event::ModifiersChanged(modifiers));
    harness.hover_at(pos);
    harness.run_steps(6);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers,
        });
        harness.step();
    }
    harness.run_steps(6);
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    harness.run_steps(6);
}

#[test]
fn clicking_an_area_shows_its_code_and_indicators_in_the_inspector() {
    let mut harness = harness();
    harness.get_by_label("Klicken Sie auf einen Sozialraum, um seine Indikatoren zu sehen.");
    let pos = screen_pos_of(&harness, "S 1");
    click(&mut harness, pos);

    let (expected_value, expected_rank) = {
        let map = harness.state().state.map.as_ref().expect("map");
        let i = map.region.space_by_code("S 1").expect("S 1");
        assert_eq!(harness.state().state.selection, Some(i));
        let column = map.indicators.position("sgb2_quote").expect("indicator");
        let value = value_with_cases(&map.indicators, column, i, Lang::De);
        let (rank, n) = map.stats.indicators[column].rank[i].expect("ranked");
        (
            value,
            format!("{} von {}", format::count(rank, Lang::De), n),
        )
    };
    for label in ["S 1", "Unterstolberg", "Stolberg (Rhld.)", "SGB-II-Quote"] {
        assert!(shown(&harness, label), "{label} is shown");
    }
    assert!(
        !harness
            .query_all_by_label(&expected_value)
            .collect::<Vec<_>>()
            .is_empty(),
        "the value {expected_value} is shown"
    );
    assert!(
        !harness
            .query_all_by_label(&expected_rank)
            .collect::<Vec<_>>()
            .is_empty(),
        "the rank {expected_rank} is shown"
    );

    // Esc clears the selection.
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert_eq!(harness.state().state.selection, None);
    assert!(harness.query_by_label("Unterstolberg").is_none());
}

#[test]
fn a_handlungsfeld_can_be_switched_off_in_the_legend() {
    let mut harness = harness();
    harness.get_by_label("59 von 93 Sozialräumen mit Gestaltungsbedarf");
    harness
        .get_by_role_and_label(egui::Role::CheckBox, "2 Teilhabe und Versorgung Älterer")
        .click();
    harness.run();
    let state = &harness.state().state;
    assert!(!state.view.visible_fields.contains(ActionField::Elderly));
    // Areas only in field 2 no longer count as flagged.
    let map = state.map.as_ref().expect("map");
    let expected = map
        .region
        .spaces
        .iter()
        .filter(|s| s.action_fields.iter().any(|f| f != ActionField::Elderly))
        .count();
    let counts = state.scene.as_ref().expect("scene").counts;
    assert_eq!(counts.flagged, expected);
    assert!(expected < 59);
    let summary = format!(
        "{} von 93 Sozialräumen mit Gestaltungsbedarf",
        counts.flagged
    );
    harness.get_by_label(&summary);
}

#[test]
fn the_language_switches_to_english() {
    let mut harness = harness();
    harness.get_by_label("Sprache").click();
    harness.run();
    harness.get_by_label("English").click();
    harness.run();
    assert!(shown(&harness, "59 of 93 areas with a need for action"));
    assert!(shown(&harness, "Fields of action"));
}

fn viewport(harness: &Harness<'_, SozialraumApp>) -> sozialraum_atlas::spatial::viewport::Viewport {
    harness.state().state.camera.viewport.expect("fitted")
}

fn map_centre(harness: &Harness<'_, SozialraumApp>) -> egui::Pos2 {
    let v = viewport(harness);
    egui::pos2(v.offset[0] + v.size[0] / 2.0, v.offset[1] + v.size[1] / 2.0)
}

#[test]
fn keys_zoom_pan_and_fit_the_map() {
    let mut harness = harness();
    let fitted = viewport(&harness);
    harness.hover_at(map_centre(&harness));
    harness.key_press(egui::Key::Plus);
    harness.run();
    let zoomed = viewport(&harness);
    assert!(
        (fitted.m_per_px / zoomed.m_per_px - 1.5).abs() < 1e-6,
        "+ zooms in by 1.5"
    );
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    let panned = viewport(&harness);
    assert!(
        panned.center[0] > zoomed.center[0],
        "→ shows more of the east"
    );
    assert_eq!(panned.m_per_px, zoomed.m_per_px);
    harness.key_press(egui::Key::Minus);
    harness.key_press(egui::Key::Minus);
    harness.run();
    assert!(viewport(&harness).m_per_px > zoomed.m_per_px);
    harness.key_press(egui::Key::Home);
    harness.run();
    let refitted = viewport(&harness);
    assert!(
        (refitted.m_per_px - fitted.m_per_px).abs() < 1e-9,
        "Home fits everything again"
    );
}

#[test]
fn the_wheel_zooms_about_the_cursor_and_dragging_pans() {
    let mut harness = harness();
    let fitted_m_per_px = viewport(&harness).m_per_px;
    let at = map_centre(&harness) + egui::vec2(120.0, -80.0);
    harness.hover_at(at);
    harness.run();
    let before = viewport(&harness).map_from_screen([at.x, at.y]);
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, 120.0),
        phase: egui::TouchPhase::Move,
        modifiers: egui::Modifiers::NONE,
        source: egui::MouseWheelSource::Wheel,
    });
    // The hover tooltip fades in over several frames: step instead of waiting for rest.
    harness.run_steps(3);
    let v = viewport(&harness);
    assert!(v.m_per_px < fitted_m_per_px, "the wheel zoomed in");
    let after = v.map_from_screen([at.x, at.y]);
    assert!(
        (before[0] - after[0]).abs() < 1.0 && (before[1] - after[1]).abs() < 1.0,
        "the point under the cursor stays: {before:?} {after:?}"
    );

    // Drag the map 100 points to the left: the same map point moves with the pointer.
    let start = map_centre(&harness);
    let target = viewport(&harness).map_from_screen([start.x, start.y]);
    harness.drag_at(start);
    harness.step();
    for dx in [20.0, 40.0, 60.0, 80.0, 100.0] {
        harness.hover_at(start - egui::vec2(dx, 0.0));
        harness.step();
    }
    harness.drop_at(start - egui::vec2(100.0, 0.0));
    harness.run_steps(3);
    let now = viewport(&harness).screen_from_map(target);
    assert!((now[0] - (start.x - 100.0)).abs() < 2.0, "{now:?}");
}

#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_file_dropped_onto_the_window_opens() {
    let mut harness = harness();
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/good/holes_and_parts.geojson");
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path)));
    // `step`, not `run`: while loading, the spinner keeps asking for frames.
    harness.step();
    let started = std::time::Instant::now();
    while harness.state().state.loading.is_some() {
        assert!(started.elapsed().as_secs() < 30);
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.step();
    }
    harness.run_steps(3);
    let map = harness.state().state.map.as_ref().expect("map");
    assert_eq!(map.region.spaces.len(), 3);
    harness.get_by_label("holes_and_parts");
}

#[test]
fn an_indicator_map_switches_method_and_shows_its_legend() {
    use sozialraum_atlas::scene::Colouring;
    let mut harness = harness();
    harness.get_by_label("Indikator").click();
    harness.run();
    let style = match &harness.state().state.view.colouring {
        Colouring::Indicator(style) => style.clone(),
        other => panic!("not an indicator view: {other:?}"),
    };
    assert!(shown(
        &harness,
        "Quantile, 5 Klassen · 93 Sozialräume mit Wert"
    ));
    // Every class row of the legend is on screen with its count.
    let entries = harness
        .state()
        .state
        .scene
        .as_ref()
        .expect("scene")
        .legend
        .entries
        .clone();
    for e in &entries {
        let text = format!("{} ({})", e.label, format::count(e.count, Lang::De));
        assert!(shown(&harness, &text), "legend row {text}");
    }
    assert_eq!(
        entries.last().map(|e| e.label.as_str()),
        Some("keine Daten")
    );
    // Change the method to natural breaks.
    harness
        .get_by_role_and_label(egui::Role::ComboBox, "Klassen")
        .click();
    harness.run();
    harness
        .get_by_label("Natürliche Unterbrechungen (Jenks)")
        .click();
    harness.run();
    assert!(shown(
        &harness,
        "Natürliche Unterbrechungen (Jenks), 5 Klassen · 93 Sozialräume mit Wert"
    ));
    match &harness.state().state.view.colouring {
        Colouring::Indicator(now) => {
            assert_eq!(now.key, style.key);
            assert_eq!(
                now.method,
                sozialraum_atlas::analysis::breaks::BreakMethod::NaturalBreaks
            );
        }
        other => panic!("left the indicator view: {other:?}"),
    }
    // Back to the Handlungsfelder in one click.
    harness.get_by_label("Handlungsfelder").click();
    harness.run();
    assert!(matches!(
        harness.state().state.view.colouring,
        Colouring::ActionFields
    ));
    // And back to the same indicator view, method included, in one click.
    harness.get_by_label("Indikator").click();
    harness.run();
    match &harness.state().state.view.colouring {
        Colouring::Indicator(again) => {
            assert_eq!(again.key, style.key);
            assert_eq!(
                again.method,
                sozialraum_atlas::analysis::breaks::BreakMethod::NaturalBreaks
            );
        }
        other => panic!("not back in the indicator view: {other:?}"),
    }
}

#[test]
fn an_override_needs_a_reason_and_shows_on_map_and_in_the_inspector() {
    let mut harness = harness();
    let pos = screen_pos_of(&harness, "SI 2");
    click(&mut harness, pos);
    let before = {
        let map = harness.state().state.map.as_ref().expect("map");
        let i = map.region.space_by_code("SI 2").expect("SI 2");
        map.classification.fields[i]
    };
    assert!(!before.contains(ActionField::Disadvantaged));
    // The first "Übersteuern …" button belongs to field 1.
    harness
        .query_all_by_label("Übersteuern …")
        .next()
        .expect("override button")
        .click();
    harness.run();
    harness.get_by_label("OK").click();
    harness.run();
    assert!(
        shown(&harness, "Bitte eine Begründung angeben."),
        "no reason, no override"
    );
    harness.get_by_role(egui::Role::MultilineTextInput).click();
    harness.run();
    harness
        .get_by_role(egui::Role::MultilineTextInput)
        .type_text("Neue Sozialwohnungen, Daten von 2016");
    harness.run();
    harness.get_by_label("OK").click();
    harness.run();
    let state = &harness.state().state;
    let map = state.map.as_ref().expect("map");
    let i = map.region.space_by_code("SI 2").expect("SI 2");
    assert_eq!(map.overrides.len(), 1);
    assert!(map.classification.fields[i].contains(ActionField::Disadvantaged));
    assert!(
        state.scene.as_ref().expect("scene").emphasis.contains(&i),
        "marked on the map"
    );
    assert!(shown(
        &harness,
        "übersteuert: drin – „Neue Sozialwohnungen, Daten von 2016“"
    ));
}

#[test]
fn the_rules_panel_recolours_the_map_at_once_and_reads_german_numbers() {
    use sozialraum_atlas::model::Combinator;
    let mut harness = harness();
    harness
        .query_all_by_label("Regeln …")
        .next()
        .expect("rules button")
        .click();
    harness.run();
    assert!(shown(&harness, "Regeln für die Handlungsfelder"));
    let flagged = |h: &Harness<'_, SozialraumApp>| {
        let map = h.state().state.map.as_ref().expect("map");
        map.classification
            .fields
            .iter()
            .filter(|f| f.contains(ActionField::Disadvantaged))
            .count()
    };
    let fills_before = harness
        .state()
        .state
        .scene
        .as_ref()
        .expect("scene")
        .fills
        .clone();
    let before = flagged(&harness);
    assert!(shown(
        &harness,
        &format!("1 Benachteiligte Sozialräume – {before} Sozialräume")
    ));
    // "alle" → "eine" for field 1: more areas, at once, on the map too.
    harness.get_by_label("Feld 1: Verknüpfung").click();
    harness.run();
    harness.get_by_label("eine").click();
    harness.run();
    let after = flagged(&harness);
    assert!(after > before, "{after} > {before}");
    // The demo map is no project: the first rules change offers one, beside the map (the
    // demo's home folder) …
    assert!(
        shown(&harness, "Projekt anlegen?"),
        "offered at the first change"
    );
    assert!(
        harness.state().state.project_offer == ProjectOffer::Open,
        "waiting for an answer"
    );
    // … "Nicht jetzt" keeps working without one, and it is not asked again for this map.
    harness.get_by_label("Nicht jetzt").click();
    harness.run();
    assert!(!shown(&harness, "Projekt anlegen?"));
    assert!(harness.state().state.store.is_none());
    assert!(
        harness.state().state.has_unsaved(),
        "the quit question still lists it"
    );
    let state = &harness.state().state;
    let rule = state
        .map
        .as_ref()
        .expect("map")
        .rules
        .rule(ActionField::Disadvantaged)
        .expect("rule");
    assert_eq!(rule.combinator, Combinator::Any);
    assert_ne!(
        state.scene.as_ref().expect("scene").fills,
        fills_before,
        "recoloured"
    );
    assert!(shown(
        &harness,
        &format!("1 Benachteiligte Sozialräume – {after} Sozialräume")
    ));
    // A threshold typed the German way.
    harness
        .get_by_label("Feld 1, Bedingung 1: Schwelle")
        .click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness
        .get_by_label("Feld 1, Bedingung 1: Schwelle")
        .type_text("1,5");
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    let map = harness.state().state.map.as_ref().expect("map");
    let rule = map.rules.rule(ActionField::Disadvantaged).expect("rule");
    assert_eq!(rule.conditions[0].threshold, 1.5);
}

#[test]
fn a_table_is_imported_from_the_file_menu_with_a_join_report() {
    let mut harness = harness();
    harness.get_by_label("Datei").click();
    harness.run();
    harness
        .get_by_label("Indikatortabelle importieren …")
        .click();
    harness.run();
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tables/wohngeld_excel_windows1252.csv");
    harness
        .get_by_role_and_label(egui::Role::TextInput, "Datei (CSV oder XLSX)")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::TextInput, "Datei (CSV oder XLSX)")
        .type_text(path.to_str().expect("utf-8"));
    harness.run();
    // The file's shape is shown as soon as the path names it.
    assert!(shown(
        &harness,
        "9 Zeilen, 5 Spalten · Windows-1252 · Trennzeichen „;“"
    ));
    harness.get_by_label("Importieren").click();
    harness.run();
    assert!(shown(&harness, "7 von 93 Sozialräumen haben Werte"));
    assert!(shown(&harness, "Zeilen ohne passenden Sozialraum: 1"));
    assert!(shown(
        &harness,
        "Schlüssel mehrfach (die erste Zeile gilt): 1"
    ));
    assert!(shown(&harness, "Zellen ohne Zahl: 1"));
    assert!(shown(
        &harness,
        "Als geheim markierte Zellen (bleiben geheim, nie 0): 4"
    ));
    let map = harness.state().state.map.as_ref().expect("map");
    assert!(
        map.indicators
            .position("wohngeldhaushalte_je_1_000_haushalte")
            .is_some()
    );
}

/// The demo saved as a project, opened in the window (the folder goes with the file).
fn project_harness(name: &str) -> (Harness<'static, SozialraumApp>, common::TestFile) {
    let path = common::temp_dir(&format!("ui-{name}")).file("Workshop Städteregion.gpkg");
    let mut state = sozialraum_atlas::app::AppState::new(|| {});
    state.apply(sozialraum_atlas::app::Command::OpenDemo);
    state.apply(sozialraum_atlas::app::Command::SaveProjectAs(
        path.to_path_buf(),
    ));
    assert!(state.error.is_none(), "{:?}", state.error);
    (open_in_window(&path), path)
}

/// A window on the project `path`, once it has loaded.
fn open_in_window(path: &std::path::Path) -> Harness<'static, SozialraumApp> {
    window_on(path, |s| s.store.is_some())
}

/// A window on `path`, run until it has loaded and `ready` holds.
fn window_on(
    path: &std::path::Path,
    ready: impl Fn(&sozialraum_atlas::app::AppState) -> bool,
) -> Harness<'static, SozialraumApp> {
    let start = StartOptions {
        path: Some(path.to_path_buf()),
        ..StartOptions::default()
    };
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1500.0, 950.0))
        .build_eframe(move |cc| SozialraumApp::new(&cc.egui_ctx, start.clone(), None));
    let started = std::time::Instant::now();
    loop {
        // `step`, not `run`: while loading, the loader wakes the window again and again, and
        // `run` fails when frames do not settle within a few steps (seen on a busy machine).
        harness.step();
        let state = &harness.state().state;
        if state.loading.is_none() && ready(state) {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 30,
            "{} did not open: {:?}",
            path.display(),
            state.error
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run();
    harness
}

/// Clicks the area `code`, opens "Maßnahme hinzufügen …" from the inspector (the form opens
/// pre-filled with the area), types `title` and saves.
fn add_measure_in_inspector(harness: &mut Harness<'_, SozialraumApp>, code: &str, title: &str) {
    let pos = screen_pos_of(harness, code);
    click(harness, pos);
    harness.get_by_label("Maßnahme hinzufügen …").click();
    harness.run();
    assert!(shown(harness, "Maßnahme hinzufügen"));
    harness
        .get_by_role_and_label(egui::Role::TextInput, "Titel")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::TextInput, "Titel")
        .type_text(title);
    harness.run();
    harness.get_by_label("Speichern").click();
    harness.run();
}

#[test]
fn a_measure_is_added_found_in_the_table_undone_redone_and_kept_in_the_file() {
    let (mut harness, path) = project_harness("measure");
    let title = "Stadtteilmütter Aachen-Ost";
    add_measure_in_inspector(&mut harness, "AC 3", title);
    {
        let map = harness.state().state.map.as_ref().expect("map");
        assert_eq!(map.measures.len(), 1);
        assert_eq!(map.measures.all()[0].areas, ["AC 3"]);
        let i = map.region.space_by_code("AC 3").expect("AC 3");
        assert!(
            !map.measures.all()[0].fields.is_empty(),
            "fields from the area"
        );
        assert_eq!(
            harness.state().state.scene.as_ref().expect("scene").badges[i],
            1,
            "a badge on the map"
        );
    }
    // The list does not open by itself over the map (it would hide the new badge) …
    assert!(
        !harness.state().state.windows.is_open(Window::Measures),
        "the measures list stays closed after saving"
    );
    // … Ctrl+L opens it, and it lists the measure.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    harness.run();
    assert!(harness.state().state.windows.is_open(Window::Measures));
    assert!(shown(&harness, title), "in the measures table");
    // Undo from the menu says what it undoes, removes it, and says so; redo (Ctrl+Y) brings it
    // back.
    harness.get_by_label("Bearbeiten").click();
    harness.run();
    harness
        .get_by_label(&format!("Rückgängig: Maßnahme „{title}“ hinzufügen Strg+Z"))
        .click();
    harness.run();
    assert_eq!(
        harness.state().state.notice.as_deref(),
        Some(format!("Rückgängig gemacht: Maßnahme „{title}“ hinzufügen").as_str())
    );
    assert!(
        harness
            .state()
            .state
            .map
            .as_ref()
            .expect("map")
            .measures
            .is_empty()
    );
    assert!(!shown(&harness, title), "gone from the table");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    harness.run();
    assert_eq!(
        harness
            .state()
            .state
            .map
            .as_ref()
            .expect("map")
            .measures
            .len(),
        1
    );
    assert!(shown(&harness, title), "back in the table");
    drop(harness);
    // Reopening the file shows it.
    let mut reopened = open_in_window(&path);
    let map = reopened.state().state.map.as_ref().expect("map");
    assert_eq!(map.measures.all()[0].title, title);
    reopened.get_by_label("Bearbeiten").click();
    reopened.run();
    reopened.get_by_label("Maßnahmenliste … Strg+L").click();
    reopened.run();
    assert!(shown(&reopened, title));
}

#[test]
fn ctrl_click_selects_several_areas_for_one_measure() {
    let (mut harness, _path) = project_harness("multi");
    let a = screen_pos_of(&harness, "AC 3");
    click(&mut harness, a);
    let b = screen_pos_of(&harness, "AC 4");
    click_with(&mut harness, b, egui::Modifiers::COMMAND);
    assert_eq!(harness.state().state.selected.len(), 2);
    harness.get_by_label("Maßnahme hinzufügen …").click();
    harness.run();
    let draft = harness
        .state()
        .state
        .measure_form
        .as_ref()
        .expect("form open")
        .opened
        .clone();
    assert_eq!(draft.areas, ["AC 3", "AC 4"]);
    assert_eq!(draft.municipalities, ["Aachen"]);
}

#[test]
fn shift_dragging_a_rectangle_selects_the_areas_inside() {
    let mut harness = harness();
    let a = screen_pos_of(&harness, "AC 3");
    let b = screen_pos_of(&harness, "AC 8");
    let start = egui::pos2(a.x.min(b.x) - 4.0, a.y.min(b.y) - 4.0);
    let end = egui::pos2(a.x.max(b.x) + 4.0, a.y.max(b.y) + 4.0);
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::SHIFT));
    harness.hover_at(start);
    harness.run();
    harness.event(egui::Event::PointerButton {
        pos: start,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::SHIFT,
    });
    harness.step();
    for k in 1..=8 {
        let t = k as f32 / 8.0;
        harness.hover_at(start + (end - start) * t);
        harness.step();
    }
    harness.event(egui::Event::PointerButton {
        pos: end,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::SHIFT,
    });
    harness.run();
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    harness.run();
    let state = &harness.state().state;
    let map = state.map.as_ref().expect("map");
    let codes: Vec<&str> = state
        .selected
        .iter()
        .map(|i| map.region.spaces[*i].code.as_str())
        .collect();
    assert!(
        codes.contains(&"AC 3") && codes.contains(&"AC 8"),
        "{codes:?}"
    );
    assert!(!codes.contains(&"M 2"), "{codes:?}");
}

/// Replaces the text of the dialog's "Datei" field with `text`.
fn replace_file_field(harness: &mut Harness<'_, SozialraumApp>, text: &str) {
    harness
        .get_by_role_and_label(egui::Role::TextInput, "Datei")
        .click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::TextInput, "Datei")
        .type_text(text);
}

/// Runs frames until the background export has finished (at most ten seconds).
fn wait_for_export(harness: &mut Harness<'_, SozialraumApp>) {
    for _ in 0..200 {
        // The spinner repaints while the export runs: step, do not wait for calm.
        harness.step();
        if harness.state().state.export_job.is_none() {
            harness.run();
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the export did not finish");
}

#[test]
fn the_export_dialog_previews_and_writes_png_svg_and_pdf() {
    let dir = common::temp_dir("ui-export");
    let mut harness = harness();
    // Ctrl+E, as in the menu (Datei → Karte exportieren …).
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run();
    assert!(shown(&harness, "Karte exportieren"));
    assert!(
        harness
            .query_by_role_and_label(egui::Role::Image, "Vorschau")
            .is_some(),
        "a preview image"
    );
    assert!(
        shown(&harness, "1.920 × 1.080 Pixel"),
        "German number format"
    );
    let file = dir.join("karte aus dem fenster.png");
    replace_file_field(&mut harness, file.to_str().expect("utf-8"));
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::RadioButton, "eine Kommune")
        .click();
    harness.run();
    harness.get_by_label("Exportieren").click();
    wait_for_export(&mut harness);
    let png = std::fs::read(&file).expect("the PNG was written");
    assert!(png.starts_with(b"\x89PNG"));
    let notice = harness.state().state.notice.clone().unwrap_or_default();
    assert!(notice.ends_with("Karte gespeichert"), "{notice}");
    // Switching the format changes the file name's extension.
    for (format, magic) in [("SVG", &b"<?xml"[..]), ("PDF", &b"%PDF-"[..])] {
        harness.get_by_label(format).click();
        harness.run();
        harness.get_by_label("Exportieren").click();
        wait_for_export(&mut harness);
        let written = file.with_extension(format.to_lowercase());
        let bytes = std::fs::read(&written).expect("written");
        assert!(bytes.starts_with(magic), "{format}");
    }
}

/// Every text drawn in the last frame, with its size in points.
fn text_sizes(harness: &Harness<'_, SozialraumApp>) -> Vec<(String, f32)> {
    let mut out = Vec::new();
    for clipped in &harness.output().shapes {
        collect_texts(&clipped.shape, &mut out);
    }
    out
}

/// Every text painted this frame.
fn painted_texts(harness: &Harness<'_, SozialraumApp>) -> Vec<String> {
    text_sizes(harness).into_iter().map(|(t, _)| t).collect()
}

fn collect_texts(shape: &egui::Shape, out: &mut Vec<(String, f32)>) {
    match shape {
        egui::Shape::Text(text) => {
            for section in &text.galley.job.sections {
                let range = section.byte_range.start.0..section.byte_range.end.0;
                let s = text.galley.job.text.get(range).unwrap_or_default();
                if !s.trim().is_empty() {
                    out.push((s.to_string(), section.format.font_id.size));
                }
            }
        }
        egui::Shape::Vec(shapes) => {
            for s in shapes {
                collect_texts(s, out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_quick_switcher_finds_setterich_and_focuses_a_municipality() {
    let mut harness = harness();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::TextInput, "Kommune oder Sozialraum suchen")
        .type_text("Setterich");
    harness.run();
    assert!(shown(&harness, "B 5 Setterich-Nord – Baesweiler"));
    harness.key_press(egui::Key::Enter);
    harness.run();
    {
        let state = &harness.state().state;
        let map = state.map.as_ref().expect("map");
        assert_eq!(state.selection, map.region.space_by_code("B 5"));
        assert!(
            !state
                .windows
                .is_open(sozialraum_atlas::app::Window::Switcher),
            "the switcher closes"
        );
    }
    // A municipality: the others greyed and the legend counting only its areas.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::TextInput, "Kommune oder Sozialraum suchen")
        .type_text("wurselen");
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    let state = &harness.state().state;
    assert_eq!(state.view.focus.as_deref(), Some("Würselen"));
    let summary = &state.scene.as_ref().expect("scene").legend.summary;
    assert!(summary.starts_with("Würselen: "), "{summary}");
    assert!(
        summary.ends_with("von 8 Sozialräumen mit Gestaltungsbedarf"),
        "{summary}"
    );
}

#[test]
fn presentation_mode_steps_through_saved_views_in_large_text_and_leaves_with_escape() {
    let mut harness = harness();
    // Two views: all of the region by Handlungsfeld, and Stolberg by SGB II rate.
    harness
        .state_mut()
        .state
        .apply(Command::SaveView("Region".into()));
    harness
        .state_mut()
        .state
        .apply(Command::Focus(Some("Stolberg (Rhld.)".into())));
    harness.run();
    let style = {
        let map = harness.state().state.map.as_ref().expect("map");
        let p = map.indicators.position("sgb2_quote").expect("indicator");
        IndicatorStyle::for_indicator(&map.indicators.indicators()[p])
    };
    harness
        .state_mut()
        .state
        .apply(Command::SetColouring(Colouring::Indicator(style)));
    harness
        .state_mut()
        .state
        .apply(Command::SaveView("Stolberg – SGB II".into()));
    harness.run();

    harness
        .state_mut()
        .state
        .apply(Command::AnswerProjectOffer(None));
    harness.key_press(egui::Key::F5);
    harness.run();
    assert!(harness.state().state.presenting);
    assert!(
        harness.query_by_label("Datei").is_none(),
        "menus and panels are hidden"
    );
    harness.key_press(egui::Key::PageDown);
    harness.run();
    assert!(shown(&harness, "Region"), "the view's name is the title");
    assert_eq!(harness.state().state.view.focus, None);
    let texts = text_sizes(&harness);
    assert!(
        texts.iter().any(|(t, _)| t == "Region") && texts.iter().any(|(t, _)| t == "AC 13"),
        "title and map labels are among the texts checked: {texts:?}"
    );
    for (text, size) in texts {
        assert!(size >= 20.0, "{text:?} is only {size} pt");
    }
    harness.key_press(egui::Key::PageDown);
    harness.run();
    assert!(shown(&harness, "Stolberg – SGB II"));
    {
        let state = &harness.state().state;
        assert_eq!(state.view.focus.as_deref(), Some("Stolberg (Rhld.)"));
        assert!(matches!(state.view.colouring, Colouring::Indicator(_)));
    }
    for (text, size) in text_sizes(&harness) {
        assert!(size >= 20.0, "{text:?} is only {size} pt");
    }
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(!harness.state().state.presenting);
    assert!(harness.query_by_label("Datei").is_some());
}

#[test]
fn a_click_in_presentation_mode_shows_the_card_and_captures_a_measure() {
    let mut harness = harness();
    harness.key_press(egui::Key::F5);
    harness.run();
    let pos = screen_pos_of(&harness, "S 1");
    click(&mut harness, pos);
    assert!(shown(&harness, "Maßnahme erfassen …"));
    harness.get_by_label("Maßnahme erfassen …").click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::TextInput, "Titel")
        .type_text("Familienzentrum Unterstolberg");
    harness.run();
    harness.get_by_label("Speichern").click();
    harness.run();
    let map = harness.state().state.map.as_ref().expect("map");
    let measure = map.measures.all().first().expect("captured");
    assert_eq!(measure.title, "Familienzentrum Unterstolberg");
    assert_eq!(measure.areas, ["S 1"]);
    assert_eq!(measure.municipalities, ["Stolberg (Rhld.)"]);
    assert!(!measure.fields.is_empty(), "the area's field is taken");
}

#[test]
fn the_language_switch_reaches_the_new_windows() {
    let mut harness = harness();
    harness.get_by_label("Sprache").click();
    harness.run();
    harness.get_by_label("English").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    assert!(shown(&harness, "Find a municipality or area"));
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run();
    assert!(shown(&harness, "Export map"));
    assert!(
        shown(&harness, "1,920 × 1,080 pixels"),
        "English number format"
    );
    assert!(shown(&harness, "Highlight municipality"));
}

#[test]
fn a_panic_in_a_frame_is_reported_in_a_dialog_and_the_project_stays_intact() {
    let (mut harness, path) = project_harness("crash");
    // A measure, entered as a user does.
    add_measure_in_inspector(&mut harness, "AC 3", "Familienzentrum vor dem Absturz");
    assert_eq!(
        harness
            .state()
            .state
            .map
            .as_ref()
            .expect("map")
            .measures
            .len(),
        1
    );

    // A bug deep in the drawing code: the frame panics, the program does not.
    harness.state_mut().panic_on_next_frame();
    harness.run();
    assert!(shown(&harness, "Interner Programmfehler"));
    assert!(
        harness
            .query_all_by_label_contains("a panic while drawing the map")
            .next()
            .is_some(),
        "the dialog says what happened"
    );
    let file = path.display().to_string();
    assert!(
        harness.query_all_by_label_contains(&file).next().is_some(),
        "the dialog names the project file that is safe"
    );
    harness.get_by_label("Weiterarbeiten").click();
    harness.run();
    assert!(!shown(&harness, "Interner Programmfehler"));

    // The window goes on working: another click selects another area.
    let pos = screen_pos_of(&harness, "E 1");
    click(&mut harness, pos);
    let state = &harness.state().state;
    let map = state.map.as_ref().expect("map");
    assert_eq!(state.selection, map.region.space_by_code("E 1"));

    // The project file, opened afresh as after a restart, holds the measure.
    let reopened = sozialraum_atlas::io::project::open(
        &path,
        &sozialraum_atlas::io::ImportOptions::default(),
        &sozialraum_atlas::io::Progress::default(),
    )
    .expect("the project opens");
    let titles: Vec<String> = reopened
        .measures
        .all()
        .iter()
        .map(|m| m.title.clone())
        .collect();
    assert_eq!(titles, ["Familienzentrum vor dem Absturz"]);
}

/// Runs frames of a window until `done` holds (others' changes arrive on their own, about
/// once a second), at most `seconds`.
fn run_until(
    harness: &mut Harness<'_, SozialraumApp>,
    seconds: u64,
    done: impl Fn(&Harness<'_, SozialraumApp>) -> bool,
) -> std::time::Duration {
    let started = std::time::Instant::now();
    while !done(harness) {
        assert!(
            started.elapsed().as_secs() < seconds,
            "not within {seconds} s"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
        harness.run();
    }
    started.elapsed()
}

fn open_measures_list(harness: &mut Harness<'_, SozialraumApp>) {
    harness.get_by_label("Bearbeiten").click();
    harness.run();
    harness.get_by_label("Maßnahmenliste … Strg+L").click();
    harness.run();
}

#[test]
fn two_windows_on_one_file_see_each_others_measure_within_two_seconds() {
    let (mut a, path) = project_harness("two-windows");
    let mut b = open_in_window(&path);
    open_measures_list(&mut b);
    add_measure_in_inspector(&mut a, "AC 3", "Sprachcafé Aachen-Ost");
    let took = run_until(&mut b, 3, |h| shown(h, "Sprachcafé Aachen-Ost"));
    assert!(took.as_millis() < 2_000, "{took:?}");
    // And back: B adds one (its form, filled from the list's button), A's list shows it.
    // The list window's button (the inspector has one of the same name).
    b.query_all_by_label("Maßnahme hinzufügen …")
        .last()
        .expect("button")
        .click();
    b.run();
    b.get_by_role_and_label(egui::Role::TextInput, "Titel")
        .type_text("Stadtteilmütter Stolberg");
    b.run();
    b.get_by_label("Speichern").click();
    b.run();
    open_measures_list(&mut a);
    let took = run_until(&mut a, 3, |h| shown(h, "Stadtteilmütter Stolberg"));
    assert!(took.as_millis() < 2_000, "{took:?}");
    let reopened = sozialraum_atlas::io::project::open(
        &path,
        &sozialraum_atlas::io::ImportOptions::default(),
        &sozialraum_atlas::io::Progress::default(),
    )
    .expect("opens");
    assert_eq!(reopened.measures.len(), 2);
    assert!(
        harness_says_saved(&a) && harness_says_saved(&b),
        "both say ✓ gespeichert"
    );
}

fn harness_says_saved(h: &Harness<'_, SozialraumApp>) -> bool {
    h.query_all_by_label_contains("✓ gespeichert")
        .next()
        .is_some()
}

#[test]
fn the_conflict_dialog_shows_when_read_theirs_and_mine_and_takes_each_pick() {
    use sozialraum_atlas::document::edit::Edit;
    let (mut a, path) = project_harness("conflict");
    let mut b = open_in_window(&path);
    add_measure_in_inspector(&mut a, "AC 3", "Familienzentrum");
    run_until(&mut b, 3, |h| {
        h.state()
            .state
            .map
            .as_ref()
            .is_some_and(|m| m.measures.len() == 1)
    });
    // B opens the measure in the form, from the measures list.
    open_measures_list(&mut b);
    b.get_by_label("Bearbeiten 1").click();
    b.run();
    assert!(shown(&b, "Maßnahme 1 bearbeiten"));
    // Meanwhile A sets the status.
    let mut changed = a.state().state.map.as_ref().expect("map").measures.all()[0].clone();
    changed.status = sozialraum_atlas::model::Status::Planned;
    a.state_mut()
        .state
        .apply(Command::Edit(Edit::UpdateMeasure(Box::new(changed))));
    run_until(&mut b, 3, |h| {
        h.state()
            .state
            .measure_form
            .as_ref()
            .is_some_and(|f| f.changed_elsewhere)
    });
    b.run();
    assert!(
        b.query_all_by_label_contains("von anderer Stelle geändert")
            .next()
            .is_some(),
        "the form says so"
    );
    // B writes a note and saves: the dialog shows the two fields that differ.
    b.get_by_role_and_label(egui::Role::MultilineTextInput, "Notizen")
        .click();
    b.run();
    b.get_by_role_and_label(egui::Role::MultilineTextInput, "Notizen")
        .type_text("Raum im Pfarrheim");
    b.run();
    b.get_by_label("Speichern").click();
    b.run();
    b.run();
    assert!(shown(&b, "Gleichzeitig geändert"));
    for label in ["von anderer Stelle Status", "meine Änderung Status"] {
        assert!(shown(&b, label), "{label}");
    }
    assert!(shown(&b, "meine Änderung Notizen"));
    b.get_by_label("Übernehmen").click();
    b.run();
    assert!(!shown(&b, "Gleichzeitig geändert"));
    let conn = rusqlite::Connection::open(&path).expect("open");
    let (status, notes): (String, String) = conn
        .query_row("SELECT status, notizen FROM massnahmen", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("row");
    assert_eq!(status, "geplant", "A's status kept");
    assert_eq!(notes, "Raum im Pfarrheim", "B's note kept");
}

#[test]
fn quitting_with_an_unsaved_change_asks_and_lists_it() {
    let (mut harness, path) = project_harness("quit-unsaved");
    let pages: u32 = rusqlite::Connection::open(&path)
        .expect("open")
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .expect("pages");
    harness
        .state()
        .state
        .store
        .as_ref()
        .expect("store")
        .limit_pages_for_test(pages);
    // A long description needs new pages: the disk is "full".
    let mut measure = sozialraum_atlas::model::Measure {
        title: "Bürgerbus Simmerath".into(),
        areas: vec!["SI 1".into()],
        ..Default::default()
    };
    measure.description = "Fahrplan und Haltestellen ".repeat(600);
    harness.state_mut().state.apply(Command::Edit(
        sozialraum_atlas::document::edit::Edit::AddMeasure(Box::new(measure)),
    ));
    harness.run();
    assert!(
        shown(&harness, "Speichern fehlgeschlagen"),
        "the failed write is told"
    );
    harness.get_by_label("OK").click();
    harness.run();
    harness.state_mut().state.apply(Command::ShowWindow(
        sozialraum_atlas::app::Window::Measures,
        true,
    ));
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("nicht gespeichert")
            .next()
            .is_some(),
        "the status bar and the list say so"
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Q);
    harness.run();
    assert!(shown(&harness, "Nicht gespeichert"), "quitting asks");
    assert!(shown(&harness, "• Maßnahme „Bürgerbus Simmerath“"));
    assert!(shown(&harness, "Speichern unter …"));
    assert!(!harness.state().state.quit_confirmed);
    harness.get_by_label("Abbrechen").click();
    harness.run();
    assert!(!shown(&harness, "Nicht gespeichert"));
}

#[test]
fn a_50_mb_title_another_program_wrote_keeps_the_window_fluid() {
    let (harness, path) = project_harness("huge-title");
    drop(harness);
    {
        // As another program (QGIS, a script) could write it.
        let conn = rusqlite::Connection::open(&path).expect("open");
        let huge = "Sehr langer Titel ".repeat(50 * 1024 * 1024 / 18);
        conn.execute(
            "INSERT INTO massnahmen (titel, beschreibung, sozialraeume) VALUES (?1, ?1, 'AC 3')",
            [&huge],
        )
        .expect("insert");
        let id: i64 = conn.last_insert_rowid();
        conn.execute(
            "INSERT INTO massnahmen_sozialraeume (massnahme_id, code, position) VALUES (?1, 'AC 3', 0)",
            [id],
        )
        .expect("link");
    }
    let mut harness = open_in_window(&path);
    let frame = |harness: &mut Harness<'_, SozialraumApp>| {
        let started = std::time::Instant::now();
        harness.run();
        started.elapsed()
    };
    open_measures_list(&mut harness);
    let pos = screen_pos_of(&harness, "AC 3");
    click(&mut harness, pos);
    let mut slowest = std::time::Duration::ZERO;
    for _ in 0..5 {
        slowest = slowest.max(frame(&mut harness));
    }
    assert!(
        slowest.as_millis() < 1_500,
        "list and inspector: {slowest:?}"
    );
    let uid = harness
        .state()
        .state
        .map
        .as_ref()
        .expect("map")
        .measures
        .all()[0]
        .uid;
    harness.state_mut().state.apply(Command::EditMeasure(uid));
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("Dieser Text ist zu lang")
            .next()
            .is_some(),
        "the form says so instead of laying out 50 MB"
    );
    let mut slowest = std::time::Duration::ZERO;
    for _ in 0..5 {
        slowest = slowest.max(frame(&mut harness));
    }
    assert!(slowest.as_millis() < 1_500, "form: {slowest:?}");
    eprintln!("slowest frame with the 50 MB title in list, inspector and form: {slowest:?}");
}

/// eframe's storage, kept in memory between two "sessions".
#[derive(Default)]
struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn windows_open_at_the_end_of_a_session_open_again_and_passing_ones_do_not() {
    use eframe::App;
    use sozialraum_atlas::app::Window;
    let mut storage = MemoryStorage::default();
    {
        let mut first = harness();
        first.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
        first.run();
        for w in [Window::Catalogue, Window::Shortcuts] {
            first.state_mut().state.apply(Command::ShowWindow(w, true));
        }
        first.run();
        assert!(shown(&first, "Maßnahmen"), "Ctrl+L opens the measures list");
        first.state_mut().save(&mut storage);
    }
    assert_eq!(
        storage.0.get("windows").map(String::as_str),
        Some("measures,catalogue")
    );
    let mut second = Harness::builder()
        .with_size(Vec2::new(1500.0, 950.0))
        .build_eframe(|cc| {
            SozialraumApp::new(&cc.egui_ctx, StartOptions::default(), Some(&storage))
        });
    second.run();
    let windows = &second.state().state.windows;
    assert!(windows.is_open(Window::Measures));
    assert!(windows.is_open(Window::Catalogue));
    assert!(!windows.is_open(Window::Shortcuts), "help is not reopened");
}

#[test]
fn the_english_menu_names_the_keys_in_english() {
    let mut harness = harness();
    harness
        .state_mut()
        .state
        .apply(Command::SetLanguage(Lang::En));
    harness.run();
    harness.get_by_label("File").click();
    harness.run();
    assert!(shown(&harness, "Open … Ctrl+O"), "the entry and its key");
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Edit").click();
    harness.run();
    assert!(shown(&harness, "Measures list … Ctrl+L"));
}

#[test]
fn the_first_saved_view_offers_a_project_beside_the_map_and_accepting_keeps_it() {
    let dir = common::temp_dir("ui-offer");
    let map = dir.join("bezirke.geojson");
    std::fs::write(&map, sozialraum_atlas::io::demo::DEMO_GEOJSON).expect("map written");
    let mut harness = map_in_window(&map);
    assert!(harness.state().state.map.is_some(), "map opened");
    assert!(!shown(&harness, "Projekt anlegen?"), "not before a change");
    harness
        .state_mut()
        .state
        .apply(Command::SaveView("Alles".into()));
    harness.run();
    assert!(shown(&harness, "Projekt anlegen?"));
    let suggested = dir.join("bezirke_projekt.gpkg");
    let typed = harness
        .get_by_role_and_label(egui::Role::TextInput, "Datei")
        .value();
    assert_eq!(
        typed.as_deref(),
        Some(suggested.display().to_string().as_str()),
        "suggested beside the map file"
    );
    harness.get_by_label("Projekt anlegen").click();
    harness.run();
    assert!(
        harness.state().state.store.is_some(),
        "the map is now a project"
    );
    assert!(
        !harness.state().state.has_unsaved(),
        "and the view is in it"
    );
    assert!(suggested.exists());
    drop(harness);
    let mut reopened = open_in_window(&suggested);
    reopened.run();
    let views = &reopened
        .state()
        .state
        .map
        .as_ref()
        .expect("map")
        .saved_views;
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].name, "Alles");
}

/// German fragments of the UI texts that English must never show: each German text cut at its
/// placeholders, keeping pieces long enough to mean something that the English text lacks.
fn german_fragments() -> Vec<(String, sozialraum_atlas::i18n::T)> {
    let mut out = Vec::new();
    for &t in sozialraum_atlas::i18n::T::ALL {
        let (de, en) = (t.text(Lang::De), t.text(Lang::En));
        if de == en {
            continue;
        }
        for piece in de.split(['{', '}']).step_by(2) {
            let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
            let words = piece.split_whitespace().count();
            if (words >= 2 || piece.chars().count() >= 8) && !en.contains(piece) {
                out.push((piece.to_string(), t));
            }
        }
    }
    out
}

#[test]
fn every_window_in_english_shows_no_text_from_the_german_table() {
    let start = StartOptions {
        lang: Some(Lang::En),
        ..StartOptions::default()
    };
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1500.0, 950.0))
        .build_eframe(move |cc| SozialraumApp::new(&cc.egui_ctx, start.clone(), None));
    harness.run();
    let fragments = german_fragments();
    assert!(
        fragments.len() > 300,
        "the table is read: {}",
        fragments.len()
    );
    // What the map file says is data, not UI text: its title, its indicators' German labels
    // (shown where there is no English one), themes and sources.
    let data: Vec<String> = {
        let map = harness.state().state.map.as_ref().expect("demo");
        let mut data = vec![map.region.title.clone()];
        for i in map.indicators.indicators() {
            data.extend([
                i.label(false).to_string(),
                i.theme.clone(),
                i.source.clone(),
            ]);
        }
        data.retain(|d| !d.is_empty());
        data
    };
    let mut seen: Vec<String> = Vec::new();
    let mut check = |harness: &Harness<'_, SozialraumApp>, what: &str| {
        for (text, _) in text_sizes(harness) {
            // Data (and file names, which are the user's) are not UI text.
            if data.iter().any(|d| text.contains(d.as_str())) || text.contains(['/', '\\']) {
                continue;
            }
            for (piece, key) in &fragments {
                if text.contains(piece.as_str()) {
                    seen.push(format!(
                        "{what}: {text:?} contains German {piece:?} ({key:?})"
                    ));
                }
            }
        }
    };
    let i = {
        let map = harness.state().state.map.as_ref().expect("demo");
        map.region.space_by_code("AC 3").expect("AC 3")
    };
    harness.state_mut().state.apply(Command::Select(Some(i)));
    harness.run();
    check(&harness, "main window");
    for colouring in [Colouring::Coverage, {
        let map = harness.state().state.map.as_ref().expect("demo");
        let p = map.indicators.position("sgb2_quote").expect("indicator");
        Colouring::Indicator(IndicatorStyle::for_indicator(
            &map.indicators.indicators()[p],
        ))
    }] {
        harness
            .state_mut()
            .state
            .apply(Command::SetColouring(colouring));
        harness.run();
        check(&harness, "coloured");
    }
    for window in Window::ALL {
        harness
            .state_mut()
            .state
            .apply(Command::ShowWindow(window, true));
        harness.run();
        harness.run();
        check(&harness, &format!("{window:?}"));
        harness
            .state_mut()
            .state
            .apply(Command::ShowWindow(window, false));
        harness.run();
    }
    harness.state_mut().state.apply(Command::NewMeasure);
    harness.run();
    check(&harness, "measure form");
    harness.state_mut().state.apply(Command::CloseMeasureForm);
    harness.state_mut().state.apply(Command::Present(true));
    harness.run();
    harness.state_mut().state.apply(Command::Select(Some(i)));
    harness.run();
    check(&harness, "presentation");
    seen.sort();
    seen.dedup();
    assert!(
        seen.is_empty(),
        "{} German texts:\n{}",
        seen.len(),
        seen.join("\n")
    );
}

/// A window on `path` (a map, not a project), once it has loaded.
fn map_in_window(path: &std::path::Path) -> Harness<'static, SozialraumApp> {
    window_on(path, |s| s.map.is_some())
}

#[test]
fn the_reasons_read_as_sentences_with_the_exact_numbers_one_hover_away() {
    let mut harness = harness();
    let i = {
        let map = harness.state().state.map.as_ref().expect("demo");
        map.region.space_by_code("AC 3").expect("AC 3")
    };
    harness.state_mut().state.apply(Command::Select(Some(i)));
    harness.run();
    let texts = painted_texts(&harness);
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Alle Bedingungen müssen erfüllt sein (")),
        "the combination in words: {texts:?}"
    );
    let sentence = texts
        .iter()
        .find(|t| t.starts_with("SGB-II-Quote ") && t.contains("Mittel der Region ("))
        .unwrap_or_else(|| panic!("a condition as a sentence: {texts:?}"));
    assert!(
        sentence.ends_with("Schwelle erreicht") || sentence.ends_with("Schwelle nicht erreicht"),
        "{sentence}"
    );
    assert!(
        !texts
            .iter()
            .any(|t| t.contains(" z = ") || t.starts_with("Warum?")),
        "no statistics on the face of it"
    );
    // The exact comparison is one hover away.
    harness
        .query_all_by_label(sentence)
        .next()
        .expect("the sentence")
        .hover();
    harness.run();
    let hovered = painted_texts(&harness);
    assert!(
        hovered
            .iter()
            .any(|t| t.starts_with("Genau: SGB-II-Quote") && t.contains("z = ")),
        "{hovered:?}"
    );
}

#[test]
fn a_map_without_classification_or_numbers_is_not_classified_and_says_why_no_indicator_view() {
    let dir = common::temp_dir("ui-plain");
    let path = dir.join("bezirke.geojson");
    let square = |x: f64| {
        format!(
            "[[[{x},50.7],[{},50.7],[{},50.8],[{x},50.8],[{x},50.7]]]",
            x + 0.1,
            x + 0.1
        )
    };
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"FeatureCollection","features":[
{{"type":"Feature","properties":{{"code":"1","name":"Mitte"}},"geometry":{{"type":"Polygon","coordinates":{}}}}},
{{"type":"Feature","properties":{{"code":"2","name":"Nord"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}]}}"#,
            square(6.0),
            square(6.1)
        ),
    )
    .expect("written");
    let mut harness = map_in_window(&path);
    let texts = painted_texts(&harness);
    assert!(
        texts.iter().any(|t| t.starts_with("nicht eingestuft")),
        "the legend's class: {texts:?}"
    );
    assert!(
        texts.iter().any(|t| t == "Sozialräume (2)"),
        "the legend's title"
    );
    assert!(!texts.iter().any(|t| t.contains("kein Gestaltungsbedarf")));
    assert!(
        shown(
            &harness,
            "Die Karte hat keine Eigenschaft mit Zahlen, die man einfärben könnte. Zahlen kommen mit Datei → Indikatortabelle importieren … hinzu."
        ),
        "the greyed indicator view says why"
    );
    harness.state_mut().state.apply(Command::Select(Some(0)));
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("nicht eingestuft – die Datei enthält keine Einstufung")
            .next()
            .is_some(),
        "the inspector says not classified"
    );
    let texts = painted_texts(&harness);
    assert!(!texts.iter().any(|t| t.contains("kein Gestaltungsbedarf")));
    assert!(
        !texts.iter().any(|t| t.contains('✗')),
        "no crosses for unclassified fields"
    );
}

#[test]
fn presenting_fills_the_room_left_of_the_column_and_hides_tool_windows() {
    let mut harness = harness();
    harness
        .state_mut()
        .state
        .apply(Command::ShowWindow(Window::Views, true));
    harness.run();
    let views_title = Window::Views.title(Lang::De);
    assert!(shown(&harness, views_title), "the views window is open");
    harness.key_press(egui::Key::F5);
    harness.run();
    harness.run();
    assert!(harness.state().state.presenting);
    assert!(
        !shown(&harness, views_title),
        "tool windows hidden while presenting"
    );
    // The region fills the free room: its width on screen against the room left of the column.
    let (left, right) = {
        let state = &harness.state().state;
        let v = state.camera.viewport.expect("fitted");
        let b = state.map.as_ref().expect("map").prepared.bounds;
        let a = v.screen_from_map([b[0], b[1]]);
        let c = v.screen_from_map([b[2], b[3]]);
        (a[0].min(c[0]), a[0].max(c[0]))
    };
    let room = 1500.0 - sozialraum_atlas::ui::map_view::present_column(1500.0);
    let centre = (left + right) / 2.0;
    assert!(
        (centre - room / 2.0).abs() < 40.0,
        "centred in the free room: {left}..{right} in 0..{room}"
    );
    assert!(
        right <= room + 1.0,
        "not under the column: {right} > {room}"
    );
    // Bild↓ without saved views says where to make them.
    harness.key_press(egui::Key::PageDown);
    harness.run();
    assert!(shown(
        &harness,
        "Keine Ansichten gespeichert – Ansicht → Ansichten …"
    ));
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(!harness.state().state.presenting);
    assert!(shown(&harness, views_title), "back after presenting");
}

#[test]
fn the_switcher_lists_every_area_of_the_municipality_found() {
    let mut harness = harness();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::TextInput, "Kommune oder Sozialraum suchen")
        .type_text("Stolberg");
    harness.run();
    assert!(shown(
        &harness,
        "Stolberg (Rhld.) (Kommune · alle 17 Sozialräume)"
    ));
    for row in ["    S 1 Unterstolberg", "    S 3b", "    S 16"] {
        assert!(shown(&harness, row), "{row:?} listed under it");
    }
}

#[test]
fn the_register_dialog_opens_a_register_and_comes_back_with_the_reason_when_it_fails() {
    let mut harness = harness();
    harness.step();
    harness
        .state_mut()
        .state
        .apply(Command::ShowWindow(Window::Register, true));
    harness.run_steps(8);
    assert!(shown(&harness, "Gemeinsames Register öffnen"));
    // A server that is not there (a socket folder that does not exist), and a password.
    harness
        .get_by_role_and_label(egui::Role::TextInput, "Server")
        .click();
    harness.run_steps(8);
    harness
        .get_by_role_and_label(egui::Role::TextInput, "Server")
        .type_text("host=/gibt/es/nicht port=5 user=anna dbname=atlas");
    harness.run_steps(8);
    harness
        .get_by_role_and_label(egui::Role::PasswordInput, "Passwort")
        .click();
    harness.run_steps(8);
    harness
        .get_by_role_and_label(egui::Role::PasswordInput, "Passwort")
        .type_text("geheim");
    harness.run_steps(8);
    harness.get_by_label("Öffnen").click();
    harness.run_steps(8);
    // The load runs in the background; it fails, says why, and the form is back.
    let started = std::time::Instant::now();
    while harness.state().state.loading.is_some()
        && started.elapsed() < std::time::Duration::from_secs(30)
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.step();
    }
    harness.run_steps(8);
    let state = &harness.state().state;
    let error = state.error.clone().unwrap_or_default();
    assert!(error.contains("/gibt/es/nicht"), "{error}");
    assert!(state.windows.is_open(Window::Register));
    assert!(state.map.is_some(), "the map shown before stays");
    assert!(state.store.is_none());
}

#[test]
fn the_years_step_back_play_and_show_the_change_and_the_inspector_the_series() {
    use egui_kittest::kittest::NodeT;
    let mut harness = harness();
    harness.get_by_label("Indikator").click();
    harness.run();
    let style = |h: &Harness<'_, SozialraumApp>| match &h.state().state.view.colouring {
        Colouring::Indicator(style) => style.clone(),
        other => panic!("not an indicator view: {other:?}"),
    };
    let label = {
        let map = harness.state().state.map.as_ref().expect("map");
        let p = map
            .indicators
            .position(&style(&harness).key)
            .expect("shown");
        assert_eq!(map.indicators.years(p), &[2017, 2020, 2023]);
        map.indicators.indicators()[p].label_de.clone()
    };
    assert!(shown(&harness, &format!("{label} 2023")), "the latest year");
    harness.get_by_label("Ein Jahr zurück").click();
    harness.run();
    assert_eq!(style(&harness).year, Some(2020));
    assert!(shown(&harness, &format!("{label} 2020")));
    harness.get_by_label("Ein Jahr zurück").click();
    harness.run();
    assert_eq!(style(&harness).year, Some(2017));
    assert!(
        harness
            .get_by_label("Ein Jahr zurück")
            .accesskit_node()
            .is_disabled(),
        "no year before the first"
    );
    // Play: the years follow one another by themselves, until paused.
    harness.get_by_label("▶ Abspielen").click();
    harness.run_steps(2);
    assert_eq!(
        style(&harness).year,
        Some(2020),
        "play goes on from the year shown"
    );
    let mut steps = 0;
    while style(&harness).year == Some(2020) {
        harness.step();
        steps += 1;
        assert!(steps < 2000, "play does not move on");
    }
    assert_eq!(
        style(&harness).year,
        None,
        "2023, the latest, is stored as no year"
    );
    harness.get_by_label("■ Anhalten").click();
    harness.run_steps(4);
    assert!(shown(&harness, "▶ Abspielen"));
    // The change between the first and the latest year.
    harness.get_by_label("Veränderung").click();
    harness.run();
    let change = style(&harness).change.expect("a change map");
    assert_eq!((change.from, change.to), (2017, 2023));
    let title = harness
        .state()
        .state
        .scene
        .as_ref()
        .expect("scene")
        .legend
        .title
        .clone();
    assert!(title.contains("Veränderung 2017–2023"), "{title}");
    assert!(shown(&harness, &title));
    // The class method says what a change map does: classes centred on 0.
    let method = harness
        .get_by_role_and_label(egui::Role::ComboBox, "Klassen")
        .value();
    assert_eq!(method.as_deref(), Some("gleich breite Klassen um 0"));
    // The inspector: each indicator's series with its values per year.
    let pos = screen_pos_of(&harness, "S 1");
    click(&mut harness, pos);
    assert!(shown(&harness, "Entwicklung 2017–2023"));
    let expected = {
        let map = harness.state().state.map.as_ref().expect("map");
        let i = map.region.space_by_code("S 1").expect("S 1");
        let p = map.indicators.position("sgb2_quote").expect("quota");
        let indicator = &map.indicators.indicators()[p];
        [2017, 2020, 2023]
            .iter()
            .map(|&y| {
                format!(
                    "{y}: {}",
                    sozialraum_atlas::scene::text::format_value(
                        map.indicators.value_at(p, i, Some(y)),
                        indicator,
                        Lang::De
                    )
                )
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    assert!(shown(&harness, &expected), "{expected}");
}

#[test]
fn an_index_is_built_shown_like_an_indicator_and_its_sheet_saved_as_text_and_pdf() {
    let mut harness = harness();
    harness.get_by_label("Indikator").click();
    harness.run();
    harness.get_by_label("Index bilden …").click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::TextInput, "Name")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::TextInput, "Name")
        .type_text("Bedarfsindex");
    harness.run();
    for label in ["SGB-II-Quote", "Arbeitslosenquote"] {
        harness
            .get_by_role_and_label(egui::Role::CheckBox, label)
            .scroll_to_me();
        harness.run_steps(10);
        harness
            .get_by_role_and_label(egui::Role::CheckBox, label)
            .click_accesskit();
        harness.run();
    }
    // The robustness of the classes shows while choosing.
    assert!(shown(&harness, "Wie stabil die Einteilung ist"));
    harness.get_by_label("Index anlegen").click();
    harness.run();
    let (key, years, values) = {
        let map = harness.state().state.map.as_ref().expect("map");
        let p = map
            .indicators
            .position("index_bedarfsindex")
            .expect("the index is an indicator");
        let indicator = &map.indicators.indicators()[p];
        assert_eq!(indicator.unit, sozialraum_atlas::model::Unit::Index);
        let def = indicator.index.as_ref().expect("its definition");
        assert_eq!(def.inputs.len(), 2);
        (
            indicator.key.clone(),
            map.indicators.years(p).to_vec(),
            map.indicators.column(p).to_vec(),
        )
    };
    assert_eq!(years, vec![2017, 2020, 2023], "an index per year");
    assert!(values.iter().all(|v| v.number().is_some()), "every area");
    match &harness.state().state.view.colouring {
        Colouring::Indicator(style) => assert_eq!(style.key, key, "the map shows it"),
        other => panic!("{other:?}"),
    }
    assert!(shown(&harness, "Bedarfsindex 2023"));
    // In the inspector like any other indicator.
    let pos = screen_pos_of(&harness, "S 1");
    click(&mut harness, pos);
    assert!(shown(&harness, "Bedarfsindex"));
    // The definition sheet, saved as text and as PDF.
    harness.get_by_label("Indikatorenblatt …").click();
    harness.run_steps(10);
    assert!(shown(&harness, "Indikatorenblatt: Bedarfsindex"));
    let dir = common::temp_dir("index-sheet");
    let path = dir.join("blatt.txt");
    replace_file_field(&mut harness, path.to_str().expect("utf-8"));
    harness.run();
    harness.get_by_label("Als Text speichern").click();
    harness.run();
    let text = std::fs::read_to_string(&path).expect("sheet written");
    for part in [
        "Indikatorenblatt: Bedarfsindex",
        "Index = 0,50 × z(SGB-II-Quote) + 0,50 × z(Arbeitslosenquote)",
        "SGB-II-Quote: Gewicht 50 %, hoher Wert = mehr Bedarf; Jahre: 2017, 2020, 2023",
        "jedes Jahr für sich",
        "+10 %:",
    ] {
        assert!(text.contains(part), "{part} in:\n{text}");
    }
    harness.get_by_label("Als PDF speichern").click();
    harness.run();
    let pdf = dir.join("blatt.pdf");
    let bytes = std::fs::read(&pdf).expect("pdf written");
    assert!(bytes.starts_with(b"%PDF"));
    if let Some(text) = common::pdf_text(&pdf) {
        assert!(text.contains("Indikatorenblatt: Bedarfsindex"), "{text}");
        assert!(text.contains("Arbeitslosenquote"), "{text}");
    }
}

#[test]
fn status_and_dynamics_show_a_grid_legend_and_the_inspector_says_why() {
    use egui_kittest::kittest::NodeT;
    let mut harness = harness();
    harness.get_by_label("Indikator").click();
    harness.run();
    harness.get_by_label("Status und Dynamik").click();
    harness.run();
    let spec = match &harness.state().state.view.colouring {
        Colouring::Typology(spec) => spec.clone(),
        other => panic!("not a typology: {other:?}"),
    };
    assert_eq!((spec.from, spec.to), (2017, 2023));
    // The grid legend: one cell per pair, each named with its count.
    let grid = harness
        .state()
        .state
        .scene
        .as_ref()
        .and_then(|s| s.legend.grid.clone())
        .expect("grid");
    let count = grid.counts[1][1];
    assert!(shown(
        &harness,
        &format!(
            "Status mittel · Dynamik stabil ({})",
            format::count(count, Lang::De)
        )
    ));
    let pos = screen_pos_of(&harness, "AC 3");
    click(&mut harness, pos);
    assert!(harness.state().state.selection.is_some(), "AC 3 selected");
    let lines: Vec<String> = harness
        .query_all(egui_kittest::kittest::by().label_contains(", z = "))
        .filter_map(|n| {
            let node = n.accesskit_node();
            node.label().or_else(|| node.value())
        })
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Status ") && l.contains("Anteil 65 Jahre und älter 2023")),
        "the inspector says the status with its value and z-score: {lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Dynamik ") && l.contains("Veränderung 2017–2023")),
        "{lines:?}"
    );
    // Back to one year's values in one click.
    harness.get_by_label("Ein Jahr").click();
    harness.run();
    assert!(matches!(
        harness.state().state.view.colouring,
        Colouring::Indicator(_)
    ));
}

/// Types `text` into the text field named `label`.
fn type_into(harness: &mut Harness<'_, SozialraumApp>, label: &str, text: &str) {
    harness
        .get_by_role_and_label(egui::Role::TextInput, label)
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::TextInput, label)
        .type_text(text);
    harness.run();
}

#[test]
fn a_table_of_older_areas_is_converted_in_the_window_and_its_estimates_are_marked() {
    let dir = common::temp_dir("ui-crosswalk");
    let (table, crosswalk) = (dir.join("alt_2010.csv"), dir.join("gebiete.csv"));
    std::fs::write(&table, "Gebiet;Einwohner\nAC 12 alt;10000\nS 1;3000\n").expect("table");
    std::fs::write(
        &crosswalk,
        "alt;neu;anteil\nAC 12 alt;AC 1;0,4\nAC 12 alt;AC 2;0,6\nS 1;S 1;1\n",
    )
    .expect("crosswalk");
    let mut harness = harness();
    harness.get_by_label("Datei").click();
    harness.run();
    harness
        .get_by_label("Indikatortabelle importieren …")
        .click();
    harness.run();
    type_into(
        &mut harness,
        "Datei (CSV oder XLSX)",
        table.to_str().expect("utf-8"),
    );
    // The year is guessed from the file name.
    let year = harness
        .get_by_role_and_label(egui::Role::TextInput, "Jahr der Werte (leer: ohne Jahr)")
        .value();
    assert_eq!(year.as_deref(), Some("2010"));
    type_into(
        &mut harness,
        "Gebietsstand umrechnen (optional)",
        crosswalk.to_str().expect("utf-8"),
    );
    harness.get_by_label("Importieren").click();
    harness.run();
    assert!(
        harness
            .query_all(egui_kittest::kittest::by().label_contains("umgerechnet mit gebiete.csv"))
            .next()
            .is_some(),
        "the join report says what the crosswalk did"
    );
    {
        let map = harness.state().state.map.as_ref().expect("map");
        let p = map.indicators.position("einwohner").expect("population");
        let ac1 = map.region.space_by_code("AC 1").expect("AC 1");
        assert_eq!(
            map.indicators.value_at(p, ac1, Some(2010)),
            sozialraum_atlas::model::IndicatorValue::Number(4000.0)
        );
        assert!(map.indicators.is_estimated(p, ac1, Some(2010)));
    }
    harness
        .state_mut()
        .state
        .apply(Command::ShowWindow(Window::JoinReport, false));
    harness.run();
    let pos = screen_pos_of(&harness, "AC 1");
    click(&mut harness, pos);
    let shown_code = {
        let state = &harness.state().state;
        state
            .selection
            .and_then(|i| state.map.as_ref().map(|m| m.region.spaces[i].code.clone()))
    };
    assert_eq!(shown_code.as_deref(), Some("AC 1"));
    assert!(
        harness
            .query_all(egui_kittest::kittest::by().label_contains("2010: 4.000 Pers. (geschätzt)"))
            .next()
            .is_some(),
        "the series marks the estimate"
    );
}

#[test]
fn the_profiles_are_saved_from_the_file_menu_with_a_preview() {
    let dir = common::temp_dir("ui-profiles");
    let pdf = dir.join("profile.pdf");
    let mut harness = harness();
    harness.get_by_label("Datei").click();
    harness.run();
    harness
        .get_by_label("Sozialraumprofile speichern …")
        .click();
    harness.run();
    assert!(shown(&harness, "93 Sozialraumprofile"));
    assert!(
        harness.query_by_label("Vorschau").is_some(),
        "a preview of a profile page"
    );
    replace_file_field(&mut harness, pdf.to_str().expect("utf-8"));
    harness.run();
    harness.get_by_label("Speichern").click();
    // It is written on the export thread: the window stays responsive meanwhile.
    harness.step();
    wait_for_export(&mut harness);
    let bytes = std::fs::read(&pdf).expect("the report is written");
    assert!(bytes.starts_with(b"%PDF"));
    let notice = harness.state().state.notice.clone().unwrap_or_default();
    assert!(notice.contains("97 Seiten gespeichert"), "{notice}");
}

#[test]
fn the_partner_atlas_is_saved_from_the_file_menu_with_or_without_measures() {
    let dir = common::temp_dir("ui-atlas");
    let mut harness = harness();
    for (file, measures) in [("ohne.html", false), ("mit.html", true)] {
        let html = dir.join(file);
        harness.get_by_label("Datei").click();
        harness.run();
        harness
            .get_by_label("Atlas für Partner speichern …")
            .click();
        harness.run();
        assert!(shown(&harness, "93 Sozialraumprofile"));
        if measures {
            harness.get_by_label("Geplante Maßnahmen mitgeben").click();
            harness.run();
        }
        replace_file_field(&mut harness, html.to_str().expect("utf-8"));
        harness.run();
        harness.get_by_label("Speichern").click();
        harness.step();
        wait_for_export(&mut harness);
        let text = std::fs::read_to_string(&html).expect("the atlas is written");
        assert!(text.starts_with("<!DOCTYPE html>"));
        assert_eq!(
            text.contains("\"measures\":[]"),
            measures,
            "the measures (none in the demo) are in the file only when ticked"
        );
        let notice = harness.state().state.notice.clone().unwrap_or_default();
        assert!(
            notice.contains("Atlas gespeichert (93 Sozialräume, 44 Karten"),
            "{notice}"
        );
        assert!(!harness.state().state.windows.is_open(Window::Atlas));
    }
}

/// A GeoJSON of `side` × `side` squares of 200 m near Aachen (UTM 32), codes `Q1` …
fn grid_file(name: &str, side: usize) -> common::TestFile {
    let path = common::temp_dir(name).file("raster.geojson");
    let mut features = Vec::new();
    for row in 0..side {
        for col in 0..side {
            let (x, y) = (290_000 + 200 * col, 5_620_000 + 200 * row);
            features.push(format!(
                r#"{{"type":"Feature","properties":{{"code":"Q{}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}}}"#,
                row * side + col + 1,
                x + 200,
                x + 200,
                y + 200,
                y + 200
            ));
        }
    }
    let text = format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:25832"}}}},"features":[{}]}}"#,
        features.join(",\n")
    );
    std::fs::write(&path, text).expect("write grid");
    path
}

#[test]
fn a_map_of_thousands_of_areas_is_drawn_as_a_picture_and_answers_clicks() {
    // 4,096 areas: from there the window draws the map as a picture.
    let path = grid_file("ui-picture", 64);
    let mut harness = window_on(&path, |s| {
        s.map
            .as_ref()
            .is_some_and(|m| m.region.spaces.len() == 4096)
    });
    harness.state_mut().state.frame_figures = true;
    let started = std::time::Instant::now();
    while !harness.state().map_on_screen() {
        assert!(started.elapsed().as_secs() < 30, "no picture of the map");
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.step();
    }
    harness.run_steps(2);
    assert!(
        harness.query_by_label_contains("Kartenbild:").is_some(),
        "the status bar tells the map is a picture"
    );
    // A click on a square selects it and shows it in the inspector.
    let pos = screen_pos_of(&harness, "Q2080");
    click(&mut harness, pos);
    let map = harness.state().state.map.as_ref().expect("map");
    let i = map.region.space_by_code("Q2080").expect("Q2080");
    assert_eq!(harness.state().state.selection, Some(i));
    assert!(shown(&harness, "Q2080"), "the inspector shows the square");
}
