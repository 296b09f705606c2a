//! Access: users (staff and holder logins), sign-in counters and sessions.

use shebao_domain::access::Role;
use shebao_domain::ids::{PersonId, UserId};
use shebao_domain::time::Timestamp;

use super::{Tx, accessors};
use crate::StoreError;
use crate::codec::table;
use crate::records::{SessionRecord, UserRecord};
use shebao_domain::access::Scope;

table! {
    /// The columns of a user.
    mod users: UserRecord {
        id, username, password_hash, role, failed_logins, locked_until, created_at;
        scope: Scope { bank_id, branch_id, person_id, employer_id, institution_id, provider_id, vendor_id }
    }
}

table! {
    /// The columns of a session.
    mod sessions: SessionRecord {
        token_hash, user_id, kind, created_at, expires_at, last_seen_at,
    }
}

impl Tx<'_> {
    accessors! {
        pub fn insert_user(user: &UserRecord) = insert_row;
        pub fn user_by_username(username: &str) -> Option<UserRecord> = "WHERE username = $1";
        pub fn user(id: &UserId) -> Option<UserRecord> = "WHERE id = $1";

        /// The cardholder login of a person, if they have one.
        pub fn cardholder_login(person: &PersonId) -> Option<UserRecord>
            = "WHERE person_id = $1 AND role = 'cardholder' ORDER BY created_at LIMIT 1";
    }

    pub fn count_users_with_role(&mut self, role: Role) -> Result<i64, StoreError> {
        self.int_or_zero(
            "SELECT COUNT(*) FROM users WHERE role = $1",
            &[role.as_str().into()],
            "users",
        )
    }

    /// Records the outcome of a sign-in attempt.
    pub fn update_user_login(
        &mut self,
        id: &UserId,
        failed_logins: i64,
        locked_until: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        self.run(
            "UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1",
            &[
                id.as_str().into(),
                failed_logins.into(),
                locked_until.map(Timestamp::unix_seconds).into(),
            ],
        )
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
        let failures = self.int_or_zero(
            "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
            &[id.as_str().into()],
            "users",
        )?;
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
        self.run(
            "UPDATE users SET password_hash = $2 WHERE id = $1",
            &[id.as_str().into(), password_hash.into()],
        )
    }

    accessors! {
        pub fn insert_session(session: &SessionRecord) = insert_row;
        pub fn session(token_hash: &str) -> Option<SessionRecord> = "WHERE token_hash = $1";
    }

    pub fn touch_session(&mut self, token_hash: &str, at: Timestamp) -> Result<(), StoreError> {
        self.run(
            "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1",
            &[token_hash.into(), at.unix_seconds().into()],
        )
    }

    pub fn delete_session(&mut self, token_hash: &str) -> Result<(), StoreError> {
        self.run(
            "DELETE FROM sessions WHERE token_hash = $1",
            &[token_hash.into()],
        )
    }

    /// Ends every session of a login (a holder login whose password was reset).
    pub fn delete_sessions_of_user(&mut self, user: &UserId) -> Result<(), StoreError> {
        self.run(
            "DELETE FROM sessions WHERE user_id = $1",
            &[user.as_str().into()],
        )
    }
}
