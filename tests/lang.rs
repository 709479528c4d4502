//! Targets measured against peers and benchmarks, through the binary:
//! `rank`, `top`, `同级`, `TIER under ENTITY`, `better than`, `not worse
//! than`, `benchmark`, `group`, year-on-year `growth`, per-person-per-day
//! units, a measure word on a rate, and several `document` blocks in a file.
//! Each fixture in `tests/lang/` comes with data whose outcomes are worked
//! out by hand below.

use std::process::Command;

use serde_json::Value;

fn check_json(rules: &str, data: &str) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(["check", rules, "--data", data, "--format", "json"])
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "binding failures exit 1: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the report is JSON")
}

fn outcomes(report: &Value) -> &Vec<Value> {
    report["outcomes"].as_array().expect("outcomes")
}

fn outcome<'a>(report: &'a Value, rule: &str, entity: &str) -> &'a Value {
    outcomes(report)
        .iter()
        .find(|outcome| outcome["rule"]["name"] == rule && outcome["entity"] == entity)
        .unwrap_or_else(|| panic!("no outcome of {rule} for {entity}"))
}

fn peers() -> Value {
    check_json("tests/lang/peers.rules", "tests/lang/peers.csv")
}

/// Every outcome of the fixture, as (rule, entity, status).
#[test]
fn every_outcome_of_the_peer_rules() {
    let report = peers();
    let expected = [
        // 县级医院服务能力: 临安 95, 诸暨 90, 上虞 85, 嵊州 85, 桐庐 70, 新昌 none.
        ("前二", "临安区", "pass"),
        ("前二", "诸暨市", "pass"),
        ("前二", "上虞区", "fail"),
        ("前二", "嵊州市", "fail"),
        ("前二", "桐庐县", "fail"),
        ("前二", "新昌县", "missing"),
        // 婴儿死亡率, lower better: 宁波 1.8, 杭州 2.0, 绍兴 2.5; half of 3 is 2 places.
        ("前半", "宁波市", "pass"),
        ("前半", "杭州市", "pass"),
        ("前半", "绍兴市", "fail"),
        // Against 浙江省's 2.2‰.
        ("好于全省", "杭州市", "pass"),
        ("好于全省", "宁波市", "pass"),
        ("好于全省", "绍兴市", "fail"),
        // The average of 绍兴市's counties with data: (90 + 85 + 85) / 3.
        ("不低于同级平均", "诸暨市", "pass"),
        ("不低于同级平均", "上虞区", "fail"),
        ("不低于同级平均", "嵊州市", "fail"),
        ("不低于同级平均", "新昌县", "missing"),
        // benchmark 81岁.
        ("高收入国家水平", "杭州市", "pass"),
        ("高收入国家水平", "宁波市", "pass"),
        ("高收入国家水平", "绍兴市", "fail"),
        // 2024 against 2020, each in its own direction; one member fails.
        ("主要指标进步: 人均预期寿命", "绍兴市", "pass"),
        ("主要指标进步: 婴儿死亡率", "绍兴市", "pass"),
        ("主要指标进步: 孕产妇死亡率", "绍兴市", "fail"),
        ("主要指标进步", "绍兴市", "fail"),
        // growth 2022..2024 — 绍兴: 10%, 7.27%, 5.93%; 宁波: 4.17%, 8%, 7.41%.
        ("增速放缓", "绍兴市", "pass"),
        ("增速放缓", "杭州市", "pass"),
        ("增速放缓", "宁波市", "fail"),
        // Two groups taken member by member: 80.9岁 < 81岁 fails.
        ("达到高收入国家水平: 人均预期寿命", "绍兴市", "fail"),
        ("达到高收入国家水平: 婴儿死亡率", "绍兴市", "pass"),
        ("达到高收入国家水平: 孕产妇死亡率", "绍兴市", "pass"),
        ("达到高收入国家水平", "绍兴市", "fail"),
        ("控盐", "绍兴市", "pass"),
        ("医师", "绍兴市", "pass"),
    ];
    for (rule, entity, status) in expected {
        assert_eq!(
            outcome(&report, rule, entity)["status"],
            status,
            "{rule} for {entity}"
        );
    }
    assert_eq!(outcomes(&report).len(), expected.len(), "no other outcomes");
}

#[test]
fn ties_share_the_best_rank_and_members_without_data_are_counted() {
    let report = peers();
    for (entity, rank) in [
        ("临安区", 1.0),
        ("诸暨市", 2.0),
        ("上虞区", 3.0),
        ("嵊州市", 3.0),
        ("桐庐县", 5.0),
    ] {
        let outcome = outcome(&report, "前二", entity);
        assert_eq!(outcome["actual_value"], rank, "{entity}");
        assert_eq!(
            outcome["coverage"][0],
            serde_json::json!({"set": "县级 under 浙江省", "year": 2024, "with_data": 5, "total": 6}),
            "{entity}"
        );
        assert!(
            outcome["detail"]
                .as_str()
                .is_some_and(|detail| detail.contains("5 of 6 in 县级 under 浙江省 had data")),
            "{entity}: {}",
            outcome["detail"]
        );
    }
    let unranked = outcome(&report, "前二", "新昌县");
    assert_eq!(unranked["missing"][0]["entity"], "新昌县");
}

