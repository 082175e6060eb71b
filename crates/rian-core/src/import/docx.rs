//! Word documents (.docx): the text of `word/document.xml`, one line per paragraph.
//!
//! Read with `zip` and `quick-xml`; quick-xml never fetches or expands external entities,
//! and the uncompressed size is capped, so a hostile file cannot make rian read without end.

use quick_xml::events::Event;
use std::io::Read;

/// The most text rian reads out of one .docx (the XML, uncompressed).
const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;

/// The text of a .docx: paragraphs separated by line ends, tabs and breaks kept.
pub fn docx_text(bytes: &[u8]) -> Result<String, String> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("zip: {e}"))?;
    let entry = archive
        .by_name("word/document.xml")
        .map_err(|_| "word/document.xml is missing".to_string())?;
    if entry.size() > MAX_XML_BYTES {
        return Err(format!(
            "document.xml is {} bytes, over the limit",
            entry.size()
        ));
    }
    let mut xml = Vec::new();
    // The declared size may lie: read at most the limit and one byte more.
    entry
        .take(MAX_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| format!("unzip: {e}"))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err("document.xml is over the size limit".into());
    }
    paragraphs(&xml)
}

fn paragraphs(xml: &[u8]) -> Result<String, String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out = String::new();
    let mut in_text = false;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().into_inner() == "t" => in_text = true,
            Ok(Event::End(e)) => match e.local_name().into_inner() {
                "t" => in_text = false,
                "p" => out.push('\n'),
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.local_name().into_inner() {
                "tab" => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => {
                out.push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0));
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                // Only the five predefined entities and character references are read.
                let c = match r.clone().into_inner().as_ref() {
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "amp" => Some('&'),
                    "apos" => Some('\''),
                    "quot" => Some('"'),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                if let Some(c) = c {
                    out.push(c);
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(format!("xml at byte {}: {e}", reader.error_position())),
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A minimal .docx, made here.
    pub fn make_docx(document_xml: &str) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("[Content_Types].xml", opts).unwrap();
        zip.write_all(b"<Types/>").unwrap();
        zip.start_file("word/document.xml", opts).unwrap();
        zip.write_all(document_xml.as_bytes()).unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn reads_paragraphs_runs_tabs_and_entities() {
        let xml = r#"<?xml version="1.0"?><w:document xmlns:w="x"><w:body>
            <w:p><w:r><w:t>เวทีสรุป</w:t></w:r><w:r><w:t xml:space="preserve">บทเรียน &amp; </w:t></w:r></w:p>
            <w:p><w:r><w:t>ผู้เข้าร่วม</w:t><w:tab/><w:t>25 คน</w:t></w:r></w:p>
            </w:body></w:document>"#;
        assert_eq!(
            docx_text(&make_docx(xml)).unwrap(),
            "เวทีสรุปบทเรียน & \nผู้เข้าร่วม\t25 คน\n"
        );
    }

    #[test]
    fn refuses_what_is_not_a_docx() {
        assert!(docx_text(b"PK\x03\x04 not really").is_err());
        assert!(docx_text(b"plain text").is_err());
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file("other.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.finish().unwrap();
        assert!(
            docx_text(&out.into_inner())
                .unwrap_err()
                .contains("missing")
        );
    }

    #[test]
    fn ignores_external_entities() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <w:document xmlns:w="x"><w:p><w:r><w:t>a&x;b</w:t></w:r></w:p></w:document>"#;
        assert_eq!(docx_text(&make_docx(xml)).unwrap(), "ab\n");
    }
}
