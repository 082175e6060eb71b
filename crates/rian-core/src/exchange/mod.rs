//! Exchange with other tools: a study as a REFI-QDA project (`.qdpx`) and its codebook
//! (`.qdc`), both ways. Sites become cases, the facts of a forum become variables of its
//! documents, documents become text sources, codings become plain-text selections, memos
//! become notes. Whatever a format cannot carry is listed as a [`Notice`], on export and
//! on import.

pub mod field_form;
pub mod qdpx;
pub mod refi;
pub mod schedule;
pub mod sheets;
pub mod tables;

use crate::access::Author;
use crate::model::*;
use crate::store::Store;
use crate::thai::normalize_bytes;
use crate::{Error, Result};
use refi::{
    Case, CodeNode, CodingRef, Guid, Link, Note, Project, Selection, TextSource, User, Variable,
    VariableKind, VariableValue,
};
use serde::Serialize;
use std::collections::HashMap;

/// Something a format could not carry, or a repair made on the way: a line for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub th: String,
    pub en: String,
}

impl Notice {
    pub fn new(th: impl Into<String>, en: impl Into<String>) -> Notice {
        Notice {
            th: th.into(),
            en: en.into(),
        }
    }
}

/// Marks, in a selection's description, a coding rian had only suggested.
const SUGGESTED_MARK: &str = "[rian: suggested]";
/// The line of a code's description that carries its English name.
const ENGLISH_PREFIX: &str = "English: ";
/// The origin rian writes; a project from rian is read back with its keys and groupings.
pub const ORIGIN: &str = concat!("rian ", env!("CARGO_PKG_VERSION"));

/// The variables rian writes: (name, kind). Cases (sites) first, then sources (forums).
const SITE_PROVINCE: (&str, VariableKind) = ("จังหวัด / Province", VariableKind::Text);
const SITE_DISTRICT: (&str, VariableKind) = ("อำเภอหรือเขต / District", VariableKind::Text);
const SITE_LEVEL: (&str, VariableKind) = ("ระดับพื้นที่ / Level", VariableKind::Text);
const SITE_CODE: (&str, VariableKind) = ("รหัสพื้นที่ / Admin code", VariableKind::Text);
const SITE_LAT: (&str, VariableKind) = ("ละติจูด / Latitude", VariableKind::Float);
const SITE_LON: (&str, VariableKind) = ("ลองจิจูด / Longitude", VariableKind::Float);
const SITE_FICTIONAL: (&str, VariableKind) = ("พื้นที่สมมติ / Fictional", VariableKind::Boolean);
const FORUM_NO: (&str, VariableKind) = ("เวทีที่ / Forum no.", VariableKind::Integer);
const FORUM_KIND: (&str, VariableKind) = ("ชนิดเวที / Forum kind", VariableKind::Text);
const FORUM_TITLE: (&str, VariableKind) = ("ชื่อเวที / Forum title", VariableKind::Text);
const FORUM_STATUS: (&str, VariableKind) = ("สถานะเวที / Forum status", VariableKind::Text);
const FORUM_DATE: (&str, VariableKind) = ("วันที่จัดเวที / Forum date", VariableKind::Date);
const FORUM_DATE_END: (&str, VariableKind) = ("วันสุดท้ายของเวที / Forum end date", VariableKind::Date);
const FORUM_VENUE: (&str, VariableKind) = ("สถานที่ / Venue", VariableKind::Text);
const FORUM_PARTICIPANTS: (&str, VariableKind) =
    ("ผู้เข้าร่วม (คน) / Participants", VariableKind::Integer);
const VARIABLES: [(&str, VariableKind); 15] = [
    SITE_PROVINCE,
    SITE_DISTRICT,
    SITE_LEVEL,
    SITE_CODE,
    SITE_LAT,
    SITE_LON,
    SITE_FICTIONAL,
    FORUM_NO,
    FORUM_KIND,
    FORUM_TITLE,
    FORUM_STATUS,
    FORUM_DATE,
    FORUM_DATE_END,
    FORUM_VENUE,
    FORUM_PARTICIPANTS,
];

/// What goes into an export beyond the coded record.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions {
    /// Also export codings rian suggested and nobody accepted yet (marked as such).
    pub suggestions: bool,
}

/// A study as a REFI-QDA project, with what it leaves out.
#[derive(Debug)]
pub struct Exported {
    pub project: Project,
    pub notices: Vec<Notice>,
    pub codings: usize,
    pub memos: usize,
}

fn variable_guid(study: &Study, name: &str) -> Guid {
    Guid::named(&format!("rian:{}:variable:{name}", study.slug))
}

fn value(
    study: &Study,
    (name, kind): (&str, VariableKind),
    v: Option<String>,
) -> Option<VariableValue> {
    v.map(|value| VariableValue {
        variable: variable_guid(study, name),
        kind,
        value,
    })
}

fn code_name(c: &Code) -> String {
    format!("{} {}", c.key, c.name_th)
}

