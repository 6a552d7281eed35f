//! An open project file: writes checked against revisions, a look for what other writers
//! committed, and the guard against a file that was moved or replaced while open.
//!
//! Every write is one `BEGIN IMMEDIATE` transaction (the write lock is taken first, so what
//! is read inside cannot change before the commit) with the rollback journal and
//! `synchronous = FULL`: when [`ProjectStore::write`] returned, the file holds the change,
//! and a crash or kill at any moment leaves it before or after, never between. Before each
//! write the store checks that the file at the path is still the one it opened (same file
//! identity, same project id, a change counter that never goes back); if not, writing stops
//! for good and every later write fails with [`Why::Moved`] or [`Why::Replaced`].
//!
//! The derived columns of the layer follow the data in the same transaction: the measure
//! count of an area is counted from the link table in SQL (so it is right whoever wrote the
//! links), and the classification columns are written only when no other writer committed
//! since this store last looked (otherwise they are marked stale and written after the next
//! look, from the merged state).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior, params};

use super::error::{folder_is_writable, why_of};

use super::rows::{self, ObjectWrite};
use super::schema::{self, COUNTER, PROJECT_ID};
use super::{LAYER, LINKS, OpenedProject};
use crate::io::error::ImportError;
use crate::io::export_geojson::MEASURE_COUNT;
use crate::io::gpkg::{self, quote};
use crate::io::store::{
    Changed, Foreign, Item, ItemValue, Outcome, ProjectContent, ReadOnlyReason, SavedView,
    StoredView,
};
use crate::io::store::{Store, StoreError, Why};
use crate::io::{ImportOptions, Progress};
use crate::model::{Measure, MeasureId, MeasureRegister, Region, Uid};

/// How long a write waits for another writer's lock in the window (a longer wait would
/// freeze the screen; a write that gives up stays unsaved and is tried again).
pub const WINDOW_LOCK_WAIT: Duration = Duration::from_millis(1000);

/// The identity of a file on its file system (device and inode on Unix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileIdentity(u64, u64);

fn file_identity(path: &Path) -> Option<FileIdentity> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(FileIdentity(meta.dev(), meta.ino()))
    }

    #[cfg(not(unix))]
    {
        let _ = meta;
        Some(FileIdentity(0, 0))
    }
}

/// When the file was last modified and how long it is: a change SQLite cannot see (a file
/// copied over the open one whose change counter happens to match) still shows here.
type FileStamp = (std::time::SystemTime, u64);

fn file_stamp(path: &Path) -> Option<FileStamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// The two classification columns of every row, as written.
type WrittenClasses = Vec<(Option<u8>, Option<u8>)>;

/// An open project file.
pub struct ProjectStore {
    conn: Connection,
    path: PathBuf,
    read_only: Option<ReadOnlyReason>,
    /// Set when the file at the path is no longer the one opened: writing has stopped.
    detached: Option<Why>,
    /// Another program held the write lock when the file was opened.
    locked_at_open: bool,
    project_id: String,
    identity: Option<FileIdentity>,
    /// The file's modification time and length after the last look or write.
    stamp: Option<FileStamp>,
    /// The revision of every item as this store last saw it in the file.
    known: HashMap<Item, u64>,
    /// SQLite's `data_version` at the last look (it changes when another connection commits).
    data_version: Option<i64>,
    /// The change counter up to which this store has seen every change.
    merged_counter: i64,
    /// The highest change counter seen: a file whose counter goes back was replaced.
    highest_counter: i64,
    /// The classification columns may miss a change of another writer.
    derived_stale: bool,
    /// The layer's row (fid) of each area, by position in the region.
    rows: Vec<Option<i64>>,
    /// The classification columns as last committed, if known.
    written_classes: Option<WrittenClasses>,
}

impl std::fmt::Debug for ProjectStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProjectStore({})", self.path.display())
    }
}

fn configure(conn: &Connection, lock_wait: Duration) -> rusqlite::Result<()> {
    gpkg::register_functions(conn)?;
    conn.busy_timeout(lock_wait)?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// A plain connection to a project file, set up as every writer of it is (journal, durable
/// commits, foreign keys, the GeoPackage functions its triggers call).
pub(crate) fn connect_file(path: &Path, lock_wait: Duration) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn, lock_wait)?;
    Ok(conn)
}

/// A fresh random id (UUID version 4).
pub fn new_uid() -> Uid {
    Uid(uuid::Uuid::new_v4().as_u128())
}

fn temporary_beside(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}

/// Rows as written by this program: area `i` is fid `i + 1`.
fn identity_rows(n: usize) -> Vec<Option<i64>> {
    (1..=n as i64).map(Some).collect()
}

/// The fid of each area's row, matched by code (QGIS may have deleted or reordered rows).
fn layer_rows(conn: &Connection, region: &Region) -> Vec<Option<i64>> {
    let mut rows = vec![None; region.spaces.len()];
    if let Ok(mut stmt) = conn.prepare(&format!("SELECT fid, code FROM {LAYER} ORDER BY fid")) {
        let read = stmt.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
        });
        if let Ok(read) = read {
            for (fid, code) in read.flatten() {
                if let Some(i) = code.as_deref().and_then(|c| region.space_by_code(c))
                    && rows[i].is_none()
                {
                    rows[i] = Some(fid);
                }
            }
        }
    }
    rows
}

