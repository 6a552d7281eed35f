//! Numbers and explanations as the user reads them, shared by the window and the command line.
//!
//! "SGB-II-Quote 24,1 % · z = +2,3 ≥ 1,0 ✓": one line per condition, in the user's language
//! and number format, so a planner can read a flag out in a committee meeting.

use crate::analysis::rules::{ConditionProblem, ConditionResult, FieldExplanation};
use crate::i18n::{Lang, T, format};
use crate::model::{Combinator, Indicator, IndicatorTable, IndicatorValue, Reference, Score};

/// "24,1 %", "1.234 Pers.", or "keine Daten" / "geheim".
pub fn format_value(value: IndicatorValue, indicator: &Indicator, lang: Lang) -> String {
    match value {
        IndicatorValue::Number(v) => format_number(v, indicator, lang),
        IndicatorValue::Missing => lang.t(T::ValueMissing).to_string(),
        IndicatorValue::Suppressed => lang.t(T::ValueSuppressed).to_string(),
    }
}

/// A number with the indicator's decimals and unit.
pub fn format_number(v: f64, indicator: &Indicator, lang: Lang) -> String {
    let n = format::number(v, usize::from(indicator.decimals), lang);
    match indicator.unit.symbol(lang.is_english()) {
        "" => n,
        unit => format!("{n} {unit}"),
    }
}

/// The value of an area with its case count, e.g. "24,1 % (1.234)", and the data-protection
/// mark for small numbers.
pub fn value_with_cases(table: &IndicatorTable, column: usize, space: usize, lang: Lang) -> String {
    let Some(indicator) = table.indicators().get(column) else {
        return String::new();
    };
    let mut text = format_value(table.value(column, space), indicator, lang);
    if let Some(cases) = indicator
        .cases
        .as_deref()
        .and_then(|k| table.position(k))
        .and_then(|c| table.value(c, space).number())
    {
        text = format!("{text} ({})", format::number(cases, 0, lang));
    }
    if table.is_small_number(column, space) {
        text = format!("{text} ⚠ {}", lang.t(T::SmallNumber));
    }
    text
}

/// "z (Region)", "Perzentil", "Wert".
pub fn measure_name(measure: Score, lang: Lang) -> &'static str {
    lang.t(match measure {
        Score::ZScore(Reference::Region) => T::MeasureZRegion,
        Score::ZScore(Reference::Municipality) => T::MeasureZMunicipality,
        Score::Percentile => T::MeasurePercentile,
        Score::Value => T::MeasureValue,
    })
}

/// "alle", "eine", "mindestens 2".
pub fn combinator_name(combinator: Combinator, lang: Lang) -> String {
    match combinator {
        Combinator::All => lang.t(T::CombinatorAll).to_string(),
        Combinator::Any => lang.t(T::CombinatorAny).to_string(),
        Combinator::AtLeast(k) => lang.tf(T::CombinatorAtLeast, &[("k", &k.to_string())]),
    }
}

/// One condition's line: "SGB-II-Quote 24,1 % · z = +2,3 ≥ 1,0 ✓".
pub fn condition_text(result: &ConditionResult, table: &IndicatorTable, lang: Lang) -> String {
    let c = &result.condition;
    let indicator = table.position(&c.indicator).map(|p| &table.indicators()[p]);
    let label = indicator.map_or(c.indicator.as_str(), |i| i.label(lang.is_english()));
    let mark = if result.passed { "✓" } else { "✗" };
    let threshold = |decimals: usize| format::number(c.threshold, decimals, lang);
    let problem = match result.problem {
        Some(ConditionProblem::UnknownIndicator) => Some(lang.t(T::ProblemUnknownIndicator)),
        Some(ConditionProblem::NoValue) => Some(lang.t(T::ProblemNoValue)),
        Some(ConditionProblem::NoMunicipality) => Some(lang.t(T::ProblemNoMunicipality)),
        None => None,
    };
    let value = indicator.map_or_else(String::new, |i| format_value(result.value, i, lang));
    if let Some(p) = problem {
        // A missing or withheld value speaks for itself ("keine Daten", "geheim").
        if result.problem == Some(ConditionProblem::NoValue) && !value.is_empty() {
            return format!("{label} {value} {mark}");
        }
        return format!("{label} {value} · {p} {mark}").replace("  ", " ");
    }
    let comparison = c.comparison.symbol();
    let measured = result.measured.unwrap_or(f64::NAN);
    match c.measure {
        Score::ZScore(reference) => {
            let reference = match reference {
                Reference::Region => "",
                Reference::Municipality => lang.t(T::AgainstMunicipality),
            };
            format!(
                "{label} {value} · z{reference} = {} {comparison} {} {mark}",
                format::signed(measured, 1, lang),
                threshold(2)
            )
        }
        Score::Percentile => format!(
            "{label} {value} · {} {} {comparison} {} {mark}",
            lang.t(T::MeasurePercentile),
            format::number(measured, 0, lang),
            threshold(0)
        ),
        Score::Value => {
            let t = indicator.map_or_else(|| threshold(2), |i| format_number(c.threshold, i, lang));
            format!("{label} {value} {comparison} {t} {mark}")
        }
    }
}

/// Why an area is or is not in a field, one line: "1: ✓ alle 2 erfüllt (…; …)".
pub fn field_explanation_text(e: &FieldExplanation, table: &IndicatorTable, lang: Lang) -> String {
    let conditions: Vec<String> = e
        .results
        .iter()
        .map(|r| condition_text(r, table, lang))
        .collect();
    let mut text = match e.combinator {
        None => lang.t(T::NoRule).to_string(),
        Some(c) => format!(
            "{} ({}): {}",
            if e.by_rules { "✓" } else { "✗" },
            combinator_name(c, lang),
            conditions.join("; ")
        ),
    };
    if let Some(o) = &e.overridden {
        let verdict = lang.t(if o.member {
            T::OverrideIn
        } else {
            T::OverrideOut
        });
        text = format!(
            "{text} — {}: {verdict} („{}“)",
            lang.t(T::Overridden),
            o.reason
        );
    }
    format!("{}: {text}", e.field.number())
}
