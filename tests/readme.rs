//! The README's worked example of the progress measure is computed, not
//! copied: its figures must be what the code gives.

use zhibiao::progress::{assess, Category, Goal, Thresholds};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README")
}

#[test]
fn the_worked_progress_example_matches_the_formula() {
    let series = [(2020, 0.80), (2021, 0.81), (2022, 0.83), (2023, 0.84)];
    let goal = Goal {
        target_value: 0.90,
        target_year: 2025,
        higher_is_better: Some(true),
    };
    let assessment = assess(&series, goal, None, Thresholds::default());
    assert_eq!(assessment.category, Category::AccelerationNeeded);
    let text = readme();
    let actual = format!(
        "CAGR_a = (84 / 80)^(1/3) − 1 = {:.4}%",
        assessment.actual_growth.unwrap() * 100.0
    );
    let required = format!(
        "CAGR_r = (90 / 80)^(1/5) − 1 = {:.4}%",
        assessment.required_growth.unwrap() * 100.0
    );
    let ratio = format!("= {:.4}   → acceleration needed", assessment.ratio.unwrap());
    let projected = format!("= {:.2}%", assessment.projected.unwrap() * 100.0);
    for line in [actual, required, ratio, projected] {
        assert!(text.contains(&line), "README lacks `{line}`");
    }
}
