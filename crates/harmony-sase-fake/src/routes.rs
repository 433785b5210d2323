//! The fake's HTTP surface: routes, the request gate (rate limit, auth) and handlers.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, Request, State as Extract};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde_json::{Value, json};

use crate::state::State;

type Shared = fake_kit::Shared<State>;
type Params = Query<HashMap<String, String>>;

pub(crate) fn router(state: Shared) -> Router {
    Router::new()
        .route("/api/v1/auth/authorize", post(authorize))
        .route("/api/rest/v1/users", get(list_users).post(create_user))
        .route("/api/rest/v1/users/{id}", delete(delete_user))
        .route("/api/rest/v1/groups", get(list_groups).post(create_group))
        .route("/api/rest/v1/groups/{id}", delete(delete_group))
        .route(
            "/api/rest/v1/groups/{group}/member/{user}",
            post(add_member).delete(remove_member),
        )
        .route("/api/rest/v1/addons", get(list_addons))
        .route("/api/rest/v1/addons/members", post(buy_members))
        .route("/api/rest/v1/addons/gateways", post(buy_gateways))
        .route("/api/rest/v1/networks", get(list_networks))
        .route("/api/rest/v1/networks/{id}/health", get(network_health))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "Cannot find the requested route") })
        .layer(middleware::from_fn_with_state(state.clone(), gate))
        .with_state(state)
}

/// The API's error body: `{id, message}`.
fn error(status: StatusCode, message: &str) -> Response {
    let body = json!({"id": format!("err-{}", status.as_u16()), "message": message});
    (status, axum::Json(body)).into_response()
}

/// Serves the rate limit's 429 or the bearer check's 401 before the handler.
async fn gate(Extract(state): Extract<Shared>, request: Request, next: Next) -> Response {
    let bearer = {
        let mut s = state.lock();
        if !s.within_rate_limit() {
            // Like the real API: no Retry-After.
            return error(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests");
        }
        let token = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "));
        token.is_some_and(|t| s.token_valid(t))
    };
    if request.uri().path().starts_with("/api/rest/") && !bearer {
        return error(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    next.run(request).await
}

async fn authorize(Extract(state): Extract<Shared>, body: axum::body::Bytes) -> Response {
    let mut s = state.lock();
    s.authorize_count += 1;
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, "Body must be JSON");
    };
    if request["grantType"] != "api_key" {
        return error(StatusCode::BAD_REQUEST, "grantType must be api_key");
    }
    if request["apiKey"].as_str() != Some(s.api_key.as_str()) {
        return error(StatusCode::UNAUTHORIZED, "Invalid API key");
    }
    axum::Json(json!({"data": s.issue_token()})).into_response()
}

/// Pages `items` as the API does: 1-based `page`, `limit` (default 10, at most 100).
fn paged(items: &[Value], params: &HashMap<String, String>) -> Response {
    let number =
        |key: &str, default: usize| params.get(key).map_or(Ok(default), |v| v.parse::<usize>());
    let (Ok(page), Ok(limit)) = (number("page", 1), number("limit", 10)) else {
        return error(
            StatusCode::BAD_REQUEST,
            "page and limit must be positive integers",
        );
    };
    if page == 0 || limit == 0 || limit > 100 {
        return error(
            StatusCode::BAD_REQUEST,
            "page must be >= 1 and limit between 1 and 100",
        );
    }
    let data: Vec<_> = items
        .iter()
        .skip((page - 1) * limit)
        .take(limit)
        .cloned()
        .collect();
    axum::Json(json!({
        "data": data,
        "page": page,
        "totalPage": items.len().div_ceil(limit),
        "itemsTotal": items.len(),
    }))
    .into_response()
}

/// Applies `q` (substring of any text field) and one `sort[field]` to a list.
fn query(items: &[Value], params: &HashMap<String, String>) -> Vec<Value> {
    let mut found: Vec<Value> = match params.get("q") {
        Some(q) => items
            .iter()
            .filter(|item| {
                item.as_object().is_some_and(|o| {
                    o.values()
                        .any(|v| v.as_str().is_some_and(|s| s.contains(q.as_str())))
                })
            })
            .cloned()
            .collect(),
        None => items.to_vec(),
    };
    let sort = params.iter().find_map(|(k, v)| {
        let field = k.strip_prefix("sort[")?.strip_suffix(']')?;
        Some((field.to_string(), v == "desc"))
    });
    if let Some((field, descending)) = sort {
        found.sort_by(|a, b| {
            let order = a[&field].as_str().cmp(&b[&field].as_str());
            if descending { order.reverse() } else { order }
        });
    }
    found
}

async fn list_users(Extract(state): Extract<Shared>, Query(params): Params) -> Response {
    let s = state.lock();
    paged(&query(&s.users, &params), &params)
}

async fn create_user(Extract(state): Extract<Shared>, body: axum::body::Bytes) -> Response {
    let mut s = state.lock();
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, "Body must be JSON");
    };
    let Some(email) = request["email"].as_str().filter(|e| e.contains('@')) else {
        return error(StatusCode::BAD_REQUEST, "email must be an email");
    };
    if s.users.iter().any(|u| u["email"] == email) {
        return error(StatusCode::BAD_REQUEST, "User already exists");
    }
    let profile = &request["profileData"];
    let first = profile["firstName"].as_str().unwrap_or("");
    let last = profile["lastName"].as_str().unwrap_or("");
    let user = s.new_user(email, first, last);
    s.users.push(user.clone());
    (StatusCode::CREATED, axum::Json(user)).into_response()
}

/// Removes the item with `id` from a list, returning it.
fn take(items: &mut Vec<Value>, id: &str) -> Option<Value> {
    let at = items.iter().position(|item| item["id"] == id)?;
    Some(items.remove(at))
}

