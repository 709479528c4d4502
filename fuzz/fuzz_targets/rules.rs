//! Fuzzes compiling, checking and rendering rule text.
#![no_main]

// Each target uses one of the shared entries.
#[allow(dead_code)]
#[path = "../entries.rs"]
mod entries;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| entries::rules(bytes));
