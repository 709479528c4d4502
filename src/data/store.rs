//! The loaded dataset: interned names, the entity tree, and per indicator a
//! column of values over (entity × year) with a parallel byte per cell for
//! the unit it was written in.
//!
//! A column is dense over the range of entities that have the indicator and
//! every year of the dataset when that is at least a quarter full, and
//! sparse (sorted keys) otherwise, so a few stray cells cannot blow it up.
//! Absent cells are NaN; text cells hold the id of an interned string in the
//! value's bits, with the unit byte [`TEXT`].

use std::path::Path;
use std::sync::Arc;

use indexmap::{IndexMap, IndexSet};

use super::tree::{Tree, NONE};
pub(crate) use super::units::TEXT;
use super::{AttributeId, Cell, DataSource, EntityId, IndicatorId, LoadOptions, Loader};
use crate::diag::{Diagnostics, SourceFile};
use crate::unit::Unit;

/// A place in a loaded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Loc {
    /// Index into the dataset's (or the staging's) files.
    pub file: u32,
    /// Byte range in the file's text.
    pub start: u32,
    /// End of the byte range.
    pub end: u32,
}

impl Loc {
    /// The byte range.
    pub fn span(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The years with any observation, and each one's slot in a column.
#[derive(Debug, Clone, Default)]
pub(crate) struct Years {
    /// The distinct years, ascending.
    pub list: Vec<i32>,
    /// Indexed by `year - list[0]`: the year's slot, or `NONE`.
    pub slots: Vec<u32>,
}

impl Years {
    /// The slots of a sorted list of distinct years.
    pub fn new(list: Vec<i32>) -> Years {
        let mut slots = Vec::new();
        if let (Some(&first), Some(&last)) = (list.first(), list.last()) {
            slots = vec![NONE; (last - first + 1) as usize];
            for (slot, &year) in list.iter().enumerate() {
                slots[(year - first) as usize] = slot as u32;
            }
        }
        Years { list, slots }
    }

    /// A year's slot.
    pub fn slot(&self, year: i32) -> Option<u32> {
        let first = *self.list.first()?;
        let offset = usize::try_from(i64::from(year) - i64::from(first)).ok()?;
        self.slots.get(offset).copied().filter(|&slot| slot != NONE)
    }

    /// How many distinct years.
    pub fn count(&self) -> usize {
        self.list.len()
    }
}

/// Where a column's cells are.
#[derive(Debug, Clone)]
pub(crate) enum Layout {
    /// Cell `(entity - first) * years + slot`.
    Dense {
        /// The first entity of the range.
        first: u32,
        /// How many entities the range has.
        entities: u32,
    },
    /// Cell `i` is the key `keys[i] = entity << 32 | slot`, sorted.
    Sparse {
        /// The keys of the cells, ascending.
        keys: Vec<u64>,
    },
}

/// One indicator's values.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    /// Where cells are.
    pub layout: Layout,
    /// The numbers as written; NaN where absent; a string id for text.
    pub values: Vec<f64>,
    /// 0 for a bare number, `code` for `units[code - 1]`, or [`TEXT`].
    pub units: Vec<u8>,
    /// The unit code declared for the indicator in a header, a name, or a
    /// `单位` column that agrees on all its rows.
    pub header_unit: u8,
    /// The files its data came from, joined by `, `.
    pub origin: Box<str>,
}

impl Column {
    /// The cell of an entity in a year slot.
    pub fn position(&self, entity: u32, slot: u32, year_count: usize) -> Option<usize> {
        match &self.layout {
            Layout::Dense { first, entities } => {
                let row = entity.checked_sub(*first)?;
                (row < *entities).then(|| row as usize * year_count + slot as usize)
            }
            Layout::Sparse { keys } => keys
                .binary_search(&(u64::from(entity) << 32 | u64::from(slot)))
                .ok(),
        }
    }
}

/// Indicator data loaded from CSV files: observations `(entity, year,
/// indicator) -> value` and the entity tree. Read it through
/// [`DataSource`].
///
/// ```
/// use zhibiao::data::{DataSource, Dataset};
///
/// let data = Dataset::from_csv_str(
///     "data.csv",
///     "地区,上级,年份,县域就诊率(%),床位数\n日照市,,2024,91.2,暂无\n东港区,日照市,2024,-,1200\n",
/// )
/// .unwrap();
/// assert_eq!(data.entity_names().collect::<Vec<_>>(), ["日照市", "东港区"]);
/// assert_eq!(data.indicator_names().collect::<Vec<_>>(), ["县域就诊率", "床位数"]);
/// let rate = data.find_indicator("县域就诊率").unwrap();
/// assert_eq!(data.header_unit(rate).map(|unit| unit.to_string()).as_deref(), Some("%"));
/// assert_eq!((data.observation_count(), data.missing_count()), (2, 2));
/// let markers: Vec<_> = data.missing_markers().iter().map(|count| count.marker).collect();
/// assert!(markers.contains(&"暂无") && markers.contains(&"-"));
///
/// let file = Dataset::from_csv_path("examples/rizhao/data.csv").unwrap();
/// assert!(file.has_rows(file.find_entity("日照市").unwrap()));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub(crate) entities: IndexSet<Box<str>>,
    pub(crate) tree: Tree,
    pub(crate) indicators: IndexSet<Box<str>>,
    pub(crate) columns: Vec<Column>,
    pub(crate) years: Years,
    pub(crate) units: Vec<Unit>,
    pub(crate) strings: Vec<Box<str>>,
    pub(crate) attributes: IndexMap<Box<str>, Vec<u32>>,
    pub(crate) observation_count: usize,
    pub(crate) missing_count: usize,
    pub(crate) missing_markers: Vec<MarkerCount>,
    /// Excerpts of the files read, for diagnostics that point into them
    /// after loading.
    pub(crate) files: Vec<Arc<SourceFile>>,
    /// Per indicator, where it is first named.
    pub(crate) indicator_first: Vec<Option<Loc>>,
    /// Per entity, whether it has rows of its own (not only named as a parent).
    pub(crate) entity_rows: Vec<bool>,
}

