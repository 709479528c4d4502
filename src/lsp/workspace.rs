//! The open documents and what is known about each: its outline and its
//! imports' outlines (for names and spans, even while it has errors), the
//! compiled program when it compiles, and its diagnostics. Also the data
//! configured for hovers: `zhibiao.toml` beside the rules, else the
//! client's `data` initialization option.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use lsp_types::{InitializeParams, Uri};
use serde::Deserialize;

use super::uri;
use crate::compile::outline::{self, IndicatorEntry, Outline, Spanned};
use crate::compile::{format, CompileOptions, FileResolver, Resolved, Resolver};
use crate::data::{Dataset, LoadOptions, Loader};
use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::Program;

/// The name of the configuration file looked for beside a rule file.
pub const CONFIG_FILE: &str = "zhibiao.toml";

/// Everything the server holds.
#[derive(Default)]
pub struct Workspace {
    documents: HashMap<Uri, Analysis>,
    root: Option<PathBuf>,
    options: DataConfig,
    datasets: HashMap<Vec<PathBuf>, Loaded>,
    /// Files other than itself that a document's diagnostics went to.
    published: HashMap<Uri, Vec<Uri>>,
}

/// One open document, analysed.
pub struct Analysis {
    /// The document first, then every file it imports, transitively.
    pub files: Vec<FileOutline>,
    /// The compiled program, when the document compiles.
    pub program: Option<Program>,
    /// Errors and warnings, as `lint` reports them.
    pub diagnostics: Vec<Diagnostic>,
    /// The document's path, when it is a file.
    pub path: Option<PathBuf>,
}

/// The text and outline of one file.
pub struct FileOutline {
    /// Where it is.
    pub uri: Uri,
    /// Its text: the editor's for open documents, else the file's.
    pub text: String,
    /// What it declares and uses.
    pub outline: Outline,
}

/// Data files and the as-of year for checks shown in hovers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DataConfig {
    /// CSV files, relative to the configuration file (or the workspace
    /// root for the initialization option).
    #[serde(default)]
    pub data: Vec<PathBuf>,
    /// The year to check as of; the latest in the data by default.
    #[serde(default, alias = "as_of")]
    pub as_of: Option<i32>,
}

/// A dataset as loaded, or why it could not be.
pub struct Loaded {
    stamps: Vec<Option<SystemTime>>,
    /// The data, or a summary of the load's errors.
    pub result: Result<Arc<Dataset>, String>,
}

/// Where the data for a document comes from and what it holds.
pub struct DataFor {
    /// Which files, as configured.
    pub files: Vec<PathBuf>,
    /// The as-of year configured.
    pub as_of: Option<i32>,
    /// The loaded data or why not.
    pub loaded: Result<Arc<Dataset>, String>,
}

