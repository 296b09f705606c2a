//! The application layer: every use case in one place. Each one authorises the actor
//! (deny by default, then scope), loads what it needs, asks the domain, stores the outcome
//! and writes one audit record, in one transaction. The HTTP server and the CLI both call
//! it; neither holds business logic.

/// Implements `Debug` for a type that holds personal data or secrets: only the named fields
/// are shown, the rest stand as `..` (a password, a one-time password, a diagnosis).
macro_rules! debug_showing_only {
    ($type:ident { $($field:ident),+ }) => {
        impl std::fmt::Debug for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($type))
                    $(.field(stringify!($field), &self.$field))+
                    .finish_non_exhaustive()
            }
        }
    };
}
pub(crate) use debug_showing_only;

pub mod access;
pub mod audit;
pub mod bounded;
pub mod card;
pub mod csv;
pub mod demo;
pub mod employment;
pub mod error;
pub mod insurance;
pub mod keystore;
pub mod medical;
pub mod money;
pub mod pdf;
pub mod person;
pub mod production;
pub mod reference;
mod schema;
pub mod vault;
pub mod views;
mod workbook;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use serde::Serialize;
use serde::de::DeserializeOwned;

use shebao_domain::access::{Operation, Role, Scope, permits};
use shebao_domain::ids::{PersonId, UserId};
use shebao_domain::person::identity::remask_legacy;
use shebao_domain::reference::region::RegionParameters;
use shebao_domain::time::{Date, Timestamp};
use shebao_store::{AuditEvent, Store, Tx};

pub use access::lookup_limit::LookupRate;
pub use error::{AppError, BUSY_RETRY_AFTER_SECONDS, Cause, Clash, RefusalCode};
pub use vault::Vault;

use error::OrNotFound;

/// Where the time comes from: the system clock in service, a settable one in tests.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or_default();
        Timestamp::from_unix_seconds(seconds)
    }
}

/// A clock tests move by hand.
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(at: Timestamp) -> ManualClock {
        ManualClock(AtomicI64::new(at.unix_seconds()))
    }

    pub fn advance_days(&self, days: i64) {
        self.0.fetch_add(days * 86_400, Ordering::SeqCst);
    }

    /// Puts the clock at `at` (a test sets it to a minute before or after a region's
    /// midnight).
    pub fn set(&self, at: Timestamp) {
        self.0.store(at.unix_seconds(), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_seconds(self.0.load(Ordering::SeqCst))
    }
}

/// Who is acting, as established by a session or token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub username: String,
    pub role: Role,
    pub scope: Scope,
}

impl Actor {
    /// The actor as audit records name it.
    pub fn label(&self) -> String {
        format!("{}:{}", self.role.as_str(), self.username)
    }

    /// Whether the actor may see `person`'s records, by the rule every area shares: a bureau
    /// clerk sees everyone, a holder themselves; for any other role, what `bound` finds
    /// from the actor's scope (an employer's employees, a bank's cardholders).
    pub(crate) fn sees_person(
        &self,
        person: &PersonId,
        bound: impl FnOnce(&Scope) -> Result<bool, AppError>,
    ) -> Result<bool, AppError> {
        match self.role {
            Role::BureauClerk => Ok(true),
            Role::Cardholder => Ok(self.scope.person_id.as_ref() == Some(person)),
            _ => bound(&self.scope),
        }
    }

    /// The command-line operator, for administration commands run on the server itself.
    pub fn operator() -> Actor {
        Actor {
            user_id: UserId::new("operator"),
            username: "operator".into(),
            role: Role::Administrator,
            scope: Scope::default(),
        }
    }
}

/// The application: a store, the keys, a clock and the per-actor look-up limit.
#[derive(Clone)]
pub struct App {
    store: Store,
    vault: Arc<Vault>,
    clock: Arc<dyn Clock>,
    lookups: Arc<access::lookup_limit::LookupLimiter>,
    /// Failed sign-ins per (login, client address), shared by every clone.
    sign_in_guard: Arc<access::sign_in_guard::SignInGuard>,
    /// Regions found to exist (a region is never deleted), so a batch of credits reads each
    /// once; at most [`KNOWN_REGIONS_MAX`].
    known_regions: Arc<std::sync::Mutex<std::collections::HashSet<shebao_domain::ids::RegionCode>>>,
    /// The money engine every movement on a card's account goes through, shared by all clones.
    engine: Arc<money::engine::Engine>,
    /// The worker threads every batch runs on, shared by all clones.
    batches: Arc<money::batch_pool::BatchPool>,
    /// Declaration files being read now, shared by all clones (at most
    /// [`insurance::declarations::FILES_READ_MAX`]).
    files_in_reading: Arc<std::sync::atomic::AtomicUsize>,
    /// How certificates are printed: the font they embed and the address of their public
    /// verification page.
    print: Arc<insurance::certificates::Print>,
    /// Where the card keys are: the key file's software store, or an HSM
    /// ([`App::with_key_store`]).
    key_store: Arc<dyn keystore::KeyStore>,
}

