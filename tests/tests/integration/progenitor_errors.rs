//! `send()` reports errors in progenitor's own terms, and the crate `Error` keeps status,
//! headers and raw body for every failure: a generated client (Cipherscale's) against a local
//! fault server. These tests also guard what `client-runtime`'s ledger rests on (reqwest
//! handing back the body it was given, progenitor keeping those bytes and cloning the
//! headers): an upgrade that breaks it fails here.

use cipherscale_policy::{Client, Error, types};
use fake_kit::Injection;
use progenitor_client::Error as P;
use reqwest::StatusCode;
use workspace_tests::fault::FaultServer;

const POLICY: &str = "00000000-0000-0000-0000-000000005eed";

async fn against(answer: Injection) -> (FaultServer, Client) {
    let server = FaultServer::start(vec![answer]).await;
    let client = Client::new("key", format!("{}/qa", server.origin())).expect("client");
    (server, client)
}

async fn get(client: &Client) -> Result<types::Policy, P<types::Error>> {
    let id: uuid::Uuid = POLICY.parse().expect("uuid");
    client
        .get_policy()
        .policy_id(id)
        .send()
        .await
        .map(|v| v.into_inner())
}

async fn create(client: &Client) -> Result<types::Policy, P<types::Error>> {
    client
        .create_policy()
        .body_map(|p| {
            p.name("x")
                .type_(types::PolicyTypeKnown::Private)
                .action(true)
                .all_groups(false)
                .all_users(false)
                .all_devices(false)
                .all_resources(true)
        })
        .send()
        .await
        .map(|v| v.into_inner())
}

#[tokio::test]
async fn a_documented_404_is_an_error_response_with_status_headers_and_typed_body() {
    let body = r#"{"statusCode": 404, "message": "Policy not found", "error": "Not Found"}"#;
    let (_server, client) = against(
        Injection::status(404)
            .json(body)
            .header("x-request-id", "r-404"),
    )
    .await;
    let error = get(&client).await.expect_err("404");
    let P::ErrorResponse(value) = &error else {
        panic!("expected ErrorResponse, got {error:?}");
    };
    assert_eq!(value.status(), StatusCode::NOT_FOUND);
    assert_eq!(value.headers()["x-request-id"], "r-404");
    assert_eq!(value.status_code, Some(404));
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert!(!error.is_retryable());

    let error = Error::from(error);
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(error.headers().expect("kept")["x-request-id"], "r-404");
    assert_eq!(error.body().expect("raw body kept"), body);
    assert_eq!(
        error.api_error().and_then(|e| e.error.as_deref()),
        Some("Not Found")
    );
}

#[tokio::test]
async fn an_undocumented_418_is_an_unexpected_response() {
    let (_server, client) = against(Injection::status(418).body("I'm a teapot")).await;
    let error = get(&client).await.expect_err("418");
    let P::UnexpectedResponse(response) = &error else {
        panic!("expected UnexpectedResponse, got {error:?}");
    };
    assert_eq!(response.status(), StatusCode::IM_A_TEAPOT);
    let error = Error::from(error);
    assert_eq!(error.status(), Some(StatusCode::IM_A_TEAPOT));
    assert_eq!(error.body().expect("kept"), "I'm a teapot");
}

/// Bodies that do not decode, on a success, a documented client error and a server error
/// (sent to the POST, which is not retried): status, headers and the exact bytes survive.
#[tokio::test]
async fn undecodable_bodies_keep_status_headers_and_raw_body() {
    let html = "<html><body>502 Bad Gateway</body></html>";
    let truncated = r#"{"id": "00000000-0000-0000-0000-000000005eed", "name": "#;
    for status in [200u16, 400, 502] {
        for body in [html, "", truncated] {
            let answer = Injection::status(status)
                .header("content-type", "text/html")
                .header("x-request-id", "r-1")
                .body(body);
            let (_server, client) = against(answer).await;
            let error = Error::from(create(&client).await.expect_err("undecodable"));
            let case = format!("{status} {body:?}: {error:?}");
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{case}");
            assert_eq!(
                error.headers().expect("kept")["x-request-id"],
                "r-1",
                "{case}"
            );
            assert_eq!(error.body().expect("kept"), body, "{case}");
            assert!(error.api_error().is_none(), "{case}");
            assert_eq!(
                matches!(error, Error::InvalidResponse { .. }),
                status == 200,
                "{case}"
            );
        }
    }
}

/// The workspace's progenitor-client decodes UTF-8 text with `from_str`
/// (vendor/progenitor-client/PATCHED.md): text decodes as before, escapes included, and a
/// body that is not UTF-8 keeps its bytes and `serde_json`'s error, as the release reports it.
#[tokio::test]
async fn bodies_decode_as_the_release_decodes_them() {
    let policy = |name: &[u8]| {
        let mut body = br#"{"id": "00000000-0000-0000-0000-000000005eed", "name": ""#.to_vec();
        body.extend_from_slice(name);
        body.extend_from_slice(br#"", "type": "private", "action": true}"#);
        body
    };
    for (name, decoded) in [
        (&br#"caf\u00e9 \"x\""#[..], "café \"x\""),
        ("café".as_bytes(), "café"),
    ] {
        let (_server, client) = against(Injection::status(200).json(policy(name))).await;
        let value = get(&client).await.expect("decodes");
        assert_eq!(value.name, decoded);
    }

    let invalid = policy(b"caf\xe9");
    let (_server, client) = against(Injection::status(200).json(&invalid)).await;
    let error = get(&client).await.expect_err("not UTF-8");
    let P::InvalidResponsePayload(bytes, e) = &error else {
        panic!("expected InvalidResponsePayload, got {error:?}");
    };
    assert_eq!(&bytes[..], &invalid[..]);
    assert!(e.to_string().contains("invalid unicode"), "{e}");
    let error = Error::from(error);
    assert_eq!(error.status(), Some(StatusCode::OK));
    assert_eq!(&error.body().expect("kept")[..], &invalid[..]);
}

/// A truncated answer (fewer bytes than its `Content-Length`) is a transport failure: the
/// body was never received whole.
#[tokio::test]
async fn a_body_cut_by_the_connection_is_a_transport_error() {
    let answer = Injection::status(200)
        .json(r#"{"id": "00000000-0000-0000-0000-000000005eed"}"#)
        .truncate(10);
    let (_server, client) = against(answer).await;
    let error = create(&client).await.expect_err("cut");
    assert!(
        matches!(error, P::CommunicationError(_) | P::ResponseBodyError(_)),
        "{error:?}"
    );
    assert!(matches!(Error::from(error), Error::Transport(_)));
}
