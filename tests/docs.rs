//! Documentation cannot rot: every rule file in `rules/` and `examples/`
//! compiles without a diagnostic, every rule-language code block in the
//! READMEs compiles, and every `zhibiao` command they show runs.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rule_files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rule_files_under(&path, found);
        } else if path
            .extension()
            .is_some_and(|extension| extension == "rules")
        {
            found.push(path);
        }
    }
}

#[test]
fn every_rule_file_compiles_without_diagnostics() {
    let mut files = Vec::new();
    rule_files_under(&root().join("rules"), &mut files);
    rule_files_under(&root().join("examples"), &mut files);
    files.sort();
    assert!(files.len() >= 6, "{files:?}");
    for path in &files {
        match zhibiao::compile_paths(std::slice::from_ref(path)) {
            Ok(program) => {
                assert!(
                    program.warnings().is_empty(),
                    "{}: {:?}",
                    path.display(),
                    program.warnings()
                );
                assert!(program.rule_count() > 0, "{} has no rules", path.display());
            }
            Err(diagnostics) => panic!("{}: {diagnostics}", path.display()),
        }
    }
}

#[test]
fn lint_passes_on_rules_and_examples() {
    let output = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(["lint", "rules", "examples"])
        .output()
        .expect("run zhibiao");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.trim_end().ends_with(": 0 errors, 0 warnings"),
        "{stderr}"
    );
}

/// The fenced code blocks of a Markdown file: (line of the fence, info
/// string, text).
fn fenced_blocks(markdown: &str) -> Vec<(usize, String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    for (at, line) in markdown.lines().enumerate() {
        if let Some(info) = line.trim_start().strip_prefix("```") {
            match open.take() {
                Some(block) => blocks.push(block),
                None => open = Some((at + 1, info.trim().to_string(), String::new())),
            }
        } else if let Some((_, _, text)) = open.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    blocks
}

/// The first word of a block that is not a comment or blank.
fn first_word(text: &str) -> &str {
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with("//") && !line.starts_with('#'))
        .and_then(|line| line.split_whitespace().next())
        .unwrap_or("")
}

fn markdown_files() -> Vec<PathBuf> {
    ["README.md", "examples/README.md", "grammar/GRAMMAR.md"]
        .iter()
        .map(|path| root().join(path))
        .filter(|path| path.exists())
        .collect()
}

#[test]
fn rule_code_blocks_in_the_readmes_compile() {
    for path in markdown_files() {
        let markdown = std::fs::read_to_string(&path).expect("read");
        for (line, info, text) in fenced_blocks(&markdown) {
            let statement = matches!(first_word(&text), "rule" | "indicator" | "document");
            if !statement || !matches!(info.as_str(), "" | "text" | "rules" | "zhibiao") {
                continue;
            }
            let name = format!("{}:{line}", path.display());
            if let Err(diagnostics) = zhibiao::compile(&text, &name) {
                panic!("the code block at {name} does not compile: {diagnostics}");
            }
        }
    }
}

/// Commands shown in the READMEs, `zhibiao …` or `cargo run --release -- …`,
/// in code blocks or indented lines.
fn commands(markdown: &str) -> Vec<Vec<String>> {
    markdown
        .lines()
        .map(str::trim)
        .filter_map(|line| {
            line.strip_prefix("zhibiao ")
                .or_else(|| line.strip_prefix("cargo run --release -- "))
        })
        .map(|rest| rest.split_whitespace().map(str::to_string).collect())
        .collect()
}

#[test]
fn commands_in_the_readmes_run() {
    let mut ran = 0;
    for path in markdown_files() {
        let markdown = std::fs::read_to_string(&path).expect("read");
        for args in commands(&markdown) {
            if args.first().map(String::as_str) != Some("check") {
                continue;
            }
            let output = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
                .current_dir(root())
                .env("NO_COLOR", "1")
                .args(&args)
                .output()
                .expect("run zhibiao");
            let stderr = String::from_utf8_lossy(&output.stderr);
            // 0: every binding target met; 1: some missed; 3: some could not
            // be judged. Not 2 (bad input).
            assert!(
                matches!(output.status.code(), Some(0 | 1 | 3)),
                "`zhibiao {}` in {}: {:?}\n{stderr}",
                args.join(" "),
                path.display(),
                output.status
            );
            assert!(
                !stderr.contains("error"),
                "`zhibiao {}`: {stderr}",
                args.join(" ")
            );
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(stdout.contains(" outcomes as of "), "{stdout}");
            ran += 1;
        }
    }
    assert!(ran >= 6, "only {ran} commands found");
}
