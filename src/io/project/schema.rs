//! The tables of a project file (format 2), the way a format 1 file becomes one, and the
//! Sozialräume layer.
//!
//! Format 2 gives every measure a stable `uid` and a `revision`, numbers measures with
//! `AUTOINCREMENT` (the file gives the number inside the writing transaction and never hands
//! it out again), keeps rules, overrides, saved views and the catalogue as rows with a
//! revision of their own (`atlas_objekte`), and stores a project id and a change counter.
//! Triggers raise the revision of a row that another program (QGIS) updates without doing
//! so, so every writer's change is seen as one. A revision is never given twice: a deleted
//! measure leaves a tombstone with the revision of its deletion (`massnahmen_geloescht`), a
//! deleted object keeps its row without content, and bringing either back continues from
//! there — so a writer that read an item before it was deleted and brought back cannot
//! mistake the new one for the one it read.

use rusqlite::{Connection, params};
use serde_json::Value;

use super::rows::{self, CATALOGUE, OVERRIDE, RULES, VALUES, VIEW};
use super::{LAYER, LINKS, MEASURES, OBJECTS, SETTINGS, TOMBSTONES};
use crate::io::export_geojson::{MapExport, feature_properties};
use crate::io::gpkg::{self, quote};
use crate::io::rules_file::RulesDocument;
use crate::io::store::{SavedView, StoredView};
use crate::io::wkb::{polygons_of, write_gpkg};
use crate::model::{Measure, Uid};

/// Settings keys.
pub const FORMAT_KEY: &str = "format_version";
/// The project's id: a copy made by "save as" gets a new one; a file copied over the open
/// one is recognised by it.
pub const PROJECT_ID: &str = "project_id";
/// Raised by every write of this program (a file that goes back was replaced).
pub const COUNTER: &str = "revision";

const MEASURE_TABLE: &str = "id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
           uid TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(16)))),
           revision INTEGER NOT NULL DEFAULT 1,
           titel TEXT NOT NULL, beschreibung TEXT NOT NULL DEFAULT '',
           handlungsfelder TEXT NOT NULL DEFAULT '', sozialraeume TEXT NOT NULL DEFAULT '',
           kommunen TEXT NOT NULL DEFAULT '', verantwortung TEXT NOT NULL DEFAULT '',
           federfuehrung TEXT NOT NULL DEFAULT '', partner TEXT NOT NULL DEFAULT '',
           status TEXT NOT NULL DEFAULT '', beginn TEXT, ende TEXT, budget_eur REAL,
           prioritaet TEXT, notizen TEXT NOT NULL DEFAULT '', erstellt TEXT NOT NULL DEFAULT '',
           geaendert TEXT NOT NULL DEFAULT ''";

/// The measures table and its links (with the index the measure counts are read by).
fn measure_tables() -> String {
    format!(
        "CREATE TABLE {MEASURES} ({MEASURE_TABLE});
         CREATE TABLE {LINKS} (
           massnahme_id INTEGER NOT NULL REFERENCES {MEASURES}(id) ON DELETE CASCADE,
           code TEXT NOT NULL, position INTEGER NOT NULL,
           PRIMARY KEY (massnahme_id, code));
         CREATE INDEX {LINKS}_code ON {LINKS} (code);"
    )
}

/// Creates the project's own tables (format 2) in a file with the GeoPackage core.
pub fn create_tables(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "CREATE TABLE {SETTINGS} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
         {}",
        measure_tables()
    ))?;
    create_objects(conn)?;
    create_tombstones(conn)?;
    create_triggers(conn)?;
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
    )
}

fn create_objects(conn: &Connection) -> rusqlite::Result<()> {
    // `inhalt` NULL: deleted (the row stays, with the revision of the deletion).
    conn.execute_batch(&format!(
        "CREATE TABLE {OBJECTS} (
           art TEXT NOT NULL, schluessel TEXT NOT NULL, inhalt TEXT,
           revision INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (art, schluessel));"
    ))?;
    gpkg::register_table(
        conn,
        OBJECTS,
        "Regeln, Übersteuerungen, Ansichten",
        "Sozialraum-Atlas: Regeln, Übersteuerungen, gespeicherte Ansichten und Indikatorenkatalog, je mit Revision",
        None,
    )
}

