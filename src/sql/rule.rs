//! One rule as a `SELECT` of its outcomes: the entities of its scope,
//! each evaluated in every year the outcome may need (the judged years,
//! and the years up to the as-of year whose values a pending outcome
//! shows), then combined per entity as `eval::judge` combines them.

use super::bind::reads_joins;
use super::gen::{Gen, Level, Unsupported, Year};
use crate::ir::{CondIr, ExprIr, RuleIr, ScopeIr, SetKind, Timing};

/// The years a rule is judged on, as `eval::judged_years` gives them,
/// with the as-of year left symbolic.
enum Judged {
    /// Years written in the rule.
    Years(Vec<i32>),
    /// The as-of year.
    AsOf,
    /// The earlier of a year and the as-of year.
    AtMost(i32),
}

impl Judged {
    fn of(rule: &RuleIr) -> (Judged, Option<i32>) {
        if let Some(end) = rule.condition.trend_end() {
            let due = match rule.timing {
                Timing::By { year } | Timing::In { year } | Timing::Every { to: year, .. } => {
                    year.max(end)
                }
                Timing::Implicit { due } => due.unwrap_or(end).max(end),
            };
            return (Judged::AtMost(due), Some(due));
        }
        match rule.timing {
            Timing::By { year } | Timing::In { year } => (Judged::Years(vec![year]), Some(year)),
            Timing::Every { from, to } => (Judged::Years((from..=to).collect()), Some(to)),
            Timing::Implicit { due: Some(due) } => (Judged::AtMost(due), Some(due)),
            Timing::Implicit { due: None } => (Judged::AsOf, None),
        }
    }

    /// Whether the year `year` is judged, given the as-of year `as_of`.
    fn contains(&self, year: &str, as_of: &str) -> String {
        match self {
            Judged::Years(years) => match (years.first(), years.last()) {
                (Some(first), Some(last)) => format!("{year} BETWEEN {first} AND {last}"),
                _ => "1 = 0".to_string(),
            },
            Judged::AsOf => format!("{year} = {as_of}"),
            Judged::AtMost(due) => format!("{year} = LEAST({due}, {as_of})"),
        }
    }

    /// The last judged year.
    fn last(&self, as_of: &str) -> String {
        match self {
            Judged::Years(years) => years
                .last()
                .map_or_else(|| as_of.to_string(), i32::to_string),
            Judged::AsOf => as_of.to_string(),
            Judged::AtMost(due) => format!("LEAST({due}, {as_of})"),
        }
    }

    /// The years written in the rule.
    pub(crate) fn written(&self) -> Vec<i32> {
        match self {
            Judged::Years(years) => years.clone(),
            Judged::AsOf => Vec::new(),
            Judged::AtMost(due) => vec![*due],
        }
    }
}

/// The years written in a rule's time clause, for the range of years rows.
pub(crate) fn written_years(rule: &RuleIr) -> Vec<i32> {
    Judged::of(rule).0.written()
}

