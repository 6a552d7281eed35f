//! The inspector: one Sozialraum with its fields and every indicator against its municipality
//! and the region, with its rank.

use eframe::egui::{self, Grid, RichText, ScrollArea, Ui, Vec2};
use serde_json::Value;

use super::swatch::swatch;
use crate::app::{Command, LoadedMap};
use crate::i18n::{Lang, T, format};
use crate::model::{Aggregation, Indicator, IndicatorValue, Polarity};
use crate::scene::style::{FillStyle, field_color};
use crate::scene::{Scene, field_name};

/// Formats an indicator value with its unit, e.g. "24,1 %", or "keine Daten".
pub fn format_value(value: IndicatorValue, indicator: &Indicator, lang: Lang) -> String {
    match value {
        IndicatorValue::Number(v) => format_number(v, indicator, lang),
        IndicatorValue::Missing => lang.t(T::ValueMissing).to_string(),
        IndicatorValue::Suppressed => lang.t(T::ValueSuppressed).to_string(),
    }
}

fn format_number(v: f64, indicator: &Indicator, lang: Lang) -> String {
    let n = format::number(v, usize::from(indicator.decimals), lang);
    match indicator.unit.symbol(lang.is_english()) {
        "" => n,
        unit => format!("{n} {unit}"),
    }
}

/// A comparison value without its unit (the value column shows it), to keep the table narrow.
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

/// Shows the inspector for `selection` of `map`.
pub fn inspector_ui(
    ui: &mut Ui,
    map: &LoadedMap,
    scene: &Scene,
    selection: Option<usize>,
    lang: Lang,
) -> Vec<Command> {
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
            ui.label(RichText::new(lang.t(T::InspectorFields)).strong());
            if space.action_fields.is_empty() {
                ui.label(lang.t(T::InspectorNoNeed));
            }
            for field in space.action_fields.iter() {
                ui.horizontal(|ui| {
                    swatch(
                        ui,
                        Vec2::new(18.0, 12.0),
                        FillStyle::Solid(field_color(field)),
                        &scene.patterns,
                        false,
                    );
                    ui.label(format!("{} {}", field.number(), field_name(field, lang)));
                });
            }
            if ui.button(lang.t(T::ClearSelection)).clicked() {
                commands.push(Command::Select(None));
            }
            ui.separator();
            indicators_ui(ui, map, index, lang);
            ui.separator();
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

fn indicators_ui(ui: &mut Ui, map: &LoadedMap, index: usize, lang: Lang) {
    let region = &map.region;
    let table = &map.indicators;
    ui.label(RichText::new(lang.t(T::InspectorIndicators)).strong());
    if table.is_empty() {
        ui.label(lang.t(T::InspectorNoIndicators));
        return;
    }
    let municipality = region.spaces.get(index).and_then(|s| s.municipality);
    // The label column takes what the four number columns leave, so the table fits the panel.
    let label_width = (ui.available_width() - 300.0).clamp(90.0, 240.0);
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
                ui.scope(|ui| {
                    ui.set_max_width(label_width);
                    ui.add(egui::Label::new(indicator.label(lang.is_english())).wrap())
                        .on_hover_ui(|ui| indicator_details_ui(ui, indicator, lang));
                });
                ui.label(format_value(table.value(c, index), indicator, lang));
                let m_value = stats
                    .zip(municipality)
                    .and_then(|(s, m)| s.municipality.get(m).copied().flatten());
                ui.label(optional(m_value, indicator, lang));
                ui.label(optional(stats.and_then(|s| s.region), indicator, lang));
                let rank = stats.and_then(|s| s.rank.get(index).copied().flatten());
                ui.label(rank.map_or_else(
                    || "–".to_string(),
                    |(r, n)| {
                        lang.tf(
                            T::RankOf,
                            &[
                                ("rank", &format::count(r, lang)),
                                ("n", &format::count(n, lang)),
                            ],
                        )
                    },
                ));
                ui.end_row();
            }
        });
}

fn indicator_details_ui(ui: &mut Ui, indicator: &Indicator, lang: Lang) {
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
        Aggregation::WeightedBy(key) => lang.tf(T::AggregationWeighted, &[("key", key)]),
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
