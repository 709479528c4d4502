//! The Markdown report, for wikis and 简报: the summary by status, then one
//! table per group (`--group-by`) with a row per outcome.

use std::fmt::Write;

use super::group::{grouped, GroupBy};
use super::table::counts;
use super::words::Lang;
use crate::report::outcome::{Outcome, Report};

/// The whole report as Markdown.
///
/// ```
/// use zhibiao::{data::Dataset, CheckOptions};
/// use zhibiao::report::words::Lang;
///
/// let program = zhibiao::compile("scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2024\n", "a.rules").unwrap();
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,指标,值\n日照市,2023,县域就诊率,89.5\n日照市,2024,县域就诊率,88.6\n").unwrap();
/// let report = program.check(&data, &CheckOptions::default());
/// let outcomes: Vec<_> = report.outcomes.iter().collect();
/// let markdown = zhibiao::report::markdown::render(&report, &outcomes, None, Lang::En);
/// assert!(markdown.starts_with("# Target check\n"));
/// assert!(markdown.contains("88.6%"));
/// ```
pub fn render(
    report: &Report,
    outcomes: &[&Outcome],
    group_by: Option<GroupBy>,
    lang: Lang,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", lang.pick("指标检查报告", "Target check"));
    let as_of = report
        .as_of
        .map(|year| format!("{} {year}: ", lang.pick("截至", "as of")))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{as_of}{} {}, {}\n",
        report.summary.total(),
        lang.pick("项结果", "outcomes"),
        counts(&report.summary)
    );
    for (key, members) in grouped(outcomes, group_by) {
        if group_by.is_some() {
            let _ = writeln!(out, "## {}\n", cell(&key));
        }
        let headings: Vec<&str> = (0..7).map(|at| lang.column(at)).collect();
        let _ = writeln!(out, "| {} |", headings.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(headings.len()));
        for outcome in members {
            let mut cells = vec![lang.status(outcome.status).to_string()];
            cells.extend(lang.cells(outcome).iter().map(|text| cell(text)));
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
    out
}

/// A table cell: `|` escaped and line breaks as spaces.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}
