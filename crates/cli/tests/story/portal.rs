//! The portal story: the web pages driven as a browser would, cookies and forms.

use super::*;

/// A browser's view of the portal: cookies kept, a language chosen.
struct Browser {
    cookies: Vec<(String, String)>,
    language: &'static str,
}

impl Browser {
    fn new(language: &'static str) -> Browser {
        Browser {
            cookies: Vec::new(),
            language,
        }
    }

    /// One request as a browser sends it; returns the status, the Location and the page.
    fn request(
        &mut self,
        server: &mut Server,
        method: &str,
        path: &str,
        form: Option<&[(&str, &str)]>,
    ) -> (u16, String, String) {
        let mut stream = TcpStream::connect(&server.address).unwrap();
        let body = form
            .map(|fields| {
                fields
                    .iter()
                    .map(|(k, v)| format!("{k}={}", encode(v)))
                    .collect::<Vec<_>>()
                    .join("&")
            })
            .unwrap_or_default();
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAccept-Language: {}\r\n",
            server.address, self.language
        );
        if !cookie.is_empty() {
            head.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        if form.is_some() {
            head.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).unwrap();
        server.responses.push(raw.clone());
        let (head, page) = raw.split_once("\r\n\r\n").unwrap();
        let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        let mut location = String::new();
        for line in head.lines() {
            let lower = line.to_ascii_lowercase();
            if let Some(value) = lower
                .strip_prefix("set-cookie: ")
                .map(|_| &line["set-cookie: ".len()..])
            {
                let pair = value.split(';').next().unwrap();
                let (name, value) = pair.split_once('=').unwrap();
                self.cookies.retain(|(k, _)| k != name);
                if !value.is_empty() {
                    self.cookies.push((name.to_owned(), value.to_owned()));
                }
            }
            if lower.starts_with("location: ") {
                location = line["location: ".len()..].to_owned();
            }
        }
        (status, location, page.to_owned())
    }

    /// Posts the sign-in form as a browser does: the page first, for its pre-session
    /// cookie and the form's CSRF token.
    fn post_sign_in(
        &mut self,
        server: &mut Server,
        username: &str,
        password: &str,
    ) -> (u16, String, String) {
        let (_, _, form) = self.request(server, "GET", "/login", None);
        let csrf = hidden(&form, "csrf");
        self.request(
            server,
            "POST",
            "/login",
            Some(&[
                ("username", username),
                ("password", password),
                ("csrf", &csrf),
            ]),
        )
    }

    fn sign_in(&mut self, server: &mut Server, username: &str, password: &str) {
        let (status, location, _) = self.post_sign_in(server, username, password);
        assert_eq!((status, location.as_str()), (303, "/home"));
    }
}

/// Form encoding of one value.
pub(super) fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The value of a hidden field in a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} field"))
        + marker.len();
    page[start..].split('"').next().unwrap().to_owned()
}

