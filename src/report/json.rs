//! The report as JSON: serde_json's pretty layout, written with the
//! outcomes shared out among threads. Each thread writes a batch of
//! outcomes at the depth they sit at in the whole document, so the batches
//! joined in order are the bytes one writer would give.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

use super::outcome::{Outcome, Report};

/// The report as stable, pretty-printed JSON (schema in the README).
///
/// ```
/// use zhibiao::{data::Dataset, CheckOptions};
///
/// let program = zhibiao::compile("scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2024\n", "a.rules").unwrap();
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,指标,值\n日照市,2023,县域就诊率,89.5\n日照市,2024,县域就诊率,88.6\n").unwrap();
/// let report = program.check(&data, &CheckOptions::default());
/// let json = zhibiao::report::json(&report);
/// assert!(json.contains("\"status\": \"fail\""));
/// // Only some outcomes; the summary still counts them all.
/// let none = zhibiao::report::json_of(&report, &[]);
/// assert!(none.contains("\"outcomes\": []") && none.contains("\"fail\": 1"));
/// ```
pub fn json(report: &Report) -> String {
    let outcomes: Vec<&Outcome> = report.outcomes.iter().collect();
    json_of(report, &outcomes)
}

/// The report's JSON listing only some outcomes (`--status` and the
/// like); the summary still counts everything checked. The example of
/// [`json`] calls it.
pub fn json_of(report: &Report, outcomes: &[&Outcome]) -> String {
    let mut bytes = Vec::new();
    match write_json_of(report, outcomes, &mut bytes) {
        Ok(()) => String::from_utf8(bytes).unwrap_or_default(),
        Err(error) => format!("{{\"error\":\"cannot write the report as JSON: {error}\"}}"),
    }
}

/// Writes [`json_of`] as it is made: a national report runs to tens of
/// megabytes, not worth holding twice. Uses a thread per core.
pub fn write_json_of(
    report: &Report,
    outcomes: &[&Outcome],
    out: &mut impl Write,
) -> io::Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    write_json_threads(report, outcomes, threads, out)
}

/// Outcomes a thread writes at a time: a few megabytes of JSON, so what is
/// held beside the report stays small.
const BATCH: usize = 2048;

/// [`write_json_of`] on `threads` threads (at least one): the same bytes
/// whatever the number.
///
/// ```
/// use zhibiao::{data::Dataset, CheckOptions};
///
/// let program = zhibiao::compile("scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2024\n", "a.rules").unwrap();
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,指标,值\n日照市,2024,县域就诊率,88.6\n").unwrap();
/// let report = program.check(&data, &CheckOptions::default());
/// let outcomes: Vec<_> = report.outcomes.iter().collect();
/// let mut one = Vec::new();
/// zhibiao::report::write_json_threads(&report, &outcomes, 1, &mut one).unwrap();
/// assert_eq!(String::from_utf8(one).unwrap(), zhibiao::report::json(&report));
/// ```
pub fn write_json_threads(
    report: &Report,
    outcomes: &[&Outcome],
    threads: usize,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut top = Top::new(out)?;
    top.field("schema", &report.schema)?;
    top.field("as_of", &report.as_of)?;
    top.field("summary", &report.summary)?;
    if let Some(verdict) = &report.verdict {
        top.field("verdict", verdict)?;
    }
    if let Some(coverage) = &report.data_coverage {
        top.field("data_coverage", coverage)?;
    }
    top.key("outcomes")?;
    outcome_array(outcomes, threads.max(1), &mut top.out)?;
    if report.budget_exceeded {
        top.field("budget_exceeded", &true)?;
    }
    top.end()
}

/// The members of the report's object, one per line as serde_json lays
/// them out.
struct Top<'w, W> {
    out: &'w mut W,
    first: bool,
}

impl<'w, W: Write> Top<'w, W> {
    fn new(out: &'w mut W) -> io::Result<Self> {
        out.write_all(b"{")?;
        Ok(Top { out, first: true })
    }

    fn key(&mut self, key: &str) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"\n  " } else { b",\n  " })?;
        self.first = false;
        serde_json::to_writer(&mut *self.out, key)?;
        self.out.write_all(b": ")
    }

    fn field(&mut self, key: &str, value: &impl Serialize) -> io::Result<()> {
        self.key(key)?;
        write_at(value, 1, &mut *self.out)
    }

    fn end(self) -> io::Result<()> {
        self.out.write_all(if self.first { b"}" } else { b"\n}" })
    }
}

