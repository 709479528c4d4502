//! The words of reports in one language (`--lang zh|en`): column headings,
//! statuses, progress categories, and the few phrases of outcomes that come
//! in both languages (`逐年上升 (rises each year)`, `差 1.4 个百分点`).

use crate::report::outcome::{Outcome, Status};

/// The language of a report's words.
///
/// ```
/// use zhibiao::{report::words::Lang, Status};
///
/// assert_eq!((Lang::Zh.column(0), Lang::En.column(0)), ("状态", "status"));
/// assert_eq!(Lang::default().status(Status::Pending), "未到期");
/// assert_eq!(Lang::En.gap("差 1.4 个百分点"), "short by 1.4 pp");
/// assert_eq!(Lang::En.phrase("逐年上升 (rises each year)"), "rises each year");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese (the default).
    #[default]
    Zh,
    /// English.
    En,
}

/// The columns of an outcome row, in Chinese and English (what
/// [`Lang::column`] picks from).
pub const COLUMNS: [(&str, &str); 7] = [
    ("状态", "status"),
    ("规则", "rule"),
    ("地区", "entity"),
    ("实际", "actual"),
    ("目标", "target"),
    ("差距/进度", "gap/progress"),
    ("来源", "source"),
];

impl Lang {
    /// A column heading.
    pub fn column(self, index: usize) -> &'static str {
        match self {
            Lang::Zh => COLUMNS[index].0,
            Lang::En => COLUMNS[index].1,
        }
    }

    /// A status.
    pub fn status(self, status: Status) -> &'static str {
        match self {
            Lang::Zh => status.chinese(),
            Lang::En => status.name(),
        }
    }

    /// One of two phrasings.
    pub fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// A phrase given as `中文 (English)` in one language.
    pub fn phrase(self, text: &str) -> String {
        match text.split_once(" (") {
            Some((zh, en)) if en.ends_with(')') && !zh.is_ascii() => match self {
                Lang::Zh => zh.to_string(),
                Lang::En => en.trim_end_matches(')').to_string(),
            },
            _ => text.to_string(),
        }
    }

    /// A gap `差 1.4 个百分点` in this language.
    pub fn gap(self, gap: &str) -> String {
        match self {
            Lang::Zh => gap.to_string(),
            Lang::En => gap
                .replace("年未达标; ", " missed; ")
                .replace("年未达标", " missed")
                .replace("年差 ", ": short by ")
                .replace('、', ", ")
                .replace("差 ", "short by ")
                .replace(" 个百分点", " pp")
                .replace("等于目标值", "equal to the target")
                .replace("未达标: ", "missed: "),
        }
    }

    /// The row's rule name, marked when the target is expected (预期性).
    pub fn rule(self, outcome: &Outcome) -> String {
        let mut rule = outcome.rule.name.clone();
        if !outcome.rule.binding {
            rule.push_str(self.pick(" (预期)", " (expected)"));
        }
        rule
    }

    /// The row's gap, or progress, or why it is not met.
    pub fn note(self, outcome: &Outcome) -> String {
        match (&outcome.gap, &outcome.progress, &outcome.detail) {
            (Some(gap), _, _) => self.gap(gap),
            (None, Some(progress), _) => self
                .pick(progress.category_zh, progress.category_en)
                .to_string(),
            (None, None, Some(detail)) if outcome.status != Status::Pass => detail.clone(),
            _ => String::new(),
        }
    }

    /// The row's cells after the status, in [`COLUMNS`] order.
    pub fn cells(self, outcome: &Outcome) -> [String; 6] {
        [
            self.rule(outcome),
            outcome.entity.clone(),
            outcome
                .actual
                .as_deref()
                .map_or_else(|| "—".to_string(), |actual| self.phrase(actual)),
            outcome
                .target
                .as_deref()
                .map(|target| self.phrase(target))
                .unwrap_or_default(),
            self.note(outcome),
            outcome.rule.source.clone().unwrap_or_default(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_in_one_language() {
        assert_eq!(Lang::Zh.phrase("逐年上升 (rises each year)"), "逐年上升");
        assert_eq!(
            Lang::En.phrase("逐年上升 (rises each year)"),
            "rises each year"
        );
        assert_eq!(Lang::En.gap("差 1.4 个百分点"), "short by 1.4 pp");
        assert_eq!(
            Lang::En.gap("2023、2024年未达标; 2023年差 2 个百分点"),
            "2023, 2024 missed; 2023: short by 2 pp"
        );
        assert_eq!(Lang::Zh.phrase("≥ 90%"), "≥ 90%");
    }
}
