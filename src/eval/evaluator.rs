//! Evaluates compiled expressions and conditions for one entity and year
//! against a data source. Performs no I/O.

use std::collections::HashMap;

use super::arith::{aggregate, function_of_years, places, step_holds};
use super::sets::{self, not_in_data};
use super::value::{both, Gap, Truth, Unknown, Value};
use crate::data::{Cell, DataSource, EntityId, IndicatorId};
use crate::ir::{
    Better, BinOp, CmpOp, CondIr, EntityFunction, EntityRef, ExprIr, Module, Quantifier, SetIr,
    SetKind, YearFunction,
};
use crate::unit::{format_number, Dimension};

/// How many members of a set had data, for "31 of 33 had data". The
/// example of [`Gap`](crate::Gap) shows one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Coverage {
    /// The set as written, e.g. `下级`.
    pub set: String,
    /// The year of the values.
    pub year: i32,
    /// Members with data.
    pub with_data: usize,
    /// Members in the set.
    pub total: usize,
}

/// One value read from the data, for explanations.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Read {
    pub indicator: String,
    pub entity: String,
    pub year: i32,
    pub value: Value,
}

pub(crate) struct Evaluator<'a> {
    pub module: &'a Module,
    pub data: &'a dyn DataSource,
    /// Each declared indicator's id in the data, if the data has it.
    indicators: Vec<Option<IndicatorId>>,
    pub as_of: i32,
    pub coverage: Vec<Coverage>,
    /// Values read, when an explanation is wanted.
    pub reads: Option<Vec<Read>>,
    /// The tolerance of `≈` without `± T`, as a fraction of the target.
    pub default_tolerance: f64,
    /// Steps (expressions and conditions evaluated, members listed) the
    /// check may take, and those left.
    pub budget: u64,
    pub steps_left: u64,
    /// Why every evaluation fails from now on (the budget ran out, the
    /// as-of year is out of range), if it does.
    pub stopped: Option<String>,
    /// Aggregates already worked out for an entity and year in this
    /// outcome: a set aggregate inside another reached through `@ 实体`
    /// would otherwise be recomputed for every outer member, and nesting
    /// would cost the number of members to the power of the depth.
    memo: HashMap<(usize, EntityId, i32), Memo>,
}

/// A remembered aggregate: a value or a truth.
#[derive(Clone)]
enum Memo {
    Value(Value),
    Truth(Truth),
}

/// The `budget-exceeded` reason of outcomes the budget did not reach.
pub(crate) fn budget_exceeded(budget: u64) -> String {
    format!(
        "budget-exceeded: the check stopped after {budget} evaluation steps (CheckOptions::budget)"
    )
}

impl<'a> Evaluator<'a> {
    pub fn new(module: &'a Module, data: &'a dyn DataSource, as_of: i32) -> Self {
        let indicators = module
            .indicators
            .iter()
            .map(|info| {
                std::iter::once(&info.name)
                    .chain(&info.aliases)
                    .find_map(|name| data.find_indicator(name))
            })
            .collect();
        Evaluator {
            module,
            data,
            indicators,
            as_of,
            coverage: Vec::new(),
            reads: None,
            default_tolerance: super::DEFAULT_TOLERANCE,
            budget: u64::MAX,
            steps_left: u64::MAX,
            stopped: None,
            memo: HashMap::new(),
        }
    }

    /// Counts one step; an error once the budget is spent or the check
    /// was stopped.
    fn step(&mut self) -> Result<(), Unknown> {
        if let Some(why) = &self.stopped {
            return Err(Unknown::Error(why.clone()));
        }
        if self.steps_left == 0 {
            let why = budget_exceeded(self.budget);
            self.stopped = Some(why.clone());
            return Err(Unknown::Error(why));
        }
        self.steps_left -= 1;
        Ok(())
    }

    /// Forgets remembered aggregates: each outcome notes its own coverage
    /// and reads.
    pub fn forget(&mut self) {
        self.memo.clear();
    }

