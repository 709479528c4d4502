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

// ---- statuses and missing values -----------------------------------------

#[test]
fn every_status() {
    let (code, report) = check_json("statuses.rules", &["region.csv"], &[]);
    assert_eq!(code, 1, "binding targets failed");
    assert_statuses!(report, {
        "达标" @ "甲市" => "pass",
        "未达标" @ "甲市" => "fail",
        "未到期" @ "甲市" => "pending",
        "缺数据" @ "甲市" => "missing",
        "零基数" @ "甲市" => "error",
        "除以零" @ "乙市" => "error",
        "且-已失败" @ "甲市" => "fail",
        "且-缺数据" @ "甲市" => "missing",
        "或-已达标" @ "甲市" => "pass",
        "或-缺数据" @ "甲市" => "missing",
        "非-缺数据" @ "甲市" => "missing",
        "缺数据算失败" @ "甲市" => "fail",
        "预期" @ "甲市" => "fail",
    });
    let failed = outcome(&report, "未达标", "甲市");
    assert_eq!(failed["actual"], "91%");
    assert_eq!(failed["target"], "≥ 95%");
    assert_eq!(failed["gap"], "差 4 个百分点");
    assert_eq!(failed["actual_value"], 0.91);
    assert_eq!(failed["target_value"], 0.95);
    assert_eq!(failed["years"], serde_json::json!([2024]));
    assert_eq!(failed["rule"]["source"], "一(2)");
    assert_eq!(failed["rule"]["owner"], "卫健委");
    assert_eq!(failed["rule"]["document"], "测试〔2024〕1号");
    assert_eq!(failed["rule"]["binding"], true);
    assert_eq!(outcome(&report, "预期", "甲市")["rule"]["binding"], false);

    let pending = outcome(&report, "未到期", "甲市");
    assert_eq!(pending["years"], serde_json::json!([2026]));
    assert_eq!(pending["detail"], "due 2026, checked as of 2024");
    assert_eq!(pending["progress"]["category"], "acceleration_needed");
    assert_eq!(pending["progress"]["current"], "91%");

    let error = outcome(&report, "零基数", "甲市");
    assert_eq!(
        error["detail"],
        "the base value in 2020 is 0, so a relative change is undefined"
    );
    assert_eq!(
        outcome(&report, "除以零", "乙市")["detail"],
        "division by zero"
    );

    let summary = &report["summary"];
    assert_eq!(summary["pass"], 2);
    assert_eq!(summary["fail"], 4);
    assert_eq!(summary["pending"], 1);
    assert_eq!(summary["missing"], 4);
    assert_eq!(summary["error"], 2);
    assert_eq!(summary["binding_failures"], 3);
    assert_eq!(summary["expected_failures"], 1);
}

#[test]
fn a_missing_value_is_named_and_is_neither_pass_nor_fail() {
    let (_, report) = check_json("statuses.rules", &["region.csv"], &[]);
    let gap = outcome(&report, "缺数据", "甲市");
    assert_eq!(missing(gap), ["床位数/甲市/2021"]);
    assert_eq!(gap["detail"], "no value of 床位数 for 甲市 in 2021");
    assert_eq!(gap["actual"], Value::Null);
    assert_eq!(gap["gap"], Value::Null);
    // `and`: nothing failed, one part unknown → missing, naming the part.
    assert_eq!(
        missing(outcome(&report, "且-缺数据", "甲市")),
        ["未上报指标/甲市/2024"]
    );
    // … but a judged part that failed decides.
    let failed = outcome(&report, "且-已失败", "甲市");
    assert!(missing(failed).is_empty());
    // `or`: a part that passed decides; else missing.
    assert!(missing(outcome(&report, "或-已达标", "甲市")).is_empty());
    assert_eq!(
        missing(outcome(&report, "或-缺数据", "甲市")),
        ["未上报指标/甲市/2024"]
    );
    assert_eq!(
        missing(outcome(&report, "非-缺数据", "甲市")),
        ["未上报指标/甲市/2024"]
    );
    assert_eq!(outcome(&report, "非-缺数据", "甲市")["target"], "not ≥ 1个");
    // `missing as fail` turns it into a failure and says why.
    let strict = outcome(&report, "缺数据算失败", "甲市");
    assert_eq!(missing(strict), ["未上报指标/甲市/2024"]);
    assert_eq!(
        strict["detail"],
        "no value of 未上报指标 for 甲市 in 2024; missing counts as a failure for this rule"
    );
}

// ---- time forms ------------------------------------------------------------

