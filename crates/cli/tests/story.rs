//! Black-box tests: the `shebao` binary is started as a real server on a free port, and the
//! seed's story is told over HTTP, on SQLite and on PostgreSQL. Afterwards the database, the
//! server's log and every response are searched for the PIN and ID number used.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use common::*;

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

/// register → apply → ready → collect → pension while deposit-only → purchase refused →
/// activation at the card's bank → purchase accepted → temporary loss → purchase refused →
/// formal loss → replacement → old card refused, new card works, balance intact → audit
/// chain verifies.
fn the_seed_story(server: &mut Server, admin_password: &str, keys: &Path) {
    let mut admin = Client::sign_in(server, "admin", admin_password);
    set_up_reference(server, &mut admin);
    let mut clerk = Client::sign_in(server, "clerk", PASSWORD);
    let mut teller = Client::sign_in(server, "teller", PASSWORD);
    let mut other_teller = Client::sign_in(server, "teller-abc", PASSWORD);
    let mut bank = Client::sign_in(server, "icbc-system", PASSWORD);
    let auditor = Client::sign_in(server, "auditor", PASSWORD);

    let person = ok(clerk.post(server, "/api/v1/persons", json!({
        "citizen_id": CITIZEN_ID, "name": NAME, "nationality": "CHN", "household_region": "110101", "household_kind": "urban"
    })));
    assert_eq!(
        (
            person["citizen_id"].as_str(),
            person["gender"].as_str(),
            person["birth_date"].as_str()
        ),
        // Issue 13, finding 3: the province only, and the birth decade.
        (Some("11****************"), Some("male"), Some("200*-**-**"))
    );
    let card = ok(clerk.post(
        server,
        "/api/v1/cards",
        json!({ "person_id": person["id"], "bank_id": "icbc", "region": "330100" }),
    ));
    let card_id = card["id"].as_str().unwrap().to_owned();
    let collected = collect(server, &mut clerk, &card_id);
    assert_eq!(collected["status"], "collected");
    let account = ok(clerk.get(server, &format!("/api/v1/cards/{card_id}/account")));
    assert_eq!(account["status"], "deposit_only");

    let pension = ok(clerk.post(
        server,
        &format!("/api/v1/cards/{card_id}/credits"),
        json!({ "kind": "pension", "amount_fen": 312_000, "region": "330100" }),
    ));
    assert_eq!(pension["balance_after_fen"], 312_000);
    refused(purchase(server, &mut bank, &card_id, 2_350), "deposit_only");

    let activation = json!({ "citizen_id": CITIZEN_ID, "pin": FINANCIAL_PIN });
    refused(
        other_teller.post(
            server,
            &format!("/api/v1/cards/{card_id}/financial-activation"),
            activation.clone(),
        ),
        // Issue 13, finding 12: another bank's teller is told nothing, not even that the
        // card exists.
        "not_found",
    );
    let active = ok(teller.post(
        server,
        &format!("/api/v1/cards/{card_id}/financial-activation"),
        activation,
    ));
    assert_eq!(active["status"], "active");
    let bought = ok(purchase(server, &mut bank, &card_id, 2_350));
    assert_eq!(bought["balance_after_fen"], 309_650);
    second_person_approves(server, &mut clerk, &mut teller, &card_id, &bought);

    ok(clerk.post(
        server,
        &format!("/api/v1/cards/{card_id}/loss"),
        json!({ "side": "financial", "kind": "temporary" }),
    ));
    refused(purchase(server, &mut bank, &card_id, 100), "card_lost");
    ok(clerk.post(
        server,
        &format!("/api/v1/cards/{card_id}/loss"),
        json!({ "side": "financial", "kind": "formal" }),
    ));
    let new_card = ok(clerk.post(
        server,
        &format!("/api/v1/cards/{card_id}/replacement"),
        json!({}),
    ));
    let new_id = new_card["id"].as_str().unwrap().to_owned();
    refused(purchase(server, &mut bank, &card_id, 100), "card_replaced");
    collect(server, &mut clerk, &new_id);
    let after = ok(purchase(server, &mut bank, &new_id, 650));
    assert_eq!(after["balance_after_fen"], 311_350);
    refused(purchase(server, &mut bank, &card_id, 100), "card_replaced");
    let statement = ok(clerk.get(
        server,
        &format!(
            "/api/v1/accounts/{}/statement?limit=10",
            account["id"].as_str().unwrap()
        ),
    ));
    assert_eq!(statement["balance_fen"], 311_350);
    assert_eq!(statement["entries"].as_array().unwrap().len(), 4);

    let verification = ok(auditor.get(server, "/api/v1/audit/verification"));
    assert_eq!(verification["intact"], true, "{verification}");
    assert!(verification["records"].as_i64().unwrap() > 30);

    // Signing out kills the token.
    assert_eq!(
        server
            .call(
                "DELETE",
                "/api/v1/sessions/current",
                Some(&auditor.token),
                None,
                None
            )
            .0,
        200
    );
    refused(
        server.call("GET", "/api/v1/me", Some(&auditor.token), None, None),
        "unauthenticated",
    );

    // Edges of the API itself.
    refused(
        server.call("GET", "/api/v1/me", None, None, None),
        "unauthenticated",
    );
    refused(
        server.call(
            "POST",
            &format!("/api/v1/cards/{new_id}/purchases"),
            Some(&bank.token),
            None,
            Some(json!({})),
        ),
        "idempotency_key_required",
    );
    refused(
        bank.post(
            server,
            &format!("/api/v1/cards/{new_id}/purchases"),
            json!({ "amount_fen": "ten" }),
        ),
        "invalid_request",
    );
    refused(
        server.call("GET", "/api/v1/nothing-here", None, None, None),
        "not_found",
    );
    let (status, document) = server.call("GET", "/openapi.json", None, None, None);
    assert_eq!((status, document["openapi"].as_str()), (200, Some("3.1.0")));
    let (status, _) = server.call("GET", "/readyz", None, None, None);
    assert_eq!(status, 200);
    // Issue 13, finding 12: /metrics answers the operator's scrape token from the key file,
    // never a session of any role, nor nothing.
    let (status, _) = server.call("GET", "/metrics", None, None, None);
    assert_eq!(status, 401);
    let (status, _) = server.call("GET", "/metrics", Some(&bank.token), None, None);
    assert_eq!(status, 401);
    let scrape = json_out(
        shebao()
            .args(["admin", "metrics-token", "--keys"])
            .arg(keys),
    );
    let (status, metrics) = server.call("GET", "/metrics", scrape["token"].as_str(), None, None);
    assert!(
        status == 200
            && metrics
                .as_str()
                .unwrap()
                .contains("shebao_http_requests_total")
    );
}

