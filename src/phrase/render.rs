//! Writes a rule's syntax tree back as text: the symbolic form (`--to en`,
//! what a sentence was read as) and, where one exists, the sentence
//! (`--to zh`). Both are read back to the same compiled rule; the tests
//! of `zhibiao fmt` check that on every file in `rules/`.

use std::fmt::Write;

use crate::syntax::ast::{
    Arg, AtTarget, CmpOp, Cond, CondKind, Direction, Expr, ExprKind, Trend, WrittenUnit,
};
use crate::unit::format_number;

/// A condition in the symbolic form: `县域就诊率 >= 90%`.
pub fn condition(cond: &Cond) -> String {
    let mut out = String::new();
    write_cond(&mut out, cond, false);
    out
}

fn ascii(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Ge => ">=",
        CmpOp::Gt => ">",
        CmpOp::Le => "<=",
        CmpOp::Lt => "<",
        CmpOp::Eq => "==",
        CmpOp::Ne => "!=",
    }
}

fn write_cond(out: &mut String, cond: &Cond, nested: bool) {
    match &cond.kind {
        CondKind::Or(parts) | CondKind::And(parts) => {
            let word = if matches!(cond.kind, CondKind::Or(_)) {
                " or "
            } else {
                " and "
            };
            if nested {
                out.push('(');
            }
            for (at, part) in parts.iter().enumerate() {
                if at > 0 {
                    out.push_str(word);
                }
                write_cond(out, part, true);
            }
            if nested {
                out.push(')');
            }
        }
        CondKind::Not(inner) => {
            out.push_str("not ");
            write_cond(out, inner, true);
        }
        CondKind::Compare {
            left, op, right, ..
        } => {
            write_expr(out, left, 0);
            let _ = write!(out, " {} ", ascii(*op));
            write_expr(out, right, 0);
        }
        CondKind::Between { value, low, high } => {
            write_expr(out, value, 0);
            out.push_str(" between ");
            write_expr(out, low, 0);
            out.push_str(" and ");
            write_expr(out, high, 0);
        }
        CondKind::Approx {
            value,
            center,
            tolerance,
        } => {
            write_expr(out, value, 0);
            out.push_str(" ≈ ");
            write_expr(out, center, 0);
            if let Some(tolerance) = tolerance {
                out.push_str(" ± ");
                write_expr(out, tolerance, 0);
            }
        }
        CondKind::Trend {
            value,
            direction,
            trend,
        } => {
            write_expr(out, value, 0);
            let word = match direction {
                Direction::Rises => "rises",
                Direction::Falls => "falls",
            };
            match trend {
                Trend::EachYear => {
                    let _ = write!(out, " {word} each year");
                }
                Trend::Never => {
                    let _ = write!(out, " never {word}");
                }
                Trend::Step { op, amount } => {
                    let _ = write!(out, " {word} by {} ", ascii(*op));
                    write_expr(out, amount, 0);
                    out.push_str(" each year");
                }
            }
        }
        CondKind::Better {
            left,
            strict,
            right,
            ..
        } => {
            write_expr(out, left, 0);
            out.push_str(if *strict {
                " better than "
            } else {
                " not worse than "
            });
            write_expr(out, right, 0);
        }
        CondKind::Bare(expr) => write_expr(out, expr, 0),
    }
}

/// `level`: 0 anywhere, 1 as an operand of `+ -`, 2 of `* /`.
fn write_expr(out: &mut String, expr: &Expr, level: u8) {
    match &expr.kind {
        ExprKind::Quantity { number, unit } => {
            out.push_str(&format_number(*number));
            match unit {
                Some(WrittenUnit::Word { text, .. }) => out.push_str(text),
                Some(WrittenUnit::Ratio { second, .. }) => {
                    let _ = write!(out, ":{}", format_number(*second));
                }
                None => {}
            }
        }
        ExprKind::Name(name) => out.push_str(&quoted(&name.text)),
        ExprKind::Text(text) => {
            let _ = write!(
                out,
                "\"{}\"",
                text.value.replace('\\', "\\\\").replace('"', "\\\"")
            );
        }
        ExprKind::Call { function, args } => {
            out.push_str(&function.text);
            out.push('(');
            for (at, arg) in args.iter().enumerate() {
                if at > 0 {
                    out.push_str(", ");
                }
                match arg {
                    Arg::Span(span) => {
                        let _ = write!(out, "{}..{}", span.from.value, span.to.value);
                    }
                    Arg::Filtered { set, under, filter } => {
                        out.push_str(&quoted(&set.text));
                        if let Some(under) = under {
                            out.push_str(" under ");
                            out.push_str(&quoted(&under.text));
                        }
                        if let Some(filter) = filter {
                            out.push_str(" where ");
                            write_cond(out, filter, false);
                        }
                    }
                    Arg::Cond(cond) => write_cond(out, cond, false),
                }
            }
            out.push(')');
        }
        ExprKind::At { value, at } => {
            write_expr(out, value, 3);
            out.push_str(" @ ");
            match at {
                AtTarget::Year(year) => out.push_str(&year.value.to_string()),
                AtTarget::Entity(name) => out.push_str(&quoted(&name.text)),
            }
        }
        ExprKind::Binary { op, left, right } => {
            let own = match op.symbol() {
                "+" | "-" => 1,
                _ => 2,
            };
            let paren = level > own || (level == own && own == 2);
            if paren {
                out.push('(');
            }
            write_expr(out, left, own);
            let _ = write!(out, " {} ", op.symbol());
            write_expr(out, right, own + 1);
            if paren {
                out.push(')');
            }
        }
        ExprKind::Neg(inner) => {
            out.push('-');
            write_expr(out, inner, 3);
        }
        ExprKind::Paren(cond) => {
            out.push('(');
            write_cond(out, cond, false);
            out.push(')');
        }
    }
}