/// What a read takes into its snapshot ([`App::read_for`]): who reads, the keys and the time.
pub(crate) struct Reading {
    pub actor: Actor,
    pub vault: Arc<Vault>,
    pub now: Timestamp,
}

/// Most regions [`App::known_region`] remembers.
const KNOWN_REGIONS_MAX: usize = 10_000;

/// Most characters of a refused request's subject the audit trail keeps: real ids are far
/// shorter, and a made-up one thousands of characters long must neither bloat the trail nor
/// exceed the subject index's entry size (PostgreSQL: 2704 bytes).
const DENIED_SUBJECT_MAX_CHARS: usize = 256;

/// What a write records besides its result: the audit action and subject.
pub(crate) struct Audit {
    pub action: &'static str,
    pub subject: String,
    /// What the request acts on beyond its body (the ids in its path). Part of the
    /// idempotency fingerprint, so a key used for one card can never replay against another.
    pub target: String,
}

impl Audit {
    /// A change to the existing record the subject names.
    pub(crate) fn on(action: &'static str, subject: String) -> Audit {
        Audit {
            action,
            target: subject.clone(),
            subject,
        }
    }

    /// A change that creates the record the subject names: its id is drawn for this call,
    /// so only the request body identifies the request.
    pub(crate) fn creating(action: &'static str, subject: String) -> Audit {
        Audit {
            action,
            subject,
            target: String::new(),
        }
    }

    /// The audit record of this change as `actor` did it: `action` (the one asked for, or
    /// what it became) with `outcome` and no detail.
    pub(crate) fn event(
        &self,
        actor: &str,
        action: &str,
        outcome: String,
        at: Timestamp,
    ) -> AuditEvent {
        AuditEvent {
            at,
            actor: actor.to_owned(),
            action: action.to_owned(),
            // A subject names a path segment before anything checked it: cut like a
            // denial's (a made-up id thousands of characters long, refused in the change).
            subject: self
                .subject
                .chars()
                .take(DENIED_SUBJECT_MAX_CHARS)
                .collect(),
            outcome,
            detail: "{}".into(),
        }
    }

    /// Adds what else in the path the request acts on.
    pub(crate) fn within(mut self, target: String) -> Audit {
        self.target = format!("{}|{target}", self.target);
        self
    }
}

/// An idempotent answer as stored: the result, or the refusal that was committed.
#[derive(Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum StoredAnswer<T> {
    Ok(T),
    Refused {
        code: String,
        message: String,
        status: u16,
    },
}

impl<T> StoredAnswer<T> {
    /// A refusal to commit with its audit outcome and detail, or the error that rolls back.
    pub(crate) fn refused(error: AppError) -> Result<(StoredAnswer<T>, String, String), AppError> {
        if !error.is_committed_refusal() {
            return Err(error);
        }
        let answer = StoredAnswer::Refused {
            code: error.code().to_owned(),
            message: error.to_string(),
            status: error.status(),
        };
        Ok((answer, format!("refused:{}", error.code()), "{}".to_owned()))
    }

    /// The answer as the caller sees it: a stored refusal comes back as [`AppError::Replayed`].
    pub(crate) fn into_result(self) -> Result<T, AppError> {
        match self {
            StoredAnswer::Ok(value) => Ok(value),
            StoredAnswer::Refused {
                code,
                message,
                status,
            } => Err(AppError::Replayed {
                code,
                message,
                status,
            }),
        }
    }
}

