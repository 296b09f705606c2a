//! Holder logins (issue 13, finding 6): never made by an administrator, one per person, made
//! by the holder's own enrolment or at a bureau window, every one audited naming the person.

use std::net::{IpAddr, Ipv4Addr};

use shebao_app::AppError;
use shebao_app::access::auth::NewUser;
use shebao_app::access::holder_logins::{LoginReset, SelfEnrolment, WindowEnrolment};
use shebao_app::views::CardView;
use shebao_domain::access::{Role, Scope};
use shebao_domain::ids::{PersonId, UserId};
use shebao_store::{AuditFilter, UserRecord};

use crate::harness::{HOLDER_ID, OTHER_ID, SOCIAL_PIN, START, World, staff};

const PASSWORD: &str = "my own long password";
const HERE: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));

fn trail(w: &World, action: &str, subject: &str) -> Vec<(String, String)> {
    w.audit_records(AuditFilter {
        action: Some(action.into()),
        subject: Some(subject.into()),
        limit: 100,
        ..Default::default()
    })
    .into_iter()
    .map(|r| (r.outcome, r.detail))
    .collect()
}

/// The holder login stored for `person`, straight from the store.
fn stored_login(w: &World, person: &str) -> Option<UserRecord> {
    let id = PersonId::new(person);
    w.app
        .store()
        .read(move |tx| tx.cardholder_login(&id))
        .unwrap()
}

fn enrolment(card: &CardView, citizen_id: &str, pin: &str) -> SelfEnrolment {
    SelfEnrolment {
        citizen_id: citizen_id.into(),
        card_number: card.card_number.clone(),
        identification_code: card.identification_code.clone(),
        social_pin: pin.into(),
        username: "li-ming".into(),
        password: PASSWORD.into(),
    }
}

fn seen(error: AppError) -> (String, u16, String) {
    (error.code().to_owned(), error.status(), error.to_string())
}

// Issue 13, finding 6: the administrator made a second login for a person and read the
// person's data through it. Now no login made by an administrator is a holder login or is
// bound to a person, and the refusal is audited naming the person.
fn an_administrator_cannot_make_a_holder_login_nor_bind_a_login_to_a_person(w: World) {
    let person = w.register(HOLDER_ID);
    for role in ["cardholder", "auditor", "bureau_clerk"] {
        let request = NewUser {
            person_id: Some(person.id.clone()),
            ..staff(&format!("impostor-{role}"), role)
        };
        let error = w.app.create_user(&w.admin, &w.key(), request).unwrap_err();
        assert_eq!(error.code(), "holder_login_by_enrolment", "{role}");
        assert_eq!(error.status(), 403);
    }
    let without_person = staff("impostor", "cardholder");
    assert_eq!(
        w.app
            .create_user(&w.admin, &w.key(), without_person)
            .unwrap_err()
            .code(),
        "holder_login_by_enrolment"
    );
    let denied = trail(&w, "user.create", &format!("person:{}", person.id));
    assert_eq!(denied.len(), 3, "{denied:?}");
    assert!(denied.iter().all(|(outcome, _)| outcome == "denied"));
    assert!(stored_login(&w, &person.id).is_none());
}

// Issue 13, finding 6: at most one holder login per person, whichever way it is asked for,
// and the database itself holds to it.
fn a_person_has_at_most_one_holder_login(w: World) {
    let (person, card) = w.collected_card(HOLDER_ID);
    let open = |username: &str| {
        w.app.open_holder_login(
            &w.clerk,
            &w.key(),
            &person.id,
            WindowEnrolment {
                username: username.into(),
                original_id_checked: true,
            },
        )
    };
    open("first-login").unwrap();
    assert_eq!(
        open("second-login").unwrap_err().code(),
        "holder_login_exists"
    );
    assert_eq!(
        w.app
            .enrol_holder_login(enrolment(&card, HOLDER_ID, SOCIAL_PIN))
            .unwrap_err()
            .code(),
        "holder_login_exists"
    );
    let second = UserRecord {
        id: UserId::new("usr-second"),
        username: "second-by-sql".into(),
        password_hash: "x".into(),
        role: Role::Cardholder,
        scope: Scope {
            person_id: Some(PersonId::new(&person.id)),
            ..Scope::default()
        },
        failed_logins: 0,
        locked_until: None,
        created_at: START,
    };
    let refused = w.app.store().write(move |tx| tx.insert_user(&second));
    assert!(
        matches!(refused, Err(shebao_store::StoreError::Conflict { .. })),
        "{refused:?}"
    );
}