fn create_tombstones(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "CREATE TABLE {TOMBSTONES} (uid TEXT PRIMARY KEY NOT NULL, revision INTEGER NOT NULL);"
    ))?;
    gpkg::register_table(
        conn,
        TOMBSTONES,
        "Gelöschte Maßnahmen",
        "Sozialraum-Atlas: Kennung und letzte Revision gelöschter Maßnahmen (für den Abgleich mehrerer Schreiber)",
        None,
    )
}

/// An update by another program that leaves the revision alone raises it, so the change is
/// seen by every writer (no recursion: SQLite's recursive triggers are off); a deleted
/// measure, by whichever program, leaves its tombstone.
fn create_triggers(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "CREATE TRIGGER {MEASURES}_tombstone AFTER DELETE ON {MEASURES}
           BEGIN INSERT OR REPLACE INTO {TOMBSTONES} (uid, revision)
                 VALUES (OLD.uid, OLD.revision + 1); END;
         CREATE TRIGGER {MEASURES}_revision AFTER UPDATE ON {MEASURES}
           WHEN NEW.revision = OLD.revision
           BEGIN UPDATE {MEASURES} SET revision = OLD.revision + 1 WHERE id = NEW.id; END;
         CREATE TRIGGER {OBJECTS}_revision AFTER UPDATE ON {OBJECTS}
           WHEN NEW.revision = OLD.revision
           BEGIN UPDATE {OBJECTS} SET revision = OLD.revision + 1
                 WHERE art = NEW.art AND schluessel = NEW.schluessel; END;"
    ))
}

