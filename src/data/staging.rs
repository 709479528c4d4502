//! What the loader gathers from every file before the dataset is built:
//! interned names, one record per observation with where it was written,
//! each entity's parent and attributes, and the unit codes.
//! [`Staging::build`] turns it into a [`Dataset`], finding what only the
//! whole picture shows: duplicates, cycles, parents never given rows.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use indexmap::{IndexMap, IndexSet};

use super::reporter::Reporter;
use super::store::{Column, Dataset, Layout, Loc, MarkerCount, Years, TEXT};
use super::tree::{Tree, NONE};
use super::units::Units;
use super::Projection;
use crate::diag::{closest, Code, Diagnostic, SourceFile};

/// One value as read, 32 bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Observation {
    /// The number, or a string id in its bits when `unit` is [`TEXT`].
    pub value: f64,
    pub entity: u32,
    pub indicator: u32,
    pub file: u32,
    pub start: u32,
    pub end: u32,
    pub year: u16,
    /// A unit code, see [`Column::units`].
    pub unit: u8,
}

impl Observation {
    pub fn loc(&self) -> Loc {
        Loc {
            file: self.file,
            start: self.start,
            end: self.end,
        }
    }
}

/// What is known of an entity.
#[derive(Debug, Clone, Default)]
pub(crate) struct EntityFacts {
    /// Its first row, if it has rows of its own.
    pub row: Option<Loc>,
    /// Its parent and where that was said first.
    pub parent: Option<(u32, Loc)>,
    /// Where it was first named as a parent.
    pub named_as_parent: Option<Loc>,
}

/// Whether the rows of an indicator agree on the `单位` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Agreement {
    /// No row yet.
    #[default]
    Unset,
    /// Every row so far gave this unit code (0: none).
    One(u8),
    /// Rows disagree.
    Mixed,
}

/// What is known of an indicator.
#[derive(Debug, Clone, Default)]
pub(crate) struct IndicatorFacts {
    /// The unit in its header or name (0: none), the first one given.
    pub header_unit: u8,
    /// The `单位` column's unit over its rows.
    pub unit_column: Agreement,
    /// The files it appears in.
    pub files: Vec<u32>,
    /// Where it is first named: a header or an `指标` cell.
    pub first: Option<Loc>,
    /// Whether its values are kept (see [`Projection`]).
    pub kept: bool,
}

/// A file read a chunk at a time, whose text is not kept: its excerpt was
/// made as it was read, and a diagnostic made when the dataset is built
/// reads it again.
#[derive(Debug, Clone)]
pub(crate) struct Streamed {
    pub path: PathBuf,
    /// Its length when read.
    pub length: u64,
    /// The excerpt keeping the lines where its indicators are first named.
    pub excerpt: Arc<SourceFile>,
    /// Per indicator first named in it, where in the excerpt.
    pub places: HashMap<u32, std::ops::Range<usize>>,
    /// Its whole text, read again when a diagnostic needs it.
    pub whole: OnceLock<Arc<SourceFile>>,
}

/// Everything read so far.
#[derive(Debug, Default, Clone)]
pub(crate) struct Staging {
    /// The files read; a streamed file's text is empty here.
    pub files: Vec<Arc<SourceFile>>,
    /// The files read a chunk at a time, by index.
    pub streamed: HashMap<u32, Streamed>,
    pub entities: IndexSet<Box<str>>,
    pub entity_facts: Vec<EntityFacts>,
    pub indicators: IndexSet<Box<str>>,
    pub indicator_facts: Vec<IndicatorFacts>,
    /// Per attribute, per entity: the value's string id and where it was given.
    pub attributes: IndexMap<Box<str>, Vec<Option<(u32, Loc)>>>,
    pub strings: IndexSet<Box<str>>,
    pub units: Units,
    pub observations: Vec<Observation>,
    pub missing: usize,
    /// Per file and missing marker, how many cells were so marked.
    pub markers: IndexMap<(u32, &'static str), usize>,
    /// Conflicts already reported: (entity, attribute or `NONE` for the
    /// parent, the conflicting value).
    reported: HashSet<(u32, u32, u32)>,
    /// The indicators whose values are kept; `None`: all.
    pub projection: Option<Projection>,
    /// By year (0–9999, empty until needed), whether a value not kept was
    /// given in it: a year with any value is one of the dataset's.
    pub skipped_years: Vec<bool>,
}

/// Something said twice of an entity, differently.
#[derive(Debug, Clone)]
pub(crate) struct Conflict {
    /// Where the first value was given.
    pub first: Loc,
    /// The first value.
    pub first_value: String,
}

impl Staging {
    /// The id of an entity, created if new.
    pub fn entity(&mut self, name: &str) -> u32 {
        let name = &*crate::name::normalise(name);
        if let Some(at) = self.entities.get_index_of(name) {
            return at as u32;
        }
        self.entities.insert(name.into());
        self.entity_facts.push(EntityFacts::default());
        (self.entities.len() - 1) as u32
    }

