//! Byte offsets to and from LSP positions. The protocol counts columns in
//! UTF-16 code units by default: a CJK character is one unit (three bytes
//! in UTF-8), a character outside the Basic Multilingual Plane (𠀀, 😀) is
//! two units (four bytes).

use lsp_types::{Position, Range};

/// The line starts of one text, for converting positions.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes a text's lines.
    pub fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        LineIndex { text, line_starts }
    }

    /// The position of a byte offset; an offset inside a character counts
    /// from that character's start.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let character = self.text[start..]
            .char_indices()
            .take_while(|(at, c)| start + at + c.len_utf8() <= offset)
            .map(|(_, c)| c.len_utf16())
            .sum::<usize>();
        Position::new(to_u32(line), to_u32(character))
    }

    /// The range of a byte span.
    pub fn range(&self, span: std::ops::Range<usize>) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of a position. A line past the end is the end of
    /// the text; a column past the end of its line is the line's end; a
    /// column inside a surrogate pair is the character's start.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.line_starts.get(position.line as usize) else {
            return self.text.len();
        };
        let line_end = self
            .line_starts
            .get(position.line as usize + 1)
            .map_or(self.text.len(), |next| next - 1);
        let mut units = 0;
        for (at, c) in self.text[start..line_end].char_indices() {
            units += c.len_utf16();
            if units > position.character as usize {
                return start + at;
            }
        }
        line_end
    }
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_is_one_unit_and_astral_characters_two() {
        let text = "甲𠀀乙\n😀x";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(x), Position::new(1, 2));
        let yi = text.find('乙').unwrap();
        assert_eq!(index.position(yi), Position::new(0, 3));
        assert_eq!(index.offset(Position::new(0, 3)), yi);
        assert_eq!(index.offset(Position::new(1, 2)), x);
    }

    #[test]
    fn positions_out_of_range_are_clamped() {
        let text = "甲𠀀\nab";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(Position::new(9, 0)), text.len());
        assert_eq!(index.offset(Position::new(0, 99)), text.find('\n').unwrap());
        // Inside the surrogate pair of 𠀀: its start.
        assert_eq!(index.offset(Position::new(0, 2)), 3);
        assert_eq!(index.position(4), Position::new(0, 1));
    }
}
