//! The terminal table of outcomes: worst first, grouped if asked, with a
//! summary line of counts. CJK text is aligned by display width; on a
//! terminal the table fits its width by wrapping the rule text.

use std::fmt::Write;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::diagnostics::Style;
use super::group::{grouped, GroupBy};
use super::words::Lang;
use crate::report::outcome::{Outcome, Report, Status, Summary};

/// What the table shows. See [`render`] for an example.
#[derive(Debug, Clone)]
pub struct TableOptions {
    /// Colour or not.
    pub style: Style,
    /// Group headings, if any.
    pub group_by: Option<GroupBy>,
    /// Rows shown at most; the rest are summarised in one line.
    pub limit: usize,
    /// The width to fit (a terminal's); `None` gives every column its
    /// full width, as in a file.
    pub width: Option<usize>,
    /// The language of the words.
    pub lang: Lang,
}

/// A row: the headings above it, its status and its cells.
type Row = (Vec<String>, Status, [String; 6]);

const INFERRED: &str =
    "── 推断 inferred: readings of aims the document gives no figure for; they never fail a run";

/// The rule column is never narrower than this when fitting a width.
const RULE_MIN: usize = 16;
/// Columns of values (actual, gap/progress) that may wrap between the
/// figures of a series (`2023: 2.9% → 2024: 2.8%`) but never inside one.
const WRAPPED: [usize; 2] = [3, 5];

/// Narrows the columns to fit `limit`: first the value columns down to
/// their longest unbreakable figure, then the rule text down to
/// [`RULE_MIN`]. Other columns keep their width, so a value is never cut.
fn fit(widths: &mut [usize], rows: &[Row], limit: usize) {
    let total = |widths: &[usize]| widths.iter().sum::<usize>() + widths.len() - 1;
    for at in WRAPPED {
        let excess = total(widths).saturating_sub(limit);
        if excess == 0 {
            return;
        }
        let least = rows
            .iter()
            .flat_map(|(_, _, cells)| pieces(&cells[at - 1]))
            .map(|piece| piece.trim_end().width())
            .max()
            .unwrap_or(0);
        widths[at] = widths[at]
            .saturating_sub(excess)
            .max(least)
            .max(8)
            .min(widths[at]);
    }
    let excess = total(widths).saturating_sub(limit);
    widths[1] = widths[1]
        .saturating_sub(excess)
        .max(RULE_MIN.min(widths[1]));
}

/// A value's unbreakable pieces: a line may end after `→ ` or `; `, not
/// inside `2023→2024`.
fn pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (at, _) in text.match_indices(' ') {
        if text[..at].ends_with(['→', ';']) {
            pieces.push(&text[start..=at]);
            start = at + 1;
        }
    }
    pieces.push(&text[start..]);
    pieces.retain(|piece| !piece.is_empty());
    pieces
}

/// A value in lines of at most `width` columns, broken only between its
/// pieces; a piece wider than that stays whole.
fn wrap_at_breaks(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for piece in pieces(text) {
        if !current.is_empty() && (current.clone() + piece).trim_end().width() > width {
            lines.push(current.trim_end().to_string());
            current.clear();
        }
        current.push_str(piece);
    }
    lines.push(current.trim_end().to_string());
    lines
}