fn code_description(c: &Code) -> Option<String> {
    let english =
        (!c.name_en.trim().is_empty()).then(|| format!("{ENGLISH_PREFIX}{}", c.name_en.trim()));
    match (
        c.description.as_deref().filter(|d| !d.trim().is_empty()),
        english,
    ) {
        (Some(d), Some(e)) => Some(format!("{d}\n\n{e}")),
        (Some(d), None) => Some(d.to_string()),
        (None, e) => e,
    }
}

/// `YYYY-MM-DD HH:MM:SS` (the store's UTC clock) as xsd:dateTime.
fn xsd_time(at: &str) -> Option<String> {
    let at = at.trim();
    (at.len() == 19).then(|| format!("{}T{}Z", &at[..10], &at[11..]))
}

/// xsd:dateTime as the store writes times; None if it does not read as one.
fn store_time(at: &str) -> Option<String> {
    let at = at.trim();
    let (date, time) = at.split_once('T')?;
    IsoDate::parse(date)?;
    let time: String = time.chars().take(8).collect();
    (time.len() == 8 && time.as_bytes()[2] == b':' && time.as_bytes()[5] == b':')
        .then(|| format!("{date} {time}"))
}

/// Builds the project of a study. Sources carry their text inline; [`qdpx::pack`] moves
/// them into the archive.
pub async fn export_study(
    store: &Store,
    study_id: i64,
    options: ExportOptions,
) -> Result<Exported> {
    let study = store.study(study_id).await?;
    let guid = |kind: &str, id: i64| Guid::named(&format!("rian:{}:{kind}:{id}", study.slug));
    let mut users: Vec<User> = Vec::new();
    let mut user = |name: &str| -> Guid {
        let g = Guid::named(&format!("rian:user:{name}"));
        if !users.iter().any(|u| u.guid == g) {
            users.push(User {
                guid: g.clone(),
                name: name.to_string(),
            });
        }
        g
    };
    let mut notices = Vec::new();
    let memos = store.memos(study_id, None, None).await?;
    let memo_guid = |m: &Memo| guid("memo", m.id);
    let memos_on = |target: MemoTarget, id: i64| -> Vec<Guid> {
        let mut on: Vec<&Memo> = memos
            .iter()
            .filter(|m| m.target == target && m.target_id == id)
            .collect();
        on.sort_by_key(|m| m.id);
        on.into_iter().map(memo_guid).collect()
    };

    // The codebook as a tree, in the study's order.
    let codes = store.codes(study_id).await?;
    fn tree(
        codes: &[Code],
        parent: Option<i64>,
        node: &dyn Fn(&Code) -> CodeNode,
    ) -> Vec<CodeNode> {
        let mut level: Vec<&Code> = codes.iter().filter(|c| c.parent_id == parent).collect();
        level.sort_by_key(|c| (c.position, c.id));
        level
            .into_iter()
            .map(|c| CodeNode {
                children: tree(codes, Some(c.id), node),
                ..node(c)
            })
            .collect()
    }
    let code_guid = |id: i64| guid("code", id);
    let node = |c: &Code| CodeNode {
        guid: code_guid(c.id),
        name: code_name(c),
        codable: true,
        color: Some(c.color.clone()),
        description: code_description(c),
        note_refs: memos_on(MemoTarget::Code, c.id),
        children: Vec::new(),
    };
    let code_tree = tree(&codes, None, &node);

    let mut cases = Vec::new();
    let mut sources = Vec::new();
    let mut links = Vec::new();
    let (mut codings_out, mut left_suggested, mut left_rejected, mut left_detached) = (0, 0, 0, 0);
    let (mut facts, mut swot, mut ties, mut plan, mut parties, mut attendees) = (0, 0, 0, 0, 0, 0);
    let mut empty_forums = 0;
    for overview in store.site_overviews(study_id).await? {
        let site = overview.site;
        let case_guid = guid("site", site.id);
        let mut case = Case {
            guid: case_guid.clone(),
            name: site.display_name(),
            description: None,
            values: [
                value(&study, SITE_PROVINCE, Some(site.province_th.clone())),
                value(&study, SITE_DISTRICT, site.district_th.clone()),
                value(
                    &study,
                    SITE_LEVEL,
                    Some(site.level.label(Lang::Th).to_string()),
                ),
                value(&study, SITE_CODE, site.admin_code.clone()),
                value(&study, SITE_LAT, site.lat.map(|v| v.to_string())),
                value(&study, SITE_LON, site.lon.map(|v| v.to_string())),
                value(&study, SITE_FICTIONAL, Some(site.fictional.to_string())),
            ]
            .into_iter()
            .flatten()
            .collect(),
            sources: Vec::new(),
        };
        for m in memos
            .iter()
            .filter(|m| m.target == MemoTarget::Site && m.target_id == site.id)
        {
            links.push(Link {
                guid: guid("memo-link", m.id),
                name: "บันทึก / memo".into(),
                origin: Some(memo_guid(m)),
                target: Some(case_guid.clone()),
            });
        }
        for community in store.communities(site.id).await? {
            swot += store.swot_items(community.id).await?.len();
        }
        ties += store.ties(site.id).await?.len();
        plan += store.plan_items(site.id).await?.len();
        for forum in store.forums(Some(site.id)).await? {
            parties += store.forum_parties(forum.id).await?.len();
            attendees += store.attendees(forum.id).await?.len();
            let forum_values: Vec<VariableValue> = [
                value(&study, FORUM_NO, Some(forum.id.to_string())),
                value(
                    &study,
                    FORUM_KIND,
                    Some(forum.kind.label(Lang::Th).to_string()),
                ),
                value(&study, FORUM_TITLE, forum.title.clone()),
                value(
                    &study,
                    FORUM_STATUS,
                    Some(forum.status.label(Lang::Th).to_string()),
                ),
                value(&study, FORUM_DATE, forum.date.map(|d| d.to_string())),
                value(
                    &study,
                    FORUM_DATE_END,
                    forum.date_end.map(|d| d.to_string()),
                ),
                value(&study, FORUM_VENUE, forum.venue.clone()),
                value(
                    &study,
                    FORUM_PARTICIPANTS,
                    forum.participants.map(|n| n.to_string()),
                ),
            ]
            .into_iter()
            .flatten()
            .collect();
            let documents = store.documents(forum.id).await?;
            if documents.is_empty() {
                empty_forums += 1;
            }
            for doc in documents {
                facts += store.facts(doc.id).await?.len();
                let chars: Vec<char> = doc.text.chars().collect();
                let mut selections = Vec::new();
                for coding in store.codings(doc.id).await? {
                    match coding.status {
                        CodingStatus::Rejected => {
                            left_rejected += 1;
                            continue;
                        }
                        CodingStatus::Detached => {
                            left_detached += 1;
                            continue;
                        }
                        CodingStatus::Suggested if !options.suggestions => {
                            left_suggested += 1;
                            continue;
                        }
                        _ => {}
                    }
                    let coder = user(&coding.coder);
                    let quote: String = chars
                        .get(
                            coding.span.start as usize..(coding.span.end as usize).min(chars.len()),
                        )
                        .unwrap_or_default()
                        .iter()
                        .take(60)
                        .map(|&c| if c.is_whitespace() { ' ' } else { c })
                        .collect();
                    let description = match (coding.status, coding.memo.as_deref()) {
                        (CodingStatus::Suggested, Some(m)) => {
                            Some(format!("{SUGGESTED_MARK}\n{m}"))
                        }
                        (CodingStatus::Suggested, None) => Some(SUGGESTED_MARK.to_string()),
                        (_, m) => m.map(str::to_string),
                    };
                    selections.push(Selection {
                        guid: guid("selection", coding.id),
                        name: quote.trim().to_string(),
                        description,
                        start: coding.span.start,
                        end: coding.span.end,
                        creating_user: Some(coder.clone()),
                        created: None,
                        codings: vec![CodingRef {
                            guid: guid("coding", coding.id),
                            code: code_guid(coding.code_id),
                            creating_user: Some(coder),
                            created: None,
                        }],
                        note_refs: memos_on(MemoTarget::Coding, coding.id),
                    });
                    codings_out += 1;
                }
                let source_guid = guid("document", doc.id);
                case.sources.push(source_guid.clone());
                sources.push(TextSource {
                    guid: source_guid,
                    name: doc.title.clone(),
                    description: doc.source_name.clone(),
                    plain_text_path: None,
                    text: Some(doc.text.clone()),
                    creating_user: None,
                    created: None,
                    selections,
                    note_refs: memos_on(MemoTarget::Document, doc.id),
                    values: forum_values.clone(),
                });
            }
        }
        cases.push(case);
    }
    let notes = memos
        .iter()
        .map(|m| Note {
            guid: memo_guid(m),
            name: m
                .text
                .chars()
                .take(40)
                .map(|c| if c.is_whitespace() { ' ' } else { c })
                .collect::<String>()
                .trim()
                .to_string(),
            text: m.text.clone(),
            creating_user: (!m.author.is_empty()).then(|| user(&m.author)),
            created: xsd_time(&m.written_at),
        })
        .collect();
    let left = [
        (
            left_suggested,
            "การลงรหัสที่ rian เสนอแต่ยังไม่มีผู้ยอมรับ (ส่งออกได้ด้วย --suggestions)",
            "suggested codings nobody accepted yet (export them with --suggestions)",
        ),
        (left_rejected, "ข้อเสนอรหัสที่ถูกปฏิเสธ", "rejected suggestions"),
        (
            left_detached,
            "การลงรหัสที่ข้อความถูกลบไปแล้ว (รอตรวจ)",
            "codings whose text was removed (to review)",
        ),
        (
            empty_forums,
            "เวทีที่ยังไม่มีเอกสาร (เช่น เวทีที่วางแผนไว้)",
            "forums with no document yet (planned ones, say)",
        ),
        (
            facts,
            "ข้อเท็จจริงที่สกัดจากเอกสาร (ตัวเลข วันที่ สถานที่ หน่วยงาน) — rian สกัดใหม่ได้เมื่อนำเข้า",
            "facts read from documents (figures, dates, places, organizations)",
        ),
        (swot, "รายการ SWOT ของชุมชน", "community SWOT items"),
        (ties, "ความเชื่อมโยงในเครือข่ายสนับสนุน", "support-network ties"),
        (plan, "รายการแผนพัฒนาร่วม", "joint plan items"),
        (parties, "หน่วยงานที่มีบทบาทในเวที", "parties named in forums"),
        (
            attendees,
            "รายชื่อผู้เข้าร่วม (ข้อมูลส่วนบุคคล ไม่ส่งออก)",
            "attendees (personal data, never exported here)",
        ),
    ];
    for (n, th, en) in left {
        if n > 0 {
            notices.push(Notice::new(
                format!("ไม่ได้ส่งออก{th}: {n} รายการ"),
                format!("not exported: {n} {en}"),
            ));
        }
    }
    let variables = VARIABLES
        .iter()
        .map(|&(name, kind)| Variable {
            guid: variable_guid(&study, name),
            name: name.to_string(),
            kind,
            description: None,
        })
        .collect();
    let memo_count = memos.len();
    Ok(Exported {
        project: Project {
            name: study.name_th.clone(),
            origin: Some(ORIGIN.to_string()),
            description: Some(format!(
                "{} ({}) — ปีงบประมาณ {} / rian study \"{}\"",
                study.name_th,
                study.name_en.clone().unwrap_or_default(),
                study.fiscal_year_be,
                study.slug
            )),
            users,
            codes: code_tree,
            variables,
            cases,
            sources,
            notes,
            links,
            note_refs: Vec::new(),
        },
        notices,
        codings: codings_out,
        memos: memo_count,
    })
}

