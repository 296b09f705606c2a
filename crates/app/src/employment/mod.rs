//! Employment services (issue 17): the job board — employers post vacancies, the bureau
//! reviews them before they show, everybody signed in for it searches the published ones —
//! and job seeking ([`seeking`]): applications, outcomes and profiles.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::employment::{
    EmploymentError, OCCUPATION_PATTERN, VacancyDraft, VacancyStatus, index_terms, query_terms,
};
use shebao_domain::ids::{EmployerId, RegionCode};
use shebao_domain::time::{DATE_PATTERN, Date, Timestamp};
use shebao_store::{EmployerRecord, Tx, VacancyRecord, VacancySearch};

use crate::error::{OrNotFound, RefusalCode};
use crate::insurance::employer_in_scope;
use crate::{Actor, App, AppError, Audit, new_id};

pub mod referrals;
pub mod seeking;
pub mod training;
pub mod unemployment;

/// The most vacancies a search answers unless asked for fewer.
pub const SEARCH_LIMIT_DEFAULT: u32 = 50;

/// A vacancy as an employer posts it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVacancy {
    #[schemars(length(min = 1, max = 100))]
    pub title: String,
    /// An occupation code of the national classification, e.g. `2-02-10-01`.
    #[schemars(regex(pattern = OCCUPATION_PATTERN))]
    pub occupation: String,
    /// The administrative code (6 digits) of where the work is.
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub place: String,
    #[schemars(range(min = 1, max = 1_000_000_000))]
    pub wage_min_fen: i64,
    #[schemars(range(min = 1, max = 1_000_000_000))]
    pub wage_max_fen: i64,
    #[schemars(length(min = 1, max = 2000))]
    pub requirements: String,
    #[schemars(range(min = 1, max = 10_000))]
    pub openings: u32,
    /// The last day applications are taken, today to 366 days on.
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub closing: String,
}

/// The bureau's review of a vacancy: approve it (it shows), reject it, or close it (a
/// published one taken down); a rejection or a closing says why.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VacancyReview {
    #[schemars(extend("enum" = ["approve", "reject", "close"]))]
    pub decision: String,
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub note: Option<String>,
}

/// What a search of the job board asks for.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VacancyQuery {
    /// Words of the title or requirements (Chinese matched by characters and their pairs),
    /// at most 50 characters; every word must match.
    #[serde(default)]
    #[schemars(length(max = 50))]
    pub q: Option<String>,
    /// The administrative code, or its start (`3301` for a city's districts).
    #[serde(default)]
    #[schemars(regex(pattern = r"^[0-9]{1,6}$"))]
    pub place: Option<String>,
    /// An occupation code or its start (`2-02`).
    #[serde(default)]
    #[schemars(regex(pattern = r"^[1-8](-[0-9]{2}){0,3}$"))]
    pub occupation: Option<String>,
    /// Paying at least this much a month (the vacancy's maximum), in fen.
    #[serde(default)]
    #[schemars(range(min = 1, max = 1_000_000_000))]
    pub wage_at_least_fen: Option<i64>,
    /// At most this many vacancies, 1 to 200 (50 unless given).
    #[serde(default)]
    #[schemars(range(min = 1, max = 200))]
    pub limit: Option<u32>,
}

/// A vacancy as its readers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Vacancy")]
pub struct VacancyView {
    pub id: String,
    pub employer_id: String,
    pub employer_name: String,
    /// `pending`, `published`, `rejected` or `closed`.
    pub status: String,
    pub title: String,
    pub occupation: String,
    pub place: String,
    pub wage_min_fen: i64,
    pub wage_max_fen: i64,
    pub requirements: String,
    pub openings: u32,
    pub closing: String,
    pub posted_at: String,
    /// Why the bureau rejected or closed it.
    pub review_note: Option<String>,
}

/// The domain's refusal as the application answers it: a malformed field is an invalid
/// request naming it, a wrong state a `wrong_state` refusal.
pub(crate) fn employment_error(error: EmploymentError) -> AppError {
    match error {
        EmploymentError::Invalid { field, reason } => AppError::invalid(field, reason),
        EmploymentError::WrongState { .. } => AppError::Rule {
            code: RefusalCode::WrongState,
            message: error.to_string(),
        },
    }
}

fn parse_date(input: &str, field: &'static str) -> Result<Date, AppError> {
    Date::parse_iso(input).ok_or_else(|| AppError::invalid(field, "a date, YYYY-MM-DD"))
}

