//! The server loop: documents in, diagnostics out, requests answered. Changes are
//! debounced (a burst of keystrokes is checked once); requests first check what is
//! pending, so their answers match the text. A panic while handling a message is logged to
//! the client (`window/logMessage`) and the server goes on.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CodeActionParams, CompletionParams, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, HoverParams, LogMessageParams, MessageType,
    PublishDiagnosticsParams, Uri,
};
use serde_json::Value;

use super::diagnostics::{convert, Published};
use super::hover::Facts;
use super::position::LineIndex;
use super::workspace::{GroupKey, Workspace};
use super::{actions, completion, hover, uri};
use crate::diagnostic::FileId;
use crate::engine::{check_drafts, DraftInput, Options};

/// How long after the last change a draft is checked.
const DEBOUNCE: Duration = Duration::from_millis(50);
/// How often, when idle, the files read (config, rules, registry) are checked for changes.
const TICK: Duration = Duration::from_secs(2);

/// One open document.
struct Doc {
    text: String,
    version: Option<i32>,
    path: Option<PathBuf>,
    /// A draft: checked and given diagnostics. Once a draft, always (until closed), so that
    /// deleting the last `[[entry]]` shows `draft/no-entries` instead of nothing.
    draft: bool,
    /// The diagnostics last published, with their fixes.
    published: Vec<Published>,
    /// What was last sent, to skip re-sending the same list.
    sent: Option<Vec<lsp_types::Diagnostic>>,
}

pub struct Server {
    out: Sender<Message>,
    docs: BTreeMap<String, Doc>,
    ws: Workspace,
    /// Drafts changed since they were last checked, and when to check them.
    dirty: BTreeSet<String>,
    deadline: Option<Instant>,
    shutdown: bool,
}

/// A `.toml` file (or a buffer without a file) other than `portreg.toml` with an
/// `[[entry]]` table header.
pub fn is_draft(path: Option<&std::path::Path>, text: &str) -> bool {
    if let Some(p) = path {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == crate::config::FILE_NAME || !name.ends_with(".toml") {
            return false;
        }
    }
    text.lines().any(|l| {
        let t = l.trim_start();
        // Also `[[entry]` while it is being typed: it must get its `draft/syntax` finding.
        t.strip_prefix("[[")
            .and_then(|r| r.split(']').next())
            .is_some_and(|n| n.trim() == "entry")
    })
}

impl Server {
    pub fn new(out: Sender<Message>, ws: Workspace) -> Self {
        Server {
            out,
            docs: BTreeMap::new(),
            ws,
            dirty: BTreeSet::new(),
            deadline: None,
            shutdown: false,
        }
    }

