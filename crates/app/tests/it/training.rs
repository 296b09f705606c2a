//! Vocational training through the use cases: a provider registered by the bureau, its
//! course reviewed before holders may enrol, enrolment until the start while a place is
//! left, attendance a day at a time, completion from the last day with the region's share
//! of the hours attended (which issues a verifiable certificate), and the subsidy paid once,
//! to the card or to the provider, from the unemployment fund.

use shebao_app::Actor;
use shebao_app::access::auth::NewUser;
use shebao_app::employment::referrals::{
    NewTrainingReferral, TrainingReferralOutcomeBody, TrainingReferralRecordedView,
    TrainingReferralView,
};
use shebao_app::employment::training::{
    CompletionRecord, CourseReview, NewAttendance, NewCourse, NewTrainingProvider,
};
use shebao_app::employment::unemployment::NewLeaverReport;
use shebao_app::insurance::benefit_parameters::{BenefitParametersBody, NewBenefitParameters};
use shebao_domain::employment::training::TrainingParameters;
use shebao_domain::insurance::unemployment::BenefitParameters;

use crate::harness::{HOLDER_ID, OTHER_ID, World, code, staff};
use crate::unemployment::{benefit_parameters, insured};

fn provider_staff(w: &World, name: &str, provider: &str) -> Actor {
    let user = NewUser {
        provider_id: Some(provider.into()),
        ..staff(name, "training_provider")
    };
    w.app.create_user(&w.admin, &w.key(), user).unwrap();
    w.app.actor_for_username(name).unwrap()
}

fn provider(w: &World, code: &str) -> String {
    w.app
        .register_training_provider(
            &w.clerk,
            &w.key(),
            NewTrainingProvider {
                credit_code: code.into(),
                name: "杭州技师学院".into(),
                region: "330100".into(),
            },
        )
        .unwrap()
        .id
}

fn course(hours: u32, places: u32, payee: &str, (starts, ends): (&str, &str)) -> NewCourse {
    NewCourse {
        title: "中式烹调师（初级）".into(),
        occupation: "4-03-02-01".into(),
        hours,
        places,
        subsidy_fen: 150_000,
        payee: payee.into(),
        starts_on: starts.into(),
        ends_on: ends.into(),
    }
}

fn approve() -> CourseReview {
    CourseReview {
        decision: "approve".into(),
        note: None,
    }
}

fn attend(day: &str, hours: u32) -> NewAttendance {
    NewAttendance {
        day: day.into(),
        hours,
    }
}

