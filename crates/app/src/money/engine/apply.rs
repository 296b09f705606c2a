//! Applying a group of commands: each decided against the engine's state in memory, in the
//! order they came, with the same checks, refusals, audit records and stored answers as a
//! change through [`App::change`](crate::App); then every effect of the group written table
//! by table ([`shebao_store::Tx::write_money_group`]).

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use shebao_domain::Refusal;
use shebao_domain::audit::{AuditRecord, chain_of};
use shebao_domain::card::Card;
use shebao_domain::card::pin::Pin;
use shebao_domain::ids::{AccountId, CardId};
use shebao_domain::money::account::Account;
use shebao_domain::money::approval::manual_credit_review;
use shebao_domain::money::ledger::{Amount, SystemAccount, check_debit};
use shebao_domain::time::Timestamp;
use shebao_store::{
    HeadMove, IdempotentAnswer, LedgerMove, MoneyGroup, NewEntry, TransferRecord, Tx,
};

use super::state::{HotState, Ledger};
use super::{Outcome, Reply};
use crate::card::card_in_scope;
use crate::card::pin::{financial_scope, pin_matches};
use crate::error::OrNotFound;
use crate::money::approvals::{Asked, Maker};
use crate::views::{ApprovalView, MoneyOutcome, TransferView};
use crate::{Actor, AppError, Audit, StoredAnswer, Vault, decode_stored};

/// One money command: who asks, under which key, what it is.
pub(crate) struct Command {
    pub actor: Actor,
    /// The idempotency key, scoped to the actor.
    pub key: String,
    pub fingerprint: String,
    pub audit: Audit,
    pub now: Timestamp,
    pub kind: Kind,
}

pub(crate) enum Kind {
    Debit(Debit),
    Credit(Credit),
}

/// A debit from a card's account with the card and its PIN.
pub(crate) struct Debit {
    pub card: CardId,
    pub pin: Pin,
    /// The keys the PIN is checked with: the application's that sent the command.
    pub vault: Arc<Vault>,
    pub amount_fen: i64,
    pub payee: Payee,
    pub transfer: Drawn,
}

/// A credit to a card's account from a system account (cash, a fund).
pub(crate) struct Credit {
    pub card: CardId,
    pub amount_fen: i64,
    pub source: SystemAccount,
    pub stripe: u32,
    pub transfer: Drawn,
    pub maker: Maker,
    pub approval_id: String,
    /// The operation, as an approval request names it.
    pub operation: &'static str,
}

/// The other side of a debit.
pub(crate) enum Payee {
    /// A system account's ledger id (a merchant, a bank's cash stripe).
    System(String),
    Holder(AccountId),
}

/// What a transfer is, drawn before the command is sent: its id, code, memo and actor.
pub(crate) struct Drawn {
    pub id: shebao_domain::ids::TransferId,
    pub code: shebao_domain::money::ledger::TransferCode,
    pub memo: String,
    pub actor: String,
}

impl Drawn {
    fn record(&self, debit: &str, credit: &str, amount_fen: i64, now: Timestamp) -> TransferRecord {
        crate::money::transfer_record(
            self.id.as_str(),
            self.code,
            debit.to_owned(),
            credit.to_owned(),
            amount_fen,
            self.memo.clone(),
            &self.actor,
            now,
        )
    }
}

/// A group's effects, in the order they were decided.
#[derive(Default)]
struct Group {
    new_ledger_accounts: Vec<(String, bool, Timestamp)>,
    transfers: Vec<TransferRecord>,
    entries: Vec<NewEntry>,
    /// Ledger accounts moved, in first-moved order.
    ledger_moved: Vec<String>,
    accounts_changed: Vec<AccountId>,
    audit: Vec<AuditRecord>,
    chains_moved: Vec<u32>,
    answers: Vec<IdempotentAnswer>,
    /// Approval requests to save.
    approvals: Vec<shebao_store::ApprovalRecord>,
    /// Credits by hand to count, summed by user, day and stripe.
    manual: HashMap<(shebao_domain::ids::UserId, shebao_domain::time::Date, u32), i64>,
    /// The answers of this group by key, for a key sent twice in one group.
    answered: HashMap<String, usize>,
    /// The answers stored before this group under its commands' keys, when loaded in bulk
    /// (PostgreSQL): a key not in it has none.
    stored: Option<HashMap<String, (String, String)>>,
}

