//! SVG charts for the analyses: bars and grouped bars ([`bar_chart`], [`grouped_bars`]),
//! the actor–site network ([`layout`], [`network_svg`]), the map of sites ([`map_svg`]) and
//! the timeline of forums ([`timeline_svg`]).
//!
//! Every function is pure: plain data in, one `<svg>` element out, as a `String`. The
//! element scales to its container (a `viewBox` and `width="100%"`, no fixed height), names
//! itself for screen readers (`role="img"`, `aria-label`, `<title>`), and asks for the Thai
//! typeface the pages embed (Sarabun, then Noto Sans Thai). The same string goes inline into
//! the web workbench and, later, into the printed report, so:
//!
//! - text is black on white and every colour is paired with a second cue (shape, dash,
//!   hatching or a lightness step) so a chart still reads when printed in greyscale;
//! - rows of Thai text are at least 1.5× the font size apart, since Thai stacks vowels and
//!   tone marks above and below the letter;
//! - every text is XML-escaped ([`escape`]), numbers carry thousands separators
//!   ([`number`]), and long labels are cut with "…" where a letter and its marks stay
//!   together ([`truncate_to_width`]);
//! - no input makes a chart panic: empty data gives a valid SVG with a short Thai note,
//!   and NaN or negative values count as 0.

mod bar;
mod map;
mod network;
mod timeline;

pub use bar::{Bar, Series, bar_chart, grouped_bars};
pub use map::{LegendEntry, MapPoint, MapShape, map_svg};
pub use network::{NetEdge, NetNode, NodeKind, layout, network_svg};
pub use timeline::{Lane, TimelineEvent, timeline_svg};

use std::fmt;

/// The pages embed Sarabun; Noto Sans Thai is the usual system fallback.
pub(crate) const FONT: &str = "Sarabun, 'Noto Sans Thai', sans-serif";
/// Body text size in px (viewBox units).
pub(crate) const FONT_SIZE: f64 = 14.0;
/// Text colour: near-black, prints as black.
pub(crate) const INK: &str = "#1a1a1a";
/// Secondary text (notes, axis labels): still ≥ 4.5:1 on white.
pub(crate) const MUTED: &str = "#4a5561";
/// Grid lines and province borders: light, so that data stays in front.
pub(crate) const RULE: &str = "#c9ced6";
/// Layout reserves this much more room than [`text_width`] estimates: a reader without
/// Sarabun gets Noto Sans Thai or another fallback, which sets Thai 10–15 % wider.
pub(crate) const SLACK: f64 = 1.15;
/// What an empty chart says.
pub(crate) const NO_DATA: &str = "ไม่มีข้อมูล";

/// Escapes text for XML content and attribute values. Characters that XML 1.0 does not
/// allow at all (most C0 controls, U+FFFE, U+FFFF) are dropped, since no escape exists for
/// them and a stray one would make the whole SVG unreadable to an XML parser.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Characters that take no horizontal space of their own: Thai vowels and tone marks above
/// and below the letter, other combining marks, and zero-width joiners and spaces (Thai text
/// often carries U+200B between words).
pub fn is_zero_width(c: char) -> bool {
    matches!(c,
        '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}'
        | '\u{0300}'..='\u{036F}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}')
}

/// Width of one character that takes space, in em (see [`text_width`]).
const EM_PER_CHAR: f64 = 0.55;

/// Estimated width in px of a text at a font size. There are no font metrics at hand, so
/// every character that takes space counts ~0.55 em: close for Thai and digits in Sarabun,
/// a little generous for Latin lower case, which is the safe side for layout.
pub fn text_width(s: &str, font_size: f64) -> f64 {
    s.chars().filter(|c| !is_zero_width(*c)).count() as f64 * EM_PER_CHAR * font_size
}

/// Thai vowels written before the consonant they are read after (เ แ โ ใ ไ): a label should
/// not end on one, it would read as a stray letter before the "…".
fn is_leading_vowel(c: char) -> bool {
    matches!(c, '\u{0E40}'..='\u{0E44}')
}

