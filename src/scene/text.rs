//! Numbers and explanations as the user reads them, shared by the window and the command line.
//!
//! "SGB-II-Quote 24,1 % · z = +2,3 ≥ 1,0 ✓": one line per condition, in the user's language
//! and number format, so a planner can read a flag out in a committee meeting.

use crate::analysis::rules::{Against, ConditionProblem, ConditionResult, FieldExplanation};
use crate::i18n::{Lang, T, format};
use crate::model::{
    Combinator, Indicator, IndicatorTable, IndicatorValue, Reference, Region, Score,
};

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

/// "3 von 93" (rank and how many were ranked), or "–" without a rank.
pub fn rank_text(rank: Option<(usize, usize)>, lang: Lang) -> String {
    rank.map_or_else(
        || "–".to_string(),
        |(r, n)| {
            lang.tf(
                T::RankOf,
                &[
                    ("rank", &format::count(r, lang)),
                    ("n", &format::count(n, lang)),
                ],
            )
        },
    )
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

/// Where the map's data comes from, for the map's corner and the export's source line: the
/// file's attribution, or "Quelle: …" from its source label. The embedded demo map's
/// attribution is ours, so it is said in the user's language.
pub fn attribution(region: &Region, lang: Lang) -> String {
    if region.source.synthetic {
        lang.t(T::DemoAttribution).to_string()
    } else if region.source.attribution.is_empty() {
        format!("{}: {}", lang.t(T::Source), region.source.label)
    } else {
        region.source.attribution.clone()
    }
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

/// What a condition looks at, in words: "SGB-II-Quote", "SGB-II-Quote 2019",
/// "SGB-II-Quote, Veränderung seit 2016".
fn condition_label(
    c: &crate::model::Condition,
    indicator: Option<&Indicator>,
    lang: Lang,
) -> String {
    let label = indicator.map_or(c.indicator.as_str(), |i| i.label(lang.is_english()));
    match c.since {
        Some(since) => {
            let until = c
                .year
                .map(|y| lang.tf(T::ConditionUntil, &[("year", &y.to_string())]))
                .unwrap_or_default();
            lang.tf(
                T::ConditionChangeSince,
                &[
                    ("label", label),
                    ("since", &since.to_string()),
                    ("year", &until),
                ],
            )
        }
        None => match c.year {
            Some(y) => format!("{label} {y}"),
            None => label.to_string(),
        },
    }
}

/// A condition's value: the value, or for a change the signed difference ("+2,3 Pp.").
fn condition_value(result: &ConditionResult, indicator: &Indicator, lang: Lang) -> String {
    match (result.condition.since, result.value) {
        (Some(_), IndicatorValue::Number(v)) => change_number(v, indicator, lang),
        _ => format_value(result.value, indicator, lang),
    }
}

/// A difference with sign, the indicator's decimals and its unit; percentage points for a
/// share ("+2,3 Pp.").
pub fn change_number(v: f64, indicator: &Indicator, lang: Lang) -> String {
    let n = format::signed(v, usize::from(indicator.decimals), lang);
    let unit = match indicator.unit {
        crate::model::Unit::Percent => lang.t(T::PercentagePoints),
        u => u.symbol(lang.is_english()),
    };
    if unit.is_empty() {
        n
    } else {
        format!("{n} {unit}")
    }
}

/// One condition's line: "SGB-II-Quote 24,1 % · z = +2,3 ≥ 1,0 ✓".
pub fn condition_text(result: &ConditionResult, table: &IndicatorTable, lang: Lang) -> String {
    let c = &result.condition;
    let indicator = table.position(&c.indicator).map(|p| &table.indicators()[p]);
    let label = condition_label(c, indicator, lang);
    let mark = if result.passed { "✓" } else { "✗" };
    let threshold = |decimals: usize| format::number(c.threshold, decimals, lang);
    let problem = match result.problem {
        Some(ConditionProblem::UnknownIndicator) => Some(lang.t(T::ProblemUnknownIndicator)),
        Some(ConditionProblem::NoValue) => Some(lang.t(T::ProblemNoValue)),
        Some(ConditionProblem::NoMunicipality) => Some(lang.t(T::ProblemNoMunicipality)),
        None => None,
    };
    let value = indicator.map_or_else(String::new, |i| condition_value(result, i, lang));
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
            let t = match (indicator, c.since) {
                (Some(i), Some(_)) => change_number(c.threshold, i, lang),
                (Some(i), None) => format_number(c.threshold, i, lang),
                (None, _) => threshold(2),
            };
            format!("{label} {value} {comparison} {t} {mark}")
        }
    }
}

