//! Keeping a local copy and the register in step, on a thread of its own: changes committed
//! to the copy are sent (each as its own change, so a retry is recognised), others' changes
//! are taken into the copy (where the window finds them as it finds any other writer's), and
//! the link is re-made by itself after a cut network or a server restart.
//!
//! The thread never decides a clash: a change someone else changed first is held back and
//! reported; the user's answer comes back through [`Shared::settle`].

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use postgres::Client;
use rusqlite::Connection;

use super::cache;
use super::server::{self, HistoryLine, Sent, ServerMeasure, ServerRights};
use crate::io::store::{LinkState, Rights};
use crate::model::{Measure, Timestamp, Uid};

/// How often the server is asked for others' changes when it told of none.
pub const LOOK_EVERY: Duration = Duration::from_millis(1000);
/// How often the thread looks for the server's notifications (no query: what arrived on the
/// connection).
const LISTEN_EVERY: Duration = Duration::from_millis(50);
/// The longest wait between two attempts to reach the server.
const RETRY_AT_MOST: Duration = Duration::from_secs(10);

/// Where the register is.
#[derive(Clone, PartialEq, Eq)]
pub struct Target {
    /// The connection string (a password in it stays in memory only).
    pub conninfo: String,
    /// A password typed by the user (memory only).
    pub password: Option<String>,
    /// The schema.
    pub schema: String,
    /// The folder of the local copies (None: the user's data folder).
    pub copies: Option<PathBuf>,
}

impl Target {
    /// A register in `schema` reached with `conninfo`, its copy in the user's data folder.
    pub fn new(conninfo: &str, schema: &str) -> Target {
        Target {
            conninfo: conninfo.to_string(),
            password: None,
            schema: schema.to_string(),
            copies: None,
        }
    }
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({})",
            super::display_location(&self.conninfo),
            self.schema
        )
    }
}

/// What the window and the thread share.
#[derive(Debug)]
pub struct Shared {
    /// The link.
    pub state: LinkState,
    /// Changes in the copy not yet on the server.
    pub unsent: usize,
    /// Conflicts found since the window last looked: the measure, the server's value when our
    /// change was made (from its history), and its value now.
    pub conflicts: Vec<(Uid, Option<Measure>, Option<Measure>)>,
    /// Changes the server refused, with the database's reason.
    pub refused: HashMap<Uid, String>,
    /// Measures not sent until the user settled them (open conflicts, refusals).
    blocked: HashSet<Uid>,
    /// The server's value and revision of each open conflict.
    theirs: HashMap<Uid, Option<ServerMeasure>>,
    /// The user's answers: the measure, whether they took the server's value, and the
    /// measure's local revision when the conflict was shown.
    settle: Vec<(Uid, bool, u64)>,
    /// Who changed each measure last, and when.
    pub changed_by: HashMap<Uid, (String, Timestamp)>,
    /// Histories read, by measure.
    pub history: HashMap<Uid, Vec<HistoryLine>>,
    /// Histories asked for.
    history_wanted: HashSet<Uid>,
    /// What the user may change (as last read from the server, or from the copy).
    pub rights: Rights,
    /// The database user.
    pub user: String,
    /// The map was published again since the copy was made.
    pub republished: bool,
    /// Others' changes were taken into the copy since the window last looked.
    pub news: bool,
    /// Something to do now (a write, an answer).
    nudged: bool,
    /// The thread should end.
    stop: bool,
    /// Counts the window's writes of measures, so a count of unsent changes made before the
    /// latest write is not taken for the truth.
    writes: u64,
}

/// The shared state with the condition the thread waits on.
pub type Link = Arc<(Mutex<Shared>, Condvar)>;

