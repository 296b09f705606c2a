//! The operations of one transaction, in the domain's words, as portable SQL (`$n`
//! placeholders, BIGINT and TEXT only) that SQLite and PostgreSQL both run.

use shebao_domain::access::Role;
use shebao_domain::account::{Account, AccountStatus};
use shebao_domain::audit::{AuditRecord, ChainStart, record_hash};
use shebao_domain::card::{Card, CardKind, CardStatus, Loss};
use shebao_domain::identity::{CardIdentificationCode, CardNumber, Gender};
use shebao_domain::ids::{
    AccountId, BankId, BranchId, CardId, EmployerId, PersonId, RegionCode, TransferId, UserId,
};
use shebao_domain::ledger::TransferCode;
use shebao_domain::person::HouseholdKind;
use shebao_domain::pin::{PinCounter, PinVerificationValue};
use shebao_domain::time::{Date, Timestamp};

use crate::records::*;
use crate::{Conn, Row, StoreError, Val};

mod approvals;
mod insurance;
mod medical;

/// One open transaction. Any storage error is remembered so the backend can tell a refusal
/// (roll back) from a failure (retry or report).
pub struct Tx<'a> {
    conn: &'a mut dyn Conn,
    failure: Option<StoreError>,
}

/// Reads column `i` of a row as the given kind, naming the column when it does not fit.
struct Cols<'r> {
    row: &'r Row,
    what: &'static str,
}

impl<'r> Cols<'r> {
    fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_int(i)?.ok_or_else(|| self.corrupt(i))
    }

    fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.row.get(i) {
            Some(Val::Int(value)) => Ok(*value),
            Some(Val::Text(None)) => Ok(None),
            _ => Err(self.corrupt(i)),
        }
    }

    fn text(&self, i: usize) -> Result<String, StoreError> {
        self.opt_text(i)?.ok_or_else(|| self.corrupt(i))
    }

    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.row.get(i) {
            Some(Val::Text(value)) => Ok(value.clone()),
            Some(Val::Int(None)) => Ok(None),
            _ => Err(self.corrupt(i)),
        }
    }

    fn time(&self, i: usize) -> Result<Timestamp, StoreError> {
        self.int(i).map(Timestamp::from_unix_seconds)
    }

    fn opt_time(&self, i: usize) -> Result<Option<Timestamp>, StoreError> {
        Ok(self.opt_int(i)?.map(Timestamp::from_unix_seconds))
    }

    fn date(&self, i: usize) -> Result<Date, StoreError> {
        Date::parse_iso(&self.text(i)?).ok_or_else(|| self.corrupt(i))
    }

    fn opt_date(&self, i: usize) -> Result<Option<Date>, StoreError> {
        match self.opt_text(i)? {
            Some(text) => Date::parse_iso(&text)
                .map(Some)
                .ok_or_else(|| self.corrupt(i)),
            None => Ok(None),
        }
    }

    fn parsed<T>(&self, i: usize, parse: impl FnOnce(&str) -> Option<T>) -> Result<T, StoreError> {
        parse(&self.text(i)?).ok_or_else(|| self.corrupt(i))
    }

    fn corrupt(&self, i: usize) -> StoreError {
        StoreError::Corrupt(format!("{} column {i}", self.what))
    }
}

fn id_val(id: Option<&str>) -> Val {
    Val::Text(id.map(str::to_owned))
}

const CARD_COLUMNS: &str = "id, person_id, kind, status, region_code, bank_id, account_id, card_number, \
    identification_code, social_pin_vv, social_pin_failures, social_pin_locked, social_loss, \
    social_loss_expires_at, financial_loss, financial_loss_expires_at, distribution_point, applied_at, \
    collected_at, expires_on, replaces, replaced_by, closed_reason, version";

const ACCOUNT_COLUMNS: &str = "id, person_id, bank_id, status, pin_vv, pin_failures, pin_locked, \
    pin_failure_day, opened_at, activated_at, activated_branch, version";

const PERSON_COLUMNS: &str = "id, citizen_index, citizen_cipher, name_cipher, phone_cipher, gender, \
    birth_date, nationality, household_region, household_kind, registered_at, version";

const USER_COLUMNS: &str = "id, username, password_hash, role, bank_id, branch_id, person_id, \
    failed_logins, locked_until, created_at, employer_id, institution_id";

const AUDIT_COLUMNS: &str =
    "chain, seq, at, actor, action, subject, outcome, detail, prev_hash, hash";

fn loss_vals(loss: Loss) -> (Val, Val) {
    let expires = match loss {
        Loss::Temporary { expires_at } => Some(expires_at.unix_seconds()),
        Loss::None | Loss::Formal => None,
    };
    (Val::from(loss.kind_str()), Val::from(expires))
}

fn loss_from(cols: &Cols<'_>, kind: usize, expires: usize) -> Result<Loss, StoreError> {
    match cols.text(kind)?.as_str() {
        "none" => Ok(Loss::None),
        "formal" => Ok(Loss::Formal),
        "temporary" => Ok(Loss::Temporary {
            expires_at: cols.time(expires)?,
        }),
        _ => Err(cols.corrupt(kind)),
    }
}

