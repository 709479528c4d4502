//! `zhibiao draft`: the first draft of a new document's rules. The
//! document is read (`input`), normalised (`normalise`), its headings give
//! the section numbers (`sections`) and its head the `document` block
//! (`document`); every sentence stating a quantified or directional target
//! is found (`find`: `rewrite` undoes written forms that hide what is
//! meant, `figures` tells a figure or target word from a name,
//! `grades` names the scale of a grade,
//! `names` cuts out the indicator, `reading` reads the part) and written
//! as a rule in the Chinese phrasing with its guessed indicator
//! declarations (`write`).
//!
//! No word segmenter and no model: the sentence grammar's tokens and the
//! reader of `crate::phrase` over the raw text, plus the lexicons here. The
//! draft compiles: a rule the compiler refuses is moved to the list of
//! sentences not read, so `zhibiao lint` passes on every draft.

mod document;
mod figures;
mod find;
mod grades;
pub(crate) mod input;
mod names;
mod normalise;
mod reading;
mod rewrite;
mod sections;
mod write;

use crate::diag::{Code, Diagnostic};

/// A drafted rule file.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The rule file, in the Chinese phrasing.
    pub rules: String,
    /// The same draft as the JSON of `--format json`.
    pub json: String,
    /// How many targets were drafted.
    pub targets: usize,
}

/// How many times rules the compiler refuses are taken out before giving up.
const REPAIRS: usize = 8;

/// Drafts the rules of the document `name` (its extension says the format).
pub fn draft(name: &str, bytes: &[u8]) -> Result<Draft, Diagnostic> {
    let text = input::read(name, bytes)?;
    let paragraphs = normalise::paragraphs(&text);
    let document = document::read(&paragraphs, stem(name));
    let findings = find::find(&paragraphs, &document);
    let mut found = findings.found;
    let mut unread = findings.unread;
    dedupe(&mut found);
    let mut indicators = indicators(&found);
    for _ in 0..REPAIRS {
        let (rules, lines) = write::rules(&document, name, &indicators, &found, &unread);
        let problems = match crate::compile::compile(&rules, "draft.rules") {
            Ok(program) => program.warnings().to_vec(),
            Err(diagnostics) => diagnostics.0,
        };
        let refused: Vec<usize> = problems
            .iter()
            .filter_map(|problem| {
                let line = problem.line_col().0;
                lines.iter().position(|rule_line| *rule_line == line)
            })
            .collect();
        let conflicting: Vec<&Diagnostic> = problems
            .iter()
            .filter(|problem| problem.code == Code::DirectionConflict)
            .collect();
        if problems.is_empty() || (refused.is_empty() && conflicting.is_empty()) {
            let targets = found.iter().map(|found| found.targets.len()).sum();
            let json = write::json(&document, &found, &unread);
            return Ok(Draft {
                rules,
                json,
                targets,
            });
        }
        if !conflicting.is_empty() {
            // A verb said one way, another target the other: no `better`.
            for index in &refused {
                for indicator in &found[*index].indicators {
                    if let Some(declared) = indicators.iter_mut().find(|d| d.name == indicator.name)
                    {
                        declared.better = None;
                    }
                }
            }
        }
        let errors: Vec<usize> = problems
            .iter()
            .filter(|problem| problem.is_error())
            .filter_map(|problem| {
                lines
                    .iter()
                    .position(|rule_line| *rule_line == problem.line_col().0)
            })
            .collect();
        let mut index = found.len();
        while index > 0 {
            index -= 1;
            if errors.contains(&index) {
                let removed = found.remove(index);
                unread.push(find::Unread {
                    section: removed.section,
                    sentence: removed.sentence,
                    offset: removed.offset,
                });
            }
        }
        if errors.is_empty() && conflicting.is_empty() {
            break;
        }
        indicators.retain(|indicator| {
            found
                .iter()
                .any(|f| f.indicators.iter().any(|i| i.name == indicator.name))
        });
    }
    // What still does not compile is no draft: every rule goes to the list.
    let (rules, _) = write::rules(&document, name, &[], &[], &unread);
    let json = write::json(&document, &[], &unread);
    Ok(Draft {
        rules,
        json,
        targets: 0,
    })
}

fn stem(name: &str) -> &str {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    file.rsplit_once('.').map_or(file, |(stem, _)| stem)
}

/// The same rule text twice is one rule.
fn dedupe(found: &mut Vec<find::Found>) {
    let mut seen = std::collections::HashSet::new();
    found.retain(|found| seen.insert(found.text.clone()));
}

/// One declaration per name, the first guess kept; `better` only where
/// every verb about the indicator agrees.
fn indicators(found: &[find::Found]) -> Vec<reading::Indicator> {
    let mut out: Vec<reading::Indicator> = Vec::new();
    let mut conflicted = Vec::new();
    for indicator in found.iter().flat_map(|found| &found.indicators) {
        match out.iter_mut().find(|known| known.name == indicator.name) {
            Some(known) => {
                if indicator.better.is_some()
                    && known.better.is_some()
                    && known.better != indicator.better
                {
                    conflicted.push(indicator.name.clone());
                }
                known.better = known.better.or(indicator.better);
            }
            None => out.push(indicator.clone()),
        }
    }
    for indicator in &mut out {
        if conflicted.contains(&indicator.name) {
            indicator.better = None;
        }
    }
    out
}

#[cfg(test)]
mod tests;