/// A holder signs in and sees deposit-only with the next step, in Chinese and English; a
/// teller activates the card through the PIN pad; the holder then sees it active.
fn the_portal_story(server: &mut Server, admin_password: &str) {
    let mut admin = Client::sign_in(server, "admin", admin_password);
    set_up_reference(server, &mut admin);
    let mut clerk = Client::sign_in(server, "clerk", PASSWORD);
    let person = ok(clerk.post(server, "/api/v1/persons", json!({
        "citizen_id": CITIZEN_ID, "name": NAME, "nationality": "CHN", "household_region": "110101", "household_kind": "urban"
    })));
    let card = ok(clerk.post(
        server,
        "/api/v1/cards",
        json!({ "person_id": person["id"], "bank_id": "icbc", "region": "330100" }),
    ));
    let card_id = card["id"].as_str().unwrap().to_owned();
    collect(server, &mut clerk, &card_id);
    // Issue 13, finding 6: the administrator cannot make the holder's login; the holder
    // enrols with the ID number and the collected card's data, a wrong PIN answering like
    // any other wrong part.
    refused(
        admin.post(server, "/api/v1/users", json!({ "username": "impostor", "password": PASSWORD, "role": "cardholder", "person_id": person["id"] })),
        "holder_login_by_enrolment",
    );
    let mut enrolment = json!({
        "citizen_id": CITIZEN_ID, "card_number": card["card_number"], "identification_code": card["identification_code"],
        "social_pin": "000000", "username": "holder", "password": PASSWORD
    });
    refused(
        server.call(
            "POST",
            "/api/v1/holder-logins",
            None,
            None,
            Some(enrolment.clone()),
        ),
        "holder_enrolment_refused",
    );
    enrolment["social_pin"] = json!(SOCIAL_PIN);
    let enrolled = ok(server.call(
        "POST",
        "/api/v1/holder-logins",
        None,
        None,
        Some(enrolment.clone()),
    ));
    assert_eq!(enrolled["person_id"], person["id"]);
    refused(
        server.call("POST", "/api/v1/holder-logins", None, None, Some(enrolment)),
        "holder_login_exists",
    );

    let mut zh = Browser::new("zh-CN,zh;q=0.9");
    assert_eq!(
        zh.request(server, "GET", "/home", None).1,
        "/login?next=%2Fhome"
    );
    let (status, _, page) = zh.post_sign_in(server, "holder", "wrong password");
    assert!(status == 401 && page.contains("用户名或密码不正确"));
    zh.sign_in(server, "holder", PASSWORD);
    let (status, _, home) = zh.request(server, "GET", "/home", None);
    assert_eq!(status, 200);
    assert!(
        home.contains("只收不付")
            && home.contains("到<span translate=\"no\">icbc</span>任一网点激活"),
        "{home}"
    );
    assert!(home.contains("lang=\"zh-CN\""));
    let mut en = Browser::new("en-US,en;q=0.9");
    // A cardholder may sign in with the ID number instead of the username.
    en.sign_in(server, CITIZEN_ID, PASSWORD);
    let (_, _, english) = en.request(server, "GET", "/home", None);
    assert!(
        english.contains("deposit-only")
            && english.contains("any branch of <span translate=\"no\">icbc</span>"),
        "{english}"
    );
    let (_, _, help) = zh.request(server, "GET", "/help", None);
    assert!(
        help.contains("尚未激活金融功能") && help.contains("社保卡需要到银行激活吗"),
        "{help}"
    );
    for path in [
        "/holder/contributions",
        "/holder/accounts",
        "/holder/settlements",
        "/holder/certificate",
        "/holder/pin",
    ] {
        assert_eq!(zh.request(server, "GET", path, None).0, 200, "{path}");
    }
    // The switch sticks: the English browser chooses Chinese.
    en.request(server, "GET", "/lang/zh", None);
    assert!(
        en.request(server, "GET", "/home", None)
            .2
            .contains("只收不付")
    );

    let mut teller = Browser::new("zh-CN");
    teller.sign_in(server, "teller", PASSWORD);
    let (_, _, desk) = teller.request(
        server,
        "GET",
        &format!("/desk/card?card_id={card_id}"),
        None,
    );
    assert!(
        desk.contains("type=\"password\"") && desk.contains("激活金融功能"),
        "{desk}"
    );
    let (csrf, key) = (hidden(&desk, "csrf"), hidden(&desk, "key"));
    let path = format!("/desk/cards/{card_id}/activate");
    let forged = teller.request(
        server,
        "POST",
        &path,
        Some(&[
            ("csrf", "forged"),
            ("key", &key),
            ("citizen_id", CITIZEN_ID),
            ("pin", FINANCIAL_PIN),
        ]),
    );
    assert_eq!(forged.0, 403);
    let (status, _, done) = teller.request(
        server,
        "POST",
        &path,
        Some(&[
            ("csrf", &csrf),
            ("key", &key),
            ("citizen_id", CITIZEN_ID),
            ("pin", FINANCIAL_PIN),
        ]),
    );
    assert_eq!(status, 200, "{done}");
    assert!(done.contains("金融功能已激活") && done.contains("data-financial=\"active\""));
    let (_, _, after) = zh.request(server, "GET", "/home", None);
    assert!(
        after.contains("已激活") && after.contains("两项功能均可使用"),
        "{after}"
    );
    the_namesakes_page(server, &mut clerk, &mut teller, &card);
    let (deposit, statement, history) =
        the_records_pages(server, &mut teller, &mut zh, &card_id, &clerk);
    for page in [
        &home, &english, &desk, &done, &after, &deposit, &statement, &history,
    ] {
        assert!(
            !page.contains(CITIZEN_ID) && !page.contains(FINANCIAL_PIN),
            "a page shows a secret"
        );
    }
    let signed_out = zh.request(
        server,
        "POST",
        "/logout",
        Some(&[("csrf", &hidden(&after, "csrf"))]),
    );
    assert_eq!(signed_out.1, "/login");
    assert_eq!(
        zh.request(server, "GET", "/home", None).1,
        "/login?next=%2Fhome"
    );
}

