//! Progress toward a target not yet due, by the SDG progress measure
//! (Eurostat; Statistics Canada; Open SDG): the ratio of the actual
//! compound growth rate since the base year to the rate required to reach
//! the target by its year.

use serde::{Deserialize, Serialize};

/// Published convention: a base or target value of 0 is replaced by this.
pub const ZERO_REPLACEMENT: f64 = 0.001;

/// Where the progress ratio puts a target. See [`assess`] for an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// The target is already met.
    MetEarly,
    /// R ≥ 0.95.
    OnTrack,
    /// 0.6 ≤ R < 0.95.
    AccelerationNeeded,
    /// 0 ≤ R < 0.6.
    LimitedProgress,
    /// R < 0.
    Deterioration,
    /// No measure: the reason is given beside it.
    Unknown,
}

impl Category {
    /// English words.
    pub fn english(self) -> &'static str {
        match self {
            Category::MetEarly => "met early",
            Category::OnTrack => "on track",
            Category::AccelerationNeeded => "acceleration needed",
            Category::LimitedProgress => "limited progress",
            Category::Deterioration => "deterioration",
            Category::Unknown => "unknown",
        }
    }

    /// Chinese words.
    pub fn chinese(self) -> &'static str {
        match self {
            Category::MetEarly => "提前达标",
            Category::OnTrack => "进度正常",
            Category::AccelerationNeeded => "需要加快",
            Category::LimitedProgress => "进展有限",
            Category::Deterioration => "出现倒退",
            Category::Unknown => "无法评估",
        }
    }

    /// Parses the English or Chinese words, or the snake_case name.
    pub fn parse(text: &str) -> Option<Category> {
        let all = [
            Category::MetEarly,
            Category::OnTrack,
            Category::AccelerationNeeded,
            Category::LimitedProgress,
            Category::Deterioration,
            Category::Unknown,
        ];
        let wanted = text.trim().replace(['_', '-'], " ");
        all.into_iter()
            .find(|category| category.english() == wanted || category.chinese() == text.trim())
    }
}

/// The category thresholds on R, configurable per run. See [`assess`] for
/// an example.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    /// R at or above this is on track (0.95).
    pub on_track: f64,
    /// R at or above this, below on track, needs acceleration (0.6).
    pub acceleration: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            on_track: 0.95,
            acceleration: 0.6,
        }
    }
}

/// The full assessment of one pending target, values canonical. See
/// [`assess`] for an example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Assessment {
    /// Where R puts the target.
    pub category: Category,
    /// Why the category is unknown, or why a target met early has no R.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// t0.
    pub base_year: Option<i32>,
    /// y0.
    pub base_value: Option<f64>,
    /// t: the latest year with data at or before the as-of year.
    pub current_year: Option<i32>,
    /// yt.
    pub current_value: Option<f64>,
    /// v.
    pub target_value: f64,
    /// T.
    pub target_year: i32,
    /// CAGR_a: actual compound growth rate from base to current.
    pub actual_growth: Option<f64>,
    /// CAGR_r: growth rate required from base to target.
    pub required_growth: Option<f64>,
    /// R = CAGR_a / CAGR_r.
    pub ratio: Option<f64>,
    /// The value at the target year if the actual rate continues
    /// (`projected_value` in JSON, beside the report's written `projected`).
    #[serde(rename = "projected_value")]
    pub projected: Option<f64>,
}

/// What the formula needs: the series, the target and the direction. See
/// [`assess`] for an example.
#[derive(Debug, Clone, Copy)]
pub struct Goal {
    /// v, canonical.
    pub target_value: f64,
    /// T.
    pub target_year: i32,
    /// `Some(true)` higher is better, `Some(false)` lower is better,
    /// `None` the comparator gives no direction (a range, `≈`).
    pub higher_is_better: Option<bool>,
}

