//! The shared register on PostgreSQL/PostGIS: `project publish` and the rights the database
//! enforces, against a real server.
//!
//! The server is named by `SOZIALRAUM_TEST_PG` (a libpq-style string for a superuser, e.g.
//! `host=/tmp/atlaspg port=54329 user=atlas_admin dbname=postgres`; `.ci/run` starts a
//! throwaway cluster and sets it). Without it the tests say so and pass; with
//! `REQUIRE_POSTGRES=1` (CI) they fail instead. Each test works in a database of its own,
//! dropped at the end; the login roles it makes are dropped too.

mod common;

use common::pg::{TestDb, atlas, demo_project, publish, server};
use std::process::Command;

use postgres::Client;

/// One line of the register's history.
#[derive(Debug)]
struct HistoryLine {
    user: String,
    action: String,
    before: Option<String>,
    after: Option<String>,
    revision: Option<String>,
}

fn count(c: &mut Client, sql: &str) -> i64 {
    c.query_one(sql, &[]).expect(sql).get(0)
}

#[test]
fn a_project_is_published_with_geometry_measures_roles_and_can_be_published_again() {
    let Some(admin) = server() else { return };
    let db = TestDb::new(&admin, "publish");
    let dir = common::temp_dir("register-publish");
    let project = demo_project(&dir);
    // A password in the connection string is used, never written down.
    let conninfo = format!("{} password=geheim-4711", db.conninfo(None));
    for round in 0..2 {
        let o = publish(&project, &conninfo, &["--create-roles"]);
        let said = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "round {round}: {said}");
        assert!(
            said.contains("93 Sozialräume, 3 Maßnahmen, 10 Kommunen-Rollen"),
            "{said}"
        );
    }
    let mut c = db.client(None);
    assert_eq!(count(&mut c, "SELECT count(*) FROM atlas.sozialraeume"), 93);
    let km2: f64 = c
        .query_one(
            "SELECT sum(ST_Area(geom::geography)) / 1e6 FROM atlas.sozialraeume",
            &[],
        )
        .expect("area")
        .get(0);
    assert!((km2 - 801.5).abs() < 5.0, "the region's area: {km2} km²");
    assert_eq!(count(&mut c, "SELECT count(*) FROM atlas.massnahmen"), 3);
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM atlas.kommune_rollen"),
        10
    );
    let numbers: Vec<i64> = c
        .query("SELECT nummer FROM atlas.massnahmen ORDER BY nummer", &[])
        .expect("numbers")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(numbers, [1, 2, 3], "the project's numbers are kept");
    let bytes = std::fs::read(&project).expect("project");
    assert!(
        !bytes.windows(11).any(|w| w == b"geheim-4711"),
        "no password in the project file"
    );
    // GDAL (as QGIS) reads the register's layers.
    if let Some(ogrinfo) = common::gdal_tool("ogrinfo") {
        let o = Command::new(ogrinfo)
            .args([
                "-ro",
                "-so",
                &format!("PG:{}", db.conninfo(None)),
                "atlas.sozialraeume",
            ])
            .output()
            .expect("ogrinfo");
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.contains("Feature Count: 93"),
            "{text}{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn the_database_enforces_who_may_change_what_and_records_every_change() {
    let Some(admin) = server() else { return };
    let mut db = TestDb::new(&admin, "rights");
    let dir = common::temp_dir("register-rights");
    let project = demo_project(&dir);
    let o = publish(&project, &db.conninfo(None), &["--create-roles"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stolberg = db.login("anna", "atlas_k_stolberg_rhld");
    let region = db.login("rita", "atlas_region");
    let mut anna = db.client(Some(&stolberg));
    // Reading everything is allowed.
    assert_eq!(count(&mut anna, "SELECT count(*) FROM atlas.massnahmen"), 3);
    // Another municipality's measure: plain SQL changes nothing.
    let changed = anna
        .execute(
            "UPDATE atlas.massnahmen SET titel = 'übernommen' WHERE 'Aachen' = ANY(kommunen)",
            &[],
        )
        .expect("update runs");
    assert_eq!(changed, 0, "an Aachen measure is not Stolberg's to change");
    let deleted = anna
        .execute("DELETE FROM atlas.massnahmen", &[])
        .expect("delete runs");
    assert_eq!(deleted, 0);
    // A measure for Aachen cannot be made by Stolberg; one for Stolberg can, hostile text
    // and all, stored as text.
    let foreign = anna.execute(
        "INSERT INTO atlas.massnahmen (uid, titel, kommunen, verantwortung, status)
         VALUES (gen_random_uuid(), 'fremd', '{Aachen}', 'einfluss', 'idee')",
        &[],
    );
    assert!(foreign.is_err(), "row-level security refuses it");
    let hostile = [
        "'; DROP TABLE atlas.massnahmen; --",
        "=HYPERLINK(\"http://x\")",
    ];
    for title in hostile {
        anna.execute(
            "INSERT INTO atlas.massnahmen (uid, titel, kommunen, verantwortung, status)
             VALUES (gen_random_uuid(), $1, '{Stolberg (Rhld.)}', 'einfluss', 'idee')",
            &[&title],
        )
        .expect("own municipality");
    }
    // Joint measures with Stolberg among the municipalities are Stolberg's to change too.
    let joint = anna
        .execute(
            "UPDATE atlas.massnahmen SET notizen = 'gemeinsam' WHERE 'Stolberg (Rhld.)' = ANY(kommunen)",
            &[],
        )
        .expect("own");
    assert_eq!(joint, 2);
    // Areas, settings and the history are not a municipality's to change.
    for sql in [
        "UPDATE atlas.sozialraeume SET name = 'x'",
        "UPDATE atlas.einstellungen SET inhalt = '{}'",
        "DELETE FROM atlas.massnahmen_verlauf",
    ] {
        assert!(anna.execute(sql, &[]).is_err(), "{sql} is refused");
    }
    // The region changes everything; nobody, not even the region, rewrites the history.
    let mut rita = db.client(Some(&region));
    let n = rita
        .execute(
            "UPDATE atlas.massnahmen SET titel = titel || ' (geprüft)' WHERE 'Aachen' = ANY(kommunen)",
            &[],
        )
        .expect("region");
    assert_eq!(n, 1);
    assert!(
        rita.execute("DELETE FROM atlas.massnahmen_verlauf", &[])
            .is_err()
    );
    let mut c = db.client(None);
    assert_eq!(count(&mut c, "SELECT count(*) FROM atlas.massnahmen"), 5);
    let titles: Vec<String> = c
        .query("SELECT titel FROM atlas.massnahmen ORDER BY nummer", &[])
        .expect("titles")
        .iter()
        .map(|r| r.get(0))
        .collect();
    for title in hostile {
        assert!(titles.iter().any(|t| t == title), "{title} kept as text");
    }
    let history = c
        .query(
            "SELECT benutzer::text, aktion, vorher->>'titel', nachher->>'titel', \
             nachher->>'revision' FROM atlas.massnahmen_verlauf ORDER BY id",
            &[],
        )
        .expect("history");
    let lines: Vec<HistoryLine> = history
        .iter()
        .map(|r| HistoryLine {
            user: r.get(0),
            action: r.get(1),
            before: r.get(2),
            after: r.get(3),
            revision: r.get(4),
        })
        .collect();
    // 3 published, 2 inserted and 2 updated by Stolberg, 1 updated by the region.
    assert_eq!(lines.len(), 8, "{lines:#?}");
    let by = |who: &str, what: &str| {
        lines
            .iter()
            .filter(|l| l.user == who && l.action == what)
            .count()
    };
    assert_eq!(by(&stolberg, "insert"), 2);
    assert_eq!(by(&stolberg, "update"), 2);
    let last = lines.last().expect("line");
    assert_eq!(
        (last.user.as_str(), last.action.as_str()),
        (region.as_str(), "update")
    );
    assert!(
        last.after
            .as_deref()
            .is_some_and(|t| t.ends_with(" (geprüft)") && last.before.as_deref() != Some(t)),
        "before and after: {last:?}"
    );
    assert_eq!(last.revision.as_deref(), Some("2"), "the revision rose");
    // The history as CSV for German Excel, formula cells neutralised.
    let out = dir.join("verlauf.csv");
    let o = atlas(&[
        "measures",
        "history",
        "--db",
        &db.conninfo(None),
        out.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(&out).expect("csv");
    let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(
        rows[0],
        "zeit;benutzer;aktion;nummer;titel;geaenderte_felder"
    );
    assert_eq!(rows.iter().filter(|r| !r.is_empty()).count(), 9, "{csv}");
    let last = rows[8];
    assert!(last.contains(&format!(";{region};geändert;")), "{last}");
    assert!(last.ends_with(";titel"), "only the title changed: {last}");
    assert!(
        csv.contains(";\"'=HYPERLINK("),
        "formula neutralised: {csv}"
    );
    let stamp = last.split(';').next().expect("time");
    assert!(
        stamp.len() == 19 && stamp.as_bytes()[2] == b'.' && stamp.as_bytes()[5] == b'.',
        "German date and time: {stamp}"
    );
}

#[test]
fn a_refused_publish_changes_nothing_and_says_why() {
    let Some(admin) = server() else { return };
    let db = TestDb::new(&admin, "refused");
    let dir = common::temp_dir("register-refused");
    let project = demo_project(&dir);
    let o = publish(
        &project,
        &db.conninfo(None),
        &["--schema", "atlas; DROP SCHEMA public"],
    );
    assert_eq!(o.status.code(), Some(2));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(
        said.contains("nicht ins gemeinsame Register übernommen"),
        "{said}"
    );
    let mut c = db.client(None);
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'public'"
        ),
        1
    );
    // No server there: a message, exit 2, no panic.
    let o = publish(&project, "host=/nonexistent port=1 user=x dbname=x", &[]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The TLS connection string (`SOZIALRAUM_TEST_PG_TLS`: the same server over loopback TCP
/// with `sslmode=require sslrootcert=CA`), and a CA that did not sign the server's
/// certificate (`SOZIALRAUM_TEST_PG_OTHER_CA`).
fn tls_server() -> Option<(String, String)> {
    let tls = std::env::var("SOZIALRAUM_TEST_PG_TLS")
        .ok()
        .filter(|s| !s.is_empty());
    let other = std::env::var("SOZIALRAUM_TEST_PG_OTHER_CA")
        .ok()
        .filter(|s| !s.is_empty());
    match (tls, other) {
        (Some(t), Some(o)) => Some((t, o)),
        _ => {
            let required = std::env::var("REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "REQUIRE_POSTGRES=1 but SOZIALRAUM_TEST_PG_TLS / _OTHER_CA are not set"
            );
            eprintln!("note: SOZIALRAUM_TEST_PG_TLS not set; skipping the TLS test");
            None
        }
    }
}

#[test]
fn tls_is_used_and_checked_against_the_named_certificate_authority() {
    let Some((tls, other_ca)) = tls_server() else {
        return;
    };
    let mut c = sozialraum_atlas::io::register::connect(&tls).expect("TLS connection");
    let row = c
        .query_one(
            "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .expect("pg_stat_ssl");
    let (ssl, version): (bool, Option<String>) = (row.get(0), row.get(1));
    assert!(ssl, "encrypted");
    assert!(
        version.is_some_and(|v| v.starts_with("TLSv1.")),
        "a current TLS"
    );
    // A certificate authority that did not sign the server's certificate: refused.
    let wrong = tls
        .split_whitespace()
        .map(|kv| {
            if kv.starts_with("sslrootcert=") {
                format!("sslrootcert={other_ca}")
            } else {
                kv.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let refused = sozialraum_atlas::io::register::connect(&wrong);
    assert!(
        refused.is_err(),
        "a server certificate the CA did not sign is refused"
    );
}

/// Runs the program with extra environment variables.
fn atlas_env(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sozialraum-atlas"));
    c.args(args)
        .env("LANG", "de_DE.UTF-8")
        .env_remove("PGPASSWORD");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("runs")
}

#[test]
fn passwords_come_from_pgpass_and_servers_from_the_service_file_as_in_libpq() {
    let Some(admin) = server() else {
        return;
    };
    let mut db = TestDb::new(&admin, "pgpass");
    let dir = common::temp_dir("pgpass");
    let project = demo_project(&dir);
    let o = publish(&project, &db.conninfo(None), &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let role = db.password_login("cli", "Geheim:1", "atlas_region");
    let conninfo = db.conninfo(Some(&role));
    let out = dir.join("verlauf.csv");
    let history = |db_arg: &str, env: &[(&str, &str)]| {
        atlas_env(
            &[
                "measures",
                "history",
                "--db",
                db_arg,
                out.to_str().expect("utf-8"),
            ],
            env,
        )
    };
    let nowhere = dir.join("keine-pgpass");
    let none = history(
        &conninfo,
        &[("PGPASSFILE", nowhere.to_str().expect("utf-8"))],
    );
    if none.status.success() {
        assert!(
            std::env::var("REQUIRE_POSTGRES").map_or(true, |v| v != "1"),
            "the CI cluster must ask atlas_pw_ roles for a password"
        );
        eprintln!("note: this server does not ask {role} for a password; .pgpass not tested");
        return;
    }
    let said = String::from_utf8_lossy(&none.stderr);
    assert!(said.contains("password"), "{said}");
    // The password file, with libpq's escaping and wildcards.
    let pgpass = dir.join("pgpass");
    std::fs::write(&pgpass, format!("# Testserver\n*:*:*:{role}:Geheim\\:1\n")).expect("pgpass");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).expect("mode");
    let pass = [("PGPASSFILE", pgpass.to_str().expect("utf-8"))];
    let ok = history(&conninfo, &pass);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    // A password file others can read is ignored, as libpq ignores it.
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).expect("mode");
    assert!(!history(&conninfo, &pass).status.success());
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).expect("mode");
    // A service names the server; the string may add to it.
    let (socket, _) = common::pg::server_address(&admin);
    let socket = socket.expect("the test server is reached over its socket");
    let folder = socket.parent().expect("folder").display().to_string();
    let port = socket
        .extension()
        .and_then(|e| e.to_str())
        .expect("port")
        .to_string();
    let services = dir.join("pg_service.conf");
    std::fs::write(
        &services,
        format!(
            "[atlastest]\nhost={folder}\nport={port}\ndbname={}\nuser={role}\n",
            db.name
        ),
    )
    .expect("services");
    let env = [
        ("PGPASSFILE", pgpass.to_str().expect("utf-8")),
        ("PGSERVICEFILE", services.to_str().expect("utf-8")),
    ];
    for name in ["service=atlastest", "atlastest"] {
        let o = history(name, &env);
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // No .pgpass, a person at the terminal: the program asks, as psql does (a pseudo
    // terminal through util-linux's script).
    let has_script = Command::new("script").arg("--version").output().is_ok();
    if has_script {
        let cmd = format!(
            "{} measures history --db '{conninfo}' '{}'",
            env!("CARGO_BIN_EXE_sozialraum-atlas"),
            out.display()
        );
        let asked = Command::new("sh")
            .arg("-c")
            .arg("(sleep 1; printf 'Geheim:1\\n') | script -qec \"$0\" /dev/null")
            .arg(&cmd)
            .env("PGPASSFILE", &nowhere)
            .env_remove("PGPASSWORD")
            .output()
            .expect("script runs");
        let said = String::from_utf8_lossy(&asked.stdout);
        assert!(asked.status.success(), "{said}");
        assert!(said.contains("Passwort für"), "{said}");
    } else {
        eprintln!("note: no `script` command; the password prompt is not tested");
    }
    let unknown = history("service=gibtsnicht", &env);
    assert!(!unknown.status.success());
    let said = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        said.contains("gibtsnicht") && said.contains("pg_service.conf"),
        "{said}"
    );
}