    /// The id of an indicator, created if new; notes the file.
    pub fn indicator(&mut self, name: &str, at: Loc) -> u32 {
        let name = &*crate::name::normalise(name);
        let index = match self.indicators.get_index_of(name) {
            Some(index) => index,
            None => {
                let kept = self
                    .projection
                    .as_ref()
                    .is_none_or(|projection| projection.keeps(name));
                self.indicators.insert(name.into());
                self.indicator_facts.push(IndicatorFacts {
                    kept,
                    ..IndicatorFacts::default()
                });
                self.indicators.len() - 1
            }
        };
        let facts = &mut self.indicator_facts[index];
        facts.first.get_or_insert(at);
        if facts.files.last() != Some(&at.file) {
            facts.files.push(at.file);
        }
        index as u32
    }

    /// Counts a cell marked missing.
    pub fn note_missing(&mut self, file: u32, marker: &'static str) {
        self.missing += 1;
        *self.markers.entry((file, marker)).or_insert(0) += 1;
    }

    /// The id of an interned string.
    pub fn string(&mut self, text: &str) -> u32 {
        if let Some(at) = self.strings.get_index_of(text) {
            return at as u32;
        }
        self.strings.insert(text.into());
        (self.strings.len() - 1) as u32
    }

    /// The id of an attribute column.
    pub fn attribute(&mut self, name: &str) -> u32 {
        if let Some(at) = self.attributes.get_index_of(name) {
            return at as u32;
        }
        self.attributes.insert(name.into(), Vec::new());
        (self.attributes.len() - 1) as u32
    }

    /// Notes that an entity has a row of its own.
    pub fn note_row(&mut self, entity: u32, at: Loc) {
        let facts = &mut self.entity_facts[entity as usize];
        facts.row.get_or_insert(at);
    }

    /// Sets an entity's parent; a different parent than before is a conflict
    /// (reported once per entity and parent).
    pub fn set_parent(&mut self, entity: u32, parent: u32, at: Loc) -> Result<(), Conflict> {
        self.entity_facts[parent as usize]
            .named_as_parent
            .get_or_insert(at);
        let facts = &mut self.entity_facts[entity as usize];
        match facts.parent {
            None => {
                facts.parent = Some((parent, at));
                Ok(())
            }
            Some((known, _)) if known == parent => Ok(()),
            Some((known, first)) => {
                if !self.reported.insert((entity, NONE, parent)) {
                    return Ok(());
                }
                Err(Conflict {
                    first,
                    first_value: self.entities[known as usize].to_string(),
                })
            }
        }
    }

    /// Sets an entity's attribute; a different value than before is a
    /// conflict (reported once per entity, attribute and value).
    pub fn set_attribute(
        &mut self,
        attribute: u32,
        entity: u32,
        value: u32,
        at: Loc,
    ) -> Result<(), Conflict> {
        let count = self.entities.len();
        let Some((_, values)) = self.attributes.get_index_mut(attribute as usize) else {
            return Ok(());
        };
        if values.len() < count {
            values.resize(count, None);
        }
        match values[entity as usize] {
            None => {
                values[entity as usize] = Some((value, at));
                Ok(())
            }
            Some((known, _)) if known == value => Ok(()),
            Some((known, first)) => {
                if !self.reported.insert((entity, attribute, value)) {
                    return Ok(());
                }
                Err(Conflict {
                    first,
                    first_value: self.strings[known as usize].to_string(),
                })
            }
        }
    }

