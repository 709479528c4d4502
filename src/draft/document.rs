//! The `document` block of a draft: title, 文号 and date when the document
//! gives them, and the plan's span: `十四五` is 2021..2025, a `2021—2025年`
//! in the title is that span, a year's 工作要点 is that year (its targets
//! are annual), else the issue year to the deadline most targets name.

use super::normalise::{is_han, Paragraph};
use serde::Serialize;

/// What the document says of itself.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Document {
    pub id: String,
    pub title: Option<String>,
    pub number: Option<String>,
    pub issued: Option<String>,
    pub period: Option<(i32, i32)>,
    pub baseline: Option<i32>,
    /// A year's work plan: targets without a year are that year's.
    pub annual: Option<i32>,
    /// The paragraph holding the title when it stands alone: what comes
    /// before it is the page around the document (menus, bylines).
    #[serde(skip)]
    pub starts_at: usize,
}

const TITLE_ENDS: &[&str] = &[
    "规划", "方案", "意见", "通知", "要点", "任务", "办法", "计划", "纲要", "行动",
];

/// Reads the document block from the first paragraphs.
pub fn read(paragraphs: &[Paragraph], fallback_id: &str) -> Document {
    let head: Vec<&str> = paragraphs
        .iter()
        .take(60)
        .map(|p| p.text.as_str())
        .collect();
    let title = title(&head);
    let number = head.iter().find_map(|line| doc_number(line));
    let issued = head.iter().find_map(|line| date(line));
    let starts_at = title
        .as_deref()
        .and_then(|title| head.iter().position(|line| line.trim() == title))
        .unwrap_or(0);
    let mut document = Document {
        id: number
            .clone()
            .or_else(|| title.clone())
            .unwrap_or_else(|| fallback_id.to_string()),
        title,
        number,
        issued,
        starts_at,
        ..Document::default()
    };
    let title = document.title.clone().unwrap_or_default();
    let issued_year = document
        .issued
        .as_deref()
        .and_then(|date| date.get(..4))
        .and_then(|year| year.parse().ok());
    if title.contains("十四五")
        || head
            .iter()
            .take(5)
            .any(|line| line.contains("“十四五”") && line.contains("规划"))
    {
        document.period = Some((2021, 2025));
        document.baseline = Some(2020);
    } else if let Some(span) = span_in(&title) {
        document.period = Some(span);
        document.baseline = Some(span.0 - 1);
    } else if let Some(year) = annual(&title) {
        document.period = Some((year, year));
        document.baseline = Some(year - 1);
        document.annual = Some(year);
    } else {
        let deadline = common_deadline(paragraphs);
        let start = issued_year.or(deadline.map(|year| year - 2));
        if let (Some(start), Some(end)) = (start, deadline) {
            document.period = Some((start.min(end), end));
        }
    }
    document
}

/// `标题: …`, else a short line ending as titles do, else the first
/// `《…》` naming one.
fn title(head: &[&str]) -> Option<String> {
    let titled = |text: &str| TITLE_ENDS.iter().any(|end| text.ends_with(end));
    head.iter()
        .find_map(|line| {
            line.strip_prefix("标题:")
                .or_else(|| line.strip_prefix("标题："))
                .map(|rest| rest.trim().to_string())
        })
        .or_else(|| {
            head.iter()
                .find(|line| {
                    line.chars().count() <= 60
                        && titled(line)
                        && !line.contains('，')
                        && !counts(line)
                })
                .map(|line| line.trim().to_string())
        })
        .or_else(|| {
            head.iter().find_map(|line| {
                let start = line.find('《')? + '《'.len_utf8();
                let end = start + line[start..].find('》')?;
                let inner = &line[start..end];
                titled(inner).then(|| inner.to_string())
            })
        })
        .filter(|title| !title.is_empty())
}

/// Whether a line holds a figure other than a year (`完成45家…任务` is a
/// headline, not a title).
fn counts(line: &str) -> bool {
    let mut rest = line;
    while let Some(at) = rest.find(|c: char| c.is_ascii_digit()) {
        let run = rest[at..].chars().take_while(char::is_ascii_digit).count();
        let year = run == 4 && rest[at + run..].starts_with('年');
        if !year {
            return true;
        }
        rest = &rest[at + run..];
    }
    false
}

