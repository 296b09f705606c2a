//! The financial account's money: deposits, withdrawals, purchases, benefit credits,
//! transfers and reversals, all as double-entry transfers; statements with paging. Debits
//! need the financial PIN and an active account. Movements on a card's account are commands
//! of the money engine (`engine`); the others (approved requests, reversals, and the
//! insurance and medical areas' postings) take [`post`], until they become commands too. This
//! module holds the requests and [`post`]; the use cases are in `ledger`.

pub mod approvals;
pub mod batch;
pub(crate) mod batch_pool;
pub(crate) mod engine;
mod ledger;
mod yuan;

pub use engine::{
    GROUP_COMMANDS as ENGINE_GROUP_COMMANDS, describe_metrics as describe_engine_metrics,
};
pub use yuan::{parse_yuan, yuan};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::Refusal;
use shebao_domain::card::Card;
use shebao_domain::card::pin::PIN_PATTERN;
use shebao_domain::ids::{AccountId, CardId, REGION_CODE_PATTERN, TransferId};
use shebao_domain::money::account::Account;
use shebao_domain::money::ledger::{Amount, TransferCode, check_debit, check_reversible};
use shebao_domain::text::{TEXT_PATTERN, TRIMMED_TEXT_PATTERN};
use shebao_domain::time::Timestamp;
use shebao_store::{TransferRecord, Tx};

use crate::card::load_card;
use crate::error::{OrNotFound, RefusalCode};

use crate::{Actor, AppError};

/// Most entries on one statement page.
pub const STATEMENT_PAGE_MAX: i64 = 200;

/// Which entries of a statement a page shows: before an entry (the page before's
/// `next_before`), made at or after `from` and before `until`, at most `limit` (1 to
/// [`STATEMENT_PAGE_MAX`], 50 when left out).
#[derive(Debug, Clone, Copy, Default)]
pub struct StatementWindow {
    pub before: Option<i64>,
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub limit: Option<i64>,
}

impl StatementWindow {
    /// The newest `limit` entries.
    pub fn latest(limit: i64) -> StatementWindow {
        StatementWindow {
            limit: Some(limit),
            ..StatementWindow::default()
        }
    }