    /// Serves until `exit` or the end of the input.
    pub fn run(&mut self, input: &Receiver<Message>) {
        loop {
            if self.deadline.is_some_and(|d| d <= Instant::now()) {
                self.guarded("checking drafts", |s| s.flush());
            }
            let wait = self
                .deadline
                .map_or(TICK, |d| d.saturating_duration_since(Instant::now()));
            match input.recv_timeout(wait) {
                Ok(Message::Notification(n)) if n.method == "exit" => return,
                Ok(msg) => self.handle(msg),
                Err(RecvTimeoutError::Timeout) => {
                    if self.deadline.is_none() {
                        self.guarded("checking for changed files", |s| s.tick());
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// Runs `f`; a panic becomes a logged error.
    fn guarded(&mut self, what: &str, f: impl FnOnce(&mut Self)) -> bool {
        match catch_unwind(AssertUnwindSafe(|| f(self))) {
            Ok(()) => true,
            Err(panic) => {
                let why = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                // The dirty set may be half processed: start the next round clean.
                self.dirty.clear();
                self.deadline = None;
                self.log(
                    MessageType::ERROR,
                    format!("portreg: internal error while {what}: {why}; still serving"),
                );
                false
            }
        }
    }

    fn handle(&mut self, msg: Message) {
        match msg {
            Message::Request(req) => {
                let id = req.id.clone();
                let method = req.method.clone();
                let mut response = None;
                let ok = self.guarded(&format!("answering {method}"), |s| {
                    response = Some(s.request(req));
                });
                let response = match (ok, response) {
                    (true, Some(r)) => r,
                    _ => Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        format!("portreg: internal error while answering {method}"),
                    ),
                };
                self.send(response.into());
            }
            Message::Notification(n) => {
                let method = n.method.clone();
                self.guarded(&format!("handling {method}"), |s| s.notification(n));
            }
            Message::Response(_) => {}
        }
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        if req.method == "shutdown" {
            self.shutdown = true;
            return Response::new_ok(id, Value::Null);
        }
        if self.shutdown {
            return Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            );
        }
        let result = match req.method.as_str() {
            "textDocument/codeAction" => {
                params::<CodeActionParams>(req.params).map(|p| self.code_action(p))
            }
            "textDocument/hover" => params::<HoverParams>(req.params).map(|p| self.hover(p)),
            "textDocument/completion" => {
                params::<CompletionParams>(req.params).map(|p| self.completion(p))
            }
            other => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("portreg does not handle `{other}`"),
                )
            }
        };
        match result {
            Ok(v) => Response::new_ok(id, v),
            Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e),
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = params::<DidOpenTextDocumentParams>(n.params) {
                    let key = p.text_document.uri.as_str().to_string();
                    let path = uri::to_path(&key);
                    let draft = is_draft(path.as_deref(), &p.text_document.text)
                        || path.as_deref().is_some_and(|p| self.ws.named_draft(p));
                    self.docs.insert(
                        key.clone(),
                        Doc {
                            text: p.text_document.text,
                            version: Some(p.text_document.version),
                            path,
                            draft,
                            published: Vec::new(),
                            sent: None,
                        },
                    );
                    if draft {
                        // Opening shows the findings at once; only typing is debounced.
                        self.dirty.insert(key);
                        self.flush();
                    }
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = params::<DidChangeTextDocumentParams>(n.params) {
                    let key = p.text_document.uri.as_str().to_string();
                    let Some(doc) = self.docs.get_mut(&key) else {
                        return;
                    };
                    for change in p.content_changes {
                        match change.range {
                            Some(range) => {
                                let ix = LineIndex::new(&doc.text);
                                let (a, b) = (ix.offset(range.start), ix.offset(range.end));
                                doc.text.replace_range(a..b.max(a), &change.text);
                            }
                            None => doc.text = change.text,
                        }
                    }
                    doc.version = Some(p.text_document.version);
                    doc.draft = doc.draft || is_draft(doc.path.as_deref(), &doc.text);
                    if doc.draft {
                        self.dirty.insert(key);
                        self.deadline = Some(Instant::now() + DEBOUNCE);
                    }
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = params::<DidCloseTextDocumentParams>(n.params) {
                    let key = p.text_document.uri.as_str().to_string();
                    if let Some(doc) = self.docs.remove(&key) {
                        self.dirty.remove(&key);
                        if doc.draft {
                            self.publish(&key, Vec::new(), None);
                            // Its conflicts with the other drafts are gone.
                            self.lint(None);
                        }
                    }
                }
            }
            "workspace/didChangeWatchedFiles" => {
                self.ws.forget();
                self.lint(None);
            }
            _ => {}
        }
    }

    /// Checks the drafts changed since their last check (and the drafts checked with them).
    fn flush(&mut self) {
        self.deadline = None;
        if self.dirty.is_empty() {
            return;
        }
        let dirty = std::mem::take(&mut self.dirty);
        self.lint(Some(&dirty));
    }

    /// When a config, rules or registry file changed on disk, checks every draft again.
    fn tick(&mut self) {
        if self.ws.changed_on_disk() {
            self.lint(None);
        }
    }

    /// Checks the groups of drafts (same settings and registry) that hold a draft of
    /// `only` (every group for `None`), and publishes what changed. The drafts of `only`
    /// are always published (their version moved).
    fn lint(&mut self, only: Option<&BTreeSet<String>>) {
        let mut groups: BTreeMap<GroupKey, (Options, Vec<String>)> = BTreeMap::new();
        for (key, doc) in self.docs.iter().filter(|(_, d)| d.draft) {
            let folder = doc.path.as_deref().and_then(|p| p.parent());
            let resolved = self.ws.resolve(folder);
            groups
                .entry(resolved.key)
                .or_insert_with(|| (resolved.options, Vec::new()))
                .1
                .push(key.clone());
        }
        for line in std::mem::take(&mut self.ws.log) {
            self.log(MessageType::WARNING, line);
        }
        for (options, uris) in groups.into_values() {
            if only.is_some_and(|o| !uris.iter().any(|u| o.contains(u))) {
                continue;
            }
            self.check_group(&options, &uris, only);
        }
    }

    fn check_group(&mut self, options: &Options, uris: &[String], only: Option<&BTreeSet<String>>) {
        let inputs: Vec<DraftInput> = uris
            .iter()
            .filter_map(|u| Some(DraftInput::new(u.clone(), self.docs.get(u)?.text.clone())))
            .collect();
        let report = check_drafts(inputs, options);
        let open: BTreeSet<&String> = self.docs.keys().collect();
        let uri_of = |name: &str| -> Option<Uri> {
            if open.contains(&name.to_string()) {
                Uri::from_str(name).ok()
            } else {
                Uri::from_str(&uri::from_path(std::path::Path::new(name))).ok()
            }
        };
        let mut results = Vec::new();
        for (i, u) in uris.iter().enumerate() {
            let Some(doc) = self.docs.get(u) else {
                continue;
            };
            let index = LineIndex::new(&doc.text);
            let published: Vec<Published> = report
                .diagnostics
                .iter()
                .filter(|d| !d.suppressed && d.file.is_none_or(|f| f == FileId(i)))
                .map(|d| convert(&report, d, &index, &uri_of))
                .collect();
            results.push((u.clone(), published));
        }
        for (u, published) in results {
            let lsp: Vec<lsp_types::Diagnostic> = published.iter().map(|p| p.lsp.clone()).collect();
            let Some(doc) = self.docs.get_mut(&u) else {
                continue;
            };
            doc.published = published;
            let forced = only.is_none_or(|o| o.contains(&u));
            if forced || doc.sent.as_ref() != Some(&lsp) {
                doc.sent = Some(lsp.clone());
                let version = doc.version;
                self.publish(&u, lsp, version);
            }
        }
    }

    fn publish(&self, key: &str, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let Ok(uri) = Uri::from_str(key) else {
            return;
        };
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new("textDocument/publishDiagnostics".into(), params).into());
    }

