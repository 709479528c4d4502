//! The shipped rule files and example data: every rule file compiles with
//! no diagnostics, every rule names its source, and checking each
//! document's example gives the counts its README section describes.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const DOCUMENTS: [(&str, &str); 6] = [
    ("rules/shaoxing-2023.rules", "examples/shaoxing/data.csv"),
    ("rules/rizhao-2024.rules", "examples/rizhao/data.csv"),
    ("rules/zhuji-2023.rules", "examples/zhuji/data.csv"),
    (
        "rules/guang-an-14th-fyp.rules",
        "examples/guang-an/data.csv",
    ),
    ("rules/hunan-2021.rules", "examples/hunan/data.csv"),
    (
        "examples/national/targets.rules",
        "examples/national/data.csv",
    ),
];

fn zhibiao(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

#[test]
fn every_rule_file_compiles_without_diagnostics() {
    let output = zhibiao(&[
        "lint",
        "rules/",
        "examples/national/targets.rules",
        "--format",
        "json",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(
        output.stdout.is_empty(),
        "diagnostics: {}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn one_rule_file_per_source_document_and_every_rule_has_a_source() {
    let files: Vec<PathBuf> = std::fs::read_dir("rules")
        .expect("rules/")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rules"))
        .collect();
    assert_eq!(files.len(), 5, "{files:?}");
    // Each rule file keeps its source document beside it, in `rules/sources/`.
    for file in &files {
        let stem = file.file_stem().expect("a file name");
        let text = Path::new("rules/sources").join(stem).with_extension("txt");
        assert!(text.is_file(), "{} has no source text", file.display());
    }
    let program = zhibiao::compile_paths(&files).expect("rules compile");
    assert!(
        program.rule_count() >= 250,
        "{} rules",
        program.rule_count()
    );
    for rule in program.rules() {
        assert!(
            rule.source()
                .is_some_and(|source| !source.trim().is_empty()),
            "{}:{} has no source",
            rule.file(),
            rule.line()
        );
        assert!(
            rule.document().is_some(),
            "{} has no document block",
            rule.file()
        );
    }
}

fn summary(rules: &str, data: &str, extra: &[&str]) -> (Value, Option<i32>) {
    let mut args = vec!["check", rules, "--data", data, "--format", "json"];
    args.extend_from_slice(extra);
    let output = zhibiao(&args);
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{rules}: {}", String::from_utf8_lossy(&output.stderr)));
    (report["summary"].clone(), output.status.code())
}

fn counts(summary: &Value) -> [u64; 5] {
    ["pass", "fail", "pending", "missing", "error"].map(|key| summary[key].as_u64().expect(key))
}

#[test]
fn each_document_example_gives_its_counts() {
    // [pass, fail, pending, missing, error]
    let expected: [[u64; 5]; 6] = [
        // A past year an every-year target needs has no value: missing
        // now, not pending until the deadline.
        [1, 10, 67, 2, 0],
        [47, 28, 0, 16, 0],
        [62, 11, 0, 4, 0],
        [63, 36, 0, 19, 0],
        [92, 13, 0, 16, 0],
        [2, 0, 0, 8, 0],
    ];
    for ((rules, data), expected) in DOCUMENTS.iter().zip(expected) {
        let (summary, code) = summary(rules, data, &[]);
        assert_eq!(counts(&summary), expected, "{rules}");
        // 1 when a binding target is missed, else 3 when one could not be
        // judged (the national example's 缺数据 targets), else 0.
        let failed = summary["binding_failures"].as_u64().unwrap() > 0;
        let unjudged = summary["binding_unjudged"].as_u64().unwrap() > 0;
        let exit = if failed {
            1
        } else if unjudged {
            3
        } else {
            0
        };
        assert_eq!(code, Some(exit), "{rules}");
    }
}

#[test]
fn as_of_2024_the_2025_targets_are_pending() {
    let (summary, _) = summary(DOCUMENTS[3].0, DOCUMENTS[3].1, &["--as-of", "2024"]);
    // Three need a past value that is absent: missing now, not pending.
    assert_eq!(counts(&summary), [0, 5, 110, 3, 0]);
}
