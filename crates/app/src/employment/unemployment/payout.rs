//! The monthly payout: each approved spell that reaches the month is paid once per person
//! and month from the region's unemployment fund, with the person's medical contributions.

use shebao_domain::access::Operation;
use shebao_domain::insurance::unemployment::{BenefitParameters, SpellStatus, pays_month};
use shebao_domain::insurance::{ContributionParameters, Insurance, Month};
use shebao_domain::money::ledger::{SystemAccount, TransferCode, stripe_of};
use shebao_domain::time::Timestamp;
use shebao_store::{SpellRecord, Tx};

use super::{PAYOUT_PAGE, UNEMPLOYMENT_BENEFIT, first_month, granted, rule};
use crate::error::RefusalCode;
use crate::insurance::benefit_parameters::benefit_parameters;
use crate::insurance::pensions::{Benefit, Paid, PayoutRequest, PayoutView, payable_account};
use crate::insurance::{
    Posting, contribution_parameters, contribution_record, post_contribution_from,
};
use crate::{Actor, App, AppError, Audit};

/// Pays `spell` its benefit for `month` from the region's unemployment fund, once, with the
/// person's medical contributions of the month; counts the month on the spell and ends the
/// spell with its last month.
fn pay_spell(
    tx: &mut Tx<'_>,
    spell: &mut SpellRecord,
    month: Month,
    (params, contribution): (&BenefitParameters, &ContributionParameters),
    (actor, now): (&str, Timestamp),
) -> Result<Paid, AppError> {
    if !pays_month(
        first_month(spell),
        granted(spell),
        spell.stopped_month,
        month,
    ) {
        return Ok(Paid::NotDue);
    }
    let period = month.to_string();
    if tx.benefit_paid(&spell.person_id, UNEMPLOYMENT_BENEFIT, &period)? {
        return Ok(Paid::Before);
    }
    let account_id = match payable_account(tx, &spell.person_id, now)? {
        Ok(account) => account,
        Err(refusal) => return Ok(Paid::Skipped(refusal.code().to_owned())),
    };
    let fund = SystemAccount::Fund {
        region: spell.region.to_string(),
        fund: UNEMPLOYMENT_BENEFIT.into(),
    };
    let amount = params.unemployment.monthly_benefit_fen;
    let transfer = Benefit {
        person: &spell.person_id,
        kind: UNEMPLOYMENT_BENEFIT,
        period: &period,
        code: TransferCode::BenefitCredit,
        memo: format!("失业保险金 unemployment benefit {period}"),
    }
    .pay(
        tx,
        (
            fund.ledger_id(stripe_of(spell.person_id.as_str())),
            account_id,
        ),
        amount,
        actor,
        now,
    )?;
    tx.insert_unemployment_payment(spell, month, &transfer, amount, now)?;
    pay_medical(tx, spell, (month, contribution), &fund, (actor, now))?;
    spell.paid_months += 1;
    if spell.paid_months >= i64::from(granted(spell)) {
        spell.status = SpellStatus::Ended;
    }
    tx.save_unemployment_spell(spell)?;
    spell.version += 1;
    Ok(Paid::Now(amount))
}

/// The person's medical contributions of `month`, both shares, paid by the unemployment fund
/// on the region's lowest contribution base (the base floor of the local average wage), as
/// a paid contribution recorded against the spell. A month an enrolment still covers (the
/// last job's month, which its employer owes) is not the fund's; a month already recorded is
/// left as it is. `params` are the region's contribution parameters of the month, which the
/// run requires.
fn pay_medical(
    tx: &mut Tx<'_>,
    spell: &SpellRecord,
    (month, params): (Month, &ContributionParameters),
    fund: &SystemAccount,
    (actor, now): (&str, Timestamp),
) -> Result<(), AppError> {
    let insured = tx
        .enrolments_of_person(&spell.person_id)?
        .iter()
        .any(|e| e.start <= month && e.end.is_none_or(|end| month <= end));
    if insured {
        return Ok(());
    }
    let floor_fen = shebao_domain::insurance::contribution_base(0, params);
    let declaration = format!("unemployment:{}", spell.id);
    let posting = Posting {
        month,
        region: &spell.region,
        employer: None,
        status: "paid",
        declaration_id: &declaration,
        at: now,
        paid_at: Some(now),
    };
    let Some(line) = shebao_domain::insurance::contributions(floor_fen, params, 0)
        .into_iter()
        .find(|l| l.insurance == Insurance::Medical)
    else {
        return Ok(());
    };
    let record = contribution_record(
        &spell.person_id,
        floor_fen,
        &line,
        line.individual_fen,
        &posting,
    );
    if tx.insert_contributions(std::slice::from_ref(&record))? == 1 {
        post_contribution_from(tx, &record, fund, actor, now)?;
    }
    Ok(())
}

impl App {
    /// Pays a month's unemployment benefit in a region to each approved spell that reaches
    /// it, once per person and month, from the region's unemployment fund, with each
    /// person's medical contributions of the month; the amount is the region's benefit
    /// parameter in force in the month. A month without the region's benefit or
    /// contribution parameters is refused (`no_parameters`).
    pub fn run_unemployment_payout(
        &self,
        actor: &Actor,
        key: &str,
        request: PayoutRequest,
    ) -> Result<PayoutView, AppError> {
        self.authorise(actor, Operation::RunPayouts)?;
        let (region, month) = self.payout_month(&request, "benefits")?;
        let label = actor.label();
        let audit = Audit::on("unemployment.payout", format!("region:{region}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let params = benefit_parameters(tx, &region, month.first_day())?;
            // The medical contributions the fund pays are counted on the month's parameters.
            let contribution = contribution_parameters(tx, &region, month)?
                .ok_or_else(|| {
                    rule(
                        RefusalCode::NoParameters,
                        format!("region {region} has no contribution parameters for {month}"),
                    )
                })?
                .to_domain();
            let mut view = PayoutView::empty(&region, month);
            let mut after: Option<String> = None;
            loop {
                let page = tx.approved_spells_page(&region, after.as_deref(), PAYOUT_PAGE)?;
                let Some(last) = page.last() else { break };
                after = Some(last.id.clone());
                for mut spell in page {
                    let parameters = (&params, &contribution);
                    let paid = pay_spell(tx, &mut spell, month, parameters, (&label, now))?;
                    view.count(&spell.person_id, paid);
                }
            }
            let detail = view.detail();
            Ok((view, detail))
        })
    }
}
