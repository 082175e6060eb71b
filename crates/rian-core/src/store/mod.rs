//! The study store: one database holds a study record. SQLite (a file) by default;
//! the backend is chosen by URL scheme.
//!
//! Reads are methods on [`Store`]; writes go through a [`Tx`], so that every multi-row
//! write is one transaction: it commits whole or leaves nothing. The SQL here is kept to
//! what SQLite and PostgreSQL both speak (`$n` parameters, `RETURNING`, `EXISTS`).

mod accounts;
mod backup;
mod check;
mod copy;
mod corrections;
mod records;
mod rows;
mod search_source;
mod synthesis;

pub use accounts::{NewAccount, Session, seen_by};
pub use backup::{Backup, BackupFormat, Restored, StoreLock, backup_due, restore, rotate_backups};
pub use copy::{Copied, copy_study};
pub use corrections::DetachedCoding;
pub use search_source::{PendingChanges, Placement, SearchNames, SourceDocument, SourceMemo};
pub use synthesis::{CodedPassage, Quote};

use crate::model::*;
use crate::search::SearchIndex;
use crate::{Error, Result};
use rows::*;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Row};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The name of the SQLite file inside a data directory.
pub const SQLITE_FILE: &str = "rian.sqlite";

/// Where a study store lives, as a user names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    /// A PostgreSQL server; the search index of this process lives in `index`.
    Postgres {
        url: String,
        index: PathBuf,
    },
}

/// The database a store runs on: the SQL is the same but for the few places it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The store's clock as SQL: UTC, `YYYY-MM-DD HH:MM:SS`, as every stored time is.
    pub(crate) fn now(self) -> &'static str {
        match self {
            Backend::Sqlite => "CURRENT_TIMESTAMP",
            Backend::Postgres => "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')",
        }
    }

    /// The functions that join a column into one string and format values into text:
    /// SQLite's group_concat and printf, PostgreSQL's string_agg and format (both read
    /// `%s` for any value).
    pub(crate) fn concat_format(self) -> (&'static str, &'static str) {
        match self {
            Backend::Sqlite => ("group_concat", "printf"),
            Backend::Postgres => ("string_agg", "format"),
        }
    }
}

impl Location {
    /// Resolves `--db URL` if given, otherwise `<data_dir>/rian.sqlite`. A PostgreSQL
    /// store keeps its search index in the data directory.
    pub fn resolve(db: Option<&str>, data_dir: &Path) -> Result<Location> {
        match db {
            None => Ok(Location::Sqlite(data_dir.join(SQLITE_FILE))),
            Some(url) => match Location::parse(url)? {
                Location::Postgres { url, .. } => Ok(Location::Postgres {
                    index: data_dir.join(Location::index_name(&url)),
                    url,
                }),
                sqlite => Ok(sqlite),
            },
        }
    }

    /// The index folder's name for a server database: `<database>.index`.
    fn index_name(url: &str) -> String {
        let database = url
            .split('?')
            .next()
            .unwrap_or(url)
            .rsplit('/')
            .next()
            .filter(|d| !d.is_empty() && !d.contains('@'))
            .unwrap_or("rian");
        let safe: String = database
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("{safe}.index")
    }

    /// Reads `sqlite://PATH`, `sqlite:PATH` or `postgres://…` (its index then in
    /// `./rian-data`; [`Location::resolve`] puts it in the data directory given).
    pub fn parse(url: &str) -> Result<Location> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Location::Postgres {
                index: PathBuf::from("rian-data").join(Location::index_name(url)),
                url: url.to_string(),
            });
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .map(|p| p.split('?').next().unwrap_or(p))
            .filter(|p| !p.is_empty() && *p != ":memory:")
            .ok_or_else(|| Error::InvalidDatabaseUrl(url.to_string()))?;
        Ok(Location::Sqlite(PathBuf::from(path)))
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(p) => write!(f, "sqlite://{}", p.display()),
            // A server URL may carry a password; show only where it points.
            Location::Postgres { url, .. } => {
                let host = url.rsplit('@').next().unwrap_or(url);
                let host = host
                    .trim_start_matches("postgres://")
                    .trim_start_matches("postgresql://");
                write!(f, "postgres://…@{host}")
            }
        }
    }
}

