//! Unit tests of the SQL generator: the query's shape per dialect (a
//! snapshot), and the rules it refuses. Whether the queries give the
//! native outcomes is tested on the engines themselves by
//! `tests/engines/run.sh`.

use super::truth::{all, worst};
use super::{to_sql, Dialect, SqlOptions, Tables, UNSUPPORTED};
use crate::compile;

fn options(dialect: Dialect) -> SqlOptions {
    SqlOptions {
        dialect,
        as_of: None,
        tables: Tables::default(),
        tolerance: 0.05,
        skip_unsupported: false,
        scratch: "scratch/".to_string(),
    }
}

const RULES: &str = "
tiers 市级 > 县级
scope 日照市
indicator 县域就诊率: %
indicator 等级: grade 二级甲等 < 三级甲等
rule 县域就诊率 >= 90% by 2025
rule share(县级 where 类型 == \"县\", 县域就诊率 >= 90%) >= 75% in 2024
rule 等级 @ 上级 >= 三级甲等 in 2024
";

fn sql(rules: &str, dialect: Dialect) -> String {
    let program = compile::compile(rules, "test.rules").expect("rules compile");
    to_sql(&program, &options(dialect))
        .expect("rules have an SQL form")
        .0
}

#[test]
fn a_small_program_as_duckdb_sql() {
    insta::assert_snapshot!(sql(RULES, Dialect::DuckDb));
}

#[test]
fn dialects_differ_only_where_the_engines_do() {
    let duckdb = sql(RULES, Dialect::DuckDb);
    let postgres = sql(RULES, Dialect::Postgres);
    let spark = sql(RULES, Dialect::Spark);
    // DuckDB and Spark read values through one pivot; PostgreSQL joins
    // the table itself for each value.
    assert!(
        duckdb.contains("\nw AS (")
            && spark.contains("INSERT OVERWRITE DIRECTORY 'scratch/w' USING parquet SELECT ")
    );
    assert!(!postgres.contains("\nw AS (") && postgres.contains("LEFT JOIN \"obs\" j"));
    // The tree recurses in a CTE; in Spark it is built by doubling, each
    // step written once and read back as a view over its files, and a
    // deeper tree is an error.
    assert!(duckdb.starts_with("WITH RECURSIVE\nnodes AS ("));
    assert!(
        duckdb.contains("tree (anc, member, d) AS (SELECT entity, entity, 0 FROM nodes UNION ALL")
    );
    assert!(spark.starts_with("INSERT OVERWRITE DIRECTORY 'scratch/nodes' USING parquet SELECT "));
    assert!(spark.contains(
        ";\nCREATE OR REPLACE TEMPORARY VIEW nodes USING parquet OPTIONS (path 'scratch/nodes');\n"
    ));
    assert!(!spark.contains("RECURSIVE"));
    assert!(spark.contains("DIRECTORY 'scratch/up16' ") && !spark.contains("up12"));
    assert!(spark.contains("raise_error('the entity tree is deeper than 12 levels"));
    // Spark reads each rule's outcomes back from the files it wrote.
    let read = "SELECT * FROM parquet.`scratch/rule2`\n) outcomes\n";
    assert!(
        spark.contains("INSERT OVERWRITE DIRECTORY 'scratch/rule2' USING parquet ")
            && spark.ends_with(read)
    );
    let program = compile::compile(RULES, "test.rules").unwrap();
    let mut quoted = options(Dialect::Spark);
    quoted.scratch = "it's/`x`".to_string();
    let spark = to_sql(&program, &quoted).unwrap().0;
    assert!(
        spark.contains("DIRECTORY 'it\\'s/`x`/w' USING")
            && spark.contains("parquet.`it's/``x``/rule0`")
    );
    // No directory is the engine's working directory, not the root.
    quoted.scratch = String::new();
    let spark = to_sql(&program, &quoted).unwrap().0;
    assert!(spark.starts_with("INSERT OVERWRITE DIRECTORY 'nodes' USING parquet SELECT "));
    // Null-safe equality for the attribute filter.
    assert!(duckdb.contains("IS NOT DISTINCT FROM") && spark.contains(" <=> "));
    assert!(postgres.contains("DOUBLE PRECISION") && !spark.contains("DOUBLE PRECISION"));
    assert!(spark.contains("`obs`") && duckdb.contains("\"obs\""));
}

#[test]
fn the_as_of_year_is_the_table_s_latest_unless_given() {
    assert!(sql(RULES, Dialect::DuckDb).contains("(SELECT MAX(\"year\") FROM \"obs\") AS y"));
    let program = compile::compile(RULES, "test.rules").unwrap();
    let mut given = options(Dialect::DuckDb);
    given.as_of = Some(2023);
    given.tables.table = "观测".to_string();
    let (query, _) = to_sql(&program, &given).unwrap();
    assert!(query.contains("params AS (SELECT 2023 AS y, (SELECT MIN(\"year\") FROM \"观测\")"));
}

#[test]
fn progress_has_no_sql_form_and_the_diagnostic_names_the_rule() {
    let rules = "
scope 甲
indicator 县域就诊率: %
rule 县域就诊率 >= 90% by 2025
rule \"进度\" progress(县域就诊率, 90%, 2025) >= 0.95
rule progress(县域就诊率, 95%, 2025) >= 1
";
    let program = compile::compile(rules, "test.rules").unwrap();
    let diagnostics = to_sql(&program, &options(Dialect::Spark)).unwrap_err();
    let messages: Vec<(&str, &str)> = diagnostics
        .iter()
        .map(|diagnostic| (diagnostic.code.as_str(), diagnostic.message.as_str()))
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages
        .iter()
        .all(|(code, _)| *code == UNSUPPORTED.as_str()));
    assert!(messages[0].1.contains("rule `进度`"), "{messages:?}");
    assert!(
        messages[1]
            .1
            .contains("progress(县域就诊率, 95%, 2025) >= 1"),
        "{messages:?}"
    );
    assert_eq!(diagnostics.iter().next().unwrap().line_col().0, 5);
    let mut skipping = options(Dialect::Spark);
    skipping.skip_unsupported = true;
    let (query, left_out) = to_sql(&program, &skipping).unwrap();
    assert_eq!(left_out.len(), 2);
    assert!(left_out.iter().all(|diagnostic| !diagnostic.is_error()));
    assert!(query.contains("'县域就诊率 >= 90%' AS rule") && !query.contains("'进度' AS rule"));
}

