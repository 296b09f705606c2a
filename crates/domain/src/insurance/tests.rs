//! The vectors of insurance.md, and the edges around them: months, names, parameters,
//! rounding, the contribution base, work-injury rates, contributions and the personal account;
//! retirement, the contribution index and the pension in `tests/pension.rs`; unemployment in
//! `unemployment_tests.rs`, work injury and maternity in `injury_tests.rs`.

use super::*;

mod pension;

fn month(year: i32, month: u8) -> Month {
    Month::new(year, month).unwrap()
}

fn index(text: &str) -> ContributionIndex {
    ContributionIndex::parse(text).unwrap()
}

fn yuan(yuan: i64) -> i64 {
    yuan * 100
}

/// The example parameters with the base band between `floor` and `ceiling` percent of the
/// average wage.
fn with_band(floor: u32, ceiling: u32) -> ContributionParameters {
    ContributionParameters {
        base_floor_percent: floor,
        base_ceiling_percent: ceiling,
        ..ContributionParameters::example()
    }
}

// --- Month ---

#[test]
fn a_month_is_one_to_twelve() {
    assert!(Month::new(2025, 0).is_none());
    assert!(Month::new(2025, 13).is_none());
    assert_eq!(month(2025, 12).month(), 12);
    assert_eq!(month(2025, 1).year(), 2025);
}

#[test]
fn months_parse_and_print_as_yyyy_mm() {
    assert_eq!(Month::parse("2025-07"), Some(month(2025, 7)));
    assert_eq!(month(2025, 7).to_string(), "2025-07");
    assert_eq!(month(987, 1).to_string(), "0987-01");
    assert_eq!(month(-1, 3).to_string(), "-0001-03");
    for bad in [
        "2025-7",
        "2025-13",
        "2025-00",
        "25-07",
        "2025/07",
        "2025-07-01",
        "２025-07",
        "",
        "+025-07",
    ] {
        assert_eq!(Month::parse(bad), None, "{bad}");
    }
}

#[test]
fn a_month_contains_its_dates() {
    let date = Date::new(2024, 2, 29).unwrap();
    assert_eq!(Month::of(date), month(2024, 2));
    assert_eq!(month(2024, 2).first_day(), Date::new(2024, 2, 1).unwrap());
}

#[test]
fn month_arithmetic_crosses_years() {
    assert_eq!(month(2024, 11).add_months(3), month(2025, 2));
    assert_eq!(month(2025, 1).add_months(-1), month(2024, 12));
    assert_eq!(month(2025, 1).add_months(0), month(2025, 1));
    assert_eq!(month(2025, 1).months_until(month(2036, 9)), 140);
    assert_eq!(month(2036, 9).months_until(month(2025, 1)), -140);
    assert_eq!(month(2025, 1).index(), 2025 * 12);
    assert_eq!(month(2025, 12).index(), 2025 * 12 + 11);
    assert_eq!(month(0, 1).index(), 0);
    assert_eq!(month(-1, 12).index(), -1);
    assert!(month(2024, 12) < month(2025, 1));
}

#[test]
fn month_arithmetic_saturates_instead_of_overflowing() {
    assert_eq!(month(i32::MAX, 12).add_months(1), month(i32::MAX, 12));
    assert_eq!(month(i32::MIN, 1).add_months(-1), month(i32::MIN, 1));
    assert_eq!(month(i32::MAX, 12).index(), i32::MAX);
    assert_eq!(month(i32::MIN, 1).index(), i32::MIN);
    assert_eq!(
        month(i32::MIN, 1).months_until(month(i32::MAX, 12)),
        i32::MAX
    );
    assert_eq!(
        month(i32::MAX, 12).months_until(month(i32::MIN, 1)),
        i32::MIN
    );
}

// --- Names ---

