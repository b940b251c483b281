//! The reasons real port requests were refused, as `policy/` warnings worded as the question
//! the reviewer will ask: the party already holds a port, the service is plain HTTP, it only
//! talks to the local machine, or it is too early in development. All look at port requests
//! only: a service name alone is not reviewed by the experts.

use crate::diagnostic::{RecordField, Sink};
use crate::model::draft::{strip_brackets, Entry, PersonRef, Text};
use crate::registry::Record;
use crate::rules::holdings::{people_matching, records_held_by};
use crate::rules::party::{holds, Party};
use crate::rules::phrases::{find, find_cased, mentions, Hit};
use crate::rules::view::record_place;
use crate::rules::{inner_span, EntryCx, Rule};

/// The free-text answers that describe the service, with how a message names each.
fn described(e: &Entry) -> Vec<(&'static str, &Text)> {
    let j = &e.justification;
    [
        ("the description", &e.description),
        ("the notes", &e.notes),
        ("`why-not-dynamic`", &j.why_not_dynamic),
        ("`why-not-existing-port`", &j.why_not_existing_port),
        ("`differs-from-existing`", &j.differs_from_existing),
        ("`development-state`", &j.development_state),
        ("`versioning`", &j.versioning),
    ]
    .into_iter()
    .filter_map(|(what, t)| t.as_ref().map(|t| (what, t)))
    .collect()
}

/// The first text with a hit: (how it is named, the text, the hit).
fn first_hit<'a>(
    texts: &[(&'static str, &'a Text)],
    search: impl Fn(&str) -> Option<Hit>,
) -> Option<(&'static str, &'a Text, Hit)> {
    texts
        .iter()
        .find_map(|(what, t)| search(&t.value).map(|h| (*what, *t, h)))
}

const HTTP: &[&str] = &[
    "https",
    "http",
    "web sockets",
    "web socket",
    "websockets",
    "websocket",
    "grpc",
    "restful",
    "rest api",
    "rest apis",
    "rest interface",
    "rest endpoint",
    "rest endpoints",
    "rest service",
];

/// `policy/http-based`.
pub fn http_based(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    let texts = described(cx.entry);
    let hit = first_hit(&texts, |t| {
        // `REST` only in capitals: "the rest of" is not a REST API.
        let a = find(t, HTTP);
        let b = find_cased(t, &["REST"]);
        match (a, b) {
            (Some(a), Some(b)) => Some(if b.at < a.at { b } else { a }),
            (a, b) => a.or(b),
        }
    });
    let Some((what, text, hit)) = hit else { return };
    let word = &text.value[hit.at..hit.at + hit.len];
    out.report(
        Rule::PolicyHttpBased,
        Some(inner_span(cx.text, text, hit.at, hit.len)),
        format!(
            "{what} says `{word}`: why can this service not run on HTTP's ports (443, 80) or another existing port, as other HTTP-based services do?"
        ),
    )
    .label("HTTP-based")
    .secondary(p.span, "port requested");
}

const LOCAL: &[&str] = &[
    "localhost",
    "loopback",
    "127.0.0.1",
    "::1",
    "same host",
    "same machine",
    "local machine",
    "single host",
    "one host",
];
const BROWSER: &[&str] = &["browser", "browsers", "web browser"];
const LOCAL_APP: &[&str] = &[
    "local app",
    "local application",
    "local agent",
    "local daemon",
    "local helper",
    "local service",
    "local server",
    "desktop app",
    "desktop application",
];
/// Mentions of other hosts: the service is not local-only after all.
const REMOTE: &[&str] = &[
    "remote",
    "other hosts",
    "other machines",
    "across the network",
    "between hosts",
    "between machines",
    "over the internet",
    "lan",
    "wan",
];

/// `policy/localhost-only`.
pub fn localhost_only(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    let texts = described(cx.entry);
    if texts.iter().any(|(_, t)| mentions(&t.value, REMOTE)) {
        return;
    }
    let hit = first_hit(&texts, |t| find(t, LOCAL)).or_else(|| {
        // "the browser and a local app": both halves, in one text.
        first_hit(&texts, |t| {
            find(t, BROWSER).and_then(|_| find(t, LOCAL_APP))
        })
    });
    let Some((what, text, hit)) = hit else { return };
    let word = &text.value[hit.at..hit.at + hit.len];
    out.report(
        Rule::PolicyLocalhostOnly,
        Some(inner_span(cx.text, text, hit.at, hit.len)),
        format!(
            "{what} says `{word}`: if the service only talks to the local machine, why can the two sides not agree on a dynamic port at run time?"
        ),
    )
    .label("local machine only")
    .secondary(p.span, "port requested");
}

const EARLY: &[&str] = &[
    "proof of concept",
    "prototypes",
    "prototype",
    "prototyping",
    "alpha",
    "experimental",
    "experiment",
    "in design",
    "being designed",
    "design phase",
    "planned",
    "planning",
    "pre release",
    "not yet released",
    "not yet deployed",
    "not yet implemented",
    "early development",
    "early stage",
    "work in progress",
];

