//! The SaaS IP/Geo Access client against the fake EdgeGrid-verifying server: every operation,
//! per-attempt signing (retries, `max_body`, `accountSwitchKey`), the 409 conflict, error
//! bodies, malformed responses and configuration from `.edgerc`.

use std::time::{Duration, SystemTime};

use saas_rules::{Client, ClientConfig, Credentials, Error, RetryPolicy, types};
use saas_rules_fake::{FakeServer, Injection, LoggedRequest, Method, rate_limited};
use serde_json::json;
use workspace_tests::TempFile;

const CONTRACT: &str = "1-1TJZH5";
const GROUP: &str = "15225";

/// Retries with millisecond waits, so that a test waits only as long as a server asks.
fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        rate_limit_wait: Some(Duration::from_millis(5)),
        max_elapsed: Duration::from_secs(5),
        ..RetryPolicy::default()
    }
}

fn client_for(credentials: Credentials, retry: RetryPolicy) -> Client {
    Client::builder(credentials)
        .config(ClientConfig {
            retry,
            ..Client::default_config()
        })
        .build()
        .expect("valid settings")
}

fn client(fake: &FakeServer) -> Client {
    client_for(fake.credentials(), RetryPolicy::none())
}

fn create_body(name: &str, description: &str) -> types::CreatePolicyRequest {
    serde_json::from_value(json!({
        "policyManagerRequest": {
            "command": "create",
            "create": {
                "cloudletId": "2",
                "policyName": name,
                "policyDescription": description,
                "matchRules": [{
                    "type": "saMatchRule", "end": 0, "id": 0, "name": "rule 1", "start": 0,
                    "matches": [{
                        "caseSensitive": false, "matchOperator": "contains",
                        "matchType": "country", "matchValue": "US", "negate": false
                    }]
                }]
            }
        }
    }))
    .expect("a valid create request")
}

fn modify_body(overwrite: bool, rule_name: &str) -> types::ModifyPolicyRequest {
    serde_json::from_value(json!({
        "policyManagerRequest": {
            "command": "update",
            "update": {
                "overwriteRules": overwrite,
                "description": "Save a new version",
                "matchRules": [{
                    "type": "saMatchRule", "end": 0, "id": 0, "name": rule_name, "start": 0,
                    "matches": [{
                        "caseSensitive": false, "matchOperator": "contains",
                        "matchType": "clientip", "matchValue": "192.0.2.0/24", "negate": false
                    }]
                }]
            }
        }
    }))
    .expect("a valid modify request")
}

async fn create(client: &Client, name: &str) -> types::Policy {
    client
        .create_policy()
        .contract_id(CONTRACT)
        .group_id(GROUP)
        .body(create_body(name, "test policy"))
        .send()
        .await
        .expect("create policy")
        .into_inner()
        .response
        .into_iter()
        .next()
        .expect("one created policy")
}

/// Every request reached the fake signed correctly, each with its own nonce.
fn assert_all_verified(fake: &FakeServer) -> Vec<LoggedRequest> {
    let log = fake.requests();
    assert_eq!(fake.verified_count(), log.len(), "{log:#?}");
    assert!(log.iter().all(|r| r.refused.is_none()), "{log:#?}");
    let mut nonces: Vec<_> = log
        .iter()
        .map(|r| r.header_param("authorization", "nonce"))
        .collect();
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), log.len(), "a nonce was reused");
    log
}

fn rule_names(policy: &types::Policy) -> Vec<String> {
    policy
        .match_rules
        .iter()
        .flatten()
        .filter_map(|r| r.name.clone())
        .collect()
}

