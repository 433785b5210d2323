//! Cipherscale policy client against the in-memory fake (`cipherscale-policy-fake`): every
//! operation, typed errors, PATCH semantics, open enums, malformed responses and secrecy of the
//! API key. Only the public API of both crates is used.

use std::time::Duration;

use cipherscale_policy::types::{
    self, ErrorMessage, PolicyMode, PolicyModeKnown, PolicyType, PolicyTypeKnown,
};
use cipherscale_policy::{Client, ClientConfig, Error, RetryPolicy};
use cipherscale_policy_fake::{FakeServer, Injection};
use serde_json::{Value, json};

/// A client of `fake` whose retries wait milliseconds, not seconds.
fn client(fake: &FakeServer) -> Client {
    let config = ClientConfig {
        retry: RetryPolicy {
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            ..RetryPolicy::default()
        },
        ..Client::default_config()
    };
    Client::builder(fake.api_key())
        .base_url(fake.base_url())
        .config(config)
        .build()
        .expect("valid settings")
}

/// The body of a policy named `name`: PRIVATE, allow, every `all*` flag false.
pub(crate) fn private_policy(
    name: &str,
) -> impl FnOnce(types::builder::CreatePolicy) -> types::builder::CreatePolicy {
    let name = name.to_owned();
    move |b| {
        b.name(name)
            .type_(PolicyTypeKnown::Private)
            .action(true)
            .all_groups(false)
            .all_users(false)
            .all_devices(false)
            .all_resources(false)
    }
}

/// Creates a policy named `name` (see [`private_policy`]) and returns it.
pub(crate) async fn create(client: &Client, name: &str) -> types::Policy {
    client
        .create_policy()
        .body_map(private_policy(name))
        .send()
        .await
        .map_err(Error::from)
        .expect("create")
        .into_inner()
}

/// What a generated `send()` fails with (progenitor's error), before conversion.
type SendError = cipherscale_policy::generated::Error<types::Error>;

/// The error a call failed with, converted into the crate's [`Error`].
fn failed<T: std::fmt::Debug>(result: Result<T, SendError>) -> Error {
    Error::from(result.expect_err("the call fails"))
}

/// The decoded `message` of an API error, as a list of sentences.
fn messages(error: &Error) -> Vec<String> {
    match error.api_error().and_then(|e| e.message.clone()) {
        Some(ErrorMessage::String(one)) => vec![one],
        Some(ErrorMessage::Array(all)) => all,
        None => panic!("no decoded message in {error:?}"),
    }
}

#[tokio::test]
async fn every_operation_round_trips() {
    let fake = FakeServer::start().await;
    let client = client(&fake);

    let created = create(&client, "Engineering").await;
    assert_eq!(created.name, "Engineering");
    assert_eq!(
        created.type_,
        Some(PolicyType::from(PolicyTypeKnown::Private))
    );

    let read = client
        .get_policy()
        .policy_id(created.id)
        .send()
        .await
        .map_err(Error::from)
        .expect("get");
    assert_eq!(read.status().as_u16(), 200);
    assert_eq!(read.into_inner(), created);

    let patched = client
        .update_policy()
        .policy_id(created.id)
        .body_map(|b| b.name("Engineering (renamed)".to_string()))
        .send()
        .await
        .map_err(Error::from)
        .expect("patch")
        .into_inner();
    assert_eq!(patched.name, "Engineering (renamed)");
    assert_eq!(
        (patched.id, patched.created_at),
        (created.id, created.created_at)
    );

    create(&client, "Second").await;
    let listed = client
        .list_policies()
        .send()
        .await
        .map_err(Error::from)
        .expect("list")
        .into_inner();
    let names: Vec<_> = listed.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Engineering (renamed)", "Second"]);

    client
        .delete_policy()
        .policy_id(created.id)
        .send()
        .await
        .map_err(Error::from)
        .expect("delete");
    let error = failed(
        client
            .get_policy()
            .policy_id(created.id)
            .send()
            .await
            .map(|_| ()),
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        messages(&error),
        [format!("Policy with id {} not found", created.id)]
    );
    let error = failed(
        client
            .delete_policy()
            .policy_id(created.id)
            .send()
            .await
            .map(|_| ()),
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));

    // Every request carried the key and the crate's user agent.
    let sent = fake.requests();
    assert_eq!(sent.len(), 8);
    for request in &sent {
        assert_eq!(
            request.header("apikey"),
            Some(fake.redacted(fake.api_key()).as_str()),
            "{request:?}"
        );
        assert!(
            request
                .header("user-agent")
                .is_some_and(|ua| ua.starts_with("cipherscale-policy/"))
        );
    }
    assert_eq!(
        fake.count("DELETE", &format!("/qa/tenants/policies/{}", created.id)),
        2
    );
}

