//! The seed's story over HTTP: a card from registration to replacement, told on both stores
//! and searched afterwards for any secret in clear; and hostile input against it.

use super::*;

/// register → apply → ready → collect → pension while deposit-only → purchase refused →
/// activation at the card's bank → purchase accepted → temporary loss → purchase refused →
/// formal loss → replacement → old card refused, new card works, balance intact → audit
/// chain verifies.
fn the_seed_story(server: &mut Server, admin_password: &str, keys: &Path, store: Store) {
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
    assert_eq!(status, 200);
    // Issue 16: what an operator watches. Every family the story's requests and writes
    // recorded is there: requests, their time by operation, refusals by code, the writer.
    let metrics = metrics.as_str().unwrap();
    let kind = match store {
        Store::Sqlite => "sqlite",
        Store::Postgres => "postgres",
    };
    for family in [
        "# TYPE shebao_http_requests_total counter".to_owned(),
        "shebao_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} ".to_owned(),
        "# TYPE shebao_http_request_duration_seconds histogram".to_owned(),
        "shebao_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/cards/{card}/purchases\",status=\"422\",operation=\"purchase\",le=\"10\"} ".to_owned(),
        "shebao_refusals_total{code=\"not_found\"} ".to_owned(),
        "shebao_refusals_total{code=\"invalid_request\"} ".to_owned(),
        format!("shebao_writer_queue_depth{{store=\"{kind}\"}} "),
        format!("shebao_writer_group_size_bucket{{store=\"{kind}\",le=\"1\"}} "),
        format!("shebao_writer_commit_seconds_bucket{{store=\"{kind}\",le=\"10\"}} "),
        format!("shebao_writer_retries_total{{store=\"{kind}\"}} "),
    ] {
        assert!(metrics.contains(&family), "{family} is missing:\n{metrics}");
    }
}

fn the_seed_story_leaves_no_secret_in_clear(tag: &str, store: Store) {
    let mut run = deploy(tag, store);
    the_seed_story(
        &mut run.server,
        &run.password,
        &run.dir.join("keys.json"),
        store,
    );
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

crate::on_both_stores!(
    |store, name| the_seed_story_leaves_no_secret_in_clear(name, store),
    the_seed_story_over_http_on_sqlite_leaves_no_secret_in_clear,
    the_seed_story_over_http_on_postgres_leaves_no_secret_in_clear,
);

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
