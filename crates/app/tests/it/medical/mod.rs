//! Real-time medical settlement through the use cases, on both stores.

use shebao_app::access::auth::NewUser;
use shebao_app::medical::PresentedCard;
use shebao_app::medical::{
    BillLineRequest, BillRequest, Identification, MedicalPolicy, NewCatalogueItem, NewInstitution,
    PolicyRule, ReconciliationFile, SupplementaryFund, UndoRequest,
};
use shebao_app::views::CardView;
use shebao_app::{Actor, AppError};
use shebao_domain::audit::AuditRecord;
use shebao_domain::ids::{PersonId, TransferId};
use shebao_domain::money::ledger::{TransferCode, personal_account};
use shebao_store::{StoreError, TransferRecord};
use std::collections::HashSet;

use crate::harness::{HOLDER_ID, OTHER_ID, START, World, code, staff};
use crate::requests::{line, loss, pin};

pub(crate) fn cashier(w: &World, name: &str, institution: &str) -> Actor {
    let user = NewUser {
        institution_id: Some(institution.into()),
        ..staff(name, "cashier")
    };
    w.app.create_user(&w.admin, &w.key(), user).unwrap();
    w.app.actor_for_username(name).unwrap()
}

fn rule(
    visit: Option<&str>,
    status: Option<&str>,
    deductible_yuan: i64,
    ratio_ppm: u32,
) -> PolicyRule {
    PolicyRule {
        insurance_type: None,
        level: None,
        visit: visit.map(Into::into),
        status: status.map(Into::into),
        deductible_fen: deductible_yuan * 100,
        pool_ratio_ppm: ratio_ppm,
    }
}

/// A level-3 hospital in Hangzhou (`hz-hospital`) and a pharmacy in Shenzhen (`sz-pharmacy`).
pub(crate) fn institutions(w: &World) {
    for (id, region, kind, level) in [
        ("hz-hospital", "330100", "hospital", 3),
        ("sz-pharmacy", "440300", "pharmacy", 0),
    ] {
        let request = NewInstitution {
            id: id.into(),
            name: id.into(),
            region: region.into(),
            kind: kind.into(),
            level,
        };
        w.app
            .register_institution(&w.clerk, &w.key(), request)
            .unwrap();
    }
}

/// Two institutions (a level-3 hospital in Hangzhou, a pharmacy in Shenzhen), the catalogue
/// and each region's policy for 2026; returns the two cashiers.
pub(crate) fn set_up(w: &World) -> (Actor, Actor) {
    institutions(w);
    for (code, class, share) in [
        ("A001", "a", None),
        ("B001", "b", Some(100_000)),
        ("C001", "self_paid", None),
    ] {
        let item = NewCatalogueItem {
            code: code.into(),
            name: code.into(),
            class: class.into(),
            first_share_ppm: share,
            limit_price_fen: None,
            effective_from: "2026-01-01".into(),
        };
        // federation.md: a bill is classed by the treating region's catalogue, so both
        // regions list the items the same way here.
        for region in ["330100", "440300"] {
            w.app
                .add_catalogue_item(&w.admin, &w.key(), region, item.clone())
                .unwrap();
        }
    }
    let hangzhou = MedicalPolicy {
        annual_cap_fen: 30_000_000,
        rules: vec![
            rule(None, None, 1_300, 850_000),
            rule(None, Some("retired"), 1_300, 900_000),
        ],
        social_pin_required: false,
        supplementary: Some(SupplementaryFund {
            name: "大额医疗互助 large-amount mutual aid".into(),
            ratio_ppm: 900_000,
            annual_cap_fen: 40_000_000,
        }),
    };
    w.set_medical_policy("330100", 2026, hangzhou);
    let shenzhen = MedicalPolicy {
        annual_cap_fen: 1_000,
        rules: vec![rule(None, None, 0, 500_000)],
        social_pin_required: true,
        supplementary: None,
    };
    w.set_medical_policy("440300", 2026, shenzhen);
    (
        cashier(w, "hz-cashier", "hz-hospital"),
        cashier(w, "sz-cashier", "sz-pharmacy"),
    )
}