#[test]
fn time_forms_as_of_the_latest_year() {
    let (_, report) = check_json("timing.rules", &["region.csv"], &[]);
    assert_eq!(report["as_of"], 2024, "the latest year in the data");
    assert_statuses!(report, {
        "by" @ "甲市" => "pass",
        // A deadline is judged on its year alone, even when later years pass.
        "by-past" @ "甲市" => "fail",
        "in" @ "甲市" => "pass",
        "by-future" @ "甲市" => "pending",
        "every" @ "甲市" => "pass",
        "every-fail" @ "甲市" => "fail",
        "every-future" @ "甲市" => "pending",
        // A year already judged that fails fails the rule before it is due.
        "every-future-fail" @ "甲市" => "fail",
        "no-year" @ "甲市" => "pass",
        "since" @ "甲市" => "pending",
    });
    assert_eq!(
        outcome(&report, "by-past", "甲市")["years"],
        serde_json::json!([2022])
    );
    let every_fail = outcome(&report, "every-fail", "甲市");
    assert_eq!(
        every_fail["years"],
        serde_json::json!([2019, 2020, 2021, 2022, 2023, 2024])
    );
    assert_eq!(
        every_fail["actual"], "84%",
        "the first year that failed is shown"
    );
    assert_eq!(
        outcome(&report, "every-future-fail", "甲市")["years"],
        serde_json::json!([2022, 2023, 2024])
    );
    assert_eq!(
        outcome(&report, "no-year", "甲市")["years"],
        serde_json::json!([2024])
    );
    // `since` sets the base year of the progress measure.
    let since = &outcome(&report, "since", "甲市")["progress"];
    assert_eq!(since["base_year"], 2022);
    assert_eq!(since["base"], "89%");
    assert_eq!(
        outcome(&report, "by-future", "甲市")["progress"]["base_year"],
        2019
    );
}

#[test]
fn time_forms_with_an_earlier_as_of_year() {
    let (code, report) = check_json("timing.rules", &["region.csv"], &["--as-of", "2023"]);
    assert_eq!(report["as_of"], 2023);
    assert_eq!(code, 1);
    assert_statuses!(report, {
        "by" @ "甲市" => "pending",
        "by-past" @ "甲市" => "fail",
        "in" @ "甲市" => "pass",
        "by-future" @ "甲市" => "pending",
        "every" @ "甲市" => "pending",
        "every-fail" @ "甲市" => "fail",
        "every-future" @ "甲市" => "pending",
        "every-future-fail" @ "甲市" => "fail",
        // No year: judged on the as-of year; 2024's 91% is not seen.
        "no-year" @ "甲市" => "fail",
        "since" @ "甲市" => "pending",
    });
    let by = outcome(&report, "by", "甲市");
    assert_eq!(by["actual"], "90%", "the latest value up to the as-of year");
    assert_eq!(by["progress"]["category"], "met_early");
}

#[test]
fn time_forms_with_an_as_of_year_after_the_data() {
    let (_, report) = check_json("timing.rules", &["region.csv"], &["--as-of", "2026"]);
    assert_statuses!(report, {
        "by" @ "甲市" => "pass",
        "by-past" @ "甲市" => "fail",
        "in" @ "甲市" => "pass",
        "by-future" @ "甲市" => "missing",
        "every" @ "甲市" => "pass",
        "every-fail" @ "甲市" => "fail",
        "every-future" @ "甲市" => "missing",
        "every-future-fail" @ "甲市" => "fail",
        "no-year" @ "甲市" => "missing",
        "since" @ "甲市" => "missing",
    });
    assert_eq!(
        missing(outcome(&report, "every-future", "甲市")),
        ["县域就诊率/甲市/2025"]
    );
    assert_eq!(
        missing(outcome(&report, "by-future", "甲市")),
        ["县域就诊率/甲市/2026"]
    );
}

// ---- trends and steps -------------------------------------------------------

#[test]
fn trends_and_steps() {
    let (_, report) = check_json("trends.rules", &["region.csv"], &[]);
    assert_statuses!(report, {
        "rises" @ "甲市" => "pass",
        "period" @ "甲市" => "pass",
        "falls-fail" @ "甲市" => "fail",
        "never-rises" @ "甲市" => "pass",
        "never-falls" @ "甲市" => "pass",
        // 50% → 49.4% → 48.9%: steps of 0.6 and exactly 0.5 points.
        "step" @ "甲市" => "pass",
        "step-fail" @ "甲市" => "fail",
        // 100 → 105 → 110.25: exactly 5% a year.
        "relative" @ "甲市" => "pass",
        "relative-fail" @ "甲市" => "fail",
        "missing" @ "甲市" => "missing",
        // 2024 falls; 2022 is missing: the judged failure decides.
        "fail-and-missing" @ "甲市" => "fail",
    });
    let rises = outcome(&report, "rises", "甲市");
    assert_eq!(
        rises["actual"],
        "2021: 1 → 2022: 1.1 → 2023: 1.2 → 2024: 1.3"
    );
    assert_eq!(rises["target"], "逐年上升 (rises each year)");
    assert_eq!(rises["years"], serde_json::json!([2021, 2022, 2023, 2024]));
    assert_eq!(
        outcome(&report, "period", "甲市")["years"],
        rises["years"],
        "the document's period"
    );
    assert_eq!(
        outcome(&report, "step", "甲市")["target"],
        "每年降低 ≥ 0.5 个百分点"
    );
    assert_eq!(
        outcome(&report, "relative", "甲市")["target"],
        "每年提高 ≥ 5%"
    );
    let gap = outcome(&report, "missing", "甲市");
    assert_eq!(missing(gap), ["护士数/甲市/2022"]);
    assert_eq!(gap["actual"], "2021: 1 → 2022: — → 2023: 3 → 2024: 4");
    let fail_and_missing = outcome(&report, "fail-and-missing", "甲市");
    assert!(missing(fail_and_missing).is_empty());
    // The gap of a failed trend is its first failed step.
    assert_eq!(fail_and_missing["gap"], "2023→2024: 12 → 11");
    assert_eq!(
        outcome(&report, "falls-fail", "甲市")["gap"],
        "2022→2023: 9 → 9"
    );
    assert_eq!(
        outcome(&report, "step-fail", "甲市")["gap"],
        "2023→2024: 48.9% → 48.5%"
    );
    assert_eq!(
        outcome(&report, "relative-fail", "甲市")["gap"],
        "2022→2023: 100张 → 105张"
    );
}

