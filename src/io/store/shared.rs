//! What a store shared with others (a register on a server) tells besides its items: whether
//! it is reached, what waits to be sent, what the user may change, and who changed what.
//! A project file answers "everything may be changed" and has no link.

use crate::model::{Measure, Timestamp};

/// How the window reaches the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// Not tried yet, or trying.
    Connecting,
    /// Connected.
    Connected,
    /// Not reached since then; why (the last error, for the tooltip).
    Offline {
        /// Since when.
        since: Timestamp,
        /// The last error.
        why: String,
    },
}

/// The link to a shared store, for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkStatus {
    /// Reached or not.
    pub state: LinkState,
    /// Changes committed here and not yet on the server.
    pub unsent: usize,
    /// Changes the server refused (no right, a value it does not take); they stay here.
    pub refused: usize,
    /// The database's reason for one of them.
    pub refusal: Option<String>,
    /// The server and schema, for messages (never a password).
    pub location: String,
    /// The database user.
    pub user: String,
    /// The map (areas, values, rules) was published again since the copy was made: opening
    /// the register anew brings it.
    pub republished: bool,
}

/// What the user may change in a store.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Rights {
    /// Everything (a project file; a region planner's measures).
    #[default]
    All,
    /// Measures that concern one of these municipalities; nothing else of the project.
    Municipalities(Vec<String>),
    /// Measures of every municipality, nothing else of the project.
    AllMeasures,
    /// Nothing: the user may only read.
    ReadOnly,
}

impl Rights {
    /// Whether the measure (as it is, or as it would be saved) may be changed.
    pub fn may_change_measure(&self, m: &Measure) -> bool {
        match self {
            Rights::All | Rights::AllMeasures => true,
            Rights::Municipalities(own) => m.municipalities.iter().any(|k| own.contains(k)),
            Rights::ReadOnly => false,
        }
    }

    /// Whether new measures may be made at all.
    pub fn may_add_measures(&self) -> bool {
        !matches!(self, Rights::ReadOnly) && *self != Rights::Municipalities(Vec::new())
    }

    /// Whether rules, overrides, the catalogue and the indicator values may be changed.
    pub fn may_change_settings(&self) -> bool {
        matches!(self, Rights::All)
    }
}

/// One line of a measure's history in a shared store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// When.
    pub time: Timestamp,
    /// Who (the database user).
    pub user: String,
    /// What happened.
    pub action: HistoryAction,
    /// The fields that changed (the store's column names).
    pub fields: Vec<String>,
}

/// What happened to a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryAction {
    /// Created.
    Added,
    /// Changed.
    Changed,
    /// Deleted.
    Deleted,
}
