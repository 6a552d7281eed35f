//! Presentation mode (F5) for workshops on a projector: the map full screen, the view's name as
//! the title, a large legend, and a large info card for the clicked area with a quick way to
//! capture a measure. No text is smaller than 20 points, so the back of the room can read it.
//!
//! Keys: Esc closes the card, then leaves; Bild↓ / → / Leertaste shows the next saved view,
//! Bild↑ / ← the previous one.

use eframe::egui::{
    self, Align2, Color32, ComboBox, Context, FontId, Key, RichText, TextEdit, Ui, Vec2,
};

use super::command::Command;
use super::shown::Shown;
use super::swatch::{paint_outline, swatch};
use crate::document::Document;
use crate::document::edit::Edit;
use crate::i18n::{Lang, T, format, labels};
use crate::model::{ActionField, Responsibility};
use crate::scene::text::value_with_cases;
use crate::scene::{Scene, field_name};

/// The smallest text in presentation mode, in points.
pub const MIN_TEXT: f32 = 20.0;
/// Text of the map labels in presentation mode.
pub const LABEL_TEXT: f32 = 22.0;
const TITLE_TEXT: f32 = 34.0;
const HEADING_TEXT: f32 = 26.0;

/// The quick measure being typed on the info card.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuickMeasure {
    /// For this area.
    pub area: usize,
    /// Title.
    pub title: String,
    /// Handlungsfeld.
    pub field: Option<ActionField>,
    /// Responsibility.
    pub responsibility: Responsibility,
}

/// State of presentation mode between frames.
#[derive(Debug, Default)]
pub struct PresentationState {
    /// The quick measure form, when open.
    pub quick: Option<QuickMeasure>,
}

/// Keys that mean something else in presentation mode, taken before the map sees them.
pub fn presentation_keys(
    ctx: &Context,
    state: &Shown<'_>,
    pres: &mut PresentationState,
) -> Vec<Command> {
    let typing = ctx.memory(|m| m.focused().is_some());
    let none = egui::Modifiers::NONE;
    ctx.input_mut(|i| {
        let mut out = Vec::new();
        if i.consume_key(none, Key::Escape) {
            if pres.quick.is_some() {
                pres.quick = None;
            } else if state.selection.is_some() {
                out.push(Command::Select(None));
            } else {
                out.push(Command::Present(false));
            }
        }
        if typing {
            return out;
        }
        if i.consume_key(none, Key::PageDown)
            || i.consume_key(none, Key::ArrowRight)
            || i.consume_key(none, Key::Space)
        {
            out.push(Command::StepView(1));
        }
        if i.consume_key(none, Key::PageUp) || i.consume_key(none, Key::ArrowLeft) {
            out.push(Command::StepView(-1));
        }
        out
    })
}

fn big(text: impl Into<String>, size: f32) -> RichText {
    RichText::new(text).font(FontId::proportional(size))
}

fn card_frame() -> egui::Frame {
    egui::Frame::new()
        .fill(Color32::from_white_alpha(240))
        .stroke(egui::Stroke::new(1.0, Color32::from_gray(150)))
        .corner_radius(8)
        .inner_margin(16)
}