#[test]
fn insurance_names_round_trip() {
    let names: Vec<&str> = Insurance::ALL.iter().map(|i| i.as_str()).collect();
    assert_eq!(
        names,
        [
            "pension",
            "medical",
            "unemployment",
            "work_injury",
            "maternity"
        ]
    );
    for insurance in Insurance::ALL {
        assert_eq!(Insurance::parse(insurance.as_str()), Some(insurance));
        assert_eq!(insurance.to_string(), insurance.as_str());
    }
    assert_eq!(Insurance::parse("Pension"), None);
    assert_eq!(Insurance::parse("work-injury"), None);
}

#[test]
fn retirement_category_names_round_trip() {
    for category in RetirementCategory::ALL {
        assert_eq!(RetirementCategory::parse(category.as_str()), Some(category));
    }
    assert_eq!(
        RetirementCategory::parse("male"),
        Some(RetirementCategory::Male)
    );
    assert_eq!(
        RetirementCategory::parse("female-55"),
        Some(RetirementCategory::Female55)
    );
    assert_eq!(
        RetirementCategory::parse("female-50"),
        Some(RetirementCategory::Female50)
    );
    for bad in ["female", "female_55", "Male", "female-60", ""] {
        assert_eq!(RetirementCategory::parse(bad), None, "{bad}");
    }
}

// --- Parameters ---

#[test]
fn the_example_parameters_are_valid() {
    assert_eq!(ContributionParameters::example().validate(), Ok(()));
}

#[test]
fn parameters_out_of_range_are_refused() {
    let base = ContributionParameters::example();
    let cases: Vec<(ContributionParameters, &str)> = vec![
        (
            ContributionParameters {
                average_monthly_wage_fen: 0,
                ..base.clone()
            },
            "invalid_parameters",
        ),
        (
            ContributionParameters {
                base_floor_percent: 0,
                ..base.clone()
            },
            "invalid_parameters",
        ),
        (with_band(101, 300), "invalid_parameters"),
        (with_band(60, 99), "invalid_parameters"),
        (
            ContributionParameters {
                base_ceiling_percent: 1001,
                ..base.clone()
            },
            "invalid_parameters",
        ),
        (
            ContributionParameters {
                retiree_medical_credit_fen: -1,
                ..base.clone()
            },
            "invalid_parameters",
        ),
        (
            ContributionParameters {
                pension: InsuranceRates {
                    employer_ppm: 1_000_001,
                    individual_ppm: 80_000,
                },
                ..base.clone()
            },
            "invalid_rate",
        ),
        (
            ContributionParameters {
                pension_interest_ppm: 1_000_001,
                ..base.clone()
            },
            "invalid_rate",
        ),
        (
            ContributionParameters {
                flexible_account_ppm: 200_001,
                ..base.clone()
            },
            "invalid_parameters",
        ),
        (
            ContributionParameters {
                personal_pension_account_ppm: 240_001,
                ..base.clone()
            },
            "invalid_parameters",
        ),
    ];
    for (params, code) in cases {
        assert_eq!(
            params.validate().map_err(|e| e.code()),
            Err(code),
            "{params:?}"
        );
    }
    assert_eq!(
        ContributionParameters {
            pension: InsuranceRates {
                employer_ppm: 1_000_001,
                individual_ppm: 0,
            },
            ..base.clone()
        }
        .validate(),
        Err(InsuranceError::InvalidRate {
            field: "pension.employer_ppm"
        })
    );
}

#[test]
fn parameters_at_their_bounds_are_accepted() {
    let base = ContributionParameters::example();
    for (floor, ceiling) in [(1, 100), (100, 100), (100, 1000), (60, 300)] {
        let params = with_band(floor, ceiling);
        assert_eq!(params.validate(), Ok(()), "{floor} {ceiling}");
    }
    let full_rates = ContributionParameters {
        medical: InsuranceRates {
            employer_ppm: 1_000_000,
            individual_ppm: 1_000_000,
        },
        flexible_pension_ppm: 1_000_000,
        flexible_account_ppm: 1_000_000,
        // The pre-2006 11% to the account is still within the 24% pension rates.
        personal_pension_account_ppm: 110_000,
        retiree_medical_credit_fen: 0,
        ..base
    };
    assert_eq!(full_rates.validate(), Ok(()));
}

