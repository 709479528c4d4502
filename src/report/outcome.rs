//! Outcomes and the report: what `check` returns, with a stable JSON form.

use serde::{Deserialize, Serialize};

use crate::data::MarkerCount;
use crate::eval::progress::Assessment;
pub(crate) use crate::eval::Status;
use crate::eval::{Coverage, Gap};

/// The rule an outcome is about. See [`Outcome`] for an example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RuleRef {
    /// The rule's name, or its condition as written.
    pub name: String,
    /// The whole rule as written.
    pub text: String,
    /// The rule file.
    pub file: String,
    /// One-based line in the rule file.
    pub line: usize,
    /// The clause of the document (`source`).
    pub source: Option<String>,
    /// The responsible unit (`owner`).
    pub owner: Option<String>,
    /// The document id of the rule file.
    pub document: Option<String>,
    /// Binding (约束性) or expected (预期性).
    pub binding: bool,
    /// Tags given with `tags`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// The tag of a rule the document does not state in figures: an analyst's
/// reading of an unnumbered aim. Its outcomes are reported apart and its
/// failures never fail a run.
pub const INFERRED: &str = "inferred";

impl RuleRef {
    /// Whether the rule is tagged `inferred`.
    pub fn inferred(&self) -> bool {
        self.tags.iter().any(|tag| tag == INFERRED)
    }
}

/// One rule checked for one entity.
///
/// ```
/// use zhibiao::{data::Dataset, CheckOptions, Status};
///
/// let rules = "scope 日照市\nindicator 县域就诊率: %\n\
///              rule 县域就诊率 >= 90% by 2024 source \"二(一)3\" owner \"市卫生健康委\"\n";
/// let program = zhibiao::compile(rules, "a.rules").unwrap();
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,指标,值\n日照市,2024,县域就诊率,88.6\n").unwrap();
/// let outcome = &program.check(&data, &CheckOptions::default()).outcomes[0];
/// assert_eq!((outcome.entity.as_str(), outcome.status), ("日照市", Status::Fail));
/// assert_eq!(outcome.actual.as_deref(), Some("88.6%"));
/// assert_eq!(outcome.target.as_deref(), Some("≥ 90%"));
/// assert_eq!(outcome.gap.as_deref(), Some("差 1.4 个百分点"));
/// assert_eq!(outcome.years, [2024]);
/// assert_eq!((outcome.rule.line, outcome.rule.binding), (3, true));
/// assert_eq!(outcome.rule.owner.as_deref(), Some("市卫生健康委"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Outcome {
    /// The rule checked.
    pub rule: RuleRef,
    /// The entity checked.
    pub entity: String,
    /// Pass, fail, pending, missing or error.
    pub status: Status,
    /// The years whose values were judged (or, when pending, the deadline).
    pub years: Vec<i32>,
    /// The actual value in the rule's unit, e.g. `91.2%`.
    pub actual: Option<String>,
    /// The target in the rule's unit, e.g. `≥ 90%`.
    pub target: Option<String>,
    /// How far from the target, e.g. `差 1.2 个百分点`.
    pub gap: Option<String>,
    /// The actual value, canonical (90% is 0.9).
    pub actual_value: Option<f64>,
    /// The target value, canonical.
    pub target_value: Option<f64>,
    /// Why the status is what it is, in words.
    pub detail: Option<String>,
    /// Values the rule needed that the data lacks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<Gap>,
    /// How many members of each set had data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coverage: Vec<Coverage>,
    /// For pending targets: how far along they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<ProgressReport>,
    /// The known values of the condition's main value, year by year up to
    /// the as-of year: what a report charts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<Point>,
}

/// One year's value of an outcome's series.
///
/// ```
/// use zhibiao::{data::Dataset, CheckOptions, Point};
///
/// let program = zhibiao::compile("scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2024\n", "a.rules").unwrap();
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,指标,值\n日照市,2023,县域就诊率,89\n日照市,2024,县域就诊率,91\n").unwrap();
/// let series: &[Point] = &program.check(&data, &CheckOptions::default()).outcomes[0].series;
/// assert_eq!((series[0].year, series[1].shown.as_str()), (2023, "91%"));
/// assert!((series[0].value - 0.89).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Point {
    /// The year.
    pub year: i32,
    /// The value, canonical.
    pub value: f64,
    /// The value in the rule's unit, e.g. `88.6%`.
    pub shown: String,
}

