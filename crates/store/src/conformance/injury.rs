//! Work injury: experts unique by code in a region, a case one a person and day unless not
//! recognised (a day refused is free again), one open appraisal a case and one first
//! appraisal, a settlement once, monthly benefits one of a kind and ended over the version
//! read, a work death once, and a worker's declared bases summed over months.

use shebao_domain::ids::{EmployerId, PersonId, RegionCode, TransferId};
use shebao_domain::insurance::injury_case::{AppraisalKind, InjuryApplicant};
use shebao_domain::insurance::{Insurance, Month};
use shebao_domain::money::ledger::TransferCode;

use crate::records::*;
use crate::{Store, StoreError};

use super::employment::date;
use super::insurance::{contribution, employer_e1};
use super::money::transfer;
use super::{NOW, Outcome, conflict, equal, seed_reference, store_err};

fn case(id: &str) -> Result<InjuryCaseRecord, String> {
    Ok(InjuryCaseRecord {
        id: id.into(),
        person_id: PersonId::new("p1"),
        employer_id: EmployerId::new("e1"),
        region: RegionCode::new("330100"),
        injured_on: date("2026-02-20")?,
        applicant: InjuryApplicant::Employer,
        applied_on: date("2026-03-01")?,
        due_on: date("2026-04-30")?,
        status: "applied".into(),
        applied_by: "hr-1".into(),
        applied_at: NOW,
        decided_by: None,
        decided_at: None,
        decision_note: None,
        version: 0,
    })
}

fn appraisal(id: &str, kind: AppraisalKind) -> Result<InjuryAppraisalRecord, String> {
    Ok(InjuryAppraisalRecord {
        id: id.into(),
        case_id: "i1".into(),
        kind,
        requested_on: date("2026-03-20")?,
        panel_size: 3,
        seed: "00ff".into(),
        pool: "x1 x2 x3".into(),
        panel: "x2 x3 x1".into(),
        drawn_by: "sec-1".into(),
        drawn_at: NOW,
        due_on: date("2026-05-01")?,
        status: "drawn".into(),
        grade: None,
        care_level: None,
        concluded_by: None,
        concluded_on: None,
        version: 0,
    })
}

fn expert(id: &str, code: &str) -> InjuryExpertRecord {
    InjuryExpertRecord {
        id: id.into(),
        region: RegionCode::new("330100"),
        code: code.into(),
        specialty: "骨科".into(),
        employer_id: Some(EmployerId::new("e1")),
        active: true,
        added_by: "sec-1".into(),
        added_at: NOW,
        version: 0,
    }
}

