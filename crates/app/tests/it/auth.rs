//! Sign-in, lockout, sessions and the first administrator.

use shebao_domain::access::Role;

use crate::harness::World;

const PASSWORD: &str = "correct horse battery";

fn failed_sign_ins_lock_the_login_for_a_while(w: World) {
    w.user("alice", Role::BureauClerk, None, None, None);
    for _ in 0..4 {
        assert_eq!(
            w.app
                .sign_in("alice", "wrong password", "api")
                .unwrap_err()
                .code(),
            "unauthenticated"
        );
    }
    assert_eq!(
        w.app
            .sign_in("alice", "wrong password", "api")
            .unwrap_err()
            .code(),
        "sign_in_locked"
    );
    assert_eq!(
        w.app.sign_in("alice", PASSWORD, "api").unwrap_err().code(),
        "sign_in_locked"
    );
    w.clock.advance_days(1);
    let session = w.app.sign_in("alice", PASSWORD, "api").unwrap();
    assert_eq!(
        w.app.authenticate(&session.token).unwrap().username,
        "alice"
    );
    assert_eq!(
        w.app.sign_in("nobody", PASSWORD, "api").unwrap_err().code(),
        "unauthenticated"
    );
}

fn sessions_die_on_sign_out_and_browser_sessions_after_idle_time(w: World) {
    w.user("bob", Role::BureauClerk, None, None, None);
    let api = w.app.sign_in("bob", PASSWORD, "api").unwrap();
    let browser = w.app.sign_in("bob", PASSWORD, "browser").unwrap();
    assert_ne!(api.token, browser.token);
    w.app.sign_out(&api.token).unwrap();
    assert_eq!(
        w.app.authenticate(&api.token).unwrap_err().code(),
        "unauthenticated"
    );
    w.clock.advance_days(1);
    assert_eq!(
        w.app.authenticate(&browser.token).unwrap_err().code(),
        "unauthenticated"
    );
}

fn there_is_one_first_administrator_and_no_default_password(w: World) {
    assert_eq!(
        w.app.init_administrator("second").unwrap_err().code(),
        "conflict"
    );
    let weak = shebao_app::auth::NewUser {
        username: "carol".into(),
        password: "short".into(),
        role: "auditor".into(),
        branch_id: None,
        bank_id: None,
        person_id: None,
        employer_id: None,
        institution_id: None,
    };
    assert_eq!(
        w.app
            .create_user(&w.admin, &w.key(), weak)
            .unwrap_err()
            .code(),
        "invalid_request"
    );
    let teller_without_branch = shebao_app::auth::NewUser {
        username: "dave".into(),
        password: PASSWORD.into(),
        role: "bank_teller".into(),
        branch_id: None,
        bank_id: None,
        person_id: None,
        employer_id: None,
        institution_id: None,
    };
    assert_eq!(
        w.app
            .create_user(&w.admin, &w.key(), teller_without_branch)
            .unwrap_err()
            .code(),
        "invalid_request"
    );
}

fn parallel_wrong_passwords_each_count(w: World) {
    w.user("carol", Role::BureauClerk, None, None, None);
    let outcomes: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let app = w.app.clone();
                scope.spawn(move || {
                    app.sign_in("carol", "wrong password", "api")
                        .unwrap_err()
                        .code()
                        .to_owned()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(
        outcomes.iter().any(|c| c == "sign_in_locked"),
        "{outcomes:?}"
    );
    assert_eq!(
        w.app.sign_in("carol", PASSWORD, "api").unwrap_err().code(),
        "sign_in_locked"
    );
}

fn a_cardholder_signs_in_with_the_id_number(w: World) {
    let person = w.register(crate::harness::HOLDER_ID);
    w.user(
        "holder-login",
        Role::Cardholder,
        None,
        None,
        Some(&person.id),
    );
    let session = w
        .app
        .sign_in(crate::harness::HOLDER_ID, PASSWORD, "browser")
        .unwrap();
    assert_eq!(session.user.username, "holder-login");
    assert_eq!(
        w.app
            .sign_in(crate::harness::HOLDER_ID, "wrong password", "browser")
            .unwrap_err()
            .code(),
        "unauthenticated"
    );
    assert_eq!(
        w.app
            .sign_in(crate::harness::OTHER_ID, PASSWORD, "browser")
            .unwrap_err()
            .code(),
        "unauthenticated"
    );
    let trail = w
        .app
        .audit_records(
            &w.auditor,
            shebao_store::AuditFilter {
                action: Some("session.sign_in".into()),
                limit: 100,
                ..Default::default()
            },
        )
        .unwrap();
    assert!(
        trail
            .iter()
            .all(|r| !r.subject.contains(crate::harness::HOLDER_ID)
                && !r.actor.contains(crate::harness::OTHER_ID))
    );
}

crate::on_both_backends!(
    a_cardholder_signs_in_with_the_id_number,
    parallel_wrong_passwords_each_count,
    failed_sign_ins_lock_the_login_for_a_while,
    sessions_die_on_sign_out_and_browser_sessions_after_idle_time,
    there_is_one_first_administrator_and_no_default_password,
);
