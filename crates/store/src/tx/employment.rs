//! The job board: vacancies, their review, and the search over them with the backend's
//! full-text facility ([`FullText`]).

use shebao_domain::employment::VacancyTerms;
use shebao_domain::employment::seeking::JobProfile;
use shebao_domain::ids::{EmployerId, PersonId};

use crate::codec::table;
use crate::records::{JobApplicationRecord, JobProfileRecord, VacancyRecord, VacancySearch};
use crate::tx::{Tx, accessors};
use crate::{FullText, StoreError, Val};

table! {
    /// The columns of a vacancy.
    mod vacancies: VacancyRecord {
        id, employer_id, status, review_note, search_terms, posted_by, posted_at, reviewed_by,
        reviewed_at, version;
        terms: VacancyTerms {
            title, occupation, place, wage_min_fen, wage_max_fen, requirements, openings, closing
        }
    }
}

table! {
    /// The columns of an application.
    mod job_applications: JobApplicationRecord {
        id, vacancy_id, employer_id, person_id, status, cover_note, shared_at, applied_at,
        decided_by, decided_at, version,
    }
}

table! {
    /// The columns of a job seeker's profile.
    mod job_profiles: JobProfileRecord {
        person_id, updated_at, version;
        profile: JobProfile { skills, wanted_occupation, wanted_place, available_from }
    }
}

/// The most vacancies one search or one employer's list answers.
pub const VACANCIES_LISTED_MAX: u32 = 200;

/// The employers one query of [`Tx::employers_of`] reads.
pub const EMPLOYERS_PER_QUERY: usize = 50;

/// The most applications one list answers (a vacancy's applicants, a person's applications),
/// and so the most a vacancy takes: its employer sees every one.
pub const APPLICATIONS_LISTED_MAX: u32 = 500;

