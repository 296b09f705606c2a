//! Unemployment insurance through the use cases: the leaver's report, registration, the
//! claim decided from the contribution record, the monthly payout with the medical
//! contributions the fund pays, referrals and the refusals that stop the benefit, stops,
//! carried months, and a fraud's receivable.

use shebao_app::employment::NewVacancy;
use shebao_app::employment::VacancyReview;
use shebao_app::employment::referrals::{NewReferral, ReferralOutcomeBody};
use shebao_app::employment::unemployment::{FraudFinding, NewLeaverReport, SpellStop};
use shebao_app::insurance::benefit_parameters::{BenefitParametersBody, NewBenefitParameters};
use shebao_app::insurance::declarations::{DeclarationRow, DeclarationRows};
use shebao_app::{Actor, AppError};
use shebao_domain::insurance::Month;
use shebao_domain::insurance::unemployment::BenefitParameters;

use crate::harness::{HOLDER_ID, OTHER_ID, World, code};
use crate::requests::{employee, payment, payout};

const MONTHLY_FEN: i64 = 180_000;

pub(crate) fn benefit_parameters(w: &World) {
    w.app
        .add_benefit_parameters(
            &w.admin,
            &w.key(),
            "330100",
            NewBenefitParameters {
                effective_from: "2000-01-01".into(),
                parameters: BenefitParametersBody::from_domain(&BenefitParameters::example()),
            },
        )
        .unwrap();
}

/// `person` insured through `employer` from `first` for `months` months, each declared at
/// 8,000 yuan and paid.
pub(crate) fn insured(
    w: &World,
    citizen_id: &str,
    person: &str,
    employer: &str,
    first: &str,
    months: i32,
) {
    w.app
        .enrol(&w.clerk, &w.key(), employee(person, employer, first))
        .unwrap();
    let first = Month::parse(first).unwrap();
    let months: Vec<String> = (0..months)
        .map(|i| first.add_months(i).to_string())
        .collect();
    let rows = months
        .iter()
        .map(|month| DeclarationRow {
            citizen_id: citizen_id.into(),
            month: month.clone(),
            wage_fen: 800_000,
        })
        .collect();
    w.app
        .declare_rows(&w.clerk, employer, DeclarationRows { rows })
        .unwrap();
    for month in &months {
        w.app
            .record_contribution_payment(&w.clerk, &w.key(), employer, payment(month))
            .unwrap();
    }
}

fn report(
    w: &World,
    actor: &Actor,
    employer: &str,
    person: &str,
    left_on: &str,
    leaving: &str,
) -> Result<shebao_app::employment::unemployment::LeaverReportView, AppError> {
    w.app.report_leaver(
        actor,
        &w.key(),
        employer,
        NewLeaverReport {
            person_id: person.into(),
            left_on: left_on.into(),
            leaving: leaving.into(),
        },
    )
}

/// A published vacancy of a new employer, open till the year's end.
fn published_vacancy(w: &World, credit_code: &str, title: &str) -> String {
    let employer = w.employer(credit_code, "330100");
    let hr = w.employer_user(&format!("hr-{credit_code}"), &employer);
    let posted = w
        .app
        .post_vacancy(
            &hr,
            &w.key(),
            &employer,
            NewVacancy {
                title: title.into(),
                occupation: "4-02-01-01".into(),
                place: "330106".into(),
                wage_min_fen: 500_000,
                wage_max_fen: 700_000,
                requirements: "驾驶证".into(),
                openings: 1,
                closing: "2026-12-31".into(),
            },
        )
        .unwrap();
    w.app
        .review_vacancy(
            &w.clerk,
            &w.key(),
            &posted.id,
            VacancyReview {
                decision: "approve".into(),
                note: None,
            },
        )
        .unwrap();
    posted.id
}

fn refuse(
    w: &World,
    spell: &str,
    vacancy: &str,
) -> shebao_app::employment::referrals::ReferralRecordedView {
    let referral = w
        .app
        .refer_job_seeker(
            &w.clerk,
            &w.key(),
            spell,
            NewReferral {
                vacancy_id: vacancy.into(),
                note: "司机岗位，符合其技能".into(),
            },
        )
        .unwrap();
    w.app
        .record_referral_outcome(
            &w.clerk,
            &w.key(),
            &referral.id,
            ReferralOutcomeBody {
                outcome: "refused_without_reason".into(),
                note: "未说明理由拒绝".into(),
            },
        )
        .unwrap()
}

