-- Maternity allowance claims (issue 17, item 5): applied for by the employer, the insured
-- person or the bureau for a birth or a miscarriage on a day; the leave days and the
-- allowance (the employer's previous-year average monthly contribution wage, divided by the
-- region's divisor, times the days) fixed when applied for; decided by the bureau, which
-- pays an approved claim to the card from the region's maternity fund (`transfer_id`). One
-- claim a person and day that is not refused (a refused claim may be made again, corrected).
CREATE TABLE maternity_claims (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    employer_id TEXT NOT NULL REFERENCES employers(id),
    region_code TEXT NOT NULL REFERENCES regions(code),
    event TEXT NOT NULL,
    babies BIGINT NOT NULL,
    difficult BIGINT NOT NULL,
    pregnancy_months BIGINT,
    event_on TEXT NOT NULL,
    leave_days BIGINT NOT NULL,
    average_wage_fen BIGINT NOT NULL,
    divisor_days BIGINT NOT NULL,
    allowance_fen BIGINT NOT NULL,
    status TEXT NOT NULL,
    applied_by TEXT NOT NULL,
    applied_at BIGINT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    decision_note TEXT,
    transfer_id TEXT REFERENCES transfers(id),
    version BIGINT NOT NULL
);
CREATE UNIQUE INDEX maternity_claims_day ON maternity_claims (person_id, event_on)
    WHERE status <> 'refused';
CREATE INDEX maternity_claims_person ON maternity_claims (person_id, applied_at);
CREATE INDEX maternity_claims_status ON maternity_claims (status, applied_at);