/// The card as a till reads it: its printed number and its chip's identification code.
fn presented(card: &CardView) -> Identification {
    Identification::Card(PresentedCard {
        card_number: card.card_number.clone(),
        identification_code: card.identification_code.clone(),
    })
}

/// A person insured in Hangzhou with a collected card (as the till reads it) and `balance`
/// fen in the personal medical account.
fn insured(w: &World, citizen_id: &str, balance: i64) -> (String, Identification) {
    let (person, card) = insured_in(w, citizen_id, balance, "330100");
    (person, presented(&card))
}

/// A person insured in `region` with a collected card and `balance` fen in the personal
/// medical account (credited as a test arrangement straight through the ledger).
fn insured_in(w: &World, citizen_id: &str, balance: i64, region: &str) -> (String, CardView) {
    let (person, card) = w.collected_card(citizen_id);
    let employer = w.employer_named(&credit_code(citizen_id), "E", region);
    w.enrol_employee(&person.id, &employer, "2026-01");
    let account = personal_account("medical", &person.id);
    let transfer = TransferRecord {
        id: TransferId::new(format!("trf_seed_{}", person.id)),
        code: TransferCode::Contribution,
        debit_account: "sys:payer:test:00".into(),
        credit_account: account.clone(),
        amount_fen: balance,
        reverses: None,
        memo: "seed".into(),
        actor: "test".into(),
        created_at: START,
    };
    w.app
        .store()
        .write(move |tx| {
            tx.ensure_ledger_account("sys:payer:test:00", true, START)?;
            tx.ensure_ledger_account(&account, false, START)?;
            if transfer.amount_fen > 0 {
                tx.post_transfer(&transfer)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    (person.id, card)
}

fn credit_code(citizen_id: &str) -> String {
    if citizen_id == HOLDER_ID {
        "91350100M000100Y43".into()
    } else {
        "91440300708461136T".into()
    }
}

/// One box of pills (item A001, 50 yuan) for `person` at a `visit`, paid from the account.
fn pills(person: Identification, pin: Option<&str>, number: &str, visit: &str) -> BillRequest {
    BillRequest {
        person,
        social_pin: pin.map(Into::into),
        bill_number: number.into(),
        visit: visit.into(),
        lines: vec![line("A001", 1, 5_000)],
        use_account: true,
        diagnosis: None,
        insurance_type: "310".into(),
    }
}

/// 20,000 yuan: 2,000 self-paid, 5,000 class B (10% first share), 13,000 class A.
fn bill(card: &Identification, number: &str) -> BillRequest {
    BillRequest {
        person: card.clone(),
        social_pin: None,
        bill_number: number.into(),
        visit: "inpatient".into(),
        lines: vec![
            line("C001", 1, 200_000),
            line("B001", 1, 500_000),
            line("A001", 2, 650_000),
        ],
        use_account: true,
        diagnosis: None,
        insurance_type: "310".into(),
    }
}

fn split_yuan(s: &shebao_app::medical::SettlementView) -> [i64; 7] {
    [
        s.class_b_first_share_fen,
        s.in_scope_fen,
        s.deductible_fen,
        s.fund_fen,
        s.total_fen - s.fund_fen,
        s.account_fen,
        s.cash_fen,
    ]
    .map(|v| v / 100)
}

fn balance(w: &World, person: &str) -> i64 {
    let account = personal_account("medical", person);
    w.app
        .store()
        .read(move |tx| tx.ledger_balance(&account))
        .unwrap()
        .map_or(0, |b| b.balance_fen)
}

fn ledger_is_balanced(w: &World) {
    w.assert_ledger_balanced("at the end");
}

fn a_bill_splits_as_the_vectors_and_undo_restores_everything(w: World) {
    let (hospital, _) = set_up(&w);
    let (person, card) = insured(&w, HOLDER_ID, 150_000);
    let preview = w.app.pre_settle(&hospital, bill(&card, "B-1")).unwrap();
    assert_eq!(
        (preview.status.as_str(), split_yuan(&preview)),
        ("preview", [500, 17_500, 1_300, 13_770, 6_230, 1_500, 4_730])
    );
    assert_eq!(
        balance(&w, &person),
        150_000,
        "a pre-settlement moves nothing"
    );
    let settled = w
        .app
        .settle(&hospital, &w.key(), bill(&card, "B-1"))
        .unwrap();
    assert_eq!(split_yuan(&settled), split_yuan(&preview));
    assert_eq!(balance(&w, &person), 0);
    let insured_view = w
        .app
        .query_insured(
            &hospital,
            Identification::CitizenId {
                citizen_id: HOLDER_ID.into(),
                reason: "the chip does not answer".into(),
            },
        )
        .unwrap();
    assert_eq!(
        (
            insured_view.deductible_used_fen,
            insured_view.fund_used_fen,
            insured_view.status.as_str()
        ),
        (130_000, 1_377_000, "working")
    );
    let twice = w.app.settle(&hospital, &w.key(), bill(&card, "B-1"));
    assert_eq!(code(twice.unwrap_err()), "bill_already_settled");
    let undone = w
        .app
        .undo_settlement(&hospital, &w.key(), "B-1", crate::requests::undo_reason())
        .unwrap();
    assert_eq!(undone.status, "undone");
    assert_eq!(balance(&w, &person), 150_000);
    let after = w.app.query_insured(&hospital, card.clone()).unwrap();
    assert_eq!((after.deductible_used_fen, after.fund_used_fen), (0, 0));
    assert_eq!(
        code(
            w.app
                .undo_settlement(&hospital, &w.key(), "B-1", crate::requests::undo_reason())
                .unwrap_err()
        ),
        "already_undone"
    );
    let again = w
        .app
        .settle(&hospital, &w.key(), bill(&card, "B-2"))
        .unwrap();
    assert_eq!(
        split_yuan(&again),
        [500, 17_500, 1_300, 13_770, 6_230, 1_500, 4_730]
    );
    // The deductible is used up now: the next bill goes straight to the pool ratio.
    let next = w
        .app
        .settle(&hospital, &w.key(), bill(&card, "B-3"))
        .unwrap();
    assert_eq!(
        (next.deductible_fen, next.fund_fen, next.account_fen),
        (0, 1_487_500, 0)
    );
    ledger_is_balanced(&w);
    let history = w.app.person_settlements(&w.clerk, &person).unwrap();
    assert_eq!(
        history
            .iter()
            .map(|s| s.status.as_str())
            .collect::<Vec<_>>()
            .len(),
        3
    );
}

fn the_fund_pays_up_to_the_years_cap(w: World) {
    let (hospital, _) = set_up(&w);
    let (_, card) = insured(&w, HOLDER_ID, 0);
    let big = BillRequest {
        lines: vec![
            line("C001", 1, 1_000_000),
            line("B001", 1, 10_000_000),
            line("A001", 1, 29_000_000),
        ],
        ..bill(&card, "BIG-1")
    };
    let first = w.app.settle(&hospital, &w.key(), big.clone()).unwrap();
    // In scope 380,000, deductible 1,300: the fund pays 85% up to its cap of 300,000, which
    // 352,941.18 of costs use up; the mutual-aid fund pays 90% of the other 25,758.82.
    assert_eq!(
        (first.fund_fen, first.supplementary_fen),
        (30_000_000, 2_318_294)
    );
    let second = w
        .app
        .settle(
            &hospital,
            &w.key(),
            BillRequest {
                bill_number: "BIG-2".into(),
                ..big
            },
        )
        .unwrap();
    // The basic cap is used up: the mutual-aid fund pays 90% of all 380,000 in scope.
    assert_eq!(
        (second.fund_fen, second.supplementary_fen, second.cash_fen),
        (0, 34_200_000, 5_800_000)
    );
    w.app
        .undo_settlement(&hospital, &w.key(), "BIG-1", crate::requests::undo_reason())
        .unwrap();
    let year = w.app.query_insured(&hospital, card.clone()).unwrap();
    assert_eq!(
        (year.fund_used_fen, year.supplementary_used_fen),
        (0, 34_200_000)
    );
    ledger_is_balanced(&w);
}

fn a_region_may_ask_for_the_social_pin_and_an_electronic_card_identifies_the_patient(w: World) {
    let (_, pharmacy) = set_up(&w);
    let (person, card) = insured_in(&w, HOLDER_ID, 10_000, "330100");
    let card = card.id;
    let pills = |person, pin, number: &str| pills(person, pin, number, "pharmacy");
    // Shenzhen's pharmacy settles Hangzhou's insured under Hangzhou's policy (no PIN);
    // a Shenzhen-insured patient would need it. Make the holder Shenzhen-insured.
    let far_card = {
        let employer = w.employer_named("91110000802100433B", "SZ", "440300");
        let (p, c) = w.collected_card(OTHER_ID);
        w.enrol_employee(&p.id, &employer, "2026-01");
        (c.id.clone(), presented(&c))
    };
    let (far_card, far_presented) = far_card;
    let at_pharmacy = |pin| {
        w.app.settle(
            &pharmacy,
            &w.key(),
            pills(far_presented.clone(), pin, "P-1"),
        )
    };
    assert_eq!(code(at_pharmacy(None).unwrap_err()), "invalid_request");
    assert_eq!(
        code(at_pharmacy(Some("000999")).unwrap_err()),
        "pin_incorrect"
    );
    let checked = w
        .app
        .verify_social_pin(&w.clerk, &w.key(), &far_card, pin("000999"));
    assert!(
        checked.unwrap_err().to_string().contains("4 tries left"),
        "the wrong PIN at the till counted"
    );
    let paid = at_pharmacy(Some(crate::harness::SOCIAL_PIN)).unwrap();
    assert_eq!(
        (paid.insured_region.as_str(), paid.status.as_str()),
        ("440300", "settled")
    );
    // The holder shows the electronic card's identity code instead of the card.
    let holder = w.holder_login("holder", &person);
    let token = w.ecard_code(&holder, &card, "identity");
    let hospital = w.app.actor_for_username("hz-cashier").unwrap();
    let by_token = Identification::ECardToken(token.clone());
    let settled = w
        .app
        .settle(&hospital, &w.key(), pills(by_token.clone(), None, "T-1"))
        .unwrap();
    assert_eq!(settled.person_id, person);
    w.clock.advance_days(1);
    assert_eq!(
        code(w.app.query_insured(&hospital, by_token).unwrap_err()),
        "code_expired"
    );
    // A payment code identifies no patient.
    w.activate_financial(&card, HOLDER_ID);
    let payment = Identification::ECardToken(w.ecard_code(&holder, &card, "payment"));
    assert_eq!(
        code(w.app.query_insured(&hospital, payment).unwrap_err()),
        "invalid_token"
    );
    let request = shebao_app::card::ecard::ECardRequest {
        social_pin: crate::harness::SOCIAL_PIN.into(),
    };
    assert_eq!(
        code(
            w.app
                .issue_ecard(&w.clerk, &w.key(), &card, request)
                .unwrap_err()
        ),
        "forbidden"
    );
}

fn a_lost_card_is_refused_and_a_person_insured_elsewhere_keeps_their_policy(w: World) {
    let (hospital, pharmacy) = set_up(&w);
    let (_, lost) = insured_in(&w, HOLDER_ID, 10_000, "330100");
    let card = presented(&lost);
    w.app
        .report_loss(&w.clerk, &w.key(), &lost.id, loss("social", "temporary"))
        .unwrap();
    assert_eq!(
        code(
            w.app
                .settle(&hospital, &w.key(), bill(&card, "L-1"))
                .unwrap_err()
        ),
        "card_lost"
    );
    let (other, other_card) = insured(&w, OTHER_ID, 0);
    let small = BillRequest {
        visit: "pharmacy".into(),
        lines: vec![line("A001", 1, 200_000)],
        ..bill(&other_card, "P-1")
    };
    let settled = w.app.settle(&pharmacy, &w.key(), small).unwrap();
    // Hangzhou's policy (deductible 1,300 yuan) applies in Shenzhen, not Shenzhen's (none).
    assert_eq!(
        (
            settled.insured_region.as_str(),
            settled.treated_region.as_str(),
            settled.deductible_fen,
            settled.fund_fen
        ),
        ("330100", "440300", 130_000, 59_500)
    );
    let today = START
        .local_date(shebao_domain::reference::region::RegionParameters::common().utc_offset())
        .to_string();
    let day = w
        .app
        .reconciliation(&pharmacy, "sz-pharmacy", &today)
        .unwrap();
    assert_eq!((day.settled, day.fund_fen), (1, 59_500));
    assert_eq!(w.app.person_settlements(&w.clerk, &other).unwrap().len(), 1);
    assert_eq!(
        code(
            w.app
                .reconciliation(&pharmacy, "hz-hospital", &today)
                .unwrap_err()
        ),
        "not_found"
    );
    assert_eq!(
        code(
            w.app
                .undo_settlement(&hospital, &w.key(), "P-1", crate::requests::undo_reason())
                .unwrap_err()
        ),
        "not_found"
    );
}

fn concurrent_settlements_never_overspend_the_account_and_a_bill_settles_once(w: World) {
    let (hospital, _) = set_up(&w);
    let (person, card) = insured(&w, HOLDER_ID, 150_000);
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let (app, hospital, card) = (w.app.clone(), hospital.clone(), card.clone());
                let number = if i < 2 {
                    "SAME".to_owned()
                } else {
                    format!("C-{i}")
                };
                scope.spawn(move || {
                    app.settle(
                        &hospital,
                        &format!("concurrent-{i}-key"),
                        bill(&card, &number),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let settled: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(
        settled.len(),
        3,
        "the same bill number settles once: {results:?}"
    );
    assert_eq!(settled.iter().map(|s| s.account_fen).sum::<i64>(), 150_000);
    assert_eq!(
        settled.iter().map(|s| s.deductible_fen).sum::<i64>(),
        130_000
    );
    assert_eq!(balance(&w, &person), 0);
    ledger_is_balanced(&w);
}

fn reconciliation_reports_differences(w: World) {
    let (hospital, _) = set_up(&w);
    let (_, card) = insured(&w, HOLDER_ID, 150_000);
    let a = w
        .app
        .settle(&hospital, &w.key(), bill(&card, "R-1"))
        .unwrap();
    let b = w
        .app
        .settle(&hospital, &w.key(), bill(&card, "R-2"))
        .unwrap();
    w.app
        .undo_settlement(&hospital, &w.key(), "R-2", crate::requests::undo_reason())
        .unwrap();
    let today = START
        .local_date(shebao_domain::reference::region::RegionParameters::common().utc_offset())
        .to_string();
    let line = |s: &shebao_app::medical::SettlementView, status: &str| {
        format!(
            "{},{status},{},{},{},{}",
            s.bill_number, s.total_fen, s.fund_fen, s.account_fen, s.cash_fen
        )
    };
    let header = "bill_number,status,total_fen,fund_fen,account_fen,cash_fen";
    let theirs = format!(
        "{header}\n{}\n{}\n",
        line(&a, "settled"),
        line(&b, "undone")
    );
    let reconcile = |csv: String| {
        w.app
            .check_reconciliation(
                &hospital,
                "hz-hospital",
                ReconciliationFile {
                    date: today.clone(),
                    csv,
                },
            )
            .unwrap()
    };
    let check = reconcile(theirs);
    assert!(check.matches, "{:?}", check.differences);
    let wrong = format!("{header}\n{}\nR-9,settled,1,0,0,1\n", line(&a, "undone"));
    let check = reconcile(wrong);
    let found: Vec<(&str, &str)> = check
        .differences
        .iter()
        .map(|d| (d.bill_number.as_str(), d.field.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("R-1", "status"),
            ("R-9", "bill_number"),
            ("R-2", "bill_number")
        ]
    );
}

fn a_cashier_sees_only_their_institution(w: World) {
    let (hospital, _) = set_up(&w);
    assert_eq!(
        code(
            w.app
                .person_settlements(&hospital, &PersonId::new("per_x").to_string())
                .unwrap_err()
        ),
        "forbidden",
        "a person's settlement history is not a cashier's to read"
    );
    let person = w.register(HOLDER_ID);
    let application = shebao_app::card::CardApplication {
        person_id: person.id.clone(),
        bank_id: "icbc".into(),
        region: "330100".into(),
    };
    assert_eq!(
        code(
            w.app
                .apply_card(&hospital, &w.key(), application)
                .unwrap_err()
        ),
        "forbidden"
    );
    assert_eq!(
        code(w.app.person_settlements(&hospital, &person.id).unwrap_err()),
        "forbidden"
    );
}

fn insurance_that_ended_pays_nothing_and_rules_match_the_insurance_type(w: World) {
    let (hospital, _) = set_up(&w);
    let (person, card) = insured(&w, HOLDER_ID, 0);
    // A rule for residents' insurance (390), however specific, never applies to employees.
    let residents = PolicyRule {
        insurance_type: Some("390".into()),
        level: Some(3),
        visit: Some("inpatient".into()),
        status: Some("working".into()),
        deductible_fen: 0,
        pool_ratio_ppm: 100_000,
    };
    let policy = MedicalPolicy {
        annual_cap_fen: 30_000_000,
        rules: vec![rule(None, None, 1_300, 850_000), residents],
        social_pin_required: false,
        supplementary: None,
    };
    w.set_medical_policy("330100", 2027, policy);
    w.clock.advance_days(365);
    let preview = w.app.pre_settle(&hospital, bill(&card, "Y-1")).unwrap();
    assert_eq!(
        preview.deductible_fen, 130_000,
        "the employees' rule applied"
    );
    let enrolment = w.app.enrolments(&w.clerk, &person).unwrap().remove(0);
    w.app
        .end_enrolment(
            &w.clerk,
            &w.key(),
            &enrolment.id,
            shebao_app::insurance::EnrolmentEnd {
                end_month: "2026-06".into(),
            },
        )
        .unwrap();
    assert_eq!(
        code(w.app.pre_settle(&hospital, bill(&card, "Y-2")).unwrap_err()),
        "not_insured"
    );
}

/// A ledger account's balance, 0 while it does not exist.
fn ledger_balance(w: &World, account: String) -> i64 {
    w.app
        .store()
        .read(move |tx| tx.ledger_balance(&account))
        .unwrap()
        .map_or(0, |b| b.balance_fen)
}

fn a_birth_is_settled_under_the_maternity_rules_from_the_maternity_pool(w: World) {
    let (hospital, _) = set_up(&w);
    let (woman, card) = insured(&w, OTHER_ID, 100_000);
    let (_, man_card) = insured(&w, HOLDER_ID, 0);
    let birth = |card: &Identification, number: &str| BillRequest {
        insurance_type: shebao_app::medical::MATERNITY.into(),
        ..bill(card, number)
    };
    // 2026's rules name no insurance: they are the employees' medical insurance's only.
    assert_eq!(
        code(
            w.app
                .pre_settle(&hospital, birth(&card, "M-0"))
                .unwrap_err()
        ),
        "no_policy"
    );
    let maternity = PolicyRule {
        insurance_type: Some("510".into()),
        level: None,
        visit: Some("inpatient".into()),
        status: None,
        deductible_fen: 0,
        pool_ratio_ppm: 1_000_000,
    };
    let policy = MedicalPolicy {
        annual_cap_fen: 30_000_000,
        rules: vec![rule(None, None, 1_300, 850_000), maternity],
        social_pin_required: false,
        supplementary: None,
    };
    w.set_medical_policy("330100", 2027, policy);
    w.clock.advance_days(365);
    let odd = BillRequest {
        insurance_type: "390".into(),
        ..bill(&card, "M-9")
    };
    assert_eq!(
        code(w.app.pre_settle(&hospital, odd).unwrap_err()),
        "invalid_request"
    );
    assert_eq!(
        code(
            w.app
                .pre_settle(&hospital, birth(&man_card, "M-2"))
                .unwrap_err()
        ),
        "invalid_request",
        "maternity pays a woman's costs"
    );

    // 20,000 yuan: 2,000 self-paid and a 500 first share outside; the 17,500 in scope paid
    // whole by the maternity fund (no deductible); the personal account pays 1,000 of the
    // 2,500 left, cash the rest.
    let settled = w
        .app
        .settle(&hospital, &w.key(), birth(&card, "M-1"))
        .unwrap();
    assert_eq!(
        (
            settled.insurance_type.as_str(),
            settled.deductible_fen,
            settled.fund_fen,
            settled.account_fen,
            settled.cash_fen
        ),
        ("510", 0, 1_750_000, 100_000, 150_000)
    );
    let pool = shebao_domain::money::ledger::SystemAccount::Pool {
        region: "330100".into(),
        insurance: "maternity".into(),
    }
    .ledger_id(shebao_domain::money::ledger::stripe_of("M-1"));
    assert_eq!(
        ledger_balance(&w, pool.clone()),
        -1_750_000,
        "the maternity pool paid"
    );
    let year = w.app.query_insured(&hospital, card.clone()).unwrap();
    assert_eq!(
        (year.deductible_used_fen, year.fund_used_fen),
        (0, 0),
        "the medical year is untouched"
    );
    // An ordinary bill of hers still takes the medical year's deductible.
    let ordinary = w.app.pre_settle(&hospital, bill(&card, "M-3")).unwrap();
    assert_eq!(
        (ordinary.insurance_type.as_str(), ordinary.deductible_fen),
        ("310", 130_000)
    );

    w.app
        .undo_settlement(
            &hospital,
            &w.key(),
            "M-1",
            UndoRequest {
                reason: "账单录入有误".into(),
            },
        )
        .unwrap();
    assert_eq!(ledger_balance(&w, pool), 0);
    assert_eq!(balance(&w, &woman), 100_000);
    let year = w.app.query_insured(&hospital, card).unwrap();
    assert_eq!((year.deductible_used_fen, year.fund_used_fen), (0, 0));
    ledger_is_balanced(&w);
}

crate::on_both_backends!(
    a_birth_is_settled_under_the_maternity_rules_from_the_maternity_pool,
    insurance_that_ended_pays_nothing_and_rules_match_the_insurance_type,
    a_region_may_ask_for_the_social_pin_and_an_electronic_card_identifies_the_patient,
    a_bill_splits_as_the_vectors_and_undo_restores_everything,
    the_fund_pays_up_to_the_years_cap,
    a_lost_card_is_refused_and_a_person_insured_elsewhere_keeps_their_policy,
    concurrent_settlements_never_overspend_the_account_and_a_bill_settles_once,
    reconciliation_reports_differences,
    a_cashier_sees_only_their_institution,
);

mod counter;
mod settlement_request_fuzz;
mod undo_model;
