//! The scene: what the map shows, independent of where it is drawn.
//!
//! `Scene::build` turns the model and the view settings into styles per area, stripe patterns,
//! label texts, the legend and the text lines around the map. The egui painter and the export
//! backends draw the same `Scene` on top of the same prepared geometry, so the screen and every
//! exported file show identical colours, classes and legend. A scene is rebuilt only when the
//! model or the view settings change, never per frame.

pub mod labels;
pub mod palette;
pub mod scale_bar;
pub mod style;

use crate::analysis::classification::{FieldCounts, count_fields};
use crate::i18n::{Lang, T, format};
use crate::model::{ActionField, ActionFieldSet, Region};
use style::{FillStyle, Pattern, Rgba, field_color, fill_for_fields};

/// How the map is shown: the "blueprint" beside the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewSettings {
    /// Handlungsfelder switched on in the legend.
    pub visible_fields: ActionFieldSet,
    /// Whether Sozialraum codes are drawn.
    pub show_labels: bool,
    /// Whether municipality borders are drawn stronger.
    pub show_borders: bool,
    /// Language of every text.
    pub lang: Lang,
}

impl Default for ViewSettings {
    fn default() -> Self {
        ViewSettings {
            visible_fields: ActionFieldSet::all(),
            show_labels: true,
            show_borders: true,
            lang: Lang::De,
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
    /// Label text per area (its code), if labels are shown.
    pub labels: Option<Vec<String>>,
    /// The legend.
    pub legend: Legend,
    /// Map title.
    pub title: String,
    /// Source and attribution line.
    pub attribution: String,
    /// A notice shown on the map, e.g. "Beispieldaten".
    pub badge: Option<String>,
    /// Counts behind the legend.
    pub counts: FieldCounts,
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

impl Scene {
    /// Builds the scene of `region` as `settings` say.
    pub fn build(region: &Region, settings: &ViewSettings) -> Scene {
        let lang = settings.lang;
        let mut patterns = Vec::new();
        let fills = region
            .spaces
            .iter()
            .map(|s| {
                fill_for_fields(
                    s.action_fields.intersection(settings.visible_fields),
                    &mut patterns,
                )
            })
            .collect();
        let counts = count_fields(region, settings.visible_fields);
        let mut entries: Vec<LegendEntry> = ActionField::ALL
            .iter()
            .map(|&f| LegendEntry {
                fill: FillStyle::Solid(field_color(f)),
                label: format!("{} {}", f.number(), field_name(f, lang)),
                count: counts.per_field[f.index()],
                field: Some(f),
                visible: settings.visible_fields.contains(f),
            })
            .collect();
        let all_colors = ActionField::ALL
            .iter()
            .filter(|f| settings.visible_fields.contains(**f))
            .map(|f| field_color(*f))
            .collect::<Vec<_>>();
        if all_colors.len() > 1 {
            patterns.push(Pattern {
                colors: all_colors,
                stripe_pt: style::STRIPE_PT,
            });
            entries.push(LegendEntry {
                fill: FillStyle::Pattern(patterns.len() - 1),
                label: lang.t(T::LegendSeveralFields).to_string(),
                count: counts.several,
                field: None,
                visible: true,
            });
        }
        entries.push(LegendEntry {
            fill: FillStyle::Solid(style::NO_NEED),
            label: lang.t(T::LegendNoNeed).to_string(),
            count: counts.total - counts.flagged,
            field: None,
            visible: true,
        });
        if region.mapping.action_fields.is_none() {
            // A file without classification: one neutral class, and say why.
            entries = vec![LegendEntry {
                fill: FillStyle::Solid(style::NO_NEED),
                label: lang.t(T::MapAreas).to_string(),
                count: counts.total,
                field: None,
                visible: true,
            }];
        }
        let legend = Legend {
            title: lang.t(T::LegendTitle).to_string(),
            summary: if region.mapping.action_fields.is_some() {
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
        let attribution = if region.source.attribution.is_empty() {
            format!("{}: {}", lang.t(T::Source), region.source.label)
        } else {
            region.source.attribution.clone()
        };
        Scene {
            fills,
            patterns,
            outline: LineStyle {
                color: style::OUTLINE,
                width_pt: 0.8,
            },
            border: settings.show_borders.then_some(LineStyle {
                color: style::BORDER,
                width_pt: 2.2,
            }),
            labels: settings
                .show_labels
                .then(|| region.spaces.iter().map(|s| s.code.clone()).collect()),
            legend,
            title: region.title.clone(),
            attribution,
            badge: region
                .source
                .synthetic
                .then(|| lang.t(T::SyntheticBadge).to_string()),
            counts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::demo::load_demo;
    use crate::io::{ImportOptions, Progress, import_bytes};

    #[test]
    fn the_demo_legend_counts_59_of_93_and_every_field() {
        let region = load_demo(&Progress::default()).expect("demo").region;
        let scene = Scene::build(&region, &ViewSettings::default());
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
            &region,
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
    fn a_file_without_classification_gets_one_neutral_class() {
        let json = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},
            "geometry":{"type":"Polygon","coordinates":[[[6,50],[6.1,50],[6.1,50.1],[6,50]]]}}]}"#;
        let region = import_bytes(
            json,
            "x.geojson",
            &ImportOptions::default(),
            &Progress::default(),
        )
        .expect("loads")
        .region;
        let scene = Scene::build(&region, &ViewSettings::default());
        assert_eq!(scene.legend.entries.len(), 1);
        assert!(scene.legend.summary.contains("keine Einstufung"));
        assert!(scene.badge.is_none());
        assert_eq!(scene.attribution, "Quelle: x");
    }
}
