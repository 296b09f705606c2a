//! Money on a card's account as use cases: deposits, withdrawals, purchases, benefit
//! credits, transfers, reversal requests, the financial PIN's unlock and statements. Each
//! movement is a command the money engine applies ([`crate::money::engine`]); a credit above
//! the limits becomes an approval request there ([`crate::money::approvals`]).

use std::sync::Arc;

use serde::Serialize;
use shebao_domain::Refusal;
use shebao_domain::access::{Operation, Role};
use shebao_domain::card::pin::Pin;
use shebao_domain::ids::{AccountId, CardId, TransferId};
use shebao_domain::money::ledger::{SystemAccount, TransferCode, stripe_of};

use super::{
    CashRequest, CreditRequest, PurchaseRequest, ReversalRequest, StatementWindow, TransferRequest,
    balance, card_account, memo, reversal_reason, reversible,
};
use crate::card::pin::parse_pin;
use crate::error::{OrNotFound, RefusalCode};
use crate::money::approvals::Maker;
use crate::money::engine::{self, Command, Credit, Debit, Drawn, Kind, Reply};
use crate::reference::region_code;
use crate::views::{
    AccountView, ApprovalView, EntryView, MoneyOutcome, StatementView, TransferView,
};
use crate::{Actor, App, AppError, Audit, Vault, new_id};

fn without_pin<T: Serialize>(
    request: &T,
    vault: &Vault,
    pin: &str,
) -> Result<serde_json::Value, AppError> {
    // The stored fingerprint covers the PIN only through a keyed MAC.
    let mut value = serde_json::to_value(request).map_err(AppError::failed("encoding JSON"))?;
    if let Some(object) = value.as_object_mut() {
        object.insert(
            "pin".into(),
            serde_json::Value::String(vault.fingerprint(pin)),
        );
    }
    Ok(value)
}

/// The cash at the counters of the actor's bank (a teller's only: anyone else is forbidden).
fn bank_cash(actor: &Actor) -> Result<SystemAccount, AppError> {
    let bank = actor.scope.bank_id.as_ref().ok_or(AppError::Forbidden)?;
    Ok(SystemAccount::BankCash {
        bank: bank.to_string(),
    })
}

/// The other side of a debit from a card's account.
enum Payee {
    System(SystemAccount),
    Holder(AccountId),
}

/// What a movement on a card's account is: the operation an approval request names, the
/// audit action and the transfer code.
#[derive(Clone, Copy)]
enum MovementKind {
    Deposit,
    Withdraw,
    Purchase,
    /// A pension or a benefit: the code says which.
    CreditBenefit(TransferCode),
    Transfer,
}

impl MovementKind {
    fn names(self) -> (&'static str, &'static str, TransferCode) {
        match self {
            MovementKind::Deposit => ("deposit", "account.deposit", TransferCode::CashDeposit),
            MovementKind::Withdraw => {
                ("withdraw", "account.withdraw", TransferCode::CashWithdrawal)
            }
            MovementKind::Purchase => ("purchase", "account.purchase", TransferCode::Purchase),
            MovementKind::CreditBenefit(code) => ("credit_benefit", "account.credit_benefit", code),
            MovementKind::Transfer => ("transfer", "account.transfer", TransferCode::Transfer),
        }
    }
}

/// A movement of money on a card's account, as the use cases describe it.
struct CardMovement {
    card: CardId,
    /// The operation, as an approval request names it.
    operation: &'static str,
    action: &'static str,
    code: TransferCode,
    memo: Option<String>,
    amount_fen: i64,
}

impl MovementKind {
    /// This movement of `amount_fen` on `card`.
    fn on(self, card: &str, memo: &Option<String>, amount_fen: i64) -> CardMovement {
        let (operation, action, code) = self.names();
        CardMovement {
            card: CardId::new(card),
            operation,
            action,
            code,
            memo: memo.clone(),
            amount_fen,
        }
    }
}

impl App {
    fn drawn(
        &self,
        actor: &Actor,
        code: TransferCode,
        memo_text: Option<&str>,
    ) -> Result<Drawn, AppError> {
        Ok(Drawn {
            id: TransferId::new(new_id("trf")),
            code,
            memo: memo(memo_text)?,
            actor: actor.label(),
        })
    }

