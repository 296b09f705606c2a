//! The electronic card (issue 19, item 5; card.md): issued for a holder's usable physical
//! card in the holder's own session, confirmed with the card's social PIN (set by the holder
//! in person at collection), one active a card; it shows codes — short-lived signed tokens
//! (`shebao_domain::card::code`, signed by the region's current e-card key in the key
//! store) — an identity code, and a payment code once the card's financial account is
//! active. A verifier checks a code offline with the published keys (`ecard_keys`); the
//! online check adds what only the service knows: the electronic card not revoked, the
//! physical card neither lost (on either side) nor ended, and a payment code used once.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::card::code::{
    CODE_PATTERN, CodeClaims, CodePurpose, NONCE_BYTES, SIGNATURE_BYTES, parse,
};
use shebao_domain::card::pin::PIN_PATTERN;
use shebao_domain::card::{Card, Side};
use shebao_domain::ids::CardId;
use shebao_domain::time::Timestamp;
use shebao_store::tx::ECARD_LISTED_MAX;
use shebao_store::{AuditEvent, CodeUseRecord, ECardRecord, Tx};

use super::ecard_keys::verify_stored;
use super::pin::{check_social_pin, parse_pin};
use crate::error::{OrNotFound, RefusalCode};
use crate::keystore::key_store_error;
use crate::person::{Shown, person_view};
use crate::vault::random_bytes;
use crate::views::PersonView;
use crate::{Actor, App, AppError, Audit, new_id};

/// The holder's confirmation of a new electronic card: the card's social PIN.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ECardRequest {
    #[schemars(regex(pattern = PIN_PATTERN))]
    pub social_pin: String,
}

/// An electronic card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ECard")]
pub struct ECardView {
    pub id: String,
    pub card_id: String,
    #[schemars(extend("enum" = ["active", "revoked"]))]
    pub status: String,
    #[schemars(extend("format" = "date-time"))]
    pub issued_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["device_lost", "holder_request", "fraud_suspected"]))]
    pub revoke_reason: Option<String>,
}

fn ecard_view(record: &ECardRecord) -> ECardView {
    ECardView {
        id: record.id.clone(),
        card_id: record.card_id.clone(),
        status: record.status.clone(),
        issued_at: record.issued_at.to_string(),
        revoked_at: record.revoked_at.map(|t| t.to_string()),
        revoke_reason: record.revoke_reason.clone(),
    }
}

/// A holder's electronic cards, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ECards")]
pub struct ECardsView {
    pub ecards: Vec<ECardView>,
}

/// Which code to show.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    #[schemars(extend("enum" = ["identity", "payment"]))]
    pub purpose: String,
}

/// A code to show (as a QR code) and when it stops working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ECardCode")]
pub struct ECardCodeView {
    /// The code's text (format `SBE1`, docs/ecard.md).
    pub code: String,
    #[schemars(extend("enum" = ["identity", "payment"]))]
    pub purpose: String,
    pub key_id: String,
    #[schemars(extend("format" = "date-time"))]
    pub issued_at: String,
    #[schemars(extend("format" = "date-time"))]
    pub expires_at: String,
    pub lifetime_seconds: u32,
}

/// Why an electronic card is revoked.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ECardRevocation {
    /// `fraud_suspected` is a clerk's reason only.
    #[schemars(extend("enum" = ["device_lost", "holder_request", "fraud_suspected"]))]
    pub reason: String,
}

/// A code shown to be checked.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeCheck {
    #[schemars(regex(pattern = CODE_PATTERN))]
    pub code: String,
}

/// A code that holds, and whose it is (masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ECardCodeCheck")]
pub struct CodeCheckView {
    #[schemars(extend("enum" = ["identity", "payment"]))]
    pub purpose: String,
    pub key_id: String,
    pub ecard_id: String,
    pub card_id: String,
    pub card_number: String,
    pub region: String,
    pub holder: PersonView,
    #[schemars(extend("format" = "date-time"))]
    pub issued_at: String,
    #[schemars(extend("format" = "date-time"))]
    pub expires_at: String,
    /// A payment code's one use was recorded by this check.
    pub used: bool,
}

/// The audit action of an online check.
const CHECK_ACTION: &str = "card.ecard.check";

fn purpose(input: &str) -> Result<CodePurpose, AppError> {
    CodePurpose::parse(input.trim())
        .ok_or_else(|| AppError::invalid("purpose", "identity or payment"))
}

fn rule(code: RefusalCode, message: &str) -> AppError {
    AppError::Rule {
        code,
        message: message.to_owned(),
    }
}

