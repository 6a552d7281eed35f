//! A clash between two writers of one item, and how the user settles it. The store reports
//! them; the window shows them one at a time and never decides by itself.

use super::{Item, ItemValue};
use crate::model::Measure;

/// A clash: another writer changed an item this window changed too.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The item.
    pub item: Item,
    /// Its value when this window read it (None: unknown, or new here).
    pub base: Option<ItemValue>,
    /// The other writer's value (None: they deleted it).
    pub theirs: Option<ItemValue>,
    /// Its revision (0 when deleted).
    pub theirs_revision: u64,
    /// This window's value (None: deleted here).
    pub mine: Option<ItemValue>,
    /// This window's value is kept by the store already (a shared register's copy on this
    /// computer); only its way to the others waits for the answer.
    pub kept_here: bool,
}

/// How the user settles a conflict.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// Keep this window's value (written over theirs, knowingly).
    Mine,
    /// Take the other writer's value.
    Theirs,
    /// A measure put together field by field.
    Merged(Box<Measure>),
}
