//! Bytes → normalized text, with a map back to the original bytes.
//!
//! The steps, in order:
//! 1. **Decode**: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark,
//!    or the legacy Thai single-byte encodings TIS-620 / Windows-874, detected from the
//!    bytes. Binary input is refused.
//! 2. **Repair** typing faults found in real Thai documents: ◌ํ + า typed for ◌ำ (also
//!    with a tone mark typed between or before them), เ + เ typed for แ, doubled marks,
//!    a tone mark typed before an upper vowel, zero-width spaces and joiners, non-breaking
//!    and other Unicode spaces, CR and CRLF line ends.
//! 3. **NFC** (never NFKC: it decomposes ◌ำ into ◌ํ + า and shifts every later offset).
//!
//! Every character of the result remembers the byte range of the original it came from,
//! so a span found in the normalized text can be shown in the original. Thai digits are
//! left as they are: readers of numbers accept them, the text is not rewritten.

use std::fmt;
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Mostly UTF-8, but not valid at `offset` (a corrupted or truncated file).
    NotUtf8 { offset: usize },
    /// A UTF-16 file (it starts with a byte-order mark) that is broken at `offset`.
    NotUtf16 { offset: usize },
    /// Not text in any encoding rian reads (e.g. a NUL byte at `offset`).
    Binary { offset: usize },
    /// Text, but in an encoding rian does not read (Shift_JIS, say): neither UTF-8, nor
    /// UTF-16 with its mark, nor Thai in TIS-620 / Windows-874.
    UnknownEncoding,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::NotUtf8 { offset } => write!(
                f,
                "ข้อความ UTF-8 เสียหายที่ไบต์ {offset} / invalid UTF-8 at byte {offset}"
            ),
            DecodeError::NotUtf16 { offset } => write!(
                f,
                "ข้อความ UTF-16 เสียหายที่ไบต์ {offset} / invalid UTF-16 at byte {offset}"
            ),
            DecodeError::UnknownEncoding => write!(
                f,
                "ไม่ได้เข้ารหัสอักขระแบบที่ rian อ่านได้ (UTF-8, UTF-16 หรือ TIS-620) บันทึกเป็น UTF-8 แล้วนำเข้าอีกครั้ง / not in an encoding rian reads (UTF-8, UTF-16 or TIS-620): save it as UTF-8 and import again"
            ),
            DecodeError::Binary { offset } => write!(
                f,
                "ไม่ใช่ไฟล์ข้อความ (พบข้อมูลไบนารีที่ไบต์ {offset}) / not a text file (binary data at byte {offset})"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// The encoding the bytes were read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// TIS-620 or its superset Windows-874 (cp874): read as Windows-874.
    Windows874,
}

impl SourceEncoding {
    pub fn name(self) -> &'static str {
        match self {
            SourceEncoding::Utf8 => "UTF-8",
            SourceEncoding::Utf8Bom => "UTF-8 (BOM)",
            SourceEncoding::Utf16Le => "UTF-16LE",
            SourceEncoding::Utf16Be => "UTF-16BE",
            SourceEncoding::Windows874 => "TIS-620/Windows-874",
        }
    }
}

/// Normalized text and where each of its characters came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub text: String,
    pub encoding: SourceEncoding,
    /// For the i-th character of `text`, the byte range of the original it came from.
    /// Characters that came from the same original bytes (a repair) share that range.
    origin: Vec<(u32, u32)>,
}

impl Normalized {
    /// The byte range of the original that a range of characters of `text` came from.
    /// An empty range maps to an empty range at the same place.
    pub fn original_range(&self, chars: Range<usize>) -> Range<usize> {
        let n = self.origin.len();
        let end_char = chars.end.min(n);
        let start_char = chars.start.min(end_char);
        if start_char == end_char {
            let at = self
                .origin
                .get(start_char)
                .map(|o| o.0)
                .or_else(|| self.origin.last().map(|o| o.1))
                .unwrap_or(0) as usize;
            return at..at;
        }
        let start = self.origin[start_char..end_char]
            .iter()
            .map(|o| o.0)
            .min()
            .unwrap_or(0);
        let end = self.origin[start_char..end_char]
            .iter()
            .map(|o| o.1)
            .max()
            .unwrap_or(start);
        start as usize..end as usize
    }

