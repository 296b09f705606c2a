-- Issue 19, item 5: the electronic card. Each region's e-card signing keys by id (region and
-- version, `330100-ecard-v1`): the public key published for offline checking, the private key
-- only ever inside the key store. One current key a region; a rotation retires the current
-- key (the codes it signed before keep working until they expire); a withdrawal marks a key
-- compromised (every code it signed is refused).
CREATE TABLE ecard_keys (
    id TEXT PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code),
    version BIGINT NOT NULL CHECK (version >= 1),
    public_key TEXT NOT NULL,
    key_store TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('current', 'retired', 'withdrawn')),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT,
    CHECK ((status = 'current') = (retired_at IS NULL)),
    UNIQUE (region_code, version)
);
CREATE UNIQUE INDEX ecard_keys_one_current ON ecard_keys (region_code)
    WHERE status = 'current';
-- A holder's electronic card: one active a physical card, issued in the holder's own session
-- with the card's social PIN; revoked by the holder or a clerk (a new one may then be issued),
-- and stopped by its card's loss or end, which every code's check reads.
CREATE TABLE ecards (
    id TEXT PRIMARY KEY,
    card_id TEXT NOT NULL REFERENCES cards(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    issued_by TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    revoked_by TEXT,
    revoked_at BIGINT,
    revoke_reason TEXT,
    CHECK ((status = 'active') = (revoked_at IS NULL))
);
CREATE UNIQUE INDEX ecards_one_active ON ecards (card_id) WHERE status = 'active';
CREATE INDEX ecards_person ON ecards (person_id, issued_at);
-- A payment code is used once: its nonce is recorded with the use, and a second use of the
-- same nonce conflicts; a use is forgotten once its code has expired (the audit trail keeps
-- the check).
CREATE TABLE ecard_code_uses (
    nonce TEXT PRIMARY KEY,
    ecard_id TEXT NOT NULL REFERENCES ecards(id),
    used_by TEXT NOT NULL,
    used_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX ecard_code_uses_expiry ON ecard_code_uses (expires_at);
