//! The access-control matrix over HTTP: the `shebao` binary is started on a fresh store with
//! two of every tenant (banks, holders, employers, institutions), and every operation of the
//! API is called by every role on its own record, on another tenant's record and on a record
//! that does not exist. The answers are compared with the expected table
//! `shebao_http::access_matrix::EXPECTED`; every mismatch is collected and printed. Every
//! operation that needs a sign-in also refuses an anonymous caller, and nothing answers 5xx.
//! Runs on SQLite and on PostgreSQL. `ACCESS_MATRIX_TRACE=1` prints every answer and the
//! audit records it added.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

mod common;

use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};
use shebao_domain::access::Role;
use shebao_http::access_matrix::{Expect, expected};
use shebao_http::api::{ApiOperation, OPERATIONS};

use common::{Db, Request, Store, card_parameters, contribution_parameters, send};

const PASSWORD: &str = "matrix password 1";
const SOCIAL_PIN: &str = "582037";
const FINANCIAL_PIN: &str = "913752";
/// Two men born in 1960: retired, with fifteen years paid, so that every read of a pension
/// finds one. The first is "own" to the acting tenant, the second "another's".
const CITIZENS: [&str; 2] = ["330106196004150039", "330106196005160052"];
/// A valid ID number nobody registers, and one only `register_person` registers.
const UNREGISTERED_CITIZEN: &str = "330106198501010079";
const NEW_CITIZEN: &str = "330106199003071236";
/// Own region, another region, a region that does not exist.
const REGIONS: [&str; 3] = ["330100", "440300", "120100"];
const BANKS: [&str; 3] = ["icbc", "abc", "no-such-bank"];
const BINS: [&str; 2] = ["621226", "622848"];
const BRANCHES: [&str; 2] = ["icbc-1", "abc-1"];
const INSTITUTIONS: [&str; 3] = ["hospital-a", "hospital-b", "no-such-institution"];
const BILLS: [&str; 3] = ["A-1", "B-1", "NONE-1"];
/// Valid unified social credit codes: a past employer both persons shared, each tenant's
/// employer, and one `register_employer` registers.
const CREDIT_CODES: [&str; 4] = [
    "91330100MA0000010D",
    "91330100MA0000020E",
    "91330100MA0000030F",
    "91330100MA0000040G",
];
/// Operations that change what later rows rely on run after every other one.
const LAST: [&str; 5] = [
    "request_replacement",
    "request_renewal",
    "return_temporary_card",
    "cancel_card",
    "end_enrolment",
];

// ---------------------------------------------------------------------------------------
// The matrix's own view of the shared server: it counts requests and numbers its keys.

struct Server {
    server: common::Server,
    requests: usize,
    keys: usize,
    /// The store itself, to count audit records around each request.
    db: Db,
}

/// What a request sends after its headers.
enum Payload {
    Nothing,
    Json(Value),
    Raw(&'static str, Vec<u8>),
}

struct Reply {
    status: u16,
    body: Value,
}

impl Reply {
    fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
}

impl Server {
    fn send(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        idempotent: bool,
        payload: &Payload,
    ) -> Reply {
        self.requests += 1;
        let key = idempotent.then(|| {
            self.keys += 1;
            format!("matrix-{:06}", self.keys)
        });
        let json;
        let body = match payload {
            Payload::Nothing => None,
            Payload::Json(value) => {
                json = value.to_string();
                Some(("application/json", json.as_bytes()))
            }
            Payload::Raw(media, bytes) => Some((*media, bytes.as_slice())),
        };
        let request = Request {
            method,
            path,
            token,
            key: key.as_deref(),
            body,
        };
        let (status, raw, start) = send(&self.server.address, &request, None).unwrap();
        let text = String::from_utf8_lossy(&raw[start..]).into_owned();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply { status, body }
    }

    fn post(&mut self, token: &str, path: &str, body: Value) -> Value {
        let reply = self.send("POST", path, Some(token), true, &Payload::Json(body));
        ok(reply, path)
    }

    fn read(&mut self, token: &str, path: &str) -> Value {
        let reply = self.send("GET", path, Some(token), false, &Payload::Nothing);
        ok(reply, path)
    }

