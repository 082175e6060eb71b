//! Extract: a forum write-up → a draft record with its evidence.
//!
//! Every value comes from a rule, the gazetteer or a lexicon of cues — no black box — and
//! carries the span(s) of text it came from, so a person only checks and corrects.
//! Unknown is `None`, never a guess. Spans are Unicode scalar offsets into the text given
//! (the normalized text of a document).

pub mod eval;
mod lists;
mod organizations;
mod places;
mod sections;

use crate::model::{IsoDate, Span};
use crate::thai::dates::{DateValue, find_dates};
use crate::thai::figures::{Figure, find_figures};
use crate::thai::segment::Segmenter;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;

pub use sections::{Part, Section};

/// A count as the JSON shows it: whole numbers without a decimal point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Number {
    Whole(i64),
    Fraction(f64),
}

impl From<f64> for Number {
    fn from(v: f64) -> Number {
        if v.fract() == 0.0 && v.abs() < 9e15 {
            Number::Whole(v as i64)
        } else {
            Number::Fraction(v)
        }
    }
}

/// A figure with the words around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureFact {
    pub value: Number,
    pub unit: String,
    /// The phrase it was read from: a few words before the number, through the unit.
    pub text: String,
    pub span: Span,
}

/// Where each value came from, field by field.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Evidence {
    pub event_date: Vec<Span>,
    pub participants: Vec<Span>,
    pub venue: Vec<Span>,
    pub provinces: BTreeMap<String, Vec<Span>>,
    pub tambons: BTreeMap<String, Vec<Span>>,
    pub organizations: BTreeMap<String, Vec<Span>>,
    pub numbered_lists: Vec<Vec<Span>>,
}

/// The draft record of one write-up.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Extraction {
    pub title: Option<String>,
    pub event_date: Option<IsoDate>,
    pub event_date_end: Option<IsoDate>,
    pub participants: Option<i64>,
    pub venue: Option<String>,
    pub provinces: Vec<String>,
    pub tambons: Vec<String>,
    /// Official codes of the tambons the text places clearly enough (by its district or
    /// province) to tell from others of the same name.
    pub tambon_codes: BTreeMap<String, String>,
    pub organizations: Vec<String>,
    pub numbered_lists: Vec<Vec<String>>,
    pub figures: Vec<FigureFact>,
    pub sections: Vec<Section>,
    pub evidence: Evidence,
}

/// Byte ranges → character spans, for one text.
pub(crate) struct Spans {
    char_at: Vec<u32>,
}

impl Spans {
    fn new(text: &str) -> Spans {
        let mut char_at = vec![0u32; text.len() + 1];
        let mut n = 0u32;
        for (i, c) in text.char_indices() {
            for b in 0..c.len_utf8() {
                char_at[i + b] = n;
            }
            n += 1;
        }
        char_at[text.len()] = n;
        Spans { char_at }
    }

    pub(crate) fn span(&self, r: &Range<usize>) -> Span {
        Span {
            start: i64::from(self.char_at[r.start]),
            end: i64::from(self.char_at[r.end]),
        }
    }
}

/// Reads a write-up. The text should be normalized ([`crate::thai::normalize`]).
pub fn extract(text: &str) -> Extraction {
    let seg = Segmenter::builtin();
    let spans = Spans::new(text);
    let tokens = seg.tokenize(text);
    let clauses = seg.clauses(text);
    let mut x = Extraction {
        title: title(text),
        ..Extraction::default()
    };

    if let Some((range, value)) = event_date(text) {
        x.evidence.event_date.push(spans.span(&range));
        match value {
            DateValue::Day(d) => x.event_date = Some(d),
            DateValue::Range(a, b) => {
                x.event_date = Some(a);
                x.event_date_end = Some(b);
            }
            _ => {}
        }
    }

    let figures = find_figures(text);
    if let Some(f) = participants(text, &figures) {
        x.participants = Some(f.value as i64);
        x.evidence.participants.push(spans.span(&f.range));
    }
    for f in &figures {
        let start = figure_context_start(text, &tokens, f.range.start);
        x.figures.push(FigureFact {
            value: f.value.into(),
            unit: f.unit.clone(),
            text: text[start..f.range.end].to_string(),
            span: spans.span(&(start..f.range.end)),
        });
    }

    if let Some(range) = places::venue(text, &clauses) {
        x.venue = Some(text[range.clone()].to_string());
        x.evidence.venue.push(spans.span(&range));
    }

    for (name, range) in places::provinces(text, &tokens) {
        push_named(
            &mut x.provinces,
            &mut x.evidence.provinces,
            name,
            spans.span(&range),
        );
    }
    for t in places::tambons(text) {
        if let Some(code) = t.code {
            x.tambon_codes
                .entry(t.name.clone())
                .or_insert_with(|| code.to_string());
        }
        push_named(
            &mut x.tambons,
            &mut x.evidence.tambons,
            t.name,
            spans.span(&t.range),
        );
    }
    for range in organizations::find(text, &tokens, &clauses) {
        let name = text[range.clone()].to_string();
        push_named(
            &mut x.organizations,
            &mut x.evidence.organizations,
            name,
            spans.span(&range),
        );
    }
    for list in lists::numbered_lists(text, &clauses) {
        x.numbered_lists
            .push(list.iter().map(|r| text[r.clone()].to_string()).collect());
        x.evidence
            .numbered_lists
            .push(list.iter().map(|r| spans.span(r)).collect());
    }
    x.sections = sections::sections(text, &clauses, &spans);
    x
}

