//! An outcome's words from its evidence: the actual value and the target
//! in the rule's unit, how far apart they are, and why the status is what
//! it is.

use crate::eval::evidence::{Evidence, Figures, Progress, Unknowable};
use crate::eval::Status;
use crate::ir::{CmpOp, Direction, Module, Quantifier, RuleIr, TrendIr};
use crate::unit::{format_number, Dimension, Unit};

use super::outcome::{Outcome, Point, ProgressReport, RuleRef};

/// The outcome of `rule` for the entity of `evidence`.
pub(crate) fn outcome(module: &Module, rule: &RuleIr, evidence: Evidence) -> Outcome {
    let mut outcome = Outcome {
        rule: rule_ref(module, rule),
        entity: evidence.entity.clone(),
        status: evidence.status,
        years: evidence.years.clone(),
        actual: None,
        target: None,
        gap: None,
        actual_value: None,
        target_value: None,
        detail: None,
        missing: Vec::new(),
        coverage: evidence.coverage.clone(),
        progress: None,
        series: Vec::new(),
    };
    figures(&evidence.figures, evidence.status, &mut outcome);
    // A span of years says which of them failed.
    if let Some(first) = evidence.failed_years.first() {
        let failed: Vec<String> = evidence.failed_years.iter().map(i32::to_string).collect();
        outcome.gap = Some(match (failed.len(), outcome.gap.take()) {
            (1, Some(gap)) => format!("{first}年{gap}"),
            (_, Some(gap)) => format!("{}年未达标; {first}年{gap}", failed.join("、")),
            (_, None) => format!("{}年未达标", failed.join("、")),
        });
    }
    outcome.detail = detail(&evidence, &outcome);
    if let Some(Unknowable::Missing(gap)) = &evidence.unknown {
        outcome.missing.push(gap.clone());
    }
    if let Some(unit) = &evidence.series_unit {
        outcome.series = evidence
            .series
            .iter()
            .map(|&(year, value)| Point {
                year,
                value,
                shown: unit.format(value),
            })
            .collect();
    }
    outcome.progress = evidence.progress.as_ref().map(progress);
    outcome
}

/// The rule an outcome is about.
pub(crate) fn rule_ref(module: &Module, rule: &RuleIr) -> RuleRef {
    RuleRef {
        name: rule.name.clone(),
        text: rule.text.clone(),
        file: module.source.name().to_string(),
        line: module.source.line_col(rule.span.start).0,
        source: rule.source.clone(),
        owner: rule.owner.clone(),
        document: rule.document.as_ref().map(|document| document.id.clone()),
        binding: rule.binding,
        tags: rule.tags.clone(),
    }
}

