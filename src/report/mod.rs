//! Reports: diagnostics and check results rendered for people and programs:
//! the terminal table, JSON, Markdown, a self-contained HTML page with
//! charts, and an Excel workbook; and writing any of them to a file.

mod build;
pub(crate) mod catalogue;
pub mod chart;
pub mod coverage;
pub(crate) mod data_coverage;
pub(crate) mod describe;
pub mod diagnostics;
pub mod group;
pub mod html;
mod json;
pub mod markdown;
pub(crate) mod outcome;
pub mod table;
pub mod words;
pub mod xlsx;

use std::io::Write;
use std::path::Path;

pub use json::{json, json_of, write_json_of, write_json_threads};

/// Writes a file whole or not at all: into a temporary file beside it,
/// then renamed over it, so a reader never sees half a report and a failed
/// run leaves the old one.
///
/// ```
/// let path = std::env::temp_dir().join(format!("zhibiao-doc-{}.json", std::process::id()));
/// zhibiao::report::write_atomic(&path, b"{}").unwrap();
/// zhibiao::report::write_atomic(&path, b"{\"schema\": 1}").unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"{\"schema\": 1}");
/// std::fs::remove_file(&path).unwrap();
/// ```
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".to_string());
    let temporary = directory.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    match written.and_then(|()| std::fs::rename(&temporary, path)) {
        Ok(()) => Ok(()),
        Err(error) => {
            let _ = std::fs::remove_file(&temporary);
            Err(error)
        }
    }
}

/// Escapes text for HTML and SVG.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_file() {
        let directory = std::env::temp_dir().join(format!("zhibiao-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&directory).unwrap();
        let path = directory.join("r.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let left: Vec<_> = std::fs::read_dir(&directory).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
        std::fs::remove_dir_all(&directory).unwrap();
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }
}
