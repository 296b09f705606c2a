//! Why the domain refuses an action. Each refusal has a stable machine code that clients
//! branch on; the HTTP layer maps it to a status once.

use std::fmt;

/// A rule of the domain said no. The codes are part of the public API: never rename one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The action is not allowed from the card's current state.
    InvalidCardState {
        action: &'static str,
        state: &'static str,
    },
    /// The card was replaced by another card and is dead for ever.
    CardReplaced,
    /// The card was cancelled.
    CardCancelled,
    /// The card's validity ended.
    CardExpired,
    /// The card has not been collected by its holder yet.
    CardNotCollected,
    /// A temporary card was given back when the real card was collected.
    CardReturned,
    /// The side of the card in question is reported lost.
    CardLost { side: &'static str },
    /// Un-reporting or changing a loss that was never reported.
    NotLost { side: &'static str },
    /// Replacement needs a formal loss report first.
    ReplacementNeedsFormalLoss,
    /// The person already has a card that is valid or being made.
    CardAlreadyExists,
    /// A temporary card has no financial function.
    TemporaryCardNoFinancialFunction,
    /// A temporary card works only in its issuing region.
    OutsideIssuingRegion,
    /// The identity document presented does not match the registered person.
    IdentityMismatch,
    /// Only a branch of the card's own bank may do this.
    WrongBank,
    /// The financial account is deposit-only: money in, nothing out.
    DepositOnly,
    /// The financial account was already activated.
    AlreadyActivated,
    /// The account is closed.
    AccountClosed,
    /// The region does not accept credits to deposit-only accounts.
    CreditsRefusedWhileDepositOnly,
    /// Not enough money.
    InsufficientFunds,
    /// The PIN entered is wrong; `retries_left` more wrong entries lock it.
    PinIncorrect { retries_left: u32 },
    /// Too many wrong PINs: locked until authorised staff unlock it.
    PinLocked { side: &'static str },
    /// The PIN was never set.
    PinNotSet,
    /// The PIN is not six digits.
    PinFormat,
    /// The chosen PIN is too easy to guess.
    PinWeak { reason: &'static str },
    /// The unlock was asked for a PIN that is not locked.
    PinNotLocked,
    /// Money remains in the account: settle it before cancelling.
    BalanceRemaining { balance_fen: i64 },
    /// An amount must be a positive number of fen within the single-operation limit.
    InvalidAmount,
    /// The transfer was already reversed.
    AlreadyReversed,
    /// A reversal cannot itself be reversed; post a new transfer instead.
    CannotReverseReversal,
    /// The person who asked for a change may not approve or reject it themself.
    ApprovalByMaker,
    /// The approval request was already approved or rejected.
    ApprovalNotPending,
    /// The approval request lapsed before anyone decided it.
    ApprovalExpired,
    /// Region parameters out of their legal range.
    InvalidParameters { reason: &'static str },
}

impl Refusal {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::InvalidCardState { .. } => "invalid_card_state",
            Refusal::CardReplaced => "card_replaced",
            Refusal::CardCancelled => "card_cancelled",
            Refusal::CardExpired => "card_expired",
            Refusal::CardNotCollected => "card_not_collected",
            Refusal::CardReturned => "card_returned",
            Refusal::CardLost { .. } => "card_lost",
            Refusal::NotLost { .. } => "not_lost",
            Refusal::ReplacementNeedsFormalLoss => "replacement_needs_formal_loss",
            Refusal::CardAlreadyExists => "card_already_exists",
            Refusal::TemporaryCardNoFinancialFunction => "temporary_card_no_financial_function",
            Refusal::OutsideIssuingRegion => "outside_issuing_region",
            Refusal::IdentityMismatch => "identity_mismatch",
            Refusal::WrongBank => "wrong_bank",
            Refusal::DepositOnly => "deposit_only",
            Refusal::AlreadyActivated => "already_activated",
            Refusal::AccountClosed => "account_closed",
            Refusal::CreditsRefusedWhileDepositOnly => "credits_refused_while_deposit_only",
            Refusal::InsufficientFunds => "insufficient_funds",
            Refusal::PinIncorrect { .. } => "pin_incorrect",
            Refusal::PinLocked { .. } => "pin_locked",
            Refusal::PinNotSet => "pin_not_set",
            Refusal::PinFormat => "pin_format",
            Refusal::PinWeak { .. } => "pin_weak",
            Refusal::PinNotLocked => "pin_not_locked",
            Refusal::BalanceRemaining { .. } => "balance_remaining",
            Refusal::InvalidAmount => "invalid_amount",
            Refusal::AlreadyReversed => "already_reversed",
            Refusal::CannotReverseReversal => "cannot_reverse_reversal",
            Refusal::ApprovalByMaker => "approval_by_maker",
            Refusal::ApprovalNotPending => "approval_not_pending",
            Refusal::ApprovalExpired => "approval_expired",
            Refusal::InvalidParameters { .. } => "invalid_parameters",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::InvalidCardState { action, state } => {
                write!(f, "a card that is {state} cannot be {action}")
            }
            Refusal::CardReplaced => f.write_str("this card was replaced and no longer works"),
            Refusal::CardCancelled => f.write_str("this card was cancelled"),
            Refusal::CardExpired => f.write_str("this card has expired"),
            Refusal::CardNotCollected => f.write_str("this card has not been collected yet"),
            Refusal::CardReturned => f.write_str("this temporary card was returned"),
            Refusal::CardLost { side } => write!(f, "the {side} side of this card is reported lost"),
            Refusal::NotLost { side } => write!(f, "the {side} side of this card is not reported lost"),
            Refusal::ReplacementNeedsFormalLoss => {
                f.write_str("a replacement needs a formal loss report first")
            }
            Refusal::CardAlreadyExists => {
                f.write_str("this person already has a card that is valid or being made")
            }
            Refusal::TemporaryCardNoFinancialFunction => {
                f.write_str("a temporary card has no financial function")
            }
            Refusal::OutsideIssuingRegion => {
                f.write_str("a temporary card works only in its issuing region")
            }
            Refusal::IdentityMismatch => {
                f.write_str("the identity document does not match the cardholder")
            }
            Refusal::WrongBank => f.write_str("only a branch of the card's own bank may do this"),
            Refusal::DepositOnly => f.write_str(
                "the financial account is deposit-only until the holder activates it at a branch of the card's bank",
            ),
            Refusal::AlreadyActivated => f.write_str("the financial account is already active"),
            Refusal::AccountClosed => f.write_str("the financial account is closed"),
            Refusal::CreditsRefusedWhileDepositOnly => f.write_str(
                "this region does not accept credits to a deposit-only account",
            ),
            Refusal::InsufficientFunds => f.write_str("the balance does not cover the amount"),
            Refusal::PinIncorrect { retries_left } => {
                write!(f, "the PIN is incorrect; {retries_left} tries left before it locks")
            }
            Refusal::PinLocked { side } => write!(
                f,
                "the {side} PIN is locked after too many wrong entries; staff must unlock it"
            ),
            Refusal::PinNotSet => f.write_str("no PIN has been set"),
            Refusal::PinFormat => f.write_str("a PIN is exactly six digits"),
            Refusal::PinWeak { reason } => write!(f, "the PIN is too easy to guess: {reason}"),
            Refusal::PinNotLocked => f.write_str("the PIN is not locked"),
            Refusal::BalanceRemaining { balance_fen } => write!(
                f,
                "the account still holds {balance_fen} fen; settle it before cancelling"
            ),
            Refusal::InvalidAmount => f.write_str(
                "an amount must be a positive whole number of fen within the single-operation limit",
            ),
            Refusal::AlreadyReversed => f.write_str("this transfer was already reversed"),
            Refusal::CannotReverseReversal => f.write_str("a reversal cannot be reversed"),
            Refusal::ApprovalByMaker => {
                f.write_str("a second person must decide: the maker cannot approve or reject")
            }
            Refusal::ApprovalNotPending => f.write_str("this request was already decided"),
            Refusal::ApprovalExpired => {
                f.write_str("this request lapsed undecided; enter it again if still wanted")
            }
            Refusal::InvalidParameters { reason } => write!(f, "invalid parameters: {reason}"),
        }
    }
}

impl std::error::Error for Refusal {}
