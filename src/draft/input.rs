//! A document's bytes to text: `.txt` and `.md` in UTF-8 (with or without
//! a byte-order mark) or GBK, `.docx` as its paragraphs and table cells,
//! one a line. The input is untrusted: sizes are capped before anything is
//! decoded or inflated, and a `.docx` is read from its one XML part with a
//! cap on what that part inflates to, so a zip bomb stops at the cap.

use std::io::{Cursor, Read};
use std::sync::Arc;

use encoding_rs::GBK;
use quick_xml::events::Event;

use crate::diag::{Code, Diagnostic, SourceFile};

/// The largest document read, as given (16 MiB).
pub const MAX_INPUT: usize = 16 << 20;
/// The most a `.docx`'s text part may inflate to (32 MiB).
pub const MAX_INFLATED: u64 = 32 << 20;

/// The formats `zhibiao draft` reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Docx,
}

impl Format {
    /// The format of a file name, or `None` for one not read.
    pub fn of(name: &str) -> Option<Format> {
        let extension = name
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase());
        match extension.as_deref() {
            Some("txt") => Some(Format::Text),
            Some("md" | "markdown") => Some(Format::Markdown),
            Some("docx") => Some(Format::Docx),
            _ => None,
        }
    }
}

/// The document's text, or the coded diagnostic saying why it cannot be read.
pub fn read(name: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let file = SourceFile::new(name, "");
    let Some(format) = Format::of(name) else {
        return Err(whole(
            &file,
            Code::DraftFormat,
            "not a document zhibiao drafts from",
            "give a .txt (UTF-8 or GBK), .md or .docx file; save a .doc or .pdf as one of them",
        ));
    };
    if bytes.len() > MAX_INPUT {
        return Err(whole(
            &file,
            Code::DraftTooLarge,
            &format!(
                "the document is {} bytes, more than the limit of {MAX_INPUT}",
                bytes.len()
            ),
            "split the document, or draft the part with the targets",
        ));
    }
    let text = match format {
        Format::Text | Format::Markdown => decode(&file, bytes)?,
        Format::Docx => docx(&file, bytes)?,
    };
    if text.chars().all(char::is_whitespace) {
        return Err(whole(
            &file,
            Code::DraftEmpty,
            "the document has no text",
            "give the document's text; a scanned page needs OCR first",
        ));
    }
    Ok(text)
}

fn whole(file: &Arc<SourceFile>, code: Code, message: &str, help: &str) -> Diagnostic {
    Diagnostic::error(
        file,
        code,
        0..0,
        format!("{}: {message}", file.name()),
        message,
    )
    .with_help(help)
}

/// UTF-8 (a byte-order mark dropped), else GBK; a NUL or a byte neither
/// decodes is an error, since a binary file is no document.
fn decode(file: &Arc<SourceFile>, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => match GBK.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(text) => text.into_owned(),
            None => {
                return Err(whole(
                    file,
                    Code::DraftEncoding,
                    "the document is neither UTF-8 nor GBK text",
                    "save it as UTF-8 text",
                ))
            }
        },
    };
    if text.contains('\0') {
        return Err(whole(
            file,
            Code::DraftEncoding,
            "the document holds NUL bytes: a binary file, not text",
            "save it as UTF-8 text",
        ));
    }
    Ok(text)
}

/// The text of `word/document.xml`: each paragraph (table cells are
/// paragraphs too) a line, tabs and breaks kept.
fn docx(file: &Arc<SourceFile>, bytes: &[u8]) -> Result<String, Diagnostic> {
    let not_docx = |why: &str| {
        whole(
            file,
            Code::DraftDocx,
            &format!("not a readable .docx: {why}"),
            "open it in a word processor and save it again as .docx",
        )
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_docx("not a zip archive"))?;
    let part = archive
        .by_name("word/document.xml")
        .map_err(|_| not_docx("it has no word/document.xml"))?;
    let mut xml = Vec::new();
    // One byte past the cap tells a part at the cap from one beyond it,
    // whatever size the archive claims.
    part.take(MAX_INFLATED + 1)
        .read_to_end(&mut xml)
        .map_err(|_| not_docx("word/document.xml does not inflate"))?;
    if xml.len() as u64 > MAX_INFLATED {
        return Err(whole(
            file,
            Code::DraftTooLarge,
            &format!("word/document.xml inflates to more than {MAX_INFLATED} bytes"),
            "split the document, or draft the part with the targets",
        ));
    }
    paragraphs(&xml).ok_or_else(|| not_docx("word/document.xml is not well-formed XML"))
}

/// WordprocessingML to lines: `w:t` is text, `w:tab` a tab, `w:br` and
/// the end of `w:p` a line break.
fn paragraphs(xml: &[u8]) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut text = String::new();
    let mut in_text = false;
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer).ok()? {
            Event::Start(tag) if tag.local_name().as_ref() == b"t" => in_text = true,
            Event::End(tag) => match tag.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => text.push('\n'),
                _ => {}
            },
            Event::Empty(tag) => match tag.local_name().as_ref() {
                b"tab" => text.push('\t'),
                b"br" | b"cr" => text.push('\n'),
                _ => {}
            },
            Event::Text(content) if in_text => {
                text.push_str(&content.decode().ok()?);
            }
            Event::GeneralRef(reference) if in_text => {
                let name = reference.decode().ok()?;
                let resolved = match name.as_ref() {
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "amp" => "&".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    other => {
                        let code = other.strip_prefix('#')?;
                        let value = match code.strip_prefix('x') {
                            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                            None => code.parse().ok()?,
                        };
                        char::from_u32(value)?.to_string()
                    }
                };
                text.push_str(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_cells_are_lines() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>到2025年，</w:t></w:r><w:r><w:t>就诊率&gt;90%</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#;
        assert_eq!(
            paragraphs(xml.as_bytes()).unwrap(),
            "到2025年，就诊率>90%\nA\nB\n"
        );
    }

    #[test]
    fn gbk_reads_and_binary_does_not() {
        let (gbk, _, _) = GBK.encode("到2025年，县域就诊率保持在90%以上。");
        assert_eq!(
            read("a.txt", &gbk).unwrap(),
            "到2025年，县域就诊率保持在90%以上。"
        );
        let error = read("a.txt", b"\x00\x01\x02").unwrap_err();
        assert_eq!(error.code, Code::DraftEncoding);
        assert_eq!(read("a.pdf", b"x").unwrap_err().code, Code::DraftFormat);
        assert_eq!(read("a.md", b" \n").unwrap_err().code, Code::DraftEmpty);
        assert_eq!(read("a.docx", b"PK no").unwrap_err().code, Code::DraftDocx);
    }
}
