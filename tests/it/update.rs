//! `portreg registry update` against a local HTTP server (127.0.0.1, port 0) run by the test:
//! a good download, a conditional request answered 304, and failures (404, truncated body,
//! HTML error page, not a registry, slow server) that must leave the cache byte-identical
//! and exit 2. No external network is used.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::harness::{command_in, TempDir};

const V1: &str = include_str!("../fixtures/update/registry-v1.xml");
const V2: &str = include_str!("../fixtures/update/registry-v2.xml");
const CODES: &str = include_str!("../fixtures/rules/service-codes.xml");

/// A tiny HTTP/1.1 server; stops accepting when dropped (or after 120 s at the latest).
struct Server {
    port: u16,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local addr").port();
        listener.set_nonblocking(true).expect("nonblocking");
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (stop2, requests2) = (Arc::clone(&stop), Arc::clone(&requests));
        thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(120);
            while !stop2.load(Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let requests = Arc::clone(&requests2);
                        thread::spawn(move || handle(stream, &requests));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Server {
            port,
            stop,
            requests,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn handle(mut stream: TcpStream, requests: &Mutex<Vec<String>>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    if let Ok(mut r) = requests.lock() {
        r.push(head.clone());
    }
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    };
    let reply = |stream: &mut TcpStream, status: &str, extra: &str, body: &[u8]| {
        let _ = write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n",
            body.len()
        );
        let _ = stream.write_all(body);
        let _ = stream.flush();
    };
    match path.as_str() {
        "/v1.xml" | "/v2.xml" => {
            let (body, etag) = if path == "/v1.xml" {
                (V1, "\"v1\"")
            } else {
                (V2, "\"v2\"")
            };
            if header("if-none-match").as_deref() == Some(etag) {
                let _ = write!(
                    stream,
                    "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n"
                );
                return;
            }
            let extra = format!(
                "Content-Type: text/xml\r\nETag: {etag}\r\nLast-Modified: Mon, 17 Aug 2026 10:00:00 GMT\r\n"
            );
            reply(&mut stream, "200 OK", &extra, body.as_bytes());
        }
        "/service-codes.xml" => {
            if header("if-none-match").as_deref() == Some("\"sc1\"") {
                let _ = write!(
                    stream,
                    "HTTP/1.1 304 Not Modified\r\nETag: \"sc1\"\r\nConnection: close\r\n\r\n"
                );
                return;
            }
            reply(
                &mut stream,
                "200 OK",
                "Content-Type: text/xml\r\nETag: \"sc1\"\r\n",
                CODES.as_bytes(),
            );
        }
        "/missing.xml" => reply(
            &mut stream,
            "404 Not Found",
            "Content-Type: text/html\r\n",
            b"<html><body>Not Found</body></html>",
        ),
        "/truncated.xml" => {
            let body = V2.as_bytes();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len() + 5000
            );
            let _ = stream.write_all(&body[..body.len() / 2]);
            let _ = stream.flush();
            // Dropping the stream closes the connection mid-body.
        }
        "/huge.xml" => {
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n<?xml",
                65u64 * 1024 * 1024
            );
            let _ = stream.flush();
        }
        "/error-page.xml" => reply(
            &mut stream,
            "200 OK",
            "Content-Type: text/html\r\n",
            b"<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head><body>Try later</body></html>\n",
        ),
        // A registry that parses but breaks IANA's schema (a protocol in capitals).
        "/off-schema.xml" => {
            let body = V2.replacen("<protocol>tcp</protocol>", "<protocol>TCP</protocol>", 1);
            assert_ne!(body, V2, "the fixture has a tcp record");
            reply(&mut stream, "200 OK", "Content-Type: text/xml\r\n", body.as_bytes());
        }
        "/json.xml" => reply(
            &mut stream,
            "200 OK",
            "Content-Type: application/json\r\n",
            b"{\"error\": \"maintenance\"}",
        ),
        "/slow.xml" => {
            thread::sleep(Duration::from_secs(4));
            reply(&mut stream, "200 OK", "", V2.as_bytes());
        }
        "/slow-body.xml" => {
            let body = V2.as_bytes();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            // A trickle: one chunk every 400 ms, well past a 1 s overall timeout.
            for chunk in body.chunks(64).take(20) {
                if stream.write_all(chunk).and_then(|_| stream.flush()).is_err() {
                    return;
                }
                thread::sleep(Duration::from_millis(400));
            }
        }
        _ => reply(&mut stream, "404 Not Found", "", b"no such file"),
    }
}

/// A temporary cache home, removed on drop.
struct Home(TempDir);

