//! The auditor's desk: the audit trail with filters, and verification of every chain.

use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use shebao_app::views::{AuditRecordView, AuditVerification};
use shebao_domain::access::Role;
use shebao_store::AuditFilter;

use crate::Shared;
use crate::portal::i18n::tr;
use crate::portal::i18n::{Lang, LocalClock};
use crate::portal::page::desk_only;
use crate::portal::page::esc;
use crate::portal::page::form::Posted;
use crate::portal::page::form::form_guard;
use crate::portal::page::form::posted_form;
use crate::portal::page::html;
use crate::portal::page::notice;
use crate::portal::page::page;
use crate::portal::page::refusal;
use crate::portal::page::table::table_template;
use crate::portal::session::Browser;
use crate::portal::session::Visit;
use crate::portal::session::blocking;

/// Audit records one trail page lists.
pub(crate) const TRAIL_LIMIT: i64 = 200;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/auditor/trail", get(auditor_trail))
        .route("/auditor/verify", post(auditor_verify))
}

/// The auditor's desk on the home page.
pub(crate) async fn home(s: &Shared, lang: Lang, browser: &Browser) -> String {
    auditor_desk(s, lang, browser, &TrailQuery::default(), String::new())
        .await
        .1
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TrailQuery {
    actor: Option<String>,
    action: Option<String>,
    subject: Option<String>,
}

/// A filter field: an empty box means no filter.
fn filter_value(value: Option<&String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn audit_filter(query: &TrailQuery) -> AuditFilter {
    AuditFilter {
        actor: filter_value(query.actor.as_ref()),
        action: filter_value(query.action.as_ref()),
        subject: filter_value(query.subject.as_ref()),
        limit: TRAIL_LIMIT,
    }
}

table_template!(
    TrailTable,
    "auditor/trail.html",
    AuditRecordView,
    clock: LocalClock,
);

fn trail_table(lang: Lang, clock: LocalClock, records: &[AuditRecordView]) -> String {
    html(&TrailTable {
        words: lang.words(),
        rows: records,
        clock,
    })
}

fn verification_result(lang: Lang, verification: &AuditVerification) -> String {
    let mut html = if verification.intact {
        notice(
            "ok",
            &format!(
                "{}{}",
                tr(
                    lang,
                    "所有审计链完整。记录数：",
                    "Every chain is intact. Records: "
                ),
                verification.records
            ),
        )
    } else {
        notice(
            "error",
            &format!(
                "{}{}",
                tr(
                    lang,
                    "审计链有断裂！记录数：",
                    "A chain is broken! Records: "
                ),
                verification.records
            ),
        )
    };
    if !verification.breaks.is_empty() {
        html.push_str("<ul class=\"breaks\">");
        for broken in &verification.breaks {
            html.push_str(&format!("<li><code>{}</code></li>", esc(broken)));
        }
        html.push_str("</ul>");
    }
    html
}

/// The trail's filter boxes, each with its current value and an example.
fn filter_inputs(lang: Lang, query: &TrailQuery) -> String {
    [
        ("actor", tr(lang, "操作人", "Actor"), &query.actor, "bank_teller:alice"),
        ("action", tr(lang, "操作", "Action"), &query.action, "person.unmask"),
        ("subject", tr(lang, "对象", "Subject"), &query.subject, "card:…"),
    ]
    .iter()
    .map(|(name, label, value, example)| {
        format!(
            "<label for=\"f_{name}\">{label}</label><input id=\"f_{name}\" name=\"{name}\" value=\"{value}\" placeholder=\"{example}\">",
            value = esc(value.as_deref().unwrap_or("")),
        )
    })
    .collect()
}

pub(crate) async fn auditor_desk(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    query: &TrailQuery,
    message: String,
) -> (StatusCode, String) {
    let (actor, filter) = (browser.actor.clone(), audit_filter(query));
    let clock = LocalClock::of(s, browser).await;
    let (status, records) = match blocking(s, move |app| app.audit_records(&actor, filter)).await {
        Ok(records) => (StatusCode::OK, trail_table(lang, clock, &records)),
        Err(error) => refusal(lang, &error),
    };
    let body = format!(
        "<h1>{title}</h1>{message}\
         <form method=\"get\" action=\"/auditor/trail\" class=\"card\"><h2>{filter_title}</h2>\
         {filters}<button type=\"submit\">{show}</button></form>\
         <p><a href=\"/auditor/trail?action=person.unmask\">{unmasked}</a> · <a href=\"/auditor/trail\">{all}</a></p>\
         <form method=\"post\" action=\"/auditor/verify\" class=\"card\">{guard}<h2>{verify_title}</h2><p>{verify_explain}</p>\
         <button type=\"submit\">{verify}</button></form>{records}",
        title = tr(lang, "审计", "Audit"),
        filter_title = tr(lang, "筛选（留空表示不限）", "Filters (empty means any)"),
        filters = filter_inputs(lang, query),
        show = tr(lang, "查看", "Show"),
        unmasked = tr(lang, "谁查看了完整身份信息", "Who unmasked what"),
        all = tr(lang, "全部记录", "All records"),
        guard = form_guard(browser),
        verify_title = tr(lang, "校验审计链", "Verify the audit chains"),
        verify_explain = tr(
            lang,
            "逐条校验每条审计链的哈希、链接和连续性。",
            "Checks every record's hash, every link and that nothing is missing or cut off.",
        ),
        verify = tr(lang, "开始校验", "Verify"),
    );
    (status, body)
}

async fn auditor_trail(visit: Visit, Query(query): Query<TrailQuery>) -> Response {
    let Visit { s, browser, lang } = visit;
    if let Some(refusal) = desk_only(lang, &browser, Role::Auditor) {
        return refusal;
    }
    let (status, body) = auditor_desk(&s, lang, &browser, &query, String::new()).await;
    page(lang, status, Some(&browser), &body)
}

#[derive(Deserialize)]
pub(crate) struct VerifyForm {
    csrf: String,
}

posted_form!(Some(Role::Auditor) => VerifyForm);

async fn auditor_verify(Posted(visit, _, _): Posted<VerifyForm>) -> Response {
    let Visit { s, browser, lang } = visit;
    let outcome = browser.call(&s, |app, actor| app.verify_audit(actor)).await;
    let (status, message) = match outcome {
        Ok(verification) => (StatusCode::OK, verification_result(lang, &verification)),
        Err(error) => refusal(lang, &error),
    };
    let (listed, body) = auditor_desk(&s, lang, &browser, &TrailQuery::default(), message).await;
    let status = if status == StatusCode::OK {
        listed
    } else {
        status
    };
    page(lang, status, Some(&browser), &body)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use crate::portal::teller::url_component;

    #[test]
    fn empty_trail_filters_mean_none() {
        let query = TrailQuery {
            actor: Some("  ".into()),
            action: Some(" person.unmask ".into()),
            subject: None,
        };
        let filter = audit_filter(&query);
        assert_eq!(filter.actor, None);
        assert_eq!(filter.action.as_deref(), Some("person.unmask"));
        assert_eq!(filter.subject, None);
        assert_eq!(filter.limit, TRAIL_LIMIT);
        assert_eq!(url_component("card_1 /x"), "card_1%20%2Fx");
    }
}
