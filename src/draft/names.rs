//! The indicator names of a part: the noun phrase before its target word
//! without the scope, time and filler words around it (`全市`, `到2025年`,
//! `进一步`), or the one after a verb that comes first (`新增标准化急救点
//! 3个`).

use super::figures::{figure, noun_after, target_word, whole_word};
use super::grades::scale_in;
use crate::phrase::lexicon::{meaning, Meaning};
use crate::phrase::tokens::{Kind, Token};

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
    "率",
    "比",
    "比例",
    "比重",
    "占比",
    "数",
    "量",
    "指数",
    "寿命",
    "水平",
    "人次",
    "费用",
    "收入",
    "支出",
    "床位",
    "时间",
    "天数",
    "CMI",
    "密度",
    "规模",
    "面积",
    "资金",
    "经费",
    "满意度",
    "素养",
    "值",
];

/// The endings of a name a verb of doing better may come before without a
/// figure (`提升职业病防治知识普及率`): rates, shares, satisfaction,
/// literacy, indices.
const AIMED: &[&str] = &[
    "率",
    "比例",
    "占比",
    "比重",
    "满意度",
    "素养",
    "素养水平",
    "指数",
];
/// The endings of qualities an aim names without a measure.
const VAGUE: &[&str] = &[
    "效率",
    "质量",
    "能力",
    "生活水平",
    "生育水平",
    "服务水平",
    "管理水平",
    "与效率",
];
/// Words a name does not start with.
const PREPOSITIONS: &[&str] = &["把", "以", "对", "向", "按", "通过", "围绕", "针对"];
/// Comparisons with other regions or ranks.
const COMPARED: &[&str] = &[
    "平均值",
    "平均水平",
    "全国平均",
    "全省平均",
    "全市平均",
    "前列",
    "前茅",
    "位次",
];

/// `争创国家区域医疗中心`: striving for one named institution is a count of
/// at least one; the part with its count written out.
pub(super) fn named_one(part: &str) -> Option<String> {
    let rest = part.strip_prefix("争创")?;
    let plain = !rest.contains(|c: char| c.is_ascii_digit() || "、和或与及等".contains(c));
    let counted = (4..=20).contains(&rest.chars().count())
        && INSTITUTIONS.iter().any(|end| rest.ends_with(end));
    (plain && counted).then(|| format!("{part}1个"))
}

/// What an institution's name ends with.
const INSTITUTIONS: &[&str] = &["中心", "医院", "基地", "平台", "实验室"];

/// The indicator names of a part: before its first target word, else
/// after it; several when 分别 pairs them or a trend names a list.
pub(super) fn names(part: &str, found: &[Token], anchor: usize) -> Option<Vec<String>> {
    if let Some(start) = noun_after(part, found, anchor) {
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
    if name.chars().count() < 2 || name.chars().count() > 40 {
        return None;
    }
    // `把健康作为…`, `以专科发展带动…`: a preposition opens no indicator.
    if PREPOSITIONS.iter().any(|word| name.starts_with(word)) {
        return None;
    }
    // `低于全市同期平均值`, `保持全省前列`: a comparison with other regions
    // or a rank needs the entities, which the draft does not know.
    if !has_value && COMPARED.iter().any(|word| part.contains(word)) {
        return None;
    }
    // `提高医保基金使用效率`, `推动医疗质量整体提升`: an aim on a quality
    // no figure measures; `实施…水平提升工程`: the name of a project.
    let after_anchor = &part[found[anchor].span.end..];
    if !has_value
        && (VAGUE.iter().any(|end| name.ends_with(end))
            || ["工程", "行动", "计划", "项目"]
                .iter()
                .any(|word| after_anchor.starts_with(word)))
    {
        return None;
    }
    // `市妇幼保健院达到三级甲等标准`: a grade is the value.
    if !has_value && !verb_first && scale_in(&part[found[anchor].span.end..]).is_some() {
        return Some(vec![name]);
    }
    if verb_first && !has_value && !whole && !AIMED.iter().any(|end| name.ends_with(end)) {
        // `提高服务水平`: an aim, not a target; `提升居民健康素养水平`,
        // `提升群众满意度` name a measure.
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
pub(super) fn measures(name: &str) -> bool {
    MEASURES.iter().any(|end| name.ends_with(end))
}

/// A name without the scope, time and filler words around it.
pub(super) fn strip(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phrase::tokens::tokens;

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
}
