//! The data-coverage section of the terminal report: what the rules read
//! that the data lacks, what the data has that no rule reads, entities
//! without rows, and the cells read as missing, file by file.

use std::fmt::Write;

use crate::report::outcome::DataCoverage;

/// The section, one line per finding; says so when the data covers all.
///
/// ```
/// use zhibiao::{data::Dataset, CheckOptions};
///
/// let program = zhibiao::compile("scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2024\n", "a.rules").unwrap();
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,县域就珍率\n日照市,2024,91\n").unwrap();
/// let report = program.check(&data, &CheckOptions::default());
/// let (coverage, _) = zhibiao::coverage(&program, &data, &report, false);
/// let section = zhibiao::report::coverage::render(&coverage);
/// assert!(section.contains("rules read `县域就诊率`, which no data file has"));
/// ```
pub fn render(coverage: &DataCoverage) -> String {
    let mut out = String::from("\n数据覆盖 data coverage\n");
    if coverage.is_complete() {
        out.push_str("  every indicator and entity the rules read is in the data\n");
    }
    for absent in &coverage.absent_indicators {
        let near = absent
            .did_you_mean
            .as_ref()
            .map(|near| format!("; the data has `{near}`"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  rules read `{}`, which no data file has ({}{near})",
            absent.indicator, absent.rule
        );
    }
    for unread in &coverage.unread_indicators {
        let near = unread
            .did_you_mean
            .as_ref()
            .map(|near| format!("; did you mean `{near}`?"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  no rule reads `{}` ({}{near})",
            unread.indicator, unread.origin
        );
    }
    for entity in &coverage.entities_without_rows {
        let what = if entity.in_data {
            "has no rows of its own"
        } else {
            "is not in the data"
        };
        let _ = writeln!(out, "  `{}` {what} ({})", entity.entity, entity.rule);
    }
    let mut files: Vec<&str> = Vec::new();
    for count in &coverage.missing_markers {
        if !files.contains(&count.file.as_str()) {
            files.push(&count.file);
        }
    }
    for file in files {
        let counts: Vec<String> = coverage
            .missing_markers
            .iter()
            .filter(|count| count.file == file)
            .map(|count| match count.marker {
                "" => format!("{} empty", count.count),
                marker => format!("{} `{marker}`", count.count),
            })
            .collect();
        let _ = writeln!(out, "  missing in {file}: {}", counts.join(", "));
    }
    out
}
