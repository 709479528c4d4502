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
use super::normalise::Paragraph;
use super::sections::Sections;
use crate::phrase::lexicon::{meaning, Meaning};
use crate::phrase::tokens::{tokens, Kind, Token};
use crate::phrase::{self, Context, Declared, When};
use crate::syntax::ast::{Better, CmpOp, CondKind, Direction};

/// A guessed indicator declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub name: String,
    /// As written in a declaration: `%`, `张/千人`, `ratio 床:医`, `number`.
    pub unit: String,
    pub better: Option<Better>,
    /// Why the unit is a guess, if it is one.
    pub guessed: Option<String>,
}

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

/// One target in the JSON's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub indicator: String,
    pub comparator: String,
    pub value: String,
    pub year: Option<i32>,
    pub binding: bool,
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
const PAST_WORDS: &[&str] = &[
    "十三五",
    "十二五",
    "已经",
    "累计",
    "截至",
    "截止",
    "同比",
    "比上年",
];

/// Leading words that scope or time a phrase but name no indicator.
const LEADING: &[&str] = &[
    "到",
    "至",
    "力争",
    "争取",
    "确保",
    "其中",
    "同时",
    "以及",
    "并且",
    "并",
    "和",
    "及",
    "使",
    "让",
    "全市",
    "全省",
    "全区",
    "全县",
    "全国",
    "全域",
    "我国",
    "我省",
    "我市",
    "我区",
    "我县",
    "本市",
    "县域内",
    "基本",
    "进一步",
    "努力",
    "推动",
    "推进",
    "实现",
    "持续",
    "有效",
    "积极",
    "逐步",
    "新增",
    "新建",
    "新改扩建",
    "建成",
    "建设",
    "创建",
    "培育",
    "设置",
    "完成",
    "打造",
    "争创",
    "引进",
    "底前",
    "前",
    "年底",
    "末",
    "时",
    "期间",
    "时期",
    "要",
    "将",
    "的",
    "内",
    "年内",
    "每年",
    "遴选",
    "获评",
    "入选",
    "立项",
    "评选",
    "筛查",
    "评估",
    "实施",
    "深入",
    "巩固",
    "完善",
    "支持",
    "加快",
    "落实",
    "开展",
    "做实",
    "办好",
    "所辖",
    "有",
    "共",
    "确定",
    "组建",
    "提供",
    "在",
];
/// Trailing words between an indicator and its target word.
const TRAILING: &[&str] = &[
    "的",
    "均",
    "要",
    "将",
    "总体",
    "稳定",
    "进一步",
    "基本",
    "分别",
    "整体",
    "总",
    "建成",
    "办好",
    "设立",
    "全部",
    "全面",
    "实现",
];
/// The endings of an indicator's name when no figure says it measures
/// something: a rate, a share, a count, an index, a level.
const MEASURES: &[&str] = &[
    "率", "比", "比例", "比重", "占比", "数", "量", "指数", "寿命", "水平", "人次", "费用", "收入",
    "支出", "床位", "时间", "天数", "CMI", "密度", "规模", "面积", "资金", "经费",
];

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
            read_sentence(
                sentence,
                offset,
                document,
                &sections,
                owner.as_deref(),
                &mut declared,
                &mut findings.found,
            );
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

/// A digit other than in a year, or a Chinese numeral with a measure word.
fn has_figure(sentence: &str) -> bool {
    let found = tokens(sentence, &[]);
    (0..found.len())
        .any(|at| figure(sentence, &found, at) || share_at(sentence, &found, at).is_some())
}

