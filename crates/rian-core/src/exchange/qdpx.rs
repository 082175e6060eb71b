//! The `.qdpx` archive: a zip holding `project.qde` and the text of each source under
//! `sources/` (some tools write `Sources/`), referred to as `internal://<GUID>.txt`.

use super::Notice;
use super::refi::{self, Project};
use std::io::{Read, Write};

/// The most one file inside the archive may hold once unpacked.
const MAX_ENTRY_BYTES: u64 = 256 * 1024 * 1024;
/// The most the whole archive may hold once unpacked: a zip bomb stops here.
const MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;
/// The most files an archive may hold.
const MAX_ENTRIES: usize = 100_000;

fn bad(th: impl Into<String>, en: impl Into<String>) -> crate::Error {
    crate::Error::BadExchange {
        th: th.into(),
        en: en.into(),
    }
}

/// Packs a project: every source with a text is written as `sources/<GUID>.txt` (UTF-8,
/// LF) and referred to from `project.qde`.
pub fn pack(project: &Project) -> crate::Result<Vec<u8>> {
    let mut project = project.clone();
    let mut files = Vec::new();
    for s in &mut project.sources {
        let text = s.text.take().unwrap_or_default();
        let file = format!("{}.txt", s.guid.0);
        s.plain_text_path = Some(format!("internal://{file}"));
        files.push((format!("sources/{file}"), text));
    }
    let fail = |e: zip::result::ZipError| crate::Error::Export(e.to_string());
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("project.qde", opts).map_err(fail)?;
    zip.write_all(refi::write_project(&project).as_bytes())?;
    for (name, text) in files {
        zip.start_file(name, opts).map_err(fail)?;
        zip.write_all(text.as_bytes())?;
    }
    zip.finish().map_err(fail)?;
    Ok(out.into_inner())
}

/// Reads one entry whole, refusing one that unpacks past the limits (whatever its header
/// claims).
fn read_entry(entry: zip::read::ZipFile<'_, impl Read>, total: &mut u64) -> crate::Result<Vec<u8>> {
    let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
    let mut bytes = Vec::new();
    entry
        .take(MAX_ENTRY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            bad(
                format!("แตกไฟล์ {name} ไม่ได้: {e}"),
                format!("cannot unpack {name}: {e}"),
            )
        })?;
    *total += bytes.len() as u64;
    if bytes.len() as u64 > MAX_ENTRY_BYTES || *total > MAX_TOTAL_BYTES {
        return Err(bad(
            format!("{name} ใหญ่เกินกำหนดเมื่อแตกไฟล์ (อาจเป็น zip bomb)"),
            format!("{name} is over the size limit once unpacked (a zip bomb?)"),
        ));
    }
    Ok(bytes)
}

/// The archive entry a source's `plainTextPath` names: `internal://X` is `sources/X`
/// (any case of the folder and the GUID). Paths that leave the archive are refused.
fn internal_name(path: &str) -> crate::Result<Option<String>> {
    let Some(rest) = path.strip_prefix("internal://") else {
        return Ok(None);
    };
    let rest = rest.replace('\\', "/");
    if rest.is_empty() || rest.starts_with('/') || rest.split('/').any(|part| part == "..") {
        return Err(bad(
            format!("ที่อยู่ไฟล์ \"{path}\" ชี้ออกนอกแฟ้มโครงการ"),
            format!("the path \"{path}\" points outside the project archive"),
        ));
    }
    Ok(Some(rest.to_lowercase()))
}