impl Workspace {
    /// Reads the workspace root and the `data` option.
    pub fn configure(&mut self, params: &InitializeParams) {
        #[allow(deprecated)] // Older clients send only `rootUri`.
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|folders| folders.first())
            .map(|folder| folder.uri.clone())
            .or_else(|| params.root_uri.clone());
        self.root = root.as_ref().and_then(uri::to_path);
        if let Some(options) = &params.initialization_options {
            match DataConfig::deserialize(options) {
                Ok(options) => self.options = options,
                Err(error) => eprintln!("zhibiao lsp: ignored initialization options: {error}"),
            }
        }
    }

    /// Opens or replaces a document and analyses it, and again the open
    /// documents that import it; returns every document analysed.
    pub fn open(&mut self, uri: Uri, text: String) -> Vec<Uri> {
        let analysis = self.analyse(&uri, text);
        self.documents.insert(uri.clone(), analysis);
        let mut changed = vec![uri.clone()];
        changed.extend(self.refresh_importers(&uri));
        changed
    }

    /// Analyses again the open documents that import `uri`, directly or not.
    fn refresh_importers(&mut self, uri: &Uri) -> Vec<Uri> {
        let importers: Vec<Uri> = self
            .documents
            .iter()
            .filter(|(_, analysis)| analysis.files.iter().skip(1).any(|file| file.uri == *uri))
            .map(|(importer, _)| importer.clone())
            .collect();
        for importer in &importers {
            let text = self.documents[importer].own().text.clone();
            let analysis = self.analyse(importer, text);
            self.documents.insert(importer.clone(), analysis);
        }
        importers
    }

    /// Forgets a document; returns the files whose diagnostics to clear,
    /// and the open documents that import it, read again from disk.
    pub fn close(&mut self, uri: &Uri) -> (Vec<Uri>, Vec<Uri>) {
        self.documents.remove(uri);
        let mut cleared: Vec<Uri> = self
            .published
            .remove(uri)
            .unwrap_or_default()
            .into_iter()
            .filter(|other| !self.documents.contains_key(other))
            .collect();
        cleared.push(uri.clone());
        (cleared, self.refresh_importers(uri))
    }

    /// An open document's analysis.
    pub fn get(&self, uri: &Uri) -> Option<&Analysis> {
        self.documents.get(uri)
    }

    /// Every open document.
    pub fn documents(&self) -> impl Iterator<Item = &Analysis> {
        self.documents.values()
    }

    /// The diagnostics to publish after `uri` changed: its own, and those
    /// it found in imported files that are not open themselves (an open
    /// file publishes its own), clearing files that no longer have any.
    pub fn diagnose(&mut self, uri: &Uri) -> Vec<(Uri, Vec<lsp_types::Diagnostic>)> {
        let Some(analysis) = self.documents.get(uri) else {
            return Vec::new();
        };
        let own_name = analysis.name(uri);
        let targets = analysis.diagnostics.iter().filter_map(|diagnostic| {
            let name = diagnostic.source.name();
            let target = if name == own_name {
                uri.clone()
            } else {
                uri::from_path(Path::new(name))?
            };
            let elsewhere = target != *uri && self.documents.contains_key(&target);
            (!elsewhere).then_some((diagnostic, target))
        });
        let mut by_file: Vec<(Uri, Vec<lsp_types::Diagnostic>)> = vec![(uri.clone(), Vec::new())];
        for (target, converted) in super::convert::diagnostics(targets) {
            match by_file.iter_mut().find(|(file, _)| *file == target) {
                Some((_, list)) => list.push(converted),
                None => by_file.push((target, vec![converted])),
            }
        }
        let now: Vec<Uri> = by_file
            .iter()
            .skip(1)
            .map(|(file, _)| file.clone())
            .collect();
        let before = self.published.insert(uri.clone(), now.clone());
        for stale in before.unwrap_or_default() {
            if !now.contains(&stale) && !self.documents.contains_key(&stale) {
                by_file.push((stale, Vec::new()));
            }
        }
        by_file
    }

    fn analyse(&self, uri: &Uri, text: String) -> Analysis {
        let path = uri::to_path(uri).map(|path| uri::normalize(&path));
        let name = path.as_ref().map_or_else(
            || uri.as_str().to_string(),
            |path| path.display().to_string(),
        );
        let resolver = self.resolver(path.as_deref());
        let options = CompileOptions {
            resolver: Some(&resolver),
        };
        let (program, diagnostics) = match crate::compile::compile_with(&text, &name, &options) {
            Ok(program) => {
                let warnings = program.warnings().to_vec();
                (Some(program), warnings)
            }
            Err(diagnostics) => (None, diagnostics.0),
        };
        let mut files = vec![FileOutline {
            uri: uri.clone(),
            outline: outline::outline(&text),
            text,
        }];
        if let Some(path) = &path {
            let mut seen = HashSet::from([path.clone()]);
            let imports = files[0].outline.imports.clone();
            self.imports(path, &imports, &mut seen, &mut files);
        }
        Analysis {
            files,
            program,
            diagnostics,
            path,
        }
    }

    /// Imports are read from the editor when open there, else from disk
    /// inside the workspace or the file's own directory.
    fn resolver(&self, path: Option<&Path>) -> EditorResolver<'_> {
        let open: HashMap<PathBuf, &str> = self
            .documents
            .values()
            .filter_map(|analysis| Some((analysis.path.clone()?, analysis.own().text.as_str())))
            .collect();
        let roots = self
            .root
            .iter()
            .cloned()
            .chain(path.and_then(|path| path.parent().map(Path::to_path_buf)));
        EditorResolver {
            open,
            files: FileResolver::new(roots),
        }
    }

    /// An open document as `zhibiao fmt` writes it, its imports resolved
    /// as for its diagnostics; the diagnostics when it does not compile.
    pub fn format(&self, uri: &Uri) -> Option<Result<String, Diagnostics>> {
        let analysis = self.documents.get(uri)?;
        let resolver = self.resolver(analysis.path.as_deref());
        let options = CompileOptions {
            resolver: Some(&resolver),
        };
        Some(format::format(
            &analysis.own().text,
            &analysis.name(uri),
            None,
            &options,
        ))
    }

    /// The sentence rule at byte `offset` of an open document as `zhibiao
    /// fmt --to en` writes it, when there is one there and it compiles.
    pub fn sentence_as_symbolic(&self, uri: &Uri, offset: usize) -> Option<String> {
        let analysis = self.documents.get(uri)?;
        let resolver = self.resolver(analysis.path.as_deref());
        let options = CompileOptions {
            resolver: Some(&resolver),
        };
        format::sentence_as_symbolic(&analysis.own().text, &analysis.name(uri), offset, &options)
            .ok()
            .flatten()
    }

    /// The outlines of the files a file imports, and theirs, each once:
    /// an open document's text as edited, else the file on disk.
    fn imports(
        &self,
        path: &Path,
        imports: &[Spanned],
        seen: &mut HashSet<PathBuf>,
        files: &mut Vec<FileOutline>,
    ) {
        let base = path.parent().unwrap_or(Path::new("."));
        for import in imports {
            let target = uri::normalize(&base.join(&import.text));
            if !seen.insert(target.clone()) {
                continue;
            }
            let Some(uri) = uri::from_path(&target) else {
                continue;
            };
            let text = match self.documents.get(&uri) {
                Some(open) => open.files[0].text.clone(),
                None => match std::fs::read_to_string(&target) {
                    Ok(text) => text,
                    Err(_) => continue,
                },
            };
            let imported = outline::outline(&text);
            let further = imported.imports.clone();
            files.push(FileOutline {
                uri,
                text,
                outline: imported,
            });
            self.imports(&target, &further, seen, files);
        }
    }

    /// The data configured for a document, loaded (and reloaded when a
    /// file changed); `None` when none is configured.
    pub fn data_for(&mut self, path: Option<&Path>) -> Option<Result<DataFor, String>> {
        let config = match path.and_then(|path| self.config_beside(path)) {
            Some(Ok(config)) => config,
            Some(Err(error)) => return Some(Err(error)),
            None if !self.options.data.is_empty() => {
                let base = self.root.clone().unwrap_or_default();
                DataConfig {
                    data: self
                        .options
                        .data
                        .iter()
                        .map(|file| base.join(file))
                        .collect(),
                    as_of: self.options.as_of,
                }
            }
            None => return None,
        };
        let stamps: Vec<Option<SystemTime>> = config
            .data
            .iter()
            .map(|file| {
                std::fs::metadata(file)
                    .and_then(|meta| meta.modified())
                    .ok()
            })
            .collect();
        let fresh = self
            .datasets
            .get(&config.data)
            .is_some_and(|loaded| loaded.stamps == stamps);
        if !fresh {
            let result = load(&config.data);
            self.datasets
                .insert(config.data.clone(), Loaded { stamps, result });
        }
        let loaded = self.datasets.get(&config.data)?.result.clone();
        Some(Ok(DataFor {
            files: config.data,
            as_of: config.as_of,
            loaded,
        }))
    }

    /// `zhibiao.toml` in the directory of the rule file, with its data
    /// paths made relative to that directory.
    fn config_beside(&self, path: &Path) -> Option<Result<DataConfig, String>> {
        let dir = path.parent()?;
        let file = dir.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&file).ok()?;
        Some(match toml::from_str::<DataConfig>(&text) {
            Ok(mut config) => {
                config.data = config.data.iter().map(|data| dir.join(data)).collect();
                Ok(config)
            }
            Err(error) => Err(format!("{}: {}", file.display(), error.message())),
        })
    }
}