/// The outcomes of one rule, as a `SELECT` of the six output columns.
pub(crate) fn query(gen: &mut Gen<'_>, rule: &RuleIr) -> Result<String, Unsupported> {
    let dialect = gen.dialect;
    let name = dialect.string(&rule.name);
    let (judged, due) = Judged::of(rule);
    // Bound to columns where every text allows it (`bind`); a rule whose
    // rows would read a join after the first stage is written unbound.
    let (rows, main, shown) = match rows(gen, rule, &judged, true)? {
        Some(written) => written,
        None => rows(gen, rule, &judged, false)?
            .ok_or_else(|| Unsupported("rows the generator could not write".to_string()))?,
    };
    let per_entity = "OVER (PARTITION BY r.entity)";
    let windows = format!(
        "SELECT r.*, \
         MAX(CASE WHEN r.jd = 1 AND r.t = 0 THEN 1 ELSE 0 END) {per_entity} AS anyfail, \
         MAX(CASE WHEN r.jd = 1 THEN r.t END) {per_entity} AS worst, \
         MIN(CASE WHEN r.jd = 1 AND r.t = 0 THEN r.y END) {per_entity} AS firstfail, \
         MAX(CASE WHEN r.jd = 1 AND r.y <= r.aof THEN r.y END) {per_entity} AS lastjudged, \
         MAX(CASE WHEN r.sr = 1 AND r.mk = 0 THEN r.y END) {per_entity} AS lastknown, \
         MAX(CASE WHEN r.sr = 1 AND r.mk = 4 THEN 1 ELSE 0 END) {per_entity} AS serr \
         FROM ({rows}) r"
    );
    let not_due = due.map_or_else(|| "1 = 0".to_string(), |due| format!("{due} > x.aof"));
    let missing = if rule.missing_as_fail {
        "'fail'"
    } else {
        "'missing'"
    };
    let status = format!(
        "SELECT x.*, CASE \
         WHEN x.anyfail = 1 THEN 'fail' \
         WHEN x.worst = 4 THEN 'error' \
         WHEN x.worst = 3 THEN {missing} \
         WHEN x.worst = 2 THEN 'pending' \
         WHEN x.worst = 1 AND {not_due} THEN 'pending' \
         WHEN x.worst = 1 THEN 'pass' \
         WHEN {not_due} THEN 'pending' \
         ELSE {missing} END AS status FROM ({windows}) x"
    );
    let pending_shows_latest = if main {
        "z.status = 'pending' AND z.serr = 0 AND z.lastknown IS NOT NULL"
    } else {
        "1 = 0"
    };
    let shown_year = format!(
        "SELECT z.*, CASE \
         WHEN {pending_shows_latest} THEN z.lastknown \
         WHEN z.firstfail IS NOT NULL THEN z.firstfail \
         WHEN z.lastjudged IS NOT NULL THEN z.lastjudged \
         ELSE LEAST(z.aof, {last}) END AS shown FROM ({status}) z",
        last = judged.last("z.aof"),
    );
    let years = match &rule.condition {
        CondIr::Trend { from, to, .. } => year_list(gen, *from..=*to, "q.aof"),
        _ => match &judged {
            Judged::Years(years) => year_list(gen, years.iter().copied(), "q.aof"),
            other => dialect.text_of(&other.last("q.aof")),
        },
    };
    let pending_years = dialect.string(&due.map(|due| due.to_string()).unwrap_or_default());
    let (actual, target) = shown.render("q.status");
    Ok(format!(
        "SELECT {name} AS rule, q.entity AS entity, q.status AS status, \
         {actual} AS actual_value, {target} AS target_value, \
         CASE WHEN q.status = 'pending' THEN {pending_years} ELSE {years} END AS years \
         FROM ({shown_year}) q WHERE q.y = q.shown{scope_errors}",
        scope_errors = scope_errors(gen, rule, &name),
    ))
}

/// A rule's rows, one per entity and year, with its truth `t`, the main
/// value's state `mk` and the figures `c0`, `c1`, …; whether it has a main
/// value, and how its shown figures are read. With `bind`, `None` when a
/// column would read a join after the first stage.
fn rows(
    gen: &mut Gen<'_>,
    rule: &RuleIr,
    judged: &Judged,
    bind: bool,
) -> Result<Option<(String, bool, Shown)>, Unsupported> {
    let mut level = if bind {
        Level::binding()
    } else {
        Level::default()
    };
    let entity = "yr.entity";
    let truth = gen.cond(&mut level, &rule.condition, entity, Year::ROW)?;
    let main = match rule.condition.main_value() {
        Some(value) => Some(gen.expr(&mut level, value, entity, Year::ROW)?),
        None => None,
    };
    let mut columns = Vec::new();
    let shown = describe(gen, &mut level, &rule.condition, entity, &mut columns)?;
    let columns: Vec<String> = columns.into_iter().map(|sql| level.bind(sql)).collect();
    let main_state = main.as_ref().map_or("0", |main| main.k.as_str());
    let figures: String = columns
        .iter()
        .enumerate()
        .map(|(at, sql)| format!(", {sql} AS c{at}"))
        .collect();
    let judged_row = judged.contains("yr.y", "a.y");
    let series_row = "yr.y >= a.fy AND yr.y <= a.y";
    let joins: String = level.joins.iter().map(|join| format!(" {join}")).collect();
    let own = format!(
        "a.y AS aof, \
         CASE WHEN {judged_row} THEN 1 ELSE 0 END AS jd, \
         CASE WHEN {series_row} THEN 1 ELSE 0 END AS sr, \
         CASE WHEN yr.y > a.y THEN 2 ELSE {truth} END AS t, \
         {main_state} AS mk{figures}"
    );
    let first = format!(
        "FROM (SELECT s.entity AS entity, y.y AS y FROM {scope} s CROSS JOIN yrs y) yr \
         CROSS JOIN params a{joins} \
         WHERE {judged_row} OR ({series_row}) OR yr.y = a.y",
        scope = scope_rows(gen, &rule.scope)?,
    );
    let has_main = main.is_some();
    let rows = match level.binds {
        Some(binds) => {
            let outer = [truth.as_str(), main_state]
                .into_iter()
                .chain(columns.iter().map(String::as_str));
            if outer.into_iter().any(reads_joins) {
                return Ok(None);
            }
            binds.rows(&first, &format!("yr.entity AS entity, yr.y AS y, {own}"))
        }
        None => format!("SELECT yr.entity AS entity, yr.y AS y, {own} {first}"),
    };
    Ok(Some((rows, has_main, shown)))
}