/// Whether `card` may show a code of `purpose` now: the card usable on the social side and
/// not lost on the financial side (the electronic card has the card's status: the loss of
/// either side stops it); a payment code also needs the financial account active.
fn ensure_card_shows(
    tx: &mut Tx<'_>,
    card: &Card,
    purpose: CodePurpose,
    now: Timestamp,
) -> Result<(), AppError> {
    let utc_offset = super::card_utc_offset(tx, card, now)?;
    card.ensure_side_usable(Side::Social, now, utc_offset)?;
    if card.financial_loss.at(now) != shebao_domain::card::Loss::None {
        return Err(AppError::Refused(shebao_domain::Refusal::CardLost {
            side: Side::Financial.as_str(),
        }));
    }
    if purpose == CodePurpose::Payment {
        let account = match &card.account_id {
            Some(id) => tx.account(id)?.or_not_found("account", id)?,
            None => return Err(AppError::Refused(shebao_domain::Refusal::DepositOnly)),
        };
        account.ensure_debitable(card, now, utc_offset)?;
    }
    Ok(())
}

/// The card a good code of one of `purposes` names, with its electronic card: the signature
/// and time against the stored key, the purpose, the electronic card the code names still
/// active (and of that card and holder), the card of the key's region and still showing
/// codes of the code's purpose.
pub(crate) fn card_of_code(
    tx: &mut Tx<'_>,
    text: &str,
    now: Timestamp,
    purposes: &[CodePurpose],
) -> Result<(CodeClaims, ECardRecord, Card), AppError> {
    let claims = verify_stored(tx, text, now)?;
    if !purposes.contains(&claims.purpose) {
        return Err(rule(
            RefusalCode::InvalidToken,
            &format!("a {} code is not taken here", claims.purpose.as_str()),
        ));
    }
    let ecard = tx
        .ecard(&claims.ecard_id)?
        .filter(|e| {
            e.status == "active"
                && e.card_id == claims.card_id.as_str()
                && e.person_id == claims.holder_id.as_str()
        })
        .ok_or_else(|| rule(RefusalCode::ECardRevoked, "the electronic card was revoked"))?;
    let card = tx
        .card(&claims.card_id)?
        .or_not_found("card", &claims.card_id)?;
    if card.region != claims.region {
        return Err(rule(
            RefusalCode::InvalidToken,
            "the code is signed by another region's key",
        ));
    }
    ensure_card_shows(tx, &card, claims.purpose, now)?;
    Ok((claims, ecard, card))
}

impl App {
    /// Issues an electronic card for the holder's own usable card, confirmed with the card's
    /// social PIN (a wrong one counts toward its lock); one active a card.
    pub fn issue_ecard(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: ECardRequest,
    ) -> Result<ECardView, AppError> {
        self.authorise(actor, Operation::IssueECard)?;
        let pin = parse_pin(&request.social_pin, "social_pin")?;
        let id = CardId::new(card);
        let (vault, label) = (self.vault.clone(), actor.label());
        let actor_in = actor.clone();
        let audit = Audit::on("card.ecard.issue", format!("card:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let card = super::load_card(tx, &actor_in, &id)?;
            if actor_in.role != Role::Cardholder {
                return Err(AppError::Forbidden);
            }
            ensure_card_shows(tx, &card, CodePurpose::Identity, now)?;
            if tx.active_ecard(id.as_str())?.is_some() {
                return Err(rule(
                    RefusalCode::ECardExists,
                    "this card already has an electronic card",
                ));
            }
            check_social_pin(tx, &vault, &card, Some(&pin), now)?;
            let record = ECardRecord {
                id: new_id("ecd"),
                card_id: id.as_str().to_owned(),
                person_id: card.person_id.as_str().to_owned(),
                status: "active".into(),
                issued_by: label.clone(),
                issued_at: now,
                revoked_by: None,
                revoked_at: None,
                revoke_reason: None,
            };
            tx.insert_ecard(&record)?;
            let detail = serde_json::json!({ "ecard": record.id });
            Ok((ecard_view(&record), detail.to_string()))
        })
    }

    /// The holder's own electronic cards, newest first.
    pub fn my_ecards(&self, actor: &Actor) -> Result<ECardsView, AppError> {
        self.authorise(actor, Operation::ReadCard)?;
        let Some(person) = actor
            .scope
            .person_id
            .clone()
            .filter(|_| actor.role == Role::Cardholder)
        else {
            return Err(self.deny(actor, Operation::ReadCard, "ecards"));
        };
        self.store.read(move |tx| {
            Ok(ECardsView {
                ecards: tx
                    .ecards_of(person.as_str(), ECARD_LISTED_MAX)?
                    .iter()
                    .map(ecard_view)
                    .collect(),
            })
        })
    }

