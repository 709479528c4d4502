//! The compiled, immutable program: rules with names resolved, units
//! checked and every literal in canonical form. This is what the evaluator
//! runs; it holds no syntax and does no I/O.

mod catalogue;
mod inspect;

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, SourceFile};
pub(crate) use crate::syntax::ast::{Better, BinOp, CmpOp, Direction};
use crate::unit::Unit;

/// Compiled rule files, ready to check any number of datasets.
///
/// ```
/// use zhibiao::{data::DatasetBuilder, CheckOptions, Status};
///
/// let city = zhibiao::compile("scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2024\n", "a.rules").unwrap();
/// let county = zhibiao::compile("scope 东港区\nindicator 县域就诊率: %\nrule 县域就诊率 >= 92% by 2024\n", "b.rules").unwrap();
/// let program = city.merge(county);
/// assert_eq!(program.rule_count(), 2);
/// assert!(program.describe().starts_with("a.rules:3 县域就诊率 >= 90%\n  compare: "));
///
/// let mut data = DatasetBuilder::new();
/// data.number("日照市", 2024, "县域就诊率", 91.0, Some("%"));
/// data.number("东港区", 2024, "县域就诊率", 91.0, Some("%"));
/// let (data, _) = data.build().unwrap();
/// let report = program.check(&data, &CheckOptions::default());
/// let statuses: Vec<Status> = report.outcomes.iter().map(|outcome| outcome.status).collect();
/// assert_eq!(statuses, [Status::Pass, Status::Fail]);
/// ```
#[derive(Debug, Clone)]
pub struct Program {
    pub(crate) modules: Vec<Module>,
    pub(crate) warnings: Vec<Diagnostic>,
}

/// One compiled rule file.
#[derive(Debug, Clone)]
pub(crate) struct Module {
    pub(crate) source: Arc<SourceFile>,
    pub(crate) document: Option<DocumentInfo>,
    pub(crate) indicators: Vec<IndicatorInfo>,
    pub(crate) benchmarks: Vec<BenchmarkInfo>,
    /// `group` names and their members.
    pub(crate) groups: Vec<(String, Vec<String>)>,
    pub(crate) tiers: Vec<String>,
    pub(crate) rules: Vec<RuleIr>,
    #[cfg(feature = "cli")]
    /// The scope in force at the end of the file (the REPL carries it on).
    pub(crate) scope: ScopeIr,
}

/// The `document` block of a rule file, as
/// [`Program::documents`] and [`RuleInfo::document`] give it; the example of
/// [`Catalogue`](crate::Catalogue) reads one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DocumentInfo {
    /// Document number or name, e.g. `日政办字〔2024〕23号`.
    pub id: String,
    /// Full title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Date of issue, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued: Option<String>,
    /// Base year for progress.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<i32>,
    /// Default span for trends and 保持 without years.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<(i32, i32)>,
}

/// A declared indicator.
#[derive(Debug, Clone)]
pub(crate) struct IndicatorInfo {
    pub(crate) name: String,
    pub(crate) aliases: Vec<String>,
    pub(crate) unit: Unit,
    /// `better lower` / `better higher`, if declared.
    pub(crate) better: Option<Better>,
}

/// A `benchmark` constant: a published figure rules compare with.
///
/// ```
/// let rules = "scope 日照市\nbenchmark 高收入国家人均预期寿命 = 81岁 source \"World Bank\"\n";
/// let program = zhibiao::compile(rules, "a.rules").unwrap();
/// let benchmark: &zhibiao::BenchmarkInfo = program.benchmarks().next().unwrap();
/// assert_eq!((benchmark.name.as_str(), benchmark.value.as_str()), ("高收入国家人均预期寿命", "81岁"));
/// assert_eq!(benchmark.source.as_deref(), Some("World Bank"));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BenchmarkInfo {
    /// Its name.
    pub name: String,
    /// Its value written in its unit: `81岁`.
    pub value: String,
    /// Where the figure is published, from `source "…"`.
    pub source: Option<String>,
    /// Its canonical value and unit (none for a bare number), for files
    /// and sessions that bring it in.
    pub(crate) canonical: (f64, Option<Unit>),
}

