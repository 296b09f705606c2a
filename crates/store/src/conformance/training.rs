//! Vocational training: a provider once by credit code, a person's enrolment once a course
//! unless withdrawn, a day's attendance once, no more places taken than the course has,
//! saves over the version read, the lists the desks read, and a spell's referral to a
//! course once.

use shebao_domain::ids::{PersonId, RegionCode};
use shebao_domain::insurance::unemployment::SpellStatus;

use crate::Store;
use crate::records::*;

use super::employment::date;
use super::unemployment::spell;
use super::{NOW, Outcome, check, conflict, equal, seed_reference, store_err};

fn provider(id: &str, code: &str) -> TrainingProviderRecord {
    TrainingProviderRecord {
        id: id.into(),
        region: RegionCode::new("330100"),
        credit_code: code.into(),
        name: "杭州技师学院".into(),
        registered_by: "clerk-1".into(),
        registered_at: NOW,
    }
}

fn course(id: &str) -> Result<TrainingCourseRecord, String> {
    Ok(TrainingCourseRecord {
        id: id.into(),
        provider_id: "tp1".into(),
        region: RegionCode::new("330100"),
        title: "中式烹调师".into(),
        occupation: "4-03-02-01".into(),
        hours: 90,
        places: 1,
        subsidy_fen: 150_000,
        payee: "card".into(),
        attendance_percent: 80,
        starts_on: date("2026-03-02")?,
        ends_on: date("2026-03-31")?,
        status: "pending".into(),
        taken: 0,
        posted_by: "tp-staff".into(),
        posted_at: NOW,
        reviewed_by: None,
        reviewed_at: None,
        review_note: None,
        version: 0,
    })
}

fn enrolment(id: &str) -> TrainingEnrolmentRecord {
    TrainingEnrolmentRecord {
        id: id.into(),
        course_id: "c1".into(),
        person_id: PersonId::new("p1"),
        status: "enrolled".into(),
        attended_hours: 0,
        enrolled_by: "holder".into(),
        enrolled_at: NOW,
        completed_on: None,
        recorded_by: None,
        recorded_at: None,
        certificate_code: None,
        transfer_id: None,
        paid_by: None,
        paid_at: None,
        version: 0,
    }
}

