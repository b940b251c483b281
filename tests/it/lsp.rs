//! `portreg lsp` driven over stdio with real JSON-RPC messages, as an editor drives it:
//! initialize, didOpen, didChange, codeAction, hover, completion, shutdown and exit. The
//! responses are asserted exactly (positions in UTF-16 code units).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{command_in, fixture, real_registry_dir, TempDir};

/// How long a test waits for one message before failing (the machine may be busy).
const WAIT: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications read while waiting for something else.
    pending: Vec<Value>,
}

/// Reads `Content-Length` framed messages.
fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    /// Starts `portreg lsp ARGS` in `dir` and initializes it.
    fn start(dir: &Path, args: &[&str]) -> Client {
        let mut all = vec!["lsp"];
        all.extend_from_slice(args);
        let mut child = command_in(dir, &all)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn portreg lsp");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(v) = read_message(&mut r) {
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        let mut c = Client {
            child,
            stdin,
            rx,
            next_id: 1,
            pending: Vec::new(),
        };
        let init = c.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        assert_eq!(init["serverInfo"]["name"], "portreg");
        assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 1);
        assert_eq!(init["capabilities"]["hoverProvider"], true);
        c.notify("initialized", json!({}));
        c
    }

    fn send(&mut self, v: &Value) {
        let body = v.to_string();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn next(&mut self) -> Value {
        self.rx
            .recv_timeout(WAIT)
            .expect("a message from the server")
    }

    /// Sends a request and returns its response (the whole message).
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let m = self.next();
            if m["id"] == json!(id) && m.get("method").is_none() {
                return m;
            }
            self.pending.push(m);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let m = self.call(method, params);
        assert!(m.get("error").is_none(), "{method} failed: {m}");
        m["result"].clone()
    }

    /// The next notification `method` (for `uri`, when given).
    fn notification(&mut self, method: &str, uri: Option<&str>) -> Value {
        let matches =
            |m: &Value| m["method"] == method && uri.is_none_or(|u| m["params"]["uri"] == u);
        if let Some(i) = self.pending.iter().position(matches) {
            return self.pending.remove(i)["params"].clone();
        }
        loop {
            let m = self.next();
            if matches(&m) {
                return m["params"].clone();
            }
            self.pending.push(m);
        }
    }

    fn diagnostics(&mut self, uri: &str) -> Value {
        self.notification("textDocument/publishDiagnostics", Some(uri))
    }

    fn open(&mut self, uri: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "toml", "version": 1, "text": text } }),
        );
        self.diagnostics(uri)
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) -> Value {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version },
                    "contentChanges": [{ "text": text }] }),
        );
        self.diagnostics(uri)
    }

    fn at(uri: &str, line: u32, character: u32) -> Value {
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
    }

    fn hover(&mut self, uri: &str, line: u32, character: u32) -> String {
        let r = self.request("textDocument/hover", Client::at(uri, line, character));
        r["contents"]["value"].as_str().unwrap_or("").to_string()
    }

    fn completion(&mut self, uri: &str, line: u32, character: u32) -> Value {
        self.request("textDocument/completion", Client::at(uri, line, character))
    }

    /// shutdown, exit, and the process ends with status 0.
    fn finish(mut self) {
        let r = self.call("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null);
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        let status = self.child.wait().expect("wait for portreg lsp");
        assert!(status.success(), "{status}");
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A failed test must not leave the server running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn file_uri(path: &Path) -> String {
    let text = path.display().to_string();
    let mut out = String::from("file://");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `(line, character, line, character)` of a diagnostic's range.
fn range(d: &Value) -> (u64, u64, u64, u64) {
    let r = &d["range"];
    let n = |v: &Value| v.as_u64().unwrap_or(u64::MAX);
    (
        n(&r["start"]["line"]),
        n(&r["start"]["character"]),
        n(&r["end"]["line"]),
        n(&r["end"]["character"]),
    )
}

fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| d["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn find<'a>(params: &'a Value, code: &str) -> &'a Value {
    params["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["code"] == code))
        .unwrap_or_else(|| panic!("no {code} in {params}"))
}

fn labels(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| i["label"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A clean draft with the hermetic registry's free port.
const CLEAN: &str = r#"[[entry]]
name = "acme-telemetry"
transport = "tcp"
port = 4873
description = "Acme telemetry upload"
assignee = "Beta_Corp"
contact = "Jane_Doe"
reference = ["https://acme.example/spec"]

[entry.justification]
why-not-dynamic = "Devices are configured by hand"
cast = "unicast only"
security = "TLS 1.3"
versioning = "version byte"
discovery = "config"
why-not-existing-port = "No assigned service carries telemetry uploads"
development-state = "Deployed since 2024"
differs-from-existing = "Bulk upload from field devices"
"#;

fn registry_arg() -> String {
    fixture("lsp/registry.xml").display().to_string()
}

/// The draft with a contact whose email is wrong, on a line with non-ASCII text before it.
fn with_zoe(text: &str) -> String {
    text.replace(
        "contact = \"Jane_Doe\"",
        "contact = { name = \"Zoë 😀\", email = \"zoë@bad\" }",
    )
}

#[test]
fn diagnostics_use_utf16_positions_and_follow_changes() {
    let dir = TempDir::new("lsp-utf16");
    let mut c = Client::start(dir.path(), &["--registry", &registry_arg()]);
    let a = file_uri(&dir.join("a.toml"));
    let d = c.open(&a, &with_zoe(CLEAN));
    // `zoë@bad` starts after 38 UTF-16 units (ë is one unit, 😀 two), 41 bytes.
    assert_eq!(
        d,
        json!({
            "uri": a,
            "version": 1,
            "diagnostics": [{
                "range": { "start": { "line": 6, "character": 38 }, "end": { "line": 6, "character": 45 } },
                "severity": 1,
                "code": "field/email-invalid",
                "codeDescription": { "href": "https://www.rfc-editor.org/rfc/rfc6335#section-8.1.1" },
                "source": "portreg",
                "message": "the inline `contact`: `zoë@bad` is not a usable email address: the domain `bad` has no dot\nhelp: give a reachable address of the form `local@domain.tld`"
            }]
        })
    );
    // Fixed: the list is published again, empty, with the new version.
    let d = c.change(&a, 2, CLEAN);
    assert_eq!(d, json!({ "uri": a, "version": 2, "diagnostics": [] }));
    // A taken port: the related information is the registry record at its real line.
    let d = c.change(&a, 3, &CLEAN.replace("port = 4873", "port = 4872"));
    assert_eq!(
        codes(&d),
        ["conflict/port-taken", "policy/unauthorized-use"]
    );
    let taken = find(&d, "conflict/port-taken");
    assert_eq!(range(taken), (3, 7, 3, 11));
    assert_eq!(
        taken["relatedInformation"],
        json!([{
            "location": {
                "uri": file_uri(&fixture("lsp/registry.xml")),
                "range": { "start": { "line": 19, "character": 12 }, "end": { "line": 19, "character": 16 } }
            },
            "message": "`alpha` holds tcp/4872"
        }])
    );
    c.finish();
}

#[test]
fn a_draft_with_a_toml_error_gets_draft_syntax_and_the_server_keeps_serving() {
    let dir = TempDir::new("lsp-syntax");
    let mut c = Client::start(dir.path(), &["--no-registry"]);
    let a = file_uri(&dir.join("broken.toml"));
    let d = c.open(&a, "[[entry]\nname = \"x\"\n");
    assert_eq!(
        d["diagnostics"],
        json!([{
            "range": { "start": { "line": 0, "character": 8 }, "end": { "line": 0, "character": 8 } },
            "severity": 1,
            "code": "draft/syntax",
            "source": "portreg",
            "message": "invalid TOML: unclosed array table, expected `]`\nhelp: fix the TOML syntax at the marked position; the other rules run once the file parses"
        }])
    );
    // Hover and completion still answer on the broken text.
    assert_eq!(
        c.hover(&a, 1, 1),
        "**x**: no registry is loaded, so whether it is free is unknown"
    );
    let list = c.completion(&a, 2, 0);
    assert!(labels(&list).contains(&"transport".to_string()), "{list}");
    let d = c.change(&a, 2, "[[entry]]\nname = \"x\"\n");
    assert!(!codes(&d).contains(&"draft/syntax".to_string()), "{d}");
    c.finish();
}

#[test]
fn open_drafts_are_checked_against_each_other() {
    let dir = TempDir::new("lsp-in-drafts");
    let mut c = Client::start(dir.path(), &["--registry", &registry_arg()]);
    let a = file_uri(&dir.join("a.toml"));
    let b = file_uri(&dir.join("b.toml"));
    assert_eq!(c.open(&a, CLEAN)["diagnostics"], json!([]));
    // The second draft asks for the same name (and port): it gets the conflict, pointing at
    // the first draft (which is unchanged, so not published again).
    let db = c.open(&b, CLEAN);
    assert_eq!(codes(&db), ["conflict/in-drafts"]);
    let first = find(&db, "conflict/in-drafts");
    assert_eq!(range(first), (1, 7, 1, 23));
    assert_eq!(
        first["relatedInformation"],
        json!([{
            "location": { "uri": a, "range": { "start": { "line": 1, "character": 7 }, "end": { "line": 1, "character": 23 } } },
            "message": "first requested here"
        }])
    );
    // Closing the first clears its list and the second's conflict.
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": a } }),
    );
    assert_eq!(c.diagnostics(&a)["diagnostics"], json!([]));
    assert_eq!(c.diagnostics(&b)["diagnostics"], json!([]));
    c.finish();
}

#[test]
fn code_actions_offer_the_fixes_and_an_allow() {
    let dir = TempDir::new("lsp-actions");
    let mut c = Client::start(dir.path(), &["--registry", &registry_arg()]);
    let a = file_uri(&dir.join("a.toml"));
    let text = CLEAN
        .replace("acme-telemetry", "acme_sync-v2")
        .replace("transport = \"tcp\"", "transport = \"tpc\"");
    let d = c.open(&a, &text);
    assert_eq!(
        codes(&d),
        ["name/invalid-char", "name/version", "transport/unknown"]
    );
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": a },
                "range": { "start": { "line": 1, "character": 0 }, "end": { "line": 2, "character": 20 } },
                "context": { "diagnostics": [] } }),
    );
    let titles: Vec<(&str, bool)> = actions
        .as_array()
        .map(|v| {
            v.iter()
                .map(|x| (x["title"].as_str().unwrap_or(""), x["isPreferred"] == true))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        titles,
        [
            ("Fix name/invalid-char (unsafe: changes the request): replace `acme_sync-v2` with `acme-sync-v2`", false),
            ("Allow name/invalid-char in this entry (with a reason)", false),
            ("Fix name/version (unsafe: changes the request): replace `acme_sync-v2` with `acme_sync`", false),
            ("Allow name/version in this entry (with a reason)", false),
            ("Fix transport/unknown: replace `tpc` with `tcp`", true),
            ("Allow transport/unknown in this entry (with a reason)", false),
        ]
    );
    assert_eq!(
        actions[4]["edit"],
        json!({ "changes": { a.clone(): [{
            "range": { "start": { "line": 2, "character": 13 }, "end": { "line": 2, "character": 16 } },
            "newText": "tcp"
        }] } })
    );
    assert_eq!(
        actions[3]["edit"]["changes"][&a][0]["newText"],
        "\n\n[entry.lint]\nallow = [{ rule = \"name/version\", reason = \"TODO: why this finding does not apply\" }]"
    );
    // Applying the allow (as the client would) silences the finding; the placeholder reason
    // counts as a reason.
    let allowed = format!("{}{}", text.trim_end(), "\n\n[entry.lint]\nallow = [{ rule = \"name/version\", reason = \"TODO: why this finding does not apply\" }]");
    let d = c.change(&a, 2, &allowed);
    assert_eq!(codes(&d), ["name/invalid-char", "transport/unknown"]);
    c.finish();
}

#[test]
fn hover_tells_about_names_ports_and_rules() {
    let dir = TempDir::new("lsp-hover");
    let mut c = Client::start(dir.path(), &["--registry", &registry_arg()]);
    let a = file_uri(&dir.join("a.toml"));
    let text = CLEAN
        .replace("acme-telemetry", "alpha")
        .replace("port = 4873", "port = 4872")
        + "\n[entry.lint]\nallow = [{ rule = \"name/version\", reason = \"brand\" }]\n";
    c.open(&a, &text);
    assert_eq!(
        c.hover(&a, 1, 2),
        "**alpha**: taken (tcp/4872)\n\nfree variants: `alpha-ctl`, `alpha-mgmt`, `alpha-sync`, `alpha-data`, `alpha-api`"
    );
    assert_eq!(
        c.hover(&a, 3, 9),
        "**port 4872** (User port)\n\
         - tcp: assigned to `alpha` (assignee Acme_Corp; contact Al_Ops); unauthorized use known: also used by a game server\n\
         - udp: Reserved\n\
         - sctp: no record\n\
         - dccp: no record"
    );
    let rule = c.hover(&a, 20, 22);
    assert!(
        rule.starts_with(
            "**name/version** (warning): service name appears to encode a protocol version"
        ),
        "{rule}"
    );
    // On a finding's range: its rule.
    let taken = c.hover(&a, 3, 7);
    assert!(taken.starts_with("**port 4872**"), "{taken}");
    // A key: its description from the schema.
    assert!(c.hover(&a, 4, 3).starts_with("**description**\n\nRequired"));
    c.finish();
}

#[test]
fn completion_offers_keys_values_people_rules_and_free_ports() {
    let dir = TempDir::new("lsp-completion");
    let mut c = Client::start(dir.path(), &["--registry", &registry_arg()]);
    let a = file_uri(&dir.join("a.toml"));
    let text = "[[entry]]\nde\ntransport = \"\nkind = \nassignee = \"\nport = 4872\n[entry.justification]\ndiscovery = \"\n[entry.lint]\nallow = [{ rule = \"name/v\n\n[people.Acme_Dev]\norg = \"Acme\"\n";
    c.open(&a, text);
    let keys = c.completion(&a, 1, 2);
    assert_eq!(labels(&keys), ["description"]);
    assert!(
        keys["items"][0]["documentation"]["value"]
            .as_str()
            .is_some_and(|d| d.starts_with("Required: a short title")),
        "{keys}"
    );
    assert_eq!(
        labels(&c.completion(&a, 2, 13)),
        ["tcp", "udp", "sctp", "dccp"]
    );
    let kind = c.completion(&a, 3, 7);
    assert_eq!(
        labels(&kind),
        ["new", "extend", "modify", "deassign", "reuse", "transfer"]
    );
    assert_eq!(kind["items"][0]["insertText"], "\"new\"");
    assert_eq!(
        labels(&c.completion(&a, 4, 12)),
        ["Acme_Dev", "Acme_Corp", "Al_Ops", "Beta_Corp", "Jane_Doe"]
    );
    // Nearest to 4872 (taken) first, on tcp: the entry names no known transport.
    let ports = c.completion(&a, 5, 11);
    assert_eq!(labels(&ports)[..4], ["4871", "4873", "4870", "4874"]);
    assert_eq!(ports["items"][0]["detail"], "free User port on tcp");
    assert_eq!(
        labels(&c.completion(&a, 7, 13)),
        ["none", "srv", "dns-sd", "config"]
    );
    assert_eq!(labels(&c.completion(&a, 9, 25)), ["name/version"]);
    c.finish();
}

#[test]
fn config_and_registry_changes_are_picked_up_without_a_restart() {
    let dir = TempDir::new("lsp-reload");
    let registry = dir.join("registry.xml");
    let original = std::fs::read_to_string(fixture("lsp/registry.xml")).expect("fixture");
    std::fs::write(&registry, &original).expect("write registry");
    let mut c = Client::start(dir.path(), &["--registry", &registry.display().to_string()]);
    let a = file_uri(&dir.join("a.toml"));
    let text = CLEAN.replace("port = 4873", "port = 4872");
    assert_eq!(
        codes(&c.open(&a, &text)),
        ["conflict/port-taken", "policy/unauthorized-use"]
    );
    // The config now allows the rule.
    dir.write(
        "portreg.toml",
        "[levels]\n\"conflict/port-taken\" = \"allow\"\n",
    );
    assert_eq!(codes(&c.change(&a, 2, &text)), ["policy/unauthorized-use"]);
    std::fs::remove_file(dir.join("portreg.toml")).expect("remove config");
    assert_eq!(
        codes(&c.change(&a, 3, &text)),
        ["conflict/port-taken", "policy/unauthorized-use"]
    );
    // The registry no longer has `alpha`: 4872 is Unassigned on tcp.
    let freed = original.replace("<name>alpha</name>", "").replace(
        "<description>Alpha sync</description>",
        "<description>Unassigned</description>",
    );
    std::fs::write(&registry, freed).expect("rewrite registry");
    c.notify("workspace/didChangeWatchedFiles", json!({ "changes": [] }));
    let d = c.diagnostics(&a);
    assert!(
        !codes(&d).contains(&"conflict/port-taken".to_string()),
        "{d}"
    );
    c.finish();
}

#[test]
fn requests_after_shutdown_are_refused_and_exit_ends_the_server() {
    let dir = TempDir::new("lsp-shutdown");
    let mut c = Client::start(dir.path(), &["--no-registry"]);
    let r = c.call("shutdown", Value::Null);
    assert_eq!(r["result"], Value::Null);
    let r = c.call("textDocument/hover", Client::at("file:///x.toml", 0, 0));
    assert_eq!(r["error"]["code"], -32600);
    c.notify("exit", Value::Null);
    drop(c.stdin.take());
    assert!(c.child.wait().expect("wait").success());
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn hover_on_a_port_of_the_real_registry() {
    let real = real_registry_dir().join(crate::harness::REAL_CURRENT);
    let dir = TempDir::new("lsp-real");
    let mut c = Client::start(dir.path(), &["--registry", &real.display().to_string()]);
    let a = file_uri(&dir.join("a.toml"));
    let text = CLEAN.replace("port = 4873", "port = 80");
    let d = c.open(&a, &text);
    assert!(
        codes(&d).contains(&"conflict/port-taken".to_string()),
        "{d}"
    );
    let hover = c.hover(&a, 3, 8);
    assert!(
        hover.starts_with("**port 80** (System port)\n- tcp: assigned to `http`"),
        "{hover}"
    );
    assert!(hover.contains("\n- udp: assigned to `http`"), "{hover}");
    c.finish();
}

/// A file the config's `drafts` globs name is a draft before it has an `[[entry]]`: it gets
/// `draft/no-entries` at once, as `portreg check` would report.
#[test]
fn files_named_by_the_config_drafts_globs_are_drafts() {
    let dir = TempDir::with_files(
        "lsp-draft-globs",
        &[("portreg.toml", "drafts = [\"requests/*.toml\"]\n")],
    );
    let mut c = Client::start(dir.path(), &["--no-registry"]);
    let a = file_uri(&dir.join("requests/new.toml"));
    let d = c.open(&a, "format = 1\n");
    assert_eq!(codes(&d), ["draft/no-entries"]);
    c.finish();
}

#[test]
fn a_broken_config_is_logged_and_drafts_are_still_checked() {
    let dir = TempDir::with_files(
        "lsp-bad-config",
        &[(
            "portreg.toml",
            "levls = 1\n[levels]\n\"name/version\" = \"allow\"\n",
        )],
    );
    let mut c = Client::start(dir.path(), &["--no-registry"]);
    let a = file_uri(&dir.join("a.toml"));
    let d = c.open(&a, &CLEAN.replace("acme-telemetry", "acme-v2"));
    // The levels that parsed still apply: name/version is allowed.
    assert_eq!(codes(&d), Vec::<String>::new());
    let log = c.notification("window/logMessage", None);
    assert_eq!(log["type"], 2);
    let message = log["message"].as_str().unwrap_or("");
    assert!(
        message.contains("has problems; they are ignored until fixed")
            && message.contains("config/unknown-key"),
        "{message}"
    );
    c.finish();
}

#[test]
fn fix_all_applies_every_safe_fix() {
    let dir = TempDir::new("lsp-fix-all");
    let mut c = Client::start(dir.path(), &["--no-registry"]);
    let a = file_uri(&dir.join("a.toml"));
    let text = CLEAN
        .replace("transport = \"tcp\"", "transport = \"TCP\"")
        .replace("port = 4873", "port = \"4873\"");
    let d = c.open(&a, &text);
    assert_eq!(codes(&d), ["transport/unknown", "draft/non-canonical"]);
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": a },
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
                "context": { "diagnostics": [] } }),
    );
    assert_eq!(actions[0]["title"], "Apply the 2 safe fixes of this draft");
    assert_eq!(actions[0]["kind"], "source.fixAll.portreg");
    assert_eq!(actions[0]["edit"]["changes"][&a][0]["newText"], CLEAN);
    c.finish();
}
