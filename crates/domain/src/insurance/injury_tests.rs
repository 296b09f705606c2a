//! The work-injury and maternity vectors of benefits.md, and the edges around them.

use super::*;

fn yuan(yuan: i64) -> i64 {
    yuan * 100
}

// --- Work injury (benefits.md vectors) ---

fn grade(grade: u8) -> DisabilityGrade {
    DisabilityGrade::new(grade).unwrap()
}

#[test]
fn work_injury_vectors() {
    use AllowancePayer::{Employer, Fund};
    // (own wage, local average, grade, minimum wage → clamped wage, one-time, monthly), yuan.
    for (own, average, g, minimum, wage, one_time, monthly) in [
        (4_000, 8_000, 1, 0, 4_800, 129_600, Some((4_320, Fund))),
        (10_000, 8_000, 1, 0, 10_000, 270_000, Some((9_000, Fund))),
        (10_000, 8_000, 4, 0, 10_000, 210_000, Some((7_500, Fund))),
        (
            10_000,
            8_000,
            5,
            0,
            10_000,
            180_000,
            Some((7_000, Employer)),
        ),
        (10_000, 8_000, 7, 0, 10_000, 130_000, None),
        (30_000, 8_000, 10, 0, 24_000, 168_000, None),
        (2_000, 3_000, 4, 0, 2_000, 42_000, Some((1_500, Fund))),
        (2_000, 3_000, 4, 2_000, 2_000, 42_000, Some((2_000, Fund))),
    ] {
        let benefits =
            disability_benefits(yuan(own), yuan(average), grade(g), yuan(minimum)).unwrap();
        assert_eq!(
            benefits,
            DisabilityBenefits {
                wage_fen: yuan(wage),
                one_time_fen: yuan(one_time),
                monthly: monthly.map(|(amount, payer)| MonthlyAllowance {
                    amount_fen: yuan(amount),
                    payer
                }),
            },
            "({own}, {average}, {g}, {minimum})"
        );
    }
}

#[test]
fn work_injury_grades_and_shares_are_the_regulations_tables() {
    let months: Vec<i64> = (1..=10)
        .map(|g| {
            disability_benefits(100, 100, grade(g), 0)
                .unwrap()
                .one_time_fen
        })
        .collect();
    assert_eq!(
        months,
        [2700, 2500, 2300, 2100, 1800, 1600, 1300, 1100, 900, 700]
    );
    let monthly: Vec<Option<(i64, &str)>> = (1..=10)
        .map(|g| {
            disability_benefits(100, 100, grade(g), 0)
                .unwrap()
                .monthly
                .map(|m| (m.amount_fen, m.payer.as_str()))
        })
        .collect();
    assert_eq!(
        monthly,
        [
            Some((90, "fund")),
            Some((85, "fund")),
            Some((80, "fund")),
            Some((75, "fund")),
            Some((70, "employer")),
            Some((60, "employer")),
            None,
            None,
            None,
            None
        ]
    );
    assert_eq!(
        DisabilityGrade::new(0),
        Err(InsuranceError::InvalidDisabilityGrade { grade: 0 })
    );
    assert_eq!(
        DisabilityGrade::new(11),
        Err(InsuranceError::InvalidDisabilityGrade { grade: 11 })
    );
}

#[test]
fn the_injury_wage_band_rounds_its_floor_half_up() {
    // 60% of 1 fen is 0.6 fen: 1 fen.
    assert_eq!(injury_wage_fen(1, 1), Ok(1));
    // 60% of 3 fen is 1.8 fen: 2 fen; 300% is 9 fen.
    assert_eq!(injury_wage_fen(1, 3), Ok(2));
    assert_eq!(injury_wage_fen(10, 3), Ok(9));
    assert_eq!(injury_wage_fen(7, 3), Ok(7));
    for (own, average) in [(0, 1), (1, 0), (-1, 1), (WAGE_FEN_MAX + 1, 1)] {
        assert_eq!(
            injury_wage_fen(own, average).unwrap_err().code(),
            "invalid_parameters",
            "({own}, {average})"
        );
    }
    assert!(disability_benefits(100, 100, grade(1), -1).is_err());
    let most = disability_benefits(WAGE_FEN_MAX, WAGE_FEN_MAX, grade(1), WAGE_FEN_MAX).unwrap();
    assert_eq!(most.one_time_fen, 27 * WAGE_FEN_MAX);
}

