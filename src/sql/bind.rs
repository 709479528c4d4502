//! Each value, state and truth of a rule's rows computed once, as a
//! column, and referred to by name wherever it is used again.
//!
//! Written out in full, the three-valued logic repeats its parts: "all
//! must hold" names each part twice, a state is tested and then returned,
//! and a trend reads each year's value in two steps. Nested, the text of a
//! truth grows with the square of its depth or worse, and Spark's analyser
//! grows faster than the text. So a rule's rows are built in stages: the
//! first reads every value from the joins, and each later stage works out
//! what depends only on earlier stages' columns. Every stage is a derived
//! table named `yr` that carries all earlier columns (`yr.*`) and the
//! entity and year (`yr.entity`, `yr.y`), with the as-of row joined again
//! as `a`, so that `yr.y`, `a.y` and a bound column `yr.nK` mean the same
//! in every stage.

use std::collections::HashMap;

/// The stages of one rule's rows; see the module comment.
#[derive(Default)]
pub(crate) struct Binds {
    /// Per stage, its columns: the name and the SQL computing it.
    stages: Vec<Vec<(String, String)>>,
    /// The bound column of each SQL text bound so far.
    by_text: HashMap<String, String>,
    /// The stage of each bound column, by its number (`yr.n3` is 3).
    stage_of: Vec<usize>,
}

/// Texts this short are left as they are: a literal state, a column.
const SHORT: usize = 24;

impl Binds {
    /// The column holding `sql`'s value, or `sql` itself when it is short
    /// or reads both join columns and bound columns (which no one stage
    /// has; the caller checks the rows for such texts).
    pub fn bind(&mut self, sql: String) -> String {
        if sql.len() <= SHORT {
            return sql;
        }
        if let Some(name) = self.by_text.get(&sql) {
            return name.clone();
        }
        let latest = bound_columns(&sql)
            .filter_map(|column| self.stage_of.get(column).copied())
            .max();
        let stage = match (reads_joins(&sql), latest) {
            (true, Some(_)) => return sql,
            (_, None) => 0,
            (false, Some(latest)) => latest + 1,
        };
        if self.stages.len() <= stage {
            self.stages.resize_with(stage + 1, Vec::new);
        }
        let column = format!("n{}", self.stage_of.len());
        let name = format!("yr.{column}");
        self.stages[stage].push((column, sql.clone()));
        self.stage_of.push(stage);
        self.by_text.insert(sql, name.clone());
        name
    }

    /// The rows: `first` is the first stage's `FROM … WHERE …` (reading
    /// `yr.entity`, `yr.y`, `a` and the joins), `columns` the rows' own
    /// columns over the last stage.
    pub fn rows(&self, first: &str, columns: &str) -> String {
        let list = |stage: &[(String, String)]| -> String {
            stage
                .iter()
                .map(|(name, sql)| format!(", {sql} AS {name}"))
                .collect()
        };
        let mut stages = self.stages.iter();
        let bound = stages.next().map_or_else(String::new, |stage| list(stage));
        let mut query = format!("SELECT yr.entity AS entity, yr.y AS y{bound} {first}");
        for stage in stages {
            query = format!(
                "SELECT yr.*{} FROM ({query}) yr CROSS JOIN params a",
                list(stage)
            );
        }
        format!("SELECT {columns} FROM ({query}) yr CROSS JOIN params a")
    }
}

/// The numbers of the bound columns (`yr.n12` is 12) a text refers to.
fn bound_columns(sql: &str) -> impl Iterator<Item = usize> + '_ {
    sql.match_indices("yr.n").filter_map(move |(at, _)| {
        let digits = sql[at + 4..].bytes().take_while(u8::is_ascii_digit).count();
        let before = sql[..at].bytes().next_back();
        let word_start = !before.is_some_and(|byte| byte.is_ascii_alphanumeric() || byte == b'_');
        word_start
            .then(|| sql[at + 4..at + 4 + digits].parse().ok())
            .flatten()
    })
}

/// Whether a text refers to a join's column, which only the first stage
/// can read: an alias `j12.` (the generator names every join so), outside
/// a string literal.
pub(crate) fn reads_joins(sql: &str) -> bool {
    let bytes = sql.as_bytes();
    let mut quoted = false;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte == b'\'' {
            quoted = !quoted;
        } else if !quoted
            && byte == b'j'
            && (at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_'))
        {
            let digits = bytes[at + 1..]
                .iter()
                .take_while(|byte| byte.is_ascii_digit())
                .count();
            if digits > 0 && bytes.get(at + 1 + digits) == Some(&b'.') {
                return true;
            }
        }
        at += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_bound_once_in_the_stage_after_what_it_reads() {
        let mut binds = Binds::default();
        let value = binds.bind("(CASE WHEN j1.v6 IS NOT NULL THEN 0 ELSE 3 END)".to_string());
        assert_eq!(value, "yr.n0");
        let again = binds.bind("(CASE WHEN j1.v6 IS NOT NULL THEN 0 ELSE 3 END)".to_string());
        assert_eq!(again, "yr.n0");
        let composite = binds.bind(format!("(CASE WHEN {value} > 0 THEN {value} ELSE 1 END)"));
        assert_eq!(composite, "yr.n1");
        assert_eq!(binds.stage_of[1], 1);
        // Short texts and texts reading both kinds stay as they are.
        assert_eq!(binds.bind("0".to_string()), "0");
        let mixed = format!("(CASE WHEN j2.parent IS NULL THEN 4 ELSE {composite} END)");
        assert_eq!(binds.bind(mixed.clone()), mixed);
        let rows = binds.rows("FROM t yr CROSS JOIN params a", "yr.n1 AS t");
        assert_eq!(
            rows,
            "SELECT yr.n1 AS t FROM (SELECT yr.*, (CASE WHEN yr.n0 > 0 THEN yr.n0 ELSE 1 END) AS n1 FROM \
             (SELECT yr.entity AS entity, yr.y AS y, (CASE WHEN j1.v6 IS NOT NULL THEN 0 ELSE 3 END) AS n0 \
             FROM t yr CROSS JOIN params a) yr CROSS JOIN params a) yr CROSS JOIN params a"
        );
    }

    #[test]
    fn join_columns_are_told_from_literals_and_other_names() {
        assert!(reads_joins("j12.v3 > 0"));
        assert!(!reads_joins("'j1.x' = yr.n1"));
        assert!(!reads_joins("maj1.x"));
        assert!(!reads_joins("yr.n1 + a.y"));
        let columns: Vec<usize> = bound_columns("yr.n1 + yr.n22 - ayr.n3").collect();
        assert_eq!(columns, [1, 22]);
    }
}