/// Finds imports among the editor's open documents first, then on disk.
struct EditorResolver<'a> {
    open: HashMap<PathBuf, &'a str>,
    files: FileResolver,
}

impl Resolver for EditorResolver<'_> {
    fn resolve(&self, importer: &str, path: &str) -> Result<Resolved, String> {
        let base = Path::new(importer).parent().unwrap_or(Path::new(""));
        let target = uri::normalize(&base.join(path));
        match self.open.get(&target) {
            Some(text) => Ok(Resolved {
                name: target.display().to_string(),
                text: text.to_string(),
            }),
            None => self.files.resolve(importer, path),
        }
    }
}

fn load(files: &[PathBuf]) -> Result<Arc<Dataset>, String> {
    let mut loader = Loader::new(LoadOptions::default());
    for file in files {
        loader.add_path(file);
    }
    match loader.finish() {
        Ok((data, _warnings)) => Ok(Arc::new(data)),
        Err(diagnostics) => Err(diagnostics.to_string()),
    }
}

impl Analysis {
    /// The name the document was compiled under.
    fn name(&self, uri: &Uri) -> String {
        self.path.as_ref().map_or_else(
            || uri.as_str().to_string(),
            |path| path.display().to_string(),
        )
    }

    /// The document's own text and outline.
    pub fn own(&self) -> &FileOutline {
        &self.files[0]
    }

    /// The declaration of an indicator by name or alias: in the document
    /// itself first, then in its imports in order.
    pub fn indicator(&self, name: &str) -> Option<(&FileOutline, &IndicatorEntry)> {
        self.files.iter().find_map(|file| {
            file.outline
                .indicators
                .iter()
                .find(|entry| {
                    entry.name.text == name || entry.aliases.iter().any(|alias| alias.text == name)
                })
                .map(|entry| (file, entry))
        })
    }
}
