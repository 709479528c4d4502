//! Which cells of an `.xlsx` sheet are formatted as percentages. calamine
//! gives a cell's number (0.915) but not its number format (`0.0%`, shown as
//! 91.5%), and a percentage read as 0.915 would be a silent factor-100 error;
//! so the styles are read here from the package: `xl/styles.xml` (number
//! formats and the cell formats using them), `xl/workbook.xml` and its
//! relationships (which part holds the sheet), and the sheet's `<c r s>`.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Zero-based (row, column) of every percent-formatted cell of the sheet
/// named `sheet`; empty when the package cannot be read this way (calamine
/// reports a broken workbook itself).
pub(crate) fn percent_cells(bytes: &[u8], sheet: &str) -> HashSet<(u32, u32)> {
    let mut cells = HashSet::new();
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return cells;
    };
    let mut part = |name: &str| -> Option<String> {
        let mut file = archive.by_name(name).ok()?;
        let mut text = String::new();
        file.read_to_string(&mut text).ok()?;
        Some(text)
    };
    let (Some(styles), Some(workbook), Some(relations)) = (
        part("xl/styles.xml"),
        part("xl/workbook.xml"),
        part("xl/_rels/workbook.xml.rels"),
    ) else {
        return cells;
    };
    let percent_styles = percent_styles(&styles);
    if percent_styles.is_empty() {
        return cells;
    }
    let Some(path) = sheet_part(&workbook, &relations, sheet) else {
        return cells;
    };
    let Some(xml) = part(&path) else {
        return cells;
    };
    for element in elements(&xml, "c") {
        let style = attribute(&element, "s").and_then(|s| s.parse::<usize>().ok());
        if style.is_some_and(|style| percent_styles.contains(&style)) {
            if let Some(at) = attribute(&element, "r").and_then(|r| cell_position(&r)) {
                cells.insert(at);
            }
        }
    }
    cells
}

/// The indices of `cellXfs` entries whose number format shows a percent.
fn percent_styles(styles: &str) -> HashSet<usize> {
    let custom: HashMap<String, bool> = elements(styles, "numFmt")
        .iter()
        .filter_map(|element| {
            let id = attribute(element, "numFmtId")?;
            let code = attribute(element, "formatCode")?;
            Some((id, shows_percent(&code)))
        })
        .collect();
    let mut percent = HashSet::new();
    let mut in_cell_formats = false;
    let mut index = 0;
    let mut reader = Reader::from_str(styles);
    loop {
        match reader.read_event() {
            Ok(Event::Start(element)) if element.local_name().as_ref() == b"cellXfs" => {
                in_cell_formats = true;
            }
            Ok(Event::End(element)) if element.local_name().as_ref() == b"cellXfs" => break,
            Ok(Event::Start(element) | Event::Empty(element))
                if in_cell_formats && element.local_name().as_ref() == b"xf" =>
            {
                let id = attribute(&element, "numFmtId").unwrap_or_default();
                // Built-in formats 9 (`0%`) and 10 (`0.00%`).
                let is_percent =
                    matches!(id.as_str(), "9" | "10") || custom.get(&id).copied().unwrap_or(false);
                if is_percent {
                    percent.insert(index);
                }
                index += 1;
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    percent
}

/// Whether a number format code shows a percent sign outside quotes and
/// escapes (in its first, positive section).
fn shows_percent(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => return false,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// The package path of the sheet named `sheet`, e.g. `xl/worksheets/sheet1.xml`.
fn sheet_part(workbook: &str, relations: &str, sheet: &str) -> Option<String> {
    let id = elements(workbook, "sheet").iter().find_map(|element| {
        (attribute(element, "name")? == sheet).then(|| attribute(element, "id"))?
    })?;
    let target = elements(relations, "Relationship")
        .iter()
        .find_map(|element| {
            (attribute(element, "Id")? == id).then(|| attribute(element, "Target"))
        })??;
    Some(match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    })
}

/// Every element of that local name (any namespace prefix), owned.
fn elements(xml: &str, name: &str) -> Vec<BytesStart<'static>> {
    let mut found = Vec::new();
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(element) | Event::Empty(element))
                if element.local_name().as_ref() == name.as_bytes() =>
            {
                found.push(element.into_owned());
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    found
}

/// An attribute's unescaped value by local name (`r:id` is `id`).
fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|attribute| attribute.key.local_name().as_ref() == name.as_bytes())
        .and_then(|attribute| {
            let raw = String::from_utf8_lossy(&attribute.value).into_owned();
            quick_xml::escape::unescape(&raw)
                .ok()
                .map(|value| value.into_owned())
        })
}

/// `C7` as zero-based (row 6, column 2).
fn cell_position(reference: &str) -> Option<(u32, u32)> {
    let letters = reference
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    if letters == 0 {
        return None;
    }
    let column = reference[..letters].bytes().try_fold(0u32, |sum, letter| {
        sum.checked_mul(26)?
            .checked_add(u32::from(letter.to_ascii_uppercase() - b'A') + 1)
    })?;
    let row: u32 = reference[letters..].parse().ok()?;
    Some((row.checked_sub(1)?, column - 1))
}

/// A cell's name from its zero-based position: (6, 2) is `C7`.
pub(crate) fn cell_name(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut rest = column + 1;
    while rest > 0 {
        letters.push(b'A' + ((rest - 1) % 26) as u8);
        rest = (rest - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names_round_trip() {
        assert_eq!(cell_name(6, 2), "C7");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_position("C7"), Some((6, 2)));
        assert_eq!(cell_position("AA1"), Some((0, 26)));
        assert_eq!(cell_position("7"), None);
    }

    #[test]
    fn percent_signs_outside_quotes_count() {
        assert!(shows_percent("0.0%"));
        assert!(!shows_percent("0.0\"%\""));
        assert!(!shows_percent("0.00\\%"));
        assert!(!shows_percent("#,##0"));
    }
}
