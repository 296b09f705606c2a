//! Holder logins (issue 13, finding 6). A holder login is one per person and is never made
//! by an administrator. It is made either by the holder's own enrolment, proving identity
//! with the ID number and the data of a collected, usable card (card number,
//! identification code, social PIN), or at a bureau window by a clerk who checked the
//! original ID document, who is handed a one-time password to give the holder. A clerk may
//! also reset a holder's password the same way. Every one of these, done or refused, writes
//! an audit record whose subject names the person.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role, Scope};
use shebao_domain::card::pin::PIN_PATTERN;
use shebao_domain::ids::{PersonId, UserId};
use shebao_domain::person::identity::{
    CARD_IDENTIFICATION_CODE_PATTERN, CARD_NUMBER_PATTERN, CITIZEN_ID_PATTERN,
    CardIdentificationCode, CardNumber, CitizenId,
};
use shebao_domain::time::Timestamp;
use shebao_store::{AuditEvent, Tx, UserRecord};

use crate::access::auth::{
    PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, USERNAME_PATTERN, check_password_policy,
    check_username, generate_password, hash_password, login_record, user_view,
};
use crate::card::pin::{parse_pin, pin_matches, social_scope};
use crate::error::Clash;
use crate::error::{OrNotFound, RefusalCode};
use crate::views::UserView;
use crate::{Actor, App, AppError, Audit, new_id};

/// A holder's own enrolment: who they are, proven with their card, and the login they want.
#[derive(Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SelfEnrolment {
    #[schemars(regex(pattern = CITIZEN_ID_PATTERN))]
    pub citizen_id: String,
    #[schemars(regex(pattern = CARD_NUMBER_PATTERN))]
    pub card_number: String,
    #[schemars(regex(pattern = CARD_IDENTIFICATION_CODE_PATTERN))]
    pub identification_code: String,
    #[schemars(regex(pattern = PIN_PATTERN), extend("writeOnly" = true))]
    pub social_pin: String,
    #[schemars(regex(pattern = USERNAME_PATTERN))]
    pub username: String,
    #[schemars(length(min = PASSWORD_MIN_CHARS, max = PASSWORD_MAX_CHARS), extend("writeOnly" = true))]
    pub password: String,
}

crate::debug_showing_only!(SelfEnrolment { username });

/// A holder login opened at a bureau window.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowEnrolment {
    #[schemars(regex(pattern = USERNAME_PATTERN))]
    pub username: String,
    /// The clerk confirms having checked the holder's original ID document.
    #[schemars(extend("enum" = [true]))]
    pub original_id_checked: bool,
}

/// A holder's password reset at a bureau window.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginReset {
    /// The clerk confirms having checked the holder's original ID document.
    #[schemars(extend("enum" = [true]))]
    pub original_id_checked: bool,
}

/// A holder login with its one-time password, shown once to the clerk for the holder.
#[derive(Clone, Serialize, Deserialize, JsonSchema)]
pub struct HolderLoginIssued {
    pub user: UserView,
    /// Shown once.
    #[schemars(length(min = 20))]
    pub one_time_password: String,
}

crate::debug_showing_only!(HolderLoginIssued { user });

/// The one answer to a self-enrolment whose proof fails, whichever part failed.
fn enrolment_refused() -> AppError {
    AppError::Denied {
        code: RefusalCode::HolderEnrolmentRefused,
        status: 422,
        message: "the ID number and card data do not prove a collected, usable card of this \
                  person"
            .into(),
    }
}

fn holder_login_exists() -> AppError {
    AppError::Rule {
        code: RefusalCode::HolderLoginExists,
        message: "this person already has a holder login; a clerk can reset its password".into(),
    }
}

fn original_id_checked(checked: bool) -> Result<(), AppError> {
    if checked {
        Ok(())
    } else {
        Err(AppError::invalid(
            "original_id_checked",
            "true: the clerk checks the holder's original ID document first",
        ))
    }
}

/// A holder login record for `person`.
fn holder_record(
    id: UserId,
    username: String,
    hash: String,
    person: PersonId,
    now: Timestamp,
) -> UserRecord {
    UserRecord {
        scope: Scope {
            person_id: Some(person),
            ..Scope::default()
        },
        ..login_record(id, username, hash, Role::Cardholder, now)
    }
}

/// The parsed proof of a self-enrolment.
struct Proof {
    card_number: CardNumber,
    identification_code: CardIdentificationCode,
    social_pin: shebao_domain::card::pin::Pin,
}

