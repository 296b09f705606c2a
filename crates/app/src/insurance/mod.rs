//! The five insurances, first part: contribution parameters, employers (insured units),
//! enrolment and transfer of the insured place, payment of declared contributions through
//! the ledger, and what holders and clerks can query. This module holds the requests, views
//! and shared checks; the use cases are in `enrolment` and `contributions`, and the other
//! parts of the area (declarations, contribution runs, pensions, certificates, calculators)
//! in their own modules.

pub mod benefit_parameters;
pub mod calc;
pub mod certificates;
pub mod contribution_run;
mod contributions;
pub mod declarations;
mod enrolment;
pub mod injury;
pub mod maternity;
pub mod pensions;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::ids::{EmployerId, PersonId, REGION_CODE_PATTERN, RegionCode};
use shebao_domain::insurance::{
    ContributionParameters, Insurance, InsuranceRates, MONTH_PATTERN, Month, work_injury_rate_ppm,
};
use shebao_domain::money::ledger::{SystemAccount, TransferCode, personal_account, stripe_of};
use shebao_domain::person::identity::SOCIAL_CREDIT_CODE_PATTERN;
use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use shebao_domain::time::{DATE_PATTERN, Timestamp};
use shebao_store::{ContributionRecord, EmployerRecord, EnrolmentRecord, Tx};

use crate::money::{post, transfer_record};
use crate::{Actor, App, AppError, new_id};

/// The largest rate the parameters' validation accepts: the whole, in parts per million.
const PPM_MAX: u32 = 1_000_000;

/// The kinds of enrolment `enrol` and `transfer_insured_place` accept.
const ENROLMENT_KINDS: [&str; 2] = ["employee", "flexible"];

/// The parameters inside a request, as read: `transitional_coefficient_ppm` may be left out
/// there, while an answer always has it, so the request's schema is written in place instead
/// of naming the answer's `ContributionParameters`.
fn parameters_as_read(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    ContributionParametersBody::json_schema(generator)
}

/// Rates as sent and stored: parts per million (16% = 160000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Rates")]
pub struct RatesBody {
    #[schemars(range(max = PPM_MAX))]
    pub employer_ppm: u32,
    #[schemars(range(max = PPM_MAX))]
    pub individual_ppm: u32,
}

/// A version of a region's contribution parameters, as sent and stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ContributionParameters")]
pub struct ContributionParametersBody {
    /// The previous year's local average monthly wage.
    #[schemars(range(min = 1))]
    pub average_monthly_wage_fen: i64,
    #[schemars(range(min = 1, max = 100))]
    pub base_floor_percent: u32,
    #[schemars(range(min = 100, max = 1000))]
    pub base_ceiling_percent: u32,
    pub pension: RatesBody,
    pub medical: RatesBody,
    pub unemployment: RatesBody,
    #[schemars(range(max = PPM_MAX))]
    pub maternity_employer_ppm: u32,
    #[schemars(range(max = PPM_MAX))]
    pub flexible_pension_ppm: u32,
    #[schemars(range(max = PPM_MAX))]
    pub flexible_account_ppm: u32,
    #[schemars(range(max = PPM_MAX))]
    pub personal_pension_account_ppm: u32,
    #[schemars(range(min = 0))]
    pub retiree_medical_credit_fen: i64,
    #[schemars(range(max = PPM_MAX))]
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

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContributionParameters {
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub effective_from: String,
    #[schemars(schema_with = "parameters_as_read")]
    pub parameters: ContributionParametersBody,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = employer_cases)]
pub struct NewEmployer {
    #[schemars(regex(pattern = SOCIAL_CREDIT_CODE_PATTERN))]
    pub credit_code: String,
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub name: String,
    #[schemars(regex(pattern = REGION_CODE_PATTERN))]
    pub region: String,
    /// Industry work-injury risk class, 1 to 8.
    #[schemars(range(min = 1, max = 8))]
    pub risk_class: u8,
    /// Floating rate tier in percent of the class's base rate (class I: 100/120/150;
    /// II-VIII: 50/80/100/120/150).
    #[schemars(extend("enum" = [50, 80, 100, 120, 150]))]
    pub rate_tier_percent: u32,
}

