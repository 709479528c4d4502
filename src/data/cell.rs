//! Reading one cell: full-width forms, missing markers, numbers with an
//! optional unit (`92.3%`, `1:0.58`, `14.5/10万`, `1,234.5`), text such as
//! grade names, and years (`2023`, `2023年`).
//!
//! Units are returned as written; the loader resolves them against the unit
//! table, so this file knows nothing of diagnostics or spans.

use std::borrow::Cow;

/// Trims a cell (Unicode spaces, including the full-width `　`) and folds the
/// full-width forms of digits and number punctuation to ASCII. Every fold
/// maps one character to one character, so character positions survive.
pub(crate) fn normalise(raw: &str) -> Cow<'_, str> {
    let trimmed = raw.trim();
    if trimmed.is_ascii() || !trimmed.chars().any(|c| fold(c).is_some()) {
        return Cow::Borrowed(trimmed);
    }
    Cow::Owned(trimmed.chars().map(|c| fold(c).unwrap_or(c)).collect())
}

fn fold(c: char) -> Option<char> {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        '．' => Some('.'),
        '，' => Some(','),
        '－' | '−' => Some('-'),
        '＋' => Some('+'),
        '：' | '∶' => Some(':'),
        '／' => Some('/'),
        _ => None,
    }
}

/// The cells that mean "no value", as statistical offices write them. ASCII
/// ones match in any case. The README lists the same markers; the coverage
/// section of a report counts them per file.
pub const MISSING_MARKERS: [&str; 20] = [
    "",
    "-",
    "--",
    "—",
    "——",
    "–",
    "/",
    "…",
    "……",
    "...",
    "NA",
    "N/A",
    "#N/A",
    "NULL",
    "NaN",
    "无",
    "暂无",
    "无数据",
    "缺",
    "不详",
];

/// The missing marker a normalised cell is, as listed in
/// [`MISSING_MARKERS`] (`n/a` is `N/A`); `None` for any other cell.
pub(crate) fn missing_marker(text: &str) -> Option<&'static str> {
    MISSING_MARKERS
        .iter()
        .copied()
        .find(|marker| *marker == text || (marker.is_ascii() && marker.eq_ignore_ascii_case(text)))
}

/// Whether a normalised cell marks a missing value.
pub(crate) fn is_missing(text: &str) -> bool {
    missing_marker(text).is_some()
}

/// The unit a number was written with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum CellUnit<'t> {
    /// A bare number.
    Bare,
    /// A unit after the number, as written (`%`, `/10万`, `张`).
    Written(&'t str),
    /// A ratio `A:B`, stored as B per A.
    Ratio,
}

/// What a non-missing cell holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'t> {
    /// A number and how it was written.
    Number {
        /// The number (B/A for a ratio).
        value: f64,
        /// Its unit as written.
        unit: CellUnit<'t>,
        /// For a ratio whose first term is not 1, that term.
        ratio_first: Option<f64>,
    },
    /// Text, with `「」` around it removed.
    Text(&'t str),
}

/// Why a cell that starts like a number is not one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BadNumber {
    /// What is wrong, for the label.
    pub label: &'static str,
    /// How to fix it.
    pub help: String,
}

impl BadNumber {
    fn new(label: &'static str, help: impl Into<String>) -> Self {
        BadNumber {
            label,
            help: help.into(),
        }
    }
}

/// Reads a normalised, non-missing cell.
pub(crate) fn parse_value(text: &str) -> Result<Value<'_>, BadNumber> {
    let Some(first) = text.chars().next() else {
        return Ok(Value::Text(text));
    };
    if first.is_ascii_digit() || matches!(first, '+' | '-' | '.') {
        return parse_number_cell(text);
    }
    if matches!(text.to_ascii_lowercase().as_str(), "inf" | "infinity" | "∞") {
        return Err(BadNumber::new(
            "not a finite number",
            "write the value itself; a division by zero in the spreadsheet is no value (leave the cell empty)",
        ));
    }
    if matches!(
        first,
        '<' | '>' | '≤' | '≥' | '＜' | '＞' | '≈' | '~' | '～' | '约'
    ) {
        return Err(BadNumber::new(
            "a bound or an estimate, not a value",
            "write the value itself (`90`, `92.3%`); bounds belong in rules",
        ));
    }
    let text = text
        .strip_prefix('「')
        .and_then(|inner| inner.strip_suffix('」'))
        .map_or(text, str::trim);
    Ok(Value::Text(text))
}

