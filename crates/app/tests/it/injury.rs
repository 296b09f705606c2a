//! Work injury through the use cases: the application within its deadline, scoped to the
//! worker, the employer and the bureau; the decision by someone else; a panel drawn from the
//! pool without the employer's experts, reproducible from its seed; the conclusion; the
//! benefits settled once on the conclusion in force, the one-time subsidy paid to the card
//! from the fund and the employer owing the monthly allowance of grade 5.

use shebao_app::insurance::injury::{
    AppraisalConclusion, DependantBody, DrawRequest, InjuryDecision, NewDeath, NewExpert,
    NewInjuryCase,
};
use shebao_domain::access::Role;
use shebao_domain::insurance::injury_case::{PoolExpert, draw_panel};

use crate::harness::{HOLDER_ID, OTHER_ID, World, code};
use crate::unemployment::{benefit_parameters, insured};

fn injured(on: &str, applicant: Option<&str>) -> NewInjuryCase {
    NewInjuryCase {
        injured_on: on.into(),
        applicant: applicant.map(Into::into),
        clear: false,
    }
}

fn recognise() -> InjuryDecision {
    InjuryDecision {
        decision: "recognise".into(),
        note: None,
    }
}

fn expert(code: &str, employer: Option<&str>) -> NewExpert {
    NewExpert {
        code: code.into(),
        specialty: "骨科 orthopaedics".into(),
        employer_id: employer.map(Into::into),
    }
}

fn draw(kind: &str, size: u32) -> DrawRequest {
    DrawRequest {
        kind: kind.into(),
        size,
        requested_on: None,
    }
}

fn conclusion(grade: Option<u8>, care_level: Option<&str>) -> AppraisalConclusion {
    AppraisalConclusion {
        grade,
        care_level: care_level.map(Into::into),
    }
}

