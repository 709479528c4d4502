//! A report from an evaluation: every outcome's evidence put into words,
//! and counted.

use crate::data::DataSource;
use crate::eval::{CheckOptions, REPORT_SCHEMA};
use crate::ir::Program;

use super::describe;
use super::outcome::{Report, Summary};

impl Program {
    /// Checks every rule against the data. Performs no I/O.
    pub fn check(&self, data: &dyn DataSource, options: &CheckOptions) -> Report {
        let mut outcomes = Vec::new();
        let mut summary = Summary::default();
        let evaluation = self.evaluate(data, options, &mut |module, rule, evidence| {
            let outcome = describe::outcome(module, rule, evidence);
            summary.count(&outcome);
            outcomes.push(outcome);
        });
        Report {
            schema: REPORT_SCHEMA,
            as_of: evaluation.as_of,
            summary,
            verdict: None,
            data_coverage: None,
            outcomes,
            budget_exceeded: evaluation.budget_exceeded,
        }
    }
}
