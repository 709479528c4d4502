//! `zhibiao sql`: a compiled program as one SQL query that gives the same
//! outcomes as `check` inside DuckDB, PostgreSQL or Spark, over a long
//! table `obs(entity, parent, year, indicator, value, text_value[, tier])`
//! and an attribute table `entities(entity, attribute, value)`.
//!
//! The query first works out, once: the as-of year (`params`), the entity
//! tree with depths and every ancestor–descendant pair (`nodes`, `tree`,
//! `ents`, one recursive CTE), the years evaluated (`yrs`) and, where the
//! dialect reads values through one, the pivot of values per entity and
//! year (`w`). Each rule is then a `SELECT` of its outcomes (`rule`);
//! the outcomes of all rules are one `UNION ALL`. Constructs without an
//! SQL form are `sql-unsupported` diagnostics naming the rule.

mod bind;
mod cond;
mod dialect;
mod export;
mod expr;
mod gen;
mod rule;
mod set;
#[cfg(test)]
mod tests;
mod truth;

pub use dialect::Dialect;
pub use export::write_tables;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::ir::Program;
use dialect::Reading;
use gen::Gen;

/// The stable code of a rule the SQL form cannot express (the example of
/// [`to_sql`] meets one).
pub const UNSUPPORTED: Code = Code::SqlUnsupported;

/// Where Spark's script writes the relations computed once unless told
/// otherwise: relative to the engine's working directory.
pub const DEFAULT_SCRATCH: &str = "zhibiao-scratch";

/// The tables and columns the query reads, as the user names them; the
/// default is `obs(entity, parent, year, indicator, value, text_value)` and
/// `entities(entity, attribute, value)`. See [`to_sql`] for an example.
#[derive(Debug, Clone)]
pub struct Tables {
    /// The observations table.
    pub table: String,
    /// Its entity column.
    pub entity: String,
    /// Its parent column (empty or null for a root).
    pub parent: String,
    /// Its year column (an integer).
    pub year: String,
    /// Its indicator-name column.
    pub indicator: String,
    /// Its numeric value column, in the indicator's declared unit.
    pub value: String,
    /// Its text value column (grades such as `三级甲等`).
    pub text_value: String,
    /// Its tier column, if it has one (`级别`).
    pub tier: Option<String>,
    /// The entity attributes table.
    pub entities: String,
    /// That table's entity column.
    pub entities_entity: String,
    /// That table's attribute-name column.
    pub attribute: String,
    /// That table's attribute-value column.
    pub attribute_value: String,
}

impl Default for Tables {
    fn default() -> Self {
        Tables {
            table: "obs".to_string(),
            entity: "entity".to_string(),
            parent: "parent".to_string(),
            year: "year".to_string(),
            indicator: "indicator".to_string(),
            value: "value".to_string(),
            text_value: "text_value".to_string(),
            tier: None,
            entities: "entities".to_string(),
            entities_entity: "entity".to_string(),
            attribute: "attribute".to_string(),
            attribute_value: "value".to_string(),
        }
    }
}

/// How the query is written. See [`to_sql`] for an example.
#[derive(Debug, Clone)]
pub struct SqlOptions {
    /// The engine.
    pub dialect: Dialect,
    /// The year to check as of; by default the latest year in the table.
    pub as_of: Option<i32>,
    /// The tables read.
    pub tables: Tables,
    /// The tolerance of `≈` without `± T`, as a fraction of the target.
    pub tolerance: f64,
    /// Leave out the rules without an SQL form (each a warning) rather
    /// than write no query.
    pub skip_unsupported: bool,
    /// Spark only: the directory (on the engine's file system) where the
    /// relations computed once are written as Parquet, one folder each,
    /// replaced at every run (empty: the engine's working directory). Give
    /// each concurrent run its own; [`DEFAULT_SCRATCH`] is the command's.
    pub scratch: String,
}

/// The tables' names quoted for the dialect.
pub(crate) struct Names {
    table: String,
    entity: String,
    parent: String,
    year: String,
    indicator: String,
    value: String,
    text_value: String,
    tier: Option<String>,
    entities: String,
    entities_entity: String,
    attribute: String,
    attribute_value: String,
}

