//! Issue 13, finding "the day is the region's day, not UTC's": every "today" is the local
//! date of the region concerned (the test regions run at UTC+8), checked a minute either side
//! of local midnight (23:59 / 00:01) and of UTC's midnight (07:59 / 08:01 local) on
//! 31 December / 1 January. And finding "cross-region bills use the treating region's
//! catalogue".

use shebao_app::insurance::PaymentRequest;
use shebao_app::insurance::declarations::{DeclarationRow, DeclarationRows};
use shebao_app::medical::{
    BillRequest, Identification, MedicalPolicy, NewCatalogueItem, PolicyRule, PresentedCard,
};
use shebao_app::money::PurchaseRequest;
use shebao_app::{Actor, AppError};
use shebao_domain::person::identity::check_character;
use shebao_domain::reference::region::RegionParameters;
use shebao_domain::time::{Date, Timestamp};

use crate::harness::{HOLDER_ID, SOCIAL_PIN, World, code};
use crate::requests::{credit_request, line, pin_in, temporary_card};

/// Puts the clock at `hour:minute` on `date` in the test regions' local time (UTC+8).
fn local(w: &World, date: &str, hour: i64, minute: i64) {
    let offset = RegionParameters::common().utc_offset();
    let day = Date::parse_iso(date).unwrap();
    w.clock
        .set(Timestamp::start_of_local(day, offset).add_seconds(hour * 3_600 + minute * 60));
}

/// A valid ID number born on 1 January 1985 with sequence `n`.
fn citizen(n: u32) -> String {
    let first17 = format!("33010619850101{n:03}");
    format!("{first17}{}", check_character(&first17).unwrap())
}

fn purchase_with_wrong_pin(w: &World, card: &str) -> String {
    let request = PurchaseRequest {
        amount_fen: 100,
        pin: "111000".into(),
        merchant: "shop-1".into(),
        memo: None,
    };
    code(
        w.app
            .purchase(&w.bank_system, &w.key(), card, request)
            .unwrap_err(),
    )
}

fn issue_13_the_financial_pin_count_is_per_day_of_the_cards_region(w: World) {
    let (_, card) = w.collected_card(HOLDER_ID);
    let credit = credit_request("pension", 10_000);
    w.app
        .credit_benefit(&w.clerk, &w.key(), &card.id, credit)
        .unwrap();
    w.activate_financial(&card.id, HOLDER_ID);
    local(&w, "2026-12-31", 23, 59);
    assert_eq!(purchase_with_wrong_pin(&w, &card.id), "pin_incorrect");
    assert_eq!(purchase_with_wrong_pin(&w, &card.id), "pin_incorrect");
    // 00:01 local is a new day in Hangzhou, though UTC is still on 31 December.
    local(&w, "2027-01-01", 0, 1);
    assert_eq!(purchase_with_wrong_pin(&w, &card.id), "pin_incorrect");
    // 07:59 and 08:01 local are the same local day though UTC's date turns between them: the
    // third wrong entry of 1 January locks.
    local(&w, "2027-01-01", 7, 59);
    assert_eq!(purchase_with_wrong_pin(&w, &card.id), "pin_incorrect");
    local(&w, "2027-01-01", 8, 1);
    assert_eq!(purchase_with_wrong_pin(&w, &card.id), "pin_locked");
}

fn check_social_pin(w: &World, card: &str) -> Result<bool, AppError> {
    let request = pin_in(SOCIAL_PIN, "330100");
    w.app
        .verify_social_pin(&w.clerk, &w.key(), card, request)
        .map(|view| view.verified)
}