    /// An aggregate's value, worked out once per entity and year. Not
    /// remembered while values read are recorded for an explanation.
    fn remembered(
        &mut self,
        key: (usize, EntityId, i32),
        work: impl FnOnce(&mut Self) -> Memo,
    ) -> Memo {
        if self.reads.is_some() {
            return work(self);
        }
        if let Some(known) = self.memo.get(&key) {
            return known.clone();
        }
        let found = work(self);
        self.memo.insert(key, found.clone());
        found
    }

    /// A declared indicator's value for an entity in a year, in canonical units.
    pub fn read(&mut self, indicator: usize, entity: EntityId, year: i32) -> Value {
        let value = self.read_cell(indicator, entity, year);
        if let Some(reads) = self.reads.as_mut() {
            reads.push(Read {
                indicator: self.module.indicators[indicator].name.clone(),
                entity: self.data.entity_name(entity).to_string(),
                year,
                value: value.clone(),
            });
        }
        value
    }

    fn read_cell(&self, indicator: usize, entity: EntityId, year: i32) -> Value {
        if year > self.as_of {
            return Err(Unknown::Pending);
        }
        let info = &self.module.indicators[indicator];
        let gap = || {
            Unknown::Missing(Gap {
                indicator: info.name.clone(),
                entity: self.data.entity_name(entity).to_string(),
                year,
            })
        };
        let Some(id) = self.indicators[indicator] else {
            return Err(gap());
        };
        let declared = &info.unit;
        let grade_of = |name: &str| -> Value {
            declared
                .grades
                .as_deref()
                .and_then(|grades| grades.iter().position(|grade| grade == name))
                .map(|rank| rank as f64)
                .ok_or_else(|| {
                    Unknown::Error(format!(
                        "`{name}` for {} in {year} is not one of its grades",
                        info.name
                    ))
                })
        };
        match self.data.value(id, entity, year) {
            None => Err(gap()),
            Some(Cell::Text(text)) if declared.dimension == Dimension::Grade => grade_of(text),
            Some(Cell::Text(text)) => Err(Unknown::Error(format!(
                "`{text}` for {} in {year} is not a number",
                info.name
            ))),
            Some(Cell::Number { value, unit }) if declared.dimension == Dimension::Grade => {
                match unit {
                    Some(unit) if unit.dimension == Dimension::Level => {
                        grade_of(&format!("{}{}", format_number(value), unit.symbol))
                    }
                    _ => Err(Unknown::Error(format!(
                        "{} is a grade, but the data gives the number {} in {year}",
                        info.name,
                        format_number(value)
                    ))),
                }
            }
            Some(Cell::Number { value, unit: None }) => Ok(declared.canonical(value)),
            Some(Cell::Number {
                value,
                unit: Some(unit),
            }) => {
                if unit.dimension == declared.dimension {
                    Ok(unit.canonical(value))
                } else if unit.reads_in(declared) {
                    Ok(declared.canonical(value))
                } else {
                    let origin = self
                        .data
                        .origin(id)
                        .map(|origin| format!(" in {origin}"))
                        .unwrap_or_default();
                    Err(Unknown::Error(format!(
                        "{} is declared in {}, but the data{origin} gives it in {}",
                        info.name,
                        crate::unit::describe(declared),
                        crate::unit::describe(unit)
                    )))
                }
            }
        }
    }

    pub fn expr(&mut self, expr: &ExprIr, entity: EntityId, year: i32) -> Value {
        self.step()?;
        // Every node that loops over members or years: nested, they would
        // multiply (`max(max(…, 2020..2024), 2020..2024)` reads 5^depth).
        if matches!(
            expr,
            ExprIr::OverEntities { .. }
                | ExprIr::Share { .. }
                | ExprIr::Count(_)
                | ExprIr::OverYears { .. }
                | ExprIr::Progress { .. }
        ) {
            let key = (std::ptr::from_ref(expr) as usize, entity, year);
            let found = self.remembered(key, |evaluator| {
                Memo::Value(evaluator.uncached_expr(expr, entity, year))
            });
            if let Memo::Value(value) = found {
                return value;
            }
        }
        self.uncached_expr(expr, entity, year)
    }

