//! `--format human`: one block per diagnostic, then a summary line. Each block opens with a
//! rustc-style header, `error[rule/id]: message` (so piped output can be searched for the
//! severity word), followed by miette's snippets, help and related notes, and the rule's URL.
//! portreg's diagnostics are adapted to `miette::Diagnostic` here and nowhere else.

use std::cell::OnceCell;
use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use crate::diagnostic::{Diagnostic, FileEntry, FileId, Files, Label, Severity};
use crate::render::safe;
use crate::source::SourceFile;

/// How the human report looks.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    pub width: usize,
    /// `--quiet`: only the findings, no closing summary.
    pub quiet: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 100,
            quiet: false,
        }
    }
}

/// A file's text with its control characters shown as `\u{…}` (see [`safe::source`]), and
/// where the escapes moved its offsets. Made only for files that have such characters.
struct Clean {
    file: SourceFile,
    shifts: Vec<(usize, usize)>,
}

/// The clean texts of a report's files, made on first use (a registry file is large).
struct Cleaned<'a> {
    files: &'a Files,
    cells: Vec<OnceCell<Option<Clean>>>,
}

impl<'a> Cleaned<'a> {
    fn new(files: &'a Files) -> Self {
        Cleaned {
            files,
            cells: (0..files.len()).map(|_| OnceCell::new()).collect(),
        }
    }
    fn src(&self, id: FileId) -> Option<Src<'_>> {
        let entry = self.files.get(id)?;
        let clean = self.cells.get(id.0)?.get_or_init(|| {
            safe::source(entry.file.text()).map(|(text, shifts)| Clean {
                file: SourceFile::new(entry.name(), text),
                shifts,
            })
        });
        Some(Src {
            entry,
            clean: clean.as_ref(),
        })
    }
}

/// A file as miette source: line numbers of an excerpt are those of the real file.
struct Src<'a> {
    entry: &'a FileEntry,
    clean: Option<&'a Clean>,
}

impl Src<'_> {
    /// A label's span in the text miette is given.
    fn span(&self, l: &Label) -> SourceSpan {
        match self.clean {
            Some(c) => {
                let start = safe::shift(&c.shifts, l.span.start);
                let end = safe::shift(&c.shifts, l.span.end);
                SourceSpan::from((start, end - start))
            }
            None => SourceSpan::from((l.span.start, l.span.len())),
        }
    }
}

impl SourceCode for Src<'_> {
    /// Reads only the lines around the span (found through the line index), so that
    /// rendering many diagnostics of a large file does not rescan it from the start.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = self.clean.map_or(&self.entry.file, |c| &c.file);
        let text = file.text();
        let starts = file.line_starts();
        let first = file.line_index(span.offset()).saturating_sub(before);
        let last = file.line_index(span.offset() + span.len()) + after;
        let win_start = starts.get(first).copied().unwrap_or(0).min(text.len());
        let win_end = starts
            .get(last + 1)
            .copied()
            .unwrap_or(text.len())
            .min(text.len());
        let window = text
            .get(win_start..win_end)
            .ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::from((
            span.offset().saturating_sub(win_start).min(window.len()),
            span.len(),
        ));
        let inner = window.read_span(&local, before, after)?;
        let line = inner.line() + first;
        // miette counts the header's column in bytes; every other format (and rustc) counts
        // characters, so the column is counted here for the span's start (`before == 0` is
        // the header's lookup; with context lines miette reports column 0 anyway).
        let column = if before == 0 {
            let at = span.offset().min(text.len());
            let line_start = starts
                .get(file.line_index(at))
                .copied()
                .unwrap_or(0)
                .min(at);
            text.get(line_start..at)
                .map_or(inner.column(), |s| s.chars().count())
        } else {
            inner.column()
        };
        let column = if line == 0 {
            column + self.entry.base_column - 1
        } else {
            column
        };
        Ok(Box::new(MietteSpanContents::new_named(
            safe::line(self.entry.name()).into_owned(),
            inner.data(),
            SourceSpan::from((inner.span().offset() + win_start, inner.span().len())),
            line + self.entry.base_line,
            column,
            inner.line_count(),
        )))
    }
}

/// One diagnostic (or one related note) in miette's terms.
struct Report<'a> {
    message: String,
    code: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    url: Option<String>,
    source: Option<Src<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report<'a>>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty()).then(|| Box::new(self.labels.iter().cloned()) as Box<_>)
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        (!self.related.is_empty())
            .then(|| Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)) as Box<_>)
    }
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// Input text on one line, control characters shown.
fn shown(s: &str) -> String {
    safe::line(s).into_owned()
}

fn labeled(src: Option<&Src>, l: &Label, primary: bool) -> LabeledSpan {
    let span = src.map_or_else(
        || SourceSpan::from((l.span.start, l.span.len())),
        |s| s.span(l),
    );
    let message = l.message.as_deref().map(shown);
    if primary {
        LabeledSpan::new_primary_with_span(message, span)
    } else {
        LabeledSpan::new_with_span(message, span)
    }
}

