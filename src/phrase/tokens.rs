//! The tokens of a sentence: indicator names found by longest match against
//! the declarations, and between them the numbers, years and words the
//! grammar's `phrase` rule cuts out. Chinese numerals (`一家`, `百名`,
//! `十四点五`) become numbers here.

use pest::Parser as _;

use crate::syntax::ast::Span;
use crate::syntax::{Grammar, Rule};

/// A number as written, with its unit: `90%`, `1:0.55` (a ratio, its
/// second term in `second`), `4.8人`.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub value: f64,
    pub second: Option<f64>,
    pub unit: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// An indicator, by its index among the declared names.
    Indicator(usize),
    /// `2025年`; `end` for `2025年底` / `2025年末`.
    Year {
        value: i32,
        end: bool,
    },
    /// `“十四五”末`.
    PeriodEnd,
    Number(Number),
    Range(Number, Number),
    /// `每个区县`: every child of the scope entity.
    Each,
    /// A word of the lexicon.
    Word(String),
    /// `≥`, `≤`, `>`, `<`.
    Cmp(String),
    /// `，`, `；`, `。`: between targets.
    Break,
    /// `、`: between the items of a list.
    List,
    /// Anything else.
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: Kind,
    pub span: Span,
}

impl Token {
    pub fn word(&self) -> Option<&str> {
        match &self.kind {
            Kind::Word(word) => Some(word),
            _ => None,
        }
    }
}

