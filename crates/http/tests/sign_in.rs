//! Signing in, through the router as the server runs it: the per-address limit (the API and
//! the portal share one window per client address, on a clock the test moves by hand), and
//! the portal session's rotation at sign-in and end at sign-out.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER, SET_COOKIE};
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use shebao_app::App;
use shebao_http::sign_in_limit::Ticks;
use shebao_http::{SignInLimiter, SignInRate, router_with};
use shebao_store::AuditFilter;
use tower::ServiceExt;

mod common;

const ATTEMPTS_MAX: u32 = 3;

struct Server {
    router: Router,
    app: App,
    /// Milliseconds the limiter's clock has moved.
    elapsed_millis: Arc<AtomicU64>,
    admin_password: String,
}

fn server() -> Server {
    server_with(Vec::new())
}

/// A server whose per-address limits trust `proxies`' `X-Forwarded-For`.
fn server_with(proxies: Vec<IpAddr>) -> Server {
    let app = common::app("sign-in");
    let (_, admin_password) = app.init_administrator("admin").unwrap();
    let start = Instant::now();
    let elapsed_millis = Arc::new(AtomicU64::new(0));
    let read = Arc::clone(&elapsed_millis);
    let ticks: Ticks = Arc::new(move || start + Duration::from_millis(read.load(Ordering::SeqCst)));
    let rate = SignInRate {
        attempts_max: ATTEMPTS_MAX,
        window: Duration::from_secs(60),
    };
    Server {
        router: router_with(
            app.clone(),
            SignInLimiter::new(rate, ticks).with_trusted_proxies(proxies),
        ),
        app,
        elapsed_millis,
        admin_password,
    }
}

fn address(last: u8) -> SocketAddr {
    SocketAddr::new(IpAddr::V4(Ipv4Addr::new(198, 51, 100, last)), 40_000)
}

impl Server {
    async fn send(
        &self,
        from: SocketAddr,
        request: Request<Body>,
    ) -> (StatusCode, Option<String>, String) {
        let mut request = request;
        request.extensions_mut().insert(ConnectInfo(from));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_owned());
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (
            status,
            retry_after,
            String::from_utf8_lossy(&body).into_owned(),
        )
    }

    /// `POST /api/v1/sessions` from `from`.
    async fn sign_in(
        &self,
        from: SocketAddr,
        username: &str,
        password: &str,
    ) -> (StatusCode, Option<String>, String) {
        let body = json!({ "username": username, "password": password }).to_string();
        let request = Request::post("/api/v1/sessions")
            .header(CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap();
        self.send(from, request).await
    }

    /// The sign-in page's pre-session cookie and the form's CSRF token (issue 13, part of
    /// 12: the login form carries a token bound to a cookie).
    async fn login_form(&self) -> (String, String) {
        let request = Request::get("/login")
            .header("accept-language", "en")
            .body(Body::empty())
            .unwrap();
        let mut request = request;
        request.extensions_mut().insert(ConnectInfo(address(9)));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
        let nonce = cookie
            .strip_prefix("shebao_login=")
            .and_then(|rest| rest.split(';').next())
            .unwrap()
            .to_owned();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        let page = String::from_utf8_lossy(&body).into_owned();
        (format!("shebao_login={nonce}"), csrf_of(&page))
    }

    /// The portal's sign-in form from `from`.
    async fn portal_sign_in(
        &self,
        from: SocketAddr,
        username: &str,
    ) -> (StatusCode, Option<String>, String) {
        let (cookie, csrf) = self.login_form().await;
        let request = Request::post("/login")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("accept-language", "en")
            .header("cookie", cookie)
            .body(Body::from(format!(
                "username={username}&password=wrong+password+here&csrf={csrf}"
            )))
            .unwrap();
        self.send(from, request).await
    }

    /// The portal's sign-in form with the right password, presenting `session` as the
    /// browser's cookie if given; returns the new session cookie's value.
    async fn portal_session(
        &self,
        username: &str,
        password: &str,
        session: Option<&str>,
    ) -> String {
        let (login_cookie, csrf) = self.login_form().await;
        let mut request = Request::post("/login")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("accept-language", "en");
        request = match session {
            Some(session) => request.header(
                "cookie",
                format!("shebao_session={session}; {login_cookie}"),
            ),
            None => request.header("cookie", login_cookie),
        };
        let body = format!(
            "username={username}&password={}&csrf={csrf}",
            form_encoded(password)
        );
        let mut request = request.body(Body::from(body)).unwrap();
        request.extensions_mut().insert(ConnectInfo(address(9)));
        let response = self.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
        cookie
            .strip_prefix("shebao_session=")
            .and_then(|rest| rest.split(';').next())
            .unwrap()
            .to_owned()
    }

    /// A portal page for the browser holding `session`: its status and body.
    async fn portal_page(&self, path: &str, session: &str) -> (StatusCode, String) {
        let request = Request::get(path)
            .header("cookie", format!("shebao_session={session}"))
            .header("accept-language", "en")
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = self.send(address(9), request).await;
        (status, body)
    }

    fn advance(&self, seconds: u64) {
        self.elapsed_millis
            .fetch_add(seconds * 1_000, Ordering::SeqCst);
    }

    fn throttled_audit_records(&self) -> Vec<String> {
        let filter = AuditFilter {
            action: Some("session.sign_in".into()),
            limit: 1_000,
            ..AuditFilter::default()
        };
        self.app
            .store()
            .read(move |tx| tx.audit_records(&filter))
            .unwrap()
            .into_iter()
            .filter(|record| record.outcome == "refused:too_many_requests")
            .map(|record| record.subject)
            .collect()
    }
}

