//! The cache against a token route on 127.0.0.1 (a fake-kit server): one exchange for many
//! callers, renewal of the rejected token only, the assumed lifetime, refusals, no secret shown.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

use super::*;
use crate::{ClientConfig, RetryPolicy, Runtime};

const KEY: &str = "k-s3cret";

/// `POST /token` with `{"key"}` → `{"token": "t-N", "ttl": …}`; `ttl` as the test sets it.
#[derive(Clone, Default)]
struct Issuer {
    issued: Arc<AtomicUsize>,
    ttl: Arc<std::sync::Mutex<Value>>,
    body: Arc<std::sync::Mutex<Option<&'static str>>>,
}

async fn token(State(issuer): State<Issuer>, Json(request): Json<Value>) -> Response {
    if request["key"] != KEY {
        return (StatusCode::UNAUTHORIZED, "bad key").into_response();
    }
    if let Some(body) = *issuer.body.lock().unwrap() {
        return body.into_response();
    }
    // Slow enough for concurrent callers to queue behind one exchange.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let n = issuer.issued.fetch_add(1, Ordering::SeqCst) + 1;
    let ttl = issuer.ttl.lock().unwrap().clone();
    Json(json!({"token": format!("t-{n}"), "ttl": ttl})).into_response()
}

#[derive(Debug)]
struct Test {
    url: String,
}

impl Exchange for Test {
    const OPERATION: &'static str = "getToken";
    const ASSUMED_LIFETIME: Duration = Duration::from_secs(600);

    fn request(&self, http: &reqwest::Client, key: &SecretString) -> reqwest::Result<Request> {
        http.post(&self.url)
            .json(&json!({"key": key.expose_secret()}))
            .build()
    }

    fn read(&self, body: &[u8]) -> Result<Issued, String> {
        let body: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
        let token = body["token"].as_str().ok_or("no token")?;
        Ok(Issued::expiring_in(token.into(), body["ttl"].as_u64()))
    }
}

struct Setup {
    _server: fake_kit::Server,
    issuer: Issuer,
    auth: BearerExchange<Test>,
    runtime: Runtime,
    http: reqwest::Client,
}

async fn setup(key: &str) -> Setup {
    let issuer = Issuer::default();
    let router = axum::Router::new()
        .route("/token", post(token))
        .with_state(issuer.clone());
    let server = fake_kit::Server::builder().start(router).await.unwrap();
    let url = format!("{}/token", server.origin());
    let config = ClientConfig {
        retry: RetryPolicy::none(),
        ..ClientConfig::default()
    };
    Setup {
        _server: server,
        issuer,
        auth: BearerExchange::new(key.into(), Test { url }),
        runtime: Runtime::new(&config),
        http: reqwest::Client::new(),
    }
}

const CALL: OperationInfo = OperationInfo {
    operation_id: "listThings",
};

impl Setup {
    fn call<'a>(&'a self, info: &'a OperationInfo) -> Call<'a> {
        Call {
            runtime: &self.runtime,
            http: &self.http,
            info,
        }
    }

    fn issued(&self) -> usize {
        self.issuer.issued.load(Ordering::SeqCst)
    }

    /// The `Authorization` a call gets, or the refusal.
    async fn authorize(&self, info: &OperationInfo) -> Result<Option<String>, AuthError> {
        let mut request = Request::new(reqwest::Method::GET, "http://x/".parse().unwrap());
        self.auth.authorize(self.call(info), &mut request).await?;
        Ok(request.headers().get(AUTHORIZATION).map(|v| {
            assert!(v.is_sensitive());
            v.to_str().unwrap().to_owned()
        }))
    }

    async fn bearer(&self) -> String {
        self.authorize(&CALL).await.unwrap().expect("a bearer")
    }

    /// What `renew` puts on a replay that carried `rejected`.
    async fn renew(&self, rejected: &str) -> Option<String> {
        let mut replay = Request::new(reqwest::Method::GET, "http://x/".parse().unwrap());
        let value = HeaderValue::from_str(rejected).unwrap();
        replay.headers_mut().insert(AUTHORIZATION, value);
        let renewed = self.auth.renew(self.call(&CALL), &mut replay).await;
        renewed.then(|| replay.headers()[AUTHORIZATION].to_str().unwrap().to_owned())
    }
}

