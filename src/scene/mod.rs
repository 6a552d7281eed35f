//! The scene: what the map shows, independent of where it is drawn.
//!
//! `Scene::build` turns the model and the view settings into styles per area, stripe patterns,
//! label texts, the legend and the text lines around the map. The egui painter and the export
//! backends draw the same `Scene` on top of the same prepared geometry, so the screen and every
//! exported file show identical colours, classes and legend. A scene is rebuilt only when the
//! model or the view settings change, never per frame.

pub mod font;
pub mod labels;
pub mod page;
pub mod palette;
pub mod scale_bar;
pub mod style;
pub mod text;

use crate::analysis::breaks::{BreakMethod, class_breaks, class_of};
use crate::analysis::classification::{FieldCounts, count_fields};
use crate::analysis::rules::Classification;
use crate::i18n::{Lang, T, format};
use crate::model::{ActionField, ActionFieldSet, Indicator, IndicatorTable, Polarity, Region};
use palette::palette;
use style::{FillStyle, Pattern, Rgba, fill_for_fields};

/// How an indicator map is classed and coloured.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorStyle {
    /// The indicator's key.
    pub key: String,
    /// Class break method.
    pub method: BreakMethod,
    /// Number of classes, 3–9.
    pub classes: usize,
    /// ColorBrewer scheme name.
    pub palette: String,
    /// Colours in reverse order.
    pub reversed: bool,
    /// Inner limits for the manual method.
    pub manual: Vec<f64>,
}

impl IndicatorStyle {
    /// Sensible defaults for an indicator: 5 quantile classes, a sequential scheme whose dark
    /// end means need (red) or strength (blue).
    pub fn for_indicator(indicator: &Indicator) -> IndicatorStyle {
        let palette = match indicator.polarity {
            Polarity::HighIsNeed => "YlOrRd",
            Polarity::HighIsStrength => "YlGnBu",
            Polarity::Neutral => "PuBu",
        };
        IndicatorStyle {
            key: indicator.key.clone(),
            method: BreakMethod::Quantile,
            classes: 5,
            palette: palette.to_string(),
            reversed: false,
            manual: Vec::new(),
        }
    }
}

/// What the areas are coloured by.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Colouring {
    /// The Handlungsfelder.
    #[default]
    ActionFields,
    /// An indicator's classes.
    Indicator(IndicatorStyle),
    /// Coverage: flagged areas with and without measures, measures outside flagged areas.
    Coverage,
}

/// How the map is shown: the "blueprint" beside the model.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewSettings {
    /// What the areas are coloured by.
    pub colouring: Colouring,
    /// Handlungsfelder switched on in the legend.
    pub visible_fields: ActionFieldSet,
    /// Whether Sozialraum codes are drawn.
    pub show_labels: bool,
    /// Whether municipality borders are drawn stronger.
    pub show_borders: bool,
    /// Language of every text.
    pub lang: Lang,
    /// Whether the number of measures is drawn on each area that has some.
    pub show_badges: bool,
    /// A municipality (by name) in focus: the other areas are greyed, unlabelled and not
    /// counted in the legend; class limits stay those of the whole region.
    pub focus: Option<String>,
    /// Every Handlungsfeld also gets a hatch of its own, readable without colour.
    pub field_patterns: bool,
}

impl Default for ViewSettings {
    fn default() -> Self {
        ViewSettings {
            colouring: Colouring::ActionFields,
            visible_fields: ActionFieldSet::all(),
            show_labels: true,
            show_borders: true,
            lang: Lang::De,
            show_badges: true,
            focus: None,
            field_patterns: false,
        }
    }
}

/// A line style in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineStyle {
    /// Colour.
    pub color: Rgba,
    /// Width in points.
    pub width_pt: f32,
}

/// One row of the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    /// The swatch.
    pub fill: FillStyle,
    /// The text.
    pub label: String,
    /// Number of areas.
    pub count: usize,
    /// The Handlungsfeld this row switches, if it is one.
    pub field: Option<ActionField>,
    /// Whether the row's areas are shown.
    pub visible: bool,
    /// An outline drawn around the swatch (the style of emphasised areas), if any.
    pub outline: Option<LineStyle>,
}

