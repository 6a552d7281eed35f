//! The SVG backend: a laid-out [`Page`] as an SVG document, vector throughout, text as text.
//!
//! Layers become named groups (`<g id="legende">`, `<g id="sozialraeume">`, …) so the map can
//! be edited in Inkscape or Illustrator; each area is a `<path>` carrying its code. Area rings
//! are defined once and used twice (fill, then outline) via `<use>`. The embedded font is
//! included as an `@font-face` (base64), so browsers draw the text with exactly the glyphs the
//! layout measured; other programs fall back to an installed DejaVu Sans Condensed or a sans
//! serif. Numbers are written with two decimals: a hundredth of a pixel is finer than any
//! printer.

use std::fmt::Write;

use base64::Engine;

use crate::scene::font::{FONT_BYTES, FONT_FAMILY};
use crate::scene::page::{Item, Layer, Page, PagePath, Paint, Segment};
use crate::scene::style::{Pattern, Rgba};

/// A number with at most two decimals and no trailing zeros.
fn num(v: f32) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        let s = format!("{r:.2}");
        s.trim_end_matches('0').to_string()
    }
}

/// Text with the five XML specials escaped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// ` fill="#rrggbb"` with `fill-opacity` when not opaque (also for `stroke`).
fn paint_attr(out: &mut String, name: &str, c: Rgba) {
    let _ = write!(out, " {name}=\"{}\"", c.hex());
    if c.0[3] != 255 {
        let _ = write!(
            out,
            " {name}-opacity=\"{}\"",
            num(f32::from(c.0[3]) / 255.0)
        );
    }
}

fn path_data(out: &mut String, path: &PagePath) {
    for segment in path.segments() {
        match segment {
            Segment::MoveTo(p) => {
                let _ = write!(out, "M{} {}", num(p[0]), num(p[1]));
            }
            Segment::LineTo(p) => {
                let _ = write!(out, "L{} {}", num(p[0]), num(p[1]));
            }
            Segment::Close => out.push('Z'),
        }
    }
}

fn polygon(out: &mut String, points: &[[f32; 2]]) {
    out.push_str("<path d=\"");
    path_data(out, &PagePath::polygon(points));
    out.push('"');
}

/// One tile of a pattern: each stripe's bands in its colour, and its hatch (if any) clipped
/// to those bands.
pub(crate) fn pattern_def(out: &mut String, index: usize, pattern: &Pattern, px_per_pt: f32) {
    let period = pattern.period_pt() * px_per_pt;
    let _ = write!(
        out,
        "<pattern id=\"muster{index}\" patternUnits=\"userSpaceOnUse\" width=\"{p}\" height=\"{p}\">",
        p = num(period)
    );
    let stripes = pattern.tile_geometry(px_per_pt);
    // The first colour under everything: anti-aliased band edges then leave no light seams.
    if let Some(first) = stripes.first() {
        let _ = write!(out, "<rect width=\"{p}\" height=\"{p}\"", p = num(period));
        paint_attr(out, "fill", first.color);
        out.push_str("/>");
    }
    let single = stripes.len() == 1;
    for (k, stripe) in stripes.iter().enumerate() {
        if !single {
            for band in &stripe.bands {
                polygon(out, band);
                paint_attr(out, "fill", stripe.color);
                out.push_str("/>");
            }
        }
        if stripe.hatch.is_empty() {
            continue;
        }
        if single {
            // One colour covers the whole tile: the hatch needs no clipping.
            out.push_str("<g");
            paint_attr(out, "fill", stripe.ink);
            out.push('>');
            for shape in &stripe.hatch {
                polygon(out, shape);
                out.push_str("/>");
            }
            out.push_str("</g>");
            continue;
        }
        let _ = write!(out, "<clipPath id=\"muster{index}-{k}\">");
        for band in &stripe.bands {
            polygon(out, band);
            out.push_str("/>");
        }
        let _ = write!(out, "</clipPath><g clip-path=\"url(#muster{index}-{k})\"");
        paint_attr(out, "fill", stripe.ink);
        out.push('>');
        for shape in &stripe.hatch {
            polygon(out, shape);
            out.push_str("/>");
        }
        out.push_str("</g>");
    }
    out.push_str("</pattern>\n");
}

/// Whether a path is drawn more than once (filled and stroked): then it goes into `<defs>`.
fn reused_paths(page: &Page) -> Vec<bool> {
    let mut uses = vec![0u8; page.paths.len()];
    for item in &page.items {
        if let Item::Fill { path, .. } | Item::Stroke { path, .. } = item
            && let Some(u) = uses.get_mut(*path)
        {
            *u = u.saturating_add(1);
        }
    }
    uses.into_iter().map(|u| u > 1).collect()
}

