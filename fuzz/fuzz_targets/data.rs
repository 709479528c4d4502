//! Fuzzes loading data files and rendering their diagnostics.
#![no_main]

// Each target uses one of the shared entries.
#[allow(dead_code)]
#[path = "../entries.rs"]
mod entries;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| entries::data(bytes));