    /// Number of characters (Unicode scalar values) of `text`.
    pub fn char_len(&self) -> usize {
        self.origin.len()
    }
}

/// A character on its way through the steps, with the original bytes it came from.
#[derive(Debug, Clone, Copy)]
struct Traced {
    c: char,
    from: u32,
    to: u32,
}

/// Decodes and normalizes bytes.
pub fn normalize_bytes(bytes: &[u8]) -> Result<Normalized, DecodeError> {
    let (chars, encoding) = decode(bytes)?;
    if let Some(t) = chars.iter().find(|t| is_binary_control(t.c)) {
        return Err(DecodeError::Binary {
            offset: t.from as usize,
        });
    }
    let chars = repair_and_compose(chars);
    let mut text = String::with_capacity(bytes.len());
    text.extend(chars.iter().map(|t| t.c));
    let origin = chars.iter().map(|t| (t.from, t.to)).collect();
    Ok(Normalized {
        text,
        encoding,
        origin,
    })
}

/// Normalizes text that is already decoded (repairs + NFC).
pub fn normalize(text: &str) -> String {
    let chars = text
        .char_indices()
        .map(|(i, c)| Traced {
            c,
            from: i as u32,
            to: (i + c.len_utf8()) as u32,
        })
        .collect();
    repair_and_compose(chars).iter().map(|t| t.c).collect()
}

/// Repairs and composes until nothing changes: composing can reorder marks into a
/// pattern that a repair fixes (a tone mark moved before an upper vowel).
fn repair_and_compose(chars: Vec<Traced>) -> Vec<Traced> {
    let mut current = nfc(repair(chars));
    // Bounded: each pass is linear, and a hostile text must not make it quadratic.
    for _ in 0..8 {
        let next = nfc(repair(current.clone()));
        if next.len() == current.len() && next.iter().zip(&current).all(|(a, b)| a.c == b.c) {
            break;
        }
        current = next;
    }
    current
}

// ---- 1. decode ---------------------------------------------------------------------------

fn decode(bytes: &[u8]) -> Result<(Vec<Traced>, SourceEncoding), DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, 3).map(|c| (c, SourceEncoding::Utf8Bom));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes).map(|c| (c, SourceEncoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes).map(|c| (c, SourceEncoding::Utf16Be));
    }
    match utf8(bytes, 0) {
        Ok(chars) => Ok((chars, SourceEncoding::Utf8)),
        Err(err) if looks_like_utf8(bytes) => Err(err),
        Err(_) => windows_874(bytes)
            .map(|c| (c, SourceEncoding::Windows874))
            .ok_or_else(|| {
                // Control bytes say binary data; without them it is text in another
                // encoding.
                match bytes.iter().position(|&b| is_binary_control(char::from(b))) {
                    Some(offset) => DecodeError::Binary { offset },
                    None => DecodeError::UnknownEncoding,
                }
            }),
    }
}

