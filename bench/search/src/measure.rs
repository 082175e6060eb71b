//! Clocks, latency percentiles and the process's memory.

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Instant;

pub struct Stopwatch(Instant);

impl Stopwatch {
    pub fn start() -> Stopwatch {
        Stopwatch(Instant::now())
    }

    pub fn seconds(&self) -> f64 {
        self.0.elapsed().as_secs_f64()
    }
}

/// Latencies in seconds, by kind of query.
#[derive(Default)]
pub struct Latencies(BTreeMap<&'static str, Vec<f64>>);

impl Latencies {
    pub fn add(&mut self, kind: &'static str, seconds: f64) {
        self.0.entry(kind).or_default().push(seconds);
    }

    pub fn extend(&mut self, other: Latencies) {
        for (kind, mut v) in other.0 {
            self.0.entry(kind).or_default().append(&mut v);
        }
    }

    /// p50, p99 and the slowest, in milliseconds, with how many were taken.
    pub fn summary(&self) -> Value {
        let mut out = serde_json::Map::new();
        for (kind, v) in &self.0 {
            let mut v = v.clone();
            v.sort_by(f64::total_cmp);
            out.insert(
                kind.to_string(),
                json!({
                    "n": v.len(),
                    "p50_ms": percentile(&v, 0.50) * 1e3,
                    "p99_ms": percentile(&v, 0.99) * 1e3,
                    "max_ms": v.last().copied().unwrap_or(0.0) * 1e3,
                }),
            );
        }
        Value::Object(out)
    }
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// A figure from /proc/self/status (VmRSS, VmHWM) in MB.
pub fn memory_mb(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb * 1024.0 / 1e6)
}

/// The highest RssAnon (memory of the process's own, not pages of mapped files) seen by a
/// thread that reads /proc every 10 ms until the sampler is finished. VmHWM counts the
/// index files Tantivy maps while merging too, which the kernel can drop at will.
pub struct AnonPeak {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<f64>,
}

impl AnonPeak {
    pub fn start() -> AnonPeak {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let seen = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut peak = 0.0f64;
            while !seen.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(memory_mb("RssAnon"));
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            peak
        });
        AnonPeak { stop, thread }
    }

    /// The peak in MB.
    pub fn finish(self) -> f64 {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.join().unwrap_or(0.0)
    }
}
