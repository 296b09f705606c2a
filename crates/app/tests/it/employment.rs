//! Employment services through the use cases: the job board's review and search, and job
//! seeking — applications masked until shared, outcomes, the hire that fills a vacancy, and
//! the job-seeker profile.

use shebao_app::employment::seeking::{
    ApplicantAction, ApplicationOutcome, JobProfileBody, NewApplication,
};
use shebao_app::employment::{NewVacancy, VacancyQuery, VacancyReview};
use shebao_app::{Actor, AppError};

use crate::harness::{HOLDER_ID, OTHER_ID, World, code};

fn vacancy(title: &str, openings: u32, closing: &str) -> NewVacancy {
    NewVacancy {
        title: title.into(),
        occupation: "2-06-01-01".into(),
        place: "330106".into(),
        wage_min_fen: 800_000,
        wage_max_fen: 1_200_000,
        requirements: "三年以上会计经验, Excel".into(),
        openings,
        closing: closing.into(),
    }
}

fn review(decision: &str, note: Option<&str>) -> VacancyReview {
    VacancyReview {
        decision: decision.into(),
        note: note.map(Into::into),
    }
}

fn search(w: &World, actor: &Actor, q: &str) -> Vec<String> {
    let query = VacancyQuery {
        q: Some(q.into()),
        ..VacancyQuery::default()
    };
    let found = w.app.search_vacancies(actor, &query).unwrap();
    found.into_iter().map(|v| v.id).collect()
}

/// An employer and its staff, a holder and their login.
struct Board {
    employer: String,
    hr: Actor,
    holder: Actor,
    person: String,
}

fn board(w: &World) -> Board {
    let employer = w.employer("91350100M000100Y43", "330100");
    let hr = w.employer_user("firm-hr", &employer);
    let person = w.register(HOLDER_ID).id;
    let holder = w.holder_login("seeker", &person);
    Board {
        employer,
        hr,
        holder,
        person,
    }
}

fn a_vacancy_shows_once_the_bureau_approves_it_and_is_found_by_its_words(w: World) {
    let b = board(&w);
    let posted = w
        .app
        .post_vacancy(
            &b.hr,
            &w.key(),
            &b.employer,
            vacancy("财务会计主管", 2, "2026-04-30"),
        )
        .unwrap();
    assert_eq!(posted.status, "pending");
    assert!(
        search(&w, &b.holder, "会计").is_empty(),
        "not before review"
    );
    // A holder may not read a pending vacancy: it is missing to them.
    assert_eq!(
        code(w.app.vacancy(&b.holder, &posted.id).unwrap_err()),
        "not_found"
    );
    let queue = w.app.vacancies_to_review(&w.clerk).unwrap();
    assert_eq!(
        queue.iter().map(|v| &v.id).collect::<Vec<_>>(),
        [&posted.id]
    );
    let unexplained = w
        .app
        .review_vacancy(&w.clerk, &w.key(), &posted.id, review("reject", None));
    assert_eq!(code(unexplained.unwrap_err()), "invalid_request");
    let approved = w
        .app
        .review_vacancy(&w.clerk, &w.key(), &posted.id, review("approve", None))
        .unwrap();
    assert_eq!(approved.status, "published");
    let twice = w
        .app
        .review_vacancy(&w.clerk, &w.key(), &posted.id, review("approve", None));
    assert_eq!(code(twice.unwrap_err()), "wrong_state");
    for words in ["会计", "财务会计", "excel", "会计 EXCEL"] {
        assert_eq!(
            search(&w, &b.holder, words),
            std::slice::from_ref(&posted.id),
            "{words}"
        );
    }
    assert!(search(&w, &b.holder, "司机").is_empty());
    let elsewhere = VacancyQuery {
        place: Some("4403".into()),
        ..VacancyQuery::default()
    };
    assert!(
        w.app
            .search_vacancies(&b.hr, &elsewhere)
            .unwrap()
            .is_empty()
    );
    let too_long = VacancyQuery {
        q: Some("字".repeat(51)),
        ..VacancyQuery::default()
    };
    assert_eq!(
        code(w.app.search_vacancies(&w.clerk, &too_long).unwrap_err()),
        "invalid_request"
    );

    // Another employer neither posts for this one nor closes its vacancy, and cannot tell
    // whether the vacancy exists.
    let other = w.employer("91440300708461136T", "330100");
    let outsider = w.employer_user("other-hr", &other);
    let refused = w.app.post_vacancy(
        &outsider,
        &w.key(),
        &b.employer,
        vacancy("x", 1, "2026-04-30"),
    );
    assert_eq!(code(refused.unwrap_err()), "not_found");
    let closing = w.app.close_vacancy(&outsider, &w.key(), &posted.id);
    assert_eq!(code(closing.unwrap_err()), "not_found");
    assert_eq!(
        w.app.employer_vacancies(&b.hr, &b.employer).unwrap().len(),
        1
    );

    // A closing date past the region's today (UTC+8) ends the search's finding it: at
    // 2026-04-30T16:00Z it is already 2026-05-01 in Hangzhou.
    w.clock
        .set(shebao_domain::time::Timestamp::from_unix_seconds(
            1_777_564_800 + 16 * 3_600,
        ));
    assert!(
        search(&w, &b.holder, "会计").is_empty(),
        "closed in its region"
    );
    let late = w
        .app
        .apply_for_job(&b.holder, &w.key(), &posted.id, NewApplication::default());
    assert_eq!(code(late.unwrap_err()), "wrong_state");

    // Bad terms are refused field by field, and nothing is kept.
    let bad = w.app.post_vacancy(
        &b.hr,
        &w.key(),
        &b.employer,
        NewVacancy {
            occupation: "9-99".into(),
            ..vacancy("出纳", 1, "2026-06-30")
        },
    );
    let AppError::Invalid { field, .. } = bad.unwrap_err() else {
        panic!("an invalid field")
    };
    assert_eq!(field, "occupation");
    assert_eq!(
        w.app.employer_vacancies(&b.hr, &b.employer).unwrap().len(),
        1
    );
}

