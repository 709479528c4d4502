//! Completion and signature help. Both read the text around the cursor
//! rather than the syntax tree, since what is being typed seldom parses:
//! the word before the cursor is completed from the indicators, aliases,
//! grades and tiers of the document and its imports, the keywords, the set
//! words and the functions, a CJK name also by its pinyin initials
//! (`xyjzl` for 县域就诊率); the open bracket before the cursor names the
//! function whose signature is shown.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit,
    Documentation, ParameterInformation, ParameterLabel, SignatureHelp, SignatureHelpParams,
    SignatureInformation, TextEdit,
};

use super::initials;
use super::position::LineIndex;
use super::workspace::Workspace;
use crate::vocab::{CHILDREN, DESCENDANTS, FUNCTIONS, KEYWORDS, PARENT};

/// The names of sets and entities relative to the one being checked.
pub const SET_WORDS: [(&str, &str); 3] = [
    (CHILDREN, "the entities directly below (children)"),
    (
        DESCENDANTS,
        "every entity below, at any depth (descendants)",
    ),
    (
        PARENT,
        "the entity directly above (parent), as in `X @ 上级`",
    ),
];

/// What a set word means, for hovers.
pub fn set_word_meaning(word: &str) -> Option<&'static str> {
    SET_WORDS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, meaning)| *meaning)
}

/// Each function's forms: parameters and what it gives.
const SIGNATURES: &[(&str, &[&str], &str)] = &[
    (
        "change",
        &["X", "Y1..Y2"],
        "the difference from Y1 to Y2 (percentage points for ratios)",
    ),
    (
        "growth",
        &["X", "Y1..Y2"],
        "relative growth (b − a) / a from Y1 to Y2",
    ),
    (
        "cagr",
        &["X", "Y1..Y2"],
        "compound annual growth rate from Y1 to Y2",
    ),
    ("avg", &["X", "Y1..Y2"], "the mean over the years"),
    (
        "avg",
        &["SET", "X"],
        "the mean over the entities of SET with data",
    ),
    ("sum", &["X", "Y1..Y2"], "the sum over the years"),
    (
        "sum",
        &["SET", "X"],
        "the sum over the entities of SET with data",
    ),
    ("min", &["X", "Y1..Y2"], "the least value over the years"),
    (
        "min",
        &["SET", "X"],
        "the least value over the entities of SET",
    ),
    ("max", &["X", "Y1..Y2"], "the greatest value over the years"),
    (
        "max",
        &["SET", "X"],
        "the greatest value over the entities of SET",
    ),
    (
        "all",
        &["SET", "CONDITION"],
        "holds when CONDITION holds for every entity of SET",
    ),
    (
        "any",
        &["SET", "CONDITION"],
        "holds when CONDITION holds for some entity of SET",
    ),
    (
        "share",
        &["SET", "CONDITION"],
        "the share of the entities of SET for which CONDITION holds",
    ),
    ("count", &["SET"], "the number of entities in SET"),
    (
        "progress",
        &["X", "TARGET", "YEAR", "BASE_YEAR?"],
        "the progress ratio R toward TARGET by YEAR, from BASE_YEAR (else the baseline)",
    ),
];

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether a name can be written bare, without 「」.
fn is_bare_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| !c.is_ascii_digit())
        && name.chars().all(is_name_char)
        && !KEYWORDS.contains(&name)
}

/// Whether the characters of `typed` appear in `label` in order, as
/// editors filter: `县率` matches `县域就诊率`.
fn matches(label: &str, typed: &str) -> bool {
    let mut chars = label.chars().map(|c| c.to_ascii_lowercase());
    typed
        .chars()
        .all(|wanted| chars.any(|c| c == wanted.to_ascii_lowercase()))
}

/// Completion of the word before the cursor.
pub fn completion(workspace: &Workspace, params: CompletionParams) -> Option<CompletionResponse> {
    let at = params.text_document_position;
    let analysis = workspace.get(&at.text_document.uri)?;
    let text = &analysis.own().text;
    let index = LineIndex::new(text);
    let offset = index.offset(at.position);
    let line_start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let before = &text[line_start..offset];
    // Inside 「…: complete the quoted name and close it.
    let quoted = before
        .rfind('「')
        .filter(|&open| !before[open..].contains('」'))
        .map(|open| line_start + open + '「'.len_utf8());
    let start = quoted.unwrap_or_else(|| {
        offset
            - before
                .chars()
                .rev()
                .take_while(|c| is_name_char(*c))
                .map(char::len_utf8)
                .sum::<usize>()
    });
    let typed = &text[start..offset];
    let range = index.range(start..offset);
    let mut items: Vec<CompletionItem> = Vec::new();
    let mut add = |label: &str, kind: CompletionItemKind, detail: Option<String>| {
        let wanted = matches(label, typed) || initials::matches(label, typed);
        if !wanted || items.iter().any(|item| item.label == label) {
            return;
        }
        let new_text = if quoted.is_some() {
            format!("{label}」")
        } else if kind == CompletionItemKind::KEYWORD || is_bare_name(label) {
            label.to_string()
        } else {
            format!("「{label}」")
        };
        items.push(CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail,
            filter_text: Some(initials::filter_text(label)),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, new_text))),
            ..CompletionItem::default()
        });
    };
    for file in &analysis.files {
        for entry in &file.outline.indicators {
            add(
                &entry.name.text,
                CompletionItemKind::VARIABLE,
                Some(entry.unit.clone()),
            );
            for alias in &entry.aliases {
                let detail = format!("alias of {} · {}", entry.name.text, entry.unit);
                add(&alias.text, CompletionItemKind::VARIABLE, Some(detail));
            }
            for grade in &entry.grades {
                add(
                    grade,
                    CompletionItemKind::ENUM_MEMBER,
                    Some(format!("grade of {}", entry.name.text)),
                );
            }
        }
        for tier in &file.outline.tiers {
            add(
                &tier.text,
                CompletionItemKind::CLASS,
                Some("tier".to_string()),
            );
        }
    }
    if quoted.is_none() {
        for (word, meaning) in SET_WORDS {
            add(
                word,
                CompletionItemKind::CONSTANT,
                Some(meaning.to_string()),
            );
        }
        for function in FUNCTIONS {
            add(
                function,
                CompletionItemKind::FUNCTION,
                Some("function".to_string()),
            );
        }
        for keyword in KEYWORDS {
            add(keyword, CompletionItemKind::KEYWORD, None);
        }
    }
    Some(CompletionResponse::Array(items))
}

