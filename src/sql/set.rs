//! Sets of entities as SQL: the `(anc, member)` pairs of each kind of
//! set (下级, 下属, 同级, a tier, any of them `under` an entity), and a
//! set's members aggregated per anchor entity and year in one derived
//! table — values, judged conditions, counts, or the anchor's rank among
//! the members (`rank`, `top`).

use super::gen::{Gen, Level, Out, Val, Year};
use super::truth::from_bool;
use crate::ir::{Better, CmpOp, CondIr, EntityFunction, ExprIr, SetIr, SetKind};

/// What a set's derived table works out per anchor.
#[derive(Debug, Clone, Copy)]
pub(super) enum Body<'b> {
    Values(EntityFunction, &'b ExprIr),
    Judge(&'b CondIr),
    Count,
    /// The anchor's place among the members by a value, best first.
    Rank(&'b ExprIr, Better),
}

/// The state of a judged set (`share`, `all`, `any`): a filter or member
/// that could not be judged for a reason other than missing data, else
/// known when a member was judged, else missing when one lacked data,
/// else an error (the set has no members).
pub(super) fn judged_state(g: &str) -> String {
    format!(
        "(CASE WHEN {g}.bf IS NOT NULL THEN {g}.bf WHEN {g}.bc IS NOT NULL THEN {g}.bc WHEN {g}.judged > 0 THEN 0 WHEN {g}.fg + {g}.cg > 0 THEN 3 ELSE 4 END)"
    )
}

/// The state of a rank, in the order `Evaluator::rank` finds its errors:
/// a filter that could not be judged, the entity not a member (or the
/// set empty), the entity's own value unknown, a member's value unknown
/// for a reason other than missing data.
fn rank_state(g: &str) -> String {
    format!(
        "(CASE WHEN {g}.bf IS NOT NULL THEN {g}.bf WHEN COALESCE({g}.self_in, 0) = 0 THEN 4 WHEN {g}.ok > 0 THEN {g}.ok WHEN {g}.bv IS NOT NULL THEN {g}.bv ELSE 0 END)"
    )
}

/// `top(SET, X, share)` for an entity: the truth, the rank and the number
/// of places the share gives, each shown only when known.
pub(super) struct Top {
    pub truth: String,
    pub rank: String,
    pub places: String,
}

impl Gen<'_> {
    /// A set's members aggregated per anchor entity (and year), as a
    /// derived table joined to the level; returns its alias. The same set
    /// and body read again in a level is the same join.
    pub(super) fn set_table(
        &mut self,
        level: &mut Level,
        set: &SetIr,
        body: Body<'_>,
        entity: &str,
        year: Year,
    ) -> Out<String> {
        let key = format!("set {set:?} {body:?} {entity} {year:?}");
        if let Some(alias) = level.alias_of(&key) {
            return Ok(alias);
        }
        let members = self.members(&set.kind)?;
        // A set `under` an entity is that entity's whatever the entity
        // checked: the one anchor is then the named entity, except for a
        // rank, which is the checked entity's among those members.
        let (pairs, anchor) = match (&set.under, body) {
            (None, _) => (members, entity.to_string()),
            (Some(name), Body::Rank(..)) => (
                format!(
                    "(SELECT r.member AS anc, u.member AS member FROM {members} r JOIN {members} u ON u.anc = r.anc WHERE r.anc = {})",
                    self.dialect.string(name)
                ),
                entity.to_string(),
            ),
            (Some(name), _) => {
                let literal = self.dialect.string(name);
                (
                    format!("(SELECT u.anc, u.member FROM {members} u WHERE u.anc = {literal})"),
                    literal,
                )
            }
        };
        let mut inner = Level::default();
        let member = "m.member";
        let filter = match &set.filter {
            Some(filter) => self.cond(&mut inner, filter, member, year)?,
            None => "1".to_string(),
        };
        let mut columns = vec![
            format!("MAX(CASE WHEN {filter} IN (2, 4) THEN {filter} END) AS bf"),
            format!("MAX(CASE WHEN {filter} = 3 THEN 1 ELSE 0 END) AS fg"),
        ];
        let counted = format!("{filter} = 1");
        match body {
            Body::Values(function, value) => {
                let value = self.expr(&mut inner, value, member, year)?;
                let (v, k) = (&value.v, &value.k);
                let function = match function {
                    EntityFunction::Sum => "SUM",
                    EntityFunction::Avg => "AVG",
                    EntityFunction::Min => "MIN",
                    EntityFunction::Max => "MAX",
                };
                columns.extend([
                    format!("MAX(CASE WHEN {counted} AND {k} IN (2, 4) THEN {k} END) AS bv"),
                    format!("SUM(CASE WHEN {counted} AND {k} = 0 THEN 1 ELSE 0 END) AS n"),
                    format!("MAX(CASE WHEN {counted} AND {k} = 3 THEN 1 ELSE 0 END) AS vg"),
                    format!("{function}(CASE WHEN {counted} AND {k} = 0 THEN {v} END) AS agg"),
                ]);
            }
            Body::Judge(condition) => {
                let c = self.cond(&mut inner, condition, member, year)?;
                columns.extend([
                    format!("MAX(CASE WHEN {counted} AND {c} IN (2, 4) THEN {c} END) AS bc"),
                    format!("SUM(CASE WHEN {counted} AND {c} = 1 THEN 1 ELSE 0 END) AS passed"),
                    format!(
                        "SUM(CASE WHEN {counted} AND {c} IN (0, 1) THEN 1 ELSE 0 END) AS judged"
                    ),
                    format!("MAX(CASE WHEN {counted} AND {c} = 3 THEN 1 ELSE 0 END) AS cg"),
                ]);
            }
            Body::Count => {
                columns.push(format!("SUM(CASE WHEN {counted} THEN 1 ELSE 0 END) AS n"));
            }
            Body::Rank(value, better) => {
                let own = self.expr(&mut inner, value, "m.anc", year)?;
                let theirs = self.expr(&mut inner, value, member, year)?;
                let ahead_of = match better {
                    Better::Higher => CmpOp::Gt,
                    Better::Lower => CmpOp::Lt,
                };
                let ahead = self.holds(ahead_of, &theirs.v, &own.v);
                let (k, own_k) = (&theirs.k, &own.k);
                columns.extend([
                    format!(
                        "MAX(CASE WHEN m.member = m.anc AND {counted} THEN 1 ELSE 0 END) AS self_in"
                    ),
                    format!("MAX({own_k}) AS ok"),
                    format!("MAX(CASE WHEN {counted} AND {k} IN (2, 4) THEN {k} END) AS bv"),
                    format!("SUM(CASE WHEN {counted} AND {k} = 0 THEN 1 ELSE 0 END) AS ranked"),
                    format!(
                        "SUM(CASE WHEN {counted} AND {k} = 0 AND {own_k} = 0 AND {ahead} THEN 1 ELSE 0 END) AS ahead"
                    ),
                ]);
            }
        }
        let by_year = matches!(year, Year::Row(_));
        let (year_column, year_rows, year_group) = if by_year {
            (", yr.y AS y", " CROSS JOIN yrs yr", ", yr.y")
        } else {
            ("", "", "")
        };
        let table = format!(
            "(SELECT m.anc AS e{year_column}, {columns} FROM {pairs} m CROSS JOIN params a{year_rows}{joins} GROUP BY m.anc{year_group})",
            columns = columns.join(", "),
            joins = inner
                .joins
                .iter()
                .map(|join| format!(" {join}"))
                .collect::<String>(),
        );
        if by_year {
            level.uses_row_year = true;
        }
        Ok(self.join(level, key, |alias| {
            let on_year = if by_year {
                format!(" AND {alias}.y = yr.y")
            } else {
                String::new()
            };
            format!("LEFT JOIN {table} {alias} ON {alias}.e = {anchor}{on_year}")
        }))
    }

    /// `rank(SET, X)` of an entity, 1 best.
    pub(super) fn rank(
        &mut self,
        level: &mut Level,
        set: &SetIr,
        value: &ExprIr,
        better: Better,
        entity: &str,
        year: Year,
    ) -> Out<Val> {
        let g = self.set_table(level, set, Body::Rank(value, better), entity, year)?;
        Ok(Val {
            v: format!("CAST({g}.ahead + 1 AS {})", self.dialect.double()),
            k: rank_state(&g),
        })
    }

    /// `top(SET, X, share)`: the entity's rank is within the share of the
    /// ranked members, rounded up to at least one place, as `places`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn top(
        &mut self,
        level: &mut Level,
        set: &SetIr,
        value: &ExprIr,
        better: Better,
        share: f64,
        entity: &str,
        year: Year,
    ) -> Out<Top> {
        let g = self.set_table(level, set, Body::Rank(value, better), entity, year)?;
        let state = rank_state(&g);
        let double = self.dialect.double();
        let places = format!(
            "GREATEST(CEIL({} * {g}.ranked - {}), 1)",
            self.num(share),
            self.num(1e-9)
        );
        let shown =
            |number: String| format!("(CASE WHEN {state} = 0 THEN CAST({number} AS {double}) END)");
        Ok(Top {
            truth: from_bool(&state, &format!("{g}.ahead + 1 <= {places}")),
            rank: shown(format!("{g}.ahead + 1")),
            places: shown(places.clone()),
        })
    }

    /// The `(anc, member)` pairs of a kind of set.
    pub fn members(&self, kind: &SetKind) -> Out<String> {
        Ok(match kind {
            // The entity and its siblings (the roots, for a root) of the
            // same tier; a missing parent or tier is '' so that the join
            // is on plain equality, which every engine hashes.
            SetKind::Peers => "(SELECT p.entity AS anc, q.entity AS member FROM ents p JOIN ents q \
                 ON COALESCE(q.parent, '') = COALESCE(p.parent, '') AND COALESCE(q.tier, '') = COALESCE(p.tier, ''))"
                .to_string(),
            SetKind::Children => {
                "(SELECT parent AS anc, entity AS member FROM ents WHERE parent IS NOT NULL)"
                    .to_string()
            }
            SetKind::Descendants => "(SELECT anc, member FROM tree WHERE d > 0)".to_string(),
            SetKind::Tier { name, depth } => format!(
                "(SELECT t.anc, t.member FROM tree t JOIN ents te ON te.entity = t.member WHERE t.d > 0 AND {})",
                self.in_tier("te", name, *depth)
            ),
        })
    }

    /// Whether the entity row `alias` is in a tier: by its tier column when
    /// it has one, else by its depth in the declared tiers.
    pub fn in_tier(&self, alias: &str, name: &str, depth: Option<usize>) -> String {
        let name = self.dialect.string(name);
        match depth {
            Some(depth) => format!(
                "(({alias}.tier IS NOT NULL AND {alias}.tier = {name}) OR ({alias}.tier IS NULL AND {alias}.depth = {depth}))"
            ),
            None => format!("({alias}.tier = {name})"),
        }
    }
}