fn a_recognised_injury_is_appraised_and_its_benefits_settled_once(w: World) {
    benefit_parameters(&w);
    let (worker, card) = w.collected_card(HOLDER_ID);
    let other = w.register(OTHER_ID).id;
    let employer = w.employer("91350100M000100Y43", "330100");
    insured(&w, HOLDER_ID, &worker.id, &employer, "2025-01", 14);
    let hr = w.employer_user("firm-hr", &employer);
    let rival = w.employer("91440300708461136T", "330100");
    let rival_hr = w.employer_user("rival-hr", &rival);
    let holder = w.holder_login("worker", &worker.id);

    // The employer applies within 30 days; for a day 45 days back only the worker may.
    let late =
        w.app
            .apply_injury_recognition(&hr, &w.key(), &worker.id, injured("2026-01-15", None));
    assert_eq!(code(late.unwrap_err()), "deadline_passed");
    let by_worker = w
        .app
        .apply_injury_recognition(&holder, &w.key(), &worker.id, injured("2026-01-15", None))
        .unwrap();
    assert_eq!(
        (by_worker.applicant.as_str(), by_worker.due_on.as_str()),
        ("worker", "2026-04-30")
    );
    let as_employer = w.app.apply_injury_recognition(
        &holder,
        &w.key(),
        &worker.id,
        injured("2026-02-20", Some("employer")),
    );
    assert_eq!(code(as_employer.unwrap_err()), "invalid_request");
    let clear = w.app.apply_injury_recognition(
        &hr,
        &w.key(),
        &worker.id,
        NewInjuryCase {
            clear: true,
            ..injured("2026-02-20", None)
        },
    );
    assert_eq!(
        code(clear.unwrap_err()),
        "invalid_request",
        "the bureau marks a case clear"
    );
    let stranger = w.app.apply_injury_recognition(
        &rival_hr,
        &w.key(),
        &worker.id,
        injured("2026-02-20", None),
    );
    assert_eq!(code(stranger.unwrap_err()), "not_found");
    let uninsured = w.app.apply_injury_recognition(
        &w.clerk,
        &w.key(),
        &other,
        injured("2026-02-20", Some("family")),
    );
    assert_eq!(code(uninsured.unwrap_err()), "not_insured");
    let to_come =
        w.app
            .apply_injury_recognition(&hr, &w.key(), &worker.id, injured("2026-03-02", None));
    assert_eq!(code(to_come.unwrap_err()), "invalid_request");

    let case = w
        .app
        .apply_injury_recognition(&hr, &w.key(), &worker.id, injured("2026-02-20", None))
        .unwrap();
    assert_eq!(
        (case.status.as_str(), case.due_on.as_str()),
        ("applied", "2026-04-30")
    );
    let twice = w.app.apply_injury_recognition(
        &w.clerk,
        &w.key(),
        &worker.id,
        injured("2026-02-20", Some("family")),
    );
    assert_eq!(code(twice.unwrap_err()), "conflict");
    assert_eq!(w.app.injury_cases_to_decide(&w.clerk).unwrap().len(), 2);

    // A refusal needs its reason; the worker's own application is refused, the employer's
    // recognised.
    let bare = w.app.decide_injury_case(
        &w.clerk,
        &w.key(),
        &by_worker.id,
        InjuryDecision {
            decision: "refuse".into(),
            note: None,
        },
    );
    assert_eq!(code(bare.unwrap_err()), "invalid_request");
    let refused = w
        .app
        .decide_injury_case(
            &w.clerk,
            &w.key(),
            &by_worker.id,
            InjuryDecision {
                decision: "refuse".into(),
                note: Some("非因工作原因受伤".into()),
            },
        )
        .unwrap();
    assert_eq!(refused.status, "not_recognised");
    let recognised = w
        .app
        .decide_injury_case(&w.clerk, &w.key(), &case.id, recognise())
        .unwrap();
    assert_eq!(recognised.status, "recognised");
    let again = w
        .app
        .decide_injury_case(&w.second_clerk, &w.key(), &case.id, recognise());
    assert_eq!(code(again.unwrap_err()), "wrong_state");

    // The committee's pool: one of four experts works for the employer.
    let secretary = w.user("secretary", Role::AppraisalSecretary, None, None, None);
    let too_few = w
        .app
        .draw_injury_panel(&secretary, &w.key(), &case.id, draw("first", 3));
    assert_eq!(code(too_few.unwrap_err()), "expert_pool_too_small");
    let insider = w
        .app
        .add_injury_expert(
            &secretary,
            &w.key(),
            "330100",
            expert("E-01", Some(&employer)),
        )
        .unwrap();
    for code_of in ["E-02", "E-03", "E-04"] {
        w.app
            .add_injury_expert(&secretary, &w.key(), "330100", expert(code_of, None))
            .unwrap();
    }
    let dup = w
        .app
        .add_injury_expert(&secretary, &w.key(), "330100", expert("E-02", None));
    assert_eq!(code(dup.unwrap_err()), "conflict");
    assert_eq!(w.app.injury_experts(&secretary, "330100").unwrap().len(), 4);
    assert_eq!(
        code(
            w.app
                .draw_injury_panel(&secretary, &w.key(), &case.id, draw("first", 5))
                .unwrap_err()
        ),
        "expert_pool_too_small"
    );
    assert_eq!(
        code(
            w.app
                .draw_injury_panel(&secretary, &w.key(), &case.id, draw("review", 3))
                .unwrap_err()
        ),
        "wrong_state"
    );
    assert_eq!(
        code(
            w.app
                .draw_injury_panel(&secretary, &w.key(), &by_worker.id, draw("first", 3))
                .unwrap_err()
        ),
        "wrong_state",
        "a refused case is not appraised"
    );
    let drawn = w
        .app
        .draw_injury_panel(&secretary, &w.key(), &case.id, draw("first", 3))
        .unwrap();
    let appraisal = &drawn.appraisals[0];
    let panel = appraisal.panel.clone().unwrap();
    let pool = appraisal.pool.clone().unwrap();
    assert_eq!(panel.len(), 3);
    assert!(!panel.contains(&insider.id) && !pool.contains(&insider.id));
    // Anyone with the seed and the pool redoes the draw.
    let seed = hex::decode(appraisal.seed.as_ref().unwrap()).unwrap();
    let experts: Vec<PoolExpert<'_>> = pool
        .iter()
        .map(|id| PoolExpert { id, employer: None })
        .collect();
    assert_eq!(draw_panel(&seed, &experts, &employer, 3).unwrap(), panel);
    let open = w
        .app
        .draw_injury_panel(&secretary, &w.key(), &case.id, draw("first", 3));
    assert_eq!(code(open.unwrap_err()), "conflict");
    assert_eq!(w.app.injury_cases_to_appraise(&secretary).unwrap().len(), 1);

    let concluded = w
        .app
        .conclude_injury_appraisal(
            &secretary,
            &w.key(),
            &appraisal.id,
            conclusion(Some(5), None),
        )
        .unwrap();
    assert_eq!(concluded.appraisals[0].grade, Some(5));
    assert!(
        w.app
            .injury_cases_to_appraise(&secretary)
            .unwrap()
            .is_empty()
    );

    // In force once the 15 days for a re-appraisal have passed.
    let early = w.app.settle_injury_benefits(&w.clerk, &w.key(), &case.id);
    assert_eq!(code(early.unwrap_err()), "wrong_state");
    w.clock.advance_days(16);
    let late_review =
        w.app
            .draw_injury_panel(&secretary, &w.key(), &case.id, draw("reappraisal", 3));
    assert_eq!(code(late_review.unwrap_err()), "deadline_passed");
    let review_early = w
        .app
        .draw_injury_panel(&secretary, &w.key(), &case.id, draw("review", 3));
    assert_eq!(code(review_early.unwrap_err()), "too_early");

    let before = w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen;
    let settled = w
        .app
        .settle_injury_benefits(&w.clerk, &w.key(), &case.id)
        .unwrap();
    let s = settled.settlement.unwrap();
    // 8,000 yuan declared each month, the local average 8,000: 18 months of it, and the
    // employer owes 70% a month.
    assert_eq!((s.own_wage_fen, s.wage_fen), (800_000, 800_000));
    assert_eq!(s.one_time_fen, 18 * 800_000);
    assert_eq!(
        (s.monthly_fen, s.payer.as_deref()),
        (Some(560_000), Some("employer"))
    );
    let after = w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen;
    assert_eq!(
        after - before,
        s.one_time_fen,
        "paid to the deposit-only card"
    );
    let twice = w
        .app
        .settle_injury_benefits(&w.second_clerk, &w.key(), &case.id);
    assert_eq!(code(twice.unwrap_err()), "conflict");

    // The worker sees the case and the grade, not who sat on the panel; the employer its
    // cases; nobody else.
    let mine = w.app.injury_record(&holder, &worker.id).unwrap();
    assert_eq!(mine.cases.len(), 2);
    let shown = mine.cases.iter().find(|c| c.id == case.id).unwrap();
    assert_eq!(shown.appraisals[0].panel, None);
    assert_eq!(shown.appraisals[0].grade, Some(5));
    // The employer is party to every case of its worker, the worker's own application too.
    let owed = w.app.employer_injury_cases(&hr, &employer).unwrap();
    assert_eq!(owed.len(), 2);
    let settled = owed.iter().find(|c| c.id == case.id).unwrap();
    assert_eq!(
        settled.settlement.as_ref().unwrap().payer.as_deref(),
        Some("employer")
    );
    assert_eq!(
        code(
            w.app
                .employer_injury_cases(&rival_hr, &employer)
                .unwrap_err()
        ),
        "not_found"
    );
    assert_eq!(
        code(w.app.injury_record(&hr, &worker.id).unwrap_err()),
        "forbidden"
    );
    assert_eq!(
        w.app
            .injury_record(&w.auditor, &worker.id)
            .unwrap()
            .cases
            .len(),
        2
    );
    assert_eq!(w.audit_of("injury.read", 10).len(), 2);
    let draws: Vec<_> = w
        .audit_of("injury.draw", 20)
        .into_iter()
        .filter(|r| r.outcome == "ok")
        .collect();
    assert_eq!(
        draws.len(),
        1,
        "one panel drawn; the refused draws are recorded as refused"
    );
    assert!(draws[0].detail.contains(appraisal.seed.as_ref().unwrap()));
    w.assert_ledger_balanced("after the disability subsidy");
}

