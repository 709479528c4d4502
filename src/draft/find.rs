//! Finding the targets of a document: every sentence is cut at `，；` into
//! parts; a part that names a time (`到2025年`) or 力争 and no target carries
//! over to the parts after it, and a part with a target word (a bound, a
//! verb of reaching, a trend, 全覆盖) or a figure is a candidate. Its
//! indicator is the noun phrase before that word (scope words such as 全市
//! and the time stripped), or, when the verb comes first (`新增标准化急救点
//! 3个`, `提升职业病防治知识普及率`), the one after it. The unit comes from
//! the figures, `better` from the verb, and the sentence reader of
//! `crate::phrase` reads the part against the guessed declaration: what it
//! reads is the target, exactly as the drafted rule will compile.

use super::document::Document;
use super::figures::{has_figure, noun_after, target_word, timed};
use super::grades::{titles, written_out};
use super::names::{every_one_sets_up, named_one, names, per_head};
use super::normalise::{is_han, Paragraph};
use super::reading::{draft_part, Indicator, Reading};
use super::rewrite::{
    bracketed_shares, covers_places, cross_shares, joined, run_on, run_together, shared_levels,
    without_items,
};
use super::sections::Sections;
use crate::phrase::lexicon::{meaning, Meaning};
use crate::phrase::tokens::{tokens, Kind, Token};

/// One drafted rule: a part of a sentence and the targets it reads as.
#[derive(Debug, Clone)]
pub struct Found {
    /// The rule's sentence: the carried time and the part.
    pub text: String,
    pub indicators: Vec<Indicator>,
    pub targets: Vec<Reading>,
    pub section: Option<String>,
    pub owner: Option<String>,
    /// The whole sentence, verbatim (normalised).
    pub sentence: String,
    /// Character offset of the sentence in the document.
    pub offset: usize,
    /// `in YEAR` for a year's plan, `by YEAR` for an implicit deadline.
    pub clause: Option<String>,
    pub todos: Vec<String>,
}

/// A sentence with a figure that gave no target.
#[derive(Debug, Clone)]
pub struct Unread {
    pub section: Option<String>,
    pub sentence: String,
    pub offset: usize,
}

/// The longest sentence read, in characters; a longer run without a full
/// stop is listed as not read.
const MAX_SENTENCE: usize = 1000;

/// Headings of a review of past work: their figures are no targets.
const PAST_HEADINGS: &[&str] = &[
    "基础", "回顾", "成效", "现状", "背景", "成就", "机遇", "挑战", "进展",
];
/// Words that put a sentence in the past.
const PAST_WORDS: &[&str] = &["十三五", "十二五", "已经", "截至", "截止", "同比", "比上年"];

/// Everything found in the paragraphs.
pub struct Findings {
    pub found: Vec<Found>,
    pub unread: Vec<Unread>,
}

pub fn find(paragraphs: &[Paragraph], document: &Document) -> Findings {
    let mut sections = Sections::default();
    let mut findings = Findings {
        found: Vec::new(),
        unread: Vec::new(),
    };
    let mut declared: Vec<Indicator> = Vec::new();
    for paragraph in paragraphs.iter().skip(document.starts_at) {
        let text_start = sections.enter(&paragraph.text);
        let past = sections
            .headings()
            .any(|heading| PAST_HEADINGS.iter().any(|word| heading.contains(word)));
        let (body_end, owner) = owner(&paragraph.text);
        let body = &paragraph.text[text_start.min(body_end)..body_end];
        for (start, sentence) in split(body, &['。', '！', '？', '；', ';', '!', '?']) {
            let offset = paragraph.offset_of(text_start + start);
            if sentence.chars().count() > MAX_SENTENCE {
                // Text without full stops (a table flattened, a dump): listed.
                let head: String = sentence.chars().take(200).collect();
                findings.unread.push(Unread {
                    section: sections.label(),
                    sentence: format!("{head}…"),
                    offset,
                });
                continue;
            }
            let figures = has_figure(sentence);
            if past || PAST_WORDS.iter().any(|word| sentence.contains(word)) {
                if figures {
                    findings.unread.push(Unread {
                        section: sections.label(),
                        sentence: sentence.to_string(),
                        offset,
                    });
                }
                continue;
            }
            let before = findings.found.len();
            // The sentence, then the shares its brackets list as targets.
            let listed = with_time(sentence, bracketed_shares(sentence));
            for text in std::iter::once(sentence).chain(listed.iter().map(String::as_str)) {
                read_sentence(
                    text,
                    offset,
                    document,
                    &sections,
                    owner.as_deref(),
                    &mut declared,
                    &mut findings.found,
                );
            }
            if findings.found.len() == before && figures {
                findings.unread.push(Unread {
                    section: sections.label(),
                    sentence: sentence.to_string(),
                    offset,
                });
            }
        }
    }
    findings
}

