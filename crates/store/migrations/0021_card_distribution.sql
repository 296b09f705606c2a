-- Distribution (issue 18, item 5). A region's pick-up points: bank branches (their tellers
-- hand cards over; one point a branch) and the bureau's service centres (its clerks), with
-- opening hours and the cards they hold at most; at most one a region, a service centre, is
-- where cards go by default. A
-- shipped batch's produced cards go to their points, one shipment a point, each card's
-- delivery kept (in transit, received, missing, collected, recalled) with the region's day
-- it was received on; a shipment is counted once. A holder is told a card waits: a notice on
-- the portal's home and a text message queued in the outbox a gateway sends from (the
-- number is the person's, sealed in `persons`; the outbox names the person only).
CREATE TABLE pickup_points (
    id TEXT PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code),
    kind TEXT NOT NULL CHECK (kind IN ('bank_branch', 'service_centre')),
    branch_id TEXT UNIQUE REFERENCES branches(id),
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    opening_hours TEXT NOT NULL,
    capacity BIGINT NOT NULL CHECK (capacity BETWEEN 1 AND 100000),
    is_default BIGINT NOT NULL CHECK (is_default IN (0, 1)),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK ((kind = 'bank_branch') = (branch_id IS NOT NULL)),
    CHECK (is_default = 0 OR kind = 'service_centre')
);
CREATE UNIQUE INDEX pickup_points_one_default ON pickup_points (region_code)
    WHERE is_default = 1;
CREATE INDEX pickup_points_region ON pickup_points (region_code, name);
CREATE TABLE shipments (
    id TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL REFERENCES production_batches(id),
    point_id TEXT NOT NULL REFERENCES pickup_points(id),
    cards BIGINT NOT NULL CHECK (cards > 0),
    status TEXT NOT NULL CHECK (status IN ('in_transit', 'received')),
    counted BIGINT CHECK (counted >= 0),
    missing BIGINT CHECK (missing >= 0),
    shipped_at BIGINT NOT NULL,
    received_by TEXT,
    received_at BIGINT,
    version BIGINT NOT NULL,
    UNIQUE (batch_id, point_id),
    CHECK ((status = 'received') = (counted IS NOT NULL AND missing IS NOT NULL
        AND received_at IS NOT NULL)),
    CHECK (status = 'in_transit' OR counted + missing = cards)
);
CREATE INDEX shipments_point ON shipments (point_id, shipped_at);
CREATE TABLE deliveries (
    shipment_id TEXT NOT NULL REFERENCES shipments(id),
    card_id TEXT NOT NULL REFERENCES cards(id),
    point_id TEXT NOT NULL REFERENCES pickup_points(id),
    status TEXT NOT NULL CHECK (status IN ('in_transit', 'received', 'missing', 'collected',
        'recalled')),
    received_on TEXT,
    closed_by TEXT,
    closed_at BIGINT,
    PRIMARY KEY (shipment_id, card_id),
    CHECK (status IN ('in_transit', 'missing') OR received_on IS NOT NULL),
    CHECK (status IN ('in_transit', 'received') OR closed_at IS NOT NULL)
);
CREATE INDEX deliveries_card ON deliveries (card_id);
CREATE UNIQUE INDEX deliveries_open_card ON deliveries (card_id)
    WHERE status IN ('in_transit', 'received');
CREATE INDEX deliveries_point ON deliveries (point_id, status, received_on);
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX notifications_person ON notifications (person_id, created_at);
CREATE TABLE sms_outbox (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    template TEXT NOT NULL,
    params TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX sms_outbox_status ON sms_outbox (status, created_at);
