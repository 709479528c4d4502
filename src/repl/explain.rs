//! `:explain`: the values, years and arithmetic behind a rule's outcome.
//! Each judged year's condition is traced step by step with the values the
//! evaluator computes, then every value read from the data is listed.

use std::fmt::Write;

use crate::data::{DataSource, EntityId};
use crate::report::outcome::{Outcome, Status};
use crate::eval::{CheckOptions, Evaluator, Read, Truth, Unknown};
use crate::ir::{
    CondIr, EntityFunction, ExprIr, Module, Program, Quantifier, RuleIr, SetIr, TrendIr,
    YearFunction,
};
use crate::report::diagnostics::Style;
use crate::unit::{format_number, Unit};

use super::render::{paint, unknown};
use super::written;

/// Entities explained at most when no entity is named.
const ENTITY_LIMIT: usize = 10;
/// Members of a set listed at most.
const MEMBER_LIMIT: usize = 12;

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

struct Tracer<'e, 'a> {
    evaluator: &'e mut Evaluator<'a>,
    as_of: i32,
    out: String,
}

impl Tracer<'_, '_> {
    fn line(&mut self, depth: usize, text: impl AsRef<str>) {
        let _ = writeln!(self.out, "{}{}", "  ".repeat(depth), text.as_ref());
    }

    fn module(&self) -> &Module {
        self.evaluator.module
    }

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