    fn uncached_expr(&mut self, expr: &ExprIr, entity: EntityId, year: i32) -> Value {
        match expr {
            ExprIr::Const(value) => Ok(*value),
            ExprIr::Indicator(indicator) => self.read(*indicator, entity, year),
            ExprIr::Attribute(_) | ExprIr::Text(_) => {
                Err(Unknown::Error("text used as a number".to_string()))
            }
            ExprIr::AtYear(inner, at) => self.expr(inner, entity, *at),
            ExprIr::AtEntity(inner, target) => {
                let other = self.entity_ref(target, entity)?;
                self.expr(inner, other, year)
            }
            ExprIr::OverYears {
                function,
                value,
                from,
                to,
                ..
            } => self.over_years(*function, value, entity, *from, *to),
            ExprIr::OverEntities {
                function,
                set,
                value,
            } => self.over_entities(*function, set, value, entity, year),
            ExprIr::Share { set, condition } => {
                let (passed, judged) = self.judge_members(set, condition, entity, year)?;
                Ok(passed as f64 / judged as f64)
            }
            ExprIr::Count(set) => Ok(self.members(set, entity, year)?.len() as f64),
            ExprIr::YearOnYear {
                function, value, ..
            } => self.over_years(*function, value, entity, year - 1, year),
            ExprIr::Rank { set, value, better } => self
                .rank(set, value, *better, entity, year)
                .map(|(rank, _)| rank as f64),
            ExprIr::Binary {
                op, left, right, ..
            } => {
                let left = self.expr(left, entity, year);
                let right = self.expr(right, entity, year);
                both(left, right, |left, right| match op {
                    BinOp::Add => Ok(left + right),
                    BinOp::Sub => Ok(left - right),
                    BinOp::Mul => Ok(left * right),
                    BinOp::Div if right == 0.0 => {
                        Err(Unknown::Error("division by zero".to_string()))
                    }
                    BinOp::Div => Ok(left / right),
                })
            }
            ExprIr::Neg(inner) => self.expr(inner, entity, year).map(|value| -value),
            ExprIr::Progress {
                value,
                target,
                target_year,
                base_year,
            } => {
                let series = self.series(value, entity, *base_year)?;
                super::progress::assess_series(&series, *target, *target_year, *base_year)
                    .ratio
                    .map_err(Unknown::Error)
            }
        }
    }

    /// The known values of an expression for each year from `since` (or
    /// the first year of data) up to the as-of year.
    pub fn series(
        &mut self,
        expr: &ExprIr,
        entity: EntityId,
        since: Option<i32>,
    ) -> Result<Vec<(i32, f64)>, Unknown> {
        let first = since
            .or_else(|| self.data.year_range().map(|(first, _)| first))
            .unwrap_or(self.as_of);
        let mut series = Vec::new();
        for year in first..=self.as_of {
            match self.expr(expr, entity, year) {
                Ok(value) => series.push((year, value)),
                Err(Unknown::Error(why)) => return Err(Unknown::Error(why)),
                Err(_) => {}
            }
        }
        Ok(series)
    }

    fn entity_ref(&self, target: &EntityRef, entity: EntityId) -> Result<EntityId, Unknown> {
        match target {
            EntityRef::Parent => self.data.parent(entity).ok_or_else(|| {
                Unknown::Error(format!(
                    "{} has no 上级 in the data",
                    self.data.entity_name(entity)
                ))
            }),
            EntityRef::Named(name) => self
                .data
                .find_entity(name)
                .ok_or_else(|| Unknown::Error(not_in_data(self.data, name))),
        }
    }

