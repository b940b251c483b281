//! portreg's own diagnostic model. Every renderer (miette for humans, JSON, SARIF, GitHub)
//! reads this; nothing downstream of the rules knows about TOML or XML.

use std::fmt;
use std::sync::Arc;

use crate::rules::RuleId;
use crate::source::{LineCol, SourceFile, Span};

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A file of a report: a draft, or an excerpt of a registry file
/// ([`Report::file_name`](crate::Report::file_name)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub(crate) usize);

/// A text a label can point into: a whole file, or an excerpt of a larger file (a registry
/// record) that keeps the excerpt's real offset and line in that file.
#[derive(Debug)]
pub struct FileEntry {
    pub file: SourceFile,
    /// Byte offset of this text inside the real file (0 for whole files).
    pub base_offset: usize,
    /// 0-based line of `base_offset` in the real file.
    pub base_line: usize,
    /// Column (1-based, characters) of `base_offset` on its line in the real file.
    pub base_column: usize,
}

impl FileEntry {
    pub fn name(&self) -> &str {
        self.file.name()
    }
    /// Line and column in the real file of an offset relative to this text.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let lc = self.file.line_col(offset);
        LineCol {
            line: lc.line + self.base_line,
            column: if lc.line == 1 {
                lc.column + self.base_column - 1
            } else {
                lc.column
            },
        }
    }
}

/// The texts a report points into.
#[derive(Debug, Default)]
pub struct Files {
    entries: Vec<FileEntry>,
}

impl Files {
    pub fn new() -> Self {
        Files::default()
    }
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> FileId {
        self.add_file(SourceFile::new(name, text))
    }
    /// Adds a file whose line index is built already.
    pub fn add_file(&mut self, file: SourceFile) -> FileId {
        self.entries.push(FileEntry {
            file,
            base_offset: 0,
            base_line: 0,
            base_column: 1,
        });
        FileId(self.entries.len() - 1)
    }
    /// Adds an excerpt of a larger file: `text` starts at `base_offset`, which is at
    /// 1-based `line` and `column` of the file called `name`.
    pub fn add_excerpt(
        &mut self,
        name: impl Into<String>,
        text: impl Into<Arc<str>>,
        base_offset: usize,
        line: usize,
        column: usize,
    ) -> FileId {
        self.entries.push(FileEntry {
            file: SourceFile::new(name, text),
            base_offset,
            base_line: line.saturating_sub(1),
            base_column: column.max(1),
        });
        FileId(self.entries.len() - 1)
    }
    pub fn get(&self, id: FileId) -> Option<&FileEntry> {
        self.entries.get(id.0)
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

/// A labelled span in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: Option<String>,
}

impl Label {
    pub(crate) fn new(file: FileId, span: Span) -> Self {
        Label {
            file,
            span,
            message: None,
        }
    }
    pub(crate) fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }
}

/// Whether applying a fix keeps what the draft asks for (`--fix`) or changes it
/// (`--fix --unsafe-fixes`: a different name is a different registration).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes `span` of the finding's file with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A mechanical repair of a finding: edits on the draft's text, all applied or none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(span: Span, replacement: impl Into<String>) -> Self {
        Fix::one(Applicability::Safe, span, replacement)
    }
    pub fn unsafe_(span: Span, replacement: impl Into<String>) -> Self {
        Fix::one(Applicability::Unsafe, span, replacement)
    }
    pub fn safe_edit(edit: Edit) -> Self {
        Fix {
            applicability: Applicability::Safe,
            edits: vec![edit],
        }
    }
    fn one(applicability: Applicability, span: Span, replacement: impl Into<String>) -> Self {
        Fix {
            applicability,
            edits: vec![Edit {
                span,
                replacement: replacement.into(),
            }],
        }
    }
}

/// One finding, as every format reports it. Its positions are read through the report it
/// belongs to ([`Report::locate`](crate::Report::locate)).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// Stable rule id, `category/name`.
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub url: Option<String>,
    /// The file the finding is about (a draft, a registry file).
    pub file: Option<FileId>,
    /// 0-based `[[entry]]` index (registry commands: record index).
    pub entry: Option<usize>,
    /// The service name the finding concerns.
    pub name: Option<String>,
    /// The main location, in `file`.
    pub primary: Option<Label>,
    /// Further labels in `file`.
    pub secondary: Vec<Label>,
    /// Labels in other files (the registry record a conflict is with, another draft).
    pub related: Vec<Label>,
    /// Silenced by an `[entry.lint] allow` or a baseline (kept for JSON, hidden elsewhere).
    pub suppressed: bool,
    /// What the finding is about, independent of lines (see [`Finding::key`]).
    pub key: Option<String>,
    /// A repair as edits on `file` (drafts only).
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub(crate) fn new(
        rule: impl Into<String>,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule: rule.into(),
            severity,
            message: message.into(),
            help: None,
            url: None,
            file: None,
            entry: None,
            name: None,
            primary: None,
            secondary: Vec::new(),
            related: Vec::new(),
            suppressed: false,
            key: None,
            fix: None,
        }
    }
    /// The rule's category, the part of its id before `/`.
    pub fn category(&self) -> &str {
        self.rule.split('/').next().unwrap_or(&self.rule)
    }
    /// The built-in rule that reported this, `None` for a custom rule.
    pub fn builtin_rule(&self) -> Option<crate::rules::Rule> {
        crate::rules::Rule::from_id(&self.rule)
    }
    /// Offset used for ordering: the primary label's start, else 0.
    pub(crate) fn offset(&self) -> usize {
        self.primary.as_ref().map_or(0, |l| l.span.start)
    }
}

