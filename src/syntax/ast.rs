//! The syntax tree of a rule file. Every node keeps its byte span in the
//! file, so later stages can point at it.

use std::ops::Range;

/// A byte range in the source file.
pub type Span = Range<usize>;

/// A name as written (quotes 「」 removed) and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

/// A string literal with escapes resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// A four-digit year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Year {
    pub value: i32,
    pub start: usize,
    pub end: usize,
}

impl Year {
    pub fn span(&self) -> Span {
        self.start..self.end
    }
}

/// `Y1..Y2`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearSpan {
    pub from: Year,
    pub to: Year,
}

impl YearSpan {
    pub fn span(&self) -> Span {
        self.from.start..self.to.end
    }
}

/// A parsed rule file: its statements in order.
#[derive(Debug, Clone, Default)]
pub struct File {
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone)]
pub enum Statement {
    Document(DocumentDecl),
    Import(Text),
    Tiers(Vec<Name>),
    Scope(Target),
    Indicator(IndicatorDecl),
    Benchmark(BenchmarkDecl),
    Group(GroupDecl),
    Rule(Box<RuleDecl>),
    /// A rule written as the policy sentence, read once declarations are known.
    Sentence(Box<SentenceDecl>),
}

/// `benchmark NAME = VALUE [source "…"]`.
#[derive(Debug, Clone)]
pub struct BenchmarkDecl {
    pub name: Name,
    pub value: Expr,
    pub source: Option<Text>,
}

/// `group NAME: A, B, C`.
#[derive(Debug, Clone)]
pub struct GroupDecl {
    pub name: Name,
    pub members: Vec<Name>,
}

/// `document "ID" { … }`.
#[derive(Debug, Clone)]
pub struct DocumentDecl {
    pub id: Text,
    pub title: Option<Text>,
    pub issued: Option<Text>,
    pub baseline: Option<Year>,
    pub period: Option<YearSpan>,
    pub span: Span,
}

/// Where rules are checked: one entity, or every entity of a tier.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Entity(Name),
    Each { tier: Name, under: Option<Name> },
}

/// `indicator NAME[, NAME…]: UNIT [aka ALIAS, …]`.
#[derive(Debug, Clone)]
pub struct IndicatorDecl {
    pub names: Vec<Name>,
    pub unit: UnitSpec,
    pub aliases: Vec<Name>,
    /// `better lower` or `better higher`, and where.
    pub better: Option<(Better, Span)>,
}

/// Which way an indicator improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Lower,
    Higher,
}

impl Better {
    pub fn word(self) -> &'static str {
        match self {
            Better::Lower => "lower",
            Better::Higher => "higher",
        }
    }

    /// The other way.
    pub fn flip(self) -> Better {
        match self {
            Better::Lower => Better::Higher,
            Better::Higher => Better::Lower,
        }
    }
}

#[derive(Debug, Clone)]
pub enum UnitSpec {
    Number,
    Ratio { first: Name, second: Name },
    Grade { values: Vec<Name>, span: Span },
    Written { text: String, span: Span },
}

/// `rule ["NAME"] CONDITION CLAUSE…`.
#[derive(Debug, Clone)]
pub struct RuleDecl {
    pub name: Option<Text>,
    pub condition: Cond,
    pub clauses: Clauses,
    pub span: Span,
}

/// `rule ["NAME"] SENTENCE CLAUSE…`, or a sentence alone at column 0: the
/// document's text, read into targets by `crate::phrase` once the file's
/// indicators are known.
#[derive(Debug, Clone)]
pub struct SentenceDecl {
    pub name: Option<Text>,
    /// The sentence as written, trailing white space left out.
    pub sentence: Text,
    pub clauses: Clauses,
    pub span: Span,
}

