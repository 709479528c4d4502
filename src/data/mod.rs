//! Indicator data: observations `(entity, year, indicator) -> value` loaded
//! from long or wide CSV files into a compact columnar [`Dataset`], and the
//! [`DataSource`] trait through which the evaluator reads any store.
//!
//! ```
//! use zhibiao::data::{DataSource, Dataset};
//!
//! let data = Dataset::from_csv_str(
//!     "data.csv",
//!     "地区,上级,年份,指标,值\n日照市,,2024,县域就诊率,91.2%\n东港区,日照市,2024,县域就诊率,88%\n",
//! )
//! .unwrap();
//! let county = data.find_entity("东港区").unwrap();
//! assert_eq!(data.entity_name(data.parent(county).unwrap()), "日照市");
//! assert_eq!(data.depth(county), 1);
//! ```
//!
//! Workbooks (`.xlsx`, `.xls`, `.ods`) are recognised by their first bytes
//! and read by `sheet` into the same rows of cells as CSV, each field
//! mapped back to its cell (`Sheet1!C7`), then follow the same path.
//!
//! The pipeline of a file: `decode` (bytes to text: UTF-8, GBK, UTF-16) →
//! `records` (CSV fields with their spans) → `header` (the columns' roles,
//! units in headers) → `cell` (numbers, units, years, missing markers) →
//! the `reader` puts each row into the `staging` area, with a code per
//! distinct unit (`units`) and every problem in the `reporter`; then
//! [`Loader::finish`] builds the entity `tree` and the columnar `store`.
//! A UTF-8 CSV file on disk is read a chunk at a time (`stream`), so a
//! load holds what is kept of it rather than its text; a file with any
//! problem is read again whole, and its diagnostics are those of a whole
//! read.
//!
//! # Diagnostics
//!
//! Every problem is a [`Diagnostic`](crate::diag::Diagnostic) pointing at the
//! file, line and column, with one of these stable codes. Errors are
//! collected over all files; a file reports at most 100 of one code, then
//! one more diagnostic counting the rest.
//!
//! | code | smallest input that triggers it |
//! |---|---|
//! | `data-read` | a path that cannot be read (or a file over 4 GiB) |
//! | `data-encoding` | bytes that are neither UTF-8 nor GBK, or not the forced encoding |
//! | `data-empty` | an empty file, or one with blank lines only |
//! | `data-workbook` | a damaged `.xlsx` (a zip package that is not a workbook) |
//! | `data-unknown-sheet` | `--sheet 数据` for a workbook whose sheets are `Sheet1`, `Sheet2` |
//! | `data-missing-column` | `地区,指标,值` (no `年份`) |
//! | `data-duplicate-column` | `地区,年份,年份,值` |
//! | `data-unnamed-column` | `地区,年份,,x` with a value under the empty header |
//! | `data-misplaced-column` | `地区,年份,单位,床位数` (a `单位` column in a wide file) |
//! | `data-ragged-row` | a row with more or fewer fields than the header |
//! | `data-bad-quote` | `甲,"2024,x,1` (a quote never closed) |
//! | `data-empty-name` | `,2024,床位数,5` (a row without its region or indicator) |
//! | `data-bad-year` | `甲,24年,床位数,5` |
//! | `data-bad-number` | `甲,2024,床位数,1.2.3` or `>90` |
//! | `data-unknown-unit` | `甲,2024,床位数,5床位` |
//! | `data-unit-mismatch` | header `床位数(张)` with the cell `5%` |
//! | `data-too-many-units` | more than 254 distinct units in the loaded files |
//! | `data-duplicate` | the same entity, year and indicator with two different values |
//! | `data-conflicting-parent` | one entity given the parents `甲` and `乙` |
//! | `data-conflicting-attribute` | one entity given the `类型` values `A` and `B` |
//! | `data-cycle` | `甲` under `乙` and `乙` under `甲` |
//! | `data-bad-name` | `"甲\0",2024,x,1` (a control character in a name) |
//! | `data-parent-created` | warning: a parent named but never given rows |
//! | `data-scale` | warning: `0.88` among `91.5` and `86` in a `%` column |
//! | `data-header-row` | warning: the header found below a title row, or over two rows |
//! | `data-unquoted-comma` | warning: `全国,2021,x,5,新华社(妇幼,2021)` under `地区,年份,指标,值,来源` |
//! | `data-ratio-first-term` | warning: a ratio cell `2:1.1` (read as 0.55 per 1) |
//! | `data-mixed-cells` | warning: an indicator with both numbers and text |

