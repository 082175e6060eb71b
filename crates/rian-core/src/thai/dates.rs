//! Dates in Thai text, in every form a write-up uses, Buddhist Era or Gregorian:
//! `31 มีนาคม 2566`, `วันศุกร์ที่ 31 มีนาคม 2566`, `31 มี.ค. 66`, `๓๑ มีนาคม ๒๕๖๖`,
//! ranges `4 – 5 เมษายน 2566` and `30 มี.ค. – 2 เม.ย. 2566`, a month `มีนาคม 2566`, a year
//! `พ.ศ. 2566`, `ค.ศ. 2023`, `ปี 2566`, `ช่วงปี 2563`, and English `31 March 2023`.
//!
//! Years: two digits are Buddhist Era (66 → 2566); four digits from 2400 are Buddhist Era,
//! from 1800 to 2200 Gregorian, unless พ.ศ. or ค.ศ. says which. Dates that do not exist
//! (31 กุมภาพันธ์ 2566) are not dates.

use super::scan::Cursor;
use crate::model::{
    IsoDate, Lang, MONTHS_EN, MONTHS_TH as MONTHS_FULL, MONTHS_TH_SHORT as MONTHS_SHORT,
};
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    Buddhist,
    Gregorian,
}

/// What a mention says. Years are Gregorian.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    Day(IsoDate),
    Range(IsoDate, IsoDate),
    Month { year: i32, month: u32 },
    Year(i32),
}

/// A date found in text: its byte range, value and the era it was written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    pub range: Range<usize>,
    pub value: DateValue,
    pub era: Era,
    /// A weekday was named before it (วันศุกร์ที่ …); the range includes it.
    pub weekday: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// 31 มีนาคม 2566
    Full,
    /// 31 มี.ค. 66
    Short,
}

const WEEKDAYS: [&str; 8] = [
    "จันทร์",
    "อังคาร",
    "พุธ",
    "พฤหัสบดี",
    "พฤหัส",
    "ศุกร์",
    "เสาร์",
    "อาทิตย์",
];
const DASHES: [&str; 6] = ["-", "–", "—", "ถึง", "ถึงวันที่", "~"];

/// Formats a date in the Buddhist Era.
pub fn format_be(date: IsoDate, style: DateStyle) -> String {
    match style {
        DateStyle::Full => date.display(Lang::Th),
        DateStyle::Short => format!(
            "{} {} {:02}",
            date.day(),
            MONTHS_SHORT[date.month() as usize - 1],
            date.year_be() % 100
        ),
    }
}

/// Every date in `text`, in order, not overlapping.
pub fn find_dates(text: &str) -> Vec<DateMention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        if could_start(c)
            && starts_word(text, i)
            && let Some(m) = date_at(text, i)
        {
            i = m.range.end;
            out.push(m);
            continue;
        }
        i += c.len_utf8();
    }
    out
}

fn could_start(c: char) -> bool {
    super::scan::digit_value(c).is_some()
        || matches!(
            c,
            'ว' | 'พ' | 'ค' | 'ป' | 'ช' | 'ม' | 'ก' | 'เ' | 'ส' | 'ต' | 'ธ'
        )
        || c.is_ascii_alphabetic()
}

/// Digits and Latin letters start a date only where a number or word starts.
fn starts_word(text: &str, i: usize) -> bool {
    let before = text[..i].chars().next_back();
    let c = text[i..].chars().next();
    match (before, c) {
        (Some(b), Some(c)) if super::scan::digit_value(c).is_some() => {
            super::scan::digit_value(b).is_none()
                && !b.is_ascii_alphabetic()
                && !matches!(b, '.' | ',' | '/' | ':')
        }
        (Some(b), Some(c)) if c.is_ascii_alphabetic() => !b.is_ascii_alphanumeric(),
        _ => true,
    }
}

fn date_at(text: &str, start: usize) -> Option<DateMention> {
    let mut cur = Cursor::new(text, start);
    // วันศุกร์ที่ / วันที่ / ศุกร์ที่: part of the mention.
    let mut weekday = false;
    let prefix = {
        let mut p = cur;
        let had_wan = p.eat("วัน");
        if p.eat_longest(&WEEKDAYS).is_some() {
            weekday = true;
            p.spaces();
            p.eat("ที่");
            Some(p)
        } else if had_wan && p.eat("ที่") {
            Some(p)
        } else {
            None
        }
    };
    if let Some(p) = prefix {
        cur = p;
        cur.spaces();
        let m = day_date(cur).or_else(|| english_date(cur))?;
        return Some(DateMention {
            range: start..m.range.end,
            weekday,
            ..m
        });
    }
    day_date(cur)
        .or_else(|| month_year(cur))
        .or_else(|| marked_year(cur))
        .or_else(|| english_date(cur))
}

