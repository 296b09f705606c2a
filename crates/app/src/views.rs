//! What the application answers: plain data for HTTP and the CLI to print. Personal data in
//! a view is masked unless the use case decided the actor may see it in clear.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use shebao_domain::audit::AuditRecord;
use shebao_domain::card::{Card, Loss};
use shebao_domain::ids::REGION_CODE_PATTERN;
use shebao_domain::money::account::Account;
use shebao_domain::money::ledger::TransferCode;
use shebao_domain::person::identity::remask_legacy;
use shebao_domain::reference::region::{PARAMETER_MONEY_MAX_FEN, RegionParameters};
use shebao_domain::time::{Timestamp, UtcOffset};
use shebao_store::{BankRecord, BranchRecord, EntryRecord, RegionRecord, TransferRecord};

/// Region parameters as stored (JSON) and shown, each within the range the national rules
/// allow (as `RegionParameters::validate` checks them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Parameters")]
pub struct ParametersBody {
    #[schemars(range(min = 1, max = 10))]
    pub social_pin_retries_max: u32,
    #[schemars(range(min = 1, max = 10))]
    pub financial_pin_retries_max: u32,
    #[schemars(range(min = 1, max = 90))]
    pub temporary_loss_days: u32,
    #[schemars(range(min = 1, max = 183))]
    pub temporary_card_validity_days: u32,
    #[schemars(range(min = 1, max = 20))]
    pub card_validity_years: u32,
    pub deposit_only_accepts_credits: bool,
    /// In fen.
    #[schemars(range(min = 1, max = PARAMETER_MONEY_MAX_FEN))]
    pub single_operation_max_fen: i64,
    #[schemars(range(min = UtcOffset::MIN_MINUTES, max = UtcOffset::MAX_MINUTES))]
    pub utc_offset_minutes: i32,
    /// In fen.
    #[schemars(range(min = 0, max = PARAMETER_MONEY_MAX_FEN))]
    pub manual_credit_approval_above_fen: i64,
    /// In fen.
    #[schemars(range(min = 0, max = PARAMETER_MONEY_MAX_FEN))]
    pub manual_credit_daily_max_fen: i64,
    #[schemars(range(min = 1, max = 720))]
    pub approval_request_valid_hours: u32,
    /// Days a card waits at its pick-up point before it is uncollected and recalled; none
    /// (absent) while the region has set no period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 30, max = 730))]
    pub uncollected_card_days: Option<u32>,
    /// Minutes an electronic card's code works once shown; none (absent) while the region
    /// offers no electronic-card codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10))]
    pub ecard_code_minutes: Option<u32>,
}

impl ParametersBody {
    pub fn parse(text: &str) -> Result<RegionParameters, String> {
        let body: ParametersBody = serde_json::from_str(text).map_err(|e| e.to_string())?;
        Ok(body.into_domain())
    }

    pub fn into_domain(self) -> RegionParameters {
        RegionParameters {
            social_pin_retries_max: self.social_pin_retries_max,
            financial_pin_retries_max: self.financial_pin_retries_max,
            temporary_loss_days: self.temporary_loss_days,
            temporary_card_validity_days: self.temporary_card_validity_days,
            card_validity_years: self.card_validity_years,
            deposit_only_accepts_credits: self.deposit_only_accepts_credits,
            single_operation_max_fen: self.single_operation_max_fen,
            utc_offset_minutes: self.utc_offset_minutes,
            manual_credit_approval_above_fen: self.manual_credit_approval_above_fen,
            manual_credit_daily_max_fen: self.manual_credit_daily_max_fen,
            approval_request_valid_hours: self.approval_request_valid_hours,
            uncollected_card_days: self.uncollected_card_days,
            ecard_code_minutes: self.ecard_code_minutes,
        }
    }

    pub fn from_domain(params: &RegionParameters) -> ParametersBody {
        ParametersBody {
            social_pin_retries_max: params.social_pin_retries_max,
            financial_pin_retries_max: params.financial_pin_retries_max,
            temporary_loss_days: params.temporary_loss_days,
            temporary_card_validity_days: params.temporary_card_validity_days,
            card_validity_years: params.card_validity_years,
            deposit_only_accepts_credits: params.deposit_only_accepts_credits,
            single_operation_max_fen: params.single_operation_max_fen,
            utc_offset_minutes: params.utc_offset_minutes,
            manual_credit_approval_above_fen: params.manual_credit_approval_above_fen,
            manual_credit_daily_max_fen: params.manual_credit_daily_max_fen,
            approval_request_valid_hours: params.approval_request_valid_hours,
            uncollected_card_days: params.uncollected_card_days,
            ecard_code_minutes: params.ecard_code_minutes,
        }
    }
}

