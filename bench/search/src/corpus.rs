//! A corpus of N forum write-ups made by recombining real Thai text at clause level.
//!
//! Clauses come from the seed write-up, the extraction test cases and the browser fixture
//! (forum prose, four in five clauses) and from the wisesight samples (everyday Thai, one
//! in five), so the vocabulary, word lengths and spacing are those of real text while no
//! two documents are alike. Each document belongs to a forum at a sub-district taken from
//! the gazetteer (marked fictional: the records are made up), with a date in the study's
//! year and a few coded passages on whole paragraphs, as a coder would mark them.

use rian_core::gazetteer::{Gazetteer, Level};
use rian_core::model::*;
use rian_core::pipeline::create_study;
use rian_core::store::{Location, OpenMode, Store};
use std::path::Path;
use std::time::Instant;

/// Documents per transaction: large enough to load quickly, small enough to show progress.
const BATCH: usize = 1000;
const SITES_PER_STUDY: usize = 40;
const FIRST_YEAR_BE: i32 = 2560;
const YEARS: i32 = 9;

/// A small deterministic generator: the same N gives the same corpus on every run.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }

    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The clauses documents are made of.
pub struct Clauses {
    pub forum: Vec<String>,
    pub everyday: Vec<String>,
}

impl Clauses {
    pub fn load(shared: &Path, repo: &Path) -> std::io::Result<Clauses> {
        let mut forum_text = std::fs::read_to_string(shared.join("seed/forum-thonburi-2566.txt"))?;
        let mut cases: Vec<_> =
            std::fs::read_dir(repo.join("crates/rian-core/tests/extract-cases"))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect();
        cases.sort();
        cases.push(repo.join("tests/browser/fixtures/forum-fictional.txt"));
        for p in cases {
            forum_text.push('\n');
            forum_text.push_str(&std::fs::read_to_string(p)?);
        }
        let everyday = std::fs::read_to_string(
            shared.join("data/thai-gold/wisesight/wisesight-1000-samples-tokenised.txt"),
        )?;
        Ok(Clauses {
            forum: clauses(&forum_text),
            everyday: clauses(&everyday),
        })
    }

    fn clause<'a>(&'a self, dice: &mut Dice) -> &'a str {
        if dice.below(5) == 0 {
            dice.pick::<String>(&self.everyday)
        } else {
            dice.pick::<String>(&self.forum)
        }
    }
}

/// Thai writes a space between clauses: cut there, joining fragments too short to stand
/// alone ("1)", "คือ") to the clause that follows.
fn clauses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut pending = String::new();
        for piece in line.split_whitespace() {
            if !pending.is_empty() {
                pending.push(' ');
            }
            pending.push_str(piece);
            if pending.chars().count() >= 12 {
                out.push(std::mem::take(&mut pending));
            }
        }
        if !pending.is_empty() {
            out.push(pending);
        }
    }
    out.sort();
    out.dedup();
    out
}

pub struct Generated {
    pub documents: usize,
    pub codings: usize,
    pub bytes: usize,
    pub seconds: f64,
}

