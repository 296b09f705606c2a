//! The medical rules' vectors and their edges.

use super::*;
use proptest::prelude::*;

fn yuan(v: i64) -> i64 {
    v * 100
}

#[test]
fn a_diagnosis_has_the_shape_of_an_icd10_code() {
    for code in [
        "J18.9",
        "J18",
        "J18.900",
        "J18.900x001",
        "U07.1",
        "C4A.0",
        " K35.8 ",
    ] {
        assert!(Diagnosis::parse(code, None).is_ok(), "{code}");
    }
    for code in [
        "",
        "j18.9",
        "J1",
        "18.9",
        "J18.",
        "J18.9.1",
        "J18.900000001",
        "JJ8",
        "J18 9",
        "Ｊ18.9",
    ] {
        assert_eq!(
            Diagnosis::parse(code, None),
            Err(DiagnosisError::Code),
            "{code}"
        );
    }
    let long = "肺".repeat(DIAGNOSIS_TEXT_CHARS_MAX + 1);
    assert_eq!(
        Diagnosis::parse("J18.9", Some(&long)),
        Err(DiagnosisError::Text)
    );
    assert_eq!(
        Diagnosis::parse("J18.9", Some("肺炎\n")).unwrap().text(),
        Some("肺炎")
    );
    assert_eq!(
        Diagnosis::parse("J18.9", Some("肺\u{7}炎")),
        Err(DiagnosisError::Text)
    );
    assert_eq!(Diagnosis::parse("J18.9", Some("  ")).unwrap().text(), None);
}

#[test]
fn a_diagnosis_prints_masked() {
    let diagnosis = Diagnosis::parse("J18.900", Some("社区获得性肺炎")).unwrap();
    assert_eq!(format!("{diagnosis:?}"), "Diagnosis(J**)");
    assert_eq!(format!("{diagnosis:#?}"), "Diagnosis(J**)");
    assert_eq!(diagnosis.masked_code(), "J**");
    assert_eq!(diagnosis.masked_text().as_deref(), Some("***"));
    assert_eq!(
        (diagnosis.code(), diagnosis.text()),
        ("J18.900", Some("社区获得性肺炎"))
    );
}

fn bill(total: i64, self_paid: i64, over_limit: i64, class_b: i64, ratio_ppm: u32) -> BillTotals {
    BillTotals {
        total_fen: yuan(total),
        self_paid_fen: yuan(self_paid),
        over_limit_fen: yuan(over_limit),
        class_b_fen: yuan(class_b),
        class_b_first_share_fen: round_half_up(
            i128::from(yuan(class_b)) * i128::from(ratio_ppm),
            PPM,
        ),
    }
}

fn terms(deductible: i64, ratio_ppm: u32, cap: i64, balance: i64) -> SplitTerms {
    SplitTerms {
        deductible_remaining_fen: yuan(deductible),
        pool_ratio_ppm: ratio_ppm,
        cap_remaining_fen: yuan(cap),
        account_balance_fen: yuan(balance),
        use_account: true,
        supplementary: None,
    }
}

fn in_yuan(s: Split) -> [i64; 7] {
    [
        s.class_b_first_share_fen,
        s.in_scope_fen,
        s.deductible_fen,
        s.fund_fen,
        s.person_fen,
        s.account_fen,
        s.cash_fen,
    ]
    .map(|v| v / 100)
}

#[test]
fn the_vectors_of_medical_md_split_exactly() {
    // (name, bill, terms, the split in yuan): one vector a line.
    #[rustfmt::skip]
    let vectors = [
        ("working", bill(20_000, 2_000, 0, 5_000, 100_000), terms(1_300, 850_000, 1_000_000, 1_500), [500, 17_500, 1_300, 13_770, 6_230, 1_500, 4_730]),
        ("retired", bill(20_000, 2_000, 0, 5_000, 100_000), terms(1_300, 900_000, 1_000_000, 1_500), [500, 17_500, 1_300, 14_580, 5_420, 1_500, 3_920]),
        ("small", bill(800, 0, 0, 0, 0), terms(1_300, 850_000, 1_000_000, 300), [0, 800, 800, 0, 800, 300, 500]),
        ("capped", bill(400_000, 10_000, 5_000, 100_000, 100_000), terms(1_300, 850_000, 300_000, 0), [10_000, 375_000, 1_300, 300_000, 100_000, 0, 100_000]),
    ];
    for (name, bill, terms, expected) in vectors {
        assert_eq!(in_yuan(split(bill, terms).unwrap()), expected, "{name}");
    }
}

#[test]
fn a_supplementary_fund_pays_above_the_cap() {
    // The fourth vector, with large-amount mutual aid paying 90% above the basic cap:
    // the cap of 300,000 is used up by 300,000 / 0.85 = 352,941.18 of costs; the other
    // 373,700 − 352,941.18 = 20,758.82 is paid at 90%.
    let aided = SplitTerms {
        supplementary: Some(Supplementary {
            ratio_ppm: 900_000,
            cap_remaining_fen: yuan(400_000),
        }),
        ..terms(1_300, 850_000, 300_000, 0)
    };
    let s = split(bill(400_000, 10_000, 5_000, 100_000, 100_000), aided).unwrap();
    assert_eq!((s.fund_fen, s.supplementary_fen), (30_000_000, 1_868_294));
    assert_eq!(
        s.fund_fen + s.supplementary_fen + s.account_fen + s.cash_fen,
        s.total_fen
    );
    let small_cap = SplitTerms {
        supplementary: Some(Supplementary {
            ratio_ppm: 900_000,
            cap_remaining_fen: 1_000,
        }),
        ..aided
    };
    assert_eq!(
        split(bill(400_000, 10_000, 5_000, 100_000, 100_000), small_cap)
            .unwrap()
            .supplementary_fen,
        1_000
    );
    let below_cap = split(
        bill(20_000, 2_000, 0, 5_000, 100_000),
        SplitTerms {
            supplementary: aided.supplementary,
            ..terms(1_300, 850_000, 1_000_000, 1_500)
        },
    )
    .unwrap();
    assert_eq!(below_cap.supplementary_fen, 0);
}

