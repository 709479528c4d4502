//! Resolving `import`: the compiler never opens a file itself. A host
//! passes a [`Resolver`] that finds the text of an imported file, or
//! passes none and every `import` is a diagnostic. The command line's
//! [`FileResolver`] reads only regular `.rules` files of bounded size
//! inside the directories it is given, so a rule file cannot make it read
//! `/etc/passwd`, block on a FIFO or fill memory from `/dev/zero`.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::limits::{MAX_IMPORTS, MAX_IMPORT_DEPTH, MAX_SOURCE_BYTES};
use crate::check::Imported;
use crate::diag::{Code, Diagnostic, SourceFile};
use crate::syntax::ast::{File, Statement, Text};

/// An imported file's name (shown in diagnostics, and the base of the
/// imports inside it) and text.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The name the file goes by: the same file imported twice must come
    /// back under the same name to be read once.
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// Finds the file an `import` names. [`compile_with`](crate::compile_with)
/// has an example with the [`FileResolver`].
pub trait Resolver: Sync {
    /// The file that `path` (as written after `import`) names when the file
    /// `importer` imports it, or why it cannot be imported (a reason
    /// shown in the diagnostic: it must not quote the file).
    fn resolve(&self, importer: &str, path: &str) -> Result<Resolved, String>;
}

/// Resolves imports against the file system: `.rules` files only, regular
/// files only, at most [`MAX_SOURCE_BYTES`], relative to the importing
/// file and inside one of the allowed directories. See
/// [`compile_with`](crate::compile_with) for an example.
#[derive(Debug, Clone, Default)]
pub struct FileResolver {
    roots: Vec<PathBuf>,
}

impl FileResolver {
    /// Allows imports from within these directories (and below). Those
    /// that do not exist are left out.
    pub fn new<P: AsRef<Path>>(roots: impl IntoIterator<Item = P>) -> FileResolver {
        FileResolver {
            roots: roots
                .into_iter()
                .filter_map(|root| std::fs::canonicalize(root).ok())
                .collect(),
        }
    }

    /// Allows imports from the directories of the rule files or
    /// directories named (a file's own directory), and from `allowed`.
    pub fn for_paths(paths: &[PathBuf], allowed: &[PathBuf]) -> FileResolver {
        FileResolver::new(
            directories(paths)
                .into_iter()
                .chain(allowed.iter().cloned()),
        )
    }
}

/// The directories named, and those of the files named.
pub fn directories(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .map(|path| {
            if path.is_dir() {
                path.clone()
            } else {
                match path.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                    _ => PathBuf::from("."),
                }
            }
        })
        .collect()
}

impl Resolver for FileResolver {
    fn resolve(&self, importer: &str, path: &str) -> Result<Resolved, String> {
        let written = Path::new(path);
        if written.is_absolute() || written.has_root() {
            return Err("an import is a path relative to the importing file".into());
        }
        if written
            .extension()
            .is_none_or(|extension| extension != "rules")
        {
            return Err("only `.rules` files can be imported".into());
        }
        let base = Path::new(importer).parent().unwrap_or(Path::new(""));
        let target = normalise(&base.join(written));
        let canonical = std::fs::canonicalize(&target).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            _ => error.to_string(),
        })?;
        if !self.roots.iter().any(|root| canonical.starts_with(root)) {
            return Err("it is outside the directories of the rule files named (`--allow-import DIR` allows another)".into());
        }
        let metadata = std::fs::metadata(&canonical).map_err(|error| error.to_string())?;
        if !metadata.is_file() {
            return Err("it is not a regular file".into());
        }
        if metadata.len() > MAX_SOURCE_BYTES as u64 {
            return Err(too_large());
        }
        let file = std::fs::File::open(&canonical).map_err(|error| error.to_string())?;
        // The file may grow between the size check and the read.
        let mut bytes = Vec::new();
        file.take(MAX_SOURCE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|error| error.to_string())?;
        if bytes.len() > MAX_SOURCE_BYTES {
            return Err(too_large());
        }
        let text = String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
        Ok(Resolved {
            name: target.display().to_string(),
            text,
        })
    }
}

fn too_large() -> String {
    format!("it is larger than {} MiB", MAX_SOURCE_BYTES >> 20)
}

/// Removes `.` and folds `dir/..` without touching the file system, so
/// that one file reached by two relative routes has one name.
fn normalise(path: &Path) -> PathBuf {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.iter().collect()
}

