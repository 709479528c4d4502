//! The integration tests, one module per feature, in one binary so that an
//! edit relinks one test executable rather than one per file.

mod check;
mod codes;
mod compile_meaning;
mod diagnostics;
mod docs;
mod examples;
mod lang;
mod library;
mod lint;
mod phrasing;
mod progress;
mod readme;
mod repl_pty;
mod repl_script;
mod robustness;
mod truth;
