//! The disability benefits of a case, settled once on the appraisal in force (Arts. 35-37,
//! 64): the own wage — the worker's average monthly contribution wage over the 12 months
//! before the injury — clamped to 60%-300% of the local average; the one-time disability
//! subsidy paid to the card from the region's work-injury fund; the monthly allowance and
//! who owes it (the fund for grades 1-4, the employer for grades 5-6 when it arranges no
//! suitable work), topped up to the minimum wage; and the care allowance.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;
use shebao_domain::insurance::injury_case::in_force;
use shebao_domain::insurance::{
    AllowancePayer, DisabilityGrade, Insurance, Month, care_allowance_fen, disability_benefits,
    round_half_up,
};
use shebao_domain::money::ledger::{SystemAccount, TransferCode, stripe_of};
use shebao_store::{InjurySettlementRecord, Tx};

use super::appraisal::{care_level, concluded_of};
use super::pensions::{CARE, DISABILITY, new_pension};
use super::{InjuryCaseView, case_view, rule, settleable_case};
use crate::error::{Clash, RefusalCode};
use crate::insurance::benefit_parameters::benefit_parameters;
use crate::insurance::contribution_parameters;
use crate::insurance::pensions::{Benefit, crediting_account};
use crate::{Actor, App, AppError, Audit};

/// A case's settled benefits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(inline)]
pub struct SettlementView {
    pub appraisal_id: String,
    pub grade: i64,
    /// The average monthly contribution wage of the 12 months before the injury.
    pub own_wage_fen: i64,
    pub local_average_fen: i64,
    pub minimum_wage_fen: i64,
    /// The own wage clamped to 60%-300% of the local average: what the benefits count on.
    pub wage_fen: i64,
    /// The one-time disability subsidy, paid to the card from the work-injury fund.
    pub one_time_fen: i64,
    /// The monthly disability allowance (grades 1-6).
    pub monthly_fen: Option<i64>,
    /// Who owes the monthly allowance: `fund` (grades 1-4) or `employer` (grades 5-6).
    pub payer: Option<String>,
    /// The monthly care allowance, when care is needed (from the fund).
    pub care_fen: Option<i64>,
    pub transfer_id: String,
    pub settled_at: String,
}

pub(crate) fn settlement_view(record: &InjurySettlementRecord) -> SettlementView {
    SettlementView {
        appraisal_id: record.appraisal_id.clone(),
        grade: record.grade,
        own_wage_fen: record.own_wage_fen,
        local_average_fen: record.local_average_fen,
        minimum_wage_fen: record.minimum_wage_fen,
        wage_fen: record.wage_fen,
        one_time_fen: record.one_time_fen,
        monthly_fen: record.monthly_fen,
        payer: record.payer.clone(),
        care_fen: record.care_fen,
        transfer_id: record.transfer_id.to_string(),
        settled_at: record.settled_at.to_string(),
    }
}

/// The worker's average monthly work-injury contribution wage over the 12 months before the
/// month of the injury, rounded half up to the fen: the bases declared for them, paid or
/// still owed (an employer's arrears do not cut the worker's benefit). Without any in those
/// 12 months (injured in the first month, or after a gap), the base of the injury's month;
/// refused without that either.
pub(crate) fn own_wage_fen(
    tx: &mut Tx<'_>,
    case: &shebao_store::InjuryCaseRecord,
) -> Result<i64, AppError> {
    let month = Month::of(case.injured_on);
    let insurance = Insurance::WorkInjury.as_str();
    let (mut bases, mut months) = tx.person_bases(
        &case.person_id,
        insurance,
        month.add_months(-12),
        month.add_months(-1),
    )?;
    if months == 0 {
        (bases, months) = tx.person_bases(&case.person_id, insurance, month, month)?;
    }
    if months == 0 {
        return Err(rule(
            RefusalCode::NoContributionRecord,
            "no work-injury contribution declared for the worker by the month of the injury",
        ));
    }
    Ok(round_half_up(i128::from(bases), i128::from(months)))
}

