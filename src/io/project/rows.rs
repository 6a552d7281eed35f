//! Rows of the project file: measures with their links to areas, and the revisioned objects
//! (rules, overrides, saved views, catalogue) — each written only where its revision is the
//! one the write was based on.
//!
//! Every statement that changes a row names the row by its stable id *and* the expected
//! revision, so a write based on an old read changes nothing and is reported as a conflict.
//! Nothing here deletes or rewrites a whole table.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::{LINKS, MEASURES, OBJECTS, TOMBSTONES, parse_fields};

use crate::io::rules_file::{OverrideDto, RulesDocument};
use crate::io::store::{ItemValue, SavedView};
use crate::model::{
    ActionField, Date, Indicator, Measure, Override, Priority, Responsibility, RuleSet, Status,
    Timestamp, Uid,
};

/// The columns of a measure row after `id`, `uid` and `revision`, in order.
const COLUMNS: &str = "titel, beschreibung, handlungsfelder, sozialraeume, kommunen, verantwortung, federfuehrung, partner, status, beginn, ende, budget_eur, prioritaet, notizen, erstellt, geaendert";

fn opt_text(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

/// The 16 values of [`COLUMNS`] for a measure.
fn values(m: &Measure) -> [rusqlite::types::Value; 16] {
    use rusqlite::types::Value as V;
    let text = |s: &str| V::Text(s.to_string());
    let opt = |s: Option<String>| s.map_or(V::Null, V::Text);
    [
        text(&m.title),
        text(&m.description),
        V::Text(m.fields.to_numbers()),
        V::Text(m.areas.join("; ")),
        V::Text(m.municipalities.join("; ")),
        text(m.responsibility.key()),
        text(&m.lead),
        text(&m.partners),
        text(m.status.key()),
        opt(m.start.map(|d| d.to_string())),
        opt(m.end.map(|d| d.to_string())),
        m.budget_eur.map_or(V::Null, V::Real),
        opt(m.priority.map(|p| p.key().to_string())),
        text(&m.notes),
        V::Text(m.created.to_string()),
        V::Text(m.changed.to_string()),
    ]
}

/// How an insert of a measure went.
pub enum Insert {
    /// In the file under this number, at this revision.
    Done {
        /// Its number.
        number: i64,
        /// Its revision.
        revision: u64,
    },
    /// A measure with this uid is in the file.
    Exists,
    /// The measure was deleted at another revision than the insert was based on (someone
    /// deleted it again, or brought it back and deleted it).
    Deleted,
}

/// Inserts a measure with its links — new (`base` 0), or back after its deletion at
/// revision `base` (an undone delete). It keeps its number if it has one (the file never
/// hands a number out twice) and continues from the revision of its deletion.
pub fn insert_measure(tx: &Connection, m: &Measure, base: u64) -> rusqlite::Result<Insert> {
    if exists(tx, m.uid)? {
        return Ok(Insert::Exists);
    }
    let deleted_at = tombstone(tx, m.uid)?.unwrap_or(0);
    if deleted_at != base {
        return Ok(Insert::Deleted);
    }
    let revision = base + 1;
    let number = (m.id > 0 && !number_taken(tx, m.id)?).then_some(m.id);
    let mut all: Vec<rusqlite::types::Value> = vec![
        number.map_or(
            rusqlite::types::Value::Null,
            rusqlite::types::Value::Integer,
        ),
        rusqlite::types::Value::Text(m.uid.to_string()),
        rusqlite::types::Value::Integer(revision as i64),
    ];
    all.extend(values(m));
    let placeholders: Vec<String> = (1..=all.len()).map(|i| format!("?{i}")).collect();
    tx.execute(
        &format!(
            "INSERT INTO {MEASURES} (id, uid, revision, {COLUMNS}) VALUES ({})",
            placeholders.join(", ")
        ),
        rusqlite::params_from_iter(all),
    )?;
    let id = tx.last_insert_rowid();
    if deleted_at > 0 {
        tx.prepare_cached(&format!("DELETE FROM {TOMBSTONES} WHERE uid = ?1"))?
            .execute([m.uid.to_string()])?;
    }
    write_links(tx, id, &m.areas)?;
    Ok(Insert::Done {
        number: id,
        revision,
    })
}

fn exists(tx: &Connection, uid: Uid) -> rusqlite::Result<bool> {
    tx.prepare_cached(&format!("SELECT count(*) FROM {MEASURES} WHERE uid = ?1"))?
        .query_row([uid.to_string()], |r| r.get::<_, i64>(0))
        .map(|n| n > 0)
}

/// The revision a deleted measure was deleted at.
pub fn tombstone(conn: &Connection, uid: Uid) -> rusqlite::Result<Option<u64>> {
    conn.prepare_cached(&format!("SELECT revision FROM {TOMBSTONES} WHERE uid = ?1"))?
        .query_row([uid.to_string()], |r| r.get::<_, i64>(0))
        .optional()
        .map(|r| r.map(|r| r.max(0) as u64))
}

/// Every tombstone: uid and the revision of the deletion.
pub fn tombstones(conn: &Connection) -> rusqlite::Result<Vec<(Uid, u64)>> {
    let mut stmt = conn.prepare(&format!("SELECT uid, revision FROM {TOMBSTONES}"))?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
    })?;
    Ok(rows
        .flatten()
        .filter_map(|(u, r)| Uid::parse(&u).map(|u| (u, r)))
        .collect())
}

