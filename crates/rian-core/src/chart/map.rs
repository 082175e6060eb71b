//! The map of study sites: province outlines, provinces holding sites tinted, sites as
//! markers by status, and a legend.
//!
//! The projection is equirectangular with x shrunk by cos(mid-latitude): at Thailand's
//! latitudes (6°–20° N) that keeps shapes within a few percent of their true proportions,
//! needs no projection library, and is exactly invertible for tests.

use super::{
    FONT_SIZE, INK, NO_DATA, Px, SLACK, Shape, TOP, class_token, escape, link, note_only, open,
    status_marker, text_width, truncate_to_width,
};
use std::fmt::Write;

/// One province (or any area): outer rings of `[lon, lat]`, islands as more rings.
#[derive(Debug, Clone, PartialEq)]
pub struct MapShape {
    pub name: String,
    pub rings: Vec<Vec<[f64; 2]>>,
    /// Provinces holding sites are tinted.
    pub highlighted: bool,
}

/// One site on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    pub id: String,
    pub label: String,
    pub lon: f64,
    pub lat: f64,
    /// Site status key: planned, forum_held, coded, returned.
    pub group: String,
    pub href: Option<String>,
    /// Tooltip text.
    pub title: String,
}

/// One row of the legend: a status key and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub group: String,
    pub label: String,
}

const PAD: f64 = 12.0;
/// The map is fitted inside this box, keeping its proportions.
const MAP_W: f64 = 560.0;
const MAP_H: f64 = 760.0;
/// Room right of the map for the labels of sites near its east edge.
const LABEL_ROOM: f64 = 120.0;
const LABEL_SIZE: f64 = 12.0;
const POINT_R: f64 = 6.0;
const LEGEND_ROW: f64 = 26.0;

/// Lon/lat → px: x = (lon − west)·cos(mid-latitude)·scale, y = (north − lat)·scale.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Projection {
    west: f64,
    north: f64,
    /// cos(mid-latitude): a degree of longitude is this much shorter than one of latitude.
    squeeze: f64,
    scale: f64,
    x0: f64,
    y0: f64,
    width: f64,
    height: f64,
}

impl Projection {
    /// Fits the bounds `[west, south, east, north]` into MAP_W × MAP_H at (`x0`, `y0`).
    fn fit(bounds: [f64; 4], x0: f64, y0: f64) -> Projection {
        let [mut west, mut south, mut east, mut north] = bounds;
        // A single point or a line: give it a little area so the scale stays finite.
        if east - west < 0.01 {
            (west, east) = (west - 0.25, east + 0.25);
        }
        if north - south < 0.01 {
            (south, north) = (south - 0.25, north + 0.25);
        }
        let squeeze = ((south + north) / 2.0).to_radians().cos().max(0.05);
        let scale = (MAP_W / ((east - west) * squeeze)).min(MAP_H / (north - south));
        Projection {
            west,
            north,
            squeeze,
            scale,
            x0,
            y0,
            width: (east - west) * squeeze * scale,
            height: (north - south) * scale,
        }
    }

    fn apply(&self, lon: f64, lat: f64) -> [f64; 2] {
        [
            self.x0 + (lon - self.west) * self.squeeze * self.scale,
            self.y0 + (self.north - lat) * self.scale,
        ]
    }
}

/// `[west, south, east, north]` of finite coordinates, if any.
fn bounds(coords: impl Iterator<Item = [f64; 2]>) -> Option<[f64; 4]> {
    coords
        .filter(|p| p[0].is_finite() && p[1].is_finite())
        .fold(None, |b, p| {
            Some(match b {
                None => [p[0], p[1], p[0], p[1]],
                Some([w, s, e, n]) => [w.min(p[0]), s.min(p[1]), e.max(p[0]), n.max(p[1])],
            })
        })
}

/// Appends a ring as path data, to 0.1 px, dropping points that round onto the previous
/// one (at map scale a simplified province still has many); nothing if less than a
/// triangle is left.
fn ring_path(ring: &[[f64; 2]], proj: &Projection, d: &mut String) {
    let mut pts: Vec<(String, String)> = Vec::with_capacity(ring.len());
    for p in ring.iter().filter(|p| p[0].is_finite() && p[1].is_finite()) {
        let [x, y] = proj.apply(p[0], p[1]);
        let pt = (Px(x).to_string(), Px(y).to_string());
        if pts.last() != Some(&pt) {
            pts.push(pt);
        }
    }
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop(); // closed rings: Z closes them
    }
    if pts.len() < 3 {
        return;
    }
    for (i, (x, y)) in pts.iter().enumerate() {
        d.push(if i == 0 { 'M' } else { 'L' });
        let _ = write!(d, "{x} {y}");
    }
    d.push('Z');
}