/// Cuts a text to fit `max_px` at `font_size`, ending with "…" when anything was cut. It
/// cuts between clusters (a base character with the marks that follow it), so a Thai
/// letter never loses its vowel or tone mark.
pub fn truncate_to_width(s: &str, max_px: f64, font_size: f64) -> String {
    if text_width(s, font_size) <= max_px {
        return s.to_string();
    }
    let ellipsis = text_width("…", font_size);
    let mut kept = 0usize; // byte length of what fits
    let mut used = 0.0;
    for (i, c) in s.char_indices() {
        if is_zero_width(c) {
            continue; // it stays with the cluster before it, whose end we move past below
        }
        let w = EM_PER_CHAR * font_size;
        if used + w + ellipsis > max_px {
            break;
        }
        used += w;
        // The cluster ends where the next spacing character starts.
        kept = s[i..]
            .char_indices()
            .skip(1)
            .find(|(_, n)| !is_zero_width(*n))
            .map_or(s.len(), |(j, _)| i + j);
    }
    let mut head = s[..kept].trim_end();
    while let Some(last) = head.chars().last() {
        if !is_leading_vowel(last) {
            break;
        }
        head = head[..head.len() - last.len_utf8()].trim_end();
    }
    format!("{head}…")
}

/// Formats a number as people read it in a report: Arabic digits, thousands separators,
/// one decimal only when there is a fraction (1234 → "1,234", 2.5 → "2.5"). Non-finite
/// numbers read as 0.
pub fn number(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    // Round once, to tenths, so 1,234.96 becomes 1,235 and not "1,234.10".
    let tenths = (v.abs() * 10.0).round();
    let whole = (tenths / 10.0).trunc() as u64;
    let frac = (tenths % 10.0) as u64;
    let digits = whole.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 3);
    if v < 0.0 && tenths > 0.0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    if frac > 0 {
        out.push('.');
        out.push(char::from(b'0' + frac as u8));
    }
    out
}

/// A value as charts count it: NaN, infinities and negatives are 0.
pub(crate) fn clean(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 { v } else { 0.0 }
}

/// A coordinate written to 0.1 px, without a trailing ".0" or a "-0": maps have thousands
/// of them, and the rounding is finer than any screen or printer shows.
#[derive(Clone, Copy)]
pub(crate) struct Px(pub f64);

impl fmt::Display for Px {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = if self.0.is_finite() { self.0 } else { 0.0 };
        let tenths = (v * 10.0).round() as i64;
        if tenths == 0 {
            return f.write_str("0");
        }
        let sign = if tenths < 0 { "-" } else { "" };
        let (w, t) = (tenths.abs() / 10, tenths.abs() % 10);
        if t == 0 {
            write!(f, "{sign}{w}")
        } else {
            write!(f, "{sign}{w}.{t}")
        }
    }
}

/// A colour as the caller gave it if it is `#rgb` or `#rrggbb`, else the fallback: the
/// value goes into an attribute, and a typo should give a sensible colour, not none.
pub(crate) fn colour_or(given: Option<&str>, fallback: &'static str) -> String {
    match given.map(str::trim) {
        Some(c)
            if (c.len() == 7 || c.len() == 4)
                && c.starts_with('#')
                && c[1..].bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            c.to_ascii_lowercase()
        }
        _ => fallback.to_string(),
    }
}

/// Categorical colours for series and bars, in an order whose lightness alternates (dark,
/// light, mid, …) so that neighbours differ in greyscale too. Grouped bars add hatching.
pub const PALETTE: [&str; 8] = [
    "#1f4e79", // dark blue
    "#e69f00", // amber
    "#2e8b57", // green
    "#9ecae1", // light blue
    "#7b3fa0", // purple
    "#f4a582", // salmon
    "#8c510a", // brown
    "#bababa", // grey
];

/// How a site status is drawn, as a marker on the map and a square in the network. The
/// statuses are an ordered progress, so the fill steps from white to dark; the marker
/// detail (dashed outline, centre dot, outer ring) is the second cue for greyscale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StatusStyle {
    pub fill: &'static str,
    pub stroke: &'static str,
    pub dash: Option<&'static str>,
    pub centre_dot: bool,
    pub outer_ring: bool,
}

