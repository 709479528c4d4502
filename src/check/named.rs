//! Named declarations that rules refer to: `benchmark` constants and
//! `group`s of indicators, and how a rule naming a group becomes one rule
//! per member (the member written where the group's name was).

use super::expr::{written_name, Ty, Typer};
use super::Checker;
use crate::diag::{Code, Diagnostic};
use crate::ir::{BenchmarkInfo, ExprIr};
use crate::syntax::ast::{self, Arg, Cond, CondKind, Expr, ExprKind, Name, Span, Trend};
use crate::unit;

impl Checker<'_> {
    /// `benchmark NAME = VALUE [source "…"]`: a constant with its unit.
    pub(super) fn benchmark(&mut self, declaration: &ast::BenchmarkDecl) {
        if !self.name_is_free(&declaration.name) {
            return;
        }
        let mut typer = Typer::new(self, None, None);
        let Some(typed) = typer.expr(&declaration.value) else {
            return;
        };
        let unit = match (typed.ty, typed.ir) {
            (Ty::Value(unit), ExprIr::Const(value)) => Some((value, Some(unit))),
            (Ty::Bare, ExprIr::Const(value)) => Some((value, None)),
            _ => None,
        };
        let Some((value, unit)) = unit else {
            self.error(
                Diagnostic::error(
                    self.source,
                    Code::BadBenchmark,
                    declaration.value.span.clone(),
                    "a benchmark is a number with its unit",
                    "not a constant",
                )
                .with_help("write the published figure: `benchmark 高收入国家人均预期寿命 = 81岁 source \"…\"`"),
            );
            return;
        };
        self.benchmark_infos.push(BenchmarkInfo {
            name: declaration.name.text.clone(),
            value: unit
                .as_ref()
                .map_or_else(|| unit::format_number(value), |unit| unit.format(value)),
            source: declaration.source.as_ref().map(|text| text.value.clone()),
            canonical: (value, unit.clone()),
        });
        self.benchmarks.insert(
            declaration.name.text.clone(),
            (value, unit, declaration.name.span.clone()),
        );
    }

    /// `group NAME: A, B, C`: every member a declared indicator, once.
    pub(super) fn group(&mut self, declaration: &ast::GroupDecl) {
        if !self.name_is_free(&declaration.name) {
            return;
        }
        let mut members: Vec<String> = Vec::new();
        for member in &declaration.members {
            if members.contains(&member.text) {
                self.error(
                    Diagnostic::error(
                        self.source,
                        Code::DuplicateDeclaration,
                        member.span.clone(),
                        format!("`{}` is listed twice in the group", member.text),
                        "listed again here",
                    )
                    .with_help("list each indicator of the group once"),
                );
                return;
            }
            let known =
                self.names.contains_key(&member.text) || self.benchmarks.contains_key(&member.text);
            if !known {
                Typer::new(self, None, None).unknown_name(member);
                return;
            }
            members.push(member.text.clone());
        }
        self.groups.insert(
            declaration.name.text.clone(),
            (members, declaration.name.span.clone()),
        );
    }

    /// Whether a benchmark or group may take this name: no indicator,
    /// benchmark or group has it, and it is not a set word.
    fn name_is_free(&mut self, name: &Name) -> bool {
        let first = self
            .names
            .get(&name.text)
            .map(|(_, span)| span.clone())
            .or_else(|| {
                self.benchmarks
                    .get(&name.text)
                    .map(|(_, _, span)| span.clone())
            })
            .or_else(|| self.groups.get(&name.text).map(|(_, span)| span.clone()));
        if let Some(first) = first {
            let mut diagnostic = Diagnostic::error(
                self.source,
                Code::DuplicateDeclaration,
                name.span.clone(),
                format!("`{}` is declared twice", name.text),
                "declared again here",
            )
            .with_help("indicators, benchmarks and groups share one set of names; choose another");
            if first.end > 0 {
                diagnostic = diagnostic.with_label(first, "first declared here");
            }
            self.error(diagnostic);
            return false;
        }
        if [
            super::CHILDREN,
            super::DESCENDANTS,
            super::PARENT,
            super::PEERS,
        ]
        .contains(&name.text.as_str())
        {
            self.error(
                Diagnostic::error(
                    self.source,
                    Code::ReservedName,
                    name.span.clone(),
                    format!("`{}` is a reserved word of the language", name.text),
                    "reserved",
                )
                .with_help("`上级`, `下级`, `下属` and `同级` name entities relative to the one checked; choose another name"),
            );
            return false;
        }
        true
    }
}

