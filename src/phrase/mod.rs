//! Rules written as the policy sentence (中文规则): `到2025年，县域就诊率保持
//! 在90%以上。` reads as `县域就诊率 >= 90% from 2024 to 2025`. A sentence
//! and the indicators declared for it go in; the targets it states come
//! out as syntax trees, the same ones the symbolic form builds, so both
//! compile to the same rule. `render` writes either form from a tree.
//!
//! The reader is a library piece of its own: it needs only the text, the
//! declared indicators and the document's years.

pub(crate) mod lexicon;
mod reader;
pub mod render;
pub(crate) mod tokens;
mod tree;

use crate::diag::Code;
use crate::syntax::ast::{Cond, Span, Year};
use crate::unit::Unit;

pub use reader::read;

/// A declared indicator as the reader sees it: the name or alias to look
/// for in the text, the declared name, and its unit (a grade's values, and
/// whether a change is in percentage points).
#[derive(Debug, Clone, Copy)]
pub struct Declared<'a> {
    pub written: &'a str,
    pub name: &'a str,
    pub unit: &'a Unit,
}

/// What the sentence reads against: the document's `period` and
/// `baseline`, and the time clauses written after the sentence (a `by YEAR`
/// supplies the deadline a 工作要点 sentence leaves out).
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub period: Option<(i32, i32)>,
    pub baseline: Option<i32>,
    pub by: Option<Year>,
    pub in_year: Option<Year>,
    pub from_to: Option<(Year, Year)>,
    /// Whether a `for each` clause names the entities, so `各市州` in the
    /// sentence says the same and is no `all(下级, …)`.
    pub each: bool,
}

/// When a target read from a sentence is judged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    /// The sentence names no time; the clauses after it stand.
    Clauses,
    By(Year),
    In(Year),
    Every(Year, Year),
}

/// One target of a sentence.
#[derive(Debug, Clone)]
pub struct Target {
    pub condition: Cond,
    pub when: When,
    /// Where 力争 / 争取 made it `expected`.
    pub expected: Option<Span>,
}

/// Why a sentence could not be read: a code, the part not understood,
/// what was expected there, and the nearest reading as help.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub code: Code,
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: String,
}