fn issue_13_a_card_is_valid_through_its_last_day_in_its_regions_time(w: World) {
    let person = w.register(HOLDER_ID);
    // Issued at 00:30 local on 1 November (16:30 UTC on 31 October): 60 days from the local
    // day make 31 December its last day.
    local(&w, "2026-11-01", 0, 30);
    let request = temporary_card(&person.id);
    let temporary = w
        .app
        .issue_temporary_card(&w.clerk, &w.key(), request)
        .unwrap();
    assert_eq!(temporary.expires_on.as_deref(), Some("2026-12-31"));
    for (hour, minute) in [(7, 59), (8, 1), (23, 59)] {
        local(&w, "2026-12-31", hour, minute);
        assert!(
            check_social_pin(&w, &temporary.id).unwrap(),
            "{hour}:{minute}"
        );
    }
    // 00:01 local on 1 January (16:01 UTC on 31 December): expired.
    local(&w, "2027-01-01", 0, 1);
    assert_eq!(
        code(check_social_pin(&w, &temporary.id).unwrap_err()),
        "card_expired"
    );
    let view = w.app.card(&w.clerk, &temporary.id).unwrap();
    assert_eq!(view.usable, "card_expired");
}

fn issue_13_a_parameters_version_takes_effect_at_the_regions_midnight(w: World) {
    let add = |effective_from: &str, params: RegionParameters| {
        w.app.add_parameters(
            &w.admin,
            &w.key(),
            "330100",
            shebao_app::reference::NewParameters {
                effective_from: effective_from.into(),
                parameters: shebao_app::views::ParametersBody::from_domain(&params),
            },
        )
    };
    let beyond = RegionParameters {
        utc_offset_minutes: 841,
        ..RegionParameters::common()
    };
    assert_eq!(
        code(add("2027-01-01", beyond).unwrap_err()),
        "invalid_parameters"
    );
    let shorter = RegionParameters {
        temporary_card_validity_days: 10,
        ..RegionParameters::common()
    };
    add("2027-01-01", shorter).unwrap();
    let person = w.register(HOLDER_ID);
    let issue = |w: &World| {
        let request = temporary_card(&person.id);
        let card = w
            .app
            .issue_temporary_card(&w.clerk, &w.key(), request)
            .unwrap();
        w.app
            .return_temporary_card(&w.clerk, &w.key(), &card.id)
            .unwrap();
        card.expires_on.unwrap()
    };
    // 23:59 local on 31 December: the old version (60 days).
    local(&w, "2026-12-31", 23, 59);
    assert_eq!(issue(&w), "2027-03-01");
    // 00:01 local on 1 January (16:01 UTC on 31 December): the new one (10 days).
    local(&w, "2027-01-01", 0, 1);
    assert_eq!(issue(&w), "2027-01-11");
}

/// A Hangzhou employer with one worker enrolled from January 2026, by credit code.
fn employer_with_worker(w: &World, credit_code: &str, citizen_id: &str) -> String {
    let firm = w.employer(credit_code, "330100");
    let worker = w.register(citizen_id);
    w.enrol_employee(&worker.id, &firm, "2026-01");
    firm
}

/// Declares one row; a different `wage_fen` makes a different file (a file is imported once).
fn declare(w: &World, firm: &str, citizen_id: &str, month: &str, wage_fen: i64) -> i64 {
    let rows = DeclarationRows {
        rows: vec![DeclarationRow {
            citizen_id: citizen_id.into(),
            month: month.into(),
            wage_fen,
        }],
    };
    w.app
        .declare_rows(&w.clerk, firm, rows)
        .unwrap()
        .rows_rejected
}

fn issue_13_a_contribution_is_late_once_its_month_ended_in_the_employers_region(w: World) {
    let codes = [
        "91330100MA2B000018",
        "91330100MA2B00002B",
        "91330100MA2B00003E",
        "91330100MA2B00004H",
    ];
    let firms: Vec<(String, String)> = codes
        .iter()
        .zip(1..)
        .map(|(credit_code, n)| {
            let citizen_id = citizen(n);
            (
                employer_with_worker(&w, credit_code, &citizen_id),
                citizen_id,
            )
        })
        .collect();
    local(&w, "2026-12-15", 12, 0);
    for (firm, citizen_id) in &firms {
        assert_eq!(declare(&w, firm, citizen_id, "2026-12", 1_000_000), 0);
    }
    // January cannot be declared before it starts in Hangzhou, and can at 00:01 local.
    local(&w, "2026-12-31", 23, 59);
    assert_eq!(
        declare(&w, &firms[0].0, &firms[0].1, "2027-01", 1_000_000),
        1
    );
    local(&w, "2027-01-01", 0, 1);
    assert_eq!(
        declare(&w, &firms[0].0, &firms[0].1, "2027-01", 1_000_100),
        0
    );
    let pay = |firm: &str| {
        w.app
            .record_contribution_payment(
                &w.clerk,
                &w.key(),
                firm,
                PaymentRequest {
                    month: "2026-12".into(),
                },
            )
            .unwrap()
            .late
    };
    for (n, (date, hour, minute, late)) in [
        ("2026-12-31", 23, 59, false),
        ("2027-01-01", 0, 1, true),
        ("2027-01-01", 7, 59, true),
        ("2027-01-01", 8, 1, true),
    ]
    .into_iter()
    .enumerate()
    {
        local(&w, date, hour, minute);
        assert_eq!(pay(&firms[n].0), late, "{date} {hour}:{minute}");
    }
}

