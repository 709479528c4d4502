//! `cargo bench`: compile a generated 10,000-rule file, then load the
//! national-scale dataset and check rules on every county.
//!
//! The dataset comes from `benches/gen_data.py` (20
//! indicators, ~0.63M rows); set `ZHIBIAO_BENCH_DATA` to use another file.
//! Each step is run several times and the median is printed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<T>(runs: usize, mut step: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        last = Some(step());
        times.push(start.elapsed());
    }
    (median(times), last.expect("at least one run"))
}

/// A rule file of `count` rules over 20 indicators, every construct mixed in.
fn generated_rules(count: usize) -> String {
    let mut text = String::from("document \"bench\" { period 2021..2025 }\nscope 全国\n");
    for indicator in 0..20 {
        text.push_str(&format!("indicator 指标{indicator:03}: %\n"));
    }
    let forms = [
        "rule 指标{i} >= {n}% by 2025 source \"{k}\" owner \"卫健委\"",
        "rule 指标{i} < {n}% from 2021 to 2025",
        "rule cagr(指标{i}, 2020..2025) >= 1.5% expected",
        "rule 指标{i} rises each year from 2021 to 2025",
        "rule share(下级, 指标{i} >= {n}%) >= 75% in 2024",
        "rule 指标{i} - 指标{i} @ 2020 >= 2pp by 2025",
        "rule avg(指标{i}, 2021..2024) between 10% and 90%",
        "rule all(下级, 指标{i} >= {n}%) by 2025\n  for each 下级",
    ];
    for rule in 0..count {
        let form = forms[rule % forms.len()];
        text.push_str(
            &form
                .replace("{i}", &format!("{:03}", rule % 20))
                .replace("{n}", &format!("{}", 50 + rule % 40))
                .replace("{k}", &format!("{rule}")),
        );
        text.push('\n');
    }
    text
}

fn dataset_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ZHIBIAO_BENCH_DATA") {
        return Some(PathBuf::from(path));
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = manifest.join("target/bench-data/national-20.csv");
    if path.exists() {
        return Some(path);
    }
    let generator = manifest.join("benches/gen_data.py");
    std::fs::create_dir_all(path.parent()?).ok()?;
    let status = Command::new("python3")
        .arg(&generator)
        .args(["--indicators", "20", "--out"])
        .arg(&path)
        .status()
        .ok()?;
    status.success().then_some(path)
}

fn main() {
    let rules = generated_rules(10_000);
    let (compile_time, program) = time(5, || zhibiao::compile(&rules, "bench.rules"));
    let program = program.expect("generated rules compile");
    println!(
        "compile  {} rules ({} KB): {:>8.1} ms (median of 5)",
        program.rule_count(),
        rules.len() / 1024,
        compile_time.as_secs_f64() * 1e3
    );

    let Some(path) = dataset_path() else {
        println!(
            "national dataset: not available (python3 and benches/gen_data.py are needed); skipped"
        );
        return;
    };
    let (load_time, data) = time(3, || zhibiao::data::Dataset::from_csv_path(&path));
    let data = data.expect("benchmark data loads");
    println!(
        "load     {} ({} observations): {:>8.1} ms (median of 3)",
        path.display(),
        data.observation_count(),
        load_time.as_secs_f64() * 1e3
    );
    let rules_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/national.rules");
    let national = zhibiao::compile_paths(&[rules_path]).expect("benchmark rules compile");
    let options = zhibiao::CheckOptions::default();
    let (check_time, report) = time(5, || national.check(&data, &options));
    println!(
        "check    {} rules x every county: {} outcomes in {:>8.1} ms (median of 5)",
        national.rule_count(),
        report.outcomes.len(),
        check_time.as_secs_f64() * 1e3
    );
}
