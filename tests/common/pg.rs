//! A PostgreSQL server for the register tests: the one `SOZIALRAUM_TEST_PG` names (CI starts
//! a throwaway cluster), a database of its own per test, and the program's commands.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use postgres::{Client, NoTls};

use super::TestDir;

/// The admin connection string, or None (with a note) when no server is configured.
pub fn server() -> Option<String> {
    let conninfo = std::env::var("SOZIALRAUM_TEST_PG")
        .ok()
        .filter(|s| !s.is_empty());
    if conninfo.is_none() {
        let required = std::env::var("REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "REQUIRE_POSTGRES=1 but SOZIALRAUM_TEST_PG names no server"
        );
        eprintln!("note: SOZIALRAUM_TEST_PG not set; skipping the PostgreSQL register tests");
    }
    conninfo
}

/// A database for one test, dropped (with the login roles made for it) when it goes.
pub struct TestDb {
    pub admin: String,
    pub name: String,
    pub logins: Vec<String>,
}

impl TestDb {
    pub fn new(admin: &str, tag: &str) -> TestDb {
        let name = format!("atlas_test_{tag}_{}", std::process::id());
        let mut c = Client::connect(admin, NoTls).expect("admin connection");
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .expect("drop old");
        c.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create database");
        TestDb {
            admin: admin.to_string(),
            name,
            logins: Vec::new(),
        }
    }

    /// The connection string for this database as `user`.
    pub fn conninfo(&self, user: Option<&str>) -> String {
        let mut s = format!("{} dbname={}", self.admin, self.name);
        if let Some(u) = user {
            s = format!("{s} user={u}");
        }
        s
    }

    pub fn client(&self, user: Option<&str>) -> Client {
        Client::connect(&self.conninfo(user), NoTls).expect("connection")
    }

    /// A login role in `group` that must give `password` (members of `atlas_pw` do on the CI
    /// cluster, see `.ci/run`); dropped with the database.
    pub fn password_login(&mut self, who: &str, password: &str, group: &str) -> String {
        let role = format!("atlas_pw_{who}_{}", std::process::id());
        self.client(None)
            .batch_execute(&format!(
                "DO $$ BEGIN CREATE ROLE atlas_pw NOLOGIN;
                 EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
                 DROP ROLE IF EXISTS {role};
                 CREATE ROLE {role} LOGIN PASSWORD '{password}' IN ROLE {group}, atlas_pw"
            ))
            .expect("password role");
        self.logins.push(role.clone());
        role
    }

    /// A login role in `group`, as an administrator would make for a planner.
    pub fn login(&mut self, who: &str, group: &str) -> String {
        let role = format!("{who}_{}", self.name);
        self.client(None)
            .batch_execute(&format!("CREATE ROLE {role} LOGIN IN ROLE {group}"))
            .expect("login role");
        self.logins.push(role.clone());
        role
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut c) = Client::connect(&self.admin, NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
            for role in &self.logins {
                let _ = c.batch_execute(&format!("DROP ROLE IF EXISTS {role}"));
            }
        }
    }
}

pub fn atlas(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sozialraum-atlas"))
        .args(args)
        .env("LANG", "de_DE.UTF-8")
        .output()
        .expect("runs")
}

/// `project publish PROJECT --db CONNINFO EXTRA…`.
pub fn publish(project: &std::path::Path, conninfo: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "project",
        "publish",
        project.to_str().expect("utf-8"),
        "--db",
        conninfo,
    ];
    args.extend_from_slice(extra);
    atlas(&args)
}

