//! The fake's HTTP surface: the EdgeGrid gateway (signature, nonce) and the handlers of the
//! API's operations.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, Request, State as Extract};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use fake_kit::Refusal;
use fake_kit::edgegrid::EdgeGridGateway;
use serde_json::{Value, json};

use crate::BASE_PATH;
use crate::activations;
use crate::state::{NewPolicy, State};

pub(crate) type Shared = fake_kit::Shared<State>;

pub(crate) fn router(state: Shared) -> Router {
    let at = |path: &str| format!("{BASE_PATH}{path}");
    Router::new()
        .route(&at("/policies"), post(create_policy))
        .route(&at("/policyInfoMaps"), get(list_policy_maps))
        .route(&at("/policies/{id}"), get(get_policy).put(modify_policy))
        .route(
            &at("/policyInfoList/{policy_id}"),
            get(list_policy_information),
        )
        .route(
            &at("/activations/"),
            get(list_activations).put(activate_policy),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// A JSON response with a content type.
fn json_response(status: StatusCode, content_type: &'static str, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, content_type)],
        body.to_string(),
    )
        .into_response()
}

/// The API's problem+json error.
pub(crate) fn problem(status: StatusCode, title: &str, detail: &str, instance: &str) -> Response {
    let kind = title.to_ascii_lowercase().replace(' ', "-");
    let body = json!({
        "type": format!("/cloudlets/v2/error-types/{kind}"),
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
        "instance": instance,
        "errors": [{"title": title, "detail": detail}],
    });
    json_response(status, "application/problem+json", &body)
}

/// The EdgeGrid gateway's error (`pep-authn`), as in the real 400/401 bodies.
fn gateway_error(status: StatusCode, detail: &str, method: &Method, instance: &str) -> Response {
    let (kind, title) = if status == StatusCode::BAD_REQUEST {
        ("request-error", "Bad request")
    } else {
        ("deny", "Not authorized")
    };
    let body = json!({
        "type": format!("https://problems.luna.akamaiapis.net/-/pep-authn/{kind}"),
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
        "instance": instance,
        "method": method.as_str(),
        "serverIp": "127.0.0.1",
        "clientIp": "127.0.0.1",
        "requestId": format!("{:08x}", rand_u32()),
        "requestTime": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    });
    json_response(status, "application/problem+json", &body)
}

fn rand_u32() -> u32 {
    uuid::Uuid::new_v4().as_u128() as u32
}

/// The gateway in front of the API: verifies the EdgeGrid signature over the request as
/// received and refuses it with the body Akamai's gateway sends.
pub(crate) fn gateway(gate: &EdgeGridGateway, parts: &Parts, body: &Bytes) -> Result<(), Refusal> {
    gate.check(parts, body).map_err(|denial| {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        let path = parts.uri.path_and_query().map_or("", |p| p.as_str());
        let instance = format!("http://{}{path}", host.unwrap_or_default());
        let response = gateway_error(denial.status, denial.detail, &parts.method, &instance);
        Refusal::new(denial.detail, response)
    })
}

async fn not_found(request: Request) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        "Not found",
        "No such resource",
        request.uri().path(),
    )
}

async fn method_not_allowed(request: Request) -> Response {
    problem(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method not allowed",
        &format!("{} is not supported on this resource", request.method()),
        request.uri().path(),
    )
}

/// Query parameters, decoded (the last value of a repeated name wins).
fn params(query: Option<&str>) -> HashMap<String, String> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// The `{responseCode, response, i18nCode, englishMessage}` envelope of the policy calls.
fn envelope(response: Value) -> Response {
    json_response(
        StatusCode::OK,
        "application/json",
        &json!({"responseCode": 0, "response": response, "i18nCode": 0, "englishMessage": null}),
    )
}

/// A policy as the list calls show it: without match rules.
fn summary(policy: &Value) -> Value {
    let mut policy = policy.clone();
    policy["matchRules"] = Value::Null;
    policy
}

/// A request the API refuses as invalid: a 400 problem once turned into a response.
struct Invalid {
    detail: String,
    instance: String,
}

