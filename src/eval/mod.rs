//! Checking: every rule of a program for every entity in its scope, with
//! three-valued logic for missing data, as of a year.

mod catalogue;
pub mod coverage;
mod evaluator;
pub mod outcome;
pub mod progress;
mod value;

pub use catalogue::{Catalogue, IndicatorEntry, RuleEntry};
pub use evaluator::Coverage;
#[cfg(feature = "cli")]
pub(crate) use evaluator::Read;
pub(crate) use evaluator::{places, Evaluator};
pub use value::Gap;
pub(crate) use value::{Truth, Unknown};

use crate::data::{DataSource, EntityId};
use crate::ir::{Better, CmpOp, CondIr, Module, Program, RuleIr, ScopeIr, SetIr, SetKind, Timing};
use crate::unit::{format_number, Unit};
use outcome::{Outcome, Point, ProgressReport, Report, RuleRef, Status, Summary};
use progress::{Goal, Thresholds};

/// The JSON schema version of reports.
pub const REPORT_SCHEMA: u32 = 1;

/// How a check is run. Start from `CheckOptions::default()` and set the
/// fields wanted; more may be added.
///
/// ```
/// use zhibiao::{data::Dataset, CheckOptions, Status};
///
/// let program = zhibiao::compile("scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2024\n", "a.rules").unwrap();
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,指标,值\n日照市,2023,县域就诊率,89\n日照市,2024,县域就诊率,91\n").unwrap();
/// let mut options = CheckOptions::default();
/// assert_eq!(program.check(&data, &options).outcomes[0].status, Status::Pass);
/// options.as_of = Some(2023);
/// assert_eq!(program.check(&data, &options).outcomes[0].status, Status::Pending);
///
/// options.as_of = None;
/// options.budget = Some(0);
/// let report = program.check(&data, &options);
/// assert!(report.budget_exceeded);
/// assert_eq!(report.outcomes[0].status, Status::Error);
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CheckOptions {
    /// The year to check as of; by default the latest year in the data.
    pub as_of: Option<i32>,
    /// Progress category thresholds.
    pub thresholds: Thresholds,
    /// The tolerance of `≈` without `± T`, as a fraction of the target
    /// ([`DEFAULT_TOLERANCE`] when not given).
    pub default_tolerance: Option<f64>,
    /// The most evaluation steps the whole check may take (each
    /// expression, condition and set member is one), or no limit. Once it
    /// is spent, every outcome not yet judged is an error whose detail
    /// starts `budget-exceeded`, and [`Report::budget_exceeded`] is set.
    pub budget: Option<u64>,
}

/// The earliest year a check can be made as of.
pub const EARLIEST_YEAR: i32 = 1900;
/// The latest year a check can be made as of, and the as-of year of data
/// without years.
pub const LATEST_YEAR: i32 = 2200;

/// Why a check cannot be made as of `year`, if it cannot.
pub fn as_of_problem(year: i32) -> Option<String> {
    (!(EARLIEST_YEAR..=LATEST_YEAR).contains(&year))
        .then(|| format!("the as-of year {year} is outside {EARLIEST_YEAR}–{LATEST_YEAR}"))
}

/// The tolerance of `≈` without `± T`: ±5% of the target.
pub const DEFAULT_TOLERANCE: f64 = 0.05;

impl Program {
    /// The indicators the evaluator can read: every declared name and
    /// alias. Loading with this projection (`LoadOptions::projection`)
    /// skips the values of the others and gives the same outcomes.
    pub fn projection(&self) -> crate::data::Projection {
        crate::data::Projection::new(self.indicators().flat_map(|(name, _, aliases)| {
            std::iter::once(name).chain(aliases.iter().map(String::as_str))
        }))
    }