/// One version of a region's parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ParametersVersion")]
pub struct ParametersVersionView {
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub region: String,
    #[schemars(extend("format" = "date"))]
    pub effective_from: String,
    pub parameters: ParametersBody,
}

/// An issuing region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Region")]
pub struct RegionView {
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub code: String,
    pub name: String,
}

impl From<&RegionRecord> for RegionView {
    fn from(region: &RegionRecord) -> Self {
        RegionView {
            code: region.code.to_string(),
            name: region.name.clone(),
        }
    }
}

/// A cooperating bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Bank")]
pub struct BankView {
    pub id: String,
    pub name: String,
    pub bin: String,
    /// Whether the bank's own card system assigns its cards' bank card numbers.
    pub numbers_from_bank: bool,
}

impl From<&BankRecord> for BankView {
    fn from(bank: &BankRecord) -> Self {
        BankView {
            id: bank.id.to_string(),
            name: bank.name.clone(),
            bin: bank.bin.clone(),
            numbers_from_bank: bank.numbers_from_bank,
        }
    }
}

/// A branch of a bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Branch")]
pub struct BranchView {
    pub id: String,
    pub bank_id: String,
    pub name: String,
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub region: String,
}

impl From<&BranchRecord> for BranchView {
    fn from(branch: &BranchRecord) -> Self {
        BranchView {
            id: branch.id.to_string(),
            bank_id: branch.bank_id.to_string(),
            name: branch.name.clone(),
            region: branch.region.to_string(),
        }
    }
}

/// A login as its answers show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "User")]
pub struct UserView {
    pub id: String,
    pub username: String,
    #[schemars(extend("enum" = shebao_domain::access::Role::ALL.map(|role| role.as_str())))]
    pub role: String,
    pub bank_id: Option<String>,
    pub branch_id: Option<String>,
    pub person_id: Option<String>,
    pub employer_id: Option<String>,
    pub institution_id: Option<String>,
    /// A training provider's staff: the provider.
    #[serde(default)]
    pub provider_id: Option<String>,
    /// A card vendor's staff: the vendor.
    #[serde(default)]
    pub vendor_id: Option<String>,
}

impl UserView {
    /// What the login is bound to, as the application checks it.
    pub fn scope(&self) -> shebao_domain::access::Scope {
        use shebao_domain::ids::{BankId, BranchId, EmployerId, PersonId};
        shebao_domain::access::Scope {
            bank_id: self.bank_id.as_deref().map(BankId::new),
            branch_id: self.branch_id.as_deref().map(BranchId::new),
            person_id: self.person_id.as_deref().map(PersonId::new),
            employer_id: self.employer_id.as_deref().map(EmployerId::new),
            institution_id: self.institution_id.clone(),
            provider_id: self.provider_id.clone(),
            vendor_id: self.vendor_id.clone(),
        }
    }
}

/// A person. `citizen_id`, `name` and `phone` are masked unless `unmasked` is true.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Person")]
pub struct PersonView {
    pub id: String,
    /// Masked to the province (`44****************`) unless `unmasked`.
    pub citizen_id: String,
    pub name: String,
    pub phone: Option<String>,
    #[schemars(extend("enum" = ["male", "female"]))]
    pub gender: String,
    /// YYYY-MM-DD to the person themself and when `unmasked`; else the decade only, e.g.
    /// `198*-**-**` (the century, `20**-**-**`, while fewer than 2,000 dates of the current
    /// decade have passed).
    #[schemars(regex(
        pattern = r"^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{3}\*-\*\*-\*\*|[0-9]{2}\*\*-\*\*-\*\*)$"
    ))]
    pub birth_date: String,
    pub nationality: String,
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub household_region: String,
    #[schemars(extend("enum" = ["urban", "rural"]))]
    pub household_kind: String,
    #[schemars(extend("format" = "date-time"))]
    pub registered_at: String,
    pub version: i64,
    pub unmasked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Loss")]