    /// A file with its whole text, for a diagnostic: a streamed file is
    /// read again, once. Should it have changed since, its text is left
    /// empty (labels then point at its start) rather than a wrong one shown.
    pub fn source(&self, file: u32) -> &Arc<SourceFile> {
        let listed = &self.files[file as usize];
        let Some(streamed) = self.streamed.get(&file) else {
            return listed;
        };
        streamed.whole.get_or_init(|| {
            let text = std::fs::read(&streamed.path)
                .ok()
                .filter(|bytes| bytes.len() as u64 == streamed.length)
                .and_then(|mut bytes| {
                    if bytes.starts_with(b"\xEF\xBB\xBF") {
                        bytes.drain(..3);
                    }
                    String::from_utf8(bytes).ok()
                })
                .unwrap_or_default();
            SourceFile::new(listed.name(), text)
        })
    }

    /// The text of a place, as written.
    pub fn text(&self, at: Loc) -> &str {
        if at.file as usize >= self.files.len() {
            return "";
        }
        self.source(at.file).text().get(at.span()).unwrap_or("")
    }

    /// One-based line of a place.
    pub fn line(&self, at: Loc) -> usize {
        if at.file as usize >= self.files.len() {
            return 0;
        }
        self.source(at.file).line_col(at.start as usize).0
    }

    /// "line 3" in the same file, "line 3 of `a.csv`" in another.
    pub fn place(&self, at: Loc, from: u32) -> String {
        let line = self.line(at);
        if at.file == from {
            format!("line {line}")
        } else {
            format!("line {line} of `{}`", self.files[at.file as usize].name())
        }
    }

    fn error(&self, at: Loc, code: Code, message: String, label: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.source(at.file), code, at.span(), message, label)
    }

    /// Builds the dataset, reporting what only the whole picture shows.
    /// `None` when there were errors, here or before.
    pub fn build(mut self, reporter: &mut Reporter) -> Option<Dataset> {
        self.created_parents(reporter);
        let tree = self.tree(reporter);
        let list: Vec<i32> = {
            let mut seen = std::mem::take(&mut self.skipped_years);
            seen.resize(10_000, false);
            for observation in &self.observations {
                seen[usize::from(observation.year).min(9_999)] = true;
            }
            (0..10_000)
                .filter(|&year| seen[year])
                .map(|year| year as i32)
                .collect()
        };
        let years = Years::new(list);
        let columns = self.columns(&years, reporter);
        if reporter.has_errors() {
            return None;
        }
        let tree = tree?;
        let count = self.entities.len();
        let attributes = std::mem::take(&mut self.attributes)
            .into_iter()
            .map(|(name, mut values)| {
                values.resize(count, None);
                let ids = values
                    .into_iter()
                    .map(|value| value.map_or(NONE, |(id, _)| id))
                    .collect();
                (name, ids)
            })
            .collect();
        let observation_count = columns
            .iter()
            .map(|column| {
                column
                    .values
                    .iter()
                    .zip(&column.units)
                    .filter(|(value, &unit)| unit == TEXT || !value.is_nan())
                    .count()
            })
            .sum();
        // Only the lines that diagnostics after loading point into are kept.
        // A streamed file's excerpt was made as it was read.
        let places: Vec<_> = self
            .indicator_facts
            .iter()
            .map(|facts| {
                facts
                    .first
                    .filter(|at| !self.streamed.contains_key(&at.file))
                    .map(|at| (at.file, at.span()))
            })
            .collect();
        let (mut files, mut moved) = super::excerpt::excerpts(&self.files, &places);
        for (&file, streamed) in &self.streamed {
            files[file as usize] = Arc::clone(&streamed.excerpt);
        }
        for (indicator, facts) in self.indicator_facts.iter().enumerate() {
            let Some(at) = facts.first else { continue };
            if let Some(streamed) = self.streamed.get(&at.file) {
                moved[indicator] = streamed
                    .places
                    .get(&(indicator as u32))
                    .map(|span| (at.file, span.clone()));
            }
        }
        let indicator_first = moved
            .into_iter()
            .map(|place| {
                place.map(|(file, span)| Loc {
                    file,
                    start: span.start as u32,
                    end: span.end as u32,
                })
            })
            .collect();
        Some(Dataset {
            entities: self.entities,
            tree,
            indicators: self.indicators,
            columns,
            years,
            units: self.units.list,
            strings: self.strings.into_iter().collect(),
            attributes,
            observation_count,
            missing_count: self.missing,
            missing_markers: self
                .markers
                .iter()
                .map(|(&(file, marker), &count)| MarkerCount {
                    file: self.files[file as usize].name().to_string(),
                    marker,
                    count,
                })
                .collect(),
            files,
            indicator_first,
            entity_rows: self
                .entity_facts
                .iter()
                .map(|facts| facts.row.is_some())
                .collect(),
        })
    }

