//! Each pattern constant of the domain agrees with its parser, checked with a real JSON
//! Schema validator (the `jsonschema` crate, as a client would check a request before it
//! sends it): every input of the table the parser accepts, the pattern accepts; every input
//! the parser refuses for a reason a pattern can say (length, characters), the pattern
//! refuses. What only the parser can say (a check character, a day of the month, a province)
//! is left out of the "refused" tables.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use serde_json::json;
use shebao_domain::card::pin::{PIN_PATTERN, Pin};
use shebao_domain::ids::{REGION_CODE_PATTERN, RegionCode};
use shebao_domain::insurance::{MONTH_PATTERN, Month};
use shebao_domain::medical::{DIAGNOSIS_CODE_PATTERN, Diagnosis, RATIO_PATTERN, parse_ratio_ppm};
use shebao_domain::person::identity::{
    BANK_CARD_NUMBER_PATTERN, BankCardNumber, CARD_IDENTIFICATION_CODE_PATTERN,
    CARD_NUMBER_PATTERN, CITIZEN_ID_PATTERN, CardIdentificationCode, CardNumber, CitizenId,
    SOCIAL_CREDIT_CODE_PATTERN, SocialCreditCode, check_character,
};
use shebao_domain::person::{NATIONALITY_PATTERN, PHONE_PATTERN, parse_nationality, parse_phone};
use shebao_domain::time::{DATE_PATTERN, Date};

