//! The closed table of units and measure words, and how values are converted
//! to canonical form and written back in a rule's own unit.
//!
//! Every value is stored canonically: ratios as fractions (90% is 0.9),
//! percentage points as differences of fractions (0.5pp is 0.005), rates per
//! person (4.5 人/千人 is 0.0045), money in 元, areas in 平方米, times in
//! minutes. A `Unit` knows its dimension and the scale from the written
//! number to the canonical one.

mod round;

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// What a quantity measures. Values of different dimensions never mix. See
/// [`parse`] for an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// A share or a proportion: `%`, `‰`, `1/10万`, `1:0.55`.
    Ratio,
    /// A difference of ratios: `pp`, `个百分点`.
    Points,
    /// A relative change: what `growth` and `cagr` give, written in `%`.
    Relative,
    /// A count of things, with its measure word: `个`, `家`, `万人`.
    Count,
    /// A count per population: `人/千人`, `张/千人`, `人/万人`.
    Rate,
    /// Money: `元`, `万元`, `亿元`.
    Money,
    /// Area: `平方米`, `亩`, `万亩`.
    Area,
    /// Age or a span of years: `岁`, `年`.
    Years,
    /// A length of time: `分钟`, `小时`, `天`.
    Time,
    /// Mass: `克`, `千克`, `公斤`, `吨`.
    Mass,
    /// Volume: `毫升`, `升`.
    Volume,
    /// Mass per person per day: `克/人/日`.
    MassPerDay,
    /// Volume per person per day: `毫升/人/日`.
    VolumePerDay,
    /// A numbered level: `级`, `星`.
    Level,
    /// A plain number, such as an index.
    Number,
    /// An ordered set of named grades.
    Grade,
}

impl Dimension {
    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Ratio => "ratio",
            Dimension::Points => "percentage points",
            Dimension::Relative => "relative change",
            Dimension::Count => "count",
            Dimension::Rate => "rate per population",
            Dimension::Money => "money",
            Dimension::Area => "area",
            Dimension::Years => "years",
            Dimension::Time => "time",
            Dimension::Mass => "mass",
            Dimension::Volume => "volume",
            Dimension::MassPerDay => "mass per person per day",
            Dimension::VolumePerDay => "volume per person per day",
            Dimension::Level => "level",
            Dimension::Number => "number",
            Dimension::Grade => "grade",
        }
    }
}

/// A unit as written: its dimension, scale to canonical and symbol.
///
/// ```
/// use zhibiao::unit::{parse, Unit};
///
/// let percent = Unit::percent();
/// assert_eq!(percent.canonical(92.3), 0.923);
/// assert_eq!(percent.format(0.923), "92.3%");
/// assert_eq!(percent.difference().format(0.014), "1.4 个百分点");
/// let beds = parse("万张").unwrap();
/// assert_eq!(beds.canonical(1.2), 12_000.0);
/// assert!(beds.same_kind(&parse("床").unwrap()) && !beds.same_kind(&parse("人").unwrap()));
/// assert_eq!(Unit::ratio_of("医", "护").format(1.17), "1:1.17");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    /// What it measures.
    pub dimension: Dimension,
    /// Canonical value = written value × scale.
    pub scale: f64,
    /// How values in this unit are written after the number (`%`, `个`, `人/千人`).
    pub symbol: Arc<str>,
    /// For `ratio A:B` units: the two terms, values written `1:x`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms: Option<(Arc<str>, Arc<str>)>,
    /// For grades: the names in ascending order; a value is an index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grades: Option<Arc<[String]>>,
}

impl Unit {
    fn new(dimension: Dimension, scale: f64, symbol: &str) -> Unit {
        Unit {
            dimension,
            scale,
            symbol: symbol.into(),
            terms: None,
            grades: None,
        }
    }

    /// A plain number.
    pub fn number() -> Unit {
        Unit::new(Dimension::Number, 1.0, "")
    }

    /// Percent, the unit of relative changes and the usual one of ratios.
    pub fn percent() -> Unit {
        Unit::new(Dimension::Ratio, 0.01, "%")
    }

