//! Any bytes: decoded and normalized, or refused; never a panic. What comes out is
//! normalized already, and every character maps back into the input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rian_core::thai::{normalize, normalize_bytes};

fuzz_target!(|bytes: &[u8]| {
    if let Ok(n) = normalize_bytes(bytes) {
        assert_eq!(normalize(&n.text), n.text, "normalization is idempotent");
        for i in 0..n.char_len() {
            let r = n.original_range(i..i + 1);
            assert!(r.start <= r.end && r.end <= bytes.len());
        }
    }
});
