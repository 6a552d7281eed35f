//! The Sozialraumprofil: one A4 portrait page per area, backend-neutral like the map pages.
//! Title (code, name, municipality), a locator map (the area dark in its municipality, the
//! other areas there labelled), population and area, its Handlungsfelder with the reasons in
//! plain words, a spine chart of every indicator (the area against municipality and region,
//! scaled to the region's range, coloured by polarity) with value and rank, the series when
//! there are several years, the measures attached, and the source line. Values withheld for
//! data protection appear as "geheim", never as the number.

use super::{Item, Layer, Page, PagePath, Paint};
use crate::analysis::IndicatorStats;
use crate::analysis::rules::FieldExplanation;
use crate::i18n::{Lang, T, format};
use crate::model::{IndicatorTable, Measure, Polarity, Region};
use crate::scene::font::Font;
use crate::scene::style::{self, Rgba};
use crate::scene::text::{plain_condition_text, value_with_cases};
use crate::spatial::prepared::PreparedMap;
use crate::spatial::viewport::Viewport;

/// A4 portrait in millimetres.
const A4_MM: [f32; 2] = [210.0, 297.0];
/// Page margin in points.
const MARGIN: f32 = 36.0;
const INK: Rgba = Rgba::rgb(0x20, 0x20, 0x20);
const GREY: Rgba = Rgba::rgb(0x70, 0x70, 0x70);
const NEED: Rgba = Rgba::rgb(0xb3, 0x2a, 0x0e);
const STRENGTH: Rgba = Rgba::rgb(0x1f, 0x5f, 0x9e);

/// Everything one profile page shows.
pub struct ProfileInput<'a> {
    /// The areas.
    pub region: &'a Region,
    /// Indicator values.
    pub indicators: &'a IndicatorTable,
    /// Their statistics (region, municipalities, ranks, ranges).
    pub stats: &'a [IndicatorStats],
    /// Prepared geometry, for the locator map.
    pub prepared: &'a PreparedMap,
    /// Why the area is or is not in each field.
    pub fields: &'a [FieldExplanation],
    /// The measures attached to the area.
    pub measures: &'a [&'a Measure],
    /// The area.
    pub area: usize,
    /// "Stand: … · Quelle …".
    pub source_line: String,
}

/// Draws text lines and keeps the pen.
struct Pen<'p> {
    page: &'p mut Page,
    font: &'p Font,
    s: f32,
    y: f32,
}

impl Pen<'_> {
    fn text(&mut self, x: f32, text: &str, size: f32, color: Rgba) {
        let s = self.s;
        self.page
            .text(self.font, text, size * s, [x * s, self.y], color, None);
    }

    /// Writes `text` wrapped to `width` points from `x`, moving down.
    fn para(&mut self, x: f32, width: f32, text: &str, size: f32, color: Rgba) {
        for line in super::legend::wrap(self.font, text, size * self.s, width * self.s) {
            self.text(x, &line, size, color);
            self.y += size * 1.3 * self.s;
        }
    }

    fn heading(&mut self, text: &str) {
        self.y += 6.0 * self.s;
        self.text(MARGIN, text, 11.0, INK);
        self.y += 15.0 * self.s;
    }

    fn rect(&mut self, r: [f32; 4], color: Rgba) {
        let s = self.s;
        self.page
            .fill_rect([r[0] * s, r[1], r[2] * s, r[3]], Paint::Solid(color));
    }
}

