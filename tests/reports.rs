//! Every report format on a real example (`rules/rizhao-2024.rules` with
//! `examples/rizhao/data.csv`), each checked against the JSON report of
//! the same run: the table (no value or gap cut), Markdown, the HTML page
//! (self-contained), the Excel workbook (read back with calamine), `-o`,
//! `--lang`, `--group-by owner` with joint owners, `--data` before the rule
//! files, `-` for standard input, and shell completions.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use calamine::{open_workbook_auto, Data, Reader};
use serde_json::Value;

const RULES: &str = "rules/rizhao-2024.rules";
const DATA: &str = "examples/rizhao/data.csv";

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

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

fn scratch(name: &str) -> PathBuf {
    let directory =
        std::env::temp_dir().join(format!("zhibiao-reports-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("scratch directory");
    directory
}

/// The JSON report of the example.
fn report() -> Value {
    let output = zhibiao(&["check", RULES, "--data", DATA, "--format", "json"]);
    serde_json::from_str(&stdout(&output)).expect("JSON")
}

fn outcomes(report: &Value) -> &Vec<Value> {
    report["outcomes"].as_array().expect("outcomes")
}

#[test]
fn the_table_cuts_no_value_or_gap() {
    let report = report();
    let output = zhibiao(&["check", RULES, "--data", DATA]);
    assert_eq!(output.status.code(), Some(1), "binding targets fail");
    let table = stdout(&output);
    for outcome in outcomes(&report) {
        for key in ["actual", "target", "gap"] {
            if let Some(text) = outcome[key].as_str() {
                let text = text.split(" (").next().unwrap();
                assert!(table.contains(text), "`{text}` is not whole in\n{table}");
            }
        }
    }
    assert!(
        !table.contains('…'),
        "nothing is shortened in a file:\n{table}"
    );
    assert!(table.contains(&format!("{} outcomes as of", outcomes(&report).len())));
}

#[test]
fn english_words_in_english_columns() {
    let output = zhibiao(&["check", RULES, "--data", DATA, "--lang", "en"]);
    let table = stdout(&output);
    let heading = table.lines().next().unwrap();
    assert!(heading.starts_with("status"), "{heading}");
    assert!(table.contains("short by 1.4 pp"), "{table}");
    assert!(
        !table.lines().skip(1).any(|line| line.starts_with("未达标")),
        "{table}"
    );
}

#[test]
fn markdown_has_a_row_per_outcome() {
    let report = report();
    let output = zhibiao(&["check", RULES, "--data", DATA, "--format", "md"]);
    let markdown = stdout(&output);
    let rows = markdown
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| 状态"))
        .count();
    assert_eq!(rows, outcomes(&report).len(), "{markdown}");
    assert!(markdown.starts_with("# 指标检查报告"));
}

#[test]
fn html_is_one_self_contained_page() {
    let report = report();
    let directory = scratch("html");
    let path = directory.join("report.html");
    let output = zhibiao(&[
        "check",
        RULES,
        "--data",
        DATA,
        "--format",
        "html",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        output.stdout.is_empty(),
        "-o writes nothing to standard output"
    );
    let page = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        page.matches("<tr class=\"outcome\"").count(),
        outcomes(&report).len()
    );
    assert!(!page.contains("http://") && !page.contains("https://"));
    assert!(!page.contains("<link") && !page.contains(" src="));
    let charts = page.matches("<svg class=\"chart\"").count();
    let rules_with_values: std::collections::HashSet<_> = outcomes(&report)
        .iter()
        .filter(|outcome| outcome["series"].is_array())
        .map(|outcome| outcome["rule"]["line"].as_u64())
        .collect();
    assert_eq!(charts, rules_with_values.len());
    let left: Vec<_> = std::fs::read_dir(&directory).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary file is left");
    std::fs::remove_dir_all(directory).unwrap();
}

#[test]
fn the_excel_report_has_a_row_per_outcome_and_a_summary() {
    let report = report();
    let directory = scratch("xlsx");
    let path = directory.join("台账.xlsx");
    zhibiao(&[
        "check",
        RULES,
        "--data",
        DATA,
        "--format",
        "xlsx",
        "-o",
        path.to_str().unwrap(),
    ]);
    let mut workbook = open_workbook_auto(&path).expect("an Excel workbook");
    assert_eq!(workbook.sheet_names(), ["结果", "汇总"]);
    let rows = workbook.worksheet_range("结果").unwrap();
    assert_eq!(rows.height(), outcomes(&report).len() + 1);
    assert_eq!(rows.get((0, 0)), Some(&Data::String("状态".to_string())));
    let statuses: Vec<String> = rows.rows().skip(1).map(|row| row[1].to_string()).collect();
    let mut expected: Vec<String> = outcomes(&report)
        .iter()
        .map(|outcome| outcome["status"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = statuses.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected);
    let summary = workbook.worksheet_range("汇总").unwrap();
    let fail_row = summary
        .rows()
        .find(|row| row[1] == Data::String("fail".to_string()))
        .expect("a fail row");
    assert_eq!(
        fail_row[2],
        Data::Float(report["summary"]["fail"].as_f64().unwrap())
    );
    std::fs::remove_dir_all(directory).unwrap();
}

#[test]
fn an_excel_report_is_not_written_to_a_terminal_only() {
    // Standard output here is a pipe, so the bytes go there.
    let output = zhibiao(&["check", RULES, "--data", DATA, "--format", "xlsx"]);
    assert!(output.stdout.starts_with(b"PK"), "an xlsx package");
}

#[test]
fn joint_owners_count_for_each_owner() {
    let output = zhibiao(&["check", RULES, "--data", DATA, "--group-by", "owner"]);
    let table = stdout(&output);
    let headings: Vec<&str> = table
        .lines()
        .filter_map(|line| line.strip_prefix("── "))
        .collect();
    assert!(headings.contains(&"市卫生健康委"), "{headings:?}");
    assert!(headings.contains(&"市财政局"), "{headings:?}");
    assert!(
        !headings.iter().any(|heading| heading.contains('、')),
        "{headings:?}"
    );
}

#[test]
fn data_may_come_first_and_from_standard_input() {
    let expected = stdout(&zhibiao(&[
        "check", RULES, "--data", DATA, "--format", "json",
    ]));
    let first = zhibiao(&["check", "--data", DATA, RULES, "--format", "json"]);
    assert_eq!(stdout(&first), expected);
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .current_dir(root())
        .args(["check", RULES, "--data", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let bytes = std::fs::read(root().join(DATA)).unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let piped = child.wait_with_output().unwrap();
    let piped: Value = serde_json::from_slice(&piped.stdout).unwrap();
    let expected: Value = serde_json::from_str(&expected).unwrap();
    assert_eq!(piped["summary"], expected["summary"]);
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = zhibiao(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        assert!(
            script.contains("zhibiao") && script.contains("group-by"),
            "{shell}"
        );
    }
}

#[test]
fn help_shows_examples() {
    let output = zhibiao(&["check", "--help"]);
    let help = stdout(&output);
    assert!(
        help.contains("Examples:") && help.contains("--format html -o report.html"),
        "{help}"
    );
}

#[test]
fn a_span_names_its_failed_years_and_a_share_stays_within_100_percent() {
    let output = zhibiao(&[
        "check",
        "tests/reports/clarity.rules",
        "--data",
        "tests/reports/clarity.csv",
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let find = |name: &str| {
        outcomes(&report)
            .iter()
            .find(|outcome| outcome["rule"]["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        find("每年")["gap"],
        "2021、2023年未达标; 2021年差 2 个百分点"
    );
    let progress = &find("覆盖")["progress"];
    assert_eq!(progress["projected"], "100%");
    assert!(
        progress["projected_value"].as_f64().unwrap() > 1.0,
        "{progress}"
    );
}

#[test]
fn the_table_fits_a_width_by_wrapping_rule_text() {
    use unicode_width::UnicodeWidthStr;
    let output = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "110")
        .args(["check", RULES, "--data", DATA, "--status", "fail"])
        .output()
        .unwrap();
    let table = stdout(&output);
    let wide = zhibiao(&["check", RULES, "--data", DATA, "--status", "fail"]);
    let wide = stdout(&wide);
    assert!(
        wide.lines().any(|line| line.width() > 110),
        "the example needs fitting"
    );
    // Rows whose values fit get their rule text wrapped onto more lines.
    assert!(table.lines().count() > wide.lines().count(), "{table}");
    let rule = "县级医院高质量管理五大中心建成数 >= 5";
    assert!(!table.contains(rule) && wide.contains(rule), "{table}");
    // Values and gaps are whole.
    for gap in ["差 1.4 个百分点", "差 0.05", "2023→2024: 2.9% → 2.8%"] {
        assert!(table.contains(gap), "`{gap}` cut in\n{table}");
    }
}