/// The page as an SVG document.
pub fn svg(page: &Page) -> String {
    let mut out = String::with_capacity(64 * 1024 + page.paths.len() * 256);
    let (w, h) = (page.width as f32, page.height as f32);
    let (width, height) = match page.paper_mm {
        Some([wm, hm]) => (format!("{}mm", num(wm)), format!("{}mm", num(hm))),
        None => (num(w), num(h)),
    };
    let _ = writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
         xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" width=\"{width}\" \
         height=\"{height}\" viewBox=\"0 0 {} {}\">",
        num(w),
        num(h)
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&page.title));
    out.push_str("<defs>\n<style>@font-face{font-family:\"");
    out.push_str(FONT_FAMILY);
    out.push_str("\";src:url(data:font/ttf;base64,");
    out.push_str(&base64::engine::general_purpose::STANDARD.encode(FONT_BYTES));
    let _ = writeln!(
        out,
        ") format(\"truetype\");}}\ntext{{font-family:\"{FONT_FAMILY}\",\"DejaVu Sans\",sans-serif;\
         font-kerning:none;white-space:pre}}</style>"
    );
    let f = page.map_frame;
    let _ = writeln!(
        out,
        "<clipPath id=\"kartenrahmen\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>",
        num(f[0]),
        num(f[1]),
        num(f[2] - f[0]),
        num(f[3] - f[1])
    );
    for (i, p) in page.patterns.iter().enumerate() {
        pattern_def(&mut out, i, p, page.px_per_pt);
    }
    let reused = reused_paths(page);
    for (i, path) in page.paths.iter().enumerate() {
        if reused[i] {
            let _ = write!(out, "<path id=\"p{i}\"");
            if let Some(name) = &path.name {
                let _ = write!(out, " data-code=\"{}\"", escape(name));
            }
            out.push_str(" d=\"");
            path_data(&mut out, path);
            out.push_str("\"/>\n");
        }
    }
    out.push_str("</defs>\n");
    let mut background = String::new();
    paint_attr(&mut background, "fill", page.background);
    let _ = writeln!(out, "<rect width=\"100%\" height=\"100%\"{background}/>");
    for item in &page.items {
        item_svg(&mut out, page, &reused, item);
    }
    out.push_str("</svg>\n");
    out
}

fn item_svg(out: &mut String, page: &Page, reused: &[bool], item: &Item) {
    let start_path = |out: &mut String, path: usize| {
        if reused.get(path).copied().unwrap_or(false) {
            let _ = write!(out, "<use xlink:href=\"#p{path}\"");
        } else if let Some(p) = page.paths.get(path) {
            out.push_str("<path d=\"");
            path_data(out, p);
            out.push('"');
        }
    };
    match item {
        Item::Begin(layer) => {
            let _ = write!(out, "<g id=\"{}\"", layer.id());
            if *layer == Layer::Map {
                out.push_str(" clip-path=\"url(#kartenrahmen)\"");
            }
            out.push_str(">\n");
        }
        Item::End => out.push_str("</g>\n"),
        Item::Fill { path, paint } => {
            start_path(out, *path);
            match paint {
                Paint::Solid(c) => paint_attr(out, "fill", *c),
                Paint::Pattern(k) => {
                    let _ = write!(out, " fill=\"url(#muster{k})\"");
                }
            }
            out.push_str(" fill-rule=\"evenodd\" stroke=\"none\">");
            if let Some(name) = page.paths.get(*path).and_then(|p| p.name.as_ref()) {
                let _ = write!(out, "<title>{}</title>", escape(name));
            }
            out.push_str(if reused.get(*path).copied().unwrap_or(false) {
                "</use>\n"
            } else {
                "</path>\n"
            });
        }
        Item::Stroke {
            path,
            color,
            width,
            round,
        } => {
            start_path(out, *path);
            out.push_str(" fill=\"none\"");
            paint_attr(out, "stroke", *color);
            let _ = write!(out, " stroke-width=\"{}\"", num(*width));
            if *round {
                out.push_str(" stroke-linejoin=\"round\" stroke-linecap=\"round\"");
            }
            out.push_str("/>\n");
        }
        Item::Text {
            text,
            size,
            origin,
            color,
            halo,
        } => {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"{}\"",
                num(origin[0]),
                num(origin[1]),
                num(*size)
            );
            paint_attr(out, "fill", *color);
            if let Some((c, w)) = halo {
                paint_attr(out, "stroke", *c);
                let _ = write!(
                    out,
                    " stroke-width=\"{}\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
                    num(*w)
                );
            }
            let _ = writeln!(out, ">{}</text>", escape(text));
        }
        Item::Disc {
            center,
            radius,
            fill,
            ring,
        } => {
            let _ = write!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"",
                num(center[0]),
                num(center[1]),
                num(*radius)
            );
            paint_attr(out, "fill", *fill);
            if let Some((c, w)) = ring {
                paint_attr(out, "stroke", *c);
                let _ = write!(out, " stroke-width=\"{}\"", num(*w));
            }
            out.push_str("/>\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_text_is_escaped() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.35");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(-3.1), "-3.1");
        assert_eq!(escape("A & B <„C“>"), "A &amp; B &lt;„C“&gt;");
    }
}