/// Issue 15, item 3: a clerk's search by name finds two namesakes and lists both on a page
/// whose address holds card ids only; a teller may not search by name.
fn the_namesakes_page(server: &mut Server, clerk: &mut Client, teller: &mut Browser, card: &Value) {
    let namesake = ok(clerk.post(server, "/api/v1/persons", json!({
        "citizen_id": "11010519491231002X", "name": NAME, "nationality": "CHN", "household_region": "110101", "household_kind": "urban"
    })));
    let other = ok(clerk.post(
        server,
        "/api/v1/cards",
        json!({ "person_id": namesake["id"], "bank_id": "icbc", "region": "330100" }),
    ));
    let mut desk = Browser::new("zh-CN");
    desk.sign_in(server, "clerk", PASSWORD);
    let (_, _, home) = desk.request(server, "GET", "/home", None);
    assert!(
        home.contains("<option value=\"name\""),
        "the clerk is offered the name"
    );
    let csrf = hidden(&home, "csrf");
    let (status, found_at, _) = desk.request(
        server,
        "POST",
        "/desk/cards/find",
        Some(&[("csrf", &csrf), ("by", "name"), ("number", NAME)]),
    );
    assert_eq!(status, 303);
    assert!(
        found_at.starts_with("/desk/cards/found?cards="),
        "{found_at}"
    );
    assert!(!found_at.contains(&encode(NAME)) && !found_at.contains(NAME));
    let (status, _, page) = desk.request(server, "GET", &found_at, None);
    assert_eq!(status, 200, "{page}");
    for number in [&card["card_number"], &other["card_number"]] {
        assert!(page.contains(number.as_str().unwrap()), "{page}");
    }
    assert!(page.contains(&format!(
        "/clerk/persons/{}",
        namesake["id"].as_str().unwrap()
    )));
    assert!(!page.contains(NAME), "a namesake's name unmasked");
    // The teller's desk offers no search by name, and the server refuses one.
    let (_, _, teller_home) = teller.request(server, "GET", "/home", None);
    assert!(!teller_home.contains("<option value=\"name\""));
    let teller_csrf = hidden(&teller_home, "csrf");
    let refused = teller.request(
        server,
        "POST",
        "/desk/cards/find",
        Some(&[("csrf", &teller_csrf), ("by", "name"), ("number", NAME)]),
    );
    assert_eq!(refused.0, 403);
    assert_eq!(teller.request(server, "GET", &found_at, None).0, 403);
}

