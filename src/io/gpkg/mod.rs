//! GeoPackage (OGC 12-128r18) on SQLite: the container the project file lives in, and a reader
//! for polygon layers made by QGIS, GDAL or this program.
//!
//! Only the core is written: `gpkg_spatial_ref_sys`, `gpkg_contents`, `gpkg_geometry_columns`,
//! feature tables with standard geometry blobs and attribute tables. That is what QGIS and
//! `ogrinfo` need to list and draw the layers; no extension is required.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, params};
use serde_json::{Value, json};

use super::error::ImportError;
use super::geojson::coords::CoordBuf;
use super::geojson::reader::{RawDocument, RawFeature, RawGeometry};
use super::wkb::{gpkg_is_empty, read_gpkg};
use crate::spatial::wkt::{PrjCrs, crs_from_wkt};

/// `PRAGMA application_id` of a GeoPackage: "GPKG".
pub const APPLICATION_ID: i32 = 0x4750_4B47;
/// `PRAGMA user_version` of GeoPackage 1.3.
pub const USER_VERSION: i32 = 10_300;

/// The core tables every GeoPackage has, with the two undefined systems the standard requires.
pub fn create_core(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID};
         PRAGMA user_version = {USER_VERSION};
         CREATE TABLE gpkg_spatial_ref_sys (
           srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
           organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
           definition TEXT NOT NULL, description TEXT);
         CREATE TABLE gpkg_contents (
           table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
           identifier TEXT UNIQUE, description TEXT DEFAULT '',
           last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
           min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
           CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
         CREATE TABLE gpkg_geometry_columns (
           table_name TEXT NOT NULL, column_name TEXT NOT NULL,
           geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
           z TINYINT NOT NULL, m TINYINT NOT NULL,
           CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
           CONSTRAINT uk_gc_table_name UNIQUE (table_name),
           CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
           CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
         INSERT INTO gpkg_spatial_ref_sys VALUES
           ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
           ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');"
    ))
}

/// Registers the SQL functions of the GeoPackage spatial-index triggers (`ST_IsEmpty`,
/// `ST_MinX`, …). QGIS and GDAL add an R-tree index with triggers calling them when they save a
/// layer; without them, SQLite refuses every change to that layer ("no such function").
pub fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("ST_IsEmpty", 1, flags, |ctx| {
        Ok(match ctx.get_raw(0) {
            ValueRef::Blob(b) => gpkg_is_empty(b) || envelope(b).is_none(),
            _ => true,
        })
    })?;
    for (name, k) in [
        ("ST_MinX", 0usize),
        ("ST_MaxX", 1),
        ("ST_MinY", 2),
        ("ST_MaxY", 3),
    ] {
        conn.create_scalar_function(name, 1, flags, move |ctx| {
            Ok(match ctx.get_raw(0) {
                ValueRef::Blob(b) => envelope(b).map(|e| e[k]),
                _ => None,
            })
        })?;
    }
    Ok(())
}

/// [min x, max x, min y, max y] of a GeoPackage geometry blob.
fn envelope(blob: &[u8]) -> Option<[f64; 4]> {
    let polygons = read_gpkg(blob).ok()?;
    let mut e = [
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    for p in polygons.iter().flatten().flatten() {
        e[0] = e[0].min(p[0]);
        e[1] = e[1].max(p[0]);
        e[2] = e[2].min(p[1]);
        e[3] = e[3].max(p[1]);
    }
    e[0].is_finite().then_some(e)
}

/// Removes what other programs attached to a feature table (its R-tree index, extension
/// rows, GDAL's feature count) before the table is dropped and written anew.
pub fn drop_feature_table(conn: &Connection, table: &str) -> rusqlite::Result<()> {
    let exists = |name: &str| -> rusqlite::Result<bool> {
        conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = ?1",
            [name],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n > 0)
    };
    let mut indexes = Vec::new();
    if exists("gpkg_extensions")? {
        let mut stmt = conn.prepare(
            "SELECT column_name FROM gpkg_extensions WHERE table_name = ?1 AND extension_name = 'gpkg_rtree_index'",
        )?;
        let rows = stmt.query_map([table], |r| r.get::<_, Option<String>>(0))?;
        for column in rows.flatten().flatten() {
            indexes.push(format!("rtree_{table}_{column}"));
        }
        conn.execute("DELETE FROM gpkg_extensions WHERE table_name = ?1", [table])?;
    }
    for index in indexes {
        conn.execute_batch(&format!("DROP TABLE IF EXISTS {}", quote(&index)))?;
    }
    if exists("gpkg_ogr_contents")? {
        conn.execute(
            "DELETE FROM gpkg_ogr_contents WHERE table_name = ?1",
            [table],
        )?;
    }
    conn.execute_batch(&format!("DROP TABLE IF EXISTS {}", quote(table)))?;
    conn.execute(
        "DELETE FROM gpkg_geometry_columns WHERE table_name = ?1",
        [table],
    )?;
    conn.execute("DELETE FROM gpkg_contents WHERE table_name = ?1", [table])?;
    Ok(())
}

