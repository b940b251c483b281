//! Runs the rules over drafts and turns findings into diagnostics: levels decide severity
//! (or drop a finding), metadata adds help and URL, `[entry.lint] allow` marks suppressions.

use std::collections::HashMap;
use std::sync::Arc;

use crate::codes::ServiceCodes;
use crate::config::custom::CustomRule;
use crate::diagnostic::{
    self, Diagnostic, FileId, Files, Finding, Label, RecordField, Related, Severity, Sink, Summary,
};
use crate::model::draft::Draft;
use crate::registry::Registry;
use crate::rules::levels::{Level, Levels};
use crate::rules::meta::{builtin, Scope};
use crate::rules::set::RuleSet;
use crate::rules::{DraftRef, EntryCx, FileCx, Rule, RuleId, Run, RunCx};

mod read;
pub use read::{read_while, Parse, ReadDrafts, PARALLEL_MIN_DRAFTS};

/// How a run is configured: `Options::default()` (every rule at its default level, no
/// registry, today's date), then the `with_…` setters.
#[derive(Default)]
#[non_exhaustive]
pub struct Options {
    pub(crate) levels: Levels,
    pub(crate) registry: Option<Arc<Registry>>,
    /// The DCCP Service Codes registry, when one was found (`conflict/sc-taken` reads it).
    pub(crate) service_codes: Option<Arc<ServiceCodes>>,
    /// True when a registry was looked for and not found: `registry/unavailable` is reported.
    pub(crate) registry_missing: bool,
    /// Declarative rules from the config's `rules` files.
    pub(crate) custom: Vec<CustomRule>,
    /// The date `registry/stale` compares the registry's `<updated>` with; None = today.
    pub(crate) today: Option<chrono::NaiveDate>,
    /// When the registry copy was fetched (`registry update`'s sidecar), when known:
    /// `registry/stale` measures from it rather than from the registry's `<updated>`.
    pub(crate) fetched: Option<chrono::NaiveDate>,
}

impl Options {
    /// Checks drafts against `registry` (conflicts, free ports, staleness).
    pub fn with_registry(mut self, registry: impl Into<Arc<Registry>>) -> Self {
        self.registry = Some(registry.into());
        self
    }

    /// Checks service codes against the DCCP Service Codes registry too.
    pub fn with_service_codes(mut self, codes: impl Into<Arc<ServiceCodes>>) -> Self {
        self.service_codes = Some(codes.into());
        self
    }

    /// Says that a registry was looked for and not found, so `registry/unavailable` reports
    /// that the registry rules did not run.
    pub fn with_registry_missing(mut self, missing: bool) -> Self {
        self.registry_missing = missing;
        self
    }

    /// Sets a built-in rule's level, as `--allow`, `--warn` and `--deny` do: `Allow` turns
    /// it off, `Deny` makes its findings errors. A later setting of the same rule wins.
    pub fn with_level(mut self, rule: crate::rules::Rule, level: Level) -> Self {
        self.levels.push(
            crate::rules::levels::Selector::Rule(rule.into()),
            level,
            crate::rules::levels::Origin::Flag,
        );
        self
    }

    /// The date `registry/stale` compares the registry's date with (default: today).
    pub fn with_today(mut self, today: chrono::NaiveDate) -> Self {
        self.today = Some(today);
        self
    }

    /// The day the registry copy was downloaded (or last confirmed current): staleness is
    /// measured from it, since IANA may go weeks without publishing.
    pub fn with_fetched(mut self, fetched: Option<chrono::NaiveDate>) -> Self {
        self.fetched = fetched;
        self
    }
}

/// One draft to check: a display name and its bytes (decoded here, so that invalid UTF-8
/// is a `draft/syntax` finding like any other unreadable content).
pub struct DraftInput {
    pub(crate) name: String,
    pub(crate) bytes: Vec<u8>,
}

impl DraftInput {
    /// A draft called `name` (as reports show it) holding `bytes`.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        DraftInput {
            name: name.into(),
            bytes: bytes.into(),
        }
    }

    /// The name reports show for this draft.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Decodes a draft; invalid UTF-8 gives the lossy text and a finding at the first bad byte.
fn decode(bytes: Vec<u8>) -> (String, Option<Finding>) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let mut f = Finding::new(
                Rule::DraftSyntax,
                // The bad byte shows as U+FFFD (three bytes) in the decoded text.
                Some(crate::source::Span::new(at, at + '\u{FFFD}'.len_utf8())),
                format!("the file is not valid UTF-8 (first invalid byte at offset {at}); a draft must be UTF-8 text"),
            );
            f.label = Some("invalid UTF-8".into());
            f.help =
                Some("save the draft as UTF-8; if this is not a draft, check the file name".into());
            (text, Some(f))
        }
    }
}

