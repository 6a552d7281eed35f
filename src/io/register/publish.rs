//! Publishing a project into the register (areas with PostGIS geometry, settings, measures;
//! the schema, roles and row-level security created where missing) in one transaction, and
//! the register's history as a CSV file.

use postgres::{Client, Transaction};
use serde_json::Value;

use super::server::{COLUMNS, Params, VALUES};
use super::{Published, RegisterError, SCHEMA_SQL, checked_schema, municipality_role};
use crate::io::export_geojson::{MapExport, atlas_meta, feature_geometry, feature_properties};
use crate::model::Measure;

/// Publishes the map and its measures into `schema` (created if missing), in one
/// transaction. With `create_roles`, one role per municipality is created (or kept) and
/// listed in `kommune_rollen`; people are then made members of it by the administrator.
pub fn publish(
    client: &mut Client,
    schema: &str,
    export: &MapExport<'_>,
    create_roles: bool,
) -> Result<Published, RegisterError> {
    publish_prepared(client, schema, &Publication::of(export)?, create_roles)
}

/// What is published, taken from the map beforehand (so the network part can run on a
/// thread of its own while the window goes on).
#[derive(Debug, Clone)]
pub struct Publication {
    /// The areas: their attributes and geometry (GeoJSON, lon/lat), one text each, so a map
    /// of 11,299 areas is never one document in memory.
    areas: Vec<AreaRow>,
    /// The `atlas` metadata (catalogue, rules, overrides).
    meta: String,
    /// The measures.
    measures: Vec<Measure>,
    /// The municipalities (for their roles).
    municipalities: Vec<String>,
}

/// One area as it goes into `sozialraeume`.
#[derive(Debug, Clone)]
struct AreaRow {
    code: String,
    name: Option<String>,
    municipality: Option<String>,
    fields: Option<String>,
    geometry: String,
    properties: String,
}

impl Publication {
    /// The publication of a map.
    pub fn of(export: &MapExport<'_>) -> Result<Publication, RegisterError> {
        let bad =
            |e: crate::io::export_geojson::ExportError| RegisterError::Geometry(e.to_string());
        let mut areas = Vec::with_capacity(export.region.spaces.len());
        for i in 0..export.region.spaces.len() {
            let p = feature_properties(export, i);
            let text = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_string);
            let fields = p
                .get("handlungsfelder_final")
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string));
            areas.push(AreaRow {
                code: text("code").unwrap_or_default(),
                name: text("name"),
                municipality: text("kommune"),
                fields,
                geometry: feature_geometry(export, i, "register")
                    .map_err(bad)?
                    .to_string(),
                properties: Value::Object(p).to_string(),
            });
        }
        let meta = serde_json::to_string(&atlas_meta(export))
            .map_err(|e| RegisterError::Geometry(e.to_string()))?;
        Ok(Publication {
            areas,
            meta,
            measures: export.measures.map_or(Vec::new(), |m| m.all().to_vec()),
            municipalities: export
                .region
                .municipalities
                .iter()
                .map(|m| m.name.clone())
                .collect(),
        })
    }
}

/// [`publish`] of a publication taken beforehand.
pub fn publish_prepared(
    client: &mut Client,
    schema: &str,
    publication: &Publication,
    create_roles: bool,
) -> Result<Published, RegisterError> {
    let schema = checked_schema(schema)?;
    let mut tx = client.transaction()?;
    tx.batch_execute(&SCHEMA_SQL.replace("{schema}", schema))?;
    let areas = write_areas(&mut tx, schema, &publication.areas)?;
    let meta = &publication.meta;
    tx.execute(
        &format!(
            "INSERT INTO {schema}.einstellungen (art, schluessel, inhalt) VALUES ('atlas', 'meta', $1)
             ON CONFLICT (art, schluessel) DO UPDATE SET inhalt = EXCLUDED.inhalt,
             revision = {schema}.einstellungen.revision + 1"
        ),
        &[meta],
    )?;
    let measures = &publication.measures;
    for m in measures {
        write_measure(&mut tx, schema, m)?;
    }
    // The project's numbers are kept; new measures continue after the highest.
    tx.batch_execute(&format!(
        "SELECT setval(pg_get_serial_sequence('{schema}.massnahmen', 'nummer'),
             GREATEST((SELECT max(nummer) FROM {schema}.massnahmen), 1))"
    ))?;
    let mut roles = Vec::new();
    if create_roles {
        for name in &publication.municipalities {
            let role = municipality_role(name);
            tx.batch_execute(&format!(
                "DO $$ BEGIN
                     IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
                         BEGIN CREATE ROLE {role} NOLOGIN IN ROLE atlas_kommune;
                         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;
                     END IF;
                 END $$;"
            ))?;
            tx.execute(
                &format!(
                    "INSERT INTO {schema}.kommune_rollen (rolle, kommune) VALUES ($1, $2)
                     ON CONFLICT (rolle) DO UPDATE SET kommune = EXCLUDED.kommune"
                ),
                &[&role, name],
            )?;
            roles.push(role);
        }
    }
    tx.commit()?;
    Ok(Published {
        areas,
        measures: measures.len(),
        roles,
    })
}