fn card_from(row: &Row) -> Result<Card, StoreError> {
    let c = Cols { row, what: "cards" };
    Ok(Card {
        id: CardId::new(c.text(0)?),
        person_id: PersonId::new(c.text(1)?),
        kind: c.parsed(2, CardKind::parse)?,
        status: c.parsed(3, CardStatus::parse)?,
        region: RegionCode::new(c.text(4)?),
        bank_id: c.opt_text(5)?.map(BankId::new),
        account_id: c.opt_text(6)?.map(AccountId::new),
        card_number: c.parsed(7, |s| CardNumber::parse(s).ok())?,
        identification_code: c.parsed(8, |s| CardIdentificationCode::parse(s).ok())?,
        social_pin: c.opt_text(9)?.map(PinVerificationValue::new),
        social_pin_counter: PinCounter {
            failures: u32::try_from(c.int(10)?).map_err(|_| c.corrupt(10))?,
            locked: c.int(11)? != 0,
        },
        social_loss: loss_from(&c, 12, 13)?,
        financial_loss: loss_from(&c, 14, 15)?,
        distribution_point: c.opt_text(16)?,
        applied_at: c.time(17)?,
        collected_at: c.opt_time(18)?,
        expires_on: c.opt_date(19)?,
        replaces: c.opt_text(20)?.map(CardId::new),
        replaced_by: c.opt_text(21)?.map(CardId::new),
        closed_reason: c.opt_text(22)?,
        version: c.int(23)?,
    })
}

fn card_vals(card: &Card) -> Vec<Val> {
    let (social_loss, social_expires) = loss_vals(card.social_loss);
    let (financial_loss, financial_expires) = loss_vals(card.financial_loss);
    vec![
        card.id.as_str().into(),
        card.person_id.as_str().into(),
        card.kind.as_str().into(),
        card.status.as_str().into(),
        card.region.as_str().into(),
        id_val(card.bank_id.as_ref().map(BankId::as_str)),
        id_val(card.account_id.as_ref().map(AccountId::as_str)),
        card.card_number.as_str().into(),
        card.identification_code.as_str().into(),
        id_val(card.social_pin.as_ref().map(PinVerificationValue::as_str)),
        i64::from(card.social_pin_counter.failures).into(),
        card.social_pin_counter.locked.into(),
        social_loss,
        social_expires,
        financial_loss,
        financial_expires,
        card.distribution_point.clone().into(),
        card.applied_at.unix_seconds().into(),
        card.collected_at.map(Timestamp::unix_seconds).into(),
        card.expires_on.map(|d| d.to_string()).into(),
        id_val(card.replaces.as_ref().map(CardId::as_str)),
        id_val(card.replaced_by.as_ref().map(CardId::as_str)),
        card.closed_reason.clone().into(),
    ]
}

fn account_from(row: &Row) -> Result<Account, StoreError> {
    let c = Cols {
        row,
        what: "accounts",
    };
    Ok(Account {
        id: AccountId::new(c.text(0)?),
        person_id: PersonId::new(c.text(1)?),
        bank_id: BankId::new(c.text(2)?),
        status: c.parsed(3, AccountStatus::parse)?,
        pin: c.opt_text(4)?.map(PinVerificationValue::new),
        pin_counter: PinCounter {
            failures: u32::try_from(c.int(5)?).map_err(|_| c.corrupt(5))?,
            locked: c.int(6)? != 0,
        },
        pin_failure_day: c.opt_date(7)?,
        opened_at: c.time(8)?,
        activated_at: c.opt_time(9)?,
        activated_branch: c.opt_text(10)?.map(BranchId::new),
        version: c.int(11)?,
    })
}

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

fn person_from(row: &Row) -> Result<PersonRecord, StoreError> {
    let c = Cols {
        row,
        what: "persons",
    };
    Ok(PersonRecord {
        id: PersonId::new(c.text(0)?),
        citizen_index: c.text(1)?,
        citizen_cipher: c.text(2)?,
        name_cipher: c.text(3)?,
        phone_cipher: c.opt_text(4)?,
        gender: c.parsed(5, Gender::parse)?,
        birth_date: c.date(6)?,
        nationality: c.text(7)?,
        household_region: RegionCode::new(c.text(8)?),
        household_kind: c.parsed(9, HouseholdKind::parse)?,
        registered_at: c.time(10)?,
        version: c.int(11)?,
    })
}

fn user_from(row: &Row) -> Result<UserRecord, StoreError> {
    let c = Cols { row, what: "users" };
    Ok(UserRecord {
        id: UserId::new(c.text(0)?),
        username: c.text(1)?,
        password_hash: c.text(2)?,
        role: c.parsed(3, Role::parse)?,
        bank_id: c.opt_text(4)?.map(BankId::new),
        branch_id: c.opt_text(5)?.map(BranchId::new),
        person_id: c.opt_text(6)?.map(PersonId::new),
        failed_logins: c.int(7)?,
        locked_until: c.opt_time(8)?,
        created_at: c.time(9)?,
        employer_id: c.opt_text(10)?.map(EmployerId::new),
        institution_id: c.opt_text(11)?,
    })
}

fn audit_from(row: &Row) -> Result<AuditRecord, StoreError> {
    let c = Cols {
        row,
        what: "audit_log",
    };
    Ok(AuditRecord {
        chain: u32::try_from(c.int(0)?).map_err(|_| c.corrupt(0))?,
        seq: c.int(1)?,
        at_unix: c.int(2)?,
        actor: c.text(3)?,
        action: c.text(4)?,
        subject: c.text(5)?,
        outcome: c.text(6)?,
        detail: c.text(7)?,
        prev_hash: c.text(8)?,
        hash: c.text(9)?,
    })
}

fn transfer_from(row: &Row) -> Result<TransferRecord, StoreError> {
    let c = Cols {
        row,
        what: "transfers",
    };
    Ok(TransferRecord {
        id: TransferId::new(c.text(0)?),
        code: c.parsed(1, TransferCode::parse)?,
        debit_account: c.text(2)?,
        credit_account: c.text(3)?,
        amount_fen: c.int(4)?,
        reverses: c.opt_text(5)?.map(TransferId::new),
        memo: c.text(6)?,
        actor: c.text(7)?,
        created_at: c.time(8)?,
    })
}

