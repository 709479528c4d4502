//! What both front ends, the command line and the REPL, share: their exit
//! codes and the wording of counts. It sits below both so neither imports
//! the other for it.

/// The exit codes of `check` (README, "Exit codes"); they live with the
/// verdict that chooses them.
pub use crate::report::outcome::EXIT_BAD_INPUT;

/// `s` unless there is one.
pub fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}