/// A study's codebook as REFI-QDA codes.
pub async fn export_codebook(store: &Store, study_id: i64) -> Result<Vec<CodeNode>> {
    Ok(export_study(store, study_id, ExportOptions::default())
        .await?
        .project
        .codes)
}

/// What an import wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportedProject {
    pub study_id: i64,
    pub slug: String,
    pub codes: usize,
    pub sites: usize,
    pub forums: usize,
    pub documents: usize,
    pub codings: usize,
    pub memos: usize,
    pub notices: Vec<Notice>,
}

/// The name of a code read back: a leading key (`1.2`, `swot.s`) and the rest. rian
/// writes every code as "key name"; in other tools' names only a numbered key counts.
fn split_key(name: &str, from_rian: bool) -> (Option<&str>, &str) {
    match name.split_once(' ') {
        Some((key, rest))
            if !key.is_empty()
                && (from_rian || key.chars().any(|c| c.is_ascii_digit() || c == '.'))
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-') =>
        {
            (Some(key), rest.trim())
        }
        _ => (None, name.trim()),
    }
}

/// A description read back: the English name on its own last line, and the rest.
fn split_english(description: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(d) = description else {
        return (None, None);
    };
    match d.rsplit_once('\n').map_or(("", d), |(a, b)| (a, b)) {
        (rest, line) if line.starts_with(ENGLISH_PREFIX) => {
            let rest = rest.trim();
            (
                (!rest.is_empty()).then(|| rest.to_string()),
                Some(line[ENGLISH_PREFIX.len()..].trim().to_string()),
            )
        }
        _ => (Some(d.to_string()), None),
    }
}

