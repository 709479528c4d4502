//! Compiling rule files: parse, resolve imports, check, and build the
//! immutable `Program` the evaluator runs.

mod imports;
pub mod limits;
pub mod outline;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::{Checker, Imported};
use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};
use crate::ir::{Module, Program};
use crate::syntax::{self, ast::Statement};
#[cfg(feature = "cli")]
pub use imports::directories;
pub(crate) use imports::Imports;
pub use imports::{FileResolver, Resolved, Resolver};
use limits::{MAX_RULES, MAX_SOURCE_BYTES};

pub mod format;

/// How to compile: where imported files come from. See
/// [`compile_with`] for an example.
#[derive(Clone, Copy, Default)]
pub struct CompileOptions<'a> {
    /// Finds imported files. Without one, `import` is an
    /// `import-not-allowed` error and no file is read.
    pub resolver: Option<&'a dyn Resolver>,
}

impl std::fmt::Debug for CompileOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompileOptions")
            .field("resolver", &self.resolver.map(|_| "…"))
            .finish()
    }
}

/// Compiles one rule file's text. `name` is used in diagnostics. Reads no
/// file: an `import` is an error (see [`compile_with`]).
///
/// ```
/// let program = zhibiao::compile(
///     "scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2025\n",
///     "a.rules",
/// )
/// .expect("rules compile");
/// assert_eq!(program.rule_count(), 1);
/// assert!(program.warnings().is_empty());
///
/// let errors = zhibiao::compile("rule 县域就诊律 >= 90%\n", "b.rules").unwrap_err();
/// assert_eq!(errors.0[0].code.as_str(), "unknown-indicator");
/// ```
pub fn compile(source: &str, name: &str) -> Result<Program, Diagnostics> {
    compile_with(source, name, &CompileOptions::default())
}

/// Compiles one rule file's text, with imports found by the options'
/// resolver.
///
/// ```
/// use zhibiao::{CompileOptions, FileResolver};
///
/// let rules = "import \"national/targets.rules\"\nrule 婴儿死亡率 <= 5.2‰ by 2025\n";
/// // Without a resolver no file is read and `import` is an error.
/// let errors = zhibiao::compile_with(rules, "examples/host.rules", &CompileOptions::default());
/// assert_eq!(errors.unwrap_err().0[0].code.as_str(), "import-not-allowed");
///
/// // Imports are read only from within the directories given.
/// let resolver = FileResolver::new(["examples"]);
/// let options = CompileOptions { resolver: Some(&resolver) };
/// let program = zhibiao::compile_with(rules, "examples/host.rules", &options).unwrap();
/// assert_eq!(program.rule_count(), 1);
/// ```
pub fn compile_with(
    source: &str,
    name: &str,
    options: &CompileOptions<'_>,
) -> Result<Program, Diagnostics> {
    let file = SourceFile::new(name, source);
    let mut imports = Imports::new(options.resolver);
    let (module, diagnostics) = compile_module(&file, &mut imports);
    finish(vec![module], diagnostics)
}

/// Compiles rule files and every `*.rules` file under directories, in
/// name order, into one program. Errors in all files are collected.
/// Imports are read from within the directories of the paths given (see
/// [`FileResolver`]).
///
/// ```
/// use std::path::PathBuf;
///
/// let one = zhibiao::compile_paths(&[PathBuf::from("examples/national/targets.rules")]).unwrap();
/// assert!(one.rule_count() > 0);
/// // A directory stands for every `.rules` file below it.
/// let all = zhibiao::compile_paths_with(&[PathBuf::from("examples/national")], &[]).unwrap();
/// assert_eq!(all.rule_count(), one.rule_count());
///
/// let errors = zhibiao::compile_paths(&[PathBuf::from("no/such.rules")]).unwrap_err();
/// assert_eq!(errors.0[0].code.as_str(), "file-not-found");
/// ```
pub fn compile_paths(paths: &[PathBuf]) -> Result<Program, Diagnostics> {
    compile_paths_with(paths, &[])
}

