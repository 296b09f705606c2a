//! Requests the tests send again and again, each built in one place with the harness's
//! region (330100), holder and PINs.

use shebao_app::card::{
    ActivateRequest, LossReport, PinRequest, ReadyRequest, TemporaryCardRequest,
};
use shebao_app::insurance::pensions::{AwardRequest, PayoutRequest};
use shebao_app::insurance::{NewEnrolment, PaymentRequest};
use shebao_app::medical::BillLineRequest;
use shebao_app::money::approvals::RejectionRequest;
use shebao_app::money::{CashRequest, CreditRequest, ReversalRequest};

use crate::harness::{FINANCIAL_PIN, HOLDER_ID, SOCIAL_PIN};

/// Cash of `amount_fen` over the counter, without a PIN (a deposit).
pub fn cash(amount_fen: i64) -> CashRequest {
    CashRequest {
        amount_fen,
        pin: None,
        memo: None,
    }
}

/// Cash of `amount_fen` paid out against the holder's [`FINANCIAL_PIN`] (a withdrawal).
pub fn cash_with_pin(amount_fen: i64) -> CashRequest {
    CashRequest {
        pin: Some(FINANCIAL_PIN.into()),
        ..cash(amount_fen)
    }
}

/// A credit of `kind` ("pension", "benefit") of `amount_fen` in 330100, without a memo.
pub fn credit_request(kind: &str, amount_fen: i64) -> CreditRequest {
    CreditRequest {
        kind: kind.into(),
        amount_fen,
        region: "330100".into(),
        memo: None,
    }
}

/// A rejection of an approval request for `reason`.
pub fn rejection(reason: &str) -> RejectionRequest {
    RejectionRequest {
        reason: reason.into(),
    }
}

/// A reversal for `reason`.
pub fn reversal(reason: &str) -> ReversalRequest {
    ReversalRequest {
        reason: reason.into(),
    }
}

/// `pin` checked where the card was issued.
pub fn pin(pin: &str) -> PinRequest {
    PinRequest {
        pin: pin.into(),
        region: None,
    }
}

/// `pin` checked at a counter of `region`.
pub fn pin_in(pin: &str, region: &str) -> PinRequest {
    PinRequest {
        pin: pin.into(),
        region: Some(region.into()),
    }
}

/// A card made ready for collection at `distribution_point`.
pub fn ready_at(distribution_point: &str) -> ReadyRequest {
    ReadyRequest {
        distribution_point: distribution_point.into(),
    }
}

/// The financial side's activation: the holder `citizen_id` shows the ID card and sets
/// [`FINANCIAL_PIN`].
pub fn activation(citizen_id: &str) -> ActivateRequest {
    ActivateRequest {
        citizen_id: citizen_id.into(),
        pin: FINANCIAL_PIN.into(),
    }
}

/// A loss of the `side` ("social", "financial") of `kind` ("temporary", "formal").
pub fn loss(side: &str, kind: &str) -> LossReport {
    LossReport {
        side: side.into(),
        kind: kind.into(),
    }
}

/// A temporary card in 330100 for `person`, the holder [`HOLDER_ID`] with [`SOCIAL_PIN`].
pub fn temporary_card(person: &str) -> TemporaryCardRequest {
    TemporaryCardRequest {
        person_id: person.into(),
        region: "330100".into(),
        citizen_id: HOLDER_ID.into(),
        social_pin: SOCIAL_PIN.into(),
    }
}

/// `person` enrolled as an employee of `employer` from `start_month`.
pub fn employee(person: &str, employer: &str, start_month: &str) -> NewEnrolment {
    NewEnrolment {
        person_id: person.into(),
        kind: "employee".into(),
        employer_id: Some(employer.into()),
        region: None,
        start_month: start_month.into(),
    }
}

/// A bill line: `quantity` of item `code` at `unit_price_fen`.
pub fn line(code: &str, quantity: u32, unit_price_fen: i64) -> BillLineRequest {
    BillLineRequest {
        code: code.into(),
        quantity,
        unit_price_fen,
    }
}

/// The payment of the contributions of `month`.
pub fn payment(month: &str) -> PaymentRequest {
    PaymentRequest {
        month: month.into(),
    }
}

/// A pension award in the retirement `category` ("male", "female-55", "female-50").
pub fn pension_award(category: &str) -> AwardRequest {
    AwardRequest {
        category: category.into(),
    }
}

/// The pension payout of `month` in 330100.
pub fn payout(month: &str) -> PayoutRequest {
    PayoutRequest {
        region: "330100".into(),
        month: month.into(),
    }
}

/// The reason a test states for undoing a settlement.
pub fn undo_reason() -> shebao_app::medical::UndoRequest {
    shebao_app::medical::UndoRequest {
        reason: "bill entered twice".into(),
    }
}
