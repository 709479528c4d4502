//! Types conditions: comparisons, ranges, `≈`, trends, `and`/`or`/`not`,
//! and brings the two sides of a comparison to one unit.

use super::expr::{compatible, is_literal, Ty, Typed, Typer};
use super::units;
use crate::diag::{closest, Code, Diagnostic};
use crate::ir::{Better, CondIr, ExprIr, Quantifier, Timing, Tolerance, TrendIr};
use crate::syntax::ast::{BinOp, CmpOp, Cond, CondKind, Expr, ExprKind, Name, Span, Trend};
use crate::unit::{self, Dimension, Unit};

impl Typer<'_, '_> {
    pub(super) fn condition(&mut self, cond: &Cond) -> Option<CondIr> {
        match &cond.kind {
            CondKind::Or(parts) => {
                all_or_none(parts.iter().map(|part| self.condition(part)).collect()).map(CondIr::Or)
            }
            CondKind::And(parts) => {
                all_or_none(parts.iter().map(|part| self.condition(part)).collect())
                    .map(CondIr::And)
            }
            CondKind::Not(inner) => self
                .condition(inner)
                .map(|inner| CondIr::Not(Box::new(inner))),
            CondKind::Compare {
                left,
                op,
                op_span,
                right,
            } => self.compare(left, *op, op_span, right),
            CondKind::Between { value, low, high } => {
                let value = self.expr(value);
                let low = self.expr(low);
                let high = self.expr(high);
                let (value, low, high) = (value?, low?, high?);
                let span = low.span.start..high.span.end;
                let (value_ir, low_ir, unit) = self.unify(value.clone(), low, "compare")?;
                let (_, high_ir, _) = self.unify(value, high, "compare")?;
                if let (ExprIr::Const(low), ExprIr::Const(high)) = (&low_ir, &high_ir) {
                    if low > high {
                        // Swapping would guess what was meant.
                        self.error(
                            Diagnostic::error(
                                self.source(),
                                Code::BadRange,
                                span,
                                "the range runs backwards: its low end is above its high end",
                                "low end first",
                            )
                            .with_help("write the lower bound first: `X between LOW and HIGH`"),
                        );
                        return None;
                    }
                }
                Some(CondIr::Between {
                    value: value_ir,
                    low: low_ir,
                    high: high_ir,
                    unit,
                })
            }
            CondKind::Approx {
                value,
                center,
                tolerance,
            } => self.approx(value, center, tolerance.as_ref()),
            CondKind::Trend {
                value,
                direction,
                trend,
            } => self.trend(value, *direction, trend, &cond.span),
            CondKind::Better {
                left,
                strict,
                words,
                right,
            } => self.better_than(left, *strict, words, right),
            CondKind::Bare(expr) => match &expr.kind {
                ExprKind::Call { function, args } if function.text == "top" => {
                    self.top(function, args, &expr.span)
                }
                ExprKind::Call { function, args }
                    if matches!(function.text.as_str(), "all" | "any") =>
                {
                    let quantifier = if function.text == "all" {
                        Quantifier::All
                    } else {
                        Quantifier::Any
                    };
                    let (set, condition) = self.set_and_condition(function, args, &expr.span)?;
                    Some(CondIr::Quantified {
                        quantifier,
                        set,
                        condition: Box::new(condition),
                    })
                }
                ExprKind::Paren(inner) => self.condition(inner),
                _ => {
                    let typed = self.expr(expr)?;
                    self.value(&typed)?;
                    self.error(
                        Diagnostic::error(
                            self.source(),
                            Code::NotACondition,
                            expr.span.clone(),
                            "expected a condition, found a value",
                            "this is a value",
                        )
                        .with_help("compare it with a target: `县域就诊率 >= 90%`, or use a trend: `… rises each year`"),
                    );
                    None
                }
            },
        }
    }

    pub(super) fn compare(
        &mut self,
        left: &Expr,
        op: CmpOp,
        op_span: &Span,
        right: &Expr,
    ) -> Option<CondIr> {
        let left = self.expr(left);
        let right = self.expr(right);
        let (left, right) = (left?, right?);
        if matches!(left.ty, Ty::Text) || matches!(right.ty, Ty::Text) {
            return self.text_compare(left, op, op_span, right);
        }
        let described = self.source().text()[left.span.clone()].to_string();
        let target = self.source().text()[right.span.clone()].to_string();
        let (left_ir, right_ir, unit) = self.unify(left, right, "compare")?;
        if !self.in_filter {
            self.check_direction(&left_ir, &right_ir, op, op_span, (&described, &target));
        }
        Some(CondIr::Compare {
            left: left_ir,
            op,
            right: right_ir,
            unit,
        })
    }

