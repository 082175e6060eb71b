//! The timeline of forums: one lane per site, each forum a marker on a month axis
//! labelled in Thai with Buddhist-Era years.

use super::{
    FONT_SIZE, Flow, INK, MUTED, Px, RULE, SLACK, Shape, TOP, class_token, escape, forum_style,
    link, note_only, open, shape_el, text_width, thai_label, truncate_to_width,
};
use crate::model::{BE_OFFSET, ForumKind, ForumStatus, IsoDate, Lang, MONTHS_TH_SHORT};
use std::fmt::Write;

/// One forum on a lane.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    pub date: IsoDate,
    pub label: String,
    /// Forum kind key: lessons_learned, focus_group, data_return, planning, other.
    pub kind: String,
    /// A hollow marker when planned, filled when held.
    pub planned: bool,
    pub href: Option<String>,
}

/// One site's lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub label: String,
    pub href: Option<String>,
    pub events: Vec<TimelineEvent>,
}

/// What an empty timeline says.
const NO_FORUMS: &str = "ไม่มีเวที";
const WIDTH: f64 = 900.0;
const PAD: f64 = 12.0;
/// 14 px lane labels need ≥ 21 px for Thai marks; 30 also fits stacked markers.
const ROW: f64 = 30.0;
const R: f64 = 6.0;
const TICK_SIZE: f64 = 12.0;
const LEGEND_ROW: f64 = 24.0;

/// Months since year 0, so that months of different years compare and subtract.
fn month_index(d: IsoDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month()) - 1
}

fn days_in_month(d: IsoDate) -> u32 {
    (28..=31)
        .rev()
        .find(|&n| IsoDate::new(d.year(), d.month(), n).is_some())
        .unwrap_or(30)
}

/// A date in months, with the day as a fraction: forums in one month keep their order.
fn position(d: IsoDate) -> f64 {
    month_index(d) as f64 + f64::from(d.day() - 1) / f64::from(days_in_month(d))
}

/// "ม.ค. 2566" for a month index.
fn month_label(m: i64) -> String {
    format!(
        "{} {}",
        MONTHS_TH_SHORT[m.rem_euclid(12) as usize],
        m.div_euclid(12) + i64::from(BE_OFFSET)
    )
}

/// Months between ticks: the smallest of 1, 2, 3, 6 or 12 months (or whole years beyond)
/// that leaves room for every label, so ticks fall on quarters and half-years, and years
/// start on January.
fn tick_step(span: i64, plot_w: f64) -> i64 {
    let label_w = text_width("มี.ค. 2566", TICK_SIZE) * SLACK + 16.0;
    let fits = ((plot_w / label_w).floor() as i64).max(2);
    [1, 2, 3, 6, 12, 24, 60, 120, 600]
        .into_iter()
        .find(|&step| span / step < fits)
        .unwrap_or(1200)
}