/// Writes a whole project into a new file at `path` (via a temporary file that replaces the
/// target only when complete) and opens it. Measures without a number get one; returns
/// them with the store.
pub fn create(
    path: &Path,
    content: &ProjectContent<'_>,
) -> Result<(ProjectStore, Vec<(Uid, MeasureId)>), StoreError> {
    let file = path.display().to_string();
    let tmp = temporary_beside(path);
    let _ = std::fs::remove_file(&tmp);
    let fail = |why: Why| StoreError::Create {
        file: file.clone(),
        why,
    };
    let project_id = new_uid().to_string();
    let mut numbers = Vec::new();
    let result = (|| -> Result<(), StoreError> {
        let sql = |e: rusqlite::Error| fail(why_of(&e, &tmp));
        let mut conn = Connection::open(&tmp).map_err(sql)?;
        configure(&conn, WINDOW_LOCK_WAIT).map_err(sql)?;
        let tx = conn.transaction().map_err(sql)?;
        gpkg::create_core(&tx).map_err(sql)?;
        schema::create_tables(&tx).map_err(sql)?;
        write_settings(&tx, content).map_err(sql)?;
        schema::put_setting(&tx, PROJECT_ID, &project_id).map_err(sql)?;
        schema::put_setting(&tx, COUNTER, "1").map_err(sql)?;
        schema::write_layer(&tx, &content.map).map_err(sql)?;
        schema::put_objects(&tx, &content.map, &content.view.views).map_err(sql)?;
        for m in content.measures.all() {
            if let rows::Insert::Done { number, .. } =
                rows::insert_measure(&tx, m, 0).map_err(sql)?
                && number != m.id
            {
                numbers.push((m.uid, number));
            }
        }
        tx.commit().map_err(sql)?;
        conn.close().map_err(|(_, e)| sql(e))?;
        let io = |e: std::io::Error| {
            fail(match e.kind() {
                std::io::ErrorKind::StorageFull => Why::DiskFull,
                _ => Why::Other(e.to_string()),
            })
        };
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = std::fs::File::open(dir)
        {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let sql = |e: rusqlite::Error| fail(why_of(&e, path));
    let conn = Connection::open(path).map_err(sql)?;
    configure(&conn, WINDOW_LOCK_WAIT).map_err(sql)?;
    let data_version = conn
        .query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0))
        .ok();
    let mut known = HashMap::new();
    for m in content.measures.all() {
        known.insert(Item::Measure(m.uid), 1);
    }
    known.insert(Item::Rules, 1);
    for o in content.map.overrides {
        known.insert(
            Item::Override {
                code: o.code.clone(),
                field: o.field,
            },
            1,
        );
    }
    for v in &content.view.views {
        known.insert(Item::View(v.uid), 1);
    }
    known.insert(Item::Catalogue, 1);
    known.insert(Item::IndicatorValues, 1);
    let store = ProjectStore {
        conn,
        path: path.to_path_buf(),
        read_only: None,
        detached: None,
        locked_at_open: false,
        project_id,
        identity: file_identity(path),
        stamp: file_stamp(path),
        known,
        data_version,
        merged_counter: 1,
        highest_counter: 1,
        derived_stale: false,
        rows: identity_rows(content.map.region.spaces.len()),
        written_classes: None,
    };
    Ok((store, numbers))
}

/// The settings of a new project: format, program, map metadata (without what has objects
/// of its own) and view settings.
fn write_settings(conn: &Connection, content: &ProjectContent<'_>) -> rusqlite::Result<()> {
    let mut meta = serde_json::to_value(crate::io::export_geojson::atlas_meta(&content.map))
        .unwrap_or_default();
    if let Some(m) = meta.as_object_mut() {
        m.remove("indicators");
        m.remove("rules");
    }
    let format = if content.map.indicators.has_years() {
        super::FORMAT_VERSION
    } else {
        super::FORMAT_WITHOUT_SERIES
    };
    schema::put_setting(conn, schema::FORMAT_KEY, &format.to_string())?;
    schema::put_setting(
        conn,
        "program",
        concat!("Sozialraum-Atlas ", env!("CARGO_PKG_VERSION")),
    )?;
    schema::put_setting(conn, "atlas", &meta.to_string())?;
    schema::put_setting(conn, "view", &view_settings_json(content.view))
}

/// The view settings as stored: the saved views are objects of their own.
fn view_settings_json(view: &StoredView) -> String {
    let mut settings = view.clone();
    settings.views.clear();
    serde_json::to_string(&settings).unwrap_or_default()
}

/// What a file is, looked at before it is opened as a project.
enum Health {
    /// A sound SQLite file.
    Sound,
    /// SQLite's quick check or reading failed: what it said.
    Damaged(String),
    /// Not an SQLite file at all (the importer says what it is).
    NotSqlite,
}

fn health(path: &Path) -> Health {
    if !super::looks_like_sqlite(path) {
        return Health::NotSqlite;
    }
    let conn = match Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY) {
        Ok(c) => c,
        Err(e) => return Health::Damaged(e.to_string()),
    };
    let _ = conn.busy_timeout(Duration::from_millis(3000));
    let mut found = Vec::new();
    let checked = conn.prepare("PRAGMA quick_check(5)").and_then(|mut stmt| {
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for row in rows {
            found.push(row?);
        }
        Ok(())
    });
    match checked {
        Err(e) if matches!(e.sqlite_error_code(), Some(ErrorCode::DatabaseBusy)) => Health::Sound,
        Err(e) => Health::Damaged(e.to_string()),
        Ok(()) if found.len() == 1 && found[0] == "ok" => Health::Sound,
        Ok(()) => Health::Damaged(found.join("; ")),
    }
}