#[test]
fn a_top_share_and_a_better_than_show_their_figures() {
    let report = peers();
    let last = outcome(&report, "前半", "绍兴市");
    assert_eq!(last["actual"], "第3名 / 3");
    assert_eq!(last["target"], "前 50% (2 名内)");
    assert_eq!(last["gap"], "差 1名");
    // Lower is better, so `better than` is `<`.
    let worse = outcome(&report, "好于全省", "绍兴市");
    assert_eq!(worse["target"], "< 2.2‰");
    assert_eq!(worse["gap"], "差 0.3‰");
    let benchmark = outcome(&report, "高收入国家水平", "绍兴市");
    assert_eq!(benchmark["target"], "≥ 81岁");
}

#[test]
fn a_group_rule_names_the_failing_member() {
    let report = peers();
    let all = outcome(&report, "主要指标进步", "绍兴市");
    assert_eq!(all["actual"], "2 of 3 达标");
    assert_eq!(all["gap"], "未达标: 孕产妇死亡率");
    let member = outcome(&report, "主要指标进步: 孕产妇死亡率", "绍兴市");
    assert_eq!(member["target"], "< 7/10万");
    assert_eq!(member["actual"], "7.2/10万");
    // Each member against its own benchmark, in its own direction.
    let pairs = [
        ("人均预期寿命", "≥ 81岁"),
        ("婴儿死亡率", "≤ 4‰"),
        ("孕产妇死亡率", "≤ 10/10万"),
    ];
    for (member, target) in pairs {
        let name = format!("达到高收入国家水平: {member}");
        assert_eq!(
            outcome(&report, &name, "绍兴市")["target"],
            target,
            "{member}"
        );
    }
    let all = outcome(&report, "达到高收入国家水平", "绍兴市");
    assert_eq!(all["gap"], "未达标: 人均预期寿命");
}

#[test]
fn year_on_year_growth_is_a_series_for_trends() {
    let report = peers();
    let broken = outcome(&report, "增速放缓", "宁波市");
    assert_eq!(broken["years"], serde_json::json!([2022, 2023, 2024]));
    assert_eq!(broken["gap"], "2022→2023: 4.16667% → 8%");
}

#[test]
fn a_measure_word_reads_in_the_declared_rate() {
    let report = peers();
    let doctors = outcome(&report, "医师", "绍兴市");
    assert_eq!(doctors["target"], "≥ 3.2人/千人");
    assert_eq!(doctors["target_value"], 0.0032);
    let salt = outcome(&report, "控盐", "绍兴市");
    assert_eq!(salt["actual"], "4.8克/人/日");
    assert_eq!(salt["target"], "≤ 5克/人/日");
}

#[test]
fn each_rule_belongs_to_the_document_above_it() {
    let report = check_json("tests/lang/documents.rules", "tests/lang/documents.csv");
    let by_name = |name: &str| {
        outcomes(&report)
            .iter()
            .find(|outcome| outcome["rule"]["name"] == name)
            .unwrap_or_else(|| panic!("no outcome of {name}"))
    };
    for (rule, document, base_year) in [("a-婴儿", "plan-a", 2020), ("b-婴儿", "plan-b", 2022)]
    {
        let outcome = by_name(rule);
        assert_eq!(outcome["rule"]["document"], document, "{rule}");
        assert_eq!(outcome["progress"]["base_year"], base_year, "{rule}");
    }
    // Each trend runs over its own document's period: 县域就诊率 fell in 2022.
    assert_eq!(by_name("a-就诊")["status"], "fail");
    assert_eq!(
        by_name("a-就诊")["years"],
        serde_json::json!([2021, 2022, 2023, 2024])
    );
    assert_eq!(by_name("b-就诊")["status"], "pass");
    assert_eq!(by_name("b-就诊")["years"], serde_json::json!([2023, 2024]));
    // A range on a `better lower` indicator is assessed toward its upper bound.
    let range = by_name("b-区间");
    assert_eq!(range["progress"]["target_value"], 0.002);
    assert_eq!(range["progress"]["category"], "acceleration_needed");
}

#[test]
fn benchmarks_and_groups_come_in_with_an_import() {
    let output = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args([
            "check",
            "tests/lang/imports.rules",
            "--data",
            "tests/lang/peers.csv",
        ])
        .args(["--format", "json"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(0), "every city beats 全国水平");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    // Two members and the group, for each of three cities.
    assert_eq!(report["summary"]["pass"], 9);
    let member = outcome(&report, "好于全国: 婴儿死亡率", "绍兴市");
    assert_eq!(member["target"], "< 4.5‰");
}

#[test]
fn a_session_keeps_its_benchmarks_and_groups() {
    let script = "benchmark 基准 = 2.1‰\n\
                  group 组: 婴儿死亡率\n\
                  rule 组 better than 基准 in 2024 for each 下级\n";
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args([
            "repl",
            "tests/lang/peers.rules",
            "--data",
            "tests/lang/peers.csv",
        ])
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("write the script");
    let output = child.wait_with_output().expect("the session ends");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("< 2.1‰"), "{stdout}");
    assert!(
        stdout.contains("6 outcomes as of 2024: 2 未达标 fail, 4 达标 pass"),
        "{stdout}"
    );
}
