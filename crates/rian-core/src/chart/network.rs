//! The support network as a two-mode graph: actors (organizations, people) tied to the
//! sites they worked with. [`layout`] places the nodes, [`network_svg`] draws them.

use super::{
    FONT_SIZE, Flow, INK, NO_DATA, Px, SLACK, Shape, TOP, actor_colour, class_token, escape, fnv1a,
    link, note_only, open, shape_el, status_marker, text_width, thai_label, tie_style,
    truncate_to_width,
};
use crate::model::{ActorKind, SiteStatus, TieKind};
use std::fmt::Write;

/// Which side of the two-mode graph a node is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Actor,
    Site,
}

impl NodeKind {
    fn key(self) -> &'static str {
        match self {
            NodeKind::Actor => "actor",
            NodeKind::Site => "site",
        }
    }
}

/// A node of the network.
#[derive(Debug, Clone, PartialEq)]
pub struct NetNode {
    /// Stable across requests ("actor-3", "site-7"): it seeds the layout and is what page
    /// scripts select by.
    pub id: String,
    pub label: String,
    pub kind: NodeKind,
    /// Actor kind key or site status key: a CSS class suffix and the colour.
    pub group: String,
    /// Size of the node: its radius grows with √degree.
    pub degree: usize,
    pub href: Option<String>,
}

/// A tie between two nodes, by index into the node list.
#[derive(Debug, Clone, PartialEq)]
pub struct NetEdge {
    pub from: usize,
    pub to: usize,
    /// Tie kind key.
    pub kind: String,
    /// Tie kind label, in Thai.
    pub label: String,
}

/// Space kept free around the drawing, as a share of the unit square.
const MARGIN: f64 = 0.05;
/// Fixed, so the same graph always gets the same picture; enough for ~1,500 nodes to untangle.
const ITERATIONS: usize = 250;
/// Up to this many nodes repulsion reaches further (see `layout`).
const SMALL: usize = 500;
/// Largest step in the first iteration, as a share of the frame; it cools linearly.
const START_HEAT: f64 = 0.1;
/// Pull towards the centre, as a share of the ideal edge length at the frame's edge: keeps
/// isolated nodes and small components near the rest instead of adrift.
const GRAVITY: f64 = 0.3;

/// A start position from the node id alone (FNV-1a, then a SplitMix64 finalizer to spread
/// the bits), so that a graph's picture does not depend on the order nodes came in.
fn seed(id: &str) -> [f64; 2] {
    let mut h = fnv1a(id.bytes()).wrapping_add(0x9e37_79b9_7f4a_7c15);
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    [
        (h >> 32) as f64 / f64::from(u32::MAX),
        (h & 0xffff_ffff) as f64 / f64::from(u32::MAX),
    ]
}

/// Nodes bucketed by square cells of side ≥ the repulsion cutoff, so that each node is
/// compared only with nodes in its own and the neighbouring cells: O(n) per iteration
/// instead of O(n²).
struct Grid {
    cols: usize,
    rows: usize,
    /// Node indexes sorted by cell; `start[c]..start[c + 1]` are those in cell `c`.
    order: Vec<usize>,
    start: Vec<usize>,
    cell_of: Vec<usize>,
}