/// Totals for the closing summary line and the JSON `summary` object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Summary {
    pub files: usize,
    pub entries: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub(crate) fn count(&mut self, diagnostics: &[Diagnostic]) {
        for d in diagnostics.iter().filter(|d| !d.suppressed) {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl fmt::Display for Summary {
    /// `3 errors, 1 warning in 2 entries`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = vec![
            plural(self.errors, "error", "errors"),
            plural(self.warnings, "warning", "warnings"),
        ];
        if self.infos > 0 {
            parts.push(plural(self.infos, "info", "infos"));
        }
        f.write_str(&parts.join(", "))?;
        // No entry was read (a config error, a draft that is not TOML): "in 0 entries" says
        // nothing, so the files are counted instead, when there are any.
        if self.entries == 0 {
            if self.files > 0 {
                write!(f, " in {}", plural(self.files, "file", "files"))?;
            }
            return Ok(());
        }
        write!(f, " in {}", plural(self.entries, "entry", "entries"))?;
        if self.files > 1 {
            write!(f, " ({})", plural(self.files, "file", "files"))?;
        }
        Ok(())
    }
}

/// Sorts by file, then offset, then rule id (the contract in spec/output.md), so the same
/// input gives the same bytes on every run.
pub fn sort(diagnostics: &mut [Diagnostic], files: &Files) {
    diagnostics.sort_by(|a, b| {
        let fa = a.file.and_then(|f| files.get(f)).map(|f| f.name());
        let fb = b.file.and_then(|f| files.get(f)).map(|f| f.name());
        (fa, a.offset(), &a.rule, &a.message).cmp(&(fb, b.offset(), &b.rule, &b.message))
    });
}

/// Where a finding's related label points: a registry record (rendered as an excerpt of the
/// registry file) or a span in a file of this run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Related {
    Record {
        index: usize,
        field: RecordField,
        message: String,
    },
    Label(Label),
    /// A span in a file that is not among the run's files (a row of the DCCP Service Codes
    /// registry), shown as an excerpt that keeps its real offset and line.
    Excerpt {
        excerpt: crate::codes::Excerpt,
        message: String,
    },
}

/// The part of a registry record a related label points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordField {
    Whole,
    Name,
    Number,
    ServiceCode,
}

/// What a check (or the draft reader) reports, before levels, metadata and suppressions
/// turn it into a [`Diagnostic`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: RuleId,
    pub message: String,
    pub span: Option<Span>,
    /// Text on the primary label.
    pub label: Option<String>,
    /// Overrides the rule's default help.
    pub help: Option<String>,
    pub secondary: Vec<(Span, String)>,
    pub related: Vec<Related>,
    /// Set by the engine for entry checks; file-level findings leave it `None`.
    pub entry: Option<usize>,
    pub name: Option<String>,
    /// The file, for findings of checks that see several files at once.
    pub file: Option<FileId>,
    /// What the finding is about, independent of lines (`registry lint`: `name protocol
    /// number`, or `person Id`): baselines and SARIF fingerprints key on it.
    pub key: Option<String>,
    /// A repair, as edits on the checked draft's text (`--fix`).
    pub fix: Option<Fix>,
    /// This finding's default severity when it differs from its rule's (an assignee change
    /// explained as a succession is info, lifecycle.md §3); levels still apply to it.
    pub severity: Option<Severity>,
}

impl Finding {
    pub fn new(rule: impl Into<RuleId>, span: Option<Span>, message: impl Into<String>) -> Self {
        Finding {
            rule: rule.into(),
            message: message.into(),
            span,
            label: None,
            help: None,
            secondary: Vec::new(),
            related: Vec::new(),
            entry: None,
            name: None,
            file: None,
            key: None,
            fix: None,
            severity: None,
        }
    }
    pub fn label(&mut self, text: impl Into<String>) -> &mut Self {
        self.label = Some(text.into());
        self
    }
    pub fn help(&mut self, text: impl Into<String>) -> &mut Self {
        self.help = Some(text.into());
        self
    }
    pub fn secondary(&mut self, span: Span, text: impl Into<String>) -> &mut Self {
        self.secondary.push((span, text.into()));
        self
    }
    pub fn related_record(
        &mut self,
        index: usize,
        field: RecordField,
        text: impl Into<String>,
    ) -> &mut Self {
        self.related.push(Related::Record {
            index,
            field,
            message: text.into(),
        });
        self
    }
    /// Attaches a repair; `None` (no certain replacement) leaves the finding without one.
    pub fn fix(&mut self, fix: impl Into<Option<Fix>>) -> &mut Self {
        self.fix = fix.into();
        self
    }
    pub fn related_label(&mut self, label: Label) -> &mut Self {
        self.related.push(Related::Label(label));
        self
    }
    pub fn related_excerpt(
        &mut self,
        excerpt: crate::codes::Excerpt,
        text: impl Into<String>,
    ) -> &mut Self {
        self.related.push(Related::Excerpt {
            excerpt,
            message: text.into(),
        });
        self
    }
}

/// Collects findings; checks write into it.
#[derive(Debug, Default)]
pub struct Sink {
    pub findings: Vec<Finding>,
}

impl Sink {
    pub fn report(
        &mut self,
        rule: impl Into<RuleId>,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.findings.push(Finding::new(rule, span, message));
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }
}
