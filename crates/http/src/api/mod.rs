//! The API's operations, each one typed item: an [`Operation`] names its method, path, access,
//! path/query/body types and answer type, and its `call`, each declared in a table of the one
//! [`operations!`] macro. One list per area (`api/<area>.rs`) holds the entries; the router,
//! the OpenAPI document, the docs pages and the access matrix's row check iterate [`all`].
//!
//! What the compiler checks: an operation without `call`, `ACCESS` or `SPEC` does not build
//! (E0046), nor one whose path, query, body or answer type has no JSON Schema (E0277); an
//! operation written but left out of its area's list is a unit struct never constructed,
//! which `cargo clippy -D warnings` (the `dead_code` lint) refuses.

use std::net::IpAddr;

use axum::Router;
use axum::routing::MethodRouter;
use shebao_app::{Actor, AppError};

use crate::Shared;
use crate::problem::Problem;

mod access;
mod audit;
mod card;
pub(crate) mod docs;
pub mod document;
mod ecard;
mod employment;
mod injury;
mod insurance;
pub(crate) mod kinds;
mod maternity;
mod medical;
mod money;
mod person;
mod production;
mod reference;
mod service;
mod standard;
mod training;
mod unemployment;

pub(crate) use standard::standard;

/// An HTTP method an operation answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// What an operation is, apart from its types: where it is served, how it is documented,
/// and the request handling it needs.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub id: &'static str,
    pub method: Method,
    pub path: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    /// Whether the operation changes state (and so takes an `Idempotency-Key`).
    pub changes: bool,
    /// Whether attempts are limited per client address (answering 429 with `Retry-After`).
    pub rate_limited: bool,
    /// Whether it may resolve an ID number the caller typed: limited per actor and audited.
    pub lookups_by_citizen_id: bool,
    /// A body limit other than the server's default ([`crate::BODY_LIMIT_BYTES`]).
    pub body_limit: Option<usize>,
    /// Whether `call` runs where the request is handled instead of on the blocking pool: for
    /// the few operations that touch no store (liveness, metrics, the documents), so that they
    /// answer even when every place for application calls is taken.
    pub inline: bool,
    /// The problem codes it may answer beyond [`COMMON_ERRORS`].
    pub errors: &'static [&'static str],
}

/// The body limit of the operations that take a file (declarations, reconciliation files,
/// certificates sent back to be verified): up to 200,000 declaration rows.
pub(crate) const FILE_BODY_LIMIT_BYTES: usize = 16 * 1024 * 1024;

/// The body limit of a vendor's production report: 5,000 results, each with a reason of up
/// to 200 characters of three bytes.
pub(crate) const REPORT_BODY_LIMIT_BYTES: usize = 4 * 1024 * 1024;

/// Problem codes any operation may answer; each operation's [`Spec::errors`] lists the rest.
pub const COMMON_ERRORS: &[&str] = &[
    "unauthenticated",
    "forbidden",
    "not_found",
    "invalid_request",
    "invalid_json",
    "unsupported_media_type",
    "body_too_large",
    "idempotency_key_required",
    "idempotency_key_reused",
    "request_timeout",
    "busy",
    "server_timeout",
    "service_unavailable",
    "storage_full",
    "internal_error",
];