impl Home {
    fn new(test: &str) -> Home {
        Home(TempDir::new(&format!("update-{test}")))
    }
    fn path(&self) -> &Path {
        self.0.path()
    }
    fn cache_file(&self) -> PathBuf {
        self.path()
            .join("portreg")
            .join("service-names-port-numbers.xml")
    }
    fn codes_file(&self) -> PathBuf {
        self.path().join("portreg").join("service-codes.xml")
    }
    fn meta_file(&self) -> PathBuf {
        self.path()
            .join("portreg")
            .join("service-names-port-numbers.xml.meta.json")
    }
}

/// `portreg` in the harness's clean environment, with `home` as its cache home and folder and
/// no proxy or registry URL from the environment.
fn portreg(home: &Path, args: &[&str]) -> Output {
    let mut cmd = command_in(home, args);
    cmd.env("XDG_CACHE_HOME", home)
        .env("HOME", home)
        .env_remove("PORTREG_REGISTRY_URL")
        .env_remove("PORTREG_SERVICE_CODES_URL");
    for proxy in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        cmd.env_remove(proxy);
    }
    cmd.output().expect("run portreg")
}

fn update(home: &Path, url: &str, extra: &[&str]) -> Output {
    let mut args = vec!["registry", "update", "--url", url];
    args.extend_from_slice(extra);
    portreg(home, &args)
}

