//! Real-time medical settlement through the use cases, on both stores.

use shebao_app::auth::NewUser;
use shebao_app::medical::PresentedCard;
use shebao_app::medical::{
    BillLineRequest, BillRequest, Identification, MedicalPolicy, NewCatalogueItem, NewInstitution,
    NewMedicalPolicy, PolicyRule, ReconciliationFile, SupplementaryFund,
};
use shebao_app::views::CardView;
use shebao_app::{Actor, AppError};
use shebao_domain::audit::AuditRecord;
use shebao_domain::ids::{PersonId, TransferId};
use shebao_domain::ledger::{TransferCode, personal_account};
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
    w.app
        .set_medical_policy(
            &w.admin,
            &w.key(),
            "330100",
            NewMedicalPolicy {
                year: 2026,
                policy: hangzhou,
            },
        )
        .unwrap();
    let shenzhen = MedicalPolicy {
        annual_cap_fen: 1_000,
        rules: vec![rule(None, None, 0, 500_000)],
        social_pin_required: true,
        supplementary: None,
    };
    w.app
        .set_medical_policy(
            &w.admin,
            &w.key(),
            "440300",
            NewMedicalPolicy {
                year: 2026,
                policy: shenzhen,
            },
        )
        .unwrap();
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
    let undone = w.app.undo_settlement(&hospital, &w.key(), "B-1").unwrap();
    assert_eq!(undone.status, "undone");
    assert_eq!(balance(&w, &person), 150_000);
    let after = w.app.query_insured(&hospital, card.clone()).unwrap();
    assert_eq!((after.deductible_used_fen, after.fund_used_fen), (0, 0));
    assert_eq!(
        code(
            w.app
                .undo_settlement(&hospital, &w.key(), "B-1")
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
    w.app.undo_settlement(&hospital, &w.key(), "BIG-1").unwrap();
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
    assert_eq!(
        code(
            w.app
                .settle(
                    &pharmacy,
                    &w.key(),
                    pills(far_presented.clone(), None, "P-1")
                )
                .unwrap_err()
        ),
        "invalid_request"
    );
    assert_eq!(
        code(
            w.app
                .settle(
                    &pharmacy,
                    &w.key(),
                    pills(far_presented.clone(), Some("000999"), "P-1")
                )
                .unwrap_err()
        ),
        "pin_incorrect"
    );
    let checked = w
        .app
        .verify_social_pin(&w.clerk, &w.key(), &far_card, pin("000999"));
    assert!(
        checked.unwrap_err().to_string().contains("4 tries left"),
        "the wrong PIN at the till counted"
    );
    let paid = w
        .app
        .settle(
            &pharmacy,
            &w.key(),
            pills(
                far_presented.clone(),
                Some(crate::harness::SOCIAL_PIN),
                "P-1",
            ),
        )
        .unwrap();
    assert_eq!(
        (paid.insured_region.as_str(), paid.status.as_str()),
        ("440300", "settled")
    );
    // The holder shows an electronic-card token instead of the card.
    let holder = w.holder_login("holder", &person);
    let token = w.app.issue_ecard_token(&holder, &card).unwrap();
    let hospital = w.app.actor_for_username("hz-cashier").unwrap();
    let by_token = Identification::ECardToken(token.token.clone());
    let settled = w
        .app
        .settle(&hospital, &w.key(), pills(by_token.clone(), None, "T-1"))
        .unwrap();
    assert_eq!(settled.person_id, person);
    w.clock.advance_days(1);
    assert_eq!(
        code(w.app.query_insured(&hospital, by_token).unwrap_err()),
        "invalid_token"
    );
    assert_eq!(
        code(w.app.issue_ecard_token(&w.clerk, &card).unwrap_err()),
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
        .local_date(shebao_domain::region::RegionParameters::common().utc_offset())
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
                .undo_settlement(&hospital, &w.key(), "P-1")
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
    w.app.undo_settlement(&hospital, &w.key(), "R-2").unwrap();
    let today = START
        .local_date(shebao_domain::region::RegionParameters::common().utc_offset())
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
    let check = w
        .app
        .check_reconciliation(
            &hospital,
            "hz-hospital",
            ReconciliationFile {
                date: today.clone(),
                csv: theirs,
            },
        )
        .unwrap();
    assert!(check.matches, "{:?}", check.differences);
    let wrong = format!("{header}\n{}\nR-9,settled,1,0,0,1\n", line(&a, "undone"));
    let check = w
        .app
        .check_reconciliation(
            &hospital,
            "hz-hospital",
            ReconciliationFile {
                date: today,
                csv: wrong,
            },
        )
        .unwrap();
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
    let application = shebao_app::cards::CardApplication {
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
    w.app
        .set_medical_policy(
            &w.admin,
            &w.key(),
            "330100",
            NewMedicalPolicy { year: 2027, policy },
        )
        .unwrap();
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

crate::on_both_backends!(
    insurance_that_ended_pays_nothing_and_rules_match_the_insurance_type,
    a_region_may_ask_for_the_social_pin_and_an_electronic_card_identifies_the_patient,
    a_bill_splits_as_the_vectors_and_undo_restores_everything,
    the_fund_pays_up_to_the_years_cap,
    a_lost_card_is_refused_and_a_person_insured_elsewhere_keeps_their_policy,
    concurrent_settlements_never_overspend_the_account_and_a_bill_settles_once,
    reconciliation_reports_differences,
    a_cashier_sees_only_their_institution,
    a_diagnosis_is_sealed_at_rest_and_only_its_holder_sees_it_in_clear,
    the_counter_identifies_by_the_card_and_every_query_and_bill_is_audited,
    a_cashier_of_another_hospital_cannot_settle_without_the_card_and_the_pin,
);

/// Runs `call` and returns what it answered and the audit records it added.
fn with_records<T>(w: &World, call: impl FnOnce() -> T) -> (T, Vec<AuditRecord>) {
    let all = || {
        w.app
            .store()
            .read(|tx| {
                tx.audit_records(&shebao_store::AuditFilter {
                    actor: None,
                    action: None,
                    subject: None,
                    limit: 100_000,
                })
            })
            .unwrap()
    };
    let before: HashSet<(u32, i64)> = all().iter().map(|r| (r.chain, r.seq)).collect();
    let answer = call();
    let added = all()
        .into_iter()
        .filter(|r| !before.contains(&(r.chain, r.seq)))
        .collect();
    (answer, added)
}

/// The one record a call added: its action, subject and outcome, and its detail.
fn one_record(records: &[AuditRecord]) -> ((&str, &str, &str), serde_json::Value) {
    assert_eq!(records.len(), 1, "exactly one audit record: {records:?}");
    let r = &records[0];
    (
        (r.action.as_str(), r.subject.as_str(), r.outcome.as_str()),
        serde_json::from_str(&r.detail).unwrap(),
    )
}

// Issue 13, finding 5: a patient is identified at the counter by the card (its number and
// the chip's identification code) or a live electronic-card token; a typed ID number is a
// fallback with a reason. Every query, pre-settlement, settlement and undo is audited,
// refusals included, and the personal account's balance needs the card.
fn the_counter_identifies_by_the_card_and_every_query_and_bill_is_audited(w: World) {
    let (hospital, _) = set_up(&w);
    let (person, card) = insured_in(&w, HOLDER_ID, 150_000, "330100");
    let by_card = presented(&card);
    let subject = format!("person:{person}");

    let (found, records) = with_records(&w, || w.app.query_insured(&hospital, by_card.clone()));
    let found = found.unwrap();
    assert_eq!(
        (found.person_id.as_str(), found.personal_account_balance_fen),
        (person.as_str(), Some(150_000))
    );
    let (record, detail) = one_record(&records);
    assert_eq!(record, ("medical.person_query", subject.as_str(), "ok"));
    assert_eq!(detail["by"], "card");

    // A wrong identification code, an unknown number and a malformed one: one code, each
    // refusal audited.
    let mut wrong_code = card.identification_code.clone();
    wrong_code.replace_range(31.., if wrong_code.ends_with('0') { "1" } else { "0" });
    let unknown_number = if card.card_number == "Z99999999" {
        "Z99999998"
    } else {
        "Z99999999"
    };
    for (card_number, identification_code) in [
        (card.card_number.as_str(), wrong_code.as_str()),
        (unknown_number, card.identification_code.as_str()),
        ("not a card", card.identification_code.as_str()),
        (card.card_number.as_str(), ""),
    ] {
        let who = Identification::Card(PresentedCard {
            card_number: card_number.into(),
            identification_code: identification_code.into(),
        });
        let (refused, records) = with_records(&w, || w.app.query_insured(&hospital, who));
        assert_eq!(code(refused.unwrap_err()), "card_not_recognised");
        let (record, _) = one_record(&records);
        assert_eq!(
            record,
            (
                "medical.person_query",
                "person:unidentified",
                "refused:card_not_recognised"
            )
        );
    }

    // The typed ID number: refused without a reason, answered with one (without the
    // balance), audited with the reason and never with the number in clear.
    let typed = |reason: &str| Identification::CitizenId {
        citizen_id: HOLDER_ID.into(),
        reason: reason.into(),
    };
    for reason in ["", "no"] {
        let (refused, records) = with_records(&w, || w.app.query_insured(&hospital, typed(reason)));
        assert_eq!(code(refused.unwrap_err()), "invalid_request");
        assert_eq!(one_record(&records).0.2, "refused:invalid_request");
    }
    let (found, records) = with_records(&w, || {
        w.app
            .query_insured(&hospital, typed("卡芯片损坏 the chip does not answer"))
    });
    let found = found.unwrap();
    assert_eq!(
        (found.person_id.as_str(), found.personal_account_balance_fen),
        (person.as_str(), None),
        "no balance without the card"
    );
    let (record, detail) = one_record(&records);
    assert_eq!(record, ("medical.person_query", subject.as_str(), "ok"));
    assert_eq!(
        (detail["by"].as_str(), detail["reason"].as_str()),
        (
            Some("citizen_id"),
            Some("卡芯片损坏 the chip does not answer")
        )
    );
    assert!(
        !records[0].detail.contains(HOLDER_ID),
        "{}",
        records[0].detail
    );

    // A pre-settlement is audited with the bill and the person; on a typed ID number the
    // personal account takes no share (its balance would show through the split).
    let (preview, records) =
        with_records(&w, || w.app.pre_settle(&hospital, bill(&by_card, "A-1")));
    assert_eq!(preview.unwrap().account_fen, 150_000);
    let (record, detail) = one_record(&records);
    assert_eq!(record, ("medical.pre_settle", "bill:hz-hospital:A-1", "ok"));
    assert_eq!(detail["person"].as_str(), Some(person.as_str()));
    let typed_bill = bill(&typed("the chip does not answer"), "A-1");
    let (preview, records) = with_records(&w, || w.app.pre_settle(&hospital, typed_bill.clone()));
    let preview = preview.unwrap();
    assert_eq!((preview.account_fen, preview.cash_fen > 0), (0, true));
    assert_eq!(one_record(&records).0.0, "medical.pre_settle");
    let (refused, records) =
        with_records(&w, || w.app.pre_settle(&hospital, bill(&typed("x"), "A-1")));
    assert_eq!(code(refused.unwrap_err()), "invalid_request");
    assert_eq!(one_record(&records).0.2, "refused:invalid_request");

    // A typed ID number never settles; the refusal is audited and nothing moves.
    let (refused, records) =
        with_records(&w, || w.app.settle(&hospital, &w.key(), typed_bill.clone()));
    assert_eq!(code(refused.unwrap_err()), "card_required");
    assert_eq!(
        one_record(&records).0,
        (
            "medical.settle",
            "bill:hz-hospital:A-1",
            "refused:card_required"
        )
    );
    assert_eq!(balance(&w, &person), 150_000);

    // With the card: settled, audited once; an undo of an unknown bill is refused, audited.
    let (settled, records) = with_records(&w, || {
        w.app.settle(&hospital, &w.key(), bill(&by_card, "A-1"))
    });
    assert_eq!(settled.unwrap().account_fen, 150_000);
    let (record, detail) = one_record(&records);
    assert_eq!(record, ("medical.settle", "bill:hz-hospital:A-1", "ok"));
    assert_eq!(detail["by"], "card");
    let (refused, records) =
        with_records(&w, || w.app.undo_settlement(&hospital, &w.key(), "A-404"));
    assert_eq!(code(refused.unwrap_err()), "not_found");
    assert_eq!(
        one_record(&records).0,
        (
            "medical.undo",
            "bill:hz-hospital:A-404",
            "refused:not_found"
        )
    );
    let (undone, records) = with_records(&w, || w.app.undo_settlement(&hospital, &w.key(), "A-1"));
    assert_eq!(undone.unwrap().status, "undone");
    assert_eq!(
        one_record(&records).0,
        ("medical.undo", "bill:hz-hospital:A-1", "ok")
    );
}

// Issue 13, finding 5: with the demo policy a cashier of another hospital settled a bill
// against a holder with only the card id, debiting the personal account. The card id alone
// no longer identifies anyone; without the card nothing settles; where the insured region's
// policy asks for it, the social PIN guards every settlement, so every account debit.
fn a_cashier_of_another_hospital_cannot_settle_without_the_card_and_the_pin(w: World) {
    let (hospital, _) = set_up(&w);
    // Insured in Shenzhen (its policy asks for the PIN), treated at Hangzhou's hospital.
    let (person, card) = insured_in(&w, OTHER_ID, 10_000, "440300");
    let pills = |person, pin, number: &str| pills(person, pin, number, "outpatient");
    // The old way, the card id alone, is not an identification at all.
    let old_way = serde_json::json!({
        "person": { "card_id": card.id }, "bill_number": "X-1", "visit": "outpatient",
        "lines": [{ "code": "A001", "quantity": 1, "unit_price_fen": 5_000 }]
    });
    assert!(serde_json::from_value::<BillRequest>(old_way).is_err());
    let typed = Identification::CitizenId {
        citizen_id: OTHER_ID.into(),
        reason: "the patient left the card at home".into(),
    };
    let guessed = Identification::Card(PresentedCard {
        card_number: card.card_number.clone(),
        identification_code: CARD_CODE_GUESS.into(),
    });
    for (who, pin, refused_with) in [
        (typed, Some(crate::harness::SOCIAL_PIN), "card_required"),
        (
            guessed,
            Some(crate::harness::SOCIAL_PIN),
            "card_not_recognised",
        ),
        (presented(&card), None, "invalid_request"),
    ] {
        let (refused, records) = with_records(&w, || {
            w.app.settle(&hospital, &w.key(), pills(who, pin, "X-1"))
        });
        assert_eq!(code(refused.unwrap_err()), refused_with);
        assert_eq!(one_record(&records).0.2, format!("refused:{refused_with}"));
        assert_eq!(balance(&w, &person), 10_000, "nothing moved");
    }
    // The card and the PIN: the account pays.
    let paid = w
        .app
        .settle(
            &hospital,
            &w.key(),
            pills(presented(&card), Some(crate::harness::SOCIAL_PIN), "X-1"),
        )
        .unwrap();
    assert!(paid.account_fen > 0, "{paid:?}");
    assert_eq!(balance(&w, &person), 10_000 - paid.account_fen);
    // A live electronic-card token is the card's presence too, and still needs the PIN.
    let holder = w.holder_login("far-holder", &person);
    let token =
        Identification::ECardToken(w.app.issue_ecard_token(&holder, &card.id).unwrap().token);
    assert_eq!(
        code(
            w.app
                .settle(&hospital, &w.key(), pills(token.clone(), None, "X-2"))
                .unwrap_err()
        ),
        "invalid_request"
    );
    let again = w
        .app
        .settle(
            &hospital,
            &w.key(),
            pills(token, Some(crate::harness::SOCIAL_PIN), "X-2"),
        )
        .unwrap();
    assert_eq!(again.status, "settled");
    ledger_is_balanced(&w);
}

/// A well-formed identification code that is not the card's.
const CARD_CODE_GUESS: &str = "330100D156000005FFFFFFFFFFFFFFFF";

/// A distinctive diagnosis, so that finding it anywhere is a leak and not a coincidence.
const DIAGNOSIS_CODE: &str = "J18.900x001";
const DIAGNOSIS_TEXT: &str = "社区获得性肺炎（试验记录）";

fn a_diagnosis_is_sealed_at_rest_and_only_its_holder_sees_it_in_clear(w: World) {
    use shebao_app::medical::{DiagnosisRequest, DiagnosisView};
    let (hospital, _) = set_up(&w);
    let (person, card) = insured(&w, HOLDER_ID, 0);
    let diagnosed = |number: &str| BillRequest {
        diagnosis: Some(DiagnosisRequest {
            code: DIAGNOSIS_CODE.into(),
            text: Some(DIAGNOSIS_TEXT.into()),
        }),
        ..bill(&card, number)
    };
    let masked = Some(DiagnosisView {
        code: "J**".into(),
        text: Some("***".into()),
        masked: true,
    });
    // A dry run shows it masked and stores nothing.
    let preview = w.app.pre_settle(&hospital, diagnosed("D-1")).unwrap();
    assert_eq!(preview.diagnosis, masked);
    let stored = |bill: &'static str| {
        w.app
            .store()
            .read(move |tx| tx.settlement("hz-hospital", bill))
            .unwrap()
    };
    assert!(stored("D-1").is_none());

    let key = w.key();
    let settled = w.app.settle(&hospital, &key, diagnosed("D-1")).unwrap();
    assert_eq!(settled.diagnosis, masked);
    assert_eq!(
        w.app.settle(&hospital, &key, diagnosed("D-1")).unwrap(),
        settled
    );
    // At rest: a ciphertext in the row; the stored answer shows it masked; the audit
    // record leaves it out.
    let scoped = format!("{}/{key}", hospital.user_id);
    let (answer, audit) = w
        .app
        .store()
        .read(move |tx| {
            let filter = shebao_store::AuditFilter {
                actor: None,
                action: Some("medical.settle".into()),
                subject: None,
                limit: 100,
            };
            Ok::<_, StoreError>((tx.idempotent_response(&scoped)?, tx.audit_records(&filter)?))
        })
        .unwrap();
    let cipher = stored("D-1").unwrap().diagnosis_cipher.unwrap();
    let answer = answer.unwrap().1;
    assert!(answer.contains("J**"), "{answer}");
    assert!(!audit.is_empty());
    let audit = format!("{audit:?}");
    for at_rest in [&cipher, &answer, &audit] {
        for secret in [DIAGNOSIS_CODE, "18.900", DIAGNOSIS_TEXT, "肺炎"] {
            assert!(!at_rest.contains(secret), "{secret} in {at_rest}");
        }
    }

    // Staff see it masked everywhere; the holder sees their own in clear.
    let holder = w.holder_login("holder", &person);
    let own = w.app.person_settlements(&holder, &person).unwrap();
    assert_eq!(
        own[0].diagnosis,
        Some(DiagnosisView {
            code: DIAGNOSIS_CODE.into(),
            text: Some(DIAGNOSIS_TEXT.into()),
            masked: false,
        })
    );
    assert!(!format!("{own:?}").contains("肺炎"), "Debug stays masked");
    assert_eq!(
        w.app.person_settlements(&w.clerk, &person).unwrap()[0].diagnosis,
        masked
    );
    let day = w
        .app
        .reconciliation(&hospital, "hz-hospital", "2026-03-01")
        .unwrap();
    assert_eq!(day.settlements[0].diagnosis, masked);
    let undone = w.app.undo_settlement(&hospital, &w.key(), "D-1").unwrap();
    assert_eq!(undone.diagnosis, masked);

    // A bill without a diagnosis has none; a malformed one is refused without repeating it.
    let plain = w
        .app
        .settle(&hospital, &w.key(), bill(&card, "D-2"))
        .unwrap();
    assert_eq!(plain.diagnosis, None);
    assert_eq!(stored("D-2").unwrap().diagnosis_cipher, None);
    for (code, text) in [("pneumonia", "肺炎"), ("J18.9", &*"肺炎".repeat(101))] {
        let bad = BillRequest {
            diagnosis: Some(DiagnosisRequest {
                code: code.into(),
                text: Some(text.into()),
            }),
            ..bill(&card, "D-3")
        };
        let error = w.app.settle(&hospital, &w.key(), bad).unwrap_err();
        assert_eq!(error.code(), "invalid_request");
        let shown = format!("{error} {error:?}");
        assert!(
            !shown.contains("pneumonia") && !shown.contains("肺炎"),
            "{shown}"
        );
    }
    assert!(stored("D-3").is_none());
}

mod undo_model {
    //! Property: any sequence of settlements and undos leaves the personal account and the
    //! year's accumulators exactly as the settlements still standing say.

    use proptest::prelude::*;

    use super::*;
    use crate::harness::Backend;

    #[derive(Debug, Clone)]
    enum Step {
        Settle {
            class_a_fen: i64,
            class_b_fen: i64,
            self_paid_fen: i64,
        },
        UndoOne {
            pick: usize,
        },
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            3 => (0i64..5_000_000, 0i64..3_000_000, 0i64..500_000)
                .prop_map(|(class_a_fen, class_b_fen, self_paid_fen)| Step::Settle { class_a_fen, class_b_fen, self_paid_fen }),
            1 => (0usize..100).prop_map(|pick| Step::UndoOne { pick }),
        ]
    }

    fn run(steps: &[Step], backend: Backend) {
        let w = World::new(backend);
        let (hospital, _) = set_up(&w);
        let (person, card) = insured(&w, HOLDER_ID, 2_000_000);
        let mut standing: Vec<shebao_app::medical::SettlementView> = Vec::new();
        for (n, step) in steps.iter().enumerate() {
            match step {
                Step::Settle {
                    class_a_fen,
                    class_b_fen,
                    self_paid_fen,
                } => {
                    let lines: Vec<BillLineRequest> = [
                        ("A001", *class_a_fen),
                        ("B001", *class_b_fen),
                        ("C001", *self_paid_fen),
                    ]
                    .into_iter()
                    .filter(|(_, amount)| *amount > 0)
                    .map(|(code, amount)| BillLineRequest {
                        code: code.into(),
                        quantity: 1,
                        unit_price_fen: amount,
                    })
                    .collect();
                    if lines.is_empty() {
                        continue;
                    }
                    let settled = w
                        .app
                        .settle(
                            &hospital,
                            &w.key(),
                            BillRequest {
                                lines,
                                ..bill(&card, &format!("M-{n}"))
                            },
                        )
                        .unwrap();
                    assert_eq!(
                        settled.fund_fen
                            + settled.supplementary_fen
                            + settled.account_fen
                            + settled.cash_fen,
                        settled.total_fen
                    );
                    standing.push(settled);
                }
                Step::UndoOne { pick } => {
                    if standing.is_empty() {
                        continue;
                    }
                    let undone = standing.remove(pick % standing.len());
                    w.app
                        .undo_settlement(&hospital, &w.key(), &undone.bill_number)
                        .unwrap();
                }
            }
            let year = w.app.query_insured(&hospital, card.clone()).unwrap();
            let sum = |f: fn(&shebao_app::medical::SettlementView) -> i64| {
                standing.iter().map(f).sum::<i64>()
            };
            assert_eq!(
                year.deductible_used_fen,
                sum(|s| s.deductible_fen),
                "after {step:?}"
            );
            assert_eq!(year.fund_used_fen, sum(|s| s.fund_fen), "after {step:?}");
            assert_eq!(
                year.supplementary_used_fen,
                sum(|s| s.supplementary_fen),
                "after {step:?}"
            );
            assert_eq!(
                balance(&w, &person),
                2_000_000 - sum(|s| s.account_fen),
                "after {step:?}"
            );
            ledger_is_balanced(&w);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: crate::harness::cases(10), failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn undo_restores_every_balance_and_accumulator(steps in prop::collection::vec(step(), 1..16)) {
            run(&steps, Backend::Sqlite);
        }
    }

    proptest! {
        // Fewer sequences on PostgreSQL: each starts a fresh schema.
        #![proptest_config(ProptestConfig { cases: crate::harness::cases(4), failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn undo_restores_every_balance_and_accumulator_on_postgres(steps in prop::collection::vec(step(), 1..16)) {
            run(&steps, Backend::Postgres);
        }
    }
}

/// The settlement request parser under hostile input: arbitrary bytes never panic the JSON
/// reader, and arbitrary near-valid bills (odd bill numbers, visits, codes, quantities and
/// prices up to the integer limits, any mix of identifications) are either priced with
/// parts that add up and none below zero, or refused with a stable code — never an
/// internal error — and a bill that prices also settles to the same split.
mod settlement_request_fuzz {
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
}
