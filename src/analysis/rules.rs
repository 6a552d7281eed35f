//! Evaluating Handlungsfeld rules: which areas each field flags, and why.
//!
//! Definitions (also in the README):
//! - z-score: (value − mean) / standard deviation, both over the areas that have a value, in the
//!   region or in the area's municipality; unweighted, population standard deviation (÷ n). A
//!   spread of zero gives z = 0.
//! - percentile rank: 100 × (areas with a smaller value + half of the other areas with the same
//!   value) / (areas with a value − 1): the lowest value is 0, the highest 100.
//! - A missing or suppressed value fails the condition and says so; it is never zero.
//!
//! An [`Evaluator`] prepares the statistics of every condition once; classifying all areas and
//! explaining one area then only look numbers up.

use super::change::{ChangeMeasure, change_column};
use crate::model::{
    ActionField, ActionFieldSet, Combinator, Condition, IndicatorTable, IndicatorValue, Override,
    Reference, Region, RuleSet, Score, Year,
};

/// Mean and population standard deviation.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Spread {
    mean: f64,
    sd: f64,
}

fn spread(values: impl Iterator<Item = f64>) -> Option<Spread> {
    let v: Vec<f64> = values.collect();
    if v.is_empty() {
        return None;
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    Some(Spread { mean, sd })
}

fn z(value: f64, s: Spread) -> f64 {
    if s.sd > 0.0 {
        (value - s.mean) / s.sd
    } else {
        0.0
    }
}

/// Everything a condition needs, computed once.
struct Prepared {
    column: Option<usize>,
    /// The numbers the condition looks at: the values of its year, or their change.
    values: Vec<IndicatorValue>,
    region: Option<Spread>,
    municipality: Vec<Option<Spread>>,
    sorted: Vec<f64>,
}

/// Why a condition held or not, for one area.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionResult {
    /// The condition.
    pub condition: Condition,
    /// The area's value of the indicator.
    pub value: IndicatorValue,
    /// The number compared with the threshold (z, percentile or the value); None when it
    /// could not be computed.
    pub measured: Option<f64>,
    /// Whether the condition held.
    pub passed: bool,
    /// Why it could not be evaluated, if it could not.
    pub problem: Option<ConditionProblem>,
    /// The area against its comparison group (its municipality for a z-score against the
    /// municipality, else the region), for the plain-language reason; None without a value.
    pub against: Option<Against>,
}

/// Where an area's value lies in its comparison group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Against {
    /// Municipality or region.
    pub reference: Reference,
    /// The group's mean (unweighted, over the areas with a value).
    pub mean: f64,
    /// The area's z-score in the group (0 when the group has no spread).
    pub z: f64,
}

/// Why a condition could not be evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionProblem {
    /// No indicator with that key.
    UnknownIndicator,
    /// The area has no value (missing or suppressed).
    NoValue,
    /// A z-score against the municipality, but the area has none.
    NoMunicipality,
}

/// Why an area is or is not in a field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldExplanation {
    /// The field.
    pub field: ActionField,
    /// How the conditions combine (None: the rule set has no rule for this field).
    pub combinator: Option<Combinator>,
    /// Each condition's result.
    pub results: Vec<ConditionResult>,
    /// What the rules say.
    pub by_rules: bool,
    /// The override, if there is one.
    pub overridden: Option<Override>,
    /// The final answer.
    pub member: bool,
}

/// Evaluates a rule set over a region.
pub struct Evaluator<'a> {
    region: &'a Region,
    rules: &'a RuleSet,
    prepared: Vec<Vec<Prepared>>,
}

impl<'a> Evaluator<'a> {
    /// Prepares the statistics for every condition of `rules`, on the current values.
    pub fn new(region: &'a Region, indicators: &'a IndicatorTable, rules: &'a RuleSet) -> Self {
        Evaluator::in_year(region, indicators, rules, None)
    }

    /// Prepares the statistics for every condition of `rules`; a condition without a year of
    /// its own looks at the values of `year` (None: the current values).
    pub fn in_year(
        region: &'a Region,
        indicators: &'a IndicatorTable,
        rules: &'a RuleSet,
        year: Option<Year>,
    ) -> Self {
        let prepared = rules
            .rules
            .iter()
            .map(|rule| {
                rule.conditions
                    .iter()
                    .map(|c| prepare(region, indicators, c, year))
                    .collect()
            })
            .collect();
        Evaluator {
            region,
            rules,
            prepared,
        }
    }