impl App {
    /// The holder's own enrolment (public, limited per client address by the HTTP layer).
    /// Every mismatch of the proof answers `holder_enrolment_refused` alike; a wrong social
    /// PIN for the right card counts toward the card's PIN lock, as a PIN check does.
    pub fn enrol_holder_login(&self, request: SelfEnrolment) -> Result<UserView, AppError> {
        let now = self.now();
        let (citizen, proof) = presented(&request, now)?;
        let username = check_username(&request.username)?;
        check_password_policy(&request.password)?;
        let hash = hash_password(&request.password)?;
        let index = self
            .vault
            .blind_index(crate::person::CITIZEN_INDEX, citizen.as_str());
        let (vault, masked, id) = (self.vault.clone(), citizen.masked(), new_id("usr"));
        self.store.write(move |tx| {
            let actor = format!("anonymous:{masked}");
            let Some(person) = tx.person_by_citizen_index(&index)? else {
                let detail = "{\"failed\":\"person\"}";
                let outcome = "refused:holder_enrolment_refused";
                append(tx, now, &actor, "person:-", outcome, detail)?;
                return Ok(Err(enrolment_refused()));
            };
            let subject = format!("person:{}", person.id);
            if let Err(failed) = prove(tx, &vault, &person.id, &proof, now)? {
                // The trail says which part failed; the answer does not.
                let detail = format!("{{\"failed\":\"{failed}\"}}");
                let outcome = "refused:holder_enrolment_refused";
                append(tx, now, &actor, &subject, outcome, &detail)?;
                return Ok(Err(enrolment_refused()));
            }
            if tx.cardholder_login(&person.id)?.is_some() {
                let outcome = "refused:holder_login_exists";
                append(tx, now, &actor, &subject, outcome, "{}")?;
                return Ok(Err(holder_login_exists()));
            }
            if tx.user_by_username(&username)?.is_some() {
                // Review of issue 13: recorded like every other refusal (outcome by the
                // answer's code), and nothing is created.
                append(
                    tx,
                    now,
                    &actor,
                    &subject,
                    "refused:conflict",
                    "{\"failed\":\"username_taken\"}",
                )?;
                return Ok(Err(AppError::Conflict(Clash::UsernameTaken {
                    username: username.to_string(),
                })));
            }
            let record = holder_record(
                UserId::new(&id),
                username.clone(),
                hash.clone(),
                person.id,
                now,
            );
            tx.insert_user(&record)?;
            let detail = format!("{{\"user\":\"{}\"}}", record.id);
            append(tx, now, &actor, &subject, "ok", &detail)?;
            Ok::<_, AppError>(Ok(user_view(&record)))
        })?
    }

    /// A clerk opens a holder login at a bureau window after checking the original ID
    /// document; the answer carries a one-time password, shown once.
    pub fn open_holder_login(
        &self,
        actor: &Actor,
        key: &str,
        person: &str,
        request: WindowEnrolment,
    ) -> Result<HolderLoginIssued, AppError> {
        self.authorise(actor, Operation::ManageHolderLogins)?;
        original_id_checked(request.original_id_checked)?;
        let username = check_username(&request.username)?;
        let (password, hash, shown_password) = self.one_time_password()?;
        let (person_id, id) = (PersonId::new(person), UserId::new(new_id("usr")));
        let audit = Audit::on("user.open_holder_login", format!("person:{person_id}"));
        let (user, shown) = self.change(actor, key, &request, audit, move |tx, now| {
            tx.person(&person_id)?.or_not_found("person", &person_id)?;
            if tx.cardholder_login(&person_id)?.is_some() {
                return Err(holder_login_exists());
            }
            let record = holder_record(
                id.clone(),
                username.clone(),
                hash.clone(),
                person_id.clone(),
                now,
            );
            tx.insert_user(&record)?;
            let detail = format!("{{\"user\":\"{id}\",\"original_id_checked\":true}}");
            Ok(((user_view(&record), shown_password.clone()), detail))
        })?;
        self.issued(user, &shown, password)
    }