fn payout(w: &World, month: &str) -> Result<i64, AppError> {
    w.app
        .run_pension_payout(&w.clerk, &w.key(), crate::requests::payout(month))
        .map(|view| view.paid)
}

fn issue_13_pensions_are_paid_for_a_month_once_it_started_in_the_region(w: World) {
    local(&w, "2026-12-31", 23, 59);
    assert_eq!(code(payout(&w, "2027-01").unwrap_err()), "month_in_future");
    assert_eq!(payout(&w, "2026-12").unwrap(), 0);
    for (hour, minute) in [(0, 1), (7, 59), (8, 1)] {
        local(&w, "2027-01-01", hour, minute);
        assert_eq!(payout(&w, "2027-01").unwrap(), 0, "{hour}:{minute}");
    }
    // The interest of 2026 is credited once 2026 ended in Hangzhou.
    local(&w, "2026-12-31", 23, 59);
    let interest = |w: &World| {
        w.app.credit_pension_interest(
            &w.clerk,
            &w.key(),
            shebao_app::insurance::pensions::InterestRequest {
                region: "330100".into(),
                year: 2026,
            },
        )
    };
    assert_eq!(code(interest(&w).unwrap_err()), "year_not_over");
    local(&w, "2027-01-01", 0, 1);
    assert_eq!(interest(&w).unwrap().credited_fen, 0);
}

/// A Hangzhou hospital and a Shenzhen pharmacy; `A001` class A in both catalogues, `X001`
/// class A in Hangzhou's and self-paid in Shenzhen's; Hangzhou's policy (deductible 1,300
/// yuan, 85%) for 2026 and 2027. Returns the two cashiers.
fn medical_set_up(w: &World) -> (Actor, Actor) {
    crate::medical::institutions(w);
    for (region, code, class) in [
        ("330100", "A001", "a"),
        ("440300", "A001", "a"),
        ("330100", "X001", "a"),
        ("440300", "X001", "self_paid"),
    ] {
        let item = NewCatalogueItem {
            code: code.into(),
            name: code.into(),
            class: class.into(),
            first_share_ppm: None,
            limit_price_fen: None,
            effective_from: "2026-01-01".into(),
        };
        w.app
            .add_catalogue_item(&w.admin, &w.key(), region, item)
            .unwrap();
    }
    for year in [2026, 2027] {
        let policy = MedicalPolicy {
            annual_cap_fen: 30_000_000,
            rules: vec![PolicyRule {
                insurance_type: None,
                level: None,
                visit: None,
                status: None,
                deductible_fen: 130_000,
                pool_ratio_ppm: 850_000,
            }],
            social_pin_required: false,
            supplementary: None,
        };
        w.set_medical_policy("330100", year, policy);
    }
    (
        crate::medical::cashier(w, "hz-cashier", "hz-hospital"),
        crate::medical::cashier(w, "sz-cashier", "sz-pharmacy"),
    )
}

/// A person insured in Hangzhou (employee from January 2026) with a collected card, as a
/// till reads it.
fn insured_in_hangzhou(w: &World) -> Identification {
    let (person, card) = w.collected_card(HOLDER_ID);
    let employer = w.employer_named("91350100M000100Y43", "E", "330100");
    w.enrol_employee(&person.id, &employer, "2026-01");
    Identification::Card(PresentedCard {
        card_number: card.card_number,
        identification_code: card.identification_code,
    })
}