/// Cuts `text` into tokens. `names` are the declared names and aliases;
/// the longest one starting at a position wins.
pub fn tokens(text: &str, names: &[&str]) -> Vec<Token> {
    let mut found = Vec::new();
    let mut gap_start = 0;
    let mut at = 0;
    while at < text.len() {
        let direct = names
            .iter()
            .enumerate()
            .filter(|(_, name)| !name.is_empty() && text[at..].starts_with(**name))
            .map(|(index, name)| (index, name.len()))
            .max_by_key(|(_, length)| *length);
        // A name the list spells in full for itself, unless leaving out the
        // shared words covers more (`建档率、开放率` with `开放` declared).
        let longest = [direct, carried_over(text, at, gap_start, &found, names)]
            .into_iter()
            .flatten()
            .max_by_key(|(_, length)| *length)
            .or_else(|| sharing_the_end(&text[at..], names));
        match longest {
            Some((index, length)) => {
                found.extend(gap_tokens(&text[gap_start..at], gap_start));
                found.push(Token {
                    kind: Kind::Indicator(index),
                    span: at..at + length,
                });
                at += length;
                gap_start = at;
            }
            None => at += text[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    found.extend(gap_tokens(&text[gap_start..], gap_start));
    found
}

/// An item of a list right after an indicator, or the first words of a
/// part after `，` (`…三级医院占比保持在50%以上,床位占比达到78%以上` carries
/// its subject over): the declared name it continues, if any.
fn carried_over(
    text: &str,
    at: usize,
    gap_start: usize,
    found: &[Token],
    names: &[&str],
) -> Option<(usize, usize)> {
    let listed = matches!(found.last(), Some(Token { kind: Kind::Indicator(_), span })
        if span.end == gap_start && JOINERS.contains(&&text[gap_start..at]));
    let carried = PART_BREAKS.iter().any(|mark| text[..at].ends_with(mark));
    if !listed && !carried {
        return None;
    }
    let previous = found.iter().rev().find_map(|token| match token.kind {
        Kind::Indicator(previous) => Some(previous),
        _ => None,
    })?;
    continued(&text[at..], names, previous)
}

/// What joins the items of a list of indicators.
const JOINERS: &[&str] = &["、", "和", "及", "与", "以及"];

/// What ends a part of a sentence whose subject the next part may keep.
const PART_BREAKS: &[&str] = &["，", ",", "；", ";"];

/// A list item (or the subject of a part after `，`) that leaves out the
/// words it shares with the indicator before it: in
/// `居民健康档案规范化建档率、开放率` the second item is
/// `居民健康档案开放率`, in `下转患者人数及占比` it is `下转患者占比`. The
/// declared name that is a beginning of the previous item's name (quotes
/// aside, at least two characters) followed by the text here, the longest;
/// its index and the length of the text it covers.
fn continued(text: &str, names: &[&str], previous: usize) -> Option<(usize, usize)> {
    let unquoted: String = names[previous]
        .chars()
        .filter(|c| !matches!(c, '“' | '”' | '"' | '「' | '」'))
        .collect();
    let shared: Vec<&str> = unquoted
        .char_indices()
        .map(|(at, _)| &unquoted[..at])
        .filter(|prefix| prefix.chars().count() >= 2)
        .collect();
    names
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != previous)
        .filter_map(|(index, name)| {
            shared
                .iter()
                .filter_map(|prefix| name.strip_prefix(prefix))
                .filter(|rest| rest.chars().count() >= 2 && text.starts_with(rest))
                .map(|rest| (index, rest.len()))
                .max_by_key(|(_, length)| *length)
        })
        .max_by_key(|(_, length)| *length)
}

/// A list item that leaves out the words it shares with the item after
/// it: in `高血压、糖尿病患者健康管理覆盖率` the first item is
/// `高血压患者健康管理覆盖率`. The declared name that is the text here
/// followed by an end (at least two characters) of the declared name that
/// comes after a joiner, the longest; its index and the length of the text
/// it covers (the item before the joiner).
fn sharing_the_end(text: &str, names: &[&str]) -> Option<(usize, usize)> {
    names
        .iter()
        .enumerate()
        .filter_map(|(index, name)| {
            name.char_indices().skip(1).find_map(|(split, _)| {
                let (item, end) = name.split_at(split);
                let rest = text.strip_prefix(item)?;
                let next = JOINERS
                    .iter()
                    .find_map(|joiner| rest.strip_prefix(joiner))?;
                let shares = names.iter().any(|other| {
                    other != name
                        && end.chars().count() >= 2
                        && other.ends_with(end)
                        && next.starts_with(other)
                });
                shares.then_some((index, item.len()))
            })
        })
        .max_by_key(|(_, length)| *length)
}

fn gap_tokens(text: &str, base: usize) -> Vec<Token> {
    if text.is_empty() {
        return Vec::new();
    }
    let Ok(mut pairs) = Grammar::parse(Rule::phrase, text) else {
        // `phrase` ends in "any character", so it reads every text.
        return Vec::new();
    };
    let Some(phrase) = pairs.next() else {
        return Vec::new();
    };
    phrase
        .into_inner()
        .filter_map(|pair| {
            let span = base + pair.as_span().start()..base + pair.as_span().end();
            let kind = match pair.as_rule() {
                Rule::p_year => {
                    let mut value = 0;
                    let mut end = false;
                    for part in pair.into_inner() {
                        match part.as_rule() {
                            Rule::p_year_num => value = arabic(part.as_str()) as i32,
                            Rule::p_year_end => end = true,
                            _ => {}
                        }
                    }
                    Kind::Year { value, end }
                }
                Rule::period_end => Kind::PeriodEnd,
                Rule::p_quantity | Rule::p_ratio => Kind::Number(number(pair, base)),
                Rule::p_range => {
                    let mut ends = pair.into_inner().map(|part| number(part, base));
                    let low = ends.next()?;
                    let high = ends.next()?;
                    Kind::Range(low, high)
                }
                Rule::p_each => Kind::Each,
                Rule::p_word => Kind::Word(pair.as_str().to_string()),
                Rule::p_cmp => Kind::Cmp(pair.as_str().to_string()),
                Rule::p_break => Kind::Break,
                Rule::p_list => Kind::List,
                Rule::EOI => return None,
                _ => Kind::Other,
            };
            Some(Token { kind, span })
        })
        .collect()
}

fn number(pair: pest::iterators::Pair<'_, Rule>, base: usize) -> Number {
    let span = base + pair.as_span().start()..base + pair.as_span().end();
    let ratio = pair.as_rule() == Rule::p_ratio;
    let mut value = 0.0;
    let mut second = None;
    let mut unit = None;
    let mut seen_first = false;
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::arabic if ratio && seen_first => second = Some(arabic(part.as_str())),
            Rule::arabic => {
                value = arabic(part.as_str());
                seen_first = true;
            }
            Rule::cn_number | Rule::cn_decimal => value = chinese(part.as_str()).unwrap_or(0.0),
            Rule::p_unit => unit = Some(part.as_str().to_string()),
            _ => {}
        }
    }
    Number {
        value,
        second,
        unit,
        span,
    }
}

/// An Arabic number, full-width digits allowed.
fn arabic(text: &str) -> f64 {
    let ascii: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            _ => c,
        })
        .collect();
    ascii.parse().unwrap_or(0.0)
}

