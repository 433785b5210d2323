//! The fake's EdgeGrid gateway, driven with plain `reqwest` requests signed by the edgegrid
//! crate: what it accepts, what it refuses and with which body.

use reqwest::{Method, Request, StatusCode};
use saas_rules_fake::{FakeServer, Injection};
use serde_json::Value;

fn request(fake: &FakeServer, method: Method, path_and_query: &str, body: &str) -> Request {
    let url = fake
        .credentials()
        .base_url()
        .join(path_and_query)
        .expect("valid path");
    let mut request = Request::new(method, url);
    if !body.is_empty() {
        *request.body_mut() = Some(body.to_owned().into());
        request.headers_mut().insert(
            reqwest::header::CONTENT_TYPE,
            "application/json".parse().expect("valid header"),
        );
    }
    request
}

async fn send(request: Request) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .execute(request)
        .await
        .expect("the fake answers");
    let status = response.status();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn now() -> String {
    edgegrid::format_timestamp(chrono::Utc::now())
}

#[tokio::test]
async fn accepts_a_signed_request_and_counts_it() {
    let fake = FakeServer::start().await;
    let mut signed = request(
        &fake,
        Method::GET,
        "/config-saas-rules/v2/policyInfoMaps?contractId=1-1TJZH5",
        "",
    );
    fake.credentials()
        .sign_request(&mut signed)
        .expect("signable");
    let (status, body) = send(signed).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["response"], Value::Array(Vec::new()));
    assert!(body["englishMessage"].is_null());
    assert_eq!(fake.verified_count(), 1);
    let log = fake.requests();
    assert_eq!(log[0].refused, None);
    assert_eq!(log[0].query.as_deref(), Some("contractId=1-1TJZH5"));
    let shown = format!("{log:?}");
    for secret in [saas_rules_fake::CLIENT_TOKEN, saas_rules_fake::ACCESS_TOKEN] {
        assert!(!shown.contains(secret), "{shown}");
    }
    let client_token = fake.redacted(saas_rules_fake::CLIENT_TOKEN);
    assert_eq!(
        log[0].header_param("authorization", "client_token"),
        Some(client_token.as_str())
    );
    assert!(log[0].header_param("authorization", "nonce").is_some());
}

