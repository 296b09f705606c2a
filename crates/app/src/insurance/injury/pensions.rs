//! What a work-injury case pays month by month from the work-injury fund (Arts. 34-35, 39):
//! the disability allowance of grades 1-4 and the care allowance, made when the benefits are
//! settled; after a work death, the funeral grant and the one-time work-death benefit paid to
//! the claiming family member's card, and a pension for each dependant; and the monthly
//! payout, which pays each benefit due once a month to its payee's card.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;
use shebao_domain::ids::PersonId;
use shebao_domain::insurance::{
    Dependant, Insurance, Month, dependants_pensions_fen, funeral_grant_fen, injury_wage_fen,
    work_death_benefit_fen,
};
use shebao_domain::money::ledger::{SystemAccount, TransferCode, receivable_account, stripe_of};
use shebao_domain::time::{DATE_PATTERN, Date, Timestamp};
use shebao_store::{InjuryCaseRecord, InjuryDeathRecord, InjuryPensionRecord, Tx};

use super::settlement::own_wage_fen;
use super::{InjuryCaseView, case_view, known_case, rule, settleable_case};
use crate::employment::unemployment::bureau_note;
use crate::error::{Clash, OrNotFound, RefusalCode};
use crate::insurance::benefit_parameters::benefit_parameters;
use crate::insurance::contribution_parameters;
use crate::insurance::pensions::{
    Benefit, Paid, PayoutRequest, PayoutView, crediting_account, payable_account,
};
use crate::money::{post, transfer_record};
use crate::{Actor, App, AppError, Audit, new_id};
use shebao_store::tx::INJURY_LISTED_MAX;

/// The most dependants one death names.
pub const DEPENDANTS_MAX: usize = 10;
/// Benefits one payout reads at a time.
const PAYOUT_PAGE: i64 = 500;

pub(crate) const DISABILITY: &str = "disability";
pub(crate) const CARE: &str = "care";
const DEPENDANT: &str = "dependant";

/// A monthly benefit of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "InjuryPension")]
pub struct PensionView {
    pub id: String,
    /// Whose card it is paid to.
    pub person_id: String,
    /// `disability`, `care` or `dependant`.
    #[schemars(extend("enum" = [DISABILITY, CARE, DEPENDANT]))]
    pub kind: String,
    pub monthly_fen: i64,
    pub from_month: String,
    /// The first month no longer paid.
    pub ended_month: Option<String>,
}

/// A work death's one-off benefits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(inline)]
pub struct DeathView {
    pub died_on: String,
    /// The family member paid the one-off benefits.
    pub recipient_id: String,
    /// The worker's wage the dependants' pensions are counted on.
    pub wage_fen: i64,
    pub funeral_fen: i64,
    pub one_time_fen: i64,
    /// What the fund paid the worker for months after the death, owed back.
    pub overpaid_fen: i64,
    pub note: String,
}

/// A relative the deceased worker supported.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DependantBody {
    pub person_id: String,
    /// The spouse (40% of the wage); any other dependant 30%.
    #[serde(default)]
    pub spouse: bool,
    /// A lone elder or an orphan: 10 points more.
    #[serde(default)]
    pub alone: bool,
}

/// A worker's death from a recognised work injury.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDeath {
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub died_on: String,
    /// The family member the funeral grant and the one-time benefit are paid to.
    pub recipient_id: String,
    /// The relatives the worker supported, each paid a monthly pension.
    #[serde(default)]
    #[schemars(length(max = DEPENDANTS_MAX))]
    pub dependants: Vec<DependantBody>,
    /// What the bureau knows of the death (1 to 500 characters).
    #[schemars(length(min = 1, max = 500), regex(pattern = shebao_domain::text::TRIMMED_TEXT_PATTERN))]
    pub note: String,
}

pub(crate) fn pension_view(record: &InjuryPensionRecord) -> PensionView {
    PensionView {
        id: record.id.clone(),
        person_id: record.person_id.to_string(),
        kind: record.kind.clone(),
        monthly_fen: record.monthly_fen,
        from_month: record.from_month.to_string(),
        ended_month: record.ended_month.map(|m| m.to_string()),
    }
}

