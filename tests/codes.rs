//! Every diagnostic code is in the README's diagnostics table and is given
//! by a fixture. Codes of rule files are stated in `tests/diagnostics/*.rules`
//! (whose test checks they are given exactly); the rest have a fixture of
//! their own in `tests/codes/`, named by the code: a data file, a rule file,
//! a directory of rule files, or a directory of `rules.rules` and
//! `data.csv` to check (the data-coverage codes of `zhibiao check`). A code
//! without either fails here, so a new code comes with its documentation
//! and its smallest input.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use zhibiao::data::{LoadOptions, Loader};
use zhibiao::diag::Code;
use zhibiao::diag::Diagnostic;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Codes whose trigger is a path that does not exist, not a file.
const ABSENT: &[(Code, &str)] = &[
    (Code::FileNotFound, "tests/codes/absent.rules"),
    (Code::DataRead, "tests/codes/absent.csv"),
];

/// Codes whose smallest trigger is too big to keep as a file (16 MiB of
/// rules, a 64 KiB field, 201 diagnostics) or is no file at all (an import
/// given to `zhibiao::compile`, a sheet of a generated workbook), or is a
/// document `zhibiao draft` refuses: the test module named builds the input
/// and asserts the code.
const BUILT: &[(Code, &str)] = &[
    (Code::TooLarge, "tests/untrusted.rs"),
    (Code::ImportNotAllowed, "tests/untrusted.rs"),
    (Code::DataFieldTooLong, "tests/untrusted.rs"),
    (Code::TooManyDiagnostics, "tests/untrusted.rs"),
    (Code::DataUnknownSheet, "tests/excel.rs"),
    (Code::SqlUnsupported, "tests/sql.rs"),
    (Code::DraftFormat, "tests/draft.rs"),
    (Code::DraftEncoding, "tests/draft.rs"),
    (Code::DraftEmpty, "tests/draft.rs"),
    (Code::DraftTooLarge, "tests/draft.rs"),
    (Code::DraftDocx, "tests/draft.rs"),
];

/// The codes stated in the files of `tests/diagnostics/`.
fn stated() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for entry in std::fs::read_dir(root().join("tests/diagnostics")).expect("tests/diagnostics") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        codes.extend(
            crate::diagnostics::expectations(&text)
                .into_iter()
                .map(|(_, code, ..)| code),
        );
    }
    codes
}

fn rule_diagnostics(path: PathBuf) -> Vec<Diagnostic> {
    match zhibiao::compile_paths(&[path]) {
        Ok(program) => program.warnings().to_vec(),
        Err(diagnostics) => diagnostics.0,
    }
}

fn data_diagnostics(path: &Path) -> Vec<Diagnostic> {
    let mut loader = Loader::new(LoadOptions::default());
    loader.add_path(path);
    match loader.finish() {
        Ok((_, warnings)) => warnings,
        Err(diagnostics) => diagnostics.0,
    }
}

/// Whether `zhibiao check` of a directory's `rules.rules` on its
/// `data.csv` gives the code.
fn check_gives(dir: &Path, code: Code) -> bool {
    let output = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .arg("check")
        .arg(dir.join("rules.rules"))
        .arg("--data")
        .arg(dir.join("data.csv"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run zhibiao");
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr.lines().any(|line| line.contains(&format!("{code}")))
}

/// The diagnostics of a code's own fixture, if it has one.
fn own_fixture(code: Code) -> Option<Vec<Diagnostic>> {
    if let Some((_, path)) = ABSENT.iter().find(|(absent, _)| *absent == code) {
        let path = root().join(path);
        assert!(!path.exists(), "{} must not exist", path.display());
        return Some(match path.extension().and_then(|e| e.to_str()) {
            Some("csv") => data_diagnostics(&path),
            _ => rule_diagnostics(path),
        });
    }
    let base = root().join("tests/codes").join(code.as_str());
    let csv = base.with_extension("csv");
    let xlsx = base.with_extension("xlsx");
    let rules = base.with_extension("rules");
    if csv.exists() {
        Some(data_diagnostics(&csv))
    } else if xlsx.exists() {
        Some(data_diagnostics(&xlsx))
    } else if rules.exists() {
        Some(rule_diagnostics(rules))
    } else if base.is_dir() {
        Some(rule_diagnostics(base))
    } else {
        None
    }
}

#[test]
fn every_code_is_given_by_a_fixture() {
    let stated = stated();
    for &code in Code::ALL {
        let dir = root().join("tests/codes").join(code.as_str());
        if dir.join("data.csv").exists() {
            assert!(
                check_gives(&dir, code),
                "checking {} gives no `{code}`",
                dir.display()
            );
            continue;
        }
        if let Some((_, test)) = BUILT.iter().find(|(built, _)| *built == code) {
            let text = std::fs::read_to_string(root().join(test)).expect("the test module");
            assert!(
                text.contains(&format!("\"{code}\"")),
                "{test} does not assert `{code}`"
            );
            continue;
        }
        match own_fixture(code) {
            Some(diagnostics) => assert!(
                diagnostics.iter().any(|diagnostic| diagnostic.code == code),
                "the fixture of `{code}` gives {:?}",
                diagnostics.iter().map(|d| d.code).collect::<Vec<_>>()
            ),
            None => assert!(
                stated.contains(code.as_str()),
                "`{code}` has no fixture: state it in tests/diagnostics or add tests/codes/{code}.*"
            ),
        }
    }
}

#[test]
fn every_fixture_is_named_by_a_code() {
    for entry in std::fs::read_dir(root().join("tests/codes")).expect("tests/codes") {
        let path = entry.expect("entry").path();
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("a name");
        assert!(
            Code::ALL.iter().any(|code| code.as_str() == stem),
            "{} is not named by a code",
            path.display()
        );
    }
}

#[test]
fn every_code_is_in_the_readme_table() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let start = readme
        .find("### Diagnostics")
        .expect("a Diagnostics section");
    let section = &readme[start..];
    let section = &section[..section[3..]
        .find("\n### ")
        .map_or(section.len(), |end| end + 3)];
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|code| code.as_str())
        .filter(|code| !section.contains(&format!("`{code}`")))
        .collect();
    assert!(missing.is_empty(), "not in the README's table: {missing:?}");
}
