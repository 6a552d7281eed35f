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
    },
}

/// The undo and redo stacks.
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Change>,
    redo: Vec<Change>,
}

/// How many changes undo reaches back.
const LIMIT: usize = 200;

impl History {
    /// Records a change that was just made; the redo stack is dropped.
    pub fn record(&mut self, change: Change) {
        self.undo.push(change);
        if self.undo.len() > LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// The change to undo, moved to the redo stack.
    pub fn undo(&mut self) -> Option<Change> {
        let change = self.undo.pop()?;
        self.redo.push(change.clone());
        Some(change)
    }

    /// The change to redo, moved back to the undo stack.
    pub fn redo(&mut self) -> Option<Change> {
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
