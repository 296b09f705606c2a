-- Issue 18, item 5: where a holder chose to collect a card (a pick-up point of the card's
-- region), while the card is applied for or made; a card with no choice goes to its region's
-- default point. A choice holds one of the point's places until the card is sent.
CREATE TABLE collection_choices (
    card_id TEXT PRIMARY KEY REFERENCES cards(id),
    point_id TEXT NOT NULL REFERENCES pickup_points(id),
    chosen_by TEXT NOT NULL,
    chosen_at BIGINT NOT NULL
);
CREATE INDEX collection_choices_point ON collection_choices (point_id);
-- A bank branch's instant-issuance device: its X25519 public key (the card's data and keys
-- are sealed to it) and its key id, and the product and revision of the blank cards it
-- personalises. One a point; a new one replaces it.
CREATE TABLE issuance_devices (
    point_id TEXT PRIMARY KEY REFERENCES pickup_points(id),
    product_id TEXT NOT NULL REFERENCES card_products(id),
    revision BIGINT NOT NULL,
    key_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    registered_at BIGINT NOT NULL
);
-- A card personalised on the spot at a branch: the device key it was sealed to, the product
-- and revision (whose gate was passed), the master keys its keys were derived from, the
-- digest of what was sealed, the last valid day printed, the manifest the bureau signed and
-- its signature; sealed until the device reports
-- the card produced (ready at the branch) or failed (applied again, to be issued anew). At
-- most one issue a card is not failed.
CREATE TABLE instant_issues (
    id TEXT PRIMARY KEY,
    card_id TEXT NOT NULL REFERENCES cards(id),
    point_id TEXT NOT NULL REFERENCES pickup_points(id),
    device_key_id TEXT NOT NULL,
    product_id TEXT NOT NULL REFERENCES card_products(id),
    revision BIGINT NOT NULL,
    master_keys TEXT NOT NULL,
    digest TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    manifest TEXT NOT NULL,
    signature TEXT NOT NULL,
    signing_key_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('sealed', 'produced', 'failed')),
    reason TEXT,
    issued_by TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    reported_by TEXT,
    reported_at BIGINT,
    CHECK ((status = 'sealed') = (reported_at IS NULL))
);
CREATE UNIQUE INDEX instant_issues_live ON instant_issues (card_id) WHERE status <> 'failed';
CREATE INDEX instant_issues_point ON instant_issues (point_id, status);
-- Issue 18, item 6: a bank whose own card system assigns its cards' bank card numbers (over
-- the API, each checked and unique) rather than the bureau drawing them from its BIN; its
-- applied cards wait for their number before a production batch takes them.
ALTER TABLE banks ADD COLUMN numbers_from_bank BIGINT NOT NULL DEFAULT 0
    CHECK (numbers_from_bank IN (0, 1));
CREATE INDEX cards_awaiting_bank_number ON cards (bank_id, applied_at, id)
    WHERE status = 'applied' AND bank_card_cipher IS NULL;
