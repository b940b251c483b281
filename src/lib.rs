//! portreg: lint registration requests for the IANA Service Name and Transport Protocol
//! Port Number Registry against RFC 6335, RFC 7605 and the registry itself.
//!
//! Data flows one way: `read` (drafts, registry) -> `model` -> `rules` -> `diagnostic` ->
//! `render`.

pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod fix;
pub mod model;
pub mod read;
pub mod records;
pub mod registry;
pub mod render;
pub mod rules;
pub mod source;
pub mod tools;
