//! Employment services: the job board's vacancies and their search, on the backend's
//! full-text facility.

use shebao_domain::employment::{VacancyStatus, VacancyTerms, index_terms, query_terms};
use shebao_domain::ids::EmployerId;
use shebao_domain::time::{Date, Timestamp};

use crate::records::*;
use crate::{Store, StoreError};

use super::insurance::employer_e1;
use super::{NOW, Outcome, conflict, equal, seed_reference, store_err};

pub(super) fn date(text: &str) -> Result<Date, String> {
    Date::parse_iso(text).ok_or_else(|| format!("date {text}"))
}

/// A vacancy of employer `e1`, posted `minutes` after [`NOW`], its search terms cut from its
/// title and requirements by the domain's `index_terms`.
pub(super) fn vacancy(
    id: &str,
    title: &str,
    place: &str,
    (occupation, wage_max_fen): (&str, i64),
    status: VacancyStatus,
    minutes: i64,
) -> Result<VacancyRecord, String> {
    let requirements = "三年以上经验";
    Ok(VacancyRecord {
        id: id.into(),
        employer_id: EmployerId::new("e1"),
        terms: VacancyTerms {
            title: title.into(),
            occupation: occupation.into(),
            place: place.into(),
            wage_min_fen: 100,
            wage_max_fen,
            requirements: requirements.into(),
            openings: 1,
            closing: date("2027-01-31")?,
        },
        status,
        review_note: None,
        search_terms: index_terms(&format!("{title} {requirements}")),
        posted_by: "hr-1".into(),
        posted_at: Timestamp::from_unix_seconds(NOW.unix_seconds() + minutes * 60),
        reviewed_by: None,
        reviewed_at: None,
        version: 0,
    })
}

