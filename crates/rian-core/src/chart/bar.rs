//! Horizontal bar charts: one bar per row ([`bar_chart`]) and bars grouped by category to
//! compare sites ([`grouped_bars`]). Horizontal, because the labels are Thai phrases (codes,
//! site names) that need a line of their own, not a slanted tick.

use super::{
    FONT_SIZE, Flow, INK, MUTED, NO_DATA, PALETTE, Px, RULE, SLACK, TOP, clean, colour_or, escape,
    fnv1a, link, note_only, number, open, text_width, truncate_to_width,
};
use std::fmt::Write;

/// One row of a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Where the row leads (a code's passages, a site).
    pub href: Option<String>,
    /// `#rrggbb`; the palette's first colour when absent or malformed.
    pub color: Option<String>,
}

/// One series of grouped bars (e.g. a site), with one value per category.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub color: String,
    /// One per category; missing ones count as 0, extra ones are ignored.
    pub values: Vec<f64>,
}

/// Narrowest the chart gets; wider when labels or values need it.
const MIN_WIDTH: f64 = 760.0;
const PAD: f64 = 12.0;
/// The label column never takes more than this; longer labels are cut.
const MAX_LABEL_W: f64 = 260.0;
/// The bars always get at least this much room.
const MIN_PLOT_W: f64 = 240.0;
/// 14 px text needs ≥ 21 px per row for Thai marks; 28 leaves air between bars.
const ROW: f64 = 28.0;
const BAR_H: f64 = 18.0;

/// The horizontal layout shared by both charts: labels | bars | values.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Frame {
    width: f64,
    label_w: f64,
    plot_x: f64,
    plot_w: f64,
}

/// Sizes the columns from the widest label and the widest value text, so the longest bar
/// plus its value always fits inside the viewBox.
fn frame(label_w: f64, value_w: f64) -> Frame {
    let label_w = label_w.clamp(48.0, MAX_LABEL_W);
    let value_w = value_w * SLACK;
    let plot_x = PAD + label_w * SLACK + 8.0;
    let width = MIN_WIDTH.max(plot_x + MIN_PLOT_W + value_w + PAD);
    Frame {
        width,
        label_w,
        plot_x,
        plot_w: width - plot_x - value_w - PAD,
    }
}

/// The value as shown beside its bar: "1,234 ครั้ง".
fn value_text(v: f64, unit: &str) -> String {
    if unit.is_empty() {
        number(clean(v))
    } else {
        format!("{} {unit}", number(clean(v)))
    }
}

