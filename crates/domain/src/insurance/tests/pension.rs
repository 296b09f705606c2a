//! Retirement, the average contribution index and the pension: the vectors of insurance.md
//! and the edges around them.

use super::*;

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
