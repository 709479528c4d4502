//! One normal form for the names of indicators and entities, applied alike
//! to rule files and data files, so that a name copied from a spreadsheet
//! with a zero-width space or full-width letters still matches the rule's.
//!
//! The form is Unicode NFKC (full-width `Ａ` is `A`, `（` is `(`), with
//! zero-width characters removed and surrounding spaces trimmed. A name that
//! still holds a control character (NUL, a newline, a tab) is a diagnostic
//! at the place it is written: no normal form can say what was meant.

use std::borrow::Cow;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Characters that print as nothing and are removed from names.
const ZERO_WIDTH: [char; 5] = ['\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}'];

/// A name in its normal form; borrowed when it already is.
///
/// ```
/// use zhibiao::name::normalise;
///
/// assert_eq!(normalise(" 县域就诊率\u{200b}"), "县域就诊率");
/// assert_eq!(normalise("每千人口执业（助理）医师数"), "每千人口执业(助理)医师数");
/// assert_eq!(normalise("「5岁以下儿童死亡率」"), "5岁以下儿童死亡率");
/// ```
pub fn normalise(name: &str) -> Cow<'_, str> {
    let trimmed = name.trim_matches(|c: char| c.is_whitespace() || ZERO_WIDTH.contains(&c));
    // `「5岁以下儿童死亡率」` copied from a rule file into a data header.
    let trimmed = trimmed
        .strip_prefix('「')
        .and_then(|inner| inner.strip_suffix('」'))
        .map_or(trimmed, str::trim);
    let clean = !trimmed.contains(ZERO_WIDTH);
    if clean && (trimmed.is_ascii() || is_nfkc_quick(trimmed.chars()) == IsNormalized::Yes) {
        return Cow::Borrowed(trimmed);
    }
    let normal: String = trimmed
        .chars()
        .filter(|c| !ZERO_WIDTH.contains(c))
        .nfkc()
        .collect();
    Cow::Owned(normal.trim().to_string())
}

/// Traditional characters read as simplified ones, in rules, sentences and
/// data alike (`78.2歲`, `12/10萬`, `地區`, `婴兒死亡率低於5.2‰`): one table
/// for all, fast2s's (kept with OpenCC's), rather than a hand-kept list
/// that covered only the units and header words. The conversion is
/// character by character and keeps byte offsets, so a span into the
/// converted text still points at the text as written: a character whose
/// simplified form has another length in UTF-8 is kept. Borrowed when
/// there is nothing to convert.
///
/// ```
/// assert_eq!(zhibiao::name::simplified("12/10萬"), "12/10万");
/// assert_eq!(zhibiao::name::simplified("地區"), "地区");
/// ```
pub fn simplified(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let converted: String = text.chars().map(simplified_char).collect();
    if converted == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(converted)
    }
}

fn simplified_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    let mut buffer = [0u8; 4];
    let converted = fast2s::convert(c.encode_utf8(&mut buffer));
    let mut chars = converted.chars();
    match (chars.next(), chars.next()) {
        (Some(simple), None) if simple.len_utf8() == c.len_utf8() => simple,
        _ => c,
    }
}

/// The first control character in a name, if any, for the diagnostic.
///
/// ```
/// use zhibiao::name::{control_character, describe};
///
/// assert_eq!(control_character("甲\0乙").map(describe).as_deref(), Some("U+0000"));
/// assert_eq!(control_character("甲乙"), None);
/// ```
pub fn control_character(name: &str) -> Option<char> {
    name.chars().find(|c| c.is_control())
}

/// How a control character is written in a message: `U+0000`. See
/// [`control_character`] for an example.
pub fn describe(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_width_full_width_and_spaces_are_normalised() {
        assert_eq!(normalise("县域\u{200b}就诊率"), "县域就诊率");
        assert_eq!(normalise("\u{feff} 县域就诊率　"), "县域就诊率");
        assert_eq!(normalise("ＰＭ２．５"), "PM2.5");
        assert_eq!(normalise("「5岁以下儿童死亡率」"), "5岁以下儿童死亡率");
        assert_eq!(normalise("执业（助理）医师数"), "执业(助理)医师数");
        assert!(matches!(normalise("县域就诊率"), Cow::Borrowed(_)));
    }

    #[test]
    fn traditional_units_and_header_words_are_simplified() {
        for (traditional, simple) in [
            ("歲", "岁"),
            ("萬人", "万人"),
            ("億元", "亿元"),
            ("1/10萬", "1/10万"),
            ("地區", "地区"),
            ("指標", "指标"),
            ("數值", "数值"),
            ("上級", "上级"),
            ("級別", "级别"),
            ("單位", "单位"),
            ("來源", "来源"),
            ("個百分點", "个百分点"),
        ] {
            assert_eq!(simplified(traditional), simple);
        }
        // Every character the units and header words were once read with.
        assert_eq!(
            simplified("歲萬億個張項間臺隻組隊網輛場門對劑針點鐘時級畝園縣區鎮戶條種冊頃類處牀數標層別單來備註說"),
            "岁万亿个张项间台只组队网辆场门对剂针点钟时级亩园县区镇户条种册顷类处床数标层别单来备注说"
        );
        assert_eq!(simplified("婴兒死亡率低於5.2‰"), "婴儿死亡率低于5.2‰");
        assert!(matches!(simplified("万人"), Cow::Borrowed(_)));
    }

    #[test]
    fn control_characters_are_found() {
        assert_eq!(control_character("县域\0就诊率"), Some('\0'));
        assert_eq!(control_character("县域\n就诊率"), Some('\n'));
        assert_eq!(control_character("县域就诊率"), None);
        assert_eq!(describe('\0'), "U+0000");
    }
}