/// One lane per site, in the order given; each forum a marker at its date, filled when
/// held and hollow when planned, coloured and shaped by kind (the shape reads in
/// greyscale). The x axis runs in months, from the first forum's month to the end of the
/// last one's, with ticks like "ม.ค. 2566". Lanes without forums are still drawn; a chart
/// without any forum says "ไม่มีเวที" in the middle.
pub fn timeline_svg(title: &str, lanes: &[Lane]) -> String {
    if lanes.is_empty() {
        return note_only("timeline", title, NO_FORUMS);
    }
    let label_w = lanes
        .iter()
        .map(|l| text_width(&l.label, FONT_SIZE))
        .fold(0.0, f64::max)
        .clamp(60.0, 220.0);
    let plot_x = PAD + label_w * SLACK + 16.0;
    // The last tick's label is centred on the plot's right end: keep half a label free.
    let plot_w = WIDTH - plot_x - PAD - text_width("มี.ค. 2566", TICK_SIZE) * SLACK / 2.0;
    let lanes_top = TOP;
    let lanes_bottom = lanes_top + lanes.len() as f64 * ROW;
    let axis_y = lanes_bottom + 4.0;

    let events = || lanes.iter().flat_map(|l| &l.events);
    let first = events().map(|e| month_index(e.date)).min();
    let last = events().map(|e| month_index(e.date)).max();

    // The legend: kinds present in the model's order, then filled/hollow if both occur.
    let mut kinds: Vec<&str> = ForumKind::ALL.iter().map(|k| k.as_str()).collect();
    for e in events() {
        if !kinds.contains(&e.kind.as_str()) {
            kinds.push(&e.kind);
        }
    }
    kinds.retain(|k| events().any(|e| e.kind == *k));
    let legend_top = axis_y + 34.0;
    let mut flow = Flow::new(PAD, WIDTH - PAD, legend_top, LEGEND_ROW);
    let mut legend = String::from("<g class=\"legend\">");
    let mut item = |legend: &mut String, marker: &dyn Fn(f64, f64) -> String, label: &str| {
        let label = truncate_to_width(label, 220.0, FONT_SIZE);
        let (x, y) = flow.place(26.0 + text_width(&label, FONT_SIZE) * SLACK + 20.0);
        *legend += &marker(x + 8.0, y + 8.0);
        let _ = write!(
            legend,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            Px(x + 22.0),
            Px(y + 13.0),
            escape(&label)
        );
    };
    for k in &kinds {
        let (colour, shape) = forum_style(k);
        let attrs = format!("fill=\"{colour}\" stroke=\"{colour}\" stroke-width=\"2\"");
        item(
            &mut legend,
            &|x, y| shape_el(shape, x, y, R, &attrs, ""),
            &thai_label::<ForumKind>(k),
        );
    }
    // Filled and hollow explained only when both occur.
    if events().any(|e| !e.planned) && events().any(|e| e.planned) {
        for (fill, status) in [(INK, ForumStatus::Held), ("#ffffff", ForumStatus::Planned)] {
            let attrs = format!("fill=\"{fill}\" stroke=\"{INK}\" stroke-width=\"2\"");
            item(
                &mut legend,
                &|x, y| shape_el(Shape::Circle, x, y, R, &attrs, ""),
                status.label(Lang::Th),
            );
        }
    }
    legend += "</g>";
    let legend_h = if kinds.is_empty() { 0.0 } else { flow.height() };
    let height = legend_top + legend_h + PAD;

    let mut s = open("timeline", title, WIDTH, height);
    let (Some(first), Some(last)) = (first, last) else {
        s += &lanes_markup(lanes, label_w, plot_x, |_| 0.0, false);
        let _ = write!(
            s,
            "<text class=\"note\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{MUTED}\" stroke=\"#ffffff\" \
             stroke-width=\"8\" paint-order=\"stroke\">{NO_FORUMS}</text></svg>",
            Px(plot_x + plot_w / 2.0),
            Px((lanes_top + lanes_bottom) / 2.0 + 5.0)
        );
        return s;
    };
    // From the start of the first month to the end of the last.
    let span = last + 1 - first;
    let x = |m: f64| plot_x + R + (m - first as f64) / span as f64 * (plot_w - R);

    // Ticks and grid lines; January lines are darker, so years stand out.
    let step = tick_step(span, plot_w);
    let mut ticks: Vec<i64> = (first..=last + 1)
        .filter(|m| m.rem_euclid(step) == 0)
        .collect();
    if ticks.is_empty() {
        ticks.push(first);
    }
    s += "<g class=\"axis\">";
    let _ = write!(
        s,
        "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{INK}\"/>",
        Px(plot_x),
        Px(plot_x + plot_w),
        y = Px(axis_y)
    );
    for &m in &ticks {
        let tx = Px(x(m as f64));
        let grid = if m.rem_euclid(12) == 0 {
            "#8a94a3"
        } else {
            RULE
        };
        let _ = write!(
            s,
            "<line x1=\"{tx}\" y1=\"{}\" x2=\"{tx}\" y2=\"{}\" stroke=\"{grid}\" stroke-width=\"0.8\"/>\
             <text x=\"{tx}\" y=\"{}\" font-size=\"{TICK_SIZE}\" text-anchor=\"middle\" fill=\"{MUTED}\">{}</text>",
            Px(lanes_top),
            Px(axis_y + 5.0),
            Px(axis_y + 20.0),
            month_label(m)
        );
    }
    s += "</g>";
    s += &lanes_markup(lanes, label_w, plot_x, |d| x(position(d)), true);
    s += &legend;
    s += "</svg>";
    s
}

