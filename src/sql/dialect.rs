//! The one place where the SQL engines differ: number literals, casts to
//! text, the null-safe equality, the list of years, and how values are
//! read (a pivot computed once, or the base table joined directly).
//! Everything else the generator writes is SQL the three engines share.

/// An engine the query is written for.
///
/// ```
/// use zhibiao::sql::Dialect;
///
/// assert_eq!(Dialect::parse("PostgreSQL"), Some(Dialect::Postgres));
/// assert_eq!(Dialect::parse("sqlite"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// DuckDB.
    DuckDb,
    /// PostgreSQL 12 or later.
    Postgres,
    /// Spark SQL (checked on Spark 4.3).
    Spark,
}

/// The depth of entity tree Spark's query handles: 全国 > 省 > 市 > 县 >
/// 乡镇 > 机构 is 6.
const SPARK_TREE_LEVELS: usize = 12;

/// How a rule reads an indicator's value for an entity and a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// From one pivot of the base table, `(entity, year) → a column per
    /// indicator`, computed once and joined per entity and year.
    Pivot,
    /// From the base table itself, one join per value: PostgreSQL
    /// estimates the rows of a CTE badly and then plans nested loops.
    Direct,
}

impl Dialect {
    /// The dialect of a `--dialect` name.
    pub fn parse(name: &str) -> Option<Dialect> {
        match name.to_ascii_lowercase().as_str() {
            "duckdb" => Some(Dialect::DuckDb),
            "postgres" | "postgresql" => Some(Dialect::Postgres),
            "spark" => Some(Dialect::Spark),
            _ => None,
        }
    }

    pub(crate) fn reading(self) -> Reading {
        match self {
            Dialect::Postgres => Reading::Direct,
            Dialect::DuckDb | Dialect::Spark => Reading::Pivot,
        }
    }

