//! Excel data files: a workbook made here with rust_xlsxwriter the way
//! statistics offices lay them out — a merged title row above the header, a
//! header of two rows joined by vertical merges, a region merged over its
//! years, rates formatted as percentages, numbers stored as text, a year
//! given as a date — gives the same outcomes as the equivalent CSV
//! (`tests/excel/data.csv`). Also: `--sheet`, and errors naming the cell.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use serde_json::Value;

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

/// A fresh directory for this test's workbooks.
fn scratch(name: &str) -> PathBuf {
    let directory =
        std::env::temp_dir().join(format!("zhibiao-excel-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("scratch directory");
    directory
}

/// The rows of `tests/excel/data.csv`, laid out as an office would.
fn statistics_sheet(sheet: &mut Worksheet) {
    let percent = Format::new().set_num_format("0.0%");
    let whole_percent = Format::new().set_num_format("0%");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let title = Format::new().set_bold();
    sheet
        .merge_range(0, 0, 0, 4, "2023—2024年日照市医疗服务指标", &title)
        .unwrap();
    // Header: rows 2 and 3, joined by vertical merges; `(张)` is the unit
    // of 床位数 written below it.
    for (column, name) in ["地区", "上级", "年份", "县域就诊率"]
        .into_iter()
        .enumerate()
    {
        sheet
            .merge_range(1, column as u16, 2, column as u16, name, &Format::new())
            .unwrap();
    }
    sheet.write_string(1, 4, "床位数").unwrap();
    sheet.write_string(2, 4, "(张)").unwrap();
    // 日照市 merged over its two years; 2024 written as a date.
    sheet
        .merge_range(3, 0, 4, 0, "日照市", &Format::new())
        .unwrap();
    sheet.write_number(3, 2, 2023).unwrap();
    sheet
        .write_datetime_with_format(4, 2, ExcelDateTime::from_ymd(2024, 1, 1).unwrap(), &date)
        .unwrap();
    sheet
        .write_number_with_format(3, 3, 0.905, &percent)
        .unwrap();
    sheet
        .write_number_with_format(4, 3, 0.912, &percent)
        .unwrap();
    sheet.write_number(3, 4, 5000).unwrap();
    sheet.write_string(4, 4, "5,100").unwrap();
    for (row, year, rate, beds) in [(5, 2023, 0.88, "1200"), (6, 2024, 0.886, "1234")] {
        sheet.write_string(row, 0, "东港区").unwrap();
        sheet.write_string(row, 1, "日照市").unwrap();
        sheet.write_number(row, 2, year).unwrap();
        let format = if year == 2023 {
            &whole_percent
        } else {
            &percent
        };
        sheet
            .write_number_with_format(row, 3, rate, format)
            .unwrap();
        // Numbers stored as text, as pasted from a bulletin.
        sheet.write_string(row, 4, beds).unwrap();
    }
    sheet.write_string(7, 0, "岚山区").unwrap();
    sheet.write_string(7, 1, "日照市").unwrap();
    sheet.write_number(7, 2, 2024).unwrap();
    sheet
        .write_number_with_format(7, 3, 0.92, &percent)
        .unwrap();
    sheet.write_number(7, 4, 800).unwrap();
}

fn workbook(path: &Path, sheets: &[&str]) {
    let mut workbook = Workbook::new();
    for name in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        if *name == "数据" || sheets.len() == 1 {
            statistics_sheet(sheet);
        } else {
            sheet.write_string(0, 0, "说明：本表为封面").unwrap();
        }
    }
    workbook.save(path).expect("save the workbook");
}

/// Status, entity, actual value and target of each outcome, in order.
fn outcomes(args: &[&str]) -> Vec<(String, String, String, String)> {
    let mut all = vec!["check", "tests/excel/rules.rules", "--format", "json"];
    all.extend(args);
    let output = zhibiao(&all);
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|error| {
        panic!(
            "{error}: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    report["outcomes"]
        .as_array()
        .expect("outcomes")
        .iter()
        .map(|outcome| {
            let text = |key: &str| outcome[key].as_str().unwrap_or("").to_string();
            (
                text("status"),
                text("entity"),
                text("actual"),
                text("target"),
            )
        })
        .collect()
}

#[test]
fn a_workbook_laid_out_by_hand_reads_as_its_csv() {
    let directory = scratch("same");
    let path = directory.join("指标.xlsx");
    workbook(&path, &["Sheet1"]);
    let from_csv = outcomes(&["--data", "tests/excel/data.csv"]);
    let from_excel = outcomes(&["--data", path.to_str().unwrap()]);
    assert_eq!(from_csv.len(), 6, "{from_csv:?}");
    assert_eq!(from_excel, from_csv);
    // The percent-formatted 0.886 is 88.6%, not 0.886%.
    assert!(from_excel.contains(&(
        "fail".to_string(),
        "东港区".to_string(),
        "88.6%".to_string(),
        "≥ 90%".to_string()
    )));
    std::fs::remove_dir_all(directory).unwrap();
}

#[test]
fn sheet_picks_the_sheet_and_an_unknown_one_is_named() {
    let directory = scratch("sheet");
    let path = directory.join("book.xlsx");
    workbook(&path, &["封面", "数据"]);
    let path = path.to_str().unwrap();
    let from_csv = outcomes(&["--data", "tests/excel/data.csv"]);
    assert_eq!(outcomes(&["--data", path, "--sheet", "数据"]), from_csv);
    let output = zhibiao(&[
        "check",
        "tests/excel/rules.rules",
        "--data",
        path,
        "--sheet",
        "数椐",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("data-unknown-sheet"), "{stderr}");
    assert!(stderr.contains("did you mean `数据`?"), "{stderr}");
    std::fs::remove_dir_all(directory).unwrap();
}

#[test]
fn a_bad_cell_is_named_by_sheet_row_and_column() {
    let directory = scratch("bad");
    let path = directory.join("bad.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Sheet1").unwrap();
    statistics_sheet(sheet);
    sheet.write_string(6, 4, "1.2.3").unwrap();
    book.save(&path).unwrap();
    let output = zhibiao(&[
        "check",
        "tests/excel/rules.rules",
        "--data",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("data-bad-number"), "{stderr}");
    assert!(stderr.contains("(Sheet1!E7)"), "{stderr}");
    std::fs::remove_dir_all(directory).unwrap();
}
