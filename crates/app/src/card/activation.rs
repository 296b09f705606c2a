//! The card at its bank and its PINs: financial activation in person at a branch of the
//! card's own bank, and the social PIN checked, changed and unlocked.

use shebao_domain::Refusal;
use shebao_domain::access::Operation;
use shebao_domain::card::pin::check_strength;
use shebao_domain::card::{Card, Side};
use shebao_domain::ids::CardId;

use super::pin::{financial_scope, parse_pin, pin_matches, pin_value, social_scope};
use super::{
    ActivateRequest, Empty, PinChange, PinRequest, card_utc_offset, card_view, holder_citizen_id,
    identity_matches, load_card,
};
use crate::error::OrNotFound;
use crate::reference::region_code;
use crate::views::{AccountView, CardView, PinCheckView};
use crate::{Actor, App, AppError, Audit};

impl App {
    /// Financial activation, in person, by a teller of a branch of the card's own bank.
    pub fn activate_financial(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: ActivateRequest,
    ) -> Result<AccountView, AppError> {
        self.authorise(actor, Operation::ActivateFinancial)?;
        let subject = format!("card:{card}");
        let (presented, pin) = self.presented(actor, "account.activate", subject, &request)?;
        let (id, vault) = (CardId::new(card), self.vault.clone());
        let (bank, branch) = match (&actor.scope.bank_id, &actor.scope.branch_id) {
            (Some(bank), Some(branch)) => (bank.clone(), branch.clone()),
            _ => {
                return Err(self.deny(
                    actor,
                    Operation::ActivateFinancial,
                    &format!("card:{card}"),
                ));
            }
        };
        let shown = request.clone();
        let audit = Audit::on("account.activate", format!("card:{id}"));
        self.change(actor, key, &shown, audit, move |tx, now| {
            let card = tx.card(&id)?.or_not_found("card", &id)?;
            // Another bank's teller learns nothing about the card, not even that it exists.
            if card.bank_id.as_ref() != Some(&bank) {
                return Err(AppError::Hidden(format!("card {id}")));
            }
            let utc_offset = card_utc_offset(tx, &card, now)?;
            card.ensure_side_usable(Side::Financial, now, utc_offset)?;
            let account_id = card.account_id.clone().ok_or(Refusal::CardNotCollected)?;
            let account = tx
                .account(&account_id)?
                .or_not_found("account", &account_id)?;
            if account.bank_id != bank {
                return Err(Refusal::WrongBank.into());
            }
            let matches = identity_matches(tx, &vault, &card.person_id, &presented)?;
            if matches {
                check_strength(&pin, &presented)?;
            }
            let value = pin_value(&vault, &financial_scope(&account_id), &pin)?;
            let active = account.activate(
                &card,
                &bank,
                branch.clone(),
                matches,
                value,
                now,
                utc_offset,
            )?;
            tx.update_account(&active)?;
            let balance = tx
                .ledger_balance(account_id.as_str())?
                .map_or(0, |b| b.balance_fen);
            Ok((
                AccountView::new(&active, balance),
                "{\"status\":\"active\"}".into(),
            ))
        })
    }

    /// Checks the social PIN; wrong entries count toward the lock and survive restarts.
    pub fn verify_social_pin(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: PinRequest,
    ) -> Result<PinCheckView, AppError> {
        self.authorise(actor, Operation::VerifySocialPin)?;
        let pin = parse_pin(&request.pin, "pin")?;
        let region = request
            .region
            .as_deref()
            .map(|r| region_code(r, "region"))
            .transpose()?;
        let (id, actor_in, vault) = (CardId::new(card), actor.clone(), self.vault.clone());
        let shown = request.clone();
        let audit = Audit::on("card.verify_social_pin", format!("card:{id}"));
        self.change(actor, key, &shown, audit, move |tx, now| {
            let card = load_card(tx, &actor_in, &id)?;
            let params = App::parameters_in(tx, &card.region, now)?;
            if let Some(region) = &region {
                card.ensure_usable_in(region, now, params.utc_offset())?;
            }
            let matched = pin_matches(
                &vault,
                card.social_pin.as_ref(),
                &social_scope(&card.id),
                &pin,
            );
            let (next, outcome) = card.verify_social_pin(matched, &params, now);
            if next != card {
                tx.update_card(&next)?;
            }
            outcome?;
            Ok((
                PinCheckView {
                    card_id: id.to_string(),
                    verified: true,
                },
                "{}".into(),
            ))
        })
    }

    /// The holder changes their social PIN with the old one.
    pub fn change_social_pin(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: PinChange,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::ChangeSocialPin)?;
        let old = parse_pin(&request.old_pin, "old_pin")?;
        let new = parse_pin(&request.new_pin, "new_pin")?;
        let (id, actor_in, vault) = (CardId::new(card), actor.clone(), self.vault.clone());
        let shown = PinChange {
            old_pin: String::new(),
            new_pin: String::new(),
        };
        let audit = Audit::on("card.change_social_pin", format!("card:{id}"));
        // The request's fingerprint must still tell two different changes apart.
        let fingerprinted = (
            shown,
            self.vault
                .fingerprint(&format!("{}{}", request.old_pin, request.new_pin)),
        );
        self.change(actor, key, &fingerprinted, audit, move |tx, now| {
            let card = load_card(tx, &actor_in, &id)?;
            let holder = holder_citizen_id(tx, &vault, &card.person_id, now)?;
            check_strength(&new, &holder)?;
            let params = App::parameters_in(tx, &card.region, now)?;
            let matched = pin_matches(
                &vault,
                card.social_pin.as_ref(),
                &social_scope(&card.id),
                &old,
            );
            let value = pin_value(&vault, &social_scope(&card.id), &new)?;
            let (next, outcome) = card.change_social_pin(matched, value, &params, now);
            if next != card {
                tx.update_card(&next)?;
            }
            outcome?;
            let saved = Card {
                version: next.version + 1,
                ..next
            };
            Ok((card_view(tx, &vault, &saved, now)?, "{}".into()))
        })
    }

    /// Authorised staff unlock the social PIN with the holder present.
    pub fn unlock_social_pin(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::UnlockSocialPin)?;
        self.card_transition(
            actor,
            key,
            card,
            "card.unlock_social_pin",
            &Empty {},
            |tx, _, card, now| {
                let utc_offset = card_utc_offset(tx, card, now)?;
                Ok(card.unlock_social_pin(now, utc_offset)?)
            },
        )
    }
}
