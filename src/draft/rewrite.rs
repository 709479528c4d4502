//! Parts of a sentence rewritten before they are read, where the written
//! form hides what is meant: a comma inside a noun (`joined`), a lost comma
//! after a share (`run_on`), figures or levels paired in order with a list
//! (`run_together`, `shared_levels`), shares over two lists
//! (`cross_shares`), shares listed in brackets in the passive
//! (`bracketed_shares`), a service covering places (`covers_places`), and
//! items that name nothing drafted
//! (`without_items`).

use super::figures::{bound_next, target_word};
use super::normalise::is_han;
use crate::phrase::lexicon::{meaning, Meaning};
use crate::phrase::tokens::{tokens, Kind, Token};

/// `提高A和B在C和D中的占比`: the share of each item in each whole, one
/// part each (`提高A占C比例`, `提高A占D比例`, …), when either side is a list.
pub(super) fn cross_shares(part: &str) -> Option<Vec<String>> {
    const VERBS: [&str; 7] = ["提高", "提升", "降低", "下降", "增加", "扩大", "减少"];
    const SHARES: [(&str, &str); 5] = [
        ("中的占比", "比例"),
        ("中所占比例", "比例"),
        ("中所占比重", "比重"),
        ("中的比重", "比重"),
        ("中的比例", "比例"),
    ];
    let (end, share, noun) = SHARES
        .iter()
        .find_map(|(share, noun)| part.find(share).map(|at| (at, *share, *noun)))?;
    let within = part[..end].rfind('在')?;
    let verb_end = VERBS
        .iter()
        .filter_map(|verb| part[..within].rfind(verb).map(|at| at + verb.len()))
        .max()?;
    let list = |text: &str| -> Vec<String> {
        text.split(['和', '、', '与', '及'])
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_string)
            .collect()
    };
    let items = list(&part[verb_end..within]);
    let wholes = list(&part[within + '在'.len_utf8()..end]);
    if items.is_empty() || wholes.is_empty() || items.len() * wholes.len() < 2 {
        return None;
    }
    let head = &part[..verb_end];
    let tail = &part[end + share.len()..];
    Some(
        items
            .iter()
            .flat_map(|item| {
                wholes
                    .iter()
                    .map(move |whole| format!("{head}{item}占{whole}{noun}{tail}"))
            })
            .collect(),
    )
}

/// `A占比、B占比、C能力逐年提升` with A占比 and B占比 named: the part
/// without the items that name nothing drafted (`A占比、B占比逐年提升`),
/// if there are any.
pub(super) fn without_items(text: &str, names: &[String]) -> Option<String> {
    let segments: Vec<&str> = text.split('、').collect();
    let named = |segment: &str| {
        names
            .iter()
            .any(|name| segment.contains(name.as_str()) || name.ends_with(segment.trim()))
    };
    let mut kept: Vec<String> = Vec::new();
    let mut dropped = false;
    for (at, segment) in segments.iter().enumerate() {
        if named(segment) {
            kept.push(segment.to_string());
        } else if at + 1 == segments.len() {
            // The last item runs into the target word: keep from there on.
            let found = tokens(segment, &[]);
            let word = (0..found.len()).find(|at| target_word(segment, &found, *at))?;
            let rest = &segment[found[word].span.start..];
            let last = kept.pop()?;
            kept.push(format!("{last}{rest}"));
            dropped = true;
        } else {
            dropped = true;
        }
    }
    dropped.then(|| kept.join("、"))
}

/// What the name of a body that can be counted ends with.
const ORGANISATIONS: &[&str] = &[
    "集团",
    "机构",
    "中心",
    "医院",
    "基地",
    "平台",
    "实验室",
    "医共体",
    "联合体",
    "联盟",
    "站",
    "室",
    "科",
    "病区",
    "门诊",
];

/// `建成1个网格化运行,防、治、康、管分工协同的紧密型城市医疗集团`: a
/// comma inside the noun a count comes before. A part that ends in a count
/// and the start of its noun, followed by a part with no figure and no
/// target word that ends in the name of a body after 的, is one part (the comma goes).
pub(super) fn joined(parts: Vec<(usize, &str)>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for (_, part) in parts {
        let found = tokens(part, &[]);
        let plain = !(0..found.len()).any(|at| target_word(part, &found, at));
        let noun_end = part.rfind('的').is_some_and(|at| {
            let rest = &part[at + '的'.len_utf8()..];
            (2..=15).contains(&rest.chars().count())
                && rest.chars().all(is_han)
                && ORGANISATIONS.iter().any(|end| rest.ends_with(end))
        });
        match out.last_mut() {
            Some(last) if open && plain && noun_end && part.chars().count() <= 30 => {
                last.push_str(part);
                open = false;
            }
            _ => {
                // The last target word is a count with a noun after it.
                open = (0..found.len())
                    .rev()
                    .find(|at| target_word(part, &found, *at))
                    .is_some_and(|at| {
                        matches!(&found[at].kind, Kind::Number(number) if number.unit.is_some())
                            && part[found[at].span.end..]
                                .chars()
                                .next()
                                .is_some_and(is_han)
                    });
                out.push(part.to_string());
            }
        }
    }
    out
}

