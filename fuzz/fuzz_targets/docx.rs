//! Any bytes given as a `.docx`: read as text or refused with a reason, never a panic,
//! never more text than the limits allow.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(text) = rian_core::import::docx_text(bytes) {
        assert!(text.len() <= 64 * 1024 * 1024);
    }
    // The whole import path: refused with a reason, or a source with normalized text.
    if let Ok(source) = rian_core::import::read_bytes("x.docx", bytes.to_vec()) {
        assert!(!source.text.trim().is_empty());
        assert_eq!(source.original, bytes);
    }
});
