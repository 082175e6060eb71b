use rian_core::thai::segment::Segmenter;
use rian_core::{Error, Result};
use std::io::{Read, Write};
use std::path::Path;

/// Prints each line of the input with its word boundaries marked. The text is segmented
/// as given (only decoded), so removing the separators gives back the input.
pub fn run(file: Option<&Path>, sep: &str) -> Result<()> {
    let (bytes, name) = match file {
        None => (read_stdin()?, Path::new("-")),
        Some(p) if p == Path::new("-") => (read_stdin()?, p),
        Some(p) => (
            std::fs::read(p).map_err(|source| match source.kind() {
                std::io::ErrorKind::NotFound => Error::FileNotFound(p.to_path_buf()),
                _ => Error::ReadFile {
                    path: p.to_path_buf(),
                    source,
                },
            })?,
            p,
        ),
    };
    let text = decode(&bytes).map_err(|reason| Error::Undecodable {
        path: name.to_path_buf(),
        reason,
    })?;
    let segmenter = Segmenter::builtin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut line_out = String::new();
    for line in text.lines() {
        line_out.clear();
        for (i, range) in segmenter.tokens(line).into_iter().enumerate() {
            if i > 0 {
                line_out.push_str(sep);
            }
            line_out.push_str(&line[range]);
        }
        line_out.push('\n');
        if let Err(e) = out.write_all(line_out.as_bytes()) {
            // A closed pipe (`rian segment | head`) is the reader's choice, not an error.
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(());
            }
            return Err(e.into());
        }
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

fn read_stdin() -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// UTF-8 as it is; other encodings are decoded (and so normalized) first.
fn decode(bytes: &[u8]) -> Result<String, rian_core::thai::DecodeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(_) => rian_core::thai::normalize_bytes(bytes).map(|n| n.text),
    }
}
