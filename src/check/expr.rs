//! Types expressions: resolves names, applies the unit rules of the
//! language to literals and arithmetic, and builds their compiled form.
//! Conditions are typed in `cond.rs`, function calls in `functions.rs`.

use super::{units, Checker};
use crate::diag::{closest, Code, Diagnostic};
use crate::ir::{CondIr, EntityRef, ExprIr, Timing};
use crate::syntax::ast::{AtTarget, BinOp, Cond, Expr, ExprKind, Name, Span, WrittenUnit};
use crate::unit::{self, Dimension, Unit};
use crate::vocab::PARENT;

/// What an expression is, as far as the checker knows.
#[derive(Debug, Clone)]
pub(super) enum Ty {
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
pub(super) struct Typed {
    pub(super) ir: ExprIr,
    pub(super) ty: Ty,
    pub(super) span: Span,
    /// A `%` literal, which may stand for a relative change too.
    pub(super) percent_literal: bool,
    /// The text of a level literal like `4级`, which may name a grade.
    pub(super) literal: Option<String>,
}

impl Typed {
    pub(super) fn new(ir: ExprIr, ty: Ty, span: Span) -> Typed {
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
    pub(super) checker: &'c mut Checker<'a>,
    pub(super) timing: Option<Timing>,
    pub(super) period: Option<(i32, i32)>,
    /// The latest year named inside the condition: when a rule without a
    /// time clause falls due.
    pub latest_year: Option<i32>,
    pub(super) in_filter: bool,
}

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

    pub(super) fn error(&mut self, diagnostic: Diagnostic) {
        self.checker.error(diagnostic);
    }

    pub(super) fn source(&self) -> &std::sync::Arc<crate::diag::SourceFile> {
        self.checker.source
    }

    pub(super) fn saw_year(&mut self, year: i32) {
        self.latest_year = Some(self.latest_year.map_or(year, |latest| latest.max(year)));
    }

    pub fn rule_condition(&mut self, cond: &Cond) -> Option<CondIr> {
        self.condition(cond)
    }

    #[cfg(feature = "cli")]
    /// A value expression typed on its own (the REPL): its compiled form
    /// and unit.
    pub fn value_expression(&mut self, expr: &Expr) -> Option<(ExprIr, Unit)> {
        let typed = self.expr(expr)?;
        let unit = self.value(&typed)?;
        Some((typed.ir, unit))
    }

    /// The unit of a value expression; an error for text or unknown names.
    pub(super) fn value(&mut self, typed: &Typed) -> Option<Unit> {
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
                        Code::UnitMismatch,
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

    pub(super) fn unknown_name(&mut self, name: &Name) {
        if self.checker.groups.contains_key(&name.text) {
            self.error(
                Diagnostic::error(
                    self.source(),
                    Code::BadGroup,
                    name.span.clone(),
                    format!("`{}` is a group, not a value", name.text),
                    "a group",
                )
                .with_help(
                    "a group stands where an indicator would in a rule's condition; the rule is checked once per member",
                ),
            );
            return;
        }
        let candidates: Vec<String> = self.checker.names.keys().cloned().collect();
        let mut diagnostic = Diagnostic::error(
            self.source(),
            Code::UnknownIndicator,
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

    pub(super) fn expr(&mut self, expr: &Expr) -> Option<Typed> {
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
                                Code::UnquotedName,
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
                        Code::RatioNotOne,
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
                            Code::BadRatio,
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
                                Code::UnitMismatch,
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
                                Diagnostic::error(self.source(), Code::NotAnEntity, name.span.clone(), format!("`{}` is an indicator, not an entity", name.text), "expected an entity or a year")
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
                    Diagnostic::error(self.source(), Code::NotAValue, span, "a condition where a value is expected", "this is a condition")
                        .with_help("use a condition inside `all`, `any` or `share`, or compare values outside the brackets"),
                );
                None
            }
        }
    }

    pub(super) fn name(&mut self, name: &Name) -> Typed {
        let span = name.span.clone();
        if let Some((index, _)) = self.checker.names.get(&name.text) {
            let unit = self.checker.indicators[*index].unit.clone();
            return Typed::new(ExprIr::Indicator(*index), Ty::Value(unit), span);
        }
        if let Some((value, unit, _)) = self.checker.benchmarks.get(&name.text) {
            let ty = unit.clone().map_or(Ty::Bare, Ty::Value);
            return Typed::new(ExprIr::Const(*value), ty, span);
        }
        // In a filter an unknown name may be an attribute (`类型`) or a
        // grade value; the comparison decides.
        Typed::new(ExprIr::Const(f64::NAN), Ty::Unresolved(name.clone()), span)
    }

    pub(super) fn binary(
        &mut self,
        op: BinOp,
        left: &Expr,
        right: &Expr,
        span: Span,
    ) -> Option<Typed> {
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
                        Code::UnitMismatch,
                        span,
                        "grades have no arithmetic",
                        "a grade",
                    )
                    .with_help("compare grades with `>=` or `<`"),
                );
                return None;
            }
        }
        // The result's unit is kept in the compiled form, so printers
        // never derive it again.
        let build = |left: ExprIr, right: ExprIr, ty: &Ty| match (&left, &right) {
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
                unit: match ty {
                    Ty::Value(unit) => Some(unit.clone()),
                    _ => None,
                },
            },
        };
        let bare = |typed: &Typed| matches!(typed.ty, Ty::Bare);
        let ty = match op {
            BinOp::Add | BinOp::Sub => {
                if bare(&left) && bare(&right) {
                    return Some(Typed::new(
                        build(left.ir, right.ir, &Ty::Bare),
                        Ty::Bare,
                        span,
                    ));
                }
                let verb = if op == BinOp::Add { "add" } else { "subtract" };
                let (left_ir, right_ir, unit) = if bare(&left) || bare(&right) {
                    self.unify(left.clone(), right.clone(), verb)?
                } else {
                    let ty = Ty::Value(self.sum_unit(
                        op,
                        &left,
                        &left_unit,
                        &right,
                        &right_unit,
                        verb,
                    )?);
                    return Some(Typed::new(build(left.ir, right.ir, &ty), ty, span));
                };
                let unit = if op == BinOp::Sub && unit.dimension == Dimension::Ratio {
                    unit.difference()
                } else {
                    unit
                };
                let ty = Ty::Value(unit);
                return Some(Typed::new(build(left_ir, right_ir, &ty), ty, span));
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
                // Count / count is a ratio whatever is counted (床 per 医).
                (false, false) if left_unit.dimension == right_unit.dimension => {
                    Ty::Value(Unit::percent())
                }
                (false, false) if right_unit.dimension == Dimension::Number => Ty::Value(left_unit),
                (false, false) => Ty::Value(Unit::number()),
            },
        };
        Some(Typed::new(build(left.ir, right.ir, &ty), ty, span))
    }

    /// The unit of a sum or difference of two values with units.
    pub(super) fn sum_unit(
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
}

/// A name as it must be written: bare when it can be, else in 「…」.
pub(super) fn written_name(name: &str) -> String {
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

pub(super) fn is_literal(typed: &Typed) -> bool {
    matches!(typed.ir, ExprIr::Const(_))
}

/// Whether values of two units can be compared or added.
pub(super) fn compatible(a: &Unit, b: &Unit) -> bool {
    a.same_kind(b)
}
