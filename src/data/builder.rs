//! [`DatasetBuilder`]: a dataset from values a host holds in memory,
//! checked by the same staging as loaded files. Each call is written as a
//! line of a listing, `<in-memory data>`, so that a diagnostic about it
//! (a duplicate value, a cycle of parents, an unknown unit) underlines the
//! call's line just as it would a file's row.

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

use super::reporter::Reporter;
use super::staging::{Observation, Staging};
use super::store::{Dataset, Loc, TEXT};
use super::units::UnitProblem;
use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};

/// The name diagnostics give the builder's listing (the second example of
/// [`DatasetBuilder`] shows it).
pub const IN_MEMORY: &str = "<in-memory data>";

/// Builds a [`Dataset`] call by call: entities with their parents, tiers
/// and attributes, and observations with their units.
///
/// ```
/// use zhibiao::data::{DataSource, DatasetBuilder};
///
/// let mut data = DatasetBuilder::new();
/// data.entity("日照市", None).tier("日照市", "市");
/// data.entity("东港区", Some("日照市")).tier("东港区", "区县");
/// data.number("东港区", 2024, "县域就诊率", 91.8, Some("%"));
/// data.number("日照市", 2024, "床位数", 1.2, Some("万张"));
/// data.text("东港区", 2024, "医院等级", "三甲");
/// let (data, warnings) = data.build().expect("valid data");
/// assert!(warnings.is_empty());
///
/// let county = data.find_entity("东港区").unwrap();
/// assert_eq!(data.entity_name(data.parent(county).unwrap()), "日照市");
/// assert_eq!(data.tier(county), Some("区县"));
/// assert_eq!(data.observation_count(), 3);
/// ```
///
/// Problems are collected and returned together by [`build`](Self::build):
///
/// ```
/// use zhibiao::data::DatasetBuilder;
///
/// let mut data = DatasetBuilder::new();
/// data.number("甲", 2024, "床位数", 5.0, Some("床位"));
/// data.number("甲", 24, "床位数", 5.0, None);
/// let errors = data.build().unwrap_err();
/// let codes: Vec<_> = errors.0.iter().map(|error| error.code.as_str()).collect();
/// assert_eq!(codes, ["data-unknown-unit", "data-bad-year"]);
/// // They point into a listing of the calls, named `IN_MEMORY`.
/// assert_eq!(errors.0[0].source.name(), zhibiao::data::IN_MEMORY);
/// ```
#[derive(Debug, Default)]
pub struct DatasetBuilder {
    staging: Staging,
    listing: String,
    /// Problems found while adding, made into diagnostics once the
    /// listing is complete.
    problems: Vec<Problem>,
}

#[derive(Debug)]
struct Problem {
    code: Code,
    span: Range<usize>,
    message: String,
    label: &'static str,
    help: String,
}

impl DatasetBuilder {
    /// An empty builder.
    pub fn new() -> DatasetBuilder {
        let mut builder = DatasetBuilder::default();
        // The listing is file 0 of the staging; its text is set in `build`.
        builder.staging.files.push(SourceFile::new(IN_MEMORY, ""));
        builder
    }

    /// Adds an entity, under `parent` when given (a parent never given a
    /// call of its own is created, with a warning, as in files).
    pub fn entity(&mut self, name: &str, parent: Option<&str>) -> &mut Self {
        let line = self.listing.len();
        let _ = write!(self.listing, "entity {name}");
        let name_span = line + "entity ".len()..self.listing.len();
        let Some(entity) = self.entity_id(name, name_span.clone()) else {
            self.listing.push('\n');
            return self;
        };
        self.staging.note_row(entity, loc(name_span));
        if let Some(parent_name) = parent {
            let _ = write!(self.listing, " under ");
            let start = self.listing.len();
            self.listing.push_str(parent_name);
            let span = start..self.listing.len();
            if let Some(parent) = self.entity_id(parent_name, span.clone()) {
                if let Err(conflict) = self.staging.set_parent(entity, parent, loc(span.clone())) {
                    self.problem(
                        Code::DataConflictingParent,
                        span,
                        format!(
                            "`{name}` is given the parents `{}` and `{parent_name}`",
                            conflict.first_value
                        ),
                        "a second parent",
                        "give each entity one parent".to_string(),
                    );
                }
            }
        }
        self.listing.push('\n');
        self
    }

