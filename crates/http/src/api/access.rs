//! Access: sessions (sign-in, sign-out, who is signed in), logins and holder logins.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_app::access::auth::{NewUser, SessionView};
use shebao_app::access::holder_logins::{
    HolderLoginIssued, LoginReset, SelfEnrolment, WindowEnrolment,
};
use shebao_app::views::UserView;
use shebao_domain::access::Operation as Permission;
use shebao_domain::access::Role;

use super::kinds::{Json, JsonBody, NoQuery};
use super::person::with_identity_errors;
use super::{Access, Entry, In, Operation, Spec, entry, no_input};
use crate::Shared;
use crate::problem::Problem;

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(SignIn),
    entry(SignOut),
    entry(WhoAmI),
    entry(CreateUser),
    entry(EnrolHolderLogin),
    entry(OpenHolderLogin),
    entry(ResetHolderLogin),
];

/// The role names, from the domain's one list.
pub(crate) const ROLES: [&str; Role::ALL.len()] = {
    let mut names = [""; Role::ALL.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = Role::ALL[i].as_str();
        i += 1;
    }
    names
};

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
    type Answer = Json<SessionView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let body = input.body;
        let kind = body.kind.unwrap_or_else(|| "api".into());
        let session = shared
            .app
            .sign_in(&body.username, &body.password, &kind, input.peer)?;
        Ok(Json(session))
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
    #[schemars(extend("enum" = ROLES))]
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

/// Create a staff or machine login.
pub(crate) struct CreateUser;

impl Operation for CreateUser {
    const SPEC: Spec = Spec::post(
        "create_user",
        "/api/v1/users",
        "administration",
        "Create a staff or machine login (administrator); a holder login is refused (holder_login_by_enrolment)",
    )
    .errors(&["holder_login_by_enrolment", "conflict"]);
    const ACCESS: Access = Access::Needs(Permission::ManageUsers);
    type Path = ();
    type Query = NoQuery;
    type Body = JsonBody<NewUser>;
    type Answer = Json<UserView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        let user = shared.app.create_user(&actor, &input.key, input.body)?;
        Ok(Json(user))
    }
}

/// A holder's own enrolment (issue 13, finding 6): public, and limited per client address
/// like sign-in, since each attempt guesses at card data; a successful one gives its slot
/// back.
pub(crate) struct EnrolHolderLogin;

impl Operation for EnrolHolderLogin {
    const SPEC: Spec = Spec::post(
        "enrol_holder_login",
        "/api/v1/holder-logins",
        "sessions",
        "A holder's own enrolment: ID number, card number, identification code and social PIN of a collected card, and the login wanted. Any mismatch answers holder_enrolment_refused; a wrong PIN counts toward the card's PIN lock. Limited per client address (429 too_many_requests with Retry-After)",
    )
    .not_changing()
    .rate_limited()
    .errors(with_identity_errors![
        "too_many_requests",
        "holder_enrolment_refused",
        "holder_login_exists",
        "conflict",
        "no_parameters",
    ]);
    const ACCESS: Access = Access::Public;
    type Path = ();
    type Query = NoQuery;
    type Body = JsonBody<SelfEnrolment>;
    type Answer = Json<UserView>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        Ok(Json(shared.app.enrol_holder_login(input.body)?))
    }
}

/// Open the person's holder login at a bureau window.
pub(crate) struct OpenHolderLogin;

impl Operation for OpenHolderLogin {
    const SPEC: Spec = Spec::post(
        "open_holder_login",
        "/api/v1/persons/{person}/holder-login",
        "persons",
        "Open the person's holder login at a bureau window, original ID document checked; answers a one-time password, shown once",
    )
    .errors(&["holder_login_exists", "conflict", "one_time_password_shown"]);
    const ACCESS: Access = Access::Needs(Permission::ManageHolderLogins);
    type Path = (String,);
    type Query = NoQuery;
    type Body = JsonBody<WindowEnrolment>;
    type Answer = Json<HolderLoginIssued>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        let issued = shared
            .app
            .open_holder_login(&actor, &input.key, &input.path.0, input.body)?;
        Ok(Json(issued))
    }
}

/// Reset the person's holder password at a bureau window.
pub(crate) struct ResetHolderLogin;

impl Operation for ResetHolderLogin {
    const SPEC: Spec = Spec::post(
        "reset_holder_login",
        "/api/v1/persons/{person}/holder-login/reset",
        "persons",
        "Reset the person's holder password at a bureau window, original ID document checked; answers a one-time password, shown once, and ends the holder's sessions",
    )
    .errors(&["one_time_password_shown"]);
    const ACCESS: Access = Access::Needs(Permission::ManageHolderLogins);
    type Path = (String,);
    type Query = NoQuery;
    type Body = JsonBody<LoginReset>;
    type Answer = Json<HolderLoginIssued>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        let issued =
            shared
                .app
                .reset_holder_login(&actor, &input.key, &input.path.0, input.body)?;
        Ok(Json(issued))
    }
}