/// An operation's problem codes beyond [`COMMON_ERRORS`], as a `&[&str]`: each item a code
/// (`"conflict"`) or a group of codes several operations share, by its name, in the order
/// written. The groups:
///
/// - `citizen_id`: an ID number that does not parse;
/// - `identity`: an ID or bank card number that does not parse
///   (`shebao_domain::person::identity::IdentityError::code`);
/// - `card_state`: a card that cannot be used (not collected, expired, replaced, …);
/// - `social_pin`: a social PIN's use: the card's state, then the PIN's;
/// - `debit`: a card debit with the PIN: the card, the account, the PIN, the amount;
/// - `decision`: deciding a request that waits for a second person;
/// - `counter`: identifying a patient at the counter (card, electronic-card token or ID
///   number);
/// - `bill`: splitting a bill at the counter, then identifying the patient.
macro_rules! codes {
    ($($item:tt),* $(,)?) => {
        $crate::api::codes!(@ [] $($item,)*)
    };
    (@ [$($code:literal,)*]) => {
        &[$($code),*]
    };
    (@ [$($code:literal,)*] $next:literal, $($rest:tt,)*) => {
        $crate::api::codes!(@ [$($code,)* $next,] $($rest,)*)
    };
    // A group stands for its items, which may name other groups.
    (@ $done:tt citizen_id, $($rest:tt,)*) => {
        $crate::api::codes!(@ $done
            "invalid_length",
            "invalid_character",
            "check_character_mismatch",
            "invalid_birth_date",
            "birth_date_in_future",
            "unknown_province",
            "manual_review_required",
            $($rest,)*
        )
    };
    (@ $done:tt identity, $($rest:tt,)*) => {
        $crate::api::codes!(@ $done citizen_id, "luhn_check_failed", "invalid_format", $($rest,)*)
    };
    (@ $done:tt card_state, $($rest:tt,)*) => {
        $crate::api::codes!(@ $done
            "card_expired",
            "card_not_collected",
            "card_replaced",
            "card_cancelled",
            "card_returned",
            "card_lost",
            $($rest,)*
        )
    };
    (@ $done:tt social_pin, $($rest:tt,)*) => {
        $crate::api::codes!(@ $done
            card_state,
            "pin_not_set",
            "pin_incorrect",
            "pin_locked",
            "conflict",
            $($rest,)*
        )
    };
    (@ $done:tt debit, $($rest:tt,)*) => {
        $crate::api::codes!(@ $done
            card_state,
            "temporary_card_no_financial_function",
            "invalid_card_state",
            "invalid_amount",
            "deposit_only",
            "account_closed",
            "insufficient_funds",
            "pin_not_set",
            "pin_incorrect",
            "pin_locked",
            "conflict",
            $($rest,)*
        )
    };
    (@ $done:tt decision, $($rest:tt,)*) => {
        $crate::api::codes!(@ $done
            "approval_by_maker",
            "approval_not_pending",
            "approval_expired",
            "conflict",
            $($rest,)*
        )
    };
    (@ $done:tt counter, $($rest:tt,)*) => {
        $crate::api::codes!(@ $done
            "too_many_lookups",
            "card_not_recognised",
            "invalid_token",
            "code_expired",
            "ecard_revoked",
            "outside_issuing_region",
            "no_card",
            "not_insured",
            "card_replaced",
            "card_cancelled",
            "card_expired",
            "card_not_collected",
            "card_returned",
            "card_lost",
            "invalid_card_state",
            identity,
            $($rest,)*
        )
    };
    (@ $done:tt bill, $($rest:tt,)*) => {
        $crate::api::codes!(@ $done
            "pin_incorrect",
            "pin_locked",
            "pin_not_set",
            "no_parameters",
            "no_policy",
            "ambiguous_policy",
            counter,
            $($rest,)*
        )
    };
}
pub(crate) use codes;

impl Spec {
    const fn new(
        method: Method,
        id: &'static str,
        path: &'static str,
        tag: &'static str,
        summary: &'static str,
    ) -> Spec {
        Spec {
            id,
            method,
            path,
            tag,
            summary,
            changes: !matches!(method, Method::Get),
            rate_limited: false,
            lookups_by_citizen_id: false,
            body_limit: None,
            inline: false,
            errors: &[],
        }
    }

    pub const fn get(
        id: &'static str,
        path: &'static str,
        tag: &'static str,
        summary: &'static str,
    ) -> Spec {
        Spec::new(Method::Get, id, path, tag, summary)
    }

    pub const fn post(
        id: &'static str,
        path: &'static str,
        tag: &'static str,
        summary: &'static str,
    ) -> Spec {
        Spec::new(Method::Post, id, path, tag, summary)
    }

    pub const fn delete(
        id: &'static str,
        path: &'static str,
        tag: &'static str,
        summary: &'static str,
    ) -> Spec {
        Spec::new(Method::Delete, id, path, tag, summary)
    }

    /// A POST or DELETE that takes no `Idempotency-Key`: it reads, signs in or out, or
    /// carries a key in each of its operations (a batch).
    pub const fn not_changing(self) -> Spec {
        Spec {
            changes: false,
            ..self
        }
    }

    /// Limited per client address (sign-in): 429 with `Retry-After`.
    pub const fn rate_limited(self) -> Spec {
        Spec {
            rate_limited: true,
            ..self
        }
    }

    /// May resolve an ID number the caller typed (limited per actor, audited).
    pub const fn looks_up_citizen_ids(self) -> Spec {
        Spec {
            lookups_by_citizen_id: true,
            ..self
        }
    }

