//! The register's measures on the server, row by row: reading them, and writing one change
//! so that it is checked against the revision it was based on and recognised when it is
//! sent twice.
//!
//! Every change carries its own id (`aenderung`): a write whose answer was lost (a cut
//! network, a killed program) is sent again with the same id, and the server's row says
//! whether it already holds it. A trigger clears the id when anyone else (QGIS, psql) changes
//! the row, so "the id is there" means "the last change was this one".

use postgres::Client;
use postgres::Row;

use super::RegisterError;
use crate::model::{Date, Measure, Priority, Responsibility, Status, Timestamp, Uid};

/// The columns a measure is read with, in the order [`measure_of`] expects.
const READ: &str = "uid::text, nummer, revision, titel, beschreibung, handlungsfelder,
    sozialraeume, kommunen, verantwortung, federfuehrung, partner, status, beginn::text,
    ende::text, budget_eur, prioritaet, notizen,
    to_char(erstellt AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
    to_char(geaendert AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
    geaendert_von::text, aenderung::text";

/// A measure as the server holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerMeasure {
    /// The measure (its number the server's).
    pub measure: Measure,
    /// Its revision on the server.
    pub revision: u64,
    /// Who changed it last (the database user).
    pub changed_by: String,
    /// The id of the last change, when this program made it.
    pub change: Option<String>,
}

fn measure_of(row: &Row) -> ServerMeasure {
    let text = |i: usize| row.get::<_, Option<String>>(i).unwrap_or_default();
    let list = |i: usize| row.get::<_, Option<Vec<String>>>(i).unwrap_or_default();
    let opt = |i: usize| row.get::<_, Option<String>>(i).filter(|s| !s.is_empty());
    let measure = Measure {
        uid: Uid::parse(&text(0)).unwrap_or_default(),
        id: row.get::<_, i64>(1),
        title: text(3),
        description: text(4),
        fields: crate::io::project::parse_fields(&text(5)),
        areas: list(6),
        municipalities: list(7),
        responsibility: Responsibility::parse(&text(8)).unwrap_or_default(),
        lead: text(9),
        partners: text(10),
        status: Status::parse(&text(11)).unwrap_or_default(),
        start: opt(12).and_then(|t| Date::parse(&t)),
        end: opt(13).and_then(|t| Date::parse(&t)),
        budget_eur: row.get::<_, Option<f64>>(14),
        priority: opt(15).and_then(|t| Priority::parse(&t)),
        notes: text(16),
        created: Timestamp::parse(&text(17)).unwrap_or_default(),
        changed: Timestamp::parse(&text(18)).unwrap_or_default(),
    };
    ServerMeasure {
        measure,
        revision: row.get::<_, i64>(2).max(0) as u64,
        changed_by: text(19),
        change: opt(20),
    }
}

/// Every measure of the register.
pub fn read_all(
    client: &mut impl postgres::GenericClient,
    schema: &str,
) -> Result<Vec<ServerMeasure>, RegisterError> {
    let rows = client.query(
        &format!("SELECT {READ} FROM {schema}.massnahmen ORDER BY nummer"),
        &[],
    )?;
    Ok(rows.iter().map(measure_of).collect())
}

/// The measures with these uids (those still there).
pub fn read_some(
    client: &mut Client,
    schema: &str,
    uids: &[Uid],
) -> Result<Vec<ServerMeasure>, RegisterError> {
    let texts: Vec<String> = uids.iter().map(ToString::to_string).collect();
    let rows = client.query(
        &format!("SELECT {READ} FROM {schema}.massnahmen WHERE uid::text = ANY($1)"),
        &[&texts],
    )?;
    Ok(rows.iter().map(measure_of).collect())
}

/// A measure as it was at `revision`, from the register's history (None: not recorded).
pub fn version(
    client: &mut Client,
    schema: &str,
    uid: Uid,
    revision: u64,
) -> Result<Option<ServerMeasure>, RegisterError> {
    let row = client.query_opt(
        &format!(
            "SELECT {READ} FROM (
                 SELECT (jsonb_populate_record(NULL::{schema}.massnahmen, v.nachher)).*
                 FROM {schema}.massnahmen_verlauf v
                 WHERE v.uid = $1::text::uuid AND (v.nachher ->> 'revision')::bigint = $2
                 ORDER BY v.id DESC LIMIT 1) AS m"
        ),
        &[&uid.to_string(), &(revision as i64)],
    )?;
    Ok(row.as_ref().map(measure_of))
}

/// The uid and revision of every measure.
pub fn revisions(client: &mut Client, schema: &str) -> Result<Vec<(Uid, u64)>, RegisterError> {
    let rows = client.query(
        &format!("SELECT uid::text, revision FROM {schema}.massnahmen"),
        &[],
    )?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Uid::parse(&r.get::<_, String>(0)).map(|u| (u, r.get::<_, i64>(1).max(0) as u64))
        })
        .collect())
}

