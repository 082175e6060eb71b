//! Sections: each clause with the framework part(s) it speaks to, and the cue that says so.
//! The cues are a lexicon (below), so every suggestion can show why it was made.

use super::Spans;
use crate::model::Span;
use serde::Serialize;
use std::ops::Range;

/// A part of the five-part framework, SWOT, or leader traits. Serialized as the key of
/// its code in the default codebook ("1" … "5", "swot", "traits").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Part {
    #[serde(rename = "1")]
    Profile,
    #[serde(rename = "2")]
    Projects,
    #[serde(rename = "3")]
    Mechanisms,
    #[serde(rename = "4")]
    Networks,
    #[serde(rename = "5")]
    Potential,
    #[serde(rename = "swot")]
    Swot,
    #[serde(rename = "traits")]
    Traits,
}

impl Part {
    /// The key of the part's code in the default codebook.
    pub fn code_key(self) -> &'static str {
        match self {
            Part::Profile => "1",
            Part::Projects => "2",
            Part::Mechanisms => "3",
            Part::Networks => "4",
            Part::Potential => "5",
            Part::Swot => "swot",
            Part::Traits => "traits",
        }
    }
}

/// A clause that speaks to a part of the framework.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub part: Part,
    /// The word that triggered it.
    pub cue: String,
    pub span: Span,
    pub text: String,
}

/// Cue words, by part. Chosen from the framework's own wording and the way forum
/// write-ups report each part.
const CUES: &[(Part, &[&str])] = &[
    (
        Part::Profile,
        &[
            "ข้อมูลทั่วไป",
            "ประวัติ",
            "ประเพณี",
            "วัฒนธรรม",
            "ความโดดเด่น",
            "โดดเด่น",
            "ภูมิปัญญา",
            "ก่อตั้ง",
            "อัตลักษณ์",
            "ความเป็นมา",
        ],
    ),
    (
        Part::Projects,
        &[
            "โครงการ",
            "กิจกรรม",
            "ปัญหา",
            "วิกฤต",
            "โรคระบาด",
            "ภัยพิบัติ",
            "น้ำท่วม",
            "ภัยแล้ง",
        ],
    ),
    (
        Part::Mechanisms,
        &[
            "กลไก",
            "ขับเคลื่อน",
            "ปัจจัย",
            "ความสำเร็จ",
            "อุปสรรค",
            "แก้ไข",
            "บูรณาการ",
            "ธรรมนูญ",
            "รวมกลุ่ม",
            "ความร่วมมือ",
        ],
    ),
    (
        Part::Networks,
        &[
            "เครือข่าย",
            "หน่วยงาน",
            "สถาบัน",
            "สนับสนุน",
            "ภาคี",
            "ศึกษาดูงาน",
            "ถ่ายทำ",
        ],
    ),
    (
        Part::Potential,
        &[
            "ศักยภาพ",
            "ภาพฝัน",
            "อนาคต",
            "จุดเด่น",
            "จุดอ่อน",
            "แผนพัฒนา",
            "วิสัยทัศน์",
            "เป้าหมาย",
        ],
    ),
    (
        Part::Swot,
        &["SWOT", "จุดแข็ง", "จุดอ่อน", "โอกาส", "อุปสรรค", "ภัยคุกคาม"],
    ),
    (
        Part::Traits,
        &[
            "คุณลักษณะ",
            "แกนนำ",
            "ผู้นำ",
            "ทำงานเป็นทีม",
            "เสียสละ",
            "น้ำใจ",
            "ความเชื่อมั่น",
            "ตั้งมั่น",
            "ไม่ท้อถอย",
            "ซื่อสัตย์",
        ],
    ),
];

/// Every (clause, part) pair a cue links, in text order; a clause may speak to several.
pub fn sections(text: &str, clauses: &[Range<usize>], spans: &Spans) -> Vec<Section> {
    let mut out = Vec::new();
    for clause in clauses {
        let c = &text[clause.clone()];
        for (part, cues) in CUES {
            // The earliest cue in the clause is the one shown.
            if let Some((_, cue)) = cues
                .iter()
                .filter_map(|cue| c.find(cue).map(|at| (at, *cue)))
                .min()
            {
                out.push(Section {
                    part: *part,
                    cue: cue.to_string(),
                    span: spans.span(clause),
                    text: c.to_string(),
                });
            }
        }
    }
    out
}
