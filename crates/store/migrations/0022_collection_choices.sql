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