    fn over_years(
        &mut self,
        function: YearFunction,
        value: &ExprIr,
        entity: EntityId,
        from: i32,
        to: i32,
    ) -> Value {
        match function {
            YearFunction::Change | YearFunction::Growth | YearFunction::Cagr => {
                let first = self.expr(value, entity, from);
                let last = self.expr(value, entity, to);
                both(first, last, |first, last| match function {
                    YearFunction::Change => Ok(last - first),
                    _ if first <= 0.0 => Err(Unknown::Error(format!(
                        "the base value in {from} is {}, so a relative change is undefined",
                        format_number(first)
                    ))),
                    YearFunction::Growth => Ok((last - first) / first),
                    _ if last < 0.0 => Err(Unknown::Error(format!(
                        "the value in {to} is negative, so an average growth rate is undefined"
                    ))),
                    _ => Ok((last / first).powf(1.0 / f64::from(to - from)) - 1.0),
                })
            }
            _ => {
                let mut values = Vec::new();
                let mut unknown: Option<Unknown> = None;
                for year in from..=to {
                    match self.expr(value, entity, year) {
                        Ok(value) => values.push(value),
                        Err(why) => {
                            unknown = Some(unknown.map_or(why.clone(), |known| known.worse(why)))
                        }
                    }
                }
                if let Some(why) = unknown {
                    return Err(why);
                }
                Ok(aggregate(function_of_years(function), &values))
            }
        }
    }

    fn over_entities(
        &mut self,
        function: EntityFunction,
        set: &SetIr,
        value: &ExprIr,
        entity: EntityId,
        year: i32,
    ) -> Value {
        let (members, mut first_gap) = self.filtered_members(set, entity, year)?;
        let mut values = Vec::new();
        for member in &members {
            match self.expr(value, *member, year) {
                Ok(value) => values.push(value),
                Err(Unknown::Missing(gap)) => {
                    first_gap.get_or_insert(gap);
                }
                Err(other) => return Err(other),
            }
        }
        self.note_coverage(set, year, values.len(), members.len());
        if values.is_empty() {
            return Err(first_gap.map_or_else(
                || Unknown::Error(format!("`{}` has no members", set.label)),
                Unknown::Missing,
            ));
        }
        Ok(aggregate(function, &values))
    }

    /// The entity's 1-based rank in a set by a value, best first (equal
    /// values share the best rank), and how many members had data: those
    /// without are left out, and the coverage says so.
    pub fn rank(
        &mut self,
        set: &SetIr,
        value: &ExprIr,
        better: Better,
        entity: EntityId,
        year: i32,
    ) -> Result<(usize, usize), Unknown> {
        let (members, _) = self.filtered_members(set, entity, year)?;
        if !members.contains(&entity) {
            return Err(Unknown::Error(format!(
                "{} is not one of `{}`, so it has no rank there",
                self.data.entity_name(entity),
                set.label
            )));
        }
        let own = self.expr(value, entity, year)?;
        let mut values = Vec::new();
        for member in &members {
            match self.expr(value, *member, year) {
                Ok(value) => values.push(value),
                Err(Unknown::Missing(_)) => {}
                Err(other) => return Err(other),
            }
        }
        self.note_coverage(set, year, values.len(), members.len());
        let ahead_of = match better {
            Better::Higher => CmpOp::Gt,
            Better::Lower => CmpOp::Lt,
        };
        let ahead = values
            .iter()
            .filter(|value| ahead_of.holds(**value, own))
            .count();
        Ok((ahead + 1, values.len()))
    }

    fn note_coverage(&mut self, set: &SetIr, year: i32, with_data: usize, total: usize) {
        let coverage = Coverage {
            set: set.label.clone(),
            year,
            with_data,
            total,
        };
        if !self.coverage.contains(&coverage) {
            self.coverage.push(coverage);
        }
    }

