//! A world to test in: a fresh store of either kind, keys, a hand-moved clock, reference
//! data and one login per role, all made through the use cases.

use std::path::PathBuf;
use std::sync::Arc;

use shebao_app::access::auth::NewUser;
use shebao_app::card::{CardApplication, CollectRequest};
use shebao_app::insurance::NewEmployer;
use shebao_app::medical::{MedicalPolicy, NewMedicalPolicy};
use shebao_app::person::NewPerson;
use shebao_app::reference::{NewBank, NewBranch, NewParameters, NewRegion};
use shebao_app::views::{
    ApprovalView, AuditRecordView, CardView, MoneyOutcome, ParametersBody, PersonView,
    StatementView, TransferView,
};
use shebao_app::{Actor, App, AppError, ManualClock, Vault};
use shebao_domain::access::Role;
use shebao_domain::ids::UserId;
use shebao_domain::reference::region::RegionParameters;
use shebao_domain::time::Timestamp;
use shebao_store::Store;

use crate::requests::{activation, employee, ready_at};

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where a store lives, so a test can open it again ("restart").
#[derive(Clone)]
pub enum Location {
    File(PathBuf),
    Url(String),
}

pub struct World {
    pub app: App,
    pub clock: Arc<ManualClock>,
    pub keys: String,
    pub location: Location,
    pub admin: Actor,
    pub clerk: Actor,
    /// Another clerk: the second person who approves the first one's requests.
    pub second_clerk: Actor,
    pub teller: Actor,
    /// Another teller of the same bank (icbc): the second person for the first one.
    pub second_teller: Actor,
    pub other_teller: Actor,
    pub bank_system: Actor,
    pub auditor: Actor,
    counter: std::cell::Cell<u32>,
}

/// 2026-03-01T00:00:00Z.
pub const START: Timestamp = Timestamp::from_unix_seconds(1_772_323_200);
pub const HOLDER_ID: &str = "330106199003071236";
pub const OTHER_ID: &str = "310104198506153523";
pub const SOCIAL_PIN: &str = "740193";
pub const FINANCIAL_PIN: &str = "602814";