// Issue 13, finding 6: a holder enrols themselves with the ID number and their collected
// card's number, identification code and social PIN. Each wrong part answers the same; a
// wrong PIN counts toward the card's PIN lock; the right data work once.
fn self_enrolment_works_once_with_the_card_and_answers_alike_for_each_wrong_part(w: World) {
    let (person, card) = w.collected_card(HOLDER_ID);
    let (_, other_card) = w.collected_card(OTHER_ID);
    let unknown_person = "110101200001010010";
    let wrong_parts = [
        enrolment(&card, unknown_person, SOCIAL_PIN),
        enrolment(&other_card, HOLDER_ID, SOCIAL_PIN),
        SelfEnrolment {
            identification_code: other_card.identification_code.clone(),
            ..enrolment(&card, HOLDER_ID, SOCIAL_PIN)
        },
        enrolment(&card, HOLDER_ID, "000000"),
    ];
    let answers: Vec<_> = wrong_parts
        .into_iter()
        .map(|request| seen(w.app.enrol_holder_login(request).unwrap_err()))
        .collect();
    assert!(answers.iter().all(|a| a == &answers[0]), "{answers:?}");
    assert_eq!(answers[0].0, "holder_enrolment_refused");
    assert_eq!(answers[0].1, 422);
    // The wrong PIN counted: the region allows 6 tries, the sixth wrong one locks.
    for _ in 0..5 {
        w.app
            .enrol_holder_login(enrolment(&card, HOLDER_ID, "000000"))
            .unwrap_err();
    }
    let locked = w.app.card(&w.clerk, &card.id).unwrap();
    assert!(locked.social_pin_locked);
    assert_eq!(
        seen(
            w.app
                .enrol_holder_login(enrolment(&card, HOLDER_ID, SOCIAL_PIN))
                .unwrap_err()
        ),
        answers[0]
    );
    w.app
        .unlock_social_pin(&w.clerk, &w.key(), &card.id)
        .unwrap();
    let user = w
        .app
        .enrol_holder_login(enrolment(&card, HOLDER_ID, SOCIAL_PIN))
        .unwrap();
    assert_eq!(user.role, "cardholder");
    assert_eq!(user.person_id.as_deref(), Some(person.id.as_str()));
    let session = w.app.sign_in(HOLDER_ID, PASSWORD, "browser", HERE).unwrap();
    assert_eq!(session.user.username, "li-ming");
    assert_eq!(
        w.app
            .enrol_holder_login(SelfEnrolment {
                username: "li-ming-2".into(),
                ..enrolment(&card, HOLDER_ID, SOCIAL_PIN)
            })
            .unwrap_err()
            .code(),
        "holder_login_exists"
    );
    let records = trail(&w, "user.enrol_holder", &format!("person:{}", person.id));
    let outcomes: Vec<&str> = records.iter().map(|(o, _)| o.as_str()).collect();
    assert!(outcomes.contains(&"ok"), "{outcomes:?}");
    assert!(outcomes.contains(&"refused:holder_enrolment_refused"));
    assert!(outcomes.contains(&"refused:holder_login_exists"));
    let unknown = trail(&w, "user.enrol_holder", "person:-");
    assert_eq!(unknown.len(), 1);
}

// Issue 13, finding 6: a card not yet collected proves nothing.
fn a_card_not_yet_collected_cannot_enrol(w: World) {
    let person = w.register(HOLDER_ID);
    let card = w.apply(&person).unwrap();
    assert_eq!(
        w.app
            .enrol_holder_login(enrolment(&card, HOLDER_ID, SOCIAL_PIN))
            .unwrap_err()
            .code(),
        "holder_enrolment_refused"
    );
}

