//! The inspector: one Sozialraum with its Handlungsfelder and why (rule by rule, with
//! overrides), every indicator against its municipality and the region with its rank, and a
//! compact profile chart.

use eframe::egui::{self, Color32, Grid, RichText, ScrollArea, Sense, Stroke, Ui, Vec2};
use serde_json::Value;

use super::command::Command;
use super::swatch::swatch;
use super::wrapped::word_wrapped;
use crate::analysis::rules::{ConditionResult, Evaluator};
use crate::document::Document;
use crate::document::edit::Edit;
use crate::i18n::{Lang, T, format};
use crate::model::{
    ActionField, Aggregation, Combinator, Indicator, IndicatorTable, Override, Polarity,
};
use crate::scene::style::{FillStyle, field_color};
use crate::scene::text::{
    condition_text, plain_combination_text, plain_condition_text, value_with_cases,
};
use crate::scene::{EMPHASIS, Scene, field_name};

pub use crate::scene::text::format_value;

/// The override being written, kept between frames.
#[derive(Debug, Default)]
pub struct OverrideForm {
    /// The field being overridden (None: no form open).
    pub field: Option<ActionField>,
    /// The area's code.
    pub code: String,
    /// In or out.
    pub member: bool,
    /// Why.
    pub reason: String,
    /// The user tried to save without a reason.
    pub reason_missing: bool,
}

/// Which status × dynamics group the area is in, and why, with the numbers.
fn typology_ui(
    ui: &mut Ui,
    map: &Document,
    spec: &crate::analysis::typology::TypologySpec,
    index: usize,
    lang: Lang,
) {
    let table = &map.indicators;
    let Some(p) = table.position(&spec.key) else {
        return;
    };
    let indicator = &table.indicators()[p];
    ui.label(RichText::new(lang.t(T::InspectorTypology)).strong());
    let types = crate::analysis::typology::typology(table, spec);
    let Some(t) = types.get(index).copied().flatten() else {
        ui.label(lang.t(T::LegendNoDataBothYears));
        return;
    };
    let status = crate::scene::typology_names(true, spec.status_limits.len() + 1, lang);
    let dynamics = crate::scene::typology_names(false, spec.dynamics_limits.len() + 1, lang);
    let z = |v: f64| format::signed(v, 2, lang);
    let limits = |l: &[f64]| {
        l.iter()
            .map(|v| format::signed(*v, 2, lang))
            .collect::<Vec<_>>()
            .join(" / ")
    };
    ui.label(lang.tf(
        T::InspectorTypologyStatus,
        &[
            ("group", status.get(t.status).map_or("", String::as_str)),
            ("label", indicator.label(lang.is_english())),
            ("year", &spec.to.to_string()),
            (
                "value",
                &crate::scene::text::format_number(t.value, indicator, lang),
            ),
            ("z", &z(t.status_z)),
        ],
    ));
    ui.label(lang.tf(
        T::InspectorTypologyDynamics,
        &[
            ("group", dynamics.get(t.dynamics).map_or("", String::as_str)),
            ("from", &spec.from.to_string()),
            ("to", &spec.to.to_string()),
            (
                "change",
                &crate::scene::text::change_number(t.change, indicator, lang),
            ),
            ("z", &z(t.dynamics_z)),
        ],
    ));
    ui.label(
        RichText::new(lang.tf(
            T::InspectorTypologyLimits,
            &[
                ("status", &limits(&spec.status_limits)),
                ("dynamics", &limits(&spec.dynamics_limits)),
            ],
        ))
        .small()
        .weak(),
    );
    ui.add_space(4.0);
}

fn optional(v: Option<f64>, indicator: &Indicator, lang: Lang) -> String {
    v.map_or_else(
        || "–".to_string(),
        |v| format::number(v, usize::from(indicator.decimals), lang),
    )
}

fn property_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

/// The measures concerning one area, each with a button to edit it.
fn measures_ui(ui: &mut Ui, map: &Document, code: &str, lang: Lang) -> Vec<Command> {
    let mut commands = Vec::new();
    let measures: Vec<&crate::model::Measure> = map
        .measures
        .all()
        .iter()
        .filter(|m| m.concerns(code))
        .collect();
    if measures.is_empty() {
        return commands;
    }
    egui::CollapsingHeader::new(
        lang.tf(T::InspectorMeasures, &[("n", &measures.len().to_string())]),
    )
    .default_open(true)
    .show(ui, |ui| {
        for m in measures {
            ui.horizontal_wrapped(|ui| {
                if ui
                    .link(format!("{} {}", m.id, format::short(&m.title, 80)))
                    .clicked()
                {
                    commands.push(Command::EditMeasure(m.uid));
                }
                ui.label(
                    RichText::new(format!(
                        "· {} · {}",
                        crate::i18n::labels::status(m.status, lang),
                        crate::i18n::labels::responsibility(m.responsibility, lang)
                    ))
                    .weak(),
                );
            });
        }
    });
    commands
}

