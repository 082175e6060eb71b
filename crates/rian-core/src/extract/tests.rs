use super::*;

/// The project's shared folder, beside the repository (where CI puts it).
fn shared() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("RIAN_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
        });
    dir.join("seed/forum-thonburi-2566.txt")
        .exists()
        .then_some(dir)
}

#[test]
fn the_seed_matches_its_example_on_every_field() {
    let Some(shared) = shared() else {
        eprintln!("shared/ not beside the repository: seed example not checked");
        return;
    };
    let raw = std::fs::read(shared.join("examples/00.txt")).unwrap();
    let text = crate::thai::normalize_bytes(&raw).unwrap().text;
    let x = extract(&text);
    let d = IsoDate::parse;
    assert_eq!(x.title, None);
    assert_eq!(x.event_date, d("2023-03-31"));
    assert_eq!(x.event_date_end, None);
    assert_eq!(x.participants, Some(25));
    assert_eq!(
        x.venue.as_deref(),
        Some("ที่ทำการสภาองค์กรชุมชนเขตธนบุรี กรุงเทพมหานคร")
    );
    assert_eq!(
        x.provinces,
        [
            "กรุงเทพมหานคร",
            "กาญจนบุรี",
            "พิษณุโลก",
            "มหาสารคาม",
            "สระแก้ว",
            "สตูล",
            "ปัตตานี"
        ]
    );
    assert_eq!(
        x.tambons,
        [
            "ธนบุรี",
            "พระแท่น",
            "หนองบัว",
            "ท้อแท้",
            "ท่าหมื่นราม",
            "ดงใหญ่",
            "เขื่อน",
            "คลองหินปูน",
            "นาทอน",
            "ตะลุบัน"
        ]
    );
    // Each study site is told apart from others of its name by the province after it.
    assert_eq!(x.tambon_codes["หนองบัว"], "710106");
    assert_eq!(x.tambon_codes["ดงใหญ่"], "440904");
    assert_eq!(x.tambon_codes["ตะลุบัน"], "940701");
    assert_eq!(x.tambon_codes["ธนบุรี"], "1015");
    let mut orgs = x.organizations.clone();
    orgs.sort();
    let mut want = vec![
        "สภาองค์กรชุมชนเขตธนบุรี",
        "สำนักพัฒนานวัตกรรมชุมชนจัดการความรู้และสื่อสาร",
        "สำนักเลขานุการยุทธศาสตร์ชุมชนเข้มแข็ง",
        "สำนักงานภาคกรุงเทพปริมณฑลและตะวันออก",
        "วิทยาลัยพัฒนศาสตร์ ป๋วยอึ๊งกาภรณ์",
        "คณะกรรมการสภาองค์กรชุมชนเขตธนบุรี",
        "กองทุนสวัสดิการชุมชนเขตธนบุรี",
        "Thai PBS",
        "WHO",
    ];
    want.sort();
    assert_eq!(orgs, want);
    assert_eq!(x.numbered_lists.len(), 2);
    assert_eq!(x.numbered_lists[0].len(), 5);
    assert_eq!(
        x.numbered_lists[0][4],
        "ศักยภาพของชุมชนและภาพฝันในอนาคต จุดเด่นของชุมชน ชุมชนมีจุดอ่อนอะไร การจัดทำแผนพัฒนาชุมชนร่วมกัน"
    );
    assert_eq!(x.numbered_lists[1].len(), 10);
    assert_eq!(x.numbered_lists[1][0], "เขตธนบุรี กรุงเทพฯ");
    assert_eq!(x.numbered_lists[1][9], "ต.ตะลุบัน จ.ปัตตานี");
    let figures: Vec<(Number, &str)> = x
        .figures
        .iter()
        .map(|f| (f.value, f.unit.as_str()))
        .collect();
    assert_eq!(
        figures,
        [
            (Number::Whole(25), "คน"),
            (Number::Whole(5), "ส่วน"),
            (Number::Whole(43), "ชุมชน"),
            (Number::Whole(30), "เครือข่าย"),
            (Number::Whole(10), "ตำบล"),
        ]
    );
    assert_eq!(x.figures[0].text, "มีผู้เข้าร่วมจำนวน 25 คน");
    // Every value points back at text that says it.
    let chars: Vec<char> = text.chars().collect();
    let at = |s: &Span| {
        chars[s.start as usize..s.end as usize]
            .iter()
            .collect::<String>()
    };
    assert_eq!(at(&x.evidence.event_date[0]), "วันศุกร์ที่ 31 มีนาคม 2566");
    assert_eq!(at(&x.evidence.participants[0]), "25 คน");
    assert_eq!(at(&x.evidence.provinces["สตูล"][0]), "จ.สตูล");
    assert_eq!(at(&x.evidence.tambons["นาทอน"][0]), "ต.นาทอน");
    assert!(
        x.sections
            .iter()
            .any(|s| s.part == Part::Traits && s.cue == "คุณลักษณะ")
    );
    assert!(
        x.sections
            .iter()
            .any(|s| s.part == Part::Swot && s.text.contains("SWOT"))
    );
}