/// The result of a run, ready for any renderer: the diagnostics sorted by file, position
/// and rule, and their totals.
#[non_exhaustive]
pub struct Report {
    pub(crate) files: Files,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) summary: Summary,
    pub(crate) registry: Option<Arc<Registry>>,
    /// `registry diff`: the records it checked, one line each.
    pub(crate) checked: Vec<String>,
    /// `registry diff`: the classified changes, in HEAD's order (removals last).
    pub(crate) changes: Vec<crate::records::diff::ChangeRecord>,
}

impl Report {
    /// Every diagnostic, suppressed ones included (see [`Diagnostic::suppressed`]).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The totals of the unsuppressed diagnostics.
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// `registry diff`: the records it checked, one line each (empty for other runs).
    pub fn checked(&self) -> &[String] {
        &self.checked
    }

    /// `registry diff`: the classified changes (empty for other runs).
    pub fn changes(&self) -> &[crate::records::diff::ChangeRecord] {
        &self.changes
    }

    /// Where a diagnostic's primary label is: file name, line and column.
    pub fn locate(&self, diagnostic: &Diagnostic) -> Option<crate::render::Location<'_>> {
        crate::render::locate(&self.files, diagnostic.primary.as_ref()?)
    }

    /// Where a label is, for any label of a diagnostic of this report.
    pub fn locate_label(&self, label: &Label) -> Option<crate::render::Location<'_>> {
        crate::render::locate(&self.files, label)
    }

    /// The name of a file of this report (a draft, a registry file).
    pub fn file_name(&self, file: FileId) -> Option<&str> {
        Some(self.files.get(file)?.name())
    }

    /// The text labels in `file` point into: a whole draft, or for a registry record the
    /// excerpt of the registry holding it.
    pub fn file_text(&self, file: FileId) -> Option<&str> {
        Some(self.files.get(file)?.file.text())
    }

    /// A report of `diagnostics`, sorted (file, offset, rule) and counted; `files` and
    /// `entries` are what the summary says was checked.
    pub(crate) fn assemble(
        files: Files,
        diagnostics: Vec<Diagnostic>,
        (file_count, entries): (usize, usize),
        registry: Option<Arc<Registry>>,
        checked: Vec<String>,
    ) -> Report {
        let mut report = Report {
            files,
            diagnostics,
            summary: Summary {
                files: file_count,
                entries,
                ..Summary::default()
            },
            registry,
            checked,
            changes: Vec::new(),
        };
        report.recount();
        report
    }

    /// Sorts the diagnostics again and recounts the summary after a change.
    pub(crate) fn recount(&mut self) {
        diagnostic::sort(&mut self.diagnostics, &self.files);
        self.summary = Summary {
            files: self.summary.files,
            entries: self.summary.entries,
            ..Summary::default()
        };
        self.summary.count(&self.diagnostics);
    }

    /// Adds findings about another file of this run (a baseline, a config file).
    pub(crate) fn add_findings(
        &mut self,
        name: &str,
        text: &str,
        findings: Vec<Finding>,
        options: &Options,
    ) {
        if findings.is_empty() {
            return;
        }
        let file = self.files.add(name.to_string(), text.to_string());
        let mut builder = DiagnosticBuilder::new(&mut self.files, None, options);
        for mut f in findings {
            f.file = Some(file);
            if let Some(d) = builder.build(f, None) {
                self.diagnostics.push(d);
            }
        }
        self.recount();
    }

    /// True when any unsuppressed error remains (the command's exit status 1).
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}

/// Checks drafts together (so `conflict/in-drafts` sees all of them).
pub fn check_drafts(inputs: Vec<DraftInput>, options: &Options) -> Report {
    let rules = DraftRules::new(options, options.registry.is_some());
    let registry = options.registry.as_deref();
    let (read, (), _, per_file) = read_while(
        || (inputs, ()),
        None::<fn()>,
        |_, parse| rules.run(registry, parse),
        false,
    );
    drop(rules);
    check_read_with(read, per_file, options)
}

/// The per-draft rules of a run (entry, file and custom rules), to run on each draft as soon
/// as it is parsed and the registry is loaded ([`read_while`]'s `check`).
pub struct DraftRules<'a> {
    rules: RuleSet<'a>,
    codes: Option<&'a ServiceCodes>,
}

impl<'a> DraftRules<'a> {
    /// `has_registry`: the run will check against a registry (given to [`DraftRules::run`]).
    pub fn new(options: &'a Options, has_registry: bool) -> Self {
        DraftRules {
            rules: RuleSet::new(&options.levels, &options.custom, Scope::Draft, has_registry),
            codes: options.service_codes.as_deref(),
        }
    }