#[tokio::test]
async fn the_attempt_after_the_limit_from_one_address_is_refused_whatever_the_username() {
    let server = server();
    let attacker = address(1);
    for n in 0..ATTEMPTS_MAX {
        let (status, _, _) = server
            .sign_in(attacker, &format!("user-{n}"), "wrong password")
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    let (status, retry_after, body) = server
        .sign_in(attacker, "another-user", "wrong password")
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after.as_deref(), Some("60"));
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["code"], "too_many_requests");
    assert_eq!(problem["status"], 429);
    // Even the right password is not checked from this address until the window ends.
    server.advance(45);
    let (status, retry_after, _) = server
        .sign_in(attacker, "admin", &server.admin_password)
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after.as_deref(), Some("15"));
    // The portal's form shares the window, and answers with its page.
    let (status, retry_after, page) = server.portal_sign_in(attacker, "admin").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after.as_deref(), Some("15"));
    assert!(page.contains("Too many sign-in attempts"), "{page}");
    // One audit record for the window, however many attempts were refused.
    assert_eq!(
        server.throttled_audit_records(),
        vec!["client:198.51.100.1"]
    );
}

#[tokio::test]
async fn other_addresses_are_unaffected_and_the_window_resets() {
    let server = server();
    let attacker = address(1);
    for _ in 0..=ATTEMPTS_MAX {
        server.portal_sign_in(attacker, "nobody").await;
    }
    let (status, _, _) = server.sign_in(attacker, "nobody", "wrong password").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let (status, _, body) = server
        .sign_in(address(2), "admin", &server.admin_password)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, _) = server.sign_in(address(3), "nobody", "wrong password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    server.advance(60);
    let (status, _, _) = server.sign_in(attacker, "nobody", "wrong password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a new window");
}

