-- Unemployment insurance (issue 17, item 2). A region's benefit parameters are versioned as
-- its contribution parameters are. An employer reports a leaver (how the job ended; `late`
-- when more than 15 days after the last day). A spell runs from the person's registration
-- as unemployed through the bureau's decision (`months` granted, counted from
-- `contribution_months` paid since the previous spell and the `carried_months` it left) to
-- its end: every month paid (`paid_months` = `months`), or a stop with its reason. A person
-- has at most one open spell; each month a spell paid is kept with it (`benefit_payments`
-- keeps the payment once per person and month). A referral sends the person of an open
-- spell to a vacancy; a refusal of suitable work without reason counts in the spell's
-- `refusals`. A fraud found leaves a receivable on the person (what was paid wrongly and
-- the fine), as does a stop from a month already paid; each is booked by its transfer.
CREATE TABLE benefit_parameters (
    region_code TEXT NOT NULL REFERENCES regions(code),
    effective_from TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (region_code, effective_from)
);
CREATE TABLE leaver_reports (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    employer_id TEXT NOT NULL REFERENCES employers(id),
    region_code TEXT NOT NULL REFERENCES regions(code),
    left_on TEXT NOT NULL,
    leaving TEXT NOT NULL,
    late BIGINT NOT NULL,
    reported_by TEXT NOT NULL,
    reported_at BIGINT NOT NULL,
    UNIQUE (person_id, employer_id, left_on)
);
CREATE INDEX leaver_reports_person ON leaver_reports (person_id, left_on);
CREATE TABLE unemployment_spells (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    region_code TEXT NOT NULL REFERENCES regions(code),
    leaver_report_id TEXT REFERENCES leaver_reports(id),
    status TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    contribution_months BIGINT,
    carried_months BIGINT,
    months BIGINT,
    refusal_code TEXT,
    decided_by TEXT,
    decided_at BIGINT,
    paid_months BIGINT NOT NULL,
    refusals BIGINT NOT NULL,
    stop_reason TEXT,
    stopped_month TEXT,
    stop_note TEXT,
    stopped_by TEXT,
    stopped_at BIGINT,
    version BIGINT NOT NULL
);
CREATE UNIQUE INDEX unemployment_spells_open ON unemployment_spells (person_id)
    WHERE status IN ('registered', 'approved');
CREATE INDEX unemployment_spells_person ON unemployment_spells (person_id, registered_at);
CREATE INDEX unemployment_spells_status ON unemployment_spells (status, region_code, registered_at);
CREATE TABLE unemployment_payments (
    spell_id TEXT NOT NULL REFERENCES unemployment_spells(id),
    month TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    transfer_id TEXT NOT NULL REFERENCES transfers(id),
    amount_fen BIGINT NOT NULL,
    paid_at BIGINT NOT NULL,
    PRIMARY KEY (spell_id, month)
);
CREATE TABLE job_referrals (
    id TEXT PRIMARY KEY,
    spell_id TEXT NOT NULL REFERENCES unemployment_spells(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    vacancy_id TEXT NOT NULL REFERENCES vacancies(id),
    note TEXT NOT NULL,
    referred_by TEXT NOT NULL,
    referred_at BIGINT NOT NULL,
    outcome TEXT,
    outcome_note TEXT,
    recorded_by TEXT,
    recorded_at BIGINT,
    version BIGINT NOT NULL,
    UNIQUE (spell_id, vacancy_id)
);
CREATE INDEX job_referrals_person ON job_referrals (person_id, referred_at);
CREATE TABLE receivables (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    spell_id TEXT NOT NULL REFERENCES unemployment_spells(id),
    kind TEXT NOT NULL,
    repayment_fen BIGINT NOT NULL,
    fine_fen BIGINT NOT NULL,
    fine_percent BIGINT NOT NULL,
    note TEXT NOT NULL,
    transfer_id TEXT NOT NULL REFERENCES transfers(id),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (spell_id, kind)
);
CREATE INDEX receivables_person ON receivables (person_id, created_at);