/// What compiling one file with its imports has seen so far: the files
/// being compiled (a cycle is a file among them), the modules already
/// compiled (a file imported twice is read once), and how many were read.
pub(crate) struct Imports<'a> {
    resolver: Option<&'a dyn Resolver>,
    stack: Vec<String>,
    done: HashMap<String, Imported>,
    read: usize,
}

impl<'a> Imports<'a> {
    pub(crate) fn new(resolver: Option<&'a dyn Resolver>) -> Self {
        Imports {
            resolver,
            stack: Vec::new(),
            done: HashMap::new(),
            read: 0,
        }
    }

    /// Starts compiling a file; its own name is a cycle from now on.
    pub(crate) fn enter(&mut self, name: &str) {
        self.stack.push(name.to_string());
    }

    /// Ends compiling a file, keeping its declarations for later imports
    /// of it.
    pub(crate) fn leave(&mut self, declared: Imported) {
        if let Some(name) = self.stack.pop() {
            self.done.insert(name, declared);
        }
    }

    /// The declarations that a file's imports bring in.
    pub(crate) fn resolve(
        &mut self,
        file: &Arc<SourceFile>,
        tree: &File,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Imported {
        let mut imported = Imported::default();
        for statement in &tree.statements {
            let Statement::Import(path) = statement else {
                continue;
            };
            let Some(module) = self.declarations(file, path, diagnostics) else {
                continue;
            };
            // A diamond brings the same declarations twice.
            for info in module.indicators {
                if !imported
                    .indicators
                    .iter()
                    .any(|known| known.name == info.name)
                {
                    imported.indicators.push(info);
                }
            }
            for benchmark in module.benchmarks {
                if !imported
                    .benchmarks
                    .iter()
                    .any(|known| known.name == benchmark.name)
                {
                    imported.benchmarks.push(benchmark);
                }
            }
            for group in module.groups {
                if !imported.groups.iter().any(|known| known.0 == group.0) {
                    imported.groups.push(group);
                }
            }
            if imported.tiers.is_empty() {
                imported.tiers = module.tiers;
            }
        }
        imported
    }

    /// What one imported file declares, compiling it the first time.
    fn declarations(
        &mut self,
        file: &Arc<SourceFile>,
        path: &Text,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Imported> {
        let error = |code: Code, message: String, help: &str| {
            Diagnostic::error(file, code, path.span.clone(), message, "cannot import this")
                .with_help(help)
        };
        let Some(resolver) = self.resolver else {
            diagnostics.push(error(
                Code::ImportNotAllowed,
                format!("cannot import `{}`: imports are not enabled here", path.value),
                "the program compiling these rules reads no other files; declare the indicators in this file",
            ));
            return None;
        };
        let resolved = match resolver.resolve(file.name(), &path.value) {
            Ok(resolved) => resolved,
            Err(why) => {
                diagnostics.push(error(
                    Code::ImportNotFound,
                    format!("cannot import `{}`: {why}", path.value),
                    "paths are relative to the importing file",
                ));
                return None;
            }
        };
        if self.stack.contains(&resolved.name) {
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
            return None;
        }
        if let Some(declared) = self.done.get(&resolved.name) {
            return Some(declared.clone());
        }
        if self.stack.len() > MAX_IMPORT_DEPTH || self.read >= MAX_IMPORTS {
            diagnostics.push(error(
                Code::TooLarge,
                format!(
                    "cannot import `{}`: at most {MAX_IMPORTS} files, {MAX_IMPORT_DEPTH} deep, are imported",
                    path.value
                ),
                "import the catalogues from fewer files",
            ));
            return None;
        }
        self.read += 1;
        let catalogue = SourceFile::new(resolved.name, resolved.text);
        let (module, found) = super::compile_module(&catalogue, self);
        diagnostics.extend(found);
        Some(Imported {
            indicators: module.indicators,
            benchmarks: module.benchmarks,
            groups: module.groups,
            tiers: module.tiers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_folds_dot_and_dot_dot() {
        assert_eq!(
            normalise(Path::new("rules/./a/../b.rules")),
            PathBuf::from("rules/b.rules")
        );
        assert_eq!(
            normalise(Path::new("../x/b.rules")),
            PathBuf::from("../x/b.rules")
        );
    }
}
