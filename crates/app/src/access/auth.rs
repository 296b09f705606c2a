//! Users, passwords and sessions. Passwords are Argon2id; session and API tokens are random
//! 256-bit secrets stored only as their SHA-256 hash. There is no default user and no
//! default password: the first administrator is created by `shebao admin init`, which
//! prints a generated password once.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shebao_domain::access::{Operation, Role, Scope};
use shebao_domain::ids::{BankId, BranchId, EmployerId, UserId};
use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use shebao_domain::time::Timestamp;
use shebao_store::{AuditEvent, SessionRecord, UserRecord};
use std::net::IpAddr;

use crate::access::sign_in_guard::{Verdict, client_key};
use crate::error::Clash;
use crate::error::{OrNotFound, RefusalCode};
use crate::views::UserView;
use crate::{Actor, App, AppError, Audit, new_id, vault::random_bytes};

/// A browser session dies after this much idle time.
pub const SESSION_IDLE_SECONDS: i64 = 30 * 60;
/// A browser session dies after this long whatever happens.
pub const SESSION_MAX_SECONDS: i64 = 12 * 3600;
/// Shortest password accepted.
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Longest password accepted.
pub const PASSWORD_MAX_CHARS: usize = 256;
/// What [`check_username`] accepts: 3 to 64 letters, digits, '.', '_' or '-', around
/// which blanks are trimmed.
pub const USERNAME_PATTERN: &str = r"^\s*[A-Za-z0-9._-]{3,64}\s*$";

/// The names of every role but the holder's: what an administrator may give a login
/// (issue 13, finding 6: holder logins come from enrolment).
pub fn staff_role_names() -> Vec<&'static str> {
    Role::ALL
        .into_iter()
        .filter(|role| *role != Role::Cardholder)
        .map(Role::as_str)
        .collect()
}

/// Where a name's sign-ins from one address stand ([`App::sign_in_standing`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInStanding {
    /// Wrong passwords that may still be typed before a wait.
    pub tries_left: u32,
    /// Seconds of the wait in force, 0 when none.
    pub retry_after_seconds: i64,
}

/// A new login, as an administrator asks for it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = new_user_cases)]
pub struct NewUser {
    #[schemars(regex(pattern = USERNAME_PATTERN))]
    pub username: String,
    #[schemars(length(min = PASSWORD_MIN_CHARS, max = PASSWORD_MAX_CHARS), extend("writeOnly" = true))]
    pub password: String,
    #[schemars(extend("enum" = staff_role_names()))]
    pub role: String,
    pub branch_id: Option<String>,
    pub bank_id: Option<String>,
    pub person_id: Option<String>,
    /// For the employer role: the insured unit.
    #[serde(default)]
    pub employer_id: Option<String>,
    /// For the cashier role: the hospital or pharmacy.
    #[serde(default)]
    pub institution_id: Option<String>,
    /// For the training provider role: the provider.
    #[serde(default)]
    pub provider_id: Option<String>,
    /// For the card vendor role: the vendor.
    #[serde(default)]
    pub vendor_id: Option<String>,
}

/// What each role's login is bound to ([`bind_to_scope`]): a teller's branch, a bank
/// system's bank, an employer's unit, a cashier's institution, a training provider's staff
/// their provider, a card vendor's staff their vendor; the other roles to nothing.
fn new_user_cases(schema: &mut schemars::Schema) {
    let bound = |role: Role, field: &str| {
        serde_json::json!({
            "properties": {
                "role": { "const": role.as_str() },
                field: { "type": "string", "minLength": 1, "pattern": TRIMMED_TEXT_PATTERN }
            },
            "required": [field]
        })
    };
    crate::schema::cases(
        schema,
        &[
            bound(Role::BankTeller, "branch_id"),
            bound(Role::BankSystem, "bank_id"),
            bound(Role::Employer, "employer_id"),
            bound(Role::Cashier, "institution_id"),
            bound(Role::TrainingProvider, "provider_id"),
            bound(Role::CardVendor, "vendor_id"),
            serde_json::json!({ "properties": { "role": { "enum": [
                Role::Administrator.as_str(), Role::BureauClerk.as_str(), Role::Auditor.as_str(),
                Role::AppraisalSecretary.as_str(), Role::ProductionOfficer.as_str()
            ] } } }),
        ],
    );
}

