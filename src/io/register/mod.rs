//! The shared measures register on PostgreSQL with PostGIS: publishing a project into a schema
//! that the region and its municipalities share, with rights enforced by the database.
//!
//! [`publish`] creates the schema (`schema.sql`: areas with PostGIS geometry, catalogue/rules
//! settings, measures, an append-only history written by a trigger, roles and row-level
//! security) and writes the map into it in one transaction: all of it or nothing. Connection
//! settings follow libpq's conventions as far as rust-postgres reads them (a URL or
//! `key=value` string, `PGHOST`/`PGPORT`/`PGUSER`/`PGDATABASE`/`PGPASSWORD`); a password is
//! never written anywhere by this program.

mod cache;
mod libpq;
mod server;
mod snapshot;
mod store;
mod sync;

use postgres::{Client, NoTls, Transaction};
use serde_json::Value;

pub use server::{HistoryLine, Sent, ServerMeasure, ServerRights, send};
pub use snapshot::{Snapshot, snapshot};
pub use store::{OpenedRegister, RegisterStore, copy_path, make_copy, open_copy};
pub use sync::{LOOK_EVERY, Target, change_id};

use super::export_geojson::{MapExport, atlas_meta, geojson_text};
use crate::model::Measure;

/// The schema, with `{schema}` for its name.
const SCHEMA_SQL: &str = include_str!("schema.sql");

/// What [`publish`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// Areas (with geometry).
    pub areas: usize,
    /// Measures.
    pub measures: usize,
    /// Municipality roles created or kept (`atlas_k_…`).
    pub roles: Vec<String>,
}

/// Why publishing failed.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// No connection, refused login, or an SQL error.
    #[error("{0}")]
    Database(#[from] postgres::Error),
    /// A schema name that is not a plain lower-case identifier.
    #[error("schema name {0:?}: only a-z, 0-9 and _ (starting with a letter)")]
    SchemaName(String),
    /// The map could not be written as GeoJSON.
    #[error("{0}")]
    Geometry(String),
    /// `sslmode=disable` for a server on another machine: nothing goes unencrypted over a
    /// network.
    #[error("{0} is another machine: sslmode=disable is not allowed there")]
    NotLocal(String),
    /// The CA certificates could not be read (the `sslrootcert` file, or the system's).
    #[error("{0}")]
    Certificates(String),
    /// The local copy could not be read or written.
    #[error("{0}")]
    Cache(String),
    /// A service name that no service file knows.
    #[error("service {0}: not found in any pg_service.conf")]
    UnknownService(String),
    /// The schema holds no register (nothing published there).
    #[error("no register in schema {0}")]
    NoRegister(String),
}

impl RegisterError {
    /// The error in the user's language (the server's own messages stay as it sends them).
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::T;
        match self {
            RegisterError::NotLocal(host) => lang.tf(T::RegisterNotLocal, &[("host", host)]),
            RegisterError::Certificates(why) => lang.tf(T::RegisterCertificates, &[("why", why)]),
            RegisterError::SchemaName(name) => lang.tf(T::RegisterSchemaName, &[("name", name)]),
            RegisterError::Database(e) => match e.as_db_error() {
                Some(db) => db.message().to_string(),
                // "error connecting to server: No such file or directory": the cause too.
                None => match std::error::Error::source(e) {
                    Some(cause) => format!("{e}: {cause}"),
                    None => e.to_string(),
                },
            },
            RegisterError::Geometry(why) => why.clone(),
            RegisterError::UnknownService(name) => {
                lang.tf(T::RegisterUnknownService, &[("name", name)])
            }
            RegisterError::Cache(why) => lang.tf(T::RegisterCache, &[("why", why)]),
            RegisterError::NoRegister(schema) => {
                lang.tf(T::RegisterNothingThere, &[("schema", schema)])
            }
        }
    }
}

/// Connects with a libpq-style string: a `postgresql://` URL or `host=… dbname=…`; missing
/// parts come from the PG* environment variables, as libpq would take them.
///
/// Encryption: a server on another machine is always reached over TLS (rustls), its
/// certificate checked against `sslrootcert` (a PEM file, like libpq's) or the system's CA
/// certificates, and its name against the host (libpq's `verify-full`); `sslmode=disable`
/// is refused there. This machine (a Unix socket, localhost) is reached without TLS unless
/// `sslmode=require` asks for it.
pub fn connect(conninfo: &str) -> Result<Client, RegisterError> {
    connect_with(conninfo, None)
}