/// Unpacks a `.qdpx`: the project, each text source's text filled in.
pub fn unpack(bytes: &[u8]) -> crate::Result<(Project, Vec<Notice>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        bad(
            format!("ไม่ใช่ไฟล์ .qdpx (zip) ที่อ่านได้: {e}"),
            format!("not a readable .qdpx (zip) file: {e}"),
        )
    })?;
    if archive.len() > MAX_ENTRIES {
        return Err(bad("แฟ้มมีไฟล์มากเกินไป", "the archive holds too many files"));
    }
    let mut total = 0u64;
    // Entries by their lower-cased name without the sources folder, to meet what the
    // project names whatever case a tool wrote.
    let mut project_index = None;
    let mut texts: std::collections::HashMap<String, usize> = Default::default();
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| bad(format!("zip เสีย: {e}"), format!("broken zip: {e}")))?;
        let name = String::from_utf8_lossy(entry.name_raw()).replace('\\', "/");
        if entry.enclosed_name().is_none() {
            return Err(bad(
                format!("ชื่อไฟล์ \"{name}\" ในแฟ้มชี้ออกนอกโฟลเดอร์"),
                format!("the archive entry \"{name}\" escapes its folder"),
            ));
        }
        // What the archive says it unpacks to, checked before anything is read (reading
        // is held to the limits as well, whatever the header claims).
        total = total.saturating_add(entry.size());
        if entry.size() > MAX_ENTRY_BYTES || total > MAX_TOTAL_BYTES {
            return Err(bad(
                format!("{name} ใหญ่เกินกำหนดเมื่อแตกไฟล์ (อาจเป็น zip bomb)"),
                format!("{name} is over the size limit once unpacked (a zip bomb?)"),
            ));
        }
        let lower = name.to_lowercase();
        if lower == "project.qde" || (lower.ends_with("/project.qde") && project_index.is_none()) {
            project_index = Some(i);
        } else if let Some(rest) = lower.strip_prefix("sources/") {
            texts.insert(rest.to_string(), i);
        }
    }
    total = 0;
    let Some(project_index) = project_index else {
        return Err(bad(
            "ไม่พบ project.qde ในแฟ้ม .qdpx",
            "project.qde is missing from the .qdpx",
        ));
    };
    let qde = read_entry(
        archive
            .by_index(project_index)
            .map_err(|e| bad(format!("zip เสีย: {e}"), format!("broken zip: {e}")))?,
        &mut total,
    )?;
    let (mut project, mut notices) = refi::read_project(&qde)?;
    for s in &mut project.sources {
        if s.text.is_some() {
            continue;
        }
        let Some(path) = s.plain_text_path.clone() else {
            notices.push(Notice::new(
                format!("แหล่งข้อมูล \"{}\" ไม่มีข้อความ", s.name),
                format!("source \"{}\" has no text", s.name),
            ));
            continue;
        };
        let found = match internal_name(&path)? {
            Some(name) => texts
                .get(name.strip_prefix("sources/").unwrap_or(&name))
                .copied(),
            None => None,
        };
        let Some(index) = found else {
            notices.push(Notice::new(
                format!("ไม่พบข้อความของ \"{}\" ({path}) ในแฟ้ม", s.name),
                format!("the text of \"{}\" ({path}) is not in the archive", s.name),
            ));
            continue;
        };
        let bytes = read_entry(
            archive
                .by_index(index)
                .map_err(|e| bad(format!("zip เสีย: {e}"), format!("broken zip: {e}")))?,
            &mut total,
        )?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        match String::from_utf8(bytes.to_vec()) {
            Ok(text) => s.text = Some(text),
            Err(_) => notices.push(Notice::new(
                format!("ข้อความของ \"{}\" ไม่ใช่ UTF-8 ไม่ได้นำเข้า", s.name),
                format!("the text of \"{}\" is not UTF-8; left out", s.name),
            )),
        }
    }
    Ok((project, notices))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::refi::{Guid, TextSource};

    #[test]
    fn packs_and_unpacks_sources_as_files() {
        let p = Project {
            name: "ทดสอบ".into(),
            sources: vec![TextSource {
                guid: Guid::named("one"),
                name: "หนึ่ง".into(),
                text: Some("ข้อความ\nบรรทัดสอง".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        let bytes = pack(&p).unwrap();
        let (back, notices) = unpack(&bytes).unwrap();
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back.sources[0].text, p.sources[0].text);
        assert_eq!(
            back.sources[0].plain_text_path.as_deref(),
            Some(format!("internal://{}.txt", p.sources[0].guid.0).as_str())
        );
    }

    #[test]
    fn refuses_paths_that_escape() {
        assert!(internal_name("internal://../../etc/passwd").is_err());
        assert!(internal_name("internal:///etc/passwd").is_err());
        assert_eq!(
            internal_name("internal://ABC.txt").unwrap().as_deref(),
            Some("abc.txt")
        );
        assert_eq!(internal_name("C:\\x.txt").unwrap(), None);
        assert!(unpack(b"not a zip").is_err());
    }
}
