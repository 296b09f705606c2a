//! A card from application to the holder's hands: application, temporary cards, production,
//! ready for collection, collection (which retires the card it renews), and the card
//! queries.

use shebao_domain::Refusal;
use shebao_domain::access::Operation;
use shebao_domain::card::pin::{Pin, check_strength};
use shebao_domain::card::{Card, CardKind, CardStatus};
use shebao_domain::ids::{AccountId, BankId, CardId, PersonId};
use shebao_domain::money::account::Account;
use shebao_domain::person::identity::CitizenId;
use shebao_domain::time::Timestamp;
use shebao_store::{CardSecrets, Tx};

use super::pin::{pin_value, social_scope};
use super::{
    CardApplication, CardNumbers, CollectRequest, Empty, MailedCollect, ReadyRequest,
    TemporaryCardRequest, card_in_scope, card_utc_offset, card_view, detail, draw_numbers,
    drawn_bin, holder_citizen_id, identity_matches, load_card, new_card_secrets,
};
use crate::error::OrNotFound;
use crate::reference::known_region;
use crate::reference::region_code;
use crate::views::CardView;
use crate::{Actor, App, AppError, Audit, new_id};

/// The account of the card a renewal replaces, when the renewal moved to another account:
/// refused while it holds money (the holder empties it with the old card first).
fn abandoned_account(tx: &mut Tx<'_>, collected: &Card) -> Result<Option<Account>, AppError> {
    let Some(previous) = &collected.replaces else {
        return Ok(None);
    };
    let Some(old_card) = tx.card(previous)? else {
        return Ok(None);
    };
    let Some(old_id) = old_card
        .account_id
        .filter(|id| Some(id) != collected.account_id.as_ref())
    else {
        return Ok(None);
    };
    let Some(old) = tx
        .account(&old_id)?
        .filter(|a| a.status != shebao_domain::money::account::AccountStatus::Closed)
    else {
        return Ok(None);
    };
    let balance_fen = tx
        .ledger_balance(old_id.as_str())?
        .map_or(0, |b| b.balance_fen);
    if balance_fen != 0 {
        return Err(Refusal::BalanceRemaining { balance_fen }.into());
    }
    Ok(Some(old))
}

/// When a card is collected, the card it renewed stops working and the holder's temporary
/// card is handed back.
fn retire_predecessors(tx: &mut Tx<'_>, collected: &Card, now: Timestamp) -> Result<(), AppError> {
    if let Some(previous) = &collected.replaces
        && let Some(old) = tx.card(previous)?
        && old.status == CardStatus::Collected
    {
        tx.update_card(&old.supersede())?;
    }
    for card in tx.cards_of_person(&collected.person_id)? {
        if card.kind == CardKind::Temporary
            && card.status == CardStatus::Collected
            && card.is_live(now, card_utc_offset(tx, &card, now)?)
        {
            tx.update_card(&card.return_temporary()?)?;
        }
    }
    Ok(())
}