/// [`connect`] with a password the user typed (kept in memory only).
pub fn connect_with(conninfo: &str, password: Option<&str>) -> Result<Client, RegisterError> {
    let conninfo = libpq::expand_service(conninfo)
        .map_err(|libpq::UnknownService(name)| RegisterError::UnknownService(name))?;
    let (conninfo, root_cert) = take_root_cert(&conninfo);
    let conninfo = plain_ssl_modes(&conninfo);
    let mut config: postgres::Config = conninfo.parse()?;
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if config.get_hosts().is_empty() {
        config.host(env("PGHOST").as_deref().unwrap_or("localhost"));
    }
    if config.get_ports().is_empty()
        && let Some(port) = env("PGPORT").and_then(|p| p.parse().ok())
    {
        config.port(port);
    }
    if config.get_user().is_none() {
        let user = env("PGUSER").or_else(|| env("USER")).unwrap_or_default();
        config.user(&user);
    }
    if config.get_dbname().is_none()
        && let Some(db) = env("PGDATABASE")
    {
        config.dbname(&db);
    }
    if let Some(pw) = password.filter(|p| !p.is_empty()) {
        config.password(pw);
    }
    if config.get_password().is_none()
        && let Some(pw) = env("PGPASSWORD")
    {
        config.password(pw);
    }
    if config.get_password().is_none()
        && let Some(pw) = pgpass_for(&config)
    {
        config.password(pw);
    }
    config.keepalives(true);
    config.keepalives_idle(std::time::Duration::from_secs(20));
    config.application_name("sozialraum-atlas");
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(std::time::Duration::from_secs(15));
    }
    let remote = remote_host(&config);
    let asked = config.get_ssl_mode();
    if let Some(host) = &remote
        && asked == postgres::config::SslMode::Disable
    {
        return Err(RegisterError::NotLocal(host.clone()));
    }
    if remote.is_none() && asked != postgres::config::SslMode::Require {
        return Ok(config.connect(NoTls)?);
    }
    config.ssl_mode(postgres::config::SslMode::Require);
    let tls = tokio_postgres_rustls::MakeRustlsConnect::new(tls_config(root_cert.as_deref())?);
    Ok(config.connect(tls)?)
}

/// The server, port, database and user of a connection string, for messages and the status
/// bar (never a password).
pub fn display_location(conninfo: &str) -> String {
    let expanded = libpq::expand_service(conninfo).unwrap_or_else(|_| conninfo.to_string());
    let (conninfo, _) = take_root_cert(&plain_ssl_modes(&expanded));
    let Ok(config) = conninfo.parse::<postgres::Config>() else {
        return String::new();
    };
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => std::env::var("PGHOST").unwrap_or_else(|_| "localhost".into()),
    };
    let port = config
        .get_ports()
        .first()
        .map(|p| format!(":{p}"))
        .unwrap_or_default();
    let db = config
        .get_dbname()
        .map(|d| format!("/{d}"))
        .unwrap_or_default();
    let user = config
        .get_user()
        .map(|u| format!("{u}@"))
        .unwrap_or_default();
    format!("{user}{host}{port}{db}")
}

/// libpq's `verify-full` and `verify-ca` are what this program always does over a network
/// (rustls checks the certificate and the name); rust-postgres knows them as `require`.
fn plain_ssl_modes(conninfo: &str) -> String {
    conninfo
        .replace("sslmode=verify-full", "sslmode=require")
        .replace("sslmode=verify-ca", "sslmode=require")
        .replace("sslmode=allow", "sslmode=prefer")
}

