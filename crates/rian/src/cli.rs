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
    /// Database URL, e.g. sqlite://path/rian.sqlite (overrides --data-dir) / ที่อยู่ฐานข้อมูล
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
    /// Serve the workbench in the browser / เปิดเวิร์กเบนช์ในเบราว์เซอร์
    Serve {
        /// Load the demo study first (once) / โหลดการศึกษาตัวอย่าง
        #[arg(long)]
        demo: bool,
        /// Address to listen on / ที่อยู่ที่ให้บริการ
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: SocketAddr,
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
