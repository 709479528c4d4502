//! The trace of a condition for `:explain`: what each part says, the
//! values it takes in the year judged, and whether it holds.

use std::fmt::Write;

use crate::data::EntityId;
use crate::eval::Evaluator;
use crate::eval::{Truth, Unknown};
use crate::ir::Module;
use crate::ir::{CondIr, EntityFunction, ExprIr, Quantifier, SetIr, TrendIr, YearFunction};
use crate::unit::{format_number, Unit};

use super::render::unknown;
use super::written;

/// Members of a set listed at most.
const MEMBER_LIMIT: usize = 12;

/// Writes the trace of one outcome (`explain.rs` writes its heading,
/// figures and the values read).
pub(super) struct Tracer<'e, 'a> {
    pub(super) evaluator: &'e mut Evaluator<'a>,
    pub(super) as_of: i32,
    pub(super) out: String,
}

impl Tracer<'_, '_> {
    pub(super) fn line(&mut self, depth: usize, text: impl AsRef<str>) {
        let _ = writeln!(self.out, "{}{}", "  ".repeat(depth), text.as_ref());
    }

    pub(super) fn module(&self) -> &Module {
        self.evaluator.module
    }

    /// Traces a condition: what it says, the values, and whether it holds.
    pub(super) fn cond(
        &mut self,
        cond: &CondIr,
        entity: EntityId,
        year: i32,
        depth: usize,
    ) -> Truth {
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
    pub(super) fn members(
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
    pub(super) fn value(
        &mut self,
        expr: &ExprIr,
        unit: &Unit,
        entity: EntityId,
        year: i32,
    ) -> String {
        let unit = written::unit_of(self.module(), expr, unit);
        match self.evaluator.expr(expr, entity, year) {
            Ok(value) => unit.format(value),
            Err(Unknown::Error(_)) => "(undefined)".to_string(),
            Err(_) => "—".to_string(),
        }
    }

    /// The arithmetic of an expression, when it has some:
    /// `医疗服务收入 / 医疗收入 = 12000万元 / 30000万元 = 40%`.
    pub(super) fn steps(
        &mut self,
        expr: &ExprIr,
        unit: &Unit,
        entity: EntityId,
        year: i32,
        depth: usize,
    ) {
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

    pub(super) fn over_years(
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

    pub(super) fn over_entities(
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

pub(super) fn percent(value: f64) -> String {
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
