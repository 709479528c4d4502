//! A check tells the truth about the data it was given: exit codes that
//! never hide an unjudged binding target, the data-coverage section, names
//! normalised alike in rules and data, missing markers, the scale check and
//! scopes that stay inside their file's region. Fixtures are in
//! `tests/truth/`; `targets.rules` checks a city 甲市 and its counties.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn zhibiao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run zhibiao")
}

fn fixture(name: &str) -> String {
    if name.contains('/') {
        name.to_string()
    } else {
        format!("tests/truth/{name}")
    }
}

/// `check RULES --data DATA… EXTRA…`: exit code, stdout, stderr.
fn check(rules: &str, data: &[&str], extra: &[&str]) -> (i32, String, String) {
    let rules = fixture(rules);
    let data: Vec<String> = data.iter().map(|name| fixture(name)).collect();
    let mut args = vec!["check", rules.as_str(), "--data"];
    args.extend(data.iter().map(String::as_str));
    args.extend(extra);
    let output = zhibiao(&args);
    (
        output.status.code().expect("an exit code"),
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8(output.stderr).expect("UTF-8"),
    )
}

/// The JSON report of a check, with its exit code.
fn report(rules: &str, data: &[&str], extra: &[&str]) -> (i32, Value) {
    let mut extra = extra.to_vec();
    extra.extend(["--format", "json"]);
    let (code, stdout, stderr) = check(rules, data, &extra);
    let report = serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("{error}: {stderr}"));
    (code, report)
}

