//! The project file: one GeoPackage holding the Sozialräume layer, the measures and their links
//! to areas, and everything planners set up (catalogue, rules, overrides, view settings).
//!
//! Every change is its own SQLite transaction, committed before the call returns, with the
//! rollback journal and `synchronous = FULL`: when a call returned Ok, the change is on disk, and
//! a crash or kill at any moment leaves the file as it was before or after, never between. The
//! journal mode (not WAL) keeps the project one self-contained file that can be copied or
//! mailed at any time. A failed write (full disk, I/O error, lock) leaves the store marked
//! out of date; the next write then rewrites everything in one transaction, so the file never
//! holds a later change without an earlier one.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

use super::error::ImportError;
use super::export_geojson::{MEASURE_COUNT, MapExport, atlas_meta, feature_properties};
use super::gpkg::{self, quote};
use super::wkb::{polygons_of, write_gpkg};
use super::{ImportOptions, Imported, Progress};
use crate::model::{
    ActionFieldSet, Date, Measure, MeasureId, MeasureRegister, Priority, Responsibility, Status,
    Timestamp,
};

/// The Sozialräume layer.
pub const LAYER: &str = "sozialraeume";
/// The measures table.
pub const MEASURES: &str = "massnahmen";
/// Measure ↔ area links.
pub const LINKS: &str = "massnahmen_sozialraeume";
/// Project settings (key/value).
pub const SETTINGS: &str = "atlas_projekt";
/// Columns of the layer computed from the project, dropped when the layer is read back.
pub const DERIVED_COLUMNS: &[&str] = &[
    "handlungsfelder_regeln",
    "handlungsfelder_final",
    MEASURE_COUNT,
];
/// The project format this version writes and the newest it reads.
pub const FORMAT_VERSION: i64 = 1;

/// Why the project file could not be written or opened.
#[derive(Debug, Error)]
pub enum StoreError {
    /// SQLite reported a problem.
    #[error("{file}: {source}")]
    Sqlite {
        /// The file.
        file: String,
        /// The cause.
        source: rusqlite::Error,
    },
    /// A file operation failed.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A new project file could not be written (nothing was replaced).
    #[error("{file}: cannot be written: {source}")]
    Create {
        /// The file.
        file: String,
        /// The cause.
        source: rusqlite::Error,
    },
    /// The project is open read-only.
    #[error("{file}: the project is open read-only")]
    ReadOnly {
        /// The file.
        file: String,
    },
}

impl StoreError {
    /// The message in the user's language, saying that nothing on screen is lost.
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        let de = lang == crate::i18n::Lang::De;
        match self {
            StoreError::Create { file, source } => {
                let why = sqlite_why(source, de);
                if de {
                    format!("{file}: kann nicht geschrieben werden ({why}).")
                } else {
                    format!("{file}: cannot be written ({why}).")
                }
            }
            StoreError::Sqlite { file, source } => {
                let why = sqlite_why(source, de);
                if de {
                    format!(
                        "{file}: Speichern fehlgeschlagen ({why}). Die Änderung ist im Programm erhalten; bitte mit „Speichern unter …“ an einem anderen Ort sichern."
                    )
                } else {
                    format!(
                        "{file}: saving failed ({why}). The change is kept in the program; please use \"Save as …\" to save it elsewhere."
                    )
                }
            }
            StoreError::Io { file, source } => {
                let why = super::error::io_reason(source, lang);
                if de {
                    format!("{file}: kann nicht geschrieben werden: {why}")
                } else {
                    format!("{file}: cannot be written: {why}")
                }
            }
            StoreError::ReadOnly { file } => {
                if de {
                    format!(
                        "{file}: das Projekt ist nur zum Lesen geöffnet. Mit „Speichern unter …“ eine bearbeitbare Kopie anlegen."
                    )
                } else {
                    format!(
                        "{file}: the project is open read-only. Use \"Save as …\" to make an editable copy."
                    )
                }
            }
        }
    }
}

