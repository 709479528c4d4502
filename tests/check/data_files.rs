//! `zhibiao check`: units between notations, encodings, byte-order marks and line ends, and bad data files.

use super::*;

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
