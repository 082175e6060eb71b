//! Full-text search on a real store and index: what is found is checked against a
//! brute-force scan of the same texts, so a lost document, a tokenizer that cuts queries
//! and texts differently, or a stale index fails here.

use rian_core::model::*;
use rian_core::search::tokens;
use rian_core::search::{FilterText, Request, Results, Unit};
use rian_core::store::{Location, Store};
use std::collections::{BTreeMap, BTreeSet};

const VOCABULARY: [&str; 24] = [
    "ชุมชน",
    "กองทุน",
    "สวัสดิการ",
    "น้ำท่วม",
    "ป่า",
    "ผู้นำ",
    "เครือข่าย",
    "สมาชิก",
    "ออมทรัพย์",
    "เกษตร",
    "อินทรีย์",
    "ตลาด",
    "โรงเรียน",
    "วัด",
    "ปัญหา",
    "ขยะ",
    "ผู้สูงอายุ",
    "เยาวชน",
    "ประชุม",
    "งบประมาณ",
    "ช่วยเหลือ",
    "อาชีพ",
    "รายได้",
    "ทุน",
];

/// A small deterministic generator (no dependency for a test's dice).
struct Dice(u64);
impl Dice {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

struct Corpus {
    _dir: tempfile::TempDir,
    location: Location,
    store: Store,
    /// Document id, site id, province, forum date, text.
    docs: Vec<(i64, i64, String, IsoDate, String)>,
    study: i64,
    code: i64,
}

async fn corpus(n: usize) -> Corpus {
    let mut dice = Dice(7);
    let texts = (0..n)
        .map(|_| {
            let mut text = String::new();
            for _ in 0..(10 + dice.next(40)) {
                text.push_str(VOCABULARY[dice.next(VOCABULARY.len())]);
                if dice.next(4) == 0 {
                    text.push(' ');
                }
            }
            text
        })
        .collect();
    corpus_of(texts).await
}

async fn corpus_of(texts: Vec<String>) -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    let location = rian_core::store::scratch_location(dir.path())
        .await
        .unwrap();
    let store = Store::open(&location).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let study = tx
        .insert_study(&Study {
            id: 0,
            slug: "t".into(),
            name_th: "การศึกษาทดสอบ".into(),
            name_en: None,
            fiscal_year_be: 2567,
            framework: "five_part".into(),
        })
        .await
        .unwrap();
    let code = tx
        .insert_code(&Code {
            id: 0,
            study_id: study,
            parent_id: None,
            key: "1".into(),
            name_th: "ทุนชุมชน".into(),
            name_en: "Community capital".into(),
            color: "#336699".into(),
            position: 0,
            description: None,
        })
        .await
        .unwrap();
    let mut sites = Vec::new();
    for (i, (name, province)) in [("ตัวอย่างหนึ่ง", "สตูล"), ("ตัวอย่างสอง", "น่าน")]
        .iter()
        .enumerate()
    {
        let id = tx
            .insert_site(&Site {
                id: 0,
                study_id: study,
                position: i as i64,
                name_th: name.to_string(),
                level: AdminLevel::Tambon,
                district_th: None,
                province_th: province.to_string(),
                admin_code: None,
                lat: None,
                lon: None,
                fictional: true,
            })
            .await
            .unwrap();
        sites.push((id, province.to_string()));
    }
    let mut docs = Vec::new();
    for (i, text) in texts.into_iter().enumerate() {
        let (site, province) = sites[i % 2].clone();
        let date = IsoDate::from_be(
            2565 + (i % 3) as i32,
            1 + (i % 12) as u32,
            1 + (i % 28) as u32,
        )
        .unwrap();
        let forum = tx
            .insert_forum(&Forum {
                id: 0,
                site_id: site,
                kind: if i % 4 == 0 {
                    ForumKind::FocusGroup
                } else {
                    ForumKind::LessonsLearned
                },
                status: ForumStatus::Held,
                title: None,
                date: Some(date),
                date_end: None,
                venue: None,
                participants: None,
                reviewed_at: None,
                reviewed_by: None,
            })
            .await
            .unwrap();
        let original = text.as_bytes().to_vec();
        let id = tx
            .insert_document(&Document {
                id: 0,
                forum_id: forum,
                title: format!("เอกสาร {i}"),
                source_name: None,
                media_type: "text/plain".into(),
                content_hash: content_hash(&original),
                original,
                text: text.clone(),
            })
            .await
            .unwrap();
        docs.push((id, site, province, date, text));
    }
    tx.commit().await.unwrap();
    Corpus {
        _dir: dir,
        location,
        store,
        docs,
        study,
        code,
    }
}