    /// The command crediting a card's account from a system account (cash, a fund). Credits
    /// are accepted while deposit-only unless the region's policy refuses them. A credit
    /// entered by a person above the region's limit, or past their daily limit, moves
    /// nothing: it becomes an approval request for a second person (issue 13, finding 9).
    fn credit_command(
        &self,
        actor: &Actor,
        key: &str,
        shown: &impl Serialize,
        credit: CardMovement,
        source: SystemAccount,
    ) -> Result<Command, AppError> {
        let transfer = self.drawn(actor, credit.code, credit.memo.as_deref())?;
        let audit = Audit::on(credit.action, format!("card:{}", credit.card));
        let kind = Kind::Credit(Credit {
            card: credit.card,
            amount_fen: credit.amount_fen,
            source,
            stripe: stripe_of(key),
            transfer,
            maker: Maker::of(actor),
            approval_id: new_id("apr"),
            operation: credit.operation,
        });
        self.command(actor, key, shown, audit, kind)
    }

    /// A command of `kind` by `actor` under `key`, the request `shown` fingerprinted.
    fn command(
        &self,
        actor: &Actor,
        key: &str,
        shown: &impl Serialize,
        audit: Audit,
        kind: Kind,
    ) -> Result<Command, AppError> {
        let (key_scoped, fingerprint) = self.fingerprinted(actor, key, shown, &audit)?;
        Ok(Command {
            actor: actor.clone(),
            key: key_scoped,
            fingerprint,
            audit,
            now: self.now(),
            kind,
        })
    }

    /// The command debiting a card's account with the card and its PIN, paying `payee`. The
    /// request is fingerprinted with its PIN replaced by the PIN's keyed MAC.
    fn debit_command(
        &self,
        actor: &Actor,
        key: &str,
        request: &impl Serialize,
        debit: CardMovement,
        pin: Pin,
        payee: Payee,
    ) -> Result<Command, AppError> {
        let shown = without_pin(request, &self.vault, pin.expose_digits())?;
        let transfer = self.drawn(actor, debit.code, debit.memo.as_deref())?;
        let audit = Audit::on(debit.action, format!("card:{}", debit.card));
        let payee = match payee {
            Payee::System(system) => engine::Payee::System(system.ledger_id(stripe_of(key))),
            Payee::Holder(target) => engine::Payee::Holder(target),
        };
        let kind = Kind::Debit(Debit {
            card: debit.card,
            pin,
            vault: Arc::clone(&self.vault),
            amount_fen: debit.amount_fen,
            payee,
            transfer,
        });
        self.command(actor, key, &shown, audit, kind)
    }

    /// Applies a credit's command.
    fn credit_card(&self, command: Command) -> Result<MoneyOutcome, AppError> {
        match self.engine.one(command)? {
            Reply::Outcome(outcome) => Ok(outcome),
            Reply::Transfer(view) => Ok(MoneyOutcome::Posted(view)),
        }
    }

    /// Applies a debit's command.
    fn debit_card(&self, command: Command) -> Result<TransferView, AppError> {
        match self.engine.one(command)? {
            Reply::Transfer(view) => Ok(view),
            Reply::Outcome(outcome) => outcome
                .posted()
                .ok_or_else(|| AppError::Internal("a debit awaiting approval".into())),
        }
    }

    /// Cash paid in at a counter of the card's bank. Accepted while deposit-only.
    pub fn deposit(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: CashRequest,
    ) -> Result<MoneyOutcome, AppError> {
        let command = self.deposit_command(actor, key, card, request)?;
        self.credit_card(command)
    }

    /// The command of [`App::deposit`].
    pub(crate) fn deposit_command(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: CashRequest,
    ) -> Result<Command, AppError> {
        self.authorise(actor, Operation::Deposit)?;
        let source = bank_cash(actor)?;
        let credit = MovementKind::Deposit.on(card, &request.memo, request.amount_fen);
        self.credit_command(actor, key, &request, credit, source)
    }

    /// Cash paid out at a counter of the card's bank, with the PIN.
    pub fn withdraw(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: CashRequest,
    ) -> Result<TransferView, AppError> {
        let command = self.withdraw_command(actor, key, card, request)?;
        self.debit_card(command)
    }

