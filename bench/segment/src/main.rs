//! Thai word segmentation, side by side in one run: rian and its peers on the same corpus
//! (speed, single-threaded) and the same gold sets (word-boundary precision, recall, F1).
//!
//! The accuracy metric is PyThaiNLP's `pythainlp.benchmarks.word_tokenization`, re-stated
//! here: white space is removed from both segmentations, each remaining character is
//! marked 1 if a word starts there, and true/false positives and negatives are summed over
//! all samples (micro-averaged), as its `thainlp benchmark` command reports them.
//! `score.py` checks this implementation against PyThaiNLP's own on a saved output.
//!
//!     rian-bench-segment --corpus FILE --dict words_th.txt [--gold NAME=FILE.label]...
//!                        [--save-labels DIR] [--json FILE]

use std::collections::BTreeMap;
use std::time::Instant;

type Boundaries = Vec<usize>;

/// An engine under test: text → byte offsets where its tokens start.
struct Engine {
    name: &'static str,
    segment: Box<dyn Fn(&str) -> Boundaries>,
}

fn engines(dict_path: &str) -> Vec<Engine> {
    let rian = rian_core::thai::segment::Segmenter::builtin();
    let nlpo3 = nlpo3::tokenizer::newmm::NewmmTokenizer::new(dict_path);
    let icu_dict = icu_segmenter::WordSegmenter::new_dictionary(Default::default());
    let icu_lstm = icu_segmenter::WordSegmenter::new_lstm(Default::default());
    let kham = kham_core::Tokenizer::new();
    vec![
        Engine {
            name: "rian",
            segment: Box::new(move |t| rian.tokens(t).into_iter().map(|r| r.start).collect()),
        },
        Engine {
            name: "nlpo3 1.4 (newmm, words_th)",
            segment: Box::new(move |t| {
                use nlpo3::tokenizer::tokenizer_trait::Tokenizer;
                // safe = false, as PyThaiNLP's newmm defaults to: nlpO3 1.4's safe mode
                // returns tokens that do not spell out the input on long lines (seen on 120
                // of the 993 wisesight-1000 samples).
                let words = nlpo3.segment(t, false, false).unwrap_or_default();
                starts_from_pieces(t, words.iter().map(String::as_str))
            }),
        },
        Engine {
            name: "icu_segmenter 2.4 dictionary",
            segment: Box::new(move |t| {
                let mut b: Vec<usize> = icu_dict.segment_str(t).collect();
                b.pop();
                b
            }),
        },
        Engine {
            name: "icu_segmenter 2.4 LSTM",
            segment: Box::new(move |t| {
                let mut b: Vec<usize> = icu_lstm.segment_str(t).collect();
                b.pop();
                b
            }),
        },
        Engine {
            name: "kham-core 0.8",
            segment: Box::new(move |t| kham.segment(t).iter().map(|tok| tok.span.start).collect()),
        },
    ]
}

/// Token starts from a list of token strings that should spell out the text; white space
/// an engine dropped is skipped over.
fn starts_from_pieces<'a>(text: &str, pieces: impl Iterator<Item = &'a str>) -> Boundaries {
    let mut out = Vec::new();
    let mut at = 0;
    for p in pieces {
        if p.is_empty() {
            continue;
        }
        match text[at..].find(p) {
            Some(off) => {
                out.push(at + off);
                at += off + p.len();
            }
            None => break,
        }
    }
    out
}

/// PyThaiNLP's binary representation of a segmentation, after its preprocessing: white
/// space removed, each remaining character marked true if a word starts there (the first
/// always is).
fn binary(text: &str, starts: &[usize]) -> (Vec<char>, Vec<bool>) {
    let mut chars = Vec::new();
    let mut marks = Vec::new();
    let mut pending = true;
    let mut s = starts.iter().peekable();
    for (i, c) in text.char_indices() {
        while s.next_if(|&&b| b <= i).is_some() {
            pending = true;
        }
        // White space is dropped; it marks no boundary of its own (PyThaiNLP removes it
        // after reading the separators).
        if c.is_whitespace() {
            continue;
        }
        chars.push(c);
        marks.push(pending || chars.len() == 1);
        pending = false;
    }
    (chars, marks)
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: u64,
    fp: u64,
    fn_: u64,
    words_correct: u64,
    words_pred: u64,
    words_ref: u64,
}

impl Counts {
    fn add(&mut self, gold: &[bool], pred: &[bool]) {
        for (g, p) in gold.iter().zip(pred) {
            match (g, p) {
                (true, true) => self.tp += 1,
                (false, true) => self.fp += 1,
                (true, false) => self.fn_ += 1,
                _ => {}
            }
        }
        let spans = |m: &[bool]| {
            let starts: Vec<usize> = (0..m.len()).filter(|&i| m[i]).collect();
            let mut v: Vec<(usize, usize)> = Vec::new();
            for (k, &s) in starts.iter().enumerate() {
                v.push((s, starts.get(k + 1).copied().unwrap_or(m.len())));
            }
            v
        };
        let g = spans(gold);
        let p = spans(pred);
        let gs: std::collections::HashSet<_> = g.iter().collect();
        self.words_correct += p.iter().filter(|x| gs.contains(x)).count() as u64;
        self.words_pred += p.len() as u64;
        self.words_ref += g.len() as u64;
    }

    fn char_prf(&self) -> (f64, f64, f64) {
        prf(self.tp, self.tp + self.fp, self.tp + self.fn_)
    }

    fn word_prf(&self) -> (f64, f64, f64) {
        prf(self.words_correct, self.words_pred, self.words_ref)
    }
}

