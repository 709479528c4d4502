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
use super::staging::{Agreement, Observation, Staging};
use super::store::{Loc, TEXT};
use crate::diag::{Code, Diagnostic, SourceFile};

mod problems;
mod skip;

/// The longest field a data file may have, in bytes; a longer one is a
/// `data-field-too-long` error and its row is not read.
pub const MAX_FIELD_BYTES: usize = 64 << 10;

/// What the columns of a file are for, by index.
pub(crate) struct Plan {
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
pub(crate) struct Shape {
    width: usize,
    /// Fields a row has at least (trailing unnamed columns may be left off).
    least: usize,
    /// Whether the last column is a note, whose unquoted commas are forgiven.
    note_last: bool,
}

/// What the header says: how every data row after it is read.
pub(crate) struct Reading {
    plan: Plan,
    shape: Shape,
}

/// How the start of a file went: the header and the data rows among the
/// first rows.
pub(crate) enum Start {
    /// The text ends before the rows the header is looked for among: the
    /// next chunk of the file is needed first.
    More,
    /// Nothing more to read: the file is empty or its header is wrong.
    Stop,
    /// Read on from this byte of the text.
    Rows(Reading, usize),
}

/// Reads one file.
pub(crate) struct FileReader<'a> {
    staging: &'a mut Staging,
    reporter: &'a mut Reporter,
    source: &'a Arc<SourceFile>,
    file: u32,
    /// Per column, the entity and text of the last row, to skip repeats.
    last: Vec<(u32, String)>,
    /// The last row's entity, as written, and its id.
    last_entity: Option<(String, u32)>,
    /// Long files: indicator cells as written, to their id and unit.
    indicators: HashMap<Box<str>, (u32, u8)>,
    unnamed_reported: Vec<usize>,
    /// The header's row, one-based, when given (`--header-row`).
    header_row: Option<usize>,
    /// The rows and bytes the file is expected to have, for the room kept
    /// for values, when the text read at first is not all of it.
    expected: Option<(usize, usize)>,
    /// The last indicator cell the fast path met, as written, and its id.
    last_indicator: Option<(String, u32)>,
    /// Where the commas of a line are, for the fast path.
    commas: Vec<usize>,
    /// Whether the fast path is taken where it can be.
    fast: bool,
}

