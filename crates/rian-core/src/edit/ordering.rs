//! Edits that touch several records at once: the codebook's tree (add, move, merge) and the
//! order of items in a list (codes among siblings, SWOT items in a quadrant). Each is one
//! batch: undone in one step.

use super::Changes;
use crate::access::Author;
use crate::model::*;
use crate::store::Store;
use crate::{Error, Result};

/// Which way to move an item in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// Adds a code under `parent` (or at the top), last among its siblings, with a new key
/// derived from its parent's ("2" → "2.4"). Returns the new id.
pub async fn add_code(
    store: &Store,
    actor: &(impl Author + ?Sized),
    mut code: Code,
) -> Result<i64> {
    let codes = store.codes(code.study_id).await?;
    let siblings: Vec<&Code> = codes
        .iter()
        .filter(|c| c.parent_id == code.parent_id)
        .collect();
    let prefix = match code.parent_id {
        Some(p) => {
            let parent = codes
                .iter()
                .find(|c| c.id == p)
                .ok_or_else(|| super::not_in_study("parent"))?;
            format!("{}.", parent.key)
        }
        None => String::new(),
    };
    let mut n = siblings.len() + 1;
    while codes.iter().any(|c| c.key == format!("{prefix}{n}")) {
        n += 1;
    }
    code.key = format!("{prefix}{n}");
    code.position = end_of(&codes, code.parent_id);
    super::create(store, actor, Record::Code(code)).await
}

/// Changes a code (names, colour, description, parent). Moved under another parent
/// (`None`: the top level), it goes last among its new siblings. Refused if the new parent
/// is the code itself or one of its sub-codes.
pub async fn update_code(store: &Store, actor: &(impl Author + ?Sized), code: Code) -> Result<()> {
    let mut changes = Changes::begin(store, actor).await?;
    let before: Code = changes.get(code.id).await?;
    let position = if code.parent_id == before.parent_id {
        before.position
    } else {
        end_of(&store.codes(code.study_id).await?, code.parent_id)
    };
    changes
        .update(Record::Code(Code { position, ..code }))
        .await?;
    changes.commit().await
}

/// Puts a code under another parent (`None`: the top level), last among its new siblings.
pub async fn reparent_code(
    store: &Store,
    actor: &(impl Author + ?Sized),
    code_id: i64,
    parent_id: Option<i64>,
) -> Result<()> {
    let code: Code = store.get(code_id).await?;
    update_code(store, actor, Code { parent_id, ..code }).await
}

/// The position after the last child of `parent`.
fn end_of(codes: &[Code], parent: Option<i64>) -> i64 {
    codes
        .iter()
        .filter(|c| c.parent_id == parent)
        .map(|c| c.position + 1)
        .max()
        .unwrap_or(0)
}

/// Merges one code into another: every coding and sub-code of `from` moves to `into`, then
/// `from` is deleted. Returns how many codings moved.
pub async fn merge_codes(
    store: &Store,
    actor: &(impl Author + ?Sized),
    from: i64,
    into: i64,
) -> Result<usize> {
    if from == into {
        return Err(Error::Invalid {
            field: "into",
            th: "เลือกรหัสอื่นที่จะรวมเข้าไป".into(),
            en: "choose another code to merge into".into(),
        });
    }
    let mut changes = Changes::begin(store, actor).await?;
    let source: Code = changes.get(from).await?;
    let target: Code = changes.get(into).await?;
    if source.study_id != target.study_id {
        return Err(super::not_in_study("into"));
    }
    let codes = store.codes(source.study_id).await?;
    if is_within(&codes, into, from) {
        return Err(Error::Invalid {
            field: "into",
            th: "รวมรหัสเข้ากับรหัสย่อยของตัวเองไม่ได้".into(),
            en: "a code cannot be merged into its own sub-code".into(),
        });
    }
    let moved = store.codings_of_code(from).await?;
    for coding in &moved {
        changes
            .update(Record::Coding(Coding {
                code_id: into,
                ..coding.clone()
            }))
            .await?;
    }
    for child in codes.iter().filter(|c| c.parent_id == Some(from)) {
        changes
            .update(Record::Code(Code {
                parent_id: Some(into),
                ..child.clone()
            }))
            .await?;
    }
    changes.delete(Entity::Code, from).await?;
    changes.commit().await?;
    Ok(moved.len())
}

/// True if `id` is `ancestor` or lies under it.
pub fn is_within(codes: &[Code], id: i64, ancestor: i64) -> bool {
    let mut at = Some(id);
    // The tree has no cycles (edits refuse them); the bound guards a corrupt store.
    for _ in 0..=codes.len() {
        match at {
            Some(a) if a == ancestor => return true,
            Some(a) => at = codes.iter().find(|c| c.id == a).and_then(|c| c.parent_id),
            None => return false,
        }
    }
    false
}

/// Moves a code one place up or down among its siblings.
pub async fn move_code(
    store: &Store,
    actor: &(impl Author + ?Sized),
    code_id: i64,
    dir: Direction,
) -> Result<()> {
    let mut changes = Changes::begin(store, actor).await?;
    let code: Code = changes.get(code_id).await?;
    let mut siblings: Vec<Code> = store
        .codes(code.study_id)
        .await?
        .into_iter()
        .filter(|c| c.parent_id == code.parent_id)
        .collect();
    siblings.sort_by_key(|c| (c.position, c.id));
    if let Some((a, b)) = neighbours(&siblings, code_id, dir, |c| c.id) {
        // Renumber the siblings with the pair swapped, so positions end up distinct.
        siblings.swap(a, b);
        for (position, c) in siblings.into_iter().enumerate() {
            let position = position as i64;
            if c.position != position {
                changes.update(Record::Code(Code { position, ..c })).await?;
            }
        }
    }
    changes.commit().await
}

/// Moves a SWOT item one place up or down in its quadrant.
pub async fn move_swot_item(
    store: &Store,
    actor: &(impl Author + ?Sized),
    id: i64,
    dir: Direction,
) -> Result<()> {
    let mut changes = Changes::begin(store, actor).await?;
    let item: SwotItem = changes.get(id).await?;
    let quadrant: Vec<SwotItem> = store
        .swot_items(item.community_id)
        .await?
        .into_iter()
        .filter(|s| s.quadrant == item.quadrant)
        .collect();
    if let Some((a, b)) = neighbours(&quadrant, id, dir, |s| s.id) {
        // Renumber the quadrant with the pair swapped, so positions end up distinct.
        let mut order: Vec<SwotItem> = quadrant.clone();
        order.swap(a, b);
        for (position, s) in order.into_iter().enumerate() {
            let position = position as i64;
            if s.position != position {
                changes
                    .update(Record::SwotItem(SwotItem { position, ..s }))
                    .await?;
            }
        }
    }
    changes.commit().await
}

/// The indexes of an item and the neighbour it swaps with, if it has one that way.
fn neighbours<T>(
    list: &[T],
    id: i64,
    dir: Direction,
    id_of: impl Fn(&T) -> i64,
) -> Option<(usize, usize)> {
    let i = list.iter().position(|x| id_of(x) == id)?;
    match dir {
        Direction::Up if i > 0 => Some((i, i - 1)),
        Direction::Down if i + 1 < list.len() => Some((i + 1, i)),
        _ => None,
    }
}

/// The next position at the end of a SWOT quadrant.
pub async fn next_swot_position(store: &Store, community_id: i64, q: Quadrant) -> Result<i64> {
    Ok(store
        .swot_items(community_id)
        .await?
        .iter()
        .filter(|s| s.quadrant == q)
        .map(|s| s.position + 1)
        .max()
        .unwrap_or(0))
}
