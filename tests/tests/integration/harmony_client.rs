//! The Harmony SASE client against the fake server: every operation, the token lifecycle,
//! paging, errors and malformed responses.

use std::num::NonZeroU64;
use std::time::Duration;

use futures::TryStreamExt;
use harmony_sase::{Client, ClientConfig, Error, RateLimit, RetryPolicy, types};
use harmony_sase_fake::{ExpireFormat, FakeServer, Injection};

/// Client settings for tests: no client-side rate limit, no retries unless a test wants them.
fn config(retry: RetryPolicy) -> ClientConfig {
    ClientConfig {
        rate_limit: None,
        retry,
        ..Client::default_config()
    }
}

fn client(fake: &FakeServer) -> Client {
    client_with(fake, RetryPolicy::none())
}

fn client_with(fake: &FakeServer, retry: RetryPolicy) -> Client {
    Client::builder(fake.api_key())
        .base_url(fake.origin())
        .config(config(retry))
        .build()
        .expect("valid settings")
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        rate_limit_wait: Some(Duration::from_millis(5)),
        ..RetryPolicy::default()
    }
}

/// The body that creates a group called `name`.
fn group_named(name: &str) -> types::builder::CreateGroupDto {
    types::CreateGroupDto::builder().name(name.parse::<types::CreateGroupDtoName>().expect("name"))
}

fn n(value: u64) -> NonZeroU64 {
    NonZeroU64::new(value).expect("non-zero")
}

#[tokio::test]
async fn every_operation_works() {
    let fake = FakeServer::start().await;
    let client = client(&fake);

    let token = client
        .authorize()
        .body(types::AuthorizeRequest {
            api_key: fake.api_key(),
            grant_type: types::GrantType::ApiKey,
        })
        .send()
        .await
        .expect("authorize")
        .into_inner();
    assert!(token.data.access_token.starts_with("fake-token-"));

    let user = client
        .create_user()
        .body(
            types::CreateUserDto::builder()
                .email("ada@example.com")
                .access_groups(Vec::new())
                .invite_message("Welcome")
                .profile_data(Some(
                    types::UserProfileDto::builder()
                        .first_name(Some("Ada".parse().expect("valid name")))
                        .last_name(Some("Lovelace".parse().expect("valid name")))
                        .try_into()
                        .expect("valid profile"),
                )),
        )
        .send()
        .await
        .expect("create user")
        .into_inner();
    assert_eq!(user.email.as_deref(), Some("ada@example.com"));

    let users = client
        .list_users()
        .q("ada")
        .send()
        .await
        .expect("list users")
        .into_inner();
    assert_eq!(users.data.len(), 1);
    assert_eq!(users.items_total, Some(1));

    let group = client
        .create_group()
        .body(group_named("Engineering"))
        .send()
        .await
        .expect("create group")
        .into_inner();
    let groups = client
        .list_groups()
        .send()
        .await
        .expect("list groups")
        .into_inner();
    assert!(groups.data.iter().any(|g| g.id == group.id));

    let joined = client
        .add_group_member()
        .group_id(&group.id)
        .user_id(&user.id)
        .send()
        .await
        .expect("add member");
    assert_eq!(joined.status(), 201);
    assert_eq!(joined.into_inner().users, vec![user.id.clone()]);
    let left = client
        .remove_group_member()
        .group_id(&group.id)
        .user_id(&user.id)
        .send()
        .await
        .expect("remove member");
    assert!(left.into_inner().users.is_empty());

    let addons = client
        .list_addons()
        .send()
        .await
        .expect("list addons")
        .into_inner();
    assert_eq!(addons.data.len(), 2);
    let bought = client
        .buy_member_addons()
        .body(types::BuyAddonsDto::builder().amount(n(5)))
        .send()
        .await
        .expect("buy members")
        .into_inner();
    assert!(bought.addons.iter().any(|a| a.quantity == Some(15)));
    client
        .buy_gateway_addons()
        .body(types::BuyAddonsDto::builder().amount(n(1)))
        .send()
        .await
        .expect("buy gateways");

    let networks = client
        .list_networks()
        .send()
        .await
        .expect("list networks")
        .into_inner();
    assert_eq!(networks.data.len(), 2);
    let network_id = networks.data[0].id.clone().expect("network id");
    let health = client
        .get_network_health()
        .network_id(&network_id)
        .send()
        .await
        .expect("health")
        .into_inner();
    assert_eq!(health.data.len(), 2);
    // An unknown status value is kept, not rejected.
    assert!(health.data.iter().any(|check| matches!(
        &check.status,
        Some(types::HealthStatus::String(value)) if value == "degraded-new-value"
    )));

    client
        .delete_group()
        .group_id(&group.id)
        .send()
        .await
        .expect("delete group");
    let deleted = client
        .delete_user()
        .user_id(&user.id)
        .send()
        .await
        .expect("delete user")
        .into_inner();
    assert_eq!(deleted.id, user.id);
    // The explicit authorize plus the lazy one the first bearer call made.
    assert_eq!(fake.authorize_count(), 2);
}