impl Names {
    fn new(tables: &Tables, dialect: Dialect) -> Names {
        let quote = |name: &str| dialect.ident(name);
        Names {
            table: quote(&tables.table),
            entity: quote(&tables.entity),
            parent: quote(&tables.parent),
            year: quote(&tables.year),
            indicator: quote(&tables.indicator),
            value: quote(&tables.value),
            text_value: quote(&tables.text_value),
            tier: tables.tier.as_deref().map(quote),
            entities: quote(&tables.entities),
            entities_entity: quote(&tables.entities_entity),
            attribute: quote(&tables.attribute),
            attribute_value: quote(&tables.attribute_value),
        }
    }
}

/// The query giving every outcome of the program, with a warning for each
/// rule left out (`skip_unsupported`); or else an error for each rule it
/// cannot express.
///
/// ```
/// use zhibiao::sql::{to_sql, Dialect, SqlOptions, Tables, UNSUPPORTED};
///
/// let rules = "scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2025\n\
///              rule progress(县域就诊率, 90%, 2025) >= 0.95\n";
/// let program = zhibiao::compile(rules, "a.rules").unwrap();
/// let tables = Tables { table: "观测".to_string(), ..Tables::default() };
/// let mut options = SqlOptions { dialect: Dialect::DuckDb, as_of: None, tables, tolerance: zhibiao::DEFAULT_TOLERANCE, skip_unsupported: false, scratch: zhibiao::sql::DEFAULT_SCRATCH.to_string() };
/// let errors = to_sql(&program, &options).unwrap_err();
/// assert_eq!(errors.0[0].code, UNSUPPORTED);
///
/// options.skip_unsupported = true;
/// let (query, warnings) = to_sql(&program, &options).unwrap();
/// assert!(query.starts_with("WITH RECURSIVE") && query.contains("FROM \"观测\""));
/// assert_eq!((warnings.len(), warnings[0].is_error()), (1, false));
/// ```
pub fn to_sql(
    program: &Program,
    options: &SqlOptions,
) -> Result<(String, Vec<Diagnostic>), Diagnostics> {
    let dialect = options.dialect;
    let names = Names::new(&options.tables, dialect);
    let mut gen = Gen::new(dialect, &names, options.tolerance);
    let mut queries = Vec::new();
    let mut diagnostics = Vec::new();
    let mut written_years = Vec::new();
    let mut base = 0;
    for module in &program.modules {
        gen.enter(module, base);
        for rule in &module.rules {
            written_years.extend(rule::written_years(rule));
            match rule::query(&mut gen, rule) {
                Ok(query) => queries.push(query),
                Err(gen::Unsupported(what)) => diagnostics.push(
                    Diagnostic::error(
                        &module.source,
                        UNSUPPORTED,
                        rule.span.clone(),
                        format!("rule `{}` has no SQL form: {what}", rule.name),
                        "this rule",
                    )
                    .with_help("check this rule with `zhibiao check`, or leave it out of the files given to `zhibiao sql`"),
                ),
            }
        }
        base += module.indicators.len();
    }
    if options.skip_unsupported {
        for diagnostic in &mut diagnostics {
            diagnostic.severity = crate::diag::Severity::Warning;
        }
    } else if !diagnostics.is_empty() {
        return Err(Diagnostics(diagnostics));
    }
    // Years written in rules bound the year rows too, with the as-of year
    // and the data's first year.
    let low = written_years.iter().min().copied();
    let high = written_years.iter().max().copied();
    let shared = header(&gen, options, &names, low, high);
    if queries.is_empty() {
        let null = dialect.null_number();
        let text = dialect.null_text();
        queries.push(format!(
            "SELECT {text} AS rule, {text} AS entity, {text} AS status, {null} AS actual_value, {null} AS target_value, {text} AS years FROM params WHERE 1 = 0"
        ));
    }
    Ok((
        dialect.script(&shared, &queries, &options.scratch),
        diagnostics,
    ))
}

