//! Explicit enumerations: `1) … 2) …`, `1. … 2. …`, `(1) … (2) …`, items as written.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Paren,
    Dot,
    Enclosed,
}

struct Marker {
    number: u32,
    style: Style,
    /// The marker's own bytes.
    range: Range<usize>,
}

/// Every list of two or more items numbered from 1, in order. Item ranges are trimmed.
pub fn numbered_lists(text: &str, clauses: &[Range<usize>]) -> Vec<Vec<Range<usize>>> {
    let markers = markers(text);
    let mut lists = Vec::new();
    let mut used = vec![false; markers.len()];
    for (i, first) in markers.iter().enumerate() {
        if used[i] || first.number != 1 {
            continue;
        }
        // Follow 1, 2, 3, … of the same style.
        let mut chain = vec![i];
        let mut expect = 2;
        for (j, m) in markers.iter().enumerate().skip(i + 1) {
            // A new 1 of the same style starts the next list.
            if m.style == first.style && m.number == 1 {
                break;
            }
            if m.style == first.style && m.number == expect && !used[j] {
                chain.push(j);
                expect += 1;
            }
        }
        if chain.len() < 2 {
            continue;
        }
        let mut items = Vec::new();
        for (k, &m) in chain.iter().enumerate() {
            used[m] = true;
            let start = markers[m].range.end;
            let end = match chain.get(k + 1) {
                Some(&next) => markers[next].range.start,
                None => last_item_end(text, clauses, start),
            };
            items.push(trim(text, start..end));
        }
        lists.push(items);
    }
    lists
}

/// The last item runs to the end of its line, but stops before a clause that carries the
/// sentence on (และจะมี…, ซึ่ง…, โดย…).
fn last_item_end(text: &str, clauses: &[Range<usize>], start: usize) -> usize {
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    for c in clauses
        .iter()
        .filter(|c| c.start > start && c.start < line_end)
    {
        let clause = &text[c.clone()];
        if ["และ", "ซึ่ง", "โดย", "ทั้งนี้", "นอกจากนี้", "จากนั้น", "ส่วน"]
            .iter()
            .any(|w| clause.starts_with(w))
        {
            return c.start;
        }
    }
    line_end
}

fn trim(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    let mut out = r.start + lead..r.end - trail;
    // A list item does not keep the sentence's comma or semicolon.
    while text[out.clone()].ends_with([',', ';']) {
        out.end -= 1;
    }
    out
}

/// Numbers 1–99 written as list markers: at a line start or after white space, followed by
/// `)` or `.` then white space, or enclosed in parentheses.
fn markers(text: &str) -> Vec<Marker> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let at_start = i == 0 || matches!(bytes[i - 1], b' ' | b'\n' | b'\t');
        if !at_start {
            i += 1;
            continue;
        }
        let enclosed = bytes[i] == b'(';
        let digits_at = i + usize::from(enclosed);
        let digits = bytes[digits_at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if !(1..=2).contains(&digits) {
            i += 1;
            continue;
        }
        let after = digits_at + digits;
        let number: u32 = text[digits_at..after].parse().unwrap_or(0);
        let style = match (enclosed, bytes.get(after)) {
            (true, Some(b')')) => Some(Style::Enclosed),
            (false, Some(b')')) => Some(Style::Paren),
            (false, Some(b'.')) => Some(Style::Dot),
            _ => None,
        };
        // The marker must be followed by white space or text, not by more digits (2.5).
        let followed = bytes.get(after + 1).is_none_or(|b| !b.is_ascii_digit());
        match style {
            Some(style) if followed && number > 0 => {
                out.push(Marker {
                    number,
                    style,
                    range: i..after + 1,
                });
                i = after + 1;
            }
            _ => i += 1,
        }
    }
    out
}
