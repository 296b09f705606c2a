//! Employment services: the job board's vacancies and their search, on the backend's
//! full-text facility.

use shebao_domain::employment::{VacancyStatus, VacancyTerms, index_terms, query_terms};
use shebao_domain::ids::EmployerId;
use shebao_domain::time::{Date, Timestamp};

use crate::records::*;
use crate::{Store, StoreError};

use super::insurance::employer_e1;
use super::{NOW, Outcome, conflict, equal, seed_reference, store_err};

fn date(text: &str) -> Result<Date, String> {
    Date::parse_iso(text).ok_or_else(|| format!("date {text}"))
}

/// A vacancy of employer `e1`, posted `minutes` after [`NOW`], its search terms cut from its
/// title and requirements by the domain's `index_terms`.
fn vacancy(
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
