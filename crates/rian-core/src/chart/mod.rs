//! SVG charts for the analyses: bars, grouped bars, the network, the map and the
//! timeline. Each function returns one `<svg>` element that scales to its container
//! (viewBox, width 100%), carries a title for screen readers, and uses the page's Thai
//! typeface; every text is escaped. Rows leave room for Thai marks above and below.

use crate::model::{IsoDate, MONTHS_TH_SHORT};
use std::fmt::Write;

const FONT: &str = "Sarabun, 'Noto Sans Thai', sans-serif";
/// Row height for 14 px Thai text: stacked vowels and tone marks need ~1.6×.
const ROW: f64 = 26.0;

/// Escapes text for XML content and attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Thai marks that sit above or below a letter and take no width.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
}

/// Estimated width of a text in em (no font metrics at hand).
pub fn text_em(s: &str) -> f64 {
    s.chars().filter(|c| !is_mark(*c)).count() as f64 * 0.55
}

/// Cuts a label to at most `max` spacing characters, never between a letter and its marks.
pub fn truncate(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    for c in s.chars() {
        if !is_mark(c) {
            if n == max {
                out.push('…');
                return out;
            }
            n += 1;
        }
        out.push(c);
    }
    out
}

/// 1234567 → "1,234,567"; fractions to one decimal.
pub fn number(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let whole = v.trunc().abs() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    if v < 0.0 {
        out.insert(0, '-');
    }
    if v.fract().abs() >= 0.05 {
        let _ = write!(out, ".{}", ((v.fract().abs() * 10.0).round() as u64).min(9));
    }
    out
}

fn clean(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 { v } else { 0.0 }
}

fn open(title: &str, width: f64, height: f64) -> String {
    let t = escape(title);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"100%\" role=\"img\" aria-label=\"{t}\" font-family=\"{FONT}\" font-size=\"14\"><title>{t}</title><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
    )
}

fn empty(title: &str) -> String {
    let mut s = open(title, 600.0, 80.0);
    s += "<text x=\"300\" y=\"45\" text-anchor=\"middle\" fill=\"#5f6b7a\">ไม่มีข้อมูล</text></svg>";
    s
}

fn link(href: &Option<String>, inner: String) -> String {
    match href {
        Some(h) => format!("<a href=\"{}\">{inner}</a>", escape(h)),
        None => inner,
    }
}

// ---- bars -------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub href: Option<String>,
    pub color: Option<String>,
}

const WIDTH: f64 = 760.0;
const LABEL_W: f64 = 250.0;
const PLOT_W: f64 = 400.0;

/// Horizontal bars, one per row: label left, bar, value and unit right of it.
pub fn bar_chart(title: &str, unit: &str, bars: &[Bar]) -> String {
    if bars.is_empty() {
        return empty(title);
    }
    let most = bars
        .iter()
        .map(|b| clean(b.value))
        .fold(0.0, f64::max)
        .max(1e-9);
    let height = 36.0 + bars.len() as f64 * ROW;
    let mut s = open(title, WIDTH, height);
    let _ = write!(
        s,
        "<text x=\"8\" y=\"20\" font-weight=\"600\">{}</text>",
        escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 30.0 + i as f64 * ROW;
        let w = clean(b.value) / most * PLOT_W;
        let colour = b.color.as_deref().unwrap_or("#1d6f8c");
        let row = format!(
            "<g class=\"bar\"><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect x=\"{LABEL_W}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\" stroke=\"#1f2933\" stroke-width=\"0.5\"><title>{}</title></rect><text x=\"{:.1}\" y=\"{:.1}\">{} {}</text></g>",
            LABEL_W - 8.0,
            y + 17.0,
            escape(&truncate(&b.label, 40)),
            y + 4.0,
            ROW - 8.0,
            escape(colour),
            escape(&b.label),
            LABEL_W + w + 6.0,
            y + 17.0,
            number(b.value),
            escape(unit)
        );
        s += &link(&b.href, row);
    }
    s += "</svg>";
    s
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub color: String,
    pub values: Vec<f64>,
}