/// The years up to the as-of year, comma-separated.
fn year_list(gen: &Gen<'_>, years: impl Iterator<Item = i32>, as_of: &str) -> String {
    let parts: Vec<String> = years
        .map(|year| format!("CASE WHEN {year} <= {as_of} THEN '{year}' END"))
        .collect();
    if parts.is_empty() {
        return gen.dialect.string("");
    }
    format!("concat_ws(',', {})", parts.join(", "))
}

/// The actual value and the target a report shows, as `eval::describe`
/// gives them: a comparison's two sides, or for `and`/`or` the figures of
/// the part that decided, which depends on the outcome's status and so is
/// picked only once the status is known.
enum Shown {
    /// Row columns holding the actual value and the target.
    Figures { actual: String, target: String },
    /// The inner condition's figures under the opposite status.
    Not(Box<Shown>),
    /// Per part, the row column of its truth and its figures.
    Decided {
        is_and: bool,
        parts: Vec<(String, Shown)>,
    },
}

/// Adds to `columns` the row columns a rule's shown figures are read from.
fn describe(
    gen: &mut Gen<'_>,
    level: &mut Level,
    condition: &CondIr,
    entity: &str,
    columns: &mut Vec<String>,
) -> Result<Shown, Unsupported> {
    let column = |columns: &mut Vec<String>, sql: String| {
        columns.push(sql);
        format!("c{}", columns.len() - 1)
    };
    let figures = |gen: &mut Gen<'_>,
                   level: &mut Level,
                   columns: &mut Vec<String>,
                   actual: Option<&ExprIr>,
                   target: Option<&ExprIr>|
     -> Result<Shown, Unsupported> {
        let mut shown = |expr: Option<&ExprIr>| -> Result<String, Unsupported> {
            Ok(match expr {
                Some(expr) => shown_value(gen.expr(level, expr, entity, Year::ROW)?),
                None => gen.dialect.null_number(),
            })
        };
        let actual = shown(actual)?;
        let target = shown(target)?;
        Ok(Shown::Figures {
            actual: column(columns, actual),
            target: column(columns, target),
        })
    };
    Ok(match condition {
        CondIr::Compare { left, right, .. } => {
            figures(gen, level, columns, Some(left), Some(right))?
        }
        CondIr::Between { value, .. } => figures(gen, level, columns, Some(value), None)?,
        CondIr::Approx { value, center, .. } => {
            figures(gen, level, columns, Some(value), Some(center))?
        }
        CondIr::Top {
            set,
            value,
            better,
            share,
        } => {
            let top = gen.top(level, set, value, *better, *share, entity, Year::ROW)?;
            Shown::Figures {
                actual: column(columns, top.rank),
                target: column(columns, top.places),
            }
        }
        CondIr::Not(inner) => Shown::Not(Box::new(describe(gen, level, inner, entity, columns)?)),
        CondIr::And(parts) | CondIr::Or(parts) => {
            let mut shown = Vec::new();
            for part in parts {
                let truth = gen.cond(level, part, entity, Year::ROW)?;
                let truth = column(columns, truth);
                shown.push((truth, describe(gen, level, part, entity, columns)?));
            }
            Shown::Decided {
                is_and: matches!(condition, CondIr::And(_)),
                parts: shown,
            }
        }
        _ => figures(gen, level, columns, None, None)?,
    })
}

/// A value as shown: null unless known.
fn shown_value(value: super::gen::Val) -> String {
    if value.k == "0" {
        value.v
    } else {
        format!("(CASE WHEN {} = 0 THEN {} END)", value.k, value.v)
    }
}

