//! Diagnostics of malformed rule files, run through the real binary.
//!
//! Each file in `tests/diagnostics/` states the diagnostics it must give as
//! comments, `// error[unit-mismatch]: 9:6` (code, then line:column of the
//! primary label, in characters). `zhibiao lint --format json` must give
//! exactly those: every expected one, no other. The rendered text of
//! `zhibiao lint` is snapshotted per file.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn zhibiao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run zhibiao")
}

/// (severity, code, line, column)
type Expectation = (String, String, usize, usize);

/// The `// error[code]: L:C` and `// warning[code]: L:C` comments of a file.
pub fn expectations(text: &str) -> BTreeSet<Expectation> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let mut rest = line;
        while let Some(at) = rest.find("// ") {
            rest = &rest[at + 3..];
            let Some((severity, after)) = ["error", "warning"]
                .iter()
                .find_map(|severity| Some((*severity, rest.strip_prefix(severity)?)))
            else {
                continue;
            };
            let Some(after) = after.strip_prefix('[') else {
                continue;
            };
            let (code, after) = after.split_once("]: ").expect("`]: ` after the code");
            let place: String = after
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ':')
                .collect();
            let (line, column) = place.split_once(':').expect("line:column");
            found.insert((
                severity.to_string(),
                code.to_string(),
                line.parse().expect("line"),
                column.parse().expect("column"),
            ));
        }
    }
    found
}

fn lint_json(path: &str) -> (Vec<Value>, Option<i32>) {
    let output = zhibiao(&["lint", "--format", "json", path]);
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let diagnostics = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    (diagnostics, output.status.code())
}

fn check_file(name: &str) {
    let path = format!("tests/diagnostics/{name}.rules");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path))
        .expect("read the test file");
    let expected = expectations(&text);
    assert!(!expected.is_empty(), "{path} states no diagnostics");

    let (diagnostics, status) = lint_json(&path);
    let mut found = BTreeSet::new();
    for diagnostic in &diagnostics {
        let severity = diagnostic["severity"].as_str().expect("severity");
        let code = diagnostic["code"].as_str().expect("code");
        let message = diagnostic["message"].as_str().expect("message");
        assert_eq!(
            diagnostic["file"],
            path.as_str(),
            "diagnostic names its file"
        );
        assert!(
            !message.ends_with('.') && !message.starts_with(|c: char| c.is_ascii_uppercase()),
            "message style (lowercase, no trailing period): {message}"
        );
        assert!(
            !message.contains("kw_") && !message.contains("EOI"),
            "grammar-internal names in a message: {message}"
        );
        let labels = diagnostic["labels"].as_array().expect("labels");
        assert!(
            !labels.is_empty(),
            "a diagnostic has a primary label: {message}"
        );
        assert_eq!(labels[0]["line"], diagnostic["line"]);
        assert_eq!(labels[0]["column"], diagnostic["column"]);
        found.insert((
            severity.to_string(),
            code.to_string(),
            diagnostic["line"].as_u64().expect("line") as usize,
            diagnostic["column"].as_u64().expect("column") as usize,
        ));
    }
    let missing: Vec<_> = expected.difference(&found).collect();
    let unexpected: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "{path}:\n  expected but not given: {missing:?}\n  given but not expected: {unexpected:?}"
    );
    let has_errors = expected.iter().any(|(severity, ..)| severity == "error");
    assert_eq!(status, Some(if has_errors { 2 } else { 0 }), "exit status");

    let output = zhibiao(&["lint", &path]);
    assert_eq!(
        output.status.code(),
        status,
        "text and JSON agree on the exit status"
    );
    assert!(
        output.stdout.is_empty(),
        "lint writes text diagnostics to stderr"
    );
    let rendered = String::from_utf8(output.stderr).expect("UTF-8 output");
    assert!(
        !rendered.contains('\u{1b}'),
        "no colour when not on a terminal"
    );
    // The rendered header of each diagnostic gives the same place as JSON.
    for (_, _, line, column) in &found {
        let place = format!("[{path}:{line}:{column}]");
        assert!(rendered.contains(&place), "rendered text lacks {place}");
    }
    insta::assert_snapshot!(format!("lint-{name}"), rendered);
}

macro_rules! diagnostics {
    ($($test:ident: $file:literal,)*) => {$(
        #[test]
        fn $test() {
            check_file($file);
        }
    )*};
}

diagnostics! {
    names: "names",
    units: "units",
    years: "years",
    functions: "functions",
    grades_and_tiers: "grades-and-tiers",
    syntax: "syntax",
    document: "document",
    imports: "imports",
    operands: "operands",
    language: "language",
    sentences: "sentences",
}

#[test]
fn every_file_in_the_directory_is_tested() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("tests/diagnostics")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "rules")
        })
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "document",
            "functions",
            "grades-and-tiers",
            "imports",
            "language",
            "names",
            "operands",
            "sentences",
            "syntax",
            "units",
            "years"
        ]
    );
}

#[test]
fn the_files_cover_many_distinct_codes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics");
    let mut codes = BTreeSet::new();
    let mut count = 0;
    for entry in std::fs::read_dir(dir).expect("tests/diagnostics") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        for (_, code, ..) in expectations(&text) {
            codes.insert(code);
            count += 1;
        }
    }
    assert!(count >= 60, "{count} expected diagnostics");
    assert!(
        codes.len() >= 25,
        "{} distinct codes: {codes:?}",
        codes.len()
    );
}

#[test]
fn several_files_are_linted_in_one_run() {
    let output = zhibiao(&["lint", "--format", "json", "tests/diagnostics"]);
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let files: BTreeSet<String> = stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap()["file"].to_string())
        .collect();
    assert_eq!(files.len(), 11, "{files:?}");
}

#[test]
fn a_clean_file_lints_clean() {
    let output = zhibiao(&["lint", "tests/language/rizhao-example.rules"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "1 file, 17 rules: 0 errors, 0 warnings\n"
    );
}

#[test]
fn a_missing_file_is_a_diagnostic() {
    let output = zhibiao(&[
        "lint",
        "--format",
        "json",
        "tests/diagnostics/no-such.rules",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let diagnostic: Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(diagnostic["code"], "file-not-found");
}

#[test]
fn the_library_gives_the_same_diagnostics() {
    let path = "tests/diagnostics/units.rules";
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    let diagnostics = zhibiao::compile(&text, path).expect_err("the file has errors");
    let found: BTreeSet<Expectation> = diagnostics
        .iter()
        .map(|diagnostic| {
            let (line, column) = diagnostic.line_col();
            let severity = if diagnostic.is_error() {
                "error"
            } else {
                "warning"
            };
            (
                severity.to_string(),
                diagnostic.code.to_string(),
                line,
                column,
            )
        })
        .collect();
    assert_eq!(found, expectations(&text));
}