/// Whether SQLite finds the file damaged.
pub fn is_damaged(path: &Path) -> bool {
    matches!(health(path), Health::Damaged(_))
}

/// Opens a project file: its map, measures and views, and the store for further changes.
/// Read-only when the file or its folder is write-protected, another program holds a write
/// lock, or the file is damaged (a damaged file is never written). A format 1 file that can
/// be written becomes format 2 on the way.
pub fn open(
    path: &Path,
    options: &ImportOptions,
    progress: &Progress,
) -> Result<OpenedProject, ImportError> {
    open_with(path, options, progress, false)
}

/// Opens a project only to read it (an export, a list): the file is never written, not even
/// to bring a format 1 file up to date.
pub fn open_to_read(
    path: &Path,
    options: &ImportOptions,
    progress: &Progress,
) -> Result<OpenedProject, ImportError> {
    open_with(path, options, progress, true)
}

fn open_with(
    path: &Path,
    options: &ImportOptions,
    progress: &Progress,
    only_read: bool,
) -> Result<OpenedProject, ImportError> {
    let file = path.display().to_string();
    let damaged = match health(path) {
        Health::Sound | Health::NotSqlite => None,
        Health::Damaged(detail) => Some(detail),
    };
    let unreadable = |e: rusqlite::Error| match &damaged {
        Some(detail) => ImportError::damaged_project(&file, detail),
        None => ImportError::unusable(
            &file,
            format!("Projektdatei nicht lesbar ({e})."),
            format!("project file not readable ({e})."),
        ),
    };
    let (conn, read_only, locked_at_open) = open_connection(path, damaged.is_some(), only_read)
        .map_err(|e| match e {
            OpenFailure::Import(e) => match &damaged {
                Some(detail) => ImportError::damaged_project(&file, detail),
                None => e,
            },
            OpenFailure::Sql(e) => unreadable(e),
        })?;
    if damaged.is_none() && !has_settings(&conn) {
        return Err(ImportError::unusable(
            &file,
            "ist keine Projektdatei von Sozialraum-Atlas (eine GeoPackage-Datei ohne Projekttabellen).",
            "is not a Sozialraum-Atlas project file (a GeoPackage without the project tables).",
        ));
    }
    if read_only.is_none() && schema::format_of(&conn) < super::FORMAT_WITHOUT_SERIES {
        migrate(&conn).map_err(unreadable)?;
    }
    let mut imported = match crate::io::import_file(path, options, progress) {
        Ok(i) => i,
        Err(e) => {
            return Err(match &damaged {
                Some(detail) => ImportError::damaged_project(&file, detail),
                None => e,
            });
        }
    };
    let read = read_project(&conn, &imported.region).map_err(unreadable)?;
    if read.v2 {
        imported.rules = read.rules;
        imported.overrides = read.overrides;
    }
    let mut view = read.view;
    view.views = read.views;
    let measures = MeasureRegister::from_measures(read.measures, 1);
    Ok(OpenedProject {
        imported,
        measures,
        view,
        store: ProjectStore {
            conn,
            path: path.to_path_buf(),
            read_only: if damaged.is_some() {
                Some(ReadOnlyReason::Damaged)
            } else {
                read_only
            },
            detached: None,
            locked_at_open,
            project_id: read.project_id,
            identity: file_identity(path),
            stamp: file_stamp(path),
            known: read.known,
            data_version: read.data_version,
            merged_counter: read.counter,
            highest_counter: read.counter,
            derived_stale: false,
            rows: read.rows,
            written_classes: None,
        },
    })
}

fn has_settings(conn: &Connection) -> bool {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE name = ?1",
        [super::SETTINGS],
        |r| r.get::<_, i64>(0),
    )
    .is_ok_and(|n| n > 0)
}

enum OpenFailure {
    Import(ImportError),
    Sql(rusqlite::Error),
}

/// A connection to the file, read-write when the file and its folder allow, and whether
/// another program held the write lock just then.
fn open_connection(
    path: &Path,
    damaged: bool,
    only_read: bool,
) -> Result<(Connection, Option<ReadOnlyReason>, bool), OpenFailure> {
    let read_only = |reason| -> Result<(Connection, Option<ReadOnlyReason>, bool), OpenFailure> {
        let conn = gpkg::open_read_only(path).map_err(OpenFailure::Import)?;
        Ok((conn, Some(reason), false))
    };
    if damaged {
        return read_only(ReadOnlyReason::Damaged);
    }
    if only_read {
        return read_only(ReadOnlyReason::Requested);
    }
    let permissions = std::fs::metadata(path)
        .map(|m| m.permissions().readonly())
        .unwrap_or(true);
    if permissions {
        return read_only(ReadOnlyReason::Permissions);
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !folder_is_writable(dir) {
        return read_only(ReadOnlyReason::Folder);
    }
    let conn = match Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE) {
        Ok(c) => c,
        Err(_) => return read_only(ReadOnlyReason::Permissions),
    };
    conn.busy_timeout(Duration::from_millis(2000))
        .map_err(OpenFailure::Sql)?;
    // Probe for the write lock: a program in the middle of writing holds it. A lock that
    // stays is no reason to open read-only: changes wait in the outbox until it is free
    // (a format 1 file, which must be brought up to date first, opens read-only).
    match conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
        Ok(()) => {
            configure(&conn, WINDOW_LOCK_WAIT).map_err(OpenFailure::Sql)?;
            Ok((conn, None, false))
        }
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
            ) =>
        {
            if schema::format_of(&conn) < super::FORMAT_WITHOUT_SERIES {
                return read_only(ReadOnlyReason::Locked);
            }
            configure(&conn, WINDOW_LOCK_WAIT).map_err(OpenFailure::Sql)?;
            Ok((conn, None, true))
        }
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::ReadOnly) => {
            read_only(ReadOnlyReason::Permissions)
        }
        Err(e) => Err(OpenFailure::Sql(e)),
    }
}

fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        if schema::format_of(conn) < super::FORMAT_WITHOUT_SERIES {
            schema::migrate_from_v1(conn, &new_uid)?;
        }
        conn.execute_batch("COMMIT")
    })();
    if result.is_err() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    result
}

/// Everything a project holds besides the layer, read in one transaction.
struct ProjectRead {
    v2: bool,
    measures: Vec<Measure>,
    rules: crate::model::RuleSet,
    overrides: Vec<crate::model::Override>,
    views: Vec<SavedView>,
    view: StoredView,
    known: HashMap<Item, u64>,
    project_id: String,
    counter: i64,
    data_version: Option<i64>,
    rows: Vec<Option<i64>>,
}

fn read_project(conn: &Connection, region: &Region) -> rusqlite::Result<ProjectRead> {
    conn.execute_batch("BEGIN")?;
    let result = read_project_in(conn, region);
    let _ = conn.execute_batch("COMMIT");
    result
}

fn read_project_in(conn: &Connection, region: &Region) -> rusqlite::Result<ProjectRead> {
    let v2 = schema::format_of(conn) >= 2;
    let counter = schema::setting(conn, COUNTER)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let data_version = conn
        .query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0))
        .ok();
    let mut known = HashMap::new();
    let mut measures = Vec::new();
    for (m, revision) in rows::read_measures(conn, v2)? {
        known.insert(Item::Measure(m.uid), revision);
        measures.push(m);
    }
    let mut view: StoredView = schema::setting(conn, "view")
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let mut rules = crate::model::RuleSet::default();
    let mut overrides = Vec::new();
    let mut views = Vec::new();
    if v2 {
        for (kind, key, content, revision) in rows::read_objects(conn)? {
            let Some(item) = rows::item_of(&kind, &key) else {
                continue;
            };
            known.insert(item.clone(), revision);
            let Some(content) = content else {
                continue;
            };
            match rows::theirs_of(&kind, &content) {
                Some(ItemValue::Rules(r)) => rules = r,
                Some(ItemValue::Override(o)) => overrides.push(o),
                Some(ItemValue::View(v)) => views.push(*v),
                _ => {}
            }
        }
        for (uid, revision) in rows::tombstones(conn)? {
            known.insert(Item::Measure(uid), revision);
        }
        sort_views(&mut views);
    } else {
        views = std::mem::take(&mut view.views);
    }
    Ok(ProjectRead {
        v2,
        measures,
        rules,
        overrides,
        views,
        view,
        known,
        project_id: schema::setting(conn, PROJECT_ID).unwrap_or_default(),
        counter,
        data_version,
        rows: layer_rows(conn, region),
    })
}

/// Saved views in the planners' order (by position, then name).
pub fn sort_views(views: &mut [SavedView]) {
    views.sort_by(|a, b| {
        a.position
            .cmp(&b.position)
            .then_with(|| a.name.cmp(&b.name))
            .then(a.uid.cmp(&b.uid))
    });
}

/// The current value of an item, as its stored text (None: the item does not exist).
fn value_of(item: &Item, content: &ProjectContent<'_>) -> Option<String> {
    let map = &content.map;
    match item {
        Item::Rules => Some(rows::rules_json(map.rules)),
        Item::Override { code, field } => map
            .overrides
            .iter()
            .find(|o| o.code == *code && o.field == *field)
            .map(rows::override_json),
        Item::View(uid) => content
            .view
            .views
            .iter()
            .find(|v| v.uid == *uid)
            .and_then(|v| serde_json::to_string(v).ok()),
        Item::Catalogue => serde_json::to_string(map.indicators.indicators()).ok(),
        Item::IndicatorValues => Some(schema::values_json(map)),
        Item::Measure(_) | Item::ViewSettings => None,
    }
}

/// Whether two measures say the same (their numbers aside).
fn same_measure(a: &Measure, b: &Measure) -> bool {
    let mut b = b.clone();
    b.id = a.id;
    *a == b
}

/// What one transaction did besides its items.
#[derive(Default)]
struct Effects {
    codes: HashSet<String>,
    layer_rewritten: bool,
    classification: bool,
}

impl ProjectStore {
    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn fail(&self, why: Why) -> StoreError {
        write_error(&self.path, why)
    }

    /// Stops writing for good: the file at the path is not the one opened.
    fn detach(&mut self, why: Why) -> StoreError {
        self.detached = Some(why.clone());
        self.fail(why)
    }

