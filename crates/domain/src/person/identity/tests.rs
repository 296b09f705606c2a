//! Identity numbers: citizen IDs, masking, Luhn, card numbers and credit codes, valid and refused.

use super::*;
use crate::person::tests::assert_masked;

fn today() -> Date {
    Date::new(2025, 6, 1).unwrap()
}

fn d(y: i32, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

/// Parses a citizen ID on `today()`.
fn citizen(s: &str) -> Result<CitizenId, IdentityError> {
    CitizenId::parse(s, today())
}

fn id(s: &str) -> CitizenId {
    citizen(s).unwrap()
}

/// Asserts that `parse` refuses each input with the error beside it.
fn assert_refused<T: fmt::Debug + PartialEq>(
    parse: impl Fn(&str) -> Result<T, IdentityError>,
    refused: &[(&str, IdentityError)],
) {
    for (input, error) in refused {
        assert_eq!(parse(input), Err(*error), "{input}");
    }
}

#[test]
fn valid_citizen_ids_from_spec() {
    let cases = [
        ("11010519491231002X", Gender::Female, d(1949, 12, 31)),
        ("440524188001010014", Gender::Male, d(1880, 1, 1)),
        ("330106199003071236", Gender::Male, d(1990, 3, 7)),
        ("310104198506153523", Gender::Female, d(1985, 6, 15)),
        ("110101200001010010", Gender::Male, d(2000, 1, 1)),
        ("110101200002290026", Gender::Female, d(2000, 2, 29)),
        ("51010420191231999X", Gender::Male, d(2019, 12, 31)),
    ];
    for (number, gender, birth) in cases {
        let c = id(number);
        assert_eq!(c.as_str(), number);
        assert_eq!(c.gender(), gender, "{number}");
        assert_eq!(c.birth_date(), birth, "{number}");
    }
}

#[test]
fn foreigner_and_residence_permits_are_valid() {
    let pr = id("932682198501010017");
    assert_eq!(pr.birth_date(), d(1985, 1, 1));
    assert_eq!(pr.gender(), Gender::Male);
    let hk = id("810000199408230021");
    assert_eq!(hk.birth_date(), d(1994, 8, 23));
    assert_eq!(hk.gender(), Gender::Female);
    let tw = id("830000199201300022");
    assert_eq!(tw.birth_date(), d(1992, 1, 30));
    assert_eq!(tw.gender(), Gender::Female);
}

#[test]
fn retired_address_code_is_accepted() {
    // 440524 is no longer in the division list; only the province prefix is checked.
    assert_eq!(id("440524188001010014").address_code(), "440524");
}

#[test]
fn invalid_citizen_ids_are_refused_with_their_error() {
    assert_refused(
        citizen,
        &[
            (
                "110105194912310021",
                IdentityError::CheckCharacter { expected: 'X' },
            ),
            ("11010519491331002X", IdentityError::BirthDate),
            ("440305200102290640", IdentityError::BirthDate),
            ("11010519491231002", IdentityError::Length),
            ("11010519491231002X1", IdentityError::Length),
            ("1101A5194912310021", IdentityError::Character),
            ("110105203012310025", IdentityError::FutureBirthDate),
            // Beyond the spec's vectors: empty, an inner space, a multi-byte character among
            // 18, a check character other than X, a letter first.
            ("", IdentityError::Length),
            ("110105 19491231002X", IdentityError::Length),
            ("11010519491231002é", IdentityError::Character),
            ("11010519491231002Y", IdentityError::Character),
            ("X10105194912310021", IdentityError::Character),
            // Day 00 and 1900-02-29 are not dates.
            ("110105194912000021", IdentityError::BirthDate),
            ("110105190002290021", IdentityError::BirthDate),
            // 15-digit numbers.
            ("11010549123100A", IdentityError::Character),
            ("110105491331002", IdentityError::BirthDate),
            ("100105491231002", IdentityError::Province),
        ],
    );
}

#[test]
fn lower_case_x_normalises() {
    let c = id("11010519491231002x");
    assert_eq!(c.as_str(), "11010519491231002X");
    assert_eq!(c, id("11010519491231002X"));
}

#[test]
fn surrounding_whitespace_is_trimmed() {
    assert_eq!(
        id("  11010519491231002X\t\n").as_str(),
        "11010519491231002X"
    );
}

#[test]
fn more_citizen_rejections() {
    // Unknown province prefixes: 10, 24, 00, 72, 84.
    for prefix in ["10", "24", "00", "72", "84"] {
        let body = format!("{prefix}010519491231002");
        let number = format!("{body}{}", check_character(&body).unwrap());
        assert_eq!(citizen(&number), Err(IdentityError::Province), "{number}");
    }
    // Born today is fine; tomorrow is in the future.
    let body = "11010120250601001";
    let number = format!("{body}{}", check_character(body).unwrap());
    assert!(citizen(&number).is_ok());
    let body = "11010120250602001";
    let number = format!("{body}{}", check_character(body).unwrap());
    assert_eq!(citizen(&number), Err(IdentityError::FutureBirthDate));
}

#[test]
fn legacy_15_digit_conversion() {
    let cases = [
        ("110105491231002", "11010519491231002X"),
        ("130503670401001", "130503196704010016"),
        ("150102880730303", "150102198807303035"),
        ("440524800101001", "440524198001010013"),
    ];
    for (old, new) in cases {
        assert_eq!(id(old).as_str(), new, "{old}");
    }
}

#[test]
fn legacy_15_digit_rejections() {
    for seq in ["996", "997", "998", "999"] {
        assert_eq!(
            citizen(&format!("110105491231{seq}")),
            Err(IdentityError::CentenarianSequence)
        );
    }
    assert!(citizen("110105491231995").is_ok());
}

#[test]
fn citizen_accessors_and_masking() {
    let c = id("11010519491231002X");
    assert_eq!(c.address_code(), "110105");
    assert_eq!(c.last_six(), "31002X");
    assert_masked(
        &c,
        "CitizenId",
        &c.masked(),
        "11****************",
        c.as_str(),
    );
    assert!(!format!("{c:?}").contains("19491231"));
}

#[test]
fn masking_leaves_no_character_of_positions_3_to_18() {
    // Issue 13, finding 3: the old mask (first 4, last 4) left 9 candidates.
    for number in [
        "11010519491231002X",
        "440524188001010014",
        "932682198501010017",
    ] {
        let masked = id(number).masked();
        assert_eq!(masked.len(), 18);
        assert_eq!(masked.get(..2), number.get(..2));
        assert!(
            masked.get(2..).unwrap().bytes().all(|b| b == b'*'),
            "{masked}"
        );
    }
}

#[test]
fn raw_input_is_masked_like_a_valid_number_or_not_shown_at_all() {
    for (input, masked) in [
        ("110101200001010010", "11****************"),
        ("11010120000101001099", "11******************"),
        ("11010119491231002", "*****************"),
        ("110105491231002", "***************"),
        ("", ""),
        ("\"1,010120000101001", "*1****************"),
        ("张三0101200001010010", "******************"),
    ] {
        assert_eq!(mask_citizen_input(input), masked, "{input}");
    }
}

#[test]
fn a_masked_birth_date_shows_the_decade() {
    let p = |s: &str| Date::parse_iso(s).unwrap();
    let today = p("2026-03-01");
    assert_eq!(masked_birth_date(p("1985-06-15"), today), "198*-**-**");
    assert_eq!(masked_birth_date(p("2000-01-01"), today), "200*-**-**");
    assert_eq!(masked_birth_date(p("1880-01-01"), today), "188*-**-**");
    // 2,252 dates of the 2020s have passed by 2026-03-01: the decade is enough.
    assert_eq!(masked_birth_date(p("2024-05-01"), today), "202*-**-**");
    // In 2031 the 2030s hold fewer than 2,000 dates so far: the century instead.
    let later = p("2031-06-01");
    assert_eq!(masked_birth_date(p("2030-02-01"), later), "20**-**-**");
    assert_eq!(masked_birth_date(p("2024-05-01"), later), "202*-**-**");
}

#[test]
fn text_stored_with_the_old_mask_is_masked_again() {
    assert_eq!(
        remask_legacy("{\"citizen_id\":\"1101**********002X\",\"b\":\"3301**********1236\"}")
            .as_deref(),
        Some("{\"citizen_id\":\"11****************\",\"b\":\"33****************\"}")
    );
    assert_eq!(
        remask_legacy("{\"citizen_id\":\"11****************\"}"),
        None
    );
    assert_eq!(
        remask_legacy("张1101**********002X"),
        Some("张11****************".into())
    );
    assert_eq!(remask_legacy("1101*********002X"), None);
}

#[test]
fn id_numbers_in_free_text_are_masked() {
    // Review of issue 13: a reason typed by a clerk, a cashier or a teller goes into the
    // audit trail, which must never hold an ID number in clear.
    let masked = [
        (
            "holder 110101200001010010 asked",
            "holder 11**************** asked",
        ),
        // At the edges, with an upper- or lower-case check character.
        ("11010519491231002X", "11****************"),
        ("11010519491231002x.", "11****************."),
        ("see 11010519491231002X", "see 11****************"),
        // Several, in Chinese text, and a 15-digit number (shown not at all).
        (
            "本人身份证110101200001010010，配偶110105491231002核对",
            "本人身份证11****************，配偶***************核对",
        ),
        // Full-width digits are digits too.
        (
            "证号１１０１０１２０００８１０１００１０",
            "证号******************",
        ),
        // A 17-digit run (a number missing a character) shows nothing.
        ("a 11010119491231002 b", "a ***************** b"),
        // Bank card numbers: the first 6 and last 4 digits.
        ("卡6230661635021663331退款", "卡623066*********3331退款"),
        ("card 4111111111111111", "card 411111******1111"),
        // A longer run may hold either: only its first two characters.
        ("1101012000010100101234", "11********************"),
    ];
    for (text, expected) in masked {
        assert_eq!(mask_id_numbers_in(text), expected, "{text}");
    }
    // Shorter runs, letters beside them and text without digits are left alone.
    let untouched = [
        "amount 12345678901234 fen on 2026-03-01, phone 13800138000",
        "transfer trf-00001234, 柜台 7 号",
        "",
        "no digits here",
    ];
    for text in untouched {
        assert_eq!(mask_id_numbers_in(text), text);
    }
}

#[test]
fn check_character_function() {
    assert_eq!(check_character("11010519491231002"), Some('X'));
    assert_eq!(check_character("44052418800101001"), Some('4'));
    assert_eq!(check_character("1101051949123100"), None);
    assert_eq!(check_character("110105194912310021"), None);
    assert_eq!(check_character("1101A519491231002"), None);
}

#[test]
fn province_prefixes() {
    for p in ["11", "46", "65", "71", "81", "82", "83", "90", "93", "99"] {
        assert!(is_known_province(p), "{p}");
    }
    for p in [
        "10", "16", "20", "47", "66", "70", "84", "00", "1", "110", "9", "9a", "",
    ] {
        assert!(!is_known_province(p), "{p}");
    }
}

#[test]
fn gender_strings() {
    assert_eq!(Gender::Male.as_str(), "male");
    assert_eq!(Gender::Female.as_str(), "female");
    assert_eq!(Gender::parse("male"), Some(Gender::Male));
    assert_eq!(Gender::parse("female"), Some(Gender::Female));
    assert_eq!(Gender::parse("Male"), None);
    assert_eq!(Gender::parse("m"), None);
}

#[test]
fn luhn_vectors() {
    for v in ["6230661635021663331", "79927398713", "4111111111111111"] {
        assert!(luhn_valid(v), "{v}");
    }
    for v in [
        "6222021001122334455",
        "6230661635021663332",
        "",
        "0",
        "4111 1111",
        "41a1",
    ] {
        assert!(!luhn_valid(v), "{v}");
    }
    assert_eq!(luhn_check_digit("621700000000000000"), Some('4'));
    assert_eq!(luhn_check_digit("7992739871"), Some('3'));
    assert_eq!(luhn_check_digit("623066163502166333"), Some('1'));
    assert_eq!(luhn_check_digit(""), None);
    assert_eq!(luhn_check_digit("12a"), None);
}

#[test]
fn bank_card_numbers() {
    let c = BankCardNumber::parse("6230 6616 3502 1663 331").unwrap();
    assert_eq!(c.as_str(), "6230661635021663331");
    assert_masked(
        &c,
        "BankCardNumber",
        &c.masked(),
        "623066*********3331",
        c.as_str(),
    );
    assert_eq!(
        BankCardNumber::parse("4111111111111111").unwrap().masked(),
        "411111******1111"
    );
    assert_refused(
        BankCardNumber::parse,
        &[
            ("6222021001122334455", IdentityError::Luhn),
            ("6230661635021663332", IdentityError::Luhn),
            // Luhn-valid but too short for a bank card.
            ("79927398713", IdentityError::Length),
            ("62306616350216633310", IdentityError::Length),
            ("6230-6616-3502-1663-331", IdentityError::Character),
        ],
    );
    let built = BankCardNumber::with_check_digit("621700000000000000").unwrap();
    assert_eq!(built.as_str(), "6217000000000000004");
    assert_eq!(built.masked(), "621700*********0004");
    assert!(BankCardNumber::with_check_digit("1234567890").is_none());
    assert!(BankCardNumber::with_check_digit("6217 0000").is_none());
}

#[test]
fn card_identification_codes() {
    let c = CardIdentificationCode::parse("411600D156000005C38275EEFC9B9648").unwrap();
    assert_eq!(c.as_str(), "411600D156000005C38275EEFC9B9648");
    assert_eq!(c.issuing_area(), "411600");
    assert_refused(
        CardIdentificationCode::parse,
        &[
            ("411600D156000006C38275EEFC9B9648", IdentityError::Format),
            ("411600D156000005C38275EEFC9B964", IdentityError::Length),
            ("411600D156000005c38275EEFC9B9648", IdentityError::Character),
            ("41160AD156000005C38275EEFC9B9648", IdentityError::Character),
            ("411600D156000005G38275EEFC9B9648", IdentityError::Character),
        ],
    );
    let built = CardIdentificationCode::compose("411600", 0xC382_75EE_FC9B_9648).unwrap();
    assert_eq!(built, c);
    assert_eq!(
        CardIdentificationCode::compose("110000", 1)
            .unwrap()
            .as_str(),
        "110000D1560000050000000000000001"
    );
    assert!(CardIdentificationCode::compose("41160", 1).is_none());
    assert!(CardIdentificationCode::compose("41160A", 1).is_none());
}

#[test]
fn card_numbers() {
    let c = CardNumber::parse(" X00000019 ").unwrap();
    assert_eq!(c.as_str(), "X00000019");
    assert_refused(
        CardNumber::parse,
        &[
            ("x00000019", IdentityError::Character),
            ("100000019", IdentityError::Character),
            ("X0000001A", IdentityError::Character),
        ],
    );
    assert_eq!(CardNumber::parse("X0000019"), Err(IdentityError::Length));
    assert_eq!(CardNumber::parse("X000000190"), Err(IdentityError::Length));
    assert_eq!(CardNumber::compose('X', 19).unwrap(), c);
    assert_eq!(
        CardNumber::compose('A', 99_999_999).unwrap().as_str(),
        "A99999999"
    );
    assert!(CardNumber::compose('A', 100_000_000).is_none());
    assert!(CardNumber::compose('a', 1).is_none());
    assert!(CardNumber::compose('Ж', 1).is_none());
}

#[test]
fn social_credit_codes() {
    for v in [
        "91350100M000100Y43",
        "91440300708461136T",
        "91110000802100433B",
    ] {
        assert_eq!(SocialCreditCode::parse(v).unwrap().as_str(), v);
    }
    assert_eq!(
        SocialCreditCode::parse(" 91350100m000100y43 ")
            .unwrap()
            .as_str(),
        "91350100M000100Y43"
    );
    assert_refused(
        SocialCreditCode::parse,
        &[
            (
                "91350100M000100Y44",
                IdentityError::CheckCharacter { expected: '3' },
            ),
            ("91350100M0001O0Y43", IdentityError::Character),
            ("91350100M000100Y4", IdentityError::Length),
        ],
    );
    for bad in ['I', 'O', 'S', 'V', 'Z'] {
        let v = format!("91350100M000100Y4{bad}");
        assert_eq!(
            SocialCreditCode::parse(&v),
            Err(IdentityError::Character),
            "{v}"
        );
    }
}

#[test]
fn error_codes_and_messages() {
    let all = [
        (IdentityError::Length, "invalid_length"),
        (IdentityError::Character, "invalid_character"),
        (
            IdentityError::CheckCharacter { expected: 'X' },
            "check_character_mismatch",
        ),
        (IdentityError::BirthDate, "invalid_birth_date"),
        (IdentityError::FutureBirthDate, "birth_date_in_future"),
        (IdentityError::Province, "unknown_province"),
        (IdentityError::CentenarianSequence, "manual_review_required"),
        (IdentityError::Luhn, "luhn_check_failed"),
        (IdentityError::Format, "invalid_format"),
    ];
    for (e, code) in all {
        assert_eq!(e.code(), code);
        let msg = e.to_string();
        assert!(msg.ends_with('.'), "{msg}");
        assert!(msg.starts_with(|c: char| c.is_ascii_uppercase()), "{msg}");
    }
    assert!(
        IdentityError::CheckCharacter { expected: 'X' }
            .to_string()
            .contains("expected X")
    );
    let boxed: Box<dyn std::error::Error> = Box::new(IdentityError::Luhn);
    assert_eq!(boxed.to_string(), IdentityError::Luhn.to_string());
}
