//! The stored policies and the API's rules: validation, defaults, partial updates, conflicts.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// An error answer in the vendor's NestJS shape `{statusCode, message, error}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    /// One sentence, or a list of sentences for validation errors.
    message: Value,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<Value>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    fn not_found(id: Uuid) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            format!("Policy with id {id} not found"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "statusCode": self.status.as_u16(),
            "message": self.message,
            "error": self.status.canonical_reason().unwrap_or("Error"),
        });
        (self.status, axum::Json(body)).into_response()
    }
}

/// The JSON type a request field must have, and how it is stored.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Any string, stored as sent (enum values too: unknown ones are kept).
    Text,
    /// A non-empty string.
    Name,
    /// A boolean.
    Flag,
    /// A UUID, stored as `{"id": …}`.
    Id,
    /// A list of UUIDs, stored as a list of `{"id": …}`.
    Ids,
    /// A list of strings, stored as sent.
    Texts,
}

/// Every property a request body may set, with its kind. Others are ignored.
const FIELDS: &[(&str, Kind)] = &[
    ("name", Kind::Name),
    ("description", Kind::Text),
    ("type", Kind::Text),
    ("mode", Kind::Text),
    ("action", Kind::Flag),
    ("allGroups", Kind::Flag),
    ("allUsers", Kind::Flag),
    ("allDevices", Kind::Flag),
    ("allResources", Kind::Flag),
    ("groups", Kind::Ids),
    ("users", Kind::Ids),
    ("devices", Kind::Ids),
    ("resources", Kind::Ids),
    ("gateways", Kind::Ids),
    ("rule", Kind::Id),
    ("sourceIps", Kind::Texts),
];

/// Properties a create must have (the spec's `CreatePolicy.required`).
const REQUIRED_ON_CREATE: &[&str] = &[
    "name",
    "type",
    "action",
    "allGroups",
    "allUsers",
    "allDevices",
    "allResources",
];

/// Properties of a create that a PATCH cannot change (not in `UpdatePolicy`): ignored there.
const CREATE_ONLY: &[&str] = &["type"];

/// Whether `text` is a UUID in the hyphenated form class-validator's `isUUID` accepts.
pub(crate) fn is_uuid(text: &str) -> bool {
    text.len() == 36 && Uuid::parse_str(text).is_ok()
}

/// The class-validator sentences for a value of `kind` in property `name`, if it is wrong.
fn check(name: &str, kind: Kind, value: &Value, problems: &mut Vec<String>) {
    let each_uuid = |items: &Vec<Value>| items.iter().all(|v| v.as_str().is_some_and(is_uuid));
    match (kind, value) {
        (Kind::Text, Value::String(_)) | (Kind::Flag, Value::Bool(_)) => {}
        (Kind::Name, Value::String(text)) if !text.is_empty() => {}
        (Kind::Name, Value::String(_)) => problems.push(format!("{name} should not be empty")),
        (Kind::Text | Kind::Name, _) => problems.push(format!("{name} must be a string")),
        (Kind::Flag, _) => problems.push(format!("{name} must be a boolean value")),
        (Kind::Id, Value::String(text)) if is_uuid(text) => {}
        (Kind::Id, _) => problems.push(format!("{name} must be a UUID")),
        (Kind::Ids, Value::Array(items)) if each_uuid(items) => {}
        (Kind::Ids, Value::Array(_)) => {
            problems.push(format!("each value in {name} must be a UUID"))
        }
        (Kind::Texts, Value::Array(items)) if items.iter().all(Value::is_string) => {}
        (Kind::Texts, Value::Array(_)) => {
            problems.push(format!("each value in {name} must be a string"))
        }
        (Kind::Ids | Kind::Texts, _) => problems.push(format!("{name} must be an array")),
    }
}

/// A request value as the `Policy` response shows it.
fn stored(kind: Kind, value: &Value) -> Value {
    match (kind, value) {
        (Kind::Id, id) => json!({ "id": id }),
        (Kind::Ids, Value::Array(ids)) => ids.iter().map(|id| json!({ "id": id })).collect(),
        (_, other) => other.clone(),
    }
}

