//! Reading a part against its guessed declarations: the unit of a new
//! indicator from its figures, the sentence reader of `crate::phrase` on
//! the part, and each target it reads in the JSON's terms (comparator,
//! value, year), with `better` where the verb says so.

use super::document::Document;
use super::figures::{figure, noun_after, whole_word};
use super::grades::{self, scale_in};
use crate::phrase::lexicon::{meaning, Meaning, Strength};
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

/// One target in the JSON's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub indicator: String,
    pub comparator: String,
    pub value: String,
    pub year: Option<i32>,
    pub binding: bool,
}

pub(super) type Drafted = (Vec<Indicator>, Vec<Reading>, Option<String>, Vec<String>);

/// Declares the names, reads the part against them: the targets, the time
/// clause it needs and the review notes.
pub(super) fn draft_part(
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
    let yearly = found.iter().filter_map(Token::word).any(|word| {
        matches!(
            meaning(word),
            Meaning::Trend(_, Strength::EachYear | Strength::Never)
        )
    });
    match document.annual {
        // `不断提升…` in a year's plan: year on year from the year before.
        Some(year) if yearly => {
            let base = document.baseline.unwrap_or(year - 1);
            context.from_to = Some((clause_year(base), clause_year(year)));
        }
        Some(year) => context.in_year = Some(clause_year(year)),
        None => {}
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
            When::Every(from, to) if from.start == 0 && from.end == 0 => {
                clause = Some(format!("from {} to {}", from.value, to.value));
                Some(to.value)
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
pub(super) fn vague(word: &str) -> bool {
    [
        "逐步", "明显", "有所", "显著", "有序", "不断", "稳步", "持续", "适度", "适当",
    ]
    .iter()
    .any(|w| word.starts_with(w))
}

/// `better` when the verb says which way is better: 下降到, 控制在, 降低 →
/// lower; 提高到, 提升 → higher. A bound alone (以上) says nothing of it.
pub(super) fn direction_of(
    indicators: &mut [Indicator],
    symbolic: &str,
    op: CmpOp,
    found: &[Token],
) {
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
pub(super) fn comparator(symbolic: &str) -> (String, String) {
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

pub(super) fn unit_of(text: &str) -> Option<crate::unit::Unit> {
    if text == "number" {
        return Some(crate::unit::Unit::number());
    }
    if let Some(terms) = text.strip_prefix("ratio ") {
        let (first, second) = terms.split_once(':')?;
        return Some(crate::unit::Unit::ratio_of(first, second));
    }
    if let Some(scale) = text.strip_prefix("grade ") {
        let names = scale.split(" < ").map(str::to_string).collect();
        return Some(crate::unit::Unit::grade(names));
    }
    crate::unit::parse(text).ok()
}

/// The unit of a new indicator from the figures of its part.
pub(super) fn guess(name: &str, text: &str, found: &[Token]) -> Indicator {
    let whole = found.iter().any(|token| whole_word(text, token));
    let number = (0..found.len())
        .filter(|at| figure(text, found, *at) || noun_after(text, found, *at).is_some())
        .find_map(|at| match &found[at].kind {
            Kind::Number(number) | Kind::Range(number, _) => Some(number.clone()),
            _ => None,
        });
    let share = || {
        ["率", "比例", "占比", "比重"]
            .iter()
            .any(|end| name.ends_with(end))
    };
    // `达到三级甲等标准` after the name: its scale.
    let after = text.find(name).map_or(0, |at| at + name.len());
    let grade = text.get(after..).and_then(scale_in);
    let (unit, guessed) = match (number, grade) {
        (None, Some(scale)) => (grades::unit(scale), None),
        (number, _) => match number {
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
                    let per = if name.contains("每千") || name.starts_with("千人") {
                        "/千人"
                    } else if name.contains("每万") || name.starts_with("万人") {
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
        },
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
