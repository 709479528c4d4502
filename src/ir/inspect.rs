//! A stable textual view of compiled rules: what each rule means once names
//! are resolved and literals are canonical (90% is 0.9, 14.5/10万 is
//! 0.000145, 1:0.55 is 0.55). Tests and hosts read rules through this
//! view instead of the compiled form, which may change (the example of
//! [`RuleInfo`](crate::RuleInfo) reads it).
//!
//! The summary's grammar: indicators by their declared name, numbers
//! canonical, comparators in ASCII (`>=`, `==`, `!=`), sums and products in
//! parentheses, a grade constant by its grade name, and after each
//! comparison, range, `≈` or trend the unit its values are shown in, in
//! brackets.

use std::fmt::{self, Write};

use super::{
    CmpOp, CondIr, Direction, EntityRef, ExprIr, Module, Program, Quantifier, RuleInfo, ScopeIr,
    SetIr, SetKind, Timing, Tolerance, TrendIr,
};
use crate::unit::Unit;

impl Program {
    /// Every rule, one block each: `file:line name`, then its
    /// [`RuleInfo::describe`] line indented.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for rule in self.rules() {
            let _ = writeln!(out, "{}:{} {}", rule.file(), rule.line(), rule.name());
            let _ = writeln!(out, "  {}", rule.describe());
        }
        out
    }
}

impl<'a> RuleInfo<'a> {
    /// Where the rule is checked.
    pub fn scope(&self) -> &'a ScopeIr {
        &self.rule.scope
    }

    /// The base year given with `since`.
    pub fn since(&self) -> Option<i32> {
        self.rule.since
    }

    /// Whether `missing as fail` was given.
    pub fn missing_as_fail(&self) -> bool {
        self.rule.missing_as_fail
    }

    /// The tags given with `tags`.
    pub fn tags(&self) -> &'a [String] {
        &self.rule.tags
    }

    /// What kind of condition the rule is: `compare`, `between`, `approx`,
    /// `trend`, `all`, `any`, `top`, `group`, `and`, `or`, `not` or `text`.
    pub fn kind(&self) -> &'static str {
        match &self.rule.condition {
            CondIr::Compare { .. } => "compare",
            CondIr::TextCompare { .. } => "text",
            CondIr::Between { .. } => "between",
            CondIr::Approx { .. } => "approx",
            CondIr::Trend { .. } => "trend",
            CondIr::Quantified {
                quantifier: Quantifier::All,
                ..
            } => "all",
            CondIr::Quantified {
                quantifier: Quantifier::Any,
                ..
            } => "any",
            CondIr::Top { .. } => "top",
            CondIr::Members(_) => "group",
            CondIr::And(_) => "and",
            CondIr::Or(_) => "or",
            CondIr::Not(_) => "not",
        }
    }

    /// The compiled condition in words, canonical values throughout:
    /// `县域就诊率 >= 0.9 [%]`.
    pub fn condition_summary(&self) -> String {
        let mut out = String::new();
        Writer {
            module: self.module,
            out: &mut out,
        }
        .cond(&self.rule.condition);
        out
    }

    /// One line: kind, condition, timing, scope, binding or expected, and
    /// `since` and `missing as fail` when given.
    pub fn describe(&self) -> String {
        let mut line = format!(
            "{}: {}; {}; {}; {}",
            self.kind(),
            self.condition_summary(),
            self.timing(),
            self.scope(),
            if self.binding() {
                "binding"
            } else {
                "expected"
            }
        );
        if let Some(since) = self.since() {
            let _ = write!(line, "; since {since}");
        }
        if self.missing_as_fail() {
            line.push_str("; missing as fail");
        }
        line
    }
}

impl fmt::Display for Timing {
    /// `by 2025`, `in 2025`, `from 2024 to 2025`, `no year, due 2025`, or
    /// `no year, as of` (judged on the as-of year).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Timing::By { year } => write!(f, "by {year}"),
            Timing::In { year } => write!(f, "in {year}"),
            Timing::Every { from, to } => write!(f, "from {from} to {to}"),
            Timing::Implicit { due: Some(year) } => write!(f, "no year, due {year}"),
            Timing::Implicit { due: None } => f.write_str("no year, as of"),
        }
    }
}

