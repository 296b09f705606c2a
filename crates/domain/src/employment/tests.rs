//! The job board's rules: a vacancy's fields and life, and the terms a search matches.

use super::*;

fn date(text: &str) -> Date {
    Date::parse_iso(text).unwrap()
}

fn draft<'a>() -> VacancyDraft<'a> {
    VacancyDraft {
        title: " 财务会计主管 ",
        occupation: "2-06-01-01",
        place: "330106",
        wage_min_fen: 800_000,
        wage_max_fen: 1_200_000,
        requirements: "会计从业三年以上, CPA preferred",
        openings: 2,
        closing: date("2027-01-31"),
    }
}

#[test]
fn a_vacancy_is_checked_field_by_field() {
    let terms = draft().check(date("2026-12-06")).unwrap();
    assert_eq!(terms.title, "财务会计主管");
    assert_eq!(terms.openings, 2);
    let refused = |change: fn(&mut VacancyDraft<'_>)| {
        let mut d = draft();
        change(&mut d);
        let error = d.check(date("2026-12-06")).unwrap_err();
        assert_eq!(error.code(), "invalid_vacancy");
        let EmploymentError::Invalid { field, .. } = error else {
            return "";
        };
        field
    };
    assert_eq!(refused(|d| d.title = "  "), "title");
    assert_eq!(refused(|d| d.title = "a\u{7}b"), "title");
    assert_eq!(refused(|d| d.occupation = "9-01"), "occupation");
    assert_eq!(refused(|d| d.occupation = "2"), "occupation");
    assert_eq!(refused(|d| d.occupation = "2-02-10-01-01"), "occupation");
    assert_eq!(refused(|d| d.place = "33010"), "place");
    assert_eq!(refused(|d| d.place = "33010x"), "place");
    assert_eq!(refused(|d| d.wage_min_fen = 0), "wage_min_fen");
    assert_eq!(
        refused(|d| d.wage_max_fen = WAGE_FEN_MAX + 1),
        "wage_min_fen"
    );
    assert_eq!(refused(|d| d.wage_min_fen = 1_300_000), "wage_max_fen");
    assert_eq!(refused(|d| d.requirements = ""), "requirements");
    assert_eq!(refused(|d| d.openings = 0), "openings");
    assert_eq!(refused(|d| d.openings = OPENINGS_MAX + 1), "openings");
    assert_eq!(refused(|d| d.closing = date("2026-12-05")), "closing");
    assert_eq!(refused(|d| d.closing = date("2027-12-08")), "closing");
    let mut today = draft();
    today.closing = date("2026-12-06");
    assert!(today.check(date("2026-12-06")).is_ok());
}

#[test]
fn occupation_codes_are_major_group_then_two_digit_groups() {
    for code in ["2-02", "2-02-10", "2-02-10-01", "8-00"] {
        assert!(is_occupation_code(code), "{code}");
    }
    for code in [
        "", "0-01", "9-01", "2", "2-2", "2-020", "2-02-", "2-0a", "22-02",
    ] {
        assert!(!is_occupation_code(code), "{code}");
    }
}

#[test]
fn a_vacancy_is_reviewed_once_and_closed_once() {
    use VacancyStatus::{Closed, Pending, Published, Rejected};
    assert_eq!(Pending.reviewed(true), Ok(Published));
    assert_eq!(Pending.reviewed(false), Ok(Rejected));
    for status in [Published, Rejected, Closed] {
        assert_eq!(status.reviewed(true).unwrap_err().code(), "wrong_state");
    }
    assert_eq!(Pending.closed(), Ok(Closed));
    assert_eq!(Published.closed(), Ok(Closed));
    assert!(Rejected.closed().is_err());
    assert!(Closed.closed().is_err());
    for status in VacancyStatus::ALL {
        assert_eq!(VacancyStatus::parse(status.as_str()), Some(status));
    }
}

#[test]
fn han_text_is_indexed_by_characters_and_pairs_and_words_by_themselves() {
    assert_eq!(
        index_terms("财务会计, CPA-Level2"),
        "财 务 会 计 财务 务会 会计 cpa level2"
    );
    assert_eq!(index_terms("司机A照"), "司 机 司机 a 照");
    assert_eq!(index_terms("  ,.; "), "");
}