fn colour(c: Option<&str>) -> Option<String> {
    let c = c?.trim();
    let hex = c.strip_prefix('#')?;
    if !hex.chars().all(|x| x.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(format!(
            "#{}",
            hex.chars()
                .flat_map(|x| [x, x])
                .collect::<String>()
                .to_ascii_lowercase()
        )),
        _ => None,
    }
}

/// Codes as rows to insert: (guid, parent guid, code without ids).
fn flatten_codes(
    nodes: &[CodeNode],
    parent: Option<&Guid>,
    prefix: &str,
    from_rian: bool,
    out: &mut Vec<(Guid, Option<Guid>, Code, bool)>,
    notices: &mut Vec<Notice>,
) {
    for (i, n) in nodes.iter().enumerate() {
        let place = if prefix.is_empty() {
            (i + 1).to_string()
        } else {
            format!("{prefix}.{}", i + 1)
        };
        let (key, name) = split_key(&n.name, from_rian);
        let (key, explicit) = match key {
            Some(k) if !out.iter().any(|(_, _, c, _)| c.key == k) => (k.to_string(), true),
            _ => (place.clone(), false),
        };
        let (description, name_en) = split_english(n.description.as_deref());
        let name_th = if name.is_empty() {
            key.clone()
        } else {
            name.to_string()
        };
        let color = colour(n.color.as_deref()).unwrap_or_else(|| "#808080".to_string());
        if n.color.is_some() && colour(n.color.as_deref()).is_none() {
            notices.push(Notice::new(
                format!("สีของรหัส \"{}\" อ่านไม่ได้ ใช้สีเทา", n.name),
                format!("the colour of code \"{}\" is unreadable; grey used", n.name),
            ));
        }
        out.push((
            n.guid.clone(),
            parent.cloned(),
            Code {
                id: 0,
                study_id: 0,
                parent_id: None,
                key,
                name_th,
                name_en: name_en.unwrap_or_default(),
                color,
                position: out.len() as i64,
                description,
            },
            explicit,
        ));
        flatten_codes(&n.children, Some(&n.guid), &place, from_rian, out, notices);
    }
}

/// A value of a variable rian writes, found by the variable's name.
struct Values<'a> {
    project: &'a Project,
    values: &'a [VariableValue],
}