impl LegendEntry {
    /// A row that switches nothing: a swatch, its text and how many areas it has.
    pub fn plain(fill: FillStyle, label: String, count: usize) -> LegendEntry {
        LegendEntry {
            fill,
            label,
            count,
            field: None,
            visible: true,
            outline: None,
        }
    }
}

/// The legend.
#[derive(Debug, Clone, PartialEq)]
pub struct Legend {
    /// Heading.
    pub title: String,
    /// "59 von 93 Sozialräumen mit Gestaltungsbedarf".
    pub summary: String,
    /// Rows.
    pub entries: Vec<LegendEntry>,
}

/// The distribution of an indicator with its class limits, for the histogram.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Counts of equal-width bins from `min` to `max`.
    pub bins: Vec<usize>,
    /// Class limits.
    pub limits: Vec<f64>,
    /// Class colours.
    pub colors: Vec<Rgba>,
}

/// Everything the map shows, ready for a backend.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// Fill per area, in region order.
    pub fills: Vec<FillStyle>,
    /// Stripe patterns referenced by [`FillStyle::Pattern`].
    pub patterns: Vec<Pattern>,
    /// Outline of every area.
    pub outline: LineStyle,
    /// Municipality borders, if shown.
    pub border: Option<LineStyle>,
    /// Areas drawn with an extra outline (overridden classification).
    pub emphasis: Vec<usize>,
    /// The extra outline.
    pub emphasis_style: LineStyle,
    /// Label text per area (its code), if labels are shown.
    pub labels: Option<Vec<String>>,
    /// The legend.
    pub legend: Legend,
    /// The indicator's distribution, in an indicator map.
    pub histogram: Option<Histogram>,
    /// Map title.
    pub title: String,
    /// Source and attribution line.
    pub attribution: String,
    /// A notice shown on the map, e.g. "Beispieldaten".
    pub badge: Option<String>,
    /// Number of measures per area, drawn as a small disc (empty when switched off).
    pub badges: Vec<usize>,
    /// Counts behind the Handlungsfeld legend.
    pub counts: FieldCounts,
    /// The municipality in focus, if one is.
    pub focus: Option<String>,
}

/// The name of a Handlungsfeld in `lang`.
pub fn field_name(field: ActionField, lang: Lang) -> &'static str {
    lang.t(match field {
        ActionField::Disadvantaged => T::FieldDisadvantaged,
        ActionField::Elderly => T::FieldElderly,
        ActionField::ChildrenFamilies => T::FieldChildrenFamilies,
        ActionField::Integration => T::FieldIntegration,
    })
}

/// The name of a class break method in `lang`.
pub fn method_name(method: BreakMethod, lang: Lang) -> &'static str {
    lang.t(match method {
        BreakMethod::Quantile => T::MethodQuantile,
        BreakMethod::EqualInterval => T::MethodEqual,
        BreakMethod::NaturalBreaks => T::MethodJenks,
        BreakMethod::StdDev => T::MethodStdDev,
        BreakMethod::Manual => T::MethodManual,
    })
}

/// Hatching for areas without a value ("keine Daten"), outside every class.
pub fn no_data_pattern() -> Pattern {
    Pattern {
        colors: vec![
            Rgba::rgb(0xb8, 0xb8, 0xb8),
            Rgba::rgb(0xf2, 0xf2, 0xf2),
            Rgba::rgb(0xf2, 0xf2, 0xf2),
        ],
        stripe_pt: 1.5,
        hatches: Vec::new(),
    }
}

/// Hatching for values withheld because of small numbers (data protection).
pub fn protected_pattern() -> Pattern {
    Pattern {
        colors: vec![
            Rgba::rgb(0xa0, 0x7c, 0xb0),
            Rgba::rgb(0xf4, 0xee, 0xf6),
            Rgba::rgb(0xf4, 0xee, 0xf6),
        ],
        stripe_pt: 1.5,
        hatches: Vec::new(),
    }
}

/// Outline of areas whose classification a planner overrode.
pub const EMPHASIS: Rgba = Rgba::rgb(0xcc, 0x33, 0x99);