/// Why SQLite failed, in words for planners.
fn sqlite_why(source: &rusqlite::Error, de: bool) -> String {
    let text = match source.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => ("Datenträger voll", "disk full"),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => (
            "die Datei ist von einem anderen Programm gesperrt",
            "the file is locked by another program",
        ),
        Some(ErrorCode::ReadOnly) => ("schreibgeschützt", "read-only"),
        Some(ErrorCode::CannotOpen) => (
            "Ordner fehlt oder keine Schreibberechtigung",
            "folder missing or not writable",
        ),
        Some(ErrorCode::SystemIoFailure) => ("Ein-/Ausgabefehler", "I/O error"),
        _ => return source.to_string(),
    };
    (if de { text.0 } else { text.1 }).to_string()
}

/// How the map was shown, stored with the project.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredView {
    /// "handlungsfelder", "abdeckung", or an indicator key.
    pub colouring: String,
    /// Break method of an indicator view.
    #[serde(default)]
    pub method: Option<String>,
    /// Number of classes of an indicator view.
    #[serde(default)]
    pub classes: Option<usize>,
    /// Visible Handlungsfelder, e.g. "1,2,4".
    #[serde(default)]
    pub visible_fields: Option<String>,
    /// Code labels on.
    #[serde(default)]
    pub show_labels: Option<bool>,
    /// Municipality borders on.
    #[serde(default)]
    pub show_borders: Option<bool>,
    /// Measure badges on.
    #[serde(default)]
    pub show_badges: Option<bool>,
    /// The municipality in focus, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<String>,
    /// Handlungsfelder hatched (readable without colour).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_patterns: Option<bool>,
    /// The saved views ("Ansichten"), in the planner's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<SavedView>,
}

/// A named view for workshops: the part of the map and how it is coloured, with the
/// municipality in focus.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedView {
    /// The name shown as the title in presentation mode.
    pub name: String,
    /// The planar box shown (min x, min y, max x, max y).
    pub extent: [f64; 4],
    /// Colouring, classes, visible fields, focus (its own `views` stay empty).
    pub settings: StoredView,
}

/// Everything a project file holds.
pub struct ProjectContent<'a> {
    /// The map with its classification; its `measures` are counted into the layer.
    pub map: MapExport<'a>,
    /// The measures.
    pub measures: &'a MeasureRegister,
    /// The view settings.
    pub view: &'a StoredView,
}

/// Why a project opened read-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOnlyReason {
    /// The file's permissions do not allow writing.
    Permissions,
    /// Another program holds a write lock.
    Locked,
}

/// An open project file.
pub struct ProjectStore {
    conn: Connection,
    path: PathBuf,
    read_only: Option<ReadOnlyReason>,
    /// A write failed: the file misses changes the program holds.
    out_of_date: bool,
    /// The classification columns as last committed, if known.
    written_classes: Option<WrittenClasses>,
    /// The layer's row (fid) of each area, by position in the region.
    rows: Vec<Option<i64>>,
    /// The layer was edited by another program: the next write rewrites it in order.
    layer_edited: bool,
}

impl std::fmt::Debug for ProjectStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProjectStore({})", self.path.display())
    }
}

/// A project read from its file.
pub struct OpenedProject {
    /// The map.
    pub imported: Imported,
    /// The measures.
    pub measures: MeasureRegister,
    /// The stored view.
    pub view: StoredView,
    /// The open file.
    pub store: ProjectStore,
}

/// Whether a file is a project of this program (a GeoPackage with its settings table).
pub fn is_project(path: &Path) -> bool {
    let Ok(conn) = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return false;
    };
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE name = ?1",
        [SETTINGS],
        |r| r.get::<_, i64>(0),
    )
    .is_ok_and(|n| n > 0)
}