/// How many cells of one file carried one missing marker, from
/// [`Dataset::missing_markers`] (an example is there).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MarkerCount {
    /// The data file.
    pub file: String,
    /// The marker as listed in [`MISSING_MARKERS`](super::MISSING_MARKERS)
    /// (empty for an empty cell).
    pub marker: &'static str,
    /// Cells so marked.
    pub count: usize,
}

/// Reads a count back with its marker as the listed one it names.
impl<'de> serde::Deserialize<'de> for MarkerCount {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        struct Json {
            file: String,
            marker: String,
            count: usize,
        }
        let json = Json::deserialize(deserializer)?;
        let marker = std::iter::once("")
            .chain(super::MISSING_MARKERS.iter().copied())
            .find(|marker| *marker == json.marker)
            .ok_or_else(|| {
                serde::de::Error::custom(format!("`{}` is not a missing marker", json.marker))
            })?;
        Ok(MarkerCount {
            file: json.file,
            marker,
            count: json.count,
        })
    }
}

impl Dataset {
    /// Loads one CSV file. `Err` holds every error (and warning) found; on
    /// success warnings are dropped: use a [`Loader`] to see them.
    pub fn from_csv_path(path: impl AsRef<Path>) -> Result<Dataset, Diagnostics> {
        let mut loader = Loader::new(LoadOptions::default());
        loader.add_path(path.as_ref());
        loader.finish().map(|(dataset, _warnings)| dataset)
    }

    /// Loads CSV text; `name` is the file name used in diagnostics. `Err`
    /// holds every error (and warning) found; on success warnings are
    /// dropped: use a [`Loader`] to see them.
    pub fn from_csv_str(name: &str, text: &str) -> Result<Dataset, Diagnostics> {
        let mut loader = Loader::new(LoadOptions::default());
        loader.add_str(name, text);
        loader.finish().map(|(dataset, _warnings)| dataset)
    }

    /// The indicators, in order of first appearance (their ids).
    pub fn indicator_names(&self) -> impl Iterator<Item = &str> {
        self.indicators.iter().map(|name| &**name)
    }

    /// The entities, in order of first appearance (their ids).
    pub fn entity_names(&self) -> impl Iterator<Item = &str> {
        self.entities.iter().map(|name| &**name)
    }

    /// The unit declared for an indicator in the data: in its header
    /// (`婴儿死亡率(‰)`) or its name in an `指标` column, else the `单位`
    /// column's when every row of the indicator gives the same one. For the
    /// REPL's automatic declarations.
    pub fn header_unit(&self, indicator: IndicatorId) -> Option<&Unit> {
        let code = self.columns.get(indicator.0 as usize)?.header_unit;
        self.unit(code)
    }

    /// The number of values stored (missing cells not counted, a value
    /// given twice counted once).
    pub fn observation_count(&self) -> usize {
        self.observation_count
    }

    /// The number of cells marked missing (`-`, `NA`, empty, …).
    pub fn missing_count(&self) -> usize {
        self.missing_count
    }

    /// Per file and marker, the cells marked missing.
    pub fn missing_markers(&self) -> &[MarkerCount] {
        &self.missing_markers
    }

    /// Whether an entity has rows of its own, rather than only being
    /// named as another's parent.
    pub fn has_rows(&self, entity: EntityId) -> bool {
        self.entity_rows
            .get(entity.0 as usize)
            .copied()
            .unwrap_or(false)
    }

