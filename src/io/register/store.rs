//! The shared register as the window sees it: a [`Store`] that commits every change to a
//! local copy (a project file, so the promise of the file holds: a change the window
//! reports saved survives a kill at once) and lets the sync thread carry it to the server.
//!
//! Others' changes reach the copy through the sync thread and the window through the copy,
//! exactly as another writer's commits to a project file do. A change someone else changed
//! first on the server comes back from [`Store::poll`] as a conflict; the user's answer goes
//! back through [`Store::settle`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use postgres::Client;

use super::cache;
use super::snapshot::Snapshot;
use super::sync::{self, Link, Target};
use super::{RegisterError, display_location};
use crate::io::project::{self, OpenedProject, ProjectStore};
use crate::io::store::{
    Foreign, HistoryAction, HistoryEntry, Item, ItemValue, LateConflict, LinkStatus, Outcome,
    ProjectContent, ReadOnlyReason, Rights, Store, StoreError, Why,
};
use crate::io::{ImportError, Progress};
use crate::model::{Region, Timestamp, Uid};

/// A register opened in the window: the local copy and the link to the server.
pub struct RegisterStore {
    copy: ProjectStore,
    link: Link,
    location: String,
    schema: String,
}

impl std::fmt::Debug for RegisterStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RegisterStore({}, {})", self.location, self.schema)
    }
}

impl Drop for RegisterStore {
    fn drop(&mut self) {
        sync::stop(&self.link);
    }
}

/// Where the local copy of a register is kept: in the user's data folder (not a cache that
/// tools may empty: it can hold changes not yet sent), one file per server, database,
/// user and schema. `SOZIALRAUM_ATLAS_DATA` names another folder.
pub fn copy_path(target: &Target) -> PathBuf {
    let base = target
        .copies
        .clone()
        .or_else(|| {
            std::env::var_os("SOZIALRAUM_ATLAS_DATA")
                .map(|d| PathBuf::from(d).join("sozialraum-atlas"))
        })
        .or_else(|| {
            std::env::var_os("XDG_DATA_HOME").map(|d| PathBuf::from(d).join("sozialraum-atlas"))
        })
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share/sozialraum-atlas"))
        })
        .unwrap_or_else(std::env::temp_dir);
    let name: String = format!("{}_{}", display_location(&target.conninfo), target.schema)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    base.join("register").join(format!("{name}.gpkg"))
}

/// Makes the bookkeeping of a new copy (made from `snapshot` by the caller with
/// [`project::create`]): which local revision matches which server revision, the copy's id,
/// the server (no password).
pub fn make_copy(path: &Path, target: &Target, snapshot: &Snapshot) -> Result<(), RegisterError> {
    let bad = |e: rusqlite::Error| RegisterError::Cache(format!("{}: {e}", path.display()));
    let mut conn = project::connect_file(path, Duration::from_secs(10)).map_err(bad)?;
    let tx = conn.transaction().map_err(bad)?;
    cache::ensure_tables(&tx).map_err(bad)?;
    cache::set_info(&tx, "client", &project::new_uid().to_string()).map_err(bad)?;
    cache::set_info(&tx, "server", &display_location(&target.conninfo)).map_err(bad)?;
    cache::set_info(&tx, "schema", &target.schema).map_err(bad)?;
    cache::set_info(&tx, "veroeffentlichung", &snapshot.publication.to_string()).map_err(bad)?;
    for m in &snapshot.measures {
        // A new project holds every measure at revision 1.
        cache::record(
            &tx,
            m.measure.uid,
            1,
            m.revision,
            &m.changed_by,
            m.measure.changed,
        )
        .map_err(bad)?;
    }
    save_rights(
        &tx,
        &sync::rights_of(&snapshot.rights),
        &snapshot.rights.user,
    )
    .map_err(bad)?;
    tx.commit().map_err(bad)?;
    Ok(())
}

