//! Insurance: the monthly contribution run's storage.

use shebao_domain::ids::{EmployerId, PersonId, RegionCode};
use shebao_domain::insurance::{Insurance, Month};
use shebao_domain::time::Timestamp;

use crate::records::*;
use crate::{Store, StoreError};

use super::{NOW, Outcome, conflict, equal, person, seed_reference, store_err};

pub(super) fn contribution(
    person: &str,
    insurance: Insurance,
    month: Month,
    payer: Option<&str>,
) -> ContributionRecord {
    ContributionRecord {
        person_id: PersonId::new(person),
        insurance,
        month,
        employer_id: payer.map(EmployerId::new),
        region: RegionCode::new("330100"),
        wage_fen: 1_000_000,
        base_fen: 1_000_000,
        employer_fen: 160_000,
        individual_fen: if insurance == Insurance::Pension {
            80_000
        } else {
            0
        },
        account_fen: 0,
        status: "owed".into(),
        declaration_id: "run_1".into(),
        declared_at: NOW,
        paid_at: None,
    }
}

/// The employer `e1` of the insurance stories, in region 330100.
pub(crate) fn employer_e1() -> EmployerRecord {
    EmployerRecord {
        id: EmployerId::new("e1"),
        credit_code: "91350100M000100Y43".into(),
        name: "e1".into(),
        region: RegionCode::new("330100"),
        risk_class: 2,
        rate_tier_percent: 80,
        created_at: NOW,
    }
}

fn month(year: i32, month: u8) -> Result<Month, String> {
    Month::new(year, month).ok_or_else(|| "month".to_owned())
}

/// The monthly contribution run's storage: the persons insured in a region in a month, in
/// person order a page at a time, each with the latest pension month of the same payer;
/// compact inserts of whole months that refuse a month already recorded; run records.
pub fn contribution_runs_page_through_the_insured(store: &Store) -> Outcome {
    seed_reference(store)?;
    let (january, february) = (month(2026, 1)?, month(2026, 2)?);
    seed_the_insured(store, january)?;
    candidates_come_a_page_at_a_time(store, january, february)?;
    compact_inserts_store_every_column(store, february)?;
    runs_are_listed_oldest_first(store, february)
}

/// Certificates: each read back as written, with its sealed PDF or without (issued before
/// the PDF was kept), and a person's listed newest first, at most as many as asked.
pub fn certificates_keep_their_document_and_list_newest_first(store: &Store) -> Outcome {
    let holder = person("prs_cert", "idx-cert");
    let other = person("prs_other", "idx-other");
    let certificate =
        |code: &str, owner: &PersonRecord, at: i64, document: Option<&str>| CertificateRecord {
            code: code.into(),
            person_id: owner.id.clone(),
            digest: format!("{code}-digest"),
            content_cipher: format!("k1:{code}"),
            summary: format!("{{\"code\":\"{code}\"}}"),
            issued_at: NOW.add_seconds(at),
            document_cipher: document.map(str::to_owned),
        };
    let written = vec![
        certificate("SB-A", &holder, 0, None),
        certificate("SB-B", &holder, 60, Some("k1:pdf-b")),
        certificate("SB-C", &holder, 120, Some("k1:pdf-c")),
        certificate("SB-D", &other, 180, Some("k1:pdf-d")),
    ];
    let rows = written.clone();
    store
        .write(move |tx| {
            tx.insert_person(&holder)?;
            tx.insert_person(&other)?;
            for row in &rows {
                tx.insert_certificate(row)?;
            }
            Ok(())
        })
        .map_err(store_err)?;
    for expected in &written {
        let code = expected.code.clone();
        let read = store
            .read(move |tx| tx.certificate(&code))
            .map_err(store_err)?;
        equal(read.as_ref(), Some(expected), "a certificate read back")?;
    }
    let listed = store
        .read(|tx| tx.certificates_of_person(&PersonId::new("prs_cert"), 2))
        .map_err(store_err)?;
    let codes: Vec<&str> = listed.iter().map(|c| c.code.as_str()).collect();
    equal(
        codes,
        vec!["SB-C", "SB-B"],
        "a person's certificates, newest first",
    )
}

