//! Compiling rule files: parse, resolve imports, check, and build the
//! immutable `Program` the evaluator runs.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::{Checker, Imported};
use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};
use crate::ir::{Module, Program};
use crate::syntax::{self, ast::Statement};

/// Compiles one rule file's text. `name` is used in diagnostics and to
/// find imported files relative to it.
pub fn compile(source: &str, name: &str) -> Result<Program, Diagnostics> {
    let file = SourceFile::new(name, source);
    let mut seen = HashSet::new();
    let (module, diagnostics) = compile_module(&file, &mut seen);
    finish(vec![module], diagnostics)
}

/// Compiles rule files and every `*.rules` file under directories, in
/// name order, into one program. Errors in all files are collected.
pub fn compile_paths(paths: &[PathBuf]) -> Result<Program, Diagnostics> {
    let mut modules = Vec::new();
    let mut diagnostics = Vec::new();
    for path in rule_files(paths, &mut diagnostics) {
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let file = SourceFile::new(path.display().to_string(), text);
                let mut seen = HashSet::new();
                let (module, found) = compile_module(&file, &mut seen);
                modules.push(module);
                diagnostics.extend(found);
            }
            Err(error) => diagnostics.push(io_error(&path, &error)),
        }
    }
    finish(modules, diagnostics)
}

fn finish(modules: Vec<Module>, diagnostics: Vec<Diagnostic>) -> Result<Program, Diagnostics> {
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(diagnostics));
    }
    Ok(Program {
        modules,
        warnings: diagnostics,
    })
}

/// Expands directories to the `*.rules` files below them, sorted.
pub fn rule_files(paths: &[PathBuf], diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            collect_rules(path, &mut found);
            found.sort();
            if found.is_empty() {
                diagnostics.push(file_diagnostic(
                    path,
                    Code::NoRuleFiles,
                    "no `.rules` files in this directory",
                    "rule files end in `.rules`",
                ));
            }
            files.extend(found);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            diagnostics.push(file_diagnostic(
                path,
                Code::FileNotFound,
                "no such file or directory",
                "check the path",
            ));
        }
    }
    files
}

fn collect_rules(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rules(&path, found);
        } else if path
            .extension()
            .is_some_and(|extension| extension == "rules")
        {
            found.push(path);
        }
    }
}

/// A diagnostic about a whole file (not found, unreadable).
pub fn file_diagnostic(path: &Path, code: Code, message: &str, help: &str) -> Diagnostic {
    let file = SourceFile::new(path.display().to_string(), "");
    Diagnostic::error(
        &file,
        code,
        0..0,
        format!("{}: {message}", path.display()),
        message,
    )
    .with_help(help)
}

fn io_error(path: &Path, error: &std::io::Error) -> Diagnostic {
    let message = if error.kind() == std::io::ErrorKind::InvalidData {
        "the file is not UTF-8 text".to_string()
    } else {
        error.to_string()
    };
    file_diagnostic(
        path,
        Code::UnreadableFile,
        &message,
        "rule files are UTF-8 text",
    )
}

/// Parses and checks one file, with the declarations of its imports.
fn compile_module(
    file: &Arc<SourceFile>,
    seen: &mut HashSet<PathBuf>,
) -> (Module, Vec<Diagnostic>) {
    let (tree, mut diagnostics) = syntax::parse_file(file);
    let imported = imports(file, &tree, seen, &mut diagnostics);
    let (module, found) = Checker::new(file, imported).check(&tree);
    diagnostics.extend(found);
    in_file_order(&mut diagnostics, file);
    (module, diagnostics)
}

/// Puts syntax and checker diagnostics in file order, those of the file
/// itself before those of its imports.
pub(crate) fn in_file_order(diagnostics: &mut [Diagnostic], file: &SourceFile) {
    diagnostics.sort_by_key(|diagnostic| {
        let start = diagnostic
            .labels
            .first()
            .map_or(0, |label| label.span.start);
        (diagnostic.source.name() != file.name(), start)
    });
}

pub(crate) fn imports(
    file: &Arc<SourceFile>,
    tree: &syntax::ast::File,
    seen: &mut HashSet<PathBuf>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Imported {
    let mut imported = Imported::default();
    let base = Path::new(file.name()).parent().unwrap_or(Path::new("."));
    if let Ok(canonical) = std::fs::canonicalize(file.name()) {
        seen.insert(canonical);
    }
    for statement in &tree.statements {
        let Statement::Import(path) = statement else {
            continue;
        };
        let target = base.join(&path.value);
        let canonical = std::fs::canonicalize(&target).unwrap_or_else(|_| target.clone());
        if seen.contains(&canonical) {
            diagnostics.push(
                Diagnostic::error(
                    file,
                    Code::ImportCycle,
                    path.span.clone(),
                    format!("`{}` imports itself", path.value),
                    "cyclic import",
                )
                .with_help(
                    "move the shared declarations into a catalogue that imports nothing back",
                ),
            );
            continue;
        }
        let text = match std::fs::read_to_string(&target) {
            Ok(text) => text,
            Err(error) => {
                // The OS's words differ by platform; the common case has ours.
                let why = match error.kind() {
                    std::io::ErrorKind::NotFound => "no such file".to_string(),
                    _ => error.to_string(),
                };
                diagnostics.push(
                    Diagnostic::error(
                        file,
                        Code::ImportNotFound,
                        path.span.clone(),
                        format!("cannot read `{}`: {why}", target.display()),
                        "cannot import this",
                    )
                    .with_help("paths are relative to the importing file"),
                );
                continue;
            }
        };
        let catalogue = SourceFile::new(target.display().to_string(), text);
        let (module, found) = compile_module(&catalogue, seen);
        diagnostics.extend(found);
        imported.indicators.extend(module.indicators);
        imported.benchmarks.extend(module.benchmarks);
        imported.groups.extend(module.groups);
        if imported.tiers.is_empty() {
            imported.tiers = module.tiers;
        }
    }
    imported
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_is_shared_across_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Program>();
    }

    #[test]
    fn language_examples_compile() {
        for path in [
            "tests/language/rizhao-example.rules",
            "tests/language/tiers-example.rules",
        ] {
            let text = std::fs::read_to_string(path).unwrap();
            match compile(&text, path) {
                Ok(program) => assert!(program.rule_count() > 5),
                Err(diagnostics) => {
                    for d in diagnostics.iter() {
                        eprintln!("{:?}", miette::Report::new(d.clone()));
                    }
                    panic!("{path} did not compile");
                }
            }
        }
    }
}
