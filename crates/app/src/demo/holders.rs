//! The demo's holders: each person registered, their card taken through the stages of
//! [`STAGES`] by the clerk, the teller and the bank's card system, and their login
//! opened at the bureau window.

use shebao_domain::access::Role;

use super::{DemoHolder, DemoLogin, Seeder, Staff};
use crate::access::holder_logins::WindowEnrolment;
use crate::card::{
    ActivateRequest, CardApplication, CollectRequest, LossReport, ReadyRequest,
    TemporaryCardRequest,
};
use crate::money::{CashRequest, CreditRequest, PurchaseRequest};
use crate::person::NewPerson;
use crate::{Actor, App, AppError};

/// The stages a demo holder's standard card is taken through, in order.
const STAGES: [&str; 5] = [
    "applied",
    "ready_for_collection",
    "deposit_only",
    "active",
    "temporarily_lost",
];

/// A demo person: the ID number (a test vector), the name, and the state their card is left
/// in.
pub(super) type Person<'a> = (&'a str, &'a str, &'a str);

impl App {
    pub(super) fn seed_holder(
        &self,
        s: &mut Seeder<'_>,
        staff: &Staff,
        person: Person<'_>,
    ) -> Result<(), AppError> {
        let (citizen_id, name, state) = person;
        let clerk = &staff.clerk;
        let key = s.key();
        let registered = self.register_person(
            clerk,
            &key,
            NewPerson {
                citizen_id: citizen_id.into(),
                name: name.into(),
                nationality: "CHN".into(),
                household_region: "330106".into(),
                household_kind: "urban".into(),
                phone: Some("13800138000".into()),
            },
        )?;
        let mut social_pin = "740193".to_owned();
        if state == "temporary_card" {
            return self.seed_temporary_holder(s, clerk, registered.id, person);
        }
        let key = s.key();
        let card = self.apply_card(
            clerk,
            &key,
            CardApplication {
                person_id: registered.id.clone(),
                bank_id: "icbc".into(),
                region: "330100".into(),
            },
        )?;
        let depth = STAGES.iter().position(|s| *s == state).unwrap_or(0);
        let financial_pin =
            self.seed_card_stages(s, staff, &card.id, citizen_id, &social_pin, depth)?;
        if depth < 2 {
            "-".clone_into(&mut social_pin);
        }
        self.seed_holder_login(s, clerk, &registered.id, person)?;
        s.data.holders.push(DemoHolder {
            person_id: registered.id,
            bank_card_number: self.clear_bank_card_number(&card.id)?,
            card_id: card.id,
            citizen_id: citizen_id.into(),
            state: state.into(),
            social_pin,
            financial_pin,
            card_number: card.card_number,
            identification_code: card.identification_code,
        });
        Ok(())
    }

    /// Takes a new card through the first `depth` of [`STAGES`] after its application;
    /// returns the financial PIN once one is set.
    fn seed_card_stages(
        &self,
        s: &mut Seeder<'_>,
        staff: &Staff,
        card: &str,
        citizen_id: &str,
        social_pin: &str,
        depth: usize,
    ) -> Result<Option<String>, AppError> {
        let (clerk, mut financial_pin) = (&staff.clerk, None);
        if depth >= 1 {
            self.seed_card_ready(s, clerk, card)?;
        }
        if depth >= 2 {
            self.seed_card_collected(s, clerk, card, citizen_id, social_pin)?;
        }
        if depth >= 3 {
            financial_pin = Some(self.seed_card_active(s, staff, card, citizen_id)?);
        }
        if depth >= 4 {
            let key = s.key();
            self.report_loss(
                clerk,
                &key,
                card,
                LossReport {
                    side: "financial".into(),
                    kind: "temporary".into(),
                },
            )?;
        }
        Ok(financial_pin)
    }

