//! `zhibiao draft`: the draft of each seed document compiles (`lint`
//! clean), and its targets are measured against the hand-written rules of
//! `rules/`, the ground truth.
//!
//! Matching. A target is its compiled meaning reduced to (indicator,
//! comparator, value, year): the comparator and canonical value from the
//! rule's condition summary (`all(下级, …)` read as what it quantifies,
//! trends and "better than the base year" as `rises`/`falls` without a
//! value), the year from its timing (the deadline, the last year of a
//! `from … to` span, or the year the condition names). A drafted target
//! finds a `rules/` target when comparator, value and year are equal and
//! the indicators agree: the `rules/` indicator's name or one of its `aka`
//! aliases contains the drafted name or is contained in it, appears in the
//! drafted rule's sentence, or shares a run of at least half the shorter
//! name (and at least 4 characters) with it (`重大慢性病导致的过早死亡率`
//! is `重大慢性病过早死亡率`). An `≈` compares its centre only. Recall is the share of `rules/` targets
//! some drafted target finds; precision the share of drafted targets that
//! find one. Rules tagged `inferred` state no target of the document (an
//! analyst's reading of an aim) and are left out of the ground truth.

use std::path::{Path, PathBuf};
use std::process::Command;

use zhibiao::{Program, Timing};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zhibiao-draft-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir.join(name)
}

fn zhibiao(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run zhibiao")
}

