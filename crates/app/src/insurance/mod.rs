//! The five insurances, first part: contribution parameters, employers (insured units),
//! enrolment and transfer of the insured place, payment of declared contributions through
//! the ledger, and what holders and clerks can query.

pub mod calc;
pub mod certificates;
pub mod contribution_run;
pub mod declarations;
pub mod pensions;

use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::identity::SocialCreditCode;
use shebao_domain::ids::{EmployerId, PersonId, RegionCode};
use shebao_domain::insurance::{
    ContributionParameters, Insurance, InsuranceRates, Month, work_injury_rate_ppm,
};
use shebao_domain::ledger::{SystemAccount, TransferCode, personal_account, stripe_of};
use shebao_domain::time::{Date, Timestamp};
use shebao_store::{ContributionRecord, EmployerRecord, EnrolmentRecord, Tx};

use crate::money::{post, transfer_record};
use crate::reference::region_code;
use crate::views::{EntryView, StatementView};
use crate::{Actor, App, AppError, Audit, new_id};

/// Rates as sent and stored: parts per million (16% = 160000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatesBody {
    pub employer_ppm: u32,
    pub individual_ppm: u32,
}

/// A version of a region's contribution parameters, as sent and stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionParametersBody {
    /// The previous year's local average monthly wage.
    pub average_monthly_wage_fen: i64,
    pub base_floor_percent: u32,
    pub base_ceiling_percent: u32,
    pub pension: RatesBody,
    pub medical: RatesBody,
    pub unemployment: RatesBody,
    pub maternity_employer_ppm: u32,
    pub flexible_pension_ppm: u32,
    pub flexible_account_ppm: u32,
    pub personal_pension_account_ppm: u32,
    pub retiree_medical_credit_fen: i64,
    pub pension_interest_ppm: u32,
    /// The region's transitional-pension coefficient; 0 when the region has none.
    #[serde(default)]
    pub transitional_coefficient_ppm: u32,
}

fn rates(body: RatesBody) -> InsuranceRates {
    InsuranceRates {
        employer_ppm: body.employer_ppm,
        individual_ppm: body.individual_ppm,
    }
}

fn rates_body(rates: InsuranceRates) -> RatesBody {
    RatesBody {
        employer_ppm: rates.employer_ppm,
        individual_ppm: rates.individual_ppm,
    }
}

impl ContributionParametersBody {
    pub fn to_domain(&self) -> ContributionParameters {
        ContributionParameters {
            average_monthly_wage_fen: self.average_monthly_wage_fen,
            base_floor_percent: self.base_floor_percent,
            base_ceiling_percent: self.base_ceiling_percent,
            pension: rates(self.pension),
            medical: rates(self.medical),
            unemployment: rates(self.unemployment),
            maternity_employer_ppm: self.maternity_employer_ppm,
            flexible_pension_ppm: self.flexible_pension_ppm,
            flexible_account_ppm: self.flexible_account_ppm,
            personal_pension_account_ppm: self.personal_pension_account_ppm,
            retiree_medical_credit_fen: self.retiree_medical_credit_fen,
            pension_interest_ppm: self.pension_interest_ppm,
        }
    }