#[test]
fn a_query_matches_pairs_of_han_characters_and_whole_words() {
    assert_eq!(query_terms("会计").unwrap(), ["会计"]);
    assert_eq!(query_terms("财务会计").unwrap(), ["会计", "务会", "财务"]);
    assert_eq!(query_terms("会").unwrap(), ["会"]);
    assert_eq!(query_terms("Java 开发").unwrap(), ["java", "开发"]);
    assert_eq!(query_terms("  ").unwrap(), Vec::<String>::new());
    // Every query term is an index term of a text containing the query.
    let indexed = index_terms("高级Java开发工程师");
    for term in query_terms("java开发工程").unwrap() {
        assert!(indexed.split(' ').any(|t| t == term), "{term}");
    }
    assert_eq!(
        query_terms(&"字".repeat(QUERY_CHARS_MAX + 1))
            .unwrap_err()
            .code(),
        "invalid_vacancy"
    );
    // 34 Han characters in a row: 33 pairs, past the 32 terms a query may have.
    let many: String = ('\u{4E00}'..='\u{4E21}').collect();
    assert_eq!(many.chars().count(), 34);
    assert_eq!(
        query_terms(&many).unwrap_err(),
        EmploymentError::Invalid {
            field: "q",
            reason: "at most 32 words"
        }
    );
    assert_eq!(query_terms(&many[..many.len() - 3]).unwrap().len(), 32);
}

#[test]
fn a_long_word_is_cut_to_its_first_64_characters_in_the_index_and_in_a_query() {
    let word = "x".repeat(TERM_CHARS_MAX + 10);
    assert_eq!(index_terms(&word), "x".repeat(TERM_CHARS_MAX));
    assert_eq!(query_terms(&word[..50]).unwrap(), ["x".repeat(50)]);
    let hangul = "가".repeat(100);
    assert_eq!(index_terms(&hangul).chars().count(), TERM_CHARS_MAX);
}

mod seeking {
    use super::super::seeking::*;
    use super::*;

    #[test]
    fn an_application_moves_from_applied_to_an_outcome_once() {
        use ApplicationStatus::{Applied, Hired, Interviewed, NotHired, Withdrawn};
        assert_eq!(Applied.recorded("interviewed"), Ok(Interviewed));
        assert_eq!(Applied.recorded("hired"), Ok(Hired));
        assert_eq!(Interviewed.recorded("not_hired"), Ok(NotHired));
        assert_eq!(
            Interviewed.recorded("interviewed").unwrap_err().code(),
            "wrong_state"
        );
        for done in [Hired, NotHired, Withdrawn] {
            assert!(done.recorded("hired").is_err(), "{done:?}");
            assert!(done.withdrawn().is_err(), "{done:?}");
            assert!(!done.is_open());
        }
        assert_eq!(Interviewed.withdrawn(), Ok(Withdrawn));
        assert_eq!(
            Applied.recorded("promoted").unwrap_err(),
            EmploymentError::Invalid {
                field: "outcome",
                reason: "interviewed, hired or not_hired"
            }
        );
        for status in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn only_a_published_vacancy_takes_applications_until_its_closing_day() {
        let closing = date("2026-12-31");
        assert!(takes_applications(VacancyStatus::Published, closing, closing).is_ok());
        let late = takes_applications(VacancyStatus::Published, closing, date("2027-01-01"));
        assert_eq!(late.unwrap_err().code(), "wrong_state");
        for status in [
            VacancyStatus::Pending,
            VacancyStatus::Rejected,
            VacancyStatus::Closed,
        ] {
            assert!(takes_applications(status, closing, date("2026-12-01")).is_err());
        }
        assert!(!filled(1, 2));
        assert!(filled(2, 2));
    }

    #[test]
    fn a_cover_note_and_a_profile_are_checked() {
        assert_eq!(
            cover_note("  可立即到岗\n谢谢 ").unwrap(),
            "可立即到岗\n谢谢"
        );
        assert_eq!(cover_note("").unwrap(), "");
        assert!(cover_note("a\u{7}").is_err());
        assert!(cover_note(&"字".repeat(COVER_NOTE_CHARS_MAX + 1)).is_err());
        let today = date("2026-12-06");
        let draft = ProfileDraft {
            skills: " 会计, Excel ",
            wanted_occupation: Some("2-06-01-01"),
            wanted_place: Some(" "),
            available_from: date("2026-12-01"),
        };
        let profile = draft.check(today).unwrap();
        assert_eq!(profile.skills, "会计, Excel");
        assert_eq!(profile.wanted_place, None, "a blank place is none");
        let field = |change: fn(&mut ProfileDraft<'_>)| {
            let mut d = draft.clone();
            change(&mut d);
            match d.check(today).unwrap_err() {
                EmploymentError::Invalid { field, .. } => field,
                EmploymentError::WrongState { .. } => "",
            }
        };
        assert_eq!(field(|d| d.skills = ""), "skills");
        assert_eq!(
            field(|d| d.wanted_occupation = Some("9")),
            "wanted_occupation"
        );
        assert_eq!(field(|d| d.wanted_place = Some("3301")), "wanted_place");
        assert_eq!(
            field(|d| d.available_from = date("2028-01-01")),
            "available_from"
        );
    }
}
