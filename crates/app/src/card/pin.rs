//! The PINs' one place: their format, the scopes their verification values are made in
//! (a card's social PIN, an account's financial PIN) and the check. Used by the card's
//! use cases, money's debits, holder logins and the medical counter.

use shebao_domain::card::pin::{Pin, PinVerificationValue};
use shebao_domain::ids::{AccountId, CardId};

use crate::{AppError, Vault};

pub(crate) fn parse_pin(input: &str, field: &'static str) -> Result<Pin, AppError> {
    Pin::parse(input).map_err(|_| AppError::invalid(field, "exactly six digits"))
}

/// The verification-value scope of a card's social PIN and an account's financial PIN.
pub(crate) fn social_scope(card: &CardId) -> String {
    format!("card:{card}:social")
}

pub(crate) fn financial_scope(account: &AccountId) -> String {
    format!("account:{account}:financial")
}

pub(crate) fn pin_value(
    vault: &Vault,
    scope: &str,
    pin: &Pin,
) -> Result<PinVerificationValue, AppError> {
    vault
        .pin_value(scope, pin.expose_digits())
        .map(PinVerificationValue::new)
        .map_err(AppError::failed("deriving a PIN verification value"))
}

pub(crate) fn pin_matches(
    vault: &Vault,
    stored: Option<&PinVerificationValue>,
    scope: &str,
    pin: &Pin,
) -> bool {
    stored.is_some_and(|value| vault.pin_matches(value.as_str(), scope, pin.expose_digits()))
}

/// Checks the social PIN on the card; a wrong one counts toward the lock (the card is saved
/// and the refusal committed by `App::change`).
pub(crate) fn check_social_pin(
    tx: &mut shebao_store::Tx<'_>,
    vault: &Vault,
    card: &shebao_domain::card::Card,
    pin: Option<&shebao_domain::card::pin::Pin>,
    now: shebao_domain::time::Timestamp,
) -> Result<(), AppError> {
    let pin = pin.ok_or(AppError::invalid(
        "social_pin",
        "this region asks for the social-security PIN",
    ))?;
    let params = crate::App::parameters_in(tx, &card.region, now)?;
    let matched = pin_matches(
        vault,
        card.social_pin.as_ref(),
        &social_scope(&card.id),
        pin,
    );
    let (next, outcome) = card.verify_social_pin(matched, &params, now);
    if next != *card {
        tx.update_card(&next)?;
    }
    Ok(outcome?)
}
