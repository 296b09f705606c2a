//! Two of every tenant: the records of tenant A ("own" to every acting user) and tenant B
//! ("another's"), made over HTTP, and the signed-in users of tenant A.

use super::*;

/// Whose record a request names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Own,
    Other,
    Missing,
}

impl Target {
    pub(super) const ALL: [Target; 3] = [Target::Own, Target::Other, Target::Missing];
}

/// The records of tenant A ("own" to every acting user) and tenant B ("another's"), and the
/// signed-in users of tenant A, one per role in [`Role::ALL`] order.
pub(super) struct World {
    pub(super) persons: [String; 2],
    pub(super) cards: [String; 2],
    /// Each card as a hospital's till reads it (`{"card": {...}}`).
    pub(super) cards_as_read: [Value; 2],
    pub(super) accounts: [String; 2],
    pub(super) transfers: [String; 2],
    pub(super) employers: [String; 2],
    pub(super) declarations: [String; 2],
    pub(super) enrolments: [String; 2],
    pub(super) certificates: [String; 2],
    /// Requests waiting for a second person (issue 13, finding 9): tenant A's clerk's and
    /// tenant A's bank's (each made by a peer of the acting user), and tenant B's bank's.
    pub(super) approvals: [String; 3],
    /// The job board: each tenant's employer's published vacancy, which its holder applied
    /// to ...
    pub(super) vacancies: [String; 2],
    /// ... a published one nobody applied to (what `apply_for_job` applies to), a published
    /// one `close_vacancy` closes, and one waiting for `review_vacancy`.
    pub(super) open_vacancies: [String; 2],
    pub(super) closable_vacancies: [String; 2],
    pub(super) pending_vacancies: [String; 2],
    /// Each tenant's holder's application to the first.
    pub(super) applications: [String; 2],
    /// Each tenant's leaver's spell of unemployment (registered at the window by a second
    /// clerk), and the bureau's referral of it to the tenant's first vacancy.
    pub(super) spells: [String; 2],
    pub(super) referrals: [String; 2],
    /// Each tenant's mother (insured through the tenant's employer) and her maternity
    /// claim, made by the tenant's employer.
    pub(super) mothers: [String; 2],
    pub(super) maternity_claims: [String; 2],
    /// Each tenant's mother's work-injury case, applied for by the tenant's employer and
    /// recognised by a second clerk, and its first appraisal's panel, drawn by the
    /// committee's secretary.
    pub(super) injury_cases: [String; 2],
    pub(super) injury_appraisals: [String; 2],
    /// Each tenant's training provider; its course open for enrolment (running today only,
    /// in which the tenant's holder is enrolled), and one waiting for review; the holder's
    /// enrolment (tenant B's completed by its provider, so a subsidy is due).
    pub(super) providers: [String; 2],
    pub(super) courses: [String; 2],
    pub(super) pending_courses: [String; 2],
    pub(super) training_enrolments: [String; 2],
    /// The bureau's referral of each tenant's spell to the tenant's open course.
    pub(super) training_referrals: [String; 2],
    /// Each tenant's card vendor, its product and a test card of the product's gate.
    pub(super) vendors: [String; 2],
    pub(super) products: [String; 2],
    pub(super) test_cards: [String; 2],
    /// Each tenant's second product (its gate passed), its batch of one card, and that
    /// card's identification code.
    pub(super) batch_products: [String; 2],
    pub(super) batches: [String; 2],
    pub(super) batch_codes: [String; 2],
    /// Pick-up points: the tenants' region's default (a service centre), teller-a's branch,
    /// and the second region's default (a service centre, where tenant b's batch goes).
    pub(super) points: [String; 4],
    /// Each tenant's batch's shipment: to the first region's default point, and to the
    /// second's.
    pub(super) shipments: [String; 2],
    /// Tenant a's batch's shipments to the two bank branches' points: teller-a's branch's,
    /// and teller-b's (chosen by the holders of a card of each bank).
    pub(super) branch_shipments: [String; 2],
    /// Each tenant's holder's electronic card of the tenant's card, and an identity code of it
    /// (valid the region's 10 minutes: longer than the matrix takes).
    pub(super) ecards: [String; 2],
    pub(super) ecard_codes: [String; 2],
    /// Today in the tenants' region (UTC+8), the day a course runs.
    pub(super) region_today: String,
    pub(super) usernames: Vec<String>,
    pub(super) passwords: Vec<String>,
    pub(super) tokens: Vec<String>,
    pub(super) today: String,
    pub(super) this_month: String,
    pub(super) year: i32,
}

