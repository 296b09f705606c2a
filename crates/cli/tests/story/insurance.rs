//! The insurance story over HTTP: employers, declarations, contributions and a pension.

use super::*;

pub(super) const WORKERS: [&str; 3] = [
    "330106199003071236",
    "310104198506153523",
    "110101200002290026",
];
pub(super) const RETIREE: &str = "110101196003150018";

/// An employer registers, enrols three employees, imports a declaration file with one bad
/// row (the error file names it), imports it again (no change), the holder queries history
/// and totals, a retiree's pension is paid to a deposit-only card and appears in its
/// statement, the certificate verifies and a tampered one does not.
fn the_insurance_story(server: &mut Server, admin_password: &str) {
    let mut admin = Client::sign_in(server, "admin", admin_password);
    set_up_reference_with_contributions(server, &mut admin);
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
    // The font is embedded (scripts/test installs Debian's Noto CJK): PDF 1.6.
    assert!(pdf.starts_with(b"%PDF-1.6"));
    assert!(pdf.windows(9).any(|w| w == b"FontFile3"));
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

    // The public page the QR code opens: no sign-in, what was certified, masked; the PDF
    // uploaded to it is checked.
    let (status, page) =
        server.call_raw("GET", &format!("/verify/{code}"), None, "text/plain", b"");
    let page = String::from_utf8_lossy(&page).into_owned();
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("此证明由本机构出具") && page.contains(&code),
        "{page}"
    );
    let mut upload = |bytes: &[u8]| {
        let mut body = b"--edge\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.pdf\"\r\nContent-Type: application/pdf\r\n\r\n".to_vec();
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n--edge--\r\n");
        let (status, page) = server.call_raw(
            "POST",
            &format!("/verify/{code}"),
            None,
            "multipart/form-data; boundary=edge",
            &body,
        );
        (status, String::from_utf8_lossy(&page).into_owned())
    };
    let (status, page) = upload(&pdf);
    assert_eq!(status, 200);
    assert!(page.contains("data-document=\"matches\""), "{page}");
    let (_, page) = upload(&tampered);
    assert!(page.contains("data-document=\"differs\""), "{page}");
    let (status, _) = server.call_raw("GET", "/verify/SB-0000-0000-0000", None, "text/plain", b"");
    assert_eq!(status, 404);
}

/// A man born in March 1960 (retired 2020-03) with fifteen years of paid contributions
/// through `firm_id`, and a card collected but never activated. Returns (person, card).
pub(super) fn retiree_with_card(
    server: &mut Server,
    clerk: &mut Client,
    firm_id: &str,
) -> (String, String) {
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