    /// A holder with a temporary card only.
    fn seed_temporary_holder(
        &self,
        s: &mut Seeder<'_>,
        clerk: &Actor,
        person_id: String,
        (citizen_id, _, state): Person<'_>,
    ) -> Result<(), AppError> {
        let social_pin = "740193".to_owned();
        let key = s.key();
        let card = self.issue_temporary_card(
            clerk,
            &key,
            TemporaryCardRequest {
                person_id: person_id.clone(),
                region: "330100".into(),
                citizen_id: citizen_id.into(),
                social_pin: social_pin.clone(),
            },
        )?;
        s.data.holders.push(DemoHolder {
            person_id,
            bank_card_number: self.clear_bank_card_number(&card.id)?,
            card_id: card.id,
            citizen_id: citizen_id.into(),
            state: state.into(),
            social_pin,
            financial_pin: None,
            card_number: card.card_number,
            identification_code: card.identification_code,
        });
        Ok(())
    }

    /// The card made and ready for collection.
    fn seed_card_ready(
        &self,
        s: &mut Seeder<'_>,
        clerk: &Actor,
        card: &str,
    ) -> Result<(), AppError> {
        let key = s.key();
        self.start_production(clerk, &key, card)?;
        let key = s.key();
        self.mark_ready(
            clerk,
            &key,
            card,
            ReadyRequest {
                distribution_point: "工行杭州西湖支行 ICBC Hangzhou Xihu".into(),
            },
        )?;
        Ok(())
    }

    /// The card collected (its social PIN set) and a pension credited.
    fn seed_card_collected(
        &self,
        s: &mut Seeder<'_>,
        clerk: &Actor,
        card: &str,
        citizen_id: &str,
        social_pin: &str,
    ) -> Result<(), AppError> {
        let key = s.key();
        self.collect_card(
            clerk,
            &key,
            card,
            CollectRequest {
                citizen_id: citizen_id.into(),
                social_pin: social_pin.to_owned(),
            },
        )?;
        let key = s.key();
        self.credit_benefit(
            clerk,
            &key,
            card,
            CreditRequest {
                kind: "pension".into(),
                amount_fen: 312_000,
                region: "330100".into(),
                memo: Some("养老金 pension".into()),
            },
        )?;
        Ok(())
    }

    /// The financial side activated at the teller's counter, a deposit and a purchase; returns
    /// the financial PIN.
    fn seed_card_active(
        &self,
        s: &mut Seeder<'_>,
        staff: &Staff,
        card: &str,
        citizen_id: &str,
    ) -> Result<String, AppError> {
        let (teller, bank_system) = (&staff.teller, &staff.bank_system);
        let pin = "602814".to_owned();
        let key = s.key();
        self.activate_financial(
            teller,
            &key,
            card,
            ActivateRequest {
                citizen_id: citizen_id.into(),
                pin: pin.clone(),
            },
        )?;
        let key = s.key();
        self.deposit(
            teller,
            &key,
            card,
            CashRequest {
                amount_fen: 50_000,
                pin: None,
                memo: Some("现金存款 cash".into()),
            },
        )?;
        let key = s.key();
        self.purchase(
            bank_system,
            &key,
            card,
            PurchaseRequest {
                amount_fen: 2_350,
                pin: pin.clone(),
                merchant: "pharmacy-001".into(),
                memo: Some("药店 pharmacy".into()),
            },
        )?;
        Ok(pin)
    }

    /// Issue 13, finding 6: a holder login is opened at the bureau window (original ID
    /// checked) with a one-time password, never made by the administrator.
    fn seed_holder_login(
        &self,
        s: &mut Seeder<'_>,
        clerk: &Actor,
        person_id: &str,
        (citizen_id, name, state): Person<'_>,
    ) -> Result<(), AppError> {
        let holder_login = format!("holder-{}", citizen_id.get(14..).unwrap_or("x"));
        let key = s.key();
        let issued = self.open_holder_login(
            clerk,
            &key,
            person_id,
            WindowEnrolment {
                username: holder_login.clone(),
                original_id_checked: true,
            },
        )?;
        s.data.logins.push(DemoLogin {
            username: holder_login,
            password: issued.one_time_password,
            role: Role::Cardholder.as_str().into(),
            note: format!("cardholder {name}: {state}"),
        });
        Ok(())
    }
}
