//! Rules that derive the Handlungsfelder from indicators, and planners' overrides.
//!
//! There is no common standard for classifying Sozialräume, so the rules are the user's: per
//! Handlungsfeld a list of conditions on indicators (z-score against the region or the area's
//! municipality, percentile rank, or the value itself, each above or below a threshold),
//! combined by "all", "any" or "at least k"; a condition can look at one year's values or at
//! the change since an earlier year. An override sets one field of one area by hand and
//! must say why; it refers to the area by its code.

use super::{ActionField, Year};

/// What a z-score is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reference {
    /// All areas of the region.
    Region,
    /// The areas of the same municipality.
    Municipality,
}

/// Which number of an indicator a condition looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Score {
    /// The z-score (value minus mean, over standard deviation).
    ZScore(Reference),
    /// The percentile rank in the region, 0 (lowest) to 100 (highest).
    Percentile,
    /// The value itself, in the indicator's unit.
    Value,
}

/// Above or below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparison {
    /// The number must be at least the threshold.
    AtLeast,
    /// The number must be at most the threshold.
    AtMost,
}

impl Comparison {
    /// Whether `number` passes `threshold`.
    pub fn holds(self, number: f64, threshold: f64) -> bool {
        match self {
            Comparison::AtLeast => number >= threshold,
            Comparison::AtMost => number <= threshold,
        }
    }

    /// "≥" or "≤".
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::AtLeast => "≥",
            Comparison::AtMost => "≤",
        }
    }
}

/// One condition on one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The indicator's key.
    pub indicator: String,
    /// Which number of it.
    pub measure: Score,
    /// Above or below.
    pub comparison: Comparison,
    /// The threshold, in the measure's scale.
    pub threshold: f64,
    /// The year whose values count (None: each area's current values, the latest year).
    pub year: Option<Year>,
    /// Set: the condition is on the change since this year (later minus earlier value, in
    /// percentage points for a share), not on the value.
    pub since: Option<Year>,
}

/// How the conditions of a field combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Combinator {
    /// Every condition must hold.
    All,
    /// One condition is enough.
    Any,
    /// At least this many conditions must hold.
    AtLeast(usize),
}

impl Combinator {
    /// Whether `passed` of `total` conditions are enough (an empty rule never flags).
    pub fn satisfied(self, passed: usize, total: usize) -> bool {
        if total == 0 {
            return false;
        }
        match self {
            Combinator::All => passed == total,
            Combinator::Any => passed >= 1,
            Combinator::AtLeast(k) => passed >= k.max(1),
        }
    }
}

/// The rule of one Handlungsfeld.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldRule {
    /// The field.
    pub field: ActionField,
    /// How the conditions combine.
    pub combinator: Combinator,
    /// The conditions.
    pub conditions: Vec<Condition>,
}

/// Rules for the Handlungsfelder; a field without a rule is never flagged by rules.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleSet {
    /// At most one rule per field, in field order.
    pub rules: Vec<FieldRule>,
}

impl RuleSet {
    /// The rule of `field`, if there is one.
    pub fn rule(&self, field: ActionField) -> Option<&FieldRule> {
        self.rules.iter().find(|r| r.field == field)
    }

    /// The rule of `field`, created empty if missing.
    pub fn rule_mut(&mut self, field: ActionField) -> &mut FieldRule {
        let index = match self.rules.iter().position(|r| r.field == field) {
            Some(i) => i,
            None => {
                self.rules.push(FieldRule {
                    field,
                    combinator: Combinator::All,
                    conditions: Vec::new(),
                });
                self.rules.sort_by_key(|r| r.field);
                self.rules
                    .iter()
                    .position(|r| r.field == field)
                    .unwrap_or(0)
            }
        };
        &mut self.rules[index]
    }

    /// Whether there is any condition at all.
    pub fn is_empty(&self) -> bool {
        self.rules.iter().all(|r| r.conditions.is_empty())
    }
}

/// A planner's decision that overrides one field of one area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The area's code.
    pub code: String,
    /// The field.
    pub field: ActionField,
    /// True: the area is in the field; false: it is not.
    pub member: bool,
    /// Why (required).
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinators_count_passed_conditions() {
        // (combinator, passed, total, expected)
        let cases = [
            (Combinator::All, 2, 2, true),
            (Combinator::All, 1, 2, false),
            (Combinator::Any, 1, 3, true),
            (Combinator::Any, 0, 3, false),
            (Combinator::AtLeast(2), 2, 3, true),
            (Combinator::AtLeast(2), 1, 3, false),
            (Combinator::AtLeast(0), 1, 3, true),
            (Combinator::All, 0, 0, false),
            (Combinator::Any, 0, 0, false),
        ];
        for (c, passed, total, expected) in cases {
            assert_eq!(
                c.satisfied(passed, total),
                expected,
                "{c:?} {passed}/{total}"
            );
        }
    }

    #[test]
    fn comparisons_include_the_threshold() {
        assert!(Comparison::AtLeast.holds(1.0, 1.0));
        assert!(!Comparison::AtLeast.holds(0.99, 1.0));
        assert!(Comparison::AtMost.holds(-1.0, -1.0));
        assert!(!Comparison::AtMost.holds(-0.5, -1.0));
    }

    #[test]
    fn a_missing_rule_is_created_in_field_order() {
        let mut rules = RuleSet::default();
        rules.rule_mut(ActionField::Integration);
        rules
            .rule_mut(ActionField::Disadvantaged)
            .conditions
            .push(Condition {
                indicator: "x".into(),
                measure: Score::Value,
                comparison: Comparison::AtLeast,
                threshold: 1.0,
                year: None,
                since: None,
            });
        let fields: Vec<ActionField> = rules.rules.iter().map(|r| r.field).collect();
        assert_eq!(
            fields,
            vec![ActionField::Disadvantaged, ActionField::Integration]
        );
        assert!(!rules.is_empty());
    }
}
