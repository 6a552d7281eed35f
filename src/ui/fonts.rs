//! The embedded font: DejaVu Sans Condensed, for the window and (later) every export.
//!
//! Embedded so that text looks and measures the same on every machine, and because egui's
//! default fonts lack signs the explanations need (✓ ✗ ≥ ≤ ⚠). egui's own fonts stay behind it
//! as fallbacks for emoji and icons. Licence: Bitstream Vera / DejaVu (assets/fonts).

use eframe::egui::{Context, FontData, FontDefinitions, FontFamily};
use std::sync::Arc;

/// The TTF bytes (the same font the exports use).
pub const DEJAVU_SANS_CONDENSED: &[u8] = crate::scene::font::FONT_BYTES;

/// Makes the embedded font the first choice for proportional text.
pub fn install(ctx: &Context) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "dejavu-sans-condensed".to_owned(),
        Arc::new(FontData::from_static(DEJAVU_SANS_CONDENSED)),
    );
    if let Some(family) = fonts.families.get_mut(&FontFamily::Proportional) {
        family.insert(0, "dejavu-sans-condensed".to_owned());
    }
    ctx.set_fonts(fonts);
}
