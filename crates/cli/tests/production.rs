//! Issue 18's story, black box, on SQLite and on PostgreSQL: the `shebao` binary serves on a
//! free port with a clock the test moves (built with the `test-clock` feature, which
//! `scripts/test` turns on). A card vendor and its product are registered; a production
//! batch is refused before the gate; a test card passes the three audits and the gate opens;
//! 1,000 applied cards go into a batch whose sealed personalisation file the vendor opens
//! with its own key; 3 cards fail and are made again in the next batch, with the same card
//! keys; both batches are shipped to the region's pick-up point and counted there with one
//! card missing (cancelled and applied for again), the 999 holders are told (a notice on the
//! portal, a text for the SMS gateway) and 997 collect their cards with the identity check; a
//! card-face change closes the gate and stops the next batch; an expired PSAM filing stops
//! production; the two cards left uncollected are recalled and destroyed with a record; no
//! key (the key file's card root, a card's key) shows in the database files, the server's
//! log or any answer. A second, smaller story: a bank's system numbers its
//! card, a branch issues a card on the spot, one card is posted and delivered into its
//! holder's hands, another comes back; the address is sealed at rest.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

// Without the feature the story cannot move the server's clock: it fails, never skips.
#[cfg(not(feature = "test-clock"))]
#[test]
fn the_production_story_needs_the_test_clock() {
    panic!("build with `--features shebao/test-clock` (scripts/test does) to tell the story");
}

#[cfg(feature = "test-clock")]
mod common;

#[cfg(feature = "test-clock")]
mod story {
    use std::collections::{BTreeMap, HashSet};
    use std::io::Write;
    use std::path::Path;
    use std::process::Stdio;

    use serde_json::{Value, json};
    use shebao_domain::person::identity::check_character;

    use super::common::*;

    const REGION: &str = "330100";
    const CARDS: usize = 1_000;
    const KEY_PURPOSES: [&str; 5] = [
        "external_authentication",
        "internal_authentication",
        "update",
        "purchase",
        "pin_unlock",
    ];
    const CREDENTIALS: [&str; 5] = [
        "card_production",
        "bank_card",
        "commercial_cryptography",
        "secure_environment",
        "psam_filing",
    ];
    /// The days the PSAM filing has left when the story begins.
    const PSAM_DAYS_LEFT: i64 = 30;

