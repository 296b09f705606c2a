//! The auditor's desk: the audit trail searched by parts of the actor or subject, by action
//! and by local dates, paged newest first and exported as CSV; actions and outcomes in
//! words; verification of every chain.

use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use shebao_app::views::{AuditRecordView, AuditVerification};
use shebao_domain::access::Role;
use shebao_domain::time::{Date, Timestamp};
use shebao_store::AuditFilter;

use crate::Shared;
use crate::portal::i18n::{Lang, LocalClock};
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::table::table_template;
use crate::portal::page::{desk_only, esc, html, notice, page, refusal};
use crate::portal::session::{Browser, Visit};
use crate::portal::teller::url_component;
use crate::portal::words::Words;
use crate::portal::words::audit_actions::AUDIT_ACTIONS;

/// Audit records one trail page lists.
pub(crate) const TRAIL_PAGE: i64 = 50;
/// Most records one CSV export holds; a larger selection is cut there, and the file's last
/// line says so (narrow the filters or export by date).
pub(crate) const EXPORT_MAX: usize = 10_000;
/// Records the export reads at a time (the application's largest page).
const EXPORT_BATCH: i64 = 1_000;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/auditor/trail", get(auditor_trail))
        .route("/auditor/trail.csv", get(auditor_export))
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
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// The last record of the page before: `at.chain.seq`.
    #[serde(default)]
    after: String,
}

/// A filter box's value: an empty box means no filter.
fn filter_value(value: &str) -> Option<String> {
    Some(value.trim().to_owned()).filter(|v| !v.is_empty())
}

/// A date box's value: none, a local date, or not a date.
fn date_value(value: &str) -> Result<Option<Date>, ()> {
    match filter_value(value) {
        None => Ok(None),
        Some(text) => Date::parse_iso(&text).map(Some).ok_or(()),
    }
}

/// The store's filter for a query, dates taken as days of `clock`'s region; `Err` when a
/// date is not one.
fn audit_filter(query: &TrailQuery, clock: LocalClock, limit: i64) -> Result<AuditFilter, ()> {
    let start = |date: Date| Timestamp::start_of_local(date, clock.offset()).unix_seconds();
    let after = query
        .after
        .split('.')
        .map(str::parse::<i64>)
        .collect::<Vec<_>>();
    Ok(AuditFilter {
        actor_contains: filter_value(&query.actor),
        action: filter_value(&query.action),
        subject_contains: filter_value(&query.subject),
        from: date_value(&query.from)?.map(start),
        until: date_value(&query.to)?.map(|to| start(to.add_days(1))),
        after: match after.as_slice() {
            [Ok(at), Ok(chain), Ok(seq)] => Some((*at, *chain, *seq)),
            _ => None,
        },
        limit,
        ..AuditFilter::default()
    })
}

/// The query's filters as a query string (`after` left out), each value encoded.
fn filters_query(query: &TrailQuery) -> String {
    [
        ("actor", &query.actor),
        ("action", &query.action),
        ("subject", &query.subject),
        ("from", &query.from),
        ("to", &query.to),
    ]
    .iter()
    .filter(|(_, value)| !value.trim().is_empty())
    .map(|(name, value)| format!("{name}={}", url_component(value.trim())))
    .collect::<Vec<_>>()
    .join("&")
}

/// An outcome in words: done, denied, or refused with the refusal's code.
pub(crate) fn outcome_words(words: &dyn Words, outcome: &str) -> String {
    match outcome {
        "ok" => words.outcome_ok().to_owned(),
        "denied" => words.outcome_denied().to_owned(),
        // The refusal's code follows as code (the template's `<code>`, the export's text).
        other if other.starts_with("refused:") => words.outcome_refused().to_owned(),
        other => other.to_owned(),
    }
}

