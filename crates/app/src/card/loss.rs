//! Loss and what follows it: temporary and formal loss reports and their cancellation,
//! replacement, renewal, the temporary card handed back, cancellation.

use serde::Serialize;
use shebao_domain::Refusal;
use shebao_domain::access::{Operation, permits};
use shebao_domain::card::{Card, CardKind, Loss, LossKind, NewCard};
use shebao_domain::ids::{BankId, CardId};
use shebao_domain::time::Timestamp;
use shebao_store::Tx;

use super::{
    CancelRequest, CardNumbers, Empty, LossCancellation, LossReport, RenewalRequest,
    card_utc_offset, card_view, drawn_bin, load_card, new_card_secrets, side,
};
use crate::error::OrNotFound;
use crate::views::CardView;
use crate::{Actor, App, AppError, Audit};

impl App {
    /// Reports one side lost. Holders may only report a temporary loss; a formal loss is made
    /// in person.
    pub fn report_loss(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: LossReport,
    ) -> Result<CardView, AppError> {
        let side = side(&request.side)?;
        let kind = LossKind::parse(&request.kind)
            .ok_or_else(|| AppError::invalid("kind", "temporary or formal"))?;
        let operation = match kind {
            LossKind::Temporary => Operation::ReportTemporaryLoss,
            LossKind::Formal => Operation::ReportFormalLoss,
        };
        self.authorise(actor, operation)?;
        self.card_transition(
            actor,
            key,
            card,
            "card.report_loss",
            &request,
            move |tx, _, card, now| {
                let params = App::parameters_in(tx, &card.region, now)?;
                Ok(card.report_loss(side, kind, &params, now)?)
            },
        )
    }

    /// Withdraws a loss report, until a replacement is requested. A formal loss, made in
    /// person, is withdrawn only by whoever may make one (a holder may withdraw their own
    /// temporary loss online, as they may report it).
    pub fn cancel_loss(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: LossCancellation,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::CancelLoss)?;
        let side = side(&request.side)?;
        let may_withdraw_formal = permits(actor.role, Operation::ReportFormalLoss);
        self.card_transition(
            actor,
            key,
            card,
            "card.cancel_loss",
            &request,
            move |_, _, card, now| {
                if card.loss(side).at(now) == Loss::Formal && !may_withdraw_formal {
                    return Err(AppError::Forbidden);
                }
                Ok(card.cancel_loss(side, now)?)
            },
        )
    }

    /// Replacement after a formal loss: the old card dies now; the new one is an application
    /// linked to the same account. Returns the new card.
    pub fn request_replacement(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::RequestReplacement)?;
        self.successor(
            actor,
            key,
            card,
            "card.request_replacement",
            &Empty {},
            None,
            |old, new, now| old.request_replacement(new, now),
        )
    }

    /// Renewal (expiry, damage, changed data, another bank). Returns the new card.
    pub fn request_renewal(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: RenewalRequest,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::RequestRenewal)?;
        if request.reason.trim().is_empty() || request.reason.chars().count() > 200 {
            return Err(AppError::invalid("reason", "1 to 200 characters"));
        }
        let bank = request.bank_id.clone().map(BankId::new);
        self.successor(
            actor,
            key,
            card,
            "card.request_renewal",
            &request,
            bank,
            |old, new, now| old.request_renewal(new, now),
        )
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "one private helper shared by replacement and renewal"
    )]
    fn successor(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        action: &'static str,
        request: &impl Serialize,
        other_bank: Option<BankId>,
        decide: impl Fn(&Card, NewCard, Timestamp) -> Result<(Card, Card), Refusal> + Send + 'static,
    ) -> Result<CardView, AppError> {
        let (id, actor_in, vault) = (CardId::new(card), actor.clone(), self.vault.clone());
        let audit = Audit::on(action, format!("card:{id}"));
        let numbers_cell = std::sync::Mutex::new(None::<CardNumbers>);
        self.change(actor, key, request, audit, move |tx, now| {
            let old = load_card(tx, &actor_in, &id)?;
            let bank = other_bank.clone().or_else(|| old.bank_id.clone());
            let bank_id = bank.clone().ok_or_else(|| AppError::invalid("bank_id", "required"))?;
            let bank_record = tx.bank(&bank_id)?.or_not_found("bank", &bank_id)?;
            let numbers = CardNumbers::unused(
                &numbers_cell,
                tx,
                &vault,
                &old.region,
                drawn_bin(&bank_record),
            )?;
            let new = numbers.new_card(&old.person_id, CardKind::Standard, &old.region, bank);
            let (old_next, successor) = decide(&old, new, now)?;
            tx.update_card(&old_next)?;
            let secrets = new_card_secrets(&vault, &numbers, &bank_record)?;
            tx.insert_card(&successor, &secrets)?;
            let detail = serde_json::json!({ "old_card": id.to_string(), "new_card": successor.id.to_string() }).to_string();
            Ok((card_view(tx, &vault, &successor, now)?, detail))
        })
    }

    /// A temporary card handed back.
    pub fn return_temporary_card(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::ReturnTemporaryCard)?;
        self.card_transition(
            actor,
            key,
            card,
            "card.return_temporary",
            &Empty {},
            |_, _, card, _| Ok(card.return_temporary()?),
        )
    }

    /// Cancellation; refused while the card's account holds money. The account closes with
    /// the card unless another live card still uses it.
    pub fn cancel_card(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: CancelRequest,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::CancelCard)?;
        // Kept with the card: any ID or bank card number in it is masked (review of issue 13).
        let why = shebao_domain::person::identity::mask_id_numbers_in(request.reason.trim());
        if why.chars().count() < 2 || why.chars().count() > 200 {
            return Err(AppError::invalid("reason", "2 to 200 characters"));
        }
        self.card_transition(
            actor,
            key,
            card,
            "card.cancel",
            &request,
            move |tx, actor, card, now| {
                let cancelled = cancelled(tx, card, &why, now)?;
                // A cancelled card is posted to nobody.
                crate::production::withdraw_chosen_mail(tx, card.id.as_str(), &actor.label(), now)?;
                Ok(cancelled)
            },
        )
    }
}

/// `card` cancelled for `why`: its account closes with it unless another live card of the
/// holder shares it (it must be empty then).
fn cancelled(tx: &mut Tx<'_>, card: &Card, why: &str, now: Timestamp) -> Result<Card, AppError> {
    let Some(account_id) = card.account_id.clone() else {
        return Ok(card.cancel(why, 0)?);
    };
    let mut shared = false;
    for other in tx.cards_of_person(&card.person_id)? {
        if other.id != card.id && other.account_id.as_ref() == Some(&account_id) {
            shared |= other.is_live(now, card_utc_offset(tx, &other, now)?);
        }
    }
    if shared {
        return Ok(card.cancel(why, 0)?);
    }
    let balance = tx
        .ledger_balance(account_id.as_str())?
        .map_or(0, |b| b.balance_fen);
    let cancelled = card.cancel(why, balance)?;
    if let Some(account) = tx.account(&account_id)?
        && account.status != shebao_domain::money::account::AccountStatus::Closed
    {
        tx.update_account(&account.close(balance)?)?;
    }
    Ok(cancelled)
}