    /// Warns of parents named but never given rows; they stay entities.
    fn created_parents(&self, reporter: &mut Reporter) {
        let with_rows = || {
            self.entities
                .iter()
                .zip(&self.entity_facts)
                .filter(|(_, facts)| facts.row.is_some())
                .map(|(name, _)| &**name)
        };
        for (name, facts) in self.entities.iter().zip(&self.entity_facts) {
            let (None, Some(at)) = (facts.row, facts.named_as_parent) else {
                continue;
            };
            let help = match closest(name, with_rows()) {
                Some(near) => format!("did you mean `{near}`? otherwise add rows for `{name}`, or ignore this if it has no data of its own"),
                None => format!("add rows for `{name}` if it has data of its own; check the name if it should be another entity"),
            };
            let diagnostic = Diagnostic::warning(
                self.source(at.file),
                Code::DataParentCreated,
                at.span(),
                format!("`{name}` is a parent but has no rows of its own"),
                "created here as an entity without data",
            )
            .with_help(help);
            reporter.push(at.file, diagnostic);
        }
    }

    /// The entity tree, or `None` after reporting its cycles.
    fn tree(&self, reporter: &mut Reporter) -> Option<Tree> {
        let parents = self
            .entity_facts
            .iter()
            .map(|facts| facts.parent.map_or(NONE, |(parent, _)| parent))
            .collect();
        let cycles = match Tree::build(parents) {
            Ok(tree) => return Some(tree),
            Err(cycles) => cycles,
        };
        for cycle in cycles {
            let names: Vec<String> = cycle
                .iter()
                .chain(cycle.first())
                .map(|&entity| format!("`{}`", self.entities[entity as usize]))
                .collect();
            let place = |entity: u32| self.entity_facts[entity as usize].parent.map(|(_, at)| at);
            let Some(first) = place(cycle[0]) else {
                continue;
            };
            let mut diagnostic = self.error(
                first,
                Code::DataCycle,
                format!("the parents form a cycle: {}", names.join(" → ")),
                format!("{} is under {}", names[0], names[1]),
            );
            for (at, &entity) in cycle.iter().enumerate().skip(1) {
                if let Some(place) = place(entity).filter(|place| place.file == first.file) {
                    diagnostic = diagnostic.with_label(
                        place.span(),
                        format!("{} is under {}", names[at], names[at + 1]),
                    );
                }
            }
            let help = "every chain of 上级 must end at an entity without one: correct one of these parents";
            reporter.push(first.file, diagnostic.with_help(help));
        }
        None
    }