    /// Sets an entity's tier (`级别`), the attribute `for each TIER` reads.
    pub fn tier(&mut self, entity: &str, tier: &str) -> &mut Self {
        self.attribute(entity, super::header::TIER, tier)
    }

    /// Sets an attribute of an entity (`类型`, or any name a set reads);
    /// the entity is created if new.
    pub fn attribute(&mut self, entity: &str, name: &str, value: &str) -> &mut Self {
        let line = self.listing.len();
        let _ = write!(self.listing, "attribute {entity} {name} = ");
        let entity_span = line + "attribute ".len()..line + "attribute ".len() + entity.len();
        let start = self.listing.len();
        self.listing.push_str(value);
        let span = start..self.listing.len();
        self.listing.push('\n');
        let Some(id) = self.entity_id(entity, entity_span) else {
            return self;
        };
        let name = match super::header::role(name) {
            Some(super::header::Role::Tier) => super::header::TIER,
            Some(super::header::Role::Type) => super::header::TYPE,
            _ => name,
        };
        let attribute = self.staging.attribute(name);
        let text = self.staging.string(value.trim());
        if let Err(conflict) = self
            .staging
            .set_attribute(attribute, id, text, loc(span.clone()))
        {
            self.problem(
                Code::DataConflictingAttribute,
                span,
                format!(
                    "`{entity}` is given the `{name}` values `{}` and `{value}`",
                    conflict.first_value
                ),
                "a second value",
                format!("give each entity one `{name}`"),
            );
        }
        self
    }

    /// Adds a number, in `unit` when given (`%`, `‰`, `张/千人`, `万人`;
    /// `zhibiao units` lists them), else in the indicator's declared unit.
    pub fn number(
        &mut self,
        entity: &str,
        year: i32,
        indicator: &str,
        value: f64,
        unit: Option<&str>,
    ) -> &mut Self {
        let written = crate::unit::format_number(value);
        let (spans, ids) = self.observation_head(entity, year, indicator, &written, unit);
        let (value_span, unit_span) = spans;
        if !value.is_finite() {
            self.problem(
                Code::DataBadNumber,
                value_span.clone(),
                format!("expected a number, found `{value}`"),
                "not a finite number",
                "give a missing value no call at all (or call `missing`)".to_string(),
            );
            return self;
        }
        let code = match unit.map(|unit| self.staging.units.resolve(unit.trim())) {
            None => Ok(0),
            Some(code) => code,
        };
        let code = match code {
            Ok(code) => code,
            Err(problem) => {
                let span = unit_span.unwrap_or(value_span.clone());
                let unit = unit.unwrap_or_default();
                let (code, message, label, help) = match problem {
                    UnitProblem::TooMany => (
                        Code::DataTooManyUnits,
                        "more than 254 different units in the data".to_string(),
                        "one unit too many",
                        "write values in fewer distinct units".to_string(),
                    ),
                    UnitProblem::Unknown(unknown) => (
                        Code::DataUnknownUnit,
                        format!("unknown unit `{unit}`"),
                        "not a unit in the unit table",
                        match unknown.suggestion {
                            Some(near) => format!("did you mean `{near}`?"),
                            None => "use a unit of the unit table (`zhibiao units` lists it)"
                                .to_string(),
                        },
                    ),
                };
                self.problem(code, span, message, label, help);
                return self;
            }
        };
        if let Some((entity, indicator, year)) = ids {
            self.push(entity, indicator, year, value, code, value_span);
        }
        self
    }

    /// Adds a text value (a grade such as `三甲`, or `是`/`否`).
    pub fn text(&mut self, entity: &str, year: i32, indicator: &str, text: &str) -> &mut Self {
        let ((value_span, _), ids) = self.observation_head(entity, year, indicator, text, None);
        if let Some((entity, indicator, year)) = ids {
            let id = self.staging.string(text.trim());
            self.push(
                entity,
                indicator,
                year,
                f64::from_bits(u64::from(id)),
                TEXT,
                value_span,
            );
        }
        self
    }

    /// Counts a value known to be missing, as an empty cell of a file is
    /// counted in the data-coverage section.
    pub fn missing(&mut self) -> &mut Self {
        self.staging.note_missing(0, "");
        self
    }

