//! The demo study: the frame of the 2566 study (its ten real sites) and the Thonburi forum
//! of 31 March 2566, written in the project's own words from the facts of its public
//! write-up. Nothing here is invented about a real place.

use crate::model::*;
use crate::pipeline::create_study_with_codes;
use crate::store::{Store, Tx};
use crate::{Error, Result};

pub const DEMO_STUDY_SLUG: &str = "tambon-khemkhaeng-2566";

const SITES_CSV: &str = include_str!("../data/study-2566-sites.csv");

/// The Thonburi forum's notes, summarised by the rian project from the public write-up.
const THONBURI_NOTES: &str = "\
# บันทึกเวทีสรุปบทเรียน สภาองค์กรชุมชนเขตธนบุรี

เวทีนี้จัดขึ้นวันศุกร์ที่ 31 มีนาคม 2566 ที่ที่ทำการสภาองค์กรชุมชนเขตธนบุรี กรุงเทพมหานคร เป็นเวทีสรุปบทเรียนการพัฒนาตำบลต้นแบบมิติคนมีคุณภาพ ในโครงการศึกษาเพื่อถอดองค์ความรู้การพัฒนาตำบลเข้มแข็ง ประจำปี 2566

ผู้จัด: สำนักพัฒนานวัตกรรมชุมชนจัดการความรู้และสื่อสาร ร่วมกับสำนักเลขานุการยุทธศาสตร์ชุมชนเข้มแข็ง และสำนักงานภาคกรุงเทพปริมณฑลและตะวันออก
ภาคีวิชาการ: วิทยาลัยพัฒนศาสตร์ ป๋วยอึ๊งกาภรณ์ นำการประชุมกลุ่มย่อย (Focus Group) กับแกนนำในพื้นที่
ผู้เข้าร่วม: 25 คน

## กรอบการแลกเปลี่ยน 5 ส่วน
1) ข้อมูลทั่วไปของชุมชน: ประวัติ ประเพณี วัฒนธรรม ความโดดเด่น ภูมิปัญญา
2) โครงการและกิจกรรมของพื้นที่ และปัญหาที่สำคัญที่สุดของชุมชน
3) กลไกการขับเคลื่อนชุมชนเข้มแข็ง ปัจจัยความสำเร็จ อุปสรรคและวิธีแก้ไข
4) เครือข่าย หน่วยงาน สถาบัน และบุคคลที่เข้ามาสนับสนุน
5) ศักยภาพ ภาพฝันในอนาคต จุดเด่น จุดอ่อน และแผนพัฒนาชุมชนร่วมกัน

## ประเด็นที่คณะกรรมการสภาองค์กรชุมชนเขตธนบุรีเล่า
ช่วงโรคระบาด Covid-19 ปี 2563 ชุมชนกึ่งเมืองของเขตธนบุรีรวมกลุ่มกันได้มากขึ้น วิกฤตจึงกลายเป็นโอกาส ความร่วมมือขยายไปถึง 43 ชุมชน และทำงานบูรณาการกับเครือข่าย 30 เครือข่าย
กองทุนสวัสดิการชุมชนเขตธนบุรีช่วยสมาชิกได้ทันที แม้วงเงินไม่มากแต่ช่วยชาวบ้านได้มาก ชุมชนร่วมกันจัดทำธรรมนูญเฝ้าระวังและป้องกัน Covid-19
Thai PBS มาถ่ายทำรายการในพื้นที่ และ WHO มาศึกษาดูงาน
ทีมสภาองค์กรชุมชนและกองทุนสวัสดิการชุมชนทำหน้าที่ด่านหน้าช่วยเหลือสมาชิก และไม่มีใครในทีมติด Covid-19

## คุณลักษณะของแกนนำ
ทำงานเป็นทีม ทำงานตามแผน มีแผนรองรับสถานการณ์ฉุกเฉิน สร้างความเชื่อมั่น มีน้ำใจ เสียสละ ตั้งมั่นและไม่ท้อถอย

## SWOT รายชุมชน
ผู้เข้าร่วมวิเคราะห์ SWOT ของชุมชนบางไส้ไก่ ชุมชนสะพานยาว และชุมชนเกื้อวิทยา

## ขั้นต่อไป
จัดเวทีคืนข้อมูลแก่ชุมชน
";

/// Who coded the demo's passages: the rian project, reading the notes above.
pub const DEMO_CODER: &str = "ตัวอย่าง rian (demo)";