    /// When the file changed since this store last looked (by another writer, or by a copy
    /// SQLite cannot tell from its own cache), drops the page cache so the next read comes
    /// from the disk. Returns whether it did.
    fn forget_cache_if_touched(&mut self) -> bool {
        let touched = file_stamp(&self.path) != self.stamp;
        if touched {
            let _ = self.conn.execute_batch("PRAGMA shrink_memory");
        }
        touched
    }

    /// The file must still be the one opened.
    fn check_identity(&mut self) -> Result<(), StoreError> {
        if let Some(why) = &self.detached {
            return Err(self.fail(why.clone()));
        }
        match file_identity(&self.path) {
            None => Err(self.detach(Why::Moved)),
            Some(now) if self.identity.is_some_and(|was| was != now) => {
                Err(self.detach(Why::Replaced))
            }
            Some(_) => Ok(()),
        }
    }

    /// Test hook: limits the file size so that writes fail as on a full disk.
    #[cfg(feature = "test-hooks")]
    fn limit_pages(&self, pages: u32) -> rusqlite::Result<()> {
        self.conn.pragma_update(None, "max_page_count", pages)
    }
}

/// Why the file is no longer the one a store wrote to: `was` is what the store knew (the
/// file's identity, the project id, the highest change counter seen), `now` the file's
/// identity now, `id` and `counter` what the file says inside the write lock.
fn replaced(
    was: (Option<FileIdentity>, &str, i64),
    now: Option<FileIdentity>,
    id: &str,
    counter: i64,
) -> Option<Why> {
    let (identity, project_id, highest_counter) = was;
    match now {
        None => Some(Why::Moved),
        Some(now) if identity.is_some_and(|was| was != now) => Some(Why::Replaced),
        _ if id != project_id || counter < highest_counter => Some(Why::Replaced),
        _ => None,
    }
}

/// What the store knows after a commit.
impl ProjectStore {
    /// Committed as change `counter + 1`: the file's stamp, the counters, the rows of a
    /// rewritten layer and the classification as written.
    fn committed(
        &mut self,
        counter: i64,
        quiet: bool,
        effects: &Effects,
        written: Option<WrittenClasses>,
        content: &ProjectContent<'_>,
    ) {
        self.stamp = file_stamp(&self.path);
        self.highest_counter = counter + 1;
        if quiet {
            self.merged_counter = counter + 1;
        }
        if effects.layer_rewritten {
            self.rows = identity_rows(content.map.region.spaces.len());
            self.written_classes = None;
        }
        match written {
            Some(classes) => {
                self.written_classes = Some(classes);
                self.derived_stale = false;
            }
            None if effects.classification => {
                self.derived_stale = true;
                self.written_classes = None;
            }
            None => {}
        }
    }

    /// The revision of each item as the file has it now.
    fn learn_outcomes(&mut self, items: &[(Item, u64)], outcomes: &[Outcome]) {
        for ((item, _), outcome) in items.iter().zip(outcomes) {
            let revision = match outcome {
                Outcome::Written { revision, .. } | Outcome::Conflict { revision, .. } => *revision,
            };
            if *item != Item::ViewSettings {
                if revision == 0 {
                    self.known.remove(item);
                } else {
                    // A deletion has a revision too (its tombstone's).
                    self.known.insert(item.clone(), revision);
                }
            }
        }
    }
}

impl Store for ProjectStore {
    fn file(&self) -> Option<&Path> {
        Some(&self.path)
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }

    /// Why the project is read-only, if it is.
    fn read_only(&self) -> Option<ReadOnlyReason> {
        self.read_only
    }

    /// Whether another program held the write lock when the file was opened (changes then
    /// wait until it is free).
    fn locked_at_open(&self) -> bool {
        self.locked_at_open
    }

    /// Why writing stopped for good (the file was moved or replaced), if it did.
    fn detached(&self) -> Option<&Why> {
        self.detached.as_ref()
    }

    /// The project's id.
    fn project_id(&self) -> &str {
        &self.project_id
    }

    /// The revision of an item as last seen in the file (0: not in the file).
    fn known(&self, item: &Item) -> u64 {
        self.known.get(item).copied().unwrap_or(0)
    }

    /// How long a write waits for another writer's lock.
    fn set_lock_wait(&self, wait: Duration) {
        let _ = self.conn.busy_timeout(wait);
    }