/// Fill of areas outside the municipality in focus.
pub const OUTSIDE_FOCUS: Rgba = Rgba::rgb(0xf2, 0xf2, 0xef);

/// What a scene is built from.
#[derive(Debug, Clone, Copy)]
pub struct SceneInput<'a> {
    /// The areas.
    pub region: &'a Region,
    /// Indicator values.
    pub indicators: &'a IndicatorTable,
    /// The classification.
    pub classification: &'a Classification,
    /// Number of measures per area (empty: none known).
    pub measure_counts: &'a [usize],
}

impl Scene {
    /// Builds the scene as `settings` say.
    pub fn build(input: SceneInput<'_>, settings: &ViewSettings) -> Scene {
        let region = input.region;
        let lang = settings.lang;
        let focus = settings.focus.as_ref().and_then(|name| {
            region
                .municipalities
                .iter()
                .find(|m| m.name == *name)
                .map(|m| {
                    let mut inside = vec![false; region.spaces.len()];
                    for &i in &m.spaces {
                        if let Some(x) = inside.get_mut(i) {
                            *x = true;
                        }
                    }
                    (m.name.clone(), inside)
                })
        });
        let inside = |i: usize| {
            focus
                .as_ref()
                .is_none_or(|(_, m)| m.get(i).copied().unwrap_or(false))
        };
        let focused_fields: Vec<ActionFieldSet> = input
            .classification
            .fields
            .iter()
            .enumerate()
            .filter(|(i, _)| inside(*i))
            .map(|(_, f)| *f)
            .collect();
        let counts = count_fields(&focused_fields, settings.visible_fields);
        let mut scene = Scene {
            fills: Vec::new(),
            patterns: Vec::new(),
            outline: LineStyle {
                color: style::OUTLINE,
                width_pt: 0.8,
            },
            border: settings.show_borders.then_some(LineStyle {
                color: style::BORDER,
                width_pt: 2.2,
            }),
            emphasis: Vec::new(),
            emphasis_style: LineStyle {
                color: EMPHASIS,
                width_pt: 3.0,
            },
            labels: settings
                .show_labels
                .then(|| region.spaces.iter().map(|s| s.code.clone()).collect()),
            legend: Legend {
                title: String::new(),
                summary: String::new(),
                entries: Vec::new(),
            },
            histogram: None,
            title: region.title.clone(),
            attribution: text::attribution(region, lang),
            badge: region
                .source
                .synthetic
                .then(|| lang.t(T::SyntheticBadge).to_string()),
            counts,
            badges: Vec::new(),
            focus: None,
        };
        let indicator_style = match &settings.colouring {
            Colouring::Indicator(style) => input
                .indicators
                .position(&style.key)
                .map(|column| (style, column)),
            Colouring::ActionFields | Colouring::Coverage => None,
        };
        match indicator_style {
            Some((style, column)) => scene.colour_by_indicator(input, style, column, lang, &inside),
            None if settings.colouring == Colouring::Coverage => {
                scene.colour_by_coverage(input, settings, &inside);
            }
            None => scene.colour_by_fields(input, settings, &inside),
        }
        if settings.show_badges {
            scene.badges = input.measure_counts.to_vec();
        }
        if let Some((name, mask)) = focus {
            for (i, inside) in mask.iter().enumerate() {
                if *inside {
                    continue;
                }
                if let Some(fill) = scene.fills.get_mut(i) {
                    *fill = FillStyle::Solid(OUTSIDE_FOCUS);
                }
                if let Some(label) = scene.labels.as_mut().and_then(|l| l.get_mut(i)) {
                    label.clear();
                }
                if let Some(badge) = scene.badges.get_mut(i) {
                    *badge = 0;
                }
            }
            scene.legend.summary = format!("{name}: {}", scene.legend.summary);
            scene.focus = Some(name);
        }
        scene
    }