// --- Rounding ---

#[test]
fn rounding_is_half_up() {
    assert_eq!(round_half_up(4, 10), 0);
    assert_eq!(round_half_up(5, 10), 1);
    assert_eq!(round_half_up(15, 10), 2);
    assert_eq!(round_half_up(25, 10), 3);
    assert_eq!(round_half_up(49_999, 100_000), 0);
    assert_eq!(round_half_up(50_000, 100_000), 1);
    assert_eq!(round_half_up(1, 3), 0);
    assert_eq!(round_half_up(2, 3), 1);
    assert_eq!(round_half_up(30, 10), 3);
    assert_eq!(round_half_up(0, 10), 0);
}

#[test]
fn rounding_saturates_and_refuses_negatives() {
    assert_eq!(round_half_up(i128::MAX, 1), i64::MAX);
    assert_eq!(round_half_up(i128::MAX, i128::MAX), 1);
    assert_eq!(round_half_up(i128::MAX - 1, i128::MAX), 1);
    assert_eq!(round_half_up(-5, 10), 0);
    assert_eq!(round_half_up(5, 0), 0);
    assert_eq!(round_half_up(5, -10), 0);
}

#[test]
fn amounts_round_half_up_at_half_a_fen() {
    // 0.5% of 100 fen is exactly half a fen.
    assert_eq!(amount(100, 5_000), 1);
    assert_eq!(amount(99, 5_000), 0);
    assert_eq!(amount(300, 5_000), 2); // 1.5 fen
    assert_eq!(amount(480_001, 5_000), 2_400); // 2400.005 fen
    assert_eq!(amount(1_000_000, 0), 0);
    assert_eq!(amount(1_000_000, 1_000_000), 1_000_000);
    assert_eq!(amount(i64::MAX, 1_000_000), i64::MAX);
    assert_eq!(amount(i64::MAX, u32::MAX), i64::MAX);
    assert_eq!(yearly_interest_fen(50, 10_000), 1); // 0.5 fen
    assert_eq!(yearly_interest_fen(49, 10_000), 0);
}

// --- Contribution base ---

#[test]
fn the_base_is_clamped_to_the_band_exactly_at_its_limits() {
    let params = ContributionParameters::example();
    assert_eq!(contribution_base(0, &params), 480_000);
    assert_eq!(contribution_base(479_999, &params), 480_000);
    assert_eq!(contribution_base(480_000, &params), 480_000);
    assert_eq!(contribution_base(480_001, &params), 480_001);
    assert_eq!(contribution_base(2_399_999, &params), 2_399_999);
    assert_eq!(contribution_base(2_400_000, &params), 2_400_000);
    assert_eq!(contribution_base(2_400_001, &params), 2_400_000);
    assert_eq!(contribution_base(i64::MAX, &params), 2_400_000);
    assert_eq!(contribution_base(-1, &params), 480_000);
}

#[test]
fn band_limits_round_half_up_to_the_fen() {
    let params = ContributionParameters {
        average_monthly_wage_fen: 800_010,
        ..with_band(55, 333)
    };
    // 55% of 800 010 is 440 005.5 fen; 333% is 2 664 033.3 fen.
    assert_eq!(contribution_base(1, &params), 440_006);
    assert_eq!(contribution_base(i64::MAX, &params), 2_664_033);
}

#[test]
fn a_floor_above_the_ceiling_does_not_panic() {
    let params = with_band(400, 300);
    assert!(params.validate().is_err());
    assert_eq!(contribution_base(1, &params), 2_400_000);
}

// --- Work injury ---

#[test]
fn work_injury_base_rates_per_class() {
    let expected = [2_000, 4_000, 7_000, 9_000, 11_000, 13_000, 16_000, 19_000];
    for (class, rate) in (1..=8).zip(expected) {
        assert_eq!(work_injury_rate_ppm(class, 100), Ok(rate), "class {class}");
    }
}

