//! The cross-site synthesis on a hand-made study whose right answers are worked out by
//! hand below: three fictional sites, four forums, three documents, nine codings (one
//! suggested and one rejected, which must not count), three communities, three actors.

use rian_core::analyze::codes::{self, Within};
use rian_core::analyze::matrix::{StudyRecord, matrix};
use rian_core::analyze::{Scope, map, network, timeline, words};
use rian_core::model::*;
use rian_core::store::{CodedPassage, Store};
use std::collections::HashMap;

struct Study_ {
    _dir: tempfile::TempDir,
    store: Store,
    study: i64,
    /// Codes by key: "1", "1.1", "2", "3".
    code: HashMap<&'static str, i64>,
    site: [i64; 3],
    forum: [i64; 4],
    /// Codings k1…k9 by number.
    coding: HashMap<u32, i64>,
    community: [i64; 3],
    docs: [(i64, &'static str); 3],
}

const D1: &str = "ชุมชนบางไส้ไก่มีกองทุน ผู้นำเข้มแข็ง\nชุมชนสะพานยาวมีปัญหาขยะ แก้ด้วยธนาคารขยะ";
const D2: &str = "กองทุนช่วยสมาชิก ผู้นำพาทำ";
const D3: &str = "คืนข้อมูลให้ชุมชนบางไส้ไก่";

/// The span of `part` in `text`, in characters.
fn span(text: &str, part: &str) -> Span {
    let byte = text.find(part).expect(part);
    let start = text[..byte].chars().count() as i64;
    Span {
        start,
        end: start + part.chars().count() as i64,
    }
}

async fn study() -> Study_ {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(
        &rian_core::store::scratch_location(dir.path())
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    let study = tx
        .insert_study(&Study {
            id: 0,
            slug: "hand".into(),
            name_th: "การศึกษาทดสอบ".into(),
            name_en: None,
            fiscal_year_be: 2567,
            framework: "five_part".into(),
        })
        .await
        .unwrap();
    let mut code = HashMap::new();
    for (key, parent, position) in [
        ("1", None, 0),
        ("1.1", Some("1"), 1),
        ("2", None, 2),
        ("3", None, 3),
    ] {
        let id = tx
            .insert_code(&Code {
                id: 0,
                study_id: study,
                parent_id: parent.map(|p| code[p]),
                key: key.into(),
                name_th: format!("รหัส {key}"),
                name_en: format!("Code {key}"),
                color: "#336699".into(),
                position,
                description: None,
            })
            .await
            .unwrap();
        code.insert(key, id);
    }
    let mut site = [0; 3];
    let places = [
        ("ตัวอย่างหนึ่ง", "สตูล", None),
        ("ตัวอย่างสอง", "สตูล", None),
        ("ตัวอย่างสาม", "น่าน", Some((18.78, 100.77))),
    ];
    for (i, (name, province, at)) in places.into_iter().enumerate() {
        site[i] = tx
            .insert_site(&Site {
                id: 0,
                study_id: study,
                position: i as i64,
                name_th: name.into(),
                level: AdminLevel::Tambon,
                district_th: None,
                province_th: province.into(),
                admin_code: None,
                lat: at.map(|a| a.0),
                lon: at.map(|a| a.1),
                fictional: true,
            })
            .await
            .unwrap();
    }
    let mut forum = [0; 4];
    let forums = [
        (
            0,
            ForumKind::LessonsLearned,
            "2023-03-31",
            ForumStatus::Held,
        ),
        (1, ForumKind::FocusGroup, "2024-01-10", ForumStatus::Held),
        (2, ForumKind::DataReturn, "2024-05-01", ForumStatus::Planned),
        (0, ForumKind::DataReturn, "2024-06-01", ForumStatus::Held),
    ];
    for (i, (s, kind, date, status)) in forums.into_iter().enumerate() {
        forum[i] = tx
            .insert_forum(&Forum {
                id: 0,
                site_id: site[s],
                kind,
                status,
                title: None,
                date: Some(date.parse().unwrap()),
                date_end: None,
                venue: None,
                participants: None,
                reviewed_at: None,
                reviewed_by: None,
            })
            .await
            .unwrap();
    }
    let mut docs = [(0, ""); 3];
    for (i, (f, text)) in [(0, D1), (1, D2), (3, D3)].into_iter().enumerate() {
        let id = tx
            .insert_document(&Document {
                id: 0,
                forum_id: forum[f],
                title: format!("บันทึก {i}"),
                source_name: None,
                media_type: "text/plain".into(),
                original: text.as_bytes().to_vec(),
                text: text.into(),
                content_hash: content_hash(text.as_bytes()),
            })
            .await
            .unwrap();
        docs[i] = (id, text);
    }
    let codings = [
        (1, 0, "1.1", "ชุมชนบางไส้ไก่มีกองทุน", CodingStatus::Accepted),
        (2, 0, "2", "ผู้นำเข้มแข็ง", CodingStatus::Accepted),
        (3, 0, "3", "ชุมชนสะพานยาวมีปัญหาขยะ", CodingStatus::Accepted),
        (4, 0, "2", "แก้ด้วยธนาคารขยะ", CodingStatus::Accepted),
        (5, 0, "3", "ผู้นำเข้มแข็ง", CodingStatus::Suggested),
        (6, 0, "1", "ผู้นำเข้มแข็ง", CodingStatus::Rejected),
        (7, 1, "1", D2, CodingStatus::Accepted),
        (8, 1, "2", "ผู้นำพาทำ", CodingStatus::Accepted),
        (9, 2, "3", D3, CodingStatus::Accepted),
    ];
    let mut coding = HashMap::new();
    for (k, d, key, part, status) in codings {
        let id = tx
            .insert_coding(&Coding {
                id: 0,
                document_id: docs[d].0,
                code_id: code[key],
                span: span(docs[d].1, part),
                coder: "test".into(),
                status,
                memo: None,
                cue: None,
            })
            .await
            .unwrap();
        coding.insert(k, id);
    }
    let mut community = [0; 3];
    for (i, (s, name)) in [(0, "บางไส้ไก่"), (0, "ชุมชนสะพานยาว"), (1, "เกื้อวิทยา")]
        .into_iter()
        .enumerate()
    {
        community[i] = tx
            .insert_community(&Community {
                id: 0,
                site_id: site[s],
                name_th: name.into(),
                note: None,
            })
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    Study_ {
        _dir: dir,
        store,
        study,
        code,
        site,
        forum,
        coding,
        community,
        docs,
    }
}

impl Study_ {
    async fn record(
        &self,
    ) -> (
        Vec<Site>,
        Vec<Community>,
        Vec<Forum>,
        Vec<Code>,
        Vec<CodedPassage>,
    ) {
        let s = &self.store;
        let sites = s
            .site_overviews(self.study)
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.site)
            .collect();
        (
            sites,
            s.study_communities(self.study).await.unwrap(),
            s.study_forums(self.study).await.unwrap(),
            s.codes(self.study).await.unwrap(),
            s.coded_passages(self.study).await.unwrap(),
        )
    }

    fn columns(&self) -> Vec<i64> {
        vec![self.code["1"], self.code["2"], self.code["3"]]
    }

    async fn counts(&self, rows_of: MatrixRows, scope: &Scope) -> Vec<(i64, Vec<usize>)> {
        let (sites, communities, forums, codes, passages) = self.record().await;
        let ids: Vec<i64> = passages.iter().map(|p| p.coding_id).collect();
        let texts: HashMap<i64, String> = self
            .store
            .quotes(&ids)
            .await
            .unwrap()
            .into_iter()
            .map(|q| (q.coding_id, q.text))
            .collect();
        let summaries = self
            .store
            .cell_summaries(self.study, rows_of)
            .await
            .unwrap();
        let record = StudyRecord {
            sites: &sites,
            communities: &communities,
            forums: &forums,
            codes: &codes,
            passages: &passages,
        };
        let m = matrix(record, rows_of, &self.columns(), scope, &summaries, &texts);
        m.rows
            .iter()
            .zip(&m.cells)
            .map(|(r, cells)| (r.id, cells.iter().map(|c| c.count()).collect()))
            .collect()
    }
}

#[tokio::test]
async fn the_matrix_counts_accepted_passages_under_each_column_code() {
    let t = study().await;
    let [s1, s2, s3] = t.site;
    let all = Scope::default();
    // Column 1 holds code 1 and 1.1; suggested and rejected codings count nowhere.
    assert_eq!(
        t.counts(MatrixRows::Site, &all).await,
        [
            (s1, vec![1, 2, 2]),
            (s2, vec![1, 1, 0]),
            (s3, vec![0, 0, 0])
        ]
    );
    let [f1, f2, f3, f4] = t.forum;
    assert_eq!(
        t.counts(MatrixRows::Forum, &all).await,
        [
            (f1, vec![1, 2, 1]),
            (f4, vec![0, 0, 1]),
            (f2, vec![1, 1, 0]),
            (f3, vec![0, 0, 0])
        ]
    );
    // A community's row holds the passages that name it.
    let [c1, c2, c3] = t.community;
    assert_eq!(
        t.counts(MatrixRows::Community, &all).await,
        [
            (c1, vec![1, 0, 1]),
            (c2, vec![0, 0, 1]),
            (c3, vec![0, 0, 0])
        ]
    );
    let in_2567 = Scope {
        years: vec![2567],
        ..Scope::default()
    };
    assert_eq!(
        t.counts(MatrixRows::Site, &in_2567).await,
        [
            (s1, vec![0, 0, 1]),
            (s2, vec![1, 1, 0]),
            (s3, vec![0, 0, 0])
        ]
    );
    let nan = Scope {
        provinces: vec!["น่าน".into()],
        ..Scope::default()
    };
    assert_eq!(
        t.counts(MatrixRows::Site, &nan).await,
        [(s3, vec![0, 0, 0])]
    );
    let focus_groups = Scope {
        kinds: vec![ForumKind::FocusGroup],
        ..Scope::default()
    };
    assert_eq!(
        t.counts(MatrixRows::Site, &focus_groups).await[..2],
        [(s1, vec![0, 0, 0]), (s2, vec![1, 1, 0])]
    );
}

#[tokio::test]
async fn a_cell_summary_is_shown_in_its_cell_checked_and_undone() {
    let t = study().await;
    let summary = |code_id: i64, row_id: i64| CellSummary {
        id: 0,
        study_id: t.study,
        row_kind: MatrixRows::Site,
        row_id,
        code_id,
        text: "ผู้นำเข้มแข็ง มีกองทุนของชุมชน".into(),
        author: "local".into(),
        written_at: String::new(),
    };
    rian_core::edit::create(
        &t.store,
        "local",
        Record::CellSummary(summary(t.code["2"], t.site[0])),
    )
    .await
    .unwrap();
    let (sites, communities, forums, codes, passages) = t.record().await;
    let record = StudyRecord {
        sites: &sites,
        communities: &communities,
        forums: &forums,
        codes: &codes,
        passages: &passages,
    };
    let summaries = t
        .store
        .cell_summaries(t.study, MatrixRows::Site)
        .await
        .unwrap();
    let m = matrix(
        record,
        MatrixRows::Site,
        &t.columns(),
        &Scope::default(),
        &summaries,
        &HashMap::new(),
    );
    assert_eq!(
        m.cells[0][1].summary.as_deref(),
        Some("ผู้นำเข้มแข็ง มีกองทุนของชุมชน")
    );
    assert_eq!(m.cells[0][1].codings, [t.coding[&2], t.coding[&4]]);
    assert_eq!(m.cells[0][1].documents, 1);
    assert_eq!(m.cells[0][2].documents, 2);
    let table = m.table(Lang::Th);
    assert_eq!(table[0][0], "พื้นที่");
    assert_eq!(table[0][3], "2 รหัส 2");
    assert_eq!(table[1][3], "2");
    assert_eq!(table[1][4], "ผู้นำเข้มแข็ง มีกองทุนของชุมชน");
    // The same cell twice is refused by the store; empty text by the check.
    assert!(
        rian_core::edit::create(
            &t.store,
            "local",
            Record::CellSummary(summary(t.code["2"], t.site[0]))
        )
        .await
        .is_err()
    );
    let mut empty = summary(t.code["3"], t.site[0]);
    empty.text = "  ".into();
    assert!(
        rian_core::edit::create(&t.store, "local", Record::CellSummary(empty))
            .await
            .is_err()
    );
    assert_eq!(
        rian_core::edit::undo_last(&t.store, t.study).await.unwrap(),
        1
    );
    assert!(
        t.store
            .cell_summaries(t.study, MatrixRows::Site)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn codes_are_counted_together_within_clauses_paragraphs_and_documents() {
    let t = study().await;
    let (_, _, _, codes, passages) = t.record().await;
    let all: Vec<&CodedPassage> = passages.iter().collect();
    let chosen = t.columns();
    let matrix_of = |within| codes::cooccurrence(&codes, &all, &chosen, within).counts;
    assert_eq!(matrix_of(Within::Clause), [[3, 1, 0], [1, 3, 0], [0, 0, 2]]);
    assert_eq!(
        matrix_of(Within::Paragraph),
        [[2, 2, 0], [2, 3, 1], [0, 1, 2]]
    );
    assert_eq!(
        matrix_of(Within::Document),
        [[2, 2, 1], [2, 2, 1], [1, 1, 2]]
    );
    let pairs = codes::cooccurrence(&codes, &all, &chosen, Within::Paragraph).pairs();
    assert_eq!(pairs[0], (t.code["1"], t.code["2"], 2));
    let f = codes::frequencies(&codes, &all, &chosen);
    let got: Vec<(usize, usize, usize)> = f
        .iter()
        .map(|f| (f.passages, f.documents, f.sites))
        .collect();
    assert_eq!(got, [(2, 2, 2), (3, 2, 2), (2, 2, 1)]);
    let side_by_side = codes::compare(&codes, &all, &chosen, &[t.site[0], t.site[1]]);
    assert_eq!(side_by_side, [[1, 2, 2], [1, 1, 0]]);
    // A passage moved to another paragraph is placed again before the next count.
    let mut k2: Coding = t.store.get(t.coding[&2]).await.unwrap();
    k2.span = span(D1, "ชุมชนสะพานยาว");
    rian_core::edit::update(&t.store, "local", Record::Coding(k2))
        .await
        .unwrap();
    let (_, _, _, codes, passages) = t.record().await;
    let all: Vec<&CodedPassage> = passages.iter().collect();
    let moved = codes::cooccurrence(&codes, &all, &chosen, Within::Paragraph).counts;
    assert_eq!(moved, [[2, 1, 0], [1, 2, 1], [0, 1, 2]]);
}

#[tokio::test]
async fn network_timeline_map_and_words_answer_for_the_hand_made_study() {
    let t = study().await;
    let [s1, s2, s3] = t.site;
    let actor = |name: &str, kind| Actor {
        id: 0,
        study_id: t.study,
        name: name.into(),
        kind,
    };
    let mut tx = t.store.begin().await.unwrap();
    let a = tx
        .insert_actor(&actor("มหาวิทยาลัยตัวอย่าง", ActorKind::Academic))
        .await
        .unwrap();
    let b = tx
        .insert_actor(&actor("กองทุนตัวอย่าง", ActorKind::Fund))
        .await
        .unwrap();
    let c = tx
        .insert_actor(&actor(
            "ชมรม <ทดสอบ> & เพื่อน",
            ActorKind::CommunityOrganization,
        ))
        .await
        .unwrap();
    for (actor_id, site_id, kind) in [
        (a, s1, TieKind::Support),
        (a, s2, TieKind::Academic),
        (a, s1, TieKind::Funding),
        (b, s3, TieKind::Funding),
    ] {
        tx.insert_tie(&Tie {
            id: 0,
            actor_id,
            site_id,
            kind,
            note: None,
            document_id: None,
            span: None,
        })
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let actors = t.store.actors(t.study).await.unwrap();
    let ties = t.store.study_ties(t.study).await.unwrap();
    let reach: Vec<(i64, usize, usize)> = network::actor_reach(&actors, &ties)
        .iter()
        .map(|r| (r.actor.id, r.sites, r.ties))
        .collect();
    assert_eq!(reach, [(a, 2, 3), (b, 1, 1), (c, 0, 0)]);
    let per_site = network::site_reach(&ties);
    assert_eq!((per_site[&s1], per_site[&s2], per_site[&s3]), (1, 1, 1));
    let overviews = t.store.site_overviews(t.study).await.unwrap();
    let sites: Vec<Site> = overviews.iter().map(|o| o.site.clone()).collect();
    let graph = network::graphml(&actors, &sites, &ties);
    let mut reader = quick_xml::Reader::from_str(&graph);
    let (mut nodes, mut edges) = (0, 0);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "node" => nodes += 1,
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "edge" => edges += 1,
            _ => {}
        }
    }
    assert_eq!((nodes, edges), (6, 4));
    assert!(graph.contains("ชมรม &lt;ทดสอบ&gt; &amp; เพื่อน"));
    let table = network::ties_table(&actors, &sites, &ties);
    assert_eq!(table.len(), 5);
    assert_eq!(table[1][0], "มหาวิทยาลัยตัวอย่าง");

    let forums = t.store.study_forums(t.study).await.unwrap();
    let lanes = timeline::timeline(&sites, &forums, &Scope::default());
    let shape: Vec<(i64, Vec<i64>, bool)> = lanes
        .iter()
        .map(|l| {
            (
                l.site.id,
                l.forums.iter().map(|f| f.id).collect(),
                l.returned(),
            )
        })
        .collect();
    let [f1, f2, f3, f4] = t.forum;
    assert_eq!(
        shape,
        [
            (s1, vec![f1, f4], true),
            (s2, vec![f2], false),
            (s3, vec![f3], false)
        ]
    );

    let placed = map::place_sites(&overviews);
    assert_eq!(placed[2].placing, map::Placing::Coordinates);
    assert_eq!((placed[2].lon, placed[2].lat), (100.77, 18.78));
    // Two sites of สตูล without coordinates: both near its centre, not on one point.
    let satun = rian_core::geo::province("สตูล").unwrap();
    for m in &placed[..2] {
        assert_eq!(m.placing, map::Placing::Province);
        let [lon, lat] = satun.centroid();
        assert!((m.lon - lon).abs() < 0.2 && (m.lat - lat).abs() < 0.2);
    }
    assert_ne!(
        (placed[0].lon, placed[0].lat),
        (placed[1].lon, placed[1].lat)
    );
    let geo: serde_json::Value = serde_json::from_str(&map::geojson(&placed)).unwrap();
    let features = geo["features"].as_array().unwrap();
    assert_eq!(features.len(), 3);
    assert_eq!(
        features[2]["geometry"]["coordinates"],
        serde_json::json!([100.77, 18.78])
    );
    assert_eq!(features[0]["properties"]["link"], format!("/sites/{s1}"));

    let texts: Vec<&str> = t.docs.iter().map(|d| d.1).collect();
    let counts = words::word_frequencies(texts, 100);
    let of = |w: &str| {
        counts
            .iter()
            .find(|c| c.word == w)
            .map(|c| (c.count, c.texts))
    };
    assert_eq!(of("กองทุน"), Some((2, 2)));
    assert_eq!(of("ผู้นำ"), Some((2, 2)));
    // ธนาคารขยะ is a term of the domain lexicon: one word, not ขยะ again.
    assert_eq!(of("ขยะ"), Some((1, 1)));
    assert_eq!(of("ธนาคารขยะ"), Some((1, 1)));
    assert_eq!(of("มี"), None);
}

/// Two coders on one hand-made document of four clauses, codes X and Y:
///
/// | clause            | A     | B     |
/// |-------------------|-------|-------|
/// | กองทุนช่วยสมาชิก     | X     | X     |
/// | ผู้นำพาทำ           | X     | Y     |
/// | แกนนำเข้มแข็ง        | –     | –     |
/// | ชุมชนร่วมมือ         | Y     | Y     |
///
/// X: both 1, only A 1, only B 0, neither 2. Y: both 1, only A 0, only B 1, neither 2.
/// Over both codes (8 pairs): both 2, only A 1, only B 1, neither 4: 75 %;
/// κ = (0.75 − 34/64)/(1 − 34/64) = 0.4666…; α = 1 − 15·2/(6·10) = 0.5.
#[tokio::test]
async fn two_coders_agree_as_worked_by_hand() {
    use rian_core::analyze::agreement::agreement;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(
        &rian_core::store::scratch_location(dir.path())
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    let demo = rian_core::demo::load_demo(&store).await.unwrap();
    let text = "กองทุนช่วยสมาชิก ผู้นำพาทำ แกนนำเข้มแข็ง ชุมชนร่วมมือ";
    let site = store.find_site("นาทอน").await.unwrap();
    let source = rian_core::import::read_bytes("agree.txt", text.as_bytes().to_vec()).unwrap();
    let request = rian_core::pipeline::ImportRequest {
        path: std::path::Path::new(""),
        site: rian_core::pipeline::SiteRef::Id(site.id),
        forum_id: None,
        kind: ForumKind::FocusGroup,
        date: None,
    };
    let doc = rian_core::pipeline::import_source(&store, source, &request)
        .await
        .unwrap()
        .document_id;
    let codes = store.codes(demo.study_id).await.unwrap();
    let (x, y) = (codes[1].id, codes[2].id);
    for (coder, code, part) in [
        ("ก", x, "กองทุนช่วยสมาชิก"),
        ("ก", x, "ผู้นำพาทำ"),
        ("ก", y, "ชุมชนร่วมมือ"),
        ("ข", x, "กองทุนช่วยสมาชิก"),
        ("ข", y, "ผู้นำพาทำ"),
        ("ข", y, "ชุมชนร่วมมือ"),
    ] {
        rian_core::edit::create(
            &store,
            coder,
            Record::Coding(Coding {
                id: 0,
                document_id: doc,
                code_id: code,
                span: span(text, part),
                coder: coder.into(),
                status: CodingStatus::Accepted,
                memo: None,
                cue: None,
            }),
        )
        .await
        .unwrap();
    }
    let coders = store.coders(demo.study_id).await.unwrap();
    assert!(coders.contains(&("ก".to_string(), 3)), "{coders:?}");
    let (documents, codings) = store.codings_by(demo.study_id, ["ก", "ข"]).await.unwrap();
    assert_eq!(documents.len(), 1, "only the document both coded");
    let g = agreement("ก", "ข", &documents, &codings, &codes);
    assert_eq!(g.units.len(), 4, "{:?}", g.units);
    let table = |id: i64| g.codes.iter().find(|c| c.code_id == id).unwrap().table;
    let t = table(x);
    assert_eq!((t.both, t.only_a, t.only_b, t.neither), (1, 1, 0, 2));
    let t = table(y);
    assert_eq!((t.both, t.only_a, t.only_b, t.neither), (1, 0, 1, 2));
    let o = g.overall;
    assert_eq!((o.both, o.only_a, o.only_b, o.neither), (2, 1, 1, 4));
    assert!((g.percent.unwrap() - 75.0).abs() < 1e-9);
    assert!((g.kappa.unwrap() - (0.75 - 34.0 / 64.0) / (1.0 - 34.0 / 64.0)).abs() < 1e-9);
    assert!((g.alpha.unwrap() - 0.5).abs() < 1e-9);
    assert_eq!(g.differences.len(), 1);
    assert_eq!(g.differences[0].text, "ผู้นำพาทำ");
    assert_eq!(
        (
            g.differences[0].only_a.clone(),
            g.differences[0].only_b.clone()
        ),
        (vec![x], vec![y])
    );
}
