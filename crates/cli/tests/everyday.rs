//! Issue 19's story, black box, on SQLite and on PostgreSQL: the `shebao` binary serves on a
//! free port with a clock the test moves (built with the `test-clock` feature, which
//! `scripts/test` turns on). The electronic card: the production desk makes the region's
//! e-card key; a holder takes an electronic card with the card's PIN in their own session
//! and shows its identity code; a reader with only the published keys (`shebao ecard
//! verify`) accepts it offline and refuses it after it expires; the online check accepts it
//! and, once the card is reported lost, refuses it while the offline check still passes; a
//! payment code needs the activated account and works once; a rotated key keeps its codes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

// Without the feature the story cannot move the server's clock: it fails, never skips.
#[cfg(not(feature = "test-clock"))]
#[test]
fn the_everyday_story_needs_the_test_clock() {
    panic!("build with `--features shebao/test-clock` (scripts/test does) to tell the story");
}

#[cfg(feature = "test-clock")]
mod common;

#[cfg(feature = "test-clock")]
mod story {
    use std::path::Path;

    use serde_json::{Value, json};

    use super::common::*;

    const REGION: &str = "330100";

    /// `shebao ecard verify` with the keys file, at the server's clock: its JSON and whether
    /// it passed.
    fn offline(keys: &Path, code: &str, clock: &TestClock) -> (Value, bool) {
        let output = shebao()
            .args(["ecard", "verify", "--keys"])
            .arg(keys)
            .arg(code)
            .env("SHEBAO_TEST_CLOCK", &clock.file)
            .output()
            .unwrap();
        let answer: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
        (answer, output.status.success())
    }

    /// The published keys, saved as a reader keeps them.
    fn published(server: &mut Server, dir: &Path) -> std::path::PathBuf {
        let (status, keys) = server.call("GET", "/.well-known/shebao/ecard-keys", None, None, None);
        assert_eq!(status, 200, "{keys}");
        let path = dir.join("ecard-keys.json");
        std::fs::write(&path, keys.to_string()).unwrap();
        path
    }

    fn code(server: &mut Server, holder: &mut Client, ecard: &str, purpose: &str) -> String {
        let shown = ok(holder.post(
            server,
            &format!("/api/v1/e-cards/{ecard}/codes"),
            json!({ "purpose": purpose }),
        ));
        shown["code"].as_str().unwrap().to_owned()
    }

    fn check(server: &mut Server, staff: &mut Client, code: &str) -> (u16, Value) {
        staff.post(
            server,
            "/api/v1/e-card-codes/check",
            json!({ "code": code }),
        )
    }