fn parse_number_cell(text: &str) -> Result<Value<'_>, BadNumber> {
    let (first, rest) = scan_number(text)?;
    let rest = rest.trim_start();
    if let Some(second) = rest.strip_prefix(':') {
        let (second, after) = scan_number(second.trim_start())?;
        if !after.trim().is_empty() {
            return Err(BadNumber::new(
                "a ratio is two numbers `A:B`",
                "write a ratio as `1:0.58`, without a unit",
            ));
        }
        if first == 0.0 {
            return Err(BadNumber::new(
                "the first term of a ratio is 0",
                "write a ratio as `1:x`, x per 1",
            ));
        }
        return Ok(Value::Number {
            value: second / first,
            unit: CellUnit::Ratio,
            ratio_first: (first != 1.0).then_some(first),
        });
    }
    if rest.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',') {
        return Err(BadNumber::new(
            "more than one number in one cell",
            "write one number per cell; thousands separators go every three digits (`1,234.5`)",
        ));
    }
    let unit = if rest.is_empty() {
        CellUnit::Bare
    } else {
        CellUnit::Written(rest.trim_end())
    };
    Ok(Value::Number {
        value: first,
        unit,
        ratio_first: None,
    })
}

/// Reads a number at the start of `text`: a sign, digits with optional
/// thousands separators, a fraction and an exponent. Returns it and the rest.
fn scan_number(text: &str) -> Result<(f64, &str), BadNumber> {
    let bytes = text.as_bytes();
    let mut at = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        at += 1;
    }
    let integer_start = at;
    let mut commas = false;
    let mut group = 0;
    let mut first_group = true;
    let mut digits = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'0'..=b'9' => {
                group += 1;
                digits += 1;
            }
            b',' if at + 1 < bytes.len() && bytes[at + 1].is_ascii_digit() => {
                let ok = if first_group {
                    (1..=3).contains(&group)
                } else {
                    group == 3
                };
                if !ok {
                    return Err(misplaced_separator());
                }
                commas = true;
                first_group = false;
                group = 0;
            }
            _ => break,
        }
        at += 1;
    }
    if commas && group != 3 {
        return Err(misplaced_separator());
    }
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        while at < bytes.len() && bytes[at].is_ascii_digit() {
            at += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return Err(BadNumber::new(
            "expected a number",
            "write a number such as `92.3`, or leave the cell empty (or `-`) if the value is missing",
        ));
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        let mut exponent = at + 1;
        if matches!(bytes.get(exponent), Some(b'+' | b'-')) {
            exponent += 1;
        }
        if bytes.get(exponent).is_some_and(u8::is_ascii_digit) {
            at = exponent;
            while at < bytes.len() && bytes[at].is_ascii_digit() {
                at += 1;
            }
        }
    }
    if matches!(bytes.get(at), Some(b'.' | b',')) {
        return Err(BadNumber::new(
            "expected a number",
            "write one decimal point, and thousands separators every three digits (`1,234.5`)",
        ));
    }
    let written = &text[..at];
    let parsed = if commas {
        let mut plain = String::with_capacity(written.len());
        plain.push_str(&text[..integer_start]);
        plain.extend(written[integer_start..].chars().filter(|&c| c != ','));
        plain.parse::<f64>()
    } else {
        written.parse::<f64>()
    };
    match parsed {
        Ok(value) if value.is_finite() => Ok((value, &text[at..])),
        _ => Err(BadNumber::new(
            "number out of range",
            "write a finite number, at most about 1.8e308",
        )),
    }
}

fn misplaced_separator() -> BadNumber {
    BadNumber::new(
        "misplaced thousands separator",
        "thousands separators go every three digits (`1,234.5`); a decimal point is `.`",
    )
}

/// Why a year cell is not a year: the help line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BadYear {
    /// How to fix it.
    pub help: &'static str,
}

/// The year of four ASCII digits not starting with 0 (`2024`), the usual
/// year cell, which needs no normalising: the fast path reads it so.
pub(crate) fn four_digits(text: &str) -> Option<i32> {
    match text.as_bytes() {
        &[first @ b'1'..=b'9', second, third, fourth]
            if [second, third, fourth].iter().all(u8::is_ascii_digit) =>
        {
            Some(
                [first, second, third, fourth]
                    .iter()
                    .fold(0, |year, digit| year * 10 + i32::from(digit - b'0')),
            )
        }
        _ => None,
    }
}

