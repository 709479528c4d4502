//! Inline SVG charts of a rule's outcomes for the HTML report: each
//! entity's actual values by year, the target as a dashed line, the
//! deadline as a dotted vertical line and, for targets not yet due, the
//! projection at the actual rate of change. Plain SVG, no script, so it
//! prints and works offline.

use std::fmt::Write;

use super::escape;
use crate::report::outcome::Outcome;

const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 170.0;
const LEFT: f64 = 62.0;
const RIGHT: f64 = 86.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 24.0;
/// Lines drawn at most; the legend says how many more there are.
const MOST_LINES: usize = 6;
const COLOURS: [&str; MOST_LINES] = [
    "#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#0e7490", "#a16207",
];

/// The chart of one rule's outcomes (worst first), or `None` when none of
/// them has a value to draw.
///
/// ```
/// use zhibiao::{data::Dataset, CheckOptions};
///
/// let program = zhibiao::compile("scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2024\n", "a.rules").unwrap();
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,指标,值\n日照市,2023,县域就诊率,89.5\n日照市,2024,县域就诊率,88.6\n").unwrap();
/// let report = program.check(&data, &CheckOptions::default());
/// let outcomes: Vec<_> = report.outcomes.iter().collect();
/// let svg = zhibiao::report::chart::rule_chart(&outcomes).unwrap();
/// assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
/// assert_eq!(zhibiao::report::chart::rule_chart(&[]), None);
/// ```
pub fn rule_chart(outcomes: &[&Outcome]) -> Option<String> {
    let drawn: Vec<&Outcome> = outcomes
        .iter()
        .copied()
        .filter(|outcome| !outcome.series.is_empty())
        .take(MOST_LINES)
        .collect();
    if drawn.is_empty() {
        return None;
    }
    let target = outcomes.iter().find_map(|outcome| outcome.target_value);
    let deadline = outcomes
        .iter()
        .filter_map(|outcome| outcome.years.iter().max().copied())
        .max();
    let projections: Vec<(i32, f64)> = drawn
        .iter()
        .filter_map(|outcome| {
            let progress = outcome.progress.as_ref()?;
            Some((progress.assessment.target_year, progress.projected_shown?))
        })
        .collect();
    let years = drawn
        .iter()
        .flat_map(|outcome| outcome.series.iter().map(|point| point.year))
        .chain(deadline)
        .chain(projections.iter().map(|(year, _)| *year));
    let (first, last) = years.fold((i32::MAX, i32::MIN), |(low, high), year| {
        (low.min(year), high.max(year))
    });
    let values = drawn
        .iter()
        .flat_map(|outcome| outcome.series.iter().map(|point| point.value))
        .chain(target)
        .chain(projections.iter().map(|(_, value)| *value));
    let (mut low, mut high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), v| {
        (low.min(v), high.max(v))
    });
    let margin = ((high - low) * 0.12).max(high.abs() * 0.02).max(1e-9);
    low -= margin;
    high += margin;
    let x = |year: i32| {
        let span = f64::from((last - first).max(1));
        LEFT + f64::from(year - first) / span * (WIDTH - LEFT - RIGHT)
    };
    let y = |value: f64| TOP + (high - value) / (high - low) * (HEIGHT - TOP - BOTTOM);
    let points: usize = drawn.iter().map(|outcome| outcome.series.len()).sum();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" data-points="{points}">"#
    );
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" y1="{b}" x2="{r}" y2="{b}" stroke="#888"/><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{b}" stroke="#888"/>"##,
        b = HEIGHT - BOTTOM,
        r = WIDTH - RIGHT
    );
    for year in [first, last] {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" class="tick" text-anchor="middle">{year}</text>"#,
            x(year),
            HEIGHT - 8.0
        );
    }
    for (value, label) in value_labels(&drawn) {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" class="tick" text-anchor="end">{}</text>"#,
            LEFT - 4.0,
            y(value) + 3.0,
            escape(&label)
        );
    }
    if let Some(deadline) = deadline {
        let _ = write!(
            svg,
            r##"<line class="deadline" x1="{0:.1}" y1="{TOP}" x2="{0:.1}" y2="{1}" stroke="#6b7280" stroke-dasharray="2 3"/><text x="{0:.1}" y="{2:.1}" class="tick" text-anchor="middle">期限 {deadline}</text>"##,
            x(deadline),
            HEIGHT - BOTTOM,
            TOP - 3.0
        );
    }
    if let Some(target) = target {
        let label = outcomes
            .iter()
            .find_map(|outcome| outcome.target.clone())
            .unwrap_or_default();
        let _ = write!(
            svg,
            r##"<line class="target" x1="{LEFT}" y1="{0:.1}" x2="{1}" y2="{0:.1}" stroke="#b91c1c" stroke-dasharray="6 4"/><text x="{2}" y="{3:.1}" class="target-label" paint-order="stroke" stroke="white" stroke-width="3">目标 {4}</text>"##,
            y(target),
            WIDTH - RIGHT,
            LEFT + 4.0,
            y(target) - 3.0,
            escape(&label)
        );
    }
    for (index, outcome) in drawn.iter().enumerate() {
        let colour = COLOURS[index % COLOURS.len()];
        let path: Vec<String> = outcome
            .series
            .iter()
            .map(|point| format!("{:.1},{:.1}", x(point.year), y(point.value)))
            .collect();
        let _ = write!(
            svg,
            r#"<polyline class="actual" fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"#,
            path.join(" ")
        );
        for point in &outcome.series {
            let _ = write!(
                svg,
                r#"<circle cx="{:.1}" cy="{:.1}" r="2.8" fill="{colour}"><title>{} {}: {}</title></circle>"#,
                x(point.year),
                y(point.value),
                escape(&outcome.entity),
                point.year,
                escape(&point.shown)
            );
        }
        if let (Some(progress), Some(last_point)) = (&outcome.progress, outcome.series.last()) {
            if let Some(projected) = progress.projected_shown {
                let year = progress.assessment.target_year;
                let _ = write!(
                    svg,
                    r#"<line class="projection" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-dasharray="3 3"/><circle cx="{:.1}" cy="{:.1}" r="3" fill="white" stroke="{colour}"><title>{} {year} 预计: {}</title></circle>"#,
                    x(last_point.year),
                    y(last_point.value),
                    x(year),
                    y(projected),
                    x(year),
                    y(projected),
                    escape(&outcome.entity),
                    escape(progress.projected.as_deref().unwrap_or(""))
                );
            }
        }
        let legend_y = TOP + 26.0 + index as f64 * 13.0;
        let _ = write!(
            svg,
            r#"<text x="{}" y="{legend_y:.1}" class="legend" fill="{colour}">{}</text>"#,
            WIDTH - RIGHT + 4.0,
            escape(&shorten(&outcome.entity, 7))
        );
    }
    let with_series = outcomes
        .iter()
        .filter(|outcome| !outcome.series.is_empty())
        .count();
    if with_series > drawn.len() {
        let _ = write!(
            svg,
            r#"<text x="{}" y="{:.1}" class="legend">+{} 个</text>"#,
            WIDTH - RIGHT + 4.0,
            TOP + 26.0 + drawn.len() as f64 * 13.0,
            with_series - drawn.len()
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// The lowest and highest values drawn, in the rule's unit, to label the
/// value axis at their height.
fn value_labels(drawn: &[&Outcome]) -> Vec<(f64, String)> {
    let points: Vec<_> = drawn.iter().flat_map(|outcome| &outcome.series).collect();
    let lowest = points.iter().min_by(|a, b| a.value.total_cmp(&b.value));
    let highest = points.iter().max_by(|a, b| a.value.total_cmp(&b.value));
    match (lowest, highest) {
        (Some(low), Some(high)) if low.shown != high.shown => vec![
            (low.value, low.shown.clone()),
            (high.value, high.shown.clone()),
        ],
        (Some(low), _) => vec![(low.value, low.shown.clone())],
        _ => Vec::new(),
    }
}

/// A name cut to `most` characters, for the legend.
fn shorten(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(most - 1).collect();
        out.push('…');
        out
    }
}