    /// The double type's name.
    pub(crate) fn double(self) -> &'static str {
        match self {
            Dialect::Postgres => "DOUBLE PRECISION",
            Dialect::DuckDb | Dialect::Spark => "DOUBLE",
        }
    }

    /// A double literal. PostgreSQL reads `0.9` as `numeric` and Spark and
    /// DuckDB as a decimal, so every literal is cast: arithmetic then
    /// happens in doubles, as in the native evaluator.
    pub(crate) fn number(self, value: f64) -> String {
        format!("CAST({value:?} AS {})", self.double())
    }

    /// A typed null of the double type.
    pub(crate) fn null_number(self) -> String {
        format!("CAST(NULL AS {})", self.double())
    }

    /// An integer expression as text.
    pub(crate) fn text_of(self, sql: &str) -> String {
        format!("CAST({sql} AS {})", self.text_type())
    }

    /// Equality where two nulls are equal and a null differs from a value.
    pub(crate) fn same(self, left: &str, right: &str) -> String {
        match self {
            Dialect::Spark => format!("({left} <=> {right})"),
            Dialect::DuckDb | Dialect::Postgres => format!("({left} IS NOT DISTINCT FROM {right})"),
        }
    }

    /// The integers `low..=high` as rows of a column `y`, from columns of
    /// the one-row relation `source`.
    pub(crate) fn year_list(self, low: &str, high: &str, source: &str) -> String {
        match self {
            Dialect::DuckDb => format!(
                "SELECT CAST(UNNEST(generate_series({low}, {high})) AS INTEGER) AS y FROM {source}"
            ),
            Dialect::Postgres => {
                format!("SELECT generate_series({low}, {high}) AS y FROM {source}")
            }
            Dialect::Spark => format!("SELECT explode(sequence({low}, {high})) AS y FROM {source}"),
        }
    }

    /// `base ^ exponent` on doubles (DuckDB's `^` and PostgreSQL's `^`
    /// differ in precedence; `POWER` is the same everywhere).
    pub(crate) fn power(self, base: &str, exponent: &str) -> String {
        let _ = self;
        format!("POWER({base}, {exponent})")
    }

    /// The text type's name.
    fn text_type(self) -> &'static str {
        match self {
            Dialect::Postgres => "TEXT",
            Dialect::DuckDb => "VARCHAR",
            Dialect::Spark => "STRING",
        }
    }

    /// The whole script: the shared relations (as-of year, tree, years,
    /// values) computed once, then the outcomes of every rule. DuckDB:
    /// CTEs of the one query. PostgreSQL estimates a CTE's rows without
    /// statistics (200 for a grouping, 1 once filtered) and then plans
    /// nested loops over the whole table, so there each relation is a
    /// temporary table, analysed, before the query. Spark puts the plan of
    /// a CTE or view (cached or not) in place of each reference, so every
    /// rule's plan would hold the whole tree and pivot again, and planning
    /// the union of a file's rules runs out of memory: there each relation,
    /// and then each rule's outcomes, is written as Parquet under
    /// `scratch` and read back from those files, a leaf of every plan
    /// that reads it; the query is the union of the rules' files.
    pub(crate) fn script(
        self,
        shared: &[(String, String)],
        rules: &[String],
        scratch: &str,
    ) -> String {
        let outcomes = |parts: &[String]| {
            format!(
                "SELECT rule, entity, status, actual_value, target_value, years FROM (\n{}\n) outcomes\n",
                parts.join("\nUNION ALL\n")
            )
        };
        match self {
            Dialect::Postgres => {
                let mut script = String::new();
                for (name, body) in shared {
                    let bare = name.split(' ').next().unwrap_or(name.as_str());
                    // `pg_temp.` so that a table of the user's of the same
                    // name is never dropped.
                    script.push_str(&format!(
                        "DROP TABLE IF EXISTS pg_temp.{bare};\n\
                         CREATE TEMPORARY TABLE {bare} AS WITH RECURSIVE {name} AS ({body}) SELECT * FROM {bare};\n\
                         ANALYZE {bare};\n"
                    ));
                }
                script.push_str(&outcomes(rules));
                script
            }
            Dialect::DuckDb => {
                let ctes: Vec<String> = shared
                    .iter()
                    .map(|(name, body)| format!("{name} AS ({body})"))
                    .collect();
                format!("WITH RECURSIVE\n{}\n{}", ctes.join(",\n"), outcomes(rules))
            }
            Dialect::Spark => {
                // An empty directory is the engine's working directory, not
                // the root of its file system.
                let base = scratch.trim_end_matches('/');
                let folder = |name: &str| {
                    if scratch.is_empty() {
                        name.to_string()
                    } else {
                        format!("{base}/{name}")
                    }
                };
                let write = |folder: &str, body: &str| {
                    format!(
                        "INSERT OVERWRITE DIRECTORY {} USING parquet {body};\n",
                        self.string(folder)
                    )
                };
                let mut script = String::new();
                for (name, body) in shared {
                    let folder = folder(name);
                    script.push_str(&write(&folder, body));
                    script.push_str(&format!(
                        "CREATE OR REPLACE TEMPORARY VIEW {name} USING parquet OPTIONS (path {});\n",
                        self.string(&folder)
                    ));
                }
                let mut reads = Vec::new();
                for (index, rule) in rules.iter().enumerate() {
                    let folder = folder(&format!("rule{index}"));
                    script.push_str(&write(&folder, rule));
                    reads.push(format!("SELECT * FROM parquet.{}", self.ident(&folder)));
                }
                script.push_str(&outcomes(&reads));
                script
            }
        }
    }

    /// The relations giving `tree (anc, member, d)`, every ancestor–
    /// descendant pair of `nodes` with its distance, each written
    /// `name AS (body)`. DuckDB and PostgreSQL recurse (the bound stops a
    /// cycle the loader would have refused). Spark runs each step of a
    /// recursion as jobs of its own, so there the pairs are built by
    /// doubling, each table of pairs joined with itself, up to twice
    /// `SPARK_TREE_LEVELS` in five steps; a
    /// deeper tree (or a cycle) stops the query with an error rather than
    /// losing pairs.
    pub(crate) fn tree(self) -> Vec<String> {
        match self {
            Dialect::DuckDb | Dialect::Postgres => vec![
                "tree (anc, member, d) AS (SELECT entity, entity, 0 FROM nodes \
                 UNION ALL SELECT t.anc, n.entity, t.d + 1 FROM tree t JOIN nodes n ON n.parent = t.member WHERE t.d < 1000)"
                    .to_string(),
            ],
            Dialect::Spark => {
                // Pairs up to distance 1, 2, 4, … each from the last joined
                // with itself: a path of up to 2^k steps in k tables.
                let mut relations = vec![
                    "up1 AS (SELECT parent AS anc, entity AS member, 1 AS d FROM nodes WHERE parent IS NOT NULL)"
                        .to_string(),
                ];
                let mut reach = 1;
                while reach <= SPARK_TREE_LEVELS {
                    relations.push(format!(
                        "up{} AS (SELECT anc, member, d FROM up{reach} \
                         UNION SELECT p.anc, q.member, p.d + q.d AS d FROM up{reach} p JOIN up{reach} q ON q.anc = p.member)",
                        reach * 2
                    ));
                    reach *= 2;
                }
                relations.push(format!(
                    "tree AS (SELECT entity AS anc, entity AS member, 0 AS d FROM nodes UNION ALL \
                     SELECT anc, member, CASE WHEN d > {SPARK_TREE_LEVELS} OR anc = member \
                     THEN CAST(raise_error('the entity tree is deeper than {SPARK_TREE_LEVELS} levels, or has a cycle') AS INT) \
                     ELSE d END AS d FROM up{reach})"
                ));
                relations
            }
        }
    }

    /// A typed null of the text type.
    pub(crate) fn null_text(self) -> String {
        format!("CAST(NULL AS {})", self.text_type())
    }

    /// An inline table of literal rows with named columns.
    pub(crate) fn values(self, rows: &[String], columns: &str) -> String {
        match self {
            Dialect::Spark => format!("SELECT * FROM VALUES {} AS v({columns})", rows.join(", ")),
            Dialect::DuckDb | Dialect::Postgres => {
                format!("SELECT * FROM (VALUES {}) AS v({columns})", rows.join(", "))
            }
        }
    }

    /// A quoted identifier.
    pub(crate) fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            Dialect::DuckDb | Dialect::Postgres => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A string literal.
    pub(crate) fn string(self, text: &str) -> String {
        match self {
            // Spark reads backslash escapes inside string literals.
            Dialect::Spark => format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'")),
            Dialect::DuckDb | Dialect::Postgres => format!("'{}'", text.replace('\'', "''")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_typed_and_quoted_per_engine() {
        assert_eq!(Dialect::DuckDb.number(0.9), "CAST(0.9 AS DOUBLE)");
        assert_eq!(
            Dialect::Postgres.number(1e-5),
            "CAST(1e-5 AS DOUBLE PRECISION)"
        );
        assert_eq!(Dialect::Spark.string("it's"), "'it\\'s'");
        assert_eq!(Dialect::Postgres.string("it's"), "'it''s'");
        assert_eq!(Dialect::Spark.ident("a`b"), "`a``b`");
        assert_eq!(Dialect::Spark.same("x", "y"), "(x <=> y)");
        assert_eq!(Dialect::parse("PostgreSQL"), Some(Dialect::Postgres));
        assert_eq!(Dialect::parse("oracle"), None);
    }
}
