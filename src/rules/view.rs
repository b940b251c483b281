//! The registry as the registry-reading checks (`conflict/`, `policy/secure-variant`) see it,
//! and how a record is named in their messages and keys.

use crate::model::Transport;
use crate::registry::{Record, Registry, Similar};
use crate::rules::EntryCx;

/// The registry as a check sees it: without the record being checked (`registry diff`
/// checks a changed record against the base registry minus its old version).
#[derive(Clone, Copy)]
pub(crate) struct View<'a> {
    pub(crate) registry: &'a Registry,
    pub(crate) exclude: &'a [usize],
}

pub(crate) fn view<'a>(cx: &EntryCx<'a>) -> Option<View<'a>> {
    cx.registry.map(|registry| View {
        registry,
        exclude: cx.exclude,
    })
}

impl<'a> View<'a> {
    pub(crate) fn keep(&self, r: &Record) -> bool {
        self.exclude.binary_search(&r.index).is_err()
    }
    pub(crate) fn records_named(self, name: &str) -> impl Iterator<Item = &'a Record> + 'a {
        self.registry
            .records_named(name)
            .filter(move |r| self.keep(r))
    }
    pub(crate) fn records_at(self, t: Transport, port: u16) -> Vec<&'a Record> {
        let mut v = self.registry.records_at(t, port);
        v.retain(|r| self.keep(r));
        v
    }
    pub(crate) fn records_with_service_code(self, code: u32) -> Vec<&'a Record> {
        let mut v = self.registry.records_with_service_code(code);
        v.retain(|r| self.keep(r));
        v
    }
    pub(crate) fn similar_names(self, name: &str) -> Vec<Similar<'a>> {
        let mut v = self.registry.similar_names(name);
        v.retain(|s| self.records_named(s.record_name).next().is_some());
        v
    }
}

/// `tcp/80`, `udp/6000-6063`, `any/49151`, `tcp (no port)`.
pub fn record_place(r: &Record) -> String {
    let proto = r.protocol.map_or("any transport", |t| t.as_str());
    match r.number {
        Some(n) => format!("{proto}/{n}"),
        None => format!("{proto} (no port)"),
    }
}

/// A stable identity for a record, independent of its line: `name protocol number`.
pub fn identity(r: &Record) -> String {
    format!(
        "{} {} {}",
        r.name.as_deref().unwrap_or("(unnamed)"),
        r.protocol.map_or("any", |t| t.as_str()),
        r.number.map_or_else(|| "-".to_string(), |n| n.to_string())
    )
}