/// A record's detail as `name: value` pairs (the JSON object it is stored as), in words:
/// each field by its name in the page's language (an unknown one by its own), an amount in
/// `_fen` as yuan, a rate in `_ppm` as a percentage, yes or no, an instant in local time, a
/// list of field names by their names, an object's fields in words; as stored when it is not
/// an object.
pub(crate) fn detail_words(words: &dyn Words, clock: LocalClock, detail: &str) -> String {
    match detail_pairs(words, clock, detail) {
        Ok(pairs) => pairs
            .iter()
            .map(|(name, value)| format!("{name}: {value}"))
            .collect::<Vec<_>>()
            .join("; "),
        Err(stored) => stored,
    }
}

/// A record's detail as the (name, value) pairs of [`detail_words`] (the trail shows the
/// names in the page's language, the values as data); as stored when it is not an object.
pub(crate) fn detail_pairs(
    words: &dyn Words,
    clock: LocalClock,
    detail: &str,
) -> Result<Vec<(String, String)>, String> {
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(detail) {
        Ok(map) => Ok(field_pairs(words, clock, &map)),
        Err(_) => Err(detail.to_owned()),
    }
}

/// An object's fields as (name, value) pairs in words: an amount in `_fen` as yuan, a rate
/// in `_ppm` as a percentage, each under its name without the unit.
fn field_pairs(
    words: &dyn Words,
    clock: LocalClock,
    map: &serde_json::Map<String, serde_json::Value>,
) -> Vec<(String, String)> {
    map.iter()
        .map(|(name, value)| {
            match (
                name.strip_suffix("_fen"),
                name.strip_suffix("_ppm"),
                value.as_i64(),
            ) {
                (Some(base), _, Some(fen)) => (
                    words.in_yuan(field_words(words, base)),
                    shebao_app::money::yuan(fen),
                ),
                (_, Some(base), Some(ppm)) => (field_words(words, base).to_owned(), percent(ppm)),
                _ if name == "role" => (
                    field_words(words, name).to_owned(),
                    value
                        .as_str()
                        .and_then(|role| words.role(role))
                        .map_or_else(|| value_words(words, clock, value), str::to_owned),
                ),
                _ if name == "maker" => (
                    field_words(words, name).to_owned(),
                    value.as_str().map_or_else(
                        || value_words(words, clock, value),
                        |maker| match actor_words(words, maker) {
                            (Some(role), name) => format!("{role} {name}"),
                            (None, actor) => actor.to_owned(),
                        },
                    ),
                ),
                // A coded status, operation, approval or stop reason, how a job ended, a production step, an
                // outcome, a claim's refusal or a pick-up point's kind, in words (a reason typed
                // by a person stays as typed).
                _ if matches!(
                    name.as_str(),
                    "status"
                        | "operation"
                        | "reason"
                        | "leaving"
                        | "outcome"
                        | "refusal"
                        | "stopped"
                        | "credential_kind"
                        | "change"
                        | "step"
                        | "test_audit"
                        | "point_kind"
                        | "mail_outcome"
                        | "method"
                        | "purpose"
                ) =>
                {
                    (
                        field_words(words, name).to_owned(),
                        value
                            .as_str()
                            .and_then(|code| words.audit_detail_value(code))
                            .map_or_else(|| value_words(words, clock, value), str::to_owned),
                    )
                }
                // How a patient or a card was found: one of its fields, by name.
                _ if name == "by" => (
                    field_words(words, name).to_owned(),
                    value.as_str().map_or_else(
                        || value_words(words, clock, value),
                        |way| field_words(words, way).to_owned(),
                    ),
                ),
                _ => (
                    field_words(words, name).to_owned(),
                    value_words(words, clock, value),
                ),
            }
        })
        .collect()
}

/// Parts per million as a percentage: `85%`, `0.5%`, `0.0001%`.
fn percent(ppm: i64) -> String {
    let (whole, part) = (ppm / 10_000, (ppm % 10_000).abs());
    let sign = if ppm < 0 && whole == 0 { "-" } else { "" };
    if part == 0 {
        format!("{sign}{whole}%")
    } else {
        let part = format!("{part:04}");
        format!("{sign}{whole}.{}%", part.trim_end_matches('0'))
    }
}