    /// [`ProjectStore::write`], telling `progress` how many items are written, every tenth
    /// of the way (for long lists; the transaction commits only at the end).
    fn write_with_progress(
        &mut self,
        items: &[(Item, u64)],
        content: &ProjectContent<'_>,
        mut progress: Option<&mut dyn FnMut(usize)>,
    ) -> Result<Vec<Outcome>, StoreError> {
        if let Some(reason) = self.read_only {
            return Err(StoreError::ReadOnly {
                file: self.path.display().to_string(),
                why: reason.why(),
            });
        }
        self.check_identity()?;
        let path = self.path.clone();
        self.forget_cache_if_touched();
        let sql = |e: rusqlite::Error| (why_of(&e, &path), e);
        let mut tx = match self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
        {
            Ok(tx) => tx,
            Err(e) => return Err(write_error(&path, sql(e).0)),
        };
        tx.set_drop_behavior(rusqlite::DropBehavior::Rollback);
        // The transaction borrows the connection; the checks and writes below use the
        // connection only through it.
        let conn: &Connection = &tx;
        // Looked at again now that this store holds the write lock: whoever replaces the
        // file while holding the lock cannot slip in between this look and the commit, and
        // nothing (not even the journal) has been written yet.
        let now = file_identity(&path);
        let (id, counter) = match guard_of(conn) {
            Ok(g) => g,
            Err(e) => {
                drop(tx);
                return Err(write_error(&path, sql(e).0));
            }
        };
        let was = (
            self.identity,
            self.project_id.as_str(),
            self.highest_counter,
        );
        if let Some(why) = replaced(was, now, &id, counter) {
            drop(tx);
            return Err(self.detach(why));
        }
        let quiet = counter == self.merged_counter;
        let mut effects = Effects::default();
        let mut outcomes = Vec::with_capacity(items.len());
        let written = (|| -> rusqlite::Result<Option<WrittenClasses>> {
            let step = (items.len() / 10).max(1);
            for (k, (item, base)) in items.iter().enumerate() {
                outcomes.push(write_item(conn, item, *base, content, &mut effects)?);
                if (k + 1) % step == 0
                    && let Some(report) = progress.as_mut()
                {
                    report(k + 1);
                }
            }
            update_counts(conn, content, &self.rows, &effects)?;
            let classes = if quiet && (effects.classification || self.derived_stale) {
                let previous = if effects.layer_rewritten {
                    None
                } else {
                    self.written_classes.as_ref()
                };
                Some(update_classification(conn, content, &self.rows, previous)?)
            } else {
                None
            };
            schema::put_setting(conn, COUNTER, &(counter + 1).to_string())?;
            Ok(classes)
        })();
        let written = match written {
            Ok(w) => w,
            Err(e) => {
                drop(tx);
                return Err(self.fail(sql(e).0));
            }
        };
        if let Err(e) = tx.commit() {
            return Err(self.fail(sql(e).0));
        }
        self.committed(counter, quiet, &effects, written, content);
        self.learn_outcomes(items, &outcomes);
        Ok(outcomes)
    }

    /// Whether the classification columns wait for a write after the next look.
    fn derived_stale(&self) -> bool {
        self.derived_stale
    }

    /// Looks for changes other writers committed since the last look: None when there are
    /// none (a cheap check of SQLite's `data_version`), else every changed item with its
    /// value now. Fails when the file was moved or replaced.
    fn poll(&mut self, region: &Region) -> Result<Option<Foreign>, StoreError> {
        self.check_identity()?;
        let path = self.path.clone();
        let stamp = file_stamp(&path);
        let touched = self.forget_cache_if_touched();
        let fail = |e: rusqlite::Error| why_of(&e, &path);
        let tx = match self.conn.transaction() {
            Ok(tx) => tx,
            Err(e) => return Err(write_error(&path, fail(e))),
        };
        let conn: &Connection = &tx;
        // The first read takes the shared lock; nobody commits while it is held.
        let looked = (|| -> rusqlite::Result<Option<(i64, String, i64)>> {
            let (id, counter) = guard_of(conn)?;
            let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
            if Some(version) == self.data_version && !touched {
                return Ok(None);
            }
            Ok(Some((version, id, counter)))
        })();
        let (version, id, counter) = match looked {
            Ok(None) => return Ok(None),
            Ok(Some(v)) => v,
            Err(e) => {
                drop(tx);
                return Err(self.fail(fail(e)));
            }
        };
        if id != self.project_id || counter < self.highest_counter {
            drop(tx);
            return Err(self.detach(Why::Replaced));
        }
        let read = read_changes(conn, &self.known);
        let _ = tx.commit();
        let (changed, layer_changed) = match read {
            Ok(r) => r,
            Err(e) => return Err(self.fail(fail(e))),
        };
        for (item, _, revision) in &changed {
            if *revision == 0 {
                self.known.remove(item);
            } else {
                self.known.insert(item.clone(), *revision);
            }
        }
        if layer_changed {
            self.rows = layer_rows(&self.conn, region);
            self.written_classes = None;
        }
        self.data_version = Some(version);
        self.stamp = stamp;
        self.merged_counter = counter;
        self.highest_counter = self.highest_counter.max(counter);
        if changed.is_empty() {
            return Ok(None);
        }
        Ok(Some(Foreign {
            changed,
            conflicts: Vec::new(),
        }))
    }

    /// A second connection to the same project for a long write on another thread (a
    /// measure list of 100,000 rows): the same file guards (identity, project id, counter),
    /// its own lock wait, no items known (it writes new ones). What it writes reaches this
    /// store like any other writer's change, unless [`ProjectStore::learn`] is told.
    fn second(&self, lock_wait: Duration) -> Result<Box<dyn Store>, StoreError> {
        if let Some(reason) = self.read_only {
            return Err(StoreError::ReadOnly {
                file: self.path.display().to_string(),
                why: reason.why(),
            });
        }
        if let Some(why) = &self.detached {
            return Err(self.fail(why.clone()));
        }
        let conn = Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .and_then(|c| configure(&c, lock_wait).map(|()| c))
            .map_err(|e| self.fail(why_of(&e, &self.path)))?;
        Ok(Box::new(ProjectStore {
            conn,
            path: self.path.clone(),
            read_only: None,
            detached: None,
            locked_at_open: false,
            project_id: self.project_id.clone(),
            identity: self.identity,
            stamp: self.stamp,
            known: HashMap::new(),
            data_version: None,
            merged_counter: self.merged_counter,
            highest_counter: self.highest_counter,
            derived_stale: false,
            rows: self.rows.clone(),
            written_classes: None,
        }))
    }

