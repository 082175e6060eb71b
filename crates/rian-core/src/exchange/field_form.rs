//! The field form: an XLSForm (KoboToolbox, ODK) for recording a forum where it is held,
//! with Thai and English labels and the study's sites as choices; and its submissions,
//! exported by Kobo or ODK Central as CSV or XLSX, read back as forums, attendance counts
//! and notes. A forum already scheduled (same site, kind and date) is completed rather
//! than added twice; a submission imported twice adds nothing (its notes are the same
//! bytes, which rian recognizes).

use super::Notice;
use super::schedule::read_date;
use super::sheets::Sheet;
use crate::edit::Changes;
use crate::model::*;
use crate::pipeline::{ImportRequest, SiteRef, import_source};
use crate::store::Store;
use crate::{Error, Result};

/// The form's id in Kobo and ODK.
pub const FORM_ID: &str = "rian_forum";

/// The choice name of a site: its official code when it has one (the same in every
/// store), else its id in this store.
fn site_choice(site: &Site) -> String {
    match &site.admin_code {
        Some(code) => format!("site_{code}"),
        None => format!("site_id_{}", site.id),
    }
}

fn site_label(site: &Site) -> String {
    format!("{} {}", site.display_name(), site.province_display())
}

/// A question: type, name, Thai and English label, required, constraint, its message in
/// Thai and English, appearance.
type Question = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const QUESTIONS: [Question; 11] = [
    ("start", "start", "", "", false, "", "", "", ""),
    ("end", "end", "", "", false, "", "", "", ""),
    (
        "select_one site",
        "site",
        "พื้นที่",
        "Site",
        true,
        "",
        "",
        "",
        "minimal",
    ),
    (
        "select_one forum_kind",
        "kind",
        "ประเภทเวที",
        "Kind of forum",
        true,
        "",
        "",
        "",
        "",
    ),
    (
        "date",
        "date",
        "วันที่จัดเวที",
        "Date of the forum",
        true,
        "",
        "",
        "",
        "",
    ),
    (
        "text",
        "title",
        "ชื่อเวที",
        "Title of the forum",
        false,
        "",
        "",
        "",
        "",
    ),
    ("text", "venue", "สถานที่จัด", "Venue", false, "", "", "", ""),
    (
        "integer",
        "participants",
        "ผู้เข้าร่วมทั้งหมด (คน)",
        "Participants in all",
        false,
        ". >= 0 and . <= 100000",
        "ใส่จำนวน 0 ถึง 100,000 คน",
        "Give a number from 0 to 100,000",
        "",
    ),
    (
        "integer",
        "women",
        "ผู้หญิง (คน)",
        "Women",
        false,
        ". >= 0 and . <= ${participants}",
        "ไม่เกินจำนวนผู้เข้าร่วมทั้งหมด",
        "No more than the participants in all",
        "",
    ),
    (
        "integer",
        "men",
        "ผู้ชาย (คน)",
        "Men",
        false,
        ". >= 0 and . <= ${participants}",
        "ไม่เกินจำนวนผู้เข้าร่วมทั้งหมด",
        "No more than the participants in all",
        "",
    ),
    (
        "text",
        "notes",
        "บันทึกเวที (สิ่งที่แกนนำเล่า)",
        "Notes of the forum (what leaders said)",
        false,
        "",
        "",
        "",
        "multiline",
    ),
];