/// Where a rule is checked.
///
/// ```
/// use zhibiao::{ScopeIr, SetKind};
///
/// let rules = "scope 日照市\nindicator 床位数: 张\nrule 床位数 >= 100张 by 2025\nrule 床位数 >= 10张 by 2025 for each 下级\n";
/// let program = zhibiao::compile(rules, "a.rules").unwrap();
/// let scopes: Vec<ScopeIr> = program.rules().map(|rule| rule.scope().clone()).collect();
/// assert_eq!(scopes[0], ScopeIr::Entity("日照市".into()));
/// assert_eq!(scopes[1], ScopeIr::Each { tier: SetKind::Children, under: Some("日照市".into()) });
/// assert_eq!(scopes[1].to_string(), "each 下级 under 日照市");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum ScopeIr {
    /// One named entity.
    Entity(String),
    /// Every entity of a tier, optionally below a named entity.
    Each {
        /// Which entities: children, descendants or a tier.
        tier: SetKind,
        /// The entity they are below, if any.
        under: Option<String>,
    },
    /// No scope given: every root entity of the data.
    Roots,
}

/// When a rule is judged.
///
/// ```
/// use zhibiao::Timing;
///
/// let rules = "indicator 床位数: 张\nrule 床位数 >= 100张 by 2025\nrule 床位数 >= 90张 in 2024\nrule 床位数 rises each year from 2021 to 2025\n";
/// let program = zhibiao::compile(rules, "a.rules").unwrap();
/// let timings: Vec<Timing> = program.rules().map(|rule| rule.timing()).collect();
/// assert_eq!(timings[0], Timing::By { year: 2025 });
/// assert_eq!(timings[1], Timing::In { year: 2024 });
/// assert_eq!(timings[2].to_string(), "from 2021 to 2025");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Timing {
    /// `by YEAR`: the deadline; judged on that year's value.
    By {
        /// The deadline.
        year: i32,
    },
    /// `in YEAR`: an annual task; judged on that year's value.
    In {
        /// The year of the task.
        year: i32,
    },
    /// `from Y1 to Y2`: every year in the span, or the span of a trend.
    Every {
        /// The first year.
        from: i32,
        /// The last year.
        to: i32,
    },
    /// No year given: the years inside the condition decide when it is due,
    /// else it is judged on the as-of year.
    Implicit {
        /// The latest year the condition names, if any.
        due: Option<i32>,
    },
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub(crate) struct RuleIr {
    pub(crate) name: String,
    /// For a rule read from a sentence, the symbolic condition it stands
    /// for, as the symbolic form writes it.
    pub(crate) symbolic: Option<String>,
    pub(crate) text: String,
    pub(crate) span: Range<usize>,
    pub(crate) source: Option<String>,
    pub(crate) owner: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) binding: bool,
    pub(crate) missing_as_fail: bool,
    pub(crate) scope: ScopeIr,
    pub(crate) timing: Timing,
    pub(crate) since: Option<i32>,
    pub(crate) condition: CondIr,
    /// The `document` block above the rule in its file.
    pub(crate) document: Option<Arc<DocumentInfo>>,
}

/// A set of entities relative to the one being checked. The example of
/// [`ScopeIr`] shows one.
#[derive(Debug, Clone, PartialEq)]
pub enum SetKind {
    /// `下级`: direct children.
    Children,
    /// `下属`: all descendants.
    Descendants,
    /// `同级`: the entity and its siblings in the same tier.
    Peers,
    /// A tier name: descendants in that tier (declared depth or `级别`).
    Tier {
        /// The tier's name.
        name: String,
        /// Its depth in the declared `tiers`, if declared there.
        depth: Option<usize>,
    },
}

/// A set with its optional `where` filter.
#[derive(Debug, Clone)]
pub(crate) struct SetIr {
    pub(crate) kind: SetKind,
    pub(crate) label: String,
    /// `TIER under ENTITY`: the set is below that entity, not the one checked.
    pub(crate) under: Option<String>,
    pub(crate) filter: Option<Box<CondIr>>,
}

/// Functions over a span of years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum YearFunction {
    Change,
    Growth,
    Cagr,
    Avg,
    Sum,
    Min,
    Max,
}

impl YearFunction {
    const ALL: [YearFunction; 7] = [
        YearFunction::Change,
        YearFunction::Growth,
        YearFunction::Cagr,
        YearFunction::Avg,
        YearFunction::Sum,
        YearFunction::Min,
        YearFunction::Max,
    ];

    /// The name written in rules.
    pub(crate) fn name(self) -> &'static str {
        match self {
            YearFunction::Change => "change",
            YearFunction::Growth => "growth",
            YearFunction::Cagr => "cagr",
            YearFunction::Avg => "avg",
            YearFunction::Sum => "sum",
            YearFunction::Min => "min",
            YearFunction::Max => "max",
        }
    }

    /// The function of that name.
    pub(crate) fn parse(name: &str) -> Option<YearFunction> {
        Self::ALL
            .into_iter()
            .find(|function| function.name() == name)
    }
}

