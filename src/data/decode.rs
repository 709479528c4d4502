//! Bytes to text. Without a forced encoding: a UTF-16 byte-order mark means
//! UTF-16, valid UTF-8 is UTF-8 (a byte-order mark is dropped), anything else
//! is decoded as GBK. Nothing is replaced: a byte that does not decode is an
//! error naming its offset.

use std::borrow::Cow;

use encoding_rs::{DecoderResult, GBK, UTF_16BE, UTF_16LE};

use super::Encoding;

/// A file that does not decode.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DecodeError {
    /// Lowercase, without the file name.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// The file as far as it decoded, the rest with replacement characters,
    /// for the diagnostic's source.
    pub text: String,
    /// Where the first bad byte is in `text`.
    pub at: usize,
}

/// Decodes a data file. Owned bytes that are valid UTF-8 become the text
/// without a copy.
pub(crate) fn decode(
    bytes: Cow<'_, [u8]>,
    forced: Option<Encoding>,
) -> Result<String, DecodeError> {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    match bytes {
        Cow::Owned(bytes) if forced != Some(Encoding::Gbk) && !utf16 => match utf8_owned(bytes) {
            Ok(text) => Ok(text),
            Err(bytes) => decode_slice(&bytes, forced),
        },
        bytes => decode_slice(&bytes, forced),
    }
}

/// Valid UTF-8 (without its byte-order mark) as a string, else the bytes.
fn utf8_owned(mut bytes: Vec<u8>) -> Result<String, Vec<u8>> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let bom = bytes.starts_with(BOM);
    if bom {
        bytes.drain(..BOM.len());
    }
    String::from_utf8(bytes).map_err(|error| {
        let mut bytes = error.into_bytes();
        if bom {
            bytes.splice(0..0, BOM.iter().copied());
        }
        bytes
    })
}

/// Decodes borrowed bytes.
fn decode_slice(bytes: &[u8], forced: Option<Encoding>) -> Result<String, DecodeError> {
    match forced {
        Some(Encoding::Utf8) => {
            utf8(bytes).map_err(|offset| failure(bytes, offset, &bytes[..offset], "utf-8", "gbk"))
        }
        Some(Encoding::Gbk) => gbk(bytes),
        None => {
            if let Some(encoding) = match bytes {
                [0xFF, 0xFE, ..] => Some(UTF_16LE),
                [0xFE, 0xFF, ..] => Some(UTF_16BE),
                _ => None,
            } {
                return utf16(bytes, encoding);
            }
            let utf8_offset = match utf8(bytes) {
                Ok(text) => return Ok(text),
                Err(offset) => offset,
            };
            gbk(bytes).map_err(|_| DecodeError {
                message: format!(
                    "the file is neither UTF-8 nor GBK: byte 0x{:02X} at offset {utf8_offset} is not UTF-8",
                    bytes[utf8_offset]
                ),
                ..failure(bytes, utf8_offset, &bytes[..utf8_offset], "utf-8", "utf-8")
            })
        }
    }
}

/// UTF-8 without its byte-order mark, or the offset of the first bad byte.
fn utf8(bytes: &[u8]) -> Result<String, usize> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(text) => Ok(text.to_string()),
        Err(error) => Err(error.valid_up_to() + (bytes.len() - body.len())),
    }
}

fn gbk(bytes: &[u8]) -> Result<String, DecodeError> {
    let mut decoder = GBK.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok(text),
        DecoderResult::Malformed(bad, after) => {
            let offset = read.saturating_sub(after as usize + bad as usize);
            let prefix = GBK
                .decode_without_bom_handling(&bytes[..offset.min(bytes.len())])
                .0
                .into_owned();
            Err(failure_with_prefix(bytes, offset, prefix, "gbk", "utf-8"))
        }
        DecoderResult::OutputFull => Err(failure(bytes, read, &[], "gbk", "utf-8")),
    }
}