    /// Takes in revisions another connection of this program wrote for this store's map
    /// (so a later look does not take them for someone else's changes).
    fn learn(&mut self, written: &[(Item, u64)]) {
        for (item, revision) in written {
            if *revision > 0 {
                self.known.insert(item.clone(), *revision);
            }
        }
    }

    fn shown_at(&mut self, item: &Item, revision: u64) {
        if revision == 0 {
            self.known.remove(item);
        } else {
            self.known.insert(item.clone(), revision);
        }
        // The file may not change again: the next look reads it anyway.
        self.data_version = None;
    }

    #[cfg(feature = "test-hooks")]
    fn limit_pages_for_test(&self, pages: u32) {
        let _ = self.limit_pages(pages);
    }
}

/// The project id and change counter, read so that a failed read (a lock held while another
/// writer commits) is an error and never mistaken for another file.
fn guard_of(conn: &Connection) -> rusqlite::Result<(String, i64)> {
    use rusqlite::OptionalExtension;
    let read = |key: &str| -> rusqlite::Result<Option<String>> {
        conn.prepare_cached(&format!(
            "SELECT value FROM {} WHERE key = ?1",
            super::SETTINGS
        ))?
        .query_row([key], |r| r.get::<_, String>(0))
        .optional()
    };
    let id = read(PROJECT_ID)?.unwrap_or_default();
    let counter = read(COUNTER)?.and_then(|c| c.parse().ok()).unwrap_or(0);
    Ok((id, counter))
}

fn write_error(path: &Path, why: Why) -> StoreError {
    StoreError::Write {
        file: path.display().to_string(),
        why,
    }
}

/// Writes one item where its revision is still `base`.
fn write_item(
    tx: &Connection,
    item: &Item,
    base: u64,
    content: &ProjectContent<'_>,
    effects: &mut Effects,
) -> rusqlite::Result<Outcome> {
    let written = |revision| Outcome::Written {
        revision,
        number: None,
    };
    match item {
        Item::Measure(uid) => write_measure(tx, *uid, base, content, effects),
        Item::ViewSettings => {
            schema::put_setting(tx, "view", &view_settings_json(content.view))?;
            Ok(written(0))
        }
        _ => {
            let Some((kind, key)) = rows::object_key(item) else {
                return Ok(written(0));
            };
            let mine = value_of(item, content);
            match rows::write_object(tx, kind, &key, mine.as_deref(), base)? {
                ObjectWrite::Done(revision) => {
                    if item.moves_classification() {
                        effects.classification = true;
                    }
                    if *item == Item::IndicatorValues && mine.is_some() {
                        schema::write_layer(tx, &content.map)?;
                        effects.layer_rewritten = true;
                    }
                    Ok(written(revision))
                }
                ObjectWrite::Clash(theirs, revision) => Ok(Outcome::Conflict {
                    theirs: theirs.and_then(|t| rows::theirs_of(kind, &t)),
                    revision,
                }),
            }
        }
    }
}

fn write_measure(
    tx: &Connection,
    uid: Uid,
    base: u64,
    content: &ProjectContent<'_>,
    effects: &mut Effects,
) -> rusqlite::Result<Outcome> {
    let mine = content.measures.get(uid);
    let before = rows::linked_codes(tx, uid)?;
    // What the file holds when the write does not fit its base: theirs, or the same value
    // (a retry whose answer was lost), or a deletion.
    let clash = |tx: &Connection| -> rusqlite::Result<Outcome> {
        Ok(match rows::read_measure(tx, uid)? {
            Some((theirs, revision)) if mine.is_some_and(|m| same_measure(m, &theirs)) => {
                Outcome::Written {
                    revision,
                    number: Some(theirs.id),
                }
            }
            Some((theirs, revision)) => Outcome::Conflict {
                theirs: Some(ItemValue::Measure(Box::new(theirs))),
                revision,
            },
            None => {
                let deleted_at = rows::tombstone(tx, uid)?.unwrap_or(0);
                if mine.is_none() {
                    // Deleted here and there: nothing to keep apart.
                    Outcome::Written {
                        revision: deleted_at,
                        number: None,
                    }
                } else {
                    Outcome::Conflict {
                        theirs: None,
                        revision: deleted_at,
                    }
                }
            }
        })
    };
    let outcome = match mine {
        None if base == 0 => Outcome::Written {
            revision: 0,
            number: None,
        },
        None => {
            if rows::delete_measure(tx, uid, base)? {
                Outcome::Written {
                    revision: base + 1,
                    number: None,
                }
            } else {
                clash(tx)?
            }
        }
        Some(m) => {
            if rows::update_measure(tx, m, base)? {
                Outcome::Written {
                    revision: base + 1,
                    number: None,
                }
            } else {
                match rows::insert_measure(tx, m, base)? {
                    rows::Insert::Done { number, revision } => Outcome::Written {
                        revision,
                        number: Some(number),
                    },
                    rows::Insert::Exists | rows::Insert::Deleted => clash(tx)?,
                }
            }
        }
    };
    if matches!(outcome, Outcome::Written { .. }) {
        effects.codes.extend(before);
        if let Some(m) = mine {
            effects.codes.extend(m.areas.iter().cloned());
        }
    }
    Ok(outcome)
}