impl Shown {
    /// The actual value and the target over the row `q`, whose outcome
    /// has the status `status` (an SQL expression).
    fn render(&self, status: &str) -> (String, String) {
        match self {
            Shown::Figures { actual, target } => (format!("q.{actual}"), format!("q.{target}")),
            Shown::Not(inner) => inner.render(&format!(
                "(CASE {status} WHEN 'pass' THEN 'fail' WHEN 'fail' THEN 'pass' ELSE {status} END)"
            )),
            Shown::Decided { is_and, parts } => {
                let first = |test: &dyn Fn(&str) -> String| {
                    let arms: String = parts
                        .iter()
                        .enumerate()
                        .map(|(at, (truth, _))| {
                            format!(" WHEN {} THEN {at}", test(&format!("q.{truth}")))
                        })
                        .collect();
                    format!("(CASE{arms} END)")
                };
                let on_pass = if *is_and {
                    "0".to_string()
                } else {
                    first(&|truth| format!("{truth} = 1"))
                };
                let decided = format!(
                    "(CASE WHEN {status} = 'fail' THEN {} WHEN {status} = 'pass' THEN {on_pass} ELSE {} END)",
                    first(&|truth| format!("{truth} = 0")),
                    first(&|truth| format!("{truth} >= 2")),
                );
                let mut actual = String::from("(CASE");
                let mut target = String::from("(CASE");
                for (at, (_, part)) in parts.iter().enumerate() {
                    let (part_actual, part_target) = part.render(status);
                    actual.push_str(&format!(" WHEN {decided} = {at} THEN {part_actual}"));
                    target.push_str(&format!(" WHEN {decided} = {at} THEN {part_target}"));
                }
                (actual + " END)", target + " END)")
            }
        }
    }
}

/// The entities of a scope, as a derived table with a column `entity`.
fn scope_rows(gen: &Gen<'_>, scope: &ScopeIr) -> Result<String, Unsupported> {
    let string = |name: &str| gen.dialect.string(name);
    Ok(match scope {
        ScopeIr::Entity(name) => {
            format!("(SELECT entity FROM ents WHERE entity = {})", string(name))
        }
        ScopeIr::Roots => "(SELECT entity FROM ents WHERE parent IS NULL)".to_string(),
        ScopeIr::Each {
            tier,
            under: Some(name),
        } => {
            // `scope 日照市` then `for each 市级`: the scope entity itself is
            // of that tier, as the native evaluator takes it.
            let itself = match tier {
                SetKind::Tier { name: tier, depth } => format!(
                    " UNION SELECT te.entity FROM ents te WHERE te.entity = {} AND {}",
                    string(name),
                    gen.in_tier("te", tier, *depth)
                ),
                _ => String::new(),
            };
            format!(
                "(SELECT m.member AS entity FROM {} m WHERE m.anc = {}{itself})",
                gen.members(tier)?,
                string(name)
            )
        }
        ScopeIr::Each {
            tier: SetKind::Tier { name, depth },
            under: None,
        } => format!(
            "(SELECT te.entity FROM ents te WHERE {})",
            gen.in_tier("te", name, *depth)
        ),
        ScopeIr::Each { under: None, .. } => "(SELECT entity FROM ents WHERE 1 = 0)".to_string(),
    })
}

/// The error outcome of a scope that names an entity the data lacks, or
/// a relative set with nothing to be relative to.
fn scope_errors(gen: &Gen<'_>, rule: &RuleIr, name: &str) -> String {
    let null = gen.dialect.null_number();
    let error_row = |entity: &str, condition: String| {
        format!(
            " UNION ALL SELECT {name} AS rule, {entity} AS entity, 'error' AS status, \
             {null} AS actual_value, {null} AS target_value, '' AS years \
             FROM params {condition}"
        )
    };
    match &rule.scope {
        ScopeIr::Entity(entity)
        | ScopeIr::Each {
            under: Some(entity),
            ..
        } => {
            let literal = gen.dialect.string(entity);
            // A join rather than a scalar subquery, which Spark runs as
            // a job of its own for each rule.
            error_row(
                &literal,
                format!("LEFT JOIN ents se ON se.entity = {literal} WHERE se.entity IS NULL"),
            )
        }
        ScopeIr::Each {
            tier: SetKind::Children | SetKind::Descendants,
            under: None,
        } => error_row("''", String::new()),
        _ => String::new(),
    }
}