/// Locks the shared state (a panicked holder leaves it usable: every field is valid alone).
pub fn lock(link: &Link) -> MutexGuard<'_, Shared> {
    link.0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    fn new(rights: Rights, user: String) -> Shared {
        Shared {
            state: LinkState::Connecting,
            unsent: 0,
            conflicts: Vec::new(),
            refused: HashMap::new(),
            blocked: HashSet::new(),
            theirs: HashMap::new(),
            settle: Vec::new(),
            changed_by: HashMap::new(),
            history: HashMap::new(),
            history_wanted: HashSet::new(),
            rights,
            user,
            republished: false,
            news: false,
            nudged: false,
            stop: false,
            writes: 0,
        }
    }

    /// The user's answer to a conflict shown when the measure's local revision was
    /// `revision`.
    pub fn settle(&mut self, uid: Uid, took_theirs: bool, revision: u64) {
        self.settle.push((uid, took_theirs, revision));
        self.nudged = true;
    }

    /// Asks for a measure's history.
    pub fn want_history(&mut self, uid: Uid) {
        if self.history_wanted.insert(uid) {
            self.nudged = true;
        }
    }
}

/// Wakes the thread.
pub fn nudge(link: &Link) {
    lock(link).nudged = true;
    link.1.notify_all();
}

/// The window committed measures to the copy: at least one change waits until the thread
/// has counted again, and the thread is woken to send it.
pub fn written(link: &Link) {
    {
        let mut shared = lock(link);
        shared.writes += 1;
        shared.unsent = shared.unsent.max(1);
        shared.nudged = true;
    }
    link.1.notify_all();
}

/// Ends the thread.
pub fn stop(link: &Link) {
    lock(link).stop = true;
    link.1.notify_all();
}

/// The rights as the store speaks of them.
pub fn rights_of(r: &ServerRights) -> Rights {
    if r.region {
        Rights::AllMeasures
    } else if r.municipalities.is_empty() {
        Rights::ReadOnly
    } else {
        Rights::Municipalities(r.municipalities.clone())
    }
}

/// Starts the thread for the copy at `cache_file`, with a client already connected (or
/// None: offline, it keeps trying).
pub fn start(
    cache_file: PathBuf,
    target: Target,
    client: Option<Client>,
    rights: Rights,
    user: String,
    wake: Arc<dyn Fn() + Send + Sync>,
) -> std::io::Result<Link> {
    let mut shared = Shared::new(rights, user);
    let mut client = client;
    if let Some(c) = client.as_mut() {
        shared.state = LinkState::Connected;
        listen(c, &target.schema);
    }
    let link: Link = Arc::new((Mutex::new(shared), Condvar::new()));
    let thread_link = Arc::clone(&link);
    std::thread::Builder::new()
        .name("register-sync".into())
        .spawn(move || {
            let mut worker = Worker {
                link: thread_link,
                target,
                cache_file,
                cache: None,
                client,
                fingerprint: None,
                wait: Duration::from_millis(500),
                next_try: Instant::now(),
                client_id: Uid::default(),
                publication: 0,
                local_seen: None,
                rescan: true,
                counted: None,
                count_due: true,
                wake,
            };
            worker.run();
        })?;
    Ok(link)
}

struct Worker {
    link: Link,
    target: Target,
    cache_file: PathBuf,
    cache: Option<Connection>,
    client: Option<Client>,
    /// The server's sign of change when it was last taken in full.
    fingerprint: Option<String>,
    /// How long to wait before the next attempt to reach the server.
    wait: Duration,
    next_try: Instant,
    client_id: Uid,
    /// The publication the copy was made from.
    publication: i64,
    /// The copy's `data_version` when its unsent changes were last all looked at: the copy
    /// is read again only when another connection (the window) committed since, or when
    /// something else makes it due (`rescan`). An idle register costs a few queries a second.
    local_seen: Option<i64>,
    /// The copy must be read again (a new link, answered conflicts).
    rescan: bool,
    /// The copy's `data_version` and the window's write count at the last count of unsent
    /// changes, and whether this thread changed the copy since.
    counted: Option<(i64, u64)>,
    count_due: bool,
    wake: Arc<dyn Fn() + Send + Sync>,
}

/// Asks the server to tell of commits to the register (a register published by an older
/// version has no such trigger: then the once-a-second look finds the changes).
fn listen(client: &mut Client, schema: &str) {
    let _ = client.batch_execute(&format!("LISTEN {schema}_geaendert"));
}

/// SQLite's `data_version` of the copy: it changes when another connection commits.
fn copy_version(conn: &Connection) -> Option<i64> {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0)).ok()
}