/// The signatures of the function whose bracket the cursor is in, with
/// the argument under the cursor.
pub fn signature_help(workspace: &Workspace, params: SignatureHelpParams) -> Option<SignatureHelp> {
    let at = params.text_document_position_params;
    let text = &workspace.get(&at.text_document.uri)?.own().text;
    let offset = LineIndex::new(text).offset(at.position);
    let (name, argument) = open_call(&text[..offset])?;
    let signatures: Vec<SignatureInformation> = SIGNATURES
        .iter()
        .filter(|(function, _, _)| *function == name)
        .map(|(function, parameters, meaning)| SignatureInformation {
            label: format!("{function}({})", parameters.join(", ")),
            documentation: Some(Documentation::String(meaning.to_string())),
            parameters: Some(
                parameters
                    .iter()
                    .map(|parameter| ParameterInformation {
                        label: ParameterLabel::Simple(parameter.to_string()),
                        documentation: None,
                    })
                    .collect(),
            ),
            active_parameter: None,
        })
        .collect();
    if signatures.is_empty() {
        return None;
    }
    Some(SignatureHelp {
        signatures,
        active_signature: Some(0),
        active_parameter: Some(u32::try_from(argument).unwrap_or(u32::MAX)),
    })
}

/// The function of the innermost unclosed call in the text, and how many
/// of its commas come before the text's end. Commas and brackets
/// inside strings and 「names」 are skipped; the scan stops at the start
/// of the statement, the last line that starts in column 0.
fn open_call(text: &str) -> Option<(&str, usize)> {
    let statement_start = text
        .rmatch_indices('\n')
        .map(|(at, _)| at + 1)
        .find(|&at| text[at..].starts_with(|c: char| !c.is_whitespace()))
        .unwrap_or(0);
    let statement = &text[statement_start..];
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut in_string = false;
    let mut in_name = false;
    let mut escaped = false;
    for (at, c) in statement.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' if !in_name => in_string = !in_string,
            '「' if !in_string => in_name = true,
            '」' if !in_string => in_name = false,
            _ if in_string || in_name => {}
            '(' | '（' => open.push((at, 0)),
            ')' | '）' => {
                open.pop();
            }
            ',' | '，' | '、' => {
                if let Some((_, commas)) = open.last_mut() {
                    *commas += 1;
                }
            }
            _ => {}
        }
    }
    // The innermost bracket that a function name opens: `all(下级, (甲 + `
    // is in `all`, its grouping bracket aside.
    open.iter().rev().find_map(|&(bracket, commas)| {
        let before = statement[..bracket].trim_end();
        let name_start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_name_char(*c))
            .last()
            .map_or(before.len(), |(at, _)| at);
        let name = &before[name_start..];
        FUNCTIONS.contains(&name).then_some((name, commas))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_call_and_its_argument_are_found() {
        assert_eq!(open_call("rule cagr(床位数, 20"), Some(("cagr", 1)));
        assert_eq!(
            open_call("rule all(下级, avg(床位数, 2020..2024) >= "),
            Some(("all", 1))
        );
        assert_eq!(
            open_call("rule share(下级 where 类型 == \"a,(b\", "),
            Some(("share", 1))
        );
        assert_eq!(open_call("rule sum(「a,(b」"), Some(("sum", 0)));
        assert_eq!(
            open_call("rule cagr(a, 2020..2025) >= 5%\nrule 甲 >= "),
            None
        );
        assert_eq!(open_call("rule (甲 + "), None);
        assert_eq!(open_call("rule all(下级, (甲 + "), Some(("all", 1)));
    }

    #[test]
    fn names_that_need_quotes_are_quoted() {
        assert!(is_bare_name("县域就诊率"));
        assert!(!is_bare_name("5岁以下儿童死亡率"));
        assert!(!is_bare_name("每千常住人口执业(助理)医师数"));
        assert!(!is_bare_name("by"));
    }

    #[test]
    fn typed_characters_match_in_order() {
        assert!(matches("县域就诊率", "县率"));
        assert!(matches("cagr", "CA"));
        assert!(!matches("县域就诊率", "率县"));
    }
}
