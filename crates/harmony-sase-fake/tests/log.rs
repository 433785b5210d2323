//! The fake's request log keeps neither the API key of a token exchange nor bearer tokens.

use harmony_sase_fake::FakeServer;
use serde_json::{Value, json};

#[tokio::test]
async fn the_log_hides_the_api_key_and_bearer_tokens() {
    let fake = FakeServer::start().await;
    let http = reqwest::Client::new();
    let exchange = json!({"grantType": "api_key", "apiKey": fake.api_key()});
    let answer: Value = http
        .post(format!("{}/api/v1/auth/authorize", fake.origin()))
        .json(&exchange)
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("JSON");
    let token = answer["data"]["accessToken"].as_str().expect("a token");
    assert_eq!(fake.issued_tokens(), [token]);
    let users = http
        .get(format!("{}/api/rest/v1/users", fake.origin()))
        .bearer_auth(token)
        .send()
        .await
        .expect("answer");
    assert_eq!(users.status(), 200);

    let log = fake.requests();
    let shown = format!("{log:?}");
    assert!(!shown.contains(&fake.api_key()), "{shown}");
    assert!(!shown.contains(token), "{shown}");
    let sent = log[0].json().expect("the exchange's body");
    assert_eq!(sent["grantType"], "api_key");
    assert_eq!(sent["apiKey"], fake.redacted(&fake.api_key()));
    assert_eq!(
        log[1].header("authorization"),
        Some(format!("Bearer {}", fake.redacted(token)).as_str())
    );
}