use std::fmt;
use std::str::FromStr;

use crate::unit::Unit;

mod builder;
mod cell;
mod decode;
mod excerpt;
mod header;
mod layout;
mod loader;
mod percent;
#[cfg(test)]
mod projection_tests;
mod reader;
mod records;
mod reporter;
mod scale;
mod sheet;
mod staging;
mod store;
mod stream;
#[cfg(test)]
mod tests;
mod tree;
mod units;

pub use builder::{DatasetBuilder, IN_MEMORY};
pub use cell::MISSING_MARKERS;
pub use loader::Loader;
pub use reader::MAX_FIELD_BYTES;
pub use store::{Dataset, MarkerCount};

/// An entity (a region or an institution); ids are dense from 0. The
/// example of [`DataSource`] reads entities by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(pub u32);

/// An indicator; ids are dense from 0. See [`DataSource`] for an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IndicatorId(pub u32);

/// An entity attribute column such as `类型` or `级别`. See [`DataSource`]
/// for an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttributeId(pub u32);

/// One stored value, as [`DataSource::value`] reads it (an example is
/// there).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// A number as written, with the unit it was written in: the cell's own
    /// (`92.3%`), else the `单位` column's, else the header's
    /// (`婴儿死亡率(‰)`). `None` is a bare number, to be read in the
    /// indicator's declared unit. A ratio cell `1:0.58` is the value 0.58
    /// with a ratio unit of scale 1 and symbol `:` (B per A).
    Number {
        /// The number as written (`92.3` for `92.3%`).
        value: f64,
        /// The unit it was written in, if any.
        unit: Option<&'a Unit>,
    },
    /// Text such as a grade name (`二级甲等`; `「A+」` is stored as `A+`).
    Text(&'a str),
}

/// What the evaluator needs from data. [`Dataset`] implements it; host
/// applications can implement it for their own stores (`examples/embed.rs`
/// is one). Ids are dense: `0..entity_count()`.
///
/// ```
/// use std::sync::Arc;
/// use zhibiao::data::{Cell, DataSource, Dataset};
///
/// let data = Dataset::from_csv_str(
///     "data.csv",
///     "地区,上级,类型,年份,指标,值\n日照市,,,2024,县域就诊率,91.2%\n日照市妇幼保健院,日照市,妇幼保健院,2024,医院等级,二级甲等\n",
/// )
/// .unwrap();
/// // Anything a `DataSource` is: `&Dataset`, `Arc<Dataset>`, `Box<dyn DataSource>`.
/// fn describe(data: &dyn DataSource, name: &str, indicator: &str) -> Option<String> {
///     let (entity, indicator) = (data.find_entity(name)?, data.find_indicator(indicator)?);
///     match data.value(indicator, entity, 2024)? {
///         Cell::Number { value, unit } => Some(format!("{value}{}", unit?.symbol)),
///         Cell::Text(text) => Some(text.to_string()),
///     }
/// }
/// let shared = Arc::new(data);
/// assert_eq!(describe(&shared, "日照市", "县域就诊率").as_deref(), Some("91.2%"));
/// assert_eq!(describe(&shared, "日照市妇幼保健院", "医院等级").as_deref(), Some("二级甲等"));
/// let hospital = shared.find_entity("日照市妇幼保健院").unwrap();
/// let kind = shared.find_attribute("类型").unwrap();
/// assert_eq!(shared.attribute(kind, hospital), Some("妇幼保健院"));
/// assert_eq!(shared.children(shared.parent(hospital).unwrap()), [hospital]);
/// ```
pub trait DataSource: Sync {
    /// The number of entities.
    fn entity_count(&self) -> usize;
    /// An entity's name.
    fn entity_name(&self, entity: EntityId) -> &str;
    /// The entity of that name.
    fn find_entity(&self, name: &str) -> Option<EntityId>;
    /// An entity's parent in the tree.
    fn parent(&self, entity: EntityId) -> Option<EntityId>;
    /// An entity's children, in order of first appearance.
    fn children(&self, entity: EntityId) -> &[EntityId];
    /// Depth in the tree, the root(s) at 0.
    fn depth(&self, entity: EntityId) -> usize;
    /// The tier name from a `级别`/`level` column, if the data has one.
    fn tier(&self, entity: EntityId) -> Option<&str>;
    /// An attribute column: `类型`, `级别`, or any other attribute column.
    fn find_attribute(&self, name: &str) -> Option<AttributeId>;
    /// An entity's value of an attribute.
    fn attribute(&self, attribute: AttributeId, entity: EntityId) -> Option<&str>;
    /// The indicator of that name.
    fn find_indicator(&self, name: &str) -> Option<IndicatorId>;
    /// An indicator's name.
    fn indicator_name(&self, indicator: IndicatorId) -> &str;
    /// The value of an indicator for an entity in a year.
    fn value(&self, indicator: IndicatorId, entity: EntityId, year: i32) -> Option<Cell<'_>>;
    /// First and last year with any observation.
    fn year_range(&self) -> Option<(i32, i32)>;
    /// Where data for this indicator came from, for messages: e.g.
    /// `examples/rizhao/data.csv`.
    fn origin(&self, indicator: IndicatorId) -> Option<&str> {
        let _ = indicator;
        None
    }
}