/// Provinces and sites, with a legend box: each province a `<path class="province">`
/// (tinted and outlined darker when it holds sites), each site a circle
/// `class="site status-{group}"` whose fill, outline and detail tell the status even in
/// greyscale, labelled beside it and linked when it has an `href`.
///
/// The map is fitted to the shapes' bounds (to the points' when there are no shapes).
/// Points without finite coordinates are left out.
pub fn map_svg(
    title: &str,
    shapes: &[MapShape],
    points: &[MapPoint],
    legend: &[LegendEntry],
) -> String {
    let finite_points = || {
        points
            .iter()
            .filter(|p| p.lon.is_finite() && p.lat.is_finite())
    };
    let Some(b) = bounds(
        shapes
            .iter()
            .flat_map(|s| s.rings.iter().flatten().copied()),
    )
    .or_else(|| bounds(finite_points().map(|p| [p.lon, p.lat]))) else {
        return note_only("map", title, NO_DATA);
    };
    let proj = Projection::fit(b, PAD, TOP);

    let legend_labels: Vec<String> = legend
        .iter()
        .map(|l| truncate_to_width(&l.label, 220.0, FONT_SIZE))
        .collect();
    let legend_w = legend_labels
        .iter()
        .map(|l| text_width(l, FONT_SIZE) * SLACK + 44.0)
        .fold(140.0, f64::max);
    let legend_x = PAD + proj.width + LABEL_ROOM;
    let legend_h = legend.len() as f64 * LEGEND_ROW + 16.0;
    let width = if legend.is_empty() {
        legend_x
    } else {
        legend_x + legend_w + PAD
    };
    let height = TOP + proj.height.max(legend_h) + PAD;

    let mut s = open("map", title, width.max(300.0), height);
    s += "<g class=\"provinces\" stroke-linejoin=\"round\">";
    for shape in shapes {
        let mut d = String::new();
        for ring in &shape.rings {
            ring_path(ring, &proj, &mut d);
        }
        if d.is_empty() {
            continue;
        }
        // The tint and a darker outline: two cues, so it survives greyscale printing.
        let (fill, stroke, sw, mark) = if shape.highlighted {
            ("#c6dbe8", "#4a5561", "0.9", " data-highlighted=\"true\"")
        } else {
            ("#f5f5f2", "#b3b9c2", "0.5", "")
        };
        let name = escape(&shape.name);
        let _ = write!(
            s,
            "<path class=\"province\" data-name=\"{name}\"{mark} d=\"{d}\" fill=\"{fill}\" stroke=\"{stroke}\" \
             stroke-width=\"{sw}\"><title>{name}</title></path>"
        );
    }
    s += "</g><g class=\"sites\">";
    // Labels go right of their point, or left when that spot is taken; when both are, right
    // anyway: every site keeps its label, and its tooltip.
    // Points are placed first, so that no label covers another site's marker.
    let mut taken: Vec<[f64; 4]> = finite_points()
        .map(|p| {
            let [x, y] = proj.apply(p.lon, p.lat);
            let r = POINT_R + 3.0;
            [x - r, y - r, x + r, y + r]
        })
        .collect();
    let overlaps = |a: &[f64; 4], taken: &[[f64; 4]]| {
        taken
            .iter()
            .any(|b| a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3])
    };
    for p in finite_points() {
        let [x, y] = proj.apply(p.lon, p.lat);
        let label = truncate_to_width(&p.label, 150.0, LABEL_SIZE);
        let w = text_width(&label, LABEL_SIZE) * SLACK;
        let right = [x + POINT_R + 4.0, y - 9.0, x + POINT_R + 4.0 + w, y + 7.0];
        let left = [x - POINT_R - 4.0 - w, y - 9.0, x - POINT_R - 4.0, y + 7.0];
        let (bbox, anchor, lx) = if overlaps(&right, &taken) && !overlaps(&left, &taken) {
            (left, "end", left[2])
        } else {
            (right, "start", right[0])
        };
        taken.push(bbox);
        let marker = status_marker(
            Shape::Circle,
            &p.group,
            x,
            y,
            POINT_R,
            &format!("site status-{}", class_token(&p.group)),
            &format!("<title>{}</title>", escape(&p.title)),
        );
        let inner = format!(
            "<g class=\"site-point\" data-site=\"{}\">{marker}<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" \
             font-size=\"{LABEL_SIZE}\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" \
             paint-order=\"stroke\">{}</text></g>",
            escape(&p.id),
            Px(lx),
            Px(y + 4.0),
            escape(&label),
        );
        s += &link(p.href.as_deref(), &inner);
    }
    s += "</g>";
    if !legend.is_empty() {
        let _ = write!(
            s,
            "<g class=\"legend\"><rect class=\"legend-box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" \
             fill=\"#ffffff\" stroke=\"{INK}\" stroke-width=\"0.8\" rx=\"4\"/>",
            Px(legend_x),
            Px(TOP),
            Px(legend_w),
            Px(legend_h)
        );
        for (i, (l, label)) in legend.iter().zip(&legend_labels).enumerate() {
            let y = TOP + 8.0 + i as f64 * LEGEND_ROW + LEGEND_ROW / 2.0;
            s += &status_marker(
                Shape::Circle,
                &l.group,
                legend_x + 18.0,
                y,
                POINT_R,
                &format!("status-{}", class_token(&l.group)),
                "",
            );
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"{}\">{}</text>",
                Px(legend_x + 34.0),
                Px(y + 5.0),
                escape(label)
            );
        }
        s += "</g>";
    }
    s += "</svg>";
    s
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{NASTY, attrs, well_formed};
    use super::*;

    fn rect(name: &str, west: f64, south: f64, east: f64, north: f64) -> MapShape {
        MapShape {
            name: name.into(),
            rings: vec![vec![
                [west, south],
                [east, south],
                [east, north],
                [west, north],
            ]],
            highlighted: false,
        }
    }

    fn point(lon: f64, lat: f64, group: &str) -> MapPoint {
        MapPoint {
            id: format!("site-{lon}"),
            label: "ต.นาทอน".into(),
            lon,
            lat,
            group: group.into(),
            href: None,
            title: "ต.นาทอน อ.ทุ่งหว้า จ.สตูล".into(),
        }
    }

    /// [min x, min y, max x, max y] of every path whose tag contains `marker`.
    fn path_bbox(svg: &str, marker: &str) -> Vec<[f64; 4]> {
        svg.split("<path ")
            .filter(|t| t.contains(marker))
            .map(|t| {
                let d = t.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
                let nums: Vec<f64> = d
                    .split(['M', 'L', 'Z', ' '])
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse().unwrap())
                    .collect();
                let (xs, ys): (Vec<f64>, Vec<f64>) = nums.chunks(2).map(|c| (c[0], c[1])).unzip();
                let min = |v: &[f64]| v.iter().copied().fold(f64::MAX, f64::min);
                let max = |v: &[f64]| v.iter().copied().fold(f64::MIN, f64::max);
                [min(&xs), min(&ys), max(&xs), max(&ys)]
            })
            .collect()
    }

    #[test]
    fn a_point_lands_inside_its_province() {
        let shapes = [
            rect("เชียงใหม่", 98.0, 17.0, 99.5, 20.0),
            rect("สตูล", 99.5, 6.5, 100.2, 7.2),
            rect("อุบลราชธานี", 104.0, 14.0, 105.6, 16.0),
        ];
        let svg = map_svg("แผนที่", &shapes, &[point(99.8, 6.9, "coded")], &[]);
        well_formed(&svg);
        let boxes = path_bbox(&svg, "class=\"province\"");
        assert_eq!(boxes.len(), 3);
        let cx = attrs(&svg, "class=\"site status-coded\"", "cx")[0];
        let cy = attrs(&svg, "class=\"site status-coded\"", "cy")[0];
        let inside = |b: &[f64; 4]| b[0] < cx && cx < b[2] && b[1] < cy && cy < b[3];
        assert!(inside(&boxes[1]), "({cx}, {cy}) outside {:?}", boxes[1]);
        assert!(!inside(&boxes[0]) && !inside(&boxes[2]));
        // North is up: Chiang Mai is above Satun.
        assert!(boxes[0][3] < boxes[1][1]);
    }

    #[test]
    fn x_is_scaled_by_the_cosine_of_the_mid_latitude() {
        for lat in [0.0f64, 13.0, 45.0, 60.0] {
            let svg = map_svg(
                "t",
                &[rect("a", 100.0, lat - 0.5, 101.0, lat + 0.5)],
                &[],
                &[],
            );
            let b = path_bbox(&svg, "class=\"province\"")[0];
            let ratio = (b[2] - b[0]) / (b[3] - b[1]);
            let want = lat.to_radians().cos();
            assert!((ratio - want).abs() < 0.01, "at {lat}°: {ratio} vs {want}");
        }
    }

    #[test]
    fn the_projection_is_fitted_to_the_shapes() {
        let svg = map_svg("t", &[rect("a", 97.3, 5.6, 105.6, 20.5)], &[], &[]);
        let b = path_bbox(&svg, "class=\"province\"")[0];
        // Thailand is taller than wide: the height fills the box.
        assert!((b[3] - b[1] - MAP_H).abs() < 0.2, "{b:?}");
        assert!((b[0] - PAD).abs() < 0.2 && (b[1] - TOP).abs() < 0.2);
    }

    #[test]
    fn statuses_differ_by_fill_and_by_a_second_cue() {
        let statuses = ["planned", "forum_held", "coded", "returned"];
        let points: Vec<MapPoint> = statuses
            .iter()
            .enumerate()
            .map(|(i, g)| point(100.0 + i as f64 * 0.1, 15.0, g))
            .collect();
        let legend: Vec<LegendEntry> = statuses
            .iter()
            .map(|g| LegendEntry {
                group: g.to_string(),
                label: format!("สถานะ {g}"),
            })
            .collect();
        let svg = map_svg("t", &[rect("a", 99.0, 14.0, 101.0, 16.0)], &points, &legend);
        well_formed(&svg);
        let mut fills = Vec::new();
        for g in statuses {
            let tag = svg
                .split(&format!("class=\"site status-{g}\""))
                .nth(1)
                .unwrap();
            fills.push(
                tag.split("fill=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap(),
            );
        }
        fills.sort();
        fills.dedup();
        assert_eq!(fills.len(), 4, "one fill per status");
        // The second cue: a dashed outline, a centre dot, an outer ring.
        assert!(svg.contains("stroke-dasharray=\"3 2\""));
        assert!(svg.contains("fill=\"#ffffff\" pointer-events=\"none\""));
        assert!(svg.contains("fill=\"none\" stroke=\"#0b2e1f\""));
        assert!(svg.contains("<g class=\"legend\">") && svg.contains(">สถานะ coded</text>"));
    }

    #[test]
    fn text_is_escaped_and_links_wrap_points() {
        let mut shape = rect(NASTY, 99.0, 14.0, 101.0, 16.0);
        shape.highlighted = true;
        let mut p = point(100.0, 15.0, "returned");
        p.label = NASTY.into();
        p.title = NASTY.into();
        p.href = Some("/sites/1?a=1&b=2".into());
        let legend = [LegendEntry {
            group: "returned".into(),
            label: NASTY.into(),
        }];
        let svg = map_svg(NASTY, &[shape], &[p], &legend);
        well_formed(&svg);
        assert!(svg.contains("data-name=\"ผู้นำ &lt;ชุมชน&gt; &amp; &quot;กองทุน&quot; &#39;หมู่ ๓&#39;\" data-highlighted=\"true\""));
        assert!(svg.contains("<a href=\"/sites/1?a=1&amp;b=2\"><g class=\"site-point\""));
        assert!(!svg.contains("<ชุมชน>"));
    }

    #[test]
    fn coordinates_are_rounded_to_a_tenth() {
        let ring: Vec<[f64; 2]> = (0..50)
            .map(|i| {
                let a = i as f64 / 50.0 * std::f64::consts::TAU;
                [100.0 + a.cos(), 15.0 + a.sin()]
            })
            .collect();
        let shape = MapShape {
            name: "วง".into(),
            rings: vec![ring],
            highlighted: false,
        };
        let svg = map_svg("t", &[shape], &[], &[]);
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        for n in d.split(['M', 'L', 'Z', ' ']).filter(|s| !s.is_empty()) {
            let decimals = n.split('.').nth(1).map_or(0, str::len);
            assert!(decimals <= 1, "{n}");
        }
    }

    #[test]
    fn empty_and_broken_inputs_give_a_valid_svg() {
        let svg = map_svg("ว่าง", &[], &[], &[]);
        well_formed(&svg);
        assert!(svg.contains(NO_DATA));
        // Points alone are mapped; non-finite ones are left out.
        let svg = map_svg(
            "จุด",
            &[],
            &[
                point(100.0, 15.0, "planned"),
                point(f64::NAN, 15.0, "coded"),
            ],
            &[],
        );
        well_formed(&svg);
        assert_eq!(svg.matches("class=\"site ").count(), 1);
        // A shape with no usable ring is skipped, not drawn as an empty path.
        let broken = MapShape {
            name: "x".into(),
            rings: vec![vec![[f64::NAN, 1.0]], vec![]],
            highlighted: true,
        };
        let svg = map_svg("t", &[broken, rect("a", 99.0, 14.0, 101.0, 16.0)], &[], &[]);
        well_formed(&svg);
        assert_eq!(svg.matches("class=\"province\"").count(), 1);
    }
}
