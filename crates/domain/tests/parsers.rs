//! Hostile input for the domain's parsers (issue 6, item 7, proptest form so it fits CI):
//! arbitrary strings, and strings close to valid ones, never panic; whatever a parser accepts
//! it accepts again in its normal form and as the same value.

#![allow(
    clippy::expect_used,
    reason = "tests: a failed expectation is a failed test"
)]

use proptest::prelude::*;
use shebao_domain::insurance::Month;
use shebao_domain::medical::parse_ratio_ppm;
use shebao_domain::person::identity::{
    BankCardNumber, CardIdentificationCode, CardNumber, CitizenId, SocialCreditCode,
};
use shebao_domain::time::{Date, Timestamp};

/// Any text, text of the alphabet valid numbers use, and text of the right lengths.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9xX ]{0,22}",
        "[0-9A-Z]{18}",
        "[0-9]{17}[0-9Xx]",
        "[0-9]{15}",
        "[0-9 ]{10,25}",
        "[0-9.%]{0,12}",
        "[0-9]{4}-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?)?",
        "[\\p{Han}0-9\u{0}-\u{1f}'\";%_\\\\]{0,24}",
    ]
}

fn today() -> Date {
    Date::new(2026, 11, 27).expect("a real date")
}

/// The number of cases: `PROPTEST_CASES` for a long run (docs/reliability.md), else `base`.
fn cases(base: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(base)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(4096)))]

    #[test]
    fn citizen_ids_reparse_to_themselves(input in hostile()) {
        if let Ok(id) = CitizenId::parse(&input, today()) {
            prop_assert_eq!(id.as_str().len(), 18);
            let again = CitizenId::parse(id.as_str(), today());
            prop_assert!(again.as_ref().is_ok_and(|a| *a == id), "{} did not reparse", id.masked());
            prop_assert!(!id.masked().contains(&id.as_str()[6..14]), "the birth date shows in the mask");
        }
    }

    #[test]
    fn exactly_one_check_character_completes_a_well_formed_body(
        province in prop::sample::select(vec!["11", "31", "44", "65"]),
        year in 1930i32..2020,
        month in 1u8..=12,
        day in 1u8..=28,
        place in 0u32..10_000,
        sequence in 0u32..1000,
    ) {
        let body = format!("{province}{place:04}{year:04}{month:02}{day:02}{sequence:03}");
        let accepted: Vec<CitizenId> = "0123456789X"
            .chars()
            .filter_map(|check| CitizenId::parse(&format!("{body}{check}"), today()).ok())
            .collect();
        prop_assert_eq!(accepted.len(), 1);
        let id = &accepted[0];
        let lower = format!(" {} ", id.as_str().to_lowercase());
        prop_assert!(CitizenId::parse(&lower, today()).is_ok_and(|again| again == *id));
        prop_assert_eq!(id.birth_date(), Date::new(year, month, day).expect("days 1-28 exist"));
    }

    #[test]
    fn a_luhn_completed_payload_parses_with_or_without_spaces(payload in "[0-9]{11,18}") {
        let card = BankCardNumber::with_check_digit(&payload).expect("11-18 digits take a check digit");
        let spaced: String = card
            .as_str()
            .chars()
            .enumerate()
            .flat_map(|(i, c)| (i % 4 == 0 && i > 0).then_some(' ').into_iter().chain([c]))
            .collect();
        prop_assert!(BankCardNumber::parse(&spaced).is_ok_and(|again| again == card));
        let last = card.as_str().chars().last().and_then(|c| c.to_digit(10)).expect("a digit");
        let wrong = format!("{payload}{}", (last + 1) % 10);
        prop_assert!(BankCardNumber::parse(&wrong).is_err(), "a wrong check digit was accepted");
    }

    #[test]
    fn bank_card_numbers_reparse_to_themselves(input in hostile()) {
        if let Ok(card) = BankCardNumber::parse(&input) {
            let again = BankCardNumber::parse(card.as_str());
            prop_assert!(again.as_ref().is_ok_and(|a| *a == card), "{} did not reparse", card.masked());
            prop_assert_ne!(card.masked(), card.as_str());
        }
    }

    #[test]
    fn card_numbers_and_codes_reparse_to_themselves(input in hostile()) {
        if let Ok(number) = CardNumber::parse(&input) {
            prop_assert_eq!(CardNumber::parse(number.as_str()), Ok(number.clone()));
        }
        if let Ok(code) = CardIdentificationCode::parse(&input) {
            prop_assert_eq!(CardIdentificationCode::parse(code.as_str()), Ok(code.clone()));
        }
        if let Ok(code) = SocialCreditCode::parse(&input) {
            prop_assert_eq!(SocialCreditCode::parse(code.as_str()), Ok(code.clone()));
        }
    }

    #[test]
    fn ratios_months_dates_and_times_stay_in_range(input in hostile()) {
        if let Some(ppm) = parse_ratio_ppm(&input) {
            prop_assert!(ppm <= 1_000_000);
        }
        if let Some(month) = Month::parse(&input) {
            prop_assert_eq!(Month::parse(&month.to_string()), Some(month));
        }
        if let Some(date) = Date::parse_iso(&input) {
            prop_assert_eq!(Date::parse_iso(&date.to_string()), Some(date));
        }
        if let Some(time) = Timestamp::parse_rfc3339(&input) {
            prop_assert_eq!(Timestamp::parse_rfc3339(&time.to_string()), Some(time));
        }
    }
}
