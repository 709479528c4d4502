//! A host application embedding zhibiao: compile rules once, then check
//! data the host keeps in its own store, through the `DataSource` trait.
//!
//!     cargo run --example embed

use std::collections::HashMap;

use zhibiao::data::{AttributeId, Cell, DataSource, EntityId, IndicatorId};
use zhibiao::{CheckOptions, Status};

/// The host's own store: a city and its counties, one indicator.
struct HostStore {
    entities: Vec<(&'static str, Option<EntityId>)>,
    children: Vec<Vec<EntityId>>,
    indicators: Vec<&'static str>,
    values: HashMap<(u32, u32, i32), f64>,
}

impl HostStore {
    fn new() -> HostStore {
        let entities = vec![
            ("日照市", None),
            ("东港区", Some(EntityId(0))),
            ("岚山区", Some(EntityId(0))),
        ];
        let children = vec![vec![EntityId(1), EntityId(2)], vec![], vec![]];
        let mut values = HashMap::new();
        // 县域就诊率 in percent, as the host's dashboard stores it.
        for (entity, year, value) in [(1, 2024, 91.8), (2, 2024, 88.6), (0, 2024, 90.4)] {
            values.insert((0, entity, year), value);
        }
        HostStore {
            entities,
            children,
            indicators: vec!["县域就诊率"],
            values,
        }
    }
}

impl DataSource for HostStore {
    fn entity_count(&self) -> usize {
        self.entities.len()
    }
    fn entity_name(&self, entity: EntityId) -> &str {
        self.entities[entity.0 as usize].0
    }
    fn find_entity(&self, name: &str) -> Option<EntityId> {
        self.entities
            .iter()
            .position(|(entity, _)| *entity == name)
            .map(|at| EntityId(at as u32))
    }
    fn parent(&self, entity: EntityId) -> Option<EntityId> {
        self.entities[entity.0 as usize].1
    }
    fn children(&self, entity: EntityId) -> &[EntityId] {
        &self.children[entity.0 as usize]
    }
    fn depth(&self, entity: EntityId) -> usize {
        usize::from(self.parent(entity).is_some())
    }
    fn tier(&self, _: EntityId) -> Option<&str> {
        None
    }
    fn find_attribute(&self, _: &str) -> Option<AttributeId> {
        None
    }
    fn attribute(&self, _: AttributeId, _: EntityId) -> Option<&str> {
        None
    }
    fn find_indicator(&self, name: &str) -> Option<IndicatorId> {
        self.indicators
            .iter()
            .position(|indicator| *indicator == name)
            .map(|at| IndicatorId(at as u32))
    }
    fn indicator_name(&self, indicator: IndicatorId) -> &str {
        self.indicators[indicator.0 as usize]
    }
    fn value(&self, indicator: IndicatorId, entity: EntityId, year: i32) -> Option<Cell<'_>> {
        // A bare number is read in the indicator's declared unit (%).
        self.values
            .get(&(indicator.0, entity.0, year))
            .map(|value| Cell::Number {
                value: *value,
                unit: None,
            })
    }
    fn year_range(&self) -> Option<(i32, i32)> {
        Some((2024, 2024))
    }
}

fn main() {
    let rules = r#"
scope 日照市
indicator 县域就诊率: %
rule "县域就诊率保持90%以上" 县域就诊率 >= 90% in 2024
  for each 下级
  source "二(一)3" owner "市卫生健康委"
rule "全市平均" avg(下级, 县域就诊率) >= 90% in 2024
"#;
    let program = match zhibiao::compile(rules, "host.rules") {
        Ok(program) => program,
        Err(diagnostics) => {
            for diagnostic in diagnostics {
                eprintln!("{:?}", miette::Report::new(diagnostic));
            }
            std::process::exit(2);
        }
    };
    let store = HostStore::new();
    let report = program.check(&store, &CheckOptions::default());
    for outcome in &report.outcomes {
        let mark = if outcome.status == Status::Pass {
            "✓"
        } else {
            "✗"
        };
        println!(
            "{mark} {} / {}: {} (target {}){}",
            outcome.rule.name,
            outcome.entity,
            outcome.actual.as_deref().unwrap_or("—"),
            outcome.target.as_deref().unwrap_or(""),
            outcome
                .gap
                .as_ref()
                .map(|gap| format!(", {gap}"))
                .unwrap_or_default()
        );
    }
}
