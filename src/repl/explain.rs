//! `:explain`: the values, years and arithmetic behind a rule's outcome.
//! Each judged year's condition is traced step by step with the values the
//! evaluator computes, then every value read from the data is listed.

use std::fmt::Write;

use crate::data::{DataSource, EntityId};
use crate::eval::{CheckOptions, Evaluator, Read, Truth, Unknown};
use crate::ir::{CondIr, Module, Program, RuleIr};
use crate::report::diagnostics::Style;
use crate::report::outcome::{Outcome, Status};
use crate::unit::{format_number, Unit};

use super::render::{paint, unknown};
use super::trace::{percent, Tracer};

/// Entities explained at most when no entity is named.
const ENTITY_LIMIT: usize = 10;

/// Evaluation steps one rule's explanation may take.
const EXPLAIN_BUDGET: u64 = 1_000_000;

/// Explains the rules of `program` (numbered `numbers`, as `:rules` shows
/// them) for one entity, or for each entity in their scope.
pub fn explain(
    program: &Program,
    numbers: &[usize],
    data: &dyn DataSource,
    entity: Option<EntityId>,
    options: &CheckOptions,
    style: Style,
) -> String {
    let as_of = options
        .as_of
        .or_else(|| data.year_range().map(|(_, last)| last))
        .unwrap_or(crate::eval::LATEST_YEAR);
    let mut out = String::new();
    for (rule, number) in program.rules().zip(numbers) {
        let (module, rule) = (rule.module, rule.rule);
        heading(&mut out, *number, module, rule, style);
        let mut evaluator = Evaluator::new(module, data, as_of);
        // Explaining records every value read and so remembers no
        // aggregate: a budget keeps a deeply nested rule from running on.
        evaluator.budget = EXPLAIN_BUDGET;
        evaluator.steps_left = EXPLAIN_BUDGET;
        let entities = match entity {
            Some(entity) => vec![entity],
            None => match crate::eval::scope_entities(&mut evaluator, &rule.scope) {
                Ok(entities) => entities,
                Err((_, why)) => {
                    let _ = writeln!(out, "  {why}");
                    continue;
                }
            },
        };
        if entities.is_empty() {
            let _ = writeln!(out, "  no entities in the rule's scope");
        }
        for &entity in entities.iter().take(ENTITY_LIMIT) {
            let evidence = crate::eval::judge(&mut evaluator, rule, entity, options);
            let outcome = crate::report::describe::outcome(module, rule, evidence);
            let mut tracer = Tracer {
                evaluator: &mut evaluator,
                as_of,
                out: String::new(),
            };
            tracer.outcome(rule, entity, &outcome, style);
            out.push_str(&tracer.out);
        }
        if entities.len() > ENTITY_LIMIT {
            let _ = writeln!(
                out,
                "… {} more entities: `:explain #{number} ENTITY` explains one",
                entities.len() - ENTITY_LIMIT
            );
        }
    }
    out
}

fn heading(out: &mut String, number: usize, module: &Module, rule: &RuleIr, style: Style) {
    let _ = writeln!(
        out,
        "{}",
        paint(&format!("#{number} {}", rule.text), "1", style)
    );
    let mut facts = vec![format!(
        "{}:{}",
        module.source.name(),
        module.source.line_col(rule.span.start).0
    )];
    facts.push(if rule.binding { "binding" } else { "expected" }.to_string());
    if let Some(source) = &rule.source {
        facts.push(format!("source {source}"));
    }
    if let Some(owner) = &rule.owner {
        facts.push(format!("owner {owner}"));
    }
    if let Some(document) = &rule.document {
        facts.push(format!("document {}", document.id));
    }
    let _ = writeln!(out, "{}", paint(&facts.join(" · "), "2", style));
    if let Some(reading) = sentence_reading(rule) {
        let _ = writeln!(out, "read as `{reading}`");
    }
}

/// What a sentence rule was read as, the way `fmt --to en` writes it: the
/// symbolic condition, its years, and `expected` where the sentence or a
/// clause said so.
fn sentence_reading(rule: &RuleIr) -> Option<String> {
    let mut reading = rule.symbolic.clone()?;
    if !matches!(rule.timing, crate::ir::Timing::Implicit { .. }) {
        let _ = write!(reading, " {}", rule.timing);
    }
    if !rule.binding {
        reading.push_str(" expected");
    }
    Some(reading)
}