impl Grid {
    fn build(pos: &[[f64; 2]], cutoff: f64) -> Grid {
        let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
        for p in pos {
            for d in 0..2 {
                lo[d] = lo[d].min(p[d]);
                hi[d] = hi[d].max(p[d]);
            }
        }
        // Never more cells than ~4 per node: a sparse, spread-out graph gets bigger cells
        // (still correct, as distances are checked against the cutoff anyway).
        let most = (4 * pos.len()).max(16) as f64;
        let area = (hi[0] - lo[0]).max(cutoff) * (hi[1] - lo[1]).max(cutoff);
        let cell = cutoff.max((area / most).sqrt());
        let cols = ((hi[0] - lo[0]) / cell) as usize + 1;
        let rows = ((hi[1] - lo[1]) / cell) as usize + 1;
        let cell_of: Vec<usize> = pos
            .iter()
            .map(|p| {
                let cx = (((p[0] - lo[0]) / cell) as usize).min(cols - 1);
                let cy = (((p[1] - lo[1]) / cell) as usize).min(rows - 1);
                cy * cols + cx
            })
            .collect();
        // Counting sort by cell.
        let mut start = vec![0usize; cols * rows + 1];
        for &c in &cell_of {
            start[c + 1] += 1;
        }
        for c in 0..cols * rows {
            start[c + 1] += start[c];
        }
        let mut fill = start.clone();
        let mut order = vec![0usize; pos.len()];
        for (i, &c) in cell_of.iter().enumerate() {
            order[fill[c]] = i;
            fill[c] += 1;
        }
        Grid {
            cols,
            rows,
            order,
            start,
            cell_of,
        }
    }

    /// Calls `f(a, b)` once for every unordered pair of nodes in the same or adjacent
    /// cells: the node's own cell (later nodes only) and four of the eight neighbours.
    fn pairs(&self, mut f: impl FnMut(usize, usize)) {
        for (pa, &a) in self.order.iter().enumerate() {
            let c = self.cell_of[a];
            let (cx, cy) = (c % self.cols, c / self.cols);
            for &b in &self.order[pa + 1..self.start[c + 1]] {
                f(a, b);
            }
            for (dx, dy) in [(1isize, 0isize), (-1, 1), (0, 1), (1, 1)] {
                let (nx, ny) = (cx as isize + dx, cy as isize + dy);
                if nx < 0 || ny < 0 || nx as usize >= self.cols || ny as usize >= self.rows {
                    continue;
                }
                let n = ny as usize * self.cols + nx as usize;
                for &b in &self.order[self.start[n]..self.start[n + 1]] {
                    f(a, b);
                }
            }
        }
    }
}

/// Deterministic force-directed layout (Fruchterman–Reingold): nodes repel each other
/// within a cutoff of a few ideal edge lengths (found through a grid), ties pull their
/// ends together, a weak pull towards the centre keeps components together, and the step
/// cools over a fixed number of iterations. Start positions come from a hash of each
/// node's id. The result is scaled, keeping its proportions, into [0.05, 0.95]².
///
/// Edges whose indexes are out of range, and self-ties, are ignored.
pub fn layout(nodes: &[NetNode], edges: &[NetEdge]) -> Vec<[f64; 2]> {
    let n = nodes.len();
    match n {
        0 => return Vec::new(),
        1 => return vec![[0.5, 0.5]],
        _ => {}
    }
    let ties: Vec<(usize, usize)> = edges
        .iter()
        .filter(|e| e.from < n && e.to < n && e.from != e.to)
        .map(|e| (e.from, e.to))
        .collect();
    let mut pos: Vec<[f64; 2]> = nodes.iter().map(|v| seed(&v.id)).collect();
    // The ideal edge length, for n nodes sharing the unit square.
    let k = (1.0 / n as f64).sqrt();
    let k2 = k * k;
    // Repulsion reaches 3k in small graphs, 2k (FR's own grid variant) in large ones, where
    // dense components would otherwise make each node meet hundreds of others per step.
    // Unbounded repulsion without walls would stretch chains into lines.
    let cutoff = if n <= SMALL { 3.0 * k } else { 2.0 * k };
    let gravity = GRAVITY * k / 0.5;
    let mut disp = vec![[0.0f64; 2]; n];
    for it in 0..ITERATIONS {
        let heat = START_HEAT * (1.0 - it as f64 / ITERATIONS as f64).max(0.01);
        disp.iter_mut().for_each(|d| *d = [0.0; 2]);
        let grid = Grid::build(&pos, cutoff);
        grid.pairs(|a, b| {
            let (mut dx, mut dy) = (pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]);
            let mut d2 = dx * dx + dy * dy;
            if d2 >= cutoff * cutoff {
                return;
            }
            if d2 < 1e-18 {
                // Same spot (same id twice): part them in a direction fixed by the pair.
                let h = fnv1a(((a as u64).wrapping_mul(0x9e37_79b9) ^ b as u64).to_le_bytes());
                dx = ((h & 0xffff) as f64 / 65535.0 - 0.5) * 1e-6;
                dy = ((h >> 16 & 0xffff) as f64 / 65535.0 - 0.5) * 1e-6 + 1e-9;
                d2 = dx * dx + dy * dy;
            }
            let f = k2 / d2; // magnitude k²/d along the unit vector
            disp[a][0] += dx * f;
            disp[a][1] += dy * f;
            disp[b][0] -= dx * f;
            disp[b][1] -= dy * f;
        });
        for &(a, b) in &ties {
            let (dx, dy) = (pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]);
            let f = (dx * dx + dy * dy).sqrt() / k; // magnitude d²/k
            disp[a][0] -= dx * f;
            disp[a][1] -= dy * f;
            disp[b][0] += dx * f;
            disp[b][1] += dy * f;
        }
        for (p, d) in pos.iter_mut().zip(&disp) {
            let d = [d[0] - (p[0] - 0.5) * gravity, d[1] - (p[1] - 0.5) * gravity];
            let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
            if len > 0.0 && len.is_finite() {
                let step = len.min(heat) / len;
                p[0] += d[0] * step;
                p[1] += d[1] * step;
            }
        }
    }
    fit(&mut pos);
    pos
}

