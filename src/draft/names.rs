//! The indicator names of a part: the noun phrase before its target word
//! without the scope, time and filler words around it (`全市`, `到2025年`,
//! `进一步`), or the one after a verb that comes first (`新增标准化急救点
//! 3个`).

use super::figures::{figure, noun_after, target_word, whole_word};
use super::grades::scale_in;
use super::normalise::is_han;
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
    "且",
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
    "促进",
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
    "搭建",
    "创建",
    "培育",
    "设置",
    "建立",
    "推行",
    "实行",
    "开通",
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
    "平均",
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
    "品种",
    "种类",
    "金额",
    "标准",
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
    "规模",
    "缴费标准",
    "补助标准",
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
    "资源总量",
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

/// `二级以上公立医疗机构建立公共卫生科`: every institution of a class
/// (named by its level) sets something up; the part as the share of them
/// that do, all of them (`二级以上公立医疗机构建立公共卫生科比例达到100%`).
/// What obliges them (`要按规定`) is no part of the name. With 各, 全部 or
/// 均 (`…的行政村全部设立村级医疗卫生机构`) any class is all of it; a
/// system carried out (`各…机构全面落实…制度`) is the same share.
pub(super) fn every_one_sets_up(part: &str) -> Option<String> {
    let class = part.trim_start_matches(|c: char| !is_han(c));
    let class = SCOPES
        .iter()
        .find_map(|scope| class.strip_prefix(scope))
        .unwrap_or(class);
    // `各医疗服务机构…`, `所有…`: each of the class.
    let (class, each) = ["各", "所有"]
        .iter()
        .find_map(|word| class.strip_prefix(word))
        .map_or((class, false), |rest| (rest, true));
    let leveled = class.chars().next().is_some_and(|level| {
        "一二三省市县区".contains(level)
            && class[level.len_utf8()..]
                .strip_prefix('级')
                .is_some_and(|rest| rest.starts_with("以上") || rest.starts_with("及以上"))
    });
    let (verb_at, verb) = SET_UP
        .iter()
        .chain(CARRY_OUT)
        .filter_map(|verb| class.find(verb).map(|at| (at, *verb)))
        .min_by_key(|(at, _)| *at)?;
    let mut subject = &class[..verb_at];
    let mut all = each;
    while let Some((shorter, word)) = OBLIGED
        .iter()
        .find_map(|word| subject.strip_suffix(word).map(|shorter| (shorter, *word)))
    {
        all |= ["全部", "均"].contains(&word);
        subject = shorter;
    }
    let object = &class[verb_at + verb.len()..];
    let counted = INSTITUTION_CLASSES.iter().any(|end| subject.ends_with(end));
    // A system carried out (`落实…制度`) only by institutions: `各地落实…`
    // is no share.
    if CARRY_OUT.contains(&verb) && !(counted && system(object)) {
        return None;
    }
    let plain = |text: &str| text.chars().all(|c| is_han(c) || "()（）".contains(c));
    // A class named with 全部 may give its size (`常住人口千人以上…15分钟…`).
    let named = plain(subject)
        || all
            && subject
                .chars()
                .all(|c| is_han(c) || c.is_ascii_digit() || "()（）".contains(c));
    let sized = (2..=15).contains(&object.chars().count()) && subject.chars().count() >= 2;
    ((leveled && counted || all) && named && plain(object) && sized)
        .then(|| format!("{subject}{verb}{object}比例达到100%"))
}

/// Scope words before the class of institutions.
const SCOPES: &[&str] = &["全省", "全市", "全区", "全县", "各地"];
/// The verbs of setting something up in an institution.
const SET_UP: &[&str] = &["设立", "建立", "设置", "开设", "开通"];
/// The verbs of carrying out a system in an institution.
const CARRY_OUT: &[&str] = &["落实", "实行", "推行"];
/// Words of obligation between the class and its verb.
const OBLIGED: &[&str] = &[
    "全面",
    "要",
    "应",
    "须",
    "必须",
    "按规定",
    "按要求",
    "依规",
    "全部",
    "均",
];
/// What the name of a class of institutions ends with.
const INSTITUTION_CLASSES: &[&str] = &[
    "医疗机构",
    "医院",
    "卫生院",
    "卫生机构",
    "服务中心",
    "服务机构",
];

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
    // `每个建制乡镇办好1所卫生院`: each of a scope has the count; what is
    // counted is the noun after the figure.
    let distributive = before.starts_with("每个") && figure(part, found, anchor);
    let verb_first = before.chars().count() < 2 || distributive;
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
            // `每年遴选7个左右市级临床重点专科建设项目`: the word about the
            // figure, then what is counted.
            Some(at)
                if between.chars().count() < 2
                    && figure(part, found, anchor)
                    && found[at].span.start == from =>
            {
                let end = found[at + 1..]
                    .iter()
                    .find(|token| matches!(token.kind, Kind::Break))
                    .map_or(part.len(), |token| token.span.start);
                strip(part.get(found[at].span.end..end)?)
            }
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
    // After a count the preposition opens what is counted:
    // `建成一家针对内部职工福利型托育服务机构`.
    let counted = verb_first && figure(part, found, anchor);
    if !counted && PREPOSITIONS.iter().any(|word| name.starts_with(word)) {
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
    // A list whose last item is such a quality still names the rates
    // before it (`A占比、B占比、C能力逐年提升`).
    let rates_listed = name
        .split(['、', '和', '及'])
        .filter(|item| aimed(item))
        .count()
        >= 2;
    if !has_value
        && (VAGUE.iter().any(|end| name.ends_with(end)) && !rates_listed
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
        completed(
            name.split(['、', '和', '及'])
                .map(strip)
                .filter(|n| n.chars().count() >= 2)
                .collect(),
        )
    } else {
        vec![name.clone()]
    };
    let measuring = list.iter().filter(|n| measures(n)).count();
    let list = if list.len() > 1 && measuring == list.len() {
        list
    } else if list.len() > 1 && whole && !has_value && list.iter().all(|n| system(n)) {
        // `全面建立A机制和B制度`: each system set up everywhere.
        list
    } else if list.len() > 1 && respectively && list.last().is_some_and(|n| measures(n)) {
        // `每万人口全科医生和公共卫生人员数分别达到…`: the items share the
        // measure the last one names.
        list
    } else if list.len() > 2 && !has_value && list.iter().filter(|n| aimed(n)).count() >= 2 {
        // `A占比、B占比、C能力逐年提升`: the items that name a rate or share.
        list.into_iter().filter(|n| aimed(n)).collect()
    } else {
        vec![name]
    };
    if !has_value && !whole && !list.iter().all(|n| measures(n)) {
        return None;
    }
    Some(list)
}

