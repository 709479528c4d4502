//! Types function calls: changes over years, aggregates over years and
//! over sets of entities, `share`, `count` and `progress`.

use super::expr::{Ty, Typed, Typer};
use crate::diag::{closest, Code, Diagnostic};
use crate::ir::{Better, CondIr, EntityFunction, ExprIr, SetIr, SetKind, YearFunction};
use crate::syntax::ast::{Arg, Cond, CondKind, Expr, ExprKind, Name, Span};
use crate::unit::{self, Unit};
use crate::vocab::FUNCTIONS;

impl Typer<'_, '_> {
    pub(super) fn call(&mut self, function: &Name, args: &[Arg], span: Span) -> Option<Typed> {
        let over_years = matches!(args.get(1), Some(Arg::Span(_)));
        match function.text.as_str() {
            "change" | "growth" if args.len() == 1 => self.year_on_year(function, args, span),
            "change" | "growth" | "cagr" => {
                let (value, from, to) = self.years_args(function, args)?;
                let unit = self.value(&value)?;
                let year_function = YearFunction::parse(&function.text)?;
                let unit = match year_function {
                    YearFunction::Change => unit.difference(),
                    _ => Unit::relative(),
                };
                let ir = ExprIr::OverYears {
                    function: year_function,
                    value: Box::new(value.ir),
                    from,
                    to,
                    unit: unit.clone(),
                };
                Some(Typed::new(ir, Ty::Value(unit), span))
            }
            "avg" | "sum" | "min" | "max" if over_years => {
                let (value, from, to) = self.years_args(function, args)?;
                let unit = self.value(&value)?;
                let year_function = YearFunction::parse(&function.text)?;
                let ir = ExprIr::OverYears {
                    function: year_function,
                    value: Box::new(value.ir),
                    from,
                    to,
                    unit: unit.clone(),
                };
                Some(Typed::new(ir, Ty::Value(unit), span))
            }
            "avg" | "sum" | "min" | "max" => {
                let [set_arg, value_arg] = args else {
                    self.arity(function, &span, args.len(), "a set of entities and a value, like `avg(下级, 县域就诊率)`, or a value and a span of years, like `avg(床位数, 2021..2025)`");
                    return None;
                };
                let set = self.set(set_arg);
                let value = match value_arg {
                    Arg::Cond(Cond {
                        kind: CondKind::Bare(expr),
                        ..
                    }) => self.expr(expr),
                    other => {
                        self.error(
                            Diagnostic::error(
                                self.source(),
                                Code::BadArgument,
                                other.span(),
                                "expected a value",
                                "not a value",
                            )
                            .with_help(format!(
                                "`{}` takes a set and a value: `{}(下级, 县域就诊率)`",
                                function.text, function.text
                            )),
                        );
                        None
                    }
                };
                let (set, value) = (set?, value?);
                let unit = self.value(&value)?;
                let entity_function = EntityFunction::parse(&function.text)?;
                let ir = ExprIr::OverEntities {
                    function: entity_function,
                    set,
                    value: Box::new(value.ir),
                };
                Some(Typed::new(ir, Ty::Value(unit), span))
            }
            "share" => {
                let (set, condition) = self.set_and_condition(function, args, &span)?;
                let ir = ExprIr::Share {
                    set,
                    condition: Box::new(condition),
                };
                Some(Typed::new(ir, Ty::Value(Unit::percent()), span))
            }
            "all" | "any" => {
                self.error(
                    Diagnostic::error(self.source(), Code::NotAValue, span, format!("`{}` is a condition, not a value", function.text), "a condition")
                        .with_help(format!("use `{}(…)` as a rule's condition, or `share(…)` for the fraction that holds", function.text)),
                );
                None
            }
            "count" => {
                let [set_arg] = args else {
                    self.arity(
                        function,
                        &span,
                        args.len(),
                        "a set of entities, like `count(下级 where 类型 == \"乡镇卫生院\")`",
                    );
                    return None;
                };
                let set = self.set(set_arg)?;
                Some(Typed::new(
                    ExprIr::Count(set),
                    Ty::Value(unit::parse("个").unwrap_or_else(|_| Unit::number())),
                    span,
                ))
            }
            "progress" => self.progress(function, args, span),
            "rank" => {
                let (set, value, better) = self.ranked(function, args, &span, 2)?;
                let ir = ExprIr::Rank {
                    set,
                    value: Box::new(value),
                    better,
                };
                let unit = unit::parse("名").unwrap_or_else(|_| Unit::number());
                Some(Typed::new(ir, Ty::Value(unit), span))
            }
            "top" => {
                self.error(
                    Diagnostic::error(
                        self.source(),
                        Code::NotAValue,
                        span,
                        "`top` is a condition, not a value",
                        "a condition",
                    )
                    .with_help(
                        "use `top(…)` as a rule's condition; `rank(…)` gives the place as a number",
                    ),
                );
                None
            }
            _ => {
                let mut diagnostic = Diagnostic::error(
                    self.source(),
                    Code::UnknownFunction,
                    function.span.clone(),
                    format!("unknown function `{}`", function.text),
                    "no such function",
                );
                diagnostic = match closest(&function.text, FUNCTIONS.iter().copied()) {
                    Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
                    None => {
                        diagnostic.with_help(format!("the functions are {}", FUNCTIONS.join(", ")))
                    }
                };
                self.error(diagnostic);
                None
            }
        }
    }