/// Vacancies are found by Han pairs and single characters, by words in any case, with every
/// term required, only once published and until they close, and filtered by place and
/// occupation prefixes (taken as themselves, never as patterns) and wage; a review saves over
/// the version read, once.
pub fn vacancies_are_found_by_their_terms_once_published(store: &Store) -> Outcome {
    use VacancyStatus::{Pending, Published};
    seed_reference(store)?;
    let rows = vec![
        vacancy(
            "v1",
            "财务会计主管",
            "330106",
            ("2-06-01-01", 1_200_000),
            Published,
            1,
        )?,
        vacancy(
            "v2",
            "Java开发工程师",
            "330108",
            ("2-02-10-01", 2_000_000),
            Published,
            2,
        )?,
        vacancy(
            "v3",
            "出租车司机",
            "310101",
            ("4-02-01-01", 800_000),
            Published,
            3,
        )?,
        vacancy(
            "v4",
            "会计助理",
            "330106",
            ("2-06-01-02", 600_000),
            Pending,
            4,
        )?,
    ];
    let mut closed = vacancy(
        "v5",
        "会计 (closed)",
        "330106",
        ("2-06-01-01", 900_000),
        Published,
        5,
    )?;
    closed.terms.closing = date("2026-12-01")?;
    let inserted = rows.clone();
    store
        .write(move |tx| {
            tx.insert_employer(&employer_e1())?;
            for row in inserted.iter().chain([&closed]) {
                tx.insert_vacancy(row)?;
            }
            Ok::<_, StoreError>(())
        })
        .map_err(store_err)?;
    let found = |query: &str, change: fn(&mut VacancySearch)| -> Result<Vec<String>, String> {
        let mut search = VacancySearch {
            terms: query_terms(query).map_err(|e| e.to_string())?,
            open_on: date("2026-12-06")?,
            place_prefix: None,
            occupation_prefix: None,
            wage_at_least_fen: None,
            limit: 50,
        };
        change(&mut search);
        let hits = store
            .read(move |tx| tx.search_vacancies(&search))
            .map_err(store_err)?;
        Ok(hits.into_iter().map(|v| v.id).collect())
    };
    let none = |_: &mut VacancySearch| {};
    equal(
        found("会计", none)?,
        vec!["v1".to_owned()],
        "a Han pair, published and open only",
    )?;
    equal(
        found("会", none)?,
        vec!["v1".to_owned()],
        "a single Han character",
    )?;
    equal(
        found("JAVA", none)?,
        vec!["v2".to_owned()],
        "a word in another case",
    )?;
    equal(
        found("java 司机", none)?,
        Vec::<String>::new(),
        "every term required",
    )?;
    equal(
        found("经验", none)?,
        vec!["v3".into(), "v2".into(), "v1".into()],
        "newest first",
    )?;
    equal(
        found("", |s| s.place_prefix = Some("3301".into()))?,
        vec!["v2".to_owned(), "v1".to_owned()],
        "a city's code prefix finds its districts",
    )?;
    equal(
        found("", |s| s.place_prefix = Some("33%".into()))?,
        Vec::<String>::new(),
        "a prefix is matched as itself, not as a pattern",
    )?;
    equal(
        found("", |s| s.occupation_prefix = Some("2-06".into()))?,
        vec!["v1".to_owned()],
        "an occupation group",
    )?;
    equal(
        found("", |s| s.wage_at_least_fen = Some(1_500_000))?,
        vec!["v2".to_owned()],
        "paying at least",
    )?;
    equal(
        found("", |s| {
            s.terms = vec!["会\"计".into(), "it's\\".into(), String::new()]
        })?,
        Vec::<String>::new(),
        "quotes and backslashes in a term are text",
    )?;
    equal(
        found("", |s| s.limit = 1)?,
        vec!["v3".to_owned()],
        "the limit",
    )?;

    let queue = store
        .read(|tx| tx.vacancies_with_status(Pending))
        .map_err(store_err)?;
    equal(queue.len(), 1, "one vacancy waits for review")?;
    let mut reviewed = queue.into_iter().next().ok_or("v4")?;
    reviewed.status = Published;
    reviewed.reviewed_by = Some("clerk-1".into());
    reviewed.reviewed_at = Some(NOW);
    let stale = reviewed.clone();
    store
        .write(move |tx| tx.save_vacancy_status(&reviewed))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.save_vacancy_status(&stale)),
        "a second review over the same version must conflict",
    )?;
    equal(
        found("会计", none)?,
        vec!["v4".to_owned(), "v1".to_owned()],
        "found once published",
    )?;
    let mine = store
        .read(|tx| tx.vacancies_of_employer(&EmployerId::new("e1")))
        .map_err(store_err)?;
    equal(
        mine.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(),
        vec!["v5", "v4", "v3", "v2", "v1"],
        "the employer's own, newest first",
    )?;
    let v4 = store
        .read(|tx| tx.vacancy("v4"))
        .map_err(store_err)?
        .ok_or("v4 kept")?;
    equal(
        (v4.status, v4.version, v4.reviewed_by),
        (Published, 1, Some("clerk-1".to_owned())),
        "the review saved",
    )?;
    equal(
        rows[0].clone(),
        found_one(store, "v1")?,
        "a vacancy reads back",
    )
}

fn found_one(store: &Store, id: &'static str) -> Result<VacancyRecord, String> {
    store
        .read(move |tx| tx.vacancy(id))
        .map_err(store_err)?
        .ok_or_else(|| format!("{id} missing"))
}