/// Which areas are selected.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    /// The area shown.
    pub shown: Option<usize>,
    /// How many are selected.
    pub count: usize,
}

/// Shows the inspector for `selection` of `map`, as the map is coloured by `colouring`.
pub fn inspector_ui(
    ui: &mut Ui,
    map: &Document,
    scene: &Scene,
    selection: Selection,
    colouring: &crate::scene::Colouring,
    form: &mut OverrideForm,
    lang: Lang,
) -> Vec<Command> {
    let (selection, selected_count) = (selection.shown, selection.count);
    let mut commands = Vec::new();
    let Some(index) = selection else {
        ui.add_space(8.0);
        ui.label(lang.t(T::InspectorEmpty));
        return commands;
    };
    let region = &map.region;
    let Some(space) = region.spaces.get(index) else {
        return commands;
    };
    if form.field.is_some() && form.code != space.code {
        *form = OverrideForm::default();
    }
    let municipality = region.municipality_of(index);
    ScrollArea::both()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.heading(RichText::new(&space.code).strong());
                if let Some(name) = &space.name {
                    ui.heading(name);
                }
            });
            Grid::new("inspector-facts").num_columns(2).show(ui, |ui| {
                if let Some(m) = municipality {
                    ui.label(lang.t(T::InspectorMunicipality));
                    ui.label(&m.name);
                    ui.end_row();
                }
                let population = region
                    .mapping
                    .population
                    .as_ref()
                    .and_then(|p| space.properties.get(p))
                    .and_then(Value::as_f64);
                if let Some(p) = population {
                    ui.label(lang.t(T::InspectorPopulation));
                    ui.label(format::number(p, 0, lang));
                    ui.end_row();
                }
                ui.label(lang.t(T::InspectorArea));
                ui.label(format!(
                    "{} km²",
                    format::number(space.area_m2 / 1e6, 2, lang)
                ));
                ui.end_row();
            });
            ui.add_space(4.0);
            if let crate::scene::Colouring::Typology(spec) = colouring {
                typology_ui(ui, map, spec, index, lang);
            }
            commands.extend(fields_ui(ui, map, scene, index, form, lang));
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button(RichText::new(lang.t(T::AddMeasure)).strong())
                    .on_hover_text(lang.t(T::TipAddMeasure))
                    .clicked()
                {
                    commands.push(Command::NewMeasure);
                }
                if ui
                    .button(lang.t(T::ClearSelection))
                    .on_hover_text(lang.t(T::TipClearSelection))
                    .clicked()
                {
                    commands.push(Command::Select(None));
                }
            });
            if selected_count > 1 {
                ui.label(
                    RichText::new(
                        lang.tf(T::InspectorSelected, &[("n", &selected_count.to_string())]),
                    )
                    .weak(),
                );
            }
            commands.extend(measures_ui(ui, map, &space.code, lang));
            ui.separator();
            indicators_ui(ui, map, index, lang);
            ui.separator();
            egui::CollapsingHeader::new(lang.t(T::ProfileTitle))
                .default_open(true)
                .show(ui, |ui| profile_ui(ui, map, index, lang));
            let years = map.indicators.all_years();
            if years.len() > 1 {
                let title = lang.tf(
                    T::SeriesTitle,
                    &[
                        ("from", &years[0].to_string()),
                        ("to", &years[years.len() - 1].to_string()),
                    ],
                );
                egui::CollapsingHeader::new(title)
                    .id_salt("series")
                    .default_open(true)
                    .show(ui, |ui| {
                        super::series_chart::series_ui(ui, map, index, lang)
                    });
            }
            egui::CollapsingHeader::new(lang.t(T::AllProperties))
                .default_open(false)
                .show(ui, |ui| {
                    Grid::new("inspector-properties")
                        .striped(true)
                        .num_columns(2)
                        .show(ui, |ui| {
                            for (key, value) in &space.properties {
                                ui.label(key);
                                ui.add(egui::Label::new(property_text(value)).wrap());
                                ui.end_row();
                            }
                        });
                });
        });
    commands
}

