//! Reads a sentence into targets. The sentence is cut at `，；。` into
//! parts; a part that names no indicator may still set the deadline (`到
//! 2025年`) or make what follows expected (`力争`). A part that names
//! indicators is one clause: its words give the comparator, its numbers the
//! values, and `分别` pairs values with names or years in order.

use super::lexicon::{meaning, sign, Meaning, Strength};
use super::tokens::{tokens, Kind, Number, Token};
use super::tree::{aggregate, compare, quantity, written};
use super::{Context, Declared, Problem, Target};
use crate::diag::Code;
use crate::syntax::ast::{CmpOp, Direction, Expr, ExprKind, Name, Span, Year};
use crate::unit::Dimension;

mod problems;
mod targets;

use problems::{no_indicator, no_target};

/// Reads `text` (which starts at byte `base` of its file) against the
/// declared indicators. Every target the sentence states, in order, or
/// every part that could not be read.
pub fn read(
    text: &str,
    base: usize,
    indicators: &[Declared<'_>],
    context: &Context,
) -> Result<Vec<Target>, Vec<Problem>> {
    let simplified = crate::name::simplified(text);
    let names: Vec<&str> = indicators.iter().map(|declared| declared.written).collect();
    let found = tokens(&simplified, &names);
    let mut reader = Reader {
        text: &simplified,
        base,
        indicators,
        context,
        deadlines: Vec::new(),
        expected: None,
        unnamed: None,
        targets: Vec::new(),
        problems: Vec::new(),
    };
    for part in found.split(|token| token.kind == Kind::Break) {
        reader.part(part);
    }
    if reader.targets.is_empty() && reader.problems.is_empty() {
        let problem = match reader.unnamed.clone() {
            Some(span) => no_indicator(&reader, &span),
            None => no_target(&reader, 0..text.len()),
        };
        reader.problems.push(problem);
    }
    if reader.problems.is_empty() {
        Ok(reader.targets)
    } else {
        Err(reader.problems)
    }
}

struct Reader<'a> {
    text: &'a str,
    base: usize,
    indicators: &'a [Declared<'a>],
    context: &'a Context,
    /// The deadline years in force: set by a part, kept for the parts after.
    deadlines: Vec<Year>,
    expected: Option<Span>,
    /// The first target word of a part that names no indicator.
    unnamed: Option<Span>,
    targets: Vec<Target>,
    problems: Vec<Problem>,
}

/// What a clause's words say, gathered before the numbers are paired.
#[derive(Default)]
struct Words {
    before: Option<(CmpOp, Span)>,
    after: Option<(CmpOp, Span)>,
    approx: Option<Span>,
    reach: Option<Direction>,
    hold: Option<Span>,
    trend: Option<(Direction, Strength, Span)>,
    yearly: Option<Span>,
    step: Option<(Direction, Span)>,
    cagr: Option<Span>,
    change: Option<(Direction, Span)>,
    respectively: bool,
    all: Option<Span>,
    zero: Option<Span>,
    base_year: Option<Year>,
    each: Option<Span>,
}

