//! Indicator directions in conditions: `X better than Y` and `X not worse
//! than Y`, the warning for a rule that asks a value to worsen, and the
//! error where a direction is needed but none is declared.

use super::expr::Typer;
use crate::diag::{Code, Diagnostic};
use crate::ir::{Better, CmpOp, CondIr, ExprIr};
use crate::syntax::ast::{Expr, Span};

impl Typer<'_, '_> {
    /// Warns when a comparison asks for the opposite of the direction
    /// declared for its value: `婴儿死亡率 >= 5‰` with `better lower`.
    pub(super) fn check_direction(
        &mut self,
        left: &ExprIr,
        right: &ExprIr,
        op: CmpOp,
        op_span: &Span,
        (value, target): (&str, &str),
    ) {
        let indicators = &self.checker.indicators;
        let (better, asks_higher) = match (left.better(indicators), right.better(indicators)) {
            (Some(better), _) => (better, matches!(op, CmpOp::Ge | CmpOp::Gt)),
            (None, Some(better)) => (better, matches!(op, CmpOp::Le | CmpOp::Lt)),
            (None, None) => return,
        };
        if matches!(op, CmpOp::Eq | CmpOp::Ne) || (better == Better::Higher) == asks_higher {
            return;
        }
        let floor = if asks_higher { "a floor" } else { "a ceiling" };
        let message = format!(
            "`{value}` is better {}, but this rule makes `{target}` {floor}",
            better.word()
        );
        self.direction_conflict(asks_higher, op_span, message);
    }

    /// The warning that a rule asks for the way its value gets worse.
    pub(super) fn direction_conflict(&mut self, asks_higher: bool, span: &Span, message: String) {
        let asked = if asks_higher { "higher" } else { "lower" };
        self.error(
            Diagnostic::warning(
                self.source(),
                Code::DirectionConflict,
                span.clone(),
                message,
                format!("asks for {asked}"),
            )
            .with_help(format!(
                "flip the comparison, or declare the indicator `better {asked}` if {asked} is better"
            )),
        );
    }

    /// `X better than Y` and `X not worse than Y`: a comparison in the
    /// direction declared for X (or, failing that, for Y).
    pub(super) fn better_than(
        &mut self,
        left: &Expr,
        strict: bool,
        words: &Span,
        right: &Expr,
    ) -> Option<CondIr> {
        let left = self.expr(left);
        let right = self.expr(right);
        let (left, right) = (left?, right?);
        let (left_ir, right_ir, unit) = self.unify(left.clone(), right, "compare")?;
        let indicators = &self.checker.indicators;
        let Some(better) = left_ir.better(indicators).or(right_ir.better(indicators)) else {
            let value = self.source().text()[left.span.clone()].to_string();
            self.error(self.needs_direction(&left.span, &value, words));
            return None;
        };
        let op = match (better, strict) {
            (Better::Higher, true) => CmpOp::Gt,
            (Better::Higher, false) => CmpOp::Ge,
            (Better::Lower, true) => CmpOp::Lt,
            (Better::Lower, false) => CmpOp::Le,
        };
        Some(CondIr::Compare {
            left: left_ir,
            op,
            right: right_ir,
            unit,
        })
    }

    /// The error for a value with no declared direction where one is needed.
    pub(super) fn needs_direction(&self, span: &Span, value: &str, needed_by: &Span) -> Diagnostic {
        Diagnostic::error(
            self.source(),
            Code::NeedsDirection,
            span.clone(),
            format!("which way is better for `{value}`?"),
            "no direction declared",
        )
        .with_label(needed_by.clone(), "needs the direction")
        .with_help(format!("declare it on the indicator: `indicator {value}: UNIT better higher` (or `better lower`)"))
    }
}