    /// Checks every rule against the data. Performs no I/O.
    pub fn check(&self, data: &dyn DataSource, options: &CheckOptions) -> Report {
        let as_of = options
            .as_of
            .or_else(|| data.year_range().map(|(_, last)| last));
        let mut outcomes = Vec::new();
        let budget = options.budget.unwrap_or(u64::MAX);
        let mut steps_left = budget;
        let mut budget_exceeded = false;
        for module in &self.modules {
            let year = as_of.unwrap_or(LATEST_YEAR);
            let mut evaluator =
                Evaluator::new(module, data, year.clamp(EARLIEST_YEAR, LATEST_YEAR));
            evaluator.stopped = as_of_problem(year);
            evaluator.budget = budget;
            evaluator.steps_left = steps_left;
            if let Some(tolerance) = options.default_tolerance {
                evaluator.default_tolerance = tolerance;
            }
            for rule in &module.rules {
                check_rule(&mut evaluator, rule, options, &mut outcomes);
            }
            steps_left = evaluator.steps_left;
            budget_exceeded |= steps_left == 0;
        }
        let mut summary = Summary::default();
        for outcome in &outcomes {
            summary.count(outcome);
        }
        Report {
            schema: REPORT_SCHEMA,
            as_of,
            summary,
            verdict: None,
            data_coverage: None,
            outcomes,
            budget_exceeded,
        }
    }
}

fn rule_ref(module: &Module, rule: &RuleIr) -> RuleRef {
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

fn check_rule(
    evaluator: &mut Evaluator<'_>,
    rule: &RuleIr,
    options: &CheckOptions,
    outcomes: &mut Vec<Outcome>,
) {
    match scope_entities(evaluator, &rule.scope) {
        Ok(entities) => {
            for entity in entities {
                outcomes.push(judge(evaluator, rule, entity, options));
            }
        }
        Err((entity, why)) => {
            let mut outcome = blank(evaluator.module, rule, entity, Status::Error);
            outcome.detail = Some(why);
            outcomes.push(outcome);
        }
    }
}

fn blank(module: &Module, rule: &RuleIr, entity: String, status: Status) -> Outcome {
    Outcome {
        rule: rule_ref(module, rule),
        entity,
        status,
        years: Vec::new(),
        actual: None,
        target: None,
        gap: None,
        actual_value: None,
        target_value: None,
        detail: None,
        missing: Vec::new(),
        coverage: Vec::new(),
        progress: None,
        series: Vec::new(),
    }
}

/// The entities a rule is checked on, or the name and reason it cannot be.
pub(crate) fn scope_entities(
    evaluator: &mut Evaluator<'_>,
    scope: &ScopeIr,
) -> Result<Vec<EntityId>, (String, String)> {
    let data = evaluator.data;
    let find = |name: &str| {
        data.find_entity(name)
            .ok_or_else(|| (name.to_string(), evaluator::not_in_data(data, name)))
    };
    match scope {
        ScopeIr::Entity(name) => Ok(vec![find(name)?]),
        ScopeIr::Roots => Ok((0..data.entity_count() as u32)
            .map(EntityId)
            .filter(|entity| data.parent(*entity).is_none())
            .collect()),
        ScopeIr::Each { tier, under } => {
            let set = SetIr {
                kind: tier.clone(),
                label: String::new(),
                under: None,
                filter: None,
            };
            match under {
                Some(name) => {
                    let root = find(name)?;
                    let mut members = evaluator
                        .members(&set, root, evaluator.as_of)
                        .map_err(|_| (name.clone(), "cannot list members".to_string()))?;
                    // `scope 日照市` then `for each 市级`: the scope entity
                    // itself is of that tier.
                    if let SetKind::Tier { name, depth } = tier {
                        if evaluator::in_tier(data, root, name, *depth) {
                            members.insert(0, root);
                        }
                    }
                    Ok(members)
                }
                None => {
                    let SetKind::Tier { name, depth } = tier else {
                        return Err((
                            String::new(),
                            "`下级` and `下属` need an entity to be relative to".to_string(),
                        ));
                    };
                    Ok((0..data.entity_count() as u32)
                        .map(EntityId)
                        .filter(|entity| evaluator::in_tier(data, *entity, name, *depth))
                        .collect())
                }
            }
        }
    }
}

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
) -> Outcome {
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
    let entity_name = evaluator.data.entity_name(entity).to_string();
    let mut outcome = blank(evaluator.module, rule, entity_name, status);
    outcome.coverage = evaluator.coverage.clone();
    // Show the year that decided: the first failure, else the last judged.
    let shown_year = truths
        .iter()
        .find(|(_, truth)| *truth == Truth::Fail)
        .or_else(|| truths.iter().rev().find(|(year, _)| *year <= as_of))
        .map_or(
            as_of.min(years.last().copied().unwrap_or(as_of)),
            |(year, _)| *year,
        );
    outcome.years = match (status, &rule.condition) {
        (Status::Pending, _) => due.into_iter().collect(),
        // A trend judges every year of its span, whatever the time clause.
        (_, CondIr::Trend { from, to, .. }) => (*from..=(*to).min(as_of)).collect(),
        _ => truths
            .iter()
            .filter(|(year, _)| *year <= as_of)
            .map(|(year, _)| *year)
            .collect(),
    };
    // A target not yet due is shown with its latest known value.
    // A pending target is shown with its latest known value and assessed
    // on the known values so far: one pass over the years serves both.
    // The same values, for every status, are the report's chart.
    let series = rule
        .condition
        .main_value()
        .map(|value| evaluator.series(value, entity, None));
    let shown_year = match (status, &series) {
        (Status::Pending, Some(Ok(known))) => known.last().map_or(shown_year, |(year, _)| *year),
        _ => shown_year,
    };
    describe(
        evaluator,
        &rule.condition,
        entity,
        shown_year,
        status,
        &mut outcome,
    );
    // A span of years says which of them failed.
    let failed: Vec<String> = truths
        .iter()
        .filter(|(_, truth)| *truth == Truth::Fail)
        .map(|(year, _)| year.to_string())
        .collect();
    if truths.len() > 1 && !failed.is_empty() {
        let first = &failed[0];
        outcome.gap = Some(match (failed.len(), outcome.gap.take()) {
            (1, Some(gap)) => format!("{first}年{gap}"),
            (_, Some(gap)) => format!("{}年未达标; {first}年{gap}", failed.join("、")),
            (_, None) => format!("{}年未达标", failed.join("、")),
        });
    }
    outcome.detail = detail(&combined, status, due, as_of, rule, &outcome);
    if let Truth::Unknown(Unknown::Missing(gap)) = &combined {
        outcome.missing.push(gap.clone());
    }
    if let (Some(Ok(known)), Some(unit)) = (&series, rule.condition.unit()) {
        outcome.series = known
            .iter()
            .map(|&(year, value)| Point {
                year,
                value,
                shown: unit.format(value),
            })
            .collect();
    }
    match series {
        Some(Ok(known)) if status == Status::Pending => {
            outcome.progress = assess_progress(evaluator, rule, entity, due, &known, options);
        }
        // A data problem in the years already reached: a pending outcome
        // must not hide it.
        Some(Err(Unknown::Error(why))) if status == Status::Pending => {
            let detail = outcome
                .detail
                .take()
                .map(|detail| format!("{detail}; "))
                .unwrap_or_default();
            outcome.detail = Some(format!("{detail}{why}"));
        }
        _ => {}
    }
    outcome
}

