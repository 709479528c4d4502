//! The entity tree: parents, children and depths, built from each entity's
//! parent, with every cycle found.

use super::EntityId;

/// No entity.
pub(crate) const NONE: u32 = u32::MAX;

/// Parents, children (compressed: one list, an offset per entity) and depths.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tree {
    parents: Vec<u32>,
    depths: Vec<u32>,
    child_starts: Vec<u32>,
    children: Vec<EntityId>,
}

impl Tree {
    /// Builds the tree from each entity's parent (`NONE` for a root).
    /// Returns the cycles, each rotated to start at its smallest id and in
    /// parent order (`[甲, 乙]`: 甲's parent is 乙, 乙's is 甲).
    pub fn build(parents: Vec<u32>) -> Result<Tree, Vec<Vec<u32>>> {
        const NEW: u8 = 0;
        const ON_PATH: u8 = 1;
        const DONE: u8 = 2;
        let count = parents.len();
        let mut state = vec![NEW; count];
        let mut depths = vec![0u32; count];
        let mut on_cycle = vec![false; count];
        let mut cycles = Vec::new();
        let mut path = Vec::new();
        for start in 0..count {
            if state[start] != NEW {
                continue;
            }
            path.clear();
            let mut node = start;
            loop {
                match state[node] {
                    DONE => break,
                    ON_PATH => {
                        let from = path.iter().position(|&on| on == node).unwrap_or(0);
                        let mut cycle: Vec<u32> =
                            path[from..].iter().map(|&at| at as u32).collect();
                        for &member in &cycle {
                            on_cycle[member as usize] = true;
                        }
                        let smallest = (0..cycle.len()).min_by_key(|&at| cycle[at]).unwrap_or(0);
                        cycle.rotate_left(smallest);
                        cycles.push(cycle);
                        break;
                    }
                    _ => {
                        state[node] = ON_PATH;
                        path.push(node);
                        let parent = parents[node];
                        if parent == NONE || parent as usize >= count {
                            break;
                        }
                        node = parent as usize;
                    }
                }
            }
            for &node in path.iter().rev() {
                let parent = parents[node];
                depths[node] = if parent == NONE || parent as usize >= count || on_cycle[node] {
                    0
                } else {
                    depths[parent as usize] + 1
                };
                state[node] = DONE;
            }
        }
        if !cycles.is_empty() {
            return Err(cycles);
        }
        let mut child_starts = vec![0u32; count + 1];
        for &parent in &parents {
            if parent != NONE {
                child_starts[parent as usize + 1] += 1;
            }
        }
        for at in 1..=count {
            child_starts[at] += child_starts[at - 1];
        }
        let mut next = child_starts.clone();
        let mut children = vec![EntityId(0); child_starts[count] as usize];
        for (child, &parent) in parents.iter().enumerate() {
            if parent != NONE {
                let slot = &mut next[parent as usize];
                children[*slot as usize] = EntityId(child as u32);
                *slot += 1;
            }
        }
        Ok(Tree {
            parents,
            depths,
            child_starts,
            children,
        })
    }

    /// An entity's parent.
    pub fn parent(&self, entity: EntityId) -> Option<EntityId> {
        self.parents
            .get(entity.0 as usize)
            .filter(|&&parent| parent != NONE)
            .map(|&parent| EntityId(parent))
    }

    /// An entity's children, in id order.
    pub fn children(&self, entity: EntityId) -> &[EntityId] {
        let at = entity.0 as usize;
        match (self.child_starts.get(at), self.child_starts.get(at + 1)) {
            (Some(&start), Some(&end)) => &self.children[start as usize..end as usize],
            _ => &[],
        }
    }

    /// An entity's depth, the roots at 0.
    pub fn depth(&self, entity: EntityId) -> usize {
        self.depths
            .get(entity.0 as usize)
            .map_or(0, |&depth| depth as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_children_depths() {
        // 0 全国; 1 省 under 0; 2 市 under 1; 3 县 under 2; 4 另一省 under 0.
        let tree = Tree::build(vec![NONE, 0, 1, 2, 0]).unwrap();
        assert_eq!(tree.parent(EntityId(3)), Some(EntityId(2)));
        assert_eq!(tree.parent(EntityId(0)), None);
        assert_eq!(tree.children(EntityId(0)), [EntityId(1), EntityId(4)]);
        assert_eq!(tree.children(EntityId(3)), []);
        assert_eq!(
            (0..5)
                .map(|at| tree.depth(EntityId(at)))
                .collect::<Vec<_>>(),
            [0, 1, 2, 3, 1]
        );
        assert_eq!(tree.children(EntityId(99)), []);
        assert_eq!(tree.parent(EntityId(99)), None);
    }

    #[test]
    fn children_may_come_before_parents() {
        let tree = Tree::build(vec![2, 2, NONE]).unwrap();
        assert_eq!(tree.depth(EntityId(0)), 1);
        assert_eq!(tree.children(EntityId(2)), [EntityId(0), EntityId(1)]);
    }

    #[test]
    fn cycles_are_found() {
        // 0 → 1 → 2 → 1, and 3 → 3, and 4 → 0 (into a cycle, not on it).
        let cycles = Tree::build(vec![1, 2, 1, 3, 0]).unwrap_err();
        assert_eq!(cycles, [vec![1, 2], vec![3]]);
    }

    #[test]
    fn a_long_chain_does_not_overflow() {
        let parents: Vec<u32> = (0..200_000u32)
            .map(|at| if at == 0 { NONE } else { at - 1 })
            .collect();
        let tree = Tree::build(parents).unwrap();
        assert_eq!(tree.depth(EntityId(199_999)), 199_999);
    }
}