/// Reads the project metadata (`atlas` member content) of a project file, checking its format.
/// None when the file is a plain GeoPackage.
pub fn read_meta(conn: &Connection, file: &str) -> Result<Option<Value>, ImportError> {
    let has: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = ?1",
            [SETTINGS],
            |r| r.get(0),
        )
        .unwrap_or(0);
    if has == 0 {
        return Ok(None);
    }
    let version = setting(conn, "format_version")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    if version > FORMAT_VERSION {
        return Err(ImportError::NewerProject {
            file: file.to_string(),
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let meta = setting(conn, "atlas").and_then(|t| serde_json::from_str(&t).ok());
    Ok(meta)
}

fn setting(conn: &Connection, key: &str) -> Option<String> {
    conn.query_row(
        &format!("SELECT value FROM {SETTINGS} WHERE key = ?1"),
        [key],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .ok()
    .flatten()
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    gpkg::register_functions(conn)?;
    conn.busy_timeout(Duration::from_millis(1500))?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Writes a whole project into a new file at `path` (via a temporary file that replaces the
/// target only when complete) and opens it.
pub fn create(path: &Path, content: &ProjectContent<'_>) -> Result<ProjectStore, StoreError> {
    let file = path.display().to_string();
    let tmp = temporary_beside(path);
    let _ = std::fs::remove_file(&tmp);
    let sql = |source| StoreError::Create {
        file: file.clone(),
        source,
    };
    let result = (|| -> Result<(), StoreError> {
        let mut conn = Connection::open(&tmp).map_err(sql)?;
        configure(&conn).map_err(sql)?;
        let tx = conn.transaction().map_err(sql)?;
        gpkg::create_core(&tx).map_err(sql)?;
        create_project_tables(&tx).map_err(sql)?;
        write_everything(&tx, content).map_err(sql)?;
        tx.commit().map_err(sql)?;
        conn.close().map_err(|(_, e)| sql(e))?;
        let f = std::fs::File::open(&tmp).map_err(|source| StoreError::Io {
            file: file.clone(),
            source,
        })?;
        f.sync_all().map_err(|source| StoreError::Io {
            file: file.clone(),
            source,
        })?;
        std::fs::rename(&tmp, path).map_err(|source| StoreError::Io {
            file: file.clone(),
            source,
        })?;
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
    let conn = Connection::open(path).map_err(sql)?;
    configure(&conn).map_err(sql)?;
    Ok(ProjectStore {
        conn,
        path: path.to_path_buf(),
        read_only: None,
        out_of_date: false,
        written_classes: None,
        rows: identity_rows(content.map.region.spaces.len()),
        layer_edited: false,
    })
}

/// Rows as written by this program: area `i` is fid `i + 1`.
fn identity_rows(n: usize) -> Vec<Option<i64>> {
    (1..=n as i64).map(Some).collect()
}

/// The fid of each area's row, matched by code. Also says whether the layer is exactly one
/// row per area in order (else someone edited it, e.g. in QGIS).
fn layer_rows(conn: &Connection, region: &crate::model::Region) -> (Vec<Option<i64>>, bool) {
    let mut rows = vec![None; region.spaces.len()];
    let mut count = 0usize;
    if let Ok(mut stmt) = conn.prepare(&format!("SELECT fid, code FROM {LAYER} ORDER BY fid")) {
        let read = stmt.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
        });
        if let Ok(read) = read {
            for (fid, code) in read.flatten() {
                count += 1;
                if let Some(i) = code.as_deref().and_then(|c| region.space_by_code(c))
                    && rows[i].is_none()
                {
                    rows[i] = Some(fid);
                }
            }
        }
    }
    let in_order = count == rows.len() && rows == identity_rows(rows.len());
    (rows, in_order)
}

fn temporary_beside(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}

fn create_project_tables(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "CREATE TABLE {SETTINGS} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
         CREATE TABLE {MEASURES} (
           id INTEGER PRIMARY KEY NOT NULL, titel TEXT NOT NULL, beschreibung TEXT NOT NULL,
           handlungsfelder TEXT NOT NULL, sozialraeume TEXT NOT NULL, kommunen TEXT NOT NULL,
           verantwortung TEXT NOT NULL, federfuehrung TEXT NOT NULL, partner TEXT NOT NULL,
           status TEXT NOT NULL, beginn TEXT, ende TEXT, budget_eur REAL, prioritaet TEXT,
           notizen TEXT NOT NULL, erstellt TEXT NOT NULL, geaendert TEXT NOT NULL);
         CREATE TABLE {LINKS} (
           massnahme_id INTEGER NOT NULL REFERENCES {MEASURES}(id) ON DELETE CASCADE,
           code TEXT NOT NULL, position INTEGER NOT NULL,
           PRIMARY KEY (massnahme_id, code));"
    ))?;
    gpkg::register_table(
        conn,
        SETTINGS,
        SETTINGS,
        "Sozialraum-Atlas: Projekteinstellungen",
        None,
    )?;
    gpkg::register_table(conn, MEASURES, "Maßnahmen", "Geplante Maßnahmen", None)?;
    gpkg::register_table(
        conn,
        LINKS,
        "Maßnahmen je Sozialraum",
        "Verknüpfung Maßnahme – Sozialraum (Code)",
        None,
    )?;
    Ok(())
}

/// The SQL type of a column from its values: INTEGER or REAL when every value is such a
/// number (or null), else TEXT.
fn column_type(values: &[&Value]) -> &'static str {
    let mut kind = "INTEGER";
    for v in values {
        match v {
            Value::Null => {}
            Value::Number(n) if n.is_i64() && kind == "INTEGER" => {}
            Value::Number(_) => kind = "REAL",
            Value::Bool(_) if kind == "INTEGER" => {}
            _ => return "TEXT",
        }
    }
    kind
}

fn write_layer(tx: &Connection, map: &MapExport<'_>) -> rusqlite::Result<()> {
    let region = map.region;
    let epsg = region.crs.epsg;
    gpkg::register_epsg(tx, epsg)?;
    let rows: Vec<serde_json::Map<String, Value>> = (0..region.spaces.len())
        .map(|i| feature_properties(map, i))
        .collect();
    let mut columns: Vec<String> = Vec::new();
    for row in &rows {
        for k in row.keys() {
            let taken = ["fid", "geom"].contains(&k.to_lowercase().as_str());
            if !taken && !columns.iter().any(|c| c.eq_ignore_ascii_case(k)) {
                columns.push(k.clone());
            }
        }
    }
    let types: Vec<&str> = columns
        .iter()
        .map(|c| {
            let values: Vec<&Value> = rows.iter().filter_map(|r| r.get(c)).collect();
            column_type(&values)
        })
        .collect();
    let defs: Vec<String> = columns
        .iter()
        .zip(&types)
        .map(|(c, t)| format!("{} {t}", quote(c)))
        .collect();
    gpkg::drop_feature_table(tx, LAYER)?;
    tx.execute_batch(&format!(
        "CREATE TABLE {LAYER} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom MULTIPOLYGON{}{});",
        if defs.is_empty() { "" } else { ", " },
        defs.join(", ")
    ))?;
    let b = region.spaces.iter().fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |b, s| {
            use geo::BoundingRect;
            match s.geometry.bounding_rect() {
                Some(r) => [
                    b[0].min(r.min().x),
                    b[1].min(r.min().y),
                    b[2].max(r.max().x),
                    b[3].max(r.max().y),
                ],
                None => b,
            }
        },
    );
    gpkg::register_table(
        tx,
        LAYER,
        "Sozialräume",
        "Sozialräume mit Indikatoren, Handlungsfeldern und Zahl der Maßnahmen",
        Some(("geom", epsg, b)),
    )?;
    let placeholders: Vec<String> = (0..columns.len() + 2)
        .map(|i| format!("?{}", i + 1))
        .collect();
    let names: Vec<String> = columns.iter().map(|c| quote(c)).collect();
    // fid = position + 1: the updates of counts and classification address rows by it.
    let mut insert = tx.prepare(&format!(
        "INSERT INTO {LAYER} (fid, geom{}{}) VALUES ({})",
        if names.is_empty() { "" } else { ", " },
        names.join(", "),
        placeholders.join(", ")
    ))?;
    for (i, (space, row)) in region.spaces.iter().zip(&rows).enumerate() {
        let mut values: Vec<rusqlite::types::Value> = Vec::with_capacity(columns.len() + 2);
        values.push(rusqlite::types::Value::Integer(i as i64 + 1));
        values.push(rusqlite::types::Value::Blob(write_gpkg(
            epsg as i32,
            &polygons_of(&space.geometry),
        )));
        for c in &columns {
            values.push(sql_value(row.get(c)));
        }
        insert.execute(rusqlite::params_from_iter(values))?;
    }
    Ok(())
}

fn sql_value(v: Option<&Value>) -> rusqlite::types::Value {
    use rusqlite::types::Value as S;
    match v {
        None | Some(Value::Null) => S::Null,
        Some(Value::Bool(b)) => S::Integer(i64::from(*b)),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) => S::Integer(i),
            None => n.as_f64().map_or(S::Null, S::Real),
        },
        Some(Value::String(s)) => S::Text(s.clone()),
        Some(other) => S::Text(other.to_string()),
    }
}

