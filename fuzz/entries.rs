//! What the fuzz targets run on each input, shared with the corpus replay
//! in `cargo test` (`tests/fuzz_replay.rs`), so that a crash found by the
//! fuzzer and saved in the seed corpus stays a failing test until fixed.
//! An entry panics only if zhibiao does: every outcome of the input itself
//! (compiled, diagnosed, loaded, rejected) is fine.

use zhibiao::data::Dataset;
use zhibiao::data::{LoadOptions, Loader};
use zhibiao::report::diagnostics::{render, render_json, Style};
use zhibiao::CheckOptions;

/// Small data with a city, two counties and values for the indicators the
/// seed rules use most, so that compiled rules are also evaluated.
const DATA: &str = "地区,上级,年份,指标,值\n\
    日照市,,2023,县域就诊率,89%\n\
    日照市,,2024,县域就诊率,91%\n\
    东港区,日照市,2024,县域就诊率,88%\n\
    岚山区,日照市,2024,床位数,12\n";

/// Steps one evaluation may take: enough for the seed rules, small enough
/// that a fuzzed input cannot run long.
const BUDGET: u64 = 100_000;

/// Compiles the input as rule text, renders every diagnostic in every
/// form, and checks what compiles against the small data.
pub fn rules(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    match zhibiao::compile(&text, "fuzz.rules") {
        Ok(program) => {
            let data = Dataset::from_csv_str("data.csv", DATA).expect("the fuzz data loads");
            let mut options = CheckOptions::default();
            options.budget = Some(BUDGET);
            let report = program.check(&data, &options);
            let _ = zhibiao::report::json(&report);
            let _ = program.describe();
            for diagnostic in program.warnings() {
                let _ = render(diagnostic, Style::Plain);
            }
        }
        Err(diagnostics) => {
            assert!(diagnostics.has_errors(), "an error without a diagnostic");
            for diagnostic in diagnostics.iter() {
                let _ = render(diagnostic, Style::Plain);
                let _ = render(diagnostic, Style::Fancy);
                let _ = render_json(diagnostic);
            }
        }
    }
}

/// Loads the input as a data file and renders every diagnostic.
pub fn data(bytes: &[u8]) {
    let mut loader = Loader::new(LoadOptions::default());
    loader.add_bytes("fuzz.csv", bytes);
    let diagnostics = match loader.finish() {
        Ok((_, warnings)) => warnings,
        Err(diagnostics) => diagnostics.0,
    };
    for diagnostic in &diagnostics {
        let _ = render(diagnostic, Style::Plain);
        let _ = render_json(diagnostic);
    }
}
