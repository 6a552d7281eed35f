//! The shared measures register on PostgreSQL with PostGIS, which the region and its
//! municipalities plan on together, with rights enforced by the database.
//!
//! - [`publish`] (`publish.rs`) creates the schema (`schema.sql`: areas with PostGIS geometry,
//!   catalogue/rules settings, measures, an append-only history written by a trigger, roles and
//!   row-level security) and writes a map into it in one transaction;
//! - [`snapshot`] reads a register whole, to make a window's local copy;
//! - [`RegisterStore`] (`store.rs`) is the [`Store`](crate::io::store::Store) the window writes
//!   to: the local copy (`cache.rs`), kept in step with the server by a thread of its own
//!   (`sync.rs`) that sends each change with its own id (`server.rs`);
//! - connecting (here) follows libpq's conventions as far as rust-postgres reads them, and
//!   `libpq.rs` adds the service file and `.pgpass`; a password is never written anywhere by
//!   this program, and nothing goes unencrypted to another machine.

mod cache;
mod libpq;
mod publish;
mod server;
mod snapshot;
mod store;
mod sync;

use postgres::NoTls;

pub use publish::{Publication, history_csv, publish, publish_prepared};
pub use server::{HistoryLine, Sent, ServerMeasure, ServerRights, send};
pub use snapshot::{Snapshot, snapshot};
pub use store::{OpenedRegister, RegisterStore, copy_path, make_copy, open_copy};
pub use sync::{Target, change_id};

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
    /// Whether the server wants a password that was not given (or a wrong one).
    pub fn needs_password(&self) -> bool {
        match self {
            RegisterError::Database(e) => {
                e.code() == Some(&postgres::error::SqlState::INVALID_PASSWORD)
                    || std::error::Error::source(e)
                        .is_some_and(|c| c.to_string().contains("password missing"))
            }
            _ => false,
        }
    }

    /// The error in the user's language (the server's own messages stay as it sends them).
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::T;
        if self.needs_password() {
            let server = match self {
                RegisterError::Database(e) => match (e.as_db_error(), std::error::Error::source(e))
                {
                    (Some(d), _) => d.message().to_string(),
                    (None, Some(cause)) => cause.to_string(),
                    (None, None) => e.to_string(),
                },
                _ => String::new(),
            };
            return lang.tf(T::RegisterNeedsPassword, &[("why", &server)]);
        }
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

/// The connection to a register.
pub use postgres::Client;

/// [`connect`], asking `ask` (given the server and user, for the question) for a password
/// when the server wants one that nothing else gave; None from `ask`: no password to give.
pub fn connect_or_ask(
    conninfo: &str,
    ask: impl FnOnce(&str) -> Option<String>,
) -> Result<Client, RegisterError> {
    match connect(conninfo) {
        Err(e) if e.needs_password() => match ask(&display_location(conninfo)) {
            Some(password) => connect_with(conninfo, Some(&password)),
            None => Err(e),
        },
        other => other,
    }
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
