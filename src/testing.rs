//! NOT API: the internals that portreg's own integration tests (tests/it), fuzz targets
//! (fuzz/) and benchmarks reach past the facade for. Hidden from the docs; anything here may
//! change or go away in any release. Paths mirror the crate's modules.

pub mod config {
    pub use crate::config::{parse, Config};

    pub mod custom {
        pub use crate::config::custom::{parse, CustomRule};
    }
}

pub mod diagnostic {
    pub use crate::diagnostic::Finding;
}

pub mod engine {
    pub use crate::engine::report_for_file;

    /// `options` with the custom rules of a rules file (what `portreg.toml`'s `rules` adds).
    pub fn with_custom(
        mut options: crate::Options,
        custom: Vec<crate::config::custom::CustomRule>,
    ) -> crate::Options {
        options.custom = custom;
        options
    }
}

pub mod model {
    pub use crate::model::{PortRange, Transport};

    pub mod draft {
        pub use crate::model::draft::{Draft, Entry, PortValue};
    }
}

pub mod read {
    pub use crate::read::draft::read_draft;

    pub mod keys {
        pub use crate::read::keys::{
            ALLOW, CAST, CHANGES, ENTRY, JUSTIFICATION, LINT, PERSON, TOP,
        };
    }
}

pub mod records {
    pub mod baseline {
        pub use crate::records::baseline::{apply, parse, to_json, Baseline};
    }
}

pub mod registry {
    pub use crate::registry::{
        alias_of, deassignment, unauthorized_numbers, Deassignment, NameStatus, PortStatus,
        StatusCounts, StatusKind,
    };
    pub use crate::registry::{
        Format, LoadErrorKind, People, Person, Record, Records, RefKind, Reference, SimilarKind,
        MAX_REGISTRY_BYTES,
    };
}

pub mod schema {
    use crate::registry::schema::{validate, validate_general, Split};

    /// The structural check gives one verdict three ways on `registry`'s text: in one pass
    /// with the fast path for plainly valid records and people, without it, and cut in two
    /// (as `registry lint` runs it on two threads).
    pub fn paths_agree(registry: &crate::Registry) -> bool {
        let text = registry.source();
        let general = validate_general(text);
        if validate(text) != general {
            return false;
        }
        let records = &registry.records;
        match Split::plan(text, records.len(), |i| records.scanned_span(i)) {
            Some(split) => Split::join(text, split.head(text), split.tail(text)) == general,
            None => true,
        }
    }
}

pub mod render {
    pub mod draft {
        pub use crate::render::draft::{build, to_csv, to_text, to_xml, Rendered};
    }

    pub mod human {
        pub use crate::render::human::{render, Style};
    }
}

pub mod rules {
    pub use crate::rules::docs::rules_markdown;
    pub use crate::rules::meta::{builtin, Catalog, RuleMeta, Scope};
    pub use crate::rules::party::{holds, Party};

    /// (rule id, message) of every finding of the per-entry checks on the entries of the
    /// draft `text`, against `registry` minus the records `exclude` (sorted indices), as
    /// `registry diff` sees a base: to replay a request against the registry of its day.
    pub fn entry_findings(
        text: &str,
        registry: &crate::Registry,
        exclude: &[usize],
    ) -> Vec<(String, String)> {
        use crate::rules::{all_checks, EntryCx, Run};
        let (draft, _) = crate::read::draft::read_draft(text);
        let mut sink = crate::diagnostic::Sink::default();
        for entry in &draft.entries {
            let cx = EntryCx {
                text,
                draft: &draft,
                entry,
                registry: Some(registry),
                service_codes: None,
                exclude,
            };
            for check in all_checks() {
                if let Run::Entry(f) = check.run {
                    f(&cx, &mut sink);
                }
            }
        }
        sink.findings
            .into_iter()
            .map(|f| (f.rule.to_string(), f.message))
            .collect()
    }
}

pub mod tools {
    pub mod suggest {
        pub use crate::tools::suggest::{check_name, free_ports, name_syntax_problem};
    }
}

pub mod lsp {
    /// Serves `portreg lsp` on `connection` with the registry at `registry` (the benchmark
    /// drives it in memory).
    pub fn serve(
        connection: &lsp_server::Connection,
        registry: Option<std::path::PathBuf>,
    ) -> Result<(), String> {
        let launch = crate::lsp::Launch {
            locate: Box::new(move |_| registry.clone()),
            no_registry: false,
            today: None,
        };
        crate::lsp::serve(connection, launch)
    }
}
