//! What in a part of a sentence is a figure and what states a target:
//! a number that is not part of a name (`每千人口`, `第三批`, `65岁`, the
//! hour of a date), a share or a count written before its noun
//! (`30%以上社区卫生服务站`, `2家以上示范机构`), a bound, a verb of
//! reaching, a trend, 全覆盖. A one-character word of the lexicon inside a
//! noun (`签约率`, `达标率`, `人均`) is no target word.

use super::normalise::is_han;
use crate::phrase::lexicon::{meaning, Meaning};
use crate::phrase::tokens::{tokens, Kind, Token};

/// A digit other than in a year, or a Chinese numeral with a measure word.
pub(super) fn has_figure(sentence: &str) -> bool {
    let found = tokens(sentence, &[]);
    (0..found.len())
        .any(|at| figure(sentence, &found, at) || noun_after(sentence, &found, at).is_some())
}

/// Whether the token at `at` is a figure: a number, but not the `千人` of
/// `每千人口` nor the `百名` of `每百名`, which belong to a name.
pub(super) fn figure(text: &str, found: &[Token], at: usize) -> bool {
    let token = &found[at];
    if !matches!(token.kind, Kind::Number(_) | Kind::Range(..)) || bracketed(text, token.span.start)
    {
        return false;
    }
    let (Some(before), Some(after)) = (text.get(..token.span.start), text.get(token.span.end..))
    else {
        return false;
    };
    let next = after.chars().next();
    let cjk = |c: Option<char>| c.is_some_and(is_han);
    let unit = match &token.kind {
        Kind::Number(number) | Kind::Range(number, _) => number.unit.clone(),
        _ => None,
    };
    // `每千人口`, `每百名`, `第三批`, `5G`: part of a name or an ordinal;
    // `千人医师数`: a base written without 每.
    if before.ends_with('每') || before.ends_with('第') || after.starts_with('口') {
        return false;
    }
    let written = &text[token.span.clone()];
    if ["千人", "万人", "十万人", "百人"].contains(&written) && cjk(next) {
        return false;
    }
    if next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '+') {
        return false;
    }
    // `2021年07月08日08:46`: the hour and minute of a date; `[1]`: a note.
    if before.ends_with(['日', '[', '［']) || after.starts_with([':', '：']) {
        return false;
    }
    // `三年行动`, `65岁及以上老年人`, `15分钟健康服务圈`, `120急救中心`:
    // a span of time, an age or a bare code qualifies the noun after it.
    if unit.as_deref() == Some("批") {
        // `一批`: some, not a count.
        return false;
    }
    // `“机构、人员、机制”四个到位`: the number of aspects of a state, no count.
    if unit.as_deref() == Some("个") && ASPECTS.contains(&after) {
        return false;
    }
    // `两项制度`, `26项行动`, `四大中心`, `两张清单`, `五区协同`: a number of kinds
    // qualifies the noun after it.
    let qualifier_unit = matches!(
        unit.as_deref(),
        Some(
            "年" | "岁"
                | "分钟"
                | "小时"
                | "天"
                | "月"
                | "级"
                | "星"
                | "项"
                | "张"
                | "条"
                | "大"
                | "位"
                | "区"
        )
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

/// The states a number of aspects comes before at the end of a part
/// (`四个到位`, `两个转变`).
const ASPECTS: &[&str] = &["到位", "转变", "统一", "同步", "融合"];

/// Where the noun starts that a share or a count written before it is of
/// (`30%以上社区卫生服务站`, `2家以上示范性婴幼儿照护服务机构`).
pub(super) fn noun_after(text: &str, found: &[Token], at: usize) -> Option<usize> {
    share_at(text, found, at).or_else(|| count_at(text, found, at))
}

/// `各市州建成2家以上示范性婴幼儿照护服务机构`: a count with a bound
/// before the noun it counts; where that noun starts. A qualifier
/// (`二级及以上医院`, `65岁以上老年人`) or a share is no count.
fn count_at(text: &str, found: &[Token], at: usize) -> Option<usize> {
    let Kind::Number(number) = &found[at].kind else {
        return None;
    };
    let unit = number.unit.as_deref()?;
    if !COUNTERS.contains(&unit) || text[..found[at].span.start].ends_with(['每', '第']) {
        return None;
    }
    // `常住人口千人以上的行政村`: a size that qualifies the noun.
    if ["千人", "万人", "十万人", "百人"].contains(&&text[found[at].span.clone()]) {
        return None;
    }
    let after = text.get(found[at].span.end..)?;
    ["及以上", "以上"].iter().find_map(|bound| {
        let rest = after.strip_prefix(bound)?;
        rest.starts_with(is_han).then(|| text.len() - rest.len())
    })
}

/// The measure words of a count of things or people.
const COUNTERS: &[&str] = &[
    "个", "家", "所", "名", "人", "处", "项", "间", "支", "座", "条", "套", "台", "种",
];

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
        rest.starts_with(is_han).then(|| text.len() - rest.len())
    })
}