/// Assesses a series of `(year, value)` (ascending, known values only).
/// `base_year` picks the base; else the earliest year of the series.
///
/// ```
/// use zhibiao::progress::{assess, Category, Goal, Thresholds};
///
/// // 80% in 2020 to 84% in 2023, against 90% by 2025 (the README's worked example).
/// let series = [(2020, 0.80), (2021, 0.81), (2022, 0.83), (2023, 0.84)];
/// let goal = Goal { target_value: 0.90, target_year: 2025, higher_is_better: Some(true) };
/// let assessment = assess(&series, goal, None, Thresholds::default());
/// assert_eq!(assessment.category, Category::AccelerationNeeded);
/// assert_eq!(assessment.category.chinese(), "需要加快");
/// assert!((assessment.ratio.unwrap() - 0.688).abs() < 0.001);
/// assert_eq!(Category::parse("acceleration_needed"), Some(assessment.category));
///
/// let stricter = Thresholds { on_track: 0.95, acceleration: 0.7 };
/// assert_eq!(assess(&series, goal, None, stricter).category, Category::LimitedProgress);
/// ```
pub fn assess(
    series: &[(i32, f64)],
    goal: Goal,
    base_year: Option<i32>,
    thresholds: Thresholds,
) -> Assessment {
    let mut assessment = Assessment {
        category: Category::Unknown,
        reason: None,
        base_year: None,
        base_value: None,
        current_year: None,
        current_value: None,
        target_value: goal.target_value,
        target_year: goal.target_year,
        actual_growth: None,
        required_growth: None,
        ratio: None,
        projected: None,
    };
    let unknown = |mut assessment: Assessment, reason: String| {
        assessment.category = Category::Unknown;
        assessment.reason = Some(reason);
        assessment
    };
    let Some(higher_is_better) = goal.higher_is_better else {
        return unknown(
            assessment,
            "a range or `≈` target has no direction to progress in".to_string(),
        );
    };
    let Some(&(t, yt)) = series.last() else {
        return unknown(assessment, "no value up to the as-of year".to_string());
    };
    assessment.current_year = Some(t);
    assessment.current_value = Some(yt);
    let met = if higher_is_better {
        yt >= goal.target_value
    } else {
        yt <= goal.target_value
    };
    // The figures are worked out even for a target already met, so that a
    // host sees the growth rates and `progress(…)` has its R.
    match (
        met,
        measure(&mut assessment, series, goal, base_year, (t, yt)),
    ) {
        (true, measured) => {
            assessment.category = Category::MetEarly;
            // Met, but with no R: say why, for `progress(…)`.
            assessment.reason = measured.err();
            assessment
        }
        (false, Err(reason)) => unknown(assessment, reason),
        (false, Ok(ratio)) => {
            assessment.category = categorise(ratio, thresholds);
            assessment
        }
    }
}

/// Fills in the base, the growth rates and the projection; R, or why
/// there is none.
fn measure(
    assessment: &mut Assessment,
    series: &[(i32, f64)],
    goal: Goal,
    base_year: Option<i32>,
    (t, yt): (i32, f64),
) -> Result<f64, String> {
    let base = match base_year {
        Some(year) => series.iter().find(|(at, _)| *at == year).copied(),
        None => series.first().copied(),
    };
    let Some((t0, y0)) = base else {
        return Err(match base_year {
            Some(year) => format!("no value in the base year {year}"),
            None => "no value up to the as-of year".to_string(),
        });
    };
    assessment.base_year = Some(t0);
    assessment.base_value = Some(y0);
    if t <= t0 {
        return Err(format!("only one year of data ({t0}); progress needs two"));
    }
    if goal.target_year <= t0 {
        return Err(format!(
            "the target year {} is not after the base year {t0}",
            goal.target_year
        ));
    }
    let replace_zero = |value: f64| {
        if value == 0.0 {
            ZERO_REPLACEMENT
        } else {
            value
        }
    };
    let (y0, v) = (replace_zero(y0), replace_zero(goal.target_value));
    let signs = [y0, yt, v];
    if !(signs.iter().all(|value| *value > 0.0) || signs.iter().all(|value| *value < 0.0)) {
        return Err("the base, current and target values do not share one sign".to_string());
    }
    let actual = (yt / y0).powf(1.0 / f64::from(t - t0)) - 1.0;
    let required = (v / y0).powf(1.0 / f64::from(goal.target_year - t0)) - 1.0;
    assessment.actual_growth = Some(actual);
    assessment.required_growth = Some(required);
    assessment.projected = Some(yt * (1.0 + actual).powf(f64::from(goal.target_year - t)));
    if required == 0.0 {
        return Err("the target equals the base value, so no growth is required".to_string());
    }
    let ratio = actual / required;
    assessment.ratio = Some(ratio);
    Ok(ratio)
}

fn categorise(ratio: f64, thresholds: Thresholds) -> Category {
    if ratio >= thresholds.on_track {
        Category::OnTrack
    } else if ratio >= thresholds.acceleration {
        Category::AccelerationNeeded
    } else if ratio >= 0.0 {
        Category::LimitedProgress
    } else {
        Category::Deterioration
    }
}

/// The progress ratio alone, for `progress(x, TARGET, YEAR[, BASE])`. See
/// [`assess_series`] for an example.
pub struct RatioOnly {
    /// R, or why there is none.
    pub ratio: Result<f64, String>,
}