    pub fn from_domain(
        params: &ContributionParameters,
        transitional_coefficient_ppm: u32,
    ) -> ContributionParametersBody {
        ContributionParametersBody {
            average_monthly_wage_fen: params.average_monthly_wage_fen,
            base_floor_percent: params.base_floor_percent,
            base_ceiling_percent: params.base_ceiling_percent,
            pension: rates_body(params.pension),
            medical: rates_body(params.medical),
            unemployment: rates_body(params.unemployment),
            maternity_employer_ppm: params.maternity_employer_ppm,
            flexible_pension_ppm: params.flexible_pension_ppm,
            flexible_account_ppm: params.flexible_account_ppm,
            personal_pension_account_ppm: params.personal_pension_account_ppm,
            retiree_medical_credit_fen: params.retiree_medical_credit_fen,
            pension_interest_ppm: params.pension_interest_ppm,
            transitional_coefficient_ppm,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewContributionParameters {
    pub effective_from: String,
    pub parameters: ContributionParametersBody,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewEmployer {
    pub credit_code: String,
    pub name: String,
    pub region: String,
    /// Industry work-injury risk class, 1 to 8.
    pub risk_class: u8,
    /// Floating rate tier in percent of the class's base rate (class I: 100/120/150;
    /// II-VIII: 50/80/100/120/150).
    pub rate_tier_percent: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployerView {
    pub id: String,
    pub credit_code: String,
    pub name: String,
    pub region: String,
    pub risk_class: i64,
    pub rate_tier_percent: i64,
    pub work_injury_rate_ppm: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewEnrolment {
    pub person_id: String,
    /// `employee` (with `employer_id`) or `flexible`.
    pub kind: String,
    pub employer_id: Option<String>,
    /// Needed for a flexible worker; an employee is insured in the employer's region.
    pub region: Option<String>,
    pub start_month: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentEnd {
    pub end_month: String,
}

/// Moving the insured place: the current enrolment ends the month before `month` and the new
/// one starts in `month`, so the record has no gap.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceTransfer {
    pub month: String,
    pub kind: String,
    pub employer_id: Option<String>,
    pub region: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentView {
    pub id: String,
    pub person_id: String,
    pub kind: String,
    pub employer_id: Option<String>,
    pub region: String,
    pub start_month: String,
    pub end_month: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentRequest {
    pub month: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub employer_id: String,
    pub month: String,
    pub rows: i64,
    pub employer_fen: i64,
    pub individual_fen: i64,
    pub paid_at: String,
    /// Paid after the month it is for ended.
    pub late: bool,
}

/// One insured employee of an employer, masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeeView {
    pub person_id: String,
    pub citizen_id: String,
    pub name: String,
    pub start_month: String,
    pub end_month: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrearsView {
    pub month: String,
    pub rows: i64,
    pub employer_fen: i64,
    pub individual_fen: i64,
}

/// One month of one insurance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionView {
    pub month: String,
    pub insurance: String,
    pub base_fen: i64,
    pub employer_fen: i64,
    pub individual_fen: i64,
    pub account_fen: i64,
    pub status: String,
    pub paid_at: Option<String>,
    pub employer: Option<String>,
    pub region: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsuranceTotalView {
    pub insurance: String,
    pub months_paid: i64,
    pub employer_paid_fen: i64,
    pub individual_paid_fen: i64,
    pub total_paid_fen: i64,
    pub owed_fen: i64,
}

/// "My insurances": totals per insurance, pension and medical totals, personal accounts and
/// contribution time to date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsuranceSummaryView {
    pub person_id: String,
    pub insurances: Vec<InsuranceTotalView>,
    pub pension_total_fen: i64,
    pub medical_total_fen: i64,
    pub personal_pension_balance_fen: i64,
    pub personal_medical_balance_fen: i64,
    pub contribution_months: i64,
    pub contribution_years: i64,
    pub contribution_remaining_months: i64,
}

pub(crate) fn parse_month(input: &str, field: &'static str) -> Result<Month, AppError> {
    Month::parse(input.trim()).ok_or_else(|| AppError::Invalid {
        field,
        message: "a month, YYYY-MM".into(),
    })
}

pub(crate) fn insurance_error(error: shebao_domain::insurance::InsuranceError) -> AppError {
    AppError::Invalid {
        field: "parameters",
        message: format!("{}: {error}", error.code()),
    }
}

/// The contribution parameters in force in `month` (on its first day).
pub(crate) fn contribution_parameters(
    tx: &mut Tx<'_>,
    region: &RegionCode,
    month: Month,
) -> Result<Option<ContributionParametersBody>, AppError> {
    let Some((_, body)) = tx.contribution_parameters_at(region, month.first_day())? else {
        return Ok(None);
    };
    serde_json::from_str(&body)
        .map(Some)
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Where a month's contributions are recorded: the month, the insured region, the paying
/// employer (none for a flexible worker), the status they start in and the record (a
/// declaration, a contribution run, a window payment) they come from.
pub(crate) struct Posting<'a> {
    pub month: Month,
    pub region: &'a RegionCode,
    pub employer: Option<&'a EmployerId>,
    pub status: &'a str,
    pub declaration_id: &'a str,
    pub at: Timestamp,
    pub paid_at: Option<Timestamp>,
}

/// An employer's work-injury rate from its stored industry class and floating tier.
pub(crate) fn injury_rate(risk_class: i64, rate_tier_percent: i64) -> Result<u32, AppError> {
    let class = u8::try_from(risk_class).unwrap_or(0);
    let tier = u32::try_from(rate_tier_percent).unwrap_or(0);
    work_injury_rate_ppm(class, tier).map_err(insurance_error)
}

/// An employee's contributions of one month to the five insurances on `wage_fen` (clamped to
/// the base band), with the personal-account parts: the pension's individual share as the
/// parameters say, the medical individual share whole. Appended to `out`.
pub(crate) fn employee_contributions(
    person: &PersonId,
    wage_fen: i64,
    params: &ContributionParameters,
    injury_rate_ppm: u32,
    posting: &Posting<'_>,
    out: &mut Vec<ContributionRecord>,
) {
    for line in shebao_domain::insurance::contributions(wage_fen, params, injury_rate_ppm) {
        let account_fen = match line.insurance {
            Insurance::Pension => shebao_domain::insurance::personal_account_share(&line, params),
            Insurance::Medical => line.individual_fen,
            _ => 0,
        };
        out.push(contribution_record(
            person,
            wage_fen,
            &line,
            account_fen,
            posting,
        ));
    }
}

/// A flexible worker's pension contribution of one month: the base is the local average
/// wage, the worker pays the whole rate, part of it goes to the personal pension account.
pub(crate) fn flexible_record(
    person: &PersonId,
    params: &ContributionParameters,
    posting: &Posting<'_>,
) -> ContributionRecord {
    let line = shebao_domain::insurance::flexible_contribution(params);
    let account_fen = shebao_domain::insurance::personal_account_share(&line, params);
    contribution_record(
        person,
        params.average_monthly_wage_fen,
        &line,
        account_fen,
        posting,
    )
}

fn contribution_record(
    person: &PersonId,
    wage_fen: i64,
    line: &shebao_domain::insurance::ContributionLine,
    account_fen: i64,
    posting: &Posting<'_>,
) -> ContributionRecord {
    ContributionRecord {
        person_id: person.clone(),
        insurance: line.insurance,
        month: posting.month,
        employer_id: posting.employer.cloned(),
        region: posting.region.clone(),
        wage_fen,
        base_fen: line.base_fen,
        employer_fen: line.employer_fen,
        individual_fen: line.individual_fen,
        account_fen,
        status: posting.status.to_owned(),
        declaration_id: posting.declaration_id.to_owned(),
        declared_at: posting.at,
        paid_at: posting.paid_at,
    }
}

fn employer_view(record: &EmployerRecord) -> EmployerView {
    EmployerView {
        id: record.id.to_string(),
        credit_code: record.credit_code.clone(),
        name: record.name.clone(),
        region: record.region.to_string(),
        risk_class: record.risk_class,
        rate_tier_percent: record.rate_tier_percent,
        work_injury_rate_ppm: injury_rate(record.risk_class, record.rate_tier_percent).unwrap_or(0),
    }
}

fn enrolment_view(record: &EnrolmentRecord) -> EnrolmentView {
    EnrolmentView {
        id: record.id.clone(),
        person_id: record.person_id.to_string(),
        kind: record.kind.clone(),
        employer_id: record.employer_id.as_ref().map(ToString::to_string),
        region: record.region.to_string(),
        start_month: record.start.to_string(),
        end_month: record.end.map(|m| m.to_string()),
    }
}

/// Whether the actor may see this person's contributions: clerks all, holders their own,
/// employers those of their own employees (and then only their own unit's rows).
pub(crate) fn contributions_in_scope(
    tx: &mut Tx<'_>,
    actor: &Actor,
    person: &PersonId,
) -> Result<bool, AppError> {
    Ok(match actor.role {
        Role::BureauClerk => true,
        Role::Cardholder => actor.person_id.as_ref() == Some(person),
        Role::Employer => {
            let enrolments = tx.enrolments_of_person(person)?;
            enrolments
                .iter()
                .any(|e| e.employer_id.is_some() && e.employer_id == actor.employer_id)
        }
        _ => false,
    })
}

/// An employer's staff act for their own unit only.
pub(crate) fn employer_in_scope(actor: &Actor, employer: &EmployerId) -> bool {
    match actor.role {
        Role::BureauClerk => true,
        Role::Employer => actor.employer_id.as_ref() == Some(employer),
        _ => false,
    }
}

/// Posts one paid contribution: the employer's share and the individual's share that is not
/// personal go to the region's pooled fund of that insurance; the personal part goes to the
/// person's personal account. Money comes from the payer's account.
pub(crate) fn post_contribution(
    tx: &mut Tx<'_>,
    record: &ContributionRecord,
    payer: &str,
    actor: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let stripe = stripe_of(&format!(
        "{}{}{}",
        record.person_id,
        record.insurance.as_str(),
        record.month
    ));
    let source = SystemAccount::Payer {
        payer: payer.to_owned(),
    }
    .ledger_id(stripe);
    tx.ensure_ledger_account(&source, true, now)?;
    let pool = SystemAccount::Pool {
        region: record.region.to_string(),
        insurance: record.insurance.as_str().to_owned(),
    }
    .ledger_id(stripe);
    let pooled = record.employer_fen + record.individual_fen - record.account_fen;
    let mut legs = vec![(pool, pooled)];
    if record.account_fen > 0 {
        let kind = match record.insurance {
            Insurance::Medical => "medical",
            _ => "pension",
        };
        let personal = personal_account(kind, record.person_id.as_str());
        tx.ensure_ledger_account(&personal, false, now)?;
        legs.push((personal, record.account_fen));
    }
    for (credit, amount_fen) in legs.into_iter().filter(|(_, amount)| *amount > 0) {
        let transfer = transfer_record(
            &new_id("trf"),
            TransferCode::Contribution,
            source.clone(),
            credit,
            amount_fen,
            format!("{} {}", record.insurance.as_str(), record.month),
            actor,
            now,
        );
        post(tx, &transfer, now)?;
    }
    Ok(())
}

impl App {
    /// Adds a version of a region's contribution parameters.
    pub fn add_contribution_parameters(
        &self,
        actor: &Actor,
        key: &str,
        region: &str,
        request: NewContributionParameters,
    ) -> Result<ContributionParametersBody, AppError> {
        self.authorise(actor, Operation::ManageRegions)?;
        let region = region_code(region, "region")?;
        let effective_from =
            Date::parse_iso(&request.effective_from).ok_or_else(|| AppError::Invalid {
                field: "effective_from",
                message: "a date, YYYY-MM-DD".into(),
            })?;
        request
            .parameters
            .to_domain()
            .validate()
            .map_err(insurance_error)?;
        let body = serde_json::to_string(&request.parameters)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let (label, view) = (actor.label(), request.parameters.clone());
        let audit = Audit::on(
            "region.add_contribution_parameters",
            format!("region:{region}"),
        );
        self.change(actor, key, &request, audit, move |tx, now| {
            tx.region(&region)?
                .ok_or_else(|| AppError::NotFound(format!("region {region}")))?;
            tx.insert_contribution_parameters(&region, effective_from, &body, &label, now)?;
            Ok((view.clone(), body.clone()))
        })
    }

    /// Registers an insured unit by its unified social credit code.
    pub fn register_employer(
        &self,
        actor: &Actor,
        key: &str,
        request: NewEmployer,
    ) -> Result<EmployerView, AppError> {
        self.authorise(actor, Operation::ManageEmployers)?;
        let code =
            SocialCreditCode::parse(&request.credit_code).map_err(|error| AppError::Identity {
                field: "credit_code",
                error,
            })?;
        work_injury_rate_ppm(request.risk_class, request.rate_tier_percent).map_err(|e| {
            AppError::Invalid {
                field: "rate_tier_percent",
                message: e.to_string(),
            }
        })?;
        let name = request.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::Invalid {
                field: "name",
                message: "1 to 100 characters".into(),
            });
        }
        let record = EmployerRecord {
            id: EmployerId::new(new_id("emp")),
            credit_code: code.as_str().to_owned(),
            name,
            region: region_code(&request.region, "region")?,
            risk_class: i64::from(request.risk_class),
            rate_tier_percent: i64::from(request.rate_tier_percent),
            created_at: self.now(),
        };
        let audit = Audit::creating("employer.register", format!("employer:{}", record.id));
        self.change(actor, key, &request, audit, move |tx, _| {
            tx.region(&record.region)?
                .ok_or_else(|| AppError::NotFound(format!("region {}", record.region)))?;
            if tx.employer_by_credit_code(&record.credit_code)?.is_some() {
                return Err(AppError::Conflict(
                    "an employer with this credit code is registered".into(),
                ));
            }
            tx.insert_employer(&record)?;
            Ok((employer_view(&record), "{}".into()))
        })
    }

    pub fn employer(&self, actor: &Actor, id: &str) -> Result<EmployerView, AppError> {
        self.authorise(actor, Operation::ReadEmployer)?;
        let id = EmployerId::new(id);
        if !employer_in_scope(actor, &id) {
            return Err(self.hide(actor, Operation::ReadEmployer, format!("employer {id}")));
        }
        let record = self.store.read(move |tx| tx.employer(&id))?;
        record
            .as_ref()
            .map(employer_view)
            .ok_or_else(|| AppError::NotFound("employer".into()))
    }

    /// Enrols a person in the insurances through an employer, or as a flexible worker.
    pub fn enrol(
        &self,
        actor: &Actor,
        key: &str,
        request: NewEnrolment,
    ) -> Result<EnrolmentView, AppError> {
        self.authorise(actor, Operation::Enrol)?;
        let start = parse_month(&request.start_month, "start_month")?;
        let person = PersonId::new(&request.person_id);
        let id = new_id("enr");
        let (actor_in, body) = (actor.clone(), request.clone());
        let audit = Audit::on("insurance.enrol", format!("person:{person}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let record = new_enrolment(
                tx,
                &actor_in,
                &id,
                &person,
                &body.kind,
                body.employer_id.as_deref(),
                body.region.as_deref(),
                start,
                now,
            )?;
            Ok((enrolment_view(&record), "{}".into()))
        })
    }

    /// Ends an enrolment with its last insured month.
    pub fn end_enrolment(
        &self,
        actor: &Actor,
        key: &str,
        enrolment: &str,
        request: EnrolmentEnd,
    ) -> Result<EnrolmentView, AppError> {
        self.authorise(actor, Operation::Enrol)?;
        let end = parse_month(&request.end_month, "end_month")?;
        let (id, actor_in) = (enrolment.to_owned(), actor.clone());
        let audit = Audit::on("insurance.end_enrolment", format!("enrolment:{id}"));
        self.change(actor, key, &request, audit, move |tx, _| {
            let person = find_enrolment_person(tx, &id)?;
            let record = tx
                .enrolments_of_person(&person)?
                .into_iter()
                .find(|e| e.id == id)
                .ok_or_else(|| AppError::NotFound(format!("enrolment {id}")))?;
            // An employer ends only its own employees' enrolments, never a flexible worker's.
            let in_scope = match &record.employer_id {
                Some(employer) => employer_in_scope(&actor_in, employer),
                None => actor_in.role == Role::BureauClerk,
            };
            // Another unit's enrolment is answered as one that does not exist.
            if !in_scope {
                return Err(AppError::Hidden(format!("enrolment {id}")));
            }
            if end < record.start || record.end.is_some() {
                return Err(AppError::Invalid {
                    field: "end_month",
                    message: "after the start of an open enrolment".into(),
                });
            }
            tx.end_enrolment(&record, end)?;
            Ok((
                enrolment_view(&EnrolmentRecord {
                    end: Some(end),
                    ..record
                }),
                "{}".into(),
            ))
        })
    }

    /// Moves the insured place: ends the open enrolment the month before and starts the new
    /// one, in one transaction, so the contribution record stays continuous.
    pub fn transfer_insured_place(
        &self,
        actor: &Actor,
        key: &str,
        person: &str,
        request: PlaceTransfer,
    ) -> Result<EnrolmentView, AppError> {
        self.authorise(actor, Operation::Enrol)?;
        if actor.role != Role::BureauClerk {
            return Err(self.deny(actor, Operation::Enrol, &format!("person:{person}")));
        }
        let month = parse_month(&request.month, "month")?;
        let (person, id, actor_in, body) = (
            PersonId::new(person),
            new_id("enr"),
            actor.clone(),
            request.clone(),
        );
        let audit = Audit::on("insurance.transfer_place", format!("person:{person}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let open = tx.enrolments_of_person(&person)?.into_iter().find(|e| e.end.is_none());
            let open = open.ok_or_else(|| AppError::NotFound("an open enrolment".into()))?;
            if month <= open.start {
                return Err(AppError::Invalid { field: "month", message: "after the open enrolment's start".into() });
            }
            tx.end_enrolment(&open, month.add_months(-1))?;
            let record = new_enrolment(tx, &actor_in, &id, &person, &body.kind, body.employer_id.as_deref(), body.region.as_deref(), month, now)?;
            let detail = serde_json::json!({ "from_region": open.region.to_string(), "to_region": record.region.to_string() }).to_string();
            Ok((enrolment_view(&record), detail))
        })
    }

    pub fn enrolments(&self, actor: &Actor, person: &str) -> Result<Vec<EnrolmentView>, AppError> {
        self.authorise(actor, Operation::ReadContributions)?;
        let (person, actor_in) = (PersonId::new(person), actor.clone());
        let subject = format!("person:{person}");
        let read = self.store.read(move |tx| {
            if !contributions_in_scope(tx, &actor_in, &person)? {
                return Err(AppError::Hidden(format!("person {person}")));
            }
            // An employer sees only the enrolments through itself.
            Ok(tx
                .enrolments_of_person(&person)?
                .iter()
                .filter(|e| {
                    actor_in.role != Role::Employer || e.employer_id == actor_in.employer_id
                })
                .map(enrolment_view)
                .collect())
        });
        self.audited(actor, Operation::ReadContributions, &subject, read)
    }

    /// Records the money of an employer's declared month as arrived: every owed contribution
    /// of that month posts to the pooled funds and personal accounts and becomes paid. A
    /// payment after the month ended is late and stays recorded against its month.
    pub fn record_contribution_payment(
        &self,
        actor: &Actor,
        key: &str,
        employer: &str,
        request: PaymentRequest,
    ) -> Result<PaymentView, AppError> {
        self.authorise(actor, Operation::RecordContributionPayment)?;
        let month = parse_month(&request.month, "month")?;
        let (employer, label) = (EmployerId::new(employer), actor.label());
        let audit = Audit::on("insurance.record_payment", format!("employer:{employer}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let payer_record = tx
                .employer(&employer)?
                .ok_or_else(|| AppError::NotFound(format!("employer {employer}")))?;
            // Late is after the month ended in the employer's region, not in UTC.
            let today = App::today_in(tx, &payer_record.region, now)?;
            let owed = tx.owed_contributions(&employer, month)?;
            if owed.is_empty() {
                return Err(AppError::NotFound(format!("owed contributions of {month}")));
            }
            let payer = format!("employer:{employer}");
            let (mut employer_fen, mut individual_fen) = (0, 0);
            for record in &owed {
                post_contribution(tx, record, &payer, &label, now)?;
                tx.mark_contribution_paid(record, now)?;
                employer_fen += record.employer_fen;
                individual_fen += record.individual_fen;
            }
            let view = PaymentView {
                employer_id: employer.to_string(),
                month: month.to_string(),
                rows: i64::try_from(owed.len()).unwrap_or(i64::MAX),
                employer_fen,
                individual_fen,
                paid_at: now.to_string(),
                late: Month::of(today) > month,
            };
            let detail =
                serde_json::json!({ "month": view.month, "rows": view.rows, "late": view.late })
                    .to_string();
            Ok((view, detail))
        })
    }

    /// A flexible worker pays a month's pension contribution at the window: the base is the
    /// local average wage, the whole rate is the worker's, and the personal-account share
    /// goes to their personal pension account. Recorded as paid at once.
    pub fn record_flexible_contribution(
        &self,
        actor: &Actor,
        key: &str,
        person: &str,
        request: PaymentRequest,
    ) -> Result<ContributionView, AppError> {
        self.authorise(actor, Operation::RecordContributionPayment)?;
        let month = parse_month(&request.month, "month")?;
        let (person, label) = (PersonId::new(person), actor.label());
        let audit = Audit::on(
            "insurance.flexible_contribution",
            format!("person:{person}"),
        );
        self.change(actor, key, &request, audit, move |tx, now| {
            let enrolment = tx
                .enrolments_of_person(&person)?
                .into_iter()
                .find(|e| {
                    e.kind == "flexible" && e.start <= month && e.end.is_none_or(|end| end >= month)
                })
                .ok_or_else(|| AppError::Rule {
                    code: "not_enrolled",
                    message: format!("not insured as a flexible worker in {month}"),
                })?;
            // The month starts at the insured region's midnight, not UTC's.
            if month > Month::of(App::today_in(tx, &enrolment.region, now)?) {
                return Err(AppError::Rule {
                    code: "month_in_future",
                    message: "a month cannot be paid before it starts".into(),
                });
            }
            let params = contribution_parameters(tx, &enrolment.region, month)?
                .ok_or_else(|| AppError::Rule {
                    code: "no_parameters",
                    message: format!("no contribution parameters for {month}"),
                })?
                .to_domain();
            let payer = format!("flexible:{person}");
            let fresh = flexible_record(
                &person,
                &params,
                &Posting {
                    month,
                    region: &enrolment.region,
                    employer: None,
                    status: "paid",
                    declaration_id: &payer,
                    at: now,
                    paid_at: Some(now),
                },
            );
            // The monthly contribution run may have recorded the month as owed: paying at
            // the window settles that row, at the amounts it was recorded with.
            let record = if tx.insert_contributions(std::slice::from_ref(&fresh))? == 1 {
                fresh
            } else {
                let owed = tx
                    .contributions_of_person(&person, Some(Insurance::Pension))?
                    .into_iter()
                    .find(|r| r.month == month && r.status == "owed" && r.employer_id.is_none())
                    .ok_or_else(|| {
                        AppError::Conflict(format!(
                            "the pension contribution of {month} is already recorded"
                        ))
                    })?;
                tx.mark_contribution_paid(&owed, now)?;
                owed
            };
            post_contribution(tx, &record, &payer, &label, now)?;
            let view = ContributionView {
                month: month.to_string(),
                insurance: "pension".into(),
                base_fen: record.base_fen,
                employer_fen: 0,
                individual_fen: record.individual_fen,
                account_fen: record.account_fen,
                status: "paid".into(),
                paid_at: Some(now.to_string()),
                employer: None,
                region: record.region.to_string(),
            };
            Ok((
                view,
                serde_json::json!({ "month": month.to_string() }).to_string(),
            ))
        })
    }

    /// An employer's insured employees (masked), with their enrolment months.
    pub fn employees(&self, actor: &Actor, employer: &str) -> Result<Vec<EmployeeView>, AppError> {
        self.authorise(actor, Operation::ReadEmployer)?;
        let employer = EmployerId::new(employer);
        if !employer_in_scope(actor, &employer) {
            return Err(self.hide(
                actor,
                Operation::ReadEmployer,
                format!("employer {employer}"),
            ));
        }
        let (vault, now) = (self.vault.clone(), self.now());
        self.store.read(move |tx| {
            let mut views = Vec::new();
            for enrolment in tx.enrolments_of_employer(&employer)? {
                let Some(person) = tx.person(&enrolment.person_id)? else {
                    continue;
                };
                let shown =
                    crate::person::person_view(&vault, &person, crate::person::Shown::Masked, now)?;
                views.push(EmployeeView {
                    person_id: shown.id,
                    citizen_id: shown.citizen_id,
                    name: shown.name,
                    start_month: enrolment.start.to_string(),
                    end_month: enrolment.end.map(|m| m.to_string()),
                });
            }
            Ok(views)
        })
    }

    /// An employer's unpaid months.
    pub fn arrears(&self, actor: &Actor, employer: &str) -> Result<Vec<ArrearsView>, AppError> {
        self.authorise(actor, Operation::ReadEmployer)?;
        let employer = EmployerId::new(employer);
        if !employer_in_scope(actor, &employer) {
            return Err(self.hide(
                actor,
                Operation::ReadEmployer,
                format!("employer {employer}"),
            ));
        }
        let rows = self.store.read(move |tx| tx.arrears(&employer))?;
        Ok(rows
            .iter()
            .map(|a| ArrearsView {
                month: a.month.to_string(),
                rows: a.rows,
                employer_fen: a.employer_fen,
                individual_fen: a.individual_fen,
            })
            .collect())
    }

    /// A person's contributions month by month (an employer sees only its own rows).
    pub fn contribution_history(
        &self,
        actor: &Actor,
        person: &str,
        insurance: Option<&str>,
    ) -> Result<Vec<ContributionView>, AppError> {
        self.authorise(actor, Operation::ReadContributions)?;
        let insurance = insurance
            .map(|name| {
                Insurance::parse(name).ok_or_else(|| AppError::Invalid {
                    field: "insurance",
                    message: "pension, medical, unemployment, work_injury or maternity".into(),
                })
            })
            .transpose()?;
        let (person, actor_in) = (PersonId::new(person), actor.clone());
        let subject = format!("person:{person}");
        let read = self.store.read(move |tx| {
            if !contributions_in_scope(tx, &actor_in, &person)? {
                return Err(AppError::Hidden(format!("person {person}")));
            }
            let rows = tx.contributions_of_person(&person, insurance)?;
            let mut names = std::collections::HashMap::new();
            let mut views = Vec::with_capacity(rows.len());
            for row in rows.iter().filter(|r| {
                actor_in.role != Role::Employer || r.employer_id == actor_in.employer_id
            }) {
                let employer = match &row.employer_id {
                    Some(id) => {
                        if !names.contains_key(id) {
                            let name = tx.employer(id)?.map(|e| e.name);
                            names.insert(id.clone(), name);
                        }
                        names.get(id).cloned().flatten()
                    }
                    None => None,
                };
                views.push(ContributionView {
                    month: row.month.to_string(),
                    insurance: row.insurance.as_str().into(),
                    base_fen: row.base_fen,
                    employer_fen: row.employer_fen,
                    individual_fen: row.individual_fen,
                    account_fen: row.account_fen,
                    status: row.status.clone(),
                    paid_at: row.paid_at.map(|t| t.to_string()),
                    employer,
                    region: row.region.to_string(),
                });
            }
            Ok(views)
        });
        self.audited(actor, Operation::ReadContributions, &subject, read)
    }

    /// Totals per insurance, pension and medical totals, personal accounts, contribution time.
    pub fn insurance_summary(
        &self,
        actor: &Actor,
        person: &str,
    ) -> Result<InsuranceSummaryView, AppError> {
        self.authorise(actor, Operation::ReadContributions)?;
        if actor.role == Role::Employer {
            return Err(self.deny(
                actor,
                Operation::ReadContributions,
                &format!("person:{person}"),
            ));
        }
        let (person, actor_in) = (PersonId::new(person), actor.clone());
        let subject = format!("person:{person}");
        let read = self.store.read(move |tx| {
            if !contributions_in_scope(tx, &actor_in, &person)? {
                return Err(AppError::Hidden(format!("person {person}")));
            }
            let rows = tx.contributions_of_person(&person, None)?;
            let insurances: Vec<InsuranceTotalView> = Insurance::ALL
                .iter()
                .map(|insurance| total_of(&rows, *insurance))
                .collect();
            let months = paid_pension_months(&rows);
            let balance = |tx: &mut Tx<'_>, kind: &str| -> Result<i64, AppError> {
                Ok(tx
                    .ledger_balance(&personal_account(kind, person.as_str()))?
                    .map_or(0, |b| b.balance_fen))
            };
            let pension_total = insurances
                .iter()
                .find(|t| t.insurance == "pension")
                .map_or(0, |t| t.total_paid_fen);
            let medical_total = insurances
                .iter()
                .find(|t| t.insurance == "medical")
                .map_or(0, |t| t.total_paid_fen);
            Ok(InsuranceSummaryView {
                person_id: person.to_string(),
                pension_total_fen: pension_total,
                medical_total_fen: medical_total,
                personal_pension_balance_fen: balance(tx, "pension")?,
                personal_medical_balance_fen: balance(tx, "medical")?,
                contribution_months: months,
                contribution_years: months / 12,
                contribution_remaining_months: months % 12,
                insurances,
            })
        });
        self.audited(actor, Operation::ReadContributions, &subject, read)
    }

    /// A personal account's entries (kind `pension` or `medical`), newest first.
    pub fn personal_account_statement(
        &self,
        actor: &Actor,
        person: &str,
        kind: &str,
        before: Option<i64>,
        limit: Option<i64>,
    ) -> Result<StatementView, AppError> {
        self.authorise(actor, Operation::ReadContributions)?;
        if !matches!(kind, "pension" | "medical") {
            return Err(AppError::NotFound(format!("personal account {kind}")));
        }
        if actor.role == Role::Employer {
            // An employer never sees a person's personal accounts: refused, and audited.
            return Err(self.deny(
                actor,
                Operation::ReadContributions,
                &format!("person:{person}"),
            ));
        }
        let limit = limit
            .unwrap_or(50)
            .clamp(1, crate::money::STATEMENT_PAGE_MAX);
        let (person, actor_in, kind) = (PersonId::new(person), actor.clone(), kind.to_owned());
        let subject = format!("person:{person}");
        let read = self.store.read(move |tx| {
            if !contributions_in_scope(tx, &actor_in, &person)? {
                return Err(AppError::Hidden(format!("person {person}")));
            }
            let account = personal_account(&kind, person.as_str());
            let entries = tx.statement(&account, before, limit)?;
            let next_before = (entries.len() == usize::try_from(limit).unwrap_or(0))
                .then(|| entries.last().map(|e| e.seq))
                .flatten()
                .filter(|s| *s > 1);
            Ok(StatementView {
                account_id: account.clone(),
                balance_fen: tx.ledger_balance(&account)?.map_or(0, |b| b.balance_fen),
                entries: entries.iter().map(EntryView::from).collect(),
                next_before,
            })
        });
        self.audited(actor, Operation::ReadContributions, &subject, read)
    }
}

fn find_enrolment_person(tx: &mut Tx<'_>, _id: &str) -> Result<PersonId, AppError> {
    tx.enrolment_person(_id)?
        .ok_or_else(|| AppError::NotFound(format!("enrolment {_id}")))
}

fn total_of(rows: &[ContributionRecord], insurance: Insurance) -> InsuranceTotalView {
    let mine = rows.iter().filter(|r| r.insurance == insurance);
    let (mut months, mut employer, mut individual, mut owed) = (0, 0, 0, 0);
    for row in mine {
        if row.status == "paid" {
            months += 1;
            employer += row.employer_fen;
            individual += row.individual_fen;
        } else {
            owed += row.employer_fen + row.individual_fen;
        }
    }
    InsuranceTotalView {
        insurance: insurance.as_str().into(),
        months_paid: months,
        employer_paid_fen: employer,
        individual_paid_fen: individual,
        total_paid_fen: employer + individual,
        owed_fen: owed,
    }
}

/// Paid pension months: the contribution time that counts toward a pension.
pub(crate) fn paid_pension_months(rows: &[ContributionRecord]) -> i64 {
    let months: std::collections::BTreeSet<Month> = rows
        .iter()
        .filter(|r| r.insurance == Insurance::Pension && r.status == "paid")
        .map(|r| r.month)
        .collect();
    i64::try_from(months.len()).unwrap_or(i64::MAX)
}

#[allow(
    clippy::too_many_arguments,
    reason = "one shared check of every way into an enrolment"
)]
fn new_enrolment(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
    person: &PersonId,
    kind: &str,
    employer: Option<&str>,
    region: Option<&str>,
    start: Month,
    now: Timestamp,
) -> Result<EnrolmentRecord, AppError> {
    // Who may enrol into what is decided before the person is looked up, so a refusal does
    // not tell whether the person exists (issue 13, finding 12).
    let (employer_id, region) = match (kind, employer) {
        ("employee", Some(employer)) => {
            let employer = EmployerId::new(employer);
            if !employer_in_scope(actor, &employer) {
                return Err(AppError::Forbidden);
            }
            let record = tx
                .employer(&employer)?
                .ok_or_else(|| AppError::NotFound(format!("employer {employer}")))?;
            (Some(employer), record.region)
        }
        ("flexible", None) if actor.role == Role::BureauClerk => {
            let region = region_code(region.unwrap_or(""), "region")?;
            tx.region(&region)?
                .ok_or_else(|| AppError::NotFound(format!("region {region}")))?;
            (None, region)
        }
        ("flexible", None) => return Err(AppError::Forbidden),
        _ => {
            return Err(AppError::Invalid {
                field: "kind",
                message: "employee with employer_id, or flexible without".into(),
            });
        }
    };
    tx.person(person)?
        .ok_or_else(|| AppError::NotFound(format!("person {person}")))?;
    let overlapping = tx
        .enrolments_of_person(person)?
        .into_iter()
        .any(|e| e.end.is_none_or(|end| end >= start));
    if overlapping {
        return Err(AppError::Conflict(
            "the person is already insured in that month".into(),
        ));
    }
    let record = EnrolmentRecord {
        id: id.to_owned(),
        person_id: person.clone(),
        employer_id,
        region,
        kind: kind.to_owned(),
        start,
        end: None,
        created_at: now,
        version: 0,
    };
    tx.insert_enrolment(&record)?;
    Ok(record)
}
