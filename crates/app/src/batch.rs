//! Batches: a bank's or a bureau's system sends up to [`BATCH_OPERATIONS_MAX`] card credits
//! and debits in one request, each with its own idempotency key and its own result. Each
//! operation is the same use case as its single request (same checks, same audit record,
//! same idempotent answer when sent again, alone or in another batch); the batch only lets
//! many of them wait for the same durable commits. Operations run concurrently, so the
//! store's group-commit writer takes many of them per commit; the results come back in the
//! order sent. One operation's refusal never affects another's.

use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;

use crate::money::{CashRequest, CreditRequest, PurchaseRequest};
use crate::views::MoneyOutcome;
use crate::{Actor, App, AppError};

/// Most operations in one batch.
pub const BATCH_OPERATIONS_MAX: usize = 8_000;
/// Operations of one batch in flight at once: how many the store may commit together.
const BATCH_IN_FLIGHT: usize = 256;

/// One operation of a batch.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchOperation {
    /// The operation's own idempotency key (1-128 printable ASCII characters).
    pub idempotency_key: String,
    /// `purchase`, `credit_benefit`, `deposit` or `withdraw`.
    pub operation: String,
    pub card: String,
    /// The body the single operation takes (`PurchaseRequest`, `CreditRequest`,
    /// `CashRequest`).
    pub request: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    pub operations: Vec<BatchOperation>,
}

/// What one operation of a batch came to: its transfer, the approval request it waits in
/// (a credit entered by a person beyond their limits, exactly as when sent alone), or why not.
pub type BatchOutcome = Result<MoneyOutcome, AppError>;

fn request<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Result<T, AppError> {
    T::deserialize(value).map_err(|e| AppError::Invalid {
        field: "request",
        message: e.to_string(),
    })
}

impl App {
    /// Runs a batch; the outcomes are in the order of the operations.
    pub fn run_batch(
        &self,
        actor: &Actor,
        batch: &BatchRequest,
    ) -> Result<Vec<BatchOutcome>, AppError> {
        self.authorise(actor, Operation::SubmitBatch)?;
        let count = batch.operations.len();
        if count == 0 || count > BATCH_OPERATIONS_MAX {
            return Err(AppError::Invalid {
                field: "operations",
                message: format!("1 to {BATCH_OPERATIONS_MAX} operations"),
            });
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        let workers = count.min(BATCH_IN_FLIGHT);
        let mut outcomes: Vec<Option<BatchOutcome>> = (0..count).map(|_| None).collect();
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(operation) = batch.operations.get(i) else {
                                return done;
                            };
                            done.push((i, self.batch_operation(actor, operation)));
                        }
                    })
                })
                .collect();
            for handle in handles {
                // A worker that panicked leaves its operations without an outcome; they are
                // reported as internal errors below (their effect, if any, is durable and
                // answered again when the same key is sent again).
                if let Ok(done) = handle.join() {
                    for (i, outcome) in done {
                        outcomes[i] = Some(outcome);
                    }
                }
            }
        });
        Ok(outcomes
            .into_iter()
            .map(|outcome| {
                outcome.unwrap_or_else(|| {
                    Err(AppError::Internal(
                        "the operation did not finish; send it again".into(),
                    ))
                })
            })
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
            _ => Err(AppError::Invalid {
                field: "operation",
                message: "purchase, credit_benefit, deposit or withdraw".into(),
            }),
        }
    }
}
