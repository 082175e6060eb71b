//! Times the synthesis on a generated study: `coded_passages` (the store read every
//! analysis starts from), the framework matrix (sites × the five parts), co-occurrence
//! within paragraphs over every code, and a SQL GROUP BY of the same cells as the peer.

use rian_core::analyze::codes::{Within, cooccurrence};
use rian_core::analyze::matrix::{StudyRecord, matrix};
use rian_core::analyze::{Scope, framework_codes};
use rian_core::model::*;
use rian_core::store::{Location, Store};
use std::collections::HashMap;
use std::time::Instant;

const ROUNDS: usize = 20;
/// Codings per document.
const PER_DOCUMENT: usize = 4;

/// A small deterministic generator.
struct Dice(u64);
impl Dice {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

const CLAUSES: [&str; 8] = [
    "ชุมชนมีกองทุนสวัสดิการดูแลสมาชิก",
    "ผู้นำเสียสละและเป็นแบบอย่าง",
    "ปัญหาขยะในคลองได้รับการแก้ไข",
    "เครือข่ายหน่วยงานสนับสนุนงบประมาณ",
    "เยาวชนร่วมกิจกรรมของชุมชน",
    "ผู้สูงอายุได้รับการดูแลจากอาสาสมัคร",
    "มีการประชุมประจำเดือนทุกเดือน",
    "ภูมิปัญญาท้องถิ่นถูกถ่ายทอดสู่คนรุ่นใหม่",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn summary(mut ms: Vec<f64>) -> String {
    ms.sort_by(f64::total_cmp);
    format!("{:.1} / {:.1}", percentile(&ms, 0.5), percentile(&ms, 0.99))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (n_sites, n_codings) = (args.first().copied().unwrap_or(1000), args.get(1).copied().unwrap_or(100_000));
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("rian.sqlite");
    let store = Store::open_unindexed(&Location::Sqlite(path.clone()), rian_core::store::OpenMode::Create).await?;
    let clock = Instant::now();
    let mut tx = store.begin().await?;
    let study = tx
        .insert_study(&Study {
            id: 0,
            slug: "bench".into(),
            name_th: "การศึกษาทดสอบความเร็ว".into(),
            name_en: None,
            fiscal_year_be: 2567,
            framework: "five_part".into(),
        })
        .await?;
    let mut codes = Vec::new();
    let mut ids: HashMap<&str, i64> = HashMap::new();
    for (i, t) in default_codebook().iter().enumerate() {
        let id = tx
            .insert_code(&Code {
                id: 0,
                study_id: study,
                parent_id: t.parent.and_then(|p| ids.get(p).copied()),
                key: t.key.into(),
                name_th: t.name_th.into(),
                name_en: t.name_en.into(),
                color: t.color.into(),
                position: i as i64,
                description: None,
            })
            .await?;
        ids.insert(t.key, id);
        codes.push(id);
    }
    let mut dice = Dice(11);
    let documents = n_codings.div_ceil(PER_DOCUMENT);
    let mut sites = Vec::new();
    for i in 0..n_sites {
        sites.push(
            tx.insert_site(&Site {
                id: 0,
                study_id: study,
                position: i as i64,
                name_th: format!("ตัวอย่าง{i}"),
                level: AdminLevel::Tambon,
                district_th: None,
                province_th: ["น่าน", "สตูล", "ขอนแก่น", "ชลบุรี"][i % 4].into(),
                admin_code: None,
                lat: None,
                lon: None,
                fictional: true,
            })
            .await?,
        );
    }
    let mut coded = 0;
    for d in 0..documents {
        let forum = tx
            .insert_forum(&Forum {
                id: 0,
                site_id: sites[d % n_sites],
                kind: ForumKind::LessonsLearned,
                status: ForumStatus::Held,
                title: None,
                date: IsoDate::from_be(2566 + (d % 2) as i32, 1 + (d % 12) as u32, 1),
                date_end: None,
                venue: None,
                participants: None,
                reviewed_at: None,
                reviewed_by: None,
            })
            .await?;
        // Five paragraphs of three clauses.
        let text: String = (0..5)
            .map(|_| (0..3).map(|_| CLAUSES[dice.next(CLAUSES.len())]).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n");
        let document = tx
            .insert_document(&Document {
                id: 0,
                forum_id: forum,
                title: format!("บันทึก {d}"),
                source_name: None,
                media_type: "text/plain".into(),
                original: Vec::new(),
                text: text.clone(),
                content_hash: content_hash(format!("{d}").as_bytes()),
            })
            .await?;
        let len = text.chars().count();
        for _ in 0..PER_DOCUMENT.min(n_codings - coded) {
            let start = dice.next(len - 40);
            tx.insert_coding(&Coding {
                id: 0,
                document_id: document,
                code_id: codes[dice.next(codes.len())],
                span: Span { start: start as i64, end: (start + 10 + dice.next(30)) as i64 },
                coder: "bench".into(),
                status: CodingStatus::Accepted,
                memo: None,
                cue: None,
            })
            .await?;
            coded += 1;
        }
    }
    tx.commit().await?;
    eprintln!("generated {n_sites} sites, {documents} documents, {coded} codings in {:.1} s", clock.elapsed().as_secs_f64());
    let clock = Instant::now();
    let placed = store.place_codings().await?;
    let place_s = clock.elapsed().as_secs_f64();

    let all_codes = store.codes(study).await?;
    let site_rows: Vec<Site> = store.site_overviews(study).await?.into_iter().map(|o| o.site).collect();
    let chosen = framework_codes(&all_codes);
    let every: Vec<i64> = all_codes.iter().map(|c| c.id).collect();
    let (mut load, mut matrix_ms, mut co_ms, mut both, mut sql) = (vec![], vec![], vec![], vec![], vec![]);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await?;
    let mut check = 0usize;
    for _ in 0..ROUNDS {
        let t0 = Instant::now();
        let passages = store.coded_passages(study).await?;
        let t1 = Instant::now();
        let record = StudyRecord { sites: &site_rows, communities: &[], forums: &[], codes: &all_codes, passages: &passages };
        let m = matrix(record, MatrixRows::Site, &chosen, &Scope::default(), &[], &HashMap::new());
        let t2 = Instant::now();
        let refs: Vec<_> = passages.iter().collect();
        let co = cooccurrence(&all_codes, &refs, &every, Within::Paragraph);
        let t3 = Instant::now();
        check = m.cells.iter().flatten().map(|c| c.count()).sum::<usize>() + co.counts[0][0];
        load.push((t1 - t0).as_secs_f64() * 1e3);
        matrix_ms.push((t2 - t1).as_secs_f64() * 1e3);
        co_ms.push((t3 - t2).as_secs_f64() * 1e3);
        both.push((t3 - t0).as_secs_f64() * 1e3);
        // The peer: the same site × code cells (leaf codes, no roll-up, no co-occurrence).
        let t4 = Instant::now();
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT f.site_id, c.code_id, COUNT(*) FROM coding c JOIN document d ON d.id = c.document_id
             JOIN forum f ON f.id = d.forum_id JOIN site s ON s.id = f.site_id
             WHERE s.study_id = ?1 AND c.status = 'accepted' GROUP BY f.site_id, c.code_id",
        )
        .bind(study)
        .fetch_all(&pool)
        .await?;
        sql.push(t4.elapsed().as_secs_f64() * 1e3);
        check += rows.len();
    }
    println!("Generated: {n_sites} sites, {documents} documents, {coded} accepted codings; placing every coding in its paragraph and clause (once, on first analysis): {placed} in {place_s:.1} s.\n");
    println!("| step | ms, p50 / p99 ({ROUNDS} rounds) |");
    println!("|---|---|");
    println!("| read the coded passages (`Store::coded_passages`) | {} |", summary(load));
    println!("| framework matrix, sites × five parts (roll-up of sub-codes, documents per cell) | {} |", summary(matrix_ms));
    println!("| co-occurrence within paragraphs, every code × every code | {} |", summary(co_ms));
    println!("| **matrix and co-occurrence together, from the store** | **{}** |", summary(both));
    println!("| peer: SQL GROUP BY site, code (leaf codes only, no co-occurrence) | {} |", summary(sql));
    eprintln!("(checksum {check})");
    Ok(())
}