/// The format of a project file (1 when the key is missing).
pub fn format_of(conn: &Connection) -> i64 {
    setting(conn, FORMAT_KEY)
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

/// Turns a format 1 file into format 2, in the caller's transaction: measures get uids and
/// revisions (and keep their numbers), rules, overrides, catalogue and saved views become
/// objects, and the file gets a project id and a change counter.
pub fn migrate_from_v1(tx: &Connection, new_uid: &dyn Fn() -> Uid) -> rusqlite::Result<()> {
    let measures: Vec<Measure> = rows::read_measures(tx, false)?
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    let next: i64 = setting(tx, "next_measure_id")
        .and_then(|t| t.parse().ok())
        .unwrap_or(1);
    tx.execute_batch(&format!(
        "DROP TABLE {LINKS}; DROP TABLE {MEASURES}; {}",
        measure_tables()
    ))?;
    create_objects(tx)?;
    create_tombstones(tx)?;
    create_triggers(tx)?;
    let mut max = 0;
    for mut m in measures {
        m.uid = new_uid();
        max = max.max(m.id);
        rows::insert_measure(tx, &m, 0)?;
    }
    // Numbers given before stay given.
    let seq = (next - 1).max(max);
    let updated = tx.execute(
        "UPDATE sqlite_sequence SET seq = max(seq, ?2) WHERE name = ?1",
        params![MEASURES, seq],
    )?;
    if updated == 0 {
        tx.execute(
            "INSERT INTO sqlite_sequence (name, seq) VALUES (?1, ?2)",
            params![MEASURES, seq],
        )?;
    }
    let meta: Option<Value> = setting(tx, "atlas").and_then(|t| serde_json::from_str(&t).ok());
    if let Some(meta) = &meta {
        if let Some(indicators) = meta.get("indicators") {
            put_object(tx, CATALOGUE, "", &indicators.to_string())?;
        }
        let doc: Option<RulesDocument> = meta
            .get("rules")
            .and_then(|r| serde_json::from_value(r.clone()).ok());
        if let Some(doc) = doc {
            let only_rules = RulesDocument {
                fields: doc.fields.clone(),
                overrides: Vec::new(),
            };
            put_object(
                tx,
                RULES,
                "",
                &serde_json::to_string(&only_rules).unwrap_or_default(),
            )?;
            for o in &doc.overrides {
                put_object(
                    tx,
                    OVERRIDE,
                    &format!("{}|{}", o.code, o.feld),
                    &serde_json::to_string(o).unwrap_or_default(),
                )?;
            }
        }
    }
    let keys: Vec<String> = meta
        .as_ref()
        .and_then(|m| m.get("indicators"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|i| i.get("key").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    put_object(
        tx,
        VALUES,
        "",
        &serde_json::to_string(&keys).unwrap_or_default(),
    )?;
    let mut view: StoredView = setting(tx, "view")
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    for (k, mut v) in std::mem::take(&mut view.views).into_iter().enumerate() {
        v.uid = new_uid();
        v.position = k as i64;
        put_view(tx, &v)?;
    }
    put_setting(
        tx,
        "view",
        &serde_json::to_string(&view).unwrap_or_default(),
    )?;
    tx.execute(
        &format!("DELETE FROM {SETTINGS} WHERE key = 'next_measure_id'"),
        [],
    )?;
    put_setting(tx, PROJECT_ID, &new_uid().to_string())?;
    put_setting(tx, COUNTER, "1")?;
    put_setting(tx, FORMAT_KEY, &super::FORMAT_WITHOUT_SERIES.to_string())
}

fn put_object(tx: &Connection, kind: &str, key: &str, content: &str) -> rusqlite::Result<()> {
    tx.execute(
        &format!(
            "INSERT OR REPLACE INTO {OBJECTS} (art, schluessel, inhalt, revision) VALUES (?1, ?2, ?3, 1)"
        ),
        params![kind, key, content],
    )?;
    Ok(())
}

/// Writes a saved view as a new object at revision 1.
pub fn put_view(tx: &Connection, view: &SavedView) -> rusqlite::Result<()> {
    put_object(
        tx,
        VIEW,
        &view.uid.to_string(),
        &serde_json::to_string(view).unwrap_or_default(),
    )
}

/// Writes every object of a new project at revision 1.
pub fn put_objects(
    tx: &Connection,
    map: &MapExport<'_>,
    views: &[SavedView],
) -> rusqlite::Result<()> {
    put_object(tx, RULES, "", &rows::rules_json(map.rules))?;
    for o in map.overrides {
        put_object(
            tx,
            OVERRIDE,
            &format!("{}|{}", o.code, o.field.number()),
            &rows::override_json(o),
        )?;
    }
    put_object(
        tx,
        CATALOGUE,
        "",
        &serde_json::to_string(map.indicators.indicators()).unwrap_or_default(),
    )?;
    put_object(tx, VALUES, "", &values_json(map))?;
    for v in views {
        put_view(tx, v)?;
    }
    Ok(())
}

/// The content of the indicator values object: the keys of the layer's indicator columns.
pub fn values_json(map: &MapExport<'_>) -> String {
    let keys: Vec<&str> = map
        .indicators
        .indicators()
        .iter()
        .map(|i| i.key.as_str())
        .collect();
    serde_json::to_string(&keys).unwrap_or_default()
}

/// A settings value.
pub fn setting(conn: &Connection, key: &str) -> Option<String> {
    use rusqlite::OptionalExtension;
    conn.query_row(
        &format!("SELECT value FROM {SETTINGS} WHERE key = ?1"),
        [key],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .ok()
    .flatten()
}

/// Sets a settings value.
pub fn put_setting(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        &format!("INSERT INTO {SETTINGS} (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
        params![key, value],
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

/// Writes the Sozialräume layer anew (a new project, or new indicator values): one row per
/// area in order, fid = position + 1.
pub fn write_layer(tx: &Connection, map: &MapExport<'_>) -> rusqlite::Result<()> {
    let region = map.region;
    let epsg = region.crs.epsg;
    gpkg::register_epsg(tx, epsg)?;
    let mut rows: Vec<serde_json::Map<String, Value>> = (0..region.spaces.len())
        .map(|i| feature_properties(map, i))
        .collect();
    let series: Vec<Option<Value>> = rows
        .iter_mut()
        .map(|r| r.remove(crate::io::series::PROPERTY))
        .collect();
    write_series(tx, &rows, &series)?;
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

/// Writes the series table anew from each area's `zeitreihen` attribute (dropped when no
/// area has one); a project with series is marked as format 3.
fn write_series(
    tx: &Connection,
    rows: &[serde_json::Map<String, Value>],
    series: &[Option<Value>],
) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM gpkg_contents WHERE table_name = ?1",
        [super::SERIES],
    )?;
    tx.execute_batch(&format!("DROP TABLE IF EXISTS {};", super::SERIES))?;
    if series.iter().all(Option::is_none) {
        return Ok(());
    }
    tx.execute_batch(&format!(
        "CREATE TABLE {} (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, code TEXT NOT NULL, indikator TEXT NOT NULL, jahr INTEGER NOT NULL, wert REAL, geheim INTEGER NOT NULL DEFAULT 0, geschaetzt INTEGER NOT NULL DEFAULT 0, UNIQUE (code, indikator, jahr));",
        super::SERIES
    ))?;
    gpkg::register_table(
        tx,
        super::SERIES,
        "Zeitreihen",
        "Werte der Indikatoren je Sozialraum und Jahr (wert leer: keine Daten; geheim = 1: aus Datenschutzgründen nicht veröffentlicht; geschaetzt = 1: aus älteren Gebietsständen umgerechnet)",
        None,
    )?;
    let mut insert = tx.prepare(&format!(
        "INSERT OR REPLACE INTO {} (code, indikator, jahr, wert, geheim, geschaetzt) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        super::SERIES
    ))?;
    for (row, s) in rows.iter().zip(series) {
        let (Some(Value::Object(s)), Some(code)) = (s, row.get("code").and_then(Value::as_str))
        else {
            continue;
        };
        for (key, years) in s {
            let Value::Object(years) = years else {
                continue;
            };
            for (year, value) in years {
                let Some(y) = crate::model::parse_year(year) else {
                    continue;
                };
                let (wert, geheim) = match crate::io::series::value_of(value) {
                    crate::model::IndicatorValue::Number(v) => (Some(v), 0),
                    crate::model::IndicatorValue::Suppressed => (None, 1),
                    crate::model::IndicatorValue::Missing => (None, 0),
                };
                let estimated = i64::from(crate::io::series::is_estimate(value));
                insert.execute(params![code, key, y, wert, geheim, estimated])?;
            }
        }
    }
    put_setting(tx, FORMAT_KEY, &super::FORMAT_VERSION.to_string())
}

/// Gives every feature of a project's layer its `zeitreihen` attribute from the series
/// table (matched by the `code` column); nothing when the project has no series.
pub fn attach_series(
    conn: &Connection,
    features: &mut [crate::io::geojson::reader::RawFeature],
) -> rusqlite::Result<()> {
    let exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [super::SERIES],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(());
    }
    let mut by_code: std::collections::HashMap<String, serde_json::Map<String, Value>> =
        Default::default();
    // The column of estimates came with crosswalks; a table without it has none.
    let with_estimates: bool = conn.query_row(
        &format!(
            "SELECT count(*) > 0 FROM pragma_table_info('{}') WHERE name = 'geschaetzt'",
            super::SERIES
        ),
        [],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(&format!(
        "SELECT code, indikator, jahr, wert, geheim, {} FROM {} ORDER BY id",
        if with_estimates { "geschaetzt" } else { "0" },
        super::SERIES
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (code, key, year): (String, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let (wert, geheim, estimated): (Option<f64>, i64, i64) = (r.get(3)?, r.get(4)?, r.get(5)?);
        let plain = match (wert, geheim) {
            (_, g) if g != 0 => Value::String("*".to_string()),
            (Some(v), _) => serde_json::json!(v),
            (None, _) => Value::Null,
        };
        let value = if estimated != 0 {
            serde_json::json!({"wert": plain, "geschaetzt": true})
        } else {
            plain
        };
        let area = by_code.entry(code).or_default();
        if let Value::Object(years) = area
            .entry(key)
            .or_insert_with(|| Value::Object(serde_json::Map::new()))
        {
            years.insert(year.to_string(), value);
        }
    }
    for f in features {
        let code = f
            .properties
            .get("code")
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(series) = code.and_then(|c| by_code.remove(&c)) {
            f.properties
                .insert(crate::io::series::PROPERTY, Value::Object(series));
        }
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
