//! The service's own operations: liveness, readiness, metrics, the OpenAPI document and the
//! docs page.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use shebao_app::AppError;

use super::kinds::{Exposition, Html, Json, Text};
use super::{Access, Entry, In, Operation, Spec, entry, no_input};
use crate::Shared;
use crate::problem::Problem;

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(Healthz),
    entry(Readyz),
    entry(Metrics),
    entry(OpenApiDocument),
    entry(Docs),
];

/// Liveness.
pub(crate) struct Healthz;

impl Operation for Healthz {
    const SPEC: Spec = Spec::get("healthz", "/healthz", "operations", "Liveness");
    const ACCESS: Access = Access::Public;
    no_input!();
    type Answer = Text;

    fn call(_: &Shared, _: In<Self>) -> Result<Self::Answer, Problem> {
        Ok(Text("ok"))
    }
}

/// Readiness.
pub(crate) struct Readyz;

impl Operation for Readyz {
    const SPEC: Spec = Spec::get(
        "readyz",
        "/readyz",
        "operations",
        "Readiness: the database answers",
    );
    const ACCESS: Access = Access::Public;
    no_input!();
    type Answer = Text;

    /// Ready when the store answers a read and writes are not failing for lack of room (a
    /// node whose disk is full is taken out of rotation instead of refusing every change).
    fn call(shared: &Shared, _: In<Self>) -> Result<Self::Answer, Problem> {
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
    }
}

/// Prometheus metrics.
pub(crate) struct Metrics;

impl Operation for Metrics {
    const SPEC: Spec = Spec::get(
        "metrics",
        "/metrics",
        "operations",
        "Prometheus metrics, for the operator only: `Authorization: Bearer <scrape token>` as printed by `shebao admin metrics-token` (401 unauthenticated without it; no session of any role is enough)",
    );
    const ACCESS: Access = Access::Operator;
    no_input!();
    type Answer = Exposition;

    fn call(shared: &Shared, _: In<Self>) -> Result<Self::Answer, Problem> {
        Ok(Exposition(shared.metrics.render()))
    }
}

/// This OpenAPI document.
pub(crate) struct OpenApiDocument;

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

impl Operation for OpenApiDocument {
    const SPEC: Spec = Spec::get(
        "openapi",
        "/openapi.json",
        "operations",
        "This OpenAPI document",
    );
    const ACCESS: Access = Access::Public;
    no_input!();
    type Answer = Json<OpenApi>;

    fn call(_: &Shared, _: In<Self>) -> Result<Self::Answer, Problem> {
        serde_json::from_value(crate::api::document::document())
            .map(Json)
            .map_err(|error| AppError::Internal(error.to_string()).into())
    }
}

/// The API documentation page.
pub(crate) struct Docs;

impl Operation for Docs {
    const SPEC: Spec = Spec::get("docs", "/docs", "operations", "The API documentation page");
    const ACCESS: Access = Access::Public;
    no_input!();
    type Answer = Html;

    fn call(_: &Shared, _: In<Self>) -> Result<Self::Answer, Problem> {
        Ok(Html(super::docs::page()))
    }
}
