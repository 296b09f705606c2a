//! Issue 13, findings 3 and 8: what a role sees of a person leaves at least 10^6 candidates
//! for the ID number, and every look-up by ID number is limited per actor and audited.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use shebao_app::LookupRate;
use shebao_app::medical::{Identification, PresentedCard};
use shebao_app::person::NewPerson;
use shebao_domain::access::Role;
use shebao_domain::person::identity::{CitizenId, IdentityError};
use shebao_domain::time::Date;
use shebao_store::{AuditEvent, AuditFilter, CertificateRecord};

use crate::harness::{HOLDER_ID, OTHER_ID, START, World};

/// What a role saw of the person: the ID numbers shown masked (18 characters, `*` hiding)
/// and the birth dates shown (`YYYY-MM-DD`, `*` hiding).
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
struct Seen {
    masks: BTreeSet<String>,
    birth_dates: BTreeSet<String>,
}

impl Seen {
    /// Collects from every answer (as JSON) the masked ID numbers anywhere in any text
    /// (audit details included) and every `birth_date` field.
    fn of(answers: &[serde_json::Value]) -> Seen {
        let mut seen = Seen::default();
        for answer in answers {
            seen.walk(answer, None);
        }
        seen
    }

    fn walk(&mut self, value: &serde_json::Value, field: Option<&str>) {
        match value {
            serde_json::Value::String(text) => {
                if field == Some("birth_date") {
                    self.birth_dates.insert(text.clone());
                }
                self.masks.extend(masked_numbers(text));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| self.walk(v, field)),
            serde_json::Value::Object(map) => {
                map.iter().for_each(|(k, v)| self.walk(v, Some(k)));
            }
            _ => {}
        }
    }
}

/// 18-character runs of digits, `X` and `*` with at least one `*`: ID numbers shown masked.
fn masked_numbers(text: &str) -> Vec<String> {
    let shape = |c: char| c.is_ascii_digit() || c == 'X' || c == '*';
    text.split(|c: char| !shape(c))
        .filter(|run| run.len() == 18 && run.contains('*'))
        .map(str::to_owned)
        .collect()
}

/// Whether `shown` (with `*` hiding characters) could be `clear`.
fn fits(shown: &str, clear: &str) -> bool {
    shown.len() == clear.len()
        && shown
            .bytes()
            .zip(clear.bytes())
            .all(|(s, c)| s == b'*' || s == c)
}

/// The ID numbers consistent with `seen`, counted up to `cap`, for an attacker who also
/// knows the address code and the gender (every person view shows the household region;
/// the worst case). Each candidate is a real number: `CitizenId::parse` accepts it.
fn candidates(seen: &Seen, address: &str, male: bool, today: Date, cap: u64) -> u64 {
    let mut count = 0;
    let mut day = Date::new(1900, 1, 1).unwrap();
    while day <= today && count < cap {
        let date = day.to_string();
        day = day.add_days(1);
        if !seen.birth_dates.iter().all(|shown| fits(shown, &date)) {
            continue;
        }
        let digits = date.replace('-', "");
        for sequence in (0..1000u32).filter(|s| (s % 2 == 1) == male) {
            let first17 = format!("{address}{digits}{sequence:03}");
            let check = match CitizenId::parse(&format!("{first17}0"), today) {
                Ok(_) => '0',
                Err(IdentityError::CheckCharacter { expected }) => expected,
                Err(other) => panic!("{first17}: {other:?}"),
            };
            let number = CitizenId::parse(&format!("{first17}{check}"), today).unwrap();
            if seen.masks.iter().all(|shown| fits(shown, number.as_str())) {
                count += 1;
            }
        }
    }
    count
}

fn json(value: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap()
}

