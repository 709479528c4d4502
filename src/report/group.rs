//! Grouping outcomes for reports (`--group-by`): by rule, entity,
//! responsible unit or document, groups in order of first appearance (the
//! rule files' order) and outcomes worst first within each. A rule owned
//! jointly (`市卫生健康委、市财政局`) is listed under each of its owners.

use crate::report::outcome::Outcome;

/// How outcomes are grouped. See [`grouped`] for an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// One group per rule.
    Rule,
    /// One group per entity.
    Entity,
    /// One group per responsible unit.
    Owner,
    /// One group per document.
    Document,
}

/// The group of that name and its outcomes. See [`grouped`] for an example.
pub type Group<'a> = (String, Vec<&'a Outcome>);

/// The outcomes in their groups; one unnamed group without `group_by`.
///
/// ```
/// use zhibiao::{data::Dataset, report::group::{grouped, GroupBy}, CheckOptions};
///
/// let rules = "scope 日照市\nindicator 县域就诊率: %\n\
///              rule 县域就诊率 >= 90% by 2024 owner \"市卫生健康委\"\n\
///              rule 县域就诊率 >= 85% by 2024 owner \"市卫生健康委、市医保局\"\n";
/// let program = zhibiao::compile(rules, "a.rules").unwrap();
/// let data = Dataset::from_csv_str("data.csv", "地区,年份,指标,值\n日照市,2024,县域就诊率,88.6\n").unwrap();
/// let report = program.check(&data, &CheckOptions::default());
/// let outcomes: Vec<_> = report.outcomes.iter().collect();
/// let groups = grouped(&outcomes, Some(GroupBy::Owner));
/// let sizes: Vec<(&str, usize)> = groups.iter().map(|(name, members)| (name.as_str(), members.len())).collect();
/// assert_eq!(sizes, [("市卫生健康委", 2), ("市医保局", 1)]);
/// assert_eq!(grouped(&outcomes, None)[0].0, "");
/// ```
pub fn grouped<'a>(outcomes: &[&'a Outcome], group_by: Option<GroupBy>) -> Vec<Group<'a>> {
    let mut groups: indexmap::IndexMap<String, Vec<&'a Outcome>> = indexmap::IndexMap::new();
    for outcome in outcomes {
        for key in keys(outcome, group_by) {
            groups.entry(key).or_default().push(outcome);
        }
    }
    groups
        .into_iter()
        .map(|(key, mut members)| {
            members.sort_by_key(|outcome| outcome.status);
            (key, members)
        })
        .collect()
}

/// The groups an outcome belongs to.
fn keys(outcome: &Outcome, group_by: Option<GroupBy>) -> Vec<String> {
    match group_by {
        None => vec![String::new()],
        Some(GroupBy::Rule) => vec![format!(
            "{} ({}:{})",
            outcome.rule.name, outcome.rule.file, outcome.rule.line
        )],
        Some(GroupBy::Entity) => vec![outcome.entity.clone()],
        Some(GroupBy::Owner) => match &outcome.rule.owner {
            Some(owner) if !owners(owner).is_empty() => owners(owner),
            _ => vec!["(no owner)".to_string()],
        },
        Some(GroupBy::Document) => vec![outcome
            .rule
            .document
            .clone()
            .unwrap_or_else(|| outcome.rule.file.clone())],
    }
}

/// The units of a joint owner: `市卫生健康委、市财政局和市医保局` is three.
/// `和` inside a name (`共和`) does not split it.
///
/// ```
/// use zhibiao::report::group::owners;
///
/// assert_eq!(owners("市卫生健康委、市财政局和市医保局"), ["市卫生健康委", "市财政局", "市医保局"]);
/// assert_eq!(owners("共和镇卫生院"), ["共和镇卫生院"]);
/// ```
pub fn owners(owner: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut previous = None;
    for c in owner.chars() {
        let split =
            matches!(c, '、' | '，' | ',' | '；' | ';') || (c == '和' && previous != Some('共'));
        if split {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
        previous = Some(c);
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|part| part.trim().to_string())
        .filter(|part| !part.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joint_owners_split() {
        assert_eq!(
            owners("市卫生健康委、市财政局，市医保局和市民政局"),
            ["市卫生健康委", "市财政局", "市医保局", "市民政局"]
        );
        assert_eq!(owners("中华人民共和国卫生部"), ["中华人民共和国卫生部"]);
    }
}
