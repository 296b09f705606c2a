//! The one handler every typed operation is served by: it extracts in the order the old
//! handlers did (signed actor, `Idempotency-Key` when the operation changes state, path,
//! query, body), admits sign-ins through the limiter, runs `call` on a blocking thread in
//! the request's span, and answers.

use axum::extract::{DefaultBodyLimit, FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post};

use super::kinds::{Input, Output, PathParams, QueryParams};
use super::{Access, In, Method, Operation};
use crate::Shared;
use crate::extract::{Key, Signed, blocking};
use crate::problem::Problem;
use crate::sign_in_limit;
use crate::trace::OperationId;

/// The route of `O`: its method, the standard handler, and its body limit if it has one.
pub(crate) fn standard<O: Operation>() -> MethodRouter<Shared> {
    let handler = |State(shared): State<Shared>, request: Request| async move {
        let mut response = handle::<O>(shared, request)
            .await
            .unwrap_or_else(IntoResponse::into_response);
        // The request's metrics (`crate::trace`) are labelled with the operation.
        response.extensions_mut().insert(OperationId(O::SPEC.id));
        response
    };
    let route = match O::SPEC.method {
        Method::Get => get(handler),
        Method::Post => post(handler),
        Method::Delete => delete(handler),
    };
    match O::SPEC.body_limit {
        Some(bytes) => route.layer(DefaultBodyLimit::max(bytes)),
        None => route,
    }
}

/// The `Authorization: Bearer` token as sent.
fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned)
}

async fn handle<O: Operation>(shared: Shared, request: Request) -> Result<Response, Problem> {
    // The request's span (`crate::trace`) names the operation; the role follows once the
    // actor is known.
    tracing::Span::current().record("operation", O::SPEC.id);
    let (mut parts, body) = request.into_parts();
    let peer = shared.sign_in_limiter.client_of(&parts);
    let bearer = bearer(&parts.headers);
    let actor = match O::ACCESS {
        Access::SignedIn | Access::Needs(_) => {
            Some(Signed::from_request_parts(&mut parts, &shared).await?.0)
        }
        Access::Operator => {
            if !bearer
                .as_deref()
                .is_some_and(|token| shared.app.vault().is_scrape_token(token))
            {
                return Err(Problem::new(
                    401,
                    "unauthenticated",
                    "the operator's scrape token is required",
                ));
            }
            None
        }
        Access::Public => None,
    };
    let key = if O::SPEC.changes {
        Key::from_request_parts(&mut parts, &shared).await?.0
    } else {
        String::new()
    };
    let path = O::Path::extract(&mut parts, &shared).await?;
    let query = O::Query::extract(&mut parts, &shared).await?;
    let body = O::Body::extract(Request::from_parts(parts, body), &shared).await?;
    let ticket = if O::SPEC.rate_limited {
        match sign_in_limit::admit(&shared, peer).await {
            Ok(ticket) => Some(ticket),
            Err(retry_after) => return Ok(sign_in_limit::too_many_requests(retry_after)),
        }
    } else {
        None
    };
    let input = In::<O> {
        actor,
        key,
        path,
        query,
        body,
        peer,
        bearer,
    };
    let answer = if O::SPEC.inline {
        O::call(&shared, input)?
    } else {
        let server = shared.clone();
        blocking(&shared.app, &shared.calls, move |_| O::call(&server, input))
            .await
            .map_err(Problem::from)??
    };
    if let Some(ticket) = ticket {
        shared.sign_in_limiter.succeeded(ticket);
    }
    Ok(answer.respond())
}