impl Corpus {
    async fn find(&self, request: Request) -> Results {
        self.store
            .search_index()
            .unwrap()
            .search(&self.store, &request)
            .await
            .unwrap()
    }

    async fn documents(&self, query: &str) -> BTreeSet<i64> {
        let mut r = Request::new(query);
        r.limit = 500;
        r.filter.units = vec![Unit::Document];
        let found = self.find(r).await;
        assert_eq!(
            found.total,
            found.hits.len(),
            "{query}: all hits fit one page"
        );
        found.hits.iter().map(|h| h.id).collect()
    }

    /// Documents holding `word` as a word, by scanning every text.
    fn scan(&self, word: &str) -> BTreeSet<i64> {
        self.docs
            .iter()
            .filter(|d| tokens::words(&d.4).iter().any(|(_, w)| w == word))
            .map(|d| d.0)
            .collect()
    }
}

#[tokio::test]
async fn every_dictionary_word_is_found_exactly_where_a_scan_finds_it() {
    let c = corpus(120).await;
    let mut words: BTreeSet<String> = BTreeSet::new();
    for d in &c.docs {
        words.extend(tokens::words(&d.4).into_iter().map(|(_, w)| w));
    }
    assert!(words.len() >= 20, "{words:?}");
    for w in &words {
        let scanned = c.scan(w);
        assert!(!scanned.is_empty());
        let found = c.documents(w).await;
        for d in found.symmetric_difference(&scanned) {
            let text = &c.docs.iter().find(|x| x.0 == *d).unwrap().4;
            let cut: Vec<String> = tokens::words(text).into_iter().map(|(_, w)| w).collect();
            eprintln!("{w}: doc {d} {}", cut.join("|"));
        }
        if tokens::is_single_known_word(w) {
            assert_eq!(found, scanned, "word {w}");
        } else {
            // Not a dictionary word (ป่าป่า): also looked for inside words.
            assert!(found.is_superset(&scanned), "word {w}");
        }
    }
}

#[tokio::test]
async fn operators_agree_with_set_algebra() {
    let c = corpus(120).await;
    let (a, b) = (c.scan("กองทุน"), c.scan("ขยะ"));
    let and: BTreeSet<i64> = a.intersection(&b).copied().collect();
    let or: BTreeSet<i64> = a.union(&b).copied().collect();
    let not: BTreeSet<i64> = a.difference(&b).copied().collect();
    assert!(!and.is_empty() && !not.is_empty());
    assert_eq!(c.documents("กองทุน ขยะ").await, and);
    assert_eq!(c.documents("กองทุน AND ขยะ").await, and);
    assert_eq!(c.documents("กองทุน OR ขยะ").await, or);
    assert_eq!(c.documents("กองทุน NOT ขยะ").await, not);
    assert_eq!(c.documents("กองทุน -ขยะ").await, not);
    // A phrase: the words side by side, however the text was spaced.
    let phrase: BTreeSet<i64> = c
        .docs
        .iter()
        .filter(|d| {
            let ws = tokens::words(&d.4);
            ws.windows(2)
                .any(|p| p[0].1 == "กองทุน" && p[1].1 == "สวัสดิการ")
        })
        .map(|d| d.0)
        .collect();
    assert!(!phrase.is_empty());
    assert_eq!(c.documents("\"กองทุน สวัสดิการ\"").await, phrase);
    // Typed together without quotes: both words, wherever they stand.
    let both: BTreeSet<i64> = c
        .scan("กองทุน")
        .intersection(&c.scan("สวัสดิการ"))
        .copied()
        .collect();
    assert_eq!(c.documents("กองทุนสวัสดิการ").await, both);
    // A prefix: every word that begins so.
    let prefix: BTreeSet<i64> = c
        .docs
        .iter()
        .filter(|d| tokens::words(&d.4).iter().any(|(_, w)| w.starts_with("ผู้")))
        .map(|d| d.0)
        .collect();
    assert_eq!(c.documents("ผู้*").await, prefix);
}