/// Title, legend and info card over the map.
pub fn presentation_overlay_ui(
    ctx: &Context,
    state: &Shown<'_>,
    pres: &mut PresentationState,
) -> Vec<Command> {
    let lang = state.lang();
    let mut commands = Vec::new();
    let (Some(map), Some(scene)) = (state.map, state.scene) else {
        return commands;
    };
    let title = state
        .current_view
        .and_then(|k| map.saved_views.get(k))
        .map_or_else(|| map.region.title.clone(), |v| v.name.clone());
    // Title, then the area's card or the legend, in a column on the right; the map fills the
    // rest (see `map_view::present_column`).
    let column = super::map_view::present_column(ctx.content_rect().width()) - 40.0;
    let title_card = egui::Area::new(egui::Id::unique("presentation-title"))
        .anchor(Align2::RIGHT_TOP, Vec2::new(-20.0, 20.0))
        .show(ctx, |ui| {
            card_frame().show(ui, |ui| {
                ui.set_width(column - 32.0);
                ui.label(big(title, TITLE_TEXT).strong());
                let mut subtitle = scene.legend.title.clone();
                if let Some(focus) = &scene.focus {
                    subtitle = format!("{focus} – {subtitle}");
                }
                ui.label(big(subtitle, MIN_TEXT + 2.0));
                if let Some(badge) = &scene.badge {
                    ui.label(big(badge, MIN_TEXT).color(Color32::from_rgb(0x8a, 0x1c, 0x1c)));
                }
            });
        });
    let below_title = Vec2::new(-20.0, title_card.response.rect.bottom() + 12.0);
    if let Some(i) = state.selection {
        egui::Area::new(egui::Id::unique("presentation-card"))
            .anchor(Align2::RIGHT_TOP, below_title)
            .show(ctx, |ui| {
                card_frame().show(ui, |ui| {
                    ui.set_width(column - 32.0);
                    commands.extend(info_card_ui(ui, map, scene, i, pres, lang));
                });
            });
    } else {
        egui::Area::new(egui::Id::unique("presentation-legend"))
            .anchor(Align2::RIGHT_TOP, below_title)
            .show(ctx, |ui| {
                card_frame().show(ui, |ui| {
                    ui.set_width(column - 32.0);
                    legend_ui(ui, scene, lang);
                });
            });
    }
    egui::Area::new(egui::Id::unique("presentation-hint"))
        .anchor(Align2::LEFT_BOTTOM, Vec2::new(24.0, -24.0))
        .show(ctx, |ui| {
            let n = map.saved_views.len();
            let text = if let Some(notice) = state.notice {
                notice.to_string()
            } else if n > 0 {
                let at = state.current_view.map_or(0, |k| k + 1);
                lang.tf(
                    T::PresentHintViews,
                    &[
                        ("k", &format::count(at, lang)),
                        ("n", &format::count(n, lang)),
                    ],
                )
            } else {
                lang.t(T::PresentHint).to_string()
            };
            card_frame().inner_margin(8).show(ui, |ui| {
                ui.label(big(text, MIN_TEXT).color(Color32::from_gray(60)))
            });
        });
    commands
}

/// The legend at projector size, without switches.
fn legend_ui(ui: &mut Ui, scene: &Scene, lang: Lang) {
    ui.label(big(&scene.legend.title, HEADING_TEXT).strong());
    ui.label(big(&scene.legend.summary, MIN_TEXT));
    ui.add_space(6.0);
    for entry in scene.legend.entries.iter().filter(|e| e.visible) {
        ui.horizontal(|ui| {
            let rect = swatch(
                ui,
                Vec2::new(44.0, 26.0),
                entry.fill,
                &scene.patterns,
                false,
            );
            if let Some(outline) = entry.outline {
                paint_outline(ui, rect, outline);
            }
            ui.label(big(
                format!("{} ({})", entry.label, format::count(entry.count, lang)),
                MIN_TEXT,
            ));
        });
    }
}

