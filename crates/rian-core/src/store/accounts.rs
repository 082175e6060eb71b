//! Accounts, sessions and blind coding of a shared deployment (migration 0009). The rule
//! of who may do what is in `access`; this is only how accounts are kept.

use super::Store;
use crate::access;
use crate::model::{Account, Role};
use crate::{Error, Result};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The longest account name, in characters.
const MAX_ACCOUNT_NAME_CHARS: usize = 100;

/// A new account, as `rian user add` gives it.
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    pub name: &'a str,
    pub role: Role,
    pub site_id: Option<i64>,
    pub studies: &'a [i64],
    pub password: &'a str,
}

/// A signed-in session: whose it is, and the token its forms carry against cross-site
/// requests.
#[derive(Debug, Clone)]
pub struct Session {
    pub account: Account,
    pub csrf: String,
    /// Seconds since 1970 (UTC) when it ends.
    pub expires_at: i64,
}

impl Session {
    /// Has it ended by the clock?
    pub fn expired(&self) -> bool {
        self.expires_at <= unix_now()
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn check_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_ACCOUNT_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(Error::Invalid {
            field: "name",
            th: format!("ชื่อผู้ใช้ต้องมี 1–{MAX_ACCOUNT_NAME_CHARS} ตัวอักษร ไม่มีอักขระควบคุม"),
            en: format!(
                "a user name has 1–{MAX_ACCOUNT_NAME_CHARS} characters, no control characters"
            ),
        });
    }
    Ok(name)
}

