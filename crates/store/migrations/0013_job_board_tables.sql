-- The job board (issue 17, item 1): vacancies an employer posts and the bureau reviews before
-- holders find them. `place` is the administrative code (6 digits) of where the work is; a
-- search by a city's code prefix finds its districts. `search_terms` is what the domain cut
-- the vacancy's text into (`shebao_domain::employment::index_terms`: words, Han characters
-- and their pairs, space-separated); each backend indexes it with its own full-text facility
-- (the second half of this migration).
CREATE TABLE vacancies (
    id TEXT PRIMARY KEY,
    employer_id TEXT NOT NULL REFERENCES employers(id),
    title TEXT NOT NULL,
    occupation TEXT NOT NULL,
    place TEXT NOT NULL,
    wage_min_fen BIGINT NOT NULL CHECK (wage_min_fen > 0),
    wage_max_fen BIGINT NOT NULL CHECK (wage_max_fen >= wage_min_fen),
    requirements TEXT NOT NULL,
    openings BIGINT NOT NULL CHECK (openings > 0),
    closing TEXT NOT NULL,
    status TEXT NOT NULL,
    review_note TEXT,
    search_terms TEXT NOT NULL,
    posted_by TEXT NOT NULL,
    posted_at BIGINT NOT NULL,
    reviewed_by TEXT,
    reviewed_at BIGINT,
    version BIGINT NOT NULL
);
CREATE INDEX vacancies_status_place ON vacancies (status, place);
CREATE INDEX vacancies_employer ON vacancies (employer_id, posted_at);