/// The page of one area at `px_per_pt` pixels per point.
pub fn profile_page(input: &ProfileInput<'_>, font: &Font, px_per_pt: f32, lang: Lang) -> Page {
    let s = px_per_pt;
    let [w_pt, h_pt] = A4_MM.map(|mm| mm / 25.4 * 72.0);
    let space = &input.region.spaces[input.area];
    let municipality = input.region.municipality_of(input.area);
    let title = space.display_name();
    let mut page = super::text::a4_page(s, &lang.tf(T::ProfilePageTitle, &[("area", &title)]));
    let mut pen = Pen {
        page: &mut page,
        font,
        s,
        y: MARGIN * s,
    };
    pen.text(MARGIN, lang.t(T::ProfileKind), 9.0, GREY);
    pen.y += 13.0 * s;
    pen.text(MARGIN, &title, 20.0, INK);
    pen.y += 26.0 * s;
    if let Some(m) = municipality {
        pen.text(MARGIN, &m.name, 12.0, GREY);
        pen.y += 18.0 * s;
    }
    let top = pen.y;
    // The locator map at the top right.
    let map_box = [w_pt - MARGIN - 210.0, MARGIN, w_pt - MARGIN, MARGIN + 170.0];
    locator(pen.page, font, input, map_box);
    // Facts at the left.
    let population = input
        .region
        .mapping
        .population
        .as_ref()
        .and_then(|p| space.properties.get(p))
        .and_then(serde_json::Value::as_f64);
    if let Some(p) = population {
        pen.text(
            MARGIN,
            &format!(
                "{}: {}",
                lang.t(T::InspectorPopulation),
                format::number(p, 0, lang)
            ),
            10.0,
            INK,
        );
        pen.y += 14.0 * s;
    }
    pen.text(
        MARGIN,
        &format!(
            "{}: {} km²",
            lang.t(T::InspectorArea),
            format::number(space.area_m2 / 1e6, 2, lang)
        ),
        10.0,
        INK,
    );
    pen.y += 14.0 * s;
    pen.y = pen.y.max(top);
    fields_block(&mut pen, input, map_box[0] - MARGIN - 12.0, lang);
    pen.y = pen.y.max((map_box[3] + 8.0) * s);
    spine_block(&mut pen, input, w_pt, lang);
    series_block(&mut pen, input, w_pt, lang);
    measures_block(&mut pen, input, w_pt, lang);
    pen.y = (h_pt - MARGIN) * s;
    let line = input.source_line.clone();
    pen.text(MARGIN, &line, 7.5, GREY);
    page
}

/// The Handlungsfelder: each field in or out, with the reasons in words.
fn fields_block(pen: &mut Pen<'_>, input: &ProfileInput<'_>, width: f32, lang: Lang) {
    pen.heading(lang.t(T::LegendTitle));
    for e in input.fields {
        let name = crate::scene::field_name(e.field, lang);
        let mark = if e.member { "✓" } else { "–" };
        let color = if e.member {
            style::field_color(e.field)
        } else {
            Rgba::rgb(0xd0, 0xd0, 0xd0)
        };
        let y = pen.y;
        let s = pen.s;
        pen.rect([MARGIN, y + 1.0 * s, MARGIN + 9.0, y + 9.0 * s], color);
        pen.text(
            MARGIN + 13.0,
            &format!("{mark} {} {name}", e.field.number()),
            9.5,
            INK,
        );
        pen.y += 12.5 * s;
        if e.member {
            for r in &e.results {
                let text = plain_condition_text(r, input.indicators, lang);
                pen.para(MARGIN + 20.0, width - 20.0, &text, 8.0, GREY);
            }
            if let Some(o) = &e.overridden {
                let text = format!("{}: „{}“", lang.t(T::Overridden), o.reason);
                pen.para(MARGIN + 20.0, width - 20.0, &text, 8.0, GREY);
            }
        }
    }
}

/// One row per indicator: label, the regional range as a line with the region (triangle),
/// the municipality (diamond) and the area (dot, red on the side of need), value and rank.
fn spine_block(pen: &mut Pen<'_>, input: &ProfileInput<'_>, w_pt: f32, lang: Lang) {
    pen.heading(lang.t(T::ProfileTitle));
    let s = pen.s;
    let table = input.indicators;
    let label_w = 170.0;
    let chart = [MARGIN + label_w, w_pt - MARGIN - 150.0];
    let municipality = input.region.spaces[input.area].municipality;
    pen.text(chart[1] + 8.0, lang.t(T::ColValue), 7.5, GREY);
    pen.text(chart[1] + 100.0, lang.t(T::ColRank), 7.5, GREY);
    pen.y += 10.0 * s;
    for (c, indicator) in table.indicators().iter().enumerate() {
        let Some(stats) = input.stats.get(c) else {
            continue;
        };
        let y = pen.y;
        let label = indicator.label(lang.is_english());
        pen.text(MARGIN, &shortened(label), 7.8, INK);
        let mid = y + 5.0 * s;
        if let Some((min, max)) = stats.range {
            let span = (max - min).max(f64::EPSILON);
            let x = |v: f64| {
                (chart[0] + ((v - min) / span).clamp(0.0, 1.0) as f32 * (chart[1] - chart[0])) * s
            };
            pen.page.fill_rect(
                [chart[0] * s, mid - 0.4 * s, chart[1] * s, mid + 0.4 * s],
                Paint::Solid(Rgba::rgb(0xb0, 0xb0, 0xb0)),
            );
            let summed = matches!(indicator.aggregation, crate::model::Aggregation::Sum);
            let region = stats.region.filter(|_| !summed);
            let local = municipality
                .and_then(|m| stats.municipality.get(m).copied().flatten())
                .filter(|_| !summed);
            if let Some(r) = region {
                marker(pen.page, [x(r), mid], 3.4 * s, false);
            }
            if let Some(m) = local {
                marker(pen.page, [x(m), mid], 3.4 * s, true);
            }
            if let Some(v) = table.value(c, input.area).number()
                && !table.is_small_number(c, input.area)
            {
                let need = match (indicator.polarity, region) {
                    (Polarity::HighIsNeed, Some(r)) => Some(v > r),
                    (Polarity::HighIsStrength, Some(r)) => Some(v < r),
                    _ => None,
                };
                let fill = match need {
                    Some(true) => NEED,
                    Some(false) => STRENGTH,
                    None => INK,
                };
                pen.page.items.push(Item::Disc {
                    center: [x(v), mid],
                    radius: 3.2 * s,
                    fill,
                    ring: None,
                });
            }
        }
        let value = value_with_cases(table, c, input.area, lang);
        pen.text(chart[1] + 8.0, &value, 7.8, INK);
        let rank = stats
            .rank
            .get(input.area)
            .copied()
            .flatten()
            .filter(|_| !table.is_small_number(c, input.area));
        let rank = crate::scene::text::rank_text(rank, lang);
        pen.text(chart[1] + 100.0, &rank, 7.8, INK);
        pen.y += 11.0 * s;
    }
    pen.y += 2.0 * s;
    pen.text(MARGIN, lang.t(T::ProfilePageLegend), 7.0, GREY);
    pen.y += 10.0 * s;
}