#[tokio::test]
async fn every_operation_is_signed_and_answered() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    assert_eq!(
        client.base_url(),
        format!("{}/config-saas-rules/v2", fake.origin())
    );

    let created = create(&client, "UniquePolicyName").await;
    assert_eq!(created.policy_name.as_deref(), Some("UniquePolicyName"));
    assert_eq!(created.version, Some(types::IntegerOrString::Int64(1)));
    assert_eq!(
        created.match_rules, None,
        "create answers without rules, as the seed"
    );

    let maps = client
        .list_policy_maps()
        .contract_id(CONTRACT)
        .group_id(GROUP)
        .send()
        .await
        .expect("list policy maps")
        .into_inner();
    assert_eq!(maps.response_code, Some(0));
    assert_eq!(maps.english_message, None);
    assert_eq!(maps.response.len(), 1);
    let other_group = client
        .list_policy_maps()
        .group_id("1")
        .send()
        .await
        .expect("list another group")
        .into_inner();
    assert!(other_group.response.is_empty());

    let got = client
        .get_policy()
        .id(created.id)
        .send()
        .await
        .expect("get policy")
        .into_inner()
        .response;
    assert_eq!(got.policy_id, created.policy_id);
    assert_eq!(rule_names(&got), ["rule 1"]);

    let appended = client
        .modify_policy()
        .id(created.id)
        .body(modify_body(false, "rule 2"))
        .send()
        .await
        .expect("modify, appending rules")
        .into_inner()
        .response;
    assert_eq!(appended.version, Some(types::IntegerOrString::Int64(2)));
    assert_eq!(rule_names(&appended), ["rule 1", "rule 2"]);
    let replaced = client
        .modify_policy()
        .id(appended.id)
        .body(modify_body(true, "only rule"))
        .send()
        .await
        .expect("modify, overwriting rules")
        .into_inner()
        .response;
    assert_eq!(replaced.version, Some(types::IntegerOrString::Int64(3)));
    assert_eq!(rule_names(&replaced), ["only rule"]);
    assert_ne!(replaced.id, appended.id);

    let versions = client
        .list_policy_information()
        .policy_id(created.policy_id)
        .send()
        .await
        .expect("list versions")
        .into_inner()
        .response;
    let ids: Vec<i64> = versions.iter().map(|v| v.id).collect();
    assert_eq!(ids, [created.id, appended.id, replaced.id]);
    assert!(versions.iter().all(|v| v.match_rules.is_none()));

    let none = client
        .list_activations()
        .send()
        .await
        .expect("list activations before any")
        .into_inner();
    assert!(none.is_empty());

    client
        .activate_policy()
        .network(types::Network::Staging)
        .ids(format!("{},{}", created.id, replaced.id))
        .history_only(false)
        .send()
        .await
        .expect("activate on staging");

    let activations = client
        .list_activations()
        .network(types::Network::Staging)
        .ids(created.policy_id.to_string())
        .send()
        .await
        .expect("list activations")
        .into_inner();
    assert_eq!(activations.len(), 1);
    let property = &activations[0];
    assert_eq!(
        property.staging_status,
        Some(
            types::PropertyActivationStatus::PropertyActivationStatusKnown(
                types::PropertyActivationStatusKnown::Active
            )
        )
    );
    let records = property
        .activated_policy_versions
        .as_deref()
        .unwrap_or_default();
    assert_eq!(records.len(), 2);
    assert!(records.iter().all(|r| r.production_status.is_none()));
    let production = client
        .list_activations()
        .network(types::Network::Production)
        .history_only(true)
        .send()
        .await
        .expect("list production activations")
        .into_inner();
    assert!(
        production[0]
            .activated_policy_versions
            .as_ref()
            .is_some_and(Vec::is_empty)
    );
    assert!(production[0].policies.is_none());

    let log = assert_all_verified(&fake);
    let paths: Vec<(&str, &str)> = log
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    let base = "/config-saas-rules/v2";
    let policy = format!("{base}/policies/{}", created.id);
    let appended_path = format!("{base}/policies/{}", appended.id);
    let info = format!("{base}/policyInfoList/{}", created.policy_id);
    let activations_path = format!("{base}/activations/");
    assert_eq!(
        paths,
        [
            ("POST", format!("{base}/policies").as_str()),
            ("GET", format!("{base}/policyInfoMaps").as_str()),
            ("GET", format!("{base}/policyInfoMaps").as_str()),
            ("GET", policy.as_str()),
            ("PUT", policy.as_str()),
            ("PUT", appended_path.as_str()),
            ("GET", info.as_str()),
            ("GET", activations_path.as_str()),
            ("PUT", activations_path.as_str()),
            ("GET", activations_path.as_str()),
            ("GET", activations_path.as_str()),
        ]
    );
    assert_eq!(
        log[0].query.as_deref(),
        Some("contractId=1-1TJZH5&groupId=15225")
    );
    let activate_query = log[8].query.as_deref().unwrap_or_default();
    assert!(
        activate_query.contains("network=staging"),
        "{activate_query}"
    );
    assert!(
        activate_query.contains(&format!("ids={}%2C{}", created.id, replaced.id)),
        "{activate_query}"
    );
}