/// `policy/early-development`.
pub fn early_development(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    let Some(state) = &cx.entry.justification.development_state else {
        return;
    };
    let Some(hit) = find(&state.value, EARLY) else {
        return;
    };
    let word = &state.value[hit.at..hit.at + hit.len];
    out.report(
        Rule::PolicyEarlyDevelopment,
        Some(inner_span(cx.text, state, hit.at, hit.len)),
        format!(
            "`development-state` says `{word}`: is the protocol stable and deployed enough for a permanent assignment, or can it use the Dynamic range or the experimental ports until it is?"
        ),
    )
    .label("early in development")
    .secondary(p.span, "port requested");
}

/// Ids and organisations that hold ports for unrelated protocols by design: the IETF's.
fn institutional(s: &str) -> bool {
    [
        "iesg",
        "ietf_chair",
        "ietf",
        "iana",
        "internet engineering steering group",
    ]
    .contains(&s.trim().to_ascii_lowercase().as_str())
}

/// The requester as the same-party helper sees it, without the institutional parts (an
/// institutional id is no party here: None).
fn requester(cx: &EntryCx<'_>, r: &PersonRef) -> Option<Party> {
    let mut party = Party::of_ref(r, cx.draft, cx.registry);
    if party.id.as_deref().is_some_and(institutional) || party.is_iesg() {
        return None;
    }
    party.orgs.retain(|o| !institutional(o));
    Some(party)
}

/// How many of the party's assignments a finding names before "and N more".
const SHOWN: usize = 5;

/// `policy/party-has-port`.
pub fn party_has_port(cx: &EntryCx<'_>, out: &mut Sink) {
    let (Some(registry), Some(p)) = (cx.registry, &cx.entry.port) else {
        return;
    };
    if cx.entry.is_extend() {
        return;
    }
    let own = cx
        .entry
        .name_str()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    for who in [&cx.entry.assignee, &cx.entry.contact]
        .into_iter()
        .flatten()
    {
        let Some(party) = requester(cx, &who.value) else {
            continue;
        };
        // Candidates found in the registry's text, confirmed by the same-party helper.
        let mut ids: Vec<String> = party.id.iter().cloned().collect();
        for person in people_matching(registry, &party.emails, &party.orgs) {
            if !ids.contains(&person.id) && !institutional(&person.id) {
                ids.push(person.id.clone());
            }
        }
        let requesters = [party];
        let held: Vec<&Record> = records_held_by(registry, &ids)
            .into_iter()
            .filter(|r| holds(&requesters, r, Some(registry)))
            .filter(|r| cx.exclude.binary_search(&r.index).is_err())
            .filter(|r| r.number.is_some())
            .filter(|r| {
                r.name
                    .as_deref()
                    .is_some_and(|n| n.trim().to_ascii_lowercase() != own)
            })
            .collect();
        if held.is_empty() {
            continue;
        }
        // One line per name: `acme-sync` (tcp/4100, udp/4100).
        let mut names: Vec<(String, Vec<String>)> = Vec::new();
        for r in &held {
            let name = r.name.clone().unwrap_or_default();
            match names
                .iter_mut()
                .find(|(n, _)| n.eq_ignore_ascii_case(&name))
            {
                Some((_, places)) => places.push(record_place(r)),
                None => names.push((name, vec![record_place(r)])),
            }
        }
        let mut list: Vec<String> = names
            .iter()
            .take(SHOWN)
            .map(|(n, places)| format!("`{n}` ({})", places.join(", ")))
            .collect();
        if names.len() > SHOWN {
            list.push(format!("and {} more", names.len() - SHOWN));
        }
        let that = if held.len() == 1 {
            "that port"
        } else {
            "one of these ports"
        };
        let whom = match &who.value {
            PersonRef::Id(id) => format!("`{}`", strip_brackets(id)),
            PersonRef::Inline(p) => [&p.name, &p.org, &p.email]
                .into_iter()
                .flatten()
                .map(|t| t.value.trim())
                .find(|t| !t.is_empty())
                .map_or_else(|| "this party".to_string(), |t| format!("`{t}`")),
        };
        let f = out.report(
            Rule::PolicyPartyHasPort,
            Some(who.span),
            format!(
                "{whom} already holds {}: why can this service not share {that}, as a multiplexer or rendezvous service?",
                list.join(", ")
            ),
        );
        f.label("already holds a port")
            .secondary(p.span, "another port requested");
        // The first assignment is shown in the registry; the message names the others.
        for (name, _) in names.iter().take(1) {
            if let Some(r) = held.iter().find(|r| {
                r.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            }) {
                f.related_record(
                    r.index,
                    RecordField::Name,
                    format!("`{name}` held as {}", record_place(r)),
                );
            }
        }
        // One finding per entry: the contact usually holds the same ports as the assignee.
        return;
    }
}