/// What one command will change if it stands.
#[derive(Default)]
struct Unit {
    /// The account with its PIN count as the command left it: saved even on a refusal.
    account: Option<Account>,
    /// The transfer, with its two ledger accounts as they are after it.
    posting: Option<Posting>,
    /// A credit by hand counted towards its maker's day: user, day, stripe, amount.
    manual: Option<(
        shebao_domain::ids::UserId,
        shebao_domain::time::Date,
        u32,
        i64,
    )>,
    /// A credit that waits for a second person instead (maker-checker).
    approval: Option<shebao_store::ApprovalRecord>,
}

struct Posting {
    transfer: TransferRecord,
    debit: Ledger,
    credit: Ledger,
    /// Whether each side's ledger account is new (created with this posting).
    debit_new: bool,
    credit_new: bool,
}

/// Applies `commands` in `tx`: the outcome of each, in order. An error is a storage failure
/// that ends the whole group (the writer may run it again).
pub(super) fn apply_group(
    state: &mut HotState,
    tx: &mut Tx<'_>,
    commands: &[Command],
) -> Result<Vec<Outcome>, AppError> {
    state.begin(tx)?;
    let mut group = Group::default();
    if tx.takes_arrays() {
        preload(state, &mut group, tx, commands)?;
    }
    let mut outcomes = Vec::with_capacity(commands.len());
    for command in commands {
        let outcome = apply_one(state, &mut group, tx, command);
        // A storage failure ends the group; it stays noted in `tx`, so the writer runs the
        // group again when the database asks for it.
        if let Some(failure) = tx.failure() {
            return Err(AppError::from(failure.clone()));
        }
        outcomes.push(outcome?);
    }
    write(state, &group, tx)?;
    // The engine's own writes leave its state as it is.
    let _own = tx.take_touched();
    Ok(outcomes)
}

/// Loads what a group's commands will read with one query per table (PostgreSQL, where each
/// query is a round trip): their keys' stored answers, their cards, the accounts those carry
/// and the payees', the ledger accounts of both sides, the audit chains' heads.
fn preload(
    state: &mut HotState,
    group: &mut Group,
    tx: &mut Tx<'_>,
    commands: &[Command],
) -> Result<(), AppError> {
    let keys: Vec<&str> = commands.iter().map(|c| c.key.as_str()).collect();
    group.stored = Some(
        tx.idempotent_responses_among(&keys)?
            .into_iter()
            .map(|(key, fingerprint, response)| (key, (fingerprint, response)))
            .collect(),
    );
    let mut card_ids: Vec<&str> = Vec::with_capacity(commands.len());
    let mut ledgers: Vec<String> = Vec::with_capacity(commands.len() * 2);
    let mut accounts: Vec<String> = Vec::new();
    for command in commands {
        match &command.kind {
            Kind::Debit(debit) => {
                card_ids.push(debit.card.as_str());
                match &debit.payee {
                    Payee::System(id) => ledgers.push(id.clone()),
                    Payee::Holder(account) => accounts.push(account.to_string()),
                }
            }
            Kind::Credit(credit) => {
                card_ids.push(credit.card.as_str());
                ledgers.push(credit.source.ledger_id(credit.stripe));
            }
        }
    }
    card_ids.sort_unstable();
    card_ids.dedup();
    let cards = tx.cards_among(&card_ids)?;
    accounts.extend(
        cards
            .iter()
            .filter_map(|card| card.account_id.as_ref().map(ToString::to_string)),
    );
    accounts.sort_unstable();
    accounts.dedup();
    let account_ids: Vec<&str> = accounts.iter().map(String::as_str).collect();
    let loaded_accounts = tx.accounts_among(&account_ids)?;
    ledgers.extend(accounts.iter().cloned());
    ledgers.sort_unstable();
    ledgers.dedup();
    let ledger_ids: Vec<&str> = ledgers.iter().map(String::as_str).collect();
    let balances = tx.ledger_balances_among(&ledger_ids)?;
    let heads = tx.audit_heads()?;
    state.preloaded(cards, loaded_accounts, balances, heads);
    Ok(())
}