pub(crate) fn death_view(record: &InjuryDeathRecord) -> DeathView {
    DeathView {
        died_on: record.died_on.to_string(),
        recipient_id: record.recipient_id.to_string(),
        wage_fen: record.wage_fen,
        funeral_fen: record.funeral_fen,
        one_time_fen: record.one_time_fen,
        overpaid_fen: record.overpaid_fen,
        note: record.note.clone(),
    }
}

/// A new monthly benefit of `case` for `person`, paid from `from`.
pub(crate) fn new_pension(
    tx: &mut Tx<'_>,
    case: &InjuryCaseRecord,
    (person, kind): (&PersonId, &str),
    monthly_fen: i64,
    (from, now): (Month, Timestamp),
) -> Result<(), AppError> {
    tx.insert_injury_pension(&InjuryPensionRecord {
        id: new_id("ijp"),
        case_id: case.id.clone(),
        region: case.region.clone(),
        person_id: person.clone(),
        kind: kind.to_owned(),
        monthly_fen,
        from_month: from,
        ended_month: None,
        created_at: now,
        version: 0,
    })?;
    Ok(())
}

/// The region's work-injury fund, on the stripe of `person`.
fn injury_fund(case: &InjuryCaseRecord, person: &PersonId) -> String {
    SystemAccount::Fund {
        region: case.region.to_string(),
        fund: Insurance::WorkInjury.as_str().into(),
    }
    .ledger_id(stripe_of(person.as_str()))
}

/// Pays `pension` its month from the region's work-injury fund, once.
fn pay_pension(
    tx: &mut Tx<'_>,
    pension: &InjuryPensionRecord,
    month: Month,
    (actor, now): (&str, Timestamp),
) -> Result<Paid, AppError> {
    if month < pension.from_month || pension.ended_month.is_some_and(|end| month >= end) {
        return Ok(Paid::NotDue);
    }
    let kind = payment_kind(&pension.kind);
    let period = format!("{}:{month}", pension.id);
    if tx.benefit_paid(&pension.person_id, kind, &period)? {
        return Ok(Paid::Before);
    }
    let account = match payable_account(tx, &pension.person_id, now)? {
        Ok(account) => account,
        Err(refusal) => return Ok(Paid::Skipped(refusal.code().to_owned())),
    };
    let case = known_case(tx, &pension.case_id)?;
    Benefit {
        person: &pension.person_id,
        kind,
        period: &period,
        code: TransferCode::BenefitCredit,
        memo: format!("工伤保险待遇 work-injury {} {month}", pension.kind),
    }
    .pay(
        tx,
        (injury_fund(&case, &pension.person_id), account),
        pension.monthly_fen,
        actor,
        now,
    )?;
    Ok(Paid::Now(pension.monthly_fen))
}

/// Ends the worker's own monthly benefits (disability, care) on all their cases from `from`
/// (the month after the death), and answers what payouts already paid them for months from
/// `from` on.
fn end_allowances(tx: &mut Tx<'_>, worker: &PersonId, from: Month) -> Result<i64, AppError> {
    let mut overpaid = 0;
    for case in tx.injury_cases_of(worker, INJURY_LISTED_MAX)? {
        for mut pension in tx.injury_pensions_of(&case.id)? {
            if pension.person_id != *worker || pension.kind == DEPENDANT {
                continue;
            }
            if pension.ended_month.is_none_or(|end| end > from) {
                pension.ended_month = Some(from);
                tx.end_injury_pension(&pension)?;
            }
            let prefix = format!("{}:", pension.id);
            for (period, fen) in
                tx.benefit_payments_with_prefix(worker, payment_kind(&pension.kind), &prefix)?
            {
                let paid_month = period
                    .strip_prefix(&prefix)
                    .and_then(Month::parse)
                    .ok_or_else(|| AppError::Internal(format!("a payment's period {period}")))?;
                if paid_month >= from {
                    overpaid += fen;
                }
            }
        }
    }
    Ok(overpaid)
}

