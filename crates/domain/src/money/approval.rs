//! Maker-checker (issue 13, finding 9): money a person moves on their own authority is
//! bounded per credit and per day by the region's parameters; beyond those bounds, and for
//! every reversal, the change waits as a request until a second person of the same
//! organisation approves or rejects it. Pure rules; the application stores the requests.

use crate::Refusal;
use crate::reference::region::RegionParameters;
use crate::time::Timestamp;

/// Why a change waits for a second person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalReason {
    /// One credit above `manual_credit_approval_above_fen`.
    AboveSingleLimit,
    /// The maker's credits of the day would pass `manual_credit_daily_max_fen`.
    AboveDailyLimit,
    /// Every reversal.
    Reversal,
}

impl ApprovalReason {
    pub const fn as_str(self) -> &'static str {
        match self {
            ApprovalReason::AboveSingleLimit => "above_single_limit",
            ApprovalReason::AboveDailyLimit => "above_daily_limit",
            ApprovalReason::Reversal => "reversal",
        }
    }

    pub fn parse(input: &str) -> Option<ApprovalReason> {
        [
            ApprovalReason::AboveSingleLimit,
            ApprovalReason::AboveDailyLimit,
            ApprovalReason::Reversal,
        ]
        .into_iter()
        .find(|reason| reason.as_str() == input)
    }
}

/// Where a request stands. A request past its expiry that nobody decided is shown as
/// lapsed, but never changes: it simply can no longer be decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalStatus {
    Pending,
    Approved,
    Rejected,
}

impl ApprovalStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            ApprovalStatus::Pending => "pending",
            ApprovalStatus::Approved => "approved",
            ApprovalStatus::Rejected => "rejected",
        }
    }

    pub fn parse(input: &str) -> Option<ApprovalStatus> {
        [
            ApprovalStatus::Pending,
            ApprovalStatus::Approved,
            ApprovalStatus::Rejected,
        ]
        .into_iter()
        .find(|status| status.as_str() == input)
    }
}

/// Whether a credit of `amount_fen` entered by a person, who has already credited
/// `today_fen` on their own authority today, needs a second person; and why.
pub fn manual_credit_review(
    amount_fen: i64,
    today_fen: i64,
    params: &RegionParameters,
) -> Option<ApprovalReason> {
    if amount_fen > params.manual_credit_approval_above_fen {
        Some(ApprovalReason::AboveSingleLimit)
    } else if today_fen.saturating_add(amount_fen) > params.manual_credit_daily_max_fen {
        Some(ApprovalReason::AboveDailyLimit)
    } else {
        None
    }
}

/// When a request made at `now` lapses.
pub fn expires_at(now: Timestamp, params: &RegionParameters) -> Timestamp {
    now.add_seconds(i64::from(params.approval_request_valid_hours) * 3_600)
}

/// Checks that `decider` may decide a request now: not its maker, still waiting, not lapsed.
/// The maker is told first, whatever the request's state.
pub fn check_decision(
    status: ApprovalStatus,
    expires_at: Timestamp,
    maker: &str,
    decider: &str,
    now: Timestamp,
) -> Result<(), Refusal> {
    if maker == decider {
        return Err(Refusal::ApprovalByMaker);
    }
    if status != ApprovalStatus::Pending {
        return Err(Refusal::ApprovalNotPending);
    }
    if now >= expires_at {
        return Err(Refusal::ApprovalExpired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credit_waits_above_the_single_limit_or_past_the_daily_limit() {
        let params = RegionParameters::common();
        let single = params.manual_credit_approval_above_fen;
        let daily = params.manual_credit_daily_max_fen;
        assert_eq!(manual_credit_review(single, 0, &params), None);
        assert_eq!(
            manual_credit_review(single + 1, 0, &params),
            Some(ApprovalReason::AboveSingleLimit)
        );
        assert_eq!(manual_credit_review(1, daily - 1, &params), None);
        assert_eq!(
            manual_credit_review(2, daily - 1, &params),
            Some(ApprovalReason::AboveDailyLimit)
        );
        assert_eq!(
            manual_credit_review(1, i64::MAX, &params),
            Some(ApprovalReason::AboveDailyLimit)
        );
    }

    #[test]
    fn only_another_person_decides_a_waiting_request_before_it_lapses() {
        let now = Timestamp::from_unix_seconds(1_000_000);
        let expiry = expires_at(now, &RegionParameters::common());
        assert_eq!(expiry.unix_seconds(), 1_000_000 + 72 * 3_600);
        let pending = ApprovalStatus::Pending;
        assert_eq!(check_decision(pending, expiry, "u1", "u2", now), Ok(()));
        assert_eq!(
            check_decision(pending, expiry, "u1", "u1", now),
            Err(Refusal::ApprovalByMaker)
        );
        assert_eq!(
            check_decision(ApprovalStatus::Approved, expiry, "u1", "u2", now),
            Err(Refusal::ApprovalNotPending)
        );
        assert_eq!(
            check_decision(pending, expiry, "u1", "u2", expiry),
            Err(Refusal::ApprovalExpired)
        );
        for reason in ["above_single_limit", "above_daily_limit", "reversal"] {
            assert_eq!(
                ApprovalReason::parse(reason).map(ApprovalReason::as_str),
                Some(reason)
            );
        }
        for status in ["pending", "approved", "rejected"] {
            assert_eq!(
                ApprovalStatus::parse(status).map(ApprovalStatus::as_str),
                Some(status)
            );
        }
    }
}
