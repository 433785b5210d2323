//! `sign_request` on real `reqwest::Request`s, credential construction and redaction.

use chrono::TimeZone;
use edgegrid::{Credentials, SignError, format_timestamp};
use reqwest::header::{AUTHORIZATION, HOST, HeaderValue};
use reqwest::{Method, Request};
use url::Url;

const TIMESTAMP: &str = "20140321T19:34:21+0000";
const NONCE: &str = "nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

fn credentials(host: &str) -> Credentials {
    Credentials::new(
        host,
        "akab-client-token-xxx",
        "super-secret-client-secret=",
        "akab-access-token-xxx",
    )
    .expect("valid credentials")
}

fn request(method: Method, url: &str) -> Request {
    Request::new(method, Url::parse(url).expect("url"))
}

fn authorization(request: &Request) -> &str {
    request.headers()[AUTHORIZATION]
        .to_str()
        .expect("ASCII header")
}

/// Splits `EG1-HMAC-SHA256 k=v;k=v;...` into its fields.
fn field<'a>(authorization: &'a str, name: &str) -> &'a str {
    authorization
        .trim_start_matches("EG1-HMAC-SHA256 ")
        .split(';')
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("no {name} in {authorization}"))
}

#[test]
fn debug_never_shows_tokens_or_secret() {
    let c = credentials("example.luna.akamaiapis.net").with_account_key(Some("1-ABC".to_owned()));
    let shown = format!("{c:?} {c:#?}");
    for secret in [
        "akab-client-token-xxx",
        "super-secret-client-secret=",
        "akab-access-token-xxx",
    ] {
        assert!(!shown.contains(secret), "Debug shows a secret: {shown}");
    }
    assert!(shown.contains("REDACTED"));
    assert!(shown.contains("example.luna.akamaiapis.net"));
}

#[test]
fn every_call_gets_a_fresh_timestamp_and_nonce() {
    let c = credentials("example.luna.akamaiapis.net");
    let mut first = request(Method::GET, "https://example.luna.akamaiapis.net/a");
    let mut second = request(Method::GET, "https://example.luna.akamaiapis.net/a");
    c.sign_request(&mut first).expect("signs");
    c.sign_request(&mut second).expect("signs");
    let (a, b) = (authorization(&first), authorization(&second));
    assert!(a.starts_with(
        "EG1-HMAC-SHA256 client_token=akab-client-token-xxx;access_token=akab-access-token-xxx;"
    ));
    assert_ne!(field(a, "nonce"), field(b, "nonce"));
    assert_ne!(field(a, "signature"), field(b, "signature"));
    let nonce = uuid::Uuid::parse_str(field(a, "nonce")).expect("nonce is a UUID");
    assert_eq!(nonce.get_version_num(), 4);

    let timestamp = field(a, "timestamp");
    let parsed = chrono::NaiveDateTime::parse_from_str(timestamp, "%Y%m%dT%H:%M:%S+0000")
        .expect("EdgeGrid timestamp format");
    let age = chrono::Utc::now().naive_utc() - parsed;
    assert!(
        age.num_seconds().abs() < 60,
        "timestamp {timestamp} is not now"
    );
}

#[test]
fn timestamp_format() {
    let time = chrono::Utc
        .with_ymd_and_hms(2014, 3, 21, 19, 34, 21)
        .single()
        .expect("valid time");
    assert_eq!(format_timestamp(time), TIMESTAMP);
}

#[test]
fn resigning_replaces_the_header_and_marks_it_sensitive() {
    let c = credentials("example.luna.akamaiapis.net");
    let mut r = request(Method::GET, "https://example.luna.akamaiapis.net/a");
    c.sign_request(&mut r).expect("signs");
    c.sign_request(&mut r).expect("signs again");
    assert_eq!(r.headers().get_all(AUTHORIZATION).iter().count(), 1);
    assert!(r.headers()[AUTHORIZATION].is_sensitive());
}

#[test]
fn local_http_server_signs_http_scheme_and_port() {
    let c = credentials("http://127.0.0.1:9000");
    assert_eq!(c.base_url().as_str(), "http://127.0.0.1:9000/");
    let url = c
        .base_url()
        .join("/config-saas-rules/v2/policies?contractId=1-1TJZH5&name=a+b%2Fc")
        .expect("joins");
    let data = c
        .data_to_sign("GET", &url, &[], b"", TIMESTAMP, NONCE)
        .expect("signs");
    assert!(
        data.starts_with(
            "GET\thttp\t127.0.0.1:9000\t\
             /config-saas-rules/v2/policies?contractId=1-1TJZH5&name=a+b%2Fc\t\t\t"
        ),
        "{data}"
    );

    let mut r = Request::new(Method::GET, url.clone());
    c.sign_request_at(&mut r, TIMESTAMP, NONCE).expect("signs");
    let expected = c
        .authorization("GET", &url, &[], b"", TIMESTAMP, NONCE)
        .expect("signs");
    assert_eq!(authorization(&r), expected);
}