fn a_timely_reappraisal_by_other_experts_is_final_and_settles_at_once(w: World) {
    benefit_parameters(&w);
    let (worker, card) = w.collected_card(HOLDER_ID);
    let other = w.register(OTHER_ID).id;
    let employer = w.employer("91350100M000100Y43", "330100");
    insured(&w, HOLDER_ID, &worker.id, &employer, "2025-01", 14);
    // The family applies for the other worker at the window.
    insured(&w, OTHER_ID, &other, &employer, "2025-01", 14);
    let named = w
        .app
        .apply_injury_recognition(
            &w.clerk,
            &w.key(),
            &other,
            injured("2026-02-10", Some("family")),
        )
        .unwrap();
    assert_eq!(named.applicant, "family");

    // Not recognised, the day may be applied for again.
    let case = w
        .app
        .apply_injury_recognition(&w.clerk, &w.key(), &worker.id, injured("2026-02-20", None))
        .unwrap();
    w.app
        .decide_injury_case(
            &w.second_clerk,
            &w.key(),
            &case.id,
            InjuryDecision {
                decision: "refuse".into(),
                note: Some("材料不全".into()),
            },
        )
        .unwrap();
    let case = w
        .app
        .apply_injury_recognition(&w.clerk, &w.key(), &worker.id, injured("2026-02-20", None))
        .unwrap();
    w.app
        .decide_injury_case(&w.second_clerk, &w.key(), &case.id, recognise())
        .unwrap();

    let secretary = w.user("secretary", Role::AppraisalSecretary, None, None, None);
    for code_of in ["E-1", "E-2", "E-3", "E-4", "E-5", "E-6"] {
        w.app
            .add_injury_expert(&secretary, &w.key(), "330100", expert(code_of, None))
            .unwrap();
    }
    let first = w
        .app
        .draw_injury_panel(&secretary, &w.key(), &case.id, draw("first", 3))
        .unwrap()
        .appraisals
        .remove(0);
    let bare_care = w.app.conclude_injury_appraisal(
        &secretary,
        &w.key(),
        &first.id,
        conclusion(None, Some("partial")),
    );
    assert_eq!(
        code(bare_care.unwrap_err()),
        "invalid_request",
        "care follows a grade"
    );
    w.app
        .conclude_injury_appraisal(&secretary, &w.key(), &first.id, conclusion(Some(5), None))
        .unwrap();

    // Asked for on the 15th day, drawn on the 20th: in time, and by the other three.
    w.clock.advance_days(20);
    let asked = DrawRequest {
        requested_on: Some("2026-03-16".into()),
        ..draw("reappraisal", 3)
    };
    let again = w
        .app
        .draw_injury_panel(&secretary, &w.key(), &case.id, asked)
        .unwrap();
    let second_panel = again.appraisals[1].panel.clone().unwrap();
    for id in first.panel.as_ref().unwrap() {
        assert!(!second_panel.contains(id), "{id} sat on the first panel");
    }
    let late = DrawRequest {
        requested_on: Some("2026-03-17".into()),
        ..draw("reappraisal", 3)
    };
    assert_eq!(
        code(
            w.app
                .draw_injury_panel(&secretary, &w.key(), &case.id, late)
                .unwrap_err()
        ),
        "conflict",
        "one appraisal open at a time"
    );
    let early = w
        .app
        .settle_injury_benefits(&w.second_clerk, &w.key(), &case.id);
    assert_eq!(code(early.unwrap_err()), "wrong_state", "a panel sits");
    w.app
        .conclude_injury_appraisal(
            &secretary,
            &w.key(),
            &again.appraisals[1].id,
            conclusion(Some(4), Some("partial")),
        )
        .unwrap();
    let final_again =
        w.app
            .draw_injury_panel(&secretary, &w.key(), &case.id, draw("reappraisal", 3));
    assert_eq!(
        code(final_again.unwrap_err()),
        "wrong_state",
        "a re-appraisal is final"
    );

    // Final at once: grade 4 from the fund, 75% a month, and partial care at 30% of the
    // local average.
    let before = w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen;
    let settled = w
        .app
        .settle_injury_benefits(&w.second_clerk, &w.key(), &case.id)
        .unwrap()
        .settlement
        .unwrap();
    assert_eq!(settled.grade, 4);
    assert_eq!(settled.one_time_fen, 21 * 800_000);
    assert_eq!(
        (settled.monthly_fen, settled.payer.as_deref()),
        (Some(600_000), Some("fund"))
    );
    assert_eq!(settled.care_fen, Some(240_000));
    let after = w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen;
    assert_eq!(after - before, settled.one_time_fen);
    assert_eq!(
        code(
            w.app
                .settle_injury_benefits(&w.clerk, &w.key(), &case.id)
                .unwrap_err()
        ),
        "same_clerk",
        "whoever took the application does not settle it"
    );

    // A case concluded without a disability settles nothing.
    w.app
        .decide_injury_case(&w.second_clerk, &w.key(), &named.id, recognise())
        .unwrap();
    let none = w
        .app
        .draw_injury_panel(&secretary, &w.key(), &named.id, draw("first", 3))
        .unwrap()
        .appraisals
        .remove(0);
    w.app
        .conclude_injury_appraisal(&secretary, &w.key(), &none.id, conclusion(None, None))
        .unwrap();
    w.clock.advance_days(16);
    let nothing = w
        .app
        .settle_injury_benefits(&w.second_clerk, &w.key(), &named.id);
    assert_eq!(code(nothing.unwrap_err()), "wrong_state");
    w.assert_ledger_balanced("after the re-appraised subsidy");
}

