//! REFI-QDA both ways: the demo study exported as .qdpx and .qdc (each file validated by
//! xmllint against the standard's schema), imported back whole; projects written the way
//! other tools write them (CRLF text, BOM, upper-case GUIDs in braces, `Sources/`);
//! hostile archives refused with nothing written.

use rian_core::edit;
use rian_core::exchange::{self, ExportOptions, qdpx, refi};
use rian_core::model::*;
use rian_core::store::Store;
use std::io::Write;
use std::path::Path;
use std::process::Command;

async fn store(dir: &Path) -> Store {
    Store::open(&rian_core::store::scratch_location(dir).await.unwrap())
        .await
        .unwrap()
}

/// Validates a file with xmllint against one of the schemas kept beside this test.
fn validate(file: &Path, schema: &str) {
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/refi")
        .join(schema);
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&xsd)
        .arg(file)
        .output()
        .expect("xmllint runs (Debian libxml2-utils; .ci/run installs it)");
    assert!(
        out.status.success(),
        "{} does not validate against {schema}:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The file `name` inside a zip.
fn entry(zip_bytes: &[u8], name: &str) -> Vec<u8> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut out = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut out).unwrap();
    out
}

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (name, bytes) in files {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

/// A code: key, parent's key, Thai and English names, colour, description.
type KeptCode = (
    String,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
);
/// A site: name, province, district, level, admin code, fictional.
type KeptSite = (
    String,
    String,
    Option<String>,
    AdminLevel,
    Option<String>,
    bool,
);
/// A forum: site, kind, date, title, participants.
type KeptForum = (
    String,
    ForumKind,
    Option<IsoDate>,
    Option<String>,
    Option<i64>,
);
/// A coding: document, code key, span, coder, status, memo.
type KeptCoding = (String, String, Span, String, CodingStatus, Option<String>);
/// A memo: target kind, what it is on, text, author, time.
type KeptMemo = (MemoTarget, String, String, String, String);

/// Everything a round trip must keep of a study, with ids replaced by what they name.
#[derive(Debug, PartialEq)]
struct Kept {
    codes: Vec<KeptCode>,
    sites: Vec<KeptSite>,
    forums: Vec<KeptForum>,
    documents: Vec<(String, String)>,
    codings: Vec<KeptCoding>,
    memos: Vec<KeptMemo>,
}

async fn kept(store: &Store, study_id: i64) -> Kept {
    let codes = store.codes(study_id).await.unwrap();
    let key_of = |id: i64| codes.iter().find(|c| c.id == id).unwrap().key.clone();
    let mut k = Kept {
        codes: codes
            .iter()
            .map(|c| {
                (
                    c.key.clone(),
                    c.parent_id.map(key_of),
                    c.name_th.clone(),
                    c.name_en.clone(),
                    c.color.clone(),
                    c.description.clone(),
                )
            })
            .collect(),
        sites: vec![],
        forums: vec![],
        documents: vec![],
        codings: vec![],
        memos: vec![],
    };
    let mut names = std::collections::HashMap::new();
    for o in store.site_overviews(study_id).await.unwrap() {
        let s = o.site;
        names.insert((MemoTarget::Site, s.id), s.name_th.clone());
        k.sites.push((
            s.name_th.clone(),
            s.province_th.clone(),
            s.district_th.clone(),
            s.level,
            s.admin_code.clone(),
            s.fictional,
        ));
        for f in store.forums(Some(s.id)).await.unwrap() {
            k.forums.push((
                s.name_th.clone(),
                f.kind,
                f.date,
                f.title.clone(),
                f.participants,
            ));
            for d in store.documents(f.id).await.unwrap() {
                names.insert((MemoTarget::Document, d.id), d.title.clone());
                k.documents.push((d.title.clone(), d.text.clone()));
                for c in store.codings(d.id).await.unwrap() {
                    let quote: String = d
                        .text
                        .chars()
                        .skip(c.span.start as usize)
                        .take((c.span.end - c.span.start) as usize)
                        .collect();
                    names.insert((MemoTarget::Coding, c.id), quote);
                    k.codings.push((
                        d.title.clone(),
                        key_of(c.code_id),
                        c.span,
                        c.coder.clone(),
                        c.status,
                        c.memo.clone(),
                    ));
                }
            }
        }
    }
    for c in &codes {
        names.insert((MemoTarget::Code, c.id), c.key.clone());
    }
    for m in store.memos(study_id, None, None).await.unwrap() {
        k.memos.push((
            m.target,
            names[&(m.target, m.target_id)].clone(),
            m.text.clone(),
            m.author.clone(),
            m.written_at.clone(),
        ));
    }
    k.codings
        .sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    k.memos
        .sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    k
}

#[tokio::test]
async fn the_demo_study_round_trips_through_qdpx_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let demo = rian_core::demo::load_demo(&store).await.unwrap();
    let study = demo.study_id;
    // Give it one of everything a project carries: memos on a document, a coding, a code
    // and a site; a suggested coding with a memo; a rejected one that must stay behind.
    let site = store.site_overviews(study).await.unwrap()[0].site.clone();
    let forum = store.forums(Some(site.id)).await.unwrap()[0].clone();
    let doc = store.documents(forum.id).await.unwrap()[0].clone();
    let coding = store.codings(doc.id).await.unwrap()[0].clone();
    let code = store.codes(study).await.unwrap()[3].clone();
    for (target, target_id, text) in [
        (
            MemoTarget::Document,
            doc.id,
            "บันทึกเอกสาร <b>&amp;</b>\nสองบรรทัด",
        ),
        (MemoTarget::Coding, coding.id, "ข้อสังเกตต่อข้อความนี้"),
        (MemoTarget::Code, code.id, "นิยามรหัส"),
        (MemoTarget::Site, site.id, "พื้นที่นี้คืนข้อมูลแล้ว"),
    ] {
        edit::create(
            &store,
            "อาจารย์สมหญิง",
            Record::Memo(Memo {
                id: 0,
                study_id: study,
                target,
                target_id,
                text: text.into(),
                author: "อาจารย์สมหญิง".into(),
                written_at: String::new(),
            }),
        )
        .await
        .unwrap();
    }
    for (status, memo) in [
        (CodingStatus::Suggested, Some("ระบบเสนอ")),
        (CodingStatus::Rejected, None),
    ] {
        edit::create(
            &store,
            "rian",
            Record::Coding(Coding {
                id: 0,
                document_id: doc.id,
                code_id: code.id,
                span: Span { start: 3, end: 9 },
                coder: "rian".into(),
                status,
                memo: memo.map(str::to_string),
                cue: None,
            }),
        )
        .await
        .unwrap();
    }
    let before = kept(&store, study).await;

    let exported = exchange::export_study(&store, study, ExportOptions { suggestions: true })
        .await
        .unwrap();
    assert!(
        exported.notices.iter().any(|n| n.en.contains("1 rejected")),
        "{:?}",
        exported.notices
    );
    let bytes = qdpx::pack(&exported.project).unwrap();
    let qde = dir.path().join("project.qde");
    std::fs::write(&qde, entry(&bytes, "project.qde")).unwrap();
    validate(&qde, "Project-mrt2019.xsd");
    // The text travels as a file of its own, normalized UTF-8 with LF.
    let source = &exported.project.sources[0];
    let text = entry(&bytes, &format!("sources/{}.txt", source.guid));
    assert_eq!(String::from_utf8(text).unwrap(), doc.text);

    let (project, notices) = qdpx::unpack(&bytes).unwrap();
    assert!(notices.is_empty(), "{notices:?}");
    let back = exchange::import_project(&store, &project, "back", None, notices)
        .await
        .unwrap();
    assert!(back.notices.is_empty(), "{:?}", back.notices);
    let after = kept(&store, back.study_id).await;
    // The rejected suggestion is the one thing left behind, as the export said.
    let mut expected = before;
    expected.codings.retain(|c| c.4 != CodingStatus::Rejected);
    // So are forums with no document (a planned data-return forum): a project holds
    // sources, not meetings. The export says so.
    expected.forums.retain(|f| f.1 != ForumKind::DataReturn);
    assert!(
        exported
            .notices
            .iter()
            .any(|n| n.en.contains("1 forums with no document")),
        "{:?}",
        exported.notices
    );
    // Memos keep their author and time; codings keep their coder.
    assert_eq!(after.memos, expected.memos);
    assert_eq!(after.codings, expected.codings);
    assert_eq!(after.codes, expected.codes);
    assert_eq!(after.sites, expected.sites);
    assert_eq!(after.forums, expected.forums);
    assert_eq!(after.documents, expected.documents);
    assert_eq!(
        store.study(back.study_id).await.unwrap().fiscal_year_be,
        2566
    );

    // Without --suggestions, the suggestion stays behind too, and the export says so.
    let plain = exchange::export_study(&store, study, ExportOptions::default())
        .await
        .unwrap();
    assert_eq!(plain.codings, exported.codings - 1);
    assert!(plain.notices.iter().any(|n| n.en.contains("1 suggested")));

    // A second import under the same name is refused and writes nothing.
    let studies = store.studies().await.unwrap().len();
    assert!(
        exchange::import_project(&store, &project, "back", None, vec![])
            .await
            .is_err()
    );
    assert_eq!(store.studies().await.unwrap().len(), studies);
}

