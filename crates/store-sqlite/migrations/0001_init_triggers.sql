CREATE TRIGGER transfers_append_only_update BEFORE UPDATE ON transfers BEGIN SELECT RAISE(ABORT, 'append-only: transfers'); END;
CREATE TRIGGER transfers_append_only_delete BEFORE DELETE ON transfers BEGIN SELECT RAISE(ABORT, 'append-only: transfers'); END;
CREATE TRIGGER entries_append_only_update BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, 'append-only: entries'); END;
CREATE TRIGGER entries_append_only_delete BEFORE DELETE ON entries BEGIN SELECT RAISE(ABORT, 'append-only: entries'); END;
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'append-only: audit_log'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'append-only: audit_log'); END;
