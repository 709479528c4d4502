//! Collecting diagnostics over all files, with a limit per file and kind.

use std::collections::HashMap;

use indexmap::IndexMap;

use crate::diag::{Code, Diagnostic};

/// Collects diagnostics, at most [`Reporter::LIMIT`] of one code per file,
/// then counts the rest into one more.
#[derive(Debug, Default, Clone)]
pub(crate) struct Reporter {
    shown: Vec<(u32, Diagnostic)>,
    counts: HashMap<(u32, Code), usize>,
    hidden: IndexMap<(u32, Code), (usize, Diagnostic)>,
}

impl Reporter {
    /// How many diagnostics of one code a file shows.
    pub const LIMIT: usize = 100;

    /// Records a diagnostic in a file.
    pub fn push(&mut self, file: u32, diagnostic: Diagnostic) {
        let count = self.counts.entry((file, diagnostic.code)).or_insert(0);
        *count += 1;
        if *count <= Self::LIMIT {
            self.shown.push((file, diagnostic));
        } else {
            self.hidden
                .entry((file, diagnostic.code))
                .or_insert((0, diagnostic))
                .0 += 1;
        }
    }

    /// How many diagnostics were recorded, shown or not.
    pub fn count(&self) -> usize {
        self.counts.values().sum()
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.shown
            .iter()
            .any(|(_, diagnostic)| diagnostic.is_error())
    }

    /// Every diagnostic, in file order and then position order.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut all = self.shown;
        for ((file, code), (count, first)) in self.hidden {
            let kind = if first.is_error() { "error" } else { "warning" };
            let plural = if count == 1 { "" } else { "s" };
            let span = first
                .labels
                .first()
                .map_or(0..0, |label| label.span.clone());
            let summary = Diagnostic {
                message: format!("{count} more `{code}` {kind}{plural} in this file"),
                labels: Vec::new(),
                help: Some(format!(
                    "only the first {} of each kind are shown; fix those and load again",
                    Self::LIMIT
                )),
                ..first
            }
            .with_label(span, "the first of them");
            all.push((file, summary));
        }
        all.sort_by_key(|(file, diagnostic)| {
            (
                *file,
                diagnostic
                    .labels
                    .first()
                    .map_or(0, |label| label.span.start),
            )
        });
        all.into_iter().map(|(_, diagnostic)| diagnostic).collect()
    }
}