/// Issue 15, "what people expect": a deposit's printable receipt, the holder's statement
/// of one account by dates with its chart and CSV export, the card's history on the
/// holder's and the clerk's pages, and a reported loss among the home page's
/// notifications. Returns the receipt, the statement and the clerk's card page.
fn the_records_pages(
    server: &mut Server,
    teller: &mut Browser,
    holder: &mut Browser,
    card_id: &str,
    clerk_api: &Client,
) -> (String, String, String) {
    let (_, _, desk) = teller.request(
        server,
        "GET",
        &format!("/desk/card?card_id={card_id}"),
        None,
    );
    let (status, _, deposit) = teller.request(
        server,
        "POST",
        &format!("/desk/cards/{card_id}/deposit"),
        Some(&[
            ("csrf", &hidden(&desk, "csrf")),
            ("key", &hidden(&desk, "key")),
            ("amount_yuan", "1234.5"),
        ]),
    );
    assert_eq!(status, 200, "{deposit}");
    assert!(
        deposit.contains("class=\"card receipt\"")
            && deposit.contains("存款回执")
            && deposit.contains("<dd translate=\"no\">1234.50</dd>")
            && deposit.contains("data-print")
            && deposit.contains("<dd translate=\"no\">teller</dd>"),
        "{deposit}"
    );

    let card = ok(clerk_api.get(server, &format!("/api/v1/cards/{card_id}")));
    let account = card["account_id"].as_str().unwrap().to_owned();
    let (_, _, accounts) = holder.request(server, "GET", "/holder/accounts", None);
    assert!(
        accounts.contains(&format!("href=\"/holder/accounts/{account}\""))
            && accounts.contains("href=\"/holder/accounts/pension\""),
        "{accounts}"
    );
    let today = today();
    let path = format!("/holder/accounts/{account}?from={today}&to={today}");
    let (status, _, statement) = holder.request(server, "GET", &path, None);
    assert_eq!(status, 200, "{statement}");
    assert!(
        statement.contains("1234.50")
            && statement.contains("<svg")
            && statement.contains("余额变化")
            && statement.contains(&format!("statement.csv?from={today}&#38;to={today}")),
        "{statement}"
    );
    // Entries of another day: none; a date that is not one is said, in the page's language.
    let (_, _, earlier) = holder.request(
        server,
        "GET",
        &format!("/holder/accounts/{account}?to=2000-01-01"),
        None,
    );
    assert!(
        earlier.contains("暂无记录") && !earlier.contains("<td>1234.50</td>"),
        "{earlier}"
    );
    let (_, _, bad) = holder.request(
        server,
        "GET",
        &format!("/holder/accounts/{account}?from=01%2F12%2F2026"),
        None,
    );
    assert!(bad.contains("日期应写作 YYYY-MM-DD"), "{bad}");
    let (status, _, csv) = holder.request(
        server,
        "GET",
        &format!("/holder/accounts/{account}/statement.csv?from={today}"),
        None,
    );
    assert_eq!(status, 200);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("\"时间\",\"摘要\""), "{csv}");
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with(",\"现金存款\",\"1234.50\",\"1234.50\"")),
        "{csv}"
    );
    // Another holder's account is not found.
    assert_eq!(
        holder
            .request(server, "GET", "/holder/accounts/acc_not_mine", None)
            .0,
        404
    );

    let (_, _, home) = holder.request(server, "GET", "/home", None);
    assert!(
        home.contains("卡片记录")
            && home.contains("data-action=\"card.collect\"")
            && home.contains("data-action=\"account.activate\""),
        "{home}"
    );
    let (_, _, confirm) =
        holder.request(server, "GET", &format!("/home/cards/{card_id}/loss"), None);
    let (status, location, _) = holder.request(
        server,
        "POST",
        &format!("/home/cards/{card_id}/loss"),
        Some(&[
            ("csrf", &hidden(&confirm, "csrf")),
            ("key", &hidden(&confirm, "key")),
        ]),
    );
    assert_eq!(
        (status, location.as_str()),
        (303, "/home?done=loss_reported")
    );
    let (_, _, lost) = holder.request(server, "GET", "/home", None);
    assert!(
        lost.contains("消息提醒")
            && lost.contains("data-notice=\"loss\"")
            && lost.contains("data-action=\"card.report_loss\""),
        "{lost}"
    );
    let (status, _, _) = holder.request(
        server,
        "POST",
        &format!("/home/cards/{card_id}/loss/cancel"),
        Some(&[
            ("csrf", &hidden(&lost, "csrf")),
            ("key", &hidden(&lost, "key")),
        ]),
    );
    assert_eq!(status, 303);

    let mut clerk = Browser::new("en-US");
    clerk.sign_in(server, "clerk", PASSWORD);
    let (_, _, history) = clerk.request(server, "GET", &format!("/clerk/cards/{card_id}"), None);
    assert!(
        history.contains("Card history")
            && history.contains("Card collected")
            && history.contains("Loss reported")
            && history.contains("Loss report withdrawn"),
        "{history}"
    );
    (deposit, statement, history)
}

#[test]
fn the_portal_story_on_sqlite() {
    let mut run = deploy("portal-sqlite", Store::Sqlite);
    the_portal_story(&mut run.server, &run.password);
    let (log, responses) = (run.server.log.clone(), run.server.responses.join("\n"));
    drop(run.server);
    assert_nothing_leaks("portal responses", responses.as_bytes());
    assert_nothing_leaks("the server log", &std::fs::read(&log).unwrap());
}
