//! Turns pest's parse tree of one statement into the spanned syntax tree.

use std::sync::Arc;

use pest::iterators::Pair;

use super::ast::*;
use super::Rule;
use crate::diag::{Code, Diagnostic, SourceFile};

/// Builds syntax nodes from one statement's pairs. Spans are shifted by
/// `base`, the statement's offset in the file.
pub struct Builder<'a> {
    pub source: &'a Arc<SourceFile>,
    pub base: usize,
    pub diagnostics: &'a mut Vec<Diagnostic>,
    /// The clauses and document fields given so far in this statement, for
    /// pointing at the first of a duplicate.
    pub given: Vec<(&'static str, Span)>,
}

/// What a symbolic rule and a sentence rule share: a name and clauses; the
/// one has a condition, the other a sentence.
struct RuleParts {
    name: Option<Text>,
    condition: Option<Cond>,
    sentence: Option<Text>,
    clauses: Clauses,
}

impl Builder<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        self.base + span.start()..self.base + span.end()
    }

    pub fn statement(&mut self, pair: Pair<'_, Rule>) -> Option<Statement> {
        let span = self.span(&pair);
        let mut inner = pair.clone().into_inner();
        Some(match pair.as_rule() {
            Rule::document => Statement::Document(self.document(pair, span)),
            Rule::import => {
                inner.next();
                Statement::Import(self.text(inner.next()?))
            }
            Rule::tiers => Statement::Tiers(
                inner
                    .filter(|pair| pair.as_rule() == Rule::name)
                    .map(|pair| self.name(pair))
                    .collect(),
            ),
            Rule::scope => {
                inner.next();
                Statement::Scope(self.target(inner.next()?))
            }
            Rule::indicator => Statement::Indicator(self.indicator(pair)?),
            Rule::benchmark => {
                inner.next();
                let name = self.name(inner.next()?);
                let value = self.expr(inner.next()?);
                let source = match inner.next() {
                    Some(clause) => Some(self.text(clause.into_inner().nth(1)?)),
                    None => None,
                };
                Statement::Benchmark(BenchmarkDecl {
                    name,
                    value,
                    source,
                })
            }
            Rule::group => {
                let mut names = inner
                    .filter(|pair| pair.as_rule() == Rule::name)
                    .map(|pair| self.name(pair));
                let name = names.next()?;
                Statement::Group(GroupDecl {
                    name,
                    members: names.collect(),
                })
            }
            Rule::rule => {
                let parts = self.rule_parts(pair)?;
                Statement::Rule(Box::new(RuleDecl {
                    name: parts.name,
                    condition: parts.condition?,
                    clauses: parts.clauses,
                    span,
                }))
            }
            Rule::sentence_statement => {
                let parts = self.rule_parts(pair)?;
                Statement::Sentence(Box::new(SentenceDecl {
                    name: parts.name,
                    sentence: parts.sentence?,
                    clauses: parts.clauses,
                    span,
                }))
            }
            _ => return None,
        })
    }

    fn document(&mut self, pair: Pair<'_, Rule>, span: Span) -> DocumentDecl {
        let mut document = DocumentDecl {
            id: Text {
                value: String::new(),
                span: span.clone(),
            },
            title: None,
            issued: None,
            baseline: None,
            period: None,
            span,
        };
        for field in pair.into_inner() {
            let field_span = self.span(&field);
            let kind = field.as_rule();
            let value = field.clone().into_inner().nth(1);
            match (kind, value) {
                (Rule::string, _) => document.id = self.text(field),
                (Rule::doc_title, Some(value)) => {
                    let text = self.text(value);
                    self.once(&mut document.title, text, "title", field_span)
                }
                (Rule::doc_issued, Some(value)) => {
                    let text = Text {
                        value: value.as_str().to_string(),
                        span: self.span(&value),
                    };
                    self.once(&mut document.issued, text, "issued", field_span)
                }
                (Rule::doc_baseline, Some(value)) => {
                    let year = self.year(value);
                    self.once(&mut document.baseline, year, "baseline", field_span)
                }
                (Rule::doc_period, Some(value)) => {
                    let span = self.year_span(value);
                    self.once(&mut document.period, span, "period", field_span)
                }
                _ => {}
            }
        }
        document
    }

    fn once<T>(&mut self, slot: &mut Option<T>, value: T, what: &'static str, span: Span) {
        if slot.is_some() {
            let mut diagnostic = Diagnostic::error(
                self.source,
                Code::DuplicateClause,
                span,
                format!("`{what}` is given twice"),
                "given again here",
            )
            .with_help(format!("keep one `{what}`"));
            if let Some((_, first)) = self.given.iter().find(|(given, _)| *given == what) {
                diagnostic = diagnostic.with_label(first.clone(), "first given here");
            }
            self.diagnostics.push(diagnostic);
        } else {
            self.given.push((what, span));
            *slot = Some(value);
        }
    }

    fn indicator(&mut self, pair: Pair<'_, Rule>) -> Option<IndicatorDecl> {
        let mut names = Vec::new();
        let mut aliases = Vec::new();
        let mut unit = None;
        let mut better = None;
        for part in pair.into_inner() {
            let span = self.span(&part);
            match part.as_rule() {
                Rule::name => names.push(self.name(part)),
                Rule::better => {
                    let way = if part.as_str().ends_with("lower") {
                        Better::Lower
                    } else {
                        Better::Higher
                    };
                    self.once(&mut better, (way, span.clone()), "better", span)
                }
                Rule::aliases => aliases = self.names(part),
                Rule::number_unit => unit = Some(UnitSpec::Number),
                Rule::ratio_unit => {
                    let mut terms = part
                        .into_inner()
                        .filter(|pair| pair.as_rule() == Rule::name);
                    let first = self.name(terms.next()?);
                    let second = self.name(terms.next()?);
                    unit = Some(UnitSpec::Ratio { first, second });
                }
                Rule::grade_unit => {
                    let values = part
                        .into_inner()
                        .filter(|pair| pair.as_rule() == Rule::grade_value)
                        .filter_map(|value| {
                            let inner = value.into_inner().next()?;
                            Some(match inner.as_rule() {
                                Rule::name => self.name(inner),
                                _ => Name {
                                    text: inner.as_str().to_string(),
                                    span: self.span(&inner),
                                },
                            })
                        })
                        .collect();
                    unit = Some(UnitSpec::Grade { values, span });
                }
                Rule::plain_unit => {
                    unit = Some(UnitSpec::Written {
                        text: part.as_str().to_string(),
                        span,
                    })
                }
                _ => {}
            }
        }
        Some(IndicatorDecl {
            names,
            unit: unit?,
            aliases,
            better,
        })
    }

    fn names(&mut self, pair: Pair<'_, Rule>) -> Vec<Name> {
        pair.into_inner()
            .filter(|pair| pair.as_rule() == Rule::name)
            .map(|pair| self.name(pair))
            .collect()
    }

    /// The name, condition or sentence, and clauses of a rule.
    fn rule_parts(&mut self, pair: Pair<'_, Rule>) -> Option<RuleParts> {
        let mut name = None;
        let mut condition = None;
        let mut sentence = None;
        let mut clauses = Clauses::default();
        for part in pair.into_inner() {
            let part_span = self.span(&part);
            let kind = part.as_rule();
            let mut inner = part.clone().into_inner();
            inner.next(); // the clause's keyword
            match kind {
                Rule::rule_name => name = Some(self.text(part.into_inner().next()?)),
                Rule::condition => condition = Some(self.condition(part)),
                Rule::sentence => {
                    let text = part.as_str().trim_end();
                    sentence = Some(Text {
                        value: text.to_string(),
                        span: part_span.start..part_span.start + text.len(),
                    });
                }
                Rule::by_clause => {
                    let year = self.year(inner.next()?);
                    self.once(&mut clauses.by, year, "by", part_span)
                }
                Rule::in_clause => {
                    let year = self.year(inner.next()?);
                    self.once(&mut clauses.in_year, year, "in", part_span)
                }
                Rule::from_clause => {
                    let from = self.year(inner.next()?);
                    inner.next();
                    let to = self.year(inner.next()?);
                    self.once(&mut clauses.from_to, (from, to), "from … to", part_span)
                }
                Rule::since_clause => {
                    let year = self.year(inner.next()?);
                    self.once(&mut clauses.since, year, "since", part_span)
                }
                Rule::for_clause => {
                    let target = self.target(inner.next()?);
                    self.once(&mut clauses.target, target, "for", part_span)
                }
                Rule::source_clause => {
                    let text = self.text(inner.next()?);
                    self.once(&mut clauses.source, text, "source", part_span)
                }
                Rule::owner_clause => {
                    let text = self.text(inner.next()?);
                    self.once(&mut clauses.owner, text, "owner", part_span)
                }
                Rule::tags_clause => {
                    let tags = inner
                        .filter(|pair| pair.as_rule() == Rule::string)
                        .map(|pair| self.text(pair))
                        .collect();
                    self.once(&mut clauses.tags, tags, "tags", part_span)
                }
                Rule::binding => self.once(
                    &mut clauses.binding,
                    part_span.clone(),
                    "binding",
                    part_span,
                ),
                Rule::expected => self.once(
                    &mut clauses.expected,
                    part_span.clone(),
                    "expected",
                    part_span,
                ),
                Rule::missing_as_fail => self.once(
                    &mut clauses.missing_as_fail,
                    part_span.clone(),
                    "missing as fail",
                    part_span,
                ),
                _ => {}
            }
        }
        Some(RuleParts {
            name,
            condition,
            sentence,
            clauses,
        })
    }

    fn target(&mut self, pair: Pair<'_, Rule>) -> Target {
        match pair.as_rule() {
            Rule::each_tier => {
                let mut tier = None;
                let mut under = None;
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::name => tier = Some(self.name(part)),
                        Rule::under_entity => {
                            under = part
                                .into_inner()
                                .find(|pair| pair.as_rule() == Rule::name)
                                .map(|pair| self.name(pair))
                        }
                        _ => {}
                    }
                }
                let tier = tier.unwrap_or_else(|| Name {
                    text: String::new(),
                    span: self.base..self.base,
                });
                Target::Each { tier, under }
            }
            _ => Target::Entity(self.name(pair)),
        }
    }

    pub fn condition(&mut self, pair: Pair<'_, Rule>) -> Cond {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::condition | Rule::and_cond => {
                let is_or = pair.as_rule() == Rule::condition;
                let mut parts: Vec<Cond> = pair
                    .into_inner()
                    .filter(|pair| !matches!(pair.as_rule(), Rule::kw_or | Rule::kw_and))
                    .map(|pair| self.condition(pair))
                    .collect();
                if parts.len() == 1 {
                    return parts.pop().expect("one part");
                }
                let kind = if is_or {
                    CondKind::Or(parts)
                } else {
                    CondKind::And(parts)
                };
                Cond { kind, span }
            }
            Rule::not_cond => {
                let mut nots = Vec::new();
                let mut inner = None;
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::kw_not => nots.push(self.span(&part).start),
                        _ => inner = Some(self.condition(part)),
                    }
                }
                let mut cond = inner.unwrap_or_else(|| self.empty_cond(span.clone()));
                for start in nots.into_iter().rev() {
                    let span = start..cond.span.end;
                    cond = Cond {
                        kind: CondKind::Not(Box::new(cond)),
                        span,
                    };
                }
                cond
            }
            Rule::comparison => self.comparison(pair, span),
            _ => self.empty_cond(span),
        }
    }

    fn empty_cond(&self, span: Span) -> Cond {
        Cond {
            kind: CondKind::Bare(Expr {
                kind: ExprKind::Quantity {
                    number: f64::NAN,
                    unit: None,
                },
                span: span.clone(),
            }),
            span,
        }
    }

    fn comparison(&mut self, pair: Pair<'_, Rule>, span: Span) -> Cond {
        let mut inner = pair.into_inner();
        let Some(left) = inner.next().map(|pair| self.expr(pair)) else {
            return self.empty_cond(span);
        };
        let Some(tail) = inner.next() else {
            return Cond {
                kind: CondKind::Bare(left),
                span,
            };
        };
        let mut parts = tail.clone().into_inner();
        let kind = match tail.as_rule() {
            Rule::compare_tail => {
                let op_pair = parts.next().expect("operator");
                let op_span = self.span(&op_pair);
                let op = cmp_op(op_pair.as_str());
                let right = self.expr(parts.next().expect("right operand"));
                CondKind::Compare {
                    left,
                    op,
                    op_span,
                    right,
                }
            }
            Rule::between_tail => {
                let mut operands = parts
                    .filter(|pair| pair.as_rule() == Rule::sum)
                    .map(|pair| self.expr(pair));
                let low = operands.next().expect("low");
                let high = operands.next().expect("high");
                CondKind::Between {
                    value: left,
                    low,
                    high,
                }
            }
            Rule::approx_tail => {
                let mut operands = parts
                    .filter(|pair| pair.as_rule() == Rule::sum)
                    .map(|pair| self.expr(pair));
                let center = operands.next().expect("center");
                let tolerance = operands.next();
                CondKind::Approx {
                    value: left,
                    center,
                    tolerance,
                }
            }
            Rule::better_tail => {
                let words = parts.clone().take_while(|pair| pair.as_rule() != Rule::sum);
                let strict = words.clone().all(|pair| pair.as_rule() != Rule::kw_not);
                let words = words
                    .map(|pair| self.span(&pair))
                    .reduce(|first, last| first.start..last.end)
                    .unwrap_or_else(|| span.clone());
                let right = parts
                    .find(|pair| pair.as_rule() == Rule::sum)
                    .map(|pair| self.expr(pair))
                    .expect("right operand");
                CondKind::Better {
                    left,
                    strict,
                    words,
                    right,
                }
            }
            Rule::trend_tail => {
                let trend = tail.into_inner().next().expect("trend");
                let kind = trend.as_rule();
                let mut direction = Direction::Rises;
                let mut op = None;
                let mut amount = None;
                for part in trend.into_inner() {
                    match part.as_rule() {
                        Rule::direction if part.as_str().starts_with("falls") => {
                            direction = Direction::Falls
                        }
                        Rule::cmp_op => op = Some(cmp_op(part.as_str())),
                        Rule::sum => amount = Some(self.expr(part)),
                        _ => {}
                    }
                }
                let trend = match (kind, op, amount) {
                    (Rule::never_trend, _, _) => Trend::Never,
                    (Rule::step_trend, Some(op), Some(amount)) => Trend::Step { op, amount },
                    _ => Trend::EachYear,
                };
                CondKind::Trend {
                    value: left,
                    direction,
                    trend,
                }
            }
            _ => CondKind::Bare(left),
        };
        Cond { kind, span }
    }

    pub fn expr(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::sum | Rule::product => {
                let mut inner = pair.into_inner();
                let mut left = self.expr(inner.next().expect("operand"));
                while let (Some(op), Some(right)) = (inner.next(), inner.next()) {
                    let right = self.expr(right);
                    let op = match op.as_str() {
                        "+" => BinOp::Add,
                        "-" => BinOp::Sub,
                        "*" | "×" => BinOp::Mul,
                        _ => BinOp::Div,
                    };
                    let span = left.span.start..right.span.end;
                    left = Expr {
                        kind: ExprKind::Binary {
                            op,
                            left: Box::new(left),
                            right: Box::new(right),
                        },
                        span,
                    };
                }
                left
            }
            Rule::unary => {
                let mut negations = Vec::new();
                let mut value = None;
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::neg => negations.push(self.span(&part).start),
                        _ => value = Some(self.expr(part)),
                    }
                }
                let mut value = value.expect("operand");
                for start in negations.into_iter().rev() {
                    let span = start..value.span.end;
                    value = Expr {
                        kind: ExprKind::Neg(Box::new(value)),
                        span,
                    };
                }
                value
            }
            Rule::postfix => {
                let mut inner = pair.into_inner();
                let value = self.expr(inner.next().expect("value"));
                inner.next(); // `@`
                match inner.next() {
                    None => value,
                    Some(target) => {
                        let at = match target.as_rule() {
                            Rule::year => AtTarget::Year(self.year(target)),
                            _ => AtTarget::Entity(self.name(target)),
                        };
                        Expr {
                            kind: ExprKind::At {
                                value: Box::new(value),
                                at,
                            },
                            span,
                        }
                    }
                }
            }
            Rule::paren => {
                let cond = pair
                    .into_inner()
                    .find(|pair| pair.as_rule() == Rule::condition)
                    .map(|pair| self.condition(pair))
                    .expect("inner condition");
                // A parenthesised plain expression is just that expression.
                match cond.kind {
                    CondKind::Bare(expr) => Expr {
                        kind: expr.kind,
                        span,
                    },
                    kind => Expr {
                        kind: ExprKind::Paren(Box::new(Cond {
                            kind,
                            span: cond.span,
                        })),
                        span,
                    },
                }
            }
            Rule::call => {
                let mut inner = pair.into_inner();
                let function = self.name(inner.next().expect("function name"));
                let args = inner
                    .filter(|pair| pair.as_rule() == Rule::arg)
                    .map(|pair| self.arg(pair))
                    .collect();
                Expr {
                    kind: ExprKind::Call { function, args },
                    span,
                }
            }
            Rule::quantity => self.quantity(pair, span),
            Rule::string => Expr {
                kind: ExprKind::Text(self.text(pair)),
                span,
            },
            Rule::name => Expr {
                kind: ExprKind::Name(self.name(pair)),
                span,
            },
            _ => Expr {
                kind: ExprKind::Quantity {
                    number: f64::NAN,
                    unit: None,
                },
                span,
            },
        }
    }

    fn quantity(&mut self, pair: Pair<'_, Rule>, span: Span) -> Expr {
        let mut inner = pair.into_inner();
        let number = inner.next().map_or(f64::NAN, |pair| self.finite(&pair));
        let unit = inner.next().and_then(|unit| {
            let unit_span = self.span(&unit);
            let written = unit.into_inner().next()?;
            Some(match written.as_rule() {
                Rule::ratio_tail => WrittenUnit::Ratio {
                    second: written
                        .into_inner()
                        .next()
                        .map_or(f64::NAN, |pair| self.finite(&pair)),
                    span: unit_span,
                },
                _ => WrittenUnit::Word {
                    text: written.as_str().to_string(),
                    span: unit_span,
                },
            })
        });
        Expr {
            kind: ExprKind::Quantity { number, unit },
            span,
        }
    }

    /// A number literal's value; one too large for a finite number (400
    /// digits) is a diagnostic, not infinity.
    fn finite(&mut self, pair: &Pair<'_, Rule>) -> f64 {
        match pair.as_str().parse::<f64>() {
            Ok(value) if value.is_finite() => value,
            _ => {
                self.diagnostics.push(
                    Diagnostic::error(
                        self.source,
                        Code::NumberOutOfRange,
                        self.span(pair),
                        "number out of range",
                        "too large for a number",
                    )
                    .with_help("write a finite number, at most about 1.8e308"),
                );
                f64::NAN
            }
        }
    }

    fn arg(&mut self, pair: Pair<'_, Rule>) -> Arg {
        let inner = pair.into_inner().next().expect("argument");
        match inner.as_rule() {
            Rule::span => Arg::Span(self.year_span(inner)),
            Rule::set_filter => {
                let mut set = None;
                let mut under = None;
                let mut filter = None;
                for part in inner.into_inner() {
                    match part.as_rule() {
                        Rule::name => set = Some(self.name(part)),
                        Rule::under_entity => {
                            under = part
                                .into_inner()
                                .find(|pair| pair.as_rule() == Rule::name)
                                .map(|pair| self.name(pair))
                        }
                        Rule::condition => filter = Some(self.condition(part)),
                        _ => {}
                    }
                }
                Arg::Filtered {
                    set: set.expect("set"),
                    under,
                    filter,
                }
            }
            _ => Arg::Cond(self.condition(inner)),
        }
    }

    pub fn name(&mut self, pair: Pair<'_, Rule>) -> Name {
        let span = self.span(&pair);
        let inner = pair.into_inner().next();
        let text = match inner {
            Some(quoted) if quoted.as_rule() == Rule::quoted_name => quoted
                .into_inner()
                .next()
                .map_or_else(String::new, |text| text.as_str().to_string()),
            Some(bare) => bare.as_str().to_string(),
            None => String::new(),
        };
        if let Some(control) = crate::name::control_character(&text) {
            self.diagnostics.push(
                Diagnostic::error(
                    self.source,
                    Code::BadName,
                    span.clone(),
                    format!(
                        "the name holds the control character {}",
                        crate::name::describe(control)
                    ),
                    "a character that does not print",
                )
                .with_help("retype the name: copied text sometimes carries invisible characters"),
            );
        }
        // The same normal form as data names, so that a zero-width space or
        // a full-width letter does not make two names differ.
        let text = crate::name::normalise(&text).into_owned();
        Name { text, span }
    }

    fn text(&mut self, pair: Pair<'_, Rule>) -> Text {
        let span = self.span(&pair);
        let raw = pair.into_inner().next().map_or("", |text| text.as_str());
        Text {
            value: raw.replace("\\\"", "\"").replace("\\\\", "\\"),
            span,
        }
    }

    fn year(&mut self, pair: Pair<'_, Rule>) -> Year {
        let span = self.span(&pair);
        Year {
            value: pair.as_str().parse().unwrap_or(0),
            start: span.start,
            end: span.end,
        }
    }

    fn year_span(&mut self, pair: Pair<'_, Rule>) -> YearSpan {
        let mut years = pair.into_inner();
        let from = self.year(years.next().expect("first year"));
        let to = self.year(years.next().expect("last year"));
        YearSpan { from, to }
    }
}

fn cmp_op(text: &str) -> CmpOp {
    match text {
        ">=" | "≥" | "＞＝" => CmpOp::Ge,
        "<=" | "≤" | "＜＝" => CmpOp::Le,
        "==" | "＝＝" | "＝" => CmpOp::Eq,
        "!=" | "≠" => CmpOp::Ne,
        ">" | "＞" => CmpOp::Gt,
        _ => CmpOp::Lt,
    }
}