fn statuses(report: &Value) -> Vec<(String, String, String)> {
    report["outcomes"]
        .as_array()
        .expect("outcomes")
        .iter()
        .map(|outcome| {
            (
                outcome["rule"]["name"].as_str().unwrap_or("").to_string(),
                outcome["entity"].as_str().unwrap_or("").to_string(),
                outcome["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

// ---- exit codes ----------------------------------------------------------------

#[test]
fn exit_codes_say_what_was_judged() {
    let cases: [(&str, &str, i32, &str); 8] = [
        (
            "targets.rules",
            "met.csv",
            0,
            "every binding target met or pending",
        ),
        ("targets.rules", "missed.csv", 1, "1 binding target missed"),
        (
            "targets.rules",
            "unjudged.csv",
            3,
            "2 binding targets could not be judged",
        ),
        ("targets.rules", "header-only.csv", 3, "could not be judged"),
        ("targets.rules", "other-city.csv", 3, "could not be judged"),
        (
            "ratio.rules",
            "zero.csv",
            3,
            "1 binding target could not be judged",
        ),
        ("targets.rules", "text-cell.csv", 2, "nothing was checked"),
        ("targets.rules", "inf-cell.csv", 2, "nothing was checked"),
    ];
    for (rules, data, expected, reason) in cases {
        let (code, stdout, stderr) = check(rules, &[data], &[]);
        assert_eq!(code, expected, "{data}:\n{stdout}\n{stderr}");
        let said = if code == 2 { &stderr } else { &stdout };
        assert!(said.contains(reason), "{data}: `{reason}` not in\n{said}");
        if code != 2 {
            assert!(
                stdout.contains(&format!("\nexit {code}: ")),
                "{data}: the summary line says the code\n{stdout}"
            );
        }
    }
}

#[test]
fn the_verdict_is_in_the_json_report() {
    let (code, report) = report("targets.rules", &["unjudged.csv"], &[]);
    assert_eq!(code, 3);
    assert_eq!(report["verdict"]["exit"], 3);
    assert_eq!(report["summary"]["binding_unjudged"], 2);
    assert_eq!(report["summary"]["binding_failures"], 0);
}

#[test]
fn bad_cells_are_named_at_load() {
    let (_, _, stderr) = check("targets.rules", &["text-cell.csv"], &[]);
    assert!(stderr.contains("data-bad-number"), "{stderr}");
    assert!(stderr.contains("found `abc`"), "{stderr}");
    let (_, _, stderr) = check("targets.rules", &["inf-cell.csv"], &[]);
    // `inf` is rejected as `-inf` is.
    assert_eq!(stderr.matches("data-bad-number").count(), 2, "{stderr}");
    assert!(stderr.contains("[tests/truth/inf-cell.csv:2:"), "{stderr}");
    assert!(stderr.contains("[tests/truth/inf-cell.csv:4:"), "{stderr}");
}

// ---- data coverage ------------------------------------------------------------------

#[test]
fn a_header_typo_is_a_coverage_warning_with_a_suggestion() {
    let (code, stdout, stderr) = check("targets.rules", &["typo.csv"], &[]);
    assert_eq!(code, 3, "the rules on 县域就诊率 cannot be judged");
    assert!(stderr.contains("coverage-unread-indicator"), "{stderr}");
    assert!(stderr.contains("did you mean `县域就诊率`?"), "{stderr}");
    assert!(stderr.contains("[tests/truth/typo.csv:1:"), "{stderr}");
    assert!(stderr.contains("coverage-absent-indicator"), "{stderr}");
    assert!(stdout.contains("数据覆盖 data coverage"), "{stdout}");
    assert!(
        stdout.contains(
            "no rule reads `县域就珍率` (tests/truth/typo.csv; did you mean `县域就诊率`?)"
        ),
        "{stdout}"
    );
    let (_, report) = report("targets.rules", &["typo.csv"], &[]);
    let coverage = &report["data_coverage"];
    assert_eq!(coverage["unread_indicators"][0]["indicator"], "县域就珍率");
    assert_eq!(
        coverage["unread_indicators"][0]["did_you_mean"],
        "县域就诊率"
    );
    assert_eq!(coverage["absent_indicators"][0]["indicator"], "县域就诊率");
    assert_eq!(
        coverage["absent_indicators"][0]["did_you_mean"],
        "县域就珍率"
    );
}

#[test]
fn strict_makes_coverage_warnings_errors() {
    let (code, stdout, stderr) = check("targets.rules", &["typo.csv"], &["--strict"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("exit 2: the data has 2 coverage gaps"),
        "{stdout}"
    );
    assert!(stderr.contains('×'), "drawn as errors: {stderr}");
    // Complete data passes --strict.
    let (code, _, stderr) = check("targets.rules", &["met.csv"], &["--strict"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn entities_in_scope_without_rows_are_named() {
    let (_, report) = report("targets.rules", &["other-city.csv"], &[]);
    let without = &report["data_coverage"]["entities_without_rows"];
    assert_eq!(without[0]["entity"], "甲市", "{without}");
    assert_eq!(without[0]["in_data"], false);
    // 乙市's counties are not 甲市's: nothing else is checked.
    assert_eq!(
        statuses(&report),
        [
            ("就诊率", "甲市", "error"),
            ("床位", "甲市", "error"),
            ("各县就诊率", "甲市", "error")
        ]
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    );
}

#[test]
fn missing_markers_are_one_list_counted_per_file() {
    let (code, report) = report("targets.rules", &["markers.csv"], &[]);
    assert_eq!(code, 0);
    let markers: Vec<(String, u64)> = report["data_coverage"]["missing_markers"]
        .as_array()
        .expect("markers")
        .iter()
        .map(|count| {
            assert_eq!(count["file"], "tests/truth/markers.csv");
            (
                count["marker"].as_str().unwrap().to_string(),
                count["count"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = ["暂无", "NaN", "#N/A", "N/A", "--", "…", "无", "NULL"];
    assert_eq!(
        markers,
        expected.map(|marker| (marker.to_string(), 1)),
        "n/a counts as N/A, null as NULL"
    );
    let (_, stdout, _) = check("targets.rules", &["markers.csv"], &[]);
    assert!(
        stdout.contains("missing in tests/truth/markers.csv: 1 `暂无`, 1 `NaN`"),
        "{stdout}"
    );
}

// ---- names ------------------------------------------------------------------------

#[test]
fn invisible_and_full_width_characters_do_not_make_names_differ() {
    let (code, report) = report("targets.rules", &["invisible.csv"], &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        report["data_coverage"]["unread_indicators"],
        serde_json::json!([])
    );
    let entities: Vec<String> = statuses(&report)
        .into_iter()
        .map(|(_, entity, _)| entity)
        .collect();
    assert_eq!(entities, ["甲市", "甲市", "甲区", "A区"]);
}

#[test]
fn a_control_character_in_a_name_is_an_error() {
    let (code, _, stderr) = check("targets.rules", &["control.csv"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("data-bad-name"), "{stderr}");
    assert!(stderr.contains("U+0000"), "{stderr}");
}

// ---- scale -------------------------------------------------------------------------

#[test]
fn a_share_written_as_a_fraction_is_a_scale_warning() {
    let (_, _, stderr) = check("targets.rules", &["scale.csv"], &[]);
    assert!(stderr.contains("data-scale"), "{stderr}");
    assert!(
        stderr.contains("`县域就诊率` of `甲区` in 2024 is `0.88`, about 98× below"),
        "{stderr}"
    );
    assert!(stderr.contains("[tests/truth/scale.csv:3:"), "{stderr}");
}

// ---- scopes ----------------------------------------------------------------------

#[test]
fn another_regions_data_does_not_change_a_files_outcomes() {
    let rules = "rules/rizhao-2024.rules";
    let (_, alone) = report(rules, &["examples/rizhao/data.csv"], &[]);
    let (_, both) = report(
        rules,
        &["examples/rizhao/data.csv", "examples/zhuji/data.csv"],
        &[],
    );
    assert_eq!(statuses(&alone), statuses(&both));
    assert_eq!(alone["summary"], both["summary"]);
    assert_eq!(statuses(&alone).len(), 91);
}

#[test]
fn several_rule_files_against_several_regions_each_keep_their_scope() {
    let rizhao = report(
        "rules/rizhao-2024.rules",
        &["examples/rizhao/data.csv"],
        &[],
    )
    .1;
    let zhuji = report("rules/zhuji-2023.rules", &["examples/zhuji/data.csv"], &[]).1;
    let output = zhibiao(&[
        "check",
        "rules/rizhao-2024.rules",
        "rules/zhuji-2023.rules",
        "--data",
        "examples/rizhao/data.csv",
        "examples/zhuji/data.csv",
        "--format",
        "json",
    ]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    let together: Value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stderr}"));
    let file_of = |report: &Value, file: &str| -> Vec<(String, String, String)> {
        report["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|outcome| outcome["rule"]["file"] == file)
            .map(|outcome| {
                (
                    outcome["rule"]["name"].as_str().unwrap().to_string(),
                    outcome["entity"].as_str().unwrap().to_string(),
                    outcome["status"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        file_of(&together, "rules/rizhao-2024.rules"),
        statuses(&rizhao)
    );
    // 诸暨's outcomes as of 2025 (the latest year of both datasets) are its
    // own entities only.
    let zhuji_entities: std::collections::BTreeSet<String> = statuses(&zhuji)
        .into_iter()
        .map(|(_, entity, _)| entity)
        .collect();
    for (_, entity, _) in file_of(&together, "rules/zhuji-2023.rules") {
        assert!(zhuji_entities.contains(&entity), "{entity} is not 诸暨's");
    }
}

// ---- answers that used to be wrong ----------------------------------------------

#[test]
fn rules_that_cannot_be_judged_as_written_are_diagnostics() {
    let output = zhibiao(&["lint", "tests/truth/wrong.rules", "--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    let found: Vec<(String, String, u64)> = String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| {
            let diagnostic: Value = serde_json::from_str(line).expect("a JSON line");
            (
                diagnostic["code"].as_str().unwrap().to_string(),
                diagnostic["severity"].as_str().unwrap().to_string(),
                diagnostic["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("trend-needs-years", "error", 4),
        ("bad-tolerance", "error", 5),
        ("bad-range", "error", 6),
        ("trend-fixed-year", "warning", 7),
    ];
    assert_eq!(
        found,
        expected.map(|(code, severity, line)| (code.to_string(), severity.to_string(), line))
    );
}

#[test]
fn a_missing_base_year_value_is_missing_now() {
    let (code, absent) = report("base-year.rules", &["base-year-absent.csv"], &[]);
    assert_eq!(statuses(&absent)[0].2, "missing", "{absent}");
    assert_eq!(absent["outcomes"][0]["missing"][0]["year"], 2022);
    assert_eq!(code, 3);
    let (code, present) = report("base-year.rules", &["base-year-present.csv"], &[]);
    assert_eq!(statuses(&present)[0].2, "pending", "{present}");
    assert_eq!(code, 0);
}

// ---- units -------------------------------------------------------------------------

#[test]
fn traditional_script_and_multipliers_read_as_written() {
    let output = zhibiao(&["lint", "tests/truth/traditional.rules"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (code, report) = report("traditional.rules", &["traditional.csv"], &[]);
    assert_eq!(code, 0, "{report}");
    let actual: Vec<(String, String)> = report["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|outcome| {
            (
                outcome["status"].as_str().unwrap().to_string(),
                outcome["actual"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expected = [
        ("pass", "79.3岁"),
        ("pass", "9.8/10万"),
        ("pass", "512万人"),
        ("pass", "36000张"),
        ("pass", "512万人"),
    ];
    assert_eq!(
        actual,
        expected.map(|(status, value)| (status.to_string(), value.to_string()))
    );
}

#[test]
fn measure_words_are_compared_in_rules_and_data() {
    let output = zhibiao(&["lint", "tests/truth/measure-words.rules"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unit-mismatch"), "{stderr}");
    assert!(
        stderr.contains("`张` and `人` count different things"),
        "{stderr}"
    );
    let (code, _, stderr) = check("traditional.rules", &["measure-words.csv"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("data-unit-mismatch"), "{stderr}");
}

#[test]
fn a_suggestion_keeps_the_multiplier() {
    let (code, _, stderr) = check("traditional.rules", &["multiplier-typo.csv"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `500万人`?"), "{stderr}");
}

// ---- headers -------------------------------------------------------------------------

#[test]
fn title_rows_above_the_header_are_skipped_and_said() {
    let (code, report) = report("targets.rules", &["title-row.csv"], &[]);
    assert_eq!(code, 0, "{report}");
    let (_, _, stderr) = check("targets.rules", &["title-row.csv"], &[]);
    assert!(stderr.contains("data-header-row"), "{stderr}");
    assert!(
        stderr.contains("the header is on line 3; the 2 rows above it are skipped as a title"),
        "{stderr}"
    );
    // Named, the header row is taken as given and not reported.
    let (code, _, stderr) = check("targets.rules", &["title-row.csv"], &["--header-row", "3"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("data-header-row"), "{stderr}");
    // A wrong row is a wrong header.
    let (code, _, stderr) = check("targets.rules", &["title-row.csv"], &["--header-row", "1"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("data-missing-column"), "{stderr}");
}

#[test]
fn a_two_row_merged_header_is_read_as_one() {
    let (code, report) = report("targets.rules", &["two-row-header.csv"], &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(statuses(&report).len(), 4);
    let (_, _, stderr) = check("targets.rules", &["two-row-header.csv"], &[]);
    assert!(
        stderr.contains("the header is on line 2, merged with the row below it; the row above it is skipped as a title"),
        "{stderr}"
    );
}

#[test]
fn scope_each_tier_stays_inside_the_files_scope_entity() {
    let (_, report) = report("scope-each.rules", &["two-cities.csv"], &[]);
    let entities: Vec<String> = statuses(&report)
        .into_iter()
        .map(|(_, entity, _)| entity)
        .collect();
    assert_eq!(entities, ["甲区", "乙区"], "丙区 is 乙市's");
}

#[test]
fn an_entity_named_only_as_a_parent_has_no_rows() {
    let (_, report) = report("targets.rules", &["parent-only.csv"], &[]);
    let without = &report["data_coverage"]["entities_without_rows"];
    assert_eq!(without[0]["entity"], "甲市", "{without}");
    assert_eq!(without[0]["in_data"], true);
}

#[test]
fn rule_names_are_normalised_as_data_names_are() {
    let (code, report) = report("invisible.rules", &["met.csv"], &[]);
    assert_eq!(code, 0, "{report}");
    let output = zhibiao(&["lint", "tests/truth/control.rules"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("bad-name") && stderr.contains("U+0001"),
        "{stderr}"
    );
}
