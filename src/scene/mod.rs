//! The scene: what the map shows, independent of where it is drawn.
//!
//! `Scene::build` turns the model and the view settings into styles per area, stripe patterns,
//! label texts, the legend and the text lines around the map. The egui painter and the export
//! backends draw the same `Scene` on top of the same prepared geometry, so the screen and every
//! exported file show identical colours, classes and legend. A scene is rebuilt only when the
//! model or the view settings change, never per frame.

pub mod font;
pub mod index_sheet;
pub mod labels;
pub mod page;
pub mod palette;
pub mod profile;
pub mod scale_bar;
pub mod style;
pub mod text;

use crate::analysis::breaks::{BreakMethod, class_breaks, class_of};
use crate::analysis::change::change_column;
use crate::analysis::classification::{FieldCounts, count_fields};
use crate::analysis::rules::Classification;
use crate::i18n::{Lang, T, format};
use crate::model::{
    ActionField, ActionFieldSet, Change, ChangeMeasure, Indicator, IndicatorTable, IndicatorValue,
    Polarity, Region, Unit, Year,
};
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
    /// The year shown (None: each area's current values, the latest year).
    pub year: Option<Year>,
    /// Set: the map shows the change between two years instead of one year's values, on a
    /// diverging scheme centred on 0.
    pub change: Option<Change>,
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
            year: None,
            change: None,
        }
    }

    /// The diverging scheme of a change map and whether it runs reversed: a rise is red where
    /// a high value means need, blue where it means strength, orange where it means neither.
    pub fn change_palette(indicator: &Indicator) -> (&'static str, bool) {
        match indicator.polarity {
            Polarity::HighIsNeed => ("RdBu", true),
            Polarity::HighIsStrength => ("RdBu", false),
            Polarity::Neutral => ("PuOr", true),
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
    /// Status × dynamics of an indicator (usually an index) between two years.
    Typology(crate::analysis::typology::TypologySpec),
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
    /// A two-dimensional legend (status × dynamics), drawn instead of the rows' swatches.
    pub grid: Option<LegendGrid>,
}

/// A legend of two dimensions: one swatch per cell with its count.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendGrid {
    /// What the rows are ("Status").
    pub row_title: String,
    /// What the columns are ("Dynamik").
    pub column_title: String,
    /// The rows' names, top to bottom.
    pub rows: Vec<String>,
    /// The columns' names, left to right.
    pub columns: Vec<String>,
    /// The colour of each cell, by row and column.
    pub colors: Vec<Vec<Rgba>>,
    /// The areas in each cell.
    pub counts: Vec<Vec<usize>>,
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
                grid: None,
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
            Colouring::ActionFields | Colouring::Coverage | Colouring::Typology(_) => None,
        };
        match indicator_style {
            Some((style, column)) => scene.colour_by_indicator(input, style, column, lang, &inside),
            None if matches!(settings.colouring, Colouring::Typology(_)) => {
                if let Colouring::Typology(spec) = &settings.colouring {
                    scene.colour_by_typology(input, spec, lang, &inside);
                }
            }
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
            grid: None,
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
            grid: None,
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

    /// Status × dynamics: one colour per group pair, darker for more need, blue where need
    /// fell relative to the others, red where it rose; a two-dimensional legend.
    fn colour_by_typology(
        &mut self,
        input: SceneInput<'_>,
        spec: &crate::analysis::typology::TypologySpec,
        lang: Lang,
        inside: &dyn Fn(usize) -> bool,
    ) {
        let types = crate::analysis::typology::typology(input.indicators, spec);
        let rows = spec.status_limits.len() + 1;
        let cols = spec.dynamics_limits.len() + 1;
        let colors: Vec<Vec<Rgba>> = (0..rows)
            .map(|r| {
                (0..cols)
                    .map(|c| style::typology_color(r, rows, c, cols))
                    .collect()
            })
            .collect();
        let mut counts = vec![vec![0usize; cols]; rows];
        let mut missing = 0;
        self.patterns = vec![no_data_pattern()];
        self.fills = (0..input.region.spaces.len())
            .map(|i| match types.get(i).copied().flatten() {
                Some(t) => {
                    if inside(i) {
                        counts[t.status][t.dynamics] += 1;
                    }
                    FillStyle::Solid(colors[t.status][t.dynamics])
                }
                None => {
                    missing += usize::from(inside(i));
                    FillStyle::Pattern(0)
                }
            })
            .collect();
        let status_names = typology_names(true, rows, lang);
        let dynamics_names = typology_names(false, cols, lang);
        let mut entries = Vec::new();
        for (r, status) in status_names.iter().enumerate() {
            for (c, dynamics) in dynamics_names.iter().enumerate() {
                entries.push(LegendEntry::plain(
                    FillStyle::Solid(colors[r][c]),
                    lang.tf(
                        T::TypologyCell,
                        &[("status", status), ("dynamics", dynamics)],
                    ),
                    counts[r][c],
                ));
            }
        }
        entries.push(LegendEntry::plain(
            FillStyle::Pattern(0),
            lang.t(T::LegendNoDataBothYears).to_string(),
            missing,
        ));
        let label = input.indicators.label_of(&spec.key, lang.is_english());
        self.legend = Legend {
            title: lang.tf(
                T::TypologyTitle,
                &[
                    ("label", &label),
                    ("from", &spec.from.to_string()),
                    ("to", &spec.to.to_string()),
                ],
            ),
            summary: lang.tf(
                T::TypologySummary,
                &[
                    ("to", &spec.to.to_string()),
                    ("from", &spec.from.to_string()),
                ],
            ),
            entries,
            grid: Some(LegendGrid {
                row_title: lang.t(T::TypologyStatus).to_string(),
                column_title: lang.t(T::TypologyDynamics).to_string(),
                rows: status_names,
                columns: dynamics_names,
                colors,
                counts,
            }),
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
        let n = input.region.spaces.len();
        let shown = ShownValues::of(table, column, style, n);
        let indicator = &shown.indicator;
        let values = shown.values.as_slice();
        let protected = &shown.protected;
        let numbers: Vec<f64> = (0..n)
            .filter(|&i| !protected[i])
            .filter_map(|i| values.get(i).and_then(|v| v.number()))
            .collect();
        let limits = if style.change.is_some() && style.method != BreakMethod::Manual {
            centred_breaks(&numbers, style.classes, indicator.decimals)
        } else {
            class_breaks(&numbers, style.method, style.classes, &style.manual)
                .or_else(|_| class_breaks(&numbers, BreakMethod::Quantile, style.classes, &[]))
                .unwrap_or_default()
        };
        let classes = limits.len().saturating_sub(1);
        let (scheme, reversed) = match style.change {
            Some(_) => {
                let (name, reversed) = IndicatorStyle::change_palette(indicator);
                (name, reversed != style.reversed)
            }
            None => (style.palette.as_str(), style.reversed),
        };
        let colors = palette(scheme)
            .or_else(|| palette("YlOrRd"))
            .map(|p| p.colors_for(classes, reversed))
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
            lang.t(if style.change.is_some() {
                T::LegendNoDataBothYears
            } else {
                T::LegendNoData
            })
            .to_string(),
            missing,
        ));
        if withheld > 0 {
            entries.push(LegendEntry::plain(
                FillStyle::Pattern(1),
                lang.t(T::LegendProtected).to_string(),
                withheld,
            ));
        }
        let method = map_method_name(style, lang);
        self.legend = Legend {
            grid: None,
            title: shown.title(lang),
            summary: lang.tf(
                T::LegendIndicatorSummary,
                &[
                    ("method", method),
                    ("classes", &format::count(classes, lang)),
                    ("n", &format::count(with_value, lang)),
                ],
            ),
            entries,
        };
        self.histogram = histogram(&numbers, limits, colors);
    }
}

