//! Diagnostics: every problem in a rule file or a data file, with a stable
//! code, the source span, labels and a help line. They carry their own source
//! text so a host can render them without the command-line tool.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{
    LabeledSpan, MietteError, MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};
use serde::Serialize;

pub use crate::code::Code;

/// A file's name and text, shared by every diagnostic that points into it.
///
/// ```
/// let file = zhibiao::diag::SourceFile::new("a.rules", "甲\n县域就诊率 >= 90%\n");
/// let at = file.text().find(">=").unwrap();
/// // Columns count characters, not bytes.
/// assert_eq!(file.line_col(at), (2, 7));
/// assert_eq!(file.name(), "a.rules");
/// ```
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    named: NamedSource<String>,
    /// Byte offset of the start of each line, found when a diagnostic
    /// first needs it: a data file of millions of lines usually has none.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// Wraps a file's text for diagnostics.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        let name = name.into();
        let text = text.into();
        Arc::new(SourceFile {
            named: NamedSource::new(name.clone(), text),
            name,
            line_starts: std::sync::OnceLock::new(),
        })
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let text = self.text().as_bytes();
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', text).map(|at| at + 1))
                .collect()
        })
    }

    /// The file's name as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file's text.
    pub fn text(&self) -> &str {
        self.named.inner()
    }

    /// The zero-based line holding a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&start| start <= offset) - 1
    }

    /// Where a zero-based line ends, before its line break.
    fn line_end(&self, line: usize) -> usize {
        let end = self.line_end_with_break(line);
        let text = self.text().as_bytes();
        if end > self.line_starts()[line] && text.get(end - 1) == Some(&b'\n') {
            end - 1
        } else {
            end
        }
    }

    /// Where a zero-based line ends, after its line break.
    fn line_end_with_break(&self, line: usize) -> usize {
        self.line_starts()
            .get(line + 1)
            .copied()
            .unwrap_or(self.text().len())
    }

    /// Whether a line is too long to show whole: miette cannot underline
    /// past column 65,535, and nobody reads a snippet that wide.
    fn is_long(&self, line: usize) -> bool {
        self.line_end(line) - self.line_starts()[line] > LONG_LINE
    }

    /// Whether the line holding a byte offset is too long to show whole.
    pub(crate) fn is_long_at(&self, offset: usize) -> bool {
        self.is_long(self.line_of(offset.min(self.text().len())))
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text().len());
        let line = self.line_of(offset);
        let start = self.line_starts()[line];
        let column = self
            .text()
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        (line + 1, column + 1)
    }
}

/// Lines longer than this many bytes are shown as a window around the span.
const LONG_LINE: usize = 400;

/// Characters shown on each side of a span on a long line, and the most
/// of a span that is underlined there.
const WINDOW_CHARS: usize = 60;

/// The offset `count` characters before `at` (or the start).
fn back_chars(text: &str, at: usize, count: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(count.saturating_sub(1))
        .map_or(0, |(offset, _)| offset)
}

/// The offset `count` characters after `at` (or the end).
fn forward_chars(text: &str, at: usize, count: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(count)
        .map_or(text.len(), |(offset, _)| at + offset)
}

/// miette's own `read_span` scans the text from its start for every label,
/// which makes rendering many diagnostics of a large file quadratic, and
/// counts columns in bytes (a Chinese character is three). This one finds
/// lines by binary search in the precomputed line starts and gives the
/// column in characters, as `line_col` and the JSON form do.
impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text();
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let start_line = self.line_of(start);
        let end_line = self.line_of(end.saturating_sub(1).max(start));
        let mut first_line = start_line.saturating_sub(context_lines_before);
        let mut last_line = (end_line + context_lines_after).min(self.line_starts().len() - 1);
        // Context lines are left out when any of them is long, and a long
        // line is cut to a window around the span.
        if (first_line..=last_line).any(|line| self.is_long(line)) {
            first_line = start_line;
            last_line = end_line;
        }
        let mut data_start = self.line_starts()[first_line];
        let mut data_end = self.line_end_with_break(last_line);
        let column = if context_lines_before == 0 {
            self.line_col(start).1 - 1
        } else {
            0
        };
        if start_line == end_line && self.is_long(start_line) {
            data_start = back_chars(text, start, WINDOW_CHARS).max(data_start);
            data_end = forward_chars(text, end, WINDOW_CHARS).min(self.line_end(start_line));
        }
        // miette reads `line_count` as the number of line breaks up to the
        // end of the snippet, not within it.
        let line_count = if data_end < text.len() || text.ends_with('\n') {
            last_line + 1
        } else {
            last_line
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &text.as_bytes()[data_start..data_end],
            (data_start, data_end - data_start).into(),
            first_line,
            column,
            line_count,
        )))
    }
}

