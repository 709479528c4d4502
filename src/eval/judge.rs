//! Judging one rule for one entity: the truth of each year it is judged
//! on, combined into a status, with the figures that decided it.

use super::arith::step_holds;
use super::evidence::{Evidence, Figures, Progress, Unknowable};
use super::progress::{self, Goal};
use super::status::Status;
use super::value::{Truth, Unknown};
use super::{places, CheckOptions, Evaluator};
use crate::data::EntityId;
use crate::ir::{Better, CmpOp, CondIr, RuleIr, Timing};

/// The years a rule is judged on, and the year it falls due.
pub(crate) fn judged_years(rule: &RuleIr, as_of: i32) -> (Vec<i32>, Option<i32>) {
    if let Some(end) = rule.condition.trend_end() {
        // A trend judges its own span pair by pair: evaluate once.
        let due = match rule.timing {
            Timing::By { year } | Timing::In { year } | Timing::Every { to: year, .. } => {
                year.max(end)
            }
            Timing::Implicit { due } => due.unwrap_or(end).max(end),
        };
        return (vec![due.min(as_of)], Some(due));
    }
    match rule.timing {
        Timing::By { year } | Timing::In { year } => (vec![year], Some(year)),
        Timing::Every { from, to } => ((from..=to).collect(), Some(to)),
        Timing::Implicit { due } => (vec![due.map_or(as_of, |due| due.min(as_of))], due),
    }
}

/// Checks one rule for one entity.
pub(crate) fn judge(
    evaluator: &mut Evaluator<'_>,
    rule: &RuleIr,
    entity: EntityId,
    options: &CheckOptions,
) -> Evidence {
    let as_of = evaluator.as_of;
    let (years, due) = judged_years(rule, as_of);
    evaluator.coverage.clear();
    evaluator.forget();
    let truths: Vec<(i32, Truth)> = years
        .iter()
        .map(|&year| {
            let truth = if year > as_of {
                // A future year is pending, unless the condition also needs
                // a past value that is absent (`X < X @ 2022 by 2030` with
                // no 2022 value): that will not come, so it is missing now.
                match evaluator.cond(&rule.condition, entity, year) {
                    Truth::Unknown(Unknown::Missing(gap)) => Truth::Unknown(Unknown::Missing(gap)),
                    _ => Truth::Unknown(Unknown::Pending),
                }
            } else {
                evaluator.cond(&rule.condition, entity, year)
            };
            (year, truth)
        })
        .collect();
    let combined = Truth::all(truths.iter().map(|(_, truth)| truth.clone()));
    let not_due = due.is_some_and(|due| due > as_of);
    let status = match &combined {
        Truth::Fail => Status::Fail,
        Truth::Pass if not_due => Status::Pending,
        Truth::Pass => Status::Pass,
        Truth::Unknown(Unknown::Error(_)) => Status::Error,
        Truth::Unknown(Unknown::Pending) => Status::Pending,
        Truth::Unknown(Unknown::Missing(_)) if rule.missing_as_fail => Status::Fail,
        Truth::Unknown(Unknown::Missing(_)) => Status::Missing,
    };
    // What the judged years read of each set, before the series and the
    // figures read other years.
    let coverage = evaluator.coverage.clone();
    // Show the year that decided: the first failure, else the last judged.
    let shown_year = truths
        .iter()
        .find(|(_, truth)| *truth == Truth::Fail)
        .or_else(|| truths.iter().rev().find(|(year, _)| *year <= as_of))
        .map_or(
            as_of.min(years.last().copied().unwrap_or(as_of)),
            |(year, _)| *year,
        );
    let judged_years = match (status, &rule.condition) {
        (Status::Pending, _) => due.into_iter().collect(),
        // A trend judges every year of its span, whatever the time clause.
        (_, CondIr::Trend { from, to, .. }) => (*from..=(*to).min(as_of)).collect(),
        _ => truths
            .iter()
            .filter(|(year, _)| *year <= as_of)
            .map(|(year, _)| *year)
            .collect(),
    };
    // The main value's known values: the report's chart, the latest known
    // value of a pending target, and the series its progress is assessed
    // on.
    let series = rule
        .condition
        .main_value()
        .map(|value| evaluator.series(value, entity, None));
    let shown_year = match (status, &series) {
        (Status::Pending, Some(Ok(known))) => known.last().map_or(shown_year, |(year, _)| *year),
        _ => shown_year,
    };
    let figures = figures(evaluator, &rule.condition, entity, shown_year, status);
    let failed_years = if truths.len() > 1 {
        truths
            .iter()
            .filter(|(_, truth)| *truth == Truth::Fail)
            .map(|(year, _)| *year)
            .collect()
    } else {
        Vec::new()
    };
    let unknown = match combined {
        Truth::Unknown(Unknown::Error(why)) => Some(Unknowable::Error(why)),
        Truth::Unknown(Unknown::Missing(gap)) => Some(Unknowable::Missing(gap)),
        _ => None,
    };
    let mut evidence = Evidence {
        entity: evaluator.data.entity_name(entity).to_string(),
        status,
        years: judged_years,
        due,
        as_of,
        unknown,
        missing_as_fail: rule.missing_as_fail,
        failed_years,
        figures,
        coverage,
        series: Vec::new(),
        series_unit: rule.condition.unit().cloned(),
        series_error: None,
        progress: None,
    };
    match series {
        Some(Ok(known)) => {
            if status == Status::Pending {
                evidence.progress = assess_progress(evaluator, rule, entity, due, &known, options);
            }
            evidence.series = known;
        }
        // A data problem in the years already reached: a pending outcome
        // must not hide it.
        Some(Err(Unknown::Error(why))) if status == Status::Pending => {
            evidence.series_error = Some(why);
        }
        _ => {}
    }
    evidence
}

