//! Types expressions and conditions: resolves names, applies the unit rules
//! of the language, and builds their compiled form.

use super::{units, Checker, PARENT};
use crate::compile::program::{
    CondIr, EntityFunction, EntityRef, ExprIr, Quantifier, SetIr, Timing, Tolerance, TrendIr,
    YearFunction,
};
use crate::diag::{closest, Diagnostic};
use crate::syntax::ast::{
    Arg, AtTarget, BinOp, CmpOp, Cond, CondKind, Expr, ExprKind, Name, Span, Trend, WrittenUnit,
};
use crate::unit::{self, Dimension, Unit};

/// What an expression is, as far as the checker knows.
#[derive(Debug, Clone)]
enum Ty {
    /// A value in a unit.
    Value(Unit),
    /// A number written without a unit: it takes the other operand's.
    Bare,
    /// A name that is no indicator: a grade value if compared with a grade.
    Unresolved(Name),
    /// A string or an attribute.
    Text,
}

#[derive(Debug, Clone)]
struct Typed {
    ir: ExprIr,
    ty: Ty,
    span: Span,
    /// A `%` literal, which may stand for a relative change too.
    percent_literal: bool,
    /// The text of a level literal like `4级`, which may name a grade.
    literal: Option<String>,
}

impl Typed {
    fn new(ir: ExprIr, ty: Ty, span: Span) -> Typed {
        Typed {
            ir,
            ty,
            span,
            percent_literal: false,
            literal: None,
        }
    }
}

pub struct Typer<'c, 'a> {
    checker: &'c mut Checker<'a>,
    timing: Option<Timing>,
    period: Option<(i32, i32)>,
    /// The latest year named inside the condition: when a rule without a
    /// time clause falls due.
    pub latest_year: Option<i32>,
    in_filter: bool,
}

const FUNCTIONS: &[&str] = &[
    "change", "growth", "cagr", "avg", "sum", "min", "max", "all", "any", "share", "count",
    "progress",
];

impl<'c, 'a> Typer<'c, 'a> {
    pub fn new(
        checker: &'c mut Checker<'a>,
        timing: Option<Timing>,
        period: Option<(i32, i32)>,
    ) -> Self {
        Typer {
            checker,
            timing,
            period,
            latest_year: None,
            in_filter: false,
        }
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.checker.error(diagnostic);
    }

    fn source(&self) -> &std::sync::Arc<crate::diag::SourceFile> {
        self.checker.source
    }

    fn saw_year(&mut self, year: i32) {
        self.latest_year = Some(self.latest_year.map_or(year, |latest| latest.max(year)));
    }

    pub fn rule_condition(&mut self, cond: &Cond) -> Option<CondIr> {
        self.condition(cond)
    }

    /// A value expression typed on its own (the REPL): its compiled form
    /// and unit.
    pub fn value_expression(&mut self, expr: &Expr) -> Option<(ExprIr, Unit)> {
        let typed = self.expr(expr)?;
        let unit = self.value(&typed)?;
        Some((typed.ir, unit))
    }