fn an_applicant_is_masked_until_they_share_and_the_last_hire_fills_the_vacancy(w: World) {
    let b = board(&w);
    let posted = w
        .app
        .post_vacancy(
            &b.hr,
            &w.key(),
            &b.employer,
            vacancy("出纳", 1, "2026-04-30"),
        )
        .unwrap();
    w.app
        .review_vacancy(&w.clerk, &w.key(), &posted.id, review("approve", None))
        .unwrap();
    w.app
        .keep_job_profile(
            &b.holder,
            &w.key(),
            &b.person,
            JobProfileBody {
                skills: "出纳, 会计电算化".into(),
                wanted_occupation: Some("2-06-01-02".into()),
                wanted_place: None,
                available_from: "2026-03-16".into(),
            },
        )
        .unwrap();
    let application = w
        .app
        .apply_for_job(
            &b.holder,
            &w.key(),
            &posted.id,
            NewApplication {
                cover_note: "可立即到岗".into(),
                share: false,
            },
        )
        .unwrap();
    assert_eq!(
        (application.status.as_str(), application.shared),
        ("applied", false)
    );
    let again = w
        .app
        .apply_for_job(&b.holder, &w.key(), &posted.id, NewApplication::default());
    assert_eq!(code(again.unwrap_err()), "conflict");

    let before = w.audit_of("vacancy.applicants", 10).len();
    let masked = w.app.applicants(&b.hr, &posted.id).unwrap();
    assert_eq!(masked.len(), 1);
    let seen = &masked[0];
    assert_eq!(seen.person_id, None, "nothing that finds the person");
    assert_eq!(seen.phone, None);
    assert!(seen.name.contains('*'), "{}", seen.name);
    assert_eq!(seen.skills.as_deref(), Some("出纳, 会计电算化"));
    assert_eq!(seen.cover_note, "可立即到岗");
    assert_eq!(
        w.audit_of("vacancy.applicants", 10).len(),
        before + 1,
        "each read of applicants is audited"
    );
    // The bureau sees the person's id, never the name in clear.
    let bureau = w.app.applicants(&w.clerk, &posted.id).unwrap();
    assert_eq!(bureau[0].person_id.as_deref(), Some(b.person.as_str()));
    assert!(bureau[0].name.contains('*'));

    w.app
        .change_application(&b.holder, &w.key(), &application.id, ApplicantAction::Share)
        .unwrap();
    let shared = w.app.applicants(&b.hr, &posted.id).unwrap();
    assert_eq!(shared[0].person_id.as_deref(), Some(b.person.as_str()));
    // The trail says which applicants the employer saw by name, and the bureau by person id.
    let reads = w.audit_of("vacancy.applicants", 10);
    let details: Vec<&str> = reads.iter().map(|r| r.detail.as_str()).collect();
    assert!(
        details.iter().any(|d| d.contains(&application.id)),
        "{details:?}"
    );
    assert!(details.iter().any(|d| d.contains(&b.person)), "{details:?}");
    assert!(!shared[0].name.contains('*'), "{}", shared[0].name);

    // Another holder neither sees nor changes the application; another employer does not
    // see the applicants.
    let other_person = w.register(OTHER_ID).id;
    let other_holder = w.holder_login("other", &other_person);
    let meddling = w.app.change_application(
        &other_holder,
        &w.key(),
        &application.id,
        ApplicantAction::Withdraw,
    );
    assert_eq!(code(meddling.unwrap_err()), "not_found");
    let other = w.employer("91440300708461136T", "330100");
    let outsider = w.employer_user("other-hr", &other);
    assert_eq!(
        code(w.app.applicants(&outsider, &posted.id).unwrap_err()),
        "not_found"
    );
    let outcome = |actor: &Actor, outcome: &str| {
        w.app.record_application_outcome(
            actor,
            &w.key(),
            &application.id,
            ApplicationOutcome {
                outcome: outcome.into(),
            },
        )
    };
    assert_eq!(code(outcome(&outsider, "hired").unwrap_err()), "not_found");

    assert_eq!(outcome(&b.hr, "interviewed").unwrap().status, "interviewed");
    assert_eq!(outcome(&b.hr, "hired").unwrap().status, "hired");
    assert_eq!(
        code(outcome(&b.hr, "not_hired").unwrap_err()),
        "wrong_state"
    );
    // The one opening is filled: the vacancy closed, and it is found no more.
    let filled = w.app.vacancy(&b.hr, &posted.id).unwrap();
    assert_eq!(filled.status, "closed");
    assert!(search(&w, &other_holder, "出纳").is_empty());
    let late = w.app.apply_for_job(
        &other_holder,
        &w.key(),
        &posted.id,
        NewApplication::default(),
    );
    // It was public: it says it is closed (a vacancy never published is missing instead).
    assert_eq!(code(late.unwrap_err()), "wrong_state");
    let withdrawn = w.app.change_application(
        &b.holder,
        &w.key(),
        &application.id,
        ApplicantAction::Withdraw,
    );
    assert_eq!(code(withdrawn.unwrap_err()), "wrong_state");
    let mine = w.app.my_applications(&b.holder, &b.person).unwrap();
    assert_eq!(
        (
            mine.len(),
            mine[0].status.as_str(),
            mine[0].vacancy_title.as_str()
        ),
        (1, "hired", "出纳")
    );
    assert_eq!(
        code(w.app.my_applications(&other_holder, &b.person).unwrap_err()),
        "not_found"
    );
}

