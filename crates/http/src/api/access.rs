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

use super::kinds::{Json, JsonBody, NoBody, NoQuery};
use super::person::with_identity_errors;
use super::{Access, Entry, In, Spec, entry, operation};

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

operation! {
    /// Sign in with username and password.
    SignIn {
        spec: Spec::post(
            "sign_in",
            "/api/v1/sessions",
            "sessions",
            "Sign in with username and password; returns a bearer token. Attempts are limited per client address (429 too_many_requests with Retry-After)",
        )
        .not_changing()
        .rate_limited()
        .errors(&["sign_in_locked", "too_many_requests"]),
        access: Access::Public,
        types: (), NoQuery, JsonBody<Credentials> => Json<SessionView>,
        call_shared: |shared, In { body, peer, .. }| {
            let kind = body.kind.unwrap_or_else(|| "api".into());
            let session = shared
                .app
                .sign_in(&body.username, &body.password, &kind, peer)?;
            Ok(Json(session))
        },
    }
}

/// An answer with nothing to say: an object with no properties at all.
#[derive(Serialize, JsonSchema)]
#[schemars(extend("properties" = {}, "required" = []))]
pub(crate) struct Empty {}

operation! {
    /// Sign out: the token dies.
    SignOut {
        spec: Spec::delete(
            "sign_out",
            "/api/v1/sessions/current",
            "sessions",
            "Sign out: the token dies",
        )
        .not_changing(),
        access: Access::SignedIn,
        types: (), NoQuery, NoBody => Json<Empty>,
        call: |app, _, In { bearer, .. }| {
            app.sign_out(bearer.as_deref().unwrap_or_default())?;
            Json(Empty {})
        },
    }
}

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

operation! {
    /// The signed-in user.
    WhoAmI {
        spec: Spec::get("whoami", "/api/v1/me", "sessions", "The signed-in user"),
        access: Access::SignedIn,
        types: (), NoQuery, NoBody => Json<Me>,
        call: |_, actor, _| Json(Me {
            id: actor.user_id.to_string(),
            username: actor.username.clone(),
            role: actor.role.as_str(),
            bank_id: actor.bank_id.as_ref().map(|b| b.to_string()),
            branch_id: actor.branch_id.as_ref().map(|b| b.to_string()),
            person_id: actor.person_id.as_ref().map(|p| p.to_string()),
            employer_id: actor.employer_id.as_ref().map(|e| e.to_string()),
            institution_id: actor.institution_id.clone(),
        }),
    }
}

operation! {
    /// Create a staff or machine login.
    CreateUser {
        spec: Spec::post(
            "create_user",
            "/api/v1/users",
            "administration",
            "Create a staff or machine login (administrator); a holder login is refused (holder_login_by_enrolment)",
        )
        .errors(&["holder_login_by_enrolment", "conflict"]),
        access: Access::Needs(Permission::ManageUsers),
        types: (), NoQuery, JsonBody<NewUser> => Json<UserView>,
        call: |app, actor, In { key, body, .. }| Json(app.create_user(actor, &key, body)?),
    }
}

operation! {
    /// A holder's own enrolment (issue 13, finding 6): public, and limited per client address
    /// like sign-in, since each attempt guesses at card data; a successful one gives its slot
    /// back.
    EnrolHolderLogin {
        spec: Spec::post(
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
        ]),
        access: Access::Public,
        types: (), NoQuery, JsonBody<SelfEnrolment> => Json<UserView>,
        call_shared: |shared, input| Ok(Json(shared.app.enrol_holder_login(input.body)?)),
    }
}

operation! {
    /// Open the person's holder login at a bureau window.
    OpenHolderLogin {
        spec: Spec::post(
            "open_holder_login",
            "/api/v1/persons/{person}/holder-login",
            "persons",
            "Open the person's holder login at a bureau window, original ID document checked; answers a one-time password, shown once",
        )
        .errors(&["holder_login_exists", "conflict", "one_time_password_shown"]),
        access: Access::Needs(Permission::ManageHolderLogins),
        types: (String,), NoQuery, JsonBody<WindowEnrolment> => Json<HolderLoginIssued>,
        call: |app, actor, In { key, path: (person,), body, .. }| {
            Json(app.open_holder_login(actor, &key, &person, body)?)
        },
    }
}

operation! {
    /// Reset the person's holder password at a bureau window.
    ResetHolderLogin {
        spec: Spec::post(
            "reset_holder_login",
            "/api/v1/persons/{person}/holder-login/reset",
            "persons",
            "Reset the person's holder password at a bureau window, original ID document checked; answers a one-time password, shown once, and ends the holder's sessions",
        )
        .errors(&["one_time_password_shown"]),
        access: Access::Needs(Permission::ManageHolderLogins),
        types: (String,), NoQuery, JsonBody<LoginReset> => Json<HolderLoginIssued>,
        call: |app, actor, In { key, path: (person,), body, .. }| {
            Json(app.reset_holder_login(actor, &key, &person, body)?)
        },
    }
}