/// Tenant A's value, tenant B's, or one that names nothing.
pub(super) fn pick(values: &[String; 2], missing: &str, target: Target) -> String {
    match target {
        Target::Own => values[0].clone(),
        Target::Other => values[1].clone(),
        Target::Missing => missing.to_owned(),
    }
}

pub(super) fn pick_str(values: [&str; 3], target: Target) -> String {
    match target {
        Target::Own => values[0],
        Target::Other => values[1],
        Target::Missing => values[2],
    }
    .to_owned()
}

pub(super) fn medical_policy() -> Value {
    json!({ "annual_cap_fen": 30_000_000, "rules": [
        { "level": null, "visit": null, "status": null, "deductible_fen": 0, "pool_ratio_ppm": 850_000 } ] })
}

pub(super) fn catalogue_item() -> Value {
    json!({ "code": "A001", "name": "A001", "class": "a", "first_share_ppm": null, "limit_price_fen": null, "effective_from": "2000-01-01" })
}

pub(super) fn bill(card: &Value, number: &str) -> Value {
    json!({
        "person": card, "bill_number": number, "visit": "outpatient",
        "lines": [{ "code": "A001", "quantity": 1, "unit_price_fen": 10_000 }]
    })
}

/// Regions, banks and branches, with their parameters, catalogues and policies.
pub(super) fn set_up_reference(server: &mut Server, admin: &str, year: i32) {
    for (region, name) in [(REGIONS[0], "Hangzhou"), (REGIONS[1], "Shenzhen")] {
        server.post(
            admin,
            "/api/v1/regions",
            json!({ "code": region, "name": name }),
        );
        server.post(
            admin,
            &format!("/api/v1/regions/{region}/parameters"),
            json!({ "effective_from": "2000-01-01", "parameters": card_parameters() }),
        );
        server.post(
            admin,
            &format!("/api/v1/regions/{region}/contribution-parameters"),
            json!({ "effective_from": "2000-01-01", "parameters": contribution_parameters() }),
        );
        server.post(
            admin,
            &format!("/api/v1/regions/{region}/benefit-parameters"),
            json!({ "effective_from": "2000-01-01", "parameters": benefit_parameters() }),
        );
        server.post(
            admin,
            &format!("/api/v1/regions/{region}/catalogue"),
            catalogue_item(),
        );
        server.post(
            admin,
            &format!("/api/v1/regions/{region}/medical-policies"),
            json!({ "year": year, "policy": medical_policy() }),
        );
    }
    for tenant in 0..2 {
        server.post(
            admin,
            "/api/v1/banks",
            json!({ "id": BANKS[tenant], "name": BANKS[tenant], "bin": BINS[tenant] }),
        );
        server.post(
            admin,
            &format!("/api/v1/banks/{}/branches", BANKS[tenant]),
            json!({ "id": BRANCHES[tenant], "name": BRANCHES[tenant], "region": REGIONS[0] }),
        );
    }
}

pub(super) fn create_user(
    server: &mut Server,
    admin: &str,
    username: &str,
    role: &str,
    binding: Value,
) {
    let mut body = json!({ "username": username, "password": PASSWORD, "role": role });
    for (field, value) in binding.as_object().unwrap() {
        body[field] = value.clone();
    }
    server.post(admin, "/api/v1/users", body);
}