/// A label cut to the column: at most 44 characters, "…" where cut.
fn shortened(label: &str) -> String {
    if label.chars().count() <= 44 {
        return label.to_string();
    }
    let cut: String = label.chars().take(43).collect();
    format!("{}…", cut.trim_end())
}

/// A triangle (region) or a diamond (municipality), outlined.
fn marker(page: &mut Page, at: [f32; 2], r: f32, diamond: bool) {
    let points = if diamond {
        vec![
            [at[0], at[1] - r],
            [at[0] + r, at[1]],
            [at[0], at[1] + r],
            [at[0] - r, at[1]],
        ]
    } else {
        vec![
            [at[0], at[1] - r],
            [at[0] + r, at[1] + r * 0.8],
            [at[0] - r, at[1] + r * 0.8],
        ]
    };
    let path = page.add_path(PagePath::polygon(&points));
    page.items.push(Item::Fill {
        path,
        paint: Paint::Solid(Rgba::rgb(255, 255, 255)),
    });
    page.items.push(Item::Stroke {
        path,
        color: INK,
        width: 0.8 * page.px_per_pt,
        round: false,
    });
}

/// The values per year of every indicator with several years (up to the space left).
fn series_block(pen: &mut Pen<'_>, input: &ProfileInput<'_>, w_pt: f32, lang: Lang) {
    let table = input.indicators;
    let years = table.all_years();
    if years.len() < 2 {
        return;
    }
    pen.heading(&lang.tf(
        T::SeriesTitle,
        &[
            ("from", &years[0].to_string()),
            ("to", &years[years.len() - 1].to_string()),
        ],
    ));
    let s = pen.s;
    let col = (w_pt - 2.0 * MARGIN - 170.0) / years.len() as f32;
    for (k, y) in years.iter().enumerate() {
        pen.text(MARGIN + 170.0 + col * k as f32, &y.to_string(), 7.5, GREY);
    }
    pen.y += 10.0 * s;
    for (c, indicator) in table.indicators().iter().enumerate() {
        if table.years(c).len() < 2 {
            continue;
        }
        pen.text(
            MARGIN,
            &shortened(indicator.label(lang.is_english())),
            7.5,
            INK,
        );
        for (k, &y) in years.iter().enumerate() {
            let v = table.value_at(c, input.area, Some(y));
            let withheld = table.is_small_number_at(c, input.area, Some(y));
            let text = if withheld {
                lang.t(T::ValueSuppressed).to_string()
            } else if table.years(c).contains(&y) {
                let mut t = crate::scene::text::format_value(v, indicator, lang);
                if table.is_estimated(c, input.area, Some(y)) {
                    t.push('*');
                }
                t
            } else {
                "–".to_string()
            };
            pen.text(MARGIN + 170.0 + col * k as f32, &text, 7.5, INK);
        }
        pen.y += 10.0 * s;
    }
    if table.has_estimates() {
        pen.text(
            MARGIN,
            &format!("* {}", lang.t(T::TipValueEstimated)),
            7.0,
            GREY,
        );
        pen.y += 10.0 * s;
    }
}