    /// Runs `call` where the request is handled, not on the blocking pool (see [`Spec::inline`]).
    pub const fn inline(self) -> Spec {
        Spec {
            inline: true,
            ..self
        }
    }

    /// A body limit of its own.
    pub const fn body_limit(self, bytes: usize) -> Spec {
        Spec {
            body_limit: Some(bytes),
            ..self
        }
    }

    /// The problem codes it may answer beyond [`COMMON_ERRORS`].
    pub const fn errors(self, errors: &'static [&'static str]) -> Spec {
        Spec { errors, ..self }
    }
}

/// Who may call an operation, as the server checks it before `call`. Finer checks (which
/// role, whose records) are the application's, against the domain's permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No sign-in.
    Public,
    /// Any signed-in actor.
    SignedIn,
    /// A signed-in actor whom the domain permits this operation.
    Needs(shebao_domain::access::Operation),
    /// Only the operator's scrape token from the key file; no session of any role.
    Operator,
}

impl Access {
    /// Whether the caller must be signed in (a session's bearer token).
    pub const fn signed_in(self) -> bool {
        matches!(self, Access::SignedIn | Access::Needs(_))
    }
}

/// What `call` gets: the request's parts, extracted and checked.
pub(crate) struct In<O: Operation> {
    /// The signed-in actor, when [`Operation::ACCESS`] needs one.
    pub actor: Option<Actor>,
    /// The `Idempotency-Key`, when [`Spec::changes`]; empty otherwise.
    pub key: String,
    pub path: O::Path,
    pub query: O::Query,
    pub body: <O::Body as kinds::Input>::Value,
    /// The client's address, as the sign-in limit keys it.
    pub peer: IpAddr,
    /// The `Authorization: Bearer` token as sent, if any.
    pub bearer: Option<String>,
}

impl<O: Operation> In<O> {
    /// The signed-in actor, taken out so that the other parts can move into the call; only
    /// an operation whose access needs none lacks one.
    pub fn take_actor(&mut self) -> Result<Actor, AppError> {
        self.actor.take().ok_or(AppError::Unauthenticated)
    }
}

/// One API operation. Implemented by a unit struct per operation, listed in its area's
/// `OPERATIONS` with [`entry`].
pub(crate) trait Operation: Sized + Send + 'static {
    const SPEC: Spec;
    const ACCESS: Access;
    /// Path segments: `()`, `(String,)`, `(String, String)` (one per `{name}` in the path).
    type Path: kinds::PathParams;
    /// Query parameters: [`kinds::NoQuery`] or a struct (each field one parameter).
    type Query: kinds::QueryParams;
    /// The body: [`kinds::NoBody`], [`kinds::JsonBody`], [`kinds::CsvText`] or
    /// [`kinds::PdfBytes`].
    type Body: kinds::Input;
    /// The answer: [`kinds::Json`], [`kinds::Outcome`], [`kinds::Accepted`],
    /// [`kinds::Csv`], [`kinds::Pdf`], [`kinds::Html`], [`kinds::Text`] or
    /// [`kinds::Exposition`].
    type Answer: kinds::Output;

    /// Does the work, on a blocking thread (storage is synchronous).
    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem>;
}