#[tokio::test]
async fn create_conflict_carries_the_existing_policy() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    let first = create(&client, "UniquePolicyName").await;

    let result = client
        .create_policy()
        .body(create_body("UniquePolicyName", "again"))
        .send()
        .await;
    let error = Error::from(result.expect_err("the name is taken"));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    let existing = saas_rules::existing_policy(&error).expect("the existing policy, typed");
    assert_eq!(existing.id, first.id);
    assert_eq!(existing.policy_id, first.policy_id);
    assert_eq!(existing.policy_name.as_deref(), Some("UniquePolicyName"));
    assert_eq!(
        saas_rules::existing_policies(&error).map(|p| p.len()),
        Some(1)
    );
    let body: serde_json::Value =
        serde_json::from_slice(error.body().expect("raw body")).expect("JSON");
    assert_eq!(body["response"]["policyName"], "UniquePolicyName");
    assert!(body["englishMessage"].is_null());

    // Not a conflict: no existing policy.
    let missing = client.get_policy().id(1).send().await.expect_err("absent");
    assert!(saas_rules::existing_policy(&Error::from(missing)).is_none());
    assert_all_verified(&fake);
}

#[tokio::test]
async fn problem_json_errors_are_decoded_and_kept() {
    let fake = FakeServer::start().await;
    let client = client(&fake);

    let missing = client.get_policy().id(424_242).send().await;
    let error = Error::from(missing.expect_err("no such policy"));
    let Error::Api {
        response,
        error: decoded,
    } = &error
    else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(response.status.as_u16(), 404);
    assert_eq!(response.headers["content-type"], "application/problem+json");
    let decoded = decoded.as_ref().expect("decoded problem");
    assert_eq!(decoded.title.as_deref(), Some("Not found"));
    assert_eq!(decoded.status, Some(404));
    assert_eq!(
        decoded.detail.as_deref(),
        Some("Policy with id `424242` not found.")
    );
    let raw: serde_json::Value = serde_json::from_slice(&response.body).expect("JSON body");
    assert_eq!(raw["title"], "Not found");
    assert!(error.to_string().contains("HTTP 404"), "{error}");

    let invalid = client
        .activate_policy()
        .ids("1")
        .send()
        .await
        .expect_err("network is required");
    let error = Error::from(invalid);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    let decoded = error.api_error().expect("decoded problem");
    assert_eq!(decoded.title.as_deref(), Some("Validation failed"));
    assert_eq!(decoded.status, Some(400));
    assert_eq!(decoded.detail.as_deref(), Some("`network` is required."));
    let items = decoded.errors.as_deref().unwrap_or_default();
    assert_eq!(items.len(), 1);

    let unknown_version = client
        .list_policy_information()
        .policy_id(7)
        .send()
        .await
        .expect_err("no such policy");
    assert_eq!(
        Error::from(unknown_version).status().map(|s| s.as_u16()),
        Some(404)
    );
    assert_all_verified(&fake);
}

#[tokio::test]
async fn rate_limited_get_waits_for_ratelimit_next_and_is_signed_again() {
    let fake = FakeServer::start().await;
    let client = client_for(fake.credentials(), fast_retries());
    fake.seed_policy("limited", Some(CONTRACT), Some(GROUP));
    let next = SystemTime::now() + Duration::from_millis(150);
    fake.inject(rate_limited(next).on(Method::GET, "/policyInfoMaps"));

    let maps = client
        .list_policy_maps()
        .contract_id(CONTRACT)
        .send()
        .await
        .expect("answered after the retry")
        .into_inner();
    assert_eq!(maps.response.len(), 1);

    let log = assert_all_verified(&fake);
    assert_eq!(log.len(), 2, "one 429, one retry");
    assert_ne!(
        log[0].header_param("authorization", "nonce"),
        log[1].header_param("authorization", "nonce"),
        "the retry carries a fresh nonce"
    );
    assert_eq!(log[0].query, log[1].query);
    // The header holds milliseconds; the retry came no earlier than it said.
    let since_epoch = next
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after the epoch");
    let next_ms = SystemTime::UNIX_EPOCH
        + Duration::from_millis(u64::try_from(since_epoch.as_millis()).expect("fits"));
    assert!(
        log[1].received_at >= next_ms,
        "retried {:?} before X-RateLimit-Next",
        next_ms
            .duration_since(log[1].received_at)
            .unwrap_or_default()
    );
}