impl Tx<'_> {
    accessors! {
        /// A vacancy by its id.
        pub fn vacancy(id: &str) -> Option<VacancyRecord> = "WHERE id = $1";
    }

    accessors! {
        /// An application by its id.
        pub fn job_application(id: &str) -> Option<JobApplicationRecord> = "WHERE id = $1";
        /// A person's application to a vacancy.
        pub fn job_application_of(vacancy: &str, person: &PersonId) -> Option<JobApplicationRecord>
            = "WHERE vacancy_id = $1 AND person_id = $2";
        /// A person's job-seeker profile.
        pub fn job_profile(person: &PersonId) -> Option<JobProfileRecord>
            = "WHERE person_id = $1";
    }

    /// A vacancy's applications, oldest first, at most [`APPLICATIONS_LISTED_MAX`].
    pub fn applications_to(
        &mut self,
        vacancy: &str,
    ) -> Result<Vec<JobApplicationRecord>, StoreError> {
        self.find_all(
            "WHERE vacancy_id = $1 ORDER BY applied_at, id LIMIT $2",
            &[vacancy.into(), i64::from(APPLICATIONS_LISTED_MAX).into()],
        )
    }

    /// A person's applications, newest first, at most [`APPLICATIONS_LISTED_MAX`].
    pub fn applications_of(
        &mut self,
        person: &PersonId,
    ) -> Result<Vec<JobApplicationRecord>, StoreError> {
        self.find_all(
            "WHERE person_id = $1 ORDER BY applied_at DESC, id LIMIT $2",
            &[
                person.as_str().into(),
                i64::from(APPLICATIONS_LISTED_MAX).into(),
            ],
        )
    }

    /// How many of a vacancy's applications are in `status`.
    pub fn count_applications(
        &mut self,
        vacancy: &str,
        status: shebao_domain::employment::seeking::ApplicationStatus,
    ) -> Result<i64, StoreError> {
        self.int_or_zero(
            "SELECT COUNT(*) FROM job_applications WHERE vacancy_id = $1 AND status = $2",
            &[vacancy.into(), status.as_str().into()],
            "application count",
        )
    }

    /// How many of a person's applications wait for an outcome (applied or interviewed) on
    /// a vacancy still published and closing on or after `open_on`: one whose vacancy has
    /// closed waits for nothing more and does not count.
    pub fn open_applications_of(
        &mut self,
        person: &PersonId,
        open_on: shebao_domain::time::Date,
    ) -> Result<i64, StoreError> {
        self.int_or_zero(
            "SELECT COUNT(*) FROM job_applications a JOIN vacancies v ON v.id = a.vacancy_id \
             WHERE a.person_id = $1 AND a.status IN ('applied', 'interviewed') \
             AND v.status = 'published' AND v.closing >= $2",
            &[person.as_str().into(), open_on.to_string().into()],
            "application count",
        )
    }

    /// How many applications a vacancy has, whatever their status.
    pub fn applications_to_count(&mut self, vacancy: &str) -> Result<i64, StoreError> {
        self.int_or_zero(
            "SELECT COUNT(*) FROM job_applications WHERE vacancy_id = $1",
            &[vacancy.into()],
            "application count",
        )
    }

    /// The employers among `ids` (each once, in no order): a list of vacancies reads its
    /// employers in one round trip per [`EMPLOYERS_PER_QUERY`] of them.
    pub fn employers_of(
        &mut self,
        ids: &[EmployerId],
    ) -> Result<Vec<crate::records::EmployerRecord>, StoreError> {
        let mut distinct: Vec<&str> = ids.iter().map(EmployerId::as_str).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let filter = format!(
            "WHERE id IN ({})",
            crate::codec::placeholders(0, EMPLOYERS_PER_QUERY)
        );
        let mut found = Vec::with_capacity(distinct.len());
        for chunk in distinct.chunks(EMPLOYERS_PER_QUERY) {
            let params: Vec<Val> = crate::codec::padded(chunk, EMPLOYERS_PER_QUERY).collect();
            found.extend(self.find_all(&filter, &params)?);
        }
        Ok(found)
    }

    /// Records a new application (at version 0).
    pub fn insert_job_application(
        &mut self,
        application: &JobApplicationRecord,
    ) -> Result<(), StoreError> {
        self.insert_new_version(application)
    }

    /// Saves an application's status, sharing and outcome over the version read.
    pub fn save_job_application(
        &mut self,
        application: &JobApplicationRecord,
    ) -> Result<(), StoreError> {
        self.update_versioned(
            "application",
            "UPDATE job_applications SET status = $1, shared_at = $2, decided_by = $3, \
             decided_at = $4, version = version + 1 WHERE id = $5 AND version = $6",
            vec![
                application.status.as_str().into(),
                application.shared_at.map(|t| t.unix_seconds()).into(),
                application.decided_by.clone().into(),
                application.decided_at.map(|t| t.unix_seconds()).into(),
                application.id.as_str().into(),
            ],
            application.version,
        )
    }

    /// Keeps a person's profile: a first one is inserted, a later one replaces it over the
    /// version read (`profile.version`).
    pub fn save_job_profile(&mut self, profile: &JobProfileRecord) -> Result<(), StoreError> {
        if self.job_profile(&profile.person_id)?.is_none() {
            return self.insert_row(&JobProfileRecord {
                version: 0,
                ..profile.clone()
            });
        }
        let p = &profile.profile;
        self.update_versioned(
            "job profile",
            "UPDATE job_profiles SET skills = $1, wanted_occupation = $2, wanted_place = $3, \
             available_from = $4, updated_at = $5, version = version + 1 \
             WHERE person_id = $6 AND version = $7",
            vec![
                p.skills.as_str().into(),
                p.wanted_occupation.clone().into(),
                p.wanted_place.clone().into(),
                p.available_from.to_string().into(),
                profile.updated_at.unix_seconds().into(),
                profile.person_id.as_str().into(),
            ],
            profile.version,
        )
    }

    /// Brings the planner's statistics of the vacancies up to date, as autovacuum does within
    /// a minute of many postings (PostgreSQL; nothing on SQLite). Without them, 10,000
    /// vacancies posted at once look like a hundred, and every search reads all of them
    /// (measured: 19.5 ms instead of 0.1 ms for the newest fifty).
    pub fn refresh_vacancy_statistics(&mut self) -> Result<(), StoreError> {
        self.conn.refresh_statistics("vacancies")
    }

    /// Records a new vacancy (at version 0).
    pub fn insert_vacancy(&mut self, vacancy: &VacancyRecord) -> Result<(), StoreError> {
        self.insert_row(&VacancyRecord {
            version: 0,
            ..vacancy.clone()
        })
    }

    /// Saves a vacancy's status and review over the version read.
    pub fn save_vacancy_status(&mut self, vacancy: &VacancyRecord) -> Result<(), StoreError> {
        self.update_versioned(
            "vacancy",
            "UPDATE vacancies SET status = $1, review_note = $2, reviewed_by = $3, \
             reviewed_at = $4, version = version + 1 WHERE id = $5 AND version = $6",
            vec![
                vacancy.status.as_str().into(),
                vacancy.review_note.clone().into(),
                vacancy.reviewed_by.clone().into(),
                vacancy.reviewed_at.map(|t| t.unix_seconds()).into(),
                vacancy.id.as_str().into(),
            ],
            vacancy.version,
        )
    }

    /// An employer's vacancies, newest first, at most [`VACANCIES_LISTED_MAX`].
    pub fn vacancies_of_employer(
        &mut self,
        employer: &EmployerId,
    ) -> Result<Vec<VacancyRecord>, StoreError> {
        self.vacancies_listed(
            "WHERE employer_id = $1 ORDER BY posted_at DESC, id LIMIT $2",
            employer.as_str(),
        )
    }

    /// Vacancies with a status, oldest first (the bureau's review queue), at most
    /// [`VACANCIES_LISTED_MAX`].
    pub fn vacancies_with_status(
        &mut self,
        status: shebao_domain::employment::VacancyStatus,
    ) -> Result<Vec<VacancyRecord>, StoreError> {
        self.vacancies_listed(
            "WHERE status = $1 ORDER BY posted_at, id LIMIT $2",
            status.as_str(),
        )
    }

    /// The vacancies `filter` finds with `$1` bound to `value` and `$2` to
    /// [`VACANCIES_LISTED_MAX`].
    fn vacancies_listed(
        &mut self,
        filter: &str,
        value: &str,
    ) -> Result<Vec<VacancyRecord>, StoreError> {
        self.find_all(
            filter,
            &[value.into(), i64::from(VACANCIES_LISTED_MAX).into()],
        )
    }

    /// The published vacancies matching `search`, newest first: every term present in the
    /// vacancy's search terms (through the backend's full-text index), closing on or after
    /// `open_on`, and the filters given. Whatever a term or a prefix holds, it is matched as
    /// itself: a term of anything but letters and digits matches nothing, the others are
    /// quoted for the full-text query, and prefixes are escaped for `LIKE`.
    pub fn search_vacancies(
        &mut self,
        search: &VacancySearch,
    ) -> Result<Vec<VacancyRecord>, StoreError> {
        // Stored terms are letters and digits only (`index_terms`): a term with anything else
        // is in no vacancy. Answered here, so neither tokenizer splits it into terms that are.
        if search
            .terms
            .iter()
            .any(|t| !t.chars().all(char::is_alphanumeric))
        {
            return Ok(Vec::new());
        }
        let prefix = |p: &Option<String>| -> Val { p.as_deref().map(like_prefix).into() };
        let mut params: Vec<Val> = vec![
            search.open_on.to_string().into(),
            prefix(&search.place_prefix),
            prefix(&search.occupation_prefix),
            search.wage_at_least_fen.into(),
            i64::from(search.limit.min(VACANCIES_LISTED_MAX)).into(),
        ];
        let mut filter = String::from(
            "WHERE status = 'published' AND closing >= $1 \
             AND (CAST($2 AS TEXT) IS NULL OR place LIKE $2 ESCAPE '\\') \
             AND (CAST($3 AS TEXT) IS NULL OR occupation LIKE $3 ESCAPE '\\') \
             AND (CAST($4 AS BIGINT) IS NULL OR wage_max_fen >= $4)",
        );
        let terms = search.terms.iter().filter(|t| !t.is_empty());
        if search.terms.iter().any(|t| !t.is_empty()) {
            match self.conn.full_text() {
                FullText::Fts5 => {
                    let phrases: Vec<String> = terms
                        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                        .collect();
                    params.push(phrases.join(" ").into());
                    // The index's rowids are the vacancies' `search_rowid`s (0014).
                    filter.push_str(
                        " AND search_rowid IN (SELECT rowid FROM vacancy_search \
                         WHERE vacancy_search MATCH $6)",
                    );
                }
                FullText::TsVector => {
                    let lexemes: Vec<String> = terms
                        .map(|t| format!("'{}'", t.replace('\\', "\\\\").replace('\'', "''")))
                        .collect();
                    params.push(lexemes.join(" & ").into());
                    filter.push_str(" AND search @@ CAST(CAST($6 AS TEXT) AS tsquery)");
                }
            }
        }
        // Both keys descending, as the indexes of the published vacancies are walked.
        filter.push_str(" ORDER BY posted_at DESC, id DESC LIMIT $5");
        self.find_all(&filter, &params)
    }
}

/// A `LIKE` pattern matching what starts with `prefix`, its `%`, `_` and `\` taken as
/// themselves (`ESCAPE '\'`).
fn like_prefix(prefix: &str) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}