/// A fresh, empty place for a store, for tests and benchmarks: a SQLite file in `dir`, or,
/// when `RIAN_TEST_POSTGRES` holds a server URL (a database its user may create others
/// from), a new database on that server named for this run, with the C collation so
/// that Thai sorts as on SQLite; its search index goes in `dir`. The test suites run
/// once each way (`.ci/run`).
pub async fn scratch_location(dir: &Path) -> Result<Location> {
    let Ok(admin) = std::env::var("RIAN_TEST_POSTGRES") else {
        return Ok(Location::Sqlite(dir.join(SQLITE_FILE)));
    };
    sqlx::any::install_default_drivers();
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = format!(
        "rian_test_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&admin)
        .await
        .map_err(|e| Error::Server(e.to_string()))?;
    let create = format!(
        "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
    );
    sqlx::query(sqlx::AssertSqlSafe(create))
        .execute(&pool)
        .await?;
    pool.close().await;
    let base = admin.split('?').next().unwrap_or(&admin);
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    Ok(Location::Postgres {
        url: format!("{server}/{name}"),
        index: dir.join(format!("{name}.index")),
    })
}

/// Whether opening a store may create it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the store (and its directory) if it does not exist.
    Create,
    /// Refuse a store that does not exist yet: reading commands must not leave files behind.
    Existing,
}

/// An open study store.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The full-text index beside the store, kept current on every commit.
    search: Option<Arc<SearchIndex>>,
    /// One placer of codings at a time in this process ([`Store::place_codings`]).
    placing: Arc<tokio::sync::Mutex<()>>,
    /// Where the store is, for a backup made by the database's own tools.
    location: Arc<Secret<Location>>,
}

/// A value kept out of `Debug` output (a server URL carries its password).
#[derive(Clone)]
pub(crate) struct Secret<T>(pub T);

impl<T> std::fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("…")
    }
}