    fn evaluate(&self, rule: usize, condition: usize, space: usize) -> ConditionResult {
        let c = &self.rules.rules[rule].conditions[condition];
        let p = &self.prepared[rule][condition];
        let fail = |value, problem| ConditionResult {
            condition: c.clone(),
            value,
            measured: None,
            passed: false,
            problem: Some(problem),
            against: None,
        };
        if p.column.is_none() {
            return fail(IndicatorValue::Missing, ConditionProblem::UnknownIndicator);
        }
        let value = p.values.get(space).copied().unwrap_or_default();
        let Some(v) = value.number() else {
            return fail(value, ConditionProblem::NoValue);
        };
        let measured = match c.measure {
            Score::Value => Some(v),
            Score::Percentile => Some(percentile_rank(&p.sorted, v)),
            Score::ZScore(Reference::Region) => p.region.map(|s| z(v, s)),
            Score::ZScore(Reference::Municipality) => {
                let Some(m) = self.region.spaces.get(space).and_then(|s| s.municipality) else {
                    return fail(value, ConditionProblem::NoMunicipality);
                };
                p.municipality.get(m).copied().flatten().map(|s| z(v, s))
            }
        };
        let passed = measured.is_some_and(|m| c.comparison.holds(m, c.threshold));
        let against = match c.measure {
            Score::ZScore(Reference::Municipality) => self
                .region
                .spaces
                .get(space)
                .and_then(|s| s.municipality)
                .and_then(|m| p.municipality.get(m).copied().flatten())
                .map(|s| (Reference::Municipality, s)),
            _ => p.region.map(|s| (Reference::Region, s)),
        }
        .map(|(reference, s)| Against {
            reference,
            mean: s.mean,
            z: z(v, s),
        });
        ConditionResult {
            condition: c.clone(),
            value,
            measured,
            passed,
            problem: None,
            against,
        }
    }

    /// The fields the rules give area `space`.
    pub fn fields_of(&self, space: usize) -> ActionFieldSet {
        let mut set = ActionFieldSet::EMPTY;
        for (r, rule) in self.rules.rules.iter().enumerate() {
            let passed = (0..rule.conditions.len())
                .filter(|&c| self.evaluate(r, c, space).passed)
                .count();
            if rule.combinator.satisfied(passed, rule.conditions.len()) {
                set.insert(rule.field);
            }
        }
        set
    }

    /// Why area `space` is or is not in each field, with `overrides` applied.
    pub fn explain(&self, space: usize, overrides: &[Override]) -> Vec<FieldExplanation> {
        let code = self.region.spaces.get(space).map(|s| s.code.as_str());
        ActionField::ALL
            .iter()
            .map(|&field| {
                let rule_index = self.rules.rules.iter().position(|r| r.field == field);
                let (combinator, results) = match rule_index {
                    Some(r) => {
                        let rule = &self.rules.rules[r];
                        let results: Vec<ConditionResult> = (0..rule.conditions.len())
                            .map(|c| self.evaluate(r, c, space))
                            .collect();
                        (Some(rule.combinator), results)
                    }
                    None => (None, Vec::new()),
                };
                let passed = results.iter().filter(|r| r.passed).count();
                let by_rules = combinator.is_some_and(|c| c.satisfied(passed, results.len()));
                let overridden = overrides
                    .iter()
                    .rev()
                    .find(|o| Some(o.code.as_str()) == code && o.field == field)
                    .cloned();
                let member = overridden.as_ref().map_or(by_rules, |o| o.member);
                FieldExplanation {
                    field,
                    combinator,
                    results,
                    by_rules,
                    overridden,
                    member,
                }
            })
            .collect()
    }
}

