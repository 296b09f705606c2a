//! Contributions: an employer's arrears and payments, and a person's history, totals and
//! personal accounts.

use crate::api::money::StatementQuery;
use schemars::JsonSchema;
use serde::Deserialize;
use shebao_app::insurance::{
    ArrearsView, ContributionView, InsuranceSummaryView, PaymentOrderRequest, PaymentOrderView,
    PaymentRequest, PaymentView,
};
use shebao_app::views::StatementView;
use shebao_domain::insurance::Insurance;

use crate::api::kinds::{Json, NoBody, Query};
use crate::api::{In, operations};

/// The insurance a contribution history is limited to, if any.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct HistoryQuery {
    #[schemars(extend("enum" = Insurance::NAMES))]
    insurance: Option<String>,
}

/// Which personal account: `pension` or `medical` (any other is not found).
#[derive(Deserialize, JsonSchema)]
#[schemars(inline, extend("enum" = ["pension", "medical"]))]
pub(crate) struct AccountKind(String);

operations! {
    tag: "insurance";

    /// An employer's unpaid months
    ListArrears: get "list_arrears" "/api/v1/employers/{employer}/arrears" {
        Needs(ReadEmployer): arrears(employer) -> Json<Vec<ArrearsView>>
    }

    /// Record an employer's month as paid: contributions post to the funds and personal accounts
    RecordContributionPayment: post "record_contribution_payment"
        "/api/v1/employers/{employer}/payments" .errors(&["conflict"]) {
        Needs(RecordContributionPayment):
            record_contribution_payment(key, employer, body: PaymentRequest)
            -> Json<PaymentView>
    }

    /// An employer orders one of its own owed months paid, confirming its total: the order moves no money; the month posts when the bureau records the money arrived
    OrderContributionPayment: post "order_contribution_payment"
        "/api/v1/employers/{employer}/payment-orders" .errors(&["conflict", "owed_total_changed"]) {
        Needs(OrderContributionPayment):
            order_contribution_payment(key, employer, body: PaymentOrderRequest)
            -> Json<PaymentOrderView>
    }

    /// A person's contributions month by month
    ContributionHistory: get "contribution_history" "/api/v1/persons/{person}/contributions" {
        access: Needs(ReadContributions),
        types: (String,), Query<HistoryQuery>, NoBody => Json<Vec<ContributionView>>,
        call: |app, actor, In { path: (person,), query: Query(query), .. }| {
            Json(app.contribution_history(actor, &person, query.insurance.as_deref())?)
        },
    }

    /// Totals per insurance, pension and medical totals, personal accounts, contribution years
    InsuranceSummary: get "insurance_summary" "/api/v1/persons/{person}/insurance-summary" {
        Needs(ReadContributions): insurance_summary(person) -> Json<InsuranceSummaryView>
    }

    /// A personal pension or medical account's entries
    PersonalAccountStatement: get "personal_account_statement"
        "/api/v1/persons/{person}/personal-accounts/{kind}/statement" {
        access: Needs(ReadContributions),
        types: (String, AccountKind), Query<StatementQuery>, NoBody => Json<StatementView>,
        call: |app, actor, In { path: (person, AccountKind(kind)), query: Query(page), .. }| {
            Json(app.personal_account_statement(actor, &person, &kind, page.window()?)?)
        },
    }
}