fn enrolment(
    id: &str,
    person: &str,
    kind: &str,
    region: &str,
    start: Month,
    end: Option<Month>,
) -> EnrolmentRecord {
    EnrolmentRecord {
        id: id.into(),
        person_id: PersonId::new(person),
        employer_id: (kind == "employee").then(|| EmployerId::new("e1")),
        region: RegionCode::new(region),
        kind: kind.into(),
        start,
        end,
        created_at: NOW,
        version: 0,
    }
}

/// Employer e1; p1 … p5 enrolled in and out of Hangzhou in February; pension months of
/// December and January.
fn seed_the_insured(store: &Store, january: Month) -> Outcome {
    let enrolments = [
        enrolment("n1", "p1", "employee", "330100", month(2025, 6)?, None),
        enrolment(
            "n2",
            "p2",
            "employee",
            "330100",
            month(2025, 1)?,
            Some(january),
        ),
        enrolment("n3", "p3", "flexible", "330100", january, None),
        enrolment("n4", "p4", "employee", "440300", january, None),
        enrolment("n5", "p5", "employee", "330100", month(2026, 3)?, None),
    ];
    let history = [
        ContributionRecord {
            wage_fen: 900_000,
            ..contribution("p1", Insurance::Pension, month(2025, 12)?, Some("e1"))
        },
        contribution("p1", Insurance::Pension, january, Some("e1")),
        contribution("p1", Insurance::Medical, january, Some("e1")),
        contribution("p3", Insurance::Pension, month(2025, 12)?, Some("e1")),
    ];
    store
        .write(move |tx| {
            tx.insert_employer(&employer_e1())?;
            for (i, person_id) in ["p2", "p3", "p4", "p5"].iter().enumerate() {
                tx.insert_person(&person(person_id, &format!("idx-run-{i}")))?;
            }
            for enrolment in &enrolments {
                tx.insert_enrolment(enrolment)?;
            }
            tx.insert_contributions(&history).map(|_| ())
        })
        .map_err(store_err)
}

fn candidate(person: &str, kind: &str, latest: Option<(Month, i64)>) -> RunCandidate {
    RunCandidate {
        person_id: PersonId::new(person),
        kind: kind.into(),
        employer_id: (kind == "employee").then(|| EmployerId::new("e1")),
        region: RegionCode::new("330100"),
        risk_class: (kind == "employee").then_some(2),
        rate_tier_percent: (kind == "employee").then_some(80),
        latest,
    }
}

fn candidates_come_a_page_at_a_time(store: &Store, january: Month, february: Month) -> Outcome {
    let region = RegionCode::new("330100");
    let (count, all, first, second, last) = store
        .read(move |tx| {
            Ok::<_, StoreError>((
                tx.insured_count(&region, february)?,
                tx.run_candidates(&region, february, "", 10)?,
                tx.run_candidates(&region, february, "", 1)?,
                tx.run_candidates(&region, february, "p1", 1)?,
                tx.run_candidates(&region, february, "p3", 1)?,
            ))
        })
        .map_err(store_err)?;
    equal(count, 2, "p1 and p3 are insured in February")?;
    equal(
        all.clone(),
        vec![
            candidate("p1", "employee", Some((january, 1_000_000))),
            candidate("p3", "flexible", None),
        ],
        "candidates, with the latest pension month of the same payer only",
    )?;
    equal(
        (first, second, last.len()),
        (all[..1].to_vec(), all[1..].to_vec(), 0),
        "keyset pages",
    )
}