/// The lanes: label, guide line and, when `with_events`, the forums placed by `x`.
fn lanes_markup(
    lanes: &[Lane],
    label_w: f64,
    plot_x: f64,
    x: impl Fn(IsoDate) -> f64,
    with_events: bool,
) -> String {
    let mut s = String::from("<g class=\"lanes\">");
    for (i, lane) in lanes.iter().enumerate() {
        let cy = TOP + i as f64 * ROW + ROW / 2.0;
        let label = format!(
            "<text class=\"lane-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\"><title>{}</title>{}</text>",
            Px(plot_x - 10.0),
            Px(cy + 5.0),
            escape(&lane.label),
            escape(&truncate_to_width(&lane.label, label_w, FONT_SIZE))
        );
        let _ = write!(
            s,
            "<g class=\"lane\">{}<line x1=\"{}\" y1=\"{cy}\" x2=\"{}\" y2=\"{cy}\" stroke=\"{RULE}\" stroke-dasharray=\"2 3\"/>",
            link(lane.href.as_deref(), &label),
            Px(plot_x),
            Px(WIDTH - PAD),
            cy = Px(cy)
        );
        if with_events {
            let mut events: Vec<&TimelineEvent> = lane.events.iter().collect();
            events.sort_by_key(|e| e.date);
            // Forums within a marker's width of each other are stacked a little up and
            // down, so that none hides another.
            let mut prev = f64::MIN;
            let mut stack = 0usize;
            for e in events {
                let ex = x(e.date);
                stack = if ex - prev < 2.0 * R { stack + 1 } else { 0 };
                prev = ex;
                let ey = cy + [0.0, -7.0, 7.0][stack % 3];
                let (colour, shape) = forum_style(&e.kind);
                let fill = if e.planned { "#ffffff" } else { colour };
                let tip = format!(
                    "<title>{} · {}{}</title>",
                    escape(&e.label),
                    e.date.display(Lang::Th),
                    if e.planned {
                        format!(" ({})", ForumStatus::Planned.label(Lang::Th))
                    } else {
                        String::new()
                    }
                );
                let marker = shape_el(
                    shape,
                    ex,
                    ey,
                    R,
                    &format!(
                        "class=\"forum kind-{} {}\" data-date=\"{}\" fill=\"{fill}\" stroke=\"{colour}\" stroke-width=\"2\"",
                        class_token(&e.kind),
                        if e.planned { "planned" } else { "held" },
                        e.date
                    ),
                    &tip,
                );
                s += &link(e.href.as_deref(), &marker);
            }
        }
        s += "</g>";
    }
    s += "</g>";
    s
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{NASTY, attrs, well_formed};
    use super::*;

    fn event(date: &str, kind: &str, planned: bool) -> TimelineEvent {
        TimelineEvent {
            date: date.parse().unwrap(),
            label: "เวทีถอดบทเรียน".into(),
            kind: kind.into(),
            planned,
            href: None,
        }
    }

    fn lane(label: &str, events: Vec<TimelineEvent>) -> Lane {
        Lane {
            label: label.into(),
            href: None,
            events,
        }
    }

    #[test]
    fn later_dates_are_further_right() {
        // Given out of order, across a year end, two in one month.
        let dates = [
            "2024-01-15",
            "2023-03-31",
            "2023-12-02",
            "2023-03-01",
            "2024-06-30",
        ];
        let svg = timeline_svg(
            "เวที",
            &[lane(
                "ต.นาทอน",
                dates
                    .iter()
                    .map(|d| event(d, "lessons_learned", false))
                    .collect(),
            )],
        );
        well_formed(&svg);
        let xs = attrs(&svg, "class=\"forum ", "cx");
        let ds: Vec<String> = svg
            .split("data-date=\"")
            .skip(1)
            .map(|p| p[..10].to_string())
            .collect();
        assert_eq!(xs.len(), 5);
        let mut pairs: Vec<(String, f64)> = ds.into_iter().zip(xs).collect();
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        assert!(pairs.windows(2).all(|p| p[0].1 < p[1].1), "{pairs:?}");
    }

    #[test]
    fn ticks_are_thai_months_with_buddhist_era_years() {
        let svg = timeline_svg(
            "t",
            &[lane(
                "ก",
                vec![
                    event("2023-01-10", "focus_group", false),
                    event("2023-05-20", "planning", true),
                ],
            )],
        );
        assert!(svg.contains(">ม.ค. 2566</text>"), "{svg}");
        assert!(svg.contains(">พ.ค. 2566</text>"));
        assert!(!svg.contains(">2023"), "no Gregorian years shown");
        // Over six years, ticks thin out to whole years, on January.
        let svg = timeline_svg(
            "t",
            &[lane(
                "ก",
                vec![
                    event("2019-03-10", "other", false),
                    event("2025-05-20", "other", false),
                ],
            )],
        );
        let labels: Vec<&str> = svg
            .split("text-anchor=\"middle\" fill=\"#4a5561\">")
            .skip(1)
            .map(|p| p.split('<').next().unwrap())
            .collect();
        assert!(
            labels.contains(&"ม.ค. 2563") && labels.contains(&"ม.ค. 2568"),
            "{labels:?}"
        );
        assert!(labels.iter().all(|l| l.starts_with("ม.ค.")), "{labels:?}");
    }

    #[test]
    fn planned_forums_are_hollow_and_kinds_have_shapes() {
        let svg = timeline_svg(
            "t",
            &[lane(
                "ก",
                vec![
                    event("2023-01-10", "focus_group", false),
                    event("2023-02-10", "focus_group", true),
                ],
            )],
        );
        well_formed(&svg);
        let held = svg
            .split("class=\"forum kind-focus_group held\"")
            .nth(1)
            .unwrap();
        let planned = svg
            .split("class=\"forum kind-focus_group planned\"")
            .nth(1)
            .unwrap();
        assert!(planned.contains("fill=\"#ffffff\""));
        assert!(!held.split('>').next().unwrap().contains("fill=\"#ffffff\""));
        // A focus group is a square, in the marker and in the legend, named in Thai.
        assert!(svg.contains("<rect x=") && svg.contains(">สนทนากลุ่ม</text>"));
        assert!(svg.contains(">กำหนดการ</text>") && svg.contains(">จัดแล้ว</text>"));
    }

    #[test]
    fn lanes_without_forums_are_drawn() {
        let svg = timeline_svg(
            "t",
            &[
                lane("มีเวที", vec![event("2023-01-10", "other", false)]),
                lane("ยังไม่มี", vec![]),
            ],
        );
        well_formed(&svg);
        assert_eq!(svg.matches("<g class=\"lane\">").count(), 2);
        assert!(svg.contains(">ยังไม่มี</text>"));
        let ys = attrs(&svg, "class=\"lane-label\"", "y");
        assert!(ys[1] - ys[0] >= 1.5 * FONT_SIZE);
    }

    #[test]
    fn an_empty_timeline_says_no_forums() {
        for svg in [
            timeline_svg("ว่าง", &[]),
            timeline_svg("ว่าง", &[lane("ก", vec![]), lane("ข", vec![])]),
        ] {
            well_formed(&svg);
            assert!(svg.contains(">ไม่มีเวที</text>"), "{svg}");
        }
    }

    #[test]
    fn text_is_escaped() {
        let mut e = event("2023-03-31", NASTY, true);
        e.label = NASTY.into();
        e.href = Some("/forums/1?a=1&b=2".into());
        let l = Lane {
            label: NASTY.into(),
            href: Some("/sites/1?x=<y>".into()),
            events: vec![e],
        };
        let svg = timeline_svg(NASTY, &[l]);
        well_formed(&svg);
        assert!(svg.contains("<title>ผู้นำ &lt;ชุมชน&gt; &amp; &quot;กองทุน&quot; &#39;หมู่ ๓&#39; · 31 มีนาคม 2566 (กำหนดการ)</title>"));
        assert!(svg.contains("<a href=\"/sites/1?x=&lt;y&gt;\">"));
        assert!(!svg.contains("<ชุมชน>"));
    }
}
