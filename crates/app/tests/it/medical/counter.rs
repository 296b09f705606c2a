//! At the counter (issue 13, finding 5): how a patient is identified, what every query,
//! settlement and undo leaves in the audit trail, and how a diagnosis is sealed.

use super::*;

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
                    ..Default::default()
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

/// Asserts that a call run by [`with_records`] was refused with `expected` and left one audit
/// record: that refusal of `action` on `subject`.
fn assert_refused_and_audited<T: std::fmt::Debug>(
    (outcome, records): (Result<T, AppError>, Vec<AuditRecord>),
    expected: &str,
    action: &str,
    subject: &str,
) {
    assert_eq!(code(outcome.unwrap_err()), expected);
    let refusal = format!("refused:{expected}");
    assert_eq!(one_record(&records).0, (action, subject, refusal.as_str()));
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
        assert_refused_and_audited(
            with_records(&w, || w.app.query_insured(&hospital, who)),
            "card_not_recognised",
            "medical.person_query",
            "person:unidentified",
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
    assert_refused_and_audited(
        with_records(&w, || w.app.settle(&hospital, &w.key(), typed_bill.clone())),
        "card_required",
        "medical.settle",
        "bill:hz-hospital:A-1",
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
    assert_refused_and_audited(
        with_records(&w, || {
            w.app
                .undo_settlement(&hospital, &w.key(), "A-404", crate::requests::undo_reason())
        }),
        "not_found",
        "medical.undo",
        "bill:hz-hospital:A-404",
    );
    // An undo states why (4 to 200 characters); the audit record keeps the reason.
    let unexplained = UndoRequest {
        reason: " ok ".into(),
    };
    let refused = w
        .app
        .undo_settlement(&hospital, &w.key(), "A-1", unexplained);
    assert_eq!(
        crate::harness::code(refused.unwrap_err()),
        "invalid_request"
    );
    let (undone, records) = with_records(&w, || {
        w.app
            .undo_settlement(&hospital, &w.key(), "A-1", crate::requests::undo_reason())
    });
    assert_eq!(undone.unwrap().status, "undone");
    let (record, detail) = one_record(&records);
    assert_eq!(record, ("medical.undo", "bill:hz-hospital:A-1", "ok"));
    assert_eq!(detail["reason"], "bill entered twice");
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
    let token = Identification::ECardToken(w.ecard_code(&holder, &card.id, "identity"));
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
                ..Default::default()
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
    let undone = w
        .app
        .undo_settlement(&hospital, &w.key(), "D-1", crate::requests::undo_reason())
        .unwrap();
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

crate::on_both_backends!(
    the_counter_identifies_by_the_card_and_every_query_and_bill_is_audited,
    a_cashier_of_another_hospital_cannot_settle_without_the_card_and_the_pin,
    a_diagnosis_is_sealed_at_rest_and_only_its_holder_sees_it_in_clear,
);
