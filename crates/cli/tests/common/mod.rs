//! The black-box harness the tests of the `shebao` binary share: a fresh store and key file,
//! the real server started on a free port, a small HTTP/1.1 client and the reference data
//! (regions, banks, staff of every role) most stories begin with.
#![allow(dead_code, reason = "each test binary uses part of the shared harness")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

pub const CITIZEN_ID: &str = "110101200001010010";
pub const SOCIAL_PIN: &str = "582037";
pub const FINANCIAL_PIN: &str = "913752";
pub const NAME: &str = "陈伟";
pub const PASSWORD: &str = "story password 1";

pub fn shebao() -> Command {
    Command::new(env!("CARGO_BIN_EXE_shebao"))
}

pub fn temp_dir(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir =
        std::env::temp_dir().join(format!("shebao-story-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A running server, killed when dropped.
pub struct Server {
    pub child: Child,
    pub address: String,
    pub log: PathBuf,
    pub responses: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn json_out(command: &mut Command) -> Value {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

pub fn start(db: &str, keys: &Path, log: PathBuf) -> Server {
    start_with(db, keys, log, &[])
}

/// Starts the server with further flags of `serve` (limits, rates).
pub fn start_with(db: &str, keys: &Path, log: PathBuf, flags: &[&str]) -> Server {
    start_in(db, keys, log, flags, &[])
}

/// Starts the server with further flags of `serve` and variables of its environment.
pub fn start_in(
    db: &str,
    keys: &Path,
    log: PathBuf,
    flags: &[&str],
    env: &[(&str, &Path)],
) -> Server {
    let mut child = shebao()
        .args(["serve", "--db", db, "--listen", "127.0.0.1:0", "--keys"])
        .arg(keys)
        .args(flags)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    Server {
        child,
        address,
        log,
        responses: Vec::new(),
    }
}

impl Server {
    /// One HTTP/1.1 request; returns the status and the JSON body.
    pub fn call(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        key: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let (status, value, raw) =
            exchange(&self.address, method, path, token, key, body.as_ref(), None)
                .unwrap_or_else(|error| panic!("{method} {path}: {error}"));
        self.responses.push(raw);
        (status, value)
    }
}

/// A request: its method, path, bearer token, idempotency key and body with media type.
#[derive(Default)]
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub token: Option<&'a str>,
    pub key: Option<&'a str>,
    pub body: Option<(&'a str, &'a [u8])>,
}

/// Sends one HTTP/1.1 request to `address`; returns the status and the whole raw answer
/// (head and body). With a `timeout`, a server that does not answer in time (or dies) is an
/// error, which a caller may record as "unknown outcome".
pub fn send(
    address: &str,
    request: &Request<'_>,
    timeout: Option<std::time::Duration>,
) -> std::io::Result<(u16, Vec<u8>, usize)> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(timeout)?;
    stream.set_write_timeout(timeout)?;
    let mut head = format!(
        "{} {} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n",
        request.method, request.path
    );
    if let Some(token) = request.token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    if let Some(key) = request.key {
        head.push_str(&format!("Idempotency-Key: {key}\r\n"));
    }
    if let Some((media, body)) = request.body {
        head.push_str(&format!(
            "Content-Type: {media}\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if let Some((_, body)) = request.body {
        stream.write_all(body)?;
    }
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let broken =
        || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "incomplete HTTP answer");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(broken)?;
    let status: u16 = String::from_utf8_lossy(&raw[..split])
        .split_whitespace()
        .nth(1)
        .and_then(|status| status.parse().ok())
        .ok_or_else(broken)?;
    Ok((status, raw, split + 4))
}

/// One request with a JSON body; returns the status, the JSON answer (a string if the
/// answer is not JSON) and the raw response.
pub fn exchange(
    address: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    key: Option<&str>,
    body: Option<&Value>,
    timeout: Option<std::time::Duration>,
) -> std::io::Result<(u16, Value, String)> {
    let body = body.map(Value::to_string);
    let request = Request {
        method,
        path,
        token,
        key,
        body: body.as_deref().map(|b| ("application/json", b.as_bytes())),
    };
    let (status, raw, start) = send(address, &request, timeout)?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let payload = raw.get(start..).unwrap_or_default();
    let value = serde_json::from_str(payload).unwrap_or(Value::String(payload.to_owned()));
    Ok((status, value, raw))
}

impl Server {
    /// A request with a raw body of the given media type; returns the status and raw body.
    pub fn call_raw(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        media: &str,
        body: &[u8],
    ) -> (u16, Vec<u8>) {
        let request = Request {
            method,
            path,
            token,
            key: None,
            body: Some((media, body)),
        };
        let (status, raw, start) = send(&self.address, &request, None)
            .unwrap_or_else(|error| panic!("{method} {path}: {error}"));
        self.responses
            .push(String::from_utf8_lossy(&raw).into_owned());
        (status, raw[start..].to_vec())
    }
}

/// A signed-in client of the server with its own idempotency keys.
pub struct Client {
    pub token: String,
    pub counter: u32,
    pub name: String,
}

impl Client {
    pub fn sign_in(server: &mut Server, username: &str, password: &str) -> Client {
        let (status, body) = server.call(
            "POST",
            "/api/v1/sessions",
            None,
            None,
            Some(json!({ "username": username, "password": password })),
        );
        assert_eq!(status, 200, "{body}");
        Client {
            token: body["token"].as_str().unwrap().to_owned(),
            counter: 0,
            name: username.to_owned(),
        }
    }

    pub fn post(&mut self, server: &mut Server, path: &str, body: Value) -> (u16, Value) {
        self.counter += 1;
        let key = format!("{}-{:04}", self.name, self.counter);
        server.call("POST", path, Some(&self.token), Some(&key), Some(body))
    }

    pub fn get(&self, server: &mut Server, path: &str) -> (u16, Value) {
        server.call("GET", path, Some(&self.token), None, None)
    }
}

pub fn ok(result: (u16, Value)) -> Value {
    assert!(
        result.0 == 200,
        "expected 200, got {} {}",
        result.0,
        result.1
    );
    result.1
}

pub fn refused(result: (u16, Value), code: &str) {
    assert_eq!(result.1["code"], code, "{}", result.1);
    assert!(result.0 >= 400, "{}", result.1);
}

/// A region's card parameters (PIN retries, loss and validity periods, limits).
pub fn card_parameters() -> Value {
    json!({
        "social_pin_retries_max": 6, "financial_pin_retries_max": 3, "temporary_loss_days": 15,
        "temporary_card_validity_days": 60, "card_validity_years": 10, "deposit_only_accepts_credits": true,
        "single_operation_max_fen": 500_000_000, "utc_offset_minutes": 480,
        "manual_credit_approval_above_fen": 5_000_000,
        "manual_credit_daily_max_fen": 20_000_000, "approval_request_valid_hours": 72,
        "ecard_code_minutes": 10
    })
}

/// A region `code` named `name`, with the card parameters from 2020.
pub fn add_region(server: &mut Server, admin: &mut Client, code: &str, name: &str) {
    ok(admin.post(
        server,
        "/api/v1/regions",
        json!({ "code": code, "name": name }),
    ));
    ok(admin.post(
        server,
        &format!("/api/v1/regions/{code}/parameters"),
        json!({ "effective_from": "2020-01-01", "parameters": card_parameters() }),
    ));
}

/// [`set_up_reference`], and Hangzhou's contribution parameters from 2000.
pub fn set_up_reference_with_contributions(server: &mut Server, admin: &mut Client) {
    set_up_reference(server, admin);
    ok(admin.post(
        server,
        "/api/v1/regions/330100/contribution-parameters",
        json!({ "effective_from": "2000-01-01", "parameters": contribution_parameters() }),
    ));
}

/// The medical policy of the fuzz and crash worlds: a 300,000 yuan annual cap, then for every
/// level, visit and status a 10 yuan deductible and 85% from the pool.
pub fn medical_policy() -> Value {
    json!({ "annual_cap_fen": 30_000_000, "rules": [
        { "level": null, "visit": null, "status": null, "deductible_fen": 1_000, "pool_ratio_ppm": 850_000 } ] })
}

/// Hangzhou's contribution parameters from 2000, the catalogue item A001 (class a) from
/// 2000, this year's [`medical_policy`], and the hospital `institution` there, which `clerk`
/// registers.
pub fn set_up_medical_reference(
    server: &mut Server,
    admin: &mut Client,
    clerk: &mut Client,
    institution: &str,
) {
    let year: i64 = this_year().parse().unwrap();
    ok(admin.post(
        server,
        "/api/v1/regions/330100/contribution-parameters",
        json!({ "effective_from": "2000-01-01", "parameters": contribution_parameters() }),
    ));
    ok(admin.post(
        server,
        "/api/v1/regions/330100/catalogue",
        json!({ "code": "A001", "name": "A001", "class": "a", "first_share_ppm": null,
                "limit_price_fen": null, "effective_from": "2000-01-01" }),
    ));
    ok(admin.post(
        server,
        "/api/v1/regions/330100/medical-policies",
        json!({ "year": year, "policy": medical_policy() }),
    ));
    ok(clerk.post(
        server,
        "/api/v1/institutions",
        json!({ "id": institution, "name": "浙一医院", "region": "330100", "kind": "hospital", "level": 3 }),
    ));
}

pub fn set_up_reference(server: &mut Server, admin: &mut Client) {
    add_region(server, admin, "330100", "Hangzhou");
    for (bank, bin, branch) in [("icbc", "621226", "icbc-1"), ("abc", "622848", "abc-1")] {
        ok(admin.post(
            server,
            "/api/v1/banks",
            json!({ "id": bank, "name": bank, "bin": bin }),
        ));
        ok(admin.post(
            server,
            &format!("/api/v1/banks/{bank}/branches"),
            json!({ "id": branch, "name": branch, "region": "330100" }),
        ));
    }
    for (username, role, binding) in [
        ("clerk", "bureau_clerk", json!({})),
        ("clerk-2", "bureau_clerk", json!({})),
        ("teller", "bank_teller", json!({ "branch_id": "icbc-1" })),
        ("teller-2", "bank_teller", json!({ "branch_id": "icbc-1" })),
        ("teller-abc", "bank_teller", json!({ "branch_id": "abc-1" })),
        ("icbc-system", "bank_system", json!({ "bank_id": "icbc" })),
        ("auditor", "auditor", json!({})),
    ] {
        let mut body = json!({ "username": username, "password": PASSWORD, "role": role });
        for (k, v) in binding.as_object().unwrap() {
            body[k] = v.clone();
        }
        ok(admin.post(server, "/api/v1/users", body));
    }
}

pub fn admin_password(db: &str, keys: &Path) -> String {
    let init = json_out(
        shebao()
            .args(["admin", "init", "--db", db, "--keys"])
            .arg(keys),
    );
    init["password"].as_str().unwrap().to_owned()
}

pub fn keys_in(dir: &Path) -> PathBuf {
    let keys = dir.join("keys.json");
    json_out(shebao().args(["keys", "generate", "--out"]).arg(&keys));
    keys
}

#[derive(Clone, Copy)]
pub enum Store {
    Sqlite,
    Postgres,
}

/// Declares a test per store: `$sqlite` and `$postgres` each call `$run` with their store and
/// its name (for the tags of temporary folders).
#[macro_export]
macro_rules! on_both_stores {
    ($run:expr, $sqlite:ident, $postgres:ident $(,)?) => {
        #[test]
        fn $sqlite() {
            ($run)(Store::Sqlite, "sqlite")
        }

        #[test]
        fn $postgres() {
            ($run)(Store::Postgres, "postgres")
        }
    };
}

/// A server started on a fresh store, with its first administrator's password.
pub struct Deployment {
    pub dir: PathBuf,
    pub db: String,
    pub password: String,
    pub server: Server,
}

pub fn deploy(tag: &str, store: Store) -> Deployment {
    deploy_with(tag, store, &[])
}

/// A deployment whose server runs with further flags of `serve`.
pub fn deploy_with(tag: &str, store: Store, flags: &[&str]) -> Deployment {
    deploy_in(tag, store, flags, &[])
}

/// A deployment whose server runs with further flags and variables of its environment.
pub fn deploy_in(tag: &str, store: Store, flags: &[&str], env: &[(&str, &Path)]) -> Deployment {
    let dir = temp_dir(tag);
    let keys = keys_in(&dir);
    let db = match store {
        Store::Sqlite => format!("sqlite:{}", dir.join("shebao.db").display()),
        Store::Postgres => shebao_store_postgres::testing::throwaway_database(),
    };
    let password = admin_password(&db, &keys);
    let server = start_in(&db, &keys, dir.join("server.log"), flags, env);
    Deployment {
        dir,
        db,
        password,
        server,
    }
}

/// `shebao audit verify` on the store finds every chain intact.
pub fn assert_audit_verifies(db: &str) {
    succeeded(
        shebao().args(["audit", "verify", "--db", db]),
        "audit verify",
    );
}

/// Runs `command` and asserts that it succeeded, showing `what` it was and what it wrote.
pub fn succeeded(command: &mut Command, what: &str) -> std::process::Output {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    output
}

pub fn contribution_parameters() -> Value {
    json!({
        "average_monthly_wage_fen": 800_000, "base_floor_percent": 60, "base_ceiling_percent": 300,
        "pension": { "employer_ppm": 160_000, "individual_ppm": 80_000 },
        "medical": { "employer_ppm": 80_000, "individual_ppm": 20_000 },
        "unemployment": { "employer_ppm": 5_000, "individual_ppm": 5_000 },
        "maternity_employer_ppm": 0, "flexible_pension_ppm": 200_000, "flexible_account_ppm": 80_000,
        "personal_pension_account_ppm": 80_000, "retiree_medical_credit_fen": 5_000, "pension_interest_ppm": 26_200
    })
}

/// A region's benefit parameters (issue 17): a benefit of 1,800 yuan between a living
/// allowance of 1,100 and a minimum wage of 2,500; two refusals stop it; a trainee attends
/// 80% of a course's hours, and a course pays at most 3,000 yuan a completion.
pub fn benefit_parameters() -> Value {
    json!({
        "unemployment_monthly_fen": 180_000, "minimum_wage_fen": 250_000,
        "minimum_living_allowance_fen": 110_000, "refusals_to_stop": 2,
        "maternity_divisor_days": 30, "national_disposable_income_fen": 5_431_600,
        "training_attendance_percent": 80, "training_subsidy_max_fen": 300_000
    })
}

/// The test regions' year (UTC+8, as the server dates what it records), not the UTC year.
pub fn this_year() -> String {
    region_date("+%Y")
}

/// The test regions' date (UTC+8, as the server dates settlements and contributions), not
/// the UTC date: from 16:00 UTC on they differ.
pub fn today() -> String {
    region_date("+%Y-%m-%d")
}

fn region_date(format: &str) -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "-d", "+8 hours", format])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Registers a person, insures them through `firm`, declares and pays one month at `wage`
/// yuan, and hands them a collected card of `bank` issued in `region`. Returns (person, card).
#[allow(clippy::too_many_arguments, reason = "test set-up helper")]
pub fn insured_with_card(
    server: &mut Server,
    clerk: &mut Client,
    firm: &str,
    citizen_id: &str,
    wage: i64,
    bank: &str,
    region: &str,
    month: &str,
) -> (String, String) {
    let person = ok(clerk.post(server, "/api/v1/persons", json!({
        "citizen_id": citizen_id, "name": NAME, "nationality": "CHN", "household_region": "330106", "household_kind": "urban"
    })));
    let id = person["id"].as_str().unwrap().to_owned();
    ok(clerk.post(
        server,
        "/api/v1/enrolments",
        json!({ "person_id": id, "kind": "employee", "employer_id": firm, "start_month": month }),
    ));
    let rows =
        json!({ "rows": [{ "citizen_id": citizen_id, "month": month, "wage_fen": wage * 100 }] });
    ok(server.call(
        "POST",
        &format!("/api/v1/employers/{firm}/declaration-rows"),
        Some(&clerk.token),
        None,
        Some(rows),
    ));
    ok(clerk.post(
        server,
        &format!("/api/v1/employers/{firm}/payments"),
        json!({ "month": month }),
    ));
    let card_id = issued_card(server, clerk, &id, citizen_id, bank, region, "window");
    (id, card_id)
}

/// The patient's identification at a hospital's till: the card as read, its printed number
/// and its chip's identification code (from the card's view), never the card id alone.
pub fn card_as_read(server: &mut Server, client: &Client, card: &str) -> Value {
    let view = ok(client.get(server, &format!("/api/v1/cards/{card}")));
    json!({ "card": {
        "card_number": view["card_number"], "identification_code": view["identification_code"]
    } })
}

/// Applies for a card of `bank` issued in `region` for the person, and takes it through
/// production, the distribution point `point` and collection by its holder (ID number and
/// social PIN). Returns the card's id.
pub fn issued_card(
    server: &mut Server,
    clerk: &mut Client,
    person: &str,
    citizen_id: &str,
    bank: &str,
    region: &str,
    point: &str,
) -> String {
    let card = ok(clerk.post(
        server,
        "/api/v1/cards",
        json!({ "person_id": person, "bank_id": bank, "region": region }),
    ));
    let card_id = card["id"].as_str().unwrap().to_owned();
    collected(server, clerk, &card_id, citizen_id, point);
    card_id
}

/// Takes an applied card through production, the distribution point `point` and collection
/// by the holder of `citizen_id`; returns the collected card.
pub fn collected(
    server: &mut Server,
    clerk: &mut Client,
    card: &str,
    citizen_id: &str,
    point: &str,
) -> Value {
    ok(clerk.post(
        server,
        &format!("/api/v1/cards/{card}/production"),
        json!({}),
    ));
    ok(clerk.post(
        server,
        &format!("/api/v1/cards/{card}/ready"),
        json!({ "distribution_point": point }),
    ));
    ok(clerk.post(
        server,
        &format!("/api/v1/cards/{card}/collection"),
        json!({ "citizen_id": citizen_id, "social_pin": SOCIAL_PIN }),
    ))
}

/// Read access to the store a running server writes, straight to the database: for checkers
/// that must not trust the service they check.
pub enum Db {
    Sqlite(rusqlite::Connection),
    Postgres(postgres::Client),
}

impl Db {
    pub fn open(url: &str) -> Db {
        match url.strip_prefix("sqlite:") {
            Some(path) => {
                let conn = rusqlite::Connection::open_with_flags(
                    path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                )
                .unwrap();
                conn.busy_timeout(Duration::from_secs(10)).unwrap();
                Db::Sqlite(conn)
            }
            None => Db::Postgres(postgres::Client::connect(url, postgres::NoTls).unwrap()),
        }
    }

    /// Rows of text columns from one consistent snapshot (every query in one transaction).
    pub fn snapshot(&mut self, queries: &[&str]) -> Vec<Vec<Vec<String>>> {
        match self {
            Db::Sqlite(conn) => {
                let tx = conn.transaction().unwrap();
                let answers = queries
                    .iter()
                    .map(|sql| {
                        let mut statement = tx.prepare(sql).unwrap();
                        let width = statement.column_count();
                        statement
                            .query_map([], |row| {
                                (0..width)
                                    .map(|i| {
                                        row.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                                            rusqlite::types::Value::Integer(n) => n.to_string(),
                                            rusqlite::types::Value::Text(t) => t,
                                            rusqlite::types::Value::Null => String::new(),
                                            other => format!("{other:?}"),
                                        })
                                    })
                                    .collect::<Result<Vec<_>, _>>()
                            })
                            .unwrap()
                            .collect::<Result<Vec<_>, _>>()
                            .unwrap()
                    })
                    .collect();
                tx.commit().unwrap();
                answers
            }
            Db::Postgres(client) => {
                let mut tx = client
                    .build_transaction()
                    .isolation_level(postgres::IsolationLevel::RepeatableRead)
                    .read_only(true)
                    .start()
                    .unwrap();
                let answers = queries
                    .iter()
                    .map(|sql| {
                        tx.query(*sql, &[])
                            .unwrap()
                            .iter()
                            .map(|row| {
                                (0..row.len())
                                    .map(|i| match row.try_get::<_, Option<i64>>(i) {
                                        Ok(number) => number.map(|n| n.to_string()),
                                        Err(_) => row.get::<_, Option<String>>(i),
                                    })
                                    .map(Option::unwrap_or_default)
                                    .collect()
                            })
                            .collect()
                    })
                    .collect();
                tx.commit().unwrap();
                answers
            }
        }
    }
}