fn put_setting(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        &format!("INSERT INTO {SETTINGS} (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
        params![key, value],
    )?;
    Ok(())
}

fn write_settings(conn: &Connection, content: &ProjectContent<'_>) -> rusqlite::Result<()> {
    let meta = serde_json::to_string(&atlas_meta(&content.map)).unwrap_or_default();
    put_setting(conn, "format_version", &FORMAT_VERSION.to_string())?;
    put_setting(
        conn,
        "program",
        concat!("Sozialraum-Atlas ", env!("CARGO_PKG_VERSION")),
    )?;
    put_setting(conn, "atlas", &meta)?;
    put_setting(
        conn,
        "next_measure_id",
        &content.measures.next_id().to_string(),
    )?;
    put_setting(
        conn,
        "view",
        &serde_json::to_string(content.view).unwrap_or_default(),
    )?;
    Ok(())
}

fn write_everything(conn: &Connection, content: &ProjectContent<'_>) -> rusqlite::Result<()> {
    write_settings(conn, content)?;
    write_layer(conn, &content.map)?;
    conn.execute(&format!("DELETE FROM {MEASURES}"), [])?;
    for m in content.measures.all() {
        insert_measure(conn, m)?;
    }
    Ok(())
}

fn opt_text(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

fn insert_measure(conn: &Connection, m: &Measure) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT OR REPLACE INTO {MEASURES} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
        ),
        params![
            m.id,
            m.title,
            m.description,
            m.fields.to_numbers(),
            m.areas.join("; "),
            m.municipalities.join("; "),
            m.responsibility.key(),
            m.lead,
            m.partners,
            m.status.key(),
            m.start.map(|d| d.to_string()),
            m.end.map(|d| d.to_string()),
            m.budget_eur,
            m.priority.map(|p| p.key()),
            m.notes,
            m.created.to_string(),
            m.changed.to_string(),
        ],
    )?;
    conn.execute(
        &format!("DELETE FROM {LINKS} WHERE massnahme_id = ?1"),
        [m.id],
    )?;
    let mut link = conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO {LINKS} (massnahme_id, code, position) VALUES (?1, ?2, ?3)"
    ))?;
    for (i, code) in m.areas.iter().enumerate() {
        link.execute(params![m.id, code, i as i64])?;
    }
    Ok(())
}

