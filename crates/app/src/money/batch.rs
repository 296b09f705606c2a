//! Batches: a bank's or a bureau's system sends up to [`BATCH_OPERATIONS_MAX`] card credits
//! and debits in one request, each with its own idempotency key and its own result. Each
//! operation is the same use case as its single request (same checks, same audit record,
//! same idempotent answer when sent again, alone or in another batch). The [`App`]'s one
//! shared pool of batch workers (`batch_pool`) prepares the operations (reads each request,
//! authorises it, fingerprints it) in parallel; then the whole batch goes to the money engine
//! as one unit of work (`engine`), which decides every operation in memory and writes them
//! together. The results come back in the order sent. One operation's refusal never affects
//! another's.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;

pub use crate::money::batch_pool::BatchLimits;
use crate::money::batch_pool::Job;
use crate::money::engine::{Command, Reply};
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

/// A batch admitted to the pool: its operations, and each one's command (or why it has
/// none) as the workers prepare them.
struct BatchRun {
    app: App,
    actor: Actor,
    operations: Vec<BatchOperation>,
    progress: Mutex<Progress>,
    finished: Condvar,
}

struct Progress {
    prepared: Vec<Option<Result<Command, AppError>>>,
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
        let prepared = std::panic::catch_unwind(AssertUnwindSafe(|| {
            self.app.batch_command(&self.actor, operation)
        }))
        .unwrap_or_else(|_| Err(unfinished()));
        let mut progress = self.progress();
        progress.prepared[index] = Some(prepared);
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
                prepared: (0..count).map(|_| None).collect(),
                remaining: count,
            }),
            finished: Condvar::new(),
        });
        self.batches.submit(run.clone())?;
        let prepared = {
            let mut progress = run.progress();
            while progress.remaining > 0 {
                progress = run
                    .finished
                    .wait(progress)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            std::mem::take(&mut progress.prepared)
        };
        let mut outcomes: Vec<Option<BatchOutcome>> = Vec::with_capacity(count);
        let (mut commands, mut positions) = (Vec::with_capacity(count), Vec::with_capacity(count));
        for (index, command) in prepared.into_iter().enumerate() {
            match command.unwrap_or_else(|| Err(unfinished())) {
                Ok(command) => {
                    commands.push(command);
                    positions.push(index);
                    outcomes.push(None);
                }
                Err(error) => outcomes.push(Some(Err(error))),
            }
        }
        let applied = self.engine.submit(commands)?;
        for (index, outcome) in positions.into_iter().zip(applied) {
            outcomes[index] = Some(outcome.map(|reply| match reply {
                Reply::Outcome(outcome) => outcome,
                Reply::Transfer(view) => MoneyOutcome::Posted(view),
            }));
        }
        Ok(outcomes
            .into_iter()
            .map(|outcome| outcome.unwrap_or_else(|| Err(unfinished())))
            .collect())
    }

    /// The command of one operation of a batch, prepared as its single request prepares it.
    fn batch_command(&self, actor: &Actor, item: &BatchOperation) -> Result<Command, AppError> {
        let (key, card) = (item.idempotency_key.as_str(), item.card.as_str());
        match item.operation.as_str() {
            "purchase" => {
                self.purchase_command(actor, key, card, request::<PurchaseRequest>(&item.request)?)
            }
            "credit_benefit" => self.credit_benefit_command(
                actor,
                key,
                card,
                request::<CreditRequest>(&item.request)?,
            ),
            "deposit" => {
                self.deposit_command(actor, key, card, request::<CashRequest>(&item.request)?)
            }
            "withdraw" => {
                self.withdraw_command(actor, key, card, request::<CashRequest>(&item.request)?)
            }
            _ => Err(AppError::invalid(
                "operation",
                "purchase, credit_benefit, deposit or withdraw",
            )),
        }
    }
}
