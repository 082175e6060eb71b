//! Any text read as a forum write-up: extraction never panics, and every piece of evidence
//! points inside the text (character spans, start before end).
#![no_main]
use libfuzzer_sys::fuzz_target;
use rian_core::extract::extract;

fuzz_target!(|text: &str| {
    let found = extract(text);
    let chars = text.chars().count() as i64;
    let e = &found.evidence;
    let lists = e.numbered_lists.iter().flatten();
    let named = [&e.provinces, &e.tambons, &e.organizations]
        .into_iter()
        .flat_map(|m| m.values().flatten());
    for span in e.event_date.iter().chain(&e.participants).chain(&e.venue).chain(lists).chain(named) {
        assert!(0 <= span.start && span.start <= span.end && span.end <= chars, "{span:?} in {chars}");
    }
    for f in &found.figures {
        assert!(f.span.end <= chars);
    }
    if let Some(n) = found.participants {
        assert!(n >= 0);
    }
});
