//! What the engine decides on, kept in memory: cards, accounts, ledger balances, audit chain
//! heads, region parameters and persons' credit totals of the day. Each entry is loaded on
//! first use from the transaction the group runs in, and is dropped whenever it may no longer
//! equal what is committed:
//! - a table written by anyone but the engine since the last group (the group writer watches
//!   every statement: [`shebao_store::Touched`]) drops that table's entries;
//! - another process's commit (SQLite tells; PostgreSQL cannot, so there every group starts
//!   empty) drops everything;
//! - a group that did not commit, or whose outcome is unknown, drops everything.
//!
//! A table holding more than [`ENTRIES_MAX`] entries when a group begins is emptied (it
//! refills from the store on use); nothing is dropped while a group runs, since the group's
//! writes are read from here at its end.

use std::collections::HashMap;
use std::sync::Arc;

use shebao_domain::card::Card;
use shebao_domain::ids::{AccountId, CardId, RegionCode, UserId};
use shebao_domain::money::account::Account;
use shebao_domain::reference::region::RegionParameters;
use shebao_domain::time::{Date, Timestamp};
use shebao_store::{Touched, Tx};

use crate::{App, AppError};

/// Most entries of one table of the state.
pub(super) const ENTRIES_MAX: usize = 250_000;

/// A ledger account as the engine moves it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ledger {
    pub balance_fen: i64,
    pub allow_negative: bool,
    pub entries: i64,
    /// Its entry count in the database (before this group's writes).
    pub entries_stored: i64,
    /// Whether its row exists in the database yet.
    pub stored: bool,
}

impl Ledger {
    /// A ledger account as the database holds it.
    fn stored(balance: shebao_store::LedgerBalance) -> Ledger {
        Ledger {
            balance_fen: balance.balance_fen,
            allow_negative: balance.allow_negative,
            entries: balance.entries,
            entries_stored: balance.entries,
            stored: true,
        }
    }
}

/// An audit chain's head.
#[derive(Debug, Clone)]
pub(super) struct Head {
    pub seq: i64,
    pub hash: String,
    /// Its sequence number in the database (before this group's writes).
    pub seq_stored: i64,
}

#[derive(Default)]
pub(super) struct HotState {
    /// A group was applied and its commit not yet confirmed.
    unconfirmed: bool,
    cards: HashMap<CardId, Arc<Card>>,
    accounts: HashMap<AccountId, Arc<Account>>,
    ledger: HashMap<String, Ledger>,
    heads: HashMap<u32, Head>,
    /// Each region's parameters in force during one minute (Unix minute).
    params: HashMap<RegionCode, (i64, RegionParameters)>,
    /// A person's credits by hand on one day of a region.
    manual: HashMap<(UserId, Date), i64>,
}

/// The entry under `id`, loaded with `load` on first use (a row that is not there is not
/// remembered: it is looked for again).
fn cached<K: std::hash::Hash + Eq + Clone, V>(
    map: &mut HashMap<K, Arc<V>>,
    id: &K,
    load: impl FnOnce() -> Result<Option<V>, shebao_store::StoreError>,
) -> Result<Option<Arc<V>>, AppError> {
    if let Some(found) = map.get(id) {
        return Ok(Some(Arc::clone(found)));
    }
    let loaded = load()?.map(Arc::new);
    if let Some(value) = &loaded {
        map.insert(id.clone(), Arc::clone(value));
    }
    Ok(loaded)
}

/// Empties a table holding more than [`ENTRIES_MAX`] entries.
fn bound<K, V>(map: &mut HashMap<K, V>) {
    if map.len() > ENTRIES_MAX {
        *map = HashMap::new();
    }
}

impl HotState {
    /// Starts a group in `tx`: drops what may be stale, and marks the state unconfirmed
    /// until [`HotState::confirmed`].
    pub(super) fn begin(&mut self, tx: &mut Tx<'_>) -> Result<(), AppError> {
        let touched = tx.take_touched();
        let elsewhere = tx.written_elsewhere()?;
        if self.unconfirmed || elsewhere || touched == Touched::ALL {
            self.clear();
        } else {
            if touched.any(Touched::CARDS) {
                self.cards.clear();
            }
            if touched.any(Touched::ACCOUNTS) {
                self.accounts.clear();
            }
            if touched.any(Touched::LEDGER_ACCOUNTS) {
                self.ledger.clear();
            }
            if touched.any(Touched::AUDIT_HEADS) {
                self.heads.clear();
            }
            if touched.any(Touched::REGION_PARAMETERS) {
                self.params.clear();
            }
            if touched.any(Touched::MANUAL_CREDIT_DAYS) {
                self.manual.clear();
            }
        }
        bound(&mut self.cards);
        bound(&mut self.accounts);
        bound(&mut self.ledger);
        bound(&mut self.params);
        bound(&mut self.manual);
        self.unconfirmed = true;
        Ok(())
    }

    /// The group begun last has committed.
    pub(super) fn confirmed(&mut self) {
        self.unconfirmed = false;
    }

    /// Forgets everything.
    pub(super) fn clear(&mut self) {
        *self = HotState::default();
    }