async fn delete_user(Extract(state): Extract<Shared>, Path(id): Path<String>) -> Response {
    let mut s = state.lock();
    match take(&mut s.users, &id) {
        Some(user) => {
            for group in &mut s.groups {
                if let Some(users) = group["users"].as_array_mut() {
                    users.retain(|u| u != &id);
                }
            }
            axum::Json(user).into_response()
        }
        None => error(StatusCode::NOT_FOUND, "User not found"),
    }
}

async fn list_groups(Extract(state): Extract<Shared>, Query(params): Params) -> Response {
    let s = state.lock();
    paged(&query(&s.groups, &params), &params)
}

async fn create_group(Extract(state): Extract<Shared>, body: axum::body::Bytes) -> Response {
    let mut s = state.lock();
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, "Body must be JSON");
    };
    let Some(name) = request["name"].as_str().filter(|n| !n.is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "name should not be empty");
    };
    if s.groups.iter().any(|g| g["name"] == name) {
        return error(StatusCode::BAD_REQUEST, "Group already exists");
    }
    let group = json!({
        "id": s.id("group"), "name": name, "description": request["description"],
        "isDefault": false, "applications": [], "networks": [], "vpnLocations": [], "users": [],
        "tenantId": "fake-tenant", "createdAt": "2026-03-02T09:30:00.000Z"
    });
    s.groups.push(group.clone());
    (StatusCode::CREATED, axum::Json(group)).into_response()
}

async fn delete_group(Extract(state): Extract<Shared>, Path(id): Path<String>) -> Response {
    let mut s = state.lock();
    match take(&mut s.groups, &id) {
        Some(group) => axum::Json(group).into_response(),
        None => error(StatusCode::NOT_FOUND, "Group not found"),
    }
}

/// Adds (`true`) or removes a member, answering with the group.
fn membership(state: &Shared, group: &str, user: &str, add: bool) -> Response {
    let mut s = state.lock();
    if !s.users.iter().any(|u| u["id"] == user) {
        return error(StatusCode::NOT_FOUND, "User not found");
    }
    let Some(entry) = s.groups.iter_mut().find(|g| g["id"] == group) else {
        return error(StatusCode::NOT_FOUND, "Group not found");
    };
    let Some(users) = entry["users"].as_array_mut() else {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "corrupt group");
    };
    let present = users.iter().any(|u| u == user);
    match (add, present) {
        (true, true) => return error(StatusCode::BAD_REQUEST, "User is already a member"),
        (false, false) => return error(StatusCode::NOT_FOUND, "User is not a member"),
        (true, false) => users.push(json!(user)),
        (false, true) => users.retain(|u| u != user),
    }
    let status = if add {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (status, axum::Json(entry.clone())).into_response()
}

async fn add_member(
    Extract(state): Extract<Shared>,
    Path((group, user)): Path<(String, String)>,
) -> Response {
    membership(&state, &group, &user, true)
}

async fn remove_member(
    Extract(state): Extract<Shared>,
    Path((group, user)): Path<(String, String)>,
) -> Response {
    membership(&state, &group, &user, false)
}

fn addon_statistics(s: &State) -> Value {
    let used = s.users.len() as i64;
    json!([
        {"additionalType": "members", "total": s.member_licences, "used": used,
         "remaining": s.member_licences - used, "expired": 0},
        {"additionalType": "gateways", "total": s.gateway_licences, "used": s.networks.len(),
         "remaining": s.gateway_licences - s.networks.len() as i64, "expired": 0}
    ])
}

async fn list_addons(Extract(state): Extract<Shared>) -> Response {
    let s = state.lock();
    axum::Json(json!({"data": addon_statistics(&s), "page": 1, "totalPage": 1, "itemsTotal": 2}))
        .into_response()
}

/// Buys `amount` licences of a kind, answering with the subscription.
fn buy(state: &Shared, body: &[u8], members: bool) -> Response {
    let mut s = state.lock();
    let amount = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|b| b["amount"].as_i64());
    let Some(amount) = amount.filter(|a| *a >= 1) else {
        return error(StatusCode::BAD_REQUEST, "amount must be a positive integer");
    };
    if members {
        s.member_licences += amount;
    } else {
        s.gateway_licences += amount;
    }
    axum::Json(json!({
        "id": "sub-fake", "status": "active", "currencyCode": "USD", "billingPeriodUnit": "month",
        "addons": [
            {"id": "members", "quantity": s.member_licences, "status": "active", "pricingModel": "per_unit", "periodUnit": "month"},
            {"id": "gateways", "quantity": s.gateway_licences, "status": "active", "pricingModel": "per_unit", "periodUnit": "month"}
        ]
    }))
    .into_response()
}

async fn buy_members(Extract(state): Extract<Shared>, body: axum::body::Bytes) -> Response {
    buy(&state, &body, true)
}

async fn buy_gateways(Extract(state): Extract<Shared>, body: axum::body::Bytes) -> Response {
    buy(&state, &body, false)
}

async fn list_networks(Extract(state): Extract<Shared>) -> Response {
    let s = state.lock();
    axum::Json(json!({"data": s.networks})).into_response()
}

async fn network_health(Extract(state): Extract<Shared>, Path(id): Path<String>) -> Response {
    let s = state.lock();
    let Some(network) = s.networks.iter().find(|n| n["id"] == id) else {
        return error(StatusCode::NOT_FOUND, "Network not found");
    };
    let first = network["name"] == "office";
    axum::Json(json!({"data": [
        {"type": "tunnel", "status": if first { "passing" } else { "critical" }, "meta": {"tunnelId": "t-1"}},
        {"type": "gateway", "status": "degraded-new-value", "meta": {}}
    ]}))
    .into_response()
}
