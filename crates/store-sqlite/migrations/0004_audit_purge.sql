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
-- than the floor. Anchors are append-only like the log.
CREATE TABLE audit_anchors (
    chain BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    cutoff_at BIGINT NOT NULL,
    purged_at BIGINT NOT NULL,
    PRIMARY KEY (chain, seq)
);
CREATE TRIGGER audit_anchors_append_only_update BEFORE UPDATE ON audit_anchors BEGIN SELECT RAISE(ABORT, 'append-only: audit_anchors'); END;
CREATE TRIGGER audit_anchors_append_only_delete BEFORE DELETE ON audit_anchors BEGIN SELECT RAISE(ABORT, 'append-only: audit_anchors'); END;
CREATE TRIGGER audit_anchors_checked BEFORE INSERT ON audit_anchors
WHEN NOT (
    NEW.cutoff_at <= NEW.purged_at - 15552000
    AND NEW.purged_at <= CAST(strftime('%s', 'now') AS INTEGER) + 300
    AND EXISTS (SELECT 1 FROM audit_log l
                WHERE l.chain = NEW.chain AND l.seq = NEW.seq AND l.hash = NEW.hash AND l.at < NEW.cutoff_at)
    AND NEW.seq > COALESCE((SELECT MAX(a.seq) FROM audit_anchors a WHERE a.chain = NEW.chain), 0)
)
BEGIN SELECT RAISE(ABORT, 'audit anchor refused: inside the retention floor or not a record before the cutoff'); END;
-- Same name as before, so tooling that knows the old trigger still finds it.
DROP TRIGGER audit_append_only_delete;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_anchors a
                 WHERE a.chain = OLD.chain AND OLD.seq <= a.seq AND OLD.at < a.cutoff_at)
BEGIN SELECT RAISE(ABORT, 'append-only: audit_log'); END;