/// Grouped horizontal bars: per category, one bar per series, with a legend.
pub fn grouped_bars(title: &str, categories: &[String], series: &[Series]) -> String {
    if categories.is_empty() || series.is_empty() {
        return empty(title);
    }
    let most = series
        .iter()
        .flat_map(|s| s.values.iter().map(|v| clean(*v)))
        .fold(0.0, f64::max)
        .max(1e-9);
    let bar = 16.0;
    let group = series.len() as f64 * bar + 12.0;
    let legend = 24.0 * series.len().div_ceil(3) as f64;
    let height = 36.0 + legend + categories.len() as f64 * group;
    let mut s = open(title, WIDTH, height);
    let _ = write!(
        s,
        "<text x=\"8\" y=\"20\" font-weight=\"600\">{}</text>",
        escape(title)
    );
    for (i, se) in series.iter().enumerate() {
        let (x, y) = (8.0 + (i % 3) as f64 * 250.0, 30.0 + (i / 3) as f64 * 24.0);
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            escape(&se.color),
            x + 20.0,
            y + 12.0,
            escape(&truncate(&se.name, 30))
        );
    }
    for (c, category) in categories.iter().enumerate() {
        let top = 36.0 + legend + c as f64 * group;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LABEL_W - 8.0,
            top + group / 2.0,
            escape(&truncate(category, 40))
        );
        for (i, se) in series.iter().enumerate() {
            let v = clean(se.values.get(c).copied().unwrap_or(0.0));
            let y = top + i as f64 * bar;
            let w = v / most * PLOT_W;
            let _ = write!(
                s,
                "<rect x=\"{LABEL_W}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {}</title></rect><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{}</text>",
                bar - 2.0,
                escape(&se.color),
                escape(&se.name),
                number(v),
                LABEL_W + w + 4.0,
                y + 12.0,
                number(v)
            );
        }
    }
    s += "</svg>";
    s
}

// ---- network ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Actor,
    Site,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NetNode {
    pub id: String,
    pub label: String,
    pub kind: NodeKind,
    pub group: String,
    pub degree: usize,
    pub href: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NetEdge {
    pub from: usize,
    pub to: usize,
    pub kind: String,
    pub label: String,
}

/// A start position from the id alone, so the same graph always gives the same picture.
fn seed(id: &str) -> [f64; 2] {
    let h = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    [
        (h & 0xffff) as f64 / 65535.0,
        ((h >> 16) & 0xffff) as f64 / 65535.0,
    ]
}

/// Force-directed layout (Fruchterman–Reingold, fixed iterations, cooling), positions in
/// [0.05, 0.95]².
pub fn layout(nodes: &[NetNode], edges: &[NetEdge]) -> Vec<[f64; 2]> {
    let n = nodes.len();
    if n == 0 {
        return Vec::new();
    }
    let mut pos: Vec<[f64; 2]> = nodes.iter().map(|v| seed(&v.id)).collect();
    if n == 1 {
        return vec![[0.5, 0.5]];
    }
    let k = (1.0 / n as f64).sqrt();
    let iterations = if n > 500 { 60 } else { 200 };
    let mut heat = 0.1;
    for _ in 0..iterations {
        let mut shift = vec![[0.0f64; 2]; n];
        // Repulsion between every pair; beyond 3k it is negligible and skipped.
        for a in 0..n {
            for b in a + 1..n {
                let dx = pos[a][0] - pos[b][0];
                let dy = pos[a][1] - pos[b][1];
                let d2 = (dx * dx + dy * dy).max(1e-6);
                if d2 > 9.0 * k * k {
                    continue;
                }
                let f = k * k / d2;
                shift[a][0] += dx * f;
                shift[a][1] += dy * f;
                shift[b][0] -= dx * f;
                shift[b][1] -= dy * f;
            }
        }
        for e in edges
            .iter()
            .filter(|e| e.from < n && e.to < n && e.from != e.to)
        {
            let dx = pos[e.from][0] - pos[e.to][0];
            let dy = pos[e.from][1] - pos[e.to][1];
            let d = (dx * dx + dy * dy).sqrt().max(1e-6);
            let f = d / k;
            shift[e.from][0] -= dx * f;
            shift[e.from][1] -= dy * f;
            shift[e.to][0] += dx * f;
            shift[e.to][1] += dy * f;
        }
        for (p, s) in pos.iter_mut().zip(&shift) {
            let len = (s[0] * s[0] + s[1] * s[1]).sqrt().max(1e-9);
            let step = len.min(heat);
            p[0] = (p[0] + s[0] / len * step).clamp(0.05, 0.95);
            p[1] = (p[1] + s[1] / len * step).clamp(0.05, 0.95);
        }
        heat *= 0.97;
    }
    pos
}

fn group_colour(group: &str) -> &'static str {
    match group {
        "planned" => "#8a94a3",
        "forum_held" => "#c77d1a",
        "coded" => "#2a7de1",
        "returned" => "#2a9d6f",
        "agency" => "#1d6f8c",
        "academic" => "#8e4fb5",
        "ngo" => "#c0392b",
        "media" => "#d6953d",
        "international" => "#2980b9",
        "fund" => "#27ae60",
        "community_organization" => "#5d6d7e",
        _ => "#6b7785",
    }
}