impl<'a> Tx<'a> {
    pub fn new(conn: &'a mut dyn Conn) -> Tx<'a> {
        Tx {
            conn,
            failure: None,
        }
    }

    /// The first storage error met, if any (the backend decides whether to retry).
    pub fn take_failure(&mut self) -> Option<StoreError> {
        self.failure.take()
    }

    fn note<T>(&mut self, result: Result<T, StoreError>) -> Result<T, StoreError> {
        if let Err(error) = &result
            && matches!(
                error,
                StoreError::Retry | StoreError::Unavailable(_) | StoreError::Backend(_)
            )
            && self.failure.is_none()
        {
            self.failure = Some(error.clone());
        }
        result
    }

    fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError> {
        let result = self.conn.execute(sql, params);
        self.note(result)
    }

    fn rows(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        let result = self.conn.query(sql, params);
        self.note(result)
    }

    fn one<T>(
        &mut self,
        sql: &str,
        params: &[Val],
        map: impl Fn(&Row) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        self.rows(sql, params)?.first().map(map).transpose()
    }

    fn all<T>(
        &mut self,
        sql: &str,
        params: &[Val],
        map: impl Fn(&Row) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        self.rows(sql, params)?.iter().map(map).collect()
    }

    /// Runs an update guarded by a version; no row changed means someone else saved first.
    fn exec_versioned(&mut self, what: &str, sql: &str, params: &[Val]) -> Result<(), StoreError> {
        match self.exec(sql, params)? {
            1 => Ok(()),
            _ => Err(StoreError::Conflict {
                what: format!("{what} changed concurrently"),
            }),
        }
    }

    // ---- regions, parameters, banks -------------------------------------------------

    pub fn insert_region(
        &mut self,
        region: &RegionRecord,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO regions (code, name, created_at) VALUES ($1, $2, $3)",
            &[
                region.code.as_str().into(),
                region.name.as_str().into(),
                now.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    pub fn regions(&mut self) -> Result<Vec<RegionRecord>, StoreError> {
        self.all("SELECT code, name FROM regions ORDER BY code", &[], |row| {
            let c = Cols {
                row,
                what: "regions",
            };
            Ok(RegionRecord {
                code: RegionCode::new(c.text(0)?),
                name: c.text(1)?,
            })
        })
    }

    pub fn region(&mut self, code: &RegionCode) -> Result<Option<RegionRecord>, StoreError> {
        self.one(
            "SELECT code, name FROM regions WHERE code = $1",
            &[code.as_str().into()],
            |row| {
                let c = Cols {
                    row,
                    what: "regions",
                };
                Ok(RegionRecord {
                    code: RegionCode::new(c.text(0)?),
                    name: c.text(1)?,
                })
            },
        )
    }

    /// Adds a version of a region's parameters; versions are never edited.
    pub fn insert_region_parameters(
        &mut self,
        region: &RegionCode,
        effective_from: Date,
        body: &str,
        created_by: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.insert_version(
            "region_parameters",
            region,
            effective_from,
            body,
            created_by,
            now,
        )
    }

    /// The version in force on `on`: the latest that took effect on or before it.
    pub fn region_parameters_at(
        &mut self,
        region: &RegionCode,
        on: Date,
    ) -> Result<Option<(Date, String)>, StoreError> {
        self.version_at("region_parameters", region, on)
    }

    /// Inserts a version into one of the versioned parameter tables (a fixed name, never
    /// input), which share their columns.
    pub(crate) fn insert_version(
        &mut self,
        table: &'static str,
        region: &RegionCode,
        effective_from: Date,
        body: &str,
        created_by: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.exec(
            &format!("INSERT INTO {table} (region_code, effective_from, body, created_by, created_at) VALUES ($1, $2, $3, $4, $5)"),
            &[
                region.as_str().into(),
                effective_from.to_string().into(),
                body.into(),
                created_by.into(),
                now.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    /// The version of a versioned parameter table in force on `on`.
    pub(crate) fn version_at(
        &mut self,
        table: &'static str,
        region: &RegionCode,
        on: Date,
    ) -> Result<Option<(Date, String)>, StoreError> {
        self.one(
            &format!(
                "SELECT effective_from, body FROM {table} WHERE region_code = $1 AND effective_from <= $2 \
                 ORDER BY effective_from DESC LIMIT 1"
            ),
            &[region.as_str().into(), on.to_string().into()],
            |row| {
                let c = Cols { row, what: table };
                Ok((c.date(0)?, c.text(1)?))
            },
        )
    }

    pub fn region_parameter_versions(
        &mut self,
        region: &RegionCode,
    ) -> Result<Vec<(Date, String)>, StoreError> {
        self.all(
            "SELECT effective_from, body FROM region_parameters WHERE region_code = $1 ORDER BY effective_from",
            &[region.as_str().into()],
            |row| {
                let c = Cols { row, what: "region_parameters" };
                Ok((c.date(0)?, c.text(1)?))
            },
        )
    }

    pub fn insert_bank(&mut self, bank: &BankRecord, now: Timestamp) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO banks (id, name, bin, created_at) VALUES ($1, $2, $3, $4)",
            &[
                bank.id.as_str().into(),
                bank.name.as_str().into(),
                bank.bin.as_str().into(),
                now.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    fn bank_from(row: &Row) -> Result<BankRecord, StoreError> {
        let c = Cols { row, what: "banks" };
        Ok(BankRecord {
            id: BankId::new(c.text(0)?),
            name: c.text(1)?,
            bin: c.text(2)?,
        })
    }

    pub fn bank(&mut self, id: &BankId) -> Result<Option<BankRecord>, StoreError> {
        self.one(
            "SELECT id, name, bin FROM banks WHERE id = $1",
            &[id.as_str().into()],
            Self::bank_from,
        )
    }

    pub fn banks(&mut self) -> Result<Vec<BankRecord>, StoreError> {
        self.all(
            "SELECT id, name, bin FROM banks ORDER BY id",
            &[],
            Self::bank_from,
        )
    }

    pub fn insert_branch(
        &mut self,
        branch: &BranchRecord,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO branches (id, bank_id, name, region_code, created_at) VALUES ($1, $2, $3, $4, $5)",
            &[
                branch.id.as_str().into(),
                branch.bank_id.as_str().into(),
                branch.name.as_str().into(),
                branch.region.as_str().into(),
                now.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    fn branch_from(row: &Row) -> Result<BranchRecord, StoreError> {
        let c = Cols {
            row,
            what: "branches",
        };
        Ok(BranchRecord {
            id: BranchId::new(c.text(0)?),
            bank_id: BankId::new(c.text(1)?),
            name: c.text(2)?,
            region: RegionCode::new(c.text(3)?),
        })
    }

    pub fn branch(&mut self, id: &BranchId) -> Result<Option<BranchRecord>, StoreError> {
        self.one(
            "SELECT id, bank_id, name, region_code FROM branches WHERE id = $1",
            &[id.as_str().into()],
            Self::branch_from,
        )
    }

    pub fn branches(&mut self, bank: &BankId) -> Result<Vec<BranchRecord>, StoreError> {
        self.all(
            "SELECT id, bank_id, name, region_code FROM branches WHERE bank_id = $1 ORDER BY id",
            &[bank.as_str().into()],
            Self::branch_from,
        )
    }

    // ---- users and sessions ---------------------------------------------------------

    pub fn insert_user(&mut self, user: &UserRecord) -> Result<(), StoreError> {
        self.exec(
            &format!("INSERT INTO users ({USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"),
            &[
                user.id.as_str().into(),
                user.username.as_str().into(),
                user.password_hash.as_str().into(),
                user.role.as_str().into(),
                id_val(user.bank_id.as_ref().map(BankId::as_str)),
                id_val(user.branch_id.as_ref().map(BranchId::as_str)),
                id_val(user.person_id.as_ref().map(PersonId::as_str)),
                user.failed_logins.into(),
                user.locked_until.map(Timestamp::unix_seconds).into(),
                user.created_at.unix_seconds().into(),
                id_val(user.employer_id.as_ref().map(EmployerId::as_str)),
                user.institution_id.clone().into(),
            ],
        )
        .map(|_| ())
    }

    pub fn user_by_username(&mut self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        self.one(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1"),
            &[username.into()],
            user_from,
        )
    }

    pub fn user(&mut self, id: &UserId) -> Result<Option<UserRecord>, StoreError> {
        self.one(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"),
            &[id.as_str().into()],
            user_from,
        )
    }

    /// The cardholder login of a person, if they have one.
    pub fn cardholder_login(
        &mut self,
        person: &PersonId,
    ) -> Result<Option<UserRecord>, StoreError> {
        self.one(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE person_id = $1 AND role = 'cardholder' ORDER BY created_at LIMIT 1"),
            &[person.as_str().into()],
            user_from,
        )
    }

    pub fn count_users_with_role(&mut self, role: Role) -> Result<i64, StoreError> {
        self.one(
            "SELECT COUNT(*) FROM users WHERE role = $1",
            &[role.as_str().into()],
            |row| Cols { row, what: "users" }.int(0),
        )
        .map(|count| count.unwrap_or(0))
    }

    /// Records the outcome of a sign-in attempt.
    pub fn update_user_login(
        &mut self,
        id: &UserId,
        failed_logins: i64,
        locked_until: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        self.exec(
            "UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1",
            &[
                id.as_str().into(),
                failed_logins.into(),
                locked_until.map(Timestamp::unix_seconds).into(),
            ],
        )
        .map(|_| ())
    }

    /// Counts one failed sign-in; at `failures_max` the login locks until `lock_until` and
    /// the count starts again. Returns whether it locked. One statement increments, so
    /// parallel attempts each count.
    pub fn count_failed_login(
        &mut self,
        id: &UserId,
        failures_max: i64,
        lock_until: Timestamp,
    ) -> Result<bool, StoreError> {
        let failures = self
            .one(
                "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
                &[id.as_str().into()],
                |row| Cols { row, what: "users" }.int(0),
            )?
            .unwrap_or(0);
        if failures < failures_max {
            return Ok(false);
        }
        self.update_user_login(id, 0, Some(lock_until))?;
        Ok(true)
    }

    pub fn update_user_password(
        &mut self,
        id: &UserId,
        password_hash: &str,
    ) -> Result<(), StoreError> {
        self.exec(
            "UPDATE users SET password_hash = $2 WHERE id = $1",
            &[id.as_str().into(), password_hash.into()],
        )
        .map(|_| ())
    }

    pub fn insert_session(&mut self, session: &SessionRecord) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO sessions (token_hash, user_id, kind, created_at, expires_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                session.token_hash.as_str().into(),
                session.user_id.as_str().into(),
                session.kind.as_str().into(),
                session.created_at.unix_seconds().into(),
                session.expires_at.unix_seconds().into(),
                session.last_seen_at.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    pub fn session(&mut self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        self.one(
            "SELECT token_hash, user_id, kind, created_at, expires_at, last_seen_at FROM sessions WHERE token_hash = $1",
            &[token_hash.into()],
            |row| {
                let c = Cols { row, what: "sessions" };
                Ok(SessionRecord {
                    token_hash: c.text(0)?,
                    user_id: UserId::new(c.text(1)?),
                    kind: c.text(2)?,
                    created_at: c.time(3)?,
                    expires_at: c.time(4)?,
                    last_seen_at: c.time(5)?,
                })
            },
        )
    }

    pub fn touch_session(&mut self, token_hash: &str, at: Timestamp) -> Result<(), StoreError> {
        self.exec(
            "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1",
            &[token_hash.into(), at.unix_seconds().into()],
        )
        .map(|_| ())
    }

    pub fn delete_session(&mut self, token_hash: &str) -> Result<(), StoreError> {
        self.exec(
            "DELETE FROM sessions WHERE token_hash = $1",
            &[token_hash.into()],
        )
        .map(|_| ())
    }

    /// Ends every session of a login (a holder login whose password was reset).
    pub fn delete_sessions_of_user(&mut self, user: &UserId) -> Result<(), StoreError> {
        self.exec(
            "DELETE FROM sessions WHERE user_id = $1",
            &[user.as_str().into()],
        )
        .map(|_| ())
    }

    // ---- persons --------------------------------------------------------------------

    /// Registers a person; a second person with the same ID number is a conflict.
    pub fn insert_person(&mut self, person: &PersonRecord) -> Result<(), StoreError> {
        self.exec(
            &format!("INSERT INTO persons ({PERSON_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0)"),
            &[
                person.id.as_str().into(),
                person.citizen_index.as_str().into(),
                person.citizen_cipher.as_str().into(),
                person.name_cipher.as_str().into(),
                person.phone_cipher.clone().into(),
                person.gender.as_str().into(),
                person.birth_date.to_string().into(),
                person.nationality.as_str().into(),
                person.household_region.as_str().into(),
                person.household_kind.as_str().into(),
                person.registered_at.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    pub fn person(&mut self, id: &PersonId) -> Result<Option<PersonRecord>, StoreError> {
        self.one(
            &format!("SELECT {PERSON_COLUMNS} FROM persons WHERE id = $1"),
            &[id.as_str().into()],
            person_from,
        )
    }

    pub fn person_by_citizen_index(
        &mut self,
        index: &str,
    ) -> Result<Option<PersonRecord>, StoreError> {
        self.one(
            &format!("SELECT {PERSON_COLUMNS} FROM persons WHERE citizen_index = $1"),
            &[index.into()],
            person_from,
        )
    }

    /// Saves a corrected person over `person.version`; the stored version goes up by one.
    pub fn update_person(&mut self, person: &PersonRecord) -> Result<(), StoreError> {
        self.exec_versioned(
            "person",
            "UPDATE persons SET citizen_index = $2, citizen_cipher = $3, name_cipher = $4, phone_cipher = $5, \
             gender = $6, birth_date = $7, nationality = $8, household_region = $9, household_kind = $10, \
             version = version + 1 WHERE id = $1 AND version = $11",
            &[
                person.id.as_str().into(),
                person.citizen_index.as_str().into(),
                person.citizen_cipher.as_str().into(),
                person.name_cipher.as_str().into(),
                person.phone_cipher.clone().into(),
                person.gender.as_str().into(),
                person.birth_date.to_string().into(),
                person.nationality.as_str().into(),
                person.household_region.as_str().into(),
                person.household_kind.as_str().into(),
                person.version.into(),
            ],
        )
    }

    // ---- cards ----------------------------------------------------------------------

    pub fn insert_card(&mut self, card: &Card, secrets: &CardSecrets) -> Result<(), StoreError> {
        let mut params = card_vals(card);
        params.push(secrets.bank_card_index.clone().into());
        params.push(secrets.bank_card_cipher.clone().into());
        self.exec(
            &format!(
                "INSERT INTO cards ({CARD_COLUMNS}, bank_card_index, bank_card_cipher) VALUES \
                 ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
                 $21, $22, $23, 0, $24, $25)"
            ),
            &params,
        )
        .map(|_| ())
    }

    pub fn card(&mut self, id: &CardId) -> Result<Option<Card>, StoreError> {
        self.one(
            &format!("SELECT {CARD_COLUMNS} FROM cards WHERE id = $1"),
            &[id.as_str().into()],
            card_from,
        )
    }

    pub fn card_by_bank_card_index(&mut self, index: &str) -> Result<Option<Card>, StoreError> {
        self.one(
            &format!("SELECT {CARD_COLUMNS} FROM cards WHERE bank_card_index = $1"),
            &[index.into()],
            card_from,
        )
    }

    /// The card with this printed number (unique), as presented at a counter.
    pub fn card_by_number(&mut self, number: &CardNumber) -> Result<Option<Card>, StoreError> {
        self.one(
            &format!("SELECT {CARD_COLUMNS} FROM cards WHERE card_number = $1"),
            &[number.as_str().into()],
            card_from,
        )
    }

    pub fn card_secrets(&mut self, id: &CardId) -> Result<CardSecrets, StoreError> {
        self.one(
            "SELECT bank_card_index, bank_card_cipher FROM cards WHERE id = $1",
            &[id.as_str().into()],
            |row| {
                let c = Cols { row, what: "cards" };
                Ok(CardSecrets {
                    bank_card_index: c.opt_text(0)?,
                    bank_card_cipher: c.opt_text(1)?,
                })
            },
        )
        .map(Option::unwrap_or_default)
    }

    pub fn cards_of_person(&mut self, person: &PersonId) -> Result<Vec<Card>, StoreError> {
        self.all(
            &format!(
                "SELECT {CARD_COLUMNS} FROM cards WHERE person_id = $1 ORDER BY applied_at, id"
            ),
            &[person.as_str().into()],
            card_from,
        )
    }

    /// Saves a card over `card.version`.
    pub fn update_card(&mut self, card: &Card) -> Result<(), StoreError> {
        let mut params = card_vals(card);
        params.push(card.version.into());
        self.exec_versioned(
            "card",
            "UPDATE cards SET person_id = $2, kind = $3, status = $4, region_code = $5, bank_id = $6, \
             account_id = $7, card_number = $8, identification_code = $9, social_pin_vv = $10, \
             social_pin_failures = $11, social_pin_locked = $12, social_loss = $13, social_loss_expires_at = $14, \
             financial_loss = $15, financial_loss_expires_at = $16, distribution_point = $17, applied_at = $18, \
             collected_at = $19, expires_on = $20, replaces = $21, replaced_by = $22, closed_reason = $23, \
             version = version + 1 WHERE id = $1 AND version = $24",
            &params,
        )
    }

    // ---- financial accounts ---------------------------------------------------------

    /// Opens a financial account and its ledger account (balance zero, never negative).
    pub fn insert_account(&mut self, account: &Account, now: Timestamp) -> Result<(), StoreError> {
        self.exec(
            &format!("INSERT INTO accounts ({ACCOUNT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0)"),
            &account_vals(account),
        )?;
        self.ensure_ledger_account(account.id.as_str(), false, now)
    }

    pub fn account(&mut self, id: &AccountId) -> Result<Option<Account>, StoreError> {
        self.one(
            &format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"),
            &[id.as_str().into()],
            account_from,
        )
    }

    pub fn update_account(&mut self, account: &Account) -> Result<(), StoreError> {
        let mut params = account_vals(account);
        params.push(account.version.into());
        self.exec_versioned(
            "account",
            "UPDATE accounts SET person_id = $2, bank_id = $3, status = $4, pin_vv = $5, pin_failures = $6, \
             pin_locked = $7, pin_failure_day = $8, opened_at = $9, activated_at = $10, activated_branch = $11, \
             version = version + 1 WHERE id = $1 AND version = $12",
            &params,
        )
    }

    // ---- ledger ---------------------------------------------------------------------

    /// Creates a ledger account if it does not exist yet.
    pub fn ensure_ledger_account(
        &mut self,
        id: &str,
        allow_negative: bool,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO ledger_accounts (id, allow_negative, balance_fen, entries, created_at) \
             VALUES ($1, $2, 0, 0, $3) ON CONFLICT (id) DO NOTHING",
            &[id.into(), allow_negative.into(), now.unix_seconds().into()],
        )
        .map(|_| ())
    }

    pub fn ledger_balance(&mut self, id: &str) -> Result<Option<LedgerBalance>, StoreError> {
        self.one(
            "SELECT balance_fen, allow_negative, entries FROM ledger_accounts WHERE id = $1",
            &[id.into()],
            |row| {
                let c = Cols {
                    row,
                    what: "ledger_accounts",
                };
                Ok(LedgerBalance {
                    balance_fen: c.int(0)?,
                    allow_negative: c.int(1)? != 0,
                    entries: c.int(2)?,
                })
            },
        )
    }

    /// Posts a transfer: one row in `transfers`, one entry on each side, both balances moved.
    /// A holder account (no `allow_negative`) can never go below zero: the schema refuses it.
    pub fn post_transfer(&mut self, transfer: &TransferRecord) -> Result<(), StoreError> {
        if transfer.amount_fen <= 0 || transfer.debit_account == transfer.credit_account {
            return Err(StoreError::Conflict {
                what: "a transfer moves a positive amount between two accounts".into(),
            });
        }
        self.exec(
            "INSERT INTO transfers (id, code, debit_account, credit_account, amount_fen, reverses, memo, actor, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                transfer.id.as_str().into(),
                transfer.code.as_str().into(),
                transfer.debit_account.as_str().into(),
                transfer.credit_account.as_str().into(),
                transfer.amount_fen.into(),
                id_val(transfer.reverses.as_ref().map(TransferId::as_str)),
                transfer.memo.as_str().into(),
                transfer.actor.as_str().into(),
                transfer.created_at.unix_seconds().into(),
            ],
        )?;
        self.post_entry(&transfer.debit_account, -transfer.amount_fen, transfer)?;
        self.post_entry(&transfer.credit_account, transfer.amount_fen, transfer)
    }

    fn post_entry(
        &mut self,
        account: &str,
        delta_fen: i64,
        transfer: &TransferRecord,
    ) -> Result<(), StoreError> {
        let before = self
            .ledger_balance(account)?
            .ok_or_else(|| StoreError::Conflict {
                what: format!("ledger account {account} does not exist"),
            })?;
        let balance_after =
            before
                .balance_fen
                .checked_add(delta_fen)
                .ok_or_else(|| StoreError::Conflict {
                    what: "balance out of range".into(),
                })?;
        let seq = before.entries + 1;
        self.exec_versioned(
            "ledger account",
            "UPDATE ledger_accounts SET balance_fen = $2, entries = $3 WHERE id = $1 AND entries = $4",
            &[account.into(), balance_after.into(), seq.into(), before.entries.into()],
        )?;
        self.exec(
            "INSERT INTO entries (account, seq, transfer_id, amount_fen, balance_after_fen) VALUES ($1, $2, $3, $4, $5)",
            &[account.into(), seq.into(), transfer.id.as_str().into(), delta_fen.into(), balance_after.into()],
        )
        .map(|_| ())
    }

    pub fn transfer(&mut self, id: &TransferId) -> Result<Option<TransferRecord>, StoreError> {
        self.one(
            "SELECT id, code, debit_account, credit_account, amount_fen, reverses, memo, actor, created_at \
             FROM transfers WHERE id = $1",
            &[id.as_str().into()],
            transfer_from,
        )
    }

    /// The reversal of a transfer, if one was posted.
    pub fn reversal_of(&mut self, id: &TransferId) -> Result<Option<TransferId>, StoreError> {
        self.one(
            "SELECT id FROM transfers WHERE reverses = $1",
            &[id.as_str().into()],
            |row| {
                Ok(TransferId::new(
                    Cols {
                        row,
                        what: "transfers",
                    }
                    .text(0)?,
                ))
            },
        )
    }

    /// An account's history, newest first, before entry `before_seq` (exclusive).
    pub fn statement(
        &mut self,
        account: &str,
        before_seq: Option<i64>,
        limit: i64,
    ) -> Result<Vec<EntryRecord>, StoreError> {
        self.all(
            "SELECT e.account, e.seq, e.transfer_id, t.code, e.amount_fen, e.balance_after_fen, \
             CASE WHEN e.amount_fen < 0 THEN t.credit_account ELSE t.debit_account END, t.memo, t.created_at \
             FROM entries e JOIN transfers t ON t.id = e.transfer_id \
             WHERE e.account = $1 AND e.seq < $2 ORDER BY e.seq DESC LIMIT $3",
            &[account.into(), before_seq.unwrap_or(i64::MAX).into(), limit.into()],
            |row| {
                let c = Cols { row, what: "entries" };
                Ok(EntryRecord {
                    account: c.text(0)?,
                    seq: c.int(1)?,
                    transfer_id: TransferId::new(c.text(2)?),
                    code: c.parsed(3, TransferCode::parse)?,
                    amount_fen: c.int(4)?,
                    balance_after_fen: c.int(5)?,
                    counterparty: c.text(6)?,
                    memo: c.text(7)?,
                    created_at: c.time(8)?,
                })
            },
        )
    }

    /// An account's balance just before `before`: the balance after its last entry made
    /// earlier (0 when there is none).
    pub fn balance_before(&mut self, account: &str, before: Timestamp) -> Result<i64, StoreError> {
        Ok(self
            .one(
                "SELECT e.balance_after_fen FROM entries e JOIN transfers t ON t.id = e.transfer_id \
                 WHERE e.account = $1 AND t.created_at < $2 ORDER BY e.seq DESC LIMIT 1",
                &[account.into(), before.unix_seconds().into()],
                |row| Cols { row, what: "entries" }.int(0),
            )?
            .unwrap_or(0))
    }

    /// The sum of every ledger balance: zero, always, in a double-entry ledger.
    pub fn ledger_total(&mut self) -> Result<i64, StoreError> {
        self.one(
            "SELECT CAST(COALESCE(SUM(balance_fen), 0) AS BIGINT) FROM ledger_accounts",
            &[],
            |row| {
                Cols {
                    row,
                    what: "ledger_accounts",
                }
                .int(0)
            },
        )
        .map(Option::unwrap_or_default)
    }

    /// Ledger accounts whose balance differs from the sum of their entries (should be none).
    pub fn ledger_mismatches(&mut self) -> Result<Vec<String>, StoreError> {
        self.all(
            "SELECT a.id FROM ledger_accounts a LEFT JOIN \
             (SELECT account, CAST(SUM(amount_fen) AS BIGINT) AS total, COUNT(*) AS n FROM entries GROUP BY account) e \
             ON e.account = a.id WHERE a.balance_fen <> COALESCE(e.total, 0) OR a.entries <> COALESCE(e.n, 0)",
            &[],
            |row| Cols { row, what: "ledger_accounts" }.text(0),
        )
    }

    // ---- idempotency ----------------------------------------------------------------

    /// The first answer given under `key`, with the fingerprint of its request.
    pub fn idempotent_response(
        &mut self,
        key: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        self.one(
            "SELECT fingerprint, response FROM idempotency WHERE key = $1",
            &[key.into()],
            |row| {
                let c = Cols {
                    row,
                    what: "idempotency",
                };
                Ok((c.text(0)?, c.text(1)?))
            },
        )
    }

    pub fn save_idempotent_response(
        &mut self,
        key: &str,
        fingerprint: &str,
        response: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO idempotency (key, fingerprint, response, created_at) VALUES ($1, $2, $3, $4)",
            &[key.into(), fingerprint.into(), response.into(), now.unix_seconds().into()],
        )
        .map(|_| ())
    }

    // ---- audit ----------------------------------------------------------------------

    /// Appends an event to its subject's chain and returns the chained record.
    pub fn append_audit(&mut self, event: &AuditEvent) -> Result<AuditRecord, StoreError> {
        let chain = shebao_domain::audit::chain_of(&event.subject);
        let (head_seq, head_hash) = self
            .one(
                "SELECT seq, hash FROM audit_heads WHERE chain = $1",
                &[i64::from(chain).into()],
                |row| {
                    let c = Cols {
                        row,
                        what: "audit_heads",
                    };
                    Ok((c.int(0)?, c.text(1)?))
                },
            )?
            .ok_or_else(|| StoreError::Corrupt(format!("audit head {chain} missing")))?;
        let mut record = AuditRecord {
            chain,
            seq: head_seq + 1,
            at_unix: event.at.unix_seconds(),
            actor: event.actor.clone(),
            action: event.action.clone(),
            subject: event.subject.clone(),
            outcome: event.outcome.clone(),
            detail: event.detail.clone(),
            prev_hash: head_hash,
            hash: String::new(),
        };
        record.hash = record_hash(&record);
        // The head moves first: a concurrent writer of the same chain then fails on the head's
        // row (and retries) instead of on the log's primary key.
        self.exec_versioned(
            "audit head",
            "UPDATE audit_heads SET seq = $2, hash = $3 WHERE chain = $1 AND seq = $4",
            &[
                i64::from(chain).into(),
                record.seq.into(),
                record.hash.as_str().into(),
                head_seq.into(),
            ],
        )?;
        self.exec(
            &format!("INSERT INTO audit_log ({AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
            &[
                i64::from(record.chain).into(),
                record.seq.into(),
                record.at_unix.into(),
                record.actor.as_str().into(),
                record.action.as_str().into(),
                record.subject.as_str().into(),
                record.outcome.as_str().into(),
                record.detail.as_str().into(),
                record.prev_hash.as_str().into(),
                record.hash.as_str().into(),
            ],
        )?;
        Ok(record)
    }

    /// Audit records matching the filter, newest first.
    pub fn audit_records(&mut self, filter: &AuditFilter) -> Result<Vec<AuditRecord>, StoreError> {
        self.all(
            &format!(
                "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE (CAST($1 AS TEXT) IS NULL OR actor = $1) AND (CAST($2 AS TEXT) IS NULL OR action = $2) \
                 AND (CAST($3 AS TEXT) IS NULL OR subject = $3) ORDER BY at DESC, chain, seq DESC LIMIT $4"
            ),
            &[
                filter.actor.clone().into(),
                filter.action.clone().into(),
                filter.subject.clone().into(),
                filter.limit.into(),
            ],
            audit_from,
        )
    }

    /// One chain: its start (genesis or latest purge anchor), the records after it in order,
    /// and the seq its head records.
    pub fn audit_chain(&mut self, chain: u32) -> Result<AuditChain, StoreError> {
        let start = self.audit_chain_start(chain)?;
        let records = self.all(
            &format!(
                "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE chain = $1 AND seq > $2 ORDER BY seq"
            ),
            &[i64::from(chain).into(), start.seq.into()],
            audit_from,
        )?;
        let head_seq = self
            .one(
                "SELECT seq FROM audit_heads WHERE chain = $1",
                &[i64::from(chain).into()],
                |row| {
                    Cols {
                        row,
                        what: "audit_heads",
                    }
                    .int(0)
                },
            )?
            .unwrap_or(0);
        Ok(AuditChain {
            start,
            records,
            head_seq,
        })
    }

    /// Where a chain's verification starts: after its latest purge anchor, else the genesis.
    pub fn audit_chain_start(&mut self, chain: u32) -> Result<ChainStart, StoreError> {
        let anchor = self.one(
            "SELECT seq, hash FROM audit_anchors WHERE chain = $1 ORDER BY seq DESC LIMIT 1",
            &[i64::from(chain).into()],
            |row| {
                let c = Cols {
                    row,
                    what: "audit_anchors",
                };
                Ok(ChainStart {
                    seq: c.int(0)?,
                    hash: c.text(1)?,
                })
            },
        )?;
        Ok(anchor.unwrap_or_else(ChainStart::genesis))
    }

    /// Purges the front of `chain`: every record up to (not including) the first one written
    /// at or after `cutoff`. The records must form a prefix for the chain to stay verifiable,
    /// so a record older than the cutoff that follows a younger one (clocks of concurrent
    /// writers) waits for the next purge. Inserts the anchor first — the database checks it
    /// against the retention floor and only then lets the covered rows go — and returns how
    /// many records were deleted.
    pub fn purge_audit_chain(
        &mut self,
        chain: u32,
        cutoff: Timestamp,
        purged_at: Timestamp,
    ) -> Result<i64, StoreError> {
        let start = self.audit_chain_start(chain)?;
        let chain_val = Val::from(i64::from(chain));
        let seq_of = |row: &Row| {
            Cols {
                row,
                what: "audit_log",
            }
            .opt_int(0)
        };
        let first_young = self
            .one(
                "SELECT MIN(seq) FROM audit_log WHERE chain = $1 AND at >= $2",
                &[chain_val.clone(), cutoff.unix_seconds().into()],
                seq_of,
            )?
            .flatten();
        let last_purged = match first_young {
            Some(seq) => seq - 1,
            None => self
                .one(
                    "SELECT MAX(seq) FROM audit_log WHERE chain = $1",
                    std::slice::from_ref(&chain_val),
                    seq_of,
                )?
                .flatten()
                .unwrap_or(start.seq),
        };
        if last_purged <= start.seq {
            return Ok(0);
        }
        let hash = self
            .one(
                "SELECT hash FROM audit_log WHERE chain = $1 AND seq = $2",
                &[chain_val.clone(), last_purged.into()],
                |row| {
                    Cols {
                        row,
                        what: "audit_log",
                    }
                    .text(0)
                },
            )?
            .ok_or_else(|| {
                StoreError::Corrupt(format!("audit chain {chain} has no record {last_purged}"))
            })?;
        self.exec(
            "INSERT INTO audit_anchors (chain, seq, hash, cutoff_at, purged_at) VALUES ($1, $2, $3, $4, $5)",
            &[
                chain_val.clone(),
                last_purged.into(),
                hash.into(),
                cutoff.unix_seconds().into(),
                purged_at.unix_seconds().into(),
            ],
        )?;
        let deleted = self.exec(
            "DELETE FROM audit_log WHERE chain = $1 AND seq <= $2",
            &[chain_val, last_purged.into()],
        )?;
        i64::try_from(deleted).map_err(|e| StoreError::Backend(e.to_string()))
    }

    /// Runs one statement as written, for the conformance suite's checks that the schema
    /// itself refuses what the application must never do.
    pub(crate) fn execute_unchecked(
        &mut self,
        sql: &str,
        params: &[Val],
    ) -> Result<u64, StoreError> {
        self.exec(sql, params)
    }
}