#[test]
fn default_port_is_not_signed() {
    let c = credentials("example.luna.akamaiapis.net");
    let url = Url::parse("https://example.luna.akamaiapis.net:443/p").expect("url");
    let data = c
        .data_to_sign("get", &url, &[], b"", TIMESTAMP, NONCE)
        .expect("signs");
    assert!(
        data.starts_with("GET\thttps\texample.luna.akamaiapis.net\t/p\t"),
        "{data}"
    );
}

#[test]
fn post_body_is_hashed_and_other_bodies_are_not() {
    let c = credentials("example.luna.akamaiapis.net").with_max_body(4);
    let url = "https://example.luna.akamaiapis.net/p";
    for (method, hashed) in [
        (Method::POST, true),
        (Method::PUT, false),
        (Method::PATCH, false),
    ] {
        let mut r = request(method.clone(), url);
        *r.body_mut() = Some("abcdefgh".into());
        c.sign_request_at(&mut r, TIMESTAMP, NONCE).expect("signs");
        let u = r.url().clone();
        let with_body = c
            .authorization(method.as_str(), &u, &[], b"abcdefgh", TIMESTAMP, NONCE)
            .expect("signs");
        let prefix_only = c
            .authorization(method.as_str(), &u, &[], b"abcd", TIMESTAMP, NONCE)
            .expect("signs");
        let empty = c
            .authorization(method.as_str(), &u, &[], b"", TIMESTAMP, NONCE)
            .expect("signs");
        assert_eq!(authorization(&r), with_body, "{method}");
        assert_eq!(
            with_body, prefix_only,
            "{method}: only max_body bytes are hashed"
        );
        assert_eq!(with_body != empty, hashed, "{method}");
    }
}

#[test]
fn streaming_post_body_is_an_error_but_streaming_put_is_fine() {
    let c = credentials("example.luna.akamaiapis.net");
    let stream = || {
        let chunks: Vec<Result<&'static [u8], std::io::Error>> = vec![Ok(b"abc")];
        reqwest::Body::wrap_stream(futures::stream::iter(chunks))
    };
    let mut post = request(Method::POST, "https://example.luna.akamaiapis.net/p");
    *post.body_mut() = Some(stream());
    assert!(matches!(
        c.sign_request(&mut post),
        Err(SignError::StreamingBody)
    ));
    assert!(post.headers().get(AUTHORIZATION).is_none());

    let mut put = request(Method::PUT, "https://example.luna.akamaiapis.net/p");
    *put.body_mut() = Some(stream());
    c.sign_request(&mut put).expect("PUT bodies are not hashed");
}

#[test]
fn signed_headers_host_override_and_repeats() {
    let c = credentials("example.luna.akamaiapis.net").with_headers_to_sign([" X-Test1 "]);
    let url = "https://example.luna.akamaiapis.net/p";
    let mut r = request(Method::GET, url);
    r.headers_mut()
        .insert("x-test1", HeaderValue::from_static("a \t b"));
    r.headers_mut()
        .insert(HOST, HeaderValue::from_static("other.example"));
    c.sign_request_at(&mut r, TIMESTAMP, NONCE).expect("signs");
    let u = Url::parse(url).expect("url");
    let headers = [("Host", "other.example"), ("X-TEST1", "a b")];
    let data = c
        .data_to_sign("GET", &u, &headers, b"", TIMESTAMP, NONCE)
        .expect("signs");
    assert!(
        data.starts_with("GET\thttps\tother.example\t/p\tx-test1:a b\t\t"),
        "{data}"
    );
    assert_eq!(
        authorization(&r),
        c.authorization("GET", &u, &headers, b"", TIMESTAMP, NONCE)
            .expect("signs")
    );

    r.headers_mut()
        .append("x-test1", HeaderValue::from_static("again"));
    assert!(matches!(
        c.sign_request(&mut r),
        Err(SignError::RepeatedHeader { name }) if name == "x-test1"
    ));
}

#[test]
fn tokens_that_cannot_be_header_values_are_an_error() {
    let c = Credentials::new("example.com", "bad\ntoken", "s", "a").expect("valid host");
    let mut r = request(Method::GET, "https://example.com/");
    assert!(matches!(
        c.sign_request(&mut r),
        Err(SignError::InvalidAuthorization)
    ));
}

#[test]
fn hosts() {
    for (host, base) in [
        ("example.com", "https://example.com/"),
        (" example.com/ ", "https://example.com/"),
        ("example.com:8443", "https://example.com:8443/"),
        ("http://127.0.0.1:9000", "http://127.0.0.1:9000/"),
        ("HTTPS://Example.COM/", "https://example.com/"),
    ] {
        assert_eq!(credentials(host).base_url().as_str(), base, "{host}");
    }
    for host in [
        "",
        "ftp://example.com",
        "https://example.com/path",
        "https://example.com/?q=1",
        "https://user:pw@example.com",
        "exa mple.com",
    ] {
        let result = Credentials::new(host, "c", "s", "a");
        assert!(result.is_err(), "{host:?} should be rejected");
    }
}