#[tokio::test]
async fn the_codebook_exports_as_qdc_and_adds_what_a_study_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let demo = rian_core::demo::load_demo(&store).await.unwrap();
    let codes = exchange::export_codebook(&store, demo.study_id)
        .await
        .unwrap();
    let xml = refi::write_codebook(&codes, exchange::ORIGIN);
    let file = dir.path().join("codebook.qdc");
    std::fs::write(&file, &xml).unwrap();
    validate(&file, "Codebook.xsd");

    // Another tool's codebook: one code the demo has (by key), one it lacks, nested.
    let qdc = r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 2022">
  <Codes>
    <Code guid="{0A1B2C3D-0000-4000-8000-000000000001}" name="3.2 ปัจจัยความสำเร็จ" isCodable="true" color="#ABC"/>
    <Code guid="{0A1B2C3D-0000-4000-8000-000000000002}" name="Digital skills" isCodable="true" color="#FF0000">
      <Description>ทักษะดิจิทัลของแกนนำ</Description>
      <Code guid="0a1b2c3d-0000-4000-8000-000000000003" name="Online selling" isCodable="true"/>
    </Code>
  </Codes>
  <Sets><Set guid="0a1b2c3d-0000-4000-8000-000000000009" name="s"/></Sets>
</CodeBook>"##;
    let file = dir.path().join("other.qdc");
    std::fs::write(&file, qdc).unwrap();
    validate(&file, "Codebook.xsd");
    let (book, mut notices) = refi::read_codebook(qdc.as_bytes()).unwrap();
    let before = store.codes(demo.study_id).await.unwrap().len();
    let added = exchange::import_codebook(&store, "test", demo.study_id, &book, &mut notices)
        .await
        .unwrap();
    assert_eq!(added, 2);
    assert!(
        notices.iter().any(|n| n.en.contains("1 sets")),
        "{notices:?}"
    );
    let codes = store.codes(demo.study_id).await.unwrap();
    assert_eq!(codes.len(), before + 2);
    let digital = codes
        .iter()
        .find(|c| c.name_th == "Digital skills")
        .unwrap();
    assert_eq!(digital.color, "#ff0000");
    assert_eq!(digital.description.as_deref(), Some("ทักษะดิจิทัลของแกนนำ"));
    let online = codes
        .iter()
        .find(|c| c.name_th == "Online selling")
        .unwrap();
    assert_eq!(online.parent_id, Some(digital.id));
    // The additions are one batch of the activity log: one undo takes both away.
    assert_eq!(edit::undo_last(&store, demo.study_id).await.unwrap(), 2);
    assert_eq!(store.codes(demo.study_id).await.unwrap().len(), before);
}