// Issue 13, finding 3: a teller recovered a full ID number from a person view (first 4 and
// last 4 beside the full birth date and gender: 9 candidates) and nine look-ups.
fn every_role_that_has_not_unmasked_is_left_at_least_a_million_candidates(w: World) {
    let (person, card) = w.collected_card(HOLDER_ID);
    let employer = w.employer("91350100M000100Y43", "330100");
    w.enrol_employee(&person.id, &employer, "2026-01");
    let employer_user = w.employer_user("hr-staff", &employer);
    let (cashier, _) = crate::medical::set_up(&w);
    let by_card = Identification::Card(PresentedCard {
        card_number: card.card_number.clone(),
        identification_code: card.identification_code.clone(),
    });
    let by_number = Identification::CitizenId {
        citizen_id: HOLDER_ID.into(),
        reason: "the chip does not read".into(),
    };
    let mut answers: HashMap<&str, Vec<serde_json::Value>> = HashMap::new();
    answers.insert(
        "bank_teller",
        vec![
            json(&w.app.person(&w.teller, &person.id).unwrap()),
            json(&w.app.find_person(&w.teller, HOLDER_ID).unwrap()),
            json(&w.app.cards_of_person(&w.teller, &person.id).unwrap()),
        ],
    );
    answers.insert(
        "bureau_clerk (masked views)",
        vec![
            json(&person),
            json(&w.app.person(&w.clerk, &person.id).unwrap()),
            json(&w.app.find_person(&w.clerk, HOLDER_ID).unwrap()),
        ],
    );
    answers.insert(
        "employer",
        vec![json(&w.app.employees(&employer_user, &employer).unwrap())],
    );
    answers.insert(
        "cashier",
        vec![
            json(&w.app.query_insured(&cashier, by_card).unwrap()),
            json(&w.app.query_insured(&cashier, by_number).unwrap()),
        ],
    );
    // Last, so that the trail holds every look-up above.
    answers.insert("auditor", vec![json(&w.audit_trail())]);
    let today = START.utc_date();
    let mut counted: HashMap<Seen, u64> = HashMap::new();
    for (role, answers) in &answers {
        let text = serde_json::to_string(answers).unwrap();
        assert!(!text.contains(HOLDER_ID), "{role} saw the number in clear");
        assert!(!text.contains("1990-03-07"), "{role} saw the birth date");
        let seen = Seen::of(answers);
        assert!(!seen.masks.is_empty(), "{role} saw no masked number");
        let count = *counted
            .entry(seen.clone())
            .or_insert_with(|| candidates(&seen, "330106", true, today, 1_000_000));
        assert!(
            count >= 1_000_000,
            "{role} is left {count} candidates from {seen:?}"
        );
    }
}