/// Scales and centres the drawing into [MARGIN, 1 − MARGIN]², keeping its proportions.
fn fit(pos: &mut [[f64; 2]]) {
    let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
    for p in pos.iter() {
        for d in 0..2 {
            lo[d] = lo[d].min(p[d]);
            hi[d] = hi[d].max(p[d]);
        }
    }
    let span = (hi[0] - lo[0]).max(hi[1] - lo[1]);
    let scale = if span > 1e-12 {
        (1.0 - 2.0 * MARGIN) / span
    } else {
        0.0
    };
    for p in pos.iter_mut() {
        for d in 0..2 {
            let v = 0.5 + (p[d] - (lo[d] + hi[d]) / 2.0) * scale;
            p[d] = if v.is_finite() {
                v.clamp(MARGIN, 1.0 - MARGIN)
            } else {
                0.5
            };
        }
    }
}

/// Radius of a node: area grows with degree, within limits that keep small nodes
/// clickable and hubs from covering their neighbours.
fn radius(degree: usize) -> f64 {
    (5.0 + 2.5 * (degree as f64).sqrt()).min(26.0)
}

const LABEL_SIZE: f64 = 12.0;
const LEGEND_ROW: f64 = 24.0;

/// The network as SVG: ties first (lines, coloured and dashed by kind), then nodes (actors
/// as circles coloured by kind, sites as squares shaded by status), sized by √degree and
/// labelled, all inside one `<g class="viewport">` that page scripts zoom and pan by its
/// `transform`. A legend of the shapes, statuses, kinds and ties present stays outside the
/// viewport, below the graph.
pub fn network_svg(title: &str, nodes: &[NetNode], edges: &[NetEdge]) -> String {
    if nodes.is_empty() {
        return note_only("network", title, NO_DATA);
    }
    let n = nodes.len();
    // Bigger graphs get a bigger canvas: the text stays 12 px and the page zooms.
    let width = 900f64.max(60.0 * (n as f64).sqrt()).round();
    let graph_h = (width * 0.66).round();
    let (left, right) = (24.0, 150.0); // labels go right of nodes
    let to_px = |p: [f64; 2]| {
        [
            left + p[0] * (width - left - right),
            TOP + 10.0 + p[1] * (graph_h - 20.0),
        ]
    };
    let pos: Vec<[f64; 2]> = layout(nodes, edges).into_iter().map(to_px).collect();
    let valid = |e: &&NetEdge| e.from < n && e.to < n && e.from != e.to;

    let legend = legend(
        nodes,
        edges.iter().filter(valid),
        width,
        TOP + graph_h + 8.0,
    );
    let height = TOP + graph_h + 8.0 + legend.1;
    let mut s = open("network", title, width, height);
    s += "<g class=\"viewport\"><g class=\"edges\" fill=\"none\">";
    for e in edges.iter().filter(valid) {
        let (a, b) = (pos[e.from], pos[e.to]);
        let (colour, w, dash) = tie_style(&e.kind);
        let _ = write!(
            s,
            "<line class=\"edge tie-{}\" data-from=\"{}\" data-to=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" \
             stroke=\"{colour}\" stroke-width=\"{w}\" stroke-opacity=\"0.8\"{}><title>{}: {} – {}</title></line>",
            class_token(&e.kind),
            escape(&nodes[e.from].id),
            escape(&nodes[e.to].id),
            Px(a[0]),
            Px(a[1]),
            Px(b[0]),
            Px(b[1]),
            dash.map_or(String::new(), |d| format!(" stroke-dasharray=\"{d}\"")),
            escape(&e.label),
            escape(&nodes[e.from].label),
            escape(&nodes[e.to].label),
        );
    }
    s += "</g><g class=\"nodes\">";
    for (v, p) in nodes.iter().zip(&pos) {
        let r = radius(v.degree);
        let shape = match v.kind {
            NodeKind::Actor => shape_el(
                Shape::Circle,
                p[0],
                p[1],
                r,
                &format!(
                    "class=\"shape\" fill=\"{}\" stroke=\"{INK}\" stroke-width=\"1\"",
                    actor_colour(&v.group)
                ),
                "",
            ),
            NodeKind::Site => status_marker(Shape::Square, &v.group, p[0], p[1], r, "shape", ""),
        };
        // Labels sit right of the node, with a white halo to stay readable over ties.
        let label = format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"{LABEL_SIZE}\" stroke=\"#ffffff\" stroke-width=\"3\" \
             stroke-linejoin=\"round\" paint-order=\"stroke\">{}</text>",
            Px(p[0] + r + 3.0),
            Px(p[1] + 4.0),
            escape(&truncate_to_width(&v.label, 200.0, LABEL_SIZE))
        );
        // A linked node is focusable through its link; the others through tabindex, so
        // that keyboard users reach every node exactly once.
        let focus = if v.href.is_some() {
            ""
        } else {
            " tabindex=\"0\""
        };
        let g = format!(
            "<g class=\"node node-{} group-{}\" data-node=\"{}\"{focus}><title>{}</title>{shape}{label}</g>",
            v.kind.key(),
            class_token(&v.group),
            escape(&v.id),
            escape(&v.label),
        );
        s += &link(v.href.as_deref(), &g);
    }
    s += "</g></g>";
    s += &legend.0;
    s += "</svg>";
    s
}

