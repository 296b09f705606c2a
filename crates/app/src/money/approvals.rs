//! Maker-checker (issue 13, finding 9): a credit a person enters by hand above the region's
//! limit (`manual_credit_approval_above_fen`) or past their daily limit
//! (`manual_credit_daily_max_fen`), and every reversal, moves no money. It is stored as an
//! approval request, prepared down to its transfer id, which another person of the maker's
//! own role and organisation approves (the prepared transfer is posted then, through
//! `money::post`, once: the transfer id and `result_transfer_id` are unique) or rejects,
//! before it lapses (`approval_request_valid_hours`). Requesting, approving and rejecting are
//! each one audited change.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role, permits};
use shebao_domain::ids::{AccountId, CardId, RegionCode, TransferId, UserId};
use shebao_domain::money::approval::{ApprovalReason, ApprovalStatus, check_decision, expires_at};
use shebao_domain::money::ledger::{Amount, TransferCode};
use shebao_domain::reference::region::RegionParameters;
use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use shebao_domain::time::{Date, Timestamp};
use shebao_store::{ApprovalDecision, ApprovalRecord, TransferRecord, Tx};

use crate::card::Empty;
use crate::error::OrNotFound;
use crate::money::{card_account, post, reversal_reason, reversible};
use crate::views::ApprovalView;
use crate::{Actor, App, AppError, Audit};

/// Most requests one listing shows.
pub const APPROVAL_PAGE_MAX: i64 = 200;

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectionRequest {
    /// Why not: 4 to 140 characters.
    #[schemars(length(min = 4, max = 140), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub reason: String,
}

/// The transfer a request would post, as stored in its body.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Prepared {
    transfer_id: String,
    code: String,
    debit_account: String,
    credit_account: String,
    memo: String,
    reverses: Option<String>,
}

impl Prepared {
    fn of(transfer: &TransferRecord) -> Prepared {
        Prepared {
            transfer_id: transfer.id.to_string(),
            code: transfer.code.as_str().into(),
            debit_account: transfer.debit_account.clone(),
            credit_account: transfer.credit_account.clone(),
            memo: transfer.memo.clone(),
            reverses: transfer.reverses.as_ref().map(ToString::to_string),
        }
    }

    fn transfer(
        self,
        request: &ApprovalRecord,
        now: Timestamp,
    ) -> Result<TransferRecord, AppError> {
        let code = TransferCode::parse(&self.code)
            .ok_or_else(|| AppError::Internal(format!("approval {}: transfer code", request.id)))?;
        Ok(TransferRecord {
            id: TransferId::new(self.transfer_id),
            code,
            debit_account: self.debit_account,
            credit_account: self.credit_account,
            amount_fen: request.amount_fen,
            reverses: self.reverses.map(TransferId::new),
            memo: self.memo,
            actor: request.maker.clone(),
            created_at: now,
        })
    }
}

/// Who decides an actor's requests: their bank for a bank's staff, else the bureau.
fn organisation(actor: &Actor) -> String {
    match &actor.scope.bank_id {
        Some(bank) => format!("bank:{bank}"),
        None => "bureau".into(),
    }
}

/// The day a person's credits are summed over: the local day of the card's region, whose
/// parameters set the limits.
pub(crate) fn day(now: Timestamp, params: &RegionParameters) -> Date {
    now.local_date(params.utc_offset())
}

/// The person (or system) asking for a change, as a request records them.
pub(crate) struct Maker {
    user_id: UserId,
    label: String,
    role: Role,
    organisation: String,
}

impl Maker {
    pub(crate) fn of(actor: &Actor) -> Maker {
        Maker {
            user_id: actor.user_id.clone(),
            label: actor.label(),
            role: actor.role,
            organisation: organisation(actor),
        }
    }

    /// Whether this maker enters credits by hand. Every role but a bank's system is a person
    /// at a counter or a desk; a role added later is a person until it is said otherwise.
    fn by_hand(&self) -> bool {
        self.role != Role::BankSystem
    }

    /// This maker's user, if they enter credits by hand.
    pub(crate) fn by_hand_user(&self) -> Option<&UserId> {
        self.by_hand().then_some(&self.user_id)
    }