    pub(super) fn arity(&mut self, function: &Name, span: &Span, found: usize, takes: &str) {
        self.error(
            Diagnostic::error(
                self.source(),
                Code::BadArguments,
                span.clone(),
                format!(
                    "wrong number of arguments for `{}`: found {found}",
                    function.text
                ),
                format!("{found} argument{}", if found == 1 { "" } else { "s" }),
            )
            .with_help(format!("`{}` takes {takes}", function.text)),
        );
    }

    pub(super) fn years_args(
        &mut self,
        function: &Name,
        args: &[Arg],
    ) -> Option<(Typed, i32, i32)> {
        let example = format!("`{}(产值, 2020..2025)`", function.text);
        let [Arg::Cond(Cond {
            kind: CondKind::Bare(value),
            ..
        }), Arg::Span(span)] = args
        else {
            let span = args.first().map_or(function.span.clone(), |first| {
                function.span.start..args.last().map_or(first.span().end, |last| last.span().end)
            });
            self.error(
                Diagnostic::error(
                    self.source(),
                    Code::BadArguments,
                    span,
                    format!("`{}` takes a value and a span of years", function.text),
                    "wrong arguments",
                )
                .with_help(format!("write it like {example}")),
            );
            return None;
        };
        let value = self.expr(value)?;
        if !self.checker.check_span(span.from, span.to) {
            return None;
        }
        if span.from.value == span.to.value {
            self.error(
                Diagnostic::error(
                    self.source(),
                    Code::YearOrder,
                    span.span(),
                    "the span has a single year",
                    "one year",
                )
                .with_help(format!("a change needs two years, like {example}")),
            );
            return None;
        }
        self.saw_year(span.to.value);
        Some((value, span.from.value, span.to.value))
    }