fn text(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn downloads_verifies_installs_and_then_says_up_to_date() {
    let server = Server::start();
    let home = Home::new("good");
    let out = update(home.path(), &server.url("/v1.xml"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("updated: registry of 2026-08-17"),
        "{stdout}"
    );
    assert!(stdout.contains("4 records"), "{stdout}");
    assert!(stdout.contains(&format!("{} bytes", V1.len())), "{stdout}");
    assert_eq!(
        std::fs::read(home.cache_file()).expect("cache"),
        V1.as_bytes()
    );
    // Not a terminal: no progress line on stderr.
    assert!(out.stderr.is_empty(), "{}", text(&out));

    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.meta_file()).expect("sidecar"))
            .expect("sidecar is JSON");
    assert_eq!(meta["url"], server.url("/v1.xml"));
    assert_eq!(meta["etag"], "\"v1\"");
    assert_eq!(meta["last_modified"], "Mon, 17 Aug 2026 10:00:00 GMT");
    let fetched = meta["fetched_at"].as_str().expect("fetched_at");
    assert!(
        chrono::DateTime::parse_from_rfc3339(fetched).is_ok(),
        "{fetched}"
    );

    // The second run is conditional and answered 304.
    let out = update(home.path(), &server.url("/v1.xml"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("up to date"),
        "{}",
        text(&out)
    );
    let requests = server.requests();
    let last = requests.last().expect("a request").to_ascii_lowercase();
    assert!(last.contains("if-none-match: \"v1\""), "{last}");
    assert!(
        last.contains("if-modified-since: mon, 17 aug 2026 10:00:00 gmt"),
        "{last}"
    );
    assert_eq!(
        std::fs::read(home.cache_file()).expect("cache"),
        V1.as_bytes()
    );

    // `--force` downloads unconditionally.
    let out = update(home.path(), &server.url("/v1.xml"), &["--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("updated:"));

    // A new version replaces the cache; `registry info` then uses it and shows its age.
    let out = update(home.path(), &server.url("/v2.xml"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        std::fs::read(home.cache_file()).expect("cache"),
        V2.as_bytes()
    );
    let info = portreg(home.path(), &["registry", "info"]);
    let info_text = String::from_utf8_lossy(&info.stdout);
    assert_eq!(info.status.code(), Some(0), "{}", text(&info));
    assert!(info_text.contains("(from the user cache)"), "{info_text}");
    assert!(info_text.contains("updated: 2026-11-20"), "{info_text}");
    assert!(info_text.contains("fetched"), "{info_text}");
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(home.path().join("portreg"))
        .expect("cache dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn failures_leave_the_cache_byte_identical_and_exit_2() {
    let server = Server::start();
    let home = Home::new("failures");
    let out = update(home.path(), &server.url("/v1.xml"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let before = std::fs::read(home.cache_file()).expect("cache");
    let meta_before = std::fs::read(home.meta_file()).expect("sidecar");

    let cases: &[(&str, &[&str], &str)] = &[
        ("/missing.xml", &[], "HTTP 404"),
        ("/truncated.xml", &[], "cut off"),
        ("/huge.xml", &[], "64 MiB"),
        ("/error-page.xml", &[], "HTML page"),
        ("/json.xml", &[], "JSON"),
        (
            "/off-schema.xml",
            &[],
            "breaks IANA's schema (1 violation; the first at line",
        ),
        ("/slow.xml", &["--timeout", "1"], "1 s"),
        ("/slow-body.xml", &["--timeout", "1"], ""),
    ];
    for (path, extra, needle) in cases {
        let started = Instant::now();
        let out = update(home.path(), &server.url(path), extra);
        let took = started.elapsed();
        assert_eq!(out.status.code(), Some(2), "{path}: {}", text(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        eprintln!("{path} ({took:?}): {stderr}");
        assert!(
            stderr.contains("registry update failed") && stderr.contains("is unchanged"),
            "{path}: {stderr}"
        );
        assert!(stderr.contains(needle), "{path}: {stderr}");
        assert!(out.stdout.is_empty(), "{path}: {}", text(&out));
        assert_eq!(
            std::fs::read(home.cache_file()).expect("cache"),
            before,
            "{path}: the cache changed"
        );
        assert_eq!(
            std::fs::read(home.meta_file()).expect("sidecar"),
            meta_before,
            "{path}: the sidecar changed"
        );
        if extra.contains(&"--timeout") {
            assert!(took < Duration::from_secs(4), "{path}: took {took:?}");
        }
    }
}

#[test]
fn failure_without_a_cache_creates_nothing() {
    let server = Server::start();
    let home = Home::new("nocache");
    let out = update(home.path(), &server.url("/error-page.xml"), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was cached"));
    assert!(!home.cache_file().exists());
}

#[test]
fn url_from_the_environment_and_bad_urls() {
    let server = Server::start();
    let home = Home::new("env");
    let out = command_in(home.path(), &["registry", "update"])
        .env("XDG_CACHE_HOME", home.path())
        .env("HOME", home.path())
        .env("PORTREG_REGISTRY_URL", server.url("/v2.xml"))
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("all_proxy")
        .env_remove("ALL_PROXY")
        .output()
        .expect("run portreg");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        std::fs::read(home.cache_file()).expect("cache"),
        V2.as_bytes()
    );

    let out = update(home.path(), "ftp://example.invalid/x.xml", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = update(home.path(), &server.url("/v1.xml"), &["--timeout", "0"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert_eq!(
        std::fs::read(home.cache_file()).expect("cache"),
        V2.as_bytes()
    );
}

/// `registry/stale`: judged by the registry's own `<updated>` against `Options::today`.
#[test]
fn stale_registry_rule() {
    use portreg::{check_drafts, DraftInput, Options};
    let registry = std::sync::Arc::new(
        portreg::Registry::from_bytes("v1.xml", V1.as_bytes().to_vec()).expect("v1"),
    );
    let draft =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/user-port-tcp.toml"))
            .expect("example");
    let stale = |today: chrono::NaiveDate| {
        let options = Options::default()
            .with_registry(std::sync::Arc::clone(&registry))
            .with_today(today);
        let report = check_drafts(vec![DraftInput::new("d.toml", draft.clone())], &options);
        report
            .diagnostics()
            .iter()
            .find(|d| d.rule == "registry/stale")
            .map(|d| (d.message.clone(), d.help.clone(), d.severity))
    };
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).expect("date");
    // updated 2026-08-17: 60 days later is still fine, 61 is stale.
    assert_eq!(stale(day(8, 17)), None);
    assert_eq!(stale(day(10, 16)), None);
    let (message, help, severity) = stale(day(10, 17)).expect("stale after 60 days");
    assert!(
        message.contains("2026-08-17") && message.contains("61 days"),
        "{message}"
    );
    assert!(help.unwrap_or_default().contains("portreg registry update"));
    assert_eq!(severity, portreg::Severity::Warning);
    // A registry from the future (or today's) is not stale.
    assert_eq!(stale(day(1, 1)), None);
    // No registry: nothing to judge.
    let options = Options::default().with_today(day(12, 31));
    let report = check_drafts(vec![DraftInput::new("d.toml", draft.clone())], &options);
    assert!(report
        .diagnostics()
        .iter()
        .all(|d| d.rule != "registry/stale"));
}

/// A server handing out an older registry than the cached one does not silently replace it:
/// the update refuses unless `--force`, and says why.
#[test]
fn an_older_registry_is_refused_unless_forced() {
    let server = Server::start();
    let home = Home::new("older");
    let out = update(home.path(), &server.url("/v2.xml"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let meta_before = std::fs::read(home.meta_file()).expect("sidecar");

    // v1 (2026-08-17) is older than the cached v2 (2026-11-20).
    let out = update(home.path(), &server.url("/v1.xml"), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("last updated on 2026-08-17, before the cached copy (2026-11-20)")
            && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(home.cache_file()).expect("cache"),
        V2.as_bytes()
    );
    assert_eq!(
        std::fs::read(home.meta_file()).expect("sidecar"),
        meta_before
    );

    let out = update(home.path(), &server.url("/v1.xml"), &["--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        std::fs::read(home.cache_file()).expect("cache"),
        V1.as_bytes()
    );
}

/// `registry/stale` measures the cached copy's age from when it was fetched (the sidecar),
/// not from IANA's `<updated>`; and `-D warnings` leaves it a warning unless it is named.
#[test]
fn stale_counts_from_the_fetch_and_is_not_denied_by_warnings() {
    let server = Server::start();
    let home = Home::new("stale-fetched");
    let out = update(home.path(), &server.url("/v1.xml"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // Fetched on a fixed day, long after v1's own date (2026-08-17).
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.meta_file()).expect("sidecar"))
            .expect("sidecar is JSON");
    meta["fetched_at"] = "2026-12-01T09:00:00Z".into();
    std::fs::write(home.meta_file(), meta.to_string()).expect("write sidecar");
    let draft = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/user-port-tcp.toml");
    let draft = draft.to_str().expect("utf-8 path");
    let check = |today: &str, extra: &[&str]| {
        let mut args = vec!["check", draft, "--format", "short"];
        args.extend_from_slice(extra);
        let mut cmd = command_in(home.path(), &args);
        cmd.env("XDG_CACHE_HOME", home.path())
            .env("HOME", home.path())
            .env("PORTREG_TODAY", today);
        cmd.output().expect("run portreg")
    };
    // 19 days after the fetch: current, though IANA's date is 125 days old.
    let out = check("2026-12-20", &["-D", "warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains("registry/stale"), "{}", text(&out));

    // 90 days after the fetch: stale, counted from the fetch; still a warning under
    // `-D warnings`, an error when named.
    let out = check("2027-03-01", &["-D", "warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let all = text(&out);
    assert!(
        all.contains("warning[registry/stale]")
            && all.contains("was fetched on 2026-12-01, 90 days ago"),
        "{all}"
    );
    let out = check("2027-03-01", &["-D", "registry/stale"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}

#[test]
fn service_codes_are_downloaded_next_to_the_registry() {
    let server = Server::start();
    let home = Home::new("codes");
    let codes_url = server.url("/service-codes.xml");
    let out = update(
        home.path(),
        &server.url("/v1.xml"),
        &["--service-codes-url", &codes_url],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("updated: registry of 2026-08-17"),
        "{stdout}"
    );
    assert!(
        stdout.contains("updated: service codes of 2026-01-10, 7 rows"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(home.codes_file()).expect("codes cache"),
        CODES.as_bytes()
    );
    let meta = home
        .path()
        .join("portreg")
        .join("service-codes.xml.meta.json");
    assert!(meta.is_file(), "no sidecar for the codes");

    // Conditional the second time, for both.
    let out = update(
        home.path(),
        &server.url("/v1.xml"),
        &["--service-codes-url", &codes_url],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.matches("up to date:").count(), 2, "{stdout}");
    let last = server.requests().last().cloned().unwrap_or_default();
    assert!(
        last.to_ascii_lowercase().contains("if-none-match: \"sc1\""),
        "{last}"
    );

    // `check` then finds the cached codes: SC:RTPA is taken in the codes registry only.
    std::fs::write(
        home.path().join("rtpa.toml"),
        "[[entry]]\nname = \"acme-media\"\ntransport = \"dccp\"\nservice-code = \"SC:RTPA\"\n",
    )
    .expect("write draft");
    let out = portreg(home.path(), &["check", "rtpa.toml", "--format", "short"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("error[conflict/sc-taken]: service code 1381257281 (SC:RTPA) is already assigned in the DCCP Service Codes registry"),
        "{}",
        text(&out)
    );

    // A download that is not the codes registry (the port registry) leaves the cache as it
    // was, after the registry itself was updated; exit 2.
    let before = std::fs::read(home.codes_file()).expect("codes cache");
    let out = update(
        home.path(),
        &server.url("/v2.xml"),
        &["--service-codes-url", &server.url("/v1.xml"), "--force"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "service codes update failed: the download is not a usable Service Codes registry"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("are unchanged (the registry was updated)"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(home.codes_file()).expect("codes cache"),
        before
    );
    assert_eq!(
        std::fs::read(home.cache_file()).expect("cache"),
        V2.as_bytes()
    );

    // Without --service-codes-url, a registry from another server brings no codes.
    let out = update(home.path(), &server.url("/v1.xml"), &["--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("service codes: not downloaded"),
        "{}",
        text(&out)
    );
}
