//! Who may do what in a shared deployment.
//!
//! Four roles ([`Role`]): an administrator does everything; a facilitator reads every
//! study and changes the studies they belong to; a community reviewer reads their own
//! site and writes corrections to it, nothing else; a viewer reads. The rule is one pair
//! of functions over a [`Place`] (where a record lives), asked by the web layer for every
//! request and by [`crate::edit::Changes`] for every change, so a route that forgets to
//! ask is still held by the other.
//!
//! Passwords are hashed with argon2id; session tokens are 256 random bits of which the
//! store keeps only a SHA-256.

use crate::model::{Account, Correction, CorrectionState, Entity, Role};
use crate::{Error, Result};
use std::sync::Arc;

/// The shortest password an account takes, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// How long a sign-in lasts.
pub const SESSION_LIFETIME: std::time::Duration = std::time::Duration::from_secs(12 * 3600);

/// Where a record lives: its study, and its site when it belongs to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub study: i64,
    pub site: Option<i64>,
}

/// What a request is about, before its place is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Study(i64),
    Site(i64),
    Record(Entity, i64),
}

impl Account {
    /// May this person read what lives at `place`?
    pub fn may_read(&self, place: Place) -> bool {
        match self.role {
            Role::Admin | Role::Facilitator | Role::Viewer => true,
            Role::Reviewer => self.site_id.is_some() && place.site == self.site_id,
        }
    }

    /// May this person change a record of kind `entity` at `place`?
    pub fn may_change(&self, entity: Entity, place: Place) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Facilitator => self.studies.contains(&place.study),
            Role::Reviewer => entity == Entity::Correction && self.may_read(place),
            Role::Viewer => false,
        }
    }

    /// May this person make this change to a correction (`None` before: a new one;
    /// `None` after: withdrawn)? A community reviewer submits corrections and may revise
    /// or withdraw their own while still open; deciding one (applied or not, with a
    /// note) is the facilitators' part.
    pub fn may_change_correction(
        &self,
        before: Option<&Correction>,
        after: Option<&Correction>,
    ) -> bool {
        if self.role != Role::Reviewer {
            return true;
        }
        let own_open = |c: &Correction| c.state == CorrectionState::Open && c.author == self.name;
        before.is_none_or(own_open)
            && after.is_none_or(|c| own_open(c) && c.note == before.and_then(|b| b.note.clone()))
    }

    /// May this person change anything at all (the coarse check before a form is read)?
    pub fn may_write(&self) -> bool {
        self.role != Role::Viewer
    }
}

/// Who makes a change: the name the activity log shows, and in a shared deployment the
/// account whose permissions it is checked against (none on a single-user laptop).
#[derive(Debug, Clone)]
pub struct Actor {
    pub name: Arc<str>,
    pub account: Option<Arc<Account>>,
}

impl Actor {
    /// Someone working alone, with no account: every change is theirs to make.
    pub fn local(name: &str) -> Actor {
        Actor {
            name: name.into(),
            account: None,
        }
    }

    pub fn signed_in(account: Account) -> Actor {
        Actor {
            name: account.name.as_str().into(),
            account: Some(Arc::new(account)),
        }
    }

    /// Refuses a change this actor may not make.
    pub fn check_change(&self, entity: Entity, place: Place) -> Result<()> {
        match &self.account {
            Some(a) if !a.may_change(entity, place) => Err(Error::Forbidden),
            _ => Ok(()),
        }
    }

    /// Refuses a change to a correction this actor may not make
    /// ([`Account::may_change_correction`]).
    pub fn check_correction(
        &self,
        before: Option<&Correction>,
        after: Option<&Correction>,
    ) -> Result<()> {
        match &self.account {
            Some(a) if !a.may_change_correction(before, after) => Err(Error::Forbidden),
            _ => Ok(()),
        }
    }
}

impl std::ops::Deref for Actor {
    type Target = str;
    fn deref(&self) -> &str {
        &self.name
    }
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// Anything that names who makes a change: a plain name (`"local"`, a CLI user) or an
/// [`Actor`] with an account.
pub trait Author: Sync {
    fn actor(&self) -> Actor;
}

impl Author for str {
    fn actor(&self) -> Actor {
        Actor::local(self)
    }
}

impl Author for String {
    fn actor(&self) -> Actor {
        Actor::local(self)
    }
}

impl Author for Actor {
    fn actor(&self) -> Actor {
        self.clone()
    }
}

/// An argon2id hash of `password` (OWASP's parameters: 19 MiB, 2 passes), as a PHC
/// string with its own random salt. Refuses a password shorter than
/// [`MIN_PASSWORD_CHARS`].
pub fn hash_password(password: &str) -> Result<String> {
    use argon2::password_hash::PasswordHasher;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::Invalid {
            field: "password",
            th: format!("รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD_CHARS} ตัวอักษร"),
            en: format!("a password needs at least {MIN_PASSWORD_CHARS} characters"),
        });
    }
    argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Corrupt(format!("password hashing failed: {e}")))
}

