//! The fake at the HTTP level, with requests a typed client would refuse to build.

use cipherscale_policy_fake::{FakeServer, Injection};
use serde_json::{Value, json};

/// A raw HTTP session with one fake.
struct Raw {
    http: reqwest::Client,
    fake: FakeServer,
}

impl Raw {
    async fn start() -> Self {
        Self {
            http: reqwest::Client::new(),
            fake: FakeServer::start().await,
        }
    }

    /// Sends `method path` (below the base URL) with the fake's key unless `key` overrides it
    /// (`Some("")` omits the header); returns status, content type and body.
    async fn send(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
    ) -> (u16, String, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.fake.base_url()));
        match key.unwrap_or(self.fake.api_key()) {
            "" => {}
            key => request = request.header("apikey", key),
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("fake answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().expect("ascii").to_string())
            .unwrap_or_default();
        let text = response.text().await.expect("body");
        (
            status,
            content_type,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn create(&self, name: &str) -> Value {
        let (status, _, policy) = self
            .send("POST", "/tenants/policies", None, Some(valid(name)))
            .await;
        assert_eq!(status, 201, "{policy}");
        policy
    }
}

fn valid(name: &str) -> Value {
    json!({
        "name": name, "type": "PRIVATE", "action": true,
        "allGroups": false, "allUsers": false, "allDevices": false, "allResources": false,
    })
}

fn nest_error(status: u16, message: Value) -> Value {
    let error = reqwest::StatusCode::from_u16(status)
        .expect("status")
        .canonical_reason()
        .expect("reason");
    json!({ "statusCode": status, "message": message, "error": error })
}

#[tokio::test]
async fn base_url_has_the_stage_and_a_local_port() {
    let fake = FakeServer::builder()
        .stage("/v2/")
        .api_key("k")
        .start()
        .await;
    assert!(
        fake.base_url().starts_with("http://127.0.0.1:"),
        "{}",
        fake.base_url()
    );
    assert!(fake.base_url().ends_with("/v2"));
    assert_eq!((fake.api_key(), fake.stage()), ("k", "v2"));
    assert!(!format!("{fake:?}").contains("\"k\""));
}

#[tokio::test]
async fn missing_or_wrong_key_is_401_in_nestjs_shape() {
    let raw = Raw::start().await;
    let (status, content_type, body) = raw.send("GET", "/tenants/policies", Some(""), None).await;
    assert_eq!(
        (status, body),
        (401, nest_error(401, json!("Missing API key")))
    );
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let (status, _, body) = raw
        .send("DELETE", "/tenants/policies/x", Some("wrong"), None)
        .await;
    assert_eq!(
        (status, body),
        (401, nest_error(401, json!("Invalid API key")))
    );
    assert_eq!(raw.fake.request_count(), 2);
}

#[tokio::test]
async fn workflow_and_not_found() {
    let raw = Raw::start().await;
    let created = raw.create("first").await;
    let id = created["id"].as_str().expect("id").to_string();
    assert_eq!(created["order"], 1);
    assert_eq!(created["isDefault"], false);
    assert!(
        created["createdAt"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    let (status, _, read) = raw
        .send("GET", &format!("/tenants/policies/{id}"), None, None)
        .await;
    assert_eq!((status, &read), (200, &created));
    raw.create("second").await;
    let (_, _, list) = raw.send("GET", "/tenants/policies", None, None).await;
    let names: Vec<_> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|p| p["name"].clone())
        .collect();
    assert_eq!(names, [json!("first"), json!("second")]);
    let (status, content_type, body) = raw
        .send("DELETE", &format!("/tenants/policies/{id}"), None, None)
        .await;
    assert_eq!((status, content_type.as_str(), body), (200, "", json!("")));
    let (status, _, body) = raw
        .send("GET", &format!("/tenants/policies/{id}"), None, None)
        .await;
    assert_eq!(
        (status, body),
        (
            404,
            nest_error(404, json!(format!("Policy with id {id} not found")))
        )
    );
    let (status, _, body) = raw.send("PUT", "/tenants/policies", None, None).await;
    assert_eq!(
        (status, body),
        (
            404,
            nest_error(404, json!("Cannot PUT /qa/tenants/policies"))
        )
    );
    let (status, _, _) = raw.send("GET", "/tenants/other", None, None).await;
    assert_eq!(status, 404);
    assert_eq!(raw.fake.policies().len(), 1);
}

#[tokio::test]
async fn validation_errors_are_400() {
    let raw = Raw::start().await;
    let mut nameless = valid("x");
    nameless.as_object_mut().expect("object").remove("name");
    let (status, _, body) = raw
        .send("POST", "/tenants/policies", None, Some(nameless))
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        nest_error(
            400,
            json!(["name should not be empty", "name must be a string"])
        )
    );
    let (status, _, body) = raw
        .send("GET", "/tenants/policies/not-a-uuid", None, None)
        .await;
    assert_eq!(
        (status, body),
        (
            400,
            nest_error(400, json!("Validation failed (uuid is expected)"))
        )
    );
    let id = raw.create("p").await["id"]
        .as_str()
        .expect("id")
        .to_string();
    let change = json!({ "rule": "nope", "allUsers": "yes", "name": null });
    let (status, _, body) = raw
        .send(
            "PATCH",
            &format!("/tenants/policies/{id}"),
            None,
            Some(change),
        )
        .await;
    let expected = [
        "name must be a string",
        "allUsers must be a boolean value",
        "rule must be a UUID",
    ];
    assert_eq!((status, body), (400, nest_error(400, json!(expected))));
    let (status, _, _) = raw
        .send("POST", "/tenants/policies", None, Some(json!([1])))
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn duplicate_names_are_409() {
    let raw = Raw::start().await;
    raw.create("same").await;
    let (status, _, body) = raw
        .send("POST", "/tenants/policies", None, Some(valid("same")))
        .await;
    assert_eq!(
        (status, body),
        (
            409,
            nest_error(409, json!("Policy with name \"same\" already exists"))
        )
    );
    let id = raw.create("other").await["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (status, _, _) = raw
        .send(
            "PATCH",
            &format!("/tenants/policies/{id}"),
            None,
            Some(json!({"name": "same"})),
        )
        .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn patch_leaves_absent_fields_and_keeps_unknown_enum_values() {
    let raw = Raw::start().await;
    let mut body = valid("p");
    body["mode"] = json!("ZERO_TRUST_X");
    body["sourceIps"] = json!(["10.0.0.0/8"]);
    let (_, _, created) = raw
        .send("POST", "/tenants/policies", None, Some(body))
        .await;
    assert_eq!(created["mode"], "ZERO_TRUST_X");
    let path = format!("/tenants/policies/{}", created["id"].as_str().expect("id"));
    let (status, _, updated) = raw
        .send("PATCH", &path, None, Some(json!({ "description": "d" })))
        .await;
    assert_eq!(status, 200);
    assert_eq!(updated["description"], "d");
    for field in ["name", "mode", "sourceIps", "action", "order", "createdAt"] {
        assert_eq!(updated[field], created[field], "{field}");
    }
    let (_, _, updated) = raw
        .send("PATCH", &path, None, Some(json!({ "sourceIps": [] })))
        .await;
    assert_eq!(
        updated["sourceIps"],
        json!([]),
        "a list that is set replaces the list"
    );
}

#[tokio::test]
async fn injected_responses_come_first_and_everything_is_logged() {
    let raw = Raw::start().await;
    raw.fake.inject(
        Injection::status(200)
            .header("content-type", "text/html")
            .body("<html>maintenance</html>"),
    );
    raw.fake.inject(Injection::status(502));
    let (status, content_type, body) = raw
        .send("GET", "/tenants/policies", Some("wrong"), None)
        .await;
    assert_eq!(
        (status, content_type.as_str(), body),
        (200, "text/html", json!("<html>maintenance</html>"))
    );
    let (status, _, body) = raw
        .send("POST", "/tenants/policies", None, Some(json!({"a": 1})))
        .await;
    assert_eq!((status, body), (502, json!("")));
    let (status, _, _) = raw.send("GET", "/tenants/policies", None, None).await;
    assert_eq!(status, 200, "injections are used once");

    let log = raw.fake.requests();
    assert_eq!(log.len(), 3);
    assert_eq!(
        (log[1].method.as_str(), log[1].path.as_str()),
        ("POST", "/qa/tenants/policies")
    );
    assert_eq!(log[1].json(), Some(json!({"a": 1})));
    assert_eq!(
        log[0].header("APIKEY"),
        Some(raw.fake.redacted("wrong").as_str())
    );
    assert_eq!(raw.fake.count("get", "/qa/tenants/policies"), 2);
    assert!(
        !format!("{log:?}").contains(raw.fake.api_key()),
        "the log never holds the key"
    );
    raw.fake.clear_requests();
    assert_eq!(raw.fake.last_request(), None);
}

#[tokio::test]
async fn seeded_policies_are_served_as_stored() {
    let raw = Raw::start().await;
    let id = raw
        .fake
        .insert_policy(json!({ "name": "seeded", "order": 7, "extra": {"new": true} }));
    let (_, _, read) = raw
        .send("GET", &format!("/tenants/policies/{id}"), None, None)
        .await;
    assert_eq!(read["extra"], json!({"new": true}));
    assert_eq!(raw.create("next").await["order"], 8);
}
