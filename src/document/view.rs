//! View settings to and from the form stored in a project file.
//!
//! Only what a planner would expect to find again is stored (colouring with its classes,
//! visible fields, labels, borders, badges, the municipality in focus); the language belongs to
//! the user, not the project.

use crate::analysis::breaks::BreakMethod;
use crate::io::project::parse_fields;
use crate::io::store::StoredView;
use crate::model::IndicatorTable;
use crate::scene::{Colouring, IndicatorStyle, ViewSettings};

const FIELDS: &str = "handlungsfelder";
const COVERAGE: &str = "abdeckung";

/// The stored form of view settings.
pub fn to_stored(view: &ViewSettings) -> StoredView {
    let (colouring, method, classes) = match &view.colouring {
        Colouring::ActionFields => (FIELDS.to_string(), None, None),
        Colouring::Coverage => (COVERAGE.to_string(), None, None),
        Colouring::Indicator(style) => (
            style.key.clone(),
            Some(style.method.key().to_string()),
            Some(style.classes),
        ),
    };
    let (year, change) = match &view.colouring {
        Colouring::Indicator(style) => (
            style.year,
            style
                .change
                .map(|c| format!("{}:{}:{}", c.from, c.to, c.measure.key())),
        ),
        _ => (None, None),
    };
    StoredView {
        colouring,
        method,
        classes,
        visible_fields: Some(view.visible_fields.to_numbers()),
        show_labels: Some(view.show_labels),
        show_borders: Some(view.show_borders),
        show_badges: Some(view.show_badges),
        focus: view.focus.clone(),
        field_patterns: view.field_patterns.then_some(true),
        year,
        change,
        views: Vec::new(),
    }
}

/// A change as stored: "2017:2023:differenz" (the measure may be left out).
pub fn parse_change(text: &str) -> Option<crate::model::Change> {
    let mut parts = text.splitn(3, ':');
    let from = crate::model::parse_year(parts.next()?)?;
    let to = crate::model::parse_year(parts.next()?)?;
    let measure = match parts.next() {
        Some(m) => crate::model::ChangeMeasure::parse(m)?,
        None => crate::model::ChangeMeasure::Difference,
    };
    Some(crate::model::Change { from, to, measure })
}

/// Applies stored settings; an indicator the map no longer has falls back to the fields.
pub fn apply_stored(view: &mut ViewSettings, stored: &StoredView, indicators: &IndicatorTable) {
    view.colouring = match stored.colouring.as_str() {
        COVERAGE => Colouring::Coverage,
        "" | FIELDS => Colouring::ActionFields,
        key => match indicators.position(key) {
            Some(i) => {
                let mut style = IndicatorStyle::for_indicator(&indicators.indicators()[i]);
                if let Some(m) = stored.method.as_deref().and_then(BreakMethod::parse) {
                    style.method = m;
                }
                if let Some(c) = stored.classes {
                    style.classes = c.clamp(3, 9);
                }
                // A year the indicator no longer has falls back to its latest.
                let years = indicators.years(i);
                style.year = stored.year.filter(|y| years.contains(y));
                style.change = stored
                    .change
                    .as_deref()
                    .and_then(parse_change)
                    .filter(|c| years.contains(&c.from) && years.contains(&c.to));
                Colouring::Indicator(style)
            }
            None => Colouring::ActionFields,
        },
    };
    if let Some(f) = &stored.visible_fields {
        view.visible_fields = parse_fields(f);
    }
    if let Some(on) = stored.show_labels {
        view.show_labels = on;
    }
    if let Some(on) = stored.show_borders {
        view.show_borders = on;
    }
    if let Some(on) = stored.show_badges {
        view.show_badges = on;
    }
    view.focus.clone_from(&stored.focus);
    view.field_patterns = stored.field_patterns.unwrap_or(false);
}