fn save_rights(conn: &rusqlite::Connection, rights: &Rights, user: &str) -> rusqlite::Result<()> {
    let text = match rights {
        Rights::All | Rights::AllMeasures => "region".to_string(),
        Rights::ReadOnly => "lesen".to_string(),
        Rights::Municipalities(m) => format!("kommunen:{}", m.join("\u{1f}")),
    };
    cache::set_info(conn, "rechte", &text)?;
    cache::set_info(conn, "benutzer", user)
}

fn saved_rights(conn: &rusqlite::Connection) -> (Rights, String) {
    let rights = match cache::info(conn, "rechte").as_deref() {
        Some("region") => Rights::AllMeasures,
        Some(t) if t.starts_with("kommunen:") => Rights::Municipalities(
            t["kommunen:".len()..]
                .split('\u{1f}')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        ),
        _ => Rights::ReadOnly,
    };
    (rights, cache::info(conn, "benutzer").unwrap_or_default())
}

/// A register opened: the map, measures and view as the copy holds them, and the store.
pub struct OpenedRegister {
    /// The map.
    pub imported: crate::io::Imported,
    /// The measures.
    pub measures: crate::model::MeasureRegister,
    /// The view kept in the copy, with the saved views.
    pub view: crate::io::store::StoredView,
    /// The store the window writes to.
    pub register: RegisterStore,
}

