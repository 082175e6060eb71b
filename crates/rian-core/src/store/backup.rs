//! Backups: a consistent copy of the whole store made while it stays in use, and putting
//! one back.
//!
//! A SQLite store is copied by SQLite itself (`VACUUM INTO`, one read transaction: a
//! snapshot, whatever is being written meanwhile). A PostgreSQL store is copied by
//! `pg_dump` (one snapshot too) and put back by `pg_restore` in one transaction. Either
//! way the copy is written beside its name first and renamed into place once whole, so a
//! backup cut short never looks like a good one.

use super::{Location, SQLITE_FILE, Store};
use crate::{Error, Result};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What a backup file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupFormat {
    /// A SQLite database file, the store itself.
    Sqlite,
    /// `pg_dump`'s custom format.
    PgDump,
}

impl BackupFormat {
    /// The file extension rian gives it.
    pub fn extension(self) -> &'static str {
        match self {
            BackupFormat::Sqlite => "sqlite",
            BackupFormat::PgDump => "pgdump",
        }
    }

    /// Reads the kind of a backup from its first bytes.
    fn of_file(path: &Path) -> Result<BackupFormat> {
        use std::io::Read;
        let mut head = [0u8; 16];
        let mut file = std::fs::File::open(path).map_err(|e| read_error(path, e))?;
        let n = file.read(&mut head).map_err(|e| read_error(path, e))?;
        if n >= 16 && &head == b"SQLite format 3\0" {
            Ok(BackupFormat::Sqlite)
        } else if n >= 5 && &head[..5] == b"PGDMP" {
            Ok(BackupFormat::PgDump)
        } else {
            Err(bad_backup(
                path,
                "ไม่ใช่ไฟล์สำรองของ rian",
                "not a rian backup",
            ))
        }
    }
}

/// A backup made.
#[derive(Debug, Clone)]
pub struct Backup {
    pub path: PathBuf,
    pub format: BackupFormat,
    pub bytes: u64,
}

/// A restore done.
#[derive(Debug, Clone)]
pub struct Restored {
    /// Where the store as it was before is kept (SQLite), to go back to.
    pub previous: Option<PathBuf>,
    pub studies: usize,
}

fn read_error(path: &Path, source: std::io::Error) -> Error {
    if source.kind() == std::io::ErrorKind::NotFound {
        Error::FileNotFound(path.to_path_buf())
    } else {
        Error::ReadFile {
            path: path.to_path_buf(),
            source,
        }
    }
}

fn write_error(path: &Path, source: std::io::Error) -> Error {
    Error::WriteFile {
        path: path.to_path_buf(),
        source,
    }
}

fn bad_backup(path: &Path, th: &str, en: &str) -> Error {
    Error::Invalid {
        field: "backup",
        th: format!("{}: {th}", path.display()),
        en: format!("{}: {en}", path.display()),
    }
}

/// The name a backup is written under until it is whole.
fn partial(path: &Path) -> PathBuf {
    with_suffix(path, ".partial")
}

/// Makes a file's contents and its name durable.
fn sync(path: &Path) -> std::io::Result<()> {
    std::fs::File::open(path)?.sync_all()?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // A directory's entry is made durable by syncing the directory (POSIX).
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

impl Store {
    /// Writes a consistent copy of the whole store to `to` while the store stays in use.
    /// An existing file is never overwritten.
    pub async fn backup(&self, to: &Path) -> Result<Backup> {
        if to.exists() {
            return Err(write_error(
                to,
                std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "มีไฟล์นี้อยู่แล้ว / the file already exists",
                ),
            ));
        }
        if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
        }
        let temp = partial(to);
        let _ = std::fs::remove_file(&temp);
        let format = match &self.location.0 {
            Location::Sqlite(_) => {
                let target = temp.to_str().ok_or_else(|| {
                    bad_backup(to, "ชื่อไฟล์อ่านไม่ได้", "the file name is not readable text")
                })?;
                sqlx::query("VACUUM INTO $1")
                    .bind(target)
                    .execute(&self.pool)
                    .await?;
                BackupFormat::Sqlite
            }
            Location::Postgres { url, .. } => {
                let (url, password) = libpq_url(url);
                let mut command = tokio::process::Command::new("pg_dump");
                command
                    .args(["--format=custom", "--no-owner", "--file"])
                    .arg(&temp)
                    .arg("--dbname")
                    .arg(url);
                run_tool(command, password, "pg_dump").await?;
                BackupFormat::PgDump
            }
        };
        sync(&temp).map_err(|e| write_error(&temp, e))?;
        std::fs::rename(&temp, to).map_err(|e| write_error(to, e))?;
        sync(to).map_err(|e| write_error(to, e))?;
        let bytes = std::fs::metadata(to).map_err(|e| read_error(to, e))?.len();
        Ok(Backup {
            path: to.to_path_buf(),
            format,
            bytes,
        })
    }
}

