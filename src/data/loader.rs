//! The [`Loader`]: reads files (bytes, decoding; the rows are the
//! `FileReader`'s) into the staging area, then builds the dataset.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use super::decode::decode;
use super::reader::FileReader;
use super::reporter::Reporter;
use super::sheet::{self, SheetText};
use super::staging::Staging;
use super::store::Dataset;
use super::stream::Streaming;
use super::LoadOptions;
use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};

/// Loads several files into one dataset, collecting every diagnostic.
///
/// ```
/// use zhibiao::data::{DataSource, LoadOptions, Loader};
///
/// let mut loader = Loader::new(LoadOptions::default());
/// loader.add_str("a.csv", "地区,上级,年份,婴儿死亡率(‰)\n东港区,日照市,2024,4.1\n");
/// loader.add_str("b.csv", "地区,年份,指标,值\n日照市,2024,婴儿死亡率,3.9‰\n");
/// let (data, warnings) = loader.finish().unwrap();
/// assert!(warnings.is_empty());
/// assert_eq!(data.observation_count(), 2);
/// ```
#[derive(Debug)]
pub struct Loader {
    options: LoadOptions,
    staging: Staging,
    reporter: Reporter,
    /// The sheets read from workbooks, to name cells in diagnostics.
    sheets: Vec<(Arc<SourceFile>, SheetText)>,
    /// How files are streamed, and whether the fast path is taken.
    streaming: Streaming,
}

impl Loader {
    /// A loader with no files yet.
    pub fn new(options: LoadOptions) -> Loader {
        let mut staging = Staging::default();
        staging.projection = options.projection.clone();
        Loader {
            options,
            staging,
            reporter: Reporter::default(),
            sheets: Vec::new(),
            streaming: Streaming::default(),
        }
    }

    /// Streams files as said (tests put chunk boundaries everywhere, read
    /// on one thread or two, and take the fast path or not).
    #[cfg(test)]
    pub(crate) fn with_streaming(mut self, streaming: Streaming) -> Loader {
        self.streaming = streaming;
        self
    }

    /// How many files were streamed (tests check that the files they
    /// compare were).
    #[cfg(test)]
    pub(crate) fn streamed_count(&self) -> usize {
        self.staging.streamed.len()
    }

    /// Reads, decodes and parses a file; problems are recorded, never
    /// raised. A CSV file that is UTF-8 is read a chunk at a time (see
    /// `stream`); any other, and one with a problem, is read whole.
    pub fn add_path(&mut self, path: &Path) {
        let name = path.display().to_string();
        // A device or a pipe could be read without end.
        let metadata = std::fs::metadata(path);
        if let Ok(metadata) = &metadata {
            if metadata.is_file() {
                if self.too_large(&name, usize::try_from(metadata.len()).unwrap_or(usize::MAX)) {
                    return;
                }
                if self.options.encoding != Some(super::Encoding::Gbk) && self.streamed(path, &name)
                {
                    return;
                }
            }
        }
        let read = match metadata.map(|metadata| metadata.is_file()) {
            Ok(false) => Err(std::io::Error::other("not a regular file")),
            _ => std::fs::read(path),
        };
        match read {
            Ok(bytes) => self.add_decoded(&name, Cow::Owned(bytes)),
            Err(error) => {
                let file = self.add_source(SourceFile::new(name.clone(), ""));
                let diagnostic = Diagnostic::error(
                    &self.staging.files[file as usize],
                    Code::DataRead,
                    0..0,
                    format!("cannot read `{name}`: {error}"),
                    "this file",
                )
                .with_help("check the path and the file's permissions");
                self.reporter.push(file, diagnostic);
            }
        }
    }

    /// Streams a file, or leaves everything as it was when it is to be
    /// read whole.
    fn streamed(&mut self, path: &Path, name: &str) -> bool {
        // Values are only ever added: those of earlier files are not
        // copied, the list is cut back instead.
        let observations = std::mem::take(&mut self.staging.observations);
        let kept = observations.len();
        let before = (self.staging.clone(), self.reporter.clone());
        self.staging.observations = observations;
        let streamed = super::stream::read(
            &mut self.staging,
            &mut self.reporter,
            path,
            name,
            &self.options,
            self.streaming,
        );
        if streamed.is_err() {
            let mut observations = std::mem::take(&mut self.staging.observations);
            observations.truncate(kept);
            (self.staging, self.reporter) = before;
            self.staging.observations = observations;
        }
        streamed.is_ok()
    }

    /// Decodes (UTF-8, GBK, or the forced encoding) and parses a file's
    /// bytes; `name` is used in diagnostics.
    pub fn add_bytes(&mut self, name: &str, bytes: &[u8]) {
        self.add_decoded(name, Cow::Borrowed(bytes));
    }

