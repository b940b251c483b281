//! Completion: the keys of the table at the cursor with their descriptions (from the
//! schema), enumerated values, person ids (`[people]` and the registry), rule ids in
//! `[entry.lint]`, and free User ports near the number being typed.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, Documentation, MarkupContent, MarkupKind,
};

use super::cursor::{self, At};
use super::schema::{self, Table};
use crate::config::custom::CustomRule;
use crate::model::Transport;
use crate::registry::Registry;
use crate::rules::meta::builtin;

/// At most this many registry person ids are offered at once (the list is marked
/// incomplete, so the client asks again as more is typed).
const MAX_PEOPLE: usize = 50;
/// Free ports offered.
const PORTS: usize = 10;

pub fn complete(
    text: &str,
    offset: usize,
    registry: Option<&Registry>,
    custom: &[CustomRule],
) -> CompletionList {
    let c = cursor::at(text, offset);
    let mut incomplete = false;
    let items = match &c.at {
        At::Key { prefix } => keys(c.key_table(), prefix),
        At::Value {
            key,
            prefix,
            in_string,
        } => {
            let quote = |v: &str| {
                if *in_string {
                    v.to_string()
                } else {
                    format!("\"{v}\"")
                }
            };
            match (c.key_table(), key.as_str()) {
                (Table::Lint | Table::Allow, "rule") => rules(prefix, custom, &quote),
                (Table::Entry, "assignee" | "contact") => {
                    let (items, more) = people(text, prefix, registry, &quote);
                    incomplete = more;
                    items
                }
                (Table::Entry, "port") => ports(text, c.entry, prefix, registry),
                (table, key) => schema::key(table, key)
                    .map(|k| {
                        k.values
                            .iter()
                            .map(|v| item(v, CompletionItemKind::ENUM_MEMBER, None, Some(quote(v))))
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        }
        At::Other => Vec::new(),
    };
    CompletionList {
        is_incomplete: incomplete,
        items,
    }
}

fn item(
    label: &str,
    kind: CompletionItemKind,
    doc: Option<String>,
    insert: Option<String>,
) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        documentation: doc.filter(|d| !d.is_empty()).map(|d| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: d,
            })
        }),
        insert_text: insert.filter(|i| i != label),
        ..CompletionItem::default()
    }
}

fn keys(table: Table, prefix: &str) -> Vec<CompletionItem> {
    schema::keys(table)
        .into_iter()
        .filter(|k| k.name.starts_with(prefix))
        .map(|k| {
            let mut it = item(
                &k.name,
                CompletionItemKind::FIELD,
                Some(k.description),
                None,
            );
            it.detail = first_sentence(&it);
            it
        })
        .collect()
}

/// The description's first sentence, as the one-line detail.
fn first_sentence(it: &CompletionItem) -> Option<String> {
    let Some(Documentation::MarkupContent(m)) = &it.documentation else {
        return None;
    };
    let s = m.value.split(". ").next().unwrap_or(&m.value);
    Some(s.trim_end_matches('.').to_string())
}

fn rules(
    prefix: &str,
    custom: &[CustomRule],
    quote: &dyn Fn(&str) -> String,
) -> Vec<CompletionItem> {
    let mut out: Vec<CompletionItem> = builtin()
        .rules()
        .into_iter()
        .filter(|r| r.id.starts_with(prefix))
        .map(|r| {
            let mut it = item(
                &r.id,
                CompletionItemKind::VALUE,
                Some(r.explanation.trim_end().to_string()),
                Some(quote(&r.id)),
            );
            it.detail = Some(r.summary.clone());
            it
        })
        .collect();
    out.extend(custom.iter().filter(|r| r.id.starts_with(prefix)).map(|r| {
        let mut it = item(
            &r.id,
            CompletionItemKind::VALUE,
            r.explanation.clone(),
            Some(quote(&r.id)),
        );
        it.detail = Some(r.summary.clone());
        it
    }));
    out
}

/// Person ids: the draft's `[people.<id>]` first, then the registry's; `true` when the
/// registry had more than [`MAX_PEOPLE`] matches.
fn people(
    text: &str,
    prefix: &str,
    registry: Option<&Registry>,
    quote: &dyn Fn(&str) -> String,
) -> (Vec<CompletionItem>, bool) {
    // Read from the headers: the draft being typed is often not TOML yet.
    let own: Vec<String> = text
        .lines()
        .filter_map(|l| {
            let rest = l.trim_start().strip_prefix('[')?.trim_start();
            let id = rest
                .strip_prefix("people")?
                .trim_start()
                .strip_prefix('.')?;
            let id = id.split(']').next()?.trim().trim_matches(['"', '\'']);
            (!id.is_empty()).then(|| id.to_string())
        })
        .collect();
    let wanted = prefix.trim_start_matches('[').to_ascii_lowercase();
    let mut out: Vec<CompletionItem> = own
        .iter()
        .filter(|id| id.to_ascii_lowercase().starts_with(&wanted))
        .map(|id| {
            let mut it = item(id, CompletionItemKind::REFERENCE, None, Some(quote(id)));
            it.detail = Some("[people] of this draft".into());
            it
        })
        .collect();
    let mut more = false;
    if let Some(registry) = registry {
        let mut n = 0;
        for p in registry.people.iter() {
            if !p.id.to_ascii_lowercase().starts_with(&wanted) || own.contains(&p.id) {
                continue;
            }
            if n == MAX_PEOPLE {
                more = true;
                break;
            }
            n += 1;
            let mut it = item(
                &p.id,
                CompletionItemKind::REFERENCE,
                None,
                Some(quote(&p.id)),
            );
            it.detail = Some(
                p.name
                    .clone()
                    .or_else(|| p.org.clone())
                    .unwrap_or_else(|| "registry person".into()),
            );
            out.push(it);
        }
    }
    (out, more)
}

/// Free User ports nearest to the number typed (or to the bottom of the User range), on the
/// entry's transports (tcp when it names none), as `portreg suggest` finds them.
fn ports(
    text: &str,
    entry: Option<usize>,
    prefix: &str,
    registry: Option<&Registry>,
) -> Vec<CompletionItem> {
    let Some(registry) = registry else {
        return Vec::new();
    };
    let digits: String = prefix.chars().filter(char::is_ascii_digit).collect();
    let near = digits.parse::<u16>().ok();
    let (draft, _) = crate::read::draft::read_draft(text);
    let mut transports = entry
        .and_then(|i| draft.entries.get(i))
        .map(|e| e.known_transports())
        .unwrap_or_default();
    if transports.is_empty() {
        transports.push(Transport::Tcp);
    }
    let names: Vec<&str> = transports.iter().map(|t| t.as_str()).collect();
    crate::tools::suggest::free_ports(registry, &transports, near, PORTS)
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut it = item(&p.to_string(), CompletionItemKind::VALUE, None, None);
            it.detail = Some(format!("free User port on {}", names.join("+")));
            // Nearest first, whatever the client's own sorting.
            it.sort_text = Some(format!("{i:02}"));
            // Offered for the number typed so far, even when their digits differ from it.
            it.filter_text = (!digits.is_empty()).then(|| digits.clone());
            it
        })
        .collect()
}