    /// The reader's findings about the draft, then the rules'.
    pub fn run(&self, registry: Option<&Registry>, parse: Parse<'_>) -> Vec<Finding> {
        let mut findings = parse.findings.to_vec();
        run_rules(
            parse.text,
            parse.draft,
            &self.rules,
            (registry, self.codes),
            &mut findings,
        );
        findings
    }
}

/// Phase three: the rules over all drafts together, then the diagnostics. `per_file`: each
/// draft's findings from [`DraftRules::run`] (with the same registry as `options`).
pub fn check_read_with(
    read: ReadDrafts,
    mut per_file: Vec<Vec<Finding>>,
    options: &Options,
) -> Report {
    let ReadDrafts { mut files, drafts } = read;
    let registry = options.registry.as_deref();
    let rules = RuleSet::new(
        &options.levels,
        &options.custom,
        Scope::Draft,
        registry.is_some(),
    );
    let read: Vec<(FileId, Arc<str>, Draft)> = drafts
        .into_iter()
        .map(|d| (d.id, d.text, d.draft))
        .collect();

    let mut run_findings = Vec::new();
    let run_cx = RunCx {
        drafts: read
            .iter()
            .map(|(file, _, draft)| DraftRef { file: *file, draft })
            .collect(),
        registry,
        registry_missing: options.registry_missing,
        fetched: options.fetched,
        today: options
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
    };
    for check in rules.checks() {
        if let Run::AllDrafts(f) = check.run {
            let mut sink = Sink::default();
            f(&run_cx, &mut sink);
            run_findings.extend(sink.findings);
        }
    }
    for f in run_findings {
        match f
            .file
            .and_then(|id| read.iter().position(|(file, ..)| *file == id))
        {
            Some(i) => per_file[i].push(f),
            None => per_file.push(vec![f]),
        }
    }

    let mut builder = DiagnosticBuilder::new(&mut files, registry, options);
    let mut diagnostics = Vec::new();
    for (i, findings) in per_file.into_iter().enumerate() {
        let file_draft = read.get(i).map(|(file, _, draft)| (*file, draft));
        let mut diags: Vec<Diagnostic> = findings
            .into_iter()
            .filter_map(|f| builder.build(f, file_draft))
            .collect();
        if let Some((file, draft)) = file_draft {
            apply_suppressions(file, draft, &mut diags, &mut builder);
        }
        diagnostics.extend(diags);
    }
    let entries = read.iter().map(|(_, _, d)| d.entries.len()).sum();
    Report::assemble(
        files,
        diagnostics,
        (read.len(), entries),
        options.registry.clone(),
        Vec::new(),
    )
}

/// The per-entry, per-file and custom rules over one draft, in rule order.
fn run_rules(
    text: &Arc<str>,
    draft: &Draft,
    rules: &RuleSet<'_>,
    (registry, service_codes): (Option<&Registry>, Option<&ServiceCodes>),
    findings: &mut Vec<Finding>,
) {
    // A `reuse` is checked as a new request against the registry without the records it
    // takes over (RFC 6335 §8.3).
    let excludes: Vec<Vec<usize>> = draft
        .entries
        .iter()
        .map(|e| crate::rules::lifecycle::reuse_exclude(e, registry))
        .collect();
    let renames: Vec<(Option<crate::model::draft::Entry>, Vec<usize>)> = draft
        .entries
        .iter()
        .map(|e| match crate::rules::lifecycle::renamed(e) {
            Some(r) => (
                Some(r),
                crate::rules::lifecycle::rename_exclude(e, registry),
            ),
            None => (None, Vec::new()),
        })
        .collect();
    for check in rules.checks() {
        match check.run {
            Run::Entry(f) => {
                for (entry, exclude) in draft.entries.iter().zip(&excludes) {
                    if !crate::rules::lifecycle::runs_on(check.rule, entry) {
                        continue;
                    }
                    let mut sink = Sink::default();
                    f(
                        &EntryCx {
                            text,
                            draft,
                            entry,
                            registry,
                            service_codes,
                            exclude,
                        },
                        &mut sink,
                    );
                    for mut finding in sink.findings {
                        finding.entry = Some(entry.index);
                        findings.push(finding);
                    }
                }
                // The new name of a rename is checked as a name (`lifecycle::renamed`).
                if crate::rules::lifecycle::checks_new_name(check.rule) {
                    for (entry, (renamed, exclude)) in draft.entries.iter().zip(&renames) {
                        let Some(renamed) = renamed else { continue };
                        let mut sink = Sink::default();
                        f(
                            &EntryCx {
                                text,
                                draft,
                                entry: renamed,
                                registry,
                                service_codes,
                                exclude,
                            },
                            &mut sink,
                        );
                        for mut finding in sink.findings {
                            finding.entry = Some(entry.index);
                            findings.push(finding);
                        }
                    }
                }
            }
            Run::File(f) => {
                let mut sink = Sink::default();
                f(&FileCx { text, draft }, &mut sink);
                findings.extend(sink.findings);
            }
            Run::AllDrafts(_) | Run::Registry(_) | Run::Legacy(_) | Run::Stage(_) => {}
        }
    }
    for rule in rules.custom() {
        for entry in &draft.entries {
            let mut sink = Sink::default();
            rule.check_entry(draft, entry, &mut sink);
            for mut finding in sink.findings {
                finding.entry = Some(entry.index);
                findings.push(finding);
            }
        }
    }
}

