//! Money: accounts, the ledger, transfers, approvals, batches.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_app::AppError;
use shebao_app::money::approvals::RejectionRequest;
use shebao_app::money::batch::{BatchOutcome, BatchRequest};
use shebao_app::money::{
    CashRequest, CreditRequest, PurchaseRequest, ReversalRequest, StatementWindow, TransferRequest,
};
use shebao_app::views::{AccountView, ApprovalView, MoneyOutcome, StatementView, TransferView};
use shebao_domain::time::Timestamp;

use super::kinds::{
    Accepted, HandWritten, Json, JsonBody, NoBody, NoQuery, Outcome, Query, Schema,
};
use super::{Entry, In, codes, entry, operations};
use crate::problem::Problem;

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(GetCardAccount),
    entry(Deposit),
    entry(Withdraw),
    entry(Purchase),
    entry(CreditBenefit),
    entry(SubmitBatch),
    entry(Transfer),
    entry(ReverseTransfer),
    entry(ListApprovals),
    entry(Approve),
    entry(Reject),
    entry(GetStatement),
];

const TAG: &str = "money";

/// A batch of 8,000 operations with memos fits well inside this.
const BATCH_BODY_LIMIT_BYTES: usize = 8 * 1024 * 1024;

/// A money change's answer: 200 with its transfer, or 202 with the request that waits for a
/// second person (issue 13, maker-checker).
type MoneyAnswer = Outcome<TransferView, ApprovalView>;

impl From<MoneyOutcome> for MoneyAnswer {
    fn from(outcome: MoneyOutcome) -> MoneyAnswer {
        match outcome {
            MoneyOutcome::Posted(transfer) => Outcome::Posted(transfer),
            MoneyOutcome::AwaitingApproval(request) => Outcome::AwaitingApproval(*request),
        }
    }
}

/// What a credit to a card's account may be refused for.
const CREDIT_CODES: &[&str] = &[
    "card_not_collected",
    "invalid_amount",
    "account_closed",
    "credits_refused_while_deposit_only",
    "conflict",
];

/// A batch's answer: one result per operation, in the order sent.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "BatchResults")]
pub(crate) struct BatchResults {
    results: Vec<BatchResult>,
}

/// What one operation of a batch came to: exactly one of its transfer (200), the request
/// it waits in (202) or its problem.
#[derive(Serialize, JsonSchema)]
pub(crate) struct BatchResult {
    idempotency_key: String,
    /// The status the operation would have answered alone.
    status: u16,
    #[schemars(transform = exactly_one)]
    transfer: Option<TransferView>,
    #[schemars(transform = exactly_one)]
    approval: Option<ApprovalView>,
    #[schemars(transform = exactly_one)]
    problem: Option<HandWritten<ProblemDocument>>,
}

/// An object or `null`, said as a choice of exactly one (`oneOf`), as the document's other
/// choices are.
fn exactly_one(schema: &mut schemars::Schema) {
    if let Some(branches) = schema.remove("anyOf") {
        schema.insert("oneOf".into(), branches);
    }
}

/// A problem details document (RFC 9457), as [`Problem::body`] writes it.
#[derive(Serialize)]
#[serde(transparent)]
pub(crate) struct ProblemDocument(serde_json::Value);

impl Schema for ProblemDocument {
    const NAME: &'static str = "Problem";

    /// What [`Problem::body`] writes, which is a JSON value built there, not a Rust type.
    fn schema() -> serde_json::Value {
        crate::api::document::problem_schema()
    }
}

impl BatchResult {
    fn new(idempotency_key: String, outcome: BatchOutcome) -> BatchResult {
        let mut result = BatchResult {
            idempotency_key,
            status: 200,
            transfer: None,
            approval: None,
            problem: None,
        };
        match outcome {
            Ok(MoneyOutcome::Posted(transfer)) => result.transfer = Some(transfer),
            Ok(MoneyOutcome::AwaitingApproval(request)) => {
                result.status = 202;
                result.approval = Some(*request);
            }
            Err(error) => {
                let problem = Problem::from(error);
                result.status = problem.status;
                result.problem = Some(HandWritten(ProblemDocument(problem.body())));
            }
        }
        result
    }
}

fn batch_results(
    actor: &shebao_app::Actor,
    app: &shebao_app::App,
    batch: BatchRequest,
) -> Result<BatchResults, Problem> {
    let keys: Vec<String> = batch
        .operations
        .iter()
        .map(|operation| operation.idempotency_key.clone())
        .collect();
    let outcomes = app.run_batch(actor, &batch)?;
    Ok(BatchResults {
        results: keys
            .into_iter()
            .zip(outcomes)
            .map(|(key, outcome)| BatchResult::new(key, outcome))
            .collect(),
    })
}

/// A page of the approvals list.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApprovalQuery {
    /// At most this many (1 to 200; 50 if left out).
    limit: Option<i64>,
}

/// A page of a statement.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StatementQuery {
    /// Entries before this sequence number (the previous page's `next_before`).
    before: Option<i64>,
    /// At most this many (1 to 200; 50 if left out).
    limit: Option<i64>,
    /// Entries made at or after this instant.
    #[schemars(extend("format" = "date-time"))]
    from: Option<String>,
    /// Entries made before this instant.
    #[schemars(extend("format" = "date-time"))]
    until: Option<String>,
}

