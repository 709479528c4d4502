//! Workbooks (`.xlsx`, `.xls`, `.ods`, read with calamine) as the rows of
//! cells the CSV path reads: one sheet becomes CSV text with a map from each
//! field back to its cell, so the same header and layout detection, cell
//! parsing and diagnostics apply, and a diagnostic can name `Sheet1!C7`.
//!
//! What a spreadsheet adds over CSV is handled here, before the text is
//! made: merged cells are filled with their value (a 地区 merged over three
//! years' rows names all three), title rows above the header are skipped
//! (the header is the first row with two different cells), a header of two
//! rows joined by vertically merged cells is read as one, numbers shown as
//! percentages are written as percentages (0.915 shown as 91.5% is `91.5%`),
//! and dates in the year column are their years.

use std::collections::HashSet;
use std::io::Cursor;

use calamine::{Data, Dimensions, Reader, Sheets};

use super::header::{self, Role};
use super::percent::{cell_name, percent_cells};
use crate::diag::Code;

/// One sheet as CSV text.
#[derive(Debug)]
pub(crate) struct SheetText {
    /// The sheet's name as it is written in a cell reference (`Sheet1`,
    /// `'My data'`).
    pub sheet: String,
    /// The rows as CSV.
    pub text: String,
    /// Per field, in text order: its byte offset and zero-based (row,
    /// column) in the sheet.
    pub cells: Vec<(usize, u32, u32)>,
}

impl SheetText {
    /// The cell at a byte offset of the text: `Sheet1!C7`.
    pub fn cell_at(&self, offset: usize) -> Option<String> {
        let at = self.cells.partition_point(|(start, ..)| *start <= offset);
        let (_, row, column) = self.cells.get(at.checked_sub(1)?)?;
        Some(format!("{}!{}", self.sheet, cell_name(*row, *column)))
    }
}

/// Why a workbook could not be read.
#[derive(Debug)]
pub(crate) struct SheetError {
    /// The stable diagnostic code.
    pub code: Code,
    /// What went wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

/// Whether bytes look like a workbook: a zip package (`.xlsx`, `.ods`) or
/// an OLE compound file (`.xls`).
pub(crate) fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// Reads the sheet named `wanted`, or the first sheet.
pub(crate) fn read(bytes: &[u8], wanted: Option<&str>) -> Result<SheetText, SheetError> {
    let mut workbook =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|error| SheetError {
            code: Code::DataWorkbook,
            message: format!("cannot read the workbook: {error}"),
            help: "save it again as .xlsx, .xls or .ods, or export the sheet as CSV".to_string(),
        })?;
    let names = workbook.sheet_names();
    let name = match wanted {
        Some(wanted) if names.iter().any(|name| name == wanted) => wanted.to_string(),
        Some(wanted) => {
            let hint = crate::diag::closest(wanted, names.iter().map(String::as_str))
                .map(|near| format!("did you mean `{near}`? "))
                .unwrap_or_default();
            return Err(SheetError {
                code: Code::DataUnknownSheet,
                message: format!("the workbook has no sheet `{wanted}`"),
                help: format!("{hint}its sheets are {}", quoted_list(&names)),
            });
        }
        None => names.first().cloned().ok_or_else(|| SheetError {
            code: Code::DataEmpty,
            message: "the workbook has no sheets".to_string(),
            help: "a data sheet starts with a header such as `地区,年份,指标,值`".to_string(),
        })?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|error| SheetError {
            code: Code::DataWorkbook,
            message: format!("cannot read the sheet `{name}`: {error}"),
            help: "save the workbook again, or export the sheet as CSV".to_string(),
        })?;
    let (merges, percent) = match &mut workbook {
        Sheets::Xlsx(xlsx) => {
            let merges = match xlsx.load_merged_regions() {
                Ok(()) => xlsx
                    .merged_regions_by_sheet(&name)
                    .into_iter()
                    .map(|(_, _, dimensions)| *dimensions)
                    .collect(),
                Err(_) => Vec::new(),
            };
            (merges, percent_cells(bytes, &name))
        }
        Sheets::Xls(xls) => (
            xls.worksheet_merge_cells(&name).unwrap_or_default(),
            HashSet::new(),
        ),
        _ => (Vec::new(), HashSet::new()),
    };
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut grid: Vec<Vec<Cell>> = range
        .rows()
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .enumerate()
                .map(|(c, data)| {
                    let at = (top + r as u32, left + c as u32);
                    Cell::of(data, percent.contains(&at))
                })
                .collect()
        })
        .collect();
    fill_merges(&mut grid, &merges, (top, left));
    Ok(to_csv(grid, &merges, (top, left), reference_name(&name)))
}

/// A cell's text, and its year when it holds a date.
#[derive(Debug, Clone, Default)]
struct Cell {
    text: String,
    year: Option<i32>,
}