fn prepare(
    region: &Region,
    indicators: &IndicatorTable,
    c: &Condition,
    default_year: Option<Year>,
) -> Prepared {
    let Some(column) = indicators.position(&c.indicator) else {
        return Prepared {
            column: None,
            values: Vec::new(),
            region: None,
            municipality: Vec::new(),
            sorted: Vec::new(),
        };
    };
    let year = c.year.or(default_year);
    let values: Vec<IndicatorValue> = match c.since {
        Some(since) => change_column(
            indicators.column_at(column, Some(since)),
            indicators.column_at(column, year),
            ChangeMeasure::Difference,
        ),
        None => indicators.column_at(column, year).to_vec(),
    };
    let values = values.as_slice();
    let numbers = || values.iter().filter_map(|v| v.number());
    let mut sorted: Vec<f64> = numbers().collect();
    sorted.sort_by(f64::total_cmp);
    Prepared {
        column: Some(column),
        values: values.to_vec(),
        region: spread(numbers()),
        municipality: region
            .municipalities
            .iter()
            .map(|m| {
                spread(
                    m.spaces
                        .iter()
                        .filter_map(|&i| values.get(i).and_then(|v| v.number())),
                )
            })
            .collect(),
        sorted,
    }
}

/// The conditions that name a year (`jahr` or `seit`) their indicator has no values for: the
/// field, the key and the year, in field order. Such a condition could never hold either.
pub fn unknown_years(
    rules: &RuleSet,
    indicators: &IndicatorTable,
) -> Vec<(crate::model::ActionField, String, Year)> {
    let mut out = Vec::new();
    for rule in &rules.rules {
        for c in &rule.conditions {
            let Some(p) = indicators.position(&c.indicator) else {
                continue;
            };
            for year in [c.year, c.since].into_iter().flatten() {
                if !indicators.years(p).contains(&year) {
                    out.push((rule.field, c.indicator.clone(), year));
                }
            }
        }
    }
    out
}

/// The conditions that name an indicator the table does not have: the field and the key, in
/// field order. Such a condition can never hold, so a rule with it would flag nothing and say
/// nothing; readers of rules files refuse it instead.
pub fn unknown_indicators(
    rules: &RuleSet,
    indicators: &IndicatorTable,
) -> Vec<(crate::model::ActionField, String)> {
    let mut out = Vec::new();
    for rule in &rules.rules {
        for c in &rule.conditions {
            if indicators.position(&c.indicator).is_none()
                && !out
                    .iter()
                    .any(|(f, k): &(_, String)| *f == rule.field && *k == c.indicator)
            {
                out.push((rule.field, c.indicator.clone()));
            }
        }
    }
    out
}

/// Percentile rank of `v` among `sorted` values (which contain `v`).
pub fn percentile_rank(sorted: &[f64], v: f64) -> f64 {
    let n = sorted.len();
    if n <= 1 {
        return 50.0;
    }
    let below = sorted.partition_point(|x| *x < v);
    let equal = sorted[below..].partition_point(|x| *x <= v);
    // The area itself is one of the equal values.
    let others_equal = equal.saturating_sub(1);
    100.0 * (below as f64 + 0.5 * others_equal as f64) / (n - 1) as f64
}

/// The classification of every area.
#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    /// Whether the fields come from rules (true) or from the data (false: no rules).
    pub from_rules: bool,
    /// Whether the areas are classified at all: by rules, or by a classification property in
    /// the data. Without either, no area is "without need": they are "not classified".
    pub classified: bool,
    /// What the data says (the classification property).
    pub official: Vec<ActionFieldSet>,
    /// What the rules say (equal to `official` without rules).
    pub by_rules: Vec<ActionFieldSet>,
    /// Which fields of each area are overridden.
    pub overridden: Vec<ActionFieldSet>,
    /// The result: rules (or data) with overrides applied.
    pub fields: Vec<ActionFieldSet>,
}

/// Classifies every area: by the rules if there are any, else as the data says; then applies
/// the overrides (the last override of an area and field counts).
pub fn classify(
    region: &Region,
    indicators: &IndicatorTable,
    rules: &RuleSet,
    overrides: &[Override],
) -> Classification {
    classify_in_year(region, indicators, rules, overrides, None)
}

