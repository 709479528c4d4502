//! CSV records with the byte span of every field, so a diagnostic can point
//! at a cell. RFC 4180: fields separated by `,`, records by `\n`, `\r\n` or
//! `\r`; a field starting with `"` is quoted, `""` inside it is a quote, and it
//! may span lines. A quote never closed, or text after a closing quote, is
//! reported and the reader recovers at the end of that line, so one stray
//! quote cannot swallow the rest of the file.

use std::borrow::Cow;
use std::ops::Range;

/// One field: its text (unquoted) and where it is in the file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field<'t> {
    /// The field's content, without quotes.
    pub text: Cow<'t, str>,
    /// Byte range of the field as written, quotes included.
    pub span: Range<usize>,
}

/// A quoting problem in a record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum QuoteProblem {
    /// A quoted field never closed; the span is its opening quote.
    Unclosed(Range<usize>),
    /// Text after a closing quote; the span is that text.
    TextAfterQuote(Range<usize>),
}

/// Reads records one at a time into a reused buffer.
pub(crate) struct Records<'t> {
    text: &'t str,
    at: usize,
    /// Where `text` starts in the file: spans are the file's.
    base: usize,
    /// Whether the file may go on after `text` (a chunk of it): a record
    /// that reaches the end of `text` is then not read but left whole.
    partial: bool,
}

impl<'t> Records<'t> {
    /// Reads `text`, which must not start with a byte-order mark.
    pub fn new(text: &'t str) -> Self {
        Records {
            text,
            at: 0,
            base: 0,
            partial: false,
        }
    }

    /// Reads a chunk of a file that starts at `base` and starts a record;
    /// `last` when the file ends with it. A record that may go on in the
    /// next chunk is left for it: [`Records::consumed`] says where it
    /// starts.
    pub fn chunk(text: &'t str, base: usize, last: bool) -> Self {
        Records {
            text,
            at: 0,
            base,
            partial: !last,
        }
    }

    /// The bytes of the text read so far: where the next record (or the
    /// blank lines before it) starts.
    pub fn consumed(&self) -> usize {
        self.at
    }

    /// Moves on to `at`, the end of a line read by a caller of its own.
    pub fn skip_to(&mut self, at: usize) {
        self.at = at;
    }

    /// The text being read.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// Reads the next record into `fields`; returns the record's span (line
    /// ending excluded), or `None` at the end. Blank lines are skipped.
    /// Quoting problems are pushed to `problems`.
    pub fn next_record(
        &mut self,
        fields: &mut Vec<Field<'t>>,
        problems: &mut Vec<QuoteProblem>,
    ) -> Option<Range<usize>> {
        fields.clear();
        let text = self.text;
        let bytes = text.as_bytes();
        while self.at < bytes.len() && matches!(bytes[self.at], b'\n' | b'\r') {
            self.at += 1;
        }
        if self.at >= bytes.len() {
            return None;
        }
        let start = self.at;
        let (known_fields, known_problems) = (fields.len(), problems.len());
        loop {
            let open = self.at;
            if bytes.get(open) == Some(&b'"') {
                match closing_quote(bytes, open + 1) {
                    Some((close, escaped)) => {
                        let content = &text[open + 1..close];
                        let mut field = if escaped {
                            Cow::Owned(content.replace("\"\"", "\""))
                        } else {
                            Cow::Borrowed(content)
                        };
                        let tail_end = field_end(bytes, close + 1);
                        if tail_end > close + 1 {
                            problems.push(QuoteProblem::TextAfterQuote(close + 1..tail_end));
                            field.to_mut().push_str(&text[close + 1..tail_end]);
                        }
                        fields.push(Field {
                            text: field,
                            span: open..tail_end,
                        });
                        self.at = tail_end;
                    }
                    None => {
                        problems.push(QuoteProblem::Unclosed(open..open + 1));
                        let end = field_end(bytes, open);
                        fields.push(Field {
                            text: Cow::Borrowed(&text[open..end]),
                            span: open..end,
                        });
                        self.at = end;
                    }
                }
            } else {
                let end = field_end(bytes, open);
                fields.push(Field {
                    text: Cow::Borrowed(&text[open..end]),
                    span: open..end,
                });
                self.at = end;
            }
            if bytes.get(self.at) == Some(&b',') {
                self.at += 1;
            } else {
                break;
            }
        }
        let end = self.at;
        // A record reaching the end of a chunk, or a quote never closed
        // in it, may go on in the next one: it is read from there whole.
        let unclosed = problems[known_problems..]
            .iter()
            .any(|problem| matches!(problem, QuoteProblem::Unclosed(_)));
        if self.partial && (end >= bytes.len() || unclosed) {
            fields.truncate(known_fields);
            problems.truncate(known_problems);
            self.at = start;
            return None;
        }
        if bytes.get(end) == Some(&b'\r') && bytes.get(end + 1) == Some(&b'\n') {
            self.at = end + 2;
        } else if end < bytes.len() {
            self.at = end + 1;
        }
        if self.base > 0 {
            for field in &mut fields[known_fields..] {
                field.span = field.span.start + self.base..field.span.end + self.base;
            }
            for problem in &mut problems[known_problems..] {
                let (QuoteProblem::Unclosed(span) | QuoteProblem::TextAfterQuote(span)) = problem;
                *span = span.start + self.base..span.end + self.base;
            }
        }
        Some(start + self.base..end + self.base)
    }
}