impl IntoResponse for Invalid {
    fn into_response(self) -> Response {
        validation(&self.detail, &self.instance)
    }
}

fn invalid(detail: &str, instance: &str) -> Invalid {
    Invalid {
        detail: detail.to_owned(),
        instance: instance.to_owned(),
    }
}

fn validation(detail: &str, instance: &str) -> Response {
    problem(
        StatusCode::BAD_REQUEST,
        "Validation failed",
        detail,
        instance,
    )
}

fn parse_id(raw: &str, name: &str, instance: &str) -> Result<i64, Invalid> {
    raw.parse::<i64>()
        .map_err(|_| invalid(&format!("Value of `{name}` must be an integer."), instance))
}

/// Decodes a `{"policyManagerRequest": {"command": <command>, <command>: {...}}}` body and
/// returns the inner object.
fn manager_request(body: &[u8], command: &str, instance: &str) -> Result<Value, Invalid> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| invalid(&format!("The body is not JSON: {e}"), instance))?;
    let request = &value["policyManagerRequest"];
    if request["command"] != command {
        return Err(invalid(
            &format!("`policyManagerRequest.command` must be `{command}`."),
            instance,
        ));
    }
    match &request[command] {
        Value::Object(_) => Ok(request[command].clone()),
        _ => Err(invalid(
            &format!("`policyManagerRequest.{command}` must be an object."),
            instance,
        )),
    }
}

async fn create_policy(
    Extract(state): Extract<Shared>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let instance = format!("{BASE_PATH}/policies");
    let params = params(query.as_deref());
    let create = match manager_request(&body, "create", &instance) {
        Ok(create) => create,
        Err(invalid) => return invalid.into_response(),
    };
    let Some(name) = create["policyName"]
        .as_str()
        .filter(|n| !n.trim().is_empty())
    else {
        return validation("`policyName` is required.", &instance);
    };
    let mut s = state.lock();
    if let Some(existing) = s.by_name(name) {
        // The documented conflict: the existing policy, in the policy envelope.
        let body = json!({
            "responseCode": 0,
            "response": summary(&existing.policy),
            "i18nCode": 0,
            "englishMessage": null,
        });
        return json_response(StatusCode::CONFLICT, "application/json", &body);
    }
    let mut match_rules = create.get("matchRules").cloned().unwrap_or(Value::Null);
    if let Some(clone_id) = params.get("cloneId") {
        let clone_id = match parse_id(clone_id, "cloneId", &instance) {
            Ok(id) => id,
            Err(invalid) => return invalid.into_response(),
        };
        let Some(source) = s
            .latest_versions()
            .into_iter()
            .find(|v| v.policy_id() == clone_id || v.id() == clone_id)
        else {
            return problem(
                StatusCode::NOT_FOUND,
                "Not found",
                &format!("Policy to clone with id `{clone_id}` not found."),
                &instance,
            );
        };
        if match_rules.is_null() {
            match_rules = source.policy["matchRules"].clone();
        }
    }
    let policy = s.create(NewPolicy {
        name,
        description: create
            .get("policyDescription")
            .cloned()
            .unwrap_or(Value::Null),
        match_rules,
        contract_id: params.get("contractId").cloned(),
        group_id: params.get("groupId").cloned(),
    });
    envelope(json!([summary(&policy)]))
}

async fn list_policy_maps(Extract(state): Extract<Shared>, RawQuery(query): RawQuery) -> Response {
    let params = params(query.as_deref());
    let s = state.lock();
    let matches = |wanted: Option<&String>, have: &Option<String>| {
        wanted.is_none_or(|w| have.as_deref() == Some(w.as_str()))
    };
    let policies: Vec<Value> = s
        .latest_versions()
        .into_iter()
        .filter(|v| {
            matches(params.get("contractId"), &v.contract_id)
                && matches(params.get("groupId"), &v.group_id)
        })
        .map(|v| summary(&v.policy))
        .collect();
    envelope(Value::Array(policies))
}