/// One line of 2,000 yuan, paid without the personal account.
fn bill(card: &Identification, number: &str, visit: &str, item: &str) -> BillRequest {
    BillRequest {
        person: card.clone(),
        social_pin: None,
        bill_number: number.into(),
        visit: visit.into(),
        lines: vec![line(item, 1, 200_000)],
        use_account: false,
        diagnosis: None,
        insurance_type: "310".into(),
    }
}

fn issue_13_the_medical_year_and_the_settlement_day_are_local(w: World) {
    let (hospital, _) = medical_set_up(&w);
    let card = insured_in_hangzhou(&w);
    let mut deductibles = Vec::new();
    for (number, date, hour, minute) in [
        ("M-1", "2026-12-31", 23, 59),
        ("M-2", "2027-01-01", 0, 1),
        ("M-3", "2027-01-01", 7, 59),
        ("M-4", "2027-01-01", 8, 1),
    ] {
        local(&w, date, hour, minute);
        let settled = w
            .app
            .settle(
                &hospital,
                &w.key(),
                bill(&card, number, "inpatient", "A001"),
            )
            .unwrap();
        deductibles.push(settled.deductible_fen);
    }
    // The deductible is met once in 2026 (M-1) and once in 2027 (M-2, at 00:01 local on
    // 1 January, still 31 December in UTC); M-3 and M-4 count against 2027's.
    assert_eq!(deductibles, [130_000, 130_000, 0, 0]);
    // The settlements are dated by the hospital's day.
    let day = |date: &str| {
        w.app
            .reconciliation(&hospital, "hz-hospital", date)
            .unwrap()
            .settled
    };
    assert_eq!((day("2026-12-31"), day("2027-01-01")), (1, 3));
}

fn issue_13_a_bill_treated_elsewhere_is_classed_by_the_treating_regions_catalogue(w: World) {
    let (hospital, pharmacy) = medical_set_up(&w);
    let card = insured_in_hangzhou(&w);
    // Treated in Shenzhen: X001 is self-paid there, whatever Hangzhou's catalogue says...
    let elsewhere = w
        .app
        .settle(&pharmacy, &w.key(), bill(&card, "S-1", "pharmacy", "X001"))
        .unwrap();
    assert_eq!(
        (
            elsewhere.insured_region.as_str(),
            elsewhere.treated_region.as_str(),
            elsewhere.self_paid_fen,
            elsewhere.in_scope_fen,
            elsewhere.fund_fen
        ),
        ("330100", "440300", 200_000, 0, 0)
    );
    // ...and A001, in scope there, is paid by Hangzhou's policy (deductible 1,300 yuan, 85%).
    let in_scope = w
        .app
        .settle(&pharmacy, &w.key(), bill(&card, "S-2", "pharmacy", "A001"))
        .unwrap();
    assert_eq!(
        (
            in_scope.in_scope_fen,
            in_scope.deductible_fen,
            in_scope.fund_fen
        ),
        (200_000, 130_000, 59_500)
    );
    // At home, X001 is class A.
    let at_home = w
        .app
        .pre_settle(&hospital, bill(&card, "H-1", "inpatient", "X001"))
        .unwrap();
    assert_eq!((at_home.self_paid_fen, at_home.in_scope_fen), (0, 200_000));
}

crate::on_both_backends!(
    issue_13_the_financial_pin_count_is_per_day_of_the_cards_region,
    issue_13_a_card_is_valid_through_its_last_day_in_its_regions_time,
    issue_13_a_parameters_version_takes_effect_at_the_regions_midnight,
    issue_13_a_contribution_is_late_once_its_month_ended_in_the_employers_region,
    issue_13_pensions_are_paid_for_a_month_once_it_started_in_the_region,
    issue_13_the_medical_year_and_the_settlement_day_are_local,
    issue_13_a_bill_treated_elsewhere_is_classed_by_the_treating_regions_catalogue,
);
