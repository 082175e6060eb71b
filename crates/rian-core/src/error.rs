//! The one error type of rian-core. Every message a person may read is one line,
//! Thai first, then English.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("ไม่พบไฟล์ / file not found: {}", .0.display())]
    FileNotFound(PathBuf),

    #[error("อ่านไฟล์ไม่ได้ / cannot read file: {}: {source}", .path.display())]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("เขียนไฟล์ไม่ได้ / cannot write file: {}: {source}", .path.display())]
    WriteFile {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("{}: ไฟล์ใหญ่เกินไป ({} MB รับได้ไม่เกิน {} MB) / the file is too large ({} MB, at most {} MB)", .path.display(), .bytes / 1_048_576, .limit / 1_048_576, .bytes / 1_048_576, .limit / 1_048_576)]
    TooLarge {
        path: PathBuf,
        bytes: u64,
        limit: u64,
    },

    #[error("{}: ไฟล์ว่าง ไม่มีข้อความ / the file is empty", .0.display())]
    EmptyDocument(PathBuf),

    #[error("{}: {reason}", .path.display())]
    Undecodable {
        path: PathBuf,
        reason: crate::thai::DecodeError,
    },

    #[error(
        "{}: ไม่รองรับไฟล์ชนิดนี้ ใช้ .txt .md หรือ .docx / unsupported file type, use .txt, .md or .docx",
        .0.display()
    )]
    UnsupportedFormat(PathBuf),

    #[error("{}: ไฟล์ .docx เสียหายหรือไม่ใช่ไฟล์ Word / not a readable .docx: {reason}", .path.display())]
    BadDocx { path: PathBuf, reason: String },

    #[error("ไม่พบพื้นที่ \"{0}\" (ดูรายชื่อด้วย rian sites) / unknown site \"{0}\" (see rian sites)")]
    UnknownSite(String),

    #[error("ชื่อพื้นที่ \"{name}\" ซ้ำกันหลายแห่ง ระบุด้วยรหัส: {} / site name \"{name}\" is ambiguous, use a code: {}", .candidates.join(", "), .candidates.join(", "))]
    AmbiguousSite {
        name: String,
        candidates: Vec<String>,
    },

    #[error("ไม่พบ{what_th} รหัส {id} / no {what_en} with id {id}")]
    NotFound {
        what_th: &'static str,
        what_en: &'static str,
        id: i64,
    },

    #[error(
        "ช่วงข้อความ {start}–{end} ไม่อยู่ในเอกสาร / the passage {start}–{end} is not in the document"
    )]
    InvalidSpan { start: i64, end: i64 },

    /// A value a person entered that rian cannot take; `field` names the form field.
    #[error("{th} / {en}")]
    Invalid {
        field: &'static str,
        th: String,
        en: String,
    },

    /// Someone changed the record after the person's form was made from it.
    #[error(
        "มีผู้อื่นแก้ไขรายการนี้หลังจากที่คุณเปิดไว้ จึงยังไม่ได้บันทึกของคุณ: ดูฉบับล่าสุดก่อน หรือกดบันทึกอีกครั้งเพื่อแทนที่ / someone else changed this after you opened it, so yours was not saved: look at theirs first, or save again to replace it"
    )]
    Conflict { current: String },

    #[error("คุณไม่มีสิทธิ์ทำรายการนี้ / you are not allowed to do this")]
    Forbidden,

    #[error("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง / wrong name or password")]
    BadLogin,

    #[error("วันที่ไม่ถูกต้อง \"{0}\" (ใช้ YYYY-MM-DD) / invalid date \"{0}\" (use YYYY-MM-DD)")]
    InvalidDate(String),

    #[error("ค่าไม่ถูกต้องสำหรับ {kind}: \"{value}\" / unknown {kind}: \"{value}\"")]
    UnknownValue { kind: &'static str, value: String },

    #[error("เชื่อมต่อฐานข้อมูล PostgreSQL ไม่ได้: {0} / cannot reach the PostgreSQL database: {0}")]
    Server(String),

    #[error(
        "ฐานข้อมูล PostgreSQL นี้ยังไม่ได้ตั้งค่าสำหรับ rian (เริ่มด้วย rian init --db …) / this PostgreSQL database is not set up for rian yet (run rian init --db … first)"
    )]
    ServerStoreMissing,

    #[error(
        "ดัชนีค้นหาใช้งานไม่ได้: {0} (สร้างใหม่ด้วย rian reindex) / the search index failed: {0} (rebuild it with rian reindex)"
    )]
    Search(String),

    #[error("ไฟล์ REFI-QDA ใช้ไม่ได้: {th} / not a usable REFI-QDA file: {en}")]
    BadExchange { th: String, en: String },

    #[error("ตารางใช้ไม่ได้: {th} / not a usable spreadsheet: {en}")]
    BadSheet { th: String, en: String },

    #[error("เขียนไฟล์ส่งออกไม่ได้: {0} / could not write the export: {0}")]
    Export(String),

    #[error("จัดหน้ารายงานไม่สำเร็จ: {0} / could not typeset the report: {0}")]
    Typeset(String),

    #[error(
        "ดัชนีค้นหากำลังถูกใช้โดยโปรแกรม rian อีกตัว (เช่น rian serve) ลองใหม่เมื่อโปรแกรมนั้นปิด / the search index is in use by another rian process (such as rian serve); try again when it stops"
    )]
    SearchBusy,

    #[error(
        "ที่อยู่ฐานข้อมูลไม่ถูกต้อง \"{0}\" (ใช้ sqlite://… หรือ postgres://…) / invalid database URL \"{0}\" (use sqlite://… or postgres://…)"
    )]
    InvalidDatabaseUrl(String),

    #[error(
        "ไม่พบฐานข้อมูล {} (เริ่มด้วย rian init) / no study store at {} (run rian init first)",
        .0.display(), .0.display()
    )]
    StoreMissing(PathBuf),

    #[error(
        "ไม่ได้นำเข้า {refused} จาก {total} ไฟล์ (ดูเหตุผลด้านบน) / {refused} of {total} files refused (reasons above)"
    )]
    SomeRefused { refused: usize, total: usize },

    #[error("{}: ไม่พบคู่ไฟล์ NN.txt กับ NN.json / no NN.txt + NN.json pairs in this folder", .0.display())]
    NoEvalCases(PathBuf),

    #[error("{}: คำตอบที่คาดไว้อ่านไม่ได้ / unreadable expected record: {reason}", .path.display())]
    BadExpected { path: PathBuf, reason: String },

    #[error("ฐานข้อมูลมีปัญหา / database error: {0}")]
    Database(#[from] sqlx::Error),

    #[error("ปรับโครงสร้างฐานข้อมูลไม่สำเร็จ / migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),

    #[error("ข้อมูลในฐานข้อมูลไม่ถูกต้อง / corrupt record: {0}")]
    Corrupt(String),

    #[error("เกิดข้อผิดพลาดในการอ่านเขียนไฟล์ / I/O error: {0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    /// The same error, naming the file by its full path instead of its name.
    pub fn with_path(self, path: &std::path::Path) -> Error {
        let path = path.to_path_buf();
        match self {
            Error::EmptyDocument(_) => Error::EmptyDocument(path),
            Error::UnsupportedFormat(_) => Error::UnsupportedFormat(path),
            Error::Undecodable { reason, .. } => Error::Undecodable { path, reason },
            Error::BadDocx { reason, .. } => Error::BadDocx { path, reason },
            other => other,
        }
    }

    /// True if and only if the error is about what the user gave (a file, a name, a value),
    /// not about rian or the machine.
    pub fn is_refusal(&self) -> bool {
        !matches!(
            self,
            Error::Database(_)
                | Error::Server(_)
                | Error::Migrate(_)
                | Error::Corrupt(_)
                | Error::Io(_)
                | Error::Search(_)
                | Error::Export(_)
        )
    }
}
