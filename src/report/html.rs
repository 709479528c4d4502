//! The HTML report: one self-contained page (styles, charts and a small
//! script inline; no fonts, images or scripts fetched, since government
//! networks are often isolated) that reads and prints without the script.
//! A summary by status, then groups (`--group-by`, by document unless
//! given), each rule a card with its chart and one table row per outcome.
//! The script only adds filtering by status and a search box.

use std::fmt::Write;

use super::chart::rule_chart;
use super::escape;
use super::group::{grouped, GroupBy};
use super::words::Lang;
use crate::report::outcome::{Outcome, Report, Status};

const STYLE: &str = r#"
:root { --fail:#b91c1c; --error:#9a3412; --missing:#7e22ce; --pending:#a16207; --pass:#15803d; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
       margin: 0 auto; max-width: 1100px; padding: 24px; color: #1f2937; line-height: 1.45; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
.meta { color: #6b7280; margin: 0 0 16px; }
.summary { display: flex; gap: 10px; flex-wrap: wrap; margin-bottom: 16px; }
.card { border: 1px solid #e5e7eb; border-left: 6px solid; border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.card b { display: block; font-size: 1.6em; }
.filters { display: flex; gap: 12px; flex-wrap: wrap; align-items: center; padding: 8px 0 16px; }
.filters input[type=search] { padding: 4px 8px; min-width: 220px; }
section.group > h2 { font-size: 1.25em; border-bottom: 2px solid #1f2937; padding-bottom: 4px; margin-top: 28px; }
article.rule { border: 1px solid #e5e7eb; border-radius: 6px; padding: 10px 14px; margin: 12px 0; break-inside: avoid; }
article.rule h3 { font-size: 1.05em; margin: 0 0 2px; }
.about { color: #6b7280; font-size: .85em; margin: 0 0 6px; }
.body { display: flex; gap: 14px; align-items: flex-start; flex-wrap: wrap; }
.body table { flex: 1 1 420px; }
table { border-collapse: collapse; font-size: .9em; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #f3f4f6; vertical-align: top; }
th { color: #6b7280; font-weight: normal; white-space: nowrap; }
td:nth-child(2) { white-space: nowrap; }
.status { font-weight: bold; white-space: nowrap; }
.status small { font-weight: normal; font-size: .75em; opacity: .8; }
.s-fail { color: var(--fail); border-color: var(--fail); }
.s-error { color: var(--error); border-color: var(--error); }
.s-missing { color: var(--missing); border-color: var(--missing); }
.s-pending { color: var(--pending); border-color: var(--pending); }
.s-pass { color: var(--pass); border-color: var(--pass); }
.chart .tick, .chart .legend, .chart .target-label { font-size: 10px; fill: #4b5563; }
.chart .target-label { fill: #b91c1c; }
.detail { color: #6b7280; font-size: .85em; }
[hidden] { display: none !important; }
@media print {
  body { padding: 0; max-width: none; }
  .filters { display: none !important; }
  section.group > h2 { break-after: avoid; }
}
"#;

const SCRIPT: &str = r#"
(function () {
  var bar = document.querySelector('.filters');
  bar.hidden = false;
  var boxes = bar.querySelectorAll('input[type=checkbox]');
  var search = bar.querySelector('input[type=search]');
  function apply() {
    var on = {};
    boxes.forEach(function (box) { on[box.value] = box.checked; });
    var words = search.value.trim().toLowerCase();
    var shown = 0;
    document.querySelectorAll('tr.outcome').forEach(function (row) {
      var visible = on[row.dataset.status] && (!words || row.dataset.search.indexOf(words) >= 0);
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    document.querySelectorAll('article.rule').forEach(function (rule) {
      rule.hidden = !rule.querySelector('tr.outcome:not([hidden])');
    });
    document.querySelectorAll('section.group').forEach(function (group) {
      group.hidden = !group.querySelector('article.rule:not([hidden])');
    });
    document.getElementById('shown').textContent = shown;
  }
  boxes.forEach(function (box) { box.addEventListener('change', apply); });
  search.addEventListener('input', apply);
})();
"#;

/// The whole page.
///
/// ```
/// use zhibiao::{data::Dataset, CheckOptions};
///
/// let program = zhibiao::compile("scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2024\n", "a.rules").unwrap();
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,指标,值\n日照市,2023,县域就诊率,89.5\n日照市,2024,县域就诊率,88.6\n").unwrap();
/// let report = program.check(&data, &CheckOptions::default());
/// let outcomes: Vec<_> = report.outcomes.iter().collect();
/// let page = zhibiao::report::html::render(&report, &outcomes, None);
/// assert!(page.starts_with("<!DOCTYPE html>") && page.contains("88.6%"));
/// ```
pub fn render(report: &Report, outcomes: &[&Outcome], group_by: Option<GroupBy>) -> String {
    let group_by = group_by.or(Some(GroupBy::Document));
    let mut page = String::new();
    let as_of = report
        .as_of
        .map(|year| format!("截至 {year} 年 <small>as of {year}</small>"))
        .unwrap_or_default();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>指标检查报告</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>指标检查报告 <small>target check</small></h1>\n<p class=\"meta\">{as_of} · 共 {} 项结果 <small>outcomes</small></p>\n",
        report.summary.total()
    );
    summary(&mut page, report);
    filters(&mut page, outcomes.len());
    for (key, members) in grouped(outcomes, group_by) {
        let _ = write!(
            page,
            "<section class=\"group\">\n<h2>{}</h2>\n",
            escape(&key)
        );
        for rule in by_rule(&members) {
            rule_card(&mut page, &rule);
        }
        page.push_str("</section>\n");
    }
    let _ = write!(page, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    page
}

fn summary(page: &mut String, report: &Report) {
    page.push_str("<div class=\"summary\">");
    for status in Status::ALL {
        let _ = write!(
            page,
            "<div class=\"card s-{}\"><b>{}</b>{}</div>",
            status.name(),
            report.summary.of(status),
            status_label(status)
        );
    }
    page.push_str("</div>\n");
    if report.summary.expected_failures > 0 {
        let _ = writeln!(
            page,
            "<p class=\"meta\">其中 {} 项未达标为预期性指标 <small>expected targets</small></p>",
            report.summary.expected_failures
        );
    }
}

fn filters(page: &mut String, listed: usize) {
    page.push_str("<div class=\"filters\" hidden>");
    for status in Status::ALL {
        let _ = write!(
            page,
            "<label><input type=\"checkbox\" value=\"{}\" checked> {}</label>",
            status.name(),
            status_label(status)
        );
    }
    let _ = writeln!(
        page,
        "<input type=\"search\" placeholder=\"搜索 search\" aria-label=\"search\">\
         <span>显示 <b id=\"shown\">{listed}</b> 项 <small>shown</small></span></div>"
    );
}

/// `未达标 <small>fail</small>`.
fn status_label(status: Status) -> String {
    format!(
        "<span class=\"status s-{}\">{} <small>{}</small></span>",
        status.name(),
        status.chinese(),
        status.name()
    )
}

/// A group's outcomes by rule, rules in order of first appearance.
fn by_rule<'a>(members: &[&'a Outcome]) -> Vec<Vec<&'a Outcome>> {
    let mut rules: indexmap::IndexMap<(&str, usize), Vec<&'a Outcome>> = indexmap::IndexMap::new();
    for outcome in members {
        rules
            .entry((outcome.rule.file.as_str(), outcome.rule.line))
            .or_default()
            .push(outcome);
    }
    rules.into_values().collect()
}

fn rule_card(page: &mut String, outcomes: &[&Outcome]) {
    let rule = &outcomes[0].rule;
    let mut about = Vec::new();
    if let Some(source) = &rule.source {
        about.push(format!("条款 {}", escape(source)));
    }
    if let Some(owner) = &rule.owner {
        about.push(format!("责任单位 {}", escape(owner)));
    }
    if let Some(document) = &rule.document {
        about.push(escape(document));
    }
    about.push(if rule.binding {
        "约束性 <small>binding</small>".to_string()
    } else {
        "预期性 <small>expected</small>".to_string()
    });
    about.push(format!("{}:{}", escape(&rule.file), rule.line));
    let _ = write!(
        page,
        "<article class=\"rule\" data-rule=\"{}:{}\">\n<h3>{}</h3>\n<p class=\"about\">{}</p>\n<div class=\"body\">",
        escape(&rule.file),
        rule.line,
        escape(&rule.name),
        about.join(" · ")
    );
    if let Some(chart) = rule_chart(outcomes) {
        page.push_str(&chart);
    }
    let lang = Lang::Zh;
    page.push_str("<table><thead><tr>");
    for column in [0, 2, 3, 4, 5] {
        let _ = write!(page, "<th>{}</th>", lang.column(column));
    }
    page.push_str("</tr></thead><tbody>\n");
    for outcome in outcomes {
        let [_, entity, actual, target, note, _] = lang.cells(outcome);
        let search = format!(
            "{} {} {} {} {}",
            rule.name,
            entity,
            rule.owner.as_deref().unwrap_or(""),
            rule.source.as_deref().unwrap_or(""),
            note
        )
        .to_lowercase();
        let detail = match (
            &outcome.detail,
            outcome.gap.is_some() || outcome.progress.is_some(),
        ) {
            (Some(detail), true) => format!("<div class=\"detail\">{}</div>", escape(detail)),
            _ => String::new(),
        };
        let _ = writeln!(
            page,
            "<tr class=\"outcome\" data-status=\"{}\" data-search=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{detail}</td></tr>",
            outcome.status.name(),
            escape(&search),
            status_label(outcome.status),
            escape(&entity),
            escape(&actual),
            escape(&target),
            escape(&note),
        );
    }
    page.push_str("</tbody></table></div>\n</article>\n");
}