fn a_course_is_reviewed_attended_completed_certified_and_its_subsidy_paid_once(w: World) {
    benefit_parameters(&w);
    let school = provider(&w, "52330100MJ00000112");
    let twice = w.app.register_training_provider(
        &w.clerk,
        &w.key(),
        NewTrainingProvider {
            credit_code: "52330100MJ00000112".into(),
            name: "另一所".into(),
            region: "330100".into(),
        },
    );
    assert_eq!(code(twice.unwrap_err()), "conflict");
    let rival = provider(&w, "52330100MJ00000226");
    let staff = provider_staff(&w, "school", &school);
    let rival_staff = provider_staff(&w, "rival", &rival);
    let (holder_person, card) = w.collected_card(HOLDER_ID);
    let holder = w.holder_login("holder", &holder_person.id);
    let (other_person, _) = w.collected_card(OTHER_ID);
    let other = w.holder_login("other", &other_person.id);

    // Today is 2026-03-01 in Hangzhou. A course within the cap, posted by its own staff.
    let days = ("2026-03-02", "2026-03-04");
    let over_cap = NewCourse {
        subsidy_fen: 300_001,
        ..course(20, 2, "card", days)
    };
    let refused = w
        .app
        .post_training_course(&staff, &w.key(), &school, over_cap);
    assert_eq!(code(refused.unwrap_err()), "invalid_request");
    let not_theirs =
        w.app
            .post_training_course(&rival_staff, &w.key(), &school, course(20, 2, "card", days));
    assert_eq!(code(not_theirs.unwrap_err()), "not_found");
    let posted = w
        .app
        .post_training_course(&staff, &w.key(), &school, course(20, 2, "card", days))
        .unwrap();
    assert_eq!(posted.status, "pending");
    let pending = w.app.enrol_in_training(&holder, &w.key(), &posted.id);
    assert_eq!(code(pending.unwrap_err()), "not_found", "not open yet");
    let unexplained = w.app.review_training_course(
        &w.clerk,
        &w.key(),
        &posted.id,
        CourseReview {
            decision: "refuse".into(),
            note: None,
        },
    );
    assert_eq!(code(unexplained.unwrap_err()), "invalid_request");
    let open = w
        .app
        .review_training_course(&w.clerk, &w.key(), &posted.id, approve())
        .unwrap();
    assert_eq!(open.status, "open");
    let again = w
        .app
        .review_training_course(&w.clerk, &w.key(), &posted.id, approve());
    assert_eq!(code(again.unwrap_err()), "wrong_state");
    let listed = w.app.open_training_courses(&holder).unwrap();
    assert_eq!(
        listed.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        [posted.id.as_str()]
    );

    // Two places: the holder enrols once; the other enrols and withdraws, freeing theirs.
    let enrolment = w
        .app
        .enrol_in_training(&holder, &w.key(), &posted.id)
        .unwrap();
    assert_eq!(
        (enrolment.status.as_str(), enrolment.required_hours),
        ("enrolled", 16)
    );
    let double = w.app.enrol_in_training(&holder, &w.key(), &posted.id);
    assert_eq!(code(double.unwrap_err()), "conflict");
    let theirs = w
        .app
        .enrol_in_training(&other, &w.key(), &posted.id)
        .unwrap();
    let not_mine = w
        .app
        .withdraw_training_enrolment(&holder, &w.key(), &theirs.id);
    assert_eq!(code(not_mine.unwrap_err()), "not_found");
    let withdrawn = w
        .app
        .withdraw_training_enrolment(&other, &w.key(), &theirs.id)
        .unwrap();
    assert_eq!(withdrawn.status, "withdrawn");
    let places = w.app.provider_training_courses(&staff, &school).unwrap();
    assert_eq!(places[0].taken, 1);

    // The provider's staff see their trainees masked (the withdrawn one left out, holding no
    // place); another provider's do not.
    let trainees = w.app.course_trainees(&staff, &posted.id).unwrap();
    assert_eq!(trainees.len(), 1);
    assert_eq!(trainees[0].enrolment.person_id, None);
    assert!(
        trainees
            .iter()
            .all(|t| t.name.contains('*') && t.citizen_id.contains('*'))
    );
    let hidden = w.app.course_trainees(&rival_staff, &posted.id);
    assert_eq!(code(hidden.unwrap_err()), "not_found");

    // Attendance is a day of the course that has come, once a day.
    let early =
        w.app
            .record_training_attendance(&staff, &w.key(), &enrolment.id, attend("2026-03-02", 8));
    assert_eq!(code(early.unwrap_err()), "invalid_request");
    w.clock.advance_days(1);
    w.app
        .record_training_attendance(&staff, &w.key(), &enrolment.id, attend("2026-03-02", 8))
        .unwrap();
    let same_day =
        w.app
            .record_training_attendance(&staff, &w.key(), &enrolment.id, attend("2026-03-02", 2));
    assert_eq!(code(same_day.unwrap_err()), "conflict");
    let by_rival = w.app.record_training_attendance(
        &rival_staff,
        &w.key(),
        &enrolment.id,
        attend("2026-03-02", 2),
    );
    assert_eq!(code(by_rival.unwrap_err()), "not_found");
    let on_withdrawn =
        w.app
            .record_training_attendance(&staff, &w.key(), &theirs.id, attend("2026-03-02", 2));
    assert_eq!(code(on_withdrawn.unwrap_err()), "wrong_state");
    let passed = CompletionRecord { passed: true };
    let not_over =
        w.app
            .record_training_completion(&staff, &w.key(), &enrolment.id, passed.clone());
    assert_eq!(code(not_over.unwrap_err()), "course_not_over");
    w.clock.advance_days(1);
    // Enrolment is open through the first day, closed after it.
    let closed = w.app.enrol_in_training(&other, &w.key(), &posted.id);
    assert_eq!(code(closed.unwrap_err()), "enrolment_closed");
    // A trainee who leaves after the first day is the provider's to record as not completed.
    let leaving = w
        .app
        .withdraw_training_enrolment(&holder, &w.key(), &enrolment.id);
    assert_eq!(code(leaving.unwrap_err()), "enrolment_closed");
    w.app
        .record_training_attendance(&staff, &w.key(), &enrolment.id, attend("2026-03-03", 6))
        .unwrap();
    w.clock.advance_days(1);
    let short = w
        .app
        .record_training_completion(&staff, &w.key(), &enrolment.id, passed.clone());
    assert_eq!(
        code(short.unwrap_err()),
        "attendance_short",
        "14 of 16 hours"
    );
    w.app
        .record_training_attendance(&staff, &w.key(), &enrolment.id, attend("2026-03-04", 2))
        .unwrap();
    let key = w.key();
    let completed = w
        .app
        .record_training_completion(&staff, &key, &enrolment.id, passed.clone())
        .unwrap();
    assert_eq!(completed.status, "completed");
    assert_eq!(
        completed.person_id, None,
        "the provider is not told who the trainee is"
    );
    // The same key again answers the same, certificate and all; it issues no second one.
    let replayed = w
        .app
        .record_training_completion(&staff, &key, &enrolment.id, passed.clone())
        .unwrap();
    assert_eq!(replayed, completed);
    assert_eq!(
        w.app
            .certificates(&holder, &holder_person.id)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(completed.completed_on.as_deref(), Some("2026-03-04"));
    let certificate = completed.certificate_code.clone().unwrap();
    let verified = w.app.verify_certificate(&certificate, None).unwrap();
    let summary = verified.summary.unwrap();
    assert!(verified.issued);
    assert_eq!(summary.kind, "training");
    let certified = summary.training.unwrap();
    assert_eq!((certified.attended_hours, certified.hours), (16, 20));
    assert_eq!(certified.completed_on, "2026-03-04");
    let pdf = w.app.certificate_pdf(&holder, &certificate).unwrap();
    let matches = w.app.verify_certificate(&certificate, Some(&pdf)).unwrap();
    assert_eq!(matches.document_matches, Some(true));
    let twice = w
        .app
        .record_training_completion(&staff, &w.key(), &enrolment.id, passed);
    assert_eq!(code(twice.unwrap_err()), "wrong_state");

    // The bureau pays the subsidy to the card, once.
    let due = w.app.training_subsidies_to_pay(&w.clerk).unwrap();
    assert_eq!(
        due.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        [enrolment.id.as_str()]
    );
    let before = w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen;
    // Separation of duties: the clerk who approved the course does not pay it.
    let own = w
        .app
        .pay_training_subsidy(&w.clerk, &w.key(), &enrolment.id);
    assert_eq!(code(own.unwrap_err()), "same_clerk");
    let paid = w
        .app
        .pay_training_subsidy(&w.second_clerk, &w.key(), &enrolment.id)
        .unwrap();
    assert!(paid.transfer_id.is_some());
    let after = w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen;
    assert_eq!(after - before, 150_000);
    let again = w
        .app
        .pay_training_subsidy(&w.clerk, &w.key(), &enrolment.id);
    assert_eq!(code(again.unwrap_err()), "conflict");
    let withdrawn_pay = w.app.pay_training_subsidy(&w.clerk, &w.key(), &theirs.id);
    assert_eq!(code(withdrawn_pay.unwrap_err()), "wrong_state");
    assert!(
        w.app
            .training_subsidies_to_pay(&w.clerk)
            .unwrap()
            .is_empty()
    );

    // A person's training: their own, the bureau's and the auditor's to read.
    let mine = w.app.training_record(&holder, &holder_person.id).unwrap();
    assert_eq!(mine.enrolments.len(), 1);
    assert!(mine.enrolments[0].paid_at.is_some());
    assert_eq!(
        w.app
            .training_record(&w.auditor, &holder_person.id)
            .unwrap()
            .enrolments
            .len(),
        1
    );
    let stranger = w.app.training_record(&other, &holder_person.id);
    assert_eq!(code(stranger.unwrap_err()), "not_found");
    w.assert_ledger_balanced("after the subsidy");
}

fn a_subsidy_paid_to_the_provider_leaves_the_card_alone(w: World) {
    benefit_parameters(&w);
    let school = provider(&w, "52330100MJ00000112");
    let staff = provider_staff(&w, "school", &school);
    let (person, card) = w.collected_card(HOLDER_ID);
    let holder = w.holder_login("holder", &person.id);
    let one_day = course(6, 1, "provider", ("2026-03-01", "2026-03-01"));
    let posted = w
        .app
        .post_training_course(&staff, &w.key(), &school, one_day)
        .unwrap();
    w.app
        .review_training_course(&w.clerk, &w.key(), &posted.id, approve())
        .unwrap();
    let enrolment = w
        .app
        .enrol_in_training(&holder, &w.key(), &posted.id)
        .unwrap();
    let full = w.app.enrol_in_training(
        &w.holder_login("other", &w.register(OTHER_ID).id),
        &w.key(),
        &posted.id,
    );
    assert_eq!(code(full.unwrap_err()), "course_full");
    w.app
        .record_training_attendance(&staff, &w.key(), &enrolment.id, attend("2026-03-01", 5))
        .unwrap();
    let failed = w
        .app
        .record_training_completion(
            &staff,
            &w.key(),
            &enrolment.id,
            CompletionRecord { passed: false },
        )
        .unwrap();
    assert_eq!(
        (failed.status.as_str(), failed.certificate_code),
        ("not_completed", None)
    );
    let nothing = w
        .app
        .pay_training_subsidy(&w.clerk, &w.key(), &enrolment.id);
    assert_eq!(code(nothing.unwrap_err()), "wrong_state");

    let second = course(6, 1, "provider", ("2026-03-02", "2026-03-02"));
    let posted = w
        .app
        .post_training_course(&staff, &w.key(), &school, second)
        .unwrap();
    w.app
        .review_training_course(&w.clerk, &w.key(), &posted.id, approve())
        .unwrap();
    let enrolment = w
        .app
        .enrol_in_training(&holder, &w.key(), &posted.id)
        .unwrap();
    w.clock.advance_days(1);
    // The region asks every hour of courses posted from today: this course keeps its 80%.
    let mut stricter = BenefitParameters::example();
    stricter.training = Some(TrainingParameters {
        attendance_percent: 100,
        subsidy_max_fen: 300_000,
    });
    w.app
        .add_benefit_parameters(
            &w.admin,
            &w.key(),
            "330100",
            NewBenefitParameters {
                effective_from: "2026-03-02".into(),
                parameters: BenefitParametersBody::from_domain(&stricter),
            },
        )
        .unwrap();
    w.app
        .record_training_attendance(&staff, &w.key(), &enrolment.id, attend("2026-03-02", 5))
        .unwrap();
    let done = w
        .app
        .record_training_completion(
            &staff,
            &w.key(),
            &enrolment.id,
            CompletionRecord { passed: true },
        )
        .unwrap();
    assert_eq!(done.status, "completed", "5 of 6 hours is the 80% share");
    let before = w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen;
    let paid = w
        .app
        .pay_training_subsidy(&w.second_clerk, &w.key(), &enrolment.id)
        .unwrap();
    assert!(paid.transfer_id.is_some());
    let after = w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen;
    assert_eq!(after, before, "the provider is paid, not the card");
    w.assert_ledger_balanced("after the provider's subsidy");
}

fn refer(w: &World, spell: &str, course: &str) -> TrainingReferralView {
    w.app
        .refer_to_training(
            &w.clerk,
            &w.key(),
            spell,
            NewTrainingReferral {
                course_id: course.into(),
                note: "适合其求职方向".into(),
            },
        )
        .unwrap()
}

fn outcome(
    w: &World,
    referral: &str,
    outcome: &str,
) -> Result<TrainingReferralRecordedView, shebao_app::AppError> {
    w.app.record_training_referral_outcome(
        &w.clerk,
        &w.key(),
        referral,
        TrainingReferralOutcomeBody {
            outcome: outcome.into(),
            note: "本人答复".into(),
        },
    )
}

fn two_refusals_of_training_without_reason_stop_the_benefit(w: World) {
    benefit_parameters(&w);
    let (person, _card) = w.collected_card(HOLDER_ID);
    let employer = w.employer("91350100M000100Y43", "330100");
    insured(&w, HOLDER_ID, &person.id, &employer, "2025-01", 14);
    let hr = w.employer_user("firm-hr", &employer);
    w.app
        .report_leaver(
            &hr,
            &w.key(),
            &employer,
            NewLeaverReport {
                person_id: person.id.clone(),
                left_on: "2026-02-27".into(),
                leaving: "involuntary".into(),
            },
        )
        .unwrap();
    let holder = w.holder_login("holder", &person.id);
    let spell = w
        .app
        .register_unemployed(&holder, &w.key(), &person.id)
        .unwrap();
    w.app
        .decide_unemployment_claim(&w.clerk, &w.key(), &spell.id)
        .unwrap();

    let school = provider(&w, "52330100MJ00000112");
    let staff = provider_staff(&w, "school", &school);
    let open_course = |title: &str| {
        let posted = w
            .app
            .post_training_course(
                &staff,
                &w.key(),
                &school,
                NewCourse {
                    title: title.into(),
                    ..course(20, 5, "card", ("2026-03-02", "2026-03-04"))
                },
            )
            .unwrap();
        w.app
            .review_training_course(&w.clerk, &w.key(), &posted.id, approve())
            .unwrap();
        posted.id
    };
    let [cook, electrician, welder] = ["中式烹调师", "电工", "焊工"].map(open_course);

    // Enrolled: only once the person is enrolled in the course; it counts nothing.
    let first = refer(&w, &spell.id, &cook);
    let twice = w.app.refer_to_training(
        &w.clerk,
        &w.key(),
        &spell.id,
        NewTrainingReferral {
            course_id: cook.clone(),
            note: "再次推荐".into(),
        },
    );
    assert_eq!(code(twice.unwrap_err()), "conflict");
    let not_yet = outcome(&w, &first.id, "enrolled");
    assert_eq!(code(not_yet.unwrap_err()), "wrong_state");
    w.app.enrol_in_training(&holder, &w.key(), &cook).unwrap();
    let refused_though_enrolled = outcome(&w, &first.id, "refused_without_reason");
    assert_eq!(code(refused_though_enrolled.unwrap_err()), "wrong_state");
    let enrolled = outcome(&w, &first.id, "enrolled").unwrap();
    assert_eq!(
        (enrolled.spell.refusals, enrolled.spell.status.as_str()),
        (0, "approved")
    );

    // A refusal with a reason counts nothing; two without stop the benefit.
    let excused = outcome(
        &w,
        &refer(&w, &spell.id, &electrician).id,
        "refused_with_reason",
    )
    .unwrap();
    assert_eq!(excused.spell.refusals, 0);
    let pending = w
        .app
        .post_training_course(
            &staff,
            &w.key(),
            &school,
            course(20, 5, "card", ("2026-03-02", "2026-03-04")),
        )
        .unwrap();
    let unopened = w.app.refer_to_training(
        &w.clerk,
        &w.key(),
        &spell.id,
        NewTrainingReferral {
            course_id: pending.id,
            note: "待审核".into(),
        },
    );
    assert_eq!(
        code(unopened.unwrap_err()),
        "not_found",
        "a course not open"
    );
    let once = outcome(
        &w,
        &refer(&w, &spell.id, &welder).id,
        "refused_without_reason",
    )
    .unwrap();
    assert_eq!(
        (once.spell.refusals, once.spell.status.as_str()),
        (1, "approved")
    );
    let again = outcome(&w, &once.referral.id, "refused_without_reason");
    assert_eq!(code(again.unwrap_err()), "wrong_state");
    let fourth = open_course("育婴员");
    let stopped = outcome(
        &w,
        &refer(&w, &spell.id, &fourth).id,
        "refused_without_reason",
    )
    .unwrap();
    assert_eq!(stopped.spell.refusals, 2);
    assert_eq!(stopped.spell.status, "stopped");
    assert_eq!(stopped.spell.stop_reason.as_deref(), Some("refused_work"));
    let record = w.app.unemployment_record(&holder, &person.id).unwrap();
    assert_eq!(record.training_referrals.len(), 4);
    let closed = w.app.refer_to_training(
        &w.clerk,
        &w.key(),
        &spell.id,
        NewTrainingReferral {
            course_id: cook,
            note: "x".into(),
        },
    );
    assert_eq!(
        code(closed.unwrap_err()),
        "wrong_state",
        "the spell is stopped"
    );
}

crate::on_both_backends!(
    a_course_is_reviewed_attended_completed_certified_and_its_subsidy_paid_once,
    a_subsidy_paid_to_the_provider_leaves_the_card_alone,
    two_refusals_of_training_without_reason_stop_the_benefit,
);