impl Cell {
    fn of(data: &Data, percent: bool) -> Cell {
        let text = |text: String| Cell { text, year: None };
        match data {
            Data::Empty => Cell::default(),
            Data::String(value) => text(value.clone()),
            Data::Int(value) if percent => text(format!("{}%", *value as f64 * 100.0)),
            Data::Int(value) => text(value.to_string()),
            Data::Float(value) if percent => text(format!("{}%", round(value * 100.0))),
            Data::Float(value) => text(value.to_string()),
            Data::Bool(value) => text(value.to_string().to_uppercase()),
            Data::DateTime(date) if date.is_duration() => text(date.as_f64().to_string()),
            Data::DateTime(date) => {
                let (year, month, day, ..) = date.to_ymd_hms_milli();
                Cell {
                    text: format!("{year:04}-{month:02}-{day:02}"),
                    year: Some(i32::from(year)),
                }
            }
            Data::DateTimeIso(value) => Cell {
                year: value
                    .get(..4)
                    .and_then(|year| year.parse().ok())
                    .filter(|_| value.as_bytes().get(4) == Some(&b'-')),
                text: value.clone(),
            },
            Data::DurationIso(value) => text(value.clone()),
            Data::Error(error) => text(error.to_string()),
        }
    }
}

/// A percentage times 100 carries binary noise (0.915 × 100 is
/// 91.50000000000001): twelve significant digits are what Excel shows.
fn round(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let digits = 12 - value.abs().log10().ceil() as i32;
    let scale = 10f64.powi(digits.clamp(-300, 300));
    (value * scale).round() / scale
}

/// Gives every cell of a merged region the value of its top-left cell.
fn fill_merges(grid: &mut [Vec<Cell>], merges: &[Dimensions], (top, left): (u32, u32)) {
    for merge in merges {
        let (Some(row0), Some(col0)) = (
            merge.start.0.checked_sub(top),
            merge.start.1.checked_sub(left),
        ) else {
            continue;
        };
        let Some(value) = grid
            .get(row0 as usize)
            .and_then(|row| row.get(col0 as usize))
            .cloned()
        else {
            continue;
        };
        for row in merge.start.0..=merge.end.0 {
            for column in merge.start.1..=merge.end.1 {
                if let Some(cell) = grid
                    .get_mut((row - top) as usize)
                    .and_then(|cells| cells.get_mut((column - left) as usize))
                {
                    *cell = value.clone();
                }
            }
        }
    }
}

/// The header row, the one below it when the two are joined by a vertical
/// merge, and the data rows, as CSV.
fn to_csv(
    grid: Vec<Vec<Cell>>,
    merges: &[Dimensions],
    (top, left): (u32, u32),
    sheet: String,
) -> SheetText {
    let header_row = grid
        .iter()
        .position(|row| {
            let distinct: HashSet<&str> = row
                .iter()
                .map(|cell| cell.text.trim())
                .filter(|text| !text.is_empty())
                .collect();
            distinct.len() >= 2
        })
        .unwrap_or(0);
    let absolute = top + header_row as u32;
    let two_rows = header_row + 1 < grid.len()
        && merges
            .iter()
            .any(|merge| merge.start.0 == absolute && merge.end.0 > absolute);
    let mut names: Vec<String> = grid
        .get(header_row)
        .map(|row| {
            row.iter()
                .map(|cell| cell.text.trim().to_string())
                .collect()
        })
        .unwrap_or_default();
    if two_rows {
        for (name, below) in names.iter_mut().zip(&grid[header_row + 1]) {
            *name = joined(name, below.text.trim());
        }
    }
    let year_column = names
        .iter()
        .position(|name| header::role(name) == Some(Role::Year));
    let mut out = SheetText {
        sheet,
        text: String::new(),
        cells: Vec::new(),
    };
    let line = |out: &mut SheetText, row: u32, cells: &mut dyn Iterator<Item = String>| {
        for (column, text) in cells.enumerate() {
            if column > 0 {
                out.text.push(',');
            }
            out.cells.push((out.text.len(), row, left + column as u32));
            push_field(&mut out.text, &text);
        }
        out.text.push('\n');
    };
    line(&mut out, absolute, &mut names.clone().into_iter());
    let first_data = header_row + if two_rows { 2 } else { 1 };
    for (r, row) in grid.iter().enumerate().skip(first_data) {
        let mut cells = row
            .iter()
            .enumerate()
            .map(|(column, cell)| match cell.year {
                Some(year) if Some(column) == year_column => year.to_string(),
                _ => cell.text.clone(),
            });
        line(&mut out, top + r as u32, &mut cells);
    }
    out
}

/// One column's name from a two-row header: the lower name, unless it is
/// only a unit in brackets (`(张)`), which is added to the upper one.
fn joined(upper: &str, lower: &str) -> String {
    if lower.is_empty() || lower == upper {
        upper.to_string()
    } else if upper.is_empty() {
        lower.to_string()
    } else if lower.starts_with(['(', '（']) {
        format!("{upper}{lower}")
    } else {
        lower.to_string()
    }
}

/// Writes a CSV field, quoted when it must be.
fn push_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// A sheet name as a cell reference writes it: quoted when it holds spaces
/// or punctuation.
fn reference_name(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

fn quoted_list(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_lose_binary_noise() {
        assert_eq!(round(0.915 * 100.0), 91.5);
        assert_eq!(round(0.1 * 3.0 * 100.0), 30.0);
    }

    #[test]
    fn two_row_headers_keep_units_in_brackets() {
        assert_eq!(joined("床位数", "(张)"), "床位数(张)");
        assert_eq!(joined("卫生资源", "床位数"), "床位数");
        assert_eq!(joined("地区", "地区"), "地区");
    }

    #[test]
    fn sheet_names_are_quoted_when_needed() {
        assert_eq!(reference_name("Sheet1"), "Sheet1");
        assert_eq!(reference_name("数据"), "数据");
        assert_eq!(reference_name("My data"), "'My data'");
    }
}