#[tokio::test]
async fn from_env_with_reaches_the_fake() {
    let fake = FakeServer::start().await;
    let vars = [
        ("CIPHERSCALE_API_KEY", fake.api_key().to_string()),
        ("CIPHERSCALE_URL", format!("{}/", fake.base_url())),
    ];
    let client = Client::from_env_with(|name| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    })
    .expect("configured");
    assert_eq!(client.base_url(), fake.base_url());
    let listed = client
        .list_policies()
        .send()
        .await
        .map_err(Error::from)
        .expect("list");
    assert!(listed.into_inner().is_empty());
}

#[tokio::test]
async fn a_given_reqwest_client_sends_the_requests() {
    let fake = FakeServer::start().await;
    let client = Client::builder(fake.api_key())
        .base_url(fake.base_url())
        .http_client(crate::own_http_client("my-tool/1.0"))
        .build()
        .expect("valid settings");
    client
        .list_policies()
        .send()
        .await
        .map_err(Error::from)
        .expect("list");
    let request = fake.last_request().expect("logged");
    assert_eq!(request.header("user-agent"), Some("my-tool/1.0"));
    assert_eq!(
        request.header("apikey"),
        Some(fake.redacted(fake.api_key()).as_str())
    );
}

#[tokio::test]
async fn wrong_api_key_is_a_typed_401() {
    let fake = FakeServer::start().await;
    let wrong_key = "cs-wrong-key-5f3c9a1e7b2d";
    let client = Client::new(wrong_key, fake.base_url()).expect("valid settings");
    let error = failed(client.list_policies().send().await);
    let Error::Api {
        response,
        error: decoded,
    } = &error
    else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(response.status.as_u16(), 401);
    let decoded = decoded.as_ref().expect("NestJS body decodes");
    assert_eq!(decoded.status_code, Some(401));
    assert_eq!(decoded.error.as_deref(), Some("Unauthorized"));
    assert_eq!(
        decoded.message,
        Some(ErrorMessage::String("Invalid API key".into()))
    );
    let raw: Value = serde_json::from_slice(&response.body).expect("raw body kept");
    assert_eq!(
        raw,
        json!({"statusCode": 401, "message": "Invalid API key", "error": "Unauthorized"})
    );
    for text in [
        format!("{error:?}"),
        error.to_string(),
        format!("{client:?}"),
    ] {
        assert!(!text.contains(wrong_key), "{text}");
    }
    assert_eq!(
        fake.last_request()
            .and_then(|r| r.header("apikey").map(str::to_string))
            .as_deref(),
        Some(fake.redacted(wrong_key).as_str())
    );
}

#[tokio::test]
async fn missing_api_key_is_refused_before_any_request() {
    let fake = FakeServer::start().await;
    let url = fake.base_url();
    let error = Client::from_env_with(|name| (name == "CIPHERSCALE_URL").then(|| url.clone()))
        .expect_err("no key");
    assert_eq!(
        (error.source.as_str(), error.key.as_str()),
        ("environment", "CIPHERSCALE_API_KEY")
    );
    let error = Client::new("", fake.base_url()).expect_err("empty key");
    assert_eq!(
        (error.source.as_str(), error.key.as_str()),
        ("Client::builder", "api_key")
    );
    assert_eq!(fake.request_count(), 0, "nothing was sent without a key");
}

