//! Testing code that uses the Harmony SASE client with the generated httpmock extensions, as a
//! depending project would (`harmony-sase` with the `mock` feature, public API only).

use harmony_sase::mock::MockServerExt;
use harmony_sase::{Client, ClientConfig, types};
use httpmock::MockServer;

fn token() -> types::AuthorizeResponse {
    serde_json::from_value(serde_json::json!({
        "data": {"tokenType": "bearer", "accessToken": "mock-token", "accessTokenExpire": 4102444800u64}
    }))
    .expect("a token response")
}

#[tokio::test]
async fn typed_mocks_answer_the_client() {
    let server = MockServer::start_async().await;
    let authorize = server.authorize(|when, then| {
        when.body(&types::AuthorizeRequest {
            api_key: "k".into(),
            grant_type: types::GrantType::ApiKey,
        });
        then.ok(&token());
    });
    let networks = server.list_networks(|_, then| {
        let list: types::NetworkList =
            serde_json::from_value(serde_json::json!({"data": [{"id": "n1", "name": "office"}]}))
                .expect("a list");
        then.ok(&list);
    });
    let health = server.get_network_health(|when, then| {
        when.network_id("n1");
        then.not_found(&types::Error {
            message: Some("Network not found".into()),
            ..Default::default()
        });
    });

    let config = ClientConfig {
        rate_limit: None,
        ..Client::default_config()
    };
    let client = Client::builder("k")
        .base_url(server.base_url())
        .config(config)
        .build()
        .expect("client");
    let list = client
        .list_networks()
        .send()
        .await
        .expect("mocked list")
        .into_inner();
    assert_eq!(list.data[0].name.as_deref(), Some("office"));
    let error = harmony_sase::Error::from(
        client
            .get_network_health()
            .network_id("n1")
            .send()
            .await
            .expect_err("404"),
    );
    assert_eq!(
        error.api_error().and_then(|e| e.message.as_deref()),
        Some("Network not found")
    );

    authorize.assert_calls_async(1).await;
    networks.assert_async().await;
    health.assert_async().await;
}