    fn sign_in(&mut self, username: &str, password: &str) -> String {
        let body = json!({ "username": username, "password": password });
        let reply = self.send(
            "POST",
            "/api/v1/sessions",
            None,
            false,
            &Payload::Json(body),
        );
        ok(reply, "sign in")["token"].as_str().unwrap().to_owned()
    }
}

fn ok(reply: Reply, what: &str) -> Value {
    assert_eq!(reply.status, 200, "{what}: {}", reply.body);
    reply.body
}

/// A server on a fresh store, and its first administrator's password.
fn deploy(tag: &str, store: Store) -> (Server, String) {
    let deployment = common::deploy(tag, store);
    let server = Server {
        server: deployment.server,
        requests: 0,
        keys: 0,
        db: Db::open(&deployment.db),
    };
    (server, deployment.password)
}

fn date(format: &str) -> String {
    let out = Command::new("date").args(["-u", format]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

// ---------------------------------------------------------------------------------------
// Two of every tenant.

/// Whose record a request names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Own,
    Other,
    Missing,
}

impl Target {
    const ALL: [Target; 3] = [Target::Own, Target::Other, Target::Missing];
}

/// The records of tenant A ("own" to every acting user) and tenant B ("another's"), and the
/// signed-in users of tenant A, one per role in [`Role::ALL`] order.
struct World {
    persons: [String; 2],
    cards: [String; 2],
    /// Each card as a hospital's till reads it (`{"card": {...}}`).
    cards_as_read: [Value; 2],
    accounts: [String; 2],
    transfers: [String; 2],
    employers: [String; 2],
    declarations: [String; 2],
    enrolments: [String; 2],
    certificates: [String; 2],
    /// Requests waiting for a second person (issue 13, finding 9): tenant A's clerk's and
    /// tenant A's bank's (each made by a peer of the acting user), and tenant B's bank's.
    approvals: [String; 3],
    usernames: Vec<String>,
    passwords: Vec<String>,
    tokens: Vec<String>,
    today: String,
    this_month: String,
    year: i32,
}

/// Tenant A's value, tenant B's, or one that names nothing.
fn pick(values: &[String; 2], missing: &str, target: Target) -> String {
    match target {
        Target::Own => values[0].clone(),
        Target::Other => values[1].clone(),
        Target::Missing => missing.to_owned(),
    }
}

fn pick_str(values: [&str; 3], target: Target) -> String {
    match target {
        Target::Own => values[0],
        Target::Other => values[1],
        Target::Missing => values[2],
    }
    .to_owned()
}

fn medical_policy() -> Value {
    json!({ "annual_cap_fen": 30_000_000, "rules": [
        { "level": null, "visit": null, "status": null, "deductible_fen": 0, "pool_ratio_ppm": 850_000 } ] })
}

fn catalogue_item() -> Value {
    json!({ "code": "A001", "name": "A001", "class": "a", "first_share_ppm": null, "limit_price_fen": null, "effective_from": "2000-01-01" })
}

fn bill(card: &Value, number: &str) -> Value {
    json!({
        "person": card, "bill_number": number, "visit": "outpatient",
        "lines": [{ "code": "A001", "quantity": 1, "unit_price_fen": 10_000 }]
    })
}

/// Regions, banks and branches, with their parameters, catalogues and policies.
fn set_up_reference(server: &mut Server, admin: &str, year: i32) {
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

fn create_user(server: &mut Server, admin: &str, username: &str, role: &str, binding: Value) {
    let mut body = json!({ "username": username, "password": PASSWORD, "role": role });
    for (field, value) in binding.as_object().unwrap() {
        body[field] = value.clone();
    }
    server.post(admin, "/api/v1/users", body);
}

/// Both persons insured from 2005 to 2019 through a shared past employer (fifteen years
/// paid), then each through their own tenant's employer from 2020, with 2020-01 declared and
/// owed. Returns the enrolments through the tenants' employers.
fn insure(server: &mut Server, clerk: &str, past: &str, world: &World) -> [String; 2] {
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
fn card_with_money(
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
fn waiting_approvals(server: &mut Server, world: &World) -> [String; 3] {
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

fn set_up_world(server: &mut Server, admin_password: &str) -> World {
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
        let rows = json!({ "rows": [{ "citizen_id": CITIZENS[tenant], "month": "2020-01", "wage_fen": 800_000 }] });
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
        };
        world.tokens.push(server.sign_in(username, password));
        world.usernames.push(username.to_owned());
        world.passwords.push(password.to_owned());
    }
    world
}

// ---------------------------------------------------------------------------------------
// One well-formed request per operation and target.

impl World {
    /// The operation's path with its parameters naming the target's records, as `role` (an
    /// index into [`Role::ALL`]) acts.
    fn path(&self, operation: &ApiOperation, target: Target, role: usize) -> String {
        let missing = |prefix: &str| format!("{prefix}_no_such_record");
        // A clerk's own requests are the bureau's; everybody else's, their bank's.
        let own_approval = if Role::ALL[role] == Role::BureauClerk {
            &self.approvals[0]
        } else {
            &self.approvals[1]
        };
        let approval = match target {
            Target::Own => own_approval.clone(),
            Target::Other => self.approvals[2].clone(),
            Target::Missing => missing("apr"),
        };
        let values = [
            ("{region}", pick_str(REGIONS, target)),
            ("{bank}", pick_str(BANKS, target)),
            ("{person}", pick(&self.persons, &missing("per"), target)),
            ("{card}", pick(&self.cards, &missing("crd"), target)),
            ("{account}", pick(&self.accounts, &missing("acc"), target)),
            ("{transfer}", pick(&self.transfers, &missing("trf"), target)),
            ("{employer}", pick(&self.employers, &missing("emp"), target)),
            (
                "{declaration}",
                pick(&self.declarations, &missing("dec"), target),
            ),
            (
                "{enrolment}",
                pick(&self.enrolments, &missing("enr"), target),
            ),
            (
                "{code}",
                pick(&self.certificates, "SB-0000-0000-0000", target),
            ),
            ("{bill}", pick_str(BILLS, target)),
            ("{institution}", pick_str(INSTITUTIONS, target)),
            ("{kind}", "pension".to_owned()),
            ("{approval}", approval),
        ];
        let mut path = operation.path.to_owned();
        for (parameter, value) in values {
            path = path.replace(parameter, &value);
        }
        assert!(
            !path.contains('{'),
            "{path}: a path parameter access.rs does not fill"
        );
        if operation.id == "reconciliation" {
            path.push_str(&format!("?date={}", self.today));
        }
        path
    }

    /// A well-formed body for the operation, naming the target's records where the body
    /// names any. `n` makes names unique where a repeat would only be a conflict.
    /// Tenant A's card as read, tenant B's, or a well-formed pair that names no card.
    fn card_as_read(&self, target: Target) -> Value {
        match target {
            Target::Own => self.cards_as_read[0].clone(),
            Target::Other => self.cards_as_read[1].clone(),
            Target::Missing => json!({ "card": {
                "card_number": "Z99999999", "identification_code": "330100D156000005FFFFFFFFFFFFFFFF"
            } }),
        }
    }

    fn payload(&self, operation: &str, target: Target, n: usize) -> Payload {
        let person = pick(&self.persons, "per_no_such_record", target);
        let card = pick(&self.cards, "crd_no_such_record", target);
        let citizen = pick_str([CITIZENS[0], CITIZENS[1], UNREGISTERED_CITIZEN], target);
        let employer = pick(&self.employers, "emp_no_such_record", target);
        let region = pick_str(REGIONS, target);
        let body = match operation {
            // Reads and actions without a body.
            "sign_out"
            | "whoami"
            | "list_regions"
            | "list_parameters"
            | "list_banks"
            | "list_branches"
            | "get_person"
            | "list_person_cards"
            | "get_card"
            | "get_card_account"
            | "get_statement"
            | "list_audit"
            | "verify_audit"
            | "get_employer"
            | "list_arrears"
            | "declaration_errors"
            | "list_enrolments"
            | "contribution_history"
            | "insurance_summary"
            | "personal_account_statement"
            | "get_pension_award"
            | "certificate_pdf"
            | "verify_certificate"
            | "reconciliation"
            | "person_settlements"
            | "list_approvals"
            | "healthz"
            | "readyz"
            | "metrics"
            | "openapi"
            | "docs" => return Payload::Nothing,
            "start_production"
            | "unlock_social_pin"
            | "unlock_financial_pin"
            | "request_replacement"
            | "return_temporary_card"
            | "issue_certificate"
            | "issue_ecard_token"
            | "undo_settlement"
            | "approve" => json!({}),
            "sign_in" => json!({ "username": "sign-in-probe", "password": PASSWORD }),
            "create_user" => json!({
                "username": format!("matrix-user-{n}"), "password": PASSWORD, "role": "auditor"
            }),
            "enrol_holder_login" => json!({
                "citizen_id": citizen, "card_number": "X00000019",
                "identification_code": "330100D15600000500000000000000AB", "social_pin": SOCIAL_PIN,
                "username": format!("matrix-enrol-{n}"), "password": PASSWORD
            }),
            "open_holder_login" => {
                json!({ "username": format!("matrix-holder-{n}"), "original_id_checked": true })
            }
            "reset_holder_login" => json!({ "original_id_checked": true }),
            "create_region" => json!({ "code": "320100", "name": "Nanjing" }),
            "add_parameters" => {
                json!({ "effective_from": "2021-01-01", "parameters": card_parameters() })
            }
            "create_bank" => json!({ "id": "boc", "name": "boc", "bin": "621661" }),
            "create_branch" => {
                json!({ "id": format!("branch-{n}"), "name": "branch", "region": REGIONS[0] })
            }
            "register_person" => json!({
                "citizen_id": NEW_CITIZEN, "name": "李娜", "nationality": "CHN", "household_region": "330106", "household_kind": "urban"
            }),
            "find_person" => json!({ "citizen_id": citizen }),
            "correct_person" => {
                json!({ "reason": "access matrix check", "household_kind": "urban" })
            }
            "unmask_person" => json!({ "reason": "access matrix check" }),
            "apply_card" => {
                json!({ "person_id": person, "bank_id": BANKS[0], "region": REGIONS[0] })
            }
            "issue_temporary_card" => json!({
                "person_id": person, "region": REGIONS[0], "citizen_id": citizen, "social_pin": SOCIAL_PIN
            }),
            "mark_ready" => json!({ "distribution_point": "window" }),
            "collect_card" => json!({ "citizen_id": citizen, "social_pin": SOCIAL_PIN }),
            "activate_financial" => json!({ "citizen_id": citizen, "pin": FINANCIAL_PIN }),
            "verify_social_pin" => json!({ "pin": SOCIAL_PIN }),
            "change_social_pin" => json!({ "old_pin": SOCIAL_PIN, "new_pin": SOCIAL_PIN }),
            "report_loss" => json!({ "side": "social", "kind": "temporary" }),
            "cancel_loss" => json!({ "side": "social" }),
            "request_renewal" => json!({ "reason": "damaged" }),
            "cancel_card" => json!({ "reason": "access matrix check" }),
            "deposit" => json!({ "amount_fen": 100 }),
            "withdraw" => json!({ "amount_fen": 100, "pin": FINANCIAL_PIN }),
            "purchase" => json!({ "amount_fen": 100, "pin": FINANCIAL_PIN, "merchant": "shop-1" }),
            "submit_batch" => json!({ "operations": [{
                "idempotency_key": format!("matrix-batch-{n}"), "operation": "purchase", "card": card,
                "request": { "amount_fen": 100, "pin": FINANCIAL_PIN, "merchant": "shop-1" }
            }] }),
            "credit_benefit" => {
                json!({ "kind": "benefit", "amount_fen": 100, "region": REGIONS[0] })
            }
            // From the target's card to the account of the other tenant's holder.
            "transfer" => {
                let to = if target == Target::Other {
                    &self.accounts[0]
                } else {
                    &self.accounts[1]
                };
                json!({ "to_account": to, "amount_fen": 100, "pin": FINANCIAL_PIN })
            }
            "reverse_transfer" | "reject" => json!({ "reason": "access matrix check" }),
            "add_contribution_parameters" => {
                json!({ "effective_from": "2021-01-01", "parameters": contribution_parameters() })
            }
            "register_employer" => json!({
                "credit_code": CREDIT_CODES[3], "name": "matrix", "region": REGIONS[0], "risk_class": 1, "rate_tier_percent": 100
            }),
            "import_declaration" => {
                let csv = format!("citizen_id,month,wage\n{citizen},2020-03,8000\n");
                return Payload::Raw("text/csv", csv.into_bytes());
            }
            "declare_rows" => {
                json!({ "rows": [{ "citizen_id": citizen, "month": "2020-02", "wage_fen": 800_000 }] })
            }
            "record_contribution_payment" => json!({ "month": "2020-01" }),
            "enrol" => json!({
                "person_id": self.persons[usize::from(target == Target::Other)], "kind": "employee",
                "employer_id": employer, "start_month": "2022-01"
            }),
            "end_enrolment" => json!({ "end_month": "2030-12" }),
            "transfer_insured_place" => json!({
                "month": "2021-01", "kind": "employee",
                "employer_id": self.employers[usize::from(target == Target::Other)]
            }),
            "award_pension" => json!({ "category": "male" }),
            "run_pension_payout" => json!({ "region": region, "month": self.this_month }),
            "credit_pension_interest" => json!({ "region": region, "year": 2024 }),
            "verify_certificate_document" => {
                return Payload::Raw("application/pdf", b"%PDF-1.4 not issued".to_vec());
            }
            "calc_retirement" => json!({ "birth": "1970-05", "category": "male" }),
            "calc_pension" => json!({
                "average_wage_fen": 800_000, "contribution_index": "1.0", "contribution_months": 180,
                "account_balance_fen": 100_000, "retirement_age": 60
            }),
            "calc_contribution" => json!({ "average_wage_fen": 800_000, "wage_fen": 1_000_000 }),
            "calc_settlement" => json!({
                "total_fen": 100_000, "self_paid_fen": 0, "over_limit_fen": 0, "class_b_fen": 0, "class_b_ratio": "0",
                "deductible_remaining_fen": 0, "pool_ratio": "85%", "cap_remaining_fen": 1_000_000, "account_balance_fen": 0
            }),
            "register_institution" => json!({
                "id": "matrix-hospital", "name": "matrix", "region": REGIONS[0], "kind": "hospital", "level": 2
            }),
            "add_catalogue_item" => catalogue_item(),
            "set_medical_policy" => json!({ "year": self.year + 1, "policy": medical_policy() }),
            "query_insured" => self.card_as_read(target),
            "pre_settle" | "settle" => bill(&self.card_as_read(target), &format!("MX-{n}")),
            "check_reconciliation" => json!({
                "date": self.today, "csv": "bill_number,status,total_fen,fund_fen,account_fen,cash_fen\n"
            }),
            other => panic!("access.rs has no request for the operation {other}: add one"),
        };
        Payload::Json(body)
    }
}

// ---------------------------------------------------------------------------------------
// The matrix.

/// Whether an answer refuses: `403`, or for a record that exists, a `404` that hides it or an
/// empty list that leaves it out.
fn refuses(reply: &Reply, target: Target) -> bool {
    let hidden = target != Target::Missing
        && (reply.status == 404
            || (reply.status == 200 && reply.body.as_array().is_some_and(Vec::is_empty)));
    reply.status == 403 || hidden
}

/// Whether the server could not read the request at all: a test that sends such a request
/// checks nothing, since the body is parsed before the permission check.
fn malformed(reply: &Reply) -> bool {
    let detail = reply.body["detail"].as_str().unwrap_or("");
    matches!(
        reply.code(),
        "invalid_json" | "unsupported_media_type" | "idempotency_key_required"
    ) || detail.starts_with("Failed to deserialize")
        || detail.starts_with("Failed to parse")
}

/// What is wrong with three answers given the expectation, if anything.
fn judge(expect: Expect, changes: bool, replies: &[Reply; 3]) -> Option<&'static str> {
    let [own, other, missing] = replies;
    let status_is = |reply: &Reply, allowed: &[u16]| allowed.contains(&reply.status);
    match expect {
        Expect::Deny => {
            if !refuses(own, Target::Own)
                || !refuses(other, Target::Other)
                || !status_is(missing, &[403, 404])
            {
                Some("a role that may not do this was not refused")
            } else if own.status != other.status || other.status != missing.status {
                Some("the refusal differs between records: it tells which exist")
            } else {
                None
            }
        }
        Expect::Any => {
            if refuses(own, Target::Own) || refuses(other, Target::Other) {
                Some("refused on a record the role may act on")
            } else if missing.status == 403 {
                Some("refused on a missing record instead of not found")
            } else {
                None
            }
        }
        Expect::Own => {
            let missing_refused =
                status_is(missing, &[403, 404]) || refuses(missing, Target::Other);
            if refuses(own, Target::Own) {
                Some("refused on the role's own record")
            } else if !refuses(other, Target::Other) {
                Some("allowed on another tenant's record")
            } else if !missing_refused {
                Some("a missing record was not refused or not found")
            } else if changes && other.status != missing.status {
                // Issue 13, finding 12: a change refused on another party's record answers
                // exactly as on a record that does not exist.
                Some("the refusal of a change tells whether another's record exists")
            } else {
                None
            }
        }
        Expect::Public => {
            let closed = replies.iter().any(|r| matches!(r.status, 401 | 403));
            closed.then_some("a public operation asked for a sign-in")
        }
        // Issue 13, finding 12: /metrics is the operator's, not any signed-in role's.
        Expect::Operator => {
            let open = replies.iter().any(|r| r.status != 401);
            open.then_some("an operator's operation answered a role's session")
        }
    }
}

fn describe(replies: &[Reply; 3]) -> String {
    Target::ALL
        .iter()
        .zip(replies)
        .map(|(target, reply)| format!("{target:?} {} {}", reply.status, reply.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One request as `role` (an index into [`Role::ALL`]).
fn call(
    server: &mut Server,
    world: &World,
    operation: &ApiOperation,
    role: usize,
    target: Target,
    n: usize,
) -> Reply {
    let path = world.path(operation, target, role);
    let payload = world.payload(operation.id, target, n);
    let token = if operation.id == "sign_out" {
        // A session of its own, so the user's main session lives on.
        server.sign_in(&world.usernames[role], &world.passwords[role])
    } else {
        world.tokens[role].clone()
    };
    server.send(
        operation.method,
        &path,
        // `/metrics` takes no session, but a role's session token is sent anyway to show it
        // is not enough.
        (operation.signed_in || operation.id == "metrics").then_some(token.as_str()),
        operation.changes,
        &payload,
    )
}

/// The requests that must add exactly one audit record, and why: every state change that
/// succeeded, every refused authorisation (403), and every read or change of another's
/// record that was hidden as not found. (Signing in and out are audited by the session code
/// and counted in their own tests; a refused validation or a missing record changes
/// nothing and is not a refused authorisation.)
fn audit_rule(
    operation: &ApiOperation,
    expect: Expect,
    target: Target,
    reply: &Reply,
) -> Option<&'static str> {
    if matches!(operation.id, "sign_in" | "sign_out") {
        return None;
    }
    // Issue 13, finding 8: a look-up by ID number is audited whatever it finds.
    if operation.id == "find_person" {
        return Some("a look-up by ID number adds one record, hit, miss, hidden or refused");
    }
    // 202: a change that waits for a second person (a request), itself a change.
    if operation.changes && matches!(reply.status, 200 | 202) {
        return Some("a state change adds one record");
    }
    if reply.status == 403 {
        return Some("a refused authorisation adds one record");
    }
    // Issue 13, finding 5: a cashier's person query, pre-settlement, settlement and undo
    // each leave one record, whatever they answer.
    if matches!(
        operation.id,
        "query_insured" | "pre_settle" | "settle" | "undo_settlement"
    ) && reply.status != 401
    {
        return Some("every counter operation adds one record, refusals included");
    }
    // A cashier's bill numbers live in their own institution's namespace: another
    // institution's bill number names no bill there, so its 404 hides nothing.
    let namespaced = operation.id == "undo_settlement";
    if reply.status == 404
        && target == Target::Other
        && matches!(expect, Expect::Own | Expect::Deny)
        && !namespaced
    {
        return Some("another's record hidden as not found is a refused authorisation");
    }
    None
}

fn the_access_matrix(store: Store, tag: &str) {
    let started = Instant::now();
    let (mut server, admin_password) = deploy(tag, store);
    let mut world = set_up_world(&mut server, &admin_password);
    let set_up = (server.requests, started.elapsed());
    let mut mismatches = Vec::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut audit_gaps = Vec::new();
    let (first, last): (Vec<&ApiOperation>, Vec<&ApiOperation>) =
        OPERATIONS.iter().partition(|op| !LAST.contains(&op.id));
    let mut n = 0;
    for operation in first.into_iter().chain(last) {
        // Nobody anonymous gets past an operation that needs a sign-in, nor past the
        // operator's (which needs the operator's token instead).
        n += 1;
        let closed =
            operation.signed_in || expected(operation.id, Role::ALL[0]) == Some(Expect::Operator);
        let anonymous = server.send(
            operation.method,
            &world.path(operation, Target::Own, 0),
            None,
            operation.changes,
            &world.payload(operation.id, Target::Own, n),
        );
        if closed != (anonymous.status == 401) {
            mismatches.push(format!(
                "{} anonymous: {} {}",
                operation.id,
                anonymous.status,
                anonymous.code()
            ));
        }
        for (column, role) in Role::ALL.into_iter().enumerate() {
            let expect = expected(operation.id, role)
                .unwrap_or_else(|| panic!("{} has no row in the table", operation.id));
            let replies = Target::ALL.map(|target| {
                n += 1;
                let before = server.db.audit_records();
                let reply = call(&mut server, &world, operation, column, target, n);
                let added = server.db.audit_records() - before;
                if let Some(rule) = audit_rule(operation, expect, target, &reply)
                    && added != 1
                {
                    audit_gaps.push(format!(
                        "{} as {} on {target:?}: {} {} added {added} audit records; {rule}",
                        operation.id,
                        role.as_str(),
                        reply.status,
                        reply.code()
                    ));
                }
                if std::env::var_os("ACCESS_MATRIX_TRACE").is_some() {
                    eprintln!(
                        "TRACE {} {} {target:?} {} +{added} audit {}",
                        operation.id,
                        role.as_str(),
                        reply.status,
                        reply.body.to_string().chars().take(160).collect::<String>()
                    );
                }
                reply
            });
            checked += 3;
            // A holder's password reset ends the holder's sessions: sign in again with the
            // new one-time password.
            if operation.id == "reset_holder_login"
                && let Some(password) = replies[0].body["one_time_password"].as_str()
            {
                let holder = Role::ALL
                    .iter()
                    .position(|r| *r == Role::Cardholder)
                    .unwrap();
                world.passwords[holder] = password.to_owned();
                world.tokens[holder] = server.sign_in(&world.usernames[holder], password);
            }
            for (target, reply) in Target::ALL.iter().zip(&replies) {
                if reply.status >= 500 || malformed(reply) {
                    failures.push(format!(
                        "{} as {} on {target:?}: {} {}",
                        operation.id,
                        role.as_str(),
                        reply.status,
                        reply.body
                    ));
                }
            }
            if let Some(wrong) = judge(expect, operation.changes, &replies) {
                mismatches.push(format!(
                    "{} as {}: expected {expect:?}, {wrong} ({})",
                    operation.id,
                    role.as_str(),
                    describe(&replies)
                ));
            }
        }
    }
    eprintln!(
        "access matrix on {tag}: {} operations x {} roles x 3 targets = {checked} checks; \
         {} requests to set up in {:.1?}, {} in all in {:.1?}",
        OPERATIONS.len(),
        Role::ALL.len(),
        set_up.0,
        set_up.1,
        server.requests,
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "5xx answers or requests the server could not read:\n{}",
        failures.join("\n")
    );
    assert!(
        audit_gaps.is_empty(),
        "{} requests without exactly one audit record:\n{}",
        audit_gaps.len(),
        audit_gaps.join("\n")
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches with the access matrix:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn every_role_meets_the_access_matrix_on_sqlite() {
    the_access_matrix(Store::Sqlite, "sqlite");
}

#[test]
fn every_role_meets_the_access_matrix_on_postgres() {
    the_access_matrix(Store::Postgres, "postgres");
}