/// A day with its month and year, or a range of days: 31 มีนาคม 2566, 4 – 5 เมษายน 2566,
/// 30 มี.ค. – 2 เม.ย. 2566, 30 ธันวาคม 2565 - 2 มกราคม 2566.
fn day_date(mut cur: Cursor) -> Option<DateMention> {
    let start = cur.at;
    let day1 = day(&mut cur)?;
    let mut after_day = cur;
    after_day.spaces();
    // 4 – 5 เมษายน 2566
    if let Some(mut c) = dash(after_day) {
        c.spaces();
        if let Some(day2) = day(&mut c) {
            c.spaces();
            if let Some(month) = month(&mut c) {
                let (year, era) = year(&mut c)?;
                let from = IsoDate::new(year, month, day1)?;
                let to = IsoDate::new(year, month, day2)?;
                return (from < to).then_some(DateMention {
                    range: start..c.at,
                    value: DateValue::Range(from, to),
                    era,
                    weekday: false,
                });
            }
        }
    }
    let mut c = after_day;
    let month1 = month(&mut c)?;
    let year1 = year(&mut c);
    // … – 2 เม.ย. 2566: a second day after a dash.
    let mut tail = c;
    tail.spaces();
    if let Some(mut t) = dash(tail) {
        t.spaces();
        if let Some(day2) = day(&mut t) {
            t.spaces();
            if let Some(month2) = month(&mut t)
                && let Some((year2, era)) = year(&mut t)
            {
                let year1 =
                    year1.map_or(if month1 > month2 { year2 - 1 } else { year2 }, |(y, _)| y);
                let from = IsoDate::new(year1, month1, day1)?;
                let to = IsoDate::new(year2, month2, day2)?;
                return (from < to).then_some(DateMention {
                    range: start..t.at,
                    value: DateValue::Range(from, to),
                    era,
                    weekday: false,
                });
            }
        }
    }
    let (year, era) = year1?;
    let date = IsoDate::new(year, month1, day1)?;
    Some(DateMention {
        range: start..c.at,
        value: DateValue::Day(date),
        era,
        weekday: false,
    })
}

/// A month with its year: มีนาคม 2566.
fn month_year(mut cur: Cursor) -> Option<DateMention> {
    let start = cur.at;
    // A day before the month made this a day date; if that was not a date (31 กุมภาพันธ์),
    // neither is its month.
    let before = cur.text[..start].trim_end_matches([' ', '\t', '\u{00A0}']);
    if before
        .chars()
        .next_back()
        .and_then(super::scan::digit_value)
        .is_some()
    {
        return None;
    }
    let month = month(&mut cur)?;
    let (year, era) = year(&mut cur)?;
    Some(DateMention {
        range: start..cur.at,
        value: DateValue::Month { year, month },
        era,
        weekday: false,
    })
}

/// A year named as one: พ.ศ. 2566, ค.ศ. 2023, ปี 2566, ช่วงปี 2563, ประจำปี 2566,
/// ปีงบประมาณ 2566. The range runs from the marker to the end of the number.
fn marked_year(mut cur: Cursor) -> Option<DateMention> {
    let start = cur.at;
    let mut era = None;
    if cur.eat("พ.ศ.") || cur.eat("พ.ศ") {
        era = Some(Era::Buddhist);
    } else if cur.eat("ค.ศ.") || cur.eat("ค.ศ") {
        era = Some(Era::Gregorian);
    } else {
        cur.eat("ช่วง");
        cur.eat("ประจำ");
        if !cur.eat("ปี") {
            return None;
        }
        cur.eat("งบประมาณ");
        cur.spaces();
        if cur.eat("พ.ศ.") || cur.eat("พ.ศ") {
            era = Some(Era::Buddhist);
        } else if cur.eat("ค.ศ.") || cur.eat("ค.ศ") {
            era = Some(Era::Gregorian);
        }
    }
    cur.spaces();
    let (value, digits) = cur.digits()?;
    if digits != 4 || cur.peek().and_then(super::scan::digit_value).is_some() {
        return None;
    }
    let (year, era) = interpret_year(value as i32, 4, era)?;
    Some(DateMention {
        range: start..cur.at,
        value: DateValue::Year(year),
        era,
        weekday: false,
    })
}