    /// The request for `asked`, its `transfer` prepared to be posted as it is when approved.
    pub(crate) fn request(
        &self,
        asked: Asked,
        transfer: &TransferRecord,
        params: &RegionParameters,
        now: Timestamp,
    ) -> Result<ApprovalRecord, AppError> {
        let body = serde_json::to_string(&Prepared::of(transfer))
            .map_err(AppError::failed("encoding JSON"))?;
        Ok(ApprovalRecord {
            id: asked.id,
            operation: asked.operation.to_owned(),
            reason: asked.reason,
            maker_user_id: self.user_id.clone(),
            maker: self.label.clone(),
            maker_role: self.role,
            organisation: self.organisation.clone(),
            region: asked.region,
            card_id: asked.card,
            transfer_id: transfer.reverses.clone(),
            amount_fen: transfer.amount_fen,
            body,
            status: ApprovalStatus::Pending,
            created_at: now,
            expires_at: expires_at(now, params),
            version: 1,
            decision: ApprovalDecision::default(),
        })
    }

    /// The request to reverse `original` (whose holder account is `holder`) with the reason
    /// `why`, its reversing transfer prepared.
    pub(crate) fn reversal_request(
        &self,
        tx: &mut Tx<'_>,
        id: &str,
        original: &TransferRecord,
        holder: &AccountId,
        why: &str,
        now: Timestamp,
    ) -> Result<ApprovalRecord, AppError> {
        let region = holder_region(tx, holder)?;
        let params = App::parameters_in(tx, &region, now)?;
        let reversal = TransferRecord {
            id: TransferId::new(crate::new_id("trf")),
            code: TransferCode::Reversal,
            debit_account: original.credit_account.clone(),
            credit_account: original.debit_account.clone(),
            amount_fen: original.amount_fen,
            reverses: Some(original.id.clone()),
            memo: why.to_owned(),
            actor: self.label.clone(),
            created_at: now,
        };
        let asked = Asked {
            id: id.to_owned(),
            operation: "reverse_transfer",
            reason: ApprovalReason::Reversal,
            region,
            card: None,
        };
        self.request(asked, &reversal, &params, now)
    }
}

/// What a request asks for besides its transfer: its id (drawn before the transaction),
/// the operation, why it waits, the region whose parameters apply and the card.
pub(crate) struct Asked {
    pub id: String,
    pub operation: &'static str,
    pub reason: ApprovalReason,
    pub region: RegionCode,
    pub card: Option<CardId>,
}

/// The audit detail of a request or decision: what it is about, never personal data.
pub(crate) fn detail(request: &ApprovalRecord) -> String {
    serde_json::json!({
        "approval": request.id,
        "operation": request.operation,
        "reason": request.reason.as_str(),
        "amount_fen": request.amount_fen,
        "maker": request.maker,
        "status": request.status.as_str(),
        "transfer": request.decision.result_transfer_id.as_ref().map(ToString::to_string),
    })
    .to_string()
}

/// The transfer `request` would post (or posted), as prepared in its body.
fn prepared(request: &ApprovalRecord, now: Timestamp) -> Result<TransferRecord, AppError> {
    let prepared: Prepared =
        serde_json::from_str(&request.body).map_err(AppError::failed("decoding JSON"))?;
    prepared.transfer(request, now)
}

/// What a peer sees of `request`: with its prepared transfer's code, accounts and memo, so
/// the checker sees exactly what approval posts.
pub(crate) fn view(request: &ApprovalRecord, now: Timestamp) -> Result<ApprovalView, AppError> {
    Ok(ApprovalView::new(request, &prepared(request, now)?, now))
}

/// The region of the card that carries a holder account.
fn holder_region(tx: &mut Tx<'_>, holder: &AccountId) -> Result<RegionCode, AppError> {
    let account = tx.account(holder)?.or_not_found("account", holder)?;
    tx.cards_of_person(&account.person_id)?
        .into_iter()
        .find(|card| card.account_id.as_ref() == Some(holder))
        .map(|card| card.region)
        .or_not_found("card of account", holder)
}

/// The request `id`, if `decider` may decide it now: the same role and organisation as its
/// maker (anyone else is answered as if it did not exist), not the maker, still waiting.
fn decidable(
    tx: &mut Tx<'_>,
    decider: &Actor,
    id: &str,
    now: Timestamp,
) -> Result<ApprovalRecord, AppError> {
    let request = tx.approval(id)?.or_not_found("approval", id)?;
    let underlying = match request.operation.as_str() {
        "credit_benefit" => Operation::CreditBenefit,
        "deposit" => Operation::Deposit,
        "reverse_transfer" => Operation::ReverseTransfer,
        other => return Err(AppError::Internal(format!("approval {id}: {other}"))),
    };
    let peer = request.maker_role == decider.role
        && request.organisation == organisation(decider)
        && permits(decider.role, underlying);
    if !peer {
        return Err(AppError::Hidden(format!("approval {id}")));
    }
    check_decision(
        request.status,
        request.expires_at,
        request.maker_user_id.as_str(),
        decider.user_id.as_str(),
        now,
    )?;
    Ok(request)
}

