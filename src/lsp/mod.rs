//! `portreg lsp`: a Language Server Protocol server over stdio (lsp-server + lsp-types,
//! synchronous, no async runtime) on the same pipeline as `portreg check`: the same
//! findings, levels, suppressions and custom rules with the nearest `portreg.toml`.
//!
//! `server` the loop and the documents, `workspace` config and registry (loaded once,
//! re-read when they change on disk), `diagnostics` findings as LSP diagnostics (UTF-16
//! positions from `position`), `actions` code actions, `hover`, `completion` (keys and values
//! from `schema`, the cursor read by `cursor`), `uri` file URIs.

mod actions;
mod completion;
mod cursor;
mod diagnostics;
mod hover;
mod position;
mod schema;
mod server;
mod uri;
mod workspace;

use lsp_server::Connection;
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    HoverProviderCapability, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions,
};

pub use workspace::Launch;

/// What the server offers.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new("source.fixAll.portreg"),
            ]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), "/".into(), "=".into()]),
            ..CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

/// Serves over standard input and output until the client says `exit` (or closes the
/// input). An error is a broken connection, never a problem in a draft.
pub fn serve_stdio(launch: Launch) -> Result<(), String> {
    let (connection, io) = Connection::stdio();
    serve(&connection, launch)?;
    drop(connection);
    io.join().map_err(|e| format!("the connection failed: {e}"))
}

/// Serves on `connection` (the initialize handshake, then the loop).
pub fn serve(connection: &Connection, launch: Launch) -> Result<(), String> {
    let (id, _params) = connection
        .initialize_start()
        .map_err(|e| format!("the client did not initialize: {e}"))?;
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "portreg", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| format!("the client did not initialize: {e}"))?;
    let mut server =
        server::Server::new(connection.sender.clone(), workspace::Workspace::new(launch));
    server.run(&connection.receiver);
    Ok(())
}
