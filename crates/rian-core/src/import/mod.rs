//! Import: a source file → its bytes, kept as they are, and its normalized text.
//!
//! One function per source format; `read_source` picks by file extension. Formats join
//! here (docx, Kobo/ODK csv, QDPX) as later issues add them.

mod docx;

pub use docx::docx_text;

use crate::thai::{DecodeError, SourceEncoding, normalize, normalize_bytes};
use crate::{Error, Result};
use std::path::Path;

/// A source read from a file, not yet attached to anything.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The file name it came from (no directories: they say nothing about the study).
    pub file_name: String,
    pub title: String,
    pub media_type: &'static str,
    /// The encoding the bytes were found in.
    pub encoding: SourceEncoding,
    /// The bytes exactly as read.
    pub original: Vec<u8>,
    pub text: String,
}

/// The largest source file rian takes (a transcript of a whole year is a few MB; a
/// Word file with photographs a few tens).
pub const MAX_SOURCE_BYTES: u64 = 100 * 1024 * 1024;

fn too_large(path: &Path, bytes: u64) -> Error {
    Error::TooLarge {
        path: path.to_path_buf(),
        bytes,
        limit: MAX_SOURCE_BYTES,
    }
}

/// Reads a source file, refusing what rian cannot read yet.
pub fn read_source(path: &Path) -> Result<Source> {
    media_type(path)?;
    // The size is refused before anything is read.
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() > MAX_SOURCE_BYTES
    {
        return Err(too_large(path, meta.len()));
    }
    let original = std::fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => Error::FileNotFound(path.to_path_buf()),
        _ => Error::ReadFile {
            path: path.to_path_buf(),
            source,
        },
    })?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    read_bytes(&file_name, original).map_err(|e| e.with_path(path))
}

/// Reads a source from bytes already in hand (an upload), by its file name's extension.
/// Errors name the file by `file_name`.
pub fn read_bytes(file_name: &str, original: Vec<u8>) -> Result<Source> {
    let path = Path::new(file_name);
    let media_type = media_type(path)?;
    if original.len() as u64 > MAX_SOURCE_BYTES {
        return Err(too_large(path, original.len() as u64));
    }
    if media_type == DOCX {
        let text = docx_text(&original).map_err(|reason| Error::BadDocx {
            path: path.to_path_buf(),
            reason,
        })?;
        let text = normalize(&text);
        if text.trim().is_empty() {
            return Err(Error::EmptyDocument(path.to_path_buf()));
        }
        return Ok(Source {
            title: stem(file_name),
            file_name: file_name.to_string(),
            media_type,
            encoding: SourceEncoding::Utf8,
            original,
            text,
        });
    }
    read_text(file_name, media_type, original).map_err(|e| match e {
        TextError::Undecodable(reason) => Error::Undecodable {
            path: path.to_path_buf(),
            reason,
        },
        TextError::Empty => Error::EmptyDocument(path.to_path_buf()),
    })
}

fn media_type(path: &Path) -> Result<&'static str> {
    Ok(match extension(path).as_deref() {
        Some("txt") | Some("text") => "text/plain",
        Some("md") | Some("markdown") => "text/markdown",
        Some("docx") => DOCX,
        _ => return Err(Error::UnsupportedFormat(path.to_path_buf())),
    })
}

/// Why bytes are not a text source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Undecodable(DecodeError),
    /// Nothing but white space.
    Empty,
}

/// Reads plain text or Markdown bytes in any encoding [`normalize_bytes`] detects; the title is the first Markdown heading or, failing
/// that, the file name without its extension.
pub fn read_text(
    file_name: &str,
    media_type: &'static str,
    original: Vec<u8>,
) -> Result<Source, TextError> {
    let normalized = normalize_bytes(&original).map_err(TextError::Undecodable)?;
    let text = normalized.text;
    if text.trim().is_empty() {
        return Err(TextError::Empty);
    }
    let heading = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("# "))
        .map(|l| l.trim_start_matches('#').trim().to_string());
    let title = heading.unwrap_or_else(|| stem(file_name));
    Ok(Source {
        file_name: file_name.to_string(),
        title,
        media_type,
        encoding: normalized.encoding,
        original,
        text,
    })
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A file name without its extension.
fn stem(file_name: &str) -> String {
    Path::new(file_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file_name.to_string())
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_bytes_and_normalizes_text() {
        let raw = "\u{FEFF}# บันทึกเวที\r\nข้อความ".as_bytes().to_vec();
        let src = read_text("notes.md", "text/markdown", raw.clone()).unwrap();
        assert_eq!(src.original, raw);
        assert_eq!(src.text, "# บันทึกเวที\nข้อความ");
        assert_eq!(src.title, "บันทึกเวที");
    }

    #[test]
    fn title_falls_back_to_file_stem() {
        let src = read_text("เวทีธนบุรี.txt", "text/plain", "ข้อความ".into()).unwrap();
        assert_eq!(src.title, "เวทีธนบุรี");
    }

    #[test]
    fn refuses_blank_text() {
        assert_eq!(
            read_text("a.txt", "text/plain", " \r\n\t".into()),
            Err(TextError::Empty)
        );
    }

    #[test]
    fn refuses_unknown_extension_before_reading() {
        let err = read_source(Path::new("/nonexistent/forum.pdf")).unwrap_err();
        assert!(matches!(err, Error::UnsupportedFormat(_)), "{err}");
        let err = read_source(Path::new("/nonexistent/forum.txt")).unwrap_err();
        assert!(matches!(err, Error::FileNotFound(_)), "{err}");
    }
}