/// The password `.pgpass` holds for the first host of a connection.
fn pgpass_for(config: &postgres::Config) -> Option<String> {
    let host = match config.get_hosts().first()? {
        postgres::config::Host::Tcp(h) => h.clone(),
        #[cfg(unix)]
        postgres::config::Host::Unix(p) => p.display().to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or_default();
    let db = config.get_dbname().unwrap_or(user);
    let pw = libpq::password_for(&host, port, db, user)?;
    Some(pw)
}

/// Whether a connection string carries a password (`password=…`, or `user:secret@` in a
/// URL): such a string is used but never remembered.
pub fn has_password(conninfo: &str) -> bool {
    let conninfo = conninfo.trim();
    if let Some(rest) = conninfo
        .strip_prefix("postgresql://")
        .or_else(|| conninfo.strip_prefix("postgres://"))
    {
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        let user_info = authority.rsplit_once('@').map(|(u, _)| u);
        return user_info.is_some_and(|u| u.contains(':')) || rest.contains("password=");
    }
    conninfo
        .split_whitespace()
        .any(|kv| kv.trim_start().starts_with("password="))
}

/// Takes `sslrootcert=FILE` (or `?sslrootcert=` in a URL) out of the connection string, which
/// rust-postgres does not read itself.
fn take_root_cert(conninfo: &str) -> (String, Option<std::path::PathBuf>) {
    let mut root = None;
    let mut keep = |kv: &&str| match kv.strip_prefix("sslrootcert=") {
        Some(file) => {
            root = Some(std::path::PathBuf::from(file));
            false
        }
        None => true,
    };
    let rest = if conninfo.starts_with("postgres://") || conninfo.starts_with("postgresql://") {
        match conninfo.split_once('?') {
            None => conninfo.to_string(),
            Some((base, query)) => {
                let kept: Vec<&str> = query.split('&').filter(&mut keep).collect();
                if kept.is_empty() {
                    base.to_string()
                } else {
                    format!("{base}?{}", kept.join("&"))
                }
            }
        }
    } else {
        let kept: Vec<&str> = conninfo.split_whitespace().filter(&mut keep).collect();
        kept.join(" ")
    };
    (rest, root)
}

/// rustls settings: the CA certificates of `root_cert`, or else the system's.
fn tls_config(root_cert: Option<&std::path::Path>) -> Result<rustls::ClientConfig, RegisterError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let bad = |why: String| RegisterError::Certificates(why);
    let mut roots = rustls::RootCertStore::empty();
    match root_cert {
        Some(file) => {
            let certs = CertificateDer::pem_file_iter(file)
                .map_err(|e| bad(format!("{}: {e}", file.display())))?;
            for cert in certs {
                let cert = cert.map_err(|e| bad(format!("{}: {e}", file.display())))?;
                roots
                    .add(cert)
                    .map_err(|e| bad(format!("{}: {e}", file.display())))?;
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
        }
    }
    if roots.is_empty() {
        return Err(bad("no CA certificate".into()));
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}

/// The first host that is not this machine (a Unix socket folder, localhost, a loopback
/// address), if any: the connection would cross a network.
fn remote_host(config: &postgres::Config) -> Option<String> {
    use postgres::config::Host;
    let loopback = |name: &str| {
        name == "localhost"
            || name
                .trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    };
    let named = config.get_hosts().iter().find_map(|h| match h {
        Host::Tcp(name) if !loopback(name) => Some(name.clone()),
        _ => None,
    });
    named.or_else(|| {
        config
            .get_hostaddrs()
            .iter()
            .find(|ip| !ip.is_loopback())
            .map(ToString::to_string)
    })
}

/// A schema name fit to be written into SQL unquoted.
fn checked_schema(schema: &str) -> Result<&str, RegisterError> {
    let ok = schema
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase())
        && schema
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && schema.len() <= 48;
    if ok {
        Ok(schema)
    } else {
        Err(RegisterError::SchemaName(schema.to_string()))
    }
}

/// The role that plans for `municipality`: `atlas_k_` and its name in lower-case ASCII
/// ("Stolberg (Rhld.)" → `atlas_k_stolberg_rhld`).
pub fn municipality_role(municipality: &str) -> String {
    let mut slug = String::new();
    for c in municipality.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => slug.push_str("ae"),
            'ö' => slug.push_str("oe"),
            'ü' => slug.push_str("ue"),
            'ß' => slug.push_str("ss"),
            c if c.is_ascii_alphanumeric() => slug.push(c),
            _ if !slug.ends_with('_') => slug.push('_'),
            _ => {}
        }
    }
    format!("atlas_k_{}", slug.trim_matches('_'))
}

