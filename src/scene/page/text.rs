//! A page of text: an A4 sheet of headed, wrapped lines (the index definition sheet), drawn by
//! the same backends as the maps. Lines that do not fit on the page continue on further pages.

use super::legend::wrap;
use super::{Page, Paint};
use crate::scene::font::Font;
use crate::scene::index_sheet::{LineKind, SheetLine};
use crate::scene::style::{self, Rgba};

/// A4 portrait in millimetres.
const A4_MM: [f32; 2] = [210.0, 297.0];
/// Margin in points.
const MARGIN_PT: f32 = 56.0;

fn size_pt(kind: LineKind) -> f32 {
    match kind {
        LineKind::Title => 18.0,
        LineKind::Heading => 12.5,
        LineKind::Body | LineKind::Item => 10.5,
        LineKind::Small => 8.5,
    }
}

/// An empty white A4 portrait page at `px_per_pt` pixels per point.
pub fn a4_page(px_per_pt: f32, title: &str) -> Page {
    let [w, h] = A4_MM.map(|mm| mm / 25.4 * 72.0 * px_per_pt);
    Page {
        width: w.round() as u32,
        height: h.round() as u32,
        px_per_pt,
        paper_mm: Some(A4_MM),
        background: Rgba::rgb(255, 255, 255),
        map_frame: [0.0, 0.0, 0.0, 0.0],
        patterns: Vec::new(),
        paths: Vec::new(),
        items: Vec::new(),
        legend_box: None,
        label_boxes: Vec::new(),
        links: Vec::new(),
        title: title.to_string(),
    }
}

/// The pages of `lines` at `px_per_pt` pixels per point (1 for PDF, 150/72 for a 150 dpi PNG).
pub fn text_pages(lines: &[SheetLine], font: &Font, px_per_pt: f32) -> Vec<Page> {
    let title = lines
        .iter()
        .find(|l| l.kind == LineKind::Title)
        .map(|l| l.text.clone())
        .unwrap_or_default();
    let s = px_per_pt;
    let mut pages = vec![a4_page(s, &title)];
    let bottom = |p: &Page| p.height as f32 - MARGIN_PT * s;
    let width = A4_MM[0] / 25.4 * 72.0 * s - 2.0 * MARGIN_PT * s;
    let mut y = MARGIN_PT * s;
    for l in lines {
        let size = size_pt(l.kind) * s;
        let (indent, before) = match l.kind {
            LineKind::Heading => (0.0, 10.0),
            LineKind::Item => (14.0, 0.0),
            LineKind::Small => (0.0, 14.0),
            LineKind::Title | LineKind::Body => (0.0, 2.0),
        };
        y += before * s;
        let text = if l.kind == LineKind::Item {
            format!("– {}", l.text)
        } else {
            l.text.clone()
        };
        for row in wrap(font, &text, size, width - indent * s) {
            let page_full = pages.last().is_some_and(|p| y + size * 1.35 > bottom(p));
            if page_full {
                pages.push(a4_page(s, &title));
                y = MARGIN_PT * s;
            }
            let color = match l.kind {
                LineKind::Small => Rgba::rgb(0x60, 0x60, 0x60),
                _ => style::LABEL,
            };
            if let Some(page) = pages.last_mut() {
                let x = MARGIN_PT * s + indent * s;
                page.text(font, &row, size, [x, y], color, None);
                if let Some(target) = l.link {
                    let w = font.measure(&row, size)[0];
                    page.links.push(([x, y, x + w, y + size * 1.2], target));
                }
            }
            y += size * 1.35;
        }
        if l.kind == LineKind::Title
            && let Some(page) = pages.last_mut()
        {
            let rule = [
                MARGIN_PT * s,
                y + 2.0 * s,
                MARGIN_PT * s + width,
                y + 3.0 * s,
            ];
            page.fill_rect(rule, Paint::Solid(Rgba::rgb(0x90, 0x90, 0x90)));
            y += 8.0 * s;
        }
    }
    pages
}