/// What an indicator map shows: one year's values or the change between two, with the
/// catalogue entry they are formatted by (percentage points for the difference of a share)
/// and which areas fall under the data-protection rule (in either year, for a change).
struct ShownValues {
    indicator: Indicator,
    values: Vec<IndicatorValue>,
    protected: Vec<bool>,
    /// The year of the values (None: they have none).
    year: Option<Year>,
    change: Option<Change>,
}

impl ShownValues {
    fn of(table: &IndicatorTable, column: usize, style: &IndicatorStyle, n: usize) -> ShownValues {
        let mut indicator = table.indicators()[column].clone();
        match style.change {
            Some(change) => {
                let from = table.column_at(column, Some(change.from));
                let to = table.column_at(column, Some(change.to));
                let mut values = change_column(from, to, change.measure);
                values.resize(n, IndicatorValue::Missing);
                let protected = (0..n)
                    .map(|i| {
                        table.is_small_number_at(column, i, Some(change.from))
                            || table.is_small_number_at(column, i, Some(change.to))
                    })
                    .collect();
                indicator.unit = match (change.measure, indicator.unit) {
                    (ChangeMeasure::Relative, _) => Unit::Percent,
                    (ChangeMeasure::Difference, Unit::Percent) => Unit::PercentagePoints,
                    (ChangeMeasure::Difference, unit) => unit,
                };
                if change.measure == ChangeMeasure::Relative {
                    indicator.decimals = 1;
                }
                ShownValues {
                    indicator,
                    values,
                    protected,
                    year: None,
                    change: Some(change),
                }
            }
            None => ShownValues {
                indicator,
                values: table.column_at(column, style.year).to_vec(),
                protected: (0..n)
                    .map(|i| table.is_small_number_at(column, i, style.year))
                    .collect(),
                year: table.year_shown(column, style.year),
                change: None,
            },
        }
    }

