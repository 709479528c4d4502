//! `zhibiao check`: trends and yearly steps.

use super::*;

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
    // The gap of a failed trend names every failed step.
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
        "2022→2023: 100张 → 105张; 2023→2024: 105张 → 110.25张"
    );
}
