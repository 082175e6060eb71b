//! A study as tables for spreadsheets: forums, facts, codings (with their quotes and code
//! paths), SWOT, the support network, the plan and the framework matrix. One table is one
//! XLSX sheet or one CSV file; headers are Thai, as the agencies' own sheets are.
//! Attendees are personal data: a table of them is made only when asked for.

use crate::Result;
use crate::analyze::matrix::{StudyRecord, matrix};
use crate::analyze::{Scope, framework_codes};
use crate::model::*;
use crate::store::Store;
use crate::thai::dates::{DateStyle, format_be};
use std::collections::HashMap;

/// One table: its name as a file (`codings`), its Thai title (a sheet's name) and rows,
/// the first of them the header.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: &'static str,
    pub title: &'static str,
    pub rows: Vec<Vec<String>>,
}

/// The names of the tables, in the order they come.
pub const TABLES: [&str; 8] = [
    "forums",
    "facts",
    "codings",
    "swot",
    "network",
    "plan",
    "matrix",
    "attendees",
];

fn be(d: Option<IsoDate>) -> String {
    d.map(|d| format_be(d, DateStyle::Full)).unwrap_or_default()
}

fn iso(d: Option<IsoDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// The code's place in the tree: "3 กลไกและการขับเคลื่อน › 3.2 ปัจจัยความสำเร็จ".
fn code_path(codes: &HashMap<i64, &Code>, id: i64) -> String {
    let mut parts = Vec::new();
    let mut at = codes.get(&id).copied();
    while let Some(c) = at {
        parts.push(format!("{} {}", c.key, c.name_th));
        at = c.parent_id.and_then(|p| codes.get(&p).copied());
        if parts.len() > 32 {
            break;
        }
    }
    parts.reverse();
    parts.join(" › ")
}

fn header(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// Every table of a study. `personal` adds the attendees' names and phone numbers.
pub async fn study_tables(store: &Store, study_id: i64, personal: bool) -> Result<Vec<Table>> {
    let sites = store.study_sites(study_id).await?;
    let site_of: HashMap<i64, &Site> = sites.iter().map(|s| (s.id, s)).collect();
    let forums = store.study_forums(study_id).await?;
    let forum_of: HashMap<i64, &Forum> = forums.iter().map(|f| (f.id, f)).collect();
    let codes = store.codes(study_id).await?;
    let code_of: HashMap<i64, &Code> = codes.iter().map(|c| (c.id, c)).collect();
    let site_name = |id: i64| {
        site_of
            .get(&id)
            .map(|s| s.display_name())
            .unwrap_or_default()
    };
    let province = |id: i64| {
        site_of
            .get(&id)
            .map(|s| s.province_th.clone())
            .unwrap_or_default()
    };

    let mut forum_rows = vec![header(&[
        "พื้นที่",
        "จังหวัด",
        "ประเภทเวที",
        "สถานะ",
        "ชื่อเวที",
        "วันที่",
        "วันที่ (ISO)",
        "ถึงวันที่ (ISO)",
        "สถานที่",
        "ผู้เข้าร่วม (คน)",
        "สถานะบันทึก",
        "จำนวนเอกสาร",
        "รหัสเวที",
    ])];
    let mut fact_rows = vec![header(&[
        "พื้นที่",
        "เวที",
        "เอกสาร",
        "ชนิด",
        "ค่า",
        "ตัวเลข",
        "หน่วย",
        "ข้อความต้นทาง",
    ])];
    let mut coding_rows = vec![header(&[
        "พื้นที่",
        "จังหวัด",
        "วันที่เวที",
        "เอกสาร",
        "รหัส",
        "ลำดับชั้นรหัส",
        "ข้อความที่ลงรหัส",
        "ตำแหน่งเริ่ม",
        "ตำแหน่งจบ",
        "ผู้ลงรหัส",
        "สถานะ",
        "บันทึก",
        "รหัสการลงรหัส",
    ])];
    let mut attendee_rows = vec![header(&["พื้นที่", "เวที", "ชื่อ", "โทรศัพท์", "บทบาท"])];
    let mut ordered: Vec<&Forum> = forums.iter().collect();
    ordered.sort_by_key(|f| {
        (
            site_of.get(&f.site_id).map_or(i64::MAX, |s| s.position),
            // Undated (planned) forums after the dated ones.
            f.date.is_none(),
            f.date,
            f.id,
        )
    });
    for f in ordered {
        let documents = store.documents(f.id).await?;
        let forum_label = f
            .title
            .clone()
            .unwrap_or_else(|| f.kind.label(Lang::Th).to_string());
        forum_rows.push(vec![
            site_name(f.site_id),
            province(f.site_id),
            f.kind.label(Lang::Th).into(),
            f.status.label(Lang::Th).into(),
            opt(&f.title),
            be(f.date),
            iso(f.date),
            iso(f.date_end),
            opt(&f.venue),
            opt(&f.participants),
            store.record_state(f.id).await?.label(Lang::Th).into(),
            documents.len().to_string(),
            f.id.to_string(),
        ]);
        if personal {
            for a in store.attendees(f.id).await? {
                attendee_rows.push(vec![
                    site_name(f.site_id),
                    forum_label.clone(),
                    a.name.clone(),
                    opt(&a.phone),
                    opt(&a.role),
                ]);
            }
        }
        for d in documents {
            let chars: Vec<char> = d.text.chars().collect();
            let quote = |s: Span| -> String {
                let (a, b) = (
                    s.start.max(0) as usize,
                    (s.end.max(0) as usize).min(chars.len()),
                );
                chars
                    .get(a..b)
                    .map(|c| c.iter().collect())
                    .unwrap_or_default()
            };
            for fact in store.facts(d.id).await? {
                fact_rows.push(vec![
                    site_name(f.site_id),
                    forum_label.clone(),
                    d.title.clone(),
                    fact.kind.label(Lang::Th).into(),
                    fact.value.clone(),
                    opt(&fact.number),
                    opt(&fact.unit),
                    fact.span.map(quote).unwrap_or_default(),
                ]);
            }
            for c in store.codings(d.id).await? {
                if matches!(c.status, CodingStatus::Rejected) {
                    continue;
                }
                coding_rows.push(vec![
                    site_name(f.site_id),
                    province(f.site_id),
                    be(forum_of.get(&d.forum_id).and_then(|f| f.date)),
                    d.title.clone(),
                    code_of
                        .get(&c.code_id)
                        .map(|k| k.key.clone())
                        .unwrap_or_default(),
                    code_path(&code_of, c.code_id),
                    quote(c.span),
                    c.span.start.to_string(),
                    c.span.end.to_string(),
                    c.coder.clone(),
                    c.status.label(Lang::Th).into(),
                    opt(&c.memo),
                    c.id.to_string(),
                ]);
            }
        }
    }

    let mut swot_rows = vec![header(&["พื้นที่", "ชุมชน", "ด้าน", "รายการ", "ลำดับ"])];
    let mut tie_rows = vec![header(&[
        "ภาคี",
        "ประเภทภาคี",
        "พื้นที่",
        "จังหวัด",
        "ความสัมพันธ์",
        "หมายเหตุ",
    ])];
    let mut plan_rows = vec![header(&[
        "พื้นที่",
        "กิจกรรม",
        "ผู้รับผิดชอบ",
        "กำหนดเสร็จ",
        "กำหนดเสร็จ (ISO)",
        "สถานะ",
        "ความคืบหน้า (%)",
    ])];
    let actors: HashMap<i64, Actor> = store
        .actors(study_id)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut by_position: Vec<&Site> = sites.iter().collect();
    by_position.sort_by_key(|s| (s.position, s.id));
    for s in by_position {
        for community in store.communities(s.id).await? {
            let mut items = store.swot_items(community.id).await?;
            items.sort_by_key(|i| {
                (
                    Quadrant::ALL.iter().position(|q| *q == i.quadrant),
                    i.position,
                )
            });
            for i in items {
                swot_rows.push(vec![
                    s.display_name(),
                    community.name_th.clone(),
                    i.quadrant.label(Lang::Th).into(),
                    i.text.clone(),
                    (i.position + 1).to_string(),
                ]);
            }
        }
        for t in store.ties(s.id).await? {
            let actor = actors.get(&t.actor_id);
            tie_rows.push(vec![
                actor.map(|a| a.name.clone()).unwrap_or_default(),
                actor
                    .map(|a| a.kind.label(Lang::Th).to_string())
                    .unwrap_or_default(),
                s.display_name(),
                s.province_th.clone(),
                t.kind.label(Lang::Th).into(),
                opt(&t.note),
            ]);
        }
        for p in store.plan_items(s.id).await? {
            plan_rows.push(vec![
                s.display_name(),
                p.what.clone(),
                opt(&p.who),
                be(p.due),
                iso(p.due),
                p.status.label(Lang::Th).into(),
                p.progress.to_string(),
            ]);
        }
    }

    let communities = store.study_communities(study_id).await?;
    let passages = store.coded_passages(study_id).await?;
    let summaries = store.cell_summaries(study_id, MatrixRows::Site).await?;
    let framework = matrix(
        StudyRecord {
            sites: &sites,
            communities: &communities,
            forums: &forums,
            codes: &codes,
            passages: &passages,
        },
        MatrixRows::Site,
        &framework_codes(&codes),
        &Scope::default(),
        &summaries,
        &HashMap::new(),
    );

    let mut tables = vec![
        Table {
            name: "forums",
            title: "เวที",
            rows: forum_rows,
        },
        Table {
            name: "facts",
            title: "ข้อเท็จจริง",
            rows: fact_rows,
        },
        Table {
            name: "codings",
            title: "การลงรหัส",
            rows: coding_rows,
        },
        Table {
            name: "swot",
            title: "SWOT",
            rows: swot_rows,
        },
        Table {
            name: "network",
            title: "เครือข่ายภาคี",
            rows: tie_rows,
        },
        Table {
            name: "plan",
            title: "แผนพัฒนาร่วม",
            rows: plan_rows,
        },
        Table {
            name: "matrix",
            title: "ตารางกรอบแนวคิด",
            rows: framework.table(Lang::Th),
        },
    ];
    if personal {
        tables.push(Table {
            name: "attendees",
            title: "ผู้เข้าร่วม",
            rows: attendee_rows,
        });
    }
    Ok(tables)
}

/// The tables as one XLSX workbook, a sheet each.
pub fn workbook(tables: &[Table]) -> Result<Vec<u8>> {
    let sheets: Vec<(&str, &[Vec<String>])> = tables
        .iter()
        .map(|t| (t.title, t.rows.as_slice()))
        .collect();
    crate::export::xlsx(&sheets)
}
