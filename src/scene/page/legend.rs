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

/// Cell size of a two-dimensional legend, in points.
const CELL_PT: [f32; 2] = [38.0, 18.0];
/// Size of its row and column names.
const GRID_TEXT_PT: f32 = 9.5;

/// A measured legend, ready to draw.
pub(super) struct LegendBlock {
    rows: Vec<(LegendEntry, String)>,
    summary: Vec<String>,
    s: f32,
    /// The grid's row-name column width and cell width, in pixels, when there is a grid.
    grid: Option<[f32; 2]>,
    /// The language of the counts.
    lang: Lang,
    /// Width and height in pixels.
    pub size: [f32; 2],
}

impl LegendBlock {
    /// Height of the grid in pixels (0 without one).
    fn grid_height(&self, scene: &Scene) -> f32 {
        match (&scene.legend.grid, self.grid) {
            (Some(g), Some(_)) => {
                (GRID_TEXT_PT * 1.6 + CELL_PT[1] * g.rows.len() as f32 + 14.0 + 6.0) * self.s
            }
            _ => 0.0,
        }
    }
}

impl LegendBlock {
    pub(super) fn new(scene: &Scene, font: &Font, s: f32, lang: Lang) -> LegendBlock {
        // With a grid, its cells are the first entries; only the others get rows.
        let skip = scene
            .legend
            .grid
            .as_ref()
            .map_or(0, |g| g.rows.len() * g.columns.len());
        let rows: Vec<(LegendEntry, String)> = scene
            .legend
            .entries
            .iter()
            .skip(skip)
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
        let grid = scene.legend.grid.as_ref().map(|g| {
            let names = g
                .rows
                .iter()
                .map(|r| font.measure(r, GRID_TEXT_PT * s)[0])
                .fold(0.0f32, f32::max)
                + 6.0 * s;
            let cell = g
                .columns
                .iter()
                .map(|c| font.measure(c, GRID_TEXT_PT * s)[0] + 6.0 * s)
                .fold(CELL_PT[0] * s, f32::max);
            [names, cell]
        });
        let grid_width = match (&scene.legend.grid, grid) {
            (Some(g), Some([names, cell])) => names + cell * g.columns.len() as f32,
            _ => 0.0,
        };
        let rows_width = rows_width.max(grid_width);
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
        let mut block = LegendBlock {
            rows,
            summary,
            s,
            grid,
            lang,
            size: [width, height],
        };
        block.size[1] += block.grid_height(scene);
        block
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
        if let (Some(g), Some([names, cell])) = (&scene.legend.grid, self.grid) {
            let text_size = GRID_TEXT_PT * s;
            let dark = Rgba::rgb(0x40, 0x40, 0x40);
            page.text(
                font,
                &format!("{} ↓ · {} →", g.row_title, g.column_title),
                text_size,
                [x + pad, row_y],
                dark,
                None,
            );
            row_y += 14.0 * s;
            for (c, name) in g.columns.iter().enumerate() {
                let cx = x + pad + names + cell * c as f32 + 3.0 * s;
                page.text(font, name, text_size, [cx, row_y], dark, None);
            }
            row_y += text_size * 1.6;
            for (r, name) in g.rows.iter().enumerate() {
                let top = row_y + CELL_PT[1] * s * r as f32;
                page.text(font, name, text_size, [x + pad, top + 3.0 * s], dark, None);
                for c in 0..g.columns.len() {
                    let left = x + pad + names + cell * c as f32;
                    let cell_rect = [
                        left,
                        top,
                        left + cell - 2.0 * s,
                        top + CELL_PT[1] * s - 2.0 * s,
                    ];
                    let color = g.colors[r][c];
                    page.fill_rect(cell_rect, Paint::Solid(color));
                    let light =
                        u32::from(color.0[0]) + u32::from(color.0[1]) + u32::from(color.0[2])
                            >= 360;
                    let ink = if light {
                        style::LABEL
                    } else {
                        Rgba::rgb(255, 255, 255)
                    };
                    let count = format::count(g.counts[r][c], self.lang);
                    let w = font.measure(&count, text_size)[0];
                    page.text(
                        font,
                        &count,
                        text_size,
                        [(cell_rect[0] + cell_rect[2] - w) / 2.0, top + 3.0 * s],
                        ink,
                        None,
                    );
                }
            }
            row_y += CELL_PT[1] * s * g.rows.len() as f32 + 6.0 * s;
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