impl Values<'_> {
    fn get(&self, (name, _): (&str, VariableKind)) -> Option<String> {
        let variable = self.project.variables.iter().find(|v| v.name == name)?;
        self.values
            .iter()
            .find(|v| v.variable == variable.guid)
            .map(|v| v.value.trim().to_string())
            .filter(|v| !v.is_empty())
    }
}

/// A site for a case: from rian's own variables, else by its name in the gazetteer.
fn site_of_case(project: &Project, case: &Case, position: i64, notices: &mut Vec<Notice>) -> Site {
    let values = Values {
        project,
        values: &case.values,
    };
    let level = values
        .get(SITE_LEVEL)
        .and_then(|l| AdminLevel::from_written(&l));
    let bare = schedule::strip_prefix(&case.name);
    let mut site = Site {
        id: 0,
        study_id: 0,
        position,
        name_th: if bare.is_empty() {
            case.name.clone()
        } else {
            bare.clone()
        },
        level: level.unwrap_or(AdminLevel::Tambon),
        district_th: values.get(SITE_DISTRICT),
        province_th: values.get(SITE_PROVINCE).unwrap_or_default(),
        admin_code: values.get(SITE_CODE),
        lat: values.get(SITE_LAT).and_then(|v| v.parse().ok()),
        lon: values.get(SITE_LON).and_then(|v| v.parse().ok()),
        fictional: values
            .get(SITE_FICTIONAL)
            .is_some_and(|v| v == "true" || v == "1"),
    };
    if site.province_th.is_empty() {
        match schedule::site_from_gazetteer(&case.name, None, None, None) {
            Ok(found) => {
                site = Site {
                    position,
                    lat: site.lat,
                    lon: site.lon,
                    fictional: site.fictional,
                    ..found
                }
            }
            Err(_) => {
                site.province_th = "ไม่ระบุ".into();
                notices.push(Notice::new(
                    format!("กรณี \"{}\" ไม่พบในทะเบียนพื้นที่ (หรือพบหลายแห่ง) จึงไม่ระบุจังหวัด", case.name),
                    format!("case \"{}\" is not (or not only once) in the gazetteer; its province is left unknown", case.name),
                ));
            }
        }
    }
    site
}

/// Where a selection's positions (code points of the text as written in the file) fall
/// in the normalized text: the first normalized character at or after the start, up to
/// the last one before the end.
struct Positions {
    /// Byte offset in the file's text of each code point, and one past the end.
    byte_of: Vec<usize>,
    /// For each normalized character, the byte range of the file's text it came from.
    origin: Vec<(usize, usize)>,
}

impl Positions {
    fn span(&self, start: i64, end: i64) -> Option<Span> {
        if start < 0 || end <= start || end as usize > self.byte_of.len() - 1 {
            return None;
        }
        let (from, to) = (self.byte_of[start as usize], self.byte_of[end as usize]);
        let s = self.origin.partition_point(|o| o.0 < from);
        let e = self.origin.partition_point(|o| o.1 <= to);
        (e > s).then_some(Span {
            start: s as i64,
            end: e as i64,
        })
    }
}

/// Normalizes a source's text as rian normalizes every text, keeping where each
/// character came from.
fn normalize_source(raw: &str) -> Option<(String, Positions)> {
    let n = normalize_bytes(raw.as_bytes()).ok()?;
    let origin = (0..n.char_len())
        .map(|i| {
            let r = n.original_range(i..i + 1);
            (r.start, r.end)
        })
        .collect();
    let mut byte_of: Vec<usize> = raw.char_indices().map(|(b, _)| b).collect();
    byte_of.push(raw.len());
    Some((n.text, Positions { byte_of, origin }))
}

/// A study's short name: letters a-z, digits, - and _ (it goes in URLs and commands).
pub fn check_slug(slug: &str) -> Result<()> {
    if slug.is_empty()
        || slug.len() > 64
        || !slug
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::Invalid {
            field: "slug",
            th: format!("ชื่อย่อการศึกษา \"{slug}\" ใช้ได้เฉพาะ a-z 0-9 - _ (ไม่เกิน 64 ตัว)"),
            en: format!("study short name \"{slug}\" may hold only a-z 0-9 - _ (64 at most)"),
        });
    }
    Ok(())
}