/// Occurrences of `needle` that are not inside a run of hex digits (ciphertexts and hashes
/// may contain any six digits by chance; a stored PIN would stand on its own).
fn clear_occurrences(haystack: &[u8], needle: &str) -> usize {
    let needle = needle.as_bytes();
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, window)| *window == needle)
        .filter(|(start, _)| {
            let before = start
                .checked_sub(1)
                .and_then(|i| haystack.get(i))
                .is_some_and(u8::is_ascii_hexdigit);
            let after = haystack
                .get(start + needle.len())
                .is_some_and(u8::is_ascii_hexdigit);
            !(before || after)
        })
        .count()
}

fn assert_nothing_leaks(what: &str, bytes: &[u8]) {
    assert_none_in_clear(what, bytes, &[CITIZEN_ID, SOCIAL_PIN, FINANCIAL_PIN, NAME]);
    // Issue 13, finding 3: nor the mask that showed the first 4 and last 4 characters
    // (beside the birth date, 9 candidates), nor any mask that shows more than the province.
    let old_mask = format!("{}**********{}", &CITIZEN_ID[..4], &CITIZEN_ID[14..]);
    assert_none_in_clear(what, bytes, &[&old_mask]);
    let text = String::from_utf8_lossy(bytes);
    let shown_beyond_province = text
        .split(|c: char| !(c.is_ascii_digit() || c == 'X' || c == '*'))
        .filter(|run| run.len() == 18 && run.contains('*'))
        .find(|run| !run[2..].bytes().all(|b| b == b'*'));
    assert_eq!(
        shown_beyond_province, None,
        "a masked ID number shows more than the province in {what}"
    );
}

fn assert_none_in_clear(what: &str, bytes: &[u8], secrets: &[&str]) {
    for secret in secrets {
        assert_eq!(
            clear_occurrences(bytes, secret),
            0,
            "{secret:?} appears in clear in {what}"
        );
    }
}

/// What a store holds at rest, as (what, bytes): the SQLite database files (the WAL
/// included) in `dir`, or a data dump of the PostgreSQL schema.
fn at_rest(dir: &Path, db: &str, store: Store) -> Vec<(String, Vec<u8>)> {
    match store {
        Store::Sqlite => std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| {
                path.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("shebao.db")
            })
            .map(|path| (path.display().to_string(), std::fs::read(&path).unwrap()))
            .collect(),
        Store::Postgres => {
            let dump = Command::new("pg_dump")
                .args(["--data-only", db])
                .output()
                .unwrap();
            assert!(
                dump.status.success(),
                "pg_dump: {}",
                String::from_utf8_lossy(&dump.stderr)
            );
            assert!(dump.stdout.len() > 10_000);
            vec![("the PostgreSQL dump".to_owned(), dump.stdout)]
        }
    }
}

fn the_seed_story_leaves_no_secret_in_clear(tag: &str, store: Store) {
    let mut run = deploy(tag, store);
    the_seed_story(&mut run.server, &run.password, &run.dir.join("keys.json"));
    let (log, responses) = (run.server.log.clone(), run.server.responses.join("\n"));
    drop(run.server);
    assert_audit_verifies(&run.db);
    assert_nothing_leaks("responses", responses.as_bytes());
    assert_nothing_leaks("the server log", &std::fs::read(&log).unwrap());
    for (what, bytes) in at_rest(&run.dir, &run.db, store) {
        assert_nothing_leaks(&what, &bytes);
    }
    assert!(
        std::fs::read_to_string(&log)
            .unwrap()
            .contains("route=\"/api/v1/cards/{card}/purchases\"")
    );
}

#[test]
fn the_seed_story_over_http_on_sqlite_leaves_no_secret_in_clear() {
    the_seed_story_leaves_no_secret_in_clear("sqlite", Store::Sqlite);
}

#[test]
fn the_seed_story_over_http_on_postgres_leaves_no_secret_in_clear() {
    the_seed_story_leaves_no_secret_in_clear("postgres", Store::Postgres);
}