pub(crate) fn status_style(key: &str) -> StatusStyle {
    let base = StatusStyle {
        fill: "#9aa5b1",
        stroke: "#333d47",
        dash: None,
        centre_dot: false,
        outer_ring: false,
    };
    match key {
        "planned" => StatusStyle {
            fill: "#ffffff",
            stroke: "#4a5561",
            dash: Some("3 2"),
            ..base
        },
        "forum_held" => StatusStyle {
            fill: "#f2b950",
            stroke: "#6b4200",
            ..base
        },
        "coded" => StatusStyle {
            fill: "#4f95d6",
            stroke: "#123a63",
            centre_dot: true,
            ..base
        },
        "returned" => StatusStyle {
            fill: "#16543a",
            stroke: "#0b2e1f",
            outer_ring: true,
            ..base
        },
        _ => base,
    }
}

/// Fill of an actor by kind. Actors are told apart by their labels; the colour groups them.
pub(crate) fn actor_colour(key: &str) -> &'static str {
    match key {
        "agency" => "#1f4e79",
        "academic" => "#7b3fa0",
        "ngo" => "#c0392b",
        "media" => "#e08a00",
        "international" => "#2e86c1",
        "fund" => "#2e8b57",
        "community_organization" => "#8d6e63",
        "person" => "#6b7785",
        _ => "#95a5a6",
    }
}

/// Thai label for a key of one of the model's closed sets, or the key itself.
pub(crate) fn thai_label<T>(key: &str) -> String
where
    T: std::str::FromStr + Copy,
    T: ThaiLabel,
{
    key.parse::<T>()
        .map_or_else(|_| key.to_string(), |v| v.thai().to_string())
}

/// The model's labelled enums, as far as the charts need them.
pub(crate) trait ThaiLabel {
    fn thai(self) -> &'static str;
}

macro_rules! thai_label {
    ($($t:ident),*) => {$(
        impl ThaiLabel for crate::model::$t {
            fn thai(self) -> &'static str {
                self.label(crate::model::Lang::Th)
            }
        }
    )*};
}
thai_label!(ActorKind, SiteStatus, ForumKind, TieKind);

/// A key as a CSS class suffix: keys are ASCII snake_case, but one with a space or a
/// quote would otherwise become two classes or break the attribute.
pub(crate) fn class_token(key: &str) -> String {
    let t: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if t.is_empty() { "none".into() } else { t }
}

/// How a tie kind is drawn: colour, width and dash, so kinds differ in greyscale too.
pub(crate) fn tie_style(key: &str) -> (&'static str, f64, Option<&'static str>) {
    match key {
        "support" => ("#5f6b7a", 1.2, None),
        "funding" => ("#2e8b57", 2.0, None),
        "study_visit" => ("#7b3fa0", 1.4, Some("6 3")),
        "media" => ("#c46a00", 1.4, Some("2 3")),
        "academic" => ("#2e6fa8", 1.4, Some("8 3 2 3")),
        "collaboration" => ("#1f4e79", 1.4, Some("4 4")),
        _ => ("#8a94a3", 1.0, None),
    }
}

/// Marker shapes: the second cue after colour for categories (forum kinds, node kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Circle,
    Square,
    Diamond,
    Triangle,
    TriangleDown,
}

/// How a forum kind is drawn on the timeline: colour and shape.
pub(crate) fn forum_style(key: &str) -> (&'static str, Shape) {
    match key {
        "lessons_learned" => ("#1f4e79", Shape::Circle),
        "focus_group" => ("#c46a00", Shape::Square),
        "data_return" => ("#2e8b57", Shape::Diamond),
        "planning" => ("#7b3fa0", Shape::Triangle),
        _ => ("#4a5561", Shape::TriangleDown),
    }
}

/// A marker of about the area of a circle of radius `r`, centred on (`cx`, `cy`), with
/// extra attributes and optional content (a `<title>`).
pub(crate) fn shape_el(shape: Shape, cx: f64, cy: f64, r: f64, attrs: &str, inner: &str) -> String {
    let el = match shape {
        Shape::Circle => format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {attrs}",
            Px(cx),
            Px(cy),
            Px(r)
        ),
        Shape::Square => {
            let h = r * 0.886; // half side of a square with the circle's area
            format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {attrs}",
                Px(cx - h),
                Px(cy - h),
                Px(2.0 * h),
                Px(2.0 * h)
            )
        }
        Shape::Diamond => {
            let h = r * 1.25;
            format!(
                "<path d=\"M{} {}L{} {}L{} {}L{} {}Z\" {attrs}",
                Px(cx),
                Px(cy - h),
                Px(cx + h),
                Px(cy),
                Px(cx),
                Px(cy + h),
                Px(cx - h),
                Px(cy)
            )
        }
        Shape::Triangle | Shape::TriangleDown => {
            let (h, s) = (r * 1.35, if shape == Shape::Triangle { 1.0 } else { -1.0 });
            format!(
                "<path d=\"M{} {}L{} {}L{} {}Z\" {attrs}",
                Px(cx),
                Px(cy - s * h),
                Px(cx + h * 0.866),
                Px(cy + s * h * 0.5),
                Px(cx - h * 0.866),
                Px(cy + s * h * 0.5)
            )
        }
    };
    let tag = match shape {
        Shape::Circle => "circle",
        Shape::Square => "rect",
        _ => "path",
    };
    if inner.is_empty() {
        el + "/>"
    } else {
        format!("{el}>{inner}</{tag}>")
    }
}

