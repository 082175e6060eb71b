//! The support network: actors (agencies, academics, funds, people…) and the sites they
//! support. Degree counts answer "which partners support most sites"; GraphML and CSV take
//! the graph to Gephi, yEd or a spreadsheet.

use super::*;

/// An actor and how far it reaches.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorReach {
    pub actor: Actor,
    /// Distinct sites it has a tie to.
    pub sites: usize,
    pub ties: usize,
}

/// Actors by the number of sites they support, most first (then by name); actors
/// without ties are listed last with 0.
pub fn actor_reach(actors: &[Actor], ties: &[Tie]) -> Vec<ActorReach> {
    let mut out: Vec<ActorReach> = actors
        .iter()
        .map(|a| {
            let mine: Vec<&Tie> = ties.iter().filter(|t| t.actor_id == a.id).collect();
            let mut sites: Vec<i64> = mine.iter().map(|t| t.site_id).collect();
            sites.sort_unstable();
            sites.dedup();
            ActorReach {
                actor: a.clone(),
                sites: sites.len(),
                ties: mine.len(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.sites
            .cmp(&a.sites)
            .then(b.ties.cmp(&a.ties))
            .then_with(|| a.actor.name.cmp(&b.actor.name))
    });
    out
}

/// Distinct actors tied to each site.
pub fn site_reach(ties: &[Tie]) -> HashMap<i64, usize> {
    let mut pairs: Vec<(i64, i64)> = ties.iter().map(|t| (t.site_id, t.actor_id)).collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut out = HashMap::new();
    for (site, _) in pairs {
        *out.entry(site).or_insert(0) += 1;
    }
    out
}

fn xml(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

/// The two-mode graph as GraphML: actor and site nodes, one edge per tie.
pub fn graphml(actors: &[Actor], sites: &[Site], ties: &[Tie]) -> String {
    let reach = actor_reach(actors, ties);
    let per_site = site_reach(ties);
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n",
        "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n",
        "  <key id=\"type\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>\n",
        "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n",
        "  <key id=\"province\" for=\"node\" attr.name=\"province\" attr.type=\"string\"/>\n",
        "  <key id=\"degree\" for=\"node\" attr.name=\"degree\" attr.type=\"int\"/>\n",
        "  <key id=\"tie\" for=\"edge\" attr.name=\"tie\" attr.type=\"string\"/>\n",
        "  <key id=\"note\" for=\"edge\" attr.name=\"note\" attr.type=\"string\"/>\n",
        "  <graph id=\"network\" edgedefault=\"undirected\">\n",
    ));
    for r in &reach {
        out += &format!(
            "    <node id=\"actor-{}\"><data key=\"label\">{}</data><data key=\"type\">actor</data><data key=\"kind\">{}</data><data key=\"degree\">{}</data></node>\n",
            r.actor.id,
            xml(&r.actor.name),
            r.actor.kind.as_str(),
            r.sites
        );
    }
    for s in sites {
        out += &format!(
            "    <node id=\"site-{}\"><data key=\"label\">{}</data><data key=\"type\">site</data><data key=\"province\">{}</data><data key=\"degree\">{}</data></node>\n",
            s.id,
            xml(&s.display_name()),
            xml(&s.province_th),
            per_site.get(&s.id).copied().unwrap_or(0)
        );
    }
    let known: std::collections::HashSet<i64> = sites.iter().map(|s| s.id).collect();
    for t in ties.iter().filter(|t| known.contains(&t.site_id)) {
        out += &format!(
            "    <edge id=\"tie-{}\" source=\"actor-{}\" target=\"site-{}\"><data key=\"tie\">{}</data><data key=\"note\">{}</data></edge>\n",
            t.id,
            t.actor_id,
            t.site_id,
            t.kind.as_str(),
            xml(t.note.as_deref().unwrap_or(""))
        );
    }
    out += "  </graph>\n</graphml>\n";
    out
}

/// One row per tie, for a spreadsheet: Thai headers first.
pub fn ties_table(actors: &[Actor], sites: &[Site], ties: &[Tie]) -> Vec<Vec<String>> {
    let actor: HashMap<i64, &Actor> = actors.iter().map(|a| (a.id, a)).collect();
    let site: HashMap<i64, &Site> = sites.iter().map(|s| (s.id, s)).collect();
    let mut out = vec![
        [
            "ภาคี (actor)",
            "ประเภทภาคี (kind)",
            "พื้นที่ (site)",
            "จังหวัด (province)",
            "ความสัมพันธ์ (tie)",
            "หมายเหตุ (note)",
            "หลักฐาน (evidence)",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for t in ties {
        let (Some(a), Some(s)) = (actor.get(&t.actor_id), site.get(&t.site_id)) else {
            continue;
        };
        out.push(vec![
            a.name.clone(),
            a.kind.label(Lang::Th).to_string(),
            s.display_name(),
            s.province_th.clone(),
            t.kind.label(Lang::Th).to_string(),
            t.note.clone().unwrap_or_default(),
            match (t.document_id, t.span) {
                (Some(d), Some(span)) => format!("/documents/{d}?span={}-{}", span.start, span.end),
                (Some(d), None) => format!("/documents/{d}"),
                _ => String::new(),
            },
        ]);
    }
    out
}

/// The actors × sites graph drawn as SVG: each actor sized by the sites it reaches, each
/// site coloured by its status and linked to its page.
pub fn network_chart(
    title: &str,
    sites: &[SiteOverview],
    actors: &[Actor],
    ties: &[Tie],
    lang: Lang,
) -> String {
    use crate::chart;
    let reach = actor_reach(actors, ties);
    let per_site = site_reach(ties);
    let mut nodes: Vec<chart::NetNode> = Vec::new();
    let mut actor_node: HashMap<i64, usize> = HashMap::new();
    let mut site_node: HashMap<i64, usize> = HashMap::new();
    for r in &reach {
        actor_node.insert(r.actor.id, nodes.len());
        nodes.push(chart::NetNode {
            id: format!("actor-{}", r.actor.id),
            label: r.actor.name.clone(),
            kind: chart::NodeKind::Actor,
            group: r.actor.kind.as_str().into(),
            degree: r.sites,
            href: None,
        });
    }
    for o in sites {
        site_node.insert(o.site.id, nodes.len());
        nodes.push(chart::NetNode {
            id: format!("site-{}", o.site.id),
            label: o.site.display_name(),
            kind: chart::NodeKind::Site,
            group: o.status.as_str().into(),
            degree: per_site.get(&o.site.id).copied().unwrap_or(0),
            href: Some(format!("/sites/{}", o.site.id)),
        });
    }
    let edges: Vec<chart::NetEdge> = ties
        .iter()
        .filter_map(|t| {
            Some(chart::NetEdge {
                from: *actor_node.get(&t.actor_id)?,
                to: *site_node.get(&t.site_id)?,
                kind: t.kind.as_str().into(),
                label: t.kind.label(lang).into(),
            })
        })
        .collect();
    chart::network_svg(title, &nodes, &edges)
}