    /// A fresh code of the holder's own active electronic card: signed by the region's
    /// current e-card key, working for the region's `ecard_code_minutes`. Nothing is stored:
    /// a code is checked by its signature, and online against the card.
    pub fn ecard_code(
        &self,
        actor: &Actor,
        ecard: &str,
        request: CodeRequest,
    ) -> Result<ECardCodeView, AppError> {
        self.authorise(actor, Operation::ReadCard)?;
        let purpose = purpose(&request.purpose)?;
        let (ecard_id, now) = (ecard.to_owned(), self.now());
        let owner = actor
            .scope
            .person_id
            .clone()
            .filter(|_| actor.role == Role::Cardholder);
        let found = self.store.read(move |tx| {
            let Some(ecard) = tx.ecard(&ecard_id)? else {
                return Ok::<_, AppError>(None);
            };
            if Some(ecard.person_id.as_str()) != owner.as_ref().map(|p| p.as_str()) {
                return Ok(Some(Err(())));
            }
            if ecard.status != "active" {
                return Err(rule(
                    RefusalCode::ECardRevoked,
                    "the electronic card was revoked",
                ));
            }
            let card = tx
                .card(&CardId::new(&ecard.card_id))?
                .or_not_found("card", &ecard.card_id)?;
            ensure_card_shows(tx, &card, purpose, now)?;
            let minutes = App::parameters_in(tx, &card.region, now)?.ecard_code_minutes;
            let key = tx.current_ecard_key(&card.region)?;
            match (minutes, key) {
                (Some(minutes), Some(key)) => Ok(Some(Ok((card, minutes, key.id)))),
                _ => Err(rule(
                    RefusalCode::ECardNotOffered,
                    "the card's region issues no electronic-card codes",
                )),
            }
        })?;
        let (card, minutes, key_id) = match found {
            None => return Err(AppError::NotFound(format!("electronic card {ecard}"))),
            Some(Err(())) => {
                return Err(self.hide(actor, Operation::ReadCard, format!("ecard {ecard}")));
            }
            Some(Ok(found)) => found,
        };
        let lifetime = u16::try_from(minutes.saturating_mul(60))
            .map_err(|_| AppError::Internal("e-card code lifetime".into()))?;
        let claims = CodeClaims {
            key_id,
            purpose,
            region: card.region.clone(),
            issued_at: now.unix_seconds(),
            lifetime_seconds: lifetime,
            nonce: random_bytes::<NONCE_BYTES>(),
            ecard_id: ecard.to_owned(),
            card_id: card.id.clone(),
            holder_id: card.person_id.clone(),
        };
        let signed = claims
            .signed_bytes()
            .map_err(|e| AppError::Internal(e.message()))?;
        let signature: [u8; SIGNATURE_BYTES] = self
            .key_store
            .ecard_sign(&claims.key_id, &signed)
            .map_err(key_store_error)?;
        Ok(ECardCodeView {
            code: claims
                .encode(&signature)
                .map_err(|e| AppError::Internal(e.message()))?,
            purpose: purpose.as_str().to_owned(),
            key_id: claims.key_id.clone(),
            issued_at: now.to_string(),
            expires_at: Timestamp::from_unix_seconds(claims.expires_at()).to_string(),
            lifetime_seconds: u32::from(lifetime),
        })
    }

    /// Revokes an electronic card: the holder their own (`device_lost`, `holder_request`),
    /// a clerk anyone's (also `fraud_suspected`). Its codes stop at once; a new one may be
    /// issued.
    pub fn revoke_ecard(
        &self,
        actor: &Actor,
        key: &str,
        ecard: &str,
        request: ECardRevocation,
    ) -> Result<ECardView, AppError> {
        self.authorise(actor, Operation::RevokeECard)?;
        let reason = request.reason.trim().to_owned();
        let allowed: &[&str] = match actor.role {
            Role::BureauClerk => &["device_lost", "holder_request", "fraud_suspected"],
            _ => &["device_lost", "holder_request"],
        };
        if !allowed.contains(&reason.as_str()) {
            return Err(AppError::invalid("reason", allowed.join(", ")));
        }
        let (id, label, actor_in) = (ecard.to_owned(), actor.label(), actor.clone());
        let audit = Audit::on("card.ecard.revoke", format!("ecard:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let record = tx.ecard(&id)?.or_not_found("electronic card", &id)?;
            let own = actor_in.scope.person_id.as_ref().map(|p| p.as_str())
                == Some(record.person_id.as_str());
            if actor_in.role != Role::BureauClerk && !own {
                return Err(AppError::Hidden(format!("ecard {id}")));
            }
            if record.status != "active" {
                return Err(rule(
                    RefusalCode::ECardRevoked,
                    "the electronic card was revoked already",
                ));
            }
            let revoked = ECardRecord {
                status: "revoked".into(),
                revoked_by: Some(label.clone()),
                revoked_at: Some(now),
                revoke_reason: Some(reason.clone()),
                ..record
            };
            tx.revoke_ecard(&revoked)?;
            let detail = serde_json::json!({ "card": revoked.card_id, "reason": reason });
            Ok((ecard_view(&revoked), detail.to_string()))
        })
    }