    /// Percentage points.
    pub fn points() -> Unit {
        Unit::new(Dimension::Points, 0.01, "个百分点")
    }

    /// A relative change written in percent.
    pub fn relative() -> Unit {
        Unit::new(Dimension::Relative, 0.01, "%")
    }

    /// A grade: values are ranks in the declared order.
    pub fn grade(names: Vec<String>) -> Unit {
        Unit {
            grades: Some(names.into()),
            ..Unit::new(Dimension::Grade, 1.0, "")
        }
    }

    /// A declared `ratio A:B`: B per A, written `1:x`.
    pub fn ratio_of(first: &str, second: &str) -> Unit {
        Unit {
            terms: Some((first.into(), second.into())),
            ..Unit::new(Dimension::Ratio, 1.0, ":")
        }
    }

    /// The same dimension and scale with another dimension, e.g. the unit of
    /// a difference of two ratios.
    pub fn with_dimension(&self, dimension: Dimension) -> Unit {
        Unit {
            dimension,
            ..self.clone()
        }
    }

    /// Whether a value written in this unit reads in `declared`: a bare
    /// measure word on a per-person form of it, as statistics print it
    /// (`3.4人` for 每千人口执业医师数 declared `人/千人`, `5克` for
    /// `克/人/日`).
    pub fn reads_in(&self, declared: &Unit) -> bool {
        let per_person = matches!(
            (self.dimension, declared.dimension),
            (Dimension::Count, Dimension::Rate)
                | (Dimension::Mass, Dimension::MassPerDay)
                | (Dimension::Volume, Dimension::VolumePerDay)
        );
        per_person
            && self.scale == 1.0
            && declared.symbol.split('/').next() == Some(self.symbol.as_ref())
    }

    /// The unit of an absolute difference of two values in this unit: for
    /// ratios, percentage points in the same notation.
    pub fn difference(&self) -> Unit {
        match self.dimension {
            Dimension::Ratio if self.symbol.as_ref() == "%" => Unit::points(),
            Dimension::Relative => Unit::points(),
            Dimension::Ratio => self.with_dimension(Dimension::Points),
            // A difference of grades is a number of steps, not a grade.
            Dimension::Grade => Unit::new(Dimension::Number, 1.0, " 个等级"),
            _ => self.clone(),
        }
    }

    /// The canonical value of a number written in this unit, as close to
    /// the decimal figure as binary allows: `95%` is 0.95, not
    /// 0.9500000000000001, and `92.3%` is 0.923, not 0.9229999999999999.
    /// A scale below 1 divides by its inverse (0.01 has no exact binary
    /// form; 100 has), and the result is rounded to 15 significant digits,
    /// the precision of the written number.
    pub fn canonical(&self, written: f64) -> f64 {
        let value = match self.scale {
            scale if scale > 0.0 && scale < 1.0 => {
                let inverse = 1.0 / scale;
                let divisor = inverse.round();
                if (inverse - divisor).abs() <= 1e-9 * divisor {
                    written / divisor
                } else {
                    written * scale
                }
            }
            scale => written * scale,
        };
        if value.is_finite() && value != 0.0 {
            round::fifteen_digits(value)
                .unwrap_or_else(|| format!("{value:.14e}").parse().unwrap_or(value))
        } else {
            value
        }
    }

    /// The measure word of a count or a rate: `张` of `万张` and
    /// `张/千人`; `None` for other units and a bare multiplier (`万`).
    pub fn measure_word(&self) -> Option<&str> {
        if !matches!(self.dimension, Dimension::Count | Dimension::Rate) {
            return None;
        }
        let word = self.symbol.split('/').next()?;
        let word = MULTIPLIERS
            .iter()
            .find_map(|(name, _)| word.strip_prefix(name))
            .unwrap_or(word);
        (!word.is_empty()).then_some(word)
    }

