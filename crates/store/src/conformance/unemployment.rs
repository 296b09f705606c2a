//! Unemployment insurance: benefit parameters versioned, leavers' reports, spells (one open
//! per person, saved over the version read, paged for a payout), referrals once per spell
//! and vacancy, a receivable once per spell and kind, and payments summed and listed.

use shebao_domain::employment::VacancyStatus;
use shebao_domain::ids::{EmployerId, PersonId, RegionCode, TransferId};
use shebao_domain::insurance::Month;
use shebao_domain::insurance::unemployment::{Leaving, ReferralOutcome, SpellStatus, StopReason};
use shebao_domain::money::ledger::TransferCode;
use shebao_domain::time::Timestamp;

use crate::records::*;
use crate::{Store, StoreError};

use super::employment::{date, vacancy};
use super::insurance::employer_e1;
use super::money::transfer;
use super::{NOW, Outcome, conflict, equal, seed_reference, store_err};

pub(super) fn spell(id: &str, status: SpellStatus, minutes: i64) -> Result<SpellRecord, String> {
    Ok(SpellRecord {
        id: id.into(),
        person_id: PersonId::new("p1"),
        region: RegionCode::new("330100"),
        leaver_report_id: Some("r1".into()),
        status,
        registered_on: date("2026-01-05")?,
        registered_by: "clerk-1".into(),
        registered_at: Timestamp::from_unix_seconds(NOW.unix_seconds() + minutes * 60),
        contribution_months: None,
        carried_months: None,
        months: None,
        refusal_code: None,
        decided_by: None,
        decided_at: None,
        paid_months: 0,
        refusals: 0,
        stop_reason: None,
        stopped_month: None,
        stop_note: None,
        stopped_by: None,
        stopped_at: None,
        version: 0,
    })
}