    fn the_everyday_story(store: Store, tag: &str) {
        let mut clock = TestClock::new(tag);
        let Deployment {
            dir,
            password,
            server: mut running,
            ..
        } = deploy_in(tag, store, &[], &[("SHEBAO_TEST_CLOCK", &clock.file)]);
        let server = &mut running;
        let mut admin = Client::sign_in(server, "admin", &password);
        set_up_reference(server, &mut admin);
        ok(admin.post(
            server,
            "/api/v1/users",
            json!({ "username": "desk", "password": PASSWORD, "role": "production_officer" }),
        ));
        let mut desk = Client::sign_in(server, "desk", PASSWORD);
        let mut clerk = Client::sign_in(server, "clerk", PASSWORD);
        let mut teller = Client::sign_in(server, "teller", PASSWORD);

        // The holder, their collected card and their login.
        let person = ok(clerk.post(
            server,
            "/api/v1/persons",
            json!({
                "citizen_id": CITIZEN_ID, "name": NAME, "nationality": "CHN",
                "household_region": "330106", "household_kind": "urban"
            }),
        ));
        let person = person["id"].as_str().unwrap().to_owned();
        let card = issued_card(
            server, &mut clerk, &person, CITIZEN_ID, "icbc", REGION, "window",
        );
        let opened = ok(clerk.post(
            server,
            &format!("/api/v1/persons/{person}/holder-login"),
            json!({ "username": "holder", "original_id_checked": true }),
        ));
        let mut holder = Client::sign_in(
            server,
            "holder",
            opened["one_time_password"].as_str().unwrap(),
        );

        // The electronic card, taken with the card's PIN; the region's key made by the desk.
        refused(
            holder.post(
                server,
                &format!("/api/v1/cards/{card}/e-card"),
                json!({ "social_pin": "000999" }),
            ),
            "pin_incorrect",
        );
        let ecard = ok(holder.post(
            server,
            &format!("/api/v1/cards/{card}/e-card"),
            json!({ "social_pin": SOCIAL_PIN }),
        ));
        let ecard = ecard["id"].as_str().unwrap().to_owned();
        refused(
            holder.post(
                server,
                &format!("/api/v1/e-cards/{ecard}/codes"),
                json!({ "purpose": "identity" }),
            ),
            "ecard_not_offered",
        );
        let key = ok(desk.post(server, "/api/v1/e-card-keys", json!({ "region": REGION })));
        assert_eq!(key["id"], "330100-ecard-v1");

        // The identity code verifies offline with only the published keys, and online.
        let keys = published(server, &dir);
        let identity = code(server, &mut holder, &ecard, "identity");
        let (read, good) = offline(&keys, &identity, &clock);
        assert!(good, "{read}");
        assert_eq!(
            (read["card_id"].as_str(), read["holder_id"].as_str()),
            (Some(card.as_str()), Some(person.as_str()))
        );
        assert_eq!(read["purpose"], "identity");
        let checked = ok(check(server, &mut clerk, &identity));
        assert_eq!(checked["holder"]["id"], person.as_str());
        assert_ne!(checked["holder"]["citizen_id"], CITIZEN_ID, "masked");
        // A code with a character of its signature changed fails offline and online.
        let mut altered = identity.clone().into_bytes();
        let middle = altered.len() - 40;
        altered[middle] = if altered[middle] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        let (read, good) = offline(&keys, &altered, &clock);
        assert!(!good);
        assert_eq!(read["error"]["code"], "invalid_token");
        refused(check(server, &mut clerk, &altered), "invalid_token");

        // After its minutes (the region's 10) it fails, offline and online.
        clock.advance_seconds(10 * 60);
        let (read, good) = offline(&keys, &identity, &clock);
        assert!(!good);
        assert_eq!(read["error"]["code"], "code_expired");
        refused(check(server, &mut clerk, &identity), "code_expired");

        // A payment code: only once the account is activated, and used once.
        refused(
            holder.post(
                server,
                &format!("/api/v1/e-cards/{ecard}/codes"),
                json!({ "purpose": "payment" }),
            ),
            "deposit_only",
        );
        ok(teller.post(
            server,
            &format!("/api/v1/cards/{card}/financial-activation"),
            json!({ "citizen_id": CITIZEN_ID, "pin": FINANCIAL_PIN }),
        ));
        let payment = code(server, &mut holder, &ecard, "payment");
        assert_eq!(ok(check(server, &mut teller, &payment))["used"], true);
        refused(check(server, &mut teller, &payment), "code_used");

        // A rotation: the old key's live code still verifies; new codes carry the new key.
        let before = code(server, &mut holder, &ecard, "identity");
        ok(desk.post(server, "/api/v1/e-card-keys", json!({ "region": REGION })));
        let keys = published(server, &dir);
        assert!(offline(&keys, &before, &clock).1);
        let after = code(server, &mut holder, &ecard, "identity");
        assert!(after.starts_with("SBE1.330100-ecard-v2."), "{after}");

        // The card reported lost: the code still verifies offline (no reader can know), and
        // the online check refuses it at once; no new code is shown.
        ok(holder.post(
            server,
            &format!("/api/v1/cards/{card}/loss"),
            json!({ "side": "social", "kind": "temporary" }),
        ));
        assert!(offline(&keys, &after, &clock).1);
        refused(check(server, &mut clerk, &after), "card_lost");
        refused(
            holder.post(
                server,
                &format!("/api/v1/e-cards/{ecard}/codes"),
                json!({ "purpose": "identity" }),
            ),
            "card_lost",
        );
    }

    crate::on_both_stores!(
        the_everyday_story,
        the_everyday_story_on_sqlite,
        the_everyday_story_on_postgres,
    );
}