/// Imports a REFI-QDA project as a new study `slug`. Whole or absent: one transaction.
pub async fn import_project(
    store: &Store,
    project: &Project,
    slug: &str,
    fiscal_year_be: Option<i64>,
    mut notices: Vec<Notice>,
) -> Result<ImportedProject> {
    let slug = slug.trim();
    check_slug(slug)?;
    if store.study_by_slug(slug).await?.is_some() {
        return Err(Error::Invalid {
            field: "slug",
            th: format!("มีการศึกษาชื่อย่อ \"{slug}\" อยู่แล้ว เลือกชื่ออื่น"),
            en: format!("a study \"{slug}\" already exists; choose another short name"),
        });
    }
    let from_rian = project
        .origin
        .as_deref()
        .is_some_and(|o| o.starts_with("rian"));
    let user_name = |g: &Option<Guid>| -> Option<String> {
        let g = g.as_ref()?;
        project
            .users
            .iter()
            .find(|u| &u.guid == g)
            .map(|u| u.name.clone())
            .filter(|n| !n.trim().is_empty())
    };
    // Forums' dates decide the fiscal year when the caller does not.
    let dates: Vec<IsoDate> = project
        .sources
        .iter()
        .filter_map(|s| {
            Values {
                project,
                values: &s.values,
            }
            .get(FORUM_DATE)
        })
        .filter_map(|d| IsoDate::parse(&d))
        .collect();
    let year = fiscal_year_be
        .or_else(|| dates.iter().min().map(|d| fiscal_year_of(*d)))
        .unwrap_or_else(current_year_be);

    let mut out = ImportedProject {
        slug: slug.to_string(),
        ..Default::default()
    };
    let mut tx = store.begin().await?;
    let study_id = tx
        .insert_study(&Study {
            id: 0,
            slug: slug.to_string(),
            name_th: if project.name.trim().is_empty() {
                slug.to_string()
            } else {
                project.name.trim().to_string()
            },
            name_en: None,
            fiscal_year_be: year,
            framework: "five_part".into(),
        })
        .await?;
    out.study_id = study_id;

    let mut rows = Vec::new();
    flatten_codes(&project.codes, None, "", from_rian, &mut rows, &mut notices);
    let mut code_ids: HashMap<Guid, i64> = HashMap::new();
    for (guid, parent, mut code, _) in rows {
        code.study_id = study_id;
        code.parent_id = parent.and_then(|p| code_ids.get(&p).copied());
        crate::edit::check(&Record::Code(code.clone()))?;
        code_ids.insert(guid, tx.insert_code(&code).await?);
        out.codes += 1;
    }

    // Sites, by case; a source in no case goes to one site for the unplaced.
    let mut site_of_source: HashMap<&Guid, i64> = HashMap::new();
    let mut site_ids: HashMap<&Guid, i64> = HashMap::new();
    for (i, case) in project.cases.iter().enumerate() {
        let mut site = site_of_case(project, case, i as i64, &mut notices);
        site.study_id = study_id;
        let id = tx.insert_site(&site).await?;
        site_ids.insert(&case.guid, id);
        out.sites += 1;
        for s in &case.sources {
            site_of_source.entry(s).or_insert(id);
        }
    }
    let mut unplaced = None;

    // Forums: rian's own grouping when the project came from rian, else one per site.
    let mut forum_ids: HashMap<(i64, String), i64> = HashMap::new();
    let mut note_targets: HashMap<&Guid, (MemoTarget, i64)> = HashMap::new();
    for source in &project.sources {
        let Some(raw) = source.text.as_deref() else {
            continue;
        };
        let Some((text, positions)) = normalize_source(raw).filter(|(t, _)| !t.trim().is_empty())
        else {
            notices.push(Notice::new(
                format!("แหล่งข้อมูล \"{}\" ว่างหรืออ่านไม่ได้ ไม่ได้นำเข้า", source.name),
                format!(
                    "source \"{}\" is empty or unreadable; left out",
                    source.name
                ),
            ));
            continue;
        };
        let site_id = match site_of_source.get(&source.guid) {
            Some(&id) => id,
            None => match unplaced {
                Some(id) => id,
                None => {
                    let id = tx
                        .insert_site(&Site {
                            id: 0,
                            study_id,
                            position: project.cases.len() as i64,
                            name_th: "ไม่ระบุพื้นที่".into(),
                            level: AdminLevel::Tambon,
                            district_th: None,
                            province_th: "ไม่ระบุ".into(),
                            admin_code: None,
                            lat: None,
                            lon: None,
                            fictional: false,
                        })
                        .await?;
                    out.sites += 1;
                    notices.push(Notice::new(
                        "แหล่งข้อมูลที่ไม่อยู่ในกรณีใด ถูกรวมไว้ที่พื้นที่ \"ไม่ระบุพื้นที่\"",
                        "sources in no case were put under the site \"ไม่ระบุพื้นที่\" (unplaced)",
                    ));
                    unplaced = Some(id);
                    id
                }
            },
        };
        let values = Values {
            project,
            values: &source.values,
        };
        let group = if from_rian {
            values.get(FORUM_NO).unwrap_or_default()
        } else {
            String::new()
        };
        let forum_id = match forum_ids.get(&(site_id, group.clone())) {
            Some(&id) => id,
            None => {
                let date = values.get(FORUM_DATE).and_then(|d| IsoDate::parse(&d));
                let forum = Forum {
                    id: 0,
                    site_id,
                    kind: values
                        .get(FORUM_KIND)
                        .and_then(|k| ForumKind::from_written(&k))
                        .unwrap_or(ForumKind::Other),
                    status: values
                        .get(FORUM_STATUS)
                        .and_then(|k| ForumStatus::from_written(&k))
                        .unwrap_or(ForumStatus::Held),
                    title: values.get(FORUM_TITLE),
                    date,
                    date_end: values
                        .get(FORUM_DATE_END)
                        .and_then(|d| IsoDate::parse(&d))
                        .filter(|e| date.is_some_and(|d| *e >= d)),
                    venue: values.get(FORUM_VENUE),
                    participants: values
                        .get(FORUM_PARTICIPANTS)
                        .and_then(|n| n.parse().ok())
                        .filter(|n| (0..=1_000_000).contains(n)),
                    reviewed_at: None,
                    reviewed_by: None,
                };
                crate::edit::check(&Record::Forum(forum.clone()))?;
                let id = tx.insert_forum(&forum).await?;
                out.forums += 1;
                forum_ids.insert((site_id, group), id);
                id
            }
        };
        let document_id = tx
            .insert_document(&Document {
                id: 0,
                forum_id,
                title: if source.name.trim().is_empty() {
                    format!("source {}", source.guid)
                } else {
                    source.name.clone()
                },
                source_name: Some(
                    source
                        .description
                        .clone()
                        .filter(|_| from_rian)
                        .unwrap_or_else(|| format!("{}.txt", source.guid)),
                ),
                media_type: "text/plain".into(),
                original: raw.as_bytes().to_vec(),
                text,
                content_hash: content_hash(raw.as_bytes()),
            })
            .await?;
        out.documents += 1;
        for n in &source.note_refs {
            note_targets.insert(n, (MemoTarget::Document, document_id));
        }
        for sel in &source.selections {
            let Some(span) = positions.span(sel.start, sel.end) else {
                notices.push(Notice::new(
                    format!(
                        "ช่วงข้อความ {}–{} ใน \"{}\" อยู่นอกข้อความ ไม่ได้นำเข้า",
                        sel.start, sel.end, source.name
                    ),
                    format!(
                        "selection {}–{} in \"{}\" lies outside the text; left out",
                        sel.start, sel.end, source.name
                    ),
                ));
                continue;
            };
            let (suggested, memo) = match sel.description.as_deref() {
                Some(d) if from_rian && d.starts_with(SUGGESTED_MARK) => (
                    true,
                    Some(d[SUGGESTED_MARK.len()..].trim().to_string()).filter(|m| !m.is_empty()),
                ),
                Some(d) => (false, Some(d.to_string()).filter(|m| !m.trim().is_empty())),
                None => (false, None),
            };
            let mut first = None;
            for c in &sel.codings {
                let Some(&code_id) = code_ids.get(&c.code) else {
                    notices.push(Notice::new(
                        format!(
                            "การลงรหัสใน \"{}\" อ้างถึงรหัสที่ไม่มีในสมุดรหัส ไม่ได้นำเข้า",
                            source.name
                        ),
                        format!(
                            "a coding in \"{}\" refers to a code not in the codebook; left out",
                            source.name
                        ),
                    ));
                    continue;
                };
                let coding = Coding {
                    id: 0,
                    document_id,
                    code_id,
                    span,
                    coder: user_name(&c.creating_user)
                        .or_else(|| user_name(&sel.creating_user))
                        .unwrap_or_else(|| "นำเข้าจาก REFI-QDA".into()),
                    status: if suggested {
                        CodingStatus::Suggested
                    } else {
                        CodingStatus::Accepted
                    },
                    memo: memo.clone(),
                    cue: None,
                };
                crate::edit::check(&Record::Coding(coding.clone()))?;
                let id = tx.insert_coding(&coding).await?;
                first.get_or_insert(id);
                out.codings += 1;
            }
            if let Some(id) = first {
                for n in &sel.note_refs {
                    note_targets.insert(n, (MemoTarget::Coding, id));
                }
            } else if !sel.note_refs.is_empty() {
                for n in &sel.note_refs {
                    note_targets.insert(n, (MemoTarget::Document, document_id));
                }
            }
        }
    }
    fn code_notes<'a>(
        nodes: &'a [CodeNode],
        ids: &HashMap<Guid, i64>,
        out: &mut HashMap<&'a Guid, (MemoTarget, i64)>,
    ) {
        for n in nodes {
            if let Some(&id) = ids.get(&n.guid) {
                for r in &n.note_refs {
                    out.insert(r, (MemoTarget::Code, id));
                }
            }
            code_notes(&n.children, ids, out);
        }
    }
    code_notes(&project.codes, &code_ids, &mut note_targets);
    for l in &project.links {
        if let (Some(origin), Some(target)) = (&l.origin, &l.target)
            && let Some(&site) = site_ids.get(target)
        {
            note_targets.insert(origin, (MemoTarget::Site, site));
        }
    }
    let mut unattached = 0;
    for note in &project.notes {
        let Some(&(target, target_id)) = note_targets.get(&note.guid) else {
            unattached += 1;
            continue;
        };
        let text = if note.text.trim().is_empty() {
            note.name.clone()
        } else {
            crate::thai::normalize(&note.text)
        };
        if text.trim().is_empty() {
            continue;
        }
        let memo = Memo {
            id: 0,
            study_id,
            target,
            target_id,
            text,
            author: user_name(&note.creating_user).unwrap_or_default(),
            written_at: note
                .created
                .as_deref()
                .and_then(store_time)
                .unwrap_or_default(),
        };
        crate::edit::check(&Record::Memo(memo.clone()))?;
        tx.insert_memo(&memo).await?;
        out.memos += 1;
    }
    if unattached > 0 {
        notices.push(Notice::new(
            format!("บันทึก {unattached} รายการไม่ได้ผูกกับรหัส แหล่งข้อมูล ช่วงข้อความ หรือกรณีใด ไม่ได้นำเข้า"),
            format!("{unattached} notes about no code, source, selection or case left out"),
        ));
    }
    tx.commit().await?;
    out.notices = notices;
    Ok(out)
}