    /// The dataset and its warnings, or every error (and warning) found.
    pub fn build(self) -> Result<(Dataset, Vec<Diagnostic>), Diagnostics> {
        let DatasetBuilder {
            mut staging,
            listing,
            problems,
        } = self;
        let source = SourceFile::new(IN_MEMORY, listing);
        staging.files[0] = Arc::clone(&source);
        let mut reporter = Reporter::default();
        for problem in problems {
            let diagnostic = Diagnostic::error(
                &source,
                problem.code,
                problem.span,
                problem.message,
                problem.label,
            )
            .with_help(problem.help);
            reporter.push(0, diagnostic);
        }
        super::scale::check(&staging, &mut reporter);
        let dataset = staging.build(&mut reporter);
        let diagnostics = crate::diag::cap_per_file(reporter.into_diagnostics());
        match dataset {
            Some(dataset) if !diagnostics.iter().any(Diagnostic::is_error) => {
                Ok((dataset, diagnostics))
            }
            _ => Err(Diagnostics(diagnostics)),
        }
    }

    /// Writes `value ENTITY YEAR INDICATOR = VALUE UNIT` and finds the
    /// ids; `None` when a name or the year is bad (already reported).
    #[allow(clippy::type_complexity)]
    fn observation_head(
        &mut self,
        entity: &str,
        year: i32,
        indicator: &str,
        value: &str,
        unit: Option<&str>,
    ) -> (
        (Range<usize>, Option<Range<usize>>),
        Option<(u32, u32, u16)>,
    ) {
        self.listing.push_str("value ");
        let entity_span = self.push_listing(entity);
        self.listing.push(' ');
        let year_span = self.push_listing(&year.to_string());
        self.listing.push(' ');
        let indicator_span = self.push_listing(indicator);
        self.listing.push_str(" = ");
        let value_span = self.push_listing(value);
        let unit_span = unit.map(|unit| {
            self.listing.push(' ');
            self.push_listing(unit)
        });
        self.listing.push('\n');
        let entity = self.entity_id(entity, entity_span.clone());
        if let Some(entity) = entity {
            self.staging.note_row(entity, loc(entity_span));
        }
        let indicator = self.indicator_id(indicator, indicator_span);
        let year = match u16::try_from(year) {
            Ok(year) if (1000..=9999).contains(&year) => Some(year),
            _ => {
                self.problem(
                    Code::DataBadYear,
                    year_span,
                    format!("expected a year, found `{year}`"),
                    "not a year",
                    "write the year with four digits, such as `2023`".to_string(),
                );
                None
            }
        };
        let ids = match (entity, indicator, year) {
            (Some(entity), Some(indicator), Some(year)) => Some((entity, indicator, year)),
            _ => None,
        };
        ((value_span, unit_span), ids)
    }

    fn push(
        &mut self,
        entity: u32,
        indicator: u32,
        year: u16,
        value: f64,
        unit: u8,
        span: Range<usize>,
    ) {
        self.staging.observations.push(Observation {
            value,
            entity,
            indicator,
            file: 0,
            start: span.start as u32,
            end: span.end as u32,
            year,
            unit,
        });
    }

    fn push_listing(&mut self, text: &str) -> Range<usize> {
        let start = self.listing.len();
        // A newline inside a name would break the listing's lines.
        self.listing.extend(
            text.chars()
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
        );
        start..self.listing.len()
    }

    fn entity_id(&mut self, name: &str, span: Range<usize>) -> Option<u32> {
        self.check_name(name, "entity", span)
            .then(|| self.staging.entity(name.trim()))
    }

    fn indicator_id(&mut self, name: &str, span: Range<usize>) -> Option<u32> {
        self.check_name(name, "indicator", span.clone())
            .then(|| self.staging.indicator(name.trim(), loc(span)))
    }

    /// Whether a name can be used; reports an empty one or one holding a
    /// control character.
    fn check_name(&mut self, name: &str, what: &str, span: Range<usize>) -> bool {
        if name.trim().is_empty() {
            self.problem(
                Code::DataEmptyName,
                span,
                format!("expected an {what} name, found an empty one"),
                "no name here",
                format!("every call names its {what}"),
            );
            return false;
        }
        if let Some(control) = crate::name::control_character(name) {
            self.problem(
                Code::DataBadName,
                span,
                format!(
                    "the name holds the control character {}",
                    crate::name::describe(control)
                ),
                "a character that does not print",
                "remove the invisible character from the name".to_string(),
            );
            return false;
        }
        true
    }