    /// How many members of a set pass a condition, of those that could be
    /// judged. Members without data are skipped; none judged is missing.
    fn judge_members(
        &mut self,
        set: &SetIr,
        condition: &CondIr,
        entity: EntityId,
        year: i32,
    ) -> Result<(usize, usize), Unknown> {
        let (members, mut first_gap) = self.filtered_members(set, entity, year)?;
        let (mut passed, mut judged) = (0, 0);
        for member in &members {
            match self.cond(condition, *member, year) {
                Truth::Pass => {
                    passed += 1;
                    judged += 1;
                }
                Truth::Fail => judged += 1,
                Truth::Unknown(Unknown::Missing(gap)) => {
                    first_gap.get_or_insert(gap);
                }
                Truth::Unknown(other) => return Err(other),
            }
        }
        self.note_coverage(set, year, judged, members.len());
        if judged == 0 {
            return Err(first_gap.map_or_else(
                || Unknown::Error(format!("`{}` has no members", set.label)),
                Unknown::Missing,
            ));
        }
        Ok((passed, judged))
    }

    /// The members of a set relative to `entity`, filtered.
    pub fn members(
        &mut self,
        set: &SetIr,
        entity: EntityId,
        year: i32,
    ) -> Result<Vec<EntityId>, Unknown> {
        self.filtered_members(set, entity, year)
            .map(|(members, _)| members)
    }

    /// The members of a set, and the first candidate left out because its
    /// filter lacked data: an empty set is then missing data, not an error.
    fn filtered_members(
        &mut self,
        set: &SetIr,
        entity: EntityId,
        year: i32,
    ) -> Result<(Vec<EntityId>, Option<Gap>), Unknown> {
        let entity = match &set.under {
            Some(name) => self
                .data
                .find_entity(name)
                .ok_or_else(|| Unknown::Error(not_in_data(self.data, name)))?,
            None => entity,
        };
        let candidates = match &set.kind {
            SetKind::Peers => sets::peers(self.data, entity),
            SetKind::Children => self.data.children(entity).to_vec(),
            SetKind::Descendants => sets::descendants(self.data, entity),
            SetKind::Tier { name, depth } => sets::descendants(self.data, entity)
                .into_iter()
                .filter(|member| sets::in_tier(self.data, *member, name, *depth))
                .collect(),
        };
        let Some(filter) = &set.filter else {
            return Ok((candidates, None));
        };
        let mut members = Vec::new();
        let mut filter_gap = None;
        for member in candidates {
            self.step()?;
            match self.cond(filter, member, year) {
                Truth::Pass => members.push(member),
                Truth::Fail => {}
                Truth::Unknown(Unknown::Missing(gap)) => {
                    filter_gap.get_or_insert(gap);
                }
                Truth::Unknown(other) => return Err(other),
            }
        }
        Ok((members, filter_gap))
    }

    pub fn cond(&mut self, cond: &CondIr, entity: EntityId, year: i32) -> Truth {
        if let Err(why) = self.step() {
            return Truth::Unknown(why);
        }
        if let CondIr::Quantified { .. } = cond {
            let key = (std::ptr::from_ref(cond) as usize, entity, year);
            let found = self.remembered(key, |evaluator| {
                Memo::Truth(evaluator.uncached_cond(cond, entity, year))
            });
            if let Memo::Truth(truth) = found {
                return truth;
            }
        }
        self.uncached_cond(cond, entity, year)
    }