#[tokio::test]
async fn token_is_fetched_lazily_and_reused() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    assert_eq!(fake.authorize_count(), 0, "building a client sends nothing");
    for _ in 0..3 {
        client.list_networks().send().await.expect("list networks");
    }
    assert_eq!(fake.authorize_count(), 1);
    let requests = fake.requests();
    assert_eq!(requests[0].path, "/api/v1/auth/authorize");
    assert!(
        requests[0].header("authorization").is_none(),
        "the exchange carries no bearer"
    );
    let bearer = format!("Bearer {}", fake.redacted(&fake.issued_tokens()[0]));
    assert!(
        requests[1..]
            .iter()
            .all(|r| r.header("authorization") == Some(bearer.as_str()))
    );
    assert_eq!(
        requests[1].header("user-agent"),
        Some(concat!("harmony-sase/", env!("CARGO_PKG_VERSION")))
    );
}

#[tokio::test]
async fn a_given_reqwest_client_sends_every_request() {
    let fake = FakeServer::start().await;
    let client = Client::builder(fake.api_key())
        .base_url(fake.origin())
        .config(config(RetryPolicy::none()))
        .http_client(crate::own_http_client("my-tool/1.0"))
        .build()
        .expect("valid settings");
    client.list_networks().send().await.expect("list networks");
    let requests = fake.requests();
    let agents: Vec<_> = requests.iter().map(|r| r.header("user-agent")).collect();
    assert_eq!(
        agents,
        [Some("my-tool/1.0"), Some("my-tool/1.0")],
        "the token exchange and the call"
    );
}

#[tokio::test]
async fn every_expiry_format_is_understood() {
    for format in [
        ExpireFormat::Rfc3339,
        ExpireFormat::EpochSeconds,
        ExpireFormat::EpochMillis,
        ExpireFormat::NumericString,
    ] {
        let fake = FakeServer::builder().expire_format(format).start().await;
        let client = client(&fake);
        client.list_networks().send().await.expect("first call");
        client.list_networks().send().await.expect("second call");
        assert_eq!(
            fake.authorize_count(),
            1,
            "{format:?}: a valid token is reused"
        );
    }
}

#[tokio::test]
async fn token_is_refreshed_before_it_expires() {
    // The server says the token is already expired (while still accepting it): the client
    // must authorize before each call instead of waiting for a 401.
    let fake = FakeServer::builder()
        .reported_lifetime(Duration::ZERO)
        .start()
        .await;
    let client = client(&fake);
    client.list_networks().send().await.expect("first call");
    client.list_networks().send().await.expect("second call");
    assert_eq!(fake.authorize_count(), 2);
    assert!(
        fake.requests()
            .iter()
            .all(|r| !r.path.starts_with("/api/rest") || r.header("authorization").is_some())
    );
}

#[tokio::test]
async fn concurrent_calls_share_one_authorization() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    let calls = (0..100).map(|_| client.list_networks().send());
    futures::future::try_join_all(calls)
        .await
        .expect("all calls succeed");
    assert_eq!(
        fake.authorize_count(),
        1,
        "cold start: one exchange for 100 calls"
    );

    fake.expire_tokens();
    let calls = (0..100).map(|_| client.list_networks().send());
    futures::future::try_join_all(calls)
        .await
        .expect("all calls succeed after re-authorizing");
    assert_eq!(
        fake.authorize_count(),
        2,
        "expired token: one more exchange for 100 calls"
    );
}

#[tokio::test]
async fn rejected_token_is_renewed_once_and_replayed() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    client.list_networks().send().await.expect("first call");
    fake.expire_tokens();
    let networks = client
        .list_networks()
        .send()
        .await
        .expect("replayed after 401");
    assert_eq!(networks.into_inner().data.len(), 2);
    assert_eq!(fake.authorize_count(), 2);

    // A second 401 after renewing is the caller's: one renewal, no loop.
    let unauthorized = r#"{"message":"Unauthorized"}"#;
    fake.inject(
        Injection::status(401)
            .json(unauthorized)
            .times(2)
            .path("/api/rest/v1/networks"),
    );
    let error = Error::from(
        client
            .list_networks()
            .send()
            .await
            .expect_err("still unauthorized"),
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        error.api_error().and_then(|e| e.message.as_deref()),
        Some("Unauthorized")
    );
    assert_eq!(fake.authorize_count(), 3);
}

