//! Counting a Handlungsfeld classification: how many areas have a need, per field and overall.

use crate::model::{ActionField, ActionFieldSet};

/// Counts of the Handlungsfeld classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FieldCounts {
    /// Areas in the region.
    pub total: usize,
    /// Areas with a need in at least one (visible) field.
    pub flagged: usize,
    /// Areas per field, in the order of [`ActionField::ALL`].
    pub per_field: [usize; 4],
    /// Areas in two or more (visible) fields.
    pub several: usize,
}

/// Counts the fields of every area, looking only at the fields in `visible` for "flagged".
pub fn count_fields(fields: &[ActionFieldSet], visible: ActionFieldSet) -> FieldCounts {
    let mut counts = FieldCounts {
        total: fields.len(),
        ..FieldCounts::default()
    };
    for set in fields {
        let shown = set.intersection(visible);
        if !shown.is_empty() {
            counts.flagged += 1;
        }
        if shown.len() > 1 {
            counts.several += 1;
        }
        for f in ActionField::ALL {
            if set.contains(f) {
                counts.per_field[f.index()] += 1;
            }
        }
    }
    counts
}

/// How the rules' classification differs from the data's, per field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldComparison {
    /// The field.
    pub field: Option<ActionField>,
    /// Areas the data flags.
    pub official: usize,
    /// Areas the rules flag.
    pub rules: usize,
    /// Areas in both.
    pub both: usize,
    /// Indices of areas the rules add (not in the data).
    pub added: Vec<usize>,
    /// Indices of areas the rules drop (in the data, not in the rules).
    pub dropped: Vec<usize>,
}

/// Compares two classifications field by field, then for "any field" (field None).
pub fn compare(official: &[ActionFieldSet], rules: &[ActionFieldSet]) -> Vec<FieldComparison> {
    let one = |test: &dyn Fn(ActionFieldSet) -> bool, field: Option<ActionField>| {
        let mut c = FieldComparison {
            field,
            ..FieldComparison::default()
        };
        for (i, (o, r)) in official.iter().zip(rules).enumerate() {
            let (o, r) = (test(*o), test(*r));
            c.official += usize::from(o);
            c.rules += usize::from(r);
            c.both += usize::from(o && r);
            if r && !o {
                c.added.push(i);
            }
            if o && !r {
                c.dropped.push(i);
            }
        }
        c
    };
    let mut out: Vec<FieldComparison> = ActionField::ALL
        .iter()
        .map(|&f| one(&|s: ActionFieldSet| s.contains(f), Some(f)))
        .collect();
    out.push(one(&|s: ActionFieldSet| !s.is_empty(), None));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(fields: &[ActionField]) -> ActionFieldSet {
        ActionFieldSet::from_fields(fields.iter().copied())
    }

    #[test]
    fn counts_and_comparisons_per_field() {
        use ActionField::{Disadvantaged as D, Elderly as E};
        let official = [set(&[D]), set(&[D, E]), set(&[]), set(&[E])];
        let rules = [set(&[D]), set(&[E]), set(&[D]), set(&[])];
        let counts = count_fields(&official, ActionFieldSet::all());
        assert_eq!(
            (counts.flagged, counts.several, counts.per_field[0]),
            (3, 1, 2)
        );
        let only_e = count_fields(&official, set(&[E]));
        assert_eq!(only_e.flagged, 2);
        let c = compare(&official, &rules);
        assert_eq!((c[0].official, c[0].rules, c[0].both), (2, 2, 1));
        assert_eq!(
            (c[0].added.clone(), c[0].dropped.clone()),
            (vec![2], vec![1])
        );
        assert_eq!(c[1].dropped, vec![3]);
        let any = &c[4];
        assert_eq!(
            (
                any.field,
                any.official,
                any.rules,
                any.added.len(),
                any.dropped.len()
            ),
            (None, 3, 3, 1, 1)
        );
    }
}