/// One command's outcome (the inner result), or an error that is not the command's own.
fn apply_one(
    state: &mut HotState,
    group: &mut Group,
    tx: &mut Tx<'_>,
    command: &Command,
) -> Result<Outcome, AppError> {
    if let Some(replay) = replay(group, tx, command)? {
        return Ok(replay);
    }
    let mut unit = Unit::default();
    let decided = match &command.kind {
        Kind::Debit(debit) => decide_debit(state, &mut unit, tx, command, debit)
            .map(|(view, detail)| (Reply::Transfer(view), detail, None)),
        Kind::Credit(credit) => decide_credit(state, &mut unit, tx, command, credit),
    };
    let label = command.actor.label();
    match decided {
        Ok((reply, detail, routed)) => {
            let stored = match &reply {
                Reply::Transfer(view) => stored_json(&StoredAnswer::Ok(view))?,
                Reply::Outcome(outcome) => stored_json(&StoredAnswer::Ok(outcome))?,
            };
            settle(state, group, unit);
            let action = routed.unwrap_or(command.audit.action);
            let mut event = command
                .audit
                .event(&label, action, "ok".into(), command.now);
            event.detail = detail;
            audit(state, group, tx, &event)?;
            answer(group, command, stored);
            Ok(Ok(reply))
        }
        Err(AppError::Hidden(what)) => {
            // As through `App::change`: nothing stored under the key, the denial recorded.
            let event = command.audit.event(
                &label,
                command.audit.action,
                "refused:forbidden".into(),
                command.now,
            );
            audit(state, group, tx, &event)?;
            Ok(Err(AppError::Hidden(what)))
        }
        Err(error) if error.is_committed_refusal() => {
            // A refusal keeps what it must (a PIN count), its record and its answer.
            let kept = Unit {
                account: unit.account,
                ..Unit::default()
            };
            settle(state, group, kept);
            let (stored, outcome, detail) = StoredAnswer::<()>::refused(error)?;
            let mut event = command
                .audit
                .event(&label, command.audit.action, outcome, command.now);
            event.detail = detail;
            audit(state, group, tx, &event)?;
            answer(group, command, stored_json(&stored)?);
            // Answered as the stored refusal, exactly as a replay of it will be (and as
            // `App::change` answers).
            Ok(Err(match stored.into_result() {
                Err(replayed) => replayed,
                Ok(()) => AppError::Internal("a refusal stored as a success".into()),
            }))
        }
        Err(error) => Ok(Err(error)),
    }
}

fn stored_json<T: Serialize>(answer: &StoredAnswer<T>) -> Result<String, AppError> {
    serde_json::to_string(answer).map_err(AppError::failed("encoding JSON"))
}

/// The answer already given under the command's key, if any (in this group or before).
fn replay(group: &Group, tx: &mut Tx<'_>, command: &Command) -> Result<Option<Outcome>, AppError> {
    let found = match (group.answered.get(&command.key), &group.stored) {
        (Some(&at), _) => group
            .answers
            .get(at)
            .map(|a| (a.fingerprint.clone(), a.response.clone())),
        (None, Some(stored)) => stored.get(&command.key).cloned(),
        (None, None) => tx.idempotent_response(&command.key)?,
    };
    let Some((stored_fingerprint, stored)) = found else {
        return Ok(None);
    };
    let decoded = match &command.kind {
        Kind::Debit(_) => decoded::<TransferView>(&stored_fingerprint, stored, command)
            .map(|r| r.map(Reply::Transfer)),
        Kind::Credit(_) => decoded::<MoneyOutcome>(&stored_fingerprint, stored, command)
            .map(|r| r.map(Reply::Outcome)),
    };
    Ok(Some(decoded.and_then(|inner| inner)))
}