/// Reads a normalised year cell: `2023`, `2023年` or `2023年度`.
pub(crate) fn parse_year(text: &str) -> Result<i32, BadYear> {
    let digits = text
        .strip_suffix("年度")
        .or_else(|| text.strip_suffix('年'))
        .unwrap_or(text)
        .trim_end();
    if let Some(year) = four_digits(digits) {
        return Ok(year);
    }
    let help = if digits.is_empty() {
        "every row needs its year, such as `2023`"
    } else if digits.bytes().all(|b| b.is_ascii_digit()) {
        "write the year with four digits, such as `2023`"
    } else if digits.contains('.') && digits.split('.').next().is_some_and(|y| y.len() == 4) {
        "write the year as a whole number, such as `2023`"
    } else {
        "write the year as four digits, such as `2023` or `2023年`"
    };
    Err(BadYear { help })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> (f64, CellUnit<'_>) {
        match parse_value(text) {
            Ok(Value::Number { value, unit, .. }) => (value, unit),
            other => panic!("{text}: {other:?}"),
        }
    }

    macro_rules! numbers {
        ($($text:literal => $value:literal $unit:expr),* $(,)?) => {$(
            let normalised = normalise($text);
            let (value, unit) = number(&normalised);
            assert!((value - $value).abs() < 1e-12, "{}: {}", $text, value);
            assert_eq!(unit, $unit, "{}", $text);
        )*};
    }

    #[test]
    fn numbers_with_units() {
        use CellUnit::*;
        numbers! {
            "92.3" => 92.3 Bare,
            " 92.3% " => 92.3 Written("%"),
            "92.3 %" => 92.3 Written("%"),
            "９２．３" => 92.3 Bare,
            "９２．３％" => 92.3 Written("％"),
            "1,234.5" => 1234.5 Bare,
            "12,345,678" => 12345678.0 Bare,
            "１，２３４" => 1234.0 Bare,
            "-3.5" => -3.5 Bare,
            "－3.5" => -3.5 Bare,
            "+2" => 2.0 Bare,
            ".5" => 0.5 Bare,
            "5." => 5.0 Bare,
            "1.2E+05" => 120000.0 Bare,
            "1:0.58" => 0.58 Ratio,
            "1∶1.17" => 1.17 Ratio,
            "1 : 0.5" => 0.5 Ratio,
            "2:1.1" => 0.55 Ratio,
            "14.5/10万" => 14.5 Written("/10万"),
            "200张" => 200.0 Written("张"),
            "1.5万人" => 1.5 Written("万人"),
            "5.2‰" => 5.2 Written("‰"),
            "3e" => 3.0 Written("e"),
        }
    }

    #[test]
    fn ratio_first_term_is_reported() {
        let Ok(Value::Number { ratio_first, .. }) = parse_value("2:1.1") else {
            panic!()
        };
        assert_eq!(ratio_first, Some(2.0));
        let Ok(Value::Number { ratio_first, .. }) = parse_value("1:1.1") else {
            panic!()
        };
        assert_eq!(ratio_first, None);
    }

    #[test]
    fn bad_numbers() {
        for text in [
            "1.2.3", "1,23", "1234,567", "1,2345", "-", "+x", "1:", "1:x", "0:5", "1:2%", "12 34",
            "1e999", ">90", "≥90%", "约5", "1.234,5", "inf", "-inf", "+inf", "Infinity", "∞",
        ] {
            assert!(parse_value(text).is_err(), "{text} should be an error");
        }
    }

    #[test]
    fn text_cells() {
        assert_eq!(parse_value("二级甲等"), Ok(Value::Text("二级甲等")));
        assert_eq!(parse_value("「A+」"), Ok(Value::Text("A+")));
        assert_eq!(parse_value("A+"), Ok(Value::Text("A+")));
    }

    #[test]
    fn missing_markers() {
        for text in [
            "",
            "-",
            "—",
            "——",
            "NA",
            "n/a",
            "N/A",
            "#N/A",
            "null",
            "无数据",
        ] {
            assert!(is_missing(&normalise(text)), "{text}");
        }
        for text in ["暂无", "无", "/", "…", "NaN", "null", "#N/A", "n/a", "--"] {
            assert!(is_missing(&normalise(text)), "{text}");
        }
        assert_eq!(missing_marker("n/a"), Some("N/A"));
        for text in ["0", "A", "NAN数据", "abc"] {
            assert!(!is_missing(&normalise(text)), "{text}");
        }
        assert!(is_missing(&normalise(" － ")));
        assert!(is_missing(&normalise("　")));
    }

    #[test]
    fn years() {
        assert_eq!(parse_year("2023"), Ok(2023));
        assert_eq!(parse_year("2023年"), Ok(2023));
        assert_eq!(parse_year("2023年度"), Ok(2023));
        assert_eq!(parse_year(&normalise("２０２３年")), Ok(2023));
        for text in [
            "",
            "23",
            "0202",
            "2023.0",
            "二〇二三",
            "2023-01-01",
            "20233",
            "2023年年",
        ] {
            assert!(parse_year(text).is_err(), "{text}");
        }
        assert_eq!(
            parse_year("2023.0").unwrap_err().help,
            "write the year as a whole number, such as `2023`"
        );
    }
}
