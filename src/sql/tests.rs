//! Unit tests of the SQL generator.
