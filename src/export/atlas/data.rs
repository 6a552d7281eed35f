//! What the atlas's script reads: the areas, every map (the Handlungsfelder and each
//! indicator in each year, built by the same scene as the window and the exports, so colours,
//! stripes, hatches and legends are theirs) and every area's profile (the same content as the
//! printed page). Only published values go in: a withheld value is "geheim" or "< 3", its
//! area hatched, its position on the spine chart and its rank absent — the number is nowhere.
//! Positions on the spine chart are fractions of the region's range, so the range's ends (a
//! withheld value may be one of them) are not written either. Measures go in only when asked.

use serde_json::{Value, json};

use crate::analysis::rules::Evaluator;
use crate::document::Document;
use crate::i18n::{Lang, T, format};
use crate::model::{ActionField, Measure, Year};
use crate::scene::profile::{ProfileContent, ProfileInput, profile_content, published_value};
use crate::scene::style::{FillStyle, Pattern};
use crate::scene::{Colouring, IndicatorStyle, Scene, SceneInput, ViewSettings};

/// The fills of all maps: colours and stripe patterns, each once.
#[derive(Default)]
pub struct Fills {
    /// CSS paint per fill: "#rrggbb" or "url(#musterN)".
    pub paints: Vec<String>,
    /// The patterns, `musterN` at index N.
    pub patterns: Vec<Pattern>,
}

impl Fills {
    /// The index of `fill` (a pattern by index into `scene_patterns`).
    fn index(&mut self, fill: FillStyle, scene_patterns: &[Pattern]) -> usize {
        let paint = match fill {
            FillStyle::Solid(c) => c.hex(),
            FillStyle::Pattern(k) => {
                let Some(pattern) = scene_patterns.get(k) else {
                    return self.index(FillStyle::Solid(crate::scene::style::NO_NEED), &[]);
                };
                let n = self
                    .patterns
                    .iter()
                    .position(|p| p == pattern)
                    .unwrap_or_else(|| {
                        self.patterns.push(pattern.clone());
                        self.patterns.len() - 1
                    });
                format!("url(#muster{n})")
            }
        };
        self.paints
            .iter()
            .position(|p| *p == paint)
            .unwrap_or_else(|| {
                self.paints.push(paint);
                self.paints.len() - 1
            })
    }
}

/// One map of the atlas from the scene `settings` build.
fn map_json(
    input: SceneInput<'_>,
    settings: &ViewSettings,
    fills: &mut Fills,
    values: Option<Vec<String>>,
    name: String,
) -> Value {
    let scene = Scene::build(input, settings);
    let lang = settings.lang;
    let fill: Vec<usize> = scene
        .fills
        .iter()
        .map(|f| fills.index(*f, &scene.patterns))
        .collect();
    let legend: Vec<Value> = scene
        .legend
        .entries
        .iter()
        .map(|e| {
            json!([
                fills.index(e.fill, &scene.patterns),
                e.label,
                format::count(e.count, lang)
            ])
        })
        .collect();
    json!({
        "name": name,
        "title": scene.title,
        "legendTitle": scene.legend.title,
        "summary": scene.legend.summary,
        "legend": legend,
        "fill": fill,
        "value": values,
    })
}

/// The maps: first the Handlungsfelder, then per indicator one per year (only the current
/// one without years). Returns the maps and per indicator [label, theme, [[year, map]…]].
fn maps(
    doc: &Document,
    input: SceneInput<'_>,
    fills: &mut Fills,
    lang: Lang,
) -> (Vec<Value>, Vec<Value>) {
    let base = ViewSettings {
        lang,
        show_labels: false,
        show_badges: false,
        ..ViewSettings::default()
    };
    let mut maps = vec![map_json(
        input,
        &base,
        fills,
        None,
        lang.t(T::LegendTitle).to_string(),
    )];
    let table = &doc.indicators;
    let n = doc.region.spaces.len();
    let mut indicators = Vec::new();
    for (c, indicator) in table.indicators().iter().enumerate() {
        let years: Vec<Option<Year>> = if table.years(c).len() > 1 {
            table.years(c).iter().copied().map(Some).collect()
        } else {
            vec![None]
        };
        let mut entries = Vec::new();
        for year in years {
            let mut style = IndicatorStyle::for_indicator(indicator);
            style.year = year;
            let settings = ViewSettings {
                colouring: Colouring::Indicator(style),
                ..base.clone()
            };
            let values = (0..n)
                .map(|i| published_value(table, c, i, year, lang))
                .collect();
            let label = indicator.label(lang.is_english()).to_string();
            entries.push(json!([year, maps.len()]));
            maps.push(map_json(input, &settings, fills, Some(values), label));
        }
        indicators.push(json!([
            indicator.label(lang.is_english()),
            indicator.theme,
            entries
        ]));
    }
    (maps, indicators)
}