#[tokio::test]
async fn validation_failures_are_typed_400s() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    let error = failed(
        client
            .create_policy()
            .body_map(|b| {
                b.name("")
                    .type_(PolicyTypeKnown::Saas)
                    .action(false)
                    .all_groups(true)
                    .all_users(true)
                    .all_devices(true)
                    .all_resources(true)
            })
            .send()
            .await
            .map(|_| ()),
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(messages(&error), ["name should not be empty"]);
    assert_eq!(
        error.api_error().and_then(|e| e.error.as_deref()),
        Some("Bad Request")
    );
    assert!(error.body().is_some_and(|b| !b.is_empty()));

    let policy = create(&client, "valid").await;
    let error = failed(
        client
            .update_policy()
            .policy_id(policy.id)
            .body_map(|b| b.name(String::new()))
            .send()
            .await
            .map(|_| ()),
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(messages(&error), ["name should not be empty"]);
}

#[tokio::test]
async fn duplicate_names_are_typed_409s() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    create(&client, "Only once").await;
    let error = failed(
        client
            .create_policy()
            .body_map(|b| {
                b.name("Only once")
                    .type_(PolicyTypeKnown::Private)
                    .action(true)
                    .all_groups(false)
                    .all_users(false)
                    .all_devices(false)
                    .all_resources(false)
            })
            .send()
            .await
            .map(|_| ()),
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    assert_eq!(error.api_error().and_then(|e| e.status_code), Some(409));
    assert_eq!(
        messages(&error),
        ["Policy with name \"Only once\" already exists"]
    );

    let other = create(&client, "Other").await;
    let error = failed(
        client
            .update_policy()
            .policy_id(other.id)
            .body_map(|b| b.name("Only once".to_string()))
            .send()
            .await
            .map(|_| ()),
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
}

#[tokio::test]
async fn patch_sends_only_the_fields_that_are_set() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    let policy = client
        .create_policy()
        .body_map(|b| {
            b.name("Before")
                .description(Some("kept".to_string()))
                .mode(Some(PolicyModeKnown::Restricted.into()))
                .source_ips(Some(vec!["10.0.0.0/8".to_string()].into()))
                .type_(PolicyTypeKnown::Internet)
                .action(false)
                .all_groups(true)
                .all_users(false)
                .all_devices(false)
                .all_resources(false)
        })
        .send()
        .await
        .map_err(Error::from)
        .expect("create")
        .into_inner();

    let patched = client
        .update_policy()
        .policy_id(policy.id)
        .body_map(|b| b.name("After".to_string()))
        .send()
        .await
        .map_err(Error::from)
        .expect("patch")
        .into_inner();
    let sent = fake.last_request().expect("logged");
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("PATCH", &*format!("/qa/tenants/policies/{}", policy.id))
    );
    assert_eq!(
        sent.json(),
        Some(json!({"name": "After"})),
        "body: {}",
        sent.body_text()
    );
    assert_eq!(patched.name, "After");
    assert_eq!(patched.description.as_deref(), Some("kept"));
    assert_eq!(patched.mode, policy.mode);
    assert_eq!(patched.source_ips, Some(vec!["10.0.0.0/8".to_string()]));
    assert_eq!((patched.action, patched.all_groups), (Some(false), true));

    // An empty list is sent (it clears the list); a flag set to false is sent too.
    let patched = client
        .update_policy()
        .policy_id(policy.id)
        .body_map(|b| {
            b.source_ips(Some(Vec::new().into()))
                .all_groups(Some(false))
        })
        .send()
        .await
        .map_err(Error::from)
        .expect("patch")
        .into_inner();
    let sent = fake.last_request().expect("logged");
    assert_eq!(
        sent.json(),
        Some(json!({"sourceIps": [], "allGroups": false}))
    );
    assert_eq!(
        (patched.source_ips, patched.all_groups),
        (Some(Vec::new()), false)
    );
    assert_eq!(patched.name, "After");
}

#[tokio::test]
async fn unknown_enum_values_round_trip() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    let created = client
        .create_policy()
        .body_map(|b| {
            b.name("Future")
                .type_(PolicyType::String("QUANTUM_LINK".into()))
                .mode(Some(PolicyMode::String("ZERO_TRUST_X".into())))
                .action(true)
                .all_groups(false)
                .all_users(false)
                .all_devices(false)
                .all_resources(false)
        })
        .send()
        .await
        .map_err(Error::from)
        .expect("create")
        .into_inner();
    let sent = fake
        .last_request()
        .and_then(|r| r.json())
        .expect("JSON body");
    assert_eq!(
        (&sent["mode"], &sent["type"]),
        (&json!("ZERO_TRUST_X"), &json!("QUANTUM_LINK"))
    );
    assert_eq!(
        created.mode,
        Some(PolicyMode::String("ZERO_TRUST_X".into()))
    );

    let read = client
        .get_policy()
        .policy_id(created.id)
        .send()
        .await
        .map_err(Error::from)
        .expect("get")
        .into_inner();
    assert_eq!(read.mode, Some(PolicyMode::String("ZERO_TRUST_X".into())));
    assert_eq!(read.type_, Some(PolicyType::String("QUANTUM_LINK".into())));

    // What was read can be sent back unchanged.
    client
        .update_policy()
        .policy_id(read.id)
        .body_map(|b| b.mode(read.mode.clone()))
        .send()
        .await
        .map_err(Error::from)
        .expect("patch");
    assert_eq!(
        fake.last_request().and_then(|r| r.json()),
        Some(json!({"mode": "ZERO_TRUST_X"}))
    );
    assert_eq!(fake.policies()[0]["mode"], "ZERO_TRUST_X");
}

