//! The integration tests, one module per feature, in one binary so that an
//! edit relinks one test executable rather than one per file.

mod check;
mod codes;
mod compile_meaning;
mod diagnostics;
mod docs;
mod draft;
mod examples;
mod excel;
mod lang;
mod library;
mod lint;
mod lsp;
mod phrasing;
mod progress;
mod projection;
mod readme;
mod repl_pty;
mod repl_script;
mod reports;
mod robustness;
mod sql;
mod truth;
mod untrusted;