/// A progress assessment with its figures written in the rule's unit.
///
/// ```
/// use zhibiao::{data::Dataset, progress::Category, CheckOptions, Status};
///
/// let program = zhibiao::compile("scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2025\n", "a.rules").unwrap();
/// let data = Dataset::from_csv_str(
///     "data.csv",
///     "地区,年份,指标,值\n日照市,2022,县域就诊率,80\n日照市,2023,县域就诊率,84\n日照市,2024,县域就诊率,88\n",
/// )
/// .unwrap();
/// let outcome = &program.check(&data, &CheckOptions::default()).outcomes[0];
/// assert_eq!(outcome.status, Status::Pending);
/// let progress = outcome.progress.as_ref().unwrap();
/// assert_eq!((progress.category, progress.category_zh), (Category::OnTrack, "进度正常"));
/// assert_eq!(progress.current.as_deref(), Some("88%"));
/// assert_eq!(progress.assessment.base_year, Some(2022));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ProgressReport {
    /// `on_track`, `acceleration_needed`, … (in JSON from the flattened
    /// assessment, so the key is written once).
    #[serde(skip)]
    pub category: crate::eval::progress::Category,
    /// The category in English.
    pub category_en: &'static str,
    /// The category in Chinese.
    pub category_zh: &'static str,
    /// Base value in the rule's unit.
    pub base: Option<String>,
    /// Current value in the rule's unit.
    pub current: Option<String>,
    /// Projected value at the target year, in the rule's unit; a share is
    /// shown within 0–100% (`projected_value` keeps the raw figure).
    pub projected: Option<String>,
    /// The projection as shown, canonical: what a chart draws.
    #[serde(skip)]
    pub projected_shown: Option<f64>,
    /// The figures, canonical.
    #[serde(flatten)]
    pub assessment: Assessment,
}

/// Counts of outcomes by status. See [`Report`] for an example.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Summary {
    /// Outcomes that passed.
    pub pass: usize,
    /// Outcomes that failed, binding or expected.
    pub fail: usize,
    /// Outcomes not yet due.
    pub pending: usize,
    /// Outcomes lacking data.
    pub missing: usize,
    /// Outcomes the data made undefined.
    pub error: usize,
    /// Failures of binding rules: these make `check` exit 1.
    pub binding_failures: usize,
    /// Failures of expected (预期性) rules.
    pub expected_failures: usize,
    /// Failures of rules tagged `inferred`: never a reason to exit 1.
    pub inferred_failures: usize,
    /// Binding rules that could not be judged (missing or error): these
    /// make `check` exit 3 when no binding target failed.
    pub binding_unjudged: usize,
    /// Expected rules that could not be judged.
    pub expected_unjudged: usize,
}

/// The exit code of a check and why, said on the summary line, from
/// [`Summary::verdict`]. See [`Report`] for an example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// 0 all binding targets met or pending, 1 a binding target missed,
    /// 2 rules or data unusable, 3 a binding target could not be judged.
    pub exit: u8,
    /// Why, in words.
    pub reason: String,
}

/// Exit code: every binding target met or pending.
pub const EXIT_MET: u8 = 0;
/// Exit code: a binding target was missed.
pub const EXIT_MISSED: u8 = 1;
/// Exit code: rules or data could not be read (or, under `--strict`, the
/// data does not cover the rules).
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code: no binding target missed, but some could not be judged.
pub const EXIT_UNJUDGED: u8 = 3;

impl Summary {
    /// Counts one more outcome.
    pub fn count(&mut self, outcome: &Outcome) {
        if matches!(outcome.status, Status::Missing | Status::Error) && !outcome.rule.inferred() {
            if outcome.rule.binding {
                self.binding_unjudged += 1;
            } else {
                self.expected_unjudged += 1;
            }
        }
        match outcome.status {
            Status::Pass => self.pass += 1,
            Status::Fail if outcome.rule.inferred() => {
                self.fail += 1;
                self.inferred_failures += 1
            }
            Status::Fail if outcome.rule.binding => {
                self.fail += 1;
                self.binding_failures += 1
            }
            Status::Fail => {
                self.fail += 1;
                self.expected_failures += 1
            }
            Status::Pending => self.pending += 1,
            Status::Missing => self.missing += 1,
            Status::Error => self.error += 1,
        }
    }

    /// The count of one status.
    pub fn of(&self, status: Status) -> usize {
        match status {
            Status::Pass => self.pass,
            Status::Fail => self.fail,
            Status::Pending => self.pending,
            Status::Missing => self.missing,
            Status::Error => self.error,
        }
    }

    /// All outcomes counted.
    pub fn total(&self) -> usize {
        self.pass + self.fail + self.pending + self.missing + self.error
    }