// ---- functions over years and other entities --------------------------------

#[test]
fn functions_over_years_and_other_entities() {
    let (_, report) = check_json("functions.rules", &["region.csv"], &[]);
    assert_statuses!(report, {
        "change" @ "甲市" => "pass",
        "growth" @ "甲市" => "pass",
        // 100 → 146.41 over four years is exactly 10% a year.
        "cagr" @ "甲市" => "pass",
        "cagr-zero" @ "甲市" => "error",
        "growth-missing" @ "甲市" => "missing",
        "avg" @ "甲市" => "pass",
        "avg-missing" @ "甲市" => "missing",
        "sum" @ "甲市" => "pass",
        "min" @ "甲市" => "pass",
        "max" @ "甲市" => "fail",
        "at-year" @ "甲市" => "pass",
        "at-parent" @ "甲市" => "pass",
        "at-named" @ "甲市" => "pass",
        "at-root" @ "甲省" => "error",
        "at-unknown" @ "甲市" => "error",
    });
    assert_eq!(outcome(&report, "change", "甲市")["actual"], "6 个百分点");
    assert_eq!(outcome(&report, "growth", "甲市")["actual"], "-22%");
    assert_eq!(outcome(&report, "cagr", "甲市")["actual"], "10%");
    assert_eq!(outcome(&report, "avg", "甲市")["actual"], "105");
    assert_eq!(
        missing(outcome(&report, "growth-missing", "甲市")),
        ["产值/甲市/2019"]
    );
    assert_eq!(
        missing(outcome(&report, "avg-missing", "甲市")),
        ["指标003/甲市/2024"]
    );
    assert_eq!(outcome(&report, "max", "甲市")["gap"], "等于目标值");
    let parent = outcome(&report, "at-parent", "甲市");
    assert_eq!(
        parent["actual"], "150/10万",
        "1.5‰ in the data, shown in the rule's unit"
    );
    assert_eq!(parent["target"], "< 200/10万");
    assert_eq!(
        outcome(&report, "at-root", "甲省")["detail"],
        "甲省 has no 上级 in the data"
    );
    assert_eq!(
        outcome(&report, "at-unknown", "甲市")["detail"],
        "entity `丁市` is not in the data; did you mean `甲市`?"
    );
}

// ---- aggregates over entities and scopes ------------------------------------