/// Codes from a `.qdc` codebook as a new study's codebook is not something rian does; a
/// codebook is imported into an existing study, adding the codes it does not have (by key,
/// else by name). Returns the number added.
pub async fn import_codebook(
    store: &Store,
    actor: &(impl Author + ?Sized),
    study_id: i64,
    codebook: &refi::Codebook,
    notices: &mut Vec<Notice>,
) -> Result<usize> {
    let existing = store.codes(study_id).await?;
    let mut rows = Vec::new();
    let from_rian = codebook
        .origin
        .as_deref()
        .is_some_and(|o| o.starts_with("rian"));
    flatten_codes(&codebook.codes, None, "", from_rian, &mut rows, notices);
    let mut changes = crate::edit::Changes::begin(store, actor).await?;
    let mut ids: HashMap<Guid, i64> = HashMap::new();
    let mut added = 0;
    let mut position = existing.iter().map(|c| c.position).max().unwrap_or(0) + 1;
    let mut keys: std::collections::HashSet<String> =
        existing.iter().map(|c| c.key.clone()).collect();
    for (guid, parent, mut code, explicit) in rows {
        // The same code: the same key written in its name, or the same name.
        if let Some(same) = existing
            .iter()
            .find(|c| (explicit && c.key == code.key) || c.name_th == code.name_th)
        {
            ids.insert(guid, same.id);
            continue;
        }
        // A key made from the code's place must not take one the study uses.
        let base = code.key.clone();
        let mut n = 2;
        while keys.contains(&code.key) {
            code.key = format!("{base}-{n}");
            n += 1;
        }
        keys.insert(code.key.clone());
        code.study_id = study_id;
        code.parent_id = parent.and_then(|p| ids.get(&p).copied());
        code.position = position;
        position += 1;
        let id = changes.create(Record::Code(code)).await?;
        ids.insert(guid, id);
        added += 1;
    }
    changes.commit().await?;
    Ok(added)
}