fn prf(hit: u64, pred: u64, gold: u64) -> (f64, f64, f64) {
    let p = hit as f64 / pred.max(1) as f64;
    let r = hit as f64 / gold.max(1) as f64;
    let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (p, r, f)
}

/// The gold label line's raw text and word starts.
fn gold_starts(label: &str) -> (String, Boundaries) {
    let mut raw = String::with_capacity(label.len());
    let mut starts = vec![0];
    for piece in label.split('|') {
        if !piece.is_empty() && !raw.is_empty() {
            starts.push(raw.len());
        }
        raw.push_str(piece);
    }
    starts.dedup();
    (raw, starts)
}

fn main() {
    let mut corpus = None;
    let mut dict = None;
    let mut golds: Vec<(String, String)> = Vec::new();
    let mut save_labels = None;
    let mut json_out = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage(&a));
        match a.as_str() {
            "--corpus" => corpus = Some(value()),
            "--dict" => dict = Some(value()),
            "--gold" => {
                let v = value();
                let (n, f) = v.split_once('=').unwrap_or_else(|| usage("--gold NAME=FILE"));
                golds.push((n.to_string(), f.to_string()));
            }
            "--save-labels" => save_labels = Some(value()),
            "--json" => json_out = Some(value()),
            _ => usage(&a),
        }
    }
    let corpus = std::fs::read_to_string(corpus.unwrap_or_else(|| usage("--corpus"))).expect("corpus");
    let dict = dict.unwrap_or_else(|| usage("--dict"));
    let lines: Vec<&str> = corpus.lines().collect();
    eprintln!(
        "corpus: {:.2} MB, {} lines",
        corpus.len() as f64 / 1e6,
        lines.len()
    );

    let mut results: Vec<BTreeMap<String, String>> = Vec::new();
    for engine in engines(&dict) {
        let mut row = BTreeMap::new();
        row.insert("engine".to_string(), engine.name.to_string());
        // Warm-up, then the best of three whole passes, one line at a time, one thread.
        let mut sink = 0usize;
        for l in lines.iter().take(2000) {
            sink += (engine.segment)(l).len();
        }
        let runs = if engine.name.contains("LSTM") { 1 } else { 3 };
        let mut best = f64::MAX;
        for _ in 0..runs {
            let t = Instant::now();
            for l in &lines {
                sink += (engine.segment)(l).len();
            }
            best = best.min(t.elapsed().as_secs_f64());
        }
        let mbs = corpus.len() as f64 / best / 1e6;
        row.insert("mb_per_s".into(), format!("{mbs:.2}"));
        eprintln!("{}: {mbs:.2} MB/s ({sink} tokens)", engine.name);

        for (name, path) in &golds {
            let labels = std::fs::read_to_string(path).expect("gold file");
            let mut counts = Counts::default();
            let mut predicted = String::new();
            for label in labels.lines() {
                let (raw, gold) = gold_starts(label);
                let pred = (engine.segment)(&raw);
                let (gc, gm) = binary(&raw, &gold);
                let (pc, pm) = binary(&raw, &pred);
                if !gc.is_empty() && gc == pc {
                    counts.add(&gm, &pm);
                }
                // Every line is saved, so that score.py sees the same samples.
                let mut cuts = pred.clone();
                cuts.retain(|&b| b > 0 && b < raw.len());
                let mut at = 0;
                for b in cuts {
                    predicted.push_str(&raw[at..b]);
                    predicted.push('|');
                    at = b;
                }
                predicted.push_str(&raw[at..]);
                predicted.push('\n');
            }
            let (p, r, f) = counts.char_prf();
            let (_, _, wf) = counts.word_prf();
            row.insert(format!("{name}:P"), format!("{p:.4}"));
            row.insert(format!("{name}:R"), format!("{r:.4}"));
            row.insert(format!("{name}:F1"), format!("{f:.4}"));
            row.insert(format!("{name}:wordF1"), format!("{wf:.4}"));
            if let Some(dir) = &save_labels {
                let file = format!(
                    "{dir}/{}-{name}.label",
                    engine.name.split_whitespace().next().unwrap_or("engine")
                );
                std::fs::write(&file, &predicted).expect("write labels");
            }
        }
        results.push(row);
    }

    // Markdown table on stdout.
    let mut header = vec!["engine".to_string(), "MB/s".to_string()];
    for (name, _) in &golds {
        header.push(format!("{name} P"));
        header.push(format!("{name} R"));
        header.push(format!("{name} F1"));
        header.push(format!("{name} word F1"));
    }
    println!("| {} |", header.join(" | "));
    println!("|{}", "---|".repeat(header.len()));
    for row in &results {
        let mut cells = vec![row["engine"].clone(), row["mb_per_s"].clone()];
        for (name, _) in &golds {
            for k in ["P", "R", "F1", "wordF1"] {
                cells.push(row[&format!("{name}:{k}")].clone());
            }
        }
        println!("| {} |", cells.join(" | "));
    }
    if let Some(path) = json_out {
        let body: Vec<String> = results
            .iter()
            .map(|row| {
                let fields: Vec<String> = row
                    .iter()
                    .map(|(k, v)| format!("{:?}: {:?}", k, v))
                    .collect();
                format!("  {{{}}}", fields.join(", "))
            })
            .collect();
        std::fs::write(path, format!("[\n{}\n]\n", body.join(",\n"))).expect("write json");
    }
}

fn usage(what: &str) -> ! {
    eprintln!("usage: rian-bench-segment --corpus FILE --dict FILE [--gold NAME=FILE]... (at {what})");
    std::process::exit(2)
}