/// Horizontal bars, one per row: the label left, the bar, then the value and `unit`
/// (e.g. "ครั้ง"). Bar lengths are proportional to the values; the longest fills the plot.
pub fn bar_chart(title: &str, unit: &str, bars: &[Bar]) -> String {
    if bars.is_empty() {
        return note_only("bar", title, NO_DATA);
    }
    // A long unit would squeeze every bar; it is repeated on every row, so cut it.
    let unit = truncate_to_width(unit.trim(), 120.0, FONT_SIZE);
    let values: Vec<String> = bars.iter().map(|b| value_text(b.value, &unit)).collect();
    let f = frame(
        bars.iter()
            .map(|b| text_width(&b.label, FONT_SIZE))
            .fold(0.0, f64::max),
        values
            .iter()
            .map(|v| text_width(v, FONT_SIZE))
            .fold(0.0, f64::max)
            + 8.0,
    );
    let most = bars.iter().map(|b| clean(b.value)).fold(0.0, f64::max);
    let height = TOP + bars.len() as f64 * ROW + PAD;
    let mut s = open("bar", title, f.width, height);
    let _ = write!(
        s,
        "<line class=\"axis\" x1=\"{x}\" y1=\"{y1}\" x2=\"{x}\" y2=\"{y2}\" stroke=\"{INK}\" stroke-width=\"1\"/>",
        x = Px(f.plot_x),
        y1 = Px(TOP),
        y2 = Px(TOP + bars.len() as f64 * ROW),
    );
    for (i, (b, shown)) in bars.iter().zip(&values).enumerate() {
        let top = TOP + i as f64 * ROW;
        let w = if most > 0.0 {
            clean(b.value) / most * f.plot_w
        } else {
            0.0
        };
        let baseline = top + ROW / 2.0 + 5.0;
        let row = format!(
            "<g class=\"row\"><text class=\"label\" x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
             <rect class=\"bar\" x=\"{bx}\" y=\"{by}\" width=\"{w}\" height=\"{bh}\" fill=\"{fill}\" \
             stroke=\"{INK}\" stroke-width=\"0.5\"><title>{full}: {shown}</title></rect>\
             <text class=\"value\" x=\"{vx}\" y=\"{ty}\">{shown}</text></g>",
            lx = Px(f.plot_x - 8.0),
            ty = Px(baseline),
            label = escape(&truncate_to_width(&b.label, f.label_w, FONT_SIZE)),
            bx = Px(f.plot_x),
            by = Px(top + (ROW - BAR_H) / 2.0),
            w = Px(w),
            bh = Px(BAR_H),
            fill = colour_or(b.color.as_deref(), PALETTE[0]),
            full = escape(&b.label),
            shown = escape(shown),
            vx = Px(f.plot_x + w + 6.0),
        );
        s += &link(b.href.as_deref(), &row);
    }
    s += "</svg>";
    s
}

/// Grouped bars are narrower than single ones; 12 px values need ≥ 18 px per bar.
const G_BAR_H: f64 = 15.0;
const G_PITCH: f64 = 19.0;
const G_GAP: f64 = 14.0;
const LEGEND_ROW: f64 = 24.0;
/// Hatch patterns, the second cue after colour: series 0 solid, then these in turn.
const HATCHES: usize = 6;

/// One pattern per hatch kind. White and black strokes side by side show on light and
/// dark fills alike, and in greyscale.
fn hatch_defs(id: &str) -> String {
    const LINES: [&str; HATCHES - 1] = [
        // diagonal /
        "<path d=\"M-1 1L1 -1M0 6L6 0M5 7L7 5\" stroke=\"#000\"/><path d=\"M-1 4L4 -1M2 7L7 2\" stroke=\"#fff\"/>",
        // horizontal
        "<path d=\"M0 1.5H6\" stroke=\"#fff\"/><path d=\"M0 4.5H6\" stroke=\"#000\"/>",
        // dots
        "<circle cx=\"1.5\" cy=\"1.5\" r=\"1.1\" fill=\"#fff\"/><circle cx=\"4.5\" cy=\"4.5\" r=\"1.1\" fill=\"#000\"/>",
        // diagonal \
        "<path d=\"M-1 5L1 7M0 0L6 6M5 -1L7 1\" stroke=\"#000\"/><path d=\"M-1 2L4 7M2 -1L7 4\" stroke=\"#fff\"/>",
        // vertical
        "<path d=\"M1.5 0V6\" stroke=\"#fff\"/><path d=\"M4.5 0V6\" stroke=\"#000\"/>",
    ];
    let mut s = String::from("<defs>");
    for (k, lines) in LINES.iter().enumerate() {
        let _ = write!(
            s,
            "<pattern id=\"{id}-h{n}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">\
             <g stroke-width=\"1.1\" stroke-opacity=\"0.7\" fill-opacity=\"0.7\">{lines}</g></pattern>",
            n = k + 1
        );
    }
    s += "</defs>";
    s
}