impl StatementQuery {
    /// The window the query selects; an instant that is not RFC 3339 is refused.
    pub(crate) fn window(&self) -> Result<StatementWindow, AppError> {
        let instant = |field: &'static str, text: &Option<String>| {
            text.as_deref()
                .map(|t| {
                    Timestamp::parse_rfc3339(t)
                        .ok_or_else(|| AppError::invalid(field, "an RFC 3339 instant"))
                })
                .transpose()
        };
        Ok(StatementWindow {
            before: self.before,
            limit: self.limit,
            from: instant("from", &self.from)?,
            until: instant("until", &self.until)?,
        })
    }
}

operations! {
    tag: TAG;

    /// The financial account a card carries
    GetCardAccount: get "get_card_account" "/api/v1/cards/{card}/account"
        .errors(&["card_not_collected"]) {
        Needs(ReadAccount): card_account(card) -> Json<AccountView>
    }

    /// Cash deposit at a counter of the card's bank; above the region's limit for one person, or
    /// past their daily limit, it waits for another teller's approval (202)
    Deposit: post "deposit" "/api/v1/cards/{card}/deposits" .errors(CREDIT_CODES) {
        Needs(Deposit): deposit(key, card, body: CashRequest) -> MoneyAnswer
    }

    /// Cash withdrawal with the PIN
    Withdraw: post "withdraw" "/api/v1/cards/{card}/withdrawals" .errors(codes![debit]) {
        Needs(Withdraw): withdraw(key, card, body: CashRequest) -> Json<TransferView>
    }

    /// Card payment at a merchant with the PIN
    Purchase: post "purchase" "/api/v1/cards/{card}/purchases" .errors(codes![debit]) {
        Needs(Purchase): purchase(key, card, body: PurchaseRequest) -> Json<TransferView>
    }

    /// Pension or benefit paid from a fund; entered by a person above the region's limit, or past
    /// their daily limit, it waits for another clerk's approval (202)
    CreditBenefit: post "credit_benefit" "/api/v1/cards/{card}/credits" .errors(CREDIT_CODES) {
        Needs(CreditBenefit): credit_benefit(key, card, body: CreditRequest) -> MoneyAnswer
    }

    /// Up to 8,000 card credits and debits (purchase, credit_benefit, deposit, withdraw), each with
    /// its own idempotency key, checks, audit record and result, in the order sent
    SubmitBatch: post "submit_batch" "/api/v1/batches"
        .not_changing()
        .body_limit(BATCH_BODY_LIMIT_BYTES) {
        access: Needs(SubmitBatch),
        types: (), NoQuery, JsonBody<BatchRequest> => Json<BatchResults>,
        call: |app, actor, In { body, .. }| Json(batch_results(actor, app, body)?),
    }

    /// Transfer to another account with the PIN
    Transfer: post "transfer" "/api/v1/cards/{card}/transfers"
        .errors(codes![debit, "credits_refused_while_deposit_only"]) {
        Needs(Transfer): transfer(key, card, body: TransferRequest) -> Json<TransferView>
    }

    /// Ask for a transfer to be corrected with a reversing one: always answered 202 with the
    /// request, posted when another teller of the bank approves it
    ReverseTransfer: post "reverse_transfer" "/api/v1/transfers/{transfer}/reversal"
        .errors(&[
            "not_reversible_here",
            "reversal_waiting",
            "already_reversed",
            "cannot_reverse_reversal",
            "conflict",
        ]) {
        Needs(ReverseTransfer): reverse_transfer(key, transfer, body: ReversalRequest)
            -> Accepted<ApprovalView>
    }

    /// Requests waiting for a second person in the caller's role and organisation, newest first
    ListApprovals: get "list_approvals" "/api/v1/approvals" {
        access: Needs(ReadApprovals),
        types: (), Query<ApprovalQuery>, NoBody => Json<Vec<ApprovalView>>,
        call: |app, actor, In { query: Query(query), .. }| Json(app.approvals(actor, query.limit)?),
    }

    /// Approve another person's request of your role and organisation: its money moves now, once
    Approve: post "approve" "/api/v1/approvals/{approval}/approval"
        .errors(codes![
            decision,
            "card_not_collected",
            "invalid_amount",
            "account_closed",
            "credits_refused_while_deposit_only",
            "insufficient_funds",
            "not_reversible_here",
            "already_reversed",
            "cannot_reverse_reversal",
        ]) {
        Needs(DecideApproval): approve(key, approval) -> Json<ApprovalView>
    }

    /// Reject another person's request of your role and organisation, with a reason: nothing moves
    Reject: post "reject" "/api/v1/approvals/{approval}/rejection" .errors(codes![decision]) {
        Needs(DecideApproval): reject(key, approval, body: RejectionRequest) -> Json<ApprovalView>
    }

    /// An account's entries, newest first, paged
    GetStatement: get "get_statement" "/api/v1/accounts/{account}/statement" {
        access: Needs(ReadAccount),
        types: (String,), Query<StatementQuery>, NoBody => Json<StatementView>,
        call: |app, actor, In { path: (account,), query: Query(query), .. }| {
            Json(app.statement_in(actor, &account, query.window()?)?)
        },
    }
}
