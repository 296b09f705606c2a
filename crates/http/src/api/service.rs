//! The service's own operations: liveness, readiness, metrics, the OpenAPI document and the
//! docs page.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use shebao_app::AppError;

use super::kinds::{Exposition, Html, Json, NoBody, NoQuery, Text};
use super::{Entry, entry, operations};
use crate::problem::Problem;

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(Healthz),
    entry(Readyz),
    entry(Metrics),
    entry(OpenApiDocument),
    entry(Docs),
];

const TAG: &str = "operations";

/// An OpenAPI 3.1 document (its parts are free-form here).
#[derive(Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "OpenApi")]
pub(crate) struct OpenApi {
    #[schemars(extend("enum" = ["3.1.0"]))]
    openapi: String,
    info: Map<String, Value>,
    paths: Map<String, Value>,
    components: Map<String, Value>,
}

operations! {
    tag: TAG;

    /// Liveness
    Healthz: get "healthz" "/healthz" .inline() {
        access: Public,
        types: (), NoQuery, NoBody => Text,
        call_shared: |_, _| Ok(Text("ok")),
    }

    /// Readiness: the database answers
    Readyz: get "readyz" "/readyz" {
        access: Public,
        types: (), NoQuery, NoBody => Text,
        // Ready when the store answers a read and writes are not failing for lack of room (a
        // node whose disk is full is taken out of rotation instead of refusing every change).
        call_shared: |shared, _| {
            if shared.app.store().storage_full() {
                return Err(Problem::new(
                    503,
                    "storage_full",
                    "writes are failing for lack of disk space",
                ));
            }
            shared
                .app
                .store()
                .read(|tx| tx.regions().map(|_| ()))
                .map_err(AppError::from)?;
            Ok(Text("ready"))
        },
    }

    /// Prometheus metrics, for the operator only: `Authorization: Bearer <scrape token>` as printed
    /// by `shebao admin metrics-token` (401 unauthenticated without it; no session of any role is
    /// enough)
    Metrics: get "metrics" "/metrics" .inline() {
        access: Operator,
        types: (), NoQuery, NoBody => Exposition,
        call_shared: |shared, _| Ok(Exposition(shared.metrics.render())),
    }

    /// This OpenAPI document
    OpenApiDocument: get "openapi" "/openapi.json" .inline() {
        access: Public,
        types: (), NoQuery, NoBody => Json<OpenApi>,
        call_shared: |_, _| {
            serde_json::from_value(crate::api::document::document())
                .map(Json)
                .map_err(|error| AppError::Internal(error.to_string()).into())
        },
    }

    /// The API documentation page
    Docs: get "docs" "/docs" .inline() {
        access: Public,
        types: (), NoQuery, NoBody => Html,
        call_shared: |_, _| Ok(Html(super::docs::page())),
    }
}