/// A write in progress: commit it whole, or drop it and nothing was written.
pub struct Tx {
    tx: sqlx::Transaction<'static, Any>,
    store: Store,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Store {
    /// Opens the store at `location`, creating it (and its directory) if it does not exist,
    /// and brings its schema up to date.
    pub async fn open(location: &Location) -> Result<Store> {
        Store::open_with(location, OpenMode::Create).await
    }

    /// Opens the store at `location` and brings its schema and its search index up to date.
    pub async fn open_with(location: &Location, mode: OpenMode) -> Result<Store> {
        let store = Store::open_unindexed(location, mode).await?;
        store.search_index()?.catch_up(&store).await?;
        Ok(store)
    }

    /// Opens the store with its search index as it is, for a command that rebuilds it.
    pub async fn open_unindexed(location: &Location, mode: OpenMode) -> Result<Store> {
        let mut store = Store::open_detached(location, mode).await?;
        let dir = match location {
            Location::Sqlite(path) => path.with_extension("index"),
            Location::Postgres { index, .. } => index.clone(),
        };
        store.search = Some(Arc::new(SearchIndex::open(&dir)?));
        Ok(store)
    }

    /// Opens the store without its search index: writes only queue their changes, for a
    /// bulk load that rebuilds the index once at the end (`rian reindex`).
    pub async fn open_detached(location: &Location, mode: OpenMode) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let path = match location {
            Location::Sqlite(path) => path,
            Location::Postgres { url, .. } => return Store::open_server(url, mode).await,
        };
        if mode == OpenMode::Existing && !path.exists() {
            return Err(Error::StoreMissing(path.clone()));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let pool = AnyPoolOptions::new()
            .max_connections(4)
            // A file does not hang up: no check of a connection as it leaves the pool (a
            // round trip to the connection's thread for every query).
            .test_before_acquire(false)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    // Foreign keys are per connection in SQLite; WAL lets the web server
                    // read while a command-line import writes.
                    sqlx::query("PRAGMA foreign_keys = ON")
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("PRAGMA busy_timeout = 5000")
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        sqlx::query("PRAGMA journal_mode = WAL")
            .execute(&pool)
            .await?;
        SQLITE_MIGRATIONS.run(&pool).await?;
        Ok(Store {
            pool,
            backend: Backend::Sqlite,
            search: None,
            placing: Default::default(),
            location: Arc::new(Secret(location.clone())),
        })
    }

    /// A PostgreSQL store: the database must exist (an administrator creates it; with
    /// `LC_COLLATE 'C'` Thai sorts as on SQLite); `Create` brings its schema up to date,
    /// `Existing` refuses one rian never set up.
    async fn open_server(url: &str, mode: OpenMode) -> Result<Store> {
        // Statements are prepared once per connection and kept (sqlx's cache): parsing
        // and planning every query again halved the server's throughput (issue 10's load
        // test). Numbers are bound through `real` so that a cached statement never meets
        // a NULL typed otherwise than its values.
        let pool = AnyPoolOptions::new()
            .max_connections(16)
            // sqlx checks a connection when it goes back to the pool; checking it again
            // when it is taken out cost every query a second round trip (a third of the
            // server's time under load). A connection the server dropped while idle
            // fails one query and is replaced.
            .test_before_acquire(false)
            // A server that does not answer is said within seconds, not half a minute.
            .acquire_timeout(std::time::Duration::from_secs(5))
            .connect(url)
            .await
            .map_err(|e| Error::Server(e.to_string()))?;
        if mode == OpenMode::Existing {
            let set_up: Option<String> =
                sqlx::query_scalar("SELECT CAST(to_regclass('study') AS TEXT)")
                    .fetch_one(&pool)
                    .await?;
            if set_up.is_none() {
                return Err(Error::ServerStoreMissing);
            }
        }
        POSTGRES_MIGRATIONS.run(&pool).await?;
        Ok(Store {
            pool,
            backend: Backend::Postgres,
            search: None,
            placing: Default::default(),
            location: Arc::new(Secret(Location::Postgres {
                url: url.to_string(),
                index: PathBuf::new(),
            })),
        })
    }

    /// The database this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The newest migration applied to this store.
    pub async fn schema_version(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// The full-text index of this store.
    pub fn search_index(&self) -> Result<&SearchIndex> {
        self.search
            .as_deref()
            .ok_or_else(|| Error::Search("no index is open".into()))
    }

    /// One record of any editable kind, by its type: `store.get::<Code>(id)`.
    pub async fn get<T: Kind>(&self, id: i64) -> Result<T> {
        // A read: a plain transaction, which takes no write lock (and is rolled back).
        Tx {
            tx: self.pool.begin().await?,
            store: self.clone(),
        }
        .get(id)
        .await
    }

    /// Starts a write.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(Tx {
            tx: self.begin_write().await?,
            store: self.clone(),
        })
    }

    /// A transaction that will write. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`): a transaction that reads first and writes later cannot wait for the
    /// lock when another writer got in between, and fails with "database is locked" under
    /// concurrent writes (seen under load: 184 of 9,481 requests); waiting at the start
    /// lets `busy_timeout` do its work.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub async fn close(&self) {
        if let Some(search) = &self.search {
            search.settle().await;
        }
        self.pool.close().await;
    }

    // ---- studies -------------------------------------------------------------------

    pub async fn studies(&self) -> Result<Vec<Study>> {
        let rows = sqlx::query("SELECT * FROM study ORDER BY fiscal_year_be DESC, id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(study).collect()
    }

    pub async fn study(&self, id: i64) -> Result<Study> {
        let row = sqlx::query("SELECT * FROM study WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        study(&found(row, "การศึกษา", "study", id)?)
    }

    pub async fn study_by_slug(&self, slug: &str) -> Result<Option<Study>> {
        let row = sqlx::query("SELECT * FROM study WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(study).transpose()
    }

    // ---- sites ---------------------------------------------------------------------

    pub async fn site(&self, id: i64) -> Result<Site> {
        let row = sqlx::query("SELECT * FROM site WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        site(&found(row, "พื้นที่", "site", id)?)
    }

    /// Every site of a study with where it stands, in the study's order.
    pub async fn site_overviews(&self, study_id: i64) -> Result<Vec<SiteOverview>> {
        self.overviews("s.study_id = $1", study_id).await
    }

    pub async fn site_overview(&self, site_id: i64) -> Result<SiteOverview> {
        self.overviews("s.id = $1", site_id)
            .await?
            .pop()
            .ok_or(Error::NotFound {
                what_th: "พื้นที่",
                what_en: "site",
                id: site_id,
            })
    }

    async fn overviews(&self, filter: &str, id: i64) -> Result<Vec<SiteOverview>> {
        // A site's status is derived, never stored: a data-return forum held → returned;
        // an accepted coding in any of its documents → coded; any forum held → forum held.
        let sql = format!(
            "SELECT s.*,
               CASE
                 WHEN EXISTS (SELECT 1 FROM forum f WHERE f.site_id = s.id
                              AND f.kind = 'data_return' AND f.status = 'held') THEN 'returned'
                 WHEN EXISTS (SELECT 1 FROM coding c
                              JOIN document d ON d.id = c.document_id
                              JOIN forum f ON f.id = d.forum_id
                              WHERE f.site_id = s.id AND c.status = 'accepted') THEN 'coded'
                 WHEN EXISTS (SELECT 1 FROM forum f WHERE f.site_id = s.id
                              AND f.status = 'held') THEN 'forum_held'
                 ELSE 'planned'
               END AS site_status,
               (SELECT COUNT(*) FROM forum f WHERE f.site_id = s.id) AS forum_count,
               (SELECT COUNT(*) FROM community c WHERE c.site_id = s.id) AS community_count
             FROM site s WHERE {filter} ORDER BY s.study_id, s.position, s.id"
        );
        // `filter` is one of two literals in this file, never user text.
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(SiteOverview {
                    site: site(r)?,
                    status: parse(r, "site_status")?,
                    forums: r.try_get("forum_count")?,
                    communities: r.try_get("community_count")?,
                })
            })
            .collect()
    }

    /// Finds a site by its admin code ("1015") or Thai name, with or without its prefix
    /// ("ธนบุรี", "เขตธนบุรี", "ต.พระแท่น", "ตำบลพระแท่น").
    pub async fn find_site(&self, query: &str) -> Result<Site> {
        let q = query.trim();
        let mut sites = self.sites_named(q).await?;
        match sites.len() {
            0 => Err(Error::UnknownSite(q.to_string())),
            1 => Ok(sites.remove(0)),
            _ => Err(Error::AmbiguousSite {
                name: q.to_string(),
                candidates: sites
                    .iter()
                    .map(|s| {
                        format!(
                            "{} {} ({})",
                            s.display_name(),
                            s.province_display(),
                            s.admin_code.as_deref().unwrap_or("-")
                        )
                    })
                    .collect(),
            }),
        }
    }

    /// Every site, in any study, with this Thai name (ต./แขวง/เขต may be written) or
    /// admin code.
    pub async fn sites_named(&self, query: &str) -> Result<Vec<Site>> {
        let q = query.trim();
        let rows = sqlx::query(
            "SELECT * FROM site WHERE admin_code = $1 OR name_th = $2 ORDER BY study_id, position",
        )
        .bind(q)
        .bind(strip_admin_prefix(q))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(site).collect()
    }

    /// Every code, in any study, with this key or Thai or English name.
    pub async fn codes_named(&self, query: &str) -> Result<Vec<Code>> {
        let q = query.trim();
        let rows = sqlx::query(
            "SELECT * FROM code WHERE key = $1 OR name_th = $1 OR lower(name_en) = lower($1)
             ORDER BY study_id, position",
        )
        .bind(q)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(code).collect()
    }

    // ---- communities, forums, documents ---------------------------------------------

    pub async fn communities(&self, site_id: i64) -> Result<Vec<Community>> {
        let rows = sqlx::query("SELECT * FROM community WHERE site_id = $1 ORDER BY id")
            .bind(site_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(community).collect()
    }

    pub async fn forum(&self, id: i64) -> Result<Forum> {
        let row = sqlx::query("SELECT * FROM forum WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        forum(&found(row, "เวที", "forum", id)?)
    }

    /// Forums of a site, or of every site when `site_id` is `None`: held ones by date,
    /// then those without a date.
    pub async fn forums(&self, site_id: Option<i64>) -> Result<Vec<Forum>> {
        let rows = sqlx::query(
            "SELECT * FROM forum WHERE $1 IS NULL OR site_id = $1
             ORDER BY CASE WHEN date IS NULL THEN 1 ELSE 0 END, date, id",
        )
        .bind(site_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(forum).collect()
    }

    pub async fn forum_parties(&self, forum_id: i64) -> Result<Vec<ForumParty>> {
        let rows = sqlx::query("SELECT * FROM forum_party WHERE forum_id = $1 ORDER BY id")
            .bind(forum_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(forum_party).collect()
    }

    pub async fn attendees(&self, forum_id: i64) -> Result<Vec<Attendee>> {
        let rows = sqlx::query("SELECT * FROM attendee WHERE forum_id = $1 ORDER BY id")
            .bind(forum_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(attendee).collect()
    }

    pub async fn document(&self, id: i64) -> Result<Document> {
        let row = sqlx::query("SELECT * FROM document WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        document(&found(row, "เอกสาร", "document", id)?)
    }

    pub async fn documents(&self, forum_id: i64) -> Result<Vec<Document>> {
        let rows = sqlx::query("SELECT * FROM document WHERE forum_id = $1 ORDER BY id")
            .bind(forum_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(document).collect()
    }

    /// The document with these exact bytes (by content hash), if one was imported.
    pub async fn document_by_hash(&self, hash: &str) -> Result<Option<Document>> {
        let row = sqlx::query("SELECT * FROM document WHERE content_hash = $1 ORDER BY id LIMIT 1")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(document).transpose()
    }

    /// How many documents a forum has.
    pub async fn document_count(&self, forum_id: i64) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM document WHERE forum_id = $1")
            .bind(forum_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    // ---- codebook and codings --------------------------------------------------------

    /// A study's codes, parents before children, siblings in their order.
    pub async fn codes(&self, study_id: i64) -> Result<Vec<Code>> {
        let rows = sqlx::query("SELECT * FROM code WHERE study_id = $1 ORDER BY position, id")
            .bind(study_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(code).collect()
    }

    pub async fn codings(&self, document_id: i64) -> Result<Vec<Coding>> {
        let rows = sqlx::query(
            "SELECT * FROM coding WHERE document_id = $1 ORDER BY span_start, span_end, id",
        )
        .bind(document_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(coding).collect()
    }

    /// How many codings (not rejected) each code of a study has, by code id.
    pub async fn coding_counts(
        &self,
        study_id: i64,
    ) -> Result<std::collections::HashMap<i64, i64>> {
        let rows = sqlx::query(
            "SELECT c.code_id AS code_id, COUNT(*) AS n FROM coding c
             JOIN code k ON k.id = c.code_id
             WHERE k.study_id = $1 AND c.status <> 'rejected' GROUP BY c.code_id",
        )
        .bind(study_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("code_id")?, r.try_get("n")?)))
            .collect()
    }

    /// Every organization rian read in a study's documents, with the site of each.
    pub async fn organization_facts(&self, study_id: i64) -> Result<Vec<(Fact, i64)>> {
        let rows = sqlx::query(
            "SELECT x.*, f.site_id AS site_id FROM fact x
             JOIN document d ON d.id = x.document_id
             JOIN forum f ON f.id = d.forum_id
             JOIN site s ON s.id = f.site_id
             WHERE s.study_id = $1 AND x.kind = 'organization' ORDER BY x.id",
        )
        .bind(study_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((fact(r)?, r.try_get("site_id")?)))
            .collect()
    }

    /// Every tie of a study's actors.
    pub async fn study_ties(&self, study_id: i64) -> Result<Vec<Tie>> {
        let rows = sqlx::query(
            "SELECT t.* FROM tie t JOIN actor a ON a.id = t.actor_id
             WHERE a.study_id = $1 ORDER BY t.id",
        )
        .bind(study_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(tie).collect()
    }

    /// Every coding of a code, in any document.
    pub async fn codings_of_code(&self, code_id: i64) -> Result<Vec<Coding>> {
        let rows = sqlx::query("SELECT * FROM coding WHERE code_id = $1 ORDER BY id")
            .bind(code_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(coding).collect()
    }

    pub async fn facts(&self, document_id: i64) -> Result<Vec<Fact>> {
        let rows = sqlx::query("SELECT * FROM fact WHERE document_id = $1 ORDER BY id")
            .bind(document_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(fact).collect()
    }

    // ---- SWOT, network, plan ---------------------------------------------------------

    pub async fn swot_items(&self, community_id: i64) -> Result<Vec<SwotItem>> {
        let rows = sqlx::query(
            "SELECT * FROM swot_item WHERE community_id = $1 ORDER BY quadrant, position, id",
        )
        .bind(community_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(swot_item).collect()
    }

    /// How many SWOT items each community of a site has (those with none are left out).
    pub async fn swot_item_counts(
        &self,
        site_id: i64,
    ) -> Result<std::collections::HashMap<i64, i64>> {
        let rows = sqlx::query(
            "SELECT i.community_id, COUNT(*) FROM swot_item i
             JOIN community c ON c.id = i.community_id
             WHERE c.site_id = $1 GROUP BY i.community_id",
        )
        .bind(site_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    pub async fn actors(&self, study_id: i64) -> Result<Vec<Actor>> {
        let rows = sqlx::query("SELECT * FROM actor WHERE study_id = $1 ORDER BY name")
            .bind(study_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(actor).collect()
    }

    pub async fn ties(&self, site_id: i64) -> Result<Vec<Tie>> {
        let rows = sqlx::query("SELECT * FROM tie WHERE site_id = $1 ORDER BY id")
            .bind(site_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(tie).collect()
    }

    pub async fn plan_items(&self, site_id: i64) -> Result<Vec<PlanItem>> {
        let rows = sqlx::query("SELECT * FROM plan_item WHERE site_id = $1 ORDER BY id")
            .bind(site_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(plan_item).collect()
    }

    /// Memos of a study, newest first: on one item if `target` is given, and containing
    /// `query` if it is given.
    pub async fn memos(
        &self,
        study_id: i64,
        target: Option<(MemoTarget, i64)>,
        query: Option<&str>,
    ) -> Result<Vec<Memo>> {
        let pattern = query.map(|q| {
            let escaped = q
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("%{escaped}%")
        });
        let rows = sqlx::query(
            "SELECT * FROM memo WHERE study_id = $1
               AND ($2 IS NULL OR (target = $2 AND target_id = $3))
               AND ($4 IS NULL OR text LIKE $4 ESCAPE '\\')
             ORDER BY id DESC",
        )
        .bind(study_id)
        .bind(target.map(|(t, _)| t.as_str()))
        .bind(target.map(|(_, id)| id))
        .bind(pattern)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(memo).collect()
    }

    /// A study's activity, newest first.
    pub async fn activity(&self, study_id: i64, limit: i64) -> Result<Vec<Activity>> {
        let rows =
            sqlx::query("SELECT * FROM activity WHERE study_id = $1 ORDER BY id DESC LIMIT $2")
                .bind(study_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(activity).collect()
    }

    /// The store's clock, as `YYYY-MM-DD HH:MM:SS` in UTC: the same clock as the times
    /// it records itself.
    pub async fn now(&self) -> Result<String> {
        let sql = format!("SELECT {} AS now", self.backend.now());
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("now")?)
    }

    /// Runs the database's own consistency check; true if and only if it finds nothing.
    pub async fn integrity_ok(&self) -> Result<bool> {
        if self.backend == Backend::Postgres {
            // The server checks its pages and constraints as it writes; there is no
            // whole-database check to ask for without an extension (amcheck).
            return Ok(true);
        }
        let row = sqlx::query("PRAGMA integrity_check")
            .fetch_one(&self.pool)
            .await?;
        let verdict: String = row.try_get(0)?;
        let fk = sqlx::query("PRAGMA foreign_key_check")
            .fetch_all(&self.pool)
            .await?;
        Ok(verdict == "ok" && fk.is_empty())
    }
}

/// Removes a leading administrative prefix from a place name.
pub fn strip_admin_prefix(name: &str) -> &str {
    const PREFIXES: [&str; 6] = ["ตำบล", "ต.", "แขวง", "เขต", "อำเภอ", "อ."];
    PREFIXES
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .map(str::trim_start)
        .filter(|rest| !rest.is_empty())
        .unwrap_or(name)
}

fn found(
    row: Option<AnyRow>,
    what_th: &'static str,
    what_en: &'static str,
    id: i64,
) -> Result<AnyRow> {
    row.ok_or(Error::NotFound {
        what_th,
        what_en,
        id,
    })
}

/// A number for a `DOUBLE PRECISION` column, bound as text and cast in the SQL. The Any
/// driver of sqlx 0.9 sends a NULL `f64` as a `float4` parameter; a statement prepared
/// with it on PostgreSQL then refuses the next real number ("incorrect binary data
/// format"). Rust writes an `f64` in the fewest digits that read back to the same value.
pub(crate) fn real(x: Option<f64>) -> Option<String> {
    x.map(|v| v.to_string())
}

impl Tx {
    /// Commits, then brings the search index up to date. The write stands even if the
    /// index cannot follow at once: its queue of changes stays in the store and is applied
    /// at the next search or start.
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        if let Some(index) = &self.store.search
            && let Err(e) = index.sync(&self.store).await
        {
            eprintln!("rian: {e}");
        }
        Ok(())
    }

    /// The study a coding belongs to, and its status.
    pub async fn coding_study_and_status(&mut self, coding_id: i64) -> Result<(i64, CodingStatus)> {
        let row = sqlx::query(
            "SELECT s.study_id AS study_id, c.status AS status FROM coding c
             JOIN document d ON d.id = c.document_id
             JOIN forum f ON f.id = d.forum_id
             JOIN site s ON s.id = f.site_id
             WHERE c.id = $1",
        )
        .bind(coding_id)
        .fetch_optional(&mut *self.tx)
        .await?
        .ok_or(Error::NotFound {
            what_th: "การลงรหัส",
            what_en: "coding",
            id: coding_id,
        })?;
        Ok((row.try_get("study_id")?, parse(&row, "status")?))
    }

    pub async fn delete_coding(&mut self, coding_id: i64) -> Result<()> {
        sqlx::query("DELETE FROM coding WHERE id = $1")
            .bind(coding_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn set_coding_status(&mut self, coding_id: i64, status: CodingStatus) -> Result<()> {
        sqlx::query("UPDATE coding SET status = $2 WHERE id = $1")
            .bind(coding_id)
            .bind(status.as_str())
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Writes an entry of the activity log; returns its id.
    #[allow(clippy::too_many_arguments)]
    pub async fn log_activity(
        &mut self,
        study_id: i64,
        batch: Option<i64>,
        actor: &str,
        action: &str,
        entity: &str,
        entity_id: i64,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO activity (study_id, batch, actor, action, entity, entity_id,
                                   before_value, after_value)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(study_id)
        .bind(batch)
        .bind(actor.to_string())
        .bind(action.to_string())
        .bind(entity.to_string())
        .bind(entity_id)
        .bind(before.map(str::to_string))
        .bind(after.map(str::to_string))
        .fetch_one(&mut *self.tx)
        .await?;
        // The first entry of a batch is made its own batch by the database (migration
        // 0011).
        Ok(row.try_get("id")?)
    }

    /// The newest batch of changes in a study that is not undone, oldest entry first.
    pub async fn last_activity_batch(&mut self, study_id: i64) -> Result<Vec<Activity>> {
        let rows = sqlx::query(
            "SELECT * FROM activity WHERE study_id = $1 AND undone = 0 AND batch = (
               SELECT batch FROM activity WHERE study_id = $1 AND undone = 0
               ORDER BY id DESC LIMIT 1)
             ORDER BY id DESC",
        )
        .bind(study_id)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(activity).collect()
    }

    pub async fn mark_undone(&mut self, activity_id: i64) -> Result<()> {
        sqlx::query("UPDATE activity SET undone = 1 WHERE id = $1")
            .bind(activity_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Fills in what a forum record does not say yet; what a person entered stays.
    pub async fn complete_forum(&mut self, f: &Forum) -> Result<()> {
        sqlx::query(
            "UPDATE forum SET
               title = COALESCE(title, $2),
               date = COALESCE(date, $3),
               date_end = COALESCE(date_end, $4),
               venue = COALESCE(venue, $5),
               participants = COALESCE(participants, $6)
             WHERE id = $1",
        )
        .bind(f.id)
        .bind(f.title.clone())
        .bind(f.date.map(|d| d.to_string()))
        .bind(f.date_end.map(|d| d.to_string()))
        .bind(f.venue.clone())
        .bind(f.participants)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub(crate) async fn insert(
        &mut self,
        q: sqlx::query::Query<'_, Any, sqlx::any::AnyArguments>,
    ) -> Result<i64> {
        let row = q.fetch_one(&mut *self.tx).await?;
        Ok(row.try_get("id")?)
    }

    /// Each `insert_*` writes one entity and returns its id: a new one if the entity's `id`
    /// is 0, else that id (undo puts a deleted record back as it was).
    pub async fn insert_study(&mut self, s: &Study) -> Result<i64> {
        self.insert(
            sqlx::query(
                "INSERT INTO study (slug, name_th, name_en, fiscal_year_be, framework)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(s.slug.clone())
            .bind(s.name_th.clone())
            .bind(s.name_en.clone())
            .bind(s.fiscal_year_be)
            .bind(s.framework.clone()),
        )
        .await
    }

    pub async fn insert_site(&mut self, s: &Site) -> Result<i64> {
        self.insert(
            sqlx::query(
                "INSERT INTO site (study_id, position, name_th, level, district_th, province_th,
                                   admin_code, lat, lon, fictional)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, CAST($8 AS DOUBLE PRECISION),
                         CAST($9 AS DOUBLE PRECISION), $10) RETURNING id",
            )
            .bind(s.study_id)
            .bind(s.position)
            .bind(s.name_th.clone())
            .bind(s.level.as_str())
            .bind(s.district_th.clone())
            .bind(s.province_th.clone())
            .bind(s.admin_code.clone())
            .bind(real(s.lat))
            .bind(real(s.lon))
            .bind(i64::from(s.fictional)),
        )
        .await
    }

    pub async fn insert_community(&mut self, c: &Community) -> Result<i64> {
        self.insert(
            sqlx::query(
                "INSERT INTO community (site_id, name_th, note, id) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(c.site_id)
            .bind(c.name_th.clone())
            .bind(c.note.clone())
            .bind(new_id(c.id)),
        )
        .await
    }

    pub async fn insert_forum(&mut self, f: &Forum) -> Result<i64> {
        self.insert(
            sqlx::query(
                "INSERT INTO forum (site_id, kind, status, title, date, date_end, venue, participants, id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(f.site_id)
            .bind(f.kind.as_str())
            .bind(f.status.as_str())
            .bind(f.title.clone())
            .bind(f.date.map(|d| d.to_string()))
            .bind(f.date_end.map(|d| d.to_string()))
            .bind(f.venue.clone())
            .bind(f.participants)
            .bind(new_id(f.id)),
        )
        .await
    }

    pub async fn insert_forum_party(&mut self, p: &ForumParty) -> Result<i64> {
        self.insert(
            sqlx::query(
                "INSERT INTO forum_party (forum_id, role, name, id) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(p.forum_id)
            .bind(p.role.as_str())
            .bind(p.name.clone())
            .bind(new_id(p.id)),
        )
        .await
    }

    pub async fn insert_attendee(&mut self, a: &Attendee) -> Result<i64> {
        self.insert(
            sqlx::query(
                "INSERT INTO attendee (forum_id, name, phone, role) VALUES ($1, $2, $3, $4)
                 RETURNING id",
            )
            .bind(a.forum_id)
            .bind(a.name.clone())
            .bind(a.phone.clone())
            .bind(a.role.clone()),
        )
        .await
    }

    pub async fn insert_document(&mut self, d: &Document) -> Result<i64> {
        self.insert(
            sqlx::query(
                "INSERT INTO document (forum_id, title, source_name, media_type, original, text,
                                       content_hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(d.forum_id)
            .bind(d.title.clone())
            .bind(d.source_name.clone())
            .bind(d.media_type.clone())
            .bind(d.original.clone())
            .bind(d.text.clone())
            .bind(d.content_hash.clone()),
        )
        .await
    }

    pub async fn insert_code(&mut self, c: &Code) -> Result<i64> {
        self.insert(
            sqlx::query(
                "INSERT INTO code (study_id, parent_id, key, name_th, name_en, color, position,
                                   description, id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(c.study_id)
            .bind(c.parent_id)
            .bind(c.key.clone())
            .bind(c.name_th.clone())
            .bind(c.name_en.clone())
            .bind(c.color.clone())
            .bind(c.position)
            .bind(c.description.clone())
            .bind(new_id(c.id)),
        )
        .await
    }

    pub async fn insert_coding(&mut self, c: &Coding) -> Result<i64> {
        self.insert(
            sqlx::query(
                "INSERT INTO coding (document_id, code_id, span_start, span_end, coder, status, memo,
                                     cue, id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(c.document_id)
            .bind(c.code_id)
            .bind(c.span.start)
            .bind(c.span.end)
            .bind(c.coder.clone())
            .bind(c.status.as_str())
            .bind(c.memo.clone())
            .bind(c.cue.clone())
            .bind(new_id(c.id)),
        )
        .await
    }

    pub async fn insert_fact(&mut self, f: &Fact) -> Result<i64> {
        self.insert(
            sqlx::query(
                "INSERT INTO fact (document_id, kind, value, number, unit, span_start, span_end, id)
                 VALUES ($1, $2, $3, CAST($4 AS DOUBLE PRECISION), $5, $6, $7, $8) RETURNING id",
            )
            .bind(f.document_id)
            .bind(f.kind.as_str())
            .bind(f.value.clone())
            .bind(real(f.number))
            .bind(f.unit.clone())
            .bind(f.span.map(|s| s.start))
            .bind(f.span.map(|s| s.end))
            .bind(new_id(f.id)),
        )
        .await
    }

    pub async fn insert_swot_item(&mut self, s: &SwotItem) -> Result<i64> {
        self.insert(
            sqlx::query(
                "INSERT INTO swot_item (community_id, quadrant, text, position, document_id,
                                        span_start, span_end, id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(s.community_id)
            .bind(s.quadrant.as_str())
            .bind(s.text.clone())
            .bind(s.position)
            .bind(s.document_id)
            .bind(s.span.map(|s| s.start))
            .bind(s.span.map(|s| s.end))
            .bind(new_id(s.id)),
        )
        .await
    }

    pub async fn insert_actor(&mut self, a: &Actor) -> Result<i64> {
        self.insert(
            sqlx::query(
                "INSERT INTO actor (study_id, name, kind, id) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(a.study_id)
            .bind(a.name.clone())
            .bind(a.kind.as_str())
            .bind(new_id(a.id)),
        )
        .await
    }

    pub async fn insert_tie(&mut self, t: &Tie) -> Result<i64> {
        self.insert(
            sqlx::query(
                "INSERT INTO tie (actor_id, site_id, kind, note, document_id, span_start, span_end, id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(t.actor_id)
            .bind(t.site_id)
            .bind(t.kind.as_str())
            .bind(t.note.clone())
            .bind(t.document_id)
            .bind(t.span.map(|s| s.start))
            .bind(t.span.map(|s| s.end))
            .bind(new_id(t.id)),
        )
        .await
    }

    pub async fn insert_plan_item(&mut self, p: &PlanItem) -> Result<i64> {
        self.insert(
            sqlx::query(
                "INSERT INTO plan_item (site_id, what, who, due, status, progress, id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(p.site_id)
            .bind(p.what.clone())
            .bind(p.who.clone())
            .bind(p.due.map(|d| d.to_string()))
            .bind(p.status.as_str())
            .bind(p.progress)
            .bind(new_id(p.id)),
        )
        .await
    }
}

/// The id to insert: `None` lets the database choose a new one.
fn new_id(id: i64) -> Option<i64> {
    (id != 0).then_some(id)
}