/// The graph: edges, then nodes (circles for actors, squares for sites), all inside one
/// `<g class="viewport">` that a script can zoom and move.
pub fn network_svg(title: &str, nodes: &[NetNode], edges: &[NetEdge]) -> String {
    if nodes.is_empty() {
        return empty(title);
    }
    let (w, h) = (900.0, 640.0);
    let pos: Vec<[f64; 2]> = layout(nodes, edges)
        .into_iter()
        .map(|[x, y]| [x * w, y * h])
        .collect();
    let mut s = open(title, w, h);
    s += "<g class=\"viewport\">";
    for e in edges
        .iter()
        .filter(|e| e.from < nodes.len() && e.to < nodes.len())
    {
        let (a, b) = (pos[e.from], pos[e.to]);
        let _ = write!(
            s,
            "<line class=\"edge tie-{}\" data-from=\"{}\" data-to=\"{}\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#8a94a3\" stroke-width=\"1.5\"><title>{}</title></line>",
            escape(&e.kind),
            escape(&nodes[e.from].id),
            escape(&nodes[e.to].id),
            a[0],
            a[1],
            b[0],
            b[1],
            escape(&e.label)
        );
    }
    for (v, p) in nodes.iter().zip(&pos) {
        let r = 6.0 + 3.0 * (v.degree as f64).sqrt();
        let colour = group_colour(&v.group);
        let (kind, shape) = match v.kind {
            NodeKind::Actor => (
                "actor",
                format!(
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r:.1}\" fill=\"{colour}\" stroke=\"#1f2933\"/>",
                    p[0], p[1]
                ),
            ),
            NodeKind::Site => (
                "site",
                format!(
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\" stroke=\"#1f2933\" stroke-dasharray=\"3 2\"/>",
                    p[0] - r,
                    p[1] - r,
                    2.0 * r,
                    2.0 * r
                ),
            ),
        };
        let inner = format!(
            "{shape}<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{}</text>",
            p[0] + r + 3.0,
            p[1] + 4.0,
            escape(&truncate(&v.label, 28))
        );
        let _ = write!(
            s,
            "<g class=\"node node-{kind} group-{}\" data-node=\"{}\" tabindex=\"0\"><title>{}</title>{}</g>",
            escape(&v.group),
            escape(&v.id),
            escape(&v.label),
            if v.kind == NodeKind::Site {
                link(&v.href, inner)
            } else {
                inner
            }
        );
    }
    s += "</g></svg>";
    s
}

// ---- map -------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub struct MapShape {
    pub name: String,
    pub rings: Vec<Vec<[f64; 2]>>,
    pub highlighted: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    pub id: String,
    pub label: String,
    pub lon: f64,
    pub lat: f64,
    pub group: String,
    pub href: Option<String>,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub group: String,
    pub label: String,
}

