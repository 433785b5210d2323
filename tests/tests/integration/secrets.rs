//! No secret reaches Debug output, Display output or logs: a full workflow of each client runs
//! with every tracing event at TRACE level captured, then the capture is searched for each secret.

use std::io::Write;
use std::sync::{Arc, Mutex};

use futures::TryStreamExt;
use harmony_sase::{Client, ClientConfig, RetryPolicy, types};
use harmony_sase_fake::{FakeServer, Injection};

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("capture lock")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("capture lock")).into_owned()
    }
}

/// Runs `workflow` with every tracing event captured; returns the log text.
async fn captured<F: std::future::Future<Output = String>>(workflow: F) -> String {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let debug_output = workflow.await;
    format!("{}\n{debug_output}", capture.text())
}

fn assert_absent(haystack: &str, secrets: &[&str]) {
    assert!(
        haystack.len() > 1000,
        "the capture is suspiciously small: {haystack}"
    );
    for secret in secrets {
        assert!(!secret.is_empty());
        assert!(
            !haystack.contains(secret),
            "secret {secret:?} leaked:\n{haystack}"
        );
    }
}

#[tokio::test]
async fn harmony_workflow_leaks_no_secret() {
    let api_key = "hsk-4f9d2c1e-secret-api-key";
    let fake = FakeServer::builder()
        .api_key(api_key)
        .users(15)
        .start()
        .await;
    let output = captured(async {
        let config = ClientConfig {
            rate_limit: None,
            retry: RetryPolicy::none(),
            ..Client::default_config()
        };
        let client = Client::builder(api_key)
            .base_url(fake.origin())
            .config(config)
            .build()
            .expect("client");
        let mut out = format!("{client:?}\n");
        let users: Vec<types::User> = client.users(|q| q).try_collect().await.expect("users");
        out.push_str(&format!("{:?}\n", users.len()));
        fake.expire_tokens();
        let networks = client.list_networks().send().await.expect("re-authorized");
        out.push_str(&format!("{networks:?}\n"));
        fake.inject(
            Injection::status(500)
                .header("content-type", "text/html")
                .body("<html>oops</html>")
                .path("/api/rest/v1/groups"),
        );
        let error = harmony_sase::Error::from(client.list_groups().send().await.expect_err("500"));
        out.push_str(&format!("{error}\n{error:?}\n"));
        let wrong = Client::builder("wrong-key")
            .base_url(fake.origin())
            .build()
            .expect("client");
        let error = harmony_sase::Error::from(wrong.list_groups().send().await.expect_err("401"));
        out.push_str(&format!("{error}\n{error:?}\n{wrong:?}\n"));
        out
    })
    .await;
    let tokens = fake.issued_tokens();
    assert!(tokens.len() >= 2, "the workflow used at least two tokens");
    let mut secrets: Vec<&str> = tokens.iter().map(String::as_str).collect();
    secrets.extend([api_key, "wrong-key"]);
    assert_absent(&output, &secrets);
}

/// The value of `key` in an `.edgerc` text.
fn edgerc_value<'a>(edgerc: &'a str, key: &str) -> &'a str {
    edgerc
        .lines()
        .find_map(|line| line.strip_prefix(key)?.trim_start().strip_prefix('='))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no {key} in {edgerc}"))
}