/// Turns findings into diagnostics, creating registry excerpts for related records once each.
pub struct DiagnosticBuilder<'a> {
    pub files: &'a mut Files,
    pub registry: Option<&'a Registry>,
    pub excerpts: HashMap<usize, FileId>,
    /// Excerpts of other files ([`crate::codes::Excerpt`]), by file name and offset.
    pub other_excerpts: HashMap<(String, usize), FileId>,
    pub levels: &'a Levels,
    pub custom: &'a [CustomRule],
}

impl<'a> DiagnosticBuilder<'a> {
    pub fn new(files: &'a mut Files, registry: Option<&'a Registry>, options: &'a Options) -> Self {
        DiagnosticBuilder {
            files,
            registry,
            excerpts: HashMap::new(),
            other_excerpts: HashMap::new(),
            levels: &options.levels,
            custom: &options.custom,
        }
    }

    /// `None` when the rule is allowed at its current level.
    pub fn build(
        &mut self,
        f: Finding,
        file_draft: Option<(FileId, &Draft)>,
    ) -> Option<Diagnostic> {
        let (meta, custom) = match &f.rule {
            RuleId::Builtin(r) => (Some(r.info()), None),
            RuleId::Custom(id) => (None, self.custom.iter().find(|c| *c.id == **id)),
        };
        let severity = match (&f.rule, meta, custom) {
            (id @ RuleId::Builtin(_), ..) if f.severity.is_some() => self
                .levels
                .resolve(id, f.severity.unwrap_or(Severity::Error))?,
            (RuleId::Builtin(r), ..) => self.levels.severity(*r)?,
            (id, _, Some(c)) => self.levels.resolve(id, c.severity)?,
            // Custom findings come only from loaded custom rules, so this is not reached;
            // a custom rule's default severity is a warning.
            (id, _, None) => self.levels.resolve(id, Severity::Warning)?,
        };
        let file = f.file.or(file_draft.map(|(id, _)| id));
        let name = f.name.clone().or_else(|| {
            let (_, draft) = file_draft?;
            let entry = draft.entries.get(f.entry?)?;
            entry
                .name_str()
                .filter(|n| !n.is_empty())
                .map(str::to_string)
        });
        let mut d = Diagnostic::new(f.rule.as_str(), severity, printable(&f.message));
        d.help = f
            .help
            .or_else(|| meta.map(|m| m.help.to_string()))
            .or_else(|| custom.and_then(|c| c.help.clone()));
        d.url = meta
            .and_then(|m| m.url().map(str::to_string))
            .or_else(|| custom.and_then(|c| c.url.clone()));
        d.file = file.filter(|_| f.span.is_some());
        d.entry = f.entry;
        d.name = name;
        d.key = f.key;
        // Edits are offsets into a draft's TOML: a fix travels only with a finding about the
        // draft it was made for (registry records are not edited).
        let in_draft = file_draft.is_some_and(|(id, _)| file == Some(id));
        d.fix = f.fix.filter(|_| in_draft && f.span.is_some());
        if let (Some(file), Some(span)) = (file, f.span) {
            d.primary = Some(Label {
                file,
                span,
                message: f.label.as_deref().map(printable),
            });
            d.secondary = f
                .secondary
                .into_iter()
                .map(|(span, msg)| Label::new(file, span).with_message(msg))
                .collect();
        }
        d.related = f
            .related
            .into_iter()
            .filter_map(|r| match r {
                Related::Label(l) => Some(l),
                Related::Record {
                    index,
                    field,
                    message,
                } => self.record_label(index, field, message),
                Related::Excerpt { excerpt, message } => Some(self.excerpt_label(excerpt, message)),
            })
            .collect();
        Some(d)
    }