/// Publishes the map and its measures into `schema` (created if missing), in one
/// transaction. With `create_roles`, one role per municipality is created (or kept) and
/// listed in `kommune_rollen`; people are then made members of it by the administrator.
pub fn publish(
    client: &mut Client,
    schema: &str,
    export: &MapExport<'_>,
    create_roles: bool,
) -> Result<Published, RegisterError> {
    let schema = checked_schema(schema)?;
    let geojson =
        geojson_text(export, "register").map_err(|e| RegisterError::Geometry(e.to_string()))?;
    let doc: Value =
        serde_json::from_str(&geojson).map_err(|e| RegisterError::Geometry(e.to_string()))?;
    let mut tx = client.transaction()?;
    tx.batch_execute(&SCHEMA_SQL.replace("{schema}", schema))?;
    let areas = write_areas(&mut tx, schema, &doc)?;
    let meta = serde_json::to_string(&atlas_meta(export))
        .map_err(|e| RegisterError::Geometry(e.to_string()))?;
    tx.execute(
        &format!(
            "INSERT INTO {schema}.einstellungen (art, schluessel, inhalt) VALUES ('atlas', 'meta', $1)
             ON CONFLICT (art, schluessel) DO UPDATE SET inhalt = EXCLUDED.inhalt,
             revision = {schema}.einstellungen.revision + 1"
        ),
        &[&meta],
    )?;
    let measures = export.measures.map_or(&[][..], |m| m.all());
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
        for m in &export.region.municipalities {
            let role = municipality_role(&m.name);
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
                &[&role, &m.name],
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
    doc: &Value,
) -> Result<usize, RegisterError> {
    let statement = tx.prepare(&format!(
        "INSERT INTO {schema}.sozialraeume (code, name, kommune, handlungsfelder, geom, merkmale)
         VALUES ($1, $2, $3, $4, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($5), 4326)),
             $6::text::jsonb)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kommune = EXCLUDED.kommune,
             handlungsfelder = EXCLUDED.handlungsfelder, geom = EXCLUDED.geom,
             merkmale = EXCLUDED.merkmale"
    ))?;
    let features = doc
        .get("features")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let text = |p: &Value, k: &str| p.get(k).and_then(Value::as_str).map(str::to_string);
    for f in features {
        let p = f.get("properties").cloned().unwrap_or(Value::Null);
        let geometry = f.get("geometry").map(Value::to_string).unwrap_or_default();
        let fields = p
            .get("handlungsfelder_final")
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string));
        tx.execute(
            &statement,
            &[
                &text(&p, "code").unwrap_or_default(),
                &text(&p, "name"),
                &text(&p, "kommune"),
                &fields,
                &geometry,
                &p.to_string(),
            ],
        )?;
    }
    Ok(features.len())
}