/// The area's fields: final membership, why (rules), and overrides.
fn fields_ui(
    ui: &mut Ui,
    map: &Document,
    scene: &Scene,
    index: usize,
    form: &mut OverrideForm,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let space = &map.region.spaces[index];
    let c = &map.classification;
    ui.label(RichText::new(lang.t(T::InspectorFields)).strong());
    let fields = c.fields.get(index).copied().unwrap_or_default();
    // Nothing says whether this area needs action: not "no need", but "not classified"; the
    // fields stay listed without marks, so that one can still be set by hand.
    let unclassified = !c.classified;
    if unclassified {
        ui.label(lang.t(T::InspectorNotClassified));
    } else if fields.is_empty() {
        ui.label(lang.t(T::InspectorNoNeed));
    }
    let evaluator = Evaluator::new(&map.region, &map.indicators, &map.rules);
    let explained = evaluator.explain(index, &map.overrides);
    for e in &explained {
        let f = e.field;
        let member = fields.contains(f);
        ui.horizontal(|ui| {
            swatch(
                ui,
                Vec2::new(18.0, 12.0),
                FillStyle::Solid(field_color(f)),
                &scene.patterns,
                !member,
            );
            let mark = match (member, unclassified) {
                (true, _) => "✓",
                (false, true) => "·",
                (false, false) => "✗",
            };
            let text = format!("{mark} {} {}", f.number(), field_name(f, lang));
            let label = if member {
                RichText::new(text).strong()
            } else {
                RichText::new(text).weak()
            };
            ui.label(label);
            if e.overridden.is_some() {
                if ui.small_button(lang.t(T::OverrideLift)).clicked() {
                    commands.push(Command::Edit(Edit::RemoveOverride {
                        code: space.code.clone(),
                        field: f,
                    }));
                }
            } else if ui.small_button(lang.t(T::OverrideButton)).clicked() {
                *form = OverrideForm {
                    field: Some(f),
                    code: space.code.clone(),
                    member: !member,
                    reason: String::new(),
                    reason_missing: false,
                };
            }
        });
        ui.indent(("why", f.number()), |ui| {
            if let Some(o) = &e.overridden {
                let verdict = lang.t(if o.member {
                    T::OverrideIn
                } else {
                    T::OverrideOut
                });
                ui.colored_label(
                    crate::render::egui_map::color32(EMPHASIS),
                    format!("{}: {verdict} – „{}“", lang.t(T::Overridden), o.reason),
                );
            }
            if c.from_rules {
                match e.combinator {
                    Some(comb) if !e.results.is_empty() => {
                        reasons_ui(ui, comb, &e.results, &map.indicators, lang);
                    }
                    _ => {
                        ui.label(RichText::new(lang.t(T::NoRule)).weak());
                    }
                }
            }
        });
        if form.field == Some(f) {
            commands.extend(override_form_ui(ui, form, lang));
        }
    }
    commands
}

/// The rule's conditions as sentences: how they combine, then one line per condition with a
/// large mark; the exact comparison (z, percentile, threshold) shows on hover.
fn reasons_ui(
    ui: &mut Ui,
    combinator: Combinator,
    results: &[ConditionResult],
    table: &IndicatorTable,
    lang: Lang,
) {
    let passed = results.iter().filter(|r| r.passed).count();
    ui.label(plain_combination_text(
        combinator,
        passed,
        results.len(),
        lang,
    ));
    for r in results {
        ui.horizontal_wrapped(|ui| {
            let (mark, color) = if r.passed {
                ("✓", Color32::from_rgb(0x1a, 0x6e, 0x2a))
            } else {
                ("✗", ui.visuals().strong_text_color())
            };
            ui.label(RichText::new(mark).size(16.0).strong().color(color));
            let exact = lang.tf(
                T::PlainExactHint,
                &[("exact", &condition_text(r, table, lang))],
            );
            ui.label(plain_condition_text(r, table, lang))
                .on_hover_text(exact);
        });
    }
}

fn override_form_ui(ui: &mut Ui, form: &mut OverrideForm, lang: Lang) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(field) = form.field else {
        return commands;
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.radio_value(&mut form.member, true, lang.t(T::OverrideMember));
            ui.radio_value(&mut form.member, false, lang.t(T::OverrideNotMember));
        });
        ui.label(lang.t(T::OverrideReason));
        let edit = ui.add(
            egui::TextEdit::multiline(&mut form.reason)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        );
        super::name(&edit, lang.t(T::OverrideReason));
        if form.reason_missing {
            ui.colored_label(
                ui.visuals().error_fg_color,
                lang.t(T::OverrideReasonMissing),
            );
        }
        ui.horizontal(|ui| {
            if ui.button(lang.t(T::Ok)).clicked() {
                if form.reason.trim().is_empty() {
                    form.reason_missing = true;
                } else {
                    commands.push(Command::Edit(Edit::SetOverride(Override {
                        code: form.code.clone(),
                        field,
                        member: form.member,
                        reason: form.reason.trim().to_string(),
                    })));
                    *form = OverrideForm::default();
                }
            }
            if ui.button(lang.t(T::Cancel)).clicked() {
                *form = OverrideForm::default();
            }
        });
    });
    commands
}