/// The legend (markup, height) for what the graph holds: node shapes, site statuses,
/// actor kinds and tie kinds, each only if present, in the model's order.
fn legend<'a>(
    nodes: &[NetNode],
    edges: impl Iterator<Item = &'a NetEdge>,
    width: f64,
    top: f64,
) -> (String, f64) {
    let has =
        |kind: NodeKind, group: &str| nodes.iter().any(|v| v.kind == kind && v.group == group);
    let tie_kinds: Vec<&str> = {
        let mut ks: Vec<&str> = edges.map(|e| e.kind.as_str()).collect();
        ks.sort_by_key(|k| {
            TieKind::ALL
                .iter()
                .position(|t| t.as_str() == *k)
                .unwrap_or(usize::MAX)
        });
        ks.dedup();
        ks
    };
    let mut flow = Flow::new(12.0, width - 12.0, top + 8.0, LEGEND_ROW);
    let mut s = String::from("<g class=\"legend\">");
    let mut item = |s: &mut String, marker: &dyn Fn(f64, f64) -> String, label: &str| {
        let label = truncate_to_width(label, 200.0, FONT_SIZE);
        let (x, y) = flow.place(30.0 + text_width(&label, FONT_SIZE) * SLACK + 20.0);
        *s += &marker(x + 10.0, y + 8.0);
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            Px(x + 26.0),
            Px(y + 13.0),
            escape(&label)
        );
    };
    let neutral = |shape: Shape| {
        move |x: f64, y: f64| {
            shape_el(
                shape,
                x,
                y,
                7.0,
                &format!("fill=\"#ffffff\" stroke=\"{INK}\" stroke-width=\"1.5\""),
                "",
            )
        }
    };
    if nodes.iter().any(|v| v.kind == NodeKind::Actor) {
        item(&mut s, &neutral(Shape::Circle), "ภาคี");
    }
    if nodes.iter().any(|v| v.kind == NodeKind::Site) {
        item(&mut s, &neutral(Shape::Square), "พื้นที่");
    }
    for st in SiteStatus::ALL {
        if has(NodeKind::Site, st.as_str()) {
            let key = st.as_str();
            item(
                &mut s,
                &|x, y| status_marker(Shape::Square, key, x, y, 6.0, "", ""),
                &thai_label::<SiteStatus>(key),
            );
        }
    }
    let mut kinds: Vec<&str> = ActorKind::ALL.iter().map(|k| k.as_str()).collect();
    for v in nodes.iter().filter(|v| v.kind == NodeKind::Actor) {
        if !kinds.contains(&v.group.as_str()) {
            kinds.push(&v.group); // an unknown kind still gets a row, under its key
        }
    }
    for key in kinds {
        if has(NodeKind::Actor, key) {
            let fill = actor_colour(key);
            item(
                &mut s,
                &|x, y| {
                    shape_el(
                        Shape::Circle,
                        x,
                        y,
                        7.0,
                        &format!("fill=\"{fill}\" stroke=\"{INK}\" stroke-width=\"1\""),
                        "",
                    )
                },
                &thai_label::<ActorKind>(key),
            );
        }
    }
    for key in tie_kinds {
        let (colour, w, dash) = tie_style(key);
        item(
            &mut s,
            &|x, y| {
                format!(
                    "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"{}\"{}/>",
                    Px(x - 9.0),
                    Px(y),
                    Px(x + 9.0),
                    Px(y),
                    w + 0.6,
                    dash.map_or(String::new(), |d| format!(" stroke-dasharray=\"{d}\""))
                )
            },
            &thai_label::<TieKind>(key),
        );
    }
    s += "</g>";
    // Under a zoomed graph the legend must stay readable: a white band behind it.
    let h = flow.height() + 12.0;
    let band = format!(
        "<rect class=\"legend-band\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        Px(top),
        Px(width),
        Px(h)
    );
    (band + &s, h)
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{NASTY, attrs, well_formed};
    use super::*;

    fn node(id: &str, kind: NodeKind, group: &str) -> NetNode {
        NetNode {
            id: id.into(),
            label: format!("ชื่อ {id}"),
            kind,
            group: group.into(),
            degree: 1,
            href: None,
        }
    }

    fn edge(from: usize, to: usize) -> NetEdge {
        NetEdge {
            from,
            to,
            kind: "support".into(),
            label: "สนับสนุน".into(),
        }
    }

    /// Two cliques of four (0–3 and 4–7) joined by the single tie 0–4.
    fn two_cliques() -> (Vec<NetNode>, Vec<NetEdge>) {
        let nodes = (0..8)
            .map(|i| node(&format!("actor-{i}"), NodeKind::Actor, "ngo"))
            .collect();
        let mut edges = Vec::new();
        for group in [0..4, 4..8] {
            for a in group.clone() {
                for b in a + 1..group.end {
                    edges.push(edge(a, b));
                }
            }
        }
        edges.push(edge(0, 4));
        (nodes, edges)
    }

    fn dist(p: &[[f64; 2]], a: usize, b: usize) -> f64 {
        ((p[a][0] - p[b][0]).powi(2) + (p[a][1] - p[b][1]).powi(2)).sqrt()
    }

    #[test]
    fn layout_is_deterministic() {
        let (nodes, edges) = two_cliques();
        assert_eq!(layout(&nodes, &edges), layout(&nodes, &edges));
        // The start comes from ids, not from the order nodes are given in.
        assert_eq!(seed("actor-1"), seed("actor-1"));
        assert_ne!(seed("actor-1"), seed("actor-2"));
    }

    #[test]
    fn positions_stay_inside_the_unit_square() {
        let (nodes, edges) = two_cliques();
        let p = layout(&nodes, &edges);
        assert_eq!(p.len(), nodes.len());
        assert!(
            p.iter()
                .flatten()
                .all(|v| (MARGIN..=1.0 - MARGIN).contains(v)),
            "{p:?}"
        );
    }

    #[test]
    fn tied_nodes_end_up_closer_than_untied_ones() {
        let (nodes, edges) = two_cliques();
        let p = layout(&nodes, &edges);
        let (mut tied, mut untied) = (Vec::new(), Vec::new());
        for a in 0..8 {
            for b in a + 1..8 {
                let is_tied = edges.iter().any(|e| (e.from, e.to) == (a, b));
                (if is_tied { &mut tied } else { &mut untied }).push(dist(&p, a, b));
            }
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        assert!(
            mean(&tied) * 1.5 < mean(&untied),
            "tied {} vs untied {}",
            mean(&tied),
            mean(&untied)
        );
    }

    #[test]
    fn degenerate_graphs_are_laid_out() {
        assert!(layout(&[], &[]).is_empty());
        let one = [node("site-1", NodeKind::Site, "planned")];
        assert_eq!(layout(&one, &[]), [[0.5, 0.5]]);
        // Isolated nodes, a duplicate id, a self-tie and ties pointing nowhere.
        let nodes = [
            node("a", NodeKind::Actor, "fund"),
            node("a", NodeKind::Actor, "fund"),
            node("b", NodeKind::Site, "coded"),
            node("c", NodeKind::Site, "coded"),
        ];
        let edges = [edge(0, 0), edge(2, 9), edge(9, 2)];
        let p = layout(&nodes, &edges);
        assert!(p.iter().flatten().all(|v| (0.0..=1.0).contains(v)));
        assert!(dist(&p, 0, 1) > 0.01, "two nodes with one id are parted");
        well_formed(&network_svg("t", &nodes, &edges));
    }

    #[test]
    fn disconnected_components_do_not_overlap() {
        // Five separate pairs: every pair's partners are closer than nodes of other pairs.
        let nodes: Vec<NetNode> = (0..10)
            .map(|i| node(&format!("n{i}"), NodeKind::Actor, "media"))
            .collect();
        let edges: Vec<NetEdge> = (0..5).map(|i| edge(2 * i, 2 * i + 1)).collect();
        let p = layout(&nodes, &edges);
        for i in 0..5 {
            let partner = dist(&p, 2 * i, 2 * i + 1);
            let nearest_other = (0..10)
                .filter(|&j| j / 2 != i)
                .map(|j| dist(&p, 2 * i, j))
                .fold(f64::MAX, f64::min);
            assert!(
                partner < nearest_other,
                "pair {i}: {partner} vs {nearest_other}"
            );
        }
    }

    #[test]
    fn a_large_graph_finishes() {
        // 1,500 nodes (300 sites, 1,200 actors) and 5,000 ties; no timing assertion, but
        // an O(n²) layout would make this test crawl in debug builds.
        let mut nodes: Vec<NetNode> = (0..300)
            .map(|i| node(&format!("site-{i}"), NodeKind::Site, "coded"))
            .collect();
        nodes.extend((0..1200).map(|i| node(&format!("actor-{i}"), NodeKind::Actor, "agency")));
        let edges: Vec<NetEdge> = (0..5000)
            .map(|i| edge(300 + (i * 7919) % 1200, (i * 104_729) % 300))
            .collect();
        let p = layout(&nodes, &edges);
        assert_eq!(p.len(), 1500);
        assert!(p.iter().flatten().all(|v| (0.0..=1.0).contains(v)));
        let svg = network_svg("ใหญ่", &nodes, &edges);
        assert_eq!(svg.matches("<line class=\"edge").count(), 5000);
    }

    #[test]
    fn svg_has_edges_then_nodes_in_one_viewport() {
        let mut nodes = vec![
            node("actor-1", NodeKind::Actor, "fund"),
            node("site-7", NodeKind::Site, "returned"),
            node("actor-2", NodeKind::Actor, "academic"),
        ];
        nodes[1].href = Some("/sites/7".into());
        nodes[1].degree = 9;
        let edges = [
            edge(0, 1),
            NetEdge {
                from: 2,
                to: 1,
                kind: "study_visit".into(),
                label: "ศึกษาดูงาน".into(),
            },
        ];
        let svg = network_svg("เครือข่าย", &nodes, &edges);
        well_formed(&svg);
        assert_eq!(svg.matches("class=\"viewport\"").count(), 1);
        let viewport = svg.find("<g class=\"viewport\">").unwrap();
        let first_edge = svg
            .find("<line class=\"edge tie-support\" data-from=\"actor-1\" data-to=\"site-7\"")
            .unwrap();
        let first_node = svg
            .find("<g class=\"node node-actor group-fund\" data-node=\"actor-1\" tabindex=\"0\">")
            .unwrap();
        assert!(viewport < first_edge && first_edge < first_node);
        // Both ends of the viewport: nodes and edges are inside it, the legend after it.
        let end = svg.find("</g></g><rect class=\"legend-band\"").unwrap();
        assert!(svg.rfind("class=\"node ").unwrap() < end);
        // Sites are squares and linked; actors circles; size grows with degree.
        assert!(svg.contains(
            "<a href=\"/sites/7\"><g class=\"node node-site group-returned\" data-node=\"site-7\">"
        ));
        let site_w = attrs(&svg, "class=\"shape\"", "width")[0];
        let actor_r = attrs(&svg, "class=\"shape\"", "r");
        assert!(
            site_w / 1.77 > actor_r[0],
            "degree 9 is bigger than degree 1"
        );
        assert_eq!(actor_r[0], actor_r[1]);
        // Tie kinds differ by dash, for greyscale.
        assert!(svg.contains("class=\"edge tie-study_visit\""));
        assert!(svg.contains("stroke-dasharray=\"6 3\""));
        // The legend names what is there, in Thai.
        assert!(svg.contains(">คืนข้อมูลแล้ว</text>") && svg.contains(">กองทุน</text>"));
    }

    #[test]
    fn labels_and_keys_are_escaped() {
        let mut nodes = vec![
            node(NASTY, NodeKind::Actor, "a b\"c"),
            node("site-1", NodeKind::Site, "planned"),
        ];
        nodes[0].label = NASTY.into();
        nodes[1].href = Some("/x?a=1&b=2".into());
        let edges = [NetEdge {
            from: 0,
            to: 1,
            kind: "x\" onclick=\"y".into(),
            label: NASTY.into(),
        }];
        let svg = network_svg(NASTY, &nodes, &edges);
        well_formed(&svg);
        assert!(svg.contains("group-a_b_c\""));
        assert!(svg.contains("tie-x__onclick__y\""));
        assert!(
            svg.contains("data-node=\"ผู้นำ &lt;ชุมชน&gt; &amp; &quot;กองทุน&quot; &#39;หมู่ ๓&#39;\"")
        );
        assert!(!svg.contains("<ชุมชน>"));
    }

    #[test]
    fn an_empty_network_says_so() {
        let svg = network_svg("ว่าง", &[], &[]);
        well_formed(&svg);
        assert!(svg.contains(NO_DATA));
    }
}