/// The outcomes as the array at depth 1, batch by batch: this thread
/// writes the first batch of each round straight out while the others
/// write theirs into buffers.
fn outcome_array(outcomes: &[&Outcome], threads: usize, out: &mut impl Write) -> io::Result<()> {
    if outcomes.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    for (round, chunk) in outcomes.chunks(BATCH * threads).enumerate() {
        let mut batches = chunk.chunks(BATCH);
        let Some(first) = batches.next() else {
            continue;
        };
        std::thread::scope(|scope| {
            let others: Vec<_> = batches
                .map(|batch| {
                    scope.spawn(move || {
                        let mut buffer = Vec::new();
                        write_batch(batch, false, &mut buffer).map(|()| buffer)
                    })
                })
                .collect();
            write_batch(first, round == 0, &mut *out)?;
            for other in others {
                let buffer = other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
                out.write_all(&buffer)?;
            }
            Ok::<(), io::Error>(())
        })?;
    }
    out.write_all(b"\n  ]")
}

/// Outcomes as elements of the array at depth 1; `leading` when the batch
/// starts the array (no comma before it).
fn write_batch(batch: &[&Outcome], leading: bool, out: &mut impl Write) -> io::Result<()> {
    for (index, outcome) in batch.iter().enumerate() {
        out.write_all(if leading && index == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        write_at(outcome, 2, &mut *out)?;
    }
    Ok(())
}

/// `value` in serde_json's pretty layout, as if nested `depth` levels deep.
fn write_at(value: &impl Serialize, depth: usize, out: &mut impl Write) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Nested::at(depth));
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// serde_json's `PrettyFormatter` (two spaces) starting at a depth.
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn at(depth: usize) -> Self {
        Nested {
            depth,
            has_value: false,
        }
    }

    fn indent(&self, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
        for _ in 0..self.depth {
            out.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            out.write_all(b"\n")?;
            self.indent(out)?;
        }
        out.write_all(bracket)
    }

    fn element(&mut self, out: &mut (impl Write + ?Sized), first: bool) -> io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(out)
    }
}

impl Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.element(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.element(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::outcome::{DataCoverage, Summary, Verdict};
    use crate::CheckOptions;

    /// The report as serde_json's own pretty printer writes it.
    fn reference(report: &Report, outcomes: &[&Outcome]) -> String {
        #[derive(Serialize)]
        struct Shown<'a> {
            schema: u32,
            as_of: Option<i32>,
            summary: &'a Summary,
            #[serde(skip_serializing_if = "Option::is_none")]
            verdict: Option<&'a Verdict>,
            #[serde(skip_serializing_if = "Option::is_none")]
            data_coverage: Option<&'a DataCoverage>,
            outcomes: &'a [&'a Outcome],
            #[serde(skip_serializing_if = "std::ops::Not::not")]
            budget_exceeded: bool,
        }
        serde_json::to_string_pretty(&Shown {
            schema: report.schema,
            as_of: report.as_of,
            summary: &report.summary,
            verdict: report.verdict.as_ref(),
            data_coverage: report.data_coverage.as_ref(),
            outcomes,
            budget_exceeded: report.budget_exceeded,
        })
        .unwrap()
    }

    fn written(report: &Report, outcomes: &[&Outcome], threads: usize) -> String {
        let mut bytes = Vec::new();
        write_json_threads(report, outcomes, threads, &mut bytes).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    fn report(budget: Option<u64>) -> Report {
        let rules = "scope 日照市\ntiers 市级 > 县级\nindicator 县域就诊率: %\n\
                     rule 县域就诊率 >= 90% by 2024\n\
                     rule 县域就诊率 rises each year from 2022 to 2024 for each 县级\n";
        let mut csv = String::from("地区,上级,年份,指标,值\n");
        for county in 0..(BATCH * 4 + 7) {
            for year in 2022..=2024 {
                csv.push_str(&format!(
                    "县{county},日照市,{year},县域就诊率,{}\n",
                    80 + county % 13
                ));
            }
        }
        let program = crate::compile(rules, "a.rules").unwrap();
        let data = crate::data::Dataset::from_csv_str("data.csv", &csv).unwrap();
        let options = CheckOptions {
            budget,
            ..CheckOptions::default()
        };
        program.check(&data, &options)
    }

    #[test]
    fn every_thread_count_writes_serde_jsons_bytes() {
        let mut report = report(None);
        report.verdict = Some(report.summary.verdict(false, 0));
        let outcomes: Vec<&Outcome> = report.outcomes.iter().collect();
        assert!(outcomes.len() > BATCH * 4, "several rounds of batches");
        let expected = reference(&report, &outcomes);
        for threads in [1, 2, 3, 8] {
            assert!(
                written(&report, &outcomes, threads) == expected,
                "{threads} threads"
            );
        }
        // A few outcomes, none, and a spent budget.
        assert_eq!(
            written(&report, &outcomes[..3], 2),
            reference(&report, &outcomes[..3])
        );
        assert_eq!(written(&report, &[], 2), reference(&report, &[]));
        let spent = report_with_spent_budget();
        let outcomes: Vec<&Outcome> = spent.outcomes.iter().collect();
        assert_eq!(written(&spent, &outcomes, 2), reference(&spent, &outcomes));
    }

    fn report_with_spent_budget() -> Report {
        let report = report(Some(10));
        assert!(report.budget_exceeded);
        report
    }
}
