//! An EdgeGrid (`EG1-HMAC-SHA256`) gateway for any fake, written independently of the
//! client's signer (the `edgegrid` crate): it parses the `Authorization` header and recomputes
//! the signature from the request as it arrived, with `hmac`, `sha2` and `base64` directly.
//! Behind the `edgegrid` feature.
//!
//! A fake checks every request with [`EdgeGridGateway::check`] from its
//! [gateway](crate::Builder::gateway) and answers a [`Denial`] in the API's own words.

use std::collections::HashSet;
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// How far a request timestamp may be from the fake's clock.
const TIMESTAMP_SKEW_SECS: i64 = 300;

/// The one credential a gateway accepts. Its `Debug` output shows no token or secret.
#[derive(Clone)]
pub struct Credential {
    /// The client token.
    pub client_token: String,
    /// The client secret, which keys the signature.
    pub client_secret: String,
    /// The access token.
    pub access_token: String,
    /// How many leading bytes of a POST body the content hash covers.
    pub max_body: usize,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

/// Why the gateway refuses a request: Akamai's status (400 for a stale timestamp, else 401)
/// and its `detail`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Denial {
    /// 400 or 401.
    pub status: StatusCode,
    /// What is wrong, in the words of Akamai's gateway.
    pub detail: &'static str,
}

/// Verifies the EdgeGrid signature of every request for one [`Credential`], refusing a nonce
/// it has seen before, and counts the requests that pass.
#[derive(Debug)]
pub struct EdgeGridGateway {
    credential: Credential,
    nonces: Mutex<HashSet<String>>,
    verified: AtomicUsize,
}

impl EdgeGridGateway {
    /// A gateway accepting `credential`.
    pub fn new(credential: Credential) -> Self {
        Self {
            credential,
            nonces: Mutex::default(),
            verified: AtomicUsize::new(0),
        }
    }

    /// The credential it accepts.
    pub fn credential(&self) -> &Credential {
        &self.credential
    }

    /// How many requests passed.
    pub fn verified(&self) -> usize {
        self.verified.load(Ordering::SeqCst)
    }

