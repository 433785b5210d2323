//! `secapi` run as a process against the three fakes, started in the test on 127.0.0.1.

use std::collections::BTreeSet;
use std::process::Output;

use assert_cmd::Command;
use serde_json::{Value, json};

/// Runs `secapi` with only the given environment variables, off the runtime's threads so the
/// fakes keep answering.
async fn secapi(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut command = Command::cargo_bin("secapi").expect("the secapi binary is built");
    command.env_clear().args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    if let Some(stdin) = stdin {
        command.write_stdin(stdin.to_string());
    }
    tokio::task::spawn_blocking(move || command.output().expect("secapi runs"))
        .await
        .expect("the command thread finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Neither stdout nor stderr shows any of `secrets`.
fn assert_no_secret(output: &Output, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !stdout(output).contains(secret) && !stderr(output).contains(secret),
            "a secret is printed:\n{}\n{}",
            stdout(output),
            stderr(output)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn harmony_list_users_all_streams_every_page_as_json_lines() {
    let fake = harmony_sase_fake::FakeServer::builder()
        .users(25)
        .start()
        .await;
    let (key, origin) = (fake.api_key(), fake.origin());
    let env = [
        ("HARMONY_SASE_API_KEY", key.as_str()),
        ("HARMONY_SASE_URL", origin.as_str()),
    ];

    let output = secapi(
        &["harmony", "list-users", "--all", "--limit", "10"],
        &env,
        None,
    )
    .await;

    assert!(output.status.success(), "{}", stderr(&output));
    let users: Vec<Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON document a line"))
        .collect();
    assert_eq!(users.len(), 25);
    let ids: BTreeSet<_> = users.iter().map(|user| user["id"].to_string()).collect();
    assert_eq!(ids.len(), 25, "every user once");
    assert_eq!(
        fake.count("GET", "/api/rest/v1/users"),
        3,
        "pages of 10, 10 and 5"
    );
    let mut secrets = vec![key.as_str()];
    let tokens = fake.issued_tokens();
    secrets.extend(tokens.iter().map(String::as_str));
    assert_no_secret(&output, &secrets);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn harmony_output_table_is_one_row_per_user() {
    let fake = harmony_sase_fake::FakeServer::start().await;
    let (key, origin) = (fake.api_key(), fake.origin());
    let env = [
        ("HARMONY_SASE_API_KEY", key.as_str()),
        ("HARMONY_SASE_URL", origin.as_str()),
    ];

    let output = secapi(&["--output", "table", "harmony", "list-users"], &env, None).await;

    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines.len(), 4, "a header and three users:\n{text}");
    assert!(lines[0].contains("email"), "{text}");
    assert!(lines[1].contains("@example.com"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cipherscale_create_patch_delete_sends_only_the_given_fields() {
    let fake = cipherscale_policy_fake::FakeServer::start().await;
    let (key, base_url) = (fake.api_key().to_string(), fake.base_url());
    let env = [
        ("CIPHERSCALE_API_KEY", key.as_str()),
        ("CIPHERSCALE_URL", base_url.as_str()),
    ];
    let body = json!({
        "name": "engineering", "type": "access", "action": true,
        "allGroups": false, "allUsers": true, "allDevices": false, "allResources": false
    });

    // Create, the body on stdin.
    let created = secapi(
        &["cipherscale", "create-policy", "--body", "-"],
        &env,
        Some(&body.to_string()),
    )
    .await;
    assert!(created.status.success(), "{}", stderr(&created));
    let policy: Value = serde_json::from_str(&stdout(&created)).expect("one JSON document");
    assert_eq!(policy["name"], "engineering");
    let id = policy["id"].as_str().expect("an id").to_string();
    assert_eq!(fake.last_request().and_then(|r| r.json()), Some(body));

    // Patch one field: the request body holds that field only.
    let patched = secapi(
        &[
            "cipherscale",
            "update-policy",
            "--policy-id",
            &id,
            "--name",
            "platform",
        ],
        &env,
        None,
    )
    .await;
    assert!(patched.status.success(), "{}", stderr(&patched));
    let policy: Value = serde_json::from_str(&stdout(&patched)).expect("one JSON document");
    assert_eq!(
        (&policy["name"], &policy["allUsers"]),
        (&json!("platform"), &json!(true))
    );
    let sent = fake.last_request().expect("the patch");
    assert_eq!(sent.method.as_str(), "PATCH");
    assert_eq!(sent.json(), Some(json!({"name": "platform"})));

    // Delete: no response body, so the command says what it did.
    let deleted = secapi(
        &["cipherscale", "delete-policy", "--policy-id", &id],
        &env,
        None,
    )
    .await;
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    let summary: Value = serde_json::from_str(&stdout(&deleted)).expect("one JSON document");
    assert_eq!(
        summary,
        json!({"operation": "delete_policy", "status": 200, "arguments": {"policy-id": id}})
    );
    assert!(fake.policies().is_empty());

    // The policy is gone: an API error, exit status 1, the status and the API's message.
    let missing = secapi(
        &["cipherscale", "get-policy", "--policy-id", &id],
        &env,
        None,
    )
    .await;
    assert_eq!(missing.status.code(), Some(1));
    assert!(stdout(&missing).is_empty());
    let message = stderr(&missing);
    assert!(message.contains("404 Not Found"), "{message}");
    assert!(
        message.contains(&format!("Policy with id {id} not found")),
        "{message}"
    );

    for output in [&created, &patched, &deleted, &missing] {
        assert_no_secret(output, &[&key]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_key_is_an_api_error_that_does_not_show_the_key() {
    let fake = cipherscale_policy_fake::FakeServer::start().await;
    let base_url = fake.base_url();
    let wrong = "not-the-key-5ecret";
    let env = [
        ("CIPHERSCALE_API_KEY", wrong),
        ("CIPHERSCALE_URL", base_url.as_str()),
    ];

    let output = secapi(&["cipherscale", "list-policies"], &env, None).await;

    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("401 Unauthorized"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("Invalid API key"),
        "{}",
        stderr(&output)
    );
    assert_no_secret(&output, &[wrong]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saas_rules_list_policy_maps_is_signed_with_edgegrid_from_an_edgerc() {
    let fake = saas_rules_fake::FakeServer::start().await;
    let seeded = fake.seed_policy("Example", Some("1-1TJZH5"), Some("15225"));
    fake.seed_policy("Elsewhere", Some("1-OTHER"), Some("1"));
    let dir = tempfile::tempdir().expect("a temp dir");
    let edgerc = dir.path().join(".edgerc");
    std::fs::write(&edgerc, fake.edgerc().replace("[default]", "[saas]")).expect("write .edgerc");
    let edgerc = edgerc.to_str().expect("a UTF-8 path");

    let output = secapi(
        &[
            "saas-rules",
            "list-policy-maps",
            "--contract",
            "1-1TJZH5",
            "--group",
            "15225",
            "--edgerc",
            edgerc,
            "--section",
            "saas",
        ],
        &[],
        None,
    )
    .await;

    assert!(output.status.success(), "{}", stderr(&output));
    let maps: Value = serde_json::from_str(&stdout(&output)).expect("one JSON document");
    let policies = maps["response"].as_array().expect("a response list");
    assert_eq!(policies.len(), 1, "{maps}");
    assert_eq!(policies[0]["policyId"], seeded.policy_id);
    assert_eq!(
        fake.verified_count(),
        1,
        "the fake checked the EdgeGrid signature"
    );
    let query = fake
        .last_request()
        .and_then(|r| r.query)
        .unwrap_or_default();
    assert!(
        query.contains("contractId=1-1TJZH5") && query.contains("groupId=15225"),
        "{query}"
    );
    assert_no_secret(
        &output,
        &[
            saas_rules_fake::CLIENT_SECRET,
            saas_rules_fake::CLIENT_TOKEN,
            saas_rules_fake::ACCESS_TOKEN,
        ],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_config_error_names_the_missing_variable_or_edgerc_key() {
    let missing_key = secapi(&["harmony", "list-users"], &[], None).await;
    assert_eq!(missing_key.status.code(), Some(2));
    assert!(
        stderr(&missing_key).contains("HARMONY_SASE_API_KEY"),
        "{}",
        stderr(&missing_key)
    );

    let missing_url = secapi(&["cipherscale", "list-policies"], &[], None).await;
    assert_eq!(missing_url.status.code(), Some(2));
    assert!(
        stderr(&missing_url).contains("CIPHERSCALE_API_KEY"),
        "{}",
        stderr(&missing_url)
    );

    let dir = tempfile::tempdir().expect("a temp dir");
    let edgerc = dir.path().join(".edgerc");
    std::fs::write(
        &edgerc,
        "[default]\nhost = akab-x.luna.akamaiapis.net\nclient_token = akab-t\naccess_token = akab-a\n",
    )
    .expect("write .edgerc");
    let output = secapi(
        &[
            "saas-rules",
            "list-policy-maps",
            "--edgerc",
            edgerc.to_str().expect("UTF-8"),
        ],
        &[],
        None,
    )
    .await;
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("client_secret") && message.contains("[default]"),
        "{message}"
    );
    assert!(
        !message.contains("akab-t") && !message.contains("akab-a"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_with_2() {
    let fake = cipherscale_policy_fake::FakeServer::start().await;
    let (key, base_url) = (fake.api_key().to_string(), fake.base_url());
    let env = [
        ("CIPHERSCALE_API_KEY", key.as_str()),
        ("CIPHERSCALE_URL", base_url.as_str()),
    ];

    let unreadable = secapi(
        &[
            "cipherscale",
            "create-policy",
            "--body",
            "/nonexistent/body.json",
        ],
        &env,
        None,
    )
    .await;
    assert_eq!(unreadable.status.code(), Some(2));
    assert!(
        stderr(&unreadable).contains("/nonexistent/body.json"),
        "{}",
        stderr(&unreadable)
    );

    let unknown = secapi(&["cipherscale", "frobnicate"], &env, None).await;
    assert_eq!(unknown.status.code(), Some(2));
    let bad_id = secapi(
        &["cipherscale", "get-policy", "--policy-id", "7"],
        &env,
        None,
    )
    .await;
    assert_eq!(bad_id.status.code(), Some(2));
    assert_eq!(fake.request_count(), 0, "nothing reached the API");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saas_rules_reads_akamai_variables_and_sends_the_account_switch_key() {
    let fake = saas_rules_fake::FakeServer::start().await;
    let origin = fake.origin();
    let env = [
        ("AKAMAI_HOST", origin.as_str()),
        ("AKAMAI_CLIENT_TOKEN", saas_rules_fake::CLIENT_TOKEN),
        ("AKAMAI_CLIENT_SECRET", saas_rules_fake::CLIENT_SECRET),
        ("AKAMAI_ACCESS_TOKEN", saas_rules_fake::ACCESS_TOKEN),
    ];

    let output = secapi(
        &[
            "saas-rules",
            "list-policy-maps",
            "--account-key",
            "1-ABC:1-DEF",
        ],
        &env,
        None,
    )
    .await;

    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(fake.verified_count(), 1);
    let query = fake
        .last_request()
        .and_then(|r| r.query)
        .unwrap_or_default();
    assert!(query.contains("accountSwitchKey=1-ABC"), "{query}");

    // Without the flag, the credentials' own account key is kept.
    let with_key = [env.as_slice(), &[("AKAMAI_ACCOUNT_KEY", "1-ENV")]].concat();
    let output = secapi(&["saas-rules", "list-policy-maps"], &with_key, None).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let query = fake
        .last_request()
        .and_then(|r| r.query)
        .unwrap_or_default();
    assert!(query.contains("accountSwitchKey=1-ENV"), "{query}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_the_spec_does_not_describe_show_status_and_body() {
    use cipherscale_policy_fake::Injection;
    let fake = cipherscale_policy_fake::FakeServer::start().await;
    let base_url = fake.base_url();
    let env = [
        ("CIPHERSCALE_API_KEY", fake.api_key()),
        ("CIPHERSCALE_URL", base_url.as_str()),
    ];

    fake.inject(Injection::status(418).json(r#"{"message": "short and stout"}"#));
    let teapot = secapi(&["cipherscale", "list-policies"], &env, None).await;
    assert_eq!(teapot.status.code(), Some(1));
    let message = stderr(&teapot);
    assert!(message.contains("418 I'm a teapot"), "{message}");
    assert!(message.contains("short and stout"), "{message}");

    fake.inject(Injection::status(200).body("<html>login page</html>"));
    let html = secapi(&["cipherscale", "list-policies"], &env, None).await;
    assert_eq!(html.status.code(), Some(1));
    let message = stderr(&html);
    assert!(message.contains("200 OK"), "{message}");
    assert!(message.contains("does not match the spec"), "{message}");
    assert!(message.contains("<html>login page</html>"), "{message}");
}
