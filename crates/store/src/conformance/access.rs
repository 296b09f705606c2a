//! Access: users and sessions round-trip; a username is unique.

use shebao_domain::access::{Role, Scope};
use shebao_domain::ids::UserId;

use crate::records::*;
use crate::{Store, StoreError};

use super::{NOW, Outcome, conflict, equal, second_write, store_err};

/// A bureau clerk's login, never signed in.
fn clerk() -> UserRecord {
    UserRecord {
        id: UserId::new("u1"),
        username: "clerk".into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role: Role::BureauClerk,
        scope: Scope::default(),
        failed_logins: 0,
        locked_until: None,
        created_at: NOW,
    }
}

/// Users and sessions round trip; a username is unique.
pub fn users_and_sessions_round_trip(store: &Store) -> Outcome {
    let user = clerk();
    let second = UserRecord {
        id: UserId::new("u2"),
        ..user.clone()
    };
    let clash = second_write(store, [user.clone(), second], |tx, u| tx.insert_user(u))?;
    conflict(clash, "usernames are unique")?;
    store
        .write(|tx| {
            tx.update_user_login(&UserId::new("u1"), 3, Some(NOW))?;
            tx.insert_session(&SessionRecord {
                token_hash: "th".into(),
                user_id: UserId::new("u1"),
                kind: "api".into(),
                created_at: NOW,
                expires_at: NOW.add_days(1),
                last_seen_at: NOW,
            })
        })
        .map_err(store_err)?;
    let (loaded, session, admins) = store
        .read(|tx| {
            Ok::<_, StoreError>((
                tx.user_by_username("clerk")?,
                tx.session("th")?,
                tx.count_users_with_role(Role::Administrator)?,
            ))
        })
        .map_err(store_err)?;
    equal(
        loaded,
        Some(UserRecord {
            failed_logins: 3,
            locked_until: Some(NOW),
            ..user
        }),
        "user",
    )?;
    equal(
        session.map(|s| s.user_id),
        Some(UserId::new("u1")),
        "session",
    )?;
    equal(admins, 0, "no administrator exists by default")?;
    store
        .write(|tx| tx.delete_session("th"))
        .map_err(store_err)?;
    let gone = store.read(|tx| tx.session("th")).map_err(store_err)?;
    equal(gone, None, "session deleted")
}
