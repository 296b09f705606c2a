-- Maker-checker (issue 13, finding 9). A credit entered by a person above the region's
-- limit, or past the person's daily limit, and every reversal, wait here as a request until
-- a second person of the same role and organisation approves (the money moves then, once:
-- result_transfer_id is unique) or rejects it. A decided request is final: neither it nor
-- what it asked for changes again, and no request is ever deleted. The database itself
-- refuses a decision by the maker.
CREATE TABLE approval_requests (
    id TEXT PRIMARY KEY,
    operation TEXT NOT NULL,
    reason TEXT NOT NULL,
    maker_user_id TEXT NOT NULL,
    maker TEXT NOT NULL,
    maker_role TEXT NOT NULL,
    organisation TEXT NOT NULL,
    region_code TEXT NOT NULL,
    card_id TEXT,
    transfer_id TEXT,
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    decided_by_user_id TEXT CHECK (decided_by_user_id IS NULL OR decided_by_user_id <> maker_user_id),
    decided_by TEXT,
    decided_at BIGINT,
    note TEXT,
    result_transfer_id TEXT UNIQUE,
    version BIGINT NOT NULL
);
CREATE INDEX approval_requests_waiting ON approval_requests (organisation, maker_role, status, created_at);
CREATE INDEX approval_requests_transfer ON approval_requests (transfer_id);