fn utf8(bytes: &[u8], base: usize) -> Result<Vec<Traced>, DecodeError> {
    let text = std::str::from_utf8(bytes).map_err(|e| DecodeError::NotUtf8 {
        offset: base + e.valid_up_to(),
    })?;
    Ok(text
        .char_indices()
        .map(|(i, c)| Traced {
            c,
            from: (base + i) as u32,
            to: (base + i + c.len_utf8()) as u32,
        })
        .collect())
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<Vec<Traced>, DecodeError> {
    const BOM: usize = 2;
    if !bytes.len().is_multiple_of(2) {
        return Err(DecodeError::NotUtf16 {
            offset: BOM + bytes.len() - 1,
        });
    }
    let units = bytes.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    let mut out = Vec::with_capacity(bytes.len() / 2);
    let mut at = BOM;
    for decoded in char::decode_utf16(units) {
        let c = decoded.map_err(|_| DecodeError::NotUtf16 { offset: at })?;
        let len = c.len_utf16() * 2;
        out.push(Traced {
            c,
            from: at as u32,
            to: (at + len) as u32,
        });
        at += len;
    }
    Ok(out)
}

/// True if the bytes hold well-formed multi-byte UTF-8 sequences, so that an invalid
/// byte is damage to a UTF-8 file rather than a sign of a legacy encoding.
fn looks_like_utf8(bytes: &[u8]) -> bool {
    let mut valid_sequences = 0usize;
    let mut invalid = 0usize;
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_sequences += s.bytes().filter(|b| *b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let (good, _) = rest.split_at(e.valid_up_to());
                valid_sequences += good.iter().filter(|b| **b >= 0xC0).count();
                match e.error_len() {
                    // Cut off in the middle of a sequence at the very end: truncated UTF-8.
                    None => return valid_sequences > 0 || rest.len() < 4,
                    Some(n) => {
                        invalid += 1;
                        rest = &rest[e.valid_up_to() + n..];
                    }
                }
            }
        }
    }
    // Thai in TIS-620 almost never forms valid UTF-8 sequences by chance; a handful does.
    // A damaged UTF-8 file is mostly valid; another encoding is mostly not.
    valid_sequences >= 4 && valid_sequences >= invalid
}

fn windows_874(bytes: &[u8]) -> Option<Vec<Traced>> {
    let text =
        encoding_rs::WINDOWS_874.decode_without_bom_handling_and_without_replacement(bytes)?;
    // A single-byte encoding: the i-th character is the i-th byte.
    let chars: Vec<Traced> = text
        .chars()
        .enumerate()
        .map(|(i, c)| Traced {
            c,
            from: i as u32,
            to: i as u32 + 1,
        })
        .collect();
    // Real Thai text in a legacy encoding is mostly Thai where it is not ASCII; random
    // binary data decodes to Latin-1-like punctuation and control characters.
    let high = chars.iter().filter(|t| !t.c.is_ascii()).count();
    let plausible = chars
        .iter()
        .filter(|t| {
            is_thai(t.c) || matches!(t.c, '\u{00A0}' | '\u{2013}'..='\u{2026}' | '\u{20AC}')
        })
        .count();
    (high == 0 || plausible * 10 >= high * 9).then_some(chars)
}

fn is_binary_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}')) || c == '\u{7F}'
}

// ---- 2. repair ---------------------------------------------------------------------------

fn is_thai(c: char) -> bool {
    ('\u{0E01}'..='\u{0E5B}').contains(&c)
}

/// Tone marks and the thanthakhat: ◌่ ◌้ ◌๊ ◌๋ ◌์.
fn is_tone(c: char) -> bool {
    ('\u{0E48}'..='\u{0E4C}').contains(&c)
}

/// Upper vowels that a tone mark sits above: ◌ั ◌ิ ◌ี ◌ึ ◌ื ◌็.
fn is_upper_vowel(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E37}' | '\u{0E47}')
}

/// Thai marks that combine with the preceding consonant.
fn is_thai_mark(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
}

const NIKHAHIT: char = '\u{0E4D}';
const SARA_AA: char = '\u{0E32}';
const SARA_AM: char = '\u{0E33}';
const SARA_E: char = '\u{0E40}';
const SARA_AE: char = '\u{0E41}';

fn merge(a: Traced, b: Traced, c: char) -> Traced {
    Traced {
        c,
        from: a.from.min(b.from),
        to: a.to.max(b.to),
    }
}

