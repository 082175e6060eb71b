//! Any text: figures found lie inside it, on character boundaries, in order.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rian_core::thai::figures::find_figures;

fuzz_target!(|text: &str| {
    let mut last = 0;
    for f in find_figures(text) {
        assert!(f.range.start >= last && f.range.end <= text.len());
        assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
        assert!(f.value.is_finite());
        last = f.range.end;
    }
});
