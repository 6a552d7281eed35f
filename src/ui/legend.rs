//! The legend panel: Handlungsfelder with colours and counts, each switchable.

use eframe::egui::{self, RichText, Ui, Vec2};

use super::command::Command;
use super::swatch::{paint_outline, swatch};
use crate::i18n::{Lang, T, format};
use crate::scene::Scene;

/// The two-dimensional legend: a swatch per cell with its count, the rows' names on the left
/// and the columns' names on top.
fn grid_ui(ui: &mut Ui, grid: &crate::scene::LegendGrid, lang: Lang) {
    ui.label(
        RichText::new(format!("{} ↓ · {} →", grid.row_title, grid.column_title))
            .small()
            .weak(),
    );
    egui::Grid::new("legend-grid")
        .num_columns(grid.columns.len() + 1)
        .spacing([4.0, 4.0])
        .show(ui, |ui| {
            ui.label("");
            for c in &grid.columns {
                ui.label(RichText::new(c).small());
            }
            ui.end_row();
            for (r, name) in grid.rows.iter().enumerate() {
                ui.label(RichText::new(name).small());
                for c in 0..grid.columns.len() {
                    let color = grid.colors[r][c];
                    let (rect, response) =
                        ui.allocate_exact_size(Vec2::new(46.0, 22.0), egui::Sense::hover());
                    let fill = crate::render::egui_map::color32(color);
                    ui.painter().rect_filled(rect, 2.0, fill);
                    let count = grid.counts[r][c];
                    let ink =
                        if u32::from(color.0[0]) + u32::from(color.0[1]) + u32::from(color.0[2])
                            < 360
                        {
                            egui::Color32::WHITE
                        } else {
                            egui::Color32::from_gray(20)
                        };
                    ui.painter().text(
                        rect.center(),
                        egui::Align2::CENTER_CENTER,
                        format::count(count, lang),
                        egui::FontId::proportional(12.0),
                        ink,
                    );
                    let text = format!(
                        "{} {name} · {} {} ({})",
                        grid.row_title,
                        grid.column_title,
                        grid.columns[c],
                        format::count(count, lang)
                    );
                    response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Label, true, text.clone())
                    });
                    response.on_hover_text(text);
                }
                ui.end_row();
            }
        });
}

/// Shows the legend of `scene`; clicking a field's row switches it on or off.
pub fn legend_ui(ui: &mut Ui, scene: &Scene, lang: Lang) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.heading(&scene.legend.title);
    ui.label(RichText::new(&scene.legend.summary).strong());
    ui.add_space(6.0);
    if let Some(grid) = &scene.legend.grid {
        grid_ui(ui, grid, lang);
        // The rows without a cell of their own (no data) follow below.
        for entry in scene
            .legend
            .entries
            .iter()
            .skip(grid.rows.len() * grid.columns.len())
        {
            ui.horizontal(|ui| {
                swatch(
                    ui,
                    Vec2::new(26.0, 16.0),
                    entry.fill,
                    &scene.patterns,
                    false,
                );
                ui.label(format!(
                    "{} ({})",
                    entry.label,
                    format::count(entry.count, lang)
                ));
            });
        }
        return commands;
    }
    for entry in &scene.legend.entries {
        ui.horizontal(|ui| {
            if let Some(field) = entry.field {
                let mut on = entry.visible;
                let response = ui
                    .checkbox(&mut on, "")
                    .on_hover_text(lang.t(T::LegendToggleHint));
                response.widget_info(|| {
                    egui::WidgetInfo::selected(
                        egui::Role::CheckBox,
                        true,
                        entry.visible,
                        entry.label.clone(),
                    )
                });
                if response.changed() {
                    commands.push(Command::ToggleField(field));
                }
            } else {
                ui.add_space(ui.spacing().interact_size.y + ui.spacing().item_spacing.x);
            }
            let rect = swatch(
                ui,
                Vec2::new(26.0, 16.0),
                entry.fill,
                &scene.patterns,
                !entry.visible,
            );
            if let Some(outline) = entry.outline {
                paint_outline(ui, rect, outline);
            }
            let text = format!("{} ({})", entry.label, format::count(entry.count, lang));
            let label = if entry.visible {
                RichText::new(text)
            } else {
                RichText::new(text).weak()
            };
            let response = ui.add(egui::Label::new(label).wrap().sense(egui::Sense::click()));
            if let Some(field) = entry.field
                && response.clicked()
            {
                commands.push(Command::ToggleField(field));
            }
        });
    }
    commands
}
