//! The demo's Thonburi report typeset to PDF and read back with poppler's tools, as a
//! person would read it: the Thai words intact, Sarabun embedded, A4 pages that render.
//! Pages are kept as PNG under target/report-pages/ for a person to look at.

use rian_core::demo::load_demo;
use rian_core::model::IsoDate;
use rian_core::report::{ReportOptions, site_report, study_report};
use rian_core::store::{OpenMode, Store};
use std::path::{Path, PathBuf};
use std::process::Command;

async fn demo_store(dir: &Path) -> (Store, i64) {
    let store = Store::open_with(
        &rian_core::store::scratch_location(dir).await.unwrap(),
        OpenMode::Create,
    )
    .await
    .unwrap();
    let demo = load_demo(&store).await.unwrap();
    (store, demo.study_id)
}

fn options() -> ReportOptions {
    ReportOptions {
        date: IsoDate::new(2023, 5, 15),
        ..ReportOptions::default()
    }
}

fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) must be installed: {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn artifacts(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/report-pages")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Text as pdftotext reads it, with line ends joined (a word may wrap across lines).
fn text_of(pdf: &Path) -> String {
    poppler("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
}

#[tokio::test]
async fn the_thonburi_report_reads_back_in_thai_with_sarabun_embedded() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = demo_store(dir.path()).await;
    let site = store.find_site("ธนบุรี").await.unwrap();
    let report = site_report(&store, site.id, &options()).await.unwrap();
    let pdf = rian_report::site_pdf(&report).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let out = artifacts("thonburi");
    let path = out.join("thonburi.pdf");
    std::fs::write(&path, &pdf).unwrap();

    let text = text_of(&path);
    // Stacked vowels and tone marks come back once each, and words are whole.
    for word in [
        "รายงานคืนข้อมูลแก่ชุมชน",
        "เขตธนบุรี",
        "15 พฤษภาคม 2566",
        "31 มีนาคม 2566",
        "กองทุนสวัสดิการชุมชนเขตธนบุรีช่วยสมาชิกได้ทันที",
        "ข้อมูลที่ขอให้ชุมชนตรวจสอบ",
        "ที่ทำการสภาองค์กรชุมชนเขตธนบุรี",
        "ตั้งมั่นและไม่ท้อถอย",
        "น้ำใจ",
        "ปัจจัยความสำเร็จ",
    ] {
        assert!(
            text.contains(word),
            "{word:?} not in the PDF's text:\n{text}"
        );
    }
    for broken in ["ทั้ทั้", "ตั้ตั้ง", "นั้นั้น"] {
        assert!(!text.contains(broken), "doubled cluster {broken:?}");
    }
    // Every verify item is in the table with its number; the report has one per quote.
    assert_eq!(
        report
            .parts
            .iter()
            .flat_map(|p| &p.findings)
            .map(|f| f.quotes.len())
            .sum::<usize>(),
        10
    );
    assert!(report.verify.len() >= 11, "{}", report.verify.len());

    let fonts = poppler("pdffonts", &[path.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in &rows {
        assert!(row.contains("Sarabun"), "a font other than Sarabun: {row}");
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type encoding emb sub uni …: emb is the 5th column from the end.
        assert_eq!(cols[cols.len() - 5], "yes", "not embedded: {row}");
    }

    let info = poppler("pdfinfo", &[path.to_str().unwrap()]);
    assert!(
        info.contains("595.276 x 841.89") || info.contains("(A4)"),
        "{info}"
    );
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages >= 4, "{pages} pages");
    // Page numbers in the footer.
    assert!(text.contains(&format!("หน้า {pages}")), "{text}");

    poppler(
        "pdftoppm",
        &[
            "-r",
            "70",
            "-png",
            path.to_str().unwrap(),
            out.join("page").to_str().unwrap(),
        ],
    );
    let pngs = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")
        })
        .count();
    assert_eq!(pngs, pages);
}

#[tokio::test]
async fn personal_data_and_thai_digits_follow_the_options() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = demo_store(dir.path()).await;
    let site = store.find_site("ธนบุรี").await.unwrap();
    let forum = store.forums(Some(site.id)).await.unwrap()[0].id;
    let mut tx = store.begin().await.unwrap();
    tx.insert_attendee(&rian_core::model::Attendee {
        id: 0,
        forum_id: forum,
        name: "นางสาวทดสอบ ใจดี".into(),
        phone: Some("081-234-5678".into()),
        role: None,
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let plain = site_report(&store, site.id, &options()).await.unwrap();
    let json = serde_json::to_string(&plain).unwrap();
    assert!(
        !json.contains("ทดสอบ") && !json.contains("081"),
        "personal data leaked"
    );

    let asked = ReportOptions {
        personal: true,
        thai_digits: true,
        ..options()
    };
    let report = site_report(&store, site.id, &asked).await.unwrap();
    assert_eq!(
        report.forums[0].attendees,
        ["นางสาวทดสอบ ใจดี · ๐๘๑-๒๓๔-๕๖๗๘"]
    );
    assert_eq!(report.cover.date, "๑๕ พฤษภาคม ๒๕๖๖");
    let path = dir.path().join("thai-digits.pdf");
    std::fs::write(&path, rian_report::site_pdf(&report).unwrap()).unwrap();
    let text = text_of(&path);
    assert!(text.contains("๔๓ ชุมชน"), "{text}");
    assert!(text.contains("หน้า ๒"), "{text}");
    assert!(!text.contains("43 ชุมชน"));
}

#[tokio::test]
async fn markup_in_the_record_prints_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = demo_store(dir.path()).await;
    let site = store.find_site("ธนบุรี").await.unwrap();
    let mut report = site_report(&store, site.id, &options()).await.unwrap();
    report.cover.site = "#pagebreak() $x^2$ <script>alert(1)</script> \\ ]".into();
    let pdf = rian_report::site_pdf(&report).unwrap();
    let path = dir.path().join("markup.pdf");
    std::fs::write(&path, pdf).unwrap();
    let text = text_of(&path);
    assert!(
        text.contains("#pagebreak() $x^2$ <script>alert(1)</script>"),
        "{text}"
    );
}

#[tokio::test]
async fn the_study_synthesis_covers_every_site() {
    let dir = tempfile::tempdir().unwrap();
    let (store, study) = demo_store(dir.path()).await;
    let report = study_report(&store, study, &options()).await.unwrap();
    assert_eq!(report.matrix.len(), 10);
    assert_eq!(report.matrix[0].counts, [1, 2, 3, 2, 1]);
    let out = artifacts("study");
    let path = out.join("study.pdf");
    std::fs::write(&path, rian_report::study_pdf(&report).unwrap()).unwrap();
    let text = text_of(&path);
    for word in [
        "รายงานสังเคราะห์ผลการศึกษา",
        "ตะลุบัน",
        "ปัจจัยความสำเร็จ",
        "Thai PBS",
        "แผนที่พื้นที่ศึกษา",
    ] {
        assert!(text.contains(word), "{word:?} not in:\n{text}");
    }
    poppler(
        "pdftoppm",
        &[
            "-r",
            "60",
            "-png",
            path.to_str().unwrap(),
            out.join("page").to_str().unwrap(),
        ],
    );
}

/// Lines break between Thai words: every place the PDF wraps a long Thai passage is a
/// boundary rian's own segmenter also finds.
#[tokio::test]
async fn thai_lines_wrap_between_words() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = demo_store(dir.path()).await;
    let site = store.find_site("ธนบุรี").await.unwrap();
    let mut report = site_report(&store, site.id, &options()).await.unwrap();
    // A long passage without spaces, as Thai notes are written.
    let passage = "ชุมชนกึ่งเมืองของเขตธนบุรีรวมกลุ่มกันได้มากขึ้นในช่วงโรคระบาดความร่วมมือขยายไปถึงสี่สิบสามชุมชนและทำงานบูรณาการกับเครือข่ายสามสิบเครือข่ายกองทุนสวัสดิการชุมชนช่วยสมาชิกได้ทันทีแม้วงเงินไม่มากแต่ช่วยชาวบ้านได้มากทีมสภาองค์กรชุมชนทำหน้าที่ด่านหน้าช่วยเหลือสมาชิกและไม่มีใครในทีมติดเชื้อ";
    report.parts[0].summary = Some(passage.into());
    let path = dir.path().join("wrap.pdf");
    std::fs::write(&path, rian_report::site_pdf(&report).unwrap()).unwrap();
    let text = text_of(&path);
    // The passage's lines, in order, as pdftotext reads them.
    let start = text.find("ชุมชนกึ่งเมือง").expect("the passage is in the PDF");
    let mut lines = Vec::new();
    let mut joined = String::new();
    for line in text[start..].lines() {
        joined.push_str(line.trim());
        lines.push(line.trim().to_string());
        if joined.chars().count() >= passage.chars().count() {
            break;
        }
    }
    assert_eq!(joined, passage, "the passage reads back whole:\n{lines:#?}");
    assert!(lines.len() >= 3, "it wraps: {lines:#?}");
    // A break is between words when rian's segmenter starts a word there, or when it
    // splits a longer word into two that are words of the dictionary themselves
    // (ความ|ร่วมมือ: Typst's own dictionary, ICU's, may break there). Never inside a word
    // from both sides (ควา|มร่วมมือ).
    use rian_core::thai::segment::{Segmenter, TokenKind};
    let segmenter = Segmenter::builtin();
    let tokens = segmenter.tokens(passage);
    let all_words = |s: &str| {
        !s.is_empty()
            && segmenter
                .tokenize(s)
                .iter()
                .all(|t| t.kind == TokenKind::Thai)
    };
    let between_words = |at: usize| {
        tokens.iter().any(|r| r.start == at)
            || tokens.iter().any(|r| {
                r.start < at
                    && at < r.end
                    && all_words(&passage[r.start..at])
                    && all_words(&passage[at..r.end])
            })
    };
    let mut at = 0;
    for line in &lines[..lines.len() - 1] {
        at += line.len();
        assert!(
            between_words(at),
            "a line ends inside a word: {:?} | {:?}",
            &passage[..at],
            &passage[at..]
        );
    }
}