/// Makes account `id` a member of `studies` (those it belongs to already stay as they are).
async fn join_studies(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    studies: &[i64],
) -> Result<()> {
    for &study in studies {
        sqlx::query(
            "INSERT INTO account_study (account_id, study_id) SELECT $1, $2
             WHERE NOT EXISTS (SELECT 1 FROM account_study WHERE account_id = $1 AND study_id = $2)",
        )
        .bind(id)
        .bind(study)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn unknown_account(name: &str) -> Error {
    Error::Invalid {
        field: "name",
        th: format!("ไม่พบผู้ใช้ \"{name}\" (ดูรายชื่อด้วย rian user list)"),
        en: format!("no user named \"{name}\" (see rian user list)"),
    }
}

impl Store {
    /// Adds an account. A community reviewer needs their site; the studies named must
    /// exist.
    pub async fn add_account(&self, new: &NewAccount<'_>) -> Result<Account> {
        let name = check_name(new.name)?;
        if new.role == Role::Reviewer && new.site_id.is_none() {
            return Err(Error::Invalid {
                field: "site",
                th: "ผู้ตรวจทานจากชุมชนต้องระบุพื้นที่ของตน (--site)".into(),
                en: "a community reviewer needs their site (--site)".into(),
            });
        }
        let hash = hash_off_thread(new.password.to_string()).await?;
        let mut tx = self.begin_write().await?;
        let taken = sqlx::query("SELECT 1 FROM account WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(Error::Invalid {
                field: "name",
                th: format!("มีผู้ใช้ชื่อ \"{name}\" แล้ว"),
                en: format!("a user named \"{name}\" already exists"),
            });
        }
        sqlx::query(
            "INSERT INTO account (id, name, role, site_id, password_hash) VALUES (NULL, $1, $2, $3, $4)",
        )
        .bind(name)
        .bind(new.role.as_str())
        .bind(new.site_id)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
        let id: i64 = sqlx::query("SELECT id FROM account WHERE name = $1")
            .bind(name)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
        join_studies(&mut tx, id, new.studies).await?;
        tx.commit().await?;
        self.account(name)
            .await?
            .ok_or_else(|| unknown_account(name))
    }

    /// The account with this name, disabled or not.
    pub async fn account(&self, name: &str) -> Result<Option<Account>> {
        let row = sqlx::query("SELECT * FROM account WHERE name = $1")
            .bind(name.trim())
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => Ok(Some(self.account_from(&row).await?)),
            None => Ok(None),
        }
    }

    /// Every account, by name.
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        let rows = sqlx::query("SELECT * FROM account ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        let mut accounts = Vec::with_capacity(rows.len());
        for row in &rows {
            accounts.push(self.account_from(row).await?);
        }
        Ok(accounts)
    }

    /// Does this store have any account (then a shared deployment can sign people in)?
    pub async fn has_accounts(&self) -> Result<bool> {
        Ok(sqlx::query("SELECT 1 FROM account LIMIT 1")
            .fetch_optional(&self.pool)
            .await?
            .is_some())
    }

    async fn account_from(&self, row: &AnyRow) -> Result<Account> {
        let id: i64 = row.try_get("id")?;
        let studies = sqlx::query(
            "SELECT study_id FROM account_study WHERE account_id = $1 ORDER BY study_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>("study_id"))
        .collect::<Result<Vec<_>, _>>()?;
        Ok(Account {
            id,
            name: row.try_get("name")?,
            role: row.try_get::<String, _>("role")?.parse()?,
            site_id: row.try_get("site_id")?,
            studies,
            disabled: row.try_get::<i64, _>("disabled")? != 0,
            created_at: row.try_get("created_at")?,
        })
    }

    /// Adds an account to the studies `join` and takes it out of `leave` (a facilitator
    /// changes the studies they belong to without a new account).
    pub async fn change_account_studies(
        &self,
        name: &str,
        join: &[i64],
        leave: &[i64],
    ) -> Result<Account> {
        let name = name.trim();
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT id, role FROM account WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| unknown_account(name))?;
        let id: i64 = row.try_get("id")?;
        if row.try_get::<String, _>("role")? != Role::Facilitator.as_str() {
            return Err(Error::Invalid {
                field: "role",
                th: format!("\"{name}\" ไม่ใช่ผู้จัดเวที / นักวิจัย มีเพียงบทบาทนี้ที่สังกัดการศึกษา"),
                en: format!("\"{name}\" is not a facilitator: only facilitators belong to studies"),
            });
        }
        for &study in leave {
            sqlx::query("DELETE FROM account_study WHERE account_id = $1 AND study_id = $2")
                .bind(id)
                .bind(study)
                .execute(&mut *tx)
                .await?;
        }
        join_studies(&mut tx, id, join).await?;
        tx.commit().await?;
        self.account(name)
            .await?
            .ok_or_else(|| unknown_account(name))
    }

    /// Sets a new password; every session of the account ends.
    pub async fn reset_password(&self, name: &str, password: &str) -> Result<()> {
        let hash = hash_off_thread(password.to_string()).await?;
        self.change_account(
            name,
            "UPDATE account SET password_hash = $1 WHERE name = $2",
            &hash,
        )
        .await
    }

    /// Disables (or enables again) an account; a disabled one cannot sign in and its
    /// sessions end. Its name stays in the activity log.
    pub async fn set_account_disabled(&self, name: &str, disabled: bool) -> Result<()> {
        let flag = if disabled { "1" } else { "0" };
        self.change_account(
            name,
            "UPDATE account SET disabled = CAST($1 AS BIGINT) WHERE name = $2",
            flag,
        )
        .await
    }

    async fn change_account(&self, name: &str, sql: &'static str, value: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(sql)
            .bind(value)
            .bind(name.trim())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(unknown_account(name.trim()));
        }
        sqlx::query(
            "DELETE FROM account_session WHERE account_id = (SELECT id FROM account WHERE name = $1)",
        )
        .bind(name.trim())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Checks a name and password and opens a session of `lifetime`; returns its token
    /// (given to the browser once, kept here only as a hash) and the session. A wrong
    /// name, a wrong password and a disabled account are refused alike, and take alike
    /// long.
    pub async fn sign_in(
        &self,
        name: &str,
        password: &str,
        lifetime: Duration,
    ) -> Result<(String, Session)> {
        let account = self.account(name).await?;
        let hash: Option<String> = match &account {
            Some(a) => Some(
                sqlx::query("SELECT password_hash FROM account WHERE id = $1")
                    .bind(a.id)
                    .fetch_one(&self.pool)
                    .await?
                    .try_get("password_hash")?,
            ),
            None => None,
        };
        let password = password.to_string();
        let matches = tokio::task::spawn_blocking(move || {
            access::password_matches(
                &password,
                hash.as_deref().unwrap_or_else(|| access::decoy_hash()),
            )
        })
        .await
        .map_err(|e| Error::Corrupt(format!("password check failed: {e}")))?;
        let account = match account {
            Some(a) if matches && !a.disabled => a,
            _ => return Err(Error::BadLogin),
        };
        let token = access::random_token()?;
        let csrf = access::random_token()?;
        let now = unix_now();
        // Sessions that ran out are cleared as new ones begin.
        sqlx::query("DELETE FROM account_session WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO account_session (token_hash, account_id, csrf, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(access::token_hash(&token))
        .bind(account.id)
        .bind(&csrf)
        .bind(now.saturating_add(lifetime.as_secs() as i64))
        .execute(&self.pool)
        .await?;
        let expires_at = now.saturating_add(lifetime.as_secs() as i64);
        Ok((
            token,
            Session {
                account,
                csrf,
                expires_at,
            },
        ))
    }

    /// The live session a token opens, if any: not expired, its account not disabled.
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        let row = sqlx::query(
            "SELECT a.*, s.csrf AS session_csrf, s.expires_at AS session_expires FROM account_session s
             JOIN account a ON a.id = s.account_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled = 0",
        )
        .bind(access::token_hash(token))
        .bind(unix_now())
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some(Session {
                account: self.account_from(&row).await?,
                csrf: row.try_get("session_csrf")?,
                expires_at: row.try_get("session_expires")?,
            })),
            None => Ok(None),
        }
    }

    /// Ends the session a token opened.
    pub async fn sign_out(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM account_session WHERE token_hash = $1")
            .bind(access::token_hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

impl Store {
    /// Is the study coded blind (each coder sees only their own codings)?
    pub async fn is_blind(&self, study_id: i64) -> Result<bool> {
        Ok(sqlx::query("SELECT 1 FROM blind_study WHERE study_id = $1")
            .bind(study_id)
            .fetch_optional(&self.pool)
            .await?
            .is_some())
    }

    /// Every study coded blind.
    pub async fn blind_studies(&self) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT study_id FROM blind_study ORDER BY study_id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// A document's codings as `coder` may see them ([`seen_by`]).
    pub async fn codings_seen_by(
        &self,
        document_id: i64,
        coder: &str,
    ) -> Result<Vec<crate::model::Coding>> {
        let codings = self.codings(document_id).await?;
        let study = self
            .place_of(access::Target::Record(
                crate::model::Entity::DocumentText,
                document_id,
            ))
            .await?
            .study;
        Ok(seen_by(codings, coder, self.is_blind(study).await?))
    }

    /// The study's coded passages as `coder` may see them: every one, or while the study
    /// is coded blind only their own (the matrix and the pages built on it would
    /// otherwise show one coder the other's codes).
    pub async fn coded_passages_seen_by(
        &self,
        study_id: i64,
        coder: &str,
    ) -> Result<Vec<super::CodedPassage>> {
        let mut passages = self.coded_passages(study_id).await?;
        if self.is_blind(study_id).await? {
            let mine: std::collections::HashSet<i64> = sqlx::query(
                "SELECT id FROM coding
                 WHERE coder = $1 AND code_id IN (SELECT id FROM code WHERE study_id = $2)",
            )
            .bind(coder)
            .bind(study_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>(0))
            .collect::<Result<_, _>>()?;
            passages.retain(|p| mine.contains(&p.coding_id));
        }
        Ok(passages)
    }

    /// Starts or ends blind coding of a study.
    pub async fn set_blind(&self, study_id: i64, blind: bool) -> Result<()> {
        self.place_of(access::Target::Study(study_id)).await?;
        let sql = if blind {
            "INSERT INTO blind_study (study_id) SELECT $1 WHERE NOT EXISTS
             (SELECT 1 FROM blind_study WHERE study_id = $1)"
        } else {
            "DELETE FROM blind_study WHERE study_id = $1"
        };
        sqlx::query(sql).bind(study_id).execute(&self.pool).await?;
        Ok(())
    }
}

/// Argon2id takes tens of milliseconds of one core on purpose; it runs off the async
/// threads so that other requests are not held up.
async fn hash_off_thread(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || access::hash_password(&password))
        .await
        .map_err(|e| Error::Corrupt(format!("password hashing failed: {e}")))?
}

/// Codings as `coder` may see them: all of them, or, while their study is coded `blind`,
/// only their own.
pub fn seen_by(
    codings: Vec<crate::model::Coding>,
    coder: &str,
    blind: bool,
) -> Vec<crate::model::Coding> {
    if blind {
        codings.into_iter().filter(|c| c.coder == coder).collect()
    } else {
        codings
    }
}