impl App {
    /// Settles a recognised case's disability benefits, once, on its appraisal in force (a
    /// first conclusion once the 15 days for a re-appraisal have passed, a re-appraisal at
    /// once): pays the one-time subsidy to the card from the work-injury fund and records
    /// the monthly allowance, its payer, and the care allowance. Whoever applied at the
    /// window does not settle it.
    pub fn settle_injury_benefits(
        &self,
        actor: &Actor,
        key: &str,
        case: &str,
    ) -> Result<InjuryCaseView, AppError> {
        self.authorise(actor, Operation::DecideBenefits)?;
        let (id, label, actor_in) = (case.to_owned(), actor.label(), actor.clone());
        let audit = Audit::on("injury.settle", format!("injury_case:{id}"));
        // The case is the whole request: a key used again for another case is refused.
        let fingerprint = id.clone();
        self.change(actor, key, &fingerprint, audit, move |tx, now| {
            let case = settleable_case(tx, &id, &label)?;
            if tx.injury_settlement(&case.id)?.is_some() {
                return Err(AppError::Conflict(Clash::InjurySettled));
            }
            if tx.injury_death_of_person(&case.person_id)?.is_some() {
                return Err(rule(
                    RefusalCode::WrongState,
                    "the worker has died: the death's benefits are settled instead",
                ));
            }
            let appraisals = super::appraisals_of(tx, &case.id)?;
            let (concluded, open) = concluded_of(&appraisals)?;
            let today = App::today_in(tx, &case.region, now)?;
            let Some((last, appraisal)) = concluded.last().copied() else {
                return Err(rule(RefusalCode::WrongState, "no appraisal is concluded"));
            };
            if open || !in_force(last, today) {
                return Err(rule(
                    RefusalCode::WrongState,
                    "the conclusion is not in force yet: a re-appraisal may still be asked for",
                ));
            }
            let Some(grade) = appraisal.grade else {
                return Err(rule(
                    RefusalCode::WrongState,
                    "the appraisal found no disability",
                ));
            };
            let grade = DisabilityGrade::new(u8::try_from(grade).unwrap_or(0))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let own_wage = own_wage_fen(tx, &case)?;
            let month = Month::of(case.injured_on);
            let contribution =
                contribution_parameters(tx, &case.region, month)?.ok_or_else(|| {
                    rule(
                        RefusalCode::NoParameters,
                        format!("no contribution parameters for {month}"),
                    )
                })?;
            let local_average = contribution.average_monthly_wage_fen;
            let params = benefit_parameters(tx, &case.region, today)?;
            let minimum_wage = params.unemployment.minimum_wage_fen;
            let benefits = disability_benefits(own_wage, local_average, grade, minimum_wage)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let care_fen = appraisal
                .care_level
                .as_deref()
                .and_then(care_level)
                .map(|level| care_allowance_fen(local_average, level))
                .transpose()
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let account = crediting_account(tx, &case.person_id, now)?;
            let fund = SystemAccount::Fund {
                region: case.region.to_string(),
                fund: Insurance::WorkInjury.as_str().into(),
            }
            .ledger_id(stripe_of(case.person_id.as_str()));
            let transfer = Benefit {
                person: &case.person_id,
                kind: "injury_disability",
                period: &case.id,
                code: TransferCode::BenefitCredit,
                memo: format!("一次性伤残补助金 disability subsidy, grade {}", grade.get()),
            }
            .pay(tx, (fund, account), benefits.one_time_fen, &label, now)?;
            let settlement = InjurySettlementRecord {
                case_id: case.id.clone(),
                appraisal_id: appraisal.id.clone(),
                grade: i64::from(grade.get()),
                own_wage_fen: own_wage,
                local_average_fen: local_average,
                minimum_wage_fen: minimum_wage,
                wage_fen: benefits.wage_fen,
                one_time_fen: benefits.one_time_fen,
                monthly_fen: benefits.monthly.map(|m| m.amount_fen),
                payer: benefits.monthly.map(|m| m.payer.as_str().to_owned()),
                care_fen,
                transfer_id: transfer,
                settled_by: label.clone(),
                settled_at: now,
            };
            tx.insert_injury_settlement(&settlement)?;
            // The fund's monthly allowances, from the month after the conclusion: the
            // disability allowance of grades 1-4 (the employer pays grades 5-6 itself), and
            // the care allowance.
            let from = Month::of(last.on).add_months(1);
            if let Some(monthly) = benefits.monthly.filter(|m| m.payer == AllowancePayer::Fund) {
                new_pension(
                    tx,
                    &case,
                    (&case.person_id, DISABILITY),
                    monthly.amount_fen,
                    (from, now),
                )?;
            }
            if let Some(care) = care_fen {
                new_pension(tx, &case, (&case.person_id, CARE), care, (from, now))?;
            }
            let detail = serde_json::json!({
                "grade": settlement.grade, "one_time_fen": settlement.one_time_fen,
                "monthly_fen": settlement.monthly_fen, "payer": settlement.payer,
            });
            Ok((case_view(tx, &case, &actor_in)?, detail.to_string()))
        })
    }
}
