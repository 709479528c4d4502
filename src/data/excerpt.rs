//! Excerpts of loaded files kept for diagnostics made after loading (the
//! coverage section's "no rule reads `县域就珍率`" points at its header cell):
//! the lines those diagnostics point into, every other line emptied, so line
//! and column numbers stay true while a 30 MB file costs a few hundred KB.

use std::ops::Range;
use std::sync::Arc;

use crate::diag::SourceFile;

/// A place in a file: its index and a byte span.
pub(crate) type Place = Option<(u32, Range<usize>)>;

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
            let wanted: Vec<(usize, &Range<usize>)> = places
                .iter()
                .enumerate()
                .filter_map(|(at, place)| match place {
                    Some((of, span)) if *of as usize == file => Some((at, span)),
                    _ => None,
                })
                .collect();
            let mut kept = String::new();
            let mut start = 0;
            for line in text.split_inclusive('\n') {
                let end = start + line.len();
                let here: Vec<&(usize, &Range<usize>)> = wanted
                    .iter()
                    .filter(|(_, span)| (start..end.max(start + 1)).contains(&span.start))
                    .collect();
                if here.is_empty() {
                    if line.ends_with('\n') {
                        kept.push('\n');
                    }
                } else {
                    let base = kept.len();
                    kept.push_str(line);
                    for (at, span) in here {
                        let from = base + (span.start - start);
                        let to = base + (span.end.min(end) - start);
                        moved[*at] = Some((file as u32, from..to.max(from)));
                    }
                }
                start = end;
            }
            SourceFile::new(source.name(), kept)
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
}