impl Worker {
    fn run(&mut self) {
        let mut last_round: Option<Instant> = None;
        loop {
            let nudged = {
                let mut shared = lock(&self.link);
                if !shared.nudged && !shared.stop {
                    shared = self
                        .link
                        .1
                        .wait_timeout(shared, LISTEN_EVERY)
                        .map(|(g, _)| g)
                        .unwrap_or_else(|e| e.into_inner().0);
                }
                if shared.stop {
                    return;
                }
                std::mem::take(&mut shared.nudged)
            };
            // The server tells of others' commits (LISTEN/NOTIFY): looked for without a
            // query; without news the register is asked once a second anyway.
            let told = self.client.as_mut().is_some_and(|c| {
                use postgres::fallible_iterator::FallibleIterator;
                let mut notes = c.notifications();
                // A moment's wait drives the connection (the nonblocking look alone does not
                // read what arrived while the link was idle).
                let mut pending = notes.timeout_iter(Duration::from_millis(1));
                let mut any = false;
                // A broken link ends the look; the next round's query finds it.
                while let Ok(Some(_)) = pending.next() {
                    any = true;
                }
                any
            });
            if !(nudged || told || last_round.is_none_or(|t| t.elapsed() >= LOOK_EVERY)) {
                continue;
            }
            last_round = Some(Instant::now());
            let before = self.snapshot_for_wake();
            self.round();
            if self.snapshot_for_wake() != before {
                (self.wake)();
            }
        }
    }

    /// What the window shows of the link (a change wakes it).
    fn snapshot_for_wake(&self) -> (LinkState, usize, usize, usize, usize, bool, bool) {
        let s = lock(&self.link);
        (
            s.state.clone(),
            s.unsent,
            s.conflicts.len(),
            s.refused.len(),
            s.history.len(),
            s.republished,
            s.news,
        )
    }

    fn round(&mut self) {
        let writes = lock(&self.link).writes;
        if self.cache.is_none() {
            match crate::io::project::connect_file(&self.cache_file, Duration::from_secs(5)) {
                Ok(conn) => {
                    self.client_id = cache::info(&conn, "client")
                        .and_then(|t| Uid::parse(&t))
                        .unwrap_or_default();
                    self.publication = cache::info(&conn, "veroeffentlichung")
                        .and_then(|t| t.parse().ok())
                        .unwrap_or(0);
                    self.cache = Some(conn);
                }
                Err(_) => return,
            }
        }
        if self.client.is_none() && Instant::now() >= self.next_try {
            self.reconnect();
        }
        if self.client.is_some() {
            if let Err(e) = self.exchange() {
                self.went_offline(&e);
            } else {
                self.wait = Duration::from_millis(500);
            }
        }
        if let Some(conn) = &self.cache {
            let version = copy_version(conn);
            let now = version.map(|v| (v, writes));
            if (self.count_due || now.is_none() || now != self.counted)
                && let Ok(n) = cache::unsent_count(conn)
            {
                self.counted = now;
                self.count_due = false;
                let mut shared = lock(&self.link);
                // A write since this round began may not be counted yet.
                shared.unsent = if shared.writes == writes { n } else { n.max(1) };
            }
        }
    }

    fn reconnect(&mut self) {
        match super::connect_with(&self.target.conninfo, self.target.password.as_deref()) {
            Ok(mut client) => {
                let rights = server::rights(&mut client, &self.target.schema);
                let mut shared = lock(&self.link);
                if let Ok(r) = &rights {
                    shared.rights = rights_of(r);
                    shared.user.clone_from(&r.user);
                }
                shared.state = LinkState::Connected;
                // Refused changes are tried once more on every new link (rights may have
                // been granted meanwhile).
                let refused: Vec<Uid> = shared.refused.drain().map(|(u, _)| u).collect();
                for uid in refused {
                    shared.blocked.remove(&uid);
                }
                drop(shared);
                listen(&mut client, &self.target.schema);
                self.client = Some(client);
                self.fingerprint = None;
                self.rescan = true;
                self.count_due = true;
            }
            Err(e) => self.went_offline(&e),
        }
    }