    pub(super) fn text_compare(
        &mut self,
        mut left: Typed,
        op: CmpOp,
        op_span: &Span,
        mut right: Typed,
    ) -> Option<CondIr> {
        for side in [&mut left, &mut right] {
            if let Ty::Unresolved(name) = &side.ty {
                if self.in_filter {
                    side.ir = ExprIr::Attribute(name.text.clone());
                    side.ty = Ty::Text;
                }
            }
        }
        for side in [&left, &right] {
            if let Ty::Unresolved(name) = &side.ty {
                let name = name.clone();
                self.unknown_name(&name);
                return None;
            }
            if !matches!(side.ty, Ty::Text) {
                let span = side.span.clone();
                self.error(
                    Diagnostic::error(
                        self.source(),
                        Code::UnitMismatch,
                        span,
                        "cannot compare text with a number",
                        "not text",
                    )
                    .with_help("attributes such as `类型` are compared with strings: `类型 == \"妇幼保健院\"`"),
                );
                return None;
            }
        }
        let equal = match op {
            CmpOp::Eq => true,
            CmpOp::Ne => false,
            _ => {
                self.error(
                    Diagnostic::error(
                        self.source(),
                        Code::BadOperator,
                        op_span.clone(),
                        "text has no order",
                        "only `==` and `!=` compare text",
                    )
                    .with_help("write `==` or `!=`"),
                );
                return None;
            }
        };
        Some(CondIr::TextCompare {
            left: left.ir,
            equal,
            right: right.ir,
        })
    }

    pub(super) fn approx(
        &mut self,
        value: &Expr,
        center: &Expr,
        tolerance: Option<&Expr>,
    ) -> Option<CondIr> {
        let value = self.expr(value);
        let center = self.expr(center);
        let (value, center) = (value?, center?);
        let value_span = value.span.clone();
        let (value_ir, center_ir, unit) = self.unify(value, center, "compare")?;
        let tolerance_expr = tolerance;
        let tolerance = match tolerance {
            None => Tolerance::RunDefault,
            Some(expr) => {
                let typed = self.expr(expr)?;
                match (&typed.ty, &typed.ir) {
                    (Ty::Value(written), ExprIr::Const(amount)) => {
                        let relative_percent =
                            typed.percent_literal && unit.dimension == Dimension::Ratio;
                        if relative_percent {
                            self.error(
                                Diagnostic::error(
                                    self.source(),
                                    Code::UnitMismatch,
                                    typed.span.clone(),
                                    "a tolerance on a ratio is in percentage points",
                                    "a % tolerance",
                                )
                                .with_help(format!(
                                    "write `± {}pp`",
                                    unit::format_number(written.written(*amount))
                                )),
                            );
                            return None;
                        }
                        if typed.percent_literal {
                            Tolerance::Relative(*amount)
                        } else if compatible(&unit.difference(), written)
                            || written.dimension == unit.dimension
                        {
                            Tolerance::Absolute(*amount)
                        } else {
                            let diagnostic = Diagnostic::error(
                                self.source(),
                                Code::UnitMismatch,
                                typed.span.clone(),
                                format!(
                                    "a tolerance in {} does not fit a value in {}",
                                    unit::describe(written),
                                    unit::describe(&unit)
                                ),
                                unit::describe(written),
                            )
                            .with_label(value_span, unit::describe(&unit))
                            .with_help(
                                "write the tolerance in the value's unit, or in `%` of the centre: `± 5%`",
                            );
                            self.error(diagnostic);
                            return None;
                        }
                    }
                    (Ty::Bare, ExprIr::Const(amount)) if unit.dimension != Dimension::Ratio => {
                        Tolerance::Absolute(unit.canonical(*amount))
                    }
                    (Ty::Bare, ExprIr::Const(amount)) => {
                        let diagnostic = units::ratio_needs_unit(
                            self.source(),
                            (&typed.span, *amount),
                            (&typed.span, &unit.difference()),
                        );
                        self.error(diagnostic);
                        return None;
                    }
                    _ => {
                        self.error(
                            Diagnostic::error(
                                self.source(),
                                Code::BadTolerance,
                                typed.span.clone(),
                                "a tolerance is a number",
                                "expected a number like `2pp`",
                            )
                            .with_help("write `≈ 60% ± 2pp`"),
                        );
                        return None;
                    }
                }
            }
        };
        if let (Tolerance::Absolute(amount) | Tolerance::Relative(amount), Some(expr)) =
            (tolerance, tolerance_expr)
        {
            if amount < 0.0 {
                self.error(
                    Diagnostic::error(
                        self.source(),
                        Code::BadTolerance,
                        expr.span.clone(),
                        "a tolerance is not negative",
                        "below zero",
                    )
                    .with_help("write the distance allowed either way, e.g. `± 5pp`"),
                );
                return None;
            }
        }
        Some(CondIr::Approx {
            value: value_ir,
            center: center_ir,
            tolerance,
            unit,
        })
    }

