//! The offline atlas for partners: one self-contained HTML file — the map as inline SVG, the
//! data as inline JSON, the script and the style inline, no font, no image, no request —
//! that opens with a double-click from a USB stick or a network drive. Its own Content
//! Security Policy forbids every connection (`default-src 'none'`), so even a browser that
//! would follow a link in the data cannot load anything.
//!
//! The map offers the Handlungsfelder and every indicator in every year with its legend
//! (the scene's colours, stripes and hatches); pointing names an area and its value,
//! clicking opens its profile (the same content as the printed page), which prints on its
//! own; a search finds areas by code or name; `atlas.html#AC%203` opens an area's profile.

mod data;
mod geometry;

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::document::Document;
use crate::i18n::{Lang, T, format};
use crate::model::Date;
use crate::render::svg::{escape, pattern_def};

pub use geometry::{AtlasGeometry, atlas_geometry};

/// The atlas's style sheet.
const CSS: &str = include_str!("atlas.css");
/// The atlas's script.
const JS: &str = include_str!("atlas.js");
/// Areas up to which the map carries their codes.
const MAX_LABELS: usize = 400;
/// CSS pixels per point.
const PX_PER_PT: f32 = 96.0 / 72.0;

/// What to write.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AtlasRequest {
    /// The HTML file.
    pub out: PathBuf,
    /// Include the measures attached to each area (off: not one is in the file).
    pub measures: bool,
    /// The source line instead of the dated one.
    pub source: Option<String>,
}

/// The atlas as HTML, and how many maps it offers.
pub struct Atlas {
    /// The file's text.
    pub html: String,
    /// Maps in the selector (the Handlungsfelder and every indicator-year).
    pub maps: usize,
    /// Vertices of the simplified shapes.
    pub vertices: usize,
}

/// The texts the script shows, in `lang`.
fn texts(lang: Lang) -> serde_json::Value {
    let pairs = [
        ("kind", T::ProfileKind),
        ("fields", T::LegendTitle),
        ("spine", T::ProfileTitle),
        ("value", T::ColValue),
        ("rank", T::ColRank),
        ("spineLegend", T::ProfilePageLegend),
        ("series", T::SeriesTitle),
        ("estimated", T::TipValueEstimated),
        ("measures", T::ProfileMeasures),
        ("noMeasures", T::ProfileNoMeasures),
        ("print", T::AtlasPrint),
        ("close", T::AtlasClose),
        ("noHits", T::AtlasNoHits),
        ("noField", T::AtlasNoField),
        ("indicators", T::AtlasIndicators),
    ];
    serde_json::Value::Object(
        pairs
            .iter()
            .map(|(k, t)| ((*k).to_string(), lang.t(*t).into()))
            .collect(),
    )
}

/// JSON that cannot end the `<script>` element it sits in: every `<` escaped.
fn inline_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c")
}

