//! Black-box tests: the `shebao` binary is started as a real server on a free port, and the
//! seed's story is told over HTTP, on SQLite and on PostgreSQL. Afterwards the database, the
//! server's log and every response are searched for the PIN and ID number used.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

#[path = "../common/mod.rs"]
mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;

use serde_json::{Value, json};

use common::*;
use insurance::{RETIREE, WORKERS, retiree_with_card};
use leaks::*;
use portal::encode;

mod audit;
mod hospital;
mod insurance;
mod leaks;
mod portal;
mod seed;

fn collect(server: &mut Server, clerk: &mut Client, card: &str) -> Value {
    collected(server, clerk, card, CITIZEN_ID, "icbc-1")
}

fn purchase(server: &mut Server, bank: &mut Client, card: &str, amount_fen: i64) -> (u16, Value) {
    bank.post(
        server,
        &format!("/api/v1/cards/{card}/purchases"),
        json!({ "amount_fen": amount_fen, "pin": FINANCIAL_PIN, "merchant": "pharmacy-1" }),
    )
}

/// Issue 13, finding 9: the teller's reversal of the purchase waits for a second teller of
/// the bank, and the clerk's credit above the region's limit for one person waits for a
/// second clerk, who rejects it.
fn second_person_approves(
    server: &mut Server,
    clerk: &mut Client,
    teller: &mut Client,
    card_id: &str,
    bought: &Value,
) {
    let mut second_teller = Client::sign_in(server, "teller-2", PASSWORD);
    let mut second_clerk = Client::sign_in(server, "clerk-2", PASSWORD);
    let (status, request) = teller.post(
        server,
        &format!(
            "/api/v1/transfers/{}/reversal",
            bought["id"].as_str().unwrap()
        ),
        json!({ "reason": "wrong amount keyed" }),
    );
    assert_eq!(
        (status, request["status"].as_str()),
        (202, Some("pending")),
        "{request}"
    );
    let approval = request["id"].as_str().unwrap().to_owned();
    refused(
        teller.post(
            server,
            &format!("/api/v1/approvals/{approval}/approval"),
            json!({}),
        ),
        "approval_by_maker",
    );
    let waiting = ok(second_teller.get(server, "/api/v1/approvals"));
    assert_eq!(waiting[0]["id"], approval.as_str(), "{waiting}");
    let approved = ok(second_teller.post(
        server,
        &format!("/api/v1/approvals/{approval}/approval"),
        json!({}),
    ));
    assert_eq!(approved["status"], "approved");
    let account = ok(clerk.get(server, &format!("/api/v1/cards/{card_id}/account")));
    assert_eq!(account["balance_fen"], 312_000);

    let (status, request) = clerk.post(
        server,
        &format!("/api/v1/cards/{card_id}/credits"),
        json!({ "kind": "benefit", "amount_fen": 6_000_000, "region": "330100" }),
    );
    assert_eq!(
        (status, request["reason"].as_str()),
        (202, Some("above_single_limit")),
        "{request}"
    );
    let rejected = ok(second_clerk.post(
        server,
        &format!(
            "/api/v1/approvals/{}/rejection",
            request["id"].as_str().unwrap()
        ),
        json!({ "reason": "no award decision behind it" }),
    ));
    assert_eq!(rejected["status"], "rejected");
    let account = ok(clerk.get(server, &format!("/api/v1/cards/{card_id}/account")));
    assert_eq!(account["balance_fen"], 312_000);
}