/// `日政办字〔2024〕23号`: the issuer's characters, the year in 〔〕 and the
/// number.
fn doc_number(line: &str) -> Option<String> {
    let open = line.find('〔').or_else(|| line.find('['))?;
    let close_char = if line[open..].starts_with('〔') {
        '〕'
    } else {
        ']'
    };
    let close = open + line[open..].find(close_char)?;
    let year = &line[open + close_char.len_utf8()..close];
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let after = &line[close + close_char.len_utf8()..];
    let digits = after.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || !after[digits..].starts_with('号') {
        return None;
    }
    let issuer: String = line[..open]
        .chars()
        .rev()
        .take_while(|c| is_han(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if issuer.is_empty() {
        return None;
    }
    Some(format!(
        "{issuer}{}{}号",
        &line[open..close + close_char.len_utf8()],
        &after[..digits]
    ))
}

/// `成文日期: 2024-06-17`, a line that is a date (`2023年6月30日`), or a
/// signature date whose separators were lost (`2023630`).
fn date(line: &str) -> Option<String> {
    let valid = |y: i32, m: u32, d: u32| {
        ((1949..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
            .then(|| format!("{y:04}-{m:02}-{d:02}"))
    };
    if let Some(rest) = line
        .strip_prefix("成文日期")
        .map(|r| r.trim_start_matches([':', '：', ' ']))
    {
        let parts: Vec<&str> = rest.get(..10)?.split('-').collect();
        if let [y, m, d] = parts[..] {
            return valid(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        }
    }
    let trimmed = line.trim();
    if let Some(rest) = trimmed.strip_suffix('日') {
        let (year, rest) = rest.split_once('年')?;
        let (month, day) = rest.split_once('月')?;
        return valid(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    }
    if (7..=8).contains(&trimmed.len()) && trimmed.chars().all(|c| c.is_ascii_digit()) {
        let year: i32 = trimmed[..4].parse().ok()?;
        let rest = &trimmed[4..];
        let splits: Vec<(usize, usize)> = (1..rest.len()).map(|at| (0, at)).collect();
        return splits.into_iter().find_map(|(_, at)| {
            let (m, d) = rest.split_at(at);
            (m.len() <= 2 && d.len() <= 2)
                .then(|| valid(year, m.parse().ok()?, d.parse().ok()?))
                .flatten()
        });
    }
    None
}

/// `2021—2025年` in a title.
fn span_in(title: &str) -> Option<(i32, i32)> {
    let chars: Vec<char> = title.chars().collect();
    for at in 0..chars.len().saturating_sub(9) {
        let first: String = chars[at..at + 4].iter().collect();
        let second: String = chars[at + 5..at + 9].iter().collect();
        if matches!(chars[at + 4], '—' | '-' | '－' | '~' | '至')
            && chars.get(at + 9) == Some(&'年')
        {
            if let (Ok(a), Ok(b)) = (first.parse::<i32>(), second.parse::<i32>()) {
                if a < b && (1949..=2100).contains(&a) {
                    return Some((a, b));
                }
            }
        }
    }
    None
}

/// A year's work plan: `2023年…工作要点`, `…2021年重点工作任务`.
fn annual(title: &str) -> Option<i32> {
    let plan = ["工作要点", "工作任务", "工作计划", "年度计划"];
    if !plan.iter().any(|word| title.contains(word)) {
        return None;
    }
    let at = title.find('年')?;
    let year: String = title[..at]
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    year.parse().ok().filter(|y| (1949..=2100).contains(y))
}

/// The deadline named most often (`到2025年`, `2025年底前`).
fn common_deadline(paragraphs: &[Paragraph]) -> Option<i32> {
    let mut counts = std::collections::BTreeMap::new();
    for paragraph in paragraphs {
        let text = &paragraph.text;
        for (at, _) in text.match_indices('年') {
            let Some(year) = text[..at]
                .get(at.saturating_sub(4)..)
                .and_then(|y| y.parse::<i32>().ok())
            else {
                continue;
            };
            let before = &text[..at - 4];
            let after = &text[at + '年'.len_utf8()..];
            if before.ends_with('到') || after.starts_with("底前") || after.starts_with("前") {
                *counts.entry(year).or_insert(0) += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|(year, count)| (*count, -year))
        .map(|(year, _)| year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_dates_and_spans() {
        assert_eq!(
            doc_number("发文字号: 日政办字〔2024〕23号 有效性").as_deref(),
            Some("日政办字〔2024〕23号")
        );
        assert_eq!(
            date("成文日期: 2024-06-17 发布日期").as_deref(),
            Some("2024-06-17")
        );
        assert_eq!(date("2023年6月30日").as_deref(), Some("2023-06-30"));
        assert_eq!(date("2023630").as_deref(), Some("2023-06-30"));
        assert_eq!(span_in("健康行动(2021—2030年)"), Some((2021, 2030)));
        assert_eq!(annual("2023年诸暨市卫生健康工作要点"), Some(2023));
        assert_eq!(
            annual("湖南省深化医药卫生体制改革2021年重点工作任务"),
            Some(2021)
        );
    }
}
