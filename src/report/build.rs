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
        let (evaluation, outcomes) = self.evaluate(data, options, &describe::outcome);
        let mut summary = Summary::default();
        for outcome in &outcomes {
            summary.count(outcome);
        }
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