/// How serious a diagnostic is. See [`Diagnostic`] for an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; the file still compiles or loads.
    Warning,
    /// The file does not compile or load.
    Error,
}

/// A labelled place in the source. See [`Diagnostic`] for an example.
#[derive(Debug, Clone)]
pub struct Label {
    /// Byte range in the source file.
    pub span: Range<usize>,
    /// What is wrong or relevant there.
    pub message: String,
}

/// One problem found in a rule file or a data file. A host can make its
/// own, for problems it finds in the same files.
///
/// ```
/// use zhibiao::diag::{Code, Diagnostic, Severity, SourceFile};
///
/// let file = SourceFile::new("a.rules", "rule 县域就诊率 >= 90%\n");
/// let diagnostic = Diagnostic::warning(&file, Code::UnknownIndicator, 5..20, "not in the catalogue", "this name")
///     .with_help("declare it with `indicator`")
///     .with_label(0..4, "in this rule");
/// assert_eq!((diagnostic.severity, diagnostic.line_col()), (Severity::Warning, (1, 6)));
/// assert_eq!(diagnostic.labels[1].message, "in this rule");
/// let json = serde_json::to_value(diagnostic.to_json()).unwrap();
/// assert_eq!(json["code"], "unknown-indicator");
/// assert_eq!(json["labels"][0]["column"], 6);
/// ```
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Stable, documented code such as `unknown-indicator`.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// Lowercase message without a trailing period.
    pub message: String,
    /// The primary label comes first.
    pub labels: Vec<Label>,
    /// How to fix it, when the cause is known.
    pub help: Option<String>,
    /// The file the labels point into.
    pub source: Arc<SourceFile>,
}

impl Diagnostic {
    /// An error with a primary label at `span`.
    pub fn error(
        source: &Arc<SourceFile>,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: shorten(message.into()),
            labels: vec![Label {
                span: clamp(span, source.text()),
                message: shorten(label.into()),
            }],
            help: None,
            source: Arc::clone(source),
        }
    }

    /// A warning with a primary label at `span`.
    pub fn warning(
        source: &Arc<SourceFile>,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(source, code, span, message, label)
        }
    }

    /// Adds the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(shorten(help.into()));
        self
    }

    /// Adds a secondary label.
    pub fn with_label(mut self, span: Range<usize>, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span: clamp(span, self.source.text()),
            message: shorten(message.into()),
        });
        self
    }

    /// Whether this diagnostic stops compilation or loading.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// One-based line and column of the primary label.
    pub fn line_col(&self) -> (usize, usize) {
        let start = self.labels.first().map_or(0, |label| label.span.start);
        self.source.line_col(start)
    }

    /// The stable JSON form used by `--format json`.
    pub fn to_json(&self) -> DiagnosticJson {
        let (line, column) = self.line_col();
        DiagnosticJson {
            code: self.code.as_str(),
            severity: self.severity,
            message: self.message.clone(),
            file: self.source.name().to_string(),
            line,
            column,
            labels: self
                .labels
                .iter()
                .map(|label| {
                    let (line, column) = self.source.line_col(label.span.start);
                    LabelJson {
                        message: label.message.clone(),
                        line,
                        column,
                        start: label.span.start,
                        end: label.span.end,
                    }
                })
                .collect(),
            help: self.help.clone(),
        }
    }
}

/// The most characters of a message, label or help line: they quote the
/// input, and a quoted 100 MB cell must not be printed in full.
const MAX_MESSAGE_CHARS: usize = 400;