/// A name bare when the grammar reads it so, else in 「」.
pub fn quoted(name: &str) -> String {
    let starts_well = name
        .chars()
        .next()
        .is_some_and(|c| !c.is_ascii_digit() && (c.is_alphabetic() || c == '_'));
    let plain = name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !name
            .chars()
            .any(|c| c.is_ascii() && !c.is_ascii_alphanumeric() && c != '_');
    let keyword_free = name
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .all(|word| !is_keyword(word));
    if starts_well && plain && keyword_free {
        name.to_string()
    } else {
        format!("「{name}」")
    }
}

fn is_keyword(word: &str) -> bool {
    crate::vocab::KEYWORDS.contains(&word)
}

/// A rule as a policy sentence, and what the clauses after it must still
/// say.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub text: String,
    /// The sentence does not state the rule's time clause: keep it.
    pub keeps_time: bool,
    /// The sentence says 力争, so `expected` is not written after it.
    pub hedged: bool,
}

/// The policy sentence of a condition and its time clauses, for the
/// shapes the reader reads back: a bound (`不低于`, `超过` …), `保持`,
/// year-on-year trends, yearly steps, `左右`, ranges, `逐步提高`, changes
/// against a base year, `年均增速`, `每个区县`. Anything else has none.
pub fn sentence(
    cond: &Cond,
    clauses: &crate::syntax::ast::Clauses,
    period: Option<(i32, i32)>,
    baseline: Option<i32>,
) -> Option<Sentence> {
    let base = baseline.or(period.map(|(start, _)| start - 1));
    let hedge = if clauses.expected.is_some() {
        "力争"
    } else {
        ""
    };
    let deadline = |year: i32| format!("到{year}年，");
    let (body, time) = match &cond.kind {
        CondKind::Compare {
            left, op, right, ..
        } => compare_body(left, *op, right, base)?,
        CondKind::Between { value, low, high } => (
            format!(
                "{}{}—{}",
                name_of(value)?,
                value_text(low)?,
                value_text(high)?
            ),
            Time::Level,
        ),
        CondKind::Approx {
            value,
            center,
            tolerance: None,
        } => (
            format!("{}{}左右", name_of(value)?, value_text(center)?),
            Time::Level,
        ),
        CondKind::Trend {
            value,
            direction,
            trend,
        } => {
            let name = name_of(value)?;
            let words = match (direction, trend) {
                (Direction::Rises, Trend::EachYear) => "逐年提升".to_string(),
                (Direction::Falls, Trend::EachYear) => "逐年下降".to_string(),
                (Direction::Falls, Trend::Never) => "只增不减".to_string(),
                (Direction::Rises, Trend::Never) => "只减不增".to_string(),
                (
                    direction,
                    Trend::Step {
                        op: CmpOp::Ge,
                        amount,
                    },
                ) => {
                    let verb = if *direction == Direction::Rises {
                        "每年提高"
                    } else {
                        "每年降低"
                    };
                    format!("{verb}{}以上", points_text(amount)?)
                }
                _ => return None,
            };
            (format!("{name}{words}"), Time::Span)
        }
        CondKind::Bare(Expr {
            kind: ExprKind::Call { function, args },
            ..
        }) if function.text == "all" => {
            let [Arg::Cond(set), Arg::Cond(inner)] = args.as_slice() else {
                return None;
            };
            let CondKind::Bare(Expr {
                kind: ExprKind::Name(set),
                ..
            }) = &set.kind
            else {
                return None;
            };
            if set.text != crate::vocab::CHILDREN {
                return None;
            }
            let CondKind::Compare {
                left, op, right, ..
            } = &inner.kind
            else {
                return None;
            };
            let (body, time) = compare_body(left, *op, right, base)?;
            (format!("每个区县{body}"), time)
        }
        _ => return None,
    };
    let by = clauses.by.map(|year| year.value);
    let every = clauses.from_to.map(|(from, to)| (from.value, to.value));
    let period_start = period.map(|(start, _)| start);
    let (prefix, keeps_time, body) = match (time, by, every) {
        (Time::Level | Time::Fixed, Some(year), None) => (deadline(year), false, body),
        (Time::Level, None, Some((from, to))) if Some(from) == period_start => {
            (deadline(to), false, hold(&body)?)
        }
        (Time::Span, None, Some((from, to))) if Some(from) == period_start => {
            (deadline(to), false, body)
        }
        (Time::Fixed, None, None) => return None,
        _ => (String::new(), true, body),
    };
    Some(Sentence {
        text: format!("{prefix}{hedge}{body}"),
        keeps_time,
        hedged: !hedge.is_empty(),
    })
}

