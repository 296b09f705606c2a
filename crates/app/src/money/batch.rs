//! Batches: a bank's or a bureau's system sends up to [`BATCH_OPERATIONS_MAX`] card credits
//! and debits in one request, each with its own idempotency key and its own result. Each
//! operation is the same use case as its single request (same checks, same audit record,
//! same idempotent answer when sent again, alone or in another batch); the batch only lets
//! many of them wait for the same durable commits. Operations run concurrently on the
//! [`App`]'s one shared pool of batch workers (`batch_pool`), so the store's group-commit
//! writer takes many of them per commit; the results come back in the order sent. One
//! operation's refusal never affects another's.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;

pub use crate::money::batch_pool::BatchLimits;
use crate::money::batch_pool::Job;
use crate::money::{CashRequest, CreditRequest, PurchaseRequest};
use crate::views::MoneyOutcome;
use crate::{Actor, App, AppError};

/// Most operations in one batch.
pub const BATCH_OPERATIONS_MAX: usize = 8_000;

/// An idempotency key as `idempotency::scoped_key` accepts it (with 8 to 128
/// characters).
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[A-Za-z0-9._:-]+$";

/// One operation of a batch.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchOperation {
    /// The operation's own idempotency key (8-128 letters, digits, `-`, `_`, `.` or `:`).
    #[schemars(length(min = 8, max = 128), regex(pattern = IDEMPOTENCY_KEY_PATTERN))]
    pub idempotency_key: String,
    /// `purchase`, `credit_benefit`, `deposit` or `withdraw`.
    #[schemars(extend("enum" = ["purchase", "credit_benefit", "deposit", "withdraw"]))]
    pub operation: String,
    pub card: String,
    /// The body the single operation takes (`PurchaseRequest`, `CreditRequest`,
    /// `CashRequest`).
    #[schemars(with = "BatchOperationRequest")]
    pub request: serde_json::Value,
}

/// The body of the single operation: `PurchaseRequest`, `CreditRequest` or `CashRequest`.
/// (A schema only: the operation named reads the request.)
#[derive(JsonSchema)]
#[serde(untagged)]
#[schemars(transform = exactly_one)]
#[allow(
    dead_code,
    reason = "a schema only: the request is read by the operation it names"
)]
enum BatchOperationRequest {
    Purchase(PurchaseRequest),
    Credit(CreditRequest),
    Cash(CashRequest),
}

/// The bodies' schemas exclude one another (each closed, with its own required fields), so
/// the choice is of exactly one (`oneOf`).
fn exactly_one(schema: &mut schemars::Schema) {
    if let Some(branches) = schema.remove("anyOf") {
        schema.insert("oneOf".into(), branches);
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    #[schemars(length(min = 1, max = BATCH_OPERATIONS_MAX))]
    pub operations: Vec<BatchOperation>,
}

/// What one operation of a batch came to: its transfer, the approval request it waits in
/// (a credit entered by a person beyond their limits, exactly as when sent alone), or why not.
pub type BatchOutcome = Result<MoneyOutcome, AppError>;

/// A batch admitted to the pool: its operations, and their outcomes as they come in.
struct BatchRun {
    app: App,
    actor: Actor,
    operations: Vec<BatchOperation>,
    progress: Mutex<Progress>,
    finished: Condvar,
}

struct Progress {
    outcomes: Vec<Option<BatchOutcome>>,
    remaining: usize,
}

impl BatchRun {
    fn progress(&self) -> MutexGuard<'_, Progress> {
        // Held only to record an outcome, which cannot panic half-way.
        self.progress.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Job for BatchRun {
    fn len(&self) -> usize {
        self.operations.len()
    }

    fn run(&self, index: usize) {
        let Some(operation) = self.operations.get(index) else {
            return;
        };
        // An operation that panicked has no outcome of its own; its effect, if any, is
        // durable and answered again when the same key is sent again.
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            self.app.batch_operation(&self.actor, operation)
        }))
        .unwrap_or_else(|_| Err(unfinished()));
        let mut progress = self.progress();
        progress.outcomes[index] = Some(outcome);
        progress.remaining -= 1;
        if progress.remaining == 0 {
            self.finished.notify_all();
        }
    }
}

fn unfinished() -> AppError {
    AppError::Internal("the operation did not finish; send it again".into())
}

fn request<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Result<T, AppError> {
    T::deserialize(value).map_err(|e| AppError::invalid("request", e.to_string()))
}

impl App {
    /// Runs a batch on the shared batch pool; the outcomes are in the order of the
    /// operations. Refused `busy`, before any operation runs, when the pool has
    /// [`BatchLimits::batches_max`] batches already.
    pub fn run_batch(
        &self,
        actor: &Actor,
        batch: &BatchRequest,
    ) -> Result<Vec<BatchOutcome>, AppError> {
        self.authorise(actor, Operation::SubmitBatch)?;
        let count = batch.operations.len();
        if count == 0 || count > BATCH_OPERATIONS_MAX {
            return Err(AppError::invalid(
                "operations",
                format!("1 to {BATCH_OPERATIONS_MAX} operations"),
            ));
        }
        let _admission = self.batches.admit()?;
        let run = Arc::new(BatchRun {
            app: self.clone(),
            actor: actor.clone(),
            operations: batch.operations.clone(),
            progress: Mutex::new(Progress {
                outcomes: (0..count).map(|_| None).collect(),
                remaining: count,
            }),
            finished: Condvar::new(),
        });
        self.batches.submit(run.clone())?;
        let mut progress = run.progress();
        while progress.remaining > 0 {
            progress = run
                .finished
                .wait(progress)
                .unwrap_or_else(PoisonError::into_inner);
        }
        Ok(std::mem::take(&mut progress.outcomes)
            .into_iter()
            .map(|outcome| outcome.unwrap_or_else(|| Err(unfinished())))
            .collect())
    }

    fn batch_operation(&self, actor: &Actor, item: &BatchOperation) -> BatchOutcome {
        let (key, card) = (item.idempotency_key.as_str(), item.card.as_str());
        match item.operation.as_str() {
            "purchase" => self
                .purchase(actor, key, card, request::<PurchaseRequest>(&item.request)?)
                .map(MoneyOutcome::Posted),
            "credit_benefit" => {
                self.credit_benefit(actor, key, card, request::<CreditRequest>(&item.request)?)
            }
            "deposit" => self.deposit(actor, key, card, request::<CashRequest>(&item.request)?),
            "withdraw" => self
                .withdraw(actor, key, card, request::<CashRequest>(&item.request)?)
                .map(MoneyOutcome::Posted),
            _ => Err(AppError::invalid(
                "operation",
                "purchase, credit_benefit, deposit or withdraw",
            )),
        }
    }
}
