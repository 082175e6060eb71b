//! Any text: tokens cover it exactly, in order; clauses lie inside it.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rian_core::thai::segment::Segmenter;

fuzz_target!(|text: &str| {
    let seg = Segmenter::builtin();
    let mut at = 0;
    for r in seg.tokens(text) {
        assert_eq!(r.start, at);
        assert!(r.end > r.start);
        at = r.end;
    }
    assert_eq!(at, text.len());
    for r in seg.clauses(text) {
        assert!(r.start < r.end && r.end <= text.len());
    }
});
