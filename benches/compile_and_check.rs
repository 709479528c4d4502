//! `cargo bench`: compile generated rule files of 10,000 and 50,000
//! rules, then load the national datasets with the projection `check` uses
//! and check `benches/data/national.rules` on every county.
//!
//! The datasets come from `benches/gen_data.py` into `target/bench-data/`
//! when absent: 200 indicators long (232 MB) and wide (42 MB), 20
//! indicators long (25 MB). Every figure is the median of the runs with
//! the fastest and slowest run beside it. `benches/peers.py` times the whole
//! command against polars and DuckDB.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The median of the runs, and the fastest and slowest.
fn spread(mut runs: Vec<Duration>) -> String {
    runs.sort();
    let ms = |run: Duration| run.as_secs_f64() * 1e3;
    format!(
        "{:>8.1} ms (median of {}, {:.1}–{:.1})",
        ms(runs[runs.len() / 2]),
        runs.len(),
        ms(runs[0]),
        ms(runs[runs.len() - 1])
    )
}

fn time<T>(runs: usize, mut step: impl FnMut() -> T) -> (String, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        last = Some(step());
        times.push(start.elapsed());
    }
    (spread(times), last.expect("at least one run"))
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

/// A generated dataset, made when absent; `None` without python3.
fn dataset(name: &str, args: &[&str]) -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = manifest.join("target/bench-data").join(name);
    if path.exists() {
        return Some(path);
    }
    std::fs::create_dir_all(path.parent()?).ok()?;
    let status = Command::new("python3")
        .arg(manifest.join("benches/gen_data.py"))
        .args(args)
        .arg("--out")
        .arg(&path)
        .status()
        .ok()?;
    status.success().then_some(path)
}

fn main() {
    // 50,000 is the most rules one file may hold (`compile::limits`).
    for count in [10_000, 50_000] {
        let rules = generated_rules(count);
        let runs = if count > 10_000 { 3 } else { 5 };
        let (compile_time, program) = time(runs, || zhibiao::compile(&rules, "bench.rules"));
        let program = program.expect("generated rules compile");
        println!(
            "compile  {:>7} rules ({:>5} KB):            {compile_time}",
            program.rule_count(),
            rules.len() / 1024,
        );
    }
    let rules_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/national.rules");
    let national = zhibiao::compile_paths(&[rules_path]).expect("benchmark rules compile");
    let sets = [
        ("long-200.csv", &["--indicators", "200"][..]),
        ("wide-200.csv", &["--indicators", "200", "--wide"][..]),
        ("long-20.csv", &["--indicators", "20"][..]),
    ];
    for (name, args) in sets {
        let Some(path) = dataset(name, args) else {
            println!("{name}: not available (python3 and benches/gen_data.py are needed); skipped");
            continue;
        };
        let (load_time, data) = time(3, || {
            let mut options = zhibiao::data::LoadOptions::default();
            options.projection = Some(national.projection());
            let mut loader = zhibiao::data::Loader::new(options);
            loader.add_path(&path);
            loader.finish()
        });
        let (data, _) = data.expect("benchmark data loads");
        println!(
            "load     {name:<13} ({:>7} values kept):  {load_time}",
            data.observation_count(),
        );
        let options = zhibiao::CheckOptions::default();
        let (check_time, report) = time(3, || national.check(&data, &options));
        let (json_time, json) = time(3, || zhibiao::report::json(&report));
        println!(
            "check    {name:<13} ({:>7} outcomes):     {check_time}",
            report.outcomes.len(),
        );
        println!(
            "json     {name:<13} ({:>7} KB):           {json_time}",
            json.len() / 1024
        );
    }
}