/// A reference, box or `Arc` of a data source is one too, so a host can
/// pass `&Arc<Dataset>` or a `Box<dyn DataSource>` to `Program::check`.
macro_rules! forward_data_source {
    ($([$($bound:tt)+] $wrapper:ty),+) => {$(
        impl<T: $($bound)+ + ?Sized> DataSource for $wrapper {
            fn entity_count(&self) -> usize {
                (**self).entity_count()
            }
            fn entity_name(&self, entity: EntityId) -> &str {
                (**self).entity_name(entity)
            }
            fn find_entity(&self, name: &str) -> Option<EntityId> {
                (**self).find_entity(name)
            }
            fn parent(&self, entity: EntityId) -> Option<EntityId> {
                (**self).parent(entity)
            }
            fn children(&self, entity: EntityId) -> &[EntityId] {
                (**self).children(entity)
            }
            fn depth(&self, entity: EntityId) -> usize {
                (**self).depth(entity)
            }
            fn tier(&self, entity: EntityId) -> Option<&str> {
                (**self).tier(entity)
            }
            fn find_attribute(&self, name: &str) -> Option<AttributeId> {
                (**self).find_attribute(name)
            }
            fn attribute(&self, attribute: AttributeId, entity: EntityId) -> Option<&str> {
                (**self).attribute(attribute, entity)
            }
            fn find_indicator(&self, name: &str) -> Option<IndicatorId> {
                (**self).find_indicator(name)
            }
            fn indicator_name(&self, indicator: IndicatorId) -> &str {
                (**self).indicator_name(indicator)
            }
            fn value(&self, indicator: IndicatorId, entity: EntityId, year: i32) -> Option<Cell<'_>> {
                (**self).value(indicator, entity, year)
            }
            fn year_range(&self) -> Option<(i32, i32)> {
                (**self).year_range()
            }
            fn origin(&self, indicator: IndicatorId) -> Option<&str> {
                (**self).origin(indicator)
            }
        }
    )+};
}

forward_data_source!([DataSource] &T, [DataSource] Box<T>, [DataSource + Send] std::sync::Arc<T>);

/// A text encoding a data file can be forced to.
///
/// ```
/// use zhibiao::data::Encoding;
///
/// assert_eq!("GB2312".parse::<Encoding>(), Ok(Encoding::Gbk));
/// assert_eq!(Encoding::Utf8.to_string(), "utf-8");
/// let unknown = "latin1".parse::<Encoding>().unwrap_err();
/// assert_eq!(unknown.to_string(), "unknown encoding `latin1`: expected `utf-8` or `gbk`");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// GBK (decoded as its superset GB18030), the usual encoding of Chinese
    /// spreadsheets saved as CSV.
    Gbk,
}

