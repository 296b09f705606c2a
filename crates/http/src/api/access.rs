//! Access: sessions (sign-in, sign-out, who is signed in), logins and holder logins.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_app::access::auth::{NewUser, SessionView};
use shebao_app::access::holder_logins::{
    HolderLoginIssued, LoginReset, SelfEnrolment, WindowEnrolment,
};
use shebao_app::views::UserView;
use shebao_domain::access::Role;

use super::kinds::{Json, JsonBody, NoBody, NoQuery};
use super::{Entry, In, codes, entry, operations};

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

/// An answer with nothing to say: an object with no properties at all.
#[derive(Serialize, JsonSchema)]
#[schemars(extend("properties" = {}, "required" = []))]
pub(crate) struct Empty {}

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
    provider_id: Option<String>,
    vendor_id: Option<String>,
}

operations! {
    tag: "sessions";

    /// Sign in with username and password; returns a bearer token. Attempts are limited per client
    /// address (429 too_many_requests with Retry-After)
    SignIn: post "sign_in" "/api/v1/sessions"
        .not_changing()
        .rate_limited()
        .errors(&["sign_in_locked", "too_many_requests"]) {
        access: Public,
        types: (), NoQuery, JsonBody<Credentials> => Json<SessionView>,
        call_shared: |shared, In { body, peer, .. }| {
            let kind = body.kind.unwrap_or_else(|| "api".into());
            let session = shared
                .app
                .sign_in(&body.username, &body.password, &kind, peer)?;
            Ok(Json(session))
        },
    }

    /// Sign out: the token dies
    SignOut: delete "sign_out" "/api/v1/sessions/current" .not_changing() {
        access: SignedIn,
        types: (), NoQuery, NoBody => Json<Empty>,
        call: |app, _, In { bearer, .. }| {
            app.sign_out(bearer.as_deref().unwrap_or_default())?;
            Json(Empty {})
        },
    }

    /// The signed-in user
    WhoAmI: get "whoami" "/api/v1/me" {
        access: SignedIn,
        types: (), NoQuery, NoBody => Json<Me>,
        call: |_, actor, _| Json(Me {
            id: actor.user_id.to_string(),
            username: actor.username.clone(),
            role: actor.role.as_str(),
            bank_id: actor.scope.bank_id.as_ref().map(|b| b.to_string()),
            branch_id: actor.scope.branch_id.as_ref().map(|b| b.to_string()),
            person_id: actor.scope.person_id.as_ref().map(|p| p.to_string()),
            employer_id: actor.scope.employer_id.as_ref().map(|e| e.to_string()),
            institution_id: actor.scope.institution_id.clone(),
            provider_id: actor.scope.provider_id.clone(),
            vendor_id: actor.scope.vendor_id.clone(),
        }),
    }

    /// A holder's own enrolment: ID number, card number, identification code and social PIN of a
    /// collected card, and the login wanted. Any mismatch answers holder_enrolment_refused; a wrong
    /// PIN counts toward the card's PIN lock. Limited per client address (429 too_many_requests
    /// with Retry-After)
    EnrolHolderLogin: post "enrol_holder_login" "/api/v1/holder-logins"
        .not_changing()
        .rate_limited()
        .errors(codes![
            "too_many_requests",
            "holder_enrolment_refused",
            "holder_login_exists",
            "conflict",
            "no_parameters",
            identity,
        ]) {
        // Issue 13, finding 6: public, and limited per client address like sign-in, since
        // each attempt guesses at card data; a successful one gives its slot back.
        access: Public,
        types: (), NoQuery, JsonBody<SelfEnrolment> => Json<UserView>,
        call_shared: |shared, input| Ok(Json(shared.app.enrol_holder_login(input.body)?)),
    }
}

operations! {
    tag: "administration";

    /// Create a staff or machine login (administrator); a holder login is refused
    /// (holder_login_by_enrolment)
    CreateUser: post "create_user" "/api/v1/users"
        .errors(&["holder_login_by_enrolment", "conflict"]) {
        Needs(ManageUsers): create_user(key, body: NewUser) -> Json<UserView>
    }
}

operations! {
    tag: "persons";

    /// Open the person's holder login at a bureau window, original ID document checked; answers a
    /// one-time password, shown once
    OpenHolderLogin: post "open_holder_login" "/api/v1/persons/{person}/holder-login"
        .errors(&["holder_login_exists", "conflict", "one_time_password_shown"]) {
        Needs(ManageHolderLogins): open_holder_login(key, person, body: WindowEnrolment)
            -> Json<HolderLoginIssued>
    }

    /// Reset the person's holder password at a bureau window, original ID document checked; answers
    /// a one-time password, shown once, and ends the holder's sessions
    ResetHolderLogin: post "reset_holder_login" "/api/v1/persons/{person}/holder-login/reset"
        .errors(&["one_time_password_shown"]) {
        Needs(ManageHolderLogins): reset_holder_login(key, person, body: LoginReset)
            -> Json<HolderLoginIssued>
    }
}
