//! Unemployment insurance: the vectors of benefits.md through a claim, the order of the
//! refusals, the leaver's report, the region's parameters, the months paid and a fraud.

use super::unemployment::*;
use super::{InsuranceError, Month, unemployment_benefit_months};
use crate::time::Date;

fn claim(contribution_months: u32, carried_months: u32) -> Claim {
    Claim {
        contribution_months,
        carried_months,
        leaving: Some(Leaving::Involuntary),
        registered: true,
        seeking_work: true,
    }
}

#[test]
fn every_vector_of_benefits_md_through_a_claim() {
    // (contribution months, carried-over months) → maximum months; 0 is ineligible.
    for ((months, carried), expected) in [
        ((11, 0), 0),
        ((12, 0), 12),
        ((59, 0), 12),
        ((60, 0), 18),
        ((119, 0), 18),
        ((120, 0), 24),
        ((300, 0), 24),
        ((36, 6), 18),
        ((36, 15), 24),
    ] {
        let decided = decide_claim(claim(months, carried));
        if expected == 0 {
            assert_eq!(
                decided,
                Err(Ineligible::TooFewMonths { months }),
                "{months}"
            );
        } else {
            assert_eq!(decided, Ok(expected), "{months}, {carried}");
        }
    }
}

#[test]
fn a_claim_is_refused_for_the_first_condition_it_fails() {
    let refused = |change: fn(&mut Claim)| {
        let mut c = claim(36, 0);
        change(&mut c);
        decide_claim(c).unwrap_err().code()
    };
    assert_eq!(
        refused(|c| c.leaving = Some(Leaving::Voluntary)),
        "left_voluntarily"
    );
    assert_eq!(
        refused(|c| c.registered = false),
        "not_registered_unemployed"
    );
    assert_eq!(refused(|c| c.seeking_work = false), "not_seeking_work");
    assert_eq!(refused(|c| c.leaving = None), "no_leaver_report");
    assert_eq!(
        refused(|c| {
            c.contribution_months = 3;
            c.leaving = Some(Leaving::Voluntary);
        }),
        "contribution_period_too_short"
    );
    for leaving in Leaving::ALL {
        assert_eq!(Leaving::parse(leaving.as_str()), Some(leaving));
    }
}

#[test]
fn a_leavers_report_after_15_days_is_late_and_one_of_a_day_to_come_is_refused() {
    let day = |text| Date::parse_iso(text).unwrap();
    assert_eq!(
        leaver_report_late(day("2026-03-31"), day("2026-04-15")),
        Ok(false)
    );
    assert_eq!(
        leaver_report_late(day("2026-03-31"), day("2026-04-16")),
        Ok(true)
    );
    assert!(leaver_report_late(day("2026-04-02"), day("2026-04-01")).is_err());
}

#[test]
fn the_benefit_lies_between_the_living_allowance_and_the_minimum_wage() {
    let good = UnemploymentParameters {
        monthly_benefit_fen: 180_000,
        minimum_wage_fen: 249_000,
        minimum_living_allowance_fen: 121_000,
        refusals_to_stop: 2,
    };
    assert_eq!(good.validate(), Ok(()));
    let refused = |change: fn(&mut UnemploymentParameters)| {
        let mut p = good;
        change(&mut p);
        p.validate().unwrap_err()
    };
    assert_eq!(
        refused(|p| p.monthly_benefit_fen = 249_000),
        InsuranceError::InvalidParameters {
            reason: "the benefit must be below the minimum wage"
        }
    );
    assert!(matches!(
        refused(|p| p.monthly_benefit_fen = 120_999),
        InsuranceError::InvalidParameters { .. }
    ));
    assert!(matches!(
        refused(|p| p.refusals_to_stop = 0),
        InsuranceError::InvalidParameters { .. }
    ));
    assert!(refusals_stop(2, &good));
    assert!(!refusals_stop(1, &good));
}

#[test]
fn a_spell_pays_from_registration_for_its_months_until_it_stops() {
    let month = |text| Month::parse(text).unwrap();
    let first = month("2026-04");
    assert!(!pays_month(first, 12, None, month("2026-03")));
    assert!(pays_month(first, 12, None, month("2026-04")));
    assert!(pays_month(first, 12, None, month("2027-03")));
    assert!(!pays_month(first, 12, None, month("2027-04")));
    let stopped = Some(month("2026-06"));
    assert!(pays_month(first, 12, stopped, month("2026-05")));
    assert!(!pays_month(first, 12, stopped, month("2026-06")));
    assert!(StopReason::Reemployed.keeps_unused_months());
    assert!(!StopReason::Fraud.keeps_unused_months());
    assert!(!StopReason::RefusedWork.keeps_unused_months());
    for reason in StopReason::ALL {
        assert_eq!(StopReason::parse(reason.as_str()), Some(reason));
    }
}