/// Passages of the notes coded under the five-part framework, so that the demo's matrix,
/// report and search have evidence to show: (code key, passage as written above).
const DEMO_CODINGS: &[(&str, &str)] = &[
    ("2.2", "ช่วงโรคระบาด Covid-19 ปี 2563"),
    (
        "3.2",
        "ชุมชนกึ่งเมืองของเขตธนบุรีรวมกลุ่มกันได้มากขึ้น วิกฤตจึงกลายเป็นโอกาส",
    ),
    (
        "4.1",
        "ความร่วมมือขยายไปถึง 43 ชุมชน และทำงานบูรณาการกับเครือข่าย 30 เครือข่าย",
    ),
    (
        "3.1",
        "กองทุนสวัสดิการชุมชนเขตธนบุรีช่วยสมาชิกได้ทันที แม้วงเงินไม่มากแต่ช่วยชาวบ้านได้มาก",
    ),
    ("2.1", "ชุมชนร่วมกันจัดทำธรรมนูญเฝ้าระวังและป้องกัน Covid-19"),
    ("1.3", "Thai PBS มาถ่ายทำรายการในพื้นที่ และ WHO มาศึกษาดูงาน"),
    (
        "3.2",
        "ทีมสภาองค์กรชุมชนและกองทุนสวัสดิการชุมชนทำหน้าที่ด่านหน้าช่วยเหลือสมาชิก",
    ),
    (
        "traits",
        "ทำงานเป็นทีม ทำงานตามแผน มีแผนรองรับสถานการณ์ฉุกเฉิน สร้างความเชื่อมั่น มีน้ำใจ เสียสละ ตั้งมั่นและไม่ท้อถอย",
    ),
    (
        "4.2",
        "วิทยาลัยพัฒนศาสตร์ ป๋วยอึ๊งกาภรณ์ นำการประชุมกลุ่มย่อย (Focus Group) กับแกนนำในพื้นที่",
    ),
    ("5.3", "จัดเวทีคืนข้อมูลแก่ชุมชน"),
];

/// What loading the demo did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoLoad {
    pub study_id: i64,
    /// False if the store already held the demo study, which is then left as it is.
    pub created: bool,
}

/// Loads the demo study unless the store already has it. One transaction.
pub async fn load_demo(store: &Store) -> Result<DemoLoad> {
    if let Some(study) = store.study_by_slug(DEMO_STUDY_SLUG).await? {
        return Ok(DemoLoad {
            study_id: study.id,
            created: false,
        });
    }
    let mut tx = store.begin().await?;
    let study_id = write_demo(&mut tx).await?;
    tx.commit().await?;
    Ok(DemoLoad {
        study_id,
        created: true,
    })
}

/// The study frame's sites, in the study's order.
pub fn study_2566_sites() -> Result<Vec<Site>> {
    let mut sites = Vec::new();
    for line in SITES_CSV.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.splitn(7, ',').collect();
        let [order, name, level, code, district, province, _note] = cols[..] else {
            return Err(Error::Corrupt(format!("site list: {line}")));
        };
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        sites.push(Site {
            id: 0,
            study_id: 0,
            position: order
                .parse()
                .map_err(|_| Error::Corrupt(format!("site list: {line}")))?,
            name_th: name.to_string(),
            level: level.parse()?,
            district_th: opt(district),
            province_th: province.to_string(),
            admin_code: opt(code),
            lat: None,
            lon: None,
            fictional: false,
        });
    }
    Ok(sites)
}

