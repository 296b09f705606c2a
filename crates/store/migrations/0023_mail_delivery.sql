-- Issue 18, item 5: a card sent by post. While a card is applied for or made and not yet on
-- its way, its holder (or the clerk for them) may ask for it to be posted to an address,
-- sealed like every personal datum. The card then goes with the rest to its region's default
-- point, whose clerks post it (the carrier and its tracking number) and record the carrier's
-- report: delivered into the holder's own hands after the carrier checked the ID card (the
-- holder then sets the social PIN in their own portal, or at a service centre), returned
-- (the card waits at the point for its holder) or lost (the card is cancelled and made again,
-- to be posted anew). At most one order a card is chosen or posted.
CREATE TABLE mail_orders (
    id TEXT PRIMARY KEY,
    card_id TEXT NOT NULL REFERENCES cards(id),
    address_cipher TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('chosen', 'posted', 'lost', 'delivered',
        'returned', 'withdrawn')),
    carrier TEXT,
    tracking_number TEXT,
    reason TEXT,
    chosen_by TEXT NOT NULL,
    chosen_at BIGINT NOT NULL,
    posted_by TEXT,
    posted_at BIGINT,
    closed_by TEXT,
    closed_at BIGINT,
    version BIGINT NOT NULL,
    CHECK ((status = 'chosen') = (posted_at IS NULL) OR status = 'withdrawn'),
    CHECK ((posted_at IS NULL) = (tracking_number IS NULL)),
    CHECK ((status IN ('chosen', 'posted')) = (closed_at IS NULL))
);
CREATE UNIQUE INDEX mail_orders_live ON mail_orders (card_id)
    WHERE status IN ('chosen', 'posted');
CREATE INDEX mail_orders_card ON mail_orders (card_id, chosen_at);
-- Issue 18, item 5: a card recalled at its point (uncollected past the region's period, or
-- cancelled before it was counted) is destroyed there, once, with a record: how, the witness
-- the point's paper record names, who and when; one record covers the cards destroyed
-- together.
CREATE TABLE card_destructions (
    card_id TEXT PRIMARY KEY REFERENCES cards(id),
    point_id TEXT NOT NULL REFERENCES pickup_points(id),
    record_id TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('shredded', 'chip_punched')),
    witness TEXT NOT NULL,
    destroyed_by TEXT NOT NULL,
    destroyed_at BIGINT NOT NULL
);
CREATE INDEX card_destructions_point ON card_destructions (point_id, destroyed_at);
