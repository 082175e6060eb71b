//! Plain data: the entities of a study record (DESIGN.md, "The data").
//!
//! Every struct here is what a person reads or writes about a study; none knows how it is
//! stored. Enumerations are stored by their `as_str` key, which is also their stable name in
//! exports and the API.

mod codebook;
mod date;

pub use codebook::default_codebook;
pub use date::{BE_OFFSET, IsoDate, Lang, MONTHS_EN, MONTHS_TH, MONTHS_TH_SHORT};
pub use record::{Entity, Kind, Record};

use serde::{Deserialize, Serialize};

/// Defines a closed set of values with a stable key, a Thai and an English label.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $key:literal, $th:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable key used in storage, URLs and exports.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// What a person reads, in the given language.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, Lang::Th) => $th, ($name::$variant, Lang::En) => $en,)+
                }
            }

            /// The value a person or another tool wrote: its key, Thai label or English
            /// label (in any case).
            pub fn from_written(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|&v| {
                    v.as_str() == s || v.label(Lang::Th) == s || v.label(Lang::En).eq_ignore_ascii_case(s)
                })
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($key => Ok($name::$variant),)+
                    other => Err(crate::Error::UnknownValue { kind: stringify!($name), value: other.to_string() }),
                }
            }
        }
    };
}

labelled_enum!(
    /// Administrative level of a site.
    AdminLevel {
        Tambon = "tambon", "ตำบล", "Tambon";
        Khwaeng = "khwaeng", "แขวง", "Khwaeng";
        Khet = "khet", "เขต", "Khet";
        Amphoe = "amphoe", "อำเภอ", "Amphoe";
    }
);

labelled_enum!(
    /// Where a site stands in the study, derived from its forums and codings.
    SiteStatus {
        Planned = "planned", "วางแผน", "Planned";
        ForumHeld = "forum_held", "จัดเวทีแล้ว", "Forum held";
        Coded = "coded", "ลงรหัสแล้ว", "Coded";
        Returned = "returned", "คืนข้อมูลแล้ว", "Data returned";
    }
);

labelled_enum!(
    ForumKind {
        LessonsLearned = "lessons_learned", "เวทีสรุปบทเรียน", "Lessons-learned forum";
        FocusGroup = "focus_group", "สนทนากลุ่ม", "Focus group";
        DataReturn = "data_return", "เวทีคืนข้อมูล", "Data-return forum";
        Planning = "planning", "เวทีวางแผน", "Planning meeting";
        Other = "other", "อื่น ๆ", "Other";
    }
);

labelled_enum!(
    ForumStatus {
        Planned = "planned", "กำหนดการ", "Planned";
        Held = "held", "จัดแล้ว", "Held";
    }
);

labelled_enum!(
    /// Where a forum's record stands in the correction round: written by the team, checked
    /// by the community at the data-return forum, then final.
    RecordState {
        Draft = "draft", "ร่าง", "Draft";
        Checked = "checked", "ชุมชนตรวจสอบแล้ว", "Checked by the community";
        Final = "final", "ฉบับสมบูรณ์", "Final";
    }
);

impl RecordState {
    /// The steps a record may take from here: forward one step, or back to draft to
    /// reopen it.
    pub fn next(self) -> &'static [RecordState] {
        match self {
            RecordState::Draft => &[RecordState::Checked],
            RecordState::Checked => &[RecordState::Final, RecordState::Draft],
            RecordState::Final => &[RecordState::Draft],
        }
    }
}

labelled_enum!(
    /// What became of a community's correction.
    CorrectionState {
        Open = "open", "รอดำเนินการ", "Open";
        Applied = "applied", "แก้ไขในบันทึกแล้ว", "Applied to the record";
        Dismissed = "dismissed", "ไม่แก้ไข", "Not applied";
    }
);

/// What a community said about one item of its data-return report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Correction {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub site_id: i64,
    /// The record the item came from (report::ItemSource): its kind and id.
    pub item_entity: String,
    pub item_id: i64,
    /// The item as the report printed it.
    pub statement: String,
    /// The correction, in the community's words.
    pub text: String,
    pub state: CorrectionState,
    /// The facilitator's note on applying or not applying it.
    pub note: Option<String>,
    /// Who recorded it; the API fills in its caller when left out.
    #[serde(default)]
    pub author: String,
    /// Set by the store when written.
    #[serde(default)]
    pub written_at: String,
}

/// The kinds of record a report item can come from.
pub const CORRECTABLE: &[&str] = &["forum", "fact", "coding", "swot_item", "tie", "plan_item"];

