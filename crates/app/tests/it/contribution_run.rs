//! The monthly contribution run: the base carried forward from the last declared wage, the
//! flexible rules, skipped persons, idempotency, one audit record per run, authorisation.

use shebao_app::AppError;
use shebao_app::insurance::contribution_run::{ContributionRunRequest, ContributionRunView};
use shebao_app::insurance::declarations::{DeclarationRow, DeclarationRows};
use shebao_app::insurance::{ContributionView, NewEnrolment, PaymentRequest};
use shebao_domain::ids::RegionCode;
use shebao_domain::insurance::Month;
use shebao_domain::person::identity::check_character;

use crate::harness::World;

/// A valid ID number from its first 17 characters.
fn citizen(first17: &str) -> String {
    format!("{first17}{}", check_character(first17).unwrap())
}

fn enrol(w: &World, person: &str, kind: &str, employer: Option<&str>, region: Option<&str>) {
    w.app
        .enrol(
            &w.clerk,
            &w.key(),
            NewEnrolment {
                person_id: person.into(),
                kind: kind.into(),
                employer_id: employer.map(Into::into),
                region: region.map(Into::into),
                start_month: "2025-06".into(),
            },
        )
        .unwrap();
}

fn declare(w: &World, employer: &str, rows: &[(&str, &str, i64)]) {
    let rows = rows
        .iter()
        .map(|(citizen_id, month, wage_fen)| DeclarationRow {
            citizen_id: (*citizen_id).into(),
            month: (*month).into(),
            wage_fen: *wage_fen,
        })
        .collect();
    let view = w
        .app
        .declare_rows(&w.clerk, employer, DeclarationRows { rows })
        .unwrap();
    assert_eq!(view.rows_rejected, 0);
}

fn run(w: &World, key: &str, month: &str) -> Result<ContributionRunView, AppError> {
    let mut calls = Vec::new();
    let outcome = w.app.run_contributions(
        &w.clerk,
        key,
        ContributionRunRequest {
            region: "330100".into(),
            month: month.into(),
        },
        &mut |done, total| calls.push((done, total)),
    );
    // A replayed answer runs nothing, so reports no progress.
    if let Ok(view) = &outcome
        && !calls.is_empty()
    {
        let persons = usize::try_from(view.persons).unwrap();
        assert_eq!(calls.first(), Some(&(0, persons)), "progress starts at 0");
        assert_eq!(
            calls.last(),
            Some(&(persons, persons)),
            "progress ends done"
        );
    }
    outcome
}

/// One person's month as (insurance, base, employer, individual, account, status, wage).
fn month_of(w: &World, person: &str, month: &str) -> Vec<(String, i64, i64, i64, i64, String)> {
    w.app
        .contribution_history(&w.clerk, person, None)
        .unwrap()
        .into_iter()
        .filter(|c: &ContributionView| c.month == month)
        .map(|c| {
            (
                c.insurance,
                c.base_fen,
                c.employer_fen,
                c.individual_fen,
                c.account_fen,
                c.status,
            )
        })
        .collect()
}

/// One person's month in fen (average wage 8,000 yuan, work injury class I at 100%): the
/// base, the employer's share of each insurance in `Insurance::ALL` order, the individual's
/// share of pension, medical and unemployment.
type Vector = (i64, [i64; 5], [i64; 3]);

/// The insurance.md vectors for employees A, B and C (wages of 3,000, 10,000 and 30,000 yuan).
const WAGE_3_000: Vector = (
    480_000,
    [76_800, 38_400, 2_400, 960, 0],
    [38_400, 9_600, 2_400],
);
const WAGE_10_000: Vector = (
    1_000_000,
    [160_000, 80_000, 5_000, 2_000, 0],
    [80_000, 20_000, 5_000],
);
const WAGE_30_000: Vector = (
    2_400_000,
    [384_000, 192_000, 12_000, 4_800, 0],
    [192_000, 48_000, 12_000],
);