/// Does `password` match the PHC string `hash`? A malformed hash matches nothing.
pub fn password_matches(password: &str, hash: &str) -> bool {
    use argon2::password_hash::PasswordVerifier;
    let Ok(parsed) = argon2::password_hash::phc::PasswordHash::new(hash) else {
        return false;
    };
    argon2::Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// A hash to check a password against when the account does not exist, so that a wrong
/// name takes as long to refuse as a wrong password (no probing for names).
pub(crate) fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password, matches nothing").unwrap_or_default())
}

/// 256 random bits from the operating system, as 64 hex digits.
pub fn random_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Corrupt(format!("no randomness from the system: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// What the store keeps of a session token.
pub(crate) fn token_hash(token: &str) -> String {
    crate::model::content_hash(token.as_bytes())
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(role: Role) -> Account {
        Account {
            id: 1,
            name: "ก".into(),
            role,
            site_id: Some(3),
            studies: vec![7],
            disabled: false,
            created_at: String::new(),
        }
    }

    const MINE: Place = Place {
        study: 7,
        site: Some(3),
    };
    const OTHER_SITE: Place = Place {
        study: 7,
        site: Some(4),
    };
    const OTHER_STUDY: Place = Place {
        study: 8,
        site: None,
    };

    #[test]
    fn each_role_reads_and_changes_what_it_should() {
        let admin = account(Role::Admin);
        assert!(admin.may_change(Entity::Code, OTHER_STUDY));

        let facilitator = account(Role::Facilitator);
        assert!(facilitator.may_read(OTHER_STUDY));
        assert!(facilitator.may_change(Entity::Code, MINE));
        assert!(!facilitator.may_change(Entity::Code, OTHER_STUDY));

        let reviewer = account(Role::Reviewer);
        assert!(reviewer.may_read(MINE));
        assert!(!reviewer.may_read(OTHER_SITE));
        assert!(!reviewer.may_read(Place {
            study: 7,
            site: None
        }));
        assert!(reviewer.may_change(Entity::Correction, MINE));
        assert!(!reviewer.may_change(Entity::Correction, OTHER_SITE));
        assert!(!reviewer.may_change(Entity::Coding, MINE));

        // Corrections: a reviewer submits and revises their own open ones; deciding them
        // is a facilitator's.
        let open = Correction {
            id: 1,
            site_id: 3,
            item_entity: "forum".into(),
            item_id: 1,
            statement: "จัดเวที 30 คน".into(),
            text: "จัดเวที 45 คน".into(),
            state: CorrectionState::Open,
            note: None,
            author: reviewer.name.clone(),
            written_at: String::new(),
        };
        let revised = Correction {
            text: "จัดเวที 46 คน".into(),
            ..open.clone()
        };
        let applied = Correction {
            state: CorrectionState::Applied,
            note: Some("แก้แล้ว".into()),
            ..open.clone()
        };
        let noted = Correction {
            note: Some("โปรดดูด้วย".into()),
            ..open.clone()
        };
        let someone_elses = Correction {
            author: "ผู้อื่น".into(),
            ..open.clone()
        };
        assert!(reviewer.may_change_correction(None, Some(&open)));
        assert!(reviewer.may_change_correction(Some(&open), Some(&revised)));
        assert!(reviewer.may_change_correction(Some(&open), None));
        assert!(!reviewer.may_change_correction(None, Some(&applied)));
        assert!(!reviewer.may_change_correction(Some(&open), Some(&applied)));
        assert!(!reviewer.may_change_correction(Some(&open), Some(&noted)));
        assert!(!reviewer.may_change_correction(Some(&applied), None));
        assert!(!reviewer.may_change_correction(None, Some(&someone_elses)));
        assert!(!reviewer.may_change_correction(Some(&someone_elses), None));
        assert!(facilitator.may_change_correction(Some(&open), Some(&applied)));

        let viewer = account(Role::Viewer);
        assert!(viewer.may_read(OTHER_STUDY));
        assert!(!viewer.may_change(Entity::Memo, MINE));
        assert!(!viewer.may_write());
    }

    #[test]
    fn passwords_are_salted_argon2id_and_checked() {
        let a = hash_password("ลืมรหัสผ่านอีกแล้ว").unwrap();
        let b = hash_password("ลืมรหัสผ่านอีกแล้ว").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(password_matches("ลืมรหัสผ่านอีกแล้ว", &a));
        assert!(!password_matches("ลืมรหัสผ่านอีกแล้ว ", &a));
        assert!(!password_matches("anything", "not a hash"));
        assert!(matches!(hash_password("สั้นไป"), Err(Error::Invalid { .. })));
    }

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let t = random_token().unwrap();
        assert_eq!(t.len(), 64);
        assert_ne!(t, random_token().unwrap());
        assert!(same_secret(&t, &t.clone()));
        assert!(!same_secret(&t, &t[..63]));
        assert!(!same_secret("abc", "abd"));
    }
}
