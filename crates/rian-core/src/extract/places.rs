//! Places: the venue phrase, provinces and sub-districts, resolved against the gazetteer.

use crate::gazetteer::{Gazetteer, Level};
use crate::thai::segment::{Token, TokenKind};
use std::ops::Range;

/// The venue as written: the phrase after ณ (or after สถานที่ / จัดขึ้นที่), with the
/// district or province that follows it as part of the address.
pub fn venue(text: &str, clauses: &[Range<usize>]) -> Option<Range<usize>> {
    for (i, clause) in clauses.iter().enumerate() {
        let c = &text[clause.clone()];
        // "… 2566 ณ" ends a clause; the place is the next one.
        let next_is_place = c.ends_with(" ณ") || c == "ณ";
        let inline = ["ณ ", "สถานที่ ", "สถานที่:", "จัดขึ้นที่", "สถานที่จัด"]
            .iter()
            .find_map(|cue| c.find(cue).map(|at| clause.start + at + cue.len()));
        let start_clause = if next_is_place {
            clauses.get(i + 1).cloned()
        } else if let Some(start) = inline {
            let s =
                start + text[start..clause.end].len() - text[start..clause.end].trim_start().len();
            (s < clause.end).then_some(s..clause.end)
        } else {
            None
        };
        let Some(mut range) = start_clause else {
            continue;
        };
        let following = if next_is_place { i + 2 } else { i + 1 };
        // An address continues with its district or province (กรุงเทพมหานคร, จ.สตูล).
        for next in clauses.iter().skip(following).take(2) {
            if is_address_part(&text[next.clone()]) {
                range.end = next.end;
            } else {
                break;
            }
        }
        return Some(range);
    }
    None
}

fn is_address_part(clause: &str) -> bool {
    let g = Gazetteer::builtin();
    let bare = clause
        .trim_start_matches("จังหวัด")
        .trim_start_matches("จ.")
        .trim_start_matches("อำเภอ")
        .trim_start_matches("อ.")
        .trim_start_matches("เขต")
        .trim();
    g.province(clause).is_some()
        || g.named(bare)
            .any(|u| matches!(u.level, Level::Province | Level::District))
}

/// Province mentions in order: จ./จังหวัด + name, Bangkok in any of its forms, and a
/// province name standing alone as a word.
pub fn provinces(text: &str, tokens: &[Token]) -> Vec<(String, Range<usize>)> {
    let g = Gazetteer::builtin();
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let word = &text[t.range.clone()];
        // Bangkok is written กรุงเทพมหานคร, กรุงเทพฯ, กรุงเทพ, กทม.
        if word.starts_with("กรุงเทพ") || word == "กทม." {
            let mut end = t.range.end;
            if let Some(n) = tokens.get(i + 1).filter(|n| &text[n.range.clone()] == "ฯ") {
                end = n.range.end;
            }
            if word == "กรุงเทพ" || word == "กรุงเทพมหานคร" || word == "กทม."
            {
                out.push(("กรุงเทพมหานคร".to_string(), t.range.start..end));
            }
            continue;
        }
        let prefixed = word == "จ." || word == "จังหวัด";
        if prefixed {
            // The name follows, possibly after a space, and may be segmented in pieces.
            let mut at = t.range.end;
            at += text[at..].len() - text[at..].trim_start_matches(' ').len();
            if let Some((name, end)) = longest_unit(text, at, Level::Province) {
                out.push((name.to_string(), t.range.start..end));
            }
            continue;
        }
        // เลย, แพร่ and ตาก are everyday words before they are provinces.
        if t.kind == TokenKind::Thai
            && !matches!(word, "เลย" | "แพร่" | "ตาก")
            && !preceded_by_district_word(text, t.range.start)
            && let Some(p) = g.named(word).find(|u| u.level == Level::Province)
        {
            out.push((p.name_th.to_string(), t.range.clone()));
        }
    }
    out
}

fn preceded_by_district_word(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    [
        "อำเภอ",
        "อ.",
        "เมือง",
        "เขต",
        "ตำบล",
        "ต.",
        "แขวง",
        "ถนน",
        "ถ.",
        "ชุมชน",
    ]
    .iter()
    .any(|w| before.ends_with(w))
}

/// The longest gazetteer name of `level` that the text continues with at `at`, and where
/// it ends. Names are at most 30 characters.
pub fn longest_unit(text: &str, at: usize, level: Level) -> Option<(&'static str, usize)> {
    let g = Gazetteer::builtin();
    let rest = &text[at..];
    let mut best = None;
    for (n, (i, c)) in rest.char_indices().enumerate() {
        if n >= 30 {
            break;
        }
        let end = i + c.len_utf8();
        // A name ends where a word may end: not before a mark or a following vowel.
        let next = rest[end..].chars().next();
        if next.is_some_and(|d| !crate::thai::segment::can_break_between(c, d)) {
            continue;
        }
        if let Some(u) = g.named(&rest[..end]).find(|u| u.level == level) {
            best = Some((u.name_th, at + end));
        }
    }
    best
}

/// Sub-districts (ตำบล, ต., แขวง) and Bangkok's districts (เขต), by name without the prefix,
/// when the gazetteer knows the name.
pub fn tambons(text: &str) -> Vec<(String, Range<usize>)> {
    const PREFIXES: [(&str, Level); 4] = [
        ("ตำบล", Level::Subdistrict),
        ("ต.", Level::Subdistrict),
        ("แขวง", Level::Subdistrict),
        ("เขต", Level::District),
    ];
    let g = Gazetteer::builtin();
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let found = PREFIXES.iter().find(|(p, _)| rest.starts_with(p));
        let Some((prefix, level)) = found else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let mut at = i + prefix.len();
        at += text[at..].len() - text[at..].trim_start_matches(' ').len();
        let unit = longest_unit(text, at, *level).filter(|(name, _)| {
            // เขต names a district only in Bangkok.
            *level == Level::Subdistrict
                || g.named(name)
                    .any(|u| u.level == Level::District && u.in_bangkok())
        });
        match unit {
            Some((name, end)) => {
                out.push((name.to_string(), i..end));
                i = end;
            }
            None => i += prefix.len(),
        }
    }
    out
}
