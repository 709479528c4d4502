//! The Excel report, the form a 台账 is kept in: a sheet with one row per
//! outcome (statuses coloured, header frozen, filters on, values also as
//! numbers) and a summary sheet of counts by status. Written with
//! rust_xlsxwriter.

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use super::words::Lang;
use crate::report::outcome::{Outcome, Report, Status};

const COLUMNS: [(&str, f64); 17] = [
    ("状态", 9.0),
    ("status", 9.0),
    ("规则", 36.0),
    ("地区", 12.0),
    ("年份", 11.0),
    ("实际", 16.0),
    ("目标", 16.0),
    ("差距/进度", 24.0),
    ("说明", 40.0),
    ("条款", 10.0),
    ("责任单位", 18.0),
    ("文件", 14.0),
    ("行", 6.0),
    ("约束性", 8.0),
    ("文件号", 22.0),
    ("实际值", 12.0),
    ("目标值", 12.0),
];

/// The workbook's bytes.
///
/// ```
/// use zhibiao::{data::Dataset, CheckOptions};
///
/// let program = zhibiao::compile("scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2024\n", "a.rules").unwrap();
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,指标,值\n日照市,2023,县域就诊率,89.5\n日照市,2024,县域就诊率,88.6\n").unwrap();
/// let report = program.check(&data, &CheckOptions::default());
/// let outcomes: Vec<_> = report.outcomes.iter().collect();
/// let bytes = zhibiao::report::xlsx::render(&report, &outcomes).unwrap();
/// assert!(bytes.starts_with(b"PK")); // a zip package, as every .xlsx is
/// ```
pub fn render(report: &Report, outcomes: &[&Outcome]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("结果")?;
    outcome_sheet(sheet, outcomes)?;
    let sheet = workbook.add_worksheet();
    sheet.set_name("汇总")?;
    summary_sheet(sheet, report)?;
    workbook.save_to_buffer()
}

fn status_format(status: Status) -> Format {
    let (font, fill) = match status {
        Status::Fail => (0x9C0006, 0xFFC7CE),
        Status::Error => (0x9A3412, 0xFED7AA),
        Status::Missing => (0x6B21A8, 0xE9D5FF),
        Status::Pending => (0x9C5700, 0xFFEB9C),
        Status::Pass => (0x006100, 0xC6EFCE),
    };
    Format::new()
        .set_font_color(Color::RGB(font))
        .set_background_color(Color::RGB(fill))
}

fn outcome_sheet(sheet: &mut Worksheet, outcomes: &[&Outcome]) -> Result<(), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE5E7EB))
        .set_border_bottom(FormatBorder::Thin);
    for (column, (name, width)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *name, &header)?;
        sheet.set_column_width(column as u16, *width)?;
    }
    let lang = Lang::Zh;
    for (index, outcome) in outcomes.iter().enumerate() {
        let row = index as u32 + 1;
        let colour = status_format(outcome.status);
        let [rule, entity, actual, target, note, source] = lang.cells(outcome);
        let years = outcome
            .years
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let texts = [
            outcome.status.chinese().to_string(),
            outcome.status.name().to_string(),
            rule,
            entity,
            years,
            actual,
            target,
            note,
            outcome.detail.clone().unwrap_or_default(),
            source,
            outcome.rule.owner.clone().unwrap_or_default(),
            outcome.rule.file.clone(),
        ];
        for (column, text) in texts.iter().enumerate() {
            if column < 2 {
                sheet.write_string_with_format(row, column as u16, text, &colour)?;
            } else {
                sheet.write_string(row, column as u16, text)?;
            }
        }
        sheet.write_number(row, 12, outcome.rule.line as f64)?;
        sheet.write_string(
            row,
            13,
            if outcome.rule.binding {
                "约束性"
            } else {
                "预期性"
            },
        )?;
        sheet.write_string(row, 14, outcome.rule.document.as_deref().unwrap_or(""))?;
        if let Some(value) = outcome.actual_value {
            sheet.write_number(row, 15, value)?;
        }
        if let Some(value) = outcome.target_value {
            sheet.write_number(row, 16, value)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, outcomes.len() as u32, COLUMNS.len() as u16 - 1)?;
    Ok(())
}

fn summary_sheet(sheet: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    sheet.set_column_width(0, 14.0)?;
    sheet.set_column_width(1, 12.0)?;
    sheet.set_column_width(2, 10.0)?;
    sheet.write_string_with_format(0, 0, "截至年份 as of", &bold)?;
    if let Some(year) = report.as_of {
        sheet.write_number(0, 1, f64::from(year))?;
    }
    sheet.write_string_with_format(2, 0, "状态", &bold)?;
    sheet.write_string_with_format(2, 1, "status", &bold)?;
    sheet.write_string_with_format(2, 2, "数量", &bold)?;
    let summary = &report.summary;
    for (index, status) in Status::ALL.into_iter().enumerate() {
        let row = index as u32 + 3;
        let count = summary.of(status);
        let colour = status_format(status);
        sheet.write_string_with_format(row, 0, status.chinese(), &colour)?;
        sheet.write_string_with_format(row, 1, status.name(), &colour)?;
        sheet.write_number(row, 2, count as f64)?;
    }
    let row = Status::ALL.len() as u32 + 3;
    sheet.write_string_with_format(row, 0, "合计 total", &bold)?;
    sheet.write_number(row, 2, summary.total() as f64)?;
    sheet.write_string(row + 1, 0, "约束性未达标")?;
    sheet.write_number(row + 1, 2, summary.binding_failures as f64)?;
    sheet.write_string(row + 2, 0, "预期性未达标")?;
    sheet.write_number(row + 2, 2, summary.expected_failures as f64)?;
    Ok(())
}
