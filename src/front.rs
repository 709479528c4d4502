//! What both front ends, the command line and the REPL, share: their exit
//! codes and the wording of counts. It sits below both so neither imports
//! the other for it.

/// Exit code when a binding target failed.
pub const EXIT_FAILED_TARGETS: u8 = 1;
/// Exit code for errors in rules, data or arguments.
pub const EXIT_BAD_INPUT: u8 = 2;

/// `s` unless there is one.
pub fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}