/// Both persons insured from 2005 to 2019 through a shared past employer (fifteen years
/// paid), then each through their own tenant's employer from 2020, with 2020-01 declared and
/// owed. Returns the enrolments through the tenants' employers.
pub(super) fn insure(server: &mut Server, clerk: &str, past: &str, world: &World) -> [String; 2] {
    for person in &world.persons {
        server.post(
            clerk,
            "/api/v1/enrolments",
            json!({ "person_id": person, "kind": "employee", "employer_id": past, "start_month": "2005-01" }),
        );
    }
    let months: Vec<String> = (0..180)
        .map(|i| format!("{}-{:02}", 2005 + i / 12, i % 12 + 1))
        .collect();
    let rows: Vec<Value> = months
        .iter()
        .flat_map(|month| {
            CITIZENS
                .iter()
                .map(move |citizen| json!({ "citizen_id": citizen, "month": month, "wage_fen": 800_000 }))
        })
        .collect();
    let declared = server.post(
        clerk,
        &format!("/api/v1/employers/{past}/declaration-rows"),
        json!({ "rows": rows }),
    );
    assert_eq!(declared["rows_accepted"], 360, "{declared}");
    for month in &months {
        server.post(
            clerk,
            &format!("/api/v1/employers/{past}/payments"),
            json!({ "month": month }),
        );
    }
    [0, 1].map(|tenant| {
        let moved = server.post(
            clerk,
            &format!(
                "/api/v1/persons/{}/insured-place-transfer",
                world.persons[tenant]
            ),
            json!({ "month": "2020-01", "kind": "employee", "employer_id": world.employers[tenant] }),
        );
        moved["id"].as_str().unwrap().to_owned()
    })
}

/// A collected card of the tenant's bank, its account activated, with one deposit.
pub(super) fn card_with_money(
    server: &mut Server,
    clerk: &str,
    teller: &str,
    tenant: usize,
    person: &str,
) -> (String, String, String) {
    let card = server.post(
        clerk,
        "/api/v1/cards",
        json!({ "person_id": person, "bank_id": BANKS[tenant], "region": REGIONS[0] }),
    )["id"]
        .as_str()
        .unwrap()
        .to_owned();
    server.post(
        clerk,
        &format!("/api/v1/cards/{card}/production"),
        json!({}),
    );
    server.post(
        clerk,
        &format!("/api/v1/cards/{card}/ready"),
        json!({ "distribution_point": "window" }),
    );
    server.post(
        clerk,
        &format!("/api/v1/cards/{card}/collection"),
        json!({ "citizen_id": CITIZENS[tenant], "social_pin": SOCIAL_PIN }),
    );
    server.post(
        teller,
        &format!("/api/v1/cards/{card}/financial-activation"),
        json!({ "citizen_id": CITIZENS[tenant], "pin": FINANCIAL_PIN }),
    );
    // A small deposit to reverse, and enough money behind it that the reversal can go through.
    let deposit = server.post(
        teller,
        &format!("/api/v1/cards/{card}/deposits"),
        json!({ "amount_fen": 100 }),
    );
    server.post(
        teller,
        &format!("/api/v1/cards/{card}/deposits"),
        json!({ "amount_fen": 100_000 }),
    );
    let account = server.read(clerk, &format!("/api/v1/cards/{card}/account"));
    (
        card,
        account["id"].as_str().unwrap().to_owned(),
        deposit["id"].as_str().unwrap().to_owned(),
    )
}