/// `覆盖率达到100%接尘工龄不足5年的…比例实现明显下降`: a lost comma. A
/// share reached (`达到100%`) that runs straight into more text with a
/// target word of its own ends its part there.
pub(super) fn run_on(part: &str) -> Vec<&str> {
    let found = tokens(part, &[]);
    for at in 1..found.len() {
        let share = matches!(&found[at].kind, Kind::Number(number)
            if matches!(number.unit.as_deref(), Some("%" | "％" | "‰")));
        let reached = found[at - 1].span.end == found[at].span.start
            && found[at - 1].word().is_some_and(|word| {
                matches!(
                    meaning(word),
                    Meaning::Reach(_) | Meaning::Bound { after: false, .. }
                )
            });
        let end = found[at].span.end;
        let after = &part[end..];
        let runs_on = after.chars().next().is_some_and(is_han)
            && !bound_next(after)
            && !after.starts_with("左右");
        if share && reached && runs_on {
            let rest_found = tokens(after, &[]);
            if (0..rest_found.len()).any(|at| target_word(after, &rest_found, at)) {
                let mut pieces = vec![&part[..end]];
                pieces.extend(run_on(after));
                return pieces;
            }
        }
    }
    vec![part]
}

/// `药品品种和医用耗材种类增至650个24类`: two figures run together after a
/// list, one for each item in order; the part as `…分别增至650个、24类`.
pub(super) fn run_together(part: &str) -> Option<String> {
    if part.contains("分别") {
        return None;
    }
    let found = tokens(part, &[]);
    let at = (2..found.len()).find(|at| {
        let counted = |token: &Token| {
            matches!(&token.kind, Kind::Number(number) if number.unit.is_some() && number.second.is_none())
        };
        counted(&found[*at - 1])
            && counted(&found[*at])
            && found[*at - 1].span.end == found[*at].span.start
    })?;
    let verb = &found[at - 2];
    let reaching = verb.span.end == found[at - 1].span.start
        && verb.word().is_some_and(|word| {
            matches!(
                meaning(word),
                Meaning::Reach(_) | Meaning::Change(_) | Meaning::Bound { after: false, .. }
            )
        });
    let listed = part[..verb.span.start].contains(['和', '、', '及']);
    if !reaching || !listed {
        return None;
    }
    let split = found[at].span.start;
    Some(format!(
        "{}分别{}、{}",
        &part[..verb.span.start],
        &part[verb.span.start..split],
        &part[split..]
    ))
}

/// `市、县级医院每百名卫技人员年科研经费平均达到60、20万元以上`: levels
/// sharing 级 and the rest of the name, and figures sharing the unit, one
/// for each level in order; the part as
/// `市级医院…经费和县级医院…经费分别达到60万元、20万元以上`.
pub(super) fn shared_levels(part: &str) -> Option<String> {
    if part.contains("分别") {
        return None;
    }
    let found = tokens(part, &[]);
    let at = (1..found.len().saturating_sub(2)).find(|at| {
        matches!(found[*at].kind, Kind::Number(_))
            && found[*at + 1].kind == Kind::List
            && matches!(&found[*at + 2].kind, Kind::Number(number) if number.unit.is_some())
    })?;
    let verb = &found[at - 1];
    // `平均达到` is read as 平 and `均达到`: the verb is 达到 all the same.
    let written = verb.word()?;
    let (subject_end, verb_text) = match written.strip_prefix('均') {
        Some(reach) if part[..verb.span.start].ends_with('平') => {
            (verb.span.start - '平'.len_utf8(), reach)
        }
        _ => (verb.span.start, written),
    };
    let reaching =
        verb.span.end == found[at].span.start && matches!(meaning(verb_text), Meaning::Reach(_));
    if !reaching {
        return None;
    }
    let subject = &part[..subject_end];
    let (first, rest) = subject.split_once('、')?;
    let second = rest.chars().next()?;
    let rest = rest[second.len_utf8()..].strip_prefix('级')?;
    if first.chars().count() != 1 || !first.chars().all(is_han) || !is_han(second) {
        return None;
    }
    let rest = rest.strip_suffix("平均").unwrap_or(rest);
    if rest.chars().count() < 2 {
        return None;
    }
    let Kind::Number(number) = &found[at + 2].kind else {
        return None;
    };
    let unit = number.unit.as_deref().unwrap_or("");
    let first_figure = &part[found[at].span.clone()];
    let first_figure = if first_figure.ends_with(unit) {
        first_figure.to_string()
    } else {
        format!("{first_figure}{unit}")
    };
    Some(format!(
        "{first}级{rest}和{second}级{rest}分别{verb_text}{first_figure}、{}",
        &part[found[at + 2].span.start..]
    ))
}