/// The atlas of `doc` (`source`: the source line).
pub fn atlas(doc: &Document, measures: bool, source: &str, today: Date, lang: Lang) -> Atlas {
    let region = &doc.region;
    let geometry = atlas_geometry(region);
    let mut fills = data::Fills::default();
    let (mut payload, maps) = data::payload(doc, source, measures, &mut fills, lang);
    let scene = crate::scene::Scene::build(
        doc.scene_input(),
        &crate::scene::ViewSettings {
            lang,
            ..crate::scene::ViewSettings::default()
        },
    );
    let border = scene.border.unwrap_or(scene.outline);
    if let Some(object) = payload.as_object_mut() {
        object.insert("t".into(), texts(lang));
        object.insert("fills".into(), fills.paints.clone().into());
        object.insert("source".into(), source.into());
        object.insert("maxZoom".into(), geometry.max_zoom.into());
    }
    let title = escape(&region.title);
    let [w, h] = geometry
        .size
        .map(|v| (v * geometry::QUANTUM).round() as i64);
    let mut svg = String::with_capacity(geometry.vertices * 8 + 4096);
    let _ = write!(
        svg,
        "<svg id=\"karte\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{title}\"><defs>"
    );
    for (k, p) in fills.patterns.iter().enumerate() {
        pattern_def(&mut svg, k, p, PX_PER_PT);
    }
    svg.push_str("</defs><g id=\"flaechen\">");
    for (i, d) in geometry.paths.iter().enumerate() {
        if let Some(d) = d {
            let _ = write!(svg, "<path data-i=\"{i}\" d=\"{d}\"/>");
        }
    }
    let _ = write!(svg, "</g><path id=\"grenzen\" d=\"{}\"/>", geometry.borders);
    svg.push_str("<path id=\"auswahl\" d=\"\"/><g id=\"codes\">");
    if region.spaces.len() <= MAX_LABELS {
        for (i, label) in geometry.labels.iter().enumerate() {
            if let Some((at, width)) = label {
                let _ = write!(
                    svg,
                    "<text data-i=\"{i}\" data-w=\"{}\" x=\"{}\" y=\"{}\">{}</text>",
                    (width * geometry::QUANTUM).round(),
                    (at[0] * geometry::QUANTUM).round(),
                    (at[1] * geometry::QUANTUM).round(),
                    escape(&region.spaces[i].code)
                );
            }
        }
    }
    svg.push_str("</g></svg>");
    let css = CSS
        .replace("OUTLINE_COLOR", &scene.outline.color.hex())
        .replace(
            "OUTLINE_WIDTH",
            &format!("{:.2}", scene.outline.width_pt * PX_PER_PT),
        )
        .replace("BORDER_COLOR", &border.color.hex())
        .replace(
            "BORDER_WIDTH",
            &format!("{:.2}", border.width_pt * PX_PER_PT),
        );
    let t = |key: T| escape(lang.t(key));
    let footer = escape(&lang.tf(T::AtlasFooter, &[("date", &format::date(today, lang))]));
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="{code}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="Sozialraum-Atlas {version}">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header>
<div class="titel"><h1>{title}</h1><div id="kartentitel"></div></div>
<label class="wahl">{map} <select id="karte-wahl"></select></label>
<label class="wahl" id="jahr-feld" hidden>{year} <select id="jahr-wahl"></select></label>
<div class="suche"><input id="suche" type="search" autocomplete="off" placeholder="{search}" aria-label="{search}"><ul id="treffer" hidden></ul></div>
</header>
<main>
<div id="rahmen">
{svg}
<div id="tip" hidden></div>
<div class="zoom"><button id="plus" title="{zoom_in}" aria-label="{zoom_in}">+</button><button id="minus" title="{zoom_out}" aria-label="{zoom_out}">−</button><button id="alles" title="{zoom_all}" aria-label="{zoom_all}">⌂</button></div>
<section id="legende"></section>
</div>
<aside id="seite"><p class="hinweis" id="hinweis">{hint}</p><section id="profil" hidden></section></aside>
</main>
<footer>{source} · {footer}</footer>
<noscript><p class="ohne-script">{noscript}</p></noscript>
<script type="application/json" id="atlas-daten">{data}</script>
<script>{js}</script>
</body>
</html>
"#,
        code = if lang.is_english() { "en" } else { "de" },
        version = env!("CARGO_PKG_VERSION"),
        map = t(T::AtlasMap),
        year = t(T::AtlasYear),
        search = t(T::AtlasSearch),
        zoom_in = t(T::AtlasZoomIn),
        zoom_out = t(T::AtlasZoomOut),
        zoom_all = t(T::AtlasZoomAll),
        hint = t(T::AtlasHint),
        noscript = t(T::AtlasNoScript),
        source = escape(source),
        data = inline_json(&payload),
        js = JS,
    );
    Atlas {
        html,
        maps,
        vertices: geometry.vertices,
    }
}

/// Writes the atlas as `request` says; returns what was written.
pub fn write(
    doc: &Document,
    request: &AtlasRequest,
    today: Date,
    lang: Lang,
) -> Result<String, String> {
    let snapshot = super::map::MapSnapshot::of(doc);
    let source = request
        .source
        .clone()
        .unwrap_or_else(|| super::map::source_line(&snapshot, today, lang));
    let atlas = atlas(doc, request.measures, &source, today, lang);
    let file = request.out.display().to_string();
    crate::io::atomic::write_atomically(&request.out, atlas.html.as_bytes()).map_err(|e| {
        lang.tf(
            T::ExportWriteFailed,
            &[("file", &file), ("reason", &e.to_string())],
        )
    })?;
    let size = atlas.html.len() as f64;
    let size = if size >= 1e6 {
        format!("{} MB", format::number(size / 1e6, 1, lang))
    } else {
        format!("{} kB", format::number(size / 1e3, 0, lang))
    };
    Ok(lang.tf(
        T::AtlasWritten,
        &[
            ("file", &file),
            ("areas", &format::count(doc.region.spaces.len(), lang)),
            ("maps", &format::count(atlas.maps, lang)),
            ("size", &size),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spatial::prepared::Detail;

    #[test]
    fn text_from_the_data_cannot_end_the_script_or_open_markup() {
        let mut imported =
            crate::io::demo::load_demo(&crate::io::Progress::default()).expect("demo");
        imported.region.title = "</script><script>alert(1)</script> & Co".into();
        imported.region.spaces[0].name = Some("</script><img src=x onerror=alert(2)>".into());
        let doc = Document::from_import(imported, None, Detail::Full);
        let today = Date::new(2026, 12, 1).expect("date");
        let a = atlas(&doc, false, "Quelle: <Amt> & Co", today, Lang::De);
        assert!(!a.html.contains("<script>alert"), "title");
        assert!(!a.html.contains("<img"), "area name");
        assert!(!a.html.contains("<Amt>"), "source line");
        assert!(a.html.contains("&lt;/script&gt;&lt;script&gt;alert(1)"));
        // Only the two script elements of the atlas end.
        assert_eq!(a.html.matches("</script>").count(), 2);
        assert_eq!(a.maps, 44);
    }
}