/// Whether the text after a number starts with a word about it (a bound,
/// 左右) rather than a noun it qualifies.
pub(super) fn bound_next(after: &str) -> bool {
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
pub(super) fn target_word(text: &str, found: &[Token], at: usize) -> bool {
    let token = &found[at];
    if bracketed(text, token.span.start) {
        return false;
    }
    match &token.kind {
        Kind::Number(_) | Kind::Range(..) => figure(text, found, at),
        Kind::Cmp(_) => true,
        Kind::Word(word) if matches!(meaning(word), Meaning::Bound { after: true, .. }) => {
            at > 0 && figure(text, found, at - 1) && found[at - 1].span.end == token.span.start
        }
        Kind::Word(word) if matches!(meaning(word), Meaning::All) => whole_word(text, token),
        // `签约率`, `达标率`: 约 and 达 inside a noun; `达60%`, `约90%`.
        Kind::Word(word)
            if word.chars().count() == 1
                && matches!(meaning(word), Meaning::Reach(_) | Meaning::Approx) =>
        {
            found.get(at + 1).is_some_and(|next| {
                matches!(next.kind, Kind::Number(_) | Kind::Range(..) | Kind::Cmp(_))
                    && next.span.start == token.span.end
            })
        }
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

/// The verbs after which `全面` says all of what is named: built, covered,
/// reached, and a system set up or carried out everywhere (`全面建立…机制`,
/// `全面推行…年薪制`, `全面开通…绿色通道`). `全面落实`, `全面提升` are
/// adverbs of effort.
const WHOLLY_DONE: &[&str] = &[
    "建成", "覆盖", "达到", "实现", "建立", "推行", "实行", "开通",
];

/// 全覆盖, 全部, 均达到: all of what is named. `全面` is that only before
/// one of `WHOLLY_DONE`; `全面落实…` is an adverb. `均` is that
/// only after what it quantifies and before a verb: `人均`, `平均`, `年均`
/// are parts of a name, `均为…` states a fact.
pub(super) fn whole_word(text: &str, token: &Token) -> bool {
    let Some(word) = token.word() else {
        return false;
    };
    if !matches!(meaning(word), Meaning::All) {
        return false;
    }
    let before = text.get(..token.span.start).unwrap_or("");
    let after = text.get(token.span.end..).unwrap_or("");
    match word {
        "全面" => WHOLLY_DONE.iter().any(|verb| after.starts_with(verb)),
        // `均达到`, `均实现` as well: `平均达到` is no `all`.
        word if word.starts_with('均') => {
            !before.is_empty()
                && !before.ends_with(['人', '平', '年', '户', '日', '月', '次'])
                && (word != "均" || !after.starts_with(['为', '是', '由', '匀', '衡']))
        }
        _ => true,
    }
}

pub(super) fn timed(token: &Token) -> bool {
    matches!(token.kind, Kind::Year { .. } | Kind::PeriodEnd)
        || token
            .word()
            .is_some_and(|word| matches!(meaning(word), Meaning::Hedge))
}

/// Whether a position is inside brackets: `高相对权重(RW≥2)` is a name,
/// its `≥2` no target.
pub(super) fn bracketed(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or("");
    before.matches(['(', '（']).count() > before.matches([')', '）']).count()
}