/// One step of a forum record's history (draft → checked → final, or reopened).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecordStep {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub forum_id: i64,
    pub state: RecordState,
    pub actor: String,
    pub note: Option<String>,
    pub at: String,
}

labelled_enum!(
    /// The part a named organization or person played in a forum.
    PartyRole {
        Organizer = "organizer", "ผู้จัด", "Organizer";
        Partner = "partner", "ภาคีร่วม", "Partner";
        Academic = "academic", "ภาคีวิชาการ", "Academic partner";
        Facilitator = "facilitator", "ผู้อำนวยกระบวนการ", "Facilitator";
        Host = "host", "เจ้าภาพในพื้นที่", "Local host";
    }
);

labelled_enum!(
    CodingStatus {
        Suggested = "suggested", "ข้อเสนอ", "Suggested";
        Accepted = "accepted", "ยอมรับ", "Accepted";
        Rejected = "rejected", "ปฏิเสธ", "Rejected";
        Detached = "detached", "ข้อความถูกลบ รอตรวจ", "Text removed, to review";
    }
);

labelled_enum!(
    FactKind {
        Date = "date", "วันที่", "Date";
        Figure = "figure", "ตัวเลข", "Figure";
        Place = "place", "สถานที่", "Place";
        Organization = "organization", "องค์กร", "Organization";
        List = "list", "รายการ", "List";
    }
);

labelled_enum!(
    Quadrant {
        Strength = "s", "จุดแข็ง", "Strengths";
        Weakness = "w", "จุดอ่อน", "Weaknesses";
        Opportunity = "o", "โอกาส", "Opportunities";
        Threat = "t", "อุปสรรค", "Threats";
    }
);

labelled_enum!(
    ActorKind {
        Agency = "agency", "หน่วยงานรัฐ", "Government agency";
        Academic = "academic", "สถาบันวิชาการ", "Academic";
        Ngo = "ngo", "องค์กรพัฒนาเอกชน", "NGO";
        Media = "media", "สื่อมวลชน", "Media";
        International = "international", "องค์การระหว่างประเทศ", "International organization";
        Fund = "fund", "กองทุน", "Fund";
        CommunityOrganization = "community_organization", "องค์กรชุมชน", "Community organization";
        Person = "person", "บุคคล", "Person";
    }
);

impl ActorKind {
    /// A first guess at an organization's kind from its name, for a person to confirm.
    pub fn guess(name: &str) -> ActorKind {
        let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
        if has(&["มหาวิทยาลัย", "วิทยาลัย", "University", "College"])
        {
            ActorKind::Academic
        } else if has(&["กองทุน", "Fund"]) {
            ActorKind::Fund
        } else if has(&["มูลนิธิ", "สมาคม", "Foundation"]) {
            ActorKind::Ngo
        } else if has(&["WHO", "UNDP", "UNICEF", "องค์การอนามัยโลก", "สหประชาชาติ"])
        {
            ActorKind::International
        } else if has(&["Thai PBS", "ไทยพีบีเอส", "สถานีโทรทัศน์", "หนังสือพิมพ์", "วิทยุ"])
        {
            ActorKind::Media
        } else if has(&["สภาองค์กรชุมชน", "กลุ่ม", "ชมรม", "ชุมชน", "เครือข่าย"])
        {
            ActorKind::CommunityOrganization
        } else if has(&[
            "สำนัก",
            "กรม",
            "กระทรวง",
            "เทศบาล",
            "องค์การบริหารส่วน",
            "สถาบัน",
            "ศูนย์",
            "โรงพยาบาล",
            "โรงเรียน",
            "เขต",
            "จังหวัด",
            "อำเภอ",
        ]) {
            ActorKind::Agency
        } else {
            ActorKind::CommunityOrganization
        }
    }
}

labelled_enum!(
    TieKind {
        Support = "support", "สนับสนุน", "Support";
        Funding = "funding", "สนับสนุนงบประมาณ", "Funding";
        StudyVisit = "study_visit", "ศึกษาดูงาน", "Study visit";
        Media = "media", "สื่อเผยแพร่", "Media coverage";
        Academic = "academic", "ภาคีวิชาการ", "Academic partnership";
        Collaboration = "collaboration", "ความร่วมมือ", "Collaboration";
    }
);

labelled_enum!(
    PlanStatus {
        Proposed = "proposed", "เสนอ", "Proposed";
        InProgress = "in_progress", "กำลังดำเนินการ", "In progress";
        Done = "done", "เสร็จแล้ว", "Done";
        Dropped = "dropped", "ยกเลิก", "Dropped";
    }
);