/// The large card of one area: code and name, municipality, fields, key indicators,
/// measures, and the quick measure form.
fn info_card_ui(
    ui: &mut Ui,
    map: &Document,
    scene: &Scene,
    i: usize,
    pres: &mut PresentationState,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(space) = map.region.spaces.get(i) else {
        return commands;
    };
    ui.label(big(space.display_name(), TITLE_TEXT - 4.0).strong());
    if let Some(m) = map.region.municipality_of(i) {
        ui.label(big(&m.name, MIN_TEXT + 2.0));
    }
    ui.add_space(6.0);
    let fields = map
        .classification
        .fields
        .get(i)
        .copied()
        .unwrap_or_default();
    if fields.is_empty() {
        ui.label(big(lang.t(T::LegendNoNeed), MIN_TEXT));
    }
    for field in fields.iter() {
        ui.horizontal(|ui| {
            let fill =
                crate::scene::style::FillStyle::Solid(crate::scene::style::field_color(field));
            swatch(ui, Vec2::new(32.0, 22.0), fill, &scene.patterns, false);
            ui.label(big(
                format!("{} {}", field.number(), field_name(field, lang)),
                MIN_TEXT,
            ));
        });
    }
    ui.add_space(6.0);
    // The indicators the rules look at, else the first few of the catalogue.
    let mut keys: Vec<String> = map
        .rules
        .rules
        .iter()
        .flat_map(|f| f.conditions.iter().map(|c| c.indicator.clone()))
        .collect();
    keys.dedup();
    if keys.is_empty() {
        keys = map
            .indicators
            .indicators()
            .iter()
            .take(5)
            .map(|i| i.key.clone())
            .collect();
    }
    let mut seen = std::collections::HashSet::new();
    egui::Grid::new("presentation-indicators")
        .num_columns(2)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for key in keys.iter().filter(|k| seen.insert(k.as_str())).take(6) {
                let Some(column) = map.indicators.position(key) else {
                    continue;
                };
                let indicator = &map.indicators.indicators()[column];
                ui.label(big(indicator.label(lang.is_english()), MIN_TEXT));
                ui.label(
                    big(value_with_cases(&map.indicators, column, i, lang), MIN_TEXT).strong(),
                );
                ui.end_row();
            }
        });
    let count = map.measure_counts.get(i).copied().unwrap_or(0);
    ui.add_space(6.0);
    ui.label(big(
        lang.tf(T::PresentMeasures, &[("n", &format::count(count, lang))]),
        MIN_TEXT,
    ));
    ui.add_space(8.0);
    match &mut pres.quick {
        Some(quick) if quick.area == i => {
            if let Some(command) = quick_form_ui(ui, map, quick, lang) {
                commands.push(command);
                pres.quick = None;
            }
        }
        _ => {
            ui.horizontal(|ui| {
                if ui
                    .button(big(lang.t(T::PresentCapture), MIN_TEXT))
                    .clicked()
                {
                    pres.quick = Some(QuickMeasure {
                        area: i,
                        field: fields.iter().next(),
                        ..QuickMeasure::default()
                    });
                }
                if ui.button(big(lang.t(T::Close), MIN_TEXT)).clicked() {
                    commands.push(Command::Select(None));
                }
            });
        }
    }
    commands
}

/// Title, Handlungsfeld and responsibility; the rest later in the measures table.
fn quick_form_ui(
    ui: &mut Ui,
    map: &Document,
    quick: &mut QuickMeasure,
    lang: Lang,
) -> Option<Command> {
    ui.label(big(lang.t(T::PresentQuickTitle), HEADING_TEXT).strong());
    let edit = ui.add(
        TextEdit::singleline(&mut quick.title)
            .char_limit(crate::model::TextField::Title.limit())
            .font(FontId::proportional(MIN_TEXT + 2.0))
            .desired_width(480.0)
            .hint_text(lang.t(T::ColTitle)),
    );
    super::name(&edit, lang.t(T::ColTitle));
    if quick.title.is_empty() && !edit.has_focus() {
        edit.request_focus();
    }
    let field_text = |f: Option<ActionField>| {
        f.map_or_else(
            || lang.t(T::PrioNone).to_string(),
            |f| format!("{} {}", f.number(), field_name(f, lang)),
        )
    };
    let combo = ComboBox::from_id_salt("quick-field")
        .selected_text(big(field_text(quick.field), MIN_TEXT))
        .width(480.0)
        .show_ui(ui, |ui| {
            for f in ActionField::ALL {
                ui.selectable_value(
                    &mut quick.field,
                    Some(f),
                    big(field_text(Some(f)), MIN_TEXT),
                );
            }
        });
    super::name(&combo.response, lang.t(T::ColFields));
    let combo = ComboBox::from_id_salt("quick-responsibility")
        .selected_text(big(
            labels::responsibility(quick.responsibility, lang),
            MIN_TEXT,
        ))
        .width(480.0)
        .show_ui(ui, |ui| {
            for r in Responsibility::ALL {
                ui.selectable_value(
                    &mut quick.responsibility,
                    r,
                    big(labels::responsibility(r, lang), MIN_TEXT),
                );
            }
        });
    super::name(&combo.response, lang.t(T::ColResponsibility));
    let mut out = None;
    ui.horizontal(|ui| {
        let ready = !quick.title.trim().is_empty();
        let save = ui.add_enabled(
            ready,
            egui::Button::new(big(lang.t(T::MeasureSave), MIN_TEXT)),
        );
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        if ready && (save.clicked() || enter) {
            let mut measure = map.draft_for(&[quick.area]);
            measure.title = quick.title.trim().to_string();
            measure.fields = quick.field.into_iter().collect();
            measure.responsibility = quick.responsibility;
            out = Some(Command::Edit(Edit::AddMeasure(Box::new(measure))));
        }
    });
    out
}
