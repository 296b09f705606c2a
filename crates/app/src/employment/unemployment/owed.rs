//! What a person owes back on a spell: a fraud's repayment and fine, or months paid from a
//! stop on; each booked in the ledger against the person's receivable account.

use shebao_domain::access::Operation;
use shebao_domain::insurance::Month;
use shebao_domain::insurance::unemployment::{SpellStatus, StopReason, fraud_owed};
use shebao_domain::money::ledger::{SystemAccount, TransferCode, receivable_account, stripe_of};
use shebao_domain::time::Timestamp;
use shebao_store::{ReceivableRecord, SpellRecord, Tx};

use super::{
    FraudFinding, ReceivableView, UNEMPLOYMENT_BENEFIT, bureau_note, known_spell, receivable_view,
    stop_spell,
};
use crate::error::Clash;
use crate::money::{post, transfer_record};
use crate::{Actor, App, AppError, Audit, new_id};

impl App {
    /// The bureau records a fraud on a spell that paid: the benefit stops (from the first
    /// month not paid, if it still runs; a stopped spell is stopped for the fraud) and the
    /// person owes back what was paid wrongly plus a fine of 1 to 3 times it, booked as a
    /// receivable. Once per spell.
    pub fn record_unemployment_fraud(
        &self,
        actor: &Actor,
        key: &str,
        spell: &str,
        request: FraudFinding,
    ) -> Result<ReceivableView, AppError> {
        self.authorise(actor, Operation::DecideBenefits)?;
        let field = if (100..=300).contains(&request.fine_percent) {
            "overpaid_fen"
        } else {
            "fine_percent"
        };
        let (repayment, fine) = fraud_owed(request.overpaid_fen, request.fine_percent)
            .map_err(|e| AppError::invalid(field, e.to_string()))?;
        let note = bureau_note(&request.note, "note")?;
        let (id, label, receivable_id) = (spell.to_owned(), actor.label(), new_id("rcv"));
        let fine_percent = i64::from(request.fine_percent);
        let audit = Audit::on("unemployment.fraud", format!("unemployment_spell:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut spell = known_spell(tx, &id)?;
            let paid = tx.unemployment_paid_fen(&spell.id, None)?;
            if repayment > paid {
                return Err(AppError::invalid(
                    "overpaid_fen",
                    format!("at most what the spell paid, {paid} fen"),
                ));
            }
            // The benefit stops from the first month not paid; a spell stopped before is
            // stopped for the fraud now, so it leaves no unused months to a later spell.
            match spell.status {
                SpellStatus::Approved => {
                    let from = next_unpaid_month(tx, &spell, now)?;
                    stop_spell(
                        &mut spell,
                        StopReason::Fraud,
                        from,
                        note.clone(),
                        (&label, now),
                    );
                    tx.save_unemployment_spell(&spell)?;
                }
                SpellStatus::Stopped | SpellStatus::Ended => {
                    spell.status = SpellStatus::Stopped;
                    spell.stop_reason = Some(StopReason::Fraud);
                    spell.stop_note = Some(note.clone());
                    tx.save_unemployment_spell(&spell)?;
                }
                SpellStatus::Registered | SpellStatus::Refused => {}
            }
            let owed = Owed {
                kind: "unemployment_fraud",
                repayment_fen: repayment,
                fine_fen: fine,
                fine_percent,
                note: note.clone(),
            };
            let record = owed.book(tx, &spell, receivable_id.clone(), (&label, now))?;
            let detail = serde_json::json!({
                "receivable": record.id, "repayment_fen": repayment, "fine_fen": fine
            });
            Ok((receivable_view(&record), detail.to_string()))
        })
    }
}

/// The first month a running spell has not paid and may still pay: this month, or the month
/// after the last paid if that is later. A stop from it leaves nothing paid wrongly.
pub(crate) fn next_unpaid_month(
    tx: &mut Tx<'_>,
    spell: &SpellRecord,
    now: Timestamp,
) -> Result<Month, AppError> {
    let this_month = Month::of(App::today_in(tx, &spell.region, now)?);
    let after_paid = tx.last_paid_month(&spell.id)?.map(|m| m.add_months(1));
    Ok(after_paid.map_or(this_month, |m| m.max(this_month)))
}

/// What a person owes back on a spell, before it is booked.
pub(super) struct Owed {
    pub(super) kind: &'static str,
    pub(super) repayment_fen: i64,
    pub(super) fine_fen: i64,
    pub(super) fine_percent: i64,
    pub(super) note: String,
}

impl Owed {
    /// Books what is owed: the person's receivable account goes below zero by it, the
    /// region's unemployment fund is credited, and the receivable is recorded (once per
    /// spell and kind).
    pub(super) fn book(
        self,
        tx: &mut Tx<'_>,
        spell: &SpellRecord,
        id: String,
        (actor, now): (&str, Timestamp),
    ) -> Result<ReceivableRecord, AppError> {
        if tx.receivable_of(&spell.id, self.kind)?.is_some() {
            return Err(AppError::Conflict(Clash::AlreadyOwed));
        }
        let account = receivable_account(UNEMPLOYMENT_BENEFIT, spell.person_id.as_str());
        tx.ensure_ledger_account(&account, true, now)?;
        let fund = SystemAccount::Fund {
            region: spell.region.to_string(),
            fund: UNEMPLOYMENT_BENEFIT.into(),
        }
        .ledger_id(stripe_of(spell.person_id.as_str()));
        tx.ensure_ledger_account(&fund, true, now)?;
        let transfer = transfer_record(
            &new_id("trf"),
            TransferCode::Receivable,
            account,
            fund,
            self.repayment_fen + self.fine_fen,
            format!("{} {}", self.kind, spell.id),
            actor,
            now,
        );
        post(tx, &transfer, now)?;
        let record = ReceivableRecord {
            id,
            person_id: spell.person_id.clone(),
            spell_id: spell.id.clone(),
            kind: self.kind.into(),
            repayment_fen: self.repayment_fen,
            fine_fen: self.fine_fen,
            fine_percent: self.fine_percent,
            note: self.note,
            transfer_id: transfer.id,
            created_by: actor.to_owned(),
            created_at: now,
        };
        tx.insert_receivable(&record)?;
        Ok(record)
    }
}
