//! The double-entry ledger's rules: positive integer amounts in fen, transfer codes, system
//! accounts striped so that no single row is hot, and reversals as the only correction.

use crate::Refusal;

/// A positive amount of fen, no larger than the region's single-operation limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Amount(i64);

impl Amount {
    pub fn new(fen: i64, max_fen: i64) -> Result<Amount, Refusal> {
        if fen > 0 && fen <= max_fen {
            Ok(Amount(fen))
        } else {
            Err(Refusal::InvalidAmount)
        }
    }

    pub fn fen(self) -> i64 {
        self.0
    }
}

/// Why money moved. Stored as text; never renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferCode {
    CashDeposit,
    CashWithdrawal,
    Purchase,
    PensionCredit,
    BenefitCredit,
    Transfer,
    Reversal,
    /// A social-insurance contribution arriving in a fund or personal account.
    Contribution,
    /// Yearly interest credited to a personal pension account.
    Interest,
    /// A medical bill's fund or personal-account share, owed to the institution.
    MedicalSettlement,
    /// What a person owes back to a fund (a benefit paid wrongly, a fine), booked against
    /// the person's receivable account.
    Receivable,
}

impl TransferCode {
    pub const ALL: [TransferCode; 11] = [
        TransferCode::CashDeposit,
        TransferCode::CashWithdrawal,
        TransferCode::Purchase,
        TransferCode::PensionCredit,
        TransferCode::BenefitCredit,
        TransferCode::Transfer,
        TransferCode::Reversal,
        TransferCode::Contribution,
        TransferCode::Interest,
        TransferCode::MedicalSettlement,
        TransferCode::Receivable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TransferCode::CashDeposit => "cash_deposit",
            TransferCode::CashWithdrawal => "cash_withdrawal",
            TransferCode::Purchase => "purchase",
            TransferCode::PensionCredit => "pension_credit",
            TransferCode::BenefitCredit => "benefit_credit",
            TransferCode::Transfer => "transfer",
            TransferCode::Reversal => "reversal",
            TransferCode::Contribution => "contribution",
            TransferCode::Interest => "interest",
            TransferCode::MedicalSettlement => "medical_settlement",
            TransferCode::Receivable => "receivable",
        }
    }

    pub fn parse(input: &str) -> Option<TransferCode> {
        TransferCode::ALL
            .into_iter()
            .find(|code| code.as_str() == input)
    }
}

/// How many stripes each system account is split into. Money moving through a bank's cash
/// or a fund spreads over this many rows, so concurrent writers rarely meet on one.
pub const SYSTEM_STRIPES: u32 = 16;

/// Picks a stripe from any key (an idempotency key, say) with FNV-1a: stable across runs
/// and platforms, unlike `std`'s randomly seeded hasher.
pub fn stripe_of(key: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in key.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % SYSTEM_STRIPES
}

/// The system (non-holder) ledger accounts. Their balances may go negative: they mirror
/// money that sits outside the ledger (cash in a drawer, a fund's bank balance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SystemAccount {
    /// Cash at a bank's counters.
    BankCash { bank: String },
    /// A social-security fund paying benefits in a region (`fund` is e.g. "pension").
    Fund { region: String, fund: String },
    /// A merchant's settlement account at the acquiring bank.
    Merchant { merchant: String },
    /// An insurance's pooled fund in a region (`insurance` is e.g. "pension").
    Pool { region: String, insurance: String },
    /// Money an employer (or a flexible worker at the window) pays in from outside.
    Payer { payer: String },
    /// What the insurance owes a designated hospital or pharmacy.
    Institution { institution: String },
    /// What a fund owes a vocational-training provider (subsidies paid to the provider).
    TrainingProvider { provider: String },
}

impl SystemAccount {
    /// The ledger account id of one stripe of this system account.
    pub fn ledger_id(&self, stripe: u32) -> String {
        match self {
            SystemAccount::BankCash { bank } => format!("sys:cash:{bank}:{stripe:02}"),
            SystemAccount::Fund { region, fund } => format!("sys:fund:{region}:{fund}:{stripe:02}"),
            SystemAccount::Merchant { merchant } => format!("sys:merchant:{merchant}:{stripe:02}"),
            SystemAccount::Pool { region, insurance } => {
                format!("sys:pool:{region}:{insurance}:{stripe:02}")
            }
            SystemAccount::Payer { payer } => format!("sys:payer:{payer}:{stripe:02}"),
            SystemAccount::Institution { institution } => {
                format!("sys:institution:{institution}:{stripe:02}")
            }
            SystemAccount::TrainingProvider { provider } => {
                format!("sys:provider:{provider}:{stripe:02}")
            }
        }
    }
}

/// What a person owes a fund (`kind`: `unemployment`): a system account that goes below
/// zero by what is owed and back up as it is repaid.
pub fn receivable_account(kind: &str, person: &str) -> String {
    format!("receivable:{kind}:{person}")
}

/// A person's personal account (`pension` or `medical`): notional money that belongs to
/// the person, so like a holder account it never goes below zero.
pub fn personal_account(kind: &str, person: &str) -> String {
    format!("personal:{kind}:{person}")
}

/// A debit may take a holder account only down to zero; system accounts may go negative.
pub fn check_debit(balance_fen: i64, allow_negative: bool, amount: Amount) -> Result<(), Refusal> {
    if allow_negative || balance_fen >= amount.fen() {
        Ok(())
    } else {
        Err(Refusal::InsufficientFunds)
    }
}

/// A reversal swaps the original's accounts; reversals themselves are final.
pub fn check_reversible(code: TransferCode, already_reversed: bool) -> Result<(), Refusal> {
    if code == TransferCode::Reversal {
        return Err(Refusal::CannotReverseReversal);
    }
    if already_reversed {
        return Err(Refusal::AlreadyReversed);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_positive_and_bounded() {
        assert_eq!(Amount::new(0, 100), Err(Refusal::InvalidAmount));
        assert_eq!(Amount::new(-5, 100), Err(Refusal::InvalidAmount));
        assert_eq!(Amount::new(101, 100), Err(Refusal::InvalidAmount));
        assert_eq!(Amount::new(100, 100).map(Amount::fen), Ok(100));
    }

    #[test]
    fn stripes_are_stable_and_in_range() {
        assert_eq!(stripe_of("abc"), stripe_of("abc"));
        assert!((0..1000).all(|n| stripe_of(&n.to_string()) < SYSTEM_STRIPES));
        let used: std::collections::HashSet<u32> =
            (0..1000).map(|n| stripe_of(&n.to_string())).collect();
        assert_eq!(used.len(), SYSTEM_STRIPES as usize);
    }

    #[test]
    fn a_holder_account_cannot_go_below_zero() {
        let ten = Amount::new(10, 100).unwrap_or(Amount(1));
        assert_eq!(check_debit(9, false, ten), Err(Refusal::InsufficientFunds));
        assert_eq!(check_debit(10, false, ten), Ok(()));
        assert_eq!(check_debit(-50, true, ten), Ok(()));
    }

    #[test]
    fn reversals_are_final_and_single() {
        assert_eq!(
            check_reversible(TransferCode::Reversal, false),
            Err(Refusal::CannotReverseReversal)
        );
        assert_eq!(
            check_reversible(TransferCode::Purchase, true),
            Err(Refusal::AlreadyReversed)
        );
        assert_eq!(check_reversible(TransferCode::Purchase, false), Ok(()));
    }

    #[test]
    fn codes_round_trip() {
        for code in TransferCode::ALL {
            assert_eq!(TransferCode::parse(code.as_str()), Some(code));
        }
    }
}
