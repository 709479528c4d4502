//! The fast path of a projected long file. Most of its rows are values of
//! indicators no rule reads, of the region, parent and attributes of the
//! row before: such a row changes nothing but its year's mark or a missing
//! marker's count. A test of the line's bytes finds these rows before any
//! field is split into the row's list; every other row (a new region, a
//! kept indicator, a quote, anything a diagnostic could be about) goes the
//! general way, so the outcome is the same either way.

use super::super::cell;
use super::super::records::Records;
use super::{FileReader, Plan, PlanLayout, Shape, MAX_FIELD_BYTES};

impl FileReader<'_> {
    /// Reads the next line of `records` when it is such a row, and then
    /// says so; otherwise leaves it, changing nothing.
    pub(super) fn skipped_line(
        &mut self,
        plan: &Plan,
        shape: &Shape,
        records: &mut Records<'_>,
    ) -> bool {
        let PlanLayout::Long {
            indicator, value, ..
        } = plan.layout
        else {
            return false;
        };
        if self.staging.projection.is_none() {
            return false;
        }
        let text = records.text();
        let start = records.consumed();
        let mut commas = std::mem::take(&mut self.commas);
        let line = plain_line(&text.as_bytes()[start..], &mut commas);
        let read = line.is_some_and(|(length, _)| {
            commas.len() + 1 == shape.width
                && self.skip(
                    plan,
                    indicator,
                    value,
                    &text[start..start + length],
                    &commas,
                )
        });
        self.commas = commas;
        if let (true, Some((_, next))) = (read, line) {
            records.skip_to(start + next);
        }
        read
    }

    /// Reads a plain line of the header's width, split at `commas`, when
    /// reading it in full would change nothing but what `skipped_value`
    /// changes.
    fn skip(
        &mut self,
        plan: &Plan,
        indicator: usize,
        value: usize,
        line: &str,
        commas: &[usize],
    ) -> bool {
        let field = |column: usize| {
            let from = if column == 0 {
                0
            } else {
                commas[column - 1] + 1
            };
            let to = commas.get(column).copied().unwrap_or(line.len());
            &line[from..to]
        };
        // The region of the last row: already named, checked, with a row.
        let entity = match &self.last_entity {
            Some((last, entity)) if last == field(plan.entity) => *entity,
            _ => return false,
        };
        // A parent or attribute that is empty or as the last row gave it
        // for this region is not looked at again.
        let given = |column: usize| {
            let text = field(column);
            let (last_entity, last_text) = &self.last[column];
            (*last_entity == entity && last_text == text) || blank(text)
        };
        if !plan.parent.is_none_or(&given)
            || !plan.attributes.iter().all(|&(column, _)| given(column))
        {
            return false;
        }
        let unnamed_empty = plan
            .unnamed
            .iter()
            .all(|&column| blank(field(column)) || self.unnamed_reported.contains(&column));
        if !unnamed_empty {
            return false;
        }
        let name = field(indicator);
        let id = match &self.last_indicator {
            Some((last, id)) if last == name => *id,
            _ => match self.indicators.get(name) {
                Some(&(id, _)) if !blank(name) => {
                    let last = self.last_indicator.get_or_insert_with(Default::default);
                    last.0.clear();
                    last.0.push_str(name);
                    last.1 = id;
                    id
                }
                _ => return false,
            },
        };
        if self.staging.indicator_facts[id as usize].kept {
            return false;
        }
        // What `parse_year` reads as four digits, without normalising.
        let Some(year) = cell::four_digits(field(plan.year)) else {
            return false;
        };
        self.skipped_value(year as u16, field(value));
        true
    }
}

