//! The project file: one GeoPackage holding the Sozialräume layer, the measures and their links
//! to areas, and everything planners set up (catalogue, rules, overrides, saved views, view
//! settings) — written by several programs at once without one overwriting another.
//!
//! Many writers, one truth: every item (a measure, the rule set, an override, a saved view,
//! the catalogue, the indicator values) has a stable id and a revision. A write names the
//! revision it was based on and is checked against it in the same transaction
//! ([`Store::write`](crate::io::store::Store::write)); another writer's newer value is reported as a conflict, never
//! overwritten. Nothing rewrites a table from memory: a failed write is retried as the same
//! items. Other writers' commits are found by [`Store::poll`](crate::io::store::Store::poll) (SQLite's
//! `data_version`). A file moved or replaced while open is noticed before the next write.
//!
//! The rollback journal (not WAL) keeps the project one self-contained file that can be
//! copied or mailed at any time; `synchronous = FULL` makes a returned write a durable one.

mod error;
pub(crate) mod rows;
mod schema;
mod store;

use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use serde_json::Value;

pub use error::{folder_is_writable, why_not_writable};
pub(crate) use store::connect_file;
pub use store::{ProjectStore, WINDOW_LOCK_WAIT, create, new_uid, open, open_to_read, sort_views};

use super::store::StoredView;

use super::Imported;
use super::error::ImportError;
use super::export_geojson::MEASURE_COUNT;
use crate::model::{ActionFieldSet, MeasureRegister};

/// The Sozialräume layer.
pub const LAYER: &str = "sozialraeume";
/// The measures table.
pub const MEASURES: &str = "massnahmen";
/// Measure ↔ area links.
pub const LINKS: &str = "massnahmen_sozialraeume";
/// Project settings (key/value).
pub const SETTINGS: &str = "atlas_projekt";
/// Rules, overrides, saved views and the catalogue, each with a revision.
pub const OBJECTS: &str = "atlas_objekte";
/// The uid and last revision of every deleted measure.
pub const TOMBSTONES: &str = "massnahmen_geloescht";
/// Columns of the layer computed from the project, dropped when the layer is read back.
pub const DERIVED_COLUMNS: &[&str] = &[
    "handlungsfelder_regeln",
    "handlungsfelder_final",
    MEASURE_COUNT,
];
/// Series of the indicators: one row per area, indicator and year.
pub const SERIES: &str = "atlas_zeitreihen";
/// The newest project format this version reads (1: before revisions; 3: with series of
/// several years, written only when there are some, so that a project without years still
/// opens in a version before years).
pub const FORMAT_VERSION: i64 = 3;
/// The format of a project without series, with revisions: every older project is migrated
/// to it on opening.
pub const FORMAT_WITHOUT_SERIES: i64 = 2;

/// What a file is, for opening it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A project of this program.
    Project,
    /// An SQLite file SQLite finds damaged (possibly a project): opened as a project, which
    /// names the damage.
    Damaged,
    /// Anything else (a plain GeoPackage, GeoJSON, …).
    Other,
}

/// Tells a project (or a damaged SQLite file) from any other file.
pub fn kind(path: &Path) -> Kind {
    if !looks_like_sqlite(path) {
        return Kind::Other;
    }
    super::gpkg::recover(path);
    if is_project(path) {
        return Kind::Project;
    }
    if store::is_damaged(path) {
        return Kind::Damaged;
    }
    Kind::Other
}

/// A project read from its file.
pub struct OpenedProject {
    /// The map.
    pub imported: Imported,
    /// The measures.
    pub measures: MeasureRegister,
    /// The stored view, with the saved views.
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

/// Whether a file starts like an SQLite database (a project, or one damaged so far that it
/// no longer reads as one).
pub fn looks_like_sqlite(path: &Path) -> bool {
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && &head == b"SQLite format 3\0"
}

/// Reads the project metadata (`atlas` member content) of a project file, checking its
/// format: the stored map metadata with the catalogue, rules and overrides from their own
/// rows. None when the file is a plain GeoPackage.
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
    let version = schema::format_of(conn);
    if version > FORMAT_VERSION {
        return Err(ImportError::NewerProject {
            file: file.to_string(),
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let mut meta: Option<Value> =
        schema::setting(conn, "atlas").and_then(|t| serde_json::from_str(&t).ok());
    if version >= 2
        && let Some(Value::Object(m)) = meta.as_mut()
        && let Ok(objects) = rows::read_objects(conn)
    {
        let mut fields = Vec::new();
        let mut overrides = Vec::new();
        for (kind, _, content, _) in objects {
            let Some(Ok(value)) = content.map(|c| serde_json::from_str::<Value>(&c)) else {
                continue;
            };
            match kind.as_str() {
                rows::CATALOGUE => {
                    m.insert("indicators".into(), value);
                }
                rows::RULES => {
                    if let Some(f) = value.get("feld").and_then(Value::as_array) {
                        fields.clone_from(f);
                    }
                }
                rows::OVERRIDE => overrides.push(value),
                _ => {}
            }
        }
        m.insert(
            "rules".into(),
            serde_json::json!({"feld": fields, "uebersteuerung": overrides}),
        );
    }
    Ok(meta)
}

/// Reads a GeoPackage as a raw document: its first polygon layer (a project's Sozialräume
/// layer first), and for a project its metadata in the `atlas` member as in a GeoJSON file
/// (the columns the project computes left out).
pub fn read_document(path: &Path) -> Result<super::geojson::reader::RawDocument, ImportError> {
    let file = path.display().to_string();
    let conn = super::gpkg::open_read_only(path)?;
    let mut doc = super::gpkg::read_layer(&conn, &file, LAYER)?;
    if let Some(meta) = read_meta(&conn, &file)? {
        doc.foreign
            .insert(super::geojson::meta::MEMBER.to_string(), meta);
        for derived in DERIVED_COLUMNS {
            for f in &mut doc.features {
                f.properties.remove(derived);
            }
        }
        schema::attach_series(&conn, &mut doc.features)
            .map_err(|e| super::gpkg::not_a_geopackage(&file, &e))?;
    }
    Ok(doc)
}

/// Parses "1,3" (or "1; 3", or keys) into fields.
pub fn parse_fields(text: &str) -> ActionFieldSet {
    text.split([',', ';', ' '])
        .filter_map(crate::model::ActionField::parse)
        .collect()
}