fn shorten(mut text: String) -> String {
    if let Some((cut, _)) = text.char_indices().nth(MAX_MESSAGE_CHARS) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// Keeps a span inside the text and on character boundaries, so rendering
/// can never panic whatever a caller passes.
fn clamp(span: Range<usize>, text: &str) -> Range<usize> {
    let mut start = span.start.min(text.len());
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// The JSON form of a diagnostic, from [`Diagnostic::to_json`] (an example
/// is there).
#[derive(Debug, Serialize)]
pub struct DiagnosticJson {
    code: &'static str,
    severity: Severity,
    message: String,
    file: String,
    line: usize,
    column: usize,
    labels: Vec<LabelJson>,
    help: Option<String>,
}

/// The JSON form of a label. The example of [`Diagnostic`] reads one.
#[derive(Debug, Serialize)]
pub struct LabelJson {
    message: String,
    line: usize,
    column: usize,
    start: usize,
    end: usize,
}

impl Diagnostic {
    /// The part of a label's span that is drawn: on a long line, at most
    /// `WINDOW_CHARS` characters and never past the end of the line.
    fn shown_span(&self, span: &Range<usize>) -> Range<usize> {
        let source = &self.source;
        if !source.is_long_at(span.start) && !source.is_long_at(span.end) {
            return span.clone();
        }
        let line_end = source.line_end(source.line_of(span.start));
        let end =
            span.end
                .min(line_end)
                .min(forward_chars(source.text(), span.start, WINDOW_CHARS));
        span.start..end.max(span.start)
    }
}

/// On a long line, where the snippet shows only a window, the message
/// says where the span is.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        match self.labels.first() {
            Some(label) if self.source.is_long_at(label.span.start) => {
                let (line, column) = self.source.line_col(label.span.start);
                write!(f, " (line {line}, column {column})")
            }
            _ => Ok(()),
        }
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = self.labels.first().map_or(0, |label| label.span.start);
        Some(Box::new(self.labels.iter().enumerate().filter_map(
            move |(at, label)| {
                let span = self.shown_span(&label.span);
                // On a long line only what is near the primary label fits
                // the window.
                let far = span.start.abs_diff(primary) > WINDOW_CHARS * 4;
                if at > 0 && far && self.source.is_long_at(span.start) {
                    return None;
                }
                let span = (span.start, span.end - span.start);
                Some(if at == 0 {
                    LabeledSpan::new_primary_with_span(Some(label.message.clone()), span)
                } else {
                    LabeledSpan::new_with_span(Some(label.message.clone()), span)
                })
            },
        )))
    }
}

