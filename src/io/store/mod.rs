//! The boundary between the planners' data and where it is kept: the vocabulary every store
//! speaks (items with revisions, the outcome of a write, others' changes) and the [`Store`]
//! trait. The GeoPackage project file ([`crate::io::project::ProjectStore`]) is one store; a
//! shared register on a server is meant to be another, behind the same trait, so the window
//! and its panels do not change with it.
//!
//! A store never decides for the user: a write names the revision it was based on and comes
//! back written or as a conflict with the other writer's value; what others changed is
//! reported by [`Store::poll`] for the window to merge.

mod conflict;
mod content;
mod error;
mod item;
mod shared;

use std::path::Path;
use std::time::Duration;

pub use conflict::{Conflict, Resolution};
pub use content::{ProjectContent, ReadOnlyReason, SavedView, StoredView};
pub use error::{StoreError, Why};
pub use item::{Changed, Foreign, Item, ItemValue, LateConflict, Outcome};
pub use shared::{HistoryAction, HistoryEntry, LinkState, LinkStatus, Rights};

use crate::model::{Region, Timestamp, Uid};

/// Where the planners' data is kept, and how it is written and looked at.
pub trait Store: Send + std::fmt::Debug {
    /// The file (None for a store that is no file).
    fn file(&self) -> Option<&Path>;

    /// Where the data is, for messages: the file's path, or the server (never a password).
    fn location(&self) -> String;

    /// A short name for the status bar: the file's name.
    fn short_name(&self) -> String {
        let location = self.location();
        self.file()
            .and_then(|p| p.file_name())
            .map_or(location, |n| n.to_string_lossy().into_owned())
    }

    /// Why the store only reads, if it does.
    fn read_only(&self) -> Option<ReadOnlyReason>;

    /// Why writing stopped for good (the file was moved or replaced), if it did.
    fn detached(&self) -> Option<&Why>;

    /// Whether another program held the write lock when the store was opened.
    fn locked_at_open(&self) -> bool;

    /// The project's id (the same in every copy of one project's file).
    fn project_id(&self) -> &str;

    /// The revision of an item as last seen in the store (0: not there).
    fn known(&self, item: &Item) -> u64;

    /// Takes in revisions another connection of this program wrote for this project.
    fn learn(&mut self, written: &[(Item, u64)]);

    /// The window shows `item` as it was at `revision` (0: not there), though the store may
    /// hold a newer one: the user took that value in a conflict, after a look had already
    /// seen a later change of the item (and left it alone, as an item in a conflict is).
    /// The next look brings whatever came after it, as another writer's change, and a
    /// change based on the value shown clashes with it, never replaces it unseen.
    fn shown_at(&mut self, item: &Item, revision: u64);

    /// Whether derived data (the layer's classification columns) waits for a write after
    /// the next look.
    fn derived_stale(&self) -> bool;

    /// Writes these items, each based on a revision, taking their values from `content`;
    /// `progress` hears how many are written. Items another writer changed meanwhile come
    /// back as conflicts; an error means nothing of the write is kept.
    fn write_with_progress(
        &mut self,
        items: &[(Item, u64)],
        content: &ProjectContent<'_>,
        progress: Option<&mut dyn FnMut(usize)>,
    ) -> Result<Vec<Outcome>, StoreError>;

    /// [`Store::write_with_progress`] without progress.
    fn write(
        &mut self,
        items: &[(Item, u64)],
        content: &ProjectContent<'_>,
    ) -> Result<Vec<Outcome>, StoreError> {
        self.write_with_progress(items, content, None)
    }

    /// What other writers changed since the last look (None: nothing).
    fn poll(&mut self, region: &Region) -> Result<Option<Foreign>, StoreError>;

    /// A second connection for a long write on another thread.
    fn second(&self, lock_wait: Duration) -> Result<Box<dyn Store>, StoreError>;

    /// How long a write waits for another writer's lock.
    fn set_lock_wait(&self, wait: Duration);

    /// The link to the server of a shared store (None: a file, nothing to reach).
    fn link(&self) -> Option<LinkStatus> {
        None
    }

    /// Whether the store has others' changes to be looked at now (a shared store was told of
    /// them), before the next regular look.
    fn wants_look(&self) -> bool {
        false
    }

    /// What the user may change.
    fn rights(&self) -> Rights {
        Rights::All
    }

    /// The user settled a conflict the store reported by [`Store::poll`] (a
    /// [`LateConflict`], only those): took the other writer's value, or keeps their own
    /// (which is then written over it). `revision`: the item's revision in the store when
    /// the conflict was shown; a change made after the answer is never undone by it.
    fn settle(&mut self, _item: &Item, _took_theirs: bool, _revision: u64) {}

    /// Who changed a measure last, and when, where the store knows it.
    fn changed_by(&self, _uid: Uid) -> Option<(String, Timestamp)> {
        None
    }

    /// A measure's history, where the store keeps one (None: not kept, or not read yet;
    /// asking starts reading it).
    fn history(&self, _uid: Uid) -> Option<Vec<HistoryEntry>> {
        None
    }

    /// Test hook: lets writes fail as on a full disk once the store holds `pages` pages.
    #[cfg(feature = "test-hooks")]
    fn limit_pages_for_test(&self, pages: u32);
}