#[tokio::test]
async fn refuses_a_reused_nonce() {
    let fake = FakeServer::start().await;
    let credentials = fake.credentials();
    for expected in [StatusCode::OK, StatusCode::UNAUTHORIZED] {
        let mut signed = request(&fake, Method::GET, "/config-saas-rules/v2/activations/", "");
        credentials
            .sign_request_at(&mut signed, &now(), "the-same-nonce")
            .expect("signable");
        let (status, body) = send(signed).await;
        assert_eq!(status, expected, "{body}");
        if status == StatusCode::UNAUTHORIZED {
            assert_eq!(body["title"], "Not authorized");
            assert!(
                body["detail"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("nonce"),
                "{body}"
            );
        }
    }
    assert_eq!(fake.verified_count(), 1);
}

#[tokio::test]
async fn refuses_a_request_changed_after_signing() {
    let fake = FakeServer::start().await;
    let mut signed = request(&fake, Method::GET, "/config-saas-rules/v2/policies/1", "");
    fake.credentials()
        .sign_request(&mut signed)
        .expect("signable");
    signed
        .url_mut()
        .set_path("/config-saas-rules/v2/policies/2");
    let (status, body) = send(signed).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body["type"],
        "https://problems.luna.akamaiapis.net/-/pep-authn/deny"
    );
    assert_eq!(body["detail"], "The signature does not match");
    assert_eq!(body["status"], 401);
    assert!(
        body["instance"]
            .as_str()
            .unwrap_or_default()
            .ends_with("/config-saas-rules/v2/policies/2"),
        "{body}"
    );

    // A POST body changed within the hashed prefix, too.
    let mut post = request(&fake, Method::POST, "/config-saas-rules/v2/policies", "{}");
    fake.credentials()
        .sign_request(&mut post)
        .expect("signable");
    *post.body_mut() = Some("[]".into());
    assert_eq!(send(post).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(fake.verified_count(), 0);
    assert!(fake.requests().iter().all(|r| r.refused.is_some()));
}

#[tokio::test]
async fn hashes_only_the_first_max_body_bytes_of_a_post() {
    let fake = FakeServer::builder().max_body(16).start().await;
    let body = r#"{"policyManagerRequest":{"command":"create","create":{"policyName":"p"}}}"#;
    let mut post = request(&fake, Method::POST, "/config-saas-rules/v2/policies", body);
    fake.credentials()
        .sign_request(&mut post)
        .expect("signable");
    // Bytes past the 16th are not covered: changing them keeps the signature valid.
    let changed = body.replace(r#""p""#, r#""q""#);
    *post.body_mut() = Some(changed.into());
    let (status, answer) = send(post).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["response"][0]["policyName"], "q");
}

#[tokio::test]
async fn refuses_missing_headers_unknown_tokens_and_stale_timestamps() {
    let fake = FakeServer::start().await;
    let path = "/config-saas-rules/v2/activations/";

    let (status, body) = send(request(&fake, Method::GET, path, "")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    let stranger = edgegrid::Credentials::new(
        fake.origin(),
        "akab-someone-else",
        saas_rules_fake::CLIENT_SECRET,
        saas_rules_fake::ACCESS_TOKEN,
    )
    .expect("valid host");
    let mut signed = request(&fake, Method::GET, path, "");
    stranger.sign_request(&mut signed).expect("signable");
    let (status, body) = send(signed).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["detail"], "Invalid authorization client token");

    let mut stale = request(&fake, Method::GET, path, "");
    fake.credentials()
        .sign_request_at(&mut stale, "20140321T19:34:21+0000", "stale-nonce")
        .expect("signable");
    let (status, body) = send(stale).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["detail"], "Invalid timestamp");
    assert_eq!(body["title"], "Bad request");

    assert_eq!(fake.verified_count(), 0);
    let reasons: Vec<_> = fake
        .requests()
        .into_iter()
        .filter_map(|r| r.refused)
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
}

#[tokio::test]
async fn serves_injected_responses_after_verification() {
    let fake = FakeServer::start().await;
    fake.inject(
        Injection::status(503)
            .on(Method::GET, "/policies/")
            .header("Retry-After", "1")
            .body("busy"),
    );
    // An unsigned request does not consume the injection.
    let (status, _) = send(request(
        &fake,
        Method::GET,
        "/config-saas-rules/v2/policies/5",
        "",
    ))
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(fake.pending_injections(), 1);

    let mut signed = request(&fake, Method::GET, "/config-saas-rules/v2/policies/5", "");
    fake.credentials()
        .sign_request(&mut signed)
        .expect("signable");
    let response = reqwest::Client::new()
        .execute(signed)
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "1");
    assert_eq!(response.text().await.expect("body"), "busy");

    let mut again = request(&fake, Method::GET, "/config-saas-rules/v2/policies/5", "");
    fake.credentials()
        .sign_request(&mut again)
        .expect("signable");
    let (status, body) = send(again).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["title"], "Not found");
}

#[tokio::test]
async fn seeded_policies_and_the_name_conflict() {
    let fake = FakeServer::start().await;
    let seeded = fake.seed_policy("taken", Some("1-1TJZH5"), None);
    let body = r#"{"policyManagerRequest":{"command":"create","create":{"policyName":"taken"}}}"#;
    let mut post = request(&fake, Method::POST, "/config-saas-rules/v2/policies", body);
    fake.credentials()
        .sign_request(&mut post)
        .expect("signable");
    let (status, answer) = send(post).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(answer["response"]["id"], seeded.id);
    assert_eq!(answer["response"]["policyId"], seeded.policy_id);
    assert_eq!(answer["responseCode"], 0);
    assert!(answer["englishMessage"].is_null());
}

#[tokio::test]
async fn edgerc_text_describes_the_fake() {
    let fake = FakeServer::builder().max_body(2048).start().await;
    let text = fake.edgerc();
    assert!(text.starts_with("[default]\n"));
    assert!(text.contains(&format!("host = {}\n", fake.origin())));
    assert!(text.contains("max_body = 2048\n"));
    assert_eq!(fake.credentials().max_body(), 2048);
}
