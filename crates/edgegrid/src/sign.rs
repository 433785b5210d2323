//! EG1-HMAC-SHA256 signing.

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Datelike, Timelike, Utc};
use hmac::{Hmac, Mac};
use http::header::{AUTHORIZATION, HOST};
use http::{HeaderMap, HeaderValue};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use url::{Position, Url};

use crate::credentials::Credentials;
use crate::error::SignError;

/// The authorization scheme name, the first word of every EdgeGrid `Authorization` value.
pub const AUTH_SCHEME: &str = "EG1-HMAC-SHA256";

/// The query parameter that carries the account switch key.
pub const ACCOUNT_SWITCH_KEY_PARAM: &str = "accountSwitchKey";

/// Formats a time as an EdgeGrid timestamp, `YYYYMMDDTHH:MM:SS+0000` in UTC
/// (e.g. `20140321T19:34:21+0000`).
///
/// Written digit by digit: it runs for every request, and chrono's `format` interprets its
/// format string on every call (about ten times slower).
pub fn format_timestamp(time: DateTime<Utc>) -> String {
    let year = time.year();
    let Ok(year @ 0..=9999) = u32::try_from(year) else {
        // Outside four digits, keep chrono's rendering of `%Y`.
        return time.format("%Y%m%dT%H:%M:%S+0000").to_string();
    };
    let mut out = String::with_capacity(24);
    push_digits(&mut out, year, 4);
    push_digits(&mut out, time.month(), 2);
    push_digits(&mut out, time.day(), 2);
    out.push('T');
    push_digits(&mut out, time.hour(), 2);
    out.push(':');
    push_digits(&mut out, time.minute(), 2);
    out.push(':');
    push_digits(&mut out, time.second(), 2);
    out.push_str("+0000");
    out
}