/// 31 March 2023, March 31, 2023.
fn english_date(mut cur: Cursor) -> Option<DateMention> {
    let start = cur.at;
    let eng_month = |c: &mut Cursor| -> Option<u32> {
        let rest = c.rest();
        for (i, m) in MONTHS_EN.iter().enumerate() {
            for form in [*m, &m[..3]] {
                if rest.len() >= form.len()
                    && rest.as_bytes()[..form.len()].eq_ignore_ascii_case(form.as_bytes())
                    && !rest[form.len()..].starts_with(|ch: char| ch.is_ascii_alphabetic())
                {
                    c.at += form.len();
                    c.eat(".");
                    return Some(i as u32 + 1);
                }
            }
        }
        None
    };
    let (month, day) = if let Some(d) = day(&mut cur) {
        cur.spaces();
        (eng_month(&mut cur)?, d)
    } else {
        let m = eng_month(&mut cur)?;
        cur.spaces();
        let d = day(&mut cur)?;
        cur.eat(",");
        (m, d)
    };
    cur.spaces();
    let (value, digits) = cur.digits()?;
    if digits != 4 {
        return None;
    }
    let (year, era) = interpret_year(value as i32, 4, None)?;
    Some(DateMention {
        range: start..cur.at,
        value: DateValue::Day(IsoDate::new(year, month, day)?),
        era,
        weekday: false,
    })
}

fn day(cur: &mut Cursor) -> Option<u32> {
    let mut c = *cur;
    let (value, digits) = c.digits()?;
    if digits > 2 || !(1..=31).contains(&value) {
        return None;
    }
    *cur = c;
    Some(value as u32)
}

fn month(cur: &mut Cursor) -> Option<u32> {
    let mut c = *cur;
    c.spaces();
    if let Some(i) = c.eat_longest(&MONTHS_FULL) {
        *cur = c;
        return Some(i as u32 + 1);
    }
    // Abbreviations, with or without their dots (มี.ค. มี.ค มีค.).
    let rest = c.rest();
    for (i, short) in MONTHS_SHORT.iter().enumerate() {
        let bare: String = short.chars().filter(|&ch| ch != '.').collect();
        let first_dot = short.find('.').unwrap_or(short.len());
        let (a, b) = (&short[..first_dot], &bare[first_dot..]);
        for form in [
            short.to_string(),
            format!("{a}.{b}"),
            format!("{bare}."),
            bare.clone(),
        ] {
            if rest.starts_with(&form) {
                c.at += form.len();
                *cur = c;
                return Some(i as u32 + 1);
            }
        }
    }
    None
}

fn dash(mut cur: Cursor) -> Option<Cursor> {
    cur.eat_longest(&DASHES).map(|_| cur)
}

/// A year after a month: optional พ.ศ./ค.ศ., then 2 or 4 digits.
fn year(cur: &mut Cursor) -> Option<(i32, Era)> {
    let mut c = *cur;
    c.spaces();
    let mut era = None;
    if c.eat("พ.ศ.") || c.eat("พ.ศ") {
        era = Some(Era::Buddhist);
    } else if c.eat("ค.ศ.") || c.eat("ค.ศ") {
        era = Some(Era::Gregorian);
    }
    c.spaces();
    let (value, digits) = c.digits()?;
    if !(digits == 2 || digits == 4) {
        return None;
    }
    let result = interpret_year(value as i32, digits, era)?;
    *cur = c;
    Some(result)
}