/// A rectangle `[x, y, width, height]` in series `i`'s colour, with its hatch on top
/// when the series has one.
fn series_rect(id: &str, i: usize, colour: &str, rect: [f64; 4], tip: &str) -> String {
    let [x, y, w, h] = rect.map(Px);
    let mut s = format!(
        "<rect class=\"bar series-{i}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"{colour}\" \
         stroke=\"{INK}\" stroke-width=\"0.5\">{tip}</rect>"
    );
    if !i.is_multiple_of(HATCHES) {
        // Over the bar but transparent to the pointer, so the bar's tooltip still shows.
        let _ = write!(
            s,
            "<rect class=\"hatch\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"url(#{id}-h{})\" pointer-events=\"none\"/>",
            i % HATCHES
        );
    }
    s
}

/// Grouped horizontal bars to compare sites: one group per category (e.g. a code), one bar
/// per series (e.g. a site) in the series' colour and hatch, with a legend above. All bars
/// share one scale, so lengths compare across groups and series.
pub fn grouped_bars(title: &str, categories: &[String], series: &[Series]) -> String {
    if categories.is_empty() || series.is_empty() {
        return note_only("grouped-bars", title, NO_DATA);
    }
    let value = |se: &Series, c: usize| clean(se.values.get(c).copied().unwrap_or(0.0));
    let most = series
        .iter()
        .flat_map(|se| (0..categories.len()).map(move |c| value(se, c)))
        .fold(0.0, f64::max);
    let value_w = series
        .iter()
        .flat_map(|se| (0..categories.len()).map(move |c| text_width(&number(value(se, c)), 12.0)))
        .fold(0.0, f64::max)
        + 8.0;
    let f = frame(
        categories
            .iter()
            .map(|c| text_width(c, FONT_SIZE))
            .fold(0.0, f64::max),
        value_w,
    );
    // Pattern ids are global in an HTML page: name them after the content, so two charts
    // on one page do not share ids unless they are the same chart.
    let id = format!(
        "rian-g{:012x}",
        fnv1a(
            std::iter::once(title)
                .chain(categories.iter().map(String::as_str))
                .chain(series.iter().map(|s| s.name.as_str()))
                .flat_map(|s| s.bytes().chain([0]))
        ) & 0xffff_ffff_ffff
    );
    let colours: Vec<String> = series
        .iter()
        .enumerate()
        .map(|(i, se)| colour_or(Some(&se.color), PALETTE[i % PALETTE.len()]))
        .collect();

    // The legend flows left to right and wraps.
    let mut legend = String::from("<g class=\"legend\">");
    let mut flow = Flow::new(PAD, f.width - PAD, TOP, LEGEND_ROW);
    for (i, se) in series.iter().enumerate() {
        let name = truncate_to_width(&se.name, 220.0, FONT_SIZE);
        let (x, y) = flow.place(20.0 + text_width(&name, FONT_SIZE) * SLACK + 18.0);
        legend += &series_rect(&id, i, &colours[i], [x, y, 14.0, 14.0], "");
        let _ = write!(
            legend,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            Px(x + 20.0),
            Px(y + 12.0),
            escape(&name)
        );
    }
    legend += "</g>";

    let groups_top = TOP + flow.height() + 8.0;
    let group_h = series.len() as f64 * G_PITCH + G_GAP;
    let height = groups_top + categories.len() as f64 * group_h + PAD;
    let mut s = open("grouped-bars", title, f.width, height);
    s += &hatch_defs(&id);
    s += &legend;
    for (c, category) in categories.iter().enumerate() {
        let top = groups_top + c as f64 * group_h;
        let _ = write!(
            s,
            "<g class=\"group\"><text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\"><title>{}</title>{}</text>",
            Px(f.plot_x - 8.0),
            Px(top + (group_h - G_GAP) / 2.0 + 5.0),
            escape(category),
            escape(&truncate_to_width(category, f.label_w, FONT_SIZE))
        );
        let _ = write!(
            s,
            "<line class=\"axis\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{INK}\"/>",
            Px(top),
            Px(top + group_h - G_GAP + 2.0),
            x = Px(f.plot_x),
        );
        for (i, se) in series.iter().enumerate() {
            let v = value(se, c);
            let w = if most > 0.0 { v / most * f.plot_w } else { 0.0 };
            let y = top + i as f64 * G_PITCH;
            let tip = format!(
                "<title>{} · {}: {}</title>",
                escape(&se.name),
                escape(category),
                number(v)
            );
            s += &series_rect(&id, i, &colours[i], [f.plot_x, y, w, G_BAR_H], &tip);
            let _ = write!(
                s,
                "<text class=\"value\" x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"{MUTED}\">{}</text>",
                Px(f.plot_x + w + 4.0),
                Px(y + 12.0),
                number(v)
            );
        }
        s += "</g>";
        if c + 1 < categories.len() {
            let y = top + group_h - G_GAP / 2.0;
            let _ = write!(
                s,
                "<line class=\"separator\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{RULE}\"/>",
                Px(PAD),
                Px(f.width - PAD),
                y = Px(y)
            );
        }
    }
    s += "</svg>";
    s
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{NASTY, attrs, texts, well_formed};
    use super::*;

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.into(),
            value,
            href: None,
            color: None,
        }
    }

    fn view_width(svg: &str) -> f64 {
        let vb = svg
            .split("viewBox=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        vb.split(' ').nth(2).unwrap().parse().unwrap()
    }

    #[test]
    fn bar_lengths_are_proportional_to_values() {
        let bars = [
            bar("กองทุนหมู่บ้าน", 200.0),
            bar("อสม.", 100.0),
            bar("โรงเรียน", 50.0),
            bar("ไม่ทราบ", f64::NAN),
            bar("ติดลบ", -7.0),
        ];
        let svg = bar_chart("ภาคี", "ครั้ง", &bars);
        well_formed(&svg);
        let w = attrs(&svg, "class=\"bar\"", "width");
        assert_eq!(w.len(), 5);
        for (got, want) in w.iter().zip([1.0, 0.5, 0.25, 0.0, 0.0]) {
            assert!((got - w[0] * want).abs() <= 0.1, "{w:?}");
        }
        // NaN and negatives are shown as 0, not "NaN".
        assert!(svg.contains(">0 ครั้ง<") && !svg.contains("NaN"));
    }

    #[test]
    fn the_longest_bar_and_its_value_fit_the_plot() {
        let long = "องค์การบริหารส่วนตำบลและเครือข่ายภาคประชาสังคมจังหวัดนครศรีธรรมราช".repeat(3);
        let bars = [bar(&long, 123_456_789.0), bar("ก", 1.0)];
        let unit = "ครั้งต่อปีงบประมาณของหน่วยงานที่รับผิดชอบ";
        let svg = bar_chart("t", unit, &bars);
        let width = view_width(&svg);
        let x = attrs(&svg, "class=\"bar\"", "x")[0];
        let w = attrs(&svg, "class=\"bar\"", "width")[0];
        let capped = frame(MAX_LABEL_W, 0.0).plot_x;
        assert!((x - capped).abs() < 0.1, "the label column is capped: {x}");
        // The longest bar ends inside the viewBox, and so does its value, as estimated.
        let text = &texts(&svg, "class=\"value\"")[0];
        let text = text.trim_end_matches("</text");
        assert!(text.starts_with("123,456,789 "), "{text}");
        assert!(x + w + 6.0 + text_width(text, FONT_SIZE) <= width + 0.1);
        // The long label was cut, and is whole in the bar's tooltip.
        let label = &texts(&svg, "class=\"label\"")[0];
        assert!(label.ends_with("…"), "{label}");
        assert!(svg.contains(&format!("<title>{long}: ")));
    }

    #[test]
    fn text_is_escaped_and_links_kept() {
        let b = Bar {
            label: NASTY.into(),
            value: 1234.0,
            href: Some("/codes?a=1&b=<2>".into()),
            color: Some("#zzz\"/>".into()),
        };
        let svg = bar_chart(NASTY, "<ครั้ง>", &[b]);
        well_formed(&svg);
        assert!(svg.contains("ผู้นำ &lt;ชุมชน&gt; &amp; &quot;กองทุน&quot; &#39;หมู่ ๓&#39;"));
        assert!(!svg.contains("<ชุมชน>"));
        assert!(svg.contains("<a href=\"/codes?a=1&amp;b=&lt;2&gt;\">"));
        assert!(svg.contains("1,234 &lt;ครั้ง&gt;"));
        // A malformed colour falls back to the palette instead of breaking the markup.
        assert!(svg.contains(&format!("fill=\"{}\"", PALETTE[0])));
    }

    #[test]
    fn rows_leave_room_for_thai_marks() {
        let svg = bar_chart("t", "", &[bar("ผู้ใหญ่", 1.0), bar("กี่", 2.0), bar("ญ", 3.0)]);
        let ys = attrs(&svg, "class=\"label\"", "y");
        assert_eq!(ys.len(), 3);
        assert!(ys.windows(2).all(|p| p[1] - p[0] >= 1.5 * FONT_SIZE));
    }

    #[test]
    fn empty_and_all_zero_charts_are_valid() {
        let svg = bar_chart("ว่าง", "ครั้ง", &[]);
        well_formed(&svg);
        assert!(svg.contains(NO_DATA));
        let svg = bar_chart("ศูนย์", "", &[bar("ก", 0.0), bar("ข", f64::INFINITY)]);
        well_formed(&svg);
        assert_eq!(attrs(&svg, "class=\"bar\"", "width"), [0.0, 0.0]);
        for svg in [
            grouped_bars("ว่าง", &[], &[]),
            grouped_bars("ว่าง", &["ก".into()], &[]),
        ] {
            well_formed(&svg);
            assert!(svg.contains(NO_DATA));
        }
    }

    fn series(name: &str, values: &[f64]) -> Series {
        Series {
            name: name.into(),
            color: "#1d6f8c".into(),
            values: values.to_vec(),
        }
    }

    #[test]
    fn grouped_bars_share_one_scale() {
        let cats: Vec<String> = ["ทุนชุมชน", "ผู้นำ", "เครือข่าย"].map(String::from).to_vec();
        // The second series has a missing value and a NaN: both are 0.
        let svg = grouped_bars(
            "เทียบพื้นที่",
            &cats,
            &[
                series("ต.นาทอน", &[40.0, 10.0, 20.0]),
                series("เขตธนบุรี", &[80.0, f64::NAN]),
            ],
        );
        well_formed(&svg);
        let w = attrs(&svg, "class=\"bar series-", "width");
        // Two legend swatches (14 wide), then category by category, series by series.
        assert_eq!(w.len(), 2 + 6);
        let bars = &w[2..];
        let full = bars[1];
        for (got, want) in bars.iter().zip([0.5, 1.0, 0.125, 0.0, 0.25, 0.0]) {
            assert!((got - full * want).abs() <= 0.1, "{bars:?}");
        }
        assert!(full <= view_width(&svg) - frame(0.0, 0.0).plot_x);
    }

    #[test]
    fn grouped_bars_have_a_legend_and_a_second_cue() {
        let cats = vec![NASTY.to_string()];
        let svg = grouped_bars(
            NASTY,
            &cats,
            &[
                series("ก", &[1.0]),
                series(NASTY, &[2.0]),
                series("ค", &[3.0]),
            ],
        );
        well_formed(&svg);
        assert!(svg.contains("<g class=\"legend\">"));
        assert!(svg.contains(">ผู้นำ &lt;ชุมชน&gt;"));
        // Series after the first are hatched, with patterns defined in this SVG.
        let fills: Vec<&str> = svg
            .split("fill=\"url(#")
            .skip(1)
            .map(|p| p.split(')').next().unwrap())
            .collect();
        assert_eq!(fills.len(), 2 * 2, "legend and bar, for series 1 and 2");
        for f in &fills {
            assert!(svg.contains(&format!("<pattern id=\"{f}\"")), "{f}");
        }
        assert_ne!(fills[0], fills[1]);
    }
}
