//! The person registry: ID numbers validated, encrypted, found by blind index, masked.

use shebao_app::person::{NewPerson, PersonCorrection};

use crate::harness::{HOLDER_ID, World, code};

fn new_person(citizen_id: &str) -> NewPerson {
    NewPerson {
        citizen_id: citizen_id.into(),
        name: "李明".into(),
        nationality: "chn".into(),
        household_region: "330106".into(),
        household_kind: "rural".into(),
        phone: None,
    }
}

fn a_person_registers_once_with_gender_and_birth_date_from_the_number(w: World) {
    let person = w
        .app
        .register_person(&w.clerk, &w.key(), new_person("3301061990030712"))
        .err();
    assert_eq!(person.map(code).as_deref(), Some("invalid_length"));
    let legacy = w
        .app
        .register_person(&w.clerk, &w.key(), new_person("110105491231002"))
        .unwrap();
    assert_eq!(
        (legacy.gender.as_str(), legacy.birth_date.as_str()),
        ("female", "194*-**-**")
    );
    assert_eq!(legacy.citizen_id, "11****************");
    assert_eq!(legacy.name, "李*");
    assert_eq!(legacy.nationality, "CHN");
    let twice = w
        .app
        .register_person(&w.clerk, &w.key(), new_person("11010519491231002x"));
    assert_eq!(code(twice.unwrap_err()), "conflict");
    for (bad, expected) in [
        ("110105194912310021", "check_character_mismatch"),
        ("11010519491331002X", "invalid_birth_date"),
        ("110105203012310025", "birth_date_in_future"),
        ("1101A5194912310021", "invalid_character"),
    ] {
        assert_eq!(
            code(
                w.app
                    .register_person(&w.clerk, &w.key(), new_person(bad))
                    .unwrap_err()
            ),
            expected,
            "{bad}"
        );
    }
}

fn a_person_is_found_by_id_number_and_unmasked_only_with_a_reason(w: World) {
    let person = w.register(HOLDER_ID);
    let found = w.app.find_person(&w.clerk, HOLDER_ID).unwrap();
    assert_eq!(found.id, person.id);
    assert!(!found.unmasked);
    assert_eq!(
        code(w.app.unmask_person(&w.clerk, &person.id, "").unwrap_err()),
        "invalid_request"
    );
    let clear = w
        .app
        .unmask_person(&w.clerk, &person.id, "counter identity check")
        .unwrap();
    assert_eq!(
        (
            clear.citizen_id.as_str(),
            clear.name.as_str(),
            clear.unmasked
        ),
        (HOLDER_ID, "李明", true)
    );
    assert_eq!(
        code(
            w.app
                .unmask_person(&w.teller, &person.id, "curious teller")
                .unwrap_err()
        ),
        "forbidden"
    );
    let trail = w.audit_of("person.unmask", 10);
    assert_eq!(trail.len(), 1);
    assert!(trail[0].detail.contains("counter identity check"));
    assert!(!trail[0].detail.contains(HOLDER_ID));
    let holder = w.holder_login("holder", &person.id);
    assert_eq!(
        w.app.person(&holder, &person.id).unwrap().citizen_id,
        "33****************"
    );
}

fn a_correction_is_audited_and_rederives_gender_and_birth_date(w: World) {
    let person = w.register(HOLDER_ID);
    let correction = PersonCorrection {
        reason: "typo at registration".into(),
        citizen_id: Some("310104198506153523".into()),
        name: Some("李明明".into()),
        nationality: None,
        household_region: None,
        household_kind: None,
        phone: None,
    };
    let corrected = w
        .app
        .correct_person(&w.clerk, &w.key(), &person.id, correction)
        .unwrap();
    assert_eq!(
        (
            corrected.gender.as_str(),
            corrected.birth_date.as_str(),
            corrected.version
        ),
        ("female", "198*-**-**", 1)
    );
    assert_eq!(
        w.app
            .find_person(&w.clerk, "310104198506153523")
            .unwrap()
            .id,
        person.id
    );
    assert_eq!(
        code(w.app.find_person(&w.clerk, HOLDER_ID).unwrap_err()),
        "not_found"
    );
    let trail = w.audit_of("person.correct", 10);
    assert!(
        trail[0].detail.contains("citizen_id") && trail[0].detail.contains("typo at registration")
    );
}

crate::on_both_backends!(
    a_person_registers_once_with_gender_and_birth_date_from_the_number,
    a_person_is_found_by_id_number_and_unmasked_only_with_a_reason,
    a_correction_is_audited_and_rederives_gender_and_birth_date,
);
