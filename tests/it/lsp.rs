//! `portreg lsp` driven over stdio with real JSON-RPC messages, as an editor drives it:
//! initialize, didOpen, didChange, codeAction, hover, completion, shutdown and exit. The
//! responses are asserted exactly (positions in UTF-16 code units).

use std::io::{BufRead, BufReader, Read, Write};
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
        self.rx.recv_timeout(WAIT).expect("a message from the server")
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
        let matches = |m: &Value| {
            m["method"] == method && uri.is_none_or(|u| m["params"]["uri"] == u)
        };
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
        .map(|a| a.iter().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect())
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
        .map(|a| a.iter().map(|i| i["label"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

/// A clean draft with the hermetic registry's free port.
const CLEAN: &str = r#"[[entry]]
name = "acme-telemetry"
transport = "tcp"
port = 4873
description = "Acme telemetry upload"
assignee = "Acme_Corp"
contact = "Jane_Doe"
reference = ["https://acme.example/spec"]

[entry.justification]
why-not-dynamic = "Devices are configured by hand"
cast = "unicast only"
security = "TLS 1.3"
versioning = "version byte"
discovery = "config"
"#;

fn registry_arg() -> String {
    fixture("lsp/registry.xml").display().to_string()
}

#[test]
fn explore() {
    let dir = TempDir::new("lsp-explore");
    let reg = registry_arg();
    let mut c = Client::start(dir.path(), &["--registry", &reg]);
    let a = file_uri(&dir.join("a.toml"));
    let text = CLEAN.replace("name = \"acme-telemetry\"", "name = \"acme_sync-v2\"")
        .replace("transport = \"tcp\"", "transport = \"tpc\"")
        .replace("contact = \"Jane_Doe\"", "contact = { name = \"Zoë 😀\", email = \"zoë@bad\" }");
    let d = c.open(&a, &text);
    println!("OPEN {}", serde_json::to_string_pretty(&d).unwrap_or_default());
    let r = c.request("textDocument/codeAction", json!({"textDocument": {"uri": a}, "range": {"start": {"line": 1, "character": 0}, "end": {"line": 2, "character": 20}}, "context": {"diagnostics": []}}));
    println!("ACTIONS {}", serde_json::to_string_pretty(&r).unwrap_or_default());
    println!("HOVER name {}", c.hover(&a, 1, 3));
    println!("HOVER port {}", c.hover(&a, 3, 8));
    let d = c.change(&a, 2, "[[entry]\nname = \"x\"\n");
    println!("SYNTAX {}", serde_json::to_string_pretty(&d).unwrap_or_default());
    let d = c.change(&a, 3, &CLEAN.replace("port = 4873", "port = 4872"));
    println!("TAKEN {}", serde_json::to_string_pretty(&d).unwrap_or_default());
    let cl = c.completion(&a, 2, 13);
    println!("COMPL transport {}", labels(&cl).join(","));
    c.finish();
}
