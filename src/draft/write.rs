//! The draft as a rule file in the Chinese phrasing, and as JSON.

use std::fmt::Write;

use serde::Serialize;

use super::document::Document;
use super::find::{Found, Unread};
use super::reading::Indicator;
use crate::phrase::render::quoted;

/// A string literal of the rule language.
fn string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A sentence as one comment line.
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The rule file; `lines[i]` is the line of `found[i]`'s rule.
pub fn rules(
    document: &Document,
    source: &str,
    indicators: &[Indicator],
    found: &[Found],
    unread: &[Unread],
) -> (String, Vec<usize>) {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Drafted by `zhibiao draft` from {}: review every rule.",
        comment(source)
    );
    let _ = writeln!(
        out,
        "// `TODO(review)` marks a choice the draft made; the list at the end holds the"
    );
    let _ = writeln!(
        out,
        "// sentences with figures that were not read as targets."
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "document {} {{", string(&document.id));
    if let Some(title) = &document.title {
        let _ = writeln!(out, "  title {}", string(title));
    }
    if let Some(issued) = &document.issued {
        let _ = writeln!(out, "  issued {issued}");
    }
    if let Some(baseline) = document.baseline {
        let _ = writeln!(out, "  baseline {baseline}");
    }
    if let Some((start, end)) = document.period {
        let _ = writeln!(out, "  period {start}..{end}");
    }
    let _ = writeln!(out, "}}");
    let _ = writeln!(out);
    for indicator in indicators {
        if let Some(why) = &indicator.guessed {
            let _ = writeln!(out, "// TODO(review): unit guessed: {why}");
        }
        let better = indicator
            .better
            .map(|better| format!(" better {}", better.word()))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "indicator {}: {}{better}",
            quoted(&indicator.name),
            indicator.unit
        );
    }
    let mut lines = Vec::new();
    let mut section: Option<&str> = None;
    for found in found {
        if found.section.as_deref() != section || section.is_none() {
            section = found.section.as_deref();
            let _ = writeln!(out);
            let _ = writeln!(out, "// {}", section.unwrap_or("(no section number)"));
        }
        let todos: Vec<&String> = found
            .todos
            .iter()
            .filter(|todo| !todo.starts_with("unit of"))
            .collect();
        for todo in todos {
            let _ = writeln!(out, "// TODO(review): {}", comment(todo));
        }
        let mut line = format!(
            "rule {}",
            digit_names_quoted(&found.text, &found.indicators)
        );
        if let Some(clause) = &found.clause {
            let _ = write!(line, "  {clause}");
        }
        if let Some(section) = &found.section {
            let _ = write!(line, "  source {}", string(section));
        }
        if let Some(owner) = &found.owner {
            let _ = write!(line, "  owner {}", string(owner));
        }
        lines.push(out.lines().count() + 1);
        let _ = writeln!(out, "{line}");
    }
    if !unread.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "// Sentences with figures not read as targets (baselines, past results, aims"
        );
        let _ = writeln!(
            out,
            "// the draft could not read): check none of them is a target."
        );
        for unread in unread {
            let section = unread.section.as_deref().unwrap_or("-");
            let _ = writeln!(out, "// - {section}: {}", comment(&unread.sentence));
        }
    }
    (out, lines)
}

#[derive(Serialize)]
struct Json<'a> {
    schema: u32,
    document: JsonDocument<'a>,
    targets: Vec<JsonTarget<'a>>,
    unread: Vec<JsonUnread<'a>>,
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    id: &'a str,
    title: Option<&'a str>,
    number: Option<&'a str>,
    issued: Option<&'a str>,
    period: Option<[i32; 2]>,
    baseline: Option<i32>,
}

#[derive(Serialize)]
struct JsonTarget<'a> {
    indicator: &'a str,
    comparator: &'a str,
    value: &'a str,
    year: Option<i32>,
    binding: bool,
    section: Option<&'a str>,
    owner: Option<&'a str>,
    sentence: &'a str,
    offset: usize,
    rule: &'a str,
}

#[derive(Serialize)]
struct JsonUnread<'a> {
    section: Option<&'a str>,
    sentence: &'a str,
    offset: usize,
}

/// A name starting with a digit (`15-20分钟医疗服务圈行政村`) is written in
/// 「…」 in the sentence too, as the phrasing asks, where the document has it
/// bare.
fn digit_names_quoted(text: &str, indicators: &[Indicator]) -> String {
    let mut text = text.to_string();
    for indicator in indicators {
        let name = &indicator.name;
        let quoted = format!("「{name}」");
        if !name.starts_with(|c: char| c.is_ascii_digit()) || text.contains(&quoted) {
            continue;
        }
        if let Some(at) = text.find(name.as_str()) {
            let before = text[..at].chars().next_back();
            if !before.is_some_and(|c| c.is_ascii_digit() || c == '.' || c == '-') {
                text.replace_range(at..at + name.len(), &quoted);
            }
        }
    }
    text
}

/// The draft as the JSON of `--format json`.
pub fn json(document: &Document, found: &[Found], unread: &[Unread]) -> String {
    let json = Json {
        schema: 1,
        document: JsonDocument {
            id: &document.id,
            title: document.title.as_deref(),
            number: document.number.as_deref(),
            issued: document.issued.as_deref(),
            period: document.period.map(|(a, b)| [a, b]),
            baseline: document.baseline,
        },
        targets: found
            .iter()
            .flat_map(|found| {
                found.targets.iter().map(move |target| JsonTarget {
                    indicator: &target.indicator,
                    comparator: &target.comparator,
                    value: &target.value,
                    year: target.year,
                    binding: target.binding,
                    section: found.section.as_deref(),
                    owner: found.owner.as_deref(),
                    sentence: &found.sentence,
                    offset: found.offset,
                    rule: &found.text,
                })
            })
            .collect(),
        unread: unread
            .iter()
            .map(|unread| JsonUnread {
                section: unread.section.as_deref(),
                sentence: &unread.sentence,
                offset: unread.offset,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&json).unwrap_or_default()
}
