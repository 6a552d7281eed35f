//! Reading a whole register: its areas with their attributes as a GeoJSON map (with the
//! `atlas` metadata, as an exported map carries it), and its measures.

use postgres::Client;

use super::RegisterError;
use super::server::{self, ServerMeasure, ServerRights};

/// A register as read at one moment.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The areas as a GeoJSON FeatureCollection with the `atlas` member.
    pub geojson: String,
    /// The measures.
    pub measures: Vec<ServerMeasure>,
    /// What the connected user may change.
    pub rights: ServerRights,
    /// How often the map was published (the revision of its metadata): a copy made from an
    /// older publication learns that there is a newer one.
    pub publication: i64,
}

/// Reads the register in `schema` in one transaction (one consistent state).
pub fn snapshot(client: &mut Client, schema: &str) -> Result<Snapshot, RegisterError> {
    let schema = super::checked_schema(schema)?;
    let there: bool = client
        .query_one(
            "SELECT count(*) > 0 FROM information_schema.tables
             WHERE table_schema = $1 AND table_name = 'massnahmen'",
            &[&schema],
        )?
        .get(0);
    if !there {
        return Err(RegisterError::NoRegister(schema.to_string()));
    }
    let rights = server::rights(client, schema)?;
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let meta: Option<(String, i64)> = tx
        .query_opt(
            &format!(
                "SELECT inhalt, revision FROM {schema}.einstellungen
                 WHERE art = 'atlas' AND schluessel = 'meta'"
            ),
            &[],
        )?
        .map(|r| (r.get(0), r.get(1)));
    let publication = meta.as_ref().map_or(0, |(_, r)| *r);
    let rows = tx.query(
        &format!(
            "SELECT coalesce(merkmale, jsonb_build_object('code', code, 'name', name,
                     'kommune', kommune))::text,
                 ST_AsGeoJSON(geom, 9)
             FROM {schema}.sozialraeume ORDER BY code"
        ),
        &[],
    )?;
    let mut geojson = String::with_capacity(rows.len() * 2048);
    geojson.push_str("{\"type\":\"FeatureCollection\"");
    if let Some((meta, _)) = &meta {
        geojson.push_str(",\"atlas\":");
        geojson.push_str(meta);
    }
    geojson.push_str(",\"features\":[");
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            geojson.push(',');
        }
        let properties: String = row.get(0);
        let geometry: Option<String> = row.get(1);
        geojson.push_str("{\"type\":\"Feature\",\"properties\":");
        geojson.push_str(&properties);
        geojson.push_str(",\"geometry\":");
        geojson.push_str(geometry.as_deref().unwrap_or("null"));
        geojson.push('}');
    }
    geojson.push_str("]}");
    let measures = server::read_all(&mut tx, schema)?;
    drop(tx);
    Ok(Snapshot {
        geojson,
        measures,
        rights,
        publication,
    })
}