/// A Chinese numeral: `三`, `十四`, `百`, `一百二十`, `两万`, `十四点五`.
pub fn chinese(text: &str) -> Option<f64> {
    if let Some((whole, fraction)) = text.split_once('点') {
        let whole = chinese(whole)?;
        let mut digits = String::new();
        for c in fraction.chars() {
            digits.push(char::from(b'0' + digit(c)? as u8));
        }
        return format!("{whole}.{digits}").parse().ok();
    }
    let mut total = 0.0;
    let mut section = 0.0;
    let mut current: Option<f64> = None;
    for c in text.chars() {
        if let Some(value) = digit(c) {
            current = Some(f64::from(value));
            continue;
        }
        let scale = match c {
            '十' => 10.0,
            '百' => 100.0,
            '千' => 1000.0,
            '万' => 1e4,
            '亿' => 1e8,
            _ => return None,
        };
        if scale >= 1e4 {
            total = (total + section + current.unwrap_or(0.0)).max(1.0) * scale;
            section = 0.0;
        } else {
            section += current.unwrap_or(1.0) * scale;
        }
        current = None;
    }
    Some(total + section + current.unwrap_or(0.0))
}

fn digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(text: &str, token: &Token) -> String {
        text[token.span.clone()].to_string()
    }

    #[test]
    fn chinese_numerals_are_numbers() {
        for (text, value) in [
            ("一", 1.0),
            ("三", 3.0),
            ("十", 10.0),
            ("十四", 14.0),
            ("百", 100.0),
            ("一百二十", 120.0),
            ("两万", 20000.0),
            ("十四点五", 14.5),
            ("三千五百", 3500.0),
        ] {
            assert_eq!(chinese(text), Some(value), "{text}");
        }
    }

    #[test]
    fn names_are_found_longest_first() {
        let found = tokens(
            "床医比、医护比分别达到1∶0.55、1∶1.2",
            &["床医比", "医护比", "医"],
        );
        let kinds: Vec<_> = found.iter().map(|token| token.kind.clone()).collect();
        assert_eq!(kinds[0], Kind::Indicator(0));
        assert_eq!(kinds[1], Kind::List);
        assert_eq!(kinds[2], Kind::Indicator(1));
        assert_eq!(kinds[3], Kind::Word("分别".into()));
        assert!(matches!(&kinds[5], Kind::Number(n) if n.second == Some(0.55)));
    }

    #[test]
    fn a_list_item_shares_the_beginning_of_the_item_before() {
        let names = ["居民健康档案规范化建档率", "居民健康档案开放率", "开放"];
        let found = tokens("提高居民健康档案规范化建档率、开放率", &names);
        let kinds: Vec<_> = found.iter().map(|token| token.kind.clone()).collect();
        assert_eq!(kinds[1], Kind::Indicator(0));
        assert_eq!(kinds[2], Kind::List);
        assert_eq!(kinds[3], Kind::Indicator(1));
        assert_eq!(found[3].span.len(), "开放率".len());
        let quoted = ["「“两慢病”规范管理率」", "两慢病控制率"];
        let found = tokens("「“两慢病”规范管理率」和控制率", &quoted);
        assert_eq!(
            found.last().map(|t| t.kind.clone()),
            Some(Kind::Indicator(1))
        );
        let carried = tokens("建档率保持在50%以上,居民健康档案开放率", &names);
        assert!(carried.iter().any(|t| t.kind == Kind::Indicator(1)));
        let found = tokens(
            "居民健康档案规范化建档率保持在50%以上,开放率达到60%",
            &names,
        );
        assert_eq!(
            found
                .iter()
                .filter(|t| t.kind == Kind::Indicator(1))
                .count(),
            1
        );
        let both = ["高血压患者健康管理覆盖率", "糖尿病患者健康管理覆盖率"];
        let found = tokens("实现高血压、糖尿病患者健康管理覆盖率达80%", &both);
        let named: Vec<_> = found
            .iter()
            .filter(|token| matches!(token.kind, Kind::Indicator(_)))
            .map(|token| {
                let text = text_of("实现高血压、糖尿病患者健康管理覆盖率达80%", token);
                (token.kind.clone(), text)
            })
            .collect();
        assert_eq!(
            named,
            [
                (Kind::Indicator(0), "高血压".to_string()),
                (Kind::Indicator(1), "糖尿病患者健康管理覆盖率".to_string())
            ]
        );
        // Not after a word that is no joiner, and not a one-character rest.
        let found = tokens("居民健康档案规范化建档率提高开放率", &names);
        assert!(!found.iter().any(|t| t.kind == Kind::Indicator(1)));
    }

    #[test]
    fn every_measure_word_of_the_unit_table_is_a_unit_here() {
        for word in crate::unit::MEASURE_WORDS {
            let found = tokens(&format!("3{word}"), &[]);
            assert!(
                matches!(&found[..], [Token { kind: Kind::Number(n), .. }] if n.unit.as_deref() == Some(*word)),
                "{word}: {found:?}"
            );
        }
    }
}