/// [`classify`] with the values of `year` for every condition without a year of its own.
pub fn classify_in_year(
    region: &Region,
    indicators: &IndicatorTable,
    rules: &RuleSet,
    overrides: &[Override],
    year: Option<Year>,
) -> Classification {
    let official: Vec<ActionFieldSet> = region.spaces.iter().map(|s| s.action_fields).collect();
    let from_rules = !rules.is_empty();
    let by_rules = if from_rules {
        let evaluator = Evaluator::in_year(region, indicators, rules, year);
        (0..region.spaces.len())
            .map(|i| evaluator.fields_of(i))
            .collect()
    } else {
        official.clone()
    };
    let mut fields = by_rules.clone();
    let mut overridden = vec![ActionFieldSet::EMPTY; region.spaces.len()];
    for o in overrides {
        let Some(i) = region.space_by_code(&o.code) else {
            continue;
        };
        overridden[i].insert(o.field);
        if o.member {
            fields[i].insert(o.field);
        } else {
            fields[i].remove(o.field);
        }
    }
    Classification {
        from_rules,
        classified: from_rules || region.mapping.action_fields.is_some(),
        official,
        by_rules,
        overridden,
        fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Comparison, FieldRule, Indicator, Municipality, PlanarCrs, SocialSpace, SourceInfo,
    };
    use IndicatorValue::{Missing, Number};

    /// Five areas in two municipalities: A (0, 1, 2) and B (3, 4).
    fn region() -> Region {
        let space = |code: &str, m: usize| SocialSpace {
            code: code.into(),
            name: None,
            municipality: Some(m),
            geometry: geo::MultiPolygon(vec![]),
            area_m2: 1.0,
            action_fields: ActionFieldSet::EMPTY,
            properties: Default::default(),
            source_feature: 0,
        };
        Region::new(
            "Test".into(),
            vec![
                space("a1", 0),
                space("a2", 0),
                space("a3", 0),
                space("b1", 1),
                space("b2", 1),
            ],
            vec![
                Municipality {
                    name: "A".into(),
                    key: None,
                    spaces: vec![0, 1, 2],
                },
                Municipality {
                    name: "B".into(),
                    key: None,
                    spaces: vec![3, 4],
                },
            ],
            SourceInfo::default(),
            PlanarCrs { epsg: 25832 },
            Default::default(),
        )
    }

    fn table() -> IndicatorTable {
        let mut t = IndicatorTable::default();
        // Region mean 30, population sd sqrt(200) = 14.142…
        t.push(
            Indicator::from_key("quote"),
            vec![
                Number(10.0),
                Number(20.0),
                Number(30.0),
                Number(40.0),
                Number(50.0),
            ],
        );
        t.push(
            Indicator::from_key("lücke"),
            vec![Number(1.0), Missing, Number(3.0), Number(4.0), Number(5.0)],
        );
        t
    }

    fn rule(field: ActionField, combinator: Combinator, conditions: Vec<Condition>) -> RuleSet {
        RuleSet {
            rules: vec![FieldRule {
                field,
                combinator,
                conditions,
            }],
        }
    }

    fn cond(indicator: &str, measure: Score, comparison: Comparison, threshold: f64) -> Condition {
        Condition {
            indicator: indicator.into(),
            measure,
            comparison,
            threshold,
            year: None,
            since: None,
        }
    }

    fn flagged(rules: &RuleSet) -> Vec<usize> {
        let r = region();
        let t = table();
        let e = Evaluator::new(&r, &t, rules);
        (0..5)
            .filter(|&i| e.fields_of(i).contains(ActionField::Disadvantaged))
            .collect()
    }

    #[test]
    fn each_measure_and_reference_flags_the_expected_areas() {
        use Comparison::{AtLeast, AtMost};
        let region_z = Score::ZScore(Reference::Region);
        let local_z = Score::ZScore(Reference::Municipality);
        // (condition, flagged areas)
        let cases = [
            (cond("quote", region_z, AtLeast, 0.7), vec![3, 4]), // z = 0.71, 1.41
            (cond("quote", region_z, AtLeast, 1.0), vec![4]),
            (cond("quote", region_z, AtMost, -1.0), vec![0]),
            // Against the own municipality: A = 10, 20, 30 (z −1.22, 0, 1.22); B = 40, 50 (z ±1).
            (cond("quote", local_z, AtLeast, 1.0), vec![2, 4]),
            (cond("quote", Score::Percentile, AtLeast, 75.0), vec![3, 4]), // 0, 25, 50, 75, 100
            (cond("quote", Score::Value, AtLeast, 30.0), vec![2, 3, 4]),
            (cond("quote", Score::Value, AtMost, 30.0), vec![0, 1, 2]),
            // A missing value never passes, not even "at most".
            (cond("lücke", Score::Value, AtMost, 100.0), vec![0, 2, 3, 4]),
            (cond("unbekannt", Score::Value, AtLeast, 0.0), vec![]),
        ];
        for (condition, expected) in cases {
            let rules = rule(
                ActionField::Disadvantaged,
                Combinator::All,
                vec![condition.clone()],
            );
            assert_eq!(flagged(&rules), expected, "{condition:?}");
        }
    }

    #[test]
    fn combinators_combine_conditions() {
        let high = cond("quote", Score::Value, Comparison::AtLeast, 40.0); // 3, 4
        let low = cond("lücke", Score::Value, Comparison::AtMost, 3.0); // 0, 2
        let any = rule(
            ActionField::Disadvantaged,
            Combinator::Any,
            vec![high.clone(), low.clone()],
        );
        assert_eq!(flagged(&any), vec![0, 2, 3, 4]);
        let all = rule(
            ActionField::Disadvantaged,
            Combinator::All,
            vec![high.clone(), low.clone()],
        );
        assert_eq!(flagged(&all), Vec::<usize>::new());
        let two = rule(
            ActionField::Disadvantaged,
            Combinator::AtLeast(2),
            vec![
                high.clone(),
                low,
                cond("quote", Score::Value, Comparison::AtLeast, 50.0),
            ],
        );
        assert_eq!(flagged(&two), vec![4]);
    }

    #[test]
    fn percentile_ranks_run_from_0_to_100_and_share_ties() {
        let sorted = [1.0, 2.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile_rank(&sorted, 1.0), 0.0);
        assert_eq!(percentile_rank(&sorted, 4.0), 100.0);
        assert_eq!(percentile_rank(&sorted, 2.0), 37.5); // (1 + 0.5) / 4
        assert_eq!(percentile_rank(&[7.0], 7.0), 50.0);
    }

    #[test]
    fn an_explanation_gives_every_number_and_the_override() {
        let r = region();
        let t = table();
        let rules = rule(
            ActionField::Disadvantaged,
            Combinator::All,
            vec![
                cond(
                    "quote",
                    Score::ZScore(Reference::Region),
                    Comparison::AtLeast,
                    1.0,
                ),
                cond("lücke", Score::Value, Comparison::AtLeast, 0.0),
            ],
        );
        let e = Evaluator::new(&r, &t, &rules);
        let overrides = vec![Override {
            code: "a2".into(),
            field: ActionField::Disadvantaged,
            member: true,
            reason: "Neubaugebiet".into(),
        }];
        let explained = e.explain(4, &overrides);
        let first = &explained[0];
        assert!(first.by_rules && first.member && first.overridden.is_none());
        let z = first.results[0].measured.expect("z");
        assert!((z - 20.0 / 200f64.sqrt()).abs() < 1e-12);
        let a2 = &e.explain(1, &overrides)[0];
        assert!(!a2.by_rules && a2.member);
        assert_eq!(a2.results[1].problem, Some(ConditionProblem::NoValue));
        assert_eq!(
            a2.overridden.as_ref().map(|o| o.reason.as_str()),
            Some("Neubaugebiet")
        );
        assert_eq!(explained[1].combinator, None, "no rule for field 2");
    }

    #[test]
    fn classify_applies_overrides_over_rules_and_falls_back_to_the_data() {
        let r = region();
        let t = table();
        let rules = rule(
            ActionField::Disadvantaged,
            Combinator::All,
            vec![cond("quote", Score::Value, Comparison::AtLeast, 40.0)],
        );
        let overrides = vec![Override {
            code: "b2".into(),
            field: ActionField::Disadvantaged,
            member: false,
            reason: "Abriss".into(),
        }];
        let c = classify(&r, &t, &rules, &overrides);
        assert!(c.from_rules);
        assert!(c.by_rules[4].contains(ActionField::Disadvantaged));
        assert!(!c.fields[4].contains(ActionField::Disadvantaged));
        assert!(c.overridden[4].contains(ActionField::Disadvantaged));
        assert!(c.fields[3].contains(ActionField::Disadvantaged));
        let without = classify(&r, &t, &RuleSet::default(), &[]);
        assert!(!without.from_rules);
        assert_eq!(without.fields, without.official);
    }
}
