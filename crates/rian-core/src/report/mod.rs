//! The data-return report (รายงานคืนข้อมูล): what was recorded about one site, gathered
//! from the store as plain data, and the study synthesis beside it. Rendering is
//! elsewhere (the `rian-report` crate typesets PDF, the workbench writes HTML); both read
//! these structures, so the two formats never disagree about what a community is shown.
//!
//! Every statement a community is asked to check carries a number (ข้อ 1, ข้อ 2 …) and the
//! record it came from, so that corrections can be taken back against the same items.

use crate::analyze::matrix::{StudyRecord, matrix};
use crate::analyze::{Scope, framework_codes, network};
use crate::model::*;
use crate::store::Store;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Choices a person makes when asking for a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportOptions {
    pub lang: Lang,
    /// Participants' names and phone numbers are personal data: out unless asked for.
    pub personal: bool,
    /// Write numbers in Thai digits (๑๒๓), as some agencies' documents do.
    pub thai_digits: bool,
    /// The date printed on the cover; today when not given.
    pub date: Option<IsoDate>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            lang: Lang::Th,
            personal: false,
            thai_digits: false,
            date: None,
        }
    }
}

/// The record a statement in the report comes from, for the correction round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSource {
    pub entity: String,
    pub id: i64,
}

/// One statement the community is asked to verify.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifyItem {
    pub number: usize,
    pub section: String,
    pub text: String,
    pub source: ItemSource,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cover {
    pub title: String,
    pub subtitle: String,
    pub study: String,
    pub site: String,
    pub province: String,
    pub date: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForumFacts {
    pub title: String,
    pub kind: String,
    pub status: String,
    /// Where the record stands in the correction round (ร่าง, ชุมชนตรวจสอบแล้ว, ฉบับสมบูรณ์).
    pub record: String,
    pub date: String,
    pub venue: String,
    pub participants: String,
    /// (role, name) of organizers, academic partners, hosts.
    pub parties: Vec<(String, String)>,
    /// Figures read from the forum's documents (43 ชุมชน, 30 เครือข่าย), each numbered.
    pub figures: Vec<Numbered>,
    /// Attendees by name (and phone), only when personal data was asked for.
    pub attendees: Vec<String>,
    pub item: usize,
}

/// A line of the report with its verify number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Numbered {
    pub text: String,
    pub item: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub code: String,
    pub quotes: Vec<QuoteLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteLine {
    pub text: String,
    pub source: String,
    pub item: usize,
}

/// One part of the framework (or leader traits) and what was said under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingPart {
    pub key: String,
    pub title: String,
    /// What the researcher wrote in this site's matrix cell, if anything.
    pub summary: Option<String>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunitySwot {
    pub community: String,
    /// The four quadrants in S, W, O, T order: (label, items).
    pub quadrants: Vec<(String, Vec<Numbered>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TieLine {
    pub actor: String,
    pub actor_kind: String,
    pub tie: String,
    pub note: String,
    pub item: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanLine {
    pub what: String,
    pub who: String,
    pub due: String,
    pub status: String,
    pub progress: i64,
    pub item: usize,
}

/// Headings and fixed phrases, in the report's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    pub contents: String,
    pub forums: String,
    pub findings: String,
    pub swot: String,
    pub network: String,
    pub figures: String,
    pub plan: String,
    pub verify: String,
    pub verify_note: String,
    pub nothing: String,
    pub record: String,
    pub kind: String,
    pub status: String,
    pub date: String,
    pub venue: String,
    pub participants: String,
    pub attendees: String,
    pub summary: String,
    pub actor: String,
    pub tie: String,
    pub what: String,
    pub who: String,
    pub due: String,
    pub progress: String,
    pub item: String,
    pub statement: String,
    pub correct: String,
    pub correction: String,
    pub signed: String,
    pub page: String,
    pub site: String,
    pub sites: String,
    pub matrix: String,
    pub recurring: String,
    pub success: String,
    pub problems: String,
    pub map: String,
    pub per_site: String,
    pub site_count: String,
    pub passages: String,
    pub generated: String,
}

impl Labels {
    pub fn of(lang: Lang) -> Labels {
        let t = |th: &str, en: &str| match lang {
            Lang::Th => th.to_string(),
            Lang::En => en.to_string(),
        };
        Labels {
            contents: t("สารบัญ", "Contents"),
            forums: t("ข้อมูลเวที", "The forums"),
            findings: t(
                "ผลการถอดบทเรียนตามกรอบ 5 ส่วน",
                "Findings under the five-part framework",
            ),
            swot: t("การวิเคราะห์ SWOT รายชุมชน", "SWOT of each community"),
            network: t("เครือข่ายที่สนับสนุน", "Supporting network"),
            figures: t("ตัวเลขสำคัญ", "Key figures"),
            plan: t("แผนพัฒนาชุมชนร่วมกัน", "Joint development plan"),
            verify: t(
                "ข้อมูลที่ขอให้ชุมชนตรวจสอบ",
                "What the community is asked to verify",
            ),
            verify_note: t(
                "โปรดตรวจสอบแต่ละข้อ ทำเครื่องหมายในช่อง \"ถูกต้อง\" หรือเขียนข้อความที่ถูกต้องในช่อง \"แก้ไขเป็น\" ผู้ประสานงานจะบันทึกการแก้ไขกลับเข้าสู่ระบบหลังเวทีคืนข้อมูล",
                "Please check each item: tick \"correct\" or write the right wording under \"correction\". The facilitator records corrections after the data-return forum.",
            ),
            nothing: t("ยังไม่มีข้อมูลที่บันทึกไว้", "Nothing recorded yet"),
            record: t("สถานะบันทึก", "Record"),
            kind: t("ประเภท", "Kind"),
            status: t("สถานะ", "Status"),
            date: t("วันที่", "Date"),
            venue: t("สถานที่", "Venue"),
            participants: t("ผู้เข้าร่วม", "Participants"),
            attendees: t("รายชื่อผู้เข้าร่วม", "Attendees"),
            summary: t("สรุปโดยผู้วิจัย", "Researcher's summary"),
            actor: t("ภาคี", "Actor"),
            tie: t("ความสัมพันธ์", "Tie"),
            what: t("กิจกรรม", "What"),
            who: t("ผู้รับผิดชอบ", "Who"),
            due: t("กำหนดเสร็จ", "Due"),
            progress: t("ความก้าวหน้า", "Progress"),
            item: t("ข้อ", "No."),
            statement: t("ข้อความ", "Statement"),
            correct: t("ถูกต้อง", "Correct"),
            correction: t("แก้ไขเป็น", "Correction"),
            signed: t(
                "ผู้ตรวจสอบ ........................................ วันที่ ....................",
                "Checked by ........................................ date ....................",
            ),
            page: t("หน้า", "Page"),
            site: t("พื้นที่", "Site"),
            sites: t("พื้นที่ศึกษา", "Study sites"),
            matrix: t(
                "ตารางกรอบแนวคิด (จำนวนข้อความที่ลงรหัส)",
                "Framework matrix (coded passages)",
            ),
            recurring: t("ประเด็นที่พบซ้ำในหลายพื้นที่", "What recurs across sites"),
            success: t("ปัจจัยความสำเร็จ", "Success factors"),
            problems: t("ปัญหาที่สำคัญ", "Most important problems"),
            map: t("แผนที่พื้นที่ศึกษา", "Map of the study sites"),
            per_site: t("สรุปรายพื้นที่", "Per-site summaries"),
            site_count: t("จำนวนพื้นที่", "Sites"),
            passages: t("ข้อความ", "passages"),
            generated: t("จัดทำโดย rian", "Made with rian"),
        }
    }
}

/// Everything the data-return report of one site shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteReport {
    pub lang: String,
    pub thai_digits: bool,
    pub labels: Labels,
    pub cover: Cover,
    pub forums: Vec<ForumFacts>,
    pub parts: Vec<FindingPart>,
    pub swot: Vec<CommunitySwot>,
    pub ties: Vec<TieLine>,
    /// The site's network drawn as SVG (empty when it has no ties).
    pub network_svg: String,
    pub figures: Vec<Numbered>,
    pub plan: Vec<PlanLine>,
    pub verify: Vec<VerifyItem>,
}

/// Numbers statements as they are added, in reading order.
struct Items(Vec<VerifyItem>);

impl Items {
    fn add(&mut self, section: &str, text: String, entity: &'static str, id: i64) -> usize {
        let number = self.0.len() + 1;
        self.0.push(VerifyItem {
            number,
            section: section.to_string(),
            text,
            source: ItemSource {
                entity: entity.to_string(),
                id,
            },
        });
        number
    }
}

fn shown_date(d: Option<IsoDate>, lang: Lang) -> String {
    d.map(|d| d.display(lang)).unwrap_or_else(|| "—".into())
}

async fn today(store: &Store, o: &ReportOptions) -> Result<IsoDate> {
    if let Some(d) = o.date {
        return Ok(d);
    }
    let now = store.now().await?;
    IsoDate::parse(now.get(..10).unwrap_or(""))
        .ok_or_else(|| Error::Corrupt(format!("the database's date: {now}")))
}

/// The report of one site, read from the store.
pub async fn site_report(store: &Store, site_id: i64, o: &ReportOptions) -> Result<SiteReport> {
    let lang = o.lang;
    let labels = Labels::of(lang);
    let overview = store.site_overview(site_id).await?;
    let site = &overview.site;
    let study = store.study(site.study_id).await?;
    let mut items = Items(Vec::new());
    let tr = |th: &'static str, en: &'static str| match lang {
        Lang::Th => th,
        Lang::En => en,
    };

    let cover = Cover {
        title: tr("รายงานคืนข้อมูลแก่ชุมชน", "Data-return report to the community").into(),
        subtitle: tr(
            "เอกสารประกอบเวทีคืนข้อมูล เพื่อให้ชุมชนตรวจสอบและแก้ไข",
            "For the data-return forum: for the community to check and correct",
        )
        .into(),
        study: study.name_th.clone(),
        site: site.display_name(),
        province: site.province_display(),
        date: today(store, o).await?.display(lang),
        status: overview.status.label(lang).into(),
    };

    // The forums and the figures their documents state.
    let mut forums = Vec::new();
    let mut figures = Vec::new();
    let mut documents: HashMap<i64, (String, String)> = HashMap::new();
    for f in store.forums(Some(site_id)).await? {
        let title = f.title.clone().unwrap_or_else(|| f.kind.label(lang).into());
        let date = shown_date(f.date, lang);
        let participants = f
            .participants
            .map(|n| format!("{n} {}", tr("คน", "people")))
            .unwrap_or_else(|| "—".into());
        let item = items.add(
            &labels.forums,
            format!(
                "{title}: {} {date}, {} {}, {} {participants}",
                labels.date,
                labels.venue,
                f.venue.as_deref().unwrap_or("—"),
                labels.participants
            ),
            "forum",
            f.id,
        );
        let parties = store
            .forum_parties(f.id)
            .await?
            .into_iter()
            .map(|p| (p.role.label(lang).to_string(), p.name))
            .collect();
        let mut forum_figures = Vec::new();
        for d in store.documents(f.id).await? {
            documents.insert(d.id, (d.title.clone(), date.clone()));
            for fact in store.facts(d.id).await? {
                if fact.kind != FactKind::Figure {
                    continue;
                }
                let text = fact_text(&fact, &d.text);
                let item = items.add(&labels.figures, text.clone(), "fact", fact.id);
                forum_figures.push(Numbered { text, item });
            }
        }
        figures.extend(forum_figures.iter().cloned());
        let attendees = if o.personal {
            store
                .attendees(f.id)
                .await?
                .into_iter()
                .map(|a| {
                    [Some(a.name), a.role, a.phone]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ")
                })
                .collect()
        } else {
            Vec::new()
        };
        forums.push(ForumFacts {
            title,
            kind: f.kind.label(lang).into(),
            status: f.status.label(lang).into(),
            record: store.record_state(f.id).await?.label(lang).into(),
            date,
            venue: f.venue.clone().unwrap_or_else(|| "—".into()),
            participants,
            parties,
            figures: forum_figures,
            attendees,
            item,
        });
    }

    // Findings: the accepted passages of this site under each part of the framework.
    let codes = store.codes(study.id).await?;
    let passages: Vec<_> = store
        .coded_passages(study.id)
        .await?
        .into_iter()
        .filter(|p| p.site_id == site_id)
        .collect();
    let quotes: HashMap<i64, crate::store::Quote> = store
        .quotes(&passages.iter().map(|p| p.coding_id).collect::<Vec<_>>())
        .await?
        .into_iter()
        .map(|q| (q.coding_id, q))
        .collect();
    let summaries: HashMap<i64, String> = store
        .cell_summaries(study.id, MatrixRows::Site)
        .await?
        .into_iter()
        .filter(|s| s.row_id == site_id)
        .map(|s| (s.code_id, s.text))
        .collect();
    let mut tops = framework_codes(&codes);
    tops.extend(codes.iter().filter(|c| c.key == "traits").map(|c| c.id));
    let by_id: HashMap<i64, &Code> = codes.iter().map(|c| (c.id, c)).collect();
    let top_of = |mut id: i64| {
        while let Some(p) = by_id.get(&id).and_then(|c| c.parent_id) {
            id = p;
        }
        id
    };
    let mut parts = Vec::new();
    for top in tops {
        let Some(code) = by_id.get(&top) else {
            continue;
        };
        let mut findings: Vec<Finding> = Vec::new();
        // Codes in codebook order, each with its passages in reading order.
        for c in codes.iter().filter(|c| top_of(c.id) == top) {
            let mut lines = Vec::new();
            for p in passages.iter().filter(|p| p.code_id == c.id) {
                let Some(q) = quotes.get(&p.coding_id) else {
                    continue;
                };
                let source = documents
                    .get(&p.document_id)
                    .map(|(t, d)| format!("{t}, {d}"))
                    .unwrap_or_else(|| q.document_title.clone());
                let item = items.add(code_name(code, lang), q.text.clone(), "coding", p.coding_id);
                lines.push(QuoteLine {
                    text: q.text.clone(),
                    source,
                    item,
                });
            }
            if !lines.is_empty() {
                findings.push(Finding {
                    code: code_label(c, lang),
                    quotes: lines,
                });
            }
        }
        parts.push(FindingPart {
            key: code.key.clone(),
            title: code_label(code, lang),
            summary: summaries.get(&top).cloned(),
            findings,
        });
    }

    // SWOT of each community.
    let mut swot = Vec::new();
    for c in store.communities(site_id).await? {
        let board = store.swot_items(c.id).await?;
        let mut quadrants = Vec::new();
        for q in Quadrant::ALL {
            let mut lines = Vec::new();
            for s in board.iter().filter(|s| s.quadrant == *q) {
                let item = items.add(
                    &labels.swot,
                    format!("{} · {}: {}", c.name_th, q.label(lang), s.text),
                    "swot_item",
                    s.id,
                );
                lines.push(Numbered {
                    text: s.text.clone(),
                    item,
                });
            }
            quadrants.push((q.label(lang).to_string(), lines));
        }
        swot.push(CommunitySwot {
            community: c.name_th,
            quadrants,
        });
    }

    // The network around this site.
    let actors = store.actors(study.id).await?;
    let site_ties = store.ties(site_id).await?;
    let mut ties = Vec::new();
    for t in &site_ties {
        let Some(a) = actors.iter().find(|a| a.id == t.actor_id) else {
            continue;
        };
        let item = items.add(
            &labels.network,
            format!(
                "{} ({}) — {}",
                a.name,
                a.kind.label(lang),
                t.kind.label(lang)
            ),
            "tie",
            t.id,
        );
        ties.push(TieLine {
            actor: a.name.clone(),
            actor_kind: a.kind.label(lang).into(),
            tie: t.kind.label(lang).into(),
            note: t.note.clone().unwrap_or_default(),
            item,
        });
    }
    let network_svg = if site_ties.is_empty() {
        String::new()
    } else {
        network::network_chart(
            &format!("{} · {}", labels.network, site.display_name()),
            std::slice::from_ref(&overview),
            &actors,
            &site_ties,
            lang,
        )
    };

    let mut plan = Vec::new();
    for p in store.plan_items(site_id).await? {
        let due = shown_date(p.due, lang);
        let who = p.who.clone().unwrap_or_else(|| "—".into());
        let item = items.add(
            &labels.plan,
            format!("{} ({who}, {due}): {}", p.what, p.status.label(lang)),
            "plan_item",
            p.id,
        );
        plan.push(PlanLine {
            what: p.what,
            who,
            due,
            status: p.status.label(lang).into(),
            progress: p.progress,
            item,
        });
    }

    let mut report = SiteReport {
        lang: lang_key(lang).into(),
        thai_digits: o.thai_digits,
        labels,
        cover,
        forums,
        parts,
        swot,
        ties,
        network_svg,
        figures,
        plan,
        verify: items.0,
    };
    if o.thai_digits {
        report = with_thai_digits(report)?;
    }
    Ok(report)
}

fn lang_key(lang: Lang) -> &'static str {
    match lang {
        Lang::Th => "th",
        Lang::En => "en",
    }
}

fn code_name(c: &Code, lang: Lang) -> &str {
    match lang {
        Lang::Th => &c.name_th,
        Lang::En => &c.name_en,
    }
}

/// "3.2 ปัจจัยความสำเร็จ" for the framework's numbered codes, the bare name for the rest
/// (SWOT, leader traits), whose keys mean nothing to a reader.
fn code_label(c: &Code, lang: Lang) -> String {
    if c.key.starts_with(|k: char| k.is_ascii_digit()) {
        format!("{} {}", c.key, code_name(c, lang))
    } else {
        code_name(c, lang).to_string()
    }
}

/// A figure as the text states it (its span), else its value and unit.
fn fact_text(fact: &Fact, text: &str) -> String {
    if let Some(s) = fact.span {
        let quoted: String = text
            .chars()
            .skip(s.start.max(0) as usize)
            .take((s.end - s.start).max(0) as usize)
            .collect();
        if !quoted.trim().is_empty() {
            return quoted;
        }
    }
    match &fact.unit {
        Some(u) => format!("{} {u}", fact.value),
        None => fact.value.clone(),
    }
}

/// Arabic digits to Thai digits (๐–๙), leaving everything else as it is.
pub fn thai_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x0E50 + (c as u32 - '0' as u32)).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// Every string a reader sees with Thai digits; SVG drawings keep their coordinates.
fn with_thai_digits<T: Serialize + serde::de::DeserializeOwned>(value: T) -> Result<T> {
    let mut v = serde_json::to_value(&value).map_err(|e| Error::Corrupt(e.to_string()))?;
    convert_strings(&mut v, &["network_svg", "map_svg", "lang", "entity"]);
    serde_json::from_value(v).map_err(|e| Error::Corrupt(e.to_string()))
}