pub fn int(cell: &str) -> i64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("not an integer: {cell:?}"))
}

impl Db {
    /// How many audit records the store holds.
    pub fn audit_records(&mut self) -> i64 {
        int(&self.snapshot(&["SELECT CAST(COUNT(*) AS BIGINT) AS n FROM audit_log"])[0][0][0])
    }
}

/// A tiny deterministic generator (xorshift64*), seeded and printed so a run can be replayed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap()
    }

    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn word(&mut self) -> String {
        let letters = b"abcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..1 + self.below(12))
            .map(|_| char::from(*self.pick(letters)))
            .collect()
    }
}

/// A day in seconds.
pub const DAY: i64 = 86_400;

/// The server's clock in a story built with the `test-clock` feature: the system's moved by
/// `offset` seconds, written to `file`, which the server's `SHEBAO_TEST_CLOCK` names.
pub struct TestClock {
    pub file: PathBuf,
    pub offset: i64,
}

impl TestClock {
    /// A clock not moved yet, in a folder of its own.
    pub fn new(tag: &str) -> TestClock {
        let mut clock = TestClock {
            file: temp_dir(&format!("{tag}-clock")).join("clock"),
            offset: 0,
        };
        clock.advance_days(0);
        clock
    }

    pub fn advance_days(&mut self, days: i64) {
        self.advance_seconds(days * DAY);
    }

