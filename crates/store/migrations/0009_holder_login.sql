-- One holder login per person (issue 13, finding 6). Holder logins are made by the holder's
-- own enrolment or at a bureau window, never by an administrator, and a person has at most
-- one. Logins that broke this before (a second login made for a person who already had one)
-- are removed with their sessions; the earliest login of each person is the one kept.
DELETE FROM sessions WHERE user_id IN (
    SELECT later.id FROM users later
    WHERE later.role = 'cardholder' AND later.person_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM users earlier
        WHERE earlier.role = 'cardholder' AND earlier.person_id = later.person_id
          AND (earlier.created_at < later.created_at
               OR (earlier.created_at = later.created_at AND earlier.id < later.id))));
DELETE FROM users WHERE id IN (
    SELECT later.id FROM users later
    WHERE later.role = 'cardholder' AND later.person_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM users earlier
        WHERE earlier.role = 'cardholder' AND earlier.person_id = later.person_id
          AND (earlier.created_at < later.created_at
               OR (earlier.created_at = later.created_at AND earlier.id < later.id))));
CREATE UNIQUE INDEX users_one_holder_login ON users (person_id) WHERE role = 'cardholder';