/// Books `amount` paid to the worker after their death as owed back to the work-injury
/// fund: the worker's receivable account debited, the fund credited.
fn owed_back(
    tx: &mut Tx<'_>,
    case: &InjuryCaseRecord,
    amount: i64,
    (actor, now): (&str, Timestamp),
) -> Result<shebao_domain::ids::TransferId, AppError> {
    let account = receivable_account(Insurance::WorkInjury.as_str(), case.person_id.as_str());
    tx.ensure_ledger_account(&account, true, now)?;
    let fund = injury_fund(case, &case.person_id);
    tx.ensure_ledger_account(&fund, true, now)?;
    let transfer = transfer_record(
        &new_id("trf"),
        TransferCode::Receivable,
        account,
        fund,
        amount,
        format!("paid after death, case {}", case.id),
        actor,
        now,
    );
    post(tx, &transfer, now)?;
    Ok(transfer.id)
}

/// The kind a monthly benefit's payments are recorded under.
fn payment_kind(kind: &str) -> &'static str {
    match kind {
        DISABILITY => "injury_disability_allowance",
        CARE => "injury_care_allowance",
        _ => "injury_dependant_pension",
    }
}

impl App {
    /// A worker's death from a recognised work injury, settled once: the funeral grant (six
    /// months of the local average wage) and the one-time work-death benefit (20 times the
    /// national per-capita disposable income) paid to the claiming family member's card from
    /// the work-injury fund; a monthly pension for each dependant on the worker's wage
    /// (40% the spouse, 30% each other, 10 points more alone, never more than the wage in
    /// all) from the month after the death; the worker's disability and care allowances, on
    /// every case of theirs, end then, and what a payout already paid them for later months
    /// is booked as owed back to the fund. Once a worker; whoever took the application at
    /// the window does not settle it.
    pub fn settle_injury_death(
        &self,
        actor: &Actor,
        key: &str,
        case: &str,
        request: NewDeath,
    ) -> Result<InjuryCaseView, AppError> {
        self.authorise(actor, Operation::DecideBenefits)?;
        let died_on = Date::parse_iso(request.died_on.trim())
            .ok_or_else(|| AppError::invalid("died_on", "a date, YYYY-MM-DD"))?;
        if request.dependants.len() > DEPENDANTS_MAX {
            return Err(AppError::invalid(
                "dependants",
                format!("at most {DEPENDANTS_MAX}"),
            ));
        }
        let note = bureau_note(&request.note, "note")?;
        let recipient = PersonId::new(request.recipient_id.trim());
        let dependants: Vec<(PersonId, Dependant)> = request
            .dependants
            .iter()
            .map(|d| {
                (
                    PersonId::new(d.person_id.trim()),
                    Dependant {
                        spouse: d.spouse,
                        alone: d.alone,
                    },
                )
            })
            .collect();
        if dependants.iter().filter(|(_, d)| d.spouse).count() > 1 {
            return Err(AppError::invalid("dependants", "one spouse at most"));
        }
        if dependants.iter().any(|(_, d)| d.spouse && d.alone) {
            return Err(AppError::invalid(
                "dependants",
                "the spouse is not a lone elder or an orphan",
            ));
        }
        let mut named: Vec<&PersonId> = dependants.iter().map(|(p, _)| p).collect();
        named.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
        named.dedup();
        if named.len() != dependants.len() {
            return Err(AppError::invalid("dependants", "each person once"));
        }
        let (id, label, actor_in) = (case.to_owned(), actor.label(), actor.clone());
        let audit = Audit::on("injury.death", format!("injury_case:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let case = settleable_case(tx, &id, &label)?;
            // A worker dies once, whichever of their cases the death is settled on.
            if tx.injury_death_of_person(&case.person_id)?.is_some() {
                return Err(AppError::Conflict(Clash::InjurySettled));
            }
            if recipient == case.person_id {
                return Err(AppError::invalid(
                    "recipient_id",
                    "a family member, not the worker",
                ));
            }
            let today = App::today_in(tx, &case.region, now)?;
            if died_on < case.injured_on || died_on > today {
                return Err(AppError::invalid(
                    "died_on",
                    "a day from the injury to today",
                ));
            }
            tx.person(&recipient)?.or_not_found("person", &recipient)?;
            for (person, _) in &dependants {
                tx.person(person)?.or_not_found("person", person)?;
                if *person == case.person_id {
                    return Err(AppError::invalid("dependants", "not the worker"));
                }
            }
            let month = Month::of(died_on);
            let contribution =
                contribution_parameters(tx, &case.region, month)?.ok_or_else(|| {
                    rule(
                        RefusalCode::NoParameters,
                        format!("no contribution parameters for {month}"),
                    )
                })?;
            let local_average = contribution.average_monthly_wage_fen;
            let params = benefit_parameters(tx, &case.region, died_on)?;
            let internal =
                |e: shebao_domain::insurance::InsuranceError| AppError::Internal(e.to_string());
            let wage =
                injury_wage_fen(own_wage_fen(tx, &case)?, local_average).map_err(internal)?;
            let funeral = funeral_grant_fen(local_average).map_err(internal)?;
            let one_time =
                work_death_benefit_fen(params.national_disposable_income_fen).map_err(internal)?;
            let account = crediting_account(tx, &recipient, now)?;
            let mut pay = |kind: &'static str, amount: i64, memo: &str| {
                Benefit {
                    person: &recipient,
                    kind,
                    period: &case.id,
                    code: TransferCode::BenefitCredit,
                    memo: memo.to_owned(),
                }
                .pay(
                    tx,
                    (injury_fund(&case, &recipient), account.clone()),
                    amount,
                    &label,
                    now,
                )
            };
            let funeral_transfer =
                pay("injury_funeral_grant", funeral, "丧葬补助金 funeral grant")?;
            let one_time_transfer = pay(
                "injury_death_benefit",
                one_time,
                "一次性工亡补助金 work-death benefit",
            )?;
            let shares = dependants_pensions_fen(
                wage,
                &dependants.iter().map(|(_, d)| *d).collect::<Vec<_>>(),
            )
            .map_err(internal)?;
            let next = month.add_months(1);
            for ((person, _), share) in dependants.iter().zip(shares) {
                new_pension(tx, &case, (person, DEPENDANT), share, (next, now))?;
            }
            // The worker's own allowances, on every case of theirs, end with the month of the
            // death; what a payout paid them for later months is owed back to the fund.
            let overpaid = end_allowances(tx, &case.person_id, next)?;
            let overpaid_transfer = if overpaid > 0 {
                Some(owed_back(tx, &case, overpaid, (&label, now))?)
            } else {
                None
            };
            tx.insert_injury_death(&InjuryDeathRecord {
                case_id: case.id.clone(),
                person_id: case.person_id.clone(),
                died_on,
                recipient_id: recipient.clone(),
                wage_fen: wage,
                funeral_fen: funeral,
                one_time_fen: one_time,
                funeral_transfer_id: funeral_transfer,
                one_time_transfer_id: one_time_transfer,
                overpaid_fen: overpaid,
                overpaid_transfer_id: overpaid_transfer,
                note: note.clone(),
                settled_by: label.clone(),
                settled_at: now,
            })?;
            let detail = serde_json::json!({
                "died_on": died_on.to_string(), "funeral": funeral, "one_time": one_time,
                "dependants": dependants.len(), "repayment": overpaid,
            });
            Ok((case_view(tx, &case, &actor_in)?, detail.to_string()))
        })
    }

    /// Pays a month's work-injury benefits in a region — the disability and care allowances
    /// and the dependants' pensions due in it — once each, from the region's work-injury
    /// fund to each payee's card; a payee without a card that takes the credit is skipped
    /// (with why) and paid by a later run.
    pub fn run_injury_payout(
        &self,
        actor: &Actor,
        key: &str,
        request: PayoutRequest,
    ) -> Result<PayoutView, AppError> {
        self.authorise(actor, Operation::RunPayouts)?;
        let (region, month) = self.payout_month(&request, "benefits")?;
        let label = actor.label();
        let audit = Audit::on("injury.payout", format!("region:{region}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut view = PayoutView::empty(&region, month);
            let mut after = String::new();
            loop {
                let page = tx.injury_pensions_page(&region, month, &after, PAYOUT_PAGE)?;
                let Some(last) = page.last() else { break };
                after = last.id.clone();
                for pension in &page {
                    let paid = pay_pension(tx, pension, month, (&label, now))?;
                    view.count(&pension.person_id, paid);
                }
            }
            let detail = view.detail();
            Ok((view, detail))
        })
    }
}
