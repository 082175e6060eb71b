//! Figures in Thai text: a count with its unit — `25 คน`, `๔๓ ชุมชน`, `1,500 คน`,
//! `กว่า 50 คน`, `5 ล้านบาท`, `2.5 ไร่`, `สามสิบคน`, `ร้อยละ 30`.
//!
//! A figure is a number followed by a unit from the lexicon below (the counters used in
//! community-development writing). Years, durations, ordinals, list markers, times and
//! dates are not figures.

use super::dates::find_dates;
use super::scan::{Cursor, digit_value};
use std::ops::Range;

/// How a figure is qualified in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    Exact,
    /// กว่า, มากกว่า, เกินกว่า, … กว่า
    MoreThan,
    /// ประมาณ, ราว, เกือบ
    About,
    /// อย่างน้อย
    AtLeast,
}

/// A count with its unit, and where it is in the text (qualifier included).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub range: Range<usize>,
    pub value: f64,
    pub unit: String,
    pub qualifier: Qualifier,
}

/// Counters and units, as written. Durations (ปี เดือน วัน ชั่วโมง) are left out on purpose.
const UNITS: &[&str] = &[
    "คน",
    "ราย",
    "ท่าน",
    "ชุมชน",
    "เครือข่าย",
    "บาท",
    "ครัวเรือน",
    "หลังคาเรือน",
    "หลัง",
    "ไร่",
    "งาน",
    "ตารางวา",
    "ตารางเมตร",
    "ตำบล",
    "หมู่บ้าน",
    "อำเภอ",
    "จังหวัด",
    "เขต",
    "แขวง",
    "กลุ่ม",
    "องค์กร",
    "แห่ง",
    "หน่วยงาน",
    "ส่วน",
    "ประเด็น",
    "โครงการ",
    "กิจกรรม",
    "ครั้ง",
    "กองทุน",
    "ทีม",
    "ตัน",
    "กิโลกรัม",
    "กก.",
    "กิโลเมตร",
    "กม.",
    "เมตร",
    "ลิตร",
    "ต้น",
    "ตัว",
    "คัน",
    "ลำ",
    "เล่ม",
    "ชิ้น",
    "ชุด",
    "แผน",
    "เวที",
    "สมาชิก",
    "ศูนย์",
    "โรงเรียน",
    "วัด",
    "ร้าน",
    "ฟาร์ม",
    "บ่อ",
    "เปอร์เซ็นต์",
    "%",
];

const MULTIPLIERS: &[(&str, f64)] = &[("ล้าน", 1e6), ("แสน", 1e5), ("หมื่น", 1e4), ("พัน", 1e3)];

/// Words before a number that make it an ordinal, a year, a code or a list number.
const NOT_A_COUNT_BEFORE: &[&str] = &[
    "ครั้งที่",
    "ลำดับที่",
    "อันดับที่",
    "ข้อที่",
    "หมู่ที่",
    "ชั้นที่",
    "รุ่นที่",
    "ฉบับที่",
    "บทที่",
    "วันที่",
    "ปี",
    "พ.ศ.",
    "ค.ศ.",
    "ข้อ",
    "หมู่",
    "ม.",
    "ลำดับ",
    "อันดับ",
    "เลขที่",
    "รุ่น",
    "ฉบับ",
    "ชั้น",
    "ซอย",
    "ถนน",
    "โทร",
    "โทร.",
    "เบอร์",
    "มาตรา",
    "บท",
    "ระดับ",
];

const QUALIFIERS: &[(&str, Qualifier)] = &[
    ("มากกว่า", Qualifier::MoreThan),
    ("เกินกว่า", Qualifier::MoreThan),
    ("กว่า", Qualifier::MoreThan),
    ("ประมาณ", Qualifier::About),
    ("ราว", Qualifier::About),
    ("เกือบ", Qualifier::About),
    ("อย่างน้อย", Qualifier::AtLeast),
];

/// Every figure in `text`, in order, not overlapping, and never inside a date.
pub fn find_figures(text: &str) -> Vec<Figure> {
    let dates: Vec<Range<usize>> = find_dates(text).into_iter().map(|d| d.range).collect();
    let in_date = |r: &Range<usize>| dates.iter().any(|d| d.start < r.end && r.start < d.end);
    let mut out: Vec<Figure> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        if let Some(f) = figure_at(text, i).filter(|f| !in_date(&f.range)) {
            i = f.range.end;
            out.push(f);
            continue;
        }
        i += c.len_utf8();
    }
    out
}

