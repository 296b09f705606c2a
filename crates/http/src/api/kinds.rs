//! The kinds of input and answer an operation may have: how each is taken from a request or
//! made into a response, and how the OpenAPI document describes it.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use schemars::{JsonSchema, SchemaGenerator};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::Shared;
use crate::extract::{Body, Params, Path};
use crate::problem::Problem;

/// Path segments, one per `{name}` in the operation's path, in order.
pub(crate) trait PathParams: Sized + Send + 'static {
    fn extract(
        parts: &mut Parts,
        shared: &Shared,
    ) -> impl Future<Output = Result<Self, Problem>> + Send;
    /// One schema per segment.
    fn schemas(generator: &mut SchemaGenerator) -> Vec<Value>;
}

impl PathParams for () {
    async fn extract(_: &mut Parts, _: &Shared) -> Result<Self, Problem> {
        Ok(())
    }

    fn schemas(_: &mut SchemaGenerator) -> Vec<Value> {
        Vec::new()
    }
}

impl<A: DeserializeOwned + JsonSchema + Send + 'static> PathParams for (A,) {
    async fn extract(parts: &mut Parts, shared: &Shared) -> Result<Self, Problem> {
        Path::<(A,)>::from_request_parts(parts, shared)
            .await
            .map(|Path(value)| value)
    }

    fn schemas(generator: &mut SchemaGenerator) -> Vec<Value> {
        vec![generator.subschema_for::<A>().to_value()]
    }
}

impl<A, B> PathParams for (A, B)
where
    A: DeserializeOwned + JsonSchema + Send + 'static,
    B: DeserializeOwned + JsonSchema + Send + 'static,
{
    async fn extract(parts: &mut Parts, shared: &Shared) -> Result<Self, Problem> {
        Path::<(A, B)>::from_request_parts(parts, shared)
            .await
            .map(|Path(value)| value)
    }

    fn schemas(generator: &mut SchemaGenerator) -> Vec<Value> {
        vec![
            generator.subschema_for::<A>().to_value(),
            generator.subschema_for::<B>().to_value(),
        ]
    }
}

/// Query parameters: none, or a struct whose fields are the parameters.
pub(crate) trait QueryParams: Sized + Send + 'static {
    fn extract(
        parts: &mut Parts,
        shared: &Shared,
    ) -> impl Future<Output = Result<Self, Problem>> + Send;
    /// The OpenAPI parameter objects (`in: query`).
    fn parameters(generator: &mut SchemaGenerator) -> Vec<Value>;
}

/// No query parameters (any sent are ignored, as axum's routes always did).
pub(crate) struct NoQuery;

impl QueryParams for NoQuery {
    async fn extract(_: &mut Parts, _: &Shared) -> Result<Self, Problem> {
        Ok(NoQuery)
    }

    fn parameters(_: &mut SchemaGenerator) -> Vec<Value> {
        Vec::new()
    }
}

/// Query parameters read into `T`, one parameter per field of its schema.
pub(crate) struct Query<T>(pub T);

impl<T: DeserializeOwned + JsonSchema + Send + 'static> QueryParams for Query<T> {
    async fn extract(parts: &mut Parts, shared: &Shared) -> Result<Self, Problem> {
        Params::<T>::from_request_parts(parts, shared)
            .await
            .map(|Params(value)| Query(value))
    }

    fn parameters(generator: &mut SchemaGenerator) -> Vec<Value> {
        let schema = T::json_schema(generator).to_value();
        let required = strings(&schema["required"]);
        schema["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, property)| {
                json!({ "name": name, "in": "query", "required": required.contains(&name.as_str()), "schema": property })
            })
            .collect()
    }
}

/// A request body: how it is read, and its media type and schema in the document.
pub(crate) trait Input: Send + 'static {
    type Value: Send + 'static;
    fn extract(
        request: Request,
        shared: &Shared,
    ) -> impl Future<Output = Result<Self::Value, Problem>> + Send;
    /// The media type and schema, or `None` for no body.
    fn document(generator: &mut SchemaGenerator) -> Option<(&'static str, Value)>;
}

