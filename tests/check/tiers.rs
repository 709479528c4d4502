//! `zhibiao check`: the tiers example of the design brief, end to end, and the default tolerance of `≈`.

use super::*;

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
    // The gap at the precision of the values compared (two decimals).
    assert_eq!(default["gap"], "差 0.04");
    // A tolerance written in the rule is not the run's to change.
    assert_eq!(outcome(&report, "approx", "甲市")["status"], "pass");
    let (_, report) = check_json("values.rules", &["region.csv"], &["--tolerance", "10"]);
    assert_eq!(
        outcome(&report, "approx-default", "甲市")["target"],
        "≈ 1.25 ± 0.125"
    );
}