/// Credits above the region's limit for one person, each waiting for a second person: by a
/// second clerk and a second teller of tenant A's bank (peers of the acting clerk and
/// teller), and by tenant B's teller.
pub(super) fn waiting_approvals(server: &mut Server, world: &World) -> [String; 3] {
    let above_limit = json!({ "kind": "benefit", "amount_fen": 6_000_000, "region": REGIONS[0] });
    let clerk = server.sign_in("clerk-2", PASSWORD);
    let path = format!("/api/v1/cards/{}/credits", world.cards[0]);
    let reply = server.send(
        "POST",
        &path,
        Some(&clerk),
        true,
        &Payload::Json(above_limit),
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
    let clerks = reply.body["id"].as_str().unwrap().to_owned();
    let [teller_a, teller_b] = [("teller-a2", 0), ("teller-b", 1)].map(|(teller, tenant)| {
        let token = server.sign_in(teller, PASSWORD);
        let path = format!("/api/v1/cards/{}/deposits", world.cards[tenant]);
        let body = Payload::Json(json!({ "amount_fen": 6_000_000 }));
        let reply = server.send("POST", &path, Some(&token), true, &body);
        assert_eq!(reply.status, 202, "{}", reply.body);
        reply.body["id"].as_str().unwrap().to_owned()
    });
    [clerks, teller_a, teller_b]
}

pub(super) fn set_up_world(server: &mut Server, admin_password: &str) -> World {
    let admin = server.sign_in("admin", admin_password);
    let year: i32 = date("+%Y").parse().unwrap();
    set_up_reference(server, &admin, year);
    for (username, role, binding) in [
        ("clerk", "bureau_clerk", json!({})),
        (
            "teller-a",
            "bank_teller",
            json!({ "branch_id": BRANCHES[0] }),
        ),
        (
            "teller-b",
            "bank_teller",
            json!({ "branch_id": BRANCHES[1] }),
        ),
        ("clerk-2", "bureau_clerk", json!({})),
        (
            "teller-a2",
            "bank_teller",
            json!({ "branch_id": BRANCHES[0] }),
        ),
        ("system-a", "bank_system", json!({ "bank_id": BANKS[0] })),
        ("system-b", "bank_system", json!({ "bank_id": BANKS[1] })),
        ("auditor", "auditor", json!({})),
        ("secretary", "appraisal_secretary", json!({})),
        ("sign-in-probe", "auditor", json!({})),
    ] {
        create_user(server, &admin, username, role, binding);
    }
    let clerk = server.sign_in("clerk", PASSWORD);
    let mut employer_ids = Vec::new();
    for code in &CREDIT_CODES[..3] {
        let employer = server.post(
            &clerk,
            "/api/v1/employers",
            json!({ "credit_code": code, "name": code, "region": REGIONS[0], "risk_class": 1, "rate_tier_percent": 100 }),
        );
        employer_ids.push(employer["id"].as_str().unwrap().to_owned());
    }
    for institution in &INSTITUTIONS[..2] {
        server.post(
            &clerk,
            "/api/v1/institutions",
            json!({ "id": institution, "name": institution, "region": REGIONS[0], "kind": "hospital", "level": 3 }),
        );
    }
    let persons = CITIZENS.map(|citizen| {
        server.post(&clerk, "/api/v1/persons", json!({
            "citizen_id": citizen, "name": "陈伟", "nationality": "CHN", "household_region": "330106", "household_kind": "urban"
        }))["id"].as_str().unwrap().to_owned()
    });
    let mut world = World {
        persons,
        cards: Default::default(),
        cards_as_read: Default::default(),
        accounts: Default::default(),
        transfers: Default::default(),
        employers: [employer_ids[1].clone(), employer_ids[2].clone()],
        declarations: Default::default(),
        enrolments: Default::default(),
        certificates: Default::default(),
        approvals: Default::default(),
        vacancies: Default::default(),
        open_vacancies: Default::default(),
        closable_vacancies: Default::default(),
        pending_vacancies: Default::default(),
        applications: Default::default(),
        spells: Default::default(),
        referrals: Default::default(),
        mothers: Default::default(),
        maternity_claims: Default::default(),
        injury_cases: Default::default(),
        injury_appraisals: Default::default(),
        providers: Default::default(),
        courses: Default::default(),
        pending_courses: Default::default(),
        training_enrolments: Default::default(),
        training_referrals: Default::default(),
        vendors: Default::default(),
        products: Default::default(),
        test_cards: Default::default(),
        batch_products: Default::default(),
        batches: Default::default(),
        batch_codes: Default::default(),
        points: Default::default(),
        shipments: Default::default(),
        branch_shipments: Default::default(),
        ecards: Default::default(),
        ecard_codes: Default::default(),
        region_today: common::today(),
        usernames: Vec::new(),
        passwords: Vec::new(),
        tokens: Vec::new(),
        today: date("+%Y-%m-%d"),
        this_month: date("+%Y-%m"),
        year,
    };
    world.enrolments = insure(server, &clerk, &employer_ids[0], &world);
    let mut holder_passwords = [String::new(), String::new()];
    for tenant in 0..2 {
        let suffix = ["a", "b"][tenant];
        // Issue 13, finding 6: a holder login is opened at the window by a clerk, who is
        // handed its one-time password; never made by the administrator.
        let opened = server.post(
            &clerk,
            &format!("/api/v1/persons/{}/holder-login", world.persons[tenant]),
            json!({ "username": format!("holder-{suffix}"), "original_id_checked": true }),
        );
        holder_passwords[tenant] = opened["one_time_password"].as_str().unwrap().to_owned();
        let bindings = [
            (
                "employer",
                "employer",
                json!({ "employer_id": world.employers[tenant] }),
            ),
            (
                "cashier",
                "cashier",
                json!({ "institution_id": INSTITUTIONS[tenant] }),
            ),
        ];
        for (name, role, binding) in bindings {
            create_user(server, &admin, &format!("{name}-{suffix}"), role, binding);
        }
        let employer = server.sign_in(&format!("employer-{suffix}"), PASSWORD);
        // 2020-01 for the clerk to record as paid, 2020-04 for the employer to pay.
        let rows = json!({ "rows": [
            { "citizen_id": CITIZENS[tenant], "month": "2020-01", "wage_fen": 800_000 },
            { "citizen_id": CITIZENS[tenant], "month": "2020-04", "wage_fen": 800_000 },
        ] });
        let declared = server.post(
            &employer,
            &format!(
                "/api/v1/employers/{}/declaration-rows",
                world.employers[tenant]
            ),
            rows,
        );
        world.declarations[tenant] = declared["id"].as_str().unwrap().to_owned();
        server.post(
            &clerk,
            &format!("/api/v1/persons/{}/pension-award", world.persons[tenant]),
            json!({ "category": "male" }),
        );
        let teller = server.sign_in(&format!("teller-{suffix}"), PASSWORD);
        let person = world.persons[tenant].clone();
        let (card, account, transfer) = card_with_money(server, &clerk, &teller, tenant, &person);
        let view = server.read(&clerk, &format!("/api/v1/cards/{card}"));
        world.cards_as_read[tenant] = json!({ "card": {
            "card_number": view["card_number"], "identification_code": view["identification_code"]
        } });
        let cashier = server.sign_in(&format!("cashier-{suffix}"), PASSWORD);
        server.post(
            &cashier,
            "/api/v1/medical/settlements",
            bill(&world.cards_as_read[tenant], BILLS[tenant]),
        );
        let certificate = server.post(
            &clerk,
            &format!("/api/v1/persons/{person}/certificates"),
            json!({}),
        );
        world.certificates[tenant] = certificate["summary"]["code"].as_str().unwrap().to_owned();
        (
            world.cards[tenant],
            world.accounts[tenant],
            world.transfers[tenant],
        ) = (card, account, transfer);
    }
    world.approvals = waiting_approvals(server, &world);
    job_board(server, &clerk, &holder_passwords, &mut world);
    unemployment(server, &clerk, &mut world);
    maternity(server, &clerk, &mut world);
    injury(server, &mut world);
    training(server, (&admin, &clerk), &holder_passwords, &mut world);
    production::production(server, (&admin, &clerk), &mut world);
    production::ecards(server, &holder_passwords, &mut world);
    // The acting users: tenant A's, one per role.
    for role in Role::ALL {
        let (username, password) = match role {
            Role::Administrator => ("admin", admin_password),
            Role::BureauClerk => ("clerk", PASSWORD),
            Role::BankTeller => ("teller-a", PASSWORD),
            Role::BankSystem => ("system-a", PASSWORD),
            Role::Auditor => ("auditor", PASSWORD),
            Role::Cardholder => ("holder-a", holder_passwords[0].as_str()),
            Role::Employer => ("employer-a", PASSWORD),
            Role::Cashier => ("cashier-a", PASSWORD),
            Role::AppraisalSecretary => ("secretary", PASSWORD),
            Role::TrainingProvider => ("provider-a", PASSWORD),
            Role::ProductionOfficer => ("desk", PASSWORD),
            Role::CardVendor => ("vendor-a", PASSWORD),
        };
        world.tokens.push(server.sign_in(username, password));
        world.usernames.push(username.to_owned());
        world.passwords.push(password.to_owned());
    }
    world
}

/// A vacancy's body, closing in a month.
pub(super) fn vacancy(title: &str) -> Value {
    json!({
        "title": title, "occupation": "2-02-10-01", "place": "330106",
        "wage_min_fen": 800_000, "wage_max_fen": 1_200_000, "requirements": "三年以上经验",
        "openings": 2, "closing": in_days(30)
    })
}

/// The date `days` from today (UTC), `YYYY-MM-DD`.
pub(super) fn in_days(days: i64) -> String {
    let out = Command::new("date")
        .args(["-u", "-d", &format!("+{days} days"), "+%Y-%m-%d"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Each tenant's employer posts four vacancies, the clerk publishes three, and each
/// tenant's holder keeps a profile and applies to the first.
fn job_board(server: &mut Server, clerk: &str, holder_passwords: &[String; 2], world: &mut World) {
    for tenant in 0..2 {
        let suffix = ["a", "b"][tenant];
        let employer = server.sign_in(&format!("employer-{suffix}"), PASSWORD);
        let path = format!("/api/v1/employers/{}/vacancies", world.employers[tenant]);
        let mut post = |title: &str| -> String {
            let posted = server.post(&employer, &path, vacancy(title));
            posted["id"].as_str().unwrap().to_owned()
        };
        let [applied, open, closable, pending] =
            ["会计", "出纳", "司机", "保安"].map(|title| post(&format!("{title} {suffix}")));
        for id in [&applied, &open, &closable] {
            server.post(
                clerk,
                &format!("/api/v1/vacancies/{id}/review"),
                json!({ "decision": "approve" }),
            );
        }
        let holder = server.sign_in(&format!("holder-{suffix}"), &holder_passwords[tenant]);
        let person = world.persons[tenant].clone();
        server.post(
            &holder,
            &format!("/api/v1/persons/{person}/job-profile"),
            json!({ "skills": "会计, Excel", "available_from": world.today }),
        );
        let application = server.post(
            &holder,
            &format!("/api/v1/vacancies/{applied}/applications"),
            json!({ "cover_note": "", "share": false }),
        );
        world.applications[tenant] = application["id"].as_str().unwrap().to_owned();
        world.vacancies[tenant] = applied;
        world.open_vacancies[tenant] = open;
        world.closable_vacancies[tenant] = closable;
        world.pending_vacancies[tenant] = pending;
    }
}

/// A person registered by `clerk` and insured through `employer` from `start`: their id.
fn employee(
    server: &mut Server,
    clerk: &str,
    citizen: &str,
    employer: &str,
    start: &str,
) -> String {
    let person = server.post(
        clerk,
        "/api/v1/persons",
        json!({
            "citizen_id": citizen, "name": "李娜", "nationality": "CHN",
            "household_region": "330106", "household_kind": "urban"
        }),
    )["id"]
        .as_str()
        .unwrap()
        .to_owned();
    server.post(
        clerk,
        "/api/v1/enrolments",
        json!({ "person_id": person, "kind": "employee", "employer_id": employer, "start_month": start }),
    );
    person
}

/// Each tenant's leaver: a person insured through the tenant's employer since 2024, whom
/// the employer reports as an involuntary leaver today, a second clerk registers as
/// unemployed at the window (so the acting clerk may decide the claim), and the clerk refers
/// to the tenant's first vacancy.
fn unemployment(server: &mut Server, clerk: &str, world: &mut World) {
    let window = server.sign_in("clerk-2", PASSWORD);
    for tenant in 0..2 {
        let suffix = ["a", "b"][tenant];
        let employer_id = world.employers[tenant].clone();
        let person = employee(server, clerk, LEAVERS[tenant], &employer_id, "2024-01");
        let employer = server.sign_in(&format!("employer-{suffix}"), PASSWORD);
        server.post(
            &employer,
            &format!("/api/v1/employers/{employer_id}/leavers"),
            json!({ "person_id": person, "left_on": world.today, "leaving": "involuntary" }),
        );
        let spell = server.post(
            &window,
            &format!("/api/v1/persons/{person}/unemployment-registrations"),
            json!({}),
        )["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let referral = server.post(
            clerk,
            &format!("/api/v1/unemployment-spells/{spell}/referrals"),
            json!({ "vacancy_id": world.vacancies[tenant], "note": "会计岗位，符合其技能" }),
        )["id"]
            .as_str()
            .unwrap()
            .to_owned();
        world.spells[tenant] = spell;
        world.referrals[tenant] = referral;
    }
}

/// Each tenant's mother: insured through the tenant's employer since December of last year,
/// that month declared and paid (the base of the allowance), and the employer's claim for a
/// birth today.
fn maternity(server: &mut Server, clerk: &str, world: &mut World) {
    let december = format!("{}-12", world.year - 1);
    for tenant in 0..2 {
        let suffix = ["a", "b"][tenant];
        let employer_id = world.employers[tenant].clone();
        let person = employee(server, clerk, MOTHERS[tenant], &employer_id, &december);
        world.mothers[tenant] = person.clone();
        server.post(
            clerk,
            &format!("/api/v1/employers/{employer_id}/declaration-rows"),
            json!({ "rows": [{ "citizen_id": MOTHERS[tenant], "month": december, "wage_fen": 800_000 }] }),
        );
        server.post(
            clerk,
            &format!("/api/v1/employers/{employer_id}/payments"),
            json!({ "month": december }),
        );
        let employer = server.sign_in(&format!("employer-{suffix}"), PASSWORD);
        world.maternity_claims[tenant] = server.post(
            &employer,
            &format!("/api/v1/persons/{person}/maternity-claims"),
            json!({ "event": "birth", "event_on": world.today }),
        )["id"]
            .as_str()
            .unwrap()
            .to_owned();
    }
}

/// Each tenant's mother's work injury of today: applied for by the tenant's employer,
/// recognised by a second clerk (so the acting clerk could decide it), and a first panel
/// drawn by the secretary from the three experts of the employers' region.
fn injury(server: &mut Server, world: &mut World) {
    let window = server.sign_in("clerk-2", PASSWORD);
    let secretary = server.sign_in("secretary", PASSWORD);
    for code in ["X-1", "X-2", "X-3"] {
        server.post(
            &secretary,
            &format!("/api/v1/regions/{}/injury-experts", REGIONS[0]),
            json!({ "code": code, "specialty": "骨科" }),
        );
    }
    for tenant in 0..2 {
        let suffix = ["a", "b"][tenant];
        let person = world.mothers[tenant].clone();
        let employer = server.sign_in(&format!("employer-{suffix}"), PASSWORD);
        let case = server.post(
            &employer,
            &format!("/api/v1/persons/{person}/injury-cases"),
            json!({ "injured_on": world.today }),
        )["id"]
            .as_str()
            .unwrap()
            .to_owned();
        server.post(
            &window,
            &format!("/api/v1/injury-cases/{case}/decision"),
            json!({ "decision": "recognise" }),
        );
        let drawn = server.post(
            &secretary,
            &format!("/api/v1/injury-cases/{case}/appraisals"),
            json!({ "kind": "first", "size": 3 }),
        );
        world.injury_appraisals[tenant] = drawn["appraisals"][0]["id"].as_str().unwrap().to_owned();
        world.injury_cases[tenant] = case;
    }
}

/// A course of one hour, today, with ten places.
pub(super) fn course(title: &str, today: &str) -> Value {
    json!({
        "title": title, "occupation": "4-03-02-01", "hours": 1, "places": 10,
        "subsidy_fen": 10_000, "payee": "card", "starts_on": today, "ends_on": today
    })
}

/// Each tenant's training provider with its staff's login, an open course with the tenant's
/// holder enrolled (and the tenant's unemployed person referred to it), a course waiting for
/// review; tenant B's holder's course attended and completed.
fn training(
    server: &mut Server,
    (admin, clerk): (&str, &str),
    holder_passwords: &[String; 2],
    world: &mut World,
) {
    for tenant in 0..2 {
        let suffix = ["a", "b"][tenant];
        let provider = server.post(
            clerk,
            "/api/v1/training-providers",
            json!({ "credit_code": PROVIDER_CODES[tenant], "name": format!("school {suffix}"), "region": REGIONS[0] }),
        );
        let provider = provider["id"].as_str().unwrap().to_owned();
        create_user(
            server,
            admin,
            &format!("provider-{suffix}"),
            "training_provider",
            json!({ "provider_id": provider }),
        );
        let staff = server.sign_in(&format!("provider-{suffix}"), PASSWORD);
        let path = format!("/api/v1/training-providers/{provider}/courses");
        let today = world.region_today.clone();
        let open = server.post(&staff, &path, course(&format!("烹调 {suffix}"), &today));
        let open = open["id"].as_str().unwrap().to_owned();
        let pending = server.post(&staff, &path, course(&format!("电工 {suffix}"), &today));
        world.pending_courses[tenant] = pending["id"].as_str().unwrap().to_owned();
        server.post(
            clerk,
            &format!("/api/v1/training-courses/{open}/review"),
            json!({ "decision": "approve" }),
        );
        let holder = server.sign_in(&format!("holder-{suffix}"), &holder_passwords[tenant]);
        let enrolled = server.post(
            &holder,
            &format!("/api/v1/training-courses/{open}/enrolments"),
            json!({}),
        );
        let enrolment = enrolled["id"].as_str().unwrap().to_owned();
        if tenant == 1 {
            server.post(
                &staff,
                &format!("/api/v1/training-enrolments/{enrolment}/attendance"),
                json!({ "day": today, "hours": 1 }),
            );
            server.post(
                &staff,
                &format!("/api/v1/training-enrolments/{enrolment}/completion"),
                json!({ "passed": true }),
            );
        }
        let referral = server.post(
            clerk,
            &format!(
                "/api/v1/unemployment-spells/{}/training-referrals",
                world.spells[tenant]
            ),
            json!({ "course_id": open, "note": "适合其求职方向" }),
        );
        world.training_referrals[tenant] = referral["id"].as_str().unwrap().to_owned();
        world.providers[tenant] = provider;
        world.courses[tenant] = open;
        world.training_enrolments[tenant] = enrolment;
    }
}