/// Functions over a set of entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntityFunction {
    Sum,
    Avg,
    Min,
    Max,
}

impl EntityFunction {
    /// The name written in rules.
    pub(crate) fn name(self) -> &'static str {
        match self {
            EntityFunction::Sum => "sum",
            EntityFunction::Avg => "avg",
            EntityFunction::Min => "min",
            EntityFunction::Max => "max",
        }
    }

    /// The function of that name.
    pub(crate) fn parse(name: &str) -> Option<EntityFunction> {
        [
            EntityFunction::Sum,
            EntityFunction::Avg,
            EntityFunction::Min,
            EntityFunction::Max,
        ]
        .into_iter()
        .find(|function| function.name() == name)
    }
}

/// Conditions over a set of entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quantifier {
    All,
    Any,
}

/// Another entity to read a value from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EntityRef {
    Parent,
    Named(String),
}

/// A value-producing expression.
#[derive(Debug, Clone)]
pub(crate) enum ExprIr {
    /// A canonical constant.
    Const(f64),
    /// An indicator of the current entity in the current year.
    Indicator(usize),
    /// A built-in text attribute such as `类型` (only in filters).
    Attribute(String),
    /// A string literal (only in filters).
    Text(String),
    AtYear(Box<ExprIr>, i32),
    AtEntity(Box<ExprIr>, EntityRef),
    OverYears {
        function: YearFunction,
        value: Box<ExprIr>,
        from: i32,
        to: i32,
        /// The result's unit, as the checker gave it (for printers; the
        /// library alone has none that reads it).
        #[cfg_attr(not(feature = "cli"), allow(dead_code))]
        unit: Unit,
    },
    /// `change(X)`, `growth(X)`: from the year before to the year evaluated.
    YearOnYear {
        function: YearFunction,
        value: Box<ExprIr>,
        /// The result's unit, as the checker gave it (for printers; the
        /// library alone has none that reads it).
        #[cfg_attr(not(feature = "cli"), allow(dead_code))]
        unit: Unit,
    },
    OverEntities {
        function: EntityFunction,
        set: SetIr,
        value: Box<ExprIr>,
    },
    Share {
        set: SetIr,
        condition: Box<CondIr>,
    },
    Count(SetIr),
    /// `rank(SET, X)`: 1-based, best first in the indicator's direction.
    Rank {
        set: SetIr,
        value: Box<ExprIr>,
        better: Better,
    },
    Binary {
        op: BinOp,
        left: Box<ExprIr>,
        right: Box<ExprIr>,
        /// The unit the checker gave the result; none for arithmetic of
        /// bare numbers, which are in the unit they are compared in.
        #[cfg_attr(not(feature = "cli"), allow(dead_code))]
        unit: Option<Unit>,
    },
    Neg(Box<ExprIr>),
    /// `progress(x, TARGET, YEAR[, BASE])`: the progress ratio.
    Progress {
        value: Box<ExprIr>,
        target: f64,
        target_year: i32,
        base_year: Option<i32>,
    },
}

/// A tolerance for `≈`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Tolerance {
    /// An absolute amount in canonical units.
    Absolute(f64),
    /// A fraction of the centre value.
    Relative(f64),
    /// None written: the run's default fraction of the centre value.
    RunDefault,
}

impl Tolerance {
    /// The allowed distance from `center`, given the run's default fraction.
    pub(crate) fn allowed(self, center: f64, default: f64) -> f64 {
        match self {
            Tolerance::Absolute(amount) => amount,
            Tolerance::Relative(fraction) => center.abs() * fraction,
            Tolerance::RunDefault => center.abs() * default,
        }
    }
}

/// A trend's rule between consecutive years.
#[derive(Debug, Clone)]
pub(crate) enum TrendIr {
    /// Strictly up or down every year.
    EachYear,
    /// Never down (rises) or never up (falls).
    Never,
    /// Each year's step compared with an amount, absolute or relative.
    Step {
        op: CmpOp,
        amount: f64,
        relative: bool,
    },
}