fn repair(chars: Vec<Traced>) -> Vec<Traced> {
    let mut out: Vec<Traced> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let t = chars[i];
        let next = chars.get(i + 1).map(|n| n.c);
        match t.c {
            // Invisible characters that only break searching and counting.
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
            // Line ends: CRLF and CR become LF.
            '\r' => {
                if next == Some('\n') {
                    out.push(Traced {
                        c: '\n',
                        from: t.from,
                        to: chars[i + 1].to,
                    });
                    i += 1;
                } else {
                    out.push(Traced { c: '\n', ..t });
                }
            }
            // Non-breaking and typographic spaces become plain spaces.
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
                out.push(Traced { c: ' ', ..t })
            }
            // ◌ํ + า typed for ◌ำ, possibly with a tone mark typed between them.
            NIKHAHIT if next == Some(SARA_AA) => {
                out.push(merge(t, chars[i + 1], SARA_AM));
                i += 1;
            }
            NIKHAHIT
                if next.is_some_and(is_tone) && chars.get(i + 2).map(|n| n.c) == Some(SARA_AA) =>
            {
                out.push(chars[i + 1]);
                out.push(merge(t, chars[i + 2], SARA_AM));
                i += 2;
            }
            // เ + เ typed for แ.
            SARA_E if next == Some(SARA_E) => {
                out.push(merge(t, chars[i + 1], SARA_AE));
                i += 1;
            }
            // A mark typed twice in a row (a key held too long).
            c if is_thai_mark(c) && out.last().is_some_and(|p| p.c == c) => {
                if let Some(p) = out.last_mut() {
                    p.to = p.to.max(t.to);
                }
            }
            // An upper vowel typed after the tone marks that should sit above it: it goes
            // before all of them at once, so that one pass leaves nothing to move.
            c if is_upper_vowel(c) && out.last().is_some_and(|p| is_tone(p.c)) => {
                let tones = out.iter().rev().take_while(|p| is_tone(p.c)).count();
                out.insert(out.len() - tones, t);
            }
            _ => out.push(t),
        }
        i += 1;
    }
    out
}

// ---- 3. NFC ------------------------------------------------------------------------------

/// Composes to NFC run by run (a starter and the marks after it), so that each output
/// character keeps the original bytes of its run; an unchanged run keeps them exactly.
fn nfc(chars: Vec<Traced>) -> Vec<Traced> {
    if chars.iter().all(|t| t.c.is_ascii()) {
        return chars;
    }
    let mut out = Vec::with_capacity(chars.len());
    let mut start = 0;
    for i in 1..=chars.len() {
        let boundary = i == chars.len() || is_run_start(chars[i].c);
        if !boundary {
            continue;
        }
        let run = &chars[start..i];
        let composed: Vec<char> = run.iter().map(|t| t.c).nfc().collect();
        if composed.len() == run.len() && composed.iter().zip(run).all(|(c, t)| *c == t.c) {
            out.extend_from_slice(run);
        } else if composed.len() == run.len() {
            // Reordered marks (e.g. a below vowel after a tone mark): same bytes, new order.
            let from = run.iter().map(|t| t.from).min().unwrap_or(0);
            let to = run.iter().map(|t| t.to).max().unwrap_or(from);
            out.extend(composed.into_iter().map(|c| Traced { c, from, to }));
        } else {
            let from = run.iter().map(|t| t.from).min().unwrap_or(0);
            let to = run.iter().map(|t| t.to).max().unwrap_or(from);
            out.extend(composed.into_iter().map(|c| Traced { c, from, to }));
        }
        start = i;
    }
    // Runs compose independently only if no composition crosses a run start; for the rare
    // scripts where one does (Hangul jamo, some Indic vowels), compose the whole text.
    if !unicode_normalization::is_nfc(&out.iter().map(|t| t.c).collect::<String>()) {
        let from = chars.first().map(|t| t.from).unwrap_or(0);
        let to = chars.last().map(|t| t.to).unwrap_or(0);
        return chars
            .iter()
            .map(|t| t.c)
            .nfc()
            .map(|c| Traced { c, from, to })
            .collect();
    }
    out
}

