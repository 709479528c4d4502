//! The syntax trees a sentence's targets are built of: the same nodes the
//! symbolic form's parser builds, with spans into the sentence.

use super::tokens::Number;
use super::{Target, When};
use crate::syntax::ast::{
    Arg, CmpOp, Cond, CondKind, Direction, Expr, ExprKind, Name, Span, WrittenUnit,
};
use crate::unit::Dimension;

pub(super) fn placeholder(value: Expr) -> Target {
    Target {
        condition: Cond {
            span: value.span.clone(),
            kind: CondKind::Bare(value),
        },
        when: When::Clauses,
        expected: None,
    }
}

/// The span from the first to the last of two, in whatever order the
/// sentence put them (`提升职业病防治知识普及率`: the verb comes first).
pub(super) fn cover(first: &Span, second: &Span) -> Span {
    first.start.min(second.start)..first.end.max(second.end)
}

pub(super) fn compare(left: Expr, op: CmpOp, right: Expr, span: Span) -> Cond {
    let op_span = cover(
        &(left.span.end..left.span.end),
        &(right.span.start..right.span.start),
    );
    Cond {
        kind: CondKind::Compare {
            left,
            op,
            op_span,
            right,
        },
        span,
    }
}

/// `all(下级, CONDITION)`: the condition on every child (`每个区县…`).
pub(super) fn all_children(condition: Cond, each: Span) -> Cond {
    let span = cover(&each, &condition.span);
    let call = aggregate("all", crate::vocab::CHILDREN, condition, each);
    Cond {
        span: call.span.start.min(span.start)..call.span.end.max(span.end),
        kind: CondKind::Bare(call),
    }
}

/// `FUNCTION(SET, CONDITION)`, an aggregate over a relative set.
pub(super) fn aggregate(function: &str, set: &str, condition: Cond, span: Span) -> Expr {
    let name = |text: &str| Name {
        text: text.to_string(),
        span: span.clone(),
    };
    let set = Cond {
        kind: CondKind::Bare(Expr {
            kind: ExprKind::Name(name(set)),
            span: span.clone(),
        }),
        span: span.clone(),
    };
    let whole = cover(&span, &condition.span);
    Expr {
        kind: ExprKind::Call {
            function: name(function),
            args: vec![Arg::Cond(set), Arg::Cond(condition)],
        },
        span: whole,
    }
}

pub(super) fn opposite(direction: Direction) -> Direction {
    match direction {
        Direction::Rises => Direction::Falls,
        Direction::Falls => Direction::Rises,
    }
}

pub(super) fn quantity(number: f64, unit: Option<&str>, second: Option<f64>, span: Span) -> Expr {
    let unit = match (second, unit) {
        (Some(second), _) => Some(WrittenUnit::Ratio {
            second,
            span: span.clone(),
        }),
        (None, Some(text)) if !text.is_empty() => Some(WrittenUnit::Word {
            text: text.to_string(),
            span: span.clone(),
        }),
        _ => None,
    };
    let magnitude = Expr {
        kind: ExprKind::Quantity {
            number: number.abs(),
            unit,
        },
        span: span.clone(),
    };
    if number < 0.0 {
        Expr {
            kind: ExprKind::Neg(Box::new(magnitude)),
            span,
        }
    } else {
        magnitude
    }
}

/// A number as the symbolic form writes it for an indicator of this kind:
/// a measure word on a rate (`4.8人` for `人/万人`) or on a level is the
/// declared unit, so it is left out; `百分点` is `个百分点`.
pub(super) fn written(number: &Number, dimension: Dimension, span: Span) -> Expr {
    let unit = number.unit.as_deref().map(|unit| match unit {
        "百分点" | "个百分点" => "pp",
        "％" => "%",
        other => other,
    });
    let keep = match unit {
        Some("%" | "‰" | "‱" | "pp") => true,
        Some(unit) if unit.starts_with('/') => true,
        Some(_) => !matches!(
            dimension,
            Dimension::Rate | Dimension::Level | Dimension::Number | Dimension::Grade
        ),
        None => false,
    };
    quantity(number.value, unit.filter(|_| keep), number.second, span)
}