/// The relations computed once: as-of year, tree, years, values; each a
/// name and its query.
fn header(
    gen: &Gen<'_>,
    options: &SqlOptions,
    names: &Names,
    low: Option<i32>,
    high: Option<i32>,
) -> Vec<(String, String)> {
    let dialect = options.dialect;
    let Names {
        table,
        entity,
        parent,
        year,
        indicator,
        value,
        text_value,
        ..
    } = names;
    let as_of = options.as_of.map_or_else(
        || format!("(SELECT MAX({year}) FROM {table})"),
        |year| year.to_string(),
    );
    let mut as_of_columns = vec![
        format!("{as_of} AS y"),
        format!("(SELECT MIN({year}) FROM {table}) AS fy"),
    ];
    for (index, attribute) in gen.attributes.iter().enumerate() {
        as_of_columns.push(format!(
            "(SELECT COUNT(*) FROM {} WHERE {} = {}) AS x{index}",
            names.entities,
            names.attribute,
            dialect.string(attribute)
        ));
    }
    let tier = names
        .tier
        .as_deref()
        .map_or_else(|| dialect.null_text(), |tier| format!("NULLIF({tier}, '')"));
    let parent_of = format!("NULLIF({parent}, '')");
    let null_text = dialect.null_text();
    let mut ctes = vec![
        format!(
            "nodes AS (SELECT entity, MAX(parent) AS parent, MAX(tier) AS tier FROM (\
             SELECT {entity} AS entity, {parent_of} AS parent, {tier} AS tier FROM {table} \
             UNION ALL SELECT {parent_of} AS entity, {null_text} AS parent, {null_text} AS tier FROM {table} WHERE {parent_of} IS NOT NULL\
             ) u GROUP BY entity)"
        ),
    ];
    // Every ancestor–descendant pair, each entity with itself at 0:
    // depths and sets all come from it.
    ctes.extend(dialect.tree());
    ctes.extend([
        "ents AS (SELECT n.entity, n.parent, n.tier, x.depth FROM nodes n \
         JOIN (SELECT member, MAX(d) AS depth FROM tree GROUP BY member) x ON x.member = n.entity)"
            .to_string(),
        format!("params AS (SELECT {})", as_of_columns.join(", ")),
    ]);
    let mut low_parts = vec!["a.fy".to_string(), "a.y".to_string()];
    let mut high_parts = vec!["a.y".to_string()];
    low_parts.extend(low.map(|low| low.to_string()));
    high_parts.extend(high.map(|high| high.to_string()));
    ctes.push(format!(
        "yrs AS ({})",
        dialect.year_list(
            &format!("LEAST({})", low_parts.join(", ")),
            &format!("GREATEST({})", high_parts.join(", ")),
            "params a"
        )
    ));
    let aliased = gen.decls.values().any(|decl| decl.names.len() > 1);
    if !gen.decls.is_empty() && (aliased || dialect.reading() == Reading::Pivot) {
        let rows: Vec<String> = gen
            .decls
            .iter()
            .flat_map(|(decl, info)| {
                info.names
                    .iter()
                    .enumerate()
                    .map(move |(priority, name)| (decl, priority, name))
            })
            .map(|(decl, priority, name)| format!("({decl}, {}, {priority})", dialect.string(name)))
            .collect();
        ctes.push(format!(
            "names AS ({})",
            dialect.values(&rows, "decl, name, pri")
        ));
        if aliased {
            // The first of an indicator's names that the table has, as
            // the native loader finds it.
            ctes.push(format!(
                "cand AS (SELECT n.decl, n.name, n.pri FROM names n WHERE n.name IN (SELECT DISTINCT {indicator} FROM {table}))"
            ));
            ctes.push(
                "pick AS (SELECT c.decl, c.name FROM cand c JOIN (SELECT decl, MIN(pri) AS pri FROM cand GROUP BY decl) b ON b.decl = c.decl AND b.pri = c.pri)"
                    .to_string(),
            );
        } else {
            ctes.push("pick AS (SELECT decl, name FROM names)".to_string());
        }
    }
    if dialect.reading() == Reading::Pivot && !gen.decls.is_empty() {
        let columns: Vec<String> = gen
            .decls
            .keys()
            .map(|decl| {
                format!(
                    "MAX(CASE WHEN p.decl = {decl} THEN o.{value} END) AS v{decl}, MAX(CASE WHEN p.decl = {decl} THEN o.{text_value} END) AS t{decl}"
                )
            })
            .collect();
        ctes.push(format!(
            "w AS (SELECT o.{entity} AS entity, o.{year} AS year, {} FROM {table} o JOIN pick p ON p.name = o.{indicator} GROUP BY o.{entity}, o.{year})",
            columns.join(", ")
        ));
    }
    // Each entry above is written `name AS (body)`.
    ctes.iter()
        .filter_map(|cte| {
            let (name, rest) = cte.split_once(" AS (")?;
            Some((name.to_string(), rest.strip_suffix(')')?.to_string()))
        })
        .collect()
}
