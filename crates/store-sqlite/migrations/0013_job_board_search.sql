-- SQLite: an FTS5 index of the vacancies' search terms, one row per vacancy holding its id
-- (the vacancies' implicit rowids may change on a rebuild, so the index is not keyed by
-- them), kept by triggers in the writing transaction. Its `unicode61` tokenizer splits the
-- terms at the spaces the domain put between them and folds case; diacritics are kept, as
-- PostgreSQL keeps them, so both stores find the same vacancies. Updating or deleting a
-- vacancy's row here reads the index through (the vacancy id is not indexed): neither
-- happens on the job board's paths, where a vacancy's text never changes once posted.
CREATE VIRTUAL TABLE vacancy_search USING fts5(
    terms, vacancy_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER vacancies_search_insert AFTER INSERT ON vacancies BEGIN
    INSERT INTO vacancy_search (terms, vacancy_id) VALUES (new.search_terms, new.id);
END;
CREATE TRIGGER vacancies_search_update AFTER UPDATE OF search_terms ON vacancies BEGIN
    UPDATE vacancy_search SET terms = new.search_terms WHERE vacancy_id = new.id;
END;
CREATE TRIGGER vacancies_search_delete AFTER DELETE ON vacancies BEGIN
    DELETE FROM vacancy_search WHERE vacancy_id = old.id;
END;