    pub(super) fn set(&mut self, arg: &Arg) -> Option<SetIr> {
        let (name, under, filter) = match arg {
            Arg::Filtered { set, under, filter } => (set, under.as_ref(), filter.as_ref()),
            Arg::Cond(Cond {
                kind:
                    CondKind::Bare(Expr {
                        kind: ExprKind::Name(name),
                        ..
                    }),
                ..
            }) => (name, None, None),
            other => {
                self.error(
                    Diagnostic::error(self.source(), Code::NotASet, other.span(), "expected a set of entities", "not a set")
                        .with_help("a set is `下级`, `下属` or a tier, optionally with `where`: `下属 where 类型 == \"乡镇卫生院\"`"),
                );
                return None;
            }
        };
        let kind = self.checker.set_kind(name, true)?;
        if let (SetKind::Peers, Some(under)) = (&kind, under) {
            self.error(
                Diagnostic::error(
                    self.source(),
                    Code::BadArgument,
                    under.span.clone(),
                    "`同级` is relative to the entity checked; it takes no `under`",
                    "no `under` here",
                )
                .with_help("for the members of a tier below an entity, write `县级 under 浙江省`"),
            );
            return None;
        }
        let filter = match filter {
            Some(filter) => {
                let outer = std::mem::replace(&mut self.in_filter, true);
                let filter = self.condition(filter);
                self.in_filter = outer;
                Some(Box::new(filter?))
            }
            None => None,
        };
        let label = match arg {
            Arg::Filtered { set, .. } => collapse_spaces(&self.source().text()[arg_span(set, arg)]),
            _ => name.text.clone(),
        };
        Some(SetIr {
            kind,
            label,
            under: under.map(|under| under.text.clone()),
            filter,
        })
    }

    pub(super) fn set_and_condition(
        &mut self,
        function: &Name,
        args: &[Arg],
        span: &Span,
    ) -> Option<(SetIr, CondIr)> {
        let [set_arg, condition_arg] = args else {
            self.arity(
                function,
                span,
                args.len(),
                &format!(
                    "a set of entities and a condition, like `{}(下级, 县域就诊率 >= 90%)`",
                    function.text
                ),
            );
            return None;
        };
        let set = self.set(set_arg);
        let condition = match condition_arg {
            Arg::Cond(cond) => self.condition(cond),
            other => {
                self.error(
                    Diagnostic::error(
                        self.source(),
                        Code::BadArgument,
                        other.span(),
                        "expected a condition",
                        "not a condition",
                    )
                    .with_help("write a condition like `县域就诊率 >= 90%`"),
                );
                None
            }
        };
        Some((set?, condition?))
    }

    pub(super) fn progress(&mut self, function: &Name, args: &[Arg], span: Span) -> Option<Typed> {
        let usage = "a value, a target and a target year, and optionally a base year, like `progress(县域就诊率, 90%, 2025)`";
        if !(3..=4).contains(&args.len()) {
            self.arity(function, &span, args.len(), usage);
            return None;
        }
        let mut exprs = Vec::new();
        for arg in args {
            match arg {
                Arg::Cond(Cond {
                    kind: CondKind::Bare(expr),
                    ..
                }) => exprs.push(self.expr(expr)?),
                other => {
                    self.error(
                        Diagnostic::error(
                            self.source(),
                            Code::BadArgument,
                            other.span(),
                            "expected a value",
                            "not a value",
                        )
                        .with_help(format!("`progress` takes {usage}")),
                    );
                    return None;
                }
            }
        }
        let mut years = Vec::new();
        for year in &exprs[2..] {
            match (&year.ty, &year.ir) {
                (Ty::Bare, ExprIr::Const(value))
                    if value.fract() == 0.0 && (1900.0..=2200.0).contains(value) =>
                {
                    years.push(*value as i32)
                }
                _ => {
                    self.error(
                        Diagnostic::error(
                            self.source(),
                            Code::BadYear,
                            year.span.clone(),
                            "expected a year",
                            "not a year",
                        )
                        .with_help("write a four-digit year like `2025`"),
                    );
                    return None;
                }
            }
        }
        let mut exprs = exprs.into_iter();
        let value = exprs.next()?;
        let target = exprs.next()?;
        let (_, target_ir, _) = self.unify(value.clone(), target, "compare")?;
        let ExprIr::Const(target) = target_ir else {
            self.error(
                Diagnostic::error(
                    self.source(),
                    Code::BadArgument,
                    span,
                    "the target is a number",
                    "expected a number",
                )
                .with_help("write the target as a number, like `90%`"),
            );
            return None;
        };
        self.saw_year(years[0]);
        let ir = ExprIr::Progress {
            value: Box::new(value.ir),
            target,
            target_year: years[0],
            base_year: years.get(1).copied(),
        };
        Some(Typed::new(ir, Ty::Value(Unit::number()), span))
    }
}

