//! The dataset's unit list: each distinct unit written in the data gets a
//! one-byte code, stored beside every value.

use std::collections::HashMap;

use crate::unit::{self, Dimension, Unit, UnknownUnit};

/// The unit byte of a text cell.
pub(crate) const TEXT: u8 = u8::MAX;

/// Why a unit cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum UnitProblem {
    /// Not in the unit table.
    Unknown(UnknownUnit),
    /// The dataset already has 254 distinct units.
    TooMany,
}

/// The dataset's units, each given a code once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Units {
    /// `list[code - 1]`.
    pub list: Vec<Unit>,
    by_text: HashMap<String, Result<u8, UnitProblem>>,
}

/// Words a `单位` column or header uses for a ratio written `1:x`.
const RATIO_WORDS: &[&str] = &["比值", "比", "ratio"];

impl Units {
    /// The unit of a ratio cell `1:x`: scale 1, symbol `:`.
    pub fn ratio() -> Unit {
        Unit {
            dimension: Dimension::Ratio,
            scale: 1.0,
            symbol: ":".into(),
            terms: None,
            grades: None,
        }
    }

    /// The code of a unit as written (normalised).
    pub fn resolve(&mut self, text: &str) -> Result<u8, UnitProblem> {
        if let Some(known) = self.by_text.get(text) {
            return known.clone();
        }
        let parsed = if RATIO_WORDS.contains(&text) {
            Ok(Units::ratio())
        } else {
            unit::parse(text).map_err(UnitProblem::Unknown)
        };
        let code = parsed.and_then(|unit| self.code(unit));
        self.by_text.insert(text.to_string(), code.clone());
        code
    }

    /// The code of the ratio unit.
    pub fn ratio_code(&mut self) -> Result<u8, UnitProblem> {
        self.resolve(RATIO_WORDS[0])
    }

    fn code(&mut self, unit: Unit) -> Result<u8, UnitProblem> {
        if let Some(at) = self.list.iter().position(|known| *known == unit) {
            return Ok(at as u8 + 1);
        }
        if self.list.len() >= usize::from(TEXT) - 1 {
            return Err(UnitProblem::TooMany);
        }
        self.list.push(unit);
        Ok(self.list.len() as u8)
    }

    /// The unit of a code.
    pub fn get(&self, code: u8) -> Option<&Unit> {
        match code {
            0 | TEXT => None,
            code => self.list.get(usize::from(code) - 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_code_per_unit() {
        let mut units = Units::default();
        let percent = units.resolve("%").unwrap();
        assert_eq!(units.resolve("％"), Ok(percent));
        assert_eq!(units.resolve("1/10万"), units.resolve("/10万"));
        assert_ne!(units.resolve("‰"), Ok(percent));
        let ratio = units.ratio_code().unwrap();
        assert_eq!(units.resolve("比值"), Ok(ratio));
        assert_eq!(
            units.get(ratio).map(|unit| unit.dimension),
            Some(Dimension::Ratio)
        );
        assert_eq!(units.get(0), None);
        assert_eq!(units.get(TEXT), None);
        let Err(UnitProblem::Unknown(unknown)) = units.resolve("床位") else {
            panic!("床位 is not a unit")
        };
        assert_eq!(unknown.suggestion.as_deref(), Some("床"));
    }
}
