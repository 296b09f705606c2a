//! Review of issue 13: what is stored must not undo the masks of finding 3. Finding 1: a
//! reason a person types (to unmask a person, correct one, identify a patient by ID number,
//! reverse a transfer) goes into the audit trail, which must never hold an ID number in
//! clear. Finding 2: an idempotent answer stored before issue 13 held a person's full birth
//! date, which a replay must show to the decade.

use serde::Serialize;
use shebao_app::medical::Identification;
use shebao_app::person::{NewPerson, PersonCorrection};

use crate::harness::{HOLDER_ID, OTHER_ID, World};

/// A correction of the phone number alone, for `reason`.
fn phone_change(reason: String) -> PersonCorrection {
    PersonCorrection {
        reason,
        citizen_id: None,
        name: None,
        nationality: None,
        household_region: None,
        household_kind: None,
        phone: Some("13800138000".into()),
    }
}

/// The audit details of `action`, newest first.
fn details(w: &World, action: &str) -> Vec<String> {
    w.audit_of(action, 10)
        .into_iter()
        .map(|record| record.detail)
        .collect()
}

// Review of issue 13, finding 1: an ID number typed into a reason lands masked in the trail.
fn an_id_number_in_a_typed_reason_is_masked_in_the_audit_trail(w: World) {
    let person = w.register(HOLDER_ID);
    let lower_x = "11010519491231002x";
    w.app
        .unmask_person(
            &w.clerk,
            &person.id,
            &format!("本人{HOLDER_ID}来柜台核对, 配偶 {lower_x}"),
        )
        .unwrap();
    let unmasked = details(&w, "person.unmask");
    assert_eq!(
        unmasked,
        ["{\"reason\":\"本人33****************来柜台核对, 配偶 11****************\"}"]
    );
    w.app
        .correct_person(
            &w.clerk,
            &w.key(),
            &person.id,
            phone_change(format!("phone changed, asked by {HOLDER_ID}")),
        )
        .unwrap();
    let corrected = details(&w, "person.correct");
    assert_eq!(
        corrected,
        ["{\"fields\":[\"phone\"],\"reason\":\"phone changed, asked by 33****************\"}"]
    );
    // A cashier identifying a patient by ID number states why; the reason is masked too.
    let (cashier, _) = crate::medical::set_up(&w);
    let _answer = w.app.query_insured(
        &cashier,
        Identification::CitizenId {
            citizen_id: HOLDER_ID.into(),
            reason: format!("chip unreadable, {HOLDER_ID}"),
        },
    );
    let queried = details(&w, "medical.person_query");
    assert_eq!(queried.len(), 1);
    assert!(
        queried[0].contains("\"reason\":\"chip unreadable, 33****************\""),
        "{queried:?}"
    );
    for detail in unmasked.iter().chain(&corrected).chain(&queried) {
        assert!(
            !detail.contains(HOLDER_ID) && !detail.contains(lower_x),
            "{detail}"
        );
    }
}

/// Stores `answer` under `key` as an answer to `action` on `target` with `request`, as it
/// was stored before issue 13.
fn plant(
    w: &World,
    key: &str,
    (action, target): (&str, &str),
    request: &impl Serialize,
    answer: serde_json::Value,
) {
    let body = serde_json::to_string(request).unwrap();
    let fingerprint = w
        .app
        .vault()
        .fingerprint(&format!("{action}\n{target}\n{body}"));
    w.save_answer(key, fingerprint, answer);
}

// Review of issue 13, finding 2: a registration or correction answered before issue 13 held
// the full birth date beside the masked ID number; replayed, it shows the decade.
fn a_replayed_answer_from_before_issue_13_shows_the_birth_decade(w: World) {
    let person = w.register(HOLDER_ID);
    assert_eq!(person.birth_date, "199*-**-**");
    let old_view = |citizen_id: &str, birth_date: &str, unmasked: bool| {
        let mut view = serde_json::to_value(&person).unwrap();
        view["citizen_id"] = citizen_id.into();
        view["birth_date"] = birth_date.into();
        view["unmasked"] = unmasked.into();
        view
    };
    let registration = NewPerson {
        citizen_id: OTHER_ID.into(),
        name: "王芳".into(),
        nationality: "CHN".into(),
        household_region: "310104".into(),
        household_kind: "urban".into(),
        phone: None,
    };
    let key = w.key();
    let old = old_view("3101**********3523", "1985-06-15", false);
    plant(&w, &key, ("person.register", ""), &registration, old);
    let replayed = w
        .app
        .register_person(&w.clerk, &key, registration.clone())
        .unwrap();
    assert_eq!(
        (replayed.citizen_id.as_str(), replayed.birth_date.as_str()),
        ("31****************", "198*-**-**")
    );
    let correction = phone_change("phone changed".into());
    let key = w.key();
    let old = old_view("3301**********1236", "1990-03-07", false);
    let target = format!("person:{}", person.id);
    plant(
        &w,
        &key,
        ("person.correct", target.as_str()),
        &correction,
        old,
    );
    let replayed = w
        .app
        .correct_person(&w.clerk, &key, &person.id, correction)
        .unwrap();
    assert_eq!(
        (replayed.citizen_id.as_str(), replayed.birth_date.as_str()),
        ("33****************", "199*-**-**")
    );
    // An unmasked view was stored in clear on purpose and replays as it was.
    let key = w.key();
    let clear = NewPerson {
        citizen_id: HOLDER_ID.into(),
        ..registration
    };
    plant(
        &w,
        &key,
        ("person.register", ""),
        &clear,
        old_view(HOLDER_ID, "1990-03-07", true),
    );
    let replayed = w.app.register_person(&w.clerk, &key, clear).unwrap();
    assert_eq!(
        (replayed.citizen_id.as_str(), replayed.birth_date.as_str()),
        (HOLDER_ID, "1990-03-07")
    );
}

crate::on_both_backends!(
    an_id_number_in_a_typed_reason_is_masked_in_the_audit_trail,
    a_replayed_answer_from_before_issue_13_shows_the_birth_decade,
);