#[tokio::test]
async fn successful_sign_ins_give_their_attempt_back() {
    let server = server();
    let office = address(7);
    for _ in 0..(2 * ATTEMPTS_MAX) {
        let (status, _, body) = server
            .sign_in(office, "admin", &server.admin_password)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    for _ in 0..ATTEMPTS_MAX {
        let (status, _, _) = server.sign_in(office, "admin", "wrong password").await;
        assert_ne!(status, StatusCode::TOO_MANY_REQUESTS);
    }
    let (status, _, _) = server
        .sign_in(office, "admin", &server.admin_password)
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

#[test]
fn the_openapi_document_gives_sign_in_its_429() {
    let document = shebao_http::api::document::document();
    let sign_in = &document["paths"]["/api/v1/sessions"]["post"]["responses"]["429"];
    assert!(sign_in["headers"]["Retry-After"].is_object(), "{sign_in}");
    assert!(document["paths"]["/api/v1/me"]["get"]["responses"]["429"].is_null());
}

/// The value of a page's first `csrf` field.
fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned()
}

fn form_encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_portal_sign_in_rotates_the_session_and_sign_out_ends_it() {
    let server = server();
    let password = server.admin_password.clone();
    // A session the browser already holds (or one an attacker planted in it) ends when the
    // next sign-in begins: the new session has a new token.
    let planted = server.portal_session("admin", &password, None).await;
    let session = server
        .portal_session("admin", &password, Some(&planted))
        .await;
    assert_ne!(planted, session);
    assert_eq!(
        server.app.authenticate(&planted).unwrap_err().code(),
        "unauthenticated"
    );
    let (status, home) = server.portal_page("/home", &session).await;
    assert_eq!(status, StatusCode::OK, "{home}");
    // Sign-out with the page's CSRF token ends the session for good.
    let csrf = home
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let request = Request::post("/logout")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("cookie", format!("shebao_session={session}"))
        .body(Body::from(format!("csrf={csrf}")))
        .unwrap();
    let (status, _, _) = server.send(address(9), request).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        server.app.authenticate(&session).unwrap_err().code(),
        "unauthenticated"
    );
    let (status, _) = server.portal_page("/home", &session).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "back to the sign-in page");
    // Both ends were audited: the rotated session and the signed-out one.
    let filter = AuditFilter {
        action: Some("session.sign_out".into()),
        limit: 10,
        ..AuditFilter::default()
    };
    let ended = server
        .app
        .store()
        .read(move |tx| tx.audit_records(&filter))
        .unwrap();
    assert_eq!(ended.len(), 2);
}

/// Everything of an answer but a body that names seconds: status, code, `Retry-After`
/// present, content type.
async fn shape(server: &Server, from: SocketAddr, login: &str) -> (StatusCode, String, String) {
    let (status, retry_after, body) = server.sign_in(from, login, "wrong password").await;
    let problem: Value = serde_json::from_str(&body).unwrap();
    let code = problem["code"].as_str().unwrap().to_owned();
    let detail = if status == StatusCode::UNAUTHORIZED {
        problem["detail"].as_str().unwrap().to_owned()
    } else {
        format!("retry-after {}", retry_after.is_some())
    };
    (status, code, detail)
}

// Issue 13, finding 7: five wrong passwords delay the (login, address) pair only, never the
// login: the right password from another address signs in. An unknown name is answered
// exactly like a known one, and delayed the same way.
#[tokio::test]
async fn failures_delay_the_pair_alike_for_known_and_unknown_names_and_not_the_login() {
    let server = server();
    let mut answers = Vec::new();
    for (n, login) in [(20, "admin"), (21, "nobody")] {
        let mut seen = Vec::new();
        for attempt in 0..6 {
            if attempt % ATTEMPTS_MAX == 0 {
                server.advance(60);
            }
            seen.push(shape(&server, address(n), login).await);
        }
        answers.push(seen);
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0][0].0, StatusCode::UNAUTHORIZED);
    assert_eq!(answers[0][4].0, StatusCode::UNAUTHORIZED);
    assert_eq!(answers[0][5].0, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answers[0][5].1, "sign_in_locked");
    assert_eq!(answers[0][5].2, "retry-after true");
    let (status, retry_after, _) = server.sign_in(address(20), "admin", "wrong password").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let seconds: u64 = retry_after.unwrap().parse().unwrap();
    assert!((1..=30).contains(&seconds), "{seconds}");
    let (status, _, body) = server
        .sign_in(address(30), "admin", &server.admin_password)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