#[test]
fn aggregates_over_entities_and_scopes() {
    let (_, report) = check_json("entities.rules", &["region.csv"], &[]);
    assert_statuses!(report, {
        "share" @ "甲市" => "pass",
        "share-where" @ "甲市" => "pass",
        "share-no-data" @ "甲市" => "missing",
        "avg" @ "甲市" => "pass",
        "max" @ "甲市" => "pass",
        "min" @ "甲市" => "fail",
        "count" @ "甲市" => "pass",
        "all" @ "甲市" => "pass",
        "all-fail" @ "甲市" => "fail",
        "any" @ "甲市" => "pass",
        "tier" @ "甲省" => "pass",
        "each-child" @ "甲区" => "fail",
        "each-child" @ "乙区" => "pass",
        "each-child" @ "丙区" => "missing",
        "each-tier" @ "甲区" => "pass",
        "each-tier" @ "乙区" => "fail",
        "each-tier" @ "丙区" => "missing",
        "each-city" @ "甲市" => "pass",
        // 乙市 has no counties: the share of an empty set is undefined.
        "each-city" @ "乙市" => "error",
        // Without `under`, a tier stays inside the file's scope 甲市, which
        // is itself a 市级: 乙市 is not checked.
        "each-city-in-scope" @ "甲市" => "pass",
        "share-every" @ "甲市" => "pass",
    });
    let in_scope: Vec<&Value> = outcomes(&report)
        .iter()
        .filter(|outcome| outcome["rule"]["name"] == "each-city-in-scope")
        .collect();
    assert_eq!(in_scope.len(), 1, "{in_scope:?}");
    // Over several years, the coverage says which year.
    assert_eq!(
        outcome(&report, "share-every", "甲市")["detail"],
        "1 of 3 in 下级 had data in 2023; 2 of 3 in 下级 had data in 2024"
    );
    // 丙区 has no 2024 value: skipped, and the coverage says so.
    let share = outcome(&report, "share", "甲市");
    assert_eq!(share["actual"], "50%");
    assert_eq!(share["detail"], "2 of 3 in 下级 had data");
    assert_eq!(
        share["coverage"],
        serde_json::json!([{"set": "下级", "year": 2024, "with_data": 2, "total": 3}])
    );
    assert_eq!(outcome(&report, "avg", "甲市")["actual"], "90%");
    assert_eq!(
        outcome(&report, "tier", "甲省")["detail"],
        "2 of 3 in 县级 had data"
    );
    let where_clause = outcome(&report, "share-where", "甲市");
    assert_eq!(
        where_clause["coverage"],
        serde_json::json!([{"set": "下属 where 类型 == \"卫生院\"", "year": 2024, "with_data": 2, "total": 2}])
    );
    let none = outcome(&report, "share-no-data", "甲市");
    assert_eq!(missing(none), ["县域就诊率/乙区卫生院/2024"]);
    assert_eq!(outcome(&report, "count", "甲市")["actual"], "2个");
    assert_eq!(outcome(&report, "each-child", "甲区")["gap"], "差 60/10万");
    assert_eq!(
        outcome(&report, "each-city", "乙市")["detail"],
        "`县级` has no members"
    );
}

// ---- arithmetic, ranges, ≈, grades -------------------------------------------

#[test]
fn arithmetic_ranges_and_grades() {
    let (_, report) = check_json("values.rules", &["region.csv"], &[]);
    assert_statuses!(report, {
        "ratio" @ "甲市" => "pass",
        "plus" @ "甲市" => "pass",
        "times" @ "甲市" => "pass",
        "between" @ "甲市" => "fail",
        "between-pass" @ "甲市" => "pass",
        "approx" @ "甲市" => "pass",
        "approx-fail" @ "甲市" => "fail",
        "approx-default" @ "甲市" => "pass",
        "grade" @ "甲区医院" => "pass",
        "grade-fail" @ "丙区卫生院" => "fail",
        "rate" @ "甲市" => "pass",
    });
    assert_eq!(outcome(&report, "ratio", "甲市")["actual"], "38%");
    assert_eq!(outcome(&report, "plus", "甲市")["actual"], "120.25张");
    let between = outcome(&report, "between", "甲市");
    assert_eq!(between["target"], "1家 – 2家");
    assert_eq!(between["gap"], "差 1家");
    assert_eq!(
        outcome(&report, "approx", "甲市")["target"],
        "≈ 60% ± 2 个百分点"
    );
    assert_eq!(
        outcome(&report, "approx-fail", "甲市")["gap"],
        "差 1 个百分点"
    );
    assert_eq!(
        outcome(&report, "approx-default", "甲市")["target"],
        "≈ 1.25 ± 0.0625"
    );
    let grade = outcome(&report, "grade-fail", "丙区卫生院");
    assert_eq!(grade["actual"], "一级");
    assert_eq!(grade["target"], "≥ 二级甲等");
    assert_eq!(grade["gap"], "差 2 级");
    assert_eq!(outcome(&report, "rate", "甲市")["actual"], "4.5张/千人");
}

// ---- units and data files ------------------------------------------------------