    pub(super) fn trend(
        &mut self,
        value: &Expr,
        direction: crate::syntax::ast::Direction,
        trend: &Trend,
        span: &Span,
    ) -> Option<CondIr> {
        let typed = self.expr(value)?;
        let unit = self.value(&typed)?;
        // `婴儿死亡率 rises each year` with `better lower` asks it to worsen.
        let asks_higher = match trend {
            Trend::Never => direction == crate::syntax::ast::Direction::Falls,
            _ => direction == crate::syntax::ast::Direction::Rises,
        };
        if let Some(better) = typed.ir.better(&self.checker.indicators) {
            if (better == Better::Higher) != asks_higher && !self.in_filter {
                let written = self.source().text()[typed.span.clone()].to_string();
                let message = format!(
                    "`{written}` is better {}, but this rule asks it to go {}",
                    better.word(),
                    if asks_higher { "up" } else { "down" }
                );
                self.direction_conflict(asks_higher, span, message);
            }
        }
        let (from, to) = match (self.timing, self.period) {
            (Some(Timing::Every { from, to }), _) => (from, to),
            (Some(Timing::By { year }), Some((start, _))) if start < year => (start, year),
            (None, Some(period)) => period,
            _ => {
                self.error(
                    Diagnostic::error(
                        self.source(),
                        Code::TrendNeedsYears,
                        span.clone(),
                        "a trend needs a span of years",
                        "over which years?",
                    )
                    .with_help("add `from 2023 to 2025`, or give the document a `period`"),
                );
                return None;
            }
        };
        if from >= to {
            self.error(
                Diagnostic::error(
                    self.source(),
                    Code::TrendNeedsYears,
                    span.clone(),
                    format!("a trend needs at least two years, and {from} to {to} has one"),
                    "nothing to compare",
                )
                .with_help(format!(
                    "give the span two years or more: `from {from} to {}`",
                    from + 1
                )),
            );
            return None;
        }
        if let ExprIr::AtYear(_, year) = &typed.ir {
            self.error(
                Diagnostic::warning(
                    self.source(),
                    Code::TrendFixedYear,
                    typed.span.clone(),
                    format!(
                        "the value of {year} is the same in every year: this trend cannot hold"
                    ),
                    format!("always the {year} value"),
                )
                .with_help("drop the `@ YEAR`: a trend compares each year's own value"),
            );
        }
        self.saw_year(to);
        let trend = match trend {
            Trend::EachYear => TrendIr::EachYear,
            Trend::Never => TrendIr::Never,
            Trend::Step { op, amount } => {
                let amount = self.expr(amount)?;
                match (&amount.ty, &amount.ir) {
                    (Ty::Value(written), ExprIr::Const(step))
                        if written.dimension == Dimension::Ratio
                            && amount.percent_literal
                            && unit.dimension != Dimension::Ratio =>
                    {
                        TrendIr::Step {
                            op: *op,
                            amount: *step,
                            relative: true,
                        }
                    }
                    (Ty::Value(written), ExprIr::Const(step))
                        if written.dimension == Dimension::Ratio && amount.percent_literal =>
                    {
                        // `%` on a ratio is read as a relative step, `pp` as an absolute one.
                        TrendIr::Step {
                            op: *op,
                            amount: *step,
                            relative: true,
                        }
                    }
                    (Ty::Value(written), ExprIr::Const(step))
                        if written.dimension == Dimension::Ratio
                            && written.terms.is_none()
                            && unit.dimension == Dimension::Ratio
                            && unit.terms.is_none() =>
                    {
                        // `falls by >= 0.5‰ each year`: a step in the ratio's
                        // own notation is a difference, like `0.5个千分点`.
                        TrendIr::Step {
                            op: *op,
                            amount: *step,
                            relative: false,
                        }
                    }
                    (Ty::Value(written), ExprIr::Const(step))
                        if compatible(&unit.difference(), written) =>
                    {
                        TrendIr::Step {
                            op: *op,
                            amount: *step,
                            relative: false,
                        }
                    }
                    (Ty::Bare, ExprIr::Const(step))
                        if unit.dimension != Dimension::Ratio || unit.terms.is_some() =>
                    {
                        TrendIr::Step {
                            op: *op,
                            amount: unit.canonical(*step),
                            relative: false,
                        }
                    }
                    (Ty::Bare, ExprIr::Const(step)) => {
                        let diagnostic = units::ratio_needs_unit(
                            self.source(),
                            (&amount.span, *step),
                            (&typed.span, &unit.difference()),
                        );
                        self.error(diagnostic);
                        return None;
                    }
                    (Ty::Value(written), ExprIr::Const(_)) => {
                        let diagnostic = units::mismatch(
                            self.source(),
                            (&typed.span, &unit),
                            (&amount.span, written),
                            "step",
                        );
                        self.error(diagnostic);
                        return None;
                    }
                    _ => {
                        self.error(
                            Diagnostic::error(
                                self.source(),
                                Code::BadStep,
                                amount.span.clone(),
                                "a yearly step is a number",
                                "expected a number like `0.5pp`",
                            )
                            .with_help("write `rises by >= 0.5pp each year`"),
                        );
                        return None;
                    }
                }
            }
        };
        Some(CondIr::Trend {
            value: typed.ir,
            direction,
            trend,
            unit,
            from,
            to,
        })
    }

