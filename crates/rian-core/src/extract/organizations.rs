//! Organizations as written: agencies, offices, councils, funds, universities, networks,
//! media; their short forms (พอช., อบต., รพ.สต.) and English names (WHO, Thai PBS).
//!
//! A Thai name starts at a head noun (สำนักงาน, สภาองค์กรชุมชน, วิทยาลัย, …) and runs on
//! through the words of its clause until a verb or function word. A name that is only
//! its head (กองทุนสวัสดิการชุมชน, สถาบัน) is a kind of organization, not one of them.

use crate::thai::segment::{Token, TokenKind};
use std::ops::Range;

/// Words that begin an organization's name. Longest first where one begins another.
const HEADS: &[&str] = &[
    "คณะกรรมการ",
    "คณะทำงาน",
    "สภาองค์กรชุมชน",
    "สำนักงาน",
    "สำนัก",
    "กองทุน",
    "มหาวิทยาลัย",
    "วิทยาลัย",
    "กระทรวง",
    "กรม",
    "องค์การบริหารส่วน",
    "องค์การ",
    "สถาบัน",
    "มูลนิธิ",
    "สมาคม",
    "ชมรม",
    "สหกรณ์",
    "ศูนย์",
    "โรงพยาบาล",
    "เทศบาล",
    "บริษัท",
    "ธนาคาร",
    "เครือข่าย",
    "วิสาหกิจชุมชน",
    "สถานีโทรทัศน์",
    "หนังสือพิมพ์",
];

/// Heads that name a kind of group anyone may set up: a name of their own needs a place
/// (กองทุนสวัสดิการชุมชนเขตธนบุรี), a proper name, or a Latin part — กองทุนข้าวชุมชน is a kind.
const HEADS_NEEDING_A_NAME: &[&str] = &[
    "กองทุน",
    "เครือข่าย",
    "สหกรณ์",
    "ชมรม",
    "ศูนย์",
    "วิสาหกิจชุมชน",
    "สภาองค์กรชุมชน",
    "คณะกรรมการ",
    "คณะทำงาน",
    "ธนาคาร",
];

/// Words that end a name: verbs and function words a name never contains.
const STOPS: &[&str] = &[
    "ร่วมกับ",
    "ร่วม",
    "ได้",
    "ให้",
    "เป็น",
    "มี",
    "ได้แก่",
    "จัด",
    "ลง",
    "ช่วย",
    "ช่วยกัน",
    "ที่",
    "ซึ่ง",
    "โดย",
    "ทำ",
    "มา",
    "ไป",
    "สามารถ",
    "จะ",
    "ก็",
    "การ",
    "กับ",
    "ใน",
    "จาก",
    "เพื่อ",
    "ต่อ",
    "แก่",
    "นำ",
    "เข้า",
    "หรือ",
    "คือ",
    "เป็นหน่วย",
    "กล่าว",
    "ว่า",
    "ได้รับ",
    "สนับสนุน",
    "ภายใต้",
    "พร้อม",
    "ทั้ง",
    "ทุก",
    "ต่าง",
    "ๆ",
];

/// Short forms of Thai organizations, as written with their dots.
const SHORT_FORMS: &[&str] = &[
    "พอช.",
    "อบต.",
    "อบจ.",
    "รพ.สต.",
    "สสส.",
    "สปสช.",
    "พม.",
    "กศน.",
    "อสม.",
    "ธ.ก.ส.",
    "สพฐ.",
    "สกว.",
    "วช.",
    "สสว.",
    "ปภ.",
    "สสจ.",
    "สสอ.",
    "รพ.",
    "ทต.",
    "ทม.",
    "ทน.",
];

/// All-capital words that are not organizations.
const NOT_ORGANIZATIONS: &[&str] = &[
    "SWOT", "KM", "PDCA", "OTOP", "COVID", "GDP", "KPI", "AI", "IT", "PAR", "SDGS", "SDG", "BCG",
];

/// Byte ranges of organization names, in order of first mention, not overlapping.
pub fn find(text: &str, tokens: &[Token], clauses: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let word = &text[t.range.clone()];
        let found = if t.kind == TokenKind::Latin {
            latin_name(text, tokens, i)
        } else if SHORT_FORMS.contains(&word) {
            // A short form with its place written on (รพ.สต.แม่แรม, อบต.หนองบัว).
            match super::places::any_unit_at(text, t.range.end) {
                Some(end) => {
                    let next = tokens.partition_point(|k| k.range.start < end);
                    Some((t.range.start..end, next))
                }
                None => Some((t.range.clone(), i + 1)),
            }
        } else if t.kind == TokenKind::Thai || t.kind == TokenKind::ThaiUnknown {
            thai_name(text, tokens, clauses, i)
        } else {
            None
        };
        match found {
            Some((range, next)) => {
                out.push(range);
                i = next;
            }
            None => i += 1,
        }
    }
    out
}