/// Writes `n` documents into a new store at `db`, without an index (the build is timed
/// separately).
pub async fn generate(db: &Path, n: usize, clauses: &Clauses) -> rian_core::Result<Generated> {
    let started = Instant::now();
    let store = Store::open_detached(&Location::Sqlite(db.to_path_buf()), OpenMode::Create).await?;
    let mut dice = Dice::new(n as u64);
    let pool: Vec<_> = {
        let g = Gazetteer::builtin();
        let subdistricts: Vec<_> = g
            .units()
            .iter()
            .filter(|u| u.level == Level::Subdistrict)
            .collect();
        let step = subdistricts.len() / 300;
        subdistricts
            .iter()
            .step_by(step.max(1))
            .map(|u| {
                let district = g.parent(u).map(|d| d.name_th.to_string());
                let province = g.province_of(u).map(|p| p.name_th).unwrap_or("");
                (*u, district, province.to_string())
            })
            .collect()
    };

    // One study per fiscal year, each with the default codebook and its own sites.
    let mut tx = store.begin().await?;
    let mut studies = Vec::new();
    for y in 0..YEARS {
        let year_be = FIRST_YEAR_BE + y;
        let study = create_study(
            &mut tx,
            &Study {
                id: 0,
                slug: format!("bench-{year_be}"),
                name_th: format!("ถอดบทเรียนตำบลเข้มแข็ง ปี {year_be} (ชุดทดสอบ)"),
                name_en: Some(format!("Strong sub-districts {year_be} (benchmark)")),
                fiscal_year_be: year_be as i64,
                framework: "five_part".into(),
            },
        )
        .await?;
        let mut sites = Vec::new();
        let mut taken = std::collections::HashSet::new();
        for position in 0..SITES_PER_STUDY {
            let (unit, district, province) = loop {
                let candidate = dice.pick(&pool);
                if taken.insert((candidate.0.name_th, candidate.2.clone())) {
                    break candidate.clone();
                }
            };
            let bangkok = unit.in_bangkok();
            let site = Site {
                id: 0,
                study_id: study,
                position: position as i64,
                name_th: unit.name_th.to_string(),
                level: if bangkok {
                    AdminLevel::Khwaeng
                } else {
                    AdminLevel::Tambon
                },
                district_th: district,
                province_th: province,
                admin_code: Some(unit.code.to_string()),
                lat: None,
                lon: None,
                fictional: true,
            };
            let id = tx.insert_site(&site).await?;
            sites.push(Site { id, ..site });
        }
        studies.push((year_be, study, sites));
    }
    tx.commit().await?;
    let mut with_codes = Vec::new();
    for (year_be, study, sites) in studies {
        let codes = store.codes(study).await?;
        // Coders mark passages with the leaves of the codebook.
        let leaves: Vec<i64> = codes
            .iter()
            .filter(|c| !codes.iter().any(|d| d.parent_id == Some(c.id)))
            .map(|c| c.id)
            .collect();
        with_codes.push((year_be, leaves, sites));
    }
    let studies = with_codes;

    let kinds = [
        ForumKind::LessonsLearned,
        ForumKind::LessonsLearned,
        ForumKind::LessonsLearned,
        ForumKind::FocusGroup,
        ForumKind::FocusGroup,
        ForumKind::DataReturn,
        ForumKind::Planning,
    ];
    let (mut made, mut codings, mut bytes) = (0, 0, 0);
    let mut tx = store.begin().await?;
    while made < n {
        let (year_be, codes, sites) = dice.pick(&studies);
        let site = dice.pick(sites);
        let date = IsoDate::from_be(
            *year_be,
            dice.between(1, 12) as u32,
            dice.between(1, 28) as u32,
        )
        .expect("a valid day");
        let kind = *dice.pick(&kinds);
        let forum = tx
            .insert_forum(&Forum {
                id: 0,
                site_id: site.id,
                kind,
                status: ForumStatus::Held,
                title: None,
                date: Some(date),
                date_end: None,
                venue: None,
                participants: Some(dice.between(8, 60) as i64),
                reviewed_at: None,
                reviewed_by: None,
            })
            .await?;
        for _ in 0..dice.between(1, 3).min(n - made) {
            let (text, paragraphs) = write_up(&mut dice, clauses, site, date, kind);
            let original = text.as_bytes().to_vec();
            let document = tx
                .insert_document(&Document {
                    id: 0,
                    forum_id: forum,
                    title: format!("บันทึกเวที {} {}", site.display_name(), made + 1),
                    source_name: Some(format!("bench-{}.txt", made + 1)),
                    media_type: "text/plain".into(),
                    content_hash: content_hash(&original),
                    original,
                    text: text.clone(),
                })
                .await?;
            for _ in 0..dice.between(2, 6) {
                let span = *dice.pick(&paragraphs);
                tx.insert_coding(&Coding {
                    id: 0,
                    document_id: document,
                    code_id: *dice.pick(codes),
                    span,
                    coder: "bench".into(),
                    status: if dice.below(10) < 7 {
                        CodingStatus::Accepted
                    } else {
                        CodingStatus::Suggested
                    },
                    memo: None,
                    cue: None,
                })
                .await?;
                codings += 1;
            }
            made += 1;
            bytes += text.len();
            if made % BATCH == 0 {
                tx.commit().await?;
                tx = store.begin().await?;
                eprint!("\r  generated {made}/{n} documents");
            }
        }
    }
    tx.commit().await?;
    eprintln!();
    store.close().await;
    Ok(Generated {
        documents: made,
        codings,
        bytes,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// One write-up: an opening that names the forum, then paragraphs of clauses. Returns the
/// text and each paragraph's span in characters.
fn write_up(
    dice: &mut Dice,
    clauses: &Clauses,
    site: &Site,
    date: IsoDate,
    kind: ForumKind,
) -> (String, Vec<Span>) {
    let mut text = format!(
        "เมื่อวันที่ {} ณ {} {}จ.{} จัด{}",
        date.display(Lang::Th),
        site.display_name(),
        site.district_th
            .as_deref()
            .map(|d| format!(
                "{}{d} ",
                if site.level == AdminLevel::Khwaeng {
                    "เขต"
                } else {
                    "อ."
                }
            ))
            .unwrap_or_default(),
        site.province_th,
        kind.label(Lang::Th),
    );
    let mut paragraphs = Vec::new();
    let mut chars = text.chars().count();
    for _ in 0..dice.between(4, 10) {
        text.push('\n');
        chars += 1;
        let start = chars;
        for i in 0..dice.between(5, 14) {
            if i > 0 {
                text.push(' ');
                chars += 1;
            }
            let c = clauses.clause(dice);
            text.push_str(c);
            chars += c.chars().count();
        }
        paragraphs.push(Span {
            start: start as i64,
            end: chars as i64,
        });
    }
    (text, paragraphs)
}
