//! Harmony SASE settings through the public API: regions and origins as base URLs, the errors
//! for bad ones, and the token expiry forms the authorize response may carry.

use std::time::UNIX_EPOCH;

use client_runtime::Exchange;
use harmony_sase::{API_KEY_ENV, Authorize, Client, ConfigError, Region, URL_ENV};

/// The client `HARMONY_SASE_URL=url` gives, with a key set.
fn from_env(url: &str) -> Result<Client, ConfigError> {
    Client::from_env_with(|name| Some(if name == API_KEY_ENV { "k" } else { url }.into()))
}

#[test]
fn regions_names_and_origins() {
    let base_url = |url: String| Client::builder("k").base_url(url).build().unwrap();
    let eu = "https://api.eu.sase.checkpoint.com";
    assert_eq!(base_url(Region::Eu.into()).base_url(), eu);
    assert_eq!(Client::new("k", Region::Eu).unwrap().base_url(), eu);
    assert_eq!(base_url("EU".into()).base_url(), eu);
    assert_eq!(from_env(" eu ").unwrap().base_url(), eu);
    assert_eq!(
        base_url("http://127.0.0.1:8080/".into()).base_url(),
        "http://127.0.0.1:8080"
    );
    for region in Region::ALL {
        assert_eq!(from_env(region.name()).unwrap().base_url(), region.origin());
        assert_eq!(region.to_string(), region.name());
    }
}

#[test]
fn bad_base_urls_name_source_and_key() {
    let error = from_env("mars").unwrap_err();
    assert_eq!(error.key, URL_ENV);
    let text = error.to_string();
    assert!(
        text.starts_with("environment: HARMONY_SASE_URL: neither a region"),
        "{text}"
    );
    assert!(text.contains("`mars`"), "{text}");
    let error = from_env("https://api.perimeter81.com/api/rest").unwrap_err();
    assert!(error.message.contains("origin only"), "{error}");
    assert!(from_env("ftp://x").is_err());
    let error = Client::builder("k").base_url("mars").build().unwrap_err();
    assert_eq!(
        (error.source, error.key),
        ("Client::builder".into(), "base_url".into())
    );
}

/// The expiry `Authorize` reads from an authorize response whose `accessTokenExpire` is
/// `expire`, in seconds since the epoch.
fn expiry_secs(expire: serde_json::Value) -> Option<u64> {
    let body = serde_json::json!({"data": {"accessToken": "t", "accessTokenExpire": expire}});
    let issued = Authorize::new("http://127.0.0.1:1")
        .read(&serde_json::to_vec(&body).unwrap())
        .expect("a token response");
    let since = issued.expires_at?.duration_since(UNIX_EPOCH);
    Some(since.expect("after epoch").as_secs())
}

#[test]
fn expiry_in_every_documented_form() {
    use serde_json::json;
    for value in [
        json!(1_809_771_195),
        json!(1_809_771_195_000_i64),
        json!("1809771195"),
        json!("1809771195000"),
        json!("2027-05-08T10:13:15Z"),
        json!("2027-05-08T12:13:15+02:00"),
    ] {
        assert_eq!(expiry_secs(value.clone()), Some(1_809_771_195), "{value}");
    }
    assert_eq!(expiry_secs(json!("tomorrow")), None);
    assert_eq!(expiry_secs(json!(-5)), None);
}
