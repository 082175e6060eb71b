//! Scoring extraction against hand-made answers: a folder of `NN.txt` write-ups, each with
//! `NN.json` in the format of the project's examples (the fields of [`Extraction`]).
//!
//! Dates, counts, venue and title are right or wrong; names (provinces, tambons,
//! organizations) are scored as sets (precision and recall); list items and figures item
//! by item.

use super::{Extraction, Number};
use crate::model::IsoDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The expected record of one write-up. Unknown fields (notes, url) are ignored.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Expected {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub event_date: Option<IsoDate>,
    #[serde(default)]
    pub event_date_end: Option<IsoDate>,
    #[serde(default)]
    pub participants: Option<i64>,
    #[serde(default)]
    pub venue: Option<String>,
    #[serde(default)]
    pub provinces: Vec<String>,
    #[serde(default)]
    pub tambons: Vec<String>,
    #[serde(default)]
    pub organizations: Vec<String>,
    #[serde(default)]
    pub numbered_lists: Vec<Vec<String>>,
    #[serde(default)]
    pub figures: Vec<ExpectedFigure>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ExpectedFigure {
    pub value: f64,
    pub unit: String,
}

/// Counts for one field over many write-ups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct FieldScore {
    /// Exact fields: write-ups right, out of `cases`.
    pub right: u32,
    pub cases: u32,
    /// Set and item fields: items found that were expected, found, expected.
    pub hits: u32,
    pub found: u32,
    pub expected: u32,
}

impl FieldScore {
    pub fn accuracy(&self) -> f64 {
        f64::from(self.right) / f64::from(self.cases.max(1))
    }
    pub fn precision(&self) -> f64 {
        if self.found == 0 {
            return if self.expected == 0 { 1.0 } else { 0.0 };
        }
        f64::from(self.hits) / f64::from(self.found)
    }
    pub fn recall(&self) -> f64 {
        if self.expected == 0 {
            return 1.0;
        }
        f64::from(self.hits) / f64::from(self.expected)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn exact(&mut self, ok: bool) {
        self.cases += 1;
        self.right += u32::from(ok);
    }
    fn items<T: PartialEq>(&mut self, expected: &[T], found: &[T]) {
        self.cases += 1;
        let mut left: Vec<&T> = expected.iter().collect();
        let mut hits = 0;
        for f in found {
            if let Some(i) = left.iter().position(|e| *e == f) {
                left.remove(i);
                hits += 1;
            }
        }
        self.hits += hits;
        self.found += found.len() as u32;
        self.expected += expected.len() as u32;
        self.right += u32::from(hits as usize == expected.len() && hits as usize == found.len());
    }
}

/// Scores by field name, in a stable order.
pub type Scores = BTreeMap<&'static str, FieldScore>;

/// Adds one write-up's comparison to `scores`.
pub fn score(scores: &mut Scores, expected: &Expected, got: &Extraction) {
    let norm = |s: &Option<String>| {
        s.as_deref()
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    scores
        .entry("title")
        .or_default()
        .exact(norm(&expected.title) == norm(&got.title));
    scores
        .entry("event_date")
        .or_default()
        .exact(expected.event_date == got.event_date);
    scores
        .entry("event_date_end")
        .or_default()
        .exact(expected.event_date_end == got.event_date_end);
    scores
        .entry("participants")
        .or_default()
        .exact(expected.participants == got.participants);
    scores
        .entry("venue")
        .or_default()
        .exact(norm(&expected.venue) == norm(&got.venue));
    scores
        .entry("provinces")
        .or_default()
        .items(&expected.provinces, &got.provinces);
    scores
        .entry("tambons")
        .or_default()
        .items(&expected.tambons, &got.tambons);
    scores
        .entry("organizations")
        .or_default()
        .items(&expected.organizations, &got.organizations);
    // List items keep their list: (list number, item).
    let flat = |lists: &[Vec<String>]| -> Vec<(usize, String)> {
        lists
            .iter()
            .enumerate()
            .flat_map(|(i, l)| l.iter().map(move |item| (i, item.trim().to_string())))
            .collect()
    };
    scores
        .entry("numbered_lists")
        .or_default()
        .items(&flat(&expected.numbered_lists), &flat(&got.numbered_lists));
    let want: Vec<(String, String)> = expected
        .figures
        .iter()
        .map(|f| (format!("{}", f.value), f.unit.clone()))
        .collect();
    let found: Vec<(String, String)> = got
        .figures
        .iter()
        .map(|f| {
            let v = match f.value {
                Number::Whole(n) => n as f64,
                Number::Fraction(v) => v,
            };
            (format!("{v}"), f.unit.clone())
        })
        .collect();
    scores.entry("figures").or_default().items(&want, &found);
}

/// The scores as a table a person reads.
pub fn table(scores: &Scores, cases: usize) -> String {
    let mut out = format!("{cases} write-ups\n");
    out += "field             right    P       R       F1\n";
    for (field, s) in scores {
        let exact = matches!(
            *field,
            "title" | "event_date" | "event_date_end" | "participants" | "venue"
        );
        if exact {
            out += &format!(
                "{field:<16}  {:>3}/{:<3}  acc {:.3}\n",
                s.right,
                s.cases,
                s.accuracy()
            );
        } else {
            out += &format!(
                "{field:<16}  {:>3}/{:<3}  {:.3}   {:.3}   {:.3}\n",
                s.right,
                s.cases,
                s.precision(),
                s.recall(),
                s.f1()
            );
        }
    }
    out
}