impl<'a> FileReader<'a> {
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
            last_entity: None,
            indicators: HashMap::new(),
            unnamed_reported: Vec::new(),
            header_row: None,
            expected: None,
            last_indicator: None,
            commas: Vec::new(),
            fast: true,
        }
    }

    /// Takes the header from this row (one-based) instead of finding it.
    pub fn with_header_row(mut self, row: Option<usize>) -> Self {
        self.header_row = row.filter(|&row| row > 0);
        self
    }

    /// Says how many rows and bytes the whole file has about, when the
    /// text given to [`FileReader::start`] is its first chunk only.
    pub fn with_expected(mut self, rows: usize, bytes: usize) -> Self {
        self.expected = Some((rows, bytes));
        self
    }

    /// Takes the fast path of projected long files where it can (the
    /// default), or reads every row field by field.
    pub fn with_fast_path(mut self, fast: bool) -> Self {
        self.fast = fast;
        self
    }

    /// What has been read so far.
    pub fn staging(&self) -> &Staging {
        self.staging
    }

    /// How many diagnostics have been recorded, in any file.
    pub fn reported(&self) -> usize {
        self.reporter.count()
    }

    /// Reads the file's text (without a byte-order mark).
    pub fn read(&mut self, text: &str) {
        if let Start::Rows(reading, at) = self.start(text, true) {
            let mut records = Records::new(text);
            records.skip_to(at);
            self.rows(&reading, &mut records);
        }
    }

    /// Reads the header and the data rows among the first rows of `text`,
    /// the start of the file (`last` when it is the whole file).
    pub fn start(&mut self, text: &str, last: bool) -> Start {
        let mut records = Records::chunk(text, 0, last);
        // The first rows, to find the header below any title rows.
        let mut head: Vec<Row<'_>> = Vec::new();
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
        if head.len() < layout::SEARCHED && !last {
            return Start::More;
        }
        if head.is_empty() {
            let diagnostic = self
                .diagnostic(Code::DataEmpty, 0..0, "the file is empty", "no header")
                .with_help("a data file starts with a header such as `地区,年份,指标,值`");
            self.reporter.push(self.file, diagnostic);
            return Start::Stop;
        }
        let cells: Vec<Vec<&str>> = head
            .iter()
            .map(|row| row.fields.iter().map(|field| field.text.as_ref()).collect())
            .collect();
        let units = &mut self.staging.units;
        let mut is_unit = |unit: &str| units.resolve(&cell::normalise(unit)).is_ok();
        let forced = self.header_row.map(|row| row.min(head.len()) - 1);
        let found = layout::locate(&cells, forced, &mut is_unit);
        let header_fields: Vec<Field<'_>> = if found.second {
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
            return Start::Stop;
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
                return Start::Stop;
            }
        };
        let plan = self.plan(&header, &header_fields);
        // Room for every value at once: no copying as the list grows. A
        // value takes at least two bytes of text, which bounds the guess.
        // A projection keeps few values: the list grows as needed.
        let (rows, bytes) = self.expected.unwrap_or_else(|| {
            let rows = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
            (rows, text.len())
        });
        let per_row = match &plan.layout {
            PlanLayout::Long { .. } => 1,
            PlanLayout::Wide(columns) => columns.len(),
        };
        if self.staging.projection.is_none() {
            self.staging
                .observations
                .reserve(rows.saturating_mul(per_row).min(bytes / 2));
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
        self.last = vec![(u32::MAX, String::new()); width];
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
        Start::Rows(Reading { plan, shape }, records.consumed())
    }

    /// Reads the data rows of `records` up to its end, or in a chunk up
    /// to the record that may go on in the next one.
    pub fn rows(&mut self, reading: &Reading, records: &mut Records<'_>) {
        let Reading { plan, shape } = reading;
        // One pair of buffers for every row: no allocation per row.
        let mut fields = Vec::new();
        let mut problems = Vec::new();
        loop {
            if self.fast && self.skipped_line(plan, shape, records) {
                continue;
            }
            let Some(span) = records.next_record(&mut fields, &mut problems) else {
                break;
            };
            self.data_row(plan, shape, span, &mut fields, &mut problems);
        }
    }

    /// Reads one row after the header.
    fn data_row(
        &mut self,
        plan: &Plan,
        shape: &Shape,
        span: Range<usize>,
        fields: &mut Vec<Field<'_>>,
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

    fn row(&mut self, plan: &Plan, fields: &[Field<'_>]) {
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
        let entity = match &entity_field.text {
            Cow::Borrowed(text) => match &self.last_entity {
                Some((last, entity)) if last == text => *entity,
                _ => {
                    self.check_name(entity_name, &entity_field.span);
                    let entity = self.staging.entity(entity_name);
                    let (known, id) = self
                        .last_entity
                        .get_or_insert_with(|| (String::new(), entity));
                    known.clear();
                    known.push_str(text);
                    *id = entity;
                    entity
                }
            },
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
                        self.skipped_value(year, &fields[column].text);
                    }
                }
            }
        }
    }

    fn long_value(
        &mut self,
        entity: u32,
        year: u16,
        indicator_field: &Field<'_>,
        value_field: &Field<'_>,
        unit_field: Option<&Field<'_>>,
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
            self.skipped_value(year, &value_field.text);
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
    fn long_indicator(&mut self, field: &Field<'_>) -> (u32, u8) {
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
            self.indicators.insert(text.into(), (indicator, code));
        }
        (indicator, code)
    }

    /// A value the projection does not keep: a missing marker is counted,
    /// as the coverage section lists them for every cell, and any other
    /// cell makes its year one of the dataset's, as a kept value would.
    fn skipped_value(&mut self, year: u16, text: &str) {
        // No marker starts with a digit: most cells are settled by a byte.
        let marker = match text.as_bytes().first() {
            Some(byte) if byte.is_ascii_digit() => None,
            _ => cell::missing_marker(&cell::normalise(text)),
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
    fn value(&mut self, entity: u32, year: u16, indicator: u32, field: &Field<'_>, base: u8) {
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

    fn parent(&mut self, entity: u32, entity_name: &str, column: usize, field: &Field<'_>) {
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
        field: &Field<'_>,
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
    fn repeated(&mut self, column: usize, entity: u32, field: &Field<'_>) -> bool {
        let Cow::Borrowed(text) = field.text else {
            return false;
        };
        let last = &mut self.last[column];
        if last.0 == entity && last.1 == text {
            return true;
        }
        last.0 = entity;
        last.1.clear();
        last.1.push_str(text);
        false
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
