//! The inspector's series: for every indicator with several years a small line of the area's
//! values, with its municipality (dashed) and the region (grey), and the value per year; the
//! hover shows the three side by side per year.

use eframe::egui::{self, Color32, Grid, RichText, Sense, Stroke, Ui, Vec2};

use crate::analysis::statistics::YearStats;
use crate::document::Document;
use crate::i18n::{Lang, T};
use crate::model::{Aggregation, Indicator, IndicatorValue, Year};
use crate::scene::text::{format_number, format_value};

/// The line of the area.
const AREA_INK: Color32 = Color32::from_rgb(0x1f, 0x4e, 0x8c);

/// One row per indicator with years: label, chart, values.
pub fn series_ui(ui: &mut Ui, map: &Document, index: usize, lang: Lang) {
    let table = &map.indicators;
    let municipality = map.region.spaces.get(index).and_then(|s| s.municipality);
    ui.label(RichText::new(lang.t(T::SeriesLegend)).weak().small());
    let chart_width = (ui.available_width() - 160.0).clamp(120.0, 260.0);
    Grid::new("series")
        .num_columns(2)
        .spacing([8.0, 4.0])
        .striped(true)
        .show(ui, |ui| {
            for (c, indicator) in table.indicators().iter().enumerate() {
                let years = table.years(c);
                if years.len() < 2 {
                    continue;
                }
                let area: Vec<(Year, IndicatorValue)> = years
                    .iter()
                    .map(|&y| (y, table.value_at(c, index, Some(y))))
                    .collect();
                let stats: &[YearStats] = map
                    .stats
                    .indicators
                    .get(c)
                    .map(|s| s.years.as_slice())
                    .unwrap_or(&[]);
                // A count summed over a municipality is no comparison for one area.
                let compare = !matches!(indicator.aggregation, Aggregation::Sum);
                let local: Vec<(Year, Option<f64>)> = stats
                    .iter()
                    .map(|s| {
                        let m = municipality.and_then(|m| s.municipality.get(m).copied().flatten());
                        (s.year, m.filter(|_| compare))
                    })
                    .collect();
                let region: Vec<(Year, Option<f64>)> = stats
                    .iter()
                    .map(|s| (s.year, s.region.filter(|_| compare)))
                    .collect();
                super::wrapped::word_wrapped(ui, indicator.label(lang.is_english()), true, 130.0);
                ui.vertical(|ui| {
                    let response = chart(ui, chart_width, &area, &local, &region);
                    response.on_hover_ui(|ui| {
                        hover_table(ui, indicator, &area, &local, &region, lang);
                    });
                    let text: Vec<String> = area
                        .iter()
                        .map(|(y, v)| {
                            let mark = if table.is_estimated(c, index, Some(*y)) {
                                format!(" ({})", lang.t(T::ValueEstimated))
                            } else {
                                String::new()
                            };
                            format!("{y}: {}{mark}", format_value(*v, indicator, lang))
                        })
                        .collect();
                    ui.scope(|ui| {
                        ui.set_max_width(chart_width);
                        ui.add(egui::Label::new(RichText::new(text.join(" · ")).small()).wrap());
                    });
                });
                ui.end_row();
            }
        });
}

/// The three lines over the years; a missing value breaks the line, never drops to 0.
fn chart(
    ui: &mut Ui,
    width: f32,
    area: &[(Year, IndicatorValue)],
    local: &[(Year, Option<f64>)],
    region: &[(Year, Option<f64>)],
) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, 30.0), Sense::hover());
    let values = area
        .iter()
        .filter_map(|(_, v)| v.number())
        .chain(local.iter().filter_map(|(_, v)| *v))
        .chain(region.iter().filter_map(|(_, v)| *v));
    let Some((lo, hi)) = values.fold(None, |acc: Option<(f64, f64)>, v| {
        Some(acc.map_or((v, v), |(a, b)| (a.min(v), b.max(v))))
    }) else {
        return response;
    };
    let (first, last) = match (area.first(), area.last()) {
        (Some(f), Some(l)) if l.0 > f.0 => (f.0, l.0),
        _ => return response,
    };
    let inner = rect.shrink2(Vec2::new(4.0, 5.0));
    let span = (hi - lo).max(f64::EPSILON);
    let x = |y: Year| inner.min.x + (y - first) as f32 / (last - first) as f32 * inner.width();
    let y = |v: f64| inner.max.y - ((v - lo) / span) as f32 * inner.height();
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
    let segments = |points: &[(Year, Option<f64>)]| -> Vec<[egui::Pos2; 2]> {
        points
            .windows(2)
            .filter_map(|w| match (w[0].1, w[1].1) {
                (Some(a), Some(b)) => {
                    Some([egui::pos2(x(w[0].0), y(a)), egui::pos2(x(w[1].0), y(b))])
                }
                _ => None,
            })
            .collect()
    };
    let grey = Color32::from_gray(150);
    for s in segments(region) {
        painter.line_segment(s, Stroke::new(2.0, grey));
    }
    for s in segments(local) {
        painter.extend(egui::Shape::dashed_line(
            &s,
            Stroke::new(1.3, ui.visuals().text_color()),
            4.0,
            3.0,
        ));
    }
    let own: Vec<(Year, Option<f64>)> = area.iter().map(|(y, v)| (*y, v.number())).collect();
    for s in segments(&own) {
        painter.line_segment(s, Stroke::new(2.0, AREA_INK));
    }
    for (year, v) in &own {
        if let Some(v) = v {
            painter.circle_filled(egui::pos2(x(*year), y(*v)), 2.8, AREA_INK);
        }
    }
    response
}

/// Year | Sozialraum | Kommune | Region.
fn hover_table(
    ui: &mut Ui,
    indicator: &Indicator,
    area: &[(Year, IndicatorValue)],
    local: &[(Year, Option<f64>)],
    region: &[(Year, Option<f64>)],
    lang: Lang,
) {
    ui.label(RichText::new(indicator.label(lang.is_english())).strong());
    let optional =
        |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| format_number(v, indicator, lang));
    Grid::new("series-hover")
        .num_columns(4)
        .striped(true)
        .show(ui, |ui| {
            ui.label(RichText::new(lang.t(T::SeriesYear)).strong());
            ui.label(RichText::new(lang.t(T::SeriesArea)).strong());
            ui.label(RichText::new(lang.t(T::ColMunicipality)).strong());
            ui.label(RichText::new(lang.t(T::ColRegion)).strong());
            ui.end_row();
            for (i, (year, v)) in area.iter().enumerate() {
                ui.label(year.to_string());
                ui.label(format_value(*v, indicator, lang));
                ui.label(optional(local.get(i).and_then(|l| l.1)));
                ui.label(optional(region.get(i).and_then(|r| r.1)));
                ui.end_row();
            }
        });
}