    /// A label in an excerpt of a file outside the run (one excerpt per file and offset).
    fn excerpt_label(&mut self, x: crate::codes::Excerpt, message: String) -> Label {
        let key = (x.name.clone(), x.base_offset);
        let file = match self.other_excerpts.get(&key) {
            Some(id) => *id,
            None => {
                let id = self
                    .files
                    .add_excerpt(x.name, x.text, x.base_offset, x.line, x.column);
                self.other_excerpts.insert(key, id);
                id
            }
        };
        Label::new(file, x.span).with_message(message)
    }

    /// A label on a registry record, in an excerpt of the registry holding just that record.
    fn record_label(&mut self, index: usize, field: RecordField, message: String) -> Option<Label> {
        let registry = self.registry?;
        let record = registry.records.get(index)?;
        let file = match self.excerpts.get(&index) {
            Some(id) => *id,
            None => {
                // From the start of the record's first line, so indentation shows as in the file.
                let start = registry.source()[..record.span.start]
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                let text = registry
                    .source()
                    .get(start..record.span.end)
                    .unwrap_or_else(|| registry.record_text(record));
                let lc = registry.line_col(start);
                let id = self.files.add_excerpt(
                    registry.path.clone(),
                    text.to_string(),
                    start,
                    lc.line,
                    lc.column,
                );
                self.excerpts.insert(index, id);
                id
            }
        };
        let span = match field {
            RecordField::Whole => None,
            RecordField::Name => record.name_span(),
            RecordField::Number => record.number_span(),
            RecordField::ServiceCode => record.sc_span(),
        }
        .unwrap_or(record.span);
        let base = self
            .files
            .get(file)
            .map_or(record.span.start, |f| f.base_offset);
        let local = crate::source::Span::new(
            span.start.saturating_sub(base),
            span.end.saturating_sub(base),
        );
        Some(Label::new(file, local).with_message(message))
    }
}

/// Marks diagnostics silenced by `[entry.lint] allow` and reports allows that need a reason
/// or silence nothing.
fn apply_suppressions(
    file: FileId,
    draft: &Draft,
    diags: &mut Vec<Diagnostic>,
    builder: &mut DiagnosticBuilder<'_>,
) {
    let catalog = builtin();
    let mut extra = Vec::new();
    for entry in &draft.entries {
        for allow in &entry.allows {
            let rule = allow.rule.value.trim();
            let mut used = false;
            for d in diags.iter_mut() {
                let matches = d.rule == rule || d.category() == rule;
                if d.entry == Some(entry.index)
                    && d.file == Some(file)
                    && matches
                    && !d.rule.starts_with("lint/")
                {
                    d.suppressed = true;
                    used = true;
                }
            }
            if crate::model::draft::is_blank(&allow.reason) {
                let mut f = Finding::new(
                    Rule::LintAllowWithoutReason,
                    Some(allow.span),
                    format!("the suppression of `{rule}` gives no reason"),
                );
                f.label = Some("add `reason = \"…\"`".into());
                f.entry = Some(entry.index);
                extra.push(f);
            }
            if !used {
                let known = catalog.get(rule).is_some()
                    || catalog.category(rule).is_some()
                    || builder
                        .custom
                        .iter()
                        .any(|c| c.id == rule || c.category() == rule);
                let mut f = Finding::new(
                    Rule::LintUnusedAllow,
                    Some(allow.rule.span),
                    if known {
                        format!("the suppression of `{rule}` suppresses nothing in this entry")
                    } else {
                        format!("`{rule}` is not a rule or category, so this suppression suppresses nothing")
                    },
                );
                f.label = Some("nothing to suppress".into());
                if !known {
                    let ids: Vec<&str> = catalog.rules().iter().map(|r| r.id.as_str()).collect();
                    if let Some(s) = crate::read::keys::suggest(rule, &ids) {
                        f.help = Some(format!("did you mean `{s}`?"));
                    }
                }
                f.entry = Some(entry.index);
                extra.push(f);
            }
        }
    }
    for f in extra {
        if let Some(d) = builder.build(f, Some((file, draft))) {
            diags.push(d);
        }
    }
}

/// Messages quote user values; newlines and control characters in them are escaped so that
/// every report stays one line per message and no escape code reaches a terminal.
pub fn printable(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A report of findings about one file that is not a draft (a config file, a rules file).
pub fn report_for_file(name: &str, text: &str, findings: Vec<Finding>) -> Report {
    let mut report = Report::assemble(Files::new(), Vec::new(), (1, 0), None, Vec::new());
    report.add_findings(name, text, findings, &Options::default());
    report
}