fn split_list(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn read_measures(conn: &Connection) -> rusqlite::Result<MeasureRegister> {
    let mut links: std::collections::HashMap<MeasureId, Vec<(i64, String)>> =
        std::collections::HashMap::new();
    {
        let mut stmt =
            conn.prepare(&format!("SELECT massnahme_id, code, position FROM {LINKS}"))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (id, code, pos) = row?;
            links.entry(id).or_default().push((pos, code));
        }
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT id, titel, beschreibung, handlungsfelder, sozialraeume, kommunen, verantwortung, federfuehrung, partner, status, beginn, ende, budget_eur, prioritaet, notizen, erstellt, geaendert FROM {MEASURES} ORDER BY id"
    ))?;
    let rows = stmt.query_map([], |r| {
        let id: i64 = r.get(0)?;
        let areas_text: String = r.get(4)?;
        Ok(Measure {
            id,
            title: r.get(1)?,
            description: r.get(2)?,
            fields: parse_fields(&r.get::<_, String>(3)?),
            areas: split_list(&areas_text),
            municipalities: split_list(&r.get::<_, String>(5)?),
            responsibility: Responsibility::parse(&r.get::<_, String>(6)?).unwrap_or_default(),
            lead: r.get(7)?,
            partners: r.get(8)?,
            status: Status::parse(&r.get::<_, String>(9)?).unwrap_or_default(),
            start: opt_text(r.get(10)?).and_then(|t| Date::parse(&t)),
            end: opt_text(r.get(11)?).and_then(|t| Date::parse(&t)),
            budget_eur: r.get(12)?,
            priority: opt_text(r.get(13)?).and_then(|t| Priority::parse(&t)),
            notes: r.get(14)?,
            created: Timestamp::parse(&r.get::<_, String>(15)?).unwrap_or_default(),
            changed: Timestamp::parse(&r.get::<_, String>(16)?).unwrap_or_default(),
        })
    })?;
    let mut measures = Vec::new();
    for row in rows {
        let mut m = row?;
        // The link table is the truth; the text column is for people reading the table.
        if let Some(mut l) = links.remove(&m.id) {
            l.sort();
            m.areas = l.into_iter().map(|(_, c)| c).collect();
        }
        measures.push(m);
    }
    let next = setting(conn, "next_measure_id")
        .and_then(|t| t.parse().ok())
        .unwrap_or(1);
    Ok(MeasureRegister::from_measures(measures, next))
}