/// The XLSForm of a study: sheets survey, choices and settings, as Kobo and ODK read it.
pub fn form_sheets(study: &Study, sites: &[Site]) -> Vec<(&'static str, Vec<Vec<String>>)> {
    let s = |v: &str| v.to_string();
    let mut survey = vec![
        [
            "type",
            "name",
            "label::Thai (th)",
            "label::English (en)",
            "required",
            "constraint",
            "constraint_message::Thai (th)",
            "constraint_message::English (en)",
            "appearance",
        ]
        .map(s)
        .to_vec(),
    ];
    for (kind, name, th, en, required, constraint, msg_th, msg_en, appearance) in QUESTIONS {
        survey.push(vec![
            s(kind),
            s(name),
            s(th),
            s(en),
            s(if required { "yes" } else { "" }),
            s(constraint),
            s(msg_th),
            s(msg_en),
            s(appearance),
        ]);
    }
    let mut choices = vec![
        [
            "list_name",
            "name",
            "label::Thai (th)",
            "label::English (en)",
        ]
        .map(s)
        .to_vec(),
    ];
    let mut ordered: Vec<&Site> = sites.iter().collect();
    ordered.sort_by_key(|s| (s.position, s.id));
    for site in ordered {
        let label = site_label(site);
        choices.push(vec![s("site"), site_choice(site), label.clone(), label]);
    }
    for kind in ForumKind::ALL {
        choices.push(vec![
            s("forum_kind"),
            s(kind.as_str()),
            s(kind.label(Lang::Th)),
            s(kind.label(Lang::En)),
        ]);
    }
    let settings = vec![
        ["form_title", "form_id", "default_language", "version"]
            .map(s)
            .to_vec(),
        vec![
            format!("บันทึกเวที · {}", study.name_th),
            s(FORM_ID),
            s("Thai (th)"),
            // A text version: XLSForm compares versions as text; a leading letter keeps a
            // spreadsheet from reading it as a number.
            format!("v{}", study.slug),
        ],
    ];
    vec![
        ("survey", survey),
        ("choices", choices),
        ("settings", settings),
    ]
}

/// The form as an XLSX file.
pub fn form_xlsx(study: &Study, sites: &[Site]) -> Result<Vec<u8>> {
    let sheets = form_sheets(study, sites);
    let refs: Vec<(&str, &[Vec<String>])> =
        sheets.iter().map(|(n, r)| (*n, r.as_slice())).collect();
    crate::export::xlsx_text(&refs)
}

/// One submission, checked.
#[derive(Debug, Clone, PartialEq)]
struct Submission {
    row: usize,
    site: Site,
    kind: ForumKind,
    date: IsoDate,
    title: Option<String>,
    venue: Option<String>,
    participants: Option<i64>,
    women: Option<i64>,
    men: Option<i64>,
    notes: Option<String>,
    /// The submission's own id (Kobo `_uuid`, ODK `instanceID` or `KEY`).
    uuid: Option<String>,
}

fn row_error(row: usize, th: impl std::fmt::Display, en: impl std::fmt::Display) -> Error {
    Error::Invalid {
        field: "row",
        th: format!("แถวที่ {row}: {th}"),
        en: format!("row {row}: {en}"),
    }
}

/// The question a header names: its name after any group path (`group/notes`,
/// `meta/instanceID`), or one of its labels (a "labels" export).
fn question_of(header: &str) -> String {
    let h = header.trim();
    let last = h.rsplit(['/', ':']).next().unwrap_or(h).trim();
    for (_, name, th, en, ..) in QUESTIONS {
        if last == name
            || (!th.is_empty() && last == th)
            || (!en.is_empty() && last.eq_ignore_ascii_case(en))
        {
            return name.to_string();
        }
    }
    match last.to_ascii_lowercase().as_str() {
        "_uuid" | "instanceid" | "key" | "uuid" => "uuid".into(),
        _ => last.to_string(),
    }
}

