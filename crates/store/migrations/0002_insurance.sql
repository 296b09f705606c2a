-- The five insurances: employers, enrolments, monthly contributions, declarations,
-- certificates, pension awards and payments. Months are YYYY-MM text.
ALTER TABLE users ADD COLUMN employer_id TEXT;
CREATE TABLE contribution_parameters (
    region_code TEXT NOT NULL REFERENCES regions(code),
    effective_from TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (region_code, effective_from)
);
CREATE TABLE employers (
    id TEXT PRIMARY KEY,
    credit_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    risk_class BIGINT NOT NULL,
    rate_tier_percent BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE enrolments (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    employer_id TEXT REFERENCES employers(id),
    region_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    start_month TEXT NOT NULL,
    end_month TEXT,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX enrolments_person ON enrolments (person_id);
CREATE INDEX enrolments_employer ON enrolments (employer_id);
CREATE TABLE declarations (
    id TEXT PRIMARY KEY,
    employer_id TEXT NOT NULL REFERENCES employers(id),
    digest TEXT NOT NULL,
    rows_total BIGINT NOT NULL,
    rows_accepted BIGINT NOT NULL,
    rows_unchanged BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    errors TEXT NOT NULL,
    actor TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (employer_id, digest)
);
CREATE TABLE contributions (
    person_id TEXT NOT NULL REFERENCES persons(id),
    insurance TEXT NOT NULL,
    month TEXT NOT NULL,
    employer_id TEXT,
    region_code TEXT NOT NULL,
    wage_fen BIGINT NOT NULL,
    base_fen BIGINT NOT NULL,
    employer_fen BIGINT NOT NULL,
    individual_fen BIGINT NOT NULL,
    account_fen BIGINT NOT NULL,
    status TEXT NOT NULL,
    declaration_id TEXT NOT NULL,
    declared_at BIGINT NOT NULL,
    paid_at BIGINT,
    PRIMARY KEY (person_id, insurance, month)
);
CREATE INDEX contributions_employer_month ON contributions (employer_id, month, status);
CREATE TABLE certificates (
    code TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    digest TEXT NOT NULL,
    content_cipher TEXT NOT NULL,
    summary TEXT NOT NULL,
    issued_at BIGINT NOT NULL
);
CREATE TABLE pension_awards (
    person_id TEXT PRIMARY KEY REFERENCES persons(id),
    region_code TEXT NOT NULL,
    retirement_month TEXT NOT NULL,
    basic_fen BIGINT NOT NULL,
    account_fen BIGINT NOT NULL,
    transitional_fen BIGINT NOT NULL,
    monthly_fen BIGINT NOT NULL,
    awarded_at BIGINT NOT NULL
);
CREATE INDEX pension_awards_region ON pension_awards (region_code);
CREATE TABLE benefit_payments (
    person_id TEXT NOT NULL REFERENCES persons(id),
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    transfer_id TEXT NOT NULL REFERENCES transfers(id),
    amount_fen BIGINT NOT NULL,
    paid_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, kind, period)
);
