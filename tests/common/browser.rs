//! A real headless browser for the tests: Debian's Chromium driven by its chromedriver over
//! the W3C WebDriver protocol (plain HTTP with JSON on loopback, spoken here with the
//! standard library). The browser runs with networking disabled: every connection goes to a
//! proxy that does not exist and no host name resolves, and its network log is kept so a
//! test can list every request the page made. Without Chromium or chromedriver the tests
//! that need them skip with a note; `REQUIRE_BROWSER=1` (as in CI) makes that a failure.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Chromium and its driver, or None (with a note) when either is missing.
pub fn browser_tools() -> Option<(PathBuf, PathBuf)> {
    let find = |names: &[&str]| {
        names.iter().find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|dir| dir.join(name))
                    .find(|p| p.is_file())
            })
        })
    };
    let chromium = find(&["chromium", "chromium-browser", "google-chrome"]);
    let driver = find(&["chromedriver"]);
    if chromium.is_none() || driver.is_none() {
        let required = std::env::var("REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "REQUIRE_BROWSER=1 but Chromium or chromedriver is not installed (apt: chromium chromium-driver)"
        );
        eprintln!(
            "note: Chromium or chromedriver not found (apt: chromium chromium-driver); skipping the part of this test that needs a browser"
        );
    }
    Some((chromium?, driver?))
}

