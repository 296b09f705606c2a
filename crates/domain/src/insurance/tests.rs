//! The vectors of insurance.md and benefits.md (unemployment), and the edges around them; work
//! injury and maternity are in `injury_tests.rs`.

use super::*;

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

// --- Retirement (insurance.md vectors) ---

fn retirement_of(birth: &str, category: &str) -> (u32, u32, u32, String) {
    let r = retirement(
        Month::parse(birth).unwrap(),
        RetirementCategory::parse(category).unwrap(),
    );
    (
        r.delay_months,
        r.age_years,
        r.age_months,
        r.retirement_month.to_string(),
    )
}

#[test]
fn retirement_vectors_for_men() {
    let vectors = [
        ("1964-12", 0, 60, 0, "2024-12"),
        ("1965-01", 1, 60, 1, "2025-02"),
        ("1965-04", 1, 60, 1, "2025-05"),
        ("1965-05", 2, 60, 2, "2025-07"),
        ("1970-01", 16, 61, 4, "2031-05"),
        ("1976-08", 35, 62, 11, "2039-07"),
        ("1976-09", 36, 63, 0, "2039-09"),
    ];
    for (birth, delay, years, months, at) in vectors {
        assert_eq!(
            retirement_of(birth, "male"),
            (delay, years, months, at.to_owned()),
            "{birth}"
        );
    }
}

#[test]
fn retirement_vectors_for_women() {
    let vectors = [
        ("1970-01", "female-55", 1, 55, 1, "2025-02"),
        ("1981-09", "female-55", 36, 58, 0, "2039-09"),
        ("1975-01", "female-50", 1, 50, 1, "2025-02"),
        ("1975-03", "female-50", 2, 50, 2, "2025-05"),
        ("1980-01", "female-50", 31, 52, 7, "2032-08"),
        ("1984-11", "female-50", 60, 55, 0, "2039-11"),
    ];
    for (birth, category, delay, years, months, at) in vectors {
        assert_eq!(
            retirement_of(birth, category),
            (delay, years, months, at.to_owned()),
            "{birth} {category}"
        );
    }
}

#[test]
fn retirement_reports_the_original_month_and_the_minimum_period() {
    let r = retirement(month(1970, 1), RetirementCategory::Male);
    assert_eq!(r.original_month, month(2030, 1));
    assert_eq!(r.retirement_month, month(2031, 5));
    assert_eq!(r.minimum_contribution_months, 192);
    let early = retirement(month(1950, 6), RetirementCategory::Female50);
    assert_eq!(early.original_month, month(2000, 6));
    assert_eq!(early.retirement_month, month(2000, 6));
    assert_eq!(early.delay_months, 0);
    assert_eq!(early.minimum_contribution_months, 180);
}

#[test]
fn the_delay_caps_at_three_and_five_years() {
    for category in [RetirementCategory::Male, RetirementCategory::Female55] {
        let r = retirement(month(1995, 1), category);
        assert_eq!(r.delay_months, 36, "{}", category.as_str());
    }
    let r = retirement(month(2000, 1), RetirementCategory::Female50);
    assert_eq!((r.delay_months, r.age_years, r.age_months), (60, 55, 0));
}

#[test]
fn the_delay_grows_one_month_every_four_or_two_months() {
    // Men born in consecutive months from 1965-01 (k = 0, 1, 2, ...).
    let men: Vec<u32> = (0..9)
        .map(|k| retirement(month(1965, 1).add_months(k), RetirementCategory::Male).delay_months)
        .collect();
    assert_eq!(men, [1, 1, 1, 1, 2, 2, 2, 2, 3]);
    let women: Vec<u32> = (0..6)
        .map(|k| {
            retirement(month(1975, 1).add_months(k), RetirementCategory::Female50).delay_months
        })
        .collect();
    assert_eq!(women, [1, 1, 2, 2, 3, 3]);
}

#[test]
fn minimum_contribution_vectors() {
    for (year, months) in [
        (2029, 180),
        (2030, 186),
        (2031, 192),
        (2035, 216),
        (2038, 234),
        (2039, 240),
        (2045, 240),
    ] {
        assert_eq!(minimum_contribution_months(year), months, "{year}");
    }
    assert_eq!(minimum_contribution_months(2000), 180);
    assert_eq!(minimum_contribution_months(i32::MIN), 180);
    assert_eq!(minimum_contribution_months(i32::MAX), 240);
}

// --- Contribution index ---