/// Parses "1,3" (or "1; 3", or keys) into fields.
pub fn parse_fields(text: &str) -> ActionFieldSet {
    text.split([',', ';', ' '])
        .filter_map(crate::model::ActionField::parse)
        .collect()
}

/// Opens a project file: its map, measures and view, and the store for further changes.
/// Read-only when the file's permissions say so or another program holds a write lock.
pub fn open(
    path: &Path,
    options: &ImportOptions,
    progress: &Progress,
) -> Result<OpenedProject, ImportError> {
    let file = path.display().to_string();
    let imported = super::import_file(path, options, progress)?;
    let sql = |e: rusqlite::Error| {
        ImportError::unusable(
            &file,
            format!("Projektdatei nicht lesbar ({e})."),
            format!("project file not readable ({e})."),
        )
    };
    let permissions_read_only = std::fs::metadata(path)
        .map(|m| m.permissions().readonly())
        .unwrap_or(true);
    let (conn, read_only) = if permissions_read_only {
        (
            gpkg::open_read_only(path)?,
            Some(ReadOnlyReason::Permissions),
        )
    } else {
        match Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE) {
            Ok(conn) => {
                conn.busy_timeout(Duration::from_millis(300)).map_err(sql)?;
                // Probe for the write lock: a program in the middle of writing holds it.
                match conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
                    Ok(()) => {
                        configure(&conn).map_err(sql)?;
                        (conn, None)
                    }
                    Err(e)
                        if matches!(
                            e.sqlite_error_code(),
                            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                        ) =>
                    {
                        (gpkg::open_read_only(path)?, Some(ReadOnlyReason::Locked))
                    }
                    Err(e) if e.sqlite_error_code() == Some(ErrorCode::ReadOnly) => (
                        gpkg::open_read_only(path)?,
                        Some(ReadOnlyReason::Permissions),
                    ),
                    Err(e) => return Err(sql(e)),
                }
            }
            Err(_) => (
                gpkg::open_read_only(path)?,
                Some(ReadOnlyReason::Permissions),
            ),
        }
    };
    let measures = read_measures(&conn).map_err(sql)?;
    let (rows, in_order) = layer_rows(&conn, &imported.region);
    let view = setting(&conn, "view")
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    Ok(OpenedProject {
        imported,
        measures,
        view,
        store: ProjectStore {
            conn,
            path: path.to_path_buf(),
            read_only,
            out_of_date: false,
            written_classes: None,
            rows,
            // A layer edited elsewhere is rewritten in order with the first change.
            layer_edited: !in_order,
        },
    })
}

impl ProjectStore {
    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why the project is read-only, if it is.
    pub fn read_only(&self) -> Option<ReadOnlyReason> {
        self.read_only
    }

    /// Whether a write failed and the file misses changes.
    pub fn is_out_of_date(&self) -> bool {
        self.out_of_date
    }

    fn file(&self) -> String {
        self.path.display().to_string()
    }