    /// Fills the columns, reporting values given twice differently and
    /// indicators with both numbers and text.
    fn columns(&self, years: &Years, reporter: &mut Reporter) -> Vec<Column> {
        let year_count = years.count();
        let indicator_count = self.indicators.len();
        let mut ranges = vec![(u32::MAX, 0u32, 0usize); indicator_count];
        for observation in &self.observations {
            let range = &mut ranges[observation.indicator as usize];
            range.0 = range.0.min(observation.entity);
            range.1 = range.1.max(observation.entity);
            range.2 += 1;
        }
        let mut sparse: Vec<Vec<(u64, u32)>> = vec![Vec::new(); indicator_count];
        let mut columns: Vec<Column> = (0..indicator_count)
            .map(|indicator| {
                let (first, last, count) = ranges[indicator];
                let facts = &self.indicator_facts[indicator];
                let header_unit = match (facts.header_unit, facts.unit_column) {
                    (0, Agreement::One(code)) => code,
                    (code, _) => code,
                };
                let origin = facts
                    .files
                    .iter()
                    .map(|&file| self.files[file as usize].name())
                    .collect::<IndexSet<_>>()
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join(", ")
                    .into();
                let entities = if count == 0 { 0 } else { last - first + 1 };
                let cells = entities as usize * year_count;
                let layout = if cells <= 4 * count + 64 {
                    Layout::Dense {
                        first: if count == 0 { 0 } else { first },
                        entities,
                    }
                } else {
                    sparse[indicator].reserve(count);
                    Layout::Sparse { keys: Vec::new() }
                };
                let size = if matches!(layout, Layout::Dense { .. }) {
                    cells
                } else {
                    0
                };
                Column {
                    layout,
                    values: vec![f64::NAN; size],
                    units: vec![0; size],
                    header_unit,
                    origin,
                }
            })
            .collect();
        // Dense columns are filled in one pass; a clash is kept to report.
        let mut clashes: Vec<(u32, usize, usize)> = Vec::new();
        for (index, observation) in self.observations.iter().enumerate() {
            let indicator = observation.indicator as usize;
            let Some(slot) = years.slot(i32::from(observation.year)) else {
                continue;
            };
            let column = &mut columns[indicator];
            if matches!(column.layout, Layout::Sparse { .. }) {
                sparse[indicator].push((
                    u64::from(observation.entity) << 32 | u64::from(slot),
                    index as u32,
                ));
                continue;
            }
            let Some(at) = column.position(observation.entity, slot, year_count) else {
                continue;
            };
            if column.units[at] != TEXT && column.values[at].is_nan() {
                column.values[at] = observation.value;
                column.units[at] = observation.unit;
            } else if !self.same(column.values[at], column.units[at], observation) {
                clashes.push((observation.indicator, at, index));
            }
        }
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        if !clashes.is_empty() {
            let wanted: HashSet<(u32, usize)> = clashes
                .iter()
                .map(|&(indicator, at, _)| (indicator, at))
                .collect();
            let mut firsts: HashMap<(u32, usize), usize> = HashMap::new();
            for (index, observation) in self.observations.iter().enumerate() {
                let column = &columns[observation.indicator as usize];
                let Some(slot) = years.slot(i32::from(observation.year)) else {
                    continue;
                };
                if let Some(at) = column.position(observation.entity, slot, year_count) {
                    if wanted.contains(&(observation.indicator, at)) {
                        firsts.entry((observation.indicator, at)).or_insert(index);
                    }
                }
            }
            for (indicator, at, index) in clashes {
                if let Some(&first) = firsts.get(&(indicator, at)) {
                    pairs.push((first, index));
                }
            }
        }
        for (indicator, mut cells) in sparse.into_iter().enumerate() {
            if cells.is_empty() {
                continue;
            }
            cells.sort_unstable();
            let column = &mut columns[indicator];
            let mut keys = Vec::with_capacity(cells.len());
            let mut first_of_key = 0;
            for (at, &(key, index)) in cells.iter().enumerate() {
                let observation = &self.observations[index as usize];
                if keys.last() == Some(&key) {
                    let first = cells[first_of_key].1 as usize;
                    let known = &self.observations[first];
                    if !self.same(known.value, known.unit, observation) {
                        pairs.push((first, index as usize));
                    }
                    continue;
                }
                first_of_key = at;
                keys.push(key);
                column.values.push(observation.value);
                column.units.push(observation.unit);
            }
            column.layout = Layout::Sparse { keys };
        }
        for (first, second) in pairs {
            reporter_duplicate(self, reporter, first, second);
        }
        self.mixed_cells(reporter);
        columns
    }

