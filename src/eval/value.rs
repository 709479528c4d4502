//! Three-valued results: a value or truth is known, or it is unknown
//! because data is missing, because its year is after the as-of year, or
//! because the data makes it undefined.

use serde::{Deserialize, Serialize};

/// A value the rule needed that the data does not have.
///
/// ```
/// use zhibiao::{data::DatasetBuilder, CheckOptions, Status};
///
/// let rules = "scope 日照市\nindicator 县域就诊率: %\n\
///              rule 县域就诊率 >= 90% by 2024\nrule avg(下级, 县域就诊率) >= 90% by 2024\n";
/// let program = zhibiao::compile(rules, "a.rules").unwrap();
/// let mut data = DatasetBuilder::new();
/// data.entity("日照市", None).entity("岚山区", Some("日照市"));
/// data.number("东港区", 2024, "县域就诊率", 91.0, Some("%")).entity("东港区", Some("日照市"));
/// let (data, _) = data.build().unwrap();
/// let report = program.check(&data, &CheckOptions::default());
///
/// let gap = &report.outcomes[0].missing[0];
/// assert_eq!((report.outcomes[0].status, gap.entity.as_str(), gap.year), (Status::Missing, "日照市", 2024));
/// // An average skips members without data, and says how many had it.
/// let coverage = &report.outcomes[1].coverage[0];
/// assert_eq!((report.outcomes[1].status, coverage.with_data, coverage.total), (Status::Pass, 1, 2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Gap {
    /// Indicator name.
    pub indicator: String,
    /// Entity name.
    pub entity: String,
    /// Year.
    pub year: i32,
}

/// Why a value or a truth is not known.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Unknown {
    /// The data lacks a value.
    Missing(Gap),
    /// The value belongs to a year after the as-of year.
    Pending,
    /// The data makes the rule undefined, e.g. a growth from a base of 0.
    Error(String),
}

impl Unknown {
    /// Which of two unknowns a combination reports: an error explains
    /// most, then missing data, then a year not yet reached.
    pub fn worse(self, other: Unknown) -> Unknown {
        fn rank(unknown: &Unknown) -> u8 {
            match unknown {
                Unknown::Error(_) => 2,
                Unknown::Missing(_) => 1,
                Unknown::Pending => 0,
            }
        }
        if rank(&other) > rank(&self) {
            other
        } else {
            self
        }
    }
}

/// A value in canonical units, or why it is unknown.
pub(crate) type Value = Result<f64, Unknown>;

/// Whether a condition holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Truth {
    Pass,
    Fail,
    Unknown(Unknown),
}

impl Truth {
    pub fn from_bool(holds: bool) -> Truth {
        if holds {
            Truth::Pass
        } else {
            Truth::Fail
        }
    }

    /// All must hold: any failure fails, even when other parts are unknown.
    pub fn all(parts: impl IntoIterator<Item = Truth>) -> Truth {
        let mut unknown: Option<Unknown> = None;
        for part in parts {
            match part {
                Truth::Fail => return Truth::Fail,
                Truth::Pass => {}
                Truth::Unknown(why) => {
                    unknown = Some(match unknown {
                        Some(known) => known.worse(why),
                        None => why,
                    })
                }
            }
        }
        unknown.map_or(Truth::Pass, Truth::Unknown)
    }

    /// Any may hold: any pass passes, even when other parts are unknown.
    pub fn any(parts: impl IntoIterator<Item = Truth>) -> Truth {
        let mut unknown: Option<Unknown> = None;
        for part in parts {
            match part {
                Truth::Pass => return Truth::Pass,
                Truth::Fail => {}
                Truth::Unknown(why) => {
                    unknown = Some(match unknown {
                        Some(known) => known.worse(why),
                        None => why,
                    })
                }
            }
        }
        unknown.map_or(Truth::Fail, Truth::Unknown)
    }
}

impl std::ops::Not for Truth {
    type Output = Truth;

    /// Pass and fail swap; an unknown stays unknown.
    fn not(self) -> Truth {
        match self {
            Truth::Pass => Truth::Fail,
            Truth::Fail => Truth::Pass,
            unknown => unknown,
        }
    }
}

/// Combines two values with `f`; the worse unknown wins.
pub(crate) fn both(left: Value, right: Value, f: impl FnOnce(f64, f64) -> Value) -> Value {
    match (left, right) {
        (Ok(left), Ok(right)) => f(left, right),
        (Err(left), Err(right)) => Err(left.worse(right)),
        (Err(why), _) | (_, Err(why)) => Err(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn missing() -> Truth {
        Truth::Unknown(Unknown::Missing(Gap {
            indicator: "x".into(),
            entity: "e".into(),
            year: 2023,
        }))
    }

    #[test]
    fn a_judged_failure_fails_whatever_else_is_unknown() {
        assert_eq!(
            Truth::all([missing(), Truth::Fail, Truth::Pass]),
            Truth::Fail
        );
        assert_eq!(Truth::all([Truth::Pass, missing()]), missing());
        assert_eq!(Truth::all([Truth::Pass, Truth::Pass]), Truth::Pass);
        assert_eq!(Truth::any([missing(), Truth::Pass]), Truth::Pass);
        assert_eq!(Truth::any([missing(), Truth::Fail]), missing());
    }

    #[test]
    fn missing_data_outranks_a_year_not_reached() {
        let pending = Truth::Unknown(Unknown::Pending);
        assert_eq!(Truth::all([pending.clone(), missing()]), missing());
        assert_eq!(Truth::all([pending.clone(), Truth::Pass]), pending);
    }
}