fn read_submissions(sheet: &Sheet, sites: &[Site]) -> Result<Vec<Submission>> {
    let names: Vec<String> = sheet.header().iter().map(|h| question_of(h)).collect();
    let at = |q: &str| names.iter().position(|n| n == q);
    let site_at = at("site").ok_or_else(|| Error::Invalid {
        field: "header",
        th: "ไม่พบคอลัมน์ site ของแบบฟอร์ม (ใช้ไฟล์ที่ส่งออกจากแบบฟอร์มของ rian form)".into(),
        en: "no site column (give the export of the form rian form wrote)".into(),
    })?;
    let cell = |row: &[String], q: &str| -> Option<String> {
        at(q)
            .and_then(|i| row.get(i))
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
    };
    let mut out = Vec::new();
    for (n, row) in sheet.body() {
        let n = *n;
        let chosen = row.get(site_at).map(|c| c.trim()).unwrap_or_default();
        let site = sites
            .iter()
            .find(|s| {
                site_choice(s) == chosen || site_label(s) == chosen || s.display_name() == chosen
            })
            .ok_or_else(|| {
                row_error(
                    n,
                    format!("พื้นที่ \"{chosen}\" ไม่อยู่ในการศึกษานี้ (แบบฟอร์มมาจากการศึกษาอื่นหรือไม่)"),
                    format!(
                        "site \"{chosen}\" is not in this study (is the form from another study?)"
                    ),
                )
            })?;
        let kind = match cell(row, "kind") {
            None => ForumKind::LessonsLearned,
            Some(k) => ForumKind::from_written(&k).ok_or_else(|| {
                row_error(
                    n,
                    format!("ประเภทเวที \"{k}\" ไม่รู้จัก"),
                    format!("unknown forum kind \"{k}\""),
                )
            })?,
        };
        let date = match cell(row, "date") {
            None => return Err(row_error(n, "ไม่มีวันที่จัดเวที", "the forum's date is empty")),
            // Kobo may write a date with a time: the day is what matters.
            Some(d) => read_date(
                d.get(..10)
                    .filter(|_| d.len() > 10 && d.as_bytes()[4] == b'-')
                    .unwrap_or(&d),
            )
            .ok_or_else(|| {
                row_error(
                    n,
                    format!("วันที่ \"{d}\" ไม่ถูกต้อง"),
                    format!("invalid date \"{d}\""),
                )
            })?,
        };
        let count = |q: &str| -> Result<Option<i64>> {
            match cell(row, q) {
                None => Ok(None),
                Some(v) => match v.parse::<f64>() {
                    Ok(x) if x.fract() == 0.0 && (0.0..=100_000.0).contains(&x) => {
                        Ok(Some(x as i64))
                    }
                    _ => Err(row_error(
                        n,
                        format!("จำนวน \"{v}\" ในช่อง {q} ต้องเป็นจำนวนเต็ม 0 ถึง 100,000"),
                        format!("{q} \"{v}\" must be a whole number from 0 to 100,000"),
                    )),
                },
            }
        };
        let (participants, women, men) = (count("participants")?, count("women")?, count("men")?);
        if let Some(all) = participants
            && women.unwrap_or(0) + men.unwrap_or(0) > all
        {
            return Err(row_error(
                n,
                "ผู้หญิงรวมผู้ชายมากกว่าผู้เข้าร่วมทั้งหมด",
                "women and men add up to more than the participants in all",
            ));
        }
        out.push(Submission {
            row: n,
            site: site.clone(),
            kind,
            date,
            title: cell(row, "title"),
            venue: cell(row, "venue"),
            participants: participants.or(match (women, men) {
                (Some(w), Some(m)) => Some(w + m),
                _ => None,
            }),
            women,
            men,
            notes: cell(row, "notes"),
            uuid: cell(row, "uuid"),
        });
    }
    Ok(out)
}

/// The notes of a submission as a document's text: what the form said, then the notes.
fn notes_text(s: &Submission) -> Option<String> {
    let notes = s.notes.as_deref()?;
    let mut text = format!(
        "บันทึกจากแบบฟอร์มภาคสนาม: {} {} วันที่ {}\n",
        s.kind.label(Lang::Th),
        s.site.display_name(),
        s.date.display(Lang::Th)
    );
    if let Some(p) = s.participants {
        text.push_str(&format!("ผู้เข้าร่วม {p} คน"));
        if let (Some(w), Some(m)) = (s.women, s.men) {
            text.push_str(&format!(" (หญิง {w} คน ชาย {m} คน)"));
        }
        text.push('\n');
    }
    if let Some(v) = &s.venue {
        text.push_str(&format!("ณ {v}\n"));
    }
    if let Some(u) = &s.uuid {
        text.push_str(&format!("รหัสแบบฟอร์ม: {u}\n"));
    }
    text.push('\n');
    text.push_str(notes);
    text.push('\n');
    Some(text)
}