/// Declares a table of operations: for each, its unit struct and its [`Operation`] impl. The
/// table starts with the tag its operations are listed under; each entry then reads:
///
/// ```ignore
/// operations! {
///     tag: TAG;
///
///     /// Record that the card is ready at a distribution point
///     MarkReady: post "mark_ready" "/api/v1/cards/{card}/ready" .errors(&["conflict"]) {
///         Needs(RecordProduction): mark_ready(key, card, body: ReadyRequest) -> Json<CardView>
///     }
/// }
/// ```
///
/// - The doc comment is the struct's and, trimmed, the document's summary (so it says what
///   the operation does in one sentence, without a final stop; notes for the reader are
///   plain comments).
/// - The method (`get`, `post` or `delete`), the id and the path make the [`Spec`]; the
///   `Spec` methods written after the path (`.errors(…)`, `.not_changing()`, …) follow.
/// - Then, in braces, who may call it: [`Access::Public`], [`Access::SignedIn`],
///   [`Access::Operator`] or `Needs(permission)`, a `shebao_domain::access::Operation`.
///
/// Most operations call one use case with the signed-in actor and the request's parts, and
/// answer what it returns; they say so as a signature: `access: use_case(parts) -> Answer`.
/// The parts, in the order the use case takes them, are `key` (the `Idempotency-Key`,
/// `&str`), the path's one segment by its name (`&str`; the path type is then `(String,)`,
/// else `()`) and `body: T` (a [`kinds::JsonBody`], passed by value; [`kinds::NoBody`]
/// without it); there is no query. The answer is made from the use case's value with `From`,
/// and a refusal answers a problem.
///
/// Any other operation names its types and its call (an entry of the table above):
///
/// ```text
///     GetStatement: get "get_statement" "/api/v1/accounts/{account}/statement" {
///         access: Needs(ReadAccount),
///         types: (String,), Query<StatementQuery>, NoBody => Json<StatementView>,
///         call: |app, actor, In { path: (account,), query: Query(query), .. }| { … },
///     }
/// ```
///
/// - `call: |app, actor, pattern| expr`: a signed-in call. `expr` is evaluated with the
///   application as `app`, the signed-in actor (`&Actor`) as `actor` and the request's parts
///   ([`In`]) matched by `pattern`; its value is the answer, and `?` answers a problem.
/// - `call_shared: |shared, input| expr`: a call that needs the whole server state
///   ([`Shared`]) and no actor (a public or operator operation); `expr` is the
///   `Result<Self::Answer, Problem>` itself.
macro_rules! operations {
    (tag: $tag:expr; $($entries:tt)*) => {
        $crate::api::operations!(@entries $tag; $($entries)*);
    };
    (@entries $tag:expr;) => {};
    (@entries $tag:expr;
        $(#[doc = $doc:literal])+
        $name:ident: $method:ident $id:literal $path:literal
            $(.$flag:ident($($arg:expr),*))* { $($declaration:tt)* }
        $($rest:tt)*
    ) => {
        $(#[doc = $doc])+
        pub(crate) struct $name;

        impl $crate::api::Operation for $name {
            const SPEC: $crate::api::Spec = $crate::api::Spec::$method(
                $id,
                $path,
                $tag,
                $crate::api::summary(concat!($($doc),+)),
            )
            $(.$flag($($arg),*))*;

            $crate::api::operations!(@declaration $($declaration)*);
        }

        $crate::api::operations!(@entries $tag; $($rest)*);
    };
    (@declaration
        access: $access:ident $(($permission:ident))?,
        types: $path:ty, $query:ty, $body:ty => $answer:ty,
        $how:ident: $($call:tt)+
    ) => {
        const ACCESS: $crate::api::Access = $crate::api::Access::$access
            $((shebao_domain::access::Operation::$permission))?;
        type Path = $path;
        type Query = $query;
        type Body = $body;
        type Answer = $answer;

        fn call(
            shared: &$crate::Shared,
            input: $crate::api::In<Self>,
        ) -> Result<Self::Answer, $crate::problem::Problem> {
            $crate::api::operations!(@call shared, input, $how: $($call)+)
        }
    };
    (@declaration
        $access:ident $(($permission:ident))?:
            $use_case:ident($($part:ident $(: $part_type:ty)?),*) -> $answer:ty
    ) => {
        const ACCESS: $crate::api::Access = $crate::api::Access::$access
            $((shebao_domain::access::Operation::$permission))?;
        type Path = $crate::api::operations!(@path $($part)*);
        type Query = $crate::api::kinds::NoQuery;
        type Body = $crate::api::operations!(@body $($part $(: $part_type)?),*);
        type Answer = $answer;

        fn call(
            shared: &$crate::Shared,
            mut input: $crate::api::In<Self>,
        ) -> Result<Self::Answer, $crate::problem::Problem> {
            let actor = input.take_actor()?;
            let value = shared.app.$use_case(
                &actor,
                $($crate::api::operations!(@part input, $part)),*
            )?;
            Ok(<$answer>::from(value))
        }
    };
    (@call $shared:ident, $input:ident,
        call_shared: |$s:pat_param, $i:pat_param| $call:expr $(,)?
    ) => {{
        let $s = $shared;
        let $i = $input;
        $call
    }};
    (@call $shared:ident, $input:ident,
        call: |$app:pat_param, $actor:pat_param, $i:pat_param| $call:expr $(,)?
    ) => {{
        let mut input = $input;
        let $app = &$shared.app;
        let $actor = &input.take_actor()?;
        let $i = input;
        Ok($call)
    }};
    // A signature's parts: the path type, the body type, and each as an argument.
    (@path) => { () };
    (@path key $($rest:ident)*) => { $crate::api::operations!(@path $($rest)*) };
    (@path body) => { () };
    (@path $segment:ident $($rest:ident)*) => { (String,) };
    (@body) => { $crate::api::kinds::NoBody };
    (@body body: $body:ty) => { $crate::api::kinds::JsonBody<$body> };
    (@body $part:ident $(, $($rest:tt)*)?) => { $crate::api::operations!(@body $($($rest)*)?) };
    (@part $input:ident, key) => { &$input.key };
    (@part $input:ident, body) => { $input.body };
    (@part $input:ident, $segment:ident) => { &$input.path.0 };
}
pub(crate) use operations;

/// An operation's summary: its doc comment without the space each line starts with (the
/// lines' own spaces join them).
pub(crate) const fn summary(doc: &'static str) -> &'static str {
    doc.trim_ascii_start()
}

/// One operation in a list: its spec and access, and what the router and the document need
/// of its types.
#[derive(Clone, Copy)]
pub struct Entry {
    pub spec: Spec,
    pub access: Access,
    pub(crate) route: fn() -> MethodRouter<Shared>,
    pub(crate) describe: fn(&mut document::Generators) -> serde_json::Value,
}

impl Entry {
    pub fn id(&self) -> &'static str {
        self.spec.id
    }

    pub fn method(&self) -> &'static str {
        self.spec.method.as_str()
    }

    pub fn path(&self) -> &'static str {
        self.spec.path
    }

    /// Whether the caller must be signed in (a session's bearer token).
    pub fn signed_in(&self) -> bool {
        self.access.signed_in()
    }

    /// Whether it changes state (and so takes an `Idempotency-Key`).
    pub fn changes(&self) -> bool {
        self.spec.changes
    }
}

