//! zhibiao diagnostics as LSP diagnostics, and the quick fix behind each
//! "did you mean": the suggestion replaces the primary label's span, which
//! is the misspelt word itself.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, TextEdit, Uri,
    WorkspaceEdit,
};
use serde_json::json;

use super::position::LineIndex;
use crate::diag::Diagnostic;
use crate::diag::Severity;

/// One diagnostic in the protocol's terms: the primary label's span is
/// the range, the message is followed by that label and the help line as
/// `lint` prints them, other labels are related information, and a
/// did-you-mean suggestion rides along in `data` for the quick fix.
pub fn diagnostic(diagnostic: &Diagnostic, uri: &Uri, index: &LineIndex) -> lsp_types::Diagnostic {
    let primary = diagnostic.labels.first();
    let range = index.range(primary.map_or(0..0, |label| label.span.clone()));
    let mut message = diagnostic.message.clone();
    if let Some(label) = primary.filter(|label| !label.message.is_empty()) {
        message.push('\n');
        message.push_str(&label.message);
    }
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .labels
        .iter()
        .skip(1)
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), index.range(label.span.clone())),
            message: label.message.clone(),
        })
        .collect();
    lsp_types::Diagnostic {
        range,
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        source: Some("zhibiao".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        data: diagnostic
            .help
            .as_deref()
            .and_then(suggestion)
            .map(|suggestion| json!({ "suggestion": suggestion })),
        ..lsp_types::Diagnostic::default()
    }
}

/// Converts many diagnostics, indexing each file's lines once.
pub fn diagnostics<'a>(
    found: impl IntoIterator<Item = (&'a Diagnostic, Uri)>,
) -> Vec<(Uri, lsp_types::Diagnostic)> {
    let mut indexes: HashMap<*const crate::diag::SourceFile, LineIndex<'a>> = HashMap::new();
    found
        .into_iter()
        .map(|(found, uri)| {
            let index = indexes
                .entry(std::sync::Arc::as_ptr(&found.source))
                .or_insert_with(|| LineIndex::new(found.source.text()));
            let converted = diagnostic(found, &uri, index);
            (uri, converted)
        })
        .collect()
}

/// The name in the help line's "did you mean `X`?", if any.
fn suggestion(help: &str) -> Option<String> {
    let start = help.find("did you mean `")? + "did you mean `".len();
    let length = help[start..].find('`')?;
    Some(help[start..start + length].to_string())
}

/// A quick fix for each diagnostic in the request that has a suggestion.
pub fn code_actions(params: CodeActionParams) -> Vec<CodeActionOrCommand> {
    let uri = params.text_document.uri;
    params
        .context
        .diagnostics
        .into_iter()
        .filter_map(|diagnostic| {
            let suggestion = diagnostic
                .data
                .as_ref()
                .and_then(|data| data.get("suggestion"))
                .and_then(|suggestion| suggestion.as_str())
                .map(str::to_string)?;
            let edit = TextEdit::new(diagnostic.range, suggestion.clone());
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Replace with `{suggestion}`"),
                kind: Some(CodeActionKind::QUICKFIX),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                diagnostics: Some(vec![diagnostic]),
                is_preferred: Some(true),
                ..CodeAction::default()
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies each suggestion to its span and compiles again: the
    /// diagnostic it fixes is gone.
    #[test]
    fn every_did_you_mean_fix_removes_its_diagnostic() {
        let cases = [
            ("indicator 县域就诊率: %\nrule 县域就诊率 >= 90% bye 2025\n", "syntax"),
            ("indicator 县域就诊率: %\nrule 县域就诊律 >= 90%\n", "unknown-indicator"),
            ("indicator 床位数: 张\nrule 床位数 >= 9张以上\n", "unknown-unit"),
            ("indicator 床位数: 张\nrule cagrr(床位数, 2020..2025) >= 5%\n", "unknown-function"),
            (
                "tiers 省级 > 市级 > 县级\nindicator 床位数: 张\nscope each 县极\nrule 床位数 >= 9张\n",
                "unknown-tier",
            ),
            (
                "indicator 等级: grade 二级乙等 < 二级甲等\nrule 等级 >= 二级甲第\n",
                "unknown-grade",
            ),
        ];
        for (text, code) in cases {
            let diagnostics = crate::compile(text, "a.rules").expect_err(code).0;
            let found = diagnostics
                .iter()
                .find(|diagnostic| diagnostic.code == code)
                .unwrap_or_else(|| panic!("no {code} in {diagnostics:?}"));
            let fix = found.help.as_deref().and_then(suggestion).expect(code);
            let span = found.labels[0].span.clone();
            let fixed = format!("{}{fix}{}", &text[..span.start], &text[span.end..]);
            if let Err(after) = crate::compile(&fixed, "a.rules") {
                assert!(
                    after.iter().all(|diagnostic| diagnostic.code != code),
                    "{code}: {fixed} still has {after:?}"
                );
            }
        }
    }

    #[test]
    fn the_suggestion_is_the_first_quoted_name_after_did_you_mean() {
        assert_eq!(
            suggestion("did you mean `个`? `zhibiao units` lists every unit").as_deref(),
            Some("个")
        );
        assert_eq!(suggestion("write `90%`"), None);
    }
}
