//! Access: sessions (sign-in, sign-out, who is signed in), logins and holder logins.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_app::access::auth::SessionView;

use super::kinds::{HandWritten, Json, JsonBody, NoQuery, Schema};
use super::{Access, Entry, In, Operation, Spec, entry, no_input};
use crate::Shared;
use crate::problem::Problem;

pub(crate) const OPERATIONS: &[Entry] = &[entry(SignIn), entry(SignOut), entry(WhoAmI)];

/// Sign in with username and password.
pub(crate) struct SignIn;

/// A sign-in: a username (or a holder's ID number) and password.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "SignIn")]
pub(crate) struct Credentials {
    username: String,
    #[schemars(extend("writeOnly" = true))]
    password: String,
    /// `api` (the default) or `browser`.
    #[schemars(extend("enum" = ["browser", "api"]))]
    kind: Option<String>,
}

impl Schema for SessionView {
    const NAME: &'static str = "Session";
}

impl Operation for SignIn {
    const SPEC: Spec = Spec::post(
        "sign_in",
        "/api/v1/sessions",
        "sessions",
        "Sign in with username and password; returns a bearer token. Attempts are limited per client address (429 too_many_requests with Retry-After)",
    )
    .not_changing()
    .rate_limited()
    .errors(&["sign_in_locked", "too_many_requests"]);
    const ACCESS: Access = Access::Public;
    type Path = ();
    type Query = NoQuery;
    type Body = JsonBody<Credentials>;
    type Answer = Json<HandWritten<SessionView>>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let body = input.body;
        let kind = body.kind.unwrap_or_else(|| "api".into());
        let session = shared
            .app
            .sign_in(&body.username, &body.password, &kind, input.peer)?;
        Ok(Json(HandWritten(session)))
    }
}

/// Sign out: the token dies.
pub(crate) struct SignOut;

/// An answer with nothing to say: an object with no properties at all.
#[derive(Serialize, JsonSchema)]
#[schemars(extend("properties" = {}, "required" = []))]
pub(crate) struct Empty {}

impl Operation for SignOut {
    const SPEC: Spec = Spec::delete(
        "sign_out",
        "/api/v1/sessions/current",
        "sessions",
        "Sign out: the token dies",
    )
    .not_changing();
    const ACCESS: Access = Access::SignedIn;
    no_input!();
    type Answer = Json<Empty>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        shared
            .app
            .sign_out(input.bearer.as_deref().unwrap_or_default())?;
        Ok(Json(Empty {}))
    }
}

/// The signed-in user.
pub(crate) struct WhoAmI;

/// The signed-in login, as its session knows it.
#[derive(Serialize, JsonSchema)]
pub(crate) struct Me {
    id: String,
    username: String,
    #[schemars(extend("enum" = crate::openapi::ROLES))]
    role: &'static str,
    bank_id: Option<String>,
    branch_id: Option<String>,
    person_id: Option<String>,
    employer_id: Option<String>,
    institution_id: Option<String>,
}

impl Operation for WhoAmI {
    const SPEC: Spec = Spec::get("whoami", "/api/v1/me", "sessions", "The signed-in user");
    const ACCESS: Access = Access::SignedIn;
    no_input!();
    type Answer = Json<Me>;

    fn call(_: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?;
        Ok(Json(Me {
            id: actor.user_id.to_string(),
            username: actor.username.clone(),
            role: actor.role.as_str(),
            bank_id: actor.bank_id.as_ref().map(|b| b.to_string()),
            branch_id: actor.branch_id.as_ref().map(|b| b.to_string()),
            person_id: actor.person_id.as_ref().map(|p| p.to_string()),
            employer_id: actor.employer_id.as_ref().map(|e| e.to_string()),
            institution_id: actor.institution_id.clone(),
        }))
    }
}
