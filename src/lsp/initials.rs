//! Pinyin initials of names, so that typing `xyjzl` completes 县域就诊率
//! without switching to a Chinese input method. A character read more
//! than one way offers each reading's first letter: 长 is `c` (cháng) or
//! `z` (zhǎng), so 增长率 is both `zcl` and `zzl`.

use pinyin::ToPinyinMulti;

/// How many spellings of one name go into a completion's filter text: the
/// editor filters its list by that text, so it must hold the spelling the
/// user types, but a name of many heteronyms has too many to list.
const SPELLINGS: usize = 8;

/// What each character of a name can be typed as: a letter or digit as
/// itself (lower case), a CJK character as the first letters of its
/// readings, the default reading's first. Characters with neither
/// (brackets, punctuation) are left out.
fn letters(name: &str) -> Vec<Vec<char>> {
    name.chars()
        .zip(name.to_pinyin_multi())
        .filter_map(|(c, readings)| {
            if c.is_ascii_alphanumeric() {
                return Some(vec![c.to_ascii_lowercase()]);
            }
            let mut firsts: Vec<char> = Vec::new();
            for reading in readings? {
                let first = reading.first_letter().chars().next()?;
                if !firsts.contains(&first) {
                    firsts.push(first);
                }
            }
            (!firsts.is_empty()).then_some(firsts)
        })
        .collect()
}

/// Whether a name has any character read in pinyin.
fn has_pinyin(name: &str) -> bool {
    name.to_pinyin_multi().any(|readings| readings.is_some())
}

/// Whether `typed` (letters and digits only) picks out the name's pinyin
/// initials in order, as editors filter: `xyjzl` and `xjl` both match
/// 县域就诊率. Taking the earliest character that can stand for each
/// typed letter is enough: a later choice never leaves more room.
pub fn matches(name: &str, typed: &str) -> bool {
    if typed.is_empty() || !typed.chars().all(|c| c.is_ascii_alphanumeric()) || !has_pinyin(name) {
        return false;
    }
    let letters = letters(name);
    let mut rest = letters.iter();
    typed
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .all(|wanted| rest.any(|choices| choices.contains(&wanted)))
}

/// The text a completion of `name` is filtered by: the name, then its
/// spellings in initials (`县域就诊率 xyjzl xyjzs`), so that the editor
/// keeps it in the list whether the user goes on in characters or in
/// pinyin. The spelling of the default readings comes first, then those
/// that read one character another way, as many as fit.
pub fn filter_text(name: &str) -> String {
    if !has_pinyin(name) {
        return name.to_string();
    }
    let letters = letters(name);
    let usual: Vec<char> = letters.iter().map(|choices| choices[0]).collect();
    let mut spellings: Vec<String> = vec![usual.iter().collect()];
    for (at, choices) in letters.iter().enumerate() {
        for &other in &choices[1..] {
            if spellings.len() == SPELLINGS {
                return format!("{name} {}", spellings.join(" "));
            }
            let mut spelling = usual.clone();
            spelling[at] = other;
            spellings.push(spelling.into_iter().collect());
        }
    }
    format!("{name} {}", spellings.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_match_in_order_and_heteronyms_either_way() {
        assert!(matches("县域就诊率", "xyjzl"));
        assert!(matches("县域就诊率", "XYJ"));
        assert!(matches("县域就诊率", "xl"));
        assert!(!matches("县域就诊率", "lx"));
        assert!(!matches("县域就诊率", "xyjzlx"));
        assert!(matches("增长率", "zcl"));
        assert!(matches("增长率", "zzl"));
        assert!(matches("5岁以下儿童死亡率", "5syxetswl"));
        assert!(matches("每千常住人口执业(助理)医师数", "mqczrkzyzlyss"));
        // ASCII names are matched as written, not through pinyin.
        assert!(!matches("cagr", "cagr"));
        assert!(!matches("县域就诊率", "县"));
    }

    #[test]
    fn the_filter_text_holds_the_name_and_its_spellings() {
        // 率 is lǜ, or shuài as in 率领.
        assert_eq!(filter_text("县域就诊率"), "县域就诊率 xyjzl xyjzs");
        assert!(filter_text("增长率").contains(" zzl"));
        assert!(filter_text("增长率").contains(" zcl"));
        assert_eq!(filter_text("cagr"), "cagr");
        let many = filter_text("长长长长长长长长长长");
        assert!(many.starts_with("长长长长长长长长长长 zzzzzzzzzz czzzzzzzzz "));
        assert_eq!(many.split(' ').count(), 1 + SPELLINGS);
    }
}