#[test]
fn care_funeral_and_death_benefits() {
    assert_eq!(
        care_allowance_fen(yuan(8_000), CareLevel::Full),
        Ok(yuan(4_000))
    );
    assert_eq!(
        care_allowance_fen(yuan(8_000), CareLevel::Major),
        Ok(yuan(3_200))
    );
    assert_eq!(
        care_allowance_fen(yuan(8_000), CareLevel::Partial),
        Ok(yuan(2_400))
    );
    // benefits.md: the funeral grant at a local average of 8,000 is 48,000.
    assert_eq!(funeral_grant_fen(yuan(8_000)), Ok(yuan(48_000)));
    assert_eq!(work_death_benefit_fen(yuan(51_821)), Ok(yuan(1_036_420)));
    assert!(funeral_grant_fen(0).is_err());
}

#[test]
fn dependants_pensions_never_exceed_the_wage() {
    let spouse = Dependant {
        spouse: true,
        alone: false,
    };
    let child = Dependant {
        spouse: false,
        alone: false,
    };
    let orphan = Dependant {
        spouse: false,
        alone: true,
    };
    // 40 + 30 = 70%: under the wage, each share as it is.
    assert_eq!(
        dependants_pensions_fen(yuan(10_000), &[spouse, child]),
        Ok(vec![yuan(4_000), yuan(3_000)])
    );
    // 40 + 30 + 30 + 40 = 140%: cut in proportion to exactly the wage.
    let shares = dependants_pensions_fen(10_001, &[spouse, child, child, orphan]).unwrap();
    assert_eq!(shares.iter().sum::<i64>(), 10_001);
    assert_eq!(shares, vec![2_858, 2_143, 2_143, 2_857]);
    assert_eq!(dependants_pensions_fen(yuan(10_000), &[]), Ok(vec![]));
    // 40 + 30 + 30 = 100%, each half-up: 4,002 + 3,002 + 3,002 = 10,006 > 10,005.
    assert_eq!(
        dependants_pensions_fen(10_005, &[spouse, child, child]),
        Ok(vec![4_002, 3_001, 3_001])
    );
    let families: [&[Dependant]; 5] = [
        &[spouse],
        &[spouse, child, child],
        &[orphan, orphan, child],
        &[spouse, child, child, orphan],
        &[orphan; 5],
    ];
    for wage in 1..=3_000 {
        for family in families {
            let shares = dependants_pensions_fen(wage, family).unwrap();
            assert!(shares.iter().sum::<i64>() <= wage, "{wage} {family:?}");
            assert_eq!(shares.len(), family.len());
        }
    }
}

// --- Maternity ---

#[test]
fn maternity_leave_days_follow_the_special_rules() {
    let birth = |babies, difficult| MaternityEvent::Birth { babies, difficult };
    let miscarriage = |pregnancy_months| MaternityEvent::Miscarriage { pregnancy_months };
    for (event, days) in [
        (birth(1, false), 98),
        (birth(1, true), 113),
        (birth(2, false), 113),
        (birth(3, true), 143),
        (miscarriage(0), 15),
        (miscarriage(3), 15),
        (miscarriage(4), 42),
        (miscarriage(10), 42),
    ] {
        assert_eq!(maternity_leave_days(event), Ok(days), "{event:?}");
    }
    for event in [
        birth(0, false),
        birth(BABIES_MAX + 1, false),
        miscarriage(11),
    ] {
        assert_eq!(
            maternity_leave_days(event).unwrap_err().code(),
            "invalid_parameters",
            "{event:?}"
        );
    }
}

#[test]
fn the_maternity_allowance_is_a_day_wage_times_the_days_rounded_half_up() {
    // 8,000 yuan ÷ 30 × 98 = 26,133.333… yuan.
    assert_eq!(maternity_allowance_fen(yuan(8_000), 98, 30), Ok(2_613_333));
    // 100 fen ÷ 30 × 98 = 326.67 fen.
    assert_eq!(maternity_allowance_fen(100, 98, 30), Ok(327));
    // 1 fen ÷ 30 × 15 = 0.5 fen: rounded up.
    assert_eq!(maternity_allowance_fen(1, 15, 30), Ok(1));
    assert_eq!(maternity_allowance_fen(yuan(6_000), 98, 21), Ok(2_800_000));
    assert!(maternity_allowance_fen(0, 98, 30).is_err());
    assert!(maternity_allowance_fen(100, 98, 0).is_err());
}

#[test]
fn the_maternity_allowance_on_a_year_of_bases_rounds_once() {
    use super::maternity_allowance_of_bases_fen;
    // 10,001 fen over two months is 5,000.5 a month: 98 days of it ÷ 30 are 16,334.97, so
    // 16,335 — not the 16,333 that rounding the average down first would give.
    assert_eq!(
        maternity_allowance_of_bases_fen(10_001, 2, 98, 30),
        Ok(16_335)
    );
    assert_eq!(
        maternity_allowance_of_bases_fen(800_000 * 12, 12, 98, 30),
        super::maternity_allowance_fen(800_000, 98, 30)
    );
    assert!(maternity_allowance_of_bases_fen(0, 0, 98, 30).is_err());
}