    /// Brings two operands to one unit; the compiled forms and that unit.
    pub(super) fn unify(
        &mut self,
        left: Typed,
        right: Typed,
        what: &str,
    ) -> Option<(ExprIr, ExprIr, Unit)> {
        match (&left.ty, &right.ty) {
            (Ty::Value(a), Ty::Value(b))
                if a.dimension == Dimension::Grade || b.dimension == Dimension::Grade =>
            {
                self.grades(&left, &right)
            }
            (Ty::Value(a), Ty::Unresolved(name)) if a.dimension == Dimension::Grade => {
                let (unit, name) = (a.clone(), name.clone());
                let rank = self.grade_rank(&unit, &name)?;
                Some((left.ir, ExprIr::Const(rank), unit))
            }
            (Ty::Unresolved(name), Ty::Value(a)) if a.dimension == Dimension::Grade => {
                let (unit, name) = (a.clone(), name.clone());
                let rank = self.grade_rank(&unit, &name)?;
                Some((ExprIr::Const(rank), right.ir, unit))
            }
            (Ty::Value(a), Ty::Value(b)) => {
                let (a, b) = (a.clone(), b.clone());
                if is_difference_literal(&right, &b, &a) {
                    return Some((left.ir, right.ir, a));
                }
                if is_difference_literal(&left, &a, &b) {
                    return Some((left.ir, right.ir, b));
                }
                // `每千人口执业医师数 >= 3.2人`: the measure word of a rate
                // reads in the declared rate, as it does in data.
                if let (ExprIr::Const(value), true) = (&right.ir, b.reads_in(&a)) {
                    return Some((left.ir, ExprIr::Const(a.canonical(*value)), a));
                }
                if let (ExprIr::Const(value), true) = (&left.ir, a.reads_in(&b)) {
                    return Some((ExprIr::Const(b.canonical(*value)), right.ir, b));
                }
                if compatible(&a, &b)
                    || (left.percent_literal && b.dimension == Dimension::Relative)
                    || (right.percent_literal && a.dimension == Dimension::Relative)
                {
                    let unit = if is_literal(&left) && !is_literal(&right) {
                        b
                    } else {
                        a
                    };
                    Some((left.ir, right.ir, unit))
                } else {
                    let diagnostic =
                        units::mismatch(self.source(), (&left.span, &a), (&right.span, &b), what);
                    self.error(diagnostic);
                    None
                }
            }
            (Ty::Value(unit), Ty::Bare) => {
                let unit = unit.clone();
                let right = self.adopt(right, &left, &unit)?;
                Some((left.ir, right, unit))
            }
            (Ty::Bare, Ty::Value(unit)) => {
                let unit = unit.clone();
                let left_ir = self.adopt(left, &right, &unit)?;
                Some((left_ir, right.ir, unit))
            }
            (Ty::Bare, Ty::Bare) => Some((left.ir, right.ir, Unit::number())),
            _ => {
                let left_unit = self.value(&left);
                let right_unit = self.value(&right);
                let (_, _) = (left_unit?, right_unit?);
                None
            }
        }
    }

