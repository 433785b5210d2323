//! HTTP: logging, injected responses and the API key in front of the policy routes.

use std::sync::Arc;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{OriginalUri, Path, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Router, http};
use uuid::Uuid;

use crate::store::{self, ApiError};
use crate::{LoggedRequest, Shared};

/// Largest request body read (bodies of this API are small).
const MAX_BODY: usize = 1 << 20;

/// The state every handler extracts.
type AppState = State<Arc<Shared>>;

/// The fake's whole HTTP surface.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let policies = Router::new()
        .route("/tenants/policies", get(list).post(create))
        .route(
            "/tenants/policies/{id}",
            get(read).patch(update).delete(delete),
        )
        .method_not_allowed_fallback(not_found);
    Router::new()
        .nest(&format!("/{}", shared.stage), policies)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), front))
        .with_state(shared)
}

/// Runs before every route: logs the request, serves an injected response if one is queued,
/// then checks the `apikey` header.
async fn front(State(shared): AppState, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "request entity too large")
            .into_response();
    };
    let injected = {
        let mut state = shared.lock();
        state.log.push(LoggedRequest::new(&parts, &bytes));
        state.injected.pop_front()
    };
    if let Some(response) = injected {
        return response.into_response();
    }
    match parts.headers.get("apikey") {
        None => return ApiError::new(StatusCode::UNAUTHORIZED, "Missing API key").into_response(),
        Some(key) if key.as_bytes() != shared.api_key.as_bytes() => {
            return ApiError::new(StatusCode::UNAUTHORIZED, "Invalid API key").into_response();
        }
        Some(_) => {}
    }
    next.run(http::Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// NestJS's answer to a route it does not have.
async fn not_found(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!("Cannot {method} {}", uri.path()),
    )
}

/// A path id, or the 400 of NestJS's `ParseUUIDPipe`.
fn policy_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text)
        .ok()
        .filter(|_| store::is_uuid(text))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "Validation failed (uuid is expected)",
            )
        })
}

async fn list(State(shared): AppState) -> Response {
    Json(shared.lock().store.list()).into_response()
}

async fn create(State(shared): AppState, body: Bytes) -> Result<Response, ApiError> {
    let body = store::object(&body)?;
    let policy = shared.lock().store.create(&body)?;
    Ok((StatusCode::CREATED, Json(policy)).into_response())
}

async fn read(State(shared): AppState, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = policy_id(&id)?;
    Ok(Json(shared.lock().store.get(id)?).into_response())
}

async fn update(
    State(shared): AppState,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = policy_id(&id)?;
    let body = store::object(&body)?;
    Ok(Json(shared.lock().store.update(id, &body)?).into_response())
}

async fn delete(State(shared): AppState, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let id = policy_id(&id)?;
    shared.lock().store.delete(id)?;
    Ok(StatusCode::OK)
}
