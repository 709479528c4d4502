//! `zhibiao check` on real files: every status, every time form, trends,
//! functions, aggregates, units, encodings, exit codes, filters and the
//! JSON report. Fixtures are in `tests/check/`; `region.csv` is the shared
//! dataset (a province, two cities, three districts, three institutions,
//! 2019–2024) and `catalogue.rules` declares its indicators.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn zhibiao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run zhibiao")
}

fn fixture(name: &str) -> String {
    format!("tests/check/{name}")
}

/// Runs `check RULES --data DATA… --format json EXTRA…`; the exit code and
/// the report.
fn check_json(rules: &str, data: &[&str], extra: &[&str]) -> (i32, Value) {
    let rules = fixture(rules);
    let data: Vec<String> = data.iter().map(|name| fixture(name)).collect();
    let mut args = vec!["check", rules.as_str(), "--data"];
    args.extend(data.iter().map(String::as_str));
    args.extend(["--format", "json"]);
    args.extend(extra);
    let output = zhibiao(&args);
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let report = serde_json::from_str(&stdout).unwrap_or_else(|error| {
        panic!(
            "{error}: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().expect("exit code"), report)
}

fn outcomes(report: &Value) -> &Vec<Value> {
    report["outcomes"].as_array().expect("outcomes")
}

/// The outcome of a rule for an entity.
fn outcome<'a>(report: &'a Value, rule: &str, entity: &str) -> &'a Value {
    outcomes(report)
        .iter()
        .find(|outcome| outcome["rule"]["name"] == rule && outcome["entity"] == entity)
        .unwrap_or_else(|| panic!("no outcome of `{rule}` for {entity}"))
}

/// Every outcome as `rule @ entity` → status.
fn statuses(report: &Value) -> BTreeMap<String, String> {
    outcomes(report)
        .iter()
        .map(|outcome| {
            (
                format!(
                    "{} @ {}",
                    outcome["rule"]["name"].as_str().unwrap(),
                    outcome["entity"].as_str().unwrap()
                ),
                outcome["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Asserts the status of every outcome of a report, and that there are no
/// others.
macro_rules! assert_statuses {
    ($report:expr, { $($rule:literal @ $entity:literal => $status:literal,)* }) => {{
        let expected: BTreeMap<String, String> = [$(
            (format!("{} @ {}", $rule, $entity), $status.to_string()),
        )*].into_iter().collect();
        let found = statuses(&$report);
        for (key, status) in &expected {
            assert_eq!(found.get(key), Some(status), "status of {key}");
        }
        for key in found.keys() {
            assert!(expected.contains_key(key), "unexpected outcome {key}");
        }
    }};
}

/// The missing values an outcome names, as `indicator/entity/year`.
fn missing(outcome: &Value) -> Vec<String> {
    outcome["missing"]
        .as_array()
        .map(|gaps| {
            gaps.iter()
                .map(|gap| {
                    format!(
                        "{}/{}/{}",
                        gap["indicator"].as_str().unwrap(),
                        gap["entity"].as_str().unwrap(),
                        gap["year"]
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

// One module per feature; the helpers above are theirs too.
mod data_files;
mod functions;
mod options;
mod report;
mod statuses;
mod tiers;
mod timing;
mod trends;

// ---- snapshots ---------------------------------------------------------------------

#[test]
fn snapshot_statuses_table() {
    let output = zhibiao(&[
        "check",
        "tests/check/statuses.rules",
        "--data",
        "tests/check/region.csv",
    ]);
    // The one warning: the rules read an indicator the data lacks on purpose.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no data file has `未上报指标`") && !stderr.contains('×'),
        "{stderr}"
    );
    insta::assert_snapshot!("statuses-table", String::from_utf8(output.stdout).unwrap());
}

#[test]
fn snapshot_statuses_json() {
    let output = zhibiao(&[
        "check",
        "tests/check/statuses.rules",
        "--data",
        "tests/check/region.csv",
        "--format",
        "json",
    ]);
    insta::assert_snapshot!("statuses-json", String::from_utf8(output.stdout).unwrap());
}

#[test]
fn snapshot_trends_table() {
    let output = zhibiao(&[
        "check",
        "tests/check/trends.rules",
        "--data",
        "tests/check/region.csv",
    ]);
    insta::assert_snapshot!("trends-table", String::from_utf8(output.stdout).unwrap());
}

#[test]
fn snapshot_units_json() {
    let output = zhibiao(&[
        "check",
        "tests/check/units.rules",
        "--data",
        "tests/check/units-wide.csv",
        "tests/check/units-long.csv",
        "--format",
        "json",
    ]);
    insta::assert_snapshot!("units-json", String::from_utf8(output.stdout).unwrap());
}
