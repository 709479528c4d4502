//! What a compiled program declares, read from its compiled form: its
//! `document` blocks and the indicators each rule reads.

use super::{CondIr, DocumentInfo, ExprIr, Module, Program, RuleInfo, SetIr};

impl Program {
    /// The `document` blocks of the rule files, in file order.
    pub fn documents(&self) -> impl Iterator<Item = &DocumentInfo> {
        self.modules
            .iter()
            .filter_map(|module| module.document.as_ref())
    }
}

impl<'a> RuleInfo<'a> {
    /// The indicators the rule's condition reads, by declared name, each
    /// once, in the order they are first read.
    pub fn indicators(&self) -> Vec<&'a str> {
        let mut read = Vec::new();
        cond_reads(&self.rule.condition, &mut read);
        let module: &'a Module = self.module;
        read.iter()
            .filter_map(|&at| module.indicators.get(at).map(|info| info.name.as_str()))
            .collect()
    }
}

fn push(read: &mut Vec<usize>, at: usize) {
    if !read.contains(&at) {
        read.push(at);
    }
}

fn cond_reads(cond: &CondIr, read: &mut Vec<usize>) {
    match cond {
        CondIr::Compare { left, right, .. } | CondIr::TextCompare { left, right, .. } => {
            expr_reads(left, read);
            expr_reads(right, read);
        }
        CondIr::Between {
            value, low, high, ..
        } => {
            for expr in [value, low, high] {
                expr_reads(expr, read);
            }
        }
        CondIr::Approx { value, center, .. } => {
            expr_reads(value, read);
            expr_reads(center, read);
        }
        CondIr::Trend { value, .. } => expr_reads(value, read),
        CondIr::Quantified { set, condition, .. } => {
            set_reads(set, read);
            cond_reads(condition, read);
        }
        CondIr::And(parts) | CondIr::Or(parts) => {
            for part in parts {
                cond_reads(part, read);
            }
        }
        CondIr::Top { set, value, .. } => {
            set_reads(set, read);
            expr_reads(value, read);
        }
        CondIr::Members(members) => {
            for (_, member) in members {
                cond_reads(member, read);
            }
        }
        CondIr::Not(inner) => cond_reads(inner, read),
    }
}

fn set_reads(set: &SetIr, read: &mut Vec<usize>) {
    if let Some(filter) = &set.filter {
        cond_reads(filter, read);
    }
}

fn expr_reads(expr: &ExprIr, read: &mut Vec<usize>) {
    match expr {
        ExprIr::Indicator(at) => push(read, *at),
        ExprIr::Const(_) | ExprIr::Attribute(_) | ExprIr::Text(_) => {}
        ExprIr::AtYear(inner, _)
        | ExprIr::AtEntity(inner, _)
        | ExprIr::Neg(inner)
        | ExprIr::OverYears { value: inner, .. }
        | ExprIr::YearOnYear { value: inner, .. }
        | ExprIr::Progress { value: inner, .. } => expr_reads(inner, read),
        ExprIr::OverEntities { set, value, .. } => {
            set_reads(set, read);
            expr_reads(value, read);
        }
        ExprIr::Share { set, condition } => {
            set_reads(set, read);
            cond_reads(condition, read);
        }
        ExprIr::Count(set) => set_reads(set, read),
        ExprIr::Rank { set, value, .. } => {
            set_reads(set, read);
            expr_reads(value, read);
        }
        ExprIr::Binary { left, right, .. } => {
            expr_reads(left, read);
            expr_reads(right, read);
        }
    }
}