fn detail(
    combined: &Truth,
    status: Status,
    due: Option<i32>,
    as_of: i32,
    rule: &RuleIr,
    outcome: &Outcome,
) -> Option<String> {
    let mut parts = Vec::new();
    match (status, combined) {
        (Status::Error, Truth::Unknown(Unknown::Error(why))) => parts.push(why.clone()),
        (
            Status::Missing | Status::Fail | Status::Pending,
            Truth::Unknown(Unknown::Missing(gap)),
        ) => {
            parts.push(format!(
                "no value of {} for {} in {}",
                gap.indicator, gap.entity, gap.year
            ));
            if status == Status::Fail && rule.missing_as_fail {
                parts.push("missing counts as a failure for this rule".to_string());
            }
        }
        _ => {}
    }
    if status == Status::Pending {
        if let Some(due) = due {
            parts.insert(0, format!("due {due}, checked as of {as_of}"));
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
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Fills in the actual value, the target and the gap, in the rule's unit.
fn describe(
    evaluator: &mut Evaluator<'_>,
    condition: &CondIr,
    entity: EntityId,
    year: i32,
    status: Status,
    outcome: &mut Outcome,
) {
    match condition {
        CondIr::Compare {
            left,
            op,
            right,
            unit,
        } => {
            let actual = evaluator.expr(left, entity, year).ok();
            let target = evaluator.expr(right, entity, year).ok();
            outcome.actual = actual.map(|value| unit.format(value));
            outcome.target = target.map(|value| format!("{} {}", op.symbol(), unit.format(value)));
            outcome.actual_value = actual;
            outcome.target_value = target;
            if let (Status::Fail, Some(actual), Some(target)) = (status, actual, target) {
                outcome.gap = Some(gap_text(unit, actual, target));
            }
        }
        CondIr::Between {
            value,
            low,
            high,
            unit,
        } => {
            let actual = evaluator.expr(value, entity, year).ok();
            let low = evaluator.expr(low, entity, year).ok();
            let high = evaluator.expr(high, entity, year).ok();
            outcome.actual = actual.map(|value| unit.format(value));
            outcome.actual_value = actual;
            if let (Some(low), Some(high)) = (low, high) {
                outcome.target = Some(format!("{} – {}", unit.format(low), unit.format(high)));
                if let (Status::Fail, Some(actual)) = (status, actual) {
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
        CondIr::Approx {
            value,
            center,
            tolerance,
            unit,
        } => {
            let actual = evaluator.expr(value, entity, year).ok();
            let center = evaluator.expr(center, entity, year).ok();
            outcome.actual = actual.map(|value| unit.format(value));
            outcome.actual_value = actual;
            outcome.target_value = center;
            if let Some(center) = center {
                let allowed = tolerance.allowed(center, evaluator.default_tolerance);
                outcome.target = Some(format!(
                    "≈ {} ± {}",
                    unit.format(center),
                    unit.difference().format(allowed)
                ));
                if let (Status::Fail, Some(actual)) = (status, actual) {
                    let distance = (actual - center).abs() - allowed;
                    let shown = rounded(unit, distance, &[center, actual]);
                    outcome.gap = Some(format!("差 {}", gap_amount(unit, shown)));
                }
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
            let series: Vec<String> = (*from..=last)
                .map(|year| match evaluator.expr(value, entity, year) {
                    Ok(value) => format!("{year}: {}", unit.format(value)),
                    Err(_) => format!("{year}: —"),
                })
                .collect();
            outcome.actual = Some(series.join(" → "));
            outcome.target = Some(trend_words(*direction, trend, unit));
            if status == Status::Fail {
                outcome.gap = first_broken_step(evaluator, condition, entity, *from, last, unit);
            }
        }
        CondIr::Quantified {
            quantifier,
            set,
            condition,
        } => {
            let verb = match quantifier {
                crate::ir::Quantifier::All => "all of",
                crate::ir::Quantifier::Any => "at least one of",
            };
            outcome.target = Some(format!("{verb} {}", set.label));
            // Which members passed, and on a failure which did not.
            let Ok(members) = evaluator.members(set, entity, year) else {
                return;
            };
            let mut passed = 0;
            let mut failed = Vec::new();
            for member in members {
                match evaluator.cond(condition, member, year) {
                    Truth::Pass => passed += 1,
                    Truth::Fail => failed.push(evaluator.data.entity_name(member).to_string()),
                    Truth::Unknown(_) => {}
                }
            }
            let judged = passed + failed.len();
            if judged > 0 {
                outcome.actual = Some(format!("{passed} of {judged} 达标"));
            }
            if status == Status::Fail && !failed.is_empty() {
                let shown: Vec<&str> = failed.iter().take(3).map(String::as_str).collect();
                let more = if failed.len() > 3 {
                    format!(" and {} more", failed.len() - 3)
                } else {
                    String::new()
                };
                outcome.gap = Some(format!("未达标: {}{more}", shown.join(", ")));
            }
        }
        CondIr::Not(inner) => {
            // The inner condition's figures, its target negated.
            let inner_status = match status {
                Status::Pass => Status::Fail,
                Status::Fail => Status::Pass,
                other => other,
            };
            describe(evaluator, inner, entity, year, inner_status, outcome);
            outcome.target = outcome.target.take().map(|target| format!("not {target}"));
            outcome.gap = None;
        }
        CondIr::And(parts) | CondIr::Or(parts) => {
            // The part that decided, with its figures: the first failing
            // part of a failed `and`, the first passing part of a passed
            // `or`, else the first part whose truth is unknown.
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
            if let Some(at) = decided {
                describe(evaluator, &parts[at], entity, year, status, outcome);
                let which = format!("[{}/{}]", at + 1, parts.len());
                outcome.target = Some(match outcome.target.take() {
                    Some(target) => format!("{target} {which}"),
                    None => which,
                });
            }
        }
        CondIr::Top {
            set,
            value,
            better,
            share,
        } => {
            let Ok((rank, ranked)) = evaluator.rank(set, value, *better, entity, year) else {
                return;
            };
            let places = places(*share, ranked);
            outcome.actual = Some(format!("第{rank}名 / {ranked}"));
            outcome.actual_value = Some(rank as f64);
            outcome.target = Some(format!(
                "前 {} ({} 名内)",
                Unit::percent().format(*share),
                places
            ));
            outcome.target_value = Some(places as f64);
            if status == Status::Fail {
                outcome.gap = Some(format!("差 {}名", rank - places));
            }
        }
        CondIr::Members(parts) => {
            let mut passed = 0;
            let mut failed = Vec::new();
            for (member, part) in parts {
                match evaluator.cond(part, entity, year) {
                    Truth::Pass => passed += 1,
                    Truth::Fail => failed.push(member.as_str()),
                    Truth::Unknown(_) => {}
                }
            }
            outcome.target = Some(format!("all {} of the group", parts.len()));
            if passed + failed.len() > 0 {
                outcome.actual = Some(format!("{passed} of {} 达标", passed + failed.len()));
            }
            if status == Status::Fail && !failed.is_empty() {
                outcome.gap = Some(format!("未达标: {}", failed.join(", ")));
            }
        }
        CondIr::TextCompare { .. } => {}
    }
}

/// Every pair of years whose step breaks a trend: `2023→2024: 2.9% → 2.7%`.
fn first_broken_step(
    evaluator: &mut Evaluator<'_>,
    condition: &CondIr,
    entity: EntityId,
    from: i32,
    last: i32,
    unit: &Unit,
) -> Option<String> {
    let CondIr::Trend {
        value,
        direction,
        trend,
        ..
    } = condition
    else {
        return None;
    };
    let broken: Vec<String> = (from..last)
        .filter_map(|year| {
            let first = evaluator.expr(value, entity, year).ok()?;
            let second = evaluator.expr(value, entity, year + 1).ok()?;
            let single = CondIr::Trend {
                value: value.clone(),
                direction: *direction,
                trend: trend.clone(),
                unit: unit.clone(),
                from: year,
                to: year + 1,
            };
            (evaluator.cond(&single, entity, year) == Truth::Fail).then(|| {
                format!(
                    "{year}→{}: {} → {}",
                    year + 1,
                    unit.format(first),
                    unit.format(second)
                )
            })
        })
        .collect();
    (!broken.is_empty()).then(|| broken.join("; "))
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
    use crate::unit::Dimension;
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

fn trend_words(direction: crate::ir::Direction, trend: &crate::ir::TrendIr, unit: &Unit) -> String {
    use crate::ir::{Direction, TrendIr};
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

/// The progress assessment of a pending comparison, given the known values
/// of its main value up to the as-of year.
fn assess_progress(
    evaluator: &mut Evaluator<'_>,
    rule: &RuleIr,
    entity: EntityId,
    due: Option<i32>,
    series: &[(i32, f64)],
    options: &CheckOptions,
) -> Option<ProgressReport> {
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
    let assessment = progress::assess(series, goal, base_year, options.thresholds);
    let format = |value: Option<f64>| value.map(|value| unit.format(value));
    // A share cannot pass 100% (or fall below 0): the projection at the
    // actual rate is shown within those bounds, the raw figure kept in
    // `projected_value`.
    let shown_projection = match (unit.is_share(), assessment.projected) {
        (true, Some(projected)) => Some(projected.clamp(0.0, 1.0)),
        (_, projected) => projected,
    }
    .map(|projected| {
        let known: Vec<f64> = [Some(target), assessment.current_value]
            .into_iter()
            .flatten()
            .collect();
        rounded(unit, projected, &known)
    });
    Some(ProgressReport {
        category: assessment.category,
        category_en: assessment.category.english(),
        category_zh: assessment.category.chinese(),
        base: format(assessment.base_value),
        current: format(assessment.current_value),
        projected: format(shown_projection),
        projected_shown: shown_projection,
        assessment,
    })
}
