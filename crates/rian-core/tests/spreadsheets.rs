//! Spreadsheets both ways and the Kobo/ODK field form: the demo study's tables written
//! as XLSX and read back with calamine (Thai headers and values intact, numbers as
//! numbers, formulas never), CSV with a BOM; sites and forum schedules imported from
//! sheets, whole or refused by row; the form's submissions completing scheduled forums.

use rian_core::demo::load_demo;
use rian_core::edit;
use rian_core::exchange::field_form;
use rian_core::exchange::schedule::{self, SitesFor};
use rian_core::exchange::sheets::{self, Sheet};
use rian_core::exchange::tables;
use rian_core::model::*;
use rian_core::store::Store;

async fn store(dir: &std::path::Path) -> Store {
    Store::open(&rian_core::store::scratch_location(dir).await.unwrap())
        .await
        .unwrap()
}

fn sheet(rows: &[&[&str]]) -> Sheet {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    // Through a real XLSX file and back, as a user's workbook would come.
    let bytes = rian_core::export::xlsx_text(&[("Sheet1", &rows)]).unwrap();
    sheets::read_xlsx(&bytes, None).unwrap()
}

#[tokio::test]
async fn the_demo_tables_open_back_from_xlsx_with_thai_headers_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let demo = load_demo(&store).await.unwrap();
    // A SWOT item a spreadsheet would run as a formula, were it written as one.
    let site = store.find_site("1015").await.unwrap();
    let community = store.communities(site.id).await.unwrap()[0].clone();
    edit::create(
        &store,
        "test",
        Record::SwotItem(SwotItem {
            id: 0,
            community_id: community.id,
            quadrant: Quadrant::Threat,
            text: "=HYPERLINK(\"http://evil.example\")".into(),
            position: 99,
            document_id: None,
            span: None,
        }),
    )
    .await
    .unwrap();

    let all = tables::study_tables(&store, demo.study_id, false)
        .await
        .unwrap();
    let names: Vec<&str> = all.iter().map(|t| t.name).collect();
    assert_eq!(names, &tables::TABLES[..7], "no attendees without asking");
    let bytes = tables::workbook(&all).unwrap();
    for t in &all {
        let back = sheets::read_xlsx(&bytes, Some(t.title)).unwrap();
        assert_eq!(back.header(), t.rows[0], "{}", t.name);
        assert_eq!(back.body().len() + 1, t.rows.len(), "{}", t.name);
    }

    let forums = sheets::read_xlsx(&bytes, Some("เวที")).unwrap();
    assert_eq!(forums.header()[..3], ["พื้นที่", "จังหวัด", "ประเภทเวที"]);
    let thonburi = &forums.body()[0].1;
    assert_eq!(thonburi[0], "เขตธนบุรี");
    assert_eq!(
        thonburi[5], "31 มีนาคม 2566",
        "dates read in the Buddhist Era"
    );
    assert_eq!(thonburi[6], "2023-03-31");
    assert_eq!(thonburi[9], "25", "a count stays a number");

    let codings = sheets::read_xlsx(&bytes, Some("การลงรหัส")).unwrap();
    assert_eq!(codings.body().len(), 10, "the demo's ten coded passages");
    let success: Vec<&Vec<String>> = codings
        .body()
        .iter()
        .map(|(_, r)| r)
        .filter(|r| r[4] == "3.2")
        .collect();
    assert_eq!(success.len(), 2);
    assert_eq!(success[0][5], "3 กลไกและการขับเคลื่อน › 3.2 ปัจจัยความสำเร็จ");
    // The quote is the document's own words at the span.
    let doc = store
        .documents(store.forums(Some(site.id)).await.unwrap()[0].id)
        .await
        .unwrap()
        .remove(0);
    let (start, end): (usize, usize) = (
        success[0][7].parse().unwrap(),
        success[0][8].parse().unwrap(),
    );
    let quote: String = doc.text.chars().skip(start).take(end - start).collect();
    assert_eq!(success[0][6], quote);

    // In the workbook the formula is text; in the CSV it is guarded by a quote mark.
    let swot = sheets::read_xlsx(&bytes, Some("SWOT")).unwrap();
    assert!(
        swot.body()
            .iter()
            .any(|(_, r)| r[3] == "=HYPERLINK(\"http://evil.example\")")
    );
    let swot_table = all.iter().find(|t| t.name == "swot").unwrap();
    let csv = rian_core::export::csv(&swot_table.rows);
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("'=HYPERLINK"), "{csv}");

    // Attendees only when asked for.
    let forum = store.forums(Some(site.id)).await.unwrap()[0].id;
    let mut tx = store.begin().await.unwrap();
    tx.insert_attendee(&Attendee {
        id: 0,
        forum_id: forum,
        name: "นางสมศรี ใจดี".into(),
        phone: Some("081-234-5678".into()),
        role: Some("แกนนำ".into()),
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let plain = tables::workbook(
        &tables::study_tables(&store, demo.study_id, false)
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(sheets::read_xlsx(&plain, Some("ผู้เข้าร่วม")).is_err());
    let personal = tables::workbook(
        &tables::study_tables(&store, demo.study_id, true)
            .await
            .unwrap(),
    )
    .unwrap();
    let people = sheets::read_xlsx(&personal, Some("ผู้เข้าร่วม")).unwrap();
    assert_eq!(people.body()[0].1[2], "นางสมศรี ใจดี");
    assert_eq!(people.body()[0].1[3], "081-234-5678");
}

#[tokio::test]
async fn sites_and_a_schedule_come_in_from_sheets_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let study = Study {
        id: 0,
        slug: "nan-2567".into(),
        name_th: "ถอดบทเรียน 2567".into(),
        name_en: None,
        fiscal_year_be: 2567,
        framework: "five_part".into(),
    };
    // A bad row refuses the file: no study, no site.
    let bad = sheet(&[&["ตำบล", "จังหวัด"], &["พระแท่น", "กาญจนบุรี"], &["ที่ไม่มีจริง", ""]]);
    let e = schedule::import_sites(&store, SitesFor::NewStudy(study.clone()), &bad)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("แถวที่ 3:") && e.contains(" / row 3:"), "{e}");
    assert!(store.studies().await.unwrap().is_empty());

    // English headers in another order, a code instead of a name's district.
    let sites = sheet(&[
        &["Province", "Site", "Code"],
        &["กาญจนบุรี", "ต.พระแท่น", ""],
        &["กรุงเทพฯ", "ดาวคะนอง", ""],
        &["", "นาทอน", "910602"],
    ]);
    let (study_id, done) = schedule::import_sites(&store, SitesFor::NewStudy(study), &sites)
        .await
        .unwrap();
    assert_eq!(done.added, 3);
    let got = store.study_sites(study_id).await.unwrap();
    let names: Vec<String> = got.iter().map(|s| s.display_name()).collect();
    assert_eq!(names, ["ต.พระแท่น", "แขวงดาวคะนอง", "ต.นาทอน"]);
    assert_eq!(got[2].province_th, "สตูล");
    assert_eq!(
        store.codes(study_id).await.unwrap().len(),
        27,
        "the default codebook"
    );
    // Again: nothing added, and said so.
    let (_, again) = schedule::import_sites(&store, SitesFor::Study(study_id), &sites)
        .await
        .unwrap();
    assert_eq!((again.added, again.unchanged), (0, 3));

    let schedule_sheet = sheet(&[
        &["พื้นที่", "ประเภทเวที", "วันที่", "สถานที่", "ผู้เข้าร่วม (คน)"],
        &[
            "พระแท่น",
            "เวทีสรุปบทเรียน",
            "31 มีนาคม 2567",
            "ศาลาประชาคม",
            "40",
        ],
        &["นาทอน", "focus group", "2567-04-02", "", ""],
    ]);
    let done = schedule::import_forums(&store, study_id, &schedule_sheet)
        .await
        .unwrap();
    assert_eq!(done.added, 2);
    let forums = store.study_forums(study_id).await.unwrap();
    let first = forums.iter().find(|f| f.participants == Some(40)).unwrap();
    assert_eq!(first.date.unwrap().to_string(), "2024-03-31");
    assert_eq!(first.status, ForumStatus::Planned);
    let second = forums
        .iter()
        .find(|f| f.kind == ForumKind::FocusGroup)
        .unwrap();
    assert_eq!(
        second.date.unwrap().to_string(),
        "2024-04-02",
        "a BE ISO date"
    );

    for (rows, says) in [
        (
            &[&["พื้นที่", "วันที่"][..], &["พระแท่น", "31 กุมภาพันธ์ 2567"]][..],
            "31 กุมภาพันธ์ 2567",
        ),
        (&[&["พื้นที่", "ผู้เข้าร่วม"][..], &["พระแท่น", "-5"]][..], "-5"),
        (&[&["พื้นที่"][..], &["เชียงใหม่"]][..], "เชียงใหม่"),
        (&[&["วันที่"][..], &["2024-01-01"]][..], "header"),
    ] {
        let e = schedule::import_forums(&store, study_id, &sheet(rows))
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains(says), "{e}");
    }
    assert_eq!(
        store.study_forums(study_id).await.unwrap().len(),
        2,
        "nothing written"
    );
}

