//! The financial account a card carries: deposit-only from opening until the holder
//! activates it at a branch of the card's own bank with the original ID card and a PIN.

use crate::Refusal;
use crate::card::pin::{PinCounter, PinVerificationValue};
use crate::card::{Card, Side};
use crate::ids::{AccountId, BankId, BranchId, PersonId};
use crate::money::ledger::Amount;
use crate::reference::region::RegionParameters;
use crate::time::{Date, Timestamp, UtcOffset};

/// "Receive only, pay nothing" until activation (card.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    DepositOnly,
    Active,
    Closed,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::DepositOnly => "deposit_only",
            AccountStatus::Active => "active",
            AccountStatus::Closed => "closed",
        }
    }

    pub fn parse(input: &str) -> Option<AccountStatus> {
        match input {
            "deposit_only" => Some(AccountStatus::DepositOnly),
            "active" => Some(AccountStatus::Active),
            "closed" => Some(AccountStatus::Closed),
            _ => None,
        }
    }
}

/// The financial account. Its balance lives in the ledger; the caller passes it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub person_id: PersonId,
    pub bank_id: BankId,
    pub status: AccountStatus,
    pub pin: Option<PinVerificationValue>,
    pub pin_counter: PinCounter,
    /// The day of the last wrong financial PIN: the count is per day (card.md).
    pub pin_failure_day: Option<Date>,
    pub opened_at: Timestamp,
    pub activated_at: Option<Timestamp>,
    pub activated_branch: Option<BranchId>,
    pub version: i64,
}

impl Account {
    /// Opened deposit-only when the card is first collected.
    pub fn open(id: AccountId, person_id: PersonId, bank_id: BankId, now: Timestamp) -> Account {
        Account {
            id,
            person_id,
            bank_id,
            status: AccountStatus::DepositOnly,
            pin: None,
            pin_counter: PinCounter::default(),
            pin_failure_day: None,
            opened_at: now,
            activated_at: None,
            activated_branch: None,
            version: 0,
        }
    }

    /// Activation in person at a branch of the card's own bank, after the teller checked the
    /// original ID card; the holder's PIN was checked for strength before `pin` was made.
    /// `utc_offset` is the card's region's, whose day the card's expiry counts in.
    #[allow(
        clippy::too_many_arguments,
        reason = "the outcome of the identity check and the time come in as arguments"
    )]
    pub fn activate(
        &self,
        card: &Card,
        branch_bank: &BankId,
        branch: BranchId,
        identity_matches: bool,
        pin: PinVerificationValue,
        now: Timestamp,
        utc_offset: UtcOffset,
    ) -> Result<Account, Refusal> {
        if branch_bank != &self.bank_id {
            return Err(Refusal::WrongBank);
        }
        match self.status {
            AccountStatus::Closed => return Err(Refusal::AccountClosed),
            AccountStatus::Active => return Err(Refusal::AlreadyActivated),
            AccountStatus::DepositOnly => {}
        }
        card.ensure_side_usable(Side::Financial, now, utc_offset)?;
        if !identity_matches {
            return Err(Refusal::IdentityMismatch);
        }
        Ok(Account {
            status: AccountStatus::Active,
            pin: Some(pin),
            pin_counter: PinCounter::default(),
            pin_failure_day: None,
            activated_at: Some(now),
            activated_branch: Some(branch),
            ..self.clone()
        })
    }

    /// Authorises a debit (withdrawal, purchase, transfer out) made with `card`. Returns the
    /// account with its PIN count updated: the caller saves it even on refusal.
    pub fn authorise_debit(
        &self,
        card: &Card,
        pin_matched: bool,
        amount: Amount,
        balance_fen: i64,
        params: &RegionParameters,
        now: Timestamp,
    ) -> (Account, Result<(), Refusal>) {
        let utc_offset = params.utc_offset();
        if let Err(refusal) = self.ensure_debitable(card, now, utc_offset) {
            return (self.clone(), Err(refusal));
        }
        // The financial count is per day, the card's region's day (`params` are the card's
        // region's): a new day forgives earlier wrong entries, unless the PIN already locked.
        let today = now.local_date(utc_offset);
        let counter = if self.pin_counter.locked || self.pin_failure_day == Some(today) {
            self.pin_counter
        } else {
            PinCounter::default()
        };
        let (counter, outcome) =
            counter.record(pin_matched, params.financial_pin_retries_max, "financial");
        let failure_day = if counter.failures > 0 {
            Some(today)
        } else {
            None
        };
        let account = Account {
            pin_counter: counter,
            pin_failure_day: failure_day,
            ..self.clone()
        };
        if outcome.is_err() {
            return (account, outcome);
        }
        if balance_fen < amount.fen() {
            return (account, Err(Refusal::InsufficientFunds));
        }
        (account, Ok(()))
    }

    /// Whether `card` may debit this account now, before any PIN or amount: the card's
    /// financial side usable, the account the card's, active and with a PIN.
    pub fn ensure_debitable(
        &self,
        card: &Card,
        now: Timestamp,
        utc_offset: UtcOffset,
    ) -> Result<(), Refusal> {
        card.ensure_side_usable(Side::Financial, now, utc_offset)?;
        if card.account_id.as_ref() != Some(&self.id) {
            return Err(Refusal::InvalidCardState {
                action: "used for this account",
                state: card.status.as_str(),
            });
        }
        match self.status {
            AccountStatus::Closed => Err(Refusal::AccountClosed),
            AccountStatus::DepositOnly => Err(Refusal::DepositOnly),
            AccountStatus::Active if self.pin.is_none() => Err(Refusal::PinNotSet),
            AccountStatus::Active => Ok(()),
        }
    }

    /// Credits (pension, benefits, deposits, transfers in) are accepted while deposit-only
    /// unless the region's policy says otherwise.
    pub fn accept_credit(&self, params: &RegionParameters) -> Result<(), Refusal> {
        match self.status {
            AccountStatus::Closed => Err(Refusal::AccountClosed),
            AccountStatus::DepositOnly if !params.deposit_only_accepts_credits => {
                Err(Refusal::CreditsRefusedWhileDepositOnly)
            }
            AccountStatus::DepositOnly | AccountStatus::Active => Ok(()),
        }
    }

    /// Unlocks the financial PIN at a counter of the account's own bank.
    pub fn unlock_pin(&self, branch_bank: &BankId) -> Result<Account, Refusal> {
        if branch_bank != &self.bank_id {
            return Err(Refusal::WrongBank);
        }
        let counter = self.pin_counter.unlock()?;
        Ok(Account {
            pin_counter: counter,
            pin_failure_day: None,
            ..self.clone()
        })
    }

    /// Closes the account with its card's cancellation; refused while money remains.
    pub fn close(&self, balance_fen: i64) -> Result<Account, Refusal> {
        if self.status == AccountStatus::Closed {
            return Err(Refusal::AccountClosed);
        }
        if balance_fen != 0 {
            return Err(Refusal::BalanceRemaining { balance_fen });
        }
        Ok(Account {
            status: AccountStatus::Closed,
            ..self.clone()
        })
    }
}
