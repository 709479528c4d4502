//! Reading one file into the staging area: the header's plan, then each
//! row's entity, parent, attributes, year and values, every problem
//! recorded with its place.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::cell::{self, CellUnit, Value};
use super::header::{self, Column, Header, Role};
use super::layout;
use super::records::{Field, QuoteProblem, Records};
use super::reporter::Reporter;
use super::staging::{Agreement, Conflict, Observation, Staging};
use super::store::{Loc, TEXT};
use super::units::UnitProblem;
use crate::diag::{Code, Diagnostic, SourceFile};

/// The longest field a data file may have, in bytes; a longer one is a
/// `data-field-too-long` error and its row is not read.
pub const MAX_FIELD_BYTES: usize = 64 << 10;

/// What the columns of a file are for, by index.
struct Plan {
    entity: usize,
    year: usize,
    parent: Option<usize>,
    attributes: Vec<(usize, u32)>,
    unnamed: Vec<usize>,
    layout: PlanLayout,
}

enum PlanLayout {
    Long {
        indicator: usize,
        value: usize,
        unit: Option<usize>,
        /// The unit code in the value column's header.
        value_unit: u8,
    },
    /// Per indicator column: its index, the indicator and its header unit.
    Wide(Vec<(usize, u32, u8)>),
}

/// One record as read, with its quoting problems.
struct Row<'t> {
    span: Range<usize>,
    fields: Vec<Field<'t>>,
    problems: Vec<QuoteProblem>,
}

/// The header's shape, which every data row is checked against.
struct Shape {
    width: usize,
    /// Fields a row has at least (trailing unnamed columns may be left off).
    least: usize,
    /// Whether the last column is a note, whose unquoted commas are forgiven.
    note_last: bool,
}

