//! The vocabulary between the planners' data and a store: which items have a revision of
//! their own, how a write of one turned out, and what another writer changed.
//!
//! A write names an item and the revision it was based on (0: the item is new). The store
//! takes the item's current value from the content it is given, checks the revision in the
//! same transaction, and either writes (the revision goes up by one) or reports a conflict
//! with the other writer's value. So a change that failed is retried as that one change, with
//! whatever value it has by then, and never overwrites what someone else wrote meanwhile.

use crate::model::{ActionField, Indicator, Measure, MeasureId, Override, RuleSet, Uid};

use super::SavedView;

/// One item of a project that is written, checked and merged on its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    /// A measure, by its stable id.
    Measure(Uid),
    /// The rule set (all Handlungsfelder).
    Rules,
    /// The override of one field of one area.
    Override {
        /// The area's code.
        code: String,
        /// The field.
        field: ActionField,
    },
    /// A saved view ("Ansicht").
    View(Uid),
    /// The indicator catalogue (labels, units, polarity, …).
    Catalogue,
    /// The indicator values (the layer's columns; a table import rewrites them).
    IndicatorValues,
    /// How the map is shown (colouring, labels …): not planners' data, so the last writer
    /// wins and there is never a conflict.
    ViewSettings,
}

impl Item {
    /// Whether writing the item can change the Handlungsfelder of areas.
    pub fn moves_classification(&self) -> bool {
        matches!(
            self,
            Item::Rules | Item::Override { .. } | Item::IndicatorValues
        )
    }
}

/// The value of an item (another writer's, or the one a change started from).
#[derive(Debug, Clone, PartialEq)]
pub enum ItemValue {
    /// A measure.
    Measure(Box<Measure>),
    /// The rule set.
    Rules(RuleSet),
    /// An override.
    Override(Override),
    /// A saved view.
    View(Box<SavedView>),
    /// The catalogue.
    Catalogue(Vec<Indicator>),
    /// The indicator values changed (a table was imported): the map must read them again.
    IndicatorValues,
}

/// How the write of one item turned out.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// In the file, at this revision (0: the item is gone, as asked); a new measure got
    /// this number.
    Written {
        /// The item's revision now.
        revision: u64,
        /// The number the file gave a new measure.
        number: Option<MeasureId>,
    },
    /// Another writer changed the item since the revision the write was based on; nothing
    /// was written for it.
    Conflict {
        /// Their value; None when they deleted it.
        theirs: Option<ItemValue>,
        /// Its revision (0 when deleted).
        revision: u64,
    },
}

/// An item another writer changed: its value now (None: deleted) and its revision.
pub type Changed = (Item, Option<ItemValue>, u64);

/// What other writers changed since the last look.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Foreign {
    /// The changed items.
    pub changed: Vec<Changed>,
    /// Changes of ours another writer had changed first (a shared store finds them after
    /// the write returned).
    pub conflicts: Vec<LateConflict>,
}

/// A change of ours another writer had changed first, found after the write returned.
#[derive(Debug, Clone, PartialEq)]
pub struct LateConflict {
    /// The item.
    pub item: Item,
    /// Its value before our change, as the other side had it then (None: not known).
    pub base: Option<ItemValue>,
    /// Their value now (None: they deleted it).
    pub theirs: Option<ItemValue>,
    /// The revision to base a settled value on.
    pub revision: u64,
}