async fn write_demo(tx: &mut Tx) -> Result<i64> {
    let (study_id, codes) = create_study_with_codes(
        tx,
        &Study {
            id: 0,
            slug: DEMO_STUDY_SLUG.into(),
            name_th: "โครงการศึกษาเพื่อถอดองค์ความรู้การพัฒนาตำบลเข้มแข็ง ประจำปี 2566".into(),
            name_en: Some(
                "Study to draw out the knowledge of strong tambon development, fiscal year 2566"
                    .into(),
            ),
            fiscal_year_be: 2566,
            framework: "five_part".into(),
        },
    )
    .await?;

    let mut thonburi = None;
    for mut site in study_2566_sites()? {
        site.study_id = study_id;
        let id = tx.insert_site(&site).await?;
        if site.admin_code.as_deref() == Some("1015") {
            thonburi = Some(id);
        }
    }
    let thonburi = thonburi.ok_or_else(|| Error::Corrupt("site list has no Thonburi".into()))?;

    for name in ["ชุมชนบางไส้ไก่", "ชุมชนสะพานยาว", "ชุมชนเกื้อวิทยา"]
    {
        tx.insert_community(&Community {
            id: 0,
            site_id: thonburi,
            name_th: name.into(),
            note: None,
        })
        .await?;
    }

    let forum_id = tx
        .insert_forum(&Forum {
            id: 0,
            site_id: thonburi,
            kind: ForumKind::LessonsLearned,
            status: ForumStatus::Held,
            title: Some("เวทีสรุปบทเรียนการพัฒนาตำบลต้นแบบมิติคนมีคุณภาพ เขตธนบุรี".into()),
            date: IsoDate::new(2023, 3, 31),
            date_end: None,
            venue: Some("ที่ทำการสภาองค์กรชุมชนเขตธนบุรี กรุงเทพมหานคร".into()),
            participants: Some(25),
            reviewed_at: None,
            reviewed_by: None,
        })
        .await?;
    let parties = [
        (
            PartyRole::Organizer,
            "สำนักพัฒนานวัตกรรมชุมชนจัดการความรู้และสื่อสาร",
        ),
        (PartyRole::Organizer, "สำนักเลขานุการยุทธศาสตร์ชุมชนเข้มแข็ง"),
        (PartyRole::Organizer, "สำนักงานภาคกรุงเทพปริมณฑลและตะวันออก"),
        (PartyRole::Academic, "วิทยาลัยพัฒนศาสตร์ ป๋วยอึ๊งกาภรณ์"),
        (PartyRole::Host, "สภาองค์กรชุมชนเขตธนบุรี"),
    ];
    for (role, name) in parties {
        tx.insert_forum_party(&ForumParty {
            id: 0,
            forum_id,
            role,
            name: name.into(),
        })
        .await?;
    }
    let text = crate::thai::normalize(THONBURI_NOTES);
    let document_id = tx
        .insert_document(&Document {
            id: 0,
            forum_id,
            title: "บันทึกเวทีสรุปบทเรียน สภาองค์กรชุมชนเขตธนบุรี".into(),
            source_name: Some("thonburi-2566-notes.md".into()),
            media_type: "text/markdown".into(),
            original: THONBURI_NOTES.as_bytes().to_vec(),
            text: text.clone(),
            content_hash: content_hash(THONBURI_NOTES.as_bytes()),
        })
        .await?;
    for (key, passage) in DEMO_CODINGS {
        let code_id = *codes
            .get(key)
            .ok_or_else(|| Error::Corrupt(format!("demo coding: no code {key}")))?;
        let passage = crate::thai::normalize(passage);
        let at = text
            .find(&passage)
            .ok_or_else(|| Error::Corrupt(format!("demo coding: no passage {passage}")))?;
        let start = text[..at].chars().count() as i64;
        tx.insert_coding(&Coding {
            id: 0,
            document_id,
            code_id,
            span: Span {
                start,
                end: start + passage.chars().count() as i64,
            },
            coder: DEMO_CODER.into(),
            status: CodingStatus::Accepted,
            memo: None,
            cue: None,
        })
        .await?;
    }

    // The write-up says a data-return forum is still to come; no date was given.
    tx.insert_forum(&Forum {
        id: 0,
        site_id: thonburi,
        kind: ForumKind::DataReturn,
        status: ForumStatus::Planned,
        title: Some("เวทีคืนข้อมูลแก่ชุมชน เขตธนบุรี".into()),
        date: None,
        date_end: None,
        venue: None,
        participants: None,
        reviewed_at: None,
        reviewed_by: None,
    })
    .await?;

    let actors = [
        ("กองทุนสวัสดิการชุมชนเขตธนบุรี", ActorKind::Fund, TieKind::Support),
        ("Thai PBS", ActorKind::Media, TieKind::Media),
        ("WHO", ActorKind::International, TieKind::StudyVisit),
        (
            "วิทยาลัยพัฒนศาสตร์ ป๋วยอึ๊งกาภรณ์",
            ActorKind::Academic,
            TieKind::Academic,
        ),
    ];
    for (name, kind, tie) in actors {
        let actor_id = tx
            .insert_actor(&Actor {
                id: 0,
                study_id,
                name: name.into(),
                kind,
            })
            .await?;
        tx.insert_tie(&Tie {
            id: 0,
            actor_id,
            site_id: thonburi,
            kind: tie,
            note: None,
            document_id: None,
            span: None,
        })
        .await?;
    }
    Ok(study_id)
}
