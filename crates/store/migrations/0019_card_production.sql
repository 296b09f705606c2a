-- Card production (issue 18, items 1-3). A card vendor registered by the bureau (its staff's
-- logins bound to it by `users.vendor_id`; its contact sealed like other personal data);
-- every credential it ever recorded (licences, the secure-environment attestation, the PSAM
-- filing), never changed, the last recorded of each kind counting (`seq`, the vendor's own
-- count: a renewal, correction or revocation is recorded again, even in the same second); its products, each change
-- of chip, operating system, card face or file structure a new `revision` with the change
-- kept; the gate of a product revision in a region: the ministry-side approvals (once a
-- step), the test cards the vendor made in its real environment and each test card's three
-- audits (once an audit; the universality test's checks as JSON). The region's master keys
-- are ids, levels and check values only: the keys are derived inside the key store and
-- never written anywhere.
ALTER TABLE users ADD COLUMN vendor_id TEXT;
CREATE TABLE card_vendors (
    id TEXT PRIMARY KEY,
    credit_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    contact_cipher TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    registered_at BIGINT NOT NULL
);
CREATE TABLE vendor_credentials (
    id TEXT PRIMARY KEY,
    vendor_id TEXT NOT NULL REFERENCES card_vendors(id),
    kind TEXT NOT NULL CHECK (kind IN ('card_production', 'bank_card',
        'commercial_cryptography', 'secure_environment', 'psam_filing')),
    number TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    CHECK (valid_until > issued_on),
    UNIQUE (vendor_id, seq)
);
CREATE TABLE card_products (
    id TEXT PRIMARY KEY,
    vendor_id TEXT NOT NULL REFERENCES card_vendors(id),
    name TEXT NOT NULL,
    generation TEXT NOT NULL,
    chip TEXT NOT NULL,
    operating_system TEXT NOT NULL,
    face_design TEXT NOT NULL,
    face_version TEXT NOT NULL,
    file_structure_version TEXT NOT NULL,
    revision BIGINT NOT NULL CHECK (revision >= 1),
    registered_by TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX card_products_vendor ON card_products (vendor_id, registered_at);
CREATE TABLE card_product_changes (
    product_id TEXT NOT NULL REFERENCES card_products(id),
    revision BIGINT NOT NULL,
    what TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    note TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (product_id, revision)
);
CREATE TABLE gate_approvals (
    product_id TEXT NOT NULL REFERENCES card_products(id),
    region_code TEXT NOT NULL REFERENCES regions(code),
    revision BIGINT NOT NULL,
    step TEXT NOT NULL CHECK (step IN ('registration_approval', 'key_application',
        'psam_application')),
    reference TEXT NOT NULL,
    approved_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (product_id, region_code, revision, step)
);
CREATE TABLE test_cards (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES card_products(id),
    region_code TEXT NOT NULL REFERENCES regions(code),
    revision BIGINT NOT NULL,
    serial TEXT NOT NULL,
    made_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    UNIQUE (product_id, region_code, revision, serial)
);
CREATE TABLE test_card_audits (
    test_card_id TEXT NOT NULL REFERENCES test_cards(id),
    audit TEXT NOT NULL CHECK (audit IN ('standard_compliance', 'safety', 'universality')),
    passed BIGINT NOT NULL CHECK (passed IN (0, 1)),
    checks TEXT NOT NULL,
    note TEXT,
    audited_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (test_card_id, audit)
);
CREATE TABLE card_master_keys (
    id TEXT PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code),
    purpose TEXT NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 1),
    levels TEXT NOT NULL,
    check_value TEXT NOT NULL,
    key_store TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'retired')),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT,
    UNIQUE (region_code, purpose, version)
);
CREATE UNIQUE INDEX card_master_keys_one_active ON card_master_keys (region_code, purpose)
    WHERE status = 'active';
-- A production batch (item 4): the applied cards of a region the desk grouped for a vendor's
-- product revision whose gate was passed (taken oldest application first, moved to
-- production in the same transaction), each card's result as its vendor reports it
-- (`seq`: its place in the batch; a card is queued in one batch at a time; a failed card is
-- applied again and waits for the next batch), and the shipment once every card is reported.
CREATE TABLE production_batches (
    id TEXT PRIMARY KEY,
    vendor_id TEXT NOT NULL REFERENCES card_vendors(id),
    product_id TEXT NOT NULL REFERENCES card_products(id),
    revision BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    status TEXT NOT NULL CHECK (status IN ('open', 'shipped', 'closed')),
    cards BIGINT NOT NULL CHECK (cards >= 1),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    shipped_by TEXT,
    shipped_at BIGINT,
    version BIGINT NOT NULL
);
CREATE INDEX production_batches_vendor ON production_batches (vendor_id, created_at);
CREATE INDEX production_batches_created ON production_batches (created_at);
CREATE TABLE batch_cards (
    batch_id TEXT NOT NULL REFERENCES production_batches(id),
    card_id TEXT NOT NULL REFERENCES cards(id),
    seq BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'produced', 'failed')),
    reason TEXT,
    reported_by TEXT,
    reported_at BIGINT,
    PRIMARY KEY (batch_id, card_id),
    UNIQUE (batch_id, seq)
);
CREATE UNIQUE INDEX batch_cards_one_queued ON batch_cards (card_id) WHERE status = 'queued';
CREATE INDEX batch_cards_status ON batch_cards (batch_id, status);
CREATE INDEX cards_applied ON cards (region_code, status, applied_at, id);