/// A span of a document's normalized text: Unicode scalar values, end-exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Span {
    pub start: i64,
    pub end: i64,
}

/// A knowledge-extraction study: one fiscal year's set of sites, its framework and codebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Study {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    /// Stable short name used on the command line and in URLs.
    pub slug: String,
    pub name_th: String,
    pub name_en: Option<String>,
    /// Fiscal year in the Buddhist Era, as agencies write it (2566).
    pub fiscal_year_be: i64,
    pub framework: String,
}

/// A tambon, khwaeng or khet taking part in a study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Site {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub study_id: i64,
    /// Order in the study's own list of sites.
    pub position: i64,
    pub name_th: String,
    pub level: AdminLevel,
    pub district_th: Option<String>,
    pub province_th: String,
    /// Official (DOPA) administrative code, where the gazetteer gives it.
    pub admin_code: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// A made-up site for demonstration; its notes are not facts about a real place.
    pub fictional: bool,
}

impl AdminLevel {
    /// A place's name with its level's prefix, as Thai agencies write it: "ต.พระแท่น".
    pub fn name_with_prefix(self, name_th: &str) -> String {
        let prefix = match self {
            AdminLevel::Tambon => "ต.",
            AdminLevel::Khwaeng => "แขวง",
            AdminLevel::Khet => "เขต",
            AdminLevel::Amphoe => "อ.",
        };
        format!("{prefix}{name_th}")
    }
}

impl Site {
    /// The site's name as Thai agencies write it: "ต.พระแท่น", "เขตธนบุรี".
    pub fn display_name(&self) -> String {
        self.level.name_with_prefix(&self.name_th)
    }

    /// The province as agencies write it: "จ.กาญจนบุรี", and Bangkok in full.
    pub fn province_display(&self) -> String {
        if self.province_th == "กรุงเทพมหานคร" {
            self.province_th.clone()
        } else {
            format!("จ.{}", self.province_th)
        }
    }
}

/// A site summary as lists show it: the site and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteOverview {
    pub site: Site,
    pub status: SiteStatus,
    pub forums: i64,
    pub communities: i64,
}

/// A community (ชุมชน) inside a site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Community {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub site_id: i64,
    pub name_th: String,
    pub note: Option<String>,
}

/// A forum held (or planned) at a site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Forum {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub site_id: i64,
    pub kind: ForumKind,
    pub status: ForumStatus,
    pub title: Option<String>,
    pub date: Option<IsoDate>,
    pub date_end: Option<IsoDate>,
    pub venue: Option<String>,
    pub participants: Option<i64>,
    /// When a person checked the record against its evidence (UTC, `YYYY-MM-DD HH:MM:SS`).
    pub reviewed_at: Option<String>,
    pub reviewed_by: Option<String>,
}

/// An organization or person named as playing a part in a forum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ForumParty {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub forum_id: i64,
    pub role: PartyRole,
    pub name: String,
}

/// One attendee. Personal data: never logged, left out of exports unless asked for.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Attendee {
    pub id: i64,
    pub forum_id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub role: Option<String>,
}

impl std::fmt::Debug for Attendee {
    // Debug output ends up in logs and panics; a participant's name and phone must not.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attendee")
            .field("id", &self.id)
            .field("forum_id", &self.forum_id)
            .field("name", &"<redacted>")
            .field("phone", &self.phone.as_ref().map(|_| "<redacted>"))
            .field("role", &self.role)
            .finish()
    }
}

/// A source text attached to a forum, kept byte for byte and as normalized text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Document {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub forum_id: i64,
    pub title: String,
    /// The file name it was imported from, if any.
    pub source_name: Option<String>,
    pub media_type: String,
    /// The bytes exactly as imported.
    #[serde(skip)]
    pub original: Vec<u8>,
    /// The normalized text every span points into.
    pub text: String,
    /// SHA-256 of `original`, in hex: the same file imported twice is one document.
    pub content_hash: String,
}

/// SHA-256 of bytes, in lower-case hex.
pub fn content_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A code in a study's codebook tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Code {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub study_id: i64,
    pub parent_id: Option<i64>,
    /// Stable key within the codebook ("1", "1.2", "swot.s").
    pub key: String,
    pub name_th: String,
    pub name_en: String,
    /// `#rrggbb`.
    pub color: String,
    pub position: i64,
    pub description: Option<String>,
}