async fn get_policy(Extract(state): Extract<Shared>, Path(id): Path<String>) -> Response {
    let instance = format!("{BASE_PATH}/policies/{id}");
    let id = match parse_id(&id, "id", &instance) {
        Ok(id) => id,
        Err(invalid) => return invalid.into_response(),
    };
    match state.lock().version(id) {
        Some(version) => envelope(version.policy.clone()),
        None => not_found_policy("Policy", id, &instance),
    }
}

fn not_found_policy(what: &str, id: i64, instance: &str) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        "Not found",
        &format!("{what} with id `{id}` not found."),
        instance,
    )
}

async fn modify_policy(
    Extract(state): Extract<Shared>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let instance = format!("{BASE_PATH}/policies/{id}");
    let id = match parse_id(&id, "id", &instance) {
        Ok(id) => id,
        Err(invalid) => return invalid.into_response(),
    };
    let update = match manager_request(&body, "update", &instance) {
        Ok(update) => update,
        Err(invalid) => return invalid.into_response(),
    };
    match state.lock().modify(id, &update) {
        Some(policy) => envelope(policy),
        None => not_found_policy("Policy", id, &instance),
    }
}

async fn list_policy_information(
    Extract(state): Extract<Shared>,
    Path(policy_id): Path<String>,
) -> Response {
    let instance = format!("{BASE_PATH}/policyInfoList/{policy_id}");
    let policy_id = match parse_id(&policy_id, "policyId", &instance) {
        Ok(id) => id,
        Err(invalid) => return invalid.into_response(),
    };
    let s = state.lock();
    let versions: Vec<Value> = s
        .versions
        .iter()
        .filter(|v| v.policy_id() == policy_id)
        .map(|v| summary(&v.policy))
        .collect();
    if versions.is_empty() {
        return not_found_policy("Policy", policy_id, &instance);
    }
    envelope(Value::Array(versions))
}

/// `network` (required for activation), `ids` as integers, `historyOnly` as a boolean.
pub(crate) struct ActivationQuery {
    pub(crate) network: Option<String>,
    pub(crate) ids: Option<Vec<i64>>,
    pub(crate) history_only: bool,
}

fn activation_query(query: Option<&str>, instance: &str) -> Result<ActivationQuery, Invalid> {
    let params = params(query);
    let network = match params.get("network").map(String::as_str) {
        None => None,
        Some(n @ ("staging" | "production")) => Some(n.to_owned()),
        Some(_) => {
            return Err(invalid(
                "Value of `network` must be `staging` or `production`.",
                instance,
            ));
        }
    };
    let ids = match params.get("ids") {
        None => None,
        Some(ids) => Some(
            ids.split(',')
                .map(|id| parse_id(id.trim(), "ids", instance))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let history_only = match params.get("historyOnly").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(invalid(
                "Value of `historyOnly` must be `true` or `false`.",
                instance,
            ));
        }
    };
    Ok(ActivationQuery {
        network,
        ids,
        history_only,
    })
}

async fn activate_policy(Extract(state): Extract<Shared>, RawQuery(query): RawQuery) -> Response {
    let instance = format!("{BASE_PATH}/activations/");
    let query = match activation_query(query.as_deref(), &instance) {
        Ok(query) => query,
        Err(invalid) => return invalid.into_response(),
    };
    let Some(network) = query.network else {
        return validation("`network` is required.", &instance);
    };
    let Some(ids) = query.ids.filter(|ids| !ids.is_empty()) else {
        return validation("`ids` is required.", &instance);
    };
    let mut s = state.lock();
    if let Some(missing) = ids.iter().find(|id| s.version(**id).is_none()) {
        return not_found_policy("Policy version", *missing, &instance);
    }
    s.activate(&network, &ids);
    // The seed documents a 200 without a body.
    StatusCode::OK.into_response()
}

async fn list_activations(Extract(state): Extract<Shared>, RawQuery(query): RawQuery) -> Response {
    let instance = format!("{BASE_PATH}/activations/");
    let query = match activation_query(query.as_deref(), &instance) {
        Ok(query) => query,
        Err(invalid) => return invalid.into_response(),
    };
    let s = state.lock();
    json_response(
        StatusCode::OK,
        "application/json",
        &activations::list(&s, &query),
    )
}
