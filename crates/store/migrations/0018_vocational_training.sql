-- Vocational training (issue 17, item 3). A provider registered by the bureau (its staff's
-- logins bound to it by `users.provider_id`); its courses, each pending the bureau's review
-- before it is open for enrolment (`taken`: the places enrolments hold, counted as they
-- come and go; `attendance_percent`: the region's share of the hours a completion needs,
-- fixed when the course is posted); a person's enrolment in a course, one a course that is not withdrawn, with
-- the hours attended (each day's in `training_attendance`, once a day), the provider's
-- record of completion, the certificate issued with it, and the subsidy the bureau paid
-- for it, once (its transfer; `benefit_payments` keeps it once per person and enrolment).
-- The bureau refers the person of an open unemployment spell to a course, once a course a
-- spell; a refusal without reason counts in the spell's `refusals` as a refusal of work does.
ALTER TABLE users ADD COLUMN provider_id TEXT;
CREATE TABLE training_providers (
    id TEXT PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code),
    credit_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    registered_at BIGINT NOT NULL
);
CREATE TABLE training_courses (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES training_providers(id),
    region_code TEXT NOT NULL REFERENCES regions(code),
    title TEXT NOT NULL,
    occupation TEXT NOT NULL,
    hours BIGINT NOT NULL,
    places BIGINT NOT NULL,
    subsidy_fen BIGINT NOT NULL,
    payee TEXT NOT NULL,
    attendance_percent BIGINT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    status TEXT NOT NULL,
    taken BIGINT NOT NULL,
    posted_by TEXT NOT NULL,
    posted_at BIGINT NOT NULL,
    reviewed_by TEXT,
    reviewed_at BIGINT,
    review_note TEXT,
    version BIGINT NOT NULL,
    CHECK (taken >= 0 AND taken <= places)
);
CREATE INDEX training_courses_provider ON training_courses (provider_id, posted_at);
CREATE INDEX training_courses_status ON training_courses (status, starts_on, id);
CREATE TABLE training_enrolments (
    id TEXT PRIMARY KEY,
    course_id TEXT NOT NULL REFERENCES training_courses(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    status TEXT NOT NULL,
    attended_hours BIGINT NOT NULL,
    enrolled_by TEXT NOT NULL,
    enrolled_at BIGINT NOT NULL,
    completed_on TEXT,
    recorded_by TEXT,
    recorded_at BIGINT,
    certificate_code TEXT REFERENCES certificates(code),
    transfer_id TEXT REFERENCES transfers(id),
    paid_by TEXT,
    paid_at BIGINT,
    version BIGINT NOT NULL
);
CREATE UNIQUE INDEX training_enrolments_one ON training_enrolments (course_id, person_id)
    WHERE status <> 'withdrawn';
CREATE INDEX training_enrolments_person ON training_enrolments (person_id, enrolled_at);
CREATE INDEX training_enrolments_course ON training_enrolments (course_id, enrolled_at);
CREATE INDEX training_enrolments_unpaid ON training_enrolments (recorded_at, id)
    WHERE status = 'completed' AND transfer_id IS NULL;
CREATE TABLE training_attendance (
    enrolment_id TEXT NOT NULL REFERENCES training_enrolments(id),
    day TEXT NOT NULL,
    hours BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (enrolment_id, day)
);
CREATE TABLE training_referrals (
    id TEXT PRIMARY KEY,
    spell_id TEXT NOT NULL REFERENCES unemployment_spells(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    course_id TEXT NOT NULL REFERENCES training_courses(id),
    note TEXT NOT NULL,
    referred_by TEXT NOT NULL,
    referred_at BIGINT NOT NULL,
    outcome TEXT,
    outcome_note TEXT,
    recorded_by TEXT,
    recorded_at BIGINT,
    version BIGINT NOT NULL,
    UNIQUE (spell_id, course_id)
);
CREATE INDEX training_referrals_person ON training_referrals (person_id, referred_at);
-- Maternity (issue 17, item 5): a settlement's insurance, the national code of the fund
-- that pays it: 310 employees' medical insurance, 510 maternity (a birth's medical costs,
-- under the policy's maternity rules and from the maternity pool, outside the medical
-- year's deductible and cap).
ALTER TABLE settlements ADD COLUMN insurance_type TEXT NOT NULL DEFAULT '310';
