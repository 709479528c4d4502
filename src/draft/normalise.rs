//! Reading a document as it comes: web captures and exported text carry page
//! furniture (`— 3 —`, `第3页 共9页`), sentences broken across lines,
//! full-width digits, traditional characters, years written in Chinese
//! numerals (二〇二五年) and digits run together where a dash was lost
//! (20212030年). Each is undone here, character by character, keeping for
//! every character where it was in the document.

/// Whether a character is a Chinese character (the CJK Unified Ideographs).
pub(super) fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// A paragraph of the normalised document: its text and, per character,
/// the character offset in the document it came from.
#[derive(Debug, Clone, Default)]
pub struct Paragraph {
    pub text: String,
    pub origin: Vec<usize>,
}

impl Paragraph {
    fn push(&mut self, c: char, at: usize) {
        self.text.push(c);
        self.origin.push(at);
    }

    fn chars(&self) -> Vec<char> {
        self.text.chars().collect()
    }

    /// The document offset of the character at byte `byte` of the text.
    pub fn offset_of(&self, byte: usize) -> usize {
        let index = self.text[..byte.min(self.text.len())].chars().count();
        self.origin
            .get(index)
            .or(self.origin.last())
            .copied()
            .unwrap_or(0)
    }
}

/// The document as paragraphs: furniture dropped, characters normalised,
/// lines that break mid-sentence joined.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut lines = Vec::new();
    let mut at = 0;
    // A blank line ends a paragraph: no sentence runs across one.
    let mut blank = true;
    for raw in text.split('\n') {
        let count = raw.chars().count();
        let cells = cells(raw, at);
        if cells.is_empty() {
            blank = true;
        }
        let single = cells.len() == 1;
        for cell in cells {
            if !furniture(&cell.text) {
                lines.push((repair(cell), blank || !single));
                blank = false;
            }
        }
        at += count + 1;
    }
    join(lines)
}

/// A line's cells: a tab or a run of three or more spaces is a lost table
/// border, so the texts either side are read apart.
fn cells(raw: &str, base: usize) -> Vec<Paragraph> {
    let mut cells = Vec::new();
    let mut cell = Paragraph::default();
    let mut spaces = 0;
    for (index, c) in raw.chars().enumerate() {
        let c = clean(c);
        if c == '\t' || (c == ' ' && spaces >= 2) {
            spaces = 0;
            let text = cell.text.trim_end().to_string();
            cell.origin.truncate(text.chars().count());
            cell.text = text;
            cells.push(std::mem::take(&mut cell));
            continue;
        }
        spaces = if c == ' ' { spaces + 1 } else { 0 };
        cell.push(c, base + index);
    }
    cells.push(cell);
    cells
        .into_iter()
        .map(trim)
        .filter(|cell| !cell.text.is_empty())
        .collect()
}

fn trim(paragraph: Paragraph) -> Paragraph {
    let chars = paragraph.chars();
    let start = chars.iter().take_while(|c| c.is_whitespace()).count();
    let end = chars.len()
        - chars[start..]
            .iter()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count();
    Paragraph {
        text: chars[start..end].iter().collect(),
        origin: paragraph.origin[start..end].to_vec(),
    }
}

/// One character as the reader wants it: full-width digits, letters, `%`,
/// `.`, `:` and brackets as ASCII, wide and no-break spaces as spaces,
/// control characters as spaces, traditional characters as simplified.
pub fn clean(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '％' | '．' | '（' | '）' | '＋' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        '\u{3000}' | '\u{a0}' | '\r' => ' ',
        '\t' => '\t',
        c if c.is_control() => ' ',
        '\u{200b}'..='\u{200d}' | '\u{feff}' => ' ',
        c => simplified(c),
    }
}

/// A traditional character as its simplified form, when that is one
/// character.
fn simplified(c: char) -> char {
    let mut buffer = [0u8; 4];
    let converted = fast2s::convert(c.encode_utf8(&mut buffer));
    let mut chars = converted.chars();
    match (chars.next(), chars.next()) {
        (Some(simple), None) => simple,
        _ => c,
    }
}

/// Page numbers and running heads: `3`, `— 3 —`, `- 3 -`, `—2023—`,
/// `第3页`, `第 3 页 共 9 页`, `3/9`.
fn furniture(line: &str) -> bool {
    let bare: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    if bare.is_empty() {
        return true;
    }
    let dashes = |c: char| matches!(c, '-' | '—' | '–' | '－' | '─');
    let inner = bare.trim_matches(dashes);
    let digits = |text: &str| !text.is_empty() && text.chars().all(|c| c.is_ascii_digit());
    if digits(inner) && (inner.len() <= 4 || inner.len() < bare.len()) {
        return true;
    }
    if let Some((page, total)) = inner.split_once('/') {
        if digits(page) && digits(total) {
            return true;
        }
    }
    let page = inner
        .strip_prefix('第')
        .and_then(|rest| rest.split_once('页'));
    if let Some((number, rest)) = page {
        let total = rest.strip_prefix('共').and_then(|t| t.strip_suffix('页'));
        return digits(number) && (rest.is_empty() || total.is_some_and(digits));
    }
    false
}

