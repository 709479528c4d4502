//! `zhibiao sql` on real files: the query for each dialect, the tables
//! `--emit-data` writes, and the coded diagnostic for a rule without an
//! SQL form. That the queries give `check`'s outcomes on DuckDB,
//! PostgreSQL and Spark is `tests/engines/run.sh`, run by `.ci/run`.

use std::path::Path;
use std::process::{Command, Output};

fn zhibiao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run zhibiao")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

#[test]
fn every_rule_file_compiles_to_a_query_in_every_dialect() {
    for dialect in ["duckdb", "postgres", "spark"] {
        for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).unwrap()
        {
            let path = entry.unwrap().path();
            if path
                .extension()
                .is_none_or(|extension| extension != "rules")
            {
                continue;
            }
            let path = path.display().to_string();
            let output = zhibiao(&["sql", &path, "--dialect", dialect, "--skip-unsupported"]);
            assert!(
                output.status.success(),
                "{path} {dialect}: {}",
                text(&output.stderr)
            );
            let query = text(&output.stdout);
            let start = match dialect {
                "spark" => {
                    "INSERT OVERWRITE DIRECTORY 'zhibiao-scratch/nodes' USING parquet SELECT "
                }
                "postgres" => {
                    "DROP TABLE IF EXISTS pg_temp.nodes;\nCREATE TEMPORARY TABLE nodes AS "
                }
                _ => "WITH RECURSIVE\n",
            };
            assert!(query.starts_with(start), "{path} {dialect}");
            if dialect == "spark" {
                // Each rule's outcomes are written on their own; the query
                // reads them back.
                assert!(
                    query.contains(
                        "INSERT OVERWRITE DIRECTORY 'zhibiao-scratch/rule0' USING parquet SELECT "
                    ) && query.contains("SELECT * FROM parquet.`zhibiao-scratch/rule0`"),
                    "{path}"
                );
            }
            assert!(
                query.contains(
                    "SELECT rule, entity, status, actual_value, target_value, years FROM ("
                ),
                "{path} {dialect}"
            );
        }
    }
}

#[test]
fn column_and_table_names_are_the_user_s() {
    let output = zhibiao(&[
        "sql",
        "rules/rizhao-2024.rules",
        "--dialect",
        "postgres",
        "--table",
        "指标观测",
        "--entity-column",
        "region",
        "--tier-column",
        "级别",
        "--entities-table",
        "机构属性",
        "--as-of",
        "2023",
        "--skip-unsupported",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let query = text(&output.stdout);
    assert!(query.contains("FROM \"指标观测\""));
    assert!(query.contains("\"region\" AS entity"));
    assert!(query.contains("NULLIF(\"级别\", '') AS tier"));
    assert!(query.contains("FROM \"机构属性\""));
    assert!(query.contains("params AS (SELECT 2023 AS y"));
}

#[test]
fn a_rule_without_an_sql_form_is_a_coded_diagnostic_and_no_query() {
    let output = zhibiao(&["sql", "tests/sql/progress.rules", "--dialect", "duckdb"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("sql-unsupported"), "{stderr}");
    insta::assert_snapshot!(stderr);
}

#[test]
fn emit_data_writes_the_tables_in_declared_units() {
    let dir = std::env::temp_dir().join(format!("zhibiao-emit-{}", std::process::id()));
    let dir_text = dir.display().to_string();
    let output = zhibiao(&[
        "sql",
        "tests/check/units.rules",
        "--data",
        "tests/check/units-wide.csv",
        "tests/check/units-long.csv",
        "--emit-data",
        &dir_text,
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let obs = std::fs::read_to_string(dir.join("obs.csv")).unwrap();
    let entities = std::fs::read_to_string(dir.join("entities.csv")).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(obs.starts_with("entity,parent,year,indicator,value,text_value,tier\n"));
    assert!(entities.starts_with("entity,attribute,value\n"));
    insta::assert_snapshot!(obs);
}

#[test]
fn a_dialect_is_needed_for_a_query() {
    let output = zhibiao(&["sql", "rules/rizhao-2024.rules"]);
    assert_eq!(output.status.code(), Some(2));
    let output = zhibiao(&["sql", "rules/rizhao-2024.rules", "--dialect", "oracle"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("use duckdb, postgres or spark"));
}
