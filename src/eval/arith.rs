//! The arithmetic the evaluator applies to values already read: a trend's
//! step from one year to the next, aggregates, the places of a share.

use super::value::Unknown;
use crate::ir::{CmpOp, Direction, EntityFunction, TrendIr, YearFunction};
use crate::unit::format_number;

/// How many places the best `share` of `ranked` members are: `25%` of
/// 11 is 3 (rounded up, so a share never means no place at all).
pub(crate) fn places(share: f64, ranked: usize) -> usize {
    ((share * ranked as f64) - 1e-9).ceil().max(1.0) as usize
}

/// Whether one year's step satisfies a trend.
pub(super) fn step_holds(
    direction: Direction,
    trend: &TrendIr,
    first: f64,
    second: f64,
) -> Result<bool, Unknown> {
    Ok(match (trend, direction) {
        (TrendIr::EachYear, Direction::Rises) => second > first,
        (TrendIr::EachYear, Direction::Falls) => second < first,
        // `never falls`: non-decreasing; `never rises`: non-increasing.
        (TrendIr::Never, Direction::Falls) => second >= first,
        (TrendIr::Never, Direction::Rises) => second <= first,
        (
            TrendIr::Step {
                op,
                amount,
                relative,
            },
            direction,
        ) => {
            let change = match direction {
                Direction::Rises => second - first,
                Direction::Falls => first - second,
            };
            let step = if *relative {
                if first <= 0.0 {
                    return Err(Unknown::Error(format!(
                        "a relative step from {} is undefined",
                        format_number(first)
                    )));
                }
                change / first
            } else {
                change
            };
            // Steps like 0.5pp are differences of rounded figures: compare
            // with a relative slack far below any published precision.
            let slack = 1e-9 * amount.abs().max(1e-12);
            match op {
                CmpOp::Ge => step >= amount - slack,
                CmpOp::Le => step <= amount + slack,
                other => other.holds(step, *amount),
            }
        }
    })
}

pub(super) fn function_of_years(function: YearFunction) -> EntityFunction {
    match function {
        YearFunction::Sum => EntityFunction::Sum,
        YearFunction::Min => EntityFunction::Min,
        YearFunction::Max => EntityFunction::Max,
        _ => EntityFunction::Avg,
    }
}

pub(super) fn aggregate(function: EntityFunction, values: &[f64]) -> f64 {
    match function {
        EntityFunction::Sum => values.iter().sum(),
        EntityFunction::Avg => values.iter().sum::<f64>() / values.len() as f64,
        EntityFunction::Min => values.iter().copied().fold(f64::INFINITY, f64::min),
        EntityFunction::Max => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    }
}

#[cfg(test)]
mod tests {
    use super::places;

    #[test]
    fn a_share_of_places_rounds_up_to_at_least_one() {
        assert_eq!(places(0.25, 11), 3);
        assert_eq!(places(0.25, 12), 3);
        assert_eq!(places(0.5, 3), 2);
        assert_eq!(places(0.1, 3), 1);
        assert_eq!(places(1.0, 7), 7);
    }
}