/// A position on the spine chart: the fraction of the region's range, to three places.
fn fraction(v: Option<f64>, range: Option<(f64, f64)>) -> Value {
    match (v, range) {
        (Some(v), Some((min, max))) => {
            let span = (max - min).max(f64::EPSILON);
            json!((((v - min) / span).clamp(0.0, 1.0) * 1000.0).round() / 1000.0)
        }
        _ => Value::Null,
    }
}

/// One area's profile as the script draws it (the labels that are the same for every area
/// are written once, in [`profile_frame`]).
fn profile_json(p: &ProfileContent, municipality: Option<usize>, measures: bool) -> Value {
    let fields: Vec<Value> = p
        .fields
        .iter()
        .map(|f| json!([u8::from(f.member), f.reasons]))
        .collect();
    let rows: Vec<Value> = p
        .spine
        .iter()
        .map(|r| {
            json!([
                r.value,
                r.rank,
                fraction(r.area, r.range),
                fraction(r.municipality, r.range),
                r.need.map(u8::from)
            ])
        })
        .collect();
    let series: Option<Vec<&Vec<String>>> = p
        .series
        .as_ref()
        .map(|s| s.rows.iter().map(|(_, cells)| cells).collect());
    json!({
        "title": p.title,
        "m": municipality,
        "facts": p.facts,
        "fields": fields,
        "rows": rows,
        "series": series,
        "measures": measures.then_some(&p.measures),
    })
}

/// The parts of a profile that are the same for every area: field labels and colours, the
/// spine rows' labels and the region's position, the series' years and row labels.
fn profile_frame(first: &ProfileContent, lang: Lang) -> Value {
    let fields: Vec<Value> = ActionField::ALL
        .iter()
        .map(|&f| {
            let name = crate::scene::field_name(f, lang);
            json!([
                format!("✓ {} {name}", f.number()),
                format!("– {} {name}", f.number()),
                crate::scene::style::field_color(f).hex()
            ])
        })
        .collect();
    let rows: Vec<Value> = first
        .spine
        .iter()
        .map(|r| json!([r.label, fraction(r.region, r.range)]))
        .collect();
    let series = first.series.as_ref().map(|s| {
        json!({
            "years": s.years,
            "labels": s.rows.iter().map(|(l, _)| l).collect::<Vec<_>>(),
            "estimates": s.estimates,
        })
    });
    json!({"fields": fields, "rows": rows, "series": series})
}

/// Everything the atlas's script reads, and how many maps there are.
pub fn payload(
    doc: &Document,
    source_line: &str,
    measures: bool,
    fills: &mut Fills,
    lang: Lang,
) -> (Value, usize) {
    let region = &doc.region;
    let no_measures = vec![0; region.spaces.len()];
    let input = SceneInput {
        region,
        indicators: &doc.indicators,
        classification: &doc.classification,
        measure_counts: if measures {
            &doc.measure_counts
        } else {
            &no_measures
        },
    };
    let (maps, indicators) = maps(doc, input, fills, lang);
    let evaluator = Evaluator::new(region, &doc.indicators, &doc.rules);
    let mut frame = Value::Null;
    let mut profiles = Vec::with_capacity(region.spaces.len());
    for (i, space) in region.spaces.iter().enumerate() {
        let code = &space.code;
        let attached: Vec<&Measure> = if measures {
            doc.measures
                .all()
                .iter()
                .filter(|m| m.concerns(code))
                .collect()
        } else {
            Vec::new()
        };
        let fields = evaluator.explain(i, &doc.overrides);
        let content = profile_content(
            &ProfileInput {
                region,
                indicators: &doc.indicators,
                stats: &doc.stats.indicators,
                prepared: &doc.prepared,
                fields: &fields,
                measures: &attached,
                area: i,
                source_line: source_line.to_string(),
            },
            lang,
        );
        if i == 0 {
            frame = profile_frame(&content, lang);
        }
        profiles.push(profile_json(&content, space.municipality, measures));
    }
    let areas: Vec<Value> = region
        .spaces
        .iter()
        .map(|s| json!([s.code, s.name.as_deref().unwrap_or_default()]))
        .collect();
    let municipalities: Vec<&str> = region
        .municipalities
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    let count = maps.len();
    // Without a classification the Handlungsfelder map is all grey: begin with an indicator.
    let start = usize::from(!doc.classification.classified && count > 1);
    (
        json!({
            "start": start,
            "areas": areas,
            "municipalities": municipalities,
            "maps": maps,
            "indicators": indicators,
            "frame": frame,
            "profiles": profiles,
        }),
        count,
    )
}