/// A code applied to a span of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Coding {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub document_id: i64,
    pub code_id: i64,
    pub span: Span,
    pub coder: String,
    pub status: CodingStatus,
    pub memo: Option<String>,
    /// For a suggestion, the word in the text that suggested it.
    pub cue: Option<String>,
}

/// A fact read from a document: a date, a figure, a place, an organization, a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Fact {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub document_id: i64,
    pub kind: FactKind,
    /// The value as rian reads it (ISO date, normalized name, list items joined by newlines).
    pub value: String,
    pub number: Option<f64>,
    pub unit: Option<String>,
    pub span: Option<Span>,
}

/// The text of a document as a person corrects it (after the data-return forum, say).
/// The text revised is the normalized text; the imported original bytes never change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DocumentText {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub text: String,
}

/// An item of a community's SWOT board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SwotItem {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub community_id: i64,
    pub quadrant: Quadrant,
    pub text: String,
    pub position: i64,
    /// The passage the item came from, if it came from one.
    pub document_id: Option<i64>,
    pub span: Option<Span>,
}

/// An organization or person in a study's support network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Actor {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub study_id: i64,
    pub name: String,
    pub kind: ActorKind,
}

/// A tie between an actor and a site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Tie {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub actor_id: i64,
    pub site_id: i64,
    pub kind: TieKind,
    pub note: Option<String>,
    pub document_id: Option<i64>,
    pub span: Option<Span>,
}

/// One change in the activity log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Activity {
    pub id: i64,
    pub study_id: i64,
    /// Changes made together share the id of the first of them.
    pub batch: Option<i64>,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: i64,
    pub before: Option<String>,
    pub after: Option<String>,
    pub undone: bool,
}

/// An item of a site's joint development plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlanItem {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub site_id: i64,
    pub what: String,
    pub who: Option<String>,
    pub due: Option<IsoDate>,
    pub status: PlanStatus,
    /// How far along it is, 0–100 %.
    pub progress: i64,
}

labelled_enum!(
    /// What a memo is written on.
    MemoTarget {
        Document = "document", "เอกสาร", "Document";
        Coding = "coding", "การลงรหัส", "Coding";
        Code = "code", "รหัส", "Code";
        Site = "site", "พื้นที่", "Site";
    }
);

/// A researcher's note on a document, a coding, a code or a site. An item has many.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Memo {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub study_id: i64,
    pub target: MemoTarget,
    pub target_id: i64,
    pub text: String,
    /// Who wrote it; the API fills in its caller when left out.
    #[serde(default)]
    pub author: String,
    /// UTC, `YYYY-MM-DD HH:MM:SS`, set by the store.
    #[serde(default)]
    pub written_at: String,
}

labelled_enum!(
    /// What the rows of the framework matrix are.
    MatrixRows {
        Site = "site", "พื้นที่", "Sites";
        Community = "community", "ชุมชน", "Communities";
        Forum = "forum", "เวที", "Forums";
    }
);

/// What a researcher writes in a cell of the framework matrix (a row and a code), beside
/// the coded passages it summarizes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CellSummary {
    /// Set by the store; 0 or absent when creating.
    #[serde(default)]
    pub id: i64,
    pub study_id: i64,
    pub row_kind: MatrixRows,
    pub row_id: i64,
    pub code_id: i64,
    pub text: String,
    /// Who wrote it; the API fills in its caller when left out.
    #[serde(default)]
    pub author: String,
    /// UTC, `YYYY-MM-DD HH:MM:SS`, set by the store.
    #[serde(default)]
    pub written_at: String,
}

// After the macro: record.rs uses `labelled_enum!`.
mod record;

labelled_enum!(
    /// What a person signed in to a shared deployment may do (`access` holds the rule).
    Role {
        Admin = "admin", "ผู้ดูแลระบบ", "Administrator";
        Facilitator = "facilitator", "ผู้จัดเวที / นักวิจัย", "Facilitator";
        Reviewer = "reviewer", "ผู้ตรวจทานจากชุมชน", "Community reviewer";
        Viewer = "viewer", "ผู้อ่าน", "Viewer";
    }
);

/// A person who signs in to a shared deployment. Their password is kept only as a hash,
/// never in this struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Account {
    pub id: i64,
    /// The name they sign in with, also the name the activity log shows.
    pub name: String,
    pub role: Role,
    /// A community reviewer's own site.
    pub site_id: Option<i64>,
    /// The studies a facilitator belongs to (and may change).
    pub studies: Vec<i64>,
    pub disabled: bool,
    pub created_at: String,
}