/// A condition: holds, fails, or cannot be judged.
#[derive(Debug, Clone)]
pub(crate) enum CondIr {
    Compare {
        left: ExprIr,
        op: CmpOp,
        right: ExprIr,
        unit: Unit,
    },
    /// A text comparison in a `where` filter: `类型 == "妇幼保健院"`.
    TextCompare {
        left: ExprIr,
        equal: bool,
        right: ExprIr,
    },
    Between {
        value: ExprIr,
        low: ExprIr,
        high: ExprIr,
        unit: Unit,
    },
    Approx {
        value: ExprIr,
        center: ExprIr,
        tolerance: Tolerance,
        unit: Unit,
    },
    /// A trend over consecutive years of `from..=to`.
    Trend {
        value: ExprIr,
        direction: Direction,
        trend: TrendIr,
        unit: Unit,
        from: i32,
        to: i32,
    },
    Quantified {
        quantifier: Quantifier,
        set: SetIr,
        condition: Box<CondIr>,
    },
    /// `top(SET, X, 25%)`: the entity ranks within the best `share` of SET.
    Top {
        set: SetIr,
        value: ExprIr,
        better: Better,
        share: f64,
    },
    /// A rule over a `group`: every member's condition, each labelled.
    Members(Vec<(String, CondIr)>),
    And(Vec<CondIr>),
    Or(Vec<CondIr>),
    Not(Box<CondIr>),
}

impl CondIr {
    /// The value a comparison, range, `≈` or trend is about: what a report
    /// shows as the actual value.
    pub(crate) fn main_value(&self) -> Option<&ExprIr> {
        match self {
            CondIr::Compare { left, .. } => Some(left),
            CondIr::Between { value, .. }
            | CondIr::Approx { value, .. }
            | CondIr::Trend { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The unit the condition's values are shown in.
    pub(crate) fn unit(&self) -> Option<&Unit> {
        match self {
            CondIr::Compare { unit, .. }
            | CondIr::Between { unit, .. }
            | CondIr::Approx { unit, .. }
            | CondIr::Trend { unit, .. } => Some(unit),
            CondIr::Quantified { condition, .. } | CondIr::Not(condition) => condition.unit(),
            CondIr::And(parts) | CondIr::Or(parts) => parts.first().and_then(CondIr::unit),
            CondIr::TextCompare { .. } | CondIr::Top { .. } | CondIr::Members(_) => None,
        }
    }

    /// The last year of the trends in the condition, if it has any: such
    /// a rule judges the trend's span at once, pair by pair, whatever its
    /// time clause.
    pub(crate) fn trend_end(&self) -> Option<i32> {
        match self {
            CondIr::Trend { to, .. } => Some(*to),
            CondIr::And(parts) | CondIr::Or(parts) => {
                parts.iter().filter_map(CondIr::trend_end).max()
            }
            CondIr::Members(parts) => parts.iter().filter_map(|(_, part)| part.trend_end()).max(),
            CondIr::Not(inner)
            | CondIr::Quantified {
                condition: inner, ..
            } => inner.trend_end(),
            _ => None,
        }
    }
}

impl ExprIr {
    /// Which way the value improves: its indicator's declared direction,
    /// carried through functions of it; `None` when nothing says.
    pub(crate) fn better(&self, indicators: &[IndicatorInfo]) -> Option<Better> {
        match self {
            ExprIr::Indicator(index) => indicators.get(*index).and_then(|info| info.better),
            ExprIr::AtYear(inner, _)
            | ExprIr::AtEntity(inner, _)
            | ExprIr::OverYears { value: inner, .. }
            | ExprIr::YearOnYear { value: inner, .. }
            | ExprIr::OverEntities { value: inner, .. } => inner.better(indicators),
            ExprIr::Neg(inner) => inner.better(indicators).map(Better::flip),
            // A rank is best at 1.
            ExprIr::Rank { .. } => Some(Better::Lower),
            // Scaled or shifted by a constant, or two values that agree.
            ExprIr::Binary {
                op, left, right, ..
            } => {
                let (a, b) = (left.better(indicators), right.better(indicators));
                match (op, &**right) {
                    (BinOp::Mul | BinOp::Div, ExprIr::Const(factor)) if *factor < 0.0 => {
                        a.map(Better::flip)
                    }
                    (_, ExprIr::Const(_)) => a,
                    (BinOp::Add, _) if a == b => a,
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

impl Program {
    /// Warnings found while compiling (the program compiled all the same).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The number of rules in all files.
    pub fn rule_count(&self) -> usize {
        self.modules.iter().map(|module| module.rules.len()).sum()
    }

    /// Every rule with its file, in order.
    pub fn rules(&self) -> impl Iterator<Item = RuleInfo<'_>> {
        self.modules.iter().flat_map(|module| {
            module
                .rules
                .iter()
                .map(move |rule| RuleInfo { module, rule })
        })
    }

    /// Every declared indicator: name, unit and aliases.
    pub fn indicators(&self) -> impl Iterator<Item = (&str, &Unit, &[String])> {
        self.modules.iter().flat_map(|module| {
            module
                .indicators
                .iter()
                .map(|info| (info.name.as_str(), &info.unit, info.aliases.as_slice()))
        })
    }

    /// Every benchmark in force in each file, imported ones included.
    pub fn benchmarks(&self) -> impl Iterator<Item = &BenchmarkInfo> {
        self.modules.iter().flat_map(|module| &module.benchmarks)
    }

    /// Joins two programs: the rules of both, checked together.
    pub fn merge(mut self, other: Program) -> Program {
        self.modules.extend(other.modules);
        self.warnings.extend(other.warnings);
        self
    }
}

/// A rule as a host sees it: its text and clauses, and a stable textual
/// view of what it means once compiled (numbers canonical: 90% is 0.9).
///
/// ```
/// let program = zhibiao::compile(
///     "scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2025 source \"二(一)3\"\n",
///     "a.rules",
/// )
/// .unwrap();
/// let rule = program.rules().next().unwrap();
/// assert_eq!((rule.file(), rule.line(), rule.source()), ("a.rules", 3, Some("二(一)3")));
/// assert_eq!(rule.indicators(), ["县域就诊率"]);
/// assert_eq!(rule.kind(), "compare");
/// assert_eq!(rule.condition_summary(), "县域就诊率 >= 0.9 [%]");
/// assert_eq!(
///     rule.describe(),
///     "compare: 县域就诊率 >= 0.9 [%]; by 2025; entity 日照市; binding"
/// );
/// ```
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo<'a> {
    pub(crate) module: &'a Module,
    pub(crate) rule: &'a RuleIr,
}

impl<'a> RuleInfo<'a> {
    /// The rule's name, or its condition as written.
    pub fn name(&self) -> &'a str {
        &self.rule.name
    }

    /// The rule as written.
    pub fn text(&self) -> &'a str {
        &self.rule.text
    }

    /// For a rule written as a sentence, the symbolic condition it was read
    /// as: `县域就诊率 >= 90%`.
    pub fn symbolic(&self) -> Option<&'a str> {
        self.rule.symbolic.as_deref()
    }

    /// The clause it came from.
    pub fn source(&self) -> Option<&'a str> {
        self.rule.source.as_deref()
    }

    /// The responsible unit.
    pub fn owner(&self) -> Option<&'a str> {
        self.rule.owner.as_deref()
    }

    /// The file it is in.
    pub fn file(&self) -> &'a str {
        self.module.source.name()
    }