/// A project as another tool writes it: GUIDs upper-case in braces, the text in
/// `Sources/` with a BOM and CRLF line ends (positions count CR and LF), a picture source,
/// a source in no case, a note on a selection, a case named as Thai agencies write it.
const OTHER_TOOL: &str = r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Strong tambon (NVivo)" origin="NVivo 14">
  <Users><User guid="{9F0E0000-0000-4000-8000-0000000000AA}" name="Dr. Somchai"/></Users>
  <CodeBook><Codes>
    <Code guid="{9F0E0000-0000-4000-8000-000000000001}" name="Leadership" isCodable="true" color="#1F77B4">
      <Code guid="{9F0E0000-0000-4000-8000-000000000002}" name="Trust" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Cases>
    <Case guid="{9F0E0000-0000-4000-8000-0000000000C1}" name="ต.พระแท่น">
      <SourceRef targetGUID="{9F0E0000-0000-4000-8000-0000000000D1}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{9F0E0000-0000-4000-8000-0000000000D1}" name="Forum notes" plainTextPath="internal://9F0E0000-0000-4000-8000-0000000000D1.TXT">
      <PlainTextSelection guid="{9F0E0000-0000-4000-8000-0000000000E1}" name="trust" startPosition="11" endPosition="16" creatingUser="{9F0E0000-0000-4000-8000-0000000000AA}">
        <Coding guid="{9F0E0000-0000-4000-8000-0000000000F1}" creatingUser="{9F0E0000-0000-4000-8000-0000000000AA}">
          <CodeRef targetGUID="{9F0E0000-0000-4000-8000-000000000002}"/>
        </Coding>
        <NoteRef targetGUID="{9F0E0000-0000-4000-8000-0000000000B1}"/>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="{9F0E0000-0000-4000-8000-0000000000D2}" name="Loose">
      <PlainTextContent>ข้อความลอย</PlainTextContent>
    </TextSource>
    <PictureSource guid="{9F0E0000-0000-4000-8000-0000000000D3}" name="photo" path="internal://x.jpg"/>
  </Sources>
  <Notes>
    <Note guid="{9F0E0000-0000-4000-8000-0000000000B1}" name="memo" creatingUser="{9F0E0000-0000-4000-8000-0000000000AA}" creationDateTime="2023-04-01T09:30:00Z">
      <PlainTextContent>Leaders are trusted</PlainTextContent>
    </Note>
  </Notes>
