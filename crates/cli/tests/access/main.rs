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

#[path = "../common/mod.rs"]
mod common;
mod production;
mod requests;
mod world;

use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};
use shebao_domain::access::Role;
use shebao_http::access_matrix::{Expect, expected};
use shebao_http::api::{Entry, all};

use common::{
    Db, Request, Store, benefit_parameters, card_parameters, contribution_parameters, send,
};
use world::*;

const PASSWORD: &str = "matrix password 1";
const SOCIAL_PIN: &str = "582037";
const FINANCIAL_PIN: &str = "913752";
/// Two men born in 1960: retired, with fifteen years paid, so that every read of a pension
/// finds one. The first is "own" to the acting tenant, the second "another's".
const CITIZENS: [&str; 2] = ["330106196004150039", "330106196005160052"];
/// A valid ID number nobody registers, and one only `register_person` registers.
const UNREGISTERED_CITIZEN: &str = "330106198501010079";
const NEW_CITIZEN: &str = "330106199003071236";
/// Each tenant's leaver, registered as unemployed (issue 17).
const LEAVERS: [&str; 2] = ["330106197002030054", "33010619700304006X"];
/// Each tenant's mother, who claims the maternity allowance (issue 17).
const MOTHERS: [&str; 2] = ["330106199004050023", "330106199105060044"];
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
/// Valid unified social credit codes: each tenant's training provider, and one
/// `register_training_provider` registers.
const PROVIDER_CODES: [&str; 3] = [
    "52330100MJ00000112",
    "52330100MJ00000226",
    "52330100MJ0000033A",
];
/// Operations that change what later rows rely on run after every other one.
const LAST: [&str; 10] = [
    "request_replacement",
    "request_renewal",
    "return_temporary_card",
    "cancel_card",
    "end_enrolment",
    // A leaver's report ends the person's enrolment, which `end_enrolment` ends first.
    "report_leaver",
    // The employer records an outcome of the application first.
    "withdraw_job_application",
    // The provider records the enrolment's attendance and completion first.
    "withdraw_training_enrolment",
    // A new revision: the test cards' audits are recorded on the first one first.
    "change_card_product",
    // The tenants' electronic cards are checked (and their codes shown) first.
    "revoke_ecard",
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
    // Every role signs in again for each of its three sign-outs, all from this address: more
    // than the default 30 a minute.
    let deployment = common::deploy_with(tag, store, &["--sign-in-rate", "600/60"]);
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
    operation: &Entry,
    role: usize,
    target: Target,
    n: usize,
) -> Reply {
    let path = world.path(operation, target, role);
    let payload = world.payload(operation.id(), target, n);
    let token = if operation.id() == "sign_out" {
        // A session of its own, so the user's main session lives on.
        server.sign_in(&world.usernames[role], &world.passwords[role])
    } else {
        world.tokens[role].clone()
    };
    server.send(
        operation.method(),
        &path,
        // `/metrics` takes no session, but a role's session token is sent anyway to show it
        // is not enough.
        (operation.signed_in() || operation.id() == "metrics").then_some(token.as_str()),
        operation.changes(),
        &payload,
    )
}

/// The requests that must add exactly one audit record, and why: every state change that
/// succeeded, every refused authorisation (403), and every read or change of another's
/// record that was hidden as not found. (Signing in and out are audited by the session code
/// and counted in their own tests; a refused validation or a missing record changes
/// nothing and is not a refused authorisation.)
fn audit_rule(
    operation: &Entry,
    expect: Expect,
    target: Target,
    reply: &Reply,
) -> Option<&'static str> {
    if matches!(operation.id(), "sign_in" | "sign_out") {
        return None;
    }
    // Issue 13, finding 8: a look-up by ID number is audited whatever it finds.
    if matches!(operation.id(), "find_person" | "find_cards") {
        return Some("a look-up by ID number adds one record, hit, miss, hidden or refused");
    }
    // 202: a change that waits for a second person (a request), itself a change.
    if operation.changes() && matches!(reply.status, 200 | 202) {
        return Some("a state change adds one record");
    }
    if reply.status == 403 {
        return Some("a refused authorisation adds one record");
    }
    // Issue 13, finding 5: a cashier's person query, pre-settlement, settlement and undo
    // each leave one record, whatever they answer.
    if matches!(
        operation.id(),
        "query_insured" | "pre_settle" | "settle" | "undo_settlement"
    ) && reply.status != 401
    {
        return Some("every counter operation adds one record, refusals included");
    }
    // A cashier's bill numbers live in their own institution's namespace: another
    // institution's bill number names no bill there, so its 404 hides nothing.
    let namespaced = operation.id() == "undo_settlement";
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
    let (first, last): (Vec<&Entry>, Vec<&Entry>) = all().partition(|op| !LAST.contains(&op.id()));
    let mut n = 0;
    for operation in first.into_iter().chain(last) {
        // Nobody anonymous gets past an operation that needs a sign-in, nor past the
        // operator's (which needs the operator's token instead).
        n += 1;
        let closed = operation.signed_in()
            || expected(operation.id(), Role::ALL[0]) == Some(Expect::Operator);
        let anonymous = server.send(
            operation.method(),
            &world.path(operation, Target::Own, 0),
            None,
            operation.changes(),
            &world.payload(operation.id(), Target::Own, n),
        );
        if closed != (anonymous.status == 401) {
            mismatches.push(format!(
                "{} anonymous: {} {}",
                operation.id(),
                anonymous.status,
                anonymous.code()
            ));
        }
        for (column, role) in Role::ALL.into_iter().enumerate() {
            let expect = expected(operation.id(), role)
                .unwrap_or_else(|| panic!("{} has no row in the table", operation.id()));
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
                        operation.id(),
                        role.as_str(),
                        reply.status,
                        reply.code()
                    ));
                }
                if std::env::var_os("ACCESS_MATRIX_TRACE").is_some() {
                    eprintln!(
                        "TRACE {} {} {target:?} {} +{added} audit {}",
                        operation.id(),
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
            if operation.id() == "reset_holder_login"
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
                        operation.id(),
                        role.as_str(),
                        reply.status,
                        reply.body
                    ));
                }
            }
            if let Some(wrong) = judge(expect, operation.changes(), &replies) {
                mismatches.push(format!(
                    "{} as {}: expected {expect:?}, {wrong} ({})",
                    operation.id(),
                    role.as_str(),
                    describe(&replies)
                ));
            }
        }
    }
    eprintln!(
        "access matrix on {tag}: {} operations x {} roles x 3 targets = {checked} checks; \
         {} requests to set up in {:.1?}, {} in all in {:.1?}",
        all().count(),
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