    /// Coverage: which flagged areas have measures, and which measures lie outside flags.
    fn colour_by_coverage(
        &mut self,
        input: SceneInput<'_>,
        settings: &ViewSettings,
        inside: &dyn Fn(usize) -> bool,
    ) {
        let lang = settings.lang;
        let n = input.region.spaces.len();
        let mut counts = [0usize; 4];
        self.fills = (0..n)
            .map(|i| {
                let flagged = input
                    .classification
                    .fields
                    .get(i)
                    .is_some_and(|f| !f.intersection(settings.visible_fields).is_empty());
                let measures = input.measure_counts.get(i).copied().unwrap_or(0) > 0;
                let class = match (flagged, measures) {
                    (true, false) => 0,
                    (true, true) => 1,
                    (false, true) => 2,
                    (false, false) => 3,
                };
                if inside(i) {
                    counts[class] += 1;
                }
                FillStyle::Solid(style::COVERAGE[class])
            })
            .collect();
        let labels = [
            T::CoverageGap,
            T::CoverageCovered,
            T::CoverageOutside,
            T::CoverageNeither,
        ];
        self.legend = Legend {
            title: lang.t(T::CoverageTitle).to_string(),
            summary: lang.tf(
                T::CoverageSummary,
                &[
                    ("gap", &format::count(counts[0], lang)),
                    ("flagged", &format::count(counts[0] + counts[1], lang)),
                ],
            ),
            entries: (0..4)
                .map(|c| LegendEntry {
                    fill: FillStyle::Solid(style::COVERAGE[c]),
                    label: lang.t(labels[c]).to_string(),
                    count: counts[c],
                    field: None,
                    visible: true,
                    outline: None,
                })
                .collect(),
        };
    }

    fn colour_by_fields(
        &mut self,
        input: SceneInput<'_>,
        settings: &ViewSettings,
        inside: &dyn Fn(usize) -> bool,
    ) {
        let lang = settings.lang;
        let classification = input.classification;
        self.fills = classification
            .fields
            .iter()
            .map(|f| {
                fill_for_fields(
                    f.intersection(settings.visible_fields),
                    &mut self.patterns,
                    settings.field_patterns,
                )
            })
            .collect();
        self.emphasis = classification
            .overridden
            .iter()
            .enumerate()
            .filter(|(i, o)| !o.is_empty() && inside(*i))
            .map(|(i, _)| i)
            .collect();
        let counts = self.counts;
        let mut entries: Vec<LegendEntry> = ActionField::ALL
            .iter()
            .map(|&f| LegendEntry {
                fill: fill_for_fields(
                    ActionFieldSet::from_fields([f]),
                    &mut self.patterns,
                    settings.field_patterns,
                ),
                label: format!("{} {}", f.number(), field_name(f, lang)),
                count: counts.per_field[f.index()],
                field: Some(f),
                visible: settings.visible_fields.contains(f),
                outline: None,
            })
            .collect();
        let visible: ActionFieldSet = ActionField::ALL
            .iter()
            .filter(|f| settings.visible_fields.contains(**f))
            .copied()
            .collect();
        if visible.len() > 1 {
            let fill = fill_for_fields(visible, &mut self.patterns, settings.field_patterns);
            entries.push(LegendEntry {
                fill,
                label: lang.t(T::LegendSeveralFields).to_string(),
                count: counts.several,
                field: None,
                visible: true,
                outline: None,
            });
        }
        entries.push(LegendEntry {
            fill: FillStyle::Solid(style::NO_NEED),
            label: lang.t(T::LegendNoNeed).to_string(),
            count: counts.total - counts.flagged,
            field: None,
            visible: true,
            outline: None,
        });
        if !self.emphasis.is_empty() {
            entries.push(LegendEntry {
                fill: FillStyle::Solid(style::NO_NEED),
                label: lang.t(T::LegendOverridden).to_string(),
                count: self.emphasis.len(),
                field: None,
                visible: true,
                outline: Some(self.emphasis_style),
            });
        }
        let has_classification = classification.classified;
        if !has_classification {
            // A file without classification: one neutral class of its own, and say why.
            entries = vec![LegendEntry {
                fill: FillStyle::Solid(style::NO_NEED),
                label: lang.t(T::LegendNotClassified).to_string(),
                count: counts.total,
                field: None,
                visible: true,
                outline: None,
            }];
        }
        self.legend = Legend {
            title: if has_classification {
                lang.t(T::LegendTitle).to_string()
            } else {
                // "Sozialräume (34)": what the map shows when nothing is classified.
                format!(
                    "{} ({})",
                    lang.t(T::MapAreas),
                    format::count(counts.total, lang)
                )
            },
            summary: if has_classification {
                lang.tf(
                    T::LegendSummary,
                    &[
                        ("n", &format::count(counts.flagged, lang)),
                        ("total", &format::count(counts.total, lang)),
                    ],
                )
            } else {
                lang.t(T::LegendNoClassification).to_string()
            },
            entries,
        };
    }

