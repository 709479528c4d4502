//! zhibiao (指标): a rule language for the quantified targets of policy
//! documents. Rules compile once into an immutable [`Program`], which
//! checks any number of datasets.
//!
//! ```
//! let rules = "
//! scope 日照市
//! indicator 县域就诊率: %
//! rule 县域就诊率 >= 90% by 2025 source \"二(一)3\"
//! ";
//! let program = zhibiao::compile(rules, "rizhao.rules").expect("rules compile");
//! let data = zhibiao::data::Dataset::from_csv_str(
//!     "data.csv",
//!     "地区,年份,指标,值\n日照市,2025,县域就诊率,91.2\n",
//! )
//! .expect("data loads");
//! let report = program.check(&data, &zhibiao::CheckOptions::default());
//! assert_eq!(report.outcomes[0].status, zhibiao::Status::Pass);
//! assert_eq!(report.outcomes[0].actual.as_deref(), Some("91.2%"));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod check;
#[cfg(feature = "cli")]
mod cli;
mod code;
mod compile;
pub mod data;
pub mod diag;
mod draft;
mod eval;
#[cfg(feature = "cli")]
mod front;
mod ir;
#[cfg(feature = "cli")]
mod lsp;
pub mod name;
mod phrase;
#[cfg(feature = "cli")]
mod repl;
pub mod report;
pub mod sql;
mod syntax;
pub mod unit;
mod vocab;

#[cfg(feature = "cli")]
pub use cli::run;
pub use compile::format::{format, Phrasing};
pub use compile::{
    compile, compile_paths, compile_paths_with, compile_with, limits, outline, CompileOptions,
    FileResolver, Resolved, Resolver,
};
pub use draft::{draft, Draft};
pub use eval::progress;
pub use eval::{CheckOptions, Coverage, Gap, Status, DEFAULT_TOLERANCE, REPORT_SCHEMA};
pub use ir::{BenchmarkInfo, DocumentInfo, Program, RuleInfo, ScopeIr, SetKind, Timing};
pub use report::catalogue::{Catalogue, IndicatorEntry, RuleEntry};
pub use report::data_coverage::coverage;
pub use report::outcome::{
    AbsentIndicator, DataCoverage, EntityWithoutRows, Outcome, Point, ProgressReport, Report,
    RuleRef, Summary, UnreadIndicator, Verdict, EXIT_BAD_INPUT, EXIT_MET, EXIT_MISSED,
    EXIT_UNJUDGED,
};
