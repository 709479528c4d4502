//! The scale check: a share written as a fraction (`0.915`) in a `%` column
//! reads as 0.915%, a hundred times too small, and no rule can tell. Values
//! of one ratio indicator about 100× away from the indicator's median are
//! `data-scale` warnings naming the cell.

use super::reporter::Reporter;
use super::staging::Staging;
use super::units::TEXT;
use crate::diag::{Code, Diagnostic};
use crate::unit::{format_number, Dimension};

/// How far from the median a value is "about 100×" off: a factor in this
/// range (both ways). Shares that differ by 10× are common (a rare disease's
/// rate against another's); 100× within one indicator is a slip of scale.
const FACTOR: std::ops::RangeInclusive<f64> = 50.0..=200.0;

/// Fewer values than this have no "rest" to compare with.
const LEAST: usize = 3;

/// Warns of ratio values about 100× off their indicator's median.
pub(crate) fn check(staging: &Staging, reporter: &mut Reporter) {
    // A share's canonical value, for observations in a ratio unit.
    let share = |observation: &super::staging::Observation| {
        if observation.unit == TEXT || observation.value <= 0.0 {
            return None;
        }
        let unit = staging.units.get(observation.unit)?;
        // `1:x` ratios are not shares: 1:0.5 and 1:50 are both sensible.
        (unit.dimension == Dimension::Ratio && &*unit.symbol != ":")
            .then_some(observation.value * unit.scale)
    };
    // First the median of each indicator, then one pass to compare.
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); staging.indicators.len()];
    for observation in &staging.observations {
        if let Some(value) = share(observation) {
            values[observation.indicator as usize].push(value);
        }
    }
    let medians: Vec<Option<f64>> = values
        .into_iter()
        .map(|mut cells| {
            if cells.len() < LEAST {
                return None;
            }
            let middle = cells.len() / 2;
            Some(*cells.select_nth_unstable_by(middle, f64::total_cmp).1)
        })
        .collect();
    for (at, observation) in staging.observations.iter().enumerate() {
        let (Some(median), Some(value)) =
            (medians[observation.indicator as usize], share(observation))
        else {
            continue;
        };
        let factor = median / value;
        let (direction, times) = if FACTOR.contains(&factor) {
            ("below", factor)
        } else if FACTOR.contains(&(1.0 / factor)) {
            ("above", 1.0 / factor)
        } else {
            continue;
        };
        warn(staging, reporter, at, median, direction, times);
    }
}

fn warn(
    staging: &Staging,
    reporter: &mut Reporter,
    at: usize,
    median: f64,
    direction: &str,
    times: f64,
) {
    let observation = &staging.observations[at];
    let Some(unit) = staging.units.get(observation.unit) else {
        return;
    };
    let loc = observation.loc();
    let written = staging.text(loc).trim();
    let median = format!("{}{}", format_number(median / unit.scale), unit.symbol);
    let message = format!(
        "`{}` of `{}` in {} is `{written}`, about {}× {direction} the indicator's other values (median {median})",
        staging.indicators[observation.indicator as usize],
        staging.entities[observation.entity as usize],
        observation.year,
        times.round(),
    );
    let read = format!("{}{}", format_number(observation.value), unit.symbol);
    let help = if direction == "below" {
        format!(
            "a share written as a fraction reads as `{read}` here: write it as the other cells are (`{}`)",
            format_number(observation.value * 100.0)
        )
    } else {
        format!(
            "the cell reads as `{read}`: check that it is written on the same scale as the others"
        )
    };
    let diagnostic = Diagnostic::warning(
        staging.source(loc.file),
        Code::DataScale,
        loc.span(),
        message,
        format!("read as {read}"),
    )
    .with_help(help);
    reporter.push(loc.file, diagnostic);
}
