//! Unit diagnostics shared by declarations and expressions.

use std::sync::Arc;

use crate::diag::{Code, Diagnostic, SourceFile};
use crate::syntax::ast::Span;
use crate::unit::{self, Dimension, Unit, UnknownUnit};

pub fn unknown_unit(
    source: &Arc<SourceFile>,
    text: &str,
    span: Span,
    unknown: UnknownUnit,
) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        source,
        Code::UnknownUnit,
        span,
        format!("`{text}` is not a known unit"),
        "unknown unit",
    );
    match unknown.suggestion {
        Some(near) => diagnostic.with_help(format!(
            "did you mean `{near}`? `zhibiao units` lists every unit"
        )),
        None => diagnostic.with_help("`zhibiao units` lists every unit and measure word"),
    }
}

pub fn mismatch(
    source: &Arc<SourceFile>,
    left: (&Span, &Unit),
    right: (&Span, &Unit),
    what: &str,
) -> Diagnostic {
    let help = match (left.1.dimension, right.1.dimension) {
        (Dimension::Points, Dimension::Ratio) | (Dimension::Ratio, Dimension::Points) => {
            "percentage points (pp) are differences of ratios: compare a change with `1pp`, a ratio with `90%`".to_string()
        }
        (Dimension::Points, Dimension::Relative) | (Dimension::Relative, Dimension::Points) => {
            "a change of a ratio is in percentage points: write `0.5pp`, or use `growth` for a relative change".to_string()
        }
        (a, b) if a == b => format!(
            "`{}` and `{}` count different things: write the value in `{}`",
            left.1.measure_word().unwrap_or(""),
            right.1.measure_word().unwrap_or(""),
            left.1.measure_word().unwrap_or(""),
        ),
        _ => format!(
            "{} and {} measure different things; compare like with like",
            unit::describe(left.1),
            unit::describe(right.1)
        ),
    };
    Diagnostic::error(
        source,
        Code::UnitMismatch,
        left.0.clone(),
        format!(
            "cannot {what} {} and {}",
            unit::describe(left.1),
            unit::describe(right.1)
        ),
        unit::describe(left.1),
    )
    .with_label(right.0.clone(), unit::describe(right.1))
    .with_help(help)
}

/// A bare number where a ratio needs its unit: `县域就诊率 >= 0.9`.
pub fn ratio_needs_unit(
    source: &Arc<SourceFile>,
    bare: (&Span, f64),
    other: (&Span, &Unit),
) -> Diagnostic {
    let (suggestion, label) = match other.1.dimension {
        Dimension::Points if matches!(other.1.symbol.as_ref(), "pp" | "个百分点" | "百分点") => {
            (
                format!("{}pp", crate::unit::format_number(bare.1)),
                "percentage points",
            )
        }
        Dimension::Points => (
            format!("{}{}", crate::unit::format_number(bare.1), other.1.symbol),
            "a difference of ratios",
        ),
        Dimension::Relative => (
            format!("{}%", crate::unit::format_number(bare.1)),
            "a relative change",
        ),
        _ if other.1.terms.is_some() => (
            format!("1:{}", crate::unit::format_number(bare.1)),
            "a ratio",
        ),
        _ => {
            let percent = if bare.1 <= 1.0 {
                bare.1 * 100.0
            } else {
                bare.1
            };
            (
                format!("{}%", crate::unit::format_number(percent)),
                "a ratio",
            )
        }
    };
    Diagnostic::error(
        source,
        Code::RatioNeedsUnit,
        bare.0.clone(),
        format!("a bare number compared with {label} must carry its unit"),
        "no unit",
    )
    .with_label(other.0.clone(), unit::describe(other.1))
    .with_help(format!("write `{suggestion}`"))
}