    fn add_decoded(&mut self, name: &str, bytes: Cow<'_, [u8]>) {
        if self.too_large(name, bytes.len()) {
            return;
        }
        if sheet::is_workbook(&bytes) {
            self.add_workbook(name, &bytes);
            return;
        }
        match decode(bytes, self.options.encoding) {
            Ok(text) => self.add_text(name, text),
            Err(error) => {
                let file = self.add_source(SourceFile::new(name, error.text));
                let diagnostic = Diagnostic::error(
                    &self.staging.files[file as usize],
                    Code::DataEncoding,
                    error.at..error.at + 1,
                    error.message,
                    "this byte does not decode",
                )
                .with_help(error.help);
                self.reporter.push(file, diagnostic);
            }
        }
    }

    /// Reads one sheet of a workbook (`--sheet`, else the first) as rows
    /// of cells; diagnostics name the cell, `Sheet1!C7`.
    fn add_workbook(&mut self, name: &str, bytes: &[u8]) {
        match sheet::read(bytes, self.options.sheet.as_deref()) {
            Ok(sheet) => {
                let source = SourceFile::new(name, sheet.text.clone());
                let file = self.add_source(Arc::clone(&source));
                FileReader::new(&mut self.staging, &mut self.reporter, &source, file)
                    .with_fast_path(self.streaming.fast)
                    .read(source.text());
                self.sheets.push((source, sheet));
            }
            Err(error) => {
                let file = self.add_source(SourceFile::new(name, ""));
                let diagnostic = Diagnostic::error(
                    &self.staging.files[file as usize],
                    error.code,
                    0..0,
                    error.message,
                    "this workbook",
                )
                .with_help(error.help);
                self.reporter.push(file, diagnostic);
            }
        }
    }

    /// Parses a file's text; `name` is used in diagnostics.
    pub fn add_str(&mut self, name: &str, text: &str) {
        if !self.too_large(name, text.len()) {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            self.add_text(name, text.to_string());
        }
    }

    /// The dataset plus warnings, or every error (and warning) found in all
    /// files.
    pub fn finish(self) -> Result<(Dataset, Vec<Diagnostic>), Diagnostics> {
        let Loader {
            staging,
            mut reporter,
            sheets,
            ..
        } = self;
        super::scale::check(&staging, &mut reporter);
        let dataset = staging.build(&mut reporter);
        let mut diagnostics = reporter.into_diagnostics();
        for diagnostic in &mut diagnostics {
            name_cells(diagnostic, &sheets);
        }
        let diagnostics = crate::diag::cap_per_file(diagnostics);
        match dataset {
            Some(dataset) if !diagnostics.iter().any(Diagnostic::is_error) => {
                Ok((dataset, diagnostics))
            }
            _ => Err(Diagnostics(diagnostics)),
        }
    }

    fn too_large(&mut self, name: &str, length: usize) -> bool {
        if u32::try_from(length).is_ok_and(|length| length < u32::MAX) {
            return false;
        }
        let file = self.add_source(SourceFile::new(name, ""));
        let diagnostic = Diagnostic::error(
            &self.staging.files[file as usize],
            Code::DataRead,
            0..0,
            format!("`{name}` is larger than 4 GiB"),
            "this file",
        )
        .with_help("split the file by year or by indicator and load the parts together");
        self.reporter.push(file, diagnostic);
        true
    }

    fn add_source(&mut self, source: Arc<SourceFile>) -> u32 {
        self.staging.files.push(source);
        (self.staging.files.len() - 1) as u32
    }

    fn add_text(&mut self, name: &str, text: String) {
        let source = SourceFile::new(name, text);
        let file = self.add_source(Arc::clone(&source));
        FileReader::new(&mut self.staging, &mut self.reporter, &source, file)
            .with_header_row(self.options.header_row)
            .with_fast_path(self.streaming.fast)
            .read(source.text());
    }
}

/// A diagnostic in a sheet names its cell: `(Sheet1!C7)` after the message
/// and before each label.
fn name_cells(diagnostic: &mut Diagnostic, sheets: &[(Arc<SourceFile>, SheetText)]) {
    let Some((_, sheet)) = sheets
        .iter()
        .find(|(source, _)| Arc::ptr_eq(source, &diagnostic.source))
    else {
        return;
    };
    let mut first = true;
    for label in &mut diagnostic.labels {
        if let Some(cell) = sheet.cell_at(label.span.start) {
            if first {
                diagnostic.message = format!("{} ({cell})", diagnostic.message);
                first = false;
            }
            label.message = format!("{cell}: {}", label.message);
        }
    }
}