    /// A bare number takes the unit of the other operand, except that a
    /// ratio, a change of one, or a relative change must be written with its unit.
    pub(super) fn adopt(&mut self, bare: Typed, other: &Typed, unit: &Unit) -> Option<ExprIr> {
        // A change of a `ratio A:B` is a plain difference of the B terms.
        if unit.dimension == Dimension::Points && unit.terms.is_some() {
            return Some(scale(bare.ir, unit));
        }
        if matches!(
            unit.dimension,
            Dimension::Ratio | Dimension::Points | Dimension::Relative
        ) {
            let number = match bare.ir {
                ExprIr::Const(number) => number,
                _ => f64::NAN,
            };
            let diagnostic =
                units::ratio_needs_unit(self.source(), (&bare.span, number), (&other.span, unit));
            self.error(diagnostic);
            return None;
        }
        if unit.dimension == Dimension::Grade {
            self.error(
                Diagnostic::error(
                    self.source(),
                    Code::UnitMismatch,
                    bare.span.clone(),
                    "a grade is compared with a grade name, not a number",
                    "a number",
                )
                .with_label(other.span.clone(), "a grade")
                .with_help(format!("write one of {}", grade_list(unit))),
            );
            return None;
        }
        Some(scale(bare.ir, unit))
    }

    pub(super) fn grades(&mut self, left: &Typed, right: &Typed) -> Option<(ExprIr, ExprIr, Unit)> {
        let (Ty::Value(a), Ty::Value(b)) = (&left.ty, &right.ty) else {
            return None;
        };
        if a.dimension == Dimension::Grade && b.dimension == Dimension::Grade {
            if a.grades != b.grades {
                let diagnostic = units::mismatch(
                    self.source(),
                    (&left.span, a),
                    (&right.span, b),
                    "compare grades of different scales:",
                );
                self.error(diagnostic.with_help("grades compare only within one declared order"));
                return None;
            }
            return Some((left.ir.clone(), right.ir.clone(), a.clone()));
        }
        // A level literal like `4级` names a grade.
        let (grade, grade_side, other) = if a.dimension == Dimension::Grade {
            (a, left, right)
        } else {
            (b, right, left)
        };
        if let Some(text) = &other.literal {
            let name = Name {
                text: text.clone(),
                span: other.span.clone(),
            };
            let rank = self.grade_rank(grade, &name)?;
            let grade = grade.clone();
            return Some(if std::ptr::eq(grade_side, left) {
                (left.ir.clone(), ExprIr::Const(rank), grade)
            } else {
                (ExprIr::Const(rank), right.ir.clone(), grade)
            });
        }
        let other_unit = match &other.ty {
            Ty::Value(unit) => unit.clone(),
            _ => Unit::number(),
        };
        let diagnostic = units::mismatch(
            self.source(),
            (&grade_side.span, grade),
            (&other.span, &other_unit),
            "compare",
        );
        self.error(diagnostic.with_help(format!(
            "a grade is compared with one of {}",
            grade_list(grade)
        )));
        None
    }

    pub(super) fn grade_rank(&mut self, unit: &Unit, name: &Name) -> Option<f64> {
        let grades = unit.grades.as_deref().unwrap_or_default();
        if let Some(rank) = grades.iter().position(|grade| *grade == name.text) {
            return Some(rank as f64);
        }
        let mut diagnostic = Diagnostic::error(
            self.source(),
            Code::UnknownGrade,
            name.span.clone(),
            format!("`{}` is not a grade of this indicator", name.text),
            "unknown grade",
        );
        diagnostic = match closest(&name.text, grades.iter().map(String::as_str)) {
            Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
            None => diagnostic.with_help(format!("the grades are {}", grade_list(unit))),
        };
        self.error(diagnostic);
        None
    }
}

fn all_or_none<T>(items: Vec<Option<T>>) -> Option<Vec<T>> {
    items.into_iter().collect()
}

/// A ratio literal in the notation of a difference of ratios other than
/// `%` (`-1‰`, `2/10万`): there is no points unit for these, so against a
/// change it stands for the difference itself. `%` must say `pp`.
fn is_difference_literal(literal: &Typed, unit: &Unit, other: &Unit) -> bool {
    is_literal(literal)
        && !literal.percent_literal
        && unit.dimension == Dimension::Ratio
        && unit.terms.is_none()
        && other.dimension == Dimension::Points
        && other.terms.is_none()
}

fn grade_list(unit: &Unit) -> String {
    unit.grades
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|grade| format!("`{grade}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A bare number read in `unit`.
fn scale(ir: ExprIr, unit: &Unit) -> ExprIr {
    match ir {
        ExprIr::Const(value) => ExprIr::Const(unit.canonical(value)),
        other if unit.scale == 1.0 => other,
        other => ExprIr::Binary {
            op: BinOp::Mul,
            left: Box::new(other),
            right: Box::new(ExprIr::Const(unit.scale)),
            unit: Some(unit.clone()),
        },
    }
}
