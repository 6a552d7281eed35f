//! The legend panel: Handlungsfelder with colours and counts, each switchable.

use eframe::egui::{self, RichText, Ui, Vec2};

use super::command::Command;
use super::swatch::{paint_outline, swatch};
use crate::i18n::{Lang, T, format};
use crate::scene::Scene;

/// Shows the legend of `scene`; clicking a field's row switches it on or off.
pub fn legend_ui(ui: &mut Ui, scene: &Scene, lang: Lang) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.heading(&scene.legend.title);
    ui.label(RichText::new(&scene.legend.summary).strong());
    ui.add_space(6.0);
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