#[test]
fn lines_sum_by_class_with_limit_prices() {
    let lines = [
        BillLine {
            class: ItemClass::A,
            quantity: 2,
            unit_price_fen: 1_000,
            limit_price_fen: Some(800),
        },
        BillLine {
            class: ItemClass::B {
                first_share_ppm: 100_000,
            },
            quantity: 1,
            unit_price_fen: 5_000,
            limit_price_fen: None,
        },
        BillLine {
            class: ItemClass::SelfPaid,
            quantity: 3,
            unit_price_fen: 100,
            limit_price_fen: None,
        },
    ];
    let totals = bill_totals(&lines).unwrap();
    assert_eq!(
        totals,
        BillTotals {
            total_fen: 7_300,
            self_paid_fen: 300,
            over_limit_fen: 400,
            class_b_fen: 5_000,
            class_b_first_share_fen: 500
        }
    );
    assert_eq!(
        bill_totals(&[BillLine {
            quantity: 0,
            ..lines[0]
        }]),
        Err(MedicalError::InvalidAmount)
    );
}

#[test]
fn ratios_read_as_decimals_or_percentages() {
    assert_eq!(parse_ratio_ppm("0.85"), Some(850_000));
    assert_eq!(parse_ratio_ppm("85%"), Some(850_000));
    assert_eq!(parse_ratio_ppm("0.1"), Some(100_000));
    assert_eq!(parse_ratio_ppm("12.5%"), Some(125_000));
    assert_eq!(parse_ratio_ppm("1"), Some(1_000_000));
    for bad in ["", "1.5", "-0.1", "abc", "101%", "0.0000001"] {
        assert_eq!(parse_ratio_ppm(bad), None, "{bad}");
    }
}

#[test]
fn bad_inputs_are_refused() {
    let refused = split(bill(100, 200, 0, 0, 0), terms(0, 850_000, 1, 0));
    assert_eq!(refused, Err(MedicalError::PartsExceedTotal));
    assert_eq!(
        split(bill(100, 0, 0, 0, 0), terms(0, 1_000_001, 1, 0)),
        Err(MedicalError::InvalidRatio)
    );
    let without_account = split(
        bill(800, 0, 0, 0, 0),
        SplitTerms {
            use_account: false,
            ..terms(0, 850_000, 1_000, 500)
        },
    )
    .unwrap();
    assert_eq!(
        (without_account.account_fen, without_account.cash_fen),
        (0, 12_000)
    );
}

proptest! {
    #[test]
    fn fund_account_and_cash_add_up_to_the_total(
        total in 0i64..100_000_000,
        self_paid_part in 0u32..=100,
        over_part in 0u32..=100,
        class_b_part in 0u32..=100,
        first_share in 0u32..=1_000_000,
        deductible in 0i64..1_000_000,
        ratio in 0u32..=1_000_000,
        cap in 0i64..50_000_000,
        balance in 0i64..10_000_000,
        use_account: bool,
        supplementary_ratio in 0u32..=1_000_000,
        supplementary_cap in 0i64..50_000_000,
        with_supplementary: bool,
    ) {
        let self_paid = total * i64::from(self_paid_part) / 300;
        let over = total * i64::from(over_part) / 300;
        let class_b = total * i64::from(class_b_part) / 300;
        let first = round_half_up(i128::from(class_b) * i128::from(first_share), PPM);
        let bill = BillTotals { total_fen: total, self_paid_fen: self_paid, over_limit_fen: over, class_b_fen: class_b, class_b_first_share_fen: first };
        let supplementary = with_supplementary.then_some(Supplementary { ratio_ppm: supplementary_ratio, cap_remaining_fen: supplementary_cap });
        let s = split(bill, SplitTerms { deductible_remaining_fen: deductible, pool_ratio_ppm: ratio, cap_remaining_fen: cap, account_balance_fen: balance, use_account, supplementary }).unwrap();
        prop_assert_eq!(s.fund_fen + s.supplementary_fen + s.account_fen + s.cash_fen, total);
        prop_assert!(s.fund_fen >= 0 && s.supplementary_fen >= 0 && s.account_fen >= 0 && s.cash_fen >= 0);
        prop_assert!(s.supplementary_fen <= supplementary_cap || !with_supplementary);
        prop_assert!(s.fund_fen + s.supplementary_fen <= s.in_scope_fen - s.deductible_fen);
        prop_assert!(s.fund_fen <= cap && s.deductible_fen <= deductible && s.account_fen <= balance);
        prop_assert!(s.fund_fen <= s.in_scope_fen - s.deductible_fen);
    }
}