/// Opens the local copy of a register and starts keeping it in step with the server
/// (`client`: a connection already made; None: offline, the sync thread keeps trying).
/// `wake` is called when the window has news to show.
pub fn open_copy(
    path: &Path,
    target: Target,
    client: Option<Client>,
    progress: &Progress,
    wake: Arc<dyn Fn() + Send + Sync>,
) -> Result<OpenedRegister, ImportError> {
    let file = path.display().to_string();
    let opened = project::open(path, &Default::default(), progress)?;
    let conn =
        project::connect_file(path, Duration::from_secs(10)).map_err(|e| ImportError::Io {
            file: file.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
    let (rights, user) = saved_rights(&conn);
    let changed_by = cache::changed_by(&conn).unwrap_or_default();
    drop(conn);
    let location = display_location(&target.conninfo);
    let schema = target.schema.clone();
    let link =
        sync::start(path.to_path_buf(), target, client, rights, user, wake).map_err(|source| {
            ImportError::Io {
                file: file.clone(),
                source,
            }
        })?;
    sync::lock(&link).changed_by = changed_by
        .into_iter()
        .map(|(uid, by, at)| (uid, (by, at)))
        .collect();
    let OpenedProject {
        imported,
        measures,
        view,
        store,
    } = opened;
    Ok(OpenedRegister {
        imported,
        measures,
        view,
        register: RegisterStore {
            copy: store,
            link,
            location,
            schema,
        },
    })
}

impl RegisterStore {
    /// Saves what the user may change in the copy, so it holds offline too.
    fn remember_rights(&self) {
        let shared = sync::lock(&self.link);
        let (rights, user) = (shared.rights.clone(), shared.user.clone());
        drop(shared);
        if let Ok(conn) = project::connect_file(self.copy.path(), Duration::from_millis(200)) {
            let _ = save_rights(&conn, &rights, &user);
        }
    }
}

impl Store for RegisterStore {
    fn file(&self) -> Option<&Path> {
        // The copy is no file of the user's: it is not offered to open again or to reload.
        None
    }

    fn location(&self) -> String {
        format!("{} ({})", self.location, self.schema)
    }

    fn short_name(&self) -> String {
        format!("Register {} · {}", self.schema, self.location)
    }

    fn read_only(&self) -> Option<ReadOnlyReason> {
        self.copy.read_only()
    }

    fn detached(&self) -> Option<&Why> {
        self.copy.detached()
    }

    fn locked_at_open(&self) -> bool {
        self.copy.locked_at_open()
    }

    fn project_id(&self) -> &str {
        self.copy.project_id()
    }

    fn known(&self, item: &Item) -> u64 {
        self.copy.known(item)
    }

    fn learn(&mut self, written: &[(Item, u64)]) {
        self.copy.learn(written);
        sync::nudge(&self.link);
    }

    fn shown_at(&mut self, item: &Item, revision: u64) {
        self.copy.shown_at(item, revision);
    }

    fn derived_stale(&self) -> bool {
        self.copy.derived_stale()
    }

    fn write_with_progress(
        &mut self,
        items: &[(Item, u64)],
        content: &ProjectContent<'_>,
        progress: Option<&mut dyn FnMut(usize)>,
    ) -> Result<Vec<Outcome>, StoreError> {
        let outcomes = self.copy.write_with_progress(items, content, progress)?;
        if items
            .iter()
            .any(|(item, _)| matches!(item, Item::Measure(_)))
        {
            sync::written(&self.link);
        }
        Ok(outcomes)
    }

    fn poll(&mut self, region: &Region) -> Result<Option<Foreign>, StoreError> {
        sync::lock(&self.link).news = false;
        let mine = self.copy.poll(region)?;
        let found = std::mem::take(&mut sync::lock(&self.link).conflicts);
        if !found.is_empty() {
            self.remember_rights();
        }
        let value = |m: Option<crate::model::Measure>| m.map(|m| ItemValue::Measure(Box::new(m)));
        let conflicts: Vec<LateConflict> = found
            .into_iter()
            .map(|(uid, base, theirs)| {
                let item = Item::Measure(uid);
                let revision = self.copy.known(&item);
                LateConflict {
                    item,
                    base: value(base),
                    theirs: value(theirs),
                    revision,
                }
            })
            .collect();
        match (mine, conflicts.is_empty()) {
            (None, true) => Ok(None),
            (Some(mut f), _) => {
                f.conflicts.extend(conflicts);
                Ok(Some(f))
            }
            (None, false) => Ok(Some(Foreign {
                changed: Vec::new(),
                conflicts,
            })),
        }
    }

    fn second(&self, lock_wait: Duration) -> Result<Box<dyn Store>, StoreError> {
        // A long write (a measure list) goes into the copy; the sync thread sends it.
        self.copy.second(lock_wait)
    }

    fn set_lock_wait(&self, wait: Duration) {
        self.copy.set_lock_wait(wait);
    }

    fn link(&self) -> Option<LinkStatus> {
        let shared = sync::lock(&self.link);
        Some(LinkStatus {
            state: shared.state.clone(),
            unsent: shared.unsent,
            refused: shared.refused.len(),
            refusal: shared.refused.values().find(|w| !w.is_empty()).cloned(),
            republished: shared.republished,
            location: self.location(),
            user: shared.user.clone(),
        })
    }

    fn rights(&self) -> Rights {
        sync::lock(&self.link).rights.clone()
    }

    fn wants_look(&self) -> bool {
        let shared = sync::lock(&self.link);
        shared.news || !shared.conflicts.is_empty()
    }

    fn settle(&mut self, item: &Item, took_theirs: bool, revision: u64) {
        if let Item::Measure(uid) = item {
            sync::lock(&self.link).settle(*uid, took_theirs, revision);
            self.link.1.notify_all();
        }
    }

    fn changed_by(&self, uid: Uid) -> Option<(String, Timestamp)> {
        sync::lock(&self.link).changed_by.get(&uid).cloned()
    }

    fn history(&self, uid: Uid) -> Option<Vec<HistoryEntry>> {
        let mut shared = sync::lock(&self.link);
        let Some(lines) = shared.history.get(&uid) else {
            shared.want_history(uid);
            drop(shared);
            self.link.1.notify_all();
            return None;
        };
        Some(
            lines
                .iter()
                .map(|l| HistoryEntry {
                    time: l.time,
                    user: l.user.clone(),
                    action: match l.action.as_str() {
                        "insert" => HistoryAction::Added,
                        "delete" => HistoryAction::Deleted,
                        _ => HistoryAction::Changed,
                    },
                    fields: l.fields.clone(),
                })
                .collect(),
        )
    }

    #[cfg(feature = "test-hooks")]
    fn limit_pages_for_test(&self, pages: u32) {
        self.copy.limit_pages_for_test(pages);
    }
}