    fn log(&self, typ: MessageType, message: String) {
        let params = LogMessageParams { typ, message };
        self.send(Notification::new("window/logMessage".into(), params).into());
    }

    fn send(&self, msg: Message) {
        // The client is gone when this fails; the loop ends on the closed input.
        let _ = self.out.send(msg);
    }

    fn code_action(&mut self, p: CodeActionParams) -> Value {
        self.flush();
        let key = p.text_document.uri.as_str();
        let Some(doc) = self.docs.get(key) else {
            return Value::Null;
        };
        let actions = actions::actions(&p.text_document.uri, &doc.text, &doc.published, p.range);
        serde_json::to_value(actions).unwrap_or(Value::Null)
    }

    fn hover(&mut self, p: HoverParams) -> Value {
        self.flush();
        let at = p.text_document_position_params;
        let key = at.text_document.uri.as_str();
        let Some(doc) = self.docs.get(key).filter(|d| d.draft) else {
            return Value::Null;
        };
        let folder = doc
            .path
            .as_deref()
            .and_then(|p| p.parent())
            .map(|p| p.to_path_buf());
        let resolved = self.ws.resolve(folder.as_deref());
        let Some(doc) = self.docs.get(key) else {
            return Value::Null;
        };
        let offset = LineIndex::new(&doc.text).offset(at.position);
        let facts = Facts {
            registry: resolved.options.registry.as_deref(),
            custom: &resolved.options.custom,
            published: &doc.published,
        };
        hover::hover(&doc.text, offset, at.position, &facts)
            .and_then(|h| serde_json::to_value(h).ok())
            .unwrap_or(Value::Null)
    }

    fn completion(&mut self, p: CompletionParams) -> Value {
        self.flush();
        let at = p.text_document_position;
        let key = at.text_document.uri.as_str();
        let Some(doc) = self.docs.get(key).filter(|d| d.draft) else {
            return Value::Null;
        };
        let folder = doc
            .path
            .as_deref()
            .and_then(|p| p.parent())
            .map(|p| p.to_path_buf());
        let resolved = self.ws.resolve(folder.as_deref());
        let Some(doc) = self.docs.get(key) else {
            return Value::Null;
        };
        let offset = LineIndex::new(&doc.text).offset(at.position);
        let list = completion::complete(
            &doc.text,
            offset,
            resolved.options.registry.as_deref(),
            &resolved.options.custom,
        );
        serde_json::to_value(list).unwrap_or(Value::Null)
    }
}

fn params<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| format!("invalid parameters: {e}"))
}