/// Appends the last `width` decimal digits of `value`, zero-padded.
fn push_digits(out: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (value / 10u32.pow(place)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// A fresh nonce: a random (version 4) UUID in hyphenated form, from `uuid`'s thread-local
/// CSPRNG (its `fast-rng` feature) rather than a system call per nonce.
pub fn new_nonce() -> String {
    let mut buffer = uuid::Uuid::encode_buffer();
    uuid::Uuid::new_v4()
        .hyphenated()
        .encode_lower(&mut buffer)
        .to_owned()
}

/// The request fields that enter the string to sign, already extracted.
struct Parts<'a> {
    method: Cow<'a, str>,
    scheme: &'a str,
    host: &'a str,
    path_and_query: &'a str,
    canonical_headers: String,
    content_hash: String,
}

impl Credentials {
    /// Computes the `Authorization` header value for a request described by explicit inputs,
    /// with the given timestamp and nonce. Pure: the same inputs give the same output.
    ///
    /// * `method` — the HTTP method; it is upper-cased.
    /// * `url` — the request URL. Its scheme, `host[:port]` and path and query are signed
    ///   exactly as serialised by [`Url`] (which is what is sent; nothing is re-encoded).
    /// * `headers` — the request headers as `(name, value)` pairs; names match
    ///   case-insensitively. Only [`Credentials::headers_to_sign`] enter the signature, plus a
    ///   `Host` header, which replaces the URL's `host[:port]` as the Python signer does.
    /// * `body` — the body bytes; hashed only for `POST` with a non-empty body, over the first
    ///   [`Credentials::max_body`] bytes.
    /// * `timestamp` — see [`format_timestamp`]; `nonce` — see [`new_nonce`].
    pub fn authorization(
        &self,
        method: &str,
        url: &Url,
        headers: &[(&str, &str)],
        body: &[u8],
        timestamp: &str,
        nonce: &str,
    ) -> Result<String, SignError> {
        let parts = self.parts_from_pairs(method, url, headers, body)?;
        self.sign_parts(&parts, timestamp, nonce)
    }

    /// The string to sign for the same inputs as [`Credentials::authorization`]: method,
    /// scheme, host, path and query, canonical headers, content hash and the unsigned
    /// `Authorization` prefix, joined by tabs. Useful to debug a signature mismatch; contains
    /// the client and access tokens but not the secret.
    pub fn data_to_sign(
        &self,
        method: &str,
        url: &Url,
        headers: &[(&str, &str)],
        body: &[u8],
        timestamp: &str,
        nonce: &str,
    ) -> Result<String, SignError> {
        let parts = self.parts_from_pairs(method, url, headers, body)?;
        Ok(self.string_to_sign(&parts, &self.auth_prefix(timestamp, nonce)))
    }

    /// Signs a request as it will be sent, with the current time and a fresh random nonce;
    /// call it before every attempt (retries and redirects need a new signature).
    ///
    /// If an account switch key is configured and the query has no `accountSwitchKey`
    /// parameter yet, `accountSwitchKey=<key>` (form-urlencoded) is appended to the query
    /// first. Then the `Authorization` header is set (replacing any previous one, marked
    /// sensitive) over: the method; the URL's scheme (`https` for Akamai; `http` for a local
    /// `http://` test server, as in all of Akamai's signers, which take the scheme from the
    /// URL); the `Host` header if the request has one, else the URL's `host[:port]` (the
    /// port only when not the scheme's default, as it is sent); the path and query exactly as
    /// serialised; the configured headers; and the content hash of a POST body.
    ///
    /// Fails for a POST with a streaming body (buffer it first), for signed headers that are
    /// repeated or not UTF-8, and for tokens that cannot appear in a header.
    pub fn sign_request(&self, request: &mut reqwest::Request) -> Result<(), SignError> {
        self.sign_request_at(request, &format_timestamp(Utc::now()), &new_nonce())
    }

    /// [`Credentials::sign_request`] with an explicit timestamp and nonce, for reproducible
    /// signatures in tests. Never reuse a nonce against a real server.
    pub fn sign_request_at(
        &self,
        request: &mut reqwest::Request,
        timestamp: &str,
        nonce: &str,
    ) -> Result<(), SignError> {
        if let Some(key) = &self.account_key {
            add_account_switch_key(request.url_mut(), key);
        }
        let method = upper_case(request.method().as_str());
        let body: &[u8] = if method == "POST" {
            match request.body() {
                None => &[],
                Some(body) => body.as_bytes().ok_or(SignError::StreamingBody)?,
            }
        } else {
            &[]
        };
        let host = match single_header(request.headers(), HOST.as_str())? {
            Some(host) => host,
            None => authority(request.url())?,
        };
        let mut canonical = Vec::with_capacity(self.headers_to_sign.len());
        for name in &self.headers_to_sign {
            if let Some(value) = single_header(request.headers(), name)? {
                canonical.push(canonical_header(name, value));
            }
        }
        let url = request.url();
        let parts = Parts {
            method,
            scheme: url.scheme(),
            host,
            path_and_query: &url[Position::BeforePath..Position::AfterQuery],
            canonical_headers: canonical.join("\t"),
            content_hash: self.content_hash(body),
        };
        let authorization = self.sign_parts(&parts, timestamp, nonce)?;
        let mut value =
            HeaderValue::try_from(authorization).map_err(|_| SignError::InvalidAuthorization)?;
        value.set_sensitive(true);
        request.headers_mut().insert(AUTHORIZATION, value);
        Ok(())
    }

    fn parts_from_pairs<'a>(
        &self,
        method: &'a str,
        url: &'a Url,
        headers: &[(&'a str, &'a str)],
        body: &[u8],
    ) -> Result<Parts<'a>, SignError> {
        let method = upper_case(method);
        let host = match single_pair(headers, HOST.as_str())? {
            Some(host) => host,
            None => authority(url)?,
        };
        let mut canonical = Vec::with_capacity(self.headers_to_sign.len());
        for name in &self.headers_to_sign {
            if let Some(value) = single_pair(headers, name)? {
                canonical.push(canonical_header(name, value));
            }
        }
        let content_hash = if method == "POST" {
            self.content_hash(body)
        } else {
            String::new()
        };
        Ok(Parts {
            method,
            scheme: url.scheme(),
            host,
            path_and_query: &url[Position::BeforePath..Position::AfterQuery],
            canonical_headers: canonical.join("\t"),
            content_hash,
        })
    }

    /// Base64 SHA-256 of the first `max_body` bytes, or empty for an empty body. The caller
    /// passes an empty body for anything but POST.
    fn content_hash(&self, body: &[u8]) -> String {
        if body.is_empty() {
            return String::new();
        }
        let hashed = body.get(..self.max_body).unwrap_or(body);
        BASE64.encode(Sha256::digest(hashed))
    }

    /// `EG1-HMAC-SHA256 client_token=…;access_token=…;timestamp=…;nonce=…;`, with room for
    /// the signature that follows it.
    fn auth_prefix(&self, timestamp: &str, nonce: &str) -> String {
        let pieces = [
            AUTH_SCHEME,
            " client_token=",
            self.client_token.expose_secret(),
            ";access_token=",
            self.access_token.expose_secret(),
            ";timestamp=",
            timestamp,
            ";nonce=",
            nonce,
            ";",
        ];
        let length: usize = pieces.iter().map(|piece| piece.len()).sum();
        let mut prefix = String::with_capacity(length + SIGNATURE_FIELD_LEN);
        for piece in pieces {
            prefix.push_str(piece);
        }
        prefix
    }

    /// The fields of the string to sign, in order; they are joined by tabs.
    fn fields_to_sign<'a>(parts: &'a Parts<'_>, auth_prefix: &'a str) -> [&'a str; 7] {
        [
            &parts.method,
            parts.scheme,
            parts.host,
            parts.path_and_query,
            &parts.canonical_headers,
            &parts.content_hash,
            auth_prefix,
        ]
    }

    fn string_to_sign(&self, parts: &Parts<'_>, auth_prefix: &str) -> String {
        Self::fields_to_sign(parts, auth_prefix).join("\t")
    }

    /// Returns the `Authorization` value: the prefix, then `signature=` and
    /// base64(HMAC-SHA256(signing key, string to sign)), where the signing key is
    /// base64(HMAC-SHA256(client secret, timestamp)). The string to sign is streamed into the
    /// MAC, not built.
    fn sign_parts(
        &self,
        parts: &Parts<'_>,
        timestamp: &str,
        nonce: &str,
    ) -> Result<String, SignError> {
        let mut authorization = self.auth_prefix(timestamp, nonce);
        let mut signing_key = [0u8; BASE64_SHA256_LEN];
        let mut key_mac = keyed_mac(self.client_secret.expose_secret().as_bytes())?;
        key_mac.update(timestamp.as_bytes());
        let written = BASE64
            .encode_slice(key_mac.finalize().into_bytes(), &mut signing_key)
            .map_err(|_| SignError::Hmac)?;
        let mut mac = keyed_mac(&signing_key[..written])?;
        for (i, field) in Self::fields_to_sign(parts, &authorization)
            .iter()
            .enumerate()
        {
            if i > 0 {
                mac.update(b"\t");
            }
            mac.update(field.as_bytes());
        }
        authorization.push_str("signature=");
        BASE64.encode_string(mac.finalize().into_bytes(), &mut authorization);
        Ok(authorization)
    }
}

