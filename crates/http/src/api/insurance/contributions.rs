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

use crate::api::kinds::{Json, JsonBody, NoBody, NoQuery, Query};
use crate::api::{Access, In, Spec, operation};

operation! {
    /// An employer's unpaid months.
    ListArrears {
        spec: Spec::get(
            "list_arrears",
            "/api/v1/employers/{employer}/arrears",
            "insurance",
            "An employer's unpaid months",
        ),
        access: Access::Needs(Permission::ReadEmployer),
        types: (String,), NoQuery, NoBody => Json<Vec<ArrearsView>>,
        call: |app, actor, In { path: (employer,), .. }| Json(app.arrears(actor, &employer)?),
    }
}

operation! {
    /// Record an employer's month as paid.
    RecordContributionPayment {
        spec: Spec::post(
            "record_contribution_payment",
            "/api/v1/employers/{employer}/payments",
            "insurance",
            "Record an employer's month as paid: contributions post to the funds and personal accounts",
        )
        .errors(&["conflict"]),
        access: Access::Needs(Permission::RecordContributionPayment),
        types: (String,), NoQuery, JsonBody<PaymentRequest> => Json<PaymentView>,
        call: |app, actor, In { key, path: (employer,), body, .. }| {
            Json(app.record_contribution_payment(actor, &key, &employer, body)?)
        },
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
    ContributionHistory {
        spec: Spec::get(
            "contribution_history",
            "/api/v1/persons/{person}/contributions",
            "insurance",
            "A person's contributions month by month",
        ),
        access: Access::Needs(Permission::ReadContributions),
        types: (String,), Query<HistoryQuery>, NoBody => Json<Vec<ContributionView>>,
        call: |app, actor, In { path: (person,), query: Query(query), .. }| {
            Json(app.contribution_history(actor, &person, query.insurance.as_deref())?)
        },
    }
}

operation! {
    /// A person's insurance totals.
    InsuranceSummary {
        spec: Spec::get(
            "insurance_summary",
            "/api/v1/persons/{person}/insurance-summary",
            "insurance",
            "Totals per insurance, pension and medical totals, personal accounts, contribution years",
        ),
        access: Access::Needs(Permission::ReadContributions),
        types: (String,), NoQuery, NoBody => Json<InsuranceSummaryView>,
        call: |app, actor, In { path: (person,), .. }| Json(app.insurance_summary(actor, &person)?),
    }
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
    PersonalAccountStatement {
        spec: Spec::get(
            "personal_account_statement",
            "/api/v1/persons/{person}/personal-accounts/{kind}/statement",
            "insurance",
            "A personal pension or medical account's entries",
        ),
        access: Access::Needs(Permission::ReadContributions),
        types: (String, AccountKind), Query<StatementPage>, NoBody => Json<StatementView>,
        call: |app, actor, In { path: (person, AccountKind(kind)), query: Query(page), .. }| {
            Json(app.personal_account_statement(actor, &person, &kind, page.before, page.limit)?)
        },
    }
}