#[tokio::test]
async fn phrases_and_prefixes_of_several_words_agree_with_a_scan() {
    let c = corpus(120).await;
    let cuts: Vec<(i64, Vec<String>)> = c
        .docs
        .iter()
        .map(|d| {
            (
                d.0,
                tokens::words(&d.4).into_iter().map(|(_, w)| w).collect(),
            )
        })
        .collect();
    let holding = |found: &dyn Fn(&[String]) -> bool| -> BTreeSet<i64> {
        cuts.iter()
            .filter(|(_, ws)| found(ws))
            .map(|(d, _)| *d)
            .collect()
    };
    let mut dice = Dice(7);
    let mut checked = 0;
    // Phrases of two to five words (one term, one run of three, runs at offsets), taken
    // from the texts, and a phrase whose words are all present but never in this order.
    for n in [2, 3, 4, 5, 3] {
        for _ in 0..6 {
            let (_, ws) = &cuts[dice.next(cuts.len())];
            if ws.len() < n {
                continue;
            }
            let at = dice.next(ws.len() + 1 - n);
            let mut phrase = ws[at..at + n].to_vec();
            if checked % 7 == 6 {
                phrase.reverse();
            }
            let query = phrase.join(" ");
            let words: Vec<String> = tokens::words(&query).into_iter().map(|(_, w)| w).collect();
            if words != phrase || !tokens::all_known_words(&query) {
                continue;
            }
            let scanned = holding(&|ws| ws.windows(n).any(|w| w == &phrase[..]));
            assert_eq!(
                c.documents(&format!("\"{query}\"")).await,
                scanned,
                "{query}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 12, "{checked} phrases checked");
    // A word, then the start of another: a word that begins so, or the words the stem
    // is cut into, the last only begun (found among the pairs of the index).
    let mut several = 0;
    for _ in 0..30 {
        let (whole, next) = (
            VOCABULARY[dice.next(VOCABULARY.len())],
            VOCABULARY[dice.next(VOCABULARY.len())],
        );
        let begun: String = next.chars().take(2 + dice.next(3)).collect();
        let stem = format!("{whole}{begun}");
        let words: Vec<String> = tokens::words(&stem).into_iter().map(|(_, w)| w).collect();
        let (last, first) = words.split_last().unwrap();
        let scanned = holding(&|ws| {
            ws.iter().any(|w| w.starts_with(&stem))
                || ws.windows(words.len()).any(|w| {
                    w[..first.len()] == first[..] && w[first.len()].starts_with(last.as_str())
                })
        });
        several += usize::from(words.len() > 1 && !scanned.is_empty());
        // When no word begins so, the stem is looked for inside words.
        let scanned = match scanned.is_empty() {
            true => c
                .docs
                .iter()
                .filter(|d| d.4.contains(&stem))
                .map(|d| d.0)
                .collect(),
            false => scanned,
        };
        assert_eq!(
            c.documents(&format!("{stem}*")).await,
            scanned,
            "{stem}* {words:?}"
        );
    }
    assert!(several >= 5, "{several} prefixes of several words found");
}

#[tokio::test]
async fn a_word_never_written_alone_is_looked_for_inside_words() {
    let c = corpus(60).await;
    // "สูง" stands only inside ผู้สูงอายุ in this corpus.
    assert!(c.scan("สูง").is_empty());
    let mut r = Request::new("สูง");
    r.limit = 500;
    r.filter.units = vec![Unit::Document];
    let found = c.find(r).await;
    let inside: BTreeSet<i64> = c
        .docs
        .iter()
        .filter(|d| d.4.contains("สูง"))
        .map(|d| d.0)
        .collect();
    assert_eq!(found.widened, ["สูง"]);
    assert_eq!(
        found.hits.iter().map(|h| h.id).collect::<BTreeSet<_>>(),
        inside
    );
    // The highlight is the whole word, not the part typed.
    let marked: Vec<&str> = found.hits[0]
        .snippet
        .pieces()
        .into_iter()
        .filter(|p| p.1)
        .map(|p| p.0)
        .collect();
    assert!(marked.iter().all(|m| *m == "ผู้สูงอายุ"), "{marked:?}");
}

#[tokio::test]
async fn known_words_never_side_by_side_are_looked_for_as_a_string() {
    let c = corpus_of(vec![
        "กองทุนสวัสดิการชุมชนช่วยสมาชิก".into(),
        "ทุน และ สวัสดิการ แยกกัน".into(),
        "ไม่มีคำที่ค้น".into(),
    ])
    .await;
    // ทุน and สวัสดิการ are both words of the corpus but never stand side by side as
    // words: the phrase is then looked for inside words, found in กองทุนสวัสดิการ, and
    // the results say so.
    let mut r = Request::new("\"ทุนสวัสดิการ\"");
    r.filter.units = vec![Unit::Document];
    let found = c.find(r).await;
    assert_eq!(found.widened, ["ทุนสวัสดิการ"]);
    let ids: Vec<i64> = found.hits.iter().map(|h| h.id).collect();
    assert_eq!(ids, [c.docs[0].0]);
    // Unquoted, the two words anywhere in a text are found first.
    assert_eq!(
        c.documents("ทุนสวัสดิการ").await,
        BTreeSet::from([c.docs[1].0])
    );
    // Side by side as words, they are found as words, with no notice.
    let mut r = Request::new("\"สวัสดิการ ชุมชน\"");
    r.filter.units = vec![Unit::Document];
    let found = c.find(r).await;
    assert!(found.widened.is_empty());
    assert_eq!(found.total, 1);
    // A name the segmenter cannot place is always looked for as a string too.
    let found = c.documents("ชุมชนช่วยสมาชิ").await;
    assert_eq!(found, BTreeSet::from([c.docs[0].0]));
}

#[tokio::test]
async fn a_page_of_more_names_than_one_statement_reads_is_named() {
    // Found by the benchmark: names are read 500 ids at a time, and a statement of forums
    // alone (no site in it) did not know the columns of its rows.
    let c = corpus_of((0..520).map(|i| format!("ชุมชนที่ {i} ร่วมกันทำงาน")).collect()).await;
    let mut r = Request::new("ชุมชน");
    r.limit = 500;
    r.filter.units = vec![Unit::Document];
    let found = c.find(r).await;
    assert_eq!(found.hits.len(), 500);
    for h in &found.hits {
        assert!(h.forum_kind.is_some(), "{h:?}");
        assert!(h.site.as_ref().is_some_and(|s| s.name.starts_with("ต.")));
        assert!(h.province.is_some());
    }
}

#[tokio::test]
async fn pages_follow_one_another_and_a_page_past_the_end_is_empty() {
    let c = corpus_of((0..45).map(|i| format!("ชุมชนที่ {i} ร่วมกันทำงาน")).collect()).await;
    let page = |offset: usize| {
        let mut r = Request::new("ชุมชน");
        r.limit = 20;
        r.offset = offset;
        r.filter.units = vec![Unit::Document];
        r
    };
    let mut seen = Vec::new();
    for offset in [0, 20, 40] {
        let found = c.find(page(offset)).await;
        assert_eq!(found.total, 45);
        seen.extend(found.hits.iter().map(|h| h.id));
    }
    let distinct: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(seen.len(), 45, "every hit on exactly one page");
    assert_eq!(distinct, c.scan("ชุมชน"));
    // An offset from a hand-edited address: no page, the same total, and no buffer of
    // that many places (which would abort the server).
    let far = c.find(page(usize::MAX / 4)).await;
    assert!(far.hits.is_empty());
    assert_eq!(far.total, 45);
}

#[tokio::test]
async fn facets_and_filters_count_every_hit() {
    let c = corpus(90).await;
    let mut r = Request::new("ชุมชน");
    r.limit = 5;
    r.filter.units = vec![Unit::Document];
    let found = c.find(r.clone()).await;
    let all = c.scan("ชุมชน");
    assert_eq!(found.total, all.len());
    assert_eq!(found.hits.len(), 5);
    let in_nan = c
        .docs
        .iter()
        .filter(|d| all.contains(&d.0) && d.2 == "น่าน")
        .count() as u64;
    let nan = found
        .facets
        .province
        .iter()
        .find(|f| f.value == "น่าน")
        .unwrap();
    assert_eq!(nan.count, in_nan);
    let site_total: u64 = found.facets.site.iter().map(|f| f.count).sum();
    assert_eq!(site_total, all.len() as u64);
    // Cut short, a facet lists its largest values and says how many more hold hits.
    let sites = found.facets.site.len();
    assert!(sites >= 2 && !found.facets.more.contains_key("site"));
    let mut few = r.clone();
    few.facet_values = 1;
    let short = c.find(few).await;
    assert_eq!(short.total, found.total);
    assert_eq!(short.facets.site, found.facets.site[..1]);
    assert_eq!(short.facets.more.get("site"), Some(&(sites - 1)));
    // Every document has one forum kind and one year; the counts add up to the total.
    let kind_total: u64 = found.facets.kind.iter().map(|f| f.count).sum();
    assert_eq!(kind_total, all.len() as u64);
    let years: BTreeMap<String, u64> = found
        .facets
        .year
        .iter()
        .map(|f| (f.value.clone(), f.count))
        .collect();
    let mut scanned: BTreeMap<String, u64> = BTreeMap::new();
    for d in c.docs.iter().filter(|d| all.contains(&d.0)) {
        *scanned.entry(d.3.year_be().to_string()).or_default() += 1;
    }
    assert_eq!(years, scanned);
    assert_eq!(found.facets.unit.len(), 1);
    assert_eq!(found.facets.unit[0].value, "document");
    assert!(
        found
            .facets
            .site
            .iter()
            .all(|f| f.label.starts_with("ต.ตัวอย่าง"))
    );
    // Filters typed as a person would: จังหวัด prefix, a Buddhist year, a BE date range.
    r.limit = 500;
    r.filter = FilterText {
        provinces: vec!["จังหวัดน่าน".into()],
        ..FilterText::default()
    }
    .resolve(&c.store)
    .await
    .unwrap();
    r.filter.units = vec![Unit::Document];
    assert_eq!(c.find(r.clone()).await.total as u64, in_nan);
    r.filter = FilterText {
        from: Some("2566-01-01".into()),
        to: Some("2566".into()),
        ..FilterText::default()
    }
    .resolve(&c.store)
    .await
    .unwrap();
    r.filter.units = vec![Unit::Document];
    let in_2566 = c
        .docs
        .iter()
        .filter(|d| all.contains(&d.0) && d.3.year_be() == 2566)
        .count();
    let found = c.find(r).await;
    assert_eq!(found.total, in_2566);
    assert!(
        found
            .hits
            .iter()
            .all(|h| h.date_be.as_deref().unwrap().ends_with("2566"))
    );
    let unknown = FilterText {
        sites: vec!["ไม่มีที่นี่".into()],
        ..FilterText::default()
    }
    .resolve(&c.store)
    .await;
    assert!(unknown.is_err());
}

#[tokio::test]
async fn writes_are_found_at_once_and_a_crash_before_indexing_is_repaired() {
    let c = corpus(10).await;
    let (doc, _, _, _, text) = c.docs[0].clone();
    // A coding through the edit layer: found as a coded passage, with its code.
    let len = text.chars().count() as i64;
    let coding = rian_core::edit::create(
        &c.store,
        "local",
        Record::Coding(Coding {
            id: 0,
            document_id: doc,
            code_id: c.code,
            span: Span {
                start: 0,
                end: len.min(12),
            },
            coder: "local".into(),
            status: CodingStatus::Accepted,
            memo: None,
            cue: None,
        }),
    )
    .await
    .unwrap();
    let passage: String = text.chars().take(12).collect();
    let first = tokens::words(&passage)[0].1.clone();
    let mut r = Request::new(first.as_str());
    r.filter.units = vec![Unit::Coding];
    let found = c.find(r.clone()).await;
    let hit = found
        .hits
        .iter()
        .find(|h| h.id == coding)
        .expect("the coding is found");
    assert_eq!(hit.code.as_ref().unwrap().name, "1 ทุนชุมชน");
    // Filtered by its code: the passage and only passages with that code.
    let mut by_code = r.clone();
    by_code.filter.codes = vec![c.code];
    let found = c.find(by_code).await;
    assert!(found.hits.iter().any(|h| h.id == coding));
    assert!(
        found
            .hits
            .iter()
            .all(|h| h.code.as_ref().unwrap().id == c.code)
    );
    let code_count = found
        .facets
        .code
        .iter()
        .find(|f| f.value == c.code.to_string());
    assert_eq!(code_count.map(|f| f.count), Some(found.total as u64));
    assert!(hit.link.starts_with(&format!("/documents/{doc}?span=")));
    // A memo: found, then gone when deleted, back when the delete is undone.
    let memo = rian_core::edit::create(
        &c.store,
        "local",
        Record::Memo(Memo {
            id: 0,
            study_id: c.study,
            target: MemoTarget::Document,
            target_id: doc,
            text: "ควรถามเรื่องกองทุนหมู่บ้านเพิ่ม".into(),
            author: "local".into(),
            written_at: String::new(),
        }),
    )
    .await
    .unwrap();
    let memos = |r: Results| {
        r.hits
            .iter()
            .filter(|h| h.unit == Unit::Memo)
            .map(|h| h.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(memos(c.find(Request::new("หมู่บ้าน")).await), [memo]);
    rian_core::edit::delete(&c.store, "local", Entity::Memo, memo)
        .await
        .unwrap();
    assert!(memos(c.find(Request::new("หมู่บ้าน")).await).is_empty());
    rian_core::edit::undo_last(&c.store, c.study).await.unwrap();
    assert_eq!(memos(c.find(Request::new("หมู่บ้าน")).await), [memo]);

    // A write the index never saw (the process died between the two): the queue holds
    // it, and the next open applies it.
    let raw = sqlx_raw(&c.location).await;
    raw.execute_memo(c.study, doc, "บันทึกที่เขียนก่อนเครื่องดับ").await;
    c.store.close().await;
    let store = Store::open(&c.location).await.unwrap();
    assert_eq!(store.pending_search_changes().await.unwrap(), 0);
    let found = store
        .search_index()
        .unwrap()
        .search(&store, &Request::new("เครื่องดับ"))
        .await
        .unwrap();
    assert_eq!(found.total, 1);

    // A lost index is rebuilt from the store at the next open, to the same answers.
    let before = store
        .search_index()
        .unwrap()
        .search(&store, &Request::new("ชุมชน"))
        .await
        .unwrap();
    store.close().await;
    let index = match &c.location {
        Location::Sqlite(path) => path.with_extension("index"),
        Location::Postgres { index, .. } => index.clone(),
    };
    std::fs::remove_dir_all(index).unwrap();
    let store = Store::open(&c.location).await.unwrap();
    let after = store
        .search_index()
        .unwrap()
        .search(&store, &Request::new("ชุมชน"))
        .await
        .unwrap();
    assert_eq!(before.total, after.total);
    let ids = |r: &Results| {
        r.hits
            .iter()
            .map(|h| (h.unit, h.id))
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(ids(&before), ids(&after));
}

/// A coding written, changed or removed re-indexes that passage and its document's own
/// entry, not the document with every passage on it; what search shows follows each step.
#[tokio::test]
async fn a_coding_change_reindexes_that_passage_alone() {
    let c = corpus(4).await;
    let (doc, _, _, _, text) = c
        .docs
        .iter()
        .max_by_key(|d| d.4.chars().count())
        .unwrap()
        .clone();
    let len = text.chars().count() as i64;
    assert!(len > 60, "a document long enough for thirty passages");
    let index = c.store.search_index().unwrap();
    // Passages from the start, each `cut` characters shorter than the text.
    let coding = |code: i64, cut: i64| {
        Record::Coding(Coding {
            id: 0,
            document_id: doc,
            code_id: code,
            span: Span {
                start: 0,
                end: len - cut,
            },
            coder: "local".into(),
            status: CodingStatus::Accepted,
            memo: None,
            cue: None,
        })
    };
    for i in 0..30 {
        rian_core::edit::create(&c.store, "local", coding(c.code, i))
            .await
            .unwrap();
    }
    index.sync(&c.store).await.unwrap();
    let other = {
        let mut tx = c.store.begin().await.unwrap();
        let id = tx
            .insert_code(&Code {
                id: 0,
                study_id: c.study,
                parent_id: None,
                key: "2".into(),
                name_th: "เครือข่าย".into(),
                name_en: "Networks".into(),
                color: "#993366".into(),
                position: 1,
                description: None,
            })
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    };
    // Written behind the index's back, so that the queue can be read: the new passage
    // and the document's codes, not the thirty passages beside it.
    let raw = sqlx_raw(&c.location).await;
    let added = raw.insert_coding(doc, other, len - 40).await;
    assert_eq!(
        index.sync(&c.store).await.unwrap(),
        rian_core::search::Synced::Applied(2)
    );
    // Every entry with a code, of one kind (each passage holds some word of these).
    let with_code = |code: i64, unit: Unit| {
        let mut r = Request::new(VOCABULARY.join(" OR "));
        r.limit = 500;
        r.filter.codes = vec![code];
        r.filter.units = vec![unit];
        r
    };
    let ids = |r: Results| r.hits.iter().map(|h| h.id).collect::<BTreeSet<_>>();
    assert_eq!(
        ids(c.find(with_code(other, Unit::Coding)).await),
        BTreeSet::from([added])
    );
    assert_eq!(
        ids(c.find(with_code(other, Unit::Document)).await),
        BTreeSet::from([doc]),
        "the document carries the new code"
    );
    let before = c.find(with_code(c.code, Unit::Coding)).await.total;
    assert_eq!(before, 30);
    // Rejected: the passage leaves search, and the document no longer carries the code.
    let Record::Coding(mut rejected) = coding(other, 40) else {
        unreachable!()
    };
    rejected.id = added;
    rejected.status = CodingStatus::Rejected;
    rian_core::edit::update(&c.store, "local", Record::Coding(rejected))
        .await
        .unwrap();
    assert!(ids(c.find(with_code(other, Unit::Coding)).await).is_empty());
    assert!(ids(c.find(with_code(other, Unit::Document)).await).is_empty());
    // Deleted, then undone: one passage fewer, then the same count again.
    let first_of_code = c.find(with_code(c.code, Unit::Coding)).await.hits[0].id;
    rian_core::edit::delete(&c.store, "local", Entity::Coding, first_of_code)
        .await
        .unwrap();
    assert_eq!(
        c.find(with_code(c.code, Unit::Coding)).await.total,
        before - 1
    );
    rian_core::edit::undo_last(&c.store, c.study).await.unwrap();
    assert_eq!(c.find(with_code(c.code, Unit::Coding)).await.total, before);
    assert_eq!(
        ids(c.find(with_code(c.code, Unit::Document)).await),
        BTreeSet::from([doc])
    );
    // A write's sync may leave deleting its queue entries running after it answers,
    // but not past the store's close: nothing applied is left to apply again.
    c.store.close().await;
    assert_eq!(raw.pending().await, 0);
}

/// A memo on a coded passage links to the passage: when the passage moves, the memo found
/// by search links to where it is now.
#[tokio::test]
async fn a_memo_on_a_passage_follows_the_passage() {
    let c = corpus(3).await;
    let (doc, _, _, _, text) = c.docs[0].clone();
    let len = text.chars().count() as i64;
    assert!(len > 20);
    let passage = |start: i64| Coding {
        id: 0,
        document_id: doc,
        code_id: c.code,
        span: Span {
            start,
            end: start + 8,
        },
        coder: "local".into(),
        status: CodingStatus::Accepted,
        memo: None,
        cue: None,
    };
    let coding = rian_core::edit::create(&c.store, "local", Record::Coding(passage(0)))
        .await
        .unwrap();
    rian_core::edit::create(
        &c.store,
        "local",
        Record::Memo(Memo {
            id: 0,
            study_id: c.study,
            target: MemoTarget::Coding,
            target_id: coding,
            text: "ข้อสังเกตเรื่องธนาคารขยะ".into(),
            author: "local".into(),
            written_at: String::new(),
        }),
    )
    .await
    .unwrap();
    let link = |r: Results| {
        let memos: Vec<_> = r.hits.iter().filter(|h| h.unit == Unit::Memo).collect();
        assert_eq!(memos.len(), 1);
        memos[0].link.clone()
    };
    assert_eq!(
        link(c.find(Request::new("ธนาคารขยะ")).await),
        format!("/documents/{doc}?span=0-8#focus")
    );
    let mut moved = passage(10);
    moved.id = coding;
    rian_core::edit::update(&c.store, "local", Record::Coding(moved))
        .await
        .unwrap();
    assert_eq!(
        link(c.find(Request::new("ธนาคารขยะ")).await),
        format!("/documents/{doc}?span=10-18#focus")
    );
}

/// A workbench keeps its index writer open between writes: every write is found at once
/// while merges run behind them, another process meanwhile leaves its changes queued for
/// the workbench (and cannot rebuild), and the writer is let go when the store closes.
#[tokio::test]
async fn a_kept_writer_finds_every_write_and_lets_go_at_close() {
    let c = corpus(10).await;
    let index = c.store.search_index().unwrap();
    index.keep_writer();
    let doc = c.docs[0].0;
    let memo = |text: String| {
        Record::Memo(Memo {
            id: 0,
            study_id: c.study,
            target: MemoTarget::Document,
            target_id: doc,
            text,
            author: "local".into(),
            written_at: String::new(),
        })
    };
    let memos = |r: Results| r.hits.iter().filter(|h| h.unit == Unit::Memo).count();
    // Enough commits for the merge policy to merge segments while writes go on.
    for i in 1..=24 {
        rian_core::edit::create(&c.store, "local", memo(format!("หมู่บ้านที่ {i}")))
            .await
            .unwrap();
        let mut r = Request::new("หมู่บ้าน");
        r.limit = 100;
        assert_eq!(memos(c.find(r).await), i, "after write {i}");
    }
    // Another process: its write stays queued, and the workbench's next search applies it.
    let other = Store::open(&c.location).await.unwrap();
    rian_core::edit::create(&other, "local", memo("ทุ่งนาของตำบล".into()))
        .await
        .unwrap();
    assert_eq!(other.pending_search_changes().await.unwrap(), 1);
    let busy = other
        .search_index()
        .unwrap()
        .rebuild(&other, &mut |_| {})
        .await;
    assert!(
        matches!(busy, Err(rian_core::Error::SearchBusy)),
        "{busy:?}"
    );
    assert_eq!(memos(c.find(Request::new("ทุ่งนา")).await), 1);
    // Closed, the workbench lets go: the other process may rebuild, to the same answers.
    c.store.close().await;
    let rebuilt = other
        .search_index()
        .unwrap()
        .rebuild(&other, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(rebuilt.memos, 25);
    let mut r = Request::new("หมู่บ้าน");
    r.limit = 100;
    let found = other
        .search_index()
        .unwrap()
        .search(&other, &r)
        .await
        .unwrap();
    assert_eq!(memos(found), 24);
    other.close().await;
}

/// A connection of its own to the store's database, as another process would have.
struct Raw(sqlx::AnyPool);

async fn sqlx_raw(location: &Location) -> Raw {
    sqlx::any::install_default_drivers();
    let url = match location {
        Location::Sqlite(path) => format!("sqlite://{}", path.display()),
        Location::Postgres { url, .. } => url.clone(),
    };
    Raw(sqlx::AnyPool::connect(&url).await.unwrap())
}

impl Raw {
    async fn pending(&self) -> i64 {
        use sqlx::Row;
        let row = sqlx::query("SELECT COUNT(*) FROM search_pending")
            .fetch_one(&self.0)
            .await
            .unwrap();
        row.try_get(0).unwrap()
    }

    async fn insert_coding(&self, doc: i64, code: i64, end: i64) -> i64 {
        use sqlx::Row;
        let row = sqlx::query(
            "INSERT INTO coding (document_id, code_id, span_start, span_end, coder, status)
             VALUES ($1, $2, 0, $3, 'local', 'accepted') RETURNING id",
        )
        .bind(doc)
        .bind(code)
        .bind(end)
        .fetch_one(&self.0)
        .await
        .unwrap();
        row.try_get(0).unwrap()
    }

    async fn execute_memo(&self, study: i64, doc: i64, text: &str) {
        sqlx::query("INSERT INTO memo (study_id, target, target_id, text, author) VALUES ($1, 'document', $2, $3, 'local')")
            .bind(study)
            .bind(doc)
            .bind(text)
            .execute(&self.0)
            .await
            .unwrap();
        self.0.close().await;
    }
}

#[tokio::test]
async fn concordance_lines_hold_the_word_and_its_neighbours() {
    let c = corpus(30).await;
    let index = c.store.search_index().unwrap();
    let k = index
        .concordance(&c.store, "ตลาด", &Default::default(), 20, 10_000)
        .await
        .unwrap();
    let expected: usize = c
        .docs
        .iter()
        .map(|d| {
            tokens::words(&d.4)
                .iter()
                .filter(|(_, w)| w == "ตลาด")
                .count()
        })
        .sum();
    assert_eq!(k.lines.len(), expected);
    for l in &k.lines {
        assert_eq!(l.line.keyword, "ตลาด");
        let text = &c.docs.iter().find(|d| d.0 == l.document_id).unwrap().4;
        let at: String = text
            .chars()
            .skip(l.line.span.start)
            .take(l.line.span.len())
            .collect();
        assert_eq!(at, "ตลาด");
        let around = format!("{}{}{}", l.line.left, l.line.keyword, l.line.right);
        assert!(text.contains(around.trim()), "{around}");
    }
}