/// Length of `signature=` and a base64 SHA-256.
const SIGNATURE_FIELD_LEN: usize = "signature=".len() + BASE64_SHA256_LEN;
/// Length of a SHA-256 in padded base64.
const BASE64_SHA256_LEN: usize = 44;

/// An HMAC-SHA256 keyed with `key`, ready for the message.
fn keyed_mac(key: &[u8]) -> Result<Hmac<Sha256>, SignError> {
    Hmac::<Sha256>::new_from_slice(key).map_err(|_| SignError::Hmac)
}

/// The method upper-cased, borrowed when it already is (as every standard method is).
fn upper_case(method: &str) -> Cow<'_, str> {
    if method.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(method.to_ascii_uppercase())
    } else {
        Cow::Borrowed(method)
    }
}

/// `host[:port]` of a URL as serialised (the port only when it is not the scheme's default).
fn authority(url: &Url) -> Result<&str, SignError> {
    if url.host_str().is_none_or(str::is_empty) {
        return Err(SignError::UrlWithoutHost);
    }
    Ok(&url[Position::BeforeHost..Position::AfterPort])
}

/// `name:value` with the value trimmed and inner whitespace runs collapsed to one space, as
/// Python's `' '.join(value.split())` does.
fn canonical_header(name: &str, value: &str) -> String {
    let words: Vec<&str> = value
        .split(is_python_whitespace)
        .filter(|w| !w.is_empty())
        .collect();
    format!("{name}:{}", words.join(" "))
}