/// No body: whatever is sent is read to its end (up to the server's small body limit) and
/// dropped, so that the connection is not closed under a client still sending it, which
/// would reset the connection before the client reads the answer.
pub(crate) struct NoBody;

impl Input for NoBody {
    type Value = ();

    async fn extract(request: Request, _: &Shared) -> Result<(), Problem> {
        // Too large or too slow a body is the body limit's and the body timeout's to answer
        // for; the operation answers regardless, as it always did.
        let _ignored = axum::body::to_bytes(request.into_body(), crate::BODY_LIMIT_BYTES).await;
        Ok(())
    }

    fn document(_: &mut SchemaGenerator) -> Option<(&'static str, Value)> {
        None
    }
}

/// A JSON body read into `T` (malformed ones, and NUL escapes, answer a problem).
pub(crate) struct JsonBody<T>(std::marker::PhantomData<T>);

impl<T: DeserializeOwned + JsonSchema + Send + 'static> Input for JsonBody<T> {
    type Value = T;

    async fn extract(request: Request, shared: &Shared) -> Result<T, Problem> {
        Body::<T>::from_request(request, shared)
            .await
            .map(|Body(value)| value)
    }

    fn document(generator: &mut SchemaGenerator) -> Option<(&'static str, Value)> {
        Some((
            "application/json",
            generator.subschema_for::<T>().to_value(),
        ))
    }
}

/// Raw bytes with a documented media type; the application reads them.
async fn bytes(request: Request, shared: &Shared) -> Result<axum::body::Bytes, Problem> {
    axum::body::Bytes::from_request(request, shared)
        .await
        .map_err(|rejection| {
            crate::extract::json_problem(&axum::extract::rejection::JsonRejection::from(rejection))
        })
}

/// Declares a body of raw bytes with one media type; the application reads them.
macro_rules! raw_body {
    ($(#[$doc:meta])* $name:ident, $media:literal) => {
        $(#[$doc])*
        pub(crate) struct $name;

        impl Input for $name {
            type Value = axum::body::Bytes;

            async fn extract(request: Request, shared: &Shared) -> Result<Self::Value, Problem> {
                bytes(request, shared).await
            }

            fn document(_: &mut SchemaGenerator) -> Option<(&'static str, Value)> {
                Some(($media, json!({ "type": "string", "contentMediaType": $media })))
            }
        }
    };
}

raw_body!(
    /// A CSV (or XLSX) file as sent: declaration imports, reconciliation files.
    CsvText,
    "text/csv"
);
raw_body!(
    /// A PDF document as sent (a certificate to verify).
    PdfBytes,
    "application/pdf"
);

/// An answer: its response, and its statuses, media types and schemas in the document.
pub(crate) trait Output: Send + 'static {
    fn respond(self) -> Response;
    /// `(status, media type, schema)` of each successful answer.
    fn answers(generator: &mut SchemaGenerator) -> Vec<(u16, &'static str, Value)>;
}

/// 200 with `T` as JSON.
pub(crate) struct Json<T>(pub T);

impl<T> From<T> for Json<T> {
    fn from(value: T) -> Self {
        Json(value)
    }
}

impl<T: Serialize + JsonSchema + Send + 'static> Output for Json<T> {
    fn respond(self) -> Response {
        axum::Json(self.0).into_response()
    }

    fn answers(generator: &mut SchemaGenerator) -> Vec<(u16, &'static str, Value)> {
        vec![(
            200,
            "application/json",
            generator.subschema_for::<T>().to_value(),
        )]
    }
}

/// 202 with `T` as JSON: a request that waits for a second person.
pub(crate) struct Accepted<T>(pub T);

impl<T> From<T> for Accepted<T> {
    fn from(value: T) -> Self {
        Accepted(value)
    }
}

impl<T: Serialize + JsonSchema + Send + 'static> Output for Accepted<T> {
    fn respond(self) -> Response {
        (StatusCode::ACCEPTED, axum::Json(self.0)).into_response()
    }

    fn answers(generator: &mut SchemaGenerator) -> Vec<(u16, &'static str, Value)> {
        vec![(
            202,
            "application/json",
            generator.subschema_for::<T>().to_value(),
        )]
    }
}