/// A written year → (Gregorian year, era written in).
fn interpret_year(value: i32, digits: usize, era: Option<Era>) -> Option<(i32, Era)> {
    let be = |y: i32| (y - crate::model::BE_OFFSET, Era::Buddhist);
    match (digits, era) {
        (2, Some(Era::Gregorian)) => Some((2000 + value, Era::Gregorian)),
        (2, _) => Some(be(2500 + value)),
        (4, Some(Era::Buddhist)) => Some(be(value)),
        (4, Some(Era::Gregorian)) => Some((value, Era::Gregorian)),
        (4, None) if (2400..=2700).contains(&value) => Some(be(value)),
        (4, None) if (1800..=2200).contains(&value) => Some((value, Era::Gregorian)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> IsoDate {
        IsoDate::new(y, m, day).unwrap()
    }

    fn one(text: &str) -> DateMention {
        let found = find_dates(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        found[0].clone()
    }

    #[test]
    fn reads_full_dates() {
        let m = one("เมื่อวันศุกร์ที่ 31 มีนาคม 2566 ณ ที่ทำการ");
        assert_eq!(m.value, DateValue::Day(d(2023, 3, 31)));
        assert!(m.weekday);
        let text = "เมื่อวันศุกร์ที่ 31 มีนาคม 2566 ณ ที่ทำการ";
        assert_eq!(&text[m.range], "วันศุกร์ที่ 31 มีนาคม 2566");
        assert_eq!(one("31 มี.ค. 66").value, DateValue::Day(d(2023, 3, 31)));
        assert_eq!(one("31 มี.ค.66").value, DateValue::Day(d(2023, 3, 31)));
        assert_eq!(one("31 มีค 2566").value, DateValue::Day(d(2023, 3, 31)));
        assert_eq!(one("๓๑ มีนาคม ๒๕๖๖").value, DateValue::Day(d(2023, 3, 31)));
        assert_eq!(
            one("วันที่ 1 ตุลาคม พ.ศ. 2565").value,
            DateValue::Day(d(2022, 10, 1))
        );
        let m = one("on 31 March 2023.");
        assert_eq!(
            (m.value, m.era),
            (DateValue::Day(d(2023, 3, 31)), Era::Gregorian)
        );
        assert_eq!(one("March 31, 2023").value, DateValue::Day(d(2023, 3, 31)));
    }

    #[test]
    fn reads_ranges() {
        assert_eq!(
            one("4 – 5 เมษายน 2566").value,
            DateValue::Range(d(2023, 4, 4), d(2023, 4, 5))
        );
        assert_eq!(
            one("4-5 เม.ย. 66").value,
            DateValue::Range(d(2023, 4, 4), d(2023, 4, 5))
        );
        assert_eq!(
            one("30 มี.ค. – 2 เม.ย. 2566").value,
            DateValue::Range(d(2023, 3, 30), d(2023, 4, 2))
        );
        assert_eq!(
            one("30 ธันวาคม 2565 - 2 มกราคม 2566").value,
            DateValue::Range(d(2022, 12, 30), d(2023, 1, 2))
        );
        assert_eq!(
            one("30 ธ.ค. - 2 ม.ค. 2566").value,
            DateValue::Range(d(2022, 12, 30), d(2023, 1, 2))
        );
    }

    #[test]
    fn reads_months_and_years() {
        assert_eq!(
            one("ในเดือนมีนาคม 2566").value,
            DateValue::Month {
                year: 2023,
                month: 3
            }
        );
        let text = "โครงการประจำปี 2566 และช่วงปี 2563 พ.ศ.2560 ค.ศ. 2023 ปีงบประมาณ 2567";
        let years: Vec<_> = find_dates(text).iter().map(|m| m.value).collect();
        assert_eq!(
            years,
            [
                DateValue::Year(2023),
                DateValue::Year(2020),
                DateValue::Year(2017),
                DateValue::Year(2023),
                DateValue::Year(2024)
            ]
        );
        let m = &find_dates(text)[0];
        assert_eq!(&text[m.range.clone()], "ประจำปี 2566");
    }

    #[test]
    fn leaves_other_numbers_alone() {
        for text in [
            "มีผู้เข้าร่วม 25 คน",
            "43 ชุมชน 30 เครือข่าย",
            "โทร 0812566000",
            "Covid-19",
            "รหัส 12566",
            "31 กุมภาพันธ์ 2566",
            "32 มีนาคม 2566",
        ] {
            assert!(
                find_dates(text).is_empty(),
                "{text}: {:?}",
                find_dates(text)
            );
        }
    }

    #[test]
    fn formats_in_the_buddhist_era() {
        assert_eq!(format_be(d(2023, 3, 31), DateStyle::Full), "31 มีนาคม 2566");
        assert_eq!(format_be(d(2023, 3, 31), DateStyle::Short), "31 มี.ค. 66");
        assert_eq!(format_be(d(2043, 1, 2), DateStyle::Short), "2 ม.ค. 86");
    }

    fn thaiish() -> impl Strategy<Value = String> {
        crate::thai::text_from(
            "กขคมีนาคมพ.ศค.ศปีวันที่ศุกร์ธ -–0123456789๐๑๒๕๖ March,"
                .chars()
                .collect(),
            50,
        )
    }

    proptest! {
        #[test]
        fn mentions_are_ordered_and_on_boundaries(s in thaiish()) {
            let mut last = 0;
            for m in find_dates(&s) {
                prop_assert!(m.range.start >= last && m.range.start < m.range.end);
                prop_assert!(s.is_char_boundary(m.range.start) && s.is_char_boundary(m.range.end));
                last = m.range.end;
            }
        }

        #[test]
        fn formatted_dates_read_back(y in 1900i32..2100, m in 1u32..=12, day in 1u32..=31) {
            if let Some(date) = IsoDate::new(y, m, day) {
                let full = format_be(date, DateStyle::Full);
                prop_assert_eq!(one(&full).value, DateValue::Day(date));
                let short = format_be(date, DateStyle::Short);
                // Two-digit years stand for 2500–2599 BE.
                if (1957..2057).contains(&y) {
                    prop_assert_eq!(one(&short).value, DateValue::Day(date));
                }
            }
        }
    }
}
