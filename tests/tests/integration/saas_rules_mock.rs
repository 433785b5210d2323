//! Testing code that uses the SaaS IP/Geo Access client with the generated httpmock
//! extensions, as a depending project would (`saas-rules` with the `mock` feature, public API
//! only). The mocks match the full path, `/config-saas-rules/v2` included.

use httpmock::MockServer;
use saas_rules::mock::MockServerExt;
use saas_rules::{Client, Credentials, Error, types};
use serde_json::json;

fn policy_envelope() -> types::PolicyEnvelope {
    serde_json::from_str(include_str!(
        "../../fixtures/saas-rules/seed-examples/get-policy-200.json"
    ))
    .expect("the seed's get-policy example")
}

#[tokio::test]
async fn typed_mocks_answer_the_signed_client() {
    let server = MockServer::start_async().await;
    let expected = policy_envelope();
    let id = expected.response.policy_id;
    let found = server.get_policy(|when, then| {
        when.id(id).into_inner().header_exists("authorization");
        then.ok(&expected);
    });
    let missing = server.get_policy(|when, then| {
        when.id(1);
        let problem: types::ApiError = serde_json::from_value(json!({
            "type": "/cloudlets/error-types/not-found",
            "title": "Not Found",
            "status": 404,
            "detail": "Unable to find policy 1"
        }))
        .expect("a problem body");
        then.not_found(&problem);
    });

    let credentials = Credentials::new(server.base_url(), "ct", "cs", "at").expect("host");
    let client = Client::new(credentials).expect("client");
    let got = client
        .get_policy()
        .id(id)
        .send()
        .await
        .expect("mocked policy")
        .into_inner();
    assert_eq!(got.response.policy_id, id);
    assert_eq!(got.response.policy_name, expected.response.policy_name);

    let error = Error::from(client.get_policy().id(1).send().await.expect_err("404"));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        error.api_error().and_then(|e| e.detail.as_deref()),
        Some("Unable to find policy 1")
    );

    found.assert_async().await;
    missing.assert_async().await;
}