/// The records of vocational training keep the rules the application counts on.
pub fn training_enrolments_are_one_a_course_and_attendance_one_a_day(store: &Store) -> Outcome {
    seed_reference(store)?;
    let posted = course("c1")?;
    let stored = posted.clone();
    store
        .write(move |tx| {
            tx.insert_training_provider(&provider("tp1", "91330100MA27XYZ12A"))?;
            tx.insert_training_course(&stored)
        })
        .map_err(store_err)?;
    conflict(
        store.write(|tx| tx.insert_training_provider(&provider("tp2", "91330100MA27XYZ12A"))),
        "a second provider of a credit code must conflict",
    )?;
    let pending = store
        .read(|tx| tx.training_courses_pending(10))
        .map_err(store_err)?;
    equal(pending.len(), 1, "the course waits for review")?;

    // Approved, with its one place taken by the enrolment.
    let mut open = posted;
    open.status = "open".into();
    open.taken = 1;
    open.reviewed_by = Some("clerk-2".into());
    open.reviewed_at = Some(NOW);
    let (saved, stale) = (open.clone(), open.clone());
    store
        .write(move |tx| {
            tx.save_training_course(&saved)?;
            tx.insert_training_enrolment(&enrolment("n1"))
        })
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.save_training_course(&stale)),
        "a second save over the same version must conflict",
    )?;
    let mut overfull = open.clone();
    overfull.version = 1;
    overfull.taken = 2;
    check(
        store
            .write(move |tx| tx.save_training_course(&overfull))
            .is_err(),
        "no more places may be taken than the course has",
    )?;
    let (first_day, second_day) = (date("2026-03-02")?, date("2026-03-03")?);
    let listed = store
        .read(move |tx| tx.training_courses_open(first_day, 10))
        .map_err(store_err)?;
    equal(listed.len(), 1, "an open course not started is listed")?;
    let later = store
        .read(move |tx| tx.training_courses_open(second_day, 10))
        .map_err(store_err)?;
    equal(later.len(), 0, "a course that started is not")?;

    conflict(
        store.write(|tx| tx.insert_training_enrolment(&enrolment("n2"))),
        "a second enrolment of a person in a course must conflict",
    )?;
    let attended = TrainingAttendanceRecord {
        enrolment_id: "n1".into(),
        day: date("2026-03-02")?,
        hours: 8,
        recorded_by: "tp-staff".into(),
        recorded_at: NOW,
    };
    let twice = attended.clone();
    store
        .write(move |tx| tx.insert_training_attendance(&attended))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.insert_training_attendance(&twice)),
        "a day's attendance is recorded once",
    )?;

    // Completed: waits for its subsidy until paid; withdrawn frees the course for the person.
    let mut completed = enrolment("n1");
    completed.status = "completed".into();
    completed.attended_hours = 80;
    completed.completed_on = Some(date("2026-03-31")?);
    completed.recorded_by = Some("tp-staff".into());
    completed.recorded_at = Some(NOW);
    let saved = completed.clone();
    store
        .write(move |tx| tx.save_training_enrolment(&saved))
        .map_err(store_err)?;
    let unpaid = store
        .read(|tx| tx.training_completions_unpaid(10))
        .map_err(store_err)?;
    equal(
        unpaid.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        vec!["n1"],
        "a completion waits for its subsidy",
    )?;
    let read = store
        .read(|tx| tx.training_enrolment("n1"))
        .map_err(store_err)?;
    equal(
        read.map(|e| (e.attended_hours, e.completed_on, e.version)),
        Some((80, completed.completed_on, 1)),
        "an enrolment reads back as saved",
    )?;
    // In another course: enrolled, withdrawn, enrolled again.
    let mut other_course = course("c2")?;
    other_course.status = "open".into();
    let in_other = |id: &str| TrainingEnrolmentRecord {
        course_id: "c2".into(),
        ..enrolment(id)
    };
    let (first, again) = (in_other("n3"), in_other("n4"));
    let gone = TrainingEnrolmentRecord {
        status: "withdrawn".into(),
        ..first.clone()
    };
    store
        .write(move |tx| {
            tx.insert_training_course(&other_course)?;
            tx.insert_training_enrolment(&first)?;
            tx.save_training_enrolment(&gone)?;
            tx.insert_training_enrolment(&again)
        })
        .map_err(store_err)?;
    let mine = store
        .read(|tx| tx.training_enrolments_of(&PersonId::new("p1"), 10))
        .map_err(store_err)?;
    equal(mine.len(), 3, "a person's enrolments, withdrawn ones too")?;

    // A referral of an unemployed person's spell to a course: once a course a spell, its
    // outcome saved over the version read.
    let mut open_spell = spell("s9", SpellStatus::Registered, 0)?;
    open_spell.leaver_report_id = None;
    let referral = TrainingReferralRecord {
        id: "tr1".into(),
        spell_id: "s9".into(),
        person_id: PersonId::new("p1"),
        course_id: "c1".into(),
        note: "适合其求职方向".into(),
        referred_by: "clerk-1".into(),
        referred_at: NOW,
        outcome: None,
        outcome_note: None,
        recorded_by: None,
        recorded_at: None,
        version: 0,
    };
    let (stored, twice) = (
        referral.clone(),
        TrainingReferralRecord {
            id: "tr2".into(),
            ..referral.clone()
        },
    );
    store
        .write(move |tx| {
            tx.insert_unemployment_spell(&open_spell)?;
            tx.insert_training_referral(&stored)
        })
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.insert_training_referral(&twice)),
        "a second referral of a spell to a course must conflict",
    )?;
    let recorded = TrainingReferralRecord {
        outcome: Some("refused_without_reason".into()),
        outcome_note: Some("不愿参加".into()),
        recorded_by: Some("clerk-1".into()),
        recorded_at: Some(NOW),
        ..referral
    };
    let (saved, stale) = (recorded.clone(), recorded.clone());
    store
        .write(move |tx| tx.save_training_referral(&saved))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.save_training_referral(&stale)),
        "a second outcome over the same version must conflict",
    )?;
    let listed = store
        .read(|tx| tx.training_referrals_of(&PersonId::new("p1"), 10))
        .map_err(store_err)?;
    equal(
        listed
            .iter()
            .map(|r| (r.outcome.clone(), r.version))
            .collect::<Vec<_>>(),
        vec![(Some("refused_without_reason".to_owned()), 1)],
        "a person's referrals to courses read back as saved",
    )?;
    Ok(())
}