/// Reads one file.
pub(crate) struct FileReader<'a, 't> {
    staging: &'a mut Staging,
    reporter: &'a mut Reporter,
    source: &'a Arc<SourceFile>,
    file: u32,
    /// Per column, the entity and text of the last row, to skip repeats.
    last: Vec<(u32, &'t str)>,
    /// The last row's entity, as written, and its id.
    last_entity: (&'t str, u32),
    /// Long files: indicator cells as written, to their id and unit.
    indicators: HashMap<&'t str, (u32, u8)>,
    unnamed_reported: Vec<usize>,
    /// The header's row, one-based, when given (`--header-row`).
    header_row: Option<usize>,
}

impl<'a, 't> FileReader<'a, 't> {
    /// A reader of one file, already added to `staging.files` as `file`.
    pub fn new(
        staging: &'a mut Staging,
        reporter: &'a mut Reporter,
        source: &'a Arc<SourceFile>,
        file: u32,
    ) -> Self {
        FileReader {
            staging,
            reporter,
            source,
            file,
            last: Vec::new(),
            last_entity: ("", 0),
            indicators: HashMap::new(),
            unnamed_reported: Vec::new(),
            header_row: None,
        }
    }

    /// Takes the header from this row (one-based) instead of finding it.
    pub fn with_header_row(mut self, row: Option<usize>) -> Self {
        self.header_row = row.filter(|&row| row > 0);
        self
    }

    /// Reads the file's text (without a byte-order mark).
    pub fn read(&mut self, text: &'t str) {
        let mut records = Records::new(text);
        // The first rows, to find the header below any title rows.
        let mut head: Vec<Row<'t>> = Vec::new();
        while head.len() < layout::SEARCHED {
            let mut fields = Vec::new();
            let mut problems = Vec::new();
            let Some(span) = records.next_record(&mut fields, &mut problems) else {
                break;
            };
            head.push(Row {
                span,
                fields,
                problems,
            });
        }
        if head.is_empty() {
            let diagnostic = self
                .diagnostic(Code::DataEmpty, 0..0, "the file is empty", "no header")
                .with_help("a data file starts with a header such as `地区,年份,指标,值`");
            self.reporter.push(self.file, diagnostic);
            return;
        }
        let cells: Vec<Vec<&str>> = head
            .iter()
            .map(|row| row.fields.iter().map(|field| field.text.as_ref()).collect())
            .collect();
        let units = &mut self.staging.units;
        let mut is_unit = |unit: &str| units.resolve(&cell::normalise(unit)).is_ok();
        let forced = self.header_row.map(|row| row.min(head.len()) - 1);
        let found = layout::locate(&cells, forced, &mut is_unit);
        let header_fields: Vec<Field<'t>> = if found.second {
            let names = layout::merge(&cells[found.row], &cells[found.row + 1], &mut is_unit);
            let (upper, lower) = (&head[found.row].fields, &head[found.row + 1].fields);
            names
                .into_iter()
                .enumerate()
                .map(|(at, name)| {
                    let lower = lower.get(at).filter(|field| !field.text.trim().is_empty());
                    let span = lower
                        .or(upper.get(at))
                        .map_or(head[found.row].span.clone(), |field| field.span.clone());
                    Field {
                        text: Cow::Owned(name),
                        span,
                    }
                })
                .collect()
        } else {
            head[found.row].fields.clone()
        };
        let first_data = found.row + 1 + usize::from(found.second);
        let header_rows = first_data.min(head.len());
        for row in &mut head[..header_rows] {
            self.quote_problems(&mut row.problems);
        }
        let span = head[found.row].span.clone();
        if (found.row > 0 || found.second) && self.header_row.is_none() {
            self.header_choice(&span, found);
        }
        if self.too_long(&header_fields) {
            return;
        }
        let units = &mut self.staging.units;
        let header = header::read(self.source, &header_fields, span, &mut |unit| {
            units.resolve(&cell::normalise(unit)).is_ok()
        });
        let header = match header {
            Ok(header) => header,
            Err(diagnostics) => {
                for diagnostic in diagnostics {
                    self.reporter.push(self.file, diagnostic);
                }
                return;
            }
        };
        let plan = self.plan(&header, &header_fields);
        // Room for every value at once: no copying as the list grows. A
        // value takes at least two bytes of text, which bounds the guess.
        // A projection keeps few values: the list grows as needed.
        let rows = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
        let per_row = match &plan.layout {
            PlanLayout::Long { .. } => 1,
            PlanLayout::Wide(columns) => columns.len(),
        };
        if self.staging.projection.is_none() {
            self.staging
                .observations
                .reserve(rows.saturating_mul(per_row).min(text.len() / 2));
        }
        let width = header.columns.len();
        // Trailing columns without a header may be left off a row.
        let least = width
            - header
                .columns
                .iter()
                .rev()
                .take_while(|column| **column == Column::Unnamed)
                .count();
        self.last = vec![(u32::MAX, ""); width];
        let shape = Shape {
            width,
            least,
            note_last: header.columns.last() == Some(&Column::Role(Role::Note)),
        };
        for row in head.drain(..).skip(first_data) {
            let Row {
                span,
                mut fields,
                mut problems,
            } = row;
            self.data_row(&plan, &shape, span, &mut fields, &mut problems);
        }
        // One pair of buffers for every row: no allocation per row.
        let mut fields = Vec::new();
        let mut problems = Vec::new();
        while let Some(span) = records.next_record(&mut fields, &mut problems) {
            self.data_row(&plan, &shape, span, &mut fields, &mut problems);
        }
    }

    /// Says which row was taken for the header when it is not the first.
    fn header_choice(&mut self, span: &Range<usize>, found: layout::Found) {
        let line = self.source.line_col(span.start).0;
        let skipped = match found.row {
            0 => String::new(),
            1 => "; the row above it is skipped as a title".to_string(),
            rows => format!("; the {rows} rows above it are skipped as a title"),
        };
        let second = if found.second {
            ", merged with the row below it"
        } else {
            ""
        };
        let diagnostic = Diagnostic::warning(
            self.source,
            Code::DataHeaderRow,
            span.clone(),
            format!("the header is on line {line}{second}{skipped}"),
            "read as the header",
        )
        .with_help("if that is not the header, name its row with `--header-row N`");
        self.reporter.push(self.file, diagnostic);
    }

    /// Reads one row after the header.
    fn data_row(
        &mut self,
        plan: &Plan,
        shape: &Shape,
        span: Range<usize>,
        fields: &mut Vec<Field<'t>>,
        problems: &mut Vec<QuoteProblem>,
    ) {
        let width = shape.width;
        // After a quote never closed the row's cells cannot be trusted:
        // reading them would only add confusing errors.
        let unclosed = problems
            .iter()
            .any(|problem| matches!(problem, QuoteProblem::Unclosed(_)));
        self.quote_problems(problems);
        if unclosed || self.too_long(fields) {
            return;
        }
        if fields.len() > width
            && fields[width..]
                .iter()
                .all(|field| field.text.trim().is_empty())
        {
            fields.truncate(width);
        }
        if fields.iter().all(|field| field.text.trim().is_empty()) {
            return;
        }
        if fields.len() > width && shape.note_last {
            self.comma_in_note(fields, width);
            fields.truncate(width);
        }
        if fields.len() > width || fields.len() < shape.least.max(1) {
            self.ragged(fields, span, width);
            return;
        }
        self.row(plan, fields);
    }

    fn plan(&mut self, header: &Header, fields: &[Field<'_>]) -> Plan {
        let mut attributes = Vec::new();
        let mut unnamed = Vec::new();
        let mut wide = Vec::new();
        for (at, column) in header.columns.iter().enumerate() {
            match column {
                Column::Attribute(name) => attributes.push((at, self.staging.attribute(name))),
                Column::Unnamed => unnamed.push(at),
                Column::Indicator { name, unit } => {
                    let place = self.loc(&fields[at].span);
                    let indicator = self.staging.indicator(name, place);
                    let code = unit
                        .as_deref()
                        .and_then(|unit| self.staging.units.resolve(&cell::normalise(unit)).ok())
                        .unwrap_or(0);
                    let facts = &mut self.staging.indicator_facts[indicator as usize];
                    if facts.header_unit == 0 {
                        facts.header_unit = code;
                    }
                    wide.push((at, indicator, code));
                }
                Column::Role(_) => {}
            }
        }
        let layout = match (header.find(Role::Indicator), header.find(Role::Value)) {
            (Some(indicator), Some(value)) if header.long => PlanLayout::Long {
                indicator,
                value,
                unit: header.find(Role::Unit),
                value_unit: header
                    .value_unit
                    .as_deref()
                    .and_then(|unit| self.staging.units.resolve(&cell::normalise(unit)).ok())
                    .unwrap_or(0),
            },
            _ => PlanLayout::Wide(wide),
        };
        Plan {
            entity: header.find(Role::Entity).unwrap_or(0),
            year: header.find(Role::Year).unwrap_or(0),
            parent: header.find(Role::Parent),
            attributes,
            unnamed,
            layout,
        }
    }

    fn row(&mut self, plan: &Plan, fields: &[Field<'t>]) {
        let entity_field = &fields[plan.entity];
        let entity_name = entity_field.text.trim();
        if entity_name.is_empty() {
            let diagnostic = self
                .diagnostic(
                    Code::DataEmptyName,
                    entity_field.span.clone(),
                    "expected a region name, found an empty cell",
                    "no `地区` here",
                )
                .with_help("every row names its region (or institution) in the `地区` column");
            self.reporter.push(self.file, diagnostic);
            return;
        }
        let entity = match entity_field.text {
            Cow::Borrowed(text) if text == self.last_entity.0 => self.last_entity.1,
            Cow::Borrowed(text) => {
                self.check_name(entity_name, &entity_field.span);
                let entity = self.staging.entity(entity_name);
                self.last_entity = (text, entity);
                entity
            }
            Cow::Owned(_) => {
                self.check_name(entity_name, &entity_field.span);
                self.staging.entity(entity_name)
            }
        };
        self.staging.note_row(entity, self.loc(&entity_field.span));
        if let Some(column) = plan.parent {
            self.parent(entity, entity_name, column, &fields[column]);
        }
        for &(column, attribute) in &plan.attributes {
            self.attribute(entity, entity_name, column, attribute, &fields[column]);
        }
        for &column in &plan.unnamed {
            if let Some(field) = fields.get(column) {
                self.unnamed(column, field);
            }
        }
        let year_field = &fields[plan.year];
        let year = match cell::parse_year(&cell::normalise(&year_field.text)) {
            Ok(year) => year as u16,
            Err(bad) => {
                let found = year_field.text.trim();
                let message = if found.is_empty() {
                    "expected a year, found an empty cell".to_string()
                } else {
                    format!("expected a year, found `{found}`")
                };
                let diagnostic = self
                    .diagnostic(
                        Code::DataBadYear,
                        year_field.span.clone(),
                        message,
                        "not a year",
                    )
                    .with_help(bad.help);
                self.reporter.push(self.file, diagnostic);
                return;
            }
        };
        match &plan.layout {
            PlanLayout::Long {
                indicator,
                value,
                unit,
                value_unit,
            } => self.long_value(
                entity,
                year,
                &fields[*indicator],
                &fields[*value],
                unit.map(|at| &fields[at]),
                *value_unit,
            ),
            PlanLayout::Wide(columns) => {
                for &(column, indicator, unit) in columns {
                    if self.staging.indicator_facts[indicator as usize].kept {
                        self.value(entity, year, indicator, &fields[column], unit);
                    } else {
                        self.skipped_value(year, &fields[column]);
                    }
                }
            }
        }
    }

    fn long_value(
        &mut self,
        entity: u32,
        year: u16,
        indicator_field: &Field<'t>,
        value_field: &Field<'t>,
        unit_field: Option<&Field<'t>>,
        value_unit: u8,
    ) {
        let name = indicator_field.text.trim();
        if name.is_empty() {
            if let Some(marker) = cell::missing_marker(&cell::normalise(&value_field.text)) {
                self.staging.note_missing(self.file, marker);
                return;
            }
            let diagnostic = self
                .diagnostic(
                    Code::DataEmptyName,
                    indicator_field.span.clone(),
                    "expected an indicator name, found an empty cell",
                    "no `指标` here",
                )
                .with_help("every value names its indicator in the `指标` column");
            self.reporter.push(self.file, diagnostic);
            return;
        }
        let (indicator, name_unit) = self.long_indicator(indicator_field);
        if !self.staging.indicator_facts[indicator as usize].kept {
            self.skipped_value(year, value_field);
            return;
        }
        // The row's `单位` overrides the indicator name's unit, which
        // overrides the value header's.
        let mut unit = if name_unit == 0 {
            value_unit
        } else {
            name_unit
        };
        if let Some(field) = unit_field {
            let text = cell::normalise(&field.text);
            let code = if cell::is_missing(&text) {
                0
            } else {
                match self.staging.units.resolve(&text) {
                    Ok(code) => code,
                    Err(problem) => {
                        self.unit_problem(problem, field.span.clone(), &text, None);
                        return;
                    }
                }
            };
            let agreement = &mut self.staging.indicator_facts[indicator as usize].unit_column;
            *agreement = match *agreement {
                Agreement::Unset => Agreement::One(code),
                Agreement::One(known) if known == code => Agreement::One(code),
                _ => Agreement::Mixed,
            };
            if code != 0 {
                unit = code;
            }
        }
        self.value(entity, year, indicator, value_field, unit);
    }

    /// The indicator of a long file's `指标` cell and the unit in its name.
    fn long_indicator(&mut self, field: &Field<'t>) -> (u32, u8) {
        if let Cow::Borrowed(text) = field.text {
            if let Some(&known) = self.indicators.get(text) {
                return known;
            }
        }
        self.check_name(&field.text, &field.span);
        let units = &mut self.staging.units;
        let (name, unit) = header::split_unit(&field.text, &mut |unit| {
            units.resolve(&cell::normalise(unit)).is_ok()
        });
        let code = unit
            .and_then(|unit| self.staging.units.resolve(&cell::normalise(unit)).ok())
            .unwrap_or(0);
        let indicator = self.staging.indicator(name, self.loc(&field.span));
        let facts = &mut self.staging.indicator_facts[indicator as usize];
        if facts.header_unit == 0 {
            facts.header_unit = code;
        }
        if let Cow::Borrowed(text) = field.text {
            self.indicators.insert(text, (indicator, code));
        }
        (indicator, code)
    }

    /// A value the projection does not keep: a missing marker is counted,
    /// as the coverage section lists them for every cell, and any other
    /// cell makes its year one of the dataset's, as a kept value would.
    fn skipped_value(&mut self, year: u16, field: &Field<'t>) {
        // No marker starts with a digit: most cells are settled by a byte.
        let marker = match field.text.as_bytes().first() {
            Some(byte) if byte.is_ascii_digit() => None,
            _ => cell::missing_marker(&cell::normalise(&field.text)),
        };
        match marker {
            Some(marker) => self.staging.note_missing(self.file, marker),
            None => {
                let seen = &mut self.staging.skipped_years;
                if seen.is_empty() {
                    seen.resize(10_000, false);
                }
                seen[usize::from(year).min(9_999)] = true;
            }
        }
    }

    /// Stores one cell's value; `base` is the unit of a bare number.
    fn value(&mut self, entity: u32, year: u16, indicator: u32, field: &Field<'t>, base: u8) {
        let text = cell::normalise(&field.text);
        if let Some(marker) = cell::missing_marker(&text) {
            self.staging.note_missing(self.file, marker);
            return;
        }
        let (value, unit) = match cell::parse_value(&text) {
            Err(bad) => {
                let diagnostic = self
                    .diagnostic(
                        Code::DataBadNumber,
                        field.span.clone(),
                        format!("expected a number, found `{}`", field.text.trim()),
                        bad.label,
                    )
                    .with_help(bad.help);
                self.reporter.push(self.file, diagnostic);
                return;
            }
            Ok(Value::Text(text)) => (f64::from_bits(u64::from(self.staging.string(text))), TEXT),
            Ok(Value::Number {
                value,
                unit,
                ratio_first,
            }) => {
                let code = match unit {
                    CellUnit::Bare => Ok(base),
                    CellUnit::Written(unit) => self.staging.units.resolve(unit),
                    CellUnit::Ratio => self.staging.units.ratio_code(),
                };
                let code = match code {
                    Ok(code) => code,
                    Err(problem) => {
                        let unit = match unit {
                            CellUnit::Written(unit) => unit,
                            _ => ":",
                        };
                        self.unit_problem(problem, field.span.clone(), unit, Some(value));
                        return;
                    }
                };
                if unit != CellUnit::Bare && !self.compatible(code, base) {
                    self.mismatch(field, code, base);
                    return;
                }
                if let Some(first) = ratio_first {
                    self.ratio_warning(field, first, value);
                }
                (value, code)
            }
        };
        let span = &field.span;
        self.staging.observations.push(Observation {
            value,
            entity,
            indicator,
            file: self.file,
            start: span.start as u32,
            end: span.end as u32,
            year,
            unit,
        });
    }

    fn compatible(&self, code: u8, base: u8) -> bool {
        match (self.staging.units.get(code), self.staging.units.get(base)) {
            (Some(cell), Some(column)) => cell.same_kind(column),
            _ => true,
        }
    }

    fn parent(&mut self, entity: u32, entity_name: &str, column: usize, field: &Field<'t>) {
        let name = field.text.trim();
        if name.is_empty() || self.repeated(column, entity, field) {
            return;
        }
        self.check_name(name, &field.span);
        let parent = self.staging.entity(name);
        let at = self.loc(&field.span);
        if let Err(conflict) = self.staging.set_parent(entity, parent, at) {
            let message = format!(
                "`{entity_name}` is given two parents, `{}` and `{name}`",
                conflict.first_value
            );
            let help = "an entity has one parent: correct one of the rows, or give different entities different names";
            self.conflict(
                Code::DataConflictingParent,
                field,
                conflict,
                message,
                name,
                help,
            );
        }
    }

    fn attribute(
        &mut self,
        entity: u32,
        entity_name: &str,
        column: usize,
        attribute: u32,
        field: &Field<'t>,
    ) {
        let value = field.text.trim();
        if value.is_empty() || self.repeated(column, entity, field) {
            return;
        }
        let id = self.staging.string(value);
        let at = self.loc(&field.span);
        if let Err(conflict) = self.staging.set_attribute(attribute, entity, id, at) {
            let attribute = self
                .staging
                .attributes
                .get_index(attribute as usize)
                .map_or("", |(name, _)| &**name)
                .to_string();
            let message = format!(
                "`{entity_name}` is given two `{attribute}` values, `{}` and `{value}`",
                conflict.first_value
            );
            let help = "an entity has one value of each attribute: correct one of the rows";
            self.conflict(
                Code::DataConflictingAttribute,
                field,
                conflict,
                message,
                value,
                help,
            );
        }
    }

    /// Whether a column repeats the last row's text for the same entity.
    fn repeated(&mut self, column: usize, entity: u32, field: &Field<'t>) -> bool {
        let Cow::Borrowed(text) = field.text else {
            return false;
        };
        let last = &mut self.last[column];
        if *last == (entity, text) {
            return true;
        }
        *last = (entity, text);
        false
    }

    fn conflict(
        &mut self,
        code: Code,
        field: &Field<'_>,
        conflict: Conflict,
        message: String,
        value: &str,
        help: &str,
    ) {
        let place = self.staging.place(conflict.first, self.file);
        let diagnostic = if conflict.first.file == self.file {
            self.diagnostic(code, field.span.clone(), message, format!("`{value}` here"))
                .with_label(
                    conflict.first.span(),
                    format!("`{}` first", conflict.first_value),
                )
        } else {
            let label = format!("`{value}` here, `{}` on {place}", conflict.first_value);
            self.diagnostic(code, field.span.clone(), message, label)
        };
        self.reporter.push(self.file, diagnostic.with_help(help));
    }

    fn unnamed(&mut self, column: usize, field: &Field<'_>) {
        if field.text.trim().is_empty() || self.unnamed_reported.contains(&column) {
            return;
        }
        self.unnamed_reported.push(column);
        let diagnostic = self
            .diagnostic(
                Code::DataUnnamedColumn,
                field.span.clone(),
                "a value in a column without a header",
                "under no header",
            )
            .with_help("give the column a header (an indicator's name, or an attribute's in a long file), or delete its values");
        self.reporter.push(self.file, diagnostic);
    }

    fn unit_problem(
        &mut self,
        problem: UnitProblem,
        span: Range<usize>,
        unit: &str,
        value: Option<f64>,
    ) {
        let diagnostic = match problem {
            UnitProblem::TooMany => self
                .diagnostic(
                    Code::DataTooManyUnits,
                    span,
                    "more than 254 different units in the loaded data",
                    "one unit too many",
                )
                .with_help("write values in fewer distinct units, e.g. all counts in `个` rather than `万个`"),
            UnitProblem::Unknown(unknown) => {
                let number = value.map(crate::unit::format_number).unwrap_or_default();
                let help = if let Some(near) = unknown.suggestion {
                    format!("did you mean `{number}{near}`?")
                } else {
                    "write a unit from the unit table (`zhibiao units` lists it), or the number alone in the indicator's declared unit".to_string()
                };
                self.diagnostic(
                    Code::DataUnknownUnit,
                    span,
                    format!("unknown unit `{unit}`"),
                    "not a unit in the unit table",
                )
                .with_help(help)
            }
        };
        self.reporter.push(self.file, diagnostic);
    }

    fn mismatch(&mut self, field: &Field<'_>, code: u8, base: u8) {
        let units = &self.staging.units;
        let (Some(cell), Some(column)) = (units.get(code), units.get(base)) else {
            return;
        };
        let message = format!(
            "`{}` is {}, but its column's unit `{column}` is {}",
            field.text.trim(),
            crate::unit::describe(cell),
            crate::unit::describe(column)
        );
        let label = format!("{} here", crate::unit::describe(cell));
        let help = format!(
            "write the value in `{column}` (or without a unit), or correct the column's unit"
        );
        let diagnostic = self
            .diagnostic(Code::DataUnitMismatch, field.span.clone(), message, label)
            .with_help(help);
        self.reporter.push(self.file, diagnostic);
    }

    fn ratio_warning(&mut self, field: &Field<'_>, first: f64, value: f64) {
        let value = crate::unit::format_number(value);
        let diagnostic = Diagnostic::warning(
            self.source,
            Code::DataRatioFirstTerm,
            field.span.clone(),
            format!("the ratio `{}` does not start with 1", field.text.trim()),
            format!("read as `1:{value}`, B per A"),
        )
        .with_help(format!(
            "write `1:{value}` to say so; first term {} may mean the terms are swapped",
            crate::unit::format_number(first)
        ));
        self.reporter.push(self.file, diagnostic);
    }

    /// Extra fields after a trailing note column are commas in the note,
    /// which is ignored anyway: a warning, not an error.
    fn comma_in_note(&mut self, fields: &[Field<'_>], width: usize) {
        let (Some(note), Some(last)) = (fields.get(width - 1), fields.last()) else {
            return;
        };
        let diagnostic = Diagnostic::warning(
            self.source,
            Code::DataUnquotedComma,
            note.span.start..last.span.end,
            "a comma in the last column's note is not in quotes",
            "read as one note, which is ignored",
        )
        .with_help(
            "put the cell in quotes (`\"a,b\"`) so that other programs read the row the same way",
        );
        self.reporter.push(self.file, diagnostic);
    }

    /// Whether a field is longer than [`MAX_FIELD_BYTES`], reported: no
    /// cell of a statistics table is, and reading one would copy it into
    /// names, messages and labels.
    fn too_long(&mut self, fields: &[Field<'_>]) -> bool {
        let Some(field) = fields
            .iter()
            .find(|field| field.text.len() > MAX_FIELD_BYTES)
        else {
            return false;
        };
        let start = field.span.start;
        let diagnostic = self
            .diagnostic(
                Code::DataFieldTooLong,
                start..start + 1,
                format!(
                    "a field of {} bytes, more than the {MAX_FIELD_BYTES} a cell may have",
                    field.text.len()
                ),
                "this field starts here",
            )
            .with_help(
                "check the quotes around it: a quote never closed runs on to the end of the file",
            );
        self.reporter.push(self.file, diagnostic);
        true
    }

    fn ragged(&mut self, fields: &[Field<'_>], span: Range<usize>, width: usize) {
        let found = fields.len();
        let (at, label) = if found > width {
            let extra = found - width;
            (
                fields[width].span.start.saturating_sub(1)..span.end,
                format!(
                    "{extra} field{} too many",
                    if extra == 1 { "" } else { "s" }
                ),
            )
        } else {
            (
                span.end..span.end,
                format!(
                    "{} field{} missing",
                    width - found,
                    if width - found == 1 { "" } else { "s" }
                ),
            )
        };
        let help = if found > width {
            "put a cell that contains a comma in quotes (`\"1,234.5\"`), or remove the extra commas"
        } else {
            "every row has as many fields as the header; write an empty cell as nothing between two commas"
        };
        let diagnostic = self
            .diagnostic(
                Code::DataRaggedRow,
                at,
                format!("expected {width} fields as in the header, found {found}"),
                label,
            )
            .with_help(help);
        self.reporter.push(self.file, diagnostic);
    }

    fn quote_problems(&mut self, problems: &mut Vec<QuoteProblem>) {
        for problem in problems.drain(..) {
            let diagnostic = match problem {
                QuoteProblem::Unclosed(span) => self
                    .diagnostic(Code::DataBadQuote, span, "a quote is never closed", "this quote opens a cell that never ends")
                    .with_help("close the quote, or double a quote inside a quoted cell (`\"\"`); the rest of the line was read without it"),
                QuoteProblem::TextAfterQuote(span) => self
                    .diagnostic(Code::DataBadQuote, span, "text after a closing quote", "after the closing quote")
                    .with_help("put the whole cell in quotes, doubling any quote inside it: `\"say \"\"hi\"\"\"`"),
            };
            self.reporter.push(self.file, diagnostic);
        }
    }

    /// A name with a control character (NUL, a newline in a quoted cell)
    /// is an error: normalising cannot say what was meant.
    fn check_name(&mut self, name: &str, span: &Range<usize>) {
        let Some(control) = crate::name::control_character(name) else {
            return;
        };
        let diagnostic = self
            .diagnostic(
                Code::DataBadName,
                span.clone(),
                format!(
                    "the name holds the control character {}",
                    crate::name::describe(control)
                ),
                "a character that does not print",
            )
            .with_help("retype the name: exported cells sometimes carry invisible characters");
        self.reporter.push(self.file, diagnostic);
    }

    fn loc(&self, span: &Range<usize>) -> Loc {
        Loc {
            file: self.file,
            start: span.start as u32,
            end: span.end as u32,
        }
    }

    fn diagnostic(
        &self,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(self.source, code, span, message, label)
    }
}