#[test]
fn contribution_index_parses_up_to_four_decimals() {
    assert_eq!(index("1.2").ten_thousandths(), 12_000);
    assert_eq!(index("0.6").ten_thousandths(), 6_000);
    assert_eq!(index("3").ten_thousandths(), 30_000);
    assert_eq!(index("3.0000").ten_thousandths(), 30_000);
    assert_eq!(index("1.25").ten_thousandths(), 12_500);
    assert_eq!(index("0.6543").ten_thousandths(), 6_543);
    assert_eq!(index("01.5").ten_thousandths(), 15_000);
    assert_eq!(index("1.2").to_string(), "1.2000");
    assert_eq!(index(&index("0.6543").to_string()), index("0.6543"));
}

#[test]
fn contribution_index_rejects_malformed_and_out_of_range_text() {
    for bad in [
        "", "0.5999", "3.0001", "4", "1.23456", ".5", "1.", "-1", "+1", " 1", "1 ", "1,2", "1.2.3",
        "1e0", "abc", "100",
    ] {
        assert_eq!(
            ContributionIndex::parse(bad),
            Err(InsuranceError::InvalidContributionIndex),
            "{bad}"
        );
    }
}

#[test]
fn contribution_index_from_ten_thousandths_is_bounded() {
    assert_eq!(
        ContributionIndex::from_ten_thousandths(6_000),
        Ok(ContributionIndex::MIN)
    );
    assert_eq!(
        ContributionIndex::from_ten_thousandths(30_000),
        Ok(ContributionIndex::MAX)
    );
    assert!(ContributionIndex::from_ten_thousandths(5_999).is_err());
    assert!(ContributionIndex::from_ten_thousandths(30_001).is_err());
    assert!(ContributionIndex::from_ten_thousandths(0).is_err());
}

#[test]
fn contribution_index_is_the_mean_of_yearly_ratios() {
    assert_eq!(contribution_index(&[(480_000, 800_000)]), index("0.6"));
    assert_eq!(
        contribution_index(&[(1_000_000, 800_000), (800_000, 800_000)]),
        index("1.125")
    );
    // Different averages each year: 1.0, 1.5 and 2.0 average to 1.5.
    assert_eq!(
        contribution_index(&[
            (600_000, 600_000),
            (1_050_000, 700_000),
            (1_600_000, 800_000)
        ]),
        index("1.5")
    );
    // Ratios without a finite decimal: (4/3 + 8/3) / 2 = 2.0.
    assert_eq!(
        contribution_index(&[(1_000_000, 750_000), (2_000_000, 750_000)]),
        index("2")
    );
}

#[test]
fn contribution_index_rounds_half_up_once() {
    // (1.0 + 1.0001) / 2 = 1.00005, half-up to 1.0001.
    assert_eq!(
        contribution_index(&[(100_000, 100_000), (100_010, 100_000)]),
        index("1.0001")
    );
    // (1.000049 + 1.000050) / 2 = 1.0000495 stays at 1.0000.
    assert_eq!(
        contribution_index(&[(1_000_049, 1_000_000), (1_000_050, 1_000_000)]),
        index("1.0000")
    );
}

#[test]
fn contribution_index_is_clamped_and_skips_unusable_years() {
    assert_eq!(
        contribution_index(&[(100, 800_000)]),
        ContributionIndex::MIN
    );
    assert_eq!(
        contribution_index(&[(10_000_000, 800_000)]),
        ContributionIndex::MAX
    );
    assert_eq!(contribution_index(&[]), ContributionIndex::MIN);
    assert_eq!(
        contribution_index(&[(800_000, 0), (800_000, -1)]),
        ContributionIndex::MIN
    );
    assert_eq!(
        contribution_index(&[(800_000, 0), (1_200_000, 800_000)]),
        index("1.5")
    );
    assert_eq!(
        contribution_index(&[(i64::MAX, 1), (i64::MAX, 1)]),
        ContributionIndex::MAX
    );
}

// --- Pension (insurance.md vectors) ---

#[test]
fn account_divisors_cover_ages_forty_to_seventy() {
    assert_eq!(account_divisor(39), None);
    assert_eq!(account_divisor(40), Some(233));
    assert_eq!(account_divisor(47), Some(207));
    assert_eq!(account_divisor(50), Some(195));
    assert_eq!(account_divisor(55), Some(170));
    assert_eq!(account_divisor(60), Some(139));
    assert_eq!(account_divisor(63), Some(117));
    assert_eq!(account_divisor(70), Some(56));
    assert_eq!(account_divisor(71), None);
    assert_eq!(account_divisor(0), None);
    assert_eq!(account_divisor(u32::MAX), None);
    // Later retirement always means fewer months to spread the account over.
    let divisors: Vec<u32> = (40..=70).map(|age| account_divisor(age).unwrap()).collect();
    assert!(divisors.windows(2).all(|pair| pair[0] > pair[1]));
}