/// One browser session.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium of `width` × `height` without network;
    /// None when they are not installed.
    pub fn start(width: u32, height: u32) -> Option<Browser> {
        let (chromium, driver) = browser_tools()?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().expect("profile dir");
        let mut browser = Browser {
            driver: child,
            port,
            session: String::new(),
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while browser.request("GET", "/status", None).is_err() {
            assert!(Instant::now() < deadline, "chromedriver answers");
            std::thread::sleep(Duration::from_millis(100));
        }
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            format!("--window-size={width},{height}"),
            // No network: every connection to a proxy that is not there, no name resolves.
            "--proxy-server=http://127.0.0.1:9".into(),
            "--proxy-bypass-list=<-loopback>".into(),
            "--host-resolver-rules=MAP * ~NOTFOUND".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--hide-scrollbars".into(),
            "--lang=de-DE".into(),
            format!("--user-data-dir={}", browser._profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
            "goog:loggingPrefs": {"performance": "ALL", "browser": "ALL"},
        }}});
        let answer = browser
            .request("POST", "/session", Some(&caps))
            .expect("a browser session");
        browser.session = answer["sessionId"]
            .as_str()
            .expect("session id")
            .to_string();
        Some(browser)
    }

    /// One WebDriver call; the `value` of the answer, or the error it reports.
    fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .map_err(|e| e.to_string())?;
        let body = body.map(Value::to_string).unwrap_or_default();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.port,
            body.len()
        );
        stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(body.as_bytes()))
            .map_err(|e| e.to_string())?;
        // Read the header, then as many bytes as it announces (the driver may keep the
        // connection open).
        let mut raw = Vec::new();
        let mut buf = [0u8; 65536];
        let (split, header) = loop {
            let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("connection closed before the header".into());
            }
            raw.extend_from_slice(&buf[..n]);
            if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                break (split, String::from_utf8_lossy(&raw[..split]).to_lowercase());
            }
        };
        let length = header
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok());
        let chunked = header.contains("transfer-encoding: chunked");
        loop {
            let have = raw.len() - split - 4;
            let done = match length {
                Some(n) => have >= n,
                None => chunked && raw.ends_with(b"0\r\n\r\n"),
            };
            if done {
                break;
            }
            let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
        }
        let mut content = raw[split + 4..].to_vec();
        if chunked {
            content = dechunk(&content);
        }
        let answer: Value = serde_json::from_slice(&content).map_err(|e| e.to_string())?;
        let value = answer.get("value").cloned().unwrap_or(Value::Null);
        if value.get("error").is_some() {
            return Err(value.to_string());
        }
        Ok(value)
    }

    fn call(&self, method: &str, what: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{what}", self.session);
        self.request(method, &path, body.as_ref())
            .unwrap_or_else(|e| panic!("WebDriver {method} {what}: {e}"))
    }

    /// Opens `file` by its file:// URL (with `fragment` after '#', if any) and waits for the
    /// load.
    pub fn open(&self, file: &Path, fragment: Option<&str>) {
        let mut url = format!("file://{}", file.display());
        if let Some(f) = fragment {
            url = format!("{url}#{f}");
        }
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page; its result.
    pub fn run(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Waits until `script` returns something truthy (at most `secs` seconds); that value.
    pub fn wait_for(&self, script: &str, secs: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let v = self.run(script, json!([]));
            if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
                return v;
            }
            assert!(Instant::now() < deadline, "waited {secs} s for: {script}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The element `css` selects (its WebDriver reference).
    pub fn find(&self, css: &str) -> Value {
        self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        )
    }

    /// Clicks the element `css` selects.
    pub fn click(&self, css: &str) {
        let e = element_id(&self.find(css));
        self.call("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    /// Types `text` into the element `css` selects ("\u{E007}" is Enter).
    pub fn type_into(&self, css: &str, text: &str) {
        let e = element_id(&self.find(css));
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// Moves the mouse to (`x`, `y`) in the viewport, and clicks there when `click`.
    pub fn pointer(&self, x: f64, y: f64, click: bool) {
        let mut steps = vec![
            json!({"type": "pointerMove", "duration": 0, "origin": "viewport",
            "x": x.round() as i64, "y": y.round() as i64}),
        ];
        if click {
            steps.push(json!({"type": "pointerDown", "button": 0}));
            steps.push(json!({"type": "pointerUp", "button": 0}));
        }
        self.call(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "pointer", "id": "maus",
                "parameters": {"pointerType": "mouse"}, "actions": steps}]})),
        );
    }

    /// Every request made for documents under `file://`, from the browser's network log
    /// (the browser's own pages, `chrome://…`, are not the page's).
    pub fn requested_urls(&self) -> Vec<String> {
        let log = self.call("POST", "/se/log", Some(json!({"type": "performance"})));
        log.as_array()
            .map(|entries| {
                entries
                    .iter()
                    .filter_map(|e| e["message"].as_str())
                    .filter_map(|m| serde_json::from_str::<Value>(m).ok())
                    .filter(|m| m["message"]["method"] == "Network.requestWillBeSent")
                    .filter(|m| {
                        m["message"]["params"]["documentURL"]
                            .as_str()
                            .is_some_and(|d| d.starts_with("file://"))
                    })
                    .filter_map(|m| {
                        m["message"]["params"]["request"]["url"]
                            .as_str()
                            .map(str::to_string)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The page's console messages (errors included).
    pub fn console(&self) -> Vec<String> {
        let log = self.call("POST", "/se/log", Some(json!({"type": "browser"})));
        log.as_array()
            .map(|e| {
                e.iter()
                    .filter_map(|m| m["message"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        let b64 = self.call("GET", "/screenshot", None);
        base64_decode(b64.as_str().expect("base64 PNG"))
    }

    /// The page printed to PDF (A4), as the browser's print does it.
    pub fn print_pdf(&self) -> Vec<u8> {
        let b64 = self.call(
            "POST",
            "/print",
            Some(json!({"page": {"width": 21.0, "height": 29.7}, "background": true})),
        );
        base64_decode(b64.as_str().expect("base64 PDF"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.request("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The id inside a WebDriver element reference.
fn element_id(reference: &Value) -> String {
    reference
        .as_object()
        .and_then(|o| o.values().next())
        .and_then(Value::as_str)
        .expect("an element reference")
        .to_string()
}

/// The body of a chunked HTTP answer.
fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..line_end])
                .trim()
                .split(';')
                .next()
                .unwrap_or("0"),
            16,
        )
        .unwrap_or(0);
        data = &data[line_end + 2..];
        if size == 0 || size > data.len() {
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = data.get(size + 2..).unwrap_or(&[]);
    }
    out
}

/// Standard base64 (RFC 4648) to bytes.
fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64 from the driver")
}
