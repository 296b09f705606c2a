//! Issue 17's story, black box, on SQLite and on PostgreSQL: the `shebao` binary serves on a
//! free port with a clock the test moves (built with the `test-clock` feature, which
//! `scripts/test` turns on; the server reads the seconds to add from the file
//! `SHEBAO_TEST_CLOCK` names). An employer posts a vacancy, the bureau approves it, a holder
//! applies and is hired; a year later the employer reports them as an involuntary leaver,
//! they register as unemployed, get 12 months approved and two monthly payments on their
//! deposit-only card while the unemployment fund pays their medical contributions, refuse two
//! referrals and the benefit stops; another worker's injury is recognised, a panel of three is
//! drawn, grade 5 is appraised, the one-time subsidy is paid and the employer owes the monthly
//! allowance; a maternity allowance is paid; the ledger balances and the audit chain verifies.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

// Without the feature the story cannot move the server's clock: it fails, never skips.
#[cfg(not(feature = "test-clock"))]
#[test]
fn the_benefits_story_needs_the_test_clock() {
    panic!("build with `--features shebao/test-clock` (scripts/test does) to tell the story");
}

#[cfg(feature = "test-clock")]
mod common;

#[cfg(feature = "test-clock")]
mod story {
    use serde_json::{Value, json};

    use super::common::*;

    /// The leaver, the injured worker and the mother.
    const LEAVER: &str = CITIZEN_ID;
    const INJURED: &str = "330106199003071236";
    const MOTHER: &str = "310104198506153523";
    const MONTHLY_BENEFIT_FEN: i64 = 180_000;

    /// `month` (`YYYY-MM`) moved by `by` months.
    fn month_plus(month: &str, by: i32) -> String {
        let (year, m) = month.split_once('-').unwrap();
        let index = year.parse::<i32>().unwrap() * 12 + m.parse::<i32>().unwrap() - 1 + by;
        format!(
            "{:04}-{:02}",
            index.div_euclid(12),
            index.rem_euclid(12) + 1
        )
    }