/// A person has one open spell at a time; a spell reads back whole, saves its decision and
/// stop over the version read once, and is found open, closed, by status and by a payout's
/// pages; benefit parameters are versioned by date; referrals and receivables are once.
pub fn unemployment_spells_are_one_open_per_person(store: &Store) -> Outcome {
    seed_reference(store)?;
    let region = RegionCode::new("330100");
    let report = LeaverReportRecord {
        id: "r1".into(),
        person_id: PersonId::new("p1"),
        employer_id: EmployerId::new("e1"),
        region: region.clone(),
        left_on: date("2025-12-31")?,
        leaving: Leaving::Involuntary,
        late: true,
        reported_by: "hr-1".into(),
        reported_at: NOW,
    };
    let first = spell("s1", SpellStatus::Registered, 1)?;
    let (stored_report, stored_first) = (report.clone(), first.clone());
    let posted = vacancy(
        "v1",
        "司机",
        "330106",
        ("4-02-01-01", 600_000),
        VacancyStatus::Published,
        0,
    )?;
    let (old, new) = (date("2025-01-01")?, date("2026-01-01")?);
    store
        .write(move |tx| {
            tx.insert_employer(&employer_e1())?;
            tx.insert_vacancy(&posted)?;
            tx.insert_benefit_parameters(
                &RegionCode::new("330100"),
                old,
                "{\"v\":1}",
                "admin",
                NOW,
            )?;
            tx.insert_benefit_parameters(
                &RegionCode::new("330100"),
                new,
                "{\"v\":2}",
                "admin",
                NOW,
            )?;
            tx.insert_leaver_report(&stored_report)?;
            tx.insert_unemployment_spell(&stored_first)
        })
        .map_err(store_err)?;
    let (on_old, on_new) = (date("2025-07-01")?, date("2026-02-01")?);
    let versions = store
        .read(move |tx| {
            let region = RegionCode::new("330100");
            Ok::<_, StoreError>((
                tx.benefit_parameters_at(&region, on_old)?.map(|v| v.1),
                tx.benefit_parameters_at(&region, on_new)?.map(|v| v.1),
            ))
        })
        .map_err(store_err)?;
    equal(
        versions,
        (Some("{\"v\":1}".into()), Some("{\"v\":2}".into())),
        "the version in force on each day",
    )?;
    let second = spell("s2", SpellStatus::Approved, 2)?;
    conflict(
        store.write(move |tx| tx.insert_unemployment_spell(&second)),
        "a second open spell of a person must conflict",
    )?;
    let read = store
        .read(|tx| {
            let p1 = PersonId::new("p1");
            Ok::<_, StoreError>((
                tx.latest_leaver_report(&p1)?,
                tx.open_spell_of(&p1)?,
                tx.spells_with_status(SpellStatus::Registered)?.len(),
            ))
        })
        .map_err(store_err)?;
    equal(read.0, Some(report), "the latest leaver's report")?;
    equal(read.1, Some(first.clone()), "the open spell, whole")?;
    equal(read.2, 1, "the claims to decide")?;

    let mut approved = first;
    approved.status = SpellStatus::Approved;
    approved.contribution_months = Some(30);
    approved.carried_months = Some(0);
    approved.months = Some(12);
    approved.decided_by = Some("clerk-2".into());
    approved.decided_at = Some(NOW);
    let stale = approved.clone();
    let saved = approved.clone();
    store
        .write(move |tx| tx.save_unemployment_spell(&saved))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.save_unemployment_spell(&stale)),
        "a second decision over the same version must conflict",
    )?;
    let page = store
        .read(move |tx| {
            let region = RegionCode::new("330100");
            let all = tx.approved_spells_page(&region, None, 10)?;
            let after = tx.approved_spells_page(&region, Some("s1"), 10)?;
            Ok::<_, StoreError>((all, after.len()))
        })
        .map_err(store_err)?;
    approved.version = 1;
    equal(page, (vec![approved.clone()], 0), "a payout's pages")?;

    // A referral once per spell and vacancy, its outcome saved once.
    let referral = ReferralRecord {
        id: "f1".into(),
        spell_id: "s1".into(),
        person_id: PersonId::new("p1"),
        vacancy_id: "v1".into(),
        note: "适合".into(),
        referred_by: "clerk-1".into(),
        referred_at: NOW,
        outcome: None,
        outcome_note: None,
        recorded_by: None,
        recorded_at: None,
        version: 0,
    };
    let (stored, twice) = (
        referral.clone(),
        ReferralRecord {
            id: "f2".into(),
            ..referral.clone()
        },
    );
    store
        .write(move |tx| tx.insert_job_referral(&stored))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.insert_job_referral(&twice)),
        "a second referral of a spell to a vacancy must conflict",
    )?;
    let mut refused = referral;
    refused.outcome = Some(ReferralOutcome::RefusedWithoutReason);
    refused.outcome_note = Some("不去".into());
    refused.recorded_by = Some("clerk-1".into());
    refused.recorded_at = Some(NOW);
    let saved = refused.clone();
    store
        .write(move |tx| tx.save_job_referral(&saved))
        .map_err(store_err)?;
    let listed = store
        .read(|tx| tx.referrals_of(&PersonId::new("p1")))
        .map_err(store_err)?;
    refused.version = 1;
    equal(
        listed,
        vec![refused],
        "a person's referrals, with the outcome",
    )?;

    // Stopped, the spell is closed: a new one may open, and a receivable is kept once.
    let mut stopped = approved;
    stopped.status = SpellStatus::Stopped;
    stopped.stop_reason = Some(StopReason::Fraud);
    stopped.stopped_month = Some(shebao_domain::insurance::Month::of(date("2026-03-01")?));
    stopped.stop_note = Some("隐瞒就业".into());
    stopped.stopped_by = Some("clerk-1".into());
    stopped.stopped_at = Some(NOW);
    let saved = stopped.clone();
    let later = spell("s3", SpellStatus::Registered, 5)?;
    let receivable = ReceivableRecord {
        id: "c1".into(),
        person_id: PersonId::new("p1"),
        spell_id: "s1".into(),
        kind: "unemployment_fraud".into(),
        repayment_fen: 180_000,
        fine_fen: 360_000,
        fine_percent: 200,
        note: "隐瞒就业".into(),
        transfer_id: TransferId::new("t-owed"),
        created_by: "clerk-1".into(),
        created_at: NOW,
    };
    let (stored, twice) = (
        receivable.clone(),
        ReceivableRecord {
            id: "c2".into(),
            ..receivable.clone()
        },
    );
    store
        .write(move |tx| {
            tx.save_unemployment_spell(&saved)?;
            tx.insert_unemployment_spell(&later)?;
            tx.ensure_ledger_account("sys:fund:330100:unemployment:00", true, NOW)?;
            tx.ensure_ledger_account("receivable:unemployment:p1", true, NOW)?;
            tx.post_transfer(&transfer(
                "t-owed",
                TransferCode::Receivable,
                "receivable:unemployment:p1",
                "sys:fund:330100:unemployment:00",
                540_000,
            ))?;
            tx.insert_receivable(&stored)
        })
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.insert_receivable(&twice)),
        "a second receivable of a kind on a spell must conflict",
    )?;
    let closed = store
        .read(|tx| {
            let p1 = PersonId::new("p1");
            Ok::<_, StoreError>((
                tx.last_granted_spell_of(&p1)?
                    .map(|s| (s.id, s.stop_reason)),
                tx.spells_of(&p1)?
                    .iter()
                    .map(|s| s.id.clone())
                    .collect::<Vec<_>>(),
                tx.receivables_of(&p1)?,
            ))
        })
        .map_err(store_err)?;
    equal(
        closed,
        (
            Some(("s1".into(), Some(StopReason::Fraud))),
            vec!["s3".into(), "s1".into()],
            vec![receivable],
        ),
        "the closed spell, a person's spells newest first, the receivable",
    )?;
    payments_are_summed_and_listed(store)
}