fn convert_strings(v: &mut serde_json::Value, skip: &[&str]) {
    match v {
        serde_json::Value::String(s) => *s = thai_digits(s),
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| convert_strings(x, skip)),
        serde_json::Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if !skip.contains(&k.as_str()) {
                    convert_strings(x, skip);
                }
            }
        }
        _ => {}
    }
}

/// A row of the study's matrix: a site and its coded passages under each part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixLine {
    pub site: String,
    pub province: String,
    pub status: String,
    pub counts: Vec<usize>,
}

/// A code whose passages come from several sites, with a few of them as examples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecurringCode {
    pub code: String,
    pub sites: usize,
    pub passages: usize,
    pub examples: Vec<QuoteLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recurring {
    pub title: String,
    pub codes: Vec<RecurringCode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReachLine {
    pub actor: String,
    pub kind: String,
    pub sites: usize,
}

/// What the researcher wrote for a site, part by part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteSummary {
    pub site: String,
    pub status: String,
    pub forums: String,
    /// (part, passages, the researcher's summary or "").
    pub parts: Vec<(String, usize, String)>,
}

/// The cross-site synthesis of a study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyReport {
    pub lang: String,
    pub thai_digits: bool,
    pub labels: Labels,
    pub cover: Cover,
    pub columns: Vec<String>,
    pub matrix: Vec<MatrixLine>,
    pub recurring: Vec<Recurring>,
    pub reach: Vec<ReachLine>,
    pub network_svg: String,
    pub map_svg: String,
    pub sites: Vec<SiteSummary>,
}