/// A site-status marker: the shape in the status's fill, stroke and dash, plus its detail
/// (centre dot, outer ring). `class` and `inner` go on the main shape.
pub(crate) fn status_marker(
    shape: Shape,
    key: &str,
    cx: f64,
    cy: f64,
    r: f64,
    class: &str,
    inner: &str,
) -> String {
    let st = status_style(key);
    let dash = st
        .dash
        .map_or(String::new(), |d| format!(" stroke-dasharray=\"{d}\""));
    let mut s = String::new();
    if st.outer_ring {
        s += &shape_el(
            shape,
            cx,
            cy,
            r + 3.0,
            &format!(
                "fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\"",
                st.stroke
            ),
            "",
        );
    }
    s += &shape_el(
        shape,
        cx,
        cy,
        r,
        &format!(
            "class=\"{class}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"{dash}",
            st.fill, st.stroke
        ),
        inner,
    );
    if st.centre_dot {
        s += &shape_el(
            Shape::Circle,
            cx,
            cy,
            (r * 0.35).max(1.5),
            "fill=\"#ffffff\" pointer-events=\"none\"",
            "",
        );
    }
    s
}

/// Lays legend items (or any inline items) left to right, wrapping at `right`.
pub(crate) struct Flow {
    left: f64,
    right: f64,
    top: f64,
    row: f64,
    x: f64,
    line: usize,
}

impl Flow {
    pub fn new(left: f64, right: f64, top: f64, row: f64) -> Flow {
        Flow {
            left,
            right,
            top,
            row,
            x: left,
            line: 0,
        }
    }

    /// Where an item `w` wide goes: the left of it and the top of its line.
    pub fn place(&mut self, w: f64) -> (f64, f64) {
        if self.x > self.left && self.x + w > self.right {
            self.x = self.left;
            self.line += 1;
        }
        let at = (self.x, self.top + self.line as f64 * self.row);
        self.x += w;
        at
    }

    /// The height the lines placed so far take.
    pub fn height(&self) -> f64 {
        (self.line + 1) as f64 * self.row
    }
}

/// Opens an `<svg>` of `width`×`height` user units with its accessible name, a white
/// background (so it prints the same on any page colour) and the visible title.
pub(crate) fn open(kind: &str, title: &str, width: f64, height: f64) -> String {
    let t = escape(title);
    let shown = escape(&truncate_to_width(title, (width - 24.0) / SLACK, 16.0));
    let (w, h) = (Px(width.ceil()), Px(height.ceil()));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-{kind}\" viewBox=\"0 0 {w} {h}\" \
         width=\"100%\" role=\"img\" aria-label=\"{t}\" font-family=\"{FONT}\" font-size=\"{fs}\" \
         fill=\"{INK}\"><title>{t}</title><rect class=\"background\" width=\"{w}\" height=\"{h}\" \
         fill=\"#ffffff\"/><text class=\"chart-title\" x=\"12\" y=\"26\" font-size=\"16\" \
         font-weight=\"bold\">{shown}</text>",
        fs = Px(FONT_SIZE),
    )
}

/// Where the first row may start below the title: 16 px title on a 26 px baseline, plus
/// room for the marks below Thai letters.
pub(crate) const TOP: f64 = 44.0;

/// A valid SVG that says `note` in the middle: for empty data.
pub(crate) fn note_only(kind: &str, title: &str, note: &str) -> String {
    let mut s = open(kind, title, 600.0, 100.0);
    s += &format!(
        "<text class=\"note\" x=\"300\" y=\"72\" text-anchor=\"middle\" fill=\"{MUTED}\">{}</text></svg>",
        escape(note)
    );
    s
}