#[tokio::test]
async fn saas_rules_workflow_leaks_no_secret() {
    use saas_rules::{Client, ClientConfig, Credentials, RetryPolicy};
    use saas_rules_fake::{FakeServer, Injection, Method};

    let fake = FakeServer::start().await;
    let edgerc = fake.edgerc();
    let file = workspace_tests::TempFile::new(&edgerc);
    let output = captured(async {
        let config = ClientConfig {
            retry: RetryPolicy {
                base_delay: std::time::Duration::from_millis(1),
                ..RetryPolicy::default()
            },
            ..Client::default_config()
        };
        let credentials = Client::from_edgerc(Some(file.path()), None)
            .expect("the fake's .edgerc")
            .credentials()
            .clone();
        let client = Client::builder(credentials.clone())
            .config(config)
            .build()
            .expect("client");
        let mut out = format!("{client:?}\n{credentials:?}\n");
        let request: saas_rules::types::CreatePolicyRequest = serde_json::from_str(include_str!(
            "../../fixtures/saas-rules/seed-examples/create-policy-request.json"
        ))
        .expect("the seed's create request");
        let created = client
            .create_policy()
            .contract_id("1-1TJZH5")
            .group_id("15225")
            .body(request)
            .send()
            .await
            .expect("created");
        out.push_str(&format!("{created:?}\n"));
        fake.inject(Injection::status(503).method(Method::GET));
        let maps = client.list_policy_maps().send().await.expect("retried");
        out.push_str(&format!("{maps:?}\n"));
        fake.inject(Injection::status(500).body("<html>oops</html>"));
        let error =
            saas_rules::Error::from(client.get_policy().id(1).send().await.expect_err("500"));
        out.push_str(&format!("{error}\n{error:?}\n"));

        let wrong = Credentials::new(
            fake.origin(),
            edgerc_value(&edgerc, "client_token"),
            "wrong-client-secret-0123456789abcdef",
            edgerc_value(&edgerc, "access_token"),
        )
        .expect("host");
        let wrong = Client::new(wrong).expect("client");
        let error =
            saas_rules::Error::from(wrong.list_policy_maps().send().await.expect_err("401"));
        out.push_str(&format!("{error}\n{error:?}\n{wrong:?}\n"));
        let incomplete =
            workspace_tests::TempFile::new(&edgerc.replace("max_body", "client_secret"));
        let config_error =
            Client::from_edgerc(Some(incomplete.path()), None).expect_err("repeated key");
        out.push_str(&format!("{config_error}\n{config_error:?}\n"));
        out
    })
    .await;
    assert!(
        fake.requests().iter().any(|r| r.refused.is_none()),
        "the workflow reached the API"
    );
    let secrets =
        ["client_token", "client_secret", "access_token"].map(|key| edgerc_value(&edgerc, key));
    let mut secrets = secrets.to_vec();
    secrets.push("wrong-client-secret-0123456789abcdef");
    assert_absent(&output, &secrets);
}

#[tokio::test]
async fn cipherscale_workflow_leaks_no_secret() {
    use cipherscale_policy::{Client, ClientConfig, RetryPolicy};
    use cipherscale_policy_fake::{FakeServer, Injection};

    let api_key = "cs-live-5e1f0a9b8c7d6e5f4a3b";
    let fake = FakeServer::builder().api_key(api_key).start().await;
    let output = captured(async {
        let config = ClientConfig {
            retry: RetryPolicy {
                base_delay: std::time::Duration::from_millis(1),
                ..RetryPolicy::default()
            },
            ..Client::default_config()
        };
        let client = Client::builder(api_key)
            .base_url(fake.base_url())
            .config(config)
            .build()
            .expect("client");
        let mut out = format!("{client:?}\n");
        let created = crate::cipherscale_client::create(&client, "secrets").await;
        out.push_str(&format!("{created:?}\n"));
        fake.inject(Injection::status(503));
        let listed = client.list_policies().send().await.expect("retried");
        out.push_str(&format!("{listed:?}\n"));
        client
            .update_policy()
            .policy_id(created.id)
            .body_map(|b| b.name(Some("renamed".to_string())))
            .send()
            .await
            .expect("renamed");
        fake.inject(
            Injection::status(500)
                .header("content-type", "text/html")
                .body("<html>oops</html>"),
        );
        let error =
            cipherscale_policy::Error::from(client.list_policies().send().await.expect_err("500"));
        out.push_str(&format!("{error}\n{error:?}\n"));
        let wrong = Client::new("cs-live-wrong-0f1e2d3c4b5a", fake.base_url()).expect("client");
        let error =
            cipherscale_policy::Error::from(wrong.list_policies().send().await.expect_err("401"));
        out.push_str(&format!("{error}\n{error:?}\n{wrong:?}\n"));
        out
    })
    .await;
    assert_absent(&output, &[api_key, "cs-live-wrong-0f1e2d3c4b5a"]);
}