#[test]
fn work_injury_rates_float_by_tier() {
    assert_eq!(work_injury_rate_ppm(1, 120), Ok(2_400));
    assert_eq!(work_injury_rate_ppm(1, 150), Ok(3_000));
    assert_eq!(work_injury_rate_ppm(2, 50), Ok(2_000));
    assert_eq!(work_injury_rate_ppm(3, 80), Ok(5_600));
    assert_eq!(work_injury_rate_ppm(5, 50), Ok(5_500));
    assert_eq!(work_injury_rate_ppm(8, 50), Ok(9_500));
    assert_eq!(work_injury_rate_ppm(8, 80), Ok(15_200));
    assert_eq!(work_injury_rate_ppm(8, 150), Ok(28_500));
}

#[test]
fn work_injury_class_and_tier_must_exist() {
    assert_eq!(
        work_injury_rate_ppm(0, 100),
        Err(InsuranceError::InvalidWorkInjuryClass { class: 0 })
    );
    assert_eq!(
        work_injury_rate_ppm(9, 100),
        Err(InsuranceError::InvalidWorkInjuryClass { class: 9 })
    );
    // Class I may not float down.
    for tier in [50, 80] {
        assert_eq!(
            work_injury_rate_ppm(1, tier),
            Err(InsuranceError::InvalidWorkInjuryTier {
                class: 1,
                tier_percent: tier
            })
        );
    }
    for tier in [0, 90, 110, 200] {
        assert_eq!(
            work_injury_rate_ppm(4, tier).map_err(|e| e.code()),
            Err("invalid_work_injury_tier")
        );
    }
}

// --- Contributions (insurance.md vectors) ---

/// (insurance, base, employer, individual) in fen for a wage in fen, at class I 100%.
fn lines_for(wage_fen: i64) -> Vec<(Insurance, i64, i64, i64)> {
    let params = ContributionParameters::example();
    let rate = work_injury_rate_ppm(1, 100).unwrap();
    contributions(wage_fen, &params, rate)
        .into_iter()
        .map(|l| (l.insurance, l.base_fen, l.employer_fen, l.individual_fen))
        .collect()
}

#[test]
fn contributions_below_inside_and_above_the_band() {
    // (wage, base, then each insurance's (employer, individual) in the order of
    // `Insurance::ALL`: pension, medical, unemployment, work injury, maternity), all in fen:
    // wages of 3 000 yuan (below the floor), 10 000 (inside the band) and 30 000 (above the
    // ceiling).
    let vectors = [
        (
            300_000,
            480_000,
            [
                (76_800, 38_400),
                (38_400, 9_600),
                (2_400, 2_400),
                (960, 0),
                (0, 0),
            ],
        ),
        (
            1_000_000,
            1_000_000,
            [
                (160_000, 80_000),
                (80_000, 20_000),
                (5_000, 5_000),
                (2_000, 0),
                (0, 0),
            ],
        ),
        (
            3_000_000,
            2_400_000,
            [
                (384_000, 192_000),
                (192_000, 48_000),
                (12_000, 12_000),
                (4_800, 0),
                (0, 0),
            ],
        ),
    ];
    for (wage, base, shares) in vectors {
        let expected: Vec<_> = Insurance::ALL
            .into_iter()
            .zip(shares)
            .map(|(insurance, (employer, individual))| (insurance, base, employer, individual))
            .collect();
        assert_eq!(lines_for(wage), expected, "{wage}");
    }
}

#[test]
fn a_separate_maternity_rate_is_paid_by_the_employer_alone() {
    let params = ContributionParameters {
        maternity_employer_ppm: 8_000,
        ..ContributionParameters::example()
    };
    let lines = contributions(yuan(10_000), &params, 0);
    // (employer, individual) of one insurance's line.
    let shares = |insurance: Insurance| {
        let line = lines.iter().find(|l| l.insurance == insurance).unwrap();
        (line.employer_fen, line.individual_fen)
    };
    assert_eq!(shares(Insurance::Maternity), (yuan(80), 0));
    assert_eq!(shares(Insurance::WorkInjury), (0, 0));
}