    fn colour_by_indicator(
        &mut self,
        input: SceneInput<'_>,
        style: &IndicatorStyle,
        column: usize,
        lang: Lang,
        inside: &dyn Fn(usize) -> bool,
    ) {
        let table = input.indicators;
        let indicator = &table.indicators()[column];
        let values = table.column(column);
        let n = input.region.spaces.len();
        let protected: Vec<bool> = (0..n).map(|i| table.is_small_number(column, i)).collect();
        let numbers: Vec<f64> = (0..n)
            .filter(|&i| !protected[i])
            .filter_map(|i| values.get(i).and_then(|v| v.number()))
            .collect();
        let limits = class_breaks(&numbers, style.method, style.classes, &style.manual)
            .or_else(|_| class_breaks(&numbers, BreakMethod::Quantile, style.classes, &[]))
            .unwrap_or_default();
        let classes = limits.len().saturating_sub(1);
        let colors = palette(&style.palette)
            .or_else(|| palette("YlOrRd"))
            .map(|p| p.colors_for(classes, style.reversed))
            .unwrap_or_default();
        self.patterns = vec![no_data_pattern(), protected_pattern()];
        let mut counts = vec![0usize; classes];
        let (mut missing, mut withheld, mut with_value) = (0usize, 0usize, 0usize);
        self.fills = (0..n)
            .map(|i| {
                let counted = usize::from(inside(i));
                if protected[i] {
                    withheld += counted;
                    return FillStyle::Pattern(1);
                }
                match values
                    .get(i)
                    .and_then(|v| v.number())
                    .and_then(|v| class_of(v, &limits))
                {
                    Some(c) => {
                        counts[c] += counted;
                        with_value += counted;
                        FillStyle::Solid(colors.get(c).copied().unwrap_or(style::NO_NEED))
                    }
                    None => {
                        missing += counted;
                        FillStyle::Pattern(0)
                    }
                }
            })
            .collect();
        let mut entries = class_entries(indicator, &limits, &colors, &counts, lang);
        entries.push(LegendEntry::plain(
            FillStyle::Pattern(0),
            lang.t(T::LegendNoData).to_string(),
            missing,
        ));
        if withheld > 0 {
            entries.push(LegendEntry::plain(
                FillStyle::Pattern(1),
                lang.t(T::LegendProtected).to_string(),
                withheld,
            ));
        }
        self.legend = Legend {
            title: indicator.label(lang.is_english()).to_string(),
            summary: lang.tf(
                T::LegendIndicatorSummary,
                &[
                    ("method", method_name(style.method, lang)),
                    ("classes", &format::count(classes, lang)),
                    ("n", &format::count(with_value, lang)),
                ],
            ),
            entries,
        };
        self.histogram = histogram(&numbers, limits, colors);
    }
}

/// One legend row per class with its colour and count. Limits never touch: a value on a limit
/// belongs to the lower class ([`class_of`]), so the rows read "3,5 bis 6,1 %",
/// "über 6,1 bis 10,1 %", …
fn class_entries(
    indicator: &crate::model::Indicator,
    limits: &[f64],
    colors: &[Rgba],
    counts: &[usize],
    lang: Lang,
) -> Vec<LegendEntry> {
    let unit = indicator.unit.symbol(lang.is_english());
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    let number = |v: f64| format::number(v, usize::from(indicator.decimals), lang);
    (0..counts.len())
        .map(|c| {
            LegendEntry::plain(
                FillStyle::Solid(colors.get(c).copied().unwrap_or(style::NO_NEED)),
                lang.tf(
                    if c == 0 { T::ClassFirst } else { T::ClassNext },
                    &[
                        ("from", &number(limits[c])),
                        ("to", &format!("{}{unit}", number(limits[c + 1]))),
                    ],
                ),
                counts[c],
            )
        })
        .collect()
}