impl fmt::Display for ScopeIr {
    /// `entity 日照市`, `each 县级 (depth 3) under 山东省`, `each 下级 under
    /// 日照市`, or `roots` (every entity without a parent).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScopeIr::Entity(name) => write!(f, "entity {name}"),
            ScopeIr::Each { tier, under } => {
                write!(f, "each {tier}")?;
                match under {
                    Some(under) => write!(f, " under {under}"),
                    None => Ok(()),
                }
            }
            ScopeIr::Roots => f.write_str("roots"),
        }
    }
}

impl fmt::Display for SetKind {
    /// `下级`, `下属`, `县级 (depth 3)` for a declared tier, `县级` for one
    /// read from the data's `级别`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetKind::Children => f.write_str(crate::vocab::CHILDREN),
            SetKind::Descendants => f.write_str(crate::vocab::DESCENDANTS),
            SetKind::Peers => f.write_str(crate::vocab::PEERS),
            SetKind::Tier {
                name,
                depth: Some(depth),
            } => write!(f, "{name} (depth {depth})"),
            SetKind::Tier { name, depth: None } => f.write_str(name),
        }
    }
}

/// Writes conditions and expressions of one module.
struct Writer<'w> {
    module: &'w Module,
    out: &'w mut String,
}

impl Writer<'_> {
    fn push(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn cond(&mut self, cond: &CondIr) {
        match cond {
            CondIr::Compare {
                left,
                op,
                right,
                unit,
            } => {
                self.expr(left, unit);
                self.push(&format!(" {} ", ascii(*op)));
                self.expr(right, unit);
                self.unit(unit);
            }
            CondIr::TextCompare { left, equal, right } => {
                let unit = Unit::number();
                self.expr(left, &unit);
                self.push(if *equal { " == " } else { " != " });
                self.expr(right, &unit);
            }
            CondIr::Between {
                value,
                low,
                high,
                unit,
            } => {
                self.expr(value, unit);
                self.push(" between ");
                self.expr(low, unit);
                self.push(" and ");
                self.expr(high, unit);
                self.unit(unit);
            }
            CondIr::Approx {
                value,
                center,
                tolerance,
                unit,
            } => {
                self.expr(value, unit);
                self.push(" ≈ ");
                self.expr(center, unit);
                match tolerance {
                    Tolerance::Absolute(amount) => {
                        self.push(&format!(" ± {}", number(*amount)));
                    }
                    Tolerance::Relative(fraction) => {
                        self.push(&format!(" ± {} (relative)", number(*fraction)));
                    }
                    Tolerance::RunDefault => self.push(" ± the run's default (relative)"),
                }
                self.unit(unit);
            }
            CondIr::Trend {
                value,
                direction,
                trend,
                unit,
                from,
                to,
            } => {
                self.expr(value, unit);
                let direction = match direction {
                    Direction::Rises => "rises",
                    Direction::Falls => "falls",
                };
                let words = match trend {
                    TrendIr::EachYear => format!(" {direction} each year"),
                    TrendIr::Never => format!(" never {direction}"),
                    TrendIr::Step {
                        op,
                        amount,
                        relative,
                    } => format!(
                        " {direction} by {} {}{} each year",
                        ascii(*op),
                        number(*amount),
                        if *relative { " (relative)" } else { "" }
                    ),
                };
                self.push(&words);
                self.push(&format!(" over {from}..{to}"));
                self.unit(unit);
            }
            CondIr::Quantified {
                quantifier,
                set,
                condition,
            } => {
                self.push(match quantifier {
                    Quantifier::All => "all(",
                    Quantifier::Any => "any(",
                });
                self.set(set);
                self.push(", ");
                self.cond(condition);
                self.push(")");
            }
            CondIr::And(parts) | CondIr::Or(parts) => {
                let joiner = if matches!(cond, CondIr::And(_)) {
                    " and "
                } else {
                    " or "
                };
                self.push("(");
                for (at, part) in parts.iter().enumerate() {
                    if at > 0 {
                        self.push(joiner);
                    }
                    self.cond(part);
                }
                self.push(")");
            }
            CondIr::Not(inner) => {
                self.push("not ");
                self.cond(inner);
            }
            CondIr::Top {
                set,
                value,
                better,
                share,
            } => {
                self.push("top(");
                self.set(set);
                self.push(", ");
                self.expr(value, &Unit::number());
                self.push(&format!(", {}) [better {}]", number(*share), better.word()));
            }
            CondIr::Members(parts) => {
                self.push("all of (");
                for (at, (member, part)) in parts.iter().enumerate() {
                    if at > 0 {
                        self.push("; ");
                    }
                    self.push(&format!("{member}: "));
                    self.cond(part);
                }
                self.push(")");
            }
        }
    }

    fn unit(&mut self, unit: &Unit) {
        self.push(&format!(" [{unit}]"));
    }

    fn set(&mut self, set: &SetIr) {
        self.push(&set.kind.to_string());
        if let Some(under) = &set.under {
            self.push(&format!(" under {under}"));
        }
        if let Some(filter) = &set.filter {
            self.push(" where ");
            self.cond(filter);
        }
    }

    /// `unit` is the unit of the comparison the expression is in, so a
    /// grade constant can be named.
    fn expr(&mut self, expr: &ExprIr, unit: &Unit) {
        match expr {
            ExprIr::Const(value) => {
                let grade = unit.grades.as_deref().and_then(|grades| {
                    (value.fract() == 0.0 && *value >= 0.0)
                        .then(|| grades.get(*value as usize))
                        .flatten()
                });
                match grade {
                    Some(grade) => self.push(grade),
                    None => self.push(&number(*value)),
                }
            }
            ExprIr::Indicator(index) => {
                let name = self
                    .module
                    .indicators
                    .get(*index)
                    .map_or("?", |info| info.name.as_str());
                self.push(name);
            }
            ExprIr::Attribute(name) => self.push(name),
            ExprIr::Text(text) => self.push(&format!("{text:?}")),
            ExprIr::AtYear(inner, year) => {
                self.expr(inner, unit);
                self.push(&format!(" @ {year}"));
            }
            ExprIr::AtEntity(inner, target) => {
                self.expr(inner, unit);
                match target {
                    EntityRef::Parent => self.push(&format!(" @ {}", crate::vocab::PARENT)),
                    EntityRef::Named(name) => self.push(&format!(" @ {name}")),
                }
            }
            ExprIr::OverYears {
                function,
                value,
                from,
                to,
                ..
            } => {
                self.push(&format!("{}(", function.name()));
                self.expr(value, unit);
                self.push(&format!(", {from}..{to})"));
            }
            ExprIr::OverEntities {
                function,
                set,
                value,
            } => {
                self.push(&format!("{}(", function.name()));
                self.set(set);
                self.push(", ");
                self.expr(value, unit);
                self.push(")");
            }
            ExprIr::Share { set, condition } => {
                self.push("share(");
                self.set(set);
                self.push(", ");
                self.cond(condition);
                self.push(")");
            }
            ExprIr::Count(set) => {
                self.push("count(");
                self.set(set);
                self.push(")");
            }
            ExprIr::YearOnYear {
                function, value, ..
            } => {
                self.push(&format!("{}(", function.name()));
                self.expr(value, unit);
                self.push(", year before..year)");
            }
            ExprIr::Rank { set, value, better } => {
                self.push("rank(");
                self.set(set);
                self.push(", ");
                self.expr(value, unit);
                self.push(&format!(") [better {}]", better.word()));
            }
            ExprIr::Binary {
                op, left, right, ..
            } => {
                self.push("(");
                self.expr(left, unit);
                self.push(&format!(" {} ", op.symbol()));
                self.expr(right, unit);
                self.push(")");
            }
            ExprIr::Neg(inner) => {
                self.push("-");
                self.expr(inner, unit);
            }
            ExprIr::Progress {
                value,
                target,
                target_year,
                base_year,
            } => {
                self.push("progress(");
                self.expr(value, unit);
                self.push(&format!(", {}, {target_year}", number(*target)));
                if let Some(base) = base_year {
                    self.push(&format!(", {base}"));
                }
                self.push(")");
            }
        }
    }
}

fn ascii(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Ge => ">=",
        CmpOp::Gt => ">",
        CmpOp::Le => "<=",
        CmpOp::Lt => "<",
        CmpOp::Eq => "==",
        CmpOp::Ne => "!=",
    }
}

/// A canonical number without floating-point noise: ten significant
/// digits, then the shortest form (`0.000145`, not `0.00014500000000000001`).
fn number(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let rounded: f64 = format!("{value:.9e}").parse().unwrap_or(value);
    if rounded == 0.0 {
        "0".to_string()
    } else {
        rounded.to_string()
    }
}