    /// Whether an observation repeats a stored value: the same text, the
    /// same number in the same unit, or the same quantity in two units of
    /// one dimension.
    fn same(&self, value: f64, unit: u8, observation: &Observation) -> bool {
        if unit == TEXT || observation.unit == TEXT {
            return unit == observation.unit && value.to_bits() == observation.value.to_bits();
        }
        if unit == observation.unit {
            return value == observation.value;
        }
        match (self.units.get(unit), self.units.get(observation.unit)) {
            (Some(a), Some(b)) if a.dimension == b.dimension => {
                let (a, b) = (value * a.scale, observation.value * b.scale);
                (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
            }
            _ => false,
        }
    }

    /// Text among the numbers of an indicator is not a value: each such
    /// cell is a `data-bad-number` error (a missing value is written with a
    /// marker from the list). A number among the text of a grade indicator
    /// is a warning at the first one.
    fn mixed_cells(&self, reporter: &mut Reporter) {
        let mut kinds = vec![(0usize, 0usize, None::<Loc>); self.indicators.len()];
        for observation in &self.observations {
            let kind = &mut kinds[observation.indicator as usize];
            if observation.unit == TEXT {
                kind.1 += 1;
            } else {
                kind.0 += 1;
                kind.2.get_or_insert(observation.loc());
            }
        }
        for observation in &self.observations {
            let (numbers, texts, _) = kinds[observation.indicator as usize];
            if observation.unit != TEXT || numbers == 0 || texts > numbers {
                continue;
            }
            let at = observation.loc();
            let name = &self.indicators[observation.indicator as usize];
            let found = self.text(at).trim();
            let diagnostic = self
                .error(
                    at,
                    Code::DataBadNumber,
                    format!("expected a number for `{name}`, found `{found}`"),
                    "not a number",
                )
                .with_help("write the value, or a missing marker such as `-`, `暂无` or `NA` (the README lists them all)");
            reporter.push(at.file, diagnostic);
        }
        for (indicator, (numbers, texts, first_number)) in kinds.into_iter().enumerate() {
            let Some(first_number) = first_number.filter(|_| texts > numbers) else {
                continue;
            };
            let name = &self.indicators[indicator];
            let diagnostic = Diagnostic::warning(
                self.source(first_number.file),
                Code::DataMixedCells,
                first_number.span(),
                format!("`{name}` has both numbers ({numbers}) and text ({texts})"),
                "a number among text",
            )
            .with_help(format!(
                "check {} like this: a grade indicator holds only names, a numeric one only numbers",
                if numbers == 1 { "the cell" } else { "the cells" }
            ));
            reporter.push(first_number.file, diagnostic);
        }
    }
}

/// Reports one observation given twice with different values.
fn reporter_duplicate(staging: &Staging, reporter: &mut Reporter, first: usize, second: usize) {
    let (first, second) = (&staging.observations[first], &staging.observations[second]);
    let (first_at, second_at) = (first.loc(), second.loc());
    let message = format!(
        "`{}` of `{}` in {} is given twice: `{}` on {} and `{}` on {}",
        staging.indicators[second.indicator as usize],
        staging.entities[second.entity as usize],
        second.year,
        staging.text(first_at).trim(),
        staging.place(first_at, second_at.file),
        staging.text(second_at).trim(),
        staging.place(second_at, second_at.file),
    );
    let mut diagnostic = staging.error(second_at, Code::DataDuplicate, message, "the second value");
    if first_at.file == second_at.file {
        diagnostic = diagnostic.with_label(first_at.span(), "the first value");
    }
    let help = "keep one of the two rows, or correct its region, year or indicator";
    reporter.push(second_at.file, diagnostic.with_help(help));
}