/// A signed-in session: the secret token (shown once) and who it belongs to.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Session")]
pub struct SessionView {
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub token: String,
    #[schemars(extend("enum" = ["browser", "api"]))]
    pub kind: String,
    #[schemars(extend("format" = "date-time"))]
    pub expires_at: String,
    pub user: UserView,
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The refusal of a holder login asked of an administrator (issue 13, finding 6).
pub(crate) fn holder_login_by_enrolment() -> AppError {
    AppError::Denied {
        code: RefusalCode::HolderLoginByEnrolment,
        status: 403,
        message: "a holder login is made by the holder's own enrolment or at a bureau window, \
                  never by an administrator, and only a holder login is bound to a person"
            .into(),
    }
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>())
        .map_err(|e| AppError::Internal(format!("drawing a password salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))
}

fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// A generated password: 20 characters from an alphabet without look-alikes.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    random_bytes::<20>()
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

pub(crate) fn check_password_policy(password: &str) -> Result<(), AppError> {
    if password.chars().count() < PASSWORD_MIN_CHARS
        || password.chars().count() > PASSWORD_MAX_CHARS
    {
        return Err(AppError::invalid(
            "password",
            format!("{PASSWORD_MIN_CHARS} to {PASSWORD_MAX_CHARS} characters"),
        ));
    }
    Ok(())
}

pub(crate) fn user_view(user: &UserRecord) -> UserView {
    UserView {
        id: user.id.to_string(),
        username: user.username.clone(),
        role: user.role.as_str().into(),
        bank_id: user.scope.bank_id.as_ref().map(ToString::to_string),
        branch_id: user.scope.branch_id.as_ref().map(ToString::to_string),
        person_id: user.scope.person_id.as_ref().map(ToString::to_string),
        employer_id: user.scope.employer_id.as_ref().map(ToString::to_string),
        institution_id: user.scope.institution_id.clone(),
        provider_id: user.scope.provider_id.clone(),
        vendor_id: user.scope.vendor_id.clone(),
    }
}

fn actor_of(user: &UserRecord) -> Actor {
    Actor {
        user_id: user.id.clone(),
        username: user.username.clone(),
        role: user.role,
        scope: user.scope.clone(),
    }
}

impl App {
    /// Creates the first administrator with a generated password, returned once. Refused
    /// when an administrator exists.
    pub fn init_administrator(&self, username: &str) -> Result<(UserView, String), AppError> {
        let password = generate_password();
        let record = login_record(
            UserId::new(new_id("usr")),
            check_username(username)?,
            hash_password(&password)?,
            Role::Administrator,
            self.now(),
        );
        let view = user_view(&record);
        let now = self.now();
        self.store.write(move |tx| {
            if tx.count_users_with_role(Role::Administrator)? > 0 {
                return Err(AppError::Conflict(Clash::AdministratorExists));
            }
            tx.insert_user(&record)?;
            tx.append_audit(&AuditEvent {
                at: now,
                actor: "operator:cli".into(),
                action: "user.init_administrator".into(),
                subject: format!("user:{}", record.id),
                outcome: "ok".into(),
                detail: "{}".into(),
            })?;
            Ok(())
        })?;
        Ok((view, password))
    }

    /// An administrator creates a staff or machine login bound to what its role needs. A
    /// holder login is never made here (issue 13, finding 6): it comes from the holder's
    /// own enrolment or a bureau window (the `holder_logins` module); a refused attempt is
    /// audited as a denial naming the person asked for.
    pub fn create_user(
        &self,
        actor: &Actor,
        key: &str,
        request: NewUser,
    ) -> Result<UserView, AppError> {
        self.authorise(actor, Operation::ManageUsers)?;
        let role = Role::parse(&request.role).ok_or_else(|| AppError::Invalid {
            field: "role",
            message:
                "one of administrator, bureau_clerk, bank_teller, bank_system, auditor, employer, cashier"
                    .into(),
        })?;
        if role == Role::Cardholder || request.person_id.is_some() {
            let subject = request
                .person_id
                .as_deref()
                .map_or_else(|| "-".to_owned(), |person| format!("person:{person}"));
            self.audit_denial(actor, "user.create", &subject)?;
            return Err(holder_login_by_enrolment());
        }
        check_password_policy(&request.password)?;
        let username = check_username(&request.username)?;
        let password_hash = hash_password(&request.password)?;
        let id = UserId::new(new_id("usr"));
        let shown = NewUser {
            password: String::new(),
            ..request.clone()
        };
        let audit = Audit::creating("user.create", format!("user:{id}"));
        self.change(actor, key, &shown, audit, move |tx, now| {
            let mut record = login_record(
                id.clone(),
                username.clone(),
                password_hash.clone(),
                role,
                now,
            );
            bind_to_scope(tx, &mut record, &request)?;
            tx.insert_user(&record)?;
            Ok((
                user_view(&record),
                format!("{{\"role\":\"{}\"}}", role.as_str()),
            ))
        })
    }

    /// The key sign-in waits are kept under for a name as typed.
    fn login_key(&self, username: &str, now: Timestamp) -> String {
        self.vault
            .fingerprint(&format!("sign-in:name:{}", canonical_login(username, now)))
    }

    /// Where sign-ins of `username` from `client` stand, for the sign-in page to warn before
    /// a wait and to say how long one lasts. The same for a name that has no login as for
    /// one that has (the waits are kept by the name as typed).
    pub fn sign_in_standing(&self, username: &str, client: IpAddr) -> SignInStanding {
        let now = self.now();
        let (tries_left, retry_after_seconds) =
            self.sign_in_guard
                .standing(&self.login_key(username.trim(), now), client, now);
        SignInStanding {
            tries_left,
            retry_after_seconds,
        }
    }

    /// Signs in with a username (or a holder's ID number) and password from `client`.
    ///
    /// Issue 13, finding 7: an unknown name and a wrong password answer the same
    /// `unauthenticated` after the same Argon2 work, and failures delay only the (login,
    /// client address) pair they came from ([`crate::access::sign_in_guard`]); a delayed pair
    /// answers `sign_in_locked` with the seconds to wait whether or not the name exists.
    /// Every attempt is audited; a failure of a holder login names the person.
    pub fn sign_in(
        &self,
        username: &str,
        password: &str,
        kind: &str,
        client: IpAddr,
    ) -> Result<SessionView, AppError> {
        let now = self.now();
        let username = username.trim().to_owned();
        let user = self.login_named(&username, now)?;
        // Waits are keyed by the name as typed, canonical (an ID number in its 18-character
        // form, a username exactly as the look-up matches it), never by the login it names:
        // a key that followed the login would let two spellings of one name (`ALICE` and
        // `alice`, the 15- and 18-digit forms of an ID number) share a wait only when the
        // login exists, and so tell which names have one.
        let login_key = self.login_key(&username, now);
        let shown = shown_login(&username, now);
        let subject = sign_in_subject(user.as_ref(), &shown);
        if let Verdict::Wait {
            retry_after_seconds,
            first,
        } = self.sign_in_guard.check(&login_key, client, now)
        {
            if first {
                let detail = format!("{{\"client\":\"{}\"}}", client_key(client));
                self.audit_sign_in(&shown, &subject, "refused:sign_in_locked", &detail, now)?;
            }
            return Err(AppError::SignInLocked {
                retry_after_seconds,
            });
        }
        // An unknown name costs the same Argon2 work as a known one, so timing does not
        // reveal which names exist.
        let matched = match &user {
            Some(user) => password_matches(password, &user.password_hash),
            None => {
                let _same_cost = password_matches(password, DUMMY_HASH);
                false
            }
        };
        let Some(user) = user.filter(|_| matched) else {
            let wait = self.sign_in_guard.failed(&login_key, client, now);
            let outcome = if subject.starts_with("username:") {
                "refused:unknown_user"
            } else {
                "refused:bad_password"
            };
            let detail = match wait {
                Some(seconds) => format!(
                    "{{\"client\":\"{}\",\"wait_seconds\":{seconds}}}",
                    client_key(client)
                ),
                None => format!("{{\"client\":\"{}\"}}", client_key(client)),
            };
            self.audit_sign_in(&shown, &subject, outcome, &detail, now)?;
            return Err(AppError::Unauthenticated);
        };
        self.sign_in_guard.succeeded(&login_key, client);
        self.open_session(&user, kind, now)
    }

    /// Opens a session of `kind` (`api` or `browser`) for a signed-in user, audited.
    fn open_session(
        &self,
        user: &UserRecord,
        kind: &str,
        now: Timestamp,
    ) -> Result<SessionView, AppError> {
        let token = hex::encode(random_bytes::<32>());
        let (kind, lifetime) = match kind {
            "api" => ("api", 24 * 3600),
            _ => ("browser", SESSION_MAX_SECONDS),
        };
        let session = SessionRecord {
            token_hash: token_hash(&token),
            user_id: user.id.clone(),
            kind: kind.into(),
            created_at: now,
            expires_at: now.add_seconds(lifetime),
            last_seen_at: now,
        };
        let expires_at = session.expires_at;
        let (id, label) = (
            user.id.clone(),
            format!("{}:{}", user.role.as_str(), user.username),
        );
        self.store.write(move |tx| {
            tx.update_user_login(&id, 0, None)?;
            tx.insert_session(&session)?;
            tx.append_audit(&AuditEvent {
                at: now,
                actor: label.clone(),
                action: "session.sign_in".into(),
                subject: format!("user:{id}"),
                outcome: "ok".into(),
                detail: "{}".into(),
            })?;
            Ok::<_, AppError>(())
        })?;
        Ok(SessionView {
            token,
            kind: kind.into(),
            expires_at: expires_at.to_string(),
            user: user_view(user),
        })
    }

    /// The login a sign-in names: a user by name, or a holder's login by ID number.
    fn login_named(&self, username: &str, now: Timestamp) -> Result<Option<UserRecord>, AppError> {
        // A cardholder may sign in with their ID number instead of a username.
        let citizen_index = shebao_domain::person::identity::CitizenId::parse(
            username,
            shebao_domain::person::identity::citizen_id_today(now),
        )
        .ok()
        .map(|id| {
            self.vault
                .blind_index(crate::person::CITIZEN_INDEX, id.as_str())
        });
        let username = username.to_owned();
        Ok(self.store.read(move |tx| {
            if let Some(index) = &citizen_index {
                let person = tx.person_by_citizen_index(index)?;
                return match person {
                    Some(person) => tx.cardholder_login(&person.id),
                    None => Ok(None),
                };
            }
            tx.user_by_username(&username)
        })?)
    }

    fn audit_sign_in(
        &self,
        shown: &str,
        subject: &str,
        outcome: &str,
        detail: &str,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let event = AuditEvent {
            at: now,
            actor: format!("anonymous:{}", shown.chars().take(64).collect::<String>()),
            action: "session.sign_in".into(),
            subject: subject.to_owned(),
            outcome: outcome.into(),
            detail: detail.to_owned(),
        };
        self.store
            .write(move |tx| tx.append_audit(&event).map(|_| ()))
            .map_err(AppError::from)
    }

    /// Records that the HTTP layer refused sign-in attempts from a client address (too many
    /// in its window), as a refused sign-in. Called once per window and address, so a flood
    /// of attempts does not flood the trail.
    pub fn audit_sign_in_throttled(&self, client: &str) -> Result<(), AppError> {
        let client: String = client.chars().take(64).collect();
        let event = AuditEvent {
            at: self.now(),
            actor: format!("anonymous:{client}"),
            action: "session.sign_in".into(),
            subject: format!("client:{client}"),
            outcome: "refused:too_many_requests".into(),
            detail: "{}".into(),
        };
        self.store
            .write(move |tx| tx.append_audit(&event).map(|_| ()))
            .map_err(AppError::from)
    }

    /// The actor behind a token, if the session is alive (not expired, not idle too long).
    pub fn authenticate(&self, token: &str) -> Result<Actor, AppError> {
        let now = self.now();
        let hash = token_hash(token);
        let found = self.store.read({
            let hash = hash.clone();
            move |tx| {
                let Some(session) = tx.session(&hash)? else {
                    return Ok(None);
                };
                let user = tx.user(&session.user_id)?;
                Ok::<_, AppError>(user.map(|user| (session, user)))
            }
        })?;
        let Some((session, user)) = found else {
            return Err(AppError::Unauthenticated);
        };
        let idle = session.kind == "browser"
            && now.unix_seconds() - session.last_seen_at.unix_seconds() > SESSION_IDLE_SECONDS;
        if session.expires_at <= now || idle {
            self.store.write(move |tx| tx.delete_session(&hash))?;
            return Err(AppError::Unauthenticated);
        }
        // Touch at most once a minute: idle tracking without a write per request.
        if session.kind == "browser"
            && now.unix_seconds() - session.last_seen_at.unix_seconds() > 60
        {
            self.store.write(move |tx| tx.touch_session(&hash, now))?;
        }
        Ok(actor_of(&user))
    }

    /// The actor of a login, for commands run by the operator on the server itself (such as
    /// `shebao import declaration --as USER`).
    pub fn actor_for_username(&self, username: &str) -> Result<Actor, AppError> {
        let name = username.to_owned();
        let user = self.store.read(move |tx| tx.user_by_username(&name))?;
        user.as_ref().map(actor_of).or_not_found("user", username)
    }

    /// Ends a session.
    /// Ends a session; an ended session is audited once (an unknown token changes nothing).
    pub fn sign_out(&self, token: &str) -> Result<(), AppError> {
        let (hash, now) = (token_hash(token), self.now());
        self.store.write(move |tx| {
            let Some(session) = tx.session(&hash)? else {
                return Ok(());
            };
            let Some(user) = tx.user(&session.user_id)? else {
                return Ok(());
            };
            tx.delete_session(&hash)?;
            tx.append_audit(&AuditEvent {
                at: now,
                actor: actor_of(&user).label(),
                action: "session.sign_out".into(),
                subject: format!("user:{}", user.id),
                outcome: "ok".into(),
                detail: "{}".into(),
            })?;
            Ok::<_, AppError>(())
        })
    }

    /// A long-lived API token for a machine client (a bank's system), made by the operator.
    pub fn issue_api_token(&self, username: &str, days: i64) -> Result<SessionView, AppError> {
        let now = self.now();
        let token = hex::encode(random_bytes::<32>());
        let hash = token_hash(&token);
        let username = username.to_owned();
        let user = self.store.write(move |tx| {
            let user = tx
                .user_by_username(&username)?
                .or_not_found("user", &username)?;
            tx.insert_session(&SessionRecord {
                token_hash: hash.clone(),
                user_id: user.id.clone(),
                kind: "api".into(),
                created_at: now,
                expires_at: now.add_days(days.clamp(1, 366)),
                last_seen_at: now,
            })?;
            tx.append_audit(&AuditEvent {
                at: now,
                actor: "operator:cli".into(),
                action: "session.issue_api_token".into(),
                subject: format!("user:{}", user.id),
                outcome: "ok".into(),
                detail: "{}".into(),
            })?;
            Ok::<_, AppError>(user)
        })?;
        Ok(SessionView {
            token,
            kind: "api".into(),
            expires_at: now.add_days(days.clamp(1, 366)).to_string(),
            user: user_view(&user),
        })
    }
}

/// A valid Argon2id hash of a random password, checked against when the user is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0dVqSxd6IJEoPbAjrPsk8RA6MUg0bnVUqbj35jaEcrc";

/// What a sign-in's audit record is about: the person of a holder login (issue 13, finding
/// 6: the trail names the person for every login event), the user of a staff login, or the
/// name as typed (masked if it is an ID number) when no login has it.
fn sign_in_subject(user: Option<&UserRecord>, shown: &str) -> String {
    match user {
        Some(UserRecord {
            scope: Scope {
                person_id: Some(person),
                ..
            },
            ..
        }) => format!("person:{person}"),
        Some(user) => format!("user:{}", user.id),
        None => format!("username:{}", shown.chars().take(64).collect::<String>()),
    }
}

/// A login as the audit trail names it: an ID number used as a login is masked, and so is
/// anything typed that looks like one (a mistyped number would otherwise be kept nearly whole)
/// or that no username can be (a password typed into the name field).
fn shown_login(login: &str, now: Timestamp) -> String {
    if let Ok(id) = shebao_domain::person::identity::CitizenId::parse(
        login,
        shebao_domain::person::identity::citizen_id_today(now),
    ) {
        return id.masked();
    }
    let digits = login.chars().filter(char::is_ascii_digit).count();
    if digits >= 6 || check_username(login).is_err() {
        return shebao_domain::person::identity::mask_citizen_input(login);
    }
    login.to_owned()
}

/// The name a sign-in typed, in one form per login it could name: an ID number in its
/// normalised 18-character form, anything else exactly as typed.
fn canonical_login(login: &str, now: Timestamp) -> String {
    shebao_domain::person::identity::CitizenId::parse(
        login,
        shebao_domain::person::identity::citizen_id_today(now),
    )
    .map_or_else(
        |_| format!("name:{login}"),
        |id| format!("citizen:{}", id.as_str()),
    )
}

/// `input` trimmed, if it is `lengths` letters, digits, `.`, `_` or `-` (a username, an
/// operator's name).
pub(crate) fn plain_name(input: &str, lengths: std::ops::RangeInclusive<usize>) -> Option<&str> {
    let name = input.trim();
    let ok = lengths.contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    ok.then_some(name)
}

pub(crate) fn check_username(username: &str) -> Result<String, AppError> {
    plain_name(username, 3..=64)
        .map(str::to_owned)
        .ok_or_else(|| AppError::invalid("username", "3 to 64 letters, digits, '.', '_' or '-'"))
}

pub(crate) fn required(value: &Option<String>, field: &'static str) -> Result<String, AppError> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| AppError::invalid(field, "required"))
}

/// Binds a new staff login to what its role needs (a teller's branch and bank, a bank
/// system's bank, an employer, an institution), each checked to exist.
fn bind_to_scope(
    tx: &mut shebao_store::Tx<'_>,
    record: &mut UserRecord,
    request: &NewUser,
) -> Result<(), AppError> {
    match record.role {
        Role::BankTeller => {
            let branch_id = BranchId::new(required(&request.branch_id, "branch_id")?);
            let branch = tx.branch(&branch_id)?.or_not_found("branch", &branch_id)?;
            record.scope.bank_id = Some(branch.bank_id);
            record.scope.branch_id = Some(branch_id);
        }
        Role::BankSystem => {
            let bank_id = BankId::new(required(&request.bank_id, "bank_id")?);
            tx.bank(&bank_id)?.or_not_found("bank", &bank_id)?;
            record.scope.bank_id = Some(bank_id);
        }
        Role::Cardholder => return Err(holder_login_by_enrolment()),
        Role::Employer => {
            let employer_id = EmployerId::new(required(&request.employer_id, "employer_id")?);
            tx.employer(&employer_id)?
                .or_not_found("employer", &employer_id)?;
            record.scope.employer_id = Some(employer_id);
        }
        Role::Cashier => {
            let institution = required(&request.institution_id, "institution_id")?;
            tx.institution(&institution)?
                .or_not_found("institution", &institution)?;
            record.scope.institution_id = Some(institution);
        }
        Role::TrainingProvider => {
            let provider = required(&request.provider_id, "provider_id")?;
            tx.training_provider(&provider)?
                .or_not_found("training provider", &provider)?;
            record.scope.provider_id = Some(provider);
        }
        Role::CardVendor => {
            let vendor = required(&request.vendor_id, "vendor_id")?;
            tx.card_vendor(&vendor)?
                .or_not_found("card vendor", &vendor)?;
            record.scope.vendor_id = Some(vendor);
        }
        Role::Administrator
        | Role::BureauClerk
        | Role::Auditor
        | Role::AppraisalSecretary
        | Role::ProductionOfficer => {}
    }
    Ok(())
}

/// A new login of `role`, bound to nothing yet, with no failures.
pub(crate) fn login_record(
    id: UserId,
    username: String,
    password_hash: String,
    role: Role,
    now: Timestamp,
) -> UserRecord {
    UserRecord {
        id,
        username,
        password_hash,
        role,
        scope: Scope::default(),
        failed_logins: 0,
        locked_until: None,
        created_at: now,
    }
}