/// Evidence of a rule that could not be judged for `entity` at all.
pub(crate) fn unjudged(entity: String, why: String, as_of: i32) -> Evidence {
    Evidence {
        entity,
        status: Status::Error,
        years: Vec::new(),
        due: None,
        as_of,
        unknown: Some(Unknowable::Error(why)),
        missing_as_fail: false,
        failed_years: Vec::new(),
        figures: Figures::None,
        coverage: Vec::new(),
        series: Vec::new(),
        series_unit: None,
        series_error: None,
        progress: None,
    }
}

/// The figures a condition was decided on in `year`.
fn figures(
    evaluator: &mut Evaluator<'_>,
    condition: &CondIr,
    entity: EntityId,
    year: i32,
    status: Status,
) -> Figures {
    match condition {
        CondIr::Compare {
            left,
            op,
            right,
            unit,
        } => Figures::Compare {
            actual: evaluator.expr(left, entity, year).ok(),
            op: *op,
            target: evaluator.expr(right, entity, year).ok(),
            unit: unit.clone(),
        },
        CondIr::Between {
            value,
            low,
            high,
            unit,
        } => Figures::Between {
            actual: evaluator.expr(value, entity, year).ok(),
            low: evaluator.expr(low, entity, year).ok(),
            high: evaluator.expr(high, entity, year).ok(),
            unit: unit.clone(),
        },
        CondIr::Approx {
            value,
            center,
            tolerance,
            unit,
        } => {
            let actual = evaluator.expr(value, entity, year).ok();
            let center = evaluator.expr(center, entity, year).ok().map(|center| {
                (
                    center,
                    tolerance.allowed(center, evaluator.default_tolerance),
                )
            });
            Figures::Approx {
                actual,
                center,
                unit: unit.clone(),
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
            let last = (*to).min(evaluator.as_of);
            let values = (*from..=last)
                .map(|year| (year, evaluator.expr(value, entity, year).ok()))
                .collect();
            let broken = if status == Status::Fail {
                broken_steps(evaluator, condition, entity, *from, last)
            } else {
                Vec::new()
            };
            Figures::Trend {
                values,
                broken,
                direction: *direction,
                trend: trend.clone(),
                unit: unit.clone(),
            }
        }
        CondIr::Quantified {
            quantifier,
            set,
            condition,
        } => {
            // Which members passed, and which did not.
            let mut passed = 0;
            let mut failed = Vec::new();
            if let Ok(members) = evaluator.members(set, entity, year) {
                for member in members {
                    match evaluator.cond(condition, member, year) {
                        Truth::Pass => passed += 1,
                        Truth::Fail => failed.push(evaluator.data.entity_name(member).to_string()),
                        Truth::Unknown(_) => {}
                    }
                }
            }
            Figures::Quantified {
                quantifier: *quantifier,
                set: set.label.clone(),
                passed,
                failed,
            }
        }
        CondIr::Not(inner) => {
            // The inner condition's figures, judged the other way.
            let inner_status = match status {
                Status::Pass => Status::Fail,
                Status::Fail => Status::Pass,
                other => other,
            };
            Figures::Not(Box::new(figures(
                evaluator,
                inner,
                entity,
                year,
                inner_status,
            )))
        }
        CondIr::And(parts) | CondIr::Or(parts) => {
            // The part that decided: the first failing part of a failed
            // `and`, the first passing part of a passed `or`, else the
            // first part whose truth is unknown.
            let is_and = matches!(condition, CondIr::And(_));
            let truths: Vec<Truth> = parts
                .iter()
                .map(|part| evaluator.cond(part, entity, year))
                .collect();
            let decided = match status {
                Status::Fail => truths.iter().position(|truth| *truth == Truth::Fail),
                Status::Pass if is_and => Some(0),
                Status::Pass => truths.iter().position(|truth| *truth == Truth::Pass),
                _ => truths
                    .iter()
                    .position(|truth| matches!(truth, Truth::Unknown(_))),
            };
            match decided {
                Some(at) => Figures::Part {
                    at,
                    of: parts.len(),
                    figures: Box::new(figures(evaluator, &parts[at], entity, year, status)),
                },
                None => Figures::None,
            }
        }
        CondIr::Top {
            set,
            value,
            better,
            share,
        } => match evaluator.rank(set, value, *better, entity, year) {
            Ok((rank, ranked)) => Figures::Top {
                rank,
                ranked,
                share: *share,
                places: places(*share, ranked),
            },
            Err(_) => Figures::None,
        },
        CondIr::Members(parts) => {
            let mut passed = 0;
            let mut failed = Vec::new();
            for (member, part) in parts {
                match evaluator.cond(part, entity, year) {
                    Truth::Pass => passed += 1,
                    Truth::Fail => failed.push(member.clone()),
                    Truth::Unknown(_) => {}
                }
            }
            Figures::Members {
                count: parts.len(),
                passed,
                failed,
            }
        }
        CondIr::TextCompare { .. } => Figures::None,
    }
}

/// Every pair of years whose step breaks a trend, with its two values.
fn broken_steps(
    evaluator: &mut Evaluator<'_>,
    condition: &CondIr,
    entity: EntityId,
    from: i32,
    last: i32,
) -> Vec<(i32, f64, f64)> {
    let CondIr::Trend {
        value,
        direction,
        trend,
        ..
    } = condition
    else {
        return Vec::new();
    };
    (from..last)
        .filter_map(|year| {
            let first = evaluator.expr(value, entity, year).ok()?;
            let second = evaluator.expr(value, entity, year + 1).ok()?;
            // A step that cannot be judged (a relative step from 0) is
            // unknown, not broken.
            (step_holds(*direction, trend, first, second) == Ok(false))
                .then_some((year, first, second))
        })
        .collect()
}

/// The progress assessment of a pending comparison, given the known values
/// of its main value up to the as-of year.
fn assess_progress(
    evaluator: &mut Evaluator<'_>,
    rule: &RuleIr,
    entity: EntityId,
    due: Option<i32>,
    series: &[(i32, f64)],
    options: &CheckOptions,
) -> Option<Progress> {
    let due = due?;
    // The indicator's declared direction, else the comparator's.
    let declared = rule
        .condition
        .main_value()
        .and_then(|value| value.better(&evaluator.module.indicators))
        .map(|better| better == Better::Higher);
    let (higher_is_better, target, unit) = match &rule.condition {
        CondIr::Compare {
            op, right, unit, ..
        } => {
            let direction = match op {
                CmpOp::Ge | CmpOp::Gt => Some(true),
                CmpOp::Le | CmpOp::Lt => Some(false),
                CmpOp::Eq | CmpOp::Ne => None,
            };
            let target = evaluator.expr(right, entity, evaluator.as_of).ok()?;
            (declared.or(direction), target, unit)
        }
        // A range is a target in a declared direction: its near bound.
        CondIr::Between {
            unit, low, high, ..
        } => {
            let bound = if declared == Some(false) { high } else { low };
            let target = evaluator.expr(bound, entity, evaluator.as_of).ok()?;
            (declared, target, unit)
        }
        CondIr::Approx { center, unit, .. } => {
            let target = evaluator.expr(center, entity, evaluator.as_of).ok()?;
            (None, target, unit)
        }
        _ => return None,
    };
    let base_year = rule.since.or_else(|| {
        rule.document
            .as_ref()
            .and_then(|document| document.baseline)
    });
    let goal = Goal {
        target_value: target,
        target_year: due,
        higher_is_better,
    };
    Some(Progress {
        assessment: progress::assess(series, goal, base_year, options.thresholds),
        target,
        unit: unit.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(text: &str) -> RuleIr {
        let source = format!("scope 日照市\nindicator 率: %\n{text}\n");
        let program = crate::compile(&source, "a.rules").expect("compiles");
        program.modules[0].rules[0].clone()
    }

    #[test]
    fn a_span_is_judged_in_each_year_and_falls_due_at_its_end() {
        let span = rule("rule 率 >= 90% from 2021 to 2023");
        assert_eq!(
            judged_years(&span, 2030),
            (vec![2021, 2022, 2023], Some(2023))
        );
    }

    #[test]
    fn a_trend_is_judged_once_over_its_own_span() {
        let trend = rule("rule 率 rises each year from 2021 to 2025");
        assert_eq!(judged_years(&trend, 2023), (vec![2023], Some(2025)));
    }

    #[test]
    fn a_rule_without_a_year_is_judged_as_of() {
        let plain = rule("rule 率 >= 90%");
        assert_eq!(judged_years(&plain, 2024), (vec![2024], None));
    }
}
