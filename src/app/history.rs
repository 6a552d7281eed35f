//! Undo and redo: every change to the planners' data is kept as the value before and after.
//!
//! Storing whole values (a measure, the rule set with its overrides, the indicator table)
//! rather than inverse operations makes undo trivially correct: undoing sets the "before"
//! value, redoing the "after" value, and the project store persists whichever is set.

use std::sync::Arc;

use crate::model::{IndicatorTable, Measure, MeasureId, Override, RuleSet};

/// One undoable change.
#[derive(Debug, Clone)]
pub enum Change {
    /// A measure was added (before None), changed, or deleted (after None).
    Measure {
        /// The measure's id.
        id: MeasureId,
        /// Before.
        before: Option<Box<Measure>>,
        /// After.
        after: Option<Box<Measure>>,
    },
    /// Rules and overrides.
    Rules {
        /// Before.
        before: Box<(RuleSet, Vec<Override>)>,
        /// After.
        after: Box<(RuleSet, Vec<Override>)>,
    },
    /// Indicator catalogue and values (catalogue edit, table import).
    Indicators {
        /// Before.
        before: Arc<IndicatorTable>,
        /// After.
        after: Arc<IndicatorTable>,
        /// Whether values or columns changed (a table import), not only catalogue entries.
        values: bool,
    },
}

impl Change {
    /// Folds `next` into `self` when both are steps of one gesture (dragging a threshold,
    /// typing a label): the result goes from `self`'s before to `next`'s after.
    fn absorb(&mut self, next: &Change) -> bool {
        match (self, next) {
            (
                Change::Rules { after, .. },
                Change::Rules {
                    after: next_after, ..
                },
            ) => {
                *after = next_after.clone();
                true
            }
            (
                Change::Indicators {
                    after,
                    values: false,
                    ..
                },
                Change::Indicators {
                    after: next_after,
                    values: false,
                    ..
                },
            ) => {
                *after = Arc::clone(next_after);
                true
            }
            _ => false,
        }
    }
}

/// The undo and redo stacks.
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Change>,
    redo: Vec<Change>,
    /// When the last change was recorded, to fold the steps of one gesture.
    last: Option<std::time::Instant>,
}

/// Changes of the same kind closer together than this are one undo step.
const GESTURE: std::time::Duration = std::time::Duration::from_millis(800);

/// How many changes undo reaches back.
const LIMIT: usize = 200;

impl History {
    /// Records a change that was just made; the redo stack is dropped.
    pub fn record(&mut self, change: Change) {
        let now = std::time::Instant::now();
        let recent = self.last.is_some_and(|t| now.duration_since(t) < GESTURE);
        self.last = Some(now);
        self.redo.clear();
        if recent
            && let Some(top) = self.undo.last_mut()
            && top.absorb(&change)
        {
            return;
        }
        self.undo.push(change);
        if self.undo.len() > LIMIT {
            self.undo.remove(0);
        }
    }

    /// The change to undo, moved to the redo stack.
    pub fn undo(&mut self) -> Option<Change> {
        self.last = None;
        let change = self.undo.pop()?;
        self.redo.push(change.clone());
        Some(change)
    }

    /// The change to redo, moved back to the undo stack.
    pub fn redo(&mut self) -> Option<Change> {
        self.last = None;
        let change = self.redo.pop()?;
        self.undo.push(change.clone());
        Some(change)
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Forgets everything (another map was opened).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Measure;

    fn rules(n: usize) -> Change {
        Change::Rules {
            before: Box::new((RuleSet::default(), Vec::new())),
            after: Box::new((
                RuleSet::default(),
                vec![Override {
                    code: format!("AC {n}"),
                    field: crate::model::ActionField::Elderly,
                    member: true,
                    reason: String::new(),
                }],
            )),
        }
    }

    #[test]
    fn the_steps_of_one_drag_are_one_undo_step_but_measures_never_fold() {
        let mut h = History::default();
        h.record(rules(1));
        h.record(rules(2));
        h.record(rules(3));
        let m = |id| Change::Measure {
            id,
            before: None,
            after: Some(Box::new(Measure::default())),
        };
        h.record(m(1));
        h.record(m(2));
        assert!(matches!(h.undo(), Some(Change::Measure { id: 2, .. })));
        assert!(matches!(h.undo(), Some(Change::Measure { id: 1, .. })));
        match h.undo() {
            Some(Change::Rules { after, .. }) => assert_eq!(after.1[0].code, "AC 3"),
            other => panic!("{other:?}"),
        }
        assert!(!h.can_undo());
        assert!(h.can_redo());
    }
}
