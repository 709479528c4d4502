//! zhibiao: a rule language for quantified policy targets.

pub mod diag;
pub mod unit;