/// The text of a set argument, from its name to its end.
fn arg_span(set: &Name, arg: &Arg) -> Span {
    set.span.start..arg.span().end
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Typer<'_, '_> {
    /// `change(X)` and `growth(X)`: the change from the year before, a
    /// yearly series that trends and comparisons apply to.
    fn year_on_year(&mut self, function: &Name, args: &[Arg], span: Span) -> Option<Typed> {
        let [Arg::Cond(Cond {
            kind: CondKind::Bare(value),
            ..
        })] = args
        else {
            self.arity(
                function,
                &span,
                args.len(),
                "a value, like `growth(次均门诊费用)`",
            );
            return None;
        };
        let value = self.expr(value)?;
        let unit = self.value(&value)?;
        let year_function = YearFunction::parse(&function.text)?;
        let unit = match year_function {
            YearFunction::Change => unit.difference(),
            _ => Unit::relative(),
        };
        let ir = ExprIr::YearOnYear {
            function: year_function,
            value: Box::new(value.ir),
            unit: unit.clone(),
        };
        Some(Typed::new(ir, Ty::Value(unit), span))
    }

    /// The set, value and direction of `rank(SET, X)` and `top(SET, X, …)`,
    /// whose first `count` arguments they are.
    fn ranked(
        &mut self,
        function: &Name,
        args: &[Arg],
        span: &Span,
        count: usize,
    ) -> Option<(SetIr, ExprIr, Better)> {
        let usage = if count == 2 {
            "a set of entities and a value, like `rank(同级, 县域就诊率)`"
        } else {
            "a set of entities, a value and a share, like `top(县级 under 浙江省, 县级医院服务能力, 25%)`"
        };
        let (
            Some(set_arg),
            Some(Arg::Cond(Cond {
                kind: CondKind::Bare(value),
                ..
            })),
            true,
        ) = (args.first(), args.get(1), args.len() == count)
        else {
            self.arity(function, span, args.len(), usage);
            return None;
        };
        let set = self.set(set_arg);
        let value = self.expr(value);
        let (set, value) = (set?, value?);
        self.value(&value)?;
        let Some(better) = value.ir.better(&self.checker.indicators) else {
            let written = self.source().text()[value.span.clone()].to_string();
            let diagnostic = self.needs_direction(&value.span, &written, &function.span);
            self.error(diagnostic);
            return None;
        };
        Some((set, value.ir, better))
    }

    /// `top(SET, X, 25%)`: the entity is among the best quarter of SET.
    pub(super) fn top(&mut self, function: &Name, args: &[Arg], span: &Span) -> Option<CondIr> {
        let (set, value, better) = self.ranked(function, args, span, 3)?;
        let share_arg = &args[2];
        let share = match share_arg {
            Arg::Cond(Cond {
                kind: CondKind::Bare(expr),
                ..
            }) => self.expr(expr),
            _ => None,
        };
        let share = share.and_then(|typed| match typed.ir {
            ExprIr::Const(share) if typed.percent_literal && share > 0.0 && share <= 1.0 => {
                Some(share)
            }
            _ => None,
        });
        let Some(share) = share else {
            self.error(
                Diagnostic::error(
                    self.source(),
                    Code::BadArgument,
                    share_arg.span(),
                    "the share of `top` is a percentage above 0% and up to 100%",
                    "expected a share like `25%`",
                )
                .with_help("for a place, compare the rank: `rank(同级, 县域就诊率) <= 3`"),
            );
            return None;
        };
        Some(CondIr::Top {
            set,
            value,
            better,
            share,
        })
    }
}
