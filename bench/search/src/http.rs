//! A plain HTTP/1.1 client over a TCP socket: one request per connection, as a browser's
//! first request costs, with no client library in the measurement.

use crate::measure::{Latencies, Stopwatch};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

type Fallible<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Percent-encodes a query-string value.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// GETs `path` and returns the body of a 200 answer.
pub fn get(address: SocketAddr, path: &str) -> Fallible<String> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_nodelay(true)?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let answer = String::from_utf8(answer)?;
    let (head, body) = answer.split_once("\r\n\r\n").ok_or("no HTTP head")?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!("{path}: {}", head.lines().next().unwrap_or("")).into());
    }
    // axum answers a JSON body of known length; no chunked decoding needed.
    Ok(body.to_string())
}

pub struct Load {
    pub latencies: Latencies,
    pub per_second: f64,
}

/// `clients` threads share `requests` requests, cycling through `paths`.
pub fn load(
    address: SocketAddr,
    paths: &[(&'static str, String)],
    clients: usize,
    requests: usize,
) -> Result<Load, Box<dyn std::error::Error>> {
    let clock = Stopwatch::start();
    let results: Vec<Fallible<Latencies>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..clients)
            .map(|c| {
                s.spawn(move || {
                    let mut mine = Latencies::default();
                    for i in (c..requests).step_by(clients) {
                        let (kind, path) = &paths[i % paths.len()];
                        let one = Stopwatch::start();
                        get(address, path)?;
                        mine.add(kind, one.seconds());
                    }
                    Ok(mine)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("client thread"))
            .collect()
    });
    let seconds = clock.seconds();
    let mut latencies = Latencies::default();
    for r in results {
        latencies.extend(r.map_err(|e| e.to_string())?);
    }
    Ok(Load {
        latencies,
        per_second: requests as f64 / seconds,
    })
}