    fn id(value: &Value) -> String {
        value["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no id: {value}"))
            .to_owned()
    }

    /// The refusal's code and its words.
    fn refusal(result: (u16, Value)) -> (String, String) {
        let (status, body) = result;
        assert!((400..500).contains(&status), "{status}: {body}");
        (
            body["code"].as_str().unwrap().to_owned(),
            body["detail"].as_str().unwrap_or_default().to_owned(),
        )
    }

    /// The `i`-th applicant's ID number: born in Hangzhou's Xihu district on 1 or 2 January
    /// 1985, 500 a day.
    fn citizen(i: usize) -> String {
        let first17 = format!("33010619850{:03}{:03}", 101 + i / 500, i % 500);
        let check = check_character(&first17).unwrap();
        format!("{first17}{check}")
    }

    /// The staff the story needs, signed in.
    struct Staff {
        admin: Client,
        desk: Client,
        maker: Client,
        clerk: Client,
    }

    impl Staff {
        /// Every login signed in again (a jump of the clock ends every session), its
        /// idempotency keys going on from where they were.
        fn signed_in_again(self, server: &mut Server, admin_password: &str) -> Staff {
            let again = |server: &mut Server, before: Client, password: &str| {
                let mut client = Client::sign_in(server, &before.name, password);
                client.counter = before.counter;
                client
            };
            Staff {
                admin: again(server, self.admin, admin_password),
                desk: again(server, self.desk, PASSWORD),
                maker: again(server, self.maker, PASSWORD),
                clerk: again(server, self.clerk, PASSWORD),
            }
        }
    }

    /// The cards of a personalisation file as the vendor opens it, by identification code:
    /// each card's data and its keys (hex, by the key's short name).
    type Opened = BTreeMap<String, (Value, BTreeMap<String, String>)>;

    fn the_production_story(store: Store, tag: &str) {
        let mut clock = TestClock::new(tag);
        let Deployment {
            dir,
            db,
            password,
            server: mut running,
        } = deploy_in(
            tag,
            store,
            // The window registers 1,000 applicants in the hour (each a look-up by ID number).
            &["--lookup-rate", "5000/3600"],
            &[("SHEBAO_TEST_CLOCK", &clock.file)],
        );
        let server = &mut running;
        let mut admin = Client::sign_in(server, "admin", &password);
        set_up_reference(server, &mut admin);
        ok(admin.post(
            server,
            "/api/v1/users",
            json!({ "username": "desk", "password": PASSWORD, "role": "production_officer" }),
        ));
        let mut desk = Client::sign_in(server, "desk", PASSWORD);
        let today = clock.today();

        // The vendor, its login, its product; the region's master keys and its pick-up point.
        let (vendor, product) = vendor_and_product(server, &mut admin, &mut desk);
        let point = id(&ok(desk.post(
            server,
            "/api/v1/pickup-points",
            json!({ "region": REGION, "kind": "service_centre", "branch": null,
                    "name": "西湖区社保服务中心", "address": "杭州市西湖区文三路 1 号",
                    "opening_hours": "周一至周五 9:00-17:00", "capacity": 2_000,
                    "default": true }),
        )));
        // Cards not collected within 30 days are recalled.
        let mut parameters = card_parameters();
        parameters["uncollected_card_days"] = json!(30);
        ok(admin.post(
            server,
            &format!("/api/v1/regions/{REGION}/parameters"),
            json!({ "effective_from": today, "parameters": parameters }),
        ));
        let mut staff = Staff {
            admin,
            desk,
            maker: Client::sign_in(server, "vendor", PASSWORD),
            clerk: Client::sign_in(server, "clerk", PASSWORD),
        };

        applications(server, &mut staff.clerk);
        let batch_body =
            |cards: usize| json!({ "product": product, "region": REGION, "cards": cards });

        // Before the vendor's credentials, then before the gate, no batch.
        let (code, detail) = refusal(staff.desk.post(
            server,
            "/api/v1/production-batches",
            batch_body(CARDS),
        ));
        assert_eq!(code, "vendor_not_certified", "{detail}");
        credentials(server, &mut staff.desk, &vendor, (&clock, PSAM_DAYS_LEFT));
        let (code, detail) = refusal(staff.desk.post(
            server,
            "/api/v1/production-batches",
            batch_body(CARDS),
        ));
        assert_eq!(code, "gate_not_passed");
        assert!(detail.contains("registration_approval"), "{detail}");
        pass_the_gate(server, &mut staff, &product, "T-0001", &today);

        // The vendor's sealing key, made on its own machine; the private half stays there.
        let vendor_key = sealing_key(server, &mut staff.maker, &dir);

        // The first batch: 1,000 cards, their file opened by the vendor.
        let first = id(&ok(staff.desk.post(
            server,
            "/api/v1/production-batches",
            batch_body(CARDS),
        )));
        let first_file = personalised(server, &mut staff, &first, &vendor_key);
        assert_eq!(first_file.len(), CARDS);
        let citizens: HashSet<String> = (0..CARDS).map(citizen).collect();
        for (code, (card, _)) in &first_file {
            assert_eq!(card["identification_code"], code.as_str());
            assert_eq!(card["name"], NAME);
            assert!(citizens.contains(card["citizen_id"].as_str().unwrap()));
            assert!(
                card["bank_card_number"]
                    .as_str()
                    .unwrap()
                    .starts_with("621226")
            );
        }
        // Each card's keys differ from every other card's and from each other.
        let keys: HashSet<&String> = first_file
            .values()
            .flat_map(|(_, keys)| keys.values())
            .collect();
        assert_eq!(keys.len(), CARDS * KEY_PURPOSES.len());

        // 3 cards fail; they are applied again and made in the next batch, with the same
        // keys (derived again, never stored).
        let cards = batch_cards(server, &staff.maker, &first);
        let failed: Vec<&Value> = cards[10..13].iter().collect();
        let results: Vec<Value> = cards
            .iter()
            .enumerate()
            .map(|(i, card)| {
                let code = &card["identification_code"];
                if (10..13).contains(&i) {
                    json!({ "identification_code": code, "outcome": "failed",
                            "reason": "chip personalisation error" })
                } else {
                    json!({ "identification_code": code, "outcome": "produced" })
                }
            })
            .collect();
        let reported = ok(staff.maker.post(
            server,
            &format!("/api/v1/production-batches/{first}/results"),
            json!({ "results": results }),
        ));
        assert_eq!(
            (reported["produced"].as_i64(), reported["failed"].as_i64()),
            (Some(997), Some(3))
        );
        ok(staff.maker.post(
            server,
            &format!("/api/v1/production-batches/{first}/ship"),
            json!({}),
        ));
        let second = id(&ok(staff.desk.post(
            server,
            "/api/v1/production-batches",
            batch_body(CARDS),
        )));
        let second_file = personalised(server, &mut staff, &second, &vendor_key);
        let failed_codes: Vec<&str> = failed
            .iter()
            .map(|card| card["identification_code"].as_str().unwrap())
            .collect();
        assert_eq!(
            second_file.keys().map(String::as_str).collect::<Vec<_>>(),
            failed_codes
                .iter()
                .copied()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
        );
        for code in &failed_codes {
            assert_eq!(second_file[*code].1, first_file[*code].1, "{code}");
        }
        made_and_shipped(
            server,
            &mut staff.maker,
            &second,
            failed_codes.iter().copied(),
        );

        // At the pick-up point: the first shipment counted with one card missing.
        let shipments = ok(staff
            .clerk
            .get(server, &format!("/api/v1/pickup-points/{point}/shipments")));
        let shipments = shipments["shipments"].as_array().unwrap().clone();
        assert_eq!(shipments.len(), 2, "{shipments:?}");
        let lost = &cards[500];
        for shipment in &shipments {
            let sent = shipment["cards"].as_i64().unwrap();
            let receipt = if shipment["batch_id"] == first.as_str() {
                assert_eq!(sent, 997);
                json!({ "counted": 996, "missing": [lost["identification_code"]] })
            } else {
                assert_eq!(sent, 3);
                json!({ "counted": 3, "missing": [] })
            };
            ok(staff.clerk.post(
                server,
                &format!("/api/v1/shipments/{}/receipt", id(shipment)),
                receipt,
            ));
        }
        let lost_card = ok(staff.clerk.get(
            server,
            &format!("/api/v1/cards/{}", lost["card_id"].as_str().unwrap()),
        ));
        assert_eq!(lost_card["status"], "cancelled", "{lost_card}");

        // The 999 holders are told: a text each for the gateway, and the notice on the
        // portal's home.
        let mut texted = HashSet::new();
        loop {
            let outbox = ok(staff.admin.get(server, "/api/v1/sms-outbox"));
            let queued = outbox["queued"].as_array().unwrap();
            if queued.is_empty() {
                break;
            }
            let ids: Vec<String> = queued.iter().map(id).collect();
            for message in queued {
                assert_eq!(
                    message["params"]["point"], "西湖区社保服务中心",
                    "{message}"
                );
                texted.insert(message["person_id"].as_str().unwrap().to_owned());
            }
            let sent =
                ok(staff
                    .admin
                    .post(server, "/api/v1/sms-outbox/sent", json!({ "ids": ids })));
            assert_eq!(sent.as_u64(), Some(queued.len() as u64));
        }
        assert_eq!(texted.len(), 999);

        // The first holder with a login sees where and when to collect the card.
        let holder_card = ok(staff.clerk.get(
            server,
            &format!("/api/v1/cards/{}", cards[0]["card_id"].as_str().unwrap()),
        ));
        let opened = ok(staff.clerk.post(
            server,
            &format!(
                "/api/v1/persons/{}/holder-login",
                holder_card["person_id"].as_str().unwrap()
            ),
            json!({ "username": "holder", "original_id_checked": true }),
        ));
        let holder = Client::sign_in(
            server,
            "holder",
            opened["one_time_password"].as_str().unwrap(),
        );
        let notices = ok(holder.get(server, "/api/v1/notifications"));
        let notices = notices["notifications"].as_array().unwrap();
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert_eq!(
            (
                notices[0]["kind"].as_str(),
                notices[0]["detail"]["point"].as_str(),
                notices[0]["detail"]["hours"].as_str()
            ),
            (
                Some("card_ready"),
                Some("西湖区社保服务中心"),
                Some("周一至周五 9:00-17:00")
            ),
            "{notices:?}"
        );

        // 997 collect their cards, each showing the ID number and choosing a PIN; one
        // presenting another's ID number is refused first.
        let ready: Vec<&Value> = cards
            .iter()
            .filter(|card| card["card_id"] != lost["card_id"])
            .collect();
        assert_eq!(ready.len(), 999);
        let holder_of = |card: &Value| -> String {
            let code = card["identification_code"].as_str().unwrap();
            first_file[code].0["citizen_id"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        let (code, _) = refusal(staff.clerk.post(
            server,
            &format!(
                "/api/v1/cards/{}/collection",
                ready[0]["card_id"].as_str().unwrap()
            ),
            json!({ "citizen_id": holder_of(ready[1]), "social_pin": SOCIAL_PIN }),
        ));
        assert_eq!(code, "identity_mismatch");
        for card in &ready[..997] {
            let collected = ok(staff.clerk.post(
                server,
                &format!(
                    "/api/v1/cards/{}/collection",
                    card["card_id"].as_str().unwrap()
                ),
                json!({ "citizen_id": holder_of(card), "social_pin": SOCIAL_PIN }),
            ));
            assert_eq!(collected["status"], "collected");
        }

        // A new card face: the gate closes again and the next batch (the lost card, applied
        // for again) is refused until the new revision passes.
        ok(staff.desk.post(
            server,
            &format!("/api/v1/card-products/{product}/changes"),
            json!({ "what": "card_face", "value": "2.0", "note": "浙人社函〔2026〕12号" }),
        ));
        let gate = ok(staff.desk.get(
            server,
            &format!("/api/v1/card-products/{product}/gate?region={REGION}"),
        ));
        assert_eq!(gate["open"], false, "{gate}");
        let (code, _) = refusal(staff.desk.post(
            server,
            "/api/v1/production-batches",
            batch_body(1),
        ));
        assert_eq!(code, "gate_not_passed");
        pass_the_gate(server, &mut staff, &product, "T-0002", &today);

        // The PSAM filing lapses: production stops until it is renewed.
        clock.advance_days(PSAM_DAYS_LEFT + 1);
        let mut staff = staff.signed_in_again(server, &password);
        let (code, detail) = refusal(staff.desk.post(
            server,
            "/api/v1/production-batches",
            batch_body(1),
        ));
        assert_eq!(code, "vendor_not_certified");
        assert!(detail.contains("psam_filing"), "{detail}");
        ok(staff.desk.post(
            server,
            &format!("/api/v1/card-vendors/{vendor}/credentials"),
            json!({ "kind": "psam_filing", "number": "psam_filing-2027-01",
                    "issued_on": clock.today(), "valid_until": clock.in_days(700) }),
        ));
        let third = ok(staff
            .desk
            .post(server, "/api/v1/production-batches", batch_body(1)));
        assert_eq!(third["cards"], 1);

        // The two cards left at the point past the region's 30 days are listed and recalled.
        let waiting = ok(staff.clerk.get(
            server,
            &format!("/api/v1/pickup-points/{point}/uncollected"),
        ));
        let waiting: HashSet<&str> = waiting["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|card| card["card_id"].as_str().unwrap())
            .collect();
        let left: HashSet<&str> = ready[997..]
            .iter()
            .map(|card| card["card_id"].as_str().unwrap())
            .collect();
        assert_eq!(waiting, left);
        let recalled = ok(staff.clerk.post(
            server,
            &format!("/api/v1/pickup-points/{point}/recall"),
            json!({}),
        ));
        assert_eq!(recalled["recalled"], 2, "{recalled}");
        for card in &left {
            let card = ok(staff.clerk.get(server, &format!("/api/v1/cards/{card}")));
            assert_eq!(card["status"], "cancelled", "{card}");
        }
        // They are destroyed at the point, once, with a record.
        let recalled = ok(staff
            .clerk
            .get(server, &format!("/api/v1/pickup-points/{point}/recalled")));
        let recalled: HashSet<&str> = recalled["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|card| card["card_id"].as_str().unwrap())
            .collect();
        assert_eq!(recalled, left);
        let destruction = json!({ "cards": left.iter().collect::<Vec<_>>(), "method": "shredded",
                                  "witness": "王五" });
        let record = ok(staff.clerk.post(
            server,
            &format!("/api/v1/pickup-points/{point}/destruction"),
            destruction.clone(),
        ));
        assert_eq!(record["destroyed"], 2, "{record}");
        let (code, _) = refusal(staff.clerk.post(
            server,
            &format!("/api/v1/pickup-points/{point}/destruction"),
            destruction,
        ));
        assert_eq!(code, "invalid_request", "destroyed once");

        // No key anywhere: not the key file's card root, not a card's key, in the database at
        // rest, the server's log or any answer.
        let key_file: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("keys.json")).unwrap()).unwrap();
        let root = from_hex(key_file["card_root"].as_str().unwrap());
        let card_keys: HashSet<Vec<u8>> = first_file
            .values()
            .chain(second_file.values())
            .flat_map(|(_, keys)| keys.values().map(|key| from_hex(key)))
            .collect();
        let log_path = server.log.clone();
        let responses = server.responses.join("\n");
        drop(running);
        assert_audit_verifies(&db);
        let mut places = at_rest(&dir, &db, store);
        places.push((
            "the server log".to_owned(),
            std::fs::read(&log_path).unwrap(),
        ));
        places.push(("the answers".to_owned(), responses.into_bytes()));
        for (what, bytes) in &places {
            assert_no_key(what, bytes, &HashSet::from([root.clone()]));
            assert_no_key(what, bytes, &card_keys);
        }
    }

    /// The vendor (with its staff's login `vendor`) and its product registered, and the
    /// region's five master keys made: the vendor's and the product's ids.
    fn vendor_and_product(
        server: &mut Server,
        admin: &mut Client,
        desk: &mut Client,
    ) -> (String, String) {
        let vendor = id(&ok(desk.post(
            server,
            "/api/v1/card-vendors",
            json!({ "credit_code": "91110000802100433B", "name": "杭州金卡制造有限公司",
                    "region": REGION, "contact": "王经理 0571-88880000" }),
        )));
        ok(admin.post(
            server,
            "/api/v1/users",
            json!({ "username": "vendor", "password": PASSWORD, "role": "card_vendor",
                    "vendor_id": vendor }),
        ));
        let product = id(&ok(desk.post(
            server,
            &format!("/api/v1/card-vendors/{vendor}/products"),
            json!({ "name": "第三代社保卡", "generation": "3.00", "chip": "THD89",
                    "operating_system": "COS 3.1", "face_design": "浙江 2026",
                    "face_version": "1.0", "file_structure_version": "3.0" }),
        )));
        for purpose in KEY_PURPOSES {
            ok(desk.post(
                server,
                "/api/v1/card-keys",
                json!({ "region": REGION, "purpose": purpose }),
            ));
        }
        (vendor, product)
    }

    /// The vendor's five credentials recorded from today, each valid 300 days but the PSAM
    /// filing, valid `psam_days`.
    fn credentials(
        server: &mut Server,
        desk: &mut Client,
        vendor: &str,
        (clock, psam_days): (&TestClock, i64),
    ) {
        for kind in CREDENTIALS {
            let days = if kind == "psam_filing" {
                psam_days
            } else {
                300
            };
            ok(desk.post(
                server,
                &format!("/api/v1/card-vendors/{vendor}/credentials"),
                json!({ "kind": kind, "number": format!("{kind}-2026-01"),
                        "issued_on": clock.today(), "valid_until": clock.in_days(days) }),
            ));
        }
    }

    /// A person registered with a mobile number, their card applied for at `bank`: the
    /// person's and the card's ids.
    fn applicant(
        server: &mut Server,
        clerk: &mut Client,
        i: usize,
        bank: &str,
    ) -> (String, String) {
        let person = id(&ok(clerk.post(
            server,
            "/api/v1/persons",
            json!({ "citizen_id": citizen(i), "name": NAME, "nationality": "CHN",
                    "household_region": "330106", "household_kind": "urban",
                    "phone": format!("139{i:08}") }),
        )));
        let card = id(&ok(clerk.post(
            server,
            "/api/v1/cards",
            json!({ "person_id": person, "bank_id": bank, "region": REGION }),
        )));
        (person, card)
    }

    /// The vendor's X25519 sealing key made on its own machine (`shebao production
    /// vendor-key`) and its public half registered: the private key's file.
    fn sealing_key(server: &mut Server, maker: &mut Client, dir: &Path) -> std::path::PathBuf {
        let key = dir.join("vendor-sealing.key");
        let public = json_out(
            shebao()
                .args(["production", "vendor-key", "--out"])
                .arg(&key),
        );
        ok(maker.post(
            server,
            "/api/v1/sealing-keys",
            json!({ "public_key": public["public_key"] }),
        ));
        key
    }

    /// The vendor reports the cards of `codes` produced and ships the batch.
    fn made_and_shipped<'a>(
        server: &mut Server,
        maker: &mut Client,
        batch: &str,
        codes: impl Iterator<Item = &'a str>,
    ) {
        let results: Vec<Value> = codes
            .map(|code| json!({ "identification_code": code, "outcome": "produced" }))
            .collect();
        ok(maker.post(
            server,
            &format!("/api/v1/production-batches/{batch}/results"),
            json!({ "results": results }),
        ));
        ok(maker.post(
            server,
            &format!("/api/v1/production-batches/{batch}/ship"),
            json!({}),
        ));
    }

    /// `prefix` completed with its Luhn check digit.
    fn luhn(prefix: &str) -> String {
        let sum: u32 = prefix
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 0 {
                    let twice = d * 2;
                    twice / 10 + twice % 10
                } else {
                    d
                }
            })
            .sum();
        format!("{prefix}{}", (10 - sum % 10) % 10)
    }

    /// The rest of item 5 and item 6 over HTTP, on a few cards: a bank whose own system
    /// numbers its cards gives a card its number before a batch takes it; a branch equipped
    /// with a device issues a card on the spot and hands it over; one holder has the card
    /// posted, delivered into their hands and collects it in their own session; another's
    /// comes back and is collected at the counter; the address is sealed at rest and in no
    /// log.
    fn the_distribution_story(store: Store, tag: &str) {
        const STREET: &str = "文三路 90 号";
        let clock = TestClock::new(tag);
        let Deployment {
            dir,
            db,
            password,
            server: mut running,
        } = deploy_in(tag, store, &[], &[("SHEBAO_TEST_CLOCK", &clock.file)]);
        let server = &mut running;
        let mut admin = Client::sign_in(server, "admin", &password);
        set_up_reference(server, &mut admin);
        // A bank whose card system assigns its cards' numbers, with its system's login.
        ok(admin.post(
            server,
            "/api/v1/banks",
            json!({ "id": "ccb", "name": "ccb", "bin": "621700", "numbers_from_bank": true }),
        ));
        ok(admin.post(
            server,
            "/api/v1/banks/ccb/branches",
            json!({ "id": "ccb-1", "name": "ccb-1", "region": REGION }),
        ));
        ok(admin.post(
            server,
            "/api/v1/users",
            json!({ "username": "ccb-system", "password": PASSWORD, "role": "bank_system",
                    "bank_id": "ccb" }),
        ));
        ok(admin.post(
            server,
            "/api/v1/users",
            json!({ "username": "desk", "password": PASSWORD, "role": "production_officer" }),
        ));
        let mut desk = Client::sign_in(server, "desk", PASSWORD);
        let today = clock.today();
        let (vendor, product) = vendor_and_product(server, &mut admin, &mut desk);
        credentials(server, &mut desk, &vendor, (&clock, 300));
        let point = |desk: &mut Client, server: &mut Server, body: Value| {
            id(&ok(desk.post(server, "/api/v1/pickup-points", body)))
        };
        let centre = point(
            &mut desk,
            server,
            json!({ "region": REGION, "kind": "service_centre", "name": "西湖区社保服务中心",
                    "address": "杭州市西湖区文三路 1 号", "opening_hours": "周一至周五 9:00-17:00",
                    "capacity": 100, "default": true }),
        );
        let branch = point(
            &mut desk,
            server,
            json!({ "region": REGION, "kind": "bank_branch", "branch": "icbc-1",
                    "name": "工行西湖支行", "address": "杭州市西湖区曙光路 2 号",
                    "opening_hours": "周一至周日 9:00-17:00", "capacity": 100 }),
        );
        let mut staff = Staff {
            admin,
            desk,
            maker: Client::sign_in(server, "vendor", PASSWORD),
            clerk: Client::sign_in(server, "clerk", PASSWORD),
        };
        pass_the_gate(server, &mut staff, &product, "T-0001", &today);
        let (posted_person, posted_card) = applicant(server, &mut staff.clerk, 0, "icbc");
        let (_, returned_card) = applicant(server, &mut staff.clerk, 1, "icbc");
        let (_, instant_card) = applicant(server, &mut staff.clerk, 2, "icbc");
        let (_, numbered_card) = applicant(server, &mut staff.clerk, 3, "ccb");

        // The branch's device personalises a card on the spot; the teller hands it over.
        let device_key = dir.join("device.key");
        let device = json_out(
            shebao()
                .args(["production", "vendor-key", "--out"])
                .arg(&device_key),
        );
        ok(staff.desk.post(
            server,
            &format!("/api/v1/pickup-points/{branch}/issuance-device"),
            json!({ "public_key": device["public_key"], "product": product }),
        ));
        let mut teller = Client::sign_in(server, "teller", PASSWORD);
        let issued = ok(teller.post(
            server,
            &format!("/api/v1/cards/{instant_card}/instant-issue"),
            json!({}),
        ));
        assert_eq!(
            (issued["status"].as_str(), issued["point_id"].as_str()),
            (Some("sealed"), Some(branch.as_str())),
            "{issued}"
        );
        assert_eq!(issued["master_keys"].as_array().map(Vec::len), Some(5));
        let made = ok(teller.post(
            server,
            &format!("/api/v1/cards/{instant_card}/instant-issue/report"),
            json!({ "outcome": "produced" }),
        ));
        assert_eq!(made["status"], "produced");
        let collected = ok(teller.post(
            server,
            &format!("/api/v1/cards/{instant_card}/collection"),
            json!({ "citizen_id": citizen(2), "social_pin": SOCIAL_PIN }),
        ));
        assert_eq!(collected["status"], "collected");

        // The bank's system gives its applied card a number: Luhn-valid, its own BIN.
        let mut ccb = Client::sign_in(server, "ccb-system", PASSWORD);
        let awaiting = ok(ccb.get(server, "/api/v1/banks/ccb/cards-awaiting-number"));
        let awaiting: Vec<&str> = awaiting["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["card_id"].as_str().unwrap())
            .collect();
        assert_eq!(awaiting, [numbered_card.as_str()]);
        let (code, _) = refusal(ccb.post(
            server,
            &format!("/api/v1/cards/{numbered_card}/bank-card-number"),
            json!({ "bank_card_number": luhn("622848000000000001") }),
        ));
        assert_eq!(code, "invalid_request", "another bank's BIN");
        ok(ccb.post(
            server,
            &format!("/api/v1/cards/{numbered_card}/bank-card-number"),
            json!({ "bank_card_number": luhn("621700000000000001") }),
        ));

        // One holder asks for the post in their own session; the clerk does for another.
        let opened = ok(staff.clerk.post(
            server,
            &format!("/api/v1/persons/{posted_person}/holder-login"),
            json!({ "username": "holder", "original_id_checked": true }),
        ));
        let mut holder = Client::sign_in(
            server,
            "holder",
            opened["one_time_password"].as_str().unwrap(),
        );
        let address =
            json!({ "address": format!("浙江省杭州市西湖区{STREET}"), "postcode": "310012" });
        let chosen = ok(holder.post(
            server,
            &format!("/api/v1/cards/{posted_card}/mail-delivery"),
            address.clone(),
        ));
        assert_eq!(chosen["mail"]["status"], "chosen", "{chosen}");
        assert!(!chosen.to_string().contains(STREET), "{chosen}");
        ok(staff.clerk.post(
            server,
            &format!("/api/v1/cards/{returned_card}/mail-delivery"),
            address,
        ));

        // The batch takes the three applied cards with numbers (not the one issued on the
        // spot) and ships them all to the default point.
        let vendor_key = sealing_key(server, &mut staff.maker, &dir);
        let batch = id(&ok(staff.desk.post(
            server,
            "/api/v1/production-batches",
            json!({ "product": product, "region": REGION, "cards": 10 }),
        )));
        let file = personalised(server, &mut staff, &batch, &vendor_key);
        assert_eq!(file.len(), 3);
        let numbered = file
            .values()
            .find(|(card, _)| card["citizen_id"] == citizen(3).as_str())
            .unwrap();
        assert_eq!(
            numbered.0["bank_card_number"].as_str(),
            Some(luhn("621700000000000001").as_str())
        );
        made_and_shipped(
            server,
            &mut staff.maker,
            &batch,
            file.keys().map(String::as_str),
        );
        let shipments = ok(staff
            .clerk
            .get(server, &format!("/api/v1/pickup-points/{centre}/shipments")));
        let shipment = &shipments["shipments"][0];
        assert_eq!(shipment["cards"], 3, "{shipments}");
        ok(staff.clerk.post(
            server,
            &format!("/api/v1/shipments/{}/receipt", id(shipment)),
            json!({ "counted": 3, "missing": [] }),
        ));
        // The holders of the cards to post are not called to the point.
        let told = ok(holder.get(server, "/api/v1/notifications"));
        assert_eq!(told["notifications"].as_array().map(Vec::len), Some(0));

        // The clerks post both, with the addresses on their list; the holder is told.
        let queue = ok(staff
            .clerk
            .get(server, &format!("/api/v1/pickup-points/{centre}/mail")));
        let queued: HashSet<&str> = queue["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["card_id"].as_str().unwrap())
            .collect();
        assert_eq!(
            queued,
            HashSet::from([posted_card.as_str(), returned_card.as_str()])
        );
        assert!(queue.to_string().contains(STREET));
        for (card, number) in [
            (&posted_card, "EMS1000000001CN"),
            (&returned_card, "EMS1000000002CN"),
        ] {
            let posted = ok(staff.clerk.post(
                server,
                &format!("/api/v1/cards/{card}/mail-delivery/posting"),
                json!({ "carrier": "中国邮政 EMS", "tracking_number": number }),
            ));
            assert_eq!(posted["status"], "posted");
        }
        let told = ok(holder.get(server, "/api/v1/notifications"));
        assert_eq!(
            (
                told["notifications"][0]["kind"].as_str(),
                told["notifications"][0]["detail"]["tracking_number"].as_str()
            ),
            (Some("card_posted"), Some("EMS1000000001CN")),
            "{told}"
        );
        // In the post, a card is not handed over at the counter.
        let (code, _) = refusal(staff.clerk.post(
            server,
            &format!("/api/v1/cards/{posted_card}/collection"),
            json!({ "citizen_id": citizen(0), "social_pin": SOCIAL_PIN }),
        ));
        assert_eq!(code, "wrong_state");

        // Delivered into the holder's hands (the carrier read the holder's ID number): the
        // holder collects it, choosing the social PIN.
        let report =
            |citizen_id: String| json!({ "outcome": "delivered", "citizen_id": citizen_id });
        let (code, _) = refusal(staff.clerk.post(
            server,
            &format!("/api/v1/cards/{posted_card}/mail-delivery/report"),
            report(citizen(1)),
        ));
        assert_eq!(code, "identity_mismatch");
        ok(staff.clerk.post(
            server,
            &format!("/api/v1/cards/{posted_card}/mail-delivery/report"),
            report(citizen(0)),
        ));
        let mine = ok(holder.post(
            server,
            &format!("/api/v1/cards/{posted_card}/mailed-collection"),
            json!({ "social_pin": SOCIAL_PIN }),
        ));
        assert_eq!(mine["status"], "collected", "{mine}");

        // The other comes back, waits at the point and is collected at the counter; so is
        // the bank-numbered card.
        ok(staff.clerk.post(
            server,
            &format!("/api/v1/cards/{returned_card}/mail-delivery/report"),
            json!({ "outcome": "returned", "reason": "地址无人签收" }),
        ));
        for (card, i) in [(&returned_card, 1), (&numbered_card, 3)] {
            let collected = ok(staff.clerk.post(
                server,
                &format!("/api/v1/cards/{card}/collection"),
                json!({ "citizen_id": citizen(i), "social_pin": SOCIAL_PIN }),
            ));
            assert_eq!(collected["status"], "collected");
        }

        // The address is sealed at rest and written to no log.
        let log_path = server.log.clone();
        drop(running);
        assert_audit_verifies(&db);
        let mut places = at_rest(&dir, &db, store);
        places.push((
            "the server log".to_owned(),
            std::fs::read(&log_path).unwrap(),
        ));
        for (what, bytes) in &places {
            assert!(
                !bytes
                    .windows(STREET.len())
                    .any(|window| window == STREET.as_bytes()),
                "the address is in {what}"
            );
        }
    }

    /// 1,000 persons registered with a mobile number, each with a card applied for.
    fn applications(server: &mut Server, clerk: &mut Client) {
        for i in 0..CARDS {
            let person = id(&ok(clerk.post(
                server,
                "/api/v1/persons",
                json!({ "citizen_id": citizen(i), "name": NAME, "nationality": "CHN",
                        "household_region": "330106", "household_kind": "urban",
                        "phone": format!("138{i:08}") }),
            )));
            ok(clerk.post(
                server,
                "/api/v1/cards",
                json!({ "person_id": person, "bank_id": "icbc", "region": REGION }),
            ));
        }
    }

    /// The gate of the product's current revision in the region: the ministry's three
    /// approvals, a test card from the vendor's line, and its three audits.
    fn pass_the_gate(
        server: &mut Server,
        staff: &mut Staff,
        product: &str,
        serial: &str,
        today: &str,
    ) {
        for step in [
            "registration_approval",
            "key_application",
            "psam_application",
        ] {
            ok(staff.desk.post(
                server,
                &format!("/api/v1/card-products/{product}/gate-approvals"),
                json!({ "region": REGION, "step": step, "reference": format!("人社部 {serial}"),
                        "approved_on": today }),
            ));
        }
        let gate = ok(staff.maker.post(
            server,
            &format!("/api/v1/card-products/{product}/test-cards"),
            json!({ "region": REGION, "serial": serial, "made_on": today }),
        ));
        assert_eq!(gate["missing_step"], "standard_compliance", "{gate}");
        let test_card = gate["test_cards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|card| card["serial"] == serial)
            .map(id)
            .unwrap();
        for audit in ["standard_compliance", "safety", "universality"] {
            let checks: Vec<Value> = if audit == "universality" {
                shebao_domain::production::UNIVERSALITY_CHECKS
                    .iter()
                    .map(|check| json!({ "check": check, "passed": true }))
                    .collect()
            } else {
                Vec::new()
            };
            ok(staff.desk.post(
                server,
                &format!("/api/v1/test-cards/{test_card}/audits"),
                json!({ "audit": audit, "passed": true, "checks": checks, "audited_on": today }),
            ));
        }
        let gate = ok(staff.desk.get(
            server,
            &format!("/api/v1/card-products/{product}/gate?region={REGION}"),
        ));
        assert_eq!(
            (gate["open"].as_bool(), gate["missing_step"].as_str()),
            (Some(true), None),
            "{gate}"
        );
    }

    /// The batch's cards in order, page after page.
    fn batch_cards(server: &mut Server, client: &Client, batch: &str) -> Vec<Value> {
        let mut cards: Vec<Value> = Vec::new();
        loop {
            let after = cards.last().map_or(0, |card| card["seq"].as_i64().unwrap());
            let page = ok(client.get(
                server,
                &format!("/api/v1/production-batches/{batch}/cards?after={after}"),
            ));
            let page = page.as_array().unwrap();
            if page.is_empty() {
                return cards;
            }
            cards.extend(page.iter().cloned());
        }
    }

    /// The desk generates the batch's personalisation file; the vendor downloads the signed
    /// manifest and each part, checks each part's digest against the manifest and opens the
    /// part with its private key (`shebao production open-part`).
    fn personalised(server: &mut Server, staff: &mut Staff, batch: &str, key: &Path) -> Opened {
        ok(staff.desk.post(
            server,
            &format!("/api/v1/production-batches/{batch}/file"),
            json!({}),
        ));
        let file = ok(staff
            .maker
            .get(server, &format!("/api/v1/production-batches/{batch}/file")));
        let manifest: Value = serde_json::from_str(file["manifest"].as_str().unwrap()).unwrap();
        let mut opened = Opened::new();
        for part in 1..=file["parts"].as_i64().unwrap() {
            let sealed = ok(staff.maker.get(
                server,
                &format!("/api/v1/production-batches/{batch}/file/parts/{part}"),
            ));
            let listed = manifest["parts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["part"] == part)
                .unwrap_or_else(|| panic!("part {part} is not in {manifest}"));
            assert_eq!(listed["sha256"], sealed["digest"]);
            let mut open = shebao()
                .args(["production", "open-part", "--key"])
                .arg(key)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            open.stdin
                .take()
                .unwrap()
                .write_all(sealed.to_string().as_bytes())
                .unwrap();
            let out = open.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            for line in String::from_utf8(out.stdout).unwrap().lines() {
                let line: Value = serde_json::from_str(line).unwrap();
                let keys: BTreeMap<String, String> =
                    serde_json::from_value(line["keys"].clone()).unwrap();
                let code = line["card"]["identification_code"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                opened.insert(code, (line["card"].clone(), keys));
            }
        }
        opened
    }

    fn from_hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    /// None of `keys` (all of one length) in `bytes`: raw, or in hex of either case.
    fn assert_no_key(what: &str, bytes: &[u8], keys: &HashSet<Vec<u8>>) {
        let Some(length) = keys.iter().next().map(Vec::len) else {
            return;
        };
        assert!(
            !bytes.windows(length).any(|window| keys.contains(window)),
            "a key's bytes are in {what}"
        );
        let in_hex: HashSet<Vec<u8>> = keys
            .iter()
            .map(|key| {
                key.iter()
                    .map(|b| format!("{b:02X}"))
                    .collect::<String>()
                    .into_bytes()
            })
            .collect();
        let upper = bytes.to_ascii_uppercase();
        assert!(
            !upper
                .windows(length * 2)
                .any(|window| in_hex.contains(window)),
            "a key in hex is in {what}"
        );
    }

    crate::on_both_stores!(
        the_production_story,
        the_production_story_on_sqlite,
        the_production_story_on_postgres,
    );

    crate::on_both_stores!(
        the_distribution_story,
        the_distribution_story_on_sqlite,
        the_distribution_story_on_postgres,
    );
}