    /// Runs `change` in one committed transaction; after an earlier failure, rewrites
    /// everything from `content` instead, so the file catches up in one step.
    fn commit(
        &mut self,
        content: &ProjectContent<'_>,
        change: impl FnOnce(&Transaction<'_>, &[Option<i64>]) -> rusqlite::Result<()>,
    ) -> Result<(), StoreError> {
        if self.read_only.is_some() {
            return Err(StoreError::ReadOnly { file: self.file() });
        }
        let file = self.file();
        let catch_up = self.out_of_date || self.layer_edited;
        if catch_up {
            // Everything is rewritten: what was known to be written no longer says anything.
            self.written_classes = None;
        }
        let rows = std::mem::take(&mut self.rows);
        let result = (|| {
            let tx = self.conn.transaction()?;
            if catch_up {
                write_everything(&tx, content)?;
            } else {
                change(&tx, &rows)?;
            }
            tx.commit()
        })();
        self.rows = if catch_up && result.is_ok() {
            identity_rows(content.map.region.spaces.len())
        } else {
            rows
        };
        match result {
            Ok(()) => {
                self.out_of_date = false;
                self.layer_edited = false;
                Ok(())
            }
            Err(source) => {
                self.out_of_date = true;
                Err(StoreError::Sqlite { file, source })
            }
        }
    }

    /// Stores a new or changed measure, and the measure counts of the layer.
    pub fn put_measure(
        &mut self,
        content: &ProjectContent<'_>,
        measure: &Measure,
    ) -> Result<(), StoreError> {
        self.commit(content, |tx, rows| {
            let mut codes = linked_codes(tx, measure.id)?;
            codes.extend(measure.areas.iter().cloned());
            insert_measure(tx, measure)?;
            put_setting(
                tx,
                "next_measure_id",
                &content.measures.next_id().to_string(),
            )?;
            update_counts(tx, content, rows, &codes)
        })
    }

    /// Deletes a measure (its links go with it), and updates the measure counts.
    pub fn remove_measure(
        &mut self,
        content: &ProjectContent<'_>,
        id: MeasureId,
    ) -> Result<(), StoreError> {
        self.commit(content, |tx, rows| {
            let codes = linked_codes(tx, id)?;
            tx.execute(&format!("DELETE FROM {MEASURES} WHERE id = ?1"), [id])?;
            update_counts(tx, content, rows, &codes)
        })
    }

    /// Stores rules, overrides, catalogue and view, and the layer's classification columns.
    pub fn put_settings(&mut self, content: &ProjectContent<'_>) -> Result<(), StoreError> {
        let written = self.written_classes.take();
        let mut now = None;
        let result = self.commit(content, |tx, rows| {
            write_settings(tx, content)?;
            now = Some(update_classification(tx, content, rows, written.as_ref())?);
            Ok(())
        });
        // Only a committed write is known to be in the file.
        self.written_classes = if result.is_ok() { now } else { None };
        result
    }

    /// Rewrites the whole project (after indicators changed, the layer's columns change).
    pub fn put_everything(&mut self, content: &ProjectContent<'_>) -> Result<(), StoreError> {
        self.written_classes = None;
        let result = self.commit(content, |tx, _| write_everything(tx, content));
        if result.is_ok() {
            self.rows = identity_rows(content.map.region.spaces.len());
        }
        result
    }

    /// Test hook: limits the file size so that writes fail as on a full disk.
    #[doc(hidden)]
    pub fn limit_pages_for_test(&self, pages: u32) -> rusqlite::Result<()> {
        self.conn.pragma_update(None, "max_page_count", pages)
    }
}

/// The area codes a stored measure is linked to.
fn linked_codes(tx: &Connection, id: MeasureId) -> rusqlite::Result<Vec<String>> {
    let mut stmt =
        tx.prepare_cached(&format!("SELECT code FROM {LINKS} WHERE massnahme_id = ?1"))?;
    let rows = stmt.query_map([id], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// Rewrites the measure count of the areas with these codes (those a change touched: a
/// commit then costs the same for 93 areas or 11,000).
fn update_counts(
    tx: &Connection,
    content: &ProjectContent<'_>,
    rows: &[Option<i64>],
    codes: &[String],
) -> rusqlite::Result<()> {
    let region = content.map.region;
    let mut stmt = tx.prepare_cached(&format!(
        "UPDATE {LAYER} SET {} = ?1 WHERE fid = ?2",
        quote(MEASURE_COUNT)
    ))?;
    let mut done: Vec<usize> = Vec::new();
    for code in codes {
        let Some(i) = region.space_by_code(code) else {
            continue;
        };
        if done.contains(&i) {
            continue;
        }
        done.push(i);
        let n = content
            .measures
            .all()
            .iter()
            .filter(|m| m.concerns(code))
            .count() as i64;
        if let Some(Some(fid)) = rows.get(i) {
            stmt.execute(params![n, fid])?;
        }
    }
    Ok(())
}

/// The two classification columns of every row, as written.
type WrittenClasses = Vec<(Option<u8>, Option<u8>)>;

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
