//! Contributions: an employer's arrears and payments, and a person's history, totals and
//! personal accounts.

use schemars::JsonSchema;
use serde::Deserialize;
use shebao_app::insurance::{
    ArrearsView, ContributionView, InsuranceSummaryView, PaymentRequest, PaymentView,
};
use shebao_app::views::StatementView;
use shebao_domain::access::Operation as Permission;
use shebao_domain::insurance::Insurance;

use super::operation;
use crate::api::kinds::{JsonBody, NoBody, NoQuery, Query};
use crate::api::{Access, Spec};

operation! {
    /// An employer's unpaid months.
    ListArrears: Spec::get(
        "list_arrears",
        "/api/v1/employers/{employer}/arrears",
        "insurance",
        "An employer's unpaid months",
    ), Access::Needs(Permission::ReadEmployer);
    path (String,), query NoQuery, body NoBody => Json<Vec<ArrearsView>>;
    signed |app, actor, input| app.arrears(&actor, &input.path.0)
}

operation! {
    /// Record an employer's month as paid.
    RecordContributionPayment: Spec::post(
        "record_contribution_payment",
        "/api/v1/employers/{employer}/payments",
        "insurance",
        "Record an employer's month as paid: contributions post to the funds and personal accounts",
    )
    .errors(&["conflict"]), Access::Needs(Permission::RecordContributionPayment);
    path (String,), query NoQuery, body JsonBody<PaymentRequest> => Json<PaymentView>;
    signed |app, actor, input| {
        app.record_contribution_payment(&actor, &input.key, &input.path.0, input.body)
    }
}

/// The insurance a contribution history is limited to, if any.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct HistoryQuery {
    #[schemars(extend("enum" = Insurance::NAMES))]
    insurance: Option<String>,
}

operation! {
    /// A person's contributions month by month.
    ContributionHistory: Spec::get(
        "contribution_history",
        "/api/v1/persons/{person}/contributions",
        "insurance",
        "A person's contributions month by month",
    ), Access::Needs(Permission::ReadContributions);
    path (String,), query Query<HistoryQuery>, body NoBody => Json<Vec<ContributionView>>;
    signed |app, actor, input| {
        let Query(query) = &input.query;
        app.contribution_history(&actor, &input.path.0, query.insurance.as_deref())
    }
}

operation! {
    /// A person's insurance totals.
    InsuranceSummary: Spec::get(
        "insurance_summary",
        "/api/v1/persons/{person}/insurance-summary",
        "insurance",
        "Totals per insurance, pension and medical totals, personal accounts, contribution years",
    ), Access::Needs(Permission::ReadContributions);
    path (String,), query NoQuery, body NoBody => Json<InsuranceSummaryView>;
    signed |app, actor, input| app.insurance_summary(&actor, &input.path.0)
}

/// Which personal account: `pension` or `medical` (any other is not found).
#[derive(Deserialize, JsonSchema)]
#[schemars(inline, extend("enum" = ["pension", "medical"]))]
pub(crate) struct AccountKind(String);

/// A page of a statement: entries before a sequence number, at most `limit` of them.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StatementPage {
    before: Option<i64>,
    limit: Option<i64>,
}

operation! {
    /// A personal account's entries.
    PersonalAccountStatement: Spec::get(
        "personal_account_statement",
        "/api/v1/persons/{person}/personal-accounts/{kind}/statement",
        "insurance",
        "A personal pension or medical account's entries",
    ), Access::Needs(Permission::ReadContributions);
    path (String, AccountKind), query Query<StatementPage>, body NoBody
        => Json<StatementView>;
    signed |app, actor, input| {
        let ((person, AccountKind(kind)), Query(page)) = (&input.path, &input.query);
        app.personal_account_statement(&actor, person, kind, page.before, page.limit)
    }
}
