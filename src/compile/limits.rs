//! The bounds on what one compile may be asked to do, so that rule text
//! from an untrusted user costs bounded time and memory. Each is checked
//! before the work it bounds, and going past one is a `too-large`,
//! `too-deep` or `too-complex` diagnostic, never a crash.
//!
//! ```
//! use zhibiao::limits::MAX_NESTING;
//!
//! let deep = format!("rule {}1{} > 0\n", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
//! let errors = zhibiao::compile(&deep, "deep.rules").unwrap_err();
//! assert_eq!(errors.0[0].code.as_str(), "too-deep");
//! ```

pub use crate::syntax::{MAX_NESTING, MAX_OPERATORS};

/// The largest rule file, in bytes (an imported one too).
pub const MAX_SOURCE_BYTES: usize = 16 << 20;

/// The most statements in one file.
pub const MAX_STATEMENTS: usize = 100_000;

/// The most rules in one file.
pub const MAX_RULES: usize = 50_000;

/// The most files one compile imports, counting each once.
pub const MAX_IMPORTS: usize = 256;

/// How deep imports may nest (a file importing a file importing …).
pub const MAX_IMPORT_DEPTH: usize = 32;
