//! The cross-site synthesis: what the sites of a study teach together.
//!
//! Each analysis is a plain function over plain data that the store hands over (coded
//! passages, codes, sites, forums, actors and ties), so that every count can be checked
//! on a hand-made study: the framework matrix ([`matrix`]), code frequencies, co-occurrence
//! and site comparison ([`codes`]), word frequencies ([`words`]), the support network
//! ([`network`]), the map ([`map`]) and the timeline of forums ([`timeline`]); and how
//! far two coders agree ([`agreement`]). Only accepted codings count: suggestions nobody
//! has reviewed are not evidence yet.

pub mod agreement;
pub mod units;

use crate::model::*;
use crate::store::CodedPassage;
use std::collections::HashMap;

/// Which part of a study an analysis looks at; empty lists mean "all".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    pub sites: Vec<i64>,
    /// Province names without จ./จังหวัด.
    pub provinces: Vec<String>,
    pub kinds: Vec<ForumKind>,
    /// Years of the forum date, Buddhist Era.
    pub years: Vec<i32>,
}

impl Scope {
    /// Whether a site is in scope (by itself or its province).
    pub fn has_site(&self, site: &Site) -> bool {
        (self.sites.is_empty() || self.sites.contains(&site.id))
            && (self.provinces.is_empty() || self.provinces.contains(&site.province_th))
    }

    /// The passages in scope; `sites` gives each site by id.
    pub fn passages<'a>(
        &self,
        passages: &'a [CodedPassage],
        sites: &HashMap<i64, &Site>,
    ) -> Vec<&'a CodedPassage> {
        passages
            .iter()
            .filter(|p| sites.get(&p.site_id).is_some_and(|s| self.has_site(s)))
            .filter(|p| self.kinds.is_empty() || self.kinds.contains(&p.forum_kind))
            .filter(|p| {
                self.years.is_empty() || p.date.is_some_and(|d| self.years.contains(&d.year_be()))
            })
            .collect()
    }
}

/// The codes a chosen code stands for: itself and everything under it in the codebook.
/// A column for "3 mechanisms" counts passages coded 3.1, 3.2…
pub fn descendants(codes: &[Code]) -> HashMap<i64, Vec<i64>> {
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for c in codes {
        if let Some(p) = c.parent_id {
            children.entry(p).or_default().push(c.id);
        }
    }
    codes
        .iter()
        .map(|c| {
            let mut all = vec![c.id];
            let mut i = 0;
            while i < all.len() {
                if let Some(kids) = children.get(&all[i]) {
                    all.extend(
                        kids.iter()
                            .filter(|k| !all.contains(k))
                            .copied()
                            .collect::<Vec<_>>(),
                    );
                }
                i += 1;
            }
            (c.id, all)
        })
        .collect()
}

/// For each code, the chosen columns it counts toward (a code under two chosen codes
/// counts toward both).
pub fn columns_of(codes: &[Code], chosen: &[i64]) -> HashMap<i64, Vec<usize>> {
    let under = descendants(codes);
    let mut out: HashMap<i64, Vec<usize>> = HashMap::new();
    for (column, id) in chosen.iter().enumerate() {
        for &code in under.get(id).map(Vec::as_slice).unwrap_or(&[]) {
            out.entry(code).or_default().push(column);
        }
    }
    out
}

/// The top-level codes of the five-part framework (keys "1" to "5"), or every top-level
/// code if the codebook has no such keys.
pub fn framework_codes(codes: &[Code]) -> Vec<i64> {
    let top: Vec<&Code> = codes.iter().filter(|c| c.parent_id.is_none()).collect();
    let framework: Vec<i64> = top
        .iter()
        .filter(|c| matches!(c.key.as_str(), "1" | "2" | "3" | "4" | "5"))
        .map(|c| c.id)
        .collect();
    if framework.is_empty() {
        top.iter().map(|c| c.id).collect()
    } else {
        framework
    }
}
pub mod codes;
pub mod map;
pub mod matrix;
pub mod network;
pub mod timeline;
pub mod words;