pub struct LossView {
    #[schemars(extend("enum" = ["none", "temporary", "formal"]))]
    pub kind: String,
    #[schemars(extend("format" = "date-time"))]
    pub expires_at: Option<String>,
}

fn loss_view(loss: Loss, now: Timestamp) -> LossView {
    match loss.at(now) {
        Loss::Temporary { expires_at } => LossView {
            kind: "temporary".into(),
            expires_at: Some(expires_at.to_string()),
        },
        other => LossView {
            kind: other.kind_str().into(),
            expires_at: None,
        },
    }
}

/// One card, with the state of each side as it stands now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Card")]
pub struct CardView {
    pub id: String,
    pub person_id: String,
    #[schemars(extend("enum" = ["standard", "temporary"]))]
    pub kind: String,
    #[schemars(extend("enum" = ["applied", "in_production", "ready_for_collection", "collected", "replaced", "cancelled", "returned"]))]
    pub status: String,
    /// `usable`, or the code of the reason the card does not work now.
    pub usable: String,
    #[schemars(regex(pattern = REGION_CODE_PATTERN))]
    pub region: String,
    pub bank_id: Option<String>,
    pub account_id: Option<String>,
    pub card_number: String,
    pub identification_code: String,
    /// Masked (first 6, last 4) unless the actor may see it.
    pub bank_card_number: Option<String>,
    pub social_pin_set: bool,
    pub social_pin_locked: bool,
    pub social_loss: LossView,
    pub financial_loss: LossView,
    pub distribution_point: Option<String>,
    #[schemars(extend("format" = "date-time"))]
    pub applied_at: String,
    #[schemars(extend("format" = "date-time"))]
    pub collected_at: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub expires_on: Option<String>,
    pub replaces: Option<String>,
    pub replaced_by: Option<String>,
    pub version: i64,
}

impl CardView {
    /// `utc_offset` is the card's region's, whose days its expiry counts in.
    pub fn new(
        card: &Card,
        bank_card_number: Option<String>,
        now: Timestamp,
        utc_offset: UtcOffset,
    ) -> CardView {
        CardView {
            id: card.id.to_string(),
            person_id: card.person_id.to_string(),
            kind: card.kind.as_str().into(),
            status: card.status.as_str().into(),
            usable: card
                .ensure_usable(now, utc_offset)
                .map_or_else(|r| r.code().to_owned(), |()| "usable".to_owned()),
            region: card.region.to_string(),
            bank_id: card.bank_id.as_ref().map(ToString::to_string),
            account_id: card.account_id.as_ref().map(ToString::to_string),
            card_number: card.card_number.as_str().into(),
            identification_code: card.identification_code.as_str().into(),
            bank_card_number,
            social_pin_set: card.social_pin.is_some(),
            social_pin_locked: card.social_pin_counter.locked,
            social_loss: loss_view(card.social_loss, now),
            financial_loss: loss_view(card.financial_loss, now),
            distribution_point: card.distribution_point.clone(),
            applied_at: card.applied_at.to_string(),
            collected_at: card.collected_at.map(|t| t.to_string()),
            expires_on: card.expires_on.map(|d| d.to_string()),
            replaces: card.replaces.as_ref().map(ToString::to_string),
            replaced_by: card.replaced_by.as_ref().map(ToString::to_string),
            version: card.version,
        }
    }
}

/// The financial account: its state and balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Account")]
pub struct AccountView {
    pub id: String,
    pub person_id: String,
    pub bank_id: String,
    #[schemars(extend("enum" = ["deposit_only", "active", "closed"]))]
    pub status: String,
    pub pin_set: bool,
    pub pin_locked: bool,
    pub balance_fen: i64,
    #[schemars(extend("format" = "date-time"))]
    pub opened_at: String,
    #[schemars(extend("format" = "date-time"))]
    pub activated_at: Option<String>,
    pub activated_branch: Option<String>,
}

impl AccountView {
    pub fn new(account: &Account, balance_fen: i64) -> AccountView {
        AccountView {
            id: account.id.to_string(),
            person_id: account.person_id.to_string(),
            bank_id: account.bank_id.to_string(),
            status: account.status.as_str().into(),
            pin_set: account.pin.is_some(),
            pin_locked: account.pin_counter.locked,
            balance_fen,
            opened_at: account.opened_at.to_string(),
            activated_at: account.activated_at.map(|t| t.to_string()),
            activated_branch: account.activated_branch.as_ref().map(ToString::to_string),
        }
    }
}