/// Compiles rule files as [`compile_paths`] does, also allowing imports
/// from within the directories `allow_import`. The example of
/// [`compile_paths`] calls it too.
pub fn compile_paths_with(
    paths: &[PathBuf],
    allow_import: &[PathBuf],
) -> Result<Program, Diagnostics> {
    let resolver = FileResolver::for_paths(paths, allow_import);
    let mut modules = Vec::new();
    let mut diagnostics = Vec::new();
    for path in rule_files(paths, &mut diagnostics) {
        match read_rule_file(&path) {
            Ok(text) => {
                let file = SourceFile::new(path.display().to_string(), text);
                let mut imports = Imports::new(Some(&resolver));
                let (module, found) = compile_module(&file, &mut imports);
                modules.push(module);
                diagnostics.extend(found);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    finish(modules, diagnostics)
}

/// Reads a rule file named on the command line: a regular file of at most
/// [`MAX_SOURCE_BYTES`] (not a device or a pipe that never ends).
fn read_rule_file(path: &Path) -> Result<String, Diagnostic> {
    use std::io::Read;
    let metadata = std::fs::metadata(path).map_err(|error| io_error(path, &error))?;
    let too_large = || {
        file_diagnostic(
            path,
            Code::TooLarge,
            &format!("the file is larger than {} MiB", MAX_SOURCE_BYTES >> 20),
            "split the rules into several files",
        )
    };
    if !metadata.is_file() {
        return Err(file_diagnostic(
            path,
            Code::UnreadableFile,
            "not a regular file",
            "rule files are UTF-8 text files",
        ));
    }
    if metadata.len() > MAX_SOURCE_BYTES as u64 {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| {
            file.take(MAX_SOURCE_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(|error| io_error(path, &error))?;
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes)
        .map_err(|_| io_error(path, &std::io::Error::from(std::io::ErrorKind::InvalidData)))
}

/// The declarations a file imports, read afresh (`zhibiao fmt`).
pub(crate) fn imports_of(
    file: &Arc<SourceFile>,
    tree: &syntax::ast::File,
    options: &CompileOptions<'_>,
) -> Imported {
    let mut imports = Imports::new(options.resolver);
    imports.enter(file.name());
    imports.resolve(file, tree, &mut Vec::new())
}

fn finish(modules: Vec<Module>, diagnostics: Vec<Diagnostic>) -> Result<Program, Diagnostics> {
    let diagnostics = crate::diag::cap_per_file(diagnostics);
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
fn compile_module(file: &Arc<SourceFile>, imports: &mut Imports<'_>) -> (Module, Vec<Diagnostic>) {
    imports.enter(file.name());
    let (mut tree, mut diagnostics) = if file.text().len() > MAX_SOURCE_BYTES {
        let diagnostic = Diagnostic::error(
            file,
            Code::TooLarge,
            0..0,
            format!("the file is larger than {} MiB", MAX_SOURCE_BYTES >> 20),
            "this file",
        )
        .with_help("split the rules into several files");
        (syntax::ast::File::default(), vec![diagnostic])
    } else {
        syntax::parse_file(file)
    };
    limit_rules(file, &mut tree, &mut diagnostics);
    let imported = imports.resolve(file, &tree, &mut diagnostics);
    let (module, found) = Checker::new(file, imported).check(&tree);
    diagnostics.extend(found);
    in_file_order(&mut diagnostics, file);
    imports.leave(Imported {
        indicators: module.indicators.clone(),
        benchmarks: module.benchmarks.clone(),
        groups: module.groups.clone(),
        tiers: module.tiers.clone(),
    });
    (module, diagnostics)
}

/// Drops the rules past [`MAX_RULES`], with a diagnostic at the first.
fn limit_rules(
    file: &Arc<SourceFile>,
    tree: &mut syntax::ast::File,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut rules = 0;
    let mut first_dropped = None;
    tree.statements.retain(|statement| {
        let Statement::Rule(rule) = statement else {
            return true;
        };
        rules += 1;
        if rules > MAX_RULES && first_dropped.is_none() {
            first_dropped = Some(rule.span.clone());
        }
        rules <= MAX_RULES
    });
    if let Some(span) = first_dropped {
        diagnostics.push(
            Diagnostic::error(
                file,
                Code::TooLarge,
                span,
                format!("more than {MAX_RULES} rules in one file"),
                "one rule too many",
            )
            .with_help("split the rules into several files"),
        );
    }
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