/// How the values spread between the lowest and the highest class limit, in 24 bins.
fn histogram(numbers: &[f64], limits: Vec<f64>, colors: Vec<Rgba>) -> Option<Histogram> {
    let (&min, &max) = (limits.first()?, limits.last()?);
    let bins = 24;
    let mut counts = vec![0usize; bins];
    for v in numbers {
        let t = if max > min {
            (v - min) / (max - min)
        } else {
            0.0
        };
        counts[((t * bins as f64) as usize).min(bins - 1)] += 1;
    }
    Some(Histogram {
        min,
        max,
        bins: counts,
        limits,
        colors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::classify;
    use crate::io::demo::load_demo;
    use crate::io::{ImportOptions, Progress, import_bytes};

    #[test]
    fn a_map_without_classification_says_not_classified_not_no_need() {
        let demo = load_demo(&Progress::default()).expect("demo");
        let mut region = demo.region.clone();
        region.mapping.action_fields = None;
        for space in &mut region.spaces {
            space.action_fields = ActionFieldSet::EMPTY;
        }
        let rules = crate::model::RuleSet::default();
        let classification = classify(&region, &demo.indicators, &rules, &[]);
        assert!(!classification.classified);
        let input = SceneInput {
            region: &region,
            indicators: &demo.indicators,
            classification: &classification,
            measure_counts: &[],
        };
        let scene = Scene::build(input, &ViewSettings::default());
        assert_eq!(scene.legend.title, "Sozialräume (93)");
        let labels: Vec<(&str, usize)> = scene
            .legend
            .entries
            .iter()
            .map(|e| (e.label.as_str(), e.count))
            .collect();
        assert_eq!(labels, vec![("nicht eingestuft", 93)]);
        assert!(
            !scene.legend.summary.contains("README"),
            "no developer note"
        );
    }

    #[test]
    fn the_demo_legend_counts_59_of_93_and_every_field() {
        let demo = load_demo(&Progress::default()).expect("demo");
        let region = &demo.region;
        let classification = classify(region, &demo.indicators, &demo.rules, &demo.overrides);
        let input = SceneInput {
            region,
            indicators: &demo.indicators,
            classification: &classification,
            measure_counts: &[],
        };
        let scene = Scene::build(input, &ViewSettings::default());
        assert_eq!(
            scene.legend.summary,
            "59 von 93 Sozialräumen mit Gestaltungsbedarf"
        );
        assert_eq!(scene.legend.entries.len(), 6);
        for f in ActionField::ALL {
            let expected = region
                .spaces
                .iter()
                .filter(|s| s.action_fields.contains(f))
                .count();
            let entry = scene
                .legend
                .entries
                .iter()
                .find(|e| e.field == Some(f))
                .expect("row");
            assert_eq!(entry.count, expected);
        }
        let no_need = scene.legend.entries.last().expect("row");
        assert_eq!(
            (no_need.label.as_str(), no_need.count),
            ("kein Gestaltungsbedarf", 34)
        );
        // Areas in several fields are striped, the others solid.
        for (space, fill) in region.spaces.iter().zip(&scene.fills) {
            assert_eq!(
                matches!(fill, FillStyle::Pattern(_)),
                space.action_fields.len() > 1
            );
        }
        assert!(scene.badge.is_some(), "synthetic data says so");
        let english = Scene::build(
            input,
            &ViewSettings {
                lang: Lang::En,
                ..ViewSettings::default()
            },
        );
        assert_eq!(
            english.legend.summary,
            "59 of 93 areas with a need for action"
        );
    }

    #[test]
    fn coverage_shows_flagged_areas_without_measures_and_measures_outside_flags() {
        let demo = load_demo(&Progress::default()).expect("demo");
        let classification = classify(&demo.region, &demo.indicators, &demo.rules, &[]);
        let flagged = classification
            .fields
            .iter()
            .position(|f| !f.is_empty())
            .expect("flagged");
        let unflagged = classification
            .fields
            .iter()
            .position(|f| f.is_empty())
            .expect("unflagged");
        let mut counts = vec![0usize; demo.region.spaces.len()];
        counts[flagged] = 2;
        counts[unflagged] = 1;
        let input = SceneInput {
            region: &demo.region,
            indicators: &demo.indicators,
            classification: &classification,
            measure_counts: &counts,
        };
        let settings = ViewSettings {
            colouring: Colouring::Coverage,
            ..ViewSettings::default()
        };
        let scene = Scene::build(input, &settings);
        let legend: Vec<usize> = scene.legend.entries.iter().map(|e| e.count).collect();
        assert_eq!(legend, [58, 1, 1, 33]);
        assert_eq!(
            scene.legend.summary,
            "58 von 59 Sozialräumen mit Gestaltungsbedarf ohne Maßnahme"
        );
        assert_eq!(scene.fills[flagged], FillStyle::Solid(style::COVERAGE[1]));
        assert_eq!(scene.fills[unflagged], FillStyle::Solid(style::COVERAGE[2]));
        assert_eq!(scene.badges[flagged], 2, "badges on by default");
        let off = Scene::build(
            input,
            &ViewSettings {
                show_badges: false,
                ..settings
            },
        );
        assert!(off.badges.is_empty());
    }

    #[test]
    fn an_indicator_map_classes_every_value_and_keeps_missing_ones_apart() {
        let demo = load_demo(&Progress::default()).expect("demo");
        let mut indicators = demo.indicators.clone();
        // Two areas lose their value: they must land in "keine Daten", not in a class.
        let q = indicators.position("sgb2_quote").expect("quota");
        let mut column = indicators.column(q).to_vec();
        column[0] = crate::model::IndicatorValue::Missing;
        column[1] = crate::model::IndicatorValue::Suppressed;
        let entry = indicators.indicators()[q].clone();
        indicators.upsert(entry.clone(), column);
        let classification = classify(&demo.region, &indicators, &demo.rules, &[]);
        let input = SceneInput {
            region: &demo.region,
            indicators: &indicators,
            classification: &classification,
            measure_counts: &[],
        };
        let settings = ViewSettings {
            colouring: Colouring::Indicator(IndicatorStyle::for_indicator(&entry)),
            ..ViewSettings::default()
        };
        let scene = Scene::build(input, &settings);
        assert_eq!(scene.legend.title, "SGB-II-Quote");
        assert_eq!(scene.legend.entries.len(), 6, "5 classes and keine Daten");
        let classed: usize = scene.legend.entries[..5].iter().map(|e| e.count).sum();
        assert_eq!(classed, 91);
        assert_eq!(scene.legend.entries[5].label, "keine Daten");
        assert_eq!(scene.legend.entries[5].count, 2);
        assert_eq!(scene.fills[0], FillStyle::Pattern(0));
        assert!(
            scene.legend.entries[0].label.ends_with(" %"),
            "{}",
            scene.legend.entries[0].label
        );
        assert!(
            scene
                .legend
                .summary
                .starts_with("Quantile, 5 Klassen · 91 Sozialräume")
        );
        let histogram = scene.histogram.expect("histogram");
        assert_eq!(histogram.bins.iter().sum::<usize>(), 91);
        assert_eq!(histogram.limits.len(), 6);
    }

    #[test]
    fn a_file_without_classification_gets_one_neutral_class() {
        let json = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},
            "geometry":{"type":"Polygon","coordinates":[[[6,50],[6.1,50],[6.1,50.1],[6,50]]]}}]}"#;
        let imported = import_bytes(
            json,
            "x.geojson",
            &ImportOptions::default(),
            &Progress::default(),
        )
        .expect("loads");
        let classification = classify(&imported.region, &imported.indicators, &imported.rules, &[]);
        let input = SceneInput {
            region: &imported.region,
            indicators: &imported.indicators,
            classification: &classification,
            measure_counts: &[],
        };
        let scene = Scene::build(input, &ViewSettings::default());
        assert_eq!(scene.legend.entries.len(), 1);
        assert!(scene.legend.summary.contains("keine Einstufung"));
        assert!(scene.badge.is_none());
        assert_eq!(scene.attribution, "Quelle: x");
    }
}
