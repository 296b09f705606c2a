-- PostgreSQL: the published vacancies newest first, for a search without words (one with
-- words starts from the GIN index of 0013).
CREATE INDEX vacancies_published ON vacancies (status, posted_at DESC, id DESC);