impl Reader<'_> {
    /// The base year of a change against an earlier year (the sentence's,
    /// else the document's `baseline`, else the year before its `period`)
    /// and its deadline (the sentence's, else the period's end).
    fn change_years(
        &mut self,
        words: &Words,
        year: Option<Year>,
        span: &Span,
    ) -> (Option<i32>, Option<Year>) {
        let base = words
            .base_year
            .map(|year| year.value)
            .or(self.context.baseline)
            .or(self.context.period.map(|(start, _)| start - 1));
        let deadline = self
            .deadline(year)
            .or_else(|| self.context.period.map(|(_, end)| self.year(end, span)));
        (base, deadline)
    }

    fn span(&self, span: &Span) -> Span {
        self.base + span.start..self.base + span.end
    }

    fn year(&self, value: i32, span: &Span) -> Year {
        let span = self.span(span);
        Year {
            value,
            start: span.start,
            end: span.end,
        }
    }

    fn problem(&mut self, code: Code, span: &Span, message: String, label: &str, help: String) {
        let span = self.span(span);
        self.problems.push(Problem {
            code,
            span,
            message,
            label: label.to_string(),
            help,
        });
    }

    /// One part between `，；。`: deadlines and 力争 first, then the targets.
    fn part(&mut self, part: &[Token]) {
        let mut rest: Vec<&Token> = Vec::new();
        let mut deadlines = Vec::new();
        let mut base_years = Vec::new();
        for (at, token) in part.iter().enumerate() {
            let previous = at
                .checked_sub(1)
                .and_then(|at| part[at].word())
                .map(meaning);
            match &token.kind {
                Kind::Year { value, .. } => {
                    // `较2020年`, or a year listed after one: a base year;
                    // any other year is a deadline.
                    let listed = matches!(previous, Some(Meaning::And)) || at > 0 && part[at - 1].kind == Kind::List;
                    let base = matches!(previous, Some(Meaning::Base))
                        || listed && !base_years.is_empty() && deadlines.is_empty();
                    if base {
                        base_years.push(self.year(*value, &token.span));
                    } else {
                        deadlines.push(self.year(*value, &token.span));
                    }
                }
                Kind::PeriodEnd => match self.context.period {
                    Some((_, end)) => deadlines.push(self.year(end, &token.span)),
                    None => self.problem(
                        Code::SentenceNeedsPeriod,
                        &token.span,
                        "“十四五”末 is the end of the document's period, but the file has none".into(),
                        "which year?",
                        "add `period 2021..2025` to the `document` block, or write the year: 到2025年".into(),
                    ),
                },
                Kind::Word(word) => match meaning(word) {
                    Meaning::Hedge => self.expected = Some(self.span(&token.span)),
                    Meaning::To | Meaning::Before
                        if matches!(part.get(at + 1).map(|t| &t.kind), Some(Kind::Year { .. } | Kind::PeriodEnd))
                            || matches!(at.checked_sub(1).map(|at| &part[at].kind), Some(Kind::Year { .. })) => {}
                    _ => rest.push(token),
                },
                _ => rest.push(token),
            }
        }
        if !deadlines.is_empty() {
            self.deadlines = deadlines;
        }
        if !rest
            .iter()
            .any(|token| matches!(token.kind, Kind::Indicator(_)))
        {
            // A part naming no indicator only sets the scene: pasted text
            // holds aims without a measure (`服务能力显著提升`). If the
            // sentence states no target at all, the first such aim is
            // what the error points at.
            if self.unnamed.is_none() {
                self.unnamed = rest
                    .iter()
                    .find(|token| states_target(token))
                    .map(|token| token.span.clone());
            }
            return;
        }
        for clause in clauses(&rest) {
            self.clause(&clause, base_years.first().copied());
        }
    }

    fn clause(&mut self, clause: &[&Token], base_year: Option<Year>) {
        let indicators: Vec<(usize, Span)> = clause
            .iter()
            .filter_map(|token| match token.kind {
                Kind::Indicator(index) => Some((index, token.span.clone())),
                _ => None,
            })
            .fold(Vec::new(), |mut kept: Vec<(usize, Span)>, (index, span)| {
                // `病例组合指数(CMI)`: a name and its alias are one indicator.
                let name = self.indicators[index].name;
                if !kept
                    .iter()
                    .any(|(seen, _)| self.indicators[*seen].name == name)
                {
                    kept.push((index, span));
                }
                kept
            });
        let first = clause
            .iter()
            .position(|token| matches!(token.kind, Kind::Indicator(_)))
            .unwrap_or(0);
        let last = clause
            .iter()
            .rposition(|token| matches!(token.kind, Kind::Indicator(_)))
            .unwrap_or(0);
        let mut words = Words {
            base_year,
            ..Words::default()
        };
        let mut values: Vec<(Value, usize)> = Vec::new();
        for (at, token) in clause.iter().enumerate() {
            // `从4.8张提高到5.2张`: the number after 从 is where it starts.
            let from = at > 0
                && clause[at - 1]
                    .word()
                    .is_some_and(|word| word == "从" || word == "由");
            match &token.kind {
                Kind::Number(_) | Kind::Range(..) if from => {}
                Kind::Number(number) => values.push((Value::One(number.clone()), at)),
                Kind::Range(low, high) => {
                    values.push((Value::Range(low.clone(), high.clone()), at))
                }
                // `各市州建成2家` under `for each 市州`: the clause already
                // says which entities.
                Kind::Each if at < first && !self.context.each => {
                    words.each = Some(token.span.clone())
                }
                Kind::Cmp(text) => words.before = Some((sign(text), token.span.clone())),
                Kind::Word(word) => self.word(&mut words, word, token, clause, at),
                _ => {}
            }
        }
        // `45%以上乡镇卫生院达到…`: a share when numbers stand on both sides.
        let before_values = values.iter().filter(|(_, at)| *at < first).count();
        let grade = self.grade_after(clause, last, &indicators);
        if let Some((_, span)) = &grade {
            values.retain(|(value, _)| {
                value.span().end <= span.start || value.span().start >= span.end
            });
        }
        let share = before_values > 0 && (values.len() > before_values || grade.is_some());
        let share_value = if share {
            let (value, at) = values.remove(0);
            Some((value, at))
        } else {
            None
        };
        let mut targets = Vec::new();
        if let Some((direction, strength, span)) = words.trend.clone() {
            if values.is_empty() {
                for (index, name_span) in &indicators {
                    targets.push(self.trend(*index, name_span, direction, strength, &span, &words));
                }
                self.finish(targets, share_value, &words);
                return;
            }
        }
        if values.is_empty() {
            if let Some((grade, span)) = grade {
                for (index, name_span) in &indicators {
                    let value = Expr {
                        kind: ExprKind::Name(Name {
                            text: grade.clone(),
                            span: self.span(&span),
                        }),
                        span: self.span(&span),
                    };
                    let op = words.before.as_ref().map_or(CmpOp::Ge, |(op, _)| *op);
                    targets.push(self.level(*index, name_span, op, value, &words));
                }
                self.finish(targets, share_value, &words);
                return;
            }
            let ratio = indicators
                .iter()
                .all(|(index, _)| self.indicators[*index].unit.dimension == Dimension::Ratio);
            // `市、县级疾控中心全部参与…建设` declared as the indicator's
            // wording: the 全部 inside the name still says 100%.
            if words.all.is_none() && ratio {
                let start = clause.first().map_or(0, |token| token.span.start);
                let end = clause.last().map_or(0, |token| token.span.end);
                let text = &self.text[start..end];
                words.all = ["全部", "全面", "全覆盖", "覆盖", "均"]
                    .iter()
                    .find_map(|word| text.find(word))
                    .map(|at| start + at..start + at);
            }
            let constant = match (&words.all, &words.zero) {
                (Some(_), None) if !ratio => None,
                (Some(span), _) => Some((100.0, span.clone())),
                (None, Some(span)) => Some((0.0, span.clone())),
                _ => None,
            };
            let Some((number, span)) = constant else {
                let found = &self.text[clause[first].span.clone()];
                // `达到以上`: a bound word whose number is missing.
                if let Some((_, bound)) = words.after.clone().or_else(|| words.before.clone()) {
                    let word = self.text[bound.clone()].to_string();
                    self.problem(
                        Code::SentenceNoTarget,
                        &bound,
                        format!("found the bound word `{word}` but no number with it"),
                        "a bound of what?",
                        format!("write the figure the document gives: `{found}达到90%以上`, `{found}不低于90%`"),
                    );
                    return;
                }
                let span = clause.last().map_or(0..0, |token| token.span.clone());
                self.problem(
                    Code::SentenceNoTarget,
                    &span,
                    format!("found the indicator `{found}` but no target for it"),
                    "expected a number, a bound or a trend here",
                    format!("the nearest reading is a number with a bound: `{found}达到90%以上`, `{found}不少于9个`, or a trend: `{found}逐年提升`"),
                );
                return;
            };
            for (index, name_span) in &indicators {
                // 100% or 0% of a ratio; 0 of a count.
                let ratio = self.indicators[*index].unit.dimension == Dimension::Ratio;
                let value = quantity(number, ratio.then_some("%"), None, self.span(&span));
                let op = if number == 0.0 { CmpOp::Eq } else { CmpOp::Ge };
                targets.push(self.level(*index, name_span, op, value, &words));
            }
            self.finish(targets, share_value, &words);
            return;
        }
        // Pair names, values and deadlines.
        let deadlines = self.deadlines.clone();
        let pairs: Vec<(usize, Span, Value, Option<Year>)> = if values.len() == 1 {
            indicators
                .iter()
                .map(|(index, span)| (*index, span.clone(), values[0].0.clone(), None))
                .collect()
        } else if indicators.len() == values.len() {
            let years: Vec<Option<Year>> = if deadlines.len() == values.len() {
                deadlines.iter().copied().map(Some).collect()
            } else {
                vec![None; values.len()]
            };
            indicators
                .iter()
                .zip(&values)
                .zip(years)
                .map(|(((index, span), (value, _)), year)| {
                    (*index, span.clone(), value.clone(), year)
                })
                .collect()
        } else if indicators.len() == 1 && deadlines.len() == values.len() {
            values
                .iter()
                .zip(&deadlines)
                .map(|((value, _), year)| {
                    (
                        indicators[0].0,
                        indicators[0].1.clone(),
                        value.clone(),
                        Some(*year),
                    )
                })
                .collect()
        } else {
            let span = values[0].0.span().start..values[values.len() - 1].0.span().end;
            self.problem(
                Code::SentenceAmbiguous,
                &span,
                format!("{} values for {} indicators and {} years: which goes with which?", values.len(), indicators.len(), deadlines.len()),
                "cannot pair these",
                "write one value per indicator (`A、B分别达到1、2`) or per year (`到2025年和2027年分别达到92%和95%`)".into(),
            );
            return;
        };
        if pairs.len() > 1 && values.len() > 1 && !words.respectively {
            let span = values[0].0.span();
            self.problem(
                Code::SentenceAmbiguous,
                &span,
                "several values without 分别: do they pair in order, or is it a range?".into(),
                "several values",
                "write 分别 to pair them in order (`分别达到92%和95%`), or a range (`1—2家`)"
                    .into(),
            );
            return;
        }
        for (index, name_span, value, year) in pairs {
            match self.value_target(index, &name_span, &value, &words, year) {
                Some(target) => targets.push(target),
                None => return,
            }
        }
        self.finish(targets, share_value, &words);
    }

    fn word(&mut self, words: &mut Words, word: &str, token: &Token, clause: &[&Token], at: usize) {
        let span = token.span.clone();
        let next_is_value = matches!(
            clause.get(at + 1).map(|t| &t.kind),
            Some(Kind::Number(_) | Kind::Range(..))
        );
        match meaning(word) {
            Meaning::Bound { op, after: false } => words.before = Some((op, span)),
            Meaning::Bound { op, after: true } => words.after = Some((op, span)),
            Meaning::Approx => words.approx = Some(span),
            Meaning::Reach(direction) => words.reach = Some(direction),
            Meaning::Hold => words.hold = Some(span),
            Meaning::Trend(direction, strength) => words.trend = Some((direction, strength, span)),
            Meaning::Yearly => words.yearly = Some(span),
            Meaning::Step(direction) => words.step = Some((direction, span)),
            Meaning::Cagr => words.cagr = Some(span),
            Meaning::Change(direction) if next_is_value || words.base_year.is_some() => {
                words.change = Some((direction, span))
            }
            // `提升职业病防治知识普及率`: a verb with no number is an aim to
            // do better than at the base year.
            Meaning::Change(direction) if words.trend.is_none() => {
                words.trend = Some((direction, Strength::Overall, span))
            }
            Meaning::Respectively => words.respectively = true,
            Meaning::All => words.all = Some(span),
            Meaning::Zero => words.zero = Some(span),
            _ => {}
        }
    }

    /// A grade value named after the indicator (`达到三级甲等标准`).
    fn grade_after(
        &self,
        clause: &[&Token],
        last: usize,
        indicators: &[(usize, Span)],
    ) -> Option<(String, Span)> {
        let (index, _) = indicators.last()?;
        let grades = self.indicators[*index].unit.grades.as_ref()?;
        let start = clause.get(last + 1)?.span.start;
        let end = clause.last()?.span.end;
        let text = &self.text[start..end];
        grades
            .iter()
            .filter_map(|grade| text.find(grade.as_str()).map(|at| (grade, at)))
            .max_by_key(|(grade, _)| grade.len())
            .map(|(grade, at)| (grade.clone(), start + at..start + at + grade.len()))
    }

    fn name(&self, index: usize, span: &Span) -> Expr {
        let span = self.span(span);
        Expr {
            kind: ExprKind::Name(Name {
                text: self.indicators[index].name.to_string(),
                span: span.clone(),
            }),
            span,
        }
    }

    fn deadline(&self, own: Option<Year>) -> Option<Year> {
        own.or_else(|| self.deadlines.first().copied())
            .or(self.context.by)
    }

    /// The targets of a clause, as a share over the entities when a number
    /// stood before the indicator (`75%以上县级妇幼保健机构达到二级甲等`).
    fn finish(&mut self, targets: Vec<Target>, share: Option<(Value, usize)>, words: &Words) {
        let Some((Value::One(number), _)) = share else {
            self.targets.extend(targets);
            return;
        };
        let op = words
            .after
            .as_ref()
            .or(words.before.as_ref())
            .map_or(CmpOp::Ge, |(op, _)| *op);
        for target in targets {
            let span = target.condition.span.clone();
            let call = aggregate(
                "share",
                crate::vocab::DESCENDANTS,
                target.condition,
                span.clone(),
            );
            let value = written(&number, Dimension::Ratio, self.span(&number.span));
            self.targets.push(Target {
                condition: compare(call, op, value, span),
                ..target
            });
        }
    }
}