    /// Checks a code online: offline's checks, then the electronic card and the card as
    /// they are now; a payment code's one use is recorded (a second check of it is
    /// refused, `code_used`). The holder is shown masked. One audit record a check, refused
    /// or not, naming the holder once the code's signature holds (a forged code names no
    /// one).
    pub fn check_ecard_code(
        &self,
        actor: &Actor,
        key: &str,
        request: CodeCheck,
    ) -> Result<CodeCheckView, AppError> {
        self.authorise(actor, Operation::VerifyECardCode)?;
        let (text, now) = (request.code.trim().to_owned(), self.now());
        let checked = {
            let text = text.clone();
            self.store.read(move |tx| verify_stored(tx, &text, now))
        };
        let holder = match (&checked, parse(&text)) {
            (Ok(claims), _) => Some(claims.holder_id.clone()),
            // Expired is told only of a code whose signature holds.
            (Err(error), Ok(parsed)) if error.code() == RefusalCode::CodeExpired.as_str() => {
                Some(parsed.claims.holder_id)
            }
            _ => None,
        };
        // Only the subject is taken from this first look: the change decides (after a
        // replay of the key's stored answer, so a retried check answers as the first did).
        let subject = holder.map_or_else(|| "ecard_codes".to_owned(), |h| format!("person:{h}"));
        let (vault, label) = (self.vault.clone(), actor.label());
        let audit = Audit::on(CHECK_ACTION, subject.clone());
        let outcome = self.change(actor, key, &request, audit, move |tx, now| {
            let purposes = [CodePurpose::Identity, CodePurpose::Payment];
            let (claims, ecard, card) = card_of_code(tx, &text, now, &purposes)?;
            let used = claims.purpose == CodePurpose::Payment;
            if used {
                let record = CodeUseRecord {
                    nonce: claims.nonce_text(),
                    ecard_id: ecard.id.clone(),
                    used_by: label.clone(),
                    used_at: now,
                    expires_at: Timestamp::from_unix_seconds(claims.expires_at()),
                };
                if tx.code_use(&record.nonce)?.is_some() {
                    return Err(rule(RefusalCode::CodeUsed, "this payment code was used"));
                }
                tx.insert_code_use(&record)?;
                // A use outlives its code by a minute (the clocks' leeway), then goes.
                tx.purge_code_uses(now.add_seconds(-60))?;
            }
            let person = tx
                .person(&card.person_id)?
                .or_not_found("person", &card.person_id)?;
            let view = CodeCheckView {
                purpose: claims.purpose.as_str().to_owned(),
                key_id: claims.key_id.clone(),
                ecard_id: ecard.id.clone(),
                card_id: card.id.to_string(),
                card_number: card.card_number.as_str().to_owned(),
                region: card.region.to_string(),
                holder: person_view(&vault, &person, Shown::Masked, now)?,
                issued_at: Timestamp::from_unix_seconds(claims.issued_at).to_string(),
                expires_at: Timestamp::from_unix_seconds(claims.expires_at()).to_string(),
                used,
            };
            let detail = serde_json::json!({
                "card": card.id.as_str(), "purpose": claims.purpose.as_str(),
                "ecard_key": claims.key_id,
            });
            Ok((view, detail.to_string()))
        });
        match outcome {
            // A rule's refusal rolls the change back with its record: the check still has one.
            Err(error @ AppError::Rule { .. }) => Err(self.refused_check(actor, &subject, error)),
            other => other,
        }
    }

    /// `error`, once the refused check's one audit record is written (or the error that
    /// kept it from being written).
    fn refused_check(&self, actor: &Actor, subject: &str, error: AppError) -> AppError {
        let event = AuditEvent {
            at: self.now(),
            actor: actor.label(),
            action: CHECK_ACTION.to_owned(),
            subject: subject.to_owned(),
            outcome: format!("refused:{}", error.code()),
            detail: "{}".into(),
        };
        match self
            .store
            .write(move |tx| tx.append_audit(&event).map(|_| ()))
        {
            Ok(()) => error,
            Err(failure) => failure.into(),
        }
    }
}
