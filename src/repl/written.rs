//! Compiled expressions written back as text, and the unit each part's
//! values are shown in: for `:explain`, which shows the arithmetic of a
//! rule with the values put in.

use crate::ir::{BinOp, EntityRef, ExprIr, Module};
use crate::unit::Unit;

/// The unit an expression's values are shown in; `outer` is the
/// condition's unit, which constants are in.
pub fn unit_of(module: &Module, expr: &ExprIr, outer: &Unit) -> Unit {
    match expr {
        ExprIr::Const(_) | ExprIr::Attribute(_) | ExprIr::Text(_) => outer.clone(),
        ExprIr::Indicator(indicator) => module
            .indicators
            .get(*indicator)
            .map_or_else(|| outer.clone(), |info| info.unit.clone()),
        ExprIr::AtYear(inner, _) | ExprIr::AtEntity(inner, _) | ExprIr::Neg(inner) => {
            unit_of(module, inner, outer)
        }
        ExprIr::OverYears { unit, .. } | ExprIr::YearOnYear { unit, .. } => unit.clone(),
        ExprIr::OverEntities { value, .. } => unit_of(module, value, outer),
        ExprIr::Rank { .. } => crate::unit::parse("名").unwrap_or_else(|_| Unit::number()),
        ExprIr::Share { .. } => Unit::percent(),
        ExprIr::Count(_) => crate::unit::parse("个").unwrap_or_else(|_| Unit::number()),
        ExprIr::Progress { .. } => Unit::number(),
        ExprIr::Binary { unit, .. } => unit.clone().unwrap_or_else(|| outer.clone()),
    }
}

/// The unit an operand of `op` is shown in: a constant factor of `*` or
/// `/` is a plain scale, not a value in the outer unit.
pub fn operand_unit(module: &Module, op: BinOp, operand: &ExprIr, outer: &Unit) -> Unit {
    match (op, operand) {
        (BinOp::Mul | BinOp::Div, ExprIr::Const(_)) => Unit::number(),
        _ => unit_of(module, operand, outer),
    }
}

/// An expression written back as text, constants in `unit`.
pub fn text(module: &Module, expr: &ExprIr, unit: &Unit) -> String {
    match expr {
        ExprIr::Const(value) => unit.format(*value),
        ExprIr::Indicator(indicator) => module
            .indicators
            .get(*indicator)
            .map_or_else(|| "?".to_string(), |info| info.name.clone()),
        ExprIr::Attribute(name) => name.clone(),
        ExprIr::Text(text) => format!("\"{text}\""),
        ExprIr::AtYear(inner, year) => format!("{} @ {year}", text(module, inner, unit)),
        ExprIr::AtEntity(inner, target) => {
            let target = match target {
                EntityRef::Parent => crate::vocab::PARENT.to_string(),
                EntityRef::Named(name) => name.clone(),
            };
            format!("{} @ {target}", text(module, inner, unit))
        }
        ExprIr::OverYears {
            function,
            value,
            from,
            to,
            ..
        } => format!(
            "{}({}, {from}..{to})",
            function.name(),
            text(module, value, unit)
        ),
        ExprIr::OverEntities {
            function,
            set,
            value,
        } => {
            format!(
                "{}({}, {})",
                function.name(),
                set.label,
                text(module, value, unit)
            )
        }
        ExprIr::Share { set, .. } => format!("share({}, …)", set.label),
        ExprIr::Count(set) => format!("count({})", set.label),
        ExprIr::YearOnYear {
            function, value, ..
        } => {
            format!("{}({})", function.name(), text(module, value, unit))
        }
        ExprIr::Rank { set, value, .. } => {
            format!("rank({}, {})", set.label, text(module, value, unit))
        }
        ExprIr::Binary {
            op, left, right, ..
        } => {
            let side = |expr: &ExprIr| {
                let text = text(module, expr, &operand_unit(module, *op, expr, unit));
                match expr {
                    ExprIr::Binary { op: inner, .. } if precedence(*inner) < precedence(*op) => {
                        format!("({text})")
                    }
                    _ => text,
                }
            };
            format!("{} {} {}", side(left), op_symbol(*op), side(right))
        }
        ExprIr::Neg(inner) => format!("-{}", text(module, inner, unit)),
        ExprIr::Progress {
            value, target_year, ..
        } => format!("progress({}, …, {target_year})", text(module, value, unit)),
    }
}

fn precedence(op: BinOp) -> u8 {
    match op {
        BinOp::Add | BinOp::Sub => 1,
        BinOp::Mul | BinOp::Div => 2,
    }
}

pub fn op_symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "−",
        BinOp::Mul => "×",
        BinOp::Div => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repl::compile::{compile_entry, Declarations, Entry};

    fn written(text: &str) -> (String, String) {
        let mut declarations = Declarations::new();
        for (name, unit) in [("收入", "万元"), ("支出", "万元"), ("就诊率", "%")] {
            declarations.declare(name, crate::unit::parse(unit).unwrap());
        }
        let Ok(Entry::Expression(expression)) = compile_entry(text, "<input>", &declarations)
        else {
            panic!("`{text}` is an expression");
        };
        let (module, expr) = (expression.module(), &expression.expr);
        (
            self::text(module, expr, expression.unit()),
            unit_of(module, expr, &Unit::number()).to_string(),
        )
    }

    #[test]
    fn expressions_are_written_back_with_their_units() {
        for (text, expected, unit) in [
            ("收入 / 支出", "收入 / 支出", "%"),
            ("(收入 + 支出) * 2", "(收入 + 支出) × 2", "万元"),
            ("收入 - 支出 @ 2020", "收入 − 支出 @ 2020", "万元"),
            (
                "就诊率 - 就诊率 @ 上级",
                "就诊率 − 就诊率 @ 上级",
                "个百分点",
            ),
            (
                "cagr(收入, 2020..2024)",
                "cagr(收入, 2020..2024)",
                "% (relative change)",
            ),
            ("avg(下级, 就诊率)", "avg(下级, 就诊率)", "%"),
        ] {
            assert_eq!(
                written(text),
                (expected.to_string(), unit.to_string()),
                "{text}"
            );
        }
    }
}