fn a_job_seeker_keeps_one_profile_and_only_they_read_it(w: World) {
    let b = board(&w);
    assert_eq!(
        code(w.app.job_profile(&b.holder, &b.person).unwrap_err()),
        "not_found"
    );
    let body = |skills: &str, occupation: &str| JobProfileBody {
        skills: skills.into(),
        wanted_occupation: Some(occupation.into()),
        wanted_place: Some("330106".into()),
        available_from: "2026-04-01".into(),
    };
    w.app
        .keep_job_profile(&b.holder, &w.key(), &b.person, body("驾驶", "4-02-01-01"))
        .unwrap();
    w.app
        .keep_job_profile(
            &b.holder,
            &w.key(),
            &b.person,
            body("驾驶, 维修", "4-02-01-01"),
        )
        .unwrap();
    assert_eq!(
        w.app.job_profile(&b.holder, &b.person).unwrap().skills,
        "驾驶, 维修"
    );
    let bad = w
        .app
        .keep_job_profile(&b.holder, &w.key(), &b.person, body("驾驶", "12-3"));
    let AppError::Invalid { field, .. } = bad.unwrap_err() else {
        panic!("an invalid field")
    };
    assert_eq!(field, "wanted_occupation");
    let other_person = w.register(OTHER_ID).id;
    let other_holder = w.holder_login("other", &other_person);
    assert_eq!(
        code(w.app.job_profile(&other_holder, &b.person).unwrap_err()),
        "not_found"
    );
    assert_eq!(
        code(w.app.job_profile(&w.clerk, &b.person).unwrap_err()),
        "forbidden"
    );
}

crate::on_both_backends!(
    a_vacancy_shows_once_the_bureau_approves_it_and_is_found_by_its_words,
    an_applicant_is_masked_until_they_share_and_the_last_hire_fills_the_vacancy,
    a_job_seeker_keeps_one_profile_and_only_they_read_it,
);