/// Texts read apart from their sentence, each after the sentence's time
/// (`到2027年，`) when its first part names one.
fn with_time(sentence: &str, texts: Vec<String>) -> Vec<String> {
    let lead = split(sentence, &['，', ','])
        .first()
        .map(|(_, part)| *part)
        .filter(|part| tokens(part, &[]).iter().any(timed) && !has_figure(part));
    match lead {
        Some(lead) => texts.iter().map(|text| format!("{lead}，{text}")).collect(),
        None => texts,
    }
}

/// Where the paragraph's text ends before `(责任单位: …)`, and the unit named.
fn owner(text: &str) -> (usize, Option<String>) {
    let Some(at) = text.find("责任单位") else {
        return (text.len(), None);
    };
    let start = text[..at]
        .rfind(['(', '（'])
        .filter(|open| text[*open..at].chars().count() <= 1)
        .unwrap_or(at);
    let rest = &text[at + "责任单位".len()..];
    let rest = rest.trim_start_matches([':', '：', ' ']);
    let end = rest.find([')', '）']).unwrap_or(rest.len());
    let owner = rest[..end]
        .trim()
        .trim_end_matches(['。', '；'])
        .to_string();
    (start, (!owner.is_empty()).then_some(owner))
}

/// Cuts text at the given marks outside brackets: (byte start, piece).
fn split<'t>(text: &'t str, marks: &[char]) -> Vec<(usize, &'t str)> {
    let mut pieces = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (at, c) in text.char_indices() {
        match c {
            '(' | '（' | '“' | '《' | '「' => depth += 1,
            ')' | '）' | '”' | '》' | '」' => depth = (depth - 1).max(0),
            c if depth == 0 && marks.contains(&c) => {
                pieces.push((start, &text[start..at]));
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    pieces.push((start, &text[start..]));
    pieces
        .into_iter()
        .map(|(at, piece)| {
            let trimmed = piece.trim_start();
            (at + piece.len() - trimmed.len(), trimmed.trim_end())
        })
        .filter(|(_, piece)| !piece.is_empty())
        .collect()
}
/// `建设1家省级“旗舰中医馆”`: quotation marks around a term are no part
/// of the indicator's name, and go. A quoted term with a number in it is a
/// slogan (`“两个确立”`, `“1+6+N”`, `“五张责任清单”`): it keeps its marks,
/// so neither its number nor its words are read as a target.
fn unquoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(['“', '‘']) {
        let mark = rest[open..].chars().next().unwrap_or('“');
        let close = if mark == '“' { '”' } else { '’' };
        let inner_start = open + mark.len_utf8();
        let Some(length) = rest[inner_start..].find(close) else {
            break;
        };
        let inner = &rest[inner_start..inner_start + length];
        out.push_str(&rest[..open]);
        let after = &rest[inner_start + length + close.len_utf8()..];
        // `“5511”人才库`: a number in quotes counts only before a measure word.
        let counted = after.starts_with(|c: char| "个家所名处项间支座条套台种大".contains(c));
        let bare_number = inner.chars().all(|c| c.is_ascii_digit());
        if slogan(inner) || (bare_number && !counted) {
            out.push_str(&rest[open..inner_start + length + close.len_utf8()]);
        } else {
            out.push_str(inner);
        }
        rest = &rest[inner_start + length + close.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// A quoted term with a count in it: digits, a numeral before a measure
/// word (`两个确立`, `三位一体`), numerals in a row (`十四五`), a letter
/// standing for a number (`“N”个场景`). `两慢病` is a name, and so is a
/// span of time or way (`“15-20分钟医疗服务圈”`); a number alone in
/// quotes (`“1”个平台`) is the number.
fn slogan(inner: &str) -> bool {
    let numeral = |c: char| "一二三四五六七八九十百千万两〇零".contains(c);
    let chars: Vec<char> = inner.chars().collect();
    if inner.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    if inner.chars().all(|c| c.is_ascii_alphabetic()) {
        return true;
    }
    if ["分钟", "公里"].iter().any(|way| inner.contains(way)) && !inner.contains(['+', '#', '/'])
    {
        return false;
    }
    inner.contains(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation())
        || chars.windows(2).any(|pair| {
            numeral(pair[0])
                && (numeral(pair[1]) || "个项张条大类种位名件次亩床县".contains(pair[1]))
        })
}

/// The items of a part that are targets of their own
/// (`新建市级医学重点学科10个以上、省级重点学科5个`): cut at `、` after a
/// figure when a figure follows.
fn items(part: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut start = 0;
    let found = tokens(part, &[]);
    // `80%二级以上公立医疗机构A达到4级以上、B3级以上`: a share of a noun
    // the items share is no list of targets of their own.
    let shared = (0..found.len())
        .find(|at| matches!(found[*at].kind, Kind::Number(_) | Kind::Range(..)))
        .is_some_and(|at| {
            let share = matches!(&found[at].kind, Kind::Number(number)
                if matches!(number.unit.as_deref(), Some("%" | "％")));
            let noun_next = part[found[at].span.end..]
                .chars()
                .next()
                .is_some_and(is_han);
            noun_after(part, &found, at).is_some() || (share && noun_next)
        });
    if shared {
        return vec![part];
    }
    for (at, token) in found.iter().enumerate() {
        if token.kind != Kind::List {
            continue;
        }
        let valued = |t: &&Token| matches!(t.kind, Kind::Number(_) | Kind::Range(..));
        let valued_before = found[..at]
            .iter()
            .rev()
            .take_while(|t| t.kind != Kind::List)
            .any(|t| valued(&t));
        let ends_valued = found[..at].last().is_some_and(|last| {
            valued(&last)
                || last.word().is_some_and(|word| {
                    matches!(
                        meaning(word),
                        Meaning::Bound { after: true, .. } | Meaning::Approx
                    )
                })
        });
        let valued_after = found[at + 1..]
            .iter()
            .take_while(|t| t.kind != Kind::List)
            .any(|t| valued(&t));
        if valued_before && ends_valued && valued_after && !part.contains("分别") {
            items.push(&part[start..token.span.start]);
            start = token.span.end;
        }
    }
    items.push(&part[start..]);
    items
}

#[allow(clippy::too_many_arguments)]
fn read_sentence(
    sentence: &str,
    offset: usize,
    document: &Document,
    sections: &Sections,
    owner: Option<&str>,
    declared: &mut Vec<Indicator>,
    found: &mut Vec<Found>,
) {
    let mut carried = String::new();
    let parts = joined(split(sentence, &['，', ',', '：', ':']));
    let pieces: Vec<(String, Option<String>)> = parts
        .iter()
        .flat_map(|part| run_on(part))
        .map(|piece| match shared_levels(piece) {
            Some(paired) => {
                let note = format!(
                    "`{piece}`: a list of levels and of figures, paired in order: `{paired}`"
                );
                (paired, Some(note))
            }
            None => (piece.to_string(), None),
        })
        .collect();
    let expanded: Vec<(String, Option<String>)> = pieces
        .iter()
        .flat_map(|(piece, note)| items(piece).into_iter().map(move |item| (item, note)))
        .flat_map(|(item, note)| match cross_shares(item) {
            Some(crossed) => {
                let said = format!(
                    "`{item}`: each item's share in each whole, read as `{}`",
                    crossed.join("`, `")
                );
                crossed
                    .into_iter()
                    .map(|crossed| (crossed, Some(said.clone())))
                    .collect::<Vec<_>>()
            }
            None => vec![(item.to_string(), note.clone())],
        })
        .flat_map(|(item, note)| match titles(&item) {
            Some(titles) => titles
                .into_iter()
                .map(|title| {
                    let note = format!("`{item}` keeps a title: read as `{title}`");
                    (title, Some(note))
                })
                .collect(),
            None => vec![(item, note)],
        })
        .collect();
    for (raw, kept) in &expanded {
        // `三甲` is `三级甲等`.
        let mut part = written_out(&unquoted(raw));
        let mut note = kept.clone();
        if let Some(counted) = named_one(&part) {
            note = Some(format!(
                "`{part}` names one institution: read as a count of at least 1"
            ));
            part = counted;
        }
        if let Some(paired) = run_together(&part) {
            note = Some(format!(
                "`{part}`: figures run together, paired in order: `{paired}`"
            ));
            part = paired;
        }
        if let Some(rewritten) = covers_places(&part) {
            note = Some(format!(
                "`{part}`: a service covering every place of the kind, read as `{rewritten}`"
            ));
            part = rewritten;
        }
        if let Some(rewritten) = every_one_sets_up(&part) {
            note = Some(format!(
                "`{part}`: every institution of the class sets it up, read as `{rewritten}`"
            ));
            part = rewritten;
        }
        if let Some(rewritten) = per_head(&part) {
            note = Some(format!(
                "`{part}` states staffing per head: read as `{rewritten}`"
            ));
            part = rewritten;
        }
        let part = part.as_str();
        let found_tokens = tokens(part, &[]);
        let Some(anchor) = (0..found_tokens.len()).position(|at| {
            noun_after(part, &found_tokens, at).is_some() || target_word(part, &found_tokens, at)
        }) else {
            if found_tokens.iter().any(timed) {
                carried = part.to_string();
            }
            continue;
        };
        let years: Vec<i32> = found_tokens
            .iter()
            .filter_map(|token| match token.kind {
                Kind::Year { value, .. } => Some(value),
                _ => None,
            })
            .collect();
        if let (Some(start), Some(first)) = (document.period.map(|p| p.0), years.first()) {
            if *first < start - 1 && !part.contains("较") && !part.contains("基础上") {
                continue;
            }
        }
        // `2020年为3.67人`: a level stated with 为 and no target word is a
        // baseline.
        let stated = part[..found_tokens[anchor].span.start].ends_with('为');
        let other_word = found_tokens.iter().any(|token| {
            token.word().is_some_and(|word| {
                !matches!(
                    meaning(word),
                    Meaning::Filler | Meaning::To | Meaning::Base | Meaning::And
                )
            })
        });
        if stated && !other_word {
            continue;
        }
        // `依托1家县级医院，加强…`: a figure after a word of means names
        // what the work relies on, not a target.
        let before = &part[..found_tokens[anchor].span.start];
        if ["依托", "借助", "利用", "通过", "围绕"]
            .iter()
            .any(|means| before.ends_with(means))
        {
            continue;
        }
        let Some(names) = names(part, &found_tokens, anchor) else {
            continue;
        };
        let text = if carried.is_empty()
            || found_tokens
                .iter()
                .any(|t| matches!(t.kind, Kind::Year { .. }))
        {
            part.to_string()
        } else {
            format!("{carried}，{part}")
        };
        let mut text = text;
        let mut drafted = draft_part(&text, names.clone(), document, declared);
        if drafted.is_none() && names.len() > 1 {
            if let Some(trimmed) = without_items(&text, &names) {
                drafted = draft_part(&trimmed, names, document, declared);
                text = trimmed;
            }
        }
        // `常住人口千人以上…的行政村全部设立…`: with no figure in the part, a
        // number the reader took is a qualifier, not the target.
        let stray = |reading: &Reading| {
            reading.value.starts_with(|c: char| c.is_ascii_digit())
                && reading.value != "100%"
                && reading.value != "0"
        };
        let drafted =
            drafted.filter(|(_, targets, ..)| has_figure(part) || !targets.iter().any(stray));
        if let Some(drafted) = drafted {
            let (indicators, targets, clause, mut todos) = drafted;
            todos.extend(note);
            for indicator in &indicators {
                if !declared.iter().any(|known| known.name == indicator.name) {
                    declared.push(indicator.clone());
                }
            }
            found.push(Found {
                text,
                indicators,
                targets,
                section: sections.label(),
                owner: owner.map(str::to_string),
                sentence: sentence.to_string(),
                offset,
                clause,
                todos,
            });
        }
    }
}
