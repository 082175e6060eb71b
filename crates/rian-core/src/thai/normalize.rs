//! Bytes → normalized text.
//!
//! Normalization is NFC (never NFKC: it decomposes SARA AM and shifts every offset) with
//! line endings made LF and a leading byte-order mark dropped. Offsets into the result
//! count Unicode scalar values.

use unicode_normalization::UnicodeNormalization;

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes are not UTF-8; `offset` is the first byte that is not.
    NotUtf8 { offset: usize },
}

/// Decodes UTF-8 (with or without a byte-order mark) and normalizes it.
pub fn normalize_bytes(bytes: &[u8]) -> Result<String, DecodeError> {
    // Offsets in errors count from the start of the file, byte-order mark included.
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let text = std::str::from_utf8(&bytes[bom..]).map_err(|e| DecodeError::NotUtf8 {
        offset: bom + e.valid_up_to(),
    })?;
    Ok(normalize(text))
}

/// Normalizes text: NFC, LF line endings.
pub fn normalize(text: &str) -> String {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let lf = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    };
    lf.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_bom_and_crlf() {
        let raw = "\u{FEFF}เวที\r\nสรุปบทเรียน\r".as_bytes();
        assert_eq!(normalize_bytes(raw).unwrap(), "เวที\nสรุปบทเรียน\n");
    }

    #[test]
    fn keeps_sara_am_whole() {
        // NFKC would turn ำ into ํา; NFC must not.
        let text = "น้ำ ทำ";
        assert_eq!(normalize(text), text);
        assert_eq!(normalize(text).chars().count(), text.chars().count());
    }

    #[test]
    fn refuses_non_utf8_with_offset() {
        // "เวที" in TIS-620.
        let tis = [0xE0, 0xC7, 0xB7, 0xD5];
        assert_eq!(
            normalize_bytes(&tis),
            Err(DecodeError::NotUtf8 { offset: 0 })
        );
        let mut mixed = "ก".as_bytes().to_vec();
        mixed.push(0xFF);
        assert_eq!(
            normalize_bytes(&mixed),
            Err(DecodeError::NotUtf8 { offset: 3 })
        );
    }
}