    /// The command of [`App::withdraw`].
    pub(crate) fn withdraw_command(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: CashRequest,
    ) -> Result<Command, AppError> {
        self.authorise(actor, Operation::Withdraw)?;
        let cash = bank_cash(actor)?;
        let pin = parse_pin(request.pin.as_deref().unwrap_or(""), "pin")?;
        let debit = MovementKind::Withdraw.on(card, &request.memo, request.amount_fen);
        let payee = Payee::System(cash);
        self.debit_command(actor, key, &request, debit, pin, payee)
    }

    /// A card payment at a merchant, sent by the card bank's system, with the PIN.
    pub fn purchase(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: PurchaseRequest,
    ) -> Result<TransferView, AppError> {
        let command = self.purchase_command(actor, key, card, request)?;
        self.debit_card(command)
    }

    /// The command of [`App::purchase`].
    pub(crate) fn purchase_command(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: PurchaseRequest,
    ) -> Result<Command, AppError> {
        self.authorise(actor, Operation::Purchase)?;
        let pin = parse_pin(&request.pin, "pin")?;
        let merchant = request.merchant.trim().to_owned();
        let merchant_ok = (2..=40).contains(&merchant.len())
            && merchant
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
        if !merchant_ok {
            return Err(AppError::invalid(
                "merchant",
                "2 to 40 letters, digits, '-' or '_'",
            ));
        }
        let debit = MovementKind::Purchase.on(card, &request.memo, request.amount_fen);
        let payee = Payee::System(SystemAccount::Merchant { merchant });
        self.debit_command(actor, key, &request, debit, pin, payee)
    }

    /// A pension or benefit paid from a region's fund to the card's account.
    pub fn credit_benefit(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: CreditRequest,
    ) -> Result<MoneyOutcome, AppError> {
        let command = self.credit_benefit_command(actor, key, card, request)?;
        self.credit_card(command)
    }

    /// The command of [`App::credit_benefit`].
    pub(crate) fn credit_benefit_command(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: CreditRequest,
    ) -> Result<Command, AppError> {
        self.authorise(actor, Operation::CreditBenefit)?;
        let code = match request.kind.as_str() {
            "pension" => TransferCode::PensionCredit,
            "benefit" => TransferCode::BenefitCredit,
            _ => {
                return Err(AppError::invalid("kind", "pension or benefit"));
            }
        };
        let region = region_code(&request.region, "region")?;
        self.known_region(&region)?;
        let credit = MovementKind::CreditBenefit(code).on(card, &request.memo, request.amount_fen);
        let fund = SystemAccount::Fund {
            region: region.to_string(),
            fund: request.kind.clone(),
        };
        self.credit_command(actor, key, &request, credit, fund)
    }

    /// A transfer from the card's account to another holder account, with the PIN.
    pub fn transfer(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: TransferRequest,
    ) -> Result<TransferView, AppError> {
        let command = self.transfer_command(actor, key, card, request)?;
        self.debit_card(command)
    }

    /// The command of [`App::transfer`].
    pub(crate) fn transfer_command(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: TransferRequest,
    ) -> Result<Command, AppError> {
        self.authorise(actor, Operation::Transfer)?;
        let pin = parse_pin(&request.pin, "pin")?;
        let debit = MovementKind::Transfer.on(card, &request.memo, request.amount_fen);
        let payee = Payee::Holder(AccountId::new(&request.to_account));
        self.debit_command(actor, key, &request, debit, pin, payee)
    }

    /// Asks for a transfer to be corrected with a reversing one (history is never edited). A
    /// teller may ask for the reversal of their own bank's counter business; the reversal
    /// itself is posted only when another teller of the bank approves it (issue 13,
    /// finding 9), so the answer is the waiting request.
    pub fn reverse_transfer(
        &self,
        actor: &Actor,
        key: &str,
        transfer: &str,
        request: ReversalRequest,
    ) -> Result<ApprovalView, AppError> {
        self.authorise(actor, Operation::ReverseTransfer)?;
        let why = reversal_reason(&request.reason)?;
        let (maker, approval_id) = (Maker::of(actor), new_id("apr"));
        let (original_id, bank) = (TransferId::new(transfer), actor.scope.bank_id.clone());
        let audit = Audit::on("approval.request", format!("transfer:{original_id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let (original, holder) = reversible(tx, bank.as_ref(), &original_id)?;
            // One reversal waits at a time: more would only bury a peer's list.
            if tx.reversal_waiting(&original.id, now)? {
                return Err(AppError::Rule {
                    code: RefusalCode::ReversalWaiting,
                    message: "a reversal of this transfer is already waiting for approval".into(),
                });
            }
            let request =
                maker.reversal_request(tx, &approval_id, &original, &holder, &why, now)?;
            tx.insert_approval(&request)?;
            Ok((
                crate::money::approvals::view(&request, now)?,
                crate::money::approvals::detail(&request),
            ))
        })
    }