    pub fn advance_seconds(&mut self, seconds: i64) {
        self.offset += seconds;
        std::fs::write(&self.file, self.offset.to_string()).unwrap();
    }

    /// The region's (UTC+8) date or month on the server's clock, as `date` formats it.
    pub fn region(&self, format: &str) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let at = i64::try_from(now).unwrap() + self.offset + 8 * 3600;
        let out = Command::new("date")
            .args(["-u", "-d", &format!("@{at}"), format])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    pub fn today(&self) -> String {
        self.region("+%Y-%m-%d")
    }

    pub fn month(&self) -> String {
        self.region("+%Y-%m")
    }

    /// The region's date `days` from the clock's today.
    pub fn in_days(&self, days: i64) -> String {
        TestClock {
            file: self.file.clone(),
            offset: self.offset + days * DAY,
        }
        .today()
    }
}

/// What a store holds at rest, as (what, bytes): the SQLite database files (the WAL
/// included) in `dir`, or a data dump of the PostgreSQL schema.
pub fn at_rest(dir: &Path, db: &str, store: Store) -> Vec<(String, Vec<u8>)> {
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
            let dump = succeeded(Command::new("pg_dump").args(["--data-only", db]), "pg_dump");
            assert!(dump.stdout.len() > 10_000);
            vec![("the PostgreSQL dump".to_owned(), dump.stdout)]
        }
    }
}
