//! The default codebook: the five-part framework of a lessons-learned forum, SWOT and
//! leader traits (DESIGN.md, "Codebook").

/// One code of a codebook template: `parent` names another entry's `key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeTemplate {
    pub key: &'static str,
    pub parent: Option<&'static str>,
    pub name_th: &'static str,
    pub name_en: &'static str,
    pub color: &'static str,
}

const fn code(
    key: &'static str,
    parent: Option<&'static str>,
    name_th: &'static str,
    name_en: &'static str,
    color: &'static str,
) -> CodeTemplate {
    CodeTemplate {
        key,
        parent,
        name_th,
        name_en,
        color,
    }
}

/// The default codebook, parents before children, in reading order.
pub fn default_codebook() -> &'static [CodeTemplate] {
    DEFAULT_CODEBOOK
}

const DEFAULT_CODEBOOK: &[CodeTemplate] = {
    const P1: Option<&str> = Some("1");
    const P2: Option<&str> = Some("2");
    const P3: Option<&str> = Some("3");
    const P4: Option<&str> = Some("4");
    const P5: Option<&str> = Some("5");
    const SWOT: Option<&str> = Some("swot");
    &[
        code("1", None, "ข้อมูลทั่วไปของชุมชน", "Community profile", "#2f7ebc"),
        code("1.1", P1, "ประวัติชุมชน", "History", "#4b93cc"),
        code(
            "1.2",
            P1,
            "ประเพณีและวัฒนธรรม",
            "Traditions and culture",
            "#4b93cc",
        ),
        code("1.3", P1, "ความโดดเด่นของชุมชน", "Distinctiveness", "#4b93cc"),
        code("1.4", P1, "ภูมิปัญญาท้องถิ่น", "Local wisdom", "#4b93cc"),
        code(
            "2",
            None,
            "โครงการและกิจกรรม",
            "Projects and activities",
            "#2a9d6f",
        ),
        code(
            "2.1",
            P2,
            "รูปแบบโครงการและกิจกรรม",
            "Projects and activities run",
            "#45b084",
        ),
        code(
            "2.2",
            P2,
            "ปัญหาที่สำคัญที่สุด",
            "Most important problems",
            "#45b084",
        ),
        code("3", None, "กลไกและการขับเคลื่อน", "Mechanisms", "#c77d1a"),
        code("3.1", P3, "กลไกการขับเคลื่อน", "Driving mechanisms", "#d6953d"),
        code("3.2", P3, "ปัจจัยความสำเร็จ", "Success factors", "#d6953d"),
        code("3.3", P3, "อุปสรรค", "Obstacles", "#d6953d"),
        code("3.4", P3, "วิธีการแก้ไขปัญหา", "Solutions", "#d6953d"),
        code("4", None, "เครือข่ายการทำงาน", "Support networks", "#8e4fb5"),
        code("4.1", P4, "หน่วยงาน", "Agencies", "#a46dc6"),
        code("4.2", P4, "สถาบัน", "Institutions", "#a46dc6"),
        code("4.3", P4, "บุคคล", "Persons", "#a46dc6"),
        code(
            "5",
            None,
            "ศักยภาพและภาพฝันในอนาคต",
            "Potential and future vision",
            "#c0392b",
        ),
        code("5.1", P5, "จุดเด่นของชุมชน", "Strengths", "#d0584b"),
        code("5.2", P5, "จุดอ่อนของชุมชน", "Weaknesses", "#d0584b"),
        code(
            "5.3",
            P5,
            "แผนพัฒนาชุมชนร่วมกัน",
            "Joint development plan",
            "#d0584b",
        ),
        code("swot", None, "SWOT", "SWOT", "#5d6d7e"),
        code("swot.s", SWOT, "จุดแข็ง (S)", "Strengths (S)", "#27ae60"),
        code("swot.w", SWOT, "จุดอ่อน (W)", "Weaknesses (W)", "#e67e22"),
        code("swot.o", SWOT, "โอกาส (O)", "Opportunities (O)", "#2980b9"),
        code("swot.t", SWOT, "อุปสรรค (T)", "Threats (T)", "#c0392b"),
        code("traits", None, "คุณลักษณะแกนนำ", "Leader traits", "#b7950b"),
    ]
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_come_first_and_keys_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in default_codebook() {
            if let Some(p) = c.parent {
                assert!(seen.contains(p), "{} before its parent {p}", c.key);
            }
            assert!(seen.insert(c.key), "duplicate key {}", c.key);
            assert!(c.color.len() == 7 && c.color.starts_with('#'));
        }
        let top: Vec<_> = default_codebook()
            .iter()
            .filter(|c| c.parent.is_none())
            .map(|c| c.key)
            .collect();
        assert_eq!(top, ["1", "2", "3", "4", "5", "swot", "traits"]);
    }
}
