//! Reading a CSV file from disk a chunk at a time, so that a load holds
//! what its rules read rather than the whole file's text. Each chunk ends
//! at a line break; a record that may go on past it (a quoted cell over
//! lines) is carried over to the next chunk whole, so rows, spans and
//! lines are those of reading the whole text at once.
//!
//! The file's text is not kept, so neither are the lines a diagnostic
//! would show. A file is streamed only as long as it reads cleanly: as
//! soon as a row has a problem (or a byte is not UTF-8, which may mean GBK),
//! the loader goes back to before the file and reads it whole, the general
//! way. The lines where indicators are first named are kept as the file is
//! read (the dataset's excerpt of it); the problems found when the dataset
//! is built read the file again (`Staging::source`).

use std::io::Read;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::excerpt::Excerpt;
use super::reader::{FileReader, Start};
use super::records::Records;
use super::reporter::Reporter;
use super::staging::{Staging, Streamed};
use super::LoadOptions;
use crate::diag::SourceFile;

/// How many bytes a chunk has: a few megabytes is as fast as reading the
/// whole file and keeps the buffer small.
pub(crate) const CHUNK: usize = 4 << 20;

/// Why a file could not be streamed, and is to be read whole.
#[derive(Debug)]
pub(crate) struct Unstreamable;

/// How a file is streamed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Streaming {
    /// The bytes of a chunk.
    pub chunk: usize,
    /// Whether chunks are read (from disk, checked as UTF-8, their line
    /// breaks counted) on a thread of their own while rows are read.
    pub threaded: bool,
    /// See `FileReader::with_fast_path`.
    pub fast: bool,
}

impl Default for Streaming {
    fn default() -> Self {
        Streaming {
            chunk: CHUNK,
            threaded: std::thread::available_parallelism().is_ok_and(|cores| cores.get() > 1),
            fast: true,
        }
    }
}

/// One chunk of a file's bytes: whole lines but at its end. `rows` checks
/// that it is UTF-8 with `simdutf8`'s vector check: the standard library's
/// took 2.3 G of the reading thread's 2.6 G instructions on the 232 MB
/// national file.
struct Chunk {
    bytes: Vec<u8>,
    /// Its line breaks.
    breaks: usize,
    /// Whether the file ends with it.
    last: bool,
}

/// The chunks of a file, read in turn.
struct Chunks {
    input: std::fs::File,
    /// The bytes after the last line break read.
    tail: Vec<u8>,
    chunk: usize,
    ended: bool,
}

impl Iterator for Chunks {
    type Item = Result<Chunk, Unstreamable>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.ended {
            return None;
        }
        let mut buffer = Vec::with_capacity(self.chunk.max(self.tail.len() + 1));
        buffer.append(&mut self.tail);
        loop {
            let wanted = self.chunk.max(buffer.len() + 1);
            match fill(&mut self.input, &mut buffer, wanted) {
                Err(error) => {
                    self.ended = true;
                    return Some(Err(error));
                }
                Ok(true) => {
                    self.ended = true;
                    break;
                }
                // A chunk of one line at least.
                Ok(false) => {
                    if let Some(at) = memchr::memrchr(b'\n', &buffer) {
                        self.tail.extend_from_slice(&buffer[at + 1..]);
                        buffer.truncate(at + 1);
                        break;
                    }
                }
            }
        }
        let breaks = memchr::memchr_iter(b'\n', &buffer).count();
        Some(Ok(Chunk {
            bytes: buffer,
            breaks,
            last: self.ended,
        }))
    }
}

/// Streams the file at `path` into `staging` as a new file named `name`.
/// `Err` when it is to be read whole instead: `staging` and `reporter` are
/// then to be restored.
pub(crate) fn read(
    staging: &mut Staging,
    reporter: &mut Reporter,
    path: &Path,
    name: &str,
    options: &LoadOptions,
    streaming: Streaming,
) -> Result<(), Unstreamable> {
    let chunk = streaming.chunk.max(1);
    let mut input = std::fs::File::open(path).map_err(|_| Unstreamable)?;
    let length = input.metadata().map_err(|_| Unstreamable)?.len();
    let mut start = Vec::new();
    fill(&mut input, &mut start, 4)?;
    // A workbook, UTF-16 or GBK is read whole, by the general path.
    if super::sheet::is_workbook(&start) {
        return Err(Unstreamable);
    }
    if start.starts_with(b"\xEF\xBB\xBF") {
        start.drain(..3);
    }
    let chunks = Chunks {
        input,
        tail: start,
        chunk,
        ended: false,
    };
    let source = SourceFile::new(name, "");
    staging.files.push(Arc::clone(&source));
    let file = (staging.files.len() - 1) as u32;
    let mut reader = FileReader::new(staging, reporter, &source, file)
        .with_header_row(options.header_row)
        .with_fast_path(streaming.fast)
        // About 40 bytes a row, as in the national data; only room.
        .with_expected(length as usize / 40, length as usize);
    let lines = if streaming.threaded {
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                for chunk in chunks {
                    if sender.send(chunk).is_err() {
                        break;
                    }
                }
            });
            // Returning drops the receiver: the reading thread stops.
            rows(&mut reader, file, receiver.into_iter())
        })
    } else {
        rows(&mut reader, file, chunks)
    }?;
    staging.streamed.insert(
        file,
        Streamed {
            path: path.to_path_buf(),
            length,
            excerpt: lines.excerpt.finish(name, lines.breaks),
            places: lines.places.into_iter().collect(),
            whole: OnceLock::new(),
        },
    );
    Ok(())
}

