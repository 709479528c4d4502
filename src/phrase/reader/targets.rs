//! What a clause's words and numbers become: a level (`达到90%以上`), a
//! range, `≈`, a trend (`逐年提升`), a step each year, a change against a
//! base year or a growth rate, each with when it is judged.

use super::super::lexicon::Strength;
use super::super::tokens::Number;
use super::super::tree::{all_children, compare, cover, opposite, placeholder, written};
use super::super::{Target, When};
use super::problems::{bound_word, number_text, suffix_word};
use super::{Reader, Value, Words};
use crate::diag::Code;
use crate::syntax::ast::{
    Arg, CmpOp, Cond, CondKind, Direction, Expr, ExprKind, Name, Span, Trend, Year, YearSpan,
};
use crate::unit::Dimension;

impl Reader<'_> {
    pub(super) fn trend(
        &mut self,
        index: usize,
        name_span: &Span,
        direction: Direction,
        strength: Strength,
        span: &Span,
        words: &Words,
    ) -> Target {
        let value = self.name(index, name_span);
        let whole = cover(&value.span, &self.span(span));
        // `提升…占比 from 2022 to 2023`: a span given with the aim makes it
        // year on year over that span.
        let strength = match (strength, self.context.from_to) {
            (Strength::Overall, Some(_)) => Strength::EachYear,
            (strength, _) => strength,
        };
        match strength {
            Strength::Overall => {
                let (Some(base), Some(deadline)) = self.change_years(words, None, span) else {
                    self.problem(Code::SentenceNeedsPeriod, span, "better than when? the sentence names no base year and the file has no `baseline` or `period`".into(), "better than when?", "write the base year (`较2020年有所提高`) or give the document a `baseline`".into());
                    return placeholder(value);
                };
                let at = Expr {
                    kind: ExprKind::At {
                        value: Box::new(value.clone()),
                        at: crate::syntax::ast::AtTarget::Year(Year {
                            value: base,
                            start: whole.end,
                            end: whole.end,
                        }),
                    },
                    span: whole.clone(),
                };
                let op = if direction == Direction::Rises {
                    CmpOp::Gt
                } else {
                    CmpOp::Lt
                };
                self.target(compare(value, op, at, whole), When::By(deadline))
            }
            Strength::EachYear | Strength::Never => {
                let trend = if strength == Strength::Never {
                    Trend::Never
                } else {
                    Trend::EachYear
                };
                let direction = if strength == Strength::Never {
                    opposite(direction)
                } else {
                    direction
                };
                let when = self.every(span);
                let condition = Cond {
                    kind: CondKind::Trend {
                        value,
                        direction,
                        trend,
                    },
                    span: whole,
                };
                self.target(condition, when)
            }
        }
    }

    /// Every year from the start of the period to the deadline, or the
    /// span the clauses give.
    pub(super) fn every(&self, span: &Span) -> When {
        if let Some((from, to)) = self.context.from_to {
            return When::Every(from, to);
        }
        let deadline = self.deadline(None);
        match (self.context.period, deadline) {
            (Some((start, _)), Some(deadline)) => When::Every(self.year(start, span), deadline),
            (Some((start, end)), None) => When::Every(self.year(start, span), self.year(end, span)),
            (None, Some(deadline)) => When::By(deadline),
            (None, None) => When::Clauses,
        }
    }

    pub(super) fn level(
        &mut self,
        index: usize,
        name_span: &Span,
        op: CmpOp,
        value: Expr,
        words: &Words,
    ) -> Target {
        self.level_in(index, name_span, op, value, words, None)
    }

    pub(super) fn level_in(
        &mut self,
        index: usize,
        name_span: &Span,
        op: CmpOp,
        value: Expr,
        words: &Words,
        year: Option<Year>,
    ) -> Target {
        let left = self.name(index, name_span);
        let span = cover(&left.span, &value.span);
        let condition = compare(left, op, value, span.clone());
        let when = if let Some(hold) = words.hold.as_ref().or(words.yearly.as_ref()) {
            match (year, self.every(hold)) {
                (Some(year), When::Every(from, _)) => When::Every(from, year),
                (_, when) => when,
            }
        } else {
            match self.deadline(year) {
                Some(year) if self.context.in_year.is_none() => When::By(year),
                _ => self.context.in_year.map_or(When::Clauses, When::In),
            }
        };
        let condition = match &words.each {
            Some(each) => {
                let each = self.span(each);
                all_children(condition, each)
            }
            None => condition,
        };
        self.target(condition, when)
    }

    pub(super) fn target(&self, condition: Cond, when: When) -> Target {
        Target {
            condition,
            when,
            expected: self.expected.clone(),
        }
    }

    pub(super) fn value_target(
        &mut self,
        index: usize,
        name_span: &Span,
        value: &Value,
        words: &Words,
        year: Option<Year>,
    ) -> Option<Target> {
        let unit = self.indicators[index].unit;
        let expr = |number: &Number, reader: &Self| {
            written(number, unit.dimension, reader.span(&number.span))
        };
        match value {
            Value::Range(low, high) => {
                let left = self.name(index, name_span);
                let span = cover(&left.span, &self.span(&high.span));
                let condition = Cond {
                    kind: CondKind::Between {
                        value: left,
                        low: expr(low, self),
                        high: expr(high, self),
                    },
                    span,
                };
                let when = match self.deadline(year) {
                    Some(year) => When::By(year),
                    None => When::Clauses,
                };
                Some(self.target(condition, when))
            }
            Value::One(number) => {
                if let Some(span) = words.cagr.clone() {
                    return self.over_years(
                        "cagr",
                        index,
                        name_span,
                        number,
                        CmpOp::Ge,
                        &span,
                        words,
                        year,
                    );
                }
                if let Some((direction, span)) = words.step.clone() {
                    let value = self.name(index, name_span);
                    let op = words
                        .after
                        .as_ref()
                        .or(words.before.as_ref())
                        .map_or(CmpOp::Ge, |(op, _)| *op);
                    let whole = cover(&value.span, &self.span(&number.span));
                    let step = Trend::Step {
                        op,
                        amount: written(number, Dimension::Points, self.span(&number.span)),
                    };
                    let condition = Cond {
                        kind: CondKind::Trend {
                            value,
                            direction,
                            trend: step,
                        },
                        span: whole,
                    };
                    let when = self.every(&span);
                    return Some(self.target(condition, when));
                }
                let reach_after_from = words.base_year.is_some() && words.reach.is_some();
                if let Some((direction, span)) = words.change.clone().filter(|_| !reach_after_from)
                {
                    let relative = number
                        .unit
                        .as_deref()
                        .is_some_and(|unit| unit == "%" || unit == "％");
                    let function = if relative { "growth" } else { "change" };
                    let op = if direction == Direction::Rises {
                        CmpOp::Ge
                    } else {
                        CmpOp::Le
                    };
                    let mut number = number.clone();
                    if direction == Direction::Falls {
                        number.value = -number.value;
                    }
                    return self
                        .over_years(function, index, name_span, &number, op, &span, words, year);
                }
                let op = self.comparator(words, number)?;
                let value = expr(number, self);
                match op {
                    Some(op) => Some(self.level_in(index, name_span, op, value, words, year)),
                    None => {
                        let left = self.name(index, name_span);
                        let span = cover(&left.span, &value.span);
                        let condition = Cond {
                            kind: CondKind::Approx {
                                value: left,
                                center: value,
                                tolerance: None,
                            },
                            span,
                        };
                        let when = match self.deadline(year) {
                            Some(year) => When::By(year),
                            None => When::Clauses,
                        };
                        Some(self.target(condition, when))
                    }
                }
            }
        }
    }

    /// The comparator of a level target; `Some(None)` for `≈`.
    pub(super) fn comparator(&mut self, words: &Words, number: &Number) -> Option<Option<CmpOp>> {
        let bound = match (&words.before, &words.after) {
            (Some((first, first_span)), Some((second, second_span))) if first != second => {
                let span =
                    first_span.start.min(second_span.start)..first_span.end.max(second_span.end);
                self.problem(
                    Code::SentenceAmbiguous,
                    &span,
                    format!(
                        "two bounds that disagree: {} and {}",
                        first.symbol(),
                        second.symbol()
                    ),
                    "which bound?",
                    format!(
                        "keep one: `{}{}` or `{}{}`",
                        bound_word(*first),
                        number_text(number),
                        number_text(number),
                        suffix_word(*second)
                    ),
                );
                return None;
            }
            (Some((op, _)), _) | (None, Some((op, _))) => Some(*op),
            (None, None) => None,
        };
        if let (Some(op), Some(approx)) = (bound, &words.approx) {
            let approx = approx.clone();
            self.problem(
                Code::SentenceAmbiguous,
                &approx,
                format!("both a bound ({}) and 左右/约 (≈)", op.symbol()),
                "a bound or about?",
                format!(
                    "keep one reading: `{} {}` or `≈ {}`",
                    op.symbol(),
                    number_text(number),
                    number_text(number)
                ),
            );
            return None;
        }
        if words.approx.is_some() {
            return Some(None);
        }
        if let Some(op) = bound {
            return Some(Some(op));
        }
        match words.reach {
            Some(Direction::Rises) => Some(Some(CmpOp::Ge)),
            Some(Direction::Falls) => Some(Some(CmpOp::Le)),
            // A figure to build or reach (`建成5个`, `新增三级医院三家`) is
            // a minimum; one to keep (`保持在90%`) could be a floor or a level.
            None if words.hold.is_none() => Some(Some(CmpOp::Ge)),
            None => {
                let span = number.span.clone();
                let text = number_text(number);
                self.problem(
                    Code::SentenceAmbiguous,
                    &span,
                    format!("`{text}` is to be kept but has no bound word: at least, or about?"),
                    "which way?",
                    format!("the nearest readings are `{text}以上` (≥ {text}) and `{text}左右` (≈ {text}); write the one the document means"),
                );
                None
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn over_years(
        &mut self,
        function: &str,
        index: usize,
        name_span: &Span,
        number: &Number,
        op: CmpOp,
        span: &Span,
        words: &Words,
        year: Option<Year>,
    ) -> Option<Target> {
        let (Some(base), Some(deadline)) = self.change_years(words, year, span) else {
            self.problem(Code::SentenceNeedsPeriod, span, "a change needs a base year and a deadline".into(), "from when to when?", "write both years (`到2025年较2020年下降15%`) or give the document a `baseline` and `period`".into());
            return None;
        };
        let value = self.name(index, name_span);
        let whole = cover(&value.span, &self.span(&number.span));
        let at = whole.end;
        let call = Expr {
            kind: ExprKind::Call {
                function: Name {
                    text: function.to_string(),
                    span: self.span(span),
                },
                args: vec![
                    Arg::Cond(Cond {
                        span: value.span.clone(),
                        kind: CondKind::Bare(value),
                    }),
                    Arg::Span(YearSpan {
                        from: Year {
                            value: base,
                            start: at,
                            end: at,
                        },
                        to: Year {
                            value: deadline.value,
                            start: at,
                            end: at,
                        },
                    }),
                ],
            },
            span: whole.clone(),
        };
        let dimension = if function == "change" {
            self.indicators[index].unit.dimension
        } else {
            Dimension::Relative
        };
        let amount = written(number, dimension, self.span(&number.span));
        let when = match self.context.in_year {
            Some(year) if year.value == deadline.value => When::In(year),
            _ => When::By(deadline),
        };
        Some(self.target(compare(call, op, amount, whole), when))
    }
}
