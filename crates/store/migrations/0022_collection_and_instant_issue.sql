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
-- are sealed to it) and the product whose blank cards it personalises. One a point; a new
-- one replaces it.
CREATE TABLE issuance_devices (
    point_id TEXT PRIMARY KEY REFERENCES pickup_points(id),
    product_id TEXT NOT NULL REFERENCES card_products(id),
    public_key TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    registered_at BIGINT NOT NULL
);
-- A card personalised on the spot at a branch: the product and revision (whose gate was
-- passed), the master keys its keys were derived from, the digest of what was sealed to the
-- device, and the last valid day printed. Once a card.
CREATE TABLE instant_issues (
    card_id TEXT PRIMARY KEY REFERENCES cards(id),
    point_id TEXT NOT NULL REFERENCES pickup_points(id),
    product_id TEXT NOT NULL REFERENCES card_products(id),
    revision BIGINT NOT NULL,
    master_keys TEXT NOT NULL,
    digest TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at BIGINT NOT NULL
);
CREATE INDEX instant_issues_point ON instant_issues (point_id, issued_at);