#[test]
fn no_rules_give_a_query_of_no_rows() {
    let query = sql("indicator 县域就诊率: %\n", Dialect::Postgres);
    assert!(query.contains("WHERE 1 = 0"));
}

#[test]
fn states_combine_as_the_evaluator_s_unknowns() {
    assert_eq!(worst(&[&"0".to_string(), &"0".to_string()]), "0");
    assert_eq!(worst(&[&"0".to_string(), &"k".to_string()]), "k");
    assert_eq!(
        worst(&[&"a".to_string(), &"b".to_string()]),
        "GREATEST(a, b)"
    );
    assert_eq!(all(&[]), "1");
    assert_eq!(all(&["1".to_string(), "t".to_string()]), "t");
    assert_eq!(
        all(&["s".to_string(), "t".to_string()]),
        "(CASE WHEN s = 0 OR t = 0 THEN 0 ELSE GREATEST(s, t) END)"
    );
}

#[test]
fn a_deeply_nested_condition_writes_a_query_of_linear_size() {
    // Written out in full, each `and`/`or` names its parts twice: 24
    // levels would be 2^24 copies of the innermost comparison.
    let mut condition = "县域就诊率 >= 1%".to_string();
    for level in 0..24 {
        let op = if level % 2 == 0 { "or" } else { "and" };
        condition = format!("县域就诊率 >= {}% {op} ({condition})", level + 2);
    }
    let rules = format!("scope 日照市\nindicator 县域就诊率: %\nrule {condition} by 2025\n");
    for dialect in [Dialect::DuckDb, Dialect::Postgres, Dialect::Spark] {
        let query = sql(&rules, dialect);
        assert!(query.len() < 200_000, "{dialect:?}: {} bytes", query.len());
    }
}

#[test]
fn year_on_year_reads_the_year_before_the_row() {
    let rules = "scope 日照市\nindicator 县域就诊率: %\nrule growth(县域就诊率) >= 2% in 2024\n";
    let query = sql(rules, Dialect::DuckDb);
    assert!(query.contains(".year = (yr.y - 1)"), "{query}");
}