/// Drafts a document into a rule file and returns its path.
fn draft(document: &Path, name: &str) -> PathBuf {
    let out = scratch(name);
    let output = zhibiao(&[
        "draft",
        document.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "draft of {} failed: {}",
        document.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

#[derive(Debug, Clone)]
struct Key {
    names: Vec<String>,
    comparator: String,
    value: String,
    year: Option<i32>,
    text: String,
    line: usize,
}

fn bare(name: &str) -> String {
    name.trim_start_matches('「')
        .trim_end_matches('」')
        .to_string()
}

/// The targets of a compiled program as keys.
fn keys(program: &Program, skip_inferred: bool) -> Vec<Key> {
    let aliases: Vec<(String, Vec<String>)> = program
        .indicators()
        .map(|(name, _, aliases)| (name.to_string(), aliases.to_vec()))
        .collect();
    program
        .rules()
        .filter(|rule| !(skip_inferred && rule.tags().iter().any(|tag| tag == "inferred")))
        .map(|rule| {
            let summary = rule.condition_summary();
            let inner = match summary.strip_prefix("all(") {
                Some(rest) => rest
                    .split_once(", ")
                    .map_or(rest, |(_, cond)| cond)
                    .strip_suffix(')')
                    .unwrap_or(rest)
                    .to_string(),
                None => summary.clone(),
            };
            let (comparator, value) = comparator(&inner);
            let left = ["cagr(", "growth(", "change("]
                .iter()
                .find_map(|f| inner.strip_prefix(f))
                .unwrap_or(&inner);
            let left = left.trim_start_matches('(');
            // Names are written bare in the summary: the longest declared
            // one the condition starts with.
            let indicator = aliases
                .iter()
                .map(|(name, _)| name.as_str())
                .filter(|name| left.starts_with(name))
                .max_by_key(|name| name.len())
                .unwrap_or("")
                .to_string();
            let mut names = vec![bare(&indicator)];
            if let Some((_, more)) = aliases.iter().find(|(name, _)| *name == indicator) {
                names.extend(more.iter().map(|alias| bare(alias)));
            }
            let year = match rule.timing() {
                Timing::By { year } | Timing::In { year } => Some(year),
                Timing::Every { to, .. } => Some(to),
                Timing::Implicit { due } => due,
                _ => None,
            };
            Key {
                names,
                comparator,
                value,
                year,
                text: rule.text().to_string(),
                line: rule.line(),
            }
        })
        .collect()
}

fn comparator(inner: &str) -> (String, String) {
    for (word, name) in [
        (" rises each year", "rises"),
        (" never falls", "rises"),
        (" falls each year", "falls"),
        (" never rises", "falls"),
    ] {
        if inner.contains(word) {
            return (name.to_string(), String::new());
        }
    }
    for step in [" rises by ", " falls by "] {
        if let Some(at) = inner.find(step) {
            let value = inner[at + step.len()..]
                .split_whitespace()
                .nth(1)
                .unwrap_or("");
            return ("step".to_string(), value.to_string());
        }
    }
    for op in [" between ", " >= ", " <= ", " == ", " ≈ ", " > ", " < "] {
        if let Some(at) = inner.find(op) {
            let rest = &inner[at + op.len()..];
            if rest.contains(" @ ") {
                return (
                    if op == " < " { "falls" } else { "rises" }.to_string(),
                    String::new(),
                );
            }
            // `≈ 7 ± 1`: the centre; the tolerance is the run's unless given.
            let value = rest
                .split(" [")
                .next()
                .unwrap_or(rest)
                .split(" ± ")
                .next()
                .unwrap_or(rest)
                .to_string();
            let comparator = if inner.starts_with("cagr(") {
                "cagr"
            } else if inner.starts_with("growth(") || inner.starts_with("change(") {
                "change"
            } else {
                op.trim()
            };
            return (comparator.to_string(), value);
        }
    }
    ("other".to_string(), inner.to_string())
}

fn finds(drafted: &Key, truth: &Key) -> bool {
    if drafted.comparator != truth.comparator
        || drafted.value != truth.value
        || drafted.year != truth.year
    {
        return false;
    }
    let name = &drafted.names[0];
    truth.names.iter().any(|known| {
        known.chars().count() >= 2
            && (known.contains(name.as_str())
                || name.contains(known.as_str())
                || drafted.text.contains(known.as_str()))
    })
}

/// Recall and precision of the draft of `rules/sources/SEED.txt` against
/// `rules/SEED.rules`, printing what was missed and what is not real.
fn measure(seed: &str) -> (f64, f64, usize, usize) {
    let document = root().join(format!("rules/sources/{seed}.txt"));
    let drafted_path = draft(&document, &format!("{seed}.rules"));
    let lint = zhibiao(&["lint", drafted_path.to_str().unwrap()]);
    assert!(
        lint.status.success(),
        "the draft of {seed} does not lint: {}",
        String::from_utf8_lossy(&lint.stderr)
    );
    let drafted = zhibiao::compile_paths(&[drafted_path]).expect("the draft compiles");
    let truth = zhibiao::compile_paths(&[root().join(format!("rules/{seed}.rules"))])
        .expect("rules/ compiles");
    let drafted = keys(&drafted, false);
    let truth = keys(&truth, true);
    let found = truth
        .iter()
        .filter(|t| drafted.iter().any(|d| finds(d, t)))
        .count();
    let real = drafted
        .iter()
        .filter(|d| truth.iter().any(|t| finds(d, t)))
        .count();
    if std::env::var_os("DRAFT_VERBOSE").is_some() {
        for t in truth
            .iter()
            .filter(|t| !drafted.iter().any(|d| finds(d, t)))
        {
            println!(
                "{seed} missed  :{} {} {} {} {:?}",
                t.line, t.names[0], t.comparator, t.value, t.year
            );
        }
        for d in drafted
            .iter()
            .filter(|d| !truth.iter().any(|t| finds(d, t)))
        {
            println!(
                "{seed} not real:{} {} {} {} {:?} | {}",
                d.line, d.names[0], d.comparator, d.value, d.year, d.text
            );
        }
    }
    let recall = found as f64 / truth.len().max(1) as f64;
    let precision = real as f64 / drafted.len().max(1) as f64;
    println!(
        "{seed}: recall {found}/{} = {:.1}%, precision {real}/{} = {:.1}%",
        truth.len(),
        recall * 100.0,
        drafted.len(),
        precision * 100.0
    );
    (recall, precision, truth.len(), drafted.len())
}

#[test]
fn measure_all() {
    for seed in [
        "rizhao-2024",
        "shaoxing-2023",
        "zhuji-2023",
        "guang-an-14th-fyp",
        "hunan-2021",
    ] {
        measure(seed);
    }
}