    /// A clerk resets a holder's password at a bureau window (original ID checked): a new
    /// one-time password, shown once; the holder's sessions end.
    pub fn reset_holder_login(
        &self,
        actor: &Actor,
        key: &str,
        person: &str,
        request: LoginReset,
    ) -> Result<HolderLoginIssued, AppError> {
        self.authorise(actor, Operation::ManageHolderLogins)?;
        original_id_checked(request.original_id_checked)?;
        let (password, hash, shown_password) = self.one_time_password()?;
        let person_id = PersonId::new(person);
        let audit = Audit::on("user.reset_holder_login", format!("person:{person_id}"));
        let (user, shown) = self.change(actor, key, &request, audit, move |tx, _now| {
            let login = tx
                .cardholder_login(&person_id)?
                .or_not_found("holder login of person", &person_id)?;
            tx.update_user_password(&login.id, &hash)?;
            tx.update_user_login(&login.id, 0, None)?;
            tx.delete_sessions_of_user(&login.id)?;
            let detail = format!("{{\"user\":\"{}\",\"original_id_checked\":true}}", login.id);
            Ok(((user_view(&login), shown_password.clone()), detail))
        })?;
        self.issued(user, &shown, password)
    }

    /// A fresh one-time password, its hash to store and its keyed fingerprint (what the answer
    /// keeps for replays, [`App::issued`]).
    fn one_time_password(&self) -> Result<(String, String, String), AppError> {
        let password = generate_password();
        let hash = hash_password(&password)?;
        let shown = self.one_time_fingerprint(&password);
        Ok((password, hash, shown))
    }

    fn one_time_fingerprint(&self, password: &str) -> String {
        self.vault.fingerprint(&format!("one-time:{password}"))
    }

    /// The answer with its one-time password, unless this is a replay of an earlier request
    /// (same idempotency key): that password was shown once, and is not stored to be shown
    /// again (only its keyed fingerprint is, to tell the two apart).
    fn issued(
        &self,
        user: UserView,
        shown: &str,
        password: String,
    ) -> Result<HolderLoginIssued, AppError> {
        if self.one_time_fingerprint(&password) != shown {
            return Err(AppError::Rule {
                code: RefusalCode::OneTimePasswordShown,
                message: "this request was done before and its one-time password shown then; \
                          reset the password for a new one"
                    .into(),
            });
        }
        Ok(HolderLoginIssued {
            user,
            one_time_password: password,
        })
    }
}

/// Checks a self-enrolment's proof against the person's cards: the card number and
/// identification code of one of them, then its social PIN (the count kept either way).
/// A failed proof names the part that failed, for the audit trail only.
fn prove(
    tx: &mut Tx<'_>,
    vault: &crate::Vault,
    person: &PersonId,
    proof: &Proof,
    now: Timestamp,
) -> Result<Result<(), &'static str>, AppError> {
    let card = tx.cards_of_person(person)?.into_iter().find(|card| {
        card.card_number == proof.card_number
            && crate::vault::same_secret(
                card.identification_code.as_str(),
                proof.identification_code.as_str(),
            )
    });
    let Some(card) = card else {
        return Ok(Err("card"));
    };
    let params = App::parameters_in(tx, &card.region, now)?;
    let matched = pin_matches(
        vault,
        card.social_pin.as_ref(),
        &social_scope(&card.id),
        &proof.social_pin,
    );
    let (next, outcome) = card.verify_social_pin(matched, &params, now);
    if next != card {
        tx.update_card(&next)?;
    }
    Ok(outcome.map_err(|_| "social_pin"))
}

/// One audit record of a self-enrolment.
fn append(
    tx: &mut Tx<'_>,
    now: Timestamp,
    actor: &str,
    subject: &str,
    outcome: &str,
    detail: &str,
) -> Result<(), AppError> {
    tx.append_audit(&AuditEvent {
        at: now,
        actor: actor.to_owned(),
        action: "user.enrol_holder".into(),
        subject: subject.to_owned(),
        outcome: outcome.to_owned(),
        detail: detail.to_owned(),
    })?;
    Ok(())
}

/// The ID number and the card data a self-enrolment presents, parsed.
fn presented(request: &SelfEnrolment, now: Timestamp) -> Result<(CitizenId, Proof), AppError> {
    let citizen = CitizenId::parse(
        request.citizen_id.trim(),
        shebao_domain::person::identity::citizen_id_today(now),
    )
    .map_err(|error| AppError::Identity {
        field: "citizen_id",
        error,
    })?;
    let proof = Proof {
        card_number: CardNumber::parse(request.card_number.trim()).map_err(|error| {
            AppError::Identity {
                field: "card_number",
                error,
            }
        })?,
        identification_code: CardIdentificationCode::parse(request.identification_code.trim())
            .map_err(|error| AppError::Identity {
                field: "identification_code",
                error,
            })?,
        social_pin: parse_pin(&request.social_pin, "social_pin")?,
    };
    Ok((citizen, proof))
}
