//! Access: users (staff and holder logins), sign-in counters and sessions.

use shebao_domain::access::Role;
use shebao_domain::ids::{BankId, BranchId, EmployerId, PersonId, UserId};
use shebao_domain::time::Timestamp;

use super::Tx;
use crate::codec::{Cols, columns, first_int, id_val};
use crate::records::{SessionRecord, UserRecord};
use crate::{Row, StoreError};

columns! {
    /// The columns of a user.
    mod users {
        id, username, password_hash, role, bank_id, branch_id, person_id, failed_logins,
        locked_until, created_at, employer_id, institution_id,
    }
}

const USER_COLUMNS: &str = users::LIST;

fn user_from(row: &Row) -> Result<UserRecord, StoreError> {
    use users::*;
    let c = Cols::new(row, TABLE);
    Ok(UserRecord {
        id: UserId::new(c.text(id)?),
        username: c.text(username)?,
        password_hash: c.text(password_hash)?,
        role: c.parsed(role, Role::parse)?,
        bank_id: c.opt_text(bank_id)?.map(BankId::new),
        branch_id: c.opt_text(branch_id)?.map(BranchId::new),
        person_id: c.opt_text(person_id)?.map(PersonId::new),
        failed_logins: c.int(failed_logins)?,
        locked_until: c.opt_time(locked_until)?,
        created_at: c.time(created_at)?,
        employer_id: c.opt_text(employer_id)?.map(EmployerId::new),
        institution_id: c.opt_text(institution_id)?,
    })
}

impl Tx<'_> {
    pub fn insert_user(&mut self, user: &UserRecord) -> Result<(), StoreError> {
        self.exec(
            &format!("INSERT INTO users ({USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"),
            &[
                user.id.as_str().into(),
                user.username.as_str().into(),
                user.password_hash.as_str().into(),
                user.role.as_str().into(),
                id_val(user.bank_id.as_ref().map(BankId::as_str)),
                id_val(user.branch_id.as_ref().map(BranchId::as_str)),
                id_val(user.person_id.as_ref().map(PersonId::as_str)),
                user.failed_logins.into(),
                user.locked_until.map(Timestamp::unix_seconds).into(),
                user.created_at.unix_seconds().into(),
                id_val(user.employer_id.as_ref().map(EmployerId::as_str)),
                user.institution_id.clone().into(),
            ],
        )
        .map(|_| ())
    }

    pub fn user_by_username(&mut self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        self.one(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1"),
            &[username.into()],
            user_from,
        )
    }

    pub fn user(&mut self, id: &UserId) -> Result<Option<UserRecord>, StoreError> {
        self.one(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"),
            &[id.as_str().into()],
            user_from,
        )
    }

    /// The cardholder login of a person, if they have one.
    pub fn cardholder_login(
        &mut self,
        person: &PersonId,
    ) -> Result<Option<UserRecord>, StoreError> {
        self.one(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE person_id = $1 AND role = 'cardholder' ORDER BY created_at LIMIT 1"),
            &[person.as_str().into()],
            user_from,
        )
    }

    pub fn count_users_with_role(&mut self, role: Role) -> Result<i64, StoreError> {
        self.one(
            "SELECT COUNT(*) FROM users WHERE role = $1",
            &[role.as_str().into()],
            first_int("users"),
        )
        .map(|count| count.unwrap_or(0))
    }

    /// Records the outcome of a sign-in attempt.
    pub fn update_user_login(
        &mut self,
        id: &UserId,
        failed_logins: i64,
        locked_until: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        self.exec(
            "UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1",
            &[
                id.as_str().into(),
                failed_logins.into(),
                locked_until.map(Timestamp::unix_seconds).into(),
            ],
        )
        .map(|_| ())
    }

    /// Counts one failed sign-in; at `failures_max` the login locks until `lock_until` and
    /// the count starts again. Returns whether it locked. One statement increments, so
    /// parallel attempts each count.
    pub fn count_failed_login(
        &mut self,
        id: &UserId,
        failures_max: i64,
        lock_until: Timestamp,
    ) -> Result<bool, StoreError> {
        let failures = self
            .one(
                "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
                &[id.as_str().into()],
                first_int("users"),
            )?
            .unwrap_or(0);
        if failures < failures_max {
            return Ok(false);
        }
        self.update_user_login(id, 0, Some(lock_until))?;
        Ok(true)
    }

    pub fn update_user_password(
        &mut self,
        id: &UserId,
        password_hash: &str,
    ) -> Result<(), StoreError> {
        self.exec(
            "UPDATE users SET password_hash = $2 WHERE id = $1",
            &[id.as_str().into(), password_hash.into()],
        )
        .map(|_| ())
    }

    pub fn insert_session(&mut self, session: &SessionRecord) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO sessions (token_hash, user_id, kind, created_at, expires_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                session.token_hash.as_str().into(),
                session.user_id.as_str().into(),
                session.kind.as_str().into(),
                session.created_at.unix_seconds().into(),
                session.expires_at.unix_seconds().into(),
                session.last_seen_at.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    pub fn session(&mut self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        self.one(
            "SELECT token_hash, user_id, kind, created_at, expires_at, last_seen_at FROM sessions WHERE token_hash = $1",
            &[token_hash.into()],
            |row| {
                let c = Cols::new(row, "sessions");
                Ok(SessionRecord {
                    token_hash: c.text(0)?,
                    user_id: UserId::new(c.text(1)?),
                    kind: c.text(2)?,
                    created_at: c.time(3)?,
                    expires_at: c.time(4)?,
                    last_seen_at: c.time(5)?,
                })
            },
        )
    }

    pub fn touch_session(&mut self, token_hash: &str, at: Timestamp) -> Result<(), StoreError> {
        self.exec(
            "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1",
            &[token_hash.into(), at.unix_seconds().into()],
        )
        .map(|_| ())
    }

    pub fn delete_session(&mut self, token_hash: &str) -> Result<(), StoreError> {
        self.exec(
            "DELETE FROM sessions WHERE token_hash = $1",
            &[token_hash.into()],
        )
        .map(|_| ())
    }

    /// Ends every session of a login (a holder login whose password was reset).
    pub fn delete_sessions_of_user(&mut self, user: &UserId) -> Result<(), StoreError> {
        self.exec(
            "DELETE FROM sessions WHERE user_id = $1",
            &[user.as_str().into()],
        )
        .map(|_| ())
    }
}