/// A server URL as libpq reads it (without rian's own parameters and the password), and
/// the password, passed in the environment rather than on a command line others can see.
fn libpq_url(url: &str) -> (String, Option<String>) {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("statement-cache-capacity"))
        .collect();
    let (scheme, rest) = base.split_once("://").unwrap_or(("postgres", base));
    let (mut password, mut rest) = (None, rest.to_string());
    if let Some((userinfo, host)) = rest.clone().rsplit_once('@')
        && let Some((user, pass)) = userinfo.split_once(':')
    {
        password = Some(percent_decode(pass));
        rest = format!("{user}@{host}");
    }
    let mut url = format!("{scheme}://{rest}");
    if !kept.is_empty() {
        url.push('?');
        url.push_str(&kept.join("&"));
    }
    (url, password)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn run_tool(
    mut command: tokio::process::Command,
    password: Option<String>,
    name: &str,
) -> Result<()> {
    if let Some(p) = password {
        command.env("PGPASSWORD", p);
    }
    let output = command
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| {
            Error::Server(format!(
                "เรียก {name} ไม่ได้ (ติดตั้ง postgresql-client) / cannot run {name} (install postgresql-client): {e}"
            ))
        })?;
    if output.status.success() {
        return Ok(());
    }
    let message = String::from_utf8_lossy(&output.stderr);
    let first = message.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    Err(Error::Server(format!("{name}: {}", first.trim())))
}

/// A hold on a SQLite store that `rian serve` keeps while it runs (shared: commands may
/// still run beside it) and `rian restore` needs alone (exclusive). Released when dropped.
#[derive(Debug)]
pub struct StoreLock {
    _file: std::fs::File,
}

impl StoreLock {
    fn path(store: &Path) -> PathBuf {
        with_suffix(store, ".lock")
    }

    fn open(store: &Path) -> Result<std::fs::File> {
        let path = StoreLock::path(store);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
        }
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| write_error(&path, e))
    }

    /// The hold a server keeps on its store (none needed on PostgreSQL).
    pub fn serving(location: &Location) -> Result<Option<StoreLock>> {
        let Location::Sqlite(path) = location else {
            return Ok(None);
        };
        let file = StoreLock::open(path)?;
        file.try_lock_shared().map_err(|_| in_use(path))?;
        Ok(Some(StoreLock { _file: file }))
    }

    fn alone(path: &Path) -> Result<StoreLock> {
        let file = StoreLock::open(path)?;
        file.try_lock().map_err(|_| in_use(path))?;
        Ok(StoreLock { _file: file })
    }
}

fn in_use(path: &Path) -> Error {
    Error::Invalid {
        field: "store",
        th: format!(
            "{}: มีเซิร์ฟเวอร์ rian ใช้ฐานข้อมูลนี้อยู่ หยุดเซิร์ฟเวอร์ก่อน",
            path.display()
        ),
        en: format!(
            "{}: a rian server is using this store: stop it first",
            path.display()
        ),
    }
}

/// Puts a backup back as the store at `location`. A SQLite store is replaced whole (the
/// store as it was is kept beside it, named in the answer, to go back to); a PostgreSQL
/// store is restored by `pg_restore` in one transaction. The backup is checked first, and
/// the search index is rebuilt from what was restored.
pub async fn restore(location: &Location, from: &Path) -> Result<Restored> {
    let format = BackupFormat::of_file(from)?;
    match (location, format) {
        (Location::Sqlite(path), BackupFormat::Sqlite) => restore_sqlite(path, from).await,
        (Location::Postgres { url, index }, BackupFormat::PgDump) => {
            refuse_if_connected(url).await?;
            let (libpq, password) = libpq_url(url);
            let mut command = tokio::process::Command::new("pg_restore");
            command
                .args([
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    "--dbname",
                ])
                .arg(libpq)
                .arg(from);
            run_tool(command, password, "pg_restore").await?;
            let _ = std::fs::remove_dir_all(index);
            let store = Store::open(location).await?;
            let studies = store.studies().await?.len();
            store.close().await;
            Ok(Restored {
                previous: None,
                studies,
            })
        }
        _ => Err(bad_backup(
            from,
            "ไฟล์สำรองนี้เป็นฐานข้อมูลอีกชนิด ใช้ rian copy เพื่อย้ายข้อมูลระหว่าง SQLite กับ PostgreSQL",
            "this backup is of the other kind of store: use rian copy to move between SQLite and PostgreSQL",
        )),
    }
}

