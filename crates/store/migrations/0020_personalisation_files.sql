-- Personalisation files (issue 18, item 4). A vendor's sealing keys: X25519 public keys
-- only (the private key never leaves the vendor), one active at a time, a new one retiring
-- the one before. A batch's personalisation file: its cards' data and keys sealed to the
-- vendor's active key in parts of at most 1,000 cards, each part written once under the
-- generation that made it (a generation that stops half-way leaves parts no file names;
-- the file's record names its generation and the others are removed when it is recorded),
-- and the manifest of the parts' digests the bureau signed, recorded once per batch.
CREATE TABLE vendor_sealing_keys (
    id TEXT PRIMARY KEY,
    vendor_id TEXT NOT NULL REFERENCES card_vendors(id),
    public_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'retired')),
    registered_by TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    retired_at BIGINT
);
CREATE UNIQUE INDEX vendor_sealing_keys_one_active ON vendor_sealing_keys (vendor_id)
    WHERE status = 'active';
CREATE INDEX vendor_sealing_keys_vendor ON vendor_sealing_keys (vendor_id, registered_at);
CREATE TABLE personalisation_parts (
    batch_id TEXT NOT NULL REFERENCES production_batches(id),
    generation TEXT NOT NULL,
    part BIGINT NOT NULL,
    first_seq BIGINT NOT NULL,
    cards BIGINT NOT NULL,
    digest TEXT NOT NULL,
    sealed TEXT NOT NULL,
    PRIMARY KEY (batch_id, generation, part)
);
CREATE TABLE personalisation_files (
    batch_id TEXT PRIMARY KEY REFERENCES production_batches(id),
    generation TEXT NOT NULL,
    sealing_key_id TEXT NOT NULL REFERENCES vendor_sealing_keys(id),
    parts BIGINT NOT NULL,
    cards BIGINT NOT NULL,
    issued_on TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    manifest TEXT NOT NULL,
    signature TEXT NOT NULL,
    signing_key_id TEXT NOT NULL,
    generated_by TEXT NOT NULL,
    generated_at BIGINT NOT NULL
);