/// Class I floats to 100, 120 or 150% of its base rate; classes II-VIII also to 50 or 80%.
fn employer_cases(schema: &mut schemars::Schema) {
    crate::schema::cases(
        schema,
        &[
            serde_json::json!({ "properties": { "risk_class": { "const": 1 }, "rate_tier_percent": { "enum": [100, 120, 150] } } }),
            serde_json::json!({ "properties": { "risk_class": { "minimum": 2 } } }),
        ],
    );
}

/// An employee names the employer; a flexible worker names no employer but a region.
fn enrolment_cases(schema: &mut schemars::Schema) {
    crate::schema::cases(
        schema,
        &[
            serde_json::json!({ "properties": { "kind": { "const": "employee" }, "employer_id": { "type": "string", "minLength": 1 } }, "required": ["employer_id"] }),
            serde_json::json!({ "properties": { "kind": { "const": "flexible" }, "employer_id": { "type": "null" }, "region": { "type": "string" } }, "required": ["region"] }),
        ],
    );
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Employer")]
pub struct EmployerView {
    pub id: String,
    pub credit_code: String,
    pub name: String,
    pub region: String,
    pub risk_class: i64,
    pub rate_tier_percent: i64,
    pub work_injury_rate_ppm: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = enrolment_cases)]
pub struct NewEnrolment {
    pub person_id: String,
    /// `employee` (with `employer_id`) or `flexible`.
    #[schemars(extend("enum" = ENROLMENT_KINDS))]
    pub kind: String,
    pub employer_id: Option<String>,
    /// Needed for a flexible worker; an employee is insured in the employer's region.
    #[schemars(regex(pattern = REGION_CODE_PATTERN))]
    pub region: Option<String>,
    #[schemars(regex(pattern = MONTH_PATTERN))]
    pub start_month: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentEnd {
    #[schemars(regex(pattern = MONTH_PATTERN))]
    pub end_month: String,
}

/// Moving the insured place: the current enrolment ends the month before `month` and the new
/// one starts in `month`, so the record has no gap.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceTransfer {
    #[schemars(regex(pattern = MONTH_PATTERN))]
    pub month: String,
    #[schemars(extend("enum" = ENROLMENT_KINDS))]
    pub kind: String,
    pub employer_id: Option<String>,
    #[schemars(regex(pattern = REGION_CODE_PATTERN))]
    pub region: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Enrolment")]
pub struct EnrolmentView {
    pub id: String,
    pub person_id: String,
    #[schemars(extend("enum" = ENROLMENT_KINDS))]
    pub kind: String,
    pub employer_id: Option<String>,
    pub region: String,
    pub start_month: String,
    pub end_month: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentRequest {
    #[schemars(regex(pattern = MONTH_PATTERN))]
    pub month: String,
}

/// An employer's order to pay a month it owes, from its bank account: the month and the
/// total it saw and confirmed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentOrderRequest {
    #[schemars(regex(pattern = MONTH_PATTERN))]
    pub month: String,
    /// The month's total owed (employer and individual parts) as confirmed, in fen; if the
    /// month owes another total now, the order is refused as `owed_total_changed`.
    #[schemars(range(min = 1))]
    pub total_fen: i64,
}

/// An order waiting for its money: the month posts when the bureau records the money
/// arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "PaymentOrder")]
pub struct PaymentOrderView {
    pub employer_id: String,
    pub month: String,
    pub total_fen: i64,
    pub ordered_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Payment")]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Arrears")]
pub struct ArrearsView {
    pub month: String,
    pub rows: i64,
    pub employer_fen: i64,
    pub individual_fen: i64,
    /// When the employer ordered the month paid, if its order waits for the money.
    pub ordered_at: Option<String>,
}

/// One month of one insurance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Contribution")]
pub struct ContributionView {
    pub month: String,
    #[schemars(extend("enum" = Insurance::NAMES))]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "InsuranceTotal")]
pub struct InsuranceTotalView {
    #[schemars(extend("enum" = Insurance::NAMES))]
    pub insurance: String,
    pub months_paid: i64,
    pub employer_paid_fen: i64,
    pub individual_paid_fen: i64,
    pub total_paid_fen: i64,
    pub owed_fen: i64,
}

/// "My insurances": totals per insurance, pension and medical totals, personal accounts and
/// contribution time to date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "InsuranceSummary")]
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
    Month::parse(input.trim()).ok_or_else(|| AppError::invalid(field, "a month, YYYY-MM"))
}

