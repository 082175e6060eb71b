//! The command line, as clap reads it. Global options name the study store, so any
//! command can be pointed at any store.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "rian",
    version,
    about = "rian — เครื่องมือถอดบทเรียนชุมชน / a Thai-first workbench for community knowledge-extraction studies",
    after_help = "Exit codes: 0 success, 1 input refused (reason on stderr), 2 usage error."
)]
pub struct Cli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Folder holding the study store (rian.sqlite) / โฟลเดอร์เก็บข้อมูล
    #[arg(
        long,
        global = true,
        env = "RIAN_DATA_DIR",
        default_value = "rian-data"
    )]
    pub data_dir: PathBuf,
    /// Database URL: sqlite://path/rian.sqlite or postgres://user:pass@host/db (overrides the
    /// file in --data-dir, which then holds the search index) / ที่อยู่ฐานข้อมูล
    #[arg(long, global = true, env = "RIAN_DB", value_name = "URL")]
    pub db: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the study store / สร้างฐานข้อมูลการศึกษา
    Init {
        /// Also load the demo study (the 2566 study and its ten sites) / โหลดการศึกษาตัวอย่าง
        #[arg(long)]
        demo: bool,
    },
    /// Import write-ups or notes (.txt, .md, .docx) into a site: extract, suggest codes, store / นำเข้าเอกสาร
    Import(ImportArgs),
    /// Bring a store's schema up to date (SQLite file or PostgreSQL) / ปรับโครงสร้างฐานข้อมูลให้เป็นรุ่นล่าสุด
    Migrate,
    /// Copy a study between stores: a laptop's file to the team's server, and back / คัดลอกการศึกษาระหว่างฐานข้อมูล
    Copy(CopyArgs),
    /// List the sites of every study / แสดงรายชื่อพื้นที่
    Sites {
        /// One JSON array instead of a table
        #[arg(long)]
        json: bool,
    },
    /// List forums / แสดงรายการเวที
    Forums {
        /// Only this site (Thai name or admin code) / เฉพาะพื้นที่นี้
        #[arg(long)]
        site: Option<String>,
        /// One JSON array instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Read a forum write-up into a draft record, with evidence / ถอดข้อมูลจากบันทึกเวที
    Extract {
        /// The write-up (UTF-8, UTF-16 with BOM, or TIS-620 text)
        file: PathBuf,
        /// One JSON object instead of a Thai summary
        #[arg(long)]
        json: bool,
    },
    /// Score extraction on a folder of NN.txt + NN.json answers / วัดความแม่นยำการถอดข้อมูล
    Eval {
        /// Folder of write-ups (NN.txt) with their expected records (NN.json)
        dir: PathBuf,
        /// Also show, per write-up, each field that differs
        #[arg(long)]
        show: bool,
    },
    /// Mark Thai word boundaries, line by line / ตัดคำภาษาไทย
    Segment {
        /// Text file (UTF-8, UTF-16 with BOM, or TIS-620); `-` or nothing reads standard input
        file: Option<PathBuf>,
        /// What to print between words / ตัวคั่นคำ
        #[arg(long, default_value = "|")]
        sep: String,
    },
    /// Search every study: documents, coded passages and memos / ค้นหาข้อความทุกการศึกษา
    Search(SearchArgs),
    /// Every place a word is said, with its neighbours (keyword in context) / ดูคำในบริบท
    Concordance(ConcordanceArgs),
    /// Rebuild the search index from the store / สร้างดัชนีค้นหาใหม่
    Reindex,
    /// The framework matrix: sites × codes, coded passages per cell / ตารางกรอบแนวคิด
    Matrix(MatrixArgs),
    /// The support network as GraphML or CSV / ส่งออกเครือข่ายภาคี
    Network(NetworkArgs),
    /// The study's sites as GeoJSON points / ส่งออกตำแหน่งพื้นที่ศึกษา
    Map(MapArgs),
    /// The data-return report of a site, or the study synthesis, as PDF or HTML / รายงานคืนข้อมูล
    Report(ReportArgs),
    /// How far two coders agree (percent, Cohen's kappa, Krippendorff's alpha) / ความสอดคล้องของผู้ลงรหัส
    Agreement(AgreementArgs),
    /// Export a study: REFI-QDA project (.qdpx) or codebook (.qdc), spreadsheet tables (.xlsx, or .csv files) / ส่งออกการศึกษา
    Export(ExportArgs),
    /// Add sites to a study from a spreadsheet (.xlsx, .csv); creates the study if new / นำเข้ารายชื่อพื้นที่
    ImportSites(TableImportArgs),
    /// Add a forum schedule to a study from a spreadsheet (.xlsx, .csv) / นำเข้ากำหนดการเวที
    ImportForums(TableImportArgs),
    /// Write the field form (XLSForm for KoboToolbox and ODK) for recording forums / สร้างแบบฟอร์มภาคสนาม
    Form(FormArgs),
    /// Import the field form's submissions (Kobo or ODK export, .xlsx or .csv) / นำเข้าข้อมูลจากแบบฟอร์มภาคสนาม
    ImportSubmissions(TableImportArgs),
    /// Import a REFI-QDA project (.qdpx) as a new study, or a codebook (.qdc) into a study / นำเข้าโครงการ REFI-QDA
    ImportProject(ImportProjectArgs),
    /// Serve the workbench in the browser / เปิดเวิร์กเบนช์ในเบราว์เซอร์
    Serve {
        /// Load the demo study first (once) / โหลดการศึกษาตัวอย่าง
        #[arg(long)]
        demo: bool,
        /// Address to listen on / ที่อยู่ที่ให้บริการ
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: SocketAddr,
        /// Your name, for the activity log and the codings you make (laptop mode) / ชื่อผู้ใช้ในบันทึกการแก้ไข
        #[arg(long, env = "RIAN_USER", default_value = "local")]
        user: String,
        /// Ask everyone to sign in with an account (always on with PostgreSQL) / ให้ทุกคนเข้าสู่ระบบ
        #[arg(long)]
        login: bool,
        /// Make a backup here once a day (and at start if the last is older), keeping the
        /// newest --backup-keep / สำรองข้อมูลอัตโนมัติทุกวันไว้ที่โฟลเดอร์นี้
        #[arg(long, value_name = "DIR")]
        backup_dir: Option<PathBuf>,
        /// How many daily backups to keep / จำนวนไฟล์สำรองที่เก็บไว้
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..))]
        backup_keep: u32,
        /// Served over plain HTTP on a network, no TLS in front: session cookies without
        /// `Secure` / ให้บริการแบบ HTTP ธรรมดา
        #[arg(long)]
        plain_http: bool,
    },
    /// Check the store and its search index; exit 1 with what is wrong / ตรวจความถูกต้องของข้อมูล
    Check {
        #[arg(long)]
        json: bool,
    },
    /// A consistent copy of the whole store, made while it is in use / สำรองข้อมูล
    Backup {
        /// The backup file to write (never overwritten) / ไฟล์สำรอง
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Put a backup back as the store (a SQLite store as it was is kept beside it) / กู้คืนข้อมูล
    Restore {
        /// A file made by rian backup / ไฟล์สำรอง
        file: PathBuf,
    },
    /// Accounts of a shared deployment: add, reset, disable, enable, list / บัญชีผู้ใช้
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; prints a new password unless --password-stdin / เพิ่มบัญชี
    Add {
        /// The name they sign in with / ชื่อผู้ใช้
        name: String,
        /// admin, facilitator, reviewer (community reviewer), viewer / บทบาท
        #[arg(long, value_parser = ["admin", "facilitator", "reviewer", "viewer"])]
        role: String,
        /// A community reviewer's site (Thai name or admin code) / พื้นที่ของผู้ตรวจทาน
        #[arg(long)]
        site: Option<String>,
        /// A study a facilitator belongs to (short name); repeat for several / การศึกษา
        #[arg(long = "study")]
        studies: Vec<String>,
        /// Read the password from the first line of standard input / อ่านรหัสผ่านจาก stdin
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (prints one unless --password-stdin); their sessions end / ตั้งรหัสผ่านใหม่
    Reset {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Add a facilitator to studies or take them out (short names) / เพิ่มหรือถอนการศึกษาของผู้ใช้
    Studies {
        name: String,
        /// A study to join; repeat for several / การศึกษาที่เข้าร่วม
        #[arg(long)]
        add: Vec<String>,
        /// A study to leave; repeat for several / การศึกษาที่ถอนออก
        #[arg(long)]
        remove: Vec<String>,
    },
    /// Stop an account from signing in; its sessions end / ระงับบัญชี
    Disable { name: String },
    /// Let a disabled account sign in again / เปิดใช้บัญชีอีกครั้ง
    Enable { name: String },
    /// List the accounts / รายชื่อบัญชี
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The files to import (.txt, .md, .docx) / ไฟล์ที่จะนำเข้า
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Site by Thai name (ธนบุรี, ต.พระแท่น) or admin code (1015) / พื้นที่
    #[arg(long)]
    pub site: String,
    /// Attach to this existing forum (id from `rian forums`) instead of creating one
    #[arg(long, value_name = "ID")]
    pub forum: Option<i64>,
    /// Kind of the new forum / ประเภทเวที
    #[arg(long, default_value = "lessons_learned", value_parser = ["lessons_learned", "focus_group", "data_return", "planning", "other"])]
    pub kind: String,
    /// Date of the new forum, YYYY-MM-DD (Gregorian) / วันที่จัดเวที
    #[arg(long)]
    pub date: Option<String>,
}

/// Narrowing a search; each may be given more than once.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only this site (Thai name or admin code) / เฉพาะพื้นที่
    #[arg(long)]
    pub site: Vec<String>,
    /// Only this province (น่าน, จ.น่าน) / เฉพาะจังหวัด
    #[arg(long)]
    pub province: Vec<String>,
    /// Only passages with this code (key such as 2.4, or its name) / เฉพาะรหัส
    #[arg(long)]
    pub code: Vec<String>,
    /// Only this kind of forum / เฉพาะประเภทเวที
    #[arg(long, value_parser = ["lessons_learned", "focus_group", "data_return", "planning", "other"])]
    pub kind: Vec<String>,
    /// Only this year (2566 or 2023) / เฉพาะปี
    #[arg(long)]
    pub year: Vec<String>,
    /// Forums from this date: YYYY-MM-DD or YYYY, either era / ตั้งแต่วันที่
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Forums up to this date: YYYY-MM-DD or YYYY, either era / ถึงวันที่
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words, "a phrase", AND / OR / NOT (or -word), prefix* / คำค้น
    pub query: String,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Only documents, coded passages or memos / เฉพาะชนิด
    #[arg(long, value_parser = ["document", "coding", "memo"])]
    pub only: Vec<String>,
    /// How many hits to show / จำนวนผลลัพธ์
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Skip this many hits (the next page) / ข้ามผลลัพธ์
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// One JSON object (hits, facets) instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ConcordanceArgs {
    /// The word (or phrase, or query) to show in context / คำที่ต้องการดู
    pub query: String,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Characters of context each side / จำนวนอักษรแต่ละข้าง
    #[arg(long, default_value_t = 40)]
    pub width: usize,
    /// Most lines / จำนวนบรรทัดสูงสุด
    #[arg(long, default_value_t = 10_000)]
    pub limit: usize,
    /// CSV (UTF-8 with BOM, for spreadsheets) instead of aligned text
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// The study (its short name); needed when the store holds more than one / การศึกษา
    #[arg(long)]
    pub study: Option<String>,
    /// Rows: site, community or forum / แถว
    #[arg(long, default_value = "site", value_parser = ["site", "community", "forum"])]
    pub rows: String,
    /// Columns by code key (1, 3.2, swot.s); default the five parts of the framework / คอลัมน์
    #[arg(long = "code")]
    pub codes: Vec<String>,
    /// Only these provinces / เฉพาะจังหวัด
    #[arg(long)]
    pub province: Vec<String>,
    /// Only forums of these years (BE) / เฉพาะปี พ.ศ.
    #[arg(long)]
    pub year: Vec<i32>,
    /// Write CSV (UTF-8 with BOM) to this file instead of printing / เขียนเป็น CSV
    #[arg(long, conflicts_with = "xlsx")]
    pub csv: Option<PathBuf>,
    /// Write an XLSX workbook to this file / เขียนเป็น XLSX
    #[arg(long)]
    pub xlsx: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NetworkArgs {
    /// The study (its short name) / การศึกษา
    #[arg(long)]
    pub study: Option<String>,
    /// Write GraphML to this file / เขียนเป็น GraphML
    #[arg(long)]
    pub graphml: Option<PathBuf>,
    /// Write the ties as CSV to this file / เขียนความสัมพันธ์เป็น CSV
    #[arg(long)]
    pub csv: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MapArgs {
    /// The study (its short name) / การศึกษา
    #[arg(long)]
    pub study: Option<String>,
    /// Write GeoJSON to this file instead of printing it / เขียนเป็นไฟล์ GeoJSON
    #[arg(long)]
    pub geojson: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The site: Thai name (ธนบุรี, ต.พระแท่น) or admin code (1015) / พื้นที่
    #[arg(required_unless_present = "study", conflicts_with = "study")]
    pub site: Option<String>,
    /// The study synthesis instead of one site; give the study's short name when the store
    /// holds more than one / รายงานสังเคราะห์ทั้งการศึกษา
    #[arg(long, num_args = 0..=1, default_missing_value = "", value_name = "STUDY")]
    pub study: Option<String>,
    /// pdf or html / รูปแบบไฟล์
    #[arg(long, default_value = "pdf", value_parser = ["pdf", "html"])]
    pub format: String,
    /// The file to write / ไฟล์ที่จะเขียน
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// Include participants' names and phone numbers (personal data) / รวมข้อมูลส่วนบุคคล
    #[arg(long)]
    pub personal: bool,
    /// Write numbers in Thai digits / ใช้เลขไทย
    #[arg(long)]
    pub thai_digits: bool,
    /// Language of headings and labels / ภาษา
    #[arg(long, default_value = "th", value_parser = ["th", "en"])]
    pub lang: String,
    /// The date on the cover, YYYY-MM-DD; today by default / วันที่บนปก
    #[arg(long)]
    pub date: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// qdpx (REFI-QDA project: NVivo, ATLAS.ti, MAXQDA, QualCoder), qdc (its codebook), xlsx
    /// (every table a sheet) or csv (every table a file in the folder -o names) / รูปแบบ
    #[arg(long, value_parser = ["qdpx", "qdc", "xlsx", "csv"])]
    pub format: String,
    /// The study (its short name); needed when the store holds more than one / การศึกษา
    #[arg(long)]
    pub study: Option<String>,
    /// The file to write / ไฟล์ที่จะเขียน
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// Also export codings rian suggested that nobody accepted yet / รวมรหัสที่ระบบเสนอ
    #[arg(long)]
    pub suggestions: bool,
    /// Spreadsheets: add a table of attendees' names and phone numbers (personal data) / รวมข้อมูลส่วนบุคคล
    #[arg(long)]
    pub personal: bool,
}

#[derive(Debug, Args)]
pub struct TableImportArgs {
    /// The spreadsheet (.xlsx: its first sheet; or .csv) / ไฟล์ตาราง
    pub file: PathBuf,
    /// The study (its short name) / การศึกษา
    #[arg(long)]
    pub study: String,
    /// For a new study (import-sites): its name in Thai / ชื่อการศึกษาใหม่
    #[arg(long)]
    pub name: Option<String>,
    /// For a new study (import-sites): its fiscal year, BE / ปีงบประมาณ
    #[arg(long)]
    pub year: Option<i64>,
}

#[derive(Debug, Args)]
pub struct FormArgs {
    /// The study (its short name); needed when the store holds more than one / การศึกษา
    #[arg(long)]
    pub study: Option<String>,
    /// The XLSForm file to write (.xlsx) / ไฟล์ที่จะเขียน
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportProjectArgs {
    /// The .qdpx project or .qdc codebook / ไฟล์โครงการหรือสมุดรหัส
    pub file: PathBuf,
    /// For a .qdpx: the short name of the new study (a-z 0-9 - _); for a .qdc: the study
    /// that receives the codes / ชื่อย่อการศึกษา
    #[arg(long)]
    pub study: String,
    /// The new study's fiscal year (BE); by default from the forums' dates / ปีงบประมาณ
    #[arg(long)]
    pub year: Option<i64>,
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The store to copy from: sqlite://… or postgres://… / ฐานข้อมูลต้นทาง
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// The store to copy into (made if new): sqlite://… or postgres://… / ฐานข้อมูลปลายทาง
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// The study (its short name); needed when the source holds more than one / การศึกษา
    #[arg(long)]
    pub study: Option<String>,
}

#[derive(Debug, Args)]
pub struct AgreementArgs {
    /// The study (its short name); needed when the store holds more than one / การศึกษา
    #[arg(long)]
    pub study: Option<String>,
    /// The two coders, by name as their codings record it: --coder A --coder B / ผู้ลงรหัส
    #[arg(long = "coder", num_args = 1, required = true)]
    pub coders: Vec<String>,
    /// One JSON object (with every unit's yes/no, to recompute the figures)
    #[arg(long)]
    pub json: bool,
}