fn utf16(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> Result<String, DecodeError> {
    encoding
        .decode_without_bom_handling_and_without_replacement(&bytes[2..])
        .map(|text| text.into_owned())
        .ok_or_else(|| DecodeError {
            message: format!(
                "the file starts with a {} byte-order mark but does not decode as it",
                encoding.name()
            ),
            help: "save the file as UTF-8 (CSV UTF-8 in a spreadsheet's Save As)".to_string(),
            text: String::from_utf8_lossy(bytes).into_owned(),
            at: 0,
        })
}

fn failure(bytes: &[u8], offset: usize, prefix: &[u8], tried: &str, other: &str) -> DecodeError {
    let prefix = String::from_utf8_lossy(prefix).into_owned();
    failure_with_prefix(bytes, offset, prefix, tried, other)
}

fn failure_with_prefix(
    bytes: &[u8],
    offset: usize,
    prefix: String,
    tried: &str,
    other: &str,
) -> DecodeError {
    let byte = bytes.get(offset).copied().unwrap_or(0);
    let at = prefix.len();
    let mut text = prefix;
    text.push_str(&String::from_utf8_lossy(bytes.get(offset..).unwrap_or(&[])));
    DecodeError {
        message: format!(
            "the file is not valid {tried}: byte 0x{byte:02X} at offset {offset} does not decode"
        ),
        help: format!("check the encoding: try `--encoding {other}`, or save the file as UTF-8"),
        text,
        at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let owned = |bytes: &[u8]| Cow::Owned(bytes.to_vec());
        assert_eq!(decode(owned(b"\xEF\xBB\xBFab"), None).unwrap(), "ab");
        assert_eq!(decode(owned("地区".as_bytes()), None).unwrap(), "地区");
        let (gbk, _, _) = GBK.encode("地区");
        assert_eq!(decode(owned(&gbk), None).unwrap(), "地区");
        let error = decode(owned(b"\xEF\xBB\xBFa\xFF"), Some(Encoding::Utf8)).unwrap_err();
        assert!(error.message.contains("offset 4"), "{}", error.message);
        assert_eq!(decode_slice("地区".as_bytes(), None).unwrap(), "地区");
        assert_eq!(decode_slice(b"\xEF\xBB\xBFab", None).unwrap(), "ab");
        assert_eq!(
            decode_slice(b"\xEF\xBB\xBFab", Some(Encoding::Utf8)).unwrap(),
            "ab"
        );
    }

    #[test]
    fn gbk_is_detected_and_forced() {
        let (bytes, _, _) = GBK.encode("地区,年份\n日照市,2024\n");
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(
            decode_slice(&bytes, None).unwrap(),
            "地区,年份\n日照市,2024\n"
        );
        assert_eq!(
            decode_slice(&bytes, Some(Encoding::Gbk)).unwrap(),
            "地区,年份\n日照市,2024\n"
        );
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "地区,年份".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        assert_eq!(decode_slice(&bytes, None).unwrap(), "地区,年份");
    }

    #[test]
    fn forced_utf8_names_the_first_bad_byte() {
        let (bytes, _, _) = GBK.encode("ab,地区");
        let error = decode_slice(&bytes, Some(Encoding::Utf8)).unwrap_err();
        assert_eq!(
            error.message,
            format!(
                "the file is not valid utf-8: byte 0x{:02X} at offset 3 does not decode",
                bytes[3]
            )
        );
        assert_eq!(error.at, 3);
        assert!(error.text.starts_with("ab,"));
    }

    #[test]
    fn forced_gbk_names_the_first_bad_byte() {
        // 0x81 followed by 0x20 is not a GBK sequence.
        let error = decode_slice(b"ab\x81 cd", Some(Encoding::Gbk)).unwrap_err();
        assert!(error.message.contains("offset 2"), "{}", error.message);
        assert_eq!(error.at, 2);
    }

    #[test]
    fn neither_utf8_nor_gbk() {
        let error = decode_slice(b"ab\xFF\xFF", None).unwrap_err();
        assert!(
            error
                .message
                .starts_with("the file is neither UTF-8 nor GBK"),
            "{}",
            error.message
        );
        assert!(error.message.contains("offset 2"));
    }
}
