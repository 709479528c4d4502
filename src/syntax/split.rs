//! Splits a rule file into statements: a line that starts at column 0 and
//! the indented lines after it. Each statement is parsed on its own, so one
//! bad statement gives one error and the rest of the file is still read.

use std::ops::Range;

use crate::vocab::STATEMENT_KEYWORDS;

/// The byte ranges of the statements of `text`, comments and blank lines
/// between them left out.
pub fn statements(text: &str) -> Vec<Range<usize>> {
    let mut statements = Vec::new();
    let mut current: Option<Range<usize>> = None;
    let mut depth: i64 = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = strip_comment(line);
        if content.trim().is_empty() {
            continue;
        }
        let indented = line.starts_with([' ', '\t', '\u{3000}']);
        let trimmed = content.trim_start();
        let closing = trimmed.starts_with(['}', '｝', ')', '）', ']', '］']);
        let begins_statement = starts_with_keyword(trimmed).is_some();
        let continues =
            current.is_some() && (indented || closing || (depth > 0 && !begins_statement));
        if continues {
            if let Some(range) = current.as_mut() {
                range.end = start + content.trim_end().len();
            }
        } else {
            statements.extend(current.take());
            depth = 0;
            let leading = line.len() - line.trim_start().len();
            current = Some(start + leading..start + content.trim_end().len());
        }
        depth += bracket_balance(content);
    }
    statements.extend(current);
    statements
}

/// The statement keyword a line starts with, if any.
pub fn starts_with_keyword(line: &str) -> Option<&'static str> {
    STATEMENT_KEYWORDS.iter().copied().find(|keyword| {
        line.strip_prefix(keyword)
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
    })
}

/// The code characters of one line with their byte offsets: outside
/// strings and 「names」, up to a `//` or `#` comment. Every scan for
/// brackets and comments goes through this, so they agree on what is code.
pub struct CodeChars<'a> {
    line: &'a str,
    chars: std::str::CharIndices<'a>,
    in_string: bool,
    in_name: bool,
    /// Where a comment starts, once the scan has reached it.
    pub comment: Option<usize>,
}

impl<'a> CodeChars<'a> {
    /// Scans one line (a trailing newline is code, not a comment).
    pub fn new(line: &'a str) -> Self {
        CodeChars {
            line,
            chars: line.char_indices(),
            in_string: false,
            in_name: false,
            comment: None,
        }
    }
}

impl Iterator for CodeChars<'_> {
    type Item = (usize, char);

    fn next(&mut self) -> Option<(usize, char)> {
        if self.comment.is_some() {
            return None;
        }
        while let Some((at, c)) = self.chars.next() {
            match c {
                '\\' if self.in_string => {
                    self.chars.next();
                }
                '"' if !self.in_name => self.in_string = !self.in_string,
                '「' if !self.in_string => self.in_name = true,
                '」' if !self.in_string => self.in_name = false,
                _ if self.in_string || self.in_name => {}
                '#' => {
                    self.comment = Some(at);
                    return None;
                }
                '/' if self.line[at + 1..].starts_with('/') => {
                    self.comment = Some(at);
                    return None;
                }
                _ => return Some((at, c)),
            }
        }
        None
    }
}

/// Whether a character opens a bracket (ASCII or full-width).
pub fn is_open_bracket(c: char) -> bool {
    matches!(c, '(' | '（' | '[' | '［' | '{' | '｛')
}

/// Whether a character closes a bracket (ASCII or full-width).
pub fn is_close_bracket(c: char) -> bool {
    matches!(c, ')' | '）' | ']' | '］' | '}' | '｝')
}

/// The line without its comment; `//` and `#` inside strings and 「」 names
/// do not start one.
pub fn strip_comment(line: &str) -> &str {
    let mut scan = CodeChars::new(line);
    scan.by_ref().for_each(drop);
    &line[..scan.comment.unwrap_or(line.len())]
}

fn bracket_balance(line: &str) -> i64 {
    CodeChars::new(line)
        .map(|(_, c)| i64::from(is_open_bracket(c)) - i64::from(is_close_bracket(c)))
        .sum()
}

/// Where brackets in `text` nest deeper than `limit`: the offset of the
/// first bracket past the limit. Checked before parsing, so no input can
/// exhaust the parser's stack.
pub fn too_deep(text: &str, limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        for (at, c) in CodeChars::new(line) {
            if is_open_bracket(c) {
                depth += 1;
                if depth > limit {
                    return Some(offset + at);
                }
            } else if is_close_bracket(c) {
                depth = depth.saturating_sub(1);
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        statements(text)
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }

    #[test]
    fn indented_lines_continue_a_statement() {
        let text = "rule a >= 1\n  by 2025 // deadline\n\nrule b >= 2\n";
        assert_eq!(split(text), ["rule a >= 1\n  by 2025", "rule b >= 2"]);
    }

    #[test]
    fn a_document_block_spans_its_braces() {
        let text = "document \"x\" {\ntitle \"t\"\n}\nscope 日照市\n";
        assert_eq!(
            split(text),
            ["document \"x\" {\ntitle \"t\"\n}", "scope 日照市"]
        );
    }

    #[test]
    fn a_statement_keyword_recovers_from_an_unclosed_bracket() {
        let text = "rule all(下级, a >= 1\nrule b >= 2\n";
        assert_eq!(split(text), ["rule all(下级, a >= 1", "rule b >= 2"]);
    }

    #[test]
    fn comments_inside_strings_are_text() {
        assert_eq!(strip_comment("source \"a//b\" // c"), "source \"a//b\" ");
        assert_eq!(strip_comment("「A#1」 # c"), "「A#1」 ");
    }

    #[test]
    fn code_is_what_lies_outside_strings_names_and_comments() {
        let code: String = CodeChars::new("a(\"(\\\"(\" 「(」) // (")
            .map(|(_, c)| c)
            .collect();
        assert_eq!(code, "a( ) ");
        assert_eq!(bracket_balance("rule x(\"\\\")\"  # )"), 1);
    }

    #[test]
    fn nesting_depth_is_bounded() {
        assert_eq!(too_deep("((()))", 3), None);
        assert_eq!(too_deep("(((())))", 3), Some(3));
        assert_eq!(too_deep("\"((((\"", 1), None);
        assert_eq!(too_deep("(\n(( // ((((", 3), None);
    }
}