#[test]
fn pension_vectors() {
    // (C yuan, Z, months, balance yuan, age) → (basic, account, total) fen.
    let vectors = [
        (10_000, "1.0", 360, 200_000, 60, (300_000, 143_885, 443_885)),
        (8_000, "0.6", 180, 50_000, 60, (96_000, 35_971, 131_971)),
        (
            8_000,
            "3.0",
            480,
            600_000,
            60,
            (640_000, 431_655, 1_071_655),
        ),
        (9_000, "1.2", 306, 180_000, 55, (252_450, 105_882, 358_332)),
        (9_000, "1.0", 240, 100_000, 50, (180_000, 51_282, 231_282)),
        (12_000, "1.5", 420, 300_000, 63, (525_000, 256_410, 781_410)),
    ];
    for (c, z, months, balance, age, (basic, account, total)) in vectors {
        let amounts = pension(yuan(c), index(z), months, yuan(balance), age).unwrap();
        assert_eq!(
            amounts,
            PensionAmounts {
                basic_fen: basic,
                account_fen: account,
                total_fen: total,
            },
            "{c} {z} {months} {balance} {age}"
        );
    }
}

#[test]
fn pension_parts_round_half_up_once() {
    // 100 fen * (1 + 1) / 2 * 0.5 year * 1% is exactly half a fen.
    let amounts = pension(100, index("1"), 6, 0, 60).unwrap();
    assert_eq!(amounts.basic_fen, 1);
    let amounts = pension(100, index("1"), 5, 0, 60).unwrap();
    assert_eq!(amounts.basic_fen, 0); // 0.4166… fen
    // At 55 the divisor is 170, so 85 fen is exactly half a fen a month.
    let amounts = pension(yuan(8_000), index("1"), 0, 85, 55).unwrap();
    assert_eq!(amounts.account_fen, 1);
    let amounts = pension(yuan(8_000), index("1"), 0, 84, 55).unwrap();
    assert_eq!(amounts.account_fen, 0);
    // The basic part is rounded from the exact product, not from rounded steps:
    // 8000.01 yuan * 2.2 / 2 * 25.5 years * 1% = 2244.002805 yuan.
    let amounts = pension(800_001, index("1.2"), 306, 0, 60).unwrap();
    assert_eq!(amounts.basic_fen, 224_400);
}

#[test]
fn pension_refuses_impossible_inputs() {
    assert_eq!(
        pension(yuan(8_000), index("1"), 180, 0, 39),
        Err(InsuranceError::AgeOutsideDivisorTable { age_years: 39 })
    );
    assert_eq!(
        pension(yuan(8_000), index("1"), 180, 0, 71).map_err(|e| e.code()),
        Err("age_outside_divisor_table")
    );
    assert_eq!(
        pension(0, index("1"), 180, 0, 60).map_err(|e| e.code()),
        Err("invalid_parameters")
    );
    assert_eq!(
        pension(yuan(8_000), index("1"), 180, -1, 60).map_err(|e| e.code()),
        Err("invalid_parameters")
    );
}

#[test]
fn pension_does_not_overflow_at_the_extremes() {
    let amounts = pension(i64::MAX, ContributionIndex::MAX, u32::MAX, i64::MAX, 70).unwrap();
    assert_eq!(amounts.basic_fen, i64::MAX);
    assert_eq!(amounts.total_fen, i64::MAX);
}

#[test]
fn transitional_pension_rules_plug_in() {
    let none: &dyn TransitionalPension = &NoTransitionalPension;
    assert_eq!(none.monthly_fen(120, yuan(8_000), index("1")), 0);
    // 8000 yuan * 1.0 * 10 years * 1.3% = 1040 yuan.
    let coefficient = CoefficientTransitionalPension {
        coefficient_ppm: 13_000,
    };
    assert_eq!(
        coefficient.monthly_fen(120, yuan(8_000), index("1")),
        yuan(1_040)
    );
    // 8000 yuan * 1.2 * 5.5 years * 1.2% = 633.60 yuan.
    let coefficient = CoefficientTransitionalPension {
        coefficient_ppm: 12_000,
    };
    assert_eq!(
        coefficient.monthly_fen(66, yuan(8_000), index("1.2")),
        63_360
    );
    assert_eq!(coefficient.monthly_fen(0, yuan(8_000), index("1.2")), 0);
    let huge = CoefficientTransitionalPension {
        coefficient_ppm: u32::MAX,
    };
    assert_eq!(
        huge.monthly_fen(u32::MAX, i64::MAX, ContributionIndex::MAX),
        i64::MAX
    );
}

// --- Unemployment (benefits.md vectors) ---

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
