//! Hostile and broken input, one test per case of the corpus in `tests/hostile/` (small
//! files kept there; the large and zip-based ones built here, as the corpus README says).
//! Each is refused with exit code 1 and one line in Thai then English, and the store is
//! left exactly as it was; a formula typed into a cell comes back out as text.

mod common;

use common::*;
use std::io::Write;
use std::path::{Path, PathBuf};

const STUDY: &str = "tambon-khemkhaeng-2566";

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(name)
}

/// A demo store, and what it holds before the hostile input.
fn demo() -> (Workspace, String) {
    let w = Workspace::new();
    w.ok(&["init", "--demo"]);
    let before = state(&w);
    (w, before)
}

/// Everything a refusal must leave as it was: sites, forums, and what search finds.
fn state(w: &Workspace) -> String {
    format!(
        "{}\n{}\n{}",
        w.ok(&["sites", "--json"]),
        w.ok(&["forums", "--json"]),
        w.ok(&["search", "ชุมชน", "--json", "--limit", "1000"])
    )
}

/// Runs a command that must be refused: exit 1, one line with Thai and English, nothing
/// written. Returns the line.
fn refused_unchanged(args: &[&str]) -> String {
    let (w, before) = demo();
    let line = w.refused(args);
    assert!(
        line.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c)),
        "Thai first: {line}"
    );
    assert!(line.contains(" / "), "then English: {line}");
    assert_eq!(state(&w), before, "{args:?} changed the store");
    line
}

fn import(file: &Path) -> String {
    refused_unchanged(&["import", s(file), "--site", "1015"])
}

/// A zip archive of `entries` (name, bytes), deflated.
fn zip_file(path: &Path, entries: &[(&str, Vec<u8>)]) -> PathBuf {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    path.to_path_buf()
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn an_empty_file() {
    assert!(import(&corpus("empty.txt")).contains("ไฟล์ว่าง"));
}

#[test]
fn a_binary_file_named_as_text() {
    assert!(import(&corpus("binary.txt")).contains("not a text file"));
}

#[test]
fn utf8_cut_off_in_the_middle_of_a_character() {
    assert!(import(&corpus("truncated-utf8.txt")).contains("invalid UTF-8 at byte"));
}

#[test]
fn a_file_in_an_encoding_rian_does_not_read() {
    assert!(import(&corpus("unknown-encoding.txt")).contains("save it as UTF-8"));
}

#[test]
fn a_500_mb_text() {
    let dir = temp_dir();
    let big = dir.path().join("big.txt");
    // Sparse: the size is what is refused, before anything is read.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(500 * 1024 * 1024)
        .unwrap();
    assert!(import(&big).contains("MB"));
}

#[test]
fn a_zip_bomb_posing_as_docx() {
    let dir = temp_dir();
    let bomb = zip_file(
        &dir.path().join("bomb.docx"),
        &[
            ("[Content_Types].xml", b"<Types/>".to_vec()),
            ("word/document.xml", vec![b' '; 300 * 1024 * 1024]),
        ],
    );
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2 * 1024 * 1024);
    import(&bomb);
}

#[test]
fn a_docx_with_an_external_entity() {
    let dir = temp_dir();
    let xxe = zip_file(
        &dir.path().join("xxe.docx"),
        &[(
            "word/document.xml",
            br#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"#.to_vec(),
        )],
    );
    import(&xxe);
}

fn project_xml(extra: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>{extra}<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="hand"><Sources/></Project>"#
    )
    .into_bytes()
}

#[test]
fn a_zip_bomb_posing_as_qdpx() {
    let dir = temp_dir();
    let bomb = zip_file(
        &dir.path().join("bomb.qdpx"),
        &[
            ("project.qde", project_xml("")),
            ("sources/a.txt", vec![b'a'; 300 * 1024 * 1024]),
        ],
    );
    refused_unchanged(&["import-project", s(&bomb), "--study", "new-study"]);
}

#[test]
fn a_qdpx_with_an_external_entity() {
    let dir = temp_dir();
    let xxe = zip_file(
        &dir.path().join("xxe.qdpx"),
        &[(
            "project.qde",
            project_xml(r#"<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>"#),
        )],
    );
    refused_unchanged(&["import-project", s(&xxe), "--study", "new-study"]);
}

#[test]
fn a_qdpx_whose_paths_escape_the_folder() {
    let dir = temp_dir();
    let escape = zip_file(
        &dir.path().join("escape.qdpx"),
        &[
            ("project.qde", project_xml("")),
            ("../../outside.txt", b"x".to_vec()),
        ],
    );
    refused_unchanged(&["import-project", s(&escape), "--study", "new-study"]);
    assert!(!dir.path().join("../../outside.txt").exists());
}

#[test]
fn a_zip_bomb_posing_as_xlsx() {
    let dir = temp_dir();
    let mut sheet = b"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>".to_vec();
    sheet.extend(std::iter::repeat_n(b' ', 300 * 1024 * 1024));
    sheet.extend(b"</sheetData></worksheet>");
    let bomb = zip_file(
        &dir.path().join("bomb.xlsx"),
        &[
            ("[Content_Types].xml", b"<Types/>".to_vec()),
            ("xl/workbook.xml", br#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_vec()),
            ("xl/_rels/workbook.xml.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_vec()),
            ("xl/worksheets/sheet1.xml", sheet),
        ],
    );
    refused_unchanged(&["import-sites", s(&bomb), "--study", STUDY]);
}

#[test]
fn a_csv_cell_that_is_a_formula_comes_out_as_text() {
    let w = Workspace::new();
    w.ok(&["init", "--demo"]);
    w.ok(&[
        "import-forums",
        s(&corpus("formula-injection.csv")),
        "--study",
        STUDY,
    ]);
    let out = w.path("tables");
    w.ok(&["export", "--format", "csv", "-o", s(&out), "--study", STUDY]);
    let forums = std::fs::read_to_string(out.join("forums.csv")).unwrap();
    assert!(forums.contains("'=cmd|"), "{forums}");
    assert!(
        !forums.contains(",=cmd") && !forums.contains(",\"=cmd"),
        "{forums}"
    );
}

#[test]
fn a_field_far_longer_than_any_name() {
    refused_unchanged(&[
        "import-sites",
        s(&corpus("over-long-fields.csv")),
        "--study",
        STUDY,
    ]);
}

#[test]
fn a_date_that_does_not_exist() {
    let line = refused_unchanged(&[
        "import-forums",
        s(&corpus("invalid-date.csv")),
        "--study",
        STUDY,
    ]);
    assert!(line.contains("31 กุมภาพันธ์ 2566"), "{line}");
    assert!(
        line.contains("แถวที่ 3") || line.contains("3"),
        "names the row: {line}"
    );
}

#[test]
fn a_negative_count() {
    let line = refused_unchanged(&[
        "import-submissions",
        s(&corpus("negative-counts.csv")),
        "--study",
        STUDY,
    ]);
    assert!(line.contains("-5"), "{line}");
}
