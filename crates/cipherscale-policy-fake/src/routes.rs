//! HTTP: the API key in front of the policy routes, and the routes.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use fake_kit::Shared;
use uuid::Uuid;

use crate::store::{self, ApiError, Store};

/// The state every handler extracts.
type AppState = State<Shared<Store>>;

/// The fake's whole HTTP surface under `/{stage}`, answering requests with `api_key`.
pub(crate) fn router(stage: &str, api_key: Arc<str>, store: Shared<Store>) -> Router {
    let policies = Router::new()
        .route("/tenants/policies", get(list).post(create))
        .route(
            "/tenants/policies/{id}",
            get(read).patch(update).delete(delete),
        )
        .method_not_allowed_fallback(not_found);
    Router::new()
        .nest(&format!("/{stage}"), policies)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(api_key, front))
        .with_state(store)
}

/// Runs before every route: checks the `apikey` header.
async fn front(State(api_key): State<Arc<str>>, request: Request, next: Next) -> Response {
    match request.headers().get("apikey") {
        None => ApiError::new(StatusCode::UNAUTHORIZED, "Missing API key").into_response(),
        Some(key) if key.as_bytes() != api_key.as_bytes() => {
            ApiError::new(StatusCode::UNAUTHORIZED, "Invalid API key").into_response()
        }
        Some(_) => next.run(request).await,
    }
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

async fn list(State(store): AppState) -> Response {
    Json(store.lock().list()).into_response()
}

async fn create(State(store): AppState, body: Bytes) -> Result<Response, ApiError> {
    let body = store::object(&body)?;
    let policy = store.lock().create(&body)?;
    Ok((StatusCode::CREATED, Json(policy)).into_response())
}

async fn read(State(store): AppState, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = policy_id(&id)?;
    Ok(Json(store.lock().get(id)?).into_response())
}

async fn update(
    State(store): AppState,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = policy_id(&id)?;
    let body = store::object(&body)?;
    Ok(Json(store.lock().update(id, &body)?).into_response())
}

async fn delete(State(store): AppState, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let id = policy_id(&id)?;
    store.lock().delete(id)?;
    Ok(StatusCode::OK)
}
