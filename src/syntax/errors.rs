//! Turns pest's errors into diagnostics in words a user knows: what was
//! expected, what was found, and how to fix the common mistakes.

use std::ops::Range;
use std::sync::Arc;

use pest::error::{ErrorVariant, InputLocation};

use super::split::{is_close_bracket, is_open_bracket, CodeChars};
use super::Rule;
use crate::diag::{closest, Code, Diagnostic, SourceFile};
use crate::vocab::KEYWORDS;

/// The diagnostic for a statement pest could not parse. `base` is the
/// statement's offset in the file and `text` the statement itself.
pub fn syntax_error(
    source: &Arc<SourceFile>,
    base: usize,
    text: &str,
    error: pest::error::Error<Rule>,
) -> Diagnostic {
    let at = match error.location {
        InputLocation::Pos(at) | InputLocation::Span((at, _)) => at.min(text.len()),
    };
    if let ErrorVariant::CustomError { message } = &error.variant {
        // pest's backstop against runaway parsing, not a mistake in the text.
        if message.contains("call limit") {
            let first = text.chars().next().map_or(0, char::len_utf8);
            return Diagnostic::error(
                source,
                Code::TooComplex,
                base..base + first,
                "this statement is too long to parse",
                "this statement",
            )
            .with_help(
                "split it into several rules: a rule joins at most a few thousand conditions well",
            );
        }
    }
    if let Some(open) = unclosed_string(text).filter(|open| *open <= at) {
        return Diagnostic::error(
            source,
            Code::Syntax,
            base + open..base + open + 1,
            "this string is never closed",
            "the string starts here",
        )
        .with_help("a string ends on its own line with `\"`; write `\\\"` for a quote inside it");
    }
    if let Some((range, what)) =
        unquoted_name(text, at, &found_token(text, at), &expected_words(&error))
    {
        let name = &text[range.clone()];
        return Diagnostic::error(
            source,
            Code::UnquotedName,
            base + range.start..base + range.end,
            format!("{what} is written in 「…」"),
            what,
        )
        .with_help(format!("write `「{name}」`"));
    }
    let found = found_token(text, at);
    let expected = expected_words(&error);
    let found_words = if found.is_empty() {
        "the end of the statement".to_string()
    } else {
        format!("`{found}`")
    };
    let start = base + at;
    let end = start + found.len().max(if at < text.len() { 1 } else { 0 });
    let mut diagnostic = Diagnostic::error(
        source,
        Code::Syntax,
        start..end,
        format!("expected {expected}, found {found_words}"),
        // The message lists what was expected; the label stays short.
        if found.is_empty() {
            "the statement ends here".to_string()
        } else if !expected.contains(", ") && !expected.contains(" or ") {
            format!("expected {expected} here")
        } else {
            "not expected here".to_string()
        },
    );
    if let Some((open, bracket)) = unclosed_bracket(text).filter(|(open, _)| *open < at) {
        let closer = match bracket {
            '(' | '（' => ')',
            '[' | '［' => ']',
            _ => '}',
        };
        if expected.contains(&format!("`{closer}`")) {
            return diagnostic
                .with_label(
                    base + open..base + open + bracket.len_utf8(),
                    format!("this `{bracket}` is never closed"),
                )
                .with_help(format!("close it with `{closer}`"));
        }
    }
    if let Some(help) = help(text, at, &found, &expected) {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
}

fn expected_words(error: &pest::error::Error<Rule>) -> String {
    match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => describe(positives),
        ErrorVariant::CustomError { message } => message.clone(),
    }
}

/// Where a string opens that its line never closes.
fn unclosed_string(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let mut open = None;
        let mut in_name = false;
        let mut chars = line.char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                '\\' if open.is_some() => {
                    chars.next();
                }
                '"' if !in_name => open = if open.is_some() { None } else { Some(at) },
                '「' if open.is_none() => in_name = true,
                '」' if open.is_none() => in_name = false,
                '#' if open.is_none() && !in_name => break,
                '/' if open.is_none() && !in_name && line[at + 1..].starts_with('/') => break,
                _ => {}
            }
        }
        if let Some(open) = open {
            return Some(offset + open);
        }
        offset += line.len();
    }
    None
}