fn push_named(
    names: &mut Vec<String>,
    evidence: &mut BTreeMap<String, Vec<Span>>,
    name: String,
    span: Span,
) {
    if !names.contains(&name) {
        names.push(name.clone());
    }
    evidence.entry(name).or_default().push(span);
}

/// A headline: a short first line followed by more text. None if the text starts straight
/// into its first paragraph.
fn title(text: &str) -> Option<String> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next()?;
    let first = first.trim_start_matches('#').trim();
    let short = first.chars().count() <= 120;
    let sentence_like = first.split_whitespace().count() > 12;
    (lines.next().is_some() && short && !sentence_like && find_dates(first).is_empty())
        .then(|| first.to_string())
}

/// Words before a date that mean "when this happened", and words that mean the date is
/// about the write-up itself.
const EVENT_CUES: &[&str] = &[
    "เมื่อ",
    "วันที่",
    "จัดขึ้น",
    "จัด",
    "ระหว่าง",
    "ในวัน",
    "ณ วัน",
    "กำหนดการ",
];
const PUBLICATION_CUES: &[&str] = &[
    "เผยแพร่",
    "ประกาศ",
    "โพสต์",
    "อัปเดต",
    "อัพเดท",
    "ปรับปรุง",
    "ข่าว ณ",
    "พิมพ์",
];

/// The date the forum took place: a day or a range (never a year alone), preferring one
/// named with a weekday or after an event cue, and never one about publication.
fn event_date(text: &str) -> Option<(Range<usize>, DateValue)> {
    let mut best: Option<(i32, Range<usize>, DateValue)> = None;
    for (i, m) in find_dates(text).into_iter().enumerate() {
        if !matches!(m.value, DateValue::Day(_) | DateValue::Range(..)) {
            continue;
        }
        // What the same line says just before the date.
        let line_start = text[..m.range.start].rfind('\n').map_or(0, |i| i + 1);
        let before = tail(&text[line_start..m.range.start], 25);
        if PUBLICATION_CUES.iter().any(|c| before.contains(c)) {
            continue;
        }
        let mut score = 0;
        if m.weekday {
            score += 3;
        }
        if EVENT_CUES.iter().any(|c| before.contains(c)) {
            score += 2;
        }
        score -= i as i32; // earlier mentions first, other things equal
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, m.range, m.value));
        }
    }
    best.map(|(_, r, v)| (r, v))
}

/// The last `chars` characters of `s`.
fn tail(s: &str, chars: usize) -> &str {
    let start = s
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &s[start..]
}

/// Words before a count of people that make it the number taking part.
const PARTICIPATION_CUES: &[&str] = &[
    "ผู้เข้าร่วม",
    "เข้าร่วม",
    "ผู้ร่วม",
    "ร่วมเวที",
    "ร่วมกิจกรรม",
    "ร่วมประชุม",
    "ผู้เข้าประชุม",
    "ผู้มาร่วม",
    "มีผู้",
    "ตัวแทน",
];
const PEOPLE_UNITS: &[&str] = &["คน", "ราย", "ท่าน"];

fn participants<'f>(text: &str, figures: &'f [Figure]) -> Option<&'f Figure> {
    figures.iter().find(|f| {
        PEOPLE_UNITS.contains(&f.unit.as_str())
            && PARTICIPATION_CUES
                .iter()
                .any(|c| tail(&text[..f.range.start], 30).contains(c))
    })
}

/// Where a figure's phrase starts: up to three words before the number, within its clause.
fn figure_context_start(
    text: &str,
    tokens: &[crate::thai::segment::Token],
    number_start: usize,
) -> usize {
    let i = tokens.partition_point(|t| t.range.end <= number_start);
    let mut start = number_start;
    let mut words = 0;
    for t in tokens[..i].iter().rev() {
        let s = &text[t.range.clone()];
        if s.contains('\n') || (t.kind == crate::thai::segment::TokenKind::Space && words > 0) {
            break;
        }
        if matches!(t.kind, crate::thai::segment::TokenKind::Symbol) {
            break;
        }
        start = t.range.start;
        if t.is_word() {
            words += 1;
            if words == 3 {
                break;
            }
        }
    }
    // Never start on white space.
    start + text[start..number_start].len() - text[start..number_start].trim_start().len()
}

#[cfg(test)]
mod tests;