/// A vector's rows as [`month_of`] reads them, sorted, all owed; the individual's pension
/// and medical shares are credited to the personal account.
fn vector((base, employer, individual): Vector) -> Vec<(String, i64, i64, i64, i64, String)> {
    let names = [
        "pension",
        "medical",
        "unemployment",
        "work_injury",
        "maternity",
    ];
    let mut rows: Vec<_> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let individual_fen = individual.get(i).copied().unwrap_or(0);
            let account = if i < 2 { individual_fen } else { 0 };
            (
                (*name).to_owned(),
                base,
                employer[i],
                individual_fen,
                account,
                "owed".to_owned(),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn sorted(
    mut rows: Vec<(String, i64, i64, i64, i64, String)>,
) -> Vec<(String, i64, i64, i64, i64, String)> {
    rows.sort();
    rows
}

/// Employees A, B, C with wages 3,000, 10,000 and 30,000 yuan declared for 2026-01, an
/// employee D never declared, a flexible worker F, and G insured in another region.
struct Region {
    firm: String,
    a: (String, String),
    b: (String, String),
    c: (String, String),
    d: String,
    f: String,
    g: String,
}

fn region(w: &World) -> Region {
    let firm = w.employer("91350100M000100Y43", "330100");
    let elsewhere = w.employer("91440300708461136T", "440300");
    let person = |first17: &str| {
        let id = citizen(first17);
        (w.register(&id).id, id)
    };
    let a = person("33010619900307123");
    let b = person("31010419850615352");
    let c = person("11010119800101001");
    let d = person("11010119800101002");
    let f = person("11010119800101003");
    let g = person("11010119800101004");
    for worker in [&a, &b, &c, &d] {
        enrol(w, &worker.0, "employee", Some(&firm), None);
    }
    enrol(w, &f.0, "flexible", None, Some("330100"));
    enrol(w, &g.0, "employee", Some(&elsewhere), None);
    declare(
        w,
        &firm,
        &[
            (&a.1, "2026-01", 300_000),
            (&b.1, "2026-01", 1_000_000),
            (&c.1, "2026-01", 3_000_000),
        ],
    );
    declare(w, &elsewhere, &[(&g.1, "2026-01", 1_000_000)]);
    Region {
        firm,
        a,
        b,
        c,
        d: d.0,
        f: f.0,
        g: g.0,
    }
}

fn the_run_posts_the_month_from_the_last_declared_wage(w: World) {
    let r = region(&w);
    let view = run(&w, "run-2026-02-a", "2026-02").unwrap();
    assert_eq!(
        (
            view.persons,
            view.posted,
            view.rows_written,
            view.already_recorded,
            view.skipped_no_base
        ),
        (5, 4, 16, 0, 1),
        "A, B, C five rows each, F one, D skipped, G in another region"
    );
    let employees = [("A", &r.a.0), ("B", &r.b.0), ("C", &r.c.0)];
    let expected = [WAGE_3_000, WAGE_10_000, WAGE_30_000];
    for ((who, person), expected) in employees.into_iter().zip(expected) {
        assert_eq!(
            sorted(month_of(&w, person, "2026-02")),
            vector(expected),
            "employee {who}"
        );
    }
    assert_eq!(
        month_of(&w, &r.f, "2026-02"),
        vec![(
            "pension".to_owned(),
            800_000,
            0,
            160_000,
            64_000,
            "owed".to_owned()
        )],
        "flexible: 20% of the average wage, 8% of it to the personal account"
    );
    assert!(month_of(&w, &r.d, "2026-02").is_empty(), "no base, nothing");
    assert!(month_of(&w, &r.g, "2026-02").is_empty(), "another region");
    let employer_sees = w.app.arrears(&w.clerk, &r.firm).unwrap();
    assert_eq!(
        employer_sees
            .iter()
            .map(|a| a.month.as_str())
            .collect::<Vec<_>>(),
        ["2026-01", "2026-02"],
        "the run's month is owed by the employer like a declared one"
    );
    let runs = w
        .app
        .store()
        .read(|tx| tx.contribution_runs(&RegionCode::new("330100"), Month::new(2026, 2).unwrap()))
        .unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(
        (runs[0].id.as_str(), runs[0].rows_written),
        (view.id.as_str(), 16)
    );

    // The flexible worker pays the run's month at the window: the owed row becomes paid.
    let paid = w
        .app
        .record_flexible_contribution(
            &w.clerk,
            &w.key(),
            &r.f,
            PaymentRequest {
                month: "2026-02".into(),
            },
        )
        .unwrap();
    assert_eq!(
        (paid.individual_fen, paid.account_fen, paid.status.as_str()),
        (160_000, 64_000, "paid")
    );
    assert_eq!(month_of(&w, &r.f, "2026-02")[0].5, "paid");
    let summary = w.app.insurance_summary(&w.clerk, &r.f).unwrap();
    assert_eq!(summary.personal_pension_balance_fen, 64_000);
}

fn the_base_carries_forward_until_a_new_wage_is_declared(w: World) {
    let r = region(&w);
    run(&w, "run-2026-02-a", "2026-02").unwrap();
    // B's employer declares a new wage for March before the March run.
    declare(&w, &r.firm, &[(&r.b.1, "2026-03", 2_000_000)]);
    let march = run(&w, "run-2026-03-a", "2026-03").unwrap();
    assert_eq!(
        (march.posted, march.already_recorded, march.skipped_no_base),
        (3, 1, 1),
        "A, C and F posted; B declared"
    );
    assert_eq!(month_of(&w, &r.a.0, "2026-03")[0].1, 480_000);
    assert_eq!(month_of(&w, &r.c.0, "2026-03")[0].1, 2_400_000);
    w.clock.advance_days(31);
    let april = run(&w, "run-2026-04-a", "2026-04").unwrap();
    assert_eq!((april.posted, april.rows_written), (4, 16));
    assert_eq!(
        sorted(month_of(&w, &r.b.0, "2026-04")),
        vector((
            2_000_000,
            [320_000, 160_000, 10_000, 4_000, 0],
            [160_000, 40_000, 10_000]
        )),
        "B's new wage carried into April"
    );
    assert_eq!(
        month_of(&w, &r.a.0, "2026-04")[0].1,
        480_000,
        "A still on January's wage"
    );
}

fn running_a_month_again_posts_nothing_and_each_run_is_audited_once(w: World) {
    let r = region(&w);
    let audited = |w: &World| w.audit_of("insurance.contribution_run", 100);
    let rows = |w: &World| w.app.store().read(|tx| tx.contribution_count()).unwrap();
    let first = run(&w, "run-2026-02-a", "2026-02").unwrap();
    let after_first = rows(&w);
    let records = audited(&w);
    assert_eq!(records.len(), 1, "one audit record for the whole run");
    assert_eq!(records[0].subject, "region:330100");
    assert_eq!(records[0].outcome, "ok");
    let detail: serde_json::Value = serde_json::from_str(&records[0].detail).unwrap();
    assert_eq!(
        (
            detail["run"].as_str(),
            detail["rows"].as_i64(),
            detail["skipped_no_base"].as_i64()
        ),
        (Some(first.id.as_str()), Some(16), Some(1))
    );

    // The same key answers again without running.
    let replayed = run(&w, "run-2026-02-a", "2026-02").unwrap();
    assert_eq!(replayed, first);
    assert_eq!(audited(&w).len(), 1);
    // The same key for another month is refused before anything runs.
    let reused = run(&w, "run-2026-02-a", "2026-03").unwrap_err();
    assert_eq!(reused.code(), "idempotency_key_reused");
    assert_eq!(rows(&w), after_first);

    // A new run of the same month finds everything recorded.
    let again = run(&w, "run-2026-02-b", "2026-02").unwrap();
    assert_eq!(
        (
            again.persons,
            again.posted,
            again.rows_written,
            again.already_recorded,
            again.skipped_no_base
        ),
        (5, 0, 0, 4, 1)
    );
    assert_ne!(again.id, first.id);
    assert_eq!(rows(&w), after_first, "nothing new");
    assert_eq!(audited(&w).len(), 2, "one more run, one more record");
    assert_eq!(sorted(month_of(&w, &r.b.0, "2026-02")), vector(WAGE_10_000));
}

fn only_a_bureau_clerk_runs_a_region(w: World) {
    let r = region(&w);
    let staff = w.employer_user("firm-hr", &r.firm);
    let holder = w.holder_login("holder-a", &r.a.0);
    for actor in [&staff, &holder, &w.auditor, &w.teller] {
        let refused = w
            .app
            .run_contributions(
                actor,
                &w.key(),
                ContributionRunRequest {
                    region: "330100".into(),
                    month: "2026-02".into(),
                },
                &mut |_, _| {},
            )
            .unwrap_err();
        assert_eq!(refused.code(), "forbidden", "{:?}", actor.role);
    }
    let denied = w.audit_of("declare", 100);
    assert_eq!(denied.len(), 4, "each refusal audited once");
    assert!(month_of(&w, &r.a.0, "2026-02").is_empty(), "nothing posted");
    let future = run(&w, &w.key(), "2026-04").unwrap_err();
    assert_eq!(future.code(), "month_in_future");
    let bad = run(&w, &w.key(), "2026-13").unwrap_err();
    assert_eq!(bad.code(), "invalid_request");
    let rows = w.app.store().read(|tx| tx.contribution_count()).unwrap();
    assert_eq!(rows, 20, "only the declarations' rows");
}

crate::on_both_backends!(
    the_run_posts_the_month_from_the_last_declared_wage,
    the_base_carries_forward_until_a_new_wage_is_declared,
    running_a_month_again_posts_nothing_and_each_run_is_audited_once,
    only_a_bureau_clerk_runs_a_region,
);
