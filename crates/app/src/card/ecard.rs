//! Electronic-card tokens: short-lived, keyed codes a holder shows (as a QR code) instead of
//! the physical card. A token names the card and its expiry and carries a MAC under a key
//! outside the database; the card's state is checked when the token is used, so a lost or
//! cancelled card's tokens stop working at once.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::ids::CardId;
use shebao_domain::time::Timestamp;

use crate::error::RefusalCode;
use crate::{Actor, App, AppError, Vault};

/// How long a token works: card.md's pilot refreshed the code every 3 minutes.
pub const TOKEN_SECONDS: i64 = 180;

/// A holder's electronic-card token and when it stops working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ECardToken {
    pub token: String,
    pub card_id: String,
    #[schemars(extend("format" = "date-time"))]
    pub expires_at: String,
}

fn mac(vault: &Vault, card: &str, expires: i64) -> String {
    vault.blind_index("ecard-token", &format!("{card}.{expires}"))
}

/// The card a valid, unexpired token names.
pub(crate) fn verify(vault: &Vault, token: &str, now: Timestamp) -> Result<CardId, AppError> {
    let invalid = || AppError::Rule {
        code: RefusalCode::InvalidToken,
        message: "the electronic-card token is not valid or has expired".into(),
    };
    let mut parts = token.trim().split('.');
    let (Some("EC1"), Some(card), Some(expires), Some(tag), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(invalid());
    };
    let expires: i64 = expires.parse().map_err(|_| invalid())?;
    let expected = mac(vault, card, expires);
    if !crate::vault::same_secret(&expected, tag) || now.unix_seconds() >= expires {
        return Err(invalid());
    }
    Ok(CardId::new(card))
}

impl App {
    /// A holder's electronic-card token for their own usable card.
    pub fn issue_ecard_token(&self, actor: &Actor, card: &str) -> Result<ECardToken, AppError> {
        self.authorise(actor, Operation::ReadCard)?;
        if actor.role != Role::Cardholder {
            return Err(self.deny(actor, Operation::ReadCard, &format!("card:{card}")));
        }
        let (id, owner, now) = (CardId::new(card), actor.scope.person_id.clone(), self.now());
        let found = self.store.read({
            let id = id.clone();
            move |tx| match tx.card(&id)? {
                Some(card) => {
                    let utc_offset = crate::card::card_utc_offset(tx, &card, now)?;
                    Ok::<_, AppError>(Some((card, utc_offset)))
                }
                None => Ok(None),
            }
        })?;
        let (card, utc_offset) = match found {
            None => return Err(AppError::NotFound(format!("card {id}"))),
            Some((card, _)) if Some(&card.person_id) != owner.as_ref() => {
                return Err(self.hide(actor, Operation::ReadCard, format!("card {id}")));
            }
            Some(found) => found,
        };
        card.ensure_side_usable(shebao_domain::card::Side::Social, now, utc_offset)?;
        let expires = now.unix_seconds() + TOKEN_SECONDS;
        Ok(ECardToken {
            token: format!(
                "EC1.{id}.{expires}.{}",
                mac(&self.vault, id.as_str(), expires)
            ),
            card_id: id.to_string(),
            expires_at: Timestamp::from_unix_seconds(expires).to_string(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_until_it_expires_and_not_when_altered() {
        let vault = Vault::parse(&Vault::generate_file()).unwrap();
        let now = Timestamp::from_unix_seconds(1_800_000_000);
        let expires = now.unix_seconds() + TOKEN_SECONDS;
        let token = format!("EC1.crd_1.{expires}.{}", mac(&vault, "crd_1", expires));
        assert_eq!(verify(&vault, &token, now).unwrap(), CardId::new("crd_1"));
        assert!(verify(&vault, &token, now.add_seconds(TOKEN_SECONDS)).is_err());
        assert!(verify(&vault, &token.replace("crd_1", "crd_2"), now).is_err());
        let other = Vault::parse(&Vault::generate_file()).unwrap();
        assert!(verify(&other, &token, now).is_err());
        assert!(verify(&vault, "EC1.x", now).is_err());
    }
}