impl Checker<'_> {
    /// The groups a condition names, in order, with their members; `None`
    /// (after an error) when two of them differ in size and cannot be
    /// taken member by member.
    pub(super) fn groups_of(&mut self, condition: &Cond) -> Option<Vec<(String, Vec<String>)>> {
        if self.groups.is_empty() {
            return Some(Vec::new());
        }
        let mut found: Vec<(String, Vec<String>, Span)> = Vec::new();
        each_name(&mut condition.clone(), &mut |name| {
            if let Some((members, _)) = self.groups.get(&name.text) {
                if found.iter().all(|(group, _, _)| *group != name.text) {
                    found.push((name.text.clone(), members.clone(), name.span.clone()));
                }
            }
        });
        if let [(first, members, first_span), rest @ ..] = found.as_slice() {
            if let Some((other, other_members, span)) = rest
                .iter()
                .find(|(_, other_members, _)| other_members.len() != members.len())
            {
                let count = |members: &[String]| match members.len() {
                    1 => "1 member".to_string(),
                    count => format!("{count} members"),
                };
                self.error(
                    Diagnostic::error(
                        self.source,
                        Code::BadGroup,
                        span.clone(),
                        format!("`{first}` has {} but `{other}` has {}", count(members), count(other_members)),
                        count(other_members),
                    )
                    .with_label(first_span.clone(), count(members))
                    .with_help("groups named in one rule are taken member by member: list their members in the same order and number"),
                );
                return None;
            }
        }
        Some(
            found
                .into_iter()
                .map(|(group, members, _)| (group, members))
                .collect(),
        )
    }
}

/// The condition with each group's member for the group, given as
/// `(group, member)` pairs, and its text so written.
pub(super) fn substitute(condition: &Cond, pairs: &[(&str, &str)], text: &str) -> (Cond, String) {
    let mut condition = condition.clone();
    let mut spans = Vec::new();
    each_name(&mut condition, &mut |name| {
        if let Some((_, member)) = pairs.iter().find(|(group, _)| name.text == *group) {
            name.text = member.to_string();
            spans.push((name.span.clone(), *member));
        }
    });
    spans.sort_by_key(|(span, _)| span.start);
    let mut written = String::new();
    let mut at = condition.span.start;
    for (span, member) in spans {
        written.push_str(&text[at..span.start]);
        written.push_str(&written_name(member));
        at = span.end;
    }
    written.push_str(&text[at..condition.span.end]);
    (condition, written)
}

/// Drops the diagnostics after `from` that repeat an earlier one: a
/// mistake outside the group's name is found once per member.
pub(super) fn dedupe(diagnostics: &mut Vec<Diagnostic>, from: usize) {
    let mut seen: Vec<(Code, String, Option<Span>)> = Vec::new();
    let mut index = from;
    while index < diagnostics.len() {
        let diagnostic = &diagnostics[index];
        let key = (
            diagnostic.code,
            diagnostic.message.clone(),
            diagnostic.labels.first().map(|label| label.span.clone()),
        );
        if seen.contains(&key) {
            diagnostics.remove(index);
        } else {
            seen.push(key);
            index += 1;
        }
    }
}

/// Calls `visit` on every name that stands for a value in a condition
/// (not function names, sets or entities).
fn each_name(condition: &mut Cond, visit: &mut impl FnMut(&mut Name)) {
    match &mut condition.kind {
        CondKind::Or(parts) | CondKind::And(parts) => {
            for part in parts {
                each_name(part, visit);
            }
        }
        CondKind::Not(inner) => each_name(inner, visit),
        CondKind::Compare { left, right, .. } | CondKind::Better { left, right, .. } => {
            each_name_in(left, visit);
            each_name_in(right, visit);
        }
        CondKind::Between { value, low, high } => {
            for expr in [value, low, high] {
                each_name_in(expr, visit);
            }
        }
        CondKind::Approx {
            value,
            center,
            tolerance,
        } => {
            each_name_in(value, visit);
            each_name_in(center, visit);
            if let Some(tolerance) = tolerance {
                each_name_in(tolerance, visit);
            }
        }
        CondKind::Trend { value, trend, .. } => {
            each_name_in(value, visit);
            if let Trend::Step { amount, .. } = trend {
                each_name_in(amount, visit);
            }
        }
        CondKind::Bare(expr) => each_name_in(expr, visit),
    }
}

fn each_name_in(expr: &mut Expr, visit: &mut impl FnMut(&mut Name)) {
    match &mut expr.kind {
        ExprKind::Name(name) => visit(name),
        ExprKind::Call { args, .. } => {
            for arg in args {
                match arg {
                    Arg::Cond(condition)
                    | Arg::Filtered {
                        filter: Some(condition),
                        ..
                    } => each_name(condition, visit),
                    Arg::Span(_) | Arg::Filtered { filter: None, .. } => {}
                }
            }
        }
        ExprKind::At { value, .. } | ExprKind::Neg(value) => each_name_in(value, visit),
        ExprKind::Binary { left, right, .. } => {
            each_name_in(left, visit);
            each_name_in(right, visit);
        }
        ExprKind::Paren(condition) => each_name(condition, visit),
        ExprKind::Quantity { .. } | ExprKind::Text(_) => {}
    }
}