    fn condition(&mut self, cond: &Cond) -> Option<CondIr> {
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
                let (value_ir, low_ir, unit) = self.unify(value.clone(), low, "compare")?;
                let (_, high_ir, _) = self.unify(value, high, "compare")?;
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
            CondKind::Bare(expr) => match &expr.kind {
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
                            "not-a-condition",
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

    fn compare(&mut self, left: &Expr, op: CmpOp, op_span: &Span, right: &Expr) -> Option<CondIr> {
        let left = self.expr(left);
        let right = self.expr(right);
        let (left, right) = (left?, right?);
        if matches!(left.ty, Ty::Text) || matches!(right.ty, Ty::Text) {
            return self.text_compare(left, op, op_span, right);
        }
        let (left_ir, right_ir, unit) = self.unify(left, right, "compare")?;
        Some(CondIr::Compare {
            left: left_ir,
            op,
            right: right_ir,
            unit,
        })
    }

    fn text_compare(
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
                        "unit-mismatch",
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
                        "bad-operator",
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

    fn approx(&mut self, value: &Expr, center: &Expr, tolerance: Option<&Expr>) -> Option<CondIr> {
        let value = self.expr(value);
        let center = self.expr(center);
        let (value, center) = (value?, center?);
        let value_span = value.span.clone();
        let (value_ir, center_ir, unit) = self.unify(value, center, "compare")?;
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
                                    "unit-mismatch",
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
                                "unit-mismatch",
                                typed.span.clone(),
                                format!(
                                    "a tolerance in {} does not fit a value in {}",
                                    units::describe(written),
                                    units::describe(&unit)
                                ),
                                units::describe(written),
                            )
                            .with_label(value_span, units::describe(&unit))
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
                                "bad-tolerance",
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
        Some(CondIr::Approx {
            value: value_ir,
            center: center_ir,
            tolerance,
            unit,
        })
    }

    fn trend(
        &mut self,
        value: &Expr,
        direction: crate::syntax::ast::Direction,
        trend: &Trend,
        span: &Span,
    ) -> Option<CondIr> {
        let typed = self.expr(value)?;
        let unit = self.value(&typed)?;
        let (from, to) = match (self.timing, self.period) {
            (Some(Timing::Every { from, to }), _) => (from, to),
            (Some(Timing::By { year }), Some((start, _))) if start < year => (start, year),
            (None, Some(period)) => period,
            _ => {
                self.error(
                    Diagnostic::error(
                        self.source(),
                        "trend-needs-years",
                        span.clone(),
                        "a trend needs a span of years",
                        "over which years?",
                    )
                    .with_help("add `from 2023 to 2025`, or give the document a `period`"),
                );
                return None;
            }
        };
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
                                "bad-step",
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

    /// The unit of a value expression; an error for text or unknown names.
    fn value(&mut self, typed: &Typed) -> Option<Unit> {
        match &typed.ty {
            Ty::Value(unit) => Some(unit.clone()),
            Ty::Bare => Some(Unit::number()),
            Ty::Unresolved(name) => {
                let name = name.clone();
                self.unknown_name(&name);
                None
            }
            Ty::Text => {
                self.error(
                    Diagnostic::error(
                        self.source(),
                        "unit-mismatch",
                        typed.span.clone(),
                        "text where a number is expected",
                        "text",
                    )
                    .with_help("text is only compared with `==` or `!=` in a `where` filter"),
                );
                None
            }
        }
    }

    fn unknown_name(&mut self, name: &Name) {
        let candidates: Vec<String> = self.checker.names.keys().cloned().collect();
        let mut diagnostic = Diagnostic::error(
            self.source(),
            "unknown-indicator",
            name.span.clone(),
            format!("unknown indicator `{}`", name.text),
            "not declared",
        );
        diagnostic = match closest(&name.text, candidates.iter().map(String::as_str)) {
            Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
            None => diagnostic.with_help(format!(
                "declare it: `indicator {}: %` (with its unit)",
                written_name(&name.text)
            )),
        };
        self.error(diagnostic);
    }

    /// Brings two operands to one unit; the compiled forms and that unit.
    fn unify(&mut self, left: Typed, right: Typed, what: &str) -> Option<(ExprIr, ExprIr, Unit)> {
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
    fn adopt(&mut self, bare: Typed, other: &Typed, unit: &Unit) -> Option<ExprIr> {
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
                    "unit-mismatch",
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

    fn grades(&mut self, left: &Typed, right: &Typed) -> Option<(ExprIr, ExprIr, Unit)> {
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

    fn grade_rank(&mut self, unit: &Unit, name: &Name) -> Option<f64> {
        let grades = unit.grades.as_deref().unwrap_or_default();
        if let Some(rank) = grades.iter().position(|grade| *grade == name.text) {
            return Some(rank as f64);
        }
        let mut diagnostic = Diagnostic::error(
            self.source(),
            "unknown-grade",
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

    fn expr(&mut self, expr: &Expr) -> Option<Typed> {
        let span = expr.span.clone();
        match &expr.kind {
            ExprKind::Quantity { number, unit: None } => {
                Some(Typed::new(ExprIr::Const(*number), Ty::Bare, span))
            }
            ExprKind::Quantity {
                number,
                unit:
                    Some(WrittenUnit::Word {
                        text,
                        span: unit_span,
                    }),
            } => {
                let unit = match unit::parse(text) {
                    Ok(unit) => unit,
                    Err(unknown) => {
                        let written = &self.source().text()[span.clone()];
                        // `5岁以下儿童死亡率` reads as the number 5 and the
                        // unit `岁以下儿童死亡率`: it is a name to be quoted.
                        let diagnostic = if self.checker.names.contains_key(written)
                            || (text.chars().count() > 4 && !text.contains('/'))
                        {
                            Diagnostic::error(
                                self.source(),
                                "unquoted-name",
                                span.clone(),
                                "a name starting with a digit is written in 「…」",
                                "a name starting with a digit",
                            )
                            .with_help(format!("write `「{written}」`"))
                        } else {
                            units::unknown_unit(self.source(), text, unit_span.clone(), unknown)
                        };
                        self.error(diagnostic);
                        return None;
                    }
                };
                let mut typed = Typed::new(
                    ExprIr::Const(unit.canonical(*number)),
                    Ty::Value(unit.clone()),
                    span.clone(),
                );
                typed.percent_literal = unit.symbol.as_ref() == "%";
                if unit.dimension == Dimension::Level {
                    typed.literal = Some(self.source().text()[span].to_string());
                }
                Some(typed)
            }
            ExprKind::Quantity {
                number,
                unit:
                    Some(WrittenUnit::Ratio {
                        second,
                        span: unit_span,
                    }),
            } => {
                if *number != 1.0 {
                    let diagnostic = Diagnostic::warning(
                        self.source(),
                        "ratio-not-one",
                        span.clone(),
                        format!("ratio literal `{}` does not start with 1", &self.source().text()[span.clone()]),
                        format!("read as 1:{}", unit::format_number(second / number)),
                    )
                    .with_label(unit_span.clone(), "second term")
                    .with_help("a ratio is the second term per one of the first, as declared; write it `1:x` to say so");
                    self.error(diagnostic);
                }
                if *number == 0.0 {
                    self.error(
                        Diagnostic::error(
                            self.source(),
                            "bad-ratio",
                            span.clone(),
                            "a ratio cannot start with 0",
                            "zero first term",
                        )
                        .with_help("write `1:x`"),
                    );
                    return None;
                }
                Some(Typed::new(
                    ExprIr::Const(second / number),
                    Ty::Value(Unit::ratio_of("", "")),
                    span,
                ))
            }
            ExprKind::Text(text) => {
                Some(Typed::new(ExprIr::Text(text.value.clone()), Ty::Text, span))
            }
            ExprKind::Name(name) => Some(self.name(name)),
            ExprKind::Neg(inner) => {
                let inner = self.expr(inner)?;
                self.value(&inner)?;
                if let Ty::Value(unit) = &inner.ty {
                    if unit.dimension == Dimension::Grade {
                        self.error(
                            Diagnostic::error(
                                self.source(),
                                "unit-mismatch",
                                span,
                                "a grade cannot be negated",
                                "a grade",
                            )
                            .with_help("compare grades with `>=` or `<`"),
                        );
                        return None;
                    }
                }
                let ir = match inner.ir {
                    ExprIr::Const(value) => ExprIr::Const(-value),
                    other => ExprIr::Neg(Box::new(other)),
                };
                Some(Typed { ir, span, ..inner })
            }
            ExprKind::Binary { op, left, right } => self.binary(*op, left, right, span),
            ExprKind::At { value, at } => {
                let inner = self.expr(value)?;
                self.value(&inner)?;
                let ir = match at {
                    AtTarget::Year(year) => {
                        if !self.checker.check_year(*year) {
                            return None;
                        }
                        self.saw_year(year.value);
                        ExprIr::AtYear(Box::new(inner.ir), year.value)
                    }
                    AtTarget::Entity(name) if name.text == PARENT => {
                        ExprIr::AtEntity(Box::new(inner.ir), EntityRef::Parent)
                    }
                    AtTarget::Entity(name) => {
                        if self.checker.names.contains_key(&name.text) {
                            self.error(
                                Diagnostic::error(self.source(), "not-an-entity", name.span.clone(), format!("`{}` is an indicator, not an entity", name.text), "expected an entity or a year")
                                    .with_help("`@` takes a year (`@ 2020`), `上级`, or an entity name (`@ 四川省`)"),
                            );
                            return None;
                        }
                        ExprIr::AtEntity(Box::new(inner.ir), EntityRef::Named(name.text.clone()))
                    }
                };
                Some(Typed { ir, span, ..inner })
            }
            ExprKind::Call { function, args } => self.call(function, args, span),
            ExprKind::Paren(_) => {
                self.error(
                    Diagnostic::error(self.source(), "not-a-value", span, "a condition where a value is expected", "this is a condition")
                        .with_help("use a condition inside `all`, `any` or `share`, or compare values outside the brackets"),
                );
                None
            }
        }
    }

    fn name(&mut self, name: &Name) -> Typed {
        let span = name.span.clone();
        if let Some((index, _)) = self.checker.names.get(&name.text) {
            let unit = self.checker.indicators[*index].unit.clone();
            return Typed::new(ExprIr::Indicator(*index), Ty::Value(unit), span);
        }
        // In a filter an unknown name may be an attribute (`类型`) or a
        // grade value; the comparison decides.
        Typed::new(ExprIr::Const(f64::NAN), Ty::Unresolved(name.clone()), span)
    }

    fn binary(&mut self, op: BinOp, left: &Expr, right: &Expr, span: Span) -> Option<Typed> {
        let left = self.expr(left);
        let right = self.expr(right);
        let (left, right) = (left?, right?);
        let left_unit = self.value(&left);
        let right_unit = self.value(&right);
        let (left_unit, right_unit) = (left_unit?, right_unit?);
        for (side, unit) in [(&left, &left_unit), (&right, &right_unit)] {
            if unit.dimension == Dimension::Grade {
                let span = side.span.clone();
                self.error(
                    Diagnostic::error(
                        self.source(),
                        "unit-mismatch",
                        span,
                        "grades have no arithmetic",
                        "a grade",
                    )
                    .with_help("compare grades with `>=` or `<`"),
                );
                return None;
            }
        }
        let build = |left: ExprIr, right: ExprIr| match (&left, &right) {
            (ExprIr::Const(a), ExprIr::Const(b)) => ExprIr::Const(match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                BinOp::Div => a / b,
            }),
            _ => ExprIr::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
            },
        };
        let bare = |typed: &Typed| matches!(typed.ty, Ty::Bare);
        let ty = match op {
            BinOp::Add | BinOp::Sub => {
                if bare(&left) && bare(&right) {
                    return Some(Typed::new(build(left.ir, right.ir), Ty::Bare, span));
                }
                let verb = if op == BinOp::Add { "add" } else { "subtract" };
                let (left_ir, right_ir, unit) = if bare(&left) || bare(&right) {
                    self.unify(left.clone(), right.clone(), verb)?
                } else {
                    let unit = self.sum_unit(op, &left, &left_unit, &right, &right_unit, verb)?;
                    return Some(Typed::new(build(left.ir, right.ir), Ty::Value(unit), span));
                };
                let unit = if op == BinOp::Sub && unit.dimension == Dimension::Ratio {
                    unit.difference()
                } else {
                    unit
                };
                return Some(Typed::new(build(left_ir, right_ir), Ty::Value(unit), span));
            }
            BinOp::Mul => match (bare(&left), bare(&right)) {
                (true, true) => Ty::Bare,
                (false, true) => Ty::Value(left_unit),
                (true, false) => Ty::Value(right_unit),
                (false, false) => {
                    let fraction = |unit: &Unit| {
                        matches!(
                            unit.dimension,
                            Dimension::Ratio | Dimension::Relative | Dimension::Number
                        )
                    };
                    if fraction(&right_unit) {
                        Ty::Value(left_unit)
                    } else if fraction(&left_unit) {
                        Ty::Value(right_unit)
                    } else {
                        let diagnostic = units::mismatch(
                            self.source(),
                            (&left.span, &left_unit),
                            (&right.span, &right_unit),
                            "multiply",
                        );
                        self.error(diagnostic);
                        return None;
                    }
                }
            },
            BinOp::Div => match (bare(&left), bare(&right)) {
                (true, true) => Ty::Bare,
                (false, true) => Ty::Value(left_unit),
                (true, false) => Ty::Value(Unit::number()),
                (false, false) if compatible(&left_unit, &right_unit) => Ty::Value(Unit::percent()),
                (false, false) if right_unit.dimension == Dimension::Number => Ty::Value(left_unit),
                (false, false) => Ty::Value(Unit::number()),
            },
        };
        Some(Typed::new(build(left.ir, right.ir), ty, span))
    }

    /// The unit of a sum or difference of two values with units.
    fn sum_unit(
        &mut self,
        op: BinOp,
        left: &Typed,
        a: &Unit,
        right: &Typed,
        b: &Unit,
        verb: &str,
    ) -> Option<Unit> {
        use Dimension::*;
        let unit = match (a.dimension, b.dimension, op) {
            (Ratio, Ratio, BinOp::Sub) => Some(a.difference()),
            (Ratio, Points, _) => Some(a.clone()),
            (Points, Ratio, BinOp::Add) => Some(b.clone()),
            _ if compatible(a, b) => Some(if is_literal(left) {
                b.clone()
            } else {
                a.clone()
            }),
            _ if left.percent_literal && b.dimension == Relative => Some(b.clone()),
            _ if right.percent_literal && a.dimension == Relative => Some(a.clone()),
            _ => None,
        };
        if unit.is_none() {
            let diagnostic =
                units::mismatch(self.source(), (&left.span, a), (&right.span, b), verb);
            self.error(diagnostic);
        }
        unit
    }

    fn call(&mut self, function: &Name, args: &[Arg], span: Span) -> Option<Typed> {
        let over_years = matches!(args.get(1), Some(Arg::Span(_)));
        match function.text.as_str() {
            "change" | "growth" | "cagr" => {
                let (value, from, to) = self.years_args(function, args)?;
                let unit = self.value(&value)?;
                let (year_function, unit) = match function.text.as_str() {
                    "change" => (YearFunction::Change, unit.difference()),
                    "growth" => (YearFunction::Growth, Unit::relative()),
                    _ => (YearFunction::Cagr, Unit::relative()),
                };
                let ir = ExprIr::OverYears {
                    function: year_function,
                    value: Box::new(value.ir),
                    from,
                    to,
                };
                Some(Typed::new(ir, Ty::Value(unit), span))
            }
            "avg" | "sum" | "min" | "max" if over_years => {
                let (value, from, to) = self.years_args(function, args)?;
                let unit = self.value(&value)?;
                let year_function = match function.text.as_str() {
                    "avg" => YearFunction::Avg,
                    "sum" => YearFunction::Sum,
                    "min" => YearFunction::Min,
                    _ => YearFunction::Max,
                };
                let ir = ExprIr::OverYears {
                    function: year_function,
                    value: Box::new(value.ir),
                    from,
                    to,
                };
                Some(Typed::new(ir, Ty::Value(unit), span))
            }
            "avg" | "sum" | "min" | "max" => {
                let [set_arg, value_arg] = args else {
                    self.arity(function, &span, args.len(), "a set of entities and a value, like `avg(下级, 县域就诊率)`, or a value and a span of years, like `avg(床位数, 2021..2025)`");
                    return None;
                };
                let set = self.set(set_arg);
                let value = match value_arg {
                    Arg::Cond(Cond {
                        kind: CondKind::Bare(expr),
                        ..
                    }) => self.expr(expr),
                    other => {
                        self.error(
                            Diagnostic::error(
                                self.source(),
                                "bad-argument",
                                other.span(),
                                "expected a value",
                                "not a value",
                            )
                            .with_help(format!(
                                "`{}` takes a set and a value: `{}(下级, 县域就诊率)`",
                                function.text, function.text
                            )),
                        );
                        None
                    }
                };
                let (set, value) = (set?, value?);
                let unit = self.value(&value)?;
                let entity_function = match function.text.as_str() {
                    "avg" => EntityFunction::Avg,
                    "sum" => EntityFunction::Sum,
                    "min" => EntityFunction::Min,
                    _ => EntityFunction::Max,
                };
                let ir = ExprIr::OverEntities {
                    function: entity_function,
                    set,
                    value: Box::new(value.ir),
                };
                Some(Typed::new(ir, Ty::Value(unit), span))
            }
            "share" => {
                let (set, condition) = self.set_and_condition(function, args, &span)?;
                let ir = ExprIr::Share {
                    set,
                    condition: Box::new(condition),
                };
                Some(Typed::new(ir, Ty::Value(Unit::percent()), span))
            }
            "all" | "any" => {
                self.error(
                    Diagnostic::error(self.source(), "not-a-value", span, format!("`{}` is a condition, not a value", function.text), "a condition")
                        .with_help(format!("use `{}(…)` as a rule's condition, or `share(…)` for the fraction that holds", function.text)),
                );
                None
            }
            "count" => {
                let [set_arg] = args else {
                    self.arity(
                        function,
                        &span,
                        args.len(),
                        "a set of entities, like `count(下级 where 类型 == \"乡镇卫生院\")`",
                    );
                    return None;
                };
                let set = self.set(set_arg)?;
                Some(Typed::new(
                    ExprIr::Count(set),
                    Ty::Value(unit::parse("个").unwrap_or_else(|_| Unit::number())),
                    span,
                ))
            }
            "progress" => self.progress(function, args, span),
            _ => {
                let mut diagnostic = Diagnostic::error(
                    self.source(),
                    "unknown-function",
                    function.span.clone(),
                    format!("unknown function `{}`", function.text),
                    "no such function",
                );
                diagnostic = match closest(&function.text, FUNCTIONS.iter().copied()) {
                    Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
                    None => {
                        diagnostic.with_help(format!("the functions are {}", FUNCTIONS.join(", ")))
                    }
                };
                self.error(diagnostic);
                None
            }
        }
    }

    fn arity(&mut self, function: &Name, span: &Span, found: usize, takes: &str) {
        self.error(
            Diagnostic::error(
                self.source(),
                "bad-arguments",
                span.clone(),
                format!(
                    "wrong number of arguments for `{}`: found {found}",
                    function.text
                ),
                format!("{found} argument{}", if found == 1 { "" } else { "s" }),
            )
            .with_help(format!("`{}` takes {takes}", function.text)),
        );
    }

    fn years_args(&mut self, function: &Name, args: &[Arg]) -> Option<(Typed, i32, i32)> {
        let example = format!("`{}(产值, 2020..2025)`", function.text);
        let [Arg::Cond(Cond {
            kind: CondKind::Bare(value),
            ..
        }), Arg::Span(span)] = args
        else {
            let span = args.first().map_or(function.span.clone(), |first| {
                function.span.start..args.last().map_or(first.span().end, |last| last.span().end)
            });
            self.error(
                Diagnostic::error(
                    self.source(),
                    "bad-arguments",
                    span,
                    format!("`{}` takes a value and a span of years", function.text),
                    "wrong arguments",
                )
                .with_help(format!("write it like {example}")),
            );
            return None;
        };
        let value = self.expr(value)?;
        if !self.checker.check_span(span.from, span.to) {
            return None;
        }
        if span.from.value == span.to.value {
            self.error(
                Diagnostic::error(
                    self.source(),
                    "year-order",
                    span.span(),
                    "the span has a single year",
                    "one year",
                )
                .with_help(format!("a change needs two years, like {example}")),
            );
            return None;
        }
        self.saw_year(span.to.value);
        Some((value, span.from.value, span.to.value))
    }

    fn set(&mut self, arg: &Arg) -> Option<SetIr> {
        let (name, filter) = match arg {
            Arg::Filtered { set, filter } => (set, Some(filter)),
            Arg::Cond(Cond {
                kind:
                    CondKind::Bare(Expr {
                        kind: ExprKind::Name(name),
                        ..
                    }),
                ..
            }) => (name, None),
            other => {
                self.error(
                    Diagnostic::error(self.source(), "not-a-set", other.span(), "expected a set of entities", "not a set")
                        .with_help("a set is `下级`, `下属` or a tier, optionally with `where`: `下属 where 类型 == \"乡镇卫生院\"`"),
                );
                return None;
            }
        };
        let kind = self.checker.set_kind(name, true)?;
        let filter = match filter {
            Some(filter) => {
                let outer = std::mem::replace(&mut self.in_filter, true);
                let filter = self.condition(filter);
                self.in_filter = outer;
                Some(Box::new(filter?))
            }
            None => None,
        };
        let label = match arg {
            Arg::Filtered { set, filter } => format!(
                "{} where {}",
                set.text,
                &self.source().text()[filter.span.clone()]
            ),
            _ => name.text.clone(),
        };
        Some(SetIr {
            kind,
            label,
            filter,
        })
    }

    fn set_and_condition(
        &mut self,
        function: &Name,
        args: &[Arg],
        span: &Span,
    ) -> Option<(SetIr, CondIr)> {
        let [set_arg, condition_arg] = args else {
            self.arity(
                function,
                span,
                args.len(),
                &format!(
                    "a set of entities and a condition, like `{}(下级, 县域就诊率 >= 90%)`",
                    function.text
                ),
            );
            return None;
        };
        let set = self.set(set_arg);
        let condition = match condition_arg {
            Arg::Cond(cond) => self.condition(cond),
            other => {
                self.error(
                    Diagnostic::error(
                        self.source(),
                        "bad-argument",
                        other.span(),
                        "expected a condition",
                        "not a condition",
                    )
                    .with_help("write a condition like `县域就诊率 >= 90%`"),
                );
                None
            }
        };
        Some((set?, condition?))
    }

    fn progress(&mut self, function: &Name, args: &[Arg], span: Span) -> Option<Typed> {
        let usage = "a value, a target and a target year, and optionally a base year, like `progress(县域就诊率, 90%, 2025)`";
        if !(3..=4).contains(&args.len()) {
            self.arity(function, &span, args.len(), usage);
            return None;
        }
        let mut exprs = Vec::new();
        for arg in args {
            match arg {
                Arg::Cond(Cond {
                    kind: CondKind::Bare(expr),
                    ..
                }) => exprs.push(self.expr(expr)?),
                other => {
                    self.error(
                        Diagnostic::error(
                            self.source(),
                            "bad-argument",
                            other.span(),
                            "expected a value",
                            "not a value",
                        )
                        .with_help(format!("`progress` takes {usage}")),
                    );
                    return None;
                }
            }
        }
        let mut years = Vec::new();
        for year in &exprs[2..] {
            match (&year.ty, &year.ir) {
                (Ty::Bare, ExprIr::Const(value))
                    if value.fract() == 0.0 && (1900.0..=2200.0).contains(value) =>
                {
                    years.push(*value as i32)
                }
                _ => {
                    self.error(
                        Diagnostic::error(
                            self.source(),
                            "bad-year",
                            year.span.clone(),
                            "expected a year",
                            "not a year",
                        )
                        .with_help("write a four-digit year like `2025`"),
                    );
                    return None;
                }
            }
        }
        let mut exprs = exprs.into_iter();
        let value = exprs.next()?;
        let target = exprs.next()?;
        let (_, target_ir, _) = self.unify(value.clone(), target, "compare")?;
        let ExprIr::Const(target) = target_ir else {
            self.error(
                Diagnostic::error(
                    self.source(),
                    "bad-argument",
                    span,
                    "the target is a number",
                    "expected a number",
                )
                .with_help("write the target as a number, like `90%`"),
            );
            return None;
        };
        self.saw_year(years[0]);
        let ir = ExprIr::Progress {
            value: Box::new(value.ir),
            target,
            target_year: years[0],
            base_year: years.get(1).copied(),
        };
        Some(Typed::new(ir, Ty::Value(Unit::number()), span))
    }
}

/// A name as it must be written: bare when it can be, else in 「…」.
fn written_name(name: &str) -> String {
    let mut chars = name.chars();
    let bare = chars.next().is_some_and(|first| {
        first == '_' || first.is_ascii_alphabetic() || (!first.is_ascii() && first.is_alphabetic())
    }) && chars
        .all(|c| c == '_' || c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric()));
    if bare {
        name.to_string()
    } else {
        format!("「{name}」")
    }
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

fn all_or_none<T>(items: Vec<Option<T>>) -> Option<Vec<T>> {
    items.into_iter().collect()
}

fn is_literal(typed: &Typed) -> bool {
    matches!(typed.ir, ExprIr::Const(_))
}

/// Whether values of two units can be compared or added.
fn compatible(a: &Unit, b: &Unit) -> bool {
    a.dimension == b.dimension
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
        },
    }
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