/// A cheap sign of change: it differs after any committed insert, update or delete.
pub fn fingerprint(client: &mut Client, schema: &str) -> Result<String, RegisterError> {
    let row = client.query_one(
        &format!(
            "SELECT count(*)::text || '/' || coalesce(sum(revision), 0)::text || '/' ||
                 coalesce((SELECT max(id) FROM {schema}.massnahmen_verlauf), 0)::text
             FROM {schema}.massnahmen"
        ),
        &[],
    )?;
    Ok(row.get(0))
}

/// How often the map was published (the revision of its metadata; 0: never).
pub fn publication(client: &mut Client, schema: &str) -> Result<i64, RegisterError> {
    let row = client.query_opt(
        &format!(
            "SELECT revision FROM {schema}.einstellungen WHERE art = 'atlas' AND schluessel = 'meta'"
        ),
        &[],
    )?;
    Ok(row.map_or(0, |r| r.get(0)))
}

/// What the user may change, as the database decides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerRights {
    /// A region planner (member of `atlas_region`): every measure.
    pub region: bool,
    /// The municipalities the user plans for (member of their `atlas_k_…` role).
    pub municipalities: Vec<String>,
    /// The database user.
    pub user: String,
}

/// The rights of the connected user.
pub fn rights(client: &mut Client, schema: &str) -> Result<ServerRights, RegisterError> {
    let row = client.query_one(
        &format!(
            "SELECT session_user::text,
                 pg_has_role(session_user, 'atlas_region', 'MEMBER')
                     OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user),
                 {schema}.eigene_kommunen()"
        ),
        &[],
    )?;
    Ok(ServerRights {
        user: row.get(0),
        region: row.get::<_, Option<bool>>(1).unwrap_or(false),
        municipalities: row.get::<_, Option<Vec<String>>>(2).unwrap_or_default(),
    })
}

/// How sending one change went.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    /// On the server, at this revision (None: deleted, as asked).
    Done(Option<ServerMeasure>),
    /// Someone else changed (or deleted) it since the base revision: their value.
    Conflict(Option<ServerMeasure>),
    /// The database refused it (no right to change this measure, or a value the table does
    /// not take): why.
    Refused(String),
}

/// Sends one change of a measure: `mine` (None: deleted here), based on the server's
/// revision `base` (0: new), as change `change` (the same id on every retry).
pub fn send(
    client: &mut Client,
    schema: &str,
    uid: Uid,
    mine: Option<&Measure>,
    base: u64,
    change: &str,
) -> Result<Sent, RegisterError> {
    let uid_text = uid.to_string();
    let answered = match mine {
        Some(m) => match write(client, schema, m, base, change) {
            Ok(row) => row,
            Err(RegisterError::Database(e)) if refused(&e) => {
                return Ok(Sent::Refused(database_message(&e)));
            }
            Err(e) => return Err(e),
        },
        None if base == 0 => return Ok(Sent::Done(None)),
        None => {
            let n = match client.execute(
                &format!(
                    "DELETE FROM {schema}.massnahmen WHERE uid = $1::text::uuid AND revision = $2"
                ),
                &[&uid_text, &(base as i64)],
            ) {
                Ok(n) => n,
                Err(e) if refused(&e) => return Ok(Sent::Refused(database_message(&e))),
                Err(e) => return Err(e.into()),
            };
            if n > 0 {
                return Ok(Sent::Done(None));
            }
            None
        }
    };
    if let Some(row) = answered {
        return Ok(Sent::Done(Some(row)));
    }
    // Nothing changed: sent before (its answer lost), someone else's change, or no right.
    let now = read_some(client, schema, &[uid])?.into_iter().next();
    Ok(match now {
        Some(row) if row.change.as_deref() == Some(change) => Sent::Done(Some(row)),
        // Still at the base revision and visible, yet not changed: row-level security.
        Some(row) if row.revision == base => Sent::Refused(String::new()),
        None if mine.is_none() => Sent::Done(None),
        theirs => Sent::Conflict(theirs),
    })
}

/// The columns of a measure as query parameters $1 to $16, in the order of [`COLUMNS`].
pub(super) struct Params<'a> {
    m: &'a Measure,
    fields: String,
    responsibility: &'static str,
    status: &'static str,
    priority: Option<&'static str>,
    start: Option<String>,
    end: Option<String>,
    created: String,
    changed: String,
}

/// The measure columns [`Params::list`] fills, in its order.
pub(super) const COLUMNS: &str = "titel, beschreibung, handlungsfelder, sozialraeume, kommunen,
    verantwortung, federfuehrung, partner, status, notizen, budget_eur, prioritaet, beginn, ende,
    erstellt, geaendert";

