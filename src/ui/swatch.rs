//! Colour swatches for the legend and the inspector, drawn like the map draws its fills.

use eframe::egui::{self, Color32, Rect, Sense, Stroke, StrokeKind, Ui, Vec2};

use crate::render::egui_map::{color32, pattern_image};
use crate::scene::LineStyle;
use crate::scene::style::{FillStyle, Pattern};

/// Paints `fill` into `rect`: a solid colour, or the stripes of a pattern.
pub fn paint_fill(ui: &Ui, rect: Rect, fill: FillStyle, patterns: &[Pattern], dimmed: bool) {
    let painter = ui.painter_at(rect);
    let dim = |c: Color32| if dimmed { c.gamma_multiply(0.25) } else { c };
    match fill {
        FillStyle::Solid(c) => {
            painter.rect_filled(rect, 2.0, dim(color32(c)));
        }
        FillStyle::Pattern(i) => {
            let Some(pattern) = patterns.get(i) else {
                return;
            };
            // The map's own pattern texture, repeated in screen space (one tile per period).
            let id = egui::Id::unique(("swatch-pattern", format!("{pattern:?}")));
            let texture = ui.ctx().data_mut(|d| d.get_temp::<egui::TextureHandle>(id));
            let texture = texture.unwrap_or_else(|| {
                let t = ui.ctx().load_texture(
                    "swatch-pattern",
                    pattern_image(pattern),
                    egui::TextureOptions::LINEAR_REPEAT,
                );
                ui.ctx().data_mut(|d| d.insert_temp(id, t.clone()));
                t
            });
            let period = pattern.period_pt();
            let uv = egui::Rect::from_min_max(
                egui::pos2(rect.min.x / period, rect.min.y / period),
                egui::pos2(rect.max.x / period, rect.max.y / period),
            );
            let tint = if dimmed {
                Color32::WHITE.gamma_multiply(0.25)
            } else {
                Color32::WHITE
            };
            painter.image(texture.id(), rect, uv, tint);
        }
    }
    painter.rect_stroke(
        rect,
        2.0,
        Stroke::new(1.0, Color32::from_gray(90)),
        StrokeKind::Inside,
    );
}

/// Allocates and paints a swatch of `size` points; returns where.
pub fn swatch(
    ui: &mut Ui,
    size: Vec2,
    fill: FillStyle,
    patterns: &[Pattern],
    dimmed: bool,
) -> Rect {
    let (rect, _) = ui.allocate_exact_size(size, Sense::hover());
    paint_fill(ui, rect, fill, patterns, dimmed);
    rect
}

/// Paints `outline` inside the swatch at `rect`, as the map outlines emphasised areas.
pub fn paint_outline(ui: &Ui, rect: Rect, outline: LineStyle) {
    ui.painter_at(rect).rect_stroke(
        rect,
        2.0,
        Stroke::new(outline.width_pt, color32(outline.color)),
        StrokeKind::Inside,
    );
}