/// Checks `pattern` against `parses` on both tables (and the tables against the parser, so
/// that a table cannot drift from what it claims).
fn agree(
    name: &str,
    pattern: &str,
    parses: impl Fn(&str) -> bool,
    accepted: &[String],
    refused: &[String],
) {
    let schema = json!({ "type": "string", "pattern": pattern });
    let validator = jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|error| panic!("{name}: {pattern} does not compile: {error}"));
    for input in accepted {
        assert!(parses(input), "{name}: the parser refuses {input:?}");
        assert!(
            validator.is_valid(&json!(input)),
            "{name}: {pattern} refuses {input:?}, which the parser accepts"
        );
    }
    for input in refused {
        assert!(!parses(input), "{name}: the parser accepts {input:?}");
        assert!(
            !validator.is_valid(&json!(input)),
            "{name}: {pattern} accepts {input:?}, which the parser refuses"
        );
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// A valid 18-character ID number from its first 17 digits.
fn citizen_id(first17: &str) -> String {
    format!("{first17}{}", check_character(first17).unwrap())
}

#[test]
fn citizen_id_pattern_agrees_with_its_parser() {
    let today = Date::new(2026, 12, 5).unwrap();
    let valid = citizen_id("11010519491231002");
    let other = citizen_id("44030119900307123");
    let accepted = vec![
        valid.clone(),
        valid.to_lowercase(),
        other.clone(),
        format!("  {valid}  "),
        format!("\t{other}\n"),
        // A legacy 15-digit number.
        "110105491231002".to_owned(),
    ];
    let refused = vec![
        String::new(),
        valid[..16].to_owned(),
        valid[..17].to_owned(),
        format!("{valid}1"),
        format!("{}Y", &valid[..17]),
        format!("{} {}", &valid[..9], &valid[9..]),
        format!("A{}", &valid[1..]),
        format!("１{}", &valid[1..]),
        "11010549123100A".to_owned(),
        "110105491231002X".to_owned(),
    ];
    agree(
        "citizen ID",
        CITIZEN_ID_PATTERN,
        |s| CitizenId::parse(s, today).is_ok(),
        &accepted,
        &refused,
    );
}

#[test]
fn bank_card_number_pattern_agrees_with_its_parser() {
    let card = |payload: &str| {
        BankCardNumber::with_check_digit(payload)
            .unwrap()
            .as_str()
            .to_owned()
    };
    let twelve = card("62220212345");
    let nineteen = card("622202123456789012");
    let sixteen = card("622202123456789");
    let spaced: String = sixteen
        .chars()
        .enumerate()
        .flat_map(|(i, c)| (i > 0 && i % 4 == 0).then_some(' ').into_iter().chain([c]))
        .collect();
    let accepted = vec![
        twelve.clone(),
        nineteen.clone(),
        spaced,
        format!(" {sixteen} "),
    ];
    let refused = vec![
        String::new(),
        twelve[..11].to_owned(),
        format!("{nineteen}0"),
        format!("{}-{}", &sixteen[..4], &sixteen[4..]),
        format!("\t{sixteen}"),
        format!("{}A", &sixteen[..15]),
    ];
    agree(
        "bank card number",
        BANK_CARD_NUMBER_PATTERN,
        |s| BankCardNumber::parse(s).is_ok(),
        &accepted,
        &refused,
    );
}

#[test]
fn card_number_pattern_agrees_with_its_parser() {
    agree(
        "card number",
        CARD_NUMBER_PATTERN,
        |s| CardNumber::parse(s).is_ok(),
        &strings(&["A12345678", "Z00000000", " B87654321\n"]),
        &strings(&[
            "",
            "a12345678",
            "A1234567",
            "A123456789",
            "AB2345678",
            "A1234 5678",
            "A1234567８",
            "123456789",
        ]),
    );
}

#[test]
fn card_identification_code_pattern_agrees_with_its_parser() {
    const CODE: &str = "330100D1560000050123456789ABCDEF";
    agree(
        "card identification code",
        CARD_IDENTIFICATION_CODE_PATTERN,
        |s| CardIdentificationCode::parse(s).is_ok(),
        &strings(&[
            CODE,
            "440300D156000005FFFFFFFFFFFFFFFF",
            " 330100D1560000050123456789ABCDEF ",
        ]),
        &strings(&[
            "",
            "330100D1560000050123456789abcdef",
            "330100D1560000060123456789ABCDEF",
            "330100D1560000050123456789ABCDE",
            "330100D1560000050123456789ABCDEF0",
            "33010AD1560000050123456789ABCDEF",
            "330100D1560000050123456789ABCDEG",
        ]),
    );
}

#[test]
fn social_credit_code_pattern_agrees_with_its_parser() {
    agree(
        "social credit code",
        SOCIAL_CREDIT_CODE_PATTERN,
        |s| SocialCreditCode::parse(s).is_ok(),
        &strings(&[
            "91330100MA0000010D",
            "91330100MA0000020E",
            "91330100ma0000010d",
            "  91330100MA0000010D\t",
        ]),
        &strings(&[
            "",
            "91330100MA0000010",
            "91330100MA0000010D0",
            "91330100MI0000010D",
            "91330100MO0000010D",
            "91330100MS0000010D",
            "91330100MA00000-0D",
            "91330100MA 000010D",
        ]),
    );
}

#[test]
fn date_pattern_agrees_with_its_parser() {
    agree(
        "date",
        DATE_PATTERN,
        |s| Date::parse_iso(s).is_some(),
        &strings(&["2026-12-05", "2024-02-29", "1949-10-01", "2026-01-31"]),
        &strings(&[
            "",
            "2026-1-05",
            "2026-13-01",
            "2026-00-10",
            "2026-12-32",
            "2026-12-00",
            "2026/12/05",
            " 2026-12-05",
            "2026-12-05 ",
            "20261205",
            "2026-12-05T00:00",
            "２026-12-05",
        ]),
    );
}

#[test]
fn month_pattern_agrees_with_its_parser() {
    agree(
        "month",
        MONTH_PATTERN,
        |s| Month::parse(s).is_some(),
        &strings(&["2026-01", "2026-12", "1990-07"]),
        &strings(&[
            "",
            "2026-13",
            "2026-00",
            "2026-1",
            "202601",
            " 2026-01",
            "2026-01 ",
            "2026-01-01",
            "2026/01",
        ]),
    );
}

#[test]
fn pin_pattern_agrees_with_its_parser() {
    agree(
        "PIN",
        PIN_PATTERN,
        |s| Pin::parse(s).is_ok(),
        &strings(&["000000", "123456", "987654"]),
        &strings(&[
            "",
            "12345",
            "1234567",
            " 123456",
            "123456 ",
            "12345a",
            "１２３４５６",
            "12 456",
        ]),
    );
}

#[test]
fn region_code_pattern_agrees_with_its_parser() {
    agree(
        "region code",
        REGION_CODE_PATTERN,
        |s| RegionCode::parse(s).is_some(),
        &strings(&["330100", "440300", " 110000 ", "\t330100\n"]),
        &strings(&["", "33010", "3301000", "33010a", "33 0100", "３30100"]),
    );
}

#[test]
fn phone_pattern_agrees_with_its_parser() {
    agree(
        "phone",
        PHONE_PATTERN,
        |s| parse_phone(s).is_ok(),
        &strings(&[
            "13800138000",
            "+86 138-0013-8000",
            "12345",
            " 12345 ",
            "+8613800138000123456",
            "1 2 3",
        ]),
        &strings(&[
            "",
            "1234",
            "123456789012345678901",
            "   1   ",
            "  12 3  ",
            "138a0013800",
            "138.0013.8000",
            "１２３４５",
            "138\t0013800",
        ]),
    );
}

#[test]
fn nationality_pattern_agrees_with_its_parser() {
    agree(
        "nationality",
        NATIONALITY_PATTERN,
        |s| parse_nationality(s).is_ok(),
        &strings(&["CHN", "chn", " USA "]),
        &strings(&["", "CN", "CHNA", "C1N", "ÇHN", "C N"]),
    );
}

#[test]
fn ratio_pattern_agrees_with_its_parser() {
    agree(
        "ratio",
        RATIO_PATTERN,
        |s| parse_ratio_ppm(s).is_some(),
        &strings(&[
            "0.85", "85%", " 85 % ", "1", "0.", "100%", "0.123456", "12.5%",
        ]),
        &strings(&[
            "",
            ".5",
            "0.1234567",
            "85%%",
            "0,85",
            "1000",
            "-0.5",
            "85 percent",
        ]),
    );
}

#[test]
fn diagnosis_code_pattern_agrees_with_its_parser() {
    agree(
        "diagnosis code",
        DIAGNOSIS_CODE_PATTERN,
        |s| Diagnosis::parse(s, None).is_ok(),
        &strings(&["J18.9", "J18.900", "J18.900x001", "A0B", " J18 "]),
        &strings(&[
            "",
            "J18.",
            "j18.9",
            "J1",
            "J18.123456789",
            "J18.9-1",
            "JJ8.9",
        ]),
    );
}

#[test]
fn free_text_patterns_accept_only_what_the_name_parser_accepts() {
    use shebao_domain::person::PersonName;
    use shebao_domain::text::{TEXT_PATTERN, TRIMMED_TEXT_PATTERN};
    let parses = |input: &str| PersonName::parse(input).is_ok();
    let accepted = strings(&["王秀英", "Li Ming", "A", "O'Brien-Smith", "阿依古丽·买买提"]);
    // The empty text is `minLength`'s to refuse, not the pattern's.
    let refused = strings(&[" ", "\u{85}", "a\u{0}b", "a\tb", "Li\u{7f}", "\u{9f}x"]);
    agree(
        "trimmed text",
        TRIMMED_TEXT_PATTERN,
        parses,
        &accepted,
        &refused,
    );
    // Text with no control character: what the memo and diagnosis parsers keep.
    let schema = json!({ "type": "string", "pattern": TEXT_PATTERN });
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    for text in ["", " 补发 pension ", "a b"] {
        assert!(validator.is_valid(&json!(text)), "{text:?}");
    }
    for text in ["a\u{0}", "\u{1b}[31m", "line\nbreak", "\u{80}"] {
        assert!(!validator.is_valid(&json!(text)), "{text:?}");
    }
}