fn indicators_ui(ui: &mut Ui, map: &Document, index: usize, lang: Lang) {
    let region = &map.region;
    let table = &map.indicators;
    ui.label(RichText::new(lang.t(T::InspectorIndicators)).strong());
    if table.is_empty() {
        ui.label(lang.t(T::InspectorNoIndicators));
        return;
    }
    let municipality = region.spaces.get(index).and_then(|s| s.municipality);
    // The label column takes what the four number columns leave, so the table fits the panel.
    let label_width = (ui.available_width() - 330.0).clamp(90.0, 240.0);
    Grid::new("inspector-indicators")
        .striped(true)
        .num_columns(5)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new(lang.t(T::ColIndicator)).strong());
            ui.label(RichText::new(lang.t(T::ColValue)).strong());
            ui.label(RichText::new(lang.t(T::ColMunicipality)).strong());
            ui.label(RichText::new(lang.t(T::ColRegion)).strong());
            ui.label(RichText::new(lang.t(T::ColRank)).strong())
                .on_hover_text(lang.t(T::RankHint));
            ui.end_row();
            for (c, indicator) in table.indicators().iter().enumerate() {
                let stats = map.stats.indicators.get(c);
                word_wrapped(ui, indicator.label(lang.is_english()), false, label_width)
                    .on_hover_ui(|ui| indicator_details_ui(ui, indicator, &map.indicators, lang));
                // Case numbers and the data-protection mark wrap rather than widen the table.
                ui.scope(|ui| {
                    ui.set_max_width(110.0);
                    let mut text = value_with_cases(table, c, index, lang);
                    let estimated = table.is_estimated(c, index, None);
                    if estimated {
                        text = format!("{text} ({})", lang.t(T::ValueEstimated));
                    }
                    let r = ui.add(egui::Label::new(text).wrap());
                    if estimated {
                        r.on_hover_text(lang.t(T::TipValueEstimated));
                    }
                });
                let m_value = stats
                    .zip(municipality)
                    .and_then(|(s, m)| s.municipality.get(m).copied().flatten());
                ui.label(optional(m_value, indicator, lang));
                ui.label(optional(stats.and_then(|s| s.region), indicator, lang));
                let rank = stats.and_then(|s| s.rank.get(index).copied().flatten());
                ui.label(crate::scene::text::rank_text(rank, lang));
                ui.end_row();
            }
        });
}