/// Employers (their names) and today in their regions, each read once for a list of
/// vacancies.
#[derive(Default)]
pub(crate) struct Employers(
    HashMap<EmployerId, EmployerRecord>,
    HashMap<RegionCode, Date>,
);

impl Employers {
    /// Reads the employers of `vacancies` not read yet, in one round trip per 50.
    pub(crate) fn read_all(
        &mut self,
        tx: &mut Tx<'_>,
        vacancies: &[VacancyRecord],
    ) -> Result<(), AppError> {
        let missing: Vec<EmployerId> = vacancies
            .iter()
            .map(|v| v.employer_id.clone())
            .filter(|id| !self.0.contains_key(id))
            .collect();
        if !missing.is_empty() {
            for employer in tx.employers_of(&missing)? {
                self.0.insert(employer.id.clone(), employer);
            }
        }
        Ok(())
    }

    pub(crate) fn get(
        &mut self,
        tx: &mut Tx<'_>,
        id: &EmployerId,
    ) -> Result<&EmployerRecord, AppError> {
        if !self.0.contains_key(id) {
            let record = tx.employer(id)?.or_not_found("employer", id)?;
            self.0.insert(id.clone(), record);
        }
        self.0
            .get(id)
            .ok_or_else(|| AppError::NotFound(format!("employer {id}")))
    }

    /// Today in the employer's region.
    pub(crate) fn today(
        &mut self,
        tx: &mut Tx<'_>,
        id: &EmployerId,
        now: Timestamp,
    ) -> Result<Date, AppError> {
        let region = self.get(tx, id)?.region.clone();
        if let Some(today) = self.1.get(&region) {
            return Ok(*today);
        }
        let today = App::today_in(tx, &region, now)?;
        self.1.insert(region, today);
        Ok(today)
    }

    pub(crate) fn view(
        &mut self,
        tx: &mut Tx<'_>,
        record: &VacancyRecord,
    ) -> Result<VacancyView, AppError> {
        let employer_name = self.get(tx, &record.employer_id)?.name.clone();
        Ok(vacancy_view(record, employer_name))
    }
}

fn vacancy_view(record: &VacancyRecord, employer_name: String) -> VacancyView {
    let t = &record.terms;
    VacancyView {
        id: record.id.clone(),
        employer_id: record.employer_id.to_string(),
        employer_name,
        status: record.status.as_str().to_owned(),
        title: t.title.clone(),
        occupation: t.occupation.clone(),
        place: t.place.clone(),
        wage_min_fen: t.wage_min_fen,
        wage_max_fen: t.wage_max_fen,
        requirements: t.requirements.clone(),
        openings: t.openings,
        closing: t.closing.to_string(),
        posted_at: record.posted_at.to_string(),
        review_note: record.review_note.clone(),
    }
}

/// Whether `actor` sees `vacancy`: a published one everybody who searches; any other its
/// own employer and the bureau.
fn vacancy_visible(actor: &Actor, vacancy: &VacancyRecord) -> bool {
    vacancy.status == VacancyStatus::Published || employer_in_scope(actor, &vacancy.employer_id)
}

/// The note a rejection or a closing carries: 1 to 200 characters.
fn review_note(note: Option<&str>) -> Result<String, AppError> {
    let note = note.map(str::trim).unwrap_or("");
    if note.is_empty() || note.chars().count() > 200 || note.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "note",
            "why, 1 to 200 characters, for a rejection or a closing",
        ));
    }
    Ok(note.to_owned())
}

impl App {
    /// `employer` when the actor may post for it (its own staff); any other is hidden
    /// (audited), as a missing one.
    fn own_employer(&self, actor: &Actor, employer: &str) -> Result<EmployerId, AppError> {
        self.authorise(actor, Operation::PostVacancy)?;
        let employer = EmployerId::new(employer);
        self.visible_or_hidden(
            employer_in_scope(actor, &employer),
            actor,
            Operation::PostVacancy,
            ("employer", &employer),
        )?;
        Ok(employer)
    }