/// The schema of a transfer's code (`TransferCode`): the domain's codes, as the views write
/// them.
pub struct TransferCodeSchema;

impl JsonSchema for TransferCodeSchema {
    fn schema_name() -> Cow<'static, str> {
        "TransferCode".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = TransferCode::ALL.iter().map(|code| code.as_str()).collect();
        json_schema!({ "type": "string", "enum": codes })
    }
}

/// A posted transfer, with the holder account's balance after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Transfer")]
pub struct TransferView {
    pub id: String,
    #[schemars(with = "TransferCodeSchema")]
    pub code: String,
    pub debit_account: String,
    pub credit_account: String,
    pub amount_fen: i64,
    pub reverses: Option<String>,
    pub memo: String,
    #[schemars(extend("format" = "date-time"))]
    pub created_at: String,
    /// The holder account this answer is about, and its balance after the transfer.
    pub account_id: String,
    pub balance_after_fen: i64,
}

impl TransferView {
    pub fn new(
        transfer: &TransferRecord,
        account_id: &str,
        balance_after_fen: i64,
    ) -> TransferView {
        TransferView {
            id: transfer.id.to_string(),
            code: transfer.code.as_str().into(),
            debit_account: transfer.debit_account.clone(),
            credit_account: transfer.credit_account.clone(),
            amount_fen: transfer.amount_fen,
            reverses: transfer.reverses.as_ref().map(ToString::to_string),
            memo: transfer.memo.clone(),
            created_at: transfer.created_at.to_string(),
            account_id: account_id.to_owned(),
            balance_after_fen,
        }
    }
}

/// A change waiting for (or decided by) a second person (issue 13, maker-checker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ApprovalRequest")]
pub struct ApprovalView {
    pub id: String,
    /// `credit_benefit`, `deposit` or `reverse_transfer`.
    #[schemars(extend("enum" = ["credit_benefit", "deposit", "reverse_transfer"]))]
    pub operation: String,
    /// `above_single_limit`, `above_daily_limit` or `reversal`.
    #[schemars(extend("enum" = ["above_single_limit", "above_daily_limit", "reversal"]))]
    pub reason: String,
    /// `pending`, `approved`, `rejected`, or `expired` for a request nobody decided in time.
    #[schemars(extend("enum" = ["pending", "approved", "rejected", "expired"]))]
    pub status: String,
    pub maker: String,
    pub card_id: Option<String>,
    /// The transfer a reversal corrects.
    pub transfer_id: Option<String>,
    pub amount_fen: i64,
    /// The transfer approval posts, as prepared (review of issue 13: the checker sees exactly
    /// what they approve): its code, the ledger accounts it debits and credits, and its memo
    /// (for a reversal, the maker's reason).
    #[schemars(with = "TransferCodeSchema")]
    pub code: String,
    pub debit_account: String,
    pub credit_account: String,
    pub memo: String,
    #[schemars(extend("format" = "date-time"))]
    pub created_at: String,
    #[schemars(extend("format" = "date-time"))]
    pub expires_at: String,
    pub decided_by: Option<String>,
    #[schemars(extend("format" = "date-time"))]
    pub decided_at: Option<String>,
    pub note: Option<String>,
    /// The transfer the approval posted.
    pub result_transfer_id: Option<String>,
}

impl ApprovalView {
    /// The view of `request`, whose prepared transfer is `prepared`.
    pub fn new(
        request: &shebao_store::ApprovalRecord,
        prepared: &TransferRecord,
        now: Timestamp,
    ) -> ApprovalView {
        use shebao_domain::money::approval::ApprovalStatus;
        let status = match request.status {
            ApprovalStatus::Pending if now >= request.expires_at => "expired",
            other => other.as_str(),
        };
        ApprovalView {
            id: request.id.clone(),
            operation: request.operation.clone(),
            reason: request.reason.as_str().into(),
            status: status.into(),
            maker: request.maker.clone(),
            card_id: request.card_id.as_ref().map(ToString::to_string),
            transfer_id: request.transfer_id.as_ref().map(ToString::to_string),
            amount_fen: request.amount_fen,
            code: prepared.code.as_str().into(),
            debit_account: prepared.debit_account.clone(),
            credit_account: prepared.credit_account.clone(),
            memo: prepared.memo.clone(),
            created_at: request.created_at.to_string(),
            expires_at: request.expires_at.to_string(),
            decided_by: request.decision.decided_by.clone(),
            decided_at: request.decision.decided_at.map(|at| at.to_string()),
            note: request.decision.note.clone(),
            result_transfer_id: (request.decision.result_transfer_id.as_ref())
                .map(ToString::to_string),
        }
    }
}