/// One measure, inserted or (by its uid) replaced.
fn write_measure(tx: &mut Transaction<'_>, schema: &str, m: &Measure) -> Result<(), RegisterError> {
    let uid = m.uid.to_string();
    let date = |d: Option<crate::model::Date>| d.map(|d| d.to_string());
    tx.execute(
        &format!(
            "INSERT INTO {schema}.massnahmen (uid, nummer, titel, beschreibung, handlungsfelder,
                 sozialraeume, kommunen, verantwortung, federfuehrung, partner, status, beginn,
                 ende, budget_eur, prioritaet, notizen, erstellt, geaendert)
             VALUES ($1::text::uuid, COALESCE($18, nextval(pg_get_serial_sequence(
                     '{schema}.massnahmen', 'nummer'))), $2, $3, $4, $5, $6, $7, $8, $9, $10,
                 $11::text::date, $12::text::date, $13, $14, $15, $16::text::timestamptz,
                 $17::text::timestamptz)
             ON CONFLICT (uid) DO UPDATE SET titel = EXCLUDED.titel,
                 beschreibung = EXCLUDED.beschreibung, handlungsfelder = EXCLUDED.handlungsfelder,
                 sozialraeume = EXCLUDED.sozialraeume, kommunen = EXCLUDED.kommunen,
                 verantwortung = EXCLUDED.verantwortung, federfuehrung = EXCLUDED.federfuehrung,
                 partner = EXCLUDED.partner, status = EXCLUDED.status, beginn = EXCLUDED.beginn,
                 ende = EXCLUDED.ende, budget_eur = EXCLUDED.budget_eur,
                 prioritaet = EXCLUDED.prioritaet, notizen = EXCLUDED.notizen"
        ),
        &[
            &uid,
            &m.title,
            &m.description,
            &m.fields.to_numbers(),
            &m.areas,
            &m.municipalities,
            &m.responsibility.key(),
            &m.lead,
            &m.partners,
            &m.status.key(),
            &date(m.start),
            &date(m.end),
            &m.budget_eur,
            &m.priority.map(|p| p.key()),
            &m.notes,
            &m.created.to_string(),
            &m.changed.to_string(),
            &(m.id > 0).then_some(m.id),
        ],
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
        let cells: Vec<String> = cells.iter().map(|c| super::cells::csv_field(c)).collect();
        csv.push_str(&cells.join(";"));
        csv.push_str("\r\n");
    }
    Ok((csv, rows.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn municipality_roles_are_plain_identifiers() {
        assert_eq!(
            municipality_role("Stolberg (Rhld.)"),
            "atlas_k_stolberg_rhld"
        );
        assert_eq!(municipality_role("Würselen"), "atlas_k_wuerselen");
        assert_eq!(municipality_role("Aachen"), "atlas_k_aachen");
    }

    #[test]
    fn nothing_goes_unencrypted_to_another_machine() {
        let remote = |s: &str| remote_host(&s.parse::<postgres::Config>().expect(s));
        assert_eq!(remote("host=/var/run/postgresql dbname=atlas"), None);
        assert_eq!(remote("host=localhost dbname=atlas"), None);
        assert_eq!(remote("postgresql://127.0.0.1:5432/atlas"), None);
        assert_eq!(remote("host=::1"), None);
        assert_eq!(
            remote("host=db.staedteregion.example dbname=atlas").as_deref(),
            Some("db.staedteregion.example")
        );
        assert_eq!(
            remote("postgresql://10.1.2.3/atlas").as_deref(),
            Some("10.1.2.3")
        );
        // sslmode=disable to another machine is refused before any connection is tried.
        let started = std::time::Instant::now();
        assert!(matches!(
            connect("host=192.0.2.1 dbname=atlas user=x sslmode=disable"),
            Err(RegisterError::NotLocal(h)) if h == "192.0.2.1"
        ));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn a_password_in_a_connection_string_is_recognised_so_it_is_never_remembered() {
        assert!(has_password("host=db user=a password=geheim"));
        assert!(has_password("postgresql://anna:geheim@db/atlas"));
        assert!(has_password("postgresql://db/atlas?password=geheim"));
        assert!(!has_password("postgresql://anna@db/atlas"));
        assert!(!has_password("service=atlas"));
        assert!(!has_password("host=/tmp port=5432 user=anna"));
        assert_eq!(
            display_location("host=db.example port=5433 dbname=atlas user=anna password=x"),
            "anna@db.example:5433/atlas"
        );
    }

    #[test]
    fn sslrootcert_is_taken_out_for_rustls() {
        let (rest, root) = take_root_cert("host=db sslmode=require sslrootcert=/etc/ca.pem user=a");
        assert_eq!(rest, "host=db sslmode=require user=a");
        assert_eq!(root.as_deref(), Some(std::path::Path::new("/etc/ca.pem")));
        let (rest, root) =
            take_root_cert("postgresql://db/atlas?sslmode=require&sslrootcert=ca.pem");
        assert_eq!(rest, "postgresql://db/atlas?sslmode=require");
        assert_eq!(root.as_deref(), Some(std::path::Path::new("ca.pem")));
        assert_eq!(take_root_cert("host=/tmp").1, None);
    }

    #[test]
    fn a_schema_name_with_sql_in_it_is_refused() {
        assert!(checked_schema("atlas").is_ok());
        assert!(checked_schema("atlas_2026").is_ok());
        for bad in ["", "Atlas", "a; DROP TABLE x", "1atlas", "a-b", "\"x\""] {
            assert!(checked_schema(bad).is_err(), "{bad:?}");
        }
    }
}