/// Python's `str.isspace`: Unicode whitespace plus the ASCII separators U+001C..U+001F.
fn is_python_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The value of a header that must occur at most once, as UTF-8.
fn single_header<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, SignError> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(SignError::RepeatedHeader {
            name: name.to_ascii_lowercase(),
        });
    }
    std::str::from_utf8(value.as_bytes())
        .map(Some)
        .map_err(|_| SignError::HeaderNotUtf8 {
            name: name.to_ascii_lowercase(),
        })
}

/// The value of a pair whose name matches case-insensitively and must occur at most once.
fn single_pair<'a>(headers: &[(&str, &'a str)], name: &str) -> Result<Option<&'a str>, SignError> {
    let mut values = headers
        .iter()
        .filter(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| *v);
    let first = values.next();
    if first.is_some() && values.next().is_some() {
        return Err(SignError::RepeatedHeader {
            name: name.to_ascii_lowercase(),
        });
    }
    Ok(first)
}

/// Appends `accountSwitchKey=<key>` unless the query already has that parameter, keeping the
/// existing query text as it is.
fn add_account_switch_key(url: &mut Url, key: &str) {
    if url
        .query_pairs()
        .any(|(k, _)| k == ACCOUNT_SWITCH_KEY_PARAM)
    {
        return;
    }
    url.query_pairs_mut()
        .append_pair(ACCOUNT_SWITCH_KEY_PARAM, key);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_header_collapses_like_python_split() {
        assert_eq!(canonical_header("x-a", "  a \t b\u{a0}c  "), "x-a:a b c");
        assert_eq!(canonical_header("x-a", "   "), "x-a:");
        assert_eq!(canonical_header("x-a", "a\u{1f}b"), "x-a:a b");
    }

    #[test]
    fn timestamps_match_chronos_formatting() {
        use chrono::TimeZone;
        for secs in [
            0,
            1_395_430_461,
            951_782_400,
            4_102_444_799,
            253_402_300_799,
        ] {
            let time = Utc.timestamp_opt(secs, 0).unwrap();
            assert_eq!(
                format_timestamp(time),
                time.format("%Y%m%dT%H:%M:%S+0000").to_string()
            );
        }
        let time = Utc.timestamp_opt(1_395_430_461, 0).unwrap();
        assert_eq!(format_timestamp(time), "20140321T19:34:21+0000");
    }

    #[test]
    fn nonces_are_fresh_v4_uuids() {
        let (a, b) = (new_nonce(), new_nonce());
        assert_ne!(a, b);
        let parsed = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(a, parsed.hyphenated().to_string());
    }

    #[test]
    fn account_switch_key_is_added_once() {
        let mut url = Url::parse("https://h/p?a=1").unwrap();
        add_account_switch_key(&mut url, "1-ABCD:1-2345");
        add_account_switch_key(&mut url, "1-ABCD:1-2345");
        assert_eq!(
            url.as_str(),
            "https://h/p?a=1&accountSwitchKey=1-ABCD%3A1-2345"
        );
    }
}