fn decoded<T: DeserializeOwned>(
    stored_fingerprint: &str,
    stored: String,
    command: &Command,
) -> Result<Result<T, AppError>, AppError> {
    let answer = decode_stored::<T>(
        stored_fingerprint,
        stored,
        &command.fingerprint,
        &command.actor,
        command.now,
    )?;
    Ok(answer.into_result())
}

/// The card and the account it carries, with the actor's scope checked through the card
/// (as [`crate::money::card_account`]).
fn card_account(
    state: &mut HotState,
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &CardId,
) -> Result<(Arc<Card>, Arc<Account>), AppError> {
    let card = state.card(tx, id)?.or_not_found("card", id)?;
    if !card_in_scope(actor, &card) {
        return Err(AppError::Hidden(format!("card {id}")));
    }
    let account_id = card.account_id.clone().ok_or(Refusal::CardNotCollected)?;
    let account = state
        .account(tx, &account_id)?
        .or_not_found("account", &account_id)?;
    Ok((card, account))
}

fn decide_debit(
    state: &mut HotState,
    unit: &mut Unit,
    tx: &mut Tx<'_>,
    command: &Command,
    debit: &Debit,
) -> Result<(TransferView, String), AppError> {
    let now = command.now;
    let (card, account) = card_account(state, tx, &command.actor, &debit.card)?;
    let payee = match &debit.payee {
        Payee::System(ledger_id) => ledger_id.clone(),
        Payee::Holder(target) => {
            let receiver = state.account(tx, target)?.or_not_found("account", target)?;
            if receiver.id == account.id {
                return Err(AppError::invalid("to_account", "another account"));
            }
            receiver.accept_credit(&state.params(tx, &card.region, now)?)?;
            receiver.id.to_string()
        }
    };
    let params = state.params(tx, &card.region, now)?;
    let amount = Amount::new(debit.amount_fen, params.single_operation_max_fen)?;
    let matched = pin_matches(
        &debit.vault,
        account.pin.as_ref(),
        &financial_scope(&account.id),
        &debit.pin,
    );
    let available = state
        .ledger(tx, account.id.as_str())?
        .map_or(0, |l| l.balance_fen);
    let (next, outcome) = account.authorise_debit(&card, matched, amount, available, &params, now);
    if next != *account {
        unit.account = Some(next);
    }
    outcome?;
    let transfer = debit
        .transfer
        .record(account.id.as_str(), &payee, amount.fen(), now);
    let posting = post(state, tx, transfer, false)?;
    let after = posting.debit.balance_fen;
    let view = TransferView::new(&posting.transfer, account.id.as_str(), after);
    unit.posting = Some(posting);
    let detail = detail(&view);
    Ok((view, detail))
}