    /// An employer posts a vacancy; it waits for the bureau's review before it shows.
    pub fn post_vacancy(
        &self,
        actor: &Actor,
        key: &str,
        employer: &str,
        request: NewVacancy,
    ) -> Result<VacancyView, AppError> {
        let employer = self.own_employer(actor, employer)?;
        let closing = parse_date(&request.closing, "closing")?;
        let (id, actor_label, body) = (new_id("vac"), actor.label(), request.clone());
        let audit = Audit::creating("vacancy.post", format!("vacancy:{id}"))
            .within(format!("employer:{employer}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut employers = Employers::default();
            let today = employers.today(tx, &employer, now)?;
            let terms = VacancyDraft {
                title: &body.title,
                occupation: &body.occupation,
                place: &body.place,
                wage_min_fen: body.wage_min_fen,
                wage_max_fen: body.wage_max_fen,
                requirements: &body.requirements,
                openings: body.openings,
                closing,
            }
            .check(today)
            .map_err(employment_error)?;
            let record = VacancyRecord {
                id: id.clone(),
                employer_id: employer.clone(),
                status: VacancyStatus::Pending,
                review_note: None,
                search_terms: index_terms(&format!("{} {}", terms.title, terms.requirements)),
                posted_by: actor_label.clone(),
                posted_at: now,
                reviewed_by: None,
                reviewed_at: None,
                version: 0,
                terms,
            };
            tx.insert_vacancy(&record)?;
            Ok((employers.view(tx, &record)?, "{}".into()))
        })
    }

    /// The bureau approves, rejects or closes a vacancy.
    pub fn review_vacancy(
        &self,
        actor: &Actor,
        key: &str,
        vacancy: &str,
        request: VacancyReview,
    ) -> Result<VacancyView, AppError> {
        self.authorise(actor, Operation::ReviewVacancy)?;
        let note = match request.decision.as_str() {
            "approve" => None,
            "reject" | "close" => Some(review_note(request.note.as_deref())?),
            _ => return Err(AppError::invalid("decision", "approve, reject or close")),
        };
        let (id, actor_label, decision) =
            (vacancy.to_owned(), actor.label(), request.decision.clone());
        let audit = Audit::on("vacancy.review", format!("vacancy:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut record = tx.vacancy(&id)?.or_not_found("vacancy", &id)?;
            record.status = match decision.as_str() {
                "close" => record.status.closed(),
                other => record.status.reviewed(other == "approve"),
            }
            .map_err(employment_error)?;
            record.review_note.clone_from(&note);
            record.reviewed_by = Some(actor_label.clone());
            record.reviewed_at = Some(now);
            tx.save_vacancy_status(&record)?;
            let detail = serde_json::json!({ "decision": decision }).to_string();
            Ok((Employers::default().view(tx, &record)?, detail))
        })
    }

    /// An employer closes its own vacancy: no more applications.
    pub fn close_vacancy(
        &self,
        actor: &Actor,
        key: &str,
        vacancy: &str,
    ) -> Result<VacancyView, AppError> {
        self.authorise(actor, Operation::PostVacancy)?;
        let (id, actor_in) = (vacancy.to_owned(), actor.clone());
        let audit = Audit::on("vacancy.close", format!("vacancy:{id}"));
        self.change(actor, key, &serde_json::Value::Null, audit, move |tx, _| {
            let mut record = tx.vacancy(&id)?.or_not_found("vacancy", &id)?;
            if !employer_in_scope(&actor_in, &record.employer_id) {
                return Err(AppError::Hidden(format!("vacancy {id}")));
            }
            record.status = record.status.closed().map_err(employment_error)?;
            tx.save_vacancy_status(&record)?;
            Ok((Employers::default().view(tx, &record)?, "{}".into()))
        })
    }

    /// A vacancy: a published one to whoever searches, any other to its employer and the
    /// bureau (hidden from everybody else, as a missing one).
    pub fn vacancy(&self, actor: &Actor, vacancy: &str) -> Result<VacancyView, AppError> {
        self.authorise(actor, Operation::SearchJobs)?;
        let id = vacancy.to_owned();
        let subject = format!("vacancy:{id}");
        self.read_for(actor, Operation::SearchJobs, &subject, move |tx, r| {
            let record = tx.vacancy(&id)?.or_not_found("vacancy", &id)?;
            if !vacancy_visible(&r.actor, &record) {
                return Err(AppError::Hidden(format!("vacancy {id}")));
            }
            Employers::default().view(tx, &record)
        })
    }

    /// An employer's vacancies, newest first, whatever their status.
    pub fn employer_vacancies(
        &self,
        actor: &Actor,
        employer: &str,
    ) -> Result<Vec<VacancyView>, AppError> {
        let employer = self.own_employer(actor, employer)?;
        self.store.read(move |tx| {
            let mut employers = Employers::default();
            let records = tx.vacancies_of_employer(&employer)?;
            employers.read_all(tx, &records)?;
            records.iter().map(|r| employers.view(tx, r)).collect()
        })
    }