/// Whether a cell is empty once trimmed, found at its first character
/// that is not white space.
fn blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// The length of the line at the start of `bytes` and where the next one
/// starts, with the places of its commas in `commas`, when it is plain: no
/// quote, no `\r` but before its line break, and a line break at its end
/// (the last line of a file without one is left to the general reader,
/// which knows where the file ends). Eight bytes at a time: a byte at a
/// time was most of reading a national file's rows, and memchr's searches
/// cost more than they save on lines of 40 bytes.
fn plain_line(bytes: &[u8], commas: &mut Vec<usize>) -> Option<(usize, usize)> {
    commas.clear();
    // A line no longer than the longest field: none of its fields is.
    let window = &bytes[..bytes.len().min(MAX_FIELD_BYTES + 1)];
    let words = window.chunks_exact(8);
    let tail = words.remainder();
    for (index, word) in words.enumerate() {
        let mut word_bytes = [0; 8];
        word_bytes.copy_from_slice(word);
        let mut candidates = below_dash(u64::from_le_bytes(word_bytes));
        while candidates != 0 {
            let at = index * 8 + (candidates.trailing_zeros() / 8) as usize;
            if let Some(ended) = special(window, at, commas) {
                return ended;
            }
            candidates &= candidates - 1;
        }
    }
    let start = window.len() - tail.len();
    (start..window.len()).find_map(|at| special(window, at, commas))?
}

/// The high bit of each byte of `word` that may be below `-` (0x2D), as
/// every special byte (`,` `"` `\r` `\n`) is: none is missed, and a byte
/// after one may be marked too (a borrow), to be looked at and passed over.
fn below_dash(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    word.wrapping_sub(ONES * 0x2D) & !word & HIGH
}

/// What the byte at `at` of a line's window means: a comma is noted; a
/// quote, a lone `\r` or an empty line ends with no plain line; a line
/// break ends it; anything else is passed over (`None`).
fn special(window: &[u8], at: usize, commas: &mut Vec<usize>) -> Option<Option<(usize, usize)>> {
    match window[at] {
        b',' => {
            commas.push(at);
            None
        }
        b'"' => Some(None),
        b'\r' => Some(match window.get(at + 1) {
            Some(b'\n') if at > 0 => Some((at, at + 2)),
            _ => None,
        }),
        b'\n' => Some((at > 0).then_some((at, at + 1))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `plain_line` a byte at a time, as the definition reads.
    fn byte_by_byte(bytes: &[u8]) -> Option<(usize, usize, Vec<usize>)> {
        let mut commas = Vec::new();
        for (at, &byte) in bytes.iter().enumerate().take(MAX_FIELD_BYTES + 1) {
            match byte {
                b',' => commas.push(at),
                b'"' => return None,
                b'\r' => {
                    return match bytes.get(at + 1) {
                        Some(b'\n') if at > 0 => Some((at, at + 2, commas)),
                        _ => None,
                    }
                }
                b'\n' => return (at > 0).then_some((at, at + 1, commas)),
                _ => {}
            }
        }
        None
    }

    #[test]
    fn lines_are_found_as_a_byte_at_a_time_finds_them() {
        let long = format!("{},1\n", "甲".repeat(MAX_FIELD_BYTES / 3 + 5));
        let texts: Vec<&[u8]> = vec![
            b"a,b,c\nd",
            b"a,b,c\r\nd",
            b"a,b\rc\n",
            b"a,\"b\",c\n",
            b"a,b,c\n\"",
            b"\n",
            b"\r\n",
            b",,,\n",
            b"a,b,c",
            b"a,b,c\r",
            b"\xe7\x94\xb2,2024,\xe6\x8c\x87,1\n",
            long.as_bytes(),
        ];
        let mut commas = Vec::new();
        for text in texts {
            let fast = plain_line(text, &mut commas).map(|(a, b)| (a, b, commas.clone()));
            assert_eq!(
                fast,
                byte_by_byte(text),
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
        // Lines of the bytes that matter and their neighbours, at every
        // place in a word.
        let alphabet: &[u8] = b",\"\r\n a-.0\x2c\x2d\x00\xe7\x94\xb2";
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let text: Vec<u8> = (0..(state % 41))
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    alphabet[(state % alphabet.len() as u64) as usize]
                })
                .collect();
            let fast = plain_line(&text, &mut commas).map(|(a, b)| (a, b, commas.clone()));
            assert_eq!(fast, byte_by_byte(&text), "{text:?}");
        }
        // The window ends a line just longer than the longest field.
        let mut edge = vec![b'x'; MAX_FIELD_BYTES];
        edge.push(b'\n');
        assert_eq!(
            plain_line(&edge, &mut commas),
            Some((MAX_FIELD_BYTES, MAX_FIELD_BYTES + 1))
        );
        edge.insert(0, b'x');
        assert_eq!(plain_line(&edge, &mut commas), None);
    }
}
