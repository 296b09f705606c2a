-- Job seeking (issue 17, item 1): a holder's applications to published vacancies with the
-- employer's outcomes, and the holder's job-seeker profile. An application names its
-- vacancy's employer too, so whose it is is checked without reading the vacancy. `shared_at` is when the
-- applicant agreed to show the employer who they are (the employer sees a masked applicant
-- until then). One application per person and vacancy.
CREATE TABLE job_applications (
    id TEXT PRIMARY KEY,
    vacancy_id TEXT NOT NULL REFERENCES vacancies(id),
    employer_id TEXT NOT NULL REFERENCES employers(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    status TEXT NOT NULL,
    cover_note TEXT NOT NULL,
    shared_at BIGINT,
    applied_at BIGINT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    version BIGINT NOT NULL,
    UNIQUE (vacancy_id, person_id)
);
CREATE INDEX job_applications_person ON job_applications (person_id, applied_at);
CREATE INDEX job_applications_vacancy ON job_applications (vacancy_id, applied_at);
CREATE TABLE job_profiles (
    person_id TEXT PRIMARY KEY REFERENCES persons(id),
    skills TEXT NOT NULL,
    wanted_occupation TEXT,
    wanted_place TEXT,
    available_from TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