#[tokio::test]
async fn rate_limited_post_is_retried_after_the_server_wait() {
    let fake = FakeServer::start().await;
    let client = client_for(fake.credentials(), fast_retries());
    let next = SystemTime::now() + Duration::from_millis(20);
    fake.inject(rate_limited(next).on(Method::POST, "/policies"));

    client
        .create_policy()
        .body(create_body("once", "retried"))
        .send()
        .await
        .expect("a 429 means the POST was not processed: retried");

    let log = assert_all_verified(&fake);
    assert_eq!(log.len(), 2, "one 429, one retry");
    assert!(
        log[1].received_at + Duration::from_millis(1) >= next,
        "retried before X-RateLimit-Next"
    );
}

#[tokio::test]
async fn rate_limited_post_without_retries_keeps_the_rate_limit_answer() {
    let fake = FakeServer::start().await;
    let client = client_for(fake.credentials(), RetryPolicy::none());
    fake.inject(
        rate_limited(SystemTime::now() + Duration::from_millis(5)).on(Method::POST, "/policies"),
    );

    let result = client
        .create_policy()
        .body(create_body("once", "not retried"))
        .send()
        .await;
    let error = Error::from(result.expect_err("429"));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    let headers = error.headers().expect("headers kept");
    assert_eq!(headers["x-ratelimit-limit"], "100");
    assert_eq!(headers["x-ratelimit-remaining"], "0");
    assert!(headers.contains_key("x-ratelimit-next"));
    let decoded = error.api_error().expect("rate-limit body decoded");
    assert_eq!(decoded.rate_limit_remaining, Some(0));
    assert_eq!(decoded.status, Some(429));
    assert_eq!(assert_all_verified(&fake).len(), 1);
}

#[tokio::test]
async fn large_post_body_is_signed_over_the_first_max_body_bytes() {
    let fake = FakeServer::start().await;
    let credentials = fake.credentials();
    assert_eq!(credentials.max_body(), 131_072);
    let client = client_for(credentials, RetryPolicy::none());

    let description = "x".repeat(200 * 1024);
    let created = client
        .create_policy()
        .body(create_body("large", &description))
        .send()
        .await
        .expect("a 200 KiB body is accepted")
        .into_inner();
    assert_eq!(
        created.response[0]
            .policy_description
            .as_deref()
            .map(str::len),
        Some(200 * 1024)
    );
    let log = assert_all_verified(&fake);
    assert!(log[0].body.len() > 200 * 1024, "{}", log[0].body.len());

    // A fake that hashes fewer bytes refuses the same body from a client that hashes more.
    let small = FakeServer::builder().max_body(1024).start().await;
    let mismatched = small.credentials().with_max_body(131_072);
    let refused = client_for(mismatched, RetryPolicy::none())
        .create_policy()
        .body(create_body("large", &description))
        .send()
        .await
        .expect_err("hashed over a different prefix");
    assert_eq!(Error::from(refused).status().map(|s| s.as_u16()), Some(401));
    let accepted = client_for(small.credentials(), RetryPolicy::none())
        .create_policy()
        .body(create_body("large", &description))
        .send()
        .await;
    assert!(accepted.is_ok(), "{:?}", accepted.err());
}

