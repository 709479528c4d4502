//! What the data covers of what the rules need: the part of every report
//! that says whether the check could see what it was asked to judge.
//!
//! A header typo (`县域就珍率`) leaves the rule without its data and the
//! data column without a reader; an entity named only as another's parent
//! has no rows; a file full of `暂无` has few values. Each of these is said
//! once here, as a warning (an error under `--strict`) and in the report.

use std::collections::{HashMap, HashSet};

use super::outcome::{AbsentIndicator, DataCoverage, EntityWithoutRows, Report, UnreadIndicator};
use crate::data::{DataSource, Dataset, IndicatorId};
use crate::diag::{closest, Code, Diagnostic};
use crate::ir::{Module, Program};

/// The coverage of a checked report, and one diagnostic per gap (errors
/// when `strict`).
///
/// ```
/// use zhibiao::{data::Dataset, CheckOptions};
///
/// let program = zhibiao::compile("scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2024\n", "a.rules").unwrap();
/// // A typo in the header: 县域就珍率.
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,县域就珍率\n日照市,2024,91\n").unwrap();
/// let report = program.check(&data, &CheckOptions::default());
/// let (coverage, warnings) = zhibiao::coverage(&program, &data, &report, false);
/// assert_eq!(coverage.absent_indicators[0].did_you_mean.as_deref(), Some("县域就珍率"));
/// assert_eq!(coverage.unread_indicators[0].indicator, "县域就珍率");
/// assert!(!coverage.is_complete() && warnings.iter().all(|warning| !warning.is_error()));
/// let (_, errors) = zhibiao::coverage(&program, &data, &report, true);
/// assert!(errors.iter().all(|error| error.is_error()));
/// ```
pub fn coverage(
    program: &Program,
    data: &Dataset,
    report: &Report,
    strict: bool,
) -> (DataCoverage, Vec<Diagnostic>) {
    let mut found = Finder {
        program,
        data,
        strict,
        coverage: DataCoverage {
            missing_markers: data.missing_markers().to_vec(),
            ..DataCoverage::default()
        },
        diagnostics: Vec::new(),
    };
    found.absent(report);
    found.unread();
    found.without_rows(report);
    (found.coverage, found.diagnostics)
}