/// Provinces and sites, equirectangular with the x axis shrunk by cos(mid-latitude) so
/// that shapes keep their proportions at Thailand's latitudes.
pub fn map_svg(
    title: &str,
    shapes: &[MapShape],
    points: &[MapPoint],
    legend: &[LegendEntry],
) -> String {
    let all = shapes.iter().flat_map(|s| s.rings.iter().flatten());
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in all.chain(points.iter().map(|_| &[0.0, 0.0]).filter(|_| false)) {
        x0 = x0.min(p[0]);
        x1 = x1.max(p[0]);
        y0 = y0.min(p[1]);
        y1 = y1.max(p[1]);
    }
    if x0 > x1 {
        return empty(title);
    }
    let squeeze = ((y0 + y1) / 2.0).to_radians().cos();
    let h = 800.0;
    let scale = h / (y1 - y0).max(1e-9);
    let w = (x1 - x0) * squeeze * scale + 220.0;
    let project = |lon: f64, lat: f64| {
        (
            (lon - x0) * squeeze * scale + 10.0,
            (y1 - lat) * scale + 10.0,
        )
    };
    let mut s = open(title, w + 20.0, h + 20.0);
    for shape in shapes {
        let mut d = String::new();
        for ring in &shape.rings {
            for (i, p) in ring.iter().enumerate() {
                let (x, y) = project(p[0], p[1]);
                let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
        let _ = write!(
            s,
            "<path class=\"province\" data-name=\"{}\" d=\"{d}\" fill=\"{}\" stroke=\"#9aa5b1\" stroke-width=\"0.6\"><title>{}</title></path>",
            escape(&shape.name),
            if shape.highlighted {
                "#e3eef3"
            } else {
                "#f5f3ee"
            },
            escape(&shape.name)
        );
    }
    for p in points {
        let (x, y) = project(p.lon, p.lat);
        let colour = group_colour(&p.group);
        let dash = if p.group == "planned" {
            " stroke-dasharray=\"2 2\""
        } else {
            ""
        };
        let inner = format!(
            "<circle class=\"site status-{}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"7\" fill=\"{colour}\" stroke=\"#1f2933\" stroke-width=\"1.5\"{dash}><title>{}</title></circle><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{}</text>",
            escape(&p.group),
            escape(&p.title),
            x + 10.0,
            y + 4.0,
            escape(&truncate(&p.label, 24))
        );
        s += &link(&p.href, inner);
    }
    for (i, l) in legend.iter().enumerate() {
        let (x, y) = (w - 190.0, 30.0 + i as f64 * ROW);
        let _ = write!(
            s,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"7\" fill=\"{}\" stroke=\"#1f2933\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            group_colour(&l.group),
            x + 14.0,
            y + 5.0,
            escape(&l.label)
        );
    }
    s += "</svg>";
    s
}

// ---- timeline --------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    pub date: IsoDate,
    pub label: String,
    pub kind: String,
    pub planned: bool,
    pub href: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub label: String,
    pub href: Option<String>,
    pub events: Vec<TimelineEvent>,
}

fn month_index(d: IsoDate) -> i64 {
    d.year() as i64 * 12 + d.month() as i64 - 1
}

/// One lane per site; forums as markers (filled when held, hollow when planned) on a
/// month axis labelled in Thai with Buddhist-Era years.
pub fn timeline_svg(title: &str, lanes: &[Lane]) -> String {
    let months: Vec<i64> = lanes
        .iter()
        .flat_map(|l| l.events.iter().map(|e| month_index(e.date)))
        .collect();
    let height = 60.0 + lanes.len().max(1) as f64 * ROW;
    let mut s = open(title, WIDTH, height);
    let (Some(&first), Some(&last)) = (months.iter().min(), months.iter().max()) else {
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#5f6b7a\">ไม่มีเวที</text></svg>",
            WIDTH / 2.0,
            height / 2.0
        );
        return s;
    };
    let (first, last) = (first - 1, last + 1);
    let span = (last - first).max(1) as f64;
    let x = |m: f64| 200.0 + (m - first as f64) / span * (WIDTH - 230.0);
    let axis = height - 24.0;
    let step = ((last - first) / 8).max(1);
    let mut m = first;
    while m <= last {
        let year = m.div_euclid(12);
        let month = m.rem_euclid(12) as usize;
        let _ = write!(
            s,
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"20\" y2=\"{axis:.1}\" stroke=\"#eceae4\"/><text x=\"{0:.1}\" y=\"{1:.1}\" font-size=\"11\" text-anchor=\"middle\">{2} {3}</text>",
            x(m as f64),
            axis + 16.0,
            MONTHS_TH_SHORT[month],
            year + crate::model::BE_OFFSET as i64
        );
        m += step;
    }
    for (i, lane) in lanes.iter().enumerate() {
        let y = 30.0 + i as f64 * ROW;
        s += &link(
            &lane.href,
            format!(
                "<text x=\"190\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                y + 5.0,
                escape(&truncate(&lane.label, 28))
            ),
        );
        for e in &lane.events {
            let cx = x(month_index(e.date) as f64 + (e.date.day() as f64 - 1.0) / 31.0);
            let fill = if e.planned {
                "#fff"
            } else {
                group_colour_kind(&e.kind)
            };
            let marker = format!(
                "<circle class=\"forum kind-{}\" cx=\"{cx:.1}\" cy=\"{y:.1}\" r=\"7\" fill=\"{fill}\" stroke=\"{}\" stroke-width=\"2\"><title>{} {}</title></circle>",
                escape(&e.kind),
                group_colour_kind(&e.kind),
                escape(&e.label),
                e.date.display(crate::model::Lang::Th)
            );
            s += &link(&e.href, marker);
        }
    }
    s += "</svg>";
    s
}