#[test]
fn a_fraud_owes_the_amount_back_and_a_fine_of_one_to_three_times_it() {
    assert_eq!(fraud_owed(360_000, 100), Ok((360_000, 360_000)));
    assert_eq!(fraud_owed(360_001, 150), Ok((360_001, 540_002)));
    assert_eq!(fraud_owed(3, 150), Ok((3, 5)), "4.5 fen rounds half up");
    assert!(fraud_owed(360_000, 99).is_err());
    assert!(fraud_owed(360_000, 301).is_err());
    assert!(fraud_owed(0, 100).is_err());
}

// --- The months alone (benefits.md vectors) ---

#[test]
fn unemployment_benefit_vectors() {
    for (contribution_months, carried_over_months, maximum_months) in [
        (11, 0, 0),
        (12, 0, 12),
        (59, 0, 12),
        (60, 0, 18),
        (119, 0, 18),
        (120, 0, 24),
        (300, 0, 24),
        (36, 6, 18),
        (36, 15, 24),
    ] {
        assert_eq!(
            unemployment_benefit_months(contribution_months, carried_over_months),
            maximum_months,
            "({contribution_months}, {carried_over_months})"
        );
    }
}

#[test]
fn unemployment_carry_over_needs_eligibility_and_is_capped() {
    assert_eq!(unemployment_benefit_months(0, 0), 0);
    assert_eq!(unemployment_benefit_months(11, 12), 0);
    assert_eq!(unemployment_benefit_months(120, 6), 24);
    assert_eq!(unemployment_benefit_months(12, u32::MAX), 24);
    assert_eq!(unemployment_benefit_months(u32::MAX, u32::MAX), 24);
}

#[test]
fn a_second_refusal_without_reason_stops_the_benefit_and_a_hire_stops_it_as_reemployment() {
    let params = UnemploymentParameters {
        monthly_benefit_fen: 180_000,
        minimum_wage_fen: 250_000,
        minimum_living_allowance_fen: 100_000,
        refusals_to_stop: 2,
    };
    use ReferralOutcome::*;
    assert_eq!(
        after_referral(RefusedWithoutReason, 0, Some(&params)),
        (1, None)
    );
    assert_eq!(
        after_referral(RefusedWithoutReason, 1, Some(&params)),
        (2, Some(StopReason::RefusedWork))
    );
    assert_eq!(
        after_referral(RefusedWithReason, 1, Some(&params)),
        (1, None)
    );
    assert_eq!(after_referral(NotHired, 1, None), (1, None));
    assert_eq!(
        after_referral(Hired, 1, None),
        (1, Some(StopReason::Reemployed))
    );
    assert_eq!(after_referral(RefusedWithoutReason, 1, None), (2, None));
    for outcome in ReferralOutcome::ALL {
        assert_eq!(ReferralOutcome::parse(outcome.as_str()), Some(outcome));
    }
    for status in SpellStatus::ALL {
        assert_eq!(SpellStatus::parse(status.as_str()), Some(status));
    }
}

#[test]
fn unused_months_carry_over_only_after_a_stop_that_keeps_them() {
    use SpellStatus::*;
    assert_eq!(
        unused_months(Stopped, Some(StopReason::Reemployed), 12, 2),
        10
    );
    assert_eq!(
        unused_months(Stopped, Some(StopReason::Emigration), 12, 12),
        0
    );
    assert_eq!(
        unused_months(Stopped, Some(StopReason::RefusedWork), 12, 2),
        0
    );
    assert_eq!(unused_months(Stopped, Some(StopReason::Fraud), 12, 2), 0);
    assert_eq!(unused_months(Ended, None, 12, 12), 0);
    assert_eq!(unused_months(Refused, None, 0, 0), 0);
}

#[test]
fn benefit_parameters_are_checked_value_by_value() {
    let example = BenefitParameters::example();
    assert_eq!(example.validate(), Ok(()));
    let reason = |p: BenefitParameters| match p.validate() {
        Err(InsuranceError::InvalidParameters { reason }) => reason,
        _ => "not an invalid parameter",
    };
    let mut p = example;
    p.maternity_divisor_days = 27;
    assert_eq!(reason(p), "the maternity divisor must be 28 to 31 days");
    let mut p = example;
    p.national_disposable_income_fen = 0;
    assert!(reason(p).starts_with("the national disposable income"));
    let mut p = example;
    p.unemployment.monthly_benefit_fen = p.unemployment.minimum_wage_fen;
    assert_eq!(reason(p), "the benefit must be below the minimum wage");
}