/// What a credit came to: posted, or waiting for a second person (answered 202).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoneyOutcome {
    Posted(TransferView),
    /// Boxed: a request (with its prepared transfer) is twice the size of a transfer.
    AwaitingApproval(Box<ApprovalView>),
}

impl MoneyOutcome {
    /// The transfer, if the money moved.
    pub fn posted(self) -> Option<TransferView> {
        match self {
            MoneyOutcome::Posted(transfer) => Some(transfer),
            MoneyOutcome::AwaitingApproval(_) => None,
        }
    }

    /// The request, if the money waits for a second person.
    pub fn awaiting(self) -> Option<ApprovalView> {
        match self {
            MoneyOutcome::Posted(_) => None,
            MoneyOutcome::AwaitingApproval(request) => Some(*request),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "StatementEntry")]
pub struct EntryView {
    pub seq: i64,
    pub transfer_id: String,
    #[schemars(with = "TransferCodeSchema")]
    pub code: String,
    pub amount_fen: i64,
    pub balance_after_fen: i64,
    pub counterparty: String,
    pub memo: String,
    #[schemars(extend("format" = "date-time"))]
    pub created_at: String,
}

impl From<&EntryRecord> for EntryView {
    fn from(entry: &EntryRecord) -> Self {
        EntryView {
            seq: entry.seq,
            transfer_id: entry.transfer_id.to_string(),
            code: entry.code.as_str().into(),
            amount_fen: entry.amount_fen,
            balance_after_fen: entry.balance_after_fen,
            counterparty: entry.counterparty.clone(),
            memo: entry.memo.clone(),
            created_at: entry.created_at.to_string(),
        }
    }
}

/// One page of a statement, newest first; `next_before` fetches the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Statement")]
pub struct StatementView {
    pub account_id: String,
    pub balance_fen: i64,
    pub entries: Vec<EntryView>,
    pub next_before: Option<i64>,
}

/// A milestone of a card's life: when, and the audit action that records it (one of
/// [`crate::card::CARD_HISTORY_ACTIONS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "CardEvent")]
pub struct CardEventView {
    #[schemars(extend("format" = "date-time"))]
    pub at: String,
    pub action: String,
}

/// One audit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "AuditRecord")]
pub struct AuditRecordView {
    pub chain: u32,
    pub seq: i64,
    #[schemars(extend("format" = "date-time"))]
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub outcome: String,
    pub detail: String,
    pub hash: String,
}

impl From<&AuditRecord> for AuditRecordView {
    /// Records written before issue 13 (finding 3) carry ID numbers masked to their first 4
    /// and last 4 characters. The trail is append-only and hash-chained, so they stay as
    /// written (and verify as written); the listing shows them in today's mask.
    fn from(record: &AuditRecord) -> Self {
        let shown = |text: &String| remask_legacy(text).unwrap_or_else(|| text.clone());
        AuditRecordView {
            chain: record.chain,
            seq: record.seq,
            at: Timestamp::from_unix_seconds(record.at_unix).to_string(),
            actor: shown(&record.actor),
            action: record.action.clone(),
            subject: shown(&record.subject),
            outcome: record.outcome.clone(),
            detail: shown(&record.detail),
            hash: record.hash.clone(),
        }
    }
}

/// The outcome of `audit verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuditVerification {
    pub intact: bool,
    pub records: i64,
    pub breaks: Vec<String>,
}

/// The outcome of `audit purge`: records written before `cutoff_at` are gone, each chain
/// verifies from its anchor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPurge {
    pub before: String,
    pub cutoff_at: String,
    pub purged: i64,
}

/// A PIN check's answer: only whether it matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "PinCheck")]
pub struct PinCheckView {
    pub card_id: String,
    pub verified: bool,
}