// Issue 13, finding 8: a look-up that missed left no record (a hidden hit did).
fn every_lookup_by_id_number_is_audited_hit_miss_hidden_or_invalid(w: World) {
    let person = w.register(HOLDER_ID);
    let trail = |w: &World| w.audit_of("person.lookup", 100);
    w.app.find_person(&w.clerk, HOLDER_ID).unwrap();
    let miss = w.app.find_person(&w.clerk, OTHER_ID).unwrap_err();
    assert_eq!(miss.code(), "not_found");
    // The teller's bank holds no card of this person: hidden, answered as not found.
    let hidden = w.app.find_person(&w.teller, HOLDER_ID).unwrap_err();
    assert_eq!(hidden.code(), "not_found");
    let invalid = w
        .app
        .find_person(&w.clerk, "310104198506153524")
        .unwrap_err();
    assert_eq!(invalid.code(), "check_character_mismatch");
    let (cashier, _) = crate::medical::set_up(&w);
    let patient = Identification::CitizenId {
        citizen_id: OTHER_ID.into(),
        reason: "the chip does not read".into(),
    };
    let missed = w.app.query_insured(&cashier, patient).unwrap_err();
    assert_eq!(missed.code(), "not_found");
    let records = trail(&w);
    let outcomes: Vec<(&str, &str, &str)> = records
        .iter()
        .map(|r| (r.actor.as_str(), r.subject.as_str(), r.outcome.as_str()))
        .collect();
    let subject = format!("person:{}", person.id);
    for expected in [
        ("bureau_clerk:clerk", subject.as_str(), "ok"),
        ("bureau_clerk:clerk", "person:-", "refused:not_found"),
        ("bank_teller:teller", subject.as_str(), "denied"),
        (
            "bureau_clerk:clerk",
            "person:-",
            "refused:check_character_mismatch",
        ),
    ] {
        assert_eq!(
            outcomes.iter().filter(|o| **o == expected).count(),
            1,
            "{expected:?} in {outcomes:?}"
        );
    }
    assert_eq!(records.len(), 4, "one record per look-up: {outcomes:?}");
    // A cashier's look-up by ID number is recorded once, by the counter operation that asked.
    let counter: Vec<_> = w
        .audit_records(AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .into_iter()
        .filter(|r| r.actor == "cashier:hz-cashier")
        .map(|r| (r.action, r.outcome, r.detail))
        .collect();
    assert_eq!(counter.len(), 1, "{counter:?}");
    assert_eq!(
        (counter[0].0.as_str(), counter[0].1.as_str()),
        ("medical.person_query", "refused:not_found")
    );
    assert!(counter[0].2.contains("31****************"), "{counter:?}");
    let details: String = records.iter().map(|r| r.detail.clone()).collect();
    for number in [HOLDER_ID, OTHER_ID, "310104198506153524"] {
        assert!(!details.contains(number), "{details}");
        assert!(!details.contains(number.get(..4).unwrap()), "{details}");
    }
    assert!(details.contains("\"31****************\""), "{details}");
}

// Issue 13, finding 3: look-ups by ID number are limited per actor, the refusal audited.
fn lookups_by_id_number_are_limited_per_actor(mut w: World) {
    let person = w.register(HOLDER_ID);
    // A fresh limit after the registration (itself a look-up by ID number).
    w.app = w
        .app
        .clone()
        .with_lookup_rate("3/3600".parse::<LookupRate>().unwrap());
    for _ in 0..3 {
        assert_eq!(
            w.app.find_person(&w.clerk, HOLDER_ID).unwrap().id,
            person.id
        );
    }
    let refused = w.app.find_person(&w.clerk, HOLDER_ID).unwrap_err();
    assert_eq!(
        (refused.code(), refused.status()),
        ("too_many_lookups", 429)
    );
    assert_eq!(refused.retry_after_seconds(), Some(3_600));
    // A miss counts as well, and the refusal does not say whether the number exists.
    let again = w.app.find_person(&w.clerk, OTHER_ID).unwrap_err();
    assert_eq!(again.code(), "too_many_lookups");
    // Another actor is not affected.
    let other_clerk = w.user("clerk-lookup", Role::BureauClerk, None, None, None);
    assert_eq!(
        w.app.find_person(&other_clerk, HOLDER_ID).unwrap().id,
        person.id
    );
    let refusals = w
        .audit_of("person.lookup", 100)
        .into_iter()
        .filter(|r| r.outcome == "refused:too_many_lookups")
        .collect::<Vec<_>>();
    assert_eq!(refusals.len(), 2);
    assert!(refusals.iter().all(|r| r.actor == "bureau_clerk:clerk"));
    w.clock.advance_days(1);
    assert_eq!(
        w.app.find_person(&w.clerk, HOLDER_ID).unwrap().id,
        person.id
    );
}

// Issue 13, finding 3: the masked forms at rest (audit details, idempotent answers,
// certificate summaries) are today's, and what was stored in the old form is shown in
// today's when it is rendered again.
fn stored_details_and_replayed_answers_carry_the_new_mask(w: World) {
    let request = NewPerson {
        citizen_id: HOLDER_ID.into(),
        name: "李明".into(),
        nationality: "CHN".into(),
        household_region: "330106".into(),
        household_kind: "urban".into(),
        phone: None,
    };
    let key = w.key();
    let first = w
        .app
        .register_person(&w.clerk, &key, request.clone())
        .unwrap();
    let replay = w
        .app
        .register_person(&w.clerk, &key, request.clone())
        .unwrap();
    assert_eq!(first, replay);
    assert_eq!(first.citizen_id, "33****************");
    assert_eq!(first.birth_date, "199*-**-**");
    let trail = w.audit_of("person.register", 10);
    assert_eq!(trail[0].detail, "{\"citizen_id\":\"33****************\"}");
    // An answer stored before the change, in the old form, replays in the new one.
    let old_key = w.key();
    let body = serde_json::to_string(&NewPerson {
        citizen_id: OTHER_ID.into(),
        ..request.clone()
    })
    .unwrap();
    let fingerprint = w
        .app
        .vault()
        .fingerprint(&format!("person.register\n\n{body}"));
    let mut old_answer = json(&first);
    old_answer["citizen_id"] = "3101**********3523".into();
    old_answer["birth_date"] = "1985-06-15".into();
    w.save_answer(&old_key, fingerprint, old_answer);
    let replayed = w
        .app
        .register_person(
            &w.clerk,
            &old_key,
            NewPerson {
                citizen_id: OTHER_ID.into(),
                ..request
            },
        )
        .unwrap();
    assert_eq!(replayed.citizen_id, "31****************");
    // An audit record written in the old form is listed in the new one, and still verifies.
    let event = AuditEvent {
        at: START,
        actor: "bureau_clerk:clerk".into(),
        action: "person.register".into(),
        subject: "person:old".into(),
        outcome: "ok".into(),
        detail: "{\"citizen_id\":\"3301**********1236\"}".into(),
    };
    w.app
        .store()
        .write(move |tx| tx.append_audit(&event).map(|_| ()))
        .unwrap();
    let listed = w.audit_records(AuditFilter {
        subject: Some("person:old".into()),
        limit: 10,
        ..Default::default()
    });
    assert_eq!(listed[0].detail, "{\"citizen_id\":\"33****************\"}");
    assert!(w.app.verify_audit(&w.auditor).unwrap().intact);
    // A certificate summary stored in the old form is verified in the new one.
    let summary = serde_json::json!({
        "code": "SB-OLD1-0000", "issued_at": "2026-01-01T00:00:00Z", "holder": "李*",
        "citizen_id": "3301**********1236", "months_paid": 1, "pension_total_fen": 1,
        "medical_total_fen": 1
    })
    .to_string();
    let certificate = CertificateRecord {
        code: "SB-OLD1-0000".into(),
        person_id: shebao_domain::ids::PersonId::new(&first.id),
        digest: "0".repeat(64),
        content_cipher: w.app.vault().seal("certificate.content", "{}").unwrap(),
        summary,
        issued_at: START,
        document_cipher: None,
    };
    w.app
        .store()
        .write(move |tx| tx.insert_certificate(&certificate))
        .unwrap();
    let verified = w.app.verify_certificate("SB-OLD1-0000", None).unwrap();
    assert_eq!(verified.summary.unwrap().citizen_id, "33****************");
}

// Issue 13, finding 3: the person themself sees their full birth date; an unmasked view
// shows everything; every other masked view only the decade.
fn the_full_birth_date_is_the_persons_own_or_an_unmasked_views(w: World) {
    let person = w.register(HOLDER_ID);
    let holder = w.holder_login("holder", &person.id);
    let own = w.app.person(&holder, &person.id).unwrap();
    assert_eq!(
        (own.birth_date.as_str(), own.citizen_id.as_str()),
        ("1990-03-07", "33****************")
    );
    let masked = w.app.person(&w.clerk, &person.id).unwrap();
    assert_eq!(masked.birth_date, "199*-**-**");
    let clear = w
        .app
        .unmask_person(&w.clerk, &person.id, "counter identity check")
        .unwrap();
    assert_eq!(
        (clear.birth_date.as_str(), clear.citizen_id.as_str()),
        ("1990-03-07", HOLDER_ID)
    );
}

// Issue 13, finding 3: a declaration is a look-up of many typed numbers at once; it must
// not tell an employer which of them belong to someone registered.
fn a_declaration_does_not_tell_an_employer_who_is_registered(w: World) {
    let firm = w.employer("91350100M000100Y43", "330100");
    w.register(OTHER_ID);
    let staff = w.employer_user("firm-hr", &firm);
    let row = |citizen_id: &str| shebao_app::insurance::declarations::DeclarationRow {
        citizen_id: citizen_id.into(),
        month: "2026-01".into(),
        wage_fen: 500_000,
    };
    let rows = shebao_app::insurance::declarations::DeclarationRows {
        rows: vec![row(OTHER_ID), row("11010519491231002X")],
    };
    let declared = w.app.declare_rows(&staff, &firm, rows).unwrap();
    let errors = w.app.declaration_errors(&staff, &declared.id).unwrap();
    assert_eq!(
        errors,
        "\"line\",\"citizen_id\",\"code\",\"message\"\n\
         \"1\",\"31****************\",\"not_enrolled\",\"no person with this ID number is insured through this employer in that month\"\n\
         \"2\",\"11****************\",\"not_enrolled\",\"no person with this ID number is insured through this employer in that month\"\n"
    );
}

// Issue 13, finding 3: checking a typed ID number against a card (collection, activation)
// confirms or rules out one candidate each time, so those checks share the per-actor limit
// of look-ups by ID number; the refusal is audited under the operation's own action.
fn identity_checks_at_the_counter_share_the_lookup_limit(mut w: World) {
    let person = w.register(HOLDER_ID);
    let card = w.apply(&person).unwrap();
    w.make_ready(&card);
    // A fresh limit after the registration (itself a look-up by ID number).
    w.app = w
        .app
        .clone()
        .with_lookup_rate("2/3600".parse::<LookupRate>().unwrap());
    for _ in 0..2 {
        let wrong = w.collect(&card, OTHER_ID).unwrap_err();
        assert_eq!(wrong.code(), "identity_mismatch");
    }
    let limited = w.collect(&card, HOLDER_ID).unwrap_err();
    assert_eq!(
        (limited.code(), limited.status()),
        ("too_many_lookups", 429)
    );
    let records = w.audit_trail();
    assert_eq!(
        records
            .iter()
            .filter(|r| r.action == "card.collect" && r.outcome == "refused:too_many_lookups")
            .count(),
        1
    );
    // Another actor is not affected.
    let other_clerk = w.user("clerk-checks", Role::BureauClerk, None, None, None);
    w.app
        .collect_card(
            &other_clerk,
            &w.key(),
            &card.id,
            shebao_app::card::CollectRequest {
                citizen_id: HOLDER_ID.into(),
                social_pin: crate::harness::SOCIAL_PIN.into(),
            },
        )
        .unwrap();
}

// Issue 13, finding 3 (review): a refused pension award does not name the retirement month,
// which follows from the birth month.
fn a_refused_pension_award_does_not_name_the_retirement_month(w: World) {
    let person = w.register(HOLDER_ID);
    let refused = w
        .app
        .award_pension(
            &w.clerk,
            &w.key(),
            &person.id,
            shebao_app::insurance::pensions::AwardRequest {
                category: "male".into(),
            },
        )
        .unwrap_err();
    assert_eq!(refused.code(), "not_retirement_age");
    let text = refused.to_string();
    assert!(!text.chars().any(|c| c.is_ascii_digit()), "{text}");
}

crate::on_both_backends!(
    a_refused_pension_award_does_not_name_the_retirement_month,
    identity_checks_at_the_counter_share_the_lookup_limit,
    a_declaration_does_not_tell_an_employer_who_is_registered,
    every_role_that_has_not_unmasked_is_left_at_least_a_million_candidates,
    every_lookup_by_id_number_is_audited_hit_miss_hidden_or_invalid,
    lookups_by_id_number_are_limited_per_actor,
    stored_details_and_replayed_answers_carry_the_new_mask,
    the_full_birth_date_is_the_persons_own_or_an_unmasked_views,
);