/// Registers an EPSG system with its WKT (from the built-in definitions).
pub fn register_epsg(conn: &Connection, epsg: u32) -> rusqlite::Result<()> {
    let (name, wkt) = u16::try_from(epsg)
        .ok()
        .and_then(crs_definitions::from_code)
        .map(|d| {
            let name = d.wkt.split('"').nth(1).unwrap_or("").to_string();
            (name, d.wkt.to_string())
        })
        .unwrap_or_else(|| (format!("EPSG:{epsg}"), "undefined".to_string()));
    conn.execute(
        "INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?1, ?2, 'EPSG', ?2, ?3, NULL)",
        params![name, epsg, wkt],
    )?;
    Ok(())
}

/// Registers a table in `gpkg_contents` as features (with a geometry column) or attributes.
pub fn register_table(
    conn: &Connection,
    table: &str,
    identifier: &str,
    description: &str,
    geometry: Option<(&str, u32, [f64; 4])>,
) -> rusqlite::Result<()> {
    match geometry {
        Some((column, srs, b)) => {
            conn.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
                 VALUES (?1, 'features', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![table, identifier, description, b[0], b[1], b[2], b[3], srs],
            )?;
            conn.execute(
                "INSERT INTO gpkg_geometry_columns VALUES (?1, ?2, 'MULTIPOLYGON', ?3, 0, 0)",
                params![table, column, srs],
            )?;
        }
        None => {
            conn.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (?1, 'attributes', ?2, ?3)",
                params![table, identifier, description],
            )?;
        }
    }
    Ok(())
}

/// Quotes an SQL identifier.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Finishes the recovery of a write that was cut off (a killed writer leaves a "hot"
/// rollback journal beside the file): SQLite rolls it back on the first read of a
/// connection that may write, which a read-only connection cannot do (it fails with
/// "attempt to write a readonly database" until someone opens the file for writing). So a
/// file with a journal beside it is opened for writing once, read, and closed. Nothing
/// happens when there is no journal or the file cannot be written.
pub fn recover(path: &std::path::Path) {
    let mut journal = path.as_os_str().to_os_string();
    journal.push("-journal");
    let hot = std::fs::metadata(&journal).is_ok_and(|m| m.len() > 0);
    if !hot {
        return;
    }
    if let Ok(conn) = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE) {
        let _ = conn.busy_timeout(std::time::Duration::from_secs(5));
        let _ = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        });
    }
}

/// Opens a GeoPackage for reading, with a clear message when it is not one.
pub fn open_read_only(path: &std::path::Path) -> Result<Connection, ImportError> {
    recover(path);
    let file = path.display().to_string();
    std::fs::File::open(path).map_err(|source| ImportError::Io {
        file: file.clone(),
        source,
    })?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| not_a_geopackage(&file, &e))?;
    let has_contents: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'gpkg_contents'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(|e| not_a_geopackage(&file, &e))?
        > 0;
    if !has_contents {
        return Err(ImportError::unusable(
            &file,
            "ist keine GeoPackage-Datei (es fehlt die Tabelle gpkg_contents).",
            "is not a GeoPackage (the table gpkg_contents is missing).",
        ));
    }
    Ok(conn)
}

/// A GeoPackage that SQLite cannot read as such.
pub(crate) fn not_a_geopackage(file: &str, e: &rusqlite::Error) -> ImportError {
    ImportError::unusable(
        file,
        format!("ist keine lesbare GeoPackage-/SQLite-Datei ({e})."),
        format!("is not a readable GeoPackage/SQLite file ({e})."),
    )
}

/// A polygon layer of a GeoPackage: its table, geometry column and CRS.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerInfo {
    /// The table.
    pub table: String,
    /// The geometry column.
    pub column: String,
    /// The CRS, None when undefined.
    pub crs: Option<PrjCrs>,
}

/// The polygon layers, `preferred` first when it exists.
pub fn polygon_layers(conn: &Connection, preferred: &str) -> rusqlite::Result<Vec<LayerInfo>> {
    let mut stmt = conn.prepare(
        "SELECT g.table_name, g.column_name, upper(g.geometry_type_name), s.organization, s.organization_coordsys_id, s.definition
         FROM gpkg_geometry_columns g
         JOIN gpkg_contents c ON c.table_name = g.table_name
         LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
         ORDER BY (g.table_name = ?1) DESC, g.table_name",
    )?;
    let rows = stmt.query_map([preferred], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<i64>>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (table, column, kind, org, code, definition) = row?;
        if !matches!(
            kind.as_str(),
            "POLYGON" | "MULTIPOLYGON" | "GEOMETRY" | "CURVEPOLYGON" | "MULTISURFACE"
        ) {
            continue;
        }
        let crs = match (org.as_deref().map(str::to_uppercase).as_deref(), code) {
            (Some("EPSG"), Some(c)) if c > 0 => u32::try_from(c).ok().map(PrjCrs::Epsg),
            _ => definition.as_deref().and_then(|d| crs_from_wkt(d).ok()),
        };
        out.push(LayerInfo { table, column, crs });
    }
    Ok(out)
}