#[test]
fn reads_a_fictional_write_up() {
    // A made-up forum, written for this test.
    let text = "ข่าวประชาสัมพันธ์ เผยแพร่เมื่อ 10 เมษายน 2567\n\
        เมื่อวันที่ 4 – 5 เมษายน 2567 ณ ศาลาประชาคมหมู่ 3 ต.บ้านใหม่ อ.เมืองตัวอย่าง จังหวัดสตูล \
        องค์การบริหารส่วนตำบลบ้านใหม่ ร่วมกับ พอช. และมหาวิทยาลัยสงขลานครินทร์ จัดเวทีคืนข้อมูล \
        มีผู้เข้าร่วมกว่า 60 คน จาก 12 หมู่บ้าน กองทุนมีเงินออม 1.5 ล้านบาท\n\
        ผลการวิเคราะห์ (1) จุดแข็ง มีแกนนำเข้มแข็ง (2) จุดอ่อน ขาดงบประมาณ (3) โอกาส มีภาคีสนับสนุน";
    let x = extract(text);
    assert_eq!(
        x.title.as_deref(),
        None,
        "the first line is a dateline, not a title"
    );
    assert_eq!(x.event_date, IsoDate::parse("2024-04-04"));
    assert_eq!(x.event_date_end, IsoDate::parse("2024-04-05"));
    assert_eq!(x.participants, Some(60));
    assert_eq!(x.provinces, ["สตูล"]);
    assert!(
        x.organizations.contains(&"พอช.".to_string()),
        "{:?}",
        x.organizations
    );
    assert!(
        x.organizations
            .contains(&"มหาวิทยาลัยสงขลานครินทร์".to_string()),
        "{:?}",
        x.organizations
    );
    assert_eq!(
        x.numbered_lists,
        [[
            "จุดแข็ง มีแกนนำเข้มแข็ง",
            "จุดอ่อน ขาดงบประมาณ",
            "โอกาส มีภาคีสนับสนุน"
        ]]
    );
    let money = x.figures.iter().find(|f| f.unit == "บาท").unwrap();
    assert_eq!(money.value, Number::Whole(1_500_000));
}

#[test]
fn unknown_is_none() {
    let x = extract("ชาวบ้านช่วยกันปลูกต้นไม้ริมคลอง");
    assert_eq!(x.event_date, None);
    assert_eq!(x.participants, None);
    assert_eq!(x.venue, None);
    assert!(x.provinces.is_empty() && x.tambons.is_empty() && x.organizations.is_empty());
}

#[test]
fn every_own_test_case_is_right_on_every_field() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/extract-cases");
    let mut cases = 0;
    let mut scores = eval::Scores::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    entries.sort();
    for txt in entries {
        let expected: eval::Expected =
            serde_json::from_str(&std::fs::read_to_string(txt.with_extension("json")).unwrap())
                .unwrap();
        let got = extract(&crate::thai::normalize(
            &std::fs::read_to_string(&txt).unwrap(),
        ));
        let mut one = eval::Scores::new();
        eval::score(&mut one, &expected, &got);
        for (field, s) in &one {
            assert_eq!(s.right, s.cases, "{}: {field}: {got:#?}", txt.display());
        }
        eval::score(&mut scores, &expected, &got);
        cases += 1;
    }
    assert!(cases >= 4);
    assert!(eval::table(&scores, cases).contains("organizations"));
}