impl App {
    /// A first application for a standard card at a bank of the holder's choice.
    pub fn apply_card(
        &self,
        actor: &Actor,
        key: &str,
        request: CardApplication,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::ApplyCard)?;
        let region = region_code(&request.region, "region")?;
        let drawn = draw_numbers(&region)?;
        let (person, bank) = (
            PersonId::new(&request.person_id),
            BankId::new(&request.bank_id),
        );
        let vault = self.vault.clone();
        let audit = Audit::creating("card.apply", format!("card:{}", drawn.id));
        let drawn = std::sync::Mutex::new(Some(drawn));
        self.change(actor, key, &request, audit, move |tx, now| {
            tx.person(&person)?.or_not_found("person", &person)?;
            known_region(tx, &region)?;
            let bank_record = tx.bank(&bank)?.or_not_found("bank", &bank)?;
            let numbers =
                CardNumbers::unused(&drawn, tx, &vault, &region, drawn_bin(&bank_record))?;
            let existing = tx.cards_of_person(&person)?;
            // The person's cards are looked at on the applying region's day.
            let utc_offset = App::parameters_in(tx, &region, now)?.utc_offset();
            let card = Card::apply(
                numbers.new_card(&person, CardKind::Standard, &region, Some(bank.clone())),
                &existing,
                now,
                utc_offset,
            )?;
            let secrets = new_card_secrets(&vault, &numbers, &bank_record)?;
            tx.insert_card(&card, &secrets)?;
            Ok((card_view(tx, &vault, &card, now)?, detail(&card)))
        })
    }

    /// A temporary card issued on the spot: social-security side only, region only.
    pub fn issue_temporary_card(
        &self,
        actor: &Actor,
        key: &str,
        request: TemporaryCardRequest,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::IssueTemporaryCard)?;
        let region = region_code(&request.region, "region")?;
        let subject = format!("person:{}", request.person_id);
        let (presented, pin) = self.presented(actor, "card.issue_temporary", subject, &request)?;
        let drawn = draw_numbers(&region)?;
        let person = PersonId::new(&request.person_id);
        let vault = self.vault.clone();
        let shown = request.clone();
        let audit = Audit::creating("card.issue_temporary", format!("card:{}", drawn.id));
        let drawn = std::sync::Mutex::new(Some(drawn));
        self.change(actor, key, &shown, audit, move |tx, now| {
            known_region(tx, &region)?;
            let numbers = CardNumbers::unused(&drawn, tx, &vault, &region, None)?;
            if !identity_matches(tx, &vault, &person, &presented)? {
                return Err(Refusal::IdentityMismatch.into());
            }
            check_strength(&pin, &presented)?;
            let params = App::parameters_in(tx, &region, now)?;
            let existing = tx.cards_of_person(&person)?;
            let social = pin_value(&vault, &social_scope(&numbers.id), &pin)?;
            let card = Card::issue_temporary(
                numbers.new_card(&person, CardKind::Temporary, &region, None),
                &existing,
                social,
                &params,
                now,
            )?;
            tx.insert_card(&card, &CardSecrets::default())?;
            Ok((card_view(tx, &vault, &card, now)?, detail(&card)))
        })
    }

    /// The vendor started production.
    pub fn start_production(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::RecordProduction)?;
        self.card_transition(
            actor,
            key,
            card,
            "card.start_production",
            &Empty {},
            |tx, _, card, _| {
                not_in_batches(tx, card)?;
                has_bank_card_number(tx, card)?;
                Ok(card.start_production()?)
            },
        )
    }

    /// The card arrived at a distribution point.
    pub fn mark_ready(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: ReadyRequest,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::RecordProduction)?;
        let point = request.distribution_point.trim().to_owned();
        if point.is_empty() || point.chars().count() > 100 {
            return Err(AppError::invalid(
                "distribution_point",
                "1 to 100 characters",
            ));
        }
        self.card_transition(
            actor,
            key,
            card,
            "card.mark_ready",
            &request,
            move |tx, actor, card, now| {
                not_in_batches(tx, card)?;
                let params = App::parameters_in(tx, &card.region, now)?;
                let ready = card.mark_ready(&point, &params, now)?;
                // Made at the window, the card is collected there: posted to nobody.
                crate::production::withdraw_chosen_mail(tx, card.id.as_str(), &actor.label(), now)?;
                Ok(ready)
            },
        )
    }

    /// Collection: the holder's identity is checked, the social side activates with the
    /// PIN they choose, and the financial account opens deposit-only (or stays linked on a
    /// replacement). A renewed card and any temporary card stop working.
    pub fn collect_card(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: CollectRequest,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::CollectCard)?;
        let subject = format!("card:{card}");
        let (presented, pin) = self.presented(actor, "card.collect", subject, &request)?;
        let account_id = AccountId::new(new_id("acc"));
        let (id, actor_in, vault) = (CardId::new(card), actor.clone(), self.vault.clone());
        let shown = request.clone();
        let audit = Audit::on("card.collect", format!("card:{id}"));
        self.change(actor, key, &shown, audit, move |tx, now| {
            let card = load_card(tx, &actor_in, &id)?;
            // A card at a pick-up point is handed over by that point's own staff only.
            if !crate::production::may_hand_over(tx, &actor_in, &card)? {
                return Err(AppError::Hidden(format!("card {id}")));
            }
            let matches = identity_matches(tx, &vault, &card.person_id, &presented)?;
            let handing = Handing {
                by: actor_in.label(),
                presented: presented.clone(),
                pin: pin.clone(),
                account_id: account_id.clone(),
            };
            hand_over(tx, &vault, &card, matches, &handing, now)
        })
    }

    /// The holder of a card the carrier delivered into their own hands (after checking the
    /// ID card) collects it in their own portal session: the social side activates with the
    /// PIN they choose, the financial account opens deposit-only, as at a counter.
    pub fn collect_mailed_card(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: MailedCollect,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::CollectMailedCard)?;
        let pin = super::pin::parse_pin(&request.social_pin, "social_pin")?;
        let account_id = AccountId::new(new_id("acc"));
        let (id, actor_in, vault) = (CardId::new(card), actor.clone(), self.vault.clone());
        let audit = Audit::on("card.collect_mailed", format!("card:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let card = load_card(tx, &actor_in, &id)?;
            crate::production::delivered_by_post(tx, &card)?;
            let handing = Handing {
                by: actor_in.label(),
                presented: holder_citizen_id(tx, &vault, &card.person_id, now)?,
                pin: pin.clone(),
                account_id: account_id.clone(),
            };
            // The carrier checked the ID card at the door: the identity is the holder's.
            hand_over(tx, &vault, &card, true, &handing, now)
        })
    }

    pub fn card(&self, actor: &Actor, card: &str) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::ReadCard)?;
        let id = CardId::new(card);
        let subject = format!("card:{id}");
        self.read_for(actor, Operation::ReadCard, &subject, move |tx, r| {
            let card = load_card(tx, &r.actor, &id)?;
            card_view(tx, &r.vault, &card, r.now)
        })
    }

    /// A person's cards, oldest first (only those the actor may see).
    pub fn cards_of_person(&self, actor: &Actor, person: &str) -> Result<Vec<CardView>, AppError> {
        self.authorise(actor, Operation::ReadCard)?;
        let (person, actor_in, vault, now) = (
            PersonId::new(person),
            actor.clone(),
            self.vault.clone(),
            self.now(),
        );
        self.store.read(move |tx| {
            let cards = tx.cards_of_person(&person)?;
            cards
                .iter()
                .filter(|card| card_in_scope(&actor_in, card))
                .map(|card| card_view(tx, &vault, card, now))
                .collect()
        })
    }
}