/// Reads the first polygon layer of a GeoPackage (`preferred` first, when it exists) as a raw
/// document.
pub fn read_layer(
    conn: &Connection,
    file: &str,
    preferred: &str,
) -> Result<RawDocument, ImportError> {
    let sql_error = |e: rusqlite::Error| not_a_geopackage(file, &e);
    let layers = polygon_layers(conn, preferred).map_err(sql_error)?;
    let Some(layer) = layers.into_iter().next() else {
        return Err(ImportError::unusable(
            file,
            "enthält keine Flächen-Ebene (Polygon/MultiPolygon).",
            "contains no polygon layer.",
        ));
    };
    let doc = read_features(conn, &layer).map_err(sql_error)?;
    if doc.features.is_empty() {
        return Err(ImportError::unusable(
            file,
            format!("die Ebene „{}“ enthält keine Features.", layer.table),
            format!("the layer \"{}\" contains no features.", layer.table),
        ));
    }
    Ok(doc)
}

fn read_features(conn: &Connection, layer: &LayerInfo) -> rusqlite::Result<RawDocument> {
    let mut columns = Vec::new();
    let mut pk = None;
    {
        let mut stmt = conn.prepare(&format!("PRAGMA table_info({})", quote(&layer.table)))?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, i64>(5)?)))?;
        for row in rows {
            let (name, is_pk) = row?;
            if is_pk == 1 && pk.is_none() {
                pk = Some(name.clone());
            }
            columns.push(name);
        }
    }
    let list: Vec<String> = columns.iter().map(|c| quote(c)).collect();
    let order = pk
        .as_deref()
        .map(quote)
        .unwrap_or_else(|| "rowid".to_string());
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM {} ORDER BY {order}",
        list.join(", "),
        quote(&layer.table)
    ))?;
    let mut rows = stmt.query([])?;
    let mut features = Vec::new();
    // Each column name once for all features.
    let mut keys = crate::model::KeyInterner::default();
    let names: Vec<std::sync::Arc<str>> = columns.iter().map(|c| keys.intern_str(c)).collect();
    while let Some(row) = rows.next()? {
        let mut feature = RawFeature::default();
        let mut properties = crate::model::PropertiesBuilder::with_capacity(columns.len());
        for (i, (name, key)) in columns.iter().zip(&names).enumerate() {
            let value = row.get_ref(i)?;
            if *name == layer.column {
                feature.geometry = geometry_of(value);
                continue;
            }
            let json = match value {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(v) => json!(v),
                ValueRef::Real(v) if v.is_finite() => json!(v),
                ValueRef::Real(_) => Value::Null,
                ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
                ValueRef::Blob(_) => continue,
            };
            if Some(name.as_str()) == pk.as_deref() {
                feature.id = Some(json);
            } else {
                properties.set(std::sync::Arc::clone(key), json);
            }
        }
        feature.properties = properties.finish(&mut keys);
        features.push(feature);
    }
    Ok(RawDocument {
        doc_type: Some("FeatureCollection".to_string()),
        features,
        name: Some(layer.table.clone()),
        prj: layer.crs.clone(),
        ..RawDocument::default()
    })
}

fn geometry_of(value: ValueRef<'_>) -> RawGeometry {
    let ValueRef::Blob(blob) = value else {
        return RawGeometry::Null;
    };
    if gpkg_is_empty(blob) {
        return RawGeometry::Null;
    }
    match read_gpkg(blob) {
        Ok(polygons) => RawGeometry::Object {
            kind: Some("MultiPolygon".to_string()),
            coords: Some(CoordBuf::multipolygon(polygons)),
        },
        Err(super::wkb::WkbError::Unsupported(kind)) => RawGeometry::Object {
            kind: Some(wkb_type_name(kind).to_string()),
            coords: None,
        },
        Err(_) => RawGeometry::Object {
            kind: Some("MultiPolygon".to_string()),
            coords: Some(CoordBuf {
                problem: Some(super::geojson::coords::CoordProblem::ShortPosition),
                ..CoordBuf::default()
            }),
        },
    }
}

fn wkb_type_name(kind: u32) -> &'static str {
    match kind {
        1 => "Point",
        2 => "LineString",
        4 => "MultiPoint",
        5 => "MultiLineString",
        7 => "GeometryCollection",
        _ => "?",
    }
}