fn temp_path() -> PathBuf {
    let unique = format!(
        "shebao-app-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    std::env::temp_dir().join(unique).join("shebao.db")
}

pub fn open(location: &Location) -> Store {
    match location {
        Location::File(path) => shebao_store_sqlite::open(path).unwrap(),
        Location::Url(url) => shebao_store_postgres::open(url, 8).unwrap(),
    }
}

fn actor(view: shebao_app::views::UserView) -> Actor {
    Actor {
        role: Role::parse(&view.role).unwrap(),
        scope: view.scope(),
        user_id: UserId::new(view.id),
        username: view.username,
    }
}

impl World {
    pub fn new(backend: Backend) -> World {
        let location = match backend {
            Backend::Sqlite => Location::File(temp_path()),
            Backend::Postgres => {
                Location::Url(shebao_store_postgres::testing::throwaway_database())
            }
        };
        let keys = Vault::generate_file();
        let clock = Arc::new(ManualClock::new(START));
        let app = App::new(open(&location), Vault::parse(&keys).unwrap(), clock.clone());
        let (admin_view, _password) = app.init_administrator("admin").unwrap();
        let admin = actor(admin_view);
        let mut world = World {
            app,
            clock,
            keys,
            location,
            admin: admin.clone(),
            clerk: admin.clone(),
            second_clerk: admin.clone(),
            teller: admin.clone(),
            second_teller: admin.clone(),
            other_teller: admin.clone(),
            bank_system: admin.clone(),
            auditor: admin.clone(),
            counter: std::cell::Cell::new(0),
        };
        world.seed();
        world
    }

    /// The same store and keys, opened again as after a restart.
    pub fn restart(&mut self) {
        let store = open(&self.location);
        self.app = App::new(store, Vault::parse(&self.keys).unwrap(), self.clock.clone());
    }

    pub fn key(&self) -> String {
        self.counter.set(self.counter.get() + 1);
        format!("test-key-{:06}", self.counter.get())
    }

    fn seed(&mut self) {
        let (app, admin) = (self.app.clone(), self.admin.clone());
        for (code, name) in [("330100", "Hangzhou"), ("440300", "Shenzhen")] {
            app.create_region(
                &admin,
                &self.key(),
                NewRegion {
                    code: code.into(),
                    name: name.into(),
                },
            )
            .unwrap();
            app.add_parameters(
                &admin,
                &self.key(),
                code,
                NewParameters {
                    effective_from: "2025-01-01".into(),
                    parameters: ParametersBody::from_domain(&RegionParameters::common()),
                },
            )
            .unwrap();
        }
        for region in ["330100", "440300"] {
            app.add_contribution_parameters(
                &admin,
                &self.key(),
                region,
                shebao_app::insurance::NewContributionParameters {
                    effective_from: "2000-01-01".into(),
                    parameters: shebao_app::insurance::ContributionParametersBody::from_domain(
                        &shebao_domain::insurance::ContributionParameters::example(),
                        0,
                    ),
                },
            )
            .unwrap();
        }
        for (bank, bin, branch, region) in [
            ("icbc", "621226", "icbc-1", "330100"),
            ("abc", "622848", "abc-1", "440300"),
        ] {
            app.create_bank(
                &admin,
                &self.key(),
                NewBank {
                    id: bank.into(),
                    name: bank.to_uppercase(),
                    bin: bin.into(),
                    numbers_from_bank: false,
                },
            )
            .unwrap();
            app.create_branch(
                &admin,
                &self.key(),
                bank,
                NewBranch {
                    id: branch.into(),
                    name: branch.into(),
                    region: region.into(),
                },
            )
            .unwrap();
        }
        self.clerk = self.user("clerk", Role::BureauClerk, None, None, None);
        self.second_clerk = self.user("clerk-2", Role::BureauClerk, None, None, None);
        self.teller = self.user("teller", Role::BankTeller, Some("icbc-1"), None, None);
        self.second_teller = self.user("teller-2", Role::BankTeller, Some("icbc-1"), None, None);
        self.other_teller = self.user("teller-abc", Role::BankTeller, Some("abc-1"), None, None);
        self.bank_system = self.user("icbc-system", Role::BankSystem, None, Some("icbc"), None);
        self.auditor = self.user("auditor", Role::Auditor, None, None, None);
    }

    pub fn user(
        &self,
        name: &str,
        role: Role,
        branch: Option<&str>,
        bank: Option<&str>,
        person: Option<&str>,
    ) -> Actor {
        if role == Role::Cardholder {
            return self.holder_login(name, person.unwrap());
        }
        self.staff_login(NewUser {
            branch_id: branch.map(Into::into),
            bank_id: bank.map(Into::into),
            person_id: person.map(Into::into),
            ..staff(name, role.as_str())
        })
    }

    /// A login made by the administrator from `request`.
    fn staff_login(&self, request: NewUser) -> Actor {
        actor(
            self.app
                .create_user(&self.admin, &self.key(), request)
                .unwrap(),
        )
    }

    /// A holder login opened at the bureau window (issue 13, finding 6: never by the
    /// administrator), whose one-time password is then set to the harness's password as if
    /// the holder had changed it.
    pub fn holder_login(&self, name: &str, person: &str) -> Actor {
        let issued = self
            .app
            .open_holder_login(
                &self.clerk,
                &self.key(),
                person,
                shebao_app::access::holder_logins::WindowEnrolment {
                    username: name.into(),
                    original_id_checked: true,
                },
            )
            .unwrap();
        let id = UserId::new(&issued.user.id);
        let hash = shebao_app::access::auth::hash_password("correct horse battery").unwrap();
        self.app
            .store()
            .write(move |tx| tx.update_user_password(&id, &hash))
            .unwrap();
        actor(issued.user)
    }

    /// A login for the staff of an insured unit.
    pub fn employer_user(&self, name: &str, employer: &str) -> Actor {
        self.staff_login(NewUser {
            employer_id: Some(employer.into()),
            ..staff(name, "employer")
        })
    }

    /// Every audit record (up to the 1,000 one page holds), as the auditor reads them.
    pub fn audit_trail(&self) -> Vec<AuditRecordView> {
        self.audit_records(shebao_store::AuditFilter {
            limit: 1000,
            ..Default::default()
        })
    }

    /// The first `limit` audit records of `action`, as the auditor reads them.
    pub fn audit_of(&self, action: &str, limit: i64) -> Vec<AuditRecordView> {
        self.audit_records(shebao_store::AuditFilter {
            action: Some(action.into()),
            limit,
            ..Default::default()
        })
    }

    /// The audit records `filter` selects, as the auditor reads them.
    pub fn audit_records(&self, filter: shebao_store::AuditFilter) -> Vec<AuditRecordView> {
        self.app.audit_records(&self.auditor, filter).unwrap()
    }

    /// A card's bank card number in clear, read as the store keeps it (pages and the API
    /// show it masked).
    pub fn bank_card_number(&self, card: &str) -> String {
        let id = shebao_domain::ids::CardId::new(card);
        let sealed = open(&self.location)
            .read(move |tx| tx.card_secrets(&id))
            .unwrap()
            .bank_card_cipher
            .unwrap();
        Vault::parse(&self.keys)
            .unwrap()
            .open("card.bank_card_number", &sealed)
            .unwrap()
    }

    /// Asserts that the ledger sums to zero and every balance matches its entries.
    pub fn assert_ledger_balanced(&self, when: &str) {
        let totals = self
            .app
            .store()
            .read(|tx| {
                Ok::<_, shebao_store::StoreError>((tx.ledger_total()?, tx.ledger_mismatches()?))
            })
            .unwrap();
        assert_eq!(totals, (0, Vec::<String>::new()), "ledger {when}");
    }

    pub fn register(&self, citizen_id: &str) -> PersonView {
        self.app
            .register_person(
                &self.clerk,
                &self.key(),
                NewPerson {
                    citizen_id: citizen_id.into(),
                    name: "李明".into(),
                    nationality: "CHN".into(),
                    household_region: "330106".into(),
                    household_kind: "urban".into(),
                    phone: Some("13800138000".into()),
                },
            )
            .unwrap()
    }

    pub fn apply(&self, person: &PersonView) -> Result<CardView, AppError> {
        self.app.apply_card(
            &self.clerk,
            &self.key(),
            CardApplication {
                person_id: person.id.clone(),
                bank_id: "icbc".into(),
                region: "330100".into(),
            },
        )
    }

    pub fn make_ready(&self, card: &CardView) {
        self.app
            .start_production(&self.clerk, &self.key(), &card.id)
            .unwrap();
        self.app
            .mark_ready(&self.clerk, &self.key(), &card.id, ready_at("icbc-1"))
            .unwrap();
    }

    pub fn collect(&self, card: &CardView, citizen_id: &str) -> Result<CardView, AppError> {
        self.app.collect_card(
            &self.clerk,
            &self.key(),
            &card.id,
            CollectRequest {
                citizen_id: citizen_id.into(),
                social_pin: SOCIAL_PIN.into(),
            },
        )
    }

    /// A registered person with a collected card (deposit-only account).
    pub fn collected_card(&self, citizen_id: &str) -> (PersonView, CardView) {
        let person = self.register(citizen_id);
        let card = self.apply(&person).unwrap();
        self.make_ready(&card);
        let card = self.collect(&card, citizen_id).unwrap();
        (person, card)
    }

    /// A registered employer of `region` (risk class 1, base rate), by its credit code.
    pub fn employer(&self, credit_code: &str, region: &str) -> String {
        self.employer_named(credit_code, "杭州示例科技有限公司", region)
    }

    /// A registered employer `name` of `region` (risk class 1, base rate), by its credit code.
    pub fn employer_named(&self, credit_code: &str, name: &str, region: &str) -> String {
        let request = NewEmployer {
            credit_code: credit_code.into(),
            name: name.into(),
            region: region.into(),
            risk_class: 1,
            rate_tier_percent: 100,
        };
        self.app
            .register_employer(&self.clerk, &self.key(), request)
            .unwrap()
            .id
    }

    /// Enrols `person` as an employee of `employer` from `start_month`, at the bureau.
    pub fn enrol_employee(&self, person: &str, employer: &str, start_month: &str) {
        self.app
            .enrol(
                &self.clerk,
                &self.key(),
                employee(person, employer, start_month),
            )
            .unwrap();
    }

    /// Stores `answer` as the clerk's answer under idempotency `key` for the request of
    /// `fingerprint`, as if it had been given at [`START`].
    pub fn save_answer(&self, key: &str, fingerprint: String, answer: serde_json::Value) {
        let stored = serde_json::json!({ "ok": answer }).to_string();
        let scoped = format!("{}/{key}", self.clerk.user_id);
        self.app
            .store()
            .write(move |tx| tx.save_idempotent_response(&scoped, &fingerprint, &stored, START))
            .unwrap();
    }

    /// Sets `region`'s medical `policy` for `year`, as the administrator.
    pub fn set_medical_policy(&self, region: &str, year: i32, policy: MedicalPolicy) {
        self.app
            .set_medical_policy(
                &self.admin,
                &self.key(),
                region,
                NewMedicalPolicy { year, policy },
            )
            .unwrap();
    }

    /// The production desk that keeps the regions' keys (made on first use).
    pub fn key_desk(&self) -> Actor {
        self.app
            .actor_for_username("key-desk")
            .unwrap_or_else(|_| self.user("key-desk", Role::ProductionOfficer, None, None, None))
    }

    /// The region's next e-card key, made by [`World::key_desk`] (the current one retired,
    /// or withdrawn when `withdraw_current`).
    pub fn new_ecard_key(
        &self,
        region: &str,
        withdraw_current: bool,
    ) -> shebao_app::card::ecard_keys::ECardKeyView {
        self.app
            .create_ecard_key(
                &self.key_desk(),
                &self.key(),
                shebao_app::card::ecard_keys::NewECardKey {
                    region: region.into(),
                    withdraw_current,
                },
            )
            .unwrap()
    }

    /// A fresh code of `purpose` of the holder's electronic card for `card`: the region's
    /// e-card key created and the electronic card taken (with [`SOCIAL_PIN`]) when missing.
    pub fn ecard_code(&self, holder: &Actor, card: &str, purpose: &str) -> String {
        let region = self.app.card(&self.clerk, card).unwrap().region;
        if self
            .app
            .ecard_keys(&self.key_desk(), &region)
            .unwrap()
            .is_empty()
        {
            self.new_ecard_key(&region, false);
        }
        let mine = self.app.my_ecards(holder).unwrap().ecards;
        let ecard = match mine
            .into_iter()
            .find(|e| e.card_id == card && e.status == "active")
        {
            Some(ecard) => ecard,
            None => self
                .app
                .issue_ecard(
                    holder,
                    &self.key(),
                    card,
                    shebao_app::card::ecard::ECardRequest {
                        social_pin: SOCIAL_PIN.into(),
                    },
                )
                .unwrap(),
        };
        self.app
            .ecard_code(
                holder,
                &ecard.id,
                shebao_app::card::ecard::CodeRequest {
                    purpose: purpose.into(),
                },
            )
            .unwrap()
            .code
    }

    /// Activates the financial side of `card_id` at the card bank's counter: the holder
    /// `citizen_id` shows the ID card and sets [`FINANCIAL_PIN`].
    pub fn activate_financial(&self, card_id: &str, citizen_id: &str) {
        self.app
            .activate_financial(&self.teller, &self.key(), card_id, activation(citizen_id))
            .unwrap();
    }
}

/// A new staff login's request: `name`, the harness's password, `role`, tied to nothing.
pub fn staff(name: &str, role: &str) -> NewUser {
    NewUser {
        username: name.into(),
        password: "correct horse battery".into(),
        role: role.into(),
        branch_id: None,
        bank_id: None,
        person_id: None,
        employer_id: None,
        institution_id: None,
        provider_id: None,
        vendor_id: None,
    }
}

/// A refusal's stable code.
/// The amounts of a statement's entries, in the order the statement lists them.
pub fn amounts(statement: &StatementView) -> Vec<i64> {
    statement.entries.iter().map(|e| e.amount_fen).collect()
}

pub fn code(error: AppError) -> String {
    error.code().to_owned()
}

/// The transfer a credit posted; a test that expects money to move fails on a credit that
/// waits for approval.
pub fn posted(outcome: Result<MoneyOutcome, AppError>) -> Result<TransferView, AppError> {
    outcome.map(|done| match done {
        MoneyOutcome::Posted(transfer) => transfer,
        MoneyOutcome::AwaitingApproval(request) => {
            panic!("expected the money to move, it waits for approval: {request:?}")
        }
    })
}

/// The request a credit became; a test that expects a wait fails on a posted credit.
pub fn awaiting(outcome: Result<MoneyOutcome, AppError>) -> ApprovalView {
    match outcome.unwrap() {
        MoneyOutcome::AwaitingApproval(request) => *request,
        MoneyOutcome::Posted(transfer) => {
            panic!("expected a request for approval, the money moved: {transfer:?}")
        }
    }
}

/// Declares each test once per backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::harness::World::new($crate::harness::Backend::Sqlite));
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::harness::World::new($crate::harness::Backend::Postgres));
                }
            )*
        }
    };
}