fn involuntary_leaver_is_paid_monthly_with_medical_and_two_refusals_stop_it(w: World) {
    benefit_parameters(&w);
    let (person, card) = w.collected_card(HOLDER_ID);
    let employer = w.employer("91350100M000100Y43", "330100");
    insured(&w, HOLDER_ID, &person.id, &employer, "2025-01", 14);
    let hr = w.employer_user("firm-hr", &employer);

    // Another employer may not report the person, and cannot tell whether they exist.
    let rival = w.employer("91440300708461136T", "330100");
    let rival_hr = w.employer_user("rival-hr", &rival);
    let refused = report(
        &w,
        &rival_hr,
        &employer,
        &person.id,
        "2026-02-27",
        "involuntary",
    );
    assert_eq!(code(refused.unwrap_err()), "not_found");
    let stranger = report(
        &w,
        &rival_hr,
        &rival,
        &person.id,
        "2026-02-27",
        "involuntary",
    );
    assert_eq!(code(stranger.unwrap_err()), "not_found");
    let future = report(&w, &hr, &employer, &person.id, "2026-03-02", "involuntary");
    assert_eq!(code(future.unwrap_err()), "invalid_request");

    let reported = report(&w, &hr, &employer, &person.id, "2026-02-27", "involuntary").unwrap();
    assert!(!reported.late);
    let enrolments = w.app.enrolments(&w.clerk, &person.id).unwrap();
    assert_eq!(
        enrolments[0].end_month.as_deref(),
        Some("2026-02"),
        "the enrolment ends"
    );

    let holder = w.holder_login("holder", &person.id);
    let spell = w
        .app
        .register_unemployed(&holder, &w.key(), &person.id)
        .unwrap();
    assert_eq!(
        (spell.status.as_str(), spell.registered_on.as_str()),
        ("registered", "2026-03-01")
    );
    let twice = w.app.register_unemployed(&w.clerk, &w.key(), &person.id);
    assert_eq!(code(twice.unwrap_err()), "conflict");
    let queue = w.app.unemployment_claims_to_decide(&w.clerk).unwrap();
    assert_eq!(queue.len(), 1);

    let decided = w
        .app
        .decide_unemployment_claim(&w.clerk, &w.key(), &spell.id)
        .unwrap();
    assert_eq!(decided.status, "approved");
    assert_eq!(decided.contribution_months, Some(14));
    assert_eq!(decided.months, Some(12));
    assert_eq!(decided.last_month.as_deref(), Some("2027-02"));
    let again = w
        .app
        .decide_unemployment_claim(&w.clerk, &w.key(), &spell.id);
    assert_eq!(code(again.unwrap_err()), "wrong_state");

    let first = w
        .app
        .run_unemployment_payout(&w.clerk, &w.key(), payout("2026-03"))
        .unwrap();
    assert_eq!((first.paid, first.paid_fen), (1, MONTHLY_FEN));
    let replay = w
        .app
        .run_unemployment_payout(&w.clerk, &w.key(), payout("2026-03"))
        .unwrap();
    assert_eq!(
        (replay.paid, replay.already_paid),
        (0, 1),
        "once per person and month"
    );
    let shenzhen = shebao_app::insurance::pensions::PayoutRequest {
        region: "440300".into(),
        month: "2026-03".into(),
    };
    let unset = w.app.run_unemployment_payout(&w.clerk, &w.key(), shenzhen);
    assert_eq!(
        code(unset.unwrap_err()),
        "no_parameters",
        "no benefit parameters there"
    );
    let ahead = w
        .app
        .run_unemployment_payout(&w.clerk, &w.key(), payout("2026-04"));
    assert_eq!(code(ahead.unwrap_err()), "month_in_future");
    w.clock.advance_days(31);
    let second = w
        .app
        .run_unemployment_payout(&w.clerk, &w.key(), payout("2026-04"))
        .unwrap();
    assert_eq!(second.paid, 1);
    let account = w.app.card_account(&w.clerk, &card.id).unwrap();
    assert_eq!(account.status, "deposit_only", "paid while deposit-only");
    assert_eq!(account.balance_fen, 2 * MONTHLY_FEN);

    // The fund paid the medical contributions of both months, on the base floor.
    let medical = w
        .app
        .contribution_history(&w.clerk, &person.id, Some("medical"))
        .unwrap();
    let by_fund: Vec<_> = medical
        .iter()
        .filter(|c| c.employer.is_none())
        .map(|c| (c.month.as_str(), c.status.as_str()))
        .collect();
    assert_eq!(by_fund, [("2026-03", "paid"), ("2026-04", "paid")]);

    // Two refusals of suitable work without reason stop the benefit.
    let one = published_vacancy(&w, "91330100MA0000010D", "货车司机");
    let two = published_vacancy(&w, "91330100MA0000020E", "网约车司机");
    let after_one = refuse(&w, &spell.id, &one);
    assert_eq!(
        (after_one.spell.status.as_str(), after_one.spell.refusals),
        ("approved", 1)
    );
    let twice_referred = w.app.refer_job_seeker(
        &w.clerk,
        &w.key(),
        &spell.id,
        NewReferral {
            vacancy_id: one.clone(),
            note: "再次推荐".into(),
        },
    );
    assert_eq!(code(twice_referred.unwrap_err()), "conflict");
    let after_two = refuse(&w, &spell.id, &two);
    assert_eq!(after_two.spell.status, "stopped");
    assert_eq!(after_two.spell.stop_reason.as_deref(), Some("refused_work"));
    // From the first month not paid yet: April was paid rightly.
    assert_eq!(after_two.spell.stopped_month.as_deref(), Some("2026-05"));
    w.clock.advance_days(30);
    let third = w
        .app
        .run_unemployment_payout(&w.clerk, &w.key(), payout("2026-05"))
        .unwrap();
    assert_eq!(third.paid, 0, "a stopped benefit pays nothing");

    let record = w.app.unemployment_record(&holder, &person.id).unwrap();
    assert_eq!(record.spells.len(), 1);
    assert_eq!(record.spells[0].payments.len(), 2);
    assert_eq!(record.referrals.len(), 2);
    assert_eq!(record.leaver_reports.len(), 1);
    assert!(w.app.unemployment_record(&w.auditor, &person.id).is_ok());
    let other = w.register(OTHER_ID).id;
    let other_holder = w.holder_login("other", &other);
    assert_eq!(
        code(
            w.app
                .unemployment_record(&other_holder, &person.id)
                .unwrap_err()
        ),
        "not_found"
    );
    assert_eq!(
        code(w.app.unemployment_record(&hr, &person.id).unwrap_err()),
        "forbidden"
    );
    assert_eq!(
        w.audit_of("unemployment.payout", 10).len(),
        4,
        "each run audited once (the replay too, as a run)"
    );
    w.assert_ledger_balanced("after the payouts");
    assert!(w.app.verify_audit_chains().unwrap().intact);
}

