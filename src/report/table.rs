//! The terminal table of outcomes: worst first, grouped if asked, with a
//! summary line of counts. CJK text is aligned by display width.

use std::fmt::Write;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::diagnostics::Style;
use crate::eval::outcome::{Outcome, Report, Status, Summary};

/// How outcomes are grouped in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// One group per rule.
    Rule,
    /// One group per entity.
    Entity,
    /// One group per responsible unit.
    Owner,
    /// One group per document.
    Document,
}

/// What the table shows.
#[derive(Debug, Clone)]
pub struct TableOptions {
    /// Colour or not.
    pub style: Style,
    /// Group headings, if any.
    pub group_by: Option<GroupBy>,
    /// Rows shown at most; the rest are summarised in one line.
    pub limit: usize,
}

const HEADERS: [&str; 7] = ["状态", "规则", "地区", "实际", "目标", "差距/进度", "来源"];
const WIDTHS: [usize; 7] = [8, 36, 10, 14, 16, 24, 12];

/// Renders the outcomes (already filtered) and the report's summary.
pub fn render(report: &Report, outcomes: &[&Outcome], options: &TableOptions) -> String {
    let mut out = String::new();
    let mut sorted: Vec<&Outcome> = outcomes.to_vec();
    // Groups in order of first appearance (the rule files' order), worst
    // outcomes first within each.
    let mut groups: indexmap::IndexMap<String, usize> = indexmap::IndexMap::new();
    for outcome in outcomes {
        let next = groups.len();
        groups
            .entry(group_key(outcome, options.group_by))
            .or_insert(next);
    }
    // Inferred targets come last, apart: the document does not state them.
    sorted.sort_by_cached_key(|outcome| {
        let key = group_key(outcome, options.group_by);
        (
            outcome.rule.inferred(),
            groups.get(&key).copied(),
            outcome.status,
        )
    });
    let shown = sorted.len().min(options.limit);
    let mut group: Option<String> = None;
    header(&mut out, options.style);
    let mut apart = false;
    for outcome in &sorted[..shown] {
        if outcome.rule.inferred() && !apart {
            apart = true;
            group = None;
            let _ = writeln!(
                out,
                "\n{}",
                paint(
                    "── 推断 inferred: readings of aims the document gives no figure for; they never fail a run",
                    "1",
                    options.style
                )
            );
        }
        if options.group_by.is_some() {
            let key = group_key(outcome, options.group_by);
            if group.as_ref() != Some(&key) {
                let _ = writeln!(out, "\n{}", paint(&format!("── {key}"), "1", options.style));
                group = Some(key);
            }
        }
        row(&mut out, outcome, options.style);
    }
    if shown < sorted.len() {
        let mut rest = Summary::default();
        for outcome in &sorted[shown..] {
            rest.count(outcome);
        }
        let _ = writeln!(
            out,
            "… {} more not shown ({}); `--format json` lists all",
            sorted.len() - shown,
            counts(&rest)
        );
    }
    let as_of = report
        .as_of
        .map(|year| format!(" as of {year}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\n{} outcomes{as_of}: {}",
        report.summary.total(),
        counts(&report.summary)
    );
    if let Some(verdict) = &report.verdict {
        let _ = writeln!(out, "exit {}: {}", verdict.exit, verdict.reason);
    }
    if outcomes.len() != report.outcomes.len() {
        let _ = writeln!(out, "({} shown after filters)", outcomes.len());
    }
    if let Some(coverage) = &report.data_coverage {
        out.push_str(&super::coverage::render(coverage));
    }
    out
}

fn group_key(outcome: &Outcome, group_by: Option<GroupBy>) -> String {
    match group_by {
        None => String::new(),
        Some(GroupBy::Rule) => format!(
            "{} ({}:{})",
            outcome.rule.name, outcome.rule.file, outcome.rule.line
        ),
        Some(GroupBy::Entity) => outcome.entity.clone(),
        Some(GroupBy::Owner) => outcome
            .rule
            .owner
            .clone()
            .unwrap_or_else(|| "(no owner)".to_string()),
        Some(GroupBy::Document) => outcome
            .rule
            .document
            .clone()
            .unwrap_or_else(|| outcome.rule.file.clone()),
    }
}

/// `3 未达标 fail, 12 达标 pass, …`, worst first, zeros left out.
pub fn counts(summary: &Summary) -> String {
    let parts: Vec<String> = Status::ALL
        .into_iter()
        .map(|status| {
            let count = match status {
                Status::Pass => summary.pass,
                Status::Fail => summary.fail,
                Status::Pending => summary.pending,
                Status::Missing => summary.missing,
                Status::Error => summary.error,
            };
            (status, count)
        })
        .filter(|(_, count)| *count > 0)
        .map(|(status, count)| format!("{count} {} {}", status.chinese(), status.name()))
        .collect();
    if parts.is_empty() {
        "nothing checked".to_string()
    } else {
        let mut text = parts.join(", ");
        if summary.inferred_failures > 0 {
            let _ = match summary.inferred_failures {
                1 => write!(text, " (1 of the failures is an inferred target)"),
                count => write!(text, " ({count} of the failures are inferred targets)"),
            };
        }
        if summary.expected_failures > 0 {
            let _ = match summary.expected_failures {
                1 => write!(text, " (1 of the failures is an expected target)"),
                count => write!(text, " ({count} of the failures are expected targets)"),
            };
        }
        text
    }
}

fn header(out: &mut String, style: Style) {
    let cells: Vec<String> = HEADERS
        .iter()
        .zip(WIDTHS)
        .map(|(text, width)| pad(text, width))
        .collect();
    let _ = writeln!(out, "{}", paint(cells.join(" ").trim_end(), "1", style));
}

fn row(out: &mut String, outcome: &Outcome, style: Style) {
    let status = pad(outcome.status.chinese(), WIDTHS[0]);
    let status = paint(&status, colour(outcome.status), style);
    let mut rule = outcome.rule.name.clone();
    if !outcome.rule.binding {
        rule.push_str(" (预期)");
    }
    let note = match (&outcome.gap, &outcome.progress, &outcome.detail) {
        (Some(gap), _, _) => gap.clone(),
        (None, Some(progress), _) => format!("{} {}", progress.category_zh, progress.category_en),
        (None, None, Some(detail)) if outcome.status != Status::Pass => detail.clone(),
        _ => String::new(),
    };
    let cells = [
        rule,
        outcome.entity.clone(),
        outcome.actual.clone().unwrap_or_else(|| "—".to_string()),
        outcome.target.clone().unwrap_or_default(),
        note,
        outcome.rule.source.clone().unwrap_or_default(),
    ];
    let mut line = status;
    for (cell, width) in cells.iter().zip(&WIDTHS[1..]) {
        line.push(' ');
        line.push_str(&pad(&truncate(cell, *width), *width));
    }
    let _ = writeln!(out, "{}", line.trim_end());
}

fn colour(status: Status) -> &'static str {
    match status {
        Status::Pass => "32",
        Status::Fail | Status::Error => "31",
        Status::Pending => "33",
        Status::Missing => "35",
    }
}

fn paint(text: &str, code: &str, style: Style) -> String {
    match style {
        Style::Fancy => format!("\u{1b}[{code}m{text}\u{1b}[0m"),
        Style::Plain => text.to_string(),
    }
}

/// Pads to a display width (CJK characters are two columns).
pub fn pad(text: &str, width: usize) -> String {
    let used = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// Cuts to a display width, marking the cut with `…`.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_and_truncates_by_display_width() {
        assert_eq!(pad("达标", 6), "达标  ");
        assert_eq!(truncate("县域就诊率保持在九十", 9), "县域就诊…");
        assert_eq!(truncate("abc", 9), "abc");
    }
}
