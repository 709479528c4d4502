//! Grades and titles a target names instead of a figure: a hospital's
//! level (`达到三级甲等标准`, `三甲`), a standard's maturity level
//! (`成熟度5级乙等`), a star rating (`二星智慧医院`). Each scale is the
//! declaration's `grade A < B < …`, in ascending order; the short forms and
//! digits the documents use are written out so the value reads as the
//! scale names it.

/// 一级 to 三级甲等: the levels of a hospital or a 妇幼保健院.
const HOSPITAL: &[&str] = &["一级", "二级乙等", "二级甲等", "三级乙等", "三级甲等"];
/// The maturity levels of 互联互通标准化成熟度 and the like.
const MATURITY: &[&str] = &[
    "一级",
    "二级",
    "三级",
    "四级乙等",
    "四级甲等",
    "五级乙等",
    "五级甲等",
];
const STARS: &[&str] = &["一星", "二星", "三星", "四星", "五星"];
/// The levels 0级 to 8级 of an application's assessment (电子病历系统应用
/// 水平分级评价).
const LEVELS: &[&str] = &[
    "0级", "1级", "2级", "3级", "4级", "5级", "6级", "7级", "8级",
];
/// A title a place or a body holds: a 国家卫生城市, a 示范区.
const TITLE: &[&str] = &["未获得", "已获得"];

/// What the name of a title ends with: a place or a body.
const TITLED: &[&str] = &["城市", "县", "区", "市", "镇", "乡", "村", "单位", "基地"];

/// `巩固国家卫生城市、省级健康促进县(区)创建成果`: keeping the titles won,
/// each read as `国家卫生城市称号保持已获得`; a year before 巩固 kept.
pub(super) fn titles(part: &str) -> Option<Vec<String>> {
    let at = part.find("巩固")?;
    let rest = &part[at + "巩固".len()..];
    let end = ["创建成果", "建设成果", "创建成效"]
        .iter()
        .filter_map(|word| rest.find(word))
        .min()?;
    let lead = &part[..at];
    let lead = if lead.contains('年') { lead } else { "" };
    let names: Vec<String> = rest[..end]
        .split(['、', '和'])
        .map(|name| {
            let name = name.trim();
            match name.strip_suffix([')', '）']) {
                Some(inner) => inner
                    .rfind(['(', '（'])
                    .map_or(name, |open| &name[..open])
                    .to_string(),
                None => name.to_string(),
            }
        })
        .collect();
    let titled = |name: &String| {
        (3..=20).contains(&name.chars().count())
            && TITLED.iter().any(|end| name.ends_with(end))
            && !name.contains(|c: char| c.is_ascii_digit())
    };
    (!names.is_empty() && names.iter().all(titled)).then(|| {
        names
            .iter()
            .map(|name| format!("{lead}{name}称号保持已获得"))
            .collect()
    })
}

/// The text with the short forms of grades written out: `三甲` is
/// `三级甲等`, `5级乙等` is `五级乙等`.
pub(super) fn written_out(text: &str) -> String {
    let mut out = text.to_string();
    for (digit, numeral) in [
        ('1', '一'),
        ('2', '二'),
        ('3', '三'),
        ('4', '四'),
        ('5', '五'),
    ] {
        for class in ["甲等", "乙等"] {
            out = out.replace(&format!("{digit}级{class}"), &format!("{numeral}级{class}"));
        }
        out = out.replace(&format!("{digit}星级"), &format!("{numeral}星"));
    }
    for (short, long) in [
        ("三甲", "三级甲等"),
        ("三乙", "三级乙等"),
        ("二甲", "二级甲等"),
        ("二乙", "二级乙等"),
    ] {
        // `三甲医院`, `创建三甲`; not inside a word already written out.
        let mut at = 0;
        while let Some(found) = out[at..].find(short) {
            let start = at + found;
            let end = start + short.len();
            if out[end..].starts_with('等') || out[..start].ends_with('级') {
                at = end;
                continue;
            }
            out.replace_range(start..end, long);
            at = start + long.len();
        }
    }
    out
}

/// The scale of the grade the text names, if it names one.
pub(super) fn scale_in(text: &str) -> Option<&'static [&'static str]> {
    let named = |scale: &[&str]| {
        scale
            .iter()
            .any(|grade| grade.chars().count() > 2 && text.contains(grade))
    };
    if named(HOSPITAL) && !text.contains("四级") && !text.contains("五级") {
        Some(HOSPITAL)
    } else if named(MATURITY) {
        Some(MATURITY)
    } else if STARS.iter().any(|star| text.contains(star)) {
        Some(STARS)
    } else if LEVELS.iter().any(|level| {
        [format!("{level}水平"), format!("{level}标准")]
            .iter()
            .any(|reached| text.ends_with(reached.as_str()))
    }) {
        // `达到4级水平` at the end: the level reached.
        Some(LEVELS)
    } else if text.contains("已获得") {
        Some(TITLE)
    } else {
        None
    }
}

/// The unit of a declaration on the scale: `grade 一级 < 二级乙等 < …`.
pub(super) fn unit(scale: &[&str]) -> String {
    format!("grade {}", scale.join(" < "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_are_written_out() {
        assert_eq!(written_out("县医院创建三甲医院"), "县医院创建三级甲等医院");
        assert_eq!(written_out("已是三级甲等"), "已是三级甲等");
        assert_eq!(
            written_out("平台达到成熟度4级甲等"),
            "平台达到成熟度四级甲等"
        );
        assert_eq!(written_out("建成3星级智慧医院"), "建成三星智慧医院");
    }

    #[test]
    fn the_scale_comes_from_the_grade_named() {
        assert_eq!(scale_in("区中医院达到三级乙等标准"), Some(HOSPITAL));
        assert_eq!(scale_in("信息平台达到四级甲等"), Some(MATURITY));
        assert_eq!(scale_in("建成二星智慧医院"), Some(STARS));
        assert_eq!(scale_in("二级以上医院"), None);
        assert_eq!(scale_in("达到4级水平"), Some(LEVELS));
        assert_eq!(scale_in("4级以上医院"), None);
        assert_eq!(
            unit(STARS),
            "grade 一星 < 二星 < 三星 < 四星 < 五星".to_string()
        );
    }
}
