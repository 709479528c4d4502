//! What a typed entry is — a command (`:load rules.rules`), rule-language
//! text, or nothing — and whether it is complete or still has brackets open
//! (then the entry goes on on the next line).

use crate::syntax::split::{is_close_bracket, is_open_bracket, CodeChars};

/// One typed entry, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input<'a> {
    /// Blank, or a comment only.
    Empty,
    /// `:name args…`; the name without its colon.
    Command { name: &'a str, args: &'a str },
    /// Rule-language text: statements, a rule, or a value to print.
    Text(&'a str),
}

/// Classifies an entry. A full-width `：` starts a command too, as Chinese
/// input methods type it.
pub fn classify(text: &str) -> Input<'_> {
    let trimmed = text.trim();
    if crate::syntax::split::strip_comment(trimmed)
        .trim()
        .is_empty()
    {
        return Input::Empty;
    }
    let command = trimmed
        .strip_prefix(':')
        .or_else(|| trimmed.strip_prefix('：'));
    match command {
        Some(rest) => {
            let rest = rest.trim_start();
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            Input::Command {
                name: &rest[..end],
                args: rest[end..].trim(),
            }
        }
        None => Input::Text(trimmed),
    }
}

/// How many brackets are open at the end of the text: `(`, `[`, `{` and
/// their full-width forms, outside strings, 「names」 and comments.
pub fn open_brackets(text: &str) -> usize {
    let mut depth: usize = 0;
    for line in text.lines() {
        for (_, c) in CodeChars::new(line) {
            if is_open_bracket(c) {
                depth += 1;
            } else if is_close_bracket(c) {
                depth = depth.saturating_sub(1);
            }
        }
    }
    depth
}

/// Whether an entry is complete: a command always is; text is once its
/// brackets are closed, or when a blank line or a command follows it (an
/// unclosed bracket must not swallow `:quit`).
pub fn is_complete(text: &str) -> bool {
    matches!(classify(text), Input::Command { .. })
        || open_brackets(text) == 0
        || text.lines().count() > 1 && ends_entry(text.lines().last().unwrap_or_default())
        || text.ends_with('\n')
}

/// Whether a line ends an open entry before it: a blank line or a command.
pub fn ends_entry(line: &str) -> bool {
    let line = line.trim();
    line.is_empty() || line.starts_with([':', '：'])
}

/// An entry whose last line is a command, split into the text before and
/// the command: both run, the text first.
pub fn split_command(text: &str) -> Option<(&str, &str)> {
    let (before, last) = text.trim_end().rsplit_once('\n')?;
    matches!(classify(last), Input::Command { .. }).then_some((before, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! classify {
        ($($text:expr => $expected:expr),* $(,)?) => {
            $(assert_eq!(classify($text), $expected, "{:?}", $text);)*
        };
    }

    #[test]
    fn entries_are_classified() {
        classify! {
            "" => Input::Empty,
            "   " => Input::Empty,
            "// a comment" => Input::Empty,
            "# a comment" => Input::Empty,
            ":help" => Input::Command { name: "help", args: "" },
            "  :load  rules/x.rules  " => Input::Command { name: "load", args: "rules/x.rules" },
            "：scope 东港区" => Input::Command { name: "scope", args: "东港区" },
            ": explain 县域就诊率 >= 90% 东港区" => Input::Command { name: "explain", args: "县域就诊率 >= 90% 东港区" },
            ":" => Input::Command { name: "", args: "" },
            "县域就诊率 @ 2023" => Input::Text("县域就诊率 @ 2023"),
            " rule 县域就诊率 >= 90% by 2025 " => Input::Text("rule 县域就诊率 >= 90% by 2025"),
            "rule \"x // y\" 县域就诊率 >= 90%" => Input::Text("rule \"x // y\" 县域就诊率 >= 90%"),
        }
    }

    #[test]
    fn open_brackets_continue_the_entry() {
        for (text, open) in [
            ("县域就诊率 >= 90%", 0),
            ("share(下级,", 1),
            ("share（下级, all(下属,", 2),
            ("share(下级, x >= 1)", 0),
            ("document \"x\" {", 1),
            ("document \"x\" {\n  period 2024..2025\n}", 0),
            ("rule \"(\" x >= 1", 0),
            ("「指标(1)」 >= 1", 0),
            ("x >= 1 // (", 0),
            ("x >= 1 # (", 0),
            (")", 0),
        ] {
            assert_eq!(open_brackets(text), open, "{text:?}");
        }
        assert!(is_complete(":explain share(下级"));
        assert!(!is_complete("avg(下级,"));
        assert!(is_complete("avg(下级,\n"));
        assert!(is_complete("avg(下级,\n  :quit"));
        assert!(!is_complete("avg(下级,\n  床位数"));
    }

    #[test]
    fn a_command_after_open_text_is_split_off() {
        assert_eq!(
            split_command("avg(下级,\n:quit"),
            Some(("avg(下级,", ":quit"))
        );
        assert_eq!(split_command("avg(下级,\n床位数)"), None);
        assert_eq!(split_command(":quit"), None);
    }
}
