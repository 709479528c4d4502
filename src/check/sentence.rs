//! Rules written as the policy sentence: the sentence is read against the
//! file's indicators and its document's years (`crate::phrase`), and each
//! target it states is checked as the symbolic rule it stands for, named
//! `NAME·1`, `NAME·2` when there are several.

use super::Checker;
use crate::diag::Diagnostic;
use crate::phrase::{self, Context, Declared, When};
use crate::syntax::ast;

impl Checker<'_> {
    pub(super) fn sentence(&mut self, sentence: &ast::SentenceDecl) {
        let targets = match self.read_sentence(sentence) {
            Ok(targets) => targets,
            Err(problems) => {
                for problem in problems {
                    self.error(problem_diagnostic(self.source, problem));
                }
                return;
            }
        };
        let count = targets.len();
        for (number, target) in targets.into_iter().enumerate() {
            let (rule, name) = sentence_rule(sentence, target, number, count);
            self.rule(&rule, Some(name));
        }
    }

    /// The document's `period` and `baseline`, which sentences read against.
    pub(crate) fn years(&self) -> (Option<(i32, i32)>, Option<i32>) {
        let document = self.document.as_ref();
        (
            document.and_then(|document| document.period),
            document.and_then(|document| document.baseline),
        )
    }

    /// The targets of a sentence, read against this file's declarations.
    pub(crate) fn read_sentence(
        &self,
        sentence: &ast::SentenceDecl,
    ) -> Result<Vec<phrase::Target>, Vec<phrase::Problem>> {
        let mut declared = Vec::new();
        for info in &self.indicators {
            for written in std::iter::once(&info.name).chain(&info.aliases) {
                declared.push(Declared {
                    written,
                    name: &info.name,
                    unit: &info.unit,
                });
            }
        }
        let document = self.document.as_ref();
        let context = Context {
            period: document.and_then(|document| document.period),
            baseline: document.and_then(|document| document.baseline),
            by: sentence.clauses.by,
            in_year: sentence.clauses.in_year,
            from_to: sentence.clauses.from_to,
            each: matches!(sentence.clauses.target, Some(ast::Target::Each { .. })),
        };
        phrase::read(
            &sentence.sentence.value,
            sentence.sentence.span.start,
            &declared,
            &context,
        )
    }
}

/// The symbolic rule one target of a sentence stands for, and its name.
fn sentence_rule(
    sentence: &ast::SentenceDecl,
    target: phrase::Target,
    number: usize,
    count: usize,
) -> (ast::RuleDecl, String) {
    let mut clauses = sentence.clauses.clone();
    match target.when {
        When::Clauses => {}
        When::By(year) => set_time(&mut clauses, Some(year), None, None),
        When::In(year) => set_time(&mut clauses, None, Some(year), None),
        When::Every(from, to) => set_time(&mut clauses, None, None, Some((from, to))),
    }
    if clauses.expected.is_none() && clauses.binding.is_none() {
        clauses.expected = target.expected;
    }
    let base = match &sentence.name {
        Some(name) => name.value.clone(),
        None => sentence
            .sentence
            .value
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    };
    let name = if count > 1 {
        format!("{base}·{}", number + 1)
    } else {
        base
    };
    let rule = ast::RuleDecl {
        name: None,
        condition: target.condition,
        clauses,
        span: sentence.span.clone(),
    };
    (rule, name)
}

/// The sentence's own years replace the time clauses it read them with.
fn set_time(
    clauses: &mut ast::Clauses,
    by: Option<ast::Year>,
    in_year: Option<ast::Year>,
    from_to: Option<(ast::Year, ast::Year)>,
) {
    clauses.by = by;
    clauses.in_year = in_year;
    clauses.from_to = from_to;
}

fn problem_diagnostic(
    source: &std::sync::Arc<crate::diag::SourceFile>,
    problem: phrase::Problem,
) -> Diagnostic {
    Diagnostic::error(
        source,
        problem.code,
        problem.span,
        problem.message,
        problem.label,
    )
    .with_help(problem.help)
}
