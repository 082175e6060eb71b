//! The forums of each site over time: planned, held, and the data returned.

use super::*;

/// A site's forums in date order; undated forums last.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteForums<'a> {
    pub site: &'a Site,
    pub forums: Vec<&'a Forum>,
}

impl SiteForums<'_> {
    /// Whether the data were returned: a data-return forum was held.
    pub fn returned(&self) -> bool {
        self.forums
            .iter()
            .any(|f| f.kind == ForumKind::DataReturn && f.status == ForumStatus::Held)
    }
}

/// Every site of the study (in its own order), with its forums.
pub fn timeline<'a>(sites: &'a [Site], forums: &'a [Forum], scope: &Scope) -> Vec<SiteForums<'a>> {
    let mut sites: Vec<&Site> = sites.iter().filter(|s| scope.has_site(s)).collect();
    sites.sort_by_key(|s| (s.position, s.id));
    sites
        .into_iter()
        .map(|site| {
            let mut mine: Vec<&Forum> = forums
                .iter()
                .filter(|f| f.site_id == site.id)
                .filter(|f| scope.kinds.is_empty() || scope.kinds.contains(&f.kind))
                .collect();
            mine.sort_by_key(|f| (f.date.is_none(), f.date, f.id));
            SiteForums { site, forums: mine }
        })
        .collect()
}