#[tokio::test]
async fn rejected_post_is_replayed_once_with_its_body() {
    // A POST is not retried after a 401, but a request refused for its token was not acted
    // on: it is replayed, body and all, with the renewed token.
    let fake = FakeServer::start().await;
    let client = client(&fake);
    client.list_groups().send().await.expect("first call");
    fake.expire_tokens();
    let group = client
        .create_group()
        .body(group_named("Engineering"))
        .send()
        .await
        .expect("replayed after 401")
        .into_inner();
    assert_eq!(group.name.as_deref(), Some("Engineering"));
    assert_eq!(fake.authorize_count(), 2);
    let posts: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/groups"))
        .map(|r| r.header("authorization").map(str::to_owned))
        .collect();
    assert_eq!(posts.len(), 2, "sent, refused, replayed once");
    assert_ne!(posts[0], posts[1], "the replay carries the renewed token");
}

#[tokio::test]
async fn wrong_api_key_is_a_typed_error_without_the_key() {
    let fake = FakeServer::start().await;
    let client = Client::builder("not-the-key")
        .base_url(fake.origin())
        .config(config(RetryPolicy::none()))
        .build()
        .expect("client");
    let error = Error::from(client.list_users().send().await.expect_err("refused"));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        error.api_error().and_then(|e| e.message.as_deref()),
        Some("Invalid API key")
    );
    let shown = format!("{error} {error:?} {client:?}");
    assert!(
        shown.contains("authorize (POST /api/v1/auth/authorize) failed with HTTP 401"),
        "{shown}"
    );
    assert!(
        !shown.contains("not-the-key"),
        "the API key leaked: {shown}"
    );
}

#[tokio::test]
async fn pages_stream_across_every_page() {
    let fake = FakeServer::builder().users(25).start().await;
    let client = client(&fake);
    let users: Vec<_> = client
        .users(|q| q.limit(n(10)))
        .try_collect()
        .await
        .expect("all pages");
    assert_eq!(users.len(), 25);
    assert_eq!(users[24].email.as_deref(), Some("user25@example.com"));
    let pages: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/rest/v1/users")
        .filter_map(|r| r.query)
        .collect();
    assert_eq!(
        pages,
        ["limit=10&page=1", "limit=10&page=2", "limit=10&page=3"]
    );

    let sorted: Vec<_> = client
        .users(|q| q.limit(n(7)).sort_email(types::SortOrder::Desc))
        .map_ok(|u| u.email.unwrap_or_default())
        .try_collect()
        .await
        .expect("sorted pages");
    assert_eq!(
        sorted.first().map(String::as_str),
        Some("user9@example.com")
    );

    let groups: Vec<_> = client.groups(|q| q).try_collect().await.expect("groups");
    assert_eq!(groups.len(), 1);
}

#[tokio::test]
async fn documented_errors_are_typed() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    let missing = Error::from(
        client
            .delete_user()
            .user_id("nobody")
            .send()
            .await
            .expect_err("404"),
    );
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        missing.api_error().and_then(|e| e.id.as_deref()),
        Some("err-404")
    );
    assert!(missing.body().is_some_and(|b| b.starts_with(b"{\"id\"")));

    let duplicate = types::CreateUserDto::builder()
        .email("user1@example.com")
        .access_groups(Vec::new())
        .invite_message("hi");
    let error = Error::from(
        client
            .create_user()
            .body(duplicate)
            .send()
            .await
            .expect_err("duplicate"),
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(
        error.api_error().and_then(|e| e.message.as_deref()),
        Some("User already exists")
    );
}