fn figure_at(text: &str, start: usize) -> Option<Figure> {
    let c = text[start..].chars().next()?;
    let before = text[..start].chars().next_back();
    // ร้อยละ 30: the unit comes first.
    if text[start..].starts_with("ร้อยละ") {
        let mut cur = Cursor::new(text, start + "ร้อยละ".len());
        cur.spaces();
        let (value, _) = number(&mut cur)?;
        return Some(Figure {
            range: start..cur.at,
            value,
            unit: "ร้อยละ".into(),
            qualifier: Qualifier::Exact,
        });
    }
    if digit_value(c).is_some() {
        // Inside a longer token: Covid-19, A4, 3.5.1, 1/2.
        if before.is_some_and(|b| {
            b.is_ascii_alphanumeric()
                || digit_value(b).is_some()
                || matches!(b, '-' | '.' | ',' | '/' | ':' | '(')
        }) {
            return None;
        }
    } else if !starts_number_word(&text[start..]) {
        return None;
    }
    if preceded_by_non_count(&text[..start]) {
        return None;
    }
    let mut cur = Cursor::new(text, start);
    let (mut value, _) = number(&mut cur)?;
    // A list marker or a time: 1) 2. 09.00
    if matches!(cur.peek(), Some(')' | ':')) {
        return None;
    }
    // "50 กว่าคน": fifty-odd.
    let mut qualifier = Qualifier::Exact;
    let mut after = cur;
    after.spaces();
    if after.eat("กว่า") {
        qualifier = Qualifier::MoreThan;
        cur = after;
    }
    let mut unit_cur = cur;
    if unit_cur.spaces() > 1 {
        return None;
    }
    if let Some(i) = unit_cur.eat_longest(&MULTIPLIERS.iter().map(|m| m.0).collect::<Vec<_>>()) {
        value *= MULTIPLIERS[i].1;
        unit_cur.spaces();
    }
    let unit = UNITS[unit_cur.eat_longest(UNITS)?];
    let mut range = start..unit_cur.at;
    let (q_start, q) = qualifier_before(text, start);
    if qualifier == Qualifier::Exact {
        qualifier = q;
    }
    if q != Qualifier::Exact {
        range.start = q_start;
    }
    value.is_finite().then(|| Figure {
        range,
        value,
        unit: unit.to_string(),
        qualifier,
    })
}

/// A number in digits (1,500 · 2.5 · ๔๓) or in Thai words (สามสิบ).
fn number(cur: &mut Cursor) -> Option<(f64, usize)> {
    let start = cur.at;
    if cur.peek().and_then(digit_value).is_some() {
        let mut text = String::new();
        loop {
            let mut c = *cur;
            let Some((_, n)) = c.digits() else { break };
            let digits: String = cur.text[cur.at..c.at]
                .chars()
                .filter_map(digit_value)
                .map(|d| char::from(b'0' + d as u8))
                .collect();
            debug_assert_eq!(digits.len(), n);
            text.push_str(&digits);
            *cur = c;
            // 1,500: a comma followed by exactly three digits; 2.5: a point and digits.
            let rest = cur.rest();
            let next_digits = |s: &str| {
                s.chars()
                    .take_while(|&ch| digit_value(ch).is_some())
                    .count()
            };
            if let Some(r) = rest.strip_prefix(',')
                && next_digits(r) == 3
            {
                cur.at += 1;
                continue;
            }
            if let Some(r) = rest.strip_prefix('.')
                && next_digits(r) > 0
                && !text.contains('.')
            {
                cur.at += 1;
                text.push('.');
                continue;
            }
            break;
        }
        return text.parse().ok().map(|v| (v, cur.at - start));
    }
    let (value, len) = parse_number_words(cur.rest())?;
    cur.at += len;
    Some((value as f64, len))
}

const DIGIT_WORDS: &[(&str, u64)] = &[
    ("ศูนย์", 0),
    ("หนึ่ง", 1),
    ("เอ็ด", 1),
    ("สอง", 2),
    ("ยี่", 2),
    ("สาม", 3),
    ("สี่", 4),
    ("ห้า", 5),
    ("หก", 6),
    ("เจ็ด", 7),
    ("แปด", 8),
    ("เก้า", 9),
];
const PLACE_WORDS: &[(&str, u64)] = &[
    ("สิบ", 10),
    ("ร้อย", 100),
    ("พัน", 1_000),
    ("หมื่น", 10_000),
    ("แสน", 100_000),
    ("ล้าน", 1_000_000),
];