/// The innermost bracket the statement opens and never closes, and where.
fn unclosed_bracket(text: &str) -> Option<(usize, char)> {
    let mut open: Vec<(usize, char)> = Vec::new();
    for line_start in line_starts(text) {
        let line = &text[line_start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        for (at, c) in CodeChars::new(line) {
            if is_open_bracket(c) {
                open.push((line_start + at, c));
            } else if is_close_bracket(c) {
                open.pop();
            }
        }
    }
    open.pop()
}

fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1))
}

/// The token at `at`: up to the next space or operator, at most 16 characters.
fn found_token(text: &str, at: usize) -> String {
    let rest = &text[at..];
    let mut token: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(16)
        .collect();
    if token.is_empty() {
        return token;
    }
    // An operator alone: `>=`, not `>` of `>=`.
    const OPERATORS: &str = "<>=!≥≤≠＜＞＝≈±+-*/×÷@＠";
    if token.starts_with(|c: char| OPERATORS.contains(c)) {
        return token
            .chars()
            .take_while(|c| OPERATORS.contains(*c))
            .collect();
    }
    // Stop a word at the first operator after it, but keep an operator alone.
    if let Some(cut) = token
        .char_indices()
        .skip(1)
        .find(|(_, c)| ",，()（）:：@<>=≥≤+*".contains(*c))
        .map(|(at, _)| at)
    {
        token.truncate(cut);
    }
    token
}

fn describe(positives: &[Rule]) -> String {
    let mut words: Vec<&'static str> = Vec::new();
    for expected_rule in positives {
        let word = name_of(*expected_rule);
        if !words.contains(&word) {
            words.push(word);
        }
    }
    match words.len() {
        0 => "something else".to_string(),
        1 => words[0].to_string(),
        _ => {
            let last = words.pop().unwrap_or_default();
            format!("{} or {last}", words.join(", "))
        }
    }
}

/// The human name of a grammar rule. Every construct a user can be asked
/// for has one; grammar-internal names never reach a message.
fn name_of(which: Rule) -> &'static str {
    use Rule::*;
    match which {
        statement_input | document | import | tiers | scope | indicator | benchmark | group
        | rule | kw_document | kw_import | kw_tiers | kw_scope | kw_indicator | kw_benchmark
        | kw_group | kw_rule => {
            "a statement (`rule`, `indicator`, `benchmark`, `group`, `scope`, `tiers`, `import` or `document`)"
        }
        better | kw_better | kw_lower | kw_higher => "`better lower` or `better higher`",
        equals => "`=`",
        doc_title | doc_issued | doc_baseline | doc_period | kw_title | kw_issued | kw_baseline
        | kw_period => "a document field (`title`, `issued`, `baseline`, `period`) or `}`",
        date => "a date like `2024-06-17`",
        year => "a year like `2025`",
        span => "a span of years like `2021..2025`",
        name | bare_name | quoted_name | quoted_text | rule_name => "a name",
        string | string_text => "a string in double quotes",
        number_unit | ratio_unit | grade_unit | grade_value | grade_level | plain_unit
        | kw_number | kw_ratio | kw_grade => {
            "a unit (`%`, `‰`, `1/10万`, `个`, `人/千人`, `number`, `ratio A:B`, `grade …`)"
        }
        by_clause | in_clause | from_clause | since_clause | for_clause | source_clause
        | owner_clause | tags_clause | binding | expected | missing_as_fail | kw_by | kw_in
        | kw_from | kw_since | kw_for | kw_source | kw_owner | kw_tags | kw_binding
        | kw_expected | kw_missing => "a clause (`by`, `in`, `from`, `for`, `source`, `owner`, …)",
        kw_to => "`to`",
        kw_as => "`as`",
        kw_fail => "`fail`",
        kw_each => "`each`",
        kw_year => "`year`",
        kw_under => "`under`",
        kw_aka => "`aka`",
        kw_where => "`where`",
        kw_and => "`and`",
        kw_or => "`or`",
        cmp_op | compare_tail | between_tail | approx_tail | trend_tail | never_trend
        | step_trend | each_trend | direction | kw_between | kw_never | kw_rises | kw_falls
        | approx | better_tail | kw_worse | kw_than => "a comparison (`>=`, `<`, `between`, `≈`, `rises each year`, …)",
        add_op | mul_op => "an operator",
        at => "`@`",
        plus_minus => "`±`",
        condition | and_cond | not_cond | comparison | sum | product | unary | postfix | paren
        | call | arg | set_filter | quantity | number | kw_not | neg => "a value",
        quantity_unit | ratio_tail | per_unit | unit_word | unit_letters | magnitude => "a unit",
        open_paren => "`(`",
        close_paren => "`)`",
        gt => "`>`",
        lt => "`<`",
        EOI => "the end of the statement",
        _ => "something else",
    }
}

