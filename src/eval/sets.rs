//! The members of sets in the entity tree, read from the data alone:
//! peers, descendants, tiers, and names not in the data.

use crate::data::{DataSource, EntityId};

/// The entity and its siblings (roots, for a root) of the same tier.
pub(super) fn peers(data: &dyn DataSource, entity: EntityId) -> Vec<EntityId> {
    let siblings: Vec<EntityId> = match data.parent(entity) {
        Some(parent) => data.children(parent).to_vec(),
        None => (0..data.entity_count() as u32)
            .map(EntityId)
            .filter(|other| data.parent(*other).is_none())
            .collect(),
    };
    let tier = data.tier(entity);
    siblings
        .into_iter()
        .filter(|other| data.tier(*other) == tier)
        .collect()
}

/// Every entity under `entity`, depth first in the data's order.
pub(super) fn descendants(data: &dyn DataSource, entity: EntityId) -> Vec<EntityId> {
    let mut found = Vec::new();
    let mut stack: Vec<EntityId> = data.children(entity).iter().rev().copied().collect();
    while let Some(next) = stack.pop() {
        found.push(next);
        stack.extend(data.children(next).iter().rev().copied());
    }
    found
}

/// `entity `X` is not in the data; did you mean `Y`?`
pub(crate) fn not_in_data(data: &dyn DataSource, name: &str) -> String {
    let names = (0..data.entity_count()).map(|at| data.entity_name(EntityId(at as u32)));
    let hint = crate::diag::closest(name, names)
        .map(|near| format!("; did you mean `{near}`?"))
        .unwrap_or_default();
    format!("entity `{name}` is not in the data{hint}")
}

/// Whether an entity belongs to a tier: by its `级别` when the data has
/// one, else by its depth in the declared `tiers`.
pub(crate) fn in_tier(
    data: &dyn DataSource,
    entity: EntityId,
    name: &str,
    depth: Option<usize>,
) -> bool {
    match data.tier(entity) {
        Some(tier) => tier == name,
        None => depth == Some(data.depth(entity)),
    }
}