/// Where an unquoted field starting at `from` ends.
fn field_end(bytes: &[u8], from: usize) -> usize {
    memchr::memchr3(b',', b'\n', b'\r', &bytes[from..]).map_or(bytes.len(), |length| from + length)
}

/// The closing quote of a quoted field whose content starts at `from`, and
/// whether the content has doubled quotes.
fn closing_quote(bytes: &[u8], from: usize) -> Option<(usize, bool)> {
    let mut at = from;
    let mut escaped = false;
    loop {
        let quote = at + memchr::memchr(b'"', &bytes[at..])?;
        if bytes.get(quote + 1) == Some(&b'"') {
            escaped = true;
            at = quote + 2;
        } else {
            return Some((quote, escaped));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Record = Vec<(String, Range<usize>)>;

    fn read(text: &str) -> (Vec<Record>, Vec<QuoteProblem>) {
        let mut records = Records::new(text);
        let mut fields = Vec::new();
        let mut problems = Vec::new();
        let mut out = Vec::new();
        while records.next_record(&mut fields, &mut problems).is_some() {
            out.push(
                fields
                    .iter()
                    .map(|field| (field.text.to_string(), field.span.clone()))
                    .collect(),
            );
        }
        (out, problems)
    }

    fn texts(text: &str) -> Vec<Vec<String>> {
        read(text)
            .0
            .into_iter()
            .map(|record| record.into_iter().map(|(text, _)| text).collect())
            .collect()
    }

    #[test]
    fn plain_records_and_line_endings() {
        assert_eq!(texts("a,b\r\n1,2\r\n"), [["a", "b"], ["1", "2"]]);
        assert_eq!(texts("a,b\n\n\n1,2"), [["a", "b"], ["1", "2"]]);
        assert_eq!(texts("a,b\r1,2\r"), [["a", "b"], ["1", "2"]]);
        assert_eq!(texts("a,\n,b,"), vec![vec!["a", ""], vec!["", "b", ""]]);
        assert!(texts("").is_empty());
        assert!(texts("\r\n\n").is_empty());
    }

    #[test]
    fn quoted_fields() {
        assert_eq!(
            texts("\"1,234.5\",\"say \"\"hi\"\"\"\n\"two\nlines\",x"),
            [["1,234.5", "say \"hi\""], ["two\nlines", "x"]]
        );
        let (records, problems) = read("a,\"b\"c,d");
        assert_eq!(records[0][1], ("bc".to_string(), 2..6));
        assert_eq!(problems, [QuoteProblem::TextAfterQuote(5..6)]);
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "地区,年份\r\n日照市,\"2024\"\r\n";
        let (records, _) = read(text);
        let (_, span) = &records[1][0];
        assert_eq!(&text[span.clone()], "日照市");
        let (value, span) = &records[1][1];
        assert_eq!(value, "2024");
        assert_eq!(&text[span.clone()], "\"2024\"");
    }

    #[test]
    fn an_unclosed_quote_spoils_one_line_only() {
        let (records, problems) = read("a,b\n\"x,1\nc,d\n");
        assert_eq!(problems, [QuoteProblem::Unclosed(4..5)]);
        assert_eq!(records.len(), 3);
        assert_eq!(records[1][0].0, "\"x");
        assert_eq!(records[2][0].0, "c");
    }
}