/// The list entry of `operation`. It takes the unit struct itself, so an operation that no
/// list names is never constructed (a `dead_code` warning, an error under clippy's
/// `-D warnings`).
pub(crate) const fn entry<O: Operation>(operation: O) -> Entry {
    std::mem::forget(operation);
    Entry {
        spec: O::SPEC,
        access: O::ACCESS,
        route: standard::<O>,
        describe: document::operation::<O>,
    }
}

/// Every area's list, in the order [`all`] yields them.
pub const AREAS: &[&[Entry]] = &[
    access::OPERATIONS,
    reference::OPERATIONS,
    person::OPERATIONS,
    card::OPERATIONS,
    ecard::OPERATIONS,
    money::OPERATIONS,
    insurance::OPERATIONS,
    medical::OPERATIONS,
    employment::OPERATIONS,
    unemployment::OPERATIONS,
    maternity::OPERATIONS,
    injury::OPERATIONS,
    training::OPERATIONS,
    production::OPERATIONS,
    audit::OPERATIONS,
    service::OPERATIONS,
];

/// Every operation, area by area in the order of [`AREAS`]: the one list the router, the
/// OpenAPI document, the docs pages and the access matrix iterate.
pub fn all() -> impl Iterator<Item = &'static Entry> {
    AREAS.iter().flat_map(|area| area.iter())
}

/// Every operation routed by its standard handler, beside the portal's pages and the docs
/// pages' files; anything else is a `404 not_found` problem.
pub(crate) fn routes() -> Router<Shared> {
    let mut router = crate::portal::routes().merge(docs::routes());
    let mut paths: Vec<(&str, MethodRouter<Shared>)> = Vec::new();
    for entry in all() {
        let route = (entry.route)();
        match paths.iter_mut().find(|(path, _)| *path == entry.spec.path) {
            Some((_, existing)) => *existing = std::mem::take(existing).merge(route),
            None => paths.push((entry.spec.path, route)),
        }
    }
    for (path, route) in paths {
        router = router.route(path, route);
    }
    router
        .fallback(not_found)
        .layer(axum::middleware::from_fn(crate::headers::defaults))
}

/// A path nothing serves: a browser asking for a page gets the portal's 404 page in its
/// language (issue 15, item 14); any other client, and every path under `/api/`, the
/// `404 not_found` problem.
async fn not_found(
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let wants_page = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_page && !uri.path().starts_with("/api/") {
        return crate::portal::not_found_page(&headers);
    }
    Problem::new(404, "not_found", "no such resource").into_response()
}