    /// Traces a condition: what it says, the values, and whether it holds.
    fn cond(&mut self, cond: &CondIr, entity: EntityId, year: i32, depth: usize) -> Truth {
        let truth = self.evaluator.cond(cond, entity, year);
        match cond {
            CondIr::Compare {
                left,
                op,
                right,
                unit,
            } => {
                self.line(
                    depth,
                    format!(
                        "{} {} {}",
                        written::text(self.module(), left, unit),
                        op.symbol(),
                        written::text(self.module(), right, unit)
                    ),
                );
                self.steps(left, unit, entity, year, depth + 1);
                self.steps(right, unit, entity, year, depth + 1);
                let left = self.value(left, unit, entity, year);
                let right = self.value(right, unit, entity, year);
                self.line(
                    depth + 1,
                    format!(
                        "{left} {} {right} {}",
                        op.symbol(),
                        verdict(&truth, self.as_of)
                    ),
                );
            }
            CondIr::Between {
                value,
                low,
                high,
                unit,
            } => {
                self.line(
                    depth,
                    format!(
                        "{} between {} and {}",
                        written::text(self.module(), value, unit),
                        written::text(self.module(), low, unit),
                        written::text(self.module(), high, unit)
                    ),
                );
                self.steps(value, unit, entity, year, depth + 1);
                let value = self.value(value, unit, entity, year);
                let low = self.value(low, unit, entity, year);
                let high = self.value(high, unit, entity, year);
                self.line(
                    depth + 1,
                    format!("{value} in {low} – {high} {}", verdict(&truth, self.as_of)),
                );
            }
            CondIr::Approx {
                value,
                center,
                tolerance,
                unit,
            } => {
                self.line(
                    depth,
                    format!(
                        "{} ≈ {}",
                        written::text(self.module(), value, unit),
                        written::text(self.module(), center, unit)
                    ),
                );
                self.steps(value, unit, entity, year, depth + 1);
                let actual = self.evaluator.expr(value, entity, year);
                let middle = self.evaluator.expr(center, entity, year);
                match (actual, middle) {
                    (Ok(actual), Ok(middle)) => {
                        let allowed = tolerance.allowed(middle, self.evaluator.default_tolerance);
                        let difference = unit.difference();
                        self.line(
                            depth + 1,
                            format!(
                                "|{} − {}| = {} within ± {} {}",
                                unit.format(actual),
                                unit.format(middle),
                                difference.format((actual - middle).abs()),
                                difference.format(allowed),
                                verdict(&truth, self.as_of)
                            ),
                        );
                    }
                    _ => self.line(depth + 1, verdict(&truth, self.as_of)),
                }
            }
            CondIr::Trend {
                value,
                direction,
                trend,
                unit,
                from,
                to,
            } => {
                let verb = match direction {
                    crate::ir::Direction::Rises => "rises",
                    crate::ir::Direction::Falls => "falls",
                };
                let how = match trend {
                    TrendIr::EachYear => format!("{verb} each year"),
                    TrendIr::Never => format!("never {verb}"),
                    TrendIr::Step {
                        op,
                        amount,
                        relative,
                    } => {
                        let amount = if *relative {
                            format!("{}%", format_number(amount * 100.0))
                        } else {
                            unit.difference().format(*amount)
                        };
                        format!("{verb} by {} {amount} each year", op.symbol())
                    }
                };
                self.line(
                    depth,
                    format!(
                        "{} {how}, {from}–{to}",
                        written::text(self.module(), value, unit)
                    ),
                );
                for first in *from..*to {
                    let a = self.evaluator.expr(value, entity, first);
                    let b = self.evaluator.expr(value, entity, first + 1);
                    let step = match (&a, &b) {
                        (Ok(a), Ok(b)) => {
                            let change = b - a;
                            let relative = if *a != 0.0 {
                                let percent = change / a * 100.0;
                                let sign = if percent >= 0.0 { "+" } else { "−" };
                                format!(", {sign}{}%", format_number(percent.abs()))
                            } else {
                                String::new()
                            };
                            format!(
                                "{} → {} ({}{}{relative})",
                                unit.format(*a),
                                unit.format(*b),
                                if change >= 0.0 { "+" } else { "−" },
                                unit.difference().format(change.abs())
                            )
                        }
                        (Err(why), _) | (_, Err(why)) => {
                            format!("— {}", unknown(why, Some(self.as_of)))
                        }
                    };
                    let single = CondIr::Trend {
                        value: value.clone(),
                        direction: *direction,
                        trend: trend.clone(),
                        unit: unit.clone(),
                        from: first,
                        to: first + 1,
                    };
                    let holds = self.evaluator.cond(&single, entity, year);
                    self.line(
                        depth + 1,
                        format!(
                            "{first} → {}: {step} {}",
                            first + 1,
                            verdict(&holds, self.as_of)
                        ),
                    );
                }
                self.line(depth + 1, verdict(&truth, self.as_of));
            }
            CondIr::TextCompare { left, equal, right } => {
                let text = |expr: &ExprIr| match expr {
                    ExprIr::Attribute(name) => name.clone(),
                    ExprIr::Text(text) => format!("\"{text}\""),
                    _ => "?".to_string(),
                };
                let op = if *equal { "==" } else { "!=" };
                self.line(
                    depth,
                    format!(
                        "{} {op} {} {}",
                        text(left),
                        text(right),
                        verdict(&truth, self.as_of)
                    ),
                );
            }
            CondIr::Quantified {
                quantifier,
                set,
                condition,
            } => {
                let words = match quantifier {
                    Quantifier::All => "all of",
                    Quantifier::Any => "any of",
                };
                self.line(depth, format!("{words} {}:", set.label));
                self.members(set, condition, entity, year, depth + 1);
                self.line(depth + 1, verdict(&truth, self.as_of));
            }
            CondIr::And(parts) | CondIr::Or(parts) => {
                let words = if matches!(cond, CondIr::And(_)) {
                    "each of:"
                } else {
                    "at least one of:"
                };
                self.line(depth, words);
                for part in parts {
                    self.cond(part, entity, year, depth + 1);
                }
                self.line(depth + 1, verdict(&truth, self.as_of));
            }
            CondIr::Not(inner) => {
                self.line(depth, "not:");
                self.cond(inner, entity, year, depth + 1);
                self.line(depth + 1, verdict(&truth, self.as_of));
            }
            CondIr::Members(parts) => {
                self.line(depth, "every member of the group:");
                for (member, part) in parts {
                    self.line(depth + 1, format!("{member}:"));
                    self.cond(part, entity, year, depth + 2);
                }
                self.line(depth + 1, verdict(&truth, self.as_of));
            }
            CondIr::Top {
                set,
                value,
                better,
                share,
            } => {
                let shown = match self.evaluator.rank(set, value, *better, entity, year) {
                    Ok((rank, ranked)) => format!(
                        "rank {rank} of {ranked} with data; the best {} place(s) are the top {}",
                        crate::eval::places(*share, ranked),
                        Unit::percent().format(*share)
                    ),
                    Err(_) => "no rank".to_string(),
                };
                let value = written::text(self.module(), value, &Unit::number());
                self.line(
                    depth,
                    format!(
                        "top({}, {value}, better {}): {shown}",
                        set.label,
                        better.word()
                    ),
                );
                self.line(depth + 1, verdict(&truth, self.as_of));
            }
        }
        truth
    }

    /// Traces a condition for each member of a set, one line each.
    fn members(
        &mut self,
        set: &SetIr,
        condition: &CondIr,
        entity: EntityId,
        year: i32,
        depth: usize,
    ) {
        let members = match self.evaluator.members(set, entity, year) {
            Ok(members) => members,
            Err(why) => {
                self.line(depth, format!("— {}", unknown(&why, Some(self.as_of))));
                return;
            }
        };
        if members.is_empty() {
            self.line(depth, format!("`{}` has no members", set.label));
        }
        for &member in members.iter().take(MEMBER_LIMIT) {
            let name = self.evaluator.data.entity_name(member).to_string();
            let truth = self.evaluator.cond(condition, member, year);
            let shown = match condition {
                CondIr::Compare {
                    left,
                    op,
                    right,
                    unit,
                } => format!(
                    "{} {} {} ",
                    self.value(left, unit, member, year),
                    op.symbol(),
                    self.value(right, unit, member, year)
                ),
                _ => String::new(),
            };
            self.line(
                depth,
                format!("{name}: {shown}{}", verdict(&truth, self.as_of)),
            );
        }
        if members.len() > MEMBER_LIMIT {
            self.line(depth, format!("… {} more", members.len() - MEMBER_LIMIT));
        }
    }