fn starts_number_word(s: &str) -> bool {
    DIGIT_WORDS
        .iter()
        .chain(PLACE_WORDS)
        .any(|(w, _)| s.starts_with(w) && *w != "เอ็ด" && *w != "ยี่")
}

/// Reads Thai number words at the start of `s` (สามสิบ → 30, ยี่สิบเอ็ด → 21,
/// สองพันห้าร้อย → 2,500); returns the value and the bytes read.
pub fn parse_number_words(s: &str) -> Option<(u64, usize)> {
    let mut total: u64 = 0; // the millions read so far
    let mut section: u64 = 0; // the part below a million
    let mut digit: Option<u64> = None;
    let mut at = 0;
    let mut words = 0;
    loop {
        let rest = &s[at..];
        if let Some((w, d)) = DIGIT_WORDS.iter().find(|(w, _)| rest.starts_with(w)) {
            // ยี่ only before สิบ; เอ็ด only after a ten or more.
            if *w == "ยี่" && !rest[w.len()..].starts_with("สิบ") {
                break;
            }
            if *w == "เอ็ด" && section == 0 && total == 0 {
                break;
            }
            if digit.is_some() {
                break;
            }
            digit = Some(*d);
            at += w.len();
            words += 1;
            continue;
        }
        if let Some((w, place)) = PLACE_WORDS.iter().find(|(w, _)| rest.starts_with(w)) {
            if *place == 1_000_000 {
                // Everything so far counts millions: สามล้าน, สองแสนล้าน, ล้าน alone.
                let millions = section.saturating_add(digit.take().unwrap_or(0)).max(1);
                total = total.saturating_add(millions).saturating_mul(1_000_000);
                section = 0;
            } else {
                let d = digit.take().unwrap_or(1);
                section = section.saturating_add(d.saturating_mul(*place));
            }
            at += w.len();
            words += 1;
            continue;
        }
        break;
    }
    if words == 0 {
        return None;
    }
    let value = total
        .saturating_add(section)
        .saturating_add(digit.unwrap_or(0));
    Some((value, at))
}

fn preceded_by_non_count(before: &str) -> bool {
    let trimmed = before.trim_end_matches([' ', '\t', '\u{00A0}']);
    // ที่ alone makes an ordinal (ที่ 1); inside a word it does not (พื้นที่ 1,200 ไร่).
    let lone_thi = trimmed
        .strip_suffix("ที่")
        .is_some_and(|head| !head.ends_with(crate::thai::segment::is_thai_letter));
    lone_thi || NOT_A_COUNT_BEFORE.iter().any(|w| trimmed.ends_with(w))
}

