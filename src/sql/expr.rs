//! Compiled expressions and conditions as SQL, with the native evaluator's
//! three-valued logic spelled out in integers.
//!
//! A value is a pair of SQL expressions: the number `v` (canonical units,
//! null when unknown) and its state `k`: 0 known, 2 pending (a year after
//! the as-of year), 3 missing, 4 error. The worse of two unknowns is the
//! greater state, as `Unknown::worse` ranks them. A truth is one integer:
//! 0 fail, 1 pass, or the state 2, 3 or 4 of why it is unknown; so "all
//! must hold" is fail if any part fails, else the greatest part, and "any
//! may hold" is pass if any part passes, else the greatest part.

use super::dialect::Reading;
use super::gen::{Decl, Gen, Level, Out, Unsupported, Val, Year};
use super::set::{judged_state, Body};
use super::truth::worst;
use crate::ir::{BinOp, EntityRef, ExprIr, YearFunction};
use crate::unit::{Dimension, Unit};

impl Gen<'_> {
    /// The row of a named entity, null when the data lacks it.
    fn named(&mut self, level: &mut Level, name: &str) -> String {
        let literal = self.dialect.string(name);
        self.join(level, format!("named {name}"), |alias| {
            format!("LEFT JOIN ents {alias} ON {alias}.entity = {literal}")
        })
    }

    /// The parent of an entity.
    fn parent_of(&mut self, level: &mut Level, entity: &str) -> String {
        let alias = self.join(level, format!("parent {entity}"), |alias| {
            format!("LEFT JOIN ents {alias} ON {alias}.entity = {entity}")
        });
        format!("{alias}.parent")
    }

    /// A declared indicator's value for an entity in a year.
    fn lookup(&mut self, level: &mut Level, indicator: usize, entity: &str, year: Year) -> Val {
        let module = self.module.expect("a module is entered before its rules");
        let info = &module.indicators[indicator];
        let decl = self.decl_base + indicator;
        self.decls.entry(decl).or_insert_with(|| Decl {
            names: std::iter::once(&info.name)
                .chain(&info.aliases)
                .cloned()
                .collect(),
        });
        let y = year.sql();
        let (value, text) = match self.dialect.reading() {
            Reading::Pivot => {
                let alias = self.join(level, format!("w {entity} {y}"), |alias| {
                    format!(
                        "LEFT JOIN w {alias} ON {alias}.entity = {entity} AND {alias}.year = {y}"
                    )
                });
                (format!("{alias}.v{decl}"), format!("{alias}.t{decl}"))
            }
            Reading::Direct => {
                let names = self.names;
                let indicator_name = match &info.aliases[..] {
                    [] => self.dialect.string(&info.name),
                    _ => format!("(SELECT name FROM pick WHERE decl = {decl})"),
                };
                let alias = self.join(level, format!("o {decl} {entity} {y}"), |alias| {
                    format!(
                        "LEFT JOIN {table} {alias} ON {alias}.{e} = {entity} AND {alias}.{yc} = {y} AND {alias}.{i} = {indicator_name}",
                        table = names.table,
                        e = names.entity,
                        yc = names.year,
                        i = names.indicator,
                    )
                });
                (
                    format!("{alias}.{}", names.value),
                    format!("{alias}.{}", names.text_value),
                )
            }
        };
        let unit = &info.unit;
        match &unit.grades {
            Some(grades) if unit.dimension == Dimension::Grade => {
                let ranks: Vec<String> = grades
                    .iter()
                    .enumerate()
                    .map(|(rank, grade)| {
                        format!(
                            "WHEN {} THEN {}",
                            self.dialect.string(grade),
                            self.num(rank as f64)
                        )
                    })
                    .collect();
                let listed: Vec<String> = grades
                    .iter()
                    .map(|grade| self.dialect.string(grade))
                    .collect();
                Val {
                    v: format!("(CASE {text} {} END)", ranks.join(" ")),
                    k: format!(
                        "(CASE WHEN {y} > a.y THEN 2 WHEN {text} IN ({}) THEN 0 WHEN {text} IS NOT NULL OR {value} IS NOT NULL THEN 4 ELSE 3 END)",
                        listed.join(", ")
                    ),
                }
            }
            _ => Val {
                v: self.canonical(unit, &value),
                k: format!(
                    "(CASE WHEN {y} > a.y THEN 2 WHEN {value} IS NOT NULL THEN 0 WHEN {text} IS NOT NULL THEN 4 ELSE 3 END)"
                ),
            },
        }
    }

    /// A number written in `unit` in canonical form, computed as
    /// `Unit::canonical` does (dividing by 100 rather than multiplying by
    /// 0.01, so the doubles are the same).
    fn canonical(&self, unit: &Unit, value: &str) -> String {
        let scale = unit.scale;
        if scale == 1.0 {
            return value.to_string();
        }
        if scale > 0.0 && scale < 1.0 {
            let inverse = 1.0 / scale;
            let divisor = inverse.round();
            if (inverse - divisor).abs() <= 1e-9 * divisor {
                return format!("({value} / {})", self.num(divisor));
            }
        }
        format!("({value} * {})", self.num(scale))
    }

    /// An expression's value and state, each bound to a column when the
    /// level binds (`bind`'s module comment).
    pub fn expr(&mut self, level: &mut Level, expr: &ExprIr, entity: &str, year: Year) -> Out<Val> {
        let Val { v, k } = self.expr_text(level, expr, entity, year)?;
        Ok(Val {
            v: level.bind(v),
            k: level.bind(k),
        })
    }

    fn expr_text(
        &mut self,
        level: &mut Level,
        expr: &ExprIr,
        entity: &str,
        year: Year,
    ) -> Out<Val> {
        Ok(match expr {
            ExprIr::Const(value) => Val {
                v: self.num(*value),
                k: "0".to_string(),
            },
            ExprIr::Indicator(indicator) => self.lookup(level, *indicator, entity, year),
            ExprIr::Attribute(_) | ExprIr::Text(_) => Val {
                v: self.dialect.null_number(),
                k: "4".to_string(),
            },
            ExprIr::AtYear(inner, at) => self.expr(level, inner, entity, Year::Lit(*at))?,
            ExprIr::AtEntity(inner, EntityRef::Parent) => {
                let parent = self.parent_of(level, entity);
                let inner = self.expr(level, inner, &parent, year)?;
                // The root's test is bound on its own: it reads a join.
                let root = level.bind(format!("(CASE WHEN {parent} IS NULL THEN 1 ELSE 0 END)"));
                Val {
                    k: format!("(CASE WHEN {root} = 1 THEN 4 ELSE {} END)", inner.k),
                    v: inner.v,
                }
            }
            ExprIr::AtEntity(inner, EntityRef::Named(name)) => {
                let literal = self.dialect.string(name);
                let alias = self.named(level, name);
                let inner = self.expr(level, inner, &literal, year)?;
                let absent = level.bind(format!(
                    "(CASE WHEN {alias}.entity IS NULL THEN 1 ELSE 0 END)"
                ));
                Val {
                    k: format!("(CASE WHEN {absent} = 1 THEN 4 ELSE {} END)", inner.k),
                    v: inner.v,
                }
            }
            ExprIr::OverYears {
                function,
                value,
                from,
                to,
                ..
            } => self.over_years(
                level,
                *function,
                value,
                entity,
                Year::Lit(*from),
                Year::Lit(*to),
            )?,
            ExprIr::OverEntities {
                function,
                set,
                value,
            } => {
                let g = self.set_table(level, set, Body::Values(*function, value), entity, year)?;
                Val {
                    v: format!("{g}.agg"),
                    k: format!(
                        "(CASE WHEN {g}.bf IS NOT NULL THEN {g}.bf WHEN {g}.bv IS NOT NULL THEN {g}.bv WHEN {g}.n > 0 THEN 0 WHEN {g}.fg + {g}.vg > 0 THEN 3 ELSE 4 END)"
                    ),
                }
            }
            ExprIr::Share { set, condition } => {
                let g = self.set_table(level, set, Body::Judge(condition), entity, year)?;
                Val {
                    v: format!(
                        "(CASE WHEN {g}.judged > 0 THEN CAST({g}.passed AS {d}) / CAST({g}.judged AS {d}) END)",
                        d = self.dialect.double()
                    ),
                    k: judged_state(&g),
                }
            }
            ExprIr::Count(set) => {
                let g = self.set_table(level, set, Body::Count, entity, year)?;
                // No rows is no members, unless the set is under an
                // entity the data lacks.
                let absent = match &set.under {
                    Some(name) => format!("{}.entity IS NULL", self.named(level, name)),
                    None => "1 = 0".to_string(),
                };
                Val {
                    v: format!("CAST(COALESCE({g}.n, 0) AS {})", self.dialect.double()),
                    k: format!("(CASE WHEN {absent} THEN 4 ELSE COALESCE({g}.bf, 0) END)"),
                }
            }
            ExprIr::Binary {
                op, left, right, ..
            } => {
                let left = self.expr(level, left, entity, year)?;
                let right = self.expr(level, right, entity, year)?;
                let known = worst(&[&left.k, &right.k]);
                match op {
                    BinOp::Div => Val {
                        v: format!("({} / NULLIF({}, 0))", left.v, right.v),
                        k: format!(
                            "(CASE WHEN {known} > 0 THEN {known} WHEN {} = 0 THEN 4 ELSE 0 END)",
                            right.v
                        ),
                    },
                    _ => {
                        let symbol = match op {
                            BinOp::Add => "+",
                            BinOp::Sub => "-",
                            _ => "*",
                        };
                        Val {
                            v: format!("({} {symbol} {})", left.v, right.v),
                            k: known,
                        }
                    }
                }
            }
            ExprIr::Neg(inner) => {
                let inner = self.expr(level, inner, entity, year)?;
                Val {
                    v: format!("(-{})", inner.v),
                    k: inner.k,
                }
            }
            ExprIr::Progress { .. } => {
                return Err(Unsupported(
                    "`progress(…)` (the progress assessment is worked out natively)".to_string(),
                ))
            }
            ExprIr::YearOnYear {
                function, value, ..
            } => self.over_years(level, *function, value, entity, year.shift(-1), year)?,
            ExprIr::Rank { set, value, better } => {
                self.rank(level, set, value, *better, entity, year)?
            }
        })
    }

    fn over_years(
        &mut self,
        level: &mut Level,
        function: YearFunction,
        value: &ExprIr,
        entity: &str,
        from: Year,
        to: Year,
    ) -> Out<Val> {
        match function {
            YearFunction::Change | YearFunction::Growth | YearFunction::Cagr => {
                let first = self.expr(level, value, entity, from)?;
                let last = self.expr(level, value, entity, to)?;
                let known = worst(&[&first.k, &last.k]);
                let (f, l) = (&first.v, &last.v);
                Ok(match function {
                    YearFunction::Change => Val {
                        v: format!("({l} - {f})"),
                        k: known,
                    },
                    YearFunction::Growth => Val {
                        v: format!("(CASE WHEN {f} > 0 THEN ({l} - {f}) / {f} END)"),
                        k: format!(
                            "(CASE WHEN {known} > 0 THEN {known} WHEN {f} <= 0 THEN 4 ELSE 0 END)"
                        ),
                    },
                    _ => {
                        let span = match (from, to) {
                            (Year::Lit(from), Year::Lit(to)) => to - from,
                            (Year::Row(from), Year::Row(to)) => to - from,
                            _ => 0,
                        };
                        if span == 0 {
                            return Err(Unsupported("`cagr` over a single year".to_string()));
                        }
                        let exponent = self.num(1.0 / f64::from(span));
                        let power = self.dialect.power(&format!("{l} / {f}"), &exponent);
                        Val {
                            v: format!(
                                "(CASE WHEN {f} > 0 AND {l} >= 0 THEN {power} - 1 END)"
                            ),
                            k: format!(
                                "(CASE WHEN {known} > 0 THEN {known} WHEN {f} <= 0 OR {l} < 0 THEN 4 ELSE 0 END)"
                            ),
                        }
                    }
                })
            }
            _ => {
                let (Year::Lit(from), Year::Lit(to)) = (from, to) else {
                    return Err(Unsupported(format!(
                        "`{}` over the years up to the year evaluated",
                        function.name()
                    )));
                };
                let mut values = Vec::new();
                for year in from..=to {
                    values.push(self.expr(level, value, entity, Year::Lit(year))?);
                }
                let states: Vec<&String> = values.iter().map(|value| &value.k).collect();
                let k = worst(&states);
                let numbers: Vec<&str> = values.iter().map(|value| value.v.as_str()).collect();
                let sum = format!("({})", numbers.join(" + "));
                let v = match function {
                    YearFunction::Sum => sum,
                    YearFunction::Avg => format!("({sum} / {})", self.num(values.len() as f64)),
                    YearFunction::Min => format!("LEAST({})", numbers.join(", ")),
                    _ => format!("GREATEST({})", numbers.join(", ")),
                };
                Ok(Val { v, k })
            }
        }
    }

    /// A text value and its state: a literal, or an entity's attribute
    /// (an error when the data has no such attribute at all).
    pub(super) fn text(
        &mut self,
        level: &mut Level,
        expr: &ExprIr,
        entity: &str,
    ) -> (String, String) {
        match expr {
            ExprIr::Text(text) => (self.dialect.string(text), "0".to_string()),
            ExprIr::Attribute(name) => {
                let index = match self.attributes.iter().position(|known| known == name) {
                    Some(index) => index,
                    None => {
                        self.attributes.push(name.clone());
                        self.attributes.len() - 1
                    }
                };
                let names = self.names;
                let literal = self.dialect.string(name);
                let alias = self.join(level, format!("attribute {name} {entity}"), |alias| {
                    format!(
                        "LEFT JOIN {table} {alias} ON {alias}.{e} = {entity} AND {alias}.{attribute} = {literal}",
                        table = names.entities,
                        e = names.entities_entity,
                        attribute = names.attribute,
                    )
                });
                (
                    format!("{alias}.{}", names.attribute_value),
                    format!("(CASE WHEN a.x{index} = 0 THEN 4 ELSE 0 END)"),
                )
            }
            _ => ("NULL".to_string(), "4".to_string()),
        }
    }
}