    /// A value in a unit, or why it is unknown.
    fn value(&mut self, expr: &ExprIr, unit: &Unit, entity: EntityId, year: i32) -> String {
        let unit = written::unit_of(self.module(), expr, unit);
        match self.evaluator.expr(expr, entity, year) {
            Ok(value) => unit.format(value),
            Err(Unknown::Error(_)) => "(undefined)".to_string(),
            Err(_) => "—".to_string(),
        }
    }

    /// The arithmetic of an expression, when it has some:
    /// `医疗服务收入 / 医疗收入 = 12000万元 / 30000万元 = 40%`.
    fn steps(&mut self, expr: &ExprIr, unit: &Unit, entity: EntityId, year: i32, depth: usize) {
        let arithmetic = match expr {
            ExprIr::Binary {
                op, left, right, ..
            } => {
                let left_text = self.value(
                    left,
                    &written::operand_unit(self.module(), *op, left, unit),
                    entity,
                    year,
                );
                let right_text = self.value(
                    right,
                    &written::operand_unit(self.module(), *op, right, unit),
                    entity,
                    year,
                );
                Some(format!(
                    "{left_text} {} {right_text}",
                    written::op_symbol(*op)
                ))
            }
            ExprIr::Neg(inner) => Some(format!("−{}", self.value(inner, unit, entity, year))),
            ExprIr::OverYears {
                function,
                value,
                from,
                to,
                ..
            } => Some(self.over_years(*function, value, unit, entity, (*from, *to))),
            ExprIr::OverEntities {
                function,
                set,
                value,
            } => Some(self.over_entities(*function, set, value, unit, entity, year)),
            ExprIr::Share { set, condition } => {
                let members = self
                    .evaluator
                    .members(set, entity, year)
                    .unwrap_or_default();
                let (mut passed, mut judged) = (0, 0);
                for &member in &members {
                    match self.evaluator.cond(condition, member, year) {
                        Truth::Pass => {
                            passed += 1;
                            judged += 1;
                        }
                        Truth::Fail => judged += 1,
                        Truth::Unknown(_) => {}
                    }
                }
                self.members(set, condition, entity, year, depth);
                Some(format!(
                    "{passed} of {judged} with data pass ({} in `{}`)",
                    members.len(),
                    set.label
                ))
            }
            ExprIr::Count(set) => {
                let count = self
                    .evaluator
                    .members(set, entity, year)
                    .map_or(0, |m| m.len());
                Some(format!("{count} in `{}`", set.label))
            }
            _ => None,
        };
        if let Some(arithmetic) = arithmetic {
            let shown = self.value(expr, unit, entity, year);
            let text = written::text(self.module(), expr, unit);
            self.line(depth, format!("{text} = {arithmetic} = {shown}"));
        }
    }

    fn over_years(
        &mut self,
        function: YearFunction,
        value: &ExprIr,
        unit: &Unit,
        entity: EntityId,
        (from, to): (i32, i32),
    ) -> String {
        let inner = written::unit_of(self.module(), value, unit);
        let mut at = |year: i32| self.value(value, &inner, entity, year);
        match function {
            YearFunction::Change => format!("{} − {}", at(to), at(from)),
            YearFunction::Growth => {
                let (first, last) = (at(from), at(to));
                format!("({last} − {first}) / {first}")
            }
            YearFunction::Cagr => {
                let (first, last) = (at(from), at(to));
                format!("({last} / {first})^(1/{}) − 1", to - from)
            }
            YearFunction::Avg | YearFunction::Sum | YearFunction::Min | YearFunction::Max => {
                let values: Vec<String> = (from..=to)
                    .map(|year| format!("{year}: {}", at(year)))
                    .collect();
                format!("{}({})", function.name(), values.join(", "))
            }
        }
    }

    fn over_entities(
        &mut self,
        function: EntityFunction,
        set: &SetIr,
        value: &ExprIr,
        unit: &Unit,
        entity: EntityId,
        year: i32,
    ) -> String {
        let members = self
            .evaluator
            .members(set, entity, year)
            .unwrap_or_default();
        let inner = written::unit_of(self.module(), value, unit);
        let mut values = Vec::new();
        for &member in members.iter().take(MEMBER_LIMIT) {
            let name = self.evaluator.data.entity_name(member).to_string();
            values.push(format!(
                "{name} {}",
                self.value(value, &inner, member, year)
            ));
        }
        if members.len() > MEMBER_LIMIT {
            values.push(format!("… {} more", members.len() - MEMBER_LIMIT));
        }
        format!(
            "{} over `{}`: {}",
            function.name(),
            set.label,
            values.join(", ")
        )
    }
}

fn percent(value: f64) -> String {
    format!("{}%", format_number(value * 100.0))
}

/// `→ holds`, `→ fails`, or why it cannot be judged.
fn verdict(truth: &Truth, as_of: i32) -> String {
    match truth {
        Truth::Pass => "→ holds".to_string(),
        Truth::Fail => "→ fails".to_string(),
        Truth::Unknown(why) => format!("→ unknown: {}", unknown(why, Some(as_of))),
    }
}
