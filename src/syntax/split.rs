//! Splits a rule file into statements: a line that starts at column 0 and
//! the indented lines after it. Each statement is parsed on its own, so one
//! bad statement gives one error and the rest of the file is still read.

use std::ops::Range;

/// Words that always begin a new statement at column 0, even inside an
/// unclosed bracket: a missing `}` or `)` then costs one error, not the file.
const STATEMENT_KEYWORDS: &[&str] = &["document", "import", "tiers", "scope", "indicator", "rule"];

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
        let begins_statement = starts_with_keyword(trimmed);
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

fn starts_with_keyword(line: &str) -> bool {
    STATEMENT_KEYWORDS.iter().any(|keyword| {
        line.strip_prefix(keyword)
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
    })
}

/// The line without its comment; `//` and `#` inside strings and 「」 names
/// do not start one.
pub fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut in_name = false;
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '"' if !in_name => in_string = !in_string,
            '「' if !in_string => in_name = true,
            '」' if !in_string => in_name = false,
            '#' if !in_string && !in_name => return &line[..at],
            '/' if !in_string && !in_name && line[at + 1..].starts_with('/') => return &line[..at],
            _ => {}
        }
    }
    line
}

fn bracket_balance(line: &str) -> i64 {
    let mut balance = 0;
    let mut in_string = false;
    let mut in_name = false;
    for c in line.chars() {
        match c {
            '"' if !in_name => in_string = !in_string,
            '「' if !in_string => in_name = true,
            '」' if !in_string => in_name = false,
            '(' | '（' | '[' | '［' | '{' | '｛' if !in_string && !in_name => balance += 1,
            ')' | '）' | ']' | '］' | '}' | '｝' if !in_string && !in_name => balance -= 1,
            _ => {}
        }
    }
    balance
}

/// Where brackets in `text` nest deeper than `limit`: the offset of the
/// first bracket past the limit. Checked before parsing, so no input can
/// exhaust the parser's stack.
pub fn too_deep(text: &str, limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_name = false;
    for (at, c) in text.char_indices() {
        match c {
            '"' if !in_name => in_string = !in_string,
            '「' if !in_string => in_name = true,
            '」' if !in_string => in_name = false,
            '\n' => {
                in_string = false;
                in_name = false;
            }
            '(' | '（' | '[' | '［' | '{' | '｛' if !in_string && !in_name => {
                depth += 1;
                if depth > limit {
                    return Some(at);
                }
            }
            ')' | '）' | ']' | '］' | '}' | '｝' if !in_string && !in_name => {
                depth = depth.saturating_sub(1)
            }
            _ => {}
        }
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
    fn nesting_depth_is_bounded() {
        assert_eq!(too_deep("((()))", 3), None);
        assert_eq!(too_deep("(((())))", 3), Some(3));
        assert_eq!(too_deep("\"((((\"", 1), None);
    }
}
