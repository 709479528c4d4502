//! What evaluation found for one rule and one entity, as numbers: the
//! status, the years judged, the figures that decided it and the values
//! its main value took. Evaluation writes no words: the report puts these
//! into an outcome's text (`report::describe`), `:explain` into its trace.

use super::progress::Assessment;
use super::status::Status;
use super::value::Gap;
use super::Coverage;
use crate::ir::{CmpOp, Direction, Quantifier, TrendIr};
use crate::unit::Unit;

/// One rule judged for one entity.
#[derive(Debug, Clone)]
pub(crate) struct Evidence {
    /// The entity's name.
    pub entity: String,
    pub status: Status,
    /// The years whose values were judged (when pending, the deadline).
    pub years: Vec<i32>,
    /// The year the rule falls due, if it has one.
    pub due: Option<i32>,
    /// The year checked as of.
    pub as_of: i32,
    /// Why the truth is not known, when it is not.
    pub unknown: Option<Unknowable>,
    /// Whether the rule counts missing data as a failure.
    pub missing_as_fail: bool,
    /// The years that failed, when the rule judges more than one.
    pub failed_years: Vec<i32>,
    /// The figures of the year that decided.
    pub figures: Figures,
    /// How many members of each set had data.
    pub coverage: Vec<Coverage>,
    /// The main value's known values up to the as-of year, and its unit.
    pub series: Vec<(i32, f64)>,
    pub series_unit: Option<Unit>,
    /// A data problem in the years already reached of a pending target.
    pub series_error: Option<String>,
    /// How far along a pending target is.
    pub progress: Option<Progress>,
}

/// Why a truth is unknown.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Unknowable {
    /// The data makes the rule undefined, or the check could not be made.
    Error(String),
    /// A value the rule needs is absent.
    Missing(Gap),
}

/// The progress assessment of a pending target, with the target and unit
/// its figures are written in.
#[derive(Debug, Clone)]
pub(crate) struct Progress {
    pub assessment: Assessment,
    pub target: f64,
    pub unit: Unit,
}

/// The figures a condition was decided on, canonical.
#[derive(Debug, Clone)]
pub(crate) enum Figures {
    /// Nothing to show (a text comparison, or values that could not be read).
    None,
    Compare {
        actual: Option<f64>,
        op: CmpOp,
        target: Option<f64>,
        unit: Unit,
    },
    Between {
        actual: Option<f64>,
        low: Option<f64>,
        high: Option<f64>,
        unit: Unit,
    },
    Approx {
        actual: Option<f64>,
        /// The centre and the distance allowed from it.
        center: Option<(f64, f64)>,
        unit: Unit,
    },
    Trend {
        /// Each year of the span up to the as-of year, and its value.
        values: Vec<(i32, Option<f64>)>,
        /// The steps that broke the trend: first year, its value, the next
        /// year's value.
        broken: Vec<(i32, f64, f64)>,
        direction: Direction,
        trend: TrendIr,
        unit: Unit,
    },
    Quantified {
        quantifier: Quantifier,
        set: String,
        passed: usize,
        /// The members that failed, by name.
        failed: Vec<String>,
    },
    Top {
        rank: usize,
        ranked: usize,
        share: f64,
        places: usize,
    },
    /// The members of a group (`组 A、B、C 均 …`).
    Members {
        count: usize,
        passed: usize,
        failed: Vec<String>,
    },
    /// A negated condition: the inner condition's figures.
    Not(Box<Figures>),
    /// The part of an `and`/`or` that decided, numbered from 0.
    Part {
        at: usize,
        of: usize,
        figures: Box<Figures>,
    },
}
