//! A label that wraps between words only, for indicator names in narrow columns.

use eframe::egui::{self, Color32, RichText, Ui};

/// A label that wraps only between words: at most `max_width` wide, but never narrower than
/// its longest word ("Mindestsicherungsquote" stays whole instead of "Mindestsicherungsq|uote").
pub fn word_wrapped(ui: &mut Ui, text: &str, small: bool, max_width: f32) -> egui::Response {
    let font = if small {
        egui::TextStyle::Small.resolve(ui.style())
    } else {
        egui::TextStyle::Body.resolve(ui.style())
    };
    let longest = text
        .split_whitespace()
        .map(|w| {
            ui.painter()
                .layout_no_wrap(w.to_string(), font.clone(), Color32::BLACK)
                .size()
                .x
        })
        .fold(0.0_f32, f32::max);
    let width = max_width.max(longest.ceil() + 1.0);
    ui.scope(|ui| {
        ui.set_max_width(width);
        let text = if small {
            RichText::new(text).small()
        } else {
            RichText::new(text)
        };
        ui.add(egui::Label::new(text).wrap())
    })
    .inner
}