/// The records of work injury keep the rules the application counts on.
pub fn injury_cases_are_one_a_day_and_appraisals_one_open(store: &Store) -> Outcome {
    seed_reference(store)?;
    let first = case("i1")?;
    let stored = first.clone();
    store
        .write(move |tx| {
            tx.insert_employer(&employer_e1())?;
            tx.insert_injury_expert(&expert("x1", "E-01"))?;
            tx.insert_injury_case(&stored)
        })
        .map_err(store_err)?;
    conflict(
        store.write(|tx| tx.insert_injury_expert(&expert("x2", "E-01"))),
        "a second expert of a code in a region must conflict",
    )?;
    let twice = case("i2")?;
    conflict(
        store.write(move |tx| tx.insert_injury_case(&twice)),
        "a second case of a person and day must conflict",
    )?;
    let mut recognised = first;
    recognised.status = "recognised".into();
    recognised.decided_by = Some("clerk-2".into());
    recognised.decided_at = Some(NOW);
    let (saved, stale) = (recognised.clone(), recognised.clone());
    store
        .write(move |tx| tx.save_injury_case(&saved))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.save_injury_case(&stale)),
        "a second decision over the same version must conflict",
    )?;

    // Another day's case, not recognised: the day is free for a new application.
    let mut other_day = case("i3")?;
    other_day.injured_on = date("2026-02-25")?;
    let mut refused = other_day.clone();
    refused.status = "not_recognised".into();
    let again = InjuryCaseRecord {
        id: "i4".into(),
        ..other_day.clone()
    };
    store
        .write(move |tx| {
            tx.insert_injury_case(&other_day)?;
            tx.save_injury_case(&refused)?;
            tx.insert_injury_case(&again)
        })
        .map_err(store_err)?;

    let drawn = appraisal("a1", AppraisalKind::First)?;
    let stored = drawn.clone();
    store
        .write(move |tx| tx.insert_injury_appraisal(&stored))
        .map_err(store_err)?;
    let open = appraisal("a2", AppraisalKind::Review)?;
    conflict(
        store.write(move |tx| tx.insert_injury_appraisal(&open)),
        "a second open appraisal of a case must conflict",
    )?;
    let before = store
        .read(|tx| tx.injury_cases_before_committee(10))
        .map_err(store_err)?;
    equal(
        before.len(),
        1,
        "a case with its panel drawn is before the committee",
    )?;
    let mut concluded = drawn;
    concluded.status = "concluded".into();
    concluded.grade = Some(5);
    concluded.care_level = Some("partial".into());
    concluded.concluded_by = Some("sec-1".into());
    concluded.concluded_on = Some(date("2026-04-01")?);
    let saved = concluded.clone();
    store
        .write(move |tx| tx.save_injury_appraisal(&saved))
        .map_err(store_err)?;
    let again = appraisal("a3", AppraisalKind::First)?;
    conflict(
        store.write(move |tx| tx.insert_injury_appraisal(&again)),
        "a second first appraisal of a case must conflict",
    )?;
    let review = appraisal("a4", AppraisalKind::Reappraisal)?;
    store
        .write(move |tx| tx.insert_injury_appraisal(&review))
        .map_err(store_err)?;
    // Two months' work-injury bases declared, one owed and one paid: both count.
    let months = ["2025-12", "2026-01"].map(Month::parse);
    let rows: Vec<ContributionRecord> = months
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, m)| ContributionRecord {
            status: if i == 0 { "owed" } else { "paid" }.into(),
            ..contribution("p1", Insurance::WorkInjury, *m, Some("e1"))
        })
        .collect();
    store
        .write(move |tx| tx.insert_contributions(&rows).map(|_| ()))
        .map_err(store_err)?;

    let settlement = InjurySettlementRecord {
        case_id: "i1".into(),
        appraisal_id: "a1".into(),
        grade: 5,
        own_wage_fen: 800_000,
        local_average_fen: 800_000,
        minimum_wage_fen: 250_000,
        wage_fen: 800_000,
        one_time_fen: 14_400_000,
        monthly_fen: Some(560_000),
        payer: Some("employer".into()),
        care_fen: Some(240_000),
        transfer_id: TransferId::new("t-inj"),
        settled_by: "clerk-2".into(),
        settled_at: NOW,
    };
    let (stored, twice) = (settlement.clone(), settlement.clone());
    store
        .write(move |tx| {
            tx.ensure_ledger_account("sys:fund:330100:work_injury:00", true, NOW)?;
            tx.ensure_ledger_account("acc-p1", true, NOW)?;
            tx.post_transfer(&transfer(
                "t-inj",
                TransferCode::BenefitCredit,
                "sys:fund:330100:work_injury:00",
                "acc-p1",
                14_400_000,
            ))?;
            tx.insert_injury_settlement(&stored)
        })
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.insert_injury_settlement(&twice)),
        "a second settlement of a case must conflict",
    )?;
    // Monthly benefits: one of a kind a person and case, paged by region, ended over the
    // version read; a work death settled once.
    let month = |m: &str| Month::parse(m).ok_or_else(|| format!("month {m}"));
    let pension = InjuryPensionRecord {
        id: "ijp1".into(),
        case_id: "i1".into(),
        region: RegionCode::new("330100"),
        person_id: PersonId::new("p1"),
        kind: "disability".into(),
        monthly_fen: 640_000,
        from_month: month("2026-05")?,
        ended_month: None,
        created_at: NOW,
        version: 0,
    };
    let (stored, twice) = (
        pension.clone(),
        InjuryPensionRecord {
            id: "ijp2".into(),
            ..pension.clone()
        },
    );
    store
        .write(move |tx| tx.insert_injury_pension(&stored))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.insert_injury_pension(&twice)),
        "a second pension of a kind for a person on a case must conflict",
    )?;
    let mut ended = pension.clone();
    ended.ended_month = Some(month("2026-08")?);
    let (saved, stale) = (ended.clone(), ended.clone());
    store
        .write(move |tx| tx.end_injury_pension(&saved))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.end_injury_pension(&stale)),
        "ending a pension over a stale version must conflict",
    )?;
    ended.version = 1;
    let (july, august, april) = (month("2026-07")?, month("2026-08")?, month("2026-04")?);
    let paged = store
        .read(move |tx| {
            let region = RegionCode::new("330100");
            Ok::<_, StoreError>((
                tx.injury_pensions_page(&region, july, "", 10)?,
                tx.injury_pensions_page(&region, july, "ijp1", 10)?.len(),
                tx.injury_pensions_page(&region, august, "", 10)?.len(),
                tx.injury_pensions_page(&region, april, "", 10)?.len(),
                tx.injury_pensions_of("i1")?.len(),
            ))
        })
        .map_err(store_err)?;
    equal(
        paged,
        (vec![ended], 0, 0, 0, 1),
        "the pension due in July, paged by id, not in its end month nor before its first, \
         of its case",
    )?;
    let death = InjuryDeathRecord {
        case_id: "i1".into(),
        person_id: PersonId::new("p1"),
        died_on: date("2026-04-10")?,
        recipient_id: PersonId::new("p1"),
        wage_fen: 800_000,
        funeral_fen: 4_800_000,
        one_time_fen: 108_632_000,
        funeral_transfer_id: TransferId::new("t-inj"),
        one_time_transfer_id: TransferId::new("t-inj"),
        overpaid_fen: 0,
        overpaid_transfer_id: None,
        note: "死亡".into(),
        settled_by: "clerk-2".into(),
        settled_at: NOW,
    };
    let (stored, twice) = (
        death.clone(),
        InjuryDeathRecord {
            case_id: "i3".into(),
            ..death.clone()
        },
    );
    store
        .write(move |tx| tx.insert_injury_death(&stored))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.insert_injury_death(&twice)),
        "a second death of a worker, on another case, must conflict",
    )?;
    equal(
        store.read(|tx| tx.injury_death("i1")).map_err(store_err)?,
        Some(death),
        "the death reads back whole",
    )?;
    let read = store
        .read(|tx| {
            let p1 = PersonId::new("p1");
            let month = |m: &str| {
                Month::parse(m).ok_or_else(|| StoreError::Conflict {
                    what: format!("month {m}"),
                })
            };
            Ok::<_, StoreError>((
                tx.injury_case("i1")?,
                tx.injury_appraisal("a1")?,
                tx.injury_appraisals_of("i1", 10)?.len(),
                tx.injury_cases_of(&p1, 10)?.len(),
                tx.injury_cases_of_employer(&EmployerId::new("e1"), 10)?
                    .len(),
                tx.injury_cases_before_committee(10)?.len(),
                tx.injury_settlement("i1")?,
                tx.injury_experts_of(&RegionCode::new("330100"), 10)?.len(),
                tx.person_bases(&p1, "work_injury", month("2025-02")?, month("2026-01")?)?,
            ))
        })
        .map_err(store_err)?;
    recognised.version = 1;
    concluded.version = 1;
    equal(
        read,
        (
            Some(recognised),
            Some(concluded),
            2,
            3,
            3,
            1,
            Some(settlement),
            1,
            (2_000_000, 2),
        ),
        "the case and its appraisal whole, two appraisals (one open), the settlement, the \
         bases of two months",
    )
}