/// The measures attached: title, fields, responsibility, status, period, budget.
fn measures_block(pen: &mut Pen<'_>, input: &ProfileInput<'_>, w_pt: f32, lang: Lang) {
    pen.heading(lang.t(T::ProfileMeasures));
    if input.measures.is_empty() {
        pen.text(MARGIN, lang.t(T::ProfileNoMeasures), 8.5, GREY);
        pen.y += 12.0 * pen.s;
        return;
    }
    for m in input.measures {
        let fields: Vec<String> = m.fields.iter().map(|f| f.number().to_string()).collect();
        let period = match (m.start, m.end) {
            (Some(a), Some(b)) => format!("{}–{}", format::date(a, lang), format::date(b, lang)),
            (Some(a), None) => format!("{} {}", lang.t(T::ProfileFrom), format::date(a, lang)),
            (None, Some(b)) => format!("{} {}", lang.t(T::ProfileUntil), format::date(b, lang)),
            (None, None) => String::new(),
        };
        let budget = m
            .budget_eur
            .map(|b| format!("{} €", format::number(b, 0, lang)))
            .unwrap_or_default();
        let details: Vec<String> = [
            (!fields.is_empty())
                .then(|| format!("{} {}", lang.t(T::ProfileFields), fields.join(", "))),
            Some(crate::i18n::labels::responsibility(m.responsibility, lang).to_string()),
            Some(crate::i18n::labels::status(m.status, lang).to_string()),
            (!period.is_empty()).then_some(period),
            (!budget.is_empty()).then_some(budget),
        ]
        .into_iter()
        .flatten()
        .collect();
        let text = format!("{} {} — {}", m.id, m.title, details.join(" · "));
        pen.para(MARGIN, w_pt - 2.0 * MARGIN, &text, 8.5, INK);
    }
}

/// The area dark in its municipality (the other areas there light and labelled), in `frame`
/// (points).
fn locator(page: &mut Page, font: &Font, input: &ProfileInput<'_>, frame: [f32; 4]) {
    let s = page.px_per_pt;
    let region = input.region;
    let members: Vec<usize> = region
        .municipality_of(input.area)
        .map_or_else(|| vec![input.area], |m| m.spaces.clone());
    let Some(extent) = crate::spatial::index::bounds_of_spaces(region, &members, 0.02) else {
        return;
    };
    let f = frame.map(|v| v * s);
    let viewport = Viewport::fit(extent, [f[2] - f[0], f[3] - f[1]], [f[0], f[1]], 6.0 * s);
    let prepared = input.prepared;
    let Some(lod) = prepared.lod_for(viewport.m_per_px) else {
        return;
    };
    let t = viewport.relative_transform(prepared.origin);
    // Not the map layer: that one is clipped to the page's map frame, which a profile has not.
    page.items.push(Item::Begin(Layer::Areas));
    page.fill_rect(f, Paint::Solid(Rgba::rgb(0xfa, 0xfa, 0xf8)));
    for &i in &members {
        let Some(path) = super::map::area_path(lod, i, &t) else {
            continue;
        };
        let fill = if i == input.area {
            Rgba::rgb(0x3a, 0x3a, 0x3a)
        } else {
            Rgba::rgb(0xe4, 0xe4, 0xe0)
        };
        let path = page.add_path(path);
        page.items.push(Item::Fill {
            path,
            paint: Paint::Solid(fill),
        });
        page.items.push(Item::Stroke {
            path,
            color: Rgba::rgb(0x90, 0x90, 0x90),
            width: 0.5 * s,
            round: true,
        });
    }
    page.items.push(Item::End);
    // The neighbours' codes at their label points, where they fit.
    let size = 6.5 * s;
    for &i in &members {
        let Some(anchor) = prepared.labels.get(i).copied().flatten() else {
            continue;
        };
        let p = viewport.screen_from_map(anchor.pos);
        let code = &region.spaces[i].code;
        let w = font.measure(code, size)[0];
        let color = if i == input.area {
            Rgba::rgb(255, 255, 255)
        } else {
            INK
        };
        if p[0] - w / 2.0 > f[0] && p[0] + w / 2.0 < f[2] && p[1] > f[1] && p[1] < f[3] {
            page.text(
                font,
                code,
                size,
                [p[0] - w / 2.0, p[1] - size / 2.0],
                color,
                None,
            );
        }
    }
    page.stroke_rect(f, Rgba::rgb(0xa0, 0xa0, 0xa0), 0.6 * s);
}
