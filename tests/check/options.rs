//! `zhibiao check`: exit codes and the options that filter and group the table.

use super::*;

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