/// Help for the mistakes users make most.
fn help(text: &str, at: usize, found: &str, expected: &str) -> Option<String> {
    if expected.contains("a year") {
        return Some("years are written with four digits, like `by 2025`".to_string());
    }
    if found.starts_with('年') && text[..at].ends_with(|c: char| c.is_ascii_digit()) {
        return Some("write the year without `年`: `by 2025`".to_string());
    }
    if expected.contains("a comparison") && text[..at].trim_end().ends_with("by") {
        return Some(
            "a yearly step needs its comparison: `rises by >= 0.5pp each year`".to_string(),
        );
    }
    if found.starts_with(|c: char| c.is_ascii_alphabetic()) && !KEYWORDS.contains(&found) {
        if let Some(keyword) = closest(found, KEYWORDS.iter().copied()) {
            return Some(format!("did you mean `{keyword}`?"));
        }
    }
    if found.is_empty() && expected.contains("`)`") {
        return Some("close the bracket with `)`".to_string());
    }
    None
}

fn is_unit_like(text: &str) -> bool {
    crate::unit::parse(text).is_ok()
}

/// A name-like run at `at` (CJK, digits, brackets, no spaces) that contains
/// brackets: the likely unquoted name `每千常住人口执业(助理)医师数`.
fn bracketed_name_around(text: &str, at: usize) -> Option<Range<usize>> {
    let is_part = |c: char| {
        !c.is_whitespace()
            && !",，:：@<>=≥≤+*\"「」".contains(c)
            && (!c.is_ascii() || "()（）_".contains(c) || c.is_ascii_alphanumeric())
    };
    let start = text[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_part(*c))
        .last()
        .map_or(at, |(index, _)| index);
    let end = text[at..]
        .char_indices()
        .find(|(_, c)| !is_part(*c))
        .map_or(text.len(), |(index, _)| at + index);
    let run = &text[start..end];
    let opens = run.matches(['(', '（']).count();
    let closes = run.matches([')', '）']).count();
    let first = run.chars().next()?;
    let looks_like_call = run.ends_with([')', '）']) && !run.contains(['(', '（']);
    (opens > 0
        && opens == closes
        && !first.is_ascii_punctuation()
        && !looks_like_call
        && !run.is_ascii()
        && !run.ends_with([')', '）']))
    .then_some(start..end)
}

/// A name written without 「」 that needs them, around the error at `at`:
/// its range in `text` and what is wrong with it.
fn unquoted_name(
    text: &str,
    at: usize,
    found: &str,
    expected: &str,
) -> Option<(Range<usize>, &'static str)> {
    if let Some(range) = bracketed_name_around(text, at) {
        return Some((range, "a name with brackets"));
    }
    let wants_name = expected.contains("a name") || expected.contains("a value");
    if wants_name && found.starts_with(|c: char| c.is_ascii_digit()) {
        let digits_end = found
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(found.len());
        if found[digits_end..].starts_with(|c: char| !c.is_ascii())
            && !is_unit_like(&found[digits_end..])
        {
            return Some((
                at..at + name_run(&text[at..]).len(),
                "a name starting with a digit",
            ));
        }
    }
    None
}

fn name_run(text: &str) -> &str {
    let end = text
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || ",，:：@<>=≥≤+*()（）".contains(*c))
        .map_or(text.len(), |(index, _)| index);
    &text[..end]
}