struct Finder<'a> {
    program: &'a Program,
    data: &'a Dataset,
    strict: bool,
    coverage: DataCoverage,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Finder<'a> {
    fn diagnostic(
        &self,
        source: &std::sync::Arc<crate::diag::SourceFile>,
        code: Code,
        span: std::ops::Range<usize>,
        message: String,
        label: &str,
    ) -> Diagnostic {
        if self.strict {
            Diagnostic::error(source, code, span, message, label)
        } else {
            Diagnostic::warning(source, code, span, message, label)
        }
    }

    /// The rule of an outcome: its module and span.
    fn rules(&self) -> HashMap<(&'a str, usize), (&'a Module, std::ops::Range<usize>)> {
        let program: &'a Program = self.program;
        let mut rules = HashMap::new();
        for module in &program.modules {
            for rule in &module.rules {
                let line = module.source.line_col(rule.span.start).0;
                rules.insert((module.source.name(), line), (module, rule.span.clone()));
            }
        }
        rules
    }

    fn absent(&mut self, report: &Report) {
        let rules = self.rules();
        let mut seen = HashSet::new();
        for outcome in &report.outcomes {
            let Some((module, span)) = rules.get(&(outcome.rule.file.as_str(), outcome.rule.line))
            else {
                continue;
            };
            for gap in &outcome.missing {
                let Some(info) = module
                    .indicators
                    .iter()
                    .find(|info| info.name == gap.indicator)
                else {
                    continue;
                };
                let in_data = std::iter::once(&info.name)
                    .chain(&info.aliases)
                    .any(|name| self.data.find_indicator(name).is_some());
                if in_data || !seen.insert(info.name.clone()) {
                    continue;
                }
                let near = closest(&info.name, self.data.indicator_names()).map(str::to_string);
                let help = match &near {
                    Some(near) => format!(
                        "the data has `{near}`: correct the data's name, or add `aka {near}` to the declaration"
                    ),
                    None => format!(
                        "add `{}` to the data, or name the data's column with `aka` in the declaration",
                        info.name
                    ),
                };
                let diagnostic = self
                    .diagnostic(
                        &module.source,
                        Code::CoverageAbsentIndicator,
                        span.clone(),
                        format!("no data file has `{}`, which this rule reads", info.name),
                        "cannot be judged without it",
                    )
                    .with_help(help);
                self.diagnostics.push(diagnostic);
                self.coverage.absent_indicators.push(AbsentIndicator {
                    indicator: info.name.clone(),
                    rule: format!("{}:{}", outcome.rule.file, outcome.rule.line),
                    did_you_mean: near,
                });
            }
        }
    }

    fn unread(&mut self) {
        let declared: Vec<&str> = self
            .program
            .modules
            .iter()
            .flat_map(|module| &module.indicators)
            .flat_map(|info| std::iter::once(&info.name).chain(&info.aliases))
            .map(String::as_str)
            .collect();
        let names: Vec<&str> = self.data.indicator_names().collect();
        for (at, name) in names.into_iter().enumerate() {
            if declared.contains(&name) {
                continue;
            }
            let near = closest(name, declared.iter().copied()).map(str::to_string);
            let id = IndicatorId(at as u32);
            let origin = self.data.origin(id).unwrap_or("").to_string();
            if let Some((source, span)) = self.data.indicator_place(id) {
                let help = match &near {
                    Some(near) => format!("did you mean `{near}`? correct the name in the data"),
                    None => "declare it in a rule file (`indicator NAME: UNIT`) if a rule should read it, or leave it out of the data".to_string(),
                };
                let diagnostic = self
                    .diagnostic(
                        source,
                        Code::CoverageUnreadIndicator,
                        span,
                        format!("no rule reads the data's `{name}`"),
                        "not a declared indicator",
                    )
                    .with_help(help);
                self.diagnostics.push(diagnostic);
            }
            self.coverage.unread_indicators.push(UnreadIndicator {
                indicator: name.to_string(),
                origin,
                did_you_mean: near,
            });
        }
    }

    fn without_rows(&mut self, report: &Report) {
        let rules = self.rules();
        let mut seen = HashSet::new();
        for outcome in &report.outcomes {
            if outcome.entity.is_empty() || !seen.insert(outcome.entity.clone()) {
                continue;
            }
            let entity = self.data.find_entity(&outcome.entity);
            if entity.is_some_and(|entity| self.data.has_rows(entity)) {
                continue;
            }
            let Some((module, span)) = rules.get(&(outcome.rule.file.as_str(), outcome.rule.line))
            else {
                continue;
            };
            let (message, help) = match entity {
                Some(_) => (
                    format!(
                        "`{}` is in this rule's scope but has no rows in the data, only children",
                        outcome.entity
                    ),
                    "add its own rows, or check the rule for its children (`for each 下级`)",
                ),
                None => (
                    format!(
                        "`{}` is in this rule's scope but not in the data",
                        outcome.entity
                    ),
                    "load the data of this region, or correct the name in `scope` or `for`",
                ),
            };
            let diagnostic = self
                .diagnostic(
                    &module.source,
                    Code::CoverageEntityWithoutRows,
                    span.clone(),
                    message,
                    "checked here",
                )
                .with_help(help);
            self.diagnostics.push(diagnostic);
            self.coverage.entities_without_rows.push(EntityWithoutRows {
                entity: outcome.entity.clone(),
                rule: format!("{}:{}", outcome.rule.file, outcome.rule.line),
                in_data: entity.is_some(),
            });
        }
    }
}
