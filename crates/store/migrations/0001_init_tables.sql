-- Personal data is stored only as ciphertext (`key id:nonce:ciphertext`) and blind index.
CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE region_parameters (
    region_code TEXT NOT NULL REFERENCES regions(code),
    effective_from TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (region_code, effective_from)
);
CREATE TABLE banks (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    bin TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE branches (
    id TEXT PRIMARY KEY,
    bank_id TEXT NOT NULL REFERENCES banks(id),
    name TEXT NOT NULL,
    region_code TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    bank_id TEXT,
    branch_id TEXT,
    person_id TEXT,
    failed_logins BIGINT NOT NULL,
    locked_until BIGINT,
    created_at BIGINT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE TABLE persons (
    id TEXT PRIMARY KEY,
    citizen_index TEXT NOT NULL UNIQUE,
    citizen_cipher TEXT NOT NULL,
    name_cipher TEXT NOT NULL,
    phone_cipher TEXT,
    gender TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    nationality TEXT NOT NULL,
    household_region TEXT NOT NULL,
    household_kind TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE TABLE cards (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    region_code TEXT NOT NULL,
    bank_id TEXT,
    account_id TEXT,
    card_number TEXT NOT NULL UNIQUE,
    identification_code TEXT NOT NULL UNIQUE,
    social_pin_vv TEXT,
    social_pin_failures BIGINT NOT NULL,
    social_pin_locked BIGINT NOT NULL,
    social_loss TEXT NOT NULL,
    social_loss_expires_at BIGINT,
    financial_loss TEXT NOT NULL,
    financial_loss_expires_at BIGINT,
    distribution_point TEXT,
    applied_at BIGINT NOT NULL,
    collected_at BIGINT,
    expires_on TEXT,
    replaces TEXT,
    replaced_by TEXT,
    closed_reason TEXT,
    version BIGINT NOT NULL,
    bank_card_index TEXT UNIQUE,
    bank_card_cipher TEXT
);
CREATE INDEX cards_person ON cards (person_id);
CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    bank_id TEXT NOT NULL,
    status TEXT NOT NULL,
    pin_vv TEXT,
    pin_failures BIGINT NOT NULL,
    pin_locked BIGINT NOT NULL,
    pin_failure_day TEXT,
    opened_at BIGINT NOT NULL,
    activated_at BIGINT,
    activated_branch TEXT,
    version BIGINT NOT NULL
);
CREATE TABLE ledger_accounts (
    id TEXT PRIMARY KEY,
    allow_negative BIGINT NOT NULL,
    balance_fen BIGINT NOT NULL,
    entries BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (allow_negative = 1 OR balance_fen >= 0)
);
CREATE TABLE transfers (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    debit_account TEXT NOT NULL REFERENCES ledger_accounts(id),
    credit_account TEXT NOT NULL REFERENCES ledger_accounts(id),
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    reverses TEXT UNIQUE REFERENCES transfers(id),
    memo TEXT NOT NULL,
    actor TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE entries (
    account TEXT NOT NULL REFERENCES ledger_accounts(id),
    seq BIGINT NOT NULL,
    transfer_id TEXT NOT NULL REFERENCES transfers(id),
    amount_fen BIGINT NOT NULL,
    balance_after_fen BIGINT NOT NULL,
    PRIMARY KEY (account, seq)
);
CREATE TABLE idempotency (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    response TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE audit_log (
    chain BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject);
CREATE TABLE audit_heads (
    chain BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_heads (chain, seq, hash)
SELECT c, 0, '0000000000000000000000000000000000000000000000000000000000000000'
FROM (SELECT 0 AS c UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3
      UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7) AS chains;
-- History is append-only: ledger rows and audit records are never updated or deleted.