/// `pg_restore --clean` drops and remakes every table: a `rian serve` still connected
/// would carry on with a search index and caches of the store it replaced (and its
/// queries would wait on the restore's locks), so restore waits for every other client
/// of the database to leave, as a SQLite restore waits for the server's lock.
async fn refuse_if_connected(url: &str) -> Result<()> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url)
        .await
        .map_err(|e| Error::Server(e.to_string()))?;
    // A client that has just hung up is listed until its server process exits: asked
    // again for a moment before it counts as connected.
    let mut others = 0;
    for _ in 0..20 {
        others = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND backend_type = 'client backend'",
        )
        .fetch_one(&mut conn)
        .await?;
        if others == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    conn.close().await?;
    if others > 0 {
        return Err(Error::Invalid {
            field: "store",
            th: format!(
                "มีโปรแกรมอื่นเชื่อมต่อฐานข้อมูลนี้อยู่ {others} การเชื่อมต่อ (เซิร์ฟเวอร์ rian?) หยุดก่อนแล้วกู้คืนใหม่"
            ),
            en: format!(
                "{others} other connections to this database (a rian server?): stop it first"
            ),
        });
    }
    Ok(())
}

async fn restore_sqlite(path: &Path, from: &Path) -> Result<Restored> {
    let _alone = StoreLock::alone(path)?;
    // The backup is copied beside the store and the copy checked (and brought up to this
    // version's schema): the backup file itself is only read.
    let incoming = partial(path);
    remove_if_there(&incoming);
    std::fs::copy(from, &incoming).map_err(|e| read_error(from, e))?;
    let refusal = match check_copy(&incoming).await {
        Ok(true) => None,
        Ok(false) => Some(bad_backup(
            from,
            "ไฟล์สำรองเสียหาย (ตรวจความถูกต้องไม่ผ่าน)",
            "the backup is damaged (integrity check failed)",
        )),
        Err(Error::Database(_) | Error::Migrate(_)) => Some(bad_backup(
            from,
            "อ่านเป็นฐานข้อมูลของ rian ไม่ได้",
            "not readable as a rian store",
        )),
        Err(other) => Some(other),
    };
    if let Some(e) = refusal {
        remove_if_there(&incoming);
        return Err(e);
    }
    sync(&incoming).map_err(|e| write_error(&incoming, e))?;
    // The current store: kept as a copy to go back to, its write-ahead log folded in so
    // that removing it below loses nothing.
    let mut previous = None;
    if path.exists() {
        let current = Store::open_detached(
            &Location::Sqlite(path.to_path_buf()),
            super::OpenMode::Existing,
        )
        .await?;
        let kept = path.with_file_name(format!(
            "{}.before-restore-{}",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(SQLITE_FILE),
            stamp(SystemTime::now())
        ));
        current.backup(&kept).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&current.pool)
            .await?;
        current.close().await;
        previous = Some(kept);
    }
    for suffix in ["-wal", "-shm"] {
        remove_if_there(&with_suffix(path, suffix));
    }
    std::fs::rename(&incoming, path).map_err(|e| write_error(path, e))?;
    sync(path).map_err(|e| write_error(path, e))?;
    // The index described the store before; it is rebuilt from the one restored.
    let _ = std::fs::remove_dir_all(path.with_extension("index"));
    let store = Store::open(&Location::Sqlite(path.to_path_buf())).await?;
    let studies = store.studies().await?.len();
    store.close().await;
    Ok(Restored { previous, studies })
}