// Issue 13, finding 6: at the window a clerk who checked the original ID opens the login
// and resets its password, each with a one-time password shown once, each audited naming
// the person; a reset ends the holder's sessions.
fn a_clerk_opens_and_resets_a_holder_login_audited_naming_the_person(w: World) {
    let person = w.register(HOLDER_ID);
    let unchecked = w.app.open_holder_login(
        &w.clerk,
        &w.key(),
        &person.id,
        WindowEnrolment {
            username: "li-ming".into(),
            original_id_checked: false,
        },
    );
    assert_eq!(unchecked.unwrap_err().code(), "invalid_request");
    let key = w.key();
    let request = WindowEnrolment {
        username: "li-ming".into(),
        original_id_checked: true,
    };
    let opened = w
        .app
        .open_holder_login(&w.clerk, &key, &person.id, request.clone())
        .unwrap();
    assert_eq!(opened.one_time_password.len(), 20);
    // The same request again is not shown the password again.
    assert_eq!(
        w.app
            .open_holder_login(&w.clerk, &key, &person.id, request)
            .unwrap_err()
            .code(),
        "one_time_password_shown"
    );
    let session = w
        .app
        .sign_in(HOLDER_ID, &opened.one_time_password, "browser", HERE)
        .unwrap();
    let reset = w
        .app
        .reset_holder_login(
            &w.clerk,
            &w.key(),
            &person.id,
            LoginReset {
                original_id_checked: true,
            },
        )
        .unwrap();
    assert_ne!(reset.one_time_password, opened.one_time_password);
    assert_eq!(
        w.app.authenticate(&session.token).unwrap_err().code(),
        "unauthenticated"
    );
    assert_eq!(
        w.app
            .sign_in("li-ming", &opened.one_time_password, "api", HERE)
            .unwrap_err()
            .code(),
        "unauthenticated"
    );
    w.app
        .sign_in("li-ming", &reset.one_time_password, "api", HERE)
        .unwrap();
    let subject = format!("person:{}", person.id);
    assert_eq!(trail(&w, "user.open_holder_login", &subject).len(), 1);
    assert_eq!(trail(&w, "user.reset_holder_login", &subject).len(), 1);
    assert_eq!(
        w.app
            .reset_holder_login(
                &w.admin,
                &w.key(),
                &person.id,
                LoginReset {
                    original_id_checked: true,
                },
            )
            .unwrap_err()
            .code(),
        "forbidden"
    );
}

// Review of issue 13: a self-enrolment refused because the chosen username is taken left no
// audit record (the refusal rolled back with everything else). Now it is recorded naming the
// person, creates nothing, and answers as before.
fn a_self_enrolment_refused_for_a_taken_username_is_audited_and_creates_nothing(w: World) {
    let (person, card) = w.collected_card(HOLDER_ID);
    let (other, _) = w.collected_card(OTHER_ID);
    w.app
        .open_holder_login(
            &w.clerk,
            &w.key(),
            &other.id,
            WindowEnrolment {
                username: "li-ming".into(),
                original_id_checked: true,
            },
        )
        .unwrap();
    let subject = format!("person:{}", person.id);
    let refused = w
        .app
        .enrol_holder_login(enrolment(&card, HOLDER_ID, SOCIAL_PIN))
        .unwrap_err();
    assert_eq!(
        seen(refused),
        (
            "conflict".to_owned(),
            409,
            "conflict: username li-ming is taken".to_owned()
        )
    );
    assert_eq!(
        trail(&w, "user.enrol_holder", &subject),
        vec![(
            "refused:conflict".to_owned(),
            "{\"failed\":\"username_taken\"}".to_owned()
        )]
    );
    let login = stored_login(&w, &person.id);
    assert!(login.is_none(), "{login:?}");
    // Another username works, once, and is recorded as well.
    w.app
        .enrol_holder_login(SelfEnrolment {
            username: "li-ming-2".into(),
            ..enrolment(&card, HOLDER_ID, SOCIAL_PIN)
        })
        .unwrap();
    let outcomes: Vec<String> = trail(&w, "user.enrol_holder", &subject)
        .into_iter()
        .map(|(outcome, _)| outcome)
        .collect();
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    assert!(outcomes.contains(&"ok".to_owned()), "{outcomes:?}");
}

crate::on_both_backends!(
    an_administrator_cannot_make_a_holder_login_nor_bind_a_login_to_a_person,
    a_person_has_at_most_one_holder_login,
    self_enrolment_works_once_with_the_card_and_answers_alike_for_each_wrong_part,
    a_card_not_yet_collected_cannot_enrol,
    a_clerk_opens_and_resets_a_holder_login_audited_naming_the_person,
    a_self_enrolment_refused_for_a_taken_username_is_audited_and_creates_nothing,
);