#[tokio::test]
async fn account_switch_key_is_added_and_signed() {
    let fake = FakeServer::start().await;
    let credentials = fake
        .credentials()
        .with_account_key(Some("1-ABCD:1-2345".into()));
    let client = client_for(credentials, RetryPolicy::none());

    client
        .list_policy_maps()
        .contract_id(CONTRACT)
        .send()
        .await
        .expect("list with an account switch key");
    client
        .list_activations()
        .send()
        .await
        .expect("list without other parameters");

    let log = assert_all_verified(&fake);
    assert_eq!(
        log[0].query.as_deref(),
        Some("contractId=1-1TJZH5&accountSwitchKey=1-ABCD%3A1-2345")
    );
    assert_eq!(
        log[1].query.as_deref(),
        Some("accountSwitchKey=1-ABCD%3A1-2345")
    );
}

#[tokio::test]
async fn bad_credentials_get_the_gateway_401() {
    let fake = FakeServer::start().await;
    let wrong_secret = Credentials::new(
        fake.origin(),
        saas_rules_fake::CLIENT_TOKEN,
        "d3Jvbmctc2VjcmV0",
        saas_rules_fake::ACCESS_TOKEN,
    )
    .expect("valid host");
    let client = client_for(wrong_secret, fast_retries());

    let result = client.get_policy().id(1133).send().await;
    let error = Error::from(result.expect_err("refused"));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    let decoded = error.api_error().expect("gateway body decoded");
    assert_eq!(
        decoded.type_.as_deref(),
        Some("https://problems.luna.akamaiapis.net/-/pep-authn/deny")
    );
    assert_eq!(decoded.title.as_deref(), Some("Not authorized"));
    assert_eq!(decoded.status, Some(401));
    assert_eq!(
        decoded.detail.as_deref(),
        Some("The signature does not match")
    );
    let instance = decoded.instance.as_deref().unwrap_or_default();
    assert!(
        instance.ends_with("/config-saas-rules/v2/policies/1133"),
        "{instance}"
    );
    assert!(
        String::from_utf8_lossy(error.body().expect("raw body")).contains("pep-authn"),
        "raw body kept"
    );

    let unknown_token = Credentials::new(
        fake.origin(),
        "akab-unknown-client-token",
        saas_rules_fake::CLIENT_SECRET,
        saas_rules_fake::ACCESS_TOKEN,
    )
    .expect("valid host");
    let result = client_for(unknown_token, fast_retries())
        .list_activations()
        .send()
        .await;
    let error = Error::from(result.expect_err("refused"));
    assert_eq!(
        error.api_error().and_then(|e| e.detail.as_deref()),
        Some("Invalid authorization client token")
    );

    let log = fake.requests();
    assert_eq!(log.len(), 2, "a 401 is not retried");
    assert!(log.iter().all(|r| r.refused.is_some()));
    assert_eq!(fake.verified_count(), 0);
}

#[tokio::test]
async fn malformed_success_bodies_are_invalid_responses() {
    let fake = FakeServer::start().await;
    let client = client(&fake);

    fake.inject(
        Injection::status(200)
            .path("/policies/")
            .header("Content-Type", "text/html")
            .body("<html>maintenance</html>"),
    );
    let result = client.get_policy().id(1133).send().await;
    let error = Error::from(result.expect_err("not JSON"));
    let Error::InvalidResponse { status, body, .. } = &error else {
        panic!("expected InvalidResponse, got {error:?}");
    };
    assert_eq!(status.map(|s| s.as_u16()), Some(200));
    assert_eq!(body.as_ref(), b"<html>maintenance</html>");

    fake.inject(
        Injection::status(200)
            .json(json!({"responseCode": 0, "response": "nope"}).to_string())
            .path("/policies/"),
    );
    let result = client.get_policy().id(1133).send().await;
    let error = Error::from(result.expect_err("wrong shape"));
    let Error::InvalidResponse {
        status,
        body,
        reason,
        ..
    } = &error
    else {
        panic!("expected InvalidResponse, got {error:?}");
    };
    assert_eq!(status.map(|s| s.as_u16()), Some(200));
    let kept: serde_json::Value = serde_json::from_slice(body).expect("the body is kept whole");
    assert_eq!(kept, json!({"responseCode": 0, "response": "nope"}));
    assert!(reason.contains("documented JSON"), "{reason}");

    fake.inject(
        Injection::status(200)
            .path("/activations/")
            .body(r#"[{"name": "#),
    );
    let result = client.list_activations().send().await;
    let error = Error::from(result.expect_err("truncated"));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.body().map(|b| b.len()), Some(10));
    assert_all_verified(&fake);
}