#[test]
fn unit_conversions_between_notations() {
    let (_, report) = check_json("units.rules", &["units-wide.csv", "units-long.csv"], &[]);
    assert_statuses!(report, {
        // Header `孕产妇死亡率(‰)`: 0.16‰ is 16/10万.
        "header-permille" @ "甲市" => "fail",
        "header-permille-pass" @ "甲市" => "pass",
        // Cells with their own units: 480/10万 is 4.8‰; 5.5‰.
        "cell-per-100k" @ "甲市" => "pass",
        "cell-permille" @ "甲市" => "fail",
        "thousands-separator" @ "甲市" => "pass",
        "header-percent" @ "甲市" => "pass",
        "ratio-cell" @ "甲市" => "pass",
        "header-money" @ "甲市" => "pass",
        // A `单位` column: 7‰ against 0.7% (equal), 0.0145% against 14.5/10万.
        "unit-column-permille" @ "甲市" => "pass",
        "unit-column-percent" @ "甲市" => "pass",
        "unit-column-scaled" @ "甲市" => "pass",
        // A bare cell is in the indicator's declared unit.
        "bare-cell" @ "甲市" => "pass",
    });
    let header = outcome(&report, "header-permille", "甲市");
    assert_eq!(header["actual"], "16/10万");
    assert_eq!(header["gap"], "差 1.5/10万");
    assert_eq!(outcome(&report, "cell-per-100k", "甲市")["actual"], "4.8‰");
    assert_eq!(
        outcome(&report, "header-money", "甲市")["actual"],
        "21.74亿元"
    );
    assert_eq!(outcome(&report, "ratio-cell", "甲市")["actual"], "1:1.25");
    assert_eq!(
        outcome(&report, "unit-column-permille", "甲市")["actual"],
        "7‰"
    );
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zhibiao-check-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn a_gbk_file_checks_like_its_utf8_original() {
    let text = std::fs::read_to_string(root().join("tests/check/region.csv")).unwrap();
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "really GBK, not UTF-8"
    );
    let dir = temp_dir("gbk");
    let gbk = dir.join("region-gbk.csv");
    std::fs::write(&gbk, &bytes).unwrap();

    let (code, utf8) = check_json("statuses.rules", &["region.csv"], &[]);
    let output = zhibiao(&[
        "check",
        "tests/check/statuses.rules",
        "--data",
        gbk.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(code));
    let from_gbk: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(statuses(&from_gbk), statuses(&utf8));
    assert_eq!(from_gbk["summary"], utf8["summary"]);
    // Forcing the encoding works too; forcing the wrong one is a diagnostic.
    let forced = zhibiao(&[
        "check",
        "tests/check/statuses.rules",
        "--data",
        gbk.to_str().unwrap(),
        "--encoding",
        "gbk",
    ]);
    assert_eq!(forced.status.code(), Some(code));
    let wrong = zhibiao(&[
        "check",
        "tests/check/statuses.rules",
        "--data",
        gbk.to_str().unwrap(),
        "--encoding",
        "utf-8",
    ]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("data-encoding"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn byte_order_mark_crlf_full_width_digits_and_missing_markers() {
    let dir = temp_dir("messy");
    let data = dir.join("messy.csv");
    std::fs::write(
        &data,
        "\u{feff}地区,年份,指标,值\r\n\
         甲市,２０２４,县域就诊率,９１．５％\r\n\
         甲市,2023,县域就诊率,无数据\r\n\
         甲市,2022,县域就诊率,—\r\n\
         甲市,2021,县域就诊率,NA\r\n\
         甲市,2020,县域就诊率,-\r\n",
    )
    .unwrap();
    let rules = dir.join("messy.rules");
    std::fs::write(
        &rules,
        "scope 甲市\nindicator 县域就诊率: %\n\
         rule \"2024\" 县域就诊率 >= 91.5% in 2024\n\
         rule \"2020-2023\" 县域就诊率 >= 80% from 2020 to 2023\n",
    )
    .unwrap();
    let output = zhibiao(&[
        "check",
        rules.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--format",
        "json",
    ]);
    // The 2020-2023 values are all missing markers: exit 3, not a pass.
    assert_eq!(
        output.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_statuses!(report, {
        "2024" @ "甲市" => "pass",
        "2020-2023" @ "甲市" => "missing",
    });
    assert_eq!(
        missing(outcome(&report, "2020-2023", "甲市")),
        ["县域就诊率/甲市/2020"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `check` on a bad data file: exit 2, nothing checked, and each diagnostic
/// names the file, line and column.
fn bad_data(file: &str) -> String {
    let data = fixture(file);
    let output = zhibiao(&["check", "tests/check/exit-clean.rules", "--data", &data]);
    assert_eq!(output.status.code(), Some(2), "{file}");
    assert!(output.stdout.is_empty(), "nothing is checked");
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn bad_data_files_give_diagnostics_with_file_line_and_column() {
    let stderr = bad_data("bad-number.csv");
    assert!(stderr.contains("data-bad-number"), "{stderr}");
    assert!(
        stderr.contains("[tests/check/bad-number.csv:3:13]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("expected a number, found `1.2.3`"),
        "{stderr}"
    );
    assert!(stderr.contains("error: the data has 1 error; nothing was checked"));

    let stderr = bad_data("bad-unit.csv");
    assert!(stderr.contains("data-unknown-unit"), "{stderr}");
    assert!(
        stderr.contains("[tests/check/bad-unit.csv:3:13]"),
        "{stderr}"
    );
    assert!(stderr.contains("unknown unit `床位`"), "{stderr}");

    let stderr = bad_data("bad-duplicate.csv");
    assert!(stderr.contains("data-duplicate"), "{stderr}");
    assert!(
        stderr.contains("[tests/check/bad-duplicate.csv:4:15]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("given twice: `91%` on line 2 and `92%` on line 4"),
        "{stderr}"
    );

    let stderr = bad_data("bad-cycle.csv");
    assert!(stderr.contains("data-cycle"), "{stderr}");
    assert!(
        stderr.contains("[tests/check/bad-cycle.csv:2:4]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`甲区` → `乙区` → `丙区` → `甲区`"),
        "{stderr}"
    );
}

#[test]
fn a_parent_without_rows_is_created_with_a_warning() {
    let output = zhibiao(&[
        "check",
        "tests/check/exit-clean.rules",
        "--data",
        "tests/check/orphan-parent.csv",
        "--format",
        "json",
    ]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("data-parent-created"), "{stderr}");
    assert!(
        stderr.contains("[tests/check/orphan-parent.csv:2:4]"),
        "{stderr}"
    );
    assert!(stderr.contains("`甲市` is a parent but has no rows of its own"));
    // The check runs: 甲市 exists, with 甲区 and 乙区 below it; its own
    // value is missing, so the run exits 3.
    assert_eq!(output.status.code(), Some(3));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        outcome(&report, "县域就诊率 >= 90%", "甲市")["status"],
        "missing"
    );
}

// ---- exit codes and options ---------------------------------------------------

#[test]
fn exit_codes() {
    let run = |args: &[&str]| zhibiao(args).status.code();
    let data = "tests/check/region.csv";
    // Missing and undefined values fail nothing, but they are not passes:
    // the run says some binding target could not be judged.
    assert_eq!(
        run(&["check", "tests/check/exit-clean.rules", "--data", data]),
        Some(3)
    );
    // An expected target that fails fails only with --strict.
    assert_eq!(
        run(&["check", "tests/check/exit-expected.rules", "--data", data]),
        Some(0)
    );
    assert_eq!(
        run(&[
            "check",
            "tests/check/exit-expected.rules",
            "--data",
            data,
            "--strict"
        ]),
        Some(1)
    );
    // A binding target that fails.
    assert_eq!(
        run(&["check", "tests/check/statuses.rules", "--data", data]),
        Some(1)
    );
    // Errors in rules or data: nothing is checked.
    let bad_rules = zhibiao(&["check", "tests/check/exit-bad.rules", "--data", data]);
    assert_eq!(bad_rules.status.code(), Some(2));
    assert!(bad_rules.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&bad_rules.stderr);
    assert!(stderr.contains("unknown-indicator") && stderr.contains("nothing was checked"));
    assert_eq!(
        run(&[
            "check",
            "tests/check/exit-clean.rules",
            "--data",
            "tests/check/bad-number.csv"
        ]),
        Some(2)
    );
    assert_eq!(
        run(&[
            "check",
            "tests/check/exit-clean.rules",
            "--data",
            "tests/check/no-such.csv"
        ]),
        Some(2)
    );
    assert_eq!(
        run(&["check", "tests/check/no-such.rules", "--data", data]),
        Some(2)
    );
    // A bad option.
    assert_eq!(
        run(&[
            "check",
            "tests/check/exit-clean.rules",
            "--data",
            data,
            "--status",
            "bogus"
        ]),
        Some(2)
    );
}

#[test]
fn the_expected_table_marks_expected_targets() {
    let output = zhibiao(&[
        "check",
        "tests/check/exit-expected.rules",
        "--data",
        "tests/check/region.csv",
    ]);
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(table.contains("力争 (预期)"), "{table}");
    assert!(
        table.contains("(1 of the failures is an expected target)"),
        "{table}"
    );
}

#[test]
fn status_filter_shows_some_but_the_exit_code_counts_all() {
    let (code, report) = check_json(
        "statuses.rules",
        &["region.csv"],
        &["--status", "pass,missing"],
    );
    assert_eq!(code, 1, "failures hidden from view still fail the run");
    let shown: Vec<&str> = outcomes(&report)
        .iter()
        .map(|o| o["status"].as_str().unwrap())
        .collect();
    assert_eq!(shown.len(), 6);
    assert!(shown
        .iter()
        .all(|status| matches!(*status, "pass" | "missing")));
    assert_eq!(
        report["summary"]["fail"], 4,
        "the summary counts every outcome checked"
    );

    let (code, report) = check_json("statuses.rules", &["region.csv"], &["--status", "未达标"]);
    assert_eq!(code, 1);
    assert_eq!(outcomes(&report).len(), 4, "Chinese status names work too");

    let output = zhibiao(&[
        "check",
        "tests/check/statuses.rules",
        "--data",
        "tests/check/region.csv",
        "--status",
        "pending",
    ]);
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(table.contains("13 outcomes as of 2024: 4 未达标 fail, 2 错误 error, 4 缺数据 missing, 1 未到期 pending, 2 达标 pass (1 of the failures is an expected target)\nexit 1: 3 binding targets missed; 6 binding targets could not be judged\n(1 shown after filters)\n"), "{table}");
}

#[test]
fn entity_filter_narrows_the_check() {
    let (code, report) = check_json("entities.rules", &["region.csv"], &["--entity", "乙区"]);
    assert_eq!(code, 1);
    assert_statuses!(report, {
        "each-child" @ "乙区" => "pass",
        "each-tier" @ "乙区" => "fail",
    });
    assert_eq!(report["summary"]["pass"], 1);
    assert_eq!(report["summary"]["fail"], 1);

    let (code, _) = check_json("entities.rules", &["region.csv"], &["--entity", "甲区"]);
    assert_eq!(code, 1);
    let (code, _) = check_json("entities.rules", &["region.csv"], &["--entity", "丙区"]);
    assert_eq!(code, 3, "丙区 only misses data: not judged");

    let output = zhibiao(&[
        "check",
        "tests/check/entities.rules",
        "--data",
        "tests/check/region.csv",
        "--entity",
        "乙区卫生所",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: no entity `乙区卫生所` in the data; did you mean `乙区卫生院`?\n"
    );
}

#[test]
fn progress_filter() {
    let (_, report) = check_json(
        "timing.rules",
        &["region.csv"],
        &["--progress", "acceleration-needed"],
    );
    let names: Vec<&str> = outcomes(&report)
        .iter()
        .map(|o| o["rule"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["by-future", "since"]);
    let (_, report) = check_json("timing.rules", &["region.csv"], &["--progress", "提前达标"]);
    let names: Vec<&str> = outcomes(&report)
        .iter()
        .map(|o| o["rule"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["every-future"]);
}

#[test]
fn group_by() {
    let table = |group: &str| {
        let output = zhibiao(&[
            "check",
            "tests/check/entities.rules",
            "--data",
            "tests/check/region.csv",
            "--group-by",
            group,
            "--status",
            "fail,missing,error",
        ]);
        String::from_utf8(output.stdout).unwrap()
    };
    let by_entity = table("entity");
    for entity in ["甲市", "甲区", "乙区", "丙区", "乙市"] {
        assert!(
            by_entity.contains(&format!("\n── {entity}\n")),
            "{entity}:\n{by_entity}"
        );
    }
    let by_rule = table("rule");
    assert!(
        by_rule.contains("\n── each-tier (tests/check/entities.rules:"),
        "{by_rule}"
    );
    let by_owner = table("owner");
    assert!(by_owner.contains("\n── (no owner)\n"), "{by_owner}");
    let by_document = table("document");
    assert!(
        by_document.contains("\n── tests/check/entities.rules\n"),
        "{by_document}"
    );
    insta::assert_snapshot!("group-by-entity", by_entity);
}

// ---- the JSON report -------------------------------------------------------------

#[test]
fn json_schema() {
    for (rules, data) in [
        ("statuses.rules", "region.csv"),
        ("timing.rules", "region.csv"),
        ("trends.rules", "region.csv"),
        ("functions.rules", "region.csv"),
        ("entities.rules", "region.csv"),
        ("values.rules", "region.csv"),
    ] {
        let (_, report) = check_json(rules, &[data], &[]);
        assert_eq!(report["schema"], 1);
        assert_eq!(report["as_of"], 2024);
        let mut counted = BTreeMap::<String, u64>::new();
        for outcome in outcomes(&report) {
            let rule = &outcome["rule"];
            assert!(
                rule["name"].as_str().is_some_and(|name| !name.is_empty()),
                "{outcome}"
            );
            assert!(
                rule["text"]
                    .as_str()
                    .is_some_and(|text| text.starts_with("rule ")),
                "{outcome}"
            );
            assert_eq!(rule["file"], format!("tests/check/{rules}"));
            assert!(rule["line"].as_u64().is_some_and(|line| line > 0));
            assert!(rule["binding"].is_boolean());
            assert!(outcome["entity"]
                .as_str()
                .is_some_and(|entity| !entity.is_empty()));
            let status = outcome["status"].as_str().expect("status");
            assert!(
                matches!(status, "pass" | "fail" | "pending" | "missing" | "error"),
                "{status}"
            );
            *counted.entry(status.to_string()).or_default() += 1;
            let years = outcome["years"].as_array().expect("years");
            assert!(years.iter().all(|year| year
                .as_i64()
                .is_some_and(|year| (1900..=2200).contains(&year))));
            match status {
                "missing" => {
                    let gaps = outcome["missing"]
                        .as_array()
                        .expect("a missing outcome names what");
                    assert!(!gaps.is_empty());
                    for gap in gaps {
                        assert!(
                            gap["indicator"].is_string()
                                && gap["entity"].is_string()
                                && gap["year"].is_i64()
                        );
                    }
                    assert!(outcome["detail"]
                        .as_str()
                        .is_some_and(|detail| detail.starts_with("no value of ")));
                }
                "error" => assert!(outcome["detail"].is_string(), "an error is explained"),
                "pending" => assert_eq!(years.len(), 1, "a pending outcome gives its deadline"),
                _ => {}
            }
        }
        for status in ["pass", "fail", "pending", "missing", "error"] {
            assert_eq!(
                report["summary"][status].as_u64().unwrap(),
                counted.get(status).copied().unwrap_or(0),
                "{rules}: summary of {status}"
            );
        }
    }
}

#[test]
fn library_and_binary_agree() {
    let text = std::fs::read_to_string(root().join("tests/check/units.rules")).unwrap();
    let program = zhibiao::compile(&text, "tests/check/units.rules").unwrap();
    let mut loader = zhibiao::data::Loader::new(zhibiao::data::LoadOptions::default());
    loader.add_path(&root().join("tests/check/units-wide.csv"));
    loader.add_path(&root().join("tests/check/units-long.csv"));
    let (data, warnings) = loader.finish().expect("the data loads");
    assert!(warnings.is_empty());
    let report = program.check(&data, &zhibiao::CheckOptions::default());
    let from_library: Value = serde_json::from_str(&zhibiao::report::json(&report)).unwrap();
    let (_, from_binary) = check_json("units.rules", &["units-wide.csv", "units-long.csv"], &[]);
    assert_eq!(statuses(&from_library), statuses(&from_binary));
    assert_eq!(from_library["summary"], from_binary["summary"]);
}

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

// ---- the tiers example of LANGUAGE.md, end to end -----------------------------

#[test]
fn the_tiers_example_checks_end_to_end() {
    // Tiers by depth in the tree (no 级别 column): 全国 > 省级 > 市级 > 县级.
    let (code, report) = check_json("../language/tiers-example.rules", &["tiers.csv"], &[]);
    assert_eq!(code, 1);
    assert_eq!(report["as_of"], 2025);
    let rule = |line: u64| {
        outcomes(&report)
            .iter()
            .filter(move |outcome| outcome["rule"]["line"] == line)
            .map(|outcome| {
                format!(
                    "{} {}",
                    outcome["entity"].as_str().unwrap(),
                    outcome["status"].as_str().unwrap()
                )
            })
            .collect::<Vec<_>>()
    };
    // `scope each 县级 under 山东省`: the two counties of 日照市.
    assert_eq!(rule(9), ["东港区 pass", "岚山区 fail"]);
    assert_eq!(
        rule(10),
        ["东港区 pass", "岚山区 fail"],
        "never falls 2016–2025"
    );
    assert_eq!(rule(11), ["东港区 pass", "岚山区 fail"], "growth <= -20%");
    assert_eq!(
        rule(12),
        ["东港区 pass", "岚山区 missing"],
        "avg over 2021..2025"
    );
    // `for each 省级`: every province, over its counties.
    assert_eq!(rule(13), ["山东省 fail", "四川省 pass"]);
    // `for each 县级`: every county in the data, against its city.
    assert_eq!(rule(14), ["东港区 pass", "岚山区 fail", "武侯区 missing"]);
    let growth = outcome(&report, "growth(婴儿死亡率, 2020..2025) <= -20%", "岚山区");
    assert_eq!(growth["actual"], "-10%");
    assert_eq!(growth["gap"], "差 10 个百分点");
    let never = outcome(&report, "每千人口床位数 never falls", "岚山区");
    assert_eq!(never["gap"], "2019→2020: 4.3张/千人 → 4.2张/千人");
    let share = outcome(&report, "share(县级, 县域就诊率 >= 90%) >= 75%", "山东省");
    assert_eq!(share["actual"], "50%");
    assert_eq!(share["gap"], "差 25 个百分点");
    // The parent's value is the one missing.
    let parent = outcome(&report, "孕产妇死亡率 < 孕产妇死亡率 @ 上级", "武侯区");
    assert_eq!(missing(parent), ["孕产妇死亡率/成都市/2025"]);
    assert_eq!(
        outcome(&report, "孕产妇死亡率 < 孕产妇死亡率 @ 上级", "岚山区")["actual"],
        "12/10万",
        "0.12‰ in the data"
    );
}

#[test]
fn the_default_tolerance_of_approx_is_the_runs() {
    // `病例组合指数 ≈ 1.25` with 1.3 in the data: within 5%, not within 1%.
    let (_, report) = check_json("values.rules", &["region.csv"], &["--tolerance", "1"]);
    let default = outcome(&report, "approx-default", "甲市");
    assert_eq!(default["status"], "fail");
    assert_eq!(default["target"], "≈ 1.25 ± 0.0125");
    assert_eq!(default["gap"], "差 0.0375");
    // A tolerance written in the rule is not the run's to change.
    assert_eq!(outcome(&report, "approx", "甲市")["status"], "pass");
    let (_, report) = check_json("values.rules", &["region.csv"], &["--tolerance", "10"]);
    assert_eq!(
        outcome(&report, "approx-default", "甲市")["target"],
        "≈ 1.25 ± 0.125"
    );
}