/// An audit record's actor (`role:name`) as its role in words and its name; a role not
/// known, or an actor written otherwise, as it is.
pub(crate) fn actor_words<'a>(
    words: &dyn Words,
    actor: &'a str,
) -> (Option<&'static str>, &'a str) {
    match actor.split_once(':') {
        Some((role, name)) => match words.role(role) {
            Some(role) => (Some(role), name),
            None => (None, actor),
        },
        None => (None, actor),
    }
}

/// A detail's field name in words, or as it is.
fn field_words<'a>(words: &dyn Words, name: &'a str) -> &'a str {
    words.audit_detail_field(name).unwrap_or(name)
}

/// A detail's value as people read it: a list's strings are field names, an object's
/// fields are in words (those left out, null, not shown).
fn value_words(words: &dyn Words, clock: LocalClock, value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => clock.time(text),
        serde_json::Value::Bool(true) => words.yes().to_owned(),
        serde_json::Value::Bool(false) => words.no().to_owned(),
        serde_json::Value::Null => "-".to_owned(),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|item| match item {
                serde_json::Value::String(name) => field_words(words, name).to_owned(),
                other => value_words(words, clock, other),
            })
            .collect::<Vec<_>>()
            .join(words.detail_list_separator()),
        serde_json::Value::Object(map) => {
            let present: serde_json::Map<String, serde_json::Value> = map
                .iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect();
            let pairs = field_pairs(words, clock, &present)
                .iter()
                .map(|(name, value)| format!("{name}: {value}"))
                .collect::<Vec<_>>()
                .join(", ");
            format!("({pairs})")
        }
        serde_json::Value::Number(number) => number.to_string(),
    }
}

table_template!(
    TrailTable,
    "auditor/trail.html",
    AuditRecordView,
    clock: LocalClock,
);

#[derive(askama::Template)]
#[template(path = "auditor/desk.html")]
struct Desk<'a> {
    words: &'static dyn Words,
    message: &'a str,
    query_error: Option<&'static str>,
    actor: &'a str,
    action: &'a str,
    subject: &'a str,
    from: &'a str,
    to: &'a str,
    actions: Vec<(&'static str, &'static str)>,
    csv_link: String,
    csrf: &'a str,
    table: String,
    next_link: Option<String>,
}

