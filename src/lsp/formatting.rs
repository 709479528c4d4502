//! Formatting through `zhibiao fmt`'s formatter: the whole document as one
//! edit (editors work out the smaller changes themselves), no edit when it
//! is already canonical. A document that does not compile is not formatted,
//! as `zhibiao fmt` leaves such a file alone: the reply is empty and the
//! reason goes to the client's log, since its diagnostics already show why.

use lsp_types::{DocumentFormattingParams, Range, TextEdit};

use super::position::LineIndex;
use super::workspace::Workspace;
use crate::diag::Severity;

/// What formatting a document gave.
pub enum Formatted {
    /// The edits to make; none when the document is already canonical.
    Edits(Vec<TextEdit>),
    /// Not formatted, and why, for the log.
    Not(String),
}

/// Formats an open document.
pub fn formatting(workspace: &Workspace, params: &DocumentFormattingParams) -> Formatted {
    let uri = &params.text_document.uri;
    let Some(text) = workspace.get(uri).map(|analysis| &analysis.own().text) else {
        return Formatted::Not(format!("{} is not open", uri.as_str()));
    };
    match workspace.format(uri) {
        None => Formatted::Not(format!("{} is not open", uri.as_str())),
        Some(Err(diagnostics)) => {
            let errors = diagnostics
                .iter()
                .filter(|diagnostic| diagnostic.severity == Severity::Error)
                .count();
            Formatted::Not(format!(
                "not formatted: {} has {errors} error{}; fix {} first",
                uri.as_str(),
                if errors == 1 { "" } else { "s" },
                if errors == 1 { "it" } else { "them" },
            ))
        }
        Some(Ok(formatted)) if formatted == *text => Formatted::Edits(Vec::new()),
        Some(Ok(formatted)) => {
            let index = LineIndex::new(text);
            let whole = Range::new(index.position(0), index.position(text.len()));
            Formatted::Edits(vec![TextEdit::new(whole, formatted)])
        }
    }
}