/// Renders the outcomes (already filtered) and the report's summary.
/// Columns are as wide as their widest cell; to fit a width the rule text
/// wraps onto more lines. Values, targets and gaps are never cut.
///
/// ```
/// use zhibiao::{data::Dataset, CheckOptions};
/// use zhibiao::report::{diagnostics::Style, table::TableOptions, words::Lang};
///
/// let program = zhibiao::compile("scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2024\n", "a.rules").unwrap();
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,指标,值\n日照市,2023,县域就诊率,89.5\n日照市,2024,县域就诊率,88.6\n").unwrap();
/// let report = program.check(&data, &CheckOptions::default());
/// let outcomes: Vec<_> = report.outcomes.iter().collect();
/// let options = TableOptions { style: Style::Plain, group_by: None, limit: 50, width: Some(80), lang: Lang::En };
/// let table = zhibiao::report::table::render(&report, &outcomes, &options);
/// assert!(table.starts_with("status"));
/// assert!(table.contains("88.6%") && table.contains("short by 1.4 pp"));
/// ```
pub fn render(report: &Report, outcomes: &[&Outcome], options: &TableOptions) -> String {
    let mut out = String::new();
    let lang = options.lang;
    // Inferred targets come last, apart: the document does not state them.
    let (stated, inferred): (Vec<&Outcome>, Vec<&Outcome>) = outcomes
        .iter()
        .partition(|outcome| !outcome.rule.inferred());
    let mut ordered: Vec<(Vec<String>, &Outcome)> = Vec::new();
    for (part, members) in [(false, stated), (true, inferred)] {
        for (group_index, (key, members)) in
            grouped(&members, options.group_by).into_iter().enumerate()
        {
            for (index, outcome) in members.into_iter().enumerate() {
                let mut headings = Vec::new();
                if part && group_index == 0 && index == 0 {
                    headings.push(INFERRED.to_string());
                }
                if options.group_by.is_some() && index == 0 {
                    headings.push(format!("── {key}"));
                }
                ordered.push((headings, outcome));
            }
        }
    }
    let listed = ordered.len();
    let shown = listed.min(options.limit);
    let rows: Vec<Row> = ordered[..shown]
        .iter()
        .map(|(headings, outcome)| (headings.clone(), outcome.status, lang.cells(outcome)))
        .collect();
    let mut widths: Vec<usize> = (0..7).map(|at| lang.column(at).width()).collect();
    for (_, status, cells) in &rows {
        widths[0] = widths[0].max(lang.status(*status).width());
        for (at, cell) in cells.iter().enumerate() {
            widths[at + 1] = widths[at + 1].max(cell.width());
        }
    }
    if let Some(limit) = options.width {
        fit(&mut widths, &rows, limit);
    }
    let heading: Vec<String> = (0..7).map(|at| lang.column(at).to_string()).collect();
    let _ = writeln!(
        out,
        "{}",
        paint(&line(&heading, &widths), "1", options.style)
    );
    for (group, status, cells) in &rows {
        for heading in group {
            let _ = writeln!(out, "\n{}", paint(heading, "1", options.style));
        }
        let mut columns: Vec<Vec<String>> = vec![vec![lang.status(*status).to_string()]];
        for (at, cell) in cells.iter().enumerate() {
            columns.push(match at {
                0 => wrap(cell, widths[1]),
                _ if WRAPPED.contains(&(at + 1)) => wrap_at_breaks(cell, widths[at + 1]),
                _ => vec![cell.clone()],
            });
        }
        let height = columns.iter().map(Vec::len).max().unwrap_or(1);
        for index in 0..height {
            let row: Vec<String> = columns
                .iter()
                .map(|lines| lines.get(index).cloned().unwrap_or_default())
                .collect();
            let text = line(&row, &widths);
            let text = match (index, options.style) {
                (0, Style::Fancy) => {
                    let (first, rest) = split_at_width(&text, widths[0]);
                    format!("{}{rest}", paint(&first, colour(*status), options.style))
                }
                _ => text,
            };
            let _ = writeln!(out, "{text}");
        }
    }
    if shown < listed {
        let mut rest = Summary::default();
        for (_, outcome) in &ordered[shown..] {
            rest.count(outcome);
        }
        let _ = writeln!(
            out,
            "… {} more not shown ({}); `--format json` lists all",
            listed - shown,
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

/// Cells padded to their widths, one space apart, trailing space trimmed.
fn line(cells: &[String], widths: &[usize]) -> String {
    let padded: Vec<String> = cells
        .iter()
        .zip(widths)
        .map(|(cell, width)| pad(cell, *width))
        .collect();
    padded.join(" ").trim_end().to_string()
}

/// Splits text at a display width.
fn split_at_width(text: &str, width: usize) -> (String, String) {
    let mut used = 0;
    for (at, c) in text.char_indices() {
        if used >= width {
            return (text[..at].to_string(), text[at..].to_string());
        }
        used += c.width().unwrap_or(0);
    }
    (text.to_string(), String::new())
}

/// Text in lines of at most `width` columns, broken at a space when one is
/// near, else between characters (CJK text has no spaces).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines = Vec::new();
    let mut rest = text.trim();
    while rest.width() > width {
        let (head, _) = split_at_width(rest, width);
        let cut = match head.rfind(' ') {
            Some(space) if head[..space].width() * 2 >= width => space,
            _ => head.len(),
        };
        lines.push(rest[..cut].trim_end().to_string());
        rest = rest[cut..].trim_start();
    }
    lines.push(rest.to_string());
    lines
}

/// `3 未达标 fail, 12 达标 pass, …`, worst first, zeros left out.
///
/// ```
/// use zhibiao::{data::Dataset, CheckOptions};
///
/// let program = zhibiao::compile("scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2024\n", "a.rules").unwrap();
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,指标,值\n日照市,2023,县域就诊率,89.5\n日照市,2024,县域就诊率,88.6\n").unwrap();
/// let report = program.check(&data, &CheckOptions::default());
/// assert_eq!(zhibiao::report::table::counts(&report.summary), "1 未达标 fail");
/// ```
pub fn counts(summary: &Summary) -> String {
    let parts: Vec<String> = Status::ALL
        .into_iter()
        .map(|status| (status, summary.of(status)))
        .filter(|(_, count)| *count > 0)
        .map(|(status, count)| format!("{count} {} {}", status.chinese(), status.name()))
        .collect();
    if parts.is_empty() {
        "nothing checked".to_string()
    } else {
        let mut text = parts.join(", ");
        if summary.expected_failures > 0 {
            let _ = match summary.expected_failures {
                1 => write!(text, " (1 of the failures is an expected target)"),
                count => write!(text, " ({count} of the failures are expected targets)"),
            };
        }
        text
    }
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
///
/// ```
/// use zhibiao::report::table::{pad, truncate};
///
/// assert_eq!(pad("日照市", 8), "日照市  ");
/// assert_eq!(truncate("县域就诊率", 7), "县域就…");
/// ```
pub fn pad(text: &str, width: usize) -> String {
    let used = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// Cuts to a display width, marking the cut with `…`. See [`pad`] for an
/// example.
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

    #[test]
    fn values_wrap_between_figures_only() {
        assert_eq!(
            wrap_at_breaks("2023: 2.9% → 2024: 2.8% → 2025: —", 16),
            ["2023: 2.9% →", "2024: 2.8% →", "2025: —"]
        );
        assert_eq!(wrap_at_breaks("差 1.4 个百分点", 4), ["差 1.4 个百分点"]);
    }

    #[test]
    fn rule_text_wraps_at_spaces_or_between_characters() {
        assert_eq!(wrap("县域就诊率 >= 90%", 12), ["县域就诊率", ">= 90%"]);
        assert_eq!(wrap("县域就诊率保持", 8), ["县域就诊", "率保持"]);
        assert_eq!(wrap("abc", 8), ["abc"]);
    }
}