// Issue 13, part of finding 12: the portal's sign-in form refuses a POST without the token
// of the browser's own pre-session cookie (login CSRF).
#[tokio::test]
async fn the_portal_sign_in_refuses_a_post_without_a_valid_csrf_token() {
    let server = server();
    let password = form_encoded(&server.admin_password);
    let (cookie, csrf) = server.login_form().await;
    let (other_cookie, _) = server.login_form().await;
    let attempts = [
        (None, format!("username=admin&password={password}")),
        (
            Some(cookie.clone()),
            format!("username=admin&password={password}"),
        ),
        (
            Some(cookie.clone()),
            format!("username=admin&password={password}&csrf={}", "0".repeat(64)),
        ),
        (
            None,
            format!("username=admin&password={password}&csrf={csrf}"),
        ),
        (
            Some(other_cookie),
            format!("username=admin&password={password}&csrf={csrf}"),
        ),
    ];
    for (n, (cookie, body)) in attempts.into_iter().enumerate() {
        let mut request = Request::post("/login")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("accept-language", "en");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let request = request.body(Body::from(body)).unwrap();
        let (status, _, page) = server.send(address(50), request).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "attempt {n}: {page}");
        assert!(page.contains("The form has expired"), "{page}");
    }
    let request = Request::post("/login")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("cookie", cookie)
        .body(Body::from(format!(
            "username=admin&password={password}&csrf={csrf}"
        )))
        .unwrap();
    let (status, _, _) = server.send(address(50), request).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn portal_forms_and_paths_refuse_nul() {
    let server = server();
    let request = Request::post("/login")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("accept-language", "en")
        .body(Body::from("username=ad%00min&password=whatever+it+is"))
        .unwrap();
    let (status, _, page) = server.send(address(40), request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("not allowed (NUL)"), "{page}");
    let request = Request::get("/lang/e%00n")
        .header("accept-language", "en")
        .body(Body::empty())
        .unwrap();
    let (status, _, _) = server.send(address(40), request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// `POST /api/v1/sessions` with a wrong password from `peer`, forwarded for `client`.
async fn forwarded_sign_in(server: &Server, peer: SocketAddr, client: &str) -> StatusCode {
    let body = json!({ "username": "admin", "password": "wrong password here" }).to_string();
    let request = Request::post("/api/v1/sessions")
        .header(CONTENT_TYPE, "application/json")
        .header("x-forwarded-for", format!("198.18.0.9, {client}"))
        .body(Body::from(body))
        .unwrap();
    server.send(peer, request).await.0
}

// Review of issue 13, finding 7: behind a trusted reverse proxy every client has a window of
// its own (the right-most forwarded address), so one client cannot shut out the others; a
// forwarded header from any other peer is ignored.
#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_window() {
    let proxy = address(1);
    let server = server_with(vec![proxy.ip()]);
    for _ in 0..ATTEMPTS_MAX {
        assert_eq!(
            forwarded_sign_in(&server, proxy, "203.0.113.5").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        forwarded_sign_in(&server, proxy, "203.0.113.5").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        forwarded_sign_in(&server, proxy, "203.0.113.6").await,
        StatusCode::UNAUTHORIZED
    );
    // A peer that is no trusted proxy is its own client, whatever it forwards.
    let stranger = address(2);
    for n in 0..ATTEMPTS_MAX {
        let client = format!("203.0.113.{}", 10 + n);
        assert_eq!(
            forwarded_sign_in(&server, stranger, &client).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        forwarded_sign_in(&server, stranger, "203.0.113.99").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}