#[tokio::test]
async fn malformed_responses_keep_status_and_body() {
    let fake = FakeServer::start().await;
    let client = client(&fake);
    for (status, content_type, body) in [
        (200, "application/json", ""),
        (200, "text/html", "<html><body>Maintenance</body></html>"),
        (
            200,
            "application/json",
            r#"{"data": [{"id": "u1", "email": "#,
        ),
        (200, "application/json", r#"{"data": "not a list"}"#),
        (502, "text/html", "<html>Bad Gateway</html>"),
    ] {
        fake.inject(
            Injection::status(status)
                .header("content-type", content_type)
                .body(body)
                .path("/api/rest/v1/users"),
        );
        let error = Error::from(client.list_users().send().await.expect_err(body));
        assert_eq!(
            error.body().map(|b| &b[..]),
            Some(body.as_bytes()),
            "{error:?}"
        );
        assert_eq!(
            error.status().map(|s| s.as_u16()),
            Some(status),
            "{error:?}"
        );
        match (status, &error) {
            (200, Error::InvalidResponse { reason, .. }) => {
                let expected = match body {
                    "" => "empty body",
                    _ if body.contains("not a list") => "not the documented JSON",
                    _ => "not JSON",
                };
                assert!(reason.contains(expected), "{body:?}: {reason}");
            }
            (
                502,
                Error::Api {
                    error: None,
                    response,
                },
            ) => assert_eq!(response.status.as_u16(), 502),
            _ => panic!("unexpected error for {body:?}: {error:?}"),
        }
    }
}

#[tokio::test]
async fn idempotent_calls_retry_and_posts_do_not() {
    let fake = FakeServer::start().await;
    let client = client_with(&fake, fast_retries());
    client
        .list_networks()
        .send()
        .await
        .expect("warm up the token");
    fake.inject(
        Injection::status(503)
            .header("content-type", "text/plain")
            .body("busy")
            .path("/api/rest/v1/networks"),
    );
    fake.inject(
        Injection::status(502)
            .header("content-type", "text/plain")
            .body("bad gateway")
            .path("/api/rest/v1/networks"),
    );
    client
        .list_networks()
        .send()
        .await
        .expect("third attempt succeeds");

    fake.inject(
        Injection::status(503)
            .header("content-type", "text/plain")
            .body("busy")
            .path("/api/rest/v1/addons/members"),
    );
    let body = types::BuyAddonsDto::builder().amount(n(1));
    let error = Error::from(
        client
            .buy_member_addons()
            .body(body)
            .send()
            .await
            .expect_err("POST is not retried"),
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    let purchases = fake
        .requests()
        .iter()
        .filter(|r| r.path == "/api/rest/v1/addons/members")
        .count();
    assert_eq!(purchases, 1);
}

#[tokio::test]
async fn rate_limited_calls_wait_for_the_window() {
    // The fake allows 3 requests per 300 ms and answers 429 without Retry-After beyond that.
    let fake = FakeServer::builder()
        .rate_limit(3, Duration::from_millis(300))
        .start()
        .await;
    let retry = RetryPolicy {
        rate_limit_wait: Some(Duration::from_millis(350)),
        ..fast_retries()
    };
    let client = client_with(&fake, retry);
    for _ in 0..5 {
        client
            .list_networks()
            .send()
            .await
            .expect("429 is waited out");
    }
}

#[tokio::test]
async fn the_client_side_limit_keeps_a_workflow_within_the_budget() {
    // The server's budget, scaled down from 10 per 60 s: 10 per 400 ms, 429 beyond it.
    let window = Duration::from_millis(400);
    let fake = FakeServer::builder().rate_limit(10, window).start().await;
    let config = ClientConfig {
        // A margin over the server's window absorbs differences in latency between requests,
        // as the default configuration does.
        rate_limit: RateLimit::new(10, window + Duration::from_millis(100)),
        retry: RetryPolicy::none(),
        ..Client::default_config()
    };
    let client = Client::builder(fake.api_key())
        .base_url(fake.origin())
        .config(config)
        .build()
        .expect("client");
    let started = std::time::Instant::now();
    for _ in 0..50 {
        client.list_networks().send().await.expect("no call fails");
    }
    assert_eq!(fake.throttled_count(), 0, "no doomed request was sent");
    // 51 requests (with the token exchange) at 10 per window need at least 5 full windows.
    assert!(started.elapsed() >= window * 5, "{:?}", started.elapsed());
}

#[test]
fn configuration_errors_name_the_key() {
    let error = Client::from_env_with(|_| None).expect_err("no key");
    assert_eq!(
        error.to_string(),
        "environment: HARMONY_SASE_API_KEY: not set"
    );
    let error = Client::from_env_with(|name| match name {
        "HARMONY_SASE_API_KEY" => Some("secret-key".into()),
        _ => Some("not a url".into()),
    })
    .expect_err("bad url");
    assert_eq!(error.key, "HARMONY_SASE_URL");
    assert!(!error.to_string().contains("secret-key"));
    let client =
        Client::from_env_with(|name| (name == "HARMONY_SASE_API_KEY").then(|| "k".to_string()))
            .expect("defaults");
    assert_eq!(client.base_url(), "https://api.perimeter81.com");
}