pub(crate) fn insurance_error(error: shebao_domain::insurance::InsuranceError) -> AppError {
    AppError::Insurance {
        field: "parameters",
        error,
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
        .map_err(AppError::failed("decoding JSON"))
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

pub(crate) fn contribution_record(
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
    actor.sees_person(person, |scope| {
        Ok(actor.role == Role::Employer
            && scope.employer_id.is_some()
            && tx
                .enrolments_of_person(person)?
                .iter()
                .any(|e| e.employer_id == scope.employer_id))
    })
}

/// The employer that insured the person in `month` (its enrolment covers the five
/// insurances), if any: one at most, since a person's enrolments never overlap (a second is
/// refused `AlreadyInsured`); a flexible worker's enrolment names none.
pub(crate) fn insuring_employer(
    tx: &mut Tx<'_>,
    person: &PersonId,
    month: Month,
) -> Result<Option<EmployerId>, AppError> {
    Ok(tx
        .enrolments_of_person(person)?
        .into_iter()
        .filter(|e| e.start <= month && e.end.is_none_or(|end| month <= end))
        .find_map(|e| e.employer_id))
}

/// An employer's staff act for their own unit only.
pub(crate) fn employer_in_scope(actor: &Actor, employer: &EmployerId) -> bool {
    match actor.role {
        Role::BureauClerk => true,
        Role::Employer => actor.scope.employer_id.as_ref() == Some(employer),
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
    let source = SystemAccount::Payer {
        payer: payer.to_owned(),
    };
    post_contribution_from(tx, record, &source, actor, now)
}

/// [`post_contribution`] with the money taken from `source` (a payer from outside, or a
/// fund paying a person's contributions, as the unemployment fund does the medical ones).
pub(crate) fn post_contribution_from(
    tx: &mut Tx<'_>,
    record: &ContributionRecord,
    source: &SystemAccount,
    actor: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let stripe = stripe_of(&format!(
        "{}{}{}",
        record.person_id,
        record.insurance.as_str(),
        record.month
    ));
    let source = source.ledger_id(stripe);
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

/// Paid pension months: the contribution time that counts toward a pension.
pub(crate) fn paid_pension_months(rows: &[ContributionRecord]) -> i64 {
    let months: std::collections::BTreeSet<Month> = rows
        .iter()
        .filter(|r| r.insurance == Insurance::Pension && r.status == "paid")
        .map(|r| r.month)
        .collect();
    i64::try_from(months.len()).unwrap_or(i64::MAX)
}

impl App {
    /// Authorises reading a person's own record of contributions, pensions or totals: an
    /// employer sees only its own rows, through the contribution history, so it is refused
    /// here (audited).
    pub(crate) fn authorise_own_record(&self, actor: &Actor, person: &str) -> Result<(), AppError> {
        self.authorise(actor, Operation::ReadContributions)?;
        if actor.role == Role::Employer {
            return Err(self.deny(
                actor,
                Operation::ReadContributions,
                &format!("person:{person}"),
            ));
        }
        Ok(())
    }

    /// Reads a person's insurance records in a snapshot: a person out of the actor's scope
    /// ([`contributions_in_scope`]) is hidden, answered as one that does not exist, and the
    /// refusal audited under `ReadContributions`. `work` gets the reader and the person.
    pub(crate) fn read_insured<T: Send + 'static>(
        &self,
        actor: &Actor,
        person: &str,
        mut work: impl FnMut(&mut Tx<'_>, &Actor, &PersonId) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let person = PersonId::new(person);
        let subject = format!("person:{person}");
        self.read_for(
            actor,
            Operation::ReadContributions,
            &subject,
            move |tx, r| {
                if !contributions_in_scope(tx, &r.actor, &person)? {
                    return Err(AppError::Hidden(format!("person {person}")));
                }
                work(tx, &r.actor, &person)
            },
        )
    }
}
