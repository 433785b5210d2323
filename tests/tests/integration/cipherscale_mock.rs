//! Testing code that uses the Cipherscale policy client with the generated httpmock
//! extensions, as a depending project would (`cipherscale-policy` with the `mock` feature,
//! public API only). The mocks match the documented stage, `/qa`, in front of each path.

use cipherscale_policy::mock::MockServerExt;
use cipherscale_policy::{Client, Error, types};
use httpmock::MockServer;
use serde_json::json;

fn policy(id: uuid::Uuid, name: &str) -> types::Policy {
    serde_json::from_value(json!({
        "id": id, "name": name, "type": "PRIVATE", "action": true,
        "allUsers": false, "allGroups": false, "allDevices": false, "allResources": false
    }))
    .expect("a policy")
}

#[tokio::test]
async fn typed_mocks_answer_the_client() {
    let server = MockServer::start_async().await;
    let id = uuid::Uuid::from_u128(0x5eed);
    let absent = uuid::Uuid::from_u128(0xdead);
    let list = server.list_policies(|when, then| {
        when.into_inner().header("apikey", "k");
        then.ok(&vec![policy(id, "engineering")]);
    });
    let found = server.get_policy(|when, then| {
        when.policy_id(&id);
        then.ok(&policy(id, "engineering"));
    });
    let missing = server.get_policy(|when, then| {
        when.policy_id(&absent);
        let error: types::Error = serde_json::from_value(json!({
            "statusCode": 404, "error": "Not Found", "message": "Policy not found"
        }))
        .expect("an error body");
        then.not_found(&error);
    });

    let client = Client::new("k", format!("{}/qa", server.base_url())).expect("client");
    let all = client
        .list_policies()
        .send()
        .await
        .expect("mocked list")
        .into_inner();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].name, "engineering");
    let one = client
        .get_policy()
        .policy_id(id)
        .send()
        .await
        .expect("mocked policy")
        .into_inner();
    assert_eq!(one.id, id);

    let error = Error::from(
        client
            .get_policy()
            .policy_id(absent)
            .send()
            .await
            .expect_err("404"),
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.api_error().and_then(|e| e.status_code), Some(404));

    list.assert_async().await;
    found.assert_async().await;
    missing.assert_async().await;
}