    /// Whether values of two units can be compared or added: one
    /// dimension, and for counts and rates one measure word (`床位数 (张)`
    /// against `5人` counts different things). `个` counts anything;
    /// `张`/`床` and `人`/`名`/`位` are the same word.
    pub fn same_kind(&self, other: &Unit) -> bool {
        const SAME: [[&str; 3]; 2] = [["张", "床", "张"], ["人", "名", "位"]];
        if self.dimension != other.dimension {
            return false;
        }
        match (self.measure_word(), other.measure_word()) {
            (Some(a), Some(b)) => {
                a == b
                    || a == "个"
                    || b == "个"
                    || SAME
                        .iter()
                        .any(|group| group.contains(&a) && group.contains(&b))
            }
            _ => true,
        }
    }

    /// The written number of a canonical value.
    pub fn written(&self, canonical: f64) -> f64 {
        canonical / self.scale
    }

    /// Whether values are shares of a whole written in percent (县域就诊率):
    /// between 0 and 100%.
    pub fn is_share(&self) -> bool {
        self.dimension == Dimension::Ratio && self.terms.is_none() && &*self.symbol == "%"
    }

    /// Writes a canonical value in this unit: `91.2%`, `1:0.55`, `9个`.
    pub fn format(&self, canonical: f64) -> String {
        if let Some(grades) = &self.grades {
            let rank = canonical.round();
            if rank >= 0.0 && (rank as usize) < grades.len() && rank == canonical {
                return grades[rank as usize].clone();
            }
        }
        // Reports format every figure they show: the number's own string
        // is extended rather than formatted again.
        let mut written = format_number(self.written(canonical));
        match (&self.terms, self.dimension) {
            (Some(_), _) => written.insert_str(0, "1:"),
            // A difference of `%` figures is in percentage points; of `‰`
            // or `/10万` figures it keeps their notation.
            (None, Dimension::Points)
                if matches!(self.symbol.as_ref(), "%" | "pp" | "个百分点" | "百分点") =>
            {
                written.push_str(" 个百分点")
            }
            _ => written.push_str(&self.symbol),
        }
        written
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.terms, self.dimension) {
            (Some((first, second)), _) => write!(f, "ratio {first}:{second}"),
            (None, Dimension::Number) => f.write_str("number"),
            (None, Dimension::Grade) => f.write_str("grade"),
            (None, Dimension::Relative) => f.write_str("% (relative change)"),
            (None, _) => f.write_str(&self.symbol),
        }
    }
}

/// How a unit is named in a label: `ratio (%)`, `count (个)`.
///
/// ```
/// use zhibiao::unit::{describe, parse, Unit};
///
/// assert_eq!(describe(&Unit::percent()), "ratio (%)");
/// assert_eq!(describe(&parse("个").unwrap()), "count (个)");
/// ```
pub fn describe(unit: &Unit) -> String {
    match (unit.dimension, unit.symbol.as_ref()) {
        (Dimension::Number, _) => "a plain number".to_string(),
        (Dimension::Grade, _) => "a grade".to_string(),
        (Dimension::Points, "pp" | "个百分点" | "百分点") => {
            "percentage points (pp)".to_string()
        }
        (Dimension::Points, "" | ":") => "a difference of ratios".to_string(),
        (Dimension::Points, symbol) => format!("a difference of ratios ({symbol})"),
        (dimension, "") | (dimension, ":") => dimension.name().to_string(),
        (dimension, symbol) => format!("{} ({symbol})", dimension.name()),
    }
}

/// Writes a number with up to six significant digits and no trailing zeros.
///
/// ```
/// use zhibiao::unit::format_number;
///
/// assert_eq!(format_number(91.20), "91.2");
/// assert_eq!(format_number(2.0 / 3.0), "0.666667");
/// assert_eq!(format_number(12_000.0), "12000");
/// ```
pub fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value == 0.0 {
        return "0".to_string();
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (5 - magnitude).clamp(0, 9) as usize;
    round::fixed(value, decimals).unwrap_or_else(|| fixed_by_formatting(value, decimals))
}

/// `value` to `decimals` places without trailing zeros, by the standard
/// library's exact decimal formatting: the slow path `round::fixed`
/// leaves exact ties and extreme sizes to, and its tests' reference.
fn fixed_by_formatting(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" {
        "0".to_string()
    } else {
        text
    }
}

