//! Calendar dates: stored as ISO (Gregorian), shown in the Buddhist Era.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The language a person reads. Thai first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Th,
    En,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Th => "th",
            Lang::En => "en",
        }
    }

    /// Reads a language tag ("th", "en", "en-GB"); anything else is Thai.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Th
        }
    }
}

/// Years in the Buddhist Era run 543 ahead of the Gregorian year.
pub const BE_OFFSET: i32 = 543;

/// Thai month names, January first.
pub const MONTHS_TH: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];

/// English month names, January first.
pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Thai month abbreviations as agencies write them, January first.
pub const MONTHS_TH_SHORT: [&str; 12] = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
];

/// A valid Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate {
    year: i32,
    month: u8,
    day: u8,
}

impl IsoDate {
    /// Returns the date if and only if it exists in the Gregorian calendar.
    pub fn new(year: i32, month: u32, day: u32) -> Option<IsoDate> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        if day > days_in_month(year, month) {
            return None;
        }
        Some(IsoDate {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// A date written in the Buddhist Era (31 มีนาคม 2566 → 2023-03-31).
    pub fn from_be(year_be: i32, month: u32, day: u32) -> Option<IsoDate> {
        IsoDate::new(year_be - BE_OFFSET, month, day)
    }

    /// Parses `YYYY-MM-DD`, and nothing else.
    pub fn parse(s: &str) -> Option<IsoDate> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &s[r];
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        IsoDate::new(num(0..4)? as i32, num(5..7)?, num(8..10)?)
    }

    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u32 {
        self.month as u32
    }
    pub fn day(self) -> u32 {
        self.day as u32
    }
    pub fn year_be(self) -> i32 {
        self.year + BE_OFFSET
    }

    /// The date as a person reads it: "31 มีนาคม 2566" or "31 March 2566 BE".
    pub fn display(self, lang: Lang) -> String {
        let m = self.month as usize - 1;
        match lang {
            Lang::Th => format!("{} {} {}", self.day, MONTHS_TH[m], self.year_be()),
            Lang::En => format!("{} {} {} BE", self.day, MONTHS_EN[m], self.year_be()),
        }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for IsoDate {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        IsoDate::parse(s).ok_or_else(|| crate::Error::InvalidDate(s.to_string()))
    }
}

impl Serialize for IsoDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        IsoDate::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("invalid date {s:?}")))
    }
}

impl schemars::JsonSchema for IsoDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "IsoDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "description": "A day as an ISO date (Gregorian), 2023-03-31; shown to people in the Buddhist Era."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_buddhist_era() {
        let d = IsoDate::parse("2023-03-31").unwrap();
        assert_eq!(d.display(Lang::Th), "31 มีนาคม 2566");
        assert_eq!(d.display(Lang::En), "31 March 2566 BE");
        assert_eq!(IsoDate::from_be(2566, 3, 31), Some(d));
        assert_eq!(d.to_string(), "2023-03-31");
    }

    #[test]
    fn refuses_dates_that_do_not_exist() {
        assert_eq!(IsoDate::from_be(2566, 2, 31), None);
        assert_eq!(IsoDate::from_be(2566, 2, 29), None);
        assert!(IsoDate::from_be(2567, 2, 29).is_some());
        assert_eq!(IsoDate::parse("2023-3-31"), None);
        assert_eq!(IsoDate::parse("2023-13-01"), None);
        assert_eq!(IsoDate::parse("+023-01-01"), None);
    }

    #[test]
    fn round_trips_every_day_of_a_leap_year() {
        let mut d = 0;
        for month in 1..=12 {
            for day in 1..=31 {
                if let Some(date) = IsoDate::new(2024, month, day) {
                    d += 1;
                    assert_eq!(IsoDate::parse(&date.to_string()), Some(date));
                }
            }
        }
        assert_eq!(d, 366);
    }
}
