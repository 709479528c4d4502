//! Reports: diagnostics and check results rendered for people and programs.

pub mod diagnostics;