/// How a sentence's shape takes the rule's years.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Time {
    /// A level: `到2025年` for `by`, `保持` for every year of the period.
    Level,
    /// A trend or step over a span of years.
    Span,
    /// A change or `逐步提高` against a base year, due at the deadline.
    Fixed,
}

/// `县域就诊率不低于90%` kept every year: `县域就诊率保持在90%以上`.
fn hold(body: &str) -> Option<String> {
    for (bound, kept) in [("不低于", "以上"), ("不超过", "以下")] {
        if let Some((name, value)) = body.split_once(bound) {
            return Some(format!("{name}保持在{value}{kept}"));
        }
    }
    None
}

fn compare_body(left: &Expr, op: CmpOp, right: &Expr, base: Option<i32>) -> Option<(String, Time)> {
    // `X > X @ 2020`: better than at the base year.
    if let ExprKind::At {
        value,
        at: AtTarget::Year(year),
    } = &right.kind
    {
        let name = name_of(left)?;
        if name_of(value)? != name || Some(year.value) != base {
            return None;
        }
        let words = match op {
            CmpOp::Gt => "逐步提高",
            CmpOp::Lt => "逐步降低",
            _ => return None,
        };
        return Some((format!("{name}{words}"), Time::Fixed));
    }
    if let ExprKind::Call { function, args } = &left.kind {
        let [Arg::Cond(Cond {
            kind: CondKind::Bare(value),
            ..
        }), Arg::Span(span)] = args.as_slice()
        else {
            return None;
        };
        let name = name_of(value)?;
        let (amount, negative) = match &right.kind {
            ExprKind::Neg(inner) => (value_text(inner)?, true),
            _ => (value_text(right)?, false),
        };
        return match (function.text.as_str(), op, negative) {
            ("cagr", CmpOp::Ge, false)
                if Some(span.from.value) == base && amount.ends_with('%') =>
            {
                Some((format!("{name}年均增速{amount}"), Time::Fixed))
            }
            ("growth", CmpOp::Ge, false) if amount.ends_with('%') => Some((
                format!("{name}较{}年提高{amount}", span.from.value),
                Time::Fixed,
            )),
            ("growth", CmpOp::Le, true) if amount.ends_with('%') => Some((
                format!("{name}较{}年下降{amount}", span.from.value),
                Time::Fixed,
            )),
            ("change", CmpOp::Ge, false) if !amount.ends_with('%') => Some((
                format!("{name}较{}年提高{amount}", span.from.value),
                Time::Fixed,
            )),
            ("change", CmpOp::Le, true) if !amount.ends_with('%') => Some((
                format!("{name}较{}年下降{amount}", span.from.value),
                Time::Fixed,
            )),
            _ => None,
        };
    }
    let name = name_of(left)?;
    let value = value_text(right)?;
    let words = match op {
        CmpOp::Ge => format!("不低于{value}"),
        CmpOp::Gt => format!("超过{value}"),
        CmpOp::Le => format!("不超过{value}"),
        CmpOp::Lt => format!("低于{value}"),
        CmpOp::Eq if value == "0" || value == "0%" => "清零".to_string(),
        _ => return None,
    };
    Some((format!("{name}{words}"), Time::Level))
}

fn name_of(expr: &Expr) -> Option<String> {
    match &expr.kind {
        ExprKind::Name(name) => Some(name.text.clone()),
        _ => None,
    }
}

/// A literal as a sentence writes it: `90%`, `1∶0.55`, `9个`.
fn value_text(expr: &Expr) -> Option<String> {
    match &expr.kind {
        ExprKind::Quantity { number, unit } => Some(match unit {
            Some(WrittenUnit::Word { text, .. }) => format!("{}{text}", format_number(*number)),
            Some(WrittenUnit::Ratio { second, .. }) => {
                format!("{}∶{}", format_number(*number), format_number(*second))
            }
            None => format_number(*number),
        }),
        _ => None,
    }
}

fn points_text(expr: &Expr) -> Option<String> {
    let text = value_text(expr)?;
    Some(match text.strip_suffix("pp") {
        Some(number) => format!("{number}个百分点"),
        None => text,
    })
}
