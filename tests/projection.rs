//! `zhibiao check` loads only the values of the indicators its rules read;
//! its outcomes must be those of the general load (every value kept) that
//! a library host gets from `Dataset::from_csv_path`.

use std::path::Path;
use std::process::Command;

const PAIRS: [(&str, &str); 7] = [
    (
        "rules/guang-an-14th-fyp.rules",
        "examples/guang-an/data.csv",
    ),
    ("rules/rizhao-2024.rules", "examples/rizhao/data.csv"),
    ("rules/shaoxing-2023.rules", "examples/shaoxing/data.csv"),
    ("rules/zhuji-2023.rules", "examples/zhuji/data.csv"),
    ("rules/hunan-2021.rules", "examples/hunan/data.csv"),
    (
        "examples/national/targets.rules",
        "examples/national/data.csv",
    ),
    // Rules reading a few of a file's indicators: most values are skipped.
    ("rules/rizhao-2024.rules", "examples/national/data.csv"),
];

fn outcomes_json(json: &str) -> serde_json::Value {
    let mut value: serde_json::Value = serde_json::from_str(json).expect("a JSON report");
    value["outcomes"].take()
}

#[test]
fn projected_check_gives_the_outcomes_of_the_general_load() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (rules, data) in PAIRS {
        let output = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
            .current_dir(root)
            .args(["check", rules, "--data", data, "--format", "json"])
            .output()
            .expect("zhibiao runs");
        let cli = outcomes_json(&String::from_utf8_lossy(&output.stdout));
        let program = zhibiao::compile_paths(&[root.join(rules)]).expect("rules compile");
        let dataset = zhibiao::data::Dataset::from_csv_path(root.join(data)).expect("data loads");
        let report = program.check(&dataset, &zhibiao::CheckOptions::default());
        let general = outcomes_json(&zhibiao::report::json(&report));
        assert!(
            cli.as_array().is_some_and(|outcomes| !outcomes.is_empty()),
            "{rules} on {data}: no outcomes"
        );
        // The rule's file is named as given: relative on the command line.
        let relative = serde_json::to_string(&general)
            .unwrap()
            .replace(&format!("{}/", root.display()), "");
        assert_eq!(
            serde_json::to_string(&cli).unwrap(),
            relative,
            "{rules} on {data}"
        );
    }
}

/// Every rule file with its example data, and the check tests' fixtures:
/// every construct and status.
fn every_case() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut cases: Vec<(&str, Vec<&str>)> = PAIRS
        .iter()
        .map(|(rules, data)| (*rules, vec![*data]))
        .collect();
    for rules in [
        "tests/check/entities.rules",
        "tests/check/functions.rules",
        "tests/check/statuses.rules",
        "tests/check/timing.rules",
        "tests/check/trends.rules",
        "tests/check/values.rules",
        "tests/engines/sets.rules",
        "tests/engines/yearly.rules",
    ] {
        cases.push((rules, vec!["tests/check/region.csv"]));
    }
    cases.push((
        "tests/check/units.rules",
        vec!["tests/check/units-wide.csv", "tests/check/units-long.csv"],
    ));
    cases
}

/// Rules are checked on as many threads as asked, and the JSON report
/// written by as many: the report's bytes are the same whatever the number.
#[test]
fn any_number_of_threads_writes_the_same_report() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (rules, data) in every_case() {
        let report = |threads: &str| {
            let mut args = vec!["check", rules, "--format", "json", "--threads", threads];
            for file in &data {
                args.extend(["--data", file]);
            }
            let output = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
                .current_dir(root)
                .args(&args)
                .output()
                .expect("zhibiao runs");
            assert!(
                output.stdout.starts_with(b"{"),
                "{rules}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            (output.status.code(), output.stdout)
        };
        let one = report("1");
        for threads in ["2", "3", "7"] {
            assert!(report(threads) == one, "{rules} on {threads} threads");
        }
    }
}
