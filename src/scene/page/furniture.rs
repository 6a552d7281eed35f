//! Map furniture: title band, source line, scale bar and north arrow.
//!
//! Each function adds its items in its own layer and returns the room it took, so the map and
//! its labels can keep clear of it.

use super::{Item, Layer, Page, PagePath, PageSpec, Paint};
use crate::i18n::Lang;
use crate::scene::font::Font;
use crate::scene::labels::ScreenRect;
use crate::scene::scale_bar::scale_bar;
use crate::scene::style::{self, Rgba};

/// Grey of secondary text (subtitle, source line).
const SECONDARY: Rgba = Rgba::rgb(0x40, 0x40, 0x40);

/// Title and subtitle at the top; returns where the map may start.
pub(super) fn title_band(page: &mut Page, font: &Font, spec: &PageSpec, margin: f32) -> f32 {
    let s = spec.px_per_pt;
    let room = spec.width_px as f32 - 2.0 * margin;
    let mut top = margin;
    if spec.title.is_none() && spec.subtitle.is_none() {
        return top;
    }
    page.items.push(Item::Begin(Layer::Title));
    if let Some(title) = spec.title.as_deref().filter(|t| !t.trim().is_empty()) {
        let size = fitting_size(font, title, 22.0 * s, room, 12.0 * s);
        page.text(font, title, size, [margin, top], style::LABEL, None);
        top += size * 30.0 / 22.0;
    }
    if let Some(subtitle) = spec.subtitle.as_deref().filter(|t| !t.trim().is_empty()) {
        let size = fitting_size(font, subtitle, 13.0 * s, room, 8.0 * s);
        page.text(font, subtitle, size, [margin, top], SECONDARY, None);
        top += size * 20.0 / 13.0;
    }
    page.items.push(Item::End);
    top
}

/// The largest size up to `natural` at which `text` fits `room`, never under `floor`.
pub(super) fn fitting_size(font: &Font, text: &str, natural: f32, room: f32, floor: f32) -> f32 {
    let width = font.measure(text, natural)[0];
    if width > room && width > 0.0 {
        (natural * room / width).max(floor)
    } else {
        natural
    }
}

/// The source line at the bottom, on one line (smaller type rather than cut off, never under
/// 6 pt); returns where the map must end.
pub(super) fn source_band(page: &mut Page, font: &Font, spec: &PageSpec, margin: f32) -> f32 {
    let s = spec.px_per_pt;
    let mut bottom = spec.height_px as f32 - margin;
    let Some(source) = spec.source_line.as_deref().filter(|t| !t.trim().is_empty()) else {
        return bottom;
    };
    let room = spec.width_px as f32 - 2.0 * margin;
    let size = fitting_size(font, source, 9.0 * s, room, 6.0 * s);
    let [_, th] = font.measure(source, size);
    bottom -= th;
    page.items.push(Item::Begin(Layer::Source));
    page.text(font, source, size, [margin, bottom], SECONDARY, None);
    page.items.push(Item::End);
    bottom - 6.0 * s
}

/// The scale bar in the bottom left corner of the map frame, showing a round length true on
/// the ground at `ground_m_per_px`; returns the box it covers.
pub(super) fn scale_bar_block(
    page: &mut Page,
    font: &Font,
    ground_m_per_px: f64,
    lang: Lang,
) -> Option<ScreenRect> {
    let s = page.px_per_pt;
    let frame = page.map_frame;
    let max = ((frame[2] - frame[0]) / 4.0).min(220.0 * s);
    let bar = scale_bar(ground_m_per_px, max, lang)?;
    let x = frame[0] + 8.0 * s;
    let y = frame[3] - 10.0 * s;
    let size = 12.0 * s;
    let [tw, th] = font.measure(&bar.label, size);
    let width = bar.length_px.max(tw);
    let back = [
        x - 6.0 * s,
        y - 12.0 * s - th,
        x + width + 6.0 * s,
        y + 4.0 * s,
    ];
    page.items.push(Item::Begin(Layer::ScaleBar));
    page.fill_rect(back, Paint::Solid(Rgba([255, 255, 255, 215])));
    let tick = 6.0 * s;
    let path = page.add_path(PagePath {
        points: vec![
            [x, y - tick],
            [x, y],
            [x + bar.length_px, y],
            [x + bar.length_px, y - tick],
        ],
        ends: vec![4],
        closed: false,
        name: None,
    });
    page.items.push(Item::Stroke {
        path,
        color: style::LABEL,
        width: 2.0 * s,
        round: false,
    });
    page.text(
        font,
        &bar.label,
        size,
        [x + bar.length_px / 2.0 - tw / 2.0, y - 8.0 * s - th],
        style::LABEL,
        None,
    );
    page.items.push(Item::End);
    Some(back)
}

/// The north arrow in the top right corner of the map frame: a split triangle with "N" above;
/// returns the box it covers. (The map is drawn in a projected CRS with north up.)
pub(super) fn north_arrow(page: &mut Page, font: &Font) -> ScreenRect {
    let s = page.px_per_pt;
    let frame = page.map_frame;
    let at = [frame[2] - 20.0 * s, frame[1] + 8.0 * s];
    let size = 12.0 * s;
    let [tw, th] = font.measure("N", size);
    page.items.push(Item::Begin(Layer::NorthArrow));
    page.text(
        font,
        "N",
        size,
        [at[0] - tw / 2.0, at[1]],
        style::LABEL,
        Some((style::LABEL_HALO, 2.0 * s)),
    );
    let top = at[1] + th + 2.0 * s;
    let (half, height) = (8.0 * s, 26.0 * s);
    for (dx, fill) in [(-half, style::LABEL), (half, Rgba::rgb(255, 255, 255))] {
        let path = page.add_path(PagePath {
            points: vec![
                [at[0], top],
                [at[0] + dx, top + height],
                [at[0], top + height * 0.72],
            ],
            ends: vec![3],
            closed: true,
            name: None,
        });
        page.items.push(Item::Fill {
            path,
            paint: Paint::Solid(fill),
        });
        page.items.push(Item::Stroke {
            path,
            color: style::LABEL,
            width: 1.0 * s,
            round: true,
        });
    }
    page.items.push(Item::End);
    [
        at[0] - half - 2.0 * s,
        at[1] - 2.0 * s,
        at[0] + half + 2.0 * s,
        top + height + 2.0 * s,
    ]
}

/// "Beispieldaten – synthetisch, nicht amtlich" in a band of its own above the map frame, so
/// that it never covers part of the map (on a page, the map's northern tip). Returns the top
/// of the room left below it.
pub(super) fn notice_band(page: &mut Page, font: &Font, notice: &str, frame: ScreenRect) -> f32 {
    let s = page.px_per_pt;
    let room = frame[2] - frame[0] - 12.0 * s;
    let size = fitting_size(font, notice, 11.0 * s, room, 6.0 * s);
    let [tw, th] = font.measure(notice, size);
    let at = [frame[0], frame[1]];
    let r = [at[0], at[1], at[0] + tw + 12.0 * s, at[1] + th + 6.0 * s];
    page.items.push(Item::Begin(Layer::Notice));
    page.fill_rect(r, Paint::Solid(Rgba::rgb(0x8a, 0x1c, 0x1c)));
    page.text(
        font,
        notice,
        size,
        [at[0] + 6.0 * s, at[1] + 3.0 * s],
        Rgba::rgb(255, 255, 255),
        None,
    );
    page.items.push(Item::End);
    r[3] + 6.0 * s
}
