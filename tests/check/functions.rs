//! `zhibiao check`: functions over years and other entities, aggregates over entities and scopes, arithmetic, ranges, `≈` and grades.

use super::*;

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