    pub(super) fn card(
        &mut self,
        tx: &mut Tx<'_>,
        id: &CardId,
    ) -> Result<Option<Arc<Card>>, AppError> {
        cached(&mut self.cards, id, || tx.card(id))
    }

    pub(super) fn account(
        &mut self,
        tx: &mut Tx<'_>,
        id: &AccountId,
    ) -> Result<Option<Arc<Account>>, AppError> {
        cached(&mut self.accounts, id, || tx.account(id))
    }

    /// Saves an account changed by a command (a PIN count): written with the group, its
    /// version one more once written.
    pub(super) fn set_account(&mut self, account: Account) {
        self.accounts.insert(account.id.clone(), Arc::new(account));
    }

    /// An account as written: its stored version moved on by one.
    pub(super) fn account_written(&mut self, id: &AccountId) {
        if let Some(account) = self.accounts.get_mut(id) {
            Arc::make_mut(account).version += 1;
        }
    }

    pub(super) fn ledger(&mut self, tx: &mut Tx<'_>, id: &str) -> Result<Option<Ledger>, AppError> {
        if let Some(ledger) = self.ledger.get(id) {
            return Ok(Some(*ledger));
        }
        let Some(stored) = tx.ledger_balance(id)? else {
            return Ok(None);
        };
        let ledger = Ledger::stored(stored);
        self.ledger.insert(id.to_owned(), ledger);
        Ok(Some(ledger))
    }

    /// Sets a ledger account's state after a posting.
    pub(super) fn set_ledger(&mut self, id: &str, ledger: Ledger) {
        self.ledger.insert(id.to_owned(), ledger);
    }

    pub(super) fn ledger_of(&self, id: &str) -> Option<Ledger> {
        self.ledger.get(id).copied()
    }

    /// A ledger account as written: stored, with the entries it has now.
    pub(super) fn ledger_written(&mut self, id: &str) {
        if let Some(ledger) = self.ledger.get_mut(id) {
            ledger.entries_stored = ledger.entries;
            ledger.stored = true;
        }
    }

    pub(super) fn head(&mut self, tx: &mut Tx<'_>, chain: u32) -> Result<Head, AppError> {
        if let Some(head) = self.heads.get(&chain) {
            return Ok(head.clone());
        }
        let (seq, hash) = tx.audit_head(chain)?;
        let head = Head {
            seq,
            hash,
            seq_stored: seq,
        };
        self.heads.insert(chain, head.clone());
        Ok(head)
    }

    pub(super) fn set_head(&mut self, chain: u32, head: Head) {
        self.heads.insert(chain, head);
    }

    pub(super) fn head_of(&self, chain: u32) -> Option<&Head> {
        self.heads.get(&chain)
    }

    pub(super) fn head_written(&mut self, chain: u32) {
        if let Some(head) = self.heads.get_mut(&chain) {
            head.seq_stored = head.seq;
        }
    }

    /// The parameters in force in `region` at `now` ([`App::parameters_in`]), read once a
    /// minute: a version takes effect at a region's midnight, which falls on a whole UTC
    /// minute.
    pub(super) fn params(
        &mut self,
        tx: &mut Tx<'_>,
        region: &RegionCode,
        now: Timestamp,
    ) -> Result<RegionParameters, AppError> {
        let minute = now.unix_seconds().div_euclid(60);
        if let Some((at, params)) = self.params.get(region)
            && *at == minute
        {
            return Ok(params.clone());
        }
        let params = App::parameters_in(tx, region, now)?;
        self.params.insert(region.clone(), (minute, params.clone()));
        Ok(params)
    }

    /// A person's credits by hand on `day`.
    pub(super) fn manual_total(
        &mut self,
        tx: &mut Tx<'_>,
        user: &UserId,
        day: Date,
    ) -> Result<i64, AppError> {
        let key = (user.clone(), day);
        if let Some(total) = self.manual.get(&key) {
            return Ok(*total);
        }
        let total = tx.manual_credit_total(user, day)?;
        self.manual.insert(key, total);
        Ok(total)
    }

    pub(super) fn add_manual(&mut self, user: &UserId, day: Date, amount_fen: i64) {
        if let Some(total) = self.manual.get_mut(&(user.clone(), day)) {
            *total += amount_fen;
        }
    }

    /// Takes rows loaded in bulk for a group (PostgreSQL: one query per table), keeping what
    /// the state holds already (which may be newer than the database within a group).
    pub(super) fn preloaded(
        &mut self,
        cards: Vec<Card>,
        accounts: Vec<Account>,
        ledgers: Vec<(String, shebao_store::LedgerBalance)>,
        heads: Vec<(u32, i64, String)>,
    ) {
        for card in cards {
            self.cards
                .entry(card.id.clone())
                .or_insert_with(|| Arc::new(card));
        }
        for account in accounts {
            self.accounts
                .entry(account.id.clone())
                .or_insert_with(|| Arc::new(account));
        }
        for (id, stored) in ledgers {
            self.ledger.entry(id).or_insert(Ledger::stored(stored));
        }
        for (chain, seq, hash) in heads {
            self.heads.entry(chain).or_insert(Head {
                seq,
                hash,
                seq_stored: seq,
            });
        }
    }
}