    fn went_offline(&mut self, e: &super::RegisterError) {
        self.client = None;
        self.next_try = Instant::now() + self.wait;
        self.wait = (self.wait * 2).min(RETRY_AT_MOST);
        let why = e.describe(crate::i18n::Lang::default());
        let mut shared = lock(&self.link);
        shared.state = match &shared.state {
            LinkState::Offline { since, .. } => LinkState::Offline { since: *since, why },
            _ => LinkState::Offline {
                since: crate::io::clock::now(),
                why,
            },
        };
    }

    /// Answers, sends, takes in, reads histories: one exchange with the server.
    fn exchange(&mut self) -> Result<(), super::RegisterError> {
        let (Some(client), Some(conn)) = (self.client.as_mut(), self.cache.as_mut()) else {
            return Ok(());
        };
        let schema = self.target.schema.clone();
        let answered = settle_answers(&self.link, conn)?;
        // Read before the copy is looked at: a commit after this is seen next round.
        let version = copy_version(conn);
        let due = self.rescan || answered || version.is_none() || version != self.local_seen;
        let mut sent = false;
        if due {
            sent = send_unsent(&self.link, client, conn, &schema, self.client_id)?;
            self.local_seen = version;
            self.rescan = false;
        }
        if sent || answered {
            self.count_due = true;
        }
        let print = server::fingerprint(client, &schema)?;
        let published = server::publication(client, &schema)?;
        if published != self.publication {
            lock(&self.link).republished = true;
        }
        if sent || self.fingerprint.as_deref() != Some(print.as_str()) {
            let complete = take_changes(&self.link, client, conn, &schema)?;
            self.fingerprint = complete.then_some(print);
            self.count_due = true;
        }
        let wanted: Vec<Uid> = lock(&self.link).history_wanted.drain().collect();
        for uid in wanted {
            let lines = server::history_of(client, &schema, uid)?;
            lock(&self.link).history.insert(uid, lines);
        }
        Ok(())
    }
}

fn local(e: rusqlite::Error) -> super::RegisterError {
    super::RegisterError::Cache(e.to_string())
}

/// The user's answers to conflicts: their value taken into the copy, or the server's
/// revision recorded as the base of the next send of ours. A measure changed again in the
/// window after the answer keeps that change (based on the server's value, now seen).
fn settle_answers(link: &Link, conn: &mut Connection) -> Result<bool, super::RegisterError> {
    type Answer = (Uid, bool, u64, Option<Option<ServerMeasure>>);
    let answers: Vec<Answer> = {
        let mut shared = lock(link);
        let answers = std::mem::take(&mut shared.settle);
        answers
            .into_iter()
            .map(|(uid, took, shown_at)| {
                shared.blocked.remove(&uid);
                (uid, took, shown_at, shared.theirs.remove(&uid))
            })
            .collect()
    };
    let any = !answers.is_empty();
    for (uid, took_theirs, shown_at, theirs) in answers {
        let Some(theirs) = theirs else { continue };
        let tx = conn.transaction().map_err(local)?;
        let revision = theirs.as_ref().map_or(0, |t| t.revision);
        cache::rebase(&tx, uid, revision).map_err(local)?;
        if took_theirs && cache::local_revision(&tx, uid).map_err(local)?.1 == shown_at {
            cache::forget_unsent(&tx, uid).map_err(local)?;
            cache::take(&tx, uid, theirs.as_ref()).map_err(local)?;
        }
        tx.commit().map_err(local)?;
    }
    Ok(any)
}

