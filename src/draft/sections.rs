//! Section numbers as the document numbers them, tracked from its
//! headings: `第四章` `第三节`, `第三条`, `二、` `(一)` `3.` `(1)`. A target's
//! `source` is the number in force where its sentence stands, written as
//! the rule files of `rules/` write it: `二(一)3`, `(十三)`, `第四章第三节`,
//! `第三条`.

/// One level of numbering a line can open.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Marker {
    Chapter(String),
    Section(String),
    Article(String),
    /// `二、`
    Part(String),
    /// `(一)`
    Item(String),
    /// `3.`
    Point(String),
}

/// The numbers in force.
#[derive(Debug, Clone, Default)]
pub struct Sections {
    chapter: Option<String>,
    section: Option<String>,
    article: Option<String>,
    part: Option<String>,
    item: Option<String>,
    point: Option<String>,
    /// The heading text of each level in force (chapter to point), for
    /// telling a review of past work from targets.
    titles: [String; 6],
}

impl Sections {
    /// Takes the number a paragraph opens, if it opens one, and returns
    /// where the text after the number starts.
    pub fn enter(&mut self, line: &str) -> usize {
        let Some((marker, rest)) = marker(line) else {
            return 0;
        };
        let start = line.len() - rest.len();
        let level = match &marker {
            Marker::Chapter(_) => 0,
            Marker::Section(_) => 1,
            Marker::Article(_) => 2,
            Marker::Part(_) => 3,
            Marker::Item(_) => 4,
            Marker::Point(_) => 5,
        };
        match marker {
            Marker::Chapter(n) => {
                *self = Sections {
                    chapter: Some(n),
                    ..Sections::default()
                }
            }
            Marker::Section(n) => {
                self.section = Some(n);
                self.clear_below_section();
            }
            Marker::Article(n) => self.article = Some(n),
            Marker::Part(n) => {
                self.part = Some(n);
                self.item = None;
                self.point = None;
            }
            Marker::Item(n) => {
                self.item = Some(n);
                self.point = None;
            }
            Marker::Point(n) => self.point = Some(n),
        }
        for title in &mut self.titles[level..] {
            title.clear();
        }
        // `6.改革完善公共卫生体系。推进…基础设施…`: the heading is the
        // first sentence, not the text run on after it.
        let heading = rest.split(['。', '！', '？']).next().unwrap_or(rest);
        self.titles[level] = heading.chars().take(40).collect();
        start
    }

    /// The headings in force, outermost first.
    pub fn headings(&self) -> impl Iterator<Item = &str> {
        self.titles
            .iter()
            .map(String::as_str)
            .filter(|title| !title.is_empty())
    }

    fn clear_below_section(&mut self) {
        self.article = None;
        self.part = None;
        self.item = None;
        self.point = None;
    }

    /// The number in force: `二(一)3`, `(二)`, `第四章第三节`, `第三条`.
    pub fn label(&self) -> Option<String> {
        if let Some(article) = &self.article {
            return Some(article.clone());
        }
        let mut label = String::new();
        if let Some(chapter) = &self.chapter {
            label.push_str(chapter);
        }
        if let Some(section) = &self.section {
            label.push_str(section);
        }
        if let Some(part) = &self.part {
            label.push_str(part);
        }
        if let Some(item) = &self.item {
            label.push_str(&format!("({item})"));
        }
        if let Some(point) = &self.point {
            label.push_str(point);
        }
        (!label.is_empty()).then_some(label)
    }
}

/// Whether a paragraph starts with a heading's number.
pub fn is_heading(line: &str) -> bool {
    marker(line).is_some()
}

const CN: &str = "一二三四五六七八九十百零〇";

fn cn_run(text: &str) -> usize {
    text.chars()
        .take_while(|c| CN.contains(*c))
        .map(char::len_utf8)
        .sum()
}

fn digit_run(text: &str) -> usize {
    text.chars().take_while(char::is_ascii_digit).count()
}

/// The number a line opens and the text after it.
fn marker(line: &str) -> Option<(Marker, &str)> {
    let line = line.trim_start();
    if let Some(rest) = line.strip_prefix('第') {
        let n = cn_run(rest).max(digit_run(rest));
        let number = &rest[..n];
        let after = &rest[n..];
        if n > 0 {
            for (word, make) in [
                ("章", Marker::Chapter as fn(String) -> Marker),
                ("节", Marker::Section),
                ("条", Marker::Article),
            ] {
                if let Some(rest) = after.strip_prefix(word) {
                    return Some((make(format!("第{number}{word}")), rest.trim_start()));
                }
            }
        }
        return None;
    }
    let n = cn_run(line);
    if n > 0 && n <= 9 {
        if let Some(rest) = line[n..].strip_prefix('、') {
            return Some((Marker::Part(line[..n].to_string()), rest));
        }
    }
    if let Some(rest) = line.strip_prefix('(') {
        let n = cn_run(rest);
        if n > 0 && n <= 9 {
            if let Some(after) = rest[n..].strip_prefix(')') {
                return Some((Marker::Item(rest[..n].to_string()), after));
            }
        }
        return None;
    }
    let n = digit_run(line);
    if (1..=2).contains(&n) {
        let after = &line[n..];
        for dot in ['.', '、'] {
            if let Some(rest) = after.strip_prefix(dot) {
                if !rest.starts_with(|c: char| c.is_ascii_digit()) {
                    return Some((Marker::Point(line[..n].to_string()), rest));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(lines: &[&str]) -> Option<String> {
        let mut sections = Sections::default();
        for line in lines {
            sections.enter(line);
        }
        sections.label()
    }

    #[test]
    fn numbers_nest_as_written() {
        assert_eq!(
            label(&["二、重点任务", "(一)优化资源", "3.提升县级医院"]).as_deref(),
            Some("二(一)3")
        );
        assert_eq!(label(&["(十三)加强"]).as_deref(), Some("(十三)"));
        assert_eq!(
            label(&["第四章 公共卫生", "第三节 托育"]).as_deref(),
            Some("第四章第三节")
        );
        assert_eq!(label(&["第三条 目标"]).as_deref(), Some("第三条"));
        assert_eq!(
            label(&["二、任务", "(一)甲", "3.乙", "(二)丙"]).as_deref(),
            Some("二(二)")
        );
        assert_eq!(label(&["3.67人"]), None);
        // The heading is the first sentence of a point run on with its text.
        let mut sections = Sections::default();
        sections.enter("4.加强队伍建设。完善基础设施，到2025年床位达到500张");
        assert_eq!(sections.headings().collect::<Vec<_>>(), ["加强队伍建设"]);
        assert!(!is_heading("2025年，全市"));
    }
}
