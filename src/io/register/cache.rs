//! The local copy of a register: an ordinary project file (GeoPackage) with two tables more,
//! which say for every measure which local revision matches which revision on the server.
//!
//! What still has to go to the server is not kept in a list of its own but read from the
//! file: a measure whose local revision differs from the one recorded as matching the
//! server's was changed here and not yet sent. So a change committed to the file is never
//! forgotten, wherever the program is killed — there is no second write that could be lost.

use rusqlite::{Connection, OptionalExtension, params};

use super::server::ServerMeasure;
use crate::io::project::rows::{self, Insert};
use crate::io::project::{MEASURES, TOMBSTONES};
use crate::model::{Measure, Timestamp, Uid};

/// Per measure: the local revision that matches the server's revision.
pub const STAND: &str = "atlas_register_stand";
/// The register's settings in the copy (client id, server, schema, rights; never a password).
pub const INFO: &str = "atlas_register";

/// Creates the tables (if missing).
pub fn ensure_tables(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "CREATE TABLE IF NOT EXISTS {STAND} (
           uid TEXT PRIMARY KEY NOT NULL, lokal INTEGER NOT NULL, server INTEGER NOT NULL,
           von TEXT NOT NULL DEFAULT '', am TEXT NOT NULL DEFAULT '');
         CREATE TABLE IF NOT EXISTS {INFO} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);"
    ))
}

/// A setting of the copy.
pub fn info(conn: &Connection, key: &str) -> Option<String> {
    conn.query_row(
        &format!("SELECT value FROM {INFO} WHERE key = ?1"),
        [key],
        |r| r.get(0),
    )
    .optional()
    .ok()
    .flatten()
}

/// Sets a setting of the copy.
pub fn set_info(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        &format!("INSERT OR REPLACE INTO {INFO} (key, value) VALUES (?1, ?2)"),
        params![key, value],
    )?;
    Ok(())
}

/// A change made here and not yet on the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsent {
    /// The measure.
    pub uid: Uid,
    /// Its local revision now.
    pub local: u64,
    /// The server's revision it was based on (0: new).
    pub base: u64,
    /// Its value (None: deleted here).
    pub value: Option<Measure>,
}

/// Every change made here and not yet on the server.
pub fn unsent(conn: &Connection) -> rusqlite::Result<Vec<Unsent>> {
    let mut out = Vec::new();
    {
        let mut stmt = conn.prepare(&unsent_sql())?;
        let found = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?.max(0) as u64,
                r.get::<_, i64>(2)?.max(0) as u64,
            ))
        })?;
        for row in found {
            let (uid, local, base) = row?;
            if let Some(uid) = Uid::parse(&uid) {
                out.push(Unsent {
                    uid,
                    local,
                    base,
                    value: None,
                });
            }
        }
    }
    for u in &mut out {
        u.value = rows::read_measure(conn, u.uid)?.map(|(m, _)| m);
    }
    Ok(out)
}

/// How many changes wait for the server.
pub fn unsent_count(conn: &Connection) -> rusqlite::Result<usize> {
    conn.query_row(
        &format!("SELECT count(*) FROM ({})", unsent_sql()),
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n.max(0) as usize)
}

/// The one definition of "changed here, not on the server": uid, local revision and the
/// server revision it is based on — a live measure whose revision no server revision
/// matches, or a deletion of a measure the server has.
fn unsent_sql() -> String {
    format!(
        "SELECT m.uid, m.revision, coalesce(s.server, 0) FROM {MEASURES} m
         LEFT JOIN {STAND} s ON s.uid = m.uid
         WHERE s.lokal IS NULL OR s.lokal <> m.revision
         UNION ALL
         SELECT t.uid, t.revision, s.server FROM {TOMBSTONES} t
         JOIN {STAND} s ON s.uid = t.uid WHERE s.lokal <> t.revision AND s.server > 0"
    )
}

/// The server revision recorded for a measure (0: none), with the local one it matches.
pub fn stand(conn: &Connection, uid: Uid) -> rusqlite::Result<Option<(u64, u64)>> {
    conn.query_row(
        &format!("SELECT lokal, server FROM {STAND} WHERE uid = ?1"),
        [uid.to_string()],
        |r| {
            Ok((
                r.get::<_, i64>(0)?.max(0) as u64,
                r.get::<_, i64>(1)?.max(0) as u64,
            ))
        },
    )
    .optional()
}