/// Years written in Chinese numerals become digits (二〇二五年 → 2025年),
/// and two years run together get their dash back (20212030年 →
/// 2021—2030年).
fn repair(line: Paragraph) -> Paragraph {
    let chars = line.chars();
    let mut out = Paragraph::default();
    let mut index = 0;
    while index < chars.len() {
        let rest = &chars[index..];
        if rest.len() >= 5 && rest[4] == '年' && rest[..4].iter().all(|c| numeral(*c).is_some()) {
            for (offset, c) in rest[..4].iter().enumerate() {
                let digit = numeral(*c).unwrap_or(0);
                out.push(char::from(b'0' + digit), line.origin[index + offset]);
            }
            index += 4;
            continue;
        }
        let before_digit = index > 0 && chars[index - 1].is_ascii_digit();
        if !before_digit
            && rest.len() >= 9
            && rest[8] == '年'
            && !rest.get(9).is_some_and(|c| c.is_ascii_digit())
        {
            let digits: String = rest[..8].iter().collect();
            if digits.chars().all(|c| c.is_ascii_digit()) {
                let (first, second) = (&digits[..4], &digits[4..]);
                let year = |text: &str| {
                    text.parse::<i32>()
                        .ok()
                        .filter(|y| (1949..=2100).contains(y))
                };
                if let (Some(a), Some(b)) = (year(first), year(second)) {
                    if a < b {
                        for (offset, c) in rest[..4].iter().enumerate() {
                            out.push(*c, line.origin[index + offset]);
                        }
                        out.push('—', line.origin[index + 4]);
                        index += 4;
                        continue;
                    }
                }
            }
        }
        out.push(chars[index], line.origin[index]);
        index += 1;
    }
    out
}

fn numeral(c: char) -> Option<u8> {
    "〇一二三四五六七八九"
        .chars()
        .position(|digit| digit == c)
        .or_else(|| (c == '零').then_some(0))
        .map(|at| at as u8)
}

/// Joins a line that breaks mid-sentence to the next: it ends without a
/// sentence's end and neither is a heading. A line ending in `，` or `、`
/// always continues.
fn join(lines: Vec<(Paragraph, bool)>) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    for (line, apart) in lines {
        let continues = !apart
            && out.last().is_some_and(|last| {
                let end = last.text.chars().last().unwrap_or('。');
                let open = matches!(end, '，' | '、' | ',' | '（' | '(' | '“');
                let ended = matches!(
                    end,
                    '。' | '；'
                        | '！'
                        | '？'
                        | '：'
                        | ':'
                        | ';'
                        | '!'
                        | '?'
                        | '）'
                        | ')'
                        | '”'
                        | '>'
                );
                let long = last.text.chars().count() >= 20;
                // A numbered item runs on like any paragraph; a bare heading
                // is short, and a heading never continues the line above.
                open || (!ended && long && !super::sections::is_heading(&line.text))
            });
        match out.last_mut() {
            Some(last) if continues => {
                last.text.push_str(&line.text);
                last.origin.extend(line.origin);
            }
            _ => out.push(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        paragraphs(text).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn furniture_goes_and_broken_lines_join() {
        let text = "一、目标\n\n到2025年，县域就诊率保持在９０％以上，每千人口\n床位数达到6张。\n— 3 —\n第3页 共9页\n二、任務";
        assert_eq!(
            texts(text),
            [
                "一、目标",
                "到2025年，县域就诊率保持在90%以上，每千人口床位数达到6张。",
                "二、任务"
            ]
        );
    }

    #[test]
    fn years_are_repaired_and_offsets_kept() {
        let paragraph = &paragraphs("实施方案20212030年)，二〇二五年")[0];
        assert_eq!(paragraph.text, "实施方案2021—2030年)，2025年");
        let dash = paragraph.text.find('—').unwrap();
        assert_eq!(paragraph.offset_of(dash), 8);
        assert!(!texts("20212030年").is_empty());
        assert_eq!(texts("编号120212030年"), ["编号120212030年"]);
    }

    #[test]
    fn table_cells_are_read_apart() {
        assert_eq!(texts("指标\t2020年\t2025年"), ["指标", "2020年", "2025年"]);
    }
}