fn missing(what: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} missing"))
}

/// A spell's payments are kept once per month, listed, summed from a month on, and the last
/// one found.
fn payments_are_summed_and_listed(store: &Store) -> Outcome {
    let months = ["2026-01", "2026-02", "2026-03"];
    store
        .write(move |tx| {
            let s1 = tx.unemployment_spell("s1")?.ok_or(missing("s1"))?;
            tx.ensure_ledger_account("personal:medical:p1", false, NOW)?;
            for (i, period) in months.into_iter().enumerate() {
                let id = format!("t{i}");
                tx.post_transfer(&transfer(
                    &id,
                    TransferCode::BenefitCredit,
                    "sys:fund:330100:unemployment:00",
                    "personal:medical:p1",
                    180_000,
                ))?;
                let month = Month::parse(period).ok_or(missing(period))?;
                tx.insert_unemployment_payment(&s1, month, &TransferId::new(id), 180_000, NOW)?;
            }
            Ok(())
        })
        .map_err(store_err)?;
    let again = store.write(|tx| {
        let s1 = tx.unemployment_spell("s1")?.ok_or(missing("s1"))?;
        let month = Month::parse("2026-01").ok_or(missing("2026-01"))?;
        tx.insert_unemployment_payment(&s1, month, &TransferId::new("t0"), 180_000, NOW)
    });
    conflict(again, "a spell's month paid twice must conflict")?;
    let read = store
        .read(|tx| {
            let from = Month::parse("2026-02");
            Ok::<_, StoreError>((
                tx.unemployment_paid_fen("s1", from)?,
                tx.unemployment_paid_fen("s1", None)?,
                tx.unemployment_payments_of("s1")?.len(),
                tx.last_paid_month("s1")?.map(|m| m.to_string()),
            ))
        })
        .map_err(store_err)?;
    equal(
        read,
        (360_000, 540_000, 3, Some("2026-03".into())),
        "a spell's payments summed from a month and in all, listed, the last found",
    )
}

fn maternity_claim(id: &str, status: &str) -> Result<MaternityClaimRecord, String> {
    Ok(MaternityClaimRecord {
        id: id.into(),
        person_id: PersonId::new("p1"),
        employer_id: EmployerId::new("e1"),
        region: RegionCode::new("330100"),
        event: "birth".into(),
        babies: 1,
        difficult: false,
        pregnancy_months: None,
        event_on: date("2026-02-20")?,
        leave_days: 98,
        average_wage_fen: 800_000,
        divisor_days: 30,
        allowance_fen: 2_613_333,
        status: status.into(),
        applied_by: "hr-1".into(),
        applied_at: NOW,
        decided_by: None,
        decided_at: None,
        decision_note: None,
        transfer_id: None,
        version: 0,
    })
}

/// A maternity claim is one a person and day while not refused; it reads back whole, saves
/// its decision over the version read once, and an employer's year of paid maternity bases is
/// summed.
pub fn maternity_claims_are_one_a_day_unless_refused(store: &Store) -> Outcome {
    seed_reference(store)?;
    let first = maternity_claim("m1", "applied")?;
    let stored = first.clone();
    store
        .write(move |tx| {
            tx.insert_employer(&employer_e1())?;
            tx.insert_maternity_claim(&stored)
        })
        .map_err(store_err)?;
    let twice = maternity_claim("m2", "applied")?;
    conflict(
        store.write(move |tx| tx.insert_maternity_claim(&twice)),
        "a second claim of a person and day must conflict",
    )?;
    let mut refused = first;
    refused.status = "refused".into();
    refused.decided_by = Some("clerk-2".into());
    refused.decided_at = Some(NOW);
    refused.decision_note = Some("婴儿数有误".into());
    let (saved, stale) = (refused.clone(), refused.clone());
    store
        .write(move |tx| tx.save_maternity_claim(&saved))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.save_maternity_claim(&stale)),
        "a second decision over the same version must conflict",
    )?;
    let again = maternity_claim("m3", "applied")?;
    store
        .write(move |tx| tx.insert_maternity_claim(&again))
        .map_err(store_err)?;
    let read = store
        .read(|tx| {
            let p1 = PersonId::new("p1");
            Ok::<_, StoreError>((
                tx.maternity_claim("m1")?,
                tx.maternity_claims_of(&p1, 10)?.len(),
                tx.maternity_claims_with_status("applied", 10)?.len(),
                tx.employer_year_bases(&EmployerId::new("e1"), 2025)?,
            ))
        })
        .map_err(store_err)?;
    refused.version = 1;
    equal(
        read,
        (Some(refused), 2, 1, (0, 0)),
        "the refused claim whole, the person's two, one waiting, no bases of 2025",
    )
}