/// Recounts the measures of the areas a transaction touched (all after a layer rewrite),
/// from the link table: right whoever wrote the links.
fn update_counts(
    tx: &Connection,
    content: &ProjectContent<'_>,
    rows: &[Option<i64>],
    effects: &Effects,
) -> rusqlite::Result<()> {
    let region = content.map.region;
    let mut stmt = tx.prepare_cached(&format!(
        "UPDATE {LAYER} SET {} = (SELECT count(*) FROM {LINKS} WHERE code = ?1) WHERE fid = ?2",
        quote(MEASURE_COUNT)
    ))?;
    if effects.layer_rewritten {
        for (i, space) in region.spaces.iter().enumerate() {
            stmt.execute(params![space.code, (i + 1) as i64])?;
        }
        return Ok(());
    }
    for code in &effects.codes {
        let Some(i) = region.space_by_code(code) else {
            continue;
        };
        if let Some(Some(fid)) = rows.get(i) {
            stmt.execute(params![code, fid])?;
        }
    }
    Ok(())
}

/// The classification columns as they are now.
fn classes_of(content: &ProjectContent<'_>) -> WrittenClasses {
    let c = content.map.classification;
    (0..content.map.region.spaces.len())
        .map(|i| {
            (
                c.by_rules.get(i).map(|f| f.bits()),
                c.fields.get(i).map(|f| f.bits()),
            )
        })
        .collect()
}

/// Writes the classification columns of the rows that differ from `written` (all when
/// unknown): a rule edit usually moves a few areas, and 11,000 row updates cost 24 ms.
fn update_classification(
    tx: &Connection,
    content: &ProjectContent<'_>,
    rows: &[Option<i64>],
    written: Option<&WrittenClasses>,
) -> rusqlite::Result<WrittenClasses> {
    let now = classes_of(content);
    let c = content.map.classification;
    let mut stmt = tx.prepare_cached(&format!(
        "UPDATE {LAYER} SET handlungsfelder_regeln = ?1, handlungsfelder_final = ?2 WHERE fid = ?3"
    ))?;
    for (i, classes) in now.iter().enumerate() {
        if written.is_some_and(|w| w.get(i) == Some(classes)) {
            continue;
        }
        let Some(Some(fid)) = rows.get(i) else {
            continue;
        };
        stmt.execute(params![
            c.by_rules.get(i).map(|f| f.to_numbers()),
            c.fields.get(i).map(|f| f.to_numbers()),
            fid
        ])?;
    }
    Ok(now)
}

/// Reads what differs from `known`: changed or new items with their values, deleted items
/// with None. Also says whether the indicator values changed (the layer was rewritten).
fn read_changes(
    conn: &Connection,
    known: &HashMap<Item, u64>,
) -> rusqlite::Result<(Vec<Changed>, bool)> {
    let mut changed = Vec::new();
    let revisions = rows::measure_revisions(conn)?;
    let present: HashSet<Uid> = revisions.iter().map(|(u, _)| *u).collect();
    let new_or_changed: HashSet<Uid> = revisions
        .iter()
        .filter(|(uid, rev)| known.get(&Item::Measure(*uid)) != Some(rev))
        .map(|(u, _)| *u)
        .collect();
    if new_or_changed.len() > 64 {
        for (m, revision) in rows::read_measures(conn, true)? {
            if new_or_changed.contains(&m.uid) {
                changed.push((
                    Item::Measure(m.uid),
                    Some(ItemValue::Measure(Box::new(m))),
                    revision,
                ));
            }
        }
    } else {
        let mut uids: Vec<Uid> = new_or_changed.into_iter().collect();
        uids.sort();
        for uid in uids {
            if let Some((m, revision)) = rows::read_measure(conn, uid)? {
                changed.push((
                    Item::Measure(uid),
                    Some(ItemValue::Measure(Box::new(m))),
                    revision,
                ));
            }
        }
    }
    // Measures this store knows that are gone: at the revision of their deletion.
    let deleted: HashMap<Uid, u64> = rows::tombstones(conn)?.into_iter().collect();
    let mut gone: Vec<(Uid, u64)> = known
        .iter()
        .filter_map(|(item, revision)| match item {
            Item::Measure(uid) if !present.contains(uid) => {
                let at = deleted.get(uid).copied().unwrap_or(0);
                (at != *revision).then_some((*uid, at))
            }
            _ => None,
        })
        .collect();
    gone.sort();
    changed.extend(
        gone.into_iter()
            .map(|(uid, at)| (Item::Measure(uid), None, at)),
    );
    let mut objects_present = HashSet::new();
    let mut layer_changed = false;
    for (kind, key, content, revision) in rows::read_objects(conn)? {
        let Some(item) = rows::item_of(&kind, &key) else {
            continue;
        };
        objects_present.insert(item.clone());
        if known.get(&item).copied().unwrap_or(0) == revision {
            continue;
        }
        if item == Item::IndicatorValues {
            layer_changed = true;
        }
        let value = content.and_then(|c| rows::theirs_of(&kind, &c));
        changed.push((item, value, revision));
    }
    // Objects removed by another program (their rows gone altogether).
    let mut lost: Vec<&Item> = known
        .keys()
        .filter(|item| {
            !matches!(item, Item::Measure(_) | Item::ViewSettings)
                && !objects_present.contains(*item)
        })
        .collect();
    lost.sort();
    changed.extend(lost.into_iter().map(|item| (item.clone(), None, 0)));
    Ok((changed, layer_changed))
}
