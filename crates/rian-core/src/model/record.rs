//! A record a person can create, change or delete in the workbench, as one value: the unit
//! that the activity log keeps before and after each change, and that undo puts back.

use super::*;

labelled_enum!(
    /// The kinds of record a person edits.
    Entity {
        Code = "code", "รหัส", "code";
        Coding = "coding", "การลงรหัส", "coding";
        Memo = "memo", "บันทึก", "memo";
        Forum = "forum", "เวที", "forum";
        ForumParty = "forum_party", "ผู้จัดหรือภาคีของเวที", "forum party";
        Fact = "fact", "ข้อเท็จจริง", "fact";
        Community = "community", "ชุมชน", "community";
        SwotItem = "swot_item", "รายการ SWOT", "SWOT item";
        Actor = "actor", "ภาคีเครือข่าย", "actor";
        Tie = "tie", "ความสัมพันธ์ในเครือข่าย", "tie";
        PlanItem = "plan_item", "รายการแผนพัฒนา", "plan item";
        CellSummary = "cell_summary", "สรุปในตารางกรอบแนวคิด", "matrix summary";
        DocumentText = "document_text", "ข้อความของเอกสาร", "document text";
        Correction = "correction", "การแก้ไขจากชุมชน", "community correction";
    }
);

/// One record of any editable kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Record {
    Code(Code),
    Coding(Coding),
    Memo(Memo),
    Forum(Forum),
    ForumParty(ForumParty),
    Fact(Fact),
    Community(Community),
    SwotItem(SwotItem),
    Actor(Actor),
    Tie(Tie),
    PlanItem(PlanItem),
    CellSummary(CellSummary),
    DocumentText(DocumentText),
    Correction(Correction),
}

/// A kind of record, known by its type: `tx.get::<Code>(id)` instead of matching a `Record`.
pub trait Kind: Sized {
    const ENTITY: Entity;
    fn from_record(record: Record) -> Option<Self>;
}

macro_rules! kinds {
    ($($kind:ident),+) => {$(
        impl Kind for $kind {
            const ENTITY: Entity = Entity::$kind;
            fn from_record(record: Record) -> Option<Self> {
                match record {
                    Record::$kind(r) => Some(r),
                    _ => None,
                }
            }
        }
    )+};
}

kinds!(
    Code,
    Coding,
    Memo,
    Forum,
    ForumParty,
    Fact,
    Community,
    SwotItem,
    Actor,
    Tie,
    PlanItem,
    CellSummary,
    DocumentText,
    Correction
);

impl Record {
    pub fn entity(&self) -> Entity {
        match self {
            Record::Code(_) => Entity::Code,
            Record::Coding(_) => Entity::Coding,
            Record::Memo(_) => Entity::Memo,
            Record::Forum(_) => Entity::Forum,
            Record::ForumParty(_) => Entity::ForumParty,
            Record::Fact(_) => Entity::Fact,
            Record::Community(_) => Entity::Community,
            Record::SwotItem(_) => Entity::SwotItem,
            Record::Actor(_) => Entity::Actor,
            Record::Tie(_) => Entity::Tie,
            Record::PlanItem(_) => Entity::PlanItem,
            Record::CellSummary(_) => Entity::CellSummary,
            Record::DocumentText(_) => Entity::DocumentText,
            Record::Correction(_) => Entity::Correction,
        }
    }

    pub fn id(&self) -> i64 {
        match self {
            Record::Code(r) => r.id,
            Record::Coding(r) => r.id,
            Record::Memo(r) => r.id,
            Record::Forum(r) => r.id,
            Record::ForumParty(r) => r.id,
            Record::Fact(r) => r.id,
            Record::Community(r) => r.id,
            Record::SwotItem(r) => r.id,
            Record::Actor(r) => r.id,
            Record::Tie(r) => r.id,
            Record::PlanItem(r) => r.id,
            Record::CellSummary(r) => r.id,
            Record::DocumentText(r) => r.id,
            Record::Correction(r) => r.id,
        }
    }