/// A run of capitalized Latin words with at least one acronym: WHO, Thai PBS, UNDP.
fn latin_name(text: &str, tokens: &[Token], i: usize) -> Option<(Range<usize>, usize)> {
    let is_cap = |t: &Token| {
        t.kind == TokenKind::Latin
            && text[t.range.clone()]
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
    };
    if !is_cap(&tokens[i]) {
        return None;
    }
    let mut j = i;
    let mut end = tokens[i].range.end;
    // Words joined by single spaces.
    while j + 2 < tokens.len()
        && &text[tokens[j + 1].range.clone()] == " "
        && is_cap(&tokens[j + 2])
    {
        j += 2;
        end = tokens[j].range.end;
    }
    let words: Vec<&str> = (i..=j)
        .step_by(2)
        .map(|k| &text[tokens[k].range.clone()])
        .collect();
    let acronym = |w: &&str| {
        w.chars().count() >= 2
            && w.chars().all(|c| c.is_ascii_uppercase())
            && !NOT_ORGANIZATIONS.contains(w)
    };
    words
        .iter()
        .any(acronym)
        .then(|| (tokens[i].range.start..end, j + 1))
}

/// A Thai name from a head noun to the end of its words (see the module docs).
fn thai_name(
    text: &str,
    tokens: &[Token],
    clauses: &[Range<usize>],
    i: usize,
) -> Option<(Range<usize>, usize)> {
    let start = tokens[i].range.start;
    let rest = &text[start..];
    let head = HEADS.iter().find(|h| rest.starts_with(**h))?;
    // The head must begin at this token (not inside a longer word).
    let clause = clauses.iter().find(|c| c.start <= start && start < c.end)?;
    // A count of networks (30 เครือข่าย) is a figure, not a name.
    let before = text[..start].trim_end_matches([' ', '\t']);
    if ["เครือข่าย", "กองทุน", "ศูนย์", "ชมรม", "สหกรณ์", "องค์กร"].contains(head)
        && before
            .chars()
            .next_back()
            .is_some_and(|c| crate::thai::digit_value(c).is_some())
    {
        return None;
    }
    let mut end = start + head.len();
    let mut j = i;
    while j < tokens.len() && tokens[j].range.end <= end {
        j += 1;
    }
    // Extend through the clause's words until a stop word.
    while j < tokens.len() && tokens[j].range.start < clause.end {
        let t = &tokens[j];
        let w = &text[t.range.clone()];
        if !matches!(t.kind, TokenKind::Thai | TokenKind::ThaiUnknown) || STOPS.contains(&w) {
            break;
        }
        // และ joins two parts of one name, unless another organization begins after it.
        if w == "และ"
            && tokens
                .get(j + 1)
                .is_none_or(|n| HEADS.iter().any(|h| text[n.range.start..].starts_with(h)))
        {
            break;
        }
        end = t.range.end;
        j += 1;
    }
    // A personal or proper name in the next clause completes an institution's name
    // (วิทยาลัยพัฒนศาสตร์ ป๋วยอึ๊งภากรณ์): it starts with a word the dictionary does not know.
    if end == clause.end
        && matches!(*head, "มหาวิทยาลัย" | "วิทยาลัย" | "มูลนิธิ" | "สถาบัน")
        && let Some(next) = clauses.iter().find(|c| c.start > end)
        && text[end..next.start].trim().is_empty()
    {
        let first = tokens.iter().find(|t| t.range.start == next.start);
        if first.is_some_and(|t| t.kind == TokenKind::ThaiUnknown) {
            end = next.end;
            while j < tokens.len() && tokens[j].range.start < end {
                j += 1;
            }
        }
    }
    // A name never ends on a conjunction (…และ), and a legal form in brackets belongs to it:
    // สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน).
    while let Some(head_part) = text[start..end].strip_suffix("และ") {
        end = start + head_part.len();
    }
    for form in [" (องค์การมหาชน)", "(องค์การมหาชน)", " (มหาชน)"]
    {
        if text[end..].starts_with(form) {
            end += form.len();
            while j < tokens.len() && tokens[j].range.start < end {
                j += 1;
            }
            break;
        }
    }
    let name = &text[start..end];
    let needs_name = HEADS_NEEDING_A_NAME.contains(head);
    let has_name = || {
        tokens[i..j].iter().any(|t| {
            t.range.start >= start + head.len()
                && (t.kind != TokenKind::Thai
                    || super::places::is_place_name(&text[t.range.clone()]))
        })
    };
    // Only the kind of organization, without a name of its own.
    let generic = name == *head
        || (needs_name && !has_name())
        || crate::thai::segment::is_domain_term(name)
        || name.ends_with("ชุมชน") && name.len() <= head.len() + "ชุมชน".len();
    (!generic).then(|| (start..end, j.max(i + 1)))
}