</Project>"##;

#[tokio::test]
async fn imports_a_project_as_other_tools_write_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let file = dir.path().join("other.qde");
    std::fs::write(&file, OTHER_TOOL).unwrap();
    validate(&file, "Project-mrt2019.xsd");
    // The selection 11..16 counts the file's code points after the BOM, CR and LF each
    // one: "ไว้ใจ". Once the text is normalized (no CR) it starts one earlier.
    let text = "\u{feff}ผู้นำ\r\nความไว้ใจ ทำงาน\r\n";
    let raw: Vec<char> = text.trim_start_matches('\u{feff}').chars().collect();
    let quote: String = raw[11..16].iter().collect();
    assert_eq!(quote, "ไว้ใจ", "the fixture's positions");
    let bytes = zip_of(&[
        ("project.qde", OTHER_TOOL.as_bytes()),
        (
            "Sources/9F0E0000-0000-4000-8000-0000000000D1.txt",
            text.as_bytes(),
        ),
    ]);
    let (project, notices) = qdpx::unpack(&bytes).unwrap();
    assert!(
        notices.iter().any(|n| n.en.contains("PictureSource")),
        "{notices:?}"
    );
    let done = exchange::import_project(&store, &project, "nvivo", Some(2566), notices)
        .await
        .unwrap();
    assert_eq!(
        (done.codes, done.documents, done.codings, done.memos),
        (2, 2, 1, 1)
    );
    assert!(
        done.notices.iter().any(|n| n.en.contains("in no case")),
        "{:?}",
        done.notices
    );
    let sites = store.site_overviews(done.study_id).await.unwrap();
    let phra_thaen = &sites[0].site;
    assert_eq!(phra_thaen.name_th, "พระแท่น");
    assert_eq!(phra_thaen.province_th, "กาญจนบุรี");
    assert_eq!(phra_thaen.level, AdminLevel::Tambon);
    let forum = &store.forums(Some(phra_thaen.id)).await.unwrap()[0];
    let doc = &store.documents(forum.id).await.unwrap()[0];
    // Normalized: no BOM, LF line ends.
    assert_eq!(doc.text, "ผู้นำ\nความไว้ใจ ทำงาน\n");
    let coding = &store.codings(doc.id).await.unwrap()[0];
    let got: String = doc
        .text
        .chars()
        .skip(coding.span.start as usize)
        .take((coding.span.end - coding.span.start) as usize)
        .collect();
    assert_eq!(got, "ไว้ใจ");
    assert_eq!(coding.span, Span { start: 10, end: 15 });
    assert_eq!(coding.coder, "Dr. Somchai");
    assert_eq!(coding.status, CodingStatus::Accepted);
    let codes = store.codes(done.study_id).await.unwrap();
    let trust = codes.iter().find(|c| c.id == coding.code_id).unwrap();
    assert_eq!(trust.name_th, "Trust");
    assert_eq!(trust.key, "1.1");
    let memo = &store
        .memos(done.study_id, Some((MemoTarget::Coding, coding.id)), None)
        .await
        .unwrap()[0];
    assert_eq!(memo.text, "Leaders are trusted");
    assert_eq!(memo.author, "Dr. Somchai");
    assert_eq!(memo.written_at, "2023-04-01 09:30:00");
}

