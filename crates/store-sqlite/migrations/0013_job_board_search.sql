-- SQLite: an FTS5 index of the vacancies' search terms (its `unicode61` tokenizer splits them
-- at the spaces the domain put between them, and folds case), one row per vacancy under the
-- vacancy's rowid, kept by triggers in the writing transaction.
CREATE VIRTUAL TABLE vacancy_search USING fts5(terms, tokenize = 'unicode61');
CREATE TRIGGER vacancies_search_insert AFTER INSERT ON vacancies BEGIN
    INSERT INTO vacancy_search (rowid, terms) VALUES (new.rowid, new.search_terms);
END;
CREATE TRIGGER vacancies_search_update AFTER UPDATE OF search_terms ON vacancies BEGIN
    UPDATE vacancy_search SET terms = new.search_terms WHERE rowid = new.rowid;
END;
CREATE TRIGGER vacancies_search_delete AFTER DELETE ON vacancies BEGIN
    DELETE FROM vacancy_search WHERE rowid = old.rowid;
END;
