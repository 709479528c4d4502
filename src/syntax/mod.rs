//! From text to syntax tree: split the file into statements, parse each
//! with the pest grammar in `grammar/zhibiao.pest`, and build spanned nodes.
//! A statement that does not parse gives one diagnostic; the others are
//! still read.

pub mod ast;
mod build;
mod errors;
pub mod split;

use std::num::NonZeroUsize;
use std::sync::{Arc, Once};

use pest::Parser as _;

use crate::diag::{Code, Diagnostic, SourceFile};
use ast::File;
use build::Builder;

/// How deep brackets may nest in one statement.
pub const MAX_NESTING: usize = 64;

/// How many operators (`+ - * /`, a leading `-`, `not`) one statement may
/// have. Each can add a level to the syntax tree, which later stages walk
/// recursively; with brackets limited too, no rule can exhaust a stack.
pub const MAX_OPERATORS: usize = 256;

/// The pest parser generated from the grammar.
#[derive(pest_derive::Parser)]
#[grammar = "../grammar/zhibiao.pest"]
pub struct Grammar;

/// A backstop against pathological backtracking: no statement may make the
/// parser call more rules than this.
fn limit_calls() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| pest::set_call_limit(NonZeroUsize::new(20_000_000)));
}

/// Parses a whole rule file. Diagnostics come back beside the tree of
/// every statement that parsed.
pub fn parse_file(source: &Arc<SourceFile>) -> (File, Vec<Diagnostic>) {
    limit_calls();
    let text = source.text();
    let mut file = File::default();
    let mut diagnostics = Vec::new();
    for range in split::statements(text) {
        let statement_text = &text[range.clone()];
        if let Some(diagnostic) = check_nesting(source, range.start, statement_text) {
            diagnostics.push(diagnostic);
            continue;
        }
        match Grammar::parse(Rule::statement_input, statement_text) {
            Ok(mut pairs) => {
                if let Some(diagnostic) = check_operators(source, range.start, pairs.clone()) {
                    diagnostics.push(diagnostic);
                    continue;
                }
                let Some(statement) = pairs.next().and_then(|input| input.into_inner().next())
                else {
                    continue;
                };
                let mut builder = Builder {
                    source,
                    base: range.start,
                    diagnostics: &mut diagnostics,
                    given: Vec::new(),
                };
                if let Some(statement) = builder.statement(statement) {
                    file.statements.push(statement);
                }
            }
            Err(error) => diagnostics.push(errors::syntax_error(
                source,
                range.start,
                statement_text,
                error,
            )),
        }
    }
    (file, diagnostics)
}

/// The operator past `MAX_OPERATORS`, if any. `flatten` walks the parse
/// tree without recursion.
fn check_operators(
    source: &Arc<SourceFile>,
    base: usize,
    pairs: pest::iterators::Pairs<'_, Rule>,
) -> Option<Diagnostic> {
    let operator = pairs
        .flatten()
        .filter(|pair| {
            matches!(
                pair.as_rule(),
                Rule::neg | Rule::kw_not | Rule::add_op | Rule::mul_op
            )
        })
        .nth(MAX_OPERATORS)?;
    let span = operator.as_span();
    Some(
        Diagnostic::error(
            source,
            Code::TooComplex,
            base + span.start()..base + span.end(),
            format!("more than {MAX_OPERATORS} operators in one statement"),
            "one operator too many",
        )
        .with_help("split the expression into simpler rules"),
    )
}

fn check_nesting(source: &Arc<SourceFile>, base: usize, text: &str) -> Option<Diagnostic> {
    split::too_deep(text, MAX_NESTING).map(|at| {
        Diagnostic::error(
            source,
            Code::TooDeep,
            base + at..base + at + 1,
            format!("brackets nest more than {MAX_NESTING} levels deep"),
            "this bracket is too deep",
        )
        .with_help("split the expression into simpler rules")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_examples_parse() {
        for path in [
            "tests/language/rizhao-example.rules",
            "tests/language/tiers-example.rules",
        ] {
            let text = std::fs::read_to_string(path).unwrap();
            let source = SourceFile::new(path, text);
            let (file, diagnostics) = parse_file(&source);
            for d in &diagnostics {
                eprintln!("{:?}", miette::Report::new(d.clone()));
            }
            assert!(diagnostics.is_empty());
            eprintln!("{} statements", file.statements.len());
        }
    }
}