fn number_taken(tx: &Connection, id: i64) -> rusqlite::Result<bool> {
    tx.query_row(
        &format!("SELECT count(*) FROM {MEASURES} WHERE id = ?1"),
        [id],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// Updates a measure where it still has revision `base`; returns whether it did.
pub fn update_measure(tx: &Connection, m: &Measure, base: u64) -> rusqlite::Result<bool> {
    let sets: Vec<String> = COLUMNS
        .split(", ")
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 3))
        .collect();
    let mut all: Vec<rusqlite::types::Value> = vec![
        rusqlite::types::Value::Text(m.uid.to_string()),
        rusqlite::types::Value::Integer(base as i64),
    ];
    all.extend(values(m));
    let n = tx.execute(
        &format!(
            "UPDATE {MEASURES} SET revision = revision + 1, {} WHERE uid = ?1 AND revision = ?2",
            sets.join(", ")
        ),
        rusqlite::params_from_iter(all),
    )?;
    if n == 0 {
        return Ok(false);
    }
    let id: i64 = tx.query_row(
        &format!("SELECT id FROM {MEASURES} WHERE uid = ?1"),
        [m.uid.to_string()],
        |r| r.get(0),
    )?;
    write_links(tx, id, &m.areas)?;
    Ok(true)
}

/// Deletes a measure (its links go with it; a trigger leaves the tombstone at revision
/// `base + 1`) where it still has revision `base`.
pub fn delete_measure(tx: &Connection, uid: Uid, base: u64) -> rusqlite::Result<bool> {
    let n = tx.execute(
        &format!("DELETE FROM {MEASURES} WHERE uid = ?1 AND revision = ?2"),
        params![uid.to_string(), base as i64],
    )?;
    Ok(n > 0)
}

fn write_links(tx: &Connection, id: i64, areas: &[String]) -> rusqlite::Result<()> {
    tx.prepare_cached(&format!("DELETE FROM {LINKS} WHERE massnahme_id = ?1"))?
        .execute([id])?;
    let mut link = tx.prepare_cached(&format!(
        "INSERT OR IGNORE INTO {LINKS} (massnahme_id, code, position) VALUES (?1, ?2, ?3)"
    ))?;
    for (i, code) in areas.iter().enumerate() {
        link.execute(params![id, code, i as i64])?;
    }
    Ok(())
}

