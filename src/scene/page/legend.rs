//! The legend on the page: heading, summary (wrapped), one row per visible entry with its
//! swatch, text and count — the same rows as the legend beside the map on screen.

use super::{Item, Layer, Page, PagePath, Paint};
use crate::i18n::{Lang, format};
use crate::scene::font::Font;
use crate::scene::labels::ScreenRect;
use crate::scene::style::{self, FillStyle, Rgba};
use crate::scene::{LegendEntry, Scene};

/// Sizes in points.
const TITLE_PT: f32 = 14.0;
const ROW_PT: f32 = 11.0;
const PAD_PT: f32 = 8.0;
const ROW_H_PT: f32 = 17.0;
const SWATCH_PT: [f32; 2] = [18.0, 11.0];
/// The summary wraps at this width unless the rows are wider.
const MIN_WRAP_PT: f32 = 200.0;

/// A measured legend, ready to draw.
pub(super) struct LegendBlock {
    rows: Vec<(LegendEntry, String)>,
    summary: Vec<String>,
    s: f32,
    /// Width and height in pixels.
    pub size: [f32; 2],
}

impl LegendBlock {
    pub(super) fn new(scene: &Scene, font: &Font, s: f32, lang: Lang) -> LegendBlock {
        let rows: Vec<(LegendEntry, String)> = scene
            .legend
            .entries
            .iter()
            .filter(|e| e.visible)
            .map(|e| {
                (
                    e.clone(),
                    format!("{} ({})", e.label, format::count(e.count, lang)),
                )
            })
            .collect();
        let rows_width = rows
            .iter()
            .map(|(_, l)| font.measure(l, ROW_PT * s)[0] + (SWATCH_PT[0] + 8.0) * s)
            .chain([font.measure(&scene.legend.title, TITLE_PT * s)[0]])
            .fold(0.0f32, f32::max);
        let wrap_at = rows_width.max(MIN_WRAP_PT * s);
        let summary = wrap(font, &scene.legend.summary, ROW_PT * s, wrap_at);
        let summary_width = summary
            .iter()
            .map(|l| font.measure(l, ROW_PT * s)[0])
            .fold(0.0f32, f32::max);
        let width = rows_width.max(summary_width) + 2.0 * PAD_PT * s;
        let height = (2.0 * PAD_PT
            + 20.0
            + 15.0 * summary.len() as f32
            + if summary.is_empty() { 0.0 } else { 4.0 }
            + ROW_H_PT * rows.len() as f32)
            * s;
        LegendBlock {
            rows,
            summary,
            s,
            size: [width, height],
        }
    }

    /// Draws the legend with its top left at `at`; returns the box it covers.
    pub(super) fn draw(
        &self,
        page: &mut Page,
        font: &Font,
        scene: &Scene,
        at: [f32; 2],
    ) -> ScreenRect {
        let s = self.s;
        let [x, y] = at;
        let r = [x, y, x + self.size[0], y + self.size[1]];
        page.items.push(Item::Begin(Layer::Legend));
        page.fill_rect(r, Paint::Solid(Rgba([255, 255, 255, 235])));
        page.stroke_rect(r, Rgba::rgb(0x90, 0x90, 0x90), 0.8 * s);
        let pad = PAD_PT * s;
        page.text(
            font,
            &scene.legend.title,
            TITLE_PT * s,
            [x + pad, y + pad],
            style::LABEL,
            None,
        );
        let mut row_y = y + pad + 20.0 * s;
        for line in &self.summary {
            page.text(
                font,
                line,
                ROW_PT * s,
                [x + pad, row_y],
                Rgba::rgb(0x40, 0x40, 0x40),
                None,
            );
            row_y += 15.0 * s;
        }
        if !self.summary.is_empty() {
            row_y += 4.0 * s;
        }
        for (entry, line) in &self.rows {
            let sw = [
                x + pad,
                row_y + 2.0 * s,
                x + pad + SWATCH_PT[0] * s,
                row_y + (2.0 + SWATCH_PT[1]) * s,
            ];
            let paint = match entry.fill {
                FillStyle::Solid(c) => Paint::Solid(c),
                FillStyle::Pattern(k) => Paint::Pattern(k),
            };
            let path = page.add_path(PagePath::rect(sw));
            page.items.push(Item::Fill { path, paint });
            let (color, width) = entry
                .outline
                .map_or((Rgba::rgb(0x60, 0x60, 0x60), 0.8), |o| {
                    (o.color, o.width_pt)
                });
            page.items.push(Item::Stroke {
                path,
                color,
                width: width * s,
                round: false,
            });
            page.text(
                font,
                line,
                ROW_PT * s,
                [sw[2] + 8.0 * s, row_y],
                style::LABEL,
                None,
            );
            row_y += ROW_H_PT * s;
        }
        page.items.push(Item::End);
        r
    }
}

/// Breaks `text` into lines no wider than `width` at spaces (a word longer than the width gets
/// a line of its own).
pub(super) fn wrap(font: &Font, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && font.measure(&candidate, size)[0] > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