/// One condition as a sentence a council member reads without statistics training:
/// "SGB-II-Quote 10,7 %: etwas über dem Mittel der Region (9,7 %), Schwelle nicht erreicht".
/// The exact comparison ([`condition_text`]) goes beside it, one hover away.
pub fn plain_condition_text(
    result: &ConditionResult,
    table: &IndicatorTable,
    lang: Lang,
) -> String {
    let c = &result.condition;
    let indicator = table.position(&c.indicator).map(|p| &table.indicators()[p]);
    let label = condition_label(c, indicator, lang);
    let label = label.as_str();
    let value = indicator.map_or_else(String::new, |i| condition_value(result, i, lang));
    match result.problem {
        Some(ConditionProblem::UnknownIndicator) => {
            return lang.tf(T::PlainUnknownIndicator, &[("label", label)]);
        }
        Some(ConditionProblem::NoValue) => {
            return lang.tf(T::PlainNoValue, &[("label", label), ("value", &value)]);
        }
        Some(ConditionProblem::NoMunicipality) => {
            return lang.tf(
                T::PlainNoMunicipality,
                &[("label", label), ("value", &value)],
            );
        }
        None => {}
    }
    let verdict = lang.t(if result.passed {
        T::PlainReached
    } else {
        T::PlainNotReached
    });
    match (result.against, indicator) {
        (Some(against), Some(indicator)) => format!(
            "{label} {value}: {}, {verdict}",
            position_text(against, indicator, c.since.is_some(), lang)
        ),
        _ => format!("{label} {value}: {verdict}"),
    }
}

/// [`plain_condition_text`] for publication: where the value the condition looks at is
/// withheld for data protection in `space` (in the condition's year, or in either year of a
/// change), the reason names the indicator and the verdict but neither the value nor where
/// it lies.
pub fn published_condition_text(
    result: &ConditionResult,
    table: &IndicatorTable,
    space: usize,
    lang: Lang,
) -> String {
    let c = &result.condition;
    let Some(p) = table.position(&c.indicator) else {
        return plain_condition_text(result, table, lang);
    };
    let withheld = table.is_small_number_at(p, space, c.year)
        || c.since
            .is_some_and(|y| table.is_small_number_at(p, space, Some(y)));
    if !withheld {
        return plain_condition_text(result, table, lang);
    }
    let indicator = &table.indicators()[p];
    let verdict = lang.t(if result.passed {
        T::PlainReached
    } else {
        T::PlainNotReached
    });
    lang.tf(
        T::PlainWithheld,
        &[
            ("label", &condition_label(c, Some(indicator), lang)),
            ("verdict", verdict),
        ],
    )
}

/// "etwas über dem Mittel der Region (9,7 %)": the value's place in its group, in words.
fn position_text(against: Against, indicator: &Indicator, change: bool, lang: Lang) -> String {
    let z = against.z;
    let key = match z.abs() {
        a if a < 0.25 => T::PlainAbout,
        a if a < 1.0 && z > 0.0 => T::PlainSlightlyAbove,
        a if a < 1.0 => T::PlainSlightlyBelow,
        a if a < 2.0 && z > 0.0 => T::PlainClearlyAbove,
        a if a < 2.0 => T::PlainClearlyBelow,
        _ if z > 0.0 => T::PlainFarAbove,
        _ => T::PlainFarBelow,
    };
    let group = lang.t(match against.reference {
        Reference::Region => T::PlainOfRegion,
        Reference::Municipality => T::PlainOfMunicipality,
    });
    let mean = if change {
        change_number(against.mean, indicator, lang)
    } else {
        format_number(against.mean, indicator, lang)
    };
    lang.tf(key, &[("group", group), ("mean", &mean)])
}

/// How the conditions combine, as a sentence with the count met: "Alle Bedingungen müssen
/// erfüllt sein (1 von 2 erfüllt):", "Mindestens 2 von 3 Bedingungen müssen erfüllt sein …".
pub fn plain_combination_text(
    combinator: Combinator,
    passed: usize,
    total: usize,
    lang: Lang,
) -> String {
    let (passed, n) = (passed.to_string(), total.to_string());
    match combinator {
        Combinator::All => lang.tf(T::PlainAll, &[("passed", &passed), ("n", &n)]),
        Combinator::Any => lang.tf(T::PlainAny, &[("passed", &passed), ("n", &n)]),
        Combinator::AtLeast(k) => lang.tf(
            T::PlainAtLeast,
            &[("k", &k.to_string()), ("passed", &passed), ("n", &n)],
        ),
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
