//! Compiled conditions as SQL truths: comparisons with their tolerance,
//! trends step by step, and the three-valued "all"/"any" of
//! `expr`'s module comment.

use super::gen::{Gen, Level, Out, Val, Year};
use super::set::{judged_state, Body};
use super::truth::{all, any, first_unknown, from_bool, worst};
use crate::ir::{CmpOp, CondIr, Direction, Quantifier, Tolerance, TrendIr};

impl Gen<'_> {
    /// A condition's truth, bound to a column when the level binds.
    pub fn cond(
        &mut self,
        level: &mut Level,
        cond: &CondIr,
        entity: &str,
        year: Year,
    ) -> Out<String> {
        let truth = self.cond_text(level, cond, entity, year)?;
        Ok(level.bind(truth))
    }

    fn cond_text(
        &mut self,
        level: &mut Level,
        cond: &CondIr,
        entity: &str,
        year: Year,
    ) -> Out<String> {
        Ok(match cond {
            CondIr::Compare {
                left, op, right, ..
            } => {
                let left = self.expr(level, left, entity, year)?;
                let right = self.expr(level, right, entity, year)?;
                let known = worst(&[&left.k, &right.k]);
                from_bool(&known, &self.holds(*op, &left.v, &right.v))
            }
            CondIr::TextCompare { left, equal, right } => {
                let (left, left_k) = self.text(level, left, entity);
                let (right, right_k) = self.text(level, right, entity);
                let known = first_unknown(&left_k, &right_k);
                let same = self.dialect.same(&left, &right);
                let holds = if *equal { same } else { format!("NOT {same}") };
                from_bool(&known, &holds)
            }
            CondIr::Between {
                value, low, high, ..
            } => {
                let value = self.expr(level, value, entity, year)?;
                let low = self.expr(level, low, entity, year)?;
                let high = self.expr(level, high, entity, year)?;
                let known = first_unknown(&value.k, &first_unknown(&low.k, &high.k));
                let bottom = format!("LEAST({}, {})", low.v, high.v);
                let top = format!("GREATEST({}, {})", low.v, high.v);
                let holds = format!(
                    "({} AND {})",
                    self.holds(CmpOp::Ge, &value.v, &bottom),
                    self.holds(CmpOp::Le, &value.v, &top)
                );
                from_bool(&known, &holds)
            }
            CondIr::Approx {
                value,
                center,
                tolerance,
                ..
            } => {
                let value = self.expr(level, value, entity, year)?;
                let center = self.expr(level, center, entity, year)?;
                let known = worst(&[&value.k, &center.k]);
                let allowed = match tolerance {
                    Tolerance::Absolute(amount) => self.num(*amount),
                    Tolerance::Relative(fraction) => {
                        format!("ABS({}) * {}", center.v, self.num(*fraction))
                    }
                    Tolerance::RunDefault => {
                        format!("ABS({}) * {}", center.v, self.num(self.tolerance))
                    }
                };
                let holds = format!(
                    "ABS({} - {}) <= {allowed} + {}",
                    value.v,
                    center.v,
                    self.num(1e-12)
                );
                from_bool(&known, &holds)
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
                    let first = self.expr(level, value, entity, Year::Lit(year))?;
                    let second = self.expr(level, value, entity, Year::Lit(year + 1))?;
                    steps.push(self.step(*direction, trend, &first, &second));
                }
                all(&steps)
            }
            CondIr::Quantified {
                quantifier,
                set,
                condition,
            } => {
                let g = self.set_table(level, set, Body::Judge(condition), entity, year)?;
                let holds = match quantifier {
                    Quantifier::All => format!("{g}.passed = {g}.judged"),
                    Quantifier::Any => format!("{g}.passed > 0"),
                };
                from_bool(&judged_state(&g), &holds)
            }
            CondIr::And(parts) => {
                let parts = parts
                    .iter()
                    .map(|part| self.cond(level, part, entity, year))
                    .collect::<Out<Vec<_>>>()?;
                all(&parts)
            }
            CondIr::Or(parts) => {
                let parts = parts
                    .iter()
                    .map(|part| self.cond(level, part, entity, year))
                    .collect::<Out<Vec<_>>>()?;
                any(&parts)
            }
            CondIr::Top {
                set,
                value,
                better,
                share,
            } => {
                self.top(level, set, value, *better, *share, entity, year)?
                    .truth
            }
            // Every member's condition must hold, as `and`.
            CondIr::Members(parts) => {
                let parts = parts
                    .iter()
                    .map(|(_, part)| self.cond(level, part, entity, year))
                    .collect::<Out<Vec<_>>>()?;
                all(&parts)
            }
            CondIr::Not(inner) => {
                let inner = self.cond(level, inner, entity, year)?;
                format!("(CASE {inner} WHEN 0 THEN 1 WHEN 1 THEN 0 ELSE {inner} END)")
            }
        })
    }

    /// One year's step of a trend, as a truth.
    fn step(&self, direction: Direction, trend: &TrendIr, first: &Val, second: &Val) -> String {
        let known = worst(&[&first.k, &second.k]);
        let (f, s) = (&first.v, &second.v);
        match (trend, direction) {
            (TrendIr::EachYear, Direction::Rises) => from_bool(&known, &format!("{s} > {f}")),
            (TrendIr::EachYear, Direction::Falls) => from_bool(&known, &format!("{s} < {f}")),
            (TrendIr::Never, Direction::Falls) => from_bool(&known, &format!("{s} >= {f}")),
            (TrendIr::Never, Direction::Rises) => from_bool(&known, &format!("{s} <= {f}")),
            (
                TrendIr::Step {
                    op,
                    amount,
                    relative,
                },
                direction,
            ) => {
                let change = match direction {
                    Direction::Rises => format!("({s} - {f})"),
                    Direction::Falls => format!("({f} - {s})"),
                };
                let step = if *relative {
                    format!("({change} / NULLIF({f}, 0))")
                } else {
                    change
                };
                let slack = 1e-9 * amount.abs().max(1e-12);
                let holds = match op {
                    CmpOp::Ge => format!("{step} >= {}", self.num(amount - slack)),
                    CmpOp::Le => format!("{step} <= {}", self.num(amount + slack)),
                    other => self.holds(*other, &step, &self.num(*amount)),
                };
                if *relative {
                    format!(
                        "(CASE WHEN {known} > 0 THEN {known} WHEN {f} <= 0 THEN 4 WHEN {holds} THEN 1 ELSE 0 END)"
                    )
                } else {
                    from_bool(&known, &holds)
                }
            }
        }
    }

    /// `CmpOp::holds`: equal within a relative 1e-9.
    pub(super) fn holds(&self, op: CmpOp, left: &str, right: &str) -> String {
        let equal = format!(
            "({left} = {right} OR ABS({left} - {right}) <= {} * GREATEST(ABS({left}), ABS({right})))",
            self.num(1e-9)
        );
        match op {
            CmpOp::Ge => format!("({left} > {right} OR {equal})"),
            CmpOp::Gt => format!("({left} > {right} AND NOT {equal})"),
            CmpOp::Le => format!("({left} < {right} OR {equal})"),
            CmpOp::Lt => format!("({left} < {right} AND NOT {equal})"),
            CmpOp::Eq => equal,
            CmpOp::Ne => format!("(NOT {equal})"),
        }
    }
}