    /// A page of entries read from `tx`, newest first, with the `next_before` of the page
    /// after it (none when this page is the last).
    pub(crate) fn read(
        &self,
        tx: &mut Tx<'_>,
        account: &str,
    ) -> Result<(Vec<shebao_store::EntryRecord>, Option<i64>), AppError> {
        let limit = self.limit.unwrap_or(50).clamp(1, STATEMENT_PAGE_MAX);
        let entries = tx.statement_between(
            account,
            self.before,
            self.from.map(Timestamp::unix_seconds),
            self.until.map(Timestamp::unix_seconds),
            limit,
        )?;
        let next_before = (entries.len() == usize::try_from(limit).unwrap_or(0))
            .then(|| entries.last().map(|e| e.seq))
            .flatten()
            .filter(|seq| *seq > 1);
        Ok((entries, next_before))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CashRequest {
    #[schemars(range(min = 1))]
    pub amount_fen: i64,
    /// Needed for a withdrawal, not for a deposit.
    #[schemars(regex(pattern = PIN_PATTERN), extend("writeOnly" = true))]
    pub pin: Option<String>,
    #[schemars(length(max = 140), regex(pattern = TEXT_PATTERN))]
    pub memo: Option<String>,
}

/// A merchant's name as [`App::purchase`](crate::App::purchase) accepts it (trimmed): 2 to 40
/// letters, digits, `-` or `_`.
pub const MERCHANT_PATTERN: &str = r"^\s*[A-Za-z0-9_-]{2,40}\s*$";

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseRequest {
    #[schemars(range(min = 1))]
    pub amount_fen: i64,
    #[schemars(regex(pattern = PIN_PATTERN), extend("writeOnly" = true))]
    pub pin: String,
    #[schemars(regex(pattern = MERCHANT_PATTERN))]
    pub merchant: String,
    #[schemars(length(max = 140), regex(pattern = TEXT_PATTERN))]
    pub memo: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditRequest {
    /// `pension` or `benefit`.
    #[schemars(extend("enum" = ["pension", "benefit"]))]
    pub kind: String,
    #[schemars(range(min = 1))]
    pub amount_fen: i64,
    /// The region whose fund pays.
    #[schemars(regex(pattern = REGION_CODE_PATTERN))]
    pub region: String,
    #[schemars(length(max = 140), regex(pattern = TEXT_PATTERN))]
    pub memo: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    pub to_account: String,
    #[schemars(range(min = 1))]
    pub amount_fen: i64,
    #[schemars(regex(pattern = PIN_PATTERN), extend("writeOnly" = true))]
    pub pin: String,
    #[schemars(length(max = 140), regex(pattern = TEXT_PATTERN))]
    pub memo: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReversalRequest {
    #[schemars(length(min = 4, max = 140), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub reason: String,
}

/// A memo (or a reversal's or a rejection's reason): at most 140 characters, with any ID or
/// bank card number in it masked, for it is stored with the transfer or the request and
/// shown again (review of issue 13).
pub(crate) fn memo(input: Option<&str>) -> Result<String, AppError> {
    let text = input.unwrap_or("").trim();
    if text.chars().count() > 140 || text.chars().any(char::is_control) {
        return Err(AppError::invalid("memo", "at most 140 characters"));
    }
    Ok(shebao_domain::person::identity::mask_id_numbers_in(text))
}

/// Posts one transfer after checking the debit side may pay it, inside a change of its own:
/// the path of every movement the money engine does not decide yet.
pub(crate) fn post(
    tx: &mut Tx<'_>,
    transfer: &TransferRecord,
    now: Timestamp,
) -> Result<(), AppError> {
    let debit = tx
        .ledger_balance(&transfer.debit_account)?
        .ok_or_else(|| AppError::NotFound(format!("ledger account {}", transfer.debit_account)))?;
    let amount = Amount::new(transfer.amount_fen, i64::MAX)?;
    check_debit(debit.balance_fen, debit.allow_negative, amount)?;
    tx.ensure_ledger_account(&transfer.credit_account, true, now)?;
    tx.post_transfer(transfer)?;
    Ok(())
}

/// The account a card carries, with the actor's scope checked through the card.
pub(crate) fn card_account(
    tx: &mut Tx<'_>,
    actor: &Actor,
    card: &CardId,
) -> Result<(Card, Account), AppError> {
    let card = load_card(tx, actor, card)?;
    let account_id = card.account_id.clone().ok_or(Refusal::CardNotCollected)?;
    let account = tx
        .account(&account_id)?
        .or_not_found("account", &account_id)?;
    Ok((card, account))
}

pub(crate) fn balance(tx: &mut Tx<'_>, account: &AccountId) -> Result<i64, AppError> {
    Ok(tx
        .ledger_balance(account.as_str())?
        .map_or(0, |b| b.balance_fen))
}

/// A new transfer (never a reversal: those name what they reverse). Every money movement of
/// the application builds its record here.
#[allow(
    clippy::too_many_arguments,
    reason = "a transfer record has this many fields; named at every call"
)]
pub(crate) fn transfer_record(
    id: &str,
    code: TransferCode,
    debit: String,
    credit: String,
    amount_fen: i64,
    memo: String,
    actor: &str,
    now: Timestamp,
) -> TransferRecord {
    TransferRecord {
        id: TransferId::new(id),
        code,
        debit_account: debit,
        credit_account: credit,
        amount_fen,
        reverses: None,
        memo,
        actor: actor.to_owned(),
        created_at: now,
    }
}

/// A reversal's reason: 4 to 140 characters.
pub(crate) fn reversal_reason(input: &str) -> Result<String, AppError> {
    let why = memo(Some(input))?;
    if why.chars().count() < 4 {
        return Err(AppError::invalid("reason", "4 to 140 characters"));
    }
    Ok(why)
}

/// The transfer `original_id` and its holder account, if a teller of `bank` may have it
/// reversed now: their own bank's counter business (or a reversal, which the domain then
/// refuses), not reversed yet.
pub(crate) fn reversible(
    tx: &mut Tx<'_>,
    bank: Option<&shebao_domain::ids::BankId>,
    original_id: &TransferId,
) -> Result<(TransferRecord, AccountId), AppError> {
    let original = tx
        .transfer(original_id)?
        .or_not_found("transfer", original_id)?;
    // Another bank's transfer is answered as one that does not exist (issue 13, finding 12),
    // before anything else is said about it.
    let mut holder = None;
    for side in [&original.debit_account, &original.credit_account] {
        if side.starts_with("sys:") {
            continue;
        }
        let id = AccountId::new(side.as_str());
        let account = tx.account(&id)?.or_not_found("transfer", original_id)?;
        if bank != Some(&account.bank_id) {
            return Err(AppError::Hidden(format!("transfer {original_id}")));
        }
        holder = Some(id);
    }
    // A transfer between funds only (a contribution, a settlement's fund share) has no
    // holder at any bank: answered as missing too.
    let Some(holder) = holder else {
        return Err(AppError::Hidden(format!("transfer {original_id}")));
    };
    // A teller corrects only their own bank's counter and card business; benefit, pension,
    // contribution and medical postings are corrected by their own use cases, which keep
    // their records (such as a month marked paid) in step.
    let counter_business = matches!(
        original.code,
        TransferCode::CashDeposit | TransferCode::CashWithdrawal | TransferCode::Purchase
    );
    if !counter_business && original.code != TransferCode::Reversal {
        return Err(AppError::Rule {
            code: RefusalCode::NotReversibleHere,
            message: "this kind of transfer is not corrected at a bank counter".into(),
        });
    }
    check_reversible(original.code, tx.reversal_of(&original.id)?.is_some())?;
    Ok((original, holder))
}
