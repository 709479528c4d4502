//! Reports: diagnostics and check results rendered for people and programs.

pub mod coverage;
pub mod diagnostics;
pub mod table;

use crate::eval::outcome::Report;

/// The report as stable, pretty-printed JSON (schema in the README).
pub fn json(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|error| {
        format!("{{\"error\":\"cannot write the report as JSON: {error}\"}}")
    })
}
