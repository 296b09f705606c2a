-- What each person credited by hand on their own authority, per day (one row per stripe,
-- so that no single row is hot).
CREATE TABLE manual_credit_days (
    actor_user_id TEXT NOT NULL,
    day TEXT NOT NULL,
    stripe BIGINT NOT NULL,
    total_fen BIGINT NOT NULL,
    PRIMARY KEY (actor_user_id, day, stripe)
);
-- The new region parameters, for the versions stored before them: a credit above 50,000
-- yuan, or past 200,000 yuan a day per person, waits for a second person; a request lapses
-- after 72 hours. A region changes them by adding a version.
UPDATE region_parameters