/// The area codes a stored measure is linked to.
pub fn linked_codes(conn: &Connection, uid: Uid) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT l.code FROM {LINKS} l JOIN {MEASURES} m ON m.id = l.massnahme_id WHERE m.uid = ?1"
    ))?;
    let rows = stmt.query_map([uid.to_string()], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// A stored measure (with the link table as the truth for its areas) and its revision.
pub fn read_measure(conn: &Connection, uid: Uid) -> rusqlite::Result<Option<(Measure, u64)>> {
    let found = read_measures_where(conn, true, Some(uid))?;
    Ok(found.into_iter().next())
}

/// Every stored measure with its revision, in number order. `v2` says whether the table has
/// the `uid` and `revision` columns (a format 1 file gives its measures local uids).
pub fn read_measures(conn: &Connection, v2: bool) -> rusqlite::Result<Vec<(Measure, u64)>> {
    read_measures_where(conn, v2, None)
}

fn read_measures_where(
    conn: &Connection,
    v2: bool,
    only: Option<Uid>,
) -> rusqlite::Result<Vec<(Measure, u64)>> {
    let mut links: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    {
        let (sql, filter) = match only {
            Some(uid) => (
                format!(
                    "SELECT l.massnahme_id, l.code, l.position FROM {LINKS} l JOIN {MEASURES} m ON m.id = l.massnahme_id WHERE m.uid = ?1"
                ),
                vec![uid.to_string()],
            ),
            None => (
                format!("SELECT massnahme_id, code, position FROM {LINKS}"),
                Vec::new(),
            ),
        };
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(filter), |r| {
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
    let head = if v2 {
        "id, uid, revision"
    } else {
        "id, NULL, 0"
    };
    let (filter_sql, filter) = match only {
        Some(uid) => (" WHERE uid = ?1".to_string(), vec![uid.to_string()]),
        None => (String::new(), Vec::new()),
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT {head}, {COLUMNS} FROM {MEASURES}{filter_sql} ORDER BY id"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(filter), |r| {
        let id: i64 = r.get(0)?;
        let uid = r
            .get::<_, Option<String>>(1)?
            .and_then(|t| Uid::parse(&t))
            .unwrap_or_else(|| Uid::local(id.max(0) as u64));
        let revision = r.get::<_, i64>(2)?.max(0) as u64;
        let text = |i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
        };
        let measure = Measure {
            uid,
            id,
            title: text(3)?,
            description: text(4)?,
            fields: parse_fields(&text(5)?),
            areas: split_list(&text(6)?),
            municipalities: split_list(&text(7)?),
            responsibility: Responsibility::parse(&text(8)?).unwrap_or_default(),
            lead: text(9)?,
            partners: text(10)?,
            status: Status::parse(&text(11)?).unwrap_or_default(),
            start: opt_text(r.get(12)?).and_then(|t| Date::parse(&t)),
            end: opt_text(r.get(13)?).and_then(|t| Date::parse(&t)),
            budget_eur: r.get::<_, Option<f64>>(14)?,
            priority: opt_text(r.get(15)?).and_then(|t| Priority::parse(&t)),
            notes: text(16)?,
            created: Timestamp::parse(&text(17)?).unwrap_or_default(),
            changed: Timestamp::parse(&text(18)?).unwrap_or_default(),
        };
        Ok((measure, revision))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mut m, revision) = row?;
        // The link table is the truth; the text column is for people reading the table.
        if let Some(mut l) = links.remove(&m.id) {
            l.sort();
            m.areas = l.into_iter().map(|(_, c)| c).collect();
        }
        out.push((m, revision));
    }
    Ok(out)
}

/// The uid and revision of every stored measure (what a look for others' changes compares).
pub fn measure_revisions(conn: &Connection) -> rusqlite::Result<Vec<(Uid, u64)>> {
    let mut stmt = conn.prepare(&format!("SELECT id, uid, revision FROM {MEASURES}"))?;
    let rows = stmt.query_map([], |r| {
        let id: i64 = r.get(0)?;
        let uid = r
            .get::<_, Option<String>>(1)?
            .and_then(|t| Uid::parse(&t))
            .unwrap_or_else(|| Uid::local(id.max(0) as u64));
        Ok((uid, r.get::<_, i64>(2)?.max(0) as u64))
    })?;
    rows.collect()
}

fn split_list(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

// ---- Revisioned objects: rules, overrides, saved views, catalogue -------------------------

/// The object kinds in the objects table.
pub const RULES: &str = "regeln";
/// An override; key "CODE|FIELD".
pub const OVERRIDE: &str = "uebersteuerung";
/// A saved view; key = its uid.
pub const VIEW: &str = "ansicht";
/// The indicator catalogue.
pub const CATALOGUE: &str = "katalog";
/// The indicator values (the layer's columns): content is the list of keys.
pub const VALUES: &str = "werte";

/// The kind and key of an item in the objects table.
pub fn object_key(item: &crate::io::store::Item) -> Option<(&'static str, String)> {
    use crate::io::store::Item;
    match item {
        Item::Rules => Some((RULES, String::new())),
        Item::Override { code, field } => Some((OVERRIDE, format!("{code}|{}", field.number()))),
        Item::View(uid) => Some((VIEW, uid.to_string())),
        Item::Catalogue => Some((CATALOGUE, String::new())),
        Item::IndicatorValues => Some((VALUES, String::new())),
        Item::Measure(_) | Item::ViewSettings => None,
    }
}

/// The item an object row stands for.
pub fn item_of(kind: &str, key: &str) -> Option<crate::io::store::Item> {
    use crate::io::store::Item;
    match kind {
        RULES => Some(Item::Rules),
        CATALOGUE => Some(Item::Catalogue),
        VALUES => Some(Item::IndicatorValues),
        VIEW => Uid::parse(key).map(Item::View),
        OVERRIDE => {
            let (code, field) = key.rsplit_once('|')?;
            let n: u8 = field.parse().ok()?;
            let field = ActionField::ALL.into_iter().find(|f| f.number() == n)?;
            Some(Item::Override {
                code: code.to_string(),
                field,
            })
        }
        _ => None,
    }
}

/// The rule set as stored (without overrides, which are objects of their own).
pub fn rules_json(rules: &RuleSet) -> String {
    serde_json::to_string(&RulesDocument::from_model(rules, &[])).unwrap_or_default()
}

/// An override as stored.
pub fn override_json(o: &Override) -> String {
    let doc = RulesDocument::from_model(&RuleSet::default(), std::slice::from_ref(o));
    doc.overrides
        .first()
        .and_then(|d| serde_json::to_string(d).ok())
        .unwrap_or_default()
}

/// A stored object's content read back as the value of its kind.
pub fn theirs_of(kind: &str, content: &str) -> Option<ItemValue> {
    match kind {
        RULES => {
            let doc: RulesDocument = serde_json::from_str(content).ok()?;
            doc.to_model()
                .ok()
                .map(|(rules, _)| ItemValue::Rules(rules))
        }
        OVERRIDE => {
            let dto: OverrideDto = serde_json::from_str(content).ok()?;
            let doc = RulesDocument {
                fields: Vec::new(),
                overrides: vec![dto],
            };
            let (_, mut o) = doc.to_model().ok()?;
            o.pop().map(ItemValue::Override)
        }
        VIEW => serde_json::from_str::<SavedView>(content)
            .ok()
            .map(|v| ItemValue::View(Box::new(v))),
        CATALOGUE => serde_json::from_str::<Vec<Indicator>>(content)
            .ok()
            .map(ItemValue::Catalogue),
        VALUES => Some(ItemValue::IndicatorValues),
        _ => None,
    }
}

/// How a revision-checked object write went.
pub enum ObjectWrite {
    /// Written at this revision (0: deleted, or nothing to delete).
    Done(u64),
    /// The stored object has another revision: its content (None: it is gone) and revision.
    Clash(Option<String>, u64),
}

/// Puts (Some) or deletes (None) an object where it still has revision `base` (0: it was
/// never in the file). A deleted object keeps its row without content, at the revision of
/// its deletion.
pub fn write_object(
    tx: &Connection,
    kind: &str,
    key: &str,
    content: Option<&str>,
    base: u64,
) -> rusqlite::Result<ObjectWrite> {
    let current = read_object(tx, kind, key)?;
    let current_revision = current.as_ref().map_or(0, |(_, r)| *r);
    let current_content = current.and_then(|(c, _)| c);
    if current_revision != base {
        // A retry of a write that reached the file but whose answer was lost.
        if current_content.as_deref() == content {
            return Ok(ObjectWrite::Done(current_revision));
        }
        return Ok(ObjectWrite::Clash(current_content, current_revision));
    }
    if content.is_none() && current_revision == 0 {
        return Ok(ObjectWrite::Done(0));
    }
    let revision = base + 1;
    tx.execute(
        &format!(
            "INSERT INTO {OBJECTS} (art, schluessel, inhalt, revision) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(art, schluessel) DO UPDATE SET inhalt = excluded.inhalt, revision = excluded.revision"
        ),
        params![kind, key, content, revision as i64],
    )?;
    Ok(ObjectWrite::Done(revision))
}

/// An object's content (None: deleted) and revision.
pub fn read_object(
    conn: &Connection,
    kind: &str,
    key: &str,
) -> rusqlite::Result<Option<(Option<String>, u64)>> {
    conn.query_row(
        &format!("SELECT inhalt, revision FROM {OBJECTS} WHERE art = ?1 AND schluessel = ?2"),
        params![kind, key],
        |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, i64>(1)?.max(0) as u64,
            ))
        },
    )
    .optional()
}

/// An object row: kind, key, content (None: deleted), revision.
pub type ObjectRow = (String, String, Option<String>, u64);

/// Every object row, deleted ones included.
pub fn read_objects(conn: &Connection) -> rusqlite::Result<Vec<ObjectRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT art, schluessel, inhalt, revision FROM {OBJECTS} ORDER BY art, schluessel"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, i64>(3)?.max(0) as u64,
        ))
    })?;
    rows.collect()
}