fn the_fund_pays_allowances_monthly_and_a_death_its_benefits_and_pensions(w: World) {
    benefit_parameters(&w);
    let (worker, card) = w.collected_card(HOLDER_ID);
    let (spouse, spouse_card) = w.collected_card(OTHER_ID);
    let elder = w.register("11010519491231002X").id;
    let employer = w.employer("91350100M000100Y43", "330100");
    insured(&w, HOLDER_ID, &worker.id, &employer, "2025-01", 14);
    let hr = w.employer_user("firm-hr", &employer);
    let case = w
        .app
        .apply_injury_recognition(&hr, &w.key(), &worker.id, injured("2026-02-20", None))
        .unwrap();
    w.app
        .decide_injury_case(&w.clerk, &w.key(), &case.id, recognise())
        .unwrap();
    let secretary = w.user("secretary", Role::AppraisalSecretary, None, None, None);
    for code_of in ["E-1", "E-2", "E-3"] {
        w.app
            .add_injury_expert(&secretary, &w.key(), "330100", expert(code_of, None))
            .unwrap();
    }
    let drawn = w
        .app
        .draw_injury_panel(&secretary, &w.key(), &case.id, draw("first", 3))
        .unwrap();
    w.app
        .conclude_injury_appraisal(
            &secretary,
            &w.key(),
            &drawn.appraisals[0].id,
            conclusion(Some(3), Some("major")),
        )
        .unwrap();
    w.clock.advance_days(16);
    let settled = w
        .app
        .settle_injury_benefits(&w.clerk, &w.key(), &case.id)
        .unwrap();
    // Grade 3: 80% a month from the fund, and major care at 40% of the local average, both
    // from the month after the conclusion (concluded on 2026-03-01).
    let monthly: Vec<(&str, i64, &str)> = settled
        .pensions
        .iter()
        .map(|p| (p.kind.as_str(), p.monthly_fen, p.from_month.as_str()))
        .collect();
    assert_eq!(
        monthly,
        [
            ("disability", 640_000, "2026-04"),
            ("care", 320_000, "2026-04")
        ]
    );
    let payout = |month: &str| shebao_app::insurance::pensions::PayoutRequest {
        region: "330100".into(),
        month: month.into(),
    };
    let march = w
        .app
        .run_injury_payout(&w.clerk, &w.key(), payout("2026-03"))
        .unwrap();
    assert_eq!(march.paid, 0, "nothing due before April");
    let ahead = w
        .app
        .run_injury_payout(&w.clerk, &w.key(), payout("2026-04"));
    assert_eq!(code(ahead.unwrap_err()), "month_in_future");
    w.clock.advance_days(15);
    let before = w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen;
    let april = w
        .app
        .run_injury_payout(&w.clerk, &w.key(), payout("2026-04"))
        .unwrap();
    assert_eq!((april.paid, april.paid_fen), (2, 960_000));
    let again = w
        .app
        .run_injury_payout(&w.clerk, &w.key(), payout("2026-04"))
        .unwrap();
    assert_eq!((again.paid, again.already_paid), (0, 2), "once a month");
    let after = w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen;
    assert_eq!(after - before, 960_000);

    // May is paid before the bureau learns the worker died on 10 April.
    w.clock.advance_days(31);
    let may = w
        .app
        .run_injury_payout(&w.clerk, &w.key(), payout("2026-05"))
        .unwrap();
    assert_eq!((may.paid, may.paid_fen), (2, 960_000));
    // Another case of the worker's, recognised: a worker dies once, whatever the case.
    let other = w
        .app
        .apply_injury_recognition(
            &w.clerk,
            &w.key(),
            &worker.id,
            injured("2026-04-05", Some("family")),
        )
        .unwrap();
    w.app
        .decide_injury_case(&w.second_clerk, &w.key(), &other.id, recognise())
        .unwrap();

    // The spouse is paid the funeral grant and the one-time benefit, the spouse and a lone
    // elder a pension each from May; the allowances end with April, and May's, paid, is
    // owed back to the fund.
    let death = |dependants: Vec<DependantBody>| NewDeath {
        died_on: "2026-04-10".into(),
        recipient_id: spouse.id.clone(),
        dependants,
        note: "因工伤并发症死亡".into(),
    };
    let dependant = |person: &str, spouse: bool, alone: bool| DependantBody {
        person_id: person.into(),
        spouse,
        alone,
    };
    let by_hr = w
        .app
        .settle_injury_death(&hr, &w.key(), &case.id, death(Vec::new()));
    assert_eq!(code(by_hr.unwrap_err()), "forbidden");
    for wrong in [
        vec![dependant(&spouse.id, true, true)],
        vec![
            dependant(&elder, false, true),
            dependant(&elder, false, false),
        ],
    ] {
        let refused = w
            .app
            .settle_injury_death(&w.second_clerk, &w.key(), &case.id, death(wrong));
        assert_eq!(code(refused.unwrap_err()), "invalid_request");
    }
    let to_the_dead = NewDeath {
        recipient_id: worker.id.clone(),
        ..death(Vec::new())
    };
    let refused = w
        .app
        .settle_injury_death(&w.second_clerk, &w.key(), &case.id, to_the_dead);
    assert_eq!(code(refused.unwrap_err()), "invalid_request");
    let before = w
        .app
        .card_account(&w.clerk, &spouse_card.id)
        .unwrap()
        .balance_fen;
    let dependants = vec![
        dependant(&spouse.id, true, false),
        dependant(&elder, false, true),
    ];
    let settled = w
        .app
        .settle_injury_death(&w.second_clerk, &w.key(), &case.id, death(dependants))
        .unwrap();
    let death_view = settled.death.unwrap();
    assert_eq!(
        (
            death_view.funeral_fen,
            death_view.one_time_fen,
            death_view.overpaid_fen
        ),
        (6 * 800_000, 20 * 5_431_600, 960_000)
    );
    let after = w
        .app
        .card_account(&w.clerk, &spouse_card.id)
        .unwrap()
        .balance_fen;
    assert_eq!(after - before, 6 * 800_000 + 20 * 5_431_600);
    let pensions: Vec<(&str, i64, &str, Option<&str>)> = settled
        .pensions
        .iter()
        .map(|p| {
            (
                p.kind.as_str(),
                p.monthly_fen,
                p.from_month.as_str(),
                p.ended_month.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        pensions,
        [
            ("disability", 640_000, "2026-04", Some("2026-05")),
            ("care", 320_000, "2026-04", Some("2026-05")),
            ("dependant", 320_000, "2026-05", None),
            ("dependant", 320_000, "2026-05", None),
        ]
    );
    let twice = w
        .app
        .settle_injury_death(&w.second_clerk, &w.key(), &other.id, death(Vec::new()));
    assert_eq!(code(twice.unwrap_err()), "conflict", "a worker dies once");
    let after_death = w
        .app
        .settle_injury_benefits(&w.second_clerk, &w.key(), &other.id);
    assert_eq!(code(after_death.unwrap_err()), "wrong_state");
    // May again: the dependants' pensions are due, the ended allowances not.
    let may = w
        .app
        .run_injury_payout(&w.clerk, &w.key(), payout("2026-05"))
        .unwrap();
    assert_eq!(
        (may.paid, may.paid_fen, may.already_paid),
        (1, 320_000, 0),
        "the spouse's pension"
    );
    assert_eq!(may.skipped.len(), 1, "the elder has no card yet");
    assert_eq!(may.skipped[0].code, "no_card");
    // The committee sees no money; the employer no family.
    let secretary_view = w
        .app
        .draw_injury_panel(&secretary, &w.key(), &other.id, draw("first", 3))
        .unwrap();
    assert!(secretary_view.pensions.is_empty() && secretary_view.death.is_none());
    let employer_view = w.app.employer_injury_cases(&hr, &employer).unwrap();
    let dead = employer_view.iter().find(|c| c.id == case.id).unwrap();
    assert!(dead.death.is_none() && dead.pensions.is_empty() && dead.settlement.is_some());
    w.assert_ledger_balanced("after the allowances and the death benefits");
}

crate::on_both_backends!(
    a_recognised_injury_is_appraised_and_its_benefits_settled_once,
    a_timely_reappraisal_by_other_experts_is_final_and_settles_at_once,
    the_fund_pays_allowances_monthly_and_a_death_its_benefits_and_pensions,
);
