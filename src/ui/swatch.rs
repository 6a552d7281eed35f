//! Colour swatches for the legend and the inspector, drawn like the map draws its fills.

use eframe::egui::{self, Color32, Rect, Sense, Stroke, StrokeKind, Ui, Vec2};

use crate::render::egui_map::color32;
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
            // Diagonal bands x + y = c … c + stripe, clipped by the painter to the swatch.
            let (top, bottom) = (rect.min.y, rect.max.y);
            let stripe = pattern.stripe_pt;
            let first = ((rect.min.x + top) / stripe).floor() * stripe;
            let mut c = first;
            while c < rect.max.x + bottom {
                let color = dim(color32(pattern.color_at(c + stripe / 2.0, 0.0)));
                painter.add(egui::Shape::convex_polygon(
                    vec![
                        egui::pos2(c - top, top),
                        egui::pos2(c + stripe - top, top),
                        egui::pos2(c + stripe - bottom, bottom),
                        egui::pos2(c - bottom, bottom),
                    ],
                    color,
                    Stroke::NONE,
                ));
                c += stripe;
            }
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