    /// The file and span where an indicator is first named, for
    /// diagnostics about it.
    pub(crate) fn indicator_place(
        &self,
        indicator: IndicatorId,
    ) -> Option<(&Arc<SourceFile>, std::ops::Range<usize>)> {
        let at = (*self.indicator_first.get(indicator.0 as usize)?)?;
        Some((self.files.get(at.file as usize)?, at.span()))
    }

    /// The years with any observation, ascending.
    pub fn years(&self) -> &[i32] {
        &self.years.list
    }

    fn unit(&self, code: u8) -> Option<&Unit> {
        match code {
            0 | TEXT => None,
            code => self.units.get(usize::from(code) - 1),
        }
    }
}

impl DataSource for Dataset {
    fn entity_count(&self) -> usize {
        self.entities.len()
    }

    fn entity_name(&self, entity: EntityId) -> &str {
        self.entities
            .get_index(entity.0 as usize)
            .map_or("", |name| name)
    }

    fn find_entity(&self, name: &str) -> Option<EntityId> {
        self.entities
            .get_index_of(&*crate::name::normalise(name))
            .map(|at| EntityId(at as u32))
    }

    fn parent(&self, entity: EntityId) -> Option<EntityId> {
        self.tree.parent(entity)
    }

    fn children(&self, entity: EntityId) -> &[EntityId] {
        self.tree.children(entity)
    }

    fn depth(&self, entity: EntityId) -> usize {
        self.tree.depth(entity)
    }

    fn tier(&self, entity: EntityId) -> Option<&str> {
        let tier = self.find_attribute(super::header::TIER)?;
        self.attribute(tier, entity)
    }

    fn find_attribute(&self, name: &str) -> Option<AttributeId> {
        let name = match super::header::role(name) {
            Some(super::header::Role::Tier) => super::header::TIER,
            Some(super::header::Role::Type) => super::header::TYPE,
            _ => name,
        };
        self.attributes
            .get_index_of(name)
            .map(|at| AttributeId(at as u32))
    }

    fn attribute(&self, attribute: AttributeId, entity: EntityId) -> Option<&str> {
        let (_, values) = self.attributes.get_index(attribute.0 as usize)?;
        let id = *values.get(entity.0 as usize)?;
        self.strings.get(id as usize).map(|text| &**text)
    }

    fn find_indicator(&self, name: &str) -> Option<IndicatorId> {
        self.indicators
            .get_index_of(&*crate::name::normalise(name))
            .map(|at| IndicatorId(at as u32))
    }

    fn indicator_name(&self, indicator: IndicatorId) -> &str {
        self.indicators
            .get_index(indicator.0 as usize)
            .map_or("", |name| name)
    }

    fn value(&self, indicator: IndicatorId, entity: EntityId, year: i32) -> Option<Cell<'_>> {
        let column = self.columns.get(indicator.0 as usize)?;
        let slot = self.years.slot(year)?;
        let at = column.position(entity.0, slot, self.years.count())?;
        let value = *column.values.get(at)?;
        match *column.units.get(at)? {
            TEXT => {
                let id = value.to_bits() as usize;
                self.strings.get(id).map(|text| Cell::Text(text))
            }
            _ if value.is_nan() => None,
            code => Some(Cell::Number {
                value,
                unit: self.unit(code),
            }),
        }
    }

    fn year_range(&self) -> Option<(i32, i32)> {
        Some((*self.years.list.first()?, *self.years.list.last()?))
    }

    fn origin(&self, indicator: IndicatorId) -> Option<&str> {
        self.columns
            .get(indicator.0 as usize)
            .map(|column| &*column.origin)
            .filter(|origin| !origin.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_slots() {
        let years = Years::new(vec![2016, 2018, 2025]);
        assert_eq!(years.slot(2016), Some(0));
        assert_eq!(years.slot(2017), None);
        assert_eq!(years.slot(2025), Some(2));
        assert_eq!(years.slot(2026), None);
        assert_eq!(years.slot(i32::MIN), None);
        assert_eq!(Years::new(Vec::new()).slot(2020), None);
    }

    #[test]
    fn an_empty_dataset_answers_without_panicking() {
        let data = Dataset::default();
        assert_eq!(data.entity_count(), 0);
        assert_eq!(data.entity_name(EntityId(3)), "");
        assert_eq!(data.indicator_name(IndicatorId(3)), "");
        assert_eq!(data.value(IndicatorId(0), EntityId(0), 2020), None);
        assert_eq!(data.children(EntityId(0)), []);
        assert_eq!(data.year_range(), None);
        assert_eq!(data.tier(EntityId(0)), None);
        assert_eq!(data.header_unit(IndicatorId(0)), None);
    }

    #[test]
    fn dataset_is_a_thread_safe_data_source() {
        fn check<T: DataSource + Send + Sync>() {}
        check::<Dataset>();
        let data = Dataset::default();
        let source: &dyn DataSource = &data;
        assert_eq!(source.origin(IndicatorId(0)), None);
    }
}