/// The value a `Policy` shows for a property that was never set.
fn unset(kind: Kind) -> Value {
    match kind {
        Kind::Ids | Kind::Texts => json!([]),
        _ => Value::Null,
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The body as a JSON object, or the 400 NestJS answers.
pub(crate) fn object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        let message = if body.is_empty() {
            "Request body is empty".to_string()
        } else {
            format!("Unexpected JSON: {e}")
        };
        ApiError::new(StatusCode::BAD_REQUEST, message)
    })?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            vec!["request body must be an object".to_string()],
        )),
    }
}

/// The tenant's policies.
#[derive(Default)]
pub(crate) struct Store {
    policies: Vec<Value>,
    last_order: i64,
}

impl Store {
    /// Every policy, in ascending `order`.
    pub(crate) fn list(&self) -> Vec<Value> {
        let mut all = self.policies.clone();
        all.sort_by_key(|p| p["order"].as_i64().unwrap_or(i64::MAX));
        all
    }

    fn position(&self, id: Uuid) -> Result<usize, ApiError> {
        self.policies
            .iter()
            .position(|p| p["id"].as_str().and_then(|s| Uuid::parse_str(s).ok()) == Some(id))
            .ok_or_else(|| ApiError::not_found(id))
    }

    /// 409 when another policy than `except` already has `name`.
    fn check_unique(&self, name: &str, except: Option<usize>) -> Result<(), ApiError> {
        let taken = self
            .policies
            .iter()
            .enumerate()
            .any(|(i, p)| Some(i) != except && p["name"] == name);
        if taken {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!("Policy with name \"{name}\" already exists"),
            ));
        }
        Ok(())
    }

    pub(crate) fn get(&self, id: Uuid) -> Result<Value, ApiError> {
        Ok(self.policies[self.position(id)?].clone())
    }

    pub(crate) fn create(&mut self, body: &Map<String, Value>) -> Result<Value, ApiError> {
        let mut problems = Vec::new();
        for &(name, kind) in FIELDS {
            match body.get(name) {
                Some(value) => check(name, kind, value, &mut problems),
                None if REQUIRED_ON_CREATE.contains(&name) => {
                    check(name, kind, &Value::Null, &mut problems);
                    if kind == Kind::Name {
                        problems.insert(problems.len() - 1, format!("{name} should not be empty"));
                    }
                }
                None => {}
            }
        }
        if !problems.is_empty() {
            return Err(ApiError::new(StatusCode::BAD_REQUEST, problems));
        }
        self.check_unique(body["name"].as_str().unwrap_or_default(), None)?;
        let created = now();
        self.last_order += 1;
        let mut policy = Map::new();
        policy.insert("id".into(), json!(Uuid::new_v4()));
        policy.insert("createdAt".into(), json!(created));
        policy.insert("updatedAt".into(), json!(created));
        policy.insert("order".into(), json!(self.last_order));
        policy.insert("isDefault".into(), json!(false));
        for &(name, kind) in FIELDS {
            let value = body
                .get(name)
                .map_or_else(|| unset(kind), |v| stored(kind, v));
            policy.insert(name.into(), value);
        }
        let policy = Value::Object(policy);
        self.policies.push(policy.clone());
        Ok(policy)
    }

    /// Applies the properties present in `body`; absent ones stay as they are.
    pub(crate) fn update(
        &mut self,
        id: Uuid,
        body: &Map<String, Value>,
    ) -> Result<Value, ApiError> {
        let fields = FIELDS
            .iter()
            .filter(|(name, _)| !CREATE_ONLY.contains(name) && body.contains_key(*name));
        let mut problems = Vec::new();
        for &(name, kind) in fields.clone() {
            check(name, kind, &body[name], &mut problems);
        }
        if !problems.is_empty() {
            return Err(ApiError::new(StatusCode::BAD_REQUEST, problems));
        }
        let at = self.position(id)?;
        if let Some(name) = body.get("name").and_then(Value::as_str) {
            self.check_unique(name, Some(at))?;
        }
        let policy = &mut self.policies[at];
        for &(name, kind) in fields {
            policy[name] = stored(kind, &body[name]);
        }
        policy["updatedAt"] = json!(now());
        Ok(policy.clone())
    }

    pub(crate) fn delete(&mut self, id: Uuid) -> Result<(), ApiError> {
        let at = self.position(id)?;
        self.policies.remove(at);
        Ok(())
    }

    /// Stores `policy` as it is (an `id` is added when missing); returns its id.
    pub(crate) fn insert(&mut self, mut policy: Value) -> String {
        let object = policy
            .as_object_mut()
            .expect("insert_policy takes a JSON object");
        let id = object
            .entry("id")
            .or_insert_with(|| json!(Uuid::new_v4()))
            .as_str()
            .unwrap_or_default()
            .to_string();
        if let Some(order) = object.get("order").and_then(Value::as_i64) {
            self.last_order = self.last_order.max(order);
        }
        self.policies.push(policy);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(value: Value) -> Map<String, Value> {
        value.as_object().expect("object").clone()
    }

    fn valid() -> Map<String, Value> {
        body(json!({
            "name": "p", "type": "PRIVATE", "action": true,
            "allGroups": false, "allUsers": false, "allDevices": false, "allResources": false,
        }))
    }

    #[test]
    fn create_fills_defaults_and_shapes_ids() {
        let mut store = Store::default();
        let mut request = valid();
        request.insert(
            "groups".into(),
            json!(["550e8400-e29b-41d4-a716-446655440000"]),
        );
        request.insert("rule".into(), json!("550e8400-e29b-41d4-a716-446655440005"));
        request.insert("unknownProperty".into(), json!(1));
        let policy = store.create(&request).expect("valid");
        assert_eq!(
            policy["groups"],
            json!([{ "id": "550e8400-e29b-41d4-a716-446655440000" }])
        );
        assert_eq!(
            policy["rule"],
            json!({ "id": "550e8400-e29b-41d4-a716-446655440005" })
        );
        assert_eq!(policy["users"], json!([]));
        assert_eq!(policy["mode"], Value::Null);
        assert_eq!(policy["order"], 1);
        assert!(policy.get("unknownProperty").is_none());
    }

    #[test]
    fn validation_lists_every_problem() {
        let mut store = Store::default();
        let error = store
            .create(&body(
                json!({ "type": 3, "groups": ["x"], "sourceIps": "10.0.0.0/8" }),
            ))
            .unwrap_err();
        assert_eq!(error.status, StatusCode::BAD_REQUEST);
        let messages: Vec<_> = error
            .message
            .as_array()
            .expect("list")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            messages.contains(&"name should not be empty"),
            "{messages:?}"
        );
        assert!(messages.contains(&"name must be a string"), "{messages:?}");
        assert!(messages.contains(&"type must be a string"), "{messages:?}");
        assert!(
            messages.contains(&"action must be a boolean value"),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"each value in groups must be a UUID"),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"sourceIps must be an array"),
            "{messages:?}"
        );
    }

    #[test]
    fn patch_changes_only_present_fields_and_keeps_names_unique() {
        let mut store = Store::default();
        let first = store.create(&valid()).expect("valid");
        let mut other = valid();
        other.insert("name".into(), json!("q"));
        other.insert("mode".into(), json!("LOCAL"));
        let second = store.create(&other).expect("valid");
        let id = Uuid::parse_str(second["id"].as_str().expect("id")).expect("uuid");
        let updated = store
            .update(id, &body(json!({ "description": "d", "type": "SAAS" })))
            .expect("valid");
        assert_eq!(updated["description"], "d");
        assert_eq!(updated["mode"], "LOCAL");
        assert_eq!(updated["type"], "PRIVATE", "type is not updatable");
        let error = store
            .update(id, &body(json!({ "name": first["name"] })))
            .unwrap_err();
        assert_eq!(error.status, StatusCode::CONFLICT);
        assert!(
            store.update(id, &body(json!({ "name": "q" }))).is_ok(),
            "keeping its own name is no conflict"
        );
        assert_eq!(
            store
                .update(Uuid::nil(), &body(json!({})))
                .unwrap_err()
                .status,
            StatusCode::NOT_FOUND
        );
    }
}