#[tokio::test]
async fn concurrent_calls_share_one_exchange_and_reuse_its_token() {
    let s = setup(KEY).await;
    *s.issuer.ttl.lock().unwrap() = json!(3600);
    assert_eq!(s.issued(), 0, "nothing is exchanged before a call");
    let bearers = futures::future::join_all((0..20).map(|_| s.bearer())).await;
    assert!(bearers.iter().all(|b| b == "Bearer t-1"), "{bearers:?}");
    assert_eq!(s.bearer().await, "Bearer t-1");
    assert_eq!(s.issued(), 1);
    let exchange = OperationInfo {
        operation_id: Test::OPERATION,
    };
    assert_eq!(s.authorize(&exchange).await.unwrap(), None);
}

#[tokio::test]
async fn a_401_replaces_only_the_rejected_token() {
    let s = setup(KEY).await;
    *s.issuer.ttl.lock().unwrap() = json!(3600);
    assert_eq!(s.bearer().await, "Bearer t-1");
    assert_eq!(s.renew("Bearer t-1").await.as_deref(), Some("Bearer t-2"));
    // A second call rejected with the old token gets the new one, without an exchange.
    assert_eq!(s.renew("Bearer t-1").await.as_deref(), Some("Bearer t-2"));
    assert_eq!(s.issued(), 2);
    assert_eq!(s.bearer().await, "Bearer t-2");
    let mut unsigned = Request::new(reqwest::Method::GET, "http://x/".parse().unwrap());
    assert!(!s.auth.renew(s.call(&CALL), &mut unsigned).await);
}

#[tokio::test]
async fn lifetimes_come_from_the_response_or_are_assumed() {
    let s = setup(KEY).await;
    // No expiry: the assumed ten minutes.
    s.bearer().await;
    s.bearer().await;
    assert_eq!(s.issued(), 1);
    // Expired on arrival: a new exchange for every call.
    *s.issuer.ttl.lock().unwrap() = json!(0);
    s.renew("Bearer t-1").await.expect("renewed");
    s.bearer().await;
    assert_eq!(s.issued(), 3);
    // A lifetime past what the clock holds counts as none given (the assumed ten minutes).
    *s.issuer.ttl.lock().unwrap() = json!(u64::MAX);
    s.renew("Bearer t-3").await.expect("renewed");
    s.bearer().await;
    assert_eq!(s.issued(), 4);
}

#[tokio::test]
async fn refusals_keep_the_response_and_show_no_secret() {
    let s = setup("wrong-key").await;
    let Err(AuthError::Rejected(raw)) = s.authorize(&CALL).await else {
        panic!("a refused exchange keeps its response");
    };
    assert_eq!((raw.status.as_u16(), raw.operation), (401, "getToken"));

    let s = setup(KEY).await;
    *s.issuer.body.lock().unwrap() = Some("<html>a proxy with t-secret</html>");
    let Err(AuthError::Unusable(why)) = s.authorize(&CALL).await else {
        panic!("a body that is not a token response is unusable");
    };
    assert!(
        why.starts_with("the token exchange (getToken) answered HTTP 200"),
        "{why}"
    );
    assert!(!why.contains("t-secret"), "{why}");

    *s.issuer.body.lock().unwrap() = None;
    s.bearer().await;
    let shown = format!("{:?}", s.auth);
    assert!(!shown.contains(KEY) && !shown.contains("t-1"), "{shown}");
}

#[test]
fn refresh_happens_before_expiry() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
    let secs = Duration::from_secs;
    assert_eq!(refresh_time(now, now + secs(3600)), now + secs(3540));
    assert_eq!(refresh_time(now, now + secs(8)), now + secs(6));
    assert_eq!(refresh_time(now, now - secs(5)), now - secs(5));
}

#[test]
fn absolute_expiries_in_every_form() {
    let secs = |text: &str| {
        let since = Issued::expiry(text)?.duration_since(SystemTime::UNIX_EPOCH);
        Some(since.expect("after the epoch").as_secs())
    };
    for text in [
        "1809771195",
        " 1809771195000 ",
        "2027-05-08T10:13:15Z",
        "2027-05-08T12:13:15+02:00",
    ] {
        assert_eq!(secs(text), Some(1_809_771_195), "{text}");
    }
    for text in ["tomorrow", "-5", ""] {
        assert_eq!(secs(text), None, "{text}");
    }
}
