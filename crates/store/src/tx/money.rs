//! Money: the financial accounts behind cards; the double-entry ledger (in [`ledger`]) and
//! maker-checker approvals (in [`approvals`]).

use shebao_domain::card::pin::{PinCounter, PinVerificationValue};
use shebao_domain::ids::{AccountId, BankId, BranchId, PersonId};
use shebao_domain::money::account::{Account, AccountStatus};
use shebao_domain::time::Timestamp;

use super::{Tx, accessors};
use crate::codec::{Cols, columns, id_val};
use crate::{StoreError, Val};

mod approvals;
mod group;
mod ledger;

pub use group::MoneyGroup;

columns! {
    /// The columns of a financial account.
    mod accounts: Account = account_from {
        id, person_id, bank_id, status, pin_vv, pin_failures, pin_locked, pin_failure_day,
        opened_at, activated_at, activated_branch, version,
    }
}

fn account_from(c: &Cols<'_>) -> Result<Account, StoreError> {
    use accounts::*;
    Ok(Account {
        id: AccountId::new(c.text(id)?),
        person_id: PersonId::new(c.text(person_id)?),
        bank_id: BankId::new(c.text(bank_id)?),
        status: c.parsed(status, AccountStatus::parse)?,
        pin: c.opt_text(pin_vv)?.map(PinVerificationValue::new),
        pin_counter: PinCounter {
            failures: c.u32(pin_failures)?,
            locked: c.int(pin_locked)? != 0,
        },
        pin_failure_day: c.opt_date(pin_failure_day)?,
        opened_at: c.time(opened_at)?,
        activated_at: c.opt_time(activated_at)?,
        activated_branch: c.opt_text(activated_branch)?.map(BranchId::new),
        version: c.int(version)?,
    })
}

/// An account's values in the order of [`accounts::LIST`], without its version.
fn account_vals(account: &Account) -> Vec<Val> {
    vec![
        account.id.as_str().into(),
        account.person_id.as_str().into(),
        account.bank_id.as_str().into(),
        account.status.as_str().into(),
        id_val(account.pin.as_ref().map(PinVerificationValue::as_str)),
        i64::from(account.pin_counter.failures).into(),
        account.pin_counter.locked.into(),
        account.pin_failure_day.map(|d| d.to_string()).into(),
        account.opened_at.unix_seconds().into(),
        account.activated_at.map(Timestamp::unix_seconds).into(),
        id_val(account.activated_branch.as_ref().map(BranchId::as_str)),
    ]
}

impl Tx<'_> {
    /// Opens a financial account and its ledger account (balance zero, never negative).
    pub fn insert_account(&mut self, account: &Account, now: Timestamp) -> Result<(), StoreError> {
        let mut values = account_vals(account);
        values.push(0_i64.into());
        self.insert_record::<Account>(&values)?;
        self.ensure_ledger_account(account.id.as_str(), false, now)
    }

    accessors! {
        pub fn account(id: &AccountId) -> Option<Account> = "WHERE id = $1";
    }

    pub fn update_account(&mut self, account: &Account) -> Result<(), StoreError> {
        self.update_versioned(
            "account",
            "UPDATE accounts SET person_id = $2, bank_id = $3, status = $4, pin_vv = $5, pin_failures = $6, \
             pin_locked = $7, pin_failure_day = $8, opened_at = $9, activated_at = $10, activated_branch = $11, \
             version = version + 1 WHERE id = $1 AND version = $12",
            account_vals(account),
            account.version,
        )
    }
}