    /// "SGB-II-Quote 2020", "SGB-II-Quote: Veränderung 2017–2023 in Prozentpunkten".
    fn title(&self, lang: Lang) -> String {
        map_title(&self.indicator, self.change, self.year, lang)
    }
}

/// The title of an indicator map: its label, the year of its values, or the change shown.
pub fn indicator_map_title(
    table: &IndicatorTable,
    column: usize,
    style: &IndicatorStyle,
    lang: Lang,
) -> String {
    let mut indicator = table.indicators()[column].clone();
    if let (Some(c), Unit::Percent) = (style.change, indicator.unit)
        && c.measure == ChangeMeasure::Difference
    {
        indicator.unit = Unit::PercentagePoints;
    }
    let year = match style.change {
        Some(_) => None,
        None => table.year_shown(column, style.year),
    };
    map_title(&indicator, style.change, year, lang)
}

/// The name of the class method of an indicator map (a change map's own when not manual).
pub fn map_method_name(style: &IndicatorStyle, lang: Lang) -> &'static str {
    if style.change.is_some() && style.method != BreakMethod::Manual {
        lang.t(T::MethodCentred)
    } else {
        method_name(style.method, lang)
    }
}

fn map_title(
    indicator: &Indicator,
    change: Option<Change>,
    year: Option<Year>,
    lang: Lang,
) -> String {
    let label = indicator.label(lang.is_english());
    match (change, year) {
        (Some(c), _) => lang.tf(
            match (c.measure, indicator.unit) {
                (ChangeMeasure::Relative, _) => T::ChangeTitleRelative,
                (ChangeMeasure::Difference, Unit::PercentagePoints) => T::ChangeTitlePoints,
                (ChangeMeasure::Difference, _) => T::ChangeTitleDifference,
            },
            &[
                ("label", label),
                ("from", &c.from.to_string()),
                ("to", &c.to.to_string()),
            ],
        ),
        (None, Some(y)) => format!("{label} {y}"),
        (None, None) => label.to_string(),
    }
}

/// Class limits for a change: equal classes symmetric about 0 with a round step, so that the
/// diverging scheme's middle means "about unchanged" (an odd number of classes) or 0 is a
/// limit (an even number).
pub fn centred_breaks(numbers: &[f64], classes: usize, decimals: u8) -> Vec<f64> {
    let classes = classes.clamp(2, 9);
    let largest = numbers.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if numbers.is_empty() {
        return Vec::new();
    }
    // A step of an even number of shown digits, so that every limit (at half steps for an odd
    // number of classes) is a number the legend shows exactly.
    let unit = 2.0 * 10f64.powi(-i32::from(decimals.min(6)));
    let raw = 2.0 * largest / classes as f64;
    let step = ((raw / unit - 1e-9).ceil()).max(1.0) * unit;
    let half = classes as f64 / 2.0;
    (0..=classes)
        .map(|j| ((j as f64 - half) * step * 1e9).round() / 1e9)
        .collect()
}

