-- The monthly contribution run (issue 7): every person insured in a region in a month gets
-- that month's contributions from their current base. The run reads the region's
-- enrolments in person order, a chunk at a time (keyset paging), so they are indexed by
-- region and person; each run is recorded once with its counts. A run's contributions name
-- the run's id as their declaration_id.
CREATE INDEX enrolments_region_person ON enrolments (region_code, person_id);
CREATE TABLE contribution_runs (
    id TEXT PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code),
    month TEXT NOT NULL,
    persons BIGINT NOT NULL,
    posted BIGINT NOT NULL,
    rows_written BIGINT NOT NULL,
    already_recorded BIGINT NOT NULL,
    skipped_no_base BIGINT NOT NULL,
    actor TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT NOT NULL
);
CREATE INDEX contribution_runs_region_month ON contribution_runs (region_code, month);