    /// Unlocks the financial PIN at a counter of the account's own bank.
    pub fn unlock_financial_pin(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
    ) -> Result<AccountView, AppError> {
        self.authorise(actor, Operation::UnlockFinancialPin)?;
        let (id, bank) = (CardId::new(card), actor.scope.bank_id.clone());
        let audit = Audit::on("account.unlock_pin", format!("card:{id}"));
        self.change(actor, key, &crate::card::Empty {}, audit, move |tx, _| {
            let card = tx.card(&id)?.or_not_found("card", &id)?;
            let bank = bank.clone().ok_or(AppError::Forbidden)?;
            // Another bank's teller learns nothing about the card, not even that it exists.
            if card.bank_id.as_ref() != Some(&bank) {
                return Err(AppError::Hidden(format!("card {id}")));
            }
            let account_id = card.account_id.clone().ok_or(Refusal::CardNotCollected)?;
            let account = tx
                .account(&account_id)?
                .or_not_found("account", &account_id)?;
            let unlocked = account.unlock_pin(&bank)?;
            tx.update_account(&unlocked)?;
            let view = AccountView::new(&unlocked, balance(tx, &account_id)?);
            Ok((view, "{}".into()))
        })
    }

    /// The account a card carries.
    pub fn card_account(&self, actor: &Actor, card: &str) -> Result<AccountView, AppError> {
        self.authorise(actor, Operation::ReadAccount)?;
        let id = CardId::new(card);
        let subject = format!("card:{card}");
        self.read_for(actor, Operation::ReadAccount, &subject, move |tx, r| {
            let (_, account) = card_account(tx, &r.actor, &id).map_err(hide_forbidden)?;
            Ok(AccountView::new(&account, balance(tx, &account.id)?))
        })
    }

    /// An account's statement, newest first, `limit` entries before entry `before`.
    pub fn statement(
        &self,
        actor: &Actor,
        account: &str,
        before: Option<i64>,
        limit: Option<i64>,
    ) -> Result<StatementView, AppError> {
        let window = StatementWindow {
            before,
            limit,
            ..StatementWindow::default()
        };
        self.statement_in(actor, account, window)
    }

    /// The entries of an account's statement a window selects, newest first.
    pub fn statement_in(
        &self,
        actor: &Actor,
        account: &str,
        window: StatementWindow,
    ) -> Result<StatementView, AppError> {
        self.authorise(actor, Operation::ReadAccount)?;
        let id = AccountId::new(account);
        let subject = format!("account:{id}");
        self.read_for(actor, Operation::ReadAccount, &subject, move |tx, r| {
            let account = tx.account(&id)?.or_not_found("account", &id)?;
            let visible = match r.actor.role {
                Role::BureauClerk => true,
                Role::Cardholder => r.actor.scope.person_id.as_ref() == Some(&account.person_id),
                Role::BankTeller | Role::BankSystem => {
                    r.actor.scope.bank_id.as_ref() == Some(&account.bank_id)
                }
                Role::Administrator
                | Role::Auditor
                | Role::Employer
                | Role::Cashier
                | Role::AppraisalSecretary
                | Role::TrainingProvider
                | Role::ProductionOfficer
                | Role::CardVendor => false,
            };
            if !visible {
                return Err(AppError::Hidden(format!("account {id}")));
            }
            let (entries, next_before) = window.read(tx, id.as_str())?;
            Ok(StatementView {
                account_id: id.to_string(),
                balance_fen: balance(tx, &id)?,
                entries: entries.iter().map(EntryView::from).collect(),
                next_before,
            })
        })
    }
}

fn hide_forbidden(error: AppError) -> AppError {
    match error {
        AppError::Forbidden => AppError::Hidden("card".into()),
        other => other,
    }
}
