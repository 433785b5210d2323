//! EdgeGrid (`EG1-HMAC-SHA256`) verification, written independently of the client's signer:
//! the fake parses the `Authorization` header and recomputes the signature from the request
//! as it arrived, with `hmac`, `sha2` and `base64` directly.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The fields of an `Authorization: EG1-HMAC-SHA256 …` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AuthHeader {
    pub(crate) client_token: String,
    pub(crate) access_token: String,
    pub(crate) timestamp: String,
    pub(crate) nonce: String,
    pub(crate) signature: String,
}

/// Parses `EG1-HMAC-SHA256 client_token=…;access_token=…;timestamp=…;nonce=…;signature=…`;
/// the five fields in this order, each exactly once.
pub(crate) fn parse(header: &str) -> Option<AuthHeader> {
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
pub(crate) struct Received<'a> {
    pub(crate) method: &'a str,
    pub(crate) scheme: &'a str,
    pub(crate) host: &'a str,
    pub(crate) path_and_query: &'a str,
    pub(crate) body: &'a [u8],
}

/// The signature a client holding `client_secret` computes for `received` with the tokens,
/// timestamp and nonce of `auth` (no signed headers: the fake's credential lists none).
pub(crate) fn expected_signature(
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
pub(crate) fn timestamp_is_fresh(
    timestamp: &str,
    now: chrono::DateTime<chrono::Utc>,
    skew_secs: i64,
) -> bool {
    chrono::NaiveDateTime::parse_from_str(timestamp, "%Y%m%dT%H:%M:%S+0000")
        .map(|t| (now.naive_utc() - t).num_seconds().abs() <= skew_secs)
        .unwrap_or(false)
}

/// Constant-time comparison of two signatures.
pub(crate) fn same(a: &str, b: &str) -> bool {
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
}