/// Whether the token at `at` is a figure: a number, but not the `千人` of
/// `每千人口` nor the `百名` of `每百名`, which belong to a name.
fn figure(text: &str, found: &[Token], at: usize) -> bool {
    let token = &found[at];
    if !matches!(token.kind, Kind::Number(_) | Kind::Range(..)) {
        return false;
    }
    let (Some(before), Some(after)) = (text.get(..token.span.start), text.get(token.span.end..))
    else {
        return false;
    };
    let next = after.chars().next();
    let cjk = |c: Option<char>| c.is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let unit = match &token.kind {
        Kind::Number(number) | Kind::Range(number, _) => number.unit.clone(),
        _ => None,
    };
    // `每千人口`, `每百名`, `第三批`, `5G`: part of a name or an ordinal.
    if before.ends_with('每') || before.ends_with('第') || after.starts_with('口') {
        return false;
    }
    if next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '+') {
        return false;
    }
    // `三年行动`, `65岁及以上老年人`, `15分钟健康服务圈`, `120急救中心`:
    // a span of time, an age or a bare code qualifies the noun after it.
    if unit.as_deref() == Some("批") {
        // `一批`: some, not a count.
        return false;
    }
    let qualifier_unit = matches!(
        unit.as_deref(),
        Some("年" | "岁" | "分钟" | "小时" | "天" | "月" | "级" | "星")
    );
    if unit.as_deref() == Some("年")
        || (qualifier_unit || unit.is_none()) && cjk(next) && !bound_next(after)
    {
        return false;
    }
    // `45%以上乡镇卫生院…`: a share of the noun after it, not its target.
    for bound in ["及以上", "以上", "以下"] {
        if let Some(rest) = after.strip_prefix(bound) {
            let rest = rest.strip_prefix('的').unwrap_or(rest);
            if cjk(rest.chars().next()) {
                return false;
            }
        }
    }
    true
}

/// `30%以上社区卫生服务站…建成中医阁`: a share written before the noun it
/// is a share of; where that noun starts.
fn share_at(text: &str, found: &[Token], at: usize) -> Option<usize> {
    let Kind::Number(number) = &found[at].kind else {
        return None;
    };
    if !matches!(number.unit.as_deref(), Some("%" | "％")) {
        return None;
    }
    let after = text.get(found[at].span.end..)?;
    ["及以上", "以上"].iter().find_map(|bound| {
        let rest = after.strip_prefix(bound)?;
        let rest = rest.strip_prefix('的').unwrap_or(rest);
        rest.starts_with(|c: char| ('\u{4e00}'..='\u{9fff}').contains(&c))
            .then(|| text.len() - rest.len())
    })
}

/// Whether the text after a number starts with a word about it (a bound,
/// 左右) rather than a noun it qualifies.
fn bound_next(after: &str) -> bool {
    [
        "以上",
        "以下",
        "以内",
        "及以上",
        "左右",
        "（含）",
        "(含)",
        "的",
    ]
    .iter()
    .any(|word| after.starts_with(word))
}

/// Whether the token at `at` says what a target is: a figure, a
/// comparison, a target word. A bound written after its number (以上)
/// counts only after one: `二级及以上医院` is a name.
fn target_word(text: &str, found: &[Token], at: usize) -> bool {
    let token = &found[at];
    match &token.kind {
        Kind::Number(_) | Kind::Range(..) => figure(text, found, at),
        Kind::Cmp(_) => true,
        Kind::Word(word) if matches!(meaning(word), Meaning::Bound { after: true, .. }) => {
            at > 0 && figure(text, found, at - 1) && found[at - 1].span.end == token.span.start
        }
        Kind::Word(word) if matches!(meaning(word), Meaning::All) => whole_word(text, token),
        Kind::Word(word) => matches!(
            meaning(word),
            Meaning::Bound { .. }
                | Meaning::Approx
                | Meaning::Reach(_)
                | Meaning::Hold
                | Meaning::Trend(..)
                | Meaning::Step(_)
                | Meaning::Cagr
                | Meaning::Change(_)
                | Meaning::All
                | Meaning::Zero
        ),
        _ => false,
    }
}