/// The answer stored under `key`, if any: refused if `fingerprint` is not the request it was
/// stored for, shown with today's masks.
fn stored_answer<T: DeserializeOwned>(
    tx: &mut Tx<'_>,
    key: &str,
    fingerprint: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<Option<StoredAnswer<T>>, AppError> {
    let Some((stored_fingerprint, stored)) = tx.idempotent_response(key)? else {
        return Ok(None);
    };
    decode_stored(&stored_fingerprint, stored, fingerprint, actor, now).map(Some)
}

/// An answer stored under a key, as [`stored_answer`] reads it: refused if `fingerprint` is
/// not the request it was stored for, shown with today's masks.
pub(crate) fn decode_stored<T: DeserializeOwned>(
    stored_fingerprint: &str,
    stored: String,
    fingerprint: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<StoredAnswer<T>, AppError> {
    if stored_fingerprint != fingerprint {
        return Err(AppError::IdempotencyKeyReused);
    }
    // Answers stored before issue 13 (finding 3) carry ID numbers masked to their first 4
    // and last 4 characters; a replay shows today's mask.
    let stored = remask_legacy(&stored).unwrap_or(stored);
    // …and a person view's full birth date beside them: today it shows the decade.
    let stored = person::remask_stored_birth_date(&stored, actor, now).unwrap_or(stored);
    serde_json::from_str::<StoredAnswer<T>>(&stored).map_err(AppError::failed("decoding JSON"))
}

impl App {
    pub fn new(store: Store, vault: Vault, clock: Arc<dyn Clock>) -> App {
        let key_store: Arc<dyn keystore::KeyStore> = match vault.card_key_store() {
            Some(software) => software,
            None => Arc::new(keystore::NoKeyStore),
        };
        let vault = Arc::new(vault);
        App {
            key_store,
            // One engine per store, shared by every application on it (its state in memory is
            // right only if it is the store's one engine).
            engine: store.single(|| Arc::new(money::engine::Engine::new(store.clone()))),
            known_regions: Arc::default(),
            store,
            vault,
            clock,
            lookups: Arc::new(access::lookup_limit::LookupLimiter::new(
                LookupRate::default(),
            )),
            sign_in_guard: Arc::default(),
            batches: Arc::new(money::batch_pool::BatchPool::new(
                money::batch::BatchLimits::default(),
            )),
            files_in_reading: Arc::default(),
            print: Arc::default(),
        }
    }

    /// The same application printing certificates with the CJK font at `font` (None: the
    /// first of Debian's Noto CJK fonts installed) and a verification page under
    /// `public_url` (e.g. `https://shebao.example.gov.cn`), which their QR codes point to.
    #[must_use]
    pub fn with_certificate_print(
        mut self,
        font: Option<std::path::PathBuf>,
        public_url: &str,
    ) -> App {
        self.print = Arc::new(insurance::certificates::Print::new(font, public_url));
        self
    }

    /// The same application keeping its card keys in `store` (a hardware security module)
    /// instead of the key file's software store.
    #[must_use]
    pub fn with_key_store(mut self, store: Arc<dyn keystore::KeyStore>) -> App {
        self.key_store = store;
        self
    }

    /// The same application with a fresh look-up limit of `rate` per actor.
    #[must_use]
    pub fn with_lookup_rate(mut self, rate: LookupRate) -> App {
        self.lookups = Arc::new(access::lookup_limit::LookupLimiter::new(rate));
        self
    }

    /// The same application with its own batch pool of these limits (before it serves).
    pub fn with_batch_limits(mut self, limits: money::batch::BatchLimits) -> App {
        self.batches = Arc::new(money::batch_pool::BatchPool::new(limits));
        self
    }

    pub fn batch_limits(&self) -> money::batch::BatchLimits {
        self.batches.limits()
    }

    /// Batches running or waiting for a batch worker now.
    pub fn batches_in_progress(&self) -> usize {
        self.batches.admitted()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Deny by default: the role table must name the pair. A refusal is audited.
    pub(crate) fn authorise(&self, actor: &Actor, operation: Operation) -> Result<(), AppError> {
        if permits(actor.role, operation) {
            return Ok(());
        }
        Err(self.deny(actor, operation, "-"))
    }

    /// A refused authorisation found outside [`App::authorise`] (a role the operation serves
    /// only in part): audited once, then answered as `Forbidden`.
    pub(crate) fn deny(&self, actor: &Actor, operation: Operation, subject: &str) -> AppError {
        self.audited_refusal(actor, operation, subject, AppError::Forbidden)
    }

    /// `Ok` when the record (`kind` `id`) is `visible` to `actor`; otherwise it is hidden —
    /// answered as one that does not exist — and the denial audited ([`App::hide`]).
    pub(crate) fn visible_or_hidden(
        &self,
        visible: bool,
        actor: &Actor,
        operation: Operation,
        (kind, id): (&str, &dyn std::fmt::Display),
    ) -> Result<(), AppError> {
        if visible {
            return Ok(());
        }
        Err(self.hide(actor, operation, format!("{kind} {id}")))
    }

    /// Another's record (`what`, "kind id"), hidden from `actor` as if it did not exist;
    /// audited as a refusal.
    pub(crate) fn hide(&self, actor: &Actor, operation: Operation, what: String) -> AppError {
        let subject = what.replacen(' ', ":", 1);
        self.audited_refusal(actor, operation, &subject, AppError::Hidden(what))
    }

    /// `refusal`, once its denial record is written (or the error that prevented it).
    fn audited_refusal(
        &self,
        actor: &Actor,
        operation: Operation,
        subject: &str,
        refusal: AppError,
    ) -> AppError {
        match self.audit_denial(actor, operation.as_str(), subject) {
            Ok(()) => refusal,
            Err(error) => error,
        }
    }

    /// Passes on the result of a read (or a write that rolled back) for `actor`. A refused
    /// authorisation in it — a record out of the actor's scope, refused (`Forbidden`) or
    /// hidden (`Hidden`, answered as not found) — is audited once, in its own transaction.
    pub(crate) fn audited<T>(
        &self,
        actor: &Actor,
        operation: Operation,
        subject: &str,
        result: Result<T, AppError>,
    ) -> Result<T, AppError> {
        match result {
            Err(error) if error.is_denial() => {
                Err(self.audited_refusal(actor, operation, subject, error))
            }
            other => other,
        }
    }

    /// Runs `work` in a read snapshot for `actor`. A refused authorisation in it (a record
    /// out of the actor's scope) is audited once, as [`App::audited`] does, under
    /// `operation` and `subject`.
    pub(crate) fn read_for<T: Send + 'static>(
        &self,
        actor: &Actor,
        operation: Operation,
        subject: &str,
        mut work: impl FnMut(&mut Tx<'_>, &Reading) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let reading = Reading {
            actor: actor.clone(),
            vault: self.vault.clone(),
            now: self.now(),
        };
        let result = self.store.read(move |tx| work(tx, &reading));
        self.audited(actor, operation, subject, result)
    }

    /// Writes the one audit record of a look-up of a person's records that succeeded
    /// (`action` on `subject`, with `detail`), in a transaction of its own, before the answer
    /// is given.
    pub(crate) fn audit_look_up(
        &self,
        actor: &Actor,
        action: &'static str,
        subject: String,
        detail: &serde_json::Value,
    ) -> Result<(), AppError> {
        let mut event =
            Audit::on(action, subject).event(&actor.label(), action, "ok".into(), self.now());
        event.detail = detail.to_string();
        self.store
            .write(move |tx| tx.append_audit(&event).map(|_| ()))?;
        Ok(())
    }

    /// Records a refused authorisation in its own transaction. The subject comes from the
    /// caller (a path segment, before anything checked it) and is cut to
    /// [`DENIED_SUBJECT_MAX_CHARS`].
    pub(crate) fn audit_denial(
        &self,
        actor: &Actor,
        action: &str,
        subject: &str,
    ) -> Result<(), AppError> {
        let event = AuditEvent {
            at: self.now(),
            actor: actor.label(),
            action: action.to_owned(),
            subject: subject.chars().take(DENIED_SUBJECT_MAX_CHARS).collect(),
            outcome: "denied".into(),
            detail: "{}".into(),
        };
        self.store
            .write(move |tx| tx.append_audit(&event).map(|_| ()))
            .map_err(AppError::from)
    }

    /// Runs a state change: once per idempotency key, audited, in one transaction.
    ///
    /// `work` must decide before it writes: a [`shebao_domain::Refusal`] or [`AppError::Forbidden`] it
    /// returns is committed together with whatever it wrote first (a PIN failure count), its
    /// audit record and its idempotent answer; any other error rolls everything back.
    pub(crate) fn change<T>(
        &self,
        actor: &Actor,
        idempotency_key: &str,
        request: &impl Serialize,
        audit: Audit,
        mut work: impl FnMut(&mut Tx<'_>, Timestamp) -> Result<(T, String), AppError> + Send + 'static,
    ) -> Result<T, AppError>
    where
        T: Serialize + DeserializeOwned + Send + 'static,
    {
        self.change_routed(actor, idempotency_key, request, audit, move |tx, now| {
            work(tx, now).map(|(value, detail)| (value, detail, None))
        })
    }

    /// [`App::change`] for work that decides inside the transaction what it became: the
    /// action it returns, if any, is audited instead of `audit.action` (a credit that turned
    /// into an approval request is audited as `approval.request`). The idempotency
    /// fingerprint still names the action asked for.
    pub(crate) fn change_routed<T>(
        &self,
        actor: &Actor,
        idempotency_key: &str,
        request: &impl Serialize,
        audit: Audit,
        mut work: impl FnMut(
            &mut Tx<'_>,
            Timestamp,
        ) -> Result<(T, String, Option<&'static str>), AppError>
        + Send
        + 'static,
    ) -> Result<T, AppError>
    where
        T: Serialize + DeserializeOwned + Send + 'static,
    {
        let (key, fingerprint) = self.fingerprinted(actor, idempotency_key, request, &audit)?;
        let actor_label = actor.label();
        let actor_in = actor.clone();
        let now = self.now();
        let denial = audit.event(&actor_label, audit.action, "refused:forbidden".into(), now);
        let answer = self.store.write(move |tx| {
            if let Some(stored) = stored_answer(tx, &key, &fingerprint, &actor_in, now)? {
                return Ok(stored);
            }
            let mut action = audit.action;
            let (answer, outcome, detail) = match work(tx, now) {
                Ok((value, detail, routed)) => {
                    action = routed.unwrap_or(audit.action);
                    (StoredAnswer::Ok(value), "ok".to_owned(), detail)
                }
                Err(error) => StoredAnswer::refused(error)?,
            };
            let mut event = audit.event(&actor_label, action, outcome, now);
            event.detail = detail;
            tx.append_audit(&event)?;
            let stored =
                serde_json::to_string(&answer).map_err(AppError::failed("encoding JSON"))?;
            tx.save_idempotent_response(&key, &fingerprint, &stored, now)?;
            Ok(answer)
        });
        let answer = match answer {
            // Another's record answers exactly as a missing one: rolled back, nothing stored
            // under the key (so sending the key again tells nothing either), and the refused
            // authorisation recorded, for the trail, in a transaction of its own.
            Err(AppError::Hidden(what)) => {
                self.store
                    .write(move |tx| tx.append_audit(&denial).map(|_| ()))
                    .map_err(AppError::from)?;
                return Err(AppError::Hidden(what));
            }
            other => other?,
        };
        answer.into_result()
    }

    /// Whether `region` exists: not found otherwise.
    pub(crate) fn known_region(
        &self,
        region: &shebao_domain::ids::RegionCode,
    ) -> Result<(), AppError> {
        let known = |app: &App| {
            app.known_regions
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .contains(region)
        };
        if known(self) {
            return Ok(());
        }
        let wanted = region.clone();
        if self.store.read(move |tx| tx.region(&wanted))?.is_none() {
            return Err(AppError::NotFound(format!("region {region}")));
        }
        let mut regions = self
            .known_regions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if regions.len() >= KNOWN_REGIONS_MAX {
            regions.clear();
        }
        regions.insert(region.clone());
        Ok(())
    }

    /// A change's key, scoped to the actor, and its request's fingerprint: the action, what it
    /// acts on and the body, under the vault's key.
    pub(crate) fn fingerprinted(
        &self,
        actor: &Actor,
        idempotency_key: &str,
        request: &impl Serialize,
        audit: &Audit,
    ) -> Result<(String, String), AppError> {
        let key = idempotency::scoped_key(actor, idempotency_key)?;
        let body = serde_json::to_string(request).map_err(AppError::failed("encoding JSON"))?;
        let fingerprint = self
            .vault
            .fingerprint(&format!("{}\n{}\n{}", audit.action, audit.target, body));
        Ok((key, fingerprint))
    }

    /// The region parameters in force now, or a clear error if the region has none.
    ///
    /// A version takes effect at the region's midnight starting its `effective_from`, by the
    /// offset it carries itself. Offsets lie within UTC-12..=UTC+14, so a version effective
    /// before yesterday (UTC) is in force whatever its offset: at most three versions are
    /// looked at, from the latest effective by tomorrow (UTC) backwards.
    pub(crate) fn parameters_in(
        tx: &mut Tx<'_>,
        region: &shebao_domain::ids::RegionCode,
        now: Timestamp,
    ) -> Result<RegionParameters, AppError> {
        let mut on = now.utc_date().add_days(1);
        for _ in 0..3 {
            let Some((from, body)) = tx.region_parameters_at(region, on)? else {
                break;
            };
            let params = views::ParametersBody::parse(&body).map_err(AppError::Internal)?;
            if now.local_date(params.utc_offset()) >= from {
                return Ok(params);
            }
            on = from.add_days(-1);
        }
        Err(AppError::NotFound(format!(
            "parameters in force for region {region}"
        )))
    }

    /// Today in `region`: its local date now, by the offset of its parameters in force
    /// (Issue 13: every "today" is a region's day, never UTC's).
    pub(crate) fn today_in(
        tx: &mut Tx<'_>,
        region: &shebao_domain::ids::RegionCode,
        now: Timestamp,
    ) -> Result<Date, AppError> {
        Ok(now.local_date(App::parameters_in(tx, region, now)?.utc_offset()))
    }

    /// [`App::today_in`] in a read snapshot of its own, for checks made before a change.
    pub(crate) fn today_of(
        &self,
        region: &shebao_domain::ids::RegionCode,
    ) -> Result<Date, AppError> {
        let (region, now) = (region.clone(), self.now());
        self.store.read(move |tx| App::today_in(tx, &region, now))
    }

    /// Runs `work` on the catalogue a cashier bills from: their institution's region, and
    /// today's date there.
    pub(crate) fn read_counter_catalogue<T: Send + 'static>(
        &self,
        actor: &Actor,
        mut work: impl FnMut(&mut Tx<'_>, &shebao_domain::ids::RegionCode, Date) -> Result<T, AppError>
        + Send
        + 'static,
    ) -> Result<T, AppError> {
        let institution = actor
            .scope
            .institution_id
            .clone()
            .ok_or(AppError::Forbidden)?;
        let now = self.now();
        self.store.read(move |tx| {
            let record = tx
                .institution(&institution)?
                .or_not_found("institution", &institution)?;
            let today = App::today_in(tx, &record.region, now)?;
            work(tx, &record.region, today)
        })
    }

    /// Which of `codes` the catalogue of the cashier's institution's region does not hold
    /// today: a bill settles them as self-paid, and the counter says so before it settles.
    pub fn codes_outside_catalogue(
        &self,
        actor: &Actor,
        codes: Vec<String>,
    ) -> Result<Vec<String>, AppError> {
        self.authorise(actor, shebao_domain::access::Operation::Settle)?;
        self.read_counter_catalogue(actor, move |tx, region, today| {
            let trimmed: Vec<&str> = codes.iter().map(|c| c.trim()).collect();
            let known = tx.catalogue_items_at(region, &trimmed, today)?;
            let mut outside: Vec<String> = Vec::new();
            for code in trimmed {
                let listed = outside.iter().any(|seen| seen == code);
                if !listed && !known.iter().any(|item| item.code == code) {
                    outside.push(code.to_owned());
                }
            }
            Ok(outside)
        })
    }

    /// Today in an institution's region: the day its settlements are dated and reconciled
    /// by (the cashier's desk shows it by default).
    pub fn institution_today(&self, institution: &str) -> Result<Date, AppError> {
        let (institution, now) = (institution.to_owned(), self.now());
        self.store.read(move |tx| {
            let record = tx
                .institution(&institution)?
                .or_not_found("institution", &institution)?;
            App::today_in(tx, &record.region, now)
        })
    }
}

/// Idempotency keys: chosen by the client, scoped to the actor so two clients never collide.
pub(crate) mod idempotency {
    use super::{Actor, AppError};

    pub fn scoped_key(actor: &Actor, key: &str) -> Result<String, AppError> {
        let valid = (8..=128).contains(&key.len())
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
        if !valid {
            return Err(AppError::invalid(
                "Idempotency-Key",
                "8 to 128 letters, digits, '-', '_', '.' or ':'",
            ));
        }
        Ok(format!("{}/{}", actor.user_id, key))
    }
}

/// Random identifiers: a kind prefix and 16 hex characters (64 bits).
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", hex::encode(vault::random_bytes::<8>()))
}
