-- Purging old audit records (issue 6: none younger than 180 days may be purged).
--
-- A purge removes a prefix of each chain and leaves an anchor: the chain, seq and hash of
-- the last record it removed. Verification then starts from the anchor, and the record after
-- it must link to the anchor's hash, so the anchor itself is checked by the chain.
--
-- Deleting stays impossible by ordinary SQL. `audit_log` refuses DELETE unless an anchor
-- covers the row (same chain, seq at or below the anchor's, written before its cutoff), and
-- an anchor can only be inserted when
--   * its cutoff is at least 180 days (15552000 s, `AUDIT_RETENTION_FLOOR_DAYS` in the
--     domain) before its purge time, and that purge time is not later than the database's
--     own clock (plus five minutes for clock skew): the floor holds even if the
--     application's clock or code is wrong;
--   * it names an existing record by seq and hash, written before the cutoff;
--   * it moves past the chain's previous anchor.
-- The purge deletes every row its anchor covers in the anchor's own transaction, so once it
-- commits the permission is spent: no row left in `audit_log` is covered by any anchor, and
-- a stray DELETE anywhere in the application is refused. To delete anything, code would have
-- to insert a valid anchor, which is the purge itself and cannot reach a record younger
-- than the floor. Anchors are append-only like the log; TRUNCATE, which skips row
-- triggers, is refused on both tables.
CREATE TABLE audit_anchors (
    chain BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    cutoff_at BIGINT NOT NULL,
    purged_at BIGINT NOT NULL,
    PRIMARY KEY (chain, seq)
);
CREATE TRIGGER audit_anchors_append_only BEFORE UPDATE OR DELETE ON audit_anchors FOR EACH ROW EXECUTE FUNCTION shebao_append_only();
CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors FOR EACH STATEMENT EXECUTE FUNCTION shebao_append_only();
CREATE FUNCTION shebao_audit_anchor_checked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.cutoff_at > NEW.purged_at - 15552000
       OR NEW.purged_at > EXTRACT(EPOCH FROM clock_timestamp())::BIGINT + 300
       OR NOT EXISTS (SELECT 1 FROM audit_log l
                      WHERE l.chain = NEW.chain AND l.seq = NEW.seq AND l.hash = NEW.hash AND l.at < NEW.cutoff_at)
       OR NEW.seq <= COALESCE((SELECT MAX(a.seq) FROM audit_anchors a WHERE a.chain = NEW.chain), 0)
    THEN
        RAISE EXCEPTION 'audit anchor refused: inside the retention floor or not a record before the cutoff (chain %, seq %)',
            NEW.chain, NEW.seq USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_anchors_checked BEFORE INSERT ON audit_anchors FOR EACH ROW EXECUTE FUNCTION shebao_audit_anchor_checked();
CREATE FUNCTION shebao_audit_purge_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM audit_anchors a
                   WHERE a.chain = OLD.chain AND OLD.seq <= a.seq AND OLD.at < a.cutoff_at) THEN
        RAISE EXCEPTION 'append-only: %', TG_TABLE_NAME USING ERRCODE = 'P0001';
    END IF;
    RETURN OLD;
END;
$$;
DROP TRIGGER audit_append_only ON audit_log;
CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION shebao_append_only();
CREATE TRIGGER audit_purge_only BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION shebao_audit_purge_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION shebao_append_only();