type Decided = (Reply, String, Option<&'static str>);

fn decide_credit(
    state: &mut HotState,
    unit: &mut Unit,
    tx: &mut Tx<'_>,
    command: &Command,
    credit: &Credit,
) -> Result<Decided, AppError> {
    let now = command.now;
    let (card, account) = card_account(state, tx, &command.actor, &credit.card)?;
    let params = state.params(tx, &card.region, now)?;
    let amount = Amount::new(credit.amount_fen, params.single_operation_max_fen)?;
    account.accept_credit(&params)?;
    let source = credit.source.ledger_id(credit.stripe);
    let transfer = credit
        .transfer
        .record(&source, account.id.as_str(), amount.fen(), now);
    let maker = &credit.maker;
    let by_hand = maker.by_hand_user();
    let day = crate::money::approvals::day(now, &params);
    if let Some(user) = by_hand {
        let today = state.manual_total(tx, user, day)?;
        if let Some(reason) = manual_credit_review(amount.fen(), today, &params) {
            let asked = Asked {
                id: credit.approval_id.clone(),
                operation: credit.operation,
                reason,
                region: card.region.clone(),
                card: Some(card.id.clone()),
            };
            let request = maker.request(asked, &transfer, &params, now)?;
            let detail = crate::money::approvals::detail(&request);
            let view = MoneyOutcome::AwaitingApproval(Box::new(ApprovalView::new(
                &request, &transfer, now,
            )));
            unit.approval = Some(request);
            return Ok((Reply::Outcome(view), detail, Some("approval.request")));
        }
    }
    // The system account paying is created if it is used for the first time (as
    // `credit_card` did with `ensure_ledger_account` before `post`).
    let posting = post(state, tx, transfer, true)?;
    if let Some(user) = by_hand {
        unit.manual = Some((user.clone(), day, credit.stripe, amount.fen()));
    }
    let after = posting.credit.balance_fen;
    let view = TransferView::new(&posting.transfer, account.id.as_str(), after);
    unit.posting = Some(posting);
    let detail = detail(&view);
    Ok((Reply::Outcome(MoneyOutcome::Posted(view)), detail, None))
}

/// The audit detail of a posted movement (as `money::answer`).
fn detail(view: &TransferView) -> String {
    serde_json::json!({ "transfer": view.id, "amount_fen": view.amount_fen }).to_string()
}

/// A system ledger account used for the first time: it may go below zero.
fn new_ledger() -> Ledger {
    Ledger {
        balance_fen: 0,
        allow_negative: true,
        entries: 0,
        entries_stored: 0,
        stored: false,
    }
}

/// The posting of `transfer` after checking the debit side may pay it (as [`crate::money::post`]):
/// decided, not yet applied to the state. A debit side not in the ledger yet is created when
/// `create_debit` (a system account paying for the first time), else not found.
fn post(
    state: &mut HotState,
    tx: &mut Tx<'_>,
    transfer: TransferRecord,
    create_debit: bool,
) -> Result<Posting, AppError> {
    let debit = match state.ledger(tx, &transfer.debit_account)? {
        Some(debit) => debit,
        None if create_debit => new_ledger(),
        None => {
            return Err(AppError::NotFound(format!(
                "ledger account {}",
                transfer.debit_account
            )));
        }
    };
    let amount = Amount::new(transfer.amount_fen, i64::MAX)?;
    check_debit(debit.balance_fen, debit.allow_negative, amount)?;
    if transfer.debit_account == transfer.credit_account {
        return Err(AppError::Internal(
            "a transfer moves money between two accounts".into(),
        ));
    }
    let credit = state
        .ledger(tx, &transfer.credit_account)?
        .unwrap_or_else(new_ledger);
    let moved = |ledger: Ledger, delta: i64| -> Result<Ledger, AppError> {
        let balance_fen = ledger
            .balance_fen
            .checked_add(delta)
            .ok_or_else(|| AppError::Internal("balance out of range".into()))?;
        Ok(Ledger {
            balance_fen,
            entries: ledger.entries + 1,
            ..ledger
        })
    };
    Ok(Posting {
        debit: moved(debit, -transfer.amount_fen)?,
        credit: moved(credit, transfer.amount_fen)?,
        // Not in the database yet (new here, or new earlier in this group: written once).
        debit_new: !debit.stored,
        credit_new: !credit.stored,
        transfer,
    })
}

/// Applies a command's decided changes to the state and the group.
fn settle(state: &mut HotState, group: &mut Group, unit: Unit) {
    if let Some(request) = unit.approval {
        group.approvals.push(request);
    }
    if let Some((user, day, stripe, amount_fen)) = unit.manual {
        state.add_manual(&user, day, amount_fen);
        *group.manual.entry((user, day, stripe)).or_default() += amount_fen;
    }
    if let Some(account) = unit.account {
        if !group.accounts_changed.contains(&account.id) {
            group.accounts_changed.push(account.id.clone());
        }
        state.set_account(account);
    }
    let Some(posting) = unit.posting else {
        return;
    };
    let transfer = posting.transfer;
    for (id, ledger, new, delta) in [
        (
            &transfer.debit_account,
            posting.debit,
            posting.debit_new,
            -transfer.amount_fen,
        ),
        (
            &transfer.credit_account,
            posting.credit,
            posting.credit_new,
            transfer.amount_fen,
        ),
    ] {
        if new && !group.new_ledger_accounts.iter().any(|(n, _, _)| n == id) {
            group.new_ledger_accounts.push((
                id.clone(),
                ledger.allow_negative,
                transfer.created_at,
            ));
        }
        if state
            .ledger_of(id)
            .is_none_or(|l| l.entries == l.entries_stored)
        {
            group.ledger_moved.push(id.clone());
        }
        group.entries.push(NewEntry {
            account: id.clone(),
            seq: ledger.entries,
            transfer_id: transfer.id.clone(),
            amount_fen: delta,
            balance_after_fen: ledger.balance_fen,
        });
        state.set_ledger(id, ledger);
    }
    group.transfers.push(transfer);
}

/// Chains an audit record onto its subject's chain.
fn audit(
    state: &mut HotState,
    group: &mut Group,
    tx: &mut Tx<'_>,
    event: &shebao_store::AuditEvent,
) -> Result<(), AppError> {
    let chain = chain_of(&event.subject);
    let head = state.head(tx, chain)?;
    let record = event.chained(chain, head.seq, head.hash.clone());
    if head.seq == head.seq_stored {
        group.chains_moved.push(chain);
    }
    state.set_head(
        chain,
        super::state::Head {
            seq: record.seq,
            hash: record.hash.clone(),
            seq_stored: head.seq_stored,
        },
    );
    group.audit.push(record);
    Ok(())
}

fn answer(group: &mut Group, command: &Command, response: String) {
    group
        .answered
        .insert(command.key.clone(), group.answers.len());
    group.answers.push(IdempotentAnswer {
        key: command.key.clone(),
        fingerprint: command.fingerprint.clone(),
        response,
        at_unix: command.now.unix_seconds(),
    });
}

/// Writes the group's effects and marks them stored in the state.
fn write(state: &mut HotState, group: &Group, tx: &mut Tx<'_>) -> Result<(), AppError> {
    for ((user, day, stripe), amount_fen) in &group.manual {
        tx.add_manual_credit(user, *day, *stripe, *amount_fen)?;
    }
    for request in &group.approvals {
        tx.insert_approval(request)?;
    }
    for id in &group.accounts_changed {
        let account = state
            .account(tx, id)?
            .ok_or_else(|| AppError::Internal(format!("account {id} left the engine's state")))?;
        tx.save_account_guarded(&account)?;
        state.account_written(id);
    }
    let ledger: Vec<LedgerMove> = group
        .ledger_moved
        .iter()
        .filter_map(|id| {
            state.ledger_of(id).map(|l| LedgerMove {
                id: id.clone(),
                balance_fen: l.balance_fen,
                entries: l.entries,
                entries_before: l.entries_stored,
            })
        })
        .collect();
    let heads: Vec<HeadMove> = group
        .chains_moved
        .iter()
        .filter_map(|chain| {
            state.head_of(*chain).map(|h| HeadMove {
                chain: *chain,
                seq: h.seq,
                hash: h.hash.clone(),
                seq_before: h.seq_stored,
            })
        })
        .collect();
    tx.write_money_group(&MoneyGroup {
        new_ledger_accounts: &group.new_ledger_accounts,
        transfers: &group.transfers,
        entries: &group.entries,
        ledger: &ledger,
        audit: &group.audit,
        heads: &heads,
        answers: &group.answers,
    })?;
    for id in &group.ledger_moved {
        state.ledger_written(id);
    }
    for chain in &group.chains_moved {
        state.head_written(*chain);
    }
    Ok(())
}