/// A qualifier word just before the number, and where it starts.
fn qualifier_before(text: &str, start: usize) -> (usize, Qualifier) {
    let before = &text[..start];
    let trimmed = before.trim_end_matches([' ', '\t', '\u{00A0}']);
    for (w, q) in QUALIFIERS {
        if let Some(head) = trimmed.strip_suffix(w) {
            // Longest first in QUALIFIERS: มากกว่า is read whole, not as its tail กว่า.
            return (head.len(), *q);
        }
    }
    (start, Qualifier::Exact)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn figs(text: &str) -> Vec<(f64, String)> {
        find_figures(text)
            .into_iter()
            .map(|f| (f.value, f.unit))
            .collect()
    }

    #[test]
    fn reads_the_figures_of_the_seed() {
        let text = "เมื่อวันศุกร์ที่ 31 มีนาคม 2566 ณ ที่ทำการ ภายใต้โครงการประจำปี 2566 มีผู้เข้าร่วมจำนวน 25 คน\n\
            แบ่งออกเป็น 5 ส่วนดังนี้ 1) ข้อมูลทั่วไป 2) รูปแบบโครงการ สถานการณ์โรคระบาด Covid-19 ช่วงปี 2563 \
            เกิดความร่วมมือ 43 ชุมชน การบูรณาการงานร่วมกับ 30 เครือข่าย \
            มิติคนมีคุณภาพ 10 ตำบล ได้แก่ 1) เขตธนบุรี กรุงเทพฯ 2) ตำบลพระแท่น จ.กาญจนบุรี 10) ต.ตะลุบัน";
        let got = figs(text);
        let want: Vec<(f64, String)> = [
            (25.0, "คน"),
            (5.0, "ส่วน"),
            (43.0, "ชุมชน"),
            (30.0, "เครือข่าย"),
            (10.0, "ตำบล"),
        ]
        .into_iter()
        .map(|(v, u)| (v, u.to_string()))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn reads_every_way_of_writing_a_count() {
        assert_eq!(figs("๔๓ ชุมชน"), [(43.0, "ชุมชน".into())]);
        assert_eq!(figs("1,500 คน"), [(1500.0, "คน".into())]);
        assert_eq!(figs("2.5 ไร่"), [(2.5, "ไร่".into())]);
        assert_eq!(figs("พื้นที่ 1,200 ไร่"), [(1200.0, "ไร่".into())]);
        assert_eq!(figs("งบ 5 ล้านบาท"), [(5e6, "บาท".into())]);
        assert_eq!(figs("2.5 ล้าน บาท"), [(2.5e6, "บาท".into())]);
        assert_eq!(figs("สามสิบคน"), [(30.0, "คน".into())]);
        assert_eq!(figs("ห้าร้อยครัวเรือน"), [(500.0, "ครัวเรือน".into())]);
        assert_eq!(figs("ร้อยละ 30 ของสมาชิก"), [(30.0, "ร้อยละ".into())]);
        let text = "มีผู้เข้าร่วมกว่า 50 คน";
        let f = &find_figures(text)[0];
        assert_eq!((f.value, f.qualifier), (50.0, Qualifier::MoreThan));
        assert_eq!(&text[f.range.clone()], "กว่า 50 คน");
        let f = &find_figures("ประมาณ 200 ครัวเรือน")[0];
        assert_eq!(f.qualifier, Qualifier::About);
        let f = &find_figures("มี 50 กว่าคน")[0];
        assert_eq!((f.value, f.qualifier), (50.0, Qualifier::MoreThan));
    }

    #[test]
    fn ignores_what_is_not_a_count() {
        for text in [
            "ปี 2563",
            "ครั้งที่ 2 คน",
            "ที่ 3 คน",
            "ทำมา 3 ปี",
            "6 เดือน",
            "เวลา 09.00 น.",
            "1) ข้อมูล",
            "Covid-19 คน",
            "โทร 081-234-5678",
            "หมู่ 5 บ้าน",
            "31 มีนาคม 2566 คน",
            "ความสามารถ",
            "ห้างร้าน",
        ] {
            assert!(figs(text).is_empty(), "{text}: {:?}", figs(text));
        }
    }

    #[test]
    fn reads_number_words() {
        for (words, value) in [
            ("สิบ", 10),
            ("สิบเอ็ด", 11),
            ("ยี่สิบเอ็ด", 21),
            ("สามสิบ", 30),
            ("ห้าร้อย", 500),
            ("สองพันห้าร้อย", 2500),
            ("หนึ่งแสน", 100_000),
            ("สามล้านห้าแสน", 3_500_000),
            ("ล้าน", 1_000_000),
            ("เก้า", 9),
        ] {
            assert_eq!(
                parse_number_words(words),
                Some((value, words.len())),
                "{words}"
            );
        }
        assert_eq!(parse_number_words("คน"), None);
        assert_eq!(parse_number_words("ห้าคน"), Some((5, "ห้า".len())));
    }

    #[test]
    fn reads_thai_digits() {
        assert_eq!(digit_value('๙'), Some(9));
        assert_eq!(digit_value('7'), Some(7));
        assert_eq!(digit_value('ก'), None);
    }

    fn thaiish() -> impl Strategy<Value = String> {
        crate::thai::text_from(
            "คนชุมชนบาทล้านสามสิบเอ็ดห้าร้อยกว่า ร้อยละ-.,)0123456789๔๓ปีที่"
                .chars()
                .collect(),
            50,
        )
    }

    proptest! {
        #[test]
        fn figures_are_ordered_finite_and_on_boundaries(s in thaiish()) {
            let mut last = 0;
            for f in find_figures(&s) {
                prop_assert!(f.range.start >= last && f.range.start < f.range.end);
                prop_assert!(s.is_char_boundary(f.range.start) && s.is_char_boundary(f.range.end));
                prop_assert!(f.value.is_finite() && f.value >= 0.0);
                last = f.range.end;
            }
        }

        #[test]
        fn number_words_never_panic(s in thaiish()) {
            if let Some((_, len)) = parse_number_words(&s) {
                prop_assert!(len <= s.len() && s.is_char_boundary(len));
            }
        }
    }
}
