-- Real-time medical settlement: designated institutions, the catalogue, yearly policies,
-- per-person yearly accumulators and the settlements themselves.
ALTER TABLE users ADD COLUMN institution_id TEXT;
CREATE TABLE institutions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    kind TEXT NOT NULL,
    level BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE catalogue_items (
    region_code TEXT NOT NULL,
    code TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    name TEXT NOT NULL,
    class TEXT NOT NULL,
    first_share_ppm BIGINT NOT NULL,
    limit_price_fen BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (region_code, code, effective_from)
);
CREATE TABLE medical_policies (
    region_code TEXT NOT NULL REFERENCES regions(code),
    year BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (region_code, year)
);
CREATE TABLE medical_accumulators (
    person_id TEXT NOT NULL REFERENCES persons(id),
    year BIGINT NOT NULL,
    deductible_used_fen BIGINT NOT NULL CHECK (deductible_used_fen >= 0),
    fund_used_fen BIGINT NOT NULL CHECK (fund_used_fen >= 0),
    supplementary_used_fen BIGINT NOT NULL CHECK (supplementary_used_fen >= 0),
    PRIMARY KEY (person_id, year)
);
CREATE TABLE settlements (
    institution_id TEXT NOT NULL REFERENCES institutions(id),
    bill_number TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    person_id TEXT NOT NULL REFERENCES persons(id),
    insured_region TEXT NOT NULL,
    treated_region TEXT NOT NULL,
    year BIGINT NOT NULL,
    visit TEXT NOT NULL,
    total_fen BIGINT NOT NULL,
    self_paid_fen BIGINT NOT NULL,
    over_limit_fen BIGINT NOT NULL,
    class_b_first_share_fen BIGINT NOT NULL,
    in_scope_fen BIGINT NOT NULL,
    deductible_fen BIGINT NOT NULL,
    fund_fen BIGINT NOT NULL,
    supplementary_fen BIGINT NOT NULL,
    account_fen BIGINT NOT NULL,
    cash_fen BIGINT NOT NULL,
    fund_transfer_id TEXT,
    account_transfer_id TEXT,
    supplementary_transfer_id TEXT,
    status TEXT NOT NULL,
    settled_at BIGINT NOT NULL,
    settled_on TEXT NOT NULL,
    undone_at BIGINT,
    PRIMARY KEY (institution_id, bill_number),
    CHECK (fund_fen + supplementary_fen + account_fen + cash_fen = total_fen)
);
CREATE INDEX settlements_person ON settlements (person_id);
CREATE INDEX settlements_day ON settlements (institution_id, settled_on);