impl Encoding {
    /// The name used in messages and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Gbk => "gbk",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An encoding name that is not `utf-8` or `gbk`. See [`Encoding`] for an
/// example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEncoding(pub String);

impl fmt::Display for UnknownEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown encoding `{}`: expected `utf-8` or `gbk`",
            self.0
        )
    }
}

impl std::error::Error for UnknownEncoding {}

impl FromStr for Encoding {
    type Err = UnknownEncoding;

    /// Reads `utf-8`/`utf8` or `gbk`/`gb2312`/`gb18030`/`cp936`, any case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "gbk" | "gb2312" | "gb18030" | "cp936" => Ok(Encoding::Gbk),
            _ => Err(UnknownEncoding(text.to_string())),
        }
    }
}

/// How files are read. Start from `LoadOptions::default()`; more fields
/// may be added.
///
/// ```
/// use zhibiao::data::{DataSource, Encoding, LoadOptions, Loader};
///
/// let mut options = LoadOptions::default();
/// options.encoding = Some(Encoding::Gbk);
/// options.header_row = Some(2);
/// // The header `地区,年份,x` in GBK, below a title row.
/// let bytes = b"title\n\xb5\xd8\xc7\xf8,\xc4\xea\xb7\xdd,x\nA,2024,5\n";
/// let mut loader = Loader::new(options);
/// loader.add_bytes("gbk.csv", bytes);
/// let (data, _) = loader.finish().unwrap();
/// assert!(data.find_entity("A").is_some());
/// assert_eq!(data.observation_count(), 1);
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct LoadOptions {
    /// A forced encoding, e.g. from `--encoding gbk`; `None` detects: valid
    /// UTF-8 is UTF-8, anything else is decoded as GBK.
    pub encoding: Option<Encoding>,
    /// The sheet read from workbooks (`--sheet`); `None` reads the first.
    pub sheet: Option<String>,
    /// The header's row, one-based (`--header-row N`): the rows above it
    /// are skipped. `None` finds it below any title rows.
    pub header_row: Option<usize>,
    /// The indicators whose values are kept (`Program::projection` gives
    /// those a program reads); `None` keeps every value. See [`Projection`].
    pub projection: Option<Projection>,
}

/// The indicators whose values a load keeps. Every row is still read for
/// its region, parent, attributes and year, every indicator keeps its
/// name and where it is first named (the coverage section lists those no
/// rule reads), and missing markers are counted in every cell, so checks
/// and their coverage come out as with every value loaded. The values of
/// other indicators are neither parsed nor stored: a malformed number, an
/// unknown unit or a value given twice there is not reported, since no
/// rule reads it; the rows' shape, quotes, names and years still are.
///
/// ```
/// use zhibiao::data::{DataSource, LoadOptions, Loader, Projection};
///
/// let mut options = LoadOptions::default();
/// options.projection = Some(Projection::new(["床位数"]));
/// let mut loader = Loader::new(options);
/// loader.add_str("a.csv", "地区,年份,床位数,医师数\n甲,2024,5,x\n");
/// let (data, _) = loader.finish().unwrap();
/// let beds = data.find_indicator("床位数").unwrap();
/// assert!(data.value(beds, data.find_entity("甲").unwrap(), 2024).is_some());
/// assert!(data.find_indicator("医师数").is_some());
/// assert_eq!(data.observation_count(), 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Projection {
    names: std::collections::HashSet<Box<str>>,
}

impl Projection {
    /// The indicators of these names (normalised as data names are).
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Projection {
        Projection {
            names: names
                .into_iter()
                .map(|name| crate::name::normalise(name).into())
                .collect(),
        }
    }

    /// Whether values of the indicator of this normalised name are kept.
    pub(crate) fn keeps(&self, name: &str) -> bool {
        self.names.contains(name)
    }
}
