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
/// The prefix of a status × dynamics view: "typologie:KEY".
const TYPOLOGY: &str = "typologie:";

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
        Colouring::Typology(spec) => (format!("{TYPOLOGY}{}", spec.key), None, None),
    };
    let limits = match &view.colouring {
        Colouring::Typology(spec) => (
            Some(spec.status_limits.clone()),
            Some(spec.dynamics_limits.clone()),
        ),
        _ => (None, None),
    };
    let (year, change) = match &view.colouring {
        Colouring::Typology(spec) => (None, Some(format!("{}:{}", spec.from, spec.to))),
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
        status_limits: limits.0,
        dynamics_limits: limits.1,
        views: Vec::new(),
    }
}

/// A status × dynamics view as stored, if its indicator still has both years.
fn stored_typology(
    stored: &StoredView,
    key: &str,
    indicators: &IndicatorTable,
) -> Option<crate::analysis::typology::TypologySpec> {
    let years = indicators.years(indicators.position(key)?);
    let change = parse_change(stored.change.as_deref()?)?;
    if !years.contains(&change.from) || !years.contains(&change.to) {
        return None;
    }
    let mut spec = crate::analysis::typology::TypologySpec::new(key, change.from, change.to);
    if let Some(l) = &stored.status_limits {
        spec.status_limits.clone_from(l);
    }
    if let Some(l) = &stored.dynamics_limits {
        spec.dynamics_limits.clone_from(l);
    }
    Some(spec)
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
        typology if typology.starts_with(TYPOLOGY) => {
            stored_typology(stored, &typology[TYPOLOGY.len()..], indicators)
                .map_or(Colouring::ActionFields, Colouring::Typology)
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::typology::TypologySpec;
    use crate::io::Progress;
    use crate::io::demo::load_demo;
    use crate::model::{Change, ChangeMeasure};

    #[test]
    fn years_changes_and_typologies_come_back_from_the_stored_view() {
        let demo = load_demo(&Progress::default()).expect("demo");
        let t = &demo.indicators;
        let p = t.position("sgb2_quote").expect("quota");
        let mut style = IndicatorStyle::for_indicator(&t.indicators()[p]);
        style.year = Some(2020);
        let mut spec = TypologySpec::new("sgb2_quote", 2017, 2020);
        spec.status_limits = vec![-0.5, 0.5, 2.0];
        let mut change = style.clone();
        change.year = None;
        change.change = Some(Change {
            from: 2017,
            to: 2023,
            measure: ChangeMeasure::Relative,
        });
        for colouring in [
            Colouring::Indicator(style),
            Colouring::Indicator(change),
            Colouring::Typology(spec),
        ] {
            let view = ViewSettings {
                colouring: colouring.clone(),
                ..ViewSettings::default()
            };
            let stored = to_stored(&view);
            let text = serde_json::to_string(&stored).expect("json");
            let back: StoredView = serde_json::from_str(&text).expect("back");
            let mut again = ViewSettings::default();
            apply_stored(&mut again, &back, t);
            assert_eq!(again.colouring, colouring, "{text}");
        }
        // A year the map does not have falls back to the latest.
        let mut stored = to_stored(&ViewSettings::default());
        stored.colouring = "sgb2_quote".into();
        stored.year = Some(1999);
        let mut again = ViewSettings::default();
        apply_stored(&mut again, &stored, t);
        match again.colouring {
            Colouring::Indicator(s) => assert_eq!(s.year, None),
            other => panic!("{other:?}"),
        }
    }
}