    /// One-based line of the rule in its file.
    pub fn line(&self) -> usize {
        self.module.source.line_col(self.rule.span.start).0
    }

    /// Whether it is binding (约束性) rather than expected (预期性).
    pub fn binding(&self) -> bool {
        self.rule.binding
    }

    /// When it is judged.
    pub fn timing(&self) -> Timing {
        self.rule.timing
    }

    /// The document it belongs to: the `document` block above it.
    pub fn document(&self) -> Option<&'a DocumentInfo> {
        self.rule.document.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indicator(better: Option<Better>) -> IndicatorInfo {
        IndicatorInfo {
            name: "x".to_string(),
            aliases: Vec::new(),
            unit: Unit::percent(),
            better,
        }
    }

    #[test]
    fn a_direction_is_carried_through_functions_of_the_value() {
        let indicators = [indicator(Some(Better::Lower)), indicator(None)];
        let lower = ExprIr::Indicator(0);
        let growth = ExprIr::YearOnYear {
            function: YearFunction::Growth,
            value: Box::new(lower.clone()),
            unit: Unit::relative(),
        };
        assert_eq!(growth.better(&indicators), Some(Better::Lower));
        let negated = ExprIr::Neg(Box::new(lower.clone()));
        assert_eq!(negated.better(&indicators), Some(Better::Higher));
        let scaled = ExprIr::Binary {
            op: BinOp::Mul,
            left: Box::new(lower.clone()),
            right: Box::new(ExprIr::Const(-2.0)),
            unit: None,
        };
        assert_eq!(scaled.better(&indicators), Some(Better::Higher));
        let mixed = ExprIr::Binary {
            op: BinOp::Sub,
            left: Box::new(lower),
            right: Box::new(ExprIr::Indicator(1)),
            unit: None,
        };
        assert_eq!(mixed.better(&indicators), None);
        assert_eq!(ExprIr::Indicator(1).better(&indicators), None);
    }
}
