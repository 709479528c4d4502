//! zhibiao: a rule language for quantified policy targets.

mod check;
pub mod compile;
pub mod diag;
pub mod syntax;
pub mod unit;

pub use compile::program::Program;
pub use compile::{compile, compile_paths};
pub use diag::{Diagnostic, Diagnostics};
pub mod cli;
pub mod data;
pub mod eval;
pub mod report;
pub mod repl;