/// Reads the rows of the chunks of file `file`; the excerpt it keeps.
fn rows(
    reader: &mut FileReader<'_>,
    file: u32,
    chunks: impl Iterator<Item = Result<Chunk, Unstreamable>>,
) -> Result<Lines, Unstreamable> {
    let before = reader.reported();
    let mut lines = Lines::default();
    let mut reading = None;
    // What is left of the last chunk (a record that goes on), and its
    // line breaks; where it starts in the file's text.
    let (mut carried, mut carried_breaks, mut base) = (Vec::new(), 0, 0);
    for chunk in chunks {
        let Chunk {
            bytes,
            mut breaks,
            last,
        } = chunk?;
        let bytes = if carried.is_empty() {
            bytes
        } else {
            carried.extend_from_slice(&bytes);
            breaks += carried_breaks;
            std::mem::take(&mut carried)
        };
        // A chunk ends at a line break, never inside a character: what is
        // not UTF-8 (GBK, say) is read whole.
        let text = simdutf8::basic::from_utf8(&bytes).map_err(|_| Unstreamable)?;
        let known = reader.staging().indicators.len();
        let mut stopped = false;
        let consumed = match &reading {
            None => match reader.start(text, last) {
                Start::More => 0,
                Start::Stop => {
                    stopped = true;
                    text.len()
                }
                Start::Rows(started, at) => {
                    let mut records = Records::chunk(text, base, last);
                    records.skip_to(at);
                    reader.rows(&started, &mut records);
                    reading = Some(started);
                    records.consumed()
                }
            },
            Some(reading) => {
                let mut records = Records::chunk(text, base, last);
                reader.rows(reading, &mut records);
                records.consumed()
            }
        };
        if reader.reported() != before {
            return Err(Unstreamable);
        }
        lines.keep(reader.staging(), file, known, text, base, last)?;
        let rest = &text[consumed..];
        carried_breaks = memchr::memchr_iter(b'\n', rest.as_bytes()).count();
        lines.count(breaks - carried_breaks, &text.as_bytes()[..consumed]);
        carried.extend_from_slice(rest.as_bytes());
        base += consumed;
        if last || stopped {
            break;
        }
    }
    Ok(lines)
}

/// Reads into `buffer` until it holds `wanted` bytes or the file ends;
/// whether it ended. `read_to_end` of the part wanted fills the buffer's
/// spare room without zeroing it first.
fn fill(
    input: &mut std::fs::File,
    buffer: &mut Vec<u8>,
    wanted: usize,
) -> Result<bool, Unstreamable> {
    let missing = wanted.saturating_sub(buffer.len());
    buffer.reserve(missing);
    let read = input
        .take(missing as u64)
        .read_to_end(buffer)
        .map_err(|_| Unstreamable)?;
    Ok(read < missing)
}

/// The excerpt of a streamed file, made chunk by chunk.
struct Lines {
    excerpt: Excerpt,
    /// Per indicator first named in the file, where in the excerpt.
    places: Vec<(u32, std::ops::Range<usize>)>,
    /// Line breaks before the current chunk.
    breaks: usize,
    /// Whether the current chunk starts a line.
    at_line_start: bool,
}

impl Default for Lines {
    fn default() -> Self {
        Lines {
            excerpt: Excerpt::default(),
            places: Vec::new(),
            breaks: 0,
            at_line_start: true,
        }
    }
}

impl Lines {
    /// Keeps the lines of the indicators first named in `text`, the chunk
    /// at `base` (those after the first `known`).
    fn keep(
        &mut self,
        staging: &Staging,
        file: u32,
        known: usize,
        text: &str,
        base: usize,
        ended: bool,
    ) -> Result<(), Unstreamable> {
        let mut new: Vec<(u32, std::ops::Range<usize>)> = staging.indicator_facts[known..]
            .iter()
            .enumerate()
            .filter_map(|(at, facts)| {
                let first = facts.first.filter(|first| first.file == file)?;
                Some(((known + at) as u32, first.span()))
            })
            .collect();
        new.sort_by_key(|(_, span)| span.start);
        let bytes = text.as_bytes();
        let (mut counted, mut breaks) = (0, self.breaks);
        for (indicator, span) in new {
            let start = span.start - base;
            if !self.excerpt.on_kept_line(span.start) {
                let line = match memchr::memrchr(b'\n', &bytes[..start]) {
                    Some(at) => at + 1,
                    // A line begun in an earlier chunk (after a lone `\r`)
                    // is not there any more.
                    None if base > 0 && !self.at_line_start => return Err(Unstreamable),
                    None => 0,
                };
                let end = match memchr::memchr(b'\n', &bytes[start..]) {
                    Some(length) => start + length + 1,
                    None if ended => text.len(),
                    None => return Err(Unstreamable),
                };
                breaks += memchr::memchr_iter(b'\n', &bytes[counted..line]).count();
                counted = line;
                self.excerpt.keep(breaks, base + line, &text[line..end]);
            }
            self.places.push((indicator, self.excerpt.place(&span)));
        }
        Ok(())
    }

    /// Counts the `breaks` line breaks of the bytes `read`.
    fn count(&mut self, breaks: usize, read: &[u8]) {
        self.breaks += breaks;
        if let Some(&last) = read.last() {
            self.at_line_start = last == b'\n';
        }
    }
}
