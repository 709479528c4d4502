//! `file:` URIs to paths and back. Editors send percent-encoded UTF-8
//! (`file:///rules/%E6%97%A5%E7%85%A7.rules`); rule files are named by
//! their paths, so imports resolve relative to them.

use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use lsp_types::Uri;

/// The path of a `file:` URI; `None` for other schemes (an unsaved buffer).
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path` names a host; only the local one is readable.
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = decode(path)?;
    let text = String::from_utf8(bytes).ok()?;
    // `file:///C:/rules` on Windows.
    let text = match text.as_bytes() {
        [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() && cfg!(windows) => {
            text[1..].to_string()
        }
        _ => text,
    };
    Some(PathBuf::from(text))
}

/// The `file:` URI of a path, `.` and `..` resolved.
pub fn from_path(path: &Path) -> Option<Uri> {
    let path = normalize(path);
    let text = path.to_str()?.replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~:".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    Uri::from_str(&uri).ok()
}

/// A path with `.` dropped and `..` taking off the component before it,
/// without asking the file system: `rules/../common.rules` names the same
/// file as `common.rules` does, and is the same open document.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = text.get(at + 1..at + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_chinese_and_spaces_round_trip() {
        let path = Path::new("/规则 文件/日照.rules");
        let uri = from_path(path).unwrap();
        assert_eq!(
            uri.as_str(),
            "file:///%E8%A7%84%E5%88%99%20%E6%96%87%E4%BB%B6/%E6%97%A5%E7%85%A7.rules"
        );
        assert_eq!(to_path(&uri).unwrap(), path);
    }

    #[test]
    fn dots_are_resolved_without_the_file_system() {
        assert_eq!(
            normalize(Path::new("/a/rules/./../common.rules")),
            Path::new("/a/common.rules")
        );
        assert_eq!(normalize(Path::new("../x.rules")), Path::new("../x.rules"));
    }

    #[test]
    fn other_schemes_and_bad_escapes_have_no_path() {
        assert_eq!(
            to_path(&Uri::from_str("untitled:Untitled-1").unwrap()),
            None
        );
        assert_eq!(decode("/a%2"), None);
        assert_eq!(decode("/a%zz"), None);
    }
}
