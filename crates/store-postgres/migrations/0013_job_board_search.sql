-- PostgreSQL: a tsvector of the vacancies' search terms, built from the terms as lexemes
-- (`array_to_tsvector`: no parser and no locale between the domain's terms and the index, so
-- Han characters are indexed whatever the database's collation; blank elements, which it
-- refuses, removed), with a GIN index.
ALTER TABLE vacancies ADD COLUMN search tsvector
    GENERATED ALWAYS AS (
        array_to_tsvector(array_remove(string_to_array(search_terms, ' '), ''))
    ) STORED;
CREATE INDEX vacancies_search ON vacancies USING GIN (search);