/// The areas with their geometry (lon/lat, as the GeoJSON export writes them).
fn write_areas(
    tx: &mut Transaction<'_>,
    schema: &str,
    areas: &[AreaRow],
) -> Result<usize, RegisterError> {
    let statement = tx.prepare(&format!(
        "INSERT INTO {schema}.sozialraeume (code, name, kommune, handlungsfelder, geom, merkmale)
         VALUES ($1, $2, $3, $4, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($5), 4326)),
             $6::text::jsonb)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kommune = EXCLUDED.kommune,
             handlungsfelder = EXCLUDED.handlungsfelder, geom = EXCLUDED.geom,
             merkmale = EXCLUDED.merkmale"
    ))?;
    for a in areas {
        tx.execute(
            &statement,
            &[
                &a.code,
                &a.name,
                &a.municipality,
                &a.fields,
                &a.geometry,
                &a.properties,
            ],
        )?;
    }
    Ok(areas.len())
}

/// One measure, inserted or (by its uid) replaced.
fn write_measure(tx: &mut Transaction<'_>, schema: &str, m: &Measure) -> Result<(), RegisterError> {
    let values = Params::of(m);
    let uid = m.uid.to_string();
    let number = (m.id > 0).then_some(m.id);
    let mut all = values.list();
    all.push(&uid);
    all.push(&number);
    tx.execute(
        &format!(
            "INSERT INTO {schema}.massnahmen ({COLUMNS}, uid, nummer)
             VALUES ({VALUES}, $17::text::uuid, COALESCE($18, nextval(pg_get_serial_sequence(
                     '{schema}.massnahmen', 'nummer'))))
             ON CONFLICT (uid) DO UPDATE SET titel = EXCLUDED.titel,
                 beschreibung = EXCLUDED.beschreibung, handlungsfelder = EXCLUDED.handlungsfelder,
                 sozialraeume = EXCLUDED.sozialraeume, kommunen = EXCLUDED.kommunen,
                 verantwortung = EXCLUDED.verantwortung, federfuehrung = EXCLUDED.federfuehrung,
                 partner = EXCLUDED.partner, status = EXCLUDED.status, beginn = EXCLUDED.beginn,
                 ende = EXCLUDED.ende, budget_eur = EXCLUDED.budget_eur,
                 prioritaet = EXCLUDED.prioritaet, notizen = EXCLUDED.notizen"
        ),
        &all,
    )?;
    Ok(())
}

/// The register's history as a German Excel CSV (`;`, UTF-8 with BOM, CRLF): time, user,
/// action, measure number and title, which fields changed; cells a spreadsheet would run as a
/// formula are neutralised. Returns the text and the number of lines.
pub fn history_csv(
    client: &mut Client,
    schema: &str,
    lang: crate::i18n::Lang,
) -> Result<(String, usize), RegisterError> {
    let schema = checked_schema(schema)?;
    let pattern = if lang.is_english() {
        "YYYY-MM-DD HH24:MI:SS"
    } else {
        "DD.MM.YYYY HH24:MI:SS"
    };
    let rows = client.query(
        &format!(
            "SELECT to_char(v.zeit AT TIME ZONE 'Europe/Berlin', $1), v.benutzer::text, v.aktion,
                 coalesce(v.nachher, v.vorher)->>'nummer',
                 coalesce(v.nachher, v.vorher)->>'titel',
                 coalesce((SELECT string_agg(n.key, ', ' ORDER BY n.key)
                     FROM jsonb_each(v.nachher) n
                     WHERE v.vorher IS NOT NULL AND n.value IS DISTINCT FROM v.vorher -> n.key
                       AND n.key NOT IN ('revision', 'geaendert', 'geaendert_von')), '')
             FROM {schema}.massnahmen_verlauf v ORDER BY v.id"
        ),
        &[&pattern],
    )?;
    let header: [&str; 6] = if lang.is_english() {
        [
            "time",
            "user",
            "action",
            "number",
            "title",
            "changed fields",
        ]
    } else {
        [
            "zeit",
            "benutzer",
            "aktion",
            "nummer",
            "titel",
            "geaenderte_felder",
        ]
    };
    let mut csv = String::from("\u{feff}");
    csv.push_str(&header.join(";"));
    csv.push_str("\r\n");
    for row in &rows {
        let action: String = row.get(2);
        let action = match (action.as_str(), lang.is_english()) {
            ("insert", false) => "angelegt",
            ("update", false) => "geändert",
            ("delete", false) => "gelöscht",
            ("insert", true) => "added",
            ("update", true) => "changed",
            ("delete", true) => "deleted",
            _ => "",
        };
        let cells: [String; 6] = [
            row.get::<_, Option<String>>(0).unwrap_or_default(),
            row.get(1),
            action.to_string(),
            row.get::<_, Option<String>>(3).unwrap_or_default(),
            row.get::<_, Option<String>>(4).unwrap_or_default(),
            row.get(5),
        ];
        let cells: Vec<String> = cells
            .iter()
            .map(|c| crate::io::cells::csv_field(c))
            .collect();
        csv.push_str(&cells.join(";"));
        csv.push_str("\r\n");
    }
    Ok((csv, rows.len()))
}