/// `inner` inside a link when there is one.
pub(crate) fn link(href: Option<&str>, inner: &str) -> String {
    match href {
        Some(h) if !h.trim().is_empty() => format!("<a href=\"{}\">{inner}</a>", escape(h.trim())),
        _ => inner.to_string(),
    }
}

/// A small stable hash (FNV-1a, 64 bit): seeds the layout and names pattern ids, so the
/// same input always gives the same picture and the same markup.
pub(crate) fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
pub(crate) mod test_util {
    use quick_xml::XmlVersion;
    use quick_xml::events::{BytesStart, Event};

    /// Reads every event of the document with quick-xml and fails on anything an XML
    /// parser would refuse: a reader error, a malformed or duplicate attribute, an entity
    /// that is not one of XML's five or a character reference, a lone `&`, an unclosed
    /// element, or more than one root.
    pub fn well_formed(svg: &str) {
        fn check_attributes(e: &BytesStart, svg: &str) {
            for a in e.attributes().with_checks(true) {
                let a = a.unwrap_or_else(|err| panic!("bad attribute {err}: {svg}"));
                a.normalized_value(XmlVersion::Implicit1_0)
                    .unwrap_or_else(|err| panic!("bad attribute value {err}: {svg}"));
                assert!(!a.value.contains('<'), "raw < in an attribute: {svg}");
            }
        }
        let mut r = quick_xml::Reader::from_str(svg);
        let (mut depth, mut roots) = (0i64, 0);
        loop {
            match r.read_event() {
                Ok(Event::Eof) => break,
                Ok(Event::Start(e)) => {
                    if depth == 0 {
                        roots += 1;
                        assert_eq!(e.name().as_ref(), "svg", "root element");
                    }
                    check_attributes(&e, svg);
                    depth += 1;
                }
                Ok(Event::Empty(e)) => {
                    assert!(depth > 0, "element outside <svg>: {svg}");
                    check_attributes(&e, svg);
                }
                Ok(Event::End(_)) => depth -= 1,
                Ok(Event::Text(t)) => {
                    assert!(!t.contains('&'), "lone & in text: {svg}");
                    assert!(depth > 0 || t.trim().is_empty(), "text outside <svg>");
                }
                Ok(Event::GeneralRef(g)) => {
                    let known = matches!(&*g, "amp" | "lt" | "gt" | "quot" | "apos");
                    let ok = known || g.resolve_char_ref().is_ok_and(|c| c.is_some());
                    assert!(ok, "unknown entity &{}; in {svg}", &*g);
                }
                Ok(_) => {}
                Err(e) => panic!("not well-formed at {}: {e}\n{svg}", r.buffer_position()),
            }
        }
        assert_eq!(depth, 0, "every element closed: {svg}");
        assert_eq!(roots, 1, "one <svg> element: {svg}");
    }

    /// The values of `attr` on every element whose start tag contains `marker`, in order.
    pub fn attrs(svg: &str, marker: &str, attr: &str) -> Vec<f64> {
        svg.split('<')
            .filter(|tag| tag.contains(marker))
            .filter_map(|tag| {
                let rest = tag.split(&format!(" {attr}=\"")).nth(1)?;
                rest.split('"').next()?.parse().ok()
            })
            .collect()
    }

    /// The text right after the start tag of every element containing `marker`.
    pub fn texts(svg: &str, marker: &str) -> Vec<String> {
        svg.split('<')
            .filter(|tag| tag.contains(marker))
            .filter_map(|tag| Some(tag.split_once('>')?.1.to_string()))
            .collect()
    }

    /// A label full of what must be escaped, in Thai.
    pub const NASTY: &str = "ผู้นำ <ชุมชน> & \"กองทุน\" 'หมู่ ๓'";