    /// The vacancies waiting for the bureau's review, oldest first.
    pub fn vacancies_to_review(&self, actor: &Actor) -> Result<Vec<VacancyView>, AppError> {
        self.authorise(actor, Operation::ReviewVacancy)?;
        self.store.read(move |tx| {
            let mut employers = Employers::default();
            let records = tx.vacancies_with_status(VacancyStatus::Pending)?;
            employers.read_all(tx, &records)?;
            records.iter().map(|r| employers.view(tx, r)).collect()
        })
    }

    /// Searches the published vacancies still open, newest first ([`VacancyQuery`]).
    ///
    /// A vacancy's closing date is its employer's region's: the store is asked for those
    /// closing no earlier than yesterday (UTC), which holds every region's today, and each
    /// found is kept only while its own region's today has not passed its closing date. The
    /// store is asked for a quarter more than the limit, and four (at most
    /// [`shebao_store::tx::VACANCIES_LISTED_MAX`]), so that the ones closed yesterday in their
    /// region do not leave the page short: about one vacancy in 366 closes on a given day,
    /// and the page comes back short only when more than that margin of the newest do. (Twice
    /// the limit cost twice the time on SQLite: every row asked for is read whole.)
    pub fn search_vacancies(
        &self,
        actor: &Actor,
        query: &VacancyQuery,
    ) -> Result<Vec<VacancyView>, AppError> {
        self.authorise(actor, Operation::SearchJobs)?;
        let terms = query_terms(query.q.as_deref().unwrap_or("")).map_err(employment_error)?;
        let prefix = |value: &Option<String>, field: &'static str, valid: fn(&str) -> bool| {
            let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty());
            match value {
                Some(v) if !valid(v) => Err(AppError::invalid(field, "a code or its start")),
                other => Ok(other.map(str::to_owned)),
            }
        };
        let place_prefix = prefix(&query.place, "place", |v| {
            v.len() <= 6 && v.bytes().all(|b| b.is_ascii_digit())
        })?;
        let occupation_prefix = prefix(&query.occupation, "occupation", |v| {
            v.len() <= 10 && v.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        })?;
        if query.wage_at_least_fen.is_some_and(|w| w < 1) {
            return Err(AppError::invalid("wage_at_least_fen", "a positive amount"));
        }
        let limit = query.limit.unwrap_or(SEARCH_LIMIT_DEFAULT);
        if !(1..=shebao_store::tx::VACANCIES_LISTED_MAX).contains(&limit) {
            return Err(AppError::invalid("limit", "1 to 200"));
        }
        let now = self.now();
        let search = VacancySearch {
            terms,
            open_on: now.utc_date().add_days(-1),
            place_prefix,
            occupation_prefix,
            wage_at_least_fen: query.wage_at_least_fen,
            limit: limit.saturating_add(limit / 4 + 4),
        };
        let wanted = usize::try_from(limit).unwrap_or(usize::MAX);
        self.store.read(move |tx| {
            let mut employers = Employers::default();
            let mut found = Vec::new();
            let records = tx.search_vacancies(&search)?;
            employers.read_all(tx, &records)?;
            for record in records {
                if found.len() == wanted {
                    break;
                }
                if employers.today(tx, &record.employer_id, now)? <= record.terms.closing {
                    found.push(employers.view(tx, &record)?);
                }
            }
            Ok(found)
        })
    }
}

/// Today where a person lives: in the region of their household's county, city or province,
/// the first of them the node keeps parameters for.
pub(crate) fn household_today(
    tx: &mut Tx<'_>,
    household: &shebao_domain::ids::RegionCode,
    now: Timestamp,
) -> Result<Date, AppError> {
    let code = household.as_str();
    let mut candidates = vec![code.to_owned()];
    if let (Some(city), Some(province)) = (code.get(..4), code.get(..2)) {
        candidates.extend([format!("{city}00"), format!("{province}0000")]);
    }
    for candidate in candidates {
        let Some(region) = shebao_domain::ids::RegionCode::parse(&candidate) else {
            continue;
        };
        match App::today_in(tx, &region, now) {
            Err(AppError::NotFound(_)) => {}
            found => return found,
        }
    }
    Err(AppError::NotFound(format!(
        "parameters in force for the region of household {household}"
    )))
}

/// Whether `actor` is a cardholder acting for a person: the person, or forbidden.
pub(crate) fn holder_person(actor: &Actor) -> Result<shebao_domain::ids::PersonId, AppError> {
    match (&actor.role, &actor.scope.person_id) {
        (Role::Cardholder, Some(person)) => Ok(person.clone()),
        _ => Err(AppError::Forbidden),
    }
}