/// The id of one change: the same for every retry of it, different for every other change
/// (the copy's id, the measure, the local revision, mixed).
pub fn change_id(client: Uid, uid: Uid, local: u64) -> String {
    const ODD: u128 = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835;
    let mixed = client.0 ^ uid.0.rotate_left(47) ^ u128::from(local).wrapping_mul(ODD);
    // A version 4 UUID's fixed bits, so PostgreSQL's uuid type takes it as any other.
    let v4 = (mixed & !(0xf << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62);
    Uid(v4).to_string()
}

/// Sends every change not yet on the server; returns whether anything was sent.
fn send_unsent(
    link: &Link,
    client: &mut Client,
    conn: &mut Connection,
    schema: &str,
    client_id: Uid,
) -> Result<bool, super::RegisterError> {
    let unsent = cache::unsent(conn).map_err(local)?;
    let mut any = false;
    for u in unsent {
        if lock(link).blocked.contains(&u.uid) {
            continue;
        }
        let id = change_id(client_id, u.uid, u.local);
        let answer = server::send(client, schema, u.uid, u.value.as_ref(), u.base, &id)?;
        any = true;
        match answer {
            Sent::Done(row) => {
                let tx = conn.transaction().map_err(local)?;
                cache::sent(&tx, u.uid, u.local, row.as_ref()).map_err(local)?;
                tx.commit().map_err(local)?;
                let mut shared = lock(link);
                shared.history.remove(&u.uid);
                if let Some(r) = &row {
                    shared
                        .changed_by
                        .insert(u.uid, (r.changed_by.clone(), r.measure.changed));
                }
            }
            Sent::Conflict(theirs) => {
                let same = match (&theirs, &u.value) {
                    (Some(t), Some(m)) => same_content(&t.measure, m),
                    (None, None) => true,
                    _ => false,
                };
                if same {
                    // Someone made the very same change: nothing to settle.
                    let tx = conn.transaction().map_err(local)?;
                    cache::sent(&tx, u.uid, u.local, theirs.as_ref()).map_err(local)?;
                    tx.commit().map_err(local)?;
                    continue;
                }
                // What the server had when this change was made: "beim Öffnen" in the dialog.
                let base = if u.base > 0 {
                    server::version(client, schema, u.uid, u.base)?.map(|b| b.measure)
                } else {
                    None
                };
                let mut shared = lock(link);
                shared.blocked.insert(u.uid);
                shared
                    .conflicts
                    .push((u.uid, base, theirs.as_ref().map(|t| t.measure.clone())));
                shared.theirs.insert(u.uid, theirs);
            }
            Sent::Refused(why) => {
                let mut shared = lock(link);
                shared.blocked.insert(u.uid);
                shared.refused.insert(u.uid, why);
            }
        }
    }
    Ok(any)
}

/// Whether two values of a measure say the same (its number and time stamps aside).
fn same_content(a: &Measure, b: &Measure) -> bool {
    let mut a = a.clone();
    a.id = b.id;
    a.changed = b.changed;
    a.created = b.created;
    a == *b
}

/// Takes others' changes into the copy; returns whether every change was taken (those
/// with an unsent change here wait for it to be sent and settled).
fn take_changes(
    link: &Link,
    client: &mut Client,
    conn: &mut Connection,
    schema: &str,
) -> Result<bool, super::RegisterError> {
    let there: HashMap<Uid, u64> = server::revisions(client, schema)?.into_iter().collect();
    let known = cache::server_revisions(conn).map_err(local)?;
    let changed: Vec<Uid> = there
        .iter()
        .filter(|(uid, rev)| known.get(uid) != Some(rev))
        .map(|(uid, _)| *uid)
        .collect();
    let gone: Vec<Uid> = known
        .iter()
        .filter(|(uid, rev)| **rev > 0 && !there.contains_key(uid))
        .map(|(uid, _)| *uid)
        .collect();
    if changed.is_empty() && gone.is_empty() {
        return Ok(true);
    }
    let mut rows = Vec::new();
    for chunk in changed.chunks(1000) {
        rows.extend(server::read_some(client, schema, chunk)?);
    }
    let mut complete = true;
    let tx = conn.transaction().map_err(local)?;
    for row in &rows {
        complete &= cache::take(&tx, row.measure.uid, Some(row)).map_err(local)?;
    }
    for uid in &gone {
        complete &= cache::take(&tx, *uid, None).map_err(local)?;
    }
    tx.commit().map_err(local)?;
    let mut shared = lock(link);
    shared.news |= !rows.is_empty() || !gone.is_empty();
    for row in rows {
        shared.changed_by.insert(
            row.measure.uid,
            (row.changed_by.clone(), row.measure.changed),
        );
        shared.history.remove(&row.measure.uid);
    }
    Ok(complete)
}
