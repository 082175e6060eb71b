//! The `rian` binary end to end, as a user runs it: each test gets its own folder and a
//! command pointed at the built binary and that folder's study store.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Output, Stdio};

#[test]
fn every_command_has_help() {
    let w = Workspace::new();
    for cmd in [
        vec!["--help"],
        vec!["init", "--help"],
        vec!["import", "--help"],
        vec!["sites", "--help"],
        vec!["forums", "--help"],
        vec!["serve", "--help"],
        vec!["search", "--help"],
        vec!["concordance", "--help"],
        vec!["reindex", "--help"],
        vec!["migrate", "--help"],
        vec!["copy", "--help"],
        vec!["export", "--help"],
        vec!["import-project", "--help"],
        vec!["import-sites", "--help"],
        vec!["import-forums", "--help"],
        vec!["form", "--help"],
        vec!["import-submissions", "--help"],
        vec!["agreement", "--help"],
    ] {
        let out = w.ok(&cmd);
        assert!(out.contains("Usage: rian"), "{cmd:?}: {out}");
    }
    assert!(!w.data_dir().exists(), "help must not create a store");
}

#[test]
fn usage_errors_exit_2() {
    let w = Workspace::new();
    for args in [
        vec!["frobnicate"],
        vec!["import", "notes.txt"],
        vec!["import", "notes.txt", "--site", "1015", "--kind", "party"],
        vec!["serve", "--addr", "not-an-address"],
    ] {
        assert_eq!(w.run(&args).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn reading_commands_refuse_a_missing_store_and_create_nothing() {
    let w = Workspace::new();
    let err = w.refused(&["sites"]);
    assert!(err.contains("rian init"), "{err}");
    assert!(!w.data_dir().exists());
}

#[test]
fn an_unreachable_server_is_said_in_one_line_without_its_password() {
    let w = Workspace::new();
    // Nothing listens on port 1.
    let err = w.refused(&["--db", "postgres://rian:secret@127.0.0.1:1/rian", "init"]);
    assert!(err.contains("PostgreSQL"), "{err}");
    assert!(!err.contains("secret"), "{err}");
    let err = w.refused(&["--db", "mysql://localhost/x", "sites"]);
    assert!(err.contains("sqlite://"), "{err}");
}

#[test]
fn demo_loads_once_and_lists_the_ten_sites() {
    let w = Workspace::new();
    assert!(w.ok(&["init", "--demo"]).contains("demo study loaded"));
    assert!(w.ok(&["init", "--demo"]).contains("already present"));
    let sites = w.json(&["sites", "--json"]);
    assert_eq!(sites.len(), 10);
    assert_eq!(sites[0]["site"]["name_th"], "ธนบุรี");
    assert_eq!(sites[0]["site"]["admin_code"], "1015");
    assert_eq!(sites[0]["status"], "coded");
    assert_eq!(sites[9]["site"]["name_th"], "ตะลุบัน");
    let table = w.ok(&["sites"]);
    assert!(
        table.contains("ต.ท่าหมื่นราม") && table.contains("วังทอง"),
        "{table}"
    );

    let forums = w.ok(&["forums", "--site", "ธนบุรี"]);
    assert!(forums.contains("31 มีนาคม 2566"), "{forums}");
    // The same store, named by URL instead of folder.
    let url = format!("sqlite://{}", s(&w.data_dir().join("rian.sqlite")));
    assert_eq!(w.json(&["--db", &url, "sites", "--json"]).len(), 10);
}

#[test]
fn import_stores_a_document_and_bad_input_writes_nothing() {
    let w = Workspace::new();
    w.ok(&["init", "--demo"]);
    let notes = w.write("เวทีพระแท่น.txt", "บันทึกเวที\r\nตำบลพระแท่น".as_bytes());
    let out = w.ok(&[
        "import",
        s(&notes),
        "--site",
        "710512",
        "--date",
        "2023-06-15",
    ]);
    assert!(out.contains("ต.พระแท่น จ.กาญจนบุรี"), "{out}");
    let forums = w.json(&["forums", "--site", "พระแท่น", "--json"]);
    assert_eq!(forums.len(), 1);
    assert_eq!(forums[0]["date"], "2023-06-15");
    // The first line reads as the write-up's headline.
    assert_eq!(forums[0]["title"], "บันทึกเวที");
    let listed = w.ok(&["forums", "--site", "710512"]);
    assert!(listed.contains("15 มิถุนายน 2566"), "{listed}");

    // A second document for the same forum.
    let forum_id = forums[0]["id"].as_i64().unwrap().to_string();
    let more = w.write("more.md", "# บันทึกเพิ่มเติม\nข้อความ".as_bytes());
    let out = w.ok(&[
        "import",
        s(&more),
        "--site",
        "ต.พระแท่น",
        "--forum",
        &forum_id,
    ]);
    assert!(out.contains("existing forum"), "{out}");

    let before = w.json(&["forums", "--json"]);
    let empty = w.write("empty.txt", b"  \n");
    let binary = w.write("photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let truncated = w.write("cut.txt", &"ชุมชน".as_bytes()[..14]);
    let docx = w.write("notes.docx", b"PK\x03\x04");
    let missing = w.path("missing.txt");
    for (args, needle) in [
        (
            vec!["import", s(&missing), "--site", "1015"],
            "file not found",
        ),
        (
            vec!["import", s(&notes), "--site", "ไม่มีจริง"],
            "unknown site",
        ),
        (
            vec!["import", s(&binary), "--site", "1015"],
            "not a text file",
        ),
        (
            vec!["import", s(&truncated), "--site", "1015"],
            "invalid UTF-8",
        ),
        (vec!["import", s(&empty), "--site", "1015"], "empty"),
        (
            vec!["import", s(&docx), "--site", "1015"],
            "not a readable .docx",
        ),
        (
            vec![
                "import",
                s(&notes),
                "--site",
                "1015",
                "--date",
                "2023-02-31",
            ],
            "invalid date",
        ),
        (
            vec!["import", s(&notes), "--site", "1015", "--forum", &forum_id],
            "no forum",
        ),
        (
            vec!["import", s(&notes), "--site", "หนองบัว", "--forum", "999"],
            "no forum",
        ),
    ] {
        let err = w.refused(&args);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert_eq!(w.json(&["forums", "--json"]), before, "nothing was written");
}

/// A running `rian serve`, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(w: &Workspace) -> (Server, String) {
    let served = serve_with(w, &["--demo"], Stdio::inherit());
    (served.server, served.addr)
}

/// A running `rian serve ARGS` on a free port, the address it printed, the rest of what it
/// prints, and its stderr when asked for with `Stdio::piped()`.
struct Served {
    server: Server,
    addr: String,
    rest: std::io::Lines<BufReader<std::process::ChildStdout>>,
    stderr: Option<std::process::ChildStderr>,
}

fn serve_with(w: &Workspace, args: &[&str], stderr: Stdio) -> Served {
    let mut command = vec!["serve", "--addr", "127.0.0.1:0"];
    command.extend_from_slice(args);
    let mut child = w
        .cmd(&command)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take();
    let mut rest = BufReader::new(stdout).lines();
    let addr = rest
        .by_ref()
        .map(Result::unwrap)
        .find_map(|l| {
            l.split_once("http://")
                .map(|(_, rest)| rest.trim().to_string())
        })
        .expect("serve prints its URL");
    Served {
        server: Server(child),
        addr,
        rest,
        stderr,
    }
}

fn http_get(addr: &str, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn serve_demo_answers_in_thai_and_reuses_its_store() {
    let w = Workspace::new();
    {
        let (_server, addr) = serve(&w);
        let page = http_get(&addr, "/");
        assert!(page.starts_with("HTTP/1.1 200"), "{page}");
        assert!(page.contains("โครงการศึกษาเพื่อถอดองค์ความรู้การพัฒนาตำบลเข้มแข็ง ประจำปี 2566"));
    }
    assert!(w.data_dir().join("rian.sqlite").exists());
    let (_server, addr) = serve(&w);
    assert!(http_get(&addr, "/sites/1").contains("ชุมชนบางไส้ไก่"));
    // The second run found the demo already there: still one study, ten sites.
    assert_eq!(w.json(&["sites", "--json"]).len(), 10);
}

#[test]
fn segment_marks_word_boundaries_line_by_line() {
    let w = Workspace::new();
    let input = "ชุมชนบางไส้ไก่มีสภาองค์กรชุมชน\nThai PBS มาถ่ายทำ 25 คน\n";
    let file = w.write("in.txt", input.as_bytes());
    let out = w.ok(&["segment", s(&file)]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].contains("|สภาองค์กรชุมชน"), "{out}");
    assert_eq!(lines[1], "Thai| |PBS| |มา|ถ่ายทำ| |25| |คน");
    // Removing the separators gives back the input.
    assert_eq!(out.replace('|', ""), input);
    assert!(!w.data_dir().exists(), "segment needs no study store");

    // Standard input and another separator.
    let mut child = w
        .cmd(&["segment", "-", "--sep", " / "])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("ไปโรงเรียน".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "ไป / โรงเรียน\n");

    let binary = w.write("x.bin", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    assert!(
        w.refused(&["segment", s(&binary)])
            .contains("not a text file")
    );
    assert!(
        w.refused(&["segment", "missing.txt"])
            .contains("file not found")
    );
}

#[test]
fn extract_reads_a_write_up_without_a_store() {
    let w = Workspace::new();
    // A made-up forum, written for this test.
    let text = "เมื่อวันเสาร์ที่ 2 ธันวาคม 2566 ณ ศาลาประชาคม ต.นาทอน อ.ทุ่งหว้า จ.สตูล \
        สภาองค์กรชุมชนตำบลนาทอน ร่วมกับ พอช. จัดเวทีสรุปบทเรียน มีผู้เข้าร่วมประมาณ 40 คน\n";
    let file = w.write("forum.txt", text.as_bytes());
    let out = w.ok(&["extract", s(&file), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["event_date"], "2023-12-02");
    assert_eq!(v["participants"], 40);
    assert_eq!(v["provinces"], serde_json::json!(["สตูล"]));
    assert_eq!(v["tambons"], serde_json::json!(["นาทอน"]));
    assert!(
        v["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o == "พอช."),
        "{out}"
    );
    let summary = w.ok(&["extract", s(&file)]);
    assert!(summary.contains("2 ธันวาคม 2566"), "{summary}");
    assert!(!w.data_dir().exists(), "extract needs no study store");
    assert!(
        w.refused(&["extract", "missing.txt"])
            .contains("file not found")
    );
}

#[test]
fn eval_scores_a_folder_of_answers() {
    let w = Workspace::new();
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rian-core/tests/extract-cases");
    let out = w.ok(&["eval", s(&cases)]);
    assert!(out.contains("write-ups"), "{out}");
    // Every field is right on every one of the project's own cases.
    let scored: Vec<&str> = out.lines().filter(|l| l.contains('/')).collect();
    assert!(scored.len() >= 10, "{out}");
    for line in scored {
        let (right, cases) = line
            .split_whitespace()
            .nth(1)
            .unwrap()
            .split_once('/')
            .unwrap();
        assert_eq!(right, cases, "{line}");
    }
    // A wrong answer shows as a miss.
    let dir = w.path("cases");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("01.txt"), "เมื่อวันที่ 2 ธันวาคม 2566 มีผู้เข้าร่วม 40 คน").unwrap();
    std::fs::write(
        dir.join("01.json"),
        r#"{"event_date": "2023-12-03", "participants": 40}"#,
    )
    .unwrap();
    let out = w.ok(&["eval", s(&dir), "--show"]);
    assert!(out.contains("event_date differs"), "{out}");
    assert!(out.contains("event_date          0/1"), "{out}");
    assert!(out.contains("participants        1/1"), "{out}");
    assert!(
        w.refused(&["eval", s(&w.path("nothing"))])
            .contains("not found")
    );
}

#[test]
fn import_many_files_goes_on_past_a_refused_one() {
    let w = Workspace::new();
    w.ok(&["init", "--demo"]);
    let a = w.write("a.txt", "เมื่อวันที่ 2 ธันวาคม 2566 มีผู้เข้าร่วม 40 คน".as_bytes());
    let b = w.write("b.bin", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let c = w.write("c.md", "# บันทึก\nประวัติชุมชน".as_bytes());
    let out = w.run(&["import", s(&a), s(&b), s(&c), "--site", "นาทอน"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("b.bin") && err.contains("1 of 3 files refused"),
        "{err}"
    );
    let forums = w.json(&["forums", "--site", "นาทอน", "--json"]);
    assert_eq!(forums.len(), 2, "a.txt and c.md, each whole");
    assert_eq!(forums[0]["date"], "2023-12-02");
    assert_eq!(forums[0]["participants"], 40);
    // Again: both recognized, nothing new.
    let again = w.ok(&["import", s(&a), s(&c), "--site", "นาทอน"]);
    assert_eq!(again.matches("already imported").count(), 2, "{again}");
    assert_eq!(w.json(&["forums", "--site", "นาทอน", "--json"]).len(), 2);
}

#[test]
fn search_finds_thai_words_inside_unspaced_text_and_filters() {
    let w = Workspace::new();
    w.ok(&["init", "--demo"]);
    let a = w.write(
        "a.txt",
        "เวทีเมื่อวันที่ 2 ธันวาคม 2566 ชาวบ้านเล่าว่ากองทุนสวัสดิการช่วยผู้ประสบภัยน้ำท่วมได้ทันที".as_bytes(),
    );
    let b = w.write(
        "b.txt",
        "เวทีเมื่อวันที่ 9 มกราคม 2567 แกนนำเล่าเรื่องป่าชุมชนและการปลูกป่าร่วมกับโรงเรียน".as_bytes(),
    );
    w.ok(&["import", s(&a), "--site", "นาทอน"]);
    w.ok(&["import", s(&b), "--site", "710512"]);

    // A word in the middle of a run of Thai with no spaces.
    let out = w.ok(&["search", "น้ำท่วม", "--only", "document"]);
    assert!(out.contains("พบ 1 รายการ"), "{out}");
    assert!(out.contains("«น้ำท่วม»"), "{out}");
    assert!(out.contains("2 ธันวาคม 2566"), "{out}");
    let found = serde_json::from_str::<serde_json::Value>(&w.ok(&[
        "search",
        "ป่า OR น้ำท่วม",
        "--only",
        "document",
        "--json",
    ]))
    .unwrap();
    assert_eq!(found["total"], 2);
    let link = found["hits"][0]["link"].as_str().unwrap();
    assert!(
        link.starts_with("/documents/") && link.contains("?span="),
        "{link}"
    );
    // Filters typed as people write them.
    let nan = serde_json::from_str::<serde_json::Value>(&w.ok(&[
        "search",
        "ป่า OR น้ำท่วม",
        "--province",
        "จ.กาญจนบุรี",
        "--only",
        "document",
        "--json",
    ]))
    .unwrap();
    assert_eq!(nan["total"], 1);
    assert_eq!(nan["hits"][0]["province"], "กาญจนบุรี");
    let year = w.ok(&[
        "search",
        "ป่า OR น้ำท่วม",
        "--from",
        "2567-01-01",
        "--to",
        "2567",
        "--only",
        "document",
    ]);
    assert!(
        year.contains("พบ 1 รายการ") && year.contains("9 มกราคม 2567"),
        "{year}"
    );
    let none = w.ok(&["search", "น้ำท่วม", "--year", "2567"]);
    assert!(none.contains("ไม่พบ"), "{none}");

    // Bad queries and filters: one line, exit 1.
    assert!(w.refused(&["search", "\"ป่า"]).contains("quotation mark"));
    assert!(
        w.refused(&["search", "NOT ป่า"])
            .contains("at least one term")
    );
    assert!(
        w.refused(&["search", "ป่า", "--site", "ไม่มีที่นี่"])
            .contains("unknown site")
    );
    assert!(
        w.refused(&["search", "ป่า", "--from", "2566-13-01"])
            .contains("invalid date")
    );

    // The concordance, as CSV for a spreadsheet.
    let csv = w.ok(&["concordance", "ป่า", "--csv"]);
    assert!(csv.starts_with("\u{FEFF}province,site,"), "{csv}");
    // ป่าชุมชน is one word (community forest): only the ป่า of ปลูกป่า stands alone.
    assert_eq!(csv.lines().count(), 2, "a header and one line: {csv}");
    assert!(csv.contains(",ป่า,"), "{csv}");

    // The index is a cache: deleted, it comes back from the store.
    std::fs::remove_dir_all(w.data_dir().join("rian.index")).unwrap();
    let rebuilt = w.ok(&["reindex"]);
    assert!(rebuilt.contains("search index rebuilt"), "{rebuilt}");
    assert!(
        w.ok(&["search", "น้ำท่วม", "--only", "document"])
            .contains("พบ 1 รายการ")
    );
}

#[test]
fn the_demo_matrix_network_and_map_come_out_as_files() {
    let w = Workspace::new();
    w.ok(&["init", "--demo"]);
    // The demo codes ten passages of the Thonburi notes: parts 1..5 hold 1, 2, 3, 2, 1.
    let csv = w.path("matrix.csv");
    w.ok(&["matrix", "--csv", csv.to_str().unwrap()]);
    let text = std::fs::read_to_string(&csv).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a BOM for Excel");
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("พื้นที่,1 ข้อมูลทั่วไปของชุมชน,"), "{header}");
    let thonburi = lines.next().unwrap();
    let counts: Vec<&str> = thonburi.split(',').skip(1).step_by(2).collect();
    assert_eq!(counts, ["1", "2", "3", "2", "1"], "{thonburi}");
    assert_eq!(lines.count(), 9, "the other nine sites");
    // A column of one code counts only it: two passages under 3.2 ปัจจัยความสำเร็จ.
    let table = w.ok(&["matrix", "--code", "3.2"]);
    let row = table.lines().find(|l| l.contains("ธนบุรี")).unwrap();
    assert_eq!(row.split_whitespace().last(), Some("2"), "{table}");

    let graphml = w.path("network.graphml");
    w.ok(&["network", "--graphml", graphml.to_str().unwrap()]);
    let xml = std::fs::read_to_string(&graphml).unwrap();
    assert!(
        xml.contains("Thai PBS") && xml.contains("<graphml"),
        "{xml}"
    );

    let geojson: serde_json::Value = serde_json::from_str(&w.ok(&["map"])).unwrap();
    assert_eq!(geojson["type"], "FeatureCollection");
    assert_eq!(geojson["features"].as_array().unwrap().len(), 10);

    // No half-written file where the folder does not exist.
    let err = w.refused(&["matrix", "--xlsx", "no/such/folder/m.xlsx"]);
    assert!(!w.path("no").exists(), "{err}");
}

#[test]
fn a_study_goes_out_as_qdpx_and_comes_back_as_a_new_study() {
    let w = Workspace::new();
    w.ok(&["init", "--demo"]);
    let qdpx = w.path("demo.qdpx");
    let out = w.run(&["export", "--format", "qdpx", "-o", qdpx.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // What REFI-QDA cannot carry is named, in Thai and English.
    let said = stderr(&out);
    assert!(
        said.contains("ไม่ได้ส่งออก") && said.contains("support-network ties"),
        "{said}"
    );
    let qdc = w.path("codes.qdc");
    w.ok(&["export", "--format", "qdc", "-o", qdc.to_str().unwrap()]);
    assert!(
        std::fs::read_to_string(&qdc)
            .unwrap()
            .contains("urn:QDA-XML:codebook:1.0")
    );

    let said = w.ok(&["import-project", qdpx.to_str().unwrap(), "--study", "copy"]);
    assert!(said.contains("10 codings"), "{said}");
    // The copy's matrix counts what the demo's counts.
    let table = w.ok(&["matrix", "--study", "copy"]);
    let row = table.lines().find(|l| l.contains("ธนบุรี")).unwrap();
    let counts: Vec<&str> = row.split_whitespace().rev().take(5).collect();
    assert_eq!(counts, ["1", "2", "3", "2", "1"], "{table}");

    // Refused, one line, nothing written: the name taken, a file that is not a project,
    // a file of another kind.
    w.refused(&["import-project", qdpx.to_str().unwrap(), "--study", "copy"]);
    let junk = w.write("junk.qdpx", b"not a zip");
    let err = w.refused(&["import-project", junk.to_str().unwrap(), "--study", "junk"]);
    assert!(err.contains("REFI-QDA"), "{err}");
    let txt = w.write("notes.txt", "ข้อความ".as_bytes());
    w.refused(&["import-project", txt.to_str().unwrap(), "--study", "x"]);
    let studies = w.ok(&["sites"]);
    assert!(!studies.contains("junk"), "{studies}");
    // An unwritable path is named in the refusal.
    let err = w.refused(&[
        "export",
        "--study",
        "copy",
        "--format",
        "qdpx",
        "-o",
        "no/such/folder/x.qdpx",
    ]);
    assert!(err.contains("no/such/folder/x.qdpx"), "{err}");
}

#[test]
fn sites_schedules_field_forms_and_tables_through_the_command_line() {
    let w = Workspace::new();
    let sites = w.write(
        "sites.csv",
        "\u{feff}พื้นที่,อำเภอ,จังหวัด\r\nต.พระแท่น,ท่ามะกา,กาญจนบุรี\r\nนาทอน,,สตูล\r\n".as_bytes(),
    );
    let said = w.ok(&[
        "import-sites",
        sites.to_str().unwrap(),
        "--study",
        "y2567",
        "--name",
        "ถอดบทเรียน 2567",
        "--year",
        "2567",
    ]);
    assert!(
        said.contains("created study y2567") && said.contains("added 2 sites"),
        "{said}"
    );
    // A bad row: refused in one line naming the row, nothing written.
    let bad = w.write("bad.csv", "พื้นที่,วันที่\nพระแท่น,31 กุมภาพันธ์ 2567\n".as_bytes());
    let err = w.refused(&["import-forums", bad.to_str().unwrap(), "--study", "y2567"]);
    assert!(err.contains("แถวที่ 2") && err.contains("row 2"), "{err}");
    let schedule = w.write(
        "forums.csv",
        "พื้นที่,ประเภทเวที,วันที่,ผู้เข้าร่วม\nพระแท่น,เวทีสรุปบทเรียน,2024-03-31,40\n".as_bytes(),
    );
    let said = w.ok(&[
        "import-forums",
        schedule.to_str().unwrap(),
        "--study",
        "y2567",
    ]);
    assert!(said.contains("added 1 forums"), "{said}");

    let form = w.path("form.xlsx");
    w.ok(&["form", "--study", "y2567", "-o", form.to_str().unwrap()]);
    assert!(std::fs::read(&form).unwrap().starts_with(b"PK"));
    let code = w
        .json(&["sites", "--json"])
        .iter()
        .find(|s| s["site"]["name_th"] == "พระแท่น")
        .map(|s| s["site"]["admin_code"].as_str().unwrap().to_string())
        .unwrap();
    let export = w.write(
        "kobo.csv",
        format!("site,kind,date,participants,notes,_uuid\nsite_{code},lessons_learned,2024-03-31,42,แกนนำเล่าประวัติชุมชน,u-1\n").as_bytes(),
    );
    let said = w.ok(&[
        "import-submissions",
        export.to_str().unwrap(),
        "--study",
        "y2567",
    ]);
    assert!(
        said.contains("1 completed") && said.contains("1 notes imported"),
        "{said}"
    );

    let book = w.path("y2567.xlsx");
    w.ok(&[
        "export",
        "--study",
        "y2567",
        "--format",
        "xlsx",
        "-o",
        book.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&book).unwrap().starts_with(b"PK"));
    let folder = w.path("tables");
    w.ok(&[
        "export",
        "--study",
        "y2567",
        "--format",
        "csv",
        "-o",
        folder.to_str().unwrap(),
    ]);
    let forums = std::fs::read_to_string(folder.join("forums.csv")).unwrap();
    assert!(
        forums.starts_with("\u{feff}พื้นที่,จังหวัด,ประเภทเวที"),
        "{forums}"
    );
    assert!(
        forums.contains("ต.พระแท่น,กาญจนบุรี,เวทีสรุปบทเรียน,จัดแล้ว"),
        "{forums}"
    );
    assert!(
        !folder.join("attendees.csv").exists(),
        "personal data only when asked"
    );
}

#[test]
fn a_study_is_copied_between_stores_and_a_store_migrated() {
    let w = Workspace::new();
    w.ok(&["init", "--demo"]);
    let said = w.ok(&["migrate"]);
    assert!(said.contains("up to date"), "{said}");
    let from = format!("sqlite://{}", w.data_dir().join("rian.sqlite").display());
    let to = format!("sqlite://{}", w.path("laptop.sqlite").display());
    let said = w.ok(&["copy", "--from", &from, "--to", &to]);
    assert!(
        said.contains("10 sites") && said.contains("10 codings"),
        "{said}"
    );
    let table = w.ok(&["--db", &to, "matrix"]);
    assert!(table.contains("เขตธนบุรี"), "{table}");
    // Again: the target has it; refused in one line, nothing written.
    let err = w.refused(&["copy", "--from", &from, "--to", &to]);
    assert!(err.contains("already has"), "{err}");
    // A store that is not there is not made by migrate.
    let err = w.refused(&["--db", "sqlite://nowhere/x.sqlite", "migrate"]);
    assert!(!w.path("nowhere").exists(), "{err}");
}

/// Runs a command with `input` on its standard input; returns the output.
fn with_stdin(w: &Workspace, args: &[&str], input: &str) -> Output {
    let mut child = w
        .cmd(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn accounts_are_added_listed_disabled_and_sign_in_is_then_required() {
    let w = Workspace::new();
    w.ok(&["init", "--demo"]);
    // Sign-in asked for with no account yet: refused, saying how to make one.
    let err = w.refused(&["serve", "--login", "--addr", "127.0.0.1:0"]);
    assert!(err.contains("rian user add"), "{err}");

    let made = w.ok(&["user", "add", "ผู้ดูแล", "--role", "admin"]);
    let password = made
        .lines()
        .find_map(|l| {
            l.split_once("(shown once): ")
                .map(|(_, p)| p.trim().to_string())
        })
        .expect("a new password is shown once");
    assert_eq!(password.chars().count(), 20);
    let out = with_stdin(
        &w,
        &[
            "user",
            "add",
            "ชาวบ้าน",
            "--role",
            "reviewer",
            "--site",
            "1015",
            "--password-stdin",
        ],
        "รหัสผ่านของชุมชนเอง\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("รหัสผ่านของชุมชนเอง"));
    // Refusals: a reviewer without a site, a short password, a name taken, an unknown study.
    w.refused(&["user", "add", "x", "--role", "reviewer"]);
    let short = with_stdin(
        &w,
        &["user", "add", "y", "--role", "viewer", "--password-stdin"],
        "สั้น\n",
    );
    assert_eq!(short.status.code(), Some(1));
    assert!(stderr(&short).contains("10"));
    w.refused(&["user", "add", "ผู้ดูแล", "--role", "viewer"]);
    w.refused(&[
        "user",
        "add",
        "z",
        "--role",
        "facilitator",
        "--study",
        "no-such-study",
    ]);
    w.refused(&["user", "disable", "ไม่มีคนนี้"]);

    // A facilitator joins a study after the account was made, and leaves it again.
    w.ok(&["user", "add", "สมศรี", "--role", "facilitator"]);
    let demo = rian_core::demo::DEMO_STUDY_SLUG;
    let studies = |name: &'static str, flag: &'static str| ["user", "studies", name, flag, demo];
    let joined = w.ok(&studies("สมศรี", "--add"));
    assert!(joined.contains(demo), "{joined}");
    let studies_of = |w: &Workspace, name: &str| {
        w.json(&["user", "list", "--json"])
            .into_iter()
            .find(|a| a["name"] == name)
            .unwrap()["studies"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(studies_of(&w, "สมศรี"), 1);
    // Added twice: still one membership.
    w.ok(&studies("สมศรี", "--add"));
    assert_eq!(studies_of(&w, "สมศรี"), 1);
    w.refused(&["user", "studies", "สมศรี", "--add", "no-such-study"]);
    w.refused(&["user", "studies", "สมศรี"]);
    // Only a facilitator belongs to studies; an unknown name is said so.
    w.refused(&studies("ชาวบ้าน", "--add"));
    w.refused(&studies("ไม่มีคนนี้", "--add"));
    w.ok(&studies("สมศรี", "--remove"));
    assert_eq!(studies_of(&w, "สมศรี"), 0);

    let accounts = w.json(&["user", "list", "--json"]);
    assert_eq!(accounts.len(), 3, "the refused ones were not added");
    assert!(accounts.iter().all(|a| a.get("password_hash").is_none()));
    w.ok(&["user", "disable", "ชาวบ้าน"]);
    let accounts = w.json(&["user", "list", "--json"]);
    let reviewer = accounts.iter().find(|a| a["name"] == "ชาวบ้าน").unwrap();
    assert_eq!(reviewer["disabled"], true);
    assert_eq!(reviewer["role"], "reviewer");

    // With an account, `serve --login` asks every visitor to sign in.
    let served = serve_with(&w, &["--login"], Stdio::inherit());
    let addr = served.addr.clone();
    let page = http_get(&addr, "/sites/1");
    assert!(page.starts_with("HTTP/1.1 303"), "{page}");
    assert!(
        page.contains("location: /login?next=%2Fsites%2F1"),
        "{page}"
    );
    assert!(http_get(&addr, "/login").contains("เข้าสู่ระบบ"));
}

#[test]
fn backup_and_restore_from_the_command_line_and_a_daily_backup_while_serving() {
    let w = Workspace::new();
    w.ok(&["init", "--demo"]);
    let backup = w.path("before.sqlite");
    let out = w.ok(&["backup", "-o", s(&backup)]);
    assert!(out.contains("backed up"), "{out}");
    // Never over an existing file.
    w.refused(&["backup", "-o", s(&backup)]);
    let schedule = w.write(
        "schedule.csv",
        "พื้นที่,ประเภทเวที,วันที่\nธนบุรี,เวทีคืนข้อมูล,2567-05-01\n".as_bytes(),
    );
    let forums_before = w.json(&["forums", "--json"]).len();
    w.ok(&[
        "import-forums",
        s(&schedule),
        "--study",
        "tambon-khemkhaeng-2566",
    ]);
    assert_eq!(w.json(&["forums", "--json"]).len(), forums_before + 1);
    let out = w.ok(&["restore", s(&backup)]);
    assert!(out.contains("kept at"), "{out}");
    assert_eq!(
        w.json(&["forums", "--json"]).len(),
        forums_before,
        "the forum added after the backup is gone"
    );
    w.refused(&["restore", s(&w.write("x.txt", b"not a backup"))]);

    // Served with --backup-dir: the first backup is made at start; restore waits for the
    // server to stop.
    let dir = w.path("daily");
    let _served = serve_with(
        &w,
        &["--backup-dir", s(&dir), "--backup-keep", "2"],
        Stdio::null(),
    );
    let mut made = Vec::new();
    for _ in 0..100 {
        made = std::fs::read_dir(&dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().into_string().unwrap())
                    .collect()
            })
            .unwrap_or_default();
        if made.iter().any(|n: &String| n.ends_with(".sqlite")) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(
        made.iter()
            .any(|n| n.starts_with("rian-") && n.ends_with(".sqlite")),
        "{made:?}"
    );
    let err = w.refused(&["restore", s(&backup)]);
    assert!(err.contains("stop it first"), "{err}");
}

fn http_post(addr: &str, path: &str, content_type: &str, body: &str) -> String {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn participants_names_and_phone_numbers_never_reach_the_log() {
    let w = Workspace::new();
    w.ok(&["init", "--demo"]);
    let name = "นางสาวพิมพ์ใจ ทดสอบข้อมูล";
    let phone = "081-234-5678";
    let served = serve_with(&w, &[], Stdio::piped());
    let addr = served.addr.clone();
    // A write-up naming a participant with her phone number, then requests that fail in
    // every way a request can: refused JSON, a bad form, a missing record, a bad search.
    let write_up = serde_json::json!({
        "title": "เวทีทดสอบ",
        "text": format!("ผู้เข้าร่วม: {name} โทร {phone} เล่าเรื่องกองทุนของชุมชน"),
    });
    let r = http_post(
        &addr,
        "/api/v1/sites/1/documents",
        "application/json",
        &write_up.to_string(),
    );
    assert!(r.starts_with("HTTP/1.1 201"), "{r}");
    for (path, kind, body) in [
        (
            "/api/v1/memos",
            "application/json",
            format!("{{\"text\": \"{name} {phone}\"}}"),
        ),
        (
            "/sites/1/plan",
            "application/x-www-form-urlencoded",
            format!("what=&who={phone}"),
        ),
        (
            "/api/v1/codes/999999",
            "application/json",
            format!("{{\"name_th\": \"{name}\"}}"),
        ),
    ] {
        let r = http_post(&addr, path, kind, &body);
        assert!(r.starts_with("HTTP/1.1 4"), "{path}: {r}");
    }
    assert!(http_get(&addr, &format!("/search?q=%22{}", "%E0%B8%81")).starts_with("HTTP/1.1"));
    let Served {
        server,
        rest,
        stderr,
        ..
    } = served;
    drop(server);
    let mut logged: String = rest.map(Result::unwrap).collect();
    BufReader::new(stderr.unwrap())
        .read_to_string(&mut logged)
        .unwrap();
    assert!(!logged.contains(phone), "{logged}");
    assert!(!logged.contains("พิมพ์ใจ"), "{logged}");
}