#[test]
fn audit_verify_detects_an_edited_and_a_deleted_record() {
    let Deployment {
        dir,
        db,
        mut server,
        ..
    } = deploy("tamper", Store::Sqlite);
    let path = dir.join("shebao.db");
    for _ in 0..3 {
        let wrong = json!({ "username": "admin", "password": "wrong password" });
        assert_eq!(
            server
                .call("POST", "/api/v1/sessions", None, None, Some(wrong))
                .0,
            401
        );
    }
    drop(server);
    let verify = || {
        shebao()
            .args(["audit", "verify", "--db", &db])
            .output()
            .unwrap()
    };
    assert!(verify().status.success());
    // The application cannot edit the trail: the schema refuses.
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert!(
        conn.execute("UPDATE audit_log SET outcome = 'ok'", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
    // An attacker with the file drops the guards: an edit is detected...
    conn.execute_batch(
        "DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete;",
    )
    .unwrap();
    conn.execute(
        "UPDATE audit_log SET outcome = 'ok' WHERE outcome LIKE 'refused%'",
        [],
    )
    .unwrap();
    let edited = verify();
    assert!(!edited.status.success());
    let report: Value = serde_json::from_slice(&edited.stdout).unwrap();
    assert_eq!(report["intact"], false);
    assert!(
        report["breaks"][0].as_str().unwrap().contains("Content"),
        "{report}"
    );
    // ...and so is a deletion, even with the edit undone by restoring nothing else.
    conn.execute(
        "DELETE FROM audit_log WHERE seq = 1 AND chain = (SELECT MIN(chain) FROM audit_log)",
        [],
    )
    .unwrap();
    let report: Value = serde_json::from_slice(&verify().stdout).unwrap();
    assert!(
        report["breaks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b.as_str().unwrap().contains("Gap")),
        "{report}"
    );
}

const WORKERS: [&str; 3] = [
    "330106199003071236",
    "310104198506153523",
    "110101200002290026",
];
const RETIREE: &str = "110101196003150018";

/// An employer registers, enrols three employees, imports a declaration file with one bad
/// row (the error file names it), imports it again (no change), the holder queries history
/// and totals, a retiree's pension is paid to a deposit-only card and appears in its
/// statement, the certificate verifies and a tampered one does not.
fn the_insurance_story(server: &mut Server, admin_password: &str) {
    let mut admin = Client::sign_in(server, "admin", admin_password);
    set_up_reference(server, &mut admin);
    ok(admin.post(
        server,
        "/api/v1/regions/330100/contribution-parameters",
        json!({ "effective_from": "2000-01-01", "parameters": contribution_parameters() }),
    ));
    let mut clerk = Client::sign_in(server, "clerk", PASSWORD);
    let firm = ok(clerk.post(server, "/api/v1/employers", json!({
        "credit_code": "91350100M000100Y43", "name": "杭州示例科技有限公司", "region": "330100", "risk_class": 1, "rate_tier_percent": 100
    })));
    let firm_id = firm["id"].as_str().unwrap().to_owned();
    ok(admin.post(server, "/api/v1/users", json!({ "username": "firm-hr", "password": PASSWORD, "role": "employer", "employer_id": firm_id })));
    let mut hr = Client::sign_in(server, "firm-hr", PASSWORD);
    let mut people = Vec::new();
    for citizen_id in WORKERS {
        let person = ok(clerk.post(server, "/api/v1/persons", json!({
            "citizen_id": citizen_id, "name": NAME, "nationality": "CHN", "household_region": "330106", "household_kind": "urban"
        })));
        let id = person["id"].as_str().unwrap().to_owned();
        ok(hr.post(server, "/api/v1/enrolments", json!({ "person_id": id, "kind": "employee", "employer_id": firm_id, "start_month": "2026-01" })));
        people.push(id);
    }
    let csv = format!(
        "citizen_id,month,wage\n{},2026-01,10000\n{},2026-01,3000.50\n{},2026-01,30000\n11010519491231002X,2026-01,8000\n",
        WORKERS[0], WORKERS[1], WORKERS[2]
    );
    let path = format!("/api/v1/employers/{firm_id}/declarations");
    let (status, body) =
        server.call_raw("POST", &path, Some(&hr.token), "text/csv", csv.as_bytes());
    let declaration: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, 200, "{declaration}");
    assert_eq!(
        (
            declaration["rows_accepted"].as_i64(),
            declaration["rows_rejected"].as_i64()
        ),
        (Some(3), Some(1))
    );
    let (status, errors) = server.call_raw(
        "GET",
        declaration["errors_url"].as_str().unwrap(),
        Some(&hr.token),
        "text/plain",
        b"",
    );
    let errors = String::from_utf8(errors).unwrap();
    assert_eq!(status, 200);
    assert!(
        errors.contains("\"5\",\"11****************\",\"not_enrolled\""),
        "{errors}"
    );
    let (_, again) = server.call_raw("POST", &path, Some(&hr.token), "text/csv", csv.as_bytes());
    let again: Value = serde_json::from_slice(&again).unwrap();
    assert_eq!(
        (again["repeated"].as_bool(), again["rows_accepted"].as_i64()),
        (Some(true), Some(0))
    );
    let arrears = ok(hr.get(server, &format!("/api/v1/employers/{firm_id}/arrears")));
    assert_eq!(arrears[0]["month"], "2026-01");
    ok(clerk.post(
        server,
        &format!("/api/v1/employers/{firm_id}/payments"),
        json!({ "month": "2026-01" }),
    ));

    // Issue 13, finding 6: the holder's login is opened at the window, original ID checked,
    // with a one-time password for the holder.
    let opened = ok(clerk.post(
        server,
        &format!("/api/v1/persons/{}/holder-login", people[0]),
        json!({ "username": "holder", "original_id_checked": true }),
    ));
    let holder_password = opened["one_time_password"].as_str().unwrap().to_owned();
    let mut holder = Client::sign_in(server, "holder", &holder_password);
    let history = ok(holder.get(
        server,
        &format!(
            "/api/v1/persons/{}/contributions?insurance=pension",
            people[0]
        ),
    ));
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(
        (
            history[0]["base_fen"].as_i64(),
            history[0]["status"].as_str()
        ),
        (Some(1_000_000), Some("paid"))
    );
    assert_eq!(history[0]["employer"], "杭州示例科技有限公司");
    let summary = ok(holder.get(
        server,
        &format!("/api/v1/persons/{}/insurance-summary", people[0]),
    ));
    assert_eq!(
        (
            summary["pension_total_fen"].as_i64(),
            summary["medical_total_fen"].as_i64()
        ),
        (Some(240_000), Some(100_000))
    );
    assert_eq!(summary["personal_pension_balance_fen"], 80_000);
    refused(
        holder.get(
            server,
            &format!("/api/v1/persons/{}/insurance-summary", people[1]),
        ),
        "not_found",
    );

    // A retiree with fifteen years paid, and a card collected but never activated.
    let (retiree_id, card_id) = retiree_with_card(server, &mut clerk, &firm_id);
    let award = ok(clerk.post(
        server,
        &format!("/api/v1/persons/{retiree_id}/pension-award"),
        json!({ "category": "male" }),
    ));
    assert_eq!(award["retirement_month"], "2020-03");
    let monthly = award["monthly_fen"].as_i64().unwrap();
    let this_month = std::process::Command::new("date")
        .arg("+%Y-%m")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap();
    let payout = ok(clerk.post(
        server,
        "/api/v1/pension-payouts",
        json!({ "region": "330100", "month": this_month }),
    ));
    assert_eq!(
        (payout["paid"].as_i64(), payout["paid_fen"].as_i64()),
        (Some(1), Some(monthly))
    );
    let again = ok(clerk.post(
        server,
        "/api/v1/pension-payouts",
        json!({ "region": "330100", "month": this_month }),
    ));
    assert_eq!(again["already_paid"], 1);
    let account = ok(clerk.get(server, &format!("/api/v1/cards/{card_id}/account")));
    assert_eq!(
        (account["status"].as_str(), account["balance_fen"].as_i64()),
        (Some("deposit_only"), Some(monthly))
    );
    let statement = ok(clerk.get(
        server,
        &format!(
            "/api/v1/accounts/{}/statement",
            account["id"].as_str().unwrap()
        ),
    ));
    assert_eq!(
        (
            statement["entries"][0]["code"].as_str(),
            statement["entries"][0]["amount_fen"].as_i64()
        ),
        (Some("pension_credit"), Some(monthly))
    );

    // The holder's certificate: the code verifies, the PDF matches, a tampered copy does not.
    let certificate = ok(holder.post(
        server,
        &format!("/api/v1/persons/{}/certificates", people[0]),
        json!({}),
    ));
    let code = certificate["summary"]["code"].as_str().unwrap().to_owned();
    let (status, pdf) = server.call_raw(
        "GET",
        &format!("/api/v1/certificates/{code}/pdf"),
        Some(&holder.token),
        "text/plain",
        b"",
    );
    assert_eq!(status, 200);
    assert!(pdf.starts_with(b"%PDF-1.4"));
    let checked = server
        .call(
            "GET",
            &format!("/api/v1/certificates/{code}"),
            None,
            None,
            None,
        )
        .1;
    assert_eq!(
        (
            checked["issued"].as_bool(),
            checked["summary"]["months_paid"].as_i64()
        ),
        (Some(true), Some(1))
    );
    let (_, matched) = server.call_raw(
        "POST",
        &format!("/api/v1/certificates/{code}/verification"),
        None,
        "application/pdf",
        &pdf,
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&matched).unwrap()["document_matches"],
        true
    );
    let mut tampered = pdf.clone();
    let at = tampered.windows(4).position(|w| w == b"2400").unwrap();
    tampered[at] = b'9';
    let (_, forged) = server.call_raw(
        "POST",
        &format!("/api/v1/certificates/{code}/verification"),
        None,
        "application/pdf",
        &tampered,
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&forged).unwrap()["document_matches"],
        false
    );
    let unknown = server
        .call(
            "GET",
            "/api/v1/certificates/SB-0000-0000-0000",
            None,
            None,
            None,
        )
        .1;
    assert_eq!(unknown["issued"], false);
}

