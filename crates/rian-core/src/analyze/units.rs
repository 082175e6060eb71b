//! The paragraphs and clauses of a text, for counting codes that occur together.
//!
//! A paragraph is a line (write-ups put one paragraph per line; blank lines hold none).
//! A clause is what [`Segmenter::clauses`] finds: Thai sets clauses off with spaces.

use crate::thai::segment::Segmenter;

/// Where a span sits: the first and last paragraph and clause it touches (ordinals from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub paragraphs: (i64, i64),
    pub clauses: (i64, i64),
}

/// The start of every paragraph and clause of a text, in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Units {
    paragraphs: Vec<i64>,
    clauses: Vec<i64>,
}

impl Units {
    pub fn of(text: &str) -> Units {
        // Byte offset → character offset, as spans count.
        let mut chars_before = vec![0i64; text.len() + 1];
        let mut n = 0;
        for (b, c) in text.char_indices() {
            for slot in &mut chars_before[b..b + c.len_utf8()] {
                *slot = n;
            }
            n += 1;
        }
        chars_before[text.len()] = n;
        let mut paragraphs = vec![0];
        paragraphs.extend(
            text.char_indices()
                .filter(|&(_, c)| c == '\n')
                .map(|(b, _)| chars_before[b] + 1),
        );
        let mut clauses = vec![0];
        clauses.extend(
            Segmenter::builtin()
                .clauses(text)
                .into_iter()
                .map(|r| chars_before[r.start]),
        );
        clauses.dedup();
        Units {
            paragraphs,
            clauses,
        }
    }

    /// Every clause as a span (in characters, end exclusive) of a text `len` long.
    pub fn clause_spans(&self, len: i64) -> Vec<(i64, i64)> {
        let mut out = Vec::with_capacity(self.clauses.len());
        for (i, &start) in self.clauses.iter().enumerate() {
            let end = self.clauses.get(i + 1).copied().unwrap_or(len).min(len);
            if end > start {
                out.push((start, end));
            }
        }
        out
    }

    /// The units a span (in characters, end exclusive) touches.
    pub fn place(&self, start: i64, end: i64) -> Placed {
        let last = (end - 1).max(start);
        let find = |starts: &[i64], at: i64| starts.partition_point(|&s| s <= at) as i64 - 1;
        Placed {
            paragraphs: (
                find(&self.paragraphs, start).max(0),
                find(&self.paragraphs, last).max(0),
            ),
            clauses: (
                find(&self.clauses, start).max(0),
                find(&self.clauses, last).max(0),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_of(text: &str, part: &str) -> (i64, i64) {
        let byte = text.find(part).unwrap();
        let start = text[..byte].chars().count() as i64;
        (start, start + part.chars().count() as i64)
    }

    #[test]
    fn lines_are_paragraphs_and_thai_spaces_are_clauses() {
        let text = "ชุมชนมีกองทุนสวัสดิการ สมาชิก 120 คน ช่วยเหลือผู้สูงอายุ\nปัญหาคือขยะ. แก้โดยธนาคารขยะ";
        let u = Units::of(text);
        let place = |part| {
            let (s, e) = span_of(text, part);
            u.place(s, e)
        };
        assert_eq!(place("กองทุน").clauses, (0, 0));
        // A number between spaces stays in its clause.
        assert_eq!(place("สมาชิก 120 คน").clauses, (1, 1));
        assert_eq!(place("ผู้สูงอายุ").clauses, (2, 2));
        assert_eq!(place("ผู้สูงอายุ").paragraphs, (0, 0));
        assert_eq!(place("ขยะ. แก้").clauses, (3, 4));
        assert_eq!(place("ธนาคารขยะ").paragraphs, (1, 1));
        assert_eq!(place("สวัสดิการ สมาชิก").clauses, (0, 1));
        let (s, e) = span_of(text, "อายุ\nปัญหา");
        assert_eq!(u.place(s, e).paragraphs, (0, 1));
    }

    proptest::proptest! {
        #[test]
        fn later_spans_never_sit_in_earlier_units(text in "[ก-ฮ0-9a \\n.]{1,80}", a in 0usize..80, b in 0usize..80) {
            let u = Units::of(&text);
            let n = text.chars().count() as i64;
            let (s1, s2) = ((a.min(b) as i64).min(n - 1), (a.max(b) as i64).min(n - 1));
            let (p1, p2) = (u.place(s1, s1 + 1), u.place(s2, s2 + 1));
            proptest::prop_assert!(p1.paragraphs.0 <= p2.paragraphs.0);
            proptest::prop_assert!(p1.clauses.0 <= p2.clauses.0);
            let whole = u.place(s1, s2 + 1);
            proptest::prop_assert_eq!(whole.paragraphs, (p1.paragraphs.0, p2.paragraphs.1));
            proptest::prop_assert_eq!(whole.clauses, (p1.clauses.0, p2.clauses.1));
            // Within one line, one paragraph.
            let line = text.chars().take(s2 as usize + 1).skip(s1 as usize).all(|c| c != '\n');
            proptest::prop_assert!(!line || whole.paragraphs.0 == whole.paragraphs.1);
        }
    }
}
