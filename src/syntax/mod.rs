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
#[grammar = "../grammar/sentence.pest"]
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
        match parse_statement(statement_text) {
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

/// Parses one statement: symbolic first; a rule whose body is not symbolic
/// (it fails to parse, or is a bare name such as `病例组合指数逐年提升`) and
/// a line at column 0 that is no statement are read as a sentence, unless
/// they hold an ASCII comparison, which only the symbolic form has. Then the
/// symbolic error, which knows about misspelt keywords, is the one shown.
fn parse_statement(
    text: &str,
) -> Result<pest::iterators::Pairs<'_, Rule>, pest::error::Error<Rule>> {
    let symbolic = Grammar::parse(Rule::statement_input, text);
    let rule_like = split::starts_with_keyword(text).is_none_or(|keyword| keyword == "rule");
    if !rule_like || has_ascii_comparison(text) {
        return symbolic;
    }
    let bare = symbolic
        .as_ref()
        .is_ok_and(|pairs| is_bare_rule(pairs.clone()));
    if symbolic.is_ok() && !bare {
        return symbolic;
    }
    // An unclosed string is a symbolic mistake, whatever follows it.
    if text.matches('"').count() % 2 == 1 {
        return symbolic;
    }
    match Grammar::parse(Rule::sentence_input, text) {
        // A sentence states something: a bare name (`rule 县域就诊率 by
        // 2025`, or one typed in the REPL to see its values) is none.
        Ok(pairs)
            if pairs.clone().flatten().any(|pair| {
                pair.as_rule() == Rule::sentence && states_something(pair.as_str())
            }) =>
        {
            Ok(pairs)
        }
        Ok(_) => symbolic,
        Err(error) => symbolic.or(Err(error)),
    }
}

/// Whether a parsed rule's condition is a bare name or number (`20家乡镇卫生院
/// 达到…` reads as one quantity), which is no condition in the symbolic form.
fn is_bare_rule(pairs: pest::iterators::Pairs<'_, Rule>) -> bool {
    let Some(condition) = pairs
        .flatten()
        .find(|pair| pair.as_rule() == Rule::condition)
    else {
        return false;
    };
    !condition.into_inner().flatten().any(|pair| {
        // `创建省级临床重点专科不少于9个(含精品特色专科)` is no call: the
        // language's functions have ASCII names.
        let call = pair.as_rule() == Rule::call
            && pair
                .as_str()
                .split(['(', '（'])
                .next()
                .is_some_and(str::is_ascii);
        call || matches!(
            pair.as_rule(),
            Rule::compare_tail
                | Rule::between_tail
                | Rule::approx_tail
                | Rule::trend_tail
                | Rule::better_tail
                | Rule::add_op
                | Rule::mul_op
                | Rule::at
                | Rule::paren
                | Rule::kw_and
                | Rule::kw_or
                | Rule::kw_not
        )
    })
}

/// Whether text holds something a target is stated with: a number, a
/// year, a bound or verb of the sentence lexicon, punctuation between
/// targets. A bare name (`床位数`) holds none.
fn states_something(text: &str) -> bool {
    let Ok(mut pairs) = Grammar::parse(Rule::phrase, text) else {
        return false;
    };
    pairs.next().is_some_and(|phrase| {
        phrase
            .into_inner()
            .any(|pair| !matches!(pair.as_rule(), Rule::p_other | Rule::EOI))
    })
}

fn has_ascii_comparison(text: &str) -> bool {
    let code = split::strip_comment(text);
    [
        ">=",
        "<=",
        "==",
        "!=",
        " > ",
        " < ",
        " between ",
        " rises ",
        " falls ",
        " never ",
        " better than ",
        " worse than ",
    ]
    .iter()
    .any(|operator| code.contains(operator))
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