    /// Akamai's checks, in its order, over the request as received (scheme `http`, the `Host`
    /// header, the path and query as sent): a well-formed header, known tokens, a fresh
    /// timestamp, the signature, an unused nonce.
    pub fn check(&self, parts: &Parts, body: &[u8]) -> Result<(), Denial> {
        let deny = |status, detail| Err(Denial { status, detail });
        let unauthorized = StatusCode::UNAUTHORIZED;
        let text = |name| parts.headers.get(name).and_then(|h| h.to_str().ok());
        let Some(auth) = text(header::AUTHORIZATION).and_then(parse) else {
            return deny(unauthorized, "Missing or malformed authorization header");
        };
        let credential = &self.credential;
        if auth.client_token != credential.client_token {
            return deny(unauthorized, "Invalid authorization client token");
        }
        if auth.access_token != credential.access_token {
            return deny(unauthorized, "Invalid authorization access token");
        }
        if !timestamp_is_fresh(&auth.timestamp, chrono::Utc::now(), TIMESTAMP_SKEW_SECS) {
            return deny(StatusCode::BAD_REQUEST, "Invalid timestamp");
        }
        let received = Received {
            method: parts.method.as_str(),
            scheme: "http",
            host: text(header::HOST).unwrap_or_default(),
            path_and_query: parts
                .uri
                .path_and_query()
                .map_or(parts.uri.path(), |p| p.as_str()),
            body,
        };
        let expected = expected_signature(
            &credential.client_secret,
            credential.max_body,
            &received,
            &auth,
        );
        if !same(&expected, &auth.signature) {
            return deny(unauthorized, "The signature does not match");
        }
        if !crate::lock(&self.nonces).insert(auth.nonce) {
            return deny(
                unauthorized,
                "Invalid authorization nonce: the nonce was already used",
            );
        }
        self.verified.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// The fields of an `Authorization: EG1-HMAC-SHA256 …` header.
#[derive(Clone, Debug, PartialEq, Eq)]
struct AuthHeader {
    client_token: String,
    access_token: String,
    timestamp: String,
    nonce: String,
    signature: String,
}

/// Parses `EG1-HMAC-SHA256 client_token=…;access_token=…;timestamp=…;nonce=…;signature=…`;
/// the five fields in this order, each exactly once.
fn parse(header: &str) -> Option<AuthHeader> {
    let fields = header.strip_prefix("EG1-HMAC-SHA256 ")?;
    let mut values = Vec::with_capacity(5);
    let names = [
        "client_token",
        "access_token",
        "timestamp",
        "nonce",
        "signature",
    ];
    let mut parts = fields.split(';');
    for name in names {
        let (key, value) = parts.next()?.split_once('=')?;
        if key != name || value.is_empty() {
            return None;
        }
        values.push(value.to_owned());
    }
    if parts.any(|rest| !rest.is_empty()) {
        return None;
    }
    let [client_token, access_token, timestamp, nonce, signature] =
        <[String; 5]>::try_from(values).ok()?;
    Some(AuthHeader {
        client_token,
        access_token,
        timestamp,
        nonce,
        signature,
    })
}

/// What the signature covers, as the server received it.
struct Received<'a> {
    method: &'a str,
    scheme: &'a str,
    host: &'a str,
    path_and_query: &'a str,
    body: &'a [u8],
}

/// The signature a client holding `client_secret` computes for `received` with the tokens,
/// timestamp and nonce of `auth` (no signed headers: the gateway's credential lists none).
fn expected_signature(
    client_secret: &str,
    max_body: usize,
    received: &Received<'_>,
    auth: &AuthHeader,
) -> String {
    let method = received.method.to_ascii_uppercase();
    let content_hash = if method == "POST" && !received.body.is_empty() {
        let end = received.body.len().min(max_body);
        BASE64.encode(Sha256::digest(&received.body[..end]))
    } else {
        String::new()
    };
    let unsigned = format!(
        "EG1-HMAC-SHA256 client_token={};access_token={};timestamp={};nonce={};",
        auth.client_token, auth.access_token, auth.timestamp, auth.nonce
    );
    let data = [
        method.as_str(),
        received.scheme,
        received.host,
        received.path_and_query,
        "",
        content_hash.as_str(),
        unsigned.as_str(),
    ]
    .join("\t");
    let signing_key = hmac_base64(client_secret.as_bytes(), auth.timestamp.as_bytes());
    hmac_base64(signing_key.as_bytes(), data.as_bytes())
}

/// Whether an EdgeGrid timestamp (`20140321T19:34:21+0000`) is within `skew_secs` of `now`.
fn timestamp_is_fresh(timestamp: &str, now: chrono::DateTime<chrono::Utc>, skew_secs: i64) -> bool {
    chrono::NaiveDateTime::parse_from_str(timestamp, "%Y%m%dT%H:%M:%S+0000")
        .map(|t| (now.naive_utc() - t).num_seconds().abs() <= skew_secs)
        .unwrap_or(false)
}

/// Constant-time comparison of two signatures.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn hmac_base64(key: &[u8], message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    BASE64.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every case of the reference vectors the edgegrid crate is tested against (generated
    /// with Akamai's Python signer) without signed headers.
    #[test]
    fn matches_akamai_reference_vectors() {
        let vectors: serde_json::Value = serde_json::from_str(include_str!(
            "../../edgegrid/tests/vectors/saas-rules-reference.json"
        ))
        .expect("vectors are JSON");
        let credentials = &vectors["credentials"];
        let text = |v: &serde_json::Value| v.as_str().expect("string").to_owned();
        let mut checked = 0;
        for case in vectors["cases"].as_array().expect("cases") {
            if !case["headers_to_sign"].as_array().expect("list").is_empty() {
                continue;
            }
            let expected = parse(case["expectedAuthorization"].as_str().expect("text"))
                .expect("reference header parses");
            let auth = AuthHeader {
                client_token: text(&credentials["client_token"]),
                access_token: text(&credentials["access_token"]),
                timestamp: text(&credentials["timestamp"]),
                nonce: text(&credentials["nonce"]),
                signature: String::new(),
            };
            let body = case["body"].as_str().unwrap_or_default();
            let received = Received {
                method: case["method"].as_str().expect("method"),
                scheme: "https",
                host: credentials["host"].as_str().expect("host"),
                path_and_query: case["path"].as_str().expect("path"),
                body: body.as_bytes(),
            };
            let max_body = case["max_body"].as_u64().expect("max_body") as usize;
            let secret = text(&credentials["client_secret"]);
            assert_eq!(
                expected_signature(&secret, max_body, &received, &auth),
                expected.signature,
                "{}",
                case["name"]
            );
            checked += 1;
        }
        assert!(checked >= 7, "only {checked} vectors checked");
    }

    #[test]
    fn parses_only_well_formed_headers() {
        let header = "EG1-HMAC-SHA256 client_token=ct;access_token=at;\
                      timestamp=20140321T19:34:21+0000;nonce=n;signature=a/b+c=";
        let auth = parse(header).expect("well formed");
        assert_eq!(auth.signature, "a/b+c=");
        assert_eq!(auth.timestamp, "20140321T19:34:21+0000");
        for bad in [
            "Bearer x",
            "EG1-HMAC-SHA256 client_token=ct;access_token=at;timestamp=t;nonce=n",
            "EG1-HMAC-SHA256 access_token=at;client_token=ct;timestamp=t;nonce=n;signature=s",
            "EG1-HMAC-SHA256 client_token=ct;access_token=at;timestamp=t;nonce=n;signature=s;x=y",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn timestamps_must_be_recent() {
        let now = chrono::DateTime::parse_from_rfc3339("2014-03-21T19:34:21Z")
            .expect("date")
            .to_utc();
        assert!(timestamp_is_fresh("20140321T19:34:21+0000", now, 60));
        assert!(!timestamp_is_fresh("20140321T18:34:21+0000", now, 60));
        assert!(!timestamp_is_fresh("yesterday", now, 60));
    }

    #[test]
    fn the_credential_is_never_shown() {
        let gateway = EdgeGridGateway::new(Credential {
            client_token: "ct-1".into(),
            client_secret: "s3cret".into(),
            access_token: "at-1".into(),
            max_body: 1,
        });
        let shown = format!("{gateway:?}");
        assert!(
            !["ct-1", "s3cret", "at-1"].iter().any(|s| shown.contains(s)),
            "{shown}"
        );
    }
}