#[tokio::test]
async fn from_edgerc_reads_a_section_and_names_what_is_wrong() {
    let fake = FakeServer::start().await;
    let file = TempFile::new(&fake.edgerc());
    let client = Client::from_edgerc(Some(file.path()), None).expect("valid edgerc");
    client
        .list_policy_maps()
        .send()
        .await
        .expect("signed with the file's credentials");
    assert_all_verified(&fake);

    let path = file.path().display().to_string();
    let missing_key = TempFile::new(
        "[default]\nhost = akab-x.luna.akamaiapis.net\nclient_token = a\naccess_token = b\n",
    );
    let error = Client::from_edgerc(Some(missing_key.path()), None).expect_err("no secret");
    assert_eq!(error.source, missing_key.path().display().to_string());
    assert_eq!(error.key, "[default] client_secret");
    assert!(error.to_string().contains("client_secret"), "{error}");

    let error = Client::from_edgerc(Some(file.path()), Some("prod")).expect_err("no such section");
    assert_eq!(error.source, path);
    assert_eq!(error.key, "[prod]");
    assert!(error.message.contains("default"), "{error}");

    let stray = TempFile::new("[default]\nhost = h\nnot a key value line\n");
    let error = Client::from_edgerc(Some(stray.path()), None).expect_err("syntax");
    assert_eq!(error.key, "line 3");

    let bad_max_body = TempFile::new(
        &fake
            .edgerc()
            .replace("max_body = 131072", "max_body = lots"),
    );
    let error = Client::from_edgerc(Some(bad_max_body.path()), None).expect_err("max_body");
    assert_eq!(error.key, "[default] max_body");

    let error = Client::from_edgerc(Some(&file.path().with_file_name("absent")), None)
        .expect_err("no file");
    assert!(error.source.ends_with("absent"), "{error}");
}

#[tokio::test]
async fn environment_variables_take_precedence_over_the_file() {
    let fake = FakeServer::start().await;
    let origin = fake.origin();
    let env = |name: &str| match name {
        "AKAMAI_HOST" => Some(origin.clone()),
        "AKAMAI_CLIENT_TOKEN" => Some(saas_rules_fake::CLIENT_TOKEN.into()),
        "AKAMAI_CLIENT_SECRET" => Some(saas_rules_fake::CLIENT_SECRET.into()),
        "AKAMAI_ACCESS_TOKEN" => Some(saas_rules_fake::ACCESS_TOKEN.into()),
        "AKAMAI_ACCOUNT_KEY" => Some("1-ABCD".into()),
        _ => None,
    };
    let client = Client::from_env_with(env).expect("from the environment");
    assert_eq!(client.credentials().account_key(), Some("1-ABCD"));
    client
        .list_policy_maps()
        .send()
        .await
        .expect("signed with the environment's credentials");
    let log = assert_all_verified(&fake);
    assert_eq!(log[0].query.as_deref(), Some("accountSwitchKey=1-ABCD"));
}

#[tokio::test]
async fn debug_output_hides_the_secrets() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    let debug = format!("{client:?}");
    for secret in [
        saas_rules_fake::CLIENT_TOKEN,
        saas_rules_fake::CLIENT_SECRET,
        saas_rules_fake::ACCESS_TOKEN,
    ] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(debug.contains(&fake.origin()), "{debug}");
    assert!(debug.contains("REDACTED"), "{debug}");

    let builder = Client::builder(fake.credentials());
    let debug = format!("{builder:?}");
    assert!(!debug.contains(saas_rules_fake::CLIENT_SECRET), "{debug}");
}

#[tokio::test]
async fn concurrent_calls_each_get_their_own_signature() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    let seeded = fake.seed_policy("shared", None, None);
    let calls = (0..16).map(|_| {
        let client = client.clone();
        async move { client.get_policy().id(seeded.id).send().await }
    });
    for result in futures::future::join_all(calls).await {
        assert_eq!(result.expect("get").into_inner().response.id, seeded.id);
    }
    assert_eq!(assert_all_verified(&fake).len(), 16);
}