    #[test]
    fn the_checker_refuses_what_a_parser_refuses() {
        for bad in [
            "<svg><text>a & b</text></svg>",
            "<svg><text>&nbsp;</text></svg>",
            "<svg><text>a <b> c</text></svg>",
            "<svg><rect x=\"1\" x=\"2\"/></svg>",
            "<svg><rect title=\"a \"b\" c\"/></svg>",
            "<svg><rect title=\"a<b\"/></svg>",
            "<svg></svg><svg></svg>",
        ] {
            assert!(
                std::panic::catch_unwind(|| well_formed(bad)).is_err(),
                "{bad} passed"
            );
        }
        well_formed("<svg><text>a &amp; &#39;b&#39; &lt;c&gt;</text></svg>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_the_five_characters_and_drops_controls() {
        assert_eq!(
            escape("a<b>&\"c\"'d'\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;"
        );
        assert_eq!(escape("ผู้ใหญ่บ้าน"), "ผู้ใหญ่บ้าน");
    }

    #[test]
    fn thai_marks_take_no_width() {
        // ผู้ใหญ่: ผ ู ้ ใ ห ญ ่ → 4 letters that take space.
        assert_eq!(text_width("ผู้ใหญ่", 10.0), 4.0 * 5.5);
        assert_eq!(text_width("abc", 10.0), text_width("กขค", 10.0));
    }

    #[test]
    fn truncation_keeps_a_letter_with_its_marks() {
        let s = "ผู้สูงอายุที่ได้รับการดูแล";
        // Room for three letters and the ellipsis.
        let cut = truncate_to_width(s, 4.0 * 0.55 * 10.0, 10.0);
        assert_eq!(cut, "ผู้สูง…");
        // Every prefix cut keeps whole clusters: the char before "…" is never followed,
        // in the original, by a mark that was dropped.
        for max in 1..40 {
            let cut = truncate_to_width(s, max as f64 * 5.5, 10.0);
            let head = cut.trim_end_matches('…');
            assert!(s.starts_with(head));
            let next = s[head.len()..].chars().next();
            assert!(
                next.is_none_or(|c| !is_zero_width(c)),
                "{cut:?} split a cluster"
            );
            assert!(text_width(&cut, 10.0) <= max as f64 * 5.5 + 1e-9);
        }
        // Short texts are left alone; a cut never ends on a leading vowel.
        assert_eq!(truncate_to_width("ตำบล", 100.0, 10.0), "ตำบล");
        assert_eq!(truncate_to_width("ก เมือง", 4.0 * 5.5, 10.0), "ก…");
    }

    #[test]
    fn numbers_have_thousands_separators() {
        assert_eq!(number(0.0), "0");
        assert_eq!(number(999.0), "999");
        assert_eq!(number(1234.0), "1,234");
        assert_eq!(number(1234567.0), "1,234,567");
        assert_eq!(number(1234.96), "1,235");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(-1500.0), "-1,500");
        assert_eq!(number(f64::NAN), "0");
    }

    #[test]
    fn coordinates_are_short() {
        assert_eq!(Px(12.0).to_string(), "12");
        assert_eq!(Px(12.34).to_string(), "12.3");
        assert_eq!(Px(-0.04).to_string(), "0");
        assert_eq!(Px(-3.25).to_string(), "-3.3");
        assert_eq!(Px(f64::NAN).to_string(), "0");
    }

    /// Relative luminance (sRGB, 0–1) of `#rrggbb`: what a greyscale print keeps.
    fn luminance(hex: &str) -> f64 {
        let c = |i: usize| {
            let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * c(1) + 0.7152 * c(3) + 0.0722 * c(5)
    }

    #[test]
    fn site_statuses_read_in_greyscale() {
        let styles = ["planned", "forum_held", "coded", "returned"].map(status_style);
        // Progress darkens, one clear step at a time.
        let l = styles.map(|s| luminance(s.fill));
        assert!(l.windows(2).all(|p| p[0] - p[1] > 0.1), "{l:?}");
        // And each status has its own detail besides the fill.
        let cues = styles.map(|s| (s.dash.is_some(), s.centre_dot, s.outer_ring));
        for (i, a) in cues.iter().enumerate() {
            assert!(cues[i + 1..].iter().all(|b| b != a), "{cues:?}");
        }
        // Text colours keep 4.5:1 contrast on white.
        for ink in [INK, MUTED] {
            assert!(1.05 / (luminance(ink) + 0.05) >= 4.5, "{ink}");
        }
    }

    #[test]
    fn colours_are_checked() {
        assert_eq!(colour_or(Some("#A1B2C3"), "#000000"), "#a1b2c3");
        assert_eq!(colour_or(Some("red\" onload=\"x"), "#000000"), "#000000");
        assert_eq!(colour_or(None, "#123456"), "#123456");
    }
}