/// An application to a vacancy: one per person and vacancy, read back whole, listed per
/// vacancy (oldest first) and per person (newest first), counted by status, saved over the
/// version read once; a profile is kept once and replaced over its version.
pub fn applications_are_one_per_person_and_vacancy(store: &Store) -> Outcome {
    use shebao_domain::employment::seeking::{ApplicationStatus, JobProfile};
    use shebao_domain::ids::PersonId;
    seed_reference(store)?;
    let posted = [
        vacancy(
            "w1",
            "会计",
            "330106",
            ("2-06-01-01", 900_000),
            VacancyStatus::Published,
            1,
        )?,
        vacancy(
            "w2",
            "出纳",
            "330106",
            ("2-06-01-02", 700_000),
            VacancyStatus::Published,
            2,
        )?,
    ];
    let application = |id: &str, vacancy: &str, person: &str, minutes: i64| JobApplicationRecord {
        id: id.into(),
        vacancy_id: vacancy.into(),
        employer_id: EmployerId::new("e1"),
        person_id: PersonId::new(person),
        status: ApplicationStatus::Applied,
        cover_note: "三年经验".into(),
        shared_at: None,
        applied_at: Timestamp::from_unix_seconds(NOW.unix_seconds() + minutes * 60),
        decided_by: None,
        decided_at: None,
        version: 0,
    };
    let a1 = application("a1", "w1", "p1", 10);
    let a2 = application("a2", "w1", "p2", 11);
    let a3 = application("a3", "w2", "p1", 12);
    let (rows, twice) = (
        [a1.clone(), a2.clone(), a3.clone()],
        application("a4", "w1", "p1", 13),
    );
    store
        .write(move |tx| {
            tx.insert_employer(&employer_e1())?;
            // `p1` is seeded with the reference data.
            tx.insert_person(&super::person("p2", "idx-2"))?;
            for row in &posted {
                tx.insert_vacancy(row)?;
            }
            for row in &rows {
                tx.insert_job_application(row)?;
            }
            Ok::<_, StoreError>(())
        })
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.insert_job_application(&twice)),
        "a second application of a person to a vacancy must conflict",
    )?;
    let listed = store
        .read(|tx| {
            let to_w1 = tx.applications_to("w1")?;
            let of_p1 = tx.applications_of(&PersonId::new("p1"))?;
            let mine = tx.job_application_of("w2", &PersonId::new("p1"))?;
            Ok::<_, StoreError>((to_w1, of_p1, mine))
        })
        .map_err(store_err)?;
    equal(listed.0, vec![a1.clone(), a2], "a vacancy's, oldest first")?;
    equal(
        listed.1.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        vec!["a3", "a1"],
        "a person's, newest first",
    )?;
    equal(listed.2, Some(a3), "a person's application to a vacancy")?;
    let mut hired = a1;
    hired.status = ApplicationStatus::Hired;
    hired.shared_at = Some(NOW);
    hired.decided_by = Some("hr-1".into());
    hired.decided_at = Some(NOW);
    let stale = hired.clone();
    store
        .write(move |tx| tx.save_job_application(&hired))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.save_job_application(&stale)),
        "a second outcome over the same version must conflict",
    )?;
    let (open_on, after_closing) = (date("2026-12-06")?, date("2027-02-01")?);
    let counted = store
        .read(move |tx| {
            let p1 = PersonId::new("p1");
            let hires = tx.count_applications("w1", ApplicationStatus::Hired)?;
            let open = tx.open_applications_of(&p1, open_on)?;
            let closed = tx.open_applications_of(&p1, after_closing)?;
            let to_w1 = tx.applications_to_count("w1")?;
            let saved = tx.job_application("a1")?;
            Ok::<_, StoreError>(((hires, open, closed, to_w1), saved))
        })
        .map_err(store_err)?;
    equal(
        counted.0,
        (1, 1, 0, 2),
        "hires, open applications (none once their vacancies close) and a vacancy's all",
    )?;
    let saved = counted.1.ok_or("a1 kept")?;
    equal(
        (saved.status, saved.shared_at, saved.version),
        (ApplicationStatus::Hired, Some(NOW), 1),
        "the outcome saved",
    )?;

    let profile = |skills: &str, version: i64| JobProfileRecord {
        person_id: PersonId::new("p1"),
        updated_at: NOW,
        version,
        profile: JobProfile {
            skills: skills.into(),
            wanted_occupation: Some("2-06-01-01".into()),
            wanted_place: None,
            available_from: Date::new(2027, 1, 4).unwrap_or(Date::from_days_since_epoch(0)),
        },
    };
    let (first, second, stale) = (
        profile("会计", 0),
        profile("会计, 出纳", 0),
        profile("x", 0),
    );
    store
        .write(move |tx| tx.save_job_profile(&first))
        .map_err(store_err)?;
    store
        .write(move |tx| tx.save_job_profile(&second))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.save_job_profile(&stale)),
        "a profile saved over a version replaced meanwhile must conflict",
    )?;
    let kept = store
        .read(|tx| tx.job_profile(&PersonId::new("p1")))
        .map_err(store_err)?
        .ok_or("the profile kept")?;
    equal(
        (kept.profile.skills.as_str(), kept.version),
        ("会计, 出纳", 1),
        "the profile replaced once",
    )
}