    fn uncached_cond(&mut self, cond: &CondIr, entity: EntityId, year: i32) -> Truth {
        match cond {
            CondIr::Compare {
                left, op, right, ..
            } => {
                let left = self.expr(left, entity, year);
                let right = self.expr(right, entity, year);
                truth(both(left, right, |left, right| {
                    Ok(f64::from(u8::from(op.holds(left, right))))
                }))
            }
            CondIr::TextCompare { left, equal, right } => {
                let left = self.text(left, entity);
                let right = self.text(right, entity);
                match (left, right) {
                    (Ok(left), Ok(right)) => Truth::from_bool((left == right) == *equal),
                    (Err(why), _) | (_, Err(why)) => Truth::Unknown(why),
                }
            }
            CondIr::Between {
                value, low, high, ..
            } => {
                let value = self.expr(value, entity, year);
                match (value, self.bounds(low, high, entity, year)) {
                    (Ok(value), Ok((low, high))) => Truth::from_bool(
                        CmpOp::Ge.holds(value, low) && CmpOp::Le.holds(value, high),
                    ),
                    (Err(why), _) | (_, Err(why)) => Truth::Unknown(why),
                }
            }
            CondIr::Approx {
                value,
                center,
                tolerance,
                ..
            } => {
                let value = self.expr(value, entity, year);
                let center = self.expr(center, entity, year);
                truth(both(value, center, |value, center| {
                    let allowed = tolerance.allowed(center, self.default_tolerance);
                    // A hair of slack so that 58% against 60% ± 2pp passes.
                    Ok(f64::from(u8::from(
                        (value - center).abs() <= allowed + 1e-12,
                    )))
                }))
            }
            CondIr::Trend {
                value,
                direction,
                trend,
                from,
                to,
                ..
            } => {
                let mut steps = Vec::new();
                for year in *from..*to {
                    let first = self.expr(value, entity, year);
                    let second = self.expr(value, entity, year + 1);
                    steps.push(truth(both(first, second, |first, second| {
                        Ok(f64::from(u8::from(step_holds(
                            *direction, trend, first, second,
                        )?)))
                    })));
                }
                Truth::all(steps)
            }
            CondIr::Quantified {
                quantifier,
                set,
                condition,
            } => match self.judge_members(set, condition, entity, year) {
                Ok((passed, judged)) => match quantifier {
                    Quantifier::All => Truth::from_bool(passed == judged),
                    Quantifier::Any => Truth::from_bool(passed > 0),
                },
                Err(why) => Truth::Unknown(why),
            },
            CondIr::Top {
                set,
                value,
                better,
                share,
            } => match self.rank(set, value, *better, entity, year) {
                Ok((rank, ranked)) => Truth::from_bool(rank <= places(*share, ranked)),
                Err(why) => Truth::Unknown(why),
            },
            CondIr::Members(parts) => Truth::all(
                parts
                    .iter()
                    .map(|(_, part)| self.cond(part, entity, year))
                    .collect::<Vec<_>>(),
            ),
            CondIr::And(parts) => Truth::all(
                parts
                    .iter()
                    .map(|part| self.cond(part, entity, year))
                    .collect::<Vec<_>>(),
            ),
            CondIr::Or(parts) => Truth::any(
                parts
                    .iter()
                    .map(|part| self.cond(part, entity, year))
                    .collect::<Vec<_>>(),
            ),
            CondIr::Not(inner) => !self.cond(inner, entity, year),
        }
    }

    /// The bounds of a range, lower first whichever way they were written.
    fn bounds(
        &mut self,
        low: &ExprIr,
        high: &ExprIr,
        entity: EntityId,
        year: i32,
    ) -> Result<(f64, f64), Unknown> {
        let low = self.expr(low, entity, year);
        let high = self.expr(high, entity, year);
        match (low, high) {
            (Ok(low), Ok(high)) => Ok((low.min(high), low.max(high))),
            (Err(why), _) | (_, Err(why)) => Err(why),
        }
    }

    fn text(&self, expr: &ExprIr, entity: EntityId) -> Result<Option<String>, Unknown> {
        match expr {
            ExprIr::Text(text) => Ok(Some(text.clone())),
            ExprIr::Attribute(name) => {
                let Some(attribute) = self.data.find_attribute(name) else {
                    return Err(Unknown::Error(format!("the data has no `{name}` column")));
                };
                Ok(self.data.attribute(attribute, entity).map(str::to_string))
            }
            _ => Err(Unknown::Error("a number used as text".to_string())),
        }
    }
}

fn truth(value: Value) -> Truth {
    match value {
        Ok(holds) => Truth::from_bool(holds != 0.0),
        Err(why) => Truth::Unknown(why),
    }
}