fn group_colour_kind(kind: &str) -> &'static str {
    match kind {
        "lessons_learned" => "#c77d1a",
        "focus_group" => "#2a7de1",
        "data_return" => "#2a9d6f",
        "planning" => "#8e4fb5",
        _ => "#5d6d7e",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn well_formed(svg: &str) {
        let mut r = quick_xml::Reader::from_str(svg);
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{e}: {svg}"),
            }
        }
    }

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.into(),
            value,
            href: Some("/a?b=1&c=2".into()),
            color: None,
        }
    }

    #[test]
    fn bars_are_proportional_escaped_and_well_formed() {
        let svg = bar_chart(
            "ชื่อ <&\"'>",
            "ครั้ง",
            &[bar("กองทุน", 10.0), bar("<ผู้นำ>", 5.0), bar("x", f64::NAN)],
        );
        well_formed(&svg);
        assert!(svg.contains("&lt;ผู้นำ&gt;"));
        let widths: Vec<f64> = svg
            .split(" width=\"")
            .filter_map(|w| w.split('"').next()?.parse().ok())
            .collect();
        assert_eq!(widths, [PLOT_W, PLOT_W / 2.0, 0.0]);
        well_formed(&bar_chart("ว่าง", "", &[]));
        well_formed(&grouped_bars(
            "t",
            &["ก".into()],
            &[Series {
                name: "<a>".into(),
                color: "#000".into(),
                values: vec![1.0],
            }],
        ));
    }

    #[test]
    fn thai_labels_are_cut_between_letters_not_marks() {
        assert_eq!(truncate("ผู้สูงอายุ", 3), "ผู้สูง…");
        assert_eq!(number(1234567.0), "1,234,567");
    }

    #[test]
    fn layout_is_stable_inside_the_square_and_keeps_ties_close() {
        let node = |i: usize| NetNode {
            id: format!("n{i}"),
            label: format!("{i}"),
            kind: NodeKind::Actor,
            group: String::new(),
            degree: 1,
            href: None,
        };
        let nodes: Vec<NetNode> = (0..8).map(node).collect();
        let mut edges = Vec::new();
        for group in [0..4, 4..8] {
            for a in group.clone() {
                for b in a + 1..group.end {
                    edges.push(NetEdge {
                        from: a,
                        to: b,
                        kind: "support".into(),
                        label: String::new(),
                    });
                }
            }
        }
        edges.push(NetEdge {
            from: 0,
            to: 4,
            kind: "support".into(),
            label: String::new(),
        });
        let p = layout(&nodes, &edges);
        assert_eq!(p, layout(&nodes, &edges));
        assert!(p.iter().flatten().all(|v| (0.0..=1.0).contains(v)));
        let d =
            |a: usize, b: usize| ((p[a][0] - p[b][0]).powi(2) + (p[a][1] - p[b][1]).powi(2)).sqrt();
        let inside = (d(1, 2) + d(5, 6) + d(1, 3) + d(5, 7)) / 4.0;
        let across = (d(1, 5) + d(2, 6) + d(3, 7) + d(1, 7)) / 4.0;
        assert!(inside < across, "{inside} < {across}");
        well_formed(&network_svg("เครือข่าย", &nodes, &edges));
        well_formed(&network_svg("ว่าง", &[], &[]));
    }

    #[test]
    fn map_and_timeline_are_well_formed_and_in_order() {
        let square = MapShape {
            name: "น่าน".into(),
            rings: vec![vec![
                [100.0, 18.0],
                [101.0, 18.0],
                [101.0, 19.0],
                [100.0, 19.0],
            ]],
            highlighted: true,
        };
        let point = MapPoint {
            id: "site-1".into(),
            label: "ต.ตัวอย่าง".into(),
            lon: 100.5,
            lat: 18.5,
            group: "planned".into(),
            href: Some("/sites/1".into()),
            title: "<t>".into(),
        };
        let svg = map_svg(
            "แผนที่",
            &[square],
            &[point],
            &[LegendEntry {
                group: "planned".into(),
                label: "วางแผน".into(),
            }],
        );
        well_formed(&svg);
        assert!(svg.contains("class=\"province\""));
        let event = |d: &str| TimelineEvent {
            date: d.parse().unwrap(),
            label: "เวที".into(),
            kind: "focus_group".into(),
            planned: false,
            href: None,
        };
        let svg = timeline_svg(
            "เวที",
            &[Lane {
                label: "ก".into(),
                href: None,
                events: vec![event("2023-03-31"), event("2024-06-01")],
            }],
        );
        well_formed(&svg);
        assert!(svg.contains("2566"));
        let xs: Vec<f64> = svg
            .split("class=\"forum")
            .skip(1)
            .filter_map(|p| p.split("cx=\"").nth(1)?.split('"').next()?.parse().ok())
            .collect();
        assert!(xs.len() == 2 && xs[0] < xs[1]);
        well_formed(&timeline_svg("ว่าง", &[]));
    }
}