/// Every diagnostic of a failed compile or load, errors and warnings alike.
///
/// ```
/// let errors = zhibiao::compile("rule 县域就诊律 >= 90%\nrule 床位 > 5\n", "a.rules").unwrap_err();
/// assert_eq!(errors.error_count(), 2);
/// assert!(errors.has_errors());
/// assert!(errors.to_string().starts_with("2 errors, the first at a.rules:1:6: "));
/// let lines: Vec<usize> = errors.iter().filter(|d| d.is_error()).map(|d| d.line_col().0).collect();
/// assert_eq!(lines, [1, 2]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether any of them is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// The number of errors.
    pub fn error_count(&self) -> usize {
        self.0
            .iter()
            .filter(|diagnostic| diagnostic.is_error())
            .count()
    }

    /// Iterates over the diagnostics in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self.error_count();
        write!(f, "{errors} error{}", if errors == 1 { "" } else { "s" })?;
        if let Some(first) = self.0.iter().find(|diagnostic| diagnostic.is_error()) {
            let (line, column) = first.line_col();
            write!(
                f,
                ", the first at {}:{line}:{column}: {}",
                first.source.name(),
                first.message
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl miette::Diagnostic for Diagnostics {
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        Some(Box::new(
            self.0
                .iter()
                .map(|diagnostic| diagnostic as &dyn miette::Diagnostic),
        ))
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// How many diagnostics one file shows; the rest are counted in one more.
pub const MAX_PER_FILE: usize = 200;

/// Keeps the first [`MAX_PER_FILE`] diagnostics of each file (in the
/// order given) and adds one `too-many-diagnostics` that counts the rest,
/// an error if any of them is. Diagnostics already bounded per kind can
/// still be many kinds; a hostile file must not print without end.
///
/// ```
/// use zhibiao::diag::{cap_per_file, Code, Diagnostic, SourceFile, MAX_PER_FILE};
///
/// let file = SourceFile::new("a.rules", "x\n");
/// let many = (0..MAX_PER_FILE + 5)
///     .map(|_| Diagnostic::warning(&file, Code::Syntax, 0..1, "m", "l"))
///     .collect();
/// let kept = cap_per_file(many);
/// assert_eq!(kept.len(), MAX_PER_FILE + 1);
/// assert_eq!(kept[MAX_PER_FILE].code, Code::TooManyDiagnostics);
/// assert_eq!(kept[MAX_PER_FILE].message, "and 5 more diagnostics in this file");
/// ```
pub fn cap_per_file(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut shown = std::collections::HashMap::<String, usize>::new();
    let mut hidden: indexmap::IndexMap<String, (usize, Diagnostic)> = indexmap::IndexMap::new();
    let mut kept = Vec::with_capacity(diagnostics.len().min(MAX_PER_FILE));
    for diagnostic in diagnostics {
        let name = diagnostic.source.name();
        let count = shown.entry(name.to_string()).or_insert(0);
        *count += 1;
        if *count <= MAX_PER_FILE {
            kept.push(diagnostic);
            continue;
        }
        let is_error = diagnostic.is_error();
        let entry = hidden
            .entry(name.to_string())
            .or_insert_with(|| (0, diagnostic));
        entry.0 += 1;
        if is_error {
            entry.1.severity = Severity::Error;
        }
    }
    for (_, (count, first)) in hidden {
        let span = first
            .labels
            .first()
            .map_or(0..0, |label| label.span.clone());
        let summary = Diagnostic {
            code: Code::TooManyDiagnostics,
            message: format!(
                "and {count} more diagnostic{} in this file",
                if count == 1 { "" } else { "s" }
            ),
            labels: Vec::new(),
            help: Some(format!(
                "only the first {MAX_PER_FILE} are shown; fix those and try again"
            )),
            ..first
        }
        .with_label(span, "the first not shown");
        kept.push(summary);
    }
    kept
}

/// The closest candidate by edit distance, for "did you mean" help lines.
/// A swap of two neighbours counts as one edit, and at most a third of the
/// characters typed (at least one, at most three) may differ: `县域就诊律`
/// suggests `县域就诊率`, `年分` `年份` and `titel` `title`, but
/// `孕产妇死亡率` does not suggest `婴儿死亡率` (three of six differ).
///
/// ```
/// use zhibiao::diag::closest;
///
/// let names = ["县域就诊率", "婴儿死亡率"];
/// assert_eq!(closest("县域就诊律", names), Some("县域就诊率"));
/// assert_eq!(closest("孕产妇死亡率", names), None);
/// ```
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|candidate| (strsim::osa_distance(name, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let source = SourceFile::new("a.rules", "甲\n县域就诊率 >= 90%\n");
        assert_eq!(source.line_col(0), (1, 1));
        let at = source.text().find(">=").unwrap();
        assert_eq!(source.line_col(at), (2, 7));
    }

    #[test]
    fn spans_are_clamped_to_char_boundaries() {
        let source = SourceFile::new("a.rules", "县域");
        let diagnostic = Diagnostic::error(&source, Code::Syntax, 1..100, "m", "l");
        assert_eq!(diagnostic.labels[0].span, 0..6);
    }

    #[test]
    fn closest_suggests_near_names_only() {
        let names = ["县域就诊率", "婴儿死亡率"];
        assert_eq!(closest("县域就诊律", names), Some("县域就诊率"));
        assert_eq!(closest("床位数", names), None);
        assert_eq!(closest("孕产妇死亡率", names), None);
        assert_eq!(closest("年分", ["年份", "指标"]), Some("年份"));
        assert_eq!(closest("titel", ["title", "issued"]), Some("title"));
        assert_eq!(closest("rul", ["rule", "by"]), Some("rule"));
    }
}