/// One line per indicator: the range of all areas, the area (dot), its municipality
/// (diamond) and the region (triangle), with the value and case number beside it.
fn profile_ui(ui: &mut Ui, map: &Document, index: usize, lang: Lang) {
    let table = &map.indicators;
    let municipality = map.region.spaces.get(index).and_then(|s| s.municipality);
    ui.label(RichText::new(lang.t(T::ProfileLegend)).weak().small());
    let chart_width = (ui.available_width() - 250.0).clamp(120.0, 260.0);
    Grid::new("profile")
        .num_columns(3)
        .spacing([8.0, 2.0])
        .show(ui, |ui| {
            for (c, indicator) in table.indicators().iter().enumerate() {
                let Some(stats) = map.stats.indicators.get(c) else {
                    continue;
                };
                let Some((min, max)) = stats.range else {
                    continue;
                };
                word_wrapped(ui, indicator.label(lang.is_english()), true, 110.0);
                let (rect, _) =
                    ui.allocate_exact_size(Vec2::new(chart_width, 12.0), Sense::hover());
                let painter = ui.painter_at(rect.expand(2.0));
                let span = (max - min).max(f64::EPSILON);
                let x =
                    |v: f64| rect.min.x + ((v - min) / span).clamp(0.0, 1.0) as f32 * rect.width();
                let y = rect.center().y;
                let line = ui.visuals().weak_text_color();
                painter.hline(rect.x_range(), y, Stroke::new(1.0, line));
                // A count (Einwohner, Fläche) summed over a municipality is not comparable to
                // one area: compare with the mean per area instead.
                let (region_mark, municipality_mark) = reference_marks(map, c, stats, municipality);
                let value = table.value(c, index).number();
                // Red when the area lies on the side of need (above the region for "high is
                // need", below it for "high is strength"), blue on the other side.
                let need_side = match (indicator.polarity, value, region_mark) {
                    (Polarity::HighIsNeed, Some(v), Some(r)) => Some(v > r),
                    (Polarity::HighIsStrength, Some(v), Some(r)) => Some(v < r),
                    _ => None,
                };
                let ink = match need_side {
                    Some(true) => Color32::from_rgb(0xb3, 0x2a, 0x0e),
                    Some(false) => Color32::from_rgb(0x1f, 0x5f, 0x9e),
                    None => ui.visuals().text_color(),
                };
                if let Some(r) = region_mark {
                    let p = egui::pos2(x(r), y);
                    painter.add(egui::Shape::convex_polygon(
                        vec![
                            p + Vec2::new(0.0, -5.0),
                            p + Vec2::new(4.5, 4.0),
                            p + Vec2::new(-4.5, 4.0),
                        ],
                        Color32::TRANSPARENT,
                        Stroke::new(1.2, ui.visuals().text_color()),
                    ));
                }
                if let Some(m) = municipality_mark {
                    let p = egui::pos2(x(m), y);
                    painter.add(egui::Shape::convex_polygon(
                        vec![
                            p + Vec2::new(0.0, -5.0),
                            p + Vec2::new(5.0, 0.0),
                            p + Vec2::new(0.0, 5.0),
                            p + Vec2::new(-5.0, 0.0),
                        ],
                        Color32::TRANSPARENT,
                        Stroke::new(1.2, ui.visuals().text_color()),
                    ));
                }
                if let Some(v) = value {
                    painter.circle_filled(egui::pos2(x(v), y), 4.5, ink);
                }
                ui.label(RichText::new(value_with_cases(table, c, index, lang)).small());
                ui.end_row();
            }
        });
}

/// Where the profile marks region and municipality for indicator `c`: their values, or for a
/// summed count the mean per area (a sum over 93 areas would pile up at the right end).
fn reference_marks(
    map: &Document,
    c: usize,
    stats: &crate::analysis::IndicatorStats,
    municipality: Option<usize>,
) -> (Option<f64>, Option<f64>) {
    let table = &map.indicators;
    let summed = table
        .indicators()
        .get(c)
        .is_some_and(|i| matches!(i.aggregation, Aggregation::Sum));
    if !summed {
        let m = municipality.and_then(|m| stats.municipality.get(m).copied().flatten());
        return (stats.region, m);
    }
    let mean = |spaces: &mut dyn Iterator<Item = usize>| {
        let (sum, n) = spaces
            .filter_map(|i| table.value(c, i).number())
            .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
        (n > 0).then(|| sum / n as f64)
    };
    let region = mean(&mut (0..map.region.spaces.len()));
    let local = municipality
        .and_then(|m| map.region.municipalities.get(m))
        .and_then(|m| mean(&mut m.spaces.iter().copied()));
    (region, local)
}

fn indicator_details_ui(ui: &mut Ui, indicator: &Indicator, table: &IndicatorTable, lang: Lang) {
    ui.label(RichText::new(indicator.label(lang.is_english())).strong());
    if !indicator.theme.is_empty() {
        ui.label(&indicator.theme);
    }
    ui.label(lang.t(match indicator.polarity {
        Polarity::HighIsNeed => T::PolarityNeed,
        Polarity::HighIsStrength => T::PolarityStrength,
        Polarity::Neutral => T::PolarityNeutral,
    }));
    ui.label(match &indicator.aggregation {
        Aggregation::WeightedBy(key) => {
            // The weight by its label ("Einwohner"), not its key ("einwohner").
            let weight = table.position(key).map_or(key.as_str(), |p| {
                table.indicators()[p].label(lang.is_english())
            });
            lang.tf(T::AggregationWeighted, &[("key", weight)])
        }
        Aggregation::Mean => lang.t(T::AggregationMean).to_string(),
        Aggregation::Sum => lang.t(T::AggregationSum).to_string(),
    });
    if !indicator.source.is_empty() {
        ui.label(format!("{}: {}", lang.t(T::Source), indicator.source));
    }
    if !indicator.reference_date.is_empty() {
        ui.label(format!(
            "{}: {}",
            lang.t(T::ReferenceDate),
            indicator.reference_date
        ));
    }
    ui.label(RichText::new(&indicator.key).monospace().weak());
}
