//! Undo and redo: every change to the planners' data is kept as the value before and after.
//!
//! Storing whole values (a measure, the rule set with its overrides, the indicator table)
//! rather than inverse operations makes undo trivially correct: undoing sets the "before"
//! value, redoing the "after" value, and the project store persists whichever is set.
//! Undo reaches only this window's own changes: when another writer changes an item, every
//! step touching it is marked, and undoing such a step is refused (it would throw away what
//! the other writer did).

use std::collections::HashMap;

use super::edit::Change;
use crate::io::store::Item;
use crate::model::{Measure, MeasureId, Uid};

/// A change on a stack, with the items it touches and whether another writer has changed
/// one of them since.
#[derive(Debug, Clone)]
struct Step {
    change: Change,
    items: Vec<Item>,
    tainted: bool,
}

/// What undo or redo gives.
#[derive(Debug, Clone)]
pub enum Stepped {
    /// Apply this change (backward for undo, forward for redo).
    Apply(Change),
    /// Refused: another writer changed what it touches since; the step is dropped.
    Refused(Change),
}

/// The undo and redo stacks.
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
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
            && !top.tainted
            && top.change.absorb(&change)
        {
            top.items = top.change.items();
            return;
        }
        let items = change.items();
        self.undo.push(Step {
            change,
            items,
            tainted: false,
        });
        if self.undo.len() > LIMIT {
            self.undo.remove(0);
        }
    }

    /// The change to undo, moved to the redo stack (or dropped, when refused).
    pub fn undo(&mut self) -> Option<Stepped> {
        self.last = None;
        move_step(&mut self.undo, &mut self.redo)
    }

    /// The change to redo, moved back to the undo stack (or dropped, when refused).
    pub fn redo(&mut self) -> Option<Stepped> {
        self.last = None;
        move_step(&mut self.redo, &mut self.undo)
    }

    /// Another writer changed `item`: no step touching it may be undone or redone.
    pub fn taint(&mut self, item: &Item) {
        self.taint_all(&std::iter::once(item.clone()).collect());
    }

    /// Another writer changed these items (one pass over the steps, however many).
    pub fn taint_all(&mut self, items: &std::collections::HashSet<Item>) {
        if items.is_empty() {
            return;
        }
        for step in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            if !step.tainted && step.items.iter().any(|i| items.contains(i)) {
                step.tainted = true;
            }
        }
    }

    /// The file gave new measures their numbers: the steps keep them, so an undone and
    /// redone measure comes back under the same number.
    pub fn set_numbers(&mut self, numbers: &HashMap<Uid, MeasureId>) {
        if numbers.is_empty() {
            return;
        }
        let mut renumber = |m: &mut Measure| {
            if let Some(n) = numbers.get(&m.uid) {
                m.id = *n;
            }
        };
        for step in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            match &mut step.change {
                Change::Measure { before, after, .. } => {
                    for m in [before, after].into_iter().flatten() {
                        renumber(m);
                    }
                }
                Change::Measures { added } => added.iter_mut().for_each(&mut renumber),
                _ => {}
            }
        }
    }

    /// The change undo would take back next (to name it, e.g. in the menu).
    pub fn next_undo(&self) -> Option<&Change> {
        self.undo.last().map(|s| &s.change)
    }

    /// The change redo would make again next.
    pub fn next_redo(&self) -> Option<&Change> {
        self.redo.last().map(|s| &s.change)
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Whether rules, overrides or indicators were changed (what a map without a project
    /// would lose on quitting, besides measures and views).
    pub fn has_data_changes(&self) -> bool {
        self.undo
            .iter()
            .any(|s| matches!(s.change, Change::Rules { .. } | Change::Indicators { .. }))
    }

    /// Forgets everything (another map was opened).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}

/// Takes the last step of `from` onto `to` and hands out its change to apply; a step
/// another writer overtook is dropped and handed out as refused.
fn move_step(from: &mut Vec<Step>, to: &mut Vec<Step>) -> Option<Stepped> {
    let step = from.pop()?;
    if step.tainted {
        return Some(Stepped::Refused(step.change));
    }
    let change = step.change.clone();
    to.push(step);
    Some(Stepped::Apply(change))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Measure;
    use crate::model::{Override, RuleSet};

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

    /// Measure `n` added.
    fn m(n: u128) -> Change {
        Change::Measure {
            uid: Uid(n),
            before: None,
            after: Some(Box::new(Measure::default())),
        }
    }

    #[test]
    fn the_steps_of_one_drag_are_one_undo_step_but_measures_never_fold() {
        let mut h = History::default();
        h.record(rules(1));
        h.record(rules(2));
        h.record(rules(3));
        h.record(m(1));
        h.record(m(2));
        assert!(matches!(
            h.undo(),
            Some(Stepped::Apply(Change::Measure { uid: Uid(2), .. }))
        ));
        assert!(matches!(
            h.undo(),
            Some(Stepped::Apply(Change::Measure { uid: Uid(1), .. }))
        ));
        match h.undo() {
            Some(Stepped::Apply(Change::Rules { after, .. })) => {
                assert_eq!(after.1[0].code, "AC 3")
            }
            other => panic!("{other:?}"),
        }
        assert!(!h.can_undo());
        assert!(h.can_redo());
    }

    #[test]
    fn a_step_whose_item_another_writer_changed_is_refused_and_the_next_one_goes_on() {
        let mut h = History::default();
        h.record(m(1));
        h.record(m(2));
        h.taint(&Item::Measure(Uid(2)));
        assert!(matches!(h.undo(), Some(Stepped::Refused(_))));
        assert!(matches!(h.undo(), Some(Stepped::Apply(_))));
        assert!(!h.can_undo());
        // The refused step is gone for good; the undone one can be redone.
        assert!(matches!(h.redo(), Some(Stepped::Apply(_))));
        assert!(!h.can_redo());
    }

    #[test]
    fn a_rule_change_touches_only_the_items_that_differ() {
        let o = |code: &str, member| Override {
            code: code.into(),
            field: crate::model::ActionField::Elderly,
            member,
            reason: "r".into(),
        };
        let change = Change::Rules {
            before: Box::new((RuleSet::default(), vec![o("AC 1", true), o("AC 2", true)])),
            after: Box::new((RuleSet::default(), vec![o("AC 1", true), o("AC 2", false)])),
        };
        assert_eq!(
            change.items(),
            [Item::Override {
                code: "AC 2".into(),
                field: crate::model::ActionField::Elderly
            }]
        );
    }
}