/// What an import of submissions did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Submitted {
    pub forums_added: usize,
    pub forums_completed: usize,
    pub documents: usize,
    pub notices: Vec<Notice>,
}

/// Imports a sheet of submissions into a study: every row is checked first; the forums
/// are one batch of the activity log (one undo), then each note is imported as a document.
pub async fn import_submissions(store: &Store, study_id: i64, sheet: &Sheet) -> Result<Submitted> {
    let sites = store.study_sites(study_id).await?;
    let submissions = read_submissions(sheet, &sites)?;
    let mut sources = Vec::new();
    for s in &submissions {
        if let Some(text) = notes_text(s) {
            let name = format!("แบบฟอร์ม {} {}.txt", s.site.display_name(), s.date);
            let source = crate::import::read_bytes(&name, text.into_bytes())
                .map_err(|e| row_error(s.row, &e, &e))?;
            sources.push((s.row, source));
        }
    }
    let existing = store.study_forums(study_id).await?;
    let mut done = Submitted::default();
    let mut forum_of_row = std::collections::HashMap::new();
    let mut changes = Changes::begin(store, "แบบฟอร์มภาคสนาม (Kobo/ODK)").await?;
    let mut added: Vec<Forum> = Vec::new();
    for s in &submissions {
        let same =
            |f: &&Forum| f.site_id == s.site.id && f.kind == s.kind && f.date == Some(s.date);
        if let Some(f) = existing
            .iter()
            .find(same)
            .or_else(|| added.iter().find(same))
        {
            // A planned forum takes what the field saw; a record already kept of a held
            // one is only completed, never overwritten.
            let filled = if f.status == ForumStatus::Planned {
                Forum {
                    status: ForumStatus::Held,
                    title: s.title.clone().or(f.title.clone()),
                    venue: s.venue.clone().or(f.venue.clone()),
                    participants: s.participants.or(f.participants),
                    ..f.clone()
                }
            } else {
                Forum {
                    title: f.title.clone().or(s.title.clone()),
                    venue: f.venue.clone().or(s.venue.clone()),
                    participants: f.participants.or(s.participants),
                    ..f.clone()
                }
            };
            if &filled != f {
                changes.update(Record::Forum(filled)).await?;
                done.forums_completed += 1;
            }
            forum_of_row.insert(s.row, f.id);
            continue;
        }
        let forum = Forum {
            id: 0,
            site_id: s.site.id,
            kind: s.kind,
            status: ForumStatus::Held,
            title: s.title.clone(),
            date: Some(s.date),
            date_end: None,
            venue: s.venue.clone(),
            participants: s.participants,
            reviewed_at: None,
            reviewed_by: None,
        };
        let id = changes.create(Record::Forum(forum.clone())).await?;
        added.push(Forum { id, ..forum });
        forum_of_row.insert(s.row, id);
        done.forums_added += 1;
    }
    changes.commit().await?;
    let mut again = 0;
    for (row, source) in sources {
        let s = submissions
            .iter()
            .find(|s| s.row == row)
            .expect("a submission per source");
        let request = ImportRequest {
            path: std::path::Path::new(""),
            site: SiteRef::Id(s.site.id),
            forum_id: forum_of_row.get(&row).copied(),
            kind: s.kind,
            date: Some(s.date),
        };
        let imported = import_source(store, source, &request).await?;
        if imported.new_document {
            done.documents += 1;
        } else {
            again += 1;
        }
    }
    if again > 0 {
        done.notices.push(Notice::new(
            format!("บันทึก {again} รายการเคยนำเข้าแล้ว จึงไม่ได้เพิ่มซ้ำ"),
            format!("{again} notes were imported before; not added again"),
        ));
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_by_name_path_or_label() {
        assert_eq!(question_of("group_forum/notes"), "notes");
        assert_eq!(question_of("ผู้หญิง (คน)"), "women");
        assert_eq!(question_of("Participants in all"), "participants");
        assert_eq!(question_of("meta/instanceID"), "uuid");
        assert_eq!(question_of("_uuid"), "uuid");
        assert_eq!(question_of("_submission_time"), "_submission_time");
    }
}
