//! A day at the hospital over HTTP, searched afterwards for diagnoses and numbers in clear.

use super::*;

/// A diagnosis no other data contains by chance, so finding it anywhere is a leak.
const DIAGNOSIS_CODE: &str = "J18.900x001";
const DIAGNOSIS_TEXT: &str = "社区获得性肺炎（黑盒泄漏测试）";

/// The cashier settles [`inpatient_bill`] `number` for `card`.
fn settle(cashier: &mut Client, server: &mut Server, card: &Value, number: &str) -> (u16, Value) {
    cashier.post(
        server,
        "/api/v1/medical/settlements",
        inpatient_bill(card, number),
    )
}

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
    add_region(server, &mut admin, "440300", "Shenzhen");
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
    let settled = ok(settle(&mut cashier, server, &worker_card, "ZY-001"));
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
        settle(&mut cashier, server, &worker_card, "ZY-001"),
        "bill_already_settled",
    );
    // The retiree: 90% instead of 85%.
    let retired = ok(settle(&mut cashier, server, &retiree_card, "ZY-002"));
    assert_eq!(retired["fund_fen"], 1_458_000);
    // Insured in Shenzhen, treated in Hangzhou: Shenzhen's deductible and ratio apply.
    let far = ok(settle(&mut cashier, server, &far_card, "ZY-003"));
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
        settle(&mut cashier, server, &lost_card, "ZY-004"),
        "card_lost",
    );
    // One undo: a second bill of the worker, cancelled at the till.
    ok(settle(&mut cashier, server, &worker_card, "ZY-005"));
    let undone = ok(cashier.post(
        server,
        "/api/v1/medical/settlements/ZY-005/undo",
        json!({ "reason": "开错单据，重新结算" }),
    ));
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
    let mut reconcile = |csv: &str| {
        ok(server.call(
            "POST",
            "/api/v1/institutions/hz-hospital/reconciliation-check",
            Some(&cashier.token),
            None,
            Some(json!({ "date": today(), "csv": csv })),
        ))
    };
    let check = reconcile(&file);
    assert_eq!(check["matches"], true, "{check}");
    let tampered = file.replace(",settled,", ",undone,");
    let check = reconcile(&tampered);
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

crate::on_both_stores!(
    |store, name| the_hospital_day_leaves_no_secret_in_clear(&format!("hospital-{name}"), store),
    a_day_at_the_hospital_over_http_on_sqlite_leaves_no_secret_in_clear,
    a_day_at_the_hospital_over_http_on_postgres_leaves_no_secret_in_clear,
);
