-- The blind index of each person's name (issue 15, item 3): a bureau clerk finds a card by
-- the holder's full name. A keyed MAC of the name, as for the ID number, so the table reveals
-- no name. Persons registered before this migration get theirs when the service starts
-- (`App::index_person_names`), in bounded batches.
CREATE TABLE person_names (
    person_id TEXT PRIMARY KEY REFERENCES persons(id),
    name_index TEXT NOT NULL
);
CREATE INDEX person_names_by_index ON person_names (name_index);