    fn id(value: &Value) -> String {
        value["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no id: {value}"))
            .to_owned()
    }

    /// A POST without a body (an action the path names whole).
    fn act(server: &mut Server, client: &mut Client, path: &str) -> Value {
        client.counter += 1;
        let key = format!("{}-act-{:04}", client.name, client.counter);
        ok(server.call("POST", path, Some(&client.token), Some(&key), None))
    }

    fn balance(server: &mut Server, clerk: &Client, card: &str) -> (i64, String) {
        let account = ok(clerk.get(server, &format!("/api/v1/cards/{card}/account")));
        (
            account["balance_fen"].as_i64().unwrap(),
            account["status"].as_str().unwrap().to_owned(),
        )
    }

    /// The staff and the holder signed in again (a jump of the clock ends every session).
    struct People {
        clerk: Client,
        secretary: Client,
        hr: Client,
        holder: Client,
    }

    /// Everyone signed in for the `round`th time: their idempotency keys go on from where the
    /// round before left them (keys are a login's, whatever its session).
    fn sign_in_all(server: &mut Server, round: u32, holder_password: &str) -> People {
        let mut sign_in = |username: &str, password: &str| {
            let mut client = Client::sign_in(server, username, password);
            client.counter = round * 10_000;
            client
        };
        People {
            clerk: sign_in("clerk", PASSWORD),
            secretary: sign_in("secretary", PASSWORD),
            hr: sign_in("firm-hr", PASSWORD),
            holder: sign_in("leaver", holder_password),
        }
    }

    fn vacancy(
        server: &mut Server,
        p: &mut People,
        firm: &str,
        title: &str,
        closing: &str,
    ) -> String {
        let vacancy = id(&ok(p.hr.post(
            server,
            &format!("/api/v1/employers/{firm}/vacancies"),
            json!({ "title": title, "occupation": "2-06-01-02", "place": "330106",
                "wage_min_fen": 600_000, "wage_max_fen": 800_000, "requirements": "two years",
                "openings": 1, "closing": closing }),
        )));
        ok(p.clerk.post(
            server,
            &format!("/api/v1/vacancies/{vacancy}/review"),
            json!({ "decision": "approve" }),
        ));
        vacancy
    }

    fn the_benefits_story(store: Store, tag: &str) {
        let mut clock = TestClock::new(tag);
        let Deployment {
            db,
            password: admin_password,
            mut server,
            ..
        } = deploy_in(tag, store, &[], &[("SHEBAO_TEST_CLOCK", &clock.file)]);
        let server = &mut server;
        let mut admin = Client::sign_in(server, "admin", &admin_password);
        set_up_reference_with_contributions(server, &mut admin);
        ok(admin.post(
            server,
            "/api/v1/regions/330100/benefit-parameters",
            json!({ "effective_from": "2000-01-01", "parameters": benefit_parameters() }),
        ));
        let mut clerk = Client::sign_in(server, "clerk", PASSWORD);
        let firm = id(&ok(clerk.post(
        server,
        "/api/v1/employers",
        json!({ "credit_code": "91350100M000100Y43", "name": "杭州示例科技有限公司", "region": "330100",
                "risk_class": 1, "rate_tier_percent": 100 }),
    )));
        for (username, role, binding) in [
            ("firm-hr", "employer", json!({ "employer_id": firm })),
            ("secretary", "appraisal_secretary", json!({})),
        ] {
            let mut body = json!({ "username": username, "password": PASSWORD, "role": role });
            for (k, v) in binding.as_object().unwrap() {
                body[k] = v.clone();
            }
            ok(admin.post(server, "/api/v1/users", body));
        }
        // Three people with collected cards, deposit-only; the leaver has a holder login.
        let mut people = Vec::new();
        for citizen in [LEAVER, INJURED, MOTHER] {
            let person = id(&ok(clerk.post(server, "/api/v1/persons", json!({
            "citizen_id": citizen, "name": NAME, "nationality": "CHN", "household_region": "330106",
            "household_kind": "urban"
        }))));
            let card = issued_card(
                server, &mut clerk, &person, citizen, "icbc", "330100", "window",
            );
            people.push((person, card));
        }
        let [
            (leaver, leaver_card),
            (injured, injured_card),
            (mother, mother_card),
        ] = <[(String, String); 3]>::try_from(people).unwrap();
        let opened = ok(clerk.post(
            server,
            &format!("/api/v1/persons/{leaver}/holder-login"),
            json!({ "username": "leaver", "original_id_checked": true }),
        ));
        let holder_password = opened["one_time_password"].as_str().unwrap().to_owned();
        let mut p = sign_in_all(server, 1, &holder_password);

        // The job board: posted, approved, found, applied to, and the holder hired.
        let closing = month_plus(&clock.month(), 1) + "-01";
        let first = vacancy(server, &mut p, &firm, "cashier story", &closing);
        let found = ok(p.holder.get(server, "/api/v1/vacancies?q=cashier"));
        assert!(
            found.to_string().contains(&first),
            "the vacancy is not found: {found}"
        );
        let application = id(&ok(p.holder.post(
            server,
            &format!("/api/v1/vacancies/{first}/applications"),
            json!({ "cover_note": "five years as a cashier", "share": true }),
        )));
        for outcome in ["interviewed", "hired"] {
            ok(p.hr.post(
                server,
                &format!("/api/v1/job-applications/{application}/outcome"),
                json!({ "outcome": outcome }),
            ));
        }
        let start = clock.month();
        for person in [&leaver, &injured, &mother] {
            ok(p.hr.post(
            server,
            "/api/v1/enrolments",
            json!({ "person_id": person, "kind": "employee", "employer_id": firm, "start_month": start }),
        ));
        }

        // A year later: the year's twelve months declared and paid.
        clock.advance_days(366);
        let mut p = sign_in_all(server, 2, &holder_password);
        let months: Vec<String> = (0..12).map(|k| month_plus(&start, k)).collect();
        let rows: Vec<Value> = months
            .iter()
            .flat_map(|month| {
                [LEAVER, INJURED, MOTHER].map(
                    |citizen| json!({ "citizen_id": citizen, "month": month, "wage_fen": 800_000 }),
                )
            })
            .collect();
        let declared = ok(p.hr.post(
            server,
            &format!("/api/v1/employers/{firm}/declaration-rows"),
            json!({ "rows": rows }),
        ));
        assert_eq!(declared["rows_accepted"], 36, "{declared}");
        for month in &months {
            ok(p.clerk.post(
                server,
                &format!("/api/v1/employers/{firm}/payments"),
                json!({ "month": month }),
            ));
        }

        // Unemployment: reported, registered, approved for 12 months, paid twice.
        ok(p.hr.post(
            server,
            &format!("/api/v1/employers/{firm}/leavers"),
            json!({ "person_id": leaver, "left_on": clock.today(), "leaving": "involuntary" }),
        ));
        let spell = id(&ok(p.holder.post(
            server,
            &format!("/api/v1/persons/{leaver}/unemployment-registrations"),
            json!({}),
        )));
        let decided = act(
            server,
            &mut p.clerk,
            &format!("/api/v1/unemployment-spells/{spell}/decision"),
        );
        assert_eq!(
            (
                &decided["status"],
                &decided["months"],
                &decided["contribution_months"]
            ),
            (&json!("approved"), &json!(12), &json!(12)),
            "{decided}"
        );
        let paid_months = [clock.month(), month_plus(&clock.month(), 1)];
        let payout = ok(p.clerk.post(
            server,
            "/api/v1/unemployment-payouts",
            json!({ "region": "330100", "month": paid_months[0] }),
        ));
        assert_eq!(payout["paid"], 1, "{payout}");
        clock.advance_days(31);
        let mut p = sign_in_all(server, 3, &holder_password);
        let payout = ok(p.clerk.post(
            server,
            "/api/v1/unemployment-payouts",
            json!({ "region": "330100", "month": paid_months[1] }),
        ));
        assert_eq!(payout["paid"], 1, "{payout}");
        assert_eq!(
            balance(server, &p.clerk, &leaver_card),
            (2 * MONTHLY_BENEFIT_FEN, "deposit_only".to_owned()),
            "two months paid to the deposit-only card"
        );
        let medical = ok(p.clerk.get(
            server,
            &format!("/api/v1/persons/{leaver}/contributions?insurance=medical"),
        ));
        let by_fund: Vec<(String, String)> = medical
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["employer"].is_null())
            .map(|c| {
                (
                    c["month"].as_str().unwrap().to_owned(),
                    c["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        // The month the job ended is still the employer's (its enrolment runs to its end); the
        // next one the unemployment fund pays.
        assert_eq!(
            by_fund,
            [(paid_months[1].clone(), "paid".to_owned())],
            "the fund paid the medical contributions of the month after the job"
        );
        let enrolments = ok(p
            .clerk
            .get(server, &format!("/api/v1/persons/{leaver}/enrolments")));
        assert_eq!(
            enrolments[0]["end_month"],
            json!(paid_months[0]),
            "{enrolments}"
        );

        // Two referrals refused without reason stop the benefit.
        let closing = month_plus(&clock.month(), 1) + "-01";
        for (n, title) in ["driver story", "clerk story"].iter().enumerate() {
            let offered = vacancy(server, &mut p, &firm, title, &closing);
            let referral = id(&ok(p.clerk.post(
                server,
                &format!("/api/v1/unemployment-spells/{spell}/referrals"),
                json!({ "vacancy_id": offered, "note": "suits their skills" }),
            )));
            let after = ok(p.clerk.post(
                server,
                &format!("/api/v1/job-referrals/{referral}/outcome"),
                json!({ "outcome": "refused_without_reason", "note": "gave no reason" }),
            ));
            let expected = if n == 0 { "approved" } else { "stopped" };
            assert_eq!(after["spell"]["status"], expected, "{after}");
        }
        let record = ok(p
            .holder
            .get(server, &format!("/api/v1/persons/{leaver}/unemployment")));
        assert_eq!(
            record["spells"][0]["stop_reason"], "refused_work",
            "{record}"
        );
        assert_eq!(record["spells"][0]["payments"].as_array().unwrap().len(), 2);

        // Work injury: applied for by the employer, recognised, a panel of three drawn from the
        // pool, grade 5, and once the days to ask for a re-appraisal pass, the one-time subsidy
        // paid from the fund and the monthly allowance owed by the employer.
        let case = id(&ok(p.hr.post(
            server,
            &format!("/api/v1/persons/{injured}/injury-cases"),
            json!({ "injured_on": clock.today() }),
        )));
        let recognised = ok(p.clerk.post(
            server,
            &format!("/api/v1/injury-cases/{case}/decision"),
            json!({ "decision": "recognise" }),
        ));
        assert_eq!(recognised["status"], "recognised");
        for code in ["S-1", "S-2", "S-3", "S-4"] {
            ok(p.secretary.post(
                server,
                "/api/v1/regions/330100/injury-experts",
                json!({ "code": code, "specialty": "orthopaedics" }),
            ));
        }
        let drawn = ok(p.secretary.post(
            server,
            &format!("/api/v1/injury-cases/{case}/appraisals"),
            json!({ "kind": "first", "size": 3 }),
        ));
        let appraisal = &drawn["appraisals"][0];
        assert_eq!(appraisal["panel"].as_array().unwrap().len(), 3, "{drawn}");
        assert_eq!(appraisal["seed"].as_str().unwrap().len(), 64);
        let appraisal = id(appraisal);
        ok(p.secretary.post(
            server,
            &format!("/api/v1/injury-appraisals/{appraisal}/conclusion"),
            json!({ "grade": 5 }),
        ));
        clock.advance_days(16);
        let mut p = sign_in_all(server, 4, &holder_password);
        let settled = act(
            server,
            &mut p.clerk,
            &format!("/api/v1/injury-cases/{case}/settlement"),
        );
        let settlement = &settled["settlement"];
        assert_eq!(settlement["one_time_fen"], 18 * 800_000, "{settled}");
        assert_eq!(
            (&settlement["monthly_fen"], &settlement["payer"]),
            (&json!(560_000), &json!("employer"))
        );
        assert_eq!(
            balance(server, &p.clerk, &injured_card).0,
            18 * 800_000,
            "the subsidy on the card"
        );
        let owed =
            ok(p.hr.get(server, &format!("/api/v1/employers/{firm}/injury-cases")));
        assert_eq!(owed[0]["settlement"]["payer"], "employer", "{owed}");
        assert!(
            owed[0]["appraisals"][0]["panel"].is_null(),
            "the employer sees who sat"
        );

        // Maternity: the employer's claim for a birth today, approved and paid.
        let claim = ok(p.hr.post(
            server,
            &format!("/api/v1/persons/{mother}/maternity-claims"),
            json!({ "event": "birth", "event_on": clock.today() }),
        ));
        assert_eq!(
            (&claim["leave_days"], &claim["average_wage_fen"]),
            (&json!(98), &json!(800_000))
        );
        let paid = ok(p.clerk.post(
            server,
            &format!("/api/v1/maternity-claims/{}/decision", id(&claim)),
            json!({ "decision": "approve" }),
        ));
        assert_eq!(paid["status"], "paid");
        assert_eq!(
            balance(server, &p.clerk, &mother_card).0,
            paid["allowance_fen"].as_i64().unwrap()
        );

        // The ledger balances (read from the store, not asked of the service) and every audit
        // chain verifies.
        let mut store = Db::open(&db);
        let answers = store.snapshot(&[
        "SELECT CAST(COALESCE(SUM(balance_fen), 0) AS BIGINT) FROM ledger_accounts",
        "SELECT a.id FROM ledger_accounts a LEFT JOIN \
         (SELECT account, CAST(SUM(amount_fen) AS BIGINT) AS total, COUNT(*) AS n FROM entries GROUP BY account) e \
         ON e.account = a.id WHERE a.balance_fen <> COALESCE(e.total, 0) OR a.entries <> COALESCE(e.n, 0)",
    ]);
        assert_eq!(int(&answers[0][0][0]), 0, "the ledger does not balance");
        assert!(
            answers[1].is_empty(),
            "accounts off their entries: {:?}",
            answers[1]
        );
        assert_audit_verifies(&db);
    }

    crate::on_both_stores!(
        the_benefits_story,
        the_benefits_story_on_sqlite,
        the_benefits_story_on_postgres,
    );
}