/// The transfer an approved request posts, checked again as `decider` sees it now: the
/// card in scope and accepting credits, or the transfer still reversible.
fn approved_transfer(
    tx: &mut Tx<'_>,
    decider: &Actor,
    request: &ApprovalRecord,
    now: Timestamp,
) -> Result<TransferRecord, AppError> {
    let transfer = prepared(request, now)?;
    let missing = || AppError::Internal(format!("approval {}: incomplete", request.id));
    if request.operation == "reverse_transfer" {
        let original = request.transfer_id.clone().ok_or_else(missing)?;
        reversible(tx, decider.scope.bank_id.as_ref(), &original)?;
    } else {
        let card = request.card_id.clone().ok_or_else(missing)?;
        let (card, account) = card_account(tx, decider, &card)?;
        let params = App::parameters_in(tx, &card.region, now)?;
        Amount::new(transfer.amount_fen, params.single_operation_max_fen)?;
        account.accept_credit(&params)?;
        tx.ensure_ledger_account(&transfer.debit_account, true, now)?;
    }
    Ok(transfer)
}

impl App {
    /// The requests waiting for a decision in the actor's role and organisation, newest
    /// first (the actor's own included, for them to see; they cannot decide those).
    pub fn approvals(
        &self,
        actor: &Actor,
        limit: Option<i64>,
    ) -> Result<Vec<ApprovalView>, AppError> {
        self.authorise(actor, Operation::ReadApprovals)?;
        let limit = limit.unwrap_or(50).clamp(1, APPROVAL_PAGE_MAX);
        let (organisation, role, now) = (organisation(actor), actor.role, self.now());
        let waiting = self
            .store
            .read(move |tx| tx.waiting_approvals(&organisation, role, now, limit))?;
        waiting.iter().map(|request| view(request, now)).collect()
    }

    /// Approves another person's request: its prepared transfer is posted now, once.
    pub fn approve(
        &self,
        actor: &Actor,
        key: &str,
        approval: &str,
    ) -> Result<ApprovalView, AppError> {
        self.authorise(actor, Operation::DecideApproval)?;
        let (id, decider) = (approval.to_owned(), actor.clone());
        let audit = Audit::on("approval.approve", format!("approval:{id}"));
        self.change(actor, key, &Empty {}, audit, move |tx, now| {
            let request = decidable(tx, &decider, &id, now)?;
            let transfer = approved_transfer(tx, &decider, &request, now)?;
            post(tx, &transfer, now)?;
            let decided = ApprovalRecord {
                status: ApprovalStatus::Approved,
                decision: ApprovalDecision {
                    result_transfer_id: Some(transfer.id.clone()),
                    ..decision_by(&decider, now)
                },
                ..request
            };
            tx.decide_approval(&decided)?;
            Ok((view(&decided, now)?, detail(&decided)))
        })
    }

    /// Rejects another person's request, with a reason: nothing moves, ever.
    pub fn reject(
        &self,
        actor: &Actor,
        key: &str,
        approval: &str,
        request: RejectionRequest,
    ) -> Result<ApprovalView, AppError> {
        self.authorise(actor, Operation::DecideApproval)?;
        let why = reversal_reason(&request.reason)?;
        let (id, decider) = (approval.to_owned(), actor.clone());
        let audit = Audit::on("approval.reject", format!("approval:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let waiting = decidable(tx, &decider, &id, now)?;
            let decided = ApprovalRecord {
                status: ApprovalStatus::Rejected,
                decision: ApprovalDecision {
                    note: Some(why.clone()),
                    ..decision_by(&decider, now)
                },
                ..waiting
            };
            tx.decide_approval(&decided)?;
            Ok((view(&decided, now)?, detail(&decided)))
        })
    }
}

/// A decision taken by `decider` at `now`.
fn decision_by(decider: &Actor, now: Timestamp) -> ApprovalDecision {
    ApprovalDecision {
        decided_by_user_id: Some(decider.user_id.clone()),
        decided_by: Some(decider.label()),
        decided_at: Some(now),
        ..ApprovalDecision::default()
    }
}