fn is_run_start(c: char) -> bool {
    canonical_combining_class(c) == 0 && !unicode_normalization::char::is_combining_mark(c)
        || c.is_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn norm(s: &str) -> String {
        normalize_bytes(s.as_bytes()).unwrap().text
    }

    #[test]
    fn drops_bom_and_crlf() {
        let n = normalize_bytes("\u{FEFF}เวที\r\nสรุปบทเรียน\r".as_bytes()).unwrap();
        assert_eq!(n.text, "เวที\nสรุปบทเรียน\n");
        assert_eq!(n.encoding, SourceEncoding::Utf8Bom);
        // "เ" is the first character; in the original it sits after the 3-byte BOM.
        assert_eq!(n.original_range(0..1), 3..6);
    }

    #[test]
    fn keeps_sara_am_whole() {
        // NFKC would turn ำ into ํา; NFC must not.
        assert_eq!(norm("น้ำ ทำ"), "น้ำ ทำ");
    }

    #[test]
    fn repairs_typing_faults() {
        assert_eq!(norm("ทํา"), "ทำ", "nikhahit + sara aa");
        assert_eq!(norm("น้ํา"), "น้ำ", "tone, nikhahit, sara aa");
        assert_eq!(norm("นํ้า"), "น้ำ", "nikhahit, tone, sara aa");
        assert_eq!(norm("เเม่"), "แม่", "two sara e");
        assert_eq!(norm("ที่่"), "ที่", "doubled tone mark");
        assert_eq!(norm("ก่ี"), "กี่", "tone before upper vowel");
        assert_eq!(norm("กุ่"), "กุ่");
        assert_eq!(norm("กุ่"), "กุ่", "NFC puts the below vowel first");
        assert_eq!(norm("ชุม\u{200B}ชน\u{00A0}เข้ม\u{200D}แข็ง"), "ชุมชน เข้มแข็ง");
    }

    #[test]
    fn keeps_thai_digits() {
        assert_eq!(norm("๒๕๖๖"), "๒๕๖๖");
    }

    #[test]
    fn reads_tis620_and_windows874() {
        // "เวที ๒๕๖๖" in TIS-620, and a cp874 ellipsis (0x85).
        let bytes = [0xE0, 0xC7, 0xB7, 0xD5, 0x20, 0xF2, 0xF5, 0xF6, 0xF6, 0x85];
        let n = normalize_bytes(&bytes).unwrap();
        assert_eq!(n.encoding, SourceEncoding::Windows874);
        assert_eq!(n.text, "เวที ๒๕๖๖…");
        assert_eq!(n.original_range(5..9), 5..9);
    }

    #[test]
    fn reads_utf16_with_bom() {
        for (bom, le) in [([0xFF, 0xFE], true), ([0xFE, 0xFF], false)] {
            let mut bytes = bom.to_vec();
            for u in "ชุมชน\r\n".encode_utf16() {
                bytes.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            let n = normalize_bytes(&bytes).unwrap();
            assert_eq!(n.text, "ชุมชน\n");
            assert_eq!(n.original_range(1..2), 4..6);
        }
        assert!(matches!(
            normalize_bytes(&[0xFF, 0xFE, 0x00, 0xD8]),
            Err(DecodeError::NotUtf16 { offset: 2 })
        ));
    }

    /// Found by `fuzz/run.sh` (normalize, crash-bcaa8194…): in Windows-874, runs of tone
    /// marks with upper vowels typed after them took more passes than the repair made.
    #[test]
    fn stacked_marks_are_repaired_in_one_go() {
        let hex = concat!(
            "e0e080b9b8a1e0b89ee0b8a1e0b8abe0b8b2e0b899e0b884e0b8a384e0abe0b8b2e0b899e0b884e0",
            "b8a384e0b8a32c612064697374726963742028e0b980e0b8b9b9b9b9b9b9b9b9b9b9eaeaeaeaeaea",
            "eaeaeaeaeaeaeae937eaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaea",
            "eaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeae7eaeaeaeaea6aead9eaeaeaea",
            "eaeaeaeaeaeaeaeaeaeaea82e0b989e0b8b224b8a3e0b988e0b8a7e0b8a120e0b994e0b99320e0b8",
            "eaeaeaeaeaeaeaeaeaeaeaeaea37eaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeae8eaeaeaeaeaeaea",
            "eaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeae8eaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaea",
            "eae7eaeaeaeaea6aead9eaeaeaeaea82e0b89529206f662042616e676b6f6b3b2069742068617320",
            "31206b6877eaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeae7eaeaeaeaea6aead9eaeaeaeaea82e0b89529",
            "206f662042616e676b6f6b3b206974206861732031206b687761656e670ae6e6e6e6e6e6e6e6e6e6",
            "e6e6e6e6efb3bfc6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e67ee6e6322ce0b89e",
            "e0b8a3e9b8b0e0b981e0b897e0b988e0b8992c74716d626f6e2c3731303531505050505050505050",
            "50e0b980e02cb8",
        );
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        let n = normalize_bytes(&bytes).unwrap();
        assert_eq!(normalize(&n.text), n.text);
        // The same in small: a vowel typed after two tone marks goes before both.
        assert_eq!(
            normalize("ก\u{0E48}\u{0E4A}\u{0E34}"),
            normalize(&normalize("ก\u{0E48}\u{0E4A}\u{0E34}"))
        );
        assert!(normalize("ก\u{0E48}\u{0E4A}\u{0E34}").starts_with("ก\u{0E34}"));
    }

    #[test]
    fn refuses_broken_utf8_and_binary() {
        let mut truncated = "ชุมชนเข้มแข็ง".as_bytes().to_vec();
        truncated.pop();
        assert!(matches!(
            normalize_bytes(&truncated),
            Err(DecodeError::NotUtf8 { .. })
        ));
        let mut damaged = "ชุมชนเข้มแข็ง".as_bytes().to_vec();
        damaged[6] = 0xFF;
        assert_eq!(
            normalize_bytes(&damaged),
            Err(DecodeError::NotUtf8 { offset: 6 })
        );
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(matches!(
            normalize_bytes(png),
            Err(DecodeError::Binary { .. })
        ));
        // Japanese in Shift_JIS: text, but not in an encoding rian reads.
        let sjis = b"\x93\xfa\x96\x7b\x8c\xea\x82\xcc\x83\x65\x83\x4c\x83\x58\x83\x67".repeat(20);
        assert_eq!(normalize_bytes(&sjis), Err(DecodeError::UnknownEncoding));
        assert!(matches!(
            normalize_bytes(b"text\0more"),
            Err(DecodeError::Binary { offset: 4 })
        ));
    }

    #[test]
    fn maps_repairs_back_to_their_bytes() {
        let raw = "ทํา\u{200B}ดี";
        let n = normalize_bytes(raw.as_bytes()).unwrap();
        assert_eq!(n.text, "ทำดี");
        // ำ came from ํ + า (bytes 3..9).
        assert_eq!(n.original_range(1..2), 3..9);
        // ด sits after the removed zero-width space.
        assert_eq!(&raw[n.original_range(2..4)], "ดี");
    }

    fn thai_text() -> impl Strategy<Value = String> {
        crate::thai::text_from(
            ('\u{0E01}'..='\u{0E5B}')
                .chain("ab 1.\r\n\u{200B}\u{00A0}\u{FEFF}é\u{0301}\u{1100}\u{1161}".chars())
                .collect(),
            40,
        )
    }

    proptest! {
        #[test]
        fn normalization_is_idempotent(s in thai_text()) {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once.clone());
            prop_assert!(unicode_normalization::is_nfc(&once));
            prop_assert_eq!(norm(&s), once);
        }

        #[test]
        fn offsets_map_back_into_the_original(s in thai_text()) {
            let n = normalize_bytes(s.as_bytes()).unwrap();
            prop_assert_eq!(n.char_len(), n.text.chars().count());
            let mut last_start = 0;
            for i in 0..n.char_len() {
                let r = n.original_range(i..i + 1);
                prop_assert!(r.start < r.end && r.end <= s.len());
                prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
                prop_assert!(r.start + 16 >= last_start, "roughly monotone");
                last_start = r.start;
            }
            let whole = n.original_range(0..n.char_len());
            prop_assert!(whole.end <= s.len());
        }

        #[test]
        fn any_bytes_decode_or_refuse_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(n) = normalize_bytes(&bytes) {
                prop_assert_eq!(normalize(&n.text), n.text.clone());
                let r = n.original_range(0..n.char_len());
                prop_assert!(r.end <= bytes.len());
            }
        }
    }
}
