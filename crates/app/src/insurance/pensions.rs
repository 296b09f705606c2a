//! Retirement and pension: the award (eligibility, basic pension, personal-account pension,
//! the region's transitional rule), the monthly payout run to each pensioner's card (accepted
//! while deposit-only by the region's policy, once per person and month) with retirees'
//! fixed medical-account credit, and the yearly interest credit to personal pension accounts.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;
use shebao_domain::card::{Card, CardKind, Side};
use shebao_domain::ids::{PersonId, REGION_CODE_PATTERN, RegionCode};
use shebao_domain::insurance::{
    CoefficientTransitionalPension, ContributionIndex, Insurance, MONTH_PATTERN, Month, Retirement,
    RetirementCategory, TransitionalPension, contribution_index, minimum_contribution_months,
    pension, retirement, yearly_interest_fen,
};
use shebao_domain::money::ledger::{SystemAccount, TransferCode, personal_account, stripe_of};
use shebao_domain::person::identity::Gender;
use shebao_domain::time::Timestamp;
use shebao_store::{ContributionRecord, PensionAwardRecord, Tx};

use crate::error::Clash;
use crate::error::{OrNotFound, RefusalCode, rule};
use crate::insurance::{contribution_parameters, paid_pension_months, parse_month};
use crate::money::{post, transfer_record};
use crate::reference::region_code;
use crate::{Actor, App, AppError, Audit, new_id};

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardRequest {
    /// `male`, `female-55` or `female-50`.
    #[schemars(extend("enum" = RetirementCategory::NAMES))]
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Award")]
pub struct AwardView {
    pub person_id: String,
    pub region: String,
    pub retirement_month: String,
    pub contribution_months: i64,
    pub minimum_contribution_months: u32,
    pub contribution_index: String,
    pub basic_fen: i64,
    pub account_fen: i64,
    pub transitional_fen: i64,
    pub monthly_fen: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutRequest {
    #[schemars(regex(pattern = REGION_CODE_PATTERN))]
    pub region: String,
    #[schemars(regex(pattern = MONTH_PATTERN))]
    pub month: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "PayoutSkipped")]
pub struct SkippedView {
    pub person_id: String,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Payout")]
pub struct PayoutView {
    pub region: String,
    pub month: String,
    pub paid: i64,
    pub already_paid: i64,
    pub paid_fen: i64,
    pub skipped: Vec<SkippedView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InterestRequest {
    #[schemars(regex(pattern = REGION_CODE_PATTERN))]
    pub region: String,
    pub year: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Interest")]
pub struct InterestView {
    pub region: String,
    pub year: i32,
    pub accounts: i64,
    pub credited_fen: i64,
}

fn index_text(ten_thousandths: u32) -> String {
    format!(
        "{}.{:04}",
        ten_thousandths / 10_000,
        ten_thousandths % 10_000
    )
}

/// The card a benefit is paid to: the holder's collected standard card with an account.
pub(crate) fn paying_card(
    tx: &mut Tx<'_>,
    person: &PersonId,
    now: Timestamp,
) -> Result<Option<Card>, AppError> {
    for card in tx.cards_of_person(person)? {
        if card.kind != CardKind::Standard || card.account_id.is_none() {
            continue;
        }
        let utc_offset = crate::card::card_utc_offset(tx, &card, now)?;
        if card.ensure_usable(now, utc_offset).is_ok()
            || card
                .ensure_side_usable(Side::Financial, now, utc_offset)
                .is_ok()
        {
            return Ok(Some(card));
        }
    }
    Ok(None)
}

/// The account of the card a benefit is paid to now; or, as the inner error, why none takes
/// it: `no_card`, or the account's own refusal (closed, or deposit-only where the region
/// refuses credits then). A payout skips the person with that code; a one-off payment is
/// refused with it ([`crediting_account`]).
pub(crate) fn payable_account(
    tx: &mut Tx<'_>,
    person: &PersonId,
    now: Timestamp,
) -> Result<Result<String, AppError>, AppError> {
    let no_card = || AppError::Rule {
        code: RefusalCode::NoCard,
        message: "the person has no card to pay to".into(),
    };
    let Some(card) = paying_card(tx, person, now)? else {
        return Ok(Err(no_card()));
    };
    let Some(account_id) = card.account_id.clone() else {
        return Ok(Err(no_card()));
    };
    let account = tx
        .account(&account_id)?
        .or_not_found("account", &account_id)?;
    let card_params = App::parameters_in(tx, &card.region, now)?;
    Ok(match account.accept_credit(&card_params) {
        Ok(()) => Ok(account_id.to_string()),
        Err(refusal) => Err(refusal.into()),
    })
}

/// The account of the card a one-off benefit is paid to now, or the refusal of
/// [`payable_account`].
pub(crate) fn crediting_account(
    tx: &mut Tx<'_>,
    person: &PersonId,
    now: Timestamp,
) -> Result<String, AppError> {
    payable_account(tx, person, now)?
}

/// A benefit paid once per person, kind and period: the transfer and its payment record.
pub(crate) struct Benefit<'a> {
    pub person: &'a PersonId,
    /// `pension`, `retiree_medical`, `pension_interest` or `unemployment`.
    pub kind: &'static str,
    pub period: &'a str,
    pub code: TransferCode,
    pub memo: String,
}

impl Benefit<'_> {
    /// Posts `amount_fen` from `source` (created if new) to `target` and records the payment;
    /// answers the transfer's id. The single path every benefit credit takes.
    pub(crate) fn pay(
        self,
        tx: &mut Tx<'_>,
        (source, target): (String, String),
        amount_fen: i64,
        actor: &str,
        now: Timestamp,
    ) -> Result<shebao_domain::ids::TransferId, AppError> {
        tx.ensure_ledger_account(&source, true, now)?;
        let id = new_id("trf");
        let transfer = transfer_record(
            &id, self.code, source, target, amount_fen, self.memo, actor, now,
        );
        post(tx, &transfer, now)?;
        tx.insert_benefit_payment(
            self.person,
            self.kind,
            self.period,
            &transfer.id,
            amount_fen,
            now,
        )?;
        Ok(transfer.id)
    }
}

impl App {
    /// Awards a pension once the person reached the statutory retirement month and has the
    /// minimum contribution period; the amount follows State Council 2005 No. 38.
    pub fn award_pension(
        &self,
        actor: &Actor,
        key: &str,
        person: &str,
        request: AwardRequest,
    ) -> Result<AwardView, AppError> {
        self.authorise(actor, Operation::AwardPension)?;
        let category = RetirementCategory::parse(request.category.trim())
            .ok_or_else(|| AppError::invalid("category", "male, female-55 or female-50"))?;
        let person = PersonId::new(person);
        let audit = Audit::on("pension.award", format!("person:{person}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let record = tx.person(&person)?.or_not_found("person", &person)?;
            let male = record.gender == Gender::Male;
            if male != (category == RetirementCategory::Male) {
                return Err(AppError::invalid(
                    "category",
                    "does not match the gender of the ID number",
                ));
            }
            let retired = retirement(Month::of(record.birth_date), category);
            let rows = tx.contributions_of_person(&person, Some(Insurance::Pension))?;
            // The retirement month is reached on the insured region's day (the region of the
            // latest contribution). Without contributions the award is refused below anyway;
            // UTC's day only orders that refusal.
            let today = match rows.last() {
                Some(row) => App::today_in(tx, &row.region, now)?,
                None => now.utc_date(),
            };
            // The refusal does not name the retirement month: it follows from the birth month,
            // which a role that has not unmasked the person may not learn (issue 13,
            // finding 3). The holder sees their own in their award and calculators.
            if Month::of(today) < retired.retirement_month {
                return Err(rule(
                    RefusalCode::NotRetirementAge,
                    "the person has not reached the statutory retirement month".to_owned(),
                ));
            }
            if tx.pension_award(&person)?.is_some() {
                return Err(AppError::Conflict(Clash::PensionAwarded));
            }
            let months = paid_pension_months(&rows);
            let minimum = minimum_contribution_months(retired.retirement_month.year());
            if months < i64::from(minimum) {
                return Err(rule(
                    RefusalCode::ContributionPeriodTooShort,
                    format!("{months} months paid; {minimum} needed"),
                ));
            }
            let region = rows
                .last()
                .map(|r| r.region.clone())
                .ok_or_else(|| AppError::NotFound("contributions".into()))?;
            let (award, index) =
                award_record(tx, &person, region.clone(), &rows, months, &retired, now)?;
            tx.insert_pension_award(&award)?;
            let view = award_view(&award, months, minimum, index);
            Ok((
                view,
                serde_json::json!({ "monthly_fen": award.monthly_fen }).to_string(),
            ))
        })
    }

    /// Pays a month's pensions in a region to each pensioner's card, once per person and
    /// month; credits retirees' fixed medical-account amount with it.
    pub fn run_pension_payout(
        &self,
        actor: &Actor,
        key: &str,
        request: PayoutRequest,
    ) -> Result<PayoutView, AppError> {
        self.authorise(actor, Operation::RunPayouts)?;
        let (region, month) = self.payout_month(&request, "pensions")?;
        let label = actor.label();
        let audit = Audit::on("pension.payout", format!("region:{region}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut view = PayoutView::empty(&region, month);
            let params = contribution_parameters(tx, &region, month)?;
            let medical = params.as_ref().map_or(0, |p| p.retiree_medical_credit_fen);
            for award in tx.pension_awards_due(&region, month)? {
                let paid = pay_pension(tx, &award, month, medical, &label, now)?;
                view.count(&award.person_id, paid);
            }
            let detail = view.detail();
            Ok((view, detail))
        })
    }

    /// Credits a year's interest to the personal pension accounts of a region's insured, at
    /// the nationally announced rate in force at the year's end; once per person and year.
    pub fn credit_pension_interest(
        &self,
        actor: &Actor,
        key: &str,
        request: InterestRequest,
    ) -> Result<InterestView, AppError> {
        self.authorise(actor, Operation::RunPayouts)?;
        let region = region_code(&request.region, "region")?;
        let december =
            Month::new(request.year, 12).ok_or_else(|| AppError::invalid("year", "a year"))?;
        if request.year >= self.today_of(&region)?.year() {
            return Err(rule(
                RefusalCode::YearNotOver,
                "interest is credited for a year that has ended",
            ));
        }
        let next_year = shebao_domain::time::Date::new(request.year + 1, 1, 1)
            .ok_or_else(|| AppError::invalid("year", "a year"))?;
        let (label, year) = (actor.label(), request.year);
        let audit = Audit::on("pension.interest", format!("region:{region}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            // The year ends at the region's midnight, not UTC's.
            let utc_offset = App::parameters_in(tx, &region, now)?.utc_offset();
            let year_end = shebao_domain::time::Timestamp::start_of_local(next_year, utc_offset);
            let params = contribution_parameters(tx, &region, december)?.ok_or_else(|| {
                rule(
                    RefusalCode::NoParameters,
                    "the region has no contribution parameters for that year",
                )
            })?;
            let mut view = InterestView {
                region: region.to_string(),
                year,
                accounts: 0,
                credited_fen: 0,
            };
            let rate_ppm = params.pension_interest_ppm;
            for person in tx.persons_enrolled_in_region(&region)? {
                let year_of = (year, year_end);
                if let Some(interest) =
                    credit_interest(tx, &region, &person, rate_ppm, year_of, &label, now)?
                {
                    view.accounts += 1;
                    view.credited_fen += interest;
                }
            }
            Ok((
                view.clone(),
                serde_json::json!({ "accounts": view.accounts, "credited_fen": view.credited_fen })
                    .to_string(),
            ))
        })
    }

    /// A person's pension award, if any.
    pub fn pension_award(
        &self,
        actor: &Actor,
        person: &str,
    ) -> Result<Option<PensionAwardRecordView>, AppError> {
        self.authorise_own_record(actor, person)?;
        self.read_insured(actor, person, move |tx, _, person| {
            Ok(tx.pension_award(person)?.map(|a| PensionAwardRecordView {
                retirement_month: a.retirement_month.to_string(),
                monthly_fen: a.monthly_fen,
                basic_fen: a.basic_fen,
                account_fen: a.account_fen,
                transitional_fen: a.transitional_fen,
                region: a.region.to_string(),
            }))
        })
    }
}

/// A pension in payment, as shown to its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "AwardInPayment")]
pub struct PensionAwardRecordView {
    pub region: String,
    pub retirement_month: String,
    pub basic_fen: i64,
    pub account_fen: i64,
    pub transitional_fen: i64,
    pub monthly_fen: i64,
}

/// What one payout did for one payee: paid now (the amount), paid by an earlier run, not
/// due in the month, or skipped (with why: no card that takes the credit).
pub(crate) enum Paid {
    Now(i64),
    Before,
    NotDue,
    Skipped(String),
}

impl PayoutView {
    /// A payout of `month` in `region` that has paid nobody yet.
    pub(crate) fn empty(region: &RegionCode, month: Month) -> PayoutView {
        PayoutView {
            region: region.to_string(),
            month: month.to_string(),
            paid: 0,
            already_paid: 0,
            paid_fen: 0,
            skipped: Vec::new(),
        }
    }

    /// Counts what the run did for `person`.
    pub(crate) fn count(&mut self, person: &PersonId, paid: Paid) {
        match paid {
            Paid::Now(fen) => {
                self.paid += 1;
                self.paid_fen += fen;
            }
            Paid::Before => self.already_paid += 1,
            Paid::NotDue => {}
            Paid::Skipped(code) => self.skipped.push(SkippedView {
                person_id: person.to_string(),
                code,
            }),
        }
    }

    /// The run's audit detail.
    pub(crate) fn detail(&self) -> String {
        serde_json::json!({
            "month": self.month, "paid": self.paid, "paid_fen": self.paid_fen,
            "skipped": self.skipped.len()
        })
        .to_string()
    }
}

impl App {
    /// The region and month a payout request names, the month refused when it has not
    /// begun in the region (`what` are paid for the current month or earlier).
    pub(crate) fn payout_month(
        &self,
        request: &PayoutRequest,
        what: &str,
    ) -> Result<(RegionCode, Month), AppError> {
        let region = region_code(&request.region, "region")?;
        let month = parse_month(&request.month, "month")?;
        if month > Month::of(self.today_of(&region)?) {
            return Err(AppError::Rule {
                code: RefusalCode::MonthInFuture,
                message: format!("{what} are paid for the current month or earlier"),
            });
        }
        Ok((region, month))
    }
}

fn pay_pension(
    tx: &mut Tx<'_>,
    award: &PensionAwardRecord,
    month: Month,
    retiree_medical_fen: i64,
    actor: &str,
    now: Timestamp,
) -> Result<Paid, AppError> {
    let period = month.to_string();
    if tx.benefit_paid(&award.person_id, "pension", &period)? {
        return Ok(Paid::Before);
    }
    let account_id = match payable_account(tx, &award.person_id, now)? {
        Ok(account) => account,
        Err(refusal) => return Ok(Paid::Skipped(refusal.code().to_owned())),
    };
    let stripe = stripe_of(award.person_id.as_str());
    let fund = SystemAccount::Fund {
        region: award.region.to_string(),
        fund: "pension".into(),
    }
    .ledger_id(stripe);
    Benefit {
        person: &award.person_id,
        kind: "pension",
        period: &period,
        code: TransferCode::PensionCredit,
        memo: format!("养老金 pension {period}"),
    }
    .pay(tx, (fund, account_id), award.monthly_fen, actor, now)?;
    if retiree_medical_fen > 0 && !tx.benefit_paid(&award.person_id, "retiree_medical", &period)? {
        let pool = SystemAccount::Pool {
            region: award.region.to_string(),
            insurance: "medical".into(),
        }
        .ledger_id(stripe);
        let personal = personal_account("medical", award.person_id.as_str());
        tx.ensure_ledger_account(&personal, false, now)?;
        Benefit {
            person: &award.person_id,
            kind: "retiree_medical",
            period: &period,
            code: TransferCode::BenefitCredit,
            memo: format!("retiree medical {period}"),
        }
        .pay(tx, (pool, personal), retiree_medical_fen, actor, now)?;
    }
    Ok(Paid::Now(award.monthly_fen))
}

/// The award a person's paid contributions earn at retirement (State Council 2005 No. 38),
/// with their average contribution index.
fn award_record(
    tx: &mut Tx<'_>,
    person: &PersonId,
    region: RegionCode,
    rows: &[ContributionRecord],
    months: i64,
    retired: &Retirement,
    now: Timestamp,
) -> Result<(PensionAwardRecord, ContributionIndex), AppError> {
    let mut pairs = Vec::new();
    for row in rows.iter().filter(|r| r.status == "paid") {
        if let Some(params) = contribution_parameters(tx, &row.region, row.month)? {
            pairs.push((row.base_fen, params.average_monthly_wage_fen));
        }
    }
    let index = contribution_index(&pairs);
    let params =
        contribution_parameters(tx, &region, retired.retirement_month)?.ok_or_else(|| {
            rule(
                RefusalCode::NoParameters,
                "the region has no contribution parameters for the retirement month",
            )
        })?;
    let balance = tx
        .ledger_balance(&personal_account("pension", person.as_str()))?
        .map_or(0, |b| b.balance_fen);
    let amounts = pension(
        params.average_monthly_wage_fen,
        index,
        u32::try_from(months).unwrap_or(u32::MAX),
        balance,
        retired.age_years,
    )
    .map_err(|e| rule(RefusalCode::PensionNotComputable, e.to_string()))?;
    // The transitional pension is a regional rule; no record before personal accounts
    // is kept here, so its months are zero until such records are imported.
    let transitional = CoefficientTransitionalPension {
        coefficient_ppm: params.transitional_coefficient_ppm,
    }
    .monthly_fen(0, params.average_monthly_wage_fen, index);
    let award = PensionAwardRecord {
        person_id: person.clone(),
        region: region.clone(),
        retirement_month: retired.retirement_month,
        basic_fen: amounts.basic_fen,
        account_fen: amounts.account_fen,
        transitional_fen: transitional,
        monthly_fen: amounts.total_fen + transitional,
        awarded_at: now,
    };
    Ok((award, index))
}

/// The award as its view shows it.
fn award_view(
    award: &PensionAwardRecord,
    months: i64,
    minimum: u32,
    index: ContributionIndex,
) -> AwardView {
    AwardView {
        person_id: award.person_id.to_string(),
        region: award.region.to_string(),
        retirement_month: award.retirement_month.to_string(),
        contribution_months: months,
        minimum_contribution_months: minimum,
        contribution_index: index_text(index.ten_thousandths()),
        basic_fen: award.basic_fen,
        account_fen: award.account_fen,
        transitional_fen: award.transitional_fen,
        monthly_fen: award.monthly_fen,
    }
}

/// Credits a year's interest to one person's pension account from the region's pool, once;
/// the interest credited, or `None` if there was none to credit (or it was credited before).
fn credit_interest(
    tx: &mut Tx<'_>,
    region: &RegionCode,
    person: &PersonId,
    rate_ppm: u32,
    (year, year_end): (i32, Timestamp),
    label: &str,
    now: Timestamp,
) -> Result<Option<i64>, AppError> {
    let period = year.to_string();
    let account = personal_account("pension", person.as_str());
    // The balance at the year's end, not today's.
    let balance = tx.balance_before(&account, year_end)?;
    let interest = yearly_interest_fen(balance, rate_ppm);
    if interest <= 0 || tx.benefit_paid(person, "pension_interest", &period)? {
        return Ok(None);
    }
    let pool = SystemAccount::Pool {
        region: region.to_string(),
        insurance: "pension".into(),
    }
    .ledger_id(stripe_of(person.as_str()));
    Benefit {
        person,
        kind: "pension_interest",
        period: &period,
        code: TransferCode::Interest,
        memo: format!("interest {year}"),
    }
    .pay(tx, (pool, account), interest, label, now)?;
    Ok(Some(interest))
}