#[derive(Debug, Clone)]
enum Value {
    One(Number),
    Range(Number, Number),
}

impl Value {
    fn span(&self) -> Span {
        match self {
            Value::One(number) => number.span.clone(),
            Value::Range(low, high) => low.span.start..high.span.end,
        }
    }
}

/// Cuts a part into clauses: a new one starts at an indicator named after
/// the previous indicators got their values.
fn clauses<'t>(tokens: &[&'t Token]) -> Vec<Vec<&'t Token>> {
    let mut clauses: Vec<Vec<&Token>> = vec![Vec::new()];
    let mut valued = false;
    let mut named = false;
    for token in tokens {
        if matches!(token.kind, Kind::Indicator(_)) {
            if named && valued {
                clauses.push(Vec::new());
                valued = false;
            }
            named = true;
        } else if named && states_target(token) {
            valued = true;
        }
        if let Some(clause) = clauses.last_mut() {
            clause.push(token);
        }
    }
    clauses
}

fn states_target(token: &Token) -> bool {
    match &token.kind {
        Kind::Number(_) | Kind::Range(..) | Kind::Cmp(_) => true,
        Kind::Word(word) => matches!(
            meaning(word),
            Meaning::Bound { .. }
                | Meaning::Trend(..)
                | Meaning::Cagr
                | Meaning::Step(_)
                | Meaning::All
                | Meaning::Zero
        ),
        _ => false,
    }
}