/// Records that local revision `local` matches the server's `server` (0: deleted there).
pub fn record(
    conn: &Connection,
    uid: Uid,
    local: u64,
    server: u64,
    by: &str,
    at: Timestamp,
) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO {STAND} (uid, lokal, server, von, am) VALUES (?1, ?2, ?3, ?4, ?5)"
    ))?
    .execute(params![
        uid.to_string(),
        local as i64,
        server as i64,
        by,
        at.to_string()
    ])?;
    Ok(())
}

/// Records the server's revision as the base for the next send, keeping the local revision
/// it matched (the user has seen the server's value and keeps theirs over it).
pub fn rebase(conn: &Connection, uid: Uid, server: u64) -> rusqlite::Result<()> {
    conn.execute(
        &format!("UPDATE {STAND} SET server = ?2 WHERE uid = ?1"),
        params![uid.to_string(), server as i64],
    )?;
    if conn.changes() == 0 {
        // A measure new here that someone else also has: its next send is an update.
        conn.execute(
            &format!("INSERT INTO {STAND} (uid, lokal, server) VALUES (?1, 0, ?2)"),
            params![uid.to_string(), server as i64],
        )?;
    }
    Ok(())
}

/// Who changed each measure last on the server, and when.
pub fn changed_by(conn: &Connection) -> rusqlite::Result<Vec<(Uid, String, Timestamp)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT uid, von, am FROM {STAND} WHERE server > 0"
    ))?;
    let found = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in found {
        let (uid, by, at) = row?;
        if let (Some(uid), Some(at)) = (Uid::parse(&uid), Timestamp::parse(&at)) {
            out.push((uid, by, at));
        }
    }
    Ok(out)
}

/// Whether the measure is live here, and its local revision (its tombstone's when deleted
/// here; 0: never here).
pub fn local_revision(conn: &Connection, uid: Uid) -> rusqlite::Result<(bool, u64)> {
    let live: Option<i64> = conn
        .prepare_cached(&format!("SELECT revision FROM {MEASURES} WHERE uid = ?1"))?
        .query_row([uid.to_string()], |r| r.get(0))
        .optional()?;
    match live {
        Some(r) => Ok((true, r.max(0) as u64)),
        None => Ok((false, rows::tombstone(conn, uid)?.unwrap_or(0))),
    }
}

/// Whether the measure has a change here the server has not got.
pub fn is_unsent(conn: &Connection, uid: Uid) -> rusqlite::Result<bool> {
    let (live, local) = local_revision(conn, uid)?;
    Ok(match stand(conn, uid)? {
        Some((matched, server)) => matched != local && (live || server > 0),
        None => live,
    })
}

/// Takes the server's value of a measure into the copy (None: deleted there), unless it has
/// a change here that is not sent: returns whether it was taken. The copy's number becomes
/// the server's.
pub fn take(conn: &Connection, uid: Uid, theirs: Option<&ServerMeasure>) -> rusqlite::Result<bool> {
    if is_unsent(conn, uid)? {
        return Ok(false);
    }
    let (live, local) = local_revision(conn, uid)?;
    let now = match (theirs, live) {
        (Some(s), true) => {
            if !rows::update_measure(conn, &s.measure, local)? {
                return Ok(false);
            }
            renumber(conn, uid, s.measure.id)?;
            local_revision(conn, uid)?.1
        }
        (Some(s), false) => {
            make_room(conn, s.measure.id, uid)?;
            match rows::insert_measure(conn, &s.measure, local)? {
                Insert::Done { .. } => {}
                Insert::Exists | Insert::Deleted => return Ok(false),
            }
            renumber(conn, uid, s.measure.id)?;
            local_revision(conn, uid)?.1
        }
        (None, true) => {
            if !rows::delete_measure(conn, uid, local)? {
                return Ok(false);
            }
            local + 1
        }
        (None, false) => local,
    };
    match theirs {
        Some(s) => record(conn, uid, now, s.revision, &s.changed_by, s.measure.changed)?,
        None => record(conn, uid, now, 0, "", Timestamp::default())?,
    }
    Ok(true)
}