/// Opens a copied backup as a store (its schema brought up to date), runs the integrity
/// check, and closes it with its write-ahead log folded in.
async fn check_copy(copy: &Path) -> Result<bool> {
    let store = Store::open_detached(
        &Location::Sqlite(copy.to_path_buf()),
        super::OpenMode::Existing,
    )
    .await?;
    let sound = store.integrity_ok().await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&store.pool)
        .await?;
    store.close().await;
    for suffix in ["-wal", "-shm"] {
        remove_if_there(&with_suffix(copy, suffix));
    }
    Ok(sound)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Removes a file rian made, if it is there (gone already is fine).
fn remove_if_there(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// `YYYYMMDD-HHMMSS` in UTC, for backup file names that sort by time.
pub(crate) fn stamp(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}-{:02}{:02}{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The automatic backups in `dir`, newest first: files rian named `rian-<stamp>.<ext>`.
fn automatic_backups(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("rian-") && (n.ends_with(".sqlite") || n.ends_with(".pgdump"))
            })
        })
        .collect();
    // The stamp sorts by time.
    found.sort();
    found.reverse();
    found
}

/// Is a new automatic backup due in `dir` (none yet, or the newest older than `every`)?
pub fn backup_due(dir: &Path, every: Duration, now: SystemTime) -> bool {
    let Some(newest) = automatic_backups(dir).into_iter().next() else {
        return true;
    };
    let made = std::fs::metadata(&newest)
        .and_then(|m| m.modified())
        .unwrap_or(UNIX_EPOCH);
    now.duration_since(made).unwrap_or_default() >= every
}

impl Store {
    /// Makes the automatic backup `dir/rian-<UTC stamp>.<ext>` and keeps the newest
    /// `keep` of them, removing older ones.
    pub async fn automatic_backup(&self, dir: &Path, keep: usize) -> Result<Backup> {
        let ext = match self.backend {
            super::Backend::Sqlite => BackupFormat::Sqlite.extension(),
            super::Backend::Postgres => BackupFormat::PgDump.extension(),
        };
        let made = self
            .backup(&dir.join(format!("rian-{}.{ext}", stamp(SystemTime::now()))))
            .await?;
        rotate_backups(dir, keep)?;
        Ok(made)
    }
}

/// Removes all but the newest `keep` automatic backups in `dir` (never fewer than one);
/// returns the ones removed.
pub fn rotate_backups(dir: &Path, keep: usize) -> Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    for old in automatic_backups(dir).into_iter().skip(keep.max(1)) {
        std::fs::remove_file(&old).map_err(|e| write_error(&old, e))?;
        removed.push(old);
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_utc_calendar_times() {
        assert_eq!(stamp(UNIX_EPOCH), "19700101-000000");
        // 31 March 2023 (2566 BE) 09:30:05 UTC; and a leap day.
        assert_eq!(
            stamp(UNIX_EPOCH + Duration::from_secs(1_680_255_005)),
            "20230331-093005"
        );
        assert_eq!(
            stamp(UNIX_EPOCH + Duration::from_secs(1_709_164_800)),
            "20240229-000000"
        );
    }

    #[test]
    fn server_urls_lose_the_password_and_rians_own_parameters() {
        let (url, password) = libpq_url(
            "postgres://rian:p%40ss@db.example.org:5432/rian?sslmode=require&statement-cache-capacity=0",
        );
        assert_eq!(
            url,
            "postgres://rian@db.example.org:5432/rian?sslmode=require"
        );
        assert_eq!(password.as_deref(), Some("p@ss"));
        let (url, password) = libpq_url("postgres://localhost/rian?statement-cache-capacity=0");
        assert_eq!(
            (url.as_str(), password),
            ("postgres://localhost/rian", None)
        );
    }

    #[test]
    fn rotation_keeps_the_newest_and_leaves_other_files() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "rian-20260101-000000.sqlite",
            "rian-20260102-000000.sqlite",
            "rian-20260103-000000.sqlite",
            "rian-20260104-000000.sqlite",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let removed = rotate_backups(dir.path(), 2).unwrap();
        assert_eq!(removed.len(), 2);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "notes.txt",
                "rian-20260103-000000.sqlite",
                "rian-20260104-000000.sqlite"
            ]
        );
        assert!(!backup_due(
            dir.path(),
            Duration::from_secs(86_400),
            SystemTime::now()
        ));
        assert!(backup_due(
            dir.path(),
            Duration::from_secs(86_400),
            SystemTime::now() + Duration::from_secs(2 * 86_400)
        ));
        assert!(backup_due(
            &dir.path().join("none"),
            Duration::from_secs(1),
            SystemTime::now()
        ));
    }
}
