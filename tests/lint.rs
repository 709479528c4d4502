//! `zhibiao lint` exit codes: warnings pass unless `--strict`.

use std::process::Command;

fn lint(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .arg("lint")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn warnings_do_not_fail_a_lint_unless_strict() {
    let (code, stderr) = lint(&["tests/lint/warning.rules"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("ratio-not-one"), "{stderr}");
    assert!(
        stderr.contains("1 file, 1 rule: 0 errors, 1 warning"),
        "{stderr}"
    );
    let (code, _) = lint(&["--strict", "tests/lint/warning.rules"]);
    assert_eq!(code, Some(2));
}

#[test]
fn a_missing_path_is_an_error() {
    let (code, stderr) = lint(&["tests/lint/no-such.rules"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("file-not-found"), "{stderr}");
}