/// A money change's answer: 200 with the transfer, or 202 with the request that waits for a
/// second person (issue 13, maker-checker).
pub(crate) enum Outcome<T, A> {
    Posted(T),
    AwaitingApproval(A),
}

impl<T, A> Output for Outcome<T, A>
where
    T: Serialize + JsonSchema + Send + 'static,
    A: Serialize + JsonSchema + Send + 'static,
{
    fn respond(self) -> Response {
        match self {
            Outcome::Posted(transfer) => Json(transfer).respond(),
            Outcome::AwaitingApproval(request) => Accepted(request).respond(),
        }
    }

    fn answers(generator: &mut SchemaGenerator) -> Vec<(u16, &'static str, Value)> {
        let mut answers = Json::<T>::answers(generator);
        answers.extend(Accepted::<A>::answers(generator));
        answers
    }
}

/// Declares an answer of text or bytes with one media type.
macro_rules! media_answer {
    ($(#[$doc:meta])* $name:ident($inner:ty), $header:literal, $media:literal) => {
        $(#[$doc])*
        pub(crate) struct $name(pub $inner);

        impl From<$inner> for $name {
            fn from(value: $inner) -> Self {
                $name(value)
            }
        }

        impl Output for $name {
            fn respond(self) -> Response {
                ([(CONTENT_TYPE, $header)], self.0).into_response()
            }

            fn answers(_: &mut SchemaGenerator) -> Vec<(u16, &'static str, Value)> {
                vec![(200, $media, json!({ "type": "string", "contentMediaType": $media }))]
            }
        }
    };
}

media_answer!(
    /// A CSV file.
    Csv(String),
    "text/csv; charset=utf-8",
    "text/csv"
);
media_answer!(
    /// A PDF document.
    Pdf(Vec<u8>),
    "application/pdf",
    "application/pdf"
);
media_answer!(
    /// An HTML page.
    Html(String),
    "text/html; charset=utf-8",
    "text/html"
);
media_answer!(
    /// Plain text.
    Text(&'static str),
    "text/plain; charset=utf-8",
    "text/plain"
);
media_answer!(
    /// Prometheus' text exposition format.
    Exposition(String),
    "text/plain; version=0.0.4",
    "text/plain"
);

/// An answer whose schema is written by hand beside its operation rather than derived:
/// `HandWritten<T>` serialises as `T`, and its schema is [`Schema::schema`] under
/// [`Schema::NAME`]. For the few answers whose type is also read with another contract (a
/// request read back) or is not a Rust type of its own (a problem document); each says why.
pub(crate) struct HandWritten<T>(pub T);

/// A value answered as JSON under its hand-written schema.
impl<T: Schema> From<T> for Json<HandWritten<T>> {
    fn from(value: T) -> Self {
        Json(HandWritten(value))
    }
}

/// The hand-written schema of an answer, and its name in the document.
pub(crate) trait Schema {
    const NAME: &'static str;
    fn schema() -> serde_json::Value;
}

impl<T: Serialize> Serialize for HandWritten<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<T: Schema> JsonSchema for HandWritten<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::NAME.into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> schemars::Schema {
        generator
            .definitions_mut()
            .insert(T::NAME.to_owned(), T::schema());
        schemars::json_schema!({ "$ref": format!("#/components/schemas/{}", T::NAME) })
    }
}

/// The strings of a JSON array (none if it is not one).
pub(crate) fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}