impl<'a> Params<'a> {
    /// The parameters of a measure.
    pub(super) fn of(m: &'a Measure) -> Params<'a> {
        Params {
            m,
            fields: m.fields.to_numbers(),
            responsibility: m.responsibility.key(),
            status: m.status.key(),
            priority: m.priority.map(|p| p.key()),
            start: m.start.map(|d| d.to_string()),
            end: m.end.map(|d| d.to_string()),
            created: m.created.to_string(),
            changed: m.changed.to_string(),
        }
    }

    /// $1 to $16 (dates and times as text, cast in the statement).
    pub(super) fn list(&self) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
        vec![
            &self.m.title,
            &self.m.description,
            &self.fields,
            &self.m.areas,
            &self.m.municipalities,
            &self.responsibility,
            &self.m.lead,
            &self.m.partners,
            &self.status,
            &self.m.notes,
            &self.m.budget_eur,
            &self.priority,
            &self.start,
            &self.end,
            &self.created,
            &self.changed,
        ]
    }
}

/// The values $1 to $16 of [`Params`] with their casts, for a VALUES list.
pub(super) const VALUES: &str = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
    $13::text::date, $14::text::date, $15::text::timestamptz, $16::text::timestamptz";

/// An insert (base 0) or an update where the revision is still `base`; the row written, or
/// None when nothing was.
fn write(
    client: &mut Client,
    schema: &str,
    m: &Measure,
    base: u64,
    change: &str,
) -> Result<Option<ServerMeasure>, RegisterError> {
    let values = Params::of(m);
    let uid = m.uid.to_string();
    let mut all = values.list();
    all.push(&uid);
    all.push(&change);
    let base = base as i64;
    let sql = if base == 0 {
        format!(
            "INSERT INTO {schema}.massnahmen ({COLUMNS}, uid, aenderung)
             VALUES ({VALUES}, $17::text::uuid, $18::text::uuid)
             ON CONFLICT (uid) DO NOTHING RETURNING {READ}"
        )
    } else {
        all.push(&base);
        format!(
            "UPDATE {schema}.massnahmen SET titel = $1, beschreibung = $2, handlungsfelder = $3,
                 sozialraeume = $4, kommunen = $5, verantwortung = $6, federfuehrung = $7,
                 partner = $8, status = $9, notizen = $10, budget_eur = $11, prioritaet = $12,
                 beginn = $13::text::date, ende = $14::text::date, aenderung = $18::text::uuid,
                 erstellt = coalesce(erstellt, $15::text::timestamptz),
                 geaendert = $16::text::timestamptz
             WHERE uid = $17::text::uuid AND revision = $19 RETURNING {READ}"
        )
    };
    let rows = client.query(&sql, &all)?;
    Ok(rows.first().map(measure_of))
}

/// Whether the database refused a change for lack of rights (row-level security, a missing
/// grant).
///
/// Any error the database gives about this one change (rights, a rule of the table, a value
/// it does not take) refuses that change alone, so the others still go; trouble with the link
/// or the server itself (SQLSTATE classes 08 connection, 40 rollback, 53 resources, 57
/// operator, 58 system) is no refusal: the change is tried again later.
fn refused(e: &postgres::Error) -> bool {
    e.code().is_some_and(|c| {
        let class = &c.code()[..2];
        !matches!(class, "08" | "40" | "53" | "57" | "58" | "XX")
    })
}

fn database_message(e: &postgres::Error) -> String {
    e.as_db_error()
        .map_or_else(|| e.to_string(), |d| d.message().to_string())
}

/// The history of one measure, oldest first: time (UTC), user, action, the fields changed.
pub fn history_of(
    client: &mut Client,
    schema: &str,
    uid: Uid,
) -> Result<Vec<HistoryLine>, RegisterError> {
    let rows = client.query(
        &format!(
            "SELECT to_char(v.zeit AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                 v.benutzer::text, v.aktion,
                 coalesce((SELECT array_agg(n.key ORDER BY n.key)
                     FROM jsonb_each(v.nachher) n
                     WHERE v.vorher IS NOT NULL AND n.value IS DISTINCT FROM v.vorher -> n.key
                       AND n.key NOT IN ('revision', 'geaendert', 'geaendert_von', 'aenderung')),
                     '{{}}')
             FROM {schema}.massnahmen_verlauf v WHERE v.uid = $1::text::uuid ORDER BY v.id"
        ),
        &[&uid.to_string()],
    )?;
    Ok(rows
        .iter()
        .map(|r| HistoryLine {
            time: Timestamp::parse(&r.get::<_, String>(0)).unwrap_or_default(),
            user: r.get(1),
            action: r.get(2),
            fields: r.get(3),
        })
        .collect())
}

/// One line of a measure's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    /// When.
    pub time: Timestamp,
    /// The database user.
    pub user: String,
    /// `insert`, `update` or `delete`.
    pub action: String,
    /// The register's column names that changed (an update).
    pub fields: Vec<String>,
}