#[tokio::test]
async fn malformed_success_bodies_are_invalid_responses() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    let policy = create(&client, "Target").await;
    let malformed: [(&str, &str); 3] = [
        ("application/json", ""),
        (
            "text/html; charset=utf-8",
            "<html><body>Service temporarily unavailable</body></html>",
        ),
        (
            "application/json",
            r#"{"id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "name": "Trunc"#,
        ),
    ];
    for (content_type, body) in malformed {
        for operation in ["list", "get", "create", "update"] {
            fake.inject(
                Injection::status(200)
                    .header("content-type", content_type)
                    .body(body),
            );
            let result = match operation {
                "list" => client.list_policies().send().await.map(|_| ()),
                "get" => client
                    .get_policy()
                    .policy_id(policy.id)
                    .send()
                    .await
                    .map(|_| ()),
                "create" => client
                    .create_policy()
                    .body_map(|b| {
                        b.name("Unused")
                            .type_(PolicyTypeKnown::Private)
                            .action(true)
                            .all_groups(false)
                            .all_users(false)
                            .all_devices(false)
                            .all_resources(false)
                    })
                    .send()
                    .await
                    .map(|_| ()),
                _ => client
                    .update_policy()
                    .policy_id(policy.id)
                    .body_map(|b| b.action(true))
                    .send()
                    .await
                    .map(|_| ()),
            };
            let error = failed(result);
            let Error::InvalidResponse {
                status, body: kept, ..
            } = &error
            else {
                panic!("{operation} with {body:?}: expected InvalidResponse, got {error:?}");
            };
            assert_eq!(
                status.map(|s| s.as_u16()),
                Some(200),
                "{operation} with {body:?}"
            );
            assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
            assert_eq!(kept, body.as_bytes(), "{operation}: the raw body is kept");
            assert!(!format!("{error:?}{error}").contains(fake.api_key()));
        }
    }
    assert_eq!(
        fake.policies().len(),
        1,
        "the injected answers replaced the real ones"
    );
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_an_invalid_response() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    fake.inject(Injection::status(200).json(json!({"policies": []}).to_string()));
    let error = failed(client.list_policies().send().await);
    let Error::InvalidResponse { status, body, .. } = &error else {
        panic!("expected InvalidResponse, got {error:?}");
    };
    assert_eq!(status.map(|s| s.as_u16()), Some(200));
    assert_eq!(body, r#"{"policies":[]}"#);
}

#[tokio::test]
async fn retried_attempts_each_carry_the_key() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    fake.inject(Injection::status(503).json(json!({"message": "Service Unavailable"}).to_string()));
    fake.inject(Injection::status(502));
    let listed = client
        .list_policies()
        .send()
        .await
        .map_err(Error::from)
        .expect("third attempt succeeds");
    assert!(listed.into_inner().is_empty());
    let sent = fake.requests();
    assert_eq!(sent.len(), 3);
    assert!(
        sent.iter()
            .all(|r| r.header("apikey") == Some(fake.redacted(fake.api_key()).as_str()))
    );

    // A delete answered 204 with no body is a success too.
    let policy = create(&client, "Short-lived").await;
    fake.inject(Injection::status(204));
    client
        .delete_policy()
        .policy_id(policy.id)
        .send()
        .await
        .map_err(Error::from)
        .expect("204 is success");
}

#[tokio::test]
async fn debug_output_never_shows_the_key() {
    let fake = FakeServer::builder()
        .api_key("cs-live-9f8e7d6c5b4a39281706")
        .start()
        .await;
    let client = client(&fake);
    let texts = [
        format!("{client:?}"),
        format!("{client:#?}"),
        format!(
            "{:?}",
            Client::builder(fake.api_key()).base_url(fake.base_url())
        ),
        format!("{:?}", *client),
        format!("{fake:?}"),
        format!("{:?}", fake.requests()),
    ];
    fake.inject(
        Injection::status(500)
            .header("content-type", "text/plain")
            .body("boom"),
    );
    let error = failed(client.list_policies().send().await);
    for text in texts
        .into_iter()
        .chain([format!("{error:?}"), error.to_string()])
    {
        assert!(!text.contains(fake.api_key()), "{text}");
    }
    assert!(format!("{client:?}").contains(&fake.base_url()));
}
