//! Generates a study of ten fictional sites with what a finished study holds (forums,
//! notes, accepted codings under every part, SWOT boards, ties, plan items), then times
//! the site report (gather + typeset) for every site and the study synthesis, and
//! Chromium's print-to-PDF of the same reports as standalone HTML.

use rian_core::model::*;
use rian_core::pipeline::create_study_with_codes;
use rian_core::report::{ReportOptions, site_report, study_report};
use rian_core::store::{Location, OpenMode, Store};
use std::process::Command;
use std::time::Instant;

const SITES: usize = 10;
const FORUMS_PER_SITE: usize = 2;
const CODINGS_PER_DOCUMENT: usize = 24;

struct Dice(u64);
impl Dice {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

const CLAUSES: [&str; 12] = [
    "ชุมชนมีกองทุนสวัสดิการที่ดูแลสมาชิกตั้งแต่เกิดจนตาย",
    "ผู้นำเสียสละและเป็นแบบอย่างที่ดีให้คนรุ่นใหม่",
    "ปัญหาขยะในคลองได้รับการแก้ไขด้วยการคัดแยกที่ต้นทาง",
    "เครือข่ายหน่วยงานท้องถิ่นสนับสนุนงบประมาณและวิชาการ",
    "เยาวชนร่วมกิจกรรมอนุรักษ์ประเพณีของชุมชนทุกปี",
    "ผู้สูงอายุได้รับการดูแลจากอาสาสมัครสาธารณสุขประจำหมู่บ้าน",
    "มีการประชุมประจำเดือนเพื่อติดตามแผนพัฒนาชุมชนร่วมกัน",
    "ภูมิปัญญาท้องถิ่นเรื่องสมุนไพรถูกถ่ายทอดสู่คนรุ่นใหม่",
    "น้ำท่วมซ้ำซากทำให้ผลผลิตทางการเกษตรเสียหายทุกปี",
    "กลุ่มออมทรัพย์ช่วยลดหนี้นอกระบบของครัวเรือน",
    "สภาองค์กรชุมชนประสานงานกับองค์การบริหารส่วนตำบลอย่างใกล้ชิด",
    "การท่องเที่ยวชุมชนสร้างรายได้เสริมให้กลุ่มแม่บ้าน",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn summary(mut ms: Vec<f64>) -> String {
    if ms.is_empty() {
        return "—".into();
    }
    ms.sort_by(f64::total_cmp);
    format!("{:.0} / {:.0}", percentile(&ms, 0.5), percentile(&ms, 0.99))
}

async fn generate(store: &Store) -> rian_core::Result<(i64, Vec<i64>)> {
    let mut dice = Dice(7);
    let mut tx = store.begin().await?;
    let (study, codes) = create_study_with_codes(
        &mut tx,
        &Study {
            id: 0,
            slug: "bench-report".into(),
            name_th: "การศึกษาทดสอบรายงานคืนข้อมูล (ตัวอย่าง)".into(),
            name_en: None,
            fiscal_year_be: 2567,
            framework: "five_part".into(),
        },
    )
    .await?;
    let leaves: Vec<i64> = ["1.1", "1.3", "2.1", "2.2", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "5.1", "5.3", "traits"]
        .iter()
        .map(|k| codes[k])
        .collect();
    let provinces = ["น่าน", "สตูล", "ขอนแก่น", "ชลบุรี", "เชียงใหม่"];
    let mut sites = Vec::new();
    let mut actors = Vec::new();
    for (i, name) in ["กองทุนสวัสดิการชุมชน", "องค์การบริหารส่วนตำบล", "มหาวิทยาลัยในพื้นที่", "สถานีวิทยุชุมชน", "โรงพยาบาลส่งเสริมสุขภาพตำบล", "สำนักงานพัฒนาชุมชนอำเภอ"].iter().enumerate() {
        actors.push(
            tx.insert_actor(&Actor {
                id: 0,
                study_id: study,
                name: format!("{name} (ตัวอย่าง {i})"),
                kind: ActorKind::guess(name),
            })
            .await?,
        );
    }
    for s in 0..SITES {
        let site = tx
            .insert_site(&Site {
                id: 0,
                study_id: study,
                position: s as i64,
                name_th: format!("ตัวอย่าง{s}"),
                level: AdminLevel::Tambon,
                district_th: None,
                province_th: provinces[s % provinces.len()].into(),
                admin_code: None,
                lat: None,
                lon: None,
                fictional: true,
            })
            .await?;
        sites.push(site);
        for f in 0..FORUMS_PER_SITE {
            let forum = tx
                .insert_forum(&Forum {
                    id: 0,
                    site_id: site,
                    kind: ForumKind::LessonsLearned,
                    status: ForumStatus::Held,
                    title: Some(format!("เวทีสรุปบทเรียน ครั้งที่ {}", f + 1)),
                    date: IsoDate::from_be(2567, 1 + (s % 12) as u32, 1 + f as u32),
                    date_end: None,
                    venue: Some("ศาลาประชาคมหมู่บ้าน".into()),
                    participants: Some(20 + s as i64),
                    reviewed_at: None,
                    reviewed_by: None,
                })
                .await?;
            let text: String = (0..12)
                .map(|_| (0..3).map(|_| CLAUSES[dice.next(CLAUSES.len())]).collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n");
            let document = tx
                .insert_document(&Document {
                    id: 0,
                    forum_id: forum,
                    title: format!("บันทึกเวที {s}-{f}"),
                    source_name: None,
                    media_type: "text/plain".into(),
                    original: Vec::new(),
                    text: text.clone(),
                    content_hash: content_hash(format!("{s}-{f}").as_bytes()),
                })
                .await?;
            let chars: Vec<char> = text.chars().collect();
            for _ in 0..CODINGS_PER_DOCUMENT {
                let start = dice.next(chars.len() - 120);
                let len = 40 + dice.next(80);
                tx.insert_coding(&Coding {
                    id: 0,
                    document_id: document,
                    code_id: leaves[dice.next(leaves.len())],
                    span: Span { start: start as i64, end: (start + len) as i64 },
                    coder: "bench".into(),
                    status: CodingStatus::Accepted,
                    memo: None,
                    cue: None,
                })
                .await?;
            }
        }
        for c in 0..3 {
            let community = tx
                .insert_community(&Community { id: 0, site_id: site, name_th: format!("ชุมชนตัวอย่าง {s}.{c}"), note: None })
                .await?;
            for (k, q) in Quadrant::ALL.iter().enumerate() {
                for j in 0..2 {
                    tx.insert_swot_item(&SwotItem {
                        id: 0,
                        community_id: community,
                        quadrant: *q,
                        text: CLAUSES[(k * 2 + j + c) % CLAUSES.len()].into(),
                        position: j as i64,
                        document_id: None,
                        span: None,
                    })
                    .await?;
                }
            }
        }
        for a in 0..4 {
            tx.insert_tie(&Tie {
                id: 0,
                actor_id: actors[(s + a) % actors.len()],
                site_id: site,
                kind: TieKind::Support,
                note: None,
                document_id: None,
                span: None,
            })
            .await?;
        }
        for p in 0..6 {
            tx.insert_plan_item(&PlanItem {
                id: 0,
                site_id: site,
                what: CLAUSES[(s + p) % CLAUSES.len()].into(),
                who: Some("คณะกรรมการชุมชน".into()),
                due: IsoDate::from_be(2568, 1 + p as u32, 15),
                status: PlanStatus::InProgress,
                progress: (p * 15) as i64,
            })
            .await?;
        }
    }
    tx.commit().await?;
    Ok((study, sites))
}

/// Chromium's print-to-PDF of an HTML file, in milliseconds; None without Chromium.
fn chromium_print(html: &std::path::Path, pdf: &std::path::Path, profile: &std::path::Path) -> Option<f64> {
    let t = Instant::now();
    let status = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    status.success().then(|| t.elapsed().as_secs_f64() * 1e3)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rounds: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let dir = tempfile::tempdir()?;
    let store = Store::open_unindexed(&Location::Sqlite(dir.path().join("rian.sqlite")), OpenMode::Create).await?;
    let (study, sites) = generate(&store).await?;
    let options = ReportOptions { date: IsoDate::new(2024, 6, 1), ..ReportOptions::default() };

    let (mut gather, mut typeset, mut site_total) = (vec![], vec![], vec![]);
    let (mut study_gather, mut study_typeset, mut study_total) = (vec![], vec![], vec![]);
    let (mut site_pages, mut study_pages, mut site_bytes, mut study_bytes) = (0, 0, 0, 0);
    for _ in 0..rounds {
        for &site in &sites {
            // Cold: nothing memoized from the round before (a first report of the day).
            rian_report::forget_layouts();
            let t0 = Instant::now();
            let report = site_report(&store, site, &options).await?;
            let t1 = Instant::now();
            let pdf = rian_report::site_pdf(&report)?;
            let t2 = Instant::now();
            gather.push((t1 - t0).as_secs_f64() * 1e3);
            typeset.push((t2 - t1).as_secs_f64() * 1e3);
            site_total.push((t2 - t0).as_secs_f64() * 1e3);
            site_bytes = pdf.len();
            site_pages = count_pages(&pdf);
        }
        rian_report::forget_layouts();
        let t0 = Instant::now();
        let report = study_report(&store, study, &options).await?;
        let t1 = Instant::now();
        let pdf = rian_report::study_pdf(&report)?;
        let t2 = Instant::now();
        study_gather.push((t1 - t0).as_secs_f64() * 1e3);
        study_typeset.push((t2 - t1).as_secs_f64() * 1e3);
        study_total.push((t2 - t0).as_secs_f64() * 1e3);
        study_bytes = pdf.len();
        study_pages = count_pages(&pdf);
    }

    // The peer: the same reports as standalone HTML, printed to PDF by headless Chromium
    // (a new browser process per report, as a script would run it).
    let (mut chrome_site, mut chrome_study) = (vec![], vec![]);
    let profile = dir.path().join("chromium");
    let site_html = dir.path().join("site.html");
    std::fs::write(&site_html, rian_web::site_html(&site_report(&store, sites[0], &options).await?)?)?;
    let study_html = dir.path().join("study.html");
    std::fs::write(&study_html, rian_web::study_html(&study_report(&store, study, &options).await?)?)?;
    for _ in 0..rounds.min(5) {
        if let Some(ms) = chromium_print(&site_html, &dir.path().join("site-chromium.pdf"), &profile) {
            chrome_site.push(ms);
        }
        if let Some(ms) = chromium_print(&study_html, &dir.path().join("study-chromium.pdf"), &profile) {
            chrome_study.push(ms);
        }
    }

    println!(
        "Generated: {SITES} fictional sites, {} forums, {} accepted codings, 6 SWOT items × 3 communities, 4 ties and 6 plan items per site. Site report: {site_pages} pages, {} KB; study synthesis: {study_pages} pages, {} KB.\n",
        SITES * FORUMS_PER_SITE,
        SITES * FORUMS_PER_SITE * CODINGS_PER_DOCUMENT,
        site_bytes / 1024,
        study_bytes / 1024
    );
    println!("| step | ms, p50 / p99 ({rounds} rounds; site rows over all {SITES} sites) |");
    println!("|---|---|");
    println!("| site report: read the record (`site_report`) | {} |", summary(gather));
    println!("| site report: typeset the PDF (`rian_report::site_pdf`) | {} |", summary(typeset));
    println!("| **site report, store to PDF** (goal < 2000) | **{}** |", summary(site_total));
    println!("| study synthesis: read (`study_report`) | {} |", summary(study_gather));
    println!("| study synthesis: typeset (`rian_report::study_pdf`) | {} |", summary(study_typeset));
    println!("| **study synthesis of {SITES} sites, store to PDF** (goal < 10000) | **{}** |", summary(study_total));
    println!("| peer: Chromium `--print-to-pdf` of the site report's HTML | {} |", summary(chrome_site));
    println!("| peer: Chromium `--print-to-pdf` of the synthesis HTML | {} |", summary(chrome_study));
    Ok(())
}

/// Pages of a PDF, by its page objects (good enough for a figure in a table).
fn count_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    let alt = b"/Type/Page";
    let count = |n: &[u8]| {
        pdf.windows(n.len())
            .enumerate()
            .filter(|(i, w)| *w == n && pdf.get(i + n.len()) != Some(&b's'))
            .count()
    };
    count(needle) + count(alt)
}