/// Why the status is what it is: the missing value or the error, the
/// deadline of a pending target, the sets whose members lacked data.
fn detail(evidence: &Evidence, outcome: &Outcome) -> Option<String> {
    let status = evidence.status;
    let mut parts = Vec::new();
    match (status, &evidence.unknown) {
        (Status::Error, Some(Unknowable::Error(why))) => parts.push(why.clone()),
        (Status::Missing | Status::Fail | Status::Pending, Some(Unknowable::Missing(gap))) => {
            parts.push(format!(
                "no value of {} for {} in {}",
                gap.indicator, gap.entity, gap.year
            ));
            if status == Status::Fail && evidence.missing_as_fail {
                parts.push("missing counts as a failure for this rule".to_string());
            }
        }
        _ => {}
    }
    if status == Status::Pending {
        if let Some(due) = evidence.due {
            parts.insert(0, format!("due {due}, checked as of {}", evidence.as_of));
        }
    }
    // The year is said when the rule judged more than one.
    let several_years = outcome
        .coverage
        .iter()
        .any(|coverage| coverage.year != outcome.coverage[0].year);
    for coverage in &outcome.coverage {
        if coverage.with_data < coverage.total {
            let year = if several_years {
                format!(" in {}", coverage.year)
            } else {
                String::new()
            };
            parts.push(format!(
                "{} of {} in {} had data{year}",
                coverage.with_data, coverage.total, coverage.set
            ));
        }
    }
    // A data problem in the years already reached: a pending outcome
    // must not hide it.
    parts.extend(evidence.series_error.clone());
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The actual value, the target and the gap of the figures that decided.
fn figures(figures: &Figures, status: Status, outcome: &mut Outcome) {
    let failed = status == Status::Fail;
    match figures {
        Figures::None => {}
        Figures::Compare {
            actual,
            op,
            target,
            unit,
        } => {
            outcome.actual = actual.map(|value| unit.format(value));
            outcome.target = target.map(|value| format!("{} {}", op.symbol(), unit.format(value)));
            outcome.actual_value = *actual;
            outcome.target_value = *target;
            if let (true, Some(actual), Some(target)) = (failed, actual, target) {
                outcome.gap = Some(gap_text(unit, *actual, *target));
            }
        }
        Figures::Between {
            actual,
            low,
            high,
            unit,
        } => {
            outcome.actual = actual.map(|value| unit.format(value));
            outcome.actual_value = *actual;
            if let (Some(low), Some(high)) = (*low, *high) {
                outcome.target = Some(format!("{} – {}", unit.format(low), unit.format(high)));
                if let (true, Some(actual)) = (failed, *actual) {
                    let distance = if actual < low {
                        low - actual
                    } else {
                        actual - high
                    };
                    let shown = rounded(unit, distance, &[low, high, actual]);
                    outcome.gap = Some(format!("差 {}", gap_amount(unit, shown)));
                }
            }
        }
        Figures::Approx {
            actual,
            center,
            unit,
        } => {
            outcome.actual = actual.map(|value| unit.format(value));
            outcome.actual_value = *actual;
            outcome.target_value = center.map(|(center, _)| center);
            if let Some((center, allowed)) = *center {
                outcome.target = Some(format!(
                    "≈ {} ± {}",
                    unit.format(center),
                    unit.difference().format(allowed)
                ));
                if let (true, Some(actual)) = (failed, *actual) {
                    let distance = (actual - center).abs() - allowed;
                    let shown = rounded(unit, distance, &[center, actual]);
                    outcome.gap = Some(format!("差 {}", gap_amount(unit, shown)));
                }
            }
        }
        Figures::Trend {
            values,
            broken,
            direction,
            trend,
            unit,
        } => {
            let series: Vec<String> = values
                .iter()
                .map(|(year, value)| match value {
                    Some(value) => format!("{year}: {}", unit.format(*value)),
                    None => format!("{year}: —"),
                })
                .collect();
            outcome.actual = Some(series.join(" → "));
            outcome.target = Some(trend_words(*direction, trend, unit));
            if failed && !broken.is_empty() {
                let steps: Vec<String> = broken
                    .iter()
                    .map(|(year, first, second)| {
                        format!(
                            "{year}→{}: {} → {}",
                            year + 1,
                            unit.format(*first),
                            unit.format(*second)
                        )
                    })
                    .collect();
                outcome.gap = Some(steps.join("; "));
            }
        }
        Figures::Quantified {
            quantifier,
            set,
            passed,
            failed: failures,
        } => {
            let verb = match quantifier {
                Quantifier::All => "all of",
                Quantifier::Any => "at least one of",
            };
            outcome.target = Some(format!("{verb} {set}"));
            let judged = passed + failures.len();
            if judged > 0 {
                outcome.actual = Some(format!("{passed} of {judged} 达标"));
            }
            if failed && !failures.is_empty() {
                let shown: Vec<&str> = failures.iter().take(3).map(String::as_str).collect();
                let more = if failures.len() > 3 {
                    format!(" and {} more", failures.len() - 3)
                } else {
                    String::new()
                };
                outcome.gap = Some(format!("未达标: {}{more}", shown.join(", ")));
            }
        }
        Figures::Top {
            rank,
            ranked,
            share,
            places,
        } => {
            outcome.actual = Some(format!("第{rank}名 / {ranked}"));
            outcome.actual_value = Some(*rank as f64);
            outcome.target = Some(format!(
                "前 {} ({} 名内)",
                Unit::percent().format(*share),
                places
            ));
            outcome.target_value = Some(*places as f64);
            if failed {
                outcome.gap = Some(format!("差 {}名", rank - places));
            }
        }
        Figures::Members {
            count,
            passed,
            failed: failures,
        } => {
            outcome.target = Some(format!("all {count} of the group"));
            if passed + failures.len() > 0 {
                outcome.actual = Some(format!("{passed} of {} 达标", passed + failures.len()));
            }
            if failed && !failures.is_empty() {
                outcome.gap = Some(format!("未达标: {}", failures.join(", ")));
            }
        }
        Figures::Not(inner) => {
            // The inner condition's figures, its target negated; the
            // inner gap would measure the wrong way, so none is given.
            self::figures(inner, status, outcome);
            outcome.target = outcome.target.take().map(|target| format!("not {target}"));
            outcome.gap = None;
        }
        Figures::Part { at, of, figures } => {
            self::figures(figures, status, outcome);
            let which = format!("[{}/{of}]", at + 1);
            outcome.target = Some(match outcome.target.take() {
                Some(target) => format!("{target} {which}"),
                None => which,
            });
        }
    }
}

/// How far a failed comparison is from its target. Equal values fail only
/// `!=`, `>` and `<`, where there is no amount to give.
fn gap_text(unit: &Unit, actual: f64, target: f64) -> String {
    if CmpOp::Eq.holds(actual, target) {
        return "等于目标值".to_string();
    }
    let shown = rounded(unit, (target - actual).abs(), &[target, actual]);
    format!("差 {}", gap_amount(unit, shown))
}

/// Decimals shown of a figure derived from these values (a gap, a
/// projection): the finer of their written precisions, at most two, so
/// `90%` against a computed `89.615385%` gives `差 0.38 个百分点`.
fn decimals(unit: &Unit, values: &[f64]) -> i32 {
    values
        .iter()
        .map(|value| {
            let written = format_number(unit.written(*value));
            written
                .split_once('.')
                .map_or(0, |(_, fraction)| fraction.len().min(2) as i32)
        })
        .max()
        .unwrap_or(0)
}

/// A figure derived from `values` (the distance between them, a
/// projection from them) rounded, in the unit's written numbers, to their
/// precision.
fn rounded(unit: &Unit, distance: f64, values: &[f64]) -> f64 {
    let scale = 10f64.powi(decimals(unit, values));
    (unit.written(distance) * scale).round() / scale * unit.scale
}

/// A distance between two values of `unit`, in words: `1.2 个百分点` for
/// percentages, `0.3‰` or `1.5/10万` for other ratios, `2 级` for grades
/// (ranks apart), else the amount in the unit (`3张`).
fn gap_amount(unit: &Unit, distance: f64) -> String {
    match unit.dimension {
        Dimension::Grade => format!("{} 级", format_number(distance)),
        // Differences of percentages and of relative changes are points.
        Dimension::Ratio | Dimension::Relative if unit.symbol.as_ref() == "%" => {
            Unit::points().format(distance)
        }
        Dimension::Ratio if unit.terms.is_some() => format_number(distance),
        Dimension::Ratio => unit.format(distance),
        Dimension::Points => match unit.symbol.as_ref() {
            "pp" | "个百分点" | "百分点" => Unit::points().format(distance),
            ":" => format_number(distance),
            symbol => format!("{}{symbol}", format_number(unit.written(distance))),
        },
        _ => unit.format(distance),
    }
}

fn trend_words(direction: Direction, trend: &TrendIr, unit: &Unit) -> String {
    match (trend, direction) {
        (TrendIr::EachYear, Direction::Rises) => "逐年上升 (rises each year)".to_string(),
        (TrendIr::EachYear, Direction::Falls) => "逐年下降 (falls each year)".to_string(),
        (TrendIr::Never, Direction::Falls) => "只增不减 (never falls)".to_string(),
        (TrendIr::Never, Direction::Rises) => "只减不增 (never rises)".to_string(),
        (
            TrendIr::Step {
                op,
                amount,
                relative,
            },
            direction,
        ) => {
            let verb = if direction == Direction::Rises {
                "每年提高"
            } else {
                "每年降低"
            };
            let amount = if *relative {
                format!("{}%", format_number(amount * 100.0))
            } else {
                unit.difference().format(*amount)
            };
            format!("{verb} {} {amount}", op.symbol())
        }
    }
}

/// A progress assessment with its figures in the rule's unit.
fn progress(progress: &Progress) -> ProgressReport {
    let Progress {
        assessment,
        target,
        unit,
    } = progress;
    let format = |value: Option<f64>| value.map(|value| unit.format(value));
    // A share cannot pass 100% (or fall below 0): the projection at the
    // actual rate is shown within those bounds, the raw figure kept in
    // `projected_value`.
    let shown_projection = match (unit.is_share(), assessment.projected) {
        (true, Some(projected)) => Some(projected.clamp(0.0, 1.0)),
        (_, projected) => projected,
    }
    .map(|projected| {
        let known: Vec<f64> = [Some(*target), assessment.current_value]
            .into_iter()
            .flatten()
            .collect();
        rounded(unit, projected, &known)
    });
    ProgressReport {
        category: assessment.category,
        category_en: assessment.category.english(),
        category_zh: assessment.category.chinese(),
        base: format(assessment.base_value),
        current: format(assessment.current_value),
        projected: format(shown_projection),
        projected_shown: shown_projection,
        assessment: assessment.clone(),
    }
}
