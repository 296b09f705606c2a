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
CREATE FUNCTION shebao_approval_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.status <> 'pending'
        OR NEW.id IS DISTINCT FROM OLD.id OR NEW.operation IS DISTINCT FROM OLD.operation
        OR NEW.reason IS DISTINCT FROM OLD.reason
        OR NEW.maker_user_id IS DISTINCT FROM OLD.maker_user_id OR NEW.maker IS DISTINCT FROM OLD.maker
        OR NEW.maker_role IS DISTINCT FROM OLD.maker_role
        OR NEW.organisation IS DISTINCT FROM OLD.organisation
        OR NEW.region_code IS DISTINCT FROM OLD.region_code OR NEW.card_id IS DISTINCT FROM OLD.card_id
        OR NEW.transfer_id IS DISTINCT FROM OLD.transfer_id
        OR NEW.amount_fen IS DISTINCT FROM OLD.amount_fen OR NEW.body IS DISTINCT FROM OLD.body
        OR NEW.created_at IS DISTINCT FROM OLD.created_at
        OR NEW.expires_at IS DISTINCT FROM OLD.expires_at THEN
        RAISE EXCEPTION 'final: approval_requests' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER approval_requests_final BEFORE UPDATE OR DELETE ON approval_requests
FOR EACH ROW EXECUTE FUNCTION shebao_approval_final();
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
SET body = (body::jsonb || '{"manual_credit_approval_above_fen": 5000000, "manual_credit_daily_max_fen": 20000000, "approval_request_valid_hours": 72}'::jsonb)::text
WHERE (body::jsonb -> 'manual_credit_approval_above_fen') IS NULL;
