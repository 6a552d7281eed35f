//! The parts of libpq's connection conventions rust-postgres does not read itself: the
//! connection service file (`service=atlas`, `pg_service.conf`) and the password file
//! (`.pgpass`), so a team's settings work here as in psql and QGIS — and no password needs
//! to be written anywhere by this program.

use std::path::{Path, PathBuf};

/// Where a service file may be: `PGSERVICEFILE`, `~/.pg_service.conf`, then the system's
/// (`PGSYSCONFDIR/pg_service.conf`, Debian's `/etc/postgresql-common/pg_service.conf`).
fn service_files() -> Vec<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let mut files = Vec::new();
    if let Some(f) = env("PGSERVICEFILE") {
        files.push(f);
    }
    if let Some(home) = env("HOME") {
        files.push(home.join(".pg_service.conf"));
    }
    if let Some(dir) = env("PGSYSCONFDIR") {
        files.push(dir.join("pg_service.conf"));
    }
    files.push(PathBuf::from("/etc/postgresql-common/pg_service.conf"));
    files
}

/// The `key=value` settings of `service` in a service file's text (None: not in it).
pub fn service_in(text: &str, service: &str) -> Option<Vec<(String, String)>> {
    let mut found = None;
    let mut current: Option<&str> = None;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = Some(name.trim());
            if current == Some(service) && found.is_none() {
                found = Some(Vec::new());
            }
            continue;
        }
        if current == Some(service)
            && let (Some(settings), Some((k, v))) = (found.as_mut(), line.split_once('='))
        {
            let settings: &mut Vec<(String, String)> = settings;
            settings.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    found
}

/// Why a service could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownService(pub String);

/// A connection string with its service (`service=NAME`, a bare name, or `PGSERVICE`)
/// replaced by the service's settings; settings named in the string win over the service's.
/// A URL or a string without a service is returned as it is.
pub fn expand_service(conninfo: &str) -> Result<String, UnknownService> {
    let conninfo = conninfo.trim();
    if conninfo.starts_with("postgres://") || conninfo.starts_with("postgresql://") {
        return Ok(conninfo.to_string());
    }
    let bare = !conninfo.is_empty() && !conninfo.contains('=');
    let mut service = if bare {
        Some(conninfo.to_string())
    } else {
        None
    };
    let mut own: Vec<(String, String)> = Vec::new();
    if !bare {
        for kv in conninfo.split_whitespace() {
            match kv.split_once('=') {
                Some(("service", name)) => service = Some(name.to_string()),
                Some((k, v)) => own.push((k.to_string(), v.to_string())),
                None => {}
            }
        }
    }
    let service = service.or_else(|| std::env::var("PGSERVICE").ok().filter(|s| !s.is_empty()));
    let Some(service) = service else {
        return Ok(conninfo.to_string());
    };
    let settings = service_files()
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .find_map(|text| service_in(&text, &service))
        .ok_or_else(|| UnknownService(service.clone()))?;
    let mut merged: Vec<(String, String)> = settings
        .into_iter()
        .filter(|(k, _)| !own.iter().any(|(o, _)| o == k))
        .collect();
    merged.extend(own);
    Ok(merged
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" "))
}

/// The password file: `PGPASSFILE` or `~/.pgpass`.
fn password_file() -> Option<PathBuf> {
    std::env::var_os("PGPASSFILE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pgpass")))
}

/// The fields of one `.pgpass` line (`host:port:database:user:password`, `\:` and `\\`
/// escaped).
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && let Some(last) = out.last_mut()
                {
                    last.push(next);
                }
            }
            ':' if out.len() < 5 => out.push(String::new()),
            c => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out
}

/// The password for host, port, database and user in a password file's text, as libpq
/// finds it: the first line that matches, `*` matching anything; a socket folder also
/// matches "localhost".
pub fn password_in(text: &str, host: &str, port: u16, db: &str, user: &str) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f = fields(line);
        if f.len() != 5 {
            continue;
        }
        let host_ok = f[0] == "*" || f[0] == host || (host.starts_with('/') && f[0] == "localhost");
        let port_ok = f[1] == "*" || f[1] == port.to_string();
        let db_ok = f[2] == "*" || f[2] == db;
        let user_ok = f[3] == "*" || f[3] == user;
        if host_ok && port_ok && db_ok && user_ok {
            return Some(f[4].clone());
        }
    }
    None
}

/// Whether a password file may be used: libpq ignores one that others can read.
fn private(file: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(file).is_ok_and(|m| m.permissions().mode() & 0o077 == 0)
    }
    #[cfg(not(unix))]
    {
        file.exists()
    }
}

/// The password `.pgpass` holds for this connection, if any.
pub fn password_for(host: &str, port: u16, db: &str, user: &str) -> Option<String> {
    let file = password_file()?;
    if !private(&file) {
        return None;
    }
    let text = std::fs::read_to_string(&file).ok()?;
    password_in(&text, host, port, db, user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_is_read_as_libpq_reads_it() {
        let text = "# the region's server\n[atlas]\nhost=db.staedteregion.example\nport=5433\ndbname=sozialplanung\nsslmode=verify-full\n\n[other]\nhost=x\n";
        let s = service_in(text, "atlas").expect("found");
        assert_eq!(s.len(), 4);
        assert_eq!(s[0], ("host".into(), "db.staedteregion.example".into()));
        assert_eq!(service_in(text, "nope"), None);
    }

    #[test]
    fn the_password_file_matches_field_by_field_with_wildcards_and_escapes() {
        let text = "# comment\ndb.example:5432:atlas:anna:geheim\\:1\n*:*:*:bert:b-pw\n/tmp/pg:54329:*:carla:c-pw\nlocalhost:5432:*:dora:d-pw\n";
        assert_eq!(
            password_in(text, "db.example", 5432, "atlas", "anna").as_deref(),
            Some("geheim:1")
        );
        assert_eq!(password_in(text, "db.example", 5433, "atlas", "anna"), None);
        assert_eq!(
            password_in(text, "anywhere", 1, "x", "bert").as_deref(),
            Some("b-pw")
        );
        assert_eq!(
            password_in(text, "/tmp/pg", 54329, "postgres", "carla").as_deref(),
            Some("c-pw")
        );
        // A socket folder counts as localhost, as in libpq.
        assert_eq!(
            password_in(text, "/var/run/postgresql", 5432, "atlas", "dora").as_deref(),
            Some("d-pw")
        );
        assert_eq!(password_in(text, "db.example", 5432, "atlas", "emil"), None);
    }
}
