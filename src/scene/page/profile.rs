//! The Sozialraumprofil: one A4 portrait page per area, backend-neutral like the map pages.
//! Title (code, name, municipality), a locator map (the area dark in its municipality, the
//! other areas there labelled), population and area, its Handlungsfelder with the reasons in
//! plain words, a spine chart of every indicator (the area against municipality and region,
//! scaled to the region's range, coloured by polarity) with value and rank, the series when
//! there are several years, the measures attached, and the source line. Values withheld for
//! data protection appear as "geheim", never as the number.

use super::{Item, Layer, Page, PagePath, Paint};
use crate::i18n::{Lang, T};
use crate::scene::font::Font;
use crate::scene::profile::{ProfileContent, ProfileInput, profile_content};
use crate::scene::style::{self, Rgba};
use crate::spatial::viewport::Viewport;

/// A4 portrait in millimetres.
const A4_MM: [f32; 2] = [210.0, 297.0];
/// Page margin in points.
const MARGIN: f32 = 36.0;
const INK: Rgba = Rgba::rgb(0x20, 0x20, 0x20);
const GREY: Rgba = Rgba::rgb(0x70, 0x70, 0x70);
const NEED: Rgba = Rgba::rgb(0xb3, 0x2a, 0x0e);
const STRENGTH: Rgba = Rgba::rgb(0x1f, 0x5f, 0x9e);

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
    let content = profile_content(input, lang);
    let s = px_per_pt;
    let [w_pt, h_pt] = A4_MM.map(|mm| mm / 25.4 * 72.0);
    let mut page = super::text::a4_page(
        s,
        &lang.tf(T::ProfilePageTitle, &[("area", &content.title)]),
    );
    let mut pen = Pen {
        page: &mut page,
        font,
        s,
        y: MARGIN * s,
    };
    pen.text(MARGIN, lang.t(T::ProfileKind), 9.0, GREY);
    pen.y += 13.0 * s;
    pen.text(MARGIN, &content.title, 20.0, INK);
    pen.y += 26.0 * s;
    if let Some(m) = &content.municipality {
        pen.text(MARGIN, m, 12.0, GREY);
        pen.y += 18.0 * s;
    }
    let top = pen.y;
    // The locator map at the top right.
    let map_box = [w_pt - MARGIN - 210.0, MARGIN, w_pt - MARGIN, MARGIN + 170.0];
    locator(pen.page, font, input, map_box);
    // Facts at the left.
    for fact in &content.facts {
        pen.text(MARGIN, fact, 10.0, INK);
        pen.y += 14.0 * s;
    }
    pen.y = pen.y.max(top);
    fields_block(&mut pen, &content, map_box[0] - MARGIN - 12.0, lang);
    pen.y = pen.y.max((map_box[3] + 8.0) * s);
    spine_block(&mut pen, &content, w_pt, lang);
    series_block(&mut pen, &content, w_pt, lang);
    measures_block(&mut pen, &content, w_pt, lang);
    pen.y = (h_pt - MARGIN) * s;
    pen.text(MARGIN, &content.source_line, 7.5, GREY);
    page
}

/// The Handlungsfelder: each field in or out, with the reasons in words.
fn fields_block(pen: &mut Pen<'_>, content: &ProfileContent, width: f32, lang: Lang) {
    pen.heading(lang.t(T::LegendTitle));
    for line in &content.fields {
        let color = if line.member {
            style::field_color(line.field)
        } else {
            Rgba::rgb(0xd0, 0xd0, 0xd0)
        };
        let y = pen.y;
        let s = pen.s;
        pen.rect([MARGIN, y + 1.0 * s, MARGIN + 9.0, y + 9.0 * s], color);
        pen.text(MARGIN + 13.0, &line.label, 9.5, INK);
        pen.y += 12.5 * s;
        for reason in &line.reasons {
            pen.para(MARGIN + 20.0, width - 20.0, reason, 8.0, GREY);
        }
    }
}

/// One row per indicator: label, the regional range as a line with the region (triangle),
/// the municipality (diamond) and the area (dot, red on the side of need), value and rank.
fn spine_block(pen: &mut Pen<'_>, content: &ProfileContent, w_pt: f32, lang: Lang) {
    pen.heading(lang.t(T::ProfileTitle));
    let s = pen.s;
    let label_w = 170.0;
    let chart = [MARGIN + label_w, w_pt - MARGIN - 150.0];
    pen.text(chart[1] + 8.0, lang.t(T::ColValue), 7.5, GREY);
    pen.text(chart[1] + 100.0, lang.t(T::ColRank), 7.5, GREY);
    pen.y += 10.0 * s;
    for row in &content.spine {
        let y = pen.y;
        pen.text(MARGIN, &shortened(&row.label), 7.8, INK);
        let mid = y + 5.0 * s;
        if let Some((min, max)) = row.range {
            let span = (max - min).max(f64::EPSILON);
            let x = |v: f64| {
                (chart[0] + ((v - min) / span).clamp(0.0, 1.0) as f32 * (chart[1] - chart[0])) * s
            };
            pen.page.fill_rect(
                [chart[0] * s, mid - 0.4 * s, chart[1] * s, mid + 0.4 * s],
                Paint::Solid(Rgba::rgb(0xb0, 0xb0, 0xb0)),
            );
            if let Some(r) = row.region {
                marker(pen.page, [x(r), mid], 3.4 * s, false);
            }
            if let Some(m) = row.municipality {
                marker(pen.page, [x(m), mid], 3.4 * s, true);
            }
            if let Some(v) = row.area {
                let fill = match row.need {
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
        pen.text(chart[1] + 8.0, &row.value, 7.8, INK);
        pen.text(chart[1] + 100.0, &row.rank, 7.8, INK);
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

/// The values per year of every indicator with several years.
fn series_block(pen: &mut Pen<'_>, content: &ProfileContent, w_pt: f32, lang: Lang) {
    let Some(series) = &content.series else {
        return;
    };
    let years = &series.years;
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
    for (label, cells) in &series.rows {
        pen.text(MARGIN, &shortened(label), 7.5, INK);
        for (k, text) in cells.iter().enumerate() {
            pen.text(MARGIN + 170.0 + col * k as f32, text, 7.5, INK);
        }
        pen.y += 10.0 * s;
    }
    if series.estimates {
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
fn measures_block(pen: &mut Pen<'_>, content: &ProfileContent, w_pt: f32, lang: Lang) {
    pen.heading(lang.t(T::ProfileMeasures));
    if content.measures.is_empty() {
        pen.text(MARGIN, lang.t(T::ProfileNoMeasures), 8.5, GREY);
        pen.y += 12.0 * pen.s;
        return;
    }
    for line in &content.measures {
        pen.para(MARGIN, w_pt - 2.0 * MARGIN, line, 8.5, INK);
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
