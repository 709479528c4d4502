//! Progress toward targets not yet due: a rule file with `by 2030`
//! targets and multi-year data yields every category, through the binary.

use std::process::Command;

use serde_json::Value;

fn check_json(args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the report is JSON")
}

fn progress_of<'a>(report: &'a Value, rule: &str) -> &'a Value {
    report["outcomes"]
        .as_array()
        .expect("outcomes")
        .iter()
        .find(|outcome| outcome["rule"]["name"] == rule)
        .unwrap_or_else(|| panic!("no outcome for {rule}"))
        .get("progress")
        .unwrap_or_else(|| panic!("{rule} has no progress"))
}

#[test]
fn every_category_from_a_2030_rule_file() {
    let report = check_json(&[
        "tests/progress/targets.rules",
        "--data",
        "tests/progress/data.csv",
    ]);
    assert_eq!(report["as_of"], 2024);
    let expected = [
        ("met early", "met_early", "提前达标"),
        ("on track", "on_track", "进度正常"),
        ("acceleration needed", "acceleration_needed", "需要加快"),
        ("limited progress", "limited_progress", "进展有限"),
        ("deterioration", "deterioration", "出现倒退"),
        ("one year of data", "unknown", "无法评估"),
        ("lower is better", "on_track", "进度正常"),
        ("a range", "unknown", "无法评估"),
        ("since a base year", "acceleration_needed", "需要加快"),
    ];
    for (rule, category, chinese) in expected {
        let progress = progress_of(&report, rule);
        assert_eq!(progress["category"], category, "{rule}: {progress}");
        assert_eq!(progress["category_zh"], chinese, "{rule}");
    }
    for outcome in report["outcomes"].as_array().unwrap() {
        assert_eq!(outcome["status"], "pending");
    }
}

#[test]
fn figures_are_the_published_formula_in_the_rules_unit() {
    let report = check_json(&[
        "tests/progress/targets.rules",
        "--data",
        "tests/progress/data.csv",
    ]);
    let progress = progress_of(&report, "acceleration needed");
    // CAGR_a = (69.58/60)^(1/6) - 1, CAGR_r = (90/60)^(1/12) - 1.
    let actual = (69.58f64 / 60.0).powf(1.0 / 6.0) - 1.0;
    let required = 1.5f64.powf(1.0 / 12.0) - 1.0;
    let close = |value: &Value, expected: f64| (value.as_f64().unwrap() - expected).abs() < 1e-9;
    assert!(close(&progress["actual_growth"], actual));
    assert!(close(&progress["required_growth"], required));
    assert!(close(&progress["ratio"], actual / required));
    assert_eq!(progress["base_year"], 2018);
    assert_eq!(progress["current_year"], 2024);
    assert_eq!(progress["base"], "60%");
    assert_eq!(progress["current"], "69.58%");
    let since = progress_of(&report, "since a base year");
    assert_eq!(since["base_year"], 2020);
    let range = progress_of(&report, "a range");
    assert!(range["reason"].as_str().unwrap().contains("no direction"));
    // The document's baseline 2018 is the base year, and it has no value.
    let single = progress_of(&report, "one year of data");
    assert_eq!(single["reason"], "no value in the base year 2018");
}

#[test]
fn thresholds_are_configurable_and_categories_filter() {
    let strict = check_json(&[
        "tests/progress/targets.rules",
        "--data",
        "tests/progress/data.csv",
        "--on-track",
        "1.05",
    ]);
    assert_eq!(
        progress_of(&strict, "on track")["category"],
        "acceleration_needed"
    );
    let filtered = check_json(&[
        "tests/progress/targets.rules",
        "--data",
        "tests/progress/data.csv",
        "--progress",
        "deterioration,limited-progress",
    ]);
    let names: Vec<&str> = filtered["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|outcome| outcome["rule"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["limited progress", "deterioration"]);
}

#[test]
fn the_progress_function_returns_the_ratio() {
    let rules =
        "scope 示例市\nindicator 参与率: %\nrule progress(参与率, 90%, 2030) >= 0.95 by 2030\n";
    let program = zhibiao::compile(rules, "progress.rules").expect("compiles");
    let data = zhibiao::data::Dataset::from_csv_path("tests/progress/data.csv").expect("loads");
    let report = program.check(&data, &zhibiao::CheckOptions::default());
    let outcome = &report.outcomes[0];
    let ratio = (69.58f64 / 60.0).powf(1.0 / 6.0) - 1.0;
    let ratio = ratio / (1.5f64.powf(1.0 / 12.0) - 1.0);
    assert!(
        (outcome.actual_value.unwrap() - ratio).abs() < 1e-9,
        "{outcome:?}"
    );
}