/// 全覆盖, 全部, 均达到: all of what is named. `全面` is that only before a
/// verb of reaching (`全面建成`); `全面落实…` is an adverb.
fn whole_word(text: &str, token: &Token) -> bool {
    let Some(word) = token.word() else {
        return false;
    };
    if !matches!(meaning(word), Meaning::All) {
        return false;
    }
    let after = text.get(token.span.end..).unwrap_or("");
    word != "全面"
        || ["建成", "覆盖", "达到", "实现"]
            .iter()
            .any(|verb| after.starts_with(verb))
}

fn timed(token: &Token) -> bool {
    matches!(token.kind, Kind::Year { .. } | Kind::PeriodEnd)
        || token
            .word()
            .is_some_and(|word| matches!(meaning(word), Meaning::Hedge))
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
    for (_, part) in split(sentence, &['，', ',', '：', ':']) {
        let found_tokens = tokens(part, &[]);
        let Some(anchor) = (0..found_tokens.len()).position(|at| {
            share_at(part, &found_tokens, at).is_some() || target_word(part, &found_tokens, at)
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
        if let Some(drafted) = draft_part(&text, names, document, declared) {
            let (indicators, targets, clause, todos) = drafted;
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

/// The indicator names of a part: before its first target word, else
/// after it; several when 分别 pairs them or a trend names a list.
fn names(part: &str, found: &[Token], anchor: usize) -> Option<Vec<String>> {
    if let Some(start) = share_at(part, found, anchor) {
        let end = found[anchor..]
            .iter()
            .find(|token| matches!(token.kind, Kind::Break))
            .map_or(part.len(), |token| token.span.start);
        let name = strip(part.get(start..end)?);
        return (name.chars().count() >= 2
            && !name.contains(['“', '”', '《', '》', '「', '」', '#', '/', '|']))
        .then(|| vec![name]);
    }
    let start = found[..anchor]
        .iter()
        .rposition(|token| {
            matches!(
                token.kind,
                Kind::Year { .. } | Kind::PeriodEnd | Kind::Break | Kind::Each
            )
        })
        .map_or(0, |at| found[at].span.end);
    let before = strip(&part[start..found[anchor].span.start]);
    let has_value = (0..found.len()).any(|at| figure(part, found, at));
    // 全覆盖, 全部, 清零: a target of 100% or 0 on whatever is named.
    let whole = found.iter().any(|token| {
        whole_word(part, token)
            || token
                .word()
                .is_some_and(|word| matches!(meaning(word), Meaning::Zero))
    });
    let verb_first = before.chars().count() < 2;
    let name = if !verb_first {
        before
    } else {
        // The verb first: the name runs from it to the figure or the end
        // (`提升职业病防治知识普及率`), else from the figure on (`至少确定
        // 1家公立医疗卫生机构`, `建成不少于40个市级医疗质量控制中心`).
        let from = found[anchor].span.end;
        let next = (anchor + 1..found.len())
            .find(|at| target_word(part, found, *at) || matches!(found[*at].kind, Kind::Each));
        let to = next.map_or(part.len(), |at| found[at].span.start);
        let between = strip(part.get(from..to)?);
        match next {
            Some(at) if between.chars().count() < 2 && figure(part, found, at) => {
                let end = found[at + 1..]
                    .iter()
                    .find(|token| matches!(token.kind, Kind::Break))
                    .map_or(part.len(), |token| token.span.start);
                strip(part.get(found[at].span.end..end)?)
            }
            _ => between,
        }
    };
    if verb_first
        && !has_value
        && !whole
        && !["率", "比例", "占比", "比重"]
            .iter()
            .any(|end| name.ends_with(end))
    {
        // `提高服务水平`: an aim, not a target.
        return None;
    }
    if name.chars().count() < 2 || name.chars().count() > 40 {
        return None;
    }
    if name.contains(['“', '”', '《', '》', '「', '」', '#', '/', '|']) {
        return None;
    }
    let respectively = part.contains("分别");
    let list: Vec<String> = if respectively || !has_value {
        name.split(['、', '和', '及'])
            .map(strip)
            .filter(|n| n.chars().count() >= 2)
            .collect()
    } else {
        vec![name.clone()]
    };
    let list = if list.len() > 1 && list.iter().all(|n| measures(n)) {
        list
    } else {
        vec![name]
    };
    if !has_value && !whole && !list.iter().all(|n| measures(n)) {
        return None;
    }
    Some(list)
}

/// Whether a name ends as an indicator does.
fn measures(name: &str) -> bool {
    MEASURES.iter().any(|end| name.ends_with(end))
}

/// A name without the scope, time and filler words around it.
fn strip(text: &str) -> String {
    let mut name = text.trim_matches(|c: char| c.is_whitespace() || "，,、；。：:".contains(c));
    loop {
        let before = name;
        for word in LEADING {
            name = name.strip_prefix(word).unwrap_or(name);
        }
        for word in TRAILING {
            name = name.strip_suffix(word).unwrap_or(name);
        }
        name = name.trim_matches(|c: char| c.is_whitespace() || "，,、".contains(c));
        if name == before {
            break;
        }
    }
    name.to_string()
}

type Drafted = (Vec<Indicator>, Vec<Reading>, Option<String>, Vec<String>);

/// Declares the names, reads the part against them: the targets, the time
/// clause it needs and the review notes.
fn draft_part(
    text: &str,
    names: Vec<String>,
    document: &Document,
    declared: &[Indicator],
) -> Option<Drafted> {
    let found = &tokens(text, &[]);
    let mut todos = Vec::new();
    let mut indicators = Vec::new();
    for name in names {
        let indicator = match declared.iter().find(|known| known.name == name) {
            Some(known) => known.clone(),
            None => guess(&name, text, found),
        };
        if let Some(why) = &indicator.guessed {
            todos.push(format!("unit of {} guessed: {why}", indicator.name));
        }
        indicators.push(indicator);
    }
    let units: Vec<crate::unit::Unit> = indicators
        .iter()
        .map(|indicator| unit_of(&indicator.unit))
        .collect::<Option<_>>()?;
    let declarations: Vec<Declared<'_>> = indicators
        .iter()
        .zip(&units)
        .map(|(indicator, unit)| Declared {
            written: &indicator.name,
            name: &indicator.name,
            unit,
        })
        .collect();
    let mut context = Context {
        period: document.period,
        baseline: document.baseline,
        ..Context::default()
    };
    let clause_year = |year: i32| crate::syntax::ast::Year {
        value: year,
        start: 0,
        end: 0,
    };
    let mut clause = None;
    if let Some(year) = document.annual {
        context.in_year = Some(clause_year(year));
    }
    let targets = phrase::read(text, 0, &declarations, &context).ok()?;
    let mut readings = Vec::new();
    for target in &targets {
        let year = match target.when {
            // The year the context supplied (a year's plan): write it.
            When::In(year) if year.start == 0 && year.end == 0 => {
                clause = Some(format!("in {}", year.value));
                Some(year.value)
            }
            When::By(year) | When::In(year) | When::Every(_, year) => Some(year.value),
            When::Clauses => match (document.annual, document.period) {
                (Some(year), _) => {
                    clause = Some(format!("in {year}"));
                    Some(year)
                }
                (None, Some((_, end))) => {
                    clause = Some(format!("by {end}"));
                    todos.push(format!(
                        "no year in the sentence: due at the end of the period, {end}"
                    ));
                    Some(end)
                }
                (None, None) => None,
            },
        };
        let symbolic = phrase::render::condition(&target.condition);
        let (comparator, value) = comparator(&symbolic);
        let indicator = indicators
            .iter()
            .filter(|indicator| symbolic.contains(phrase::render::quoted(&indicator.name).as_str()))
            .max_by_key(|indicator| indicator.name.len())
            .map_or_else(String::new, |indicator| indicator.name.clone());
        if comparator == "rises" || comparator == "falls" {
            if let Some(word) = found
                .iter()
                .filter_map(Token::word)
                .find(|word| vague(word))
            {
                todos.push(format!(
                    "`{word}` names no yearly step: read as `{symbolic}`"
                ));
            }
        }
        readings.push(Reading {
            indicator,
            comparator,
            value,
            year,
            binding: target.expected.is_none(),
        });
        if let CondKind::Compare { op, .. } = &target.condition.kind {
            direction_of(&mut indicators, &symbolic, *op, found);
        }
    }
    if readings.is_empty() {
        return None;
    }
    Some((indicators, readings, clause, todos))
}

/// A trend word that names no yearly step.
fn vague(word: &str) -> bool {
    [
        "逐步", "明显", "有所", "显著", "有序", "不断", "稳步", "持续",
    ]
    .iter()
    .any(|w| word.starts_with(w))
}

/// `better` when the verb says which way is better: 下降到, 控制在, 降低 →
/// lower; 提高到, 提升 → higher. A bound alone (以上) says nothing of it.
fn direction_of(indicators: &mut [Indicator], symbolic: &str, op: CmpOp, found: &[Token]) {
    let verb = found
        .iter()
        .filter_map(Token::word)
        .find_map(|word| match meaning(word) {
            Meaning::Reach(direction)
            | Meaning::Change(direction)
            | Meaning::Step(direction)
            | Meaning::Trend(direction, _) => Some(direction),
            _ => None,
        });
    let Some(direction) = verb else {
        return;
    };
    let better = match (direction, op) {
        (Direction::Falls, CmpOp::Le | CmpOp::Lt) => Better::Lower,
        (Direction::Rises, CmpOp::Ge | CmpOp::Gt) => Better::Higher,
        _ => return,
    };
    for indicator in indicators.iter_mut() {
        if symbolic.starts_with(phrase::render::quoted(&indicator.name).as_str())
            && indicator.better.is_none()
        {
            indicator.better = Some(better);
        }
    }
}

/// The comparator and value of a target's symbolic form.
pub fn comparator(symbolic: &str) -> (String, String) {
    let inner = symbolic
        .strip_prefix("all(下级, ")
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or(symbolic);
    for (word, name) in [
        (" rises each year", "rises"),
        (" never falls", "rises"),
        (" falls each year", "falls"),
        (" never rises", "falls"),
    ] {
        if inner.contains(word) {
            return (name.to_string(), String::new());
        }
    }
    for step in [" rises by ", " falls by "] {
        if let Some(at) = inner.find(step) {
            let rest = &inner[at + step.len()..];
            let value = rest.split_whitespace().nth(1).unwrap_or("").to_string();
            return ("change".to_string(), value);
        }
    }
    if let Some(at) = inner.find(" between ") {
        let value = inner[at + " between ".len()..].replace(" and ", "—");
        return (
            "between".to_string(),
            value.split_whitespace().next().unwrap_or("").to_string(),
        );
    }
    for op in [" >= ", " <= ", " == ", " ≈ ", " > ", " < "] {
        if let Some(at) = inner.find(op) {
            let value = inner[at + op.len()..]
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_string();
            let comparator = if inner.starts_with("cagr(") {
                "cagr"
            } else if inner.starts_with("growth(") || inner.starts_with("change(") {
                "change"
            } else if inner[at + op.len()..].contains(" @ ") {
                // Better than the base year: a direction without a figure.
                return (
                    if op == " > " { "rises" } else { "falls" }.to_string(),
                    String::new(),
                );
            } else {
                op.trim()
            };
            return (comparator.to_string(), value);
        }
    }
    ("==".to_string(), String::new())
}

fn unit_of(text: &str) -> Option<crate::unit::Unit> {
    if text == "number" {
        return Some(crate::unit::Unit::number());
    }
    if let Some(terms) = text.strip_prefix("ratio ") {
        let (first, second) = terms.split_once(':')?;
        return Some(crate::unit::Unit::ratio_of(first, second));
    }
    crate::unit::parse(text).ok()
}

/// The unit of a new indicator from the figures of its part.
fn guess(name: &str, text: &str, found: &[Token]) -> Indicator {
    let whole = found.iter().any(|token| whole_word(text, token));
    let number = (0..found.len())
        .filter(|at| figure(text, found, *at) || share_at(text, found, *at).is_some())
        .find_map(|at| match &found[at].kind {
            Kind::Number(number) | Kind::Range(number, _) => Some(number.clone()),
            _ => None,
        });
    let share = || {
        ["率", "比例", "占比", "比重"]
            .iter()
            .any(|end| name.ends_with(end))
    };
    let (unit, guessed) = match number {
        Some(number) if number.second.is_some() => {
            let chars: Vec<char> = name.chars().collect();
            match chars.as_slice() {
                [.., a, b, '比'] => (format!("ratio {a}:{b}"), None),
                _ => (
                    "ratio 甲:乙".to_string(),
                    Some("a ratio whose terms the name does not give".to_string()),
                ),
            }
        }
        Some(number) => match number.unit.as_deref() {
            Some("%" | "％") => ("%".to_string(), None),
            Some("‰") => ("‰".to_string(), None),
            Some("个百分点" | "百分点" | "pp") => (
                "%".to_string(),
                Some("a change in percentage points".to_string()),
            ),
            Some(unit) if unit.starts_with('/') => (format!("1{unit}"), None),
            Some(unit) => {
                let word = unit.trim_start_matches(['千', '百', '万', '亿']);
                let word = if word.is_empty() || unit.ends_with("元") {
                    unit
                } else {
                    word
                };
                let per = if name.contains("每千") {
                    "/千人"
                } else if name.contains("每万") {
                    "/万人"
                } else if name.contains("每10万") || name.contains("每十万") {
                    "/10万人"
                } else {
                    ""
                };
                (format!("{word}{per}"), None)
            }
            None if share() => (
                "number".to_string(),
                Some("a bare figure for a rate".to_string()),
            ),
            None => (
                "number".to_string(),
                Some("the figure has no unit".to_string()),
            ),
        },
        None if share() || whole => (
            "%".to_string(),
            Some("no figure; a rate, or a share 全部/全覆盖 makes 100%".to_string()),
        ),
        None => (
            "number".to_string(),
            Some("no figure to take it from".to_string()),
        ),
    };
    let unit = if unit_of(&unit).is_some() {
        unit
    } else {
        "number".to_string()
    };
    Indicator {
        name: name.to_string(),
        unit,
        better: None,
        guessed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_scope_and_time() {
        assert_eq!(strip("全市县域就诊率"), "县域就诊率");
        assert_eq!(strip("创建省级临床重点专科"), "省级临床重点专科");
        let part = "县域就诊率保持在90%以上";
        let found = tokens(part, &[]);
        let anchor = (0..found.len())
            .position(|at| target_word(part, &found, at))
            .unwrap();
        assert_eq!(
            names(part, &found, anchor),
            Some(vec!["县域就诊率".to_string()])
        );
    }

    #[test]
    fn comparators_of_symbolic_forms() {
        assert_eq!(comparator("县域就诊率 >= 90%"), (">=".into(), "90%".into()));
        assert_eq!(
            comparator("all(下级, 安宁疗护病区数 >= 1)"),
            (">=".into(), "1".into())
        );
        assert_eq!(
            comparator("X rises each year"),
            ("rises".into(), String::new())
        );
        assert_eq!(
            comparator("cagr(X, 2020..2025) >= 11.5%"),
            ("cagr".into(), "11.5%".into())
        );
        assert_eq!(comparator("X > X @ 2020"), ("rises".into(), String::new()));
    }
}