fn a_claim_is_decided_by_another_clerk_and_refused_for_too_few_months(w: World) {
    benefit_parameters(&w);
    let person = w.register(HOLDER_ID).id;
    let employer = w.employer("91350100M000100Y43", "330100");
    insured(&w, HOLDER_ID, &person, &employer, "2025-08", 6);
    let hr = w.employer_user("firm-hr", &employer);
    let employed = w.app.register_unemployed(&w.clerk, &w.key(), &person);
    assert_eq!(code(employed.unwrap_err()), "still_employed");
    let before_insured = report(&w, &hr, &employer, &person, "2025-07-31", "involuntary");
    assert_eq!(code(before_insured.unwrap_err()), "invalid_request");
    // The clerk reports for the employer; a second clerk registers the person at the window.
    report(
        &w,
        &w.clerk,
        &employer,
        &person,
        "2026-01-31",
        "involuntary",
    )
    .unwrap();
    let twice = report(&w, &hr, &employer, &person, "2026-01-31", "voluntary");
    assert_eq!(code(twice.unwrap_err()), "conflict", "one report of a day");
    let spell = w
        .app
        .register_unemployed(&w.second_clerk, &w.key(), &person)
        .unwrap();
    assert!(spell.leaver_report_id.is_some());
    for (who, why) in [(&w.clerk, "reported"), (&w.second_clerk, "registered")] {
        let refused = w.app.decide_unemployment_claim(who, &w.key(), &spell.id);
        assert_eq!(code(refused.unwrap_err()), "same_clerk", "{why}");
    }
    let third = w.user(
        "clerk-3",
        shebao_domain::access::Role::BureauClerk,
        None,
        None,
        None,
    );
    let refused = w
        .app
        .decide_unemployment_claim(&third, &w.key(), &spell.id)
        .unwrap();
    assert_eq!(refused.status, "refused");
    assert_eq!(
        refused.refusal_code.as_deref(),
        Some("contribution_period_too_short")
    );
    assert_eq!(refused.contribution_months, Some(6));
    // A refused claim is over: the person may register again, but the report backed the
    // first claim and backs no other.
    let again = w
        .app
        .register_unemployed(&w.clerk, &w.key(), &person)
        .unwrap();
    assert_eq!(
        (again.status.as_str(), again.leaver_report_id.as_deref()),
        ("registered", None)
    );
    let decided = w
        .app
        .decide_unemployment_claim(&third, &w.key(), &again.id)
        .unwrap();
    assert_eq!(
        decided.refusal_code.as_deref(),
        Some("contribution_period_too_short")
    );
    // Someone never insured cannot register.
    let never = w.register(OTHER_ID).id;
    assert_eq!(
        code(
            w.app
                .register_unemployed(&w.clerk, &w.key(), &never)
                .unwrap_err()
        ),
        "not_insured"
    );
}