/// Declares a model test once per backend: `$name` runs sequences of `$step`s (as many as
/// `$steps` says) through the calling module's `run(&steps, backend)`, `$sqlite_cases` of them
/// on SQLite and `$postgres_cases` on PostgreSQL, fewer since each starts a fresh schema.
#[macro_export]
macro_rules! model_on_both_backends {
    (
        $name:ident,
        steps: $step:expr, $steps:expr,
        cases: $sqlite_cases:expr, $postgres_cases:expr $(,)?
    ) => {
        $crate::model_on_both_backends!(@one sqlite, Sqlite, $name, $step, $steps, $sqlite_cases);
        $crate::model_on_both_backends!(
            @one postgres, Postgres, $name, $step, $steps, $postgres_cases
        );
    };
    (@one $module:ident, $backend:ident, $name:ident, $step:expr, $steps:expr, $cases:expr) => {
        mod $module {
            use super::*;

            proptest! {
                #![proptest_config(ProptestConfig {
                    cases: $crate::harness::cases($cases),
                    failure_persistence: None,
                    ..ProptestConfig::default()
                })]

                #[test]
                fn $name(steps in prop::collection::vec($step, $steps)) {
                    run(&steps, $crate::harness::Backend::$backend);
                }
            }
        }
    };
}

/// The number of cases: `PROPTEST_CASES` for a long run (docs/reliability.md), else `base`.
pub fn cases(base: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(base)
}
