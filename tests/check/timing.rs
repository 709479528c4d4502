//! `zhibiao check`: the time forms (`by`, `in`, `from … to`, `since`) as of different years.

use super::*;

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
