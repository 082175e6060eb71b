//! Places: the venue phrase, provinces and sub-districts, resolved against the gazetteer.

use crate::gazetteer::{Gazetteer, Level};
use crate::thai::segment::{Token, TokenKind};
use std::ops::Range;

/// The venue as written: the phrase after ณ (or สถานที่, จัดขึ้นที่), or failing that after
/// ที่ + a kind of place (ที่วัด…, ที่ศาลา…), with the sub-district, district and province
/// that follow it as its address.
pub fn venue(text: &str, clauses: &[Range<usize>]) -> Option<Range<usize>> {
    const CUES: [&str; 4] = ["ณ", "สถานที่", "จัดขึ้นที่", "สถานที่จัด"];
    const PLACE_NOUNS: [&str; 10] = [
        "วัด",
        "ศาลา",
        "ห้องประชุม",
        "อาคาร",
        "โรงเรียน",
        "หอประชุม",
        "ลาน",
        "ศูนย์",
        "สำนักงาน",
        "บ้าน",
    ];
    let starts_word = |at: usize| at == 0 || text[..at].ends_with([' ', '\n', '\t']);
    let cue_at = |clause: &Range<usize>| -> Option<usize> {
        let c = &text[clause.clone()];
        CUES.iter().find_map(|cue| {
            c.match_indices(cue).find_map(|(i, _)| {
                let at = clause.start + i;
                let after = at + cue.len();
                let followed = text[after..].starts_with([' ', ':']) || after == clause.end;
                (starts_word(at) && followed).then_some(after)
            })
        })
    };
    let noun_at = |clause: &Range<usize>| -> Option<usize> {
        let c = &text[clause.clone()];
        c.match_indices("ที่").find_map(|(i, _)| {
            let at = clause.start + i;
            let after = at + "ที่".len();
            (starts_word(at) && PLACE_NOUNS.iter().any(|n| text[after..].starts_with(n)))
                .then_some(after)
        })
    };
    for find in [&cue_at as &dyn Fn(&Range<usize>) -> Option<usize>, &noun_at] {
        for (i, clause) in clauses.iter().enumerate() {
            let Some(after) = find(clause) else { continue };
            let rest = &text[after..clause.end];
            let s = after + rest.len() - rest.trim_start_matches([' ', ':']).len();
            // "… 2566 ณ" ends a clause; the place is the next one.
            let (mut range, following) = if s >= clause.end {
                match clauses.get(i + 1) {
                    Some(next) => (next.clone(), i + 2),
                    None => continue,
                }
            } else {
                (s..clause.end, i + 1)
            };
            // An address continues with its sub-district, district and province.
            for next in clauses.iter().skip(following).take(3) {
                if is_address_part(&text[next.clone()]) {
                    range.end = next.end;
                } else {
                    break;
                }
            }
            return Some(range);
        }
    }
    None
}

fn is_address_part(clause: &str) -> bool {
    let g = Gazetteer::builtin();
    if g.province(clause).is_some() {
        return true;
    }
    let prefixed = [
        ("จังหวัด", Level::Province),
        ("จ.", Level::Province),
        ("อำเภอ", Level::District),
        ("อ.", Level::District),
        ("เขต", Level::District),
        ("ตำบล", Level::Subdistrict),
        ("ต.", Level::Subdistrict),
        ("แขวง", Level::Subdistrict),
    ];
    prefixed.iter().any(|(p, level)| {
        clause
            .strip_prefix(p)
            .is_some_and(|name| g.named(name.trim()).any(|u| u.level == *level))
    })
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

/// A sub-district mention: its name, where it is, and its official code when the text
/// says enough (its district or province) to tell it from others of the same name.
pub struct TambonMention {
    pub name: String,
    pub range: Range<usize>,
    pub code: Option<&'static str>,
}

/// Sub-districts (ตำบล, ต., แขวง) and Bangkok's districts (เขต), by name without the prefix,
/// when the gazetteer knows the name.
pub fn tambons(text: &str) -> Vec<TambonMention> {
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
                out.push(TambonMention {
                    name: name.to_string(),
                    range: i..end,
                    code: resolve(text, name, *level, end),
                });
                i = end;
            }
            None => i += prefix.len(),
        }
    }
    out
}

/// The one unit of this name and level that fits the district and province the text gives
/// right after it (ต.หนองบัว อ.เมืองกาญจนบุรี จ.กาญจนบุรี), if exactly one does.
fn resolve(text: &str, name: &str, level: Level, after: usize) -> Option<&'static str> {
    let g = Gazetteer::builtin();
    let line_end = text[after..].find('\n').map_or(text.len(), |i| after + i);
    let window_end = text[after..line_end]
        .char_indices()
        .nth(80)
        .map_or(line_end, |(i, _)| after + i);
    let window = &text[after..window_end];
    let named_after = |prefixes: &[&str], level: Level| -> Option<&'static str> {
        prefixes.iter().find_map(|p| {
            let at = window.find(p)? + p.len();
            let start = after + at;
            let start = start + text[start..].len() - text[start..].trim_start_matches(' ').len();
            longest_unit(text, start, level).map(|(n, _)| n)
        })
    };
    let district = named_after(&["อำเภอ", "อ.", "เขต"], Level::District);
    let province = named_after(&["จังหวัด", "จ."], Level::Province)
        .or_else(|| window.contains("กรุงเทพ").then_some("กรุงเทพมหานคร"));
    let candidates: Vec<&crate::gazetteer::Unit> = g
        .named(name)
        .filter(|u| u.level == level)
        .filter(|u| {
            district.is_none_or(|d| {
                level == Level::District || g.parent(u).is_some_and(|p| p.name_th == d)
            })
        })
        .filter(|u| province.is_none_or(|p| g.province_of(u).is_some_and(|q| q.name_th == p)))
        .collect();
    match candidates.as_slice() {
        [one] => Some(one.code),
        _ => None,
    }
}

/// True if the gazetteer knows `word` as a place at any level.
pub fn is_place_name(word: &str) -> bool {
    Gazetteer::builtin().named(word).next().is_some()
}

/// Where a place name written at `at` (with no space) ends, at any level.
pub fn any_unit_at(text: &str, at: usize) -> Option<usize> {
    [Level::Subdistrict, Level::District, Level::Province]
        .iter()
        .filter_map(|l| longest_unit(text, at, *l).map(|(_, end)| end))
        .max()
}