/// One entry of the unit table. No function returns it: [`table`]
/// publishes the table as text rows (an example is there).
#[derive(Debug, Clone, Copy)]
pub struct TableEntry {
    /// As written.
    pub symbol: &'static str,
    /// What it measures.
    pub dimension: Dimension,
    /// Canonical value of 1 written in this unit.
    pub scale: f64,
}

const fn entry(symbol: &'static str, dimension: Dimension, scale: f64) -> TableEntry {
    TableEntry {
        symbol,
        dimension,
        scale,
    }
}

/// Units that stand alone after a number. Longer symbols are matched first
/// wherever one is a prefix of another (`个百分点` before `个`).
const SYMBOLS: &[TableEntry] = &[
    entry("%", Dimension::Ratio, 0.01),
    entry("％", Dimension::Ratio, 0.01),
    entry("‰", Dimension::Ratio, 0.001),
    entry("‱", Dimension::Ratio, 0.0001),
    entry("pp", Dimension::Points, 0.01),
    entry("个百分点", Dimension::Points, 0.01),
    entry("百分点", Dimension::Points, 0.01),
    entry("个千分点", Dimension::Points, 0.001),
    entry("元", Dimension::Money, 1.0),
    entry("平方米", Dimension::Area, 1.0),
    entry("亩", Dimension::Area, 2000.0 / 3.0),
    entry("公顷", Dimension::Area, 10_000.0),
    entry("岁", Dimension::Years, 1.0),
    entry("年", Dimension::Years, 1.0),
    entry("分钟", Dimension::Time, 1.0),
    entry("小时", Dimension::Time, 60.0),
    entry("天", Dimension::Time, 1440.0),
    entry("日", Dimension::Time, 1440.0),
    entry("克", Dimension::Mass, 1.0),
    entry("千克", Dimension::Mass, 1000.0),
    entry("公斤", Dimension::Mass, 1000.0),
    entry("吨", Dimension::Mass, 1e6),
    entry("毫升", Dimension::Volume, 1.0),
    entry("升", Dimension::Volume, 1000.0),
    entry("级", Dimension::Level, 1.0),
    entry("星", Dimension::Level, 1.0),
];

/// Measure words of counts; each may be scaled by a multiplier (`万人`).
pub const MEASURE_WORDS: &[&str] = &[
    "人次", "台次", "例次", "个", "人", "名", "张", "床", "家", "所", "项", "次", "例", "类", "处",
    "间", "台", "件", "支", "套", "辆", "座", "户", "位", "条", "批", "场", "份", "本", "篇", "种",
    "门", "对", "片", "室", "册", "剂", "针", "只", "组", "队", "网", "辆次", "科", "园", "村",
    "镇", "县", "区",
];

/// Multipliers written before a measure word or `元`.
const MULTIPLIERS: &[(&str, f64)] = &[
    ("千万", 1e7),
    ("百万", 1e6),
    ("万", 1e4),
    ("亿", 1e8),
    ("千", 1e3),
];

/// Population bases of rates and ratios: `/10万`, `/千人`.
const BASES: &[(&str, f64)] = &[
    ("10万", 1e5),
    ("100000", 1e5),
    ("万", 1e4),
    ("10000", 1e4),
    ("千", 1e3),
    ("1000", 1e3),
    ("百", 1e2),
    ("100", 1e2),
];

/// Why a unit could not be read, with the nearest known unit if any. See
/// [`parse`] for an example.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownUnit {
    /// The nearest known unit, for the help line.
    pub suggestion: Option<String>,
}