#[test]
fn a_flexible_worker_pays_twenty_percent_of_the_average_wage_alone() {
    let params = ContributionParameters::example();
    assert_eq!(
        flexible_contribution(&params),
        ContributionLine {
            insurance: Insurance::Pension,
            base_fen: yuan(8_000),
            employer_fen: 0,
            individual_fen: yuan(1_600),
        }
    );
}

// --- Personal pension account ---

#[test]
fn an_employee_credits_the_individual_eight_percent_to_the_account() {
    let params = ContributionParameters::example();
    let lines = contributions(yuan(10_000), &params, 2_000);
    let pension = lines[0];
    assert_eq!(pension.insurance, Insurance::Pension);
    assert_eq!(personal_account_share(&pension, &params), yuan(800));
    // The whole individual share, nothing of the employer's.
    assert_eq!(
        personal_account_share(&pension, &params),
        pension.individual_fen
    );
}

#[test]
fn a_flexible_worker_credits_eight_of_the_twenty_percent_to_the_account() {
    let params = ContributionParameters::example();
    let line = flexible_contribution(&params);
    assert_eq!(personal_account_share(&line, &params), yuan(640));
    assert!(personal_account_share(&line, &params) < line.individual_fen);
}

#[test]
fn the_account_share_uses_the_rate_of_the_worker_kind() {
    // Different rates for the two kinds show which one each line uses.
    let params = ContributionParameters {
        flexible_account_ppm: 70_000,
        personal_pension_account_ppm: 110_000,
        ..ContributionParameters::example()
    };
    let flexible = flexible_contribution(&params);
    assert_eq!(personal_account_share(&flexible, &params), yuan(560));
    let employee = contributions(yuan(10_000), &params, 2_000)[0];
    assert_eq!(personal_account_share(&employee, &params), yuan(1_100));
}

#[test]
fn only_pension_lines_feed_the_pension_account() {
    let params = ContributionParameters::example();
    for line in contributions(yuan(10_000), &params, 2_000) {
        let share = personal_account_share(&line, &params);
        if line.insurance == Insurance::Pension {
            assert_eq!(share, yuan(800));
        } else {
            assert_eq!(share, 0, "{}", line.insurance);
        }
    }
}

#[test]
fn the_account_earns_the_credited_rate() {
    let params = ContributionParameters::example();
    assert_eq!(
        yearly_interest_fen(yuan(100_000), params.pension_interest_ppm),
        yuan(2_620)
    );
    // 12 345.67 yuan at 2.62% is 323.456554 yuan.
    assert_eq!(yearly_interest_fen(1_234_567, 26_200), 32_346);
    assert_eq!(yearly_interest_fen(0, 26_200), 0);
    assert_eq!(yearly_interest_fen(-100, 26_200), 0);
}

// --- Errors ---

#[test]
fn error_codes_are_stable_and_distinct() {
    let errors = [
        InsuranceError::InvalidRate { field: "x" },
        InsuranceError::InvalidParameters { reason: "x" },
        InsuranceError::InvalidWorkInjuryClass { class: 9 },
        InsuranceError::InvalidWorkInjuryTier {
            class: 1,
            tier_percent: 50,
        },
        InsuranceError::InvalidContributionIndex,
        InsuranceError::AgeOutsideDivisorTable { age_years: 39 },
        InsuranceError::InvalidDisabilityGrade { grade: 11 },
    ];
    let codes: Vec<&str> = errors.iter().map(InsuranceError::code).collect();
    assert_eq!(
        codes,
        [
            "invalid_rate",
            "invalid_parameters",
            "invalid_work_injury_class",
            "invalid_work_injury_tier",
            "invalid_contribution_index",
            "age_outside_divisor_table",
            "invalid_disability_grade",
        ]
    );
    for error in &errors {
        let as_error: &dyn std::error::Error = error;
        assert!(!as_error.to_string().is_empty(), "{}", error.code());
    }
    assert_eq!(
        InsuranceError::AgeOutsideDivisorTable { age_years: 39 }.to_string(),
        "no personal-account divisor for retirement at 39; the table covers 40 to 70"
    );
}