/// Whether a name ends as an indicator does; a note in brackets at the
/// end (`病例组合指数(CMI)`) aside.
pub(super) fn measures(name: &str) -> bool {
    let name = match name.strip_suffix([')', '）']) {
        Some(inner) => inner.rfind(['(', '（']).map_or(name, |open| &name[..open]),
        None => name,
    };
    MEASURES.iter().any(|end| name.ends_with(end))
}

/// Whether a name is of a system set up or carried out (`…机制`,
/// `…制度`, `院长年薪制`).
fn system(name: &str) -> bool {
    SYSTEMS.iter().any(|end| name.ends_with(end))
}

/// The endings of the name of a system.
const SYSTEMS: &[&str] = &["制度", "机制", "制"];

/// Whether a name ends as a rate, a share or an index does.
fn aimed(name: &str) -> bool {
    AIMED.iter().any(|end| name.ends_with(end))
}

/// The endings a list item that is only a measure (`下转患者人数及占比`)
/// replaces in the item before it.
const STEM_ENDS: &[&str] = &[
    "人数", "人次", "个数", "数量", "次数", "率", "比例", "占比", "比重", "数", "量",
];

/// The items of a list as the names they stand for: an item that is only
/// a measure takes the words before the measure of the item before it
/// (`下转患者人数及占比` → `下转患者占比`), and a base per head the first
/// item names is shared (`每万人口全科医生和公共卫生人员数` →
/// `每万人口公共卫生人员数`).
pub(super) fn completed(items: Vec<String>) -> Vec<String> {
    let base = items.first().and_then(|first| {
        let end = first.find("人口")? + "人口".len();
        (first.starts_with('每') && first[..end].chars().count() <= 6)
            .then(|| first[..end].to_string())
    });
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let item = match out.last() {
            Some(previous) if STEM_ENDS.contains(&item.as_str()) => {
                let stem = STEM_ENDS
                    .iter()
                    .filter_map(|end| previous.strip_suffix(end))
                    .min_by_key(|stem| stem.len())
                    .unwrap_or(previous);
                format!("{stem}{item}")
            }
            Some(_) => match &base {
                Some(base) if !item.starts_with('每') => format!("{base}{item}"),
                _ => item,
            },
            None => item,
        };
        out.push(item);
    }
    out
}

/// `城乡每万名居民有4名全科医生`, `每千人口配备2.7名执业(助理)医师`:
/// staffing per head written as people per base; the part rewritten as
/// the indicator it states (`每万人口全科医生数达到4人`), the words before
/// it kept.
pub(super) fn per_head(part: &str) -> Option<String> {
    let at = part.find('每')?;
    let rest = &part[at + '每'.len_utf8()..];
    let (base, rest) = ["十万", "千", "万", "百"]
        .iter()
        .find_map(|base| rest.strip_prefix(base).map(|rest| (*base, rest)))?;
    let rest = ["名常住人口", "常住人口", "名居民", "人口", "居民", "人"]
        .iter()
        .find_map(|word| rest.strip_prefix(word))?;
    let rest = ["拥有", "配备", "配置", "有"]
        .iter()
        .find_map(|word| rest.strip_prefix(word))
        .unwrap_or(rest);
    let digits = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    if digits == 0 {
        return None;
    }
    let (number, rest) = rest.split_at(digits);
    let (unit, noun) = [("名", "人"), ("人", "人"), ("张", "张"), ("个", "个")]
        .iter()
        .find_map(|(written, unit)| rest.strip_prefix(written).map(|noun| (*unit, noun)))?;
    let (bound, noun) = ["以上", "及以上"]
        .iter()
        .find_map(|bound| noun.strip_prefix(bound).map(|noun| (*bound, noun)))
        .unwrap_or(("", noun));
    let length = noun.chars().count();
    let plain = noun.chars().all(|c| is_han(c) || "()（）".contains(c));
    if !(2..=15).contains(&length) || !plain {
        return None;
    }
    let lead = &part[..at];
    let noun = noun.strip_suffix('数').unwrap_or(noun);
    Some(format!(
        "{lead}每{base}人口{noun}数达到{number}{unit}{bound}"
    ))
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
