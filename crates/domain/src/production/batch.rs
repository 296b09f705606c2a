//! A production batch (issue 18, item 4): the applications the bureau groups for a vendor's
//! product in a region, each card queued until the vendor reports it produced or failed (a
//! failed card waits for the next batch), and the batch shipped once every card is
//! reported and one at least was produced.

use super::{ProductionRefusal, invalid};

/// The most cards one batch takes.
pub const BATCH_CARDS_MAX: u32 = 100_000;
/// The most results one report carries.
pub const RESULTS_MAX: usize = 5_000;
/// The longest reason a failed card is reported with, in characters.
pub const REASON_CHARS_MAX: usize = 200;

/// Where a batch is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchStatus {
    /// Cards being made and reported.
    Open,
    /// Every card reported, the produced ones shipped to the distribution.
    Shipped,
    /// Every card reported and none produced: nothing to ship (each waits for another batch).
    Closed,
}

impl BatchStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            BatchStatus::Open => "open",
            BatchStatus::Shipped => "shipped",
            BatchStatus::Closed => "closed",
        }
    }

    pub fn parse(input: &str) -> Option<BatchStatus> {
        match input {
            "open" => Some(BatchStatus::Open),
            "shipped" => Some(BatchStatus::Shipped),
            "closed" => Some(BatchStatus::Closed),
            _ => None,
        }
    }

    /// The batch is finished once no card waits for its result: shipped when one at least
    /// was produced, closed when every card failed (nothing to ship).
    pub fn ship(self, queued: i64, produced: i64) -> Result<BatchStatus, ProductionRefusal> {
        if self != BatchStatus::Open {
            return Err(ProductionRefusal::WrongState {
                reason: "the batch is already shipped or closed",
            });
        }
        if queued > 0 {
            return Err(ProductionRefusal::WrongState {
                reason: "cards of the batch still wait for their result",
            });
        }
        Ok(if produced == 0 {
            BatchStatus::Closed
        } else {
            BatchStatus::Shipped
        })
    }
}

/// A card's result in its batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardResult {
    Queued,
    Produced,
    Failed,
}

impl CardResult {
    pub const fn as_str(self) -> &'static str {
        match self {
            CardResult::Queued => "queued",
            CardResult::Produced => "produced",
            CardResult::Failed => "failed",
        }
    }

    pub fn parse(input: &str) -> Option<CardResult> {
        match input {
            "queued" => Some(CardResult::Queued),
            "produced" => Some(CardResult::Produced),
            "failed" => Some(CardResult::Failed),
            _ => None,
        }
    }

    /// The vendor's report of a queued card: produced, or failed with a reason (1 to 200
    /// characters, no control character). A card is reported once.
    pub fn report(
        self,
        outcome: CardResult,
        reason: Option<&str>,
    ) -> Result<(CardResult, Option<String>), ProductionRefusal> {
        if self != CardResult::Queued {
            return Err(ProductionRefusal::WrongState {
                reason: "the card's result is already reported",
            });
        }
        match outcome {
            CardResult::Produced => Ok((CardResult::Produced, None)),
            CardResult::Failed => {
                let reason = super::text(reason.unwrap_or(""), "reason", REASON_CHARS_MAX)?;
                Ok((CardResult::Failed, Some(reason)))
            }
            CardResult::Queued => Err(invalid("outcome", "produced or failed")),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn a_card_is_reported_once_and_a_failure_says_why() {
        assert_eq!(
            CardResult::Queued.report(CardResult::Produced, None),
            Ok((CardResult::Produced, None))
        );
        assert_eq!(
            CardResult::Queued.report(CardResult::Failed, Some(" chip dead ")),
            Ok((CardResult::Failed, Some("chip dead".into())))
        );
        assert!(CardResult::Queued.report(CardResult::Failed, None).is_err());
        assert!(CardResult::Queued.report(CardResult::Queued, None).is_err());
        assert!(
            CardResult::Produced
                .report(CardResult::Failed, Some("x"))
                .is_err()
        );
    }

    #[test]
    fn a_batch_ships_once_every_card_is_reported() {
        assert!(BatchStatus::Open.ship(1, 5).is_err());
        assert_eq!(BatchStatus::Open.ship(0, 0), Ok(BatchStatus::Closed));
        assert_eq!(BatchStatus::Open.ship(0, 997), Ok(BatchStatus::Shipped));
        assert!(BatchStatus::Shipped.ship(0, 997).is_err());
        assert_eq!(
            BatchStatus::Open.ship(1, 5).unwrap_err().code(),
            "wrong_state"
        );
    }
}