fn compact_inserts_store_every_column(store: &Store, february: Month) -> Outcome {
    let month_of_five: Vec<ContributionRecord> = Insurance::ALL
        .iter()
        .map(|insurance| contribution("p1", *insurance, february, Some("e1")))
        .collect();
    let mut records = month_of_five.clone();
    let flexible = ContributionRecord {
        account_fen: 64_000,
        declaration_id: "flexible:\"p3\" \\ {a,b}".into(),
        ..contribution("p3", Insurance::Pension, february, None)
    };
    records.push(flexible.clone());
    let (fresh, again) = (records.clone(), records.clone());
    let written = store
        .write(move |tx| tx.insert_new_contributions(&fresh))
        .map_err(store_err)?;
    equal(written, 6, "a compact month of five and one row")?;
    let twice = store.write(move |tx| tx.insert_new_contributions(&again));
    conflict(
        twice,
        "a month already recorded is refused by the fast insert",
    )?;
    let (skipped, stored, rows, after) = store
        .write(move |tx| {
            let skipped = tx.insert_contributions(&records)?;
            let mut stored = tx.contributions_of_person(&PersonId::new("p1"), None)?;
            stored.extend(tx.contributions_of_person(&PersonId::new("p3"), None)?);
            let rows = tx.contribution_count()?;
            let after = tx.run_candidates(&RegionCode::new("330100"), february, "", 10)?;
            Ok::<_, StoreError>((skipped, stored, rows, after))
        })
        .map_err(store_err)?;
    equal(skipped, 0, "nothing new")?;
    equal(rows, 4 + 6, "rows")?;
    equal(
        stored
            .iter()
            .filter(|r| r.month == february)
            .cloned()
            .collect::<Vec<_>>(),
        {
            let mut expected = month_of_five;
            expected.sort_by(|a, b| a.insurance.as_str().cmp(b.insurance.as_str()));
            expected.push(flexible);
            expected
        },
        "the compact and the row-by-row insert store every column as given",
    )?;
    equal(
        after.iter().map(|c| c.latest).collect::<Vec<_>>(),
        vec![Some((february, 1_000_000)), Some((february, 1_000_000))],
        "the month is recorded for both",
    )
}

fn runs_are_listed_oldest_first(store: &Store, february: Month) -> Outcome {
    let run = |id: &str, started: i64| ContributionRunRecord {
        id: id.into(),
        region: RegionCode::new("330100"),
        month: february,
        persons: 2,
        posted: 2,
        rows_written: 6,
        already_recorded: 0,
        skipped_no_base: 0,
        actor: "bureau_clerk:c".into(),
        started_at: Timestamp::from_unix_seconds(started),
        finished_at: Timestamp::from_unix_seconds(started + 1),
    };
    let (first_run, second_run) = (run("run_b", 100), run("run_a", 200));
    let (a, b) = (first_run.clone(), second_run.clone());
    let runs = store
        .write(move |tx| {
            tx.insert_contribution_run(&a)?;
            tx.insert_contribution_run(&b)?;
            tx.contribution_runs(&RegionCode::new("330100"), february)
        })
        .map_err(store_err)?;
    equal(runs, vec![first_run, second_run], "runs, oldest first")
}

/// An employer's order to pay a month waits until the month is recorded paid; ordering again
/// replaces it, and a settled month can be ordered anew.
pub fn payment_orders_wait_until_settled(store: &Store) -> Outcome {
    seed_reference(store)?;
    let (january, february) = (month(2026, 1)?, month(2026, 2)?);
    let order = |month: Month, total_fen: i64, by: &str| PaymentOrderRecord {
        employer_id: EmployerId::new("e1"),
        month,
        total_fen,
        ordered_by: by.into(),
        ordered_at: NOW,
        paid_at: None,
    };
    let (first, again, other) = (
        order(january, 100, "hr-1"),
        order(january, 150, "hr-2"),
        order(february, 200, "hr-1"),
    );
    store
        .write(move |tx| {
            tx.insert_employer(&employer_e1())?;
            tx.order_payment(&first)?;
            tx.order_payment(&again)?;
            tx.order_payment(&other)
        })
        .map_err(store_err)?;
    let pending = |store: &Store| {
        store
            .read(|tx| tx.pending_payment_orders(&EmployerId::new("e1")))
            .map_err(store_err)
            .map(|orders| {
                orders
                    .into_iter()
                    .map(|o| (o.month.to_string(), o.total_fen, o.ordered_by))
                    .collect::<Vec<_>>()
            })
    };
    equal(
        pending(store)?,
        vec![
            ("2026-01".to_owned(), 150, "hr-2".to_owned()),
            ("2026-02".to_owned(), 200, "hr-1".to_owned()),
        ],
        "orders waiting, the second of January replacing the first",
    )?;
    let paid_at = Timestamp::from_unix_seconds(NOW.unix_seconds() + 60);
    store
        .write(move |tx| tx.settle_payment_order(&EmployerId::new("e1"), january, paid_at))
        .map_err(store_err)?;
    equal(
        pending(store)?,
        vec![("2026-02".to_owned(), 200, "hr-1".to_owned())],
        "January settled",
    )?;
    let anew = order(january, 300, "hr-1");
    store
        .write(move |tx| tx.order_payment(&anew))
        .map_err(store_err)?;
    equal(pending(store)?.len(), 2, "a settled month ordered anew")
}