/// `实现三个“95%”目标(95%的感染者被发现、被发现的感染者中95%接受治疗、…)`:
/// the targets a bracket lists, each a share, written as the share of the
/// people it is of (`感染者发现比例达到95%`, `被发现的感染者接受治疗比例达到95%`).
/// Brackets that are not such a list give nothing.
pub(super) fn bracketed_shares(sentence: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = sentence;
    while let Some(open) = rest.find(['(', '（']) {
        let inner_start = open + rest[open..].chars().next().map_or(1, char::len_utf8);
        let Some(length) = rest[inner_start..].find([')', '）']) else {
            break;
        };
        let items: Vec<&str> = rest[inner_start..inner_start + length]
            .split('、')
            .collect();
        let shares: Vec<String> = items.iter().filter_map(|item| share_of(item)).collect();
        if items.len() >= 2 && shares.len() == items.len() {
            out.extend(shares);
        }
        rest = &rest[inner_start + length..];
    }
    out
}

/// `95%的感染者被发现` → `感染者发现比例达到95%`; `治疗的患者中95%病毒载量
/// 得到有效抑制` → `治疗的患者病毒载量得到有效抑制比例达到95%`.
fn share_of(item: &str) -> Option<String> {
    let found = tokens(item, &[]);
    let share = found.iter().find(|token| {
        matches!(&token.kind, Kind::Number(number)
            if matches!(number.unit.as_deref(), Some("%" | "％")))
    })?;
    let figure = &item[share.span.clone()];
    let before = &item[..share.span.start];
    let after = &item[share.span.end..];
    let (whole, what) = match after.strip_prefix('的') {
        // `95%的感染者被发现`: the people, then what is done to them.
        Some(rest) if before.is_empty() => rest.split_once('被')?,
        _ => (before.strip_suffix('中')?, after),
    };
    let plain = |text: &str| (2..=20).contains(&text.chars().count()) && text.chars().all(is_han);
    (plain(whole) && plain(what)).then(|| format!("{whole}{what}比例达到{figure}"))
}

/// `远程医疗服务覆盖中心村卫生室`: a service that covers a kind of place or
/// institution, all of them; the part as that coverage
/// (`中心村卫生室远程医疗服务覆盖率达到100%`). `覆盖城乡的…体系` names a
/// system, not what it covers.
pub(super) fn covers_places(part: &str) -> Option<String> {
    let (service, places) = part.split_once("覆盖")?;
    let service = service.trim_start_matches(|c: char| !is_han(c));
    let plain = |text: &str| (2..=15).contains(&text.chars().count()) && text.chars().all(is_han);
    let served = SERVICES.iter().any(|end| service.ends_with(end));
    let covered = COVERED.iter().any(|end| places.ends_with(end)) && !places.contains('的');
    (plain(service) && plain(places) && served && covered)
        .then(|| format!("{places}{service}覆盖率达到100%"))
}

/// What the name of a service ends with.
const SERVICES: &[&str] = &["服务", "医疗", "签约", "网络", "系统", "平台"];
/// The kinds of places and institutions a service covers.
const COVERED: &[&str] = &[
    "卫生室",
    "卫生院",
    "行政村",
    "社区",
    "乡镇",
    "街道",
    "医疗机构",
    "医院",
    "学校",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_that_list_no_shares_give_nothing() {
        assert!(bracketed_shares("县域就诊率达到90%(含民营医院)").is_empty());
        assert_eq!(
            covers_places("家庭医生签约服务覆盖行政村").as_deref(),
            Some("行政村家庭医生签约服务覆盖率达到100%")
        );
        assert_eq!(covers_places("构建覆盖城乡的健康服务网络"), None);
        assert!(bracketed_shares("建成3个中心(胸痛中心、卒中中心)").is_empty());
        assert_eq!(
            bracketed_shares("目标(80%的孕妇被筛查、筛查的孕妇中80%接受干预)"),
            ["孕妇筛查比例达到80%", "筛查的孕妇接受干预比例达到80%"]
        );
    }
}