/// The fiscal year (Buddhist Era) a date falls in: Thai government years start on
/// 1 October.
fn fiscal_year_of(d: IsoDate) -> i64 {
    let year = d.year_be() as i64;
    if d.month() >= 10 { year + 1 } else { year }
}

pub fn current_year_be() -> i64 {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    // Years since 1970, close enough for a default the user can change.
    1970 + (days as f64 / 365.2425) as i64 + 543
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_and_descriptions_read_back() {
        assert_eq!(
            split_key("1.2 ปัจจัยความสำเร็จ", false),
            (Some("1.2"), "ปัจจัยความสำเร็จ")
        );
        assert_eq!(split_key("swot.s จุดแข็ง", false), (Some("swot.s"), "จุดแข็ง"));
        assert_eq!(split_key("ปัจจัย ความสำเร็จ", true), (None, "ปัจจัย ความสำเร็จ"));
        assert_eq!(
            split_key("Leadership skills", false),
            (None, "Leadership skills")
        );
        assert_eq!(
            split_key("traits คุณลักษณะ", true),
            (Some("traits"), "คุณลักษณะ")
        );
        assert_eq!(
            split_english(Some("คำอธิบาย\n\nEnglish: Success factors")),
            (Some("คำอธิบาย".into()), Some("Success factors".into()))
        );
        assert_eq!(split_english(Some("English: X")), (None, Some("X".into())));
        assert_eq!(split_english(Some("อื่น")), (Some("อื่น".into()), None));
        assert_eq!(colour(Some("#ABC")).as_deref(), Some("#aabbcc"));
        assert_eq!(colour(Some("red")), None);
    }

    #[test]
    fn positions_follow_crlf_and_repairs() {
        let raw = "ab\r\ncd";
        let (text, p) = normalize_source(raw).unwrap();
        assert_eq!(text, "ab\ncd");
        // "cd" is code points 4..6 in the file, 3..5 once CRLF is LF.
        assert_eq!(p.span(4, 6), Some(Span { start: 3, end: 5 }));
        assert_eq!(p.span(0, 2), Some(Span { start: 0, end: 2 }));
        assert_eq!(p.span(0, 7), None);
        assert_eq!(p.span(3, 3), None);
    }

    #[test]
    fn times_and_years() {
        assert_eq!(
            xsd_time("2023-03-31 10:00:05").as_deref(),
            Some("2023-03-31T10:00:05Z")
        );
        assert_eq!(
            store_time("2023-03-31T10:00:05Z").as_deref(),
            Some("2023-03-31 10:00:05")
        );
        assert_eq!(store_time("yesterday"), None);
        assert_eq!(fiscal_year_of(IsoDate::parse("2023-03-31").unwrap()), 2566);
        assert_eq!(fiscal_year_of(IsoDate::parse("2022-10-01").unwrap()), 2566);
    }
}