fn verification_result(lang: Lang, verification: &AuditVerification) -> String {
    let words = lang.words();
    let mut html = if verification.intact {
        notice(
            "ok",
            &format!("{}{}", words.chains_intact(), verification.records),
        )
    } else {
        notice(
            "error",
            &format!("{}{}", words.chains_broken(), verification.records),
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

pub(crate) async fn auditor_desk(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    query: &TrailQuery,
    message: String,
) -> (StatusCode, String) {
    let words = lang.words();
    let clock = LocalClock::of(s, browser).await;
    let filter = audit_filter(query, clock, TRAIL_PAGE + 1);
    let query_error = filter.is_err().then(|| words.bad_date());
    let (mut status, mut table, mut next_link) = (StatusCode::OK, String::new(), None);
    match filter {
        Ok(filter) => {
            let actor = browser.actor.clone();
            let shown = filter.clone();
            match crate::portal::session::blocking(s, move |app| app.audit_records(&actor, shown))
                .await
            {
                Ok(mut records) => {
                    if records.len() > usize::try_from(TRAIL_PAGE).unwrap_or(usize::MAX) {
                        records.truncate(usize::try_from(TRAIL_PAGE).unwrap_or(0));
                        next_link = records.last().map(|last| {
                            let at = Timestamp::parse_rfc3339(&last.at)
                                .map_or(0, Timestamp::unix_seconds);
                            let filters = filters_query(query);
                            let joiner = if filters.is_empty() { "" } else { "&" };
                            format!(
                                "/auditor/trail?{filters}{joiner}after={at}.{}.{}",
                                last.chain, last.seq
                            )
                        });
                    }
                    table = html(&TrailTable {
                        words,
                        rows: &records,
                        clock,
                    });
                }
                Err(error) => (status, table) = refusal(lang, &error),
            }
        }
        Err(()) => status = StatusCode::UNPROCESSABLE_ENTITY,
    }
    let filters = filters_query(query);
    let desk = Desk {
        words,
        message: &message,
        query_error,
        actor: &query.actor,
        action: &query.action,
        subject: &query.subject,
        from: &query.from,
        to: &query.to,
        actions: AUDIT_ACTIONS
            .iter()
            .map(|code| (*code, words.audit_action(code).unwrap_or(code)))
            .collect(),
        csv_link: format!(
            "/auditor/trail.csv{}{filters}",
            if filters.is_empty() { "" } else { "?" }
        ),
        csrf: &browser.csrf,
        table,
        next_link,
    };
    (status, html(&desk))
}

async fn auditor_trail(visit: Visit, Query(query): Query<TrailQuery>) -> Response {
    let Visit { s, browser, lang } = visit;
    if let Some(refusal) = desk_only(lang, &browser, Role::Auditor) {
        return refusal;
    }
    let (status, body) = auditor_desk(&s, lang, &browser, &query, String::new()).await;
    page(lang, status, Some(&browser), &body)
}

/// The records the filters select as CSV, newest first, at most [`EXPORT_MAX`], read a
/// batch at a time; times local, actions in words beside their codes.
async fn auditor_export(visit: Visit, Query(query): Query<TrailQuery>) -> Response {
    let Visit { s, browser, lang } = visit;
    if let Some(refusal) = desk_only(lang, &browser, Role::Auditor) {
        return refusal;
    }
    let words = lang.words();
    let clock = LocalClock::of(&s, &browser).await;
    let Ok(mut filter) = audit_filter(&query, clock, EXPORT_BATCH) else {
        let (status, body) = auditor_desk(&s, lang, &browser, &query, String::new()).await;
        return page(lang, status, Some(&browser), &body);
    };
    filter.after = None;
    let mut out = shebao_app::csv::line(&words.audit_csv_columns());
    let mut written = 0;
    loop {
        let actor = browser.actor.clone();
        let batch = filter.clone();
        let records =
            match crate::portal::session::blocking(&s, move |app| app.audit_records(&actor, batch))
                .await
            {
                Ok(records) => records,
                Err(error) => {
                    let (status, message) = refusal(lang, &error);
                    return page(lang, status, Some(&browser), &message);
                }
            };
        let room = EXPORT_MAX - written;
        for record in records.iter().take(room) {
            let time = clock.time(&record.at);
            let outcome = outcome_words(words, &record.outcome)
                + record.outcome.strip_prefix("refused:").unwrap_or_default();
            out.push_str(&shebao_app::csv::line(&[
                &time,
                &record.actor,
                &record.action,
                words.audit_action(&record.action).unwrap_or(&record.action),
                &record.subject,
                &outcome,
                &detail_words(words, clock, &record.detail),
            ]));
            written += 1;
        }
        let Some(last) = records.last() else { break };
        if written >= EXPORT_MAX {
            // Cut only if a record is left out: in this batch, or in the next one.
            let more = records.len() > room || {
                let at = Timestamp::parse_rfc3339(&last.at).map_or(0, Timestamp::unix_seconds);
                let mut next = filter.clone();
                next.after = Some((at, i64::from(last.chain), last.seq));
                next.limit = 1;
                let actor = browser.actor.clone();
                crate::portal::session::blocking(&s, move |app| app.audit_records(&actor, next))
                    .await
                    .is_ok_and(|rest| !rest.is_empty())
            };
            if more {
                out.push_str(&shebao_app::csv::line(&[words.export_cut()]));
            }
            break;
        }
        let at = Timestamp::parse_rfc3339(&last.at).map_or(0, Timestamp::unix_seconds);
        filter.after = Some((at, i64::from(last.chain), last.seq));
        if records.len() < usize::try_from(EXPORT_BATCH).unwrap_or(0) {
            break;
        }
    }
    crate::portal::page::csv_download(out, "audit.csv")
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
    use shebao_domain::time::UtcOffset;

    #[test]
    fn coded_detail_values_have_words_in_both_languages() {
        use shebao_domain::card::CardStatus;
        use shebao_domain::money::approval::{ApprovalReason, ApprovalStatus};
        let mut codes: Vec<&str> = CardStatus::ALL.iter().map(|s| s.as_str()).collect();
        codes.extend(
            [
                ApprovalStatus::Pending,
                ApprovalStatus::Approved,
                ApprovalStatus::Rejected,
            ]
            .map(ApprovalStatus::as_str),
        );
        codes.extend(
            [
                ApprovalReason::AboveSingleLimit,
                ApprovalReason::AboveDailyLimit,
                ApprovalReason::Reversal,
            ]
            .map(ApprovalReason::as_str),
        );
        codes.extend([
            "deposit",
            "withdraw",
            "purchase",
            "credit_benefit",
            "transfer",
            "reverse_transfer",
        ]);
        {
            use shebao_domain::employment::seeking::ApplicationStatus;
            use shebao_domain::insurance::unemployment::{
                Ineligible, Leaving, ReferralOutcome, SpellStatus, StopReason,
            };
            codes.extend(SpellStatus::ALL.map(SpellStatus::as_str));
            codes.extend(StopReason::ALL.map(StopReason::as_str));
            codes.extend(Leaving::ALL.map(Leaving::as_str));
            codes.extend(ReferralOutcome::NAMES);
            codes.extend(ApplicationStatus::OUTCOMES);
            use shebao_domain::insurance::injury_case::{AppraisalKind, InjuryApplicant};
            codes.extend(InjuryApplicant::NAMES);
            codes.extend(AppraisalKind::NAMES);
            codes.extend([
                "recognised",
                "not_recognised",
                "fund",
                "full",
                "major",
                "partial",
            ]);
            codes.extend(
                [
                    Ineligible::TooFewMonths { months: 0 },
                    Ineligible::NoLeaverReport,
                    Ineligible::LeftVoluntarily,
                    Ineligible::NotRegistered,
                    Ineligible::NotSeekingWork,
                ]
                .map(Ineligible::code),
            );
        }
        {
            use shebao_domain::production::{
                Approval, AuditKind, CredentialKind, ProductChange, batch::BatchStatus,
            };
            codes.extend(CredentialKind::ALL.map(CredentialKind::as_str));
            codes.extend(ProductChange::ALL.map(ProductChange::as_str));
            codes.extend(Approval::ALL.map(Approval::as_str));
            codes.extend(AuditKind::ALL.map(AuditKind::as_str));
            codes.extend([BatchStatus::Shipped, BatchStatus::Closed].map(BatchStatus::as_str));
            use shebao_domain::production::distribution::PointKind;
            codes.extend([PointKind::BankBranch, PointKind::ServiceCentre].map(PointKind::as_str));
            use shebao_domain::production::distribution::{DestructionMethod, MailStatus};
            codes.extend(
                [DestructionMethod::Shredded, DestructionMethod::ChipPunched]
                    .map(DestructionMethod::as_str),
            );
            codes.extend([MailStatus::Delivered, MailStatus::Lost].map(MailStatus::as_str));
            codes.push("brought_back");
            codes.extend([
                "identity",
                "payment",
                "device_lost",
                "holder_request",
                "fraud_suspected",
            ]);
        }
        for lang in [Lang::Zh, Lang::En] {
            for code in &codes {
                assert!(
                    lang.words().audit_detail_value(code).is_some(),
                    "{code} in {lang:?}"
                );
            }
        }
        let zh = Lang::Zh.words();
        let clock = LocalClock::new(UtcOffset::from_minutes(480).unwrap());
        assert_eq!(
            detail_words(
                zh,
                clock,
                "{\"status\":\"in_production\",\"reason\":\"typo\"}"
            ),
            format!(
                "{}: typo; {}: 制卡中",
                zh.audit_detail_field("reason").unwrap_or("reason"),
                zh.audit_detail_field("status").unwrap_or("status")
            )
        );
    }

    #[test]
    fn trail_filters_are_parts_dates_and_a_place_in_the_listing() {
        let china = LocalClock::new(UtcOffset::from_minutes(480).unwrap());
        let query = TrailQuery {
            actor: "  ".into(),
            action: " person.unmask ".into(),
            subject: "card:".into(),
            from: "2026-12-01".into(),
            to: "2026-12-01".into(),
            after: "1764547200.3.17".into(),
        };
        let filter = audit_filter(&query, china, 51).unwrap();
        assert_eq!(filter.actor_contains, None);
        assert_eq!(filter.action.as_deref(), Some("person.unmask"));
        assert_eq!(filter.subject_contains.as_deref(), Some("card:"));
        // 2026-12-01 in UTC+8 is 2026-11-30T16:00Z to 2026-12-01T16:00Z.
        assert_eq!(filter.from, Some(1_796_054_400));
        assert_eq!(filter.until, Some(1_796_140_800));
        assert_eq!(filter.after, Some((1_764_547_200, 3, 17)));
        assert_eq!(filter.limit, 51);
        let bad = TrailQuery {
            from: "01/12/2026".into(),
            ..TrailQuery::default()
        };
        assert!(audit_filter(&bad, china, 51).is_err());
        assert_eq!(
            filters_query(&query),
            "action=person.unmask&subject=card%3A&from=2026-12-01&to=2026-12-01"
        );
        assert_eq!(url_component("card_1 /x"), "card_1%20%2Fx");
    }

    #[test]
    fn outcomes_and_details_read_as_words() {
        let zh = Lang::Zh.words();
        assert_eq!(outcome_words(zh, "ok"), "成功");
        assert_eq!(outcome_words(zh, "refused:not_found"), "拒绝：");
        let china = LocalClock::new(UtcOffset::from_minutes(480).unwrap());
        let en = Lang::En.words();
        assert_eq!(
            detail_words(zh, china, "{\"citizen_id\":\"11****\",\"n\":2}"),
            "身份证号码: 11****; n: 2"
        );
        assert_eq!(
            detail_words(en, china, "{\"amount_fen\":123456,\"transfer\":\"trf_1\"}"),
            "amount (yuan): 1234.56; transfer: trf_1"
        );
        assert_eq!(
            detail_words(zh, china, "{\"original_id_checked\":true,\"user\":\"u_1\"}"),
            "已核验身份证原件: 是; 用户: u_1"
        );
        assert_eq!(
            detail_words(
                en,
                china,
                "{\"cutoff_at\":\"2026-11-30T19:23:42Z\",\"late\":false}"
            ),
            "cut-off time: 2026-12-01 03:23; late: no"
        );
        assert_eq!(
            detail_words(
                zh,
                china,
                "{\"fields\":[\"name\",\"phone\"],\"reason\":\"更正\"}"
            ),
            "更正项目: 姓名、手机号码; 原因: 更正"
        );
        assert_eq!(
            detail_words(
                zh,
                china,
                "{\"annual_cap_fen\":30000000,\"rules\":[{\"deductible_fen\":130000,\"level\":null,\"pool_ratio_ppm\":855000}]}"
            ),
            "年度最高支付限额（元）: 300000.00; 支付规则: (起付线（元）: 1300.00, 统筹支付比例: 85.5%)"
        );
        assert_eq!(
            detail_words(en, china, "{\"by\":\"card\",\"card_number\":\"Z1\"}"),
            "found by: card; card number: Z1"
        );
        assert_eq!(
            detail_words(zh, china, "{\"role\":\"bank_teller\"}"),
            "岗位: 银行柜员"
        );
        assert_eq!(
            actor_words(en, "bureau_clerk:clerk"),
            (Some("bureau clerk"), "clerk")
        );
        assert_eq!(actor_words(en, "robot:x"), (None, "robot:x"));
        assert_eq!(
            detail_words(en, china, "{\"maker\":\"bureau_clerk:clerk\"}"),
            "maker: bureau clerk clerk"
        );
        assert_eq!(percent(80_000), "8%");
        assert_eq!(percent(5), "0.0005%");
        assert_eq!(detail_words(zh, china, "not json"), "not json");
    }
}
