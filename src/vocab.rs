//! The words of the language that more than one stage names: statement
//! and clause keywords, function names and the sets relative to the entity
//! being checked. The grammar (`grammar/zhibiao.pest`) spells them too; this
//! is where the parser's hints, the checker and the printers find them.

/// Words that always begin a statement at column 0: the splitter starts a
/// new statement at one even inside an unclosed bracket, and the REPL
/// reads typed text that starts with one as statements.
pub const STATEMENT_KEYWORDS: &[&str] = &[
    "document",
    "import",
    "tiers",
    "scope",
    "indicator",
    "benchmark",
    "group",
    "rule",
];

/// The ASCII keywords of the language, in the order completion offers them.
pub const KEYWORDS: &[&str] = &[
    "document",
    "title",
    "issued",
    "baseline",
    "period",
    "import",
    "tiers",
    "scope",
    "each",
    "under",
    "indicator",
    "aka",
    "number",
    "ratio",
    "grade",
    "rule",
    "by",
    "in",
    "from",
    "to",
    "since",
    "for",
    "source",
    "owner",
    "tags",
    "binding",
    "expected",
    "missing",
    "as",
    "fail",
    "or",
    "and",
    "not",
    "between",
    "never",
    "rises",
    "falls",
    "year",
    "where",
    "better",
    "worse",
    "than",
    "lower",
    "higher",
    "benchmark",
    "group",
];

/// The functions a condition or expression can call.
pub const FUNCTIONS: &[&str] = &[
    "change", "growth", "cagr", "avg", "sum", "min", "max", "all", "any", "share", "count",
    "progress", "rank", "top",
];

/// The set of the entity's children.
pub const CHILDREN: &str = "下级";
/// The set of all entities below the entity.
pub const DESCENDANTS: &str = "下属";
/// The entity's parent, read with `@ 上级`.
pub const PARENT: &str = "上级";
/// The entity and its siblings of the same tier (roots, for a root).
pub const PEERS: &str = "同级";
#[cfg(feature = "cli")]
/// The names relative to the entity being checked.
pub const RELATIVE: &[&str] = &[PARENT, CHILDREN, DESCENDANTS, PEERS];
