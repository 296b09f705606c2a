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
mod insurance;
pub(crate) mod kinds;
mod medical;
mod money;
mod person;
mod reference;
mod service;
mod standard;

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
///     /// A card and the state of each side
///     GetCard: get "get_card" "/api/v1/cards/{card}" {
///         access: Needs(ReadCard),
///         types: (String,), NoQuery, NoBody => Json<CardView>,
///         call: Json(app.card(card)),
///     }
/// }
/// ```
///
/// - The doc comment is the struct's and, trimmed, the document's summary (so it says what
///   the operation does in one sentence, without a final stop; notes for the reader are
///   plain comments).
/// - The method (`get`, `post` or `delete`), the id and the path make the [`Spec`]; the
///   `Spec` methods written after the path (`.errors(…)`, `.not_changing()`, …) follow.
/// - `access` is [`Access::Public`], [`Access::SignedIn`], [`Access::Operator`] or
///   `Needs(permission)`, a `shebao_domain::access::Operation`.
/// - `types` are its path, query, body and answer types.
///
/// The call is one of:
///
/// - `call: Wrap(app.use_case(parts))`: the use case called with the signed-in actor, then
///   the parts named, each as the use case takes it: `key` (the `Idempotency-Key`, `&str`), a
///   path segment by its name (`&str`; one-segment paths only) and `body` (by value), in
///   that order; `Wrap` (a tuple struct or a function) makes its value the answer. A refusal
///   answers a problem.
/// - `call: |app, actor, pattern| expr`: any other signed-in call. `expr` is evaluated with
///   the application as `app`, the signed-in actor (`&Actor`) as `actor` and the request's
///   parts ([`In`]) matched by `pattern`; its value is the answer, and `?` answers a problem.
/// - `call_shared: |shared, input| expr`: a call that needs the whole server state
///   ([`Shared`]) and no actor (a public or operator operation); `expr` is the
///   `Result<Self::Answer, Problem>` itself.
macro_rules! operations {
    (
        tag: $tag:expr;
        $(
            $(#[doc = $doc:literal])+
            $name:ident: $method:ident $id:literal $path:literal
                $(.$flag:ident($($arg:expr),*))* {
                access: $access:ident $(($permission:ident))?,
                types: $path_type:ty, $query:ty, $body:ty => $answer:ty,
                $how:ident: $($call:tt)+
            }
        )*
    ) => {
        $(
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
                const ACCESS: $crate::api::Access = $crate::api::Access::$access
                    $((shebao_domain::access::Operation::$permission))?;
                type Path = $path_type;
                type Query = $query;
                type Body = $body;
                type Answer = $answer;

                fn call(
                    shared: &$crate::Shared,
                    input: $crate::api::In<Self>,
                ) -> Result<Self::Answer, $crate::problem::Problem> {
                    $crate::api::operations!(@call shared, input, $how: $($call)+)
                }
            }
        )*
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
    (@call $shared:ident, $input:ident,
        call: $wrap:ident(app.$use_case:ident($($part:ident),*)) $(,)?
    ) => {{
        let mut input = $input;
        let actor = input.take_actor()?;
        Ok($wrap($shared.app.$use_case(
            &actor,
            $($crate::api::operations!(@part input, $part)),*
        )?))
    }};
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
    money::OPERATIONS,
    insurance::OPERATIONS,
    medical::OPERATIONS,
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

async fn not_found() -> Problem {
    Problem::new(404, "not_found", "no such resource")
}
