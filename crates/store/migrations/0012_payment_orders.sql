-- An employer's order to pay one of its owed months (issue 15, item 5), made from its desk
-- with the total it confirmed. An order moves no money: the month posts when the money has
-- arrived and the bureau records it (`record_contribution_payment`), which settles the
-- order. One order per employer and month; ordering again replaces it.
CREATE TABLE payment_orders (
    employer_id TEXT NOT NULL REFERENCES employers(id),
    month TEXT NOT NULL,
    total_fen BIGINT NOT NULL,
    ordered_by TEXT NOT NULL,
    ordered_at BIGINT NOT NULL,
    paid_at BIGINT,
    PRIMARY KEY (employer_id, month)
);
