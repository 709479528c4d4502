//! Checking: every rule of a program for every entity in its scope, with
//! three-valued logic for missing data, as of a year.

mod arith;
mod evaluator;
pub(crate) mod evidence;
mod judge;
pub mod progress;
mod sets;
mod status;
mod value;

pub(crate) use arith::places;
pub use evaluator::Coverage;
pub(crate) use evaluator::Evaluator;
#[cfg(feature = "cli")]
pub(crate) use evaluator::Read;
pub(crate) use judge::judge;
#[cfg(feature = "cli")]
pub(crate) use judge::judged_years;
pub use status::Status;
pub use value::Gap;
#[cfg(feature = "cli")]
pub(crate) use value::{Truth, Unknown};

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::data::{DataSource, EntityId};
use crate::ir::{Module, Program, RuleIr, ScopeIr, SetIr, SetKind};
use evidence::Evidence;
use progress::Thresholds;

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
    /// How many threads check the rules; by default as many as the machine
    /// has cores. The outcomes are the same whatever the number.
    pub threads: Option<usize>,
}

impl CheckOptions {
    /// The threads to check with: at least one.
    pub(crate) fn threads(&self) -> usize {
        self.threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
            .max(1)
    }
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

    /// Evaluates every rule for every entity in its scope, turning each
    /// outcome's evidence into what `make` keeps, in the order of the rules
    /// and their entities. Performs no I/O.
    ///
    /// Without a budget the rules are shared out among
    /// [`CheckOptions::threads`] threads, each rule whole on one of them with
    /// an evaluator of its own: the outcomes are the same as on one thread.
    /// A budget is spent in the order of the rules, so it is evaluated on one.
    pub(crate) fn evaluate<T: Send>(
        &self,
        data: &dyn DataSource,
        options: &CheckOptions,
        make: &(dyn Fn(&Module, &RuleIr, Evidence) -> T + Sync),
    ) -> (Evaluation, Vec<T>) {
        let as_of = options
            .as_of
            .or_else(|| data.year_range().map(|(_, last)| last));
        let rules: Vec<(usize, usize)> = self
            .modules
            .iter()
            .enumerate()
            .flat_map(|(m, module)| (0..module.rules.len()).map(move |r| (m, r)))
            .collect();
        let threads = options.threads().min(rules.len());
        if threads < 2 || options.budget.is_some() {
            return self.evaluate_in_turn(data, options, as_of, make);
        }
        let next = AtomicUsize::new(0);
        let worker = || {
            let mut done = Vec::new();
            let mut current: Option<(usize, Evaluator<'_>)> = None;
            while let Some(&(m, r)) = rules.get(next.fetch_add(1, Ordering::Relaxed)) {
                let module = &self.modules[m];
                let evaluator = match &mut current {
                    Some((index, evaluator)) if *index == m => evaluator,
                    _ => {
                        &mut current
                            .insert((m, evaluator(module, data, options, as_of)))
                            .1
                    }
                };
                let rule = &module.rules[r];
                let mut outcomes = Vec::new();
                check_rule(evaluator, module, rule, options, make, &mut outcomes);
                done.push(((m, r), outcomes));
            }
            done
        };
        let mut done: Vec<((usize, usize), Vec<T>)> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads).map(|_| scope.spawn(worker)).collect();
            workers
                .into_iter()
                .flat_map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        done.sort_unstable_by_key(|(rule, _)| *rule);
        let evaluation = Evaluation {
            as_of,
            budget_exceeded: false,
        };
        // Grown from the first rule's outcomes, each rule's freed once
        // moved: a national check's outcomes are not held twice.
        let total = done.iter().map(|(_, rule)| rule.len()).sum::<usize>();
        let mut rules = done.into_iter().map(|(_, outcomes)| outcomes);
        let mut outcomes = rules.next().unwrap_or_default();
        outcomes.reserve_exact(total - outcomes.len());
        for rule in rules {
            outcomes.extend(rule);
        }
        (evaluation, outcomes)
    }

    /// `evaluate` on this thread, one rule after another, spending the
    /// budget in that order.
    fn evaluate_in_turn<T>(
        &self,
        data: &dyn DataSource,
        options: &CheckOptions,
        as_of: Option<i32>,
        make: &dyn Fn(&Module, &RuleIr, Evidence) -> T,
    ) -> (Evaluation, Vec<T>) {
        let budget = options.budget.unwrap_or(u64::MAX);
        let mut steps_left = budget;
        let mut budget_exceeded = false;
        let mut outcomes = Vec::new();
        for module in &self.modules {
            let mut evaluator = evaluator(module, data, options, as_of);
            evaluator.steps_left = steps_left;
            for rule in &module.rules {
                check_rule(&mut evaluator, module, rule, options, make, &mut outcomes);
            }
            steps_left = evaluator.steps_left;
            budget_exceeded |= steps_left == 0;
        }
        let evaluation = Evaluation {
            as_of,
            budget_exceeded,
        };
        (evaluation, outcomes)
    }
}

/// The evaluator of one module's rules as of the check's year.
fn evaluator<'a>(
    module: &'a Module,
    data: &'a dyn DataSource,
    options: &CheckOptions,
    as_of: Option<i32>,
) -> Evaluator<'a> {
    let year = as_of.unwrap_or(LATEST_YEAR);
    let mut evaluator = Evaluator::new(module, data, year.clamp(EARLIEST_YEAR, LATEST_YEAR));
    evaluator.stopped = as_of_problem(year);
    let budget = options.budget.unwrap_or(u64::MAX);
    evaluator.budget = budget;
    evaluator.steps_left = budget;
    if let Some(tolerance) = options.default_tolerance {
        evaluator.default_tolerance = tolerance;
    }
    evaluator
}

/// Judges `rule` for every entity of its scope, in order, adding what
/// `make` keeps of each outcome to `outcomes`.
fn check_rule<T>(
    evaluator: &mut Evaluator<'_>,
    module: &Module,
    rule: &RuleIr,
    options: &CheckOptions,
    make: &dyn Fn(&Module, &RuleIr, Evidence) -> T,
    outcomes: &mut Vec<T>,
) {
    match scope_entities(evaluator, &rule.scope) {
        Ok(entities) => {
            outcomes.reserve(entities.len());
            for entity in entities {
                outcomes.push(make(module, rule, judge(evaluator, rule, entity, options)));
            }
        }
        Err((entity, why)) => {
            let evidence = judge::unjudged(entity, why, evaluator.as_of);
            outcomes.push(make(module, rule, evidence));
        }
    }
}

/// What a whole evaluation found beside its outcomes.
pub(crate) struct Evaluation {
    /// The year checked as of, if the options or the data gave one.
    pub as_of: Option<i32>,
    /// Whether the evaluation budget ran out.
    pub budget_exceeded: bool,
}

/// The entities a rule is checked on, or the name and reason it cannot be.
pub(crate) fn scope_entities(
    evaluator: &mut Evaluator<'_>,
    scope: &ScopeIr,
) -> Result<Vec<EntityId>, (String, String)> {
    let data = evaluator.data;
    let find = |name: &str| {
        data.find_entity(name)
            .ok_or_else(|| (name.to_string(), sets::not_in_data(data, name)))
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
                        if sets::in_tier(data, root, name, *depth) {
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
                        .filter(|entity| sets::in_tier(data, *entity, name, *depth))
                        .collect())
                }
            }
        }
    }
}
