//! No secret reaches Debug output, Display output or logs: a full workflow runs with every
//! tracing event at TRACE level captured, then the capture is searched for each secret.

use std::io::Write;
use std::sync::{Arc, Mutex};

use futures::TryStreamExt;
use harmony_sase::{Client, ClientConfig, RetryPolicy, types};
use harmony_sase_fake::{FakeServer, Injected};

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
            .endpoint(fake.origin())
            .config(config)
            .build()
            .expect("client");
        let mut out = format!("{client:?}\n");
        let users: Vec<types::User> = client.users(|q| q).try_collect().await.expect("users");
        out.push_str(&format!("{:?}\n", users.len()));
        fake.expire_tokens();
        let networks = client.list_networks().send().await.expect("re-authorized");
        out.push_str(&format!("{networks:?}\n"));
        fake.inject(Injected::new(
            "/api/rest/v1/groups",
            500,
            "text/html",
            "<html>oops</html>",
        ));
        let error = harmony_sase::Error::from(client.list_groups().send().await.expect_err("500"));
        out.push_str(&format!("{error}\n{error:?}\n"));
        let wrong = Client::builder("wrong-key")
            .endpoint(fake.origin())
            .build()
            .expect("client");
        let error = harmony_sase::Error::from(wrong.list_groups().send().await.expect_err("401"));
        out.push_str(&format!("{error}\n{error:?}\n{wrong:?}\n"));
        out
    })
    .await;
    let tokens: Vec<String> = fake
        .requests()
        .iter()
        .filter_map(|r| {
            r.authorization
                .as_deref()?
                .strip_prefix("Bearer ")
                .map(str::to_string)
        })
        .collect();
    assert!(tokens.len() >= 2, "the workflow used at least two tokens");
    let mut secrets: Vec<&str> = tokens.iter().map(String::as_str).collect();
    secrets.extend([api_key, "wrong-key"]);
    assert_absent(&output, &secrets);
}
