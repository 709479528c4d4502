//! What a program declares, for hosts and `zhibiao rules`: its documents,
//! indicators (name, unit, aliases) and rules (text, source, owner,
//! document, the indicators each reads) as one serialisable catalogue.

use serde::{Deserialize, Serialize};

use super::describe::rule_ref;
use super::outcome::RuleRef;
use crate::ir::{DocumentInfo, Program};

/// A declared indicator as a host sees it. See [`Catalogue`] for an example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IndicatorEntry {
    /// The declared name.
    pub name: String,
    /// Its unit as written (`%`, `张`, `1/10万`).
    pub unit: String,
    /// Other names data files may use for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The rule file that declares it.
    pub file: String,
}

/// A rule as a host sees it: what an outcome says of its rule, and the
/// indicators it reads. See [`Catalogue`] for an example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RuleEntry {
    /// Name, text, file, line, source, owner, document, binding, tags.
    #[serde(flatten)]
    pub rule: RuleRef,
    /// The indicators its condition reads, by declared name, in order.
    pub indicators: Vec<String>,
}

/// Everything a program declares, from [`Program::catalogue`].
///
/// ```
/// let program = zhibiao::compile(
///     "document \"日政办字〔2024〕23号\" {\n  title \"实施意见\"\n}\nscope 日照市\n\
///      indicator 县域就诊率: % aka 县域内就诊率\nindicator 床位数: 张\nrule 县域就诊率 >= 90% by 2025\n",
///     "a.rules",
/// )
/// .unwrap();
/// let catalogue = program.catalogue();
/// assert_eq!(catalogue.documents[0].id, "日政办字〔2024〕23号");
/// assert_eq!(catalogue.indicators[0].aliases, ["县域内就诊率"]);
/// assert_eq!(catalogue.indicators[1].unit, "张");
/// assert_eq!(catalogue.rules[0].rule.line, 7);
/// assert_eq!(catalogue.rules[0].rule.document.as_deref(), Some("日政办字〔2024〕23号"));
/// assert_eq!(catalogue.rules[0].indicators, ["县域就诊率"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Catalogue {
    /// The `document` blocks of the rule files.
    pub documents: Vec<DocumentInfo>,
    /// Every declared indicator.
    pub indicators: Vec<IndicatorEntry>,
    /// Every rule, in file order.
    pub rules: Vec<RuleEntry>,
}

impl Program {
    /// The program's documents, indicators and rules as one value (what
    /// `zhibiao rules --format json` prints).
    pub fn catalogue(&self) -> Catalogue {
        let indicators = self
            .modules
            .iter()
            .flat_map(|module| {
                module.indicators.iter().map(|info| IndicatorEntry {
                    name: info.name.clone(),
                    unit: info.unit.to_string(),
                    aliases: info.aliases.clone(),
                    file: module.source.name().to_string(),
                })
            })
            .collect();
        let rules = self
            .rules()
            .map(|info| RuleEntry {
                rule: rule_ref(info.module, info.rule),
                indicators: info.indicators().into_iter().map(str::to_string).collect(),
            })
            .collect();
        Catalogue {
            documents: self.documents().cloned().collect(),
            indicators,
            rules,
        }
    }
}
