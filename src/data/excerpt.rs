//! Excerpts of loaded files kept for diagnostics made after loading (the
//! coverage section's "no rule reads `县域就珍率`" points at its header cell):
//! the lines those diagnostics point into, every other line emptied, so line
//! and column numbers stay true while a 30 MB file costs a few hundred KB.
//! The excerpt ends a few lines after the last line kept (those a snippet
//! shows around it): the lines after it are not counted, so a file whose
//! indicators are all named near its top costs as little however long it is.

use std::ops::Range;
use std::sync::Arc;

use crate::diag::SourceFile;

/// A place in a file: its index and a byte span.
pub(crate) type Place = Option<(u32, Range<usize>)>;

/// The line breaks kept after the last line kept: a snippet shows one line
/// around its span, a host may show a few.
const AFTER: usize = 3;

/// An excerpt being made, line by line down the file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Excerpt {
    kept: String,
    /// Line breaks in `kept`: the excerpt's lines so far.
    breaks: usize,
    /// The last kept line: its start and end in the file, and its start in
    /// the excerpt.
    line: (usize, usize, usize),
}

impl Excerpt {
    /// Whether a place starts on the line kept last.
    pub fn on_kept_line(&self, start: usize) -> bool {
        !self.kept.is_empty() && start < self.line.1
    }

    /// Keeps `line` (with its line break, if any): it is line `number`
    /// (zero-based) of the file and starts at its byte `start`. Lines are
    /// kept in the file's order.
    pub fn keep(&mut self, number: usize, start: usize, line: &str) {
        self.pad(number);
        self.line = (start, start + line.len(), self.kept.len());
        self.kept.push_str(line);
        self.breaks += usize::from(line.ends_with('\n'));
    }

    /// Where a span on the line kept last is in the excerpt.
    pub fn place(&self, span: &Range<usize>) -> Range<usize> {
        let (start, end, base) = self.line;
        let from = base + (span.start - start);
        let to = base + (span.end.min(end) - start);
        from..to.max(from)
    }

    /// The excerpt of a file of `breaks` line breaks named `name`.
    pub fn finish(mut self, name: &str, breaks: usize) -> Arc<SourceFile> {
        if !self.kept.is_empty() {
            self.pad(breaks.min(self.breaks + AFTER));
        }
        SourceFile::new(name, self.kept)
    }

    fn pad(&mut self, breaks: usize) {
        self.kept.extend(std::iter::repeat_n(
            '\n',
            breaks.saturating_sub(self.breaks),
        ));
        self.breaks = self.breaks.max(breaks);
    }
}

/// Per file, the excerpt keeping the lines of `places`; and each place in
/// its excerpt.
pub(crate) fn excerpts(
    files: &[Arc<SourceFile>],
    places: &[Place],
) -> (Vec<Arc<SourceFile>>, Vec<Place>) {
    let mut moved = vec![None; places.len()];
    let excerpts = files
        .iter()
        .enumerate()
        .map(|(file, source)| {
            let text = source.text();
            let bytes = text.as_bytes();
            let mut wanted: Vec<(usize, &Range<usize>)> = places
                .iter()
                .enumerate()
                .filter_map(|(at, place)| match place {
                    Some((of, span)) if *of as usize == file && span.start < text.len() => {
                        Some((at, span))
                    }
                    _ => None,
                })
                .collect();
            // One walk down the file, place by place, counting line breaks.
            wanted.sort_by_key(|(_, span)| span.start);
            let mut excerpt = Excerpt::default();
            let (mut counted, mut breaks) = (0, 0);
            for (at, span) in wanted {
                if !excerpt.on_kept_line(span.start) {
                    let start = memchr::memrchr(b'\n', &bytes[..span.start]).map_or(0, |at| at + 1);
                    let end = memchr::memchr(b'\n', &bytes[span.start..])
                        .map_or(bytes.len(), |length| span.start + length + 1);
                    breaks += memchr::memchr_iter(b'\n', &bytes[counted..start]).count();
                    counted = start;
                    excerpt.keep(breaks, start, &text[start..end]);
                }
                moved[at] = Some((file as u32, excerpt.place(span)));
            }
            let total = breaks + memchr::memchr_iter(b'\n', &bytes[counted..]).count();
            excerpt.finish(source.name(), total)
        })
        .collect();
    (excerpts, moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_lines_keep_their_line_and_column() {
        let source = SourceFile::new("a.csv", "地区,年份,x\n甲,2024,1\n甲,2025,2\n乙,2024,3\n");
        let at = source.text().find("乙").unwrap();
        let (excerpts, moved) = excerpts(&[Arc::clone(&source)], &[Some((0, at..at + 3)), None]);
        let (file, span) = moved[0].clone().unwrap();
        assert_eq!(moved[1], None);
        let excerpt = &excerpts[file as usize];
        assert_eq!(excerpt.text(), "\n\n\n乙,2024,3\n");
        assert_eq!(excerpt.line_col(span.start), source.line_col(at));
        assert_eq!(&excerpt.text()[span], "乙");
    }

    #[test]
    fn places_in_any_order_on_shared_lines_and_at_the_end() {
        let text = "地区,年份,x\n甲,2024,1\n\n乙,2024,3";
        let source = SourceFile::new("a.csv", text);
        let at = |needle: &str| text.find(needle).unwrap();
        let places = [
            Some((0, at("乙")..at("乙") + 3)),
            Some((0, at("x")..at("x") + 1)),
            Some((0, 0..6)),
            Some((0, text.len()..text.len())),
            Some((1, 0..1)),
        ];
        let (excerpts, moved) = excerpts(&[Arc::clone(&source)], &places);
        assert_eq!(excerpts[0].text(), "地区,年份,x\n\n\n乙,2024,3");
        for (place, moved) in places.iter().zip(&moved).take(3) {
            let (_, span) = moved.clone().unwrap();
            let (_, original) = place.clone().unwrap();
            assert_eq!(
                excerpts[0].line_col(span.start),
                source.line_col(original.start)
            );
            assert_eq!(&excerpts[0].text()[span], &text[original]);
        }
        assert_eq!(moved[3], None);
        assert_eq!(moved[4], None);
    }

    #[test]
    fn the_excerpt_ends_a_few_lines_after_the_last_kept() {
        let text = format!("地区,年份,x\n{}", "乙,2024,3\n".repeat(1000));
        let source = SourceFile::new("a.csv", text);
        let (kept, moved) = excerpts(&[Arc::clone(&source)], &[Some((0, 0..6))]);
        assert_eq!(kept[0].text(), "地区,年份,x\n\n\n\n");
        assert_eq!(moved[0], Some((0, 0..6)));
        let (none, _) = excerpts(&[source], &[None]);
        assert_eq!(none[0].text(), "");
    }
}