/// Reads a unit as written after a number or in a declaration or a header:
/// `%`, `1/10万`, `/10万`, `个`, `万人`, `人/千人`, `亿元`, `万亩`.
///
/// ```
/// use zhibiao::unit::{parse, Dimension};
///
/// let rate = parse("1/10万").unwrap();
/// assert_eq!((rate.dimension, rate.canonical(14.5)), (Dimension::Ratio, 0.000145));
/// assert_eq!(parse("人/千人").unwrap().dimension, Dimension::Rate);
/// assert_eq!(parse("亿元").unwrap().canonical(2.0), 2e8);
/// assert_eq!(parse("个以上").unwrap_err().suggestion.as_deref(), Some("个"));
/// ```
pub fn parse(text: &str) -> Result<Unit, UnknownUnit> {
    let text = crate::name::simplified(text.trim());
    let text = text.as_ref();
    if let Some(unit) = parse_exact(text) {
        return Ok(unit);
    }
    Err(UnknownUnit {
        suggestion: suggest(text),
    })
}

fn parse_exact(text: &str) -> Option<Unit> {
    if let Some(found) = SYMBOLS.iter().find(|entry| entry.symbol == text) {
        let symbol = if found.symbol == "％" {
            "%"
        } else {
            found.symbol
        };
        return Some(Unit::new(found.dimension, found.scale, symbol));
    }
    if let Some(base) = text.strip_prefix("1/").or_else(|| text.strip_prefix('/')) {
        let (_, population) = BASES.iter().find(|(name, _)| *name == base)?;
        return Some(Unit::new(
            Dimension::Ratio,
            1.0 / population,
            &format!("/{}", normalise_base(base)),
        ));
    }
    if let Some(word) = ["/人/日", "/人/天"]
        .iter()
        .find_map(|per_day| text.strip_suffix(per_day))
    {
        let per = parse_count(word)?;
        let dimension = match per.dimension {
            Dimension::Mass => Dimension::MassPerDay,
            Dimension::Volume => Dimension::VolumePerDay,
            _ => return None,
        };
        return Some(Unit::new(dimension, per.scale, text));
    }
    if let Some((word, base)) = text.split_once('/') {
        let per = parse_count(word)?;
        let base = base
            .strip_suffix("人口")
            .or_else(|| base.strip_suffix('人'))?;
        let population = if base.is_empty() {
            1.0
        } else {
            BASES.iter().find(|(name, _)| *name == base)?.1
        };
        let dimension = if per.dimension == Dimension::Money {
            Dimension::Money
        } else {
            Dimension::Rate
        };
        return Some(Unit::new(dimension, per.scale / population, text));
    }
    parse_count(text)
}

fn parse_count(text: &str) -> Option<Unit> {
    // `3.5万` on a count: ten thousand of the indicator's own measure word.
    if let Some((_, multiplier)) = MULTIPLIERS.iter().find(|(name, _)| *name == text) {
        return Some(Unit::new(Dimension::Count, *multiplier, text));
    }
    let (multiplier, word) = MULTIPLIERS
        .iter()
        .find_map(|(prefix, scale)| {
            text.strip_prefix(prefix)
                .filter(|rest| !rest.is_empty())
                .map(|rest| (*scale, rest))
        })
        .unwrap_or((1.0, text));
    if word == "元" {
        return Some(Unit::new(Dimension::Money, multiplier, text));
    }
    // `万亩`, `万吨`, `千升`: a multiplier before an area, mass or volume.
    if let Some(measure) = SYMBOLS.iter().find(|entry| {
        entry.symbol == word
            && matches!(
                entry.dimension,
                Dimension::Area | Dimension::Mass | Dimension::Volume
            )
    }) {
        return Some(Unit::new(
            measure.dimension,
            measure.scale * multiplier,
            text,
        ));
    }
    MEASURE_WORDS
        .contains(&word)
        .then(|| Unit::new(Dimension::Count, multiplier, text))
}

fn normalise_base(base: &str) -> &str {
    match base {
        "100000" => "10万",
        "10000" => "万",
        "1000" => "千",
        "100" => "百",
        other => other,
    }
}