    fn problem(
        &mut self,
        code: Code,
        span: Range<usize>,
        message: String,
        label: &'static str,
        help: String,
    ) {
        self.problems.push(Problem {
            code,
            span,
            message,
            label,
            help,
        });
    }
}

fn loc(span: Range<usize>) -> Loc {
    Loc {
        file: 0,
        start: span.start as u32,
        end: span.end as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::DataSource;

    #[test]
    fn the_same_data_as_a_file_gives_the_same_dataset() {
        let file = Dataset::from_csv_str(
            "a.csv",
            "地区,上级,年份,指标,值,级别\n日照市,,2024,床位数,1.2万张,市\n东港区,日照市,2024,县域就诊率,91.8%,区县\n东港区,日照市,2025,等级,三甲,区县\n",
        )
        .unwrap();
        let mut builder = DatasetBuilder::new();
        builder.entity("日照市", None).tier("日照市", "市");
        builder
            .entity("东港区", Some("日照市"))
            .tier("东港区", "区县");
        builder.number("日照市", 2024, "床位数", 1.2, Some("万张"));
        builder.number("东港区", 2024, "县域就诊率", 91.8, Some("%"));
        builder.text("东港区", 2025, "等级", "三甲");
        let (built, warnings) = builder.build().unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(built.entity_count(), file.entity_count());
        for entity in 0..file.entity_count() as u32 {
            let entity = crate::data::EntityId(entity);
            let name = file.entity_name(entity);
            let other = built.find_entity(name).unwrap();
            assert_eq!(
                built.parent(other).map(|p| built.entity_name(p)),
                file.parent(entity).map(|p| file.entity_name(p))
            );
            assert_eq!(built.tier(other), file.tier(entity));
            for indicator in file.indicator_names() {
                let a = file.find_indicator(indicator).unwrap();
                let b = built.find_indicator(indicator).unwrap();
                for year in [2024, 2025] {
                    assert_eq!(built.value(b, other, year), file.value(a, entity, year));
                }
            }
        }
    }

    #[test]
    fn problems_are_collected_with_their_place_in_the_listing() {
        let mut builder = DatasetBuilder::new();
        builder.number("甲", 2024, "床位数", f64::NAN, None);
        builder.number("", 2024, "床位数", 1.0, None);
        builder.number("甲\u{7}", 2024, "床位数", 1.0, None);
        builder.number("甲", 2024, "床位数", 1.0, None);
        builder.number("甲", 2024, "床位数", 2.0, None);
        builder.entity("乙", Some("丙")).entity("丙", Some("乙"));
        let errors = builder.build().unwrap_err();
        let codes: Vec<_> = errors.0.iter().map(|error| error.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "data-bad-number",
                "data-empty-name",
                "data-bad-name",
                "data-duplicate",
                "data-cycle"
            ]
        );
        let duplicate = &errors.0[3];
        assert_eq!(duplicate.source.name(), IN_MEMORY);
        let text = duplicate.source.text();
        assert_eq!(&text[duplicate.labels[0].span.clone()], "2");
    }

    #[test]
    fn conflicting_parents_and_attributes_are_errors() {
        let mut builder = DatasetBuilder::new();
        builder.entity("甲", Some("乙")).entity("甲", Some("丙"));
        builder.tier("甲", "县").tier("甲", "市");
        let codes: Vec<_> = builder
            .build()
            .unwrap_err()
            .0
            .iter()
            .map(|error| error.code.as_str())
            .collect();
        assert!(codes.contains(&"data-conflicting-parent"), "{codes:?}");
        assert!(codes.contains(&"data-conflicting-attribute"), "{codes:?}");
    }

    #[test]
    fn an_empty_builder_gives_an_empty_dataset() {
        let (data, warnings) = DatasetBuilder::new().build().unwrap();
        assert_eq!(data.entity_count(), 0);
        assert!(warnings.is_empty());
    }
}