#[tokio::test]
async fn hostile_archives_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let escape = OTHER_TOOL.replace(
        "internal://9F0E0000-0000-4000-8000-0000000000D1.TXT",
        "internal://../../etc/passwd",
    );
    let xxe = OTHER_TOOL.replace(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
        "<?xml version=\"1.0\"?><!DOCTYPE Project [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>",
    );
    let cases: [(&str, Vec<u8>); 5] = [
        ("escape", zip_of(&[("project.qde", escape.as_bytes())])),
        ("doctype", zip_of(&[("project.qde", xxe.as_bytes())])),
        ("no project", zip_of(&[("other.xml", b"<x/>")])),
        ("not a zip", b"PK\x03\x04 nothing".to_vec()),
        (
            "slip",
            zip_of(&[
                ("project.qde", OTHER_TOOL.as_bytes()),
                ("../evil.txt", b"x"),
            ]),
        ),
    ];
    for (what, bytes) in cases {
        let e = qdpx::unpack(&bytes).expect_err(what);
        let message = e.to_string();
        assert!(
            message.contains(" / "),
            "{what}: Thai and English: {message}"
        );
        assert!(!message.contains('\n'), "{what}: one line: {message}");
    }
    // A project whose coding points outside its text, imported: the bad coding is reported
    // and left out, the rest is written.
    let bad = OTHER_TOOL.replace("endPosition=\"16\"", "endPosition=\"900\"");
    let bytes = zip_of(&[
        ("project.qde", bad.as_bytes()),
        (
            "sources/9f0e0000-0000-4000-8000-0000000000d1.txt",
            "ผู้นำ".as_bytes(),
        ),
    ]);
    let (project, notices) = qdpx::unpack(&bytes).unwrap();
    let done = exchange::import_project(&store, &project, "bad", None, notices)
        .await
        .unwrap();
    assert_eq!(done.codings, 0);
    assert!(
        done.notices
            .iter()
            .any(|n| n.en.contains("outside the text"))
    );
    // A bad study name writes nothing at all.
    let before = store.studies().await.unwrap().len();
    assert!(
        exchange::import_project(&store, &project, "มีช่องว่าง x", None, vec![])
            .await
            .is_err()
    );
    assert_eq!(store.studies().await.unwrap().len(), before);
}
