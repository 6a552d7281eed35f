//! The window, driven like a user would (egui_kittest, no display needed): click an area and
//! read its code and indicators in the inspector; switch a Handlungsfeld off in the legend.

use eframe::egui::{self, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sozialraum_atlas::app::{SozialraumApp, StartOptions};
use sozialraum_atlas::i18n::{Lang, format};
use sozialraum_atlas::model::ActionField;
use sozialraum_atlas::ui::inspector::format_value;

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
    let viewport = state.viewport.expect("the map view has fitted the map");
    let i = map.region.space_by_code(code).expect(code);
    let anchor = map.prepared.labels[i].expect("label point");
    let s = viewport.screen_from_map(anchor.pos);
    egui::pos2(s[0], s[1])
}

fn click(harness: &mut Harness<'_, SozialraumApp>, pos: egui::Pos2) {
    harness.hover_at(pos);
    harness.run();
    harness.drag_at(pos);
    harness.step();
    harness.event(egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run();
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
        let column = map
            .region
            .indicators
            .position("sgb2_quote")
            .expect("indicator");
        let indicator = &map.region.indicators.indicators()[column];
        let value = format_value(map.region.indicators.value(column, i), indicator, Lang::De);
        let (rank, n) = map.stats.indicators[column].rank[i].expect("ranked");
        (
            value,
            format!("{} von {}", format::count(rank, Lang::De), n),
        )
    };
    harness.get_by_label("S 1");
    harness.get_by_label("Unterstolberg");
    harness.get_by_label("Stolberg (Rhld.)");
    harness.get_by_label("SGB-II-Quote");
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
    harness.get_by_label("59 of 93 areas with a need for action");
    harness.get_by_label("Fields of action");
}
