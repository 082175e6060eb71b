//! A query and a text, as a person might type and import them: the query parser refuses
//! or reads it without panicking; every word and gram lies on character boundaries, in
//! order; highlights and excerpts stay inside the text and mark only what was matched;
//! matches found around the likely places are matches of the whole text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rian_core::search::query::{self, Query};
use rian_core::search::snippet::{self, Cut, Pattern};
use rian_core::search::tokens;

fuzz_target!(|input: &str| {
    let (q, text) = input.split_once('\n').unwrap_or((input, ""));
    let mut patterns = Vec::new();
    if let Ok(parsed) = query::parse(q) {
        let leaves = parsed.positive_leaves();
        assert!(!leaves.is_empty(), "a query that reads has something to find");
        for leaf in leaves {
            if let Query::Term(s) | Query::Phrase(s) | Query::Prefix(s) = leaf {
                patterns.push(Pattern::Substring(tokens::fold(s)));
                let words: Vec<String> = tokens::words(s).into_iter().map(|(_, w)| w).collect();
                patterns.push(Pattern::Words(words.clone()));
                patterns.push(Pattern::Prefix(words));
            }
        }
    }
    for cutting in [tokens::words(text), tokens::grams(text)] {
        let mut at = 0;
        for (r, _) in cutting {
            assert!(r.start >= at && r.start < r.end && r.end <= text.len());
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            at = r.start;
        }
    }
    let cut = Cut::new(text);
    let found = cut.find(&patterns);
    for w in found.windows(2) {
        assert!(w[0].end <= w[1].start, "matches sorted and apart");
    }
    // Cut only around where the patterns may match, nothing is found that the whole
    // text does not hold (a phrase spread wider than the reach may be missed).
    let (_, near) = Cut::matching(text, &patterns, 90);
    for r in &near {
        assert!(found.iter().any(|f| f.start <= r.start && r.end <= f.end));
    }
    let shown = snippet::snippet(&cut, &found, 80);
    let chars = shown.text.chars().count();
    for m in &shown.marks {
        assert!(m.start < m.end && m.end <= chars);
    }
    for line in snippet::concordance(&cut, &found, 30) {
        assert!(line.span.end <= text.chars().count());
        assert!(!line.keyword.is_empty());
    }
});