/// `progress(…)` in a rule: direction from the target relative to the base.
///
/// ```
/// use zhibiao::progress::assess_series;
///
/// let series = [(2020, 0.80), (2021, 0.81), (2022, 0.83), (2023, 0.84)];
/// let ratio = assess_series(&series, 0.90, 2025, None).ratio.unwrap();
/// assert!((ratio - 0.688).abs() < 0.001);
///
/// let why = assess_series(&series[..1], 0.90, 2025, None).ratio.unwrap_err();
/// assert_eq!(why, "only one year of data (2020); progress needs two");
/// ```
pub fn assess_series(
    series: &[(i32, f64)],
    target: f64,
    target_year: i32,
    base_year: Option<i32>,
) -> RatioOnly {
    let base = match base_year {
        Some(year) => series.iter().find(|(at, _)| *at == year),
        None => series.first(),
    };
    let higher_is_better = base.map(|(_, value)| target >= *value);
    let goal = Goal {
        target_value: target,
        target_year,
        higher_is_better,
    };
    let assessment = assess(series, goal, base_year, Thresholds::default());
    RatioOnly {
        ratio: assessment.ratio.ok_or_else(|| {
            assessment
                .reason
                .unwrap_or_else(|| "no progress measure".to_string())
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal(target_value: f64, target_year: i32, higher: bool) -> Goal {
        Goal {
            target_value,
            target_year,
            higher_is_better: Some(higher),
        }
    }

    #[test]
    fn higher_is_better_by_hand() {
        // y0 = 80 (2020), yt = 84 (2023), v = 90 by 2025.
        // CAGR_a = (84/80)^(1/3) - 1 = 0.016396; CAGR_r = (90/80)^(1/5) - 1 = 0.023836
        // R = 0.68786 -> acceleration needed.
        let series = [(2020, 80.0), (2021, 81.0), (2022, 83.0), (2023, 84.0)];
        let assessment = assess(&series, goal(90.0, 2025, true), None, Thresholds::default());
        let ratio = assessment.ratio.unwrap();
        assert!((ratio - 0.68786).abs() < 1e-4, "{ratio}");
        assert_eq!(assessment.category, Category::AccelerationNeeded);
    }

    #[test]
    fn lower_is_better_by_hand() {
        // Infant mortality 6.0‰ (2020) to 5.0‰ (2022), target 4.5‰ by 2025.
        // CAGR_a = (5/6)^(1/2) - 1 = -0.087129; CAGR_r = (4.5/6)^(1/5) - 1 = -0.055890
        // R = 1.5589 -> on track.
        let series = [(2020, 0.006), (2022, 0.005)];
        let assessment = assess(
            &series,
            goal(0.0045, 2025, false),
            None,
            Thresholds::default(),
        );
        assert!((assessment.ratio.unwrap() - 1.5589).abs() < 1e-3);
        assert_eq!(assessment.category, Category::OnTrack);
    }

    #[test]
    fn a_target_met_early_still_has_its_figures() {
        // 70 (2018) to 92 (2024) against 90 by 2030: met; R is still worked out.
        let series = [(2018, 70.0), (2024, 92.0)];
        let assessment = assess(&series, goal(90.0, 2030, true), None, Thresholds::default());
        assert_eq!(assessment.category, Category::MetEarly);
        let actual = (92.0f64 / 70.0).powf(1.0 / 6.0) - 1.0;
        let required = (90.0f64 / 70.0).powf(1.0 / 12.0) - 1.0;
        assert!((assessment.ratio.unwrap() - actual / required).abs() < 1e-12);
        assert_eq!(assessment.reason, None);
        // Met with a single year: no R, and the reason says why.
        let single = assess(
            &[(2024, 92.0)],
            goal(90.0, 2030, true),
            None,
            Thresholds::default(),
        );
        assert_eq!(single.category, Category::MetEarly);
        assert!(single.reason.unwrap().contains("one year"));
    }

    #[test]
    fn conventions_and_unknowns() {
        let met = assess(
            &[(2020, 1.0), (2023, 5.0)],
            goal(4.0, 2025, true),
            None,
            Thresholds::default(),
        );
        assert_eq!(met.category, Category::MetEarly);
        let single = assess(
            &[(2023, 1.0)],
            goal(4.0, 2025, true),
            None,
            Thresholds::default(),
        );
        assert_eq!(single.category, Category::Unknown);
        let mixed = assess(
            &[(2020, -1.0), (2023, 2.0)],
            goal(4.0, 2025, true),
            None,
            Thresholds::default(),
        );
        assert_eq!(mixed.category, Category::Unknown);
        // Zero target for a lower-is-better count: replaced by 0.001.
        let zero = assess(
            &[(2020, 10.0), (2023, 2.0)],
            goal(0.0, 2025, false),
            None,
            Thresholds::default(),
        );
        let required = (0.001f64 / 10.0).powf(1.0 / 5.0) - 1.0;
        assert!((zero.required_growth.unwrap() - required).abs() < 1e-12);
        let worse = assess(
            &[(2020, 10.0), (2023, 9.0)],
            goal(20.0, 2025, true),
            None,
            Thresholds::default(),
        );
        assert_eq!(worse.category, Category::Deterioration);
    }
}
