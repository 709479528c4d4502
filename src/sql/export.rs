//! `zhibiao sql --emit-data DIR`: loaded data as the two tables the query
//! reads, `obs.csv` and `entities.csv`, with every number in its
//! indicator's declared unit, as a warehouse would hold it. This is how
//! the conformance tests put the example data into the engines, and a
//! way to move CSV files into a database.

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::data::{Cell, DataSource, Dataset, EntityId, IndicatorId};
use crate::ir::Program;
use crate::unit::{format_number, Dimension, Unit};

/// Writes `obs.csv` (`entity,parent,year,indicator,value,text_value,tier`)
/// and `entities.csv` (`entity,attribute,value`) into `dir`.
///
/// ```
/// use zhibiao::data::Dataset;
///
/// let program = zhibiao::compile("indicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2024\n", "a.rules").unwrap();
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,指标,值\n日照市,2024,县域就诊率,91.2%\n").unwrap();
/// let dir = std::env::temp_dir().join(format!("zhibiao-doc-tables-{}", std::process::id()));
/// zhibiao::sql::write_tables(&program, &data, &dir).unwrap();
/// let obs = std::fs::read_to_string(dir.join("obs.csv")).unwrap();
/// assert_eq!(obs.lines().nth(1), Some("日照市,,2024,县域就诊率,91.2,,"));
/// std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn write_tables(program: &Program, data: &Dataset, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    // The unit each indicator of the data is declared in: the first
    // declaration whose name or alias the data has.
    let mut declared: HashMap<IndicatorId, &Unit> = HashMap::new();
    for module in &program.modules {
        for info in &module.indicators {
            let found = std::iter::once(&info.name)
                .chain(&info.aliases)
                .find_map(|name| data.find_indicator(name));
            if let Some(id) = found {
                declared.entry(id).or_insert(&info.unit);
            }
        }
    }
    let mut obs = CsvFile::create(&dir.join("obs.csv"))?;
    obs.write_record([
        "entity",
        "parent",
        "year",
        "indicator",
        "value",
        "text_value",
        "tier",
    ])?;
    let years = data.years();
    for at in 0..data.entity_count() {
        let entity = EntityId(at as u32);
        let name = data.entity_name(entity);
        let parent = data
            .parent(entity)
            .map_or("", |parent| data.entity_name(parent));
        let tier = data.tier(entity).unwrap_or("");
        let mut written = false;
        for (index, indicator) in data.indicator_names().enumerate() {
            let id = IndicatorId(index as u32);
            for &year in years {
                let Some(cell) = data.value(id, entity, year) else {
                    continue;
                };
                let (value, text) = table_value(cell, declared.get(&id).copied());
                let year = year.to_string();
                obs.write_record([name, parent, &year, indicator, &value, &text, tier])?;
                written = true;
            }
        }
        // An entity without values (a parent the data only names) still
        // has its place in the tree.
        if !written {
            if let Some(year) = years.first() {
                obs.write_record([name, parent, &year.to_string(), "", "", "", tier])?;
            }
        }
    }
    // The first and last year with any observation bound the as-of year,
    // even where every value of that year is missing.
    for year in [years.first(), years.last()].into_iter().flatten() {
        if let Some(root) = (0..data.entity_count() as u32)
            .map(EntityId)
            .find(|entity| data.parent(*entity).is_none())
        {
            obs.write_record([
                data.entity_name(root),
                "",
                &year.to_string(),
                "",
                "",
                "",
                data.tier(root).unwrap_or(""),
            ])?;
        }
    }
    obs.flush()?;
    let mut entities = CsvFile::create(&dir.join("entities.csv"))?;
    entities.write_record(["entity", "attribute", "value"])?;
    for attribute in data.attributes.keys() {
        let Some(id) = data.find_attribute(attribute) else {
            continue;
        };
        for at in 0..data.entity_count() {
            let entity = EntityId(at as u32);
            if let Some(value) = data.attribute(id, entity) {
                entities.write_record([data.entity_name(entity), attribute, value])?;
            }
        }
    }
    entities.flush()
}

/// A cell as the tables hold it: a number in the declared unit, or text.
/// A number the evaluator would refuse (a unit of another kind) is kept
/// as text, which the query reads as the same error.
fn table_value(cell: Cell<'_>, declared: Option<&Unit>) -> (String, String) {
    match (cell, declared) {
        (Cell::Text(text), _) => (String::new(), text.to_string()),
        (Cell::Number { value, unit }, Some(declared))
            if declared.dimension == Dimension::Grade =>
        {
            match unit {
                Some(unit) if unit.dimension == Dimension::Level => (
                    String::new(),
                    format!("{}{}", format_number(value), unit.symbol),
                ),
                _ => (value.to_string(), String::new()),
            }
        }
        (Cell::Number { value, unit: None }, _) | (Cell::Number { value, .. }, None) => {
            (value.to_string(), String::new())
        }
        (
            Cell::Number {
                value,
                unit: Some(unit),
            },
            Some(declared),
        ) => {
            if unit.dimension == declared.dimension && unit.scale == declared.scale {
                (value.to_string(), String::new())
            } else if unit.dimension == declared.dimension {
                (
                    declared.written(unit.canonical(value)).to_string(),
                    String::new(),
                )
            } else if unit.reads_in(declared) {
                (value.to_string(), String::new())
            } else {
                (
                    String::new(),
                    format!("{}{}", format_number(value), unit.symbol),
                )
            }
        }
    }
}

/// A CSV file being written: fields with a comma, quote or line break are
/// quoted, quotes doubled (RFC 4180), which every engine's reader takes.
struct CsvFile {
    out: BufWriter<std::fs::File>,
}

impl CsvFile {
    fn create(path: &Path) -> io::Result<CsvFile> {
        Ok(CsvFile {
            out: BufWriter::new(std::fs::File::create(path)?),
        })
    }

    fn write_record<const N: usize>(&mut self, fields: [&str; N]) -> io::Result<()> {
        for (at, field) in fields.iter().enumerate() {
            if at > 0 {
                self.out.write_all(b",")?;
            }
            if field.contains([',', '"', '\n', '\r']) {
                write!(self.out, "\"{}\"", field.replace('"', "\"\""))?;
            } else {
                self.out.write_all(field.as_bytes())?;
            }
        }
        self.out.write_all(b"\n")
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