fn suggest(text: &str) -> Option<String> {
    // A multiplier stays in the suggestion: `万人们` is `万人`, never `人`,
    // which would make the value ten thousand times too small.
    if let Some((prefix, rest)) = MULTIPLIERS.iter().find_map(|(name, _)| {
        text.strip_prefix(name)
            .filter(|rest| !rest.is_empty())
            .map(|rest| (*name, rest))
    }) {
        return suggest(rest)
            .map(|near| format!("{prefix}{near}"))
            .filter(|near| parse_exact(near).is_some());
    }
    // A known unit at the start is the likeliest intent: `个以上` → `个`.
    let mut prefixes: Vec<String> = text
        .char_indices()
        .skip(1)
        .map(|(at, _)| text[..at].to_string())
        .filter(|prefix| parse_exact(prefix).is_some())
        .collect();
    if let Some(longest) = prefixes.pop() {
        return Some(longest);
    }
    let names = SYMBOLS
        .iter()
        .map(|entry| entry.symbol)
        .chain(MEASURE_WORDS.iter().copied())
        .chain(["1/10万", "人/千人", "人/万人", "万元", "亿元"]);
    crate::diag::closest(text, names).map(str::to_string)
}

/// The published table, for `zhibiao units` and the README: symbol,
/// dimension and scale to canonical.
///
/// ```
/// let table = zhibiao::unit::table();
/// assert!(table.contains(&("‰".to_string(), "ratio", "0.001".to_string())));
/// assert!(table.iter().any(|(symbol, _, _)| symbol == "1/10万"));
/// ```
pub fn table() -> Vec<(String, &'static str, String)> {
    let mut rows: Vec<(String, &'static str, String)> = SYMBOLS
        .iter()
        .filter(|entry| entry.symbol != "％")
        .map(|entry| {
            (
                entry.symbol.to_string(),
                entry.dimension.name(),
                format_number(entry.scale),
            )
        })
        .collect();
    for (base, population) in BASES
        .iter()
        .filter(|(name, _)| !name.chars().all(|c| c.is_ascii_digit()))
    {
        rows.push((
            format!("1/{base}"),
            Dimension::Ratio.name(),
            format_number(1.0 / population),
        ));
    }
    rows.push((
        "ratio A:B".into(),
        Dimension::Ratio.name(),
        "B per A".into(),
    ));
    rows.push((MEASURE_WORDS.join(" "), Dimension::Count.name(), "1".into()));
    rows.push((
        "万/亿/千/百万/千万 alone on a count, or before a measure word, 元, 亩, 吨 or 升".into(),
        "multiplier",
        "1e4/1e8/1e3/1e6/1e7".into(),
    ));
    rows.push((
        "WORD/千人, WORD/万人, WORD/10万人".into(),
        Dimension::Rate.name(),
        "per person".into(),
    ));
    rows.push((
        "克/人/日, 毫升/人/日 (or /人/天)".into(),
        "per person per day",
        "克 or 毫升".into(),
    ));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! unit {
        ($($text:literal => $dimension:ident $scale:expr),* $(,)?) => {$(
            let unit = parse($text).unwrap_or_else(|_| panic!("{} should parse", $text));
            assert_eq!(unit.dimension, Dimension::$dimension, "{}", $text);
            assert!((unit.scale - $scale).abs() <= 1e-12 * $scale, "{}: {}", $text, unit.scale);
        )*};
    }

    #[test]
    fn table_units() {
        unit! {
            "%" => Ratio 0.01,
            "％" => Ratio 0.01,
            "‰" => Ratio 0.001,
            "1/10万" => Ratio 1e-5,
            "/10万" => Ratio 1e-5,
            "/100000" => Ratio 1e-5,
            "pp" => Points 0.01,
            "个百分点" => Points 0.01,
            "个" => Count 1.0,
            "人次" => Count 1.0,
            "万人" => Count 1e4,
            "万元" => Money 1e4,
            "亿元" => Money 1e8,
            "万亩" => Area 1e4 * 2000.0 / 3.0,
            "人/千人" => Rate 1e-3,
            "张/千人" => Rate 1e-3,
            "人/万人" => Rate 1e-4,
            "名/10万人" => Rate 1e-5,
            "岁" => Years 1.0,
            "天" => Time 1440.0,
            "克" => Mass 1.0,
            "公斤" => Mass 1000.0,
            "千克" => Mass 1000.0,
            "万吨" => Mass 1e10,
            "毫升" => Volume 1.0,
            "升" => Volume 1000.0,
            "克/人/日" => MassPerDay 1.0,
            "克/人/天" => MassPerDay 1.0,
            "毫升/人/日" => VolumePerDay 1.0,
        }
        assert!(parse("克").unwrap().reads_in(&parse("克/人/日").unwrap()));
        assert!(parse("人").unwrap().reads_in(&parse("人/千人").unwrap()));
        assert!(!parse("千克").unwrap().reads_in(&parse("克/人/日").unwrap()));
        assert!(!parse("张").unwrap().reads_in(&parse("人/千人").unwrap()));
        assert!(parse("个/人/日").is_err());
    }

    #[test]
    fn traditional_forms_and_multipliers() {
        unit! {
            "歲" => Years 1.0,
            "萬人" => Count 1e4,
            "億人" => Count 1e8,
            "1/10萬" => Ratio 1e-5,
            "萬" => Count 1e4,
            "亿" => Count 1e8,
            "張" => Count 1.0,
        }
        assert_eq!(parse("萬").unwrap().format(35_000.0), "3.5万");
    }

    #[test]
    fn measure_words_are_compared() {
        let beds = parse("张").unwrap();
        assert!(!beds.same_kind(&parse("人").unwrap()));
        assert!(beds.same_kind(&parse("床").unwrap()));
        assert!(beds.same_kind(&parse("万张").unwrap()));
        assert!(beds.same_kind(&parse("个").unwrap()));
        assert!(beds.same_kind(&parse("万").unwrap()));
        assert!(!parse("人/千人")
            .unwrap()
            .same_kind(&parse("张/千人").unwrap()));
        assert!(parse("%").unwrap().same_kind(&parse("‰").unwrap()));
    }

    #[test]
    fn suggestions_keep_the_multiplier() {
        assert_eq!(
            parse("万人们").unwrap_err().suggestion.as_deref(),
            Some("万人")
        );
        assert_eq!(
            parse("亿人口").unwrap_err().suggestion.as_deref(),
            Some("亿人")
        );
    }

    #[test]
    fn unknown_units_suggest_the_nearest() {
        assert_eq!(
            parse("个以上").unwrap_err().suggestion.as_deref(),
            Some("个")
        );
        assert_eq!(parse("%%").unwrap_err().suggestion.as_deref(), Some("%"));
        assert!(parse("").is_err());
    }

    #[test]
    fn formats_in_the_written_unit() {
        assert_eq!(parse("%").unwrap().format(0.912), "91.2%");
        assert_eq!(parse("1/10万").unwrap().format(0.000145), "14.5/10万");
        assert_eq!(Unit::ratio_of("床", "医").format(0.55), "1:0.55");
        assert_eq!(Unit::points().format(0.012), "1.2 个百分点");
        assert_eq!(parse("‰").unwrap().difference().format(-0.0001), "-0.1‰");
        assert_eq!(
            parse("%").unwrap().difference().format(0.005),
            "0.5 个百分点"
        );
        assert_eq!(parse("个").unwrap().format(9.0), "9个");
        assert_eq!(format_number(1.0 / 3.0), "0.333333");
    }

    #[test]
    fn canonical_values_are_the_decimal_figures() {
        let percent = parse("%").unwrap();
        assert_eq!(percent.canonical(95.0), 0.95);
        assert_eq!(percent.canonical(92.3), 0.923);
        assert_eq!(percent.canonical(0.7), parse("‰").unwrap().canonical(7.0));
        assert_eq!(parse("1/10万").unwrap().canonical(14.5), 0.000145);
        assert_eq!(parse("‰").unwrap().canonical(0.12), 0.00012);
        assert_eq!(parse("亿元").unwrap().canonical(21.74), 2_174_000_000.0);
        assert_eq!(parse("人/万人").unwrap().canonical(4.8), 0.00048);
        assert_eq!(format_number(2174000000.0), "2174000000");
    }
}