/// After a send: the server holds local revision `local` as `theirs` (None: deleted). The
/// copy takes the server's number; if the measure was changed again meanwhile, that change
/// stays unsent.
pub fn sent(
    conn: &Connection,
    uid: Uid,
    local: u64,
    theirs: Option<&ServerMeasure>,
) -> rusqlite::Result<()> {
    let Some(s) = theirs else {
        return record(conn, uid, local, 0, "", Timestamp::default());
    };
    let (_, before) = local_revision(conn, uid)?;
    let moved = renumber(conn, uid, s.measure.id)?;
    // The renumbering raised the revision; it matches the server only if nothing else did.
    let matched = if moved && before == local {
        local + 1
    } else {
        local
    };
    record(
        conn,
        uid,
        matched,
        s.revision,
        &s.changed_by,
        s.measure.changed,
    )
}

/// Gives a measure the server's number (moving a measure new here out of the way); returns
/// whether its number changed (its revision then went up by one).
fn renumber(conn: &Connection, uid: Uid, number: i64) -> rusqlite::Result<bool> {
    if number <= 0 {
        return Ok(false);
    }
    let id: Option<i64> = conn
        .query_row(
            &format!("SELECT id FROM {MEASURES} WHERE uid = ?1"),
            [uid.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = id.filter(|id| *id != number) else {
        return Ok(false);
    };
    make_room(conn, number, uid)?;
    move_row(conn, id, number)?;
    Ok(true)
}

/// Moves the measure holding `number` (other than `uid`) to a free number.
fn make_room(conn: &Connection, number: i64, uid: Uid) -> rusqlite::Result<()> {
    let holder: Option<(i64, String)> = conn
        .query_row(
            &format!("SELECT id, uid FROM {MEASURES} WHERE id = ?1"),
            [number],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((id, other)) = holder
        && other != uid.to_string()
    {
        let free: i64 = conn.query_row(
            &format!(
                "SELECT max(coalesce((SELECT max(id) FROM {MEASURES}), 0),
                     coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{MEASURES}'), 0)) + 1"
            ),
            [],
            |r| r.get(0),
        )?;
        move_row(conn, id, free)?;
    }
    Ok(())
}

/// Changes a measure's number (its links follow; its revision goes up by one).
fn move_row(conn: &Connection, from: i64, to: i64) -> rusqlite::Result<()> {
    conn.pragma_update(None, "defer_foreign_keys", "ON")?;
    conn.execute(
        &format!("UPDATE {MEASURES} SET id = ?2, revision = revision + 1 WHERE id = ?1"),
        params![from, to],
    )?;
    conn.execute(
        &format!(
            "UPDATE {} SET massnahme_id = ?2 WHERE massnahme_id = ?1",
            crate::io::project::LINKS
        ),
        params![from, to],
    )?;
    conn.execute(
        &format!("UPDATE sqlite_sequence SET seq = max(seq, ?1) WHERE name = '{MEASURES}'"),
        [to],
    )?;
    Ok(())
}

/// Marks the measure's local revision as the one matching the server (its change here is
/// given up for the server's value, which is taken next).
pub fn forget_unsent(conn: &Connection, uid: Uid) -> rusqlite::Result<()> {
    let (_, local) = local_revision(conn, uid)?;
    conn.execute(
        &format!("UPDATE {STAND} SET lokal = ?2 WHERE uid = ?1"),
        params![uid.to_string(), local as i64],
    )?;
    Ok(())
}

/// The server revision recorded for every measure (0: deleted there).
pub fn server_revisions(
    conn: &Connection,
) -> rusqlite::Result<std::collections::HashMap<Uid, u64>> {
    let mut stmt = conn.prepare(&format!("SELECT uid, server FROM {STAND}"))?;
    let found = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
    })?;
    let mut out = std::collections::HashMap::new();
    for row in found {
        let (uid, server) = row?;
        if let Some(uid) = Uid::parse(&uid) {
            out.insert(uid, server);
        }
    }
    Ok(out)
}
