//! `zhibiao check`: every status, and a missing value named rather than judged.

use super::*;

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