#[tokio::test]
async fn field_form_submissions_complete_scheduled_forums_and_bring_notes() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let demo = load_demo(&store).await.unwrap();
    let study = store.study(demo.study_id).await.unwrap();
    let sites = store.study_sites(study.id).await.unwrap();

    let form = field_form::form_sheets(&study, &sites);
    let names: Vec<&str> = form.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["survey", "choices", "settings"]);
    let survey = &form[0].1;
    assert_eq!(
        survey[0][..4],
        ["type", "name", "label::Thai (th)", "label::English (en)"]
    );
    assert!(
        survey
            .iter()
            .any(|r| r[0] == "select_one site" && r[4] == "yes")
    );
    let choices = &form[1].1;
    let phra_thaen = sites.iter().find(|s| s.name_th == "พระแท่น").unwrap();
    let code = phra_thaen.admin_code.clone().unwrap();
    assert!(
        choices
            .iter()
            .any(|r| r[0] == "site" && r[1] == format!("site_{code}"))
    );
    // Choice names stay text in the file (a code is not turned into a number).
    let bytes = field_form::form_xlsx(&study, &sites).unwrap();
    let back = sheets::read_xlsx(&bytes, Some("choices")).unwrap();
    assert!(
        back.body()
            .iter()
            .any(|(_, r)| r[1] == format!("site_{code}"))
    );

    // A planned forum at Phra Thaen, as a schedule would hold it.
    let planned = edit::create(
        &store,
        "test",
        Record::Forum(Forum {
            id: 0,
            site_id: phra_thaen.id,
            kind: ForumKind::DataReturn,
            status: ForumStatus::Planned,
            title: None,
            date: IsoDate::parse("2024-05-10"),
            date_end: None,
            venue: None,
            participants: Some(30),
            reviewed_at: None,
            reviewed_by: None,
        }),
    )
    .await
    .unwrap();
    let before = store.study_forums(study.id).await.unwrap().len();
    // A Kobo export with group paths, the label of one column, a submission id.
    let choice = format!("site_{code}");
    let export = sheet(&[
        &[
            "start",
            "forum/site",
            "forum/kind",
            "forum/date",
            "ผู้เข้าร่วมทั้งหมด (คน)",
            "forum/women",
            "forum/men",
            "forum/notes",
            "_uuid",
        ],
        &[
            "2024-05-10T09:00:00+07:00",
            &choice,
            "data_return",
            "2024-05-10",
            "35",
            "20",
            "15",
            "ชุมชนตรวจข้อมูลและขอแก้ชื่อกองทุน",
            "uuid-1",
        ],
        &[
            "",
            &choice,
            "เวทีวางแผน",
            "2024-06-01",
            "",
            "",
            "",
            "",
            "uuid-2",
        ],
    ]);
    let done = field_form::import_submissions(&store, study.id, &export)
        .await
        .unwrap();
    assert_eq!(
        (done.forums_added, done.forums_completed, done.documents),
        (1, 1, 1)
    );
    let forum = store.forum(planned).await.unwrap();
    assert_eq!(forum.status, ForumStatus::Held);
    assert_eq!(
        forum.participants,
        Some(35),
        "the field count replaces the plan's"
    );
    let doc = &store.documents(planned).await.unwrap()[0];
    assert!(doc.text.contains("ชุมชนตรวจข้อมูลและขอแก้ชื่อกองทุน"));
    assert!(doc.text.contains("ผู้เข้าร่วม 35 คน (หญิง 20 คน ชาย 15 คน)"));
    assert_eq!(
        store.study_forums(study.id).await.unwrap().len(),
        before + 1
    );

    // The same export again adds nothing.
    let again = field_form::import_submissions(&store, study.id, &export)
        .await
        .unwrap();
    assert_eq!(
        (again.forums_added, again.forums_completed, again.documents),
        (0, 0, 0)
    );
    assert_eq!(again.notices.len(), 1);

    // A row that does not add up refuses the whole file.
    let bad = sheet(&[
        &["site", "date", "participants", "women", "men"],
        &[&choice, "2024-07-01", "10", "8", "7"],
    ]);
    let e = field_form::import_submissions(&store, study.id, &bad)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("แถวที่ 2"), "{e}");
    let other = sheet(&[&["site", "date"], &["site_999999", "2024-07-01"]]);
    assert!(
        field_form::import_submissions(&store, study.id, &other)
            .await
            .is_err()
    );
    assert_eq!(
        store.study_forums(study.id).await.unwrap().len(),
        before + 1
    );
}