/// Example quotes per recurring code, from different sites first.
const EXAMPLES: usize = 3;

/// The synthesis report of a study, read from the store.
pub async fn study_report(store: &Store, study_id: i64, o: &ReportOptions) -> Result<StudyReport> {
    let lang = o.lang;
    let labels = Labels::of(lang);
    let study = store.study(study_id).await?;
    let overviews = store.site_overviews(study_id).await?;
    let codes = store.codes(study_id).await?;
    let passages = store.coded_passages(study_id).await?;
    let sites: Vec<Site> = overviews.iter().map(|o| o.site.clone()).collect();
    let summaries = store.cell_summaries(study_id, MatrixRows::Site).await?;
    let chosen = framework_codes(&codes);
    let m = matrix(
        StudyRecord {
            sites: &sites,
            communities: &[],
            forums: &[],
            codes: &codes,
            passages: &passages,
        },
        MatrixRows::Site,
        &chosen,
        &Scope::default(),
        &summaries,
        &HashMap::new(),
    );
    let columns: Vec<String> = m
        .columns
        .iter()
        .map(|c| {
            let name = match lang {
                Lang::Th => &c.name_th,
                Lang::En => &c.name_en,
            };
            format!("{} {name}", c.key)
        })
        .collect();
    let status: HashMap<i64, &SiteOverview> = overviews.iter().map(|o| (o.site.id, o)).collect();
    let forums = store.study_forums(study_id).await?;
    let mut matrix_lines = Vec::new();
    let mut site_summaries = Vec::new();
    for (row, cells) in m.rows.iter().zip(&m.cells) {
        let Some(o) = status.get(&row.site_id) else {
            continue;
        };
        matrix_lines.push(MatrixLine {
            site: o.site.display_name(),
            province: o.site.province_display(),
            status: o.status.label(lang).into(),
            counts: cells.iter().map(|c| c.count()).collect(),
        });
        let held: Vec<String> = forums
            .iter()
            .filter(|f| f.site_id == row.site_id)
            .map(|f| format!("{} {}", f.kind.label(lang), shown_date(f.date, lang)))
            .collect();
        site_summaries.push(SiteSummary {
            site: format!("{} {}", o.site.display_name(), o.site.province_display()),
            status: o.status.label(lang).into(),
            forums: if held.is_empty() {
                labels.nothing.clone()
            } else {
                held.join(" · ")
            },
            parts: columns
                .iter()
                .zip(cells)
                .map(|(c, cell)| {
                    (
                        c.clone(),
                        cell.count(),
                        cell.summary.clone().unwrap_or_default(),
                    )
                })
                .collect(),
        });
    }

    // Success factors (3.2) and most important problems (2.2): each code under them with
    // the number of sites it comes from, most widespread first.
    let by_key: HashMap<&str, &Code> = codes.iter().map(|c| (c.key.as_str(), c)).collect();
    let under = crate::analyze::descendants(&codes);
    let site_name: HashMap<i64, String> = sites.iter().map(|s| (s.id, s.display_name())).collect();
    let mut recurring = Vec::new();
    for (key, title) in [("3.2", &labels.success), ("2.2", &labels.problems)] {
        let Some(root) = by_key.get(key) else {
            continue;
        };
        let mut lines = Vec::new();
        for &code_id in under.get(&root.id).map(Vec::as_slice).unwrap_or(&[]) {
            let Some(code) = codes.iter().find(|c| c.id == code_id) else {
                continue;
            };
            let of_code: Vec<_> = passages.iter().filter(|p| p.code_id == code_id).collect();
            if of_code.is_empty() {
                continue;
            }
            let mut seen = std::collections::HashSet::new();
            let mut picked: Vec<i64> = of_code
                .iter()
                .filter(|p| seen.insert(p.site_id))
                .map(|p| p.coding_id)
                .take(EXAMPLES)
                .collect();
            let n_sites = of_code
                .iter()
                .map(|p| p.site_id)
                .collect::<std::collections::HashSet<_>>()
                .len();
            for p in &of_code {
                if picked.len() >= EXAMPLES {
                    break;
                }
                if !picked.contains(&p.coding_id) {
                    picked.push(p.coding_id);
                }
            }
            let site_of: HashMap<i64, i64> =
                of_code.iter().map(|p| (p.coding_id, p.site_id)).collect();
            let examples = store
                .quotes(&picked)
                .await?
                .into_iter()
                .map(|q| QuoteLine {
                    source: site_of
                        .get(&q.coding_id)
                        .and_then(|s| site_name.get(s))
                        .cloned()
                        .unwrap_or_default(),
                    text: q.text,
                    item: 0,
                })
                .collect();
            lines.push(RecurringCode {
                code: code_label(code, lang),
                sites: n_sites,
                passages: of_code.len(),
                examples,
            });
        }
        lines.sort_by(|a, b| b.sites.cmp(&a.sites).then(b.passages.cmp(&a.passages)));
        recurring.push(Recurring {
            title: title.clone(),
            codes: lines,
        });
    }

    let actors = store.actors(study_id).await?;
    let ties = store.study_ties(study_id).await?;
    let reach = network::actor_reach(&actors, &ties)
        .into_iter()
        .filter(|r| r.sites > 0)
        .map(|r| ReachLine {
            kind: r.actor.kind.label(lang).into(),
            actor: r.actor.name,
            sites: r.sites,
        })
        .collect();
    let network_svg = if ties.is_empty() {
        String::new()
    } else {
        network::network_chart(&labels.network, &overviews, &actors, &ties, lang)
    };
    let map_svg = crate::analyze::map::map_chart(&labels.map, &overviews, lang);

    let tr = |th: &'static str, en: &'static str| match lang {
        Lang::Th => th,
        Lang::En => en,
    };
    let cover = Cover {
        title: tr("รายงานสังเคราะห์ผลการศึกษา", "Study synthesis report").into(),
        subtitle: tr(
            "บทเรียนร่วมจากพื้นที่ศึกษา: ตารางกรอบแนวคิด ประเด็นที่พบซ้ำ เครือข่าย และแผนที่",
            "What the sites teach together: the framework matrix, recurring themes, networks and the map",
        )
        .into(),
        study: study.name_th.clone(),
        site: format!("{} {}", sites.len(), tr("พื้นที่", "sites")),
        province: String::new(),
        date: today(store, o).await?.display(lang),
        status: String::new(),
    };
    let mut report = StudyReport {
        lang: lang_key(lang).into(),
        thai_digits: o.thai_digits,
        labels,
        cover,
        columns,
        matrix: matrix_lines,
        recurring,
        reach,
        network_svg,
        map_svg,
        sites: site_summaries,
    };
    if o.thai_digits {
        report = with_thai_digits(report)?;
    }
    Ok(report)
}
