//! Where the header is among a file's first rows: spreadsheets exported by
//! statistics offices put a title above it (`表1 各地区卫生资源`) and often
//! split it over two rows, a merged group heading above the columns' own
//! names or above their units. This works on rows of cell texts, whatever
//! the file format, so a CSV and a spreadsheet reader share it.

use super::header::{role, split_unit, Role};

/// How many leading rows are searched for the header.
pub(crate) const SEARCHED: usize = 10;

/// Where the header is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    /// The header row's index among the rows (0: the first row).
    pub row: usize,
    /// Whether the row below it is a second header row.
    pub second: bool,
}

/// Finds the header among the first rows: the first that names both a
/// region (`地区`) and a year (`年份`) column, else the first row (whose
/// errors then say what is missing). `forced` (zero-based) overrides the
/// search. The row below is a second header row when it leaves the region
/// and year cells empty, as a merged header does, and names something.
pub(crate) fn locate(
    rows: &[Vec<&str>],
    forced: Option<usize>,
    is_unit: &mut dyn FnMut(&str) -> bool,
) -> Found {
    let mut role_of = |cell: &str| {
        let cell = cell.trim();
        role(cell).or_else(|| role(split_unit(cell, is_unit).0))
    };
    let mut columns = |row: &[&str]| {
        let entity = row
            .iter()
            .position(|cell| role_of(cell) == Some(Role::Entity));
        let year = row
            .iter()
            .position(|cell| role_of(cell) == Some(Role::Year));
        entity.zip(year)
    };
    let row = forced.unwrap_or_else(|| {
        rows.iter()
            .take(SEARCHED)
            .position(|row| columns(row).is_some())
            .unwrap_or(0)
    });
    let second = match (
        rows.get(row).and_then(|header| columns(header)),
        rows.get(row + 1),
    ) {
        (Some((entity, year)), Some(below)) => {
            let empty = |at: usize| below.get(at).is_none_or(|cell| cell.trim().is_empty());
            empty(entity) && empty(year) && below.iter().any(|cell| !cell.trim().is_empty())
        }
        _ => false,
    };
    Found { row, second }
}

/// One header from two rows: each column's lower cell, or the upper one
/// where the lower is empty (a cell merged down); a lower cell that is a
/// unit (`张`, `(%)`) goes after the upper name, carried right over a
/// merged heading (`床位数` over `张` and `万张`).
pub(crate) fn merge(
    upper: &[&str],
    lower: &[&str],
    is_unit: &mut dyn FnMut(&str) -> bool,
) -> Vec<String> {
    let width = upper.len().max(lower.len());
    let mut carried = "";
    (0..width)
        .map(|at| {
            let top = upper.get(at).map_or("", |cell| cell.trim());
            let bottom = lower.get(at).map_or("", |cell| cell.trim());
            if !top.is_empty() {
                carried = top;
            }
            let unit = bottom
                .strip_prefix(['(', '（'])
                .and_then(|inner| inner.strip_suffix([')', '）']))
                .unwrap_or(bottom);
            if bottom.is_empty() {
                top.to_string()
            } else if !carried.is_empty() && is_unit(unit) {
                format!("{carried}({unit})")
            } else {
                bottom.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_unit(text: &str) -> bool {
        crate::unit::parse(text).is_ok()
    }

    #[test]
    fn title_rows_are_skipped() {
        let rows = vec![
            vec!["表1 各地区卫生资源", "", ""],
            vec!["", "", ""],
            vec!["地区", "年份", "床位数(张)"],
            vec!["甲市", "2024", "120"],
        ];
        assert_eq!(
            locate(&rows, None, &mut is_unit),
            Found {
                row: 2,
                second: false
            }
        );
        assert_eq!(locate(&rows, Some(0), &mut is_unit).row, 0);
        let none = vec![vec!["甲", "乙"]];
        assert_eq!(locate(&none, None, &mut is_unit).row, 0);
    }

    #[test]
    fn a_two_row_header_is_merged() {
        let rows = vec![
            vec!["地区", "年份", "卫生资源", "", "孕产妇死亡率"],
            vec!["", "", "床位数(张)", "执业医师数", "1/10万"],
            vec!["甲市", "2024", "120", "30", "9.5"],
        ];
        let found = locate(&rows, None, &mut is_unit);
        assert_eq!(
            found,
            Found {
                row: 0,
                second: true
            }
        );
        assert_eq!(
            merge(&rows[0], &rows[1], &mut is_unit),
            [
                "地区",
                "年份",
                "床位数(张)",
                "执业医师数",
                "孕产妇死亡率(1/10万)"
            ]
        );
        let units = [
            vec!["地区", "年份", "床位数", ""],
            vec!["", "", "(张)", "万张"],
        ];
        assert_eq!(
            merge(&units[0], &units[1], &mut is_unit),
            ["地区", "年份", "床位数(张)", "床位数(万张)"]
        );
    }
}