    /// The exit code: a missed target first, then one not judged; under
    /// `strict` expected targets count as binding ones, and `gaps` (the
    /// data-coverage errors) make the run unusable.
    pub fn verdict(&self, strict: bool, gaps: usize) -> Verdict {
        let kind = if strict { "" } else { "binding " };
        let failed = self.binding_failures + if strict { self.expected_failures } else { 0 };
        let unjudged = self.binding_unjudged + if strict { self.expected_unjudged } else { 0 };
        let targets = |count: usize| {
            if count == 1 {
                format!("1 {kind}target")
            } else {
                format!("{count} {kind}targets")
            }
        };
        let also = if unjudged > 0 {
            format!("; {} could not be judged", targets(unjudged))
        } else {
            String::new()
        };
        if strict && gaps > 0 {
            let what = if gaps == 1 { "gap" } else { "gaps" };
            return Verdict {
                exit: EXIT_BAD_INPUT,
                reason: format!("the data has {gaps} coverage {what} (an error with --strict)"),
            };
        }
        if failed > 0 {
            return Verdict {
                exit: EXIT_MISSED,
                reason: format!("{} missed{also}", targets(failed)),
            };
        }
        if unjudged > 0 {
            return Verdict {
                exit: EXIT_UNJUDGED,
                reason: format!(
                    "{} could not be judged (缺数据 or 错误), none missed",
                    targets(unjudged)
                ),
            };
        }
        let reason = if self.total() == 0 {
            "nothing was checked".to_string()
        } else {
            format!("every {kind}target met or pending")
        };
        Verdict {
            exit: EXIT_MET,
            reason,
        }
    }
}

/// Everything one check found. It serialises to the stable JSON form
/// (`zhibiao::report::json`) and reads back from it.
///
/// ```
/// use zhibiao::{data::Dataset, CheckOptions, Report, EXIT_MISSED};
///
/// let program = zhibiao::compile("scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2024\n", "a.rules").unwrap();
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,指标,值\n日照市,2024,县域就诊率,88.6\n").unwrap();
/// let report = program.check(&data, &CheckOptions::default());
/// assert_eq!(report.as_of, Some(2024));
/// assert_eq!((report.summary.total(), report.summary.binding_failures), (1, 1));
/// let verdict = report.summary.verdict(false, 0);
/// assert_eq!((verdict.exit, verdict.reason.as_str()), (EXIT_MISSED, "1 binding target missed"));
///
/// let read_back: Report = serde_json::from_str(&zhibiao::report::json(&report)).unwrap();
/// assert_eq!(read_back.summary, report.summary);
/// assert_eq!(read_back.outcomes[0].gap, report.outcomes[0].gap);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// The schema version of this JSON form.
    pub schema: u32,
    /// The year the check was made as of.
    pub as_of: Option<i32>,
    /// Counts by status.
    pub summary: Summary,
    /// The exit code and why, once the run has decided it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// What the data covers of what the rules read, when the data is a
    /// loaded [`Dataset`](crate::data::Dataset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_coverage: Option<DataCoverage>,
    /// Every outcome, rule by rule, entity by entity.
    pub outcomes: Vec<Outcome>,
    /// Whether the evaluation budget ran out (see `CheckOptions::budget`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub budget_exceeded: bool,
}

/// The JSON form of a progress report: the category names are the
/// category's own, so they are not read back but derived.
#[derive(Deserialize)]
struct ProgressJson {
    base: Option<String>,
    current: Option<String>,
    projected: Option<String>,
    #[serde(flatten)]
    assessment: Assessment,
}

impl<'de> Deserialize<'de> for ProgressReport {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let json = ProgressJson::deserialize(deserializer)?;
        let category = json.assessment.category;
        Ok(ProgressReport {
            category,
            category_en: category.english(),
            category_zh: category.chinese(),
            base: json.base,
            current: json.current,
            projected: json.projected,
            projected_shown: None,
            assessment: json.assessment,
        })
    }
}

/// What the data lacks, and what it has that no rule reads, from
/// [`coverage`](crate::coverage()) (an example is there).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DataCoverage {
    /// Indicators rules read that no data file has.
    pub absent_indicators: Vec<AbsentIndicator>,
    /// Indicators in the data that no rule file declares.
    pub unread_indicators: Vec<UnreadIndicator>,
    /// Entities in a rule's scope that have no rows in the data.
    pub entities_without_rows: Vec<EntityWithoutRows>,
    /// Per file, the cells read as missing, by marker.
    pub missing_markers: Vec<MarkerCount>,
}

/// An indicator a rule needs and the data lacks. See
/// [`coverage`](crate::coverage()) for an example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbsentIndicator {
    /// The declared name.
    pub indicator: String,
    /// The first rule reading it, as `file:line`.
    pub rule: String,
    /// A data indicator of a close name, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
}

/// A data indicator no rule declares. See [`coverage`](crate::coverage())
/// for an example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnreadIndicator {
    /// The name in the data.
    pub indicator: String,
    /// The data files it is in.
    pub origin: String,
    /// A declared indicator of a close name, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
}

/// An entity checked by a rule with no rows of its own in the data. See
/// [`coverage`](crate::coverage()) for an example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityWithoutRows {
    /// The entity's name.
    pub entity: String,
    /// The first rule checking it, as `file:line`.
    pub rule: String,
    /// Whether the data names it at all (as another's parent).
    pub in_data: bool,
}

impl DataCoverage {
    /// Whether there is nothing to warn of.
    pub fn is_complete(&self) -> bool {
        self.absent_indicators.is_empty()
            && self.unread_indicators.is_empty()
            && self.entities_without_rows.is_empty()
    }
}