/// A man born in March 1960 (retired 2020-03) with fifteen years of paid contributions
/// through `firm_id`, and a card collected but never activated. Returns (person, card).
fn retiree_with_card(server: &mut Server, clerk: &mut Client, firm_id: &str) -> (String, String) {
    let retiree = ok(clerk.post(server, "/api/v1/persons", json!({
        "citizen_id": RETIREE, "name": NAME, "nationality": "CHN", "household_region": "330106", "household_kind": "urban"
    })));
    let retiree_id = retiree["id"].as_str().unwrap().to_owned();
    ok(clerk.post(server, "/api/v1/enrolments", json!({ "person_id": retiree_id, "kind": "employee", "employer_id": firm_id, "start_month": "2005-01" })));
    let months: Vec<String> = (0..180)
        .map(|i| format!("{}-{:02}", 2005 + i / 12, i % 12 + 1))
        .collect();
    let rows: Vec<Value> = months
        .iter()
        .map(|m| json!({ "citizen_id": RETIREE, "month": m, "wage_fen": 800_000 }))
        .collect();
    let declared = server.call(
        "POST",
        &format!("/api/v1/employers/{firm_id}/declaration-rows"),
        Some(&clerk.token),
        None,
        Some(json!({ "rows": rows })),
    );
    assert_eq!(ok(declared)["rows_accepted"], 180);
    for month in &months {
        ok(clerk.post(
            server,
            &format!("/api/v1/employers/{firm_id}/payments"),
            json!({ "month": month }),
        ));
    }
    let card_id = issued_card(
        server,
        clerk,
        &retiree_id,
        RETIREE,
        "icbc",
        "330100",
        "icbc-1",
    );
    (retiree_id, card_id)
}

#[test]
fn the_insurance_story_over_http_on_sqlite() {
    let mut run = deploy("insurance-sqlite", Store::Sqlite);
    the_insurance_story(&mut run.server, &run.password);
    assert_audit_verifies(&run.db);
}

#[test]
fn the_insurance_story_over_http_on_postgres() {
    let mut run = deploy("insurance-postgres", Store::Postgres);
    the_insurance_story(&mut run.server, &run.password);
}

/// A diagnosis no other data contains by chance, so finding it anywhere is a leak.
const DIAGNOSIS_CODE: &str = "J18.900x001";
const DIAGNOSIS_TEXT: &str = "社区获得性肺炎（黑盒泄漏测试）";

/// A bill of the till: the patient identified by the card as read, with the social PIN
/// (Hangzhou's policy asks for it; Shenzhen's does not and ignores it).
fn inpatient_bill(card: &Value, number: &str) -> Value {
    json!({
        "person": card, "social_pin": SOCIAL_PIN, "bill_number": number, "visit": "inpatient",
        "diagnosis": { "code": DIAGNOSIS_CODE, "text": DIAGNOSIS_TEXT },
        "lines": [
            { "code": "C001", "quantity": 1, "unit_price_fen": 200_000 },
            { "code": "B001", "quantity": 1, "unit_price_fen": 500_000 },
            { "code": "A001", "quantity": 2, "unit_price_fen": 650_000 }
        ]
    })
}

