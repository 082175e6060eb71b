//! Any text: dates found lie inside it, on character boundaries, in order.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rian_core::thai::dates::find_dates;

fuzz_target!(|text: &str| {
    let mut last = 0;
    for d in find_dates(text) {
        assert!(d.range.start >= last && d.range.end <= text.len());
        assert!(text.is_char_boundary(d.range.start) && text.is_char_boundary(d.range.end));
        last = d.range.end;
    }
});
