-- Work injury (issue 17, item 4). The region's pool of appraisal experts, known by the
-- committee's code for them (no name is kept), with the insured unit each works for, if any
-- (never drawn for that unit's cases).
CREATE TABLE injury_experts (
    id TEXT PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code),
    code TEXT NOT NULL,
    specialty TEXT NOT NULL,
    employer_id TEXT REFERENCES employers(id),
    active BIGINT NOT NULL,
    added_by TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE UNIQUE INDEX injury_experts_code ON injury_experts (region_code, code);

-- An application for the recognition of a work injury, by the employer, the worker or the
-- family, taken only within its deadline; the day its decision is due; the bureau's
-- decision. One case a person and day of injury that is not refused.
CREATE TABLE injury_cases (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    employer_id TEXT NOT NULL REFERENCES employers(id),
    region_code TEXT NOT NULL REFERENCES regions(code),
    injured_on TEXT NOT NULL,
    applicant TEXT NOT NULL,
    applied_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    applied_by TEXT NOT NULL,
    applied_at BIGINT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    decision_note TEXT,
    version BIGINT NOT NULL
);
CREATE UNIQUE INDEX injury_cases_day ON injury_cases (person_id, injured_on)
    WHERE status <> 'not_recognised';
CREATE INDEX injury_cases_person ON injury_cases (person_id, applied_at);
CREATE INDEX injury_cases_employer ON injury_cases (employer_id, applied_at);
CREATE INDEX injury_cases_status ON injury_cases (status, applied_at);

-- A labour-ability appraisal of a recognised case: the panel drawn (its seed and the pool
-- it was drawn from, so anyone can redo the draw, and the experts in the order drawn), then the conclusion (a grade 1-10,
-- or none, and a level of care). One appraisal open a case; one first appraisal and one
-- re-appraisal a case.
CREATE TABLE injury_appraisals (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES injury_cases(id),
    kind TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    panel_size BIGINT NOT NULL,
    seed TEXT NOT NULL,
    pool TEXT NOT NULL,
    panel TEXT NOT NULL,
    drawn_by TEXT NOT NULL,
    drawn_at BIGINT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    grade BIGINT,
    care_level TEXT,
    concluded_by TEXT,
    concluded_on TEXT,
    version BIGINT NOT NULL
);
CREATE UNIQUE INDEX injury_appraisals_open ON injury_appraisals (case_id)
    WHERE status = 'drawn';
CREATE UNIQUE INDEX injury_appraisals_first ON injury_appraisals (case_id)
    WHERE kind = 'first';
CREATE INDEX injury_appraisals_status ON injury_appraisals (status, drawn_at);
CREATE INDEX injury_appraisals_case ON injury_appraisals (case_id, drawn_at);

-- The disability benefits of a case, settled once on the conclusion in force: the wage they
-- are counted on, the one-time subsidy paid from the work-injury fund (`transfer_id`), and
-- the monthly allowance with who owes it (the fund, or the employer for grades 5-6).
CREATE TABLE injury_settlements (
    case_id TEXT PRIMARY KEY REFERENCES injury_cases(id),
    appraisal_id TEXT NOT NULL REFERENCES injury_appraisals(id),
    grade BIGINT NOT NULL,
    own_wage_fen BIGINT NOT NULL,
    local_average_fen BIGINT NOT NULL,
    minimum_wage_fen BIGINT NOT NULL,
    wage_fen BIGINT NOT NULL,
    one_time_fen BIGINT NOT NULL,
    monthly_fen BIGINT,
    payer TEXT,
    care_fen BIGINT,
    transfer_id TEXT NOT NULL REFERENCES transfers(id),
    settled_by TEXT NOT NULL,
    settled_at BIGINT NOT NULL
);

-- The monthly benefits a case pays from the work-injury fund: the disability allowance of
-- grades 1-4, the care allowance, and each dependant's pension after a work death; each to
-- its payee's card from `from_month`, once a month (`benefit_payments`), until the month
-- before `ended_month`.
CREATE TABLE injury_pensions (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES injury_cases(id),
    region_code TEXT NOT NULL REFERENCES regions(code),
    person_id TEXT NOT NULL REFERENCES persons(id),
    kind TEXT NOT NULL,
    monthly_fen BIGINT NOT NULL,
    from_month TEXT NOT NULL,
    ended_month TEXT,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE UNIQUE INDEX injury_pensions_once ON injury_pensions (case_id, person_id, kind);
CREATE INDEX injury_pensions_region ON injury_pensions (region_code, id);

-- A work death's one-off benefits, settled once a worker: the funeral grant and the
-- one-time work-death benefit, paid to the card of the family member who claims them; what
-- the fund paid the worker for months after the death, owed back (`overpaid_transfer_id`).
CREATE TABLE injury_deaths (
    case_id TEXT PRIMARY KEY REFERENCES injury_cases(id),
    person_id TEXT NOT NULL UNIQUE REFERENCES persons(id),
    died_on TEXT NOT NULL,
    recipient_id TEXT NOT NULL REFERENCES persons(id),
    wage_fen BIGINT NOT NULL,
    funeral_fen BIGINT NOT NULL,
    one_time_fen BIGINT NOT NULL,
    funeral_transfer_id TEXT NOT NULL REFERENCES transfers(id),
    one_time_transfer_id TEXT NOT NULL REFERENCES transfers(id),
    overpaid_fen BIGINT NOT NULL,
    overpaid_transfer_id TEXT REFERENCES transfers(id),
    note TEXT NOT NULL,
    settled_by TEXT NOT NULL,
    settled_at BIGINT NOT NULL
);