fn a_stop_keeps_the_unused_months_and_a_fraud_leaves_a_receivable(w: World) {
    benefit_parameters(&w);
    let (person, _card) = w.collected_card(HOLDER_ID);
    let employer = w.employer("91350100M000100Y43", "330100");
    insured(&w, HOLDER_ID, &person.id, &employer, "2025-01", 14);
    let hr = w.employer_user("firm-hr", &employer);
    report(&w, &hr, &employer, &person.id, "2026-02-28", "involuntary").unwrap();
    let spell = w
        .app
        .register_unemployed(&w.clerk, &w.key(), &person.id)
        .unwrap();
    w.app
        .decide_unemployment_claim(&w.second_clerk, &w.key(), &spell.id)
        .unwrap();
    w.app
        .run_unemployment_payout(&w.clerk, &w.key(), payout("2026-03"))
        .unwrap();
    let stop = |reason: &str, on: &str| SpellStop {
        reason: reason.into(),
        on: on.into(),
        note: "已在新单位就业".into(),
    };
    let bad = w.app.stop_unemployment_benefit(
        &w.clerk,
        &w.key(),
        &spell.id,
        stop("refused_work", "2026-03-01"),
    );
    assert_eq!(code(bad.unwrap_err()), "invalid_request");
    let stopped = w
        .app
        .stop_unemployment_benefit(
            &w.clerk,
            &w.key(),
            &spell.id,
            stop("reemployed", "2026-03-01"),
        )
        .unwrap();
    assert_eq!(
        (stopped.status.as_str(), stopped.stopped_month.as_deref()),
        ("stopped", Some("2026-03"))
    );
    let twice = w.app.stop_unemployment_benefit(
        &w.clerk,
        &w.key(),
        &spell.id,
        stop("reemployed", "2026-03-01"),
    );
    assert_eq!(code(twice.unwrap_err()), "wrong_state");

    // A fraud on it: no more than was paid, once.
    let fraud = |overpaid_fen| FraudFinding {
        overpaid_fen,
        fine_percent: 200,
        note: "隐瞒就业情况".into(),
    };
    let too_much =
        w.app
            .record_unemployment_fraud(&w.clerk, &w.key(), &spell.id, fraud(MONTHLY_FEN + 1));
    assert_eq!(code(too_much.unwrap_err()), "invalid_request");
    let owed = w
        .app
        .record_unemployment_fraud(&w.clerk, &w.key(), &spell.id, fraud(MONTHLY_FEN))
        .unwrap();
    assert_eq!(
        (owed.repayment_fen, owed.fine_fen, owed.total_fen),
        (MONTHLY_FEN, 2 * MONTHLY_FEN, 3 * MONTHLY_FEN)
    );
    let again = w
        .app
        .record_unemployment_fraud(&w.clerk, &w.key(), &spell.id, fraud(MONTHLY_FEN));
    assert_eq!(code(again.unwrap_err()), "conflict");

    // A new spell (the report backed the first: none now) counts its contributions afresh
    // and carries nothing from a spell stopped for a fraud.
    let later = w
        .app
        .register_unemployed(&w.clerk, &w.key(), &person.id)
        .unwrap();
    assert_eq!(later.leaver_report_id, None);
    let decided = w
        .app
        .decide_unemployment_claim(&w.second_clerk, &w.key(), &later.id)
        .unwrap();
    assert_eq!(
        decided.refusal_code.as_deref(),
        Some("contribution_period_too_short")
    );
    assert_eq!(decided.carried_months, Some(0));
    let record = w.app.unemployment_record(&w.clerk, &person.id).unwrap();
    let mut owed: Vec<_> = record
        .receivables
        .iter()
        .map(|r| (r.kind.as_str(), r.total_fen))
        .collect();
    owed.sort_unstable();
    assert_eq!(
        owed,
        [
            ("unemployment_fraud", 3 * MONTHLY_FEN),
            ("unemployment_overpaid", MONTHLY_FEN)
        ]
    );
    let first = record.spells.iter().find(|s| s.id == spell.id).unwrap();
    assert_eq!(first.stop_reason.as_deref(), Some("fraud"));
    assert_eq!(record.spells.len(), 2);
    w.assert_ledger_balanced("after a payout and a fraud");
}

crate::on_both_backends!(
    involuntary_leaver_is_paid_monthly_with_medical_and_two_refusals_stop_it,
    a_claim_is_decided_by_another_clerk_and_refused_for_too_few_months,
    a_stop_keeps_the_unused_months_and_a_fraud_leaves_a_receivable,
);