impl Tracer<'_, '_> {
    fn outcome(&mut self, rule: &RuleIr, entity: EntityId, outcome: &Outcome, style: Style) {
        let status = paint(
            &format!("{} {}", outcome.status.chinese(), outcome.status.name()),
            match outcome.status {
                Status::Pass => "32",
                Status::Fail | Status::Error => "31",
                Status::Pending => "33",
                Status::Missing => "35",
            },
            style,
        );
        let detail = outcome
            .detail
            .as_ref()
            .map(|detail| format!(" — {detail}"))
            .unwrap_or_default();
        self.line(0, format!("{}: {status}{detail}", outcome.entity));
        self.evaluator.reads = Some(Vec::new());
        let (years, due) = crate::eval::judged_years(rule, self.as_of);
        let judged: Vec<i32> = years
            .iter()
            .copied()
            .filter(|year| *year <= self.as_of)
            .collect();
        // A trend reads its own span of years, whichever year judges it.
        let trend = matches!(rule.condition, CondIr::Trend { .. });
        if years.len() > 1 && !trend {
            self.line(
                1,
                format!(
                    "judged in every year {}–{}; each must hold",
                    years[0],
                    years[years.len() - 1]
                ),
            );
        }
        match judged.last() {
            Some(&year) if trend => {
                self.cond(&rule.condition, entity, year, 1);
            }
            _ => {
                for &year in &judged {
                    self.line(1, format!("in {year}:"));
                    self.cond(&rule.condition, entity, year, 2);
                }
            }
        }
        if judged.len() < years.len() {
            let later: Vec<String> = years
                .iter()
                .filter(|year| **year > self.as_of)
                .map(i32::to_string)
                .collect();
            self.line(
                1,
                format!(
                    "{}: after the as-of year {}, not judged yet",
                    later.join(", "),
                    self.as_of
                ),
            );
            if judged.is_empty() && self.as_of != crate::eval::LATEST_YEAR {
                let year = self.latest_known(&rule.condition, entity);
                self.line(1, format!("latest known, in {year}:"));
                self.cond(&rule.condition, entity, year, 2);
            }
        }
        let mut summary = Vec::new();
        if let Some(actual) = &outcome.actual {
            summary.push(format!("actual {actual}"));
        }
        if let Some(target) = &outcome.target {
            summary.push(format!("target {target}"));
        }
        if let Some(gap) = &outcome.gap {
            summary.push(gap.clone());
        }
        if !summary.is_empty() {
            self.line(1, summary.join(", "));
        }
        if let Some(progress) = &outcome.progress {
            self.progress(progress, due, rule);
        }
        let reads = self.evaluator.reads.take().unwrap_or_default();
        self.reads(reads);
    }

    /// The latest year up to the as-of year in which a condition can be
    /// judged, else the as-of year.
    fn latest_known(&mut self, cond: &CondIr, entity: EntityId) -> i32 {
        let first = self
            .evaluator
            .data
            .year_range()
            .map_or(self.as_of, |(first, _)| first);
        let reads = self.evaluator.reads.take();
        let year = (first..=self.as_of)
            .rev()
            .find(|year| {
                !matches!(
                    self.evaluator.cond(cond, entity, *year),
                    Truth::Unknown(Unknown::Missing(_) | Unknown::Pending)
                )
            })
            .unwrap_or(self.as_of);
        self.evaluator.reads = reads;
        year
    }

    fn progress(
        &mut self,
        progress: &crate::report::outcome::ProgressReport,
        due: Option<i32>,
        rule: &RuleIr,
    ) {
        let assessment = &progress.assessment;
        let unit = rule.condition.unit().cloned().unwrap_or_else(Unit::number);
        let mut parts = Vec::new();
        if let (Some(base), Some(year)) = (&progress.base, assessment.base_year) {
            parts.push(format!("base {base} in {year}"));
        }
        if let (Some(current), Some(year)) = (&progress.current, assessment.current_year) {
            parts.push(format!("now {current} in {year}"));
        }
        parts.push(format!(
            "target {} by {}",
            unit.format(assessment.target_value),
            due.unwrap_or(assessment.target_year)
        ));
        self.line(1, format!("progress: {}", parts.join(", ")));
        if let (Some(actual), Some(required)) =
            (assessment.actual_growth, assessment.required_growth)
        {
            let ratio = assessment
                .ratio
                .map(|ratio| {
                    format!(
                        "; R = {} / {} = {}",
                        percent(actual),
                        percent(required),
                        format_number(ratio)
                    )
                })
                .unwrap_or_default();
            self.line(
                2,
                format!(
                    "growing {} a year, {} a year needed{ratio}",
                    percent(actual),
                    percent(required)
                ),
            );
        }
        if let Some(projected) = &progress.projected {
            self.line(
                2,
                format!("at this rate {projected} by {}", assessment.target_year),
            );
        }
        let reason = assessment
            .reason
            .as_ref()
            .map(|reason| format!(" ({reason})"))
            .unwrap_or_default();
        self.line(
            2,
            format!("{} {}{reason}", progress.category_zh, progress.category_en),
        );
    }

    fn reads(&mut self, reads: Vec<Read>) {
        let mut seen: Vec<&Read> = Vec::new();
        for read in &reads {
            if !seen.iter().any(|known| {
                known.indicator == read.indicator
                    && known.entity == read.entity
                    && known.year == read.year
            }) {
                seen.push(read);
            }
        }
        if seen.is_empty() {
            return;
        }
        self.line(1, "values read:");
        let rows: Vec<[String; 4]> = seen
            .iter()
            .map(|read| {
                let unit = self
                    .module()
                    .indicators
                    .iter()
                    .find(|info| info.name == read.indicator)
                    .map_or_else(Unit::number, |info| info.unit.clone());
                let value = match &read.value {
                    Ok(value) => unit.format(*value),
                    Err(Unknown::Missing(_)) => "— missing".to_string(),
                    Err(why) => format!("— {}", unknown(why, Some(self.as_of))),
                };
                [
                    read.indicator.clone(),
                    read.entity.clone(),
                    read.year.to_string(),
                    value,
                ]
            })
            .collect();
        let widths: Vec<usize> = (0..4)
            .map(|column| {
                rows.iter()
                    .map(|row| unicode_width::UnicodeWidthStr::width(row[column].as_str()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in &rows {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, width)| crate::report::table::pad(cell, *width))
                .collect();
            self.line(2, cells.join("  ").trim_end());
        }
    }
}
