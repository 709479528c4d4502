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

/// A value expression in the symbolic form.
pub fn expression(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, expr, 0);
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
