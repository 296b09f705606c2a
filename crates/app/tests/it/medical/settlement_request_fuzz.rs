//! The settlement request parser under hostile input: arbitrary bytes never panic the JSON
//! reader, and arbitrary near-valid bills (odd bill numbers, visits, codes, quantities and
//! prices up to the integer limits, any mix of identifications) are either priced with
//! parts that add up and none below zero, or refused with a stable code — never an
//! internal error — and a bill that prices also settles to the same split.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use super::*;
use crate::harness::{Backend, cases};

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Z0-9-]{1,12}",
        "\\PC{0,40}",
        Just("' OR 1=1; DROP TABLE settlements; --".to_owned()),
        Just("x".repeat(5_000)),
    ]
}

fn line() -> impl Strategy<Value = BillLineRequest> {
    (
        prop_oneof![
            Just("A001".to_owned()),
            Just("B001".to_owned()),
            Just("C001".to_owned()),
            text()
        ],
        prop_oneof![0u32..5, Just(u32::MAX), any::<u32>()],
        prop_oneof![
            1i64..2_000_000,
            Just(0),
            Just(-1),
            Just(i64::MAX),
            any::<i64>()
        ],
    )
        .prop_map(|(code, quantity, unit_price_fen)| BillLineRequest {
            code,
            quantity,
            unit_price_fen,
        })
}

/// Any identification: mostly the holder's card as read, else cards, tokens and ID numbers
/// made of arbitrary text.
fn identification(card: Identification) -> impl Strategy<Value = Identification> {
    prop_oneof![
        3 => Just(card),
        1 => (text(), text()).prop_map(|(card_number, identification_code)| {
            Identification::Card(PresentedCard { card_number, identification_code })
        }),
        1 => text().prop_map(Identification::ECardToken),
        1 => (text(), text()).prop_map(|(citizen_id, reason)| Identification::CitizenId { citizen_id, reason }),
        1 => text().prop_map(|reason| Identification::CitizenId { citizen_id: HOLDER_ID.into(), reason }),
    ]
}

fn bill_for(card: Identification) -> impl Strategy<Value = BillRequest> {
    (
        identification(card),
        text(),
        prop_oneof![
            Just("inpatient".to_owned()),
            Just("outpatient".to_owned()),
            Just("pharmacy".to_owned()),
            text()
        ],
        prop::collection::vec(line(), 0..6),
        any::<bool>(),
    )
        .prop_map(
            |(person, bill_number, visit, lines, use_account)| BillRequest {
                person,
                social_pin: None,
                bill_number,
                visit,
                lines,
                use_account,
                diagnosis: None,
                insurance_type: "310".into(),
            },
        )
}

#[test]
fn arbitrary_bytes_never_panic_the_bill_reader() {
    let mut runner = TestRunner::new(Config {
        cases: cases(2_000),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&prop::collection::vec(any::<u8>(), 0..400), |bytes| {
            let _ = serde_json::from_slice::<BillRequest>(&bytes);
            Ok(())
        })
        .unwrap();
}

#[test]
fn hostile_bills_are_priced_consistently_or_refused_with_a_code() {
    hostile_bills(Backend::Sqlite, cases(300));
}

#[test]
fn hostile_bills_are_priced_consistently_or_refused_with_a_code_on_postgres() {
    hostile_bills(Backend::Postgres, cases(60));
}

fn hostile_bills(backend: Backend, cases: u32) {
    let w = World::new(backend);
    let (hospital, _) = set_up(&w);
    let (_, card) = insured(&w, HOLDER_ID, 2_000_000);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&bill_for(card), |request| {
            match w.app.pre_settle(&hospital, request.clone()) {
                Ok(priced) => {
                    let request_presents_card = request.person.presents_card();
                    let parts = [
                        priced.fund_fen,
                        priced.supplementary_fen,
                        priced.account_fen,
                        priced.cash_fen,
                    ];
                    prop_assert!(parts.iter().all(|part| *part >= 0), "{priced:?}");
                    prop_assert_eq!(parts.iter().sum::<i64>(), priced.total_fen);
                    match w.app.settle(&hospital, &w.key(), request) {
                        Ok(settled) => {
                            prop_assert_eq!(settled.fund_fen, priced.fund_fen);
                            prop_assert_eq!(settled.total_fen, priced.total_fen);
                        }
                        // A typed ID number prices a bill but never settles it.
                        Err(error) => prop_assert!(
                            error.code() == "bill_already_settled"
                                || (error.code() == "card_required" && !request_presents_card),
                            "priced but not settled: {error:?}"
                        ),
                    }
                }
                Err(error) => {
                    prop_assert!(!matches!(error, AppError::Internal(_)), "{error:?}");
                }
            }
            Ok(())
        })
        .unwrap();
    ledger_is_balanced(&w);
}