/// A day at a hospital: several patients (one retired, one insured in another region, one
/// whose card is temporarily lost and is refused), one undo, and a reconciliation that
/// matches the hospital's own file. Every bill carries a diagnosis. Returns the positions in
/// `server.responses` of the answers where the holder reads their own settlements, the only
/// ones that may show it in clear.
fn the_hospital_day(server: &mut Server, admin_password: &str) -> Vec<usize> {
    let mut admin = Client::sign_in(server, "admin", admin_password);
    set_up_reference(server, &mut admin);
    ok(admin.post(
        server,
        "/api/v1/regions",
        json!({ "code": "440300", "name": "Shenzhen" }),
    ));
    ok(admin.post(
        server,
        "/api/v1/regions/440300/parameters",
        json!({ "effective_from": "2020-01-01", "parameters": card_parameters() }),
    ));
    let year: i64 = this_year().parse().unwrap();
    for region in ["330100", "440300"] {
        ok(admin.post(
            server,
            &format!("/api/v1/regions/{region}/contribution-parameters"),
            json!({ "effective_from": "2000-01-01", "parameters": contribution_parameters() }),
        ));

        for (code, class, share) in [
            ("A001", "a", Value::Null),
            ("B001", "b", json!(100_000)),
            ("C001", "self_paid", Value::Null),
        ] {
            ok(admin.post(server, &format!("/api/v1/regions/{region}/catalogue"), json!({ "code": code, "name": code, "class": class, "first_share_ppm": share, "limit_price_fen": null, "effective_from": "2000-01-01" })));
        }
    }
    let hangzhou = json!({ "annual_cap_fen": 30_000_000, "social_pin_required": true, "rules": [
        { "level": null, "visit": null, "status": null, "deductible_fen": 130_000, "pool_ratio_ppm": 850_000 },
        { "level": null, "visit": null, "status": "retired", "deductible_fen": 130_000, "pool_ratio_ppm": 900_000 } ] });
    let shenzhen = json!({ "annual_cap_fen": 30_000_000, "rules": [{ "level": null, "visit": null, "status": null, "deductible_fen": 50_000, "pool_ratio_ppm": 700_000 }] });
    ok(admin.post(
        server,
        "/api/v1/regions/330100/medical-policies",
        json!({ "year": year, "policy": hangzhou }),
    ));
    ok(admin.post(
        server,
        "/api/v1/regions/440300/medical-policies",
        json!({ "year": year, "policy": shenzhen }),
    ));
    let mut clerk = Client::sign_in(server, "clerk", PASSWORD);
    ok(clerk.post(server, "/api/v1/institutions", json!({ "id": "hz-hospital", "name": "浙一医院", "region": "330100", "kind": "hospital", "level": 3 })));
    ok(admin.post(server, "/api/v1/users", json!({ "username": "cashier", "password": PASSWORD, "role": "cashier", "institution_id": "hz-hospital" })));
    let mut cashier = Client::sign_in(server, "cashier", PASSWORD);
    let firm = ok(clerk.post(server, "/api/v1/employers", json!({ "credit_code": "91350100M000100Y43", "name": "杭州示例", "region": "330100", "risk_class": 1, "rate_tier_percent": 100 })))["id"].as_str().unwrap().to_owned();
    let far_firm = ok(clerk.post(server, "/api/v1/employers", json!({ "credit_code": "91440300708461136T", "name": "深圳示例", "region": "440300", "risk_class": 1, "rate_tier_percent": 100 })))["id"].as_str().unwrap().to_owned();
    let month = this_year() + "-01";

    let (worker, worker_card) = insured_with_card(
        server, &mut clerk, &firm, WORKERS[0], 10_000, "icbc", "330100", &month,
    );
    let (_, far_card) = insured_with_card(
        server, &mut clerk, &far_firm, WORKERS[1], 10_000, "abc", "440300", &month,
    );
    let (_, lost_card) = insured_with_card(
        server, &mut clerk, &firm, WORKERS[2], 10_000, "icbc", "330100", &month,
    );
    let (retiree, retiree_card) = retiree_with_card(server, &mut clerk, &firm);
    ok(clerk.post(
        server,
        &format!("/api/v1/persons/{retiree}/pension-award"),
        json!({ "category": "male" }),
    ));
    ok(clerk.post(
        server,
        &format!("/api/v1/cards/{lost_card}/loss"),
        json!({ "side": "social", "kind": "temporary" }),
    ));

    let worker_card_id = worker_card.clone();
    // The till reads each patient's card: its printed number and its chip's code.
    let [worker_card, far_card, lost_card, retiree_card] =
        [&worker_card, &far_card, &lost_card, &retiree_card]
            .map(|card| card_as_read(server, &clerk, card));
    // Issue 13, finding 5. The worker at the person query: by the card, with the personal
    // account's balance; by the typed ID number only with a reason, and then without it.
    let query = |server: &mut Server, who: Value| {
        server.call(
            "POST",
            "/api/v1/medical/person-query",
            Some(&cashier.token),
            None,
            Some(who),
        )
    };
    let by_card = ok(query(server, worker_card.clone()));
    assert_eq!(
        (
            by_card["status"].as_str(),
            by_card["insured_region"].as_str(),
            by_card["personal_account_balance_fen"].as_i64()
        ),
        (Some("working"), Some("330100"), Some(20_000))
    );
    refused(
        query(server, json!({ "citizen_id": WORKERS[0] })),
        "invalid_request",
    );
    let by_number = ok(query(
        server,
        json!({ "citizen_id": WORKERS[0], "reason": "卡芯片损坏 chip unreadable" }),
    ));
    assert_eq!(
        (
            &by_number["person_id"],
            &by_number["personal_account_balance_fen"]
        ),
        (&by_card["person_id"], &Value::Null)
    );
    let mut wrong = worker_card.clone();
    wrong["card"]["identification_code"] = json!("330100D156000005FFFFFFFFFFFFFFFF");
    refused(query(server, wrong), "card_not_recognised");
    // The old way, the card id alone, identifies nobody; a typed ID number settles nothing;
    // Hangzhou's policy asks for the social PIN.
    let mut old_way = inpatient_bill(&worker_card, "ZY-000");
    old_way["person"] = json!({ "card_id": worker_card_id });
    let typed = json!({ "citizen_id": WORKERS[0], "reason": "card left at home" });
    let mut without_pin = inpatient_bill(&worker_card, "ZY-000");
    without_pin["social_pin"] = Value::Null;
    for (bill, code) in [
        (old_way, "invalid_request"),
        (inpatient_bill(&typed, "ZY-000"), "card_required"),
        (without_pin, "invalid_request"),
    ] {
        refused(
            cashier.post(server, "/api/v1/medical/settlements", bill),
            code,
        );
    }
    let preview = ok(server.call(
        "POST",
        "/api/v1/medical/pre-settlements",
        Some(&cashier.token),
        None,
        Some(inpatient_bill(&worker_card, "ZY-001")),
    ));
    let settled = ok(cashier.post(
        server,
        "/api/v1/medical/settlements",
        inpatient_bill(&worker_card, "ZY-001"),
    ));
    assert_eq!(
        (
            settled["fund_fen"].as_i64(),
            settled["account_fen"].as_i64(),
            settled["cash_fen"].as_i64()
        ),
        (Some(1_377_000), Some(20_000), Some(603_000))
    );
    assert_eq!(preview["fund_fen"], settled["fund_fen"]);
    let masked = json!({ "code": "J**", "text": "***", "masked": true });
    assert_eq!(
        (&preview["diagnosis"], &settled["diagnosis"]),
        (&masked, &masked)
    );
    refused(
        cashier.post(
            server,
            "/api/v1/medical/settlements",
            inpatient_bill(&worker_card, "ZY-001"),
        ),
        "bill_already_settled",
    );
    // The retiree: 90% instead of 85%.
    let retired = ok(cashier.post(
        server,
        "/api/v1/medical/settlements",
        inpatient_bill(&retiree_card, "ZY-002"),
    ));
    assert_eq!(retired["fund_fen"], 1_458_000);
    // Insured in Shenzhen, treated in Hangzhou: Shenzhen's deductible and ratio apply.
    let far = ok(cashier.post(
        server,
        "/api/v1/medical/settlements",
        inpatient_bill(&far_card, "ZY-003"),
    ));
    assert_eq!(
        (
            far["insured_region"].as_str(),
            far["deductible_fen"].as_i64(),
            far["fund_fen"].as_i64()
        ),
        (Some("440300"), Some(50_000), Some(1_190_000))
    );
    // The lost card is refused; nothing is recorded.
    refused(
        cashier.post(
            server,
            "/api/v1/medical/settlements",
            inpatient_bill(&lost_card, "ZY-004"),
        ),
        "card_lost",
    );
    // One undo: a second bill of the worker, cancelled at the till.
    ok(cashier.post(
        server,
        "/api/v1/medical/settlements",
        inpatient_bill(&worker_card, "ZY-005"),
    ));
    let undone = ok(cashier.post(server, "/api/v1/medical/settlements/ZY-005/undo", json!({})));
    assert_eq!(
        (undone["status"].as_str(), &undone["diagnosis"]),
        (Some("undone"), &masked)
    );

    let day = ok(cashier.get(
        server,
        &format!(
            "/api/v1/institutions/hz-hospital/reconciliation?date={}",
            today()
        ),
    ));
    assert_eq!(
        (day["settled"].as_i64(), day["undone"].as_i64()),
        (Some(3), Some(1))
    );
    assert!(
        day["settlements"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["diagnosis"] == masked)
    );
    let mut file = String::from("bill_number,status,total_fen,fund_fen,account_fen,cash_fen\n");
    for s in day["settlements"].as_array().unwrap() {
        file.push_str(&format!(
            "{},{},{},{},{},{}\n",
            s["bill_number"].as_str().unwrap(),
            s["status"].as_str().unwrap(),
            s["total_fen"],
            s["fund_fen"],
            s["account_fen"],
            s["cash_fen"]
        ));
    }
    let check = ok(server.call(
        "POST",
        "/api/v1/institutions/hz-hospital/reconciliation-check",
        Some(&cashier.token),
        None,
        Some(json!({ "date": today(), "csv": file })),
    ));
    assert_eq!(check["matches"], true, "{check}");
    let tampered = file.replace(",settled,", ",undone,");
    let check = ok(server.call(
        "POST",
        "/api/v1/institutions/hz-hospital/reconciliation-check",
        Some(&cashier.token),
        None,
        Some(json!({ "date": today(), "csv": tampered })),
    ));
    assert_eq!(check["matches"], false);

    // Every vector of medical.md through the API's calculator.
    for (question, fund, account, cash) in [
        (
            (
                2_000_000,
                200_000,
                0,
                500_000,
                "10%",
                130_000,
                "85%",
                150_000,
                100_000_000,
            ),
            1_377_000,
            150_000,
            473_000,
        ),
        (
            (
                2_000_000,
                200_000,
                0,
                500_000,
                "10%",
                130_000,
                "90%",
                150_000,
                100_000_000,
            ),
            1_458_000,
            150_000,
            392_000,
        ),
        (
            (80_000, 0, 0, 0, "0", 130_000, "85%", 30_000, 100_000_000),
            0,
            30_000,
            50_000,
        ),
        (
            (
                40_000_000, 1_000_000, 500_000, 10_000_000, "10%", 130_000, "85%", 0, 30_000_000,
            ),
            30_000_000,
            0,
            10_000_000,
        ),
    ] {
        let (total, self_paid, over, class_b, ratio, deductible, pool, balance, cap) = question;
        let answer = ok(server.call("POST", "/api/v1/calc/settlement", Some(&clerk.token), None, Some(json!({
            "total_fen": total, "self_paid_fen": self_paid, "over_limit_fen": over, "class_b_fen": class_b, "class_b_ratio": ratio,
            "deductible_remaining_fen": deductible, "pool_ratio": pool, "cap_remaining_fen": cap, "account_balance_fen": balance
        }))));
        assert_eq!(
            (
                answer["fund_fen"].as_i64(),
                answer["account_fen"].as_i64(),
                answer["cash_fen"].as_i64()
            ),
            (Some(fund), Some(account), Some(cash))
        );
    }

    // The worker sees the settlement with its split.
    let opened = ok(clerk.post(
        server,
        &format!("/api/v1/persons/{worker}/holder-login"),
        json!({ "username": "patient", "original_id_checked": true }),
    ));
    let patient_password = opened["one_time_password"].as_str().unwrap().to_owned();
    let patient = Client::sign_in(server, "patient", &patient_password);
    let mine = ok(patient.get(server, &format!("/api/v1/persons/{worker}/settlements")));
    let holders_own = vec![server.responses.len() - 1];
    assert_eq!(mine.as_array().unwrap().len(), 2);
    // Their own medical data: in clear for them, masked for the bureau's clerk.
    assert_eq!(
        mine[0]["diagnosis"],
        json!({ "code": DIAGNOSIS_CODE, "text": DIAGNOSIS_TEXT, "masked": false })
    );
    let seen_by_clerk = ok(clerk.get(server, &format!("/api/v1/persons/{worker}/settlements")));
    assert_eq!(seen_by_clerk[0]["diagnosis"], masked);
    let statement = ok(patient.get(
        server,
        &format!("/api/v1/persons/{worker}/personal-accounts/medical/statement"),
    ));
    assert_eq!(statement["balance_fen"], 0);
    holders_own
}

