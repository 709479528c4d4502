//! What the SQL generator works with: a value (`Val`), the year it is
//! evaluated in (`Year`), the joins and bound columns of one `SELECT`
//! level (`Level`), and the state kept across rules (`Gen`).
//!
//! Every `SELECT` level has the as-of row as `a` and, when its year is a
//! column, the year row as `yr`; reading another entity, year or a set
//! adds a join to the level (`Level`), deduplicated by what it reads.

use std::collections::{BTreeMap, HashMap};

use super::bind::Binds;
use super::dialect::Dialect;
use super::Names;
use crate::ir::Module;

/// A value: the number and its state.
pub(crate) struct Val {
    pub v: String,
    pub k: String,
}

/// The year an expression is evaluated in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Year {
    /// The year column `yr.y` of the current level, plus an offset
    /// (`-1` for the year before, as `growth(X)` reads it).
    Row(i32),
    /// A year written in the rule.
    Lit(i32),
}

impl Year {
    /// The year of the current row.
    pub const ROW: Year = Year::Row(0);

    pub(super) fn sql(self) -> String {
        match self {
            Year::Row(0) => "yr.y".to_string(),
            Year::Row(offset) if offset < 0 => format!("(yr.y - {})", -offset),
            Year::Row(offset) => format!("(yr.y + {offset})"),
            Year::Lit(year) => year.to_string(),
        }
    }

    /// The year `by` years later (earlier when negative).
    pub(super) fn shift(self, by: i32) -> Year {
        match self {
            Year::Row(offset) => Year::Row(offset + by),
            Year::Lit(year) => Year::Lit(year + by),
        }
    }
}

/// The joins of one `SELECT` level.
#[derive(Default)]
pub(crate) struct Level {
    pub joins: Vec<String>,
    aliases: HashMap<String, String>,
    /// Whether a set read in this level needs the year rows.
    pub uses_row_year: bool,
    /// The columns computed once, for a rule's own rows (not a set's).
    pub binds: Option<Binds>,
}

impl Level {
    /// A rule's rows, whose values and truths are bound to columns.
    pub fn binding() -> Level {
        Level {
            binds: Some(Binds::default()),
            ..Level::default()
        }
    }

    /// The alias of a join already in the level.
    pub fn alias_of(&self, key: &str) -> Option<String> {
        self.aliases.get(key).cloned()
    }

    /// The column holding `sql` when the level binds, else `sql`.
    pub fn bind(&mut self, sql: String) -> String {
        match &mut self.binds {
            Some(binds) => binds.bind(sql),
            None => sql,
        }
    }
}

/// A construct the SQL form cannot express, named for the diagnostic.
pub(crate) struct Unsupported(pub String);

/// A declared indicator the query reads: its names, first found wins.
pub(crate) struct Decl {
    pub names: Vec<String>,
}

/// What the generator keeps across rules.
pub(crate) struct Gen<'a> {
    pub dialect: Dialect,
    pub names: &'a Names,
    pub tolerance: f64,
    /// Read indicators by program-wide number.
    pub decls: BTreeMap<usize, Decl>,
    /// Attributes compared in filters; the as-of row counts each one's rows.
    pub attributes: Vec<String>,
    counter: usize,
    /// The module being compiled and the number of its first indicator.
    pub(super) module: Option<&'a Module>,
    pub(super) decl_base: usize,
}

pub(crate) type Out<T> = Result<T, Unsupported>;

impl<'a> Gen<'a> {
    pub fn new(dialect: Dialect, names: &'a Names, tolerance: f64) -> Self {
        Gen {
            dialect,
            names,
            tolerance,
            decls: BTreeMap::new(),
            attributes: Vec::new(),
            counter: 0,
            module: None,
            decl_base: 0,
        }
    }

    /// Compiles the rules of `module` next; its indicators are numbered
    /// from `base`.
    pub fn enter(&mut self, module: &'a Module, base: usize) {
        self.module = Some(module);
        self.decl_base = base;
    }

    pub fn num(&self, value: f64) -> String {
        self.dialect.number(value)
    }

    fn alias(&mut self) -> String {
        self.counter += 1;
        format!("j{}", self.counter)
    }

    /// The alias of a join, added to the level unless it is there already.
    pub(super) fn join(
        &mut self,
        level: &mut Level,
        key: String,
        join: impl FnOnce(&str) -> String,
    ) -> String {
        if let Some(alias) = level.aliases.get(&key) {
            return alias.clone();
        }
        let alias = self.alias();
        level.joins.push(join(&alias));
        level.aliases.insert(key, alias.clone());
        alias
    }
}