    /// The same record with another id.
    pub fn with_id(mut self, id: i64) -> Record {
        match &mut self {
            Record::Code(r) => r.id = id,
            Record::Coding(r) => r.id = id,
            Record::Memo(r) => r.id = id,
            Record::Forum(r) => r.id = id,
            Record::ForumParty(r) => r.id = id,
            Record::Fact(r) => r.id = id,
            Record::Community(r) => r.id = id,
            Record::SwotItem(r) => r.id = id,
            Record::Actor(r) => r.id = id,
            Record::Tie(r) => r.id = id,
            Record::PlanItem(r) => r.id = id,
            Record::CellSummary(r) => r.id = id,
            Record::DocumentText(r) => r.id = id,
            Record::Correction(r) => r.id = id,
        }
        self
    }

    /// The record as the activity log keeps it.
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a record of a known kind back from the activity log.
    pub fn from_json(entity: Entity, json: &str) -> Result<Record, serde_json::Error> {
        Ok(match entity {
            Entity::Code => Record::Code(serde_json::from_str(json)?),
            Entity::Coding => Record::Coding(serde_json::from_str(json)?),
            Entity::Memo => Record::Memo(serde_json::from_str(json)?),
            Entity::Forum => Record::Forum(serde_json::from_str(json)?),
            Entity::ForumParty => Record::ForumParty(serde_json::from_str(json)?),
            Entity::Fact => Record::Fact(serde_json::from_str(json)?),
            Entity::Community => Record::Community(serde_json::from_str(json)?),
            Entity::SwotItem => Record::SwotItem(serde_json::from_str(json)?),
            Entity::Actor => Record::Actor(serde_json::from_str(json)?),
            Entity::Tie => Record::Tie(serde_json::from_str(json)?),
            Entity::PlanItem => Record::PlanItem(serde_json::from_str(json)?),
            Entity::CellSummary => Record::CellSummary(serde_json::from_str(json)?),
            Entity::DocumentText => Record::DocumentText(serde_json::from_str(json)?),
            Entity::Correction => Record::Correction(serde_json::from_str(json)?),
        })
    }

    /// A short description for the activity log: the words a person would recognize it by.
    pub fn summary(&self, lang: Lang) -> String {
        let short = |s: &str| {
            let mut out: String = s.chars().take(80).collect();
            if s.chars().count() > 80 {
                out.push('…');
            }
            out
        };
        match self {
            Record::Code(c) => format!(
                "{} {}",
                c.key,
                match lang {
                    Lang::Th => &c.name_th,
                    Lang::En => &c.name_en,
                }
            ),
            Record::Coding(c) => format!(
                "#{} [{}–{}] {}",
                c.code_id,
                c.span.start,
                c.span.end,
                c.status.label(lang)
            ),
            Record::Memo(m) => short(&m.text),
            Record::Forum(f) => {
                let date = f.date.map(|d| d.display(lang)).unwrap_or_default();
                format!(
                    "{} {date}",
                    f.title.as_deref().unwrap_or(f.kind.label(lang))
                )
            }
            Record::ForumParty(p) => format!("{}: {}", p.role.label(lang), p.name),
            Record::Fact(f) => format!("{}: {}", f.kind.label(lang), short(&f.value)),
            Record::Community(c) => c.name_th.clone(),
            Record::SwotItem(s) => format!("{}: {}", s.quadrant.label(lang), short(&s.text)),
            Record::Actor(a) => format!("{} ({})", a.name, a.kind.label(lang)),
            Record::Tie(t) => t.kind.label(lang).to_string(),
            Record::PlanItem(p) => format!(
                "{} · {} · {}%",
                short(&p.what),
                p.status.label(lang),
                p.progress
            ),
            Record::CellSummary(c) => short(&c.text),
            Record::DocumentText(d) => short(&d.text),
            Record::Correction(c) => format!("{}: {}", c.state.label(lang), short(&c.text)),
        }
    }
}
