//! The diagnostics of a sentence that cannot be read: what was found, what
//! was expected, and the nearest reading as help.

use super::super::tokens::Number;
use super::super::Problem;
use super::Reader;
use crate::diag::Code;
use crate::syntax::ast::{CmpOp, Span};

pub(super) fn no_target(reader: &Reader<'_>, span: Span) -> Problem {
    Problem {
        code: Code::SentenceNoTarget,
        span: reader.base + span.start..reader.base + span.end,
        message: "no declared indicator with a target in this sentence".into(),
        label: "no target read here".into(),
        help: help_with_nearest(reader, &reader.text[span]),
    }
}

pub(super) fn no_indicator(reader: &Reader<'_>, span: &Span) -> Problem {
    let word = &reader.text[span.clone()];
    Problem {
        code: Code::SentenceNoIndicator,
        span: reader.base + span.start..reader.base + span.end,
        message: format!("found a target `{word}` but no declared indicator it applies to"),
        label: "whose target?".into(),
        help: help_with_nearest(reader, reader.text),
    }
}

/// Help naming the declared indicator nearest to the sentence's words.
pub(super) fn help_with_nearest(reader: &Reader<'_>, text: &str) -> String {
    let nearest = reader
        .indicators
        .iter()
        .map(|declared| (declared.written, overlap(text, declared.written)))
        .filter(|(_, score)| *score > 0.3)
        .max_by(|a, b| a.1.total_cmp(&b.1));
    match nearest {
        Some((name, _)) => format!("the nearest declared indicator is `{name}`; write its name in the sentence, or declare the document's wording with `aka`"),
        None => "declare the indicator the sentence is about (`indicator NAME: UNIT aka WORDING`)".into(),
    }
}

/// The share of a name's characters found in the text, in order.
pub(super) fn overlap(text: &str, name: &str) -> f64 {
    let mut rest = text;
    let mut found = 0usize;
    let total = name.chars().count().max(1);
    for c in name.chars() {
        if let Some(at) = rest.find(c) {
            found += 1;
            rest = &rest[at + c.len_utf8()..];
        }
    }
    found as f64 / total as f64
}

pub(super) fn number_text(number: &Number) -> String {
    let value = crate::unit::format_number(number.value);
    match (&number.second, &number.unit) {
        (Some(second), _) => format!("{value}:{}", crate::unit::format_number(*second)),
        (None, Some(unit)) => format!("{value}{unit}"),
        (None, None) => value,
    }
}

pub(super) fn bound_word(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Ge => "不少于",
        CmpOp::Le => "不超过",
        CmpOp::Gt => "超过",
        CmpOp::Lt => "低于",
        _ => "",
    }
}

pub(super) fn suffix_word(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Le | CmpOp::Lt => "以下",
        _ => "以上",
    }
}