/// The clauses of a rule; each appears at most once.
#[derive(Debug, Clone, Default)]
pub struct Clauses {
    pub by: Option<Year>,
    pub in_year: Option<Year>,
    pub from_to: Option<(Year, Year)>,
    pub since: Option<Year>,
    pub target: Option<Target>,
    pub source: Option<Text>,
    pub owner: Option<Text>,
    pub tags: Option<Vec<Text>>,
    pub binding: Option<Span>,
    pub expected: Option<Span>,
    pub missing_as_fail: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
    Ne,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Ge => "≥",
            CmpOp::Gt => ">",
            CmpOp::Le => "≤",
            CmpOp::Lt => "<",
            CmpOp::Eq => "=",
            CmpOp::Ne => "≠",
        }
    }

    /// Whether `left OP right` holds for canonical values. Values equal to
    /// within a billionth (relative) are equal: the same figure written in
    /// `%`, `‰` or `/10万`, or computed by a `cagr`, may differ in its last
    /// binary digit, and no published figure is that precise.
    pub fn holds(self, left: f64, right: f64) -> bool {
        let equal = left == right || (left - right).abs() <= 1e-9 * left.abs().max(right.abs());
        match self {
            CmpOp::Ge => left > right || equal,
            CmpOp::Gt => left > right && !equal,
            CmpOp::Le => left < right || equal,
            CmpOp::Lt => left < right && !equal,
            CmpOp::Eq => equal,
            CmpOp::Ne => !equal,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Rises,
    Falls,
}

#[derive(Debug, Clone)]
pub enum Trend {
    /// `rises each year`: strictly.
    EachYear,
    /// `never falls`: non-strictly.
    Never,
    /// `rises by >= 0.5pp each year`.
    Step { op: CmpOp, amount: Expr },
}

/// A condition: something that holds or not.
#[derive(Debug, Clone)]
pub struct Cond {
    pub kind: CondKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum CondKind {
    Or(Vec<Cond>),
    And(Vec<Cond>),
    Not(Box<Cond>),
    Compare {
        left: Expr,
        op: CmpOp,
        op_span: Span,
        right: Expr,
    },
    Between {
        value: Expr,
        low: Expr,
        high: Expr,
    },
    Approx {
        value: Expr,
        center: Expr,
        tolerance: Option<Expr>,
    },
    Trend {
        value: Expr,
        direction: Direction,
        trend: Trend,
    },
    /// `X better than Y` (`strict`) or `X not worse than Y`.
    Better {
        left: Expr,
        strict: bool,
        words: Span,
        right: Expr,
    },
    /// An expression where a condition was expected; only valid where the
    /// checker can give it meaning (a set name in an aggregate).
    Bare(Expr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }
}

/// An expression: something with a value.
#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    /// A number with the unit written right after it.
    Quantity {
        number: f64,
        unit: Option<WrittenUnit>,
    },
    Name(Name),
    /// A string, compared with attributes in `where` filters.
    Text(Text),
    Call {
        function: Name,
        args: Vec<Arg>,
    },
    At {
        value: Box<Expr>,
        at: AtTarget,
    },
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    Neg(Box<Expr>),
    /// A parenthesised condition used as a value.
    Paren(Box<Cond>),
}

/// The unit written after a number.
#[derive(Debug, Clone, PartialEq)]
pub enum WrittenUnit {
    /// `%`, `个`, `/10万`, `人/千人`.
    Word { text: String, span: Span },
    /// `1:0.55`: the second term.
    Ratio { second: f64, span: Span },
}

#[derive(Debug, Clone)]
pub enum AtTarget {
    Year(Year),
    Entity(Name),
}

/// An argument of a function call.
#[derive(Debug, Clone)]
pub enum Arg {
    Span(YearSpan),
    /// `SET under ENTITY`, `SET where FILTER` or both.
    Filtered {
        set: Name,
        under: Option<Name>,
        filter: Option<Cond>,
    },
    Cond(Cond),
}

impl Arg {
    pub fn span(&self) -> Span {
        match self {
            Arg::Span(span) => span.span(),
            Arg::Filtered { set, under, filter } => {
                let end = match (filter, under) {
                    (Some(filter), _) => filter.span.end,
                    (None, Some(under)) => under.span.end,
                    (None, None) => set.span.end,
                };
                set.span.start..end
            }
            Arg::Cond(cond) => cond.span.clone(),
        }
    }
}