/// The clear bank card numbers of every card in the store. No API path carries one in clear
/// (answers show it masked, first 6 and last 4), so the test opens the stored ciphertexts
/// with the deployment's key file, as only the service itself could.
fn bank_card_numbers(db: &str, keys: &std::path::Path) -> Vec<String> {
    let vault = shebao_app::Vault::load(keys).unwrap();
    Db::open(db)
        .snapshot(&["SELECT bank_card_cipher FROM cards WHERE bank_card_cipher IS NOT NULL"])[0]
        .iter()
        .map(|row| vault.open("card.bank_card_number", &row[0]).unwrap())
        .collect()
}

/// The hospital day, then the store (SQLite files or a PostgreSQL dump), the server's log
/// (which is also where a panic would be printed) and every answer are searched for the ID
/// numbers, PIN, name, bank card numbers and diagnosis used.
fn the_hospital_day_leaves_no_secret_in_clear(tag: &str, store: Store) {
    let mut run = deploy(tag, store);
    let holders_own = the_hospital_day(&mut run.server, &run.password);
    let bank_cards = bank_card_numbers(&run.db, &run.dir.join("keys.json"));
    assert_eq!(bank_cards.len(), 4, "one per card");
    let (log, responses) = (
        run.server.log.clone(),
        std::mem::take(&mut run.server.responses),
    );
    drop(run.server);
    assert_audit_verifies(&run.db);
    let mut personal = vec![SOCIAL_PIN, NAME, RETIREE];
    personal.extend(WORKERS);
    personal.extend(bank_cards.iter().map(String::as_str));
    let mut secrets = personal.clone();
    secrets.extend([DIAGNOSIS_CODE, DIAGNOSIS_TEXT]);

    // The holder reading their own settlements legitimately sees their own diagnosis: those
    // answers, and only those, are left out of the search for it (but not for the rest).
    let (own, others): (Vec<_>, Vec<_>) = responses
        .iter()
        .enumerate()
        .partition(|(i, _)| holders_own.contains(i));
    let join = |answers: Vec<(usize, &String)>| {
        answers
            .into_iter()
            .map(|(_, a)| a.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (own, others) = (join(own), join(others));
    assert!(
        own.contains(DIAGNOSIS_TEXT) && own.contains(DIAGNOSIS_CODE),
        "the search would find it"
    );
    assert_none_in_clear("the holder's own settlements", own.as_bytes(), &personal);
    assert_none_in_clear("responses", others.as_bytes(), &secrets);
    for number in &bank_cards {
        let masked = format!(
            "{}{}{}",
            &number[..6],
            "*".repeat(number.len() - 10),
            &number[number.len() - 4..]
        );
        assert!(others.contains(&masked), "answers show {masked}");
    }
    let log = std::fs::read(&log).unwrap();
    assert_none_in_clear("the server log", &log, &secrets);
    assert!(
        !String::from_utf8_lossy(&log).contains("panicked"),
        "the server panicked"
    );
    for (what, bytes) in at_rest(&run.dir, &run.db, store) {
        assert_none_in_clear(&what, &bytes, &secrets);
    }
}

#[test]
fn a_day_at_the_hospital_over_http_on_sqlite_leaves_no_secret_in_clear() {
    the_hospital_day_leaves_no_secret_in_clear("hospital-sqlite", Store::Sqlite);
}

#[test]
fn a_day_at_the_hospital_over_http_on_postgres_leaves_no_secret_in_clear() {
    the_hospital_day_leaves_no_secret_in_clear("hospital-postgres", Store::Postgres);
}

/// A browser's view of the portal: cookies kept, a language chosen.
struct Browser {
    cookies: Vec<(String, String)>,
    language: &'static str,
}

impl Browser {
    fn new(language: &'static str) -> Browser {
        Browser {
            cookies: Vec::new(),
            language,
        }
    }

    /// One request as a browser sends it; returns the status, the Location and the page.
    fn request(
        &mut self,
        server: &mut Server,
        method: &str,
        path: &str,
        form: Option<&[(&str, &str)]>,
    ) -> (u16, String, String) {
        let mut stream = TcpStream::connect(&server.address).unwrap();
        let body = form
            .map(|fields| {
                fields
                    .iter()
                    .map(|(k, v)| format!("{k}={}", encode(v)))
                    .collect::<Vec<_>>()
                    .join("&")
            })
            .unwrap_or_default();
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAccept-Language: {}\r\n",
            server.address, self.language
        );
        if !cookie.is_empty() {
            head.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        if form.is_some() {
            head.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).unwrap();
        server.responses.push(raw.clone());
        let (head, page) = raw.split_once("\r\n\r\n").unwrap();
        let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        let mut location = String::new();
        for line in head.lines() {
            let lower = line.to_ascii_lowercase();
            if let Some(value) = lower
                .strip_prefix("set-cookie: ")
                .map(|_| &line["set-cookie: ".len()..])
            {
                let pair = value.split(';').next().unwrap();
                let (name, value) = pair.split_once('=').unwrap();
                self.cookies.retain(|(k, _)| k != name);
                if !value.is_empty() {
                    self.cookies.push((name.to_owned(), value.to_owned()));
                }
            }
            if lower.starts_with("location: ") {
                location = line["location: ".len()..].to_owned();
            }
        }
        (status, location, page.to_owned())
    }

    /// Posts the sign-in form as a browser does: the page first, for its pre-session
    /// cookie and the form's CSRF token.
    fn post_sign_in(
        &mut self,
        server: &mut Server,
        username: &str,
        password: &str,
    ) -> (u16, String, String) {
        let (_, _, form) = self.request(server, "GET", "/login", None);
        let csrf = hidden(&form, "csrf");
        self.request(
            server,
            "POST",
            "/login",
            Some(&[
                ("username", username),
                ("password", password),
                ("csrf", &csrf),
            ]),
        )
    }

    fn sign_in(&mut self, server: &mut Server, username: &str, password: &str) {
        let (status, location, _) = self.post_sign_in(server, username, password);
        assert_eq!((status, location.as_str()), (303, "/home"));
    }
}

/// Form encoding of one value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The value of a hidden field in a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} field"))
        + marker.len();
    page[start..].split('"').next().unwrap().to_owned()
}

/// A holder signs in and sees deposit-only with the next step, in Chinese and English; a
/// teller activates the card through the PIN pad; the holder then sees it active.
fn the_portal_story(server: &mut Server, admin_password: &str) {
    let mut admin = Client::sign_in(server, "admin", admin_password);
    set_up_reference(server, &mut admin);
    let mut clerk = Client::sign_in(server, "clerk", PASSWORD);
    let person = ok(clerk.post(server, "/api/v1/persons", json!({
        "citizen_id": CITIZEN_ID, "name": NAME, "nationality": "CHN", "household_region": "110101", "household_kind": "urban"
    })));
    let card = ok(clerk.post(
        server,
        "/api/v1/cards",
        json!({ "person_id": person["id"], "bank_id": "icbc", "region": "330100" }),
    ));
    let card_id = card["id"].as_str().unwrap().to_owned();
    collect(server, &mut clerk, &card_id);
    // Issue 13, finding 6: the administrator cannot make the holder's login; the holder
    // enrols with the ID number and the collected card's data, a wrong PIN answering like
    // any other wrong part.
    refused(
        admin.post(server, "/api/v1/users", json!({ "username": "impostor", "password": PASSWORD, "role": "cardholder", "person_id": person["id"] })),
        "holder_login_by_enrolment",
    );
    let mut enrolment = json!({
        "citizen_id": CITIZEN_ID, "card_number": card["card_number"], "identification_code": card["identification_code"],
        "social_pin": "000000", "username": "holder", "password": PASSWORD
    });
    refused(
        server.call(
            "POST",
            "/api/v1/holder-logins",
            None,
            None,
            Some(enrolment.clone()),
        ),
        "holder_enrolment_refused",
    );
    enrolment["social_pin"] = json!(SOCIAL_PIN);
    let enrolled = ok(server.call(
        "POST",
        "/api/v1/holder-logins",
        None,
        None,
        Some(enrolment.clone()),
    ));
    assert_eq!(enrolled["person_id"], person["id"]);
    refused(
        server.call("POST", "/api/v1/holder-logins", None, None, Some(enrolment)),
        "holder_login_exists",
    );

    let mut zh = Browser::new("zh-CN,zh;q=0.9");
    assert_eq!(zh.request(server, "GET", "/home", None).1, "/login");
    let (status, _, page) = zh.post_sign_in(server, "holder", "wrong password");
    assert!(status == 401 && page.contains("用户名或密码不正确"));
    zh.sign_in(server, "holder", PASSWORD);
    let (status, _, home) = zh.request(server, "GET", "/home", None);
    assert_eq!(status, 200);
    assert!(
        home.contains("只收不付") && home.contains("到icbc任一网点激活"),
        "{home}"
    );
    assert!(home.contains("lang=\"zh-CN\""));
    let mut en = Browser::new("en-US,en;q=0.9");
    // A cardholder may sign in with the ID number instead of the username.
    en.sign_in(server, CITIZEN_ID, PASSWORD);
    let (_, _, english) = en.request(server, "GET", "/home", None);
    assert!(
        english.contains("deposit-only") && english.contains("any branch of icbc"),
        "{english}"
    );
    let (_, _, help) = zh.request(server, "GET", "/help", None);
    assert!(
        help.contains("尚未激活金融功能") && help.contains("社保卡需要到银行激活吗"),
        "{help}"
    );
    for path in [
        "/holder/contributions",
        "/holder/accounts",
        "/holder/settlements",
        "/holder/certificate",
        "/holder/pin",
    ] {
        assert_eq!(zh.request(server, "GET", path, None).0, 200, "{path}");
    }
    // The switch sticks: the English browser chooses Chinese.
    en.request(server, "GET", "/lang/zh", None);
    assert!(
        en.request(server, "GET", "/home", None)
            .2
            .contains("只收不付")
    );

    let mut teller = Browser::new("zh-CN");
    teller.sign_in(server, "teller", PASSWORD);
    let (_, _, desk) = teller.request(
        server,
        "GET",
        &format!("/desk/card?card_id={card_id}"),
        None,
    );
    assert!(
        desk.contains("type=\"password\"") && desk.contains("激活金融功能"),
        "{desk}"
    );
    let (csrf, key) = (hidden(&desk, "csrf"), hidden(&desk, "key"));
    let path = format!("/desk/cards/{card_id}/activate");
    let forged = teller.request(
        server,
        "POST",
        &path,
        Some(&[
            ("csrf", "forged"),
            ("key", &key),
            ("citizen_id", CITIZEN_ID),
            ("pin", FINANCIAL_PIN),
        ]),
    );
    assert_eq!(forged.0, 403);
    let (status, _, done) = teller.request(
        server,
        "POST",
        &path,
        Some(&[
            ("csrf", &csrf),
            ("key", &key),
            ("citizen_id", CITIZEN_ID),
            ("pin", FINANCIAL_PIN),
        ]),
    );
    assert_eq!(status, 200, "{done}");
    assert!(done.contains("金融功能已激活") && done.contains("data-financial=\"active\""));
    let (_, _, after) = zh.request(server, "GET", "/home", None);
    assert!(
        after.contains("已激活") && after.contains("两项功能均可使用"),
        "{after}"
    );
    for page in [&home, &english, &desk, &done, &after] {
        assert!(
            !page.contains(CITIZEN_ID) && !page.contains(FINANCIAL_PIN),
            "a page shows a secret"
        );
    }
    let signed_out = zh.request(
        server,
        "POST",
        "/logout",
        Some(&[("csrf", &hidden(&after, "csrf"))]),
    );
    assert_eq!(signed_out.1, "/login");
    assert_eq!(zh.request(server, "GET", "/home", None).1, "/login");
}

#[test]
fn the_portal_story_on_sqlite() {
    let mut run = deploy("portal-sqlite", Store::Sqlite);
    the_portal_story(&mut run.server, &run.password);
    let (log, responses) = (run.server.log.clone(), run.server.responses.join("\n"));
    drop(run.server);
    assert_nothing_leaks("portal responses", responses.as_bytes());
    assert_nothing_leaks("the server log", &std::fs::read(&log).unwrap());
}

/// Hostile input over HTTP: an oversized body is refused with a problem, and SQL
/// metacharacters in every kind of parameter change nothing.
#[test]
fn hostile_input_is_refused_and_changes_nothing() {
    let mut run = deploy("hostile", Store::Sqlite);
    let server = &mut run.server;
    let mut admin = Client::sign_in(server, "admin", &run.password);
    set_up_reference(server, &mut admin);
    let mut clerk = Client::sign_in(server, "clerk", PASSWORD);
    let big = json!({ "citizen_id": CITIZEN_ID, "name": "x".repeat(100_000), "nationality": "CHN", "household_region": "110101", "household_kind": "urban" });
    let (status, body) = clerk.post(server, "/api/v1/persons", big);
    assert_eq!(
        (status, body["code"].as_str()),
        (413, Some("body_too_large")),
        "{body}"
    );
    let person = ok(clerk.post(server, "/api/v1/persons", json!({
        "citizen_id": CITIZEN_ID, "name": NAME, "nationality": "CHN", "household_region": "110101", "household_kind": "urban"
    })));
    let before = ok(clerk.get(server, "/api/v1/regions"));
    for hostile in [
        "' OR '1'='1",
        "x'; DROP TABLE cards; --",
        "\" OR 1=1 --",
        "%27%20OR%201%3D1",
    ] {
        let encoded = encode(hostile);
        for path in [
            format!("/api/v1/cards/{encoded}"),
            format!("/api/v1/persons/{encoded}"),
            format!("/api/v1/accounts/{encoded}/statement"),
            format!("/api/v1/audit?actor={encoded}"),
        ] {
            let (status, body) = clerk.get(server, &path);
            assert!(
                status == 404 || status == 403 || status == 422,
                "{path}: {status} {body}"
            );
        }
        let (status, _) = clerk.post(
            server,
            "/api/v1/persons/lookup",
            json!({ "citizen_id": hostile }),
        );
        assert_eq!(status, 422);
        let (status, _) = clerk.post(
            server,
            "/api/v1/cards",
            json!({ "person_id": hostile, "bank_id": hostile, "region": "330100" }),
        );
        assert_eq!(status, 404);
    }
    assert_eq!(ok(clerk.get(server, "/api/v1/regions")), before);
    assert_eq!(
        ok(clerk.get(
            server,
            &format!("/api/v1/persons/{}", person["id"].as_str().unwrap())
        ))["id"],
        person["id"]
    );
    drop(run.server);
    assert_audit_verifies(&run.db);
}