/// A project of the demo map with the measures of the test list.
pub fn demo_project(dir: &TestDir) -> std::path::PathBuf {
    let project = dir.join("region.gpkg");
    let demo = dir.join("demo.geojson");
    std::fs::write(&demo, sozialraum_atlas::io::demo::DEMO_GEOJSON).expect("demo written");
    let p = project.to_str().expect("utf-8");
    let o = atlas(&["project", "new", demo.to_str().expect("utf-8"), "--out", p]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let list = super::test_file("measures/bestandsliste.csv");
    let o = atlas(&["measures", "import", p, list.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    project
}

/// Where the server of a libpq-style string listens: a Unix socket file or host:port.
pub fn server_address(conninfo: &str) -> (Option<PathBuf>, String) {
    let mut host = "localhost".to_string();
    let mut port = "5432".to_string();
    for kv in conninfo.split_whitespace() {
        if let Some(h) = kv.strip_prefix("host=") {
            host = h.to_string();
        }
        if let Some(p) = kv.strip_prefix("port=") {
            port = p.to_string();
        }
    }
    if host.starts_with('/') {
        (
            Some(PathBuf::from(format!("{host}/.s.PGSQL.{port}"))),
            String::new(),
        )
    } else {
        (None, format!("{host}:{port}"))
    }
}

/// A TCP relay on a loopback port in front of the test server, which a test can cut (every
/// connection dropped, new ones refused) and mend: a network that fails.
pub struct Relay {
    /// The port clients connect to.
    pub port: u16,
    up: Arc<AtomicBool>,
    generation: Arc<AtomicU64>,
}

impl Relay {
    /// A relay to the server of `admin`.
    pub fn start(admin: &str) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("relay port");
        let port = listener.local_addr().expect("address").port();
        let up = Arc::new(AtomicBool::new(true));
        let generation = Arc::new(AtomicU64::new(0));
        let (socket, tcp) = server_address(admin);
        let (thread_up, thread_gen) = (Arc::clone(&up), Arc::clone(&generation));
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if !thread_up.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let born = thread_gen.load(Ordering::SeqCst);
                let server: Box<dyn Duplex> = match &socket {
                    Some(path) => match UnixStream::connect(path) {
                        Ok(s) => Box::new(s),
                        Err(_) => continue,
                    },
                    None => match TcpStream::connect(&tcp) {
                        Ok(s) => Box::new(s),
                        Err(_) => continue,
                    },
                };
                pipe(client, server, Arc::clone(&thread_gen), born);
            }
        });
        Relay {
            port,
            up,
            generation,
        }
    }

    /// A connection string through the relay (TCP on loopback) for `db` as `user`.
    pub fn conninfo(&self, db: &TestDb, user: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user={user} dbname={} connect_timeout=3",
            self.port, db.name
        )
    }

    /// The network fails: every connection is dropped, new ones are refused.
    pub fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The network is back.
    pub fn mend(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

trait Duplex: Read + Write + Send {
    fn try_clone_box(&self) -> std::io::Result<Box<dyn Duplex>>;
    fn shutdown_both(&self);
    fn set_timeout(&self, t: Duration);
}

/// Both stream kinds the relay joins (TCP to the client; TCP or a Unix socket to the server).
macro_rules! duplex {
    ($($stream:ty),*) => {$(
        impl Duplex for $stream {
            fn try_clone_box(&self) -> std::io::Result<Box<dyn Duplex>> {
                Ok(Box::new(self.try_clone()?))
            }
            fn shutdown_both(&self) {
                let _ = self.shutdown(std::net::Shutdown::Both);
            }
            fn set_timeout(&self, t: Duration) {
                let _ = self.set_read_timeout(Some(t));
            }
        }
    )*};
}
duplex!(TcpStream, UnixStream);

/// Copies both ways until either side ends or the relay is cut.
fn pipe(client: TcpStream, server: Box<dyn Duplex>, generation: Arc<AtomicU64>, born: u64) {
    let (Ok(client2), Ok(server2)) = (client.try_clone_box(), server.try_clone_box()) else {
        return;
    };
    let one = |mut from: Box<dyn Duplex>, mut to: Box<dyn Duplex>, generation: Arc<AtomicU64>| {
        std::thread::spawn(move || {
            from.set_timeout(Duration::from_millis(100));
            let mut buf = [0u8; 16384];
            loop {
                if generation.load(Ordering::SeqCst) != born {
                    break;
                }
                match from.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        if to.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) => {}
                    Err(_) => break,
                }
            }
            from.shutdown_both();
            to.shutdown_both();
        });
    };
    one(Box::new(client), server, Arc::clone(&generation));
    one(server2, client2, generation);
}
