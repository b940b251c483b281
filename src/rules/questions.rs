//! The questions of IANA's application form that RFC 6335's template does not have (Q2, Q3,
//! Q7's second half, Q8, Q9): `field/…-missing` when a port request leaves one unanswered,
//! and `policy/udp-discovery-port` for the answer that suggests a name-only registration.
//! The experts review port requests only, so a service name alone is not checked.

use crate::diagnostic::Sink;
use crate::model::draft::{is_blank, Entry, PortValue};
use crate::model::Transport;
use crate::rules::{EntryCx, Rule};
use crate::source::Spanned;

/// IETF-stream requests (assignee `IESG`) reach IANA through an RFC's IANA Considerations,
/// not through the application form: the form's questions are not theirs to answer.
fn ietf_stream(cx: &EntryCx<'_>) -> bool {
    cx.entry.assignee.as_ref().is_some_and(|a| {
        crate::rules::party::Party::of_ref(&a.value, cx.draft, cx.registry).is_iesg()
    })
}

/// The port, when a port over UDP is requested.
fn udp_port(e: &Entry) -> Option<&Spanned<PortValue>> {
    let port = e.port.as_ref()?;
    e.known_transports()
        .contains(&Transport::Udp)
        .then_some(port)
}

/// `field/udp-congestion-missing`: form question 2.
pub fn udp_congestion_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = udp_port(cx.entry) else { return };
    // An answer ends the check before the assignee is looked up (the costly part).
    if !is_blank(&cx.entry.justification.udp_congestion)
        || cx.entry.answer_unreadable("udp-congestion")
        || ietf_stream(cx)
    {
        return; // the typo is the finding; IETF requests answer in their RFC
    }
    if is_blank(&cx.entry.justification.udp_congestion) {
        out.report(
            Rule::FieldUdpCongestionMissing,
            Some(p.span),
            "a UDP port is requested but `udp-congestion` does not say how traffic is limited and whether the protocol reacts to congestion",
        )
        .label("UDP port requested");
    }
}

/// `field/udp-discovery-only-missing`: form question 3.
pub fn udp_discovery_only_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = udp_port(cx.entry) else { return };
    // An answer ends the check before the assignee is looked up (the costly part).
    if cx.entry.justification.udp_discovery_only.is_some()
        || cx.entry.answer_unreadable("udp-discovery-only")
        || ietf_stream(cx)
    {
        return; // the typo is the finding; IETF requests answer in their RFC
    }
    if cx.entry.justification.udp_discovery_only.is_none() {
        out.report(
            Rule::FieldUdpDiscoveryOnlyMissing,
            Some(p.span),
            "a UDP port is requested but `udp-discovery-only` does not say whether the service only discovers hosts",
        )
        .label("UDP port requested");
    }
}

/// `field/why-not-existing-port-missing`: the second half of form question 7.
pub fn why_not_existing_port_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    // An answer ends the check before the assignee is looked up (the costly part).
    if !is_blank(&cx.entry.justification.why_not_existing_port)
        || cx.entry.answer_unreadable("why-not-existing-port")
        || ietf_stream(cx)
    {
        return; // the typo is the finding; IETF requests answer in their RFC
    }
    if cx.entry.is_extend() {
        return;
    }
    if is_blank(&cx.entry.justification.why_not_existing_port) {
        out.report(
            Rule::FieldWhyNotExistingPortMissing,
            Some(p.span),
            "a port is requested but `why-not-existing-port` does not say why an existing port cannot be used",
        )
        .label("port requested");
    }
}

/// `field/development-state-missing`: form question 8.
pub fn development_state_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    // An answer ends the check before the assignee is looked up (the costly part).
    if !is_blank(&cx.entry.justification.development_state)
        || cx.entry.answer_unreadable("development-state")
        || ietf_stream(cx)
    {
        return; // the typo is the finding; IETF requests answer in their RFC
    }
    if is_blank(&cx.entry.justification.development_state) {
        out.report(
            Rule::FieldDevelopmentStateMissing,
            Some(p.span),
            "a port is requested but `development-state` does not say how far the protocol is developed",
        )
        .label("port requested");
    }
}

/// `field/differs-from-existing-missing`: form question 9.
pub fn differs_from_existing_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    // An answer ends the check before the assignee is looked up (the costly part).
    if !is_blank(&cx.entry.justification.differs_from_existing)
        || cx.entry.answer_unreadable("differs-from-existing")
        || ietf_stream(cx)
    {
        return; // the typo is the finding; IETF requests answer in their RFC
    }
    if is_blank(&cx.entry.justification.differs_from_existing) {
        out.report(
            Rule::FieldDiffersFromExistingMissing,
            Some(p.span),
            "a port is requested but `differs-from-existing` does not say how the protocol differs from assigned services",
        )
        .label("port requested");
    }
}

/// `policy/udp-discovery-port`: a port for a service that only discovers hosts.
pub fn udp_discovery_port(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    let Some(only) = &cx.entry.justification.udp_discovery_only else {
        return;
    };
    if only.value {
        out.report(
            Rule::PolicyUdpDiscoveryPort,
            Some(p.span),
            "the service only discovers hosts: why can DNS-SD or SRV not find them, so that a service name alone is registered?",
        )
        .label("port requested")
        .secondary(only.span, "discovery only");
    }
}