/// Who hands a card over and what its holder presented: the ID number (read from the ID
/// card, or the holder's own for a card the carrier delivered), the social PIN chosen, and
/// the id of the account a first card opens.
struct Handing {
    by: String,
    presented: CitizenId,
    pin: Pin,
    account_id: AccountId,
}

/// Collection, in the caller's transaction: the identity checked (`matches`), the social side
/// activates with the PIN chosen and the financial account opens deposit-only (or stays linked
/// on a replacement); a renewed card and any temporary card stop working; the card's delivery
/// to its point, if it came through one, is handed over, and an order to post it that was
/// not yet posted is withdrawn (a card in the post is refused).
fn hand_over(
    tx: &mut Tx<'_>,
    vault: &crate::Vault,
    card: &Card,
    matches: bool,
    handing: &Handing,
    now: Timestamp,
) -> Result<(CardView, String), AppError> {
    if matches {
        check_strength(&handing.pin, &handing.presented)?;
    }
    let mail = crate::production::not_in_the_post(tx, card)?;
    let linked = card
        .account_id
        .clone()
        .unwrap_or_else(|| handing.account_id.clone());
    let social = pin_value(vault, &social_scope(&card.id), &handing.pin)?;
    let collected = card.collect(matches, social, linked.clone(), now)?;
    // A renewal at another bank leaves the old account behind: it must be empty, and
    // it closes with the old card. Decided before anything is written.
    let old_account = abandoned_account(tx, &collected)?;
    if card.account_id.is_none() {
        let bank = card
            .bank_id
            .clone()
            .ok_or_else(|| AppError::Internal("standard card without bank".into()))?;
        tx.insert_account(
            &Account::open(linked, card.person_id.clone(), bank, now),
            now,
        )?;
    }
    if let Some(old) = old_account {
        tx.update_account(&old.close(0)?)?;
    }
    retire_predecessors(tx, &collected, now)?;
    tx.update_card(&collected)?;
    // Its delivery to the pick-up point, if it came through one, is handed over.
    tx.deliver_collected(collected.id.as_str(), &handing.by, now)?;
    if let Some(order) = mail {
        crate::production::withdraw_mail(tx, order, &handing.by, now)?;
    }
    let saved = Card {
        version: collected.version + 1,
        ..collected
    };
    Ok((card_view(tx, vault, &saved, now)?, detail(&saved)))
}

/// A card made in production batches is reported by its vendor and counted at its pick-up
/// point: the single-card records of issue 2 must not move it behind their backs.
fn not_in_batches(tx: &mut shebao_store::Tx<'_>, card: &Card) -> Result<(), AppError> {
    if tx.card_in_batches(card.id.as_str())? {
        return Err(crate::error::rule(
            crate::error::RefusalCode::WrongState,
            "the card is made in a production batch: its vendor reports it and its pick-up \
             point counts it",
        ));
    }
    if tx.live_instant_issue(card.id.as_str())?.is_some() {
        return Err(crate::error::rule(
            crate::error::RefusalCode::WrongState,
            "the card is issued on the spot at a branch: its device reports it",
        ));
    }
    Ok(())
}

/// A standard card goes into production only with its bank card number (a bank whose own
/// system assigns its numbers gives it first).
pub(crate) fn has_bank_card_number(
    tx: &mut shebao_store::Tx<'_>,
    card: &Card,
) -> Result<(), AppError> {
    if card.kind == shebao_domain::card::CardKind::Standard
        && tx.card_secrets(&card.id)?.bank_card_cipher.is_none()
    {
        return Err(crate::error::rule(
            crate::error::RefusalCode::WrongState,
            "the card waits for its bank card number from its bank",
        ));
    }
    Ok(())
}