/// The names of the status groups (least need first) or of the dynamics groups (improving
/// first), for `n` groups: the MSS names where they exist, else numbered.
pub fn typology_names(status: bool, n: usize, lang: Lang) -> Vec<String> {
    let names: &[T] = match (status, n) {
        (true, 4) => &[
            T::StatusHigh,
            T::StatusMiddle,
            T::StatusLow,
            T::StatusVeryLow,
        ],
        (true, 3) => &[T::StatusHigh, T::StatusMiddle, T::StatusLow],
        (false, 3) => &[T::DynamicsPositive, T::DynamicsStable, T::DynamicsNegative],
        (false, 2) => &[T::DynamicsPositive, T::DynamicsNegative],
        _ => &[],
    };
    if names.len() == n {
        names.iter().map(|t| lang.t(*t).to_string()).collect()
    } else {
        (1..=n).map(|k| k.to_string()).collect()
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

    fn indicator_scene(indicators: &IndicatorTable, style: IndicatorStyle) -> Scene {
        let demo = load_demo(&Progress::default()).expect("demo");
        let classification = classify(&demo.region, indicators, &demo.rules, &[]);
        let input = SceneInput {
            region: &demo.region,
            indicators,
            classification: &classification,
            measure_counts: &[],
        };
        let settings = ViewSettings {
            colouring: Colouring::Indicator(style),
            ..ViewSettings::default()
        };
        Scene::build(input, &settings)
    }

    #[test]
    fn a_change_map_is_centred_on_zero_and_hatches_areas_without_both_years() {
        let demo = load_demo(&Progress::default()).expect("demo");
        let mut t = demo.indicators.clone();
        let q = t.position("sgb2_quote").expect("quota");
        assert_eq!(t.years(q), &[2017, 2020, 2023]);
        // AC 3 has no value in 2017.
        let ac3 = demo.region.space_by_code("AC 3").expect("AC 3");
        let mut y2017 = t.column_in(q, 2017).expect("2017").to_vec();
        y2017[ac3] = IndicatorValue::Missing;
        t.merge_series(t.indicators()[q].clone(), vec![(2017, y2017)]);
        let mut style = IndicatorStyle::for_indicator(&t.indicators()[q]);
        style.change = Some(Change {
            from: 2017,
            to: 2023,
            measure: ChangeMeasure::Difference,
        });
        let scene = indicator_scene(&t, style);
        assert_eq!(
            scene.legend.title,
            "SGB-II-Quote: Veränderung 2017–2023 in Prozentpunkten"
        );
        assert_eq!(scene.fills[ac3], FillStyle::Pattern(0), "no data, never 0");
        let hist = scene.histogram.as_ref().expect("classes");
        assert!(
            (hist.limits[0] + hist.limits[5]).abs() < 1e-9,
            "{:?}",
            hist.limits
        );
        assert!(
            hist.limits[2] < 0.0 && hist.limits[3] > 0.0,
            "the middle class holds 0"
        );
        let no_data = scene
            .legend
            .entries
            .iter()
            .find(|e| e.fill == FillStyle::Pattern(0));
        assert_eq!(no_data.map(|e| e.count), Some(1));
        assert!(
            scene.legend.entries[0].label.ends_with("Pp."),
            "{}",
            scene.legend.entries[0].label
        );
        // Every other area is in the class of its own change.
        let from = t.column_in(q, 2017).expect("2017");
        let to = t.column_in(q, 2023).expect("2023");
        for i in (0..from.len()).filter(|&i| i != ac3) {
            let d = to[i].number().expect("n") - from[i].number().expect("n");
            let class = class_of(d, &hist.limits).expect("in a class");
            assert_eq!(
                scene.fills[i],
                FillStyle::Solid(hist.colors[class]),
                "area {i}"
            );
        }
        // A rise in a need is red, a fall blue.
        let top = hist.colors[4];
        assert!(top.0[0] > top.0[2], "{top:?}");
    }

    #[test]
    fn a_year_map_shows_that_years_values_and_names_the_year() {
        let demo = load_demo(&Progress::default()).expect("demo");
        let t = &demo.indicators;
        let p = t.position("anteil_65plus").expect("65+");
        let mut style = IndicatorStyle::for_indicator(&t.indicators()[p]);
        let now = indicator_scene(t, style.clone());
        assert_eq!(now.legend.title, "Anteil 65 Jahre und älter 2023");
        style.year = Some(2017);
        let then = indicator_scene(t, style);
        assert_eq!(then.legend.title, "Anteil 65 Jahre und älter 2017");
        let numbers = |y| -> Vec<f64> {
            let mut v: Vec<f64> = t
                .column_in(p, y)
                .expect("year")
                .iter()
                .filter_map(|v| v.number())
                .collect();
            v.sort_by(f64::total_cmp);
            v
        };
        let h = then.histogram.as_ref().expect("classes");
        assert_eq!(h.min, numbers(2017)[0], "the classes of 2017's values");
        assert!(
            h.min < now.histogram.as_ref().expect("c").min,
            "older: fewer old people"
        );
    }

    #[test]
    fn a_typology_map_colours_each_area_by_its_groups_with_a_grid_legend() {
        use crate::analysis::typology::{TypologySpec, typology};
        let demo = load_demo(&Progress::default()).expect("demo");
        let spec = TypologySpec::new("sgb2_quote", 2017, 2023);
        let classification = classify(&demo.region, &demo.indicators, &demo.rules, &[]);
        let scene = Scene::build(
            SceneInput {
                region: &demo.region,
                indicators: &demo.indicators,
                classification: &classification,
                measure_counts: &[],
            },
            &ViewSettings {
                colouring: Colouring::Typology(spec.clone()),
                ..ViewSettings::default()
            },
        );
        let grid = scene
            .legend
            .grid
            .as_ref()
            .expect("a two-dimensional legend");
        assert_eq!((grid.rows.len(), grid.columns.len()), (4, 3));
        assert_eq!(grid.rows[3], "sehr niedrig");
        assert_eq!(grid.columns[2], "negativ");
        let total: usize = grid.counts.iter().flatten().sum();
        assert_eq!(total, 93, "every area has both years");
        let types = typology(&demo.indicators, &spec);
        for (i, t) in types.iter().enumerate() {
            let t = t.expect("type");
            assert_eq!(
                scene.fills[i],
                FillStyle::Solid(grid.colors[t.status][t.dynamics])
            );
        }
        // The grid's cells are also plain rows, for every backend.
        assert_eq!(scene.legend.entries.len(), 4 * 3 + 1);
        assert_eq!(
            scene.legend.entries[0].label,
            "Status hoch · Dynamik positiv"
        );
        assert_eq!(
            scene.legend.title,
            "SGB-II-Quote: Status und Dynamik 2017–2023"
        );
    }

    #[test]
    fn centred_limits_are_symmetric_exact_and_cover_every_value() {
        for (numbers, classes) in [
            (vec![-2.9, 0.4, 1.7], 5),
            (vec![0.0, 0.0], 5),
            (vec![-130.0, 12.0], 4),
            (vec![0.05], 7),
        ] {
            let l = centred_breaks(&numbers, classes, 1);
            assert_eq!(l.len(), classes + 1);
            assert!((l[0] + l[classes]).abs() < 1e-9, "{l:?}");
            assert!(
                numbers.iter().all(|v| class_of(*v, &l).is_some()),
                "{numbers:?} {l:?}"
            );
            for x in &l {
                assert!(
                    ((x * 10.0).round() - x * 10.0).abs() < 1e-6,
                    "shown exactly: {l:?}"
                );
            }
        }
        assert!(centred_breaks(&[], 5, 1).is_empty());
    }

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