fn adapt<'a>(files: &'a Cleaned<'a>, d: &Diagnostic) -> Report<'a> {
    let source = d.file.and_then(|f| files.src(f));
    let mut labels = Vec::new();
    if let Some(p) = &d.primary {
        labels.push(labeled(source.as_ref(), p, true));
    }
    labels.extend(
        d.secondary
            .iter()
            .map(|l| labeled(source.as_ref(), l, false)),
    );
    let related = d
        .related
        .iter()
        .map(|l| {
            let source = files.src(l.file);
            let mut label = labeled(source.as_ref(), l, true);
            label.set_label(None);
            Report {
                message: l.message.as_deref().map_or_else(|| "related".into(), shown),
                code: None,
                severity: miette::Severity::Advice,
                help: None,
                url: None,
                source,
                labels: vec![label],
                related: Vec::new(),
            }
        })
        .collect();
    // The header (severity word, rule id, message) and the URL are written by `render`;
    // miette's own message line is blank and removed there.
    Report {
        message: String::new(),
        code: None,
        severity: severity(d.severity),
        help: with_fix_hint(d.help.as_deref().map(shown), d.fix.as_ref()),
        url: None,
        source,
        labels,
        related,
    }
}

/// The help text, with a last line saying how to apply the finding's fix.
fn with_fix_hint(help: Option<String>, fix: Option<&crate::diagnostic::Fix>) -> Option<String> {
    let Some(fix) = fix else { return help };
    let hint = fix_hint(fix.applicability);
    Some(match help {
        Some(h) => format!("{h}\n{hint}"),
        None => hint.to_string(),
    })
}

/// How a fix of this applicability is applied, for the human report.
pub fn fix_hint(a: crate::diagnostic::Applicability) -> &'static str {
    match a {
        crate::diagnostic::Applicability::Safe => "fixable with `--fix`",
        crate::diagnostic::Applicability::Unsafe => "fixable with `--fix --unsafe-fixes`",
    }
}

pub fn render(report: &Report_, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        // Wrap at spaces only: rule ids, keys and names stay whole.
        .with_break_words(false)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_links(false)
        .with_context_lines(1);
    let mut out = String::new();
    let files = Cleaned::new(&report.files);
    for d in report.diagnostics.iter().filter(|d| !d.suppressed) {
        out.push_str(&header(d, style.color));
        out.push('\n');
        let mut r = adapt(&files, d);
        // The URL belongs to the finding, before its related notes: they are rendered apart.
        let related = std::mem::take(&mut r.related);
        out.push_str(&without_message(&handler, &r));
        if let Some(url) = &d.url {
            out.push_str(&format!("  see: {}\n", safe::line(url)));
        }
        if !related.is_empty() {
            let notes = Report {
                message: String::new(),
                code: None,
                severity: r.severity,
                help: None,
                url: None,
                source: None,
                labels: Vec::new(),
                related,
            };
            out.push_str(&without_message(&handler, &notes));
        }
        out.push('\n');
    }
    if style.quiet {
        return out;
    }
    if !report.checked.is_empty() {
        out.push_str(&format!("checked {} changes:\n", report.checked.len()));
        for line in &report.checked {
            out.push_str(&format!("  - {}\n", safe::line(line)));
        }
        out.push('\n');
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

/// `1 error, 2 warnings in 1 entry (3 suppressed)`: the closing line of the text formats.
pub fn summary_line(report: &Report_) -> String {
    let suppressed = report.diagnostics.iter().filter(|d| d.suppressed).count();
    let mut line = report.summary.to_string();
    if suppressed > 0 {
        line.push_str(&format!(" ({suppressed} suppressed)"));
    }
    line
}

/// miette's rendering of `r` without its first line, the (empty) message line that the
/// header replaces.
fn without_message(handler: &GraphicalReportHandler, r: &Report) -> String {
    let mut block = String::new();
    if handler.render_report(&mut block, r).is_err() {
        return String::new();
    }
    block
        .split_once('\n')
        .map_or(String::new(), |(_, rest)| rest.to_string())
}

/// `error[rule/id]: message` on one line, the severity word coloured as rustc does.
pub fn header(d: &Diagnostic, color: bool) -> String {
    let word = severity_word(d.severity, color);
    let rest = format!("[{}]: {}", d.rule, d.message);
    let rest = safe::line(&rest);
    if color {
        format!("{word}{BOLD}{rest}{RESET}")
    } else {
        format!("{word}{rest}")
    }
}

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// `error` (bold red), `warning` (bold yellow), `info` (bold cyan), or plain.
pub fn severity_word(s: Severity, color: bool) -> String {
    if !color {
        return s.as_str().to_string();
    }
    let code = match s {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;36m",
    };
    format!("{code}{}{RESET}", s.as_str())
}

type Report_ = crate::engine::Report;
